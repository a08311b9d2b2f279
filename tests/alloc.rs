//! Training and evaluation allocate nothing once their buffers have their size: a counting
//! global allocator watches a second training step and a second evaluation. It counts this
//! thread's allocations only: the test harness's own threads allocate when they like.

use gatelab::batch::Batch;
use gatelab::config::parse;
use gatelab::nn::init::{init, InitOptions};
use gatelab::nn::loss::Loss;
use gatelab::nn::network::Network;
use gatelab::nn::optim::{OptimConfig, OptimKind, Optimizer};
use gatelab::nn::recurrent::Backprop;
use gatelab::nn::{Arch, Dims};
use gatelab::run::{Run, RunSpec};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down has no counter left (and is not ours).
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(p, l, size) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn a_second_training_step_and_a_second_evaluation_allocate_nothing() {
    for arch in Arch::ALL {
        for layers in [1, 3] {
            let d = Dims { input: 3, hidden: 12, output: 2, layers };
            let mut net = Network::new(init(arch, d, InitOptions::default(), 1));
            let cfg = OptimConfig { kind: OptimKind::Adam, lr: 0.01, momentum: 0.0, clip: 1.0 };
            let mut opt = Optimizer::new(cfg, net.grads.len());
            let b = Batch {
                steps: 20,
                batch: 8,
                x: vec![0.1; 20 * 8 * 3],
                y: vec![0.0; 20 * 8 * 2],
                mask: vec![1.0; 20 * 8],
            };
            let mut step = || {
                net.loss_grad(&b, Loss::CrossEntropy, Backprop { truncate: 5 }, None);
                opt.step(&mut net.model.params, &mut net.grads);
            };
            step();
            assert_eq!(allocations(&mut step), 0, "{arch:?} {layers} layer(s): training step");
        }
    }
    // Evaluation of a run: validation and test sets (the test set is longer), chunk by chunk.
    for q in
        ["task=adding&len=20", "task=anbn&len=8", "task=dyck&pairs=2&len=12&layers=2", "task=text&len=16"]
    {
        let c = parse(&format!("{q}&cells=8&archs=lstm,gru&batch=16&seeds=1")).unwrap();
        for spec in RunSpec::all(&c) {
            let mut run = Run::new(&c, spec, || 0.0);
            run.advance(2);
            let n = allocations(|| {
                run.evaluate(false);
                run.evaluate(true);
            });
            assert_eq!(n, 0, "{q} {:?}: evaluation", spec.arch);
        }
    }
}
