//! The recurrent layer shared by every cell: one matrix product for the input projection of all
//! T steps, one recurrent product per step, and in backward the weight gradients as two products
//! over all steps. The cells (`lstm.rs`, `gru.rs`, `rnn.rs`) only do their elementwise part.
//! Memory for backprop through time is `h`, `acts`, `pre_x` and the two gradient buffers:
//! all O(T * B * H).

use super::kernels::{add_row_sums, fill_rows, gemm, transpose, Strided};
use super::{gru, lstm, rnn, Arch, Dims, Tensors, TensorsMut};

/// What forward keeps for backward (and for probing).
#[derive(Default, Clone)]
pub struct Cache {
    pub steps: usize,
    pub batch: usize,
    pub h: Vec<f32>,    // [T+1, B, H], h[0] = 0
    pub acts: Vec<f32>, // [T, B, A*H], the cell's own cache (A = ACTS of the cell)
    pre_x: Vec<f32>,    // [T, B, G*H] = x W_ih^T + b_ih
    pre_h: Vec<f32>,    // [B, G*H] scratch: h W_hh^T + b_hh of one step
    w_ih_t: Vec<f32>,   // [I, G*H]
    w_hh_t: Vec<f32>,   // [H, G*H]
}

/// Scratch for backward, kept between calls so training allocates nothing per step.
#[derive(Default, Clone)]
pub struct Scratch {
    dpre_x: Vec<f32>,  // [T, B, G*H] dL/d(input projection)
    dpre_h: Vec<f32>,  // [T, B, G*H] dL/d(recurrent projection), GRU only
    dh: Vec<f32>,      // [B, H] total dL/dh_t
    dh_prev: Vec<f32>, // [B, H] direct part of dL/dh_{t-1}
    dc: Vec<f32>,      // [B, H] LSTM cell-state carry
}

impl Cache {
    /// Floats held, for the memory test: all O(T * B * H) plus the weights' transposes.
    pub fn floats(&self) -> usize {
        [&self.h, &self.acts, &self.pre_x, &self.pre_h, &self.w_ih_t, &self.w_hh_t]
            .iter()
            .map(|v| v.len())
            .sum()
    }
}

impl Scratch {
    pub fn floats(&self) -> usize {
        [&self.dpre_x, &self.dpre_h, &self.dh, &self.dh_prev, &self.dc].iter().map(|v| v.len()).sum()
    }
}

pub fn acts_per_unit(arch: Arch) -> usize {
    match arch {
        Arch::Lstm => lstm::ACTS,
        Arch::Gru => gru::ACTS,
        Arch::Rnn => rnn::ACTS,
    }
}

fn step_slice(buf: &[f32], t: usize, width: usize) -> &[f32] {
    &buf[t * width..(t + 1) * width]
}

/// x: [T, B, I] -> cache.h: [T+1, B, H].
pub fn forward(arch: Arch, d: Dims, p: &Tensors, x: &[f32], steps: usize, batch: usize, c: &mut Cache) {
    let (hid, gh, a_w) = (d.hidden, arch.gates() * d.hidden, acts_per_unit(arch) * d.hidden);
    c.steps = steps;
    c.batch = batch;
    c.h.clear();
    c.h.resize((steps + 1) * batch * hid, 0.0);
    c.acts.resize(steps * batch * a_w, 0.0);
    c.pre_x.resize(steps * batch * gh, 0.0);
    c.pre_h.resize(batch * gh, 0.0);
    transpose(p.w_ih, gh, d.input, &mut c.w_ih_t);
    transpose(p.w_hh, gh, hid, &mut c.w_hh_t);
    fill_rows(&mut c.pre_x, p.b_ih);
    gemm(steps * batch, gh, d.input, Strided::rows(x, d.input), &c.w_ih_t, &mut c.pre_x, true);
    let bh = batch * hid;
    for t in 0..steps {
        fill_rows(&mut c.pre_h, p.b_hh);
        let (past, future) = c.h.split_at_mut((t + 1) * bh);
        let h_prev = &past[t * bh..];
        let h = &mut future[..bh];
        gemm(batch, gh, hid, Strided::rows(h_prev, hid), &c.w_hh_t, &mut c.pre_h, true);
        let px = step_slice(&c.pre_x, t, batch * gh);
        let (acts_past, acts_future) = c.acts.split_at_mut(t * batch * a_w);
        let acts = &mut acts_future[..batch * a_w];
        let prev_acts = (t > 0).then(|| &acts_past[(t - 1) * batch * a_w..]);
        match arch {
            Arch::Gru => gru::forward(hid, px, &c.pre_h, h_prev, h, acts),
            Arch::Lstm | Arch::Rnn => {
                for (ph, xv) in c.pre_h.iter_mut().zip(px) {
                    *ph += xv;
                }
                if arch == Arch::Lstm {
                    lstm::forward(hid, &c.pre_h, prev_acts, h, acts);
                } else {
                    rnn::forward(&c.pre_h, h);
                }
            }
        }
    }
}

/// Options of one backward pass.
#[derive(Clone, Copy, Default)]
pub struct Backprop {
    /// Truncated BPTT: no gradient crosses the boundary before steps t = k, 2k, … (0 = full).
    pub truncate: usize,
}

/// dh_out: [T, B, H] = dL/dh_t from the readout. Accumulates into g; writes dx: [T, B, I] if
/// given, and ||dL/dh_t|| over the batch into `dh_norms` if given.
#[allow(clippy::too_many_arguments)]
pub fn backward(
    arch: Arch,
    d: Dims,
    p: &Tensors,
    x: &[f32],
    c: &Cache,
    dh_out: &[f32],
    opts: Backprop,
    g: &mut TensorsMut,
    s: &mut Scratch,
    dx: Option<&mut [f32]>,
    mut dh_norms: Option<&mut Vec<f32>>,
) {
    let (steps, batch, hid) = (c.steps, c.batch, d.hidden);
    let (gh, a_w, bh) = (arch.gates() * hid, acts_per_unit(arch) * hid, batch * hid);
    s.dpre_x.resize(steps * batch * gh, 0.0);
    s.dpre_h.resize(if arch == Arch::Gru { steps * batch * gh } else { 0 }, 0.0);
    for v in [&mut s.dh, &mut s.dh_prev, &mut s.dc] {
        v.clear();
        v.resize(bh, 0.0);
    }
    if let Some(n) = dh_norms.as_deref_mut() {
        n.clear();
        n.resize(steps, 0.0);
    }
    for t in (0..steps).rev() {
        // s.dh holds the recurrent part of dL/dh_t; add the readout's part.
        for (a, b) in s.dh.iter_mut().zip(step_slice(dh_out, t, bh)) {
            *a += b;
        }
        if let Some(n) = dh_norms.as_deref_mut() {
            n[t] = s.dh.iter().map(|v| v * v).sum::<f32>().sqrt();
        }
        let acts = step_slice(&c.acts, t, batch * a_w);
        let prev_acts = (t > 0).then(|| step_slice(&c.acts, t - 1, batch * a_w));
        let h_prev = step_slice(&c.h, t, bh);
        let dpx = &mut s.dpre_x[t * batch * gh..(t + 1) * batch * gh];
        match arch {
            Arch::Lstm => lstm::backward(hid, acts, prev_acts, &s.dh, &mut s.dc, dpx),
            Arch::Gru => {
                let dph = &mut s.dpre_h[t * batch * gh..(t + 1) * batch * gh];
                gru::backward(hid, acts, h_prev, &s.dh, dpx, dph, &mut s.dh_prev);
            }
            Arch::Rnn => rnn::backward(step_slice(&c.h, t + 1, bh), &s.dh, dpx),
        }
        if t == 0 || (opts.truncate > 0 && t % opts.truncate == 0) {
            s.dh.fill(0.0);
            s.dc.fill(0.0);
            continue;
        }
        // dL/dh_{t-1} = direct part + dpre_h · W_hh.
        let dph = if arch == Arch::Gru { step_slice(&s.dpre_h, t, batch * gh) } else { &*dpx };
        if arch == Arch::Gru {
            s.dh.copy_from_slice(&s.dh_prev);
        } else {
            s.dh.fill(0.0);
        }
        gemm(batch, hid, gh, Strided::rows(dph, gh), p.w_hh, &mut s.dh, true);
    }
    let rows = steps * batch;
    let dph_all = if arch == Arch::Gru { &s.dpre_h } else { &s.dpre_x };
    // dW_ih += dpre_x^T · x;  dW_hh += dpre_h^T · h_{t-1};  biases: column sums.
    gemm(gh, d.input, rows, Strided::transposed(&s.dpre_x, gh), x, g.w_ih, true);
    gemm(gh, hid, rows, Strided::transposed(dph_all, gh), &c.h[..rows * hid], g.w_hh, true);
    add_row_sums(&s.dpre_x, g.b_ih);
    add_row_sums(dph_all, g.b_hh);
    if let Some(dx) = dx {
        gemm(rows, d.input, gh, Strided::rows(&s.dpre_x, gh), p.w_ih, dx, false);
    }
}
