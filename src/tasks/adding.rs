//! The adding problem (Hochreiter & Schmidhuber 1997): add the two marked values of a sequence.

use super::About;
use crate::batch::{at, Batch};
use crate::rng::Prng;
use rand::Rng;

pub const ABOUT: About = About {
    title: "Adding problem",
    tests: "Each step carries a random value and a marker; at the end the network must output \
            the sum of the two marked values, so it has to hold two numbers across the whole sequence.",
    literature: "Hochreiter & Schmidhuber (1997) introduced it to show the LSTM bridging long \
                 delays where plain RNNs fail; GRUs solve it too, and plain RNNs stall near the baseline as length grows.",
    len_meaning: "steps per sequence",
    metric_name: "share within 0.04",
    metric_means: "share of outputs within 0.04 of the marked values' sum",
};

/// Always answering 1.0 (the mean of the sum) gives the variance of U(0,1) + U(0,1) = 1/6.
pub const BASELINE_MSE: f64 = 1.0 / 6.0;
/// …and is within 0.04 of the sum with probability 1 - 0.96².
pub const BASELINE_WITHIN: f64 = 1.0 - 0.96 * 0.96;

/// x: [T, B, 2] = (value ~ U(0,1), marker); one marker in each half; target at the last step.
pub fn sample(rng: &mut Prng, n: usize, len: usize) -> Batch {
    let len = len.max(2);
    let mut b = Batch::zeros(len, n, 2, 1);
    for s in 0..n {
        let first = rng.random_range(0..len / 2);
        let second = rng.random_range(len / 2..len);
        let mut sum = 0.0;
        for t in 0..len {
            let v: f32 = rng.random();
            let i = at(t, s, n, 2);
            b.x[i] = v;
            if t == first || t == second {
                b.x[i + 1] = 1.0;
                sum += v;
            }
        }
        b.y[at(len - 1, s, n, 1)] = sum;
        b.mask[at(len - 1, s, n, 1)] = 1.0;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::prng;

    #[test]
    fn the_target_is_the_sum_of_the_two_marked_values() {
        let (n, len) = (64, 30);
        let b = sample(&mut prng(3), n, len);
        for s in 0..n {
            let marked: Vec<f32> =
                (0..len).filter(|&t| b.x[at(t, s, n, 2) + 1] == 1.0).map(|t| b.x[at(t, s, n, 2)]).collect();
            assert_eq!(marked.len(), 2, "one marker in each half");
            let first = (0..len).position(|t| b.x[at(t, s, n, 2) + 1] == 1.0).unwrap();
            assert!(first < len / 2);
            assert_eq!(b.y[at(len - 1, s, n, 1)], marked[0] + marked[1]);
            let targets: Vec<usize> = (0..len).filter(|&t| b.mask[at(t, s, n, 1)] > 0.0).collect();
            assert_eq!(targets, vec![len - 1], "only the last step has a target");
        }
    }
}
