//! LSTM cell, PyTorch's `nn.LSTM` equations (gate order i, f, g, o):
//!   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…)   g = tanh(…)   o = σ(…)
//!   c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
//! and Greff et al. 2017's variants, each a flag that changes one line (below). A removed gate
//! has no block in `pre`; its constant value is still written to `acts`, so every variant's
//! cache is [i, f, g, o, tanh c'] per step and batch row, each [H]. The cell states live in the
//! layer's `c`: [T+1, B, H]. Each variant is compiled on its own (`V` is a constant), so the
//! plain LSTM runs the very loop it always had, with the same bits.

use super::activation::{sigmoid, tanh};
use super::simd::wide_fn;

pub const ACTS: usize = 5;

/// i = 1.
pub const NO_I: u8 = 1;
/// f = 1: the cell only adds.
pub const NO_F: u8 = 2;
/// o = 1.
pub const NO_O: u8 = 4;
/// g = its pre-activation.
pub const NO_GACT: u8 = 8;
/// h' = o ⊙ c'.
pub const NO_CACT: u8 = 16;
/// f = 1 - i.
pub const CIFG: u8 = 32;
/// Peepholes: p_i ⊙ c into i, p_f ⊙ c into f, p_o ⊙ c' into o; p: [3H] in order i, f, o.
pub const PEEP: u8 = 64;
/// Full gate recurrence: the step adds W_gg [i; f; o]_{t-1} to the pre-activations of i, f, o
/// (`recurrent.rs`); here only backward's gradient onto this step's i, f, o from the next.
pub const FGR: u8 = 128;

/// Gate blocks in `pre` for variant `v`.
pub fn blocks(v: u8) -> usize {
    4 - (v & NO_I != 0) as usize - (v & (NO_F | CIFG) != 0) as usize - (v & NO_O != 0) as usize
}

/// Which of the i, f, g, o blocks variant `v` has.
#[inline(always)]
fn present(v: u8) -> [bool; 4] {
    [v & NO_I == 0, v & (NO_F | CIFG) == 0, true, v & NO_O == 0]
}

/// A row of `pre` (or its gradient) split into its i, f, g, o blocks; a removed gate's is empty.
#[inline(always)]
fn split<T: SplitAt>(mut row: T, hid: usize, has: [bool; 4]) -> [T; 4] {
    has.map(|p| {
        let (head, tail) = std::mem::take(&mut row).cut(if p { hid } else { 0 });
        row = tail;
        head
    })
}

/// `split_at` for shared and mutable slices alike.
trait SplitAt: Default + Sized {
    fn cut(self, at: usize) -> (Self, Self);
}

impl SplitAt for &[f32] {
    fn cut(self, at: usize) -> (Self, Self) {
        self.split_at(at)
    }
}

impl SplitAt for &mut [f32] {
    fn cut(self, at: usize) -> (Self, Self) {
        self.split_at_mut(at)
    }
}

macro_rules! by_variant {
    ($v:expr, $f:ident($($a:expr),*)) => {
        match $v {
            NO_I => $f::<NO_I>($($a),*),
            NO_F => $f::<NO_F>($($a),*),
            NO_O => $f::<NO_O>($($a),*),
            NO_GACT => $f::<NO_GACT>($($a),*),
            NO_CACT => $f::<NO_CACT>($($a),*),
            CIFG => $f::<CIFG>($($a),*),
            PEEP => $f::<PEEP>($($a),*),
            FGR => $f::<FGR>($($a),*),
            _ => $f::<0>($($a),*),
        }
    };
}

wide_fn! {
run = hid;
/// pre: [B, G*H] = both projections and both biases (and the gate recurrence); peep: [3H]
/// (PEEP only, else empty); c_prev: [B, H]. Writes c: [B, H], h: [B, H] and acts: [B, 5H].
#[allow(clippy::too_many_arguments)]
pub fn forward(v: u8, hid: usize, pre: &[f32], peep: &[f32], c_prev: &[f32], c: &mut [f32], h: &mut [f32], acts: &mut [f32]) {
    by_variant!(v, fwd(hid, pre, peep, c_prev, c, h, acts))
}
}

/// The peephole weights onto i, f, o (empty without peepholes).
#[inline(always)]
fn peepholes(on: bool, peep: &[f32], hid: usize) -> [&[f32]; 3] {
    let [i, f, _, o] = split(peep, hid, [on, on, false, on]);
    [i, f, o]
}

#[inline(always)]
fn fwd<const V: u8>(
    hid: usize,
    pre: &[f32],
    peep: &[f32],
    c_prev: &[f32],
    c: &mut [f32],
    h: &mut [f32],
    acts: &mut [f32],
) {
    let [has_i, has_f, _, has_o] = present(V);
    let ph = V & PEEP != 0;
    let [p_i, p_f, p_o] = peepholes(ph, peep, hid);
    let rows = pre.chunks_exact(blocks(V) * hid).zip(acts.chunks_exact_mut(ACTS * hid));
    let states = c_prev.chunks_exact(hid).zip(c.chunks_exact_mut(hid)).zip(h.chunks_exact_mut(hid));
    for ((p, a), ((cp, cn), hn)) in rows.zip(states) {
        let [xi, xf, xg, xo] = split(p, hid, present(V));
        let (ai, rest) = a.split_at_mut(hid);
        let (af, rest) = rest.split_at_mut(hid);
        let (ag, rest) = rest.split_at_mut(hid);
        let (ao, atc) = rest.split_at_mut(hid);
        for j in 0..hid {
            let i = if !has_i {
                1.0
            } else if ph {
                sigmoid(xi[j] + p_i[j] * cp[j])
            } else {
                sigmoid(xi[j])
            };
            let f = if V & CIFG != 0 {
                1.0 - i
            } else if !has_f {
                1.0
            } else if ph {
                sigmoid(xf[j] + p_f[j] * cp[j])
            } else {
                sigmoid(xf[j])
            };
            let g = if V & NO_GACT != 0 { xg[j] } else { tanh(xg[j]) };
            let cv = f * cp[j] + i * g;
            let tc = if V & NO_CACT != 0 { cv } else { tanh(cv) };
            let o = if !has_o {
                1.0
            } else if ph {
                sigmoid(xo[j] + p_o[j] * cv)
            } else {
                sigmoid(xo[j])
            };
            (ai[j], af[j], ag[j], ao[j], atc[j]) = (i, f, g, o, tc);
            cn[j] = cv;
            hn[j] = o * tc;
        }
    }
}

/// What one step's backward reads besides the cache.
pub struct Back<'a> {
    pub acts: &'a [f32],   // [B, 5H]
    pub c_prev: &'a [f32], // [B, H]
    pub c: &'a [f32],      // [B, H] this step's cell state (read by PEEP)
    pub peep: &'a [f32],   // [3H] (PEEP, else empty)
    pub dh: &'a [f32],     // [B, H] total dL/dh_t
    /// [B, 3H] dL/d[i; f; o] of this step through the next step's gate recurrence (FGR, else
    /// empty).
    pub dgates: &'a [f32],
}

wide_fn! {
run = hid;
/// dc: [B, H] holds dL/dc_t from later steps on entry and dL/dc_{t-1} on exit. Writes dpre:
/// [B, G*H] (the same for both projections and biases) and adds the peepholes' gradient to
/// dpeep: [3H] (PEEP, else empty).
pub fn backward(v: u8, hid: usize, b: &Back, dc: &mut [f32], dpre: &mut [f32], dpeep: &mut [f32]) {
    by_variant!(v, bwd(hid, b, dc, dpre, dpeep))
}
}

#[inline(always)]
fn bwd<const V: u8>(hid: usize, b: &Back, dc: &mut [f32], dpre: &mut [f32], dpeep: &mut [f32]) {
    let [has_i, has_f, _, has_o] = present(V);
    let (ph, fgr) = (V & PEEP != 0, V & FGR != 0);
    let [p_i, p_f, p_o] = peepholes(ph, b.peep, hid);
    let [dp_i, dp_f, _, dp_o] = split(dpeep, hid, [ph, ph, false, ph]);
    let rows = b.acts.chunks_exact(ACTS * hid).zip(dpre.chunks_exact_mut(blocks(V) * hid));
    let state = b.c_prev.chunks_exact(hid).zip(b.c.chunks_exact(hid)).zip(b.dh.chunks_exact(hid));
    let mut extra = b.dgates.chunks_exact(3 * hid);
    for ((a, d), (((cp, ct), dhr), dcr)) in rows.zip(state.zip(dc.chunks_exact_mut(hid))) {
        let (i, f, g, o, tc) =
            (&a[..hid], &a[hid..2 * hid], &a[2 * hid..3 * hid], &a[3 * hid..4 * hid], &a[4 * hid..]);
        let [ex_i, ex_f, _, ex_o] =
            split(if fgr { extra.next().unwrap_or(&[]) } else { &[] }, hid, [fgr, fgr, false, fgr]);
        let [d_i, d_f, d_g, d_os] = split(d, hid, present(V));
        for j in 0..hid {
            let do_act = if fgr { dhr[j] * tc[j] + ex_o[j] } else { dhr[j] * tc[j] };
            let d_o = if has_o { do_act * o[j] * (1.0 - o[j]) } else { 0.0 };
            let dtc = if V & NO_CACT != 0 { dhr[j] * o[j] } else { dhr[j] * o[j] * (1.0 - tc[j] * tc[j]) };
            let dct = if ph { dcr[j] + dtc + d_o * p_o[j] } else { dcr[j] + dtc };
            let di_act = if fgr { dct * g[j] + ex_i[j] } else { dct * g[j] };
            let df_act = if fgr { dct * cp[j] + ex_f[j] } else { dct * cp[j] };
            let di = if !has_i {
                0.0
            } else if V & CIFG != 0 {
                (di_act - df_act) * i[j] * (1.0 - i[j])
            } else {
                di_act * i[j] * (1.0 - i[j])
            };
            let df = if has_f { df_act * f[j] * (1.0 - f[j]) } else { 0.0 };
            let dg = if V & NO_GACT != 0 { dct * i[j] } else { dct * i[j] * (1.0 - g[j] * g[j]) };
            if ph {
                dcr[j] = dct * f[j] + di * p_i[j] + df * p_f[j];
                dp_i[j] += di * cp[j];
                dp_f[j] += df * cp[j];
                dp_o[j] += d_o * ct[j];
            } else {
                dcr[j] = dct * f[j];
            }
            if has_i {
                d_i[j] = di;
            }
            if has_f {
                d_f[j] = df;
            }
            d_g[j] = dg;
            if has_o {
                d_os[j] = d_o;
            }
        }
    }
}
