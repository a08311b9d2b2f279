//! The tasks: each a seeded generator of (input, target, mask) batches with a loss, a metric, a
//! known chance baseline and a few sentences of context with their sources. A new task is one
//! new file plus one line in `TaskKind::ALL` and the `match`es below.

pub mod adding;
pub mod anbn;
pub mod copy;
pub mod dyck;
pub mod metric;
pub mod order;
pub mod parity;
pub mod reber;
pub mod sine;
pub mod text;

use crate::batch::Batch;
use crate::nn::loss::Loss;
use crate::rng::Prng;
pub use metric::{Metric, Tally};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    Adding,
    Copy,
    Parity,
    Anbn,
    Order,
    Sine,
    Reber,
    Dyck,
    Text,
}

/// A task with its settings: what the config's `task`, `symbols`, `parity` and `pairs` choose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Task {
    pub kind: TaskKind,
    /// Symbols to recall (copy).
    pub symbols: usize,
    /// Parity: target at every step (running XOR) rather than only at the last.
    pub parity_every_step: bool,
    /// Dyck: kinds of bracket pairs.
    pub pairs: usize,
}

/// A fresh config's sequence length, step budget, learning rate and cells for a task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Defaults {
    pub len: usize,
    pub steps: usize,
    pub lr: f32,
    pub cells: usize,
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
    pub const ALL: [TaskKind; 9] = [
        TaskKind::Adding,
        TaskKind::Copy,
        TaskKind::Parity,
        TaskKind::Anbn,
        TaskKind::Order,
        TaskKind::Sine,
        TaskKind::Reber,
        TaskKind::Dyck,
        TaskKind::Text,
    ];
    pub const NAMES: &'static [&'static str] =
        &["adding", "copy", "parity", "anbn", "order", "sine", "reber", "dyck", "text"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
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
            TaskKind::Reber => reber::ABOUT,
            TaskKind::Dyck => dyck::ABOUT,
            TaskKind::Text => text::ABOUT,
        }
    }

    /// A fresh config's settings: each task's default run learns within its budget.
    pub fn defaults(self) -> Defaults {
        let (len, steps, lr, cells) = match self {
            TaskKind::Adding => (30, 1500, 0.01, 16),
            TaskKind::Copy => (10, 1500, 0.02, 16),
            TaskKind::Parity => (20, 800, 0.01, 16),
            TaskKind::Anbn => (10, 1500, 0.01, 16),
            TaskKind::Order => (30, 1500, 0.01, 16),
            TaskKind::Sine => (50, 600, 0.01, 16),
            TaskKind::Reber => (20, 1500, 0.01, 16),
            TaskKind::Dyck => (20, 2000, 0.01, 16),
            TaskKind::Text => (50, 1000, 0.005, 64),
        };
        Defaults { len, steps, lr, cells }
    }

    /// Whether the task reads a corpus that the page fetches, and hands to its workers, first.
    pub fn needs_corpus(self) -> bool {
        self == TaskKind::Text
    }

    /// Whether the networks of this task write text (samples; model files with a vocabulary).
    pub fn writes_text(self) -> bool {
        self == TaskKind::Text
    }

    /// Whether the metric is better higher (accuracy) or lower (bits per character).
    pub fn higher_is_better(self) -> bool {
        Task { kind: self, symbols: 1, parity_every_step: true, pairs: 1 }.metric().higher_is_better()
    }

    /// Records a run makes over its budget when `every` is not given: evaluating real text
    /// costs nearly as much as training on it, so it is looked at less often.
    pub fn records(self) -> usize {
        if self == TaskKind::Text {
            25
        } else {
            100
        }
    }

    /// The shortest `len` the task's sequences can have.
    pub fn min_len(self) -> usize {
        match self {
            TaskKind::Adding => 2,
            TaskKind::Order => 6,
            TaskKind::Sine => 4,
            TaskKind::Reber => reber::MIN_LEN,
            TaskKind::Dyck | TaskKind::Text => 2,
            _ => 1,
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
            TaskKind::Reber => (reber::SYMBOLS, reber::SYMBOLS),
            TaskKind::Dyck => dyck::dims(self.pairs),
            TaskKind::Text => (text::VOCAB, text::VOCAB),
        }
    }

    pub fn loss(&self) -> Loss {
        match self.kind {
            TaskKind::Adding | TaskKind::Sine => Loss::Mse,
            TaskKind::Reber | TaskKind::Dyck => Loss::Bce,
            _ => Loss::CrossEntropy,
        }
    }

    pub fn metric(&self) -> Metric {
        match self.kind {
            TaskKind::Adding => Metric::WithinTolerance(0.04),
            TaskKind::Sine => Metric::ExplainedVariance,
            TaskKind::Anbn => Metric::SequenceAccuracy,
            TaskKind::Reber => Metric::LegalSequence,
            TaskKind::Dyck => Metric::SetSequence,
            TaskKind::Text => Metric::BitsPerChar,
            _ => Metric::StepAccuracy,
        }
    }

    /// `n` sequences at length knob `lens.max` (anbn, reber and dyck draw their lengths from
    /// `lens.min..=lens.max`; text reads the held-out part of its corpus unless training).
    pub fn sample(&self, rng: &mut Prng, n: usize, lens: Draw) -> Batch {
        match self.kind {
            TaskKind::Adding => adding::sample(rng, n, lens.max),
            TaskKind::Copy => copy::sample(rng, n, lens.max, self.symbols),
            TaskKind::Parity => parity::sample(rng, n, lens.max, self.parity_every_step),
            TaskKind::Anbn => anbn::sample(rng, n, lens),
            TaskKind::Order => order::sample(rng, n, lens.max),
            TaskKind::Sine => sine::sample(rng, n, lens.max),
            TaskKind::Reber => reber::sample(rng, n, lens),
            TaskKind::Dyck => dyck::sample(rng, n, lens, self.pairs),
            TaskKind::Text => text::sample(rng, n, lens),
        }
    }

    /// Time steps of a batch drawn with `d` (what the generators pad to), without drawing one:
    /// the memory and time estimates need it before anything is allocated.
    pub fn steps(&self, d: Draw) -> usize {
        let max = d.max.max(d.min).max(self.kind.min_len());
        match self.kind {
            TaskKind::Copy => 2 * self.symbols + d.max + 1,
            TaskKind::Anbn => 2 * max.max(1) + 1,
            TaskKind::Dyck => (d.max.max(2) / 2 * 2).max(d.min.max(2).div_ceil(2) * 2),
            _ => max,
        }
    }

    /// What the training, validation and test sets draw for `len`: the test set probes length
    /// generalisation (anbn, reber and dyck: only lengths past the training ones).
    pub fn draws(&self, len: usize, test_len: usize) -> [Draw; 3] {
        let test = match self.kind {
            TaskKind::Anbn | TaskKind::Reber | TaskKind::Dyck => {
                Draw { min: len + 1, max: test_len.max(len + 1), split: Split::Test }
            }
            _ => Draw { min: 1, max: test_len, split: Split::Test },
        };
        [Draw::upto(len), Draw { split: Split::Validation, ..Draw::upto(len) }, test]
    }

    /// The chance loss: what the best predictor that does not use memory achieves.
    pub fn baseline_loss(&self, len: usize) -> f64 {
        self.baseline(len).0
    }

    /// The metric of that same memoryless predictor.
    pub fn baseline_metric(&self, len: usize) -> f64 {
        self.baseline(len).1
    }

    fn baseline(&self, len: usize) -> (f64, f64) {
        let classes = self.dims().1 as f64;
        match self.kind {
            TaskKind::Adding => (adding::BASELINE_MSE, adding::BASELINE_WITHIN),
            TaskKind::Copy => (copy::baseline(), 1.0 / classes),
            TaskKind::Parity | TaskKind::Order => (libm::log(classes), 1.0 / classes),
            TaskKind::Anbn => (anbn::baseline(len), 0.0),
            TaskKind::Sine => (sine::VARIANCE, 0.0),
            TaskKind::Reber | TaskKind::Dyck => metric::memoryless(self, len),
            TaskKind::Text => text::baseline(),
        }
    }

    /// The metric's tally of outputs y: [T, B, O] on batch b (add tallies over chunks).
    pub fn tally(&self, b: &Batch, y: &[f32]) -> Tally {
        metric::tally(self.metric(), self.loss(), b, y)
    }
}

/// Which set a batch belongs to: tasks with a fixed corpus (text) hold out part of it, and some
/// draw their test strings differently (reber: longer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Validation,
    Test,
}

/// What to draw: lengths (most tasks use `max`; anbn, reber and dyck draw theirs from
/// `min..=max`) and the set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    pub min: usize,
    pub max: usize,
    pub split: Split,
}

impl Draw {
    /// Training sequences up to `max`.
    pub fn upto(max: usize) -> Self {
        Draw { min: 1, max, split: Split::Train }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn every_task_generates_consistent_shapes_deterministically() {
        for kind in TaskKind::ALL {
            for pairs in [1, 2] {
                let task = Task { kind, symbols: 3, parity_every_step: true, pairs };
                let (i, o) = task.dims();
                let len = kind.min_len().max(12);
                for lens in task.draws(len, 2 * len) {
                    let b = task.sample(&mut prng(1), 5, lens);
                    assert_eq!(b.x.len(), b.steps * 5 * i, "{kind:?}");
                    assert_eq!(b.y.len(), b.steps * 5 * o, "{kind:?}");
                    assert!(b.mask.iter().any(|&m| m > 0.0), "{kind:?}");
                    assert_eq!(b, task.sample(&mut prng(1), 5, lens), "{kind:?}");
                    assert_eq!(b.steps, task.steps(lens), "{kind:?} {lens:?}");
                    assert_ne!(b, task.sample(&mut prng(2), 5, lens), "{kind:?}");
                    // The right answers score perfectly.
                    let perfect = metric::perfect_outputs(task.loss(), &b);
                    let score = task.metric().value(&task.tally(&b, &perfect));
                    let best = if task.metric().higher_is_better() { 1.0 } else { 0.0 };
                    assert!((score - best).abs() < 1e-3, "{kind:?}: {score}");
                }
            }
        }
    }

    #[test]
    fn every_task_has_a_blurb_and_a_baseline() {
        for kind in TaskKind::ALL {
            let task = Task { kind, symbols: 3, parity_every_step: true, pairs: 1 };
            let a = kind.about();
            assert!(!a.title.is_empty() && a.literature.contains('('), "{kind:?} names its source");
            let len = kind.defaults().len;
            assert!(task.baseline_loss(len) > 0.0 && task.baseline_loss(len).is_finite(), "{kind:?}");
        }
    }
}
