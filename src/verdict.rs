//! A sweep's verdict, per sequence length: each architecture at its own best setting (cells x
//! learning rate with the lowest median validation loss over seeds, never chosen by test), and
//! a paired sign test between the best two at their best settings. `gatelab sweep`, `gatelab
//! merge`, `sweep.json` and the page's Sweep view all use this one function.

use crate::evidence::{median_finite, spread, HeadToHead, Outcome, ALPHA};
use crate::nn::Arch;
use crate::summary::Summary;
use serde::{Deserialize, Serialize};

/// One architecture at its best setting for one length.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub arch: Arch,
    pub cells: usize,
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

/// The verdict at one sequence length.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LenVerdict {
    pub len: usize,
    /// Best first.
    pub best: Vec<Best>,
    /// An architecture's name, or "none" when the seeds do not show one.
    pub winner: String,
    /// The paired sign test between the best and the runner-up, each at its best setting.
    #[serde(with = "crate::nullable")]
    pub p: f64,
    /// Seeds paired in that test.
    pub seeds: usize,
    /// The head-to-head in words.
    pub text: String,
}

/// The verdict at every length of the sweep, in increasing length.
pub fn verdict(rows: &[Summary]) -> Vec<LenVerdict> {
    let mut lens: Vec<usize> = rows.iter().map(|r| r.len).collect();
    lens.sort();
    lens.dedup();
    lens.into_iter().map(|len| at_length(rows, len)).collect()
}

fn at_length(rows: &[Summary], len: usize) -> LenVerdict {
    let here: Vec<&Summary> = rows.iter().filter(|r| r.len == len).collect();
    let mut best: Vec<(Best, Vec<Outcome>)> = Arch::ALL
        .into_iter()
        .filter_map(|a| best_setting(here.iter().copied().filter(|r| r.arch == a).collect()))
        .collect();
    best.sort_by(|x, y| x.0.median_val_loss.total_cmp(&y.0.median_val_loss));
    let (winner, p, seeds, text) = match best.as_slice() {
        [first, second, ..] => {
            let outcomes: Vec<Outcome> = first.1.iter().chain(&second.1).copied().collect();
            let h = HeadToHead::new(first.0.arch, second.0.arch, &outcomes);
            let winner = if h.p < ALPHA && h.seeds() >= 2 {
                (if h.a_wins > h.b_wins { h.a } else { h.b }).name().to_string()
            } else {
                "none".to_string()
            };
            (winner, h.p, h.seeds(), h.sentence())
        }
        [only] => ("none".into(), f64::NAN, only.0.seeds, "one architecture: nothing to compare".into()),
        [] => ("none".into(), f64::NAN, 0, "no runs".into()),
    };
    LenVerdict { len, best: best.into_iter().map(|b| b.0).collect(), winner, p, seeds, text }
}

/// The setting (cells, lr) with the lowest median validation loss, and its seeds' outcomes.
/// Ties go to fewer cells, then the smaller learning rate.
fn best_setting(rows: Vec<&Summary>) -> Option<(Best, Vec<Outcome>)> {
    let mut settings: Vec<(usize, f32)> = rows.iter().map(|r| (r.hidden, r.lr)).collect();
    settings.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    settings.dedup();
    settings
        .into_iter()
        .map(|(cells, lr)| {
            let seeds: Vec<&Summary> =
                rows.iter().copied().filter(|r| r.hidden == cells && r.lr == lr).collect();
            let outcomes: Vec<Outcome> = seeds.iter().map(|s| Outcome::of(s)).collect();
            let losses: Vec<f64> =
                outcomes.iter().map(|o| if o.failed { f64::NAN } else { o.val_loss }).collect();
            let (median, min, max) = spread(&losses);
            let best = Best {
                arch: seeds[0].arch,
                cells,
                lr,
                median_val_loss: median,
                min_val_loss: min,
                max_val_loss: max,
                median_val_metric: median_finite(seeds.iter().map(|s| s.val_metric)),
                median_test_metric: median_finite(seeds.iter().map(|s| s.test_metric)),
                seeds: seeds.len(),
                failed: outcomes.iter().filter(|o| o.failed).count(),
            };
            (best, outcomes)
        })
        .min_by(|a, b| a.0.median_val_loss.total_cmp(&b.0.median_val_loss))
}

/// The verdict in words, one line per length: what `gatelab sweep` prints last.
pub fn sentences(v: &[LenVerdict]) -> Vec<String> {
    v.iter()
        .map(|lv| {
            let bests: Vec<String> = lv
                .best
                .iter()
                .map(|b| {
                    let failed = if b.failed > 0 {
                        format!(", {} of {} seeds failed", b.failed, b.seeds)
                    } else {
                        String::new()
                    };
                    format!(
                        "{} best at {} cells, lr {} (median val loss {:.4}{failed})",
                        b.arch.name().to_uppercase(),
                        b.cells,
                        b.lr,
                        b.median_val_loss
                    )
                })
                .collect();
            let call = match lv.winner.as_str() {
                "none" => format!("At their best settings: {}", lv.text),
                w => format!("{} wins at its best setting: {}", w.to_uppercase(), lv.text),
            };
            format!("len {}: {}. {call}.", lv.len, bests.join("; "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunState;

    fn row(arch: Arch, hidden: usize, lr: f32, seed: u64, val_loss: f64) -> Summary {
        Summary {
            task: "adding".into(),
            arch,
            hidden,
            params: 0,
            len: 10,
            lr,
            seed,
            steps: 100,
            train_loss: val_loss,
            val_loss,
            val_metric: 1.0 - val_loss,
            test_metric: 0.5,
            baseline: 1.0,
            grad_decay: 1.0,
            seconds: 1.0,
            state: if val_loss.is_nan() { RunState::Diverged } else { RunState::Done },
        }
    }

    #[test]
    fn each_architecture_is_judged_at_its_own_best_setting() {
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
        let v = verdict(&rows);
        assert_eq!(v.len(), 1);
        let (g, l) = (&v[0].best[0], &v[0].best[1]);
        assert_eq!((g.arch, g.cells, g.lr), (Arch::Gru, 8, 0.003));
        assert_eq!((l.arch, l.cells, l.lr), (Arch::Lstm, 16, 0.01));
        assert_eq!((v[0].winner.as_str(), v[0].seeds), ("gru", 10));
        assert!(v[0].p < 0.002, "10 of 10: p = 2/1024");
        assert!(sentences(&v)[0].contains("GRU wins"), "{:?}", sentences(&v));
    }

    #[test]
    fn a_split_or_a_single_seed_names_no_winner_and_failed_seeds_count_against() {
        let mut rows = Vec::new();
        for seed in 1..=10 {
            let lstm_ahead = seed % 2 == 0;
            rows.push(row(Arch::Lstm, 8, 0.01, seed, if lstm_ahead { 0.1 } else { 0.3 }));
            rows.push(row(Arch::Gru, 8, 0.01, seed, if lstm_ahead { 0.2 } else { 0.15 }));
        }
        let v = verdict(&rows);
        assert_eq!(v[0].winner, "none");
        assert!(v[0].text.contains("no clear winner"), "{}", v[0].text);

        let one = verdict(&[row(Arch::Lstm, 8, 0.01, 1, 0.1), row(Arch::Gru, 8, 0.01, 1, 0.2)]);
        assert_eq!(one[0].winner, "none");
        assert!(one[0].text.contains("one seed cannot tell"), "{}", one[0].text);

        // A diverged seed is a loss for its architecture, and shows in the counts.
        let mut rows = Vec::new();
        for seed in 1..=6 {
            rows.push(row(Arch::Lstm, 8, 0.01, seed, if seed <= 5 { 0.5 } else { f64::NAN }));
            rows.push(row(Arch::Rnn, 8, 0.01, seed, 0.6));
        }
        let v = verdict(&rows);
        let lstm = v[0].best.iter().find(|b| b.arch == Arch::Lstm).unwrap();
        assert_eq!((lstm.failed, lstm.seeds, lstm.max_val_loss), (1, 6, f64::INFINITY));
        assert!(v[0].text.contains("5 of 6"), "{}", v[0].text);
    }
}
