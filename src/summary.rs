//! The outcome of one run: a row of `summary.json`, `sweep.csv`, `sweep.json`, `runs.jsonl`
//! and the page's tables. Non-finite numbers are `null` in JSON. One column table serves the
//! CSV, the CLI's table and the page's sweep table.

use crate::config::Config;
use crate::evidence::failed;
use crate::nn::Arch;
use crate::run::{last_finite, Record, Run, RunSpec, RunState};
use crate::stats::number;
use crate::tasks::TaskKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub task: String,
    pub arch: Arch,
    pub hidden: usize,
    pub params: usize,
    pub len: usize,
    pub lr: f32,
    pub seed: u64,
    pub steps: usize,
    #[serde(with = "crate::nullable")]
    pub train_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_loss: f64,
    #[serde(with = "crate::nullable")]
    pub val_metric: f64,
    #[serde(with = "crate::nullable")]
    pub test_metric: f64,
    #[serde(with = "crate::nullable")]
    pub baseline: f64,
    /// ||dL/dh_0|| / ||dL/dh_T-1|| at the end (see `Run::grad_decay`).
    #[serde(with = "crate::nullable")]
    pub grad_decay: f64,
    #[serde(with = "crate::nullable")]
    pub seconds: f64,
    pub state: RunState,
    /// The user's data: the classical baselines' test metric (classes `majority`,
    /// `nn1_euclidean`; series `naive`, `seasonal_naive`); empty for built-in tasks.
    #[serde(default, with = "crate::nullable::map")]
    pub baselines: BTreeMap<String, f64>,
}

impl Summary {
    /// The summary of a run that has stopped: its last record with a training loss (a
    /// diverged run's last record has none). Judgements use `failed` and `rank_loss`, never
    /// these values at face value.
    pub fn of(run: &mut Run, c: &Config) -> Summary {
        let grad_decay = if run.state == RunState::Done { run.grad_decay() } else { f64::NAN };
        let last = last_finite(&run.records).copied();
        let pick = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
        Summary {
            train_loss: pick(|r| r.train_loss),
            val_loss: pick(|r| r.val_loss),
            val_metric: pick(|r| r.val_metric),
            test_metric: pick(|r| r.test_metric),
            grad_decay,
            seconds: run.seconds(),
            ..Summary::stopped(c, run.spec, run.step, run.state)
        }
    }

    /// A run that stopped at `steps` with no results (its worker died: `Crashed`).
    pub fn stopped(c: &Config, spec: RunSpec, steps: usize, state: RunState) -> Summary {
        Summary {
            task: c.task.name().to_string(),
            arch: spec.arch,
            hidden: spec.hidden,
            params: spec.arch.param_count(c.dims(spec.hidden)),
            len: spec.len,
            lr: spec.lr,
            seed: spec.seed,
            steps,
            train_loss: f64::NAN,
            val_loss: f64::NAN,
            val_metric: f64::NAN,
            test_metric: f64::NAN,
            baseline: c.task().baseline_loss(spec.len),
            grad_decay: f64::NAN,
            seconds: f64::NAN,
            state,
            baselines: c
                .task()
                .user()
                .map_or_else(BTreeMap::new, |u| u.baselines(c.task, spec.len).into_iter().collect()),
        }
    }

    /// Diverged, crashed, or without a validation loss: it loses to any run that is not.
    pub fn failed(&self) -> bool {
        failed(self.state, self.val_loss)
    }

    /// The validation loss for ranking and medians: +infinity for a failed run.
    pub fn rank_loss(&self) -> f64 {
        if self.failed() {
            f64::INFINITY
        } else {
            self.val_loss
        }
    }

    /// Whether the task's metric is better when higher (accuracy) or lower (bits per char).
    pub fn higher_is_better(&self) -> bool {
        TaskKind::parse(&self.task).is_none_or(TaskKind::higher_is_better)
    }

    /// A row for tests: `val_loss` everywhere a loss goes.
    #[cfg(test)]
    pub fn example(arch: Arch, hidden: usize, lr: f32, seed: u64, val_loss: f64) -> Summary {
        Summary {
            task: "adding".into(),
            arch,
            hidden,
            params: hidden * 10,
            len: 10,
            lr,
            seed,
            steps: 100,
            train_loss: val_loss,
            val_loss,
            val_metric: 1.0 - val_loss,
            test_metric: 0.5,
            baseline: 1.0,
            grad_decay: 1.0,
            seconds: 1.0,
            state: RunState::Done,
            baselines: BTreeMap::new(),
        }
    }
}

/// One column of every table of summaries.
pub struct Column {
    /// The CSV header and the table header.
    pub name: &'static str,
    /// Printed in the CLI's and the page's tables (the CSV has every column).
    pub table: bool,
    /// Holds the task's metric: headers name it and its direction.
    pub metric: bool,
    /// The value, full precision in the CSV.
    pub value: fn(&Summary) -> f64,
    /// The text of a table cell.
    pub text: fn(&Summary) -> String,
}

impl Column {
    /// The header for a task whose metric is `metric` ("val accuracy ↑").
    pub fn header(&self, metric: &str, higher_is_better: bool) -> String {
        if self.metric {
            let arrow = if higher_is_better { "↑" } else { "↓" };
            format!("{} {metric} {arrow}", self.name.trim_end_matches("_metric"))
        } else {
            self.name.replace('_', " ")
        }
    }

    /// The sort key: a failed run's loss and metrics sort last.
    pub fn sort_key(&self, s: &Summary) -> f64 {
        match self.name {
            "val_loss" => s.rank_loss(),
            _ if self.metric && s.failed() => f64::NAN,
            _ => (self.value)(s),
        }
    }

    fn csv(&self, s: &Summary) -> String {
        match self.name {
            "task" | "state" => (self.text)(s),
            "arch" => s.arch.name().to_string(),
            "lr" => s.lr.to_string(),
            "seconds" => {
                if s.seconds.is_finite() {
                    format!("{:.3}", s.seconds)
                } else {
                    String::new()
                }
            }
            _ => {
                let v = (self.value)(s);
                if v.is_finite() {
                    v.to_string()
                } else {
                    String::new()
                }
            }
        }
    }
}

const fn col(
    name: &'static str,
    table: bool,
    value: fn(&Summary) -> f64,
    text: fn(&Summary) -> String,
) -> Column {
    Column { name, table, metric: false, value, text }
}

/// Every column, in CSV order.
pub const COLUMNS: &[Column] = &[
    col("task", false, |_| 0.0, |s| s.task.clone()),
    col("arch", true, |s| s.arch as usize as f64, |s| s.arch.upper().to_string()),
    col("hidden", true, |s| s.hidden as f64, |s| s.hidden.to_string()),
    col("params", true, |s| s.params as f64, |s| s.params.to_string()),
    col("len", true, |s| s.len as f64, |s| s.len.to_string()),
    col("lr", true, |s| s.lr as f64, |s| s.lr.to_string()),
    col("seed", true, |s| s.seed as f64, |s| s.seed.to_string()),
    col("steps", false, |s| s.steps as f64, |s| s.steps.to_string()),
    col("train_loss", true, |s| s.train_loss, |s| number(s.train_loss)),
    col("val_loss", true, |s| s.val_loss, |s| number(s.rank_loss())),
    Column { metric: true, ..col("val_metric", true, |s| s.val_metric, |s| failed_or(s, s.val_metric)) },
    Column { metric: true, ..col("test_metric", true, |s| s.test_metric, |s| failed_or(s, s.test_metric)) },
    col("baseline", false, |s| s.baseline, |s| number(s.baseline)),
    col("grad_decay", false, |s| s.grad_decay, |s| number(s.grad_decay)),
    col(
        "seconds",
        true,
        |s| s.seconds,
        |s| if s.seconds.is_finite() { format!("{:.2}", s.seconds) } else { "–".into() },
    ),
    col("state", true, |s| s.state as usize as f64, |s| s.state.name().to_string()),
];

/// The column the tables sort by first.
pub const SORT_BY: &str = "val_loss";

pub fn column(name: &str) -> &'static Column {
    COLUMNS.iter().find(|c| c.name == name).expect("a column of the table")
}

/// A failed run's metric is no result: "–".
fn failed_or(s: &Summary, v: f64) -> String {
    if s.failed() {
        "–".into()
    } else {
        number(v)
    }
}

/// `sweep.csv`: the header and one row per run, full precision; empty cells for non-finite
/// numbers.
pub fn csv(rows: &[Summary]) -> String {
    let mut s = COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
    s.push('\n');
    for r in rows {
        s.push_str(&COLUMNS.iter().map(|c| c.csv(r)).collect::<Vec<_>>().join(","));
        s.push('\n');
    }
    s
}
