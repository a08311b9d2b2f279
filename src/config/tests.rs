use super::keys::Kind;
use super::KEYS;
use super::*;
use proptest::prelude::*;

#[test]
fn the_example_query_parses_and_round_trips() {
    let q = "task=adding&len=50&cells=16&archs=lstm,gru&lr=0.01&batch=32&steps=2000&seed=1";
    let c = parse(q).unwrap();
    assert_eq!((c.seq_len(), c.cells[0], c.steps, c.batch, c.seeds), (50, 16, 2000, 32, 6));
    assert_eq!(c.archs, vec![Arch::Lstm, Arch::Gru]);
    assert_eq!(parse(&c.to_string()).unwrap(), c);
    assert!(c.plan() != Plan::Sweep, "seeds alone do not make a sweep");
}

#[test]
fn a_link_written_before_the_key_table_opens_the_same_experiment() {
    // The text the first version of the page put in its address bar.
    let old = "task=copy&len=8&cells=12&archs=gru,rnn&match=0&lr=0.005&batch=16&train=256&steps=300&every=10\
               &optim=sgd&momentum=0.9&clip=2&fbias=0&init=orthogonal&tbptt=5&symbols=2&seed=7&seeds=1&speed=5";
    let c = parse(old).unwrap();
    assert_eq!(
        (c.task, c.lens.clone(), c.cells.clone(), c.lrs.clone()),
        (TaskKind::Copy, vec![8], vec![12], vec![0.005])
    );
    assert_eq!((c.batch, c.train, c.steps, c.every, c.optim), (16, 256, 300, Some(10), OptimKind::Sgd));
    assert_eq!((c.momentum, c.clip, c.forget_bias, c.orthogonal), (0.9, 2.0, false, true));
    assert_eq!((c.tbptt, c.symbols, c.seed, c.seeds, c.speed, c.layers), (5, 2, 7, 1, 5, 1));
    assert_eq!(c.archs, vec![Arch::Gru, Arch::Rnn]);
}

#[test]
fn sweeps_and_every_option_round_trip() {
    let q = "task=copy&len=5,10&cells=2,4,8&archs=rnn,gru,lstm&seeds=3&optim=sgd&init=orthogonal\
             &fbias=1&tbptt=5&symbols=4&match=1&test_len=40&every=7&lr=0.003,0.01&clip=0&train=500&layers=2";
    let c = parse(q).unwrap();
    assert!(c.plan() == Plan::Sweep);
    assert_eq!(c.archs, vec![Arch::Lstm, Arch::Gru, Arch::Rnn]);
    assert_eq!(c.lrs, vec![0.003, 0.01]);
    assert_eq!(parse(&c.to_string()).unwrap(), c);
}

#[test]
fn bad_values_name_the_key_and_the_range() {
    let (c, notes) = parse_lenient("cells=999&lr=abc&archs=lstm,tcn&bogus=1&task=adding&seeds=0&seeds=11");
    assert_eq!(c.cells, vec![256]);
    assert_eq!(c.lrs, Config::defaults(TaskKind::Adding).lrs);
    assert_eq!(c.seeds, 10);
    let text: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
    let has =
        |key: &str, part: &str| text.iter().any(|t| t.starts_with(&format!("{key}:")) && t.contains(part));
    assert!(has("cells", "1-256"), "{text:?}");
    assert!(has("lr", "not a number"), "{text:?}");
    assert!(has("archs", "tcn"), "{text:?}");
    assert!(has("bogus", "unknown"), "{text:?}");
    assert!(has("seeds", "more than once") && has("seeds", "1-10"), "{text:?}");
    assert!(parse("cells=999").is_err());
}

#[test]
fn repeated_list_values_are_dropped_with_a_notice() {
    let (c, notes) = parse_lenient("cells=4,8,4&lr=0.01,0.003,0.01,x");
    assert_eq!(c.cells, vec![4, 8]);
    assert_eq!(c.lrs, vec![0.01, 0.003]);
    let text: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
    assert!(text.iter().any(|t| t.starts_with("cells:") && t.contains("twice")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("lr:") && t.contains("\"x\"")), "{text:?}");
}

#[test]
fn huge_and_non_finite_numbers_are_clamped_or_refused() {
    let (c, notes) = parse_lenient("lr=1e39&clip=NaN&momentum=inf&steps=99999999999999999999999&seed=-1");
    assert_eq!(c.lrs, vec![1.0]);
    assert_eq!(c.clip, 1.0);
    assert_eq!(c.steps, 100_000);
    assert_eq!(c.seed, 0);
    assert_eq!(notes.len(), 5, "{notes:?}");
}

#[test]
fn task_specific_lengths_are_raised_to_the_task_minimum() {
    let (c, notes) = parse_lenient("task=order&len=2,3,10");
    assert_eq!(c.lens, vec![6, 10]);
    assert!(notes.iter().any(|n| n.key == "len"));
}

#[test]
fn every_key_has_a_default_that_parses_back() {
    for task in TaskKind::ALL {
        let c = Config::defaults(task);
        assert_eq!(parse(&c.to_string()), Ok(c.clone()), "{task:?}");
        for k in KEYS {
            let v = (k.default)(task);
            assert!(k.optional || v != keys::Value::Auto, "{} needs a default", k.name);
            if let (Kind::Ints { lo, hi }, keys::Value::Ints(xs)) = (k.kind, &v) {
                assert!(xs.iter().all(|x| (lo..=hi).contains(x)), "{}", k.name);
            }
        }
    }
}

proptest! {
    #[test]
    fn no_input_makes_the_parser_panic(s in ".{0,200}") {
        let (c, _) = parse_lenient(&s);
        prop_assert_eq!(parse_lenient(&c.to_string()), (c, vec![]));
    }

    #[test]
    fn query_like_input_never_panics(s in "(([a-z_]{1,8}|task|len|cells|lr|archs|seeds|symbols|pairs)=[-0-9a-z.,%+]{0,12}&){0,8}") {
        let (c, _) = parse_lenient(&s);
        prop_assert_eq!(parse(&c.to_string()), Ok(c));
    }
}

#[test]
fn a_new_task_keeps_what_the_user_changed_and_takes_its_own_defaults_for_the_rest() {
    let c = parse("task=parity&steps=200&cells=32&seeds=4&symbols=5").unwrap();
    let copy = c.with_task(TaskKind::Copy);
    assert_eq!((copy.task, copy.steps, copy.cells.clone(), copy.seeds), (TaskKind::Copy, 200, vec![32], 4));
    assert_eq!(copy.lrs, vec![TaskKind::Copy.defaults().lr], "parity's default rate gives way to copy's");
    assert_eq!(copy.lens, vec![TaskKind::Copy.defaults().len]);
    let back = copy.with_task(TaskKind::Parity);
    assert_eq!((back.steps, back.seeds), (200, 4));
}

#[test]
fn ranges_make_a_search_and_bad_ones_name_the_key() {
    let c =
        parse("lr=1e-4..0.1&cells=4..64&batch=8..64&clip=0.1..10&layers=1..2&trials=30&halving=2").unwrap();
    assert!(c.plan() == Plan::Search);
    assert_eq!(c.range("cells"), Some(&Range { key: "cells", lo: 4.0, hi: 64.0 }));
    assert_eq!(c.range("lr").map(|r| (r.lo as f32, r.hi as f32)), Some((1e-4, 0.1)));
    assert_eq!((c.trials, c.halving), (30, 2));
    assert_eq!(parse(&c.to_string()).unwrap(), c, "ranges round-trip: {c}");
    assert!(c.to_string().contains("lr=0.0001..0.1") && c.to_string().contains("cells=4..64"), "{c}");
    let problems = |q: &str| parse_lenient(q).1.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let has = |q: &str, part: &str| {
        let p = problems(q);
        assert!(p.iter().any(|t| t.contains(part)), "{q}: {part:?} not in {p:?}");
    };
    has("lr=0.1..0.001", "is above");
    has("len=10..50", "len takes no range");
    has("seed=1..5", "seed takes no range");
    has("trials=0&lr=0.001..0.1", "out of range 1-500");
    has("cells=4..8,16", "a range and a list cannot be mixed");
    has("clip=0..10", "log-uniform range must start above 0");
    has("lr=0.001..0.1&cells=4,8", "cannot also sweep a list");
    has("cells=4..999", "out of range 1-256");
    assert!(parse("lr=0.001..0.1&lr=0.01").is_err(), "given twice");
}

#[test]
fn page_only_keys_are_flagged_in_the_table_and_dropped_in_one_place() {
    let page_only: Vec<&str> = KEYS.iter().filter(|k| k.page_only).map(|k| k.name).collect();
    assert_eq!(page_only, ["speed", "temp"]);
    let shown = parse("task=text&speed=5&temp=1.5").unwrap();
    assert_eq!(shown.experiment(), parse("task=text").unwrap().experiment());
    assert_ne!(shown.experiment(), parse("task=text&lr=0.02").unwrap().experiment());
}

#[test]
fn every_searchable_key_starts_its_range_inside_its_bounds() {
    for k in KEYS.iter().filter(|k| k.search.is_some()) {
        let (lo, hi) = k.start;
        let c = parse(&format!("task=adding&{}={lo}..{hi}", k.name))
            .unwrap_or_else(|e| panic!("{}: {e:?}", k.name));
        let r = c.range(k.name).unwrap();
        // The learning rate is kept in f32.
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
        assert!(near(r.lo, lo) && near(r.hi, hi), "{}: {r:?}", k.name);
        assert!(lo < hi, "{}", k.name);
    }
}

#[test]
fn a_config_reads_the_data_it_was_bound_to_and_no_other() {
    use crate::datafile::{store::Store, DataRef, File};
    let file = |name: &str, body: &str| File { name: name.into(), bytes: body.as_bytes().to_vec() };
    let rising: String = (0..60).map(|i| format!("{}\n", i % 12)).collect();
    let falling: String = (0..80).map(|i| format!("{}\n", 12 - i % 12)).collect();
    let (a, b) = (file("a.csv", &format!("v\n{rising}")), file("b.csv", &format!("v\n{falling}")));
    let mut c = Config::defaults(TaskKind::Forecast);
    c.data = vec![DataRef::of(&a)];
    // Another store holding the file binds nothing here: there is no lookup behind the value.
    let mut elsewhere = Store::default();
    elsewhere.install(std::slice::from_ref(&a)).unwrap();
    assert!(c.task().user().is_none());
    assert_eq!(c.data_problem(), Some("a.csv is not loaded".to_string()));
    let mut store = Store::default();
    store.install(std::slice::from_ref(&b)).unwrap();
    c.bind(&store);
    assert!(!c.is_bound() && c.task().user().is_none(), "a store without a.csv binds nothing");
    c.bind(&elsewhere);
    assert!(c.is_bound());
    assert_eq!(c.task().user().map(|u| u.set.info.files[0].name.clone()), Some("a.csv".into()));
    // A clone carries its data; naming other files leaves the old binding unread.
    let mut other = c.clone();
    other.data = vec![DataRef::of(&b)];
    assert!(!other.is_bound() && other.task().user().is_none());
    assert_eq!(parse(&c.to_string()).unwrap().to_string(), c.to_string(), "the binding is not text");
}
