//! Forward values of every cell against an independent reference: `tests/reference/
//! pytorch_equations.py` computes the documented equations (PyTorch's, and the papers' for the
//! gate lab's cells) in float64 on fixed weights,
//! for 2 stacked layers and a batch of 3 sequences.

use gatelab::nn::model_file::from_json;
use gatelab::nn::network::Network;
use serde_json::Value;

fn grid(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
        .collect()
}

/// Every value of `got` within 1e-5 of `want`, and the same shape (no zip may hide a short row).
fn assert_close(got: &[Vec<f32>], want: &[Vec<f64>], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: steps");
    for (t, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.len(), w.len(), "{what} step {t}: width");
        for (a, b) in g.iter().zip(w) {
            assert!((*a as f64 - b).abs() < 1e-5, "{what} step {t}: {a} vs {b}");
        }
    }
}

#[test]
fn every_cell_matches_the_reference_equations_for_stacks_and_batches() {
    let all: Value = serde_json::from_str(include_str!("reference/forward.json")).unwrap();
    for arch in gatelab::nn::Arch::NAMES {
        let case = &all[arch];
        let model = from_json(&case["model"]).unwrap();
        let d = model.dims;
        assert_eq!(d.layers, 2);
        let inputs: Vec<Vec<Vec<f64>>> = case["inputs"].as_array().unwrap().iter().map(grid).collect();
        let (b, t) = (inputs.len(), inputs[0].len());
        assert_eq!(b, 3);
        // x: [T, B, I], time-major.
        let mut x = vec![0.0f32; t * b * d.input];
        for (s, seq) in inputs.iter().enumerate() {
            for (step, row) in seq.iter().enumerate() {
                for (i, v) in row.iter().enumerate() {
                    x[(step * b + s) * d.input + i] = *v as f32;
                }
            }
        }
        let mut net = Network::new(model.clone());
        let y = net.forward(&x, t, b).to_vec();
        assert_eq!(y.len(), t * b * d.output);
        for s in 0..b {
            let got: Vec<Vec<f32>> =
                (0..t).map(|step| y[(step * b + s) * d.output..][..d.output].to_vec()).collect();
            assert_close(&got, &grid(&case["output"][s]), &format!("{arch} output, sequence {s}"));
        }
        // Every layer's h, one sequence at a time through the probe.
        for s in 0..b {
            let seq_x: Vec<f32> =
                (0..t).flat_map(|step| x[(step * b + s) * d.input..][..d.input].to_vec()).collect();
            let batch = gatelab::batch::Batch {
                steps: t,
                batch: 1,
                x: seq_x,
                y: vec![0.0; t * d.output],
                mask: vec![0.0; t],
            };
            let probe = Network::new(model.clone()).probe(&batch, gatelab::nn::loss::Loss::Mse);
            assert_eq!(probe.layers.len(), 2);
            for (l, layer) in probe.layers.iter().enumerate() {
                assert_close(
                    &layer["h"],
                    &grid(&case["h"][l][s]),
                    &format!("{arch} layer {l} h, sequence {s}"),
                );
            }
        }
    }
}
