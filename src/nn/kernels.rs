//! Small elementwise helpers shared by the layers (the matrix product is in `gemm.rs`, the
//! activations in `activation.rs`).

/// Each row of out: [rows, n] set to `bias`: [n].
pub fn fill_rows(out: &mut [f32], bias: &[f32]) {
    for row in out.chunks_exact_mut(bias.len()) {
        row.copy_from_slice(bias);
    }
}

/// acc: [n] += sum over the rows of m: [rows, n].
pub fn add_row_sums(m: &[f32], acc: &mut [f32]) {
    for row in m.chunks_exact(acc.len()) {
        for (a, v) in acc.iter_mut().zip(row) {
            *a += v;
        }
    }
}
