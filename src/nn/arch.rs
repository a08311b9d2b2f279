//! The cells the engine knows: PyTorch's three, Greff et al.'s eight LSTM variants, the Minimal
//! Gated Unit and the two minimal cells of Feng et al. Each is one table row: its gate blocks,
//! whether it has a recurrent matrix, its extra tensor, and how a step computes it (`Cell`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Arch {
    #[serde(rename = "lstm")]
    Lstm,
    #[serde(rename = "lstm-ph")]
    LstmPh,
    #[serde(rename = "lstm-nig")]
    LstmNig,
    #[serde(rename = "lstm-nfg")]
    LstmNfg,
    #[serde(rename = "lstm-nog")]
    LstmNog,
    #[serde(rename = "lstm-niaf")]
    LstmNiaf,
    #[serde(rename = "lstm-noaf")]
    LstmNoaf,
    #[serde(rename = "lstm-cifg")]
    LstmCifg,
    #[serde(rename = "lstm-fgr")]
    LstmFgr,
    #[serde(rename = "gru")]
    Gru,
    #[serde(rename = "mgu")]
    Mgu,
    #[serde(rename = "mingru")]
    MinGru,
    #[serde(rename = "minlstm")]
    MinLstm,
    #[serde(rename = "rnn")]
    Rnn,
}

/// How one step computes a cell; the LSTM variants are one cell with `lstm::Variant` flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Lstm(u8),
    Gru,
    Mgu,
    MinGru,
    MinLstm,
    Rnn,
}

impl Cell {
    /// Whether this is an LSTM variant with `flag` (an `lstm::` flag) set.
    pub fn lstm_has(self, flag: u8) -> bool {
        matches!(self, Cell::Lstm(v) if v & flag != 0)
    }
}

/// A tensor a variant adds to PyTorch's four per layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// `weight_ph_l{k}`: [3H] peephole weights onto i, f, o.
    Peepholes,
    /// `weight_gg_l{k}`: [3H, 3H] from the last step's i, f, o to this step's.
    GateRecurrence,
}

/// The picker's groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Lstm,
    Gru,
    Plain,
}

struct Row {
    arch: Arch,
    name: &'static str,
    label: &'static str,
    /// The gate blocks stacked in `weight_ih`, one letter each, in order.
    blocks: &'static str,
    /// What `probe` reports per layer: the gates that exist, then the states.
    probe: &'static [&'static str],
    recurrent: bool,
    family: Family,
    /// One line for the picker: what changes, and where it comes from.
    about: &'static str,
}

use super::lstm::{CIFG, FGR, NO_CACT, NO_F, NO_GACT, NO_I, NO_O, PEEP};

const ROWS: [Row; 14] = [
    row(
        Arch::Lstm,
        "lstm",
        "LSTM",
        "ifgo",
        &["i", "f", "g", "o", "c", "h"],
        Family::Lstm,
        "PyTorch's nn.LSTM (Hochreiter & Schmidhuber 1997)",
    ),
    row(
        Arch::LstmPh,
        "lstm-ph",
        "LSTM-PH",
        "ifgo",
        &["i", "f", "g", "o", "c", "h"],
        Family::Lstm,
        "peepholes: the gates also see c (Greff et al. 2017)",
    ),
    row(
        Arch::LstmNig,
        "lstm-nig",
        "LSTM-NIG",
        "fgo",
        &["f", "g", "o", "c", "h"],
        Family::Lstm,
        "no input gate: i = 1 (Greff et al. 2017)",
    ),
    row(
        Arch::LstmNfg,
        "lstm-nfg",
        "LSTM-NFG",
        "igo",
        &["i", "g", "o", "c", "h"],
        Family::Lstm,
        "no forget gate: f = 1 (Greff et al. 2017)",
    ),
    row(
        Arch::LstmNog,
        "lstm-nog",
        "LSTM-NOG",
        "ifg",
        &["i", "f", "g", "c", "h"],
        Family::Lstm,
        "no output gate: o = 1 (Greff et al. 2017)",
    ),
    row(
        Arch::LstmNiaf,
        "lstm-niaf",
        "LSTM-NIAF",
        "ifgo",
        &["i", "f", "g", "o", "c", "h"],
        Family::Lstm,
        "no input activation: g without tanh (Greff et al. 2017)",
    ),
    row(
        Arch::LstmNoaf,
        "lstm-noaf",
        "LSTM-NOAF",
        "ifgo",
        &["i", "f", "g", "o", "c", "h"],
        Family::Lstm,
        "no output activation: h = o c (Greff et al. 2017)",
    ),
    row(
        Arch::LstmCifg,
        "lstm-cifg",
        "LSTM-CIFG",
        "igo",
        &["i", "g", "o", "c", "h"],
        Family::Lstm,
        "coupled gates: f = 1 - i (Greff et al. 2017)",
    ),
    row(
        Arch::LstmFgr,
        "lstm-fgr",
        "LSTM-FGR",
        "ifgo",
        &["i", "f", "g", "o", "c", "h"],
        Family::Lstm,
        "gates also see last step's gates (Greff et al. 2017)",
    ),
    row(
        Arch::Gru,
        "gru",
        "GRU",
        "rzn",
        &["r", "z", "n", "h"],
        Family::Gru,
        "PyTorch's nn.GRU (Cho et al. 2014)",
    ),
    row(
        Arch::Mgu,
        "mgu",
        "MGU",
        "fn",
        &["f", "n", "h"],
        Family::Gru,
        "one gate forgets and updates (Zhou et al. 2016)",
    ),
    Row {
        recurrent: false,
        ..row(
            Arch::MinGru,
            "mingru",
            "minGRU",
            "zn",
            &["z", "n", "h"],
            Family::Gru,
            "gate and candidate from x only (Feng et al. 2024)",
        )
    },
    Row {
        recurrent: false,
        ..row(
            Arch::MinLstm,
            "minlstm",
            "minLSTM",
            "fin",
            &["f", "i", "n", "h"],
            Family::Lstm,
            "normalised gates from x only (Feng et al. 2024)",
        )
    },
    row(Arch::Rnn, "rnn", "RNN", "h", &["h"], Family::Plain, "PyTorch's nn.RNN, tanh (Elman 1990)"),
];

#[allow(clippy::too_many_arguments)]
const fn row(
    arch: Arch,
    name: &'static str,
    label: &'static str,
    blocks: &'static str,
    probe: &'static [&'static str],
    family: Family,
    about: &'static str,
) -> Row {
    Row { arch, name, label, blocks, probe, recurrent: true, family, about }
}

impl Arch {
    pub const ALL: [Arch; 14] = {
        let mut out = [Arch::Lstm; 14];
        let mut k = 0;
        while k < 14 {
            out[k] = ROWS[k].arch;
            k += 1;
        }
        out
    };

    /// Every cell's name, in `ALL`'s order (the `archs` key's choices).
    pub const NAMES: [&'static str; 14] = {
        let mut out = [""; 14];
        let mut k = 0;
        while k < 14 {
            out[k] = ROWS[k].name;
            k += 1;
        }
        out
    };

    /// PyTorch's three cells.
    pub const BASE: [Arch; 3] = [Arch::Lstm, Arch::Gru, Arch::Rnn];

    fn row(self) -> &'static Row {
        &ROWS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The name as tables and legends show it.
    pub fn upper(self) -> &'static str {
        self.row().label
    }

    pub fn parse(s: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Every cell's name, for messages that list them.
    pub fn names() -> String {
        Arch::NAMES.join(", ")
    }

    pub fn family(self) -> Family {
        self.row().family
    }

    pub fn about(self) -> &'static str {
        self.row().about
    }

    /// Gate blocks stacked in `weight_ih` (PyTorch's order: LSTM i,f,g,o; GRU r,z,n).
    pub fn gates(self) -> usize {
        self.row().blocks.len()
    }

    /// The gate blocks' letters, in their order in the weights.
    pub fn blocks(self) -> &'static str {
        self.row().blocks
    }

    /// Gate blocks in `weight_hh` and `bias_hh`: the same as `gates`, or none for the cells
    /// whose gates see only the input.
    pub fn recurrent_gates(self) -> usize {
        if self.row().recurrent {
            self.gates()
        } else {
            0
        }
    }

    pub fn extra(self) -> Option<Extra> {
        match self {
            Arch::LstmPh => Some(Extra::Peepholes),
            Arch::LstmFgr => Some(Extra::GateRecurrence),
            _ => None,
        }
    }

    /// The block of the forget gate whose bias `fbias` starts at +1, if the cell has one.
    pub fn forget_block(self) -> Option<usize> {
        if self.family() == Family::Lstm {
            self.blocks().find('f')
        } else {
            None
        }
    }

    /// The PyTorch cell a variant is measured against.
    pub fn base(self) -> Arch {
        match self.family() {
            Family::Lstm => Arch::Lstm,
            Family::Gru => Arch::Gru,
            Family::Plain => Arch::Rnn,
        }
    }

    pub fn cell(self) -> Cell {
        match self {
            Arch::Lstm => Cell::Lstm(0),
            Arch::LstmPh => Cell::Lstm(PEEP),
            Arch::LstmNig => Cell::Lstm(NO_I),
            Arch::LstmNfg => Cell::Lstm(NO_F),
            Arch::LstmNog => Cell::Lstm(NO_O),
            Arch::LstmNiaf => Cell::Lstm(NO_GACT),
            Arch::LstmNoaf => Cell::Lstm(NO_CACT),
            Arch::LstmCifg => Cell::Lstm(CIFG),
            Arch::LstmFgr => Cell::Lstm(FGR),
            Arch::Gru => Cell::Gru,
            Arch::Mgu => Cell::Mgu,
            Arch::MinGru => Cell::MinGru,
            Arch::MinLstm => Cell::MinLstm,
            Arch::Rnn => Cell::Rnn,
        }
    }

    /// Whether the cell keeps a cell state c beside h.
    pub fn has_cell_state(self) -> bool {
        matches!(self.cell(), Cell::Lstm(_))
    }

    /// The names `probe` reports for each layer, in order; each is a [T][H] activation.
    pub fn probe_names(self) -> &'static [&'static str] {
        self.row().probe
    }

    /// What a probed activation is (the heatmaps' tooltips), by its name in `probe_names`.
    pub fn describe(self, name: &str) -> &'static str {
        match (self.family(), self, name) {
            (_, Arch::MinLstm, "f") => "forget gate: the old h's share is f / (f + i)",
            (_, Arch::MinLstm, "i") => "input gate: the candidate's share is i / (f + i)",
            (Family::Lstm, _, "i") => "input gate: how much of g enters the cell",
            (Family::Lstm, _, "f") => "forget gate: how much of c is kept",
            (Family::Lstm, _, "g") => "candidate: new content for the cell",
            (Family::Lstm, _, "o") => "output gate: how much of c is shown as h",
            (Family::Lstm, _, "c") => "cell state: the LSTM's memory",
            (_, Arch::Gru, "r") => "reset gate: how much of h the candidate sees",
            (_, Arch::Gru, "z") => "update gate: how much of the old h is kept",
            (_, Arch::MinGru, "z") => "update gate: how much of the candidate is taken",
            (_, Arch::Mgu, "f") => "forget gate: how much of h is replaced, and seen by n",
            (_, _, "n") => "candidate: the new state proposed",
            (_, _, "h") => "hidden state: what the readout sees",
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_enum_and_names_parse_back() {
        for (k, a) in Arch::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, k);
            assert_eq!(Arch::parse(a.name()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.name()));
            assert!(a.probe_names().iter().all(|n| !a.describe(n).is_empty()), "{a:?}");
            // Every gate block but the candidate is probed, and the state is.
            assert!(a.probe_names().contains(&"h"));
        }
        for a in Arch::ALL {
            if let Cell::Lstm(v) = a.cell() {
                assert_eq!(a.gates(), crate::nn::lstm::blocks(v), "{a:?}");
            }
        }
        assert_eq!(Arch::MinLstm.forget_block(), Some(0));
        assert_eq!(Arch::MinLstm.base(), Arch::Lstm);
        assert_eq!(Arch::Mgu.forget_block(), None);
        assert_eq!(Arch::LstmNig.forget_block(), Some(0));
    }
}
