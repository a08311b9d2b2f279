//! The Web Worker side: owns its share of the runs, trains them off the main thread, posts
//! records. Every message is binary (see `protocol`).

use crate::bench;
use crate::config::{parse, Config};
use crate::datafile::store::Store;
use crate::datafile::File;
use crate::experiment::summary::Summary;
use crate::limits::{Memory, PAGE_BYTES};
use crate::nn::model_file::{pytorch_script, to_json};
use crate::nn::sampler::Sampler;
use crate::protocol::{decode, encode, FromWorker, RunUpdate, ToWorker};
use crate::rng::{prng, stream, Stream};
use crate::run::{Run, RunSpec, RunState};
use crate::tasks::text;
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
    let buf = js_sys::Uint8Array::from(&encode(msg)[..]).buffer();
    let _ = scope.post_message_with_transfer(&buf, &js_sys::Array::of1(&buf));
}

/// The runs this worker holds, their config and the load they belong to.
struct Held {
    generation: u32,
    config: Config,
    runs: Vec<Run>,
    /// Whether each run's summary has gone to the page (once, when it stops).
    summarised: Vec<bool>,
}

/// Each held run's model file (`models/`) and the PyTorch script that loads it (`pytorch/`),
/// and the same for its best checkpoint (`-best`) where it trains on a fixed set and that
/// checkpoint is not its end.
fn export_files(h: &Held) -> Vec<(String, Vec<u8>)> {
    let vocab = h.config.task().vocab();
    let mut out = Vec::new();
    for r in &h.runs {
        let stem = r.spec.stem(&h.config);
        // The model as it ends, and at its best checkpoint where that came before the end.
        let best =
            r.best_model().filter(|_| h.config.fixed_training_set()).map(|m| (format!("{stem}-best"), m));
        for (name, model) in
            [(stem, &r.net.model)].into_iter().chain(best.iter().map(|(n, m)| (n.clone(), m)))
        {
            let json = to_json(model, vocab.as_deref()).to_string();
            out.push((format!("models/{name}.json"), json.into_bytes()));
            let script = pytorch_script(r.spec.arch, model.dims, &format!("../models/{name}.json"));
            out.push((format!("pytorch/{name}.py"), script.into_bytes()));
        }
    }
    out
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    /// The user's datasets this worker has read; configs from the page are bound to them.
    static DATA: RefCell<Store> = RefCell::new(Store::default());
}

/// A chunk of play stops after this long even if it has steps left, so that pause, reset and
/// new settings take effect quickly whatever the sequence length. (Step is never cut short.)
const CHUNK_SECONDS: f64 = 0.1;

fn handle(msg: ToWorker) {
    match msg {
        ToWorker::Data { files } => {
            let files: Vec<File> = files.into_iter().map(|(name, bytes)| File { name, bytes }).collect();
            match DATA.with(|d| d.borrow_mut().install(&files)) {
                Ok(d) => post(&FromWorker::DataRead { info: d.info.clone() }),
                Err(message) => post(&FromWorker::Refused { message }),
            }
        }
        ToWorker::Corpus { text } => {
            if let Err(e) = text::install(&text) {
                post(&FromWorker::Refused { message: e });
            }
        }
        ToWorker::Load { generation, query, specs } => load(generation, &query, specs),
        ToWorker::Train { generation, until, probe, timebox } => {
            let runs = with_runs(generation, |h| train(h, until, probe, timebox));
            post(&FromWorker::Progress { generation, runs: runs.unwrap_or_default() });
        }
        ToWorker::Budget { generation, steps } => {
            with_runs(generation, |h| {
                for (r, told) in h.runs.iter_mut().zip(h.summarised.iter_mut()) {
                    r.extend(steps);
                    *told &= r.state != RunState::Training;
                }
                h.config.steps = h.config.steps.max(steps);
            });
        }
        ToWorker::Probe { generation, example, seed } => {
            if let Some(runs) = with_runs(generation, |h| train(h, 0, Some((example, seed)), false)) {
                post(&FromWorker::Progress { generation, runs });
            }
        }
        ToWorker::Sample { generation, chars, temp, seed } => {
            if let Some(texts) = with_runs(generation, |h| samples(h, chars, temp, seed)) {
                post(&FromWorker::Samples { generation, texts });
            }
        }
        ToWorker::Export => {
            let files = HELD.with(|h| h.borrow().as_ref().map(export_files).unwrap_or_default());
            post(&FromWorker::Models { files });
        }
        ToWorker::Zip { files } => match crate::archive::zip(&files) {
            Ok(bytes) => post(&FromWorker::Zipped { bytes }),
            Err(message) => post(&FromWorker::Refused { message }),
        },
        ToWorker::Sweep { id, query, spec } => sweep_run(id, &query, spec),
        ToWorker::Bench { arch, hidden } => {
            let r = bench::row(arch, hidden, now);
            post(&FromWorker::BenchRow { arch, hidden, steps_per_s: r.steps_per_s, gflops: r.gflops });
        }
        ToWorker::Crash => panic!("crash requested by the page (#debug-crash)"),
    }
}

/// The config the page sent, which it wrote from a clean config: anything else is refused, not
/// mended, so a worker never trains something other than what the page shows. It is bound to
/// the dataset it names if this worker has read it.
fn strict(query: &str) -> Option<Config> {
    match parse(query) {
        Ok(mut c) => {
            DATA.with(|d| c.bind(&d.borrow()));
            Some(c)
        }
        Err(notes) => {
            let said: Vec<String> = notes.iter().map(|n| n.refusal()).collect();
            post(&FromWorker::Refused { message: format!("not a clean config: {}", said.join("; ")) });
            None
        }
    }
}

fn load(generation: u32, query: &str, specs: Vec<RunSpec>) {
    let Some(config) = strict(query) else { return };
    // The page checked the limits; a worker never builds past them whatever it is sent.
    if let Err(e) = Memory::of(&config, &specs, specs.len(), PAGE_BYTES, "per worker").check() {
        post(&FromWorker::Refused { message: e });
        return;
    }
    if config.task.needs_corpus() && config.data.is_empty() && text::builtin().is_none() {
        post(&FromWorker::Refused { message: "the text corpus has not reached this worker".into() });
        return;
    }
    if let Some(message) = config.data_problem() {
        post(&FromWorker::Refused { message });
        return;
    }
    if let Some(u) = config.task().user() {
        let len = config.seq_len();
        let (task, chance) = (config.task, config.task().baseline_loss(len));
        let metric = config.task().baseline_metric(len);
        let (baselines, held_out) = (u.baselines(task, len), u.held_out(task, len));
        post(&FromWorker::Bars { generation, chance: (chance, metric), baselines, held_out });
    }
    let runs: Vec<Run> = specs.into_iter().map(|s| Run::new(&config, s, now)).collect();
    let summarised = vec![false; runs.len()];
    HELD.with(|h| *h.borrow_mut() = Some(Held { generation, config, runs, summarised }));
}

fn with_runs<T>(generation: u32, f: impl FnOnce(&mut Held) -> T) -> Option<T> {
    HELD.with(|h| h.borrow_mut().as_mut().filter(|h| h.generation == generation).map(f))
}

/// Advances every run up to step `until`, in lockstep (step 0 records the initial evaluation),
/// and gathers what is new; probes the runs of the asked seed.
fn train(h: &mut Held, until: usize, probe: Option<(usize, u64)>, timebox: bool) -> Vec<RunUpdate> {
    let first: Vec<usize> = h.runs.iter().map(|r| r.records.len()).collect();
    h.runs.iter_mut().for_each(|r| {
        r.advance(0);
    });
    let start = now();
    loop {
        let mut moved = false;
        for r in h.runs.iter_mut().filter(|r| r.state == RunState::Training && r.step < until) {
            r.advance(1);
            moved = true;
        }
        if !moved || (timebox && now() - start > CHUNK_SECONDS) {
            break;
        }
    }
    let config = &h.config;
    h.runs
        .iter_mut()
        .zip(first)
        .zip(h.summarised.iter_mut())
        .map(|((r, first), told)| {
            let stopped =
                r.state != RunState::Training && !std::mem::replace(told, r.state != RunState::Training);
            RunUpdate {
                spec: r.spec,
                step: r.step,
                state: r.state,
                seconds: r.seconds(),
                records: r.records[first..].to_vec(),
                probe: probe.filter(|p| p.1 == r.spec.seed).map(|p| r.probe(p.0)),
                summary: stopped.then(|| Summary::of(r, config)),
            }
        })
        .collect()
}

/// Text from every run of `seed`: a newline to start (or the vocabulary's first character if
/// the text has none), then `chars` characters.
fn samples(h: &mut Held, chars: usize, temp: f32, seed: u64) -> Vec<(RunSpec, String)> {
    let Some(vocab) = h.config.task().vocab() else { return Vec::new() };
    let vocab: Vec<char> = vocab.chars().collect();
    let prime = [vocab.iter().position(|&c| c == '\n').unwrap_or(0)];
    h.runs
        .iter()
        .filter(|r| r.spec.seed == seed)
        .map(|r| {
            let mut rng = prng(stream(seed ^ r.step as u64, Stream::Sampling));
            let ids: Vec<u8> = Sampler::new(&r.net.model)
                .write(&prime, chars, temp, &mut rng)
                .into_iter()
                .map(|i| i as u8)
                .collect();
            (r.spec, ids.iter().map(|&i| vocab.get(i as usize).copied().unwrap_or('?')).collect())
        })
        .collect()
}

fn sweep_run(id: usize, query: &str, spec: RunSpec) {
    let Some(c) = strict(query) else { return };
    if let Some(message) = c.data_problem() {
        post(&FromWorker::Refused { message });
        return;
    }
    if let Err(e) = Memory::of(&c, &[spec], 1, PAGE_BYTES, "per worker").check() {
        post(&FromWorker::Refused { message: e });
        return;
    }
    let mut last_post = now();
    let mut run = Run::to_end(&c, spec, now, &mut |step| {
        if now() - last_post > 0.25 {
            last_post = now();
            post(&FromWorker::SweepProgress { id, step });
        }
    });
    post(&FromWorker::SweepDone { id, summary: Summary::of(&mut run, &c) });
}

/// Entry point of the worker binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromWorker::Error { message: format!("a training worker crashed: {info}") });
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
        match decode::<ToWorker>(&js_sys::Uint8Array::new(&e.data()).to_vec()) {
            Ok(msg) => handle(msg),
            Err(err) => post(&FromWorker::Error { message: format!("bad message to a worker: {err}") }),
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&FromWorker::Ready);
}
