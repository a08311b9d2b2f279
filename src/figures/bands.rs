//! Medians and min-max bands over seeds: of learning curves (the compare view) and of final
//! results by setting (the Sweep view). Settings are always picked by median validation loss.

use crate::evidence::spread;
use crate::nn::Arch;
use crate::run::Record;
use crate::summary::Summary;

/// A point of a band: x, and the median, min and max of y over seeds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

fn point(x: f64, ys: &[f64]) -> Option<Point> {
    let finite: Vec<f64> = ys.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let (median, min, max) = spread(&finite);
    Some(Point { x, median, min, max })
}

/// Per record step: x (the median over seeds, e.g. of wall time) and y over the seeds that
/// have a finite value there. Seeds of one config record at the same steps.
pub fn curve(seeds: &[&[Record]], x: fn(&Record) -> f64, y: fn(&Record) -> f64) -> Vec<Point> {
    let mut steps: Vec<usize> = seeds.iter().flat_map(|r| r.iter().map(|x| x.step)).collect();
    steps.sort();
    steps.dedup();
    steps
        .into_iter()
        .filter_map(|step| {
            let at: Vec<&Record> = seeds.iter().filter_map(|r| r.iter().find(|x| x.step == step)).collect();
            let xs: Vec<f64> = at.iter().map(|r| x(r)).collect();
            let ys: Vec<f64> = at.iter().map(|r| y(r)).collect();
            point(spread(&xs).0, &ys)
        })
        .collect()
}

/// For one architecture at one length: at each x (cells, or parameters), the spread of y over
/// seeds at the learning rate whose median validation loss is lowest there.
pub fn by_setting(
    rows: &[Summary],
    arch: Arch,
    len: usize,
    x: fn(&Summary) -> f64,
    y: fn(&Summary) -> f64,
) -> Vec<Point> {
    let mine: Vec<&Summary> = rows.iter().filter(|r| r.arch == arch && r.len == len).collect();
    let mut xs: Vec<f64> = mine.iter().map(|r| x(r)).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs.into_iter()
        .filter_map(|xv| {
            let here: Vec<&Summary> = mine.iter().copied().filter(|r| x(r) == xv).collect();
            let best = best_lr(&here)?;
            let ys: Vec<f64> = here.iter().filter(|r| r.lr == best).map(|r| y(r)).collect();
            point(xv, &ys)
        })
        .collect()
}

/// The learning rate with the lowest median validation loss among `rows` (failures count as
/// worst); ties to the smaller rate.
pub fn best_lr(rows: &[&Summary]) -> Option<f32> {
    let mut lrs: Vec<f32> = rows.iter().map(|r| r.lr).collect();
    lrs.sort_by(f32::total_cmp);
    lrs.dedup();
    let median = |lr: f32| {
        let v: Vec<f64> = rows.iter().filter(|r| r.lr == lr).map(|r| r.val_loss).collect();
        spread(&v).0
    };
    lrs.into_iter().min_by(|a, b| median(*a).total_cmp(&median(*b)))
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
            let by_cells = by_setting(rows, arch, len, |r| r.hidden as f64, |r| r.val_loss);
            let best = by_cells.iter().min_by(|a, b| a.median.total_cmp(&b.median))?;
            let metric = by_setting(rows, arch, len, |r| r.hidden as f64, |r| r.val_metric);
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
    use crate::run::RunState;

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
        let a = [rec(0, 1.0), rec(10, 0.5)];
        let b = [rec(0, 2.0), rec(10, 0.1)];
        let c = [rec(0, 3.0), rec(10, f64::NAN)];
        let band = curve(&[&a, &b, &c], |r| r.step as f64, |r| r.val_loss);
        assert_eq!(band[0], Point { x: 0.0, median: 2.0, min: 1.0, max: 3.0 });
        assert_eq!(band[1], Point { x: 10.0, median: 0.3, min: 0.1, max: 0.5 });
    }

    fn row(hidden: usize, lr: f32, seed: u64, val_loss: f64, len: usize) -> Summary {
        Summary {
            task: "t".into(),
            arch: Arch::Gru,
            hidden,
            params: hidden * 10,
            len,
            lr,
            seed,
            steps: 1,
            train_loss: val_loss,
            val_loss,
            val_metric: 1.0 - val_loss,
            test_metric: 0.0,
            baseline: 1.0,
            grad_decay: 1.0,
            seconds: 0.0,
            state: RunState::Done,
        }
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
        let pts = by_setting(&rows, Arch::Gru, 10, |r| r.hidden as f64, |r| r.val_loss);
        assert_eq!(pts.len(), 2);
        assert!((pts[0].median - 0.32).abs() < 1e-12 && pts[0].min < pts[0].max, "lr 0.1 is best at 4 cells");
        let by_len = metric_by_length(&rows, Arch::Gru);
        assert_eq!(by_len.iter().map(|p| p.0).collect::<Vec<_>>(), vec![10.0, 20.0, 40.0]);
        assert_eq!(solved_up_to(&by_len, 0.0), Some(10.0), "20 fails, so 40 does not count");
    }
}
