//! `gatelab train`: every architecture and seed of a config on all cores, a table, the
//! head-to-head over seeds, and (with --out) each run's curve, model and PyTorch script.

use crate::files::{json, write};
use crate::{now, progress::Progress, table, Args};
use gatelab::config::Config;
use gatelab::config::Plan;
use gatelab::experiment::files::train::TrainFile;
use gatelab::experiment::summary::Summary;
use gatelab::limits::{describe, work, Memory, NATIVE_GFLOPS};
use gatelab::nn::model_file::{pytorch_script, to_json};
use gatelab::run::{curve_csv, Run, RunSpec};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A finished run's files: its summary, curve and model.
struct Done {
    summary: Summary,
    curve: String,
    model: String,
    /// The model at the best checkpoint, where that is not the end.
    best: Option<String>,
}

pub fn train(c: &Config, args: &Args) -> Result<(), String> {
    match c.plan() {
        Plan::Search => return Err("this config has ranges lo..hi (a search): use `gatelab search`".into()),
        Plan::Sweep => {
            return Err(
                "this config has lists of cells, lengths or learning rates (a sweep): use `gatelab sweep`"
                    .into(),
            )
        }
        Plan::Train => {}
    }
    let specs = RunSpec::compare(c);
    let threads = args.threads()?.min(specs.len());
    let w = work(c, &specs);
    Memory::of(c, &specs, threads, args.max_memory()?, "(--max-memory, in GB)").check()?;
    eprintln!("{}", describe(&w, threads, NATIVE_GFLOPS));
    let out = args.value("out").map(std::path::PathBuf::from);
    let vocab = c.task().vocab();
    let steps = AtomicUsize::new(0);
    let mut bar = Progress::new((specs.len() * c.steps) as u64, &format!("training {}", c.task.name()));
    let results = gatelab::pool::run(
        specs.len(),
        threads,
        |k| {
            let mut last = 0;
            let mut run = Run::to_end(c, specs[k], now, &mut |step| {
                steps.fetch_add(step - last, Ordering::Relaxed);
                last = step;
            });
            // A run that diverged stops early: count its whole budget as done.
            steps.fetch_add(c.steps - last, Ordering::Relaxed);
            let model = json(&to_json(&run.net.model, vocab.as_deref()));
            let best = run.best_model().filter(|_| c.fixed_training_set());
            let best = best.map(|m| json(&to_json(&m, vocab.as_deref())));
            Done { summary: Summary::of(&mut run, c), curve: curve_csv(&run.records), model, best }
        },
        |_, _| {},
        || bar.set(steps.load(Ordering::Relaxed) as u64),
    );
    bar.finish();
    let mut rows = Vec::new();
    for (spec, r) in specs.iter().zip(results) {
        let done =
            r.map_err(|e| format!("the {} run of seed {} failed: {e}", spec.arch.name(), spec.seed))?;
        if let Some(dir) = &out {
            let dir = dir.join(spec.arch.name()).join(format!("seed{}", spec.seed));
            write(&dir.join("curve.csv"), &done.curve)?;
            write(&dir.join("model.json"), &done.model)?;
            let script = pytorch_script(spec.arch, c.dims(spec.hidden), "model.json");
            write(&dir.join("model.py"), &script)?;
            if let Some(best) = &done.best {
                write(&dir.join("model-best.json"), best)?;
                let script = pytorch_script(spec.arch, c.dims(spec.hidden), "model-best.json");
                write(&dir.join("model-best.py"), &script)?;
            }
        }
        rows.push(done.summary);
    }
    table::print(&rows, c);
    let file = TrainFile::new(c.to_string(), rows);
    for s in file.sentences() {
        println!("{s}");
    }
    if let Some(dir) = out {
        write(&dir.join("summary.json"), &json(&file))?;
        eprintln!("wrote {}", dir.display());
    }
    Ok(())
}
