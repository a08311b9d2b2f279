//! Evidence over seeds: who has the lower validation loss in how many paired seeds, an exact
//! sign test, and verdicts that name a winner only when the seeds show one. The page's
//! head-to-head line, `gatelab train`'s last lines and every sweep's verdict come from here.

use crate::nn::Arch;
use crate::run::{Record, RunState};
use crate::summary::Summary;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Below this p-value a difference counts as shown.
pub const ALPHA: f64 = 0.05;

/// One seed's result for one architecture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub arch: Arch,
    pub seed: u64,
    /// Final validation loss; NaN when there is none.
    pub val_loss: f64,
    /// Diverged or crashed: it loses to any run that did not.
    pub failed: bool,
}

impl Outcome {
    pub fn of(s: &Summary) -> Outcome {
        Outcome { arch: s.arch, seed: s.seed, val_loss: s.val_loss, failed: failed(s.state, s.val_loss) }
    }

    /// The loss for ranking: a failed run ranks last.
    fn rank(&self) -> f64 {
        if self.failed {
            f64::INFINITY
        } else {
            self.val_loss
        }
    }
}

fn failed(state: RunState, val_loss: f64) -> bool {
    matches!(state, RunState::Diverged | RunState::Crashed) || !val_loss.is_finite()
}

/// Exact two-sided sign test: the probability, if neither side were better, of a split at
/// least as uneven as `a` wins to `b` wins (ties dropped).
pub fn sign_test(a: usize, b: usize) -> f64 {
    let n = a + b;
    let k = a.min(b);
    // Sum of C(n, i) / 2^n for i <= k: exact in f64 up to 60 seeds, in logs beyond.
    let tail: f64 = if n <= 60 {
        let mut c = 1.0f64;
        let mut sum = 1.0;
        for i in 1..=k {
            c = c * (n - i + 1) as f64 / i as f64;
            sum += c;
        }
        sum / 2f64.powi(n as i32)
    } else {
        let ln_choose = |i: usize| -> f64 { (1..=i).map(|j| ((n - i + j) as f64 / j as f64).ln()).sum() };
        (0..=k).map(|i| (ln_choose(i) - n as f64 * std::f64::consts::LN_2).exp()).sum()
    };
    (2.0 * tail).min(1.0)
}

/// The smallest p-value `n` paired seeds can give: 2 / 2^n.
pub fn best_possible_p(n: usize) -> f64 {
    sign_test(n, 0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Call {
    /// p < ALPHA.
    Wins(Arch),
    /// More seeds favour it, but even a clean sweep of this many seeds could not be significant.
    Leans(Arch),
    /// The seeds split, or lean without significance although they could have shown it.
    NoClearWinner,
    /// Fewer than two paired seeds.
    CannotTell,
}

/// Two architectures compared seed by seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeadToHead {
    pub a: Arch,
    pub b: Arch,
    pub a_wins: usize,
    pub b_wins: usize,
    pub ties: usize,
    pub p: f64,
}

impl HeadToHead {
    /// Pairs `a`'s and `b`'s outcomes by seed (other seeds are left out).
    pub fn new(a: Arch, b: Arch, outcomes: &[Outcome]) -> HeadToHead {
        let (mut a_wins, mut b_wins, mut ties) = (0, 0, 0);
        for x in outcomes.iter().filter(|o| o.arch == a) {
            let Some(y) = outcomes.iter().find(|o| o.arch == b && o.seed == x.seed) else { continue };
            match x.rank().partial_cmp(&y.rank()) {
                Some(Ordering::Less) => a_wins += 1,
                Some(Ordering::Greater) => b_wins += 1,
                _ => ties += 1,
            }
        }
        HeadToHead { a, b, a_wins, b_wins, ties, p: sign_test(a_wins, b_wins) }
    }

    pub fn seeds(&self) -> usize {
        self.a_wins + self.b_wins + self.ties
    }

    pub fn call(&self) -> Call {
        let decisive = self.a_wins + self.b_wins;
        let ahead = if self.a_wins > self.b_wins { self.a } else { self.b };
        if self.seeds() < 2 || decisive == 0 {
            Call::CannotTell
        } else if self.p < ALPHA {
            Call::Wins(ahead)
        } else if self.a_wins == self.b_wins {
            Call::NoClearWinner
        } else if best_possible_p(decisive) >= ALPHA {
            Call::Leans(ahead)
        } else {
            Call::NoClearWinner
        }
    }

    /// The head-to-head in words; it never claims more than the seeds show.
    pub fn sentence(&self) -> String {
        let (a, b) = (self.a.name().to_uppercase(), self.b.name().to_uppercase());
        let n = self.seeds();
        let (lead, lead_wins, other, other_wins) = if self.a_wins >= self.b_wins {
            (&a, self.a_wins, &b, self.b_wins)
        } else {
            (&b, self.b_wins, &a, self.a_wins)
        };
        let ties = if self.ties > 0 { format!(", {} tied", self.ties) } else { String::new() };
        let p = p_text(self.p);
        match self.call() {
            Call::CannotTell if n < 2 => {
                format!("{a} vs {b}: one seed cannot tell them apart; train more seeds")
            }
            Call::CannotTell => format!("{a} vs {b}: every seed tied; no winner"),
            Call::Wins(_) => format!(
                "{lead} beats {other}: lower validation loss in {lead_wins} of {n} seeds{ties} (sign test {p})"
            ),
            Call::Leans(_) => format!(
                "{a} vs {b}: leans {lead} ({lead_wins} of {n} seeds{ties}, {p}: too few seeds to tell)"
            ),
            Call::NoClearWinner => format!(
                "{a} vs {b}: no clear winner ({lead} lower in {lead_wins} of {n} seeds, {other} in {other_wins}{ties}, {p})"
            ),
        }
    }
}

pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else if p < 0.01 {
        format!("p = {p:.3}")
    } else {
        format!("p = {:.2}", (p * 100.0).round() / 100.0)
    }
}

/// Every pair of the architectures present, in `Arch::ALL` order.
pub fn head_to_head(outcomes: &[Outcome]) -> Vec<HeadToHead> {
    let archs: Vec<Arch> = Arch::ALL.into_iter().filter(|a| outcomes.iter().any(|o| o.arch == *a)).collect();
    let mut out = Vec::new();
    for (i, &a) in archs.iter().enumerate() {
        for &b in &archs[i + 1..] {
            out.push(HeadToHead::new(a, b, outcomes));
        }
    }
    out
}

/// Outcomes while training: each run's validation loss at the latest record step that every
/// run still going (or done) has reached. A run that diverged or crashed by then has failed.
pub fn live(runs: &[(Arch, u64, &[Record], RunState)]) -> Option<(usize, Vec<Outcome>)> {
    let last = |r: &[Record]| r.last().map_or(0, |x| x.step);
    let going = runs.iter().filter(|r| matches!(r.3, RunState::Training | RunState::Done));
    let step = going.map(|r| last(r.2)).min()?;
    if step == 0 {
        return None;
    }
    let outcomes = runs
        .iter()
        .map(|&(arch, seed, records, state)| {
            let val_loss = records.iter().rev().find(|r| r.step <= step).map_or(f64::NAN, |r| r.val_loss);
            let stopped = matches!(state, RunState::Diverged | RunState::Crashed) && last(records) <= step;
            Outcome { arch, seed, val_loss, failed: stopped || !val_loss.is_finite() }
        })
        .collect();
    Some((step, outcomes))
}

/// Median, min and max, with NaN counted as +infinity (a failed seed is the worst).
pub fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut v: Vec<f64> = values.iter().map(|&x| if x.is_nan() { f64::INFINITY } else { x }).collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 { v[n / 2] } else { 0.5 * (v[n / 2 - 1] + v[n / 2]) };
    (median, v[0], v[n - 1])
}

/// The median of finite values (metrics of seeds that have one); NaN if none.
pub fn median_finite(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        f64::NAN
    } else {
        spread(&v).0
    }
}

#[cfg(test)]
mod tests;
