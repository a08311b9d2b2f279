//! `summary.json`.

use crate::experiment::baselines::AgainstBaselines;
use crate::experiment::evidence::{head_to_head, HeadToHeadRow, Outcome};
use crate::experiment::overfit;
use crate::experiment::summary::Summary;
use crate::nn::arithmetic::Arithmetic;
use serde::{Deserialize, Serialize};

/// `summary.json` (`gatelab train --out`, the page's export): the query, every run's summary,
/// and every pair of architectures compared over the paired seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainFile {
    pub query: String,
    /// Exact, or fused (`gatelab --fast`): how every run's numbers were computed.
    #[serde(default)]
    pub arithmetic: Arithmetic,
    pub runs: Vec<Summary>,
    /// On the user's data: whether the best network beats the best classical baseline (said
    /// before any head-to-head).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baselines: Option<AgainstBaselines>,
    /// Which architectures overfit, and their test metric at the best checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overfitting: Option<String>,
    pub head_to_head: Vec<HeadToHeadRow>,
}

impl TrainFile {
    pub fn new(query: String, runs: Vec<Summary>) -> TrainFile {
        let outcomes: Vec<Outcome> = runs.iter().map(Outcome::of).collect();
        let all: Vec<&Summary> = runs.iter().collect();
        let (baselines, overfitting) = (AgainstBaselines::of(&all), overfit::sentence(&all));
        // Where a simple baseline beats both networks, no pair names a winner.
        let beaten = baselines.as_ref().is_some_and(|b| !b.beats);
        let head_to_head = head_to_head(&outcomes).into_iter().map(|h| h.beaten(beaten).row()).collect();
        let arithmetic = Arithmetic::of(runs.iter().map(|r| &r.arithmetic));
        TrainFile { query, arithmetic, runs, baselines, overfitting, head_to_head }
    }

    /// What the comparison says, in order: the baselines first, then every head-to-head.
    pub fn sentences(&self) -> Vec<String> {
        let first = self.baselines.iter().map(|b| b.text.clone()).chain(self.overfitting.clone());
        first.chain(self.head_to_head.iter().map(|h| h.text.clone())).collect()
    }
}
