//! The user's own data: a labelled set of sequences (UCR TSV, sktime/aeon `.ts`), a table of
//! series (CSV), or a text. One parser per format, used by the CLI and by the page's workers
//! alike, so both read the same numbers from the same bytes. Files are named in links by name,
//! size and SHA-256 (`DataRef`), never by value: the data stays where the user has it.

pub mod csv;
pub mod store;
pub mod text;
pub mod ts;
pub mod ucr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The most bytes a data file may have; larger ones are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 200 << 20;
/// The most sequences a labelled set may hold, and the longest a sequence may be.
pub const MAX_CASES: usize = 1_000_000;
pub const MAX_LEN: usize = 100_000;

/// A file as the user gave it.
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file as a link names it: its name, size and SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataRef {
    pub name: String,
    pub bytes: u64,
    pub sha256: [u8; 32],
}

impl DataRef {
    pub fn of(file: &File) -> DataRef {
        DataRef {
            name: clean_name(&file.name),
            bytes: file.bytes.len() as u64,
            sha256: Sha256::digest(&file.bytes).into(),
        }
    }

    pub fn hex(&self) -> String {
        self.sha256.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `NAME@sha256:HEX`, as the `data` key holds it.
    pub fn text(&self) -> String {
        format!("{}@sha256:{}", self.name, self.hex())
    }

    /// Reads `NAME@sha256:HEX` (the size is not part of it: 0 until known).
    pub fn parse(text: &str) -> Result<DataRef, String> {
        let (name, hex) = text.rsplit_once("@sha256:").ok_or(format!("{text:?} is not NAME@sha256:HEX"))?;
        let bytes = (0..32)
            .map(|i| hex.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect::<Option<Vec<u8>>>()
            .filter(|_| hex.len() == 64)
            .ok_or(format!("{text:?}: the SHA-256 must be 64 hexadecimal digits"))?;
        let name = clean_name(name);
        if name.is_empty() {
            return Err(format!("{text:?} has no file name"));
        }
        Ok(DataRef { name, bytes: 0, sha256: bytes.try_into().expect("32 bytes") })
    }
}

/// A file name as links carry it: at most 100 characters, none of the URL's separators.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control())
        .map(|c| if ",&=#@%+".contains(c) { '_' } else { c })
        .take(100)
        .collect()
}

/// What kind of problem a dataset poses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataKind {
    /// Labelled sequences: `task=classify`.
    Classes,
    /// Columns of series in time order: `task=forecast`.
    Series,
    /// A text: `task=text`.
    Text,
}

/// One labelled sequence: values per dimension (all of one length), and its class.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub series: Vec<Vec<f32>>, // [dims][len]
    pub label: usize,
}

impl Case {
    pub fn steps(&self) -> usize {
        self.series.first().map_or(0, Vec::len)
    }
}

/// A labelled set: its classes, cases from TRAIN, and from TEST if the files have one.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub classes: Vec<String>,
    pub dims: usize,
    pub train: Vec<Case>,
    pub test: Vec<Case>,
    /// Missing values filled by linear interpolation within their series.
    pub filled: usize,
}

/// A table of columns in time order (numbers; NaN where missing before filling).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: usize,
    /// What was assumed in reading it (an unnamed column, a row index left out).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    /// The values, NaN where missing; `None` if the column is not numeric.
    pub values: Option<Vec<f64>>,
    /// The first cell that is not a number: (line, text), naming the problem if it is used.
    pub bad: Option<(usize, String)>,
    pub missing: usize,
}

/// A parsed dataset.
#[derive(Clone, Debug, PartialEq)]
pub enum Dataset {
    Labelled(Labelled),
    Table(Table),
    Text(text::Corpus),
}

/// What a dataset is, without its values: all the page needs to show it and size its
/// networks (the values stay in the workers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataInfo {
    pub files: Vec<DataRef>,
    pub kind: DataKind,
    /// Classes: inputs per step; text: the vocabulary's size.
    pub dims: usize,
    /// Classes with their counts in TRAIN (and in TEST).
    pub classes: Vec<(String, usize, usize)>,
    /// Cases in TRAIN and TEST (classes), rows (series), characters (text).
    pub train: usize,
    pub test: usize,
    /// Shortest and longest sequence (classes), rows (series).
    pub min_len: usize,
    pub max_len: usize,
    /// Numeric columns (series), with the missing values each had.
    pub columns: Vec<(String, usize)>,
    /// Missing values filled (classes).
    pub filled: usize,
    /// The characters of a text, in vocabulary order.
    pub vocab: String,
    /// What was assumed in reading the files, for people.
    pub notes: Vec<String>,
}

impl Dataset {
    pub fn kind(&self) -> DataKind {
        match self {
            Dataset::Labelled(_) => DataKind::Classes,
            Dataset::Table(_) => DataKind::Series,
            Dataset::Text(_) => DataKind::Text,
        }
    }

    pub fn info(&self, files: Vec<DataRef>) -> DataInfo {
        let mut i = DataInfo {
            files,
            kind: self.kind(),
            dims: 0,
            classes: Vec::new(),
            train: 0,
            test: 0,
            min_len: 0,
            max_len: 0,
            columns: Vec::new(),
            filled: 0,
            vocab: String::new(),
            notes: Vec::new(),
        };
        match self {
            Dataset::Labelled(l) => {
                let count = |cases: &[Case], k: usize| cases.iter().filter(|c| c.label == k).count();
                i.classes = l
                    .classes
                    .iter()
                    .enumerate()
                    .map(|(k, n)| (n.clone(), count(&l.train, k), count(&l.test, k)))
                    .collect();
                let lens = l.train.iter().chain(&l.test).map(Case::steps);
                (i.min_len, i.max_len) = (lens.clone().min().unwrap_or(0), lens.max().unwrap_or(0));
                (i.dims, i.train, i.test, i.filled) = (l.dims, l.train.len(), l.test.len(), l.filled);
            }
            Dataset::Table(t) => {
                i.columns = t
                    .columns
                    .iter()
                    .filter(|c| c.values.is_some())
                    .map(|c| (c.name.clone(), c.missing))
                    .collect();
                (i.train, i.min_len, i.max_len) = (t.rows, t.rows, t.rows);
                i.notes.clone_from(&t.notes);
            }
            Dataset::Text(c) => {
                i.vocab = c.vocab.iter().collect();
                (i.dims, i.train, i.test) = (c.vocab.len(), c.train.len(), c.held_out.len());
            }
        }
        i
    }
}

/// The format of a file, from its name, or else from its first lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Ts,
    Ucr,
    Csv,
    Text,
}

fn format_of(file: &File) -> Format {
    let lower = file.name.to_ascii_lowercase();
    for (ext, f) in
        [(".ts", Format::Ts), (".tsv", Format::Ucr), (".csv", Format::Csv), (".txt", Format::Text)]
    {
        if lower.ends_with(ext) {
            return f;
        }
    }
    let head = String::from_utf8_lossy(&file.bytes[..file.bytes.len().min(4096)]).into_owned();
    let first = head.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if first.starts_with('#') || first.starts_with('@') {
        Format::Ts
    } else if first.contains('\t') {
        Format::Ucr
    } else if first.contains(',') || first.contains(';') {
        Format::Csv
    } else {
        Format::Text
    }
}

/// Which of two files is TRAIN and which TEST: by name, else in the order given.
fn train_test(files: &[File]) -> (&File, &File) {
    let is_test = |f: &File| f.name.to_ascii_uppercase().contains("TEST");
    if is_test(&files[0]) && !is_test(&files[1]) {
        (&files[1], &files[0])
    } else {
        (&files[0], &files[1])
    }
}

/// Reads one file, or a TRAIN/TEST pair of labelled sets. Errors name the file and, where
/// there is one, the line and column.
pub fn read(files: &[File]) -> Result<Dataset, String> {
    if let Some(big) = files.iter().find(|f| f.bytes.len() as u64 > MAX_FILE_BYTES) {
        return Err(format!(
            "{} has {} bytes; a data file may have at most {MAX_FILE_BYTES} (200 MB)",
            big.name,
            big.bytes.len()
        ));
    }
    match files {
        [] => Err("no file".into()),
        [one] => read_one(one),
        [a, b] => {
            let (train, test) = train_test(files);
            let (fa, fb) = (format_of(a), format_of(b));
            if fa != fb {
                return Err(format!("{} and {} are not of one format", a.name, b.name));
            }
            let (Dataset::Labelled(tr), Dataset::Labelled(te)) = (read_one(train)?, read_one(test)?) else {
                return Err("two files make a TRAIN/TEST pair of labelled sets (.ts or UCR .tsv) only".into());
            };
            join(tr, te, &test.name).map(Dataset::Labelled)
        }
        _ => Err(format!("{} files: give one file, or a TRAIN/TEST pair", files.len())),
    }
}

fn read_one(f: &File) -> Result<Dataset, String> {
    if f.bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(format!("{} is empty", f.name));
    }
    let d = match format_of(f) {
        Format::Ts => Dataset::Labelled(ts::parse(&f.name, &utf8(f)?)?),
        Format::Ucr => Dataset::Labelled(ucr::parse(&f.name, &utf8(f)?)?),
        Format::Csv => Dataset::Table(csv::parse(&f.name, &utf8(f)?)?),
        Format::Text => Dataset::Text(text::Corpus::new(&f.name, &utf8(f)?)?),
    };
    if let Dataset::Labelled(l) = &d {
        check_labelled(&f.name, l)?;
    }
    Ok(d)
}

/// The file's text, or where it stops being UTF-8.
fn utf8(f: &File) -> Result<String, String> {
    let text = std::str::from_utf8(&f.bytes).map_err(|e| {
        format!("{} is not UTF-8 text: byte {} is not valid UTF-8", f.name, e.valid_up_to() + 1)
    })?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn check_labelled(name: &str, l: &Labelled) -> Result<(), String> {
    if l.train.is_empty() {
        return Err(format!("{name} holds no sequence"));
    }
    if l.train.len() > MAX_CASES {
        return Err(format!("{name} holds {} sequences; at most {MAX_CASES}", l.train.len()));
    }
    if let Some(c) = l.train.iter().find(|c| c.steps() > MAX_LEN) {
        return Err(format!("{name}: a sequence has {} steps; at most {MAX_LEN}", c.steps()));
    }
    Ok(())
}

/// TRAIN and TEST as one set: TEST's labels must all be TRAIN's, and the dimensions agree.
fn join(mut train: Labelled, test: Labelled, test_name: &str) -> Result<Labelled, String> {
    if train.dims != test.dims {
        return Err(format!("{test_name} has {} dimensions; TRAIN has {}", test.dims, train.dims));
    }
    let mut cases = Vec::with_capacity(test.train.len());
    for c in test.train {
        let name = &test.classes[c.label];
        let label = train
            .classes
            .iter()
            .position(|n| n == name)
            .ok_or(format!("{test_name}: the label {name:?} never appears in TRAIN"))?;
        cases.push(Case { label, ..c });
    }
    train.test = cases;
    train.filled += test.filled;
    Ok(train)
}

/// Fills NaNs of a series by linear interpolation between their neighbours (the ends take the
/// nearest value). Returns how many were filled, or None if every value is missing.
pub fn fill(series: &mut [f64]) -> Option<usize> {
    let known: Vec<usize> = (0..series.len()).filter(|&i| series[i].is_finite()).collect();
    let (&first, &last) = (known.first()?, known.last()?);
    let missing = series.len() - known.len();
    for i in 0..series.len() {
        if series[i].is_finite() {
            continue;
        }
        series[i] = if i < first {
            series[first]
        } else if i > last {
            series[last]
        } else {
            let hi = known[known.partition_point(|&k| k < i)];
            let lo = known[known.partition_point(|&k| k < i) - 1];
            let t = (i - lo) as f64 / (hi - lo) as f64;
            series[lo] + t * (series[hi] - series[lo])
        };
    }
    Some(missing)
}

/// What a cell of numbers holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    Number(f64),
    /// Empty, NA, NaN, ?, null.
    Missing,
    /// Text, or a number past f32's range (about 3.4e38), which no network can read.
    NotANumber,
}

pub fn cell(text: &str) -> Cell {
    let c = text.trim();
    if c.is_empty() || c == "?" || ["na", "nan", "null", "n/a"].contains(&c.to_ascii_lowercase().as_str()) {
        return Cell::Missing;
    }
    match c.parse::<f64>() {
        Ok(v) if v.abs() <= f32::MAX as f64 => Cell::Number(v),
        _ => Cell::NotANumber,
    }
}

impl Cell {
    /// The value, NaN where missing; None for a cell that is not a number.
    pub fn value(self) -> Option<f64> {
        match self {
            Cell::Number(v) => Some(v),
            Cell::Missing => Some(f64::NAN),
            Cell::NotANumber => None,
        }
    }
}

#[cfg(test)]
mod tests;
