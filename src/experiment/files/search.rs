//! `search.json`.

use super::{check_rows, clean_query, parse_json};
use crate::config::{Config, Plan};
use crate::experiment::ablation::{ablation, AblationRow};
use crate::experiment::search::halving::rungs;
use crate::experiment::search::importance::{caution, Share};
use crate::experiment::search::space::{self, points, Point};
use crate::experiment::search::{
    best_trial, jobs, rung, trial_rows, verdict, what_mattered, RungResult, Trial,
};
use crate::experiment::summary::Summary;
use crate::experiment::verdict::LenVerdict;
use crate::nn::arithmetic::Arithmetic;
use crate::nn::Arch;
use crate::stats::median;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `search.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchFile {
    pub query: String,
    /// Exact, or fused (`gatelab --fast`): how every run's numbers were computed.
    #[serde(default)]
    pub arithmetic: Arithmetic,
    pub trials: Vec<Trial>,
    /// Training steps each architecture's search took (the same for every one).
    pub budget: BTreeMap<Arch, usize>,
    /// Each architecture's best trial's values.
    pub best: BTreeMap<Arch, BTreeMap<String, f64>>,
    pub confirm: Vec<Summary>,
    pub verdict: Vec<LenVerdict>,
    /// Per architecture, per searched key: the share of the variance of log validation loss
    /// it explains in the first rung (where every trial is), with its 95% interval.
    pub importance: BTreeMap<Arch, BTreeMap<String, Share>>,
    /// Per architecture: the learning rate x cells interaction (when both are searched).
    pub interaction: BTreeMap<Arch, Share>,
    /// The steps of the rung importance is measured in.
    pub importance_steps: usize,
    /// Each variant against its base cell on the confirmation's fresh seeds (where both were
    /// searched): the gate lab's ablation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ablation: Vec<AblationRow>,
}

fn values(p: &Point) -> BTreeMap<String, f64> {
    p.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl SearchFile {
    /// Reads a search.json, checking what it claims: a clean search query, and rungs and a
    /// confirmation that are that search's, run by run (the whole file is computed again from
    /// its runs and must be what it says). Errors say what is wrong.
    pub fn read(text: &str) -> Result<(Config, SearchFile, Vec<Vec<Summary>>), String> {
        let file: SearchFile = parse_json(text, "a search.json")?;
        let c = clean_query(&file.query)?;
        if c.plan() != Plan::Search {
            return Err("its query searches no range (lo..hi)".into());
        }
        let stages = file.stages(&c)?;
        Arithmetic::check(file.arithmetic, stages.iter().flatten().map(|r| &r.arithmetic))?;
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
            let jobs = rung(c, k, &done);
            let mut rows = Vec::with_capacity(jobs.len());
            for j in &jobs {
                // The job's run, wherever the file holds it: `matches` checks its trial tag, and
                // `new` below puts every run back under its own trial.
                let mut held =
                    self.trials.iter().filter(|t| t.arch == j.spec.arch).filter_map(|t| t.rungs.get(k));
                match held.find_map(|rr| rr.runs.iter().find(|x| j.matches(x))) {
                    Some(x) => rows.push(x.clone()),
                    None => {
                        return Err(format!(
                            "rung {}: trial {} of the {} has no run of seed {}",
                            k + 1,
                            j.trial.map_or(0, |t| t + 1),
                            j.spec.arch.upper(),
                            j.spec.seed
                        ))
                    }
                }
            }
            done.push(rows);
        }
        if !self.confirm.is_empty() {
            check_rows("the confirmation", &jobs(c, r.len(), &done), &self.confirm)?;
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
                    let runs: Vec<Summary> = trial_rows(&stages[k], arch, t).into_iter().cloned().collect();
                    if runs.is_empty() {
                        break;
                    }
                    let m = median(&runs.iter().map(Summary::rank_loss).collect::<Vec<_>>());
                    reached.push(RungResult { steps: r[k].steps, median_val_loss: m, runs });
                }
                trials.push(Trial { arch, values: values(p), rungs: reached });
            }
            // The steps this architecture's runs were given, rung by rung, from its own rows.
            let mine = trials.iter().filter(|t: &&Trial| t.arch == arch).flat_map(|t| &t.rungs);
            budget.insert(arch, mine.map(|rr| rr.steps * rr.runs.len()).sum());
        }
        let complete = done == r.len();
        let best: BTreeMap<Arch, BTreeMap<String, f64>> = c
            .archs
            .iter()
            .filter(|_| complete)
            .filter_map(|&a| Some((a, values(&pts[best_trial(c, a, stages)?]))))
            .collect();
        let confirm: Vec<Summary> = stages.get(r.len()).cloned().unwrap_or_default();
        let verdict = if complete { vec![verdict(c, stages, &confirm)] } else { Vec::new() };
        let (importance, interaction) = what_mattered(c, &trials);
        let ablation = ablation(&confirm);
        SearchFile {
            query: c.to_string(),
            arithmetic: Arithmetic::of(stages.iter().flatten().map(|r| &r.arithmetic)),
            trials,
            budget,
            best,
            confirm,
            verdict,
            importance,
            interaction,
            importance_steps: r[0].steps,
            ablation,
        }
    }
}

impl SearchFile {
    /// What to say beside what mattered: the fewest trials that trained among the architectures
    /// decides (`importance::caution`).
    pub fn importance_caution(&self) -> Option<String> {
        let trained = |a: Arch| self.trials.iter().filter(|t| t.arch == a && t.trained()).count();
        let fewest = self.budget.keys().map(|&a| trained(a)).min()?;
        caution(fewest)
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
