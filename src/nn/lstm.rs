//! LSTM cell, PyTorch's `nn.LSTM` equations (gate order i, f, g, o):
//!   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…)   g = tanh(…)   o = σ(…)
//!   c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
//! Per step and batch row the cache holds `acts` = [i, f, g, o, c', tanh c'], each [H].

use super::kernels::{sigmoid, tanh};

pub const ACTS: usize = 6;

/// pre: [B, 4H] = input + recurrent projections; prev_acts: [B, 6H] of step t-1 (None at t = 0).
/// Writes h: [B, H] and acts: [B, 6H].
pub fn forward(hid: usize, pre: &[f32], prev_acts: Option<&[f32]>, h: &mut [f32], acts: &mut [f32]) {
    for (b, (p, a)) in pre.chunks_exact(4 * hid).zip(acts.chunks_exact_mut(ACTS * hid)).enumerate() {
        for j in 0..hid {
            let i = sigmoid(p[j]);
            let f = sigmoid(p[hid + j]);
            let g = tanh(p[2 * hid + j]);
            let o = sigmoid(p[3 * hid + j]);
            let c_prev = prev_acts.map_or(0.0, |pa| pa[b * ACTS * hid + 4 * hid + j]);
            let c = f * c_prev + i * g;
            let tc = tanh(c);
            a[j] = i;
            a[hid + j] = f;
            a[2 * hid + j] = g;
            a[3 * hid + j] = o;
            a[4 * hid + j] = c;
            a[5 * hid + j] = tc;
            h[b * hid + j] = o * tc;
        }
    }
}

/// dh: [B, H] total dL/dh_t. dc: [B, H] holds dL/dc_t from later steps on entry and dL/dc_{t-1}
/// on exit. Writes dpre: [B, 4H] (the same for the input and the recurrent projection).
pub fn backward(
    hid: usize,
    acts: &[f32],
    prev_acts: Option<&[f32]>,
    dh: &[f32],
    dc: &mut [f32],
    dpre: &mut [f32],
) {
    for (b, (a, d)) in acts.chunks_exact(ACTS * hid).zip(dpre.chunks_exact_mut(4 * hid)).enumerate() {
        for j in 0..hid {
            let (i, f, g, o, tc) = (a[j], a[hid + j], a[2 * hid + j], a[3 * hid + j], a[5 * hid + j]);
            let c_prev = prev_acts.map_or(0.0, |pa| pa[b * ACTS * hid + 4 * hid + j]);
            let k = b * hid + j;
            let dct = dc[k] + dh[k] * o * (1.0 - tc * tc);
            d[j] = dct * g * i * (1.0 - i);
            d[hid + j] = dct * c_prev * f * (1.0 - f);
            d[2 * hid + j] = dct * i * (1.0 - g * g);
            d[3 * hid + j] = dh[k] * tc * o * (1.0 - o);
            dc[k] = dct * f;
        }
    }
}
