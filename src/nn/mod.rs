//! The recurrent-network engine: plain Rust over flat `f32` buffers, no web dependency.
//!
//! Shapes are written `[T, B, H]`: time steps, batch, hidden units. Parameters follow PyTorch's
//! `nn.LSTM` / `nn.GRU` / `nn.RNN` (with `num_layers`) plus an `nn.Linear` readout, so weights
//! move between Gatelab and PyTorch without translation (see `model_file.rs`).

pub mod activation;
pub mod arch;
pub mod arithmetic;
pub mod gemm;
pub mod gru;
pub mod init;
pub mod kernels;
pub mod loss;
pub mod lstm;
pub mod mgu;
pub mod minimal;
pub mod model_file;
pub mod network;
pub mod optim;
pub mod readout;
pub mod recurrent;
pub mod rnn;
pub mod sampler;
pub mod simd;

pub use arch::{Arch, Cell, Extra, Family};
use serde::{Deserialize, Serialize};

/// Most stacked layers a network may have.
pub const MAX_LAYERS: usize = 3;

impl Arch {
    /// Parameters of the recurrent layers and the readout, as PyTorch counts them.
    pub fn param_count(self, d: Dims) -> usize {
        Layout::new(self, d).total
    }

    /// The largest hidden size (at most 4096) whose parameter count does not exceed `target`.
    pub fn hidden_for_params(self, d: Dims, target: usize) -> usize {
        (1..=4096).take_while(|&h| self.param_count(Dims { hidden: h, ..d }) <= target).last().unwrap_or(1)
    }
}

/// Sizes of one network: input features I, hidden units H per layer, outputs O, layers L.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dims {
    pub input: usize,
    pub hidden: usize,
    pub output: usize,
    pub layers: usize,
}

impl Dims {
    /// Input width of layer `l`: the features for the first, the layer below's h above it.
    pub fn layer_input(&self, l: usize) -> usize {
        if l == 0 {
            self.input
        } else {
            self.hidden
        }
    }
}

/// Offsets of one recurrent layer's tensors in the flat parameter buffer.
#[derive(Clone, Copy, Debug, Default)]
pub struct LayerLayout {
    pub w_ih: usize,  // [G*H, I_l]
    pub w_hh: usize,  // [R*H, H], R = G or 0 (`Arch::recurrent_gates`)
    pub b_ih: usize,  // [G*H]
    pub b_hh: usize,  // [R*H]
    pub extra: usize, // the variant's own tensor (`Arch::extra`), if it has one
    pub end: usize,
}

/// Offsets of every tensor, in PyTorch's `state_dict` order: layer 0's four (and its extra),
/// layer 1's, ..., then the readout.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub layers: [LayerLayout; MAX_LAYERS],
    pub count: usize,
    pub w_out: usize, // [O, H]
    pub b_out: usize, // [O]
    pub total: usize,
}

impl Layout {
    pub fn new(arch: Arch, d: Dims) -> Layout {
        let (gh, rh) = (arch.gates() * d.hidden, arch.recurrent_gates() * d.hidden);
        let mut layers = [LayerLayout::default(); MAX_LAYERS];
        let mut at = 0;
        for (l, lay) in layers.iter_mut().enumerate().take(d.layers.min(MAX_LAYERS)) {
            let w_hh = at + gh * d.layer_input(l);
            let b_ih = w_hh + rh * d.hidden;
            let b_hh = b_ih + gh;
            let extra = b_hh + rh;
            *lay = LayerLayout { w_ih: at, w_hh, b_ih, b_hh, extra, end: extra + extra_size(arch, d.hidden) };
            at = lay.end;
        }
        let b_out = at + d.output * d.hidden;
        Layout { layers, count: d.layers.min(MAX_LAYERS), w_out: at, b_out, total: b_out + d.output }
    }

    pub fn split<'a>(&self, buf: &'a [f32]) -> Tensors<'a> {
        let mut layers: [LayerTensors<'a>; MAX_LAYERS] = Default::default();
        for (t, l) in layers.iter_mut().zip(&self.layers).take(self.count) {
            let s = &buf[l.w_ih..l.end];
            let (w_ih, rest) = s.split_at(l.w_hh - l.w_ih);
            let (w_hh, rest) = rest.split_at(l.b_ih - l.w_hh);
            let (b_ih, rest) = rest.split_at(l.b_hh - l.b_ih);
            let (b_hh, extra) = rest.split_at(l.extra - l.b_hh);
            *t = LayerTensors { w_ih, w_hh, b_ih, b_hh, extra };
        }
        let (w_out, b_out) = buf[self.w_out..self.total].split_at(self.b_out - self.w_out);
        Tensors { layers, w_out, b_out }
    }

    pub fn split_mut<'a>(&self, buf: &'a mut [f32]) -> TensorsMut<'a> {
        let mut layers: [LayerTensorsMut<'a>; MAX_LAYERS] = Default::default();
        let (mut rest, readout) = buf[..self.total].split_at_mut(self.w_out);
        for (t, l) in layers.iter_mut().zip(&self.layers).take(self.count) {
            let (s, tail) = rest.split_at_mut(l.end - l.w_ih);
            rest = tail;
            let (w_ih, s) = s.split_at_mut(l.w_hh - l.w_ih);
            let (w_hh, s) = s.split_at_mut(l.b_ih - l.w_hh);
            let (b_ih, s) = s.split_at_mut(l.b_hh - l.b_ih);
            let (b_hh, extra) = s.split_at_mut(l.extra - l.b_hh);
            *t = LayerTensorsMut { w_ih, w_hh, b_ih, b_hh, extra };
        }
        let (w_out, b_out) = readout.split_at_mut(self.b_out - self.w_out);
        TensorsMut { layers, w_out, b_out }
    }
}

/// Floats in a layer's extra tensor: [3H] peepholes, or [3H, 3H] gate recurrence.
pub fn extra_size(arch: Arch, hidden: usize) -> usize {
    match arch.extra() {
        Some(Extra::Peepholes) => 3 * hidden,
        Some(Extra::GateRecurrence) => 9 * hidden * hidden,
        None => 0,
    }
}

/// Borrowed views of one layer's tensors of a parameter (or gradient) buffer.
#[derive(Default, Clone, Copy)]
pub struct LayerTensors<'a> {
    pub w_ih: &'a [f32],
    pub w_hh: &'a [f32],
    pub b_ih: &'a [f32],
    pub b_hh: &'a [f32],
    pub extra: &'a [f32],
}

#[derive(Default)]
pub struct LayerTensorsMut<'a> {
    pub w_ih: &'a mut [f32],
    pub w_hh: &'a mut [f32],
    pub b_ih: &'a mut [f32],
    pub b_hh: &'a mut [f32],
    pub extra: &'a mut [f32],
}

pub struct Tensors<'a> {
    pub layers: [LayerTensors<'a>; MAX_LAYERS],
    pub w_out: &'a [f32],
    pub b_out: &'a [f32],
}

pub struct TensorsMut<'a> {
    pub layers: [LayerTensorsMut<'a>; MAX_LAYERS],
    pub w_out: &'a mut [f32],
    pub b_out: &'a mut [f32],
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
        let d = Dims { input: 8, hidden: 128, output: 1, layers: 1 };
        assert_eq!(Arch::Lstm.param_count(d), 70656 + 129);
        assert_eq!(Arch::Gru.param_count(d), 52992 + 129);
        assert_eq!(Arch::Rnn.param_count(d), 17664 + 129);
        // nn.LSTM(8, 128, num_layers=2) adds 4*128*(128+128) + 2*4*128 = 132096.
        assert_eq!(Arch::Lstm.param_count(Dims { layers: 2, ..d }), 70656 + 132096 + 129);
    }

    #[test]
    fn hidden_for_params_matches_budget() {
        let d = Dims { input: 2, hidden: 16, output: 1, layers: 1 };
        let lstm = Arch::Lstm.param_count(d);
        let h = Arch::Gru.hidden_for_params(d, lstm);
        assert!(Arch::Gru.param_count(Dims { hidden: h, ..d }) <= lstm);
        assert!(Arch::Gru.param_count(Dims { hidden: h + 1, ..d }) > lstm);
        assert!(h > 16);
    }

    #[test]
    fn layouts_tile_the_buffer_in_state_dict_order() {
        let d = Dims { input: 3, hidden: 5, output: 2, layers: 3 };
        let l = Layout::new(Arch::Gru, d);
        assert_eq!(l.layers[0].w_ih, 0);
        assert_eq!(l.layers[1].w_ih, l.layers[0].end);
        assert_eq!(l.layers[1].w_hh - l.layers[1].w_ih, 15 * 5, "layer 1 reads layer 0's h");
        assert_eq!(l.w_out, l.layers[2].end);
        let buf = vec![0.0; l.total];
        let t = l.split(&buf);
        assert_eq!(t.layers.iter().map(|x| x.w_ih.len()).collect::<Vec<_>>(), vec![45, 75, 75]);
        assert_eq!((t.w_out.len(), t.b_out.len()), (10, 2));
    }
}
