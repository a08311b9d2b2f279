//! What a sweep trains, stage by stage. A stage is a list of independent runs (jobs); a later
//! stage's jobs depend on the results of the earlier ones, so stages are barriers: the CLI
//! runs them in turn (or a cluster runs each stage's shards, then `gatelab merge`), the page
//! the same on its workers. A sweep has two: the grid, then the confirmation of each
//! architecture's best setting on fresh seeds (`confirm=M`); a search (`search.rs`) has its
//! rungs, then the confirmation.

use crate::config::Config;
use crate::limits::{run_cost, Cost, Work};
use crate::run::{Clock, Run, RunSpec};
use crate::summary::Summary;
use crate::verdict::choose;

/// One run of a stage: its own config (a search trial's settings, a rung's step budget) and
/// what distinguishes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub config: Config,
    pub spec: RunSpec,
}

impl Job {
    /// Trains the run to its budget (or divergence); `progress` sees the steps done.
    pub fn run(&self, clock: Clock, progress: &mut dyn FnMut(usize)) -> Summary {
        let mut run = Run::to_end(&self.config, self.spec, clock, progress);
        Summary::of(&mut run, &self.config)
    }

    pub fn cost(&self) -> Cost {
        run_cost(&self.config, &self.spec)
    }

    /// Whether `s` is this job's result (the same run).
    pub fn matches(&self, s: &Summary) -> bool {
        let r = self.spec;
        (r.arch, r.hidden, r.len, r.lr, r.seed) == (s.arch, s.hidden, s.len, s.lr, s.seed)
            && s.task == self.config.task.name()
            && s.steps <= self.config.steps
    }
}

/// What a stage is, for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Grid,
    /// Rung `k` (0-based) of a search, training every trial still in it to `steps`.
    Rung {
        k: usize,
        of: usize,
        steps: usize,
    },
    Confirm,
}

impl Stage {
    pub fn name(self) -> String {
        match self {
            Stage::Grid => "the grid".into(),
            Stage::Rung { k, of, steps } => format!("rung {} of {of} ({steps} steps)", k + 1),
            Stage::Confirm => "the confirmation on fresh seeds".into(),
        }
    }
}

/// The stages of a sweep or search config, in order.
pub fn stages(c: &Config) -> Vec<Stage> {
    if c.is_search() {
        return crate::search::stages(c);
    }
    let mut s = vec![Stage::Grid];
    if c.confirm > 0 {
        s.push(Stage::Confirm);
    }
    s
}

/// The jobs of stage `stage`, given the results of every earlier stage (each in its stage's
/// job order).
pub fn jobs(c: &Config, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    if c.is_search() {
        return crate::search::jobs(c, stage, earlier);
    }
    match stages(c).get(stage) {
        Some(Stage::Grid) => {
            RunSpec::all(c).into_iter().map(|spec| Job { config: c.clone(), spec }).collect()
        }
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
                out.push(Job { config: c.clone(), spec });
            }
        }
    }
    out
}

/// The work of every stage together (`first` is the first stage's jobs; later stages at their
/// largest, from `estimate`), with the first stage's peak memory: what the limits judge before
/// anything starts.
pub fn whole(c: &Config, first: &[Job]) -> Work {
    let mut w = Work::of(&first.iter().map(|j| j.cost()).collect::<Vec<_>>());
    // The first stage is counted from its jobs above; the estimate adds the stages after it.
    for (_, runs, gflop) in estimate(c).into_iter().skip(1) {
        (w.runs, w.gflop) = (w.runs + runs, w.gflop + gflop);
    }
    w
}

/// Runs and work of each stage, before anything has run: later stages at their largest (a
/// confirmation at the costliest setting of each architecture).
pub fn estimate(c: &Config) -> Vec<(Stage, usize, f64)> {
    if c.is_search() {
        return crate::search::estimate(c);
    }
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
                out.extend(
                    c.fresh_seeds()
                        .map(|seed| Job { config: c.clone(), spec: RunSpec { len, seed, ..spec } }),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::nn::Arch;

    #[test]
    fn the_confirmation_trains_each_best_setting_on_seeds_the_grid_never_used() {
        let c = parse(
            "task=adding&len=10&cells=4,8&lr=0.01,0.1&archs=lstm,gru&seeds=3&seed=5&confirm=4&steps=10",
        )
        .unwrap();
        assert_eq!(stages(&c), vec![Stage::Grid, Stage::Confirm]);
        let grid = jobs(&c, 0, &[]);
        assert_eq!(grid.len(), 2 * 2 * 3 * 2);
        // The LSTM is best at 8 cells, lr 0.1; the GRU at 4 cells, lr 0.01.
        let rows: Vec<Summary> = grid
            .iter()
            .map(|j| {
                let s = j.spec;
                let good = (s.arch == Arch::Lstm && s.hidden == 8 && s.lr == 0.1)
                    || (s.arch == Arch::Gru && s.hidden == 4 && s.lr == 0.01);
                Summary {
                    len: 10,
                    ..Summary::example(s.arch, s.hidden, s.lr, s.seed, if good { 0.1 } else { 0.5 })
                }
            })
            .collect();
        let confirm = jobs(&c, 1, &[rows]);
        assert_eq!(confirm.len(), 2 * 4);
        let seeds: Vec<u64> = confirm.iter().map(|j| j.spec.seed).collect();
        assert!(seeds.iter().all(|s| (8..12).contains(s)), "fresh seeds 8-11: {seeds:?}");
        assert!(confirm
            .iter()
            .all(|j| (j.spec.arch == Arch::Lstm) == (j.spec.hidden == 8 && j.spec.lr == 0.1)));
        let est = estimate(&c);
        assert_eq!((est[0].1, est[1].1), (24, 8));
        assert_eq!(stages(&parse("task=adding&cells=4,8&confirm=0").unwrap()), vec![Stage::Grid]);
    }
}
