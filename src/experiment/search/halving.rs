//! Successive halving (Jamieson & Talwalkar 2016), in synchronous rungs: every trial trains its
//! seeds to steps / ETA^R, the best 1/ETA of them (by median validation loss over seeds) go on
//! to ETA times the steps, and so on up to the full budget. Rungs are barriers, so which
//! trials go on never depends on timing. Each rung's runs train from scratch to the rung's
//! budget: a run's first steps are the same whatever its budget, so this gives exactly what
//! continuing would, and a rung needs no checkpoint from the one before.

/// One rung: its step budget and how many trials of each architecture train in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rung {
    pub steps: usize,
    pub trials: usize,
}

/// The rungs of `trials` trials at halving `eta` (1 = off) with a full budget of `steps`.
pub fn rungs(trials: usize, eta: usize, steps: usize) -> Vec<Rung> {
    if eta <= 1 || trials < eta {
        return vec![Rung { steps, trials }];
    }
    // The most rungs with at least one trial and at least one step in the first.
    let mut r = 0;
    while eta.pow(r + 1) <= trials && steps / eta.pow(r + 1) >= 1 {
        r += 1;
    }
    (0..=r)
        .map(|k| Rung { steps: (steps / eta.pow(r - k)).max(1), trials: (trials / eta.pow(k)).max(1) })
        .collect()
}

/// The `keep` best of `scores` (losses: lower is better, a failure the worst), ties to the
/// lower index.
pub fn best(scores: &[f64], keep: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: usize| crate::stats::Better::Lower.or_worst(scores[i]);
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    order.truncate(keep);
    order.sort();
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rungs_shrink_by_eta_and_end_at_the_full_budget() {
        let r = rungs(20, 3, 1500);
        assert_eq!(
            r,
            vec![
                Rung { steps: 166, trials: 20 },
                Rung { steps: 500, trials: 6 },
                Rung { steps: 1500, trials: 2 }
            ]
        );
        assert_eq!(rungs(27, 3, 2700).len(), 4);
        assert_eq!(rungs(20, 1, 1500), vec![Rung { steps: 1500, trials: 20 }], "halving off");
        assert_eq!(rungs(2, 3, 1500), vec![Rung { steps: 1500, trials: 2 }]);
        assert_eq!(rungs(100, 2, 4).last().unwrap().steps, 4);
        assert!(rungs(100, 2, 4).iter().all(|r| r.steps >= 1));
    }

    #[test]
    fn the_best_go_on_failures_last_ties_to_the_first() {
        assert_eq!(best(&[0.3, f64::NAN, 0.1, 0.3, 0.2], 3), vec![0, 2, 4]);
        assert_eq!(best(&[0.5, 0.5, 0.5], 2), vec![0, 1]);
    }
}
