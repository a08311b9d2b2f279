//! The minimal cells of Feng et al. 2024 ("Were RNNs all we needed?"), in their sequential
//! form: gates and candidate see only the input, so a layer has no `weight_hh`/`bias_hh` and a
//! step is elementwise (the paper trains them with a parallel scan; the sums are the same).
//!   minGRU (z, n):     z = σ(W_iz x + b_iz)   n = W_in x + b_in   h' = (1 - z) ⊙ h + z ⊙ n
//!   minLSTM (f, i, n): f = σ(W_if x + b_if)   i = σ(W_ii x + b_ii)   n = W_in x + b_in
//!                      h' = f / (f + i) ⊙ h + i / (f + i) ⊙ n
//! `acts` holds the blocks' values (minGRU [z, n], minLSTM [f, i, n]) per step and batch row.

use super::activation::sigmoid;
use super::simd::wide_fn;

pub const GRU_ACTS: usize = 2;
pub const LSTM_ACTS: usize = 3;

wide_fn! {
run = hid;
/// pre: [B, 2H] = x W_ih^T + b_ih; h_prev: [B, H]. Writes h: [B, H] and acts: [B, 2H].
pub fn gru_forward(hid: usize, pre: &[f32], h_prev: &[f32], h: &mut [f32], acts: &mut [f32]) {
    let rows = pre.chunks_exact(2 * hid).zip(acts.chunks_exact_mut(GRU_ACTS * hid));
    for ((p, a), (hp, hn)) in rows.zip(h_prev.chunks_exact(hid).zip(h.chunks_exact_mut(hid))) {
        // Blocks as slices of H: indexing by j < H then needs no bounds check, which would
        // leave the last 8 units of every row to scalar code.
        let (pz, pn) = p.split_at(hid);
        let (az, an) = a.split_at_mut(hid);
        for j in 0..hid {
            let (z, n) = (sigmoid(pz[j]), pn[j]);
            (az[j], an[j]) = (z, n);
            hn[j] = (1.0 - z) * hp[j] + z * n;
        }
    }
}
}

wide_fn! {
run = hid;
/// dh: [B, H] total dL/dh_t. Writes dpre: [B, 2H] and dh_prev: [B, H] = dL/dh_{t-1}.
pub fn gru_backward(hid: usize, acts: &[f32], h_prev: &[f32], dh: &[f32], dpre: &mut [f32], dh_prev: &mut [f32]) {
    let rows = acts.chunks_exact(GRU_ACTS * hid).zip(dpre.chunks_exact_mut(2 * hid));
    let state = h_prev.chunks_exact(hid).zip(dh.chunks_exact(hid)).zip(dh_prev.chunks_exact_mut(hid));
    for ((a, d), ((hp, dhr), dhp)) in rows.zip(state) {
        let (z, n) = a.split_at(hid);
        let (dz, dn) = d.split_at_mut(hid);
        for j in 0..hid {
            dz[j] = dhr[j] * (n[j] - hp[j]) * z[j] * (1.0 - z[j]);
            dn[j] = dhr[j] * z[j];
            dhp[j] = dhr[j] * (1.0 - z[j]);
        }
    }
}
}

wide_fn! {
run = hid;
/// pre: [B, 3H] = x W_ih^T + b_ih; h_prev: [B, H]. Writes h: [B, H] and acts: [B, 3H].
pub fn lstm_forward(hid: usize, pre: &[f32], h_prev: &[f32], h: &mut [f32], acts: &mut [f32]) {
    let rows = pre.chunks_exact(3 * hid).zip(acts.chunks_exact_mut(LSTM_ACTS * hid));
    for ((p, a), (hp, hn)) in rows.zip(h_prev.chunks_exact(hid).zip(h.chunks_exact_mut(hid))) {
        let (pf, rest) = p.split_at(hid);
        let (pi, pn) = rest.split_at(hid);
        let (af, rest) = a.split_at_mut(hid);
        let (ai, an) = rest.split_at_mut(hid);
        for j in 0..hid {
            let (f, i, n) = (sigmoid(pf[j]), sigmoid(pi[j]), pn[j]);
            (af[j], ai[j], an[j]) = (f, i, n);
            // One division for both shares (f + i >= 2^-126: each gate is a sigmoid).
            let r = 1.0 / (f + i);
            hn[j] = f * r * hp[j] + i * r * n;
        }
    }
}
}

wide_fn! {
run = hid;
/// dh: [B, H] total dL/dh_t. Writes dpre: [B, 3H] and dh_prev: [B, H] = dL/dh_{t-1}.
pub fn lstm_backward(hid: usize, acts: &[f32], h_prev: &[f32], dh: &[f32], dpre: &mut [f32], dh_prev: &mut [f32]) {
    let rows = acts.chunks_exact(LSTM_ACTS * hid).zip(dpre.chunks_exact_mut(3 * hid));
    let state = h_prev.chunks_exact(hid).zip(dh.chunks_exact(hid)).zip(dh_prev.chunks_exact_mut(hid));
    for ((a, d), ((hp, dhr), dhp)) in rows.zip(state) {
        let (f, rest) = a.split_at(hid);
        let (i, n) = rest.split_at(hid);
        let (df, rest) = d.split_at_mut(hid);
        let (di, dn) = rest.split_at_mut(hid);
        for j in 0..hid {
            // The shares a = f/s and b = i/s (s = f + i), as the forward computed them.
            let r = 1.0 / (f[j] + i[j]);
            let (a, b) = (f[j] * r, i[j] * r);
            // da/df = i/s² = a b / f and db/df = -a b / f, so with the sigmoid's f (1 - f) the
            // f cancels (likewise for i): no division by s², finite when both gates are tiny.
            let ab = dhr[j] * (hp[j] - n[j]) * a * b;
            df[j] = ab * (1.0 - f[j]);
            di[j] = -ab * (1.0 - i[j]);
            dn[j] = dhr[j] * b;
            dhp[j] = dhr[j] * a;
        }
    }
}
}
