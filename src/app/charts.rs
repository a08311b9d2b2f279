//! The compare view's evidence: the head-to-head over seeds, learning curves (median over
//! seeds, min-max band, each seed faint), the per-architecture stats and the gradient flow.

use super::plots::lines::{Chart, Line};
use super::plots::{fit, lines};
use super::{color, css_color, lab, Lab, RunView};
use crate::experiment::evidence::{head_to_head, live};
use crate::experiment::files::train::TrainFile;
use crate::experiment::summary::Summary;
use crate::figures::bands::{curve, Better, SeedCurve};
use crate::nn::Arch;
use crate::run::{Record, RunState};
use crate::stats::{number, Spread};
use leptos::html::Canvas;
use leptos::prelude::*;

/// The latest chart drawn on each canvas, by id: the export draws them again, legend included.
#[derive(Clone, Copy)]
pub struct Drawn(pub StoredValue<Vec<(String, Chart)>, LocalStorage>);

impl Drawn {
    pub fn get(&self, id: &str) -> Option<Chart> {
        self.0.with_value(|v| v.iter().find(|(i, _)| *i == id).map(|(_, c)| c.clone()))
    }
}

pub fn provide_drawn() {
    provide_context(Drawn(StoredValue::new_local(Vec::new())));
}

/// A canvas redrawn by `make` whenever what it reads changes, with its legend below it (unless
/// `own_legend` is false: charts side by side share one).
pub fn chart_canvas(
    id: impl Into<String>,
    label: impl Into<String>,
    own_legend: bool,
    make: impl Fn() -> Chart + 'static,
) -> impl IntoView {
    let (id, label): (String, String) = (id.into(), label.into());
    let key = id.clone();
    let legend_id = format!("{id}-legend");
    let node = NodeRef::<Canvas>::new();
    let legend = RwSignal::new(Vec::<Entry>::new());
    let drawn = expect_context::<Drawn>();
    Effect::new(move |_| {
        let chart = make();
        legend.set(lines::legend(&chart));
        if let Some(c) = node.get() {
            let ratio = fit(&c, 300);
            if let Err(e) = lines::draw(&c, &chart, ratio, false) {
                web_sys::console::error_1(&format!("chart {key}: {e}").into());
            }
        }
        drawn.0.update_value(|v| {
            v.retain(|(i, _)| *i != key);
            v.push((key.clone(), chart));
        });
    });
    view! {
        <canvas id=id class="chart" node_ref=node role="img" aria-label=label></canvas>
        {own_legend.then(|| view! {
            <ul class="legend-list" id=legend_id>
                {move || legend.get().into_iter().map(legend_item).collect_view()}
            </ul>
        })}
    }
}

fn legend_item((text, (r, g, b), dashed, faint): Entry) -> impl IntoView {
    view! {
        <li class:faint=faint><span class="key" class:dashed=dashed style=format!("border-color:rgb({r},{g},{b})")></span>{text}</li>
    }
}

/// One legend for the loss and metric charts side by side: each architecture's colour, what
/// the line styles mean, and chance.
#[component]
fn CurvesLegend() -> impl IntoView {
    let lab = lab();
    let items = move || {
        let (seeds, test, chance) = lab.cfg.with(|c| {
            let test = if c.uses_data() {
                "the data's test part".to_string()
            } else {
                format!("length {}", c.test_len_for(c.seq_len()))
            };
            (c.seeds, test, c.task().chance_name())
        });
        let mut v: Vec<Entry> = lab.runs.with(|runs| {
            by_arch(runs)
                .into_iter()
                .map(|(a, _)| {
                    let what = if seeds > 1 {
                        format!(" (median of {seeds} seeds, band: min to max)")
                    } else {
                        String::new()
                    };
                    (format!("{}{what}", a.upper()), color(a), false, false)
                })
                .collect()
        });
        v.push(("solid: validation".into(), (80, 80, 80), false, false));
        v.push((format!("dashed: training loss; test metric ({test})"), (80, 80, 80), true, false));
        v.push((format!("grey dashed: {chance}"), (120, 120, 120), true, true));
        v
    };
    view! {
        <ul class="legend-list" id="chart-legend">{move || items().into_iter().map(legend_item).collect_view()}</ul>
    }
}

use super::plots::lines::Entry;

fn x_of(time: bool) -> fn(&Record) -> f64 {
    if time {
        |r| r.seconds
    } else {
        |r| r.step as f64
    }
}

/// Per architecture present: its runs (one per seed).
fn by_arch(runs: &[RunView]) -> Vec<(Arch, Vec<&RunView>)> {
    Arch::ALL
        .into_iter()
        .map(|a| (a, runs.iter().filter(|r| r.arch() == a).collect::<Vec<_>>()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// What a curve shows: its name, its y, and which way is better (where failures go).
struct Series {
    what: String,
    y: fn(&Record) -> f64,
    better: Better,
}

impl Series {
    fn new(what: &str, y: fn(&Record) -> f64, better: Better) -> Series {
        Series { what: what.to_string(), y, better }
    }
}

/// The median line with its band, and each seed's own line (faint) if asked.
fn seeded_lines(
    arch: Arch,
    runs: &[&RunView],
    s: Series,
    time: bool,
    seeds: bool,
    dashed: bool,
) -> Vec<Line> {
    let (what, y, better) = (s.what, s.y, s.better);
    let curves: Vec<SeedCurve> =
        runs.iter().map(|r| SeedCurve { records: &r.records, failed: r.state.failed() }).collect();
    let band = curve(&curves, x_of(time), y, better);
    let n = runs.len();
    let name = arch.upper();
    let label = if n > 1 { format!("{name} {what} (median of {n} seeds)") } else { format!("{name} {what}") };
    let mut main = Line::new(label, color(arch), band.iter().map(|p| (p.x, p.median)).collect());
    main.dashed = dashed;
    if n > 1 && !dashed {
        main.band = band.iter().map(|p| (p.x, p.min, p.max)).collect();
    }
    let mut out = vec![main];
    if seeds && n > 1 && !dashed {
        for r in runs {
            let pts = r.records.iter().map(|x| (x_of(time)(x), y(x))).collect();
            out.push(Line {
                width: 1,
                faint: true,
                legend: false,
                ..Line::new(String::new(), color(arch), pts)
            });
        }
    }
    out
}

/// "training step", or the wall-time axis's name.
fn x_label(lab: Lab) -> String {
    if lab.time_axis.get() { "training time (s)" } else { "training step" }.to_string()
}

/// Training and validation loss per architecture, over steps or time.
fn loss_chart(lab: Lab) -> Chart {
    let (time, seeds) = (lab.time_axis.get(), lab.show_seeds.get());
    let (task, len) = lab.cfg.with(|c| (c.task(), c.seq_len()));
    let lines = lab.runs.with(|runs| {
        by_arch(runs)
            .into_iter()
            .flat_map(|(a, rs)| {
                let mut v = seeded_lines(
                    a,
                    &rs,
                    Series::new("validation", |r| r.val_loss, Better::Lower),
                    time,
                    seeds,
                    false,
                );
                let train = Series::new("training", |r| r.train_loss, Better::Lower);
                v.extend(seeded_lines(a, &rs, train, time, false, true));
                v
            })
            .collect()
    });
    let bar = lab.data.bars.with(|b| b.as_ref().map(|b| b.chance.0)).filter(|_| task.user().is_some());
    let baselines = vec![(bar.unwrap_or_else(|| task.baseline_loss(len)), task.chance_name().to_string())];
    Chart { log_y: lab.log_y.get(), baselines, integer_x: !time, ..Chart::new(&x_label(lab), "loss", lines) }
}

/// The task's metric on validation and on the (longer) test set.
fn metric_chart(lab: Lab) -> Chart {
    let (time, seeds) = (lab.time_axis.get(), lab.show_seeds.get());
    let (task, len, test_len) = lab.cfg.with(|c| (c.task(), c.seq_len(), c.test_len_for(c.seq_len())));
    let higher = task.metric().higher_is_better();
    let better = Better::of(higher);
    let lines = lab.runs.with(|runs| {
        by_arch(runs)
            .into_iter()
            .flat_map(|(a, rs)| {
                let val = Series::new("validation", |r| r.val_metric, better);
                let mut v = seeded_lines(a, &rs, val, time, seeds, false);
                let test = Series::new(&format!("test, len {test_len}"), |r| r.test_metric, better);
                v.extend(seeded_lines(a, &rs, test, time, false, true));
                v
            })
            .collect()
    });
    let bars = lab.data.bars.get().filter(|_| task.user().is_some());
    let chance = bars.as_ref().map_or_else(|| task.baseline_metric(len), |b| b.chance.1);
    let classical = bars.map_or_else(Vec::new, |b| b.baselines);
    let baselines = crate::figures::baselines::lines((chance, task.chance_name()), "validation", &classical);
    let y_range = higher.then_some((0.0, 1.0));
    let y_label = task.kind.about().metric_name.to_string();
    Chart { baselines, y_range, integer_x: !time, ..Chart::new(&x_label(lab), &y_label, lines) }
}

/// The gradient's norm at each time step of the probed sequence.
fn grad_chart(lab: Lab) -> Chart {
    let lines = lab.probes.with(|probes| {
        probes
            .iter()
            .map(|(info, p)| {
                // Zero is no gradient at all (padding after a short string): off a log axis.
                let norms = p.probe.grad_norm.iter().enumerate().filter(|(_, &g)| g > 0.0);
                let pts = norms.map(|(t, &g)| (t as f64, g as f64)).collect();
                Line::new(format!("{} ||dL/dh_t||", info.spec.arch.upper()), color(info.spec.arch), pts)
            })
            .collect()
    });
    let empty = if lab.probes.with(Vec::is_empty) {
        "No data yet: press Play"
    } else {
        "No gradient to show: the probed runs diverged"
    };
    Chart { log_y: true, empty, ..Chart::new("time step t", "gradient norm", lines) }
}

#[component]
pub fn Charts() -> impl IntoView {
    let lab = lab();
    let (loss_chart, metric_chart, grad_chart) =
        (move || loss_chart(lab), move || metric_chart(lab), move || grad_chart(lab));
    view! {
        <section class="panel" aria-label="Learning curves">
            <div class="panel-head">
                <h2>"Learning curves"</h2>
                <div class="toggles">
                    <label class="check"><input type="checkbox" id="show-seeds" prop:checked=move || lab.show_seeds.get()
                        on:change=move |ev| lab.show_seeds.set(event_target_checked(&ev))/>"each seed"</label>
                    <label class="check"><input type="checkbox" id="time-axis" prop:checked=move || lab.time_axis.get()
                        on:change=move |ev| lab.time_axis.set(event_target_checked(&ev))/>"x: wall time"</label>
                    <label class="check"><input type="checkbox" id="log-y" prop:checked=move || lab.log_y.get()
                        on:change=move |ev| lab.log_y.set(event_target_checked(&ev))/>"log loss"</label>
                </div>
            </div>
            <super::finding::Finding/>
            <HeadToHead/>
            <div class="charts">
                <figure>{chart_canvas("chart-loss", "Training and validation loss", false, loss_chart)}</figure>
                <figure>{chart_canvas("chart-metric", "Task metric", false, metric_chart)}</figure>
            </div>
            <CurvesLegend/>
            <Stats/>
        </section>
        <section class="panel" aria-label="Gradient flow">
            <h2>"Gradient flow"</h2>
            <p class="hint">{move || format!("How much the loss still depends on each step's hidden state (top layer), on the probed \
                sequence of seed {}: a curve that falls towards t = 0 is a vanishing gradient.", lab.probe_seed.get())}</p>
            {chart_canvas("chart-gradflow", "Gradient norm over time", true, grad_chart)}
        </section>
    }
}

/// How much lower one architecture's validation loss is than another's, in how many seeds,
/// with a sign test: live while training, and at the end from the runs' summaries, exactly as
/// `gatelab train` prints it.
#[component]
fn HeadToHead() -> impl IntoView {
    let lab = lab();
    let lines = move || {
        lab.runs.with(|runs| {
            let finals: Option<Vec<Summary>> = runs.iter().map(|r| r.summary.clone()).collect();
            if let Some(rows) = finals.filter(|o| !o.is_empty()) {
                let steps = runs.iter().map(|r| r.step).max().unwrap_or(0);
                // `gatelab train`'s words: the baselines first (on the user's data), then each pair.
                return (
                    format!("At the end ({steps} steps), validation loss, seed by seed:"),
                    TrainFile::new(String::new(), rows).sentences(),
                );
            }
            let rows: Vec<_> =
                runs.iter().map(|r| (r.arch(), r.seed(), r.records.as_slice(), r.state)).collect();
            match live(&rows) {
                Some((step, outcomes)) => (
                    format!("Live at step {step}, validation loss, seed by seed:"),
                    head_to_head(&outcomes).iter().map(|h| h.sentence()).collect(),
                ),
                None => (
                    "Head-to-head: no evidence yet — press Play to see who leads, seed by seed.".to_string(),
                    Vec::new(),
                ),
            }
        })
    };
    view! {
        <div class="head-to-head" id="head-to-head" aria-live="polite">
            <strong>{move || lines().0}</strong>
            <ul>{move || lines().1.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
        </div>
    }
}

/// Each seed's latest value of `f` (NaN for a run that diverged or crashed).
/// A run still going with no value yet (a metric not measured at step 0) is left out: only a
/// run that failed counts as the worst.
fn latest(runs: &[&RunView], f: fn(&Record) -> f64) -> Vec<f64> {
    runs.iter()
        .filter_map(|r| {
            if r.state.failed() {
                Some(f64::NAN)
            } else {
                crate::run::last_finite(&r.records).map(f).filter(|v| v.is_finite())
            }
        })
        .collect()
}

/// The median over seeds, its text and " best B · worst W" (empty for one seed), a failed seed the
/// worst (`stats::Spread`); "–" before the first record.
fn spread_text(runs: &[&RunView], f: fn(&Record) -> f64, better: Better) -> (f64, String, String) {
    let none = || (f64::NAN, "–".to_string(), String::new());
    if runs.iter().all(|r| r.records.is_empty()) {
        return none();
    }
    let Some(s) = Spread::of(&latest(runs, f), better) else { return none() };
    let (median, range) = s.text(better);
    (s.median, median, range)
}

/// Per architecture: seeds, parameters, time per step, and the median [min, max] over seeds of
/// the current losses and metrics; each seed's own row when "each seed" is on.
#[component]
fn Stats() -> impl IntoView {
    let lab = lab();
    let archs = move || lab.runs.with(|runs| by_arch(runs).into_iter().map(|(a, _)| a).collect::<Vec<_>>());
    let metric = move || lab.cfg.with(|c| (c.task.about().metric_name, c.task.higher_is_better()));
    let row = move |a: Arch| {
        let runs = move || lab.runs.with(|v| v.iter().filter(|r| r.arch() == a).cloned().collect::<Vec<_>>());
        // The range on its own smaller line, so six columns of numbers fit a desktop panel.
        let cell = move |f: fn(&Record) -> f64, better: fn(bool) -> Better| {
            let text = move || spread_text(&runs().iter().collect::<Vec<_>>(), f, better(metric().1));
            view! { {move || text().1}<span class="range">{move || text().2}</span> }
        };
        let val = move || {
            spread_text(&runs().iter().collect::<Vec<_>>(), |r| r.val_loss, Better::Lower).0.to_string()
        };
        let ms = move || {
            let ms: Vec<f64> = runs().iter().map(RunView::ms_per_step).filter(|v| v.is_finite()).collect();
            if ms.is_empty() {
                "–".into()
            } else {
                ms_text(crate::stats::median(&ms))
            }
        };
        let seeds = move || runs().len();
        let info = move || runs().first().map(|r| (r.info.spec.hidden, r.info.params)).unwrap_or_default();
        view! {
            <tr class="arch-row" data-arch=a.name() data-seeds=seeds data-val=val
                data-step=move || runs().iter().map(|r| r.step).min().unwrap_or(0)>
                <td><span class="swatch" style=format!("background:{}", css_color(a))></span>{a.upper()}</td>
                <td>{seeds}</td>
                <td>{move || info().0}</td>
                <td>{move || info().1}</td>
                <td>{ms}</td>
                <td class="train-loss">{cell(|r| r.train_loss, |_| Better::Lower)}</td>
                <td class="val-loss">{cell(|r| r.val_loss, |_| Better::Lower)}</td>
                <td class="val-metric">{cell(|r| r.val_metric, Better::of)}</td>
                <td class="test-metric">{cell(|r| r.test_metric, Better::of)}</td>
            </tr>
            {move || {
                let hidden = !lab.show_seeds.get() || seeds() < 2;
                runs().into_iter().map(|r| seed_row(&r, hidden)).collect_view()
            }}
        }
    };
    let head = move |what: &'static str| {
        move || {
            let (name, higher) = metric();
            // The test set's sequences are longer than training's on the built-in tasks.
            let at = lab.cfg.with(|c| c.names_len().then(|| c.test_len_for(c.seq_len())));
            let what = match at {
                Some(len) if what == "test" => format!("test (len {len})"),
                _ => what.to_string(),
            };
            format!("{what} {name} {}", if higher { "↑" } else { "↓" })
        }
    };
    let explain = move |what: &'static str| {
        move || {
            let (c, means) = lab.cfg.with(|c| (c.clone(), c.task.about().metric_means));
            match what {
                "val" => format!("On the validation set: {means}."),
                _ if c.names_len() => format!(
                    "On longer test sequences (length {}): {means}. Far below validation: no length generalisation.",
                    c.test_len_for(c.seq_len())
                ),
                _ => format!("On the test part of your data: {means}."),
            }
        }
    };
    let held_out = move || {
        lab.data
            .bars
            .with(|b| b.as_ref().and_then(|b| b.held_out))
            .filter(|_| lab.cfg.with(|c| c.task.needs_data()))
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Results per architecture">
            <table class="stats" id="stats" data-baseline=move || lab.cfg.with(|c| c.task().baseline_loss(c.seq_len()).to_string())>
                <thead><tr><th>"arch"</th><th>"seeds"</th>
                    <th>"cells"</th><th>"params"</th>
                    <th>"ms/step"</th>
                    <th title="Mean over the steps since the last record">"train loss ↓"</th>
                    <th title="On the validation set, which chooses and compares">"val loss ↓"</th>
                    <th title=explain("val")>{head("val")}</th><th title=explain("test") id="test-head">{head("test")}</th></tr></thead>
                <tbody>
                    <For each=archs key=|a| *a let:a>{row(a)}</For>
                </tbody>
            </table>
            <p class="hint">"Median over seeds, then the best and the worst seed (a seed that diverged or crashed is the worst). Hover a column's name for what it measures."</p>
            <p class="hint" id="held-out">{move || held_out().map(|h| h.warning().map_or_else(|| format!("Held out: {}.", h.text()), |w| format!("Held out: {w}")))}</p>
        </div>
    }
}

/// Milliseconds per step, readable below one.
pub fn ms_text(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.3}")
    } else {
        format!("{ms:.2}")
    }
}

/// One seed's row, with full-precision values for the browser tests' comparisons (in the
/// page, hidden, even when not shown).
fn seed_row(r: &RunView, hidden: bool) -> impl IntoView {
    let failed = r.state.failed();
    let last = crate::run::last_finite(&r.records).copied();
    let get = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
    let show = |f: fn(&Record) -> f64| match (failed, get(f)) {
        (true, _) => "diverged".to_string(),
        (false, v) if v.is_finite() => number(v),
        _ => "–".to_string(),
    };
    let first = r.records.get(1);
    let state = if r.state == RunState::Training { String::new() } else { format!(" · {}", r.state.name()) };
    view! {
        <tr class="seed-row" class:hidden=hidden data-arch=r.arch().name() data-seed=r.seed() data-step=r.step data-records=r.records.len()
            data-state=r.state.name()
            data-first-val=first.map_or(String::new(), |x| x.val_loss.to_string())
            data-first-train=first.map_or(String::new(), |x| x.train_loss.to_string())
            data-val=get(|x| x.val_loss).to_string()
            data-summary-val=r.summary.as_ref().map_or(String::new(), |s| s.val_loss.to_string())
            data-summary-metric=r.summary.as_ref().map_or(String::new(), |s| s.val_metric.to_string())>
            <td class="seed-name">{format!("seed {}{state}", r.seed())}</td>
            <td></td><td></td><td></td>
            <td>{if r.step > 0 { ms_text(r.ms_per_step()) } else { "–".into() }}</td>
            <td>{show(|x| x.train_loss)}</td>
            <td>{show(|x| x.val_loss)}</td>
            <td>{show(|x| x.val_metric)}</td>
            <td>{show(|x| x.test_metric)}</td>
        </tr>
    }
}
