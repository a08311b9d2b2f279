//! `gatelab probe`: every gate's activation of a saved model on one input sequence, as JSON.

use gatelab::nn::loss::Loss;
use gatelab::nn::model_file::{from_json, sequence_from_json};
use gatelab::nn::network::{Batch, Network};
use serde_json::{json, Value};

fn read_json(path: &str, what: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{what} {path} is not valid JSON: {e}"))
}

pub fn probe(model_path: &str, input_path: &str) -> Result<(), String> {
    let model =
        from_json(&read_json(model_path, "model")?).map_err(|e| format!("model {model_path}: {e}"))?;
    let d = model.dims;
    let x = sequence_from_json(&read_json(input_path, "input")?, d.input)
        .map_err(|e| format!("{input_path}: {e}"))?;
    let steps = x.len() / d.input;
    let seq = Batch { steps, batch: 1, x, y: vec![0.0; steps * d.output], mask: vec![0.0; steps] };
    let p = Network::new(model).probe(&seq, Loss::Mse);
    println!("{}", json!({ "gates": p.gates, "output": p.output }));
    Ok(())
}
