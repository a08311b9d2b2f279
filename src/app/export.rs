//! The Export panel: one zip of everything the experiment made, built in a worker (one
//! download, never a row of them): each run's curve (CSV), model (JSON in PyTorch's names) and
//! PyTorch script, the charts as PNG with their legends, and summary.json as `gatelab train`
//! writes it.

use super::charts::Drawn;
use super::plots::lines;
use super::{lab, trainer, RunView};
use crate::experiment::files::train::TrainFile;
use crate::run::curve_csv;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// The charts the zip holds, by canvas id.
const CHARTS: [&str; 3] = ["chart-loss", "chart-metric", "chart-gradflow"];

/// A chart drawn again, twice the size and with its legend, as PNG bytes.
fn png(id: &str) -> Option<Vec<u8>> {
    let chart = expect_context::<Drawn>().get(id)?;
    let canvas: HtmlCanvasElement = document().create_element("canvas").ok()?.unchecked_into();
    let rows = lines::legend(&chart).len().div_ceil(2) as u32;
    canvas.set_width(1600);
    canvas.set_height(600 + rows * 36);
    lines::draw(&canvas, &chart, 2.0, true).ok()?;
    let url = canvas.to_data_url().ok()?;
    let binary = window().atob(url.split_once(',')?.1).ok()?;
    Some(binary.chars().map(|c| c as u8).collect())
}

/// The files the page itself holds (the workers add the models).
pub fn page_files() -> crate::archive::Files {
    let lab = lab();
    let c = lab.cfg.get_untracked();
    let runs: Vec<RunView> = lab.runs.get_untracked();
    let mut files =
        vec![("experiment.txt".to_string(), format!("{}\n", super::share::link(&c)).into_bytes())];
    for v in &runs {
        let name = v.info.spec.stem(&c);
        files.push((format!("curves/{name}-curve.csv"), curve_csv(&v.records).into_bytes()));
    }
    let summaries: Vec<_> = runs.iter().filter_map(|r| r.summary.clone()).collect();
    if !summaries.is_empty() {
        let file = TrainFile::new(c.to_string(), summaries);
        files.push(("summary.json".into(), serde_json::to_vec_pretty(&file).unwrap_or_default()));
    }
    for id in CHARTS {
        if let Some(bytes) = png(id) {
            files.push((format!("charts/{}.png", id.trim_start_matches("chart-")), bytes));
        }
    }
    files
}

#[component]
pub fn Export() -> impl IntoView {
    let lab = lab();
    let trained = move || lab.runs.with(|v| v.iter().any(|r| r.step > 0));
    view! {
        <section class="panel export" aria-label="Export">
            <h2>"Export"</h2>
            <div class="buttons">
                <button id="export-zip" on:click=move |_| trainer::export(page_files()) disabled=move || !trained()
                    title="Train first: the zip holds what was trained">"Download everything (zip)"</button>
            </div>
            <p class="hint">"One zip: each run's curve (CSV), model (PyTorch's names) and a PyTorch script that loads \
                it; the charts (PNG); summary.json, as the command line writes it."</p>
        </section>
    }
}
