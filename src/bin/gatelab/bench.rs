//! `gatelab bench`: one training step (forward + backward + Adam) per row, I = 8, B = 32,
//! T = 50, a readout at the last step; and `--sweep`, a sweep's throughput on 1 thread and on
//! every core. The page's Bench view runs the same table (`gatelab::bench`).

use crate::now;
use gatelab::config::parse;
use gatelab::run::{Run, RunSpec};
use serde_json::json;

pub fn bench(as_json: bool) {
    use gatelab::bench::{peak_gflops, row, ROWS};
    let peak = peak_gflops(now);
    if as_json {
        println!(
            "{}",
            json!({"peak_gflops": peak, "what": "separate f32 multiplies and adds, the kernel's vectors, one thread"})
        );
    } else {
        println!("this core's peak for the kernel's arithmetic (separate f32 multiplies and adds): {peak:.1} GFLOP/s");
        println!("one training step, I=8 B=32 T=50, one thread");
        println!("{:<5} {:>6} {:>10} {:>9} {:>7}", "arch", "hidden", "steps/s", "GFLOP/s", "of peak");
    }
    for &(arch, hidden) in ROWS {
        let r = row(arch, hidden, now);
        if as_json {
            println!(
                "{}",
                json!({"arch": arch.name(), "hidden": hidden, "batch": 32, "len": 50,
                                  "steps_per_s": r.steps_per_s, "gflops": r.gflops, "of_peak": r.gflops / peak})
            );
        } else {
            let share = 100.0 * r.gflops / peak;
            println!(
                "{:<5} {:>6} {:>10.1} {:>9.2} {share:>6.0}%",
                arch.name(),
                hidden,
                r.steps_per_s,
                r.gflops
            );
        }
    }
}

/// Sweep throughput: the same 12-run sweep on 1 thread and on every core.
pub fn sweep_throughput(as_json: bool) -> Result<(), String> {
    let query = "task=adding&len=30&cells=8,16,32&archs=lstm,gru&seeds=2&steps=300&seed=1";
    let c = parse(query).map_err(|_| "the benchmark's config is not a clean config")?;
    let specs = RunSpec::all(&c);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut one = 0.0;
    for threads in [1, cores] {
        let start = now();
        let runs = gatelab::pool::run(
            specs.len(),
            threads,
            |k| Run::to_end(&c, specs[k], now, &mut |_| {}).step,
            |_, _| {},
            || {},
        )
        .len();
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
    Ok(())
}
