//! The tasks: each a seeded generator of (input, target, mask) batches with a loss, a metric, a
//! known chance baseline and a few sentences of context with their sources. A new task is one
//! new file plus one line in `TaskKind::ALL` and the `match`es below.

pub mod adding;
pub mod anbn;
pub mod classify;
pub mod copy;
pub mod dyck;
pub mod forecast;
pub mod metric;
pub mod order;
pub mod parity;
pub mod reber;
pub mod sine;
pub mod text;
pub mod user;

use crate::batch::Batch;
use crate::datafile;
use crate::nn::loss::Loss;
use crate::rng::Prng;
pub use metric::{Metric, Tally};
use serde::{Deserialize, Serialize};
pub use user::UserData;

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
    Classify,
    Forecast,
}

/// A task with its settings: what the config's `task`, `symbols`, `parity` and `pairs` choose,
/// and the user's data with the config's choices about it (`data`, `column`, `inputs`, ...).
#[derive(Clone, Debug)]
pub struct Task {
    pub kind: TaskKind,
    /// Symbols to recall (copy).
    pub symbols: usize,
    /// Parity: target at every step (running XOR) rather than only at the last.
    pub parity_every_step: bool,
    /// Dyck: kinds of bracket pairs.
    pub pairs: usize,
    /// The user's data, where this process has it installed (or its description).
    pub data: Option<UserData>,
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
    /// What the metric counts, in a sentence fragment (for tooltips and the README).
    pub metric_means: &'static str,
}

impl TaskKind {
    pub const ALL: [TaskKind; 11] = [
        TaskKind::Adding,
        TaskKind::Copy,
        TaskKind::Parity,
        TaskKind::Anbn,
        TaskKind::Order,
        TaskKind::Sine,
        TaskKind::Reber,
        TaskKind::Dyck,
        TaskKind::Text,
        TaskKind::Classify,
        TaskKind::Forecast,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "adding", "copy", "parity", "anbn", "order", "sine", "reber", "dyck", "text", "classify", "forecast",
    ];

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
            TaskKind::Classify => classify::ABOUT,
            TaskKind::Forecast => forecast::ABOUT,
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
            TaskKind::Classify => (1, 1000, 0.005, 32),
            TaskKind::Forecast => (24, 1000, 0.005, 32),
        };
        Defaults { len, steps, lr, cells }
    }

    /// Whether the task reads a corpus that the page fetches, and hands to its workers, first
    /// (the text task without the user's own text).
    pub fn needs_corpus(self) -> bool {
        self == TaskKind::Text
    }

    /// Whether the task reads the user's data (it cannot run without a file).
    pub fn needs_data(self) -> bool {
        matches!(self, TaskKind::Classify | TaskKind::Forecast)
    }

    /// Whether the networks of this task write text (samples; model files with a vocabulary).
    pub fn writes_text(self) -> bool {
        self == TaskKind::Text
    }

    /// Whether the metric is better higher (accuracy) or lower (bits per character).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, TaskKind::Text | TaskKind::Forecast)
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
            TaskKind::Dyck | TaskKind::Text | TaskKind::Forecast => 2,
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
    /// A built-in task with its default settings (tests, baselines).
    pub fn plain(kind: TaskKind) -> Task {
        Task { kind, symbols: 3, parity_every_step: true, pairs: 1, data: None }
    }

    /// The user's data this task reads, if it reads the user's data.
    pub fn user(&self) -> Option<&UserData> {
        self.data.as_ref()
    }

    /// The text the text task reads: the user's, or the built-in corpus.
    pub fn corpus(&self) -> Option<&datafile::text::Corpus> {
        match &self.data {
            Some(d) => d.corpus(),
            None => text::builtin(),
        }
    }

    /// The characters a text model reads and writes, in vocabulary order (text task only).
    pub fn vocab(&self) -> Option<String> {
        self.kind.writes_text().then(|| self.corpus().map(|c| c.vocab.iter().collect())).flatten()
    }

    /// (input features, outputs).
    pub fn dims(&self) -> (usize, usize) {
        if let Some(d) = &self.data {
            return d.dims(self.kind);
        }
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
            // Without data: a placeholder shape (nothing trains until a file is given).
            TaskKind::Classify => (1, 2),
            TaskKind::Forecast => (1, 1),
        }
    }

    pub fn loss(&self) -> Loss {
        match self.kind {
            TaskKind::Adding | TaskKind::Sine | TaskKind::Forecast => Loss::Mse,
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
            TaskKind::Forecast => Metric::Mase(self.data.as_ref().map_or(f64::NAN, UserData::mase_factor)),
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
            TaskKind::Text => self
                .corpus()
                .map_or_else(|| Batch::zeros(lens.max.max(2), n, 2, 2), |c| text::sample(c, rng, n, lens)),
            // Data tasks draw no sequences: their sets come from the data (`Data::new`).
            TaskKind::Classify | TaskKind::Forecast => {
                Batch::zeros(lens.max.max(1), n, self.dims().0, self.dims().1)
            }
        }
    }

    /// Time steps of a batch drawn with `d` (what the generators pad to), without drawing one:
    /// the memory and time estimates need it before anything is allocated.
    pub fn steps(&self, d: Draw) -> usize {
        let max = d.max.max(d.min).max(self.kind.min_len());
        if let Some(u) = &self.data {
            return u.steps(self.kind, d.max);
        }
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

    /// What the chance bar is: the memoryless predictor, or for the user's data the majority
    /// class or the naive forecast.
    pub fn chance_name(&self) -> &'static str {
        match self.kind {
            TaskKind::Classify => "majority class",
            TaskKind::Forecast => "naive forecast",
            _ => "chance (memoryless predictor)",
        }
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
        if let Some(u) = self.data.as_ref().filter(|_| self.kind.needs_data()) {
            return u.chance(self.kind, len);
        }
        match self.kind {
            TaskKind::Adding => (adding::BASELINE_MSE, adding::BASELINE_WITHIN),
            TaskKind::Copy => (copy::baseline(), 1.0 / classes),
            TaskKind::Parity | TaskKind::Order => (libm::log(classes), 1.0 / classes),
            TaskKind::Anbn => (anbn::baseline(len), 0.0),
            TaskKind::Sine => (sine::VARIANCE, 0.0),
            TaskKind::Reber | TaskKind::Dyck => metric::memoryless(self, len),
            TaskKind::Text => match &self.data {
                Some(u) => u
                    .corpus()
                    .map_or((f64::NAN, f64::NAN), |c| *u.set.derive("unigram", || text::baseline(c))),
                None => text::builtin_baseline(),
            },
            TaskKind::Classify | TaskKind::Forecast => (f64::NAN, f64::NAN),
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
        for kind in TaskKind::ALL.into_iter().filter(|k| !k.needs_data()) {
            for pairs in [1, 2] {
                let task = Task { pairs, ..Task::plain(kind) };
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
            let task = Task::plain(kind);
            if kind.needs_data() {
                assert!(kind.about().literature.contains('('));
                continue;
            }
            let a = kind.about();
            assert!(!a.title.is_empty() && a.literature.contains('('), "{kind:?} names its source");
            let len = kind.defaults().len;
            assert!(task.baseline_loss(len) > 0.0 && task.baseline_loss(len).is_finite(), "{kind:?}");
        }
    }
}
