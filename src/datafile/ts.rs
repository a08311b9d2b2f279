//! sktime / aeon `.ts`: `#` comments, `@` header lines (`@problemName`, `@univariate`,
//! `@dimensions`, `@equalLength`, `@missing`, `@classLabel true a b c`, `@timeStamps`), then
//! `@data` and one case per line: each dimension's values separated by `,`, dimensions by `:`,
//! the class label last; `?` is a missing value; cases may differ in length.

use super::{cell, fill, Case, Labelled};

pub fn parse(name: &str, text: &str) -> Result<Labelled, String> {
    let mut classes: Option<Vec<String>> = None;
    let mut labelled = true;
    let mut in_data = false;
    let mut cases = Vec::new();
    let (mut dims, mut filled) = (0usize, 0usize);
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = |what: String| format!("{name} line {}: {what}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !in_data {
            let Some(header) = line.strip_prefix('@') else {
                return Err(at(format!("{:?} before @data", short(line))));
            };
            let mut words = header.split_whitespace();
            let key = words.next().unwrap_or("").to_ascii_lowercase();
            let rest: Vec<&str> = words.collect();
            match key.as_str() {
                "data" => in_data = true,
                "classlabel" => {
                    labelled = rest.first().is_some_and(|w| w.eq_ignore_ascii_case("true"));
                    classes = Some(rest.iter().skip(1).map(|s| s.to_string()).collect());
                }
                "timestamps" if rest.first().is_some_and(|w| w.eq_ignore_ascii_case("true")) => {
                    return Err(at("time stamps are not supported: give the values alone".into()));
                }
                _ => {}
            }
            continue;
        }
        if !labelled {
            return Err(format!("{name} has no class labels (@classLabel false): classification needs them"));
        }
        let mut parts: Vec<&str> = line.split(':').collect();
        let label = parts.pop().unwrap_or("").trim().to_string();
        if parts.is_empty() {
            return Err(at("a case needs values and a label, separated by ':'".into()));
        }
        if dims == 0 {
            dims = parts.len();
        } else if parts.len() != dims {
            return Err(at(format!("{} dimensions; the first case has {dims}", parts.len())));
        }
        let mut series = Vec::with_capacity(dims);
        for (d, part) in parts.iter().enumerate() {
            let mut values = Vec::new();
            for (k, text) in part.split(',').enumerate() {
                let bad =
                    || at(format!("dimension {}, value {}: {:?} is not a number", d + 1, k + 1, short(text)));
                values.push(cell(text).value().ok_or_else(bad)?);
            }
            filled += fill(&mut values).ok_or(at(format!("dimension {} has no value at all", d + 1)))?;
            series.push(values.into_iter().map(|v| v as f32).collect::<Vec<f32>>());
        }
        if series.iter().any(|s| s.len() != series[0].len()) {
            return Err(at("the dimensions of a case differ in length".into()));
        }
        // Labels are the @classLabel list's when it has one, else as they come.
        let declared = classes.as_ref().is_some_and(|c| !c.is_empty());
        let known = classes.get_or_insert_with(Vec::new);
        let label = match known.iter().position(|c| *c == label) {
            Some(k) => k,
            None if declared => {
                return Err(at(format!(
                    "the label {:?} is not one of @classLabel's: {}",
                    short(&label),
                    known.join(" ")
                )))
            }
            None => {
                known.push(label);
                known.len() - 1
            }
        };
        cases.push(Case { series, label });
    }
    if !in_data {
        return Err(format!("{name} has no @data line: not an sktime/aeon .ts file"));
    }
    let classes = classes.unwrap_or_default();
    Ok(Labelled { classes, dims, train: cases, test: Vec::new(), filled })
}

/// At most 30 characters of a cell, for messages.
pub fn short(s: &str) -> String {
    let t: String = s.trim().chars().take(30).collect();
    if t.len() < s.trim().len() {
        format!("{t}…")
    } else {
        t
    }
}
