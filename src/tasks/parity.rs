//! Parity: the XOR of a bit string, at every step (running) or only at the end.

use super::About;
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Parity",
    tests: "The input is a string of random bits and the target is their XOR so far: one bit of \
            state that every single input flips, the simplest task no feed-forward shortcut can solve.",
    literature: "Bengio, Simard & Frasconi (1994) used parity to show gradient descent failing on \
                 long-term dependencies. Gated RNNs learn running parity easily; with the target only at \
                 the end the gradient signal is tiny and every cell needs many steps, or fails.",
    len_meaning: "bits per string",
    metric_name: "bits right",
    metric_means: "share of parity bits right",
};

/// x: [T, B, 1] bits; y: [T, B, 2] one-hot XOR of the bits so far.
pub fn sample(rng: &mut Prng, n: usize, len: usize, every_step: bool) -> Batch {
    let len = len.max(1);
    let mut b = Batch::zeros(len, n, 1, 2);
    for s in 0..n {
        let mut xor = 0usize;
        for t in 0..len {
            let bit = rng.random_range(0..2usize);
            xor ^= bit;
            b.x[at(t, s, n, 1)] = bit as f32;
            b.y[at(t, s, n, 2) + xor] = 1.0;
            if every_step || t == len - 1 {
                b.mask[at(t, s, n, 1)] = 1.0;
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn the_target_is_the_xor_of_the_bits_so_far() {
        let (n, len) = (16, 12);
        for every in [true, false] {
            let b = sample(&mut prng(5), n, len, every);
            for s in 0..n {
                let mut xor = 0;
                for t in 0..len {
                    xor ^= b.x[at(t, s, n, 1)] as usize;
                    assert_eq!(b.y[at(t, s, n, 2) + xor], 1.0);
                    assert_eq!(b.mask[at(t, s, n, 1)] > 0.0, every || t == len - 1);
                }
            }
        }
    }
}
