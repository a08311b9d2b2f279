//! Datasets by the fingerprint of their files. A `Store` is owned by whoever reads files (the
//! CLI, each of the page's workers, the page's own threads) and a config is bound to one of its
//! datasets explicitly (`Config::bind`): nothing is looked up behind a config's back, so the
//! same config value means the same data wherever it goes. The page's own threads hold only a
//! dataset's `DataInfo` (what they need to draw, size and estimate).

use super::{read, DataInfo, DataRef, Dataset, File};
use std::sync::{Arc, Mutex};

/// The fingerprint of a dataset: its files' SHA-256s, in order.
pub type DataKey = Vec<[u8; 32]>;

pub fn key(refs: &[DataRef]) -> DataKey {
    refs.iter().map(|r| r.sha256).collect()
}

/// A dataset as read: its description, and its values where they were parsed.
pub struct Installed {
    pub key: DataKey,
    pub info: DataInfo,
    pub data: Option<Dataset>,
    /// What tasks derived from it, by what they derived it for (e.g. a forecast's columns).
    pub derived: Mutex<Vec<(String, Arc<dyn std::any::Any + Send + Sync>)>>,
}

impl Installed {
    /// Parses files whole.
    pub fn read(files: &[File]) -> Result<Installed, String> {
        let refs: Vec<DataRef> = files.iter().map(DataRef::of).collect();
        let data = read(files)?;
        let info = data.info(refs.clone());
        Ok(Installed { key: key(&refs), info, data: Some(data), derived: Mutex::new(Vec::new()) })
    }

    /// What a worker found a dataset to be, without its values (the page's threads).
    pub fn described(info: DataInfo) -> Installed {
        Installed { key: key(&info.files), info, data: None, derived: Mutex::new(Vec::new()) }
    }

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

/// The most datasets a store keeps at once (a page may open several files in a row).
const KEEP: usize = 4;

/// The datasets one reader holds, newest last.
#[derive(Default)]
pub struct Store {
    sets: Vec<Arc<Installed>>,
}

impl Store {
    fn put(&mut self, entry: Installed) -> Arc<Installed> {
        let entry = Arc::new(entry);
        self.sets.retain(|e| e.key != entry.key);
        self.sets.push(entry.clone());
        let over = self.sets.len().saturating_sub(KEEP);
        self.sets.drain(..over);
        entry
    }

    /// Parses and keeps files (a no-op for files already kept with their values).
    pub fn install(&mut self, files: &[File]) -> Result<Arc<Installed>, String> {
        let refs: Vec<DataRef> = files.iter().map(DataRef::of).collect();
        if let Some(hit) = self.get(&key(&refs)).filter(|e| e.data.is_some()) {
            return Ok(hit);
        }
        Ok(self.put(Installed::read(files)?))
    }

    /// Keeps what a worker found a dataset to be (unless its values are already here).
    pub fn install_info(&mut self, info: DataInfo) -> Arc<Installed> {
        match self.get(&key(&info.files)) {
            Some(hit) => hit,
            None => self.put(Installed::described(info)),
        }
    }

    pub fn get(&self, key: &DataKey) -> Option<Arc<Installed>> {
        self.sets.iter().find(|e| e.key == *key).cloned()
    }
}
