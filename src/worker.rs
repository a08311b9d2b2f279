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
        ToWorker::Train { steps, probe } => post(&FromWorker::Progress { runs: update(steps, probe) }),
        ToWorker::Probe { example } => post(&FromWorker::Progress { runs: update(0, Some(example)) }),
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

/// Advances every run (step 0 records its initial evaluation) and gathers what is new.
fn update(steps: usize, probe: Option<usize>) -> Vec<RunUpdate> {
    RUNS.with(|r| {
        r.borrow_mut()
            .iter_mut()
            .map(|run| {
                let records = run.advance(steps).to_vec();
                RunUpdate {
                    arch: run.spec.arch,
                    step: run.step,
                    state: run.state,
                    seconds: run.seconds(),
                    records,
                    probe: probe.map(|e| run.probe(e)),
                }
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
