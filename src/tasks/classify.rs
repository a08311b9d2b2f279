//! Classifying the user's labelled sequences (`task=classify`): one label per sequence, read
//! out at its last step, cross-entropy, accuracy. Sequences of different lengths are padded at
//! the end and masked: the readout and the loss are at each sequence's own last step, which
//! sees only that sequence's values (nothing after it), so padding changes no result.
//! The file's TEST part tests; without one, 20% of the cases are held out (stratified, always
//! the same ones). Validation is carved from TRAIN: 20% of each class, drawn by the run's
//! seed. Each input dimension is standardised with the training cases' mean and deviation.
//! Baselines on the test part: the majority class, and 1-nearest-neighbour with Euclidean
//! distance on the series as given (the UCR archive's reference method; series of different
//! lengths are compared after linear resampling to the longer one).

use super::About;
use crate::batch::{at, Batch};
use crate::datafile::{Case, Labelled};
use crate::rng::{prng, Prng};
use rand::seq::SliceRandom;

pub const ABOUT: About = About {
    title: "Your data: classify sequences",
    tests: "Your labelled sequences (UCR .tsv, sktime/aeon .ts): the network reads each one and names its \
            class at its last step. Accuracy on the file's TEST part (or on a fifth held out), beside the \
            majority class and 1-nearest-neighbour, the archive's reference method.",
    literature: "The UCR/UEA archives (Dau et al. 2019; Bagnall et al. 2018) report 1-NN with Euclidean \
                 distance and with DTW for every set: a network is worth it only where it beats them.",
    len_meaning: "the data's own lengths",
    metric_name: "accuracy",
    metric_means: "share of cases classified right",
};

/// Share of TRAIN (per class) that validates, and of a file without TEST that tests.
const HOLD: f64 = 0.2;

/// The indices of `cases` split into (kept, held out): `HOLD` of each class held out, drawn
/// by `rng`; a class of one case keeps it.
fn stratified(cases: &[&Case], classes: usize, rng: &mut Prng) -> (Vec<usize>, Vec<usize>) {
    let (mut keep, mut held) = (Vec::new(), Vec::new());
    for k in 0..classes {
        let mut mine: Vec<usize> = (0..cases.len()).filter(|&i| cases[i].label == k).collect();
        mine.shuffle(rng);
        let n = if mine.len() < 2 {
            0
        } else {
            ((mine.len() as f64 * HOLD).round() as usize).clamp(1, mine.len() - 1)
        };
        held.extend_from_slice(&mine[..n]);
        keep.extend_from_slice(&mine[n..]);
    }
    keep.sort();
    held.sort();
    (keep, held)
}

/// TRAIN and TEST as the runs use them: the file's TEST, or a fixed fifth of the cases.
pub fn train_test(l: &Labelled) -> (Vec<&Case>, Vec<&Case>) {
    if !l.test.is_empty() {
        return (l.train.iter().collect(), l.test.iter().collect());
    }
    let all: Vec<&Case> = l.train.iter().collect();
    let (keep, held) = stratified(&all, l.classes.len(), &mut prng(0x7E57));
    (keep.iter().map(|&i| all[i]).collect(), held.iter().map(|&i| all[i]).collect())
}

/// A run's sets: (train, validation, test), validation drawn from TRAIN by `rng`.
pub fn sets<'a>(l: &'a Labelled, rng: &mut Prng) -> [Vec<&'a Case>; 3] {
    let (train, test) = train_test(l);
    let (keep, held) = stratified(&train, l.classes.len(), rng);
    [keep.iter().map(|&i| train[i]).collect(), held.iter().map(|&i| train[i]).collect(), test]
}

/// Mean and standard deviation of each dimension over `cases` (deviation floored at 1e-6).
pub fn standardise(cases: &[&Case], dims: usize) -> Vec<(f32, f32)> {
    (0..dims)
        .map(|d| {
            let (mut n, mut s, mut s2) = (0f64, 0f64, 0f64);
            for v in cases.iter().flat_map(|c| &c.series[d]) {
                let v = *v as f64;
                (n, s, s2) = (n + 1.0, s + v, s2 + v * v);
            }
            let mean = s / n.max(1.0);
            let sd = (s2 / n.max(1.0) - mean * mean).max(0.0).sqrt().max(1e-6);
            (mean as f32, sd as f32)
        })
        .collect()
}

/// cases as one batch: x: [T, B, D] standardised, y: [T, B, C] one-hot at each case's last
/// step, mask: 1 there only; T the longest case (shorter ones padded with zeros after their end).
pub fn batch(cases: &[&Case], classes: usize, norm: &[(f32, f32)]) -> Batch {
    let (n, dims) = (cases.len(), norm.len());
    let steps = cases.iter().map(|c| c.steps()).max().unwrap_or(1).max(1);
    let mut b = Batch::zeros(steps, n, dims, classes);
    for (s, c) in cases.iter().enumerate() {
        for (d, &(mean, sd)) in norm.iter().enumerate() {
            for (t, &v) in c.series[d].iter().enumerate() {
                b.x[at(t, s, n, dims) + d] = (v - mean) / sd;
            }
        }
        let last = c.steps().max(1) - 1;
        b.y[at(last, s, n, classes) + c.label] = 1.0;
        b.mask[at(last, s, n, 1)] = 1.0;
    }
    b
}

/// Test accuracy of always naming TRAIN's most frequent class (ties: the first).
pub fn majority(train: &[&Case], test: &[&Case], classes: usize) -> f64 {
    let count = |k: usize| train.iter().filter(|c| c.label == k).count();
    let top = (0..classes).max_by_key(|&k| (count(k), std::cmp::Reverse(k))).unwrap_or(0);
    test.iter().filter(|c| c.label == top).count() as f64 / test.len().max(1) as f64
}

/// The most multiply-adds 1-NN may cost here; a larger set reports no 1-NN baseline (NaN).
pub const MAX_NN_WORK: f64 = 5e9;

/// Test accuracy of 1-nearest-neighbour on TRAIN with Euclidean distance over every dimension
/// of the series as given; series of different lengths are compared after resampling the
/// shorter linearly to the longer's length. NaN if the work would pass `MAX_NN_WORK`.
pub fn nn1_euclidean(train: &[&Case], test: &[&Case]) -> f64 {
    let len = |cs: &[&Case]| cs.iter().map(|c| c.steps() * c.series.len()).sum::<usize>() as f64;
    if len(train) * test.len() as f64 > MAX_NN_WORK || train.is_empty() {
        return f64::NAN;
    }
    let right = test
        .iter()
        .filter(|q| {
            let nearest = train.iter().min_by(|a, b| distance(q, a).total_cmp(&distance(q, b)));
            nearest.is_some_and(|n| n.label == q.label)
        })
        .count();
    right as f64 / test.len().max(1) as f64
}

/// Squared Euclidean distance, the shorter series resampled to the longer one's length.
fn distance(a: &Case, b: &Case) -> f64 {
    let n = a.steps().max(b.steps());
    let value = |c: &Case, d: usize, t: usize| -> f64 {
        let s = &c.series[d];
        if s.len() == n || s.len() < 2 {
            return *s.get(t.min(s.len().saturating_sub(1))).unwrap_or(&0.0) as f64;
        }
        let pos = t as f64 * (s.len() - 1) as f64 / (n - 1).max(1) as f64;
        let (i, f) = (pos.floor() as usize, pos.fract());
        let next = s[(i + 1).min(s.len() - 1)] as f64;
        s[i] as f64 * (1.0 - f) + next * f
    };
    (0..a.series.len()).map(|d| (0..n).map(|t| (value(a, d, t) - value(b, d, t)).powi(2)).sum::<f64>()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(values: &[f32], label: usize) -> Case {
        Case { series: vec![values.to_vec()], label }
    }

    #[test]
    fn padding_masks_every_case_at_its_own_last_step() {
        let (a, b) = (case(&[1.0, 2.0, 3.0], 1), case(&[5.0], 0));
        let norm = [(0.0, 1.0)];
        let batch = batch(&[&a, &b], 2, &norm);
        assert_eq!((batch.steps, batch.batch), (3, 2));
        assert_eq!(batch.mask, vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0], "b ends at t = 0, a at t = 2");
        assert_eq!(&batch.y[at(2, 0, 2, 2)..][..2], &[0.0, 1.0]);
        assert_eq!(&batch.y[at(0, 1, 2, 2)..][..2], &[1.0, 0.0]);
        assert_eq!(batch.x, vec![1.0, 5.0, 2.0, 0.0, 3.0, 0.0]);
    }

    #[test]
    fn splits_are_stratified_and_drawn_by_the_seed() {
        let cases: Vec<Case> = (0..50).map(|i| case(&[i as f32], (i % 5 == 0) as usize)).collect();
        let l = Labelled {
            classes: vec!["a".into(), "b".into()],
            dims: 1,
            train: cases,
            test: Vec::new(),
            filled: 0,
        };
        let [train, val, test] = sets(&l, &mut prng(3));
        assert_eq!((train.len() + val.len() + test.len(), test.len()), (50, 10));
        assert_eq!(test.iter().filter(|c| c.label == 1).count(), 2, "a fifth of each class tests");
        assert_eq!(val.iter().filter(|c| c.label == 1).count(), 2);
        let [_, other, test2] = sets(&l, &mut prng(4));
        assert_eq!(test, test2, "the test part never depends on the seed");
        assert_ne!(val, other, "validation does");
    }

    #[test]
    fn the_baselines_by_hand() {
        let train = [case(&[0.0, 0.0], 0), case(&[0.0, 0.1], 0), case(&[5.0, 5.0], 1)];
        let test = [case(&[4.0, 5.0], 1), case(&[0.2, 0.0], 0), case(&[9.0], 1)];
        let (tr, te): (Vec<&Case>, Vec<&Case>) = (train.iter().collect(), test.iter().collect());
        assert!((majority(&tr, &te, 2) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(nn1_euclidean(&tr, &te), 1.0, "[9] resamples to [9, 9]: nearest [5, 5]");
        assert_eq!(distance(&case(&[9.0], 1), &train[2]), 32.0);
        assert_eq!(
            distance(&case(&[0.0, 2.0], 0), &case(&[0.0, 1.0, 2.0], 0)),
            0.0,
            "resampled to the longer length"
        );
    }
}
