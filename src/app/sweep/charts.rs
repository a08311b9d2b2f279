//! The sweep's charts, from its own results and config: final validation loss and metric
//! against cells, parameters and learning rate (each point at its best learning rate, median
//! over seeds with a min-max band), and the metric against length ("solves up to").

use super::SweepState;
use crate::app::charts::chart_canvas;
use crate::app::color;
use crate::app::plots::lines::{Chart, Line};
use crate::config::Config;
use crate::experiment::summary::Summary;
use crate::experiment::verdict::choose;
use crate::figures::bands::{best_x, by_setting, metric_by_length, solved_up_to, Point, SOLVED, Y};
use crate::nn::Arch;
use leptos::prelude::*;

type Marker = (f64, f64, (u8, u8, u8));

/// Every value of `x` the sweep holds, in order: the x axis labels each one.
fn swept(rows: &[Summary], x: fn(&Summary) -> f64) -> Vec<f64> {
    let mut v: Vec<f64> = rows.iter().map(x).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// One line per architecture: the median with its band, and a circle at its best point (the
/// x that `pts` gives beside the points: the lowest validation loss).
fn lines_for(
    rows: &[Summary],
    archs: &[Arch],
    pts: impl Fn(Arch) -> (Vec<Point>, Option<f64>),
) -> (Vec<Line>, Vec<Marker>) {
    let (mut lines, mut markers) = (Vec::new(), Vec::new());
    for &a in archs.iter().filter(|a| rows.iter().any(|r| r.arch == **a)) {
        let (p, best_x) = pts(a);
        let best = p.iter().copied().find(|q| Some(q.x) == best_x);
        if let Some(b) = best {
            markers.push((b.x, b.median, color(a)));
        }
        let at = best.map_or(String::new(), |b| format!(" (best at {})", b.x as f32));
        let mut line =
            Line::new(format!("{}{at}", a.upper()), color(a), p.iter().map(|q| (q.x, q.median)).collect());
        line.band = p.iter().map(|q| (q.x, q.min, q.max)).collect();
        lines.push(line);
    }
    (lines, markers)
}

/// Validation loss or metric against a size (`x`: cells or parameters) at the first length;
/// `label_all`: every swept value labelled on x (parameters are too many and uneven).
fn size_chart(
    rows: &[Summary],
    c: &Config,
    x: fn(&Summary) -> f64,
    x_label: &str,
    label_all: bool,
    metric: bool,
) -> Chart {
    let (len, task) = (c.lens[0], c.task());
    let y = if metric { Y::ValMetric } else { Y::ValLoss };
    let (lines, markers) =
        lines_for(rows, &c.archs, |a| (by_setting(rows, a, len, x, y), best_x(rows, a, len, x)));
    let x_at = if label_all { swept(rows, x) } else { Vec::new() };
    let baselines = if metric {
        let classical: Vec<(String, f64)> =
            rows.first().map_or_else(Vec::new, |r| r.baselines.clone().into_iter().collect());
        crate::figures::baselines::lines(
            (task.baseline_metric(len), task.chance_name()),
            "validation",
            &classical,
        )
    } else {
        vec![(task.baseline_loss(len), task.chance_name().to_string())]
    };
    let y_label = if metric { task.kind.about().metric_name } else { "final validation loss" };
    Chart { log_y: !metric, log_x: true, baselines, markers, x_at, ..Chart::new(x_label, y_label, lines) }
}

/// Validation loss against learning rate, each architecture at its best cell count.
fn lr_chart(rows: &[Summary], c: &Config) -> Chart {
    let len = c.lens[0];
    let here: Vec<&Summary> = rows.iter().filter(|r| r.len == len).collect();
    let best = choose(&here);
    let cells_of = |a: Arch| best.iter().find(|b| b.best.arch == a).map(|b| b.best.hidden);
    let (lines, markers) = lines_for(rows, &c.archs, |a| {
        let mine: Vec<Summary> = rows.iter().filter(|r| Some(r.hidden) == cells_of(a)).cloned().collect();
        let lr = |r: &Summary| r.lr as f64;
        (by_setting(&mine, a, len, lr, Y::ValLoss), best_x(&mine, a, len, lr))
    });
    let baselines = vec![(c.task().baseline_loss(len), c.task().chance_name().to_string())];
    Chart {
        log_y: true,
        log_x: true,
        integer_x: false,
        baselines,
        markers,
        x_at: swept(rows, |r| r.lr as f64),
        ..Chart::new("learning rate (each at its best cell count)", "final validation loss", lines)
    }
}

/// The best setting's metric against sequence length, with how far each solves.
fn length_chart(rows: &[Summary], c: &Config) -> Chart {
    let task = c.task();
    let chance = task.baseline_metric(c.lens[0]);
    let (mut lines, mut markers) = (Vec::new(), Vec::new());
    for &a in &c.archs {
        let pts = metric_by_length(rows, a);
        let solved = solved_up_to(&pts, chance);
        let note = solved.map_or_else(
            || {
                format!(
                    "solves no length: its metric never gets {:.0}% of the way from chance to perfect",
                    100.0 * SOLVED
                )
            },
            |l| format!("solves every length up to {l}"),
        );
        if let Some(l) = solved {
            markers.extend(pts.iter().filter(|p| p.0 == l).map(|p| (p.0, p.1, color(a))));
        }
        lines.push(Line::new(format!("{} ({note})", a.upper()), color(a), pts));
    }
    let y_range = task.metric().higher_is_better().then_some((0.0, 1.0));
    Chart {
        log_x: true,
        baselines: vec![(chance, task.chance_name().into())],
        markers,
        y_range,
        x_at: swept(rows, |r| r.len as f64),
        ..Chart::new("sequence length", "metric of the best setting", lines)
    }
}

#[component]
pub fn SweepCharts(s: SweepState) -> impl IntoView {
    let data = move || {
        s.results
            .with(|r| r.as_ref().map(|r| (r.grid(), r.config.clone())))
            .unwrap_or_else(|| (Vec::new(), Config::defaults(crate::tasks::TaskKind::Adding)))
    };
    let by_size = move |x: fn(&Summary) -> f64, x_label: &'static str, label_all: bool, metric: bool| {
        move || {
            let (rows, c) = data();
            size_chart(&rows, &c, x, x_label, label_all, metric)
        }
    };
    let loss_vs_lr = move || {
        let (rows, c) = data();
        lr_chart(&rows, &c)
    };
    let metric_vs_len = move || {
        let (rows, c) = data();
        length_chart(&rows, &c)
    };
    let several =
        move |f: fn(&Config) -> usize| s.results.with(|r| r.as_ref().is_some_and(|r| f(&r.config) > 1));
    view! {
        <section class="panel" aria-label="Sweep charts">
            <h2>"Results"</h2>
            <p class="hint">"Lines: median over seeds at each point's best learning rate; bands: min to max; circles: each \
                architecture's best point."
                {move || s.results.with(|r| r.as_ref().filter(|r| r.config.lens.len() > 1).map(|r| format!(" Size charts at length {}.", r.config.lens[0])).unwrap_or_default())}</p>
            <div class="charts">
                <figure>{chart_canvas("sweep-loss-cells", "Validation loss against cell count", true, by_size(|r| r.hidden as f64, "cells", true, false))}</figure>
                <figure>{chart_canvas("sweep-loss-params", "Validation loss against parameter count", true, by_size(|r| r.params as f64, "parameters", false, false))}</figure>
                <figure>{chart_canvas("sweep-metric-cells", "Metric against cell count", true, by_size(|r| r.hidden as f64, "cells", true, true))}</figure>
                <Show when=move || several(|c| c.lrs.len())>
                    <figure>{chart_canvas("sweep-loss-lr", "Validation loss against learning rate", true, loss_vs_lr)}</figure>
                </Show>
                <Show when=move || several(|c| c.lens.len())>
                    <figure>{chart_canvas("sweep-metric-len", "Metric against sequence length", true, metric_vs_len)}</figure>
                </Show>
            </div>
        </section>
    }
}
