//! Minimal Gated Unit (Zhou et al. 2016), gate order f, n:
//!   f = σ(W_if x + b_if + W_hf h + b_hf)
//!   n = tanh(W_in x + b_in + W_hn (f ⊙ h) + b_hn)      h' = (1 - f) ⊙ h + f ⊙ n
//! The second recurrent product reads f ⊙ h, so a step runs in two halves around it (`gate`,
//! then `candidate`), and so does backward. `acts` = [f, n] per step and batch row, each [H];
//! the layer keeps f ⊙ h_{t-1}, the input of W_hn, in its `aux`.

use super::activation::{sigmoid, tanh};
use super::simd::wide_fn;

pub const ACTS: usize = 2;

wide_fn! {
run = hid;
/// px: [B, 2H] input projection (+ b_ih); pf: [B, H] = h W_hf^T + b_hf; h_prev: [B, H].
/// Writes f into acts: [B, 2H] and fh: [B, H] = f ⊙ h_prev.
pub fn gate(hid: usize, px: &[f32], pf: &[f32], h_prev: &[f32], acts: &mut [f32], fh: &mut [f32]) {
    let rows = px.chunks_exact(2 * hid).zip(pf.chunks_exact(hid)).zip(acts.chunks_exact_mut(ACTS * hid));
    for (((x, p), a), (hp, out)) in rows.zip(h_prev.chunks_exact(hid).zip(fh.chunks_exact_mut(hid))) {
        // Each block as a slice of H, so indexing by j < H needs no bounds check (see minimal.rs).
        let (x, a) = (&x[..hid], &mut a[..hid]);
        for j in 0..hid {
            let f = sigmoid(x[j] + p[j]);
            a[j] = f;
            out[j] = f * hp[j];
        }
    }
}
}

wide_fn! {
run = hid;
/// pn: [B, H] = (f ⊙ h) W_hn^T + b_hn. Writes n into acts and h: [B, H].
pub fn candidate(hid: usize, px: &[f32], pn: &[f32], h_prev: &[f32], acts: &mut [f32], h: &mut [f32]) {
    let rows = px.chunks_exact(2 * hid).zip(pn.chunks_exact(hid)).zip(acts.chunks_exact_mut(ACTS * hid));
    for (((x, p), a), (hp, hn)) in rows.zip(h_prev.chunks_exact(hid).zip(h.chunks_exact_mut(hid))) {
        let (af, an) = a.split_at_mut(hid);
        let x = &x[hid..];
        for j in 0..hid {
            let n = tanh(x[j] + p[j]);
            an[j] = n;
            hn[j] = (1.0 - af[j]) * hp[j] + af[j] * n;
        }
    }
}
}

wide_fn! {
run = hid;
/// dh: [B, H] total dL/dh_t. Writes the n blocks of dpx and dph: [B, 2H] (both dL/dn's
/// pre-activation); `back_gate` then needs dL/d(f ⊙ h) = that times W_hn.
pub fn back_candidate(hid: usize, acts: &[f32], dh: &[f32], dpx: &mut [f32], dph: &mut [f32]) {
    let rows = acts.chunks_exact(ACTS * hid).zip(dpx.chunks_exact_mut(2 * hid)).zip(dph.chunks_exact_mut(2 * hid));
    for (((a, dx), dp), dhr) in rows.zip(dh.chunks_exact(hid)) {
        let (f, n) = a.split_at(hid);
        let (dx, dp) = (&mut dx[hid..], &mut dp[hid..]);
        for j in 0..hid {
            let dn = dhr[j] * f[j] * (1.0 - n[j] * n[j]);
            dx[j] = dn;
            dp[j] = dn;
        }
    }
}
}

wide_fn! {
run = hid;
/// dfh: [B, H] = dL/d(f ⊙ h_prev). Writes the f blocks of dpx and dph, and dh_prev: [B, H],
/// the part of dL/dh_{t-1} that does not pass through W_hf.
#[allow(clippy::too_many_arguments)]
pub fn back_gate(hid: usize, acts: &[f32], h_prev: &[f32], dh: &[f32], dfh: &[f32], dpx: &mut [f32], dph: &mut [f32], dh_prev: &mut [f32]) {
    let rows = acts.chunks_exact(ACTS * hid).zip(dpx.chunks_exact_mut(2 * hid)).zip(dph.chunks_exact_mut(2 * hid));
    let state = h_prev.chunks_exact(hid).zip(dh.chunks_exact(hid)).zip(dfh.chunks_exact(hid));
    for (((a, dx), dp), (((hp, dhr), dq), dhp)) in rows.zip(state.zip(dh_prev.chunks_exact_mut(hid))) {
        let (f, n) = a.split_at(hid);
        let (dx, dp) = (&mut dx[..hid], &mut dp[..hid]);
        for j in 0..hid {
            let df = (dhr[j] * (n[j] - hp[j]) + dq[j] * hp[j]) * f[j] * (1.0 - f[j]);
            dx[j] = df;
            dp[j] = df;
            dhp[j] = dhr[j] * (1.0 - f[j]) + dq[j] * f[j];
        }
    }
}
}
