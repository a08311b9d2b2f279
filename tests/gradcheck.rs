//! Backprop through time against central finite differences, for every cell, every parameter
//! tensor and the input, with B > 1, T > 1 and masked steps.

use gatelab::nn::init::{init, prng, InitOptions};
use gatelab::nn::loss::Loss;
use gatelab::nn::network::{Batch, Network};
use gatelab::nn::recurrent::Backprop;
use gatelab::nn::{Arch, Dims, Model};
use rand::Rng;

const D: Dims = Dims { input: 3, hidden: 4, output: 2 };
const T: usize = 5;
const B: usize = 3;

fn batch(kind: Loss) -> Batch {
    let mut rng = prng(42);
    let x: Vec<f32> = (0..T * B * D.input).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mask: Vec<f32> = (0..T * B).map(|k| if k % 4 == 1 { 0.0 } else { 1.0 }).collect();
    let y: Vec<f32> = match kind {
        Loss::Mse => (0..T * B * D.output).map(|_| rng.random_range(-1.0..1.0)).collect(),
        Loss::CrossEntropy => {
            (0..T * B * D.output).map(|k| ((k / D.output) % 2 == k % 2) as u8 as f32).collect()
        }
    };
    Batch { steps: T, batch: B, x, y, mask }
}

/// ||a - n|| / (||a|| + ||n||), the usual relative error of a whole tensor.
fn rel_err(a: &[f32], n: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(n).map(|(a, n)| (*a as f64 - n).powi(2)).sum::<f64>().sqrt();
    let na: f64 = a.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt();
    let nn: f64 = n.iter().map(|v| v.powi(2)).sum::<f64>().sqrt();
    diff / (na + nn).max(1e-12)
}

fn numeric(f: &mut dyn FnMut(usize, f32) -> f64, n: usize) -> Vec<f64> {
    let eps = 1e-2f32;
    (0..n).map(|k| (f(k, eps) - f(k, -eps)) / (2.0 * eps as f64)).collect()
}

fn check(arch: Arch, kind: Loss) {
    let opts = InitOptions { forget_bias: true, orthogonal: false };
    let model: Model = init(arch, D, opts, 3);
    let b = batch(kind);
    let mut net = Network::new(model.clone());
    let mut dx = vec![0.0; b.x.len()];
    net.loss_grad(&b, kind, Backprop::default(), Some(&mut dx));
    let grads = net.grads.clone();

    let mut probe = Network::new(model.clone());
    let mut by_param = |k: usize, e: f32| {
        probe.model.params.copy_from_slice(&model.params);
        probe.model.params[k] += e;
        probe.loss(&b, kind)
    };
    let num = numeric(&mut by_param, grads.len());
    let l = model.layout();
    let names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "readout.weight", "readout.bias"];
    let bounds = [l.w_ih, l.w_hh, l.b_ih, l.b_hh, l.w_out, l.b_out, l.total];
    for (i, name) in names.iter().enumerate() {
        let r = bounds[i]..bounds[i + 1];
        let e = rel_err(&grads[r.clone()], &num[r]);
        assert!(e < 1e-3, "{arch:?} {kind:?} {name}: relative error {e:e}");
    }

    let mut net2 = Network::new(model.clone());
    let mut by_input = |k: usize, e: f32| {
        let mut b2 = b.clone();
        b2.x[k] += e;
        net2.loss(&b2, kind)
    };
    let num_x = numeric(&mut by_input, b.x.len());
    let e = rel_err(&dx, &num_x);
    assert!(e < 1e-3, "{arch:?} {kind:?} input: relative error {e:e}");
}

#[test]
fn lstm_gradients_match_finite_differences() {
    check(Arch::Lstm, Loss::Mse);
    check(Arch::Lstm, Loss::CrossEntropy);
}

#[test]
fn gru_gradients_match_finite_differences() {
    check(Arch::Gru, Loss::Mse);
    check(Arch::Gru, Loss::CrossEntropy);
}

#[test]
fn rnn_gradients_match_finite_differences() {
    check(Arch::Rnn, Loss::Mse);
    check(Arch::Rnn, Loss::CrossEntropy);
}

#[test]
fn truncated_bptt_stops_gradient_at_the_boundary() {
    // Only the last step has a target: with truncation at 2, inputs before step 4 get no gradient.
    for arch in Arch::ALL {
        let mut b = batch(Loss::Mse);
        b.mask.iter_mut().enumerate().for_each(|(k, m)| *m = (k / B == T - 1) as u8 as f32);
        let mut net = Network::new(init(arch, D, InitOptions::default(), 5));
        let mut dx = vec![0.0; b.x.len()];
        net.loss_grad(&b, Loss::Mse, Backprop { truncate: 2 }, Some(&mut dx));
        let per_step = B * D.input;
        assert!(dx[..4 * per_step].iter().all(|&v| v == 0.0), "{arch:?}");
        assert!(dx[4 * per_step..].iter().any(|&v| v != 0.0), "{arch:?}");
    }
}
