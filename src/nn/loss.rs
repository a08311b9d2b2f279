//! Losses over masked steps. Targets are [T, B, O] (one-hot for cross-entropy) and the mask is
//! [T, B]: a step with mask 0 has no target. Both are means over the targeted (step, row) pairs,
//! as PyTorch's `MSELoss` (mean over outputs too) and `CrossEntropyLoss` compute them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loss {
    Mse,
    CrossEntropy,
}

/// y: [N, O] outputs (logits for cross-entropy). Returns the loss; writes dL/dy if asked.
pub fn loss(kind: Loss, y: &[f32], target: &[f32], mask: &[f32], dy: Option<&mut Vec<f32>>) -> f64 {
    let out = y.len() / mask.len();
    let count = mask.iter().filter(|&&m| m > 0.0).count().max(1) as f64;
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
        total += match kind {
            Loss::Mse => mse_row(yk, tk, out as f64 * count, grad),
            Loss::CrossEntropy => ce_row(yk, tk, count, grad),
        };
    }
    total / count
}

fn mse_row(y: &[f32], t: &[f32], norm: f64, grad: Option<&mut [f32]>) -> f64 {
    if let Some(g) = grad {
        for ((g, yv), tv) in g.iter_mut().zip(y).zip(t) {
            *g = (2.0 * (yv - tv) as f64 / norm) as f32;
        }
    }
    y.iter().zip(t).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>() / y.len() as f64
}

fn ce_row(logits: &[f32], onehot: &[f32], norm: f64, grad: Option<&mut [f32]>) -> f64 {
    let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f64> = logits.iter().map(|&l| libm::exp((l - max) as f64)).collect();
    let sum: f64 = exps.iter().sum();
    if let Some(g) = grad {
        for ((g, e), t) in g.iter_mut().zip(&exps).zip(onehot) {
            *g = ((e / sum - *t as f64) / norm) as f32;
        }
    }
    let target_logit: f64 = logits.iter().zip(onehot).map(|(&l, &t)| (l - max) as f64 * t as f64).sum();
    libm::log(sum) - target_logit
}

/// Index of the largest value of each [O] row of y: [N, O].
pub fn argmax_rows(y: &[f32], out: usize) -> Vec<usize> {
    y.chunks_exact(out).map(|r| (0..out).fold(0, |best, i| if r[i] > r[best] { i } else { best })).collect()
}
