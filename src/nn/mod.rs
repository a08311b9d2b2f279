//! The recurrent-network engine: plain Rust over flat `f32` buffers, no web dependency.
//!
//! Shapes are written `[T, B, H]`: time steps, batch, hidden units. Parameters follow PyTorch's
//! `nn.LSTM` / `nn.GRU` / `nn.RNN` (one layer) plus an `nn.Linear` readout, so weights move
//! between Gatelab and PyTorch without translation (see `model_file.rs`).

pub mod gru;
pub mod init;
pub mod kernels;
pub mod loss;
pub mod lstm;
pub mod model_file;
pub mod network;
pub mod optim;
pub mod readout;
pub mod recurrent;
pub mod rnn;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    Lstm,
    Gru,
    Rnn,
}

impl Arch {
    pub const ALL: [Arch; 3] = [Arch::Lstm, Arch::Gru, Arch::Rnn];

    /// Gate blocks stacked in `weight_ih` / `weight_hh` (PyTorch's order: LSTM i,f,g,o; GRU r,z,n).
    pub fn gates(self) -> usize {
        match self {
            Arch::Lstm => 4,
            Arch::Gru => 3,
            Arch::Rnn => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Arch::Lstm => "lstm",
            Arch::Gru => "gru",
            Arch::Rnn => "rnn",
        }
    }

    pub fn parse(s: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.name() == s)
    }

    /// The names `probe` reports, in order; each is a [T][H] activation.
    pub fn probe_names(self) -> &'static [&'static str] {
        match self {
            Arch::Lstm => &["i", "f", "g", "o", "c", "h"],
            Arch::Gru => &["r", "z", "n", "h"],
            Arch::Rnn => &["h"],
        }
    }

    /// Parameters of the recurrent layer and a readout, as PyTorch counts them.
    pub fn param_count(self, d: Dims) -> usize {
        Layout::new(self, d).total
    }

    /// The largest hidden size whose parameter count does not exceed `target` (at least 1).
    pub fn hidden_for_params(self, d: Dims, target: usize) -> usize {
        (1..=4096).take_while(|&h| self.param_count(Dims { hidden: h, ..d }) <= target).last().unwrap_or(1)
    }
}

/// Sizes of one network: input features I, hidden units H, outputs O.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dims {
    pub input: usize,
    pub hidden: usize,
    pub output: usize,
}

/// Offsets of each tensor in the flat parameter buffer (and in the gradient buffer).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub w_ih: usize,  // [G*H, I]
    pub w_hh: usize,  // [G*H, H]
    pub b_ih: usize,  // [G*H]
    pub b_hh: usize,  // [G*H]
    pub w_out: usize, // [O, H]
    pub b_out: usize, // [O]
    pub total: usize,
}

impl Layout {
    pub fn new(arch: Arch, d: Dims) -> Layout {
        let gh = arch.gates() * d.hidden;
        let w_ih = 0;
        let w_hh = w_ih + gh * d.input;
        let b_ih = w_hh + gh * d.hidden;
        let b_hh = b_ih + gh;
        let w_out = b_hh + gh;
        let b_out = w_out + d.output * d.hidden;
        Layout { w_ih, w_hh, b_ih, b_hh, w_out, b_out, total: b_out + d.output }
    }
}

/// Borrowed views of every tensor of a parameter (or gradient) buffer.
pub struct Tensors<'a> {
    pub w_ih: &'a [f32],
    pub w_hh: &'a [f32],
    pub b_ih: &'a [f32],
    pub b_hh: &'a [f32],
    pub w_out: &'a [f32],
    pub b_out: &'a [f32],
}

pub struct TensorsMut<'a> {
    pub w_ih: &'a mut [f32],
    pub w_hh: &'a mut [f32],
    pub b_ih: &'a mut [f32],
    pub b_hh: &'a mut [f32],
    pub w_out: &'a mut [f32],
    pub b_out: &'a mut [f32],
}

impl Layout {
    pub fn split<'a>(&self, buf: &'a [f32]) -> Tensors<'a> {
        let (w_ih, rest) = buf.split_at(self.w_hh);
        let (w_hh, rest) = rest.split_at(self.b_ih - self.w_hh);
        let (b_ih, rest) = rest.split_at(self.b_hh - self.b_ih);
        let (b_hh, rest) = rest.split_at(self.w_out - self.b_hh);
        let (w_out, b_out) = rest.split_at(self.b_out - self.w_out);
        Tensors { w_ih, w_hh, b_ih, b_hh, w_out, b_out }
    }

    pub fn split_mut<'a>(&self, buf: &'a mut [f32]) -> TensorsMut<'a> {
        let (w_ih, rest) = buf.split_at_mut(self.w_hh);
        let (w_hh, rest) = rest.split_at_mut(self.b_ih - self.w_hh);
        let (b_ih, rest) = rest.split_at_mut(self.b_hh - self.b_ih);
        let (b_hh, rest) = rest.split_at_mut(self.w_out - self.b_hh);
        let (w_out, b_out) = rest.split_at_mut(self.b_out - self.w_out);
        TensorsMut { w_ih, w_hh, b_ih, b_hh, w_out, b_out }
    }
}

/// A network's architecture, sizes and every parameter in one flat buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub arch: Arch,
    pub dims: Dims,
    pub params: Vec<f32>,
}

impl Model {
    pub fn layout(&self) -> Layout {
        Layout::new(self.arch, self.dims)
    }
    pub fn tensors(&self) -> Tensors<'_> {
        self.layout().split(&self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_counts_equal_pytorch() {
        // nn.LSTM(8, 128) = 4*128*(8+128) + 2*4*128 = 70656; nn.Linear(128, 1) = 129.
        let d = Dims { input: 8, hidden: 128, output: 1 };
        assert_eq!(Arch::Lstm.param_count(d), 70656 + 129);
        assert_eq!(Arch::Gru.param_count(d), 52992 + 129);
        assert_eq!(Arch::Rnn.param_count(d), 17664 + 129);
    }

    #[test]
    fn hidden_for_params_matches_budget() {
        let d = Dims { input: 2, hidden: 16, output: 1 };
        let lstm = Arch::Lstm.param_count(d);
        let h = Arch::Gru.hidden_for_params(d, lstm);
        assert!(Arch::Gru.param_count(Dims { hidden: h, ..d }) <= lstm);
        assert!(Arch::Gru.param_count(Dims { hidden: h + 1, ..d }) > lstm);
        assert!(h > 16);
    }
}
