//! The benchmark table: one training step (forward + backward + Adam) of LSTM and GRU at
//! I = 8, B = 32, T = 50, a readout at the last step, timed for about a second per row.
//! `gatelab bench` runs it natively, the page's Bench view in a Web Worker.

use crate::batch::Batch;
use crate::nn::arithmetic::Arithmetic;
use crate::nn::init::{init, InitOptions};
use crate::nn::loss::Loss;
use crate::nn::network::Network;
use crate::nn::optim::{OptimConfig, OptimKind, Optimizer};
use crate::nn::recurrent::Backprop;
use crate::nn::{Arch, Dims};

pub const I: usize = 8;
pub const B: usize = 32;
pub const T: usize = 50;
pub const ROWS: &[(Arch, usize)] = &[
    (Arch::Lstm, 8),
    (Arch::Lstm, 32),
    (Arch::Lstm, 128),
    (Arch::Lstm, 256),
    (Arch::Gru, 8),
    (Arch::Gru, 32),
    (Arch::Gru, 128),
    (Arch::Gru, 256),
];

/// The gate lab's table: every cell at this many units.
pub const CELLS_HIDDEN: usize = 64;

/// Parameters of a row's network.
pub fn params(arch: Arch, hidden: usize) -> usize {
    arch.param_count(dims(hidden))
}

pub struct Row {
    pub steps_per_s: f64,
    pub gflops: f64,
}

fn dims(hidden: usize) -> Dims {
    Dims { input: I, hidden, output: 1, layers: 1 }
}

/// FLOPs of one training step of a row, counted as the estimates count them.
pub fn step_flop(arch: Arch, hidden: usize) -> f64 {
    crate::limits::step_flop(arch, dims(hidden), B, T)
}

/// This core's measured peak, GFLOP/s on one thread, for the arithmetic the kernel uses
/// (separate multiplies and adds on its widest vectors): what the table's GFLOP/s compare with.
pub fn peak_gflops(now: fn() -> f64) -> f64 {
    measure_peak(now, |n| Some(crate::nn::gemm::mul_add_rounds(n))).unwrap_or(f64::NAN)
}

/// The same peak for fused multiply-adds, which exact arithmetic forgoes (None without FMA).
pub fn fused_peak_gflops(now: fn() -> f64) -> Option<f64> {
    measure_peak(now, crate::nn::gemm::fused_rounds)
}

/// GFLOP/s of `rounds(n)` (a sum and the operations done), n doubled until it takes 0.5 s.
fn measure_peak(now: fn() -> f64, rounds: impl Fn(usize) -> Option<(f32, f64)>) -> Option<f64> {
    let mut n = 1 << 16;
    loop {
        let start = now();
        let (sum, flop) = rounds(n)?;
        std::hint::black_box(sum);
        let secs = now() - start;
        if secs > 0.5 {
            return Some(flop / secs / 1e9);
        }
        n *= 2;
    }
}

/// A row in both arithmetics, exact then fused (None without FMA): the better of `ROUNDS`
/// rounds that alternate them, so a slow spell on a shared machine favours neither.
pub fn both(arch: Arch, hidden: usize, now: fn() -> f64) -> (Row, Option<Row>) {
    let fast = Arithmetic::Fused.available().is_ok();
    let best = |a: Option<Row>, b: Row| match a {
        Some(a) if a.steps_per_s >= b.steps_per_s => a,
        _ => b,
    };
    let (mut exact, mut fused) = (None, None);
    for _ in 0..ROUNDS {
        exact = Some(best(exact, row(arch, hidden, now)));
        if fast {
            fused = Some(best(fused, Arithmetic::Fused.scope(|| row(arch, hidden, now))));
        }
    }
    (exact.expect("at least one round"), fused)
}

/// Rounds of `both`.
const ROUNDS: usize = 2;

/// Times training steps for about a second (at least 3) on the clock `now` (seconds), in this
/// thread's arithmetic.
pub fn row(arch: Arch, hidden: usize, now: fn() -> f64) -> Row {
    let mut net = Network::new(init(arch, dims(hidden), InitOptions::default(), 1));
    let cfg = OptimConfig { kind: OptimKind::Adam, lr: 1e-3, momentum: 0.0, clip: 1.0 };
    let mut opt = Optimizer::new(cfg, net.grads.len());
    let x: Vec<f32> = (0..T * B * I).map(|k| ((k * 7919 % 1000) as f32 / 500.0) - 1.0).collect();
    let mask: Vec<f32> = (0..T * B).map(|k| (k / B == T - 1) as u8 as f32).collect();
    let batch = Batch { steps: T, batch: B, x, y: vec![0.5; T * B], mask };
    let mut step = || {
        net.loss_grad(&batch, Loss::Mse, Backprop::default(), None);
        opt.step(&mut net.model.params, &mut net.grads);
    };
    step();
    let (start, mut n) = (now(), 0);
    while now() - start < 1.0 || n < 3 {
        step();
        n += 1;
    }
    let steps_per_s = n as f64 / (now() - start);
    Row { steps_per_s, gflops: steps_per_s * step_flop(arch, hidden) / 1e9 }
}
