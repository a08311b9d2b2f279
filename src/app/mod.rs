//! The page: Leptos components that render what the training workers report. Nothing here
//! trains; every number drawn comes from the workers' `Record`s and probes, shaped by the
//! library (`figures`, `evidence`, `verdict`).

mod ablation;
mod atlas;
mod bench;
mod bridge;
mod cells;
mod charts;
mod controls;
mod corpus;
mod data;
mod download;
mod export;
mod finding;
mod gates;
mod handoff;
mod plots;
mod pool;
mod samples;
mod search;
mod share;
mod sweep;
mod trainer;
mod transport;
pub mod views;

use crate::config::Plan;
use crate::config::{parse_lenient, Config};
use crate::experiment::summary::Summary;
use crate::nn::Arch;
use crate::protocol::RunInfo;
use crate::run::{ProbeView, Record, RunState};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One run (architecture x seed) as the page knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub info: RunInfo,
    pub records: Vec<Record>,
    pub state: RunState,
    pub step: usize,
    pub seconds: f64,
    /// The worker's summary once the run has stopped (the CLI's row for the same run).
    pub summary: Option<Summary>,
}

impl RunView {
    pub fn arch(&self) -> Arch {
        self.info.spec.arch
    }
    pub fn seed(&self) -> u64 {
        self.info.spec.seed
    }
    /// Milliseconds per training step so far (NaN before the first).
    pub fn ms_per_step(&self) -> f64 {
        if self.step == 0 {
            f64::NAN
        } else {
            1000.0 * self.seconds / self.step as f64
        }
    }
}

/// The page's state, handed down by context: each signal is changed in one place (the
/// trainer writes runs, probes and samples; the controls write the config).
#[derive(Clone, Copy)]
pub struct Lab {
    pub cfg: RwSignal<Config>,
    pub runs: RwSignal<Vec<RunView>>,
    /// The latest probe of each run of the probed seed: changes only when a probe arrives,
    /// so the heatmaps and the gradient-flow chart redraw only then.
    pub probes: RwSignal<Vec<(RunInfo, ProbeView)>>,
    /// Text written by each run of the probed seed (text task).
    pub samples: RwSignal<Vec<(RunInfo, String)>>,
    /// Which seed the heatmaps, gradient flow and samples show.
    pub probe_seed: RwSignal<u64>,
    pub playing: RwSignal<bool>,
    /// Rounds of training sent to the workers so far, and how many workers are on one now.
    pub rounds: RwSignal<(u32, usize)>,
    pub example: RwSignal<usize>,
    /// Problems with the link, and refusals: shown above everything, each naming its key.
    pub notices: RwSignal<Vec<String>>,
    /// A run could not start (past the limits, a corpus that did not load).
    pub refusal: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
    pub time_axis: RwSignal<bool>,
    /// Which view shows; the address holds it (`#sweep`), both ways.
    pub view: RwSignal<View>,
    pub log_y: RwSignal<bool>,
    /// Each seed's own curve, faint, beside the median.
    pub show_seeds: RwSignal<bool>,
    /// The user's data: its files, what they hold, its bars.
    pub data: data::DataState,
}

impl Lab {
    /// The state an address opens: its experiment (problems with it as notices) and its view
    /// (`#sweep`; without one, the view the experiment asks for).
    pub fn new(search: &str, hash: &str) -> Lab {
        let (cfg, notes) = parse_lenient(search);
        let natural = match cfg.plan() {
            Plan::Search => View::Search,
            Plan::Sweep => View::Sweep,
            Plan::Train => View::Compare,
        };
        Lab {
            probe_seed: RwSignal::new(cfg.seed),
            view: RwSignal::new(View::from_hash(hash).unwrap_or(natural)),
            cfg: RwSignal::new(cfg),
            runs: RwSignal::new(Vec::new()),
            probes: RwSignal::new(Vec::new()),
            samples: RwSignal::new(Vec::new()),
            playing: RwSignal::new(false),
            rounds: RwSignal::new((0, 0)),
            example: RwSignal::new(0),
            notices: RwSignal::new(notes.iter().map(|n| n.to_string()).collect()),
            refusal: RwSignal::new(None),
            error: RwSignal::new(None),
            time_axis: RwSignal::new(false),
            log_y: RwSignal::new(true),
            show_seeds: RwSignal::new(true),
            data: data::DataState::new(),
        }
    }

    /// The address of this experiment and view: `?query#view`.
    pub fn address(&self) -> String {
        format!("?{}{}", self.cfg.get(), self.view.get().hash())
    }

    /// Takes the experiment and view of an address the other module sent (`?query#view`).
    pub fn follow(&self, address: &str) {
        let (query, hash) = address.split_once('#').map_or((address, ""), |(q, h)| (q, h));
        let (mut cfg, _) = parse_lenient(query);
        self.data.bind(&mut cfg);
        if self.cfg.with_untracked(|c| *c != cfg) {
            self.cfg.set(cfg);
        }
        let view = View::from_hash(&format!("#{hash}")).unwrap_or(View::Compare);
        if self.view.get_untracked() != view {
            self.view.set(view);
        }
    }
}

pub fn lab() -> Lab {
    expect_context::<Lab>()
}

/// Each architecture's colours: for lines and fills, and a darker shade that reads at WCAG AA
/// contrast on white. The LSTM family in blues and violets, the GRU family in oranges and reds.
fn colors(arch: Arch) -> [(u8, u8, u8); 2] {
    match arch {
        Arch::Lstm => [(37, 99, 235), (29, 78, 216)],
        Arch::LstmPh => [(79, 70, 229), (67, 56, 202)],
        Arch::LstmNig => [(14, 165, 233), (3, 105, 161)],
        Arch::LstmNfg => [(124, 58, 237), (109, 40, 217)],
        Arch::LstmNog => [(8, 145, 178), (14, 116, 144)],
        Arch::LstmNiaf => [(147, 51, 234), (126, 34, 206)],
        Arch::LstmNoaf => [(30, 64, 175), (30, 64, 175)],
        Arch::LstmCifg => [(192, 38, 211), (162, 28, 175)],
        Arch::LstmFgr => [(71, 85, 105), (51, 65, 85)],
        Arch::MinLstm => [(219, 39, 119), (190, 24, 93)],
        Arch::Gru => [(234, 88, 12), (194, 65, 12)],
        Arch::Mgu => [(220, 38, 38), (185, 28, 28)],
        Arch::MinGru => [(202, 138, 4), (161, 98, 7)],
        Arch::Rnn => [(22, 163, 74), (21, 128, 61)],
    }
}

/// Fixed colour of each architecture on every chart.
pub fn color(arch: Arch) -> (u8, u8, u8) {
    colors(arch)[0]
}

pub fn css_color(arch: Arch) -> String {
    let (r, g, b) = color(arch);
    format!("rgb({r},{g},{b})")
}

/// The CSS variables of an architecture's colour: `--arch` for lines and borders, and a
/// darker `--arch-text` that reads at WCAG AA contrast on white.
pub fn arch_style(arch: Arch) -> String {
    let (r, g, b) = colors(arch)[1];
    format!("--arch:{};--arch-text:rgb({r},{g},{b})", css_color(arch))
}

pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Workers the page uses: one per core the browser reports, at most 8.
pub fn cores() -> usize {
    (window().navigator().hardware_concurrency() as usize).clamp(1, 8)
}

/// Shows a panic in the page as well as in the console: never a silent blank page.
pub(crate) fn panic_hook(info: &std::panic::PanicHookInfo) {
    console_error_panic_hook::hook(info);
    let doc = document();
    if let Some(body) = doc.body() {
        let box_ = doc.create_element("div").expect("div");
        box_.set_id("fatal");
        box_.set_attribute("role", "alert").ok();
        box_.set_text_content(Some(&format!(
            "Gatelab crashed: {info}. Reload the page; if it happens again, the link above reproduces it."
        )));
        body.prepend_with_node_1(&box_).ok();
    }
}

pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
    mount_to_body(App);
    // A hidden hook for the test of the panic message above.
    if window().location().hash().unwrap_or_default() == "#debug-panic" {
        panic!("debug panic requested by #debug-panic");
    }
}

/// The page's views, each with its address: `#sweep`, `#bench`; the compare view has none.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Compare,
    Sweep,
    Search,
    Bench,
    Gatelab,
    Atlas,
}

impl View {
    const ALL: [View; 6] =
        [View::Compare, View::Sweep, View::Search, View::Bench, View::Gatelab, View::Atlas];

    /// A view of one wide column, without the experiment's controls.
    fn single(self) -> bool {
        matches!(self, View::Bench | View::Gatelab | View::Atlas)
    }

    pub fn hash(self) -> &'static str {
        match self {
            View::Compare => "",
            View::Sweep => "#sweep",
            View::Search => "#search",
            View::Bench => "#bench",
            View::Gatelab => "#gatelab",
            View::Atlas => "#atlas",
        }
    }

    /// The view's tab id: `tab-{id}`.
    fn id(self) -> &'static str {
        match self {
            View::Compare => "compare",
            v => &v.hash()[1..],
        }
    }

    fn name(self) -> &'static str {
        match self {
            View::Compare => "Compare",
            View::Sweep => "Sweep",
            View::Search => "Search",
            View::Bench => "Bench",
            View::Gatelab => "Gate lab",
            View::Atlas => "Atlas",
        }
    }

    /// The view an address names (`#compare` too), if any.
    fn from_hash(hash: &str) -> Option<View> {
        match hash {
            "#compare" => Some(View::Compare),
            h => View::ALL.into_iter().find(|v| !v.hash().is_empty() && v.hash() == h),
        }
    }
}

#[component]
fn App() -> impl IntoView {
    let hash = window().location().hash().unwrap_or_default();
    let lab = Lab::new(&window().location().search().unwrap_or_default(), &hash);
    provide_context(lab);
    charts::provide_drawn();
    share::keep_url_in_sync();
    views_follow(lab);
    let tab = lab.view;
    trainer::start(Signal::derive(move || tab.get() == View::Compare));
    if hash == "#debug-crash" {
        // A hidden hook for the browser test of a dying worker.
        trainer::crash_when_training();
    }
    // The address's view, when it changes by hand or by the history.
    let on_hash = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if let Some(v) = View::from_hash(&window().location().hash().unwrap_or_default()) {
            tab.set(v);
        }
    });
    window().add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref()).ok();
    on_hash.forget();
    view! {
        <header class="top">
            <div class="brand">
                <h1>"Gatelab"</h1>
                <p class="tagline">"When should you use an LSTM, and when a GRU? Train both, over several seeds, and see."</p>
            </div>
            <Tabs view=tab/>
        </header>
        <Notices/>
        <Show when=move || tab.get() == View::Compare>
            <transport::Transport/>
        </Show>
        <main class=move || if tab.get().single() { "single" } else { "layout" } id="view" role="tabpanel"
            aria-labelledby=move || format!("tab-{}", tab.get().id())
            on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=move |ev| data::on_drop(lab.data, ev)>
            <aside class="side" hidden=move || tab.get().single()>
                <controls::Controls/>
                <share::Share/>
            </aside>
            <section class="content">
                <Show when=move || tab.get() == View::Compare>
                    <charts::Charts/>
                    <samples::Samples/>
                    <gates::Gates/>
                    <export::Export/>
                </Show>
                // The many-run views' own module mounts here once, and stays.
                <div id=handoff::ROOT hidden=move || tab.get() == View::Compare></div>
                <Show when=move || !tab.get().single()>
                    <p class="hint cells-link">"How each cell works, and the 11 variants that take the LSTM and the GRU \
                        apart: "<a href="#gatelab">"the Gate lab"</a>"."</p>
                    <share::Gallery/>
                    <share::CommandLine/>
                </Show>
            </section>
        </main>
    }
}

/// Keeps the many-run views in step with the page: fetches them the first time one shows,
/// sends them every change of the address, and takes theirs (and their workers' errors).
fn views_follow(lab: Lab) {
    Effect::new(move |_| {
        let text = lab.address();
        if lab.view.get() != View::Compare {
            handoff::load_views(|| (), move |e| lab.error.set(Some(e)));
        }
        handoff::send(handoff::STATE, &text);
    });
    handoff::listen(handoff::CHANGE, move |text| lab.follow(&text));
    handoff::listen(handoff::ERROR, move |e| lab.error.set(Some(e)));
}

/// The view tabs, as the WAI-ARIA tablist pattern: arrow keys, Home and End move between them
/// (the focused tab is the one shown), only the shown tab is in the tab order.
#[component]
fn Tabs(view: RwSignal<View>) -> impl IntoView {
    let refs: Vec<NodeRef<leptos::html::Button>> = View::ALL.iter().map(|_| NodeRef::new()).collect();
    let go = {
        let refs = refs.clone();
        move |k: usize| {
            view.set(View::ALL[k]);
            if let Some(b) = refs[k].get() {
                b.focus().ok();
            }
        }
    };
    let buttons = View::ALL.into_iter().enumerate().map(|(k, t)| {
        let go = go.clone();
        let key = move |ev: web_sys::KeyboardEvent| {
            let n = View::ALL.len();
            let to = match ev.key().as_str() {
                "ArrowRight" => (k + 1) % n,
                "ArrowLeft" => (k + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            ev.prevent_default();
            go(to);
        };
        view! {
            <button role="tab" id=format!("tab-{}", t.id()) node_ref=refs[k] aria-controls="view"
                aria-selected=move || (view.get() == t).to_string() tabindex=move || if view.get() == t { "0" } else { "-1" }
                class:active=move || view.get() == t on:click=move |_| view.set(t) on:keydown=key>{t.name()}</button>
        }
    });
    view! { <nav class="tabs" role="tablist" aria-label="Views">{buttons.collect_view()}</nav> }
}

/// Problems with the link the page was opened with, refusals and worker errors.
#[component]
fn Notices() -> impl IntoView {
    let lab = lab();
    view! {
        <Show when=move || !lab.notices.get().is_empty()>
            <div class="notice" role="status" id="notices">
                <strong>"Some settings in this link were not used as given:"</strong>
                <ul>
                    {move || lab.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <button class="dismiss" on:click=move |_| lab.notices.set(Vec::new())>"Dismiss"</button>
            </div>
        </Show>
        <Show when=move || lab.refusal.get().is_some()>
            <div class="notice error" role="alert" id="refusal">{move || lab.refusal.get()}</div>
        </Show>
        <Show when=move || lab.error.get().is_some()>
            <div class="notice error" role="alert" id="worker-error">
                {move || lab.error.get()}
                <button class="dismiss" on:click=move |_| lab.error.set(None)>"Dismiss"</button>
            </div>
        </Show>
    }
}
