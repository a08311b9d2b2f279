//! `gatelab gallery`: every gallery claim re-checked on a range of seeds.

use crate::{progress::Progress, Args};
use gatelab::presets::{measure, Preset, PRESETS};
use gatelab::stats::wilson;
use serde_json::json;

fn seeds(args: &Args) -> Result<std::ops::RangeInclusive<u64>, String> {
    let Some(v) = args.value("seeds") else { return Ok(gatelab::presets::HELD_OUT) };
    let bad = || format!("--seeds must be A-B with 0 <= A <= B < 2^32, at most 1000 seeds, not {v:?}");
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let (a, b): (u64, u64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b || b > u32::MAX as u64 || b - a >= 1000 {
        return Err(bad());
    }
    Ok(a..=b)
}

pub fn gallery(args: &Args) -> Result<(), String> {
    let presets: Vec<&Preset> = match args.value("preset") {
        None => PRESETS.iter().collect(),
        Some(name) => {
            vec![PRESETS.iter().find(|p| p.name == name).ok_or(format!("no finding is named {name:?}"))?]
        }
    };
    if args.flag("list") {
        for p in presets {
            let row = json!({"name": p.name, "query": p.query, "shows": p.shows, "odds": p.odds_text()});
            println!("{row}");
        }
        return Ok(());
    }
    let seeds = seeds(args)?;
    let all: Vec<u64> = seeds.clone().collect();
    let of = all.len();
    let mut bar = Progress::new(1, "gallery runs");
    let held = measure(&presets, seeds, args.threads()?, |done, total| bar.set_of(done as u64, total as u64));
    bar.finish();
    for (p, seeds) in presets.iter().zip(held) {
        let fails: Vec<u64> = all.iter().copied().filter(|s| !seeds.contains(s)).collect();
        let (lo, hi) = wilson(seeds.len(), of);
        if args.flag("json") {
            let row = json!({"name": p.name, "holds": seeds.len(), "of": of, "interval": [lo, hi],
                "fails": fails, "stated": p.odds_text()});
            println!("{row}");
        } else {
            println!(
                "{:<42} holds in {:>3} of {of} seeds ({:.0}%-{:.0}%); stated: {}; fails on {fails:?}",
                p.name,
                seeds.len(),
                100.0 * lo,
                100.0 * hi,
                p.odds_text()
            );
        }
    }
    Ok(())
}
