//! Dense readout, PyTorch's `nn.Linear(H, O)`, applied to h_t at every step:
//! y_t = W_out h_t + b_out. Steps without a target are masked out by the loss.

use super::kernels::{add_row_sums, fill_rows, gemm, transpose, Strided};

/// h: [N, H] (N = T*B) -> y: [N, O]. `w_t` is scratch for W_out^T.
pub fn forward(h: &[f32], w: &[f32], bias: &[f32], hid: usize, y: &mut Vec<f32>, w_t: &mut Vec<f32>) {
    let (n, out) = (h.len() / hid, bias.len());
    transpose(w, out, hid, w_t);
    y.resize(n * out, 0.0);
    fill_rows(y, bias);
    gemm(n, out, hid, Strided::rows(h, hid), w_t, y, true);
}

/// dy: [N, O] -> dh: [N, H]; accumulates dW_out: [O, H] and db_out: [O].
pub fn backward(
    h: &[f32],
    w: &[f32],
    dy: &[f32],
    hid: usize,
    dw: &mut [f32],
    db: &mut [f32],
    dh: &mut Vec<f32>,
) {
    let (n, out) = (h.len() / hid, db.len());
    gemm(out, hid, n, Strided::transposed(dy, out), h, dw, true);
    add_row_sums(dy, db);
    dh.resize(n * hid, 0.0);
    gemm(n, hid, out, Strided::rows(dy, out), w, dh, false);
}
