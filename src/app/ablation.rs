//! The ablation chart of a search that holds a base cell and its variants: each variant's
//! validation loss over its base cell's on the confirmation's fresh seeds, as a ratio with its
//! 95% interval on a log scale (a forest plot), least harmful first, those that hurt marked.

use super::arch_style;
use crate::experiment::ablation::AblationRow;
use crate::experiment::evidence::p_text;
use crate::stats::number;
use leptos::prelude::*;

/// The axis: whole powers of two covering every interval (at least 1/2 to 2, at most 1/64 to
/// 64; what falls outside is drawn at the edge).
fn axis(rows: &[AblationRow]) -> (i32, i32) {
    let ends = rows.iter().flat_map(|r| [r.lo, r.hi, r.ratio]).filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = ends.fold((0.5f64, 2.0f64), |(a, b), v| (a.min(v), b.max(v)));
    (lo.log2().floor().max(-6.0) as i32, hi.log2().ceil().min(6.0) as i32)
}

#[component]
pub fn AblationChart(rows: Vec<AblationRow>) -> impl IntoView {
    let (a, b) = axis(&rows);
    let x = move |v: f64| {
        let l = if v.is_finite() && v > 0.0 { v.log2() } else { b as f64 };
        format!("{:.2}%", 100.0 * (l.clamp(a as f64, b as f64) - a as f64) / (b - a) as f64)
    };
    let seeds = rows.iter().map(|r| r.seeds).max().unwrap_or(0);
    let ticks = (a..=b).map(|k| {
        let v = 2f64.powi(k);
        let label = if k < 0 { format!("1/{}", 1 << -k) } else { format!("{}", 1 << k) };
        view! { <span class="tick" style=format!("left:{}", x(v))>{label}"x"</span> }
    });
    view! {
        <section class="panel" aria-label="Ablation" id="ablation">
            <h2>"Ablation: each variant against its base cell"</h2>
            <p class="hint">{format!("Each variant's validation loss over its base cell's, each at its own best trial, on the same \
                {seeds} fresh seeds: the geometric mean (dot) and its 95% interval (bar), on a log scale. Right of 1x the \
                change costs. Marked \"hurts\" only where the base cell wins by the sign test and the interval together, \
                \"helps\" where the variant does.")}</p>
            <div class="forest">
                {rows.into_iter().map(|r| {
                    let class = format!("forest-row {}", r.change.words().replace(' ', "-"));
                    let (left, right) = (x(r.lo.min(r.hi)), x(r.hi.max(r.lo)));
                    let bar = format!("left:{left};right:calc(100% - {right})");
                    view! {
                        <div class=class data-arch=r.arch.name() title=r.text.clone()>
                            <span class="label arch" style=arch_style(r.arch)>{r.arch.upper()}</span>
                            <span class="track">
                                <span class="one" style=format!("left:{}", x(1.0))></span>
                                {r.lo.is_finite().then(|| view! { <span class="ci" style=bar></span> })}
                                <span class="dot" style=format!("left:{}", x(r.ratio))></span>
                            </span>
                            <span class="value">{format!("x{} [{}, {}], lower in {} of {}, {}", number(r.ratio),
                                number(r.lo), number(r.hi), r.lower, r.seeds, p_text(r.p))}</span>
                            <span class="call">{r.change.words()}</span>
                        </div>
                    }
                }).collect_view()}
                <div class="forest-row axis"><span></span><span class="track">{ticks.collect_view()}</span></div>
            </div>
        </section>
    }
}
