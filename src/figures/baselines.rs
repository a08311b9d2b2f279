//! The horizontal lines a metric chart draws: the task's chance level (measured on the part the
//! chart's values come from) and, on the user's data, every classical baseline at its test
//! value, each labelled with where it was measured so none is read against the wrong part.

use crate::tasks::user::baseline_name;

/// `chance` (its value and name, e.g. the naive forecast on the validation part) and each
/// classical baseline's test metric, as (value, label) lines. The parts are named where there
/// are classical baselines (the user's data: chance is measured on the data too).
pub fn lines(chance: (f64, &str), part: &str, baselines: &[(String, f64)]) -> Vec<(f64, String)> {
    let name = if baselines.is_empty() { chance.1.to_string() } else { format!("{} ({part})", chance.1) };
    let mut out = vec![(chance.0, name)];
    out.extend(baselines.iter().map(|(k, v)| (*v, format!("{} (test)", baseline_name(k)))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_baseline_is_a_line_at_its_own_value_saying_where_it_was_measured() {
        // The Nile: naive 0.87 on validation, 1.06 on test; seasonal naive 1.2 on test.
        let got = lines(
            (0.87, "naive forecast"),
            "validation",
            &[("naive".into(), 1.06), ("seasonal_naive".into(), 1.2)],
        );
        assert_eq!(
            got,
            [
                (0.87, "naive forecast (validation)".to_string()),
                (1.06, "naive forecast (test)".to_string()),
                (1.2, "seasonal naive forecast (test)".to_string()),
            ]
        );
        assert_eq!(lines((0.5, "chance"), "validation", &[]), [(0.5, "chance".to_string())]);
    }
}
