//! The shape of the key table (`table.rs`): per key its name, kind and range, default, help
//! text, and how the page shows it. Parsing, validation, the URL text, `gatelab keys` and the
//! page's controls all read that table, so a new key is one row there (plus its field and use).

use super::Config;
use crate::tasks::TaskKind;

/// What values a key takes. Ranges are inclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Int {
        lo: u64,
        hi: u64,
    },
    Float {
        lo: f32,
        hi: f32,
    },
    /// One of these names (the value is its index).
    Choice(&'static [&'static str]),
    /// 0 or 1.
    Flag,
    /// A comma-separated list of whole numbers: more than one makes a sweep.
    Ints {
        lo: u64,
        hi: u64,
    },
    /// A comma-separated list of numbers: more than one makes a sweep.
    Floats {
        lo: f32,
        hi: f32,
    },
    /// Any non-empty subset of these names (indices, in table order).
    Subset(&'static [&'static str]),
}

/// A key's value, of the shape its `Kind` says. `Auto` is "not given": derived from others.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(u64),
    Float(f32),
    Choice(usize),
    Flag(bool),
    Ints(Vec<u64>),
    Floats(Vec<f32>),
    Subset(Vec<usize>),
    Auto,
}

/// Where a control sits in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Experiment,
    Training,
    /// Beside the text samples.
    Samples,
}

/// How the page shows a key.
#[derive(Clone, Copy, Debug)]
pub enum Ui {
    /// No control of its own: derived, or set by other parts of the page (transport, sweep).
    None,
    /// The task picker and the architecture toggles have controls of their own.
    Custom,
    /// A slider over these stops (for lists: the first value); `chips` are the Sweep view's
    /// choices for a list key.
    Slider {
        label: &'static str,
        group: Group,
        stops: &'static [f64],
        show: fn(f64) -> String,
        chips: &'static [f64],
    },
    /// A drop-down; `labels` parallel the kind's names.
    Select {
        label: &'static str,
        group: Group,
        labels: &'static [&'static str],
    },
    Check {
        label: &'static str,
        group: Group,
    },
    Number {
        label: &'static str,
        group: Group,
    },
}

pub struct Key {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// The value in a fresh config of this task.
    pub default: fn(TaskKind) -> Value,
    pub get: fn(&Config) -> Value,
    pub set: fn(&mut Config, Value),
    /// Whether the key means anything for this config (task-specific keys). Keys that do not
    /// apply are hidden in the page and left out of the text while at their default.
    pub applies: fn(&Config) -> bool,
    /// `Auto` is allowed (the key may be absent).
    pub optional: bool,
    pub ui: Ui,
}

/// Accessors for the table's setters: each key's setter receives the shape its kind parses to.
impl Value {
    pub fn index(&self) -> usize {
        match self {
            Value::Choice(i) => *i,
            _ => 0,
        }
    }
    pub fn flag(&self) -> bool {
        matches!(self, Value::Flag(true))
    }
    pub fn int(&self) -> u64 {
        match self {
            Value::Int(v) => *v,
            _ => 0,
        }
    }
    pub fn usize(&self) -> usize {
        self.int() as usize
    }
    pub fn opt_usize(&self) -> Option<usize> {
        match self {
            Value::Int(v) => Some(*v as usize),
            _ => None,
        }
    }
    pub fn float(&self) -> f32 {
        match self {
            Value::Float(v) => *v,
            _ => 0.0,
        }
    }
    pub fn usizes(&self) -> Vec<usize> {
        match self {
            Value::Ints(v) => v.iter().map(|&x| x as usize).collect(),
            _ => Vec::new(),
        }
    }
    pub fn floats(&self) -> Vec<f32> {
        match self {
            Value::Floats(v) => v.clone(),
            _ => Vec::new(),
        }
    }
    pub fn indices(&self) -> &[usize] {
        match self {
            Value::Subset(v) => v,
            _ => &[],
        }
    }

    /// A number for a slider: the value itself, or the first of a list.
    pub fn number(&self) -> f64 {
        match self {
            Value::Int(v) => *v as f64,
            Value::Float(v) => *v as f64,
            Value::Ints(v) => v.first().map_or(0.0, |&x| x as f64),
            Value::Floats(v) => v.first().map_or(0.0, |&x| x as f64),
            Value::Choice(i) => *i as f64,
            Value::Flag(b) => *b as u8 as f64,
            Value::Subset(_) | Value::Auto => 0.0,
        }
    }
}

impl Kind {
    /// The value a slider at `v` sets: lists become that one value.
    pub fn from_number(self, v: f64) -> Value {
        match self {
            Kind::Int { .. } => Value::Int(v as u64),
            Kind::Float { .. } => Value::Float(v as f32),
            Kind::Ints { .. } => Value::Ints(vec![v as u64]),
            Kind::Floats { .. } => Value::Floats(vec![v as f32]),
            Kind::Choice(_) => Value::Choice(v as usize),
            Kind::Flag => Value::Flag(v != 0.0),
            Kind::Subset(_) => Value::Subset(vec![v as usize]),
        }
    }

    /// The range or choices, as `gatelab keys` and the notices print them.
    pub fn range(self) -> String {
        match self {
            Kind::Int { lo, hi } => format!("{lo}-{hi}"),
            Kind::Float { lo, hi } => format!("{lo}-{hi}"),
            Kind::Choice(names) => names.join("|"),
            Kind::Flag => "0|1".into(),
            Kind::Ints { lo, hi } => format!("{lo}-{hi}, or a list"),
            Kind::Floats { lo, hi } => format!("{lo}-{hi}, or a list"),
            Kind::Subset(names) => format!("any of {}", names.join(",")),
        }
    }
}

/// What most keys share: they always apply and are never absent.
pub const BASE: Key = Key {
    name: "",
    kind: Kind::Flag,
    help: "",
    default: |_| Value::Auto,
    get: |_| Value::Auto,
    set: |_, _| {},
    applies: |_| true,
    optional: false,
    ui: Ui::None,
};

/// Cell counts and lengths as the table's whole-number lists carry them.
pub fn usizes(v: &[usize]) -> Vec<u64> {
    v.iter().map(|&x| x as u64).collect()
}

pub fn key(name: &str) -> Option<&'static Key> {
    super::KEYS.iter().find(|k| k.name == name)
}
