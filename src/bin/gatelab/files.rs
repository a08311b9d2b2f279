//! Reading and writing the CLI's files, with errors that name the file.

use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Appends one line with a single write on a file opened for appending: concurrent writers
/// (shards sharing a folder) never interleave within a line, and a kill leaves at worst a
/// partial last line, which readers skip.
pub fn append_line(path: &Path, line: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut bytes = line.as_bytes().to_vec();
    bytes.push(b'\n');
    f.write_all(&bytes).map_err(|e| format!("cannot append to {}: {e}", path.display()))
}

/// A text file of at most `max` bytes.
pub fn read_text(path: &Path, what: &str, max: u64) -> Result<String, String> {
    let size =
        std::fs::metadata(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?.len();
    if size > max {
        return Err(format!("{what} {} has {size} bytes; at most {max}", path.display()));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
}

pub fn read_json(path: &Path, what: &str, max: u64) -> Result<Value, String> {
    let text = read_text(path, what, max)?;
    serde_json::from_str(&text).map_err(|e| format!("{what} {} is not valid JSON: {e}", path.display()))
}

pub fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).expect("plain data serialises")
}
