//! The sweep: every (arch, cells, length, seed) of the config, trained to its budget on a pool
//! of Web Workers (one per core), then charted against cell count, parameter count and length.

use super::bridge::WorkerLink;
use super::charts::chart_canvas;
use super::plots::lines::{Band, Chart, Line, Marker};
use super::{color, lab, Lab};
use crate::config::Config;
use crate::nn::Arch;
use crate::protocol::{FromWorker, ToWorker};
use crate::run::RunSpec;
use crate::sweep::{check_bounds, estimate_gflop, Summary, CSV_HEADER};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};

thread_local! {
    static POOL: RefCell<Vec<WorkerLink>> = const { RefCell::new(Vec::new()) };
    static NEXT: Cell<usize> = const { Cell::new(0) };
    /// Which sweep the pool serves: a message still queued from a cancelled sweep's worker
    /// carries an older number and is dropped.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// Wasm training speed assumed for the time estimate before a sweep has measured its own.
const ASSUMED_GFLOPS_PER_WORKER: f64 = 1.5;

#[derive(Clone, Copy)]
struct SweepState {
    specs: RwSignal<Vec<RunSpec>>,
    results: RwSignal<Vec<Option<Summary>>>,
    steps: RwSignal<Vec<usize>>,
    running: RwSignal<bool>,
    started_ms: RwSignal<f64>,
    finished_ms: RwSignal<f64>,
    refusal: RwSignal<Option<String>>,
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn workers() -> usize {
    (window().navigator().hardware_concurrency() as usize).clamp(1, 8)
}

/// Gives worker `w` the next run, if any is left.
fn dispatch(w: usize, query: &str, specs: &[RunSpec]) {
    let k = NEXT.with(|n| n.get());
    if let Some(&spec) = specs.get(k) {
        NEXT.with(|n| n.set(k + 1));
        POOL.with(|p| {
            if let Some(link) = p.borrow().get(w) {
                link.send(&ToWorker::Sweep { id: k, query: query.to_string(), spec });
            }
        });
    }
}

fn cancel(s: SweepState) {
    GENERATION.with(|g| g.set(g.get() + 1));
    POOL.with(|p| p.borrow_mut().drain(..).for_each(|w| w.terminate()));
    s.running.set(false);
}

fn start(lab: Lab, s: SweepState) {
    let c = lab.cfg.get_untracked();
    if let Err(e) = check_bounds(&c) {
        s.refusal.set(Some(e));
        return;
    }
    cancel(s);
    s.refusal.set(None);
    let specs = RunSpec::all(&c);
    let query = c.to_string();
    s.results.set(vec![None; specs.len()]);
    s.steps.set(vec![0; specs.len()]);
    s.specs.set(specs.clone());
    s.started_ms.set(now_ms());
    s.running.set(true);
    NEXT.with(|n| n.set(0));
    let n = workers().min(specs.len());
    let generation = GENERATION.with(Cell::get);
    for w in 0..n {
        let (q, sp) = (query.clone(), specs.clone());
        let link = WorkerLink::new(move |msg| match msg {
            _ if GENERATION.with(Cell::get) != generation => {}
            FromWorker::SweepProgress { id, step } => s.steps.update(|v| v[id] = step),
            FromWorker::SweepDone { id, summary } => {
                s.steps.update(|v| v[id] = summary.steps);
                s.results.update(|r| r[id] = Some(summary));
                if s.results.with_untracked(|r| r.iter().all(Option::is_some)) {
                    s.finished_ms.set(now_ms());
                    cancel(s);
                } else {
                    dispatch(w, &q, &sp);
                }
            }
            FromWorker::Error { message } => {
                lab.error.set(Some(message));
                cancel(s);
            }
            _ => {}
        });
        match link {
            Ok(l) => POOL.with(|p| p.borrow_mut().push(l)),
            Err(e) => {
                lab.error.set(Some(e));
                return;
            }
        }
    }
    for w in 0..n {
        dispatch(w, &query, &specs);
    }
}

/// Share of the way from chance to a perfect metric that counts as solving the task.
const SOLVED: f64 = 0.9;

const CELL_CHOICES: &[usize] = &[1, 2, 4, 8, 16, 32, 64, 128, 256];
const LEN_CHOICES: &[usize] = &[5, 10, 20, 30, 50, 100, 200];

/// A row of toggles editing one list of the config.
fn list_toggles(
    label: &'static str,
    id: &'static str,
    choices: &'static [usize],
    get: fn(&Config) -> &Vec<usize>,
    set: fn(&mut Config, Vec<usize>),
) -> impl IntoView {
    let lab = lab();
    view! {
        <fieldset class="toggles-row" id=id>
            <legend>{label}</legend>
            {choices.iter().map(|&v| {
                let on = move || lab.cfg.with(|c| get(c).contains(&v));
                let toggle = move |_| lab.cfg.update(|c| {
                    let mut l = get(c).clone();
                    if l.contains(&v) { if l.len() > 1 { l.retain(|x| *x != v); } } else { l.push(v); l.sort(); }
                    set(c, l);
                });
                view! { <button class="chip" class:on=on aria-pressed=move || on().to_string() on:click=toggle>{v}</button> }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn SweepView() -> impl IntoView {
    let lab = lab();
    let s = SweepState {
        specs: RwSignal::new(Vec::new()),
        results: RwSignal::new(Vec::new()),
        steps: RwSignal::new(Vec::new()),
        running: RwSignal::new(false),
        started_ms: RwSignal::new(0.0),
        finished_ms: RwSignal::new(0.0),
        refusal: RwSignal::new(None),
    };
    on_cleanup(move || cancel(s));
    let estimate = move || {
        lab.cfg.with(|c| {
            let runs = RunSpec::all(c).len();
            let gflop = estimate_gflop(c);
            let secs = gflop / (ASSUMED_GFLOPS_PER_WORKER * workers().min(runs.max(1)) as f64);
            let time = if secs < 90.0 { format!("{secs:.0} s") } else { format!("{:.0} min", secs / 60.0) };
            let verdict = check_bounds(c).err().map_or(String::new(), |e| format!(" — refused: {e}"));
            format!("{runs} runs, about {gflop:.1} GFLOP: roughly {time} on {} workers{verdict}", workers())
        })
    };
    let progress = move || {
        let total: usize = s.specs.with(|v| v.len());
        let done = s.results.with(|r| r.iter().filter(|x| x.is_some()).count());
        if total == 0 {
            return String::new();
        }
        let budget = lab.cfg.with_untracked(|c| c.steps) * total;
        let steps: usize = s.steps.with(|v| v.iter().sum());
        let end = if s.running.get() { now_ms() } else { s.finished_ms.get() };
        let elapsed = (end - s.started_ms.get()) / 1000.0;
        let left = if steps > 0 && s.running.get() {
            elapsed * (budget - steps.min(budget)) as f64 / steps as f64
        } else {
            0.0
        };
        let verb = if s.running.get() {
            "running"
        } else if done == total {
            "done"
        } else {
            "cancelled"
        };
        format!(
            "{done} / {total} runs {verb} · {elapsed:.1} s elapsed{}",
            if s.running.get() { format!(" · about {left:.0} s left") } else { String::new() }
        )
    };
    // Re-render the progress line while running (the elapsed time moves on its own); the timer
    // goes with the view, or it would touch disposed signals after a switch to Compare.
    let tick = RwSignal::new(0u32);
    let timer = set_interval_with_handle(
        move || {
            if s.running.get_untracked() {
                tick.update(|t| *t += 1)
            }
        },
        std::time::Duration::from_millis(500),
    );
    if let Ok(timer) = timer {
        on_cleanup(move || timer.clear());
    }
    view! {
        <section class="panel sweep" aria-label="Sweep">
            <h2>"Sweep: which architecture, at which size?"</h2>
            <p class="hint">"Every architecture at every cell count, over several seeds (and lengths): the best cell \
                count of one is rarely the best of the other. Task, step budget and training settings come from the controls."</p>
            {list_toggles("Cell counts", "sweep-cells", CELL_CHOICES, |c| &c.cells, |c, v| c.cells = v)}
            {list_toggles("Sequence lengths", "sweep-lens", LEN_CHOICES, |c| &c.lens, |c, v| c.lens = v)}
            <label class="control" for="sweep-seeds">
                <span class="name">"Seeds per point"</span>
                <output class="value">{move || lab.cfg.with(|c| c.seeds)}</output>
                <input type="range" id="sweep-seeds" min="1" max="10" prop:value=move || lab.cfg.with(|c| c.seeds.to_string())
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            lab.cfg.update(|c| c.seeds = v)
                        }
                    }/>
            </label>
            <p class="estimate" id="sweep-estimate">{estimate}</p>
            <div class="transport">
                <button id="sweep-run" class="primary" on:click=move |_| start(lab, s) disabled=move || s.running.get()>"▶ Run sweep"</button>
                <button id="sweep-cancel" on:click=move |_| cancel(s) disabled=move || !s.running.get()>"■ Cancel"</button>
                <span class="status" id="sweep-status">{move || { tick.get(); progress() }}</span>
            </div>
            <Show when=move || s.refusal.get().is_some()>
                <p class="notice error" id="sweep-refusal">{move || s.refusal.get()}</p>
            </Show>
        </section>
        <SweepCharts s=s/>
        <SweepTable s=s/>
    }
}

/// (x, mean, min, max) of `y` over seeds, per x, for one architecture (and one length).
fn spread(
    rows: &[Summary],
    arch: Arch,
    len: usize,
    x: fn(&Summary) -> f64,
    y: fn(&Summary) -> f64,
) -> Vec<(f64, f64, f64, f64)> {
    let mut xs: Vec<f64> = rows.iter().filter(|r| r.arch == arch && r.len == len).map(x).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs.into_iter()
        .map(|xv| {
            let ys: Vec<f64> = rows
                .iter()
                .filter(|r| r.arch == arch && r.len == len && x(r) == xv)
                .map(y)
                .filter(|v| v.is_finite())
                .collect();
            let mean = ys.iter().sum::<f64>() / ys.len().max(1) as f64;
            let lo = ys.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = ys.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            (xv, mean, lo, hi)
        })
        .filter(|p| p.1.is_finite())
        .collect()
}

fn by_size(
    rows: &[Summary],
    archs: &[Arch],
    len: usize,
    x: fn(&Summary) -> f64,
    y: fn(&Summary) -> f64,
    lower_is_better: bool,
) -> (Vec<Line>, Vec<Band>, Vec<Marker>) {
    let (mut lines, mut bands, mut marks) = (Vec::new(), Vec::new(), Vec::new());
    for &a in archs {
        let pts = spread(rows, a, len, x, y);
        let best = pts.iter().cloned().reduce(|b, p| if (p.1 < b.1) == lower_is_better { p } else { b });
        if let Some(b) = best {
            marks.push((b.0, b.1, color(a)));
        }
        bands.push(Band { color: color(a), points: pts.iter().map(|p| (p.0, p.2, p.3)).collect() });
        let label = format!(
            "{} (best at {})",
            a.name().to_uppercase(),
            best.map_or(String::new(), |b| format!("{}", b.0))
        );
        lines.push(Line {
            label,
            color: color(a),
            points: pts.iter().map(|p| (p.0, p.1)).collect(),
            width: 2,
            dashed: false,
            faint: false,
        });
    }
    (lines, bands, marks)
}

#[component]
fn SweepCharts(s: SweepState) -> impl IntoView {
    let lab = lab();
    let rows = move || s.results.with(|r| r.iter().flatten().cloned().collect::<Vec<Summary>>());
    let shared = move || lab.cfg.with(|c| (c.archs.clone(), c.lens[0], c.task(), c.lens.len() > 1));
    let loss_vs = move |x: fn(&Summary) -> f64, x_label: &'static str| {
        move || {
            let (archs, len, task, _) = shared();
            let (lines, bands, markers) = by_size(&rows(), &archs, len, x, |r| r.val_loss, true);
            let baseline = Some((task.baseline_loss(len), "chance".to_string()));
            Chart {
                log_y: true,
                log_x: true,
                baseline,
                bands,
                markers,
                ..Chart::new(x_label, "final validation loss", lines)
            }
        }
    };
    let metric_vs_cells = move || {
        let (archs, len, task, _) = shared();
        let (lines, bands, markers) =
            by_size(&rows(), &archs, len, |r| r.hidden as f64, |r| r.val_metric, false);
        let baseline = Some((task.baseline_metric(), "chance".to_string()));
        let y = task.kind.about().metric_name;
        Chart {
            log_x: true,
            baseline,
            bands,
            markers,
            y_range: Some((0.0, 1.0)),
            ..Chart::new("cells", y, lines)
        }
    };
    let metric_vs_len = move || {
        let (archs, _, task, _) = shared();
        let all = rows();
        let chance = task.baseline_metric();
        let (mut lines, mut markers) = (Vec::new(), Vec::new());
        for &a in &archs {
            // At each length, the best cell count's mean metric over seeds.
            let mut lens: Vec<usize> = all.iter().filter(|r| r.arch == a).map(|r| r.len).collect();
            lens.sort();
            lens.dedup();
            let pts: Vec<(f64, f64)> = lens
                .iter()
                .filter_map(|&l| {
                    let best = spread(&all, a, l, |r| r.hidden as f64, |r| r.val_metric)
                        .iter()
                        .map(|p| p.1)
                        .reduce(f64::max);
                    best.map(|m| (l as f64, m))
                })
                .collect();
            // Solved: at least 90% of the way from chance to a perfect score.
            let solved = pts.iter().take_while(|p| (p.1 - chance) / (1.0 - chance) >= SOLVED).last().copied();
            let note = solved.map_or("solves none".to_string(), |p| format!("solves up to len {}", p.0));
            if let Some(p) = solved {
                markers.push((p.0, p.1, color(a)));
            }
            let label = format!("{} ({note})", a.name().to_uppercase());
            lines.push(Line { label, color: color(a), points: pts, width: 2, dashed: false, faint: false });
        }
        let baseline = Some((chance, "chance".to_string()));
        let c = Chart::new("sequence length", "best metric over cell counts", lines);
        Chart { log_x: true, baseline, markers, y_range: Some((0.0, 1.0)), ..c }
    };
    view! {
        <Show when=move || s.results.with(|r| r.iter().any(Option::is_some))>
            <section class="panel" aria-label="Sweep charts">
                <h2>"Results"</h2>
                <p class="hint">"Lines: mean over seeds; bands: min to max; circles: each architecture's best point."
                    {move || lab.cfg.with(|c| if c.lens.len() > 1 { format!(" Size charts at length {}.", c.lens[0]) } else { String::new() })}</p>
                <div class="charts">
                    <figure>{chart_canvas("sweep-loss-cells", "Validation loss against cell count", loss_vs(|r| r.hidden as f64, "cells"))}</figure>
                    <figure>{chart_canvas("sweep-loss-params", "Validation loss against parameter count", loss_vs(|r| r.params as f64, "parameters"))}</figure>
                    <figure>{chart_canvas("sweep-metric-cells", "Metric against cell count", metric_vs_cells)}</figure>
                    <Show when=move || shared().3>
                        <figure>{chart_canvas("sweep-metric-len", "Metric against sequence length", metric_vs_len)}</figure>
                    </Show>
                </div>
            </section>
        </Show>
    }
}

#[component]
fn SweepTable(s: SweepState) -> impl IntoView {
    let sort = RwSignal::new((6usize, true));
    let sorted = move || {
        let (k, asc) = sort.get();
        let mut rows: Vec<Summary> = s.results.with(|r| r.iter().flatten().cloned().collect());
        rows.sort_by(|a, b| {
            let o = a.column(k).0.total_cmp(&b.column(k).0);
            if asc {
                o
            } else {
                o.reverse()
            }
        });
        rows
    };
    let csv = move |_| {
        let rows: Vec<String> = s.results.with(|r| r.iter().flatten().map(Summary::csv_row).collect());
        super::export::download(
            "gatelab-sweep.csv",
            "text/csv",
            &format!("{CSV_HEADER}\n{}\n", rows.join("\n")),
        );
    };
    view! {
        <Show when=move || s.results.with(|r| r.iter().any(Option::is_some))>
            <section class="panel" aria-label="Sweep table">
                <div class="panel-head">
                    <h2>"All runs"</h2>
                    <button id="sweep-csv" on:click=csv>"Table (CSV)"</button>
                </div>
                <div class="table-wrap">
                    <table class="stats" id="sweep-table">
                        <thead><tr>{Summary::COLUMNS.iter().enumerate().map(|(k, name)| view! {
                            <th><button class="sort" on:click=move |_| sort.update(|s| *s = (k, if s.0 == k { !s.1 } else { true }))>
                                {*name}{move || { let (sk, asc) = sort.get(); if sk == k { if asc { " ▲" } else { " ▼" } } else { "" } }}
                            </button></th>
                        }).collect_view()}</tr></thead>
                        <tbody>{move || sorted().into_iter().map(|r| view! {
                            <tr data-arch=r.arch.name() data-hidden=r.hidden data-seed=r.seed data-len=r.len
                                data-val=r.val_loss.to_string() data-metric=r.val_metric.to_string()>{(0..Summary::COLUMNS.len()).map(|k| view! { <td>{r.column(k).1}</td> }).collect_view()}</tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}
