//! Dense matrix products on flat row-major `f32` buffers: the one place that decides speed.
//!
//! Every output element is summed over `k` in increasing order, starting from its initial
//! value, in every code path (tile or edge). Rust never fuses `a * b + c` into an FMA, so the
//! result is bit-identical natively and in wasm, with or without SIMD, whatever the tiling.

/// Register tile: MR rows of A by NR columns of B. 6x8 is 12 SSE / simd128 accumulators plus
/// two for B and one for A, within 16 vector registers (measured best of 4x8, 4x16, 8x8, 2x16);
/// with AVX the same 12 registers hold 6x16.
const MR: usize = 6;
const NR: usize = 8;
#[cfg(target_arch = "x86_64")]
const NR_AVX: usize = 16;
/// Narrower products stay on 128-bit vectors: measured faster at H <= 32.
#[cfg(target_arch = "x86_64")]
const AVX_MIN_N: usize = 128;

/// A matrix read through strides: element (i, p) is `data[i * rs + p * cs]`.
/// `rs = k, cs = 1` is row-major A; `rs = 1, cs = m` reads a row-major [k, m] buffer as A^T.
#[derive(Clone, Copy)]
pub struct Strided<'a> {
    pub data: &'a [f32],
    pub rs: usize,
    pub cs: usize,
}

impl<'a> Strided<'a> {
    /// Row-major [m, k].
    pub fn rows(data: &'a [f32], k: usize) -> Self {
        Strided { data, rs: k, cs: 1 }
    }
    /// The transpose of a row-major [k, m] buffer.
    pub fn transposed(data: &'a [f32], m: usize) -> Self {
        Strided { data, rs: 1, cs: m }
    }
    #[inline(always)]
    fn at(&self, i: usize, p: usize) -> f32 {
        self.data[i * self.rs + p * self.cs]
    }
}

/// c: [m, n] = (c if `accumulate` else 0) + a: [m, k] · b: [k, n].
pub fn gemm(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32], accumulate: bool) {
    debug_assert!(b.len() >= k * n && c.len() >= m * n);
    if !accumulate {
        c[..m * n].fill(0.0);
    }
    #[cfg(target_arch = "x86_64")]
    if n >= AVX_MIN_N && std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        unsafe { gemm_avx(m, n, k, a, b, c) };
        return;
    }
    tiled::<NR>(m, n, k, a, b, c);
}

/// The same loops compiled with 256-bit vectors (no FMA, so the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn gemm_avx(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    tiled::<NR_AVX>(m, n, k, a, b, c);
}

#[inline(always)]
fn tiled<const W: usize>(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    let (m_full, n_full) = (m - m % MR, n - n % W);
    for i in (0..m_full).step_by(MR) {
        for j in (0..n_full).step_by(W) {
            tile::<W>(i, j, n, k, a, b, c);
        }
        for r in i..i + MR {
            edge_row(r, n_full, n, k, a, b, c);
        }
    }
    for r in m_full..m {
        edge_row(r, 0, n, k, a, b, c);
    }
}

#[inline(always)]
fn tile<const W: usize>(i: usize, j: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    let mut acc = [[0.0f32; W]; MR];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + r) * n + j..(i + r) * n + j + W]);
    }
    for p in 0..k {
        let bp: &[f32; W] = b[p * n + j..p * n + j + W].try_into().unwrap();
        for (r, row) in acc.iter_mut().enumerate() {
            let av = a.at(i + r, p);
            for q in 0..W {
                row[q] += av * bp[q];
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[(i + r) * n + j..(i + r) * n + j + W].copy_from_slice(row);
    }
}

/// Columns `j0..n` of row `r`, same summation order as `tile`.
#[inline(always)]
fn edge_row(r: usize, j0: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    if j0 == n {
        return;
    }
    let crow = &mut c[r * n + j0..r * n + n];
    for p in 0..k {
        let av = a.at(r, p);
        for (cv, bv) in crow.iter_mut().zip(&b[p * n + j0..p * n + n]) {
            *cv += av * bv;
        }
    }
}

/// out: [cols, rows] = transpose of m: [rows, cols].
pub fn transpose(m: &[f32], rows: usize, cols: usize, out: &mut Vec<f32>) {
    out.resize(rows * cols, 0.0);
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = m[r * cols + c];
        }
    }
}

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

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + libm::expf(-x))
}

pub fn tanh(x: f32) -> f32 {
    libm::tanhf(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c0: &[f32]) -> Vec<f32> {
        let mut c = c0.to_vec();
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] += a.at(i, p) * b[p * n + j];
                }
            }
        }
        c
    }

    #[test]
    fn gemm_matches_naive_bit_for_bit_on_odd_shapes() {
        for &(m, n, k) in
            &[(1, 1, 1), (5, 9, 3), (4, 8, 7), (13, 35, 17), (32, 64, 16), (7, 130, 9), (12, 256, 33)]
        {
            let a: Vec<f32> = (0..m * k).map(|v| ((v * 7 % 13) as f32 - 6.0) / 7.0).collect();
            let b: Vec<f32> = (0..k * n).map(|v| ((v * 5 % 11) as f32 - 5.0) / 3.0).collect();
            let c0: Vec<f32> = (0..m * n).map(|v| (v % 3) as f32 * 0.1).collect();
            let mut c = c0.clone();
            gemm(m, n, k, Strided::rows(&a, k), &b, &mut c, true);
            assert_eq!(c, naive(m, n, k, Strided::rows(&a, k), &b, &c0));
            let mut at = Vec::new();
            transpose(&a, m, k, &mut at);
            // Both vector widths, whichever the CPU picks in `gemm`.
            let (mut c8, mut c16) = (c0.clone(), c0.clone());
            tiled::<8>(m, n, k, Strided::rows(&a, k), &b, &mut c8);
            tiled::<16>(m, n, k, Strided::rows(&a, k), &b, &mut c16);
            assert_eq!((&c8, &c16), (&c, &c));
            let mut c2 = vec![9.0; m * n];
            gemm(m, n, k, Strided::transposed(&at, m), &b, &mut c2, false);
            assert_eq!(c2, naive(m, n, k, Strided::rows(&a, k), &b, &vec![0.0; m * n]));
        }
    }
}
