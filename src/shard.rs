//! A sweep split across machines: fixed slices of its runs balanced by estimated cost, one JSON
//! line per finished run (`runs.jsonl`), and the merge back into the one-machine result. Also
//! the `sweep.json` file itself, which the page opens.

use crate::config::{parse, Config};
use crate::limits::run_cost;
use crate::run::RunSpec;
use crate::summary::Summary;
use crate::verdict::{verdict, LenVerdict};
use serde::{Deserialize, Serialize};

/// `sweep.json`: the query, every run in the config's order, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepFile {
    pub query: String,
    pub runs: Vec<Summary>,
    pub verdict: Vec<LenVerdict>,
}

/// The most bytes of a sweep.json the page reads (360 runs are about 200 KB).
pub const MAX_FILE_BYTES: usize = 16 << 20;

impl SweepFile {
    pub fn new(c: &Config, runs: Vec<Summary>) -> SweepFile {
        let verdict = verdict(&runs);
        SweepFile { query: c.to_string(), runs, verdict }
    }

    /// Reads a sweep.json, checking what it claims: a clean query, runs that are that query's
    /// runs, in order, with summaries in range. Errors say what is wrong.
    pub fn read(text: &str) -> Result<(Config, SweepFile), String> {
        if text.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the file has {} bytes; a sweep.json has at most {MAX_FILE_BYTES}",
                text.len()
            ));
        }
        let file: SweepFile =
            serde_json::from_str(text).map_err(|e| format!("not a Gatelab sweep.json: {e}"))?;
        let c = parse(&file.query).map_err(|n| {
            format!(
                "its query is not a clean config: {}",
                n.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; ")
            )
        })?;
        let specs = RunSpec::all(&c);
        if specs.len() != file.runs.len() {
            return Err(format!("its query has {} runs but the file holds {}", specs.len(), file.runs.len()));
        }
        for (k, (s, r)) in specs.iter().zip(&file.runs).enumerate() {
            if !same_run(s, r) || r.task != c.task.name() {
                return Err(format!(
                    "run {} is {} h{} lr {} seed {}; the query's run {} is {} h{} lr {} seed {}",
                    k + 1,
                    r.arch.name(),
                    r.hidden,
                    r.lr,
                    r.seed,
                    k + 1,
                    s.arch.name(),
                    s.hidden,
                    s.lr,
                    s.seed
                ));
            }
            if r.steps > c.steps {
                return Err(format!("run {} has {} steps; the budget is {}", k + 1, r.steps, c.steps));
            }
        }
        Ok((c, file))
    }
}

fn same_run(s: &RunSpec, r: &Summary) -> bool {
    (s.arch, s.hidden, s.len, s.lr, s.seed) == (r.arch, r.hidden, r.len, r.lr, r.seed)
}

/// Shard `k` of `n` (1-based): the indices of its runs. Runs are dealt, costliest first, to
/// the shard with the least estimated work so far (ties to the lower shard), so every machine
/// computes the same slices and they take about equally long.
pub fn slice(c: &Config, specs: &[RunSpec], k: usize, n: usize) -> Vec<usize> {
    let costs: Vec<f64> = specs.iter().map(|s| run_cost(c, s).flop).collect();
    let mut order: Vec<usize> = (0..specs.len()).collect();
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

/// One line of `runs.jsonl`: a finished run of a sweep, self-describing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunLine {
    pub query: String,
    /// [k, n]: this line's shard.
    pub shard: [usize; 2],
    /// Index of the run in the query's order, and how many runs the query has.
    pub run: usize,
    pub of: usize,
    pub summary: Summary,
}

/// Parses runs.jsonl text: complete lines only (a run killed mid-write leaves a partial last
/// line, which is ignored and run again).
pub fn read_lines(text: &str) -> Vec<RunLine> {
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// Puts the lines of every shard (from `sources`, e.g. folders) back into one sweep. Refuses
/// lines of different queries, runs missing or present twice, and lines that do not match
/// their query.
pub fn merge(sources: &[(String, Vec<RunLine>)]) -> Result<(Config, Vec<Summary>), String> {
    let first = sources.iter().flat_map(|s| &s.1).next().ok_or("no finished runs in these folders")?;
    let c = parse(&first.query).map_err(|_| format!("the query {:?} is not a clean config", first.query))?;
    let specs = RunSpec::all(&c);
    let n = first.shard[1];
    let mut rows: Vec<Option<(Summary, &str)>> = vec![None; specs.len()];
    for (source, lines) in sources {
        for l in lines {
            if l.query != first.query {
                return Err(format!(
                    "{source} holds runs of another sweep: {:?} (not {:?})",
                    l.query, first.query
                ));
            }
            if l.shard[1] != n {
                return Err(format!("{source} was split into {} shards, others into {n}", l.shard[1]));
            }
            let ok = l.run < specs.len() && l.of == specs.len() && same_run(&specs[l.run], &l.summary);
            if !ok {
                return Err(format!("{source}: run {} does not match its query", l.run + 1));
            }
            if let Some((_, other)) = &rows[l.run] {
                return Err(format!(
                    "run {} appears twice (in {other} and {source}): a slice was given twice",
                    l.run + 1
                ));
            }
            rows[l.run] = Some((l.summary.clone(), source));
        }
    }
    let missing: Vec<usize> = (0..specs.len()).filter(|&i| rows[i].is_none()).collect();
    if !missing.is_empty() {
        let shards: std::collections::BTreeSet<usize> =
            (1..=n).filter(|&k| slice(&c, &specs, k, n).iter().any(|i| missing.contains(i))).collect();
        let list: Vec<String> = shards.iter().map(|k| format!("{k}/{n}")).collect();
        return Err(format!(
            "{} of {} runs are missing, from shard(s) {}",
            missing.len(),
            specs.len(),
            list.join(", ")
        ));
    }
    Ok((c, rows.into_iter().flatten().map(|r| r.0).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_every_run_once_and_balance_the_work() {
        let c = parse("task=adding&len=10,40&cells=4,16,64&archs=lstm,gru&seeds=3&steps=10").unwrap();
        let specs = RunSpec::all(&c);
        let n = 4;
        let mut all: Vec<usize> = (1..=n).flat_map(|k| slice(&c, &specs, k, n)).collect();
        all.sort();
        assert_eq!(all, (0..specs.len()).collect::<Vec<_>>());
        let work = |k| slice(&c, &specs, k, n).iter().map(|&i| run_cost(&c, &specs[i]).flop).sum::<f64>();
        let loads: Vec<f64> = (1..=n).map(work).collect();
        let (lo, hi) =
            (loads.iter().cloned().fold(f64::MAX, f64::min), loads.iter().cloned().fold(0.0, f64::max));
        assert!(hi < 1.35 * lo, "{loads:?}");
    }
}
