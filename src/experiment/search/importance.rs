//! What mattered in a search: the share of the variance of log validation loss explained by
//! each searched key on its own (first order), with a 95% bootstrap interval over trials; and
//! the learning rate x cells interaction.
//!
//! A key's share is the adjusted R² of a quadratic in the key (on its search scale): a model-
//! based main effect (Greff et al. 2017 used fANOVA over a random forest; a search has tens of
//! trials, too few for a forest). The quadratic sees an inverted U, a setting bad at both ends
//! (a learning rate too high diverges, too low is slow), which equal-count bins at 12 trials
//! did not: they put both ends in bins with the middle's good trials and reported 0. Adjusting
//! for the 2 fitted terms makes a key unrelated to the loss score about 0, not the fit's chance
//! R². The interaction stays a 2 x 2 split at each key's median (the two together, beyond each
//! alone): a quadratic surface in two keys has 6 terms, too many for these trial counts.

use crate::rng::prng;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Fewer trials that trained than this, and nothing is said about what mattered.
pub const MIN_TRIALS: usize = 4;
/// Fewer than this, and the shares are rough (wide intervals, coarse bins).
pub const ROUGH_TRIALS: usize = 20;

/// What to say beside the shares, for `n` trials that trained: nothing to tell, rough shares,
/// or nothing (enough trials).
pub fn caution(n: usize) -> Option<String> {
    if n < MIN_TRIALS {
        Some(format!(
            "Too few trials trained to the end of the first rung ({n}) to tell what mattered: at least {MIN_TRIALS} are needed."
        ))
    } else if n < ROUGH_TRIALS {
        Some(format!(
            "Only {n} trials: the shares are rough (read their intervals); a quadratic in each key sees a \
             setting bad at both ends, but not a sharper shape: the trials' charts below show it."
        ))
    } else {
        None
    }
}

/// A share of variance with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    #[serde(with = "crate::nullable")]
    pub share: f64,
    #[serde(with = "crate::nullable")]
    pub lo: f64,
    #[serde(with = "crate::nullable")]
    pub hi: f64,
}

/// Bootstrap resamples of the trials.
const RESAMPLES: usize = 200;

/// Equal-count bins of `x` (by rank; ties in the same bin): each trial's bin.
fn bins(x: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut bin = vec![0; x.len()];
    let mut b = 0;
    for (rank, &i) in order.iter().enumerate() {
        let want = rank * k / x.len().max(1);
        // A tie with the previous value stays in its bin.
        if rank > 0 && x[i] != x[order[rank - 1]] {
            b = want;
        }
        bin[i] = b;
    }
    bin
}

/// Epsilon-squared of `y` grouped by `group`: (between - (groups-1) * within mean square) / total.
fn explained(y: &[f64], group: &[usize]) -> f64 {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if total <= 0.0 || y.len() < 3 {
        return 0.0;
    }
    let groups = group.iter().max().map_or(0, |m| m + 1);
    let (mut sum, mut count) = (vec![0.0; groups], vec![0.0; groups]);
    for (v, &g) in y.iter().zip(group) {
        sum[g] += v;
        count[g] += 1.0;
    }
    let used = count.iter().filter(|c| **c > 0.0).count() as f64;
    let between: f64 =
        (0..groups).filter(|&g| count[g] > 0.0).map(|g| count[g] * (sum[g] / count[g] - mean).powi(2)).sum();
    let within = (total - between) / (n - used).max(1.0);
    ((between - (used - 1.0) * within) / total).clamp(0.0, 1.0)
}

/// First-order share of `x` (one key's values, on its search scale) in `y`: the adjusted R² of
/// y ~ a + b z + c z², z = x centred and scaled (so the normal equations stay well conditioned).
pub fn first_order(x: &[f64], y: &[f64]) -> f64 {
    let n = y.len();
    let nf = n as f64;
    let my = y.iter().sum::<f64>() / nf;
    let total: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
    if n < 4 || total <= 0.0 {
        return 0.0;
    }
    let mx = x.iter().sum::<f64>() / nf;
    let sd = (x.iter().map(|v| (v - mx).powi(2)).sum::<f64>() / nf).sqrt();
    if sd <= 0.0 {
        return 0.0;
    }
    let z: Vec<f64> = x.iter().map(|v| (v - mx) / sd).collect();
    let Some([a, b, c]) = least_squares(&z, y) else { return 0.0 };
    let sse: f64 = z.iter().zip(y).map(|(z, y)| (y - (a + b * z + c * z * z)).powi(2)).sum();
    (1.0 - (sse / (nf - 3.0)) / (total / (nf - 1.0))).clamp(0.0, 1.0)
}

/// The coefficients of y ~ a + b z + c z² by least squares (None when z has fewer than three
/// distinct values: the fit is then not unique).
fn least_squares(z: &[f64], y: &[f64]) -> Option<[f64; 3]> {
    // Normal equations: M [a b c]^T = v with M[i][j] = sum z^(i+j), v[i] = sum z^i y.
    let mut p = [0.0; 5];
    let mut v = [0.0; 3];
    for (&z, &y) in z.iter().zip(y) {
        let mut zk = 1.0;
        for (k, pk) in p.iter_mut().enumerate() {
            *pk += zk;
            if k < 3 {
                v[k] += zk * y;
            }
            zk *= z;
        }
    }
    let m = [[p[0], p[1], p[2]], [p[1], p[2], p[3]], [p[2], p[3], p[4]]];
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    if d.abs() <= 1e-9 * p[0].powi(3) {
        return None;
    }
    // Cramer's rule: small and exact enough for a 3 x 3 system of standardised values.
    let solve = |col: usize| {
        let mut mc = m;
        (0..3).for_each(|r| mc[r][col] = v[r]);
        det(&mc) / d
    };
    Some([solve(0), solve(1), solve(2)])
}

/// The share of two keys together beyond each on its own: 2 x 2 bins, each key split at its
/// median (a search has tens of trials, not the hundreds finer bins would need).
pub fn interaction(x1: &[f64], x2: &[f64], y: &[f64]) -> f64 {
    let k = 2;
    let (b1, b2) = (bins(x1, k), bins(x2, k));
    let joint: Vec<usize> = b1.iter().zip(&b2).map(|(a, b)| a * k + b).collect();
    (explained(y, &joint) - explained(y, &b1) - explained(y, &b2)).max(0.0)
}

/// A statistic of the trials with its 95% percentile bootstrap interval (seeded: the same
/// interval every time).
pub fn with_interval(n: usize, seed: u64, stat: impl Fn(&[usize]) -> f64) -> Share {
    let all: Vec<usize> = (0..n).collect();
    let share = stat(&all);
    let mut rng = prng(seed);
    let mut boot: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let pick: Vec<usize> = (0..n).map(|_| rng.random_range(0..n.max(1))).collect();
            stat(&pick)
        })
        .collect();
    boot.sort_by(f64::total_cmp);
    let at = |q: f64| boot[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    Share { share, lo: at(0.025), hi: at(0.975) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_trials_are_said_to_be_few() {
        assert!(caution(1).unwrap().starts_with("Too few trials"));
        assert!(caution(8).unwrap().starts_with("Only 8 trials: the shares are rough"));
        assert!(caution(ROUGH_TRIALS).is_none());
    }

    #[test]
    fn an_inverted_u_at_twelve_trials_is_seen() {
        // The newcomer's search (adding, lr 1e-4..1, 12 trials): log loss high at both ends of
        // the learning rate, lowest near 0.03, with noise; cells unrelated. Over 200 such
        // searches, against the equal-count bins used before (3 bins at 12 trials).
        let (mut seen, mut binned_seen, mut cells_sum) = (0, 0, 0.0);
        for seed in 0..200 {
            let mut rng = prng(seed);
            let lr: Vec<f64> = (0..12).map(|_| rng.random_range(-4.0..0.0)).collect();
            let cells: Vec<f64> = (0..12).map(|_| rng.random_range(1.4..4.2)).collect();
            let y: Vec<f64> =
                lr.iter().map(|l| 0.8 * (l + 1.5f64).powi(2) - 5.0 + rng.random_range(-0.6..0.6)).collect();
            seen += (first_order(&lr, &y) > 0.5) as usize;
            binned_seen += (explained(&y, &bins(&lr, 3)) > 0.5) as usize;
            cells_sum += first_order(&cells, &y);
        }
        assert!(seen >= 190, "the quadratic saw it in {seen} of 200");
        assert!(binned_seen < 150, "the bins saw it in {binned_seen} of 200");
        assert!(cells_sum / 200.0 < 0.1, "an unrelated key's mean share {}", cells_sum / 200.0);
        // A monotone effect is a quadratic's too; a constant key explains nothing.
        let lr: Vec<f64> = (0..12).map(|k| k as f64 / 3.0 - 4.0).collect();
        let mono: Vec<f64> = lr.iter().enumerate().map(|(k, l)| -l + 0.05 * (k % 3) as f64).collect();
        assert!(first_order(&lr, &mono) > 0.9);
        assert_eq!(first_order(&[2.0; 12], &mono), 0.0);
    }

    #[test]
    fn a_planted_function_of_one_key_is_found_in_that_key_only() {
        // y = log of a loss that depends on the learning rate alone (U-shaped), plus noise.
        let mut rng = prng(7);
        let n = 60;
        let lr: Vec<f64> = (0..n).map(|_| rng.random_range(-4.0..-1.0)).collect();
        let cells: Vec<f64> = (0..n).map(|_| rng.random_range(2.0..6.0)).collect();
        let batch: Vec<f64> = (0..n).map(|_| rng.random_range(3.0..6.0)).collect();
        let y: Vec<f64> = lr.iter().map(|l| (l + 2.5f64).powi(2) + rng.random_range(-0.05..0.05)).collect();
        let share = |x: &Vec<f64>| {
            with_interval(n, 1, |ix| {
                let (xs, ys): (Vec<f64>, Vec<f64>) = ix.iter().map(|&i| (x[i], y[i])).unzip();
                first_order(&xs, &ys)
            })
        };
        let (l, c, b) = (share(&lr), share(&cells), share(&batch));
        assert!(l.share > 0.8 && l.lo > 0.6, "the learning rate explains it: {l:?}");
        assert!(c.share < 0.1 && b.share < 0.1, "cells {c:?}, batch {b:?}");
        assert!(c.lo <= c.share && c.share <= c.hi);
        assert!(interaction(&lr, &cells, &y) < 0.1);
        // A pure interaction, crossing at each key's median: the product of the two signs.
        let mid = |v: &[f64]| {
            let mut s = v.to_vec();
            s.sort_by(f64::total_cmp);
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        };
        let (ml, mc) = (mid(&lr), mid(&cells));
        let y2: Vec<f64> =
            lr.iter().zip(&cells).map(|(l, c)| (l - ml).signum() * (c - mc).signum()).collect();
        assert!(interaction(&lr, &cells, &y2) > 0.9, "{}", interaction(&lr, &cells, &y2));
        assert!(first_order(&lr, &y2) < 0.2);
    }
}
