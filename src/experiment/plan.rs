//! What an experiment trains, stage by stage: one interface over every plan. A stage is a list
//! of independent runs (jobs); a later stage's jobs depend on the results of the earlier ones,
//! so stages are barriers: the CLI runs them in turn (or a cluster runs each stage's shards,
//! then `gatelab merge`), the page the same on its workers. A comparison is one stage, a sweep
//! has its grid (`sweep.rs`), a search its rungs (`search/`); both then confirm each
//! architecture's best on fresh seeds.

use crate::config::Config;
pub use crate::config::Plan;
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
