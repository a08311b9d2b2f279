//! Learning curves (loss, metric), the gradient-flow chart and the per-architecture stats.

use super::plots::{fit, lines};
use super::{color, css_color, lab, RunView};
use crate::run::Record;
use leptos::html::Canvas;
use leptos::prelude::*;

fn x_of(r: &Record, time: bool) -> f64 {
    if time {
        r.seconds
    } else {
        r.step as f64
    }
}

fn series(v: &RunView, time: bool, f: fn(&Record) -> f64) -> Vec<(f64, f64)> {
    v.records.iter().map(|r| (x_of(r, time), f(r))).filter(|p| p.1.is_finite()).collect()
}

fn line(
    v: &RunView,
    what: &str,
    points: Vec<(f64, f64)>,
    width: u32,
    dashed: bool,
    faint: bool,
) -> lines::Line {
    let label = format!("{} {what}", v.info.arch.name().to_uppercase());
    lines::Line { label, color: color(v.info.arch), points, width, dashed, faint }
}

/// A canvas redrawn by `make` whenever what it reads changes.
pub fn chart_canvas(
    id: &'static str,
    label: &'static str,
    make: impl Fn() -> lines::Chart + 'static,
) -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let chart = make();
        if let Some(c) = node.get() {
            fit(&c, 300);
            if let Err(e) = lines::draw(&c, &chart) {
                web_sys::console::error_1(&format!("chart {id}: {e}").into());
            }
        }
    });
    view! { <canvas id=id class="chart" node_ref=node role="img" aria-label=label></canvas> }
}

#[component]
pub fn Charts() -> impl IntoView {
    let lab = lab();
    let x_label = move || if lab.time_axis.get() { "training time (s)" } else { "step" }.to_string();
    let loss_chart = move || {
        let (time, log_y) = (lab.time_axis.get(), lab.log_y.get());
        let (task, len) = lab.cfg.with(|c| (c.task(), c.seq_len()));
        let lines = lab.runs.with(|runs| {
            runs.iter()
                .flat_map(|v| {
                    [
                        line(v, "train", series(v, time, |r| r.train_loss), 1, false, true),
                        line(v, "validation", series(v, time, |r| r.val_loss), 2, false, false),
                    ]
                })
                .collect()
        });
        let baseline = Some((task.baseline_loss(len), "chance".to_string()));
        lines::Chart { log_y, baseline, ..lines::Chart::new(&x_label(), "loss", lines) }
    };
    let metric_chart = move || {
        let time = lab.time_axis.get();
        let task = lab.cfg.with(|c| c.task());
        let test_len = lab.cfg.with(|c| c.test_len_for(c.seq_len()));
        let lines = lab.runs.with(|runs| {
            runs.iter()
                .flat_map(|v| {
                    [
                        line(v, "validation", series(v, time, |r| r.val_metric), 2, false, false),
                        line(
                            v,
                            &format!("test, len {test_len}"),
                            series(v, time, |r| r.test_metric),
                            2,
                            true,
                            false,
                        ),
                    ]
                })
                .collect()
        });
        let baseline = Some((task.baseline_metric(), "chance".to_string()));
        let y_label = task.kind.about().metric_name.to_string();
        lines::Chart { baseline, y_range: Some((0.0, 1.0)), ..lines::Chart::new(&x_label(), &y_label, lines) }
    };
    let grad_chart = move || {
        let lines = lab.probes.with(|probes| {
            probes
                .iter()
                .map(|(info, p)| {
                    // Zero is no gradient at all (padding after a short string): off a log axis.
                    let norms = p.probe.grad_norm.iter().enumerate().filter(|(_, &g)| g > 0.0);
                    let pts = norms.map(|(t, &g)| (t as f64, g as f64)).collect();
                    let label = format!("{} ||dL/dh_t||", info.arch.name().to_uppercase());
                    lines::Line {
                        label,
                        color: color(info.arch),
                        points: pts,
                        width: 2,
                        dashed: false,
                        faint: false,
                    }
                })
                .collect()
        });
        lines::Chart { log_y: true, ..lines::Chart::new("time step t", "gradient norm", lines) }
    };
    view! {
        <section class="panel" aria-label="Learning curves">
            <div class="panel-head">
                <h2>"Learning curves"</h2>
                <div class="toggles">
                    <label class="check"><input type="checkbox" id="time-axis" prop:checked=move || lab.time_axis.get()
                        on:change=move |ev| lab.time_axis.set(event_target_checked(&ev))/>"x: wall time"</label>
                    <label class="check"><input type="checkbox" id="log-y" prop:checked=move || lab.log_y.get()
                        on:change=move |ev| lab.log_y.set(event_target_checked(&ev))/>"log loss"</label>
                </div>
            </div>
            <Stats/>
            <div class="charts">
                <figure>
                    {chart_canvas("chart-loss", "Training and validation loss", loss_chart)}
                    <figcaption>"Loss: faint = training, bold = validation; dashed grey = chance."</figcaption>
                </figure>
                <figure>
                    {chart_canvas("chart-metric", "Task metric", metric_chart)}
                    <figcaption>{move || format!("{}: solid = validation, dashed = test at another length.",
                        lab.cfg.with(|c| c.task.about().metric_name))}</figcaption>
                </figure>
            </div>
        </section>
        <section class="panel" aria-label="Gradient flow">
            <h2>"Gradient flow"</h2>
            <p class="hint">"How much the loss still depends on each step's hidden state, on the probed sequence: \
                a curve that falls towards t = 0 is a vanishing gradient."</p>
            {chart_canvas("chart-gradflow", "Gradient norm over time", grad_chart)}
        </section>
    }
}

/// Per architecture: parameters, time per step, current losses and metric.
#[component]
fn Stats() -> impl IntoView {
    let lab = lab();
    let fmt = |v: f64| {
        if v.is_finite() {
            format!("{v:.4}")
        } else {
            "–".into()
        }
    };
    view! {
        <div class="table-wrap">
        <table class="stats" id="stats" data-baseline=move || lab.cfg.with(|c| c.task().baseline_loss(c.seq_len()).to_string())>
            <thead><tr><th>"arch"</th><th>"cells"</th><th>"params"</th><th>"ms / step"</th>
                <th>"train loss"</th><th>"val loss"</th><th>"val metric"</th><th>"test metric"</th></tr></thead>
            <tbody>
                {move || lab.runs.get().into_iter().map(|v| {
                    let last = v.records.iter().rev().find(|r| r.train_loss.is_finite()).or(v.records.last()).copied();
                    let get = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
                    let ms = if v.step > 0 { format!("{:.2}", 1000.0 * v.seconds / v.step as f64) } else { "–".into() };
                    view! {
                        // Full-precision values for the browser tests' comparisons.
                        <tr data-arch=v.info.arch.name() data-step=v.step
                            data-records=v.records.len() data-first-val=v.records.get(1).map_or(String::new(), |r| r.val_loss.to_string())
                            data-first-train=v.records.get(1).map_or(String::new(), |r| r.train_loss.to_string())
                            data-val=get(|r| r.val_loss).to_string()>
                            <td><span class="swatch" style=format!("background:{}", css_color(v.info.arch))></span>
                                {v.info.arch.name().to_uppercase()}</td>
                            <td>{v.info.hidden}</td>
                            <td>{v.info.params}</td>
                            <td>{ms}</td>
                            <td class="train-loss">{fmt(get(|r| r.train_loss))}</td>
                            <td class="val-loss">{fmt(get(|r| r.val_loss))}</td>
                            <td>{fmt(get(|r| r.val_metric))}</td>
                            <td>{fmt(get(|r| r.test_metric))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
