//! The compare view's evidence: the head-to-head over seeds, learning curves (median over
//! seeds, min-max band, each seed faint), the per-architecture stats and the gradient flow.

use super::plots::lines::{Chart, Line};
use super::plots::{fit, lines};
use super::{color, css_color, lab, RunView};
use crate::evidence::{head_to_head, live};
use crate::figures::bands::curve;
use crate::nn::Arch;
use crate::run::{Record, RunState};
use leptos::html::Canvas;
use leptos::prelude::*;

/// A legend entry: label, CSS colour, dashed, faint.
type Entry = (String, String, bool, bool);

/// A canvas redrawn by `make` whenever what it reads changes, with its legend below it.
pub fn chart_canvas(
    id: &'static str,
    label: &'static str,
    make: impl Fn() -> Chart + 'static,
) -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    let legend = RwSignal::new(Vec::<Entry>::new());
    Effect::new(move |_| {
        let chart = make();
        let mut entries: Vec<Entry> = chart
            .lines
            .iter()
            .filter(|l| l.legend)
            .map(|l| (l.label.clone(), format!("rgb{:?}", l.color), l.dashed, l.faint))
            .collect();
        if let Some((_, name)) = &chart.baseline {
            entries.push((name.clone(), "rgb(120,120,120)".into(), true, false));
        }
        legend.set(entries);
        if let Some(c) = node.get() {
            fit(&c, 280);
            if let Err(e) = lines::draw(&c, &chart) {
                web_sys::console::error_1(&format!("chart {id}: {e}").into());
            }
        }
    });
    view! {
        <canvas id=id class="chart" node_ref=node role="img" aria-label=label></canvas>
        <ul class="legend-list" id=format!("{id}-legend")>
            {move || legend.get().into_iter().map(|(text, css, dashed, faint)| view! {
                <li class:faint=faint><span class="key" class:dashed=dashed style=format!("border-color:{css}")></span>{text}</li>
            }).collect_view()}
        </ul>
    }
}

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

/// The median line with its band, and each seed's own line (faint) if asked.
fn seeded_lines(
    arch: Arch,
    runs: &[&RunView],
    what: &str,
    time: bool,
    y: fn(&Record) -> f64,
    seeds: bool,
    dashed: bool,
) -> Vec<Line> {
    let records: Vec<&[Record]> = runs.iter().map(|r| r.records.as_slice()).collect();
    let band = curve(&records, x_of(time), y);
    let n = runs.len();
    let name = arch.name().to_uppercase();
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

#[component]
pub fn Charts() -> impl IntoView {
    let lab = lab();
    let x_label = move || if lab.time_axis.get() { "training time (s)" } else { "training step" }.to_string();
    let loss_chart = move || {
        let (time, seeds) = (lab.time_axis.get(), lab.show_seeds.get());
        let (task, len) = lab.cfg.with(|c| (c.task(), c.seq_len()));
        let lines = lab.runs.with(|runs| {
            by_arch(runs)
                .into_iter()
                .flat_map(|(a, rs)| {
                    let mut v = seeded_lines(a, &rs, "validation", time, |r| r.val_loss, seeds, false);
                    v.extend(seeded_lines(a, &rs, "training", time, |r| r.train_loss, false, true));
                    v
                })
                .collect()
        });
        let baseline = Some((task.baseline_loss(len), "chance (memoryless predictor)".to_string()));
        Chart { log_y: lab.log_y.get(), baseline, integer_x: !time, ..Chart::new(&x_label(), "loss", lines) }
    };
    let metric_chart = move || {
        let (time, seeds) = (lab.time_axis.get(), lab.show_seeds.get());
        let (task, len, test_len) = lab.cfg.with(|c| (c.task(), c.seq_len(), c.test_len_for(c.seq_len())));
        let lines = lab.runs.with(|runs| {
            by_arch(runs)
                .into_iter()
                .flat_map(|(a, rs)| {
                    let mut v = seeded_lines(a, &rs, "validation", time, |r| r.val_metric, seeds, false);
                    v.extend(seeded_lines(
                        a,
                        &rs,
                        &format!("test, len {test_len}"),
                        time,
                        |r| r.test_metric,
                        false,
                        true,
                    ));
                    v
                })
                .collect()
        });
        let baseline = Some((task.baseline_metric(len), "chance".to_string()));
        let higher = task.metric().higher_is_better();
        let y_range = higher.then_some((0.0, 1.0));
        let y_label = task.kind.about().metric_name.to_string();
        Chart { baseline, y_range, integer_x: !time, ..Chart::new(&x_label(), &y_label, lines) }
    };
    let grad_chart = move || {
        let lines = lab.probes.with(|probes| {
            probes
                .iter()
                .map(|(info, p)| {
                    // Zero is no gradient at all (padding after a short string): off a log axis.
                    let norms = p.probe.grad_norm.iter().enumerate().filter(|(_, &g)| g > 0.0);
                    let pts = norms.map(|(t, &g)| (t as f64, g as f64)).collect();
                    Line::new(
                        format!("{} ||dL/dh_t||", info.spec.arch.name().to_uppercase()),
                        color(info.spec.arch),
                        pts,
                    )
                })
                .collect()
        });
        Chart { log_y: true, ..Chart::new("time step t", "gradient norm", lines) }
    };
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
            <HeadToHead/>
            <Stats/>
            <div class="charts">
                <figure>{chart_canvas("chart-loss", "Training and validation loss", loss_chart)}</figure>
                <figure>{chart_canvas("chart-metric", "Task metric", metric_chart)}</figure>
            </div>
        </section>
        <section class="panel" aria-label="Gradient flow">
            <h2>"Gradient flow"</h2>
            <p class="hint">{move || format!("How much the loss still depends on each step's hidden state (top layer), on the probed \
                sequence of seed {}: a curve that falls towards t = 0 is a vanishing gradient.", lab.probe_seed.get())}</p>
            {chart_canvas("chart-gradflow", "Gradient norm over time", grad_chart)}
        </section>
    }
}

/// Who has the lower validation loss in how many seeds, with a sign test: live while training,
/// final at the end of the budget.
#[component]
fn HeadToHead() -> impl IntoView {
    let lab = lab();
    let lines = move || {
        lab.runs.with(|runs| {
            let rows: Vec<_> =
                runs.iter().map(|r| (r.arch(), r.seed(), r.records.as_slice(), r.state)).collect();
            let Some((step, outcomes)) = live(&rows) else {
                return (
                    "Head-to-head: no evidence yet — train to see who leads, seed by seed.".to_string(),
                    Vec::new(),
                );
            };
            let done = runs.iter().all(|r| r.state != RunState::Training);
            let when =
                if done { format!("At the end ({step} steps)") } else { format!("Live at step {step}") };
            (
                format!("{when}, validation loss, seed by seed:"),
                head_to_head(&outcomes).iter().map(|h| h.sentence()).collect(),
            )
        })
    };
    view! {
        <div class="head-to-head" id="head-to-head" aria-live="polite">
            <strong>{move || lines().0}</strong>
            <ul>{move || lines().1.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
        </div>
    }
}

fn fmt(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "–".into()
    }
}

/// "median [min, max]" of the latest finite records of `runs`.
fn spread_text(runs: &[&RunView], f: fn(&Record) -> f64) -> (f64, String) {
    let vals: Vec<f64> =
        runs.iter().map(|r| crate::run::last_finite(&r.records).map_or(f64::NAN, f)).collect();
    let finite: Vec<f64> = vals.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (f64::NAN, "–".into());
    }
    let (median, min, max) = crate::evidence::spread(&finite);
    if runs.len() == 1 {
        (median, fmt(median))
    } else {
        (median, format!("{} [{}, {}]", fmt(median), fmt(min), fmt(max)))
    }
}

/// Per architecture: seeds, parameters, time per step, and the median [min, max] over seeds of
/// the current losses and metrics; each seed's own row when "each seed" is on.
#[component]
fn Stats() -> impl IntoView {
    let lab = lab();
    let archs = move || lab.runs.with(|runs| by_arch(runs).into_iter().map(|(a, _)| a).collect::<Vec<_>>());
    let row = move |a: Arch| {
        let runs = move || lab.runs.with(|v| v.iter().filter(|r| r.arch() == a).cloned().collect::<Vec<_>>());
        let cell = move |f: fn(&Record) -> f64| move || spread_text(&runs().iter().collect::<Vec<_>>(), f).1;
        let val = move || spread_text(&runs().iter().collect::<Vec<_>>(), |r| r.val_loss).0.to_string();
        let ms = move || {
            let rs = runs();
            let (secs, steps): (f64, usize) =
                rs.iter().fold((0.0, 0), |(s, n), r| (s + r.seconds, n + r.step));
            if steps > 0 {
                format!("{:.2}", 1000.0 * secs / steps as f64)
            } else {
                "–".into()
            }
        };
        let seeds = move || runs().len();
        let info = move || runs().first().map(|r| (r.info.spec.hidden, r.info.params)).unwrap_or_default();
        view! {
            <tr class="arch-row" data-arch=a.name() data-seeds=seeds data-val=val
                data-step=move || runs().iter().map(|r| r.step).min().unwrap_or(0)>
                <td><span class="swatch" style=format!("background:{}", css_color(a))></span>{a.name().to_uppercase()}</td>
                <td>{seeds}</td>
                <td>{move || info().0}</td>
                <td>{move || info().1}</td>
                <td>{ms}</td>
                <td class="train-loss">{cell(|r| r.train_loss)}</td>
                <td class="val-loss">{cell(|r| r.val_loss)}</td>
                <td>{cell(|r| r.val_metric)}</td>
                <td>{cell(|r| r.test_metric)}</td>
            </tr>
            {move || {
                let hidden = !lab.show_seeds.get() || seeds() < 2;
                runs().into_iter().map(|r| seed_row(&r, hidden)).collect_view()
            }}
        }
    };
    view! {
        <div class="table-wrap">
            <table class="stats" id="stats" data-baseline=move || lab.cfg.with(|c| c.task().baseline_loss(c.seq_len()).to_string())>
                <thead><tr><th>"arch"</th><th>"seeds"</th><th>"cells"</th><th>"params"</th><th>"ms / step"</th>
                    <th>"train loss"</th><th>"val loss"</th><th>"val metric"</th><th>"test metric"</th></tr></thead>
                <tbody>
                    <For each=archs key=|a| *a let:a>{row(a)}</For>
                </tbody>
            </table>
            <p class="hint">"Median over seeds [min, max]; a diverged or crashed seed shows as –."</p>
        </div>
    }
}

/// One seed's row, with full-precision values for the browser tests' comparisons (in the
/// page, hidden, even when not shown).
fn seed_row(r: &RunView, hidden: bool) -> impl IntoView {
    let last = crate::run::last_finite(&r.records).copied();
    let get = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
    let first = r.records.get(1);
    view! {
        <tr class="seed-row" class:hidden=hidden data-arch=r.arch().name() data-seed=r.seed() data-step=r.step data-records=r.records.len()
            data-state=r.state.name()
            data-first-val=first.map_or(String::new(), |x| x.val_loss.to_string())
            data-first-train=first.map_or(String::new(), |x| x.train_loss.to_string())
            data-val=get(|x| x.val_loss).to_string()>
            <td>{format!("seed {}", r.seed())}{(r.state != crate::run::RunState::Training).then(|| format!(" · {}", r.state.name()))}</td>
            <td></td><td></td><td></td>
            <td>{if r.step > 0 { format!("{:.2}", 1000.0 * r.seconds / r.step as f64) } else { "–".into() }}</td>
            <td>{fmt(get(|x| x.train_loss))}</td>
            <td>{fmt(get(|x| x.val_loss))}</td>
            <td>{fmt(get(|x| x.val_metric))}</td>
            <td>{fmt(get(|x| x.test_metric))}</td>
        </tr>
    }
}
