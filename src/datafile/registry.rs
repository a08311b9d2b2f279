//! The datasets this process holds, by the fingerprint of their files: the CLI and each of the
//! page's workers parse the files and install them whole; the page's own thread installs only
//! their `DataInfo` (what it needs to draw, size and estimate). Tasks find them here by key.

use super::{read, DataInfo, DataRef, Dataset, File};
use std::sync::{Arc, Mutex};

/// The fingerprint of a dataset: its files' SHA-256s, in order.
pub type DataKey = Vec<[u8; 32]>;

pub fn key(refs: &[DataRef]) -> DataKey {
    refs.iter().map(|r| r.sha256).collect()
}

/// A dataset as installed: its description, and its values where they were parsed.
pub struct Installed {
    pub key: DataKey,
    pub info: DataInfo,
    pub data: Option<Dataset>,
    /// What tasks derived from it, by what they derived it for (e.g. a forecast's columns).
    pub derived: Mutex<Vec<(String, Arc<dyn std::any::Any + Send + Sync>)>>,
}

impl Installed {
    /// `make()` for `what`, once: the result is kept with the dataset.
    pub fn derive<T: Send + Sync + 'static>(&self, what: &str, make: impl FnOnce() -> T) -> Arc<T> {
        let mut d = self.derived.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = d.iter().find(|(w, _)| w == what).and_then(|(_, v)| v.clone().downcast::<T>().ok())
        {
            return hit;
        }
        let made = Arc::new(make());
        d.push((what.to_string(), made.clone()));
        made
    }
}

/// The most datasets kept at once (a page may open several files in a row).
const KEEP: usize = 4;

static INSTALLED: Mutex<Vec<Arc<Installed>>> = Mutex::new(Vec::new());

fn put(entry: Installed) -> Arc<Installed> {
    let entry = Arc::new(entry);
    let mut all = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    all.retain(|e| e.key != entry.key);
    all.push(entry.clone());
    let over = all.len().saturating_sub(KEEP);
    all.drain(..over);
    entry
}

/// Parses and installs files (a no-op for files already installed with their values).
pub fn install(files: &[File]) -> Result<Arc<Installed>, String> {
    let refs: Vec<DataRef> = files.iter().map(DataRef::of).collect();
    if let Some(hit) = get(&key(&refs)).filter(|e| e.data.is_some()) {
        return Ok(hit);
    }
    let data = read(files)?;
    let info = data.info(refs.clone());
    Ok(put(Installed { key: key(&refs), info, data: Some(data), derived: Mutex::new(Vec::new()) }))
}

/// Installs what a worker found a dataset to be, without its values (the page's thread).
pub fn install_info(info: DataInfo) -> Arc<Installed> {
    let key = key(&info.files);
    put(Installed { key, info, data: None, derived: Mutex::new(Vec::new()) })
}

pub fn get(key: &DataKey) -> Option<Arc<Installed>> {
    INSTALLED.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|e| e.key == *key).cloned()
}
