//! The one experiment config, its validation, and its one text form: a URL query string such as
//! `task=adding&len=50&cells=16&archs=lstm,gru&lr=0.01&batch=32&steps=2000&seed=1`.
//! The page's URL, its share links and the CLI all go through `parse` / `Display`.
//! Lists (`cells=4,8,16`, `len=20,50`, `seeds=3`) make a sweep.

use crate::nn::init::InitOptions;
use crate::nn::optim::{OptimConfig, OptimKind};
use crate::nn::Arch;
use crate::tasks::{Task, TaskKind};
use std::fmt;

/// Every key, with its range and meaning: the reference for error messages, tooltips and docs.
pub const KEYS: &[(&str, &str, &str)] = &[
    ("task", "adding|copy|parity|anbn|order|sine", "the toy task"),
    ("len", "1-1000, or a list", "sequence length (see each task); a list sweeps it"),
    ("test_len", "1-3000", "length of the test set (length generalisation); default 2x len, 3x for anbn"),
    ("cells", "1-256, or a list", "hidden units per network; a list sweeps it"),
    ("archs", "any of lstm,gru,rnn", "architectures to compare"),
    ("match", "0|1", "size GRU and RNN to the LSTM's parameter count"),
    ("lr", "0.00001-1", "learning rate"),
    ("batch", "1-256", "sequences per training step"),
    ("train", "0-10000", "training-set size; 0 = fresh data every step"),
    ("steps", "1-100000", "training steps (the budget)"),
    ("every", "1-10000", "steps between records; default steps/100"),
    ("optim", "adam|sgd", "optimiser"),
    ("momentum", "0-0.99", "SGD momentum"),
    ("clip", "0-100", "gradient-norm clipping; 0 = off"),
    ("fbias", "0|1", "LSTM forget-gate bias +1"),
    ("init", "uniform|orthogonal", "recurrent weight initialisation"),
    ("tbptt", "0-1000", "truncate backprop through time to this many steps; 0 = full"),
    ("symbols", "1-20", "copy task: symbols to recall"),
    ("parity", "every|end", "parity task: target at every step or only at the end"),
    ("seed", "0-4294967295", "seed of data and weights"),
    ("seeds", "1-10", "seeds per sweep point (seed, seed+1, ...)"),
    ("speed", "1-500", "page only: training steps per frame"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub task: TaskKind,
    pub lens: Vec<usize>,
    pub test_len: Option<usize>,
    pub cells: Vec<usize>,
    pub archs: Vec<Arch>,
    pub match_params: bool,
    pub lr: f32,
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
    pub seed: u64,
    pub seeds: usize,
    pub speed: usize,
}

/// One problem with one key of a query: the page shows it, the CLI exits 2 on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl Config {
    /// Defaults chosen so that each task's default run learns within its step budget.
    pub fn defaults(task: TaskKind) -> Config {
        let (len, steps, lr) = match task {
            TaskKind::Adding => (30, 1500, 0.01),
            TaskKind::Copy => (10, 1500, 0.02),
            TaskKind::Parity => (20, 800, 0.01),
            TaskKind::Anbn => (10, 1500, 0.01),
            TaskKind::Order => (30, 1500, 0.01),
            TaskKind::Sine => (50, 600, 0.01),
        };
        Config {
            task,
            lens: vec![len],
            test_len: None,
            cells: vec![16],
            archs: vec![Arch::Lstm, Arch::Gru],
            match_params: false,
            lr,
            batch: 32,
            train: 0,
            steps,
            every: None,
            optim: OptimKind::Adam,
            momentum: 0.9,
            clip: 1.0,
            forget_bias: true,
            orthogonal: false,
            tbptt: 0,
            symbols: 3,
            parity_every_step: true,
            seed: 1,
            seeds: 1,
            speed: 20,
        }
    }

    pub fn task(&self) -> Task {
        Task { kind: self.task, symbols: self.symbols, parity_every_step: self.parity_every_step }
    }

    pub fn seq_len(&self) -> usize {
        self.lens[0]
    }

    pub fn test_len_for(&self, len: usize) -> usize {
        self.test_len.unwrap_or_else(|| self.task.default_test_len(len))
    }

    pub fn every(&self) -> usize {
        self.every.unwrap_or((self.steps / 100).max(1))
    }

    pub fn optim(&self) -> OptimConfig {
        OptimConfig { kind: self.optim, lr: self.lr, momentum: self.momentum, clip: self.clip }
    }

    pub fn init(&self) -> InitOptions {
        InitOptions { forget_bias: self.forget_bias, orthogonal: self.orthogonal }
    }

    /// Is this a sweep (more than one point per architecture)?
    pub fn is_sweep(&self) -> bool {
        self.cells.len() > 1 || self.lens.len() > 1 || self.seeds > 1
    }
}

/// Parses leniently: every problem becomes a notice and the value is clamped or left at its
/// default. Never panics, whatever the input.
pub fn parse_lenient(query: &str) -> (Config, Vec<Notice>) {
    let pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let mut notes = Vec::new();
    let task = match pairs.iter().rev().find(|(k, _)| k == "task") {
        Some((_, v)) => TaskKind::parse(v).unwrap_or_else(|| {
            notes.push(note("task", format!("{v:?} is not a task; allowed: {}", range_of("task"))));
            TaskKind::Adding
        }),
        None => TaskKind::Adding,
    };
    let mut c = Config::defaults(task);
    for (k, v) in &pairs {
        set(&mut c, k, v, &mut notes);
    }
    (c, notes)
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

fn note(key: &str, message: String) -> Notice {
    Notice { key: key.to_string(), message }
}

fn range_of(key: &str) -> &'static str {
    KEYS.iter().find(|k| k.0 == key).map_or("", |k| k.1)
}

fn set(c: &mut Config, k: &str, v: &str, n: &mut Vec<Notice>) {
    match k {
        "task" => {}
        "len" => c.lens = list(k, v, 1, 1000, &c.lens, n),
        "test_len" => c.test_len = Some(int(k, v, 1, 3000, c.test_len.unwrap_or(1), n)),
        "cells" => c.cells = list(k, v, 1, 256, &c.cells, n),
        "archs" => c.archs = archs(v, &c.archs, n),
        "match" => c.match_params = flag(k, v, c.match_params, n),
        "lr" => c.lr = float(k, v, 1e-5, 1.0, c.lr, n),
        "batch" => c.batch = int(k, v, 1, 256, c.batch, n),
        "train" => c.train = int(k, v, 0, 10000, c.train, n),
        "steps" => c.steps = int(k, v, 1, 100_000, c.steps, n),
        "every" => c.every = Some(int(k, v, 1, 10000, c.every(), n)),
        "optim" => c.optim = choice(k, v, &[("adam", OptimKind::Adam), ("sgd", OptimKind::Sgd)], c.optim, n),
        "momentum" => c.momentum = float(k, v, 0.0, 0.99, c.momentum, n),
        "clip" => c.clip = float(k, v, 0.0, 100.0, c.clip, n),
        "fbias" => c.forget_bias = flag(k, v, c.forget_bias, n),
        "init" => c.orthogonal = choice(k, v, &[("uniform", false), ("orthogonal", true)], c.orthogonal, n),
        "tbptt" => c.tbptt = int(k, v, 0, 1000, c.tbptt, n),
        "symbols" => c.symbols = int(k, v, 1, 20, c.symbols, n),
        "parity" => {
            c.parity_every_step = choice(k, v, &[("every", true), ("end", false)], c.parity_every_step, n)
        }
        "seed" => c.seed = int(k, v, 0, u32::MAX as usize, c.seed as usize, n) as u64,
        "seeds" => c.seeds = int(k, v, 1, 10, c.seeds, n),
        "speed" => c.speed = int(k, v, 1, 500, c.speed, n),
        _ => n.push(note(k, "unknown key, ignored".to_string())),
    }
}

fn int(k: &str, v: &str, lo: usize, hi: usize, default: usize, n: &mut Vec<Notice>) -> usize {
    match v.trim().parse::<i64>() {
        Ok(x) if x < lo as i64 || x > hi as i64 => {
            let clamped = x.clamp(lo as i64, hi as i64) as usize;
            n.push(note(k, format!("{x} is out of range {lo}-{hi}; using {clamped}")));
            clamped
        }
        Ok(x) => x as usize,
        Err(_) => {
            n.push(note(k, format!("{v:?} is not a whole number ({lo}-{hi}); using {default}")));
            default
        }
    }
}

fn float(k: &str, v: &str, lo: f32, hi: f32, default: f32, n: &mut Vec<Notice>) -> f32 {
    match v.trim().parse::<f32>() {
        Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => x,
        Ok(x) if x.is_finite() => {
            let clamped = x.clamp(lo, hi);
            n.push(note(k, format!("{x} is out of range {lo}-{hi}; using {clamped}")));
            clamped
        }
        _ => {
            n.push(note(k, format!("{v:?} is not a number ({lo}-{hi}); using {default}")));
            default
        }
    }
}

fn flag(k: &str, v: &str, default: bool, n: &mut Vec<Notice>) -> bool {
    choice(k, v, &[("0", false), ("1", true)], default, n)
}

fn choice<T: Copy>(k: &str, v: &str, options: &[(&str, T)], default: T, n: &mut Vec<Notice>) -> T {
    options.iter().find(|o| o.0 == v).map(|o| o.1).unwrap_or_else(|| {
        let names: Vec<&str> = options.iter().map(|o| o.0).collect();
        n.push(note(k, format!("{v:?} is not one of {}; ignored", names.join("|"))));
        default
    })
}

fn list(k: &str, v: &str, lo: usize, hi: usize, default: &[usize], n: &mut Vec<Notice>) -> Vec<usize> {
    let mut out = Vec::new();
    for part in v.split(',') {
        match part.trim().parse::<i64>() {
            Ok(_) => out.push(int(k, part, lo, hi, lo, n)),
            Err(_) => n.push(note(k, format!("{part:?} is not a whole number ({lo}-{hi}); ignored"))),
        }
    }
    out.dedup();
    if out.len() > 12 {
        n.push(note(k, format!("at most 12 values; kept the first 12 of {}", out.len())));
        out.truncate(12);
    }
    if out.is_empty() {
        return default.to_vec();
    }
    out
}

fn archs(v: &str, default: &[Arch], n: &mut Vec<Notice>) -> Vec<Arch> {
    let mut out = Vec::new();
    for name in v.split(',').filter(|s| !s.is_empty()) {
        match Arch::parse(name) {
            Some(a) if !out.contains(&a) => out.push(a),
            Some(_) => {}
            None => {
                n.push(note("archs", format!("{name:?} is not an architecture (lstm, gru, rnn); ignored")))
            }
        }
    }
    if out.is_empty() {
        n.push(note("archs", "no architecture left; using lstm,gru".to_string()));
        return default.to_vec();
    }
    out.sort();
    out
}

/// Percent-decoding of a query component ('+' is a space); invalid escapes stay as they are.
fn decode(s: &str) -> String {
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

fn join<T: fmt::Display>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

/// The query text: every key, so a link means the same run even if defaults change later.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let archs: Vec<&str> = self.archs.iter().map(|a| a.name()).collect();
        write!(f, "task={}&len={}", self.task.name(), join(&self.lens))?;
        if let Some(t) = self.test_len {
            write!(f, "&test_len={t}")?;
        }
        write!(
            f,
            "&cells={}&archs={}&match={}",
            join(&self.cells),
            archs.join(","),
            self.match_params as u8
        )?;
        write!(f, "&lr={}&batch={}&train={}&steps={}", self.lr, self.batch, self.train, self.steps)?;
        if let Some(e) = self.every {
            write!(f, "&every={e}")?;
        }
        let optim = match self.optim {
            OptimKind::Adam => "adam",
            OptimKind::Sgd => "sgd",
        };
        write!(f, "&optim={optim}&momentum={}&clip={}", self.momentum, self.clip)?;
        let init = if self.orthogonal { "orthogonal" } else { "uniform" };
        write!(f, "&fbias={}&init={init}&tbptt={}", self.forget_bias as u8, self.tbptt)?;
        if self.task == TaskKind::Copy {
            write!(f, "&symbols={}", self.symbols)?;
        }
        if self.task == TaskKind::Parity {
            write!(f, "&parity={}", if self.parity_every_step { "every" } else { "end" })?;
        }
        write!(f, "&seed={}&seeds={}&speed={}", self.seed, self.seeds, self.speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_example_query_parses_and_round_trips() {
        let q = "task=adding&len=50&cells=16&archs=lstm,gru&lr=0.01&batch=32&steps=2000&seed=1";
        let c = parse(q).unwrap();
        assert_eq!((c.seq_len(), c.cells[0], c.steps, c.batch), (50, 16, 2000, 32));
        assert_eq!(c.archs, vec![Arch::Lstm, Arch::Gru]);
        assert_eq!(parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn sweeps_and_every_option_round_trip() {
        let q = "task=copy&len=5,10&cells=2,4,8&archs=rnn,gru,lstm&seeds=3&optim=sgd&init=orthogonal\
                 &fbias=1&tbptt=5&symbols=4&match=1&test_len=40&every=7&lr=0.003&clip=0&train=500";
        let c = parse(q).unwrap();
        assert!(c.is_sweep());
        assert_eq!(c.archs, vec![Arch::Lstm, Arch::Gru, Arch::Rnn]);
        assert_eq!(parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn bad_values_name_the_key_and_the_range() {
        let (c, notes) = parse_lenient("cells=999&lr=abc&archs=lstm,tcn&bogus=1&task=adding");
        assert_eq!(c.cells, vec![256]);
        assert_eq!(c.lr, Config::defaults(TaskKind::Adding).lr);
        let text: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
        assert!(text.iter().any(|t| t.starts_with("cells:") && t.contains("1-256")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("lr:") && t.contains("not a number")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("archs:") && t.contains("tcn")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("bogus:") && t.contains("unknown")), "{text:?}");
        assert!(parse("cells=999").is_err());
    }

    proptest! {
        #[test]
        fn no_input_makes_the_parser_panic(s in ".{0,200}") {
            let (c, _) = parse_lenient(&s);
            prop_assert_eq!(parse_lenient(&c.to_string()), (c, vec![]));
        }

        #[test]
        fn query_like_input_never_panics(s in "([a-z_]{1,8}=[-0-9a-z.,%+]{0,12}&){0,8}") {
            let (c, _) = parse_lenient(&s);
            prop_assert_eq!(parse(&c.to_string()), Ok(c));
        }
    }
}
