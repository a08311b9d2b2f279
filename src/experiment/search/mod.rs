//! A search instead of a grid: `trials` points of the searched ranges (the same for every
//! architecture, the same seeds, the same budget), successive halving over synchronous rungs,
//! then each architecture's best trial trained again from scratch on `confirm` fresh seeds,
//! which alone judge the verdict; and what mattered, per architecture. The stages run as a
//! sweep's do (`plan.rs`): on the CLI's threads, a cluster's shards or the page's workers.

pub mod halving;
pub mod importance;
pub mod space;

use crate::config::Config;
use crate::experiment::job::{Job, Stage, StageEstimate};
use crate::experiment::summary::Summary;
use crate::experiment::verdict::{judge, Best, Choice, LenVerdict};
use crate::nn::Arch;
use crate::run::RunSpec;
use crate::stats::median;
use halving::{best, rungs};
use importance::{first_order, interaction, with_interval, Share};
use serde::{Deserialize, Serialize};
use space::{apply, points};
use std::collections::BTreeMap;

/// The stages of a search: its rungs, then the confirmation.
pub fn stages(c: &Config) -> Vec<Stage> {
    let r = rungs(c.trials, c.halving, c.steps);
    let mut s: Vec<Stage> = (0..r.len()).map(|k| Stage::Rung { k, of: r.len(), steps: r[k].steps }).collect();
    if c.confirm > 0 {
        s.push(Stage::Confirm);
    }
    s
}

/// The job of `arch` at trial `t` of config `tc` (its budget already set) on `seed`.
fn job(c: &Config, tc: Config, t: usize, arch: Arch, seed: u64) -> Job {
    let spec =
        RunSpec { arch, hidden: tc.hidden_for(arch, tc.cells[0]), len: c.lens[0], lr: tc.lrs[0], seed };
    Job { config: tc, spec, trial: Some(t) }
}

/// Rung `k`'s jobs, each tagged with its trial: by architecture, trial, seed.
pub(crate) fn rung(c: &Config, k: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    let (r, pts) = (rungs(c.trials, c.halving, c.steps), points(c));
    let mut out = Vec::new();
    for &arch in &c.archs {
        for t in survivors(c, k, arch, earlier) {
            let cfg = Config { steps: r[k].steps, ..apply(c, &pts[t]) };
            out.extend(c.seed_list().into_iter().map(|seed| job(c, cfg.clone(), t, arch, seed)));
        }
    }
    out
}

/// The trials of `arch` in rung `k`: all of them in the first, then the best of the rung
/// before by median validation loss over seeds (a failed seed counts as the worst).
fn survivors(c: &Config, k: usize, arch: Arch, earlier: &[Vec<Summary>]) -> Vec<usize> {
    if k == 0 {
        return (0..c.trials).collect();
    }
    let before = scores(arch, &earlier[k - 1]);
    best(&before.iter().map(|s| s.1).collect::<Vec<_>>(), rungs(c.trials, c.halving, c.steps)[k].trials)
        .into_iter()
        .map(|i| before[i].0)
        .collect()
}

/// `arch`'s runs of trial `t` among a rung's rows, found by their trial tag.
pub(crate) fn trial_rows(rows: &[Summary], arch: Arch, t: usize) -> Vec<&Summary> {
    rows.iter().filter(|r| r.arch == arch && r.trial == Some(t)).collect()
}

/// (trial, median validation loss) of `arch`'s trials in one rung's rows, by trial.
fn scores(arch: Arch, rows: &[Summary]) -> Vec<(usize, f64)> {
    let mut trials: Vec<usize> = rows.iter().filter(|r| r.arch == arch).filter_map(|r| r.trial).collect();
    trials.sort();
    trials.dedup();
    trials
        .into_iter()
        .map(|t| (t, median(&trial_rows(rows, arch, t).iter().map(|r| r.rank_loss()).collect::<Vec<_>>())))
        .collect()
}

/// The jobs of stage `stage` given the earlier stages' results.
pub fn jobs(c: &Config, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    let r = rungs(c.trials, c.halving, c.steps);
    if stage < r.len() {
        return rung(c, stage, earlier);
    }
    if stage > r.len() || c.confirm == 0 || earlier.len() < r.len() {
        return Vec::new();
    }
    let pts = points(c);
    let mut out = Vec::new();
    for seed in c.fresh_seeds() {
        for &arch in &c.archs {
            if let Some(t) = best_trial(c, arch, earlier) {
                out.push(job(c, apply(c, &pts[t]), t, arch, seed));
            }
        }
    }
    out
}

/// Runs and work of each stage before anything has run: a later rung at its costliest
/// trials, the confirmation at each architecture's costliest trial.
pub fn estimate(c: &Config) -> Vec<StageEstimate> {
    let (r, pts) = (rungs(c.trials, c.halving, c.steps), points(c));
    let mut out = Vec::new();
    for (k, stage) in stages(c).into_iter().enumerate() {
        let (trials, steps, seeds) = match r.get(k) {
            Some(rung) => (rung.trials, rung.steps, c.seeds),
            None => (1, c.steps, c.confirm),
        };
        let (mut runs, mut flop) = (0, 0.0);
        for &arch in &c.archs {
            let mut costs: Vec<f64> = pts
                .iter()
                .map(|p| job(c, Config { steps, ..apply(c, p) }, 0, arch, c.seed).cost().flop)
                .collect();
            costs.sort_by(|a, b| b.total_cmp(a));
            runs += trials * seeds;
            flop += costs.iter().take(trials).sum::<f64>() * seeds as f64;
        }
        out.push((stage, runs, flop / 1e9));
    }
    out
}

/// `arch`'s best trial in the last rung.
pub(crate) fn best_trial(c: &Config, arch: Arch, earlier: &[Vec<Summary>]) -> Option<usize> {
    let last = rungs(c.trials, c.halving, c.steps).len() - 1;
    let s = scores(arch, earlier.get(last)?);
    best(&s.iter().map(|x| x.1).collect::<Vec<_>>(), 1).first().map(|&i| s[i].0)
}

/// One rung of one trial in `search.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RungResult {
    pub steps: usize,
    #[serde(with = "crate::nullable")]
    pub median_val_loss: f64,
    pub runs: Vec<Summary>,
}

/// One trial of one architecture: its values, and how it fared in each rung it reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    pub arch: Arch,
    pub values: BTreeMap<String, f64>,
    pub rungs: Vec<RungResult>,
}

impl Trial {
    /// Whether it has a loss to explain: a median validation loss in the first rung.
    pub fn trained(&self) -> bool {
        self.rungs.first().is_some_and(|r| r.median_val_loss.is_finite())
    }
}

/// The verdict: each architecture's best trial (by the last rung), judged on the
/// confirmation's fresh seeds.
pub(crate) fn verdict(c: &Config, stages: &[Vec<Summary>], confirm: &[Summary]) -> LenVerdict {
    let last = rungs(c.trials, c.halving, c.steps).len() - 1;
    let mut choices: Vec<Choice> = c
        .archs
        .iter()
        .filter_map(|&a| {
            let rows = trial_rows(&stages[last], a, best_trial(c, a, stages)?);
            Some(Choice { best: Best::of(&rows)?, rows })
        })
        .collect();
    choices.sort_by(|x, y| x.best.median_val_loss.total_cmp(&y.best.median_val_loss));
    let fresh: Vec<&Summary> = confirm.iter().collect();
    judge(c.lens[0], c.names_len(), &choices, &fresh)
}

/// Importance per architecture, from the first rung (every trial, one budget): log median
/// validation loss against each searched key (cells, batch and clipping on a log scale, as
/// they are searched), over the trials that trained (a failed trial has no loss to explain).
#[allow(clippy::type_complexity)]
pub(crate) fn what_mattered(
    c: &Config,
    trials: &[Trial],
) -> (BTreeMap<Arch, BTreeMap<String, Share>>, BTreeMap<Arch, Share>) {
    let (mut imp, mut inter) = (BTreeMap::new(), BTreeMap::new());
    for &arch in &c.archs {
        let mine: Vec<&Trial> = trials.iter().filter(|t| t.arch == arch && t.trained()).collect();
        if mine.len() < importance::MIN_TRIALS {
            continue;
        }
        let y: Vec<f64> = mine.iter().map(|t| libm::log(t.rungs[0].median_val_loss.max(1e-300))).collect();
        let x = |key: &str| -> Vec<f64> {
            let log =
                crate::config::keys::key(key).and_then(|k| k.search) == Some(crate::config::keys::Scale::Log);
            mine.iter().map(|t| if log { libm::log(t.values[key]) } else { t.values[key] }).collect()
        };
        let seed = c.seed ^ 0x1A9;
        let mut shares = BTreeMap::new();
        for r in &c.ranges {
            let xs = x(r.key);
            let share = with_interval(mine.len(), seed, |ix| {
                let (a, b): (Vec<f64>, Vec<f64>) = ix.iter().map(|&i| (xs[i], y[i])).unzip();
                first_order(&a, &b)
            });
            shares.insert(r.key.to_string(), share);
        }
        if c.range("lr").is_some() && c.range("cells").is_some() {
            let (l, ce) = (x("lr"), x("cells"));
            let s = with_interval(mine.len(), seed, |ix| {
                let pick = |v: &[f64]| ix.iter().map(|&i| v[i]).collect::<Vec<f64>>();
                interaction(&pick(&l), &pick(&ce), &pick(&y))
            });
            inter.insert(arch, s);
        }
        imp.insert(arch, shares);
    }
    (imp, inter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::experiment::files::search::SearchFile;
    use crate::run::RunState;

    /// Fake results: the loss is the distance of log lr from log 0.01 (plus a little per seed).
    fn fake(jobs: &[Job]) -> Vec<Summary> {
        jobs.iter()
            .map(|j| {
                let s = j.spec;
                let loss = (libm::log(s.lr as f64) - libm::log(0.01)).abs()
                    + 0.01 * s.seed as f64
                    + if s.arch == Arch::Gru { 0.0 } else { 0.5 };
                Summary {
                    len: s.len,
                    trial: j.trial,
                    steps: j.config.steps,
                    state: RunState::Done,
                    ..Summary::example(s.arch, s.hidden, s.lr, s.seed, loss)
                }
            })
            .collect()
    }

    #[test]
    fn equal_budgets_halving_and_a_confirmation_on_fresh_seeds() {
        let c = parse("task=adding&lr=1e-4..0.1&cells=4..32&archs=lstm,gru&trials=9&halving=3&seeds=2&confirm=3&steps=90&seed=5")
            .unwrap();
        let st = stages(&c);
        assert_eq!(st.len(), 3 + 1, "rungs at 10, 30 and 90 steps, then the confirmation");
        let mut done: Vec<Vec<Summary>> = Vec::new();
        for s in 0..st.len() {
            let jobs = jobs(&c, s, &done);
            match s {
                0 => assert_eq!(jobs.len(), 2 * 9 * 2),
                1 => assert_eq!(jobs.len(), 2 * 3 * 2),
                2 => assert_eq!(jobs.len(), 2 * 2, "one trial per architecture, two seeds"),
                _ => assert!(
                    jobs.len() == 2 * 3
                        && jobs.iter().all(|j| (7..10).contains(&j.spec.seed) && j.config.steps == 90)
                ),
            }
            done.push(fake(&jobs));
        }
        let f = SearchFile::new(&c, &done);
        // The steps each architecture's runs spent, read from the runs themselves.
        let spent = |a: Arch| -> usize {
            f.trials
                .iter()
                .filter(|t| t.arch == a)
                .flat_map(|t| &t.rungs)
                .flat_map(|r| &r.runs)
                .map(|r| r.steps)
                .sum()
        };
        assert_eq!(spent(Arch::Lstm), spent(Arch::Gru), "equal budgets");
        assert_eq!(spent(Arch::Gru), 9 * 2 * 10 + 3 * 2 * 30 + 2 * 90);
        assert_eq!((f.budget[&Arch::Lstm], f.budget[&Arch::Gru]), (spent(Arch::Lstm), spent(Arch::Gru)));
        // The survivors are those nearest lr 0.01: the best trial's lr is the nearest of all.
        let nearest = points(&c)
            .iter()
            .map(|p| p.iter().find(|x| x.0 == "lr").unwrap().1)
            .min_by(|a, b| (a.ln() - 0.01f64.ln()).abs().total_cmp(&(b.ln() - 0.01f64.ln()).abs()))
            .unwrap();
        assert_eq!(f.best[&Arch::Gru]["lr"], nearest);
        let v = &f.verdict[0];
        assert!(v.confirmed && v.seeds == 3, "{v:?}");
        assert!(v.text.contains("GRU's validation loss is"), "{}", v.text);
        assert!(v.text.contains("Confirmed on 3 fresh seeds"), "{}", v.text);
        assert!(f.importance[&Arch::Gru]["lr"].share > f.importance[&Arch::Gru]["cells"].share);
        assert_eq!(f.trials.len(), 2 * 9);
        assert_eq!(
            f.trials.iter().filter(|t| t.rungs.len() == 3).count(),
            2,
            "one trial per arch reaches the last rung"
        );
        let p = f.progress(Arch::Gru);
        assert_eq!(p.last().unwrap().0, f.budget[&Arch::Gru] as f64, "the steps spent add up to the budget");
        assert!(p.windows(2).all(|w| w[1].1 <= w[0].1), "the best so far never gets worse");
        let (ex, ey, g) = f.grid(Arch::Gru, "lr", "cells", 3);
        assert_eq!((ex.len(), ey.len(), g.len(), g[0].len()), (4, 4, 3, 3));
        assert_eq!((ex[0], ey[3]), (1e-4, 32.0));
        let filled: usize = g.iter().flatten().filter(|v| v.is_finite()).count();
        assert!(filled >= 4, "9 trials over 9 cells: {g:?}");
    }
}
