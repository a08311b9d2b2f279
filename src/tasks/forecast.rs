//! Forecasting the user's series (`task=forecast`): a window of `len` rows of the target
//! column (`column=`, by default the table's last numeric column) and any `inputs=` columns
//! predicts the target's next `horizon` values, read out at the window's last step. The
//! series splits by time: the first 80% of rows train, the next 10% validate, the last 10%
//! test; a window belongs to the part of its first target row. Missing values are filled by
//! linear interpolation (the ends take the nearest value); every column is standardised with
//! the training rows' mean and deviation. The metric is MASE (Hyndman & Koehler 2006): the
//! mean absolute error over a part's targets divided by the mean absolute error, inside the
//! training rows, of the seasonal naive forecast of period `period`. Baselines on the test
//! part: `naive` (the last input repeated) and `seasonal_naive` (the value one period earlier).

use super::About;
use crate::batch::{at, Batch};
use crate::datafile::{fill, Table};

pub const ABOUT: About = About {
    title: "Your data: forecast a series",
    tests: "Your table of series (CSV, rows in time order): from a window of past values the network \
            predicts the next ones. Scored in MASE on the last tenth of the series, never trained on, beside \
            the naive and seasonal naive forecasts (MASE 1 is as good as the seasonal naive in training).",
    literature: "Hyndman & Koehler (2006) proposed MASE to compare forecasts across series; Makridakis et \
                 al. (2018, M4) found simple statistical methods hard to beat on such series.",
    len_meaning: "rows in each input window",
    metric_name: "MASE",
    metric_means: "mean absolute error over the naive forecast's (MASE); below 1 beats it",
};

/// Where the training and validation rows end, as shares of the series.
const TRAIN: f64 = 0.8;
const VALIDATION: f64 = 0.9;

/// Which part of the series a window belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Train,
    Validation,
    Test,
}

/// The columns a config chose, ready to window: standardised, split, with the MASE scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    /// The target's name first, then the inputs'.
    pub names: Vec<String>,
    /// [columns][rows], standardised with the training rows.
    pub series: Vec<Vec<f32>>,
    /// The target as given (filled).
    pub target: Vec<f64>,
    pub mean: f64,
    pub sd: f64,
    pub train_end: usize,
    pub val_end: usize,
    /// MAE of the seasonal naive forecast inside the training rows: MASE's denominator.
    pub scale: f64,
    /// Missing values filled in the chosen columns.
    pub filled: usize,
}

impl Prepared {
    pub fn rows(&self) -> usize {
        self.target.len()
    }

    /// MASE per unit of standardised absolute error.
    pub fn mase_factor(&self) -> f64 {
        self.sd / self.scale
    }

    /// The rows of `part`.
    fn range(&self, part: Part) -> std::ops::Range<usize> {
        match part {
            Part::Train => 0..self.train_end,
            Part::Validation => self.train_end..self.val_end,
            Part::Test => self.val_end..self.rows(),
        }
    }

    /// Start rows of the windows of `part`: inputs rows i..i+len, targets the `horizon` after.
    pub fn windows(&self, len: usize, horizon: usize, part: Part) -> Vec<usize> {
        let r = self.range(part);
        (r.start.max(len)..r.end).filter(|&t| t + horizon <= self.rows()).map(|t| t - len).collect()
    }

    /// x: [len, B, columns], y: [len, B, horizon] (standardised targets, at the last step only),
    /// mask: 1 at the last step.
    pub fn batch(&self, starts: &[usize], len: usize, horizon: usize) -> Batch {
        let (n, io) = (starts.len(), self.series.len());
        let mut b = Batch::zeros(len, n, io, horizon);
        for (s, &i) in starts.iter().enumerate() {
            for t in 0..len {
                for (k, col) in self.series.iter().enumerate() {
                    b.x[at(t, s, n, io) + k] = col[i + t];
                }
            }
            for h in 0..horizon {
                b.y[at(len - 1, s, n, horizon) + h] = self.series[0][i + len + h];
            }
            b.mask[at(len - 1, s, n, 1)] = 1.0;
        }
        b
    }

    /// Mean absolute error of `predict(first target row, h)` over `part`'s windows, in MASE.
    fn mase_of(&self, len: usize, horizon: usize, part: Part, predict: impl Fn(usize, usize) -> f64) -> f64 {
        let (mut sum, mut n) = (0.0, 0usize);
        for i in self.windows(len, horizon, part) {
            let t = i + len;
            for h in 0..horizon {
                sum += (predict(t, h) - self.target[t + h]).abs();
                n += 1;
            }
        }
        sum / n.max(1) as f64 / self.scale
    }

    /// Test MASE of the naive forecast: the last value before the window's targets, repeated.
    pub fn naive(&self, len: usize, horizon: usize, part: Part) -> f64 {
        self.mase_of(len, horizon, part, |t, _| self.target[t - 1])
    }

    /// Test MASE of the seasonal naive forecast: each target's value `period` rows earlier (or
    /// whole periods earlier, for targets further than a period ahead).
    pub fn seasonal_naive(&self, len: usize, horizon: usize, period: usize, part: Part) -> f64 {
        self.mase_of(len, horizon, part, |t, h| self.target[t + h - period * (h / period + 1)])
    }

    /// Mean squared standardised error of the naive forecast on `part`: the loss chart's bar.
    pub fn naive_mse(&self, len: usize, horizon: usize, part: Part) -> f64 {
        let (mut sum, mut n) = (0.0, 0usize);
        for i in self.windows(len, horizon, part) {
            let last = self.series[0][i + len - 1] as f64;
            for h in 0..horizon {
                sum += (last - self.series[0][i + len + h] as f64).powi(2);
                n += 1;
            }
        }
        sum / n.max(1) as f64
    }

    /// Whether every part has a window, with the lengths said if not.
    pub fn check(&self, len: usize, horizon: usize) -> Result<(), String> {
        for (part, name) in
            [(Part::Train, "training"), (Part::Validation, "validation"), (Part::Test, "test")]
        {
            if self.windows(len, horizon, part).is_empty() {
                let r = self.range(part);
                return Err(format!(
                    "the series has {} rows ({} for {name}, rows {}-{}): too short for windows of len {len} \
                     with horizon {horizon}; a shorter len or horizon, or a longer series",
                    self.rows(),
                    r.len(),
                    r.start + 1,
                    r.end
                ));
            }
        }
        Ok(())
    }
}

/// The chosen columns of a table, prepared; errors name the file, the column and the line.
pub fn prepare(
    file: &str,
    t: &Table,
    column: Option<&str>,
    inputs: &[String],
    period: usize,
) -> Result<Prepared, String> {
    let target = match column {
        Some(c) => t.column(file, c)?,
        None => t.default_column().ok_or(format!("{file} has no numeric column to forecast"))?,
    };
    let mut chosen = vec![target];
    for name in inputs {
        let k = t.column(file, name)?;
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    let rows = t.rows;
    let (train_end, val_end) = ((rows as f64 * TRAIN) as usize, (rows as f64 * VALIDATION) as usize);
    let mut filled = 0;
    let mut raw: Vec<Vec<f64>> = Vec::new();
    for &k in &chosen {
        let mut v = t.columns[k].values.clone().expect("a numeric column, checked by column()");
        filled += fill(&mut v).ok_or(format!("{file}: column {} has no value at all", t.columns[k].name))?;
        raw.push(v);
    }
    if train_end <= period {
        return Err(format!(
            "{file}: the training part has {train_end} rows, not more than the period ({period}): no seasonal naive scale"
        ));
    }
    let y = &raw[0];
    let scale =
        (period..train_end).map(|i| (y[i] - y[i - period]).abs()).sum::<f64>() / (train_end - period) as f64;
    if scale <= 0.0 {
        return Err(format!(
            "{file}: {} does not change within the training rows, so MASE is undefined",
            t.columns[target].name
        ));
    }
    let stats = |v: &[f64]| {
        let part = &v[..train_end];
        let mean = part.iter().sum::<f64>() / part.len() as f64;
        let sd = (part.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / part.len() as f64).sqrt().max(1e-12);
        (mean, sd)
    };
    let series = raw
        .iter()
        .map(|v| {
            let (m, s) = stats(v);
            v.iter().map(|x| ((x - m) / s) as f32).collect()
        })
        .collect();
    let (mean, sd) = stats(y);
    Ok(Prepared {
        names: chosen.iter().map(|&k| t.columns[k].name.clone()).collect(),
        series,
        target: raw[0].clone(),
        mean,
        sd,
        train_end,
        val_end,
        scale,
        filled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datafile::csv;

    fn table(text: &str) -> Table {
        csv::parse("t.csv", text).unwrap()
    }

    #[test]
    fn windows_split_by_their_first_target_and_mase_is_by_hand() {
        // 20 rows of y = row number, except a season of 2: +1 on odd rows.
        let text: String = std::iter::once("day,y\n".to_string())
            .chain((0..20).map(|i| format!("{i},{}\n", i + i % 2)))
            .collect();
        let p = prepare("t.csv", &table(&text), None, &[], 2).unwrap();
        assert_eq!((p.rows(), p.train_end, p.val_end), (20, 16, 18));
        assert_eq!(p.names, vec!["y"], "the last numeric column by default");
        // Seasonal naive with period 2 inside rows 0-15: |y_t - y_{t-2}| = 2 every time.
        assert_eq!(p.scale, 2.0);
        assert_eq!(p.windows(4, 1, Part::Validation), vec![12, 13], "targets at rows 16 and 17");
        assert_eq!(p.windows(4, 2, Part::Test), vec![14], "row 19 has no second target");
        // Naive on the test part (targets rows 18, 19 from row 17 = 18): |18-18| + |20-18| = 2,
        // over 2 targets and the scale 2: 0.5.
        assert_eq!(p.naive(4, 2, Part::Test), 0.5);
        // Seasonal naive: row 18 from row 16 (16), row 19 from row 17 (18): (2 + 2) / 2 / 2 = 1.
        assert_eq!(p.seasonal_naive(4, 2, 2, Part::Test), 1.0);
        let b = p.batch(&[14], 4, 2);
        assert_eq!((b.steps, b.batch, b.mask), (4, 1, vec![0.0, 0.0, 0.0, 1.0]));
        assert_eq!(b.y[3 * 2], p.series[0][18]);
        assert!(p.check(4, 2).is_ok());
        assert!(p.check(17, 1).unwrap_err().contains("too short for windows of len 17"));
    }

    #[test]
    fn missing_values_are_interpolated_and_bad_cells_named() {
        let p = prepare(
            "t.csv",
            &table("a,b\n1,2\nNA,4\n3,\n4,8\n5,10\n6,12\n7,14\n8,16\n9,18\n10,20\n"),
            Some("b"),
            &["a".into()],
            1,
        )
        .unwrap();
        assert_eq!(p.filled, 2);
        assert_eq!(p.target[2], 6.0);
        assert_eq!(p.names, vec!["b", "a"]);
        let bad = table("x,y\n1,2\n2,oops\n");
        assert_eq!(
            prepare("t.csv", &bad, Some("y"), &[], 1).unwrap_err(),
            "t.csv line 3, column 2 (y): \"oops\" is not a number"
        );
        assert!(prepare("t.csv", &bad, Some("z"), &[], 1).unwrap_err().contains("no column \"z\""));
        assert!(prepare("t.csv", &table("a\n1\n2\n3\n"), Some("1"), &[], 2)
            .unwrap_err()
            .contains("training part"));
        assert!(prepare("t.csv", &table("a\n?\nNA\n1\n1\n1\n"), None, &[], 1)
            .unwrap_err()
            .contains("does not change"));
    }
}
