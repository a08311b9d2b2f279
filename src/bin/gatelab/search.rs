//! `gatelab search`: a search of ranges (whole, or one shard of one stage), its confirmed
//! verdict, the best settings and what mattered; `search.json` with `--out`.

use crate::files::{json, write};
use crate::{stages, table, Args};
use gatelab::config::Config;
use gatelab::config::Plan;
use gatelab::experiment::files::search::SearchFile;
use gatelab::experiment::plan::Experiment;
use gatelab::experiment::summary::{csv, Summary};
use gatelab::stats::number;
use std::path::{Path, PathBuf};

pub fn search(c: &Config, args: &Args) -> Result<(), String> {
    if c.plan() != Plan::Search {
        return Err(
            "this config has no range lo..hi to search (e.g. lr=1e-4..0.1): use `gatelab sweep`".into()
        );
    }
    match stages::run(&Experiment::Config(Box::new(c.clone())), args, "search")? {
        Some(done) => finish(c, done, args.value("out").map(PathBuf::from).as_deref()),
        None => Ok(()),
    }
}

/// What the search found, printed, and with a folder, search.json and search.csv.
pub fn finish(c: &Config, stages: Vec<Vec<Summary>>, out: Option<&Path>) -> Result<(), String> {
    let file = SearchFile::new(c, &stages);
    let budget: Vec<String> = file.budget.iter().map(|(a, n)| format!("{} {n}", a.upper())).collect();
    println!("budget, training steps per architecture: {}", budget.join(", "));
    for (arch, values) in &file.best {
        let v: Vec<String> = values.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("best {}: {}", arch.upper(), v.join(", "));
    }
    if !file.confirm.is_empty() {
        println!("confirmation: each architecture's best trial on {} fresh seeds", c.confirm);
        table::print(&file.confirm, c);
    }
    println!(
        "what mattered (share of the variance of log validation loss at {} steps, 95% interval):",
        file.importance_steps
    );
    if let Some(c) = file.importance_caution() {
        println!("  {c}");
    }
    for (arch, shares) in &file.importance {
        let s: Vec<String> = shares
            .iter()
            .map(|(k, s)| format!("{k} {} [{}, {}]", number(s.share), number(s.lo), number(s.hi)))
            .collect();
        let inter = file.interaction.get(arch).map_or(String::new(), |s| {
            format!("; lr x cells {} [{}, {}]", number(s.share), number(s.lo), number(s.hi))
        });
        println!("  {}: {}{inter}", arch.upper(), s.join(", "));
    }
    if !file.ablation.is_empty() {
        println!(
            "ablation (each variant against its base cell, each at its best trial, on the same fresh seeds):"
        );
        for r in &file.ablation {
            println!("  {}", r.line());
        }
    }
    println!("verdict (each architecture's best trial, judged on fresh seeds only):");
    for v in &file.verdict {
        println!("  {}", v.text);
    }
    if let Some(dir) = out {
        let all: Vec<Summary> = stages.into_iter().flatten().collect();
        write(&dir.join("search.csv"), &csv(&all))?;
        write(&dir.join("search.json"), &json(&file))?;
        eprintln!("wrote {} and {}", dir.join("search.csv").display(), dir.join("search.json").display());
    }
    Ok(())
}
