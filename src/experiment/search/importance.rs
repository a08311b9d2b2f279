//! What mattered in a search: the share of the variance of log validation loss explained by
//! each searched key on its own (first order), with a 95% bootstrap interval over trials; and
//! the learning rate x cells interaction. A binned estimate (a functional-ANOVA main effect
//! over quantile bins, as in Hutter et al. 2014's fANOVA but on the trials themselves instead
//! of a random forest fitted to them): the trials are split into equal-count bins of the key,
//! and the variance of the bin means, corrected for what noise alone would give between bins
//! (epsilon-squared), is divided by the total variance.

use crate::rng::prng;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Fewer trials that trained than this, and nothing is said about what mattered.
pub const MIN_TRIALS: usize = 4;
/// Fewer than this, and the shares are rough (wide intervals, coarse bins).
pub const ROUGH_TRIALS: usize = 20;

/// What to say beside the shares, for `n` trials that trained: nothing to tell, rough shares,
/// or nothing (enough trials). Binned shares also miss an inverted U at few trials (a learning
/// rate too high diverges, too low is slow), so the rough case says where to look instead.
pub fn caution(n: usize) -> Option<String> {
    if n < MIN_TRIALS {
        Some(format!(
            "Too few trials trained to the end of the first rung ({n}) to tell what mattered: at least {MIN_TRIALS} are needed."
        ))
    } else if n < ROUGH_TRIALS {
        Some(format!(
            "Only {n} trials: the shares are rough (read their intervals), and binned shares can miss an inverted U, a \
             setting bad at both ends; the trials' charts below show the shape."
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

/// The number of bins for `n` trials: about four trials a bin, two to five bins.
fn bin_count(n: usize) -> usize {
    (n / 4).clamp(2, 5)
}

/// First-order share of `x` (one key's values) in `y`.
pub fn first_order(x: &[f64], y: &[f64]) -> f64 {
    explained(y, &bins(x, bin_count(x.len())))
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
