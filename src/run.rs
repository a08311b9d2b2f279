//! A training run: one architecture at one size on one task and seed. It advances in chunks the
//! caller chooses and records at regular intervals; the page (in a worker) and the CLI drive the
//! very same type, so a config and a seed give the same history everywhere.

use crate::config::Config;
use crate::nn::init::{init, prng, Prng};
use crate::nn::loss::loss;
use crate::nn::network::{Batch, Network, Probe};
use crate::nn::optim::Optimizer;
use crate::nn::recurrent::Backprop;
use crate::nn::{Arch, Dims};
use crate::tasks::{LenRange, Task, TaskKind};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// Sequences in the validation and in the test set.
pub const EVAL_SIZE: usize = 256;

/// Seconds from some fixed origin; native: `Instant`, page: `performance.now()`.
pub type Clock = fn() -> f64;

/// What distinguishes the runs of one config.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    pub arch: Arch,
    pub hidden: usize,
    pub len: usize,
    pub seed: u64,
}

impl RunSpec {
    /// Every run of a config: archs x cells x lens x seeds, sized to the LSTM if `match=1`.
    pub fn all(c: &Config) -> Vec<RunSpec> {
        let mut out = Vec::new();
        for &len in &c.lens {
            for &cells in &c.cells {
                for s in 0..c.seeds as u64 {
                    for &arch in &c.archs {
                        let hidden = c.hidden_for(arch, cells);
                        out.push(RunSpec { arch, hidden, len, seed: c.seed + s });
                    }
                }
            }
        }
        out
    }

    /// The runs the compare view trains side by side: each arch at the first cell count,
    /// length and seed.
    pub fn compare(c: &Config) -> Vec<RunSpec> {
        let (len, seed) = (c.seq_len(), c.seed);
        c.archs
            .iter()
            .map(|&arch| RunSpec { arch, hidden: c.hidden_for(arch, c.cells[0]), len, seed })
            .collect()
    }
}

impl Config {
    pub fn dims(&self, hidden: usize) -> Dims {
        let (input, output) = self.task().dims();
        Dims { input, hidden, output }
    }

    /// The hidden size of `arch` for a cell count: with `match=1`, GRU and RNN get as many
    /// parameters as the LSTM with `cells` units (at most).
    pub fn hidden_for(&self, arch: Arch, cells: usize) -> usize {
        if !self.match_params || arch == Arch::Lstm {
            return cells;
        }
        let budget = Arch::Lstm.param_count(self.dims(cells));
        arch.hidden_for_params(self.dims(cells), budget)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Training,
    Done,
    Diverged,
}

impl RunState {
    pub fn name(self) -> &'static str {
        match self {
            RunState::Training => "training",
            RunState::Done => "done",
            RunState::Diverged => "diverged",
        }
    }
}

/// One point of a run's history. NaN (no value yet, or diverged) travels as JSON `null`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub step: usize,
    /// Training time so far (evaluation excluded).
    #[serde(with = "nan_as_null")]
    pub seconds: f64,
    /// Mean training loss over the steps since the previous record.
    #[serde(with = "nan_as_null")]
    pub train_loss: f64,
    #[serde(with = "nan_as_null")]
    pub val_loss: f64,
    #[serde(with = "nan_as_null")]
    pub val_metric: f64,
    /// Metric on the test set at the other sequence length.
    #[serde(with = "nan_as_null")]
    pub test_metric: f64,
    /// Global gradient norm (before clipping) at this step.
    #[serde(with = "nan_as_null")]
    pub grad_norm: f64,
}

/// Seeds of independent streams, all derived from the config's seed (splitmix64), so an LSTM
/// and a GRU of the same config train on the same data.
fn stream(seed: u64, which: u64) -> u64 {
    let mut z = seed.wrapping_add(which.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The run's data: a finite training set (or a generator), validation and test sets.
struct Data {
    task: Task,
    len: usize,
    batch: usize,
    rng: Prng,
    /// Finite training set (all sequences as one batch) and its shuffled order.
    train: Option<(Batch, Vec<usize>, usize)>,
    val: Batch,
    test: Batch,
}

impl Data {
    fn new(c: &Config, len: usize, seed: u64) -> Data {
        let task = c.task();
        let test_len = c.test_len_for(len);
        let test_lens = match c.task {
            TaskKind::Anbn => LenRange { min: len + 1, max: test_len.max(len + 1) },
            _ => LenRange::upto(test_len),
        };
        let mut rng = prng(stream(seed, 1));
        let train = (c.train > 0).then(|| {
            let set = task.sample(&mut rng, c.train, LenRange::upto(len));
            (set, (0..c.train).collect(), c.train)
        });
        Data {
            task,
            len,
            batch: c.batch,
            rng,
            train,
            val: task.sample(&mut prng(stream(seed, 2)), EVAL_SIZE, LenRange::upto(len)),
            test: task.sample(&mut prng(stream(seed, 3)), EVAL_SIZE, test_lens),
        }
    }

    fn next_batch(&mut self) -> Batch {
        let Some((set, order, pos)) = &mut self.train else {
            return self.task.sample(&mut self.rng, self.batch, LenRange::upto(self.len));
        };
        let picks: Vec<usize> = (0..self.batch)
            .map(|_| {
                if *pos >= order.len() {
                    order.shuffle(&mut self.rng);
                    *pos = 0;
                }
                *pos += 1;
                order[*pos - 1]
            })
            .collect();
        set.rows(&picks)
    }
}

impl Batch {
    /// The sequences `rows` of this batch, in that order.
    pub fn rows(&self, rows: &[usize]) -> Batch {
        let (n, m) = (self.batch, rows.len());
        let (i, o) = (self.x.len() / self.mask.len(), self.y.len() / self.mask.len());
        let mut out = Batch { steps: self.steps, batch: m, x: vec![], y: vec![], mask: vec![] };
        for t in 0..self.steps {
            for &r in rows {
                let k = t * n + r;
                out.x.extend_from_slice(&self.x[k * i..(k + 1) * i]);
                out.y.extend_from_slice(&self.y[k * o..(k + 1) * o]);
                out.mask.push(self.mask[k]);
            }
        }
        out
    }
}

/// A probe of one validation sequence, with what the heatmaps draw above it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeView {
    pub example: usize,
    /// The training step the weights were at.
    pub step: usize,
    pub input: Vec<Vec<f32>>,  // [T][I]
    pub target: Vec<Vec<f32>>, // [T][O]
    pub mask: Vec<f32>,        // [T]
    pub probe: Probe,
}

pub struct Run {
    pub spec: RunSpec,
    pub net: Network,
    pub records: Vec<Record>,
    pub state: RunState,
    pub step: usize,
    pub steps: usize,
    task: Task,
    data: Data,
    opt: Optimizer,
    backprop: Backprop,
    every: usize,
    clock: Clock,
    seconds: f64,
    loss_sum: f64,
    loss_count: usize,
}

impl Run {
    pub fn new(c: &Config, spec: RunSpec, clock: Clock) -> Run {
        let model = init(spec.arch, c.dims(spec.hidden), c.init(), stream(spec.seed, 4));
        let opt = Optimizer::new(c.optim(), model.params.len());
        Run {
            spec,
            net: Network::new(model),
            records: Vec::new(),
            state: RunState::Training,
            step: 0,
            steps: c.steps,
            task: c.task(),
            data: Data::new(c, spec.len, spec.seed),
            opt,
            backprop: Backprop { truncate: c.tbptt },
            every: c.every(),
            clock,
            seconds: 0.0,
            loss_sum: 0.0,
            loss_count: 0,
        }
    }

    pub fn params(&self) -> usize {
        self.net.model.params.len()
    }

    /// Trains up to `n` more steps (fewer at the budget or on divergence). Returns the records
    /// made during this call.
    pub fn advance(&mut self, n: usize) -> &[Record] {
        let first_new = self.records.len();
        if self.step == 0 && self.records.is_empty() {
            self.record(f64::NAN, 0.0);
        }
        let loss_kind = self.task.loss();
        for _ in 0..n {
            if self.state != RunState::Training {
                break;
            }
            let start = (self.clock)();
            let batch = self.data.next_batch();
            let loss = self.net.loss_grad(&batch, loss_kind, self.backprop, None);
            let norm = self.opt.step(&mut self.net.model.params, &mut self.net.grads);
            self.seconds += (self.clock)() - start;
            self.step += 1;
            self.loss_sum += loss;
            self.loss_count += 1;
            let bad = !loss.is_finite() || !norm.is_finite();
            if bad || self.step.is_multiple_of(self.every) || self.step == self.steps {
                let train = self.loss_sum / self.loss_count as f64;
                self.loss_sum = 0.0;
                self.loss_count = 0;
                self.record(train, norm as f64);
            }
            if bad {
                self.state = RunState::Diverged;
            } else if self.step >= self.steps {
                self.state = RunState::Done;
            }
        }
        &self.records[first_new..]
    }

    fn record(&mut self, train_loss: f64, grad_norm: f64) {
        let (val_loss, val_metric) = self.evaluate(false);
        let (_, test_metric) = self.evaluate(true);
        self.records.push(Record {
            step: self.step,
            seconds: self.seconds,
            train_loss,
            val_loss,
            val_metric,
            test_metric,
            grad_norm,
        });
    }

    /// (loss, metric) on the validation set, or on the test set, from one forward pass.
    fn evaluate(&mut self, test: bool) -> (f64, f64) {
        let set = if test { &self.data.test } else { &self.data.val };
        let y = self.net.forward(&set.x, set.steps, set.batch);
        (loss(self.task.loss(), y, &set.y, &set.mask, None), self.task.score(set, y))
    }

    /// Every gate on validation sequence `example` (wrapped to the set's size).
    pub fn probe(&mut self, example: usize) -> ProbeView {
        let example = example % EVAL_SIZE;
        let seq = self.data.val.sequence(example);
        let (i, o) = (self.net.model.dims.input, self.net.model.dims.output);
        let probe = self.net.probe(&seq, self.task.loss());
        ProbeView {
            example,
            step: self.step,
            input: seq.x.chunks_exact(i).map(<[f32]>::to_vec).collect(),
            target: seq.y.chunks_exact(o).map(<[f32]>::to_vec).collect(),
            mask: seq.mask.clone(),
            probe,
        }
    }

    pub fn seconds(&self) -> f64 {
        self.seconds
    }

    pub fn last(&self) -> Option<&Record> {
        self.records.last()
    }
}

/// serde for `f64` fields that may be NaN: JSON has no NaN, so it is written as `null`.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// A run's history as CSV, one row per record (the page's export and `curve.csv`).
pub fn curve_csv(records: &[Record]) -> String {
    let mut s = String::from("step,seconds,train_loss,val_loss,val_metric,test_metric,grad_norm\n");
    for r in records {
        let cells = [r.seconds, r.train_loss, r.val_loss, r.val_metric, r.test_metric, r.grad_norm];
        let text: Vec<String> =
            cells.iter().map(|v| if v.is_finite() { v.to_string() } else { String::new() }).collect();
        s.push_str(&format!("{},{}\n", r.step, text.join(",")));
    }
    s
}
