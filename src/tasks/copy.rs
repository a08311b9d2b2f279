//! Copy / delayed recall (as in Arjovsky, Shah & Bengio 2016): remember k symbols over a delay.

use super::About;
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Copy after a delay",
    tests: "The network sees k random symbols, then a stretch of blanks and a go marker, and must \
            then reproduce the k symbols in order: pure memory over a controllable delay.",
    literature: "Arjovsky et al. (2016) used it to show gated and unitary RNNs against plain ones; \
                 LSTMs and GRUs both solve short delays, and past a few hundred steps both fall back to the memoryless guess.",
    len_meaning: "blank steps between the symbols and the go marker",
    metric_name: "recalled symbols right",
    metric_means: "share of recalled symbols right",
};

/// Symbols to choose from; the input adds a blank and a go marker.
pub const ALPHABET: usize = 8;
const BLANK: usize = ALPHABET;
const GO: usize = ALPHABET + 1;

pub fn dims() -> (usize, usize) {
    (ALPHABET + 2, ALPHABET)
}

/// A memoryless guess is uniform over the alphabet: cross-entropy ln 8.
pub fn baseline() -> f64 {
    libm::log(ALPHABET as f64)
}

/// Steps: k symbols, `delay` blanks, the go marker, then k recall steps (blank input, targets).
pub fn sample(rng: &mut Prng, n: usize, delay: usize, k: usize) -> Batch {
    let (inp, out) = dims();
    let steps = 2 * k + delay + 1;
    let mut b = Batch::zeros(steps, n, inp, out);
    for s in 0..n {
        for j in 0..k {
            let sym = rng.random_range(0..ALPHABET);
            b.x[at(j, s, n, inp) + sym] = 1.0;
            let t = k + delay + 1 + j;
            b.y[at(t, s, n, out) + sym] = 1.0;
            b.mask[at(t, s, n, 1)] = 1.0;
        }
        for t in k..steps {
            let marker = if t == k + delay { GO } else { BLANK };
            b.x[at(t, s, n, inp) + marker] = 1.0;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn the_targets_repeat_the_first_symbols_after_the_go_marker() {
        let (n, delay, k) = (16, 7, 3);
        let b = sample(&mut prng(4), n, delay, k);
        let (inp, out) = dims();
        let onehot = |v: &[f32]| v.iter().position(|&x| x == 1.0).unwrap();
        for s in 0..n {
            let shown: Vec<usize> = (0..k).map(|t| onehot(&b.x[at(t, s, n, inp)..][..inp])).collect();
            assert_eq!(onehot(&b.x[at(k + delay, s, n, inp)..][..inp]), GO);
            assert!((k..k + delay).all(|t| onehot(&b.x[at(t, s, n, inp)..][..inp]) == BLANK));
            let recalled: Vec<usize> =
                (0..k).map(|j| onehot(&b.y[at(k + delay + 1 + j, s, n, out)..][..out])).collect();
            assert_eq!(recalled, shown);
            assert_eq!((0..b.steps).filter(|&t| b.mask[at(t, s, n, 1)] > 0.0).count(), k);
        }
    }
}
