//! `gatelab sweep` (whole, or one shard of it) and `gatelab merge`.

use crate::files::{append_line, json, read_text, write};
use crate::{now, progress::Progress, table, Args};
use gatelab::config::Config;
use gatelab::limits::{check_memory, check_sweep, describe, work, NATIVE_GFLOPS};
use gatelab::run::{Run, RunSpec};
use gatelab::shard::{merge as merge_lines, read_lines, shards_needed, slice, RunLine, SweepFile};
use gatelab::summary::{csv, Summary};
use gatelab::verdict::sentences;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// runs.jsonl files are read whole; this bounds them (360 runs are about 250 KB).
const MAX_LINES_BYTES: u64 = 64 << 20;

fn shard_arg(args: &Args) -> Result<(usize, usize), String> {
    let Some(v) = args.value("shard") else { return Ok((1, 1)) };
    let bad = || format!("--shard must be K/N with 1 <= K <= N <= 10000, not {v:?}");
    let (k, n) = v.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if k == 0 || k > n || n > 10_000 {
        return Err(bad());
    }
    Ok((k, n))
}

pub fn sweep(c: &Config, args: &Args) -> Result<(), String> {
    let (k, n) = shard_arg(args)?;
    let specs = RunSpec::all(c);
    let all = work(c, &specs);
    let mine = slice(c, &specs, k, n);
    let w = work(c, &mine.iter().map(|&i| specs[i]).collect::<Vec<_>>());
    check_sweep(&w).map_err(|e| {
        let need = shards_needed(all.runs, all.gflop);
        format!("{e}; or split it into {need} shards or more, each run with --shard K/{need} --out DIR")
    })?;
    let threads = args.threads()?.min(mine.len().max(1));
    check_memory(&w, threads, args.max_memory()?, "(--max-memory, in GB)")?;
    let out = args.value("out").map(PathBuf::from);
    if n > 1 && out.is_none() {
        return Err("a shard needs --out DIR: its runs go to DIR/runs.jsonl for `gatelab merge`".into());
    }
    let query = c.to_string();
    let lines_path = out.as_ref().map(|d| d.join("runs.jsonl"));
    let finished = match &lines_path {
        Some(p) if p.exists() => read_lines(&read_text(p, "runs file", MAX_LINES_BYTES)?),
        _ => Vec::new(),
    };
    let todo: Vec<usize> =
        mine.iter().copied().filter(|i| !finished.iter().any(|l| l.query == query && l.run == *i)).collect();
    let shard = if n > 1 { format!("shard {k}/{n}: ") } else { String::new() };
    eprintln!("{shard}{} ({} already done)", describe(&w, threads, NATIVE_GFLOPS), mine.len() - todo.len());
    let steps = AtomicUsize::new(0);
    let mut bar =
        Progress::new((todo.len() * c.steps) as u64, &format!("{shard}sweep of {} runs", todo.len()));
    let started = now();
    let results = gatelab::pool::run(
        todo.len(),
        threads,
        |j| {
            let mut last = 0;
            let mut run = Run::to_end(c, specs[todo[j]], now, &mut |step| {
                steps.fetch_add(step - last, Ordering::Relaxed);
                last = step;
            });
            steps.fetch_add(c.steps - last, Ordering::Relaxed);
            Summary::of(&mut run, c)
        },
        |j, r| {
            if let (Some(p), Ok(summary)) = (&lines_path, r) {
                let line = RunLine {
                    query: query.clone(),
                    shard: [k, n],
                    run: todo[j],
                    of: specs.len(),
                    summary: summary.clone(),
                };
                if let Err(e) = append_line(p, &serde_json::to_string(&line).expect("plain data")) {
                    eprintln!("gatelab: {e}");
                }
            }
        },
        || bar.set(steps.load(Ordering::Relaxed) as u64),
    );
    bar.finish();
    eprintln!("{} runs on {threads} thread(s) in {:.1} s", todo.len(), now() - started);
    if let Some((j, e)) = results.iter().enumerate().find_map(|(j, r)| r.as_ref().err().map(|e| (j, e))) {
        return Err(format!(
            "run {} failed: {e}; the others are in runs.jsonl, run the same command again",
            todo[j] + 1
        ));
    }
    if n > 1 {
        eprintln!(
            "shard {k}/{n} done: {} runs in {}; merge every shard with `gatelab merge DIR... --out OUT`",
            mine.len(),
            lines_path.unwrap().display()
        );
        return Ok(());
    }
    let mut rows: Vec<Option<Summary>> = vec![None; specs.len()];
    for l in finished.into_iter().filter(|l| l.query == query && l.run < specs.len()) {
        rows[l.run] = Some(l.summary);
    }
    for (j, r) in results.into_iter().enumerate() {
        rows[todo[j]] = r.ok();
    }
    finish(c, rows.into_iter().flatten().collect(), out.as_deref())
}

/// The table, the verdict last, and with a folder, sweep.csv and sweep.json.
fn finish(c: &Config, rows: Vec<Summary>, out: Option<&Path>) -> Result<(), String> {
    table::print(&rows, c.task.about().metric_name);
    let file = SweepFile::new(c, rows);
    println!("verdict (each architecture at its best setting, chosen by median validation loss over seeds):");
    for s in sentences(&file.verdict) {
        println!("  {s}");
    }
    if let Some(dir) = out {
        write(&dir.join("sweep.csv"), &csv(&file.runs))?;
        write(&dir.join("sweep.json"), &json(&file))?;
        eprintln!("wrote {} and {}", dir.join("sweep.csv").display(), dir.join("sweep.json").display());
    }
    Ok(())
}

pub fn merge(args: &Args) -> Result<(), String> {
    let out = args.value("out").ok_or("merge needs --out OUT")?;
    let mut sources = Vec::new();
    for dir in &args.positional {
        let path = Path::new(dir).join("runs.jsonl");
        let text = read_text(&path, "runs file", MAX_LINES_BYTES)?;
        let lines = read_lines(&text);
        if lines.is_empty() {
            return Err(format!("{} holds no finished run", path.display()));
        }
        sources.push((dir.clone(), lines));
    }
    let (c, rows) = merge_lines(&sources)?;
    finish(&c, rows, Some(Path::new(out)))
}
