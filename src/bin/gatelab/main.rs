//! `gatelab`: the native twin of the page. Same config text, same engine, same numbers.
//!
//!   gatelab train "<config query>" [--out DIR]
//!   gatelab sweep "<config query>" [--out DIR] [--threads N]
//!   gatelab probe --model M.json --input X.json
//!   gatelab bench [--json] [--sweep]
//!
//! Bad arguments, configs or files: one line on stderr naming the problem, exit code 2.

mod bench;
mod probe;
mod progress;
mod table;
mod train;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

const USAGE: &str = "usage:
  gatelab train \"<config query>\" [--out DIR]     train every arch of a config
  gatelab sweep \"<config query>\" [--out DIR] [--threads N]   run a sweep on all cores
  gatelab probe --model M.json --input X.json     every gate's activation on one sequence
  gatelab bench [--json] [--sweep]                training-step speed, LSTM and GRU;
                                                  --sweep: sweep throughput on 1 thread and all cores
  gatelab keys                                    every config key, its range and meaning
example: gatelab train \"task=adding&len=50&cells=16&archs=lstm,gru&steps=2000&seed=1\"";

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

impl Args {
    fn parse(raw: &[String], with_value: &[&str]) -> Result<Args, String> {
        let (mut positional, mut options) = (Vec::new(), Vec::new());
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let value = if with_value.contains(&name) {
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

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|o| o.0 == name)
    }

    fn only(&self, allowed: &[&str], positional: usize) -> Result<(), String> {
        if let Some(o) = self.options.iter().find(|o| !allowed.contains(&o.0.as_str())) {
            return Err(format!("unknown option --{}", o.0));
        }
        if self.positional.len() != positional {
            return Err(format!("expected {positional} argument(s), got {}", self.positional.len()));
        }
        Ok(())
    }

    pub fn out_dir(&self) -> Option<PathBuf> {
        self.value("out").map(PathBuf::from)
    }
}

fn config(args: &Args) -> Result<gatelab::config::Config, String> {
    gatelab::config::parse(&args.positional[0]).map_err(|notes| {
        let all: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
        format!("bad config: {}", all.join("; "))
    })
}

fn run(raw: &[String]) -> Result<(), String> {
    let (cmd, rest) = raw.split_first().ok_or("no command")?;
    let values = ["out", "threads", "model", "input"];
    let args = Args::parse(rest, &values)?;
    match cmd.as_str() {
        "train" => {
            args.only(&["out"], 1)?;
            train::train(&config(&args)?, args.out_dir())
        }
        "sweep" => {
            args.only(&["out", "threads"], 1)?;
            let threads = match args.value("threads") {
                Some(t) => {
                    t.parse().ok().filter(|&n| n >= 1).ok_or("--threads must be a whole number >= 1")?
                }
                None => std::thread::available_parallelism().map_or(1, |n| n.get()),
            };
            train::sweep(&config(&args)?, args.out_dir(), threads)
        }
        "probe" => {
            args.only(&["model", "input"], 0)?;
            let model = args.value("model").ok_or("probe needs --model M.json")?;
            let input = args.value("input").ok_or("probe needs --input X.json")?;
            probe::probe(model, input)
        }
        "bench" => {
            args.only(&["json", "sweep"], 0)?;
            if args.flag("sweep") {
                bench::sweep_throughput(args.flag("json"));
            } else {
                bench::bench(args.flag("json"));
            }
            Ok(())
        }
        "keys" => {
            for (k, range, help) in gatelab::config::KEYS {
                println!("{k:<9} {range:<38} {help}");
            }
            Ok(())
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match run(&raw) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gatelab: {e}");
            if raw.is_empty() || e.starts_with("unknown command") || e.starts_with("expected") {
                eprintln!("{USAGE}");
            }
            ExitCode::from(2)
        }
    }
}
