//! Messages between the page and its Web Workers, as JSON strings. Plain data: the worker side
//! (`worker.rs`) and the page side (`app/`) share these types and nothing else.

use crate::nn::Arch;
use crate::run::{ProbeView, Record, RunSpec, RunState};
use crate::sweep::Summary;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Build the runs of a config from their initial weights (the compare view).
    Load { query: String },
    /// Train every run `steps` more (stopping early after about 0.1 s if `timebox`); probe
    /// validation sequence `probe` afterwards if given.
    Train { steps: usize, probe: Option<usize>, timebox: bool },
    /// Probe without training (a new example, or a fresh load).
    Probe { example: usize },
    /// Every run's model in the engine's JSON format (for export).
    Export,
    /// One run of a sweep, trained to its budget (the sweep pool).
    Sweep { id: usize, query: String, spec: RunSpec },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub arch: Arch,
    pub hidden: usize,
    pub params: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunUpdate {
    pub arch: Arch,
    pub step: usize,
    pub state: RunState,
    pub seconds: f64,
    /// Records made since the previous update.
    pub records: Vec<Record>,
    pub probe: Option<ProbeView>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FromWorker {
    Ready,
    Loaded { runs: Vec<RunInfo> },
    Progress { runs: Vec<RunUpdate> },
    Models { models: Vec<(Arch, String)> },
    SweepProgress { id: usize, step: usize },
    SweepDone { id: usize, summary: Summary },
    Error { message: String },
}
