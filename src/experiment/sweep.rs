//! A sweep's stages: the grid (lens x cells x lrs x seeds x archs), then each architecture's
//! best setting at each length trained again on `confirm` fresh seeds.

use crate::config::Config;
use crate::experiment::job::{Job, Stage, StageEstimate};
use crate::experiment::summary::Summary;
use crate::experiment::verdict::choose;
use crate::limits::run_cost;
use crate::run::RunSpec;

pub fn stages(c: &Config) -> Vec<Stage> {
    let mut s = vec![Stage::Grid];
    if c.confirm > 0 {
        s.push(Stage::Confirm);
    }
    s
}

/// The jobs of stage `stage`, given the grid's results when it is the confirmation.
pub fn jobs(c: &Config, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    match stages(c).get(stage) {
        Some(Stage::Grid) => RunSpec::all(c).into_iter().map(|spec| Job::new(c.clone(), spec)).collect(),
        Some(Stage::Confirm) => confirm_jobs(c, earlier.first().map_or(&[], Vec::as_slice)),
        _ => Vec::new(),
    }
}

/// Each architecture's best setting at each length, trained again on `confirm` fresh seeds.
fn confirm_jobs(c: &Config, grid: &[Summary]) -> Vec<Job> {
    let mut out = Vec::new();
    for &len in &c.lens {
        let here: Vec<&Summary> = grid.iter().filter(|r| r.len == len).collect();
        let mut chosen = choose(&here);
        chosen.sort_by_key(|ch| ch.best.arch);
        for seed in c.fresh_seeds() {
            for ch in &chosen {
                let spec = RunSpec { arch: ch.best.arch, hidden: ch.best.hidden, len, lr: ch.best.lr, seed };
                out.push(Job::new(c.clone(), spec));
            }
        }
    }
    out
}

/// Runs and work of each stage before anything has run: the confirmation as if every
/// architecture's best were its costliest setting.
pub fn estimate(c: &Config) -> Vec<StageEstimate> {
    stages(c)
        .into_iter()
        .enumerate()
        .map(|(i, stage)| {
            let jobs = if i == 0 { jobs(c, 0, &[]) } else { upper_bound(c) };
            let gflop = jobs.iter().map(|j| j.cost().flop).sum::<f64>() / 1e9;
            (stage, jobs.len(), gflop)
        })
        .collect()
}

/// The confirmation's jobs if every architecture's best were its costliest setting.
fn upper_bound(c: &Config) -> Vec<Job> {
    let costliest = |arch| {
        RunSpec::all(c)
            .into_iter()
            .filter(|s| s.arch == arch && s.seed == c.seed)
            .max_by(|a, b| run_cost(c, a).flop.total_cmp(&run_cost(c, b).flop))
    };
    let mut out = Vec::new();
    for &len in &c.lens {
        for &arch in &c.archs {
            if let Some(spec) = costliest(arch) {
                out.extend(c.fresh_seeds().map(|seed| Job::new(c.clone(), RunSpec { len, seed, ..spec })));
            }
        }
    }
    out
}
