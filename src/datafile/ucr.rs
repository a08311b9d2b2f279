//! The UCR archive's TSV (`X_TRAIN.tsv`, `X_TEST.tsv`): one series per line, the class label
//! first, then the values, tab-separated. The archive pads shorter series with NaN at the end:
//! trailing missing values end a series (so lengths may differ); missing values inside one are
//! filled by linear interpolation.

use super::ts::short;
use super::{cell, fill, Case, Labelled};

pub fn parse(name: &str, text: &str) -> Result<Labelled, String> {
    let (mut classes, mut cases, mut filled) = (Vec::<String>::new(), Vec::new(), 0usize);
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let at = |what: String| format!("{name} line {}: {what}", i + 1);
        let mut cells = line.split('\t');
        let label = cells.next().unwrap_or("").trim().to_string();
        let mut values = Vec::new();
        for (k, text) in cells.enumerate() {
            let bad = || at(format!("column {}: {:?} is not a number", k + 2, short(text)));
            values.push(cell(text).value().ok_or_else(bad)?);
        }
        while values.last().is_some_and(|v| v.is_nan()) {
            values.pop();
        }
        if values.is_empty() {
            return Err(at("a series needs a label and at least one value, separated by tabs".into()));
        }
        filled += fill(&mut values).unwrap_or(0);
        let label = match classes.iter().position(|c| *c == label) {
            Some(k) => k,
            None => {
                classes.push(label);
                classes.len() - 1
            }
        };
        cases.push(Case { series: vec![values.into_iter().map(|v| v as f32).collect()], label });
    }
    Ok(Labelled { classes, dims: 1, train: cases, test: Vec::new(), filled })
}
