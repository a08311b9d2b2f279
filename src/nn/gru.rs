//! GRU cell, PyTorch's `nn.GRU` equations (gate order r, z, n):
//!   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
//!   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 - z) ⊙ n + z ⊙ h
//! Per step and batch row the cache holds `acts` = [r, z, n, W_hn h + b_hn], each [H].

use super::kernels::{sigmoid, tanh};

pub const ACTS: usize = 4;

/// px: [B, 3H] input projection, ph: [B, 3H] recurrent projection, h_prev: [B, H].
/// Writes h: [B, H] and acts: [B, 4H].
pub fn forward(hid: usize, px: &[f32], ph: &[f32], h_prev: &[f32], h: &mut [f32], acts: &mut [f32]) {
    let rows = px.chunks_exact(3 * hid).zip(ph.chunks_exact(3 * hid));
    for (b, ((x, p), a)) in rows.zip(acts.chunks_exact_mut(ACTS * hid)).enumerate() {
        for j in 0..hid {
            let r = sigmoid(x[j] + p[j]);
            let z = sigmoid(x[hid + j] + p[hid + j]);
            let hn = p[2 * hid + j];
            let n = tanh(x[2 * hid + j] + r * hn);
            a[j] = r;
            a[hid + j] = z;
            a[2 * hid + j] = n;
            a[3 * hid + j] = hn;
            let k = b * hid + j;
            h[k] = (1.0 - z) * n + z * h_prev[k];
        }
    }
}

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
    let rows = acts.chunks_exact(ACTS * hid).zip(dpx.chunks_exact_mut(3 * hid));
    for (b, ((a, dx), dp)) in rows.zip(dph.chunks_exact_mut(3 * hid)).enumerate() {
        for j in 0..hid {
            let (r, z, n, hn) = (a[j], a[hid + j], a[2 * hid + j], a[3 * hid + j]);
            let k = b * hid + j;
            let dn = dh[k] * (1.0 - z) * (1.0 - n * n);
            let dz = dh[k] * (h_prev[k] - n) * z * (1.0 - z);
            let dr = dn * hn * r * (1.0 - r);
            dx[j] = dr;
            dx[hid + j] = dz;
            dx[2 * hid + j] = dn;
            dp[j] = dr;
            dp[hid + j] = dz;
            dp[2 * hid + j] = dn * r;
            dh_prev[k] = dh[k] * z;
        }
    }
}
