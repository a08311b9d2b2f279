//! LSTM cell, PyTorch's `nn.LSTM` equations (gate order i, f, g, o):
//!   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…)   g = tanh(…)   o = σ(…)
//!   c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
//! Per step and batch row the cache holds `acts` = [i, f, g, o, tanh c'], each [H]; the cell
//! states themselves live in the layer's `c`: [T+1, B, H].

use super::activation::{sigmoid, tanh};
use super::simd::wide_fn;

pub const ACTS: usize = 5;

wide_fn! {
run = hid;
/// pre: [B, 4H] = both projections and both biases; c_prev: [B, H].
/// Writes c: [B, H], h: [B, H] and acts: [B, 5H].
pub fn forward(hid: usize, pre: &[f32], c_prev: &[f32], c: &mut [f32], h: &mut [f32], acts: &mut [f32]) {
    let rows = pre.chunks_exact(4 * hid).zip(acts.chunks_exact_mut(ACTS * hid));
    let states = c_prev.chunks_exact(hid).zip(c.chunks_exact_mut(hid)).zip(h.chunks_exact_mut(hid));
    for ((p, a), ((cp, cn), hn)) in rows.zip(states) {
        let (pi, pf, pg, po) = (&p[..hid], &p[hid..2 * hid], &p[2 * hid..3 * hid], &p[3 * hid..]);
        let (ai, rest) = a.split_at_mut(hid);
        let (af, rest) = rest.split_at_mut(hid);
        let (ag, rest) = rest.split_at_mut(hid);
        let (ao, atc) = rest.split_at_mut(hid);
        for j in 0..hid {
            let (i, f, g, o) = (sigmoid(pi[j]), sigmoid(pf[j]), tanh(pg[j]), sigmoid(po[j]));
            let cv = f * cp[j] + i * g;
            let tc = tanh(cv);
            (ai[j], af[j], ag[j], ao[j], atc[j]) = (i, f, g, o, tc);
            cn[j] = cv;
            hn[j] = o * tc;
        }
    }
}
}

wide_fn! {
run = hid;
/// dh: [B, H] total dL/dh_t; c_prev: [B, H]. dc: [B, H] holds dL/dc_t from later steps on entry
/// and dL/dc_{t-1} on exit. Writes dpre: [B, 4H] (the same for both projections and biases).
pub fn backward(hid: usize, acts: &[f32], c_prev: &[f32], dh: &[f32], dc: &mut [f32], dpre: &mut [f32]) {
    let rows = acts.chunks_exact(ACTS * hid).zip(dpre.chunks_exact_mut(4 * hid));
    let state = c_prev.chunks_exact(hid).zip(dh.chunks_exact(hid)).zip(dc.chunks_exact_mut(hid));
    for ((a, d), ((cp, dhr), dcr)) in rows.zip(state) {
        let (i, f, g, o, tc) =
            (&a[..hid], &a[hid..2 * hid], &a[2 * hid..3 * hid], &a[3 * hid..4 * hid], &a[4 * hid..]);
        let (di, rest) = d.split_at_mut(hid);
        let (df, rest) = rest.split_at_mut(hid);
        let (dg, d_o) = rest.split_at_mut(hid);
        for j in 0..hid {
            let dct = dcr[j] + dhr[j] * o[j] * (1.0 - tc[j] * tc[j]);
            di[j] = dct * g[j] * i[j] * (1.0 - i[j]);
            df[j] = dct * cp[j] * f[j] * (1.0 - f[j]);
            dg[j] = dct * i[j] * (1.0 - g[j] * g[j]);
            d_o[j] = dhr[j] * tc[j] * o[j] * (1.0 - o[j]);
            dcr[j] = dct * f[j];
        }
    }
}
}
