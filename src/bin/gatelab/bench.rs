//! `gatelab bench`: one training step (forward + backward + Adam) per row, I = 8, B = 32,
//! T = 50, a readout at the last step; and `--sweep`, a sweep's throughput on 1 thread and on
//! every core. The page's Bench view runs the same table (`gatelab::bench`).

use crate::now;
use gatelab::config::parse;
use gatelab::run::{Run, RunSpec};
use serde_json::json;

pub fn bench(as_json: bool) {
    use gatelab::bench::{both, fused_peak_gflops, peak_gflops, ROWS};
    let cpu = cpu();
    let (peak, fused) = (peak_gflops(now), fused_peak_gflops(now));
    if as_json {
        println!(
            "{}",
            json!({"cpu": cpu, "peak_gflops": peak, "fused_peak_gflops": fused,
                   "what": "f32 on the kernel's widest vectors, one thread: separate multiplies and adds (the kernel's), and fused multiply-adds"})
        );
    } else {
        println!("CPU: {cpu}");
        println!(
            "this core's peak for exact arithmetic (separate f32 multiplies and adds): {peak:.1} GFLOP/s"
        );
        match fused {
            Some(f) => println!("and for fused multiply-adds (--fast): {f:.1} GFLOP/s ({:.2}x)", f / peak),
            None => println!("this CPU has no fused multiply-add: no --fast rows"),
        }
        println!("one training step, I=8 B=32 T=50, one thread; each arithmetic the better of 2 alternating rounds");
        println!(
            "{:<5} {:>6} {:>13} {:>9} {:>7} {:>12} {:>9} {:>10}",
            "arch", "hidden", "exact steps/s", "GFLOP/s", "of peak", "fast steps/s", "GFLOP/s", "fast/exact"
        );
    }
    for &(arch, hidden) in ROWS {
        let (r, f) = both(arch, hidden, now);
        if as_json {
            println!(
                "{}",
                json!({"arch": arch.name(), "hidden": hidden, "batch": 32, "len": 50,
                       "steps_per_s": r.steps_per_s, "gflops": r.gflops, "of_peak": r.gflops / peak,
                       "fast_steps_per_s": f.as_ref().map(|f| f.steps_per_s),
                       "fast_gflops": f.as_ref().map(|f| f.gflops)})
            );
        } else {
            let share = 100.0 * r.gflops / peak;
            let (fs, fg, ratio) = match &f {
                Some(f) => (
                    format!("{:.1}", f.steps_per_s),
                    format!("{:.2}", f.gflops),
                    format!("{:.2}x", f.steps_per_s / r.steps_per_s),
                ),
                None => ("-".into(), "-".into(), "-".into()),
            };
            println!(
                "{:<5} {:>6} {:>13.1} {:>9.2} {share:>6.0}% {fs:>12} {fg:>9} {ratio:>10}",
                arch.name(),
                hidden,
                r.steps_per_s,
                r.gflops
            );
        }
    }
}

/// The CPU as its vendor names it, with family, model and the vector extensions the kernel uses
/// (cloud CPUs often call themselves only "AMD EPYC" or "Intel Xeon").
fn cpu() -> String {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::__cpuid;
        // The brand leaves are read only where the highest extended leaf says they exist.
        let (id, sig, top) = (__cpuid(0), __cpuid(1), __cpuid(0x8000_0000).eax);
        let bytes = |regs: [u32; 4]| regs.into_iter().flat_map(u32::to_le_bytes).collect::<Vec<u8>>();
        let vendor = String::from_utf8_lossy(&bytes([id.ebx, id.edx, id.ecx, 0])[..12]).into_owned();
        let brand = if top >= 0x8000_0004 {
            let leaves = (0x8000_0002..=0x8000_0004).map(__cpuid);
            let raw: Vec<u8> = leaves.flat_map(|r| bytes([r.eax, r.ebx, r.ecx, r.edx])).collect();
            String::from_utf8_lossy(&raw).trim_matches(char::from(0)).trim().to_string()
        } else {
            vendor.clone()
        };
        let base = (sig.eax >> 8) & 0xf;
        let family = if base == 0xf { base + ((sig.eax >> 20) & 0xff) } else { base };
        let mut model = (sig.eax >> 4) & 0xf;
        if base == 0x6 || base == 0xf {
            model += ((sig.eax >> 16) & 0xf) << 4;
        }
        let has = |f: bool, name: &str| if f { format!(", {name}") } else { String::new() };
        format!(
            "{brand} ({vendor}, family {family} model {model}{}{}{})",
            has(std::arch::is_x86_feature_detected!("avx2"), "AVX2"),
            has(std::arch::is_x86_feature_detected!("fma"), "FMA"),
            has(std::arch::is_x86_feature_detected!("avx512f"), "AVX-512")
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        std::env::consts::ARCH.to_string()
    }
}

/// Every cell at one size: time per step, and per parameter against its base cell (the gate
/// lab's goal: no variant above 1.3x). Each cell's speed is the best of `ROUNDS` rounds that
/// time every cell in turn: on a shared machine one second can catch a slow spell (single
/// rounds here moved a ratio by 0.3x), and a slow spell never makes a cell faster.
pub fn cells(as_json: bool) {
    use gatelab::bench::{params, row, CELLS_HIDDEN as H};
    use gatelab::nn::Arch;
    const ROUNDS: usize = 3;
    let mut rows: Vec<(Arch, f64)> = Arch::ALL.iter().map(|&a| (a, 0.0)).collect();
    for _ in 0..ROUNDS {
        for (a, best) in rows.iter_mut() {
            *best = best.max(row(*a, H, now).steps_per_s);
        }
    }
    let per_param = |a: Arch| {
        let s = rows.iter().find(|r| r.0 == a).map_or(f64::NAN, |r| r.1);
        1.0 / (s * params(a, H) as f64)
    };
    if !as_json {
        println!(
            "every cell, one training step at H={H}, I=8 B=32 T=50, one thread, best of {ROUNDS} rounds"
        );
        println!(
            "{:<10} {:>7} {:>9} {:>10} {:>18}",
            "arch", "params", "steps/s", "ms/step", "time/param vs base"
        );
    }
    for &(a, steps_per_s) in &rows {
        let ratio = per_param(a) / per_param(a.base());
        if as_json {
            println!(
                "{}",
                json!({"arch": a.name(), "hidden": H, "params": params(a, H), "steps_per_s": steps_per_s,
                       "per_param_vs_base": ratio, "base": a.base().name()})
            );
        } else {
            let base = format!("{ratio:.2}x {}", a.base().upper());
            println!(
                "{:<10} {:>7} {steps_per_s:>9.1} {:>10.2} {base:>18}",
                a.name(),
                params(a, H),
                1e3 / steps_per_s
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
