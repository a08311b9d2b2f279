//! One recurrent layer, shared by every cell: one matrix product for the input projection of all
//! T steps, the recurrent products per step, and in backward the weight gradients as products
//! over all steps. The cells (`lstm.rs`, `gru.rs`, `mgu.rs`, `minimal.rs`, `rnn.rs`) only do
//! their elementwise part. Memory for backprop through time is `h`, `c`, `aux`, `acts`, `pre`
//! and the gradient scratch: all O(T * B * H); the packed weights are O(H * (I + H)).

use super::gemm::{gemm, Packed, Start, Strided};
use super::kernels::add_row_sums;
use super::lstm::{FGR, PEEP};
use super::{gru, lstm, mgu, minimal, rnn, Arch, Cell, LayerTensors, LayerTensorsMut};

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
    fn rh(&self) -> usize {
        self.arch.recurrent_gates() * self.hidden
    }
    fn acts(&self) -> usize {
        acts_per_unit(self.arch) * self.hidden
    }
    fn aux(&self) -> usize {
        aux_per_unit(self.arch) * self.hidden
    }
}

/// A layer's weights packed for the products of `forward` and `step`, and the small tensors
/// a step reads.
#[derive(Default, Clone)]
pub struct Weights {
    w_ih_t: Packed, // W_ih^T: [I, G*H]
    w_hh_t: Packed, // W_hh^T: [H, R*H] (MGU: W_hf^T, [H, H])
    w_hn_t: Packed, // MGU: W_hn^T: [H, H]
    w_gg_t: Packed, // LSTM-FGR: W_gg^T: [3H, 3H]
    bias: Vec<f32>, // [G*H] what starts `pre`: b_ih, plus b_hh where the cell simply adds it
    b_hh: Vec<f32>, // [R*H]
    peep: Vec<f32>, // LSTM-PH: [3H]
}

impl Weights {
    pub fn new(s: Shape, p: &LayerTensors) -> Weights {
        let mut w = Weights::default();
        w.pack(s, p);
        w
    }

    fn pack(&mut self, s: Shape, p: &LayerTensors) {
        let hid = s.hidden;
        let cell = s.arch.cell();
        self.w_ih_t.transposed(p.w_ih, s.gh(), s.input);
        match cell {
            Cell::Mgu => {
                self.w_hh_t.transposed(&p.w_hh[..hid * hid], hid, hid);
                self.w_hn_t.transposed(&p.w_hh[hid * hid..], hid, hid);
            }
            Cell::MinGru | Cell::MinLstm => {}
            _ => self.w_hh_t.transposed(p.w_hh, s.rh(), hid),
        }
        if cell.lstm_has(FGR) {
            self.w_gg_t.transposed(p.extra, 3 * hid, 3 * hid);
        }
        self.peep.clear();
        if cell.lstm_has(PEEP) {
            self.peep.extend_from_slice(p.extra);
        }
        self.b_hh.clear();
        self.b_hh.extend_from_slice(p.b_hh);
        self.bias.clear();
        self.bias.extend_from_slice(p.b_ih);
        if matches!(cell, Cell::Lstm(_) | Cell::Rnn) {
            self.bias.iter_mut().zip(p.b_hh).for_each(|(b, h)| *b += h);
        }
    }

    /// pre: [rows, G*H] = x W_ih^T + bias for x: [rows, I].
    pub fn project(&self, s: Shape, x: &[f32], rows: usize, pre: &mut [f32]) {
        gemm(rows, s.gh(), s.input, Strided::rows(x, s.input), &self.w_ih_t, pre, Start::Row(&self.bias));
    }

    fn floats(&self) -> usize {
        let packed = [&self.w_ih_t, &self.w_hh_t, &self.w_hn_t, &self.w_gg_t];
        packed.iter().map(|p| p.floats()).sum::<usize>()
            + self.bias.capacity()
            + self.b_hh.capacity()
            + self.peep.capacity()
    }
}

/// What forward keeps for backward (and for probing).
#[derive(Default, Clone)]
pub struct Cache {
    pub steps: usize,
    pub batch: usize,
    pub h: Vec<f32>,    // [T+1, B, H], h[0] = 0
    pub c: Vec<f32>,    // [T+1, B, H], the LSTM family's cell state, c[0] = 0 (else empty)
    pub aux: Vec<f32>,  // [T+1, B, X*H], aux[0] = 0: LSTM-FGR's [i; f; o], MGU's f ⊙ h_{t-1}
    pub acts: Vec<f32>, // [T, B, A*H], the cell's own cache (A = ACTS of the cell)
    pre: Vec<f32>,      // [T, B, G*H]: x W_ih^T + bias (+ the recurrent part where it adds)
    pre_h: Vec<f32>,    // [B, G*H] one step's recurrent product where the cell keeps it apart
    w: Weights,
}

/// Scratch for backward, kept between calls so training allocates nothing per step.
#[derive(Default, Clone)]
pub struct Scratch {
    dpre_x: Vec<f32>,  // [T, B, G*H] dL/d(input projection)
    dpre_h: Vec<f32>,  // [T, B, G*H] dL/d(recurrent projection), GRU and MGU only
    dh: Vec<f32>,      // [B, H] total dL/dh_t
    dh_prev: Vec<f32>, // [B, H] direct part of dL/dh_{t-1}
    dc: Vec<f32>,      // [B, H] cell-state carry (LSTM family)
    dfh: Vec<f32>,     // [B, H] MGU: dL/d(f ⊙ h_{t-1})
    dgates: Vec<f32>,  // [B, 3H] LSTM-FGR: dL/d[i; f; o]_t through step t+1
    dgg: Vec<f32>,     // [T, B, 3H] LSTM-FGR: dL/d(pre-activations of i, f, o)
    w_hh: Packed,      // W_hh: [R*H, H] (MGU: W_hf)
    w_hn: Packed,      // MGU: W_hn: [H, H]
    w_gg: Packed,      // LSTM-FGR: W_gg: [3H, 3H]
    w_ih: Packed,      // W_ih: [G*H, I]
    x: Packed,         // the layer's input: [T*B, I]
    h: Packed,         // h_0..h_{T-1}: [T*B, H], then what W_hn or W_gg read
}

impl Cache {
    /// Floats held, for the memory estimate and test: O(T * B * H) plus the packed weights.
    pub fn floats(&self) -> usize {
        let v = [&self.h, &self.c, &self.aux, &self.acts, &self.pre, &self.pre_h];
        v.iter().map(|v| v.capacity()).sum::<usize>() + self.w.floats()
    }
}

impl Scratch {
    pub fn floats(&self) -> usize {
        let v = [
            &self.dpre_x,
            &self.dpre_h,
            &self.dh,
            &self.dh_prev,
            &self.dc,
            &self.dfh,
            &self.dgates,
            &self.dgg,
        ];
        let packed = [&self.w_hh, &self.w_hn, &self.w_gg, &self.w_ih, &self.x, &self.h];
        v.iter().map(|v| v.capacity()).sum::<usize>() + packed.iter().map(|p| p.floats()).sum::<usize>()
    }
}

pub fn acts_per_unit(arch: Arch) -> usize {
    match arch.cell() {
        Cell::Lstm(_) => lstm::ACTS,
        Cell::Gru => gru::ACTS,
        Cell::Mgu => mgu::ACTS,
        Cell::MinGru => minimal::GRU_ACTS,
        Cell::MinLstm => minimal::LSTM_ACTS,
        Cell::Rnn => rnn::ACTS,
    }
}

/// Width (in units of H) of the state a cell carries besides h and c.
pub fn aux_per_unit(arch: Arch) -> usize {
    match arch.cell() {
        c if c.lstm_has(FGR) => 3,
        Cell::Mgu => 1,
        _ => 0,
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

/// Sizes a state buffer for T+1 steps of `width` and zeroes step 0.
fn sized_state(v: &mut Vec<f32>, steps: usize, width: usize) {
    size(v, (steps + 1) * width);
    v[..width].fill(0.0);
}

/// x: [T, B, I] -> cache.h: [T+1, B, H].
pub fn forward(s: Shape, p: &LayerTensors, x: &[f32], steps: usize, batch: usize, c: &mut Cache) {
    let (bh, gh) = (batch * s.hidden, s.gh());
    (c.steps, c.batch) = (steps, batch);
    let (cw, aw) = (if s.arch.has_cell_state() { bh } else { 0 }, batch * s.aux());
    sized_state(&mut c.h, steps, bh);
    sized_state(&mut c.c, steps, cw);
    sized_state(&mut c.aux, steps, aw);
    size(&mut c.acts, steps * batch * s.acts());
    size(&mut c.pre, steps * batch * gh);
    size(&mut c.pre_h, batch * gh);
    c.w.pack(s, p);
    c.w.project(s, x, steps * batch, &mut c.pre);
    for t in 0..steps {
        let (h_past, h_next) = c.h.split_at_mut((t + 1) * bh);
        let (c_past, c_next) = c.c.split_at_mut((t + 1) * cw);
        let (a_past, a_next) = c.aux.split_at_mut((t + 1) * aw);
        let state = State {
            h_prev: &h_past[t * bh..],
            c_prev: &c_past[t * cw..],
            aux_prev: &a_past[t * aw..],
            h: &mut h_next[..bh],
            c: &mut c_next[..cw],
            aux: &mut a_next[..aw],
        };
        let pre = at_mut(&mut c.pre, t, batch * gh);
        let acts = at_mut(&mut c.acts, t, batch * s.acts());
        step(s, batch, &c.w, state, pre, &mut c.pre_h, acts);
    }
}

/// One step's state: h (and the cell state c, and the cell's aux) before, and where they go
/// after. A cell without c or aux gets empty slices.
pub struct State<'a> {
    pub h_prev: &'a [f32],   // [B, H]
    pub c_prev: &'a [f32],   // [B, H]
    pub aux_prev: &'a [f32], // [B, X*H]
    pub h: &'a mut [f32],    // [B, H]
    pub c: &'a mut [f32],    // [B, H]
    pub aux: &'a mut [f32],  // [B, X*H]
}

/// One time step of one layer after its input projection (pre: [B, G*H] = x W_ih^T + bias):
/// adds the recurrent products and runs the cell; `pre_h`: [B, G*H] is scratch. Training
/// (`forward`) and text sampling share it, so both make the same sums in the same order.
pub fn step(
    s: Shape,
    batch: usize,
    w: &Weights,
    st: State,
    pre: &mut [f32],
    pre_h: &mut [f32],
    acts: &mut [f32],
) {
    let (hid, gh) = (s.hidden, s.gh());
    let State { h_prev, c_prev, aux_prev, h, c, aux } = st;
    let hp = Strided::rows(h_prev, hid);
    match s.arch.cell() {
        Cell::Lstm(v) => {
            gemm(batch, gh, hid, hp, &w.w_hh_t, pre, Start::C);
            if v & FGR != 0 {
                gate_recurrence(hid, batch, w, aux_prev, pre, pre_h);
            }
            lstm::forward(v, hid, pre, &w.peep, c_prev, c, h, acts);
            if v & FGR != 0 {
                pick_ifo(hid, acts, lstm::ACTS, aux);
            }
        }
        Cell::Gru => {
            gemm(batch, gh, hid, hp, &w.w_hh_t, pre_h, Start::Row(&w.b_hh));
            gru::forward(hid, pre, pre_h, h_prev, h, acts);
        }
        Cell::Mgu => {
            let ph = &mut pre_h[..batch * hid];
            gemm(batch, hid, hid, hp, &w.w_hh_t, ph, Start::Row(&w.b_hh[..hid]));
            mgu::gate(hid, pre, ph, h_prev, acts, aux);
            gemm(batch, hid, hid, Strided::rows(aux, hid), &w.w_hn_t, ph, Start::Row(&w.b_hh[hid..]));
            mgu::candidate(hid, pre, ph, h_prev, acts, h);
        }
        Cell::MinGru => minimal::gru_forward(hid, pre, h_prev, h, acts),
        Cell::MinLstm => minimal::lstm_forward(hid, pre, h_prev, h, acts),
        Cell::Rnn => {
            gemm(batch, gh, hid, hp, &w.w_hh_t, pre, Start::C);
            rnn::forward(pre, h);
        }
    }
}

/// LSTM-FGR: pre's i, f, o blocks += W_gg [i; f; o]_{t-1}; gates_prev: [B, 3H].
fn gate_recurrence(
    hid: usize,
    batch: usize,
    w: &Weights,
    gates_prev: &[f32],
    pre: &mut [f32],
    tmp: &mut [f32],
) {
    let tmp = &mut tmp[..batch * 3 * hid];
    gemm(batch, 3 * hid, 3 * hid, Strided::rows(gates_prev, 3 * hid), &w.w_gg_t, tmp, Start::Zero);
    for (p, r) in pre.chunks_exact_mut(4 * hid).zip(tmp.chunks_exact(3 * hid)) {
        let (p_if, p_go) = p.split_at_mut(2 * hid);
        p_if.iter_mut().zip(&r[..2 * hid]).for_each(|(a, b)| *a += b);
        p_go[hid..].iter_mut().zip(&r[2 * hid..]).for_each(|(a, b)| *a += b);
    }
}

/// LSTM-FGR: copies blocks i, f and o (0, 1 and 3) of rows `width` H wide (the acts, or the
/// gradient of pre) into rows of [i; f; o].
fn pick_ifo(hid: usize, rows: &[f32], width: usize, out: &mut [f32]) {
    for (r, o) in rows.chunks_exact(width * hid).zip(out.chunks_exact_mut(3 * hid)) {
        o[..2 * hid].copy_from_slice(&r[..2 * hid]);
        o[2 * hid..].copy_from_slice(&r[3 * hid..4 * hid]);
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
    let cell = sh.arch.cell();
    let apart = matches!(cell, Cell::Gru | Cell::Mgu);
    let fgr = cell.lstm_has(FGR);
    let peep = cell.lstm_has(PEEP);
    size(&mut s.dpre_x, steps * batch * gh);
    size(&mut s.dpre_h, if apart { steps * batch * gh } else { 0 });
    size(&mut s.dgg, if fgr { steps * batch * 3 * hid } else { 0 });
    size(&mut s.dgates, if fgr { batch * 3 * hid } else { 0 });
    size(&mut s.dfh, if cell == Cell::Mgu { bh } else { 0 });
    for v in [&mut s.dh, &mut s.dh_prev, &mut s.dc] {
        size(v, bh);
    }
    for v in [&mut s.dh, &mut s.dh_prev, &mut s.dc, &mut s.dgates] {
        v.fill(0.0);
    }
    if let Some(n) = dh_norms.as_deref_mut() {
        n.clear();
        n.resize(steps, 0.0);
    }
    pack_for_backward(sh, p, s);
    for t in (0..steps).rev() {
        // s.dh holds the recurrent part of dL/dh_t; add the part from above.
        s.dh.iter_mut().zip(at(dh_out, t, bh)).for_each(|(a, b)| *a += b);
        if let Some(n) = dh_norms.as_deref_mut() {
            n[t] = s.dh.iter().map(|v| v * v).sum::<f32>().sqrt();
        }
        let acts = at(&c.acts, t, batch * a_w);
        let h_prev = at(&c.h, t, bh);
        let dpx = at_mut(&mut s.dpre_x, t, batch * gh);
        match cell {
            Cell::Lstm(v) => {
                let back = lstm::Back {
                    acts,
                    c_prev: at(&c.c, t, bh),
                    c: at(&c.c, t + 1, bh),
                    peep: if peep { p.extra } else { &[] },
                    dh: &s.dh,
                    dgates: &s.dgates,
                };
                lstm::backward(v, hid, &back, &mut s.dc, dpx, if peep { &mut *g.extra } else { &mut [] });
                if fgr {
                    let dgg = at_mut(&mut s.dgg, t, batch * 3 * hid);
                    pick_ifo(hid, dpx, 4, dgg);
                    gemm(
                        batch,
                        3 * hid,
                        3 * hid,
                        Strided::rows(dgg, 3 * hid),
                        &s.w_gg,
                        &mut s.dgates,
                        Start::Zero,
                    );
                }
            }
            Cell::Gru => {
                let dph = at_mut(&mut s.dpre_h, t, batch * gh);
                gru::backward(hid, acts, h_prev, &s.dh, dpx, dph, &mut s.dh_prev);
            }
            Cell::Mgu => {
                let dph = at_mut(&mut s.dpre_h, t, batch * gh);
                mgu::back_candidate(hid, acts, &s.dh, dpx, dph);
                let dn = Strided { data: &dph[hid..], rs: gh, cs: 1 };
                gemm(batch, hid, hid, dn, &s.w_hn, &mut s.dfh, Start::Zero);
                mgu::back_gate(hid, acts, h_prev, &s.dh, &s.dfh, dpx, dph, &mut s.dh_prev);
            }
            Cell::MinGru => minimal::gru_backward(hid, acts, h_prev, &s.dh, dpx, &mut s.dh_prev),
            Cell::MinLstm => minimal::lstm_backward(hid, acts, h_prev, &s.dh, dpx, &mut s.dh_prev),
            Cell::Rnn => rnn::backward(at(&c.h, t + 1, bh), &s.dh, dpx),
        }
        if t == 0 || (opts.truncate > 0 && t % opts.truncate == 0) {
            for v in [&mut s.dh, &mut s.dc, &mut s.dgates] {
                v.fill(0.0);
            }
            continue;
        }
        // dL/dh_{t-1} = the part that skips W_hh (cells that keep it apart) + (the recurrent
        // side's gradient) · W_hh.
        match cell {
            Cell::Lstm(_) | Cell::Rnn => {
                let dpre = Strided::rows(at(&s.dpre_x, t, batch * gh), gh);
                gemm(batch, hid, gh, dpre, &s.w_hh, &mut s.dh, Start::Zero);
            }
            Cell::Gru | Cell::Mgu => {
                // The cell wrote all of dh_prev this step: take it rather than copy it.
                std::mem::swap(&mut s.dh, &mut s.dh_prev);
                // The MGU's W_hf reads h directly; its W_hn was handled by the cell (via dfh).
                let k = if cell == Cell::Mgu { hid } else { gh };
                let dph = Strided { data: at(&s.dpre_h, t, batch * gh), rs: gh, cs: 1 };
                gemm(batch, hid, k, dph, &s.w_hh, &mut s.dh, Start::C);
            }
            Cell::MinGru | Cell::MinLstm => std::mem::swap(&mut s.dh, &mut s.dh_prev),
        }
    }
    weight_grads(sh, p, x, c, s, g, dx);
}

/// The weights backward multiplies by, packed once per pass.
fn pack_for_backward(sh: Shape, p: &LayerTensors, s: &mut Scratch) {
    let hid = sh.hidden;
    match sh.arch.cell() {
        Cell::Mgu => {
            s.w_hh.rows(&p.w_hh[..hid * hid], hid, hid);
            s.w_hn.rows(&p.w_hh[hid * hid..], hid, hid);
        }
        Cell::MinGru | Cell::MinLstm => {}
        Cell::Lstm(v) => {
            s.w_hh.rows(p.w_hh, sh.gh(), hid);
            if v & FGR != 0 {
                s.w_gg.rows(p.extra, 3 * hid, 3 * hid);
            }
        }
        _ => s.w_hh.rows(p.w_hh, sh.rh(), hid),
    }
}

/// After the steps: dW_ih += dpre_x^T · x; dW_hh += dpre_h^T · (what W_hh read); LSTM-FGR's
/// dW_gg += dgg^T · [i; f; o]_{t-1}; biases: column sums; dL/dx if asked.
fn weight_grads(
    sh: Shape,
    p: &LayerTensors,
    x: &[f32],
    c: &Cache,
    s: &mut Scratch,
    g: &mut LayerTensorsMut,
    dx: Option<&mut [f32]>,
) {
    let (hid, gh, rows) = (sh.hidden, sh.gh(), c.steps * c.batch);
    s.x.rows(x, rows, sh.input);
    gemm(gh, sh.input, rows, Strided::transposed(&s.dpre_x, gh), &s.x, g.w_ih, Start::C);
    add_row_sums(&s.dpre_x, g.b_ih);
    let cell = sh.arch.cell();
    let dph_all = if matches!(cell, Cell::Gru | Cell::Mgu) { &s.dpre_h } else { &s.dpre_x };
    if sh.rh() > 0 {
        s.h.rows(&c.h[..rows * hid], rows, hid);
        // The MGU's W_hf (its first block) reads h; its W_hn reads f ⊙ h (the aux).
        let m = if cell == Cell::Mgu { hid } else { gh };
        gemm(m, hid, rows, Strided::transposed(dph_all, gh), &s.h, g.w_hh, Start::C);
        if cell == Cell::Mgu {
            s.h.rows(&c.aux[c.batch * hid..], rows, hid);
            let dn = Strided { data: &s.dpre_h[hid..], rs: 1, cs: gh };
            gemm(hid, hid, rows, dn, &s.h, &mut g.w_hh[hid * hid..], Start::C);
        }
        add_row_sums(dph_all, g.b_hh);
    }
    if cell.lstm_has(FGR) {
        s.h.rows(&c.aux[..rows * 3 * hid], rows, 3 * hid);
        gemm(3 * hid, 3 * hid, rows, Strided::transposed(&s.dgg, 3 * hid), &s.h, g.extra, Start::C);
    }
    if let Some(dx) = dx {
        s.w_ih.rows(p.w_ih, gh, sh.input);
        gemm(rows, sh.input, gh, Strided::rows(&s.dpre_x, gh), &s.w_ih, dx, Start::Zero);
    }
}
