//! The atlas: LSTM vs GRU across kinds of problem, lengths and model sizes. Each cell of the
//! table is one problem (a task with its settings, at one length) at one parameter budget, and
//! runs the same equal-budget search of the learning rate as `gatelab search` does, with a
//! confirmation on twelve fresh seeds split in two disjoint sets: the first set's verdict is the
//! cell's, the second (never used to choose anything, nor to judge the first) replicates it.
//! An atlas (all of it, or the cells a filter names) is a plan like a sweep: its stages are its
//! cells' stages side by side, so it runs on threads, shards and a cluster unchanged.

use crate::config::{parse, Config};
use crate::experiment::job::{Job, Stage};
use crate::experiment::search;
use crate::experiment::summary::Summary;
use crate::nn::{Arch, Dims};

/// One problem of the atlas: a task with its fixed settings, at three lengths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Problem {
    /// The problem's name in cell ids and filters (`dyck2` is Dyck with two pairs).
    pub name: &'static str,
    /// The kind of problem it stands for.
    pub kind: &'static str,
    /// The task and its fixed settings, as config text.
    pub task: &'static str,
    /// Easy, middle and hard lengths for this task.
    pub lens: [usize; 3],
    /// Training steps of a full run (the last rung and the confirmation).
    pub steps: usize,
}

pub const PROBLEMS: [Problem; 7] = [
    Problem { name: "adding", kind: "memory", task: "task=adding", lens: [10, 25, 50], steps: 700 },
    Problem { name: "anbn", kind: "counting", task: "task=anbn", lens: [5, 10, 20], steps: 800 },
    Problem { name: "dyck2", kind: "stack", task: "task=dyck&pairs=2", lens: [10, 20, 40], steps: 800 },
    Problem { name: "parity", kind: "non-linear state", task: "task=parity", lens: [5, 10, 20], steps: 800 },
    Problem { name: "reber", kind: "grammar", task: "task=reber", lens: [10, 20, 40], steps: 800 },
    Problem { name: "sine", kind: "smooth forecast", task: "task=sine", lens: [20, 40, 60], steps: 500 },
    Problem { name: "text", kind: "text", task: "task=text", lens: [20, 40, 60], steps: 400 },
];

/// The parameter budgets: recurrent parameters (the readout not counted), about.
pub const SIZES: [(&str, usize); 3] = [("1k", 1_000), ("5k", 5_000), ("20k", 20_000)];

/// What every cell shares: the searched learning rate, the budget, the seeds. One seed per
/// trial chooses; the confirmation's 12 fresh seeds (2-13) judge, in two sets of 6 (2-7, 8-13),
/// 6 being the fewest on which the sign test can name a winner at all (6 of 6: p = 0.031).
pub const SEARCH: &str =
    "archs=lstm,gru&match=1&lr=1e-3..0.1&trials=6&halving=3&seeds=1&confirm=12&batch=16&seed=1";
/// Seeds in each of the two confirmation sets.
pub const SET: usize = 6;

/// One cell: a problem at one length and one size, and the search config that measures it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub id: String,
    pub problem: Problem,
    /// 0, 1, 2: easy to hard length; smallest to largest size.
    pub level: usize,
    pub size: usize,
    pub config: Config,
}

impl Cell {
    fn new(problem: Problem, level: usize, size: usize) -> Cell {
        let len = problem.lens[level];
        let (label, budget) = SIZES[size];
        let base = format!(
            "{}&len={len}&{SEARCH}&steps={}&every={}",
            problem.task,
            problem.steps,
            problem.steps / 4
        );
        let c = parse(&base).expect("the atlas's configs are clean");
        let cells = cells_for(&c, budget);
        let config = parse(&format!("{base}&cells={cells}")).expect("the atlas's configs are clean");
        Cell { id: format!("{}-{len}-{label}", problem.name), problem, level, size, config }
    }

    pub fn length(&self) -> usize {
        self.problem.lens[self.level]
    }

    /// The cells each architecture gets (the GRU by `match=1`'s rule).
    pub fn cells(&self, arch: Arch) -> usize {
        self.config.hidden_for(arch, self.config.cells[0])
    }

    /// Whether the filter term `key=value` (or a bare cell id) names this cell.
    fn named_by(&self, term: &str) -> bool {
        let Some((key, values)) = term.split_once('=') else { return self.id == term };
        values.split(',').any(|v| match key {
            "task" => self.problem.name == v || self.problem.name.trim_end_matches(char::is_numeric) == v,
            "kind" => self.problem.kind == v,
            "len" => self.length().to_string() == v,
            "level" => (self.level + 1).to_string() == v,
            "size" => SIZES[self.size].0 == v,
            "id" => self.id == v,
            _ => false,
        })
    }
}

/// Recurrent parameters of `arch` with `hidden` cells on `c`'s task: all but the readout.
pub fn recurrent_params(c: &Config, arch: Arch, hidden: usize) -> usize {
    let d: Dims = c.dims(hidden);
    arch.param_count(d) - (hidden * d.output + d.output)
}

/// The LSTM cell count whose recurrent parameters are nearest `budget`.
fn cells_for(c: &Config, budget: usize) -> usize {
    (1..=256).min_by_key(|&h| recurrent_params(c, Arch::Lstm, h).abs_diff(budget)).expect("a non-empty range")
}

/// An atlas: every cell, or those a filter names.
#[derive(Clone, Debug, PartialEq)]
pub struct Atlas {
    /// The filter (`task=dyck`, `size=1k&len=10`, a cell id), if any.
    pub only: Option<String>,
    pub cells: Vec<Cell>,
}

/// The text that names an atlas (in `runs.jsonl` lines and on the command line).
pub const NAME: &str = "atlas";

impl Atlas {
    /// Every cell, by problem, then length, then size.
    pub fn all() -> Vec<Cell> {
        let mut out = Vec::new();
        for p in PROBLEMS {
            for level in 0..3 {
                for size in 0..SIZES.len() {
                    out.push(Cell::new(p, level, size));
                }
            }
        }
        out
    }

    /// The cells `only` names: `&`-joined terms, each `key=v1,v2` (task, kind, len, level
    /// 1-3, size, id) or a cell's id; a cell must match every term.
    pub fn new(only: Option<&str>) -> Result<Atlas, String> {
        let only = only.map(str::trim).filter(|s| !s.is_empty());
        let cells: Vec<Cell> = Atlas::all()
            .into_iter()
            .filter(|c| only.is_none_or(|f| f.split('&').all(|t| c.named_by(t.trim()))))
            .collect();
        if cells.is_empty() {
            return Err(format!(
                "no atlas cell matches {:?}: terms are task=, kind=, len=, level=1-3, size=1k|5k|20k or a cell id such as adding-25-5k",
                only.unwrap_or("")
            ));
        }
        Ok(Atlas { only: only.map(String::from), cells })
    }

    /// `atlas` or `atlas:FILTER`: `Ok(None)` when the text is not an atlas's.
    pub fn parse(text: &str) -> Result<Option<Atlas>, String> {
        let text = text.trim();
        if text == NAME {
            return Atlas::new(None).map(Some);
        }
        match text.strip_prefix(NAME).and_then(|r| r.strip_prefix(':')) {
            Some(only) => Atlas::new(Some(only)).map(Some),
            None => Ok(None),
        }
    }

    pub fn text(&self) -> String {
        match &self.only {
            Some(f) => format!("{NAME}:{f}"),
            None => NAME.into(),
        }
    }

    /// Every cell has the same stages (the same trials, halving and confirmation); a rung is
    /// named by the longest of its cells' budgets.
    pub fn stages(&self) -> Vec<Stage> {
        let all: Vec<Vec<Stage>> = self.cells.iter().map(|c| search::stages(&c.config)).collect();
        let steps = |s: &Stage| if let Stage::Rung { steps, .. } = s { *steps } else { 0 };
        (0..all[0].len())
            .map(|k| all.iter().map(|s| s[k]).max_by_key(steps).expect("an atlas has cells"))
            .collect()
    }

    /// Stage `stage`'s jobs: each cell's, cell after cell.
    pub fn jobs(&self, stage: usize, earlier: &[Vec<Summary>]) -> Vec<Job> {
        let per = self.split(earlier);
        self.cells.iter().zip(&per).flat_map(|(c, e)| search::jobs(&c.config, stage, e)).collect()
    }

    /// The stages' rows (each in its stage's job order) cut into each cell's.
    pub fn split(&self, stages: &[Vec<Summary>]) -> Vec<Vec<Vec<Summary>>> {
        let mut per: Vec<Vec<Vec<Summary>>> = vec![Vec::new(); self.cells.len()];
        for (s, rows) in stages.iter().enumerate() {
            let mut at = 0;
            for (c, mine) in self.cells.iter().zip(per.iter_mut()) {
                let n = search::jobs(&c.config, s, mine).len();
                mine.push(rows[at.min(rows.len())..(at + n).min(rows.len())].to_vec());
                at += n;
            }
        }
        per
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_seven_problems_three_lengths_three_sizes_at_their_budgets() {
        let all = Atlas::all();
        assert_eq!(all.len(), 7 * 3 * 3);
        let mut ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for c in &all {
            let budget = SIZES[c.size].1;
            for arch in [Arch::Lstm, Arch::Gru] {
                let p = recurrent_params(&c.config, arch, c.cells(arch));
                // The GRU matches the LSTM's total, so its recurrent part is near the budget
                // too; the text task's wide input makes the smallest sizes coarse.
                let tol = if c.problem.name == "text" && c.size == 0 { 0.6 } else { 0.25 };
                assert!((p as f64 / budget as f64 - 1.0).abs() < tol, "{} {arch:?}: {p}", c.id);
            }
            assert_eq!(search::stages(&c.config).len(), 3, "two rungs and the confirmation: {}", c.id);
        }
    }

    #[test]
    fn filters_name_cells_and_the_text_round_trips() {
        let a = Atlas::parse("atlas:task=dyck").unwrap().unwrap();
        assert_eq!(a.cells.len(), 9);
        assert!(a.cells.iter().all(|c| c.problem.name == "dyck2"));
        let one = Atlas::parse("atlas:adding-25-5k").unwrap().unwrap();
        assert_eq!(one.cells.len(), 1);
        let two = Atlas::parse("atlas:size=1k&len=10,5").unwrap().unwrap();
        assert_eq!(two.cells.len(), 7, "{:?}", two.cells.iter().map(|c| &c.id).collect::<Vec<_>>());
        assert_eq!(Atlas::parse(&two.text()).unwrap().unwrap(), two);
        assert_eq!(Atlas::parse("task=adding").unwrap(), None);
        assert!(Atlas::parse("atlas:task=nothing").unwrap_err().contains("no atlas cell"));
    }

    #[test]
    fn an_atlas_stage_is_its_cells_stages_side_by_side() {
        let a = Atlas::new(Some("size=1k&level=1&task=adding,parity")).unwrap();
        let first = a.jobs(0, &[]);
        let one: Vec<usize> = a.cells.iter().map(|c| search::jobs(&c.config, 0, &[]).len()).collect();
        assert_eq!(first.len(), one.iter().sum::<usize>());
        assert_eq!(first[one[0]].config.task, a.cells[1].config.task);
        let rows: Vec<Summary> = first
            .iter()
            .map(|j| {
                let s = j.spec;
                Summary {
                    len: s.len,
                    trial: j.trial,
                    steps: j.config.steps,
                    ..Summary::example(s.arch, s.hidden, s.lr, s.seed, s.lr as f64)
                }
            })
            .collect();
        let per = a.split(std::slice::from_ref(&rows));
        assert_eq!(per[0][0].len(), one[0]);
        let second = a.jobs(1, std::slice::from_ref(&rows));
        let expect: usize = a.cells.iter().zip(&per).map(|(c, e)| search::jobs(&c.config, 1, e).len()).sum();
        assert_eq!(second.len(), expect);
        assert_eq!(a.stages().len(), 3);
    }
}
