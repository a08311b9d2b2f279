//! `gatelab`: the native twin of the page. Same config text, same engine, same numbers.
//! Bad arguments, configs or files: one line on stderr naming the problem, exit code 2.

mod atlas;
mod bench;
mod data;
mod files;
mod gallery;
mod probe;
mod progress;
mod sample;
mod search;
mod stages;
mod sweep;
mod table;
mod train;

use gatelab::nn::arithmetic::Arithmetic;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

const USAGE: &str = "usage:
  gatelab train \"<query>\" [--out DIR] [--threads N] [--max-memory GB] [--data FILE [--data FILE2]] [--fast]
        every architecture and seed of a config; prints the table and the head-to-head.
        --data: your data (task=classify: a .ts or UCR .tsv, or a TRAIN/TEST pair; task=forecast:
        a CSV; task=text: a text file); the query's data=NAME@sha256:HEX must name these files
  gatelab sweep \"<query>\" [--out DIR] [--threads N] [--max-memory GB] [--shard K/N [--stage S --from M]] [--fast]
        every run of a sweep (lists of cells, len, lr), then each architecture's best setting on
        `confirm` fresh seeds; prints the verdict. --shard K/N runs the K-th of N slices of stage S
        (default 1; later stages read the merge of the earlier ones, --from M) and appends each
        finished run to DIR/runs.jsonl
  gatelab search \"<query>\" [--out DIR] [--threads N] [--shard K/N [--stage S --from M]] [--data FILE] [--fast]
        a search of ranges (lr=1e-4..0.1&cells=4..64&trials=20&halving=3&confirm=6): the same
        points, seeds and budget for every architecture, successive halving, each one's best
        trial confirmed on fresh seeds, and what mattered; search.json with --out
  gatelab atlas [--only FILTER] [--out DIR] [--threads N] [--shard K/N [--stage S --from M]] [--fast]
        LSTM vs GRU across 7 problems x 3 lengths x 3 sizes, each cell a search of the learning
        rate judged on two disjoint sets of fresh seeds; FILTER names cells (task=dyck,
        size=1k&len=10, a cell id such as adding-25-5k); prints the map, atlas.json with --out
  gatelab data FILE [FILE2] [--query Q]   what a data file holds, and the classical baselines
  gatelab stages \"<query>\"          the number of stages and the command (sweep, search or atlas), then
        each stage: what a cluster submits (deploy/slurm-submit.sh)
  gatelab merge DIR... --out OUT      merges the shards' folders stage by stage into OUT/runs.jsonl;
        when every stage is there, writes sweep.json, search.json or atlas.json
  gatelab gallery [--seeds A-B] [--preset NAME] [--json] [--threads N] [--list]
        re-checks every gallery claim (or one) on those seeds (default 11-50, the held-out
        seeds its odds were measured on); --list prints each finding, its query and its odds
  gatelab probe --model M.json --input X.json     every gate of every layer on one sequence
  gatelab sample --model M.json --chars N [--temp T] [--seed S] [--prime TEXT]
        text written by a model of the text task
  gatelab bench [--json] [--sweep|--cells]  training-step speed, LSTM and GRU (--sweep:
                                      threads; --cells: every cell, per parameter vs its base)
  gatelab keys                        every config key, its range, default and meaning
--fast (train, sweep, search, atlas): fused multiply-adds in the matrix kernel (needs FMA):
        faster, most on Intel; the same bits run to run and on every CPU with FMA, but not the
        page's (exact) bits. Every output file records its arithmetic; merge refuses to mix them
example: gatelab train \"task=adding&len=50&cells=16&archs=lstm,gru&steps=2000&seeds=5\"";

/// Seconds since the first call: the clock of native runs.
pub fn now() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Parsed command line: positional arguments and `--flag value` options.
pub struct Args {
    pub positional: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

/// Options that take a value.
const WITH_VALUE: &[&str] = &[
    "out",
    "threads",
    "model",
    "input",
    "max-memory",
    "shard",
    "stage",
    "from",
    "seeds",
    "chars",
    "temp",
    "seed",
    "prime",
    "preset",
    "data",
    "query",
    "only",
];

impl Args {
    fn parse(raw: &[String]) -> Result<Args, String> {
        let (mut positional, mut options) = (Vec::new(), Vec::new());
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let value = if WITH_VALUE.contains(&name) {
                    Some(it.next().ok_or(format!("--{name} needs a value"))?.clone())
                } else {
                    None
                };
                options.push((name.to_string(), value));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { positional, options })
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|o| o.0 == name).and_then(|o| o.1.as_deref())
    }

    /// Every value of an option given more than once (`--data A --data B`).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.options.iter().filter(|o| o.0 == name).filter_map(|o| o.1.as_deref()).collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|o| o.0 == name)
    }

    /// Checks the options are among `allowed` and the positional count is in `count`.
    fn only(&self, allowed: &[&str], count: std::ops::RangeInclusive<usize>) -> Result<(), Failure> {
        if let Some(o) = self.options.iter().find(|o| !allowed.contains(&o.0.as_str())) {
            return Err(Failure::Usage(format!("unknown option --{}", o.0)));
        }
        if !count.contains(&self.positional.len()) {
            return Err(Failure::Usage(format!(
                "expected {count:?} argument(s), got {}",
                self.positional.len()
            )));
        }
        Ok(())
    }

    /// A number option within a range, or its default.
    pub fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
        &self,
        name: &str,
        lo: T,
        hi: T,
        default: T,
    ) -> Result<T, String> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<T>()
                .ok()
                .filter(|x| *x >= lo && *x <= hi)
                .ok_or(format!("--{name} must be a number from {lo} to {hi}, not {v:?}")),
        }
    }

    pub fn threads(&self) -> Result<usize, String> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.number("threads", 1, 256, cores)
    }

    /// The memory limit in bytes (`--max-memory` in GB, default 4).
    pub fn max_memory(&self) -> Result<f64, String> {
        Ok(self.number("max-memory", 0.01, 1024.0, 4.0)? * 1024.0 * 1024.0 * 1024.0)
    }
}

/// The query, with its data loaded (`--data`) and checked.
fn config(args: &Args) -> Result<gatelab::config::Config, String> {
    let mut c = gatelab::config::parse(&args.positional[0]).map_err(|notes| {
        let all: Vec<String> = notes.iter().map(|n| n.refusal()).collect();
        format!("bad config: {}", all.join("; "))
    })?;
    data::load(args, &mut c)?;
    if let Some(line) = data::filled(&c) {
        eprintln!("{line}");
    }
    Ok(c)
}

/// Why the CLI stopped: the command line itself (the usage follows), or its input or work.
enum Failure {
    Usage(String),
    Input(String),
}

impl From<String> for Failure {
    fn from(e: String) -> Failure {
        Failure::Input(e)
    }
}

impl From<&str> for Failure {
    fn from(e: &str) -> Failure {
        Failure::Input(e.to_string())
    }
}

fn run(raw: &[String]) -> Result<(), Failure> {
    let (cmd, rest) = raw.split_first().ok_or(Failure::Usage("no command".into()))?;
    let args = Args::parse(rest)?;
    let arithmetic = if args.flag("fast") { Arithmetic::Fused } else { Arithmetic::Exact };
    arithmetic.available()?;
    if arithmetic == Arithmetic::Fused {
        eprintln!(
            "arithmetic: fused multiply-adds (--fast); the results will not match the page's to the bit"
        );
    }
    arithmetic.scope(|| command(cmd, &args))
}

/// One command, run in this thread's arithmetic.
fn command(cmd: &str, args: &Args) -> Result<(), Failure> {
    match cmd {
        "train" => {
            args.only(&["out", "threads", "max-memory", "data", "fast"], 1..=1)?;
            Ok(train::train(&config(args)?, args)?)
        }
        "sweep" => {
            args.only(&["out", "threads", "max-memory", "shard", "stage", "from", "data", "fast"], 1..=1)?;
            Ok(sweep::sweep(&config(args)?, args)?)
        }
        "search" => {
            args.only(&["out", "threads", "max-memory", "shard", "stage", "from", "data", "fast"], 1..=1)?;
            Ok(search::search(&config(args)?, args)?)
        }
        "atlas" => {
            args.only(&["out", "threads", "max-memory", "shard", "stage", "from", "only", "fast"], 0..=1)?;
            Ok(atlas::atlas(args)?)
        }
        "stages" => {
            // What a cluster needs to know before submitting: the command and its stages.
            args.only(&[], 1..=1)?;
            let e = gatelab::experiment::plan::Experiment::parse(&args.positional[0])
                .map_err(|e| format!("bad config: {e}"))?;
            let stages = e.stages();
            println!("{} {}", stages.len(), e.command());
            for (k, s) in stages.iter().enumerate() {
                println!("stage {}: {}", k + 1, s.name());
            }
            Ok(())
        }
        "merge" => {
            args.only(&["out"], 1..=usize::MAX)?;
            Ok(sweep::merge(args)?)
        }
        "data" => {
            args.only(&["query"], 1..=2)?;
            Ok(data::data(args)?)
        }
        "gallery" => {
            args.only(&["seeds", "json", "threads", "preset", "list"], 0..=0)?;
            Ok(gallery::gallery(args)?)
        }
        "probe" => {
            args.only(&["model", "input"], 0..=0)?;
            Ok(probe::probe(args)?)
        }
        "sample" => {
            args.only(&["model", "chars", "temp", "seed", "prime"], 0..=0)?;
            Ok(sample::sample(args)?)
        }
        "bench" => {
            args.only(&["json", "sweep", "cells"], 0..=0)?;
            if args.flag("sweep") {
                Ok(bench::sweep_throughput(args.flag("json"))?)
            } else if args.flag("cells") {
                bench::cells(args.flag("json"));
                Ok(())
            } else {
                bench::bench(args.flag("json"));
                Ok(())
            }
        }
        "keys" => {
            for k in gatelab::config::KEYS {
                let default =
                    gatelab::config::text::format(k.kind, &(k.default)(gatelab::tasks::TaskKind::Adding));
                let default = if default.is_empty() { "auto".into() } else { default };
                println!("{:<9} {:<32} default {:<12} {}", k.name, k.kind.range(), default, k.help);
            }
            Ok(())
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(Failure::Usage(format!("unknown command {other:?}"))),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match run(&raw) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("gatelab: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("gatelab: {e}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
