//! `summary.json`.

use crate::experiment::baselines::AgainstBaselines;
use crate::experiment::evidence::{head_to_head, HeadToHead, HeadToHeadRow, Outcome};
use crate::experiment::summary::Summary;
use serde::{Deserialize, Serialize};

/// `summary.json` (`gatelab train --out`, the page's export): the query, every run's summary,
/// and every pair of architectures compared over the paired seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainFile {
    pub query: String,
    pub runs: Vec<Summary>,
    /// On the user's data: whether the best network beats the best classical baseline (said
    /// before any head-to-head).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baselines: Option<AgainstBaselines>,
    pub head_to_head: Vec<HeadToHeadRow>,
}

impl TrainFile {
    pub fn new(query: String, runs: Vec<Summary>) -> TrainFile {
        let outcomes: Vec<Outcome> = runs.iter().map(Outcome::of).collect();
        let head_to_head = head_to_head(&outcomes).iter().map(HeadToHead::row).collect();
        let baselines = AgainstBaselines::of(&runs.iter().collect::<Vec<_>>());
        TrainFile { query, runs, baselines, head_to_head }
    }

    /// What the comparison says, in order: the baselines first, then every head-to-head.
    pub fn sentences(&self) -> Vec<String> {
        self.baselines
            .iter()
            .map(|b| b.text.clone())
            .chain(self.head_to_head.iter().map(|h| h.text.clone()))
            .collect()
    }
}
