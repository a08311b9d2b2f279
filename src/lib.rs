//! Gatelab: LSTM vs GRU vs RNN on sequence tasks, the same engine natively and in the page.
//!
//! The modules in layers, lowest first; each uses only its own layer and those below it, and no
//! modules use one another in a circle (`tests/layers.rs` reads every file and checks both).
//! Nothing below `protocol` has a web dependency; the CLI (`src/bin/gatelab`) sits on top.

// layer: numbers, seeds, batches, files
pub mod archive;
pub mod batch;
pub mod nullable;
pub mod rng;
pub mod stats;

// layer: the engine
pub mod nn;

// layer: the user's data files and the tasks
pub mod datafile;
pub mod tasks;

// layer: the experiment's settings, one config type with one text form
pub mod config;

// layer: one run: its data, its training, its cost, and the native thread pool
pub mod bench;
pub mod data;
pub mod limits;
#[cfg(not(target_arch = "wasm32"))]
pub mod pool;
pub mod run;

// layer: plans, outcomes, evidence, verdicts and result files
pub mod experiment;

// layer: what people see: figures' shapes, the gallery, the atlas's readings
pub mod figures;
pub mod presets;
pub mod readings;

// layer: the messages between the page and its workers
pub mod protocol;

// layer: the page and its workers (wasm only)
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker;
