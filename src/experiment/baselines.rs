//! Whether a network is worth it on the user's data: the best network's median test metric
//! against the best classical baseline's (1-NN, majority class; naive, seasonal naive) on the
//! same test part. Every comparison on the user's data says this first.

use crate::experiment::summary::{Measure, Summary};
use crate::nn::Arch;
use crate::stats::{number, Better, Spread};
use crate::tasks::user::baseline_name;
use serde::{Deserialize, Serialize};

/// The best network against the best baseline, as `summary.json` and the verdicts carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgainstBaselines {
    /// The network with the best median test metric, and that median over its seeds (a failed
    /// seed counts as the worst).
    pub arch: Arch,
    #[serde(with = "crate::nullable")]
    pub network: f64,
    pub seeds: usize,
    /// The best baseline (its key in `baselines`) and its test metric.
    pub baseline: String,
    #[serde(with = "crate::nullable")]
    pub value: f64,
    /// Whether the network's median is strictly better than the baseline.
    pub beats: bool,
    pub text: String,
}

impl AgainstBaselines {
    /// The comparison over `rows` (one comparison's runs, every architecture); `None` where
    /// the runs have no baselines (built-in tasks).
    pub fn of(rows: &[&Summary]) -> Option<AgainstBaselines> {
        let first = rows.first()?;
        let better = first.better(Measure::TestMetric);
        let rank = |v: f64| if better == Better::Higher { -v } else { v };
        let (baseline, value) = first
            .baselines
            .iter()
            .filter(|(_, v)| v.is_finite())
            .min_by(|a, b| rank(*a.1).total_cmp(&rank(*b.1)))
            .map(|(k, v)| (k.clone(), *v))?;
        let (arch, spread) = Arch::ALL
            .into_iter()
            .filter_map(|a| {
                let v: Vec<f64> =
                    rows.iter().filter(|r| r.arch == a).map(|r| r.judged(Measure::TestMetric)).collect();
                Some((a, Spread::of(&v, better)?))
            })
            .min_by(|x, y| rank(x.1.median).total_cmp(&rank(y.1.median)))?;
        let network = spread.median;
        let beats = rank(network) < rank(value);
        let metric = format!("test {}", first.task.about().metric_name);
        let seeds = spread.n;
        let (name, median) = (baseline_name(&baseline), number(network));
        let text = if beats {
            format!(
                "{} beats every baseline on the test part: median {metric} {median} over {seeds} seed{} against {name}'s {}.",
                arch.upper(),
                if seeds == 1 { "" } else { "s" },
                number(value)
            )
        } else {
            format!(
                "Neither network beats {name} ({metric} {}): the best, {}, has a median of {median} over {seeds} seed{}, so \
                 on this data the simple baseline is the better model.",
                number(value),
                arch.upper(),
                if seeds == 1 { "" } else { "s" }
            )
        };
        Some(AgainstBaselines { arch, network, seeds, baseline, value, beats, text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::TaskKind;
    use std::collections::BTreeMap;

    fn row(task: TaskKind, arch: Arch, seed: u64, test: f64, baselines: &[(&str, f64)]) -> Summary {
        Summary {
            task,
            test_metric: test,
            baselines: baselines.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>(),
            ..Summary::example(arch, 8, 0.01, seed, 0.1)
        }
    }

    #[test]
    fn a_network_is_worth_it_only_where_it_beats_the_best_baseline() {
        // The UCR set of the issue: 1-NN 1.000, LSTM 0.583, GRU 0.833.
        let b = [("majority", 0.5), ("nn1_euclidean", 1.0)];
        let rows = [
            row(TaskKind::Classify, Arch::Lstm, 1, 0.583, &b),
            row(TaskKind::Classify, Arch::Gru, 1, 0.833, &b),
        ];
        let v = AgainstBaselines::of(&rows.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!((v.arch, v.baseline.as_str(), v.beats), (Arch::Gru, "nn1_euclidean", false));
        assert!(
            v.text.starts_with("Neither network beats 1-NN Euclidean (test accuracy 1.0000)"),
            "{}",
            v.text
        );
        // MASE: lower is better. Nile: naive 1.06, LSTM 1.80, GRU 1.78; and a network that wins.
        let b = [("naive", 1.06), ("seasonal_naive", 1.2)];
        let lose = [
            row(TaskKind::Forecast, Arch::Lstm, 1, 1.80, &b),
            row(TaskKind::Forecast, Arch::Gru, 1, 1.78, &b),
        ];
        let v = AgainstBaselines::of(&lose.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!((v.arch, v.baseline.as_str(), v.beats), (Arch::Gru, "naive", false));
        let win = [
            row(TaskKind::Forecast, Arch::Lstm, 1, 0.73, &b),
            row(TaskKind::Forecast, Arch::Gru, 1, 0.87, &b),
        ];
        let v = AgainstBaselines::of(&win.iter().collect::<Vec<_>>()).unwrap();
        assert!(v.beats && v.arch == Arch::Lstm, "{v:?}");
        assert!(
            v.text.starts_with("LSTM beats every baseline on the test part: median test MASE 0.7300"),
            "{}",
            v.text
        );
        // Built-in tasks have no baselines.
        let plain = [Summary::example(Arch::Gru, 8, 0.01, 1, 0.1)];
        assert!(AgainstBaselines::of(&plain.iter().collect::<Vec<_>>()).is_none());
    }

    #[test]
    fn a_failed_seed_counts_as_the_worst_test_metric() {
        let b = [("majority", 0.5), ("nn1_euclidean", 0.6)];
        let mut dead = row(TaskKind::Classify, Arch::Gru, 2, 0.9, &b);
        dead.state = crate::run::RunState::Diverged;
        let rows = [row(TaskKind::Classify, Arch::Gru, 1, 0.9, &b), dead];
        let v = AgainstBaselines::of(&rows.iter().collect::<Vec<_>>()).unwrap();
        assert!(!v.beats, "a median of 0.9 and the worst is no win: {v:?}");
    }
}
