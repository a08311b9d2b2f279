//! sktime / aeon `.ts`: `#` comments, `@` header lines (`@problemName`, `@univariate`,
//! `@dimensions`, `@equalLength`, `@missing`, `@classLabel true a b c`, `@timeStamps`), then
//! `@data` and one case per line: each dimension's values separated by `,`, dimensions by `:`,
//! the class label last; `?` is a missing value; cases may differ in length.

use super::{cell, fill, Case, Labelled};

/// The header's facts: the labels `@classLabel` declares (empty if it names none) and whether
/// the cases are labelled at all.
struct Header {
    declared: Vec<String>,
    labelled: bool,
}

pub fn parse(name: &str, text: &str) -> Result<Labelled, String> {
    let mut header = Header { declared: Vec::new(), labelled: true };
    let mut in_data = false;
    // Labels as they are numbered: the declared list, or as they first come without one.
    let mut classes: Vec<String> = Vec::new();
    let mut cases = Vec::new();
    let (mut dims, mut filled) = (0usize, 0usize);
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = |what: String| format!("{name} line {}: {what}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !in_data {
            let words =
                line.strip_prefix('@').ok_or_else(|| at(format!("{:?} before @data", short(line))))?;
            in_data = header.read(words).map_err(at)?;
            classes.clone_from(&header.declared);
            continue;
        }
        if !header.labelled {
            return Err(format!("{name} has no class labels (@classLabel false): classification needs them"));
        }
        let (series, label, n) = case(line, &mut dims).map_err(at)?;
        filled += n;
        let label = number(&mut classes, !header.declared.is_empty(), label).map_err(at)?;
        cases.push(Case { series, label });
    }
    if !in_data {
        return Err(format!("{name} has no @data line: not an sktime/aeon .ts file"));
    }
    Ok(Labelled { classes, dims, train: cases, test: Vec::new(), filled })
}

impl Header {
    /// Reads one `@` line (without its `@`); true at `@data`.
    fn read(&mut self, line: &str) -> Result<bool, String> {
        let mut words = line.split_whitespace();
        let key = words.next().unwrap_or("").to_ascii_lowercase();
        let rest: Vec<&str> = words.collect();
        let yes = rest.first().is_some_and(|w| w.eq_ignore_ascii_case("true"));
        match key.as_str() {
            "data" => return Ok(true),
            "classlabel" => {
                self.labelled = yes;
                self.declared = rest.iter().skip(1).map(|s| s.to_string()).collect();
            }
            "timestamps" if yes => return Err("time stamps are not supported: give the values alone".into()),
            _ => {}
        }
        Ok(false)
    }
}

/// One case line: its dimensions' values (gaps filled), its label, and how many values were
/// filled. `dims` is the first case's dimension count (0 before it).
fn case(line: &str, dims: &mut usize) -> Result<(Vec<Vec<f32>>, String, usize), String> {
    let mut parts: Vec<&str> = line.split(':').collect();
    let label = parts.pop().unwrap_or("").trim().to_string();
    if parts.is_empty() {
        return Err("a case needs values and a label, separated by ':'".into());
    }
    if *dims == 0 {
        *dims = parts.len();
    } else if parts.len() != *dims {
        return Err(format!("{} dimensions; the first case has {dims}", parts.len()));
    }
    let (mut series, mut filled) = (Vec::with_capacity(parts.len()), 0);
    for (d, part) in parts.iter().enumerate() {
        let mut values = Vec::new();
        for (k, text) in part.split(',').enumerate() {
            let bad = || format!("dimension {}, value {}: {:?} is not a number", d + 1, k + 1, short(text));
            values.push(cell(text).value().ok_or_else(bad)?);
        }
        filled += fill(&mut values).ok_or(format!("dimension {} has no value at all", d + 1))?;
        series.push(values.into_iter().map(|v| v as f32).collect::<Vec<f32>>());
    }
    if series.iter().any(|s| s.len() != series[0].len()) {
        return Err("the dimensions of a case differ in length".into());
    }
    Ok((series, label, filled))
}

/// The class number of `label`: its place in the declared list (a label outside it is refused),
/// or without one, its place in order of first appearance.
fn number(classes: &mut Vec<String>, declared: bool, label: String) -> Result<usize, String> {
    match classes.iter().position(|c| *c == label) {
        Some(k) => Ok(k),
        None if declared => {
            Err(format!("the label {:?} is not one of @classLabel's: {}", short(&label), classes.join(" ")))
        }
        None => {
            classes.push(label);
            Ok(classes.len() - 1)
        }
    }
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
