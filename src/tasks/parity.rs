//! Parity: the XOR of a bit string, at every step (running) or only at the end.

use super::{at, blank, About};
use crate::nn::init::Prng;
use crate::nn::network::Batch;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Parity",
    tests: "The input is a string of random bits and the target is their XOR so far: one bit of \
            state that every single input flips, the simplest task no feed-forward shortcut can solve.",
    literature: "Gated RNNs learn running parity easily; with the target only at the end the \
                 gradient signal is tiny and both LSTM and GRU need many steps, while plain RNNs usually fail beyond short strings.",
    len_meaning: "bits per string",
    metric_name: "bits right",
};

/// x: [T, B, 1] bits; y: [T, B, 2] one-hot XOR of the bits so far.
pub fn sample(rng: &mut Prng, n: usize, len: usize, every_step: bool) -> Batch {
    let len = len.max(1);
    let mut b = blank(len, n, 1, 2);
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
