//! The gallery: named experiments, each a config, a sentence of what it shows, the claim behind
//! that sentence as code, and the odds the claim was measured at over seeds 1-10. Each seed is
//! one independent replication: the claim is checked on that seed's runs alone.
//! `gatelab gallery --seeds A-B` re-checks every claim on any seeds; tests/presets.rs asserts
//! the stated odds.

use crate::nn::Arch;
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
    pub fn of(&self, arch: Arch) -> &Summary {
        self.rows.iter().find(|r| r.arch == arch).expect("the preset trains this architecture")
    }
    /// Validation loss relative to the chance baseline.
    pub fn loss_ratio(&self, arch: Arch) -> f64 {
        let r = self.of(arch);
        r.val_loss / r.baseline
    }
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Counting beyond training",
        query: "task=anbn&len=10&cells=16&archs=lstm,gru&steps=2000&seeds=3",
        shows: "Counting: both learn n ≤ 10; on longer strings the LSTM's cell state keeps counting further than the GRU in 10 of 10 seeds.",
        claim: |s| {
            let (l, g) = (s.of(Arch::Lstm), s.of(Arch::Gru));
            l.val_metric > 0.95 && g.val_metric > 0.95 && l.test_metric > g.test_metric
        },
        odds: (10, 10),
    },
    Preset {
        name: "Adding, long delay",
        query: "task=adding&len=100&cells=16&archs=lstm,gru,rnn&steps=2500&seeds=3",
        shows: "Over 100 steps the gated cells find the two marked numbers and the plain RNN stays at the baseline, in 10 of 10 seeds.",
        claim: |s| s.loss_ratio(Arch::Lstm) < 0.1 && s.loss_ratio(Arch::Gru) < 0.1 && s.loss_ratio(Arch::Rnn) > 0.8,
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
    let seeds: Vec<u64> = seeds.collect();
    let configs: Vec<Config> =
        presets.iter().map(|p| parse(p.query).expect("presets are clean configs")).collect();
    // Every run: (preset, seed, spec).
    let mut jobs = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        for &seed in &seeds {
            let one = Config { seed, seeds: 1, ..c.clone() };
            jobs.extend(RunSpec::all(&one).into_iter().map(|s| (i, seed, s)));
        }
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
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
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
        || tick(done.load(std::sync::atomic::Ordering::Relaxed), total),
    );
    presets
        .iter()
        .enumerate()
        .map(|(i, p)| {
            seeds
                .iter()
                .copied()
                .filter(|&seed| {
                    let mine: Vec<Summary> = jobs
                        .iter()
                        .zip(&rows)
                        .filter(|((pi, s, _), _)| *pi == i && *s == seed)
                        .filter_map(|(_, r)| r.as_ref().ok().cloned())
                        .collect();
                    // A run that failed to finish (a panic) leaves its seed unproven.
                    mine.len() == configs[i].archs.len() && (p.claim)(&Seed { rows: &mine })
                })
                .collect()
        })
        .collect()
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
            assert!(
                k * 10 >= 8 * n || p.shows.contains("no clear winner"),
                "{}: {k} of {n} is too weak a claim",
                p.name
            );
        }
    }
}
