//! How tasks score outputs. A `Tally` adds up over chunks of a set, so evaluation runs in
//! pieces of bounded memory and still gives the metric of the whole set.

use super::Task;
use crate::batch::Batch;
use crate::nn::loss::{argmax_rows, loss_total, Loss};
use crate::rng::prng;
use std::sync::Mutex;

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
    /// Share of sequences where at every step the arg-max output is a legal next symbol.
    LegalSequence,
    /// Share of sequences where at every step the outputs above 0 (probability > 1/2) are
    /// exactly the legal next symbols.
    SetSequence,
    /// Cross-entropy in bits per character (lower is better).
    BitsPerChar,
    /// Mean absolute error of every output at targeted steps, times this factor: MASE when the
    /// outputs are standardised forecasts (the factor is the deviation over MASE's scale).
    Mase(f64),
}

/// Sums from which a metric is computed, added up over chunks of a set.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub good: f64,
    pub total: f64,
    pub err2: f64,
    pub sum: f64,
    pub sum2: f64,
    pub loss: f64,
    /// Sum of absolute errors (forecasts).
    pub abs: f64,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.good += o.good;
        self.total += o.total;
        self.err2 += o.err2;
        self.sum += o.sum;
        self.sum2 += o.sum2;
        self.loss += o.loss;
        self.abs += o.abs;
    }
}

impl Metric {
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::BitsPerChar | Metric::Mase(_))
    }

    pub fn value(self, t: &Tally) -> f64 {
        let n = t.total.max(1.0);
        match self {
            Metric::ExplainedVariance => {
                let var = (t.sum2 / n - (t.sum / n).powi(2)).max(1e-12);
                (1.0 - t.err2 / n / var).max(-1.0)
            }
            Metric::BitsPerChar => t.loss / n / std::f64::consts::LN_2,
            Metric::Mase(factor) => t.abs / n * factor,
            _ => t.good / n,
        }
    }
}

/// The tally of outputs y: [T, B, O] on batch b. Allocates nothing (evaluation runs every few
/// steps on every run).
pub fn tally(metric: Metric, loss: Loss, b: &Batch, y: &[f32]) -> Tally {
    let out = y.len() / b.mask.len().max(1);
    let argmax = |buf: &[f32], k: usize| argmax_rows(&buf[k * out..(k + 1) * out], out).next().unwrap_or(0);
    let targeted = || (0..b.mask.len()).filter(|&k| b.mask[k] > 0.0);
    // Sequences whose every targeted step passes `ok` (k = t * B + s).
    let sequences = |ok: &dyn Fn(usize) -> bool| {
        let all = |s: usize| (0..b.steps).map(|t| t * b.batch + s).all(|k| b.mask[k] == 0.0 || ok(k));
        ((0..b.batch).filter(|&s| all(s)).count() as f64, b.batch as f64)
    };
    let right = |k: usize| argmax(y, k) == argmax(&b.y, k);
    let mut t = Tally::default();
    match metric {
        Metric::StepAccuracy => {
            t.good = targeted().filter(|&k| right(k)).count() as f64;
            t.total = targeted().count() as f64;
        }
        Metric::SequenceAccuracy => (t.good, t.total) = sequences(&right),
        Metric::LegalSequence => (t.good, t.total) = sequences(&|k| b.y[k * out + argmax(y, k)] > 0.5),
        Metric::SetSequence => {
            (t.good, t.total) =
                sequences(&|k| (k * out..(k + 1) * out).all(|j| (y[j] > 0.0) == (b.y[j] > 0.5)))
        }
        Metric::WithinTolerance(tol) => {
            t.good = targeted().filter(|&k| (y[k] - b.y[k]).abs() < tol).count() as f64;
            t.total = targeted().count() as f64;
        }
        Metric::ExplainedVariance => {
            for k in targeted() {
                let (p, v) = (y[k] as f64, b.y[k] as f64);
                t.err2 += (p - v).powi(2);
                t.sum += v;
                t.sum2 += v * v;
                t.total += 1.0;
            }
        }
        Metric::Mase(_) => {
            for k in targeted() {
                t.abs += (k * out..(k + 1) * out).map(|j| (y[j] - b.y[j]).abs() as f64).sum::<f64>();
                t.total += out as f64;
            }
        }
        Metric::BitsPerChar => {
            let (sum, count) = loss_total(loss, y, &b.y, &b.mask);
            (t.loss, t.total) = (sum, count as f64);
        }
    }
    t
}

/// Outputs that a perfect predictor gives for batch b (for tests and baselines): the targets
/// as regression values, as logits of the target distribution, or as logits of the legal set.
pub fn perfect_outputs(loss: Loss, b: &Batch) -> Vec<f32> {
    match loss {
        Loss::Mse => b.y.clone(),
        Loss::CrossEntropy | Loss::Bce => b.y.iter().map(|&p| logit(p as f64, loss)).collect(),
    }
}

/// The logit that a predictor of probability p outputs, clamped away from 0 and 1.
fn logit(p: f64, loss: Loss) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    match loss {
        Loss::Bce => libm::log(p / (1.0 - p)) as f32,
        _ => libm::log(p) as f32,
    }
}

/// (loss, metric) of the best predictor that sees only the current input symbol: its output
/// for a symbol is the mean target after that symbol, estimated on 4000 sequences of a fixed
/// seed and scored on 1000 others.
pub fn memoryless(task: &Task, len: usize) -> (f64, f64) {
    type Key = (super::TaskKind, usize, usize);
    static CACHE: Mutex<Vec<(Key, (f64, f64))>> = Mutex::new(Vec::new());
    let key = (task.kind, task.pairs, len);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = cache.iter().find(|c| c.0 == key) {
        return hit.1;
    }
    let value = estimate_memoryless(task, len);
    cache.push((key, value));
    value
}

fn estimate_memoryless(task: &Task, len: usize) -> (f64, f64) {
    let (i, o) = task.dims();
    let draw = super::Draw::upto(len);
    let fit = task.sample(&mut prng(0x5EED), 4000, draw);
    let symbol = |b: &Batch, k: usize| argmax_rows(&b.x[k * i..(k + 1) * i], i).next().unwrap_or(0);
    let (mut mean, mut seen) = (vec![0.0f64; i * o], vec![0.0f64; i]);
    for k in (0..fit.mask.len()).filter(|&k| fit.mask[k] > 0.0) {
        let s = symbol(&fit, k);
        seen[s] += 1.0;
        for j in 0..o {
            mean[s * o + j] += fit.y[k * o + j] as f64;
        }
    }
    let test = task.sample(&mut prng(0x7E57), 1000, draw);
    let mut y = vec![0.0f32; test.y.len()];
    for k in 0..test.mask.len() {
        let s = symbol(&test, k);
        for j in 0..o {
            y[k * o + j] = logit(mean[s * o + j] / seen[s].max(1.0), task.loss());
        }
    }
    let (sum, count) = loss_total(task.loss(), &y, &test.y, &test.mask);
    (sum / count.max(1) as f64, task.metric().value(&task.tally(&test, &y)))
}
