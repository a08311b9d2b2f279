//! The gallery: named experiments, each a config, a sentence of what it shows, the claim behind
//! that sentence as code, and its odds. Claims were chosen and worded on seeds 1-10; their
//! odds are measured on seeds 11-50, never used to choose them, and stated with a 95% Wilson
//! interval. Each seed is one independent replication: the claim is checked on that seed's runs
//! alone. `gatelab gallery --seeds A-B` re-checks every claim on any seeds; tests/presets.rs
//! asserts the measured outcome on a slice of the held-out seeds; the page checks the claim on
//! the runs it has just trained.

use crate::config::{parse, Config};
use crate::experiment::files::search::SearchFile;
use crate::experiment::summary::{Measure, Summary};
use crate::nn::Arch::{self, Gru, Lstm, LstmCifg, LstmNig, MinGru, Rnn};
use crate::stats::wilson;
use std::ops::RangeInclusive;

/// The seeds the odds are measured on: never used to choose or word a claim (seeds 1-10 were).
pub const HELD_OUT: RangeInclusive<u64> = 11..=50;

/// (held, tried) over the held-out seeds, given the seeds where a claim failed.
fn held_out(fails: &[u64]) -> (usize, usize) {
    let n = HELD_OUT.count();
    (n - fails.len(), n)
}

/// "holds in 37 of 40 held-out {what} (95% interval 80%-97%)": the counts with a Wilson interval.
fn odds_sentence(fails: &[u64], what: &str) -> String {
    let (k, n) = held_out(fails);
    let (lo, hi) = wilson(k, n);
    format!("holds in {k} of {n} held-out {what} (95% interval {:.0}%-{:.0}%)", 100.0 * lo, 100.0 * hi)
}

pub struct Preset {
    pub name: &'static str,
    /// The page opens this, with the seeds its claim needs.
    pub query: &'static str,
    /// What it shows; the odds follow it (`odds_text`).
    pub shows: &'static str,
    /// The sentence's claim on one seed's runs.
    pub claim: fn(&Seed) -> bool,
    /// The held-out seeds where the claim did not hold (`gatelab gallery --seeds 11-50`).
    pub fails: &'static [u64],
}

impl Preset {
    pub fn config(&self) -> Config {
        parse(self.query).expect("presets are clean configs")
    }

    /// (seeds where the claim held, seeds tried) over the held-out seeds.
    pub fn odds(&self) -> (usize, usize) {
        held_out(self.fails)
    }

    /// "holds in 37 of 40 held-out seeds (95% interval 80%-97%)".
    pub fn odds_text(&self) -> String {
        odds_sentence(self.fails, "seeds")
    }

    /// Whether `c` is this experiment, whatever its seeds and page-only settings.
    pub fn matches(&self, c: &Config) -> bool {
        let plain = |c: &Config| Config { seed: 0, seeds: 0, ..c.experiment() };
        plain(&self.config()) == plain(c)
    }

    /// The claim on each seed of `rows` that has a finished run of every architecture: (seeds
    /// where it held, seeds checked).
    pub fn check(&self, rows: &[Summary]) -> (usize, usize) {
        let archs = self.config().archs.len();
        let mut seeds: Vec<u64> = rows.iter().map(|r| r.seed).collect();
        seeds.sort();
        seeds.dedup();
        let mut held = (0, 0);
        for seed in seeds {
            let mine: Vec<Summary> = rows.iter().filter(|r| r.seed == seed).cloned().collect();
            if mine.len() == archs {
                held.1 += 1;
                held.0 += (self.claim)(&Seed { rows: &mine }) as usize;
            }
        }
        held
    }
}

/// The preset whose experiment `c` is, if any.
pub fn matching(c: &Config) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.matches(c))
}

/// One seed's runs of a preset: a summary per architecture.
pub struct Seed<'a> {
    pub rows: &'a [Summary],
}

impl Seed<'_> {
    fn of(&self, a: Arch) -> &Summary {
        self.rows.iter().find(|r| r.arch == a).expect("the preset trains this architecture")
    }
    /// Validation loss relative to the chance baseline (a failed run: infinite).
    fn ratio(&self, a: Arch) -> f64 {
        self.loss(a) / self.of(a).baseline
    }
    fn loss(&self, a: Arch) -> f64 {
        self.of(a).rank_loss()
    }
    /// The validation metric as judged: a failed run's is the worst there is.
    fn metric(&self, a: Arch) -> f64 {
        self.of(a).judged(Measure::ValMetric)
    }
    fn test(&self, a: Arch) -> f64 {
        self.of(a).judged(Measure::TestMetric)
    }
    /// a ends with a lower validation loss than b (a failed run never does).
    fn below(&self, a: Arch, b: Arch) -> bool {
        self.loss(a) < self.loss(b)
    }
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Counting beyond training",
        query: "task=anbn&len=10&cells=16&archs=lstm,gru&steps=2000&seeds=6",
        shows: "Counting aⁿbⁿ: both learn n ≤ 10, and on longer strings the LSTM's cell state keeps counting further \
                than the GRU (Weiss et al. 2018 saw the same).",
        claim: |s| s.metric(Lstm) > 0.95 && s.metric(Gru) > 0.95 && s.test(Lstm) > s.test(Gru),
        fails: &[],
    },
    Preset {
        name: "Adding, long delay",
        query: "task=adding&len=100&cells=16&archs=lstm,gru,rnn&steps=2500&seeds=6",
        shows: "Over 100 steps the gated cells find the two marked numbers (below 10% of the chance loss) and the \
                plain RNN stays at the baseline.",
        claim: |s| s.ratio(Lstm) < 0.1 && s.ratio(Gru) < 0.1 && s.ratio(Rnn) > 0.8,
        fails: &[12],
    },
    Preset {
        name: "Adding, 30 steps: GRU ahead",
        query: "task=adding&len=30&cells=16&archs=lstm,gru&steps=1500&seeds=10",
        shows: "At the default 30 steps both learn the adding problem, and on a single seed the GRU usually ends \
                with the lower validation loss: the odds count the held-out seeds where it did. Whether a set of seeds \
                names a clear winner is the head-to-head's call (a sign test and an interval that agree).",
        claim: |s| s.below(Gru, Lstm) && s.ratio(Lstm) < 0.3 && s.ratio(Gru) < 0.3,
        fails: &[49],
    },
    Preset {
        name: "No clear winner: sine at equal parameters",
        query: "task=sine&len=50&cells=12&archs=lstm,gru,rnn&match=1&steps=800&seeds=6",
        shows: "No clear winner: a short-memory forecast at equal parameter budgets (LSTM 12, GRU 14, RNN 25 cells) \
                ends with all three within 0.02 explained variance of each other; the gates buy nothing here.",
        claim: |s| {
            let m = [s.metric(Lstm), s.metric(Gru), s.metric(Rnn)];
            m.iter().all(|v| v.is_finite()) && m.iter().cloned().fold(f64::MIN, f64::max) - m.iter().cloned().fold(f64::MAX, f64::min) < 0.02
        },
        fails: &[],
    },
    Preset {
        name: "Copy after 20 blanks: GRU ahead",
        query: "task=copy&len=20&symbols=3&cells=32&archs=lstm,gru&lr=0.01&steps=2000&seeds=6",
        shows: "Recalling 3 symbols after 20 blanks at learning rate 0.01: the GRU learns it (over 95% recalled) and \
                ends with a lower validation loss than the LSTM.",
        claim: |s| s.metric(Gru) > 0.95 && s.below(Gru, Lstm),
        fails: &[38],
    },
    Preset {
        name: "Memorising a small set",
        query: "task=adding&len=20&cells=64&archs=lstm,gru&train=32&steps=1500&seeds=6",
        shows: "With only 32 training sequences both drive the training loss below 1% of their validation loss: \
                memorised, not learned.",
        claim: |s| [Lstm, Gru].iter().all(|&a| s.of(a).train_loss < 0.01 * s.loss(a)),
        fails: &[14, 15],
    },
    Preset {
        name: "Vanishing gradients",
        query: "task=adding&len=60&cells=16&archs=gru,rnn&steps=1500&seeds=6",
        shows: "After training, less than 1% of the RNN's gradient reaches the first step, against more than 5% of the \
                GRU's (see the gradient-flow chart).",
        claim: |s| {
            let (r, g) = (s.of(Rnn).decay(), s.of(Gru).decay());
            r < 0.01 && g > 0.05
        },
        fails: &[21],
    },
    Preset {
        name: "Parity, target at the end",
        query: "task=parity&len=3&parity=end&cells=16&archs=lstm,gru,rnn&steps=3000&seeds=6",
        shows: "Only the last step has a target: LSTM and GRU learn 3-bit parity, and on 6 bits the LSTM's solution \
                carries further than the GRU's.",
        claim: |s| s.metric(Lstm) > 0.99 && s.metric(Gru) > 0.99 && s.test(Lstm) > s.test(Gru),
        fails: &[17, 20, 26, 33, 44, 47, 48, 49],
    },
    Preset {
        name: "Forget-gate bias off",
        query: "task=copy&len=10&cells=16&archs=lstm,gru&lr=0.02&fbias=0&steps=1500&seeds=6",
        shows: "Without the +1 forget bias (Jozefowicz et al. 2015) the LSTM stays at chance while the GRU gets below \
                half of it.",
        claim: |s| s.ratio(Lstm) > 0.9 && s.ratio(Gru) < 0.5,
        fails: &[11, 24, 29],
    },
    Preset {
        name: "Embedded Reber grammar",
        query: "task=reber&len=20&cells=16&archs=lstm,gru,rnn&steps=1500&seeds=6",
        shows: "The LSTM's first benchmark (Hochreiter & Schmidhuber 1997): it makes every next-symbol prediction legal \
                on at least 95% of the strings. Compare the GRU and the plain RNN seed by seed above.",
        claim: |s| s.metric(Lstm) > 0.95,
        fails: &[26],
    },
    Preset {
        name: "Dyck-1: counting brackets",
        query: "task=dyck&pairs=1&len=20&cells=16&archs=lstm,gru,rnn&steps=2000&seeds=6",
        shows: "One kind of bracket: LSTM and GRU both learn strings up to 20, and on longer ones the LSTM gets more \
                strings fully right than the GRU (as Suzgun et al. 2019 found).",
        claim: |s| s.metric(Lstm) > 0.9 && s.metric(Gru) > 0.9 && s.test(Lstm) > s.test(Gru),
        fails: &[26, 32, 33],
    },
    Preset {
        name: "Dyck-2: a stack",
        query: "task=dyck&pairs=2&len=20&cells=16&archs=lstm,gru,rnn&steps=2000&seeds=6",
        shows: "Two kinds of bracket need a stack, not a counter: the LSTM ends with the lowest validation loss of the \
                three.",
        claim: |s| s.below(Lstm, Gru) && s.below(Lstm, Rnn),
        fails: &[15],
    },
    Preset {
        name: "Real text, early on",
        query: "task=text&len=50&cells=32&archs=lstm,gru,rnn&steps=600&seeds=3",
        shows: "Tiny Shakespeare after 600 steps of 32 cells: the GRU has the lowest bits per character of the three, \
                and the LSTM is still behind even the plain RNN this early (Chung et al. 2014 found \
                GRU and LSTM close after long training).",
        claim: |s| s.below(Gru, Rnn) && s.below(Rnn, Lstm),
        fails: &[],
    },
    // The gate lab: what one part of a cell is for.
    Preset {
        name: "Gate lab: no input gate, no sum",
        query: "task=adding&len=25&cells=16&archs=lstm,lstm-nig&steps=1500&seeds=6",
        shows: "Why the LSTM has an input gate: without it (i = 1) every step's candidate is written into the cell, \
                the two marked numbers drown among the others, and the LSTM-NIG gets under 75% of the sums within \
                0.04 where the full LSTM gets over 85%, with a higher validation loss.",
        claim: |s| s.metric(Lstm) > 0.85 && s.metric(LstmNig) < 0.75 && s.below(Lstm, LstmNig),
        fails: &[19, 25, 28, 34, 37, 39, 41],
    },
    Preset {
        name: "Gate lab: coupled gates stop counting",
        query: "task=anbn&len=10&cells=16&archs=lstm,lstm-cifg&steps=2000&seeds=6",
        shows: "Why counting needs a separate forget gate: coupling f = 1 - i (CIFG) makes the cell a blend of its \
                old value and the candidate, bounded like the GRU's state. Both learn aⁿbⁿ to n = 10, and on longer \
                strings the full LSTM gets more fully right than the CIFG (Weiss et al. 2018's argument).",
        claim: |s| s.metric(Lstm) > 0.95 && s.metric(LstmCifg) > 0.95 && s.test(Lstm) > s.test(LstmCifg),
        fails: &[11],
    },
    Preset {
        name: "Gate lab: minGRU cannot keep parity",
        query: "task=parity&len=10&cells=16&archs=gru,mingru&steps=2000&seeds=6",
        shows: "Why the gates read h: minGRU's gate and candidate see only the input, so its state is a blend of \
                inputs that no input can flip. The GRU tracks running parity (over 99% of bits right) and minGRU \
                stays under 80% (chance is 50%).",
        claim: |s| s.metric(Gru) > 0.99 && s.metric(MinGru) < 0.8,
        fails: &[],
    },
];

/// A finding about searches: a search query and a claim on its whole result, with odds over
/// repeated searches (each seed is a search of its own: other points, other run seeds).
pub struct SearchPreset {
    pub name: &'static str,
    pub query: &'static str,
    pub shows: &'static str,
    pub claim: fn(&SearchFile) -> bool,
    /// The held-out seeds whose search did not bear the claim out.
    pub fails: &'static [u64],
}

impl SearchPreset {
    pub fn config(&self) -> Config {
        parse(self.query).expect("search presets are clean configs")
    }

    pub fn odds(&self) -> (usize, usize) {
        held_out(self.fails)
    }

    /// "holds in 37 of 40 held-out searches (95% interval 80%-97%)".
    pub fn odds_text(&self) -> String {
        odds_sentence(self.fails, "searches")
    }

    /// Whether `c` is this search, whatever its seed and page-only settings.
    pub fn matches(&self, c: &Config) -> bool {
        let plain = |c: &Config| Config { seed: 0, ..c.experiment() };
        plain(&self.config()) == plain(c)
    }
}

/// Greff et al. 2017 ("LSTM: A Search Space Odyssey"), on one search: for both architectures
/// the learning rate explains more than half of the variance of log validation loss and more
/// than the cells do, and the two together add less than a tenth beyond that.
fn learning_rate_matters_most(f: &SearchFile) -> bool {
    [Arch::Lstm, Arch::Gru].iter().all(|a| {
        let (Some(imp), Some(inter)) = (f.importance.get(a), f.interaction.get(a)) else { return false };
        let (lr, cells) = (imp["lr"].share, imp["cells"].share);
        lr > 0.5 && lr > cells && inter.share < 0.1
    })
}

pub const SEARCH_PRESETS: &[SearchPreset] = &[
    SearchPreset {
        name: "Search: the learning rate matters most (parity)",
        query: "task=parity&len=10&lr=0.0001..0.1&cells=4..64&archs=lstm,gru&trials=20&halving=1&seeds=2&confirm=0&steps=400",
        shows: "As Greff et al. (2017) found for speech, handwriting and music: over 20 trials of learning rate (1e-4 to \
                0.1) and cells (4 to 64), the learning rate explains more than half of the variance of log validation \
                loss for both LSTM and GRU, more than the cells, and the two together add less than a tenth.",
        claim: learning_rate_matters_most,
        fails: &[],
    },
    SearchPreset {
        name: "Search: the learning rate matters most (Dyck-1)",
        query: "task=dyck&len=16&lr=0.0001..0.1&cells=4..64&archs=lstm,gru&trials=20&halving=1&seeds=2&confirm=0&steps=400",
        shows: "The same on bracket strings: the learning rate explains more than half of the variance of log validation \
                loss for both LSTM and GRU, more than the cells, and their interaction less than a tenth.",
        claim: learning_rate_matters_most,
        fails: &[48],
    },
];

/// The search presets whose search `c` is.
pub fn matching_search(c: &Config) -> Option<&'static SearchPreset> {
    SEARCH_PRESETS.iter().find(|p| p.matches(c))
}

/// Runs one search here, every stage in turn on `threads` threads (the gallery's checks).
#[cfg(not(target_arch = "wasm32"))]
pub fn search_here(c: &Config, threads: usize) -> SearchFile {
    let e = crate::experiment::plan::Experiment::Config(Box::new(c.clone()));
    SearchFile::new(c, &crate::experiment::plan::run_here(&e, threads))
}

/// Re-checks search presets: each seed is one search. Returns, per preset, the seeds it held on.
#[cfg(not(target_arch = "wasm32"))]
pub fn measure_searches(
    presets: &[&SearchPreset],
    seeds: RangeInclusive<u64>,
    threads: usize,
    mut tick: impl FnMut(usize, usize),
) -> Vec<Vec<u64>> {
    let seeds: Vec<u64> = seeds.collect();
    let total = presets.len() * seeds.len();
    let mut done = 0;
    presets
        .iter()
        .map(|p| {
            seeds
                .iter()
                .copied()
                .filter(|&seed| {
                    let held = (p.claim)(&search_here(&Config { seed, ..p.config() }, threads));
                    done += 1;
                    tick(done, total);
                    held
                })
                .collect()
        })
        .collect()
}

/// Re-checks presets on `seeds`: each seed's runs (one per architecture, trained on `threads`
/// threads) and whether the claim held. Returns, per preset, the seeds it held on.
#[cfg(not(target_arch = "wasm32"))]
pub fn measure(
    presets: &[&Preset],
    seeds: RangeInclusive<u64>,
    threads: usize,
    tick: impl FnMut(usize, usize),
) -> Vec<Vec<u64>> {
    use crate::experiment::job::Job;
    use crate::run::RunSpec;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let seeds: Vec<u64> = seeds.collect();
    // Every run: (preset, job), costliest first so the threads finish together.
    let mut jobs = Vec::new();
    for (i, p) in presets.iter().enumerate() {
        for &seed in &seeds {
            let one = Config { seed, seeds: 1, ..p.config() };
            jobs.extend(RunSpec::all(&one).into_iter().map(|spec| (i, Job::new(one.clone(), spec))));
        }
    }
    jobs.sort_by(|a, b| b.1.cost().flop.total_cmp(&a.1.cost().flop));
    let done = AtomicUsize::new(0);
    let mut tick = tick;
    let rows = crate::pool::run(
        jobs.len(),
        threads,
        |k| jobs[k].1.run(|| 0.0, &mut |_| {}),
        |_, _| {
            done.fetch_add(1, Ordering::Relaxed);
        },
        || tick(done.load(Ordering::Relaxed), jobs.len()),
    );
    (0..presets.len())
        .map(|i| {
            // A run that failed to finish (a panic) leaves its seed unproven.
            let mine: Vec<Summary> = jobs
                .iter()
                .zip(&rows)
                .filter(|(j, _)| j.0 == i)
                .filter_map(|(_, r)| r.as_ref().ok().cloned())
                .collect();
            seeds
                .iter()
                .copied()
                .filter(|&s| {
                    presets[i].check(&mine.iter().filter(|r| r.seed == s).cloned().collect::<Vec<_>>())
                        == (1, 1)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunState;

    /// A run that diverged or crashed is no evidence for a claim about its values: its metric is
    /// the worst there is and its gradient decay is no number (before the outcome API, a
    /// diverged RNN passed "less than 1% of the RNN's gradient reaches the first step" and a
    /// failed run's last finite accuracy counted).
    #[test]
    fn a_failed_run_never_makes_a_claim_hold() {
        let by_name = |n: &str| PRESETS.iter().find(|p| p.name == n).unwrap();
        let row = |arch, state, decay: f64, metric: f64| Summary {
            state,
            grad_decay: decay,
            val_metric: metric,
            test_metric: metric,
            ..Summary::example(arch, 16, 0.01, 1, 0.1)
        };
        let vanishing = by_name("Vanishing gradients");
        for state in [RunState::Diverged, RunState::Crashed] {
            let rows = [row(Gru, RunState::Done, 0.5, 0.9), row(Rnn, state, f64::NAN, 0.9)];
            assert!(!(vanishing.claim)(&Seed { rows: &rows }), "{state:?}");
        }
        let rows = [row(Gru, RunState::Done, 0.5, 0.9), row(Rnn, RunState::Done, 0.001, 0.9)];
        assert!((vanishing.claim)(&Seed { rows: &rows }), "a finished RNN whose gradient vanished");
        let counting = by_name("Counting beyond training");
        let rows = [row(Lstm, RunState::Diverged, f64::NAN, 0.99), row(Gru, RunState::Done, 0.5, 0.96)];
        assert!(!(counting.claim)(&Seed { rows: &rows }), "a diverged LSTM's last accuracy is no pass");
    }

    #[test]
    fn every_preset_is_a_clean_config_whose_claim_held_on_at_least_30_of_40_held_out_seeds() {
        for p in PRESETS {
            let c = crate::config::parse(p.query).unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            assert!(c.seeds >= 3, "{}: the page opens a preset with at least 3 seeds", p.name);
            assert!(p.matches(&Config { seed: 77, seeds: 1, ..c.clone() }), "{}", p.name);
            assert!(p.fails.iter().all(|s| HELD_OUT.contains(s)), "{}", p.name);
            let (k, n) = p.odds();
            assert!(4 * k >= 3 * n, "{}: {k} of {n} is too weak a claim to state", p.name);
            assert!(!p.shows.contains(" of 10 seeds"), "{}: the odds come from the held-out seeds", p.name);
        }
        assert!(PRESETS.iter().any(|p| p.shows.starts_with("No clear winner")));
        for task in crate::tasks::TaskKind::ALL {
            let has = PRESETS.iter().any(|p| p.config().task == task);
            let exempt = task == crate::tasks::TaskKind::Order || task.needs_data();
            assert!(has || exempt, "{task:?} has a finding in the gallery");
        }
        for p in SEARCH_PRESETS {
            let c = p.config();
            assert!(
                c.plan() == crate::config::Plan::Search
                    && c.range("lr").is_some()
                    && c.range("cells").is_some(),
                "{}",
                p.name
            );
            assert!(matching_search(&Config { seed: 99, ..c }).is_some_and(|m| m.name == p.name));
            let (k, n) = p.odds();
            assert!(4 * k >= 3 * n, "{}: {k} of {n} is too weak a claim to state", p.name);
        }
        let p = &PRESETS[0];
        assert!(matching(&p.config()).is_some_and(|m| m.name == p.name));
        assert!(matching(&Config { steps: 7, ..p.config() }).is_none());
    }
}
