//! The summary table printed after `train`, `sweep`, `search` and `merge`.

use gatelab::config::Config;
use gatelab::experiment::summary::{Summary, COLUMNS};

pub fn print(rows: &[Summary], c: &Config) {
    let metric = c.task.about().metric_name;
    let higher = c.task.higher_is_better();
    let shown: Vec<_> = COLUMNS.into_iter().filter(|col| col.table()).collect();
    let headers: Vec<String> = shown.iter().map(|col| col.header(metric, higher)).collect();
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| shown.iter().map(|col| col.text(r)).collect()).collect();
    let widths: Vec<usize> = (0..shown.len())
        .map(|k| {
            cells
                .iter()
                .map(|row| row[k].chars().count())
                .chain([headers[k].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(k, (c, &w))| if k == 0 { format!("{c:<w$}") } else { format!("{c:>w$}") })
            .collect();
        println!("{}", padded.join("  "));
    };
    line(&headers);
    for row in &cells {
        line(row);
    }
    if let Some(r) = rows.first() {
        println!("baseline loss {:.5} (chance)", r.baseline);
    }
    let task = c.task();
    if let Some(h) = task.user().and_then(|u| u.held_out(c.task, c.seq_len())) {
        println!("held out: {}", h.text());
        if let Some(w) = h.warning() {
            println!("note: {w}");
        }
    }
}
