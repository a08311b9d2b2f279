//! The embedded Reber grammar (Hochreiter & Schmidhuber 1997): predict the legal next symbols.

use super::{About, Draw, Split};
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Embedded Reber grammar",
    tests: "Strings of the Reber grammar wrapped in an outer T…T or P…P: after each symbol the \
            network names every legal next symbol. Inside, the grammar needs a few steps of \
            memory; the second-to-last symbol must repeat the second, across the whole string.",
    literature: "Hochreiter & Schmidhuber (1997, section 5.1) used it as the first benchmark: the \
                 LSTM solved the embedded version where earlier recurrent nets mostly failed. The \
                 test strings take the grammar's loops more often: longer than any in training.",
    len_meaning: "longest string in training",
    metric_name: "strings with every prediction legal",
    metric_means: "share of strings with every prediction legal",
};

/// B, T, P, S, X, V, E.
pub const SYMBOLS: usize = 7;
const B: usize = 0;
const T: usize = 1;
const P: usize = 2;
const E: usize = 6;
/// The shortest embedded string: B T (B T X S E) T E.
pub const MIN_LEN: usize = 9;

/// The inner grammar: from each state, its two (symbol, next state) edges; state 5 ends.
const GRAPH: [[(usize, usize); 2]; 5] = [
    [(T, 1), (P, 2)],
    [(3, 1), (4, 3)], // S loops, X
    [(T, 2), (5, 4)], // T loops, V
    [(4, 2), (3, 5)], // X, S ends
    [(P, 3), (5, 5)], // P, V ends
];

/// One embedded string as symbols, with the legal next symbols after each; the loops (S at
/// state 1, T at state 2) are taken with probability `loop_p`.
fn string(rng: &mut Prng, loop_p: f64) -> (Vec<usize>, Vec<Vec<usize>>) {
    let wrap = if rng.random_bool(0.5) { T } else { P };
    let (mut syms, mut legal) = (vec![B, wrap, B], vec![vec![T, P], vec![B], vec![T, P]]);
    let mut state = 0;
    while state != 5 {
        let edges = GRAPH[state];
        let loops = edges[0].1 == state;
        let pick = if loops { !rng.random_bool(loop_p) as usize } else { rng.random_range(0..2) };
        let (sym, next) = edges[pick];
        syms.push(sym);
        state = next;
        legal.push(if state == 5 { vec![E] } else { GRAPH[state].iter().map(|e| e.0).collect() });
    }
    syms.extend([E, wrap, E]);
    legal.extend([vec![wrap], vec![E]]);
    (syms, legal)
}

/// Strings of length in `draw.min..=draw.max` (training: the grammar's own odds; test: loops
/// taken more often, for longer strings), padded to `draw.max`. x: one-hot symbols; y: the
/// legal next symbols (multi-hot) after each but the last.
pub fn sample(rng: &mut Prng, n: usize, draw: Draw) -> Batch {
    let (lo, hi) = (draw.min.max(MIN_LEN), draw.max.max(draw.min.max(MIN_LEN)));
    let loop_p = if draw.split == Split::Test { 0.8 } else { 0.5 };
    let mut b = Batch::zeros(hi, n, SYMBOLS, SYMBOLS);
    for s in 0..n {
        // Rejection keeps the grammar's distribution within the range; bounded tries, then the
        // shortest string in range is forced by trimming loops (never reached in practice).
        let (syms, legal) = (0..10_000)
            .map(|_| string(rng, loop_p))
            .find(|(x, _)| (lo..=hi).contains(&x.len()))
            .unwrap_or_else(|| shortest(lo));
        for (t, (&sym, next)) in syms.iter().zip(&legal).enumerate() {
            b.x[at(t, s, n, SYMBOLS) + sym] = 1.0;
            for &l in next {
                b.y[at(t, s, n, SYMBOLS) + l] = 1.0;
            }
            b.mask[at(t, s, n, 1)] = 1.0;
        }
    }
    b
}

/// A valid string of exactly `len` symbols (len >= MIN_LEN): B T B T S…S X S E T E.
fn shortest(len: usize) -> (Vec<usize>, Vec<Vec<usize>>) {
    let loops = len - MIN_LEN;
    let mut syms = vec![B, T, B, T];
    syms.extend(std::iter::repeat_n(3, loops));
    syms.extend([4, 3, E, T, E]);
    let mut legal = vec![vec![T, P], vec![B], vec![T, P]];
    legal.extend(std::iter::repeat_n(vec![3, 4], loops + 1));
    legal.extend([vec![4, 3], vec![E], vec![T], vec![E]]);
    (syms, legal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    /// Walks a string through the grammar: every symbol must be among the legal ones named
    /// after the symbol before it, and the outer symbol must repeat.
    fn check(syms: &[usize], legal: &[Vec<usize>]) {
        assert_eq!(syms.len(), legal.len() + 1);
        assert_eq!((syms[0], syms[2], *syms.last().unwrap()), (B, B, E));
        assert_eq!(syms[1], syms[syms.len() - 2], "the outer symbol repeats");
        for t in 1..syms.len() {
            assert!(legal[t - 1].contains(&syms[t]), "{syms:?} at {t}");
        }
        assert_eq!(legal[legal.len() - 2], vec![syms[1]], "the long-range step has one legal symbol");
    }

    #[test]
    fn strings_follow_the_grammar_and_targets_name_the_legal_symbols() {
        let mut rng = prng(9);
        for p in [0.5, 0.8] {
            for _ in 0..500 {
                let (syms, legal) = string(&mut rng, p);
                check(&syms, &legal);
            }
        }
        for len in [9, 12, 30] {
            let (syms, legal) = shortest(len);
            assert_eq!(syms.len(), len);
            check(&syms, &legal);
        }
        let b = sample(&mut rng, 20, Draw { min: 10, max: 16, split: Split::Test });
        for s in 0..20 {
            let steps = (0..b.steps).filter(|&t| b.mask[at(t, s, 20, 1)] > 0.0).count();
            assert!((9..=15).contains(&steps), "length {} in 10..=16", steps + 1);
        }
    }
}
