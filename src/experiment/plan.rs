//! What an experiment trains, stage by stage: one interface over every plan. A stage is a list
//! of independent runs (jobs); a later stage's jobs depend on the results of the earlier ones,
//! so stages are barriers: the CLI runs them in turn (or a cluster runs each stage's shards,
//! then `gatelab merge`), the page the same on its workers. A comparison is one stage, a sweep
//! has its grid (`sweep.rs`), a search its rungs (`search/`); both then confirm each
//! architecture's best on fresh seeds.

use crate::config::Config;
pub use crate::config::Plan;
use crate::experiment::atlas::Atlas;
use crate::experiment::job::{Job, Stage, StageEstimate};
use crate::experiment::summary::Summary;
use crate::experiment::{search, sweep};
use crate::limits::Work;

/// The stages of a config's plan, in order.
pub fn stages(c: &Config) -> Vec<Stage> {
    match c.plan() {
        Plan::Search => search::stages(c),
        Plan::Train | Plan::Sweep => sweep::stages(c),
    }
}

/// The jobs of stage `stage`, given the results of every earlier stage (each in its stage's
/// job order).
pub fn jobs(c: &Config, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
    match c.plan() {
        Plan::Search => search::jobs(c, stage, earlier),
        Plan::Train | Plan::Sweep => sweep::jobs(c, stage, earlier),
    }
}

/// Runs and work of each stage, before anything has run: later stages at their largest.
pub fn estimate(c: &Config) -> Vec<StageEstimate> {
    match c.plan() {
        Plan::Search => search::estimate(c),
        Plan::Train | Plan::Sweep => sweep::estimate(c),
    }
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

/// What a plan text names: one config's plan, or an atlas of searches (`atlas`,
/// `atlas:FILTER`). The text travels in `runs.jsonl` lines, so shards and merges serve both.
#[derive(Clone, Debug, PartialEq)]
pub enum Experiment {
    Config(Box<Config>),
    Atlas(Atlas),
}

impl Experiment {
    /// An atlas's text, or a clean config.
    pub fn parse(text: &str) -> Result<Experiment, String> {
        if let Some(a) = Atlas::parse(text)? {
            return Ok(Experiment::Atlas(a));
        }
        crate::config::parse(text)
            .map(|c| Experiment::Config(Box::new(c)))
            .map_err(|_| format!("the query {text:?} is not a clean config"))
    }

    pub fn text(&self) -> String {
        match self {
            Experiment::Config(c) => c.to_string(),
            Experiment::Atlas(a) => a.text(),
        }
    }

    /// The command that runs it: sweep, search or atlas.
    pub fn command(&self) -> &'static str {
        match self {
            Experiment::Config(c) if c.plan() == Plan::Search => "search",
            Experiment::Config(_) => "sweep",
            Experiment::Atlas(_) => "atlas",
        }
    }

    pub fn stages(&self) -> Vec<Stage> {
        match self {
            Experiment::Config(c) => stages(c),
            Experiment::Atlas(a) => a.stages(),
        }
    }

    pub fn jobs(&self, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
        match self {
            Experiment::Config(c) => jobs(c, stage, earlier),
            Experiment::Atlas(a) => a.jobs(stage, earlier),
        }
    }
}

/// Runs every stage of `e` here in turn on `threads` threads, with no progress and no resume
/// (the gallery's checks and the tests; the CLI runs stages with both).
#[cfg(not(target_arch = "wasm32"))]
pub fn run_here(e: &Experiment, threads: usize) -> Vec<Vec<Summary>> {
    let mut done: Vec<Vec<Summary>> = Vec::new();
    for s in 0..e.stages().len() {
        let jobs = e.jobs(s, &done);
        let rows =
            crate::pool::run(jobs.len(), threads, |k| jobs[k].run(|| 0.0, &mut |_| {}), |_, _| {}, || {});
        done.push(rows.into_iter().map(|r| r.expect("a run does not panic")).collect());
    }
    done
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
