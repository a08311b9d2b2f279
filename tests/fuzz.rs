//! Property tests over hostile input: no query string panics the parser, no JSON panics model
//! or sweep-file loading, and any valid config within the limits trains a step.

use gatelab::config::{parse, parse_lenient};
use gatelab::datafile::{read, File};
use gatelab::experiment::files::sweep::SweepFile;
use gatelab::limits::Memory;
use gatelab::nn::model_file::from_json;
use gatelab::run::{Run, RunSpec};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("JSON numbers are finite", |x| x.is_finite()).prop_map(|x| json!(x)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,10}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A real model file (an LSTM, GRU or RNN with 2 inputs, 3 hidden units, 1 output, 1 or 2
/// layers) with one of its sizes replaced by a hostile value: (the file, whether the value
/// replaced is the true one).
fn model_with_a_size(hostile: Value, field: &'static str, arch: usize, layers: usize) -> (Value, bool) {
    let a = gatelab::nn::Arch::ALL[arch];
    let d = gatelab::nn::Dims { input: 2, hidden: 3, output: 1, layers };
    let mut v = gatelab::nn::model_file::to_json(&gatelab::nn::init::init(a, d, Default::default(), 1), None);
    // num_layers may be left out (null): one layer, as PyTorch's default.
    let same = v[field] == hostile || (field == "num_layers" && hostile.is_null() && layers == 1);
    v[field] = hostile;
    (v, same)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_query_string_panics_the_parser(s in "\\PC{0,300}") {
        let (c, _) = parse_lenient(&s);
        prop_assert_eq!(parse(&c.to_string()), Ok(c));
    }

    #[test]
    fn no_json_panics_model_loading(v in any_json()) {
        let _ = from_json(&v);
    }

    #[test]
    fn a_model_file_with_a_wrong_size_is_refused_and_with_the_right_one_read(
        hostile in prop_oneof![Just(json!(2)), Just(json!(3)), Just(json!(1)), Just(json!(0)), Just(json!(5000)),
            Just(json!(-1)), Just(json!("3")), Just(json!(1e30)), Just(json!(null))],
        field in prop::sample::select(&["input_size", "hidden_size", "output_size", "num_layers"][..]),
        arch in 0usize..3,
        layers in 1usize..3,
    ) {
        let (v, same) = model_with_a_size(hostile, field, arch, layers);
        prop_assert_eq!(from_json(&v).is_ok(), same, "{} = {}", field, v[field]);
    }

    #[test]
    fn no_bytes_panic_a_data_parser(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        ext in prop::sample::select(&["ts", "tsv", "csv", "txt", "dat"][..]),
    ) {
        let _ = read(&[File { name: format!("f.{ext}"), bytes }]);
    }

    #[test]
    fn no_data_like_text_panics_a_data_parser_or_is_read_with_nan(
        cells in prop::collection::vec(prop_oneof![
            "-?[0-9]{1,3}(\\.[0-9]{1,2})?", Just("NA".to_string()), Just("?".to_string()), Just(String::new()),
            Just("nan".to_string()), Just("1e400".to_string()), Just("-1e300".to_string()), Just("\"q,\"\"x\"".to_string()), "[a-z]{1,3}",
        ], 1..40),
        seps in prop::collection::vec(prop::sample::select(&[",", ";", "\t", ":", "\n", "\r\n"][..]), 1..40),
        head in prop::sample::select(&["a,b\n", "@classLabel true a b\n@data\n", "\u{feff}x;y\n", "", "1\t"][..]),
        ext in prop::sample::select(&["ts", "tsv", "csv"][..]),
    ) {
        let mut text = head.to_string();
        for (c, sep) in cells.iter().zip(seps.iter().cycle()) {
            text.push_str(c);
            text.push_str(sep);
        }
        // Whatever is read holds no infinity: missing values are NaN (tables) or filled.
        if let Ok(gatelab::datafile::Dataset::Labelled(l)) = read(&[File { name: format!("f.{ext}"), bytes: text.into_bytes() }]) {
            prop_assert!(l.train.iter().all(|c| c.series.iter().flatten().all(|v| v.is_finite())));
        }
    }

    #[test]
    fn no_text_panics_sweep_file_reading(s in "\\PC{0,400}", v in any_json()) {
        let _ = SweepFile::read(&s);
        let _ = SweepFile::read(&v.to_string());
        let _ = gatelab::experiment::files::search::SearchFile::read(&s);
        let _ = gatelab::experiment::files::search::SearchFile::read(&v.to_string());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Any config the page would start (within 1 GiB per worker) trains a step and records.
    #[test]
    fn random_valid_configs_within_the_limits_train_a_step(
        task in prop::sample::select(gatelab::tasks::TaskKind::NAMES),
        len in 1usize..60,
        cells in 1usize..40,
        layers in 1usize..4,
        batch in 1usize..40,
        train in prop_oneof![Just(0usize), 1usize..50],
        arch in prop::sample::select(&["lstm", "gru", "rnn"][..]),
        optim in prop::sample::select(&["adam", "sgd"][..]),
        lr in 1e-4f32..1.0,
        tbptt in 0usize..8,
        seed in 0u64..1000,
    ) {
        let q = format!("task={task}&len={len}&cells={cells}&layers={layers}&batch={batch}&train={train}\
                         &archs={arch}&optim={optim}&lr={lr}&tbptt={tbptt}&seed={seed}&seeds=1&steps=2&every=1");
        let (c, _) = parse_lenient(&q);
        let specs = RunSpec::compare(&c);
        prop_assume!(Memory::of(&c, &specs, 1, gatelab::limits::PAGE_BYTES, "").check().is_ok());
        let mut run = Run::new(&c, specs[0], || 0.0);
        run.advance(1);
        prop_assert_eq!(run.step, 1);
        prop_assert_eq!(run.records.len(), 2);
    }
}
