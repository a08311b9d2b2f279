//! The gallery tells the truth: every preset's claim, re-checked on seeds 1-10, holds on exactly
//! the number of seeds its sentence states (the page runs the very same numbers).

use gatelab::presets::{measure, PRESETS};

#[test]
fn every_gallery_claim_holds_at_its_stated_odds_on_seeds_1_to_10() {
    let presets: Vec<_> = PRESETS.iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let held = measure(&presets, 1..=10, threads, |_, _| {});
    let mut wrong = Vec::new();
    for (p, seeds) in PRESETS.iter().zip(&held) {
        eprintln!("{}: holds on seeds {seeds:?}", p.name);
        if (seeds.len(), 10) != p.odds {
            wrong.push(format!(
                "{}: holds in {} of 10, states {} of {}",
                p.name,
                seeds.len(),
                p.odds.0,
                p.odds.1
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
