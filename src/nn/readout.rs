//! Dense readout, PyTorch's `nn.Linear(H, O)`, applied to the top layer's h_t at every step:
//! y_t = W_out h_t + b_out. Steps without a target are masked out by the loss.

use super::gemm::{gemm, Packed, Start, Strided};
use super::kernels::{add_row_sums, add_scaled_rows};

/// Up to this many outputs, dW_out is summed one output row at a time straight from h (the same
/// sums as the product, in the same order): packing h cost more than the product itself.
const FEW: usize = 4;

/// Packed operands, kept between calls so training allocates nothing per step.
#[derive(Default, Clone)]
pub struct Scratch {
    w_t: Packed, // W_out^T: [H, O]
    w: Packed,   // W_out: [O, H]
    h: Packed,   // h: [N, H]
}

impl Scratch {
    pub fn floats(&self) -> usize {
        self.w_t.floats() + self.w.floats() + self.h.floats()
    }
}

/// h: [N, H] (N = T*B) -> y: [N, O].
pub fn forward(h: &[f32], w: &[f32], bias: &[f32], hid: usize, y: &mut Vec<f32>, s: &mut Scratch) {
    let (n, out) = (h.len() / hid, bias.len());
    s.w_t.transposed(w, out, hid);
    y.resize(n * out, 0.0);
    gemm(n, out, hid, Strided::rows(h, hid), &s.w_t, y, Start::Row(bias));
}

/// dy: [N, O] -> dh: [N, H]; accumulates dW_out: [O, H] and db_out: [O].
#[allow(clippy::too_many_arguments)]
pub fn backward(
    h: &[f32],
    w: &[f32],
    dy: &[f32],
    hid: usize,
    dw: &mut [f32],
    db: &mut [f32],
    dh: &mut Vec<f32>,
    s: &mut Scratch,
) {
    let (n, out) = (h.len() / hid, db.len());
    if out <= FEW {
        for (o, dw_o) in dw.chunks_exact_mut(hid).enumerate() {
            add_scaled_rows(h, &dy[o..], out, dw_o);
        }
    } else {
        s.h.rows(h, n, hid);
        gemm(out, hid, n, Strided::transposed(dy, out), &s.h, dw, Start::C);
    }
    add_row_sums(dy, db);
    dh.resize(n * hid, 0.0);
    s.w.rows(w, out, hid);
    gemm(n, hid, out, Strided::rows(dy, out), &s.w, dh, Start::Zero);
}
