//! `gatelab gallery`: every gallery claim re-checked on a range of seeds.

use crate::{progress::Progress, Args};
use gatelab::presets::{measure, PRESETS};
use serde_json::json;

fn seeds(args: &Args) -> Result<std::ops::RangeInclusive<u64>, String> {
    let Some(v) = args.value("seeds") else { return Ok(1..=10) };
    let bad = || format!("--seeds must be A-B with 0 <= A <= B < 2^32, at most 1000 seeds, not {v:?}");
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let (a, b): (u64, u64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b || b > u32::MAX as u64 || b - a >= 1000 {
        return Err(bad());
    }
    Ok(a..=b)
}

pub fn gallery(args: &Args) -> Result<(), String> {
    let seeds = seeds(args)?;
    let of = seeds.clone().count();
    let presets: Vec<_> = PRESETS.iter().collect();
    let mut bar = Progress::new(1, "gallery runs");
    let held = measure(&presets, seeds, args.threads()?, |done, total| bar.set_of(done as u64, total as u64));
    bar.finish();
    for (p, seeds) in PRESETS.iter().zip(held) {
        let (k0, n0) = p.odds;
        if args.flag("json") {
            let row =
                json!({"name": p.name, "holds": seeds.len(), "of": of, "stated_holds": k0, "stated_of": n0});
            println!("{row}");
        } else {
            println!("{:<34} holds in {:>3} of {of} seeds (stated: {k0} of {n0})", p.name, seeds.len());
        }
    }
    Ok(())
}
