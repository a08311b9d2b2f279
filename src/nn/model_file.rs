//! Model files in PyTorch `state_dict` naming, loadable with
//! `model.load_state_dict({k: torch.tensor(v) for k, v in f["state_dict"].items()})`
//! for `rnn = nn.LSTM/GRU/RNN(I, H)` and `readout = nn.Linear(H, O)`.

use super::{Arch, Dims, Layout, Model};
use serde_json::{json, Map, Value};

/// (state_dict key, rows, cols) of each tensor in layout order; cols = 0 marks a vector.
fn entries(arch: Arch, d: Dims) -> [(&'static str, usize, usize); 6] {
    let gh = arch.gates() * d.hidden;
    [
        ("rnn.weight_ih_l0", gh, d.input),
        ("rnn.weight_hh_l0", gh, d.hidden),
        ("rnn.bias_ih_l0", gh, 0),
        ("rnn.bias_hh_l0", gh, 0),
        ("readout.weight", d.output, d.hidden),
        ("readout.bias", d.output, 0),
    ]
}

pub fn to_json(m: &Model) -> Value {
    let mut dict = Map::new();
    let mut rest = m.params.as_slice();
    for (key, rows, cols) in entries(m.arch, m.dims) {
        let (t, tail) = rest.split_at(rows * cols.max(1));
        rest = tail;
        let v = if cols == 0 { json!(t) } else { json!(t.chunks_exact(cols).collect::<Vec<_>>()) };
        dict.insert(key.to_string(), v);
    }
    json!({
        "arch": m.arch.name(),
        "input_size": m.dims.input,
        "hidden_size": m.dims.hidden,
        "output_size": m.dims.output,
        "state_dict": dict,
    })
}

/// Parses and checks every name and shape; errors name the field at fault.
pub fn from_json(v: &Value) -> Result<Model, String> {
    let arch_name = v["arch"].as_str().ok_or("missing \"arch\" (lstm, gru or rnn)")?;
    let arch =
        Arch::parse(arch_name).ok_or(format!("\"arch\" is {arch_name:?}; expected lstm, gru or rnn"))?;
    let size = |k: &str| -> Result<usize, String> {
        match v[k].as_u64() {
            Some(n) if (1..=4096).contains(&n) => Ok(n as usize),
            _ => Err(format!("\"{k}\" must be an integer from 1 to 4096")),
        }
    };
    let dims =
        Dims { input: size("input_size")?, hidden: size("hidden_size")?, output: size("output_size")? };
    let dict = v["state_dict"].as_object().ok_or("missing \"state_dict\" object")?;
    let mut params = Vec::with_capacity(Layout::new(arch, dims).total);
    for (key, rows, cols) in entries(arch, dims) {
        let t = dict.get(key).ok_or(format!("state_dict has no \"{key}\""))?;
        read_tensor(t, rows, cols, &mut params).map_err(|e| format!("state_dict \"{key}\": {e}"))?;
    }
    Ok(Model { arch, dims, params })
}

fn read_tensor(t: &Value, rows: usize, cols: usize, out: &mut Vec<f32>) -> Result<(), String> {
    let want = if cols == 0 { format!("[{rows}]") } else { format!("[{rows}][{cols}]") };
    let outer = t.as_array().filter(|a| a.len() == rows).ok_or(format!("expected shape {want}"))?;
    for row in outer {
        if cols == 0 {
            out.push(number(row)?);
            continue;
        }
        let r = row.as_array().filter(|r| r.len() == cols).ok_or(format!("expected shape {want}"))?;
        for x in r {
            out.push(number(x)?);
        }
    }
    Ok(())
}

fn number(v: &Value) -> Result<f32, String> {
    v.as_f64().map(|x| x as f32).ok_or(format!("{v} is not a number"))
}

/// Reads a [T][I] JSON array of numbers into x: [T, 1, I].
pub fn sequence_from_json(v: &Value, input: usize) -> Result<Vec<f32>, String> {
    let steps = v.as_array().filter(|a| !a.is_empty()).ok_or("input must be a non-empty [T][I] array")?;
    let mut x = Vec::with_capacity(steps.len() * input);
    read_tensor(v, steps.len(), input, &mut x)
        .map_err(|e| format!("input: {e} (I = the model's input_size)"))?;
    Ok(x)
}

/// A standalone PyTorch script that rebuilds the network and loads a model file into it.
pub fn pytorch_script(arch: Arch, d: Dims, json_name: &str) -> String {
    let class = match arch {
        Arch::Lstm => "LSTM",
        Arch::Gru => "GRU",
        Arch::Rnn => "RNN",
    };
    format!(
        r#""""Rebuilds a Gatelab {class} ({h} cells) in PyTorch and loads its weights from {json_name}."""
import json

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.{class}(input_size={i}, hidden_size={h})
        self.readout = nn.Linear({h}, {o})

    def forward(self, x):  # x: [T, B, {i}] -> [T, B, {o}], a readout at every step
        h, _ = self.rnn(x)
        return self.readout(h)


with open("{json_name}") as f:
    saved = json.load(f)
net = Net()
net.load_state_dict({{k: torch.tensor(v) for k, v in saved["state_dict"].items()}})
print(net)
print(net(torch.zeros(5, 1, {i})).shape)
"#,
        i = d.input,
        h = d.hidden,
        o = d.output
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init::{init, InitOptions};

    #[test]
    fn export_import_is_lossless_and_shape_errors_name_the_key() {
        for arch in Arch::ALL {
            let m = init(arch, Dims { input: 3, hidden: 5, output: 2 }, InitOptions::default(), 1);
            let text = serde_json::to_string(&to_json(&m)).unwrap();
            let back = from_json(&serde_json::from_str(&text).unwrap()).unwrap();
            assert_eq!(back, m);
        }
        let m = init(Arch::Gru, Dims { input: 3, hidden: 5, output: 2 }, InitOptions::default(), 1);
        let mut v = to_json(&m);
        v["state_dict"]["rnn.bias_hh_l0"] = json!([1.0, 2.0]);
        let err = from_json(&v).unwrap_err();
        assert!(err.contains("rnn.bias_hh_l0") && err.contains("[15]"), "{err}");
    }
}
