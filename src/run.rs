//! A training run: one architecture at one size, length, learning rate and seed. It advances in
//! chunks the caller chooses and records at regular intervals; the page (in a worker) and the
//! CLI drive the very same type, so a config and a seed give the same history everywhere.

use crate::batch::Batch;
use crate::config::Config;
use crate::data::Data;
use crate::nn::init::init;
use crate::nn::loss::loss_total;
use crate::nn::network::{Network, Probe};
use crate::nn::optim::Optimizer;
use crate::nn::recurrent::Backprop;
use crate::nn::{Arch, Model};
use crate::rng::{stream, Stream};
use crate::tasks::{Tally, Task};
use serde::{Deserialize, Serialize};

/// Seconds from some fixed origin; native: `Instant`, page: `performance.now()`.
pub type Clock = fn() -> f64;

/// What distinguishes the runs of one config.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    pub arch: Arch,
    pub hidden: usize,
    pub len: usize,
    pub lr: f32,
    pub seed: u64,
}

impl RunSpec {
    /// The name of this run's files in an export: task, cell, size and seed.
    pub fn stem(&self, c: &Config) -> String {
        format!("gatelab-{}-{}-h{}-seed{}", c.task.name(), self.arch.name(), self.hidden, self.seed)
    }

    /// Every run of a config: lens x cells x lrs x seeds x archs, sized to the LSTM if `match=1`.
    pub fn all(c: &Config) -> Vec<RunSpec> {
        let mut out = Vec::new();
        for &len in &c.lens {
            for &cells in &c.cells {
                for &lr in &c.lrs {
                    for seed in c.seed_list() {
                        for &arch in &c.archs {
                            out.push(RunSpec { arch, hidden: c.hidden_for(arch, cells), len, lr, seed });
                        }
                    }
                }
            }
        }
        out
    }

    /// The runs the compare view trains side by side: every arch and seed at the first cell
    /// count, length and learning rate. The same seed is the same data for every arch, so
    /// seeds pair up.
    pub fn compare(c: &Config) -> Vec<RunSpec> {
        let first =
            Config { cells: vec![c.cells[0]], lens: vec![c.lens[0]], lrs: vec![c.lrs[0]], ..c.clone() };
        RunSpec::all(&first)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Training,
    Done,
    /// The loss or the gradient became NaN or infinite; the history up to there is kept.
    Diverged,
    /// Its worker died (the page); the history up to there is kept.
    Crashed,
}

impl RunState {
    /// Diverged or crashed: a run that stopped without a result.
    pub fn failed(self) -> bool {
        matches!(self, RunState::Diverged | RunState::Crashed)
    }

    pub fn name(self) -> &'static str {
        match self {
            RunState::Training => "training",
            RunState::Done => "done",
            RunState::Diverged => "diverged",
            RunState::Crashed => "crashed",
        }
    }
}

/// One point of a run's history. NaN (no value yet, or diverged) is `null` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub step: usize,
    /// Training time so far (evaluation excluded).
    #[serde(with = "crate::nullable")]
    pub seconds: f64,
    /// Mean training loss over the steps since the previous record.
    #[serde(with = "crate::nullable")]
    pub train_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_metric: f64,
    /// Metric on the test set at the other sequence length.
    #[serde(with = "crate::nullable")]
    pub test_metric: f64,
    /// Global gradient norm (before clipping) at this step.
    #[serde(with = "crate::nullable")]
    pub grad_norm: f64,
}

/// The latest record with a training loss (a diverged run's last record has none), else the
/// latest: what a run's summary and the page's stats report.
pub fn last_finite(records: &[Record]) -> Option<&Record> {
    records.iter().rev().find(|r| r.train_loss.is_finite()).or(records.last())
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
    /// The weights at the lowest validation loss so far: early stopping's best checkpoint, the
    /// same record `Summary` names (the first of equal minima).
    best: Checkpoint,
}

/// A copy of the weights at one record (allocated once, with the run).
struct Checkpoint {
    step: usize,
    val_loss: f64,
    params: Vec<f32>,
}

impl Run {
    pub fn new(c: &Config, spec: RunSpec, clock: Clock) -> Run {
        let model = init(spec.arch, c.dims(spec.hidden), c.init(), stream(spec.seed, Stream::Weights));
        let params = model.params.len();
        let opt = Optimizer::new(c.optim(spec.lr), params);
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
            best: Checkpoint { step: 0, val_loss: f64::INFINITY, params: vec![0.0; params] },
        }
    }

    /// Trains a run to its budget (or divergence), reporting the steps done after each chunk.
    pub fn to_end(c: &Config, spec: RunSpec, clock: Clock, progress: &mut dyn FnMut(usize)) -> Run {
        let mut run = Run::new(c, spec, clock);
        while run.state == RunState::Training {
            run.advance(50);
            progress(run.step);
        }
        run
    }

    /// Raises the step budget to `steps` (never lowers it): a run that finished trains on from
    /// where it is, exactly as if the larger budget had been set from the start (its records
    /// keep their spacing). A diverged run stays diverged.
    pub fn extend(&mut self, steps: usize) {
        if steps > self.steps {
            self.steps = steps;
            if self.state == RunState::Done {
                self.state = RunState::Training;
            }
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
        for _ in 0..n {
            if self.state != RunState::Training {
                break;
            }
            let batch = self.data.next_batch();
            self.train_step(&batch);
        }
        &self.records[first_new..]
    }

    fn train_step(&mut self, batch: &Batch) {
        let start = (self.clock)();
        let loss = self.net.loss_grad(batch, self.task.loss(), self.backprop, None);
        let norm = self.opt.step(&mut self.net.model.params, &mut self.net.grads);
        self.seconds += (self.clock)() - start;
        self.step += 1;
        self.loss_sum += loss;
        self.loss_count += 1;
        let bad = !loss.is_finite() || !norm.is_finite();
        if bad || self.step.is_multiple_of(self.every) || self.step == self.steps {
            let train = self.loss_sum / self.loss_count as f64;
            (self.loss_sum, self.loss_count) = (0.0, 0);
            self.record(train, norm as f64);
        }
        if bad {
            self.state = RunState::Diverged;
        } else if self.step >= self.steps {
            self.state = RunState::Done;
        }
    }

    fn record(&mut self, train_loss: f64, grad_norm: f64) {
        let (val_loss, val_metric) = self.evaluate(false);
        let (_, test_metric) = self.evaluate(true);
        let r = Record {
            step: self.step,
            seconds: self.seconds,
            train_loss,
            val_loss,
            val_metric,
            test_metric,
            grad_norm,
        };
        self.records.push(r);
        if val_loss < self.best.val_loss {
            self.best.params.copy_from_slice(&self.net.model.params);
            (self.best.step, self.best.val_loss) = (self.step, val_loss);
        }
    }

    /// The model at the best checkpoint, where it is not the model as it ends (its lowest
    /// validation loss came before its last record).
    pub fn best_model(&self) -> Option<Model> {
        let ends_there = self.records.last().is_some_and(|r| r.step == self.best.step);
        (self.best.val_loss.is_finite() && !ends_there).then(|| Model {
            arch: self.net.model.arch,
            dims: self.net.model.dims,
            params: self.best.params.clone(),
        })
    }

    /// (loss, metric) on the validation set, or on the test set, chunk by chunk: memory stays
    /// within a training step's, and nothing is allocated once the buffers have their size.
    pub fn evaluate(&mut self, test: bool) -> (f64, f64) {
        let chunks = if test { &self.data.test } else { &self.data.val };
        let (mut sum, mut count, mut tally) = (0.0, 0, Tally::default());
        for chunk in chunks {
            let y = self.net.forward(&chunk.x, chunk.steps, chunk.batch);
            let (s, n) = loss_total(self.task.loss(), y, &chunk.y, &chunk.mask);
            (sum, count) = (sum + s, count + n);
            tally.add(&self.task.tally(chunk, y));
        }
        (sum / count.max(1) as f64, self.task.metric().value(&tally))
    }

    /// Every gate on validation sequence `example` (wrapped to the set's size).
    pub fn probe(&mut self, example: usize) -> ProbeView {
        let example = example % self.data.val_size().max(1);
        let seq = self.data.val_sequence(example);
        let (i, o) = seq.widths();
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

    /// How much of the loss's gradient reaches the first step: ||dL/dh_0|| / ||dL/dh_T-1|| of
    /// the top layer, as a geometric mean over the first 16 validation sequences that have a
    /// gradient at both ends; 0 if every sequence with a gradient at the end has none left at
    /// the first step (it vanished to exactly zero); NaN if none has a gradient at the end.
    pub fn grad_decay(&mut self) -> f64 {
        let (mut logs, mut n, mut vanished) = (0.0, 0, 0);
        for k in 0..16 {
            let seq = self.data.val_sequence(k);
            let g = self.net.probe(&seq, self.task.loss()).grad_norm;
            let last = (0..seq.steps).rev().find(|&t| seq.mask[t] > 0.0);
            if let (Some(&g0), Some(t)) = (g.first(), last) {
                if g0 > 0.0 && g[t] > 0.0 && g0.is_finite() && g[t].is_finite() {
                    logs += libm::log(g0 as f64 / g[t] as f64);
                    n += 1;
                } else if g0 == 0.0 && g[t] > 0.0 && g[t].is_finite() {
                    vanished += 1;
                }
            }
        }
        if n == 0 && vanished > 0 {
            0.0
        } else if n == 0 {
            f64::NAN
        } else {
            libm::exp(logs / n as f64)
        }
    }

    pub fn seconds(&self) -> f64 {
        self.seconds
    }

    pub fn last(&self) -> Option<&Record> {
        self.records.last()
    }

    /// Peak floats the run holds: parameters, gradients, optimiser state, data and buffers
    /// (with the matrix kernel's copy of A on this thread).
    pub fn floats(&self) -> usize {
        self.params() * 4 + self.data.floats() + self.net.buffer_floats() + crate::nn::gemm::scratch_floats()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    #[test]
    fn a_finished_run_given_a_larger_budget_trains_on_as_if_it_had_had_it_from_the_start() {
        let c = parse("task=adding&len=12&cells=8&archs=gru&steps=60&every=20&seeds=1").unwrap();
        let spec = RunSpec::compare(&c)[0];
        let mut longer = Run::new(&Config { steps: 150, ..c.clone() }, spec, || 0.0);
        longer.advance(1000);
        let mut run = Run::new(&c, spec, || 0.0);
        run.advance(1000);
        assert_eq!((run.step, run.state), (60, RunState::Done));
        run.extend(150);
        run.advance(1000);
        assert_eq!((run.step, run.state), (150, RunState::Done));
        assert_eq!(run.net.model.params, longer.net.model.params, "the same weights, bit for bit");
        let (a, b) = (run.last().unwrap(), longer.last().unwrap());
        assert_eq!((a.step, a.val_loss, a.val_metric), (b.step, b.val_loss, b.val_metric));
        run.extend(100);
        assert_eq!(run.steps, 150, "a budget is never lowered");
    }

    #[test]
    fn the_best_checkpoint_is_the_weights_of_the_lowest_validation_loss() {
        // Eight training sequences and a large learning rate: it memorises them and validation
        // loss rises again before the end.
        let c = parse("task=adding&len=10&cells=32&archs=gru&train=8&lr=0.02&steps=400&every=20&seeds=1")
            .unwrap();
        let mut run = Run::new(&c, RunSpec::compare(&c)[0], || 0.0);
        run.advance(1000);
        let summary = crate::experiment::summary::Summary::of(&mut run, &c);
        let best = run.best_model().expect("its lowest validation loss came before the end");
        assert!(summary.best_step < 400, "{}", summary.best_step);
        let at_best = run.records.iter().find(|r| r.step == summary.best_step).unwrap().val_loss;
        run.net.model = best;
        assert_eq!(run.evaluate(false).0, at_best, "the checkpoint gives that record's validation loss");
    }
}
