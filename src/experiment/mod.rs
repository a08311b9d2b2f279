//! The experiment layer: between the config, tasks and engine below and the page and CLI
//! above. What a config asks for (`plan`: a comparison, a sweep, a search, an atlas of searches) as stages of jobs,
//! the outcome of each run (`summary`, the one reader of a run's state and raw metrics), the
//! evidence over seeds and the verdicts, the result files, and the split across machines.
//!
//! Inside, each module uses only those listed before it:
//! `summary` -> `baselines`, `evidence`, `overfit` -> `ablation`, `verdict` -> `job` -> `sweep`, `search` -> `atlas` -> `plan` -> `files`,
//! `shard`.

pub mod summary;

pub mod baselines;
pub mod evidence;
pub mod overfit;

pub mod ablation;
pub mod verdict;

pub mod job;

pub mod search;
pub mod sweep;

pub mod atlas;

pub mod plan;

pub mod files;
pub mod shard;
