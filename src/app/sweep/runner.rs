//! Runs a sweep on a pool of workers: each worker takes the next run when it finishes one. A
//! worker that dies leaves its run as a "crashed" row; a fresh worker takes its place and the
//! sweep goes on.

use super::{Results, Source, SweepState};
use crate::app::pool::Pool;
use crate::app::{cores, corpus, now_ms, Lab};
use crate::limits::{check_memory, check_sweep, seconds_text, work, PAGE_BYTES};
use crate::protocol::{FromWorker, ToWorker};
use crate::run::{RunSpec, RunState};
use crate::summary::Summary;
use crate::tasks::TaskKind;
use leptos::prelude::*;

#[derive(Default)]
pub struct Run {
    pool: Option<Pool>,
    /// Which run each worker is on.
    current: Vec<Option<usize>>,
    next: usize,
    query: String,
    specs: Vec<RunSpec>,
    corpus: Option<&'static str>,
}

#[derive(Clone, Copy)]
pub struct Runner {
    lab: Lab,
    s: SweepState,
    run: StoredValue<Run, LocalStorage>,
}

impl Runner {
    pub fn new(lab: Lab, s: SweepState) -> Runner {
        Runner { lab, s, run: StoredValue::new_local(Run::default()) }
    }
}

pub fn cancel(r: Runner) {
    r.run.update_value(|run| run.pool = None);
    r.s.running.set(false);
}

pub fn start(r: Runner) {
    let c = r.lab.cfg.get_untracked();
    let specs = RunSpec::all(&c);
    let w = work(&c, &specs);
    if let Err(e) = check_sweep(&w).and_then(|()| check_memory(&w, 1, PAGE_BYTES, "per worker")) {
        r.s.refusal.set(Some(e));
        return;
    }
    cancel(r);
    r.s.refusal.set(None);
    r.s.results.set(Some(Results {
        config: c.clone(),
        specs: specs.clone(),
        rows: vec![None; specs.len()],
        source: Source::Ran,
    }));
    r.s.steps.set(vec![0; specs.len()]);
    r.s.started_ms.set(now_ms());
    r.s.running.set(true);
    let task = c.task;
    let launch = move |text: Option<&'static str>| {
        if !r.s.running.get_untracked() {
            return;
        }
        let n = cores().min(specs.len()).max(1);
        let pool = match Pool::new(n, move |i, msg| on_message(r, i, msg)) {
            Ok(p) => p,
            Err(e) => {
                r.lab.error.set(Some(e));
                r.s.running.set(false);
                return;
            }
        };
        if let Some(t) = text {
            pool.send_all(&ToWorker::Corpus { text: t.to_string() });
        }
        r.run.update_value(|run| {
            *run = Run {
                pool: Some(pool),
                current: vec![None; n],
                next: 0,
                query: c.to_string(),
                specs: specs.clone(),
                corpus: text,
            };
        });
        for i in 0..n {
            give(r, i);
        }
    };
    if task == TaskKind::Text {
        corpus::with_corpus(move |res| match res {
            Ok(text) => launch(Some(text)),
            Err(e) => {
                r.s.refusal.set(Some(e));
                r.s.running.set(false);
            }
        });
    } else {
        launch(None);
    }
}

/// Gives worker i the next run, if any is left.
fn give(r: Runner, i: usize) {
    r.run.update_value(|run| {
        let k = run.next;
        let Some(&spec) = run.specs.get(k) else {
            run.current[i] = None;
            return;
        };
        run.next += 1;
        run.current[i] = Some(k);
        if let Some(pool) = &run.pool {
            pool.send(i, &ToWorker::Sweep { id: k, query: run.query.clone(), spec });
        }
    });
}

fn record(r: Runner, id: usize, summary: Summary) {
    r.s.steps.update(|v| v[id] = summary.steps);
    r.s.results.update(|res| {
        if let Some(res) = res {
            res.rows[id] = Some(summary);
        }
    });
    let all =
        r.s.results
            .with_untracked(|res| res.as_ref().is_some_and(|res| res.rows.iter().all(Option::is_some)));
    if all {
        r.s.finished_ms.set(now_ms());
        cancel(r);
    }
}

fn on_message(r: Runner, i: usize, msg: FromWorker) {
    if !r.s.running.get_untracked() {
        return;
    }
    match msg {
        FromWorker::SweepProgress { id, step } => r.s.steps.update(|v| v[id] = step),
        FromWorker::SweepDone { id, summary } => {
            record(r, id, summary);
            if r.s.running.get_untracked() {
                give(r, i);
            }
        }
        FromWorker::Refused { message } => {
            r.s.refusal.set(Some(message));
            cancel(r);
        }
        FromWorker::Error { message } => {
            // The run it was on becomes a crashed row; a fresh worker goes on with the rest.
            let id = r.run.with_value(|run| run.current.get(i).copied().flatten());
            r.lab.error.set(Some(format!(
                "{message} — its run is marked crashed; a fresh worker goes on with the sweep."
            )));
            let restarted = r
                .run
                .try_update_value(|run| {
                    let corpus = run.corpus;
                    run.pool.as_mut().map(|p| {
                        let r = p.restart(i);
                        if let Some(t) = corpus {
                            p.send(i, &ToWorker::Corpus { text: t.to_string() });
                        }
                        r
                    })
                })
                .flatten();
            if let Some(id) = id {
                let c =
                    r.s.results
                        .with_untracked(|res| res.as_ref().map(|res| (res.config.clone(), res.specs[id])));
                if let Some((c, spec)) = c {
                    record(r, id, crashed(&c, spec, r.s.steps.with_untracked(|v| v[id])));
                }
            }
            if matches!(restarted, Some(Ok(()))) && r.s.running.get_untracked() {
                give(r, i);
            }
        }
        _ => {}
    }
}

/// The row of a run whose worker died.
fn crashed(c: &crate::config::Config, spec: RunSpec, steps: usize) -> Summary {
    Summary {
        task: c.task.name().to_string(),
        arch: spec.arch,
        hidden: spec.hidden,
        params: spec.arch.param_count(c.dims(spec.hidden)),
        len: spec.len,
        lr: spec.lr,
        seed: spec.seed,
        steps,
        train_loss: f64::NAN,
        val_loss: f64::NAN,
        val_metric: f64::NAN,
        test_metric: f64::NAN,
        baseline: c.task().baseline_loss(spec.len),
        grad_decay: f64::NAN,
        seconds: f64::NAN,
        state: RunState::Crashed,
    }
}

/// Where the sweep stands, in words.
pub fn progress(lab: Lab, s: SweepState) -> String {
    let Some((total, done, budget)) = s.results.with(|r| {
        r.as_ref()
            .filter(|r| r.source == Source::Ran)
            .map(|r| (r.rows.len(), r.rows.iter().flatten().count(), r.config.steps))
    }) else {
        return String::new();
    };
    let steps: usize = s.steps.with(|v| v.iter().sum());
    let end = if s.running.get() { now_ms() } else { s.finished_ms.get() };
    let elapsed = (end - s.started_ms.get()) / 1000.0;
    let frac = steps as f64 / (budget * total).max(1) as f64;
    let _ = lab;
    if s.running.get() {
        let left = if frac > 0.02 {
            format!(", about {} left", seconds_text(elapsed * (1.0 - frac) / frac))
        } else {
            String::new()
        };
        format!(
            "running: {done} / {total} runs done, {:.0}% of the steps, {}{left}",
            100.0 * frac,
            seconds_text(elapsed)
        )
    } else if done == total {
        format!("{done} / {total} runs done in {}", seconds_text(elapsed))
    } else {
        format!("cancelled: {done} / {total} runs done")
    }
}
