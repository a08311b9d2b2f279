//! A search's points: `trials` points of its ranges from an Owen-scrambled Sobol sequence
//! (Burley 2020) seeded by the config's seed, mapped log-uniformly onto positive scales (learning
//! rate, cells, batch, clipping) and uniformly onto the others, whole numbers rounded, other
//! numbers to three significant digits. Every architecture gets the same points.

use crate::config::keys::{key, Kind, Scale};
use crate::config::{Config, Range};

/// One trial's values, by key.
pub type Point = Vec<(&'static str, f64)>;

/// The point at `u` in [0, 1) of a range.
pub fn value(r: &Range, u: f64) -> f64 {
    let k = key(r.key).expect("a range names a key of the table");
    let integer = matches!(k.kind, Kind::Int { .. } | Kind::Ints { .. });
    let v = match (k.search, integer) {
        (Some(Scale::Log), _) => libm::exp(libm::log(r.lo) + u * (libm::log(r.hi) - libm::log(r.lo))),
        // Whole numbers uniformly: each of lo..=hi equally likely.
        (_, true) => r.lo + (u * (r.hi - r.lo + 1.0)).floor(),
        _ => r.lo + u * (r.hi - r.lo),
    };
    let v = if integer { v.round() } else { three_digits(v) };
    v.clamp(r.lo, r.hi)
}

/// `v` to three significant digits: the values a person would write.
fn three_digits(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    // Through the shortest decimal text: the value prints as written, on every platform.
    format!("{v:.2e}").parse().unwrap_or(v)
}

/// The search's points, the same for every architecture.
pub fn points(c: &Config) -> Vec<Point> {
    (0..c.trials as u32)
        .map(|i| {
            c.ranges
                .iter()
                .enumerate()
                .map(|(d, r)| (r.key, value(r, sobol_burley::sample(i, d as u32, c.seed as u32) as f64)))
                .collect()
        })
        .collect()
}

/// The config of one trial: the searched keys at the point's values, no ranges left.
pub fn apply(c: &Config, p: &Point) -> Config {
    let mut t = Config { ranges: Vec::new(), ..c.clone() };
    for &(name, v) in p {
        let k = key(name).expect("a key of the table");
        (k.set)(&mut t, k.kind.from_number(v));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    #[test]
    fn points_fill_their_ranges_on_their_scales_and_depend_only_on_the_seed() {
        let c = parse("lr=1e-4..0.1&cells=4..64&layers=1..2&trials=64&seed=3").unwrap();
        let p = points(&c);
        assert_eq!(p.len(), 64);
        assert_eq!(p, points(&c), "deterministic");
        assert_ne!(p, points(&Config { seed: 4, ..c.clone() }), "scrambled by the seed");
        let of = |k: &str| p.iter().map(|pt| pt.iter().find(|x| x.0 == k).unwrap().1).collect::<Vec<f64>>();
        let lr = of("lr");
        assert!(lr.iter().all(|v| (1e-4..=0.1).contains(v)));
        // Log-uniform: a quarter of the decades' span below 1e-3.25 ... each decade about a third.
        let below = |x: f64| lr.iter().filter(|v| **v < x).count();
        assert!((18..=25).contains(&below(1e-3)), "about a third below 1e-3: {}", below(1e-3));
        assert!(of("cells").iter().all(|v| v.fract() == 0.0 && (4.0..=64.0).contains(v)));
        let layers = of("layers");
        assert_eq!(layers.iter().filter(|v| **v == 1.0).count(), 32, "Sobol balances the two values exactly");
        assert_eq!(three_digits(0.0123456), 0.0123);
        let t = apply(&c, &p[0]);
        assert!(t.plan() != crate::config::Plan::Search && t.lrs.len() == 1 && t.cells.len() == 1);
        assert_eq!(t.lrs[0] as f64, lr[0] as f32 as f64);
    }
}
