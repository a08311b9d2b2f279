//! Medians and min-max bands over seeds: of learning curves (the compare view) and of final
//! results by setting (the Sweep view). Settings are always picked by median validation loss.
//! A failed seed counts as the worst value (`stats::Spread`), as in the tables and verdicts.

use crate::experiment::summary::{Measure, Summary};
use crate::nn::Arch;
use crate::run::Record;
pub use crate::stats::Better;
use crate::stats::{median, Spread};

/// A point of a band: x, and the median, min and max of y over seeds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

fn point(x: f64, ys: &[f64], better: Better) -> Option<Point> {
    let s = Spread::of(ys, better)?;
    Some(Point { x, median: s.median, min: s.min, max: s.max })
}

/// One seed's history for a curve: its records, and whether it stopped by failing (then it is
/// the worst at every step after its last record).
pub struct SeedCurve<'a> {
    pub records: &'a [Record],
    pub failed: bool,
}

/// Per record step: x (the median over seeds, e.g. of wall time) and the spread of y over the
/// seeds there. Seeds of one config record at the same steps; a seed still training that has
/// not reached a step is left out of it.
pub fn curve(
    seeds: &[SeedCurve],
    x: fn(&Record) -> f64,
    y: fn(&Record) -> f64,
    better: Better,
) -> Vec<Point> {
    let mut steps: Vec<usize> = seeds.iter().flat_map(|s| s.records.iter().map(|r| r.step)).collect();
    steps.sort();
    steps.dedup();
    steps
        .into_iter()
        .filter_map(|step| {
            let at: Vec<&Record> =
                seeds.iter().filter_map(|s| s.records.iter().find(|r| r.step == step)).collect();
            let gone = seeds.iter().filter(|s| s.failed && s.records.last().is_some_and(|r| r.step < step));
            let xs: Vec<f64> = at.iter().map(|r| x(r)).collect();
            let ys: Vec<f64> = at.iter().map(|r| y(r)).chain(gone.map(|_| f64::NAN)).collect();
            point(median(&xs), &ys, better)
        })
        .collect()
}

/// What a sweep chart shows on y: the validation loss, or a metric; a failed run is the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Y {
    ValLoss,
    ValMetric,
}

impl Y {
    fn measure(self) -> Measure {
        match self {
            Y::ValLoss => Measure::ValLoss,
            Y::ValMetric => Measure::ValMetric,
        }
    }

    fn of(self, r: &Summary) -> f64 {
        r.judged(self.measure())
    }

    fn better(self, r: &Summary) -> Better {
        r.better(self.measure())
    }
}

/// For one architecture at one length: at each x (cells, or parameters), the spread of y over
/// seeds at the learning rate whose median validation loss is lowest there.
pub fn by_setting(rows: &[Summary], arch: Arch, len: usize, x: fn(&Summary) -> f64, y: Y) -> Vec<Point> {
    let mine: Vec<&Summary> = rows.iter().filter(|r| r.arch == arch && r.len == len).collect();
    let mut xs: Vec<f64> = mine.iter().map(|r| x(r)).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs.into_iter()
        .filter_map(|xv| {
            let here: Vec<&Summary> = mine.iter().copied().filter(|r| x(r) == xv).collect();
            let best = best_lr(&here)?;
            let ys: Vec<f64> = here.iter().filter(|r| r.lr == best).map(|r| y.of(r)).collect();
            point(xv, &ys, y.better(here[0]))
        })
        .collect()
}

/// The x of `arch`'s best setting on a chart against `x`: the lowest median validation loss
/// (the verdict's rule), whatever the chart shows on y; ties to the smaller x.
pub fn best_x(rows: &[Summary], arch: Arch, len: usize, x: fn(&Summary) -> f64) -> Option<f64> {
    let pts = by_setting(rows, arch, len, x, Y::ValLoss);
    pts.into_iter().min_by(|a, b| a.median.total_cmp(&b.median)).map(|p| p.x)
}

/// The learning rate with the lowest median validation loss among `rows` (failures count as
/// worst); ties to the smaller rate.
pub fn best_lr(rows: &[&Summary]) -> Option<f32> {
    let mut lrs: Vec<f32> = rows.iter().map(|r| r.lr).collect();
    lrs.sort_by(f32::total_cmp);
    lrs.dedup();
    let at = |lr: f32| {
        let v: Vec<f64> = rows.iter().filter(|r| r.lr == lr).map(|r| r.rank_loss()).collect();
        median(&v)
    };
    lrs.into_iter().min_by(|a, b| at(*a).total_cmp(&at(*b)))
}

/// Share of the way from chance to a perfect metric that counts as solving a task.
pub const SOLVED: f64 = 0.9;

/// Per length: the median metric of the best setting (by validation loss) there.
pub fn metric_by_length(rows: &[Summary], arch: Arch) -> Vec<(f64, f64)> {
    let mut lens: Vec<usize> = rows.iter().filter(|r| r.arch == arch).map(|r| r.len).collect();
    lens.sort();
    lens.dedup();
    lens.into_iter()
        .filter_map(|len| {
            let by_cells = by_setting(rows, arch, len, |r| r.hidden as f64, Y::ValLoss);
            let best = by_cells.iter().min_by(|a, b| a.median.total_cmp(&b.median))?;
            let metric = by_setting(rows, arch, len, |r| r.hidden as f64, Y::ValMetric);
            metric.iter().find(|p| p.x == best.x).map(|p| (len as f64, p.median))
        })
        .collect()
}

/// The longest length up to which every length is solved (metric at least `SOLVED` of the way
/// from chance to perfect).
pub fn solved_up_to(points: &[(f64, f64)], chance: f64) -> Option<f64> {
    points.iter().take_while(|p| (p.1 - chance) / (1.0 - chance) >= SOLVED).last().map(|p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_point_is_the_lowest_validation_loss_even_on_a_metric_chart() {
        // 8 cells: the lower loss; 16 cells: the higher accuracy.
        let row = |hidden, loss, metric| Summary {
            val_metric: metric,
            ..Summary::example(Arch::Gru, hidden, 0.01, 1, loss)
        };
        let rows = [row(8, 0.1, 0.8), row(16, 0.2, 0.9)];
        let cells = |r: &Summary| r.hidden as f64;
        assert_eq!(best_x(&rows, Arch::Gru, 10, cells), Some(8.0));
        let metric = by_setting(&rows, Arch::Gru, 10, cells, Y::ValMetric);
        assert_eq!(metric.iter().map(|p| p.median).collect::<Vec<_>>(), [0.8, 0.9]);
    }

    fn rec(step: usize, val: f64) -> Record {
        Record {
            step,
            seconds: step as f64,
            train_loss: val,
            val_loss: val,
            val_metric: 0.0,
            test_metric: 0.0,
            grad_norm: 0.0,
        }
    }

    #[test]
    fn curves_take_median_and_range_over_seeds_per_step() {
        let a = [rec(0, 1.0), rec(10, 0.5), rec(20, 0.4)];
        let b = [rec(0, 2.0), rec(10, 0.1), rec(20, 0.1)];
        let c = [rec(0, 3.0), rec(10, f64::NAN)];
        let seeds = [
            SeedCurve { records: &a, failed: false },
            SeedCurve { records: &b, failed: false },
            SeedCurve { records: &c, failed: true },
        ];
        let band = curve(&seeds, |r| r.step as f64, |r| r.val_loss, Better::Lower);
        assert_eq!(band[0], Point { x: 0.0, median: 2.0, min: 1.0, max: 3.0 });
        let inf = f64::INFINITY;
        assert_eq!(
            band[1],
            Point { x: 10.0, median: 0.5, min: 0.1, max: inf },
            "the diverged seed is the worst"
        );
        assert_eq!(band[2], Point { x: 20.0, median: 0.4, min: 0.1, max: inf }, "and stays the worst after");
    }

    fn row(hidden: usize, lr: f32, seed: u64, val_loss: f64, len: usize) -> Summary {
        Summary { len, ..Summary::example(Arch::Gru, hidden, lr, seed, val_loss) }
    }

    #[test]
    fn sweep_points_use_each_cell_counts_best_learning_rate_and_solved_lengths_stop_at_the_first_failure() {
        let mut rows = Vec::new();
        for seed in 1..=3 {
            rows.push(row(4, 0.01, seed, 0.5, 10));
            rows.push(row(4, 0.1, seed, 0.3 + seed as f64 * 0.01, 10));
            rows.push(row(8, 0.01, seed, 0.05, 10));
            rows.push(row(8, 0.01, seed, 0.5, 20));
            rows.push(row(8, 0.01, seed, 0.01, 40));
        }
        let pts = by_setting(&rows, Arch::Gru, 10, |r| r.hidden as f64, Y::ValLoss);
        assert_eq!(pts.len(), 2);
        assert!((pts[0].median - 0.32).abs() < 1e-12 && pts[0].min < pts[0].max, "lr 0.1 is best at 4 cells");
        let by_len = metric_by_length(&rows, Arch::Gru);
        assert_eq!(by_len.iter().map(|p| p.0).collect::<Vec<_>>(), vec![10.0, 20.0, 40.0]);
        assert_eq!(solved_up_to(&by_len, 0.0), Some(10.0), "20 fails, so 40 does not count");
    }
}
