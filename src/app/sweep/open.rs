//! Opening a sweep.json or a search.json (from `gatelab sweep`, `search` or `merge`): a file
//! picker and drag-and-drop onto the Sweep and Search views. The page shows it as if it had run
//! it, in the view it belongs to, says where it came from, and sets the controls to its query.

use super::{Results, Source, StageRows, SweepState};
use crate::app::{lab, View};
use crate::experiment::files::search::SearchFile;
use crate::experiment::files::{sweep::SweepFile, MAX_FILE_BYTES};
use crate::experiment::plan::jobs;
use crate::experiment::summary::Summary;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, HtmlInputElement};

fn open(file: File, s: SweepState) {
    let lab = lab();
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as f64 {
        s.refusal
            .set(Some(format!("{name}: {} bytes; a sweep.json has at most {MAX_FILE_BYTES}", file.size())));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
        let Some(text) = text else {
            s.refusal.set(Some(format!("{name}: the file could not be read")));
            return;
        };
        let search = text.contains("\"trials\"") && text.contains("\"importance\"");
        let read = if search {
            SearchFile::read(&text).map(|(c, _, stages)| (c, stages))
        } else {
            SweepFile::read(&text).map(|(c, f)| (c, f.stages()))
        };
        match read {
            Ok((mut config, all)) => {
                // Its runs on the user's data read that data's facts, if this page has it.
                lab.data.bind(&mut config);
                let mut done: Vec<Vec<Summary>> = Vec::new();
                let mut stages = Vec::new();
                for rows in all.into_iter().filter(|r| !r.is_empty()) {
                    let jobs = jobs(&config, stages.len(), &done);
                    stages.push(StageRows { jobs, rows: rows.iter().cloned().map(Some).collect() });
                    done.push(rows);
                }
                s.refusal.set(None);
                s.steps.set(Vec::new());
                s.results.set(Some(Results { config: config.clone(), stages, source: Source::File(name) }));
                lab.view.set(if search { View::Search } else { View::Sweep });
                lab.cfg.set(config);
            }
            Err(e) => {
                let what = if search { "search" } else { "sweep" };
                s.refusal.set(Some(format!("{name} is not a {what} Gatelab can show: {e}")))
            }
        }
    });
}

pub fn on_dragover(ev: DragEvent) {
    ev.prevent_default();
}

pub fn on_drop(ev: DragEvent, s: SweepState) {
    ev.prevent_default();
    if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
        open(file, s);
    }
}

#[component]
pub fn OpenFile(s: SweepState) -> impl IntoView {
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = ev.target().expect("an input").unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            open(file, s);
        }
        input.set_value("");
    };
    view! {
        <p class="open-file">
            <label for="open-sweep">"Or open a sweep.json or search.json (from gatelab sweep, search or merge, e.g. a cluster's) — or drop it here: "</label>
            <input type="file" id="open-sweep" accept=".json,application/json" on:change=on_change/>
        </p>
    }
}
