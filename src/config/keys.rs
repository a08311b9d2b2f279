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
    /// A name the user's data gives (a column), at most 100 characters.
    Name,
    /// A comma-separated list of such names.
    Names,
    /// Files by fingerprint, `NAME@sha256:HEX`, comma-separated (one, or a TRAIN/TEST pair).
    Files,
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
    Text(String),
    Texts(Vec<String>),
    Files(Vec<crate::datafile::DataRef>),
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

/// How a search samples a key's range `lo..hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Log-uniform: for positive scales (learning rate, cells, batch, clipping).
    Log,
    /// Uniform.
    Linear,
}

pub struct Key {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether a search may range over it (`lo..hi`), and how it samples the range.
    pub search: Option<Scale>,
    /// Where a searchable key's range starts when the page first searches it.
    pub start: (f64, f64),
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
    /// How the page shows the experiment, not what it trains (`Config::experiment` drops it).
    pub page_only: bool,
    pub ui: Ui,
}

/// The Rust types a key's field has, each read from the value shape its kind parses to.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for u64 {
    fn from_value(v: &Value) -> Option<u64> {
        match v {
            Value::Int(x) => Some(*x),
            _ => None,
        }
    }
}

impl FromValue for usize {
    fn from_value(v: &Value) -> Option<usize> {
        u64::from_value(v).map(|x| x as usize)
    }
}

impl FromValue for Vec<u64> {
    fn from_value(v: &Value) -> Option<Vec<u64>> {
        match v {
            Value::Ints(x) => Some(x.clone()),
            _ => None,
        }
    }
}

/// An optional name: `Auto` is "not given".
impl FromValue for Option<String> {
    fn from_value(v: &Value) -> Option<Option<String>> {
        match v {
            Value::Auto => Some(None),
            Value::Text(t) => Some(Some(t.clone())),
            _ => None,
        }
    }
}

impl FromValue for Vec<String> {
    fn from_value(v: &Value) -> Option<Vec<String>> {
        match v {
            Value::Texts(x) => Some(x.clone()),
            _ => None,
        }
    }
}

impl FromValue for Vec<crate::datafile::DataRef> {
    fn from_value(v: &Value) -> Option<Vec<crate::datafile::DataRef>> {
        match v {
            Value::Files(x) => Some(x.clone()),
            _ => None,
        }
    }
}

/// An optional whole number: `Auto` is "not given".
impl FromValue for Option<usize> {
    fn from_value(v: &Value) -> Option<Option<usize>> {
        match v {
            Value::Auto => Some(None),
            _ => usize::from_value(v).map(Some),
        }
    }
}

impl FromValue for f32 {
    fn from_value(v: &Value) -> Option<f32> {
        match v {
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<bool> {
        match v {
            Value::Flag(b) => Some(*b),
            _ => None,
        }
    }
}

impl FromValue for Vec<usize> {
    fn from_value(v: &Value) -> Option<Vec<usize>> {
        match v {
            Value::Ints(x) => Some(x.iter().map(|&x| x as usize).collect()),
            _ => None,
        }
    }
}

impl FromValue for Vec<f32> {
    fn from_value(v: &Value) -> Option<Vec<f32>> {
        match v {
            Value::Floats(x) => Some(x.clone()),
            _ => None,
        }
    }
}

/// What the table's setters use: a value of another shape than the field's is a bug in the
/// table, and leaves the field as it was (the table's test sets every key from its default).
impl Value {
    pub fn put<T: FromValue>(&self, field: &mut T) {
        if let Some(x) = T::from_value(self) {
            *field = x;
        }
    }
    pub fn choice(&self) -> Option<usize> {
        match self {
            Value::Choice(i) => Some(*i),
            _ => None,
        }
    }
    pub fn subset(&self) -> Option<&[usize]> {
        match self {
            Value::Subset(v) => Some(v),
            _ => None,
        }
    }

    /// The numbers of a list key (or the one number of a scalar), for the Sweep view's chips.
    pub fn numbers(&self) -> Vec<f64> {
        match self {
            Value::Ints(v) => v.iter().map(|&x| x as f64).collect(),
            Value::Floats(v) => v.iter().map(|&x| x as f64).collect(),
            other => vec![other.number()],
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
            Value::Subset(_) | Value::Text(_) | Value::Texts(_) | Value::Files(_) | Value::Auto => 0.0,
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
            Kind::Name | Kind::Names | Kind::Files => Value::Auto,
        }
    }

    /// The list value holding `numbers` (a list key's chips in the Sweep view).
    pub fn from_numbers(self, numbers: &[f64]) -> Value {
        match self {
            Kind::Floats { .. } | Kind::Float { .. } => {
                Value::Floats(numbers.iter().map(|&x| x as f32).collect())
            }
            _ => Value::Ints(numbers.iter().map(|&x| x as u64).collect()),
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
            Kind::Name => "a column's name, or its number from 1".into(),
            Kind::Names => "names, comma-separated".into(),
            Kind::Files => "NAME@sha256:HEX, one file or a TRAIN,TEST pair".into(),
        }
    }
}

/// What most keys share: they always apply and are never absent.
pub const BASE: Key = Key {
    name: "",
    kind: Kind::Flag,
    search: None,
    help: "",
    default: |_| Value::Auto,
    get: |_| Value::Auto,
    set: |_, _| {},
    applies: |_| true,
    optional: false,
    start: (0.0, 0.0),
    page_only: false,
    ui: Ui::None,
};

/// Cell counts and lengths as the table's whole-number lists carry them.
pub fn usizes(v: &[usize]) -> Vec<u64> {
    v.iter().map(|&x| x as u64).collect()
}

pub fn key(name: &str) -> Option<&'static Key> {
    super::KEYS.iter().find(|k| k.name == name)
}
