//! The user's own data in the page: a file picker (`#data-file`, a TRAIN/TEST pair at once)
//! and drag and drop; the files are read here and handed to this page's own workers, which
//! parse them (the same parser as the CLI) and say what they hold. Nothing is uploaded: the
//! address names the files by name, size and SHA-256 only, so a link made with a file asks for
//! it again, checks it, and refuses any other.

use super::{lab, Lab};
use crate::config::Config;
use crate::datafile::store::Store;
use crate::datafile::{DataInfo, DataKind, MAX_FILE_BYTES};
use crate::stats::number;
use crate::tasks::user::baseline_name;
use crate::tasks::TaskKind;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, HtmlInputElement};

pub use crate::archive::Files;

/// Hands the user's files to the workers, starting them if need be (the trainer provides it,
/// so this module needs nothing of the trainer's).
#[derive(Clone, Copy)]
pub struct DataSender(pub StoredValue<std::rc::Rc<dyn Fn(Files)>, LocalStorage>);

/// The chance bars and classical baselines of the runs on the user's data.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    pub chance: (f64, f64),
    pub baselines: Vec<(String, f64)>,
    pub held_out: Option<crate::tasks::user::HeldOut>,
}

#[derive(Clone, Copy)]
pub struct DataState {
    /// The files' bytes: kept in this page, handed to its own workers only.
    pub files: StoredValue<Files, LocalStorage>,
    /// Files being read by a worker, not yet accepted.
    pub pending: StoredValue<Option<Files>, LocalStorage>,
    pub info: RwSignal<Option<DataInfo>>,
    pub bars: RwSignal<Option<Bars>>,
    /// Why the last files were not taken (the experiment stayed as it was).
    pub problem: RwSignal<Option<String>>,
    /// What the workers found the files to be (their values stay in the workers): the
    /// experiment is bound to it (`bind`).
    pub store: StoredValue<Store, LocalStorage>,
}

impl DataState {
    pub fn new() -> DataState {
        DataState {
            files: StoredValue::new_local(Vec::new()),
            pending: StoredValue::new_local(None),
            info: RwSignal::new(None),
            bars: RwSignal::new(None),
            problem: RwSignal::new(None),
            store: StoredValue::new_local(Store::default()),
        }
    }

    /// Binds `c` to the dataset it names, if this page has it.
    pub fn bind(&self, c: &mut Config) {
        self.store.with_value(|s| c.bind(s));
    }

    /// Keeps what a worker found a dataset to be.
    fn keep(&self, info: DataInfo) {
        self.store.update_value(|s| {
            s.install_info(info);
        });
    }

    /// Keeps what a worker found a dataset to be and binds the experiment to it, if it names it.
    pub fn take_info(&self, info: DataInfo, cfg: RwSignal<Config>) {
        self.keep(info);
        let mut c = cfg.get_untracked();
        self.bind(&mut c);
        if c != cfg.get_untracked() {
            cfg.set(c);
        }
    }

    /// The files to hand a new worker, if the experiment reads them.
    pub fn files_for(&self, c: &Config) -> Option<Files> {
        c.uses_data().then(|| self.files.get_value()).filter(|f| !f.is_empty())
    }
}

/// Reads the chosen files (refusing any past the size limit before reading it) and has the
/// workers parse them.
fn choose(d: DataState, list: Vec<web_sys::File>) {
    let send = expect_context::<DataSender>().0.get_value();
    if let Some(big) = list.iter().find(|f| f.size() > MAX_FILE_BYTES as f64) {
        d.problem.set(Some(format!(
            "{} has {} bytes; a data file may have at most 200 MB. The experiment was not changed.",
            big.name(),
            big.size()
        )));
        return;
    }
    if list.len() > 2 {
        d.problem.set(Some(format!("{} files: choose one, or a TRAIN/TEST pair.", list.len())));
        return;
    }
    leptos::task::spawn_local(async move {
        let mut files = Vec::new();
        for f in list {
            let Some(buf) = JsFuture::from(f.array_buffer()).await.ok() else {
                d.problem.set(Some(format!("{} could not be read.", f.name())));
                return;
            };
            files.push((f.name(), js_sys::Uint8Array::new(&buf).to_vec()));
        }
        d.pending.set_value(Some(files.clone()));
        send(files);
    });
}

/// A worker read the pending files: check them against the link's, then take them. Returns
/// whether they were taken for the experiment the page already shows (a link's own files),
/// whose runs must then load again.
pub fn read(d: DataState, lab: Lab, info: &DataInfo) -> bool {
    let Some(files) = d.pending.try_update_value(Option::take).flatten() else { return false };
    let c = lab.cfg.get_untracked();
    let wanted = !c.data.is_empty() && !c.is_bound();
    if wanted && c.data.iter().map(|r| r.sha256).ne(info.files.iter().map(|r| r.sha256)) {
        let said = |v: &[crate::datafile::DataRef]| {
            v.iter()
                .map(|r| format!("{} (SHA-256 {}…)", r.name, &r.hex()[..16]))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        d.problem.set(Some(format!(
            "This link was made with {}; the file chosen is {}: not the same bytes, so it was refused. \
             The experiment was not changed.",
            said(&c.data),
            said(&info.files)
        )));
        return false;
    }
    d.keep(info.clone());
    super::handoff::share_data(&files, info);
    d.files.set_value(files);
    d.problem.set(None);
    d.bars.set(None);
    d.info.set(Some(info.clone()));
    let task = match info.kind {
        DataKind::Classes => TaskKind::Classify,
        DataKind::Series => TaskKind::Forecast,
        DataKind::Text => TaskKind::Text,
    };
    lab.cfg.update(|c| {
        let mut n = if wanted { c.clone() } else { c.with_task(task) };
        if !wanted && n.task == TaskKind::Forecast && n.column.is_none() {
            n.column = info.columns.last().map(|(name, _)| name.clone());
        }
        n.data_bytes = info.files.iter().map(|r| r.bytes).collect();
        n.data = info.files.clone();
        d.bind(&mut n);
        *c = n;
    });
    wanted
}

/// A worker refused the pending files.
pub fn refused(d: DataState, message: String) -> bool {
    if d.pending.try_update_value(Option::take).flatten().is_none() {
        return false;
    }
    d.problem.set(Some(format!("{message}. The experiment was not changed.")));
    true
}

/// Files dropped anywhere on the page (a sweep.json goes to the Sweep view instead).
pub fn on_drop(d: DataState, ev: DragEvent) {
    let Some(list) = ev.data_transfer().and_then(|t| t.files()) else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.iter().any(|f| f.name().to_ascii_lowercase().ends_with(".json")) {
        return;
    }
    ev.prevent_default();
    choose(d, files);
}

/// What the files hold, in words.
fn describe(i: &DataInfo) -> Vec<String> {
    let names: Vec<String> = i.files.iter().map(|r| format!("{} ({})", r.name, kib(r.bytes))).collect();
    let mut v = vec![names.join(" + ")];
    match i.kind {
        DataKind::Classes => {
            let test = if i.test > 0 {
                format!("{} in TEST", i.test)
            } else {
                "no TEST: a fifth of each class tests".into()
            };
            v.push(format!(
                "Labelled sequences: {} in TRAIN (a fifth of each class validates), {test}.",
                i.train
            ));
            let lens = if i.min_len == i.max_len {
                format!("{}", i.max_len)
            } else {
                format!("{} to {}", i.min_len, i.max_len)
            };
            v.push(format!("Length {lens}; {} dimension(s); {} missing value(s) filled.", i.dims, i.filled));
            let classes: Vec<String> = i.classes.iter().map(|(n, a, b)| format!("{n} ({a} + {b})")).collect();
            v.push(format!("Classes, TRAIN + TEST: {}.", classes.join(", ")));
        }
        DataKind::Series => {
            let cols: Vec<String> = i
                .columns
                .iter()
                .map(|(n, m)| if *m > 0 { format!("{n} ({m} missing, filled)") } else { n.clone() })
                .collect();
            v.push(format!("A table of {} rows; numeric columns: {}.", i.train, cols.join(", ")));
            v.push("Split by time: the first 80% trains, the next 10% validates, the last 10% tests.".into());
            v.extend(i.notes.iter().map(|n| format!("Read as: {n}.")));
        }
        DataKind::Text => v.push(format!(
            "A text of {} characters ({} held out), {} distinct.",
            i.train + i.test,
            i.test,
            i.dims
        )),
    }
    v
}

fn kib(b: u64) -> String {
    if b < 1 << 20 {
        format!("{:.0} KB", (b as f64 / 1024.0).max(1.0))
    } else {
        format!("{:.1} MB", b as f64 / (1024.0 * 1024.0))
    }
}

/// The data section of the controls: the picker, what was read, the baselines, and what a
/// link asks for.
#[component]
pub fn DataPicker() -> impl IntoView {
    let lab = lab();
    let d = lab.data;
    let needs = Memo::new(move |_| lab.cfg.with(|c| c.task.needs_data() || c.uses_data()));
    let wanted = move || {
        lab.cfg.with(|c| {
            (!c.data.is_empty() && !c.is_bound()).then(|| {
                c.data
                    .iter()
                    .enumerate()
                    .map(|(k, r)| {
                        let size = c.data_bytes.get(k).map_or(String::new(), |b| format!(", {}", kib(*b)));
                        format!("{}{size}, SHA-256 {}…", r.name, &r.hex()[..16])
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = ev.target().expect("an input").unchecked_into();
        if let Some(list) = input.files() {
            choose(d, (0..list.length()).filter_map(|i| list.get(i)).collect());
        }
        input.set_value("");
    };
    let baselines = move || {
        let metric = lab.cfg.with(|c| c.task.about().metric_name);
        d.bars.get().map(|b| {
            b.baselines
                .iter()
                .map(|(n, v)| format!("{} {}", baseline_name(n), number(*v)))
                .collect::<Vec<_>>()
                .join(", ")
                + &format!(" (test {metric})")
        })
    };
    view! {
        <section class="data" id="data" aria-label="Your data">
            <Show when=move || needs.get() || d.info.with(Option::is_some)>
                <h3>"Your data"</h3>
            </Show>
            <Show when=move || wanted().is_some()>
                <p class="notice" id="data-wanted">"This link was made with "{move || wanted().unwrap_or_default().join(" and ")}
                    ". A link cannot carry data: choose the same file(s) to reproduce it."</p>
            </Show>
            <label class="control" for="data-file">
                <span class="name">"Open a file: .ts, UCR .tsv (a TRAIN/TEST pair together), .csv or .txt — or drop it here"</span>
                <input type="file" id="data-file" multiple accept=".ts,.tsv,.csv,.txt,text/plain,text/csv" on:change=on_change/>
            </label>
            <p class="hint">"It is read in this page and never uploaded: the address names it by its SHA-256."</p>
            <Show when=move || d.problem.get().is_some()>
                <p class="notice error" id="data-problem" role="alert">{move || d.problem.get()}</p>
            </Show>
            <Show when=move || lab.cfg.with(|c| c.uses_data()) && d.info.with(Option::is_some)>
                <div class="data-summary" id="data-summary">
                    {move || d.info.get().map(|i| describe(&i).into_iter().map(|l| view! { <p>{l}</p> }).collect_view())}
                    <p id="data-baselines">{move || baselines().map(|b| format!("Baselines: {b}."))}</p>
                </div>
            </Show>
        </section>
    }
}

/// A column picker (forecast): which column to forecast, and which others to read.
#[component]
pub fn Columns() -> impl IntoView {
    let lab = lab();
    let d = lab.data;
    let columns = move || {
        d.info.with(|i| {
            i.as_ref().map(|i| i.columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    let shown =
        move || lab.cfg.with(|c| c.task == TaskKind::Forecast && c.uses_data()) && !columns().is_empty();
    view! {
        <Show when=shown>
            <label class="control" for="ctl-column">
                <span class="name">"Column to forecast"</span>
                <select id="ctl-column" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    lab.cfg.update(|c| { c.column = Some(v.clone()); c.inputs.retain(|i| *i != v); });
                }>
                    {move || columns().into_iter().map(|n| {
                        let selected = lab.cfg.with(|c| c.column.as_deref() == Some(n.as_str()));
                        view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="archs" id="ctl-inputs">
                <legend>"Other columns to read"</legend>
                {move || columns().into_iter().filter(|n| lab.cfg.with(|c| c.column.as_deref() != Some(n.as_str()))).map(|n| {
                    let name = n.clone();
                    let on = move || lab.cfg.with(|c| c.inputs.contains(&name));
                    let name2 = n.clone();
                    let toggle = move |ev| {
                        let checked = event_target_checked(&ev);
                        lab.cfg.update(|c| {
                            c.inputs.retain(|i| *i != name2);
                            if checked { c.inputs.push(name2.clone()); }
                        });
                    };
                    view! { <label class="check"><input type="checkbox" prop:checked=on on:change=toggle/>{n}</label> }
                }).collect_view()}
            </fieldset>
        </Show>
    }
}
