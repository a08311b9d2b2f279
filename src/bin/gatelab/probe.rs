//! `gatelab probe`: every gate of every layer of a saved model on one input sequence, as JSON.

use crate::files::read_json;
use crate::Args;
use gatelab::batch::Batch;
use gatelab::nn::loss::Loss;
use gatelab::nn::model_file::{from_json, sequence_from_json};
use gatelab::nn::network::Network;
use serde_json::json;
use std::path::Path;

/// Model files are at most this large (a 3-layer LSTM of 256 cells is about 30 MB of JSON).
pub const MAX_MODEL_BYTES: u64 = 64 << 20;
const MAX_STEPS: usize = 10_000;

pub fn load_model(args: &Args) -> Result<(gatelab::nn::Model, serde_json::Value), String> {
    let path = args.value("model").ok_or("needs --model M.json")?;
    let v = read_json(Path::new(path), "model", MAX_MODEL_BYTES)?;
    let model = from_json(&v).map_err(|e| format!("model {path}: {e}"))?;
    Ok((model, v))
}

pub fn probe(args: &Args) -> Result<(), String> {
    let (model, _) = load_model(args)?;
    let input = args.value("input").ok_or("probe needs --input X.json")?;
    let d = model.dims;
    let x = sequence_from_json(&read_json(Path::new(input), "input", MAX_MODEL_BYTES)?, d.input, MAX_STEPS)
        .map_err(|e| format!("{input}: {e}"))?;
    let steps = x.len() / d.input;
    let seq = Batch { steps, batch: 1, x, y: vec![0.0; steps * d.output], mask: vec![0.0; steps] };
    let p = Network::new(model).probe(&seq, Loss::Mse);
    println!("{}", json!({ "layers": p.layers, "output": p.output }));
    Ok(())
}
