//! Runs a sweep on a pool of workers, stage by stage (the grid, then the confirmation of each
//! architecture's best setting on fresh seeds): each worker takes the next run of the stage
//! when it finishes one; when a stage is complete the next one's runs are planned from its
//! results. A worker that dies leaves its run as a "crashed" row; a fresh worker takes its
//! place and the sweep goes on.

use super::{Results, Source, StageRows, SweepState};
use crate::app::pool::Pool;
use crate::app::{cores, corpus, handoff, now_ms, Lab};
use crate::config::Config;
use crate::experiment::plan::{jobs, stages, whole};
use crate::experiment::summary::Summary;
use crate::limits::{check_sweep, seconds_text, Memory, PAGE_BYTES};
use crate::protocol::{FromWorker, ToWorker};
use crate::run::RunState;
use leptos::prelude::*;

#[derive(Default)]
pub struct Run {
    pool: Option<Pool>,
    /// Which run of the current stage each worker is on.
    current: Vec<Option<usize>>,
    /// The stage being run, and its next run to hand out.
    stage: usize,
    next: usize,
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
    let grid = jobs(&c, 0, &[]);
    let w = whole(&c, &grid);
    let first: Vec<(Config, crate::run::RunSpec)> = grid.iter().map(|j| (j.config.clone(), j.spec)).collect();
    let memory = Memory { runs: first, runs_per_worker: 1, limit: PAGE_BYTES, what: "per worker" };
    let checked = check_sweep(&w).and_then(|()| memory.check());
    if let Some(e) = c.data_problem().or(checked.err()) {
        r.s.refusal.set(Some(e));
        return;
    }
    cancel(r);
    r.s.refusal.set(None);
    let rows = vec![None; grid.len()];
    r.s.steps.set(vec![0; grid.len()]);
    r.s.results.set(Some(Results {
        config: c.clone(),
        stages: vec![StageRows { jobs: grid, rows }],
        source: Source::Ran,
    }));
    r.s.started_ms.set(now_ms());
    r.s.running.set(true);
    let uses_corpus = c.task.needs_corpus() && !c.uses_data();
    let launch = move |text: Option<&'static str>| {
        if !r.s.running.get_untracked() {
            return;
        }
        let n = cores().min(w.runs).max(1);
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
        if let Some(files) = c.uses_data().then(handoff::shared_files).flatten().map(|(f, _)| f) {
            pool.send_all(&ToWorker::Data { files });
        }
        r.run.update_value(|run| {
            *run = Run { pool: Some(pool), current: vec![None; n], stage: 0, next: 0, corpus: text }
        });
        (0..n).for_each(|i| give(r, i));
    };
    if uses_corpus {
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

/// A signal that changes twice a second while the calling view lives: what redraws the
/// elapsed time of a running sweep or search.
pub fn ticker() -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    let handle =
        set_interval_with_handle(move || tick.update(|t| *t += 1), std::time::Duration::from_millis(500))
            .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    tick
}

/// Gives worker i the next run of the current stage, if any is left.
fn give(r: Runner, i: usize) {
    let (stage, k) = r.run.with_value(|run| (run.stage, run.next));
    let job =
        r.s.results
            .with_untracked(|res| res.as_ref().and_then(|res| res.stages.get(stage)?.jobs.get(k).cloned()));
    r.run.update_value(|run| {
        let Some(job) = job else {
            run.current[i] = None;
            return;
        };
        run.next += 1;
        run.current[i] = Some(k);
        if let Some(pool) = &run.pool {
            pool.send(i, &ToWorker::Sweep { id: k, query: job.config.to_string(), spec: job.spec });
        }
    });
}

/// Records run `id` of the current stage; at the end of a stage, plans and starts the next.
fn record(r: Runner, id: usize, summary: Summary) {
    r.s.steps.update(|v| v[id] = summary.steps);
    let stage = r.run.with_value(|run| run.stage);
    r.s.results.update(|res| {
        if let Some(rows) = res.as_mut().and_then(|res| res.stages.get_mut(stage)) {
            rows.rows[id] = Some(summary);
        }
    });
    let next = r.s.results.with_untracked(|res| {
        let res = res.as_ref()?;
        if !res.stages.get(stage)?.complete() || stage + 1 >= stages(&res.config).len() {
            return None;
        }
        let done: Vec<Vec<Summary>> =
            res.stages.iter().map(|s| s.rows.iter().flatten().cloned().collect()).collect();
        Some(jobs(&res.config, stage + 1, &done))
    });
    let finished = r.s.results.with_untracked(|res| res.as_ref().is_some_and(Results::finished));
    if let Some(next) = next {
        r.s.steps.set(vec![0; next.len()]);
        r.s.results.update(|res| {
            if let Some(res) = res {
                let rows = vec![None; next.len()];
                res.stages.push(StageRows { jobs: next, rows });
            }
        });
        r.run.update_value(|run| (run.stage, run.next) = (stage + 1, 0));
        let workers = r.run.with_value(|run| run.current.len());
        (0..workers).filter(|&i| r.run.with_value(|run| run.current[i].is_none())).for_each(|i| give(r, i));
    } else if finished {
        r.s.finished_ms.set(now_ms());
        cancel(r);
    }
}

fn on_message(r: Runner, i: usize, msg: FromWorker) {
    if !r.s.running.get_untracked() {
        return;
    }
    match msg {
        FromWorker::SweepProgress { id, step } => r.s.steps.update(|v| {
            if let Some(x) = v.get_mut(id) {
                *x = step;
            }
        }),
        FromWorker::SweepDone { id, summary } => {
            r.run.update_value(|run| run.current[i] = None);
            let stage = r.run.with_value(|run| run.stage);
            let job = r.s.results.with_untracked(|res| {
                res.as_ref().and_then(|res| res.stages.get(stage)?.jobs.get(id).cloned())
            });
            if let Some(job) = job {
                record(r, id, job.tag(summary));
            }
            if r.s.running.get_untracked() && r.run.with_value(|run| run.current[i].is_none()) {
                give(r, i);
            }
        }
        FromWorker::Refused { message } => {
            r.s.refusal.set(Some(message));
            cancel(r);
        }
        FromWorker::Error { message } => worker_died(r, i, message),
        _ => {}
    }
}

/// The run worker i was on becomes a crashed row; a fresh worker goes on with the rest.
fn worker_died(r: Runner, i: usize, message: String) {
    let (stage, id) = r.run.with_value(|run| (run.stage, run.current.get(i).copied().flatten()));
    r.lab
        .error
        .set(Some(format!("{message} — its run is marked crashed; a fresh worker goes on with the sweep.")));
    let restarted = r
        .run
        .try_update_value(|run| {
            run.current[i] = None;
            let corpus = run.corpus;
            run.pool.as_mut().map(|p| {
                let restarted = p.restart(i);
                if let Some(t) = corpus {
                    p.send(i, &ToWorker::Corpus { text: t.to_string() });
                }
                if let Some(files) = r
                    .lab
                    .cfg
                    .with_untracked(Config::uses_data)
                    .then(handoff::shared_files)
                    .flatten()
                    .map(|(f, _)| f)
                {
                    p.send(i, &ToWorker::Data { files });
                }
                restarted
            })
        })
        .flatten();
    if let Some(id) = id {
        let job = r
            .s
            .results
            .with_untracked(|res| res.as_ref().and_then(|res| res.stages.get(stage)?.jobs.get(id).cloned()));
        if let Some(job) = job {
            let steps = r.s.steps.with_untracked(|v| v.get(id).copied().unwrap_or(0));
            record(r, id, job.stopped(steps, RunState::Crashed));
        }
    }
    if matches!(restarted, Some(Ok(())))
        && r.s.running.get_untracked()
        && r.run.with_value(|run| run.current[i].is_none())
    {
        give(r, i);
    }
}

/// Where the sweep stands, in words.
pub fn progress(s: SweepState) -> String {
    let Some((names, stage, total, done, budget)) = s.results.with(|r| {
        let r = r.as_ref().filter(|r| r.source == Source::Ran)?;
        let last = r.stages.last()?;
        let budget: usize = last.jobs.iter().map(|j| j.config.steps).sum();
        let names: Vec<String> = stages(&r.config).iter().map(|s| s.name()).collect();
        Some((names, r.stages.len() - 1, last.rows.len(), last.rows.iter().flatten().count(), budget))
    }) else {
        return String::new();
    };
    let steps: usize = s.steps.with(|v| v.iter().sum());
    let end = if s.running.get() { now_ms() } else { s.finished_ms.get() };
    let elapsed = (end - s.started_ms.get()) / 1000.0;
    let frac = steps as f64 / budget.max(1) as f64;
    let what = format!("stage {} of {} ({})", stage + 1, names.len(), names[stage]);
    if s.running.get() {
        format!(
            "running {what}: {done} / {total} runs done, {:.0}% of its steps, {} so far",
            100.0 * frac,
            seconds_text(elapsed)
        )
    } else if done == total && stage + 1 == names.len() {
        format!("{done} / {total} runs of {what} done; all of it took {}", seconds_text(elapsed))
    } else {
        format!("cancelled during {what}: {done} / {total} runs done")
    }
}
