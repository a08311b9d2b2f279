//! The user's data bound to a config: which dataset, which columns, how far ahead.
//! The sets each run trains, validates and tests on, the chance bars of the charts and the
//! classical baselines all come from here, for `classify`, `forecast` and a user's `text`.

use super::forecast::{prepare, Part, Prepared};
use super::{classify, TaskKind};
use crate::batch::Batch;
use crate::datafile::store::Installed;
use crate::datafile::text::Corpus;
use crate::datafile::{DataKind, Dataset, Labelled, Table};
use crate::rng::Prng;
use std::sync::Arc;

/// A task's data: the dataset its config is bound to and the config's choices about it.
#[derive(Clone)]
pub struct UserData {
    pub set: Arc<Installed>,
    pub column: Option<String>,
    pub inputs: Vec<String>,
    pub horizon: usize,
    pub period: usize,
}

impl std::fmt::Debug for UserData {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let files: Vec<String> = self.set.info.files.iter().map(|r| r.text()).collect();
        write!(f, "UserData({})", files.join(","))
    }
}

/// A run's sets from the user's data.
pub struct Sets {
    pub train: Batch,
    pub val: Batch,
    pub test: Batch,
}

/// How many cases (labelled sequences) or windows (a series) the validation and test parts
/// hold: the metric on each moves in steps of one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeldOut {
    pub val: usize,
    pub test: usize,
    pub windows: bool,
}

/// Below this many, a part is small: say so beside its metric.
pub const FEW: usize = 30;

impl HeldOut {
    fn unit(&self, n: usize) -> String {
        let u = if self.windows { "window" } else { "case" };
        format!("{n} {u}{}", if n == 1 { "" } else { "s" })
    }

    /// "validation 6 cases, test 6 cases".
    pub fn text(&self) -> String {
        format!("validation {}, test {}", self.unit(self.val), self.unit(self.test))
    }

    /// What a small part means for its metric, when a part has fewer than `FEW`.
    pub fn warning(&self) -> Option<String> {
        let small = self.val.min(self.test);
        if small >= FEW {
            return None;
        }
        let step = if self.windows {
            "the metric rests on a few points".to_string()
        } else {
            format!("an accuracy moves in steps of 1/{small} ({:.2})", 1.0 / small.max(1) as f64)
        };
        Some(format!(
            "{}: fewer than {FEW} in a part, so {step} and one {} can change a verdict.",
            self.text(),
            if self.windows { "window" } else { "case" }
        ))
    }
}

impl UserData {
    pub fn kind(&self) -> DataKind {
        self.set.info.kind
    }

    fn file(&self) -> &str {
        self.set.info.files.first().map_or("the data", |r| r.name.as_str())
    }

    pub fn labelled(&self) -> Option<&Labelled> {
        match &self.set.data {
            Some(Dataset::Labelled(l)) => Some(l),
            _ => None,
        }
    }

    pub fn corpus(&self) -> Option<&Corpus> {
        match &self.set.data {
            Some(Dataset::Text(c)) => Some(c),
            _ => None,
        }
    }

    fn table(&self) -> Option<&Table> {
        match &self.set.data {
            Some(Dataset::Table(t)) => Some(t),
            _ => None,
        }
    }

    /// The forecast's chosen columns, prepared once per choice.
    pub fn prepared(&self) -> Result<Arc<Result<Prepared, String>>, String> {
        let t = self.table().ok_or("the data's values are not here")?;
        let what = format!("forecast|{:?}|{:?}|{}", self.column, self.inputs, self.period);
        Ok(self
            .set
            .derive(&what, || prepare(self.file(), t, self.column.as_deref(), &self.inputs, self.period)))
    }

    fn forecast(&self) -> Option<Arc<Result<Prepared, String>>> {
        self.prepared().ok()
    }

    /// (inputs, outputs) per step.
    pub fn dims(&self, kind: TaskKind) -> (usize, usize) {
        let i = &self.set.info;
        match kind {
            TaskKind::Classify => (i.dims.max(1), i.classes.len().max(2)),
            TaskKind::Forecast => {
                (1 + self.inputs.iter().filter(|n| Some(*n) != self.column.as_ref()).count(), self.horizon)
            }
            _ => (i.dims.max(2), i.dims.max(2)),
        }
    }

    /// Time steps of a training sequence (a window, the longest case, a text window).
    pub fn steps(&self, kind: TaskKind, len: usize) -> usize {
        match kind {
            TaskKind::Classify => self.set.info.max_len.max(1),
            _ => len.max(2),
        }
    }

    /// What is wrong with this data for this task and length, if anything.
    pub fn problem(&self, kind: TaskKind, len: usize) -> Option<String> {
        let want = match kind {
            TaskKind::Classify => DataKind::Classes,
            TaskKind::Forecast => DataKind::Series,
            _ => DataKind::Text,
        };
        if self.kind() != want {
            let what = match self.kind() {
                DataKind::Classes => "labelled sequences (task=classify)",
                DataKind::Series => "a table of series (task=forecast)",
                DataKind::Text => "a text (task=text)",
            };
            return Some(format!("{} holds {what}, not data for task={}", self.file(), kind.name()));
        }
        match kind {
            TaskKind::Classify if self.set.info.classes.len() < 2 => {
                Some(format!("{} has one class only: nothing to tell apart", self.file()))
            }
            TaskKind::Forecast => match self.forecast()?.as_ref() {
                Err(e) => Some(e.clone()),
                Ok(p) => p.check(len, self.horizon).err(),
            },
            TaskKind::Text if self.corpus().is_some_and(|c| c.held_out.len() <= len) => {
                Some(format!("{}: its held-out tenth is shorter than len {len}", self.file()))
            }
            _ => None,
        }
    }

    /// A run's sets: (train, validation, test), validation drawn by `rng` where it is drawn.
    pub fn sets(&self, kind: TaskKind, len: usize, rng: &mut Prng) -> Option<Sets> {
        match kind {
            TaskKind::Classify => {
                let l = self.labelled()?;
                let [train, val, test] = classify::sets(l, rng);
                let norm = classify::standardise(&train, l.dims);
                let k = l.classes.len();
                Some(Sets {
                    train: classify::batch(&train, k, &norm),
                    val: classify::batch(&val, k, &norm),
                    test: classify::batch(&test, k, &norm),
                })
            }
            TaskKind::Forecast => {
                let f = self.forecast()?;
                let p = f.as_ref().as_ref().ok()?;
                let part = |part| p.batch(&p.windows(len, self.horizon, part), len, self.horizon);
                Some(Sets { train: part(Part::Train), val: part(Part::Validation), test: part(Part::Test) })
            }
            _ => None,
        }
    }

    /// The validation and test parts' sizes, exactly (the stratified draw's counts do not
    /// depend on its seed); `None` without the values.
    pub fn held_out(&self, kind: TaskKind, len: usize) -> Option<HeldOut> {
        match kind {
            TaskKind::Classify => {
                let [_, val, test] = classify::sets(self.labelled()?, &mut crate::rng::prng(0));
                Some(HeldOut { val: val.len(), test: test.len(), windows: false })
            }
            TaskKind::Forecast => {
                let f = self.forecast()?;
                let p = f.as_ref().as_ref().ok()?;
                let n = |part| p.windows(len, self.horizon, part).len();
                Some(HeldOut { val: n(Part::Validation), test: n(Part::Test), windows: true })
            }
            _ => None,
        }
    }

    /// Sequences in the training, validation and test sets (for the memory estimate).
    pub fn sizes(&self, kind: TaskKind) -> (usize, usize, usize) {
        let i = &self.set.info;
        match kind {
            TaskKind::Classify if i.test > 0 => (i.train, i.train / 5 + 1, i.test),
            TaskKind::Classify => (i.train, i.train / 5 + 1, i.train / 5 + 1),
            _ => (i.train, i.train / 10 + 1, i.train / 10 + 1),
        }
    }

    /// MASE per unit of standardised absolute error (forecast).
    pub fn mase_factor(&self) -> f64 {
        self.forecast().and_then(|f| f.as_ref().as_ref().ok().map(Prepared::mase_factor)).unwrap_or(f64::NAN)
    }

    /// The chance bars: (loss, metric) of the memoryless predictor (classes: the class
    /// frequencies and the majority class; forecast: the naive forecast on validation).
    pub fn chance(&self, kind: TaskKind, len: usize) -> (f64, f64) {
        match kind {
            TaskKind::Classify => {
                let counts: Vec<f64> = self.set.info.classes.iter().map(|c| c.1 as f64).collect();
                let n: f64 = counts.iter().sum::<f64>().max(1.0);
                let entropy = counts.iter().filter(|&&c| c > 0.0).map(|c| -c / n * libm::log(c / n)).sum();
                (entropy, counts.iter().cloned().fold(0.0, f64::max) / n)
            }
            TaskKind::Forecast => match self.forecast().as_deref() {
                Some(Ok(p)) => (
                    p.naive_mse(len, self.horizon, Part::Validation),
                    p.naive(len, self.horizon, Part::Validation),
                ),
                _ => (f64::NAN, f64::NAN),
            },
            _ => (f64::NAN, f64::NAN),
        }
    }

    /// The classical baselines, as the test metric (`baseline_name` names them for people): classes `majority` and `nn1_euclidean`
    /// (accuracy), series `naive` and `seasonal_naive` (MASE). Empty without the values.
    pub fn baselines(&self, kind: TaskKind, len: usize) -> Vec<(String, f64)> {
        match kind {
            TaskKind::Classify => {
                let Some(l) = self.labelled() else { return Vec::new() };
                let nn = *self.set.derive("nn1", || {
                    let (train, test) = classify::train_test(l);
                    (
                        classify::majority(&train, &test, l.classes.len()),
                        classify::nn1_euclidean(&train, &test),
                    )
                });
                vec![("majority".into(), nn.0), ("nn1_euclidean".into(), nn.1)]
            }
            TaskKind::Forecast => match self.forecast().as_deref() {
                Some(Ok(p)) => vec![
                    ("naive".into(), p.naive(len, self.horizon, Part::Test)),
                    ("seasonal_naive".into(), p.seasonal_naive(len, self.horizon, self.period, Part::Test)),
                ],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// A classical baseline's name for people.
pub fn baseline_name(key: &str) -> &str {
    match key {
        "majority" => "majority class",
        "nn1_euclidean" => "1-NN Euclidean",
        "naive" => "naive forecast",
        "seasonal_naive" => "seasonal naive forecast",
        other => other,
    }
}
