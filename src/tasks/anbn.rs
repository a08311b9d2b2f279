//! Counting, a^n b^n (Weiss, Goldberg & Yahav 2018): predict the next symbol of S a^n b^n.

use super::{About, Draw};
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Counting: aⁿbⁿ",
    tests: "The network reads a start symbol, n a's and n b's and predicts each next symbol; once \
            the b's begin, every prediction is determined, and getting the end right needs a counter.",
    literature: "Weiss, Goldberg & Yahav (2018) found the LSTM learns to count with its cell state \
                 and generalises to n beyond training, while the GRU fails past the trained lengths.",
    len_meaning: "largest n in training (tests use longer n)",
    metric_name: "strings fully right",
    metric_means: "share of strings with every next-symbol set right",
};

/// Input symbols S, a, b; output classes a, b, $ (end).
const S: usize = 0;
const A: usize = 1;
const B: usize = 2;
const OUT_A: usize = 0;
const OUT_B: usize = 1;
const OUT_END: usize = 2;

/// Strings S a^k b^k with k uniform in `lens`, padded to the longest; only determined next
/// symbols are targets: `a` after S, then `b`, …, `b`, `$` after each b.
pub fn sample(rng: &mut Prng, n: usize, lens: Draw) -> Batch {
    let (lo, hi) = (lens.min.max(1), lens.max.max(lens.min.max(1)));
    let mut b = Batch::zeros(2 * hi + 1, n, 3, 3);
    for s in 0..n {
        let k = rng.random_range(lo..=hi);
        b.x[at(0, s, n, 3) + S] = 1.0;
        b.y[at(0, s, n, 3) + OUT_A] = 1.0;
        b.mask[at(0, s, n, 1)] = 1.0;
        for t in 1..=2 * k {
            let is_b = t > k;
            b.x[at(t, s, n, 3) + if is_b { B } else { A }] = 1.0;
            if is_b {
                b.y[at(t, s, n, 3) + if t == 2 * k { OUT_END } else { OUT_B }] = 1.0;
                b.mask[at(t, s, n, 1)] = 1.0;
            }
        }
    }
    b
}

/// Cross-entropy of the best predictor that sees only the current symbol, on training strings
/// (k uniform in 1..=len): after S it is sure of `a`; after any b it says `$` with probability
/// p = 1 / E[k], the share of b's that end their string.
pub fn baseline(len: usize) -> f64 {
    let len = len.max(1) as f64;
    let mean_k = (len + 1.0) / 2.0;
    let p = 1.0 / mean_k;
    // Per string: k determined b-steps, one of them the end; plus the free step after S.
    let per_string = |k: f64| -(k - 1.0) * libm::log(1.0 - p) - libm::log(p);
    let (mut loss, mut steps) = (0.0, 0.0);
    for k in 1..=len as usize {
        loss += if k == 1 { -libm::log(p) } else { per_string(k as f64) };
        steps += k as f64 + 1.0;
    }
    loss / steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn strings_are_s_a_n_b_n_and_targets_are_the_determined_next_symbols() {
        let n = 32;
        let b = sample(&mut prng(8), n, Draw { min: 3, max: 9, split: crate::tasks::Split::Train });
        for s in 0..n {
            let sym = |t: usize| b.x[at(t, s, n, 3)..][..3].iter().position(|&v| v == 1.0);
            let text: Vec<Option<usize>> = (0..b.steps).map(sym).collect();
            let k = text.iter().filter(|&&v| v == Some(A)).count();
            assert!((3..=9).contains(&k));
            assert_eq!(text[0], Some(S));
            assert!((1..=k).all(|t| text[t] == Some(A)) && (k + 1..=2 * k).all(|t| text[t] == Some(B)));
            assert!(text[2 * k + 1..].iter().all(Option::is_none), "padding after the string");
            let target = |t: usize| b.y[at(t, s, n, 3)..][..3].iter().position(|&v| v == 1.0);
            assert_eq!(target(0), Some(OUT_A));
            assert!((k + 1..2 * k).all(|t| target(t) == Some(OUT_B)));
            assert_eq!(target(2 * k), Some(OUT_END));
            let masked: Vec<usize> = (0..b.steps).filter(|&t| b.mask[at(t, s, n, 1)] > 0.0).collect();
            assert_eq!(masked, std::iter::once(0).chain(k + 1..=2 * k).collect::<Vec<_>>());
        }
    }
}
