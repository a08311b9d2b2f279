//! The few statistics Gatelab states: the exact sign test, a t-interval on paired log ratios,
//! Wilson's interval for odds, and medians that count a failure as the worst value. Every
//! judgement the page and the CLI print goes through these.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Two-sided 95%: the confidence of every interval Gatelab prints.
pub const CONFIDENCE: f64 = 0.95;
/// The normal quantile of 97.5%, for Wilson's interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Exact two-sided sign test: the probability, if neither side were better, of a split at
/// least as uneven as `a` to `b` (ties dropped). Binomial terms in f64: exact for the seed
/// counts Gatelab allows, and never overflows (0.5^n first, then the ratio of successive terms).
pub fn sign_test(a: usize, b: usize) -> f64 {
    let n = a + b;
    let k = a.min(b);
    let mut term = 0.5f64.powi(n as i32);
    let mut tail = term;
    for i in 1..=k {
        term = term * (n - i + 1) as f64 / i as f64;
        tail += term;
    }
    (2.0 * tail).min(1.0)
}

/// The fewest paired seeds with which a clean sweep (every seed one way) gives p < `alpha`.
pub fn seeds_for(alpha: f64) -> usize {
    (1..).find(|&n| sign_test(n, 0) < alpha).unwrap_or(usize::MAX)
}

/// The 1 - (1 - CONFIDENCE)/2 quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64).map_or(f64::NAN, |t| t.inverse_cdf(0.5 + CONFIDENCE / 2.0))
}

/// Mean and 95% t-interval of `xs` (NaN bounds with fewer than two values).
pub fn t_interval(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, f64::NAN, f64::NAN);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half = t_quantile(n - 1) * (var / n as f64).sqrt();
    (mean, mean - half, mean + half)
}

/// Wilson's 95% score interval for `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z2) = (k as f64, n as f64, Z95 * Z95);
    let p = k / n;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Median, min and max of values where a failure (NaN or infinite) counts as the worst:
/// +infinity. The one rule for every median the page and the CLI show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// How many of the values were failures.
    pub failed: usize,
    pub n: usize,
}

impl Spread {
    /// `None` for no values at all.
    pub fn of(values: &[f64]) -> Option<Spread> {
        Spread::worst_is(values, f64::INFINITY)
    }

    /// The same with failures at `worst`: -infinity for a metric where higher is better.
    pub fn worst_is(values: &[f64], worst: f64) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().map(|&x| if x.is_finite() { x } else { worst }).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 { v[n / 2] } else { 0.5 * (v[n / 2 - 1] + v[n / 2]) };
        let failed = v.iter().filter(|x| x.is_infinite()).count();
        Some(Spread { median, min: v[0], max: v[n - 1], failed, n })
    }

    /// Whether every value failed.
    pub fn all_failed(&self) -> bool {
        self.failed == self.n
    }
}

/// The median of `values` under the one rule (NaN for none).
pub fn median(values: &[f64]) -> f64 {
    Spread::of(values).map_or(f64::NAN, |s| s.median)
}

/// A number for people, bounded in width: 4 decimals in the usual range, scientific beyond it
/// (`6.6e41`), "diverged" for a failure.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        "diverged".into()
    } else if v == 0.0 || (1e-3..1e4).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.1e}")
    }
}

/// A ratio for people, with two significant digits (three just above 1, where the difference
/// is small): "0.031x", "1.04x", "7.7x", "19x", "250x", "1.2e6x".
pub fn times(r: f64) -> String {
    if !r.is_finite() || r <= 0.0 {
        "–".into()
    } else if r >= 999.5 {
        format!("{r:.1e}x")
    } else {
        let digits = if (1.0..1.1).contains(&r) { 2 } else { 1 };
        let decimals = (digits - r.log10().floor() as i32).max(0) as usize;
        format!("{r:.decimals$}x")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_test_is_the_exact_binomial_tail() {
        assert_eq!(sign_test(3, 0), 0.25);
        assert_eq!(sign_test(5, 5), 1.0);
        assert!((sign_test(9, 1) - 22.0 / 1024.0).abs() < 1e-15);
        assert_eq!(sign_test(1, 9), sign_test(9, 1));
        assert!((sign_test(8, 2) - 112.0 / 1024.0).abs() < 1e-15);
        assert_eq!(sign_test(0, 0), 1.0);
        assert_eq!(seeds_for(0.05), 6, "2/64 < 0.05 <= 2/32");
    }

    #[test]
    fn intervals_match_a_hand_computation() {
        // t(0.975, 2) = 4.302652729911275 (tables); xs = 1, 2, 6: mean 3, s^2 = (4+1+9)/2 = 7,
        // half-width 4.3027 * sqrt(7/3) = 6.5725.
        assert!((t_quantile(2) - 4.302_652_729_911_275).abs() < 1e-9);
        assert!((t_quantile(9) - 2.262_157_162_740_992).abs() < 1e-9);
        let (m, lo, hi) = t_interval(&[1.0, 2.0, 6.0]);
        let half = 4.302_652_729_911_275 * (7.0f64 / 3.0).sqrt();
        assert_eq!(m, 3.0);
        assert!((lo - (3.0 - half)).abs() < 1e-9 && (hi - (3.0 + half)).abs() < 1e-9, "{lo} {hi}");
        assert!(t_interval(&[2.0]).1.is_nan());
        // Wilson, 35 of 40: p = 0.875, z^2 = 3.841459: centre (0.875 + 0.048018) / 1.096036 =
        // 0.842142, half 1.96 / 1.096036 * sqrt(0.875 * 0.125 / 40 + 3.841459 / 6400) = 0.103263.
        let (lo, hi) = wilson(35, 40);
        assert!((lo - 0.738_879).abs() < 1e-5 && (hi - 0.945_405).abs() < 1e-5, "{lo} {hi}");
        assert_eq!(wilson(40, 40).1, 1.0);
        assert!(wilson(0, 40).0 == 0.0 && wilson(0, 40).1 > 0.08);
    }

    #[test]
    fn a_failure_is_the_worst_value_and_numbers_stay_short() {
        let s = Spread::of(&[0.3, f64::NAN, 0.1]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.failed), (0.3, 0.1, f64::INFINITY, 1));
        assert_eq!(Spread::of(&[0.3, 0.1, 0.2]).unwrap().median, 0.2);
        assert!(Spread::of(&[f64::NAN, f64::INFINITY]).unwrap().all_failed());
        assert!(Spread::of(&[]).is_none());
        assert_eq!(number(6.6e41), "6.6e41");
        assert_eq!(number(0.00012), "1.2e-4");
        assert_eq!(number(0.0123), "0.0123");
        assert_eq!(number(f64::NAN), "diverged");
        let t: Vec<String> = [0.0312, 0.81, 1.04, 7.74, 19.2, 250.0, 1.2e6].map(times).to_vec();
        assert_eq!(t, ["0.031x", "0.81x", "1.04x", "7.7x", "19x", "250x", "1.2e6x"]);
    }
}
