//! The summary table printed after `train` and `sweep`.

use gatelab::sweep::Summary;

pub fn print(rows: &[Summary], metric_name: &str) {
    println!(
        "{:<5} {:>6} {:>6} {:>5} {:>6} {:>11} {:>11} {:>10} {:>10} {:>8} {:>8}",
        "arch",
        "cells",
        "params",
        "len",
        "seed",
        "train loss",
        "val loss",
        "val metric",
        "test metr.",
        "time s",
        "state"
    );
    for r in rows {
        let state = serde_json::to_value(r.state).unwrap();
        println!(
            "{:<5} {:>6} {:>6} {:>5} {:>6} {:>11.5} {:>11.5} {:>10.4} {:>10.4} {:>8.2} {:>8}",
            r.arch.name(),
            r.hidden,
            r.params,
            r.len,
            r.seed,
            r.train_loss,
            r.val_loss,
            r.val_metric,
            r.test_metric,
            r.seconds,
            state.as_str().unwrap_or("")
        );
    }
    if let Some(r) = rows.first() {
        println!(
            "baseline loss {:.5} (chance); metric: {metric_name}",
            r.baseline
        );
    }
}
