//! Running a plan's stages on this machine's threads, whole or one shard of one stage at a
//! time (a cluster's array task), with every finished run appended to `DIR/runs.jsonl` so a
//! killed run resumes where it stopped. Used by `gatelab sweep`, `search` and `atlas`.

use crate::files::{append_line, read_text};
use crate::{now, progress::Progress, Args};
use gatelab::experiment::job::Job;
use gatelab::experiment::plan::Experiment;
use gatelab::experiment::shard::{merge, read_lines, shards_needed, slice, Merged, RunLine};
use gatelab::experiment::summary::Summary;
use gatelab::limits::{check_sweep, describe, Memory, Work, NATIVE_GFLOPS};
use gatelab::nn::arithmetic::Arithmetic;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Every stage's results, each in its stage's job order.
pub type Stages = Vec<Vec<Summary>>;

/// runs.jsonl files are read whole; this bounds them (360 runs are about 250 KB).
pub const MAX_LINES_BYTES: u64 = 64 << 20;

/// `--shard K/N` (default 1/1).
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

/// The lines of `DIR/runs.jsonl` (none if there is no such file).
pub fn lines_in(dir: &Path) -> Result<Vec<RunLine>, String> {
    let path = dir.join("runs.jsonl");
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(read_lines(&read_text(&path, "runs file", MAX_LINES_BYTES)?))
}

fn work_of(jobs: &[&Job]) -> Work {
    Work::of(&jobs.iter().map(|j| j.cost()).collect::<Vec<_>>())
}

/// Runs what the arguments ask: every stage (no `--shard`), or one shard of one stage. Returns
/// every stage's results when the plan is complete here, `None` after a shard.
pub fn run(e: &Experiment, args: &Args, what: &str) -> Result<Option<Stages>, String> {
    let (k, n) = shard_arg(args)?;
    let out = args.value("out").map(PathBuf::from);
    let total = e.stages().len();
    let stage: usize = args.number("stage", 1, total, 1)? - 1;
    if n > 1 && out.is_none() {
        return Err("a shard needs --out DIR: its runs go to DIR/runs.jsonl for `gatelab merge`".into());
    }
    if args.value("stage").is_some() && n == 1 && args.value("shard").is_none() {
        return Err("--stage goes with --shard K/N (without it, every stage runs here)".into());
    }
    let query = e.text();
    let mut earlier = if stage > 0 {
        let from = args
            .value("from")
            .ok_or(format!("stage {} needs --from MERGED (the merge of stage {stage})", stage + 1))?;
        let m = merged_from(Path::new(from), &query)?;
        if m.stages.len() < stage {
            return Err(format!(
                "{from} holds {} complete stage(s); stage {} needs {stage}",
                m.stages.len(),
                stage + 1
            ));
        }
        m.stages.into_iter().take(stage).collect()
    } else {
        Vec::new()
    };
    let finished: Vec<RunLine> = match &out {
        Some(d) => lines_in(d)?.into_iter().filter(|l| l.query == query).collect(),
        None => Vec::new(),
    };
    // A folder or merge of the other arithmetic is not continued: the result would mix both.
    let mine = Arithmetic::current();
    let earlier_runs = earlier.iter().flatten().map(|r: &Summary| &r.arithmetic);
    let held = finished.iter().map(|l| &l.summary.arithmetic).chain(earlier_runs);
    match Arithmetic::shared(held).map_err(|e| format!("the runs this command continues from: {e}"))? {
        Some(a) if a != mine => {
            return Err(format!(
                "the runs this command continues from (--out, --from) are of {} arithmetic, and it runs {}: use another --out, or the same arithmetic (--fast or not)",
                a.words(),
                mine.words()
            ))
        }
        _ => {}
    }
    let last = if n > 1 { stage } else { total - 1 };
    for s in stage..=last {
        let all = e.jobs(s, &earlier);
        let mine = slice(&all, k, n);
        let run = StageRun {
            e,
            args,
            what,
            s,
            all: &all,
            mine: &mine,
            shard: (k, n),
            finished: &finished,
            out: out.as_deref(),
        };
        let rows = run.run()?;
        if n > 1 {
            let file = out.as_ref().expect("checked above").join("runs.jsonl");
            eprintln!(
                "shard {k}/{n} of stage {}/{total} done: {} runs in {}; merge every shard with `gatelab merge DIR... --out OUT`",
                s + 1,
                mine.len(),
                file.display()
            );
            return Ok(None);
        }
        earlier.push(rows);
    }
    Ok(Some(earlier))
}

/// The merged stages in `dir` (a `gatelab merge --out` folder), for the query `query`.
fn merged_from(dir: &Path, query: &str) -> Result<Merged, String> {
    let lines = lines_in(dir)?;
    if lines.is_empty() {
        return Err(format!("{} holds no merged runs (runs.jsonl)", dir.display()));
    }
    let m = merge(&[(dir.display().to_string(), lines)])?;
    if m.experiment.text() != query {
        return Err(format!("{} holds runs of another query: {:?}", dir.display(), m.experiment.text()));
    }
    Ok(m)
}

/// One stage as this machine runs it: `mine` (indices into `all`, the jobs of stage `s`), of
/// shard `k` of `n`, but those already in `finished`; lines go to `out`'s runs.jsonl.
struct StageRun<'a> {
    e: &'a Experiment,
    args: &'a Args,
    what: &'a str,
    s: usize,
    all: &'a [Job],
    mine: &'a [usize],
    shard: (usize, usize),
    finished: &'a [RunLine],
    out: Option<&'a Path>,
}

impl StageRun<'_> {
    /// The line of a run this machine already finished (an earlier, interrupted command).
    fn done_before(&self, i: usize) -> Option<&RunLine> {
        self.finished.iter().find(|l| l.stage == self.s && l.run == i && self.all[i].matches(&l.summary))
    }

    /// Checks the limits for `todo`, says what runs, and returns the threads to use.
    fn plan(&self, todo: &[usize]) -> Result<usize, String> {
        let w = work_of(&self.mine.iter().map(|&i| &self.all[i]).collect::<Vec<_>>());
        // An atlas is fixed in code, not read from a link or file: its size is its own.
        let checked = if matches!(self.e, Experiment::Atlas(_)) { Ok(()) } else { check_sweep(&w) };
        checked.map_err(|e| {
            let whole = work_of(&self.all.iter().collect::<Vec<_>>());
            let need = shards_needed(whole.runs, whole.gflop);
            format!("{e}; or split it into {need} shards or more, each run with --shard K/{need} --out DIR")
        })?;
        let threads = self.args.threads()?.min(todo.len().max(1));
        let runs = self.mine.iter().map(|&i| (self.all[i].config.clone(), self.all[i].spec)).collect();
        Memory {
            runs,
            runs_per_worker: threads,
            limit: self.args.max_memory()?,
            what: "(--max-memory, in GB)",
        }
        .check()?;
        let (k, n) = self.shard;
        let shard = if n > 1 { format!("shard {k}/{n}, ") } else { String::new() };
        eprintln!(
            "{}, {shard}{}: {} ({} already done)",
            self.what,
            self.e.stages()[self.s].name(),
            describe(&w, threads, NATIVE_GFLOPS),
            self.mine.len() - todo.len()
        );
        Ok(threads)
    }

    /// Appends a finished run to runs.jsonl (when there is an `out` folder).
    fn write_line(&self, run: usize, summary: &Summary) {
        let Some(p) = self.out.map(|d| d.join("runs.jsonl")) else { return };
        let (k, n) = self.shard;
        let line = RunLine {
            query: self.e.text(),
            stage: self.s,
            shard: [k, n],
            run,
            of: self.all.len(),
            summary: summary.clone(),
        };
        if let Err(e) = append_line(&p, &serde_json::to_string(&line).expect("plain data")) {
            eprintln!("gatelab: {e}");
        }
    }

    /// Trains `todo` on `threads` threads with a progress bar.
    fn train(&self, todo: &[usize], threads: usize) -> Vec<Result<Summary, String>> {
        let steps = AtomicUsize::new(0);
        let budget: usize = todo.iter().map(|&i| self.all[i].config.steps).sum();
        let label = self.e.stages()[self.s].name();
        let mut bar = Progress::new(budget as u64, &format!("{label}: {} runs", todo.len()));
        let started = now();
        let results = gatelab::pool::run(
            todo.len(),
            threads,
            |j| {
                let job = &self.all[todo[j]];
                let mut last = 0;
                let row = job.run(now, &mut |step| {
                    steps.fetch_add(step - last, Ordering::Relaxed);
                    last = step;
                });
                // A run that diverged stops early: count its whole budget as done.
                steps.fetch_add(job.config.steps - last, Ordering::Relaxed);
                row
            },
            |j, r| {
                if let Ok(summary) = r {
                    self.write_line(todo[j], summary);
                }
            },
            || bar.set(steps.load(Ordering::Relaxed) as u64),
        );
        bar.finish();
        eprintln!("{} runs on {threads} thread(s) in {:.1} s", todo.len(), now() - started);
        results
    }

    /// Trains what is left; returns the stage's rows in job order when this machine has all
    /// of them.
    fn run(&self) -> Result<Vec<Summary>, String> {
        let todo: Vec<usize> = self.mine.iter().copied().filter(|&i| self.done_before(i).is_none()).collect();
        let threads = self.plan(&todo)?;
        let results = self.train(&todo, threads);
        if let Some((j, e)) = results.iter().enumerate().find_map(|(j, r)| r.as_ref().err().map(|e| (j, e))) {
            return Err(format!(
                "run {} failed: {e}; the others are in runs.jsonl, run the same command again",
                todo[j] + 1
            ));
        }
        let mut rows: Vec<Option<Summary>> = vec![None; self.all.len()];
        for &i in self.mine {
            rows[i] = self.done_before(i).map(|l| l.summary.clone());
        }
        for (j, r) in results.into_iter().enumerate() {
            rows[todo[j]] = r.ok();
        }
        Ok(rows.into_iter().flatten().collect())
    }
}

/// `gatelab merge`: every folder's lines, merged stage by stage into OUT/runs.jsonl; the
/// complete plan's stages, or what to run next.
pub fn merge_dirs(args: &Args) -> Result<Option<(Experiment, Stages)>, String> {
    let out = PathBuf::from(args.value("out").ok_or("merge needs --out OUT")?);
    let mut sources = Vec::new();
    for dir in &args.positional {
        let lines = read_lines(&read_text(&Path::new(dir).join("runs.jsonl"), "runs file", MAX_LINES_BYTES)?);
        if lines.is_empty() {
            return Err(format!("{} holds no finished run", Path::new(dir).join("runs.jsonl").display()));
        }
        sources.push((dir.clone(), lines));
    }
    // OUT's own earlier merge supplies the stages the folders given do not hold.
    let given = |d: &str| Path::new(d).canonicalize().ok() == out.canonicalize().ok();
    if !args.positional.iter().any(|d| given(d)) {
        let held: Vec<usize> = sources.iter().flat_map(|s| s.1.iter().map(|l| l.stage)).collect();
        let mine: Vec<RunLine> = lines_in(&out)?.into_iter().filter(|l| !held.contains(&l.stage)).collect();
        if !mine.is_empty() {
            sources.push((out.display().to_string(), mine));
        }
    }
    let m = merge(&sources)?;
    let total = m.experiment.stages().len();
    let mut text = String::new();
    let query = m.experiment.text();
    for (s, rows) in m.stages.iter().enumerate() {
        for (i, r) in rows.iter().enumerate() {
            let line = RunLine {
                query: query.clone(),
                stage: s,
                shard: [1, 1],
                run: i,
                of: rows.len(),
                summary: r.clone(),
            };
            text.push_str(&serde_json::to_string(&line).expect("plain data"));
            text.push('\n');
        }
    }
    crate::files::write(&out.join("runs.jsonl"), &text)?;
    if !m.complete {
        eprintln!(
            "merged {} of {total} stages into {}; next: stage {} ({}), each shard with --stage {} --from {} --shard K/N",
            m.stages.len(),
            out.display(),
            m.stages.len() + 1,
            m.experiment.stages()[m.stages.len()].name(),
            m.stages.len() + 1,
            out.display()
        );
        return Ok(None);
    }
    Ok(Some((m.experiment, m.stages)))
}
