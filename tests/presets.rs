//! The gallery tells the truth: each preset's sentence, checked against a native run of its
//! config (the page runs the very same numbers).

use gatelab::config::{parse, Config};
use gatelab::nn::Arch;
use gatelab::presets::PRESETS;
use gatelab::run::{Record, Run, RunSpec};

fn preset(name: &str) -> Config {
    parse(PRESETS.iter().find(|p| p.name == name).expect("preset exists").query).unwrap()
}

fn train(c: &Config) -> Vec<Run> {
    RunSpec::compare(c)
        .into_iter()
        .map(|s| {
            let mut r = Run::new(c, s, || 0.0);
            r.advance(c.steps);
            r
        })
        .collect()
}

fn last(runs: &[Run], arch: Arch) -> Record {
    let run = runs.iter().find(|r| r.spec.arch == arch).unwrap();
    *run.records.last().unwrap()
}

fn baseline(c: &Config) -> f64 {
    c.task().baseline_loss(c.seq_len())
}

#[test]
fn counting_lstm_generalises_further_than_gru() {
    let runs = train(&preset("Counting beyond training"));
    let (l, g) = (last(&runs, Arch::Lstm), last(&runs, Arch::Gru));
    assert!(l.val_metric > 0.95 && g.val_metric > 0.95, "{l:?} {g:?}");
    assert!(l.test_metric > g.test_metric + 0.1, "LSTM {} vs GRU {}", l.test_metric, g.test_metric);
}

#[test]
fn adding_long_delay_gated_cells_learn_rnn_does_not() {
    let c = preset("Adding, long delay");
    let runs = train(&c);
    for a in [Arch::Lstm, Arch::Gru] {
        assert!(last(&runs, a).val_loss < 0.1 * baseline(&c), "{a:?}");
    }
    assert!(last(&runs, Arch::Rnn).val_loss > 0.8 * baseline(&c));
}

#[test]
fn sine_at_equal_parameters_ends_level() {
    let c = preset("Same parameters, sine");
    let runs = train(&c);
    let params: Vec<usize> = runs.iter().map(Run::params).collect();
    let (lo, hi) = (*params.iter().min().unwrap() as f64, *params.iter().max().unwrap() as f64);
    assert!(hi / lo < 1.02, "{params:?}");
    assert_eq!(runs.iter().map(|r| r.spec.hidden).collect::<Vec<_>>(), vec![12, 14, 25]);
    let metrics: Vec<f64> = runs.iter().map(|r| r.records.last().unwrap().val_metric).collect();
    assert!(metrics.iter().all(|&m| m > 0.95), "{metrics:?}");
    assert!(metrics.iter().cloned().fold(0.0, f64::max) - metrics.iter().cloned().fold(1.0, f64::min) < 0.02);
}

#[test]
fn copy_gru_recalls_at_twice_the_delay() {
    let runs = train(&preset("Copy: GRU ahead"));
    let (l, g) = (last(&runs, Arch::Lstm), last(&runs, Arch::Gru));
    assert!(l.val_metric > 0.95 && g.val_metric > 0.95, "{l:?} {g:?}");
    assert!(g.test_metric > 0.9 && l.test_metric < 0.6, "GRU {} LSTM {}", g.test_metric, l.test_metric);
}

#[test]
fn small_training_set_is_memorised() {
    let c = preset("Memorising a small set");
    let runs = train(&c);
    for a in [Arch::Lstm, Arch::Gru] {
        let r = last(&runs, a);
        assert!(r.train_loss < 0.01 * r.val_loss, "{a:?} {r:?}");
    }
    assert!(last(&runs, Arch::Lstm).val_loss > baseline(&c));
}

#[test]
fn rnn_gradient_vanishes_towards_early_steps_gru_does_not() {
    let c = preset("Vanishing gradients");
    let mut runs = train(&c);
    // ||dL/dh_0|| / ||dL/dh_{T-1}||, geometric mean over 16 validation sequences.
    let mut ratio = |a: Arch| {
        let run = runs.iter_mut().find(|r| r.spec.arch == a).unwrap();
        let logs: f64 = (0..16)
            .map(|e| {
                let g = run.probe(e).probe.grad_norm;
                ((g[0] as f64).max(1e-30) / g[g.len() - 1] as f64).ln()
            })
            .sum();
        (logs / 16.0).exp()
    };
    let (gru, rnn) = (ratio(Arch::Gru), ratio(Arch::Rnn));
    eprintln!("early/late gradient ratio: GRU {gru:e}, RNN {rnn:e}");
    assert!(rnn < 1e-3 * gru, "GRU {gru:e} RNN {rnn:e}");
}

#[test]
fn parity_at_the_end_three_bits_learnt_lstm_generalises() {
    let runs = train(&preset("Parity, target at the end"));
    for a in Arch::ALL {
        assert!(last(&runs, a).val_metric > 0.99, "{a:?}");
    }
    let l = last(&runs, Arch::Lstm).test_metric;
    assert!(
        l > 0.99
            && l > last(&runs, Arch::Gru).test_metric + 0.1
            && l > last(&runs, Arch::Rnn).test_metric + 0.1
    );
    let four = parse("task=parity&len=4&parity=end&cells=16&archs=lstm,gru,rnn&steps=3000&seed=1").unwrap();
    for r in train(&four) {
        assert!(r.records.last().unwrap().val_metric < 0.6, "{:?} left the 4-bit plateau", r.spec.arch);
    }
}

#[test]
fn without_forget_bias_the_lstm_stalls() {
    let c = preset("Forget-gate bias off");
    let runs = train(&c);
    assert!(last(&runs, Arch::Lstm).val_loss > 0.9 * baseline(&c));
    assert!(last(&runs, Arch::Gru).val_loss < 0.2 * baseline(&c));
}
