//! Drives the compare worker: loads the config's runs when it changes, asks for chunks of
//! training while playing (one in flight at a time, at most one per animation frame), and
//! folds the worker's updates into `Lab::runs`.

use super::bridge::WorkerLink;
use super::{lab, Lab, RunView};
use crate::config::Config;
use crate::protocol::{FromWorker, RunUpdate, ToWorker};
use crate::run::RunState;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};

thread_local! {
    static LINK: RefCell<Option<WorkerLink>> = const { RefCell::new(None) };
    static IN_FLIGHT: Cell<bool> = const { Cell::new(false) };
    static LAST_PROBE: Cell<f64> = const { Cell::new(0.0) };
}

/// Probes (the heatmaps) at most this often while training, in ms.
const PROBE_EVERY_MS: f64 = 250.0;

pub fn send(msg: &ToWorker) {
    LINK.with(|l| {
        if let Some(link) = l.borrow().as_ref() {
            link.send(msg);
        }
    });
}

/// The text that identifies the runs: the config without page-only settings.
fn runs_key(c: &Config) -> String {
    Config { speed: 0, ..c.clone() }.to_string()
}

pub fn start() {
    let lab = lab();
    match WorkerLink::new(move |msg| on_message(lab, msg)) {
        Ok(link) => LINK.with(|l| *l.borrow_mut() = Some(link)),
        Err(e) => lab.error.set(Some(e)),
    }
    let key = Memo::new(move |_| runs_key(&lab.cfg.get()));
    Effect::new(move |_| {
        let _ = key.get();
        reload(lab);
    });
}

/// Fresh runs from the same seed: the same initial weights and data.
pub fn reload(lab: Lab) {
    lab.playing.set(false);
    send(&ToWorker::Load { query: lab.cfg.get_untracked().to_string() });
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn on_message(lab: Lab, msg: FromWorker) {
    match msg {
        FromWorker::Loaded { runs } => {
            let views = runs
                .into_iter()
                .map(|info| RunView {
                    info,
                    records: vec![],
                    state: RunState::Training,
                    step: 0,
                    seconds: 0.0,
                })
                .collect();
            lab.runs.set(views);
            lab.probes.set(Vec::new());
            send(&ToWorker::Probe { example: lab.example.get_untracked() });
        }
        FromWorker::Progress { runs } => {
            IN_FLIGHT.with(|f| f.set(false));
            let probes: Vec<_> = runs.iter().filter_map(|u| Some((u.arch, u.probe.clone()?))).collect();
            lab.runs.update(|views| merge(views, runs));
            if !probes.is_empty() {
                let infos = lab.runs.with_untracked(|v| v.iter().map(|r| r.info.clone()).collect::<Vec<_>>());
                let joined = probes
                    .into_iter()
                    .filter_map(|(arch, p)| Some((infos.iter().find(|i| i.arch == arch)?.clone(), p)))
                    .collect();
                lab.probes.set(joined);
            }
            if lab.runs.with_untracked(|v| v.iter().all(|r| r.state != RunState::Training)) {
                lab.playing.set(false);
            }
            if lab.playing.get_untracked() {
                request_animation_frame(move || pump(lab));
            }
        }
        FromWorker::Models { models } => super::export::save_models(&lab.cfg.get_untracked(), models),
        FromWorker::Error { message } => lab.error.set(Some(message)),
        _ => {}
    }
}

fn merge(views: &mut [RunView], updates: Vec<RunUpdate>) {
    for u in updates {
        if let Some(v) = views.iter_mut().find(|v| v.info.arch == u.arch) {
            v.records.extend(u.records);
            v.state = u.state;
            v.step = u.step;
            v.seconds = u.seconds;
        }
    }
}

/// Sends the next chunk of training if none is in flight.
fn pump(lab: Lab) {
    if !lab.playing.get_untracked() || IN_FLIGHT.with(|f| f.replace(true)) {
        return;
    }
    let probe = (now_ms() - LAST_PROBE.with(Cell::get) > PROBE_EVERY_MS).then(|| {
        LAST_PROBE.with(|t| t.set(now_ms()));
        lab.example.get_untracked()
    });
    send(&ToWorker::Train { steps: lab.cfg.get_untracked().speed, probe, timebox: true });
}

fn step_once(lab: Lab) {
    if IN_FLIGHT.with(|f| f.replace(true)) {
        return;
    }
    let c = lab.cfg.get_untracked();
    send(&ToWorker::Train { steps: c.every(), probe: Some(lab.example.get_untracked()), timebox: false });
}

/// Play / pause / step / reset / new seed, and where training stands.
#[component]
pub fn Transport() -> impl IntoView {
    let lab = lab();
    let done = move || lab.runs.with(|v| !v.is_empty() && v.iter().all(|r| r.state != RunState::Training));
    let step = move || lab.runs.with(|v| v.iter().map(|r| r.step).max().unwrap_or(0));
    let play = move |_| {
        lab.playing.update(|p| *p = !*p);
        pump(lab);
    };
    let new_seed = move |_| {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).ok();
        lab.cfg.update(|c| c.seed = u32::from_le_bytes(bytes) as u64);
    };
    view! {
        <div class="transport" role="group" aria-label="Training">
            <button id="play" class="primary" on:click=play disabled=done
                title="Train in a Web Worker; the page stays responsive">
                {move || if lab.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button id="step" on:click=move |_| step_once(lab) disabled=move || done() || lab.playing.get()
                title="Train until the next record">"Step"</button>
            <button id="reset" on:click=move |_| reload(lab)
                title="Back to step 0 with the same initial weights and data (same seed)">"↺ Reset"</button>
            <button id="new-seed" on:click=new_seed title="Re-roll weights and data: a new seed">"New seed"</button>
            <span class="status" id="status">
                {move || format!("step {} / {}", step(), lab.cfg.with(|c| c.steps))}
                {move || if done() { " · done" } else if lab.playing.get() { " · training…" } else { "" }}
                {move || lab.runs.with(|v| if v.iter().any(|r| r.state == RunState::Diverged) { " · a run diverged (NaN): lower the learning rate or clip" } else { "" })}
            </span>
        </div>
    }
}
