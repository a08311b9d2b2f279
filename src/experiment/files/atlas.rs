//! `atlas.json`: every cell of an atlas with the config text that reproduces it, its runs, the
//! verdicts of both confirmation sets, and what the map says over cells. Read back checked:
//! the cells must be the current table's, the runs their configs' runs, and every judgement
//! what the runs give.

use super::{check_rows, parse_json};
use crate::experiment::atlas::{recurrent_params, Atlas, Cell, SET, SIZES};
use crate::experiment::search::space::points;
use crate::experiment::search::{self, best_trial};
use crate::experiment::summary::Summary;
use crate::experiment::verdict::LenVerdict;
use crate::nn::arithmetic::Arithmetic;
use crate::nn::Arch;
use crate::stats::wilson;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a cell's two verdicts say together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Call {
    LstmWins,
    GruWins,
    NoClearWinner,
    /// The two seed sets disagree.
    Unsettled,
}

impl Call {
    pub fn words(self) -> &'static str {
        match self {
            Call::LstmWins => "LSTM wins",
            Call::GruWins => "GRU wins",
            Call::NoClearWinner => "no clear winner",
            Call::Unsettled => "unsettled",
        }
    }

    /// The call in a square or a table entry: the winner, "=" or "?".
    pub fn mark(self) -> &'static str {
        match self {
            Call::LstmWins => "LSTM",
            Call::GruWins => "GRU",
            Call::NoClearWinner => "=",
            Call::Unsettled => "?",
        }
    }

    fn of(first: &LenVerdict, second: &LenVerdict) -> Call {
        match (first.winner.0, second.winner.0) {
            (a, b) if a != b => Call::Unsettled,
            (Some(Arch::Lstm), _) => Call::LstmWins,
            (Some(Arch::Gru), _) => Call::GruWins,
            _ => Call::NoClearWinner,
        }
    }
}

/// One cell of the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    pub id: String,
    pub problem: String,
    pub kind: String,
    pub len: usize,
    /// 0, 1, 2: the task's easy, middle and hard length.
    pub level: usize,
    /// "1k", "5k" or "20k": the recurrent-parameter budget.
    pub size: String,
    /// Cells and recurrent parameters of each architecture.
    pub cells: BTreeMap<Arch, usize>,
    pub params: BTreeMap<Arch, usize>,
    /// The search config that reproduces the cell (`gatelab search`, or the page's Search view).
    pub config: String,
    /// Each architecture's best learning rate, chosen by the search's rungs.
    pub best_lr: BTreeMap<Arch, f64>,
    /// The verdicts on the first and on the second set of fresh seeds.
    pub seeds: [[u64; 2]; 2],
    pub verdicts: [LenVerdict; 2],
    pub call: Call,
    /// Every run: the search's rungs, then the confirmation (both sets), in job order.
    pub stages: Vec<Vec<Summary>>,
    /// Training seconds of its runs, added up (evaluation excluded).
    pub seconds: f64,
}

/// `atlas.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtlasFile {
    /// `atlas` or `atlas:FILTER`.
    pub query: String,
    /// What every cell's search shares.
    pub search: String,
    /// The CPU and threads it ran on, and its wall time in seconds, as the CLI measured them.
    pub machine: String,
    /// Exact, or fused (`gatelab atlas --fast`): how every run's numbers were computed.
    #[serde(default)]
    pub arithmetic: Arithmetic,
    pub seconds: f64,
    pub cells: Vec<CellResult>,
    /// Cells whose two seed sets give the same verdict, of all; with its 95% Wilson interval.
    pub replicated: [usize; 2],
    pub replicated_interval: [f64; 2],
    /// Cells where the first set names a winner and the second names the same one, of those
    /// where the first names one.
    pub winners_replicated: [usize; 2],
    /// What the map says: sentences over cells, each with its count.
    pub says: Vec<String>,
}

impl CellResult {
    fn new(cell: &Cell, stages: Vec<Vec<Summary>>) -> CellResult {
        let c = &cell.config;
        let last = stages.len() - 1;
        let (rungs, confirm) = stages.split_at(last);
        let first = c.seed + c.seeds as u64;
        let sets = [[first, first + SET as u64 - 1], [first + SET as u64, first + 2 * SET as u64 - 1]];
        let judge = |[lo, hi]: [u64; 2]| {
            let mine: Vec<Summary> =
                confirm[0].iter().filter(|r| (lo..=hi).contains(&r.seed)).cloned().collect();
            search::verdict(c, rungs, &mine)
        };
        let verdicts = [judge(sets[0]), judge(sets[1])];
        let pts = points(c);
        let archs = || c.archs.iter().copied();
        CellResult {
            id: cell.id.clone(),
            problem: cell.problem.name.into(),
            kind: cell.problem.kind.into(),
            len: cell.length(),
            level: cell.level,
            size: SIZES[cell.size].0.into(),
            cells: archs().map(|a| (a, cell.cells(a))).collect(),
            params: archs().map(|a| (a, recurrent_params(c, a, cell.cells(a)))).collect(),
            config: c.to_string(),
            best_lr: archs()
                .filter_map(|a| {
                    let t = best_trial(c, a, rungs)?;
                    pts[t].iter().find(|(k, _)| *k == "lr").map(|(_, v)| (a, *v))
                })
                .collect(),
            seeds: sets,
            call: Call::of(&verdicts[0], &verdicts[1]),
            verdicts,
            seconds: stages.iter().flatten().map(|r| r.seconds).sum(),
            stages,
        }
    }

    /// The GRU's validation loss over the LSTM's on seed set `k`, with its 95% interval (the
    /// verdict's ratio is its first choice's over the second's).
    pub fn gru_over_lstm(&self, k: usize) -> (f64, f64, f64) {
        let v = &self.verdicts[k];
        if v.best.first().is_some_and(|b| b.arch == Arch::Gru) {
            (v.ratio, v.ratio_lo, v.ratio_hi)
        } else {
            (1.0 / v.ratio, 1.0 / v.ratio_hi, 1.0 / v.ratio_lo)
        }
    }

    /// log(GRU's loss / LSTM's) on the first set: below 0, the GRU is ahead.
    pub fn log_ratio(&self) -> f64 {
        self.gru_over_lstm(0).0.ln()
    }
}

impl AtlasFile {
    /// The file of `atlas`'s finished stages (each in its stage's job order).
    pub fn new(atlas: &Atlas, stages: &[Vec<Summary>], machine: String, seconds: f64) -> AtlasFile {
        let cells: Vec<CellResult> =
            atlas.cells.iter().zip(atlas.split(stages)).map(|(c, s)| CellResult::new(c, s)).collect();
        let n = cells.len();
        let agree = cells.iter().filter(|c| c.call != Call::Unsettled).count();
        let named = cells.iter().filter(|c| c.verdicts[0].winner.0.is_some()).count();
        let named_agree = cells
            .iter()
            .filter(|c| c.verdicts[0].winner.0.is_some() && c.verdicts[0].winner == c.verdicts[1].winner)
            .count();
        let (lo, hi) = wilson(agree, n);
        let mut f = AtlasFile {
            query: atlas.text(),
            search: crate::experiment::atlas::SEARCH.into(),
            machine,
            arithmetic: Arithmetic::of(stages.iter().flatten().map(|r| &r.arithmetic)),
            seconds,
            cells,
            replicated: [agree, n],
            replicated_interval: [lo, hi],
            winners_replicated: [named_agree, named],
            says: Vec::new(),
        };
        f.says = says(&f.cells, f.replicated, f.replicated_interval, f.winners_replicated);
        f
    }

    /// Reads an atlas.json, checking that it is the current table's (cells, configs) and that
    /// every judgement in it is what its runs give. Errors say what is wrong.
    pub fn read(text: &str) -> Result<(Atlas, AtlasFile), String> {
        let file: AtlasFile = parse_json(text, "an atlas.json")?;
        let atlas = Atlas::parse(&file.query)?
            .ok_or_else(|| format!("not a Gatelab atlas.json: its query {:?} is not an atlas", file.query))?;
        let ids = |cs: &mut dyn Iterator<Item = &str>| cs.collect::<Vec<_>>().join(", ");
        if atlas.cells.len() != file.cells.len()
            || atlas
                .cells
                .iter()
                .zip(&file.cells)
                .any(|(a, f)| a.id != f.id || a.config.to_string() != f.config)
        {
            return Err(format!(
                "its cells ({}) are not this version's atlas table for {:?}",
                ids(&mut file.cells.iter().map(|c| c.id.as_str())),
                file.query
            ));
        }
        let stages = stages_of(&atlas, &file)?;
        Arithmetic::check(file.arithmetic, stages.iter().flatten().map(|r| &r.arithmetic))?;
        let again = AtlasFile::new(&atlas, &stages, file.machine.clone(), file.seconds);
        if again != file {
            return Err("its verdicts or counts are not what its runs give".into());
        }
        Ok((atlas, file))
    }
}

/// The atlas's stages put back together from its cells' runs, each checked against its jobs.
fn stages_of(atlas: &Atlas, file: &AtlasFile) -> Result<Vec<Vec<Summary>>, String> {
    let total = atlas.stages().len();
    let mut out: Vec<Vec<Summary>> = vec![Vec::new(); total];
    for (cell, r) in atlas.cells.iter().zip(&file.cells) {
        if r.stages.len() != total {
            return Err(format!("cell {} has {} stages; its search has {total}", r.id, r.stages.len()));
        }
        for (s, (all, rows)) in out.iter_mut().zip(&r.stages).enumerate() {
            let jobs = search::jobs(&cell.config, s, &r.stages[..s]);
            check_rows(&format!("cell {}, stage {}", r.id, s + 1), &jobs, rows)?;
            all.extend(rows.iter().cloned());
        }
    }
    Ok(out)
}

/// Among `cells`: (LSTM wins, GRU wins, no clear winner, unsettled, cells where the GRU's
/// median loss is the lower, cells).
pub fn count(cells: &[&CellResult]) -> (usize, usize, usize, usize, usize, usize) {
    let n = |call: Call| cells.iter().filter(|c| c.call == call).count();
    let ahead = cells.iter().filter(|c| c.log_ratio() < 0.0).count();
    (n(Call::LstmWins), n(Call::GruWins), n(Call::NoClearWinner), n(Call::Unsettled), ahead, cells.len())
}

/// Settled wins of each architecture among `cells`, as "the LSTM wins a, the GRU b".
fn tally(cells: &[&CellResult]) -> String {
    let (l, g, none, unsettled, ahead, n) = count(cells);
    format!(
        "the LSTM wins {l}, the GRU {g}, no clear winner {none}, unsettled {unsettled}; the GRU's median loss is the lower in {ahead} of {n}"
    )
}

/// What the map says, each sentence a count over cells: overall, by kind of problem, by size
/// and by length, and how often a verdict replicates.
fn says(cells: &[CellResult], agree: [usize; 2], interval: [f64; 2], named: [usize; 2]) -> Vec<String> {
    let all: Vec<&CellResult> = cells.iter().collect();
    let mut out = vec![format!("All {} cells: {}.", all.len(), tally(&all))];
    out.push(format!(
        "Verdicts that replicate on fresh seeds: {} of {} ({:.0}% to {:.0}%, 95% Wilson interval); of the {} cells where the first set names a winner, the second names the same in {}.",
        agree[0],
        agree[1],
        100.0 * interval[0],
        100.0 * interval[1],
        named[1],
        named[0]
    ));
    let mut by = |what: &str, key: &dyn Fn(&CellResult) -> String| {
        let mut keys: Vec<String> = Vec::new();
        for k in cells.iter().map(key) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let mine: Vec<&CellResult> = cells.iter().filter(|c| key(c) == k).collect();
            out.push(format!("{what} {k} ({} cells): {}.", mine.len(), tally(&mine)));
        }
    };
    by("Kind", &|c| format!("{} ({})", c.kind, c.problem));
    by("Size", &|c| c.size.clone());
    by("Length", &|c| format!("{} for its task", ["easy", "middle", "hard"][c.level]));
    out
}
