//! The summary table printed after `train`, `sweep` and `merge`.

use gatelab::summary::Summary;

pub fn print(rows: &[Summary], metric_name: &str) {
    let widths = [5, 6, 7, 5, 7, 6, 11, 11, 11, 12, 8, 9];
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(k, (c, w))| if k == 0 { format!("{c:<w$}") } else { format!("{c:>w$}") })
            .collect();
        println!("{}", padded.join(" "));
    };
    line(Summary::COLUMNS.iter().map(|c| c.to_string()).collect());
    for r in rows {
        line((0..Summary::COLUMNS.len()).map(|k| r.column(k).1).collect());
    }
    if let Some(r) = rows.first() {
        println!("baseline loss {:.5} (chance); metric: {metric_name}", r.baseline);
    }
}
