//! The Web Worker side: owns the runs, trains them off the main thread, posts records.

use crate::config::parse_lenient;
use crate::nn::model_file::to_json;
use crate::protocol::{FromWorker, RunInfo, RunUpdate, ToWorker};
use crate::run::{Run, RunSpec};
use crate::sweep::train_one;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Seconds from the worker's `performance.now()`.
fn now() -> f64 {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.performance().map_or(0.0, |p| p.now() / 1000.0)
}

fn post(msg: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let text = serde_json::to_string(msg).expect("messages serialise");
    let _ = scope.post_message(&JsValue::from_str(&text));
}

thread_local! {
    static RUNS: RefCell<Vec<Run>> = const { RefCell::new(Vec::new()) };
}

fn handle(msg: ToWorker) {
    match msg {
        ToWorker::Load { query } => {
            let (c, _) = parse_lenient(&query);
            let runs: Vec<Run> = RunSpec::compare(&c).into_iter().map(|s| Run::new(&c, s, now)).collect();
            let info = runs
                .iter()
                .map(|r| RunInfo { arch: r.spec.arch, hidden: r.spec.hidden, params: r.params() })
                .collect();
            RUNS.with(|r| *r.borrow_mut() = runs);
            post(&FromWorker::Loaded { runs: info });
        }
        ToWorker::Train { steps, probe, timebox } => {
            post(&FromWorker::Progress { runs: update(steps, probe, timebox) })
        }
        ToWorker::Probe { example } => post(&FromWorker::Progress { runs: update(0, Some(example), false) }),
        ToWorker::Export => {
            let models = RUNS.with(|r| {
                r.borrow().iter().map(|run| (run.spec.arch, to_json(&run.net.model).to_string())).collect()
            });
            post(&FromWorker::Models { models });
        }
        ToWorker::Sweep { id, query, spec } => {
            let (c, _) = parse_lenient(&query);
            let mut last_post = now();
            let summary = train_one(&c, spec, now, &mut |step| {
                if now() - last_post > 0.25 {
                    last_post = now();
                    post(&FromWorker::SweepProgress { id, step });
                }
            });
            post(&FromWorker::SweepDone { id, summary });
        }
    }
}

/// A chunk of play stops after this long even if it has steps left, so that pause, reset and
/// new settings take effect quickly whatever the sequence length. (Step is never cut short.)
const CHUNK_SECONDS: f64 = 0.1;

/// Advances every run up to `steps` steps, in lockstep so the curves stay side by side (step 0
/// records the initial evaluation), and gathers what is new.
fn update(steps: usize, probe: Option<usize>, timebox: bool) -> Vec<RunUpdate> {
    RUNS.with(|r| {
        let mut runs = r.borrow_mut();
        let first: Vec<usize> = runs.iter().map(|run| run.records.len()).collect();
        runs.iter_mut().for_each(|run| {
            run.advance(0);
        });
        let start = now();
        for _ in 0..steps {
            runs.iter_mut().for_each(|run| {
                run.advance(1);
            });
            if timebox && now() - start > CHUNK_SECONDS {
                break;
            }
        }
        runs.iter_mut()
            .zip(first)
            .map(|(run, first)| RunUpdate {
                arch: run.spec.arch,
                step: run.step,
                state: run.state,
                seconds: run.seconds(),
                records: run.records[first..].to_vec(),
                probe: probe.map(|e| run.probe(e)),
            })
            .collect()
    })
}

/// Entry point of the worker binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromWorker::Error { message: format!("the training worker crashed: {info}") });
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
        let text = e.data().as_string().unwrap_or_default();
        match serde_json::from_str::<ToWorker>(&text) {
            Ok(msg) => handle(msg),
            Err(err) => post(&FromWorker::Error { message: format!("bad message to the worker: {err}") }),
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&FromWorker::Ready);
}
