//! The Sweep view: every run of a sweep config (archs x cells x lengths x learning rates x
//! seeds) trained to its budget on a pool of workers, or a sweep.json opened from a file;
//! then the verdict, the charts and the table, all from the results' own config.

mod charts;
pub(crate) mod open;
pub(crate) mod runner;
mod table;

use super::{cores, lab};
use crate::config::keys::{key, Ui};
use crate::config::Config;
use crate::config::Plan;
use crate::experiment::files::sweep::SweepFile;
use crate::experiment::job::Job;
use crate::experiment::plan::{estimate, jobs, stages, whole};
use crate::experiment::summary::Summary;
use crate::limits::{check_sweep, describe, work, PAGE_GFLOPS};
use crate::nn::arithmetic::Arithmetic;
use crate::run::RunSpec;
use leptos::prelude::*;

/// Where a sweep's results came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Ran,
    File(String),
}

/// One stage of a sweep (the grid, the confirmation): its jobs and what has come back.
#[derive(Clone, Debug, PartialEq)]
pub struct StageRows {
    pub jobs: Vec<Job>,
    pub rows: Vec<Option<Summary>>,
}

impl StageRows {
    pub fn complete(&self) -> bool {
        self.rows.iter().all(Option::is_some)
    }
}

/// A sweep's results with the config they belong to (never the live one: changing the
/// controls after a sweep does not relabel it), stage by stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub config: Config,
    pub stages: Vec<StageRows>,
    pub source: Source,
}

impl Results {
    /// The grid's finished runs (what the charts show).
    pub fn grid(&self) -> Vec<Summary> {
        self.stages.first().map_or(Vec::new(), |s| s.rows.iter().flatten().cloned().collect())
    }

    /// Its runs' arithmetic: fused for a file from `gatelab --fast`, exact for the page's runs.
    pub fn arithmetic(&self) -> Arithmetic {
        Arithmetic::of(self.stages.iter().flat_map(|s| s.rows.iter().flatten()).map(|r| &r.arithmetic))
    }

    /// Every finished run with its place: (stage, index in the stage, row), in stage order.
    pub fn rows(&self) -> Vec<(usize, usize, Summary)> {
        let mut out = Vec::new();
        for (k, s) in self.stages.iter().enumerate() {
            out.extend(s.rows.iter().enumerate().filter_map(|(i, r)| Some((k, i, r.clone()?))));
        }
        out
    }

    /// The file these results make: complete stages only.
    pub fn file(&self) -> SweepFile {
        let complete = self.stages.iter().take_while(|s| s.complete());
        SweepFile::new(&self.config, complete.map(|s| s.rows.iter().flatten().cloned().collect()).collect())
    }

    /// The search's file: every stage that is complete.
    pub fn search_file(&self) -> crate::experiment::files::search::SearchFile {
        let complete: Vec<Vec<Summary>> = self
            .stages
            .iter()
            .take_while(|s| s.complete())
            .map(|s| s.rows.iter().flatten().cloned().collect())
            .collect();
        crate::experiment::files::search::SearchFile::new(&self.config, &complete)
    }

    /// Whether every stage of the plan has run.
    pub fn finished(&self) -> bool {
        self.stages.len() == stages(&self.config).len() && self.stages.iter().all(StageRows::complete)
    }
}

/// The Sweep view's state, kept by the page across tab switches.
#[derive(Clone, Copy)]
pub struct SweepState {
    pub results: RwSignal<Option<Results>>,
    pub steps: RwSignal<Vec<usize>>,
    pub running: RwSignal<bool>,
    pub started_ms: RwSignal<f64>,
    pub finished_ms: RwSignal<f64>,
    pub refusal: RwSignal<Option<String>>,
    /// Start the search as soon as its view shows (a search finding opened from the gallery).
    pub autorun: RwSignal<bool>,
}

/// A row of toggles editing one list key of the config (its Sweep chips in the key table).
fn list_toggles(name: &'static str, label: &'static str) -> impl IntoView {
    let lab = lab();
    let k = key(name).expect("a list key");
    let Ui::Slider { chips, show, .. } = k.ui else { return ().into_any() };
    let values = move |c: &Config| (k.get)(c).numbers();
    let set = move |c: &mut Config, list: Vec<f64>| *c = c.with(k, k.kind.from_numbers(&list));
    // The key table's chips, and any other value the sweep holds (from a link or a file), so
    // every swept value can be seen and switched off.
    let all = move || {
        let mut v: Vec<f64> = chips.to_vec();
        for x in lab.cfg.with(values) {
            if !v.iter().any(|c| (c - x).abs() <= 1e-6 * x.abs()) {
                v.push(x);
            }
        }
        v.sort_by(f64::total_cmp);
        v
    };
    view! {
        <fieldset class="toggles-row" id=format!("sweep-{name}")>
            <legend>{label}</legend>
            {move || all().into_iter().map(|v| {
                let close = move |x: &f64| (x - v).abs() <= 1e-6 * v.abs();
                let on = move || lab.cfg.with(|c| values(c).iter().any(close));
                let toggle = move |_| lab.cfg.update(|c| {
                    let mut l = values(c);
                    if l.iter().any(close) { if l.len() > 1 { l.retain(|x| !close(x)); } } else { l.push(v); l.sort_by(f64::total_cmp); }
                    set(c, l);
                });
                view! { <button class="chip" class:on=on aria-pressed=move || on().to_string() on:click=toggle>{show(v)}</button> }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

impl SweepState {
    pub fn new() -> SweepState {
        SweepState {
            results: RwSignal::new(None),
            steps: RwSignal::new(Vec::new()),
            running: RwSignal::new(false),
            started_ms: RwSignal::new(0.0),
            finished_ms: RwSignal::new(0.0),
            refusal: RwSignal::new(None),
            autorun: RwSignal::new(false),
        }
    }
}

#[component]
pub fn SweepView() -> impl IntoView {
    let lab = lab();
    let s = expect_context::<SweepState>();
    let runner = runner::Runner::new(lab, s);
    on_cleanup(move || runner::cancel(runner));
    let estimate = move || {
        lab.cfg.with(|c| {
            let specs = RunSpec::all(c);
            let w = work(c, &specs);
            // Judged as the Run button judges it: the confirmation counts too.
            let refused = check_sweep(&whole(c, &jobs(c, 0, &[]))).err().map_or(String::new(), |e| format!(" — refused: {e}"));
            let confirm = estimate(c)
                .get(1)
                .map_or(" No confirmation (confirm=0): the verdict will say it is not confirmed.".to_string(), |e| {
                    format!(" Then each architecture's best setting on {} fresh seeds: up to {} runs, {:.1} GFLOP.", c.confirm, e.1, e.2)
                });
            format!("{}{refused}.{confirm}", describe(&w, cores(), PAGE_GFLOPS))
        })
    };
    // Labelled sequences have their own lengths: no length to sweep.
    let names_len = Memo::new(move |_| lab.cfg.with(Config::names_len));
    let tick = runner::ticker();
    let verdict_lines = move || {
        s.results.with(|r| {
            r.as_ref()
                .filter(|r| r.stages.first().is_some_and(StageRows::complete))
                .map_or(Vec::new(), |r| r.file().verdict.into_iter().map(|v| v.text).collect())
        })
    };
    view! {
        <section class="panel" aria-label="Sweep" on:dragover=open::on_dragover on:drop=move |ev| open::on_drop(ev, s)>
            <h2>"Sweep: cells x lengths x learning rates, over seeds"</h2>
            <p class="hint">"Every combination below, for every checked architecture and every seed, trained to the step \
                budget on all cores. Each architecture is then judged at its own best setting (by median validation loss \
                over seeds, never by test): so \"LSTM or GRU?\" compares each at its best, and shows each one's best cell count."</p>
            {list_toggles("cells", "Cells")}
            {move || names_len.get().then(|| list_toggles("len", "Sequence lengths"))}
            {list_toggles("lr", "Learning rates")}
            <p class="estimate" id="sweep-estimate">{estimate}</p>
            <div class="transport">
                <button id="sweep-run" class="primary" on:click=move |_| runner::start(runner) disabled=move || s.running.get()>"▶ Run sweep"</button>
                <button id="sweep-cancel" on:click=move |_| runner::cancel(runner) disabled=move || !s.running.get()>"■ Cancel"</button>
                <span class="status" id="sweep-status">{move || { tick.get(); runner::progress(s) }}</span>
            </div>
            <open::OpenFile s=s/>
            <Show when=move || s.refusal.get().is_some()>
                <p class="notice error" id="sweep-refusal">{move || s.refusal.get()}</p>
            </Show>
        </section>
        <Show when=move || s.results.with(|r| r.as_ref().is_some_and(|r| r.config.plan() != Plan::Search && !r.rows().is_empty()))>
            <section class="panel" aria-label="Verdict">
                <h2>"Verdict"</h2>
                <p class="hint" id="sweep-source">{move || s.results.with(|r| match r.as_ref().map(|r| &r.source) {
                    Some(Source::File(name)) => format!("Results from the file {name} (a link cannot carry a file: share the file itself). \
                        The controls were set to its query."),
                    _ => "Results of the sweep run in this page.".to_string(),
                })}</p>
                {move || s.results.with(|r| r.as_ref().and_then(|r| r.arithmetic().caveat()))
                    .map(|c| view! { <p class="notice" id="sweep-arithmetic">{c}</p> })}
                <p class="hint">"A setting chosen as the best on some seeds looks better on them than it is (the winner's curse), \
                    so each architecture's best setting is trained again on fresh seeds and only those judge the winner."</p>
                <ul id="sweep-verdict">{move || verdict_lines().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            </section>
            <charts::SweepCharts s=s/>
            <table::SweepTable s=s/>
        </Show>
    }
}
