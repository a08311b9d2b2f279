//! A zip of the files an experiment exports (curves, models, scripts, charts, summary), so
//! the page hands over one download. Built in a worker: the zip code is not part of the page's
//! start-up download.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Files by name, as a zip holds them.
pub type Files = Vec<(String, Vec<u8>)>;

/// The most bytes the files of one export may hold (charts and models of at most 30 runs).
pub const MAX_BYTES: usize = 256 << 20;

/// A zip of `files` (name, bytes), in the order given, stored without compression.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    if total > MAX_BYTES {
        return Err(format!("the export holds {total} bytes; at most {MAX_BYTES}"));
    }
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts).map_err(|e| format!("{name}: {e}"))?;
        w.write_all(bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_zip_holds_every_file_with_its_bytes() {
        let files = vec![
            ("curves/a.csv".to_string(), b"step,loss\n0,1\n".repeat(50)),
            ("charts/loss.png".to_string(), (0..=255u8).collect()),
        ];
        let bytes = zip(&files).unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 2);
        for (name, want) in &files {
            let mut got = Vec::new();
            z.by_name(name).unwrap().read_to_end(&mut got).unwrap();
            assert_eq!(&got, want, "{name}");
        }
    }
}
