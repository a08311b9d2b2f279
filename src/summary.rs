//! The outcome of one run: a row of `summary.json`, `sweep.csv`, `sweep.json`, `runs.jsonl`
//! and the page's tables. Non-finite numbers are `null` in JSON.

use crate::config::Config;
use crate::nn::Arch;
use crate::run::{last_finite, Record, Run, RunState};
use serde::{Deserialize, Serialize};

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
}

pub const CSV_HEADER: &str = "task,arch,hidden,params,len,lr,seed,steps,train_loss,val_loss,val_metric,\
                              test_metric,baseline,grad_decay,seconds,state";

impl Summary {
    /// The summary of a run that has stopped: its last record with a training loss (a
    /// diverged run's last record has none).
    pub fn of(run: &mut Run, c: &Config) -> Summary {
        let grad_decay = if run.state == RunState::Done { run.grad_decay() } else { f64::NAN };
        let last = last_finite(&run.records).copied();
        let pick = |f: fn(&Record) -> f64| last.as_ref().map_or(f64::NAN, f);
        Summary {
            task: c.task.name().to_string(),
            arch: run.spec.arch,
            hidden: run.spec.hidden,
            params: run.params(),
            len: run.spec.len,
            lr: run.spec.lr,
            seed: run.spec.seed,
            steps: run.step,
            train_loss: pick(|r| r.train_loss),
            val_loss: pick(|r| r.val_loss),
            val_metric: pick(|r| r.val_metric),
            test_metric: pick(|r| r.test_metric),
            baseline: c.task().baseline_loss(run.spec.len),
            grad_decay,
            seconds: run.seconds(),
            state: run.state,
        }
    }

    /// The columns of the tables that show summaries (the CLI's and the page's).
    pub const COLUMNS: [&'static str; 12] = [
        "arch",
        "cells",
        "params",
        "len",
        "lr",
        "seed",
        "train loss",
        "val loss",
        "val metric",
        "test metric",
        "seconds",
        "state",
    ];

    /// Column `k` as (sort key, text).
    pub fn column(&self, k: usize) -> (f64, String) {
        let f = |v: f64| (v, if v.is_finite() { format!("{v:.4}") } else { "–".into() });
        match k {
            0 => (self.arch as usize as f64, self.arch.name().to_string()),
            1 => (self.hidden as f64, self.hidden.to_string()),
            2 => (self.params as f64, self.params.to_string()),
            3 => (self.len as f64, self.len.to_string()),
            4 => (self.lr as f64, self.lr.to_string()),
            5 => (self.seed as f64, self.seed.to_string()),
            6 => f(self.train_loss),
            7 => f(self.val_loss),
            8 => f(self.val_metric),
            9 => f(self.test_metric),
            10 => (self.seconds, format!("{:.2}", self.seconds)),
            _ => (self.state as usize as f64, self.state.name().to_string()),
        }
    }

    /// A row of `sweep.csv`: full precision; empty cells for non-finite numbers.
    pub fn csv_row(&self) -> String {
        let num = |v: f64| if v.is_finite() { v.to_string() } else { String::new() };
        let seconds = if self.seconds.is_finite() { format!("{:.3}", self.seconds) } else { String::new() };
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            self.task,
            self.arch.name(),
            self.hidden,
            self.params,
            self.len,
            self.lr,
            self.seed,
            self.steps,
            num(self.train_loss),
            num(self.val_loss),
            num(self.val_metric),
            num(self.test_metric),
            num(self.baseline),
            num(self.grad_decay),
            seconds,
            self.state.name()
        )
    }
}

/// `sweep.csv`: the header and one row per run.
pub fn csv(rows: &[Summary]) -> String {
    let mut s = String::from(CSV_HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(&r.csv_row());
        s.push('\n');
    }
    s
}
