//! `sweep.json`.

use super::{check_rows, clean_query, parse_json};
use crate::config::Config;
use crate::experiment::plan::jobs;
use crate::experiment::summary::Summary;
use crate::experiment::verdict::{verdict, LenVerdict};
use crate::nn::arithmetic::Arithmetic;
use serde::{Deserialize, Serialize};

/// `sweep.json`: the query, every run of the grid in the config's order, the confirmation's
/// runs, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepFile {
    pub query: String,
    /// Exact, or fused (`gatelab --fast`): how every run's numbers were computed.
    #[serde(default)]
    pub arithmetic: Arithmetic,
    pub runs: Vec<Summary>,
    #[serde(default)]
    pub confirm: Vec<Summary>,
    pub verdict: Vec<LenVerdict>,
}

impl SweepFile {
    /// The file of a sweep's stages (the grid, and the confirmation if it has run).
    pub fn new(c: &Config, mut stages: Vec<Vec<Summary>>) -> SweepFile {
        stages.resize(2, Vec::new());
        let confirm = stages.pop().unwrap_or_default();
        let runs = stages.pop().unwrap_or_default();
        let arithmetic = Arithmetic::of(runs.iter().chain(&confirm).map(|r| &r.arithmetic));
        SweepFile {
            query: c.to_string(),
            arithmetic,
            verdict: verdict(&runs, &confirm, c.names_len()),
            runs,
            confirm,
        }
    }

    /// Reads a sweep.json, checking what it claims: a clean query, runs that are that query's
    /// runs, in order, and a confirmation of that grid's best settings. Errors say what is wrong.
    pub fn read(text: &str) -> Result<(Config, SweepFile), String> {
        let file: SweepFile = parse_json(text, "a sweep.json")?;
        let c = clean_query(&file.query)?;
        Arithmetic::check(file.arithmetic, file.runs.iter().chain(&file.confirm).map(|r| &r.arithmetic))?;
        check_rows("the grid", &jobs(&c, 0, &[]), &file.runs)?;
        if !file.confirm.is_empty() || c.confirm > 0 {
            check_rows("the confirmation", &jobs(&c, 1, std::slice::from_ref(&file.runs)), &file.confirm)?;
        }
        Ok((c, file))
    }

    /// The stages' results, as `new` takes them.
    pub fn stages(&self) -> Vec<Vec<Summary>> {
        vec![self.runs.clone(), self.confirm.clone()]
    }
}
