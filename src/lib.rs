//! Gatelab: LSTM vs GRU vs RNN on toy sequence tasks, the same engine natively and in the page.
//!
//! `config` (the one experiment type and its URL-query text), `nn` (the engine), `tasks` (data),
//! `run` (a training run) and `sweep` have no web dependency; `app` and `worker` are the page.

pub mod config;
pub mod nn;
pub mod presets;
pub mod protocol;
pub mod run;
pub mod sweep;
pub mod tasks;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker;
