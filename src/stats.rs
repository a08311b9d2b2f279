//! The few statistics Gatelab states: the exact sign test, a t-interval on paired log ratios,
//! Wilson's interval for odds, and medians that count a failure as the worst value. Every
//! judgement the page and the CLI print goes through these.

/// Every interval Gatelab prints is a two-sided 95% one. The normal quantile of 97.5%, for Wilson's interval.
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

/// Student's t at 97.5% for 1 to 100 degrees of freedom: statrs 0.19's
/// `StudentsT::inverse_cdf(0.975)` (a test checks them against it). Constants, not computed at
/// run time, so the page and the CLI print the same interval to the last bit (the platforms'
/// own logarithms differ in the last place) and the page does not carry statrs.
const T975: [f64; 100] = [
    12.70620473617469,
    4.302652729749467,
    3.1824463052837046,
    2.776445105197795,
    2.570581835636314,
    2.4469118511449652,
    2.364624251592785,
    2.3060041352041707,
    2.262157162798205,
    2.228138851986273,
    2.200985160091634,
    2.1788128296672054,
    2.1603686564628095,
    2.1447866879177897,
    2.131449545559734,
    2.1199052992212404,
    2.109815577833272,
    2.1009220402409565,
    2.0930240544082417,
    2.0859634472657946,
    2.0796138447275436,
    2.0738730679038766,
    2.068657610418929,
    2.0638985616278602,
    2.059538552753143,
    2.0555294386426555,
    2.0518305164800905,
    2.048407141795102,
    2.0452296421323903,
    2.042272456301077,
    2.039513446396162,
    2.036933343459848,
    2.034515297449029,
    2.0322445093174224,
    2.0301079282501253,
    2.0280940009801527,
    2.0261924630287873,
    2.0243941639117082,
    2.022690920036388,
    2.021075390305952,
    2.019540970441052,
    2.018081702818092,
    2.0166921992275086,
    2.0153675744433777,
    2.0141033888805775,
    2.0128955989190573,
    2.0117405137293503,
    2.0106347576239343,
    2.0095752371287796,
    2.0085591121004596,
    2.007583770315455,
    2.006646805061305,
    2.0057459953174694,
    2.0048792881877437,
    2.0040447832887116,
    2.0032407188474544,
    2.0024654592905926,
    2.001717484144878,
    2.000995378087846,
    2.000297822013847,
    1.9996235849945365,
    1.9989715170330102,
    1.9983405425202192,
    1.9977296543172944,
    1.9971379083916718,
    1.996564418951833,
    1.9960083540249391,
    1.9954689314292693,
    1.9949454151068418,
    1.9944371117708188,
    1.9939433678452052,
    1.9934635666614329,
    1.9929971258893768,
    1.9925434951805556,
    1.9921021540017638,
    1.9916726096442225,
    1.9912543953879938,
    1.9908470688112163,
    1.990450210229703,
    1.990063421253937,
    1.98968632345646,
    1.989318557136158,
    1.9889597801747638,
    1.9886096669751743,
    1.9882679074768672,
    1.9879342062385705,
    1.9876082815885148,
    1.9872898648307815,
    1.9869786995058272,
    1.9866745407033068,
    1.9863771544180795,
    1.9860863169507514,
    1.98580181434533,
    1.9855234418661645,
    1.9852510035050335,
    1.9849843115219719,
    1.9847231860135324,
    1.9844674545081167,
    1.984216951585909,
    1.9839715185230007,
];

/// The 0.975 quantile (a two-sided 95% interval) of Student's t with `df` degrees of freedom (NaN for
/// none): the table, then the Cornish-Fisher expansion around the normal quantile (plain
/// arithmetic, within 1e-7 past 100).
pub fn t_quantile(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    if let Some(&t) = T975.get(df - 1) {
        return t;
    }
    let (z, v) = (Z95, df as f64);
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
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

/// Which way a number is better. A failure (NaN or infinite) is the worst number there is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

impl Better {
    pub fn of(higher_is_better: bool) -> Better {
        if higher_is_better {
            Better::Higher
        } else {
            Better::Lower
        }
    }

    /// The worst value: where a failure ranks.
    pub fn worst(self) -> f64 {
        match self {
            Better::Lower => f64::INFINITY,
            Better::Higher => f64::NEG_INFINITY,
        }
    }

    /// `v`, or the worst value if `v` is not a number.
    pub fn or_worst(self, v: f64) -> f64 {
        if v.is_finite() {
            v
        } else {
            self.worst()
        }
    }
}

/// Median, min and max of values where a failure (NaN or infinite) counts as the worst in the
/// values' direction. The one rule for every median the page and the CLI show.
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
    pub fn of(values: &[f64], better: Better) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().map(|&x| better.or_worst(x)).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 { v[n / 2] } else { 0.5 * (v[n / 2 - 1] + v[n / 2]) };
        let failed = v.iter().filter(|x| x.is_infinite()).count();
        Some(Spread { median, min: v[0], max: v[n - 1], failed, n })
    }

    /// The median as text, and for more than one value " best B · worst W" in `better`'s
    /// direction; a failure shows as "diverged".
    pub fn text(&self, better: Better) -> (String, String) {
        let show = |v: f64| if v.is_finite() { number(v) } else { "diverged".into() };
        if self.n == 1 {
            return (show(self.median), String::new());
        }
        let (best, worst) =
            if better == Better::Higher { (self.max, self.min) } else { (self.min, self.max) };
        (show(self.median), format!(" best {} · worst {}", show(best), show(worst)))
    }

    /// Whether every value failed.
    pub fn all_failed(&self) -> bool {
        self.failed == self.n
    }
}

/// The median of losses (lower is better) under the one rule (NaN for none).
pub fn median(values: &[f64]) -> f64 {
    Spread::of(values, Better::Lower).map_or(f64::NAN, |s| s.median)
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
    } else if !(1e-3..999.5).contains(&r) {
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
    fn the_t_table_is_statrs_and_the_expansion_continues_it() {
        use statrs::distribution::{ContinuousCDF, StudentsT};
        for df in (1..=100).chain([101, 150, 400, 1000, 10_000]) {
            let want = StudentsT::new(0.0, 1.0, df as f64).unwrap().inverse_cdf(0.975);
            let tol = if df <= 100 { 1e-12 } else { 1e-7 };
            assert!((t_quantile(df) - want).abs() <= tol, "df {df}: {} vs {want}", t_quantile(df));
        }
        assert!(t_quantile(0).is_nan());
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
        let s = Spread::of(&[0.3, f64::NAN, 0.1], Better::Lower).unwrap();
        assert_eq!((s.median, s.min, s.max, s.failed), (0.3, 0.1, f64::INFINITY, 1));
        let s = Spread::of(&[0.3, f64::NAN, 0.1], Better::Higher).unwrap();
        assert_eq!((s.median, s.min, s.max, s.failed), (0.1, f64::NEG_INFINITY, 0.3, 1));
        assert_eq!(Spread::of(&[0.3, 0.1, 0.2], Better::Lower).unwrap().median, 0.2);
        assert!(Spread::of(&[f64::NAN, f64::INFINITY], Better::Higher).unwrap().all_failed());
        assert!(Spread::of(&[], Better::Lower).is_none());
        let acc = Spread::of(&[0.9, 0.5, f64::NAN], Better::Higher).unwrap();
        assert_eq!(
            acc.text(Better::Higher),
            ("0.5000".to_string(), " best 0.9000 · worst diverged".to_string())
        );
        assert_eq!(number(6.6e41), "6.6e41");
        assert_eq!(number(0.00012), "1.2e-4");
        assert_eq!(number(0.0123), "0.0123");
        assert_eq!(number(f64::NAN), "diverged");
        let t: Vec<String> = [2.6e-11, 0.0312, 0.81, 1.04, 7.74, 19.2, 250.0, 1.2e6].map(times).to_vec();
        assert_eq!(t, ["2.6e-11x", "0.031x", "0.81x", "1.04x", "7.7x", "19x", "250x", "1.2e6x"]);
    }
}
