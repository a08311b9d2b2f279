//! Drives the compare view's runs (every architecture x seed) on a pool of workers: loads them
//! when the config changes, trains them in rounds (every worker trains its runs up to the same
//! step, then the next round starts, so records stay side by side), probes and samples the
//! chosen seed, and folds the workers' updates into `Lab`. A worker that dies is replaced;
//! its runs keep their records and are marked crashed.

mod rounds;

pub use rounds::{crash_when_training, export, play, reset, step};
use rounds::{probe_now, pump, sample_now};

use super::data::DataSender;
use super::pool::Pool;
use super::{cores, corpus, lab, now_ms, Lab, RunView};
use crate::archive::Files;

/// A frame at 60 Hz, in ms.
const FRAME_MS: f64 = 16.7;
/// How often the page redraws while playing, in ms.
const DRAW_EVERY_MS: f64 = 200.0;
use crate::config::Config;
use crate::experiment::summary::Summary;
use crate::limits::{Memory, PAGE_BYTES};
use crate::protocol::{FromWorker, RunInfo, RunUpdate, ToWorker};
use crate::run::{ProbeView, RunSpec, RunState};
use leptos::prelude::*;

/// A load the workers have not had yet: the page starts its workers (and downloads the
/// engine) only when training is first asked for.
pub(super) struct Pending {
    generation: u32,
    workers: usize,
    assigned: Vec<Vec<RunSpec>>,
    query: String,
    text: bool,
    /// The user's files, handed to every worker before the runs.
    data: Option<Files>,
}

#[derive(Default)]
pub(super) struct Trainer {
    pool: Option<Pool>,
    pending: Option<Pending>,
    /// `#debug-crash`: crash worker 0 once training is under way (the dying-worker test).
    crash: bool,
    /// When the round in flight was sent (ms).
    round_started: f64,
    /// When the page was last told of new records (ms), and the probes it has not seen.
    last_draw: f64,
    unseen_probes: Vec<(RunInfo, ProbeView)>,
    /// Bumped on every load: messages about older runs are dropped.
    generation: u32,
    /// The runs each worker holds.
    assigned: Vec<Vec<RunSpec>>,
    busy: Vec<bool>,
    last_probe: f64,
    last_sample: f64,
    /// Play as soon as the runs of this key are loaded (a finding opened from the gallery).
    autoplay: Option<String>,
    /// The config text the current runs were loaded with.
    loaded: String,
    /// Whether the runs have been probed since they all stopped (the heatmaps at the end).
    probed_end: bool,
    /// An export under way: the files so far, and the workers whose models are still to come.
    export: Option<(Files, usize)>,
}

pub(super) type Store = StoredValue<Trainer, LocalStorage>;

pub(super) fn trainer() -> Store {
    expect_context::<Store>()
}

/// The text that identifies the runs: the config without page-only settings and without the
/// step budget (raising it trains the same runs on).
fn runs_key(c: &Config) -> String {
    Config { steps: 0, ..c.experiment() }.to_string()
}

/// Sets up the trainer; `active` is false while another tab shows (training pauses).
pub fn start(active: Signal<bool>) {
    let lab = lab();
    let t: Store = StoredValue::new_local(Trainer::default());
    provide_context(t);
    let send: std::rc::Rc<dyn Fn(Files)> = std::rc::Rc::new(data_sender(lab));
    provide_context(DataSender(StoredValue::new_local(send)));
    let key = Memo::new(move |_| runs_key(&lab.cfg.get()));
    Effect::new(move |_| {
        let _ = key.get();
        reload(lab, t);
    });
    let steps = Memo::new(move |_| lab.cfg.with(|c| c.steps));
    Effect::new(move |prev: Option<usize>| {
        let now = steps.get();
        if prev.is_some_and(|p| p != now) {
            budget(lab, t, now);
        }
        now
    });
    Effect::new(move |_| {
        if !active.get() {
            lab.playing.set(false);
        }
    });
    // A new probed seed or example: probe again; a new temperature: write again.
    Effect::new(move |_| {
        let _ = (lab.probe_seed.get(), lab.example.get());
        probe_now(lab, t);
    });
    Effect::new(move |_| {
        let _ = lab.cfg.with(|c| c.temp);
        sample_now(lab, t);
    });
}

/// Fresh runs from the config's seeds: the same initial weights and data as any other load.
pub(super) fn reload(lab: Lab, t: Store) {
    lab.playing.set(false);
    let c = lab.cfg.get_untracked();
    let specs = RunSpec::compare(&c);
    let workers = cores().min(specs.len()).max(1);
    let mut assigned = vec![Vec::new(); workers];
    specs.iter().enumerate().for_each(|(k, s)| assigned[k % workers].push(*s));
    let per_worker = assigned.iter().map(Vec::len).max().unwrap_or(0);
    let generation = t.with_value(|t| t.generation) + 1;
    t.update_value(|t| t.generation = generation);
    lab.probes.set(Vec::new());
    lab.samples.set(Vec::new());
    lab.data.bars.set(None);
    let problem = c.data_problem();
    let too_big = problem
        .is_none()
        .then(|| Memory::of(&c, &specs, per_worker, PAGE_BYTES, "per worker").check().err())
        .flatten();
    if let Some(e) = problem.or(too_big.clone()) {
        lab.runs.set(Vec::new());
        lab.refusal.set(Some(format!("Not started: {e}.")));
        // Too big to train, the user's data still has its baselines: one worker reads it with
        // no runs, so the data summary says them (as `gatelab data` does).
        if too_big.is_some() && c.uses_data() {
            let data = lab.data.files_for(&c);
            let pending = Pending {
                generation,
                workers: 1,
                assigned: vec![Vec::new()],
                query: c.to_string(),
                text: false,
                data,
            };
            t.update_value(|t| (t.pending, t.loaded) = (Some(pending), c.to_string()));
            load_pending(lab, t, || {});
        }
        return;
    }
    lab.refusal.set(None);
    if !lab.probe_seed.with_untracked(|s| c.seed_list().contains(s)) {
        lab.probe_seed.set(c.seed);
    }
    let views = specs
        .iter()
        .map(|&spec| RunView {
            info: RunInfo { spec, params: spec.arch.param_count(c.dims(spec.hidden)) },
            records: Vec::new(),
            state: RunState::Training,
            step: 0,
            seconds: 0.0,
            summary: None,
        })
        .collect();
    lab.runs.set(views);
    let text = c.task.needs_corpus() && !c.uses_data();
    let data = lab.data.files_for(&c);
    let pending = Pending { generation, workers, assigned, query: c.to_string(), text, data };
    t.update_value(|t| (t.pending, t.loaded) = (Some(pending), c.to_string()));
    let wanted = runs_key(&c);
    let play = t.try_update_value(|t| t.autoplay.take_if(|k| *k == wanted).is_some()).unwrap_or(false);
    if play {
        rounds::play(lab);
    } else if t.with_value(|t| t.pool.is_some()) {
        load_pending(lab, t, || {});
    }
}

/// Opens `c` and trains it at once (the gallery's findings).
pub fn open(lab: Lab, c: Config) {
    let t = trainer();
    t.update_value(|t| t.autoplay = Some(runs_key(&c)));
    if runs_key(&c) == lab.cfg.with_untracked(runs_key) {
        reload(lab, t);
    } else {
        lab.cfg.set(c);
    }
}

/// A new step budget: runs that have trained keep what they have and train on to it (a lower
/// budget than they have reached starts again).
fn budget(lab: Lab, t: Store, steps: usize) {
    let (trained, past) =
        lab.runs.with_untracked(|v| (v.iter().any(|r| r.step > 0), v.iter().any(|r| r.step > steps)));
    // A new experiment whose budget differs also changes the runs: they were just loaded for it.
    let loaded = t.with_value(|t| t.loaded == lab.cfg.with_untracked(Config::to_string));
    if !trained && loaded {
        return;
    }
    if !trained || past || t.with_value(|t| t.pool.is_none()) {
        reload(lab, t);
        return;
    }
    lab.runs.update(|v| {
        for r in v.iter_mut().filter(|r| r.state == RunState::Done && r.step < steps) {
            r.state = RunState::Training;
            r.summary = None;
        }
    });
    let generation = t.with_value(|t| t.generation);
    t.with_value(|t| {
        if let Some(pool) = &t.pool {
            pool.send_all(&ToWorker::Budget { generation, steps });
        }
    });
}

/// Hands the pending load to the workers (starting them the first time), then runs `then`.
pub(super) fn load_pending(lab: Lab, t: Store, then: impl FnOnce() + 'static) {
    let Some(p) = t.try_update_value(|t| t.pending.take()).flatten() else {
        then();
        return;
    };
    let send = move |corpus: Option<&'static str>| {
        if !current(t, p.generation) {
            return;
        }
        if let Err(e) = ensure_pool(lab, t, p.workers) {
            lab.error.set(Some(e));
            return;
        }
        t.update_value(|t| {
            t.busy = vec![false; p.workers];
            lab.rounds.update(|r| r.1 = 0);
            t.assigned = p.assigned.clone();
            let Some(pool) = &t.pool else { return };
            for (i, specs) in t.assigned.iter().enumerate() {
                if let Some(text) = corpus {
                    pool.send(i, &ToWorker::Corpus { text: text.to_string() });
                }
                if let Some(files) = &p.data {
                    pool.send(i, &ToWorker::Data { files: files.clone() });
                }
                pool.send(
                    i,
                    &ToWorker::Load {
                        generation: p.generation,
                        query: p.query.clone(),
                        specs: specs.clone(),
                    },
                );
            }
        });
        probe_now(lab, t);
        sample_now(lab, t);
        then();
    };
    if p.text {
        corpus::with_corpus(move |r| match r {
            Ok(text) => send(Some(text)),
            Err(e) => lab.refusal.set(Some(e)),
        });
    } else {
        send(None);
    }
}

/// What hands the user's files to the workers (started if need be), to call later (after the
/// files are read).
fn data_sender(lab: Lab) -> impl Fn(Files) {
    let t = trainer();
    move |files| {
        let n = t
            .with_value(|t| t.pool.as_ref().map(Pool::len))
            .unwrap_or_else(|| cores().min(2 * lab.cfg.with_untracked(|c| c.seeds)));
        if let Err(e) = ensure_pool(lab, t, n) {
            lab.data.problem.set(Some(e));
            return;
        }
        t.with_value(|t| {
            if let Some(p) = &t.pool {
                p.send_all(&ToWorker::Data { files });
            }
        });
    }
}

/// A pool of exactly `n` workers (a new one if the count changed).
fn ensure_pool(lab: Lab, t: Store, n: usize) -> Result<(), String> {
    if t.with_value(|t| t.pool.as_ref().map(Pool::len)) == Some(n) {
        return Ok(());
    }
    t.update_value(|t| t.pool = None);
    let pool = Pool::new(n, move |i, msg| on_message(lab, t, i, msg))?;
    t.update_value(|t| t.pool = Some(pool));
    Ok(())
}

fn current(t: Store, generation: u32) -> bool {
    t.with_value(|t| t.generation) == generation
}

fn on_message(lab: Lab, t: Store, worker: usize, msg: FromWorker) {
    match msg {
        FromWorker::Progress { generation, runs } if current(t, generation) => {
            t.update_value(|t| {
                if let Some(b) = t.busy.get_mut(worker) {
                    *b = false;
                }
                let busy = t.busy.iter().filter(|b| **b).count();
                lab.rounds.update(|r| r.1 = busy);
                if std::mem::take(&mut t.crash) {
                    if let Some(p) = &t.pool {
                        p.send(0, &ToWorker::Crash);
                    }
                }
            });
            absorb(lab, t, runs);
            // The next round leaves at once (drawing happens after this handler, while the
            // workers train); rounds shorter than a frame wait for the next frame.
            if t.with_value(|t| t.busy.iter().all(|b| !b)) && lab.playing.get_untracked() {
                if now_ms() - t.with_value(|t| t.round_started) >= FRAME_MS {
                    pump(lab, t);
                } else {
                    request_animation_frame(move || pump(lab, t));
                }
            }
        }
        FromWorker::Samples { generation, texts } if current(t, generation) => {
            let infos = lab.runs.with_untracked(|v| v.iter().map(|r| r.info.clone()).collect::<Vec<_>>());
            let mut got: Vec<(RunInfo, String)> = texts
                .into_iter()
                .filter_map(|(s, text)| Some((infos.iter().find(|i| i.spec == s)?.clone(), text)))
                .collect();
            lab.samples.update(|all| {
                all.retain(|(i, _)| !got.iter().any(|(g, _)| g.spec == i.spec));
                all.append(&mut got);
                all.sort_by_key(|(i, _)| i.spec.arch);
            });
        }
        FromWorker::Models { files: named } => {
            t.update_value(|t| {
                let Some((files, waiting)) = &mut t.export else { return };
                files.extend(named);
                *waiting -= 1;
                if *waiting == 0 {
                    let files = std::mem::take(files);
                    t.export = None;
                    if let Some(p) = &t.pool {
                        p.send(0, &ToWorker::Zip { files });
                    }
                }
            });
        }
        FromWorker::Zipped { bytes } => {
            let name = format!("gatelab-{}.zip", lab.cfg.with_untracked(|c| c.task.name()));
            super::download::download_bytes(&name, "application/zip", &bytes);
        }
        FromWorker::DataRead { info } if super::data::read(lab.data, lab, &info) => reload(lab, t),
        FromWorker::Bars { generation, chance, baselines, held_out } if current(t, generation) => {
            lab.data.bars.set(Some(super::data::Bars { chance, baselines, held_out }));
        }
        FromWorker::Refused { message } if !super::data::refused(lab.data, message.clone()) => {
            lab.refusal.set(Some(message))
        }
        FromWorker::Error { message } => worker_died(lab, t, worker, message),
        _ => {}
    }
}

/// Worker `i` died: its runs keep their records and are marked crashed; a fresh worker takes
/// its place (Reset trains those runs again); the others go on.
fn worker_died(lab: Lab, t: Store, i: usize, message: String) {
    let lost: Vec<RunSpec> = t.with_value(|t| t.assigned.get(i).cloned().unwrap_or_default());
    let c = lab.cfg.get_untracked();
    lab.runs.update(|v| {
        for r in v.iter_mut().filter(|r| lost.contains(&r.info.spec) && r.state == RunState::Training) {
            r.state = RunState::Crashed;
            r.summary = Some(Summary::stopped(&c, r.info.spec, r.step, RunState::Crashed));
        }
    });
    let restarted = t.try_update_value(|t| {
        if let (Some(b), Some(a)) = (t.busy.get_mut(i), t.assigned.get_mut(i)) {
            (*b, *a) = (false, Vec::new());
        }
        let busy = t.busy.iter().filter(|b| **b).count();
        lab.rounds.update(|r| r.1 = busy);
        t.pool.as_mut().map(|p| p.restart(i))
    });
    let note = match restarted.flatten() {
        Some(Ok(())) => "a fresh worker took its place; its runs keep their records, marked crashed (Reset trains them again)",
        _ => "it could not be replaced",
    };
    lab.error.set(Some(format!("{message} — {note}.")));
    if lab.playing.get_untracked() && t.with_value(|t| t.busy.iter().all(|b| !b)) {
        request_animation_frame(move || pump(lab, t));
    }
}

/// Folds a worker's updates into the runs and the probes. While playing, the page is told (and
/// redraws) at most every `DRAW_EVERY_MS`: drawing takes the main thread from the workers'
/// cores; a pause or the end of the budget draws at once.
fn absorb(lab: Lab, t: Store, updates: Vec<RunUpdate>) {
    let mut probes = Vec::new();
    lab.runs.update_untracked(|views| {
        for u in updates {
            let Some(v) = views.iter_mut().find(|v| v.info.spec == u.spec) else { continue };
            v.records.extend(u.records);
            v.state = u.state;
            v.step = u.step;
            v.seconds = u.seconds;
            if u.summary.is_some() {
                v.summary = u.summary;
            }
            if let Some(p) = u.probe {
                probes.push((v.info.clone(), p));
            }
        }
    });
    let seed = lab.probe_seed.get_untracked();
    probes.retain(|(i, _)| i.spec.seed == seed);
    t.update_value(|t| {
        t.unseen_probes.retain(|(i, _)| !probes.iter().any(|(p, _)| p.spec == i.spec));
        t.unseen_probes.append(&mut probes);
    });
    let stopped = lab.runs.with_untracked(|v| v.iter().all(|r| r.state != RunState::Training));
    if stopped {
        lab.playing.set(false);
        // Probes travel with rounds, so the last one may be older than the end: once more, all
        // runs at their final step.
        if !t.try_update_value(|t| std::mem::replace(&mut t.probed_end, true)).unwrap_or(true) {
            probe_now(lab, t);
        }
    } else {
        t.update_value(|t| t.probed_end = false);
    }
    let due = now_ms() - t.with_value(|t| t.last_draw) >= DRAW_EVERY_MS;
    if due || !lab.playing.get_untracked() {
        draw(lab, t);
    }
}

/// Tells the page what the workers reported since the last time.
pub(super) fn draw(lab: Lab, t: Store) {
    let probes = t.try_update_value(|t| {
        t.last_draw = now_ms();
        std::mem::take(&mut t.unseen_probes)
    });
    lab.runs.notify();
    let seed = lab.probe_seed.get_untracked();
    if let Some(mut probes) = probes.filter(|p| !p.is_empty()) {
        lab.probes.update(|all| {
            all.retain(|(i, _)| {
                i.spec.seed == seed && !probes.iter().any(|(p, _)| p.spec.arch == i.spec.arch)
            });
            all.append(&mut probes);
            all.sort_by_key(|(i, _)| i.spec.arch);
        });
    }
}
