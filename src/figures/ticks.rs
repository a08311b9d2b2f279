//! Axis ticks that read cleanly at every stage: steps of 1, 2 or 5 times a power of ten,
//! integers on integer axes, labels without float noise, and log axes labelled at powers of
//! ten as 1, 0.1, 0.01 (or 10^k beyond that).

/// Ticks of a linear axis over [lo, hi]: (value, label), at most about `max` of them.
pub fn linear(lo: f64, hi: f64, max: usize, integer: bool) -> Vec<(f64, String)> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let span = (hi - lo).max(if integer { 1.0 } else { 1e-12 });
    let raw = span / max.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|&s| s >= raw).unwrap_or(10.0 * mag);
    if integer {
        step = step.max(1.0).round();
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            (v, format!("{:.*}", decimals, if v == 0.0 { 0.0 } else { v }))
        })
        .collect()
}

/// Ticks of a log axis over [lo, hi] (positive values): every power of ten in range, thinned
/// to at most `max`; with fewer than two of them, also 2 and 5 times them, then every digit.
pub fn log(lo: f64, hi: f64, max: usize) -> Vec<(f64, String)> {
    if !(lo > 0.0 && hi >= lo && hi.is_finite()) {
        return Vec::new();
    }
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let within = |v: &f64| (lo * (1.0 - 1e-9)..=hi * (1.0 + 1e-9)).contains(v);
    let with = |ms: &[f64]| -> Vec<f64> {
        (a..=b).flat_map(|k| ms.iter().map(move |m| m * 10f64.powi(k))).filter(within).collect()
    };
    let mut ticks = with(&[1.0]);
    if ticks.len() < 2 {
        ticks = with(&[1.0, 2.0, 5.0]);
    }
    // Within a decade, three labels or more: every digit.
    if ticks.len() < 3 && hi / lo < 10.0 {
        ticks = with(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    }
    let every = ticks.len().div_ceil(max.max(1)).max(1);
    ticks.into_iter().enumerate().filter(|(i, _)| i % every == 0).map(|(_, v)| (v, log_label(v))).collect()
}

/// An axis range that starts and ends on ticks, so the data's lowest and highest values lie
/// between labelled ones: log axes widen to powers of ten (or 1-2-5 steps within a decade),
/// linear axes to whole steps.
pub fn nice_range(lo: f64, hi: f64, log_axis: bool, max: usize) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return (lo, hi);
    }
    if log_axis {
        if lo <= 0.0 {
            return (lo, hi);
        }
        let (a, b) = (lo.log10().floor(), hi.log10().ceil());
        if b - a >= 2.0 {
            return (10f64.powf(a), 10f64.powf(b));
        }
        let grid: Vec<f64> =
            (a as i32..=b as i32).flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k))).collect();
        let down = grid.iter().copied().filter(|&g| g <= lo * (1.0 + 1e-9)).fold(lo, |_, g| g);
        let up = grid.iter().copied().find(|&g| g >= hi * (1.0 - 1e-9)).unwrap_or(hi);
        return (down, up);
    }
    let ticks = linear(lo, hi, max, false);
    let step = match ticks.as_slice() {
        [x, y, ..] => y.0 - x.0,
        _ => return (lo, hi),
    };
    ((lo / step + 1e-9).floor() * step, (hi / step - 1e-9).ceil() * step)
}

/// 1, 0.1, 0.01, 0.001, 20, 500 ... and 10^k (written 1e-5, 1e6) past that.
pub fn log_label(v: f64) -> String {
    let mut k = (v.log10() + 1e-9).floor() as i32;
    let mut m = (v / 10f64.powi(k)).round() as i64;
    if m >= 10 {
        (k, m) = (k + 1, m / 10);
    }
    if !(-3..=4).contains(&k) {
        return if m == 1 { format!("1e{k}") } else { format!("{m}e{k}") };
    }
    let decimals = (-k).max(0) as usize;
    format!("{:.*}", decimals, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &[(f64, String)]) -> Vec<&str> {
        t.iter().map(|x| x.1.as_str()).collect()
    }

    #[test]
    fn step_axes_are_integers_from_step_zero_on() {
        assert_eq!(labels(&linear(0.0, 0.0, 6, true)), vec!["0"]);
        assert_eq!(labels(&linear(0.0, 1.0, 6, true)), vec!["0", "1"]);
        assert_eq!(labels(&linear(0.0, 1500.0, 6, true)), vec!["0", "500", "1000", "1500"]);
        assert_eq!(labels(&linear(0.0, 37.0, 6, true)), vec!["0", "10", "20", "30"]);
    }

    #[test]
    fn fractional_axes_have_no_float_noise() {
        let t = linear(0.0, 0.6, 6, false);
        assert_eq!(labels(&t), vec!["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"]);
        assert_eq!(labels(&linear(-1.0, 1.0, 4, false)), vec!["-1.0", "-0.5", "0.0", "0.5", "1.0"]);
    }

    #[test]
    fn ranges_start_and_end_on_labelled_ticks() {
        assert_eq!(nice_range(0.003, 2.1, true, 6), (0.001, 10.0), "two decades or more: powers of ten");
        assert_eq!(nice_range(0.3, 0.9, true, 6), (0.2, 1.0));
        assert_eq!(nice_range(2.3, 4.2, true, 6), (2.0, 5.0));
        assert_eq!(nice_range(0.13, 0.87, false, 6), (0.0, 1.0));
        let (lo, hi) = nice_range(0.003, 2.1, true, 6);
        let t = log(lo, hi, 8);
        assert!(
            t.first().unwrap().0 <= 0.003 && t.last().unwrap().0 >= 2.1,
            "the extremes are labelled: {t:?}"
        );
    }

    #[test]
    fn log_axes_read_as_decimals_or_powers_of_ten() {
        assert_eq!(labels(&log(0.004, 1.7, 8)), vec!["0.01", "0.1", "1"]);
        assert_eq!(labels(&log(1e-7, 1e2, 5)), vec!["1e-7", "1e-5", "0.001", "0.1", "10"]);
        assert_eq!(labels(&log(0.3, 0.9, 4)), vec!["0.3", "0.5", "0.7", "0.9"]);
        assert_eq!(labels(&log(0.15, 0.9, 8)), vec!["0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]);
        assert_eq!(labels(&log(2.0, 5.0, 8)), vec!["2", "3", "4", "5"]);
        assert_eq!(labels(&log(2.0, 300.0, 8)), vec!["10", "100"]);
        assert_eq!(
            labels(&log(2.3, 4.2, 8)),
            vec!["3", "4"],
            "the text task's loss: no power of ten or 2/5 in range"
        );
        assert_eq!(log_label(1e6), "1e6");
        assert_eq!(log_label(2e-5), "2e-5");
    }
}
