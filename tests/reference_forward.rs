//! Forward values of each cell against an independent reference: `tests/reference/
//! pytorch_equations.py` computes PyTorch's documented equations in float64 on fixed weights.

use gatelab::nn::loss::Loss;
use gatelab::nn::model_file::{from_json, sequence_from_json};
use gatelab::nn::network::{Batch, Network};
use serde_json::Value;

#[test]
fn every_cell_matches_the_reference_equations() {
    let all: Value = serde_json::from_str(include_str!("reference/forward.json")).unwrap();
    for arch in ["lstm", "gru", "rnn"] {
        let case = &all[arch];
        let model = from_json(&case["model"]).unwrap();
        let x = sequence_from_json(&case["input"], model.dims.input).unwrap();
        let steps = x.len() / model.dims.input;
        let seq =
            Batch { steps, batch: 1, x, y: vec![0.0; steps * model.dims.output], mask: vec![0.0; steps] };
        let probe = Network::new(model).probe(&seq, Loss::Mse);
        for (name, got) in [("h", &probe.gates["h"]), ("output", &probe.output)] {
            for (t, (row, want)) in got.iter().zip(case[name].as_array().unwrap()).enumerate() {
                for (g, w) in row.iter().zip(want.as_array().unwrap()) {
                    let w = w.as_f64().unwrap();
                    assert!((*g as f64 - w).abs() < 1e-5, "{arch} {name} step {t}: {g} vs {w}");
                }
            }
        }
    }
}
