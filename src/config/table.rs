//! Every config key in one table. Its order is the order of the URL text.

use super::keys::{usizes, Group, Key, Kind, Scale, Ui, Value, BASE};
use super::Plan;
use crate::nn::optim::OptimKind;
use crate::nn::Arch;
use crate::tasks::TaskKind;

fn int(v: f64) -> String {
    format!("{v}")
}

fn float(v: f64) -> String {
    format!("{}", v as f32)
}

const CELLS: &[f64] = &[1., 2., 3., 4., 6., 8., 12., 16., 24., 32., 48., 64., 96., 128., 192., 256.];
const LENS: &[f64] =
    &[2., 3., 4., 5., 6., 8., 10., 12., 15., 20., 25., 30., 40., 50., 60., 80., 100., 150., 200., 300., 500.];
const LRS: &[f64] = &[1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 3e-2, 5e-2, 0.1, 0.2, 0.5, 1.0];

const OPTIM_NAMES: &[&str] = &["adam", "sgd"];

pub static KEYS: &[Key] = &[
    Key {
        name: "task",
        kind: Kind::Choice(TaskKind::NAMES),
        help: "the task",
        default: |t| Value::Choice(t as usize),
        get: |c| Value::Choice(c.task as usize),
        set: |c, v| {
            if let Some(i) = v.choice() {
                c.task = TaskKind::ALL[i]
            }
        },
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "len",
        kind: Kind::Ints { lo: 1, hi: 1000 },
        help: "sequence length (see each task); a list sweeps it",
        default: |t| Value::Ints(vec![t.defaults().len as u64]),
        get: |c| Value::Ints(usizes(&c.lens)),
        set: |c, v| v.put(&mut c.lens),
        applies: super::Config::names_len,
        ui: Ui::Slider {
            label: "Sequence length",
            group: Group::Experiment,
            stops: LENS,
            show: int,
            chips: &[5., 10., 20., 30., 50., 100., 200.],
        },
        ..BASE
    },
    Key {
        name: "test_len",
        kind: Kind::Int { lo: 1, hi: 3000 },
        help: "length of the test set (length generalisation); default 2x len, 3x for anbn",
        default: |_| Value::Auto,
        get: |c| c.test_len.map_or(Value::Auto, |t| Value::Int(t as u64)),
        set: |c, v| v.put(&mut c.test_len),
        optional: true,
        ui: Ui::None,
        ..BASE
    },
    Key {
        name: "cells",
        search: Some(Scale::Log),
        start: (4.0, 64.0),
        kind: Kind::Ints { lo: 1, hi: 256 },
        help: "hidden units per layer; a list sweeps it",
        default: |t| Value::Ints(vec![t.defaults().cells as u64]),
        get: |c| Value::Ints(usizes(&c.cells)),
        set: |c, v| v.put(&mut c.cells),
        ui: Ui::Slider {
            label: "Cells (hidden units)",
            group: Group::Experiment,
            stops: CELLS,
            show: int,
            chips: &[1., 2., 4., 8., 16., 32., 64., 128., 256.],
        },
        ..BASE
    },
    Key {
        name: "archs",
        kind: Kind::Subset(&Arch::NAMES),
        help: "architectures to compare: PyTorch's lstm, gru and rnn, and the gate lab's variants",
        default: |_| Value::Subset(vec![Arch::Lstm as usize, Arch::Gru as usize]),
        get: |c| Value::Subset(c.archs.iter().map(|&a| a as usize).collect()),
        set: |c, v| {
            if let Some(ix) = v.subset() {
                c.archs = ix.iter().map(|&i| Arch::ALL[i]).collect()
            }
        },
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "match",
        kind: Kind::Flag,
        help: "size GRU and RNN to the LSTM's parameter count",
        default: |_| Value::Flag(false),
        get: |c| Value::Flag(c.match_params),
        set: |c, v| v.put(&mut c.match_params),
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "layers",
        search: Some(Scale::Linear),
        start: (1.0, 2.0),
        kind: Kind::Int { lo: 1, hi: 3 },
        help: "stacked recurrent layers (PyTorch's num_layers)",
        default: |_| Value::Int(1),
        get: |c| Value::Int(c.layers as u64),
        set: |c, v| v.put(&mut c.layers),
        ui: Ui::Slider {
            label: "Layers",
            group: Group::Experiment,
            stops: &[1., 2., 3.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "lr",
        search: Some(Scale::Log),
        start: (1e-4, 0.1),
        kind: Kind::Floats { lo: 1e-5, hi: 1.0 },
        help: "learning rate; a list sweeps it (each architecture is then judged at its best)",
        default: |t| Value::Floats(vec![t.defaults().lr]),
        get: |c| Value::Floats(c.lrs.clone()),
        set: |c, v| v.put(&mut c.lrs),
        ui: Ui::Slider {
            label: "Learning rate",
            group: Group::Training,
            stops: LRS,
            show: float,
            chips: &[1e-3, 3e-3, 1e-2, 3e-2, 0.1],
        },
        ..BASE
    },
    Key {
        name: "batch",
        search: Some(Scale::Log),
        start: (8.0, 64.0),
        kind: Kind::Int { lo: 1, hi: 256 },
        help: "sequences per training step",
        default: |_| Value::Int(32),
        get: |c| Value::Int(c.batch as u64),
        set: |c, v| v.put(&mut c.batch),
        ui: Ui::Slider {
            label: "Batch size",
            group: Group::Training,
            stops: &[1., 2., 4., 8., 16., 32., 64., 128., 256.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "train",
        kind: Kind::Int { lo: 0, hi: 10000 },
        help: "training-set size; 0 = fresh data every step (built-in tasks: the user's data is its own set)",
        default: |_| Value::Int(0),
        get: |c| Value::Int(c.train as u64),
        set: |c, v| v.put(&mut c.train),
        applies: |c| !c.task.needs_data(),
        ui: Ui::Slider {
            label: "Training set",
            group: Group::Training,
            stops: &[0., 16., 32., 64., 128., 256., 512., 1000., 2000., 5000., 10000.],
            show: |v| if v == 0.0 { "fresh every step".into() } else { format!("{v} sequences") },
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "steps",
        kind: Kind::Int { lo: 1, hi: 100_000 },
        help: "training steps (the budget)",
        default: |t| Value::Int(t.defaults().steps as u64),
        get: |c| Value::Int(c.steps as u64),
        set: |c, v| v.put(&mut c.steps),
        ui: Ui::Slider {
            label: "Step budget",
            group: Group::Training,
            stops: &[
                50., 100., 200., 300., 500., 800., 1000., 1500., 2000., 2500., 3000., 5000., 10000., 20000.,
                50000.,
            ],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "every",
        kind: Kind::Int { lo: 1, hi: 10000 },
        help: "steps between records; default steps/100 (steps/25 for text)",
        default: |_| Value::Auto,
        get: |c| c.every.map_or(Value::Auto, |e| Value::Int(e as u64)),
        set: |c, v| v.put(&mut c.every),
        optional: true,
        ui: Ui::None,
        ..BASE
    },
    Key {
        name: "optim",
        kind: Kind::Choice(OPTIM_NAMES),
        help: "optimiser",
        default: |_| Value::Choice(0),
        get: |c| Value::Choice(c.optim as usize),
        set: |c, v| {
            if let Some(i) = v.choice() {
                c.optim = OptimKind::ALL[i]
            }
        },
        ui: Ui::Select { label: "Optimiser", group: Group::Training, labels: &["Adam", "SGD + momentum"] },
        ..BASE
    },
    Key {
        name: "momentum",
        search: Some(Scale::Linear),
        start: (0.0, 0.99),
        kind: Kind::Float { lo: 0.0, hi: 0.99 },
        help: "SGD momentum",
        default: |_| Value::Float(0.9),
        get: |c| Value::Float(c.momentum),
        set: |c, v| v.put(&mut c.momentum),
        applies: |c| c.optim == OptimKind::Sgd,
        ui: Ui::Slider {
            label: "Momentum",
            group: Group::Training,
            stops: &[0., 0.5, 0.9, 0.95, 0.99],
            show: float,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "clip",
        search: Some(Scale::Log),
        start: (0.1, 10.0),
        kind: Kind::Float { lo: 0.0, hi: 100.0 },
        help: "gradient-norm clipping; 0 = off",
        default: |_| Value::Float(1.0),
        get: |c| Value::Float(c.clip),
        set: |c, v| v.put(&mut c.clip),
        ui: Ui::Slider {
            label: "Gradient clipping",
            group: Group::Training,
            stops: &[0., 0.1, 0.25, 0.5, 1., 2., 5., 10., 100.],
            show: |v| if v == 0.0 { "off".into() } else { format!("norm {}", v as f32) },
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "fbias",
        kind: Kind::Flag,
        help: "LSTM forget-gate bias +1",
        default: |_| Value::Flag(true),
        get: |c| Value::Flag(c.forget_bias),
        set: |c, v| v.put(&mut c.forget_bias),
        ui: Ui::Check { label: "LSTM forget-gate bias +1", group: Group::Training },
        ..BASE
    },
    Key {
        name: "init",
        kind: Kind::Choice(&["uniform", "orthogonal"]),
        help: "recurrent weight initialisation",
        default: |_| Value::Choice(0),
        get: |c| Value::Choice(c.orthogonal as usize),
        set: |c, v| {
            if let Some(i) = v.choice() {
                c.orthogonal = i == 1
            }
        },
        ui: Ui::Select {
            label: "Recurrent init",
            group: Group::Training,
            labels: &["PyTorch uniform", "orthogonal"],
        },
        ..BASE
    },
    Key {
        name: "tbptt",
        kind: Kind::Int { lo: 0, hi: 1000 },
        help: "truncate backprop through time to this many steps; 0 = full",
        default: |_| Value::Int(0),
        get: |c| Value::Int(c.tbptt as u64),
        set: |c, v| v.put(&mut c.tbptt),
        ui: Ui::Slider {
            label: "Backprop through time",
            group: Group::Training,
            stops: &[0., 2., 5., 10., 20., 50., 100.],
            show: |v| if v == 0.0 { "full".into() } else { format!("truncated to {v}") },
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "symbols",
        kind: Kind::Int { lo: 1, hi: 20 },
        help: "copy task: symbols to recall",
        default: |_| Value::Int(3),
        get: |c| Value::Int(c.symbols as u64),
        set: |c, v| v.put(&mut c.symbols),
        applies: |c| c.task == TaskKind::Copy,
        ui: Ui::Slider {
            label: "Symbols to recall",
            group: Group::Experiment,
            stops: &[1., 2., 3., 4., 5., 6., 8., 10.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "parity",
        kind: Kind::Choice(&["every", "end"]),
        help: "parity task: target at every step or only at the end",
        default: |_| Value::Choice(0),
        get: |c| Value::Choice(!c.parity_every_step as usize),
        set: |c, v| {
            if let Some(i) = v.choice() {
                c.parity_every_step = i == 0
            }
        },
        applies: |c| c.task == TaskKind::Parity,
        ui: Ui::Select {
            label: "Parity target",
            group: Group::Experiment,
            labels: &["every step", "last step only"],
        },
        ..BASE
    },
    Key {
        name: "pairs",
        kind: Kind::Int { lo: 1, hi: 2 },
        help: "dyck task: kinds of bracket pairs (Dyck-1 or Dyck-2)",
        default: |_| Value::Int(1),
        get: |c| Value::Int(c.pairs as u64),
        set: |c, v| v.put(&mut c.pairs),
        applies: |c| c.task == TaskKind::Dyck,
        ui: Ui::Select {
            label: "Bracket pairs",
            group: Group::Experiment,
            labels: &["1: ( )", "2: ( ) [ ]"],
        },
        ..BASE
    },
    Key {
        name: "data",
        kind: Kind::Files,
        help: "your data, by fingerprint: NAME@sha256:HEX (a TRAIN,TEST pair for classify); the file itself \
               never leaves your machine (the CLI reads it with --data FILE)",
        default: |_| Value::Files(Vec::new()),
        get: |c| Value::Files(c.data.clone()),
        set: |c, v| v.put(&mut c.data),
        applies: |c| !c.data.is_empty(),
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "data_bytes",
        kind: Kind::Ints { lo: 0, hi: crate::datafile::MAX_FILE_BYTES },
        help: "the sizes of the data files, in bytes (the page writes them beside `data`)",
        default: |_| Value::Ints(Vec::new()),
        get: |c| Value::Ints(c.data_bytes.clone()),
        set: |c, v| v.put(&mut c.data_bytes),
        applies: |c| !c.data_bytes.is_empty(),
        ..BASE
    },
    Key {
        name: "column",
        kind: Kind::Name,
        help: "forecast: the column to forecast, by its header (or its number from 1); default: the last \
               numeric column",
        default: |_| Value::Auto,
        get: |c| c.column.clone().map_or(Value::Auto, Value::Text),
        set: |c, v| v.put(&mut c.column),
        applies: |c| c.task == TaskKind::Forecast,
        optional: true,
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "inputs",
        kind: Kind::Names,
        help: "forecast: other columns the network reads besides the target (comma-separated)",
        default: |_| Value::Texts(Vec::new()),
        get: |c| Value::Texts(c.inputs.clone()),
        set: |c, v| v.put(&mut c.inputs),
        applies: |c| c.task == TaskKind::Forecast && !c.inputs.is_empty(),
        ui: Ui::Custom,
        ..BASE
    },
    Key {
        name: "horizon",
        kind: Kind::Int { lo: 1, hi: 100 },
        help: "forecast: how many values ahead each window predicts",
        default: |_| Value::Int(1),
        get: |c| Value::Int(c.horizon as u64),
        set: |c, v| v.put(&mut c.horizon),
        applies: |c| c.task == TaskKind::Forecast,
        ui: Ui::Slider {
            label: "Horizon (values ahead)",
            group: Group::Experiment,
            stops: &[1., 2., 3., 4., 6., 8., 12., 24., 48.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "period",
        kind: Kind::Int { lo: 1, hi: 10000 },
        help: "forecast: the season's length in rows (12 for monthly data); MASE's scale is the seasonal \
               naive forecast of this period",
        default: |_| Value::Int(1),
        get: |c| Value::Int(c.period as u64),
        set: |c, v| v.put(&mut c.period),
        applies: |c| c.task == TaskKind::Forecast,
        ui: Ui::Slider {
            label: "Season (rows)",
            group: Group::Experiment,
            stops: &[1., 2., 4., 7., 12., 24., 52., 168., 365.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "seed",
        kind: Kind::Int { lo: 0, hi: u32::MAX as u64 },
        help: "seed of data and weights (the first seed)",
        default: |_| Value::Int(1),
        get: |c| Value::Int(c.seed),
        set: |c, v| v.put(&mut c.seed),
        ui: Ui::Number { label: "Seed", group: Group::Training },
        ..BASE
    },
    Key {
        name: "seeds",
        kind: Kind::Int { lo: 1, hi: 10 },
        help: "seeds per architecture and setting (seed, seed+1, ...): the evidence; 6 is the fewest with which a \
               sign test can name a winner",
        default: |_| Value::Int(6),
        get: |c| Value::Int(c.seeds as u64),
        set: |c, v| v.put(&mut c.seeds),
        ui: Ui::Slider {
            label: "Seeds per architecture",
            group: Group::Experiment,
            stops: &[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "confirm",
        kind: Kind::Int { lo: 0, hi: 50 },
        help: "sweeps and searches: fresh seeds on which each architecture's best setting is trained again \
               before a winner is named (0 = none: the verdict says it is not confirmed)",
        default: |_| Value::Int(6),
        get: |c| Value::Int(c.confirm as u64),
        set: |c, v| v.put(&mut c.confirm),
        applies: |c| c.plan() != Plan::Train,
        ui: Ui::None,
        ..BASE
    },
    Key {
        name: "trials",
        kind: Kind::Int { lo: 1, hi: 500 },
        help: "searches: points of the searched ranges tried, the same for every architecture",
        default: |_| Value::Int(20),
        get: |c| Value::Int(c.trials as u64),
        set: |c, v| v.put(&mut c.trials),
        applies: |c| c.plan() == Plan::Search,
        ..BASE
    },
    Key {
        name: "halving",
        kind: Kind::Int { lo: 1, hi: 10 },
        help: "searches: successive halving, ETA; the best 1/ETA of the trials go on to ETA times the steps \
               (1 = off: every trial trains to the full budget)",
        default: |_| Value::Int(3),
        get: |c| Value::Int(c.halving as u64),
        set: |c, v| v.put(&mut c.halving),
        applies: |c| c.plan() == Plan::Search,
        ..BASE
    },
    Key {
        name: "speed",
        kind: Kind::Int { lo: 1, hi: 500 },
        help: "page only: training steps per frame",
        page_only: true,
        default: |_| Value::Int(20),
        get: |c| Value::Int(c.speed as u64),
        set: |c, v| v.put(&mut c.speed),
        ui: Ui::Slider {
            label: "Speed (steps per frame)",
            group: Group::Training,
            stops: &[1., 2., 5., 10., 20., 50., 100., 200., 500.],
            show: int,
            chips: &[],
        },
        ..BASE
    },
    Key {
        name: "temp",
        kind: Kind::Float { lo: 0.05, hi: 2.0 },
        help: "page only, text task: sampling temperature of the text samples",
        page_only: true,
        default: |_| Value::Float(0.8),
        get: |c| Value::Float(c.temp),
        set: |c, v| v.put(&mut c.temp),
        applies: |c| c.task.writes_text(),
        ui: Ui::Slider {
            label: "Temperature",
            group: Group::Samples,
            stops: &[0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5, 2.0],
            show: float,
            chips: &[],
        },
        ..BASE
    },
];
