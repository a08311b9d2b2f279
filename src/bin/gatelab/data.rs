//! `--data FILE` (one, or a TRAIN/TEST pair) for `train`, `sweep` and `search`, and
//! `gatelab data FILE...`: what was read, and the classical baselines.

use crate::Args;
use gatelab::config::{parse, Config};
use gatelab::datafile::store::Store;
use gatelab::datafile::{DataInfo, DataKind, DataRef, File, MAX_FILE_BYTES};
use gatelab::tasks::TaskKind;
use std::path::Path;

/// Reads the files of `--data`, refusing any past the size limit before reading it.
fn files(args: &Args) -> Result<Vec<File>, String> {
    let paths = args.values("data");
    if paths.len() > 2 {
        return Err(format!("{} --data files: give one, or a TRAIN/TEST pair", paths.len()));
    }
    paths
        .iter()
        .map(|p| {
            let path = Path::new(p);
            let size = std::fs::metadata(path).map_err(|e| format!("cannot read {p}: {e}"))?.len();
            if size > MAX_FILE_BYTES {
                return Err(format!(
                    "{p} has {size} bytes; a data file may have at most {MAX_FILE_BYTES} (200 MB)"
                ));
            }
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {p}: {e}"))?;
            let name = path.file_name().map_or(p.to_string(), |n| n.to_string_lossy().into_owned());
            Ok(File { name, bytes })
        })
        .collect()
}

/// Reads `--data` and binds `c` to it: a query without `data=` takes the files' fingerprints;
/// a query with one must name exactly these files. Then the config must be able to run on them.
pub fn load(args: &Args, c: &mut Config) -> Result<(), String> {
    bind(&files(args)?, c, &mut Store::default())
}

/// `load` of files already read, into `store` (which reads each dataset once).
fn bind(files: &[File], c: &mut Config, store: &mut Store) -> Result<(), String> {
    if !files.is_empty() {
        let refs: Vec<DataRef> = files.iter().map(DataRef::of).collect();
        if c.data.is_empty() {
            c.data_bytes = refs.iter().map(|r| r.bytes).collect();
            c.data = refs;
        } else if c.data.iter().map(|r| r.sha256).ne(refs.iter().map(|r| r.sha256)) {
            let said = |v: &[DataRef]| {
                v.iter()
                    .map(|r| format!("{} (sha256 {}…)", r.name, &r.hex()[..12]))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(format!("the query's data is {} but --data gives {}", said(&c.data), said(&refs)));
        }
        store.install(files)?;
        c.bind(store);
    }
    match c.data_problem() {
        Some(p) => Err(p),
        None => Ok(()),
    }
}

fn describe(i: &DataInfo) -> String {
    let files: Vec<String> =
        i.files.iter().map(|r| format!("{} ({} bytes, sha256 {})", r.name, r.bytes, r.hex())).collect();
    let mut s = format!("files: {}\n", files.join(", "));
    match i.kind {
        DataKind::Classes => {
            s += &format!("labelled sequences (task=classify): {} in TRAIN, {} in TEST", i.train, i.test);
            if i.test == 0 {
                s += " (no TEST: a fifth of each class is held out to test)";
            }
            s += &format!(
                "\nlengths {} to {}, {} dimension(s), {} missing value(s) filled\n",
                i.min_len, i.max_len, i.dims, i.filled
            );
            let classes: Vec<String> = i.classes.iter().map(|(n, a, b)| format!("{n}: {a} + {b}")).collect();
            s += &format!("classes (TRAIN + TEST): {}", classes.join(", "));
        }
        DataKind::Series => {
            let cols: Vec<String> = i.columns.iter().map(|(n, m)| format!("{n} ({m} missing)")).collect();
            s += &format!(
                "a table of series (task=forecast): {} rows; numeric columns: {}",
                i.train,
                cols.join(", ")
            );
            for n in &i.notes {
                s += &format!("\nread as: {n}");
            }
        }
        DataKind::Text => {
            s += &format!(
                "a text (task=text): {} characters to train, {} held out; {} distinct",
                i.train, i.test, i.dims
            )
        }
    }
    s
}

/// What a forecast reads and how many missing values were filled in it (a series only).
pub fn filled(c: &Config) -> Option<String> {
    let task = c.task();
    let u = task.user().filter(|_| c.task == TaskKind::Forecast)?;
    let prepared = u.prepared().ok()?;
    let p = prepared.as_ref().as_ref().ok()?;
    Some(format!(
        "forecast of {} from {}: {} missing value(s) filled",
        p.names[0],
        p.names.join(", "),
        p.filled
    ))
}

/// `gatelab data FILE... [--query Q]`: what was read, and the baselines for the query (by
/// default the data's own task at its defaults).
pub fn data(args: &Args) -> Result<(), String> {
    let paths: Vec<String> = args.positional.clone();
    let mut with = Args {
        positional: Vec::new(),
        options: paths.iter().map(|p| ("data".to_string(), Some(p.clone()))).collect(),
    };
    with.options.extend(args.options.iter().filter(|o| o.0 != "data").cloned());
    let files = files(&with)?;
    let mut store = Store::default();
    let installed = store.install(&files)?;
    println!("{}", describe(&installed.info));
    let task = match installed.info.kind {
        DataKind::Classes => TaskKind::Classify,
        DataKind::Series => TaskKind::Forecast,
        DataKind::Text => TaskKind::Text,
    };
    let query = args.value("query").map_or(format!("task={}", task.name()), str::to_string);
    let mut c = parse(&query).map_err(|n| {
        format!("bad --query: {}", n.iter().map(|n| n.refusal()).collect::<Vec<_>>().join("; "))
    })?;
    bind(&files, &mut c, &mut store)?;
    let task = c.task();
    let u = task.user().expect("installed above");
    if let Some(line) = filled(&c) {
        println!("{line}");
    }
    let metric = c.task.about().metric_name;
    for (name, v) in u.baselines(c.task, c.seq_len()) {
        println!("baseline {name}: test {metric} {}", gatelab::stats::number(v));
    }
    println!("query: {c}");
    Ok(())
}
