//! The gallery: named experiments, each a config, a sentence of what it shows, the claim behind
//! that sentence as code, and the odds the claim was measured at over seeds 1-10. Each seed is
//! one independent replication: the claim is checked on that seed's runs alone.
//! `gatelab gallery --seeds A-B` re-checks every claim on any seeds; tests/presets.rs asserts
//! the stated odds.

use crate::nn::Arch::{self, Gru, Lstm, Rnn};
use crate::summary::Summary;

pub struct Preset {
    pub name: &'static str,
    /// The page opens this (with several seeds, so the page shows the spread itself).
    pub query: &'static str,
    /// What it shows, with the odds in words.
    pub shows: &'static str,
    /// The sentence's claim on one seed's runs.
    pub claim: fn(&Seed) -> bool,
    /// (seeds where the claim held, seeds tried), over seeds 1..=n.
    pub odds: (usize, usize),
}

/// One seed's runs of a preset: a summary per architecture.
pub struct Seed<'a> {
    pub rows: &'a [Summary],
}

impl Seed<'_> {
    fn of(&self, a: Arch) -> &Summary {
        self.rows.iter().find(|r| r.arch == a).expect("the preset trains this architecture")
    }
    /// Validation loss relative to the chance baseline.
    fn ratio(&self, a: Arch) -> f64 {
        self.of(a).val_loss / self.of(a).baseline
    }
    fn loss(&self, a: Arch) -> f64 {
        self.of(a).val_loss
    }
    fn metric(&self, a: Arch) -> f64 {
        self.of(a).val_metric
    }
    fn test(&self, a: Arch) -> f64 {
        self.of(a).test_metric
    }
    /// a ends with a lower validation loss than b (a failed run never does).
    fn below(&self, a: Arch, b: Arch) -> bool {
        self.loss(a) < self.loss(b)
    }
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Counting beyond training",
        query: "task=anbn&len=10&cells=16&archs=lstm,gru&steps=2000&seeds=3",
        shows: "Counting aⁿbⁿ: both learn n ≤ 10, and on longer strings the LSTM's cell state keeps counting further \
                than the GRU in 10 of 10 seeds (Weiss et al. 2018 saw the same).",
        claim: |s| s.metric(Lstm) > 0.95 && s.metric(Gru) > 0.95 && s.test(Lstm) > s.test(Gru),
        odds: (10, 10),
    },
    Preset {
        name: "Adding, long delay",
        query: "task=adding&len=100&cells=16&archs=lstm,gru,rnn&steps=2500&seeds=3",
        shows: "Over 100 steps the gated cells find the two marked numbers (below 10% of the chance loss) and the \
                plain RNN stays at the baseline, in 10 of 10 seeds.",
        claim: |s| s.ratio(Lstm) < 0.1 && s.ratio(Gru) < 0.1 && s.ratio(Rnn) > 0.8,
        odds: (10, 10),
    },
    Preset {
        name: "Adding, 30 steps: GRU ahead",
        query: "task=adding&len=30&cells=16&archs=lstm,gru&steps=1500&seeds=5",
        shows: "At the default 30 steps both learn the adding problem, and the GRU ends with the lower validation \
                loss in 9 of 10 seeds: a clear winner at this size and budget (sweep cells and learning rates for others).",
        claim: |s| s.below(Gru, Lstm) && s.ratio(Lstm) < 0.3 && s.ratio(Gru) < 0.3,
        odds: (9, 10),
    },
    Preset {
        name: "No clear winner: sine at equal parameters",
        query: "task=sine&len=50&cells=12&archs=lstm,gru,rnn&match=1&steps=800&seeds=5",
        shows: "No clear winner: a short-memory forecast at equal parameter budgets (LSTM 12, GRU 14, RNN 25 cells) \
                ends with all three within 0.02 explained variance of each other in 10 of 10 seeds; the gates buy nothing here.",
        claim: |s| {
            let m = [s.metric(Lstm), s.metric(Gru), s.metric(Rnn)];
            m.iter().all(|v| v.is_finite()) && m.iter().cloned().fold(f64::MIN, f64::max) - m.iter().cloned().fold(f64::MAX, f64::min) < 0.02
        },
        odds: (10, 10),
    },
    Preset {
        name: "Copy after 20 blanks: GRU ahead",
        query: "task=copy&len=20&symbols=3&cells=32&archs=lstm,gru&lr=0.01&steps=2000&seeds=3",
        shows: "Recalling 3 symbols after 20 blanks at learning rate 0.01: the GRU learns it (over 95% recalled) and \
                ends with a lower validation loss than the LSTM in 10 of 10 seeds.",
        claim: |s| s.metric(Gru) > 0.95 && s.below(Gru, Lstm),
        odds: (10, 10),
    },
    Preset {
        name: "Memorising a small set",
        query: "task=adding&len=20&cells=64&archs=lstm,gru&train=32&steps=1500&seeds=3",
        shows: "With only 32 training sequences both drive the training loss below 1% of their validation loss: \
                memorised, not learned, in 10 of 10 seeds.",
        claim: |s| [Lstm, Gru].iter().all(|&a| s.of(a).train_loss < 0.01 * s.loss(a)),
        odds: (10, 10),
    },
    Preset {
        name: "Vanishing gradients",
        query: "task=adding&len=60&cells=16&archs=gru,rnn&steps=1500&seeds=3",
        shows: "After training, less than 1% of the RNN's gradient reaches the first step, against more than 5% of the \
                GRU's (see the gradient-flow chart), in 9 of 10 seeds.",
        claim: |s| {
            let (r, g) = (s.of(Rnn).grad_decay, s.of(Gru).grad_decay);
            (r.is_nan() || r < 0.01) && g > 0.05
        },
        odds: (9, 10),
    },
    Preset {
        name: "Parity, target at the end",
        query: "task=parity&len=3&parity=end&cells=16&archs=lstm,gru,rnn&steps=3000&seeds=3",
        shows: "Only the last step has a target: LSTM and GRU learn 3-bit parity, and on 6 bits the LSTM's solution \
                carries further than the GRU's, in 10 of 10 seeds.",
        claim: |s| s.metric(Lstm) > 0.99 && s.metric(Gru) > 0.99 && s.test(Lstm) > s.test(Gru),
        odds: (10, 10),
    },
    Preset {
        name: "Forget-gate bias off",
        query: "task=copy&len=10&cells=16&archs=lstm,gru&lr=0.02&fbias=0&steps=1500&seeds=3",
        shows: "Without the +1 forget bias (Jozefowicz et al. 2015) the LSTM stays at chance while the GRU gets below \
                half of it, in 10 of 10 seeds.",
        claim: |s| s.ratio(Lstm) > 0.9 && s.ratio(Gru) < 0.5,
        odds: (10, 10),
    },
    Preset {
        name: "Embedded Reber grammar",
        query: "task=reber&len=20&cells=16&archs=lstm,gru,rnn&steps=1500&seeds=3",
        shows: "The LSTM's first benchmark (Hochreiter & Schmidhuber 1997): it makes every next-symbol prediction legal \
                on at least 95% of the strings in 9 of 10 seeds. Compare the GRU and the plain RNN seed by seed above.",
        claim: |s| s.metric(Lstm) > 0.95,
        odds: (9, 10),
    },
    Preset {
        name: "Dyck-1: counting brackets",
        query: "task=dyck&pairs=1&len=20&cells=16&archs=lstm,gru,rnn&steps=2000&seeds=3",
        shows: "One kind of bracket: LSTM and GRU both learn strings up to 20, and on longer ones the LSTM gets more \
                strings fully right than the GRU in 9 of 10 seeds (as Suzgun et al. 2019 found).",
        claim: |s| s.metric(Lstm) > 0.9 && s.metric(Gru) > 0.9 && s.test(Lstm) > s.test(Gru),
        odds: (9, 10),
    },
    Preset {
        name: "Dyck-2: a stack",
        query: "task=dyck&pairs=2&len=20&cells=16&archs=lstm,gru,rnn&steps=2000&seeds=3",
        shows: "Two kinds of bracket need a stack, not a counter: the LSTM ends with the lowest validation loss of the \
                three in 10 of 10 seeds.",
        claim: |s| s.below(Lstm, Gru) && s.below(Lstm, Rnn),
        odds: (10, 10),
    },
    Preset {
        name: "Real text, early on",
        query: "task=text&len=50&cells=32&archs=lstm,gru,rnn&steps=600&seeds=3",
        shows: "Tiny Shakespeare after 600 steps of 32 cells: the GRU has the lowest bits per character of the three in \
                10 of 10 seeds, and the LSTM is still behind even the plain RNN this early (Chung et al. 2014 found \
                GRU and LSTM close after long training).",
        claim: |s| s.below(Gru, Rnn) && s.below(Rnn, Lstm),
        odds: (10, 10),
    },
];

/// Re-checks presets on `seeds`: each seed's runs (one per architecture, trained on `threads`
/// threads) and whether the claim held. Returns, per preset, the seeds it held on.
#[cfg(not(target_arch = "wasm32"))]
pub fn measure(
    presets: &[&Preset],
    seeds: std::ops::RangeInclusive<u64>,
    threads: usize,
    tick: impl FnMut(usize, usize),
) -> Vec<Vec<u64>> {
    use crate::config::{parse, Config};
    use crate::run::{Run, RunSpec};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let seeds: Vec<u64> = seeds.collect();
    let configs: Vec<Config> =
        presets.iter().map(|p| parse(p.query).expect("presets are clean configs")).collect();
    // Every run: (preset, seed, spec), costliest first so the threads finish together.
    let mut jobs = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        for &seed in &seeds {
            let one = Config { seed, seeds: 1, ..c.clone() };
            jobs.extend(RunSpec::all(&one).into_iter().map(|s| (i, seed, s)));
        }
    }
    let cost = |j: &(usize, u64, crate::run::RunSpec)| crate::limits::run_cost(&configs[j.0], &j.2).flop;
    jobs.sort_by(|a, b| cost(b).total_cmp(&cost(a)));
    let done = AtomicUsize::new(0);
    let mut tick = tick;
    let rows = crate::pool::run(
        jobs.len(),
        threads,
        |k| {
            let (i, _, spec) = jobs[k];
            let mut run = Run::to_end(&configs[i], spec, || 0.0, &mut |_| {});
            Summary::of(&mut run, &configs[i])
        },
        |_, _| {
            done.fetch_add(1, Ordering::Relaxed);
        },
        || tick(done.load(Ordering::Relaxed), jobs.len()),
    );
    let held = |i: usize, seed: u64| {
        let mine: Vec<Summary> = jobs
            .iter()
            .zip(&rows)
            .filter(|((pi, s, _), _)| *pi == i && *s == seed)
            .filter_map(|(_, r)| r.as_ref().ok().cloned())
            .collect();
        // A run that failed to finish (a panic) leaves its seed unproven.
        mine.len() == configs[i].archs.len() && (presets[i].claim)(&Seed { rows: &mine })
    };
    (0..presets.len()).map(|i| seeds.iter().copied().filter(|&s| held(i, s)).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_clean_config_with_seeds_and_states_its_odds() {
        for p in PRESETS {
            let c = crate::config::parse(p.query).unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            assert!(c.seeds >= 3, "{}: the page opens a preset with at least 3 seeds", p.name);
            let (k, n) = p.odds;
            assert!(
                p.shows.contains(&format!("{k} of {n} seeds")),
                "{}: the sentence states its odds",
                p.name
            );
            assert!(k * 10 >= 8 * n, "{}: {k} of {n} is too weak a claim to state", p.name);
        }
        assert!(PRESETS.iter().any(|p| p.shows.starts_with("No clear winner")));
        for task in crate::tasks::TaskKind::ALL {
            let has = PRESETS.iter().any(|p| crate::config::parse(p.query).is_ok_and(|c| c.task == task));
            assert!(
                has || matches!(task, crate::tasks::TaskKind::Order),
                "{task:?} has a finding in the gallery"
            );
        }
    }
}
