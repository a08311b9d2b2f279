//! The `gatelab` binary: train writes its files, probe reproduces the run's own activations,
//! and bad input exits 2 with a one-line reason.

use gatelab::config::parse;
use gatelab::nn::model_file::from_json;
use gatelab::run::{Run, RunSpec};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gatelab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gatelab")).args(args).output().expect("gatelab runs")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gatelab-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

const QUERY: &str = "task=sine&len=20&cells=6&archs=lstm,gru,rnn&steps=40&every=10&seed=5";

#[test]
fn train_writes_curves_models_and_a_summary_and_probe_reproduces_the_run() {
    let out = tmp("train");
    let o = gatelab(&["train", QUERY, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("lstm") && table.contains("baseline loss"), "{table}");

    let summary = read_json(&out.join("summary.json"));
    let rows = summary.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for key in [
        "task",
        "arch",
        "hidden",
        "params",
        "seed",
        "steps",
        "train_loss",
        "val_loss",
        "val_metric",
        "test_metric",
        "baseline",
        "seconds",
        "state",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "summary.json lacks {key}");
    }
    assert!(rows.iter().all(|r| r["state"] == "done" && r["steps"] == 40));

    let c = parse(QUERY).unwrap();
    for spec in RunSpec::all(&c) {
        let dir = out.join(spec.arch.name());
        let curve = std::fs::read_to_string(dir.join("curve.csv")).unwrap();
        assert!(curve.starts_with("step,seconds,train_loss,val_loss,val_metric,test_metric,grad_norm\n"));
        assert_eq!(curve.lines().count(), 1 + 5, "a header, step 0 and 4 records");

        // The same config trained here is the same run: probe the saved model on its probe input.
        let mut run = Run::new(&c, spec, || 0.0);
        run.advance(c.steps);
        let saved = from_json(&read_json(&dir.join("model.json"))).unwrap();
        assert_eq!(saved, run.net.model, "{:?}: model.json is the trained model", spec.arch);
        let view = run.probe(3);
        let input = dir.join("x.json");
        std::fs::write(&input, serde_json::to_string(&view.input).unwrap()).unwrap();
        let o = gatelab(&[
            "probe",
            "--model",
            dir.join("model.json").to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let probed: Value = serde_json::from_slice(&o.stdout).unwrap();
        for name in spec.arch.probe_names() {
            let got: Vec<Vec<f32>> = serde_json::from_value(probed["gates"][name].clone()).unwrap();
            assert_eq!(got, view.probe.gates[*name], "{:?} gate {name}", spec.arch);
        }
        let out_rows: Vec<Vec<f32>> = serde_json::from_value(probed["output"].clone()).unwrap();
        assert_eq!(out_rows, view.probe.output);
    }
}

#[test]
fn bad_input_exits_2_with_a_reason() {
    let o = gatelab(&["train", "task=adding&cells=9999"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cells") && err.contains("1-256"), "{err}");

    let dir = tmp("bad");
    let model = dir.join("m.json");
    std::fs::write(
        &model,
        r#"{"arch": "lstm", "input_size": 2, "hidden_size": 3, "output_size": 1, "state_dict": {}}"#,
    )
    .unwrap();
    let x = dir.join("x.json");
    std::fs::write(&x, "[[0.1, 0.2]]").unwrap();
    let o = gatelab(&["probe", "--model", model.to_str().unwrap(), "--input", x.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("rnn.weight_ih_l0") && err.lines().count() == 1, "{err}");

    std::fs::write(&x, "[[0.1, 0.2, 0.3]]").unwrap();
    let good = dir.join("good.json");
    let m = gatelab::nn::init::init(
        gatelab::nn::Arch::Gru,
        gatelab::nn::Dims { input: 2, hidden: 3, output: 1 },
        Default::default(),
        1,
    );
    std::fs::write(&good, gatelab::nn::model_file::to_json(&m).to_string()).unwrap();
    let o = gatelab(&["probe", "--model", good.to_str().unwrap(), "--input", x.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[1][2]"));

    let o = gatelab(&["probe", "--model", "/nonexistent.json", "--input", x.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read model"));
    assert_eq!(gatelab(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn sweep_writes_csv_and_json_in_config_order() {
    let out = tmp("sweep");
    let q = "task=parity&len=8&cells=2,4&archs=lstm,gru&seeds=2&steps=20";
    let o = gatelab(&["sweep", q, "--out", out.to_str().unwrap(), "--threads", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = read_json(&out.join("sweep.json"));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let specs = RunSpec::all(&parse(q).unwrap());
    for (r, s) in rows.iter().zip(&specs) {
        assert_eq!(
            (r["arch"].as_str().unwrap(), r["hidden"].as_u64().unwrap(), r["seed"].as_u64().unwrap()),
            (s.arch.name(), s.hidden as u64, s.seed)
        );
    }
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 9);
    let refused =
        gatelab(&["sweep", "task=adding&len=1000&cells=256&seeds=10&steps=100000&archs=lstm,gru,rnn"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("limit"));
}
