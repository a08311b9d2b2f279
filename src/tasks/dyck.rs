//! Bracket languages Dyck-1 and Dyck-2 (Suzgun et al. 2019): predict the legal next symbols.

use super::{About, Draw};
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Bracket languages (Dyck)",
    tests: "Well-nested strings of one or two kinds of brackets; after each symbol the network \
            names every legal next one: any opening bracket, the closing bracket that matches the \
            innermost open one, or the end once all are closed. Dyck-1 needs a counter, Dyck-2 a stack.",
    literature: "Suzgun, Gehrmann, Belinkov & Shieber (2019), \"LSTM networks can perform dynamic \
                 counting\": LSTMs learned Dyck-1 and generalised to longer strings, GRUs and plain \
                 RNNs less so, and Dyck-2 stayed hard. The test strings are longer than any in training.",
    len_meaning: "longest string in training",
    metric_name: "strings with every legal set right",
    metric_means: "share of strings with every legal next-bracket set right",
};

/// (inputs, outputs): the 2p brackets in; the 2p brackets and the end out.
pub fn dims(pairs: usize) -> (usize, usize) {
    (2 * pairs, 2 * pairs + 1)
}

/// Strings of even length in `draw.min..=draw.max`, padded to `draw.max`: a random walk that
/// opens (a random kind) or closes with equal odds while both are possible. x: one-hot
/// brackets (opening 0..p, closing p..2p); y after each symbol: any opening, the closing of the
/// innermost open bracket, and the end (index 2p) when none is open.
pub fn sample(rng: &mut Prng, n: usize, draw: Draw, pairs: usize) -> Batch {
    let (inp, out) = dims(pairs);
    let lo = draw.min.max(2).div_ceil(2) * 2;
    let hi = (draw.max.max(2) / 2 * 2).max(lo);
    let mut b = Batch::zeros(hi, n, inp, out);
    for s in 0..n {
        let len = 2 * rng.random_range(lo / 2..=hi / 2);
        let mut stack: Vec<usize> = Vec::new();
        for t in 0..len {
            let left = len - t;
            let open = stack.is_empty() || (stack.len() < left - 1 && rng.random_bool(0.5));
            let sym = if open {
                let kind = rng.random_range(0..pairs);
                stack.push(kind);
                kind
            } else {
                pairs + stack.pop().unwrap_or(0)
            };
            b.x[at(t, s, n, inp) + sym] = 1.0;
            let y = &mut b.y[at(t, s, n, out)..][..out];
            y[..pairs].fill(1.0);
            match stack.last() {
                Some(&top) => y[pairs + top] = 1.0,
                None => y[2 * pairs] = 1.0,
            }
            b.mask[at(t, s, n, 1)] = 1.0;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;
    use crate::tasks::Split;

    #[test]
    fn strings_are_well_nested_and_targets_are_the_legal_next_symbols() {
        for pairs in [1, 2] {
            let (inp, out) = dims(pairs);
            let n = 64;
            let b = sample(&mut prng(10), n, Draw { min: 5, max: 24, split: Split::Test }, pairs);
            for s in 0..n {
                let mut stack = Vec::new();
                let mut t = 0;
                while t < b.steps && b.mask[at(t, s, n, 1)] > 0.0 {
                    let sym = b.x[at(t, s, n, inp)..][..inp].iter().position(|&v| v == 1.0).unwrap();
                    if sym < pairs {
                        stack.push(sym);
                    } else {
                        assert_eq!(stack.pop(), Some(sym - pairs), "a closing bracket matches");
                    }
                    let y = &b.y[at(t, s, n, out)..][..out];
                    let legal: Vec<usize> = (0..out).filter(|&j| y[j] == 1.0).collect();
                    let mut want: Vec<usize> = (0..pairs).collect();
                    want.push(stack.last().map_or(2 * pairs, |&k| pairs + k));
                    assert_eq!(legal, want);
                    t += 1;
                }
                assert!(stack.is_empty() && t % 2 == 0 && (6..=24).contains(&t), "length {t}");
            }
        }
    }
}
