//! One recurrent layer, shared by every cell: one matrix product for the input projection of all
//! T steps, one recurrent product per step, and in backward the weight gradients as two products
//! over all steps. The cells (`lstm.rs`, `gru.rs`, `rnn.rs`) only do their elementwise part.
//! Memory for backprop through time is `h`, `c`, `acts`, `pre` and the gradient scratch: all
//! O(T * B * H); the packed weights are O(H * (I + H)).

use super::gemm::{gemm, Packed, Strided};
use super::kernels::{add_row_sums, fill_rows};
use super::{gru, lstm, rnn, Arch, LayerTensors, LayerTensorsMut};

/// A layer's shape: its cell, input width and hidden units.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub arch: Arch,
    pub input: usize,
    pub hidden: usize,
}

impl Shape {
    fn gh(&self) -> usize {
        self.arch.gates() * self.hidden
    }
    fn acts(&self) -> usize {
        acts_per_unit(self.arch) * self.hidden
    }
}

/// What forward keeps for backward (and for probing).
#[derive(Default, Clone)]
pub struct Cache {
    pub steps: usize,
    pub batch: usize,
    pub h: Vec<f32>,    // [T+1, B, H], h[0] = 0
    pub c: Vec<f32>,    // [T+1, B, H], LSTM cell state, c[0] = 0 (empty for other cells)
    pub acts: Vec<f32>, // [T, B, A*H], the cell's own cache (A = ACTS of the cell)
    pre: Vec<f32>,      // [T, B, G*H]: x W_ih^T + b_ih (+ b_hh + h W_hh^T but for the GRU)
    pre_h: Vec<f32>,    // [B, G*H] GRU scratch: h W_hh^T + b_hh of one step
    bias: Vec<f32>,     // [G*H] the bias that starts `pre`
    w_ih_t: Packed,     // W_ih^T: [I, G*H]
    w_hh_t: Packed,     // W_hh^T: [H, G*H]
}

/// Scratch for backward, kept between calls so training allocates nothing per step.
#[derive(Default, Clone)]
pub struct Scratch {
    dpre_x: Vec<f32>,  // [T, B, G*H] dL/d(input projection)
    dpre_h: Vec<f32>,  // [T, B, G*H] dL/d(recurrent projection), GRU only
    dh: Vec<f32>,      // [B, H] total dL/dh_t
    dh_prev: Vec<f32>, // [B, H] direct part of dL/dh_{t-1}
    dc: Vec<f32>,      // [B, H] LSTM cell-state carry
    w_hh: Packed,      // W_hh: [G*H, H]
    w_ih: Packed,      // W_ih: [G*H, I]
    x: Packed,         // the layer's input: [T*B, I]
    h: Packed,         // h_0..h_{T-1}: [T*B, H]
}

impl Cache {
    /// Floats held, for the memory estimate and test: O(T * B * H) plus the packed weights.
    pub fn floats(&self) -> usize {
        let v = [&self.h, &self.c, &self.acts, &self.pre, &self.pre_h, &self.bias];
        v.iter().map(|v| v.capacity()).sum::<usize>() + self.w_ih_t.floats() + self.w_hh_t.floats()
    }
}

impl Scratch {
    pub fn floats(&self) -> usize {
        let v = [&self.dpre_x, &self.dpre_h, &self.dh, &self.dh_prev, &self.dc];
        let packed = [&self.w_hh, &self.w_ih, &self.x, &self.h];
        v.iter().map(|v| v.capacity()).sum::<usize>() + packed.iter().map(|p| p.floats()).sum::<usize>()
    }
}

pub fn acts_per_unit(arch: Arch) -> usize {
    match arch {
        Arch::Lstm => lstm::ACTS,
        Arch::Gru => gru::ACTS,
        Arch::Rnn => rnn::ACTS,
    }
}

fn at(buf: &[f32], t: usize, width: usize) -> &[f32] {
    &buf[t * width..(t + 1) * width]
}

fn at_mut(buf: &mut [f32], t: usize, width: usize) -> &mut [f32] {
    &mut buf[t * width..(t + 1) * width]
}

/// Resizes without keeping old contents' meaning: every element is written before it is read.
fn size(v: &mut Vec<f32>, n: usize) {
    v.resize(n, 0.0);
}

/// x: [T, B, I] -> cache.h: [T+1, B, H].
pub fn forward(s: Shape, p: &LayerTensors, x: &[f32], steps: usize, batch: usize, c: &mut Cache) {
    let (hid, gh, bh) = (s.hidden, s.gh(), batch * s.hidden);
    (c.steps, c.batch) = (steps, batch);
    size(&mut c.h, (steps + 1) * bh);
    c.h[..bh].fill(0.0);
    let lstm = s.arch == Arch::Lstm;
    size(&mut c.c, if lstm { (steps + 1) * bh } else { 0 });
    c.c.iter_mut().take(bh).for_each(|v| *v = 0.0);
    size(&mut c.acts, steps * batch * s.acts());
    size(&mut c.pre, steps * batch * gh);
    size(&mut c.pre_h, batch * gh);
    c.w_ih_t.transposed(p.w_ih, gh, s.input);
    c.w_hh_t.transposed(p.w_hh, gh, hid);
    // The GRU needs W_hn h + b_hn on its own; the other cells take both biases up front.
    c.bias.clear();
    c.bias.extend_from_slice(p.b_ih);
    if s.arch != Arch::Gru {
        c.bias.iter_mut().zip(p.b_hh).for_each(|(b, h)| *b += h);
    }
    fill_rows(&mut c.pre, &c.bias);
    gemm(steps * batch, gh, s.input, Strided::rows(x, s.input), &c.w_ih_t, &mut c.pre, true);
    let w = Recurrent { w_hh_t: &c.w_hh_t, b_hh: p.b_hh };
    for t in 0..steps {
        let (past, future) = c.h.split_at_mut((t + 1) * bh);
        let (cs_past, cs_future) = c.c.split_at_mut(if lstm { (t + 1) * bh } else { 0 });
        let state = State {
            h_prev: &past[t * bh..],
            c_prev: if lstm { &cs_past[t * bh..] } else { &[] },
            h: &mut future[..bh],
            c: if lstm { &mut cs_future[..bh] } else { &mut [] },
        };
        let pre = at_mut(&mut c.pre, t, batch * gh);
        let acts = at_mut(&mut c.acts, t, batch * s.acts());
        step(s, batch, &w, state, pre, &mut c.pre_h, acts);
    }
}

/// A layer's recurrent weights as one step needs them.
pub struct Recurrent<'a> {
    pub w_hh_t: &'a Packed, // W_hh^T: [H, G*H]
    pub b_hh: &'a [f32],    // [G*H]
}

/// One step's state: h (and the LSTM's cell state c) before, and where it goes after.
pub struct State<'a> {
    pub h_prev: &'a [f32], // [B, H]
    pub c_prev: &'a [f32], // [B, H], LSTM only (else empty)
    pub h: &'a mut [f32],  // [B, H]
    pub c: &'a mut [f32],  // [B, H], LSTM only (else empty)
}

/// One time step of one layer after its input projection: adds the recurrent projection of
/// h_prev to `pre` (pre: [B, G*H] = x W_ih^T + bias; the GRU keeps W_hn h + b_hn apart in
/// `pre_h`) and runs the cell. Training (`forward`) and text sampling share it, so both make
/// the same sums in the same order.
pub fn step(
    s: Shape,
    batch: usize,
    w: &Recurrent,
    st: State,
    pre: &mut [f32],
    pre_h: &mut [f32],
    acts: &mut [f32],
) {
    let (hid, gh) = (s.hidden, s.gh());
    let State { h_prev, c_prev, h, c } = st;
    match s.arch {
        Arch::Gru => {
            fill_rows(pre_h, w.b_hh);
            gemm(batch, gh, hid, Strided::rows(h_prev, hid), w.w_hh_t, pre_h, true);
            gru::forward(hid, pre, pre_h, h_prev, h, acts);
        }
        Arch::Lstm => {
            gemm(batch, gh, hid, Strided::rows(h_prev, hid), w.w_hh_t, pre, true);
            lstm::forward(hid, pre, c_prev, c, h, acts);
        }
        Arch::Rnn => {
            gemm(batch, gh, hid, Strided::rows(h_prev, hid), w.w_hh_t, pre, true);
            rnn::forward(pre, h);
        }
    }
}

/// Options of one backward pass.
#[derive(Clone, Copy, Default, Debug)]
pub struct Backprop {
    /// Truncated BPTT: no gradient crosses the boundary before steps t = k, 2k, … (0 = full).
    pub truncate: usize,
}

/// What backward reads and writes besides the layer's tensors.
pub struct Grads<'a, 'b> {
    pub g: &'a mut LayerTensorsMut<'b>,
    pub s: &'a mut Scratch,
    /// dL/dx: [T, B, I], written if given.
    pub dx: Option<&'a mut [f32]>,
    /// ||dL/dh_t|| over the batch, written if given.
    pub dh_norms: Option<&'a mut Vec<f32>>,
}

/// dh_out: [T, B, H] = dL/dh_t from above (the readout or the next layer). Accumulates into
/// the gradients of `out`.
pub fn backward(
    sh: Shape,
    p: &LayerTensors,
    x: &[f32],
    c: &Cache,
    dh_out: &[f32],
    opts: Backprop,
    out: Grads,
) {
    let Grads { g, s, dx, mut dh_norms } = out;
    let (steps, batch, hid) = (c.steps, c.batch, sh.hidden);
    let (gh, a_w, bh) = (sh.gh(), sh.acts(), batch * hid);
    let gru = sh.arch == Arch::Gru;
    size(&mut s.dpre_x, steps * batch * gh);
    size(&mut s.dpre_h, if gru { steps * batch * gh } else { 0 });
    for v in [&mut s.dh, &mut s.dh_prev, &mut s.dc] {
        size(v, bh);
        v.fill(0.0);
    }
    if let Some(n) = dh_norms.as_deref_mut() {
        n.clear();
        n.resize(steps, 0.0);
    }
    s.w_hh.rows(p.w_hh, gh, hid);
    for t in (0..steps).rev() {
        // s.dh holds the recurrent part of dL/dh_t; add the part from above.
        s.dh.iter_mut().zip(at(dh_out, t, bh)).for_each(|(a, b)| *a += b);
        if let Some(n) = dh_norms.as_deref_mut() {
            n[t] = s.dh.iter().map(|v| v * v).sum::<f32>().sqrt();
        }
        let acts = at(&c.acts, t, batch * a_w);
        let h_prev = at(&c.h, t, bh);
        let dpx = at_mut(&mut s.dpre_x, t, batch * gh);
        match sh.arch {
            Arch::Lstm => lstm::backward(hid, acts, at(&c.c, t, bh), &s.dh, &mut s.dc, dpx),
            Arch::Gru => {
                let dph = at_mut(&mut s.dpre_h, t, batch * gh);
                gru::backward(hid, acts, h_prev, &s.dh, dpx, dph, &mut s.dh_prev);
            }
            Arch::Rnn => rnn::backward(at(&c.h, t + 1, bh), &s.dh, dpx),
        }
        if t == 0 || (opts.truncate > 0 && t % opts.truncate == 0) {
            s.dh.fill(0.0);
            s.dc.fill(0.0);
            continue;
        }
        // dL/dh_{t-1} = direct part (GRU) + dpre_h · W_hh.
        let dph = if gru { at(&s.dpre_h, t, batch * gh) } else { at(&s.dpre_x, t, batch * gh) };
        if gru {
            s.dh.copy_from_slice(&s.dh_prev);
        } else {
            s.dh.fill(0.0);
        }
        gemm(batch, hid, gh, Strided::rows(dph, gh), &s.w_hh, &mut s.dh, true);
    }
    let rows = steps * batch;
    let dph_all = if gru { &s.dpre_h } else { &s.dpre_x };
    // dW_ih += dpre_x^T · x;  dW_hh += dpre_h^T · h_{t-1};  biases: column sums.
    s.x.rows(x, rows, sh.input);
    s.h.rows(&c.h[..rows * hid], rows, hid);
    gemm(gh, sh.input, rows, Strided::transposed(&s.dpre_x, gh), &s.x, g.w_ih, true);
    gemm(gh, hid, rows, Strided::transposed(dph_all, gh), &s.h, g.w_hh, true);
    add_row_sums(&s.dpre_x, g.b_ih);
    add_row_sums(dph_all, g.b_hh);
    if let Some(dx) = dx {
        s.w_ih.rows(p.w_ih, gh, sh.input);
        gemm(rows, sh.input, gh, Strided::rows(&s.dpre_x, gh), &s.w_ih, dx, false);
    }
}
