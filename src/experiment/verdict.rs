//! A sweep's verdict, per sequence length: each architecture at its own best setting (cells x
//! learning rate with the lowest median validation loss over seeds, never chosen by test),
//! then the best two compared with the evidence module's head-to-head on fresh seeds at those
//! settings (the confirmation stage): a setting chosen on some seeds looks better on them than
//! it is, so the seeds that chose it never judge it. Without confirmation runs the verdict says
//! it was not confirmed. `gatelab sweep`, `gatelab merge`, `sweep.json`, the page's Sweep view
//! and the search (`search::verdict`) all use this one function.

use crate::experiment::baselines::AgainstBaselines;
use crate::experiment::evidence::{HeadToHead, Outcome, Winner};
use crate::experiment::summary::{Measure, Summary};
use crate::nn::Arch;
use crate::stats::{number, Spread};
use serde::{Deserialize, Serialize};

/// One architecture at its best setting for one length, as the choosing seeds saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub arch: Arch,
    /// Hidden units (with `match=1`, the GRU's and RNN's differ from the cells asked for).
    pub hidden: usize,
    pub lr: f32,
    #[serde(with = "crate::nullable")]
    pub median_val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub min_val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub max_val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub median_val_metric: f64,
    #[serde(with = "crate::nullable")]
    pub median_test_metric: f64,
    /// Seeds at this setting, and how many of them diverged or crashed.
    pub seeds: usize,
    pub failed: usize,
}

impl Best {
    /// The summary of `rows` (one setting's seeds; a failed seed counts as the worst).
    pub fn of(rows: &[&Summary]) -> Option<Best> {
        let first = rows.first()?;
        let spread = |m: Measure| {
            let v: Vec<f64> = rows.iter().map(|r| r.judged(m)).collect();
            Spread::of(&v, first.better(m))
        };
        let loss = spread(Measure::ValLoss)?;
        let metric = |m: Measure| spread(m).map_or(f64::NAN, |s| s.median);
        Some(Best {
            arch: first.arch,
            hidden: first.hidden,
            lr: first.lr,
            median_val_loss: loss.median,
            min_val_loss: loss.min,
            max_val_loss: loss.max,
            median_val_metric: metric(Measure::ValMetric),
            median_test_metric: metric(Measure::TestMetric),
            seeds: rows.len(),
            failed: loss.failed,
        })
    }

    fn words(&self) -> String {
        let failed = if self.failed > 0 {
            format!(", {} of {} seeds failed", self.failed, self.seeds)
        } else {
            String::new()
        };
        format!(
            "{} best at {} cells, lr {} (median val loss {}{failed})",
            self.arch.upper(),
            self.hidden,
            self.lr,
            number(self.median_val_loss)
        )
    }
}

/// The verdict at one sequence length.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LenVerdict {
    pub len: usize,
    /// Best first, as the choosing seeds ranked them.
    pub best: Vec<Best>,
    /// Named only when the sign test shows one (p < 0.05).
    pub winner: Winner,
    /// The head-to-head between the best two, each at its best setting.
    #[serde(with = "crate::nullable")]
    pub p: f64,
    /// The best's validation loss over the runner-up's, geometric mean over paired seeds, with
    /// its 95% interval.
    #[serde(with = "crate::nullable")]
    pub ratio: f64,
    #[serde(with = "crate::nullable")]
    pub ratio_lo: f64,
    #[serde(with = "crate::nullable")]
    pub ratio_hi: f64,
    /// Seeds paired in that test.
    pub seeds: usize,
    /// The test ran on fresh seeds, never used to choose the settings.
    pub confirmed: bool,
    /// On the user's data: the best network against the best classical baseline, on the runs
    /// the comparison used (said first in `text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baselines: Option<AgainstBaselines>,
    /// The verdict in words.
    pub text: String,
}

/// The seeds and settings one architecture's best was chosen from, as ranked rows.
pub struct Choice<'a> {
    pub best: Best,
    /// The chosen setting's rows (its seeds), for the comparison when nothing is confirmed.
    pub rows: Vec<&'a Summary>,
}

/// Each architecture's best setting among `rows` (one length): the (hidden, lr) with the
/// lowest median validation loss, ties to fewer cells, then the smaller rate. Best first.
pub fn choose<'a>(rows: &[&'a Summary]) -> Vec<Choice<'a>> {
    let mut out: Vec<Choice> = Arch::ALL
        .into_iter()
        .filter_map(|a| {
            let mine: Vec<&Summary> = rows.iter().copied().filter(|r| r.arch == a).collect();
            let mut settings: Vec<(usize, f32)> = mine.iter().map(|r| (r.hidden, r.lr)).collect();
            settings.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            settings.dedup();
            settings
                .into_iter()
                .filter_map(|(h, lr)| {
                    let seeds: Vec<&Summary> =
                        mine.iter().copied().filter(|r| r.hidden == h && r.lr == lr).collect();
                    Some(Choice { best: Best::of(&seeds)?, rows: seeds })
                })
                .min_by(|x, y| x.best.median_val_loss.total_cmp(&y.best.median_val_loss))
        })
        .collect();
    out.sort_by(|x, y| x.best.median_val_loss.total_cmp(&y.best.median_val_loss));
    out
}

/// The verdict of ranked choices: the best two compared on `confirm` (their runs at the chosen
/// settings on fresh seeds) when there are any, else on the choosing seeds, said as such.
/// `named`: whether the text names the length (not where the data has its own lengths).
pub fn judge(len: usize, named: bool, choices: &[Choice<'_>], confirm: &[&Summary]) -> LenVerdict {
    let at_len = if named { format!("len {len}: ") } else { String::new() };
    let best: Vec<Best> = choices.iter().map(|c| c.best.clone()).collect();
    let mut v = LenVerdict {
        len,
        best,
        winner: Winner(None),
        p: f64::NAN,
        ratio: f64::NAN,
        ratio_lo: f64::NAN,
        ratio_hi: f64::NAN,
        seeds: 0,
        confirmed: false,
        baselines: None,
        text: String::new(),
    };
    let bests = v.best.iter().map(Best::words).collect::<Vec<_>>().join("; ");
    let [first, second, ..] = choices else {
        let why = if choices.is_empty() { "no runs" } else { "one architecture: nothing to compare" };
        v.text = format!("{at_len}{bests}{}{why}.", if bests.is_empty() { "" } else { ". " });
        return v;
    };
    let at =
        |c: &Choice, r: &&Summary| r.arch == c.best.arch && r.hidden == c.best.hidden && r.lr == c.best.lr;
    let fresh: Vec<&Summary> = confirm.iter().copied().filter(|r| at(first, r) || at(second, r)).collect();
    v.confirmed = !fresh.is_empty();
    let used: Vec<&Summary> =
        if v.confirmed { fresh } else { first.rows.iter().chain(&second.rows).copied().collect() };
    let outcomes: Vec<Outcome> = used.iter().map(|r| Outcome::of(r)).collect();
    v.baselines = AgainstBaselines::of(&used);
    // Where a simple baseline beats both, the verdict names no winner: the comparison below is
    // between two models neither of which is worth it.
    let worth_it = v.baselines.as_ref().is_none_or(|b| b.beats);
    let h = HeadToHead::new(first.best.arch, second.best.arch, &outcomes).beaten(!worth_it);
    (v.winner, v.p, v.seeds) = (h.winner(), h.p, h.seeds());
    (v.ratio, v.ratio_lo, v.ratio_hi) = (h.effect.ratio, h.effect.lo, h.effect.hi);
    let how = if v.confirmed {
        format!("Confirmed on {} fresh seeds at these settings", h.seeds())
    } else {
        "Not confirmed on fresh seeds (chosen and compared on the same seeds, which flatters the best settings)"
            .to_string()
    };
    let mut against = v.baselines.as_ref().map_or(String::new(), |b| format!("{} ", b.text));
    if let Some(o) = crate::experiment::overfit::sentence(&used) {
        against.push_str(&format!("{o} "));
    }
    let between = if worth_it { "" } else { ", between the two networks only" };
    v.text = format!("{at_len}{against}{bests}. {how}{between}: {}.", h.sentence());
    v
}

/// The verdict at every length of a sweep, in increasing length: `grid` chooses, `confirm`
/// (the confirmation stage's runs) judges.
pub fn verdict(grid: &[Summary], confirm: &[Summary], named: bool) -> Vec<LenVerdict> {
    let mut lens: Vec<usize> = grid.iter().map(|r| r.len).collect();
    lens.sort();
    lens.dedup();
    lens.into_iter()
        .map(|len| {
            let here: Vec<&Summary> = grid.iter().filter(|r| r.len == len).collect();
            let fresh: Vec<&Summary> = confirm.iter().filter(|r| r.len == len).collect();
            judge(len, named, &choose(&here), &fresh)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunState;

    fn row(arch: Arch, hidden: usize, lr: f32, seed: u64, val_loss: f64) -> Summary {
        Summary {
            state: if val_loss.is_nan() { RunState::Diverged } else { RunState::Done },
            ..Summary::example(arch, hidden, lr, seed, val_loss)
        }
    }

    #[test]
    fn each_architecture_is_judged_at_its_own_best_setting_on_fresh_seeds() {
        let mut rows = Vec::new();
        for seed in 1..=10 {
            let s = seed as f64 * 1e-3;
            // LSTM is best with 16 cells at lr 0.01; the GRU with 8 cells at lr 0.003.
            rows.push(row(Arch::Lstm, 8, 0.01, seed, 0.5 + s));
            rows.push(row(Arch::Lstm, 16, 0.01, seed, 0.2 + s));
            rows.push(row(Arch::Lstm, 16, 0.003, seed, 0.4 + s));
            rows.push(row(Arch::Gru, 8, 0.003, seed, 0.1 + s));
            rows.push(row(Arch::Gru, 16, 0.01, seed, 0.9 + s));
        }
        let unconfirmed = verdict(&rows, &[], true);
        assert!(
            !unconfirmed[0].confirmed && unconfirmed[0].text.contains("Not confirmed"),
            "{}",
            unconfirmed[0].text
        );
        // On fresh seeds the GRU is still ahead, by less.
        let fresh: Vec<Summary> = (11..=16)
            .flat_map(|seed| [row(Arch::Lstm, 16, 0.01, seed, 0.2), row(Arch::Gru, 8, 0.003, seed, 0.15)])
            .collect();
        let v = verdict(&rows, &fresh, true);
        assert_eq!(v.len(), 1);
        let (g, l) = (&v[0].best[0], &v[0].best[1]);
        assert_eq!((g.arch, g.hidden, g.lr), (Arch::Gru, 8, 0.003));
        assert_eq!((l.arch, l.hidden, l.lr), (Arch::Lstm, 16, 0.01));
        assert_eq!((v[0].winner, v[0].seeds, v[0].confirmed), (Winner(Some(Arch::Gru)), 6, true));
        assert!((v[0].ratio - 0.75).abs() < 1e-12, "GRU's loss over the LSTM's: {}", v[0].ratio);
        assert!(
            v[0].text.contains("Confirmed on 6 fresh seeds") && v[0].text.ends_with("GRU wins."),
            "{}",
            v[0].text
        );
    }

    #[test]
    fn a_split_or_a_single_seed_names_no_winner_and_failed_seeds_count_against() {
        let mut rows = Vec::new();
        for seed in 1..=10 {
            let lstm_ahead = seed % 2 == 0;
            rows.push(row(Arch::Lstm, 8, 0.01, seed, if lstm_ahead { 0.1 } else { 0.3 }));
            rows.push(row(Arch::Gru, 8, 0.01, seed, if lstm_ahead { 0.2 } else { 0.15 }));
        }
        let v = verdict(&rows, &[], true);
        assert_eq!(v[0].winner, Winner(None));
        assert!(v[0].text.contains("no clear winner"), "{}", v[0].text);

        let one = verdict(&[row(Arch::Lstm, 8, 0.01, 1, 0.1), row(Arch::Gru, 8, 0.01, 1, 0.2)], &[], true);
        assert_eq!(one[0].winner, Winner(None));
        assert!(one[0].text.contains("one seed cannot name a winner"), "{}", one[0].text);

        // A diverged seed is a loss for its architecture, and shows in the counts.
        let mut rows = Vec::new();
        for seed in 1..=6 {
            rows.push(row(Arch::Lstm, 8, 0.01, seed, if seed <= 5 { 0.5 } else { f64::NAN }));
            rows.push(row(Arch::Rnn, 8, 0.01, seed, 0.6));
        }
        let v = verdict(&rows, &[], true);
        let lstm = v[0].best.iter().find(|b| b.arch == Arch::Lstm).unwrap();
        assert_eq!((lstm.failed, lstm.seeds, lstm.max_val_loss), (1, 6, f64::INFINITY));
        assert!(v[0].text.contains("lower in 5 of 6 seeds, the RNN in 1"), "{}", v[0].text);
    }
}
