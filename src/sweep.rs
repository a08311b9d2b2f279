//! A sweep: every run of a config (archs x cells x lens x seeds), each trained to its budget and
//! summarised. The CLI spreads runs over threads, the page over a pool of Web Workers; both
//! call `train_one`, so their numbers agree.

use crate::config::Config;
use crate::nn::Arch;
use crate::run::{Clock, Run, RunSpec, RunState, EVAL_SIZE};
use crate::tasks::LenRange;
use serde::{Deserialize, Serialize};

/// The most runs one sweep may have.
pub const MAX_RUNS: usize = 360;
/// The most training work one sweep may ask for, in GFLOP (about 10 minutes on one core).
pub const MAX_GFLOP: f64 = 6000.0;

/// The outcome of one run: a row of `summary.json`, `sweep.csv` and the page's table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub task: String,
    pub arch: Arch,
    pub hidden: usize,
    pub params: usize,
    pub len: usize,
    pub seed: u64,
    pub steps: usize,
    pub train_loss: f64,
    pub val_loss: f64,
    pub val_metric: f64,
    pub test_metric: f64,
    pub baseline: f64,
    pub seconds: f64,
    pub state: RunState,
}

pub const CSV_HEADER: &str =
    "task,arch,hidden,params,len,seed,steps,train_loss,val_loss,val_metric,test_metric,baseline,seconds,state";

impl Summary {
    /// The columns of the tables that show summaries (the CLI's and the page's).
    pub const COLUMNS: [&'static str; 11] = [
        "arch",
        "cells",
        "params",
        "len",
        "seed",
        "train loss",
        "val loss",
        "val metric",
        "test metric",
        "seconds",
        "state",
    ];

    /// Column `k` as (sort key, text).
    pub fn column(&self, k: usize) -> (f64, String) {
        let f = |v: f64| (v, if v.is_finite() { format!("{v:.4}") } else { "–".into() });
        match k {
            0 => (self.arch as usize as f64, self.arch.name().to_string()),
            1 => (self.hidden as f64, self.hidden.to_string()),
            2 => (self.params as f64, self.params.to_string()),
            3 => (self.len as f64, self.len.to_string()),
            4 => (self.seed as f64, self.seed.to_string()),
            5 => f(self.train_loss),
            6 => f(self.val_loss),
            7 => f(self.val_metric),
            8 => f(self.test_metric),
            9 => (self.seconds, format!("{:.2}", self.seconds)),
            _ => (self.state as usize as f64, self.state.name().to_string()),
        }
    }

    /// A row of `sweep.csv`: full precision.
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{:.3},{}",
            self.task,
            self.arch.name(),
            self.hidden,
            self.params,
            self.len,
            self.seed,
            self.steps,
            self.train_loss,
            self.val_loss,
            self.val_metric,
            self.test_metric,
            self.baseline,
            self.seconds,
            self.state.name()
        )
    }
}

impl Run {
    pub fn summary(&self, c: &Config) -> Summary {
        let last = self.records.iter().rev().find(|r| r.train_loss.is_finite()).or(self.last());
        let pick = |f: fn(&crate::run::Record) -> f64| last.map_or(f64::NAN, f);
        Summary {
            task: c.task.name().to_string(),
            arch: self.spec.arch,
            hidden: self.spec.hidden,
            params: self.params(),
            len: self.spec.len,
            seed: self.spec.seed,
            steps: self.step,
            train_loss: pick(|r| r.train_loss),
            val_loss: pick(|r| r.val_loss),
            val_metric: pick(|r| r.val_metric),
            test_metric: pick(|r| r.test_metric),
            baseline: c.task().baseline_loss(self.spec.len),
            seconds: self.seconds(),
            state: self.state,
        }
    }
}

/// Trains one run to its budget (or divergence), reporting the steps done after each chunk.
pub fn train_to_end(c: &Config, spec: RunSpec, clock: Clock, progress: &mut dyn FnMut(usize)) -> Run {
    let mut run = Run::new(c, spec, clock);
    while run.state == RunState::Training {
        run.advance(50);
        progress(run.step);
    }
    run
}

/// One run of a sweep, summarised.
pub fn train_one(c: &Config, spec: RunSpec, clock: Clock, progress: &mut dyn FnMut(usize)) -> Summary {
    train_to_end(c, spec, clock, progress).summary(c)
}

/// Estimated training work of a config in GFLOP: 3 x forward (2*G*H*(I+H) per sequence step)
/// per training step, plus the records' evaluations.
pub fn estimate_gflop(c: &Config) -> f64 {
    RunSpec::all(c)
        .iter()
        .map(|s| {
            let d = c.dims(s.hidden);
            let per_step = 2.0 * (s.arch.gates() * s.hidden * (d.input + s.hidden)) as f64;
            let steps = c.task().sample(&mut crate::nn::init::prng(0), 1, LenRange::upto(s.len)).steps as f64;
            let train = 3.0 * per_step * steps * (c.batch * c.steps) as f64;
            let evals = (c.steps / c.every() + 1) as f64 * per_step * steps * 2.0 * EVAL_SIZE as f64;
            (train + evals) / 1e9
        })
        .sum()
}

/// Refuses sweeps past the documented limits, with the numbers.
pub fn check_bounds(c: &Config) -> Result<(), String> {
    let runs = RunSpec::all(c).len();
    if runs > MAX_RUNS {
        return Err(format!(
            "this sweep has {runs} runs; the limit is {MAX_RUNS}: fewer cells, lengths, seeds or archs"
        ));
    }
    let gflop = estimate_gflop(c);
    if gflop > MAX_GFLOP {
        return Err(format!(
            "this sweep needs about {gflop:.0} GFLOP of training; the limit is {MAX_GFLOP:.0}: fewer steps, runs or cells"
        ));
    }
    Ok(())
}
