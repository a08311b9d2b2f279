//! Gate heatmaps: for one validation sequence of one seed, every gate of every layer of every
//! architecture over time (x = step, y = unit), with the input, target and prediction on the
//! same time axis above.

use super::plots::heatmap::{self, Scale};
use super::{arch_style, lab};
use crate::nn::loss::Loss;
use crate::protocol::RunInfo;
use crate::run::ProbeView;
use crate::stats::number;
use leptos::html::Canvas;
use leptos::prelude::*;

fn transpose(rows: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let width = rows.first().map_or(0, Vec::len);
    (0..width).map(|j| rows.iter().map(|r| r[j]).collect()).collect()
}

/// One heatmap with its colour legend and hover read-out.
#[component]
fn Heat(
    title: String,
    grid: Vec<Vec<f32>>,
    #[prop(optional)] dim: Option<Vec<bool>>,
    hover: RwSignal<String>,
    row_name: &'static str,
    /// What the values are (a tooltip).
    #[prop(optional)]
    about: &'static str,
) -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    let legend = NodeRef::<Canvas>::new();
    let scale = Scale::for_values(grid.iter().flatten());
    let rows = grid.len().max(1);
    let height = (rows as u32 * 7).clamp(14, 140);
    let (g2, d2) = (grid.clone(), dim.clone());
    Effect::new(move |_| {
        if let (Some(c), Some(l)) = (node.get(), legend.get()) {
            super::plots::fit(&c, height);
            heatmap::draw(&c, &g2, scale, d2.as_deref()).ok();
            heatmap::legend(&l, scale).ok();
        }
    });
    let (lo, hi) = scale.range();
    let t2 = title.clone();
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(c) = node.get_untracked() else {
            return;
        };
        let steps = grid.first().map_or(0, Vec::len);
        let w = c.client_width().max(1) as f64;
        let h = c.client_height().max(1) as f64;
        let t = ((ev.offset_x() as f64 / w) * steps as f64) as usize;
        let r = ((ev.offset_y() as f64 / h) * grid.len() as f64) as usize;
        if let Some(v) = grid.get(r).and_then(|row| row.get(t)) {
            hover.set(format!("{t2}: step {t}, {row_name} {r} = {}", number(*v as f64)));
        }
    };
    view! {
        <div class="heat">
            <div class="heat-head" title=about>
                <span class="heat-title">{title.clone()}</span>
                <span class="legend">
                    <span>{format!("{lo:.2}")}</span>
                    <canvas node_ref=legend width="64" height="8" class="legend-bar"></canvas>
                    <span>{format!("{hi:.2}")}</span>
                </span>
            </div>
            <canvas node_ref=node class="heatmap" data-name=title style=format!("height:{height}px") on:mousemove=on_move
                on:mouseleave=move |_| hover.set(String::new())></canvas>
        </div>
    }
}

fn panel(info: RunInfo, p: ProbeView, loss: Loss) -> impl IntoView {
    let hover = RwSignal::new(String::new());
    let arch = info.spec.arch;
    let dim: Vec<bool> = p.mask.iter().map(|&m| m == 0.0).collect();
    let prediction: Vec<Vec<f32>> = p.probe.output.iter().map(|r| loss.prediction(r)).collect();
    let stacked = p.probe.layers.len() > 1;
    let gates: Vec<(String, &'static str, Vec<Vec<f32>>)> = p
        .probe
        .layers
        .iter()
        .enumerate()
        .flat_map(|(l, gates)| {
            arch.probe_names().iter().filter_map(move |n| {
                let title = if stacked { format!("layer {l} {n}") } else { n.to_string() };
                gates.get(*n).map(|g| (title, arch.describe(n), transpose(g)))
            })
        })
        .collect();
    let diverged = !p.probe.loss.is_finite();
    view! {
        <div class="gate-panel" data-arch=arch.name() style=arch_style(arch)>
            <h3>{arch.upper()}" · "{info.spec.hidden}" cells · seed "{info.spec.seed}" · step "{p.step}
                {if p.probe.loss > 0.0 || diverged { format!(" · loss on this sequence {}", number(p.probe.loss)) } else { String::new() }}</h3>
            {diverged.then(|| view! { <p class="hint">"This run diverged: its values are not numbers (grey)."</p> })}
            <Heat title="input".into() grid=transpose(&p.input) hover=hover row_name="feature"/>
            <Heat title="target".into() grid=transpose(&p.target) dim=dim.clone() hover=hover row_name="output"/>
            <Heat title="prediction".into() grid=transpose(&prediction) dim=dim hover=hover row_name="output"/>
            {gates.into_iter().map(|(name, about, grid)| view! {
                <Heat title=format!("{} {name}", arch.upper()) grid=grid hover=hover row_name="unit" about=about/>
            }).collect_view()}
            <p class="hover" aria-live="polite">{move || {
                let h = hover.get();
                if h.is_empty() { "Point at (or tap) a heatmap for exact values.".to_string() } else { h }
            }}</p>
        </div>
    }
}

/// Which seed the heatmaps, gradient flow and samples show.
#[component]
pub fn SeedPicker() -> impl IntoView {
    let lab = lab();
    view! {
        <label class="inline" title="The heatmaps, the gradient flow and the text samples show one seed's runs">
            "seed "
            <select id="probe-seed" prop:value=move || lab.probe_seed.get().to_string()
                on:change=move |ev| if let Ok(s) = event_target_value(&ev).parse() { lab.probe_seed.set(s) }>
                {move || lab.cfg.with(|c| c.seed_list()).into_iter().map(|s| view! {
                    <option value=s.to_string() selected=move || lab.probe_seed.get() == s>{s}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Gates() -> impl IntoView {
    let lab = lab();
    let new_example = move |_| lab.example.update(|e| *e = (*e * 7 + 13) % crate::data::EVAL_SIZE);
    view! {
        <section class="panel" aria-label="Gate heatmaps">
            <div class="panel-head">
                <h2>"What the gates do"</h2>
                <div class="toggles">
                    <SeedPicker/>
                    <button id="new-example" on:click=new_example>"New example"</button>
                </div>
            </div>
            <p class="hint">{move || format!(
                "Validation sequence #{}: time runs left to right, one row per unit. Gates in [0, 1] are white→blue; \
                 signed values blue←white→red. Greyed steps have no target.", lab.example.get())}</p>
            <div class="gate-grid">
                {move || {
                    let loss = lab.cfg.with(|c| c.task().loss());
                    lab.probes.get().into_iter().map(|(info, p)| panel(info, p, loss)).collect_view()
                }}
            </div>
        </section>
    }
}
