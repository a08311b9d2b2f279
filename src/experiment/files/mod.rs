//! The result files, in one place: `summary.json` (a comparison), `sweep.json`,
//! `search.json` and `atlas.json`. Each is written from its stages' results and read back checked: a file whose
//! runs are not its query's runs is refused, with what is wrong.

pub mod atlas;
pub mod search;
pub mod sweep;
pub mod train;

use crate::config::{parse, Config};
use crate::experiment::job::Job;
use crate::experiment::summary::Summary;

/// The most bytes of a sweep.json or search.json the page reads (360 runs are about 200 KB).
pub const MAX_FILE_BYTES: usize = 16 << 20;

/// A results file's JSON (`name`: "a sweep.json"), at most `MAX_FILE_BYTES`, or what is wrong.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, name: &str) -> Result<T, String> {
    if text.len() > MAX_FILE_BYTES {
        return Err(format!("the file has {} bytes; {name} has at most {MAX_FILE_BYTES}", text.len()));
    }
    let bare = name.split_once(' ').map_or(name, |(_, n)| n);
    serde_json::from_str(text).map_err(|e| format!("not a Gatelab {bare}: {e}"))
}

/// The query of a results file as a clean config, or what is wrong with it.
pub fn clean_query(query: &str) -> Result<Config, String> {
    parse(query).map_err(|n| {
        format!(
            "its query is not a clean config: {}",
            n.iter().map(|n| n.refusal()).collect::<Vec<_>>().join("; ")
        )
    })
}

/// Checks that `rows` are exactly the results of `jobs`, in order.
pub fn check_rows(what: &str, jobs: &[Job], rows: &[Summary]) -> Result<(), String> {
    if jobs.len() != rows.len() {
        return Err(format!("{what}: its query has {} runs but the file holds {}", jobs.len(), rows.len()));
    }
    for (k, (j, r)) in jobs.iter().zip(rows).enumerate() {
        if !j.matches(r) {
            let s = j.spec;
            return Err(format!(
                "{what}: run {} is {} h{} lr {} seed {} ({} steps); the query's run {} is {} h{} lr {} seed {} (at most {} steps)",
                k + 1,
                r.arch.name(),
                r.hidden,
                r.lr,
                r.seed,
                r.steps,
                k + 1,
                s.arch.name(),
                s.hidden,
                s.lr,
                s.seed,
                j.config.steps
            ));
        }
    }
    Ok(())
}
