//! `gatelab gallery`: every gallery claim re-checked on a range of seeds (a seed of a search
//! finding is a whole search).

use crate::{progress::Progress, Args};
use gatelab::presets::{measure, measure_searches, Preset, SearchPreset, HELD_OUT, PRESETS, SEARCH_PRESETS};
use gatelab::stats::wilson;
use serde_json::json;

fn seeds(args: &Args) -> Result<std::ops::RangeInclusive<u64>, String> {
    let Some(v) = args.value("seeds") else { return Ok(HELD_OUT) };
    let bad = || format!("--seeds must be A-B with 0 <= A <= B < 2^32, at most 1000 seeds, not {v:?}");
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let (a, b): (u64, u64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b || b > u32::MAX as u64 || b - a >= 1000 {
        return Err(bad());
    }
    Ok(a..=b)
}

/// One line per finding: on how many of `all` seeds it held, and what it states.
fn report(args: &Args, name: &str, stated: String, held: &[u64], all: &[u64]) {
    let of = all.len();
    let fails: Vec<u64> = all.iter().copied().filter(|s| !held.contains(s)).collect();
    let (lo, hi) = wilson(held.len(), of);
    if args.flag("json") {
        println!(
            "{}",
            json!({"name": name, "holds": held.len(), "of": of, "interval": [lo, hi], "fails": fails, "stated": stated})
        );
    } else {
        println!(
            "{name:<48} holds in {:>3} of {of} ({:.0}%-{:.0}%); stated: {stated}; fails on {fails:?}",
            held.len(),
            100.0 * lo,
            100.0 * hi
        );
    }
}

pub fn gallery(args: &Args) -> Result<(), String> {
    let name = args.value("preset");
    let presets: Vec<&Preset> = PRESETS.iter().filter(|p| name.is_none_or(|n| p.name == n)).collect();
    let searches: Vec<&SearchPreset> =
        SEARCH_PRESETS.iter().filter(|p| name.is_none_or(|n| p.name == n)).collect();
    if let Some(n) = name.filter(|_| presets.is_empty() && searches.is_empty()) {
        return Err(format!("no finding is named {n:?}"));
    }
    if args.flag("list") {
        for (name, query, shows, odds) in presets
            .iter()
            .map(|p| (p.name, p.query, p.shows, p.odds_text()))
            .chain(searches.iter().map(|p| (p.name, p.query, p.shows, p.odds_text())))
        {
            println!("{}", json!({"name": name, "query": query, "shows": shows, "odds": odds}));
        }
        return Ok(());
    }
    let seeds = seeds(args)?;
    let all: Vec<u64> = seeds.clone().collect();
    let threads = args.threads()?;
    let mut bar = Progress::new(1, "gallery runs");
    let held = measure(&presets, seeds.clone(), threads, |done, total| bar.set_of(done as u64, total as u64));
    bar.finish();
    for (p, seeds) in presets.iter().zip(held) {
        report(args, p.name, p.odds_text(), &seeds, &all);
    }
    let mut bar = Progress::new(1, "gallery searches");
    let held =
        measure_searches(&searches, seeds, threads, |done, total| bar.set_of(done as u64, total as u64));
    bar.finish();
    for (p, seeds) in searches.iter().zip(held) {
        report(args, p.name, p.odds_text(), &seeds, &all);
    }
    Ok(())
}
