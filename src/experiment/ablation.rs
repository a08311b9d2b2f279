//! An ablation in the manner of Greff et al. 2017: each variant's validation loss against its
//! base cell's (the LSTM for the LSTM family, the GRU for the GRU family), each at its own best
//! setting, on the same fresh seeds: a search's confirmation. A search whose cells include a
//! base and any of its variants has one. Whether a change hurts is the evidence module's one
//! rule for a winner: it hurts only where the base wins, helps only where the variant does.

use crate::experiment::evidence::{p_text, Call, HeadToHead, Outcome};
use crate::experiment::summary::Summary;
use crate::nn::Arch;
use serde::{Deserialize, Serialize};

/// What removing or adding a part did, by the one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Hurts,
    Helps,
    NoClearDifference,
}

impl Change {
    /// The call in words, as the CLI and the chart say it.
    pub fn words(self) -> &'static str {
        match self {
            Change::Hurts => "hurts",
            Change::Helps => "helps",
            Change::NoClearDifference => "no clear difference",
        }
    }
}

/// One variant against its base cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AblationRow {
    pub arch: Arch,
    pub base: Arch,
    /// The variant's validation loss over the base's (geometric mean over the paired fresh
    /// seeds where both trained to the end), with its 95% interval.
    #[serde(with = "crate::nullable")]
    pub ratio: f64,
    #[serde(with = "crate::nullable")]
    pub lo: f64,
    #[serde(with = "crate::nullable")]
    pub hi: f64,
    pub p: f64,
    /// Seeds where the variant's loss is lower, and higher, than the base's.
    pub lower: usize,
    pub higher: usize,
    pub seeds: usize,
    pub change: Change,
    /// The head-to-head in words.
    pub text: String,
}

impl AblationRow {
    fn of(arch: Arch, outcomes: &[Outcome]) -> AblationRow {
        let base = arch.base();
        let h = HeadToHead::new(arch, base, outcomes);
        let change = match h.call() {
            Call::Wins(a) if a == base => Change::Hurts,
            Call::Wins(_) => Change::Helps,
            _ => Change::NoClearDifference,
        };
        let e = h.effect;
        AblationRow {
            arch,
            base,
            ratio: e.ratio,
            lo: e.lo,
            hi: e.hi,
            p: h.p,
            lower: h.a_wins,
            higher: h.b_wins,
            seeds: h.seeds(),
            change,
            text: h.sentence(),
        }
    }

    /// One line: the ratio, its interval, the seeds, p and the call.
    pub fn line(&self) -> String {
        format!(
            "{} vs {}: validation loss x{} (95% interval x{} to x{}), lower in {} of {} seeds, {}: {}",
            self.arch.upper(),
            self.base.upper(),
            crate::stats::number(self.ratio),
            crate::stats::number(self.lo),
            crate::stats::number(self.hi),
            self.lower,
            self.seeds,
            p_text(self.p),
            self.change.words()
        )
    }
}

/// Every variant in `confirm` whose base cell is there too, least harmful first (a variant
/// whose seeds all failed last).
pub fn ablation(confirm: &[Summary]) -> Vec<AblationRow> {
    let outcomes: Vec<Outcome> = confirm.iter().map(Outcome::of).collect();
    let present = |a: Arch| outcomes.iter().any(|o| o.arch == a);
    let mut rows: Vec<AblationRow> = Arch::ALL
        .into_iter()
        .filter(|&a| a != a.base() && present(a) && present(a.base()))
        .map(|a| AblationRow::of(a, &outcomes))
        .collect();
    let key = |r: &AblationRow| if r.ratio.is_finite() { r.ratio } else { f64::INFINITY };
    rows.sort_by(|a, b| key(a).total_cmp(&key(b)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_hurts_only_where_its_base_wins_by_the_one_rule() {
        // LSTM-NFG's loss 4x the LSTM's on all 6 seeds; LSTM-PH's within noise; MGU's the
        // GRU's, but the GRU is not there for the LSTM family to pair with.
        let mut rows = Vec::new();
        for seed in 1..=6u64 {
            let wobble = if seed % 2 == 0 { 1.1 } else { 0.9 };
            rows.push(Summary::example(Arch::Lstm, 8, 0.01, seed, 0.1));
            rows.push(Summary::example(Arch::LstmNfg, 8, 0.01, seed, 0.4));
            rows.push(Summary::example(Arch::LstmPh, 8, 0.01, seed, 0.1 * wobble));
            rows.push(Summary::example(Arch::Mgu, 8, 0.01, seed, 0.2));
        }
        let a = ablation(&rows);
        assert_eq!(a.iter().map(|r| r.arch).collect::<Vec<_>>(), vec![Arch::LstmPh, Arch::LstmNfg]);
        let nfg = &a[1];
        assert_eq!((nfg.change, nfg.higher, nfg.seeds), (Change::Hurts, 6, 6));
        assert!((nfg.ratio - 4.0).abs() < 1e-9, "{}", nfg.ratio);
        assert!(nfg.line().contains("LSTM-NFG vs LSTM") && nfg.line().ends_with("hurts"), "{}", nfg.line());
        assert_eq!(a[0].change, Change::NoClearDifference);
    }
}
