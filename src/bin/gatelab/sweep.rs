//! `gatelab sweep` (whole, or one shard of one stage) and `gatelab merge`.

use crate::files::{json, write};
use crate::{stages, table, Args};
use gatelab::config::Config;
use gatelab::config::Plan;
use gatelab::experiment::files::sweep::SweepFile;
use gatelab::experiment::plan::Experiment;
use gatelab::experiment::summary::{csv, Summary};
use std::path::{Path, PathBuf};

pub fn sweep(c: &Config, args: &Args) -> Result<(), String> {
    if c.plan() == Plan::Search {
        return Err("this config has ranges lo..hi: use `gatelab search`".into());
    }
    match stages::run(&Experiment::Config(Box::new(c.clone())), args, "sweep")? {
        Some(done) => finish(c, done, args.value("out").map(PathBuf::from).as_deref()),
        None => Ok(()),
    }
}

/// The table, the verdict last, and with a folder, sweep.csv and sweep.json.
fn finish(c: &Config, stages: Vec<Vec<Summary>>, out: Option<&Path>) -> Result<(), String> {
    let file = SweepFile::new(c, stages);
    table::print(&file.runs, c);
    if !file.confirm.is_empty() {
        println!("confirmation: each architecture's best setting on {} fresh seeds", c.confirm);
        table::print(&file.confirm, c);
    }
    println!("verdict (each architecture at its best setting, chosen by median validation loss over seeds):");
    for v in &file.verdict {
        println!("  {}", v.text);
    }
    if let Some(dir) = out {
        let all: Vec<Summary> = file.runs.iter().chain(&file.confirm).cloned().collect();
        write(&dir.join("sweep.csv"), &csv(&all))?;
        write(&dir.join("sweep.json"), &json(&file))?;
        eprintln!("wrote {} and {}", dir.join("sweep.csv").display(), dir.join("sweep.json").display());
    }
    Ok(())
}

pub fn merge(args: &Args) -> Result<(), String> {
    let Some((e, done)) = stages::merge_dirs(args)? else { return Ok(()) };
    let out = PathBuf::from(args.value("out").expect("merge_dirs checked --out"));
    let c = match e {
        Experiment::Atlas(a) => return crate::atlas::finish(&a, &done, Some(&out), None),
        Experiment::Config(c) => *c,
    };
    if c.plan() == Plan::Search {
        return crate::search::finish(&c, done, Some(&out));
    }
    finish(&c, done, Some(&out))
}
