//! Rounds of training across the workers (play, step), probes and samples of the chosen seed.

use super::{draw, load_pending, reload, trainer, Store};
use crate::app::{now_ms, Lab};
use crate::archive::Files;
use crate::protocol::ToWorker;
use crate::run::{RunSpec, RunState};
use leptos::prelude::*;

/// Probes (the heatmaps) at most this often while training, in ms; samples (text) this often.
const PROBE_EVERY_MS: f64 = 250.0;
const SAMPLE_EVERY_MS: f64 = 3000.0;
/// Characters of each text sample.
const SAMPLE_CHARS: usize = 240;

/// Which example and seed to probe.
fn probe_target(lab: Lab) -> (usize, u64) {
    (lab.example.get_untracked(), lab.probe_seed.get_untracked())
}

/// Sends one round of training to every worker that has runs still training.
fn round(lab: Lab, t: Store, until: usize, timebox: bool, probe: Option<(usize, u64)>) {
    let generation = t.with_value(|t| t.generation);
    let training: Vec<RunSpec> = lab.runs.with_untracked(|v| {
        v.iter().filter(|r| r.state == RunState::Training).map(|r| r.info.spec).collect()
    });
    t.update_value(|t| {
        t.round_started = now_ms();
        let Some(pool) = &t.pool else { return };
        for (i, specs) in t.assigned.iter().enumerate() {
            if specs.iter().any(|s| training.contains(s)) && !t.busy[i] {
                pool.send(i, &ToWorker::Train { generation, until, probe, timebox });
                t.busy[i] = true;
            }
        }
    });
    let busy = t.with_value(|t| t.busy.iter().filter(|b| **b).count());
    lab.rounds.update(|(sent, in_flight)| (*sent, *in_flight) = (*sent + (busy > 0) as u32, busy));
    if busy == 0 {
        lab.playing.set(false);
    }
}

fn steps(lab: Lab) -> (usize, usize) {
    lab.runs.with_untracked(|v| {
        let going = v.iter().filter(|r| r.state == RunState::Training);
        let low = going.clone().map(|r| r.step).min().unwrap_or(0);
        let high = v.iter().map(|r| r.step).max().unwrap_or(0);
        (low, high)
    })
}

/// The next round of play, once every worker has answered the last.
pub(super) fn pump(lab: Lab, t: Store) {
    if !lab.playing.get_untracked() || t.with_value(|t| t.busy.iter().any(|&b| b)) {
        return;
    }
    let c = lab.cfg.get_untracked();
    let (_, high) = steps(lab);
    let probe = (now_ms() - t.with_value(|t| t.last_probe) > PROBE_EVERY_MS).then(|| {
        t.update_value(|t| t.last_probe = now_ms());
        probe_target(lab)
    });
    if c.task.writes_text() && now_ms() - t.with_value(|t| t.last_sample) > SAMPLE_EVERY_MS {
        sample_now(lab, t);
    }
    round(lab, t, (high + c.speed).min(c.steps), true, probe);
}

/// Trains every run to the next record.
fn step_once(lab: Lab, t: Store) {
    if t.with_value(|t| t.busy.iter().any(|&b| b)) {
        return;
    }
    let c = lab.cfg.get_untracked();
    let (low, _) = steps(lab);
    let until = ((low / c.every() + 1) * c.every()).min(c.steps);
    round(lab, t, until, false, Some(probe_target(lab)));
    if c.task.writes_text() {
        sample_now(lab, t);
    }
}

pub fn play(lab: Lab) {
    let t = trainer();
    lab.playing.update(|p| *p = !*p);
    if lab.playing.get_untracked() {
        load_pending(lab, t, move || pump(lab, t));
    } else {
        // Paused: show everything reported so far at once (only the round in flight follows).
        draw(lab, t);
    }
}

pub fn step(lab: Lab) {
    let t = trainer();
    load_pending(lab, t, move || step_once(lab, t));
}

pub fn reset(lab: Lab) {
    reload(lab, trainer());
}

pub(super) fn probe_now(lab: Lab, t: Store) {
    let generation = t.with_value(|t| t.generation);
    let (example, seed) = probe_target(lab);
    t.with_value(|t| {
        if let Some(pool) = &t.pool {
            pool.send_all(&ToWorker::Probe { generation, example, seed });
        }
    });
}

pub(super) fn sample_now(lab: Lab, t: Store) {
    let c = lab.cfg.get_untracked();
    if !c.task.writes_text() {
        return;
    }
    let generation = t.with_value(|t| t.generation);
    let seed = lab.probe_seed.get_untracked();
    t.update_value(|t| {
        t.last_sample = now_ms();
        if let Some(pool) = &t.pool {
            pool.send_all(&ToWorker::Sample { generation, chars: SAMPLE_CHARS, temp: c.temp, seed });
        }
    });
}

/// The export's zip: the page's `files`, then every worker's models, zipped by worker 0.
pub fn export(files: Files) {
    trainer().update_value(|t| {
        let Some(pool) = &t.pool else { return };
        t.export = Some((files, pool.len()));
        pool.send_all(&ToWorker::Export);
    });
}

/// Crash a worker on purpose once training runs (the browser test of a dying worker;
/// `#debug-crash` in the URL).
pub fn crash_when_training() {
    trainer().update_value(|t| t.crash = true);
}
