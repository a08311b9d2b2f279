//! The gallery tells the truth: every claim, re-checked on a slice of its held-out seeds (11-50,
//! never used to choose it), holds on exactly the seeds its measured odds say (the page runs the
//! very same numbers). `gatelab gallery --seeds 11-50` re-measures all of them.

use gatelab::presets::{measure, measure_searches, HELD_OUT, PRESETS, SEARCH_PRESETS};

/// The slice CI checks: the first held-out seeds.
const SLICE: std::ops::RangeInclusive<u64> = 11..=14;

#[test]
fn every_gallery_claim_holds_on_exactly_its_measured_seeds_of_a_held_out_slice() {
    assert!(HELD_OUT.contains(SLICE.start()) && HELD_OUT.contains(SLICE.end()));
    let presets: Vec<_> = PRESETS.iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let held = measure(&presets, SLICE, threads, |_, _| {});
    let mut wrong = Vec::new();
    for (p, seeds) in PRESETS.iter().zip(&held) {
        let expected: Vec<u64> = SLICE.filter(|s| !p.fails.contains(s)).collect();
        eprintln!("{}: holds on seeds {seeds:?} ({})", p.name, p.odds_text());
        if *seeds != expected {
            wrong.push(format!("{}: holds on {seeds:?}, measured {expected:?}", p.name));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A search finding holds on the first held-out seed exactly when its odds say so (each seed is
/// a whole search: one is what CI affords; `gatelab gallery` measures 11-50).
#[test]
fn every_search_claim_holds_on_the_first_held_out_seed_as_measured() {
    let presets: Vec<_> = SEARCH_PRESETS.iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let held = measure_searches(&presets, 11..=11, threads, |_, _| {});
    for (p, seeds) in SEARCH_PRESETS.iter().zip(&held) {
        let expected: Vec<u64> = (11..=11).filter(|s| !p.fails.contains(s)).collect();
        eprintln!("{}: holds on seeds {seeds:?} ({})", p.name, p.odds_text());
        assert_eq!(*seeds, expected, "{}", p.name);
    }
}
