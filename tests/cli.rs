//! The `gatelab` binary: train writes its files and the head-to-head, probe and sample
//! reproduce a run's model, sweeps carry their verdict, shards merge into the one-machine
//! result, and bad input exits 2 with a one-line reason.

use gatelab::config::parse;
use gatelab::nn::model_file::from_json;
use gatelab::run::{Run, RunSpec};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gatelab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatelab")).args(args).output().expect("gatelab runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Exit code 2 and a one-line reason containing `part`.
fn refused(o: &Output, part: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(part), "{part:?} not in {err}");
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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const QUERY: &str = "task=sine&len=20&cells=6&layers=2&archs=lstm,gru,rnn&steps=40&every=10&seed=5&seeds=2";

#[test]
fn train_writes_curves_models_and_a_summary_and_probe_reproduces_the_run() {
    let out = tmp("train");
    let table = ok(&gatelab(&["train", QUERY, "--out", s(&out)]));
    assert!(table.contains("LSTM") && table.contains("baseline loss"), "{table}");

    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["query"], parse(QUERY).unwrap().to_string());
    let rows = summary["runs"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "3 archs x 2 seeds");
    let pairs = summary["head_to_head"].as_array().unwrap();
    assert_eq!(pairs.len(), 3, "every pair of 3 architectures");
    for key in ["a", "b", "wins_a", "wins_b", "ties", "p", "ratio", "ratio_lo", "ratio_hi", "winner"] {
        assert!(pairs.iter().all(|h| h.get(key).is_some()), "head_to_head lacks {key}");
    }
    for h in pairs {
        assert_eq!(
            h["wins_a"].as_u64().unwrap() + h["wins_b"].as_u64().unwrap() + h["ties"].as_u64().unwrap(),
            2
        );
        let (r, lo, hi) =
            (h["ratio"].as_f64().unwrap(), h["ratio_lo"].as_f64().unwrap(), h["ratio_hi"].as_f64().unwrap());
        assert!(lo < r && r < hi, "the interval holds the ratio: {h}");
        assert_eq!(h["winner"], "none", "2 seeds never name a winner");
        assert!(table.contains(h["text"].as_str().unwrap()), "the printed sentence is the file's");
    }
    for key in [
        "task",
        "arch",
        "hidden",
        "params",
        "lr",
        "seed",
        "steps",
        "train_loss",
        "val_loss",
        "val_metric",
        "test_metric",
        "baseline",
        "grad_decay",
        "seconds",
        "state",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "summary.json lacks {key}");
    }
    assert!(rows.iter().all(|r| r["state"] == "done" && r["steps"] == 40));

    let c = parse(QUERY).unwrap();
    for spec in RunSpec::all(&c) {
        let dir = out.join(spec.arch.name()).join(format!("seed{}", spec.seed));
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
        let probed: Value = serde_json::from_str(&ok(&gatelab(&[
            "probe",
            "--model",
            s(&dir.join("model.json")),
            "--input",
            s(&input),
        ])))
        .unwrap();
        let layers = probed["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 2, "every layer's gates");
        for (l, layer) in layers.iter().enumerate() {
            for name in spec.arch.probe_names() {
                let got: Vec<Vec<f32>> = serde_json::from_value(layer[name].clone()).unwrap();
                assert_eq!(got, view.probe.layers[l][*name], "{:?} layer {l} gate {name}", spec.arch);
            }
        }
        let out_rows: Vec<Vec<f32>> = serde_json::from_value(probed["output"].clone()).unwrap();
        assert_eq!(out_rows, view.probe.output);
    }
}

#[test]
fn a_text_model_writes_text_and_refuses_a_prime_outside_its_vocabulary() {
    let out = tmp("text");
    ok(&gatelab(&["train", "task=text&len=20&cells=8&archs=gru&steps=5&seeds=1", "--out", s(&out)]));
    let model = out.join("gru/seed1/model.json");
    let text =
        ok(&gatelab(&["sample", "--model", s(&model), "--chars", "40", "--prime", "ROMEO:", "--seed", "3"]));
    assert!(text.starts_with("ROMEO:") && text.chars().count() >= 46, "{text:?}");
    assert_eq!(
        text,
        ok(&gatelab(&["sample", "--model", s(&model), "--chars", "40", "--prime", "ROMEO:", "--seed", "3"]))
    );
    refused(&gatelab(&["sample", "--model", s(&model), "--chars", "10", "--prime", "Zoë"]), "'ë'");
    refused(&gatelab(&["sample", "--model", s(&model)]), "--chars");
    let sine = tmp("sine");
    ok(&gatelab(&["train", "task=sine&len=8&cells=4&archs=gru&steps=2&seeds=1", "--out", s(&sine)]));
    refused(&gatelab(&["sample", "--model", s(&sine.join("gru/seed1/model.json")), "--chars", "5"]), "vocab");
}

#[test]
fn every_gate_lab_cell_trains_and_writes_its_model_and_pytorch_script_and_probe_shows_its_gates() {
    let variants: Vec<&str> = gatelab::nn::Arch::ALL
        .iter()
        .filter(|a| !gatelab::nn::Arch::BASE.contains(a))
        .map(|a| a.name())
        .collect();
    let q =
        format!("task=adding&len=8&cells=4&layers=2&archs={}&steps=20&every=10&seeds=1", variants.join(","));
    let out = tmp("cells");
    ok(&gatelab(&["train", &q, "--out", s(&out)]));
    let c = parse(&q).unwrap();
    for spec in RunSpec::all(&c) {
        let dir = out.join(spec.arch.name()).join("seed1");
        let mut run = Run::new(&c, spec, || 0.0);
        run.advance(c.steps);
        let file = read_json(&dir.join("model.json"));
        assert_eq!(file["arch"], spec.arch.name());
        assert_eq!(
            from_json(&file).unwrap(),
            run.net.model,
            "{:?}: model.json is the trained model",
            spec.arch
        );
        let script = std::fs::read_to_string(dir.join("model.py")).unwrap();
        let head = format!(
            "ARCH, BLOCKS = \"{}\", \"{}\"\nI, H, O, L = 2, 4, 1, 2\n",
            spec.arch.name(),
            spec.arch.blocks()
        );
        assert!(script.contains(&head) && script.contains("WEIGHTS = \"model.json\""), "{:?}", spec.arch);
        let input = dir.join("x.json");
        std::fs::write(&input, "[[0.5, 1.0], [-0.25, 0.0], [1.0, 1.0]]").unwrap();
        let model = dir.join("model.json");
        let probed: Value =
            serde_json::from_str(&ok(&gatelab(&["probe", "--model", s(&model), "--input", s(&input)])))
                .unwrap();
        for layer in probed["layers"].as_array().unwrap() {
            let names: Vec<&String> = layer.as_object().unwrap().keys().collect();
            let mut want: Vec<&str> = spec.arch.probe_names().to_vec();
            want.sort();
            assert_eq!(names, want, "{:?}: every gate it has, and none it lacks", spec.arch);
        }
    }
}

#[test]
fn bad_input_exits_2_with_a_reason() {
    // The CLI fixes nothing: it says the problem, not what the page would do about it.
    let o = gatelab(&["train", "task=adding&cells=9999&frob=1"]);
    refused(&o, "cells: 9999 is out of range 1-256");
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("frob: unknown key") && !said.contains("using") && !said.contains("ignored"),
        "{said}"
    );
    for (q, part) in [
        ("seeds=0", "seeds"),
        ("seeds=11", "seeds"),
        ("lr=0.01,abc", "lr"),
        ("layers=0", "layers"),
        ("task=dyck&pairs=3", "pairs"),
        ("task=chess", "task"),
        ("cells=4&cells=8", "more than once"),
        ("archs=lstm,lsmt", "\"lsmt\" is not one of lstm, lstm-ph, lstm-nig"),
    ] {
        refused(&gatelab(&["train", q]), part);
    }
    // Past the memory limit: refused before anything is allocated, with the numbers.
    let huge = "task=copy&len=1000&cells=256&batch=256&archs=lstm&steps=1&seeds=1";
    refused(&gatelab(&["train", huge]), "GiB");
    refused(&gatelab(&["train", "task=adding&cells=4,8"]), "gatelab sweep");

    let dir = tmp("bad");
    let model = dir.join("m.json");
    std::fs::write(
        &model,
        r#"{"arch": "lstm", "input_size": 2, "hidden_size": 3, "output_size": 1, "state_dict": {}}"#,
    )
    .unwrap();
    let x = dir.join("x.json");
    std::fs::write(&x, "[[0.1, 0.2]]").unwrap();
    let o = gatelab(&["probe", "--model", s(&model), "--input", s(&x)]);
    refused(&o, "rnn.weight_ih_l0");
    assert_eq!(String::from_utf8_lossy(&o.stderr).lines().count(), 1);

    std::fs::write(&x, "[[0.1, 0.2, 0.3]]").unwrap();
    let good = dir.join("good.json");
    let d = gatelab::nn::Dims { input: 2, hidden: 3, output: 1, layers: 1 };
    let m = gatelab::nn::init::init(gatelab::nn::Arch::Gru, d, Default::default(), 1);
    std::fs::write(&good, gatelab::nn::model_file::to_json(&m, None).to_string()).unwrap();
    refused(&gatelab(&["probe", "--model", s(&good), "--input", s(&x)]), "[1][2]");
    refused(&gatelab(&["probe", "--model", "/nonexistent.json", "--input", s(&x)]), "cannot read model");
    assert_eq!(gatelab(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_sweep_over_learning_rates_reports_each_architecture_at_its_best() {
    let out = tmp("sweep");
    let q = "task=parity&len=8&cells=2,4&lr=0.003,0.03&archs=lstm,gru&seeds=2&confirm=3&steps=20";
    let text = ok(&gatelab(&["sweep", q, "--out", s(&out), "--threads", "2"]));
    assert!(
        text.contains("verdict") && text.contains("best at") && text.contains("Confirmed on 3 fresh seeds"),
        "{text}"
    );
    let file = read_json(&out.join("sweep.json"));
    let rows = file["runs"].as_array().unwrap();
    assert_eq!(rows.len(), 16);
    let specs = RunSpec::all(&parse(q).unwrap());
    for (r, s) in rows.iter().zip(&specs) {
        assert_eq!(
            (
                r["arch"].as_str().unwrap(),
                r["hidden"].as_u64().unwrap(),
                r["seed"].as_u64().unwrap(),
                r["lr"].as_f64().unwrap() as f32
            ),
            (s.arch.name(), s.hidden as u64, s.seed, s.lr)
        );
    }
    let v = &file["verdict"][0];
    assert_eq!(v["len"], 8);
    assert_eq!(v["best"].as_array().unwrap().len(), 2);
    let confirm = file["confirm"].as_array().unwrap();
    assert_eq!(confirm.len(), 2 * 3, "each architecture's best on 3 fresh seeds");
    for r in confirm {
        assert!((3..=5).contains(&r["seed"].as_u64().unwrap()), "fresh seeds, after 1-2: {r}");
        let best = v["best"].as_array().unwrap().iter().find(|b| b["arch"] == r["arch"]).unwrap();
        assert_eq!((&r["hidden"], &r["lr"]), (&best["hidden"], &best["lr"]), "at the chosen setting");
    }
    assert_eq!((v["confirmed"].as_bool(), v["seeds"].as_u64()), (Some(true), Some(3)));
    for key in ["ratio", "ratio_lo", "ratio_hi"] {
        assert!(v.get(key).is_some(), "verdict lacks {key}");
    }
    for key in [
        "hidden",
        "lr",
        "median_val_loss",
        "min_val_loss",
        "max_val_loss",
        "median_val_metric",
        "median_test_metric",
    ] {
        assert!(v["best"][0].get(key).is_some(), "verdict lacks {key}");
    }
    assert!(v["winner"].is_string() && v.get("p").is_some());
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 16 + 6, "a header, the grid, the confirmation");
    assert!(csv.lines().next().unwrap().contains(",lr,"));
    refused(
        &gatelab(&["sweep", "task=adding&len=1000&cells=256&seeds=10&steps=100000&archs=lstm,gru,rnn"]),
        "shards",
    );
}

/// The rows of a sweep.json without the timing columns.
fn untimed(file: &Value) -> Value {
    let mut f = file.clone();
    for part in ["runs", "confirm"] {
        for r in f[part].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("seconds");
        }
    }
    f
}

#[test]
fn three_shards_as_separate_processes_merge_stage_by_stage_into_the_one_machine_sweep() {
    let q = "task=adding&len=10,20&cells=2,6&archs=lstm,gru&seeds=2&confirm=3&steps=30";
    let whole = tmp("whole");
    ok(&gatelab(&["sweep", q, "--out", s(&whole)]));
    let dirs: Vec<PathBuf> = (1..=3).map(|k| tmp(&format!("shard{k}"))).collect();
    let merged = tmp("merged");
    // Stage 1 (the grid), then stage 2 (the confirmation) from the merge of stage 1: each stage
    // as three processes at once, as a cluster's array job runs them.
    for stage in ["1", "2"] {
        let children: Vec<_> = dirs
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let shard = format!("{}/3", k + 1);
                let mut args =
                    vec!["sweep", q, "--shard", &shard, "--out", s(d), "--threads", "1", "--stage", stage];
                if stage == "2" {
                    args.extend(["--from", s(&merged)]);
                }
                Command::new(env!("CARGO_BIN_EXE_gatelab")).args(&args).spawn().unwrap()
            })
            .collect();
        for c in children {
            ok(&c.wait_with_output().unwrap());
        }
        // Run shard 2 again: everything it did is skipped.
        let mut args = vec!["sweep", q, "--shard", "2/3", "--out", s(&dirs[1]), "--stage", stage];
        if stage == "2" {
            args.extend(["--from", s(&merged)]);
        }
        let again = gatelab(&args);
        assert!(
            String::from_utf8_lossy(&again.stderr).contains("already done"),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        let m = gatelab(&["merge", s(&dirs[0]), s(&dirs[1]), s(&dirs[2]), "--out", s(&merged)]);
        ok(&m);
        if stage == "1" {
            assert!(
                String::from_utf8_lossy(&m.stderr).contains("next: stage 2"),
                "{}",
                String::from_utf8_lossy(&m.stderr)
            );
            assert!(!merged.join("sweep.json").exists(), "not complete before the confirmation");
            refused(
                &gatelab(&["sweep", q, "--shard", "1/3", "--out", s(&dirs[0]), "--stage", "2"]),
                "--from",
            );
        }
    }
    assert_eq!(
        untimed(&read_json(&merged.join("sweep.json"))),
        untimed(&read_json(&whole.join("sweep.json")))
    );
    let strip = |p: &Path| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(|l| {
                // Every column but `seconds`.
                let seconds =
                    gatelab::experiment::summary::COLUMNS.iter().position(|c| c.name() == "seconds");
                let mut cols: Vec<&str> = l.split(',').collect();
                cols.remove(seconds.unwrap());
                cols.join(",")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(&merged.join("sweep.csv")),
        strip(&whole.join("sweep.csv")),
        "csv equal but for seconds"
    );

    refused(
        &gatelab(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged)]),
        "missing, from shard(s) 3/3",
    );
    refused(
        &gatelab(&["merge", s(&dirs[0]), s(&dirs[0]), s(&dirs[1]), s(&dirs[2]), "--out", s(&merged)]),
        "appears twice",
    );
    let other = tmp("other");
    ok(&gatelab(&[
        "sweep",
        "task=adding&len=10&cells=2,6&archs=lstm&seeds=1&steps=5",
        "--shard",
        "1/2",
        "--out",
        s(&other),
    ]));
    refused(&gatelab(&["merge", s(&dirs[0]), s(&other), "--out", s(&merged)]), "another sweep");
    refused(&gatelab(&["merge", "/nonexistent", "--out", s(&merged)]), "cannot read runs file");
    refused(&gatelab(&["sweep", q, "--shard", "1/3", "--out", s(&other), "--stage", "3"]), "--stage");
    refused(&gatelab(&["sweep", q, "--shard", "4/3", "--out", s(&other)]), "--shard");
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_users_data_trains_with_baselines_and_the_query_names_the_files_by_fingerprint() {
    let out = tmp("gunpoint");
    let (train, test) = (data("GunPoint_TRAIN.ts"), data("GunPoint_TEST.ts"));
    let q = "task=classify&cells=8&seeds=2&steps=30&archs=lstm,gru";
    let printed = ok(&gatelab(&["train", q, "--data", &train, "--data", &test, "--out", s(&out)]));
    // 30 steps are far from 1-NN's 0.913: said first, with the numbers, and no winner is worth it.
    let first = printed.lines().find(|l| l.contains("beat")).unwrap_or("");
    assert!(first.starts_with("Neither network beats 1-NN Euclidean (test accuracy 0.9133)"), "{printed}");
    assert!(printed.contains("held out: validation 10 cases, test 150 cases"), "{printed}");
    assert!(printed.contains("note: validation 10 cases, test 150 cases: fewer than 30"), "{printed}");
    let file = read_json(&out.join("summary.json"));
    assert_eq!(file["baselines"]["beats"], false);
    assert_eq!(file["baselines"]["baseline"], "nn1_euclidean");
    let query = file["query"].as_str().unwrap().to_string();
    assert!(query.contains("data=GunPoint_TRAIN.ts@sha256:f842401779fd9800d247d8b33121a1a4643710a19b24917dbdd9a060ca8630d5,GunPoint_TEST.ts@sha256:"), "{query}");
    assert!(query.contains("data_bytes=84188,252305"), "{query}");
    for r in file["runs"].as_array().unwrap() {
        let b = r["baselines"].as_object().unwrap();
        assert_eq!(b.keys().collect::<Vec<_>>(), vec!["majority", "nn1_euclidean"]);
        assert!((b["nn1_euclidean"].as_f64().unwrap() - 0.9133).abs() < 1e-4, "the archive's 0.913");
        assert!(r["test_metric"].as_f64().unwrap() > 0.0);
    }
    // The query written names the files: with them it runs again; with other files it exits 2.
    ok(&gatelab(&["train", &query, "--data", &train, "--data", &test]));
    refused(
        &gatelab(&[
            "train",
            &query,
            "--data",
            &data("BasicMotions_TRAIN.ts"),
            "--data",
            &data("BasicMotions_TEST.ts"),
        ]),
        "but --data gives",
    );
    refused(&gatelab(&["train", &query]), "is not loaded");
    refused(&gatelab(&["train", "task=classify"]), "runs on your data");
    let printed =
        ok(&gatelab(&["data", &data("Airline.csv"), "--query", "task=forecast&len=24&period=12&horizon=3"]));
    assert!(
        printed.contains("baseline naive: test MASE")
            && printed.contains("baseline seasonal_naive: test MASE"),
        "{printed}"
    );
    let sweep = tmp("airline");
    ok(&gatelab(&[
        "sweep",
        "task=forecast&len=12&cells=4,8&seeds=2&confirm=2&steps=20&period=12",
        "--data",
        &data("Airline.csv"),
        "--out",
        s(&sweep),
    ]));
    let file = read_json(&sweep.join("sweep.json"));
    assert_eq!(
        file["runs"][0]["baselines"].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["naive", "seasonal_naive"]
    );
    let verdict = file["verdict"][0]["text"].as_str().unwrap();
    assert!(verdict.starts_with("len 12: Neither network beats naive forecast (test MASE"), "{verdict}");
    assert!(verdict.contains("between the two networks only: "), "{verdict}");
    assert_eq!(file["verdict"][0]["winner"], "none", "a simple baseline beats both: no winner");
}

#[test]
fn hostile_data_files_exit_2_naming_the_problem() {
    let dir = tmp("hostile");
    let write = |name: &str, text: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (write("empty.csv", b""), "task=forecast", "is empty"),
        (write("ragged.csv", b"a,b\n1,2\n3\n"), "task=forecast", "line 3: 1 cells"),
        (
            write("words.csv", b"a,b\n1,2\n2,x\n3,4\n"),
            "task=forecast&column=b",
            "line 3, column 2 (b): \"x\" is not a number",
        ),
        (
            write("short.csv", b"y\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"),
            "task=forecast&len=24",
            "too short for windows of len 24",
        ),
        (write("gone.csv", b"a,b\n1,\n2,\n3,NA\n"), "task=forecast&column=b", "has no value at all"),
        (
            write("one.ts", b"@classLabel true a\n@data\n1,2,3:a\n2,3,4:a\n"),
            "task=classify",
            "one class only",
        ),
        (write("bytes.txt", &[b'a', 0xC3, 0x28, b'b']), "task=text", "not UTF-8 text"),
        (write("s.csv", b"y\n1\n2\n"), "task=classify", "not data for task=classify"),
    ];
    for (file, q, part) in cases {
        let o = gatelab(&["train", q, "--data", &file]);
        refused(&o, part);
        assert_eq!(String::from_utf8_lossy(&o.stderr).lines().count(), 1, "one line for {file}");
    }
    let (tr, te) = (
        write("l_TRAIN.ts", b"@classLabel true a b\n@data\n1,2:a\n2,1:b\n"),
        write("l_TEST.ts", b"@classLabel true a b c\n@data\n1,2:c\n"),
    );
    refused(&gatelab(&["train", "task=classify", "--data", &tr, "--data", &te]), "never appears in TRAIN");
    refused(&gatelab(&["data", "/nonexistent.csv"]), "cannot read /nonexistent.csv");
}

/// search.json without the timing fields.
fn untimed_search(file: &Value) -> Value {
    let mut f = file.clone();
    for t in f["trials"].as_array_mut().unwrap() {
        for r in t["rungs"].as_array_mut().unwrap() {
            for run in r["runs"].as_array_mut().unwrap() {
                run.as_object_mut().unwrap().remove("seconds");
            }
        }
    }
    for r in f["confirm"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("seconds");
    }
    f
}

#[test]
fn a_search_runs_whole_or_as_shards_stage_by_stage_to_the_same_search_json() {
    let q = "task=parity&len=6&lr=0.001..0.1&cells=2..16&archs=lstm,gru&trials=6&halving=2&seeds=2&confirm=2&steps=40";
    let whole = tmp("search-whole");
    let printed = ok(&gatelab(&["search", q, "--out", s(&whole)]));
    assert!(printed.contains("what mattered") && printed.contains("Confirmed on 2 fresh seeds"), "{printed}");
    let file = read_json(&whole.join("search.json"));
    for key in ["query", "trials", "budget", "best", "confirm", "verdict", "importance", "interaction"] {
        assert!(file.get(key).is_some(), "search.json lacks {key}");
    }
    assert_eq!(file["budget"]["lstm"], file["budget"]["gru"], "equal budgets");
    assert_eq!(file["trials"].as_array().unwrap().len(), 2 * 6);
    let t = &file["trials"][0];
    assert!(
        t["values"].get("lr").is_some()
            && t["values"].get("cells").is_some()
            && t["rungs"][0].get("median_val_loss").is_some()
    );
    assert!(file["importance"]["gru"]["lr"].get("share").is_some());
    // 6 trials at halving 2: rungs of 6, 3 and 1 trials, then the confirmation: 4 stages.
    let dirs: Vec<PathBuf> = (1..=2).map(|k| tmp(&format!("search-shard{k}"))).collect();
    let merged = tmp("search-merged");
    for stage in ["1", "2", "3", "4"] {
        for (k, d) in dirs.iter().enumerate() {
            let shard = format!("{}/2", k + 1);
            let mut args =
                vec!["search", q, "--shard", &shard, "--stage", stage, "--out", s(d), "--threads", "1"];
            if stage != "1" {
                args.extend(["--from", s(&merged)]);
            }
            ok(&gatelab(&args));
        }
        ok(&gatelab(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged)]));
    }
    assert_eq!(untimed_search(&read_json(&merged.join("search.json"))), untimed_search(&file));
    // The page reads it back, and refuses it with one number changed.
    let text = std::fs::read_to_string(whole.join("search.json")).unwrap();
    assert!(gatelab::experiment::files::search::SearchFile::read(&text).is_ok());
    let mut bad = file.clone();
    bad["trials"][0]["rungs"][0]["runs"][0]["val_loss"] = serde_json::json!(0.123456);
    let e = gatelab::experiment::files::search::SearchFile::read(&bad.to_string()).unwrap_err();
    assert!(e.contains("not what its runs give"), "{e}");
    refused(&gatelab(&["search", "task=parity&lr=0.1..0.001"]), "is above");
    refused(&gatelab(&["search", "task=parity&len=2..5&lr=0.001..0.1"]), "len takes no range");
    refused(&gatelab(&["sweep", q]), "gatelab search");
    refused(&gatelab(&["search", "task=parity&cells=4,8"]), "no range");
}

#[test]
fn an_atlas_runs_whole_or_as_shards_stage_by_stage_to_the_same_atlas_json() {
    let only = "id=parity-5-1k";
    let whole = tmp("atlas-whole");
    let printed = ok(&gatelab(&["atlas", "--only", only, "--out", s(&whole), "--threads", "2"]));
    assert!(
        printed.contains("parity (non-linear state):") && printed.contains("Verdicts that replicate"),
        "{printed}"
    );
    let file = read_json(&whole.join("atlas.json"));
    assert_eq!(file["query"], "atlas:id=parity-5-1k");
    assert_eq!(file["cells"].as_array().unwrap().len(), 1);
    let cell = &file["cells"][0];
    assert_eq!((cell["seeds"][0][0].as_u64(), cell["seeds"][1][1].as_u64()), (Some(2), Some(13)));
    let plan = ok(&gatelab(&["stages", "atlas:id=parity-5-1k"]));
    assert!(plan.starts_with("3 atlas\n"), "{plan}");
    let dirs: Vec<PathBuf> = (1..=2).map(|k| tmp(&format!("atlas-shard{k}"))).collect();
    let merged = tmp("atlas-merged");
    for stage in ["1", "2", "3"] {
        for (k, d) in dirs.iter().enumerate() {
            let shard = format!("{}/2", k + 1);
            let mut args = vec![
                "atlas",
                "atlas:id=parity-5-1k",
                "--shard",
                &shard,
                "--stage",
                stage,
                "--out",
                s(d),
                "--threads",
                "1",
            ];
            if stage != "1" {
                args.extend(["--from", s(&merged)]);
            }
            ok(&gatelab(&args));
        }
        ok(&gatelab(&["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged)]));
    }
    // Every timing, and the machine (a merge names none), out at every depth.
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => m
                .iter()
                .filter(|(k, _)| !["seconds", "machine"].contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), strip(x)))
                .collect(),
            Value::Array(a) => a.iter().map(strip).collect(),
            x => x.clone(),
        }
    }
    assert_eq!(strip(&read_json(&merged.join("atlas.json"))), strip(&file));
    refused(&gatelab(&["atlas", "--only", "task=nothing"]), "no atlas cell matches");
    refused(&gatelab(&["atlas", "task=adding"]), "is not an atlas");
}

#[test]
fn train_writes_the_best_checkpoint_beside_the_last_weights_where_they_differ() {
    // Eight training sequences: the GRU memorises them and validation loss rises again.
    let q = "task=adding&len=10&cells=32&archs=gru&train=8&lr=0.02&steps=400&every=20&seeds=1";
    let out = tmp("best-checkpoint");
    ok(&gatelab(&["train", q, "--out", s(&out), "--threads", "1"]));
    let c = parse(q).unwrap();
    let spec = RunSpec::all(&c)[0];
    let dir = out.join("gru/seed1");
    let mut run = Run::new(&c, spec, || 0.0);
    run.advance(c.steps);
    let best = run.best_model().expect("the lowest validation loss came before the end");
    assert_eq!(from_json(&read_json(&dir.join("model-best.json"))).unwrap(), best);
    assert_eq!(from_json(&read_json(&dir.join("model.json"))).unwrap(), run.net.model);
    let script = std::fs::read_to_string(dir.join("model-best.py")).unwrap();
    assert!(script.contains("WEIGHTS = \"model-best.json\""), "{script}");
    let summary = read_json(&out.join("summary.json"));
    let row = &summary["runs"][0];
    assert!(row["best_step"].as_u64().unwrap() < 400, "{row}");
}

#[test]
fn fast_runs_record_their_arithmetic_and_never_mix_with_exact_ones() {
    use gatelab::experiment::files::{search::SearchFile, sweep::SweepFile};
    use gatelab::nn::arithmetic::Arithmetic;
    let q = "task=adding&len=10&cells=4,6&archs=lstm,gru&seeds=2&confirm=2&steps=20";
    if let Err(e) = Arithmetic::Fused.available() {
        return refused(&gatelab(&["sweep", q, "--fast"]), &e);
    }
    // train: summary.json says which, and so does every fused run.
    let (exact, fast) = (tmp("arith-exact"), tmp("arith-fast"));
    let t = "task=adding&len=10&cells=4&archs=lstm,gru&steps=20&seeds=1";
    ok(&gatelab(&["train", t, "--out", s(&exact)]));
    ok(&gatelab(&["train", t, "--out", s(&fast), "--fast"]));
    let (e, f) = (read_json(&exact.join("summary.json")), read_json(&fast.join("summary.json")));
    assert_eq!((&e["arithmetic"], &f["arithmetic"]), (&Value::from("exact"), &Value::from("fused")));
    assert!(e["runs"].as_array().unwrap().iter().all(|r| r["arithmetic"] == "exact"));
    assert!(f["runs"].as_array().unwrap().iter().all(|r| r["arithmetic"] == "fused"));
    // sweep and search: the file says fused and reads back so; a file that lies is refused.
    let sweep = tmp("arith-sweep");
    ok(&gatelab(&["sweep", q, "--out", s(&sweep), "--fast"]));
    let text = std::fs::read_to_string(sweep.join("sweep.json")).unwrap();
    assert_eq!(SweepFile::read(&text).unwrap().1.arithmetic, Arithmetic::Fused);
    let csv = std::fs::read_to_string(sweep.join("sweep.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",arithmetic"));
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",fused")), "{csv}");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["arithmetic"] = "exact".into();
    let err = SweepFile::read(&v.to_string()).unwrap_err();
    assert!(err.contains("said to be exact but its runs are fused"), "{err}");
    v["runs"][0]["arithmetic"] = "exact".into();
    let err = SweepFile::read(&v.to_string()).unwrap_err();
    assert!(err.contains("mixed"), "{err}");
    let search = tmp("arith-search");
    let sq = "task=adding&len=10&cells=4&archs=lstm,gru&lr=0.003..0.03&trials=2&halving=2&confirm=2&steps=20";
    ok(&gatelab(&["search", sq, "--out", s(&search), "--fast"]));
    let text = std::fs::read_to_string(search.join("search.json")).unwrap();
    assert_eq!(SearchFile::read(&text).unwrap().1.arithmetic, Arithmetic::Fused);
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["arithmetic"] = "exact".into();
    assert!(SearchFile::read(&v.to_string()).unwrap_err().contains("said to be exact"));
    // Shards: an exact one and a fused one do not merge, and a folder of one arithmetic is
    // not continued in the other.
    let (a, b, merged) = (tmp("arith-a"), tmp("arith-b"), tmp("arith-merged"));
    ok(&gatelab(&["sweep", q, "--shard", "1/2", "--out", s(&a)]));
    ok(&gatelab(&["sweep", q, "--shard", "2/2", "--out", s(&b), "--fast"]));
    refused(&gatelab(&["merge", s(&a), s(&b), "--out", s(&merged)]), "cannot be merged");
    refused(&gatelab(&["sweep", q, "--shard", "1/2", "--out", s(&a), "--fast"]), "are of exact arithmetic");
    refused(&gatelab(&["gallery", "--fast"]), "unknown option --fast");
}
