//! Losses over masked steps. Targets are [T, B, O] and the mask is [T, B]: a step with mask 0
//! has no target. Each is a mean over the targeted (step, row) pairs, as PyTorch's `MSELoss`
//! and `BCEWithLogitsLoss` (means over outputs too) and `CrossEntropyLoss` compute them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loss {
    /// Mean squared error (regression).
    Mse,
    /// Softmax cross-entropy against a distribution (one-hot: the class).
    CrossEntropy,
    /// Sigmoid cross-entropy per output against 0/1 targets: a set of legal next symbols.
    Bce,
}

impl Loss {
    /// What one step's outputs predict: class probabilities (softmax), per-symbol
    /// probabilities (sigmoid), or the values themselves (regression).
    pub fn prediction(self, outputs: &[f32]) -> Vec<f32> {
        match self {
            Loss::Mse => outputs.to_vec(),
            Loss::Bce => outputs.iter().map(|&v| 1.0 / (1.0 + (-v).exp())).collect(),
            Loss::CrossEntropy => {
                let max = outputs.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let e: Vec<f32> = outputs.iter().map(|v| (v - max).exp()).collect();
                let sum: f32 = e.iter().sum();
                e.iter().map(|v| v / sum).collect()
            }
        }
    }
}

/// y: [N, O] outputs (logits for the cross-entropies). Returns the mean loss; writes dL/dy if
/// asked.
pub fn loss(kind: Loss, y: &[f32], target: &[f32], mask: &[f32], dy: Option<&mut Vec<f32>>) -> f64 {
    let count = mask.iter().filter(|&&m| m > 0.0).count().max(1) as f64;
    let out = y.len() / mask.len().max(1);
    let mut dy = dy;
    if let Some(d) = dy.as_deref_mut() {
        d.clear();
        d.resize(y.len(), 0.0);
    }
    let mut total = 0.0f64;
    for (k, &m) in mask.iter().enumerate() {
        if m == 0.0 {
            continue;
        }
        let (yk, tk) = (&y[k * out..(k + 1) * out], &target[k * out..(k + 1) * out]);
        let grad = dy.as_deref_mut().map(|d| &mut d[k * out..(k + 1) * out]);
        total += row(kind, yk, tk, count, grad);
    }
    total / count
}

/// (sum of per-step losses, targeted steps): the mean's parts, to add up over chunks.
pub fn loss_total(kind: Loss, y: &[f32], target: &[f32], mask: &[f32]) -> (f64, usize) {
    let count = mask.iter().filter(|&&m| m > 0.0).count();
    (loss(kind, y, target, mask, None) * count.max(1) as f64, count)
}

/// One targeted step's loss; its gradient, already divided by `count`, if asked.
fn row(kind: Loss, y: &[f32], t: &[f32], count: f64, grad: Option<&mut [f32]>) -> f64 {
    let out = y.len() as f64;
    match kind {
        Loss::Mse => {
            if let Some(g) = grad {
                for ((g, yv), tv) in g.iter_mut().zip(y).zip(t) {
                    *g = (2.0 * (yv - tv) as f64 / (out * count)) as f32;
                }
            }
            y.iter().zip(t).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>() / out
        }
        Loss::CrossEntropy => {
            let max = y.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let exps = y.iter().map(|&l| libm::exp((l - max) as f64));
            let sum: f64 = exps.clone().sum();
            // The target's total mass (1 for a distribution) scales the softmax's part.
            let mass: f64 = t.iter().map(|&v| v as f64).sum();
            if let Some(g) = grad {
                for ((g, e), tv) in g.iter_mut().zip(exps).zip(t) {
                    *g = ((mass * e / sum - *tv as f64) / count) as f32;
                }
            }
            let dot: f64 = y.iter().zip(t).map(|(&l, &tv)| (l - max) as f64 * tv as f64).sum();
            mass * libm::log(sum) - dot
        }
        Loss::Bce => {
            let mut total = 0.0;
            let mut grad = grad;
            for (j, (&l, &tv)) in y.iter().zip(t).enumerate() {
                let (l, tv) = (l as f64, tv as f64);
                total += l.max(0.0) - tv * l + libm::log1p(libm::exp(-l.abs()));
                if let Some(g) = grad.as_deref_mut() {
                    g[j] = ((1.0 / (1.0 + libm::exp(-l)) - tv) / (out * count)) as f32;
                }
            }
            total / out
        }
    }
}

/// Index of the largest value of each [O] row of y: [N, O].
pub fn argmax_rows(y: &[f32], out: usize) -> impl Iterator<Item = usize> + '_ {
    y.chunks_exact(out).map(move |r| (0..out).fold(0, |best, i| if r[i] > r[best] { i } else { best }))
}
