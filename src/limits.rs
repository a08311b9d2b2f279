//! What a config will cost, known before anything is allocated: peak memory of each run
//! (parameters and optimiser state, data sets, training buffers; evaluation and probes fit in
//! the training buffers) and its work in FLOPs. The page and the CLI refuse configs past their
//! limits with these numbers.

use crate::config::Config;
use crate::data::EVAL_SIZE;
use crate::nn::recurrent::{acts_per_unit, aux_per_unit};
use crate::nn::{extra_size, Arch, Dims, Extra};
use crate::run::RunSpec;

/// The most runs one sweep (or one shard of it) may have.
pub const MAX_RUNS: usize = 360;
/// The most training work one sweep (or one shard) may ask for, in GFLOP (about ten minutes
/// of one core).
pub const MAX_GFLOP: f64 = 6000.0;
/// Memory one of the page's workers may use.
pub const PAGE_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;
/// Training speed assumed for time estimates before anything has been measured, GFLOP/s:
/// one page worker and one native thread (both measured with `gatelab bench`, H = 32-128).
pub const PAGE_GFLOPS: f64 = 8.0;
pub const NATIVE_GFLOPS: f64 = 30.0;

/// The cost of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Peak bytes: parameters, gradients and optimiser state.
    pub model_bytes: f64,
    /// Training, validation and test sets and one training batch.
    pub data_bytes: f64,
    /// Forward and backward buffers of a training step (evaluation reuses them).
    pub buffer_bytes: f64,
    /// FLOPs of one training step (forward, backward, update).
    pub step_flop: f64,
    /// FLOPs of the whole run: its training steps and its records' evaluations.
    pub flop: f64,
}

impl Cost {
    pub fn bytes(&self) -> f64 {
        self.model_bytes + self.data_bytes + self.buffer_bytes
    }
}

/// FLOPs of one training step (forward, and backward at twice the forward) on a batch of
/// `batch` sequences of `steps` steps: what the estimates and the benchmarks count.
pub fn step_flop(arch: Arch, d: Dims, batch: usize, steps: usize) -> f64 {
    3.0 * forward_flop(arch, d) * (batch * steps) as f64
}

/// Forward FLOPs of one sequence step through every layer and the readout.
fn forward_flop(arch: Arch, d: Dims) -> f64 {
    let (g, r, h) = (arch.gates(), arch.recurrent_gates(), d.hidden);
    let extra = if arch.extra() == Some(Extra::GateRecurrence) { 9 * h * h } else { 0 };
    let layers: usize = (0..d.layers).map(|l| 2 * (g * h * d.layer_input(l) + r * h * h + extra)).sum();
    (layers + 2 * d.hidden * d.output) as f64
}

pub fn run_cost(c: &Config, s: &RunSpec) -> Cost {
    let task = c.task();
    let d = c.dims(s.hidden);
    let [train, _, test] = task.draws(s.len, c.test_len_for(s.len));
    let (t, t_test) = (task.steps(train) as f64, task.steps(test) as f64);
    let (b, h, io) = (c.batch as f64, d.hidden as f64, (d.input + d.output + 1) as f64);
    let (g, a, x) = (s.arch.gates() as f64, acts_per_unit(s.arch) as f64, aux_per_unit(s.arch) as f64);
    let params = s.arch.param_count(d) as f64;
    // Per layer: h and c [T+1, B, H], the cell's aux [T+1, B, X*H], acts [T, B, A*H], pre
    // [T, B, G*H], packed weights (and the variant's own tensor).
    let per_layer = (2.0 + x) * (t + 1.0) * b * h
        + t * b * (a + g) * h
        + g * h * (d.input.max(16) as f64 + h)
        + extra_size(s.arch, d.hidden) as f64;
    // Shared backward scratch (dpre twice, packed input and h), readout and the dh buffers.
    // (and LSTM-FGR's gradient of its gates, [T, B, 3H]), and the matrix kernel's copy of
    // dpre^T for the weight gradient (its rows rounded up to a tile, at most KC columns).
    let shared = (2.0 * g + x) * t * b * h
        + t * b * (d.input.max(16) as f64 + 4.0 * h)
        + 2.0 * t * b * d.output as f64
        + (g * h + 8.0) * (t * b).min(crate::nn::gemm::KC as f64);
    // The user's data: its whole training set is held, validation and test at its own length
    // (and every record evaluates all of them).
    let (sets, eval_seqs) = match task.user().filter(|_| c.task.needs_data()) {
        Some(u) => {
            let (train, val, test) = u.sizes(c.task);
            ((train + val + test) as f64 * t * io + b * t * io, (val + test) as f64 * t)
        }
        None => (
            c.train as f64 * t * io + EVAL_SIZE as f64 * (t + t_test) * io + b * t * io,
            EVAL_SIZE as f64 * (t + t_test),
        ),
    };
    let step_flop = step_flop(s.arch, d, c.batch, t as usize);
    let records = (c.steps / c.every() + 1) as f64;
    let eval = forward_flop(s.arch, d) * eval_seqs;
    Cost {
        // Weights, gradients, Adam's two moments and the best checkpoint's copy.
        model_bytes: 5.0 * 4.0 * params,
        data_bytes: 4.0 * sets,
        buffer_bytes: 4.0 * (d.layers as f64 * per_layer + shared),
        step_flop,
        flop: step_flop * c.steps as f64 + eval * records,
    }
}

/// Bytes and GFLOP in human units.
pub fn bytes_text(b: f64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if b >= 1024.0 * MIB {
        format!("{:.1} GiB", b / (1024.0 * MIB))
    } else {
        format!("{:.0} MiB", (b / MIB).max(1.0))
    }
}

pub fn seconds_text(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.0} µs", (s * 1e6).max(1.0))
    } else if s < 0.01 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 5400.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// What a config costs in all: its runs, their largest peak memory, total work.
#[derive(Clone, Copy, Debug)]
pub struct Work {
    pub runs: usize,
    pub peak_bytes: f64,
    pub gflop: f64,
    pub step_flop: f64,
}

pub fn work(c: &Config, specs: &[RunSpec]) -> Work {
    Work::of(&specs.iter().map(|s| run_cost(c, s)).collect::<Vec<_>>())
}

impl Work {
    /// The work of runs of these costs.
    pub fn of(costs: &[Cost]) -> Work {
        Work {
            runs: costs.len(),
            peak_bytes: costs.iter().map(Cost::bytes).fold(0.0, f64::max),
            gflop: costs.iter().map(|k| k.flop).sum::<f64>() / 1e9,
            step_flop: costs.iter().map(|k| k.step_flop).fold(0.0, f64::max),
        }
    }
}

/// One line for people: memory, time per step and in all at `gflops` per worker.
pub fn describe(w: &Work, workers: usize, gflops: f64) -> String {
    let per_step = w.step_flop / (gflops * 1e9);
    let total = w.gflop / (gflops * workers.min(w.runs).max(1) as f64);
    format!(
        "{} run{}, up to {} each, about {:.1} GFLOP: ≈ {} per step, ≈ {} in all on {workers} worker{}",
        w.runs,
        if w.runs == 1 { "" } else { "s" },
        bytes_text(w.peak_bytes),
        w.gflop,
        seconds_text(per_step),
        seconds_text(total),
        if workers == 1 { "" } else { "s" },
    )
}

/// The memory check of some runs (each its config and spec), each worker holding
/// `runs_per_worker` of them at once: refused past `limit`, with the changes that would fit.
#[derive(Clone)]
pub struct Memory<'a> {
    pub runs: Vec<(Config, RunSpec)>,
    pub runs_per_worker: usize,
    pub limit: f64,
    /// The limit's name in the message ("per worker", "(--max-memory, in GB)").
    pub what: &'a str,
}

impl Memory<'_> {
    /// The runs `specs` of one config.
    pub fn of<'a>(
        c: &Config,
        specs: &[RunSpec],
        runs_per_worker: usize,
        limit: f64,
        what: &'a str,
    ) -> Memory<'a> {
        Memory { runs: specs.iter().map(|s| (c.clone(), *s)).collect(), runs_per_worker, limit, what }
    }

    /// The largest run's peak bytes.
    fn peak(runs: &[(Config, RunSpec)]) -> f64 {
        runs.iter().map(|(c, s)| run_cost(c, s).bytes()).fold(0.0, f64::max)
    }

    pub fn check(&self) -> Result<(), String> {
        let peak = Memory::peak(&self.runs);
        let need = peak * self.runs_per_worker as f64;
        if need <= self.limit {
            return Ok(());
        }
        let each = if self.runs_per_worker > 1 {
            format!(" ({} runs of up to {})", self.runs_per_worker, bytes_text(peak))
        } else {
            String::new()
        };
        let fits = self.fits();
        let advice = if fits.is_empty() {
            "no single change of cells, length, batch, training set or runs at once fits it".to_string()
        } else {
            format!("it fits with {}", fits.join(", or "))
        };
        Err(format!(
            "this needs about {}{each} of memory; the limit {} is {}: {advice}",
            bytes_text(need),
            self.what,
            bytes_text(self.limit)
        ))
    }

    /// Whether the runs, changed by `f`, fit with `per_worker` at once.
    fn fit_with(&self, per_worker: usize, f: impl Fn(&mut Config, &mut RunSpec)) -> bool {
        let changed: Vec<(Config, RunSpec)> = self
            .runs
            .iter()
            .map(|(c, s)| {
                let (mut c, mut s) = (c.clone(), *s);
                f(&mut c, &mut s);
                (c, s)
            })
            .collect();
        Memory::peak(&changed) * per_worker as f64 <= self.limit
    }

    /// Each single change that brings the estimate within the limit, at its largest (halving
    /// from the current value): from the estimator itself, so nothing advised would not fit.
    fn fits(&self) -> Vec<String> {
        let most = |get: fn(&(Config, RunSpec)) -> usize| self.runs.iter().map(get).max().unwrap_or(0);
        let largest = |from: usize, ok: &dyn Fn(usize) -> bool| {
            std::iter::successors(Some(from / 2), |v| (*v > 1).then_some(v / 2)).find(|&v| v >= 1 && ok(v))
        };
        let n = self.runs_per_worker;
        let mut out = Vec::new();
        if let Some(h) =
            largest(most(|r| r.1.hidden), &|h| self.fit_with(n, |_, s| s.hidden = s.hidden.min(h)))
        {
            out.push(format!("at most {h} cells"));
        }
        let named = self.runs.iter().all(|(c, _)| c.names_len());
        if let Some(l) =
            largest(most(|r| r.1.len), &|l| self.fit_with(n, |_, s| s.len = s.len.min(l))).filter(|_| named)
        {
            out.push(format!("a length of at most {l}"));
        }
        if let Some(b) = largest(most(|r| r.0.batch), &|b| self.fit_with(n, |c, _| c.batch = c.batch.min(b)))
        {
            out.push(format!("a batch of at most {b}"));
        }
        if let Some(t) = largest(most(|r| r.0.train), &|t| self.fit_with(n, |c, _| c.train = c.train.min(t)))
        {
            out.push(format!("a training set of at most {t}"));
        }
        if let Some(k) = (1..n).rev().find(|&k| self.fit_with(k, |_, _| {})) {
            out.push(format!("at most {k} runs at once per worker (fewer seeds or architectures)"));
        }
        out
    }
}

/// Refuses a sweep (or shard) past `MAX_RUNS` or `MAX_GFLOP`, with the numbers.
pub fn check_sweep(w: &Work) -> Result<(), String> {
    if w.runs > MAX_RUNS {
        return Err(format!(
            "this sweep has {} runs; the limit is {MAX_RUNS}: fewer cells, lengths, learning rates, seeds or archs",
            w.runs
        ));
    }
    if w.gflop > MAX_GFLOP {
        return Err(format!(
            "this sweep needs about {:.0} GFLOP of training; the limit is {MAX_GFLOP:.0}: fewer steps, runs or cells",
            w.gflop
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::run::Run;

    #[test]
    fn the_memory_estimate_covers_what_a_run_really_holds() {
        for q in [
            "task=adding&len=40&cells=32&archs=lstm,gru,rnn&batch=16",
            "task=copy&len=30&cells=24&layers=2&archs=lstm,gru&train=300",
            "task=anbn&len=12&cells=16&archs=gru&batch=64",
            "task=text&len=30&cells=32&archs=lstm&batch=8",
            "task=dyck&pairs=2&len=16&cells=8&layers=3&archs=lstm,rnn",
        ] {
            let c = parse(&format!("{q}&steps=3&every=1&seeds=1")).unwrap();
            for spec in RunSpec::all(&c) {
                // On a thread of its own: the kernel's copy of A is per thread, sized by the
                // largest product it has run.
                let c2 = c.clone();
                let held = std::thread::spawn(move || {
                    let mut run = Run::new(&c2, spec, || 0.0);
                    run.advance(3);
                    run.probe(5);
                    4.0 * run.floats() as f64
                })
                .join()
                .unwrap();
                let est = run_cost(&c, &spec).bytes();
                assert!(
                    held <= est && est < 1.6 * held,
                    "{q} {:?}: holds {held}, estimated {est}",
                    spec.arch
                );
            }
        }
    }

    #[test]
    fn times_read_at_every_scale() {
        let t: Vec<String> = [4e-4, 3.2e-3, 0.25, 12.0, 600.0, 9000.0].map(seconds_text).to_vec();
        assert_eq!(t, ["400 µs", "3.2 ms", "250 ms", "12 s", "10 min", "2.5 h"]);
    }

    #[test]
    fn the_huge_config_of_the_report_is_refused_before_allocation() {
        let c = parse("task=copy&len=1000&cells=256&batch=256&archs=lstm,gru,rnn&steps=5").unwrap();
        let specs = RunSpec::compare(&c);
        let w = work(&c, &specs);
        let m = Memory::of(&c, &specs, 5, PAGE_BYTES, "per worker");
        let err = m.check().unwrap_err();
        assert!(err.contains("GiB") && err.contains("limit per worker is 1.0 GiB"), "{err}");
        assert!(w.step_flop > 1e11, "{w:?}");
        // The advice comes from the estimator: the cells it names fit, twice as many do not.
        let cells: usize =
            err.split("at most ").nth(1).and_then(|t| t.split(' ').next()).unwrap().parse().unwrap();
        let with = |h: usize| specs.iter().map(|s| RunSpec { hidden: h, ..*s }).collect::<Vec<_>>();
        assert!(Memory::of(&c, &with(cells), 5, PAGE_BYTES, "").check().is_ok(), "{err}");
        assert!(Memory::of(&c, &with(2 * cells), 5, PAGE_BYTES, "").check().is_err(), "{err}");
    }
}
