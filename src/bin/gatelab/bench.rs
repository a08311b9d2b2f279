//! `gatelab bench`: one training step (forward + backward + Adam) per row, I = 8, B = 32,
//! T = 50, readout at the last step. FLOPs: 3 x forward, forward = 2 G H (I + H) B T.

use crate::now;
use gatelab::nn::init::{init, InitOptions};
use gatelab::nn::loss::Loss;
use gatelab::nn::network::{Batch, Network};
use gatelab::nn::optim::{OptimConfig, OptimKind, Optimizer};
use gatelab::nn::recurrent::Backprop;
use gatelab::nn::{Arch, Dims};
use serde_json::json;

const I: usize = 8;
const B: usize = 32;
const T: usize = 50;

fn steps_per_second(arch: Arch, hidden: usize) -> f64 {
    let d = Dims { input: I, hidden, output: 1 };
    let mut net = Network::new(init(arch, d, InitOptions::default(), 1));
    let mut opt = Optimizer::new(
        OptimConfig { kind: OptimKind::Adam, lr: 1e-3, momentum: 0.0, clip: 1.0 },
        net.grads.len(),
    );
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
    n as f64 / (now() - start)
}

/// Sweep throughput: the same 12-run sweep on 1 thread and on every core.
pub fn sweep_throughput(as_json: bool) {
    let query = "task=adding&len=30&cells=8,16,32&archs=lstm,gru&seeds=2&steps=300&seed=1";
    let c = gatelab::config::parse(query).expect("the benchmark's config is valid");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut one = 0.0;
    for threads in [1, cores] {
        let start = now();
        let runs = crate::train::run_pool(&c, threads, &mut |_| {}).len();
        let secs = now() - start;
        one = if threads == 1 { secs } else { one };
        let speedup = one / secs;
        if as_json {
            println!(
                "{}",
                json!({"sweep": query, "threads": threads, "runs": runs, "seconds": secs,
                                  "runs_per_s": runs as f64 / secs, "speedup": speedup})
            );
        } else {
            println!("sweep of {runs} runs on {threads} thread(s): {secs:.2} s, {:.2} runs/s, speed-up {speedup:.2}x",
                runs as f64 / secs);
        }
    }
}

pub fn bench(as_json: bool) {
    if !as_json {
        println!("one training step, I={I} B={B} T={T}, one thread");
        println!("{:<5} {:>6} {:>10} {:>9}", "arch", "hidden", "steps/s", "GFLOP/s");
    }
    for arch in [Arch::Lstm, Arch::Gru] {
        for hidden in [8, 32, 128, 256] {
            let sps = steps_per_second(arch, hidden);
            let flops = 3.0 * 2.0 * (arch.gates() * hidden * (I + hidden) * B * T) as f64;
            let gflops = sps * flops / 1e9;
            if as_json {
                let row = json!({"arch": arch.name(), "hidden": hidden, "batch": B, "len": T,
                                 "steps_per_s": sps, "gflops": gflops});
                println!("{row}");
            } else {
                println!("{:<5} {:>6} {:>10.1} {:>9.2}", arch.name(), hidden, sps, gflops);
            }
        }
    }
}
