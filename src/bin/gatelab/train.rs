//! `gatelab train` and `gatelab sweep`: the config's runs, a progress bar, a table, files.

use crate::{now, progress::Progress, table};
use gatelab::config::Config;
use gatelab::nn::model_file::to_json;
use gatelab::run::{curve_csv, RunSpec};
use gatelab::sweep::{check_bounds, train_one, train_to_end, Summary, CSV_HEADER};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

pub fn train(c: &Config, out: Option<PathBuf>) -> Result<(), String> {
    if c.is_sweep() {
        return Err("this config has lists (a sweep): use `gatelab sweep`".into());
    }
    let specs = RunSpec::all(c);
    let mut bar = Progress::new((specs.len() * c.steps) as u64, &format!("training {}", c.task.name()));
    let mut rows = Vec::new();
    for (k, spec) in specs.into_iter().enumerate() {
        let run = train_to_end(c, spec, now, &mut |step| bar.set((k * c.steps + step) as u64));
        if let Some(dir) = &out {
            let dir = dir.join(spec.arch.name());
            write(&dir.join("curve.csv"), &curve_csv(&run.records))?;
            write(&dir.join("model.json"), &json(&to_json(&run.net.model)))?;
        }
        rows.push(run.summary(c));
    }
    bar.finish();
    finish(c, &rows, out.as_deref(), "summary.json")
}

/// Prints the table; with an output folder, writes the rows as `json_name`.
fn finish(c: &Config, rows: &[Summary], out: Option<&Path>, json_name: &str) -> Result<(), String> {
    table::print(rows, c.task.about().metric_name);
    if let Some(dir) = out {
        write(&dir.join(json_name), &json(&rows))?;
        eprintln!("wrote {}", dir.join(json_name).display());
    }
    Ok(())
}

/// Trains every run of `c` on `threads` threads; rows come out in the config's order.
/// `progress` sees the training steps done so far, a few times a second.
pub fn run_pool(c: &Config, threads: usize, progress: &mut dyn FnMut(usize)) -> Vec<Summary> {
    let specs = RunSpec::all(c);
    let next = AtomicUsize::new(0);
    let steps_done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Summary>>> = Mutex::new(vec![None; specs.len()]);
    std::thread::scope(|s| {
        for _ in 0..threads.min(specs.len()) {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&spec) = specs.get(k) else { break };
                let mut last = 0;
                let row = train_one(c, spec, now, &mut |step| {
                    steps_done.fetch_add(step - last, Ordering::Relaxed);
                    last = step;
                });
                // A diverged run stops early: count its whole budget as done.
                steps_done.fetch_add(c.steps - last, Ordering::Relaxed);
                results.lock().unwrap()[k] = Some(row);
            });
        }
        while results.lock().unwrap().iter().any(Option::is_none) {
            progress(steps_done.load(Ordering::Relaxed));
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    results.into_inner().unwrap().into_iter().flatten().collect()
}

pub fn sweep(c: &Config, out: Option<PathBuf>, threads: usize) -> Result<(), String> {
    check_bounds(c)?;
    let runs = RunSpec::all(c).len();
    let mut bar = Progress::new((runs * c.steps) as u64, &format!("sweep of {runs} runs"));
    let started = now();
    let rows = run_pool(c, threads, &mut |done| bar.set(done as u64));
    bar.finish();
    eprintln!("{runs} runs on {threads} thread(s) in {:.1} s", now() - started);
    finish(c, &rows, out.as_deref(), "sweep.json")?;
    if let Some(dir) = out {
        let csv: Vec<String> =
            std::iter::once(CSV_HEADER.to_string()).chain(rows.iter().map(Summary::csv_row)).collect();
        write(&dir.join("sweep.csv"), &(csv.join("\n") + "\n"))?;
    }
    Ok(())
}
