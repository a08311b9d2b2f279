//! The Export panel: curves as CSV, models as JSON (the engine's format), charts as PNG, and a
//! PyTorch script that rebuilds the model and loads that JSON.

use super::download::{click_download, download, stem};
use super::{lab, trainer};
use crate::nn::model_file::pytorch_script;
use crate::run::curve_csv;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

#[component]
pub fn Export() -> impl IntoView {
    let lab = lab();
    let curves = move |_| {
        let c = lab.cfg.get_untracked();
        for v in lab.runs.get_untracked() {
            download(&format!("{}-curve.csv", stem(&c, &v.info.spec)), "text/csv", &curve_csv(&v.records));
        }
    };
    let pngs = move |_| {
        for id in ["chart-loss", "chart-metric", "chart-gradflow"] {
            let canvas = document().get_element_by_id(id).map(|e| e.unchecked_into::<HtmlCanvasElement>());
            if let Some(url) = canvas.and_then(|c| c.to_data_url().ok()) {
                click_download(&url, &format!("gatelab-{id}.png"));
            }
        }
    };
    let scripts = move |_| {
        let c = lab.cfg.get_untracked();
        for v in lab.runs.get_untracked() {
            let name = stem(&c, &v.info.spec);
            let script = pytorch_script(v.arch(), c.dims(v.info.spec.hidden), &format!("{name}.json"));
            download(&format!("{name}.py"), "text/x-python", &script);
        }
    };
    view! {
        <section class="panel export" aria-label="Export">
            <h2>"Export"</h2>
            <div class="buttons">
                <button id="export-csv" on:click=curves>"Curves (CSV)"</button>
                <button id="export-models" on:click=move |_| trainer::export_models()>"Models (JSON)"</button>
                <button id="export-png" on:click=pngs>"Charts (PNG)"</button>
                <button id="export-pytorch" on:click=scripts>"PyTorch script"</button>
            </div>
            <p class="hint">"One file per run (architecture and seed). The JSON uses PyTorch's state_dict names; the script \
                rebuilds the same network (num_layers included) and loads it; `gatelab probe` and `gatelab sample` read it too."</p>
        </section>
    }
}
