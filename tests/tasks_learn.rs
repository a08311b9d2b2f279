//! Every task is learnable: the LSTM and the GRU at the task's default config, on each of the
//! default 6 seeds, end well below the task's chance baseline within the default budget; on
//! real data they beat the classical baselines where they should. And
//! runs are deterministic: same seed, same history; another seed, other data.

use gatelab::config::{parse, Config};
use gatelab::experiment::summary::Summary;
use gatelab::run::{Run, RunSpec, RunState};
use gatelab::tasks::TaskKind;

fn clock() -> f64 {
    0.0
}

fn train(c: &Config) -> Vec<Run> {
    let specs = RunSpec::all(c);
    let runs = gatelab::pool::run(
        specs.len(),
        2,
        |k| Run::to_end(c, specs[k], clock, &mut |_| {}),
        |_, _| {},
        || {},
    );
    runs.into_iter().map(|r| r.unwrap()).collect()
}

/// The share of the chance loss a learned run gets below: real text is far harder to predict
/// than the toy tasks, so its bar is the unigram model beaten by a fifth.
fn bar(kind: TaskKind) -> f64 {
    if kind == TaskKind::Text {
        0.8
    } else {
        0.3
    }
}

#[test]
fn lstm_and_gru_beat_every_task_baseline_on_every_default_seed() {
    for kind in TaskKind::ALL.into_iter().filter(|k| !k.needs_data()) {
        let c = Config::defaults(kind);
        assert_eq!(c.seeds, 6);
        let task = c.task();
        let (base_loss, base_metric) = (task.baseline_loss(c.seq_len()), task.baseline_metric(c.seq_len()));
        for mut run in train(&c) {
            let s = Summary::of(&mut run, &c);
            assert_eq!(run.state, RunState::Done);
            let what = format!("{}: {:?} seed {}", kind.name(), s.arch, s.seed);
            assert!(
                s.val_loss < bar(kind) * base_loss,
                "{what}: val loss {} vs baseline {base_loss}",
                s.val_loss
            );
            if task.metric().higher_is_better() {
                assert!(
                    s.val_metric > base_metric + 0.3,
                    "{what}: metric {} vs chance {base_metric}",
                    s.val_metric
                );
            } else {
                assert!(
                    s.val_metric < 0.8 * base_metric,
                    "{what}: metric {} vs chance {base_metric}",
                    s.val_metric
                );
            }
        }
    }
}

/// Trains a data task's defaults on files of `tests/data` (2 seeds) and returns each run's
/// test metric and the task's classical baselines on the test part.
fn on_files(kind: TaskKind, files: &[&str], set: impl Fn(&mut Config)) -> (Vec<f64>, Vec<(String, f64)>) {
    use gatelab::datafile::{store::Store, DataRef, File};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let files: Vec<File> = files
        .iter()
        .map(|n| File { name: n.to_string(), bytes: std::fs::read(dir.join(n)).unwrap() })
        .collect();
    let mut store = Store::default();
    store.install(&files).unwrap();
    let mut c = Config::defaults(kind);
    c.data = files.iter().map(DataRef::of).collect();
    c.data_bytes = c.data.iter().map(|r| r.bytes).collect();
    c.seeds = 2;
    set(&mut c);
    c.bind(&store);
    assert_eq!(c.data_problem(), None);
    let baselines = c.task().user().unwrap().baselines(kind, c.seq_len());
    let metrics = train(&c).iter_mut().map(|r| Summary::of(r, &c).test_metric).collect();
    (metrics, baselines)
}

fn baseline(of: &[(String, f64)], name: &str) -> f64 {
    of.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn on_real_data_both_beat_the_classical_baselines_where_they_should() {
    // GunPoint: near the archive's 1-NN (0.913); far above the majority class.
    let (acc, base) = on_files(TaskKind::Classify, &["GunPoint_TRAIN.ts", "GunPoint_TEST.ts"], |_| {});
    assert!(acc.iter().all(|&a| a > baseline(&base, "majority") + 0.3), "{acc:?} vs {base:?}");
    // Sunspots, an 11-year cycle: below the naive forecast's test MASE.
    let (mase, base) = on_files(TaskKind::Forecast, &["sunspots.csv"], |c| {
        c.period = 11;
        c.lens = vec![22];
    });
    assert!(mase.iter().all(|&m| m < baseline(&base, "naive")), "{mase:?} vs {base:?}");
}

#[test]
fn same_seed_same_history_other_seed_other_data() {
    let c = parse("task=copy&len=5&steps=60&every=10&archs=lstm,gru,rnn&train=100&seeds=1").unwrap();
    let a: Vec<_> = train(&c).into_iter().map(|r| r.records).collect();
    let b: Vec<_> = train(&c).into_iter().map(|r| r.records).collect();
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "NaN-aware: step 0 has no train loss yet");
    let other =
        parse("task=copy&len=5&steps=60&every=10&archs=lstm,gru,rnn&train=100&seed=2&seeds=1").unwrap();
    let c2: Vec<_> = train(&other).into_iter().map(|r| r.records).collect();
    assert_ne!(a[0][0].val_loss, c2[0][0].val_loss);
}

#[test]
fn a_huge_learning_rate_diverges_and_keeps_its_history() {
    let c =
        parse("task=adding&len=10&steps=300&lr=1&clip=0&optim=sgd&momentum=0.99&every=1&archs=rnn&seeds=1")
            .unwrap();
    let runs = train(&c);
    let run = &runs[0];
    assert_eq!(run.state, RunState::Diverged, "{:?}", run.last());
    assert!(run.step < 300 && run.records.len() > 1);
}
