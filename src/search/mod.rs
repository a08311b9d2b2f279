//! A search instead of a grid: `trials` points of the searched ranges (the same for every
//! architecture, the same seeds, the same budget), successive halving over synchronous rungs,
//! then each architecture's best trial trained again from scratch on `confirm` fresh seeds,
//! which alone judge the verdict; and what mattered, per architecture. The stages run as a
//! sweep's do (`plan.rs`): on the CLI's threads, a cluster's shards or the page's workers.

pub mod halving;
pub mod importance;
pub mod space;

use crate::config::Config;
use crate::nn::Arch;
use crate::plan::{Job, Stage};
use crate::run::RunSpec;
use crate::stats::median;
use crate::summary::Summary;
use crate::verdict::{judge, Best, Choice, LenVerdict};
use halving::{best, rungs};
use importance::{first_order, interaction, with_interval, Share};
use serde::{Deserialize, Serialize};
use space::{apply, points, Point};
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

/// One run of a rung: its trial, and the job.
struct Tagged {
    trial: usize,
    job: Job,
}

/// The job of `arch` at trial config `t` (its budget already set) on `seed`.
fn job(c: &Config, t: Config, arch: Arch, seed: u64) -> Job {
    let spec = RunSpec { arch, hidden: t.hidden_for(arch, t.cells[0]), len: c.lens[0], lr: t.lrs[0], seed };
    Job { config: t, spec }
}

/// Rung `k`'s runs, each with its trial: by architecture, trial, seed.
fn rung(c: &Config, k: usize, earlier: &[Vec<Summary>]) -> Vec<Tagged> {
    let (r, pts) = (rungs(c.trials, c.halving, c.steps), points(c));
    let mut out = Vec::new();
    for &arch in &c.archs {
        let going = survivors(c, k, arch, earlier);
        for t in going {
            let cfg = Config { steps: r[k].steps, ..apply(c, &pts[t]) };
            out.extend(
                c.seed_list()
                    .into_iter()
                    .map(|seed| Tagged { trial: t, job: job(c, cfg.clone(), arch, seed) }),
            );
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
    let before = scores(c, k - 1, arch, &earlier[..k]);
    best(&before.iter().map(|s| s.1).collect::<Vec<_>>(), rungs(c.trials, c.halving, c.steps)[k].trials)
        .into_iter()
        .map(|i| before[i].0)
        .collect()
}

/// (trial, median validation loss) of `arch`'s trials in rung `k`, given its rows.
fn scores(c: &Config, k: usize, arch: Arch, earlier: &[Vec<Summary>]) -> Vec<(usize, f64)> {
    let tagged = rung(c, k, &earlier[..k]);
    let rows = &earlier[k];
    let mut trials: Vec<usize> = tagged.iter().filter(|t| t.job.spec.arch == arch).map(|t| t.trial).collect();
    trials.dedup();
    trials
        .into_iter()
        .map(|t| {
            let losses: Vec<f64> = tagged
                .iter()
                .zip(rows)
                .filter(|(g, _)| g.trial == t && g.job.spec.arch == arch)
                .map(|(_, r)| r.rank_loss())
                .collect();
            (t, median(&losses))
        })
        .collect()
}

/// The jobs of stage `stage` given the earlier stages' results.
pub fn jobs(c: &Config, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    let r = rungs(c.trials, c.halving, c.steps);
    if stage < r.len() {
        return rung(c, stage, earlier).into_iter().map(|t| t.job).collect();
    }
    if stage > r.len() || c.confirm == 0 || earlier.len() < r.len() {
        return Vec::new();
    }
    let pts = points(c);
    let mut out = Vec::new();
    for seed in c.fresh_seeds() {
        for &arch in &c.archs {
            if let Some(t) = best_trial(c, arch, earlier) {
                out.push(job(c, apply(c, &pts[t]), arch, seed));
            }
        }
    }
    out
}

/// Runs and work of each stage before anything has run: a later rung at its costliest
/// trials, the confirmation at each architecture's costliest trial.
pub fn estimate(c: &Config) -> Vec<(Stage, usize, f64)> {
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
                .map(|p| job(c, Config { steps, ..apply(c, p) }, arch, c.seed).cost().flop)
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
fn best_trial(c: &Config, arch: Arch, earlier: &[Vec<Summary>]) -> Option<usize> {
    let last = rungs(c.trials, c.halving, c.steps).len() - 1;
    let s = scores(c, last, arch, earlier);
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

/// `search.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchFile {
    pub query: String,
    pub trials: Vec<Trial>,
    /// Training steps each architecture's search took (the same for every one).
    pub budget: BTreeMap<String, usize>,
    /// Each architecture's best trial's values.
    pub best: BTreeMap<String, BTreeMap<String, f64>>,
    pub confirm: Vec<Summary>,
    pub verdict: Vec<LenVerdict>,
    /// Per architecture, per searched key: the share of the variance of log validation loss
    /// it explains in the first rung (where every trial is), with its 95% interval.
    pub importance: BTreeMap<String, BTreeMap<String, Share>>,
    /// Per architecture: the learning rate x cells interaction (when both are searched).
    pub interaction: BTreeMap<String, Share>,
    /// The steps of the rung importance is measured in.
    pub importance_steps: usize,
}

fn values(p: &Point) -> BTreeMap<String, f64> {
    p.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl SearchFile {
    /// Reads a search.json, checking what it claims: a clean search query, and rungs and a
    /// confirmation that are that search's, run by run (the whole file is computed again from
    /// its runs and must be what it says). Errors say what is wrong.
    pub fn read(text: &str) -> Result<(Config, SearchFile, Vec<Vec<Summary>>), String> {
        if text.len() > crate::shard::MAX_FILE_BYTES {
            return Err(format!(
                "the file has {} bytes; a search.json has at most {}",
                text.len(),
                crate::shard::MAX_FILE_BYTES
            ));
        }
        let file: SearchFile =
            serde_json::from_str(text).map_err(|e| format!("not a Gatelab search.json: {e}"))?;
        let c = crate::shard::clean_query(&file.query)?;
        if !c.is_search() {
            return Err("its query searches no range (lo..hi)".into());
        }
        let stages = file.stages(&c)?;
        if SearchFile::new(&c, &stages) != file {
            return Err(
                "its trials, budget, best settings, verdict or importance are not what its runs give".into(),
            );
        }
        Ok((c, file, stages))
    }

    /// The runs of each stage, in the stages' order, from the trials and the confirmation.
    fn stages(&self, c: &Config) -> Result<Vec<Vec<Summary>>, String> {
        let r = rungs(c.trials, c.halving, c.steps);
        let mut done: Vec<Vec<Summary>> = Vec::new();
        for k in 0..r.len() {
            let tagged = rung(c, k, &done);
            let mut rows = Vec::with_capacity(tagged.len());
            for g in &tagged {
                let arch_at = c.archs.iter().position(|a| *a == g.job.spec.arch).unwrap_or(0);
                let row = self
                    .trials
                    .get(arch_at * c.trials + g.trial)
                    .filter(|t| t.arch == g.job.spec.arch)
                    .and_then(|t| t.rungs.get(k))
                    .and_then(|rr| rr.runs.iter().find(|x| g.job.matches(x) && x.seed == g.job.spec.seed));
                match row {
                    Some(x) => rows.push(x.clone()),
                    None => {
                        return Err(format!(
                            "rung {}: trial {} of the {} has no run of seed {}",
                            k + 1,
                            g.trial + 1,
                            g.job.spec.arch.upper(),
                            g.job.spec.seed
                        ))
                    }
                }
            }
            done.push(rows);
        }
        if !self.confirm.is_empty() {
            crate::shard::check_rows("the confirmation", &jobs(c, r.len(), &done), &self.confirm)?;
            done.push(self.confirm.clone());
        }
        Ok(done)
    }

    /// The file of a search's stages (rungs, then the confirmation if it has run).
    pub fn new(c: &Config, stages: &[Vec<Summary>]) -> SearchFile {
        let (r, pts) = (rungs(c.trials, c.halving, c.steps), points(c));
        let done = stages.len().min(r.len());
        let mut trials = Vec::new();
        let mut budget = BTreeMap::new();
        for &arch in &c.archs {
            for (t, p) in pts.iter().enumerate() {
                let mut reached = Vec::new();
                for k in 0..done {
                    let tagged = rung(c, k, &stages[..k]);
                    let runs: Vec<Summary> = tagged
                        .iter()
                        .zip(&stages[k])
                        .filter(|(g, _)| g.trial == t && g.job.spec.arch == arch)
                        .map(|(_, row)| row.clone())
                        .collect();
                    if runs.is_empty() {
                        break;
                    }
                    let m = median(&runs.iter().map(Summary::rank_loss).collect::<Vec<_>>());
                    reached.push(RungResult { steps: r[k].steps, median_val_loss: m, runs });
                }
                trials.push(Trial { arch, values: values(p), rungs: reached });
            }
            let steps: usize = (0..done).map(|k| r[k].trials * c.seeds * r[k].steps).sum();
            budget.insert(arch.name().to_string(), steps);
        }
        let complete = done == r.len();
        let best: BTreeMap<String, BTreeMap<String, f64>> = c
            .archs
            .iter()
            .filter(|_| complete)
            .filter_map(|&a| Some((a.name().to_string(), values(&pts[best_trial(c, a, stages)?]))))
            .collect();
        let confirm = stages.get(r.len()).cloned().unwrap_or_default();
        let verdict = if complete { vec![verdict(c, stages, &confirm)] } else { Vec::new() };
        let (importance, interaction) = what_mattered(c, &trials);
        SearchFile {
            query: c.to_string(),
            trials,
            budget,
            best,
            confirm,
            verdict,
            importance,
            interaction,
            importance_steps: r[0].steps,
        }
    }
}

impl SearchFile {
    /// Best median validation loss so far against training steps spent, for `arch`: rung by
    /// rung, trial by trial, each trial's rung adding its seeds' steps.
    pub fn progress(&self, arch: Arch) -> Vec<(f64, f64)> {
        let mine: Vec<&Trial> = self.trials.iter().filter(|t| t.arch == arch).collect();
        let rungs = mine.iter().map(|t| t.rungs.len()).max().unwrap_or(0);
        let (mut spent, mut best, mut out) = (0.0, f64::INFINITY, Vec::new());
        for k in 0..rungs {
            for r in mine.iter().filter_map(|t| t.rungs.get(k)) {
                spent += (r.steps * r.runs.len()) as f64;
                if r.median_val_loss < best {
                    best = r.median_val_loss;
                }
                out.push((spent, best));
            }
        }
        out
    }

    /// For `arch`'s trials in the first rung: the mean log validation loss in each cell of
    /// a `bins` x `bins` grid of two searched keys (equal steps of their scale; NaN where no
    /// trial fell), rows from the highest `y` down; and each axis's edges.
    pub fn grid(&self, arch: Arch, x: &str, y: &str, bins: usize) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let c = crate::config::parse(&self.query).ok();
        let edges = |key: &str| -> Vec<f64> {
            let Some(r) = c.as_ref().and_then(|c| c.range(key)) else { return Vec::new() };
            (0..=bins)
                .map(|i| space::value(r, i as f64 / bins as f64 - if i == bins { 1e-12 } else { 0.0 }))
                .collect()
        };
        let (ex, ey) = (edges(x), edges(y));
        let mut sum = vec![vec![(0.0, 0usize); bins]; bins];
        let cell = |e: &[f64], v: f64| {
            e.windows(2).position(|w| v < w[1]).unwrap_or(bins.saturating_sub(1)).min(bins - 1)
        };
        for t in self.trials.iter().filter(|t| t.arch == arch) {
            let (Some(&vx), Some(&vy), Some(r)) = (t.values.get(x), t.values.get(y), t.rungs.first()) else {
                continue;
            };
            if r.median_val_loss.is_finite() && ex.len() > 1 && ey.len() > 1 {
                let s = &mut sum[bins - 1 - cell(&ey, vy)][cell(&ex, vx)];
                (s.0, s.1) = (s.0 + libm::log(r.median_val_loss.max(1e-300)), s.1 + 1);
            }
        }
        let grid = sum
            .iter()
            .map(|row| row.iter().map(|&(s, n)| if n == 0 { f64::NAN } else { s / n as f64 }).collect())
            .collect();
        (ex, ey, grid)
    }
}

/// The verdict: each architecture's best trial (by the last rung), judged on the
/// confirmation's fresh seeds.
fn verdict(c: &Config, stages: &[Vec<Summary>], confirm: &[Summary]) -> LenVerdict {
    let last = rungs(c.trials, c.halving, c.steps).len() - 1;
    let tagged = rung(c, last, &stages[..last]);
    let mut choices: Vec<Choice> = c
        .archs
        .iter()
        .filter_map(|&a| {
            let t = best_trial(c, a, stages)?;
            let rows: Vec<&Summary> = tagged
                .iter()
                .zip(&stages[last])
                .filter(|(g, _)| g.trial == t && g.job.spec.arch == a)
                .map(|(_, r)| r)
                .collect();
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
fn what_mattered(
    c: &Config,
    trials: &[Trial],
) -> (BTreeMap<String, BTreeMap<String, Share>>, BTreeMap<String, Share>) {
    let (mut imp, mut inter) = (BTreeMap::new(), BTreeMap::new());
    for &arch in &c.archs {
        let mine: Vec<&Trial> = trials
            .iter()
            .filter(|t| t.arch == arch && t.rungs.first().is_some_and(|r| r.median_val_loss.is_finite()))
            .collect();
        if mine.len() < 4 {
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
            inter.insert(arch.name().to_string(), s);
        }
        imp.insert(arch.name().to_string(), shares);
    }
    (imp, inter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
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
        assert_eq!(f.budget["lstm"], f.budget["gru"], "equal budgets");
        assert_eq!(f.budget["gru"], 9 * 2 * 10 + 3 * 2 * 30 + 2 * 90);
        // The survivors are those nearest lr 0.01: the best trial's lr is the nearest of all.
        let nearest = points(&c)
            .iter()
            .map(|p| p.iter().find(|x| x.0 == "lr").unwrap().1)
            .min_by(|a, b| (a.ln() - 0.01f64.ln()).abs().total_cmp(&(b.ln() - 0.01f64.ln()).abs()))
            .unwrap();
        assert_eq!(f.best["gru"]["lr"], nearest);
        let v = &f.verdict[0];
        assert!(v.confirmed && v.seeds == 3, "{v:?}");
        assert!(v.text.contains("GRU's validation loss is"), "{}", v.text);
        assert!(v.text.contains("Confirmed on 3 fresh seeds"), "{}", v.text);
        assert!(f.importance["gru"]["lr"].share > f.importance["gru"]["cells"].share);
        assert_eq!(f.trials.len(), 2 * 9);
        assert_eq!(
            f.trials.iter().filter(|t| t.rungs.len() == 3).count(),
            2,
            "one trial per arch reaches the last rung"
        );
        let p = f.progress(Arch::Gru);
        assert_eq!(p.last().unwrap().0, f.budget["gru"] as f64, "the steps spent add up to the budget");
        assert!(p.windows(2).all(|w| w[1].1 <= w[0].1), "the best so far never gets worse");
        let (ex, ey, g) = f.grid(Arch::Gru, "lr", "cells", 3);
        assert_eq!((ex.len(), ey.len(), g.len(), g[0].len()), (4, 4, 3, 3));
        assert_eq!((ex[0], ey[3]), (1e-4, 32.0));
        let filled: usize = g.iter().flatten().filter(|v| v.is_finite()).count();
        assert!(filled >= 4, "9 trials over 9 cells: {g:?}");
    }
}
