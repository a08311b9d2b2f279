//! A CSV of series: a header row, then one row per time step, one column per variable (a date
//! or year column may be among them). `,` or `;` separate cells (whichever the header uses);
//! cells may be quoted ("" is a quote inside one); CRLF and a UTF-8 byte-order mark are fine;
//! empty cells, `NA`, `NaN` and `?` are missing values. A header cell left empty is named by its
//! column number, and a first column without a name holding 0, 1, 2, ... is the row index that
//! pandas' `to_csv()` writes: it is left out. A year column followed by twelve month columns is
//! read as the one monthly series it is, in time order. Each is said in the table's notes.

use super::ts::short;
use super::{cell, Cell, Column, Table};

/// The cells of one line, split on `sep` outside quotes.
fn cells(line: &str, sep: char) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

pub fn parse(name: &str, text: &str) -> Result<Table, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(format!("{name} is empty"))?;
    let sep = if header.matches(';').count() > header.matches(',').count() { ';' } else { ',' };
    let mut names: Vec<String> =
        cells(header.trim_end_matches('\r'), sep).into_iter().map(|c| c.trim().to_string()).collect();
    let unnamed: Vec<usize> = (0..names.len()).filter(|&k| names[k].is_empty()).collect();
    for &k in &unnamed {
        names[k] = format!("column {}", k + 1);
    }
    let mut columns: Vec<Column> = names
        .into_iter()
        .map(|name| Column { name, values: Some(Vec::new()), bad: None, missing: 0 })
        .collect();
    let mut rows = 0;
    for (i, line) in lines {
        let row = cells(line.trim_end_matches('\r'), sep);
        if row.len() != columns.len() {
            return Err(format!(
                "{name} line {}: {} cells; the header has {}",
                i + 1,
                row.len(),
                columns.len()
            ));
        }
        for (col, text) in columns.iter_mut().zip(&row) {
            let c = cell(text);
            col.missing += (c == Cell::Missing) as usize;
            match (c.value(), &mut col.values) {
                (Some(v), Some(vals)) => vals.push(v),
                (Some(_), None) => {}
                (None, _) => {
                    col.values = None;
                    col.bad.get_or_insert((i + 1, short(text)));
                }
            }
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(format!("{name} has a header row and no data"));
    }
    let mut notes = Vec::new();
    let index = unnamed.first() == Some(&0) && columns[0].values.as_ref().is_some_and(|v| is_index(v));
    if index {
        columns.remove(0);
        notes.push(
            "its first column has no name and counts 0, 1, 2, ...: a row index (as pandas writes), left out"
                .into(),
        );
    }
    for k in unnamed.into_iter().skip(index as usize) {
        notes.push(format!("column {} has no name in the header row: called \"column {}\"", k + 1, k + 1));
    }
    Ok(months_in_time_order(Table { columns, rows, notes }))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether `name` names month `m` (0-based): "Jan", "January", "Sept.", or its number.
fn names_month(name: &str, m: usize) -> bool {
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    n == (m + 1).to_string() || (n.len() >= 3 && MONTHS[m].starts_with(&n))
}

/// A wide table (a year column, then one column per month, as many climate files are) read as
/// the one monthly series it is, in time order; any other table as it is.
fn months_in_time_order(t: Table) -> Table {
    let wide = t.columns.len() == 13
        && t.columns[1..].iter().enumerate().all(|(m, c)| names_month(&c.name, m) && c.values.is_some())
        && t.columns[0]
            .values
            .as_ref()
            .is_some_and(|y| y.iter().all(|v| v.fract() == 0.0) && y.windows(2).all(|w| w[1] == w[0] + 1.0));
    if !wide {
        return t;
    }
    let years = t.columns[0].values.clone().unwrap_or_default();
    let (mut time, mut values) = (Vec::new(), Vec::new());
    for (r, y) in years.iter().enumerate() {
        for (m, c) in t.columns[1..].iter().enumerate() {
            time.push(y + m as f64 / 12.0);
            values.push(c.values.as_ref().map_or(f64::NAN, |v| v[r]));
        }
    }
    let missing = t.columns[1..].iter().map(|c| c.missing).sum();
    let mut notes = t.notes;
    notes.push(format!(
        "a year column ({}) and 12 month columns ({} to {}): one monthly series in time order, {} years x 12 = {} values (period=12 gives the seasonal baseline its year)",
        t.columns[0].name,
        t.columns[1].name,
        t.columns[12].name,
        t.rows,
        values.len()
    ));
    let rows = values.len();
    Table {
        columns: vec![
            Column { name: "time".into(), values: Some(time), bad: None, missing: 0 },
            Column { name: "monthly".into(), values: Some(values), bad: None, missing },
        ],
        rows,
        notes,
    }
}

/// Whether `v` is 0, 1, 2, ... (a row index).
fn is_index(v: &[f64]) -> bool {
    v.iter().enumerate().all(|(k, &x)| x == k as f64)
}

impl Table {
    /// The column named `key`, or the `key`-th (1-based) if no name matches; numeric, with
    /// at least one value.
    pub fn column(&self, file: &str, key: &str) -> Result<usize, String> {
        let k = self
            .columns
            .iter()
            .position(|c| c.name == key)
            .or_else(|| {
                key.parse::<usize>().ok().filter(|&k| (1..=self.columns.len()).contains(&k)).map(|k| k - 1)
            })
            .ok_or_else(|| {
                let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
                format!("{file} has no column {key:?}; its columns: {}", names.join(", "))
            })?;
        let c = &self.columns[k];
        if let Some((line, text)) = &c.bad {
            return Err(format!(
                "{file} line {line}, column {} ({}): {text:?} is not a number",
                k + 1,
                c.name
            ));
        }
        if c.missing == self.rows {
            return Err(format!("{file}: column {} ({}) has no value at all", k + 1, c.name));
        }
        Ok(k)
    }

    /// The default target: the last numeric column (a date or year column usually comes first).
    pub fn default_column(&self) -> Option<usize> {
        self.columns.iter().rposition(|c| c.values.is_some() && c.missing < self.rows)
    }
}
