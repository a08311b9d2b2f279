//! Overfitting, said where it happened: on a fixed training set (the user's data, `train=N`)
//! validation loss can end well above its minimum while training loss falls. The test metric at
//! the best checkpoint (lowest validation loss) is then the fairer one, and is said beside the
//! last step's.

use crate::experiment::summary::{Measure, Summary, OVERFIT};
use crate::nn::Arch;
use crate::stats::{number, Spread};

/// One sentence per architecture with overfit seeds among `rows`, joined; `None` if none.
pub fn sentence(rows: &[&Summary]) -> Option<String> {
    let parts: Vec<String> = Arch::ALL
        .into_iter()
        .filter_map(|a| {
            let mine: Vec<&Summary> = rows.iter().copied().filter(|r| r.arch == a).collect();
            let over = mine.iter().filter(|r| r.overfit && !r.failed()).count();
            if over == 0 {
                return None;
            }
            let median = |m: Measure| {
                let v: Vec<f64> = mine.iter().map(|r| r.judged(m)).collect();
                Spread::of(&v, mine[0].better(m)).map_or(f64::NAN, |s| s.median)
            };
            let metric = mine[0].task.about().metric_name;
            Some(format!(
                "{} overfit on {over} of {} seeds (validation loss ended above {OVERFIT}x its minimum while training \
                 loss fell): median test {metric} {} at the best checkpoint, {} at the last step",
                a.upper(),
                mine.len(),
                number(median(Measure::BestTestMetric)),
                number(median(Measure::TestMetric))
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overfit_seeds_are_counted_and_the_best_checkpoint_is_said_beside_the_last_step() {
        let row = |seed, overfit, best: f64, last: f64| Summary {
            overfit,
            best_test_metric: best,
            test_metric: last,
            ..Summary::example(Arch::Gru, 8, 0.01, seed, 0.1)
        };
        let rows = [row(1, true, 0.97, 1.80), row(2, true, 0.95, 1.7), row(3, false, 0.9, 0.9)];
        let s = sentence(&rows.iter().collect::<Vec<_>>()).unwrap();
        assert!(s.starts_with("GRU overfit on 2 of 3 seeds"), "{s}");
        assert!(
            s.ends_with(
                "median test share within 0.04 0.9500 at the best checkpoint, 1.7000 at the last step."
            ),
            "{s}"
        );
        assert!(sentence(&[&row(1, false, 0.5, 0.5)]).is_none());
    }
}
