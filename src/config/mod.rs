//! The one experiment config, its validation, and its one text form: a URL query string such as
//! `task=adding&len=50&cells=16&archs=lstm,gru&lr=0.01&batch=32&steps=2000&seed=1&seeds=3`.
//! The page's URL, its share links and the CLI all go through `parse` / `Display`, which read the
//! key table in `keys.rs`. Lists (`cells=4,8,16`, `len=20,50`, `lr=0.003,0.01`) make a sweep;
//! `seeds=N` does not: every comparison runs over seeds.

pub mod keys;
mod table;
pub mod text;

pub use table::KEYS;

use crate::datafile::store::{key, Installed, Store};
use crate::datafile::DataRef;
use crate::nn::init::InitOptions;
use crate::nn::optim::{OptimConfig, OptimKind};
use crate::nn::{Arch, Dims};
use crate::tasks::{Task, TaskKind, UserData};
use keys::Value;
use std::fmt;

/// What a config asks for; the experiment layer plans each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Every architecture and seed at one setting, compared.
    Train,
    /// A grid of settings, then each architecture's best confirmed on fresh seeds.
    Sweep,
    /// Trials in ranges with successive halving, then the confirmation.
    Search,
}

impl Plan {
    /// The CLI command that runs it.
    pub fn command(self) -> &'static str {
        match self {
            Plan::Train => "train",
            Plan::Sweep => "sweep",
            Plan::Search => "search",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub task: TaskKind,
    pub lens: Vec<usize>,
    pub test_len: Option<usize>,
    pub cells: Vec<usize>,
    pub archs: Vec<Arch>,
    pub match_params: bool,
    pub layers: usize,
    pub lrs: Vec<f32>,
    pub batch: usize,
    pub train: usize,
    pub steps: usize,
    pub every: Option<usize>,
    pub optim: OptimKind,
    pub momentum: f32,
    pub clip: f32,
    pub forget_bias: bool,
    pub orthogonal: bool,
    pub tbptt: usize,
    pub symbols: usize,
    pub parity_every_step: bool,
    pub pairs: usize,
    pub seed: u64,
    pub seeds: usize,
    pub confirm: usize,
    pub speed: usize,
    pub temp: f32,
    /// The user's files, by fingerprint, and their sizes in bytes (as far as known).
    pub data: Vec<DataRef>,
    pub data_bytes: Vec<u64>,
    /// forecast: the target column (None: the last numeric one), other input columns, how many
    /// values ahead, and the seasonal period of MASE's naive scale.
    pub column: Option<String>,
    pub inputs: Vec<String>,
    pub horizon: usize,
    pub period: usize,
    /// A search: the keys it ranges over (`lr=1e-4..0.1`), its trials and its halving.
    pub ranges: Vec<Range>,
    pub trials: usize,
    pub halving: usize,
    /// The dataset `data` names, as read by whoever bound it (`bind`); not part of the text.
    pub bound: Bound,
}

/// The dataset a config is bound to. Two configs compare equal here when both name the same
/// dataset or neither has one: what matters is which data, not which copy of it.
#[derive(Clone, Default)]
pub struct Bound(Option<std::sync::Arc<Installed>>);

impl PartialEq for Bound {
    fn eq(&self, other: &Bound) -> bool {
        self.0.as_ref().map(|s| &s.key) == other.0.as_ref().map(|s| &s.key)
    }
}

impl fmt::Debug for Bound {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.0 {
            Some(s) => write!(f, "Bound({} files)", s.key.len()),
            None => write!(f, "Unbound"),
        }
    }
}

/// A searched key's range, `lo..hi` (inclusive), in the key's own units.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub key: &'static str,
    pub lo: f64,
    pub hi: f64,
}

/// One problem with one key of a query: the page shows it, the CLI exits 2 on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub key: String,
    /// What is wrong with the query.
    pub problem: String,
    /// What a lenient parse did about it (the page goes on with it).
    pub fix: String,
}

/// The page's words: the problem and what was done about it.
impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}; {}", self.key, self.problem, self.fix)
    }
}

impl Notice {
    /// The CLI's words: the problem alone (a strict parse refuses the query, fixing nothing).
    pub fn refusal(&self) -> String {
        format!("{}: {}", self.key, self.problem)
    }
}

fn note(key: &str, (problem, fix): text::Fixed) -> Notice {
    Notice { key: key.to_string(), problem, fix }
}

impl Config {
    /// Every key at its default for `task`: chosen so that each task's default run learns
    /// within its step budget.
    pub fn defaults(task: TaskKind) -> Config {
        let mut c = Config {
            task,
            lens: vec![],
            test_len: None,
            cells: vec![],
            archs: vec![],
            match_params: false,
            layers: 1,
            lrs: vec![],
            batch: 0,
            train: 0,
            steps: 0,
            every: None,
            optim: OptimKind::Adam,
            momentum: 0.0,
            clip: 0.0,
            forget_bias: false,
            orthogonal: false,
            tbptt: 0,
            symbols: 0,
            parity_every_step: true,
            pairs: 1,
            seed: 0,
            seeds: 0,
            confirm: 0,
            speed: 0,
            temp: 0.0,
            data: Vec::new(),
            data_bytes: Vec::new(),
            column: None,
            inputs: Vec::new(),
            horizon: 1,
            period: 1,
            ranges: Vec::new(),
            trials: 0,
            halving: 0,
            bound: Bound::default(),
        };
        for k in KEYS {
            (k.set)(&mut c, (k.default)(task));
        }
        c
    }

    /// Binds the config to the dataset its `data` names, if `store` holds it (else unbinds it).
    pub fn bind(&mut self, store: &Store) {
        self.bound = Bound(self.uses_data().then(|| store.get(&key(&self.data))).flatten());
    }

    /// Whether the config is bound to the dataset its `data` names now.
    pub fn is_bound(&self) -> bool {
        self.bound.0.as_ref().is_some_and(|s| s.key == key(&self.data))
    }

    pub fn task(&self) -> Task {
        let data = (self.uses_data() && self.is_bound()).then(|| self.bound.0.clone()).flatten().map(|set| {
            UserData {
                set,
                column: self.column.clone(),
                inputs: self.inputs.clone(),
                horizon: self.horizon,
                period: self.period,
            }
        });
        Task {
            kind: self.task,
            symbols: self.symbols,
            parity_every_step: self.parity_every_step,
            pairs: self.pairs,
            data,
        }
    }

    /// Whether `len` means something here (labelled sequences have their own lengths), so
    /// verdicts name it.
    pub fn names_len(&self) -> bool {
        self.task != TaskKind::Classify
    }

    /// Whether every run trains on one fixed set (`train=N`, or the user's data), which it can
    /// memorise; fresh data every step cannot be. Only then are overfitting and the best
    /// checkpoint's weights reported.
    pub fn fixed_training_set(&self) -> bool {
        self.train > 0 || self.task.needs_data()
    }

    /// Whether this config reads the user's files (a data task, or text with a file).
    pub fn uses_data(&self) -> bool {
        !self.data.is_empty() && (self.task.needs_data() || self.task == TaskKind::Text)
    }

    /// What stops this config from running on its data: none given where it is needed, not
    /// loaded here, or not right for the task (a column missing, a series too short, ...).
    pub fn data_problem(&self) -> Option<String> {
        if self.task.needs_data() && self.data.is_empty() {
            return Some(format!(
                "task={} runs on your data: choose a file (on the command line, --data FILE)",
                self.task.name()
            ));
        }
        if !self.uses_data() {
            return None;
        }
        let task = self.task();
        let Some(u) = task.user() else {
            let names: Vec<&str> = self.data.iter().map(|r| r.name.as_str()).collect();
            return Some(format!("{} is not loaded", names.join(" and ")));
        };
        u.problem(self.task, self.seq_len())
    }

    pub fn seq_len(&self) -> usize {
        self.lens[0]
    }

    /// The first learning rate: the one the compare view trains with.
    pub fn lr(&self) -> f32 {
        self.lrs[0]
    }

    pub fn test_len_for(&self, len: usize) -> usize {
        self.test_len.unwrap_or_else(|| self.task.default_test_len(len))
    }

    pub fn every(&self) -> usize {
        self.every.unwrap_or((self.steps / self.task.records()).max(1))
    }

    pub fn optim(&self, lr: f32) -> OptimConfig {
        OptimConfig { kind: self.optim, lr, momentum: self.momentum, clip: self.clip }
    }

    pub fn init(&self) -> InitOptions {
        InitOptions { forget_bias: self.forget_bias, orthogonal: self.orthogonal }
    }

    /// What this config asks for: one comparison, a sweep (a list of cell counts, lengths or
    /// learning rates; seeds are not a sweep) or a search (a range over at least one key).
    pub fn plan(&self) -> Plan {
        if !self.ranges.is_empty() {
            Plan::Search
        } else if self.lists() {
            Plan::Sweep
        } else {
            Plan::Train
        }
    }

    /// Whether the cell counts, lengths or learning rates are a list of more than one.
    fn lists(&self) -> bool {
        self.cells.len() > 1 || self.lens.len() > 1 || self.lrs.len() > 1
    }

    /// The range over `key`, if the search has one.
    pub fn range(&self, key: &str) -> Option<&Range> {
        self.ranges.iter().find(|r| r.key == key)
    }

    /// The seeds every architecture and setting is trained on: seed, seed+1, ...
    pub fn seed_list(&self) -> Vec<u64> {
        (0..self.seeds as u64).map(|s| self.seed + s).collect()
    }

    /// The seeds a confirmation trains on: the `confirm` seeds after `seed_list`, never used to
    /// choose what they confirm.
    pub fn fresh_seeds(&self) -> impl Iterator<Item = u64> {
        let first = self.seed + self.seeds as u64;
        first..first + self.confirm as u64
    }

    pub fn dims(&self, hidden: usize) -> Dims {
        let (input, output) = self.task().dims();
        Dims { input, hidden, output, layers: self.layers }
    }

    /// The hidden size of `arch` for a cell count: with `match=1`, GRU and RNN get as many
    /// parameters as the LSTM with `cells` units (at most).
    pub fn hidden_for(&self, arch: Arch, cells: usize) -> usize {
        if !self.match_params || arch == Arch::Lstm {
            return cells;
        }
        let budget = Arch::Lstm.param_count(self.dims(cells));
        arch.hidden_for_params(self.dims(cells), budget)
    }

    /// The same experiment on another task: the new task's defaults, but every setting the user
    /// changed from the old task's default (and that the new task has) stays as it was.
    pub fn with_task(&self, task: TaskKind) -> Config {
        let mut c = Config::defaults(task);
        for k in KEYS.iter().filter(|k| k.name != "task") {
            let mine = (k.get)(self);
            if mine != (k.default)(self.task) && (k.applies)(&c) {
                (k.set)(&mut c, mine);
            }
        }
        c.validate(&mut Vec::new());
        c
    }

    /// What the config trains: the same config with every page-only key at its default, so
    /// two configs that differ only in how the page shows them compare equal.
    pub fn experiment(&self) -> Config {
        let mut c = self.clone();
        for k in KEYS.iter().filter(|k| k.page_only) {
            (k.set)(&mut c, (k.default)(self.task));
        }
        c
    }

    /// The same config with `key` searched over `range` (None: not searched), as the page's
    /// search controls change it.
    pub fn with_range(&self, key: &'static str, range: Option<(f64, f64)>) -> Config {
        let mut c = self.clone();
        c.ranges.retain(|r| r.key != key);
        if let Some((lo, hi)) = range {
            c.ranges.push(Range { key, lo: lo.min(hi), hi: lo.max(hi) });
        }
        c.validate(&mut Vec::new());
        c
    }

    /// The same config with one key changed, as the page's controls change it.
    pub fn with(&self, key: &keys::Key, v: Value) -> Config {
        let mut c = self.clone();
        (key.set)(&mut c, v);
        c.validate(&mut Vec::new());
        c
    }

    /// Checks that involve more than one key; each fix is a notice.
    fn validate(&mut self, notes: &mut Vec<Notice>) {
        // The key table's order, whatever the query's: a key's place is its dimension of the
        // search's point sequence, so the same ranges give the same search.
        self.ranges.sort_by_key(|r| KEYS.iter().position(|k| k.name == r.key));
        if !self.ranges.is_empty() && self.lists() {
            for (key, n) in [("cells", self.cells.len()), ("len", self.lens.len()), ("lr", self.lrs.len())] {
                if n > 1 {
                    notes.push(note(
                        key,
                        (
                            "a search (a range lo..hi) cannot also sweep a list".into(),
                            "kept its first value".into(),
                        ),
                    ));
                }
            }
            self.cells.truncate(1);
            self.lens.truncate(1);
            self.lrs.truncate(1);
        }
        let min = self.task.min_len();
        if self.lens.iter().any(|&l| l < min) {
            notes.push(note(
                "len",
                (format!("{} needs a length of at least {min}", self.task.name()), format!("using {min}")),
            ));
            for l in &mut self.lens {
                *l = (*l).max(min);
            }
            self.lens.dedup();
        }
        if let Some(t) = self.test_len {
            if t < min {
                notes.push(note(
                    "test_len",
                    (format!("{} needs at least {min}", self.task.name()), format!("using {min}")),
                ));
                self.test_len = Some(min);
            }
        }
    }
}

/// Parses leniently: every problem becomes a notice naming its key, and the value is clamped or
/// left at its default. Never panics, whatever the input.
pub fn parse_lenient(query: &str) -> (Config, Vec<Notice>) {
    let pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (text::decode(k), text::decode(v))
        })
        .collect();
    let mut notes = Vec::new();
    // The task first: the other keys' defaults depend on it.
    let task_key = keys::key("task").expect("the table has task");
    let mut c = Config::defaults(TaskKind::Adding);
    if pairs.iter().filter(|(k, _)| k == "task").count() > 1 {
        notes.push(note("task", ("given more than once".into(), "the last one counts".into())));
    }
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "task") {
        let mut problems = Vec::new();
        if let Some(t) = text::parse(task_key.kind, v, &mut problems) {
            c = Config::defaults(TaskKind::ALL[t.choice().unwrap_or(0)]);
        }
        notes.extend(problems.into_iter().map(|m| note("task", m)));
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        let Some(key) = keys::key(k).filter(|key| key.name != "task") else {
            if k != "task" {
                notes.push(note(&short(k), ("unknown key".into(), "ignored".into())));
            }
            continue;
        };
        if pairs[i + 1..].iter().any(|(later, _)| later == k) {
            notes.push(note(k, ("given more than once".into(), "the last one counts".into())));
            continue;
        }
        let mut problems = Vec::new();
        if v.contains("..") {
            if let Some(r) = text::range(key, v, &mut problems) {
                c.ranges.retain(|x| x.key != key.name);
                c.ranges.push(r);
            }
        } else if let Some(value) = text::parse(key.kind, v, &mut problems) {
            c.ranges.retain(|x| x.key != key.name);
            (key.set)(&mut c, value);
        }
        notes.extend(problems.into_iter().map(|m| note(k, m)));
    }
    c.validate(&mut notes);
    (c, notes)
}

/// A key name as a notice shows it: at most 40 characters of whatever the link carried.
fn short(k: &str) -> String {
    let mut s: String = k.chars().take(40).collect();
    if s.len() < k.len() {
        s.push('…');
    }
    s
}

/// Parses strictly: any notice is an error (the CLI's behaviour).
pub fn parse(query: &str) -> Result<Config, Vec<Notice>> {
    let (c, notes) = parse_lenient(query);
    if notes.is_empty() {
        Ok(c)
    } else {
        Err(notes)
    }
}

/// The query text: every key that applies (and any other not at its default), so a link means
/// the same run even if defaults change later.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut first = true;
        for k in KEYS {
            let v = (k.get)(self);
            if v == Value::Auto || (!(k.applies)(self) && v == (k.default)(self.task)) {
                continue;
            }
            let sep = if first { "" } else { "&" };
            first = false;
            match self.range(k.name) {
                Some(r) => write!(f, "{sep}{}={}", k.name, text::format_range(k.kind, r))?,
                None => write!(f, "{sep}{}={}", k.name, text::format(k.kind, &v))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
