//! `gatelab atlas`: LSTM vs GRU across problems, lengths and sizes (whole, the cells a filter
//! names, or one shard of one stage); the map as a table, what it says, and `atlas.json`.

use crate::files::{json, write};
use crate::{now, stages, Args};
use gatelab::experiment::atlas::{Atlas, PROBLEMS, SIZES};
use gatelab::experiment::files::atlas::{AtlasFile, CellResult};
use gatelab::experiment::plan::Experiment;
use gatelab::experiment::summary::Summary;
use std::path::{Path, PathBuf};

/// The atlas the arguments name: `gatelab atlas [atlas:FILTER] [--only FILTER]`.
fn named(args: &Args) -> Result<Atlas, String> {
    match (args.positional.first(), args.value("only")) {
        (Some(_), Some(_)) => Err("give the filter once: `atlas:FILTER` or --only FILTER".into()),
        (Some(t), None) => {
            Atlas::parse(t)?.ok_or(format!("{t:?} is not an atlas (`atlas` or `atlas:FILTER`)"))
        }
        (None, only) => Atlas::new(only),
    }
}

pub fn atlas(args: &Args) -> Result<(), String> {
    let atlas = named(args)?;
    let e = Experiment::Atlas(atlas.clone());
    let started = now();
    eprintln!(
        "{} cells: {}",
        atlas.cells.len(),
        atlas.cells.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    match stages::run(&e, args, "atlas")? {
        Some(done) => {
            let threads = args.threads()?.min(std::thread::available_parallelism().map_or(1, |n| n.get()));
            let ran = (machine(threads), now() - started);
            finish(&atlas, &done, args.value("out").map(PathBuf::from).as_deref(), Some(ran))
        }
        None => Ok(()),
    }
}

/// The CPU this runs on, as /proc/cpuinfo names it, and the threads used.
fn machine(threads: usize) -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |k: &str| {
        info.lines()
            .find(|l| l.split(':').next().is_some_and(|n| n.trim() == k))
            .and_then(|l| l.split_once(':'))
            .map_or(String::from("?"), |(_, v)| v.trim().to_string())
    };
    format!(
        "{} (family {}, model {}), {threads} thread(s)",
        field("model name"),
        field("cpu family"),
        field("model")
    )
}

/// The map, what it says, and with a folder, atlas.json. `ran`: the machine and wall time of a
/// run here; none for a merge of shards (its time is then the runs' training time added up).
pub fn finish(
    atlas: &Atlas,
    stages: &[Vec<Summary>],
    out: Option<&Path>,
    ran: Option<(String, f64)>,
) -> Result<(), String> {
    let (machine, seconds) = ran.unwrap_or_else(|| {
        ("shards merged by `gatelab merge`".into(), stages.iter().flatten().map(|r| r.seconds).sum())
    });
    let file = AtlasFile::new(atlas, stages, machine, seconds);
    print_map(&file);
    for s in &file.says {
        println!("{s}");
    }
    println!("{} cells in {seconds:.0} s on {}", file.cells.len(), file.machine);
    if let Some(dir) = out {
        write(&dir.join("atlas.json"), &json(&file))?;
        eprintln!("wrote {}", dir.join("atlas.json").display());
    }
    Ok(())
}

/// One entry of the table: the GRU's loss over the LSTM's on the first seed set, and the call.
fn entry(c: &CellResult) -> String {
    format!("{:.2}x {}", c.log_ratio().exp(), c.call.mark())
}

fn print_map(f: &AtlasFile) {
    println!("the map: GRU's validation loss / LSTM's (first seed set); LSTM/GRU wins, = no clear winner, ? unsettled");
    for p in PROBLEMS {
        let mine: Vec<&CellResult> = f.cells.iter().filter(|c| c.problem == p.name).collect();
        if mine.is_empty() {
            continue;
        }
        println!("{} ({}):", p.name, p.kind);
        println!("  {:>6} {}", "len", SIZES.iter().map(|s| format!("{:>14}", s.0)).collect::<String>());
        for len in p.lens {
            let row: String = SIZES
                .iter()
                .map(|s| {
                    let c = mine.iter().find(|c| c.len == len && c.size == s.0);
                    format!("{:>14}", c.map_or(String::new(), |c| entry(c)))
                })
                .collect();
            if mine.iter().any(|c| c.len == len) {
                println!("  {len:>6} {row}");
            }
        }
    }
}
