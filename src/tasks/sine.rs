//! Noisy sine forecasting: predict the next value of a sum of two sines.

use super::About;
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;
use std::f32::consts::TAU;

pub const ABOUT: About = About {
    title: "Noisy sine forecast",
    tests: "The input is a sum of two sines (periods 7 and 23 steps, random phases) plus small \
            noise; at every step the network predicts the next value. Only a short memory is needed.",
    literature: "On short-memory signal tasks like this, GRUs match LSTMs with a quarter fewer \
                 parameters (Chung et al. 2014); the difference between gated cells is small here.",
    len_meaning: "steps per sequence",
    metric_name: "explained variance",
    metric_means: "share of the next value's variance explained",
};

const PERIODS: [f32; 2] = [7.0, 23.0];
const AMPLITUDE: f32 = 0.5;
const NOISE: f32 = 0.1;
/// Steps at the start without a target: the phase is not yet observable.
const WARMUP: usize = 3;
/// Variance of the series: two sines of amplitude 0.5 (0.125 each) plus U(-0.1, 0.1) noise.
/// Predicting the mean (0) scores exactly this MSE.
pub const VARIANCE: f64 = 0.25 + (NOISE as f64 * NOISE as f64) / 3.0;

/// x: [T, B, 1] the series; y: [T, B, 1] the next value.
pub fn sample(rng: &mut Prng, n: usize, len: usize) -> Batch {
    let len = len.max(WARMUP + 1);
    let mut b = Batch::zeros(len, n, 1, 1);
    for s in 0..n {
        let phases: Vec<f32> = PERIODS.iter().map(|_| rng.random::<f32>() * TAU).collect();
        let series: Vec<f32> = (0..=len)
            .map(|t| {
                let clean: f32 = PERIODS
                    .iter()
                    .zip(&phases)
                    .map(|(p, ph)| AMPLITUDE * libm::sinf(TAU * t as f32 / p + ph))
                    .sum();
                clean + (rng.random::<f32>() * 2.0 - 1.0) * NOISE
            })
            .collect();
        for t in 0..len {
            b.x[at(t, s, n, 1)] = series[t];
            b.y[at(t, s, n, 1)] = series[t + 1];
            b.mask[at(t, s, n, 1)] = (t >= WARMUP) as u8 as f32;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn the_target_is_the_next_input_and_the_warm_up_has_none() {
        let (n, len) = (8, 30);
        let b = sample(&mut prng(7), n, len);
        for s in 0..n {
            for t in 0..len - 1 {
                assert_eq!(b.y[at(t, s, n, 1)], b.x[at(t + 1, s, n, 1)]);
            }
            assert!((0..WARMUP).all(|t| b.mask[at(t, s, n, 1)] == 0.0));
            assert!((WARMUP..len).all(|t| b.mask[at(t, s, n, 1)] == 1.0));
            assert!((0..len).all(|t| b.x[at(t, s, n, 1)].abs() <= 2.0 * AMPLITUDE + NOISE));
        }
    }
}
