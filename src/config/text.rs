//! A key's value to and from its text in the query, by its kind. Problems become notices and the
//! value is clamped or left as it was; nothing here panics, whatever the input.

use super::keys::{Key, Kind, Scale, Value};
use super::Range;

/// A problem with a value and what was done about it ("ignored", "using 256"): the page goes
/// on with the fix, the CLI refuses the query and says only the problem.
pub type Fixed = (String, String);

/// Lists (sweeps) keep at most this many values.
pub const MAX_LIST: usize = 12;

/// Parses `text` as a value of `kind`. Pushes one message per problem; returns None when nothing
/// usable is left (the key then keeps its value).
pub fn parse(kind: Kind, text: &str, problems: &mut Vec<Fixed>) -> Option<Value> {
    let text = text.trim();
    match kind {
        Kind::Int { lo, hi } => int(text, lo, hi, problems).map(Value::Int),
        Kind::Float { lo, hi } => float(text, lo, hi, problems).map(Value::Float),
        Kind::Choice(names) => match names.iter().position(|n| *n == text) {
            Some(i) => Some(Value::Choice(i)),
            None => {
                problems.push((format!("{text:?} is not one of {}", names.join("|")), "ignored".into()));
                None
            }
        },
        Kind::Flag => match text {
            "0" => Some(Value::Flag(false)),
            "1" => Some(Value::Flag(true)),
            _ => {
                problems.push((format!("{text:?} is not 0 or 1"), "ignored".into()));
                None
            }
        },
        Kind::Ints { lo, hi } => list(text, problems, |t, p| int(t, lo, hi, p)).map(Value::Ints),
        Kind::Floats { lo, hi } => list(text, problems, |t, p| float(t, lo, hi, p)).map(Value::Floats),
        Kind::Subset(names) => subset(text, names, problems).map(Value::Subset),
        Kind::Name => name(text, problems).map(Value::Text),
        Kind::Names => list(text, problems, name).map(Value::Texts),
        Kind::Files => files(text, problems).map(Value::Files),
    }
}

/// A searched key's range `lo..hi`: both ends of the key's kind and range, lo at most hi,
/// and for a log scale, above 0. Only keys with a search scale take one.
pub fn range(key: &Key, text: &str, problems: &mut Vec<Fixed>) -> Option<Range> {
    let Some(scale) = key.search else {
        problems.push((format!("{text:?}: {} takes no range lo..hi", key.name), "ignored".into()));
        return None;
    };
    if text.contains(',') {
        problems.push((format!("{text:?}: a range and a list cannot be mixed"), "ignored".into()));
        return None;
    }
    let (a, b) = text.split_once("..")?;
    let end = |t: &str, problems: &mut Vec<Fixed>| -> Option<f64> {
        match key.kind {
            Kind::Int { lo, hi } | Kind::Ints { lo, hi } => int(t.trim(), lo, hi, problems).map(|v| v as f64),
            Kind::Float { lo, hi } | Kind::Floats { lo, hi } => {
                float(t.trim(), lo, hi, problems).map(|v| v as f64)
            }
            _ => None,
        }
    };
    let (lo, hi) = (end(a, problems)?, end(b, problems)?);
    if lo > hi {
        let r = Range { key: key.name, lo: hi, hi: lo };
        let (a, b) = format_range(key.kind, &r)
            .split_once("..")
            .map(|(a, b)| (b.to_string(), a.to_string()))
            .unwrap_or_default();
        problems.push((format!("{text:?}: {a} is above {b}"), "ignored".into()));
        return None;
    }
    if scale == Scale::Log && lo <= 0.0 {
        problems.push((format!("{text:?}: a log-uniform range must start above 0"), "ignored".into()));
        return None;
    }
    Some(Range { key: key.name, lo, hi })
}

/// `lo..hi` as the query writes it.
pub fn format_range(kind: Kind, r: &Range) -> String {
    match kind {
        Kind::Int { .. } | Kind::Ints { .. } => format!("{}..{}", r.lo as u64, r.hi as u64),
        _ => format!("{}..{}", r.lo as f32, r.hi as f32),
    }
}

/// A column's name: 1 to 100 characters.
fn name(text: &str, problems: &mut Vec<Fixed>) -> Option<String> {
    match text.chars().count() {
        0 => {
            problems.push(("an empty name".into(), "ignored".into()));
            None
        }
        1..=100 => Some(text.to_string()),
        n => {
            problems.push((format!("a name of {n} characters (at most 100)"), "ignored".into()));
            None
        }
    }
}

/// Files by fingerprint: one, or a TRAIN/TEST pair.
fn files(text: &str, problems: &mut Vec<Fixed>) -> Option<Vec<crate::datafile::DataRef>> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match crate::datafile::DataRef::parse(part) {
            Ok(r) if !out.contains(&r) => out.push(r),
            Ok(_) => problems.push(("a file is listed twice".into(), "kept once".into())),
            Err(e) => problems.push((e.to_string(), "ignored".into())),
        }
    }
    if out.len() > 2 {
        problems
            .push((format!("{} files: one, or a TRAIN/TEST pair", out.len()), "kept the first two".into()));
        out.truncate(2);
    }
    (!out.is_empty()).then_some(out)
}

fn int(text: &str, lo: u64, hi: u64, problems: &mut Vec<Fixed>) -> Option<u64> {
    match text.parse::<i128>() {
        Ok(x) if x < lo as i128 || x > hi as i128 => {
            let clamped = x.clamp(lo as i128, hi as i128) as u64;
            problems.push((format!("{x} is out of range {lo}-{hi}"), format!("using {clamped}")));
            Some(clamped)
        }
        Ok(x) => Some(x as u64),
        Err(_) => {
            problems.push((format!("{text:?} is not a whole number ({lo}-{hi})"), "ignored".into()));
            None
        }
    }
}

fn float(text: &str, lo: f32, hi: f32, problems: &mut Vec<Fixed>) -> Option<f32> {
    match text.parse::<f32>() {
        Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Some(x),
        Ok(x) if x.is_finite() || (x.is_infinite() && !text.to_ascii_lowercase().contains("inf")) => {
            // Finite, or a literal too large for f32 (such as 1e39): clamp.
            let clamped = x.clamp(lo, hi);
            problems.push((format!("{text} is out of range {lo}-{hi}"), format!("using {clamped}")));
            Some(clamped)
        }
        _ => {
            problems.push((format!("{text:?} is not a number ({lo}-{hi})"), "ignored".into()));
            None
        }
    }
}

/// A comma-separated list: each item checked, repeats dropped (keeping the first), at most
/// `MAX_LIST` values.
fn list<T: PartialEq + std::fmt::Display>(
    text: &str,
    problems: &mut Vec<Fixed>,
    item: impl Fn(&str, &mut Vec<Fixed>) -> Option<T>,
) -> Option<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for part in text.split(',') {
        let Some(v) = item(part.trim(), problems) else { continue };
        if out.contains(&v) {
            problems.push((format!("{v} is listed twice"), "kept once".into()));
        } else {
            out.push(v);
        }
    }
    if out.len() > MAX_LIST {
        problems.push((
            format!("at most {MAX_LIST} values"),
            format!("kept the first {MAX_LIST} of {}", out.len()),
        ));
        out.truncate(MAX_LIST);
    }
    (!out.is_empty()).then_some(out)
}

fn subset(text: &str, names: &[&str], problems: &mut Vec<Fixed>) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match names.iter().position(|n| *n == name) {
            Some(i) if !out.contains(&i) => out.push(i),
            Some(_) => problems.push((format!("{name} is listed twice"), "kept once".into())),
            None => problems.push((format!("{name:?} is not one of {}", names.join(", ")), "ignored".into())),
        }
    }
    if out.is_empty() {
        problems.push(("nothing usable is left".into(), "kept the previous value".into()));
        return None;
    }
    out.sort();
    Some(out)
}

/// The text of a value of `kind`, as the URL carries it.
pub fn format(kind: Kind, v: &Value) -> String {
    fn join<T: std::fmt::Display>(v: &[T]) -> String {
        v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
    }
    match (kind, v) {
        (Kind::Choice(names), Value::Choice(i)) => names.get(*i).copied().unwrap_or("").to_string(),
        (Kind::Subset(names), Value::Subset(ix)) => {
            ix.iter().filter_map(|&i| names.get(i).copied()).collect::<Vec<_>>().join(",")
        }
        (_, Value::Int(x)) => x.to_string(),
        (_, Value::Float(x)) => x.to_string(),
        (_, Value::Flag(b)) => (*b as u8).to_string(),
        (_, Value::Ints(x)) => join(x),
        (_, Value::Floats(x)) => join(x),
        (_, Value::Text(t)) => encode(t),
        (_, Value::Texts(x)) => x.iter().map(|t| encode(t)).collect::<Vec<_>>().join(","),
        (_, Value::Files(x)) => x.iter().map(|r| encode(&r.text())).collect::<Vec<_>>().join(","),
        _ => String::new(),
    }
}

/// Percent-encoding of what a name may hold that a query cannot: everything but letters,
/// digits and `-_.~@:`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~@:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding of a query component ('+' is a space); invalid escapes stay as they are.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
