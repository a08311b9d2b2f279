//! The outcome of one run: a row of `summary.json`, `sweep.csv`, `sweep.json`, `runs.jsonl`
//! and the page's tables. Non-finite numbers are `null` in JSON. One column table serves the
//! CSV, the CLI's table and the page's sweep table.
//!
//! The outcome API (`failed`, `judged`, `rank_loss`, `decay`) is the only reader of a run's
//! state and raw metrics: the gallery's claims, the figures, halving, the verdicts, the
//! evidence and the page all judge a run through it, so a failed run is the worst everywhere.

use crate::config::Config;
use crate::nn::arithmetic::Arithmetic;
use crate::nn::Arch;
use crate::run::{last_finite, Record, Run, RunSpec, RunState};
use crate::stats::{number, Better};
use crate::tasks::TaskKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub task: TaskKind,
    pub arch: Arch,
    pub hidden: usize,
    pub params: usize,
    pub len: usize,
    pub lr: f32,
    pub seed: u64,
    /// The search trial this run belongs to (a sweep's runs have none): how a search finds a
    /// trial's runs, never by their place in a list.
    #[serde(default)]
    pub trial: Option<usize>,
    pub steps: usize,
    #[serde(with = "crate::nullable")]
    pub train_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_metric: f64,
    #[serde(with = "crate::nullable")]
    pub test_metric: f64,
    #[serde(with = "crate::nullable")]
    pub baseline: f64,
    /// The record with the lowest validation loss (early stopping's best checkpoint): its step
    /// and the test metric there, beside the last step's.
    #[serde(default)]
    pub best_step: usize,
    #[serde(default = "nan", with = "crate::nullable")]
    pub best_test_metric: f64,
    /// Validation loss ended well above its minimum (`OVERFIT` times) while training loss kept
    /// falling: the network memorised its training set.
    #[serde(default)]
    pub overfit: bool,
    /// ||dL/dh_0|| / ||dL/dh_T-1|| at the end (see `Run::grad_decay`).
    #[serde(with = "crate::nullable")]
    pub grad_decay: f64,
    #[serde(with = "crate::nullable")]
    pub seconds: f64,
    pub state: RunState,
    /// The user's data: the classical baselines' test metric (classes `majority`,
    /// `nn1_euclidean`; series `naive`, `seasonal_naive`); empty for built-in tasks.
    #[serde(default, with = "crate::nullable::map")]
    pub baselines: BTreeMap<String, f64>,
    /// The arithmetic it trained in: fused under `gatelab --fast` (always written: the
    /// worker's messages are postcard, which cannot skip a field).
    #[serde(default)]
    pub arithmetic: Arithmetic,
}

impl Summary {
    /// The summary of a run that has stopped: its last record with a training loss (a
    /// diverged run's last record has none). Judgements use `failed` and `rank_loss`, never
    /// these values at face value.
    pub fn of(run: &mut Run, c: &Config) -> Summary {
        let grad_decay = if run.state == RunState::Done { run.grad_decay() } else { f64::NAN };
        let last = last_finite(&run.records).copied();
        let pick = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
        let best = run
            .records
            .iter()
            .filter(|r| r.val_loss.is_finite())
            .min_by(|a, b| a.val_loss.total_cmp(&b.val_loss));
        let fixed = c.fixed_training_set();
        let overfit = match (best, last) {
            (Some(b), Some(l)) => fixed && l.val_loss > OVERFIT * b.val_loss && l.train_loss < b.train_loss,
            _ => false,
        };
        Summary {
            best_step: best.map_or(0, |b| b.step),
            best_test_metric: best.map_or(f64::NAN, |b| b.test_metric),
            overfit,
            train_loss: pick(|r| r.train_loss),
            val_loss: pick(|r| r.val_loss),
            val_metric: pick(|r| r.val_metric),
            test_metric: pick(|r| r.test_metric),
            grad_decay,
            seconds: run.seconds(),
            ..Summary::stopped(c, run.spec, run.step, run.state)
        }
    }

    /// A run that stopped at `steps` with no results (its worker died: `Crashed`).
    pub fn stopped(c: &Config, spec: RunSpec, steps: usize, state: RunState) -> Summary {
        Summary {
            task: c.task,
            arch: spec.arch,
            hidden: spec.hidden,
            params: spec.arch.param_count(c.dims(spec.hidden)),
            len: spec.len,
            lr: spec.lr,
            seed: spec.seed,
            trial: None,
            steps,
            best_step: 0,
            best_test_metric: f64::NAN,
            overfit: false,
            train_loss: f64::NAN,
            val_loss: f64::NAN,
            val_metric: f64::NAN,
            test_metric: f64::NAN,
            baseline: c.task().baseline_loss(spec.len),
            grad_decay: f64::NAN,
            seconds: f64::NAN,
            state,
            baselines: c
                .task()
                .user()
                .map_or_else(BTreeMap::new, |u| u.baselines(c.task, spec.len).into_iter().collect()),
            arithmetic: Arithmetic::current(),
        }
    }

    /// Diverged, crashed, or without a validation loss: it loses to any run that is not.
    pub fn failed(&self) -> bool {
        failed(self.state, self.val_loss)
    }

    /// Which way `m` is better for this run's task.
    pub fn better(&self, m: Measure) -> Better {
        match m {
            Measure::ValLoss => Better::Lower,
            Measure::ValMetric | Measure::TestMetric | Measure::BestTestMetric => {
                Better::of(self.task.higher_is_better())
            }
        }
    }

    /// `m` as every judgement reads it: a failed run's is the worst value in `m`'s direction
    /// (whatever it reached before it failed).
    pub fn judged(&self, m: Measure) -> f64 {
        let v = match m {
            Measure::ValLoss => self.val_loss,
            Measure::ValMetric => self.val_metric,
            Measure::TestMetric => self.test_metric,
            Measure::BestTestMetric => self.best_test_metric,
        };
        let b = self.better(m);
        if self.failed() {
            b.worst()
        } else {
            b.or_worst(v)
        }
    }

    /// The validation loss for ranking and medians: +infinity for a failed run.
    pub fn rank_loss(&self) -> f64 {
        self.judged(Measure::ValLoss)
    }

    /// The gradient decay at the end; NaN (no comparison holds) for a failed run, which has none.
    pub fn decay(&self) -> f64 {
        if self.failed() {
            f64::NAN
        } else {
            self.grad_decay
        }
    }

    /// A row for tests: `val_loss` everywhere a loss goes.
    #[cfg(test)]
    pub fn example(arch: Arch, hidden: usize, lr: f32, seed: u64, val_loss: f64) -> Summary {
        Summary {
            task: TaskKind::Adding,
            arch,
            hidden,
            params: hidden * 10,
            len: 10,
            lr,
            seed,
            trial: None,
            steps: 100,
            best_step: 100,
            best_test_metric: 0.5,
            overfit: false,
            train_loss: val_loss,
            val_loss,
            val_metric: 1.0 - val_loss,
            test_metric: 0.5,
            baseline: 1.0,
            grad_decay: 1.0,
            seconds: 1.0,
            state: RunState::Done,
            baselines: BTreeMap::new(),
            arithmetic: Arithmetic::Exact,
        }
    }
}

/// How far above its minimum a final validation loss must end to call a run overfit.
pub const OVERFIT: f64 = 1.25;

fn nan() -> f64 {
    f64::NAN
}

/// Whether a run with this state and final validation loss failed (the one rule).
pub fn failed(state: RunState, val_loss: f64) -> bool {
    state.failed() || !val_loss.is_finite()
}

/// What a judgement reads of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    ValLoss,
    ValMetric,
    TestMetric,
    /// The test metric at the best checkpoint (the lowest validation loss).
    BestTestMetric,
}

/// The columns of every table of summaries (`sweep.csv`, the CLI's and the page's tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Task,
    Arch,
    Hidden,
    Params,
    Len,
    Lr,
    Seed,
    Steps,
    TrainLoss,
    ValLoss,
    ValMetric,
    TestMetric,
    Baseline,
    GradDecay,
    Seconds,
    State,
    /// Exact or fused (`--fast`): in the CSV only.
    Arithmetic,
}

/// Every column, in CSV order.
pub const COLUMNS: [Column; 17] = {
    use Column::*;
    [
        Task, Arch, Hidden, Params, Len, Lr, Seed, Steps, TrainLoss, ValLoss, ValMetric, TestMetric,
        Baseline, GradDecay, Seconds, State, Arithmetic,
    ]
};

/// The column the tables sort by first.
pub const SORT_BY: Column = Column::ValLoss;

impl Column {
    /// The CSV header.
    pub fn name(self) -> &'static str {
        use Column::*;
        match self {
            Task => "task",
            Arch => "arch",
            Hidden => "hidden",
            Params => "params",
            Len => "len",
            Lr => "lr",
            Seed => "seed",
            Steps => "steps",
            TrainLoss => "train_loss",
            ValLoss => "val_loss",
            ValMetric => "val_metric",
            TestMetric => "test_metric",
            Baseline => "baseline",
            GradDecay => "grad_decay",
            Seconds => "seconds",
            State => "state",
            Arithmetic => "arithmetic",
        }
    }

    /// Printed in the CLI's and the page's tables (the CSV has every column).
    pub fn table(self) -> bool {
        !matches!(
            self,
            Column::Task | Column::Steps | Column::Baseline | Column::GradDecay | Column::Arithmetic
        )
    }

    /// What a judgement reads in this column, if anything.
    fn measure(self) -> Option<Measure> {
        match self {
            Column::ValLoss => Some(Measure::ValLoss),
            Column::ValMetric => Some(Measure::ValMetric),
            Column::TestMetric => Some(Measure::TestMetric),
            _ => None,
        }
    }

    /// The header for a task whose metric is `metric` ("val accuracy ↑").
    pub fn header(self, metric: &str, higher_is_better: bool) -> String {
        match self {
            Column::ValMetric | Column::TestMetric => {
                let arrow = if higher_is_better { "↑" } else { "↓" };
                format!("{} {metric} {arrow}", self.name().trim_end_matches("_metric"))
            }
            _ => self.name().replace('_', " "),
        }
    }

    /// The value, full precision in the CSV.
    pub fn value(self, s: &Summary) -> f64 {
        use Column::*;
        match self {
            Task => s.task as usize as f64,
            Arch => s.arch as usize as f64,
            Hidden => s.hidden as f64,
            Params => s.params as f64,
            Len => s.len as f64,
            Lr => s.lr as f64,
            Seed => s.seed as f64,
            Steps => s.steps as f64,
            TrainLoss => s.train_loss,
            ValLoss => s.val_loss,
            ValMetric => s.val_metric,
            TestMetric => s.test_metric,
            Baseline => s.baseline,
            GradDecay => s.grad_decay,
            Seconds => s.seconds,
            State => s.state as usize as f64,
            Arithmetic => s.arithmetic as usize as f64,
        }
    }

    /// The sort key: a failed run's loss and metrics sort last.
    pub fn sort_key(self, s: &Summary) -> f64 {
        match self.measure() {
            Some(_) if s.failed() => f64::NAN,
            _ => self.value(s),
        }
    }

    /// The text of a table cell: a failed run's loss says so, its metrics are no result ("–").
    pub fn text(self, s: &Summary) -> String {
        use Column::*;
        match self {
            Task => s.task.name().to_string(),
            Arch => s.arch.upper().to_string(),
            Lr => s.lr.to_string(),
            State => s.state.name().to_string(),
            Arithmetic => s.arithmetic.words().to_string(),
            Seconds if s.seconds.is_finite() => format!("{:.2}", s.seconds),
            Seconds => "–".into(),
            ValLoss => number(s.rank_loss()),
            ValMetric | TestMetric if s.failed() => "–".into(),
            _ if matches!(self, Hidden | Params | Len | Seed | Steps) => (self.value(s) as u64).to_string(),
            _ => number(self.value(s)),
        }
    }

    fn csv(self, s: &Summary) -> String {
        use Column::*;
        match self {
            Task | State | Lr | Arithmetic => self.text(s),
            Arch => s.arch.name().to_string(),
            Seconds if s.seconds.is_finite() => format!("{:.3}", s.seconds),
            _ if self.value(s).is_finite() => self.value(s).to_string(),
            _ => String::new(),
        }
    }
}

/// `sweep.csv`: the header and one row per run, full precision; empty cells for non-finite
/// numbers.
pub fn csv(rows: &[Summary]) -> String {
    let mut s = COLUMNS.map(Column::name).join(",");
    s.push('\n');
    for r in rows {
        s.push_str(&COLUMNS.iter().map(|c| c.csv(r)).collect::<Vec<_>>().join(","));
        s.push('\n');
    }
    s
}
