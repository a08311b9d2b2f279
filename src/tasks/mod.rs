//! Toy sequence tasks: each a seeded generator of (input, target, mask) batches with a loss, a
//! metric, a known chance baseline and two sentences of context. A new task is one new file
//! plus one line in `TaskKind::ALL` and the `match`es below.

pub mod adding;
pub mod anbn;
pub mod copy;
pub mod order;
pub mod parity;
pub mod sine;

use crate::nn::init::Prng;
use crate::nn::loss::{argmax_rows, Loss};
use crate::nn::network::Batch;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    Adding,
    Copy,
    Parity,
    Anbn,
    Order,
    Sine,
}

/// How a task scores outputs; every metric is "higher is better", 1 is perfect.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Metric {
    /// Share of targeted steps whose arg-max class is right.
    StepAccuracy,
    /// Share of sequences whose every targeted step is right.
    SequenceAccuracy,
    /// Share of targeted steps within this absolute error (regression).
    WithinTolerance(f32),
    /// 1 - MSE / variance of the targets (regression), floored at -1.
    ExplainedVariance,
}

/// A task with its settings: what the config's `task`, `len`, `symbols` and `parity` choose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Task {
    pub kind: TaskKind,
    /// Symbols to recall (copy) — the only task-specific size.
    pub symbols: usize,
    /// Parity: target at every step (running XOR) rather than only at the last.
    pub parity_every_step: bool,
}

/// Fixed facts of a task, for the page and the CLI.
pub struct About {
    pub title: &'static str,
    pub tests: &'static str,
    pub literature: &'static str,
    pub len_meaning: &'static str,
    pub metric_name: &'static str,
}

impl TaskKind {
    pub const ALL: [TaskKind; 6] =
        [TaskKind::Adding, TaskKind::Copy, TaskKind::Parity, TaskKind::Anbn, TaskKind::Order, TaskKind::Sine];

    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Adding => "adding",
            TaskKind::Copy => "copy",
            TaskKind::Parity => "parity",
            TaskKind::Anbn => "anbn",
            TaskKind::Order => "order",
            TaskKind::Sine => "sine",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|t| t.name() == s)
    }

    pub fn about(self) -> About {
        match self {
            TaskKind::Adding => adding::ABOUT,
            TaskKind::Copy => copy::ABOUT,
            TaskKind::Parity => parity::ABOUT,
            TaskKind::Anbn => anbn::ABOUT,
            TaskKind::Order => order::ABOUT,
            TaskKind::Sine => sine::ABOUT,
        }
    }

    /// The test set's length when the config does not name one: the length generalisation probe.
    pub fn default_test_len(self, len: usize) -> usize {
        match self {
            TaskKind::Anbn => 3 * len,
            _ => 2 * len,
        }
    }
}

impl Task {
    /// (input features, outputs).
    pub fn dims(&self) -> (usize, usize) {
        match self.kind {
            TaskKind::Adding => (2, 1),
            TaskKind::Copy => copy::dims(),
            TaskKind::Parity => (1, 2),
            TaskKind::Anbn => (3, 3),
            TaskKind::Order => (order::INPUTS, 4),
            TaskKind::Sine => (1, 1),
        }
    }

    pub fn loss(&self) -> Loss {
        match self.kind {
            TaskKind::Adding | TaskKind::Sine => Loss::Mse,
            _ => Loss::CrossEntropy,
        }
    }

    pub fn metric(&self) -> Metric {
        match self.kind {
            TaskKind::Adding => Metric::WithinTolerance(0.04),
            TaskKind::Sine => Metric::ExplainedVariance,
            TaskKind::Anbn => Metric::SequenceAccuracy,
            _ => Metric::StepAccuracy,
        }
    }

    /// `n` sequences at length knob `len` (for anbn: strings a^k b^k with k drawn from `lens`).
    pub fn sample(&self, rng: &mut Prng, n: usize, lens: LenRange) -> Batch {
        match self.kind {
            TaskKind::Adding => adding::sample(rng, n, lens.max),
            TaskKind::Copy => copy::sample(rng, n, lens.max, self.symbols),
            TaskKind::Parity => parity::sample(rng, n, lens.max, self.parity_every_step),
            TaskKind::Anbn => anbn::sample(rng, n, lens),
            TaskKind::Order => order::sample(rng, n, lens.max),
            TaskKind::Sine => sine::sample(rng, n, lens.max),
        }
    }

    /// The chance loss: what the best predictor that does not use memory achieves.
    pub fn baseline_loss(&self, len: usize) -> f64 {
        match self.kind {
            TaskKind::Adding => adding::BASELINE_MSE,
            TaskKind::Copy => copy::baseline(),
            TaskKind::Parity | TaskKind::Order => (self.dims().1 as f64).ln(),
            TaskKind::Anbn => anbn::baseline(len),
            TaskKind::Sine => sine::VARIANCE,
        }
    }

    /// The metric of that same memoryless predictor.
    pub fn baseline_metric(&self) -> f64 {
        match self.kind {
            TaskKind::Adding => adding::BASELINE_WITHIN,
            TaskKind::Copy | TaskKind::Parity | TaskKind::Order => 1.0 / self.dims().1 as f64,
            TaskKind::Anbn | TaskKind::Sine => 0.0,
        }
    }

    /// Score of outputs y: [T, B, O] on batch b.
    pub fn score(&self, b: &Batch, y: &[f32]) -> f64 {
        score(self.metric(), b, y)
    }
}

/// Lengths to draw from: every task uses `max`; anbn draws its n from `min..=max`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LenRange {
    pub min: usize,
    pub max: usize,
}

impl LenRange {
    pub fn upto(max: usize) -> Self {
        LenRange { min: 1, max }
    }
}

fn score(metric: Metric, b: &Batch, y: &[f32]) -> f64 {
    let out = y.len() / b.mask.len();
    let targeted = b.mask.iter().enumerate().filter(|(_, &m)| m > 0.0).map(|(k, _)| k);
    let count = b.mask.iter().filter(|&&m| m > 0.0).count().max(1) as f64;
    match metric {
        Metric::StepAccuracy | Metric::SequenceAccuracy => {
            let (pred, truth) = (argmax_rows(y, out), argmax_rows(&b.y, out));
            let mut seq_ok = vec![true; b.batch];
            let mut right = 0usize;
            for k in targeted {
                let ok = pred[k] == truth[k];
                right += ok as usize;
                seq_ok[k % b.batch] &= ok;
            }
            if metric == Metric::StepAccuracy {
                right as f64 / count
            } else {
                seq_ok.iter().filter(|&&ok| ok).count() as f64 / b.batch as f64
            }
        }
        Metric::WithinTolerance(tol) => {
            targeted.filter(|&k| (y[k] - b.y[k]).abs() < tol).count() as f64 / count
        }
        Metric::ExplainedVariance => {
            let ks: Vec<usize> = targeted.collect();
            let mean = ks.iter().map(|&k| b.y[k] as f64).sum::<f64>() / count;
            let var = ks.iter().map(|&k| (b.y[k] as f64 - mean).powi(2)).sum::<f64>() / count;
            let mse = ks.iter().map(|&k| (y[k] as f64 - b.y[k] as f64).powi(2)).sum::<f64>() / count;
            (1.0 - mse / var.max(1e-12)).max(-1.0)
        }
    }
}

/// An empty batch of n sequences of `steps` steps to fill in.
pub(crate) fn blank(steps: usize, n: usize, input: usize, output: usize) -> Batch {
    Batch {
        steps,
        batch: n,
        x: vec![0.0; steps * n * input],
        y: vec![0.0; steps * n * output],
        mask: vec![0.0; steps * n],
    }
}

/// Index helpers into [T, B, W] buffers.
pub(crate) fn at(t: usize, b: usize, n: usize, w: usize) -> usize {
    (t * n + b) * w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init::prng;

    #[test]
    fn every_task_generates_consistent_shapes_deterministically() {
        for kind in TaskKind::ALL {
            let task = Task { kind, symbols: 3, parity_every_step: true };
            let (i, o) = task.dims();
            let b = task.sample(&mut prng(1), 5, LenRange::upto(12));
            assert_eq!(b.x.len(), b.steps * 5 * i, "{kind:?}");
            assert_eq!(b.y.len(), b.steps * 5 * o, "{kind:?}");
            assert!(b.mask.iter().any(|&m| m > 0.0), "{kind:?}");
            assert_eq!(b, task.sample(&mut prng(1), 5, LenRange::upto(12)), "{kind:?}");
            assert_ne!(b, task.sample(&mut prng(2), 5, LenRange::upto(12)), "{kind:?}");
            // The right answers score 1.
            assert!((task.score(&b, &b.y) - 1.0).abs() < 1e-9, "{kind:?}");
        }
    }
}
