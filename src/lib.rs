//! Gatelab: LSTM vs GRU vs RNN on sequence tasks, the same engine natively and in the page.
//!
//! Layers, each using only those above it: `rng`, `batch`, `nn` (the engine) -> `tasks` ->
//! `config` -> `data`, `run`, `summary`, `limits` -> `evidence`, `verdict`, `presets`,
//! `shard` -> `protocol` -> the page (`app`, `worker`, wasm only) and the CLI (`src/bin`).
//! Nothing below `protocol` has a web dependency.

pub mod archive;
pub mod batch;
pub mod bench;
pub mod config;
pub mod data;
pub mod datafile;
pub mod evidence;
pub mod figures;
pub mod limits;
pub mod nn;
pub mod nullable;
pub mod plan;
#[cfg(not(target_arch = "wasm32"))]
pub mod pool;
pub mod presets;
pub mod protocol;
pub mod rng;
pub mod run;
pub mod search;
pub mod shard;
pub mod stats;
pub mod summary;
pub mod tasks;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker;
