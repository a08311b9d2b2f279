//! Plain RNN cell, PyTorch's `nn.RNN` with tanh: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
//! It caches nothing beyond h itself.

use super::activation::tanh;
use super::simd::wide_fn;

pub const ACTS: usize = 0;

wide_fn! {
run = pre.len();
/// pre: [B, H] = both projections and both biases. Writes h: [B, H].
pub fn forward(pre: &[f32], h: &mut [f32]) {
    for (hv, p) in h.iter_mut().zip(pre) {
        *hv = tanh(*p);
    }
}
}

wide_fn! {
run = h.len();
/// h: [B, H] this step's output, dh: [B, H] total dL/dh_t. Writes dpre: [B, H].
pub fn backward(h: &[f32], dh: &[f32], dpre: &mut [f32]) {
    for ((d, hv), g) in dpre.iter_mut().zip(h).zip(dh) {
        *d = g * (1.0 - hv * hv);
    }
}
}
