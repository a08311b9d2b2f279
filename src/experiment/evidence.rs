//! Evidence over seeds: how much lower one architecture's validation loss is than another's
//! (the ratio over paired seeds with a 95% interval), in how many seeds each is lower, and an
//! exact sign test that alone may name a winner. The page's head-to-head, `gatelab train`,
//! `summary.json`, and every sweep and search verdict come from here.

use crate::experiment::summary::{failed, Summary};
use crate::nn::Arch;
use crate::run::{Record, RunState};
use crate::stats::{seeds_for, sign_test, t_interval, times};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;

/// Below this p-value a difference counts as shown.
pub const ALPHA: f64 = 0.05;

/// One seed's result for one architecture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub arch: Arch,
    pub seed: u64,
    /// The final validation loss as judged: +infinity for a run that failed, so it loses to
    /// any run that did not.
    pub loss: f64,
}

impl Outcome {
    pub fn of(s: &Summary) -> Outcome {
        Outcome { arch: s.arch, seed: s.seed, loss: s.rank_loss() }
    }

    pub fn failed(&self) -> bool {
        self.loss == f64::INFINITY
    }
}

/// An architecture, or none: who a verdict names. In JSON, the architecture's name or "none".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Winner(pub Option<Arch>);

impl Winner {
    pub fn name(self) -> &'static str {
        self.0.map_or("none", Arch::name)
    }
}

impl Serialize for Winner {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Winner {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Winner, D::Error> {
        let s = String::deserialize(d)?;
        match Arch::parse(&s) {
            Some(a) => Ok(Winner(Some(a))),
            None if s == "none" => Ok(Winner(None)),
            None => Err(serde::de::Error::custom(format!("{s:?} is not an architecture or \"none\""))),
        }
    }
}

/// What the seeds say. One rule names a winner everywhere (page, CLI, verdicts, findings): the
/// sign test (p < ALPHA) and the 95% interval of the ratio (excluding no difference) agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// p < ALPHA and the interval favours the same architecture (or there is no interval:
    /// every paired seed of one side failed, and failures decide).
    Wins(Arch),
    /// The sign test favours this architecture but the interval includes no difference.
    SignOnly(Arch),
    /// The interval favours this architecture but the sign test does not show it.
    IntervalOnly(Arch),
    /// More seeds favour it, but even a clean sweep of this many seeds could not be significant.
    Leans(Arch),
    /// The seeds split, or lean without significance although they could have shown it.
    NoClearWinner,
    /// Fewer than two paired seeds, or every seed tied.
    CannotTell,
    /// This architecture would win, but a simple baseline beats both networks on the test part
    /// (the user's data): no winner worth naming.
    Beaten(Arch),
}

/// The size of a difference: the geometric mean over paired seeds of a's validation loss
/// divided by b's (below 1: a is lower), with a 95% t-interval on the paired log ratios. Only
/// seeds where both trained to the end (finite losses) enter it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    pub ratio: f64,
    pub lo: f64,
    pub hi: f64,
    pub pairs: usize,
}

impl Effect {
    pub fn of(pairs: &[(f64, f64)]) -> Effect {
        // A loss of exactly 0 would be an infinite ratio: floor at the smallest normal f64.
        // libm, not the platform's logarithm: the page and the CLI give the same bits.
        let ln = |v: f64| libm::log(v.max(f64::MIN_POSITIVE));
        let logs: Vec<f64> = pairs.iter().map(|(a, b)| ln(*a) - ln(*b)).collect();
        let (mean, lo, hi) = t_interval(&logs);
        Effect { ratio: libm::exp(mean), lo: libm::exp(lo), hi: libm::exp(hi), pairs: pairs.len() }
    }
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
    pub effect: Effect,
    /// Paired seeds where each failed.
    pub a_failed: usize,
    pub b_failed: usize,
    /// A simple baseline beats both networks (set by `beaten`).
    pub beaten: bool,
}

/// A row of `summary.json`'s `head_to_head` (and the search's verdict): `ratio` is a's
/// validation loss over b's (geometric mean over paired seeds), with its 95% interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeadToHeadRow {
    pub a: Arch,
    pub b: Arch,
    pub wins_a: usize,
    pub wins_b: usize,
    pub ties: usize,
    pub p: f64,
    #[serde(with = "crate::nullable")]
    pub ratio: f64,
    #[serde(with = "crate::nullable")]
    pub ratio_lo: f64,
    #[serde(with = "crate::nullable")]
    pub ratio_hi: f64,
    pub winner: Winner,
    pub text: String,
}

impl HeadToHead {
    /// Pairs `a`'s and `b`'s outcomes by seed (other seeds are left out).
    pub fn new(a: Arch, b: Arch, outcomes: &[Outcome]) -> HeadToHead {
        let (mut a_wins, mut b_wins, mut ties, mut a_failed, mut b_failed) = (0, 0, 0, 0, 0);
        let mut finite = Vec::new();
        for x in outcomes.iter().filter(|o| o.arch == a) {
            let Some(y) = outcomes.iter().find(|o| o.arch == b && o.seed == x.seed) else { continue };
            match x.loss.partial_cmp(&y.loss) {
                Some(Ordering::Less) => a_wins += 1,
                Some(Ordering::Greater) => b_wins += 1,
                _ => ties += 1,
            }
            a_failed += x.failed() as usize;
            b_failed += y.failed() as usize;
            if !x.failed() && !y.failed() {
                finite.push((x.loss, y.loss));
            }
        }
        let p = sign_test(a_wins, b_wins);
        HeadToHead {
            a,
            b,
            a_wins,
            b_wins,
            ties,
            p,
            effect: Effect::of(&finite),
            a_failed,
            b_failed,
            beaten: false,
        }
    }

    /// The same comparison, knowing whether a simple baseline beats both networks.
    pub fn beaten(self, beaten: bool) -> HeadToHead {
        HeadToHead { beaten, ..self }
    }

    pub fn seeds(&self) -> usize {
        self.a_wins + self.b_wins + self.ties
    }

    /// The architecture the 95% interval favours (it excludes a ratio of 1), if any; `None` also
    /// when there is no interval (fewer than two seeds where both trained to the end).
    fn interval_favours(&self) -> Option<Arch> {
        let e = self.effect;
        if e.pairs < 2 || !(e.lo.is_finite() && e.hi.is_finite()) {
            None
        } else if e.hi < 1.0 {
            Some(self.a)
        } else if e.lo > 1.0 {
            Some(self.b)
        } else {
            None
        }
    }

    pub fn call(&self) -> Call {
        let decisive = self.a_wins + self.b_wins;
        let ahead = if self.a_wins > self.b_wins { self.a } else { self.b };
        let interval = self.interval_favours();
        if self.seeds() < 2 || decisive == 0 {
            Call::CannotTell
        } else if self.p < ALPHA && (interval == Some(ahead) || self.effect.pairs < 2) {
            if self.beaten {
                Call::Beaten(ahead)
            } else {
                Call::Wins(ahead)
            }
        } else if self.p < ALPHA {
            Call::SignOnly(ahead)
        } else if sign_test(decisive, 0) >= ALPHA && self.a_wins != self.b_wins {
            Call::Leans(ahead)
        } else if let Some(i) = interval {
            Call::IntervalOnly(i)
        } else {
            Call::NoClearWinner
        }
    }

    pub fn winner(&self) -> Winner {
        match self.call() {
            Call::Wins(a) => Winner(Some(a)),
            _ => Winner(None),
        }
    }

    /// The head-to-head in words, leading with the size of the difference; it never claims
    /// more than the seeds show.
    pub fn sentence(&self) -> String {
        let n = self.seeds();
        let up = Arch::upper;
        if n == 0 {
            return format!("{} vs {}: no paired seeds", up(self.a), up(self.b));
        }
        if self.a_failed == n && self.b_failed == n {
            return format!(
                "{} vs {}: every seed of both diverged or crashed; nothing to compare",
                up(self.a),
                up(self.b)
            );
        }
        // Lead with whoever the size favours; if there is no size, with whoever wins more.
        let a_leads =
            if self.effect.pairs > 0 { self.effect.ratio <= 1.0 } else { self.a_wins >= self.b_wins };
        let (lead, other, lead_wins, other_wins) = if a_leads {
            (self.a, self.b, self.a_wins, self.b_wins)
        } else {
            (self.b, self.a, self.b_wins, self.a_wins)
        };
        // Without a size the sentence has not named who leads yet.
        let who = if self.effect.pairs == 0 { format!("the {} ", up(lead)) } else { String::new() };
        let size = self.size_text(a_leads);
        let others =
            if other_wins > 0 { format!(", the {} in {other_wins}", up(other)) } else { String::new() };
        let ties = if self.ties > 0 { format!(", {} tied", self.ties) } else { String::new() };
        let call = match self.call() {
            Call::Wins(w) => format!("sign test {}): {} wins", p_text(self.p), up(w)),
            Call::Leans(_) => format!("a sign test needs {} seeds to name a winner)", seeds_for(ALPHA)),
            Call::SignOnly(w) => format!(
                "sign test {}): the sign test favours {} but the interval includes no difference: no clear winner",
                p_text(self.p),
                up(w)
            ),
            Call::IntervalOnly(w) => format!(
                "sign test {}): the interval favours {} but the sign test does not: no clear winner",
                p_text(self.p),
                up(w)
            ),
            Call::NoClearWinner => format!("sign test {}): no clear winner", p_text(self.p)),
            Call::CannotTell if n < 2 => "one seed cannot name a winner: train more seeds)".into(),
            Call::CannotTell => "every seed tied: no winner)".into(),
            Call::Beaten(w) => format!(
                "sign test {}): {} is ahead, but a simple baseline beats both networks: no winner worth using",
                p_text(self.p),
                up(w)
            ),
        };
        format!(
            "{size} ({}{who}lower in {lead_wins} of {}{others}{ties}; {call}",
            self.interval_text(a_leads),
            seeds_text(n)
        )
    }

    /// "GRU's validation loss is 7.7x lower than the LSTM's", or what failed instead.
    fn size_text(&self, a_leads: bool) -> String {
        let up = Arch::upper;
        let (lead, other) = if a_leads { (self.a, self.b) } else { (self.b, self.a) };
        if self.effect.pairs == 0 {
            let n = self.seeds();
            let gone = |arch: Arch, k: usize| {
                (k == n).then(|| format!("every {} seed diverged or crashed", up(arch)))
            };
            let said: Vec<String> =
                [gone(self.a, self.a_failed), gone(self.b, self.b_failed)].into_iter().flatten().collect();
            let said = if said.is_empty() {
                "no seed where both trained to the end".to_string()
            } else {
                said.join(" and ")
            };
            return format!("{} vs {}: {said}", up(self.a), up(self.b));
        }
        let r = if a_leads { 1.0 / self.effect.ratio } else { self.effect.ratio };
        if r < 1.005 {
            return format!(
                "{}'s and the {}'s validation losses are within 0.5% of each other in geometric mean",
                up(lead),
                up(other)
            );
        }
        format!("{}'s validation loss is {} lower than the {}'s", up(lead), times(r), up(other))
    }

    /// "95% interval 3.1x to 19x; " in the lead's direction, and how many seeds the size rests on.
    fn interval_text(&self, a_leads: bool) -> String {
        let e = self.effect;
        if e.pairs == 0 {
            return String::new();
        }
        let (lo, hi) = if a_leads { (1.0 / e.hi, 1.0 / e.lo) } else { (e.lo, e.hi) };
        // In words: an end below 1 is the lead's loss higher, not lower.
        let interval = if lo.is_finite() && lo >= 1.0 {
            format!("95% interval {} to {} lower; ", times(lo), times(hi))
        } else if lo.is_finite() {
            format!(
                "95% interval from {} higher to {} lower, which includes no difference; ",
                times(1.0 / lo),
                times(hi)
            )
        } else {
            String::new()
        };
        let on = if e.pairs < self.seeds() {
            format!("size over the {} where both trained to the end; ", seeds_text(e.pairs))
        } else {
            String::new()
        };
        format!("{interval}{on}")
    }

    pub fn row(&self) -> HeadToHeadRow {
        HeadToHeadRow {
            a: self.a,
            b: self.b,
            wins_a: self.a_wins,
            wins_b: self.b_wins,
            ties: self.ties,
            p: self.p,
            ratio: self.effect.ratio,
            ratio_lo: self.effect.lo,
            ratio_hi: self.effect.hi,
            winner: self.winner(),
            text: self.sentence(),
        }
    }
}

/// "1 seed", "3 seeds".
pub fn seeds_text(n: usize) -> String {
    format!("{n} seed{}", if n == 1 { "" } else { "s" })
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
    let going = runs.iter().filter(|r| !r.3.failed());
    let step =
        going.map(|r| last(r.2)).min().unwrap_or_else(|| runs.iter().map(|r| last(r.2)).max().unwrap_or(0));
    if step == 0 {
        return None;
    }
    let outcomes = runs
        .iter()
        .map(|&(arch, seed, records, state)| {
            let val_loss = records.iter().rev().find(|r| r.step <= step).map_or(f64::NAN, |r| r.val_loss);
            // A run still ahead of `step` had not failed by then, whatever it did later.
            let state = if last(records) <= step { state } else { RunState::Training };
            Outcome { arch, seed, loss: if failed(state, val_loss) { f64::INFINITY } else { val_loss } }
        })
        .collect();
    Some((step, outcomes))
}

#[cfg(test)]
mod tests;
