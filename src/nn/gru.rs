//! GRU cell, PyTorch's `nn.GRU` equations (gate order r, z, n):
//!   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
//!   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 - z) ⊙ n + z ⊙ h
//! Per step and batch row the cache holds `acts` = [r, z, n, W_hn h + b_hn], each [H].

use super::activation::{sigmoid, tanh};
use super::simd::wide_fn;

pub const ACTS: usize = 4;

wide_fn! {
run = hid;
/// px: [B, 3H] input projection (+ b_ih), ph: [B, 3H] recurrent projection (+ b_hh),
/// h_prev: [B, H]. Writes h: [B, H] and acts: [B, 4H].
pub fn forward(hid: usize, px: &[f32], ph: &[f32], h_prev: &[f32], h: &mut [f32], acts: &mut [f32]) {
    let rows = px.chunks_exact(3 * hid).zip(ph.chunks_exact(3 * hid)).zip(acts.chunks_exact_mut(ACTS * hid));
    let states = h_prev.chunks_exact(hid).zip(h.chunks_exact_mut(hid));
    for (((x, p), a), (hp, hn)) in rows.zip(states) {
        let (ar, rest) = a.split_at_mut(hid);
        let (az, rest) = rest.split_at_mut(hid);
        let (an, ahn) = rest.split_at_mut(hid);
        let (xr, xz, xn) = (&x[..hid], &x[hid..2 * hid], &x[2 * hid..]);
        let (pr, pz, pn) = (&p[..hid], &p[hid..2 * hid], &p[2 * hid..]);
        for j in 0..hid {
            let r = sigmoid(xr[j] + pr[j]);
            let z = sigmoid(xz[j] + pz[j]);
            let n = tanh(xn[j] + r * pn[j]);
            (ar[j], az[j], an[j], ahn[j]) = (r, z, n, pn[j]);
            hn[j] = (1.0 - z) * n + z * hp[j];
        }
    }
}
}

wide_fn! {
run = hid;
/// dh: [B, H] total dL/dh_t. Writes dpx: [B, 3H] (input side), dph: [B, 3H] (recurrent side,
/// which differs in the n block by the factor r) and dh_prev: [B, H], the part of dL/dh_{t-1}
/// that does not pass through W_hh.
pub fn backward(
    hid: usize,
    acts: &[f32],
    h_prev: &[f32],
    dh: &[f32],
    dpx: &mut [f32],
    dph: &mut [f32],
    dh_prev: &mut [f32],
) {
    let rows =
        acts.chunks_exact(ACTS * hid).zip(dpx.chunks_exact_mut(3 * hid)).zip(dph.chunks_exact_mut(3 * hid));
    let state = h_prev.chunks_exact(hid).zip(dh.chunks_exact(hid)).zip(dh_prev.chunks_exact_mut(hid));
    for (((a, dx), dp), ((hp, dhr), dhp)) in rows.zip(state) {
        let (r, z, n, hn) = (&a[..hid], &a[hid..2 * hid], &a[2 * hid..3 * hid], &a[3 * hid..]);
        let (dxr, rest) = dx.split_at_mut(hid);
        let (dxz, dxn) = rest.split_at_mut(hid);
        let (dpr, rest) = dp.split_at_mut(hid);
        let (dpz, dpn) = rest.split_at_mut(hid);
        for j in 0..hid {
            let dn = dhr[j] * (1.0 - z[j]) * (1.0 - n[j] * n[j]);
            let dz = dhr[j] * (hp[j] - n[j]) * z[j] * (1.0 - z[j]);
            let dr = dn * hn[j] * r[j] * (1.0 - r[j]);
            (dxr[j], dxz[j], dxn[j]) = (dr, dz, dn);
            (dpr[j], dpz[j], dpn[j]) = (dr, dz, dn * r[j]);
            dhp[j] = dhr[j] * z[j];
        }
    }
}
}
