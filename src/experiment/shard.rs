//! A sweep split across machines: fixed slices of each stage's runs balanced by estimated cost,
//! one JSON line per finished run (`runs.jsonl`), and the merge back into the one-machine
//! result, stage by stage.

use crate::experiment::job::Job;
use crate::experiment::plan::Experiment;
use crate::experiment::summary::Summary;
use crate::nn::arithmetic::Arithmetic;

use serde::{Deserialize, Serialize};

/// Shard `k` of `n` (1-based): the indices of its jobs. Jobs are dealt, costliest first, to
/// the shard with the least estimated work so far (ties to the lower shard), so every machine
/// computes the same slices and they take about equally long.
pub fn slice(jobs: &[Job], k: usize, n: usize) -> Vec<usize> {
    let costs: Vec<f64> = jobs.iter().map(|j| j.cost().flop).collect();
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
    let mut load = vec![0.0f64; n.max(1)];
    let mut mine = Vec::new();
    for i in order {
        let to = (0..load.len()).min_by(|&a, &b| load[a].total_cmp(&load[b]).then(a.cmp(&b))).unwrap_or(0);
        load[to] += costs[i];
        if to + 1 == k {
            mine.push(i);
        }
    }
    mine.sort();
    mine
}

/// The shards needed so that each stays within the sweep limits (runs and work).
pub fn shards_needed(runs: usize, gflop: f64) -> usize {
    let by_runs = runs.div_ceil(crate::limits::MAX_RUNS);
    let by_work = (gflop / crate::limits::MAX_GFLOP).ceil() as usize;
    // Slices are balanced by cost, not exact: leave a margin.
    (by_runs.max(by_work) * 5).div_ceil(4).max(1)
}

/// One line of `runs.jsonl`: a finished run of a sweep or search, self-describing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunLine {
    pub query: String,
    /// The stage (0-based) and, within it, [k, n]: this line's shard.
    #[serde(default)]
    pub stage: usize,
    pub shard: [usize; 2],
    /// Index of the run in its stage's order, and how many runs the stage has.
    pub run: usize,
    pub of: usize,
    pub summary: Summary,
}

/// Parses runs.jsonl text: complete lines only (a run killed mid-write leaves a partial last
/// line, which is ignored and run again).
pub fn read_lines(text: &str) -> Vec<RunLine> {
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// What a merge found: the query's experiment and every complete stage's results, in order.
pub struct Merged {
    pub experiment: Experiment,
    pub stages: Vec<Vec<Summary>>,
    /// Whether every stage of the plan is complete.
    pub complete: bool,
}

/// Puts the lines of every shard (from `sources`, e.g. folders) back together, stage by stage.
/// Refuses lines of different queries, runs missing from a stage that later lines build on,
/// runs present twice, and lines that do not match their query. A stage whose lines are all
/// missing ends the merge there (the next shards have not run yet).
pub fn merge(sources: &[(String, Vec<RunLine>)]) -> Result<Merged, String> {
    let first = sources.iter().flat_map(|s| &s.1).next().ok_or("no finished runs in these folders")?;
    let experiment = Experiment::parse(&first.query)?;
    for (source, lines) in sources {
        if let Some(l) = lines.iter().find(|l| l.query != first.query) {
            return Err(format!(
                "{source} holds runs of another sweep: {:?} (not {:?})",
                l.query, first.query
            ));
        }
    }
    let total = experiment.stages().len();
    let mut done: Vec<Vec<Summary>> = Vec::new();
    for stage in 0..total {
        let here: Vec<(&str, &RunLine)> = sources
            .iter()
            .flat_map(|(src, lines)| {
                lines.iter().filter(|l| l.stage == stage).map(move |l| (src.as_str(), l))
            })
            .collect();
        if here.is_empty() {
            break;
        }
        let jobs = experiment.jobs(stage, &done);
        done.push(merge_stage(stage, &jobs, &here)?);
    }
    let later = sources.iter().flat_map(|s| &s.1).any(|l| l.stage >= done.len());
    if later {
        return Err(format!(
            "lines of stage {} but stage {} has no runs yet",
            done.len() + 2,
            done.len() + 1
        ));
    }
    Arithmetic::shared(done.iter().flatten().map(|r| &r.arithmetic))
        .map_err(|e| format!("these runs cannot be merged: {e}"))?;
    Ok(Merged { complete: done.len() == total, experiment, stages: done })
}

fn merge_stage(stage: usize, jobs: &[Job], lines: &[(&str, &RunLine)]) -> Result<Vec<Summary>, String> {
    let n = lines[0].1.shard[1];
    let mut rows: Vec<Option<(Summary, &str)>> = vec![None; jobs.len()];
    for &(source, l) in lines {
        if l.shard[1] != n {
            return Err(format!("{source} was split into {} shards, others into {n}", l.shard[1]));
        }
        let ok = l.run < jobs.len() && l.of == jobs.len() && jobs[l.run].matches(&l.summary);
        if !ok {
            return Err(format!(
                "{source}: run {} of stage {} does not match its query",
                l.run + 1,
                stage + 1
            ));
        }
        if let Some((_, other)) = &rows[l.run] {
            return Err(format!(
                "run {} appears twice (in {other} and {source}): a slice was given twice",
                l.run + 1
            ));
        }
        rows[l.run] = Some((l.summary.clone(), source));
    }
    let missing: Vec<usize> = (0..jobs.len()).filter(|&i| rows[i].is_none()).collect();
    if !missing.is_empty() {
        let shards: std::collections::BTreeSet<usize> =
            (1..=n).filter(|&k| slice(jobs, k, n).iter().any(|i| missing.contains(i))).collect();
        let list: Vec<String> = shards.iter().map(|k| format!("{k}/{n}")).collect();
        return Err(format!(
            "stage {}: {} of {} runs are missing, from shard(s) {}",
            stage + 1,
            missing.len(),
            jobs.len(),
            list.join(", ")
        ));
    }
    Ok(rows.into_iter().flatten().map(|r| r.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::experiment::plan::jobs;

    #[test]
    fn slices_cover_every_run_once_and_balance_the_work() {
        let c = parse("task=adding&len=10,40&cells=4,16,64&archs=lstm,gru&seeds=3&steps=10").unwrap();
        let jobs = jobs(&c, 0, &[]);
        let n = 4;
        let mut all: Vec<usize> = (1..=n).flat_map(|k| slice(&jobs, k, n)).collect();
        all.sort();
        assert_eq!(all, (0..jobs.len()).collect::<Vec<_>>());
        let work = |k| slice(&jobs, k, n).iter().map(|&i| jobs[i].cost().flop).sum::<f64>();
        let loads: Vec<f64> = (1..=n).map(work).collect();
        let (lo, hi) =
            (loads.iter().cloned().fold(f64::MAX, f64::min), loads.iter().cloned().fold(0.0, f64::max));
        assert!(hi < 1.35 * lo, "{loads:?}");
    }
}
