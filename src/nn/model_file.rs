//! Model files in PyTorch `state_dict` naming, loadable with
//! `model.load_state_dict({k: torch.tensor(v) for k, v in f["state_dict"].items()})`
//! for `rnn = nn.LSTM/GRU/RNN(I, H, num_layers=L)` and `readout = nn.Linear(H, O)`.
//! Reading checks every name, size, shape and number before it reserves any memory.

use super::{Arch, Dims, Extra, Layout, Model, MAX_LAYERS};
use serde_json::{json, Map, Value};

/// The largest sizes a model file may declare: those a config can make (cells stop at 256;
/// inputs and outputs at the text task's vocabulary, well below 256).
pub const MAX_SIZE: usize = 256;

const KEYS: [&str; 7] =
    ["arch", "input_size", "hidden_size", "output_size", "num_layers", "vocab", "state_dict"];

/// (state_dict key, rows, cols) of each tensor in layout order; cols = 0 marks a vector.
/// A cell without a recurrent matrix has no `weight_hh`/`bias_hh`; a variant's extra tensor
/// follows the layer's four.
fn entries(arch: Arch, d: Dims) -> Vec<(String, usize, usize)> {
    let (gh, rh) = (arch.gates() * d.hidden, arch.recurrent_gates() * d.hidden);
    let mut out = Vec::new();
    for l in 0..d.layers {
        out.push((format!("rnn.weight_ih_l{l}"), gh, d.layer_input(l)));
        if rh > 0 {
            out.push((format!("rnn.weight_hh_l{l}"), rh, d.hidden));
        }
        out.push((format!("rnn.bias_ih_l{l}"), gh, 0));
        if rh > 0 {
            out.push((format!("rnn.bias_hh_l{l}"), rh, 0));
        }
        match arch.extra() {
            Some(Extra::Peepholes) => out.push((format!("rnn.weight_ph_l{l}"), 3 * d.hidden, 0)),
            Some(Extra::GateRecurrence) => {
                out.push((format!("rnn.weight_gg_l{l}"), 3 * d.hidden, 3 * d.hidden))
            }
            None => {}
        }
    }
    out.push(("readout.weight".into(), d.output, d.hidden));
    out.push(("readout.bias".into(), d.output, 0));
    out
}

/// A model and, for the text task, the characters its inputs and outputs stand for.
pub fn to_json(m: &Model, vocab: Option<&str>) -> Value {
    let mut dict = Map::new();
    let mut rest = m.params.as_slice();
    for (key, rows, cols) in entries(m.arch, m.dims) {
        let (t, tail) = rest.split_at(rows * cols.max(1));
        rest = tail;
        let v = if cols == 0 { json!(t) } else { json!(t.chunks_exact(cols).collect::<Vec<_>>()) };
        dict.insert(key, v);
    }
    let mut v = json!({
        "arch": m.arch.name(),
        "input_size": m.dims.input,
        "hidden_size": m.dims.hidden,
        "output_size": m.dims.output,
        "num_layers": m.dims.layers,
        "state_dict": dict,
    });
    if let Some(chars) = vocab {
        v["vocab"] = json!(chars);
    }
    v
}

/// Parses and checks every name, size, shape and number; errors name the field at fault.
pub fn from_json(v: &Value) -> Result<Model, String> {
    let obj = v.as_object().ok_or("a model file is a JSON object")?;
    if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("unknown field {k:?} (expected {})", KEYS.join(", ")));
    }
    let arch_name =
        v["arch"].as_str().ok_or_else(|| format!("missing \"arch\" (one of {})", Arch::names()))?;
    let arch = Arch::parse(arch_name)
        .ok_or_else(|| format!("\"arch\" is {arch_name:?}; expected one of {}", Arch::names()))?;
    let size = |k: &str, max: usize, default: Option<usize>| -> Result<usize, String> {
        match (&v[k], default) {
            (Value::Null, Some(d)) => Ok(d),
            (n, _) => match n.as_u64() {
                Some(n) if (1..=max as u64).contains(&n) => Ok(n as usize),
                _ => Err(format!("\"{k}\" must be a whole number from 1 to {max}")),
            },
        }
    };
    let dims = Dims {
        input: size("input_size", MAX_SIZE, None)?,
        hidden: size("hidden_size", MAX_SIZE, None)?,
        output: size("output_size", MAX_SIZE, None)?,
        layers: size("num_layers", MAX_LAYERS, Some(1))?,
    };
    if !matches!(v["vocab"], Value::Null | Value::String(_)) {
        return Err("\"vocab\" must be a string".into());
    }
    let dict = v["state_dict"].as_object().ok_or("missing \"state_dict\" object")?;
    let want = entries(arch, dims);
    if let Some(k) = dict.keys().find(|k| !want.iter().any(|w| &w.0 == *k)) {
        return Err(format!(
            "state_dict has a tensor {k:?} that a {}-layer {arch_name} does not have",
            dims.layers
        ));
    }
    for (key, rows, cols) in &want {
        let t = dict.get(key).ok_or(format!("state_dict has no \"{key}\""))?;
        check_shape(t, *rows, *cols).map_err(|e| format!("state_dict \"{key}\": {e}"))?;
    }
    let mut params = Vec::with_capacity(Layout::new(arch, dims).total);
    for (key, _, cols) in &want {
        read_numbers(&dict[key], *cols, &mut params).map_err(|e| format!("state_dict \"{key}\": {e}"))?;
    }
    Ok(Model { arch, dims, params })
}

/// The vocabulary of a text model file, if it has one.
pub fn vocab(v: &Value) -> Option<&str> {
    v["vocab"].as_str()
}

fn check_shape(t: &Value, rows: usize, cols: usize) -> Result<(), String> {
    let want = || {
        if cols == 0 {
            format!("expected shape [{rows}]")
        } else {
            format!("expected shape [{rows}][{cols}]")
        }
    };
    let outer = t.as_array().filter(|a| a.len() == rows).ok_or_else(want)?;
    if cols > 0 && !outer.iter().all(|r| r.as_array().is_some_and(|r| r.len() == cols)) {
        return Err(want());
    }
    Ok(())
}

/// Appends the numbers of a checked tensor; each must be a finite f32.
fn read_numbers(t: &Value, cols: usize, out: &mut Vec<f32>) -> Result<(), String> {
    for row in t.as_array().into_iter().flatten() {
        if cols == 0 {
            out.push(number(row)?);
        } else {
            for x in row.as_array().into_iter().flatten() {
                out.push(number(x)?);
            }
        }
    }
    Ok(())
}

fn number(v: &Value) -> Result<f32, String> {
    match v.as_f64() {
        Some(x) if x.is_finite() && x.abs() <= f32::MAX as f64 => Ok(x as f32),
        Some(x) => Err(format!("{x} does not fit a finite f32")),
        None => Err(format!("{v} is not a number")),
    }
}

/// Reads a [T][I] JSON array of numbers into x: [T, 1, I]; at most `max_steps` steps.
pub fn sequence_from_json(v: &Value, input: usize, max_steps: usize) -> Result<Vec<f32>, String> {
    let steps = v.as_array().filter(|a| !a.is_empty()).ok_or("input must be a non-empty [T][I] array")?;
    if steps.len() > max_steps {
        return Err(format!("input has {} steps; at most {max_steps}", steps.len()));
    }
    check_shape(v, steps.len(), input).map_err(|e| format!("input: {e} (I = the model's input_size)"))?;
    let mut x = Vec::with_capacity(steps.len() * input);
    read_numbers(v, input, &mut x).map_err(|e| format!("input: {e}"))?;
    Ok(x)
}

/// A standalone PyTorch script (`model.py`) that rebuilds the network from the cell's
/// equations, loads a model file into it and prints its output for an input; `json_name` is
/// the model file's path relative to the script's own folder.
pub fn pytorch_script(arch: Arch, d: Dims, json_name: &str) -> String {
    let fields = [
        ("__ARCH__", arch.name().to_string()),
        ("__ABOUT__", arch.about().to_string()),
        ("__BLOCKS__", arch.blocks().to_string()),
        ("__INPUT__", d.input.to_string()),
        ("__HIDDEN__", d.hidden.to_string()),
        ("__OUTPUT__", d.output.to_string()),
        ("__LAYERS__", d.layers.to_string()),
        ("__JSON__", json_name.to_string()),
    ];
    fields.iter().fold(include_str!("model.py").to_string(), |s, (k, v)| s.replace(k, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init::{init, InitOptions};

    fn dims(layers: usize) -> Dims {
        Dims { input: 3, hidden: 5, output: 2, layers }
    }

    #[test]
    fn export_import_is_lossless_and_names_follow_pytorch() {
        for arch in Arch::ALL {
            for layers in 1..=3 {
                let m = init(arch, dims(layers), InitOptions::default(), 1);
                let v = to_json(&m, None);
                let text = serde_json::to_string(&v).unwrap();
                assert_eq!(from_json(&serde_json::from_str(&text).unwrap()).unwrap(), m);
                let last = format!("rnn.weight_hh_l{}", layers - 1);
                assert_eq!(
                    v["state_dict"].get(&last).is_some(),
                    arch.recurrent_gates() > 0,
                    "{arch:?} {last}"
                );
                let names: Vec<&String> = v["state_dict"].as_object().unwrap().keys().collect();
                let extra = ["weight_ph", "weight_gg"]
                    .iter()
                    .filter(|e| names.iter().any(|n| n.contains(*e)))
                    .count();
                assert_eq!(extra > 0, arch.extra().is_some(), "{arch:?}");
                assert_eq!(v["arch"], json!(arch.name()));
            }
        }
    }

    #[test]
    fn bad_files_are_refused_naming_the_field() {
        let m = init(Arch::Gru, dims(2), InitOptions::default(), 1);
        let bad = |edit: &dyn Fn(&mut Value)| {
            let mut v = to_json(&m, Some("ab"));
            edit(&mut v);
            from_json(&v).unwrap_err()
        };
        let e = bad(&|v| v["state_dict"]["rnn.bias_hh_l1"] = json!([1.0, 2.0]));
        assert!(e.contains("rnn.bias_hh_l1") && e.contains("[15]"), "{e}");
        assert!(bad(&|v| v["hidden_size"] = json!(4096)).contains("1 to 256"));
        assert!(bad(&|v| v["num_layers"] = json!(4)).contains("num_layers"));
        assert!(bad(&|v| v["extra"] = json!(1)).contains("unknown field \"extra\""));
        let e = bad(&|v| v["state_dict"]["rnn.weight_ih_l2"] = json!([]));
        assert!(e.contains("\"rnn.weight_ih_l2\" that a 2-layer gru does not have"), "{e}");
        assert!(bad(&|v| v["arch"] = json!("lsmt")).contains("expected one of lstm, lstm-ph"));
        assert!(bad(&|v| v["state_dict"]["readout.bias"][0] = json!(1e39)).contains("finite f32"));
        assert!(bad(&|v| v["state_dict"]["readout.bias"][0] = json!("x")).contains("not a number"));
        assert!(bad(&|v| v["vocab"] = json!(3)).contains("vocab"));
        // A file declaring huge sizes is refused before anything is reserved for them.
        assert!(bad(&|v| v["input_size"] = json!(u64::MAX)).contains("input_size"));
    }

    #[test]
    fn a_file_whose_arch_and_tensors_disagree_is_refused_naming_the_tensor() {
        let as_arch = |from: Arch, to: &str| {
            let mut v = to_json(&init(from, dims(1), InitOptions::default(), 1), None);
            v["arch"] = json!(to);
            from_json(&v).unwrap_err()
        };
        assert!(as_arch(Arch::Lstm, "lstm-ph").contains("no \"rnn.weight_ph_l0\""));
        assert!(
            as_arch(Arch::LstmFgr, "lstm").contains("\"rnn.weight_gg_l0\" that a 1-layer lstm does not have")
        );
        let e = as_arch(Arch::Gru, "mingru");
        assert!(e.contains("_hh_l0\" that a 1-layer mingru does not have"), "{e}");
        // The same tensors, but a variant with fewer gate blocks: the shape is named.
        assert!(as_arch(Arch::Lstm, "lstm-cifg").contains("[15][3]"));
    }
}
