//! Temporal order (Hochreiter & Schmidhuber 1997, task 6a): which of X/Y came first.

use super::About;
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Temporal order",
    tests: "Among random distractors, two relevant symbols (each X or Y) appear, one early and one \
            in the middle; at the end the network names the pair (XX, XY, YX or YY).",
    literature: "Hochreiter & Schmidhuber (1997) showed the LSTM solving it at length 100 where \
                 earlier RNNs could not; LSTM and GRU both learn it, plain RNNs stall as the sequence grows.",
    len_meaning: "steps per sequence",
    metric_name: "orders right",
    metric_means: "share of sequences whose marked order is right",
};

/// Symbols a, b, c, d (distractors), B (begin), E (end), X, Y.
pub const INPUTS: usize = 8;
const BEGIN: usize = 4;
const END: usize = 5;
const X: usize = 6;

pub fn sample(rng: &mut Prng, n: usize, len: usize) -> Batch {
    let len = len.max(6);
    let mut b = Batch::zeros(len, n, INPUTS, 4);
    for s in 0..n {
        let lo = (len / 10).max(1);
        let first = rng.random_range(lo..=2 * lo);
        let second = rng.random_range((len / 2).max(first + 1)..=(len * 6 / 10).clamp(first + 1, len - 2));
        let (s1, s2) = (rng.random_range(0..2), rng.random_range(0..2));
        for t in 0..len {
            let sym = match t {
                0 => BEGIN,
                t if t == len - 1 => END,
                t if t == first => X + s1,
                t if t == second => X + s2,
                _ => rng.random_range(0..4),
            };
            b.x[at(t, s, n, INPUTS) + sym] = 1.0;
        }
        b.y[at(len - 1, s, n, 4) + 2 * s1 + s2] = 1.0;
        b.mask[at(len - 1, s, n, 1)] = 1.0;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn the_class_names_the_two_relevant_symbols_in_order() {
        let (n, len) = (32, 40);
        let b = sample(&mut prng(6), n, len);
        for s in 0..n {
            let sym = |t: usize| b.x[at(t, s, n, INPUTS)..][..INPUTS].iter().position(|&v| v == 1.0).unwrap();
            assert_eq!((sym(0), sym(len - 1)), (BEGIN, END));
            let relevant: Vec<usize> = (0..len).map(sym).filter(|&v| v >= X).map(|v| v - X).collect();
            assert_eq!(relevant.len(), 2);
            assert_eq!(b.y[at(len - 1, s, n, 4) + 2 * relevant[0] + relevant[1]], 1.0);
        }
    }
}
