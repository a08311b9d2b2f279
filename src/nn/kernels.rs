//! Sums over rows shared by the layers (the matrix product is in `gemm.rs`, the activations in
//! `activation.rs`).

use super::simd::wide_fn;

wide_fn! {
run = acc.len();
/// acc: [n] += sum over the rows of m: [rows, n] (each column summed in row order, so the
/// vector width changes only the speed).
pub fn add_row_sums(m: &[f32], acc: &mut [f32]) {
    for row in m.chunks_exact(acc.len()) {
        for (a, v) in acc.iter_mut().zip(row) {
            *a += v;
        }
    }
}
}

wide_fn! {
run = acc.len();
/// acc: [n] += sum over p of w[p * stride] * m[p], the rows of m: [rows, n] in row order: the
/// very sums `gemm` makes for a product with one row of output, without packing m.
pub fn add_scaled_rows(m: &[f32], w: &[f32], stride: usize, acc: &mut [f32]) {
    for (p, row) in m.chunks_exact(acc.len()).enumerate() {
        let wp = w[p * stride];
        for (a, v) in acc.iter_mut().zip(row) {
            *a += wp * v;
        }
    }
}
}

#[cfg(test)]
mod tests {
    use super::add_scaled_rows;
    use crate::nn::gemm::{gemm, Packed, Start, Strided};

    #[test]
    fn scaled_row_sums_are_the_products_bits() {
        for (rows, n, out) in [(1, 1, 1), (50, 7, 1), (33, 64, 3), (1600, 16, 4)] {
            let m: Vec<f32> = (0..rows * n).map(|v| ((v * 7919 % 1013) as f32 - 500.0) / 37.0).collect();
            let w: Vec<f32> = (0..rows * out).map(|v| ((v * 104_729 % 997) as f32 - 498.0) / 91.0).collect();
            let start: Vec<f32> = (0..out * n).map(|v| v as f32 * 0.01).collect();
            let mut packed = Packed::default();
            packed.rows(&m, rows, n);
            let mut want = start.clone();
            gemm(out, n, rows, Strided::transposed(&w, out), &packed, &mut want, Start::C);
            let mut got = start.clone();
            for (o, acc) in got.chunks_exact_mut(n).enumerate() {
                add_scaled_rows(&m, &w[o..], out, acc);
            }
            assert_eq!(got, want, "{rows}x{n}, {out} outputs");
        }
    }
}
