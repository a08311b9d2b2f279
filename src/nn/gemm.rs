//! Dense matrix products on flat row-major `f32` buffers: the one place that decides speed.
//!
//! c: [m, n] += a: [m, k] · b: [k, n], with b packed once into panels of W columns (contiguous
//! along k, zero-padded past n) and a register tile of R rows by W columns kept in registers
//! across the whole k loop. Every output element is summed over k in increasing order from its
//! initial value, in every tile shape and vector width; Rust never fuses `a * b + c`, so the
//! result is bit-identical natively and in wasm, with or without SIMD, whatever the tiling.
//! Natively, `Arithmetic::Fused` (the CLI's `--fast`) runs the same sums with one rounding per
//! multiply-add: the same bits on every CPU with FMA, not exact's.

#[cfg(any(target_arch = "x86_64", test))]
use super::arithmetic::Arithmetic;
use std::cell::RefCell;

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
}

/// The B operand in panels of `w` columns: panel q holds columns q*w..q*w+w of rows 0..k.
#[derive(Default, Clone)]
pub struct Packed {
    data: Vec<f32>,
    k: usize,
    n: usize,
    w: usize,
}

impl Packed {
    /// Packs b: [k, n] (row-major): each row's panel-wide pieces are contiguous copies.
    pub fn rows(&mut self, b: &[f32], k: usize, n: usize) {
        let w = self.reset(k, n);
        for (p, row) in b.chunks_exact(n).take(k).enumerate() {
            for (q, piece) in row.chunks(w).enumerate() {
                self.data[(q * k + p) * w..][..piece.len()].copy_from_slice(piece);
            }
        }
    }

    /// Packs the transpose of w: [n, k] (row-major), i.e. b[p][j] = w[j][p] — the weights of a
    /// layer used as `x · W^T`. Each row of w is read once, in order.
    pub fn transposed(&mut self, wt: &[f32], n: usize, k: usize) {
        let w = self.reset(k, n);
        for (j, row) in wt.chunks_exact(k).take(n).enumerate() {
            let panel = &mut self.data[(j / w) * k * w..][..k * w];
            for (p, &v) in row.iter().enumerate() {
                panel[p * w + j % w] = v;
            }
        }
    }

    /// Sizes the buffer for b: [k, n] (zero padding past n) and returns the panel width.
    fn reset(&mut self, k: usize, n: usize) -> usize {
        let w = width_for(n);
        self.data.clear();
        self.data.resize(n.div_ceil(w) * k * w, 0.0);
        (self.k, self.n, self.w) = (k, n, w);
        w
    }

    /// Floats reserved (what it costs in memory).
    pub fn floats(&self) -> usize {
        self.data.capacity()
    }
}

/// Panel width for n columns: narrow products waste less padding on narrow panels.
fn width_for(n: usize) -> usize {
    if n <= 4 {
        4
    } else if n <= 8 || !wide_vectors() {
        8
    } else {
        16
    }
}

/// Whether 16-wide panels pay: natively with AVX (two 8-lane registers per row), not on
/// 128-bit SIMD (wasm, SSE) where they measured slower.
fn wide_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// What a product's sums start from.
#[derive(Clone, Copy)]
pub enum Start<'a> {
    /// 0: c = a · b.
    Zero,
    /// c's values: c += a · b.
    C,
    /// A row of n (a bias) in every row: c = bias + a · b, without first writing it into c.
    Row(&'a [f32]),
}

/// c: [m, n] = start + a: [m, k] · b: [k, n].
pub fn gemm(m: usize, n: usize, k: usize, a: Strided, b: &Packed, c: &mut [f32], start: Start) {
    assert!(b.k == k && b.n == n && c.len() >= m * n, "gemm: operand shapes disagree");
    if let Start::Row(bias) = start {
        assert!(bias.len() == n, "gemm: the start row is not n wide");
    }
    if m == 0 || n == 0 {
        return;
    }
    // Bounds of A, checked once so the tiles can read it unchecked.
    assert!((m - 1) * a.rs + k.saturating_sub(1) * a.cs < a.data.len() || k == 0, "gemm: A too short");
    if k == 0 {
        match start {
            Start::Zero => c[..m * n].fill(0.0),
            Start::C => {}
            Start::Row(bias) => c[..m * n].chunks_exact_mut(n).for_each(|row| row.copy_from_slice(bias)),
        }
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        // `Arithmetic::available` refuses fused without FMA; checked again, as executing an
        // instruction the CPU lacks would be undefined.
        let fused = Arithmetic::current() == Arithmetic::Fused && super::arithmetic::has_fma();
        if has!("avx512f") && has!("avx512vl") {
            // SAFETY: the CPU has these features, checked just above.
            match fused {
                true => unsafe { gemm_avx512_fma(m, n, k, a, b, c, start) },
                false => unsafe { gemm_avx512(m, n, k, a, b, c, start) },
            }
            return;
        }
        if has!("avx") {
            // SAFETY: as above.
            match fused {
                true => unsafe { gemm_avx2_fma(m, n, k, a, b, c, start) },
                false => unsafe { gemm_avx(m, n, k, a, b, c, start) },
            }
            return;
        }
    }
    by_width::<R_16_REGS, false>(m, n, k, a, b, c, start);
}

/// `by_width::<R, F>` compiled for a set of CPU features: AVX-512VL's 32 vector registers hold
/// larger tiles; `F` (`Arithmetic::Fused`) runs the same loops with `mul_add`, one FMA
/// instruction each. Without FMA enabled, the same bits on every target.
macro_rules! kernel {
    ($name:ident, $features:literal, $r:expr, $f:expr) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name(m: usize, n: usize, k: usize, a: Strided, b: &Packed, c: &mut [f32], start: Start) {
            by_width::<{ $r }, { $f }>(m, n, k, a, b, c, start);
        }
    };
}
kernel!(gemm_avx512, "avx,avx2,avx512f,avx512vl", R_AVX512, false);
kernel!(gemm_avx, "avx", R_16_REGS, false);
kernel!(gemm_avx512_fma, "avx,avx2,avx512f,avx512vl,fma", R_AVX512, true);
kernel!(gemm_avx2_fma, "avx,avx2,fma", R_16_REGS, true);

#[inline(always)]
fn by_width<const R: usize, const F: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: Strided,
    b: &Packed,
    c: &mut [f32],
    start: Start,
) {
    match b.w {
        4 => rows::<R, 4, F>(m, n, k, a, b, c, start),
        8 => rows::<R, 8, F>(m, n, k, a, b, c, start),
        _ => rows::<R, 16, F>(m, n, k, a, b, c, start),
    }
}

/// Rows per register tile, R: R x W accumulators (at most 8: see the tiles in `panels`).
/// 8 only with AVX-512's 32 registers (8 x 16 measured best on Zen 4); 4 wherever there are 16
/// (AVX2, SSE, wasm): there 8 x 16 spilled its accumulators, and 4 x 16 ran LSTM H = 128 2.3x
/// faster on Zen 3 than 8 x 16 (6 x 16 1.9x); in wasm (V8 maps simd128 onto 16 registers)
/// 4 x 8 ran 50% faster than 6 x 8 in Chromium.
#[cfg(any(target_arch = "x86_64", test))]
const R_AVX512: usize = 8;
const R_16_REGS: usize = 4;

/// Columns of A per pass when A is read transposed (below): the packed slice of A, [m, KC],
/// stays in L2 while every panel reads it, and a panel's KC x W floats stay in L1.
pub const KC: usize = 256;

thread_local!(static A_PACKED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) });

/// A read transposed (the weight gradients' dpre^T) has consecutive p a whole row apart: every
/// step of a tile's k loop touched a new cache line and page, once per panel (LSTM H = 256:
/// dW_hh ran at a third of the other products' speed). Such an A is first copied, KC columns at
/// a time, into each row tile's contiguous [KC, R]; each pass starts from the previous one's c,
/// so every sum still runs over p in increasing order.
#[inline(always)]
fn rows<const R: usize, const W: usize, const F: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: Strided,
    b: &Packed,
    c: &mut [f32],
    start: Start,
) {
    if a.cs == 1 || b.data.len() == k * W {
        return panels::<R, W, F>(m, n, (k, 0, k), Tiles::Rows(a), b, c, start);
    }
    // Taken out of the thread-local and put back, not used in a closure: a closure is compiled
    // without this function's target features (there `mul_add` became a call to libm).
    let mut buf = A_PACKED.with(RefCell::take);
    for k0 in (0..k).step_by(KC) {
        let kc = KC.min(k - k0);
        pack::<R>(m, k0, kc, a, &mut buf);
        let start = if k0 == 0 { start } else { Start::C };
        panels::<R, W, F>(m, n, (k, k0, kc), Tiles::Packed(&buf, kc), b, c, start);
    }
    A_PACKED.with(|b| b.replace(buf));
}

/// Where a row tile reads A.
#[derive(Clone, Copy)]
enum Tiles<'a> {
    /// A itself.
    Rows(Strided<'a>),
    /// `pack`'s copy of kc columns.
    Packed(&'a [f32], usize),
}

impl<'a> Tiles<'a> {
    /// A from row i (and the pass's first column).
    #[inline(always)]
    fn at<const R: usize>(self, i: usize) -> Strided<'a> {
        match self {
            Tiles::Rows(a) => Strided { data: &a.data[i * a.rs..], ..a },
            Tiles::Packed(buf, kc) => Strided { data: &buf[i / R * kc * R..], rs: 1, cs: R },
        }
    }
}

/// Floats this thread's copy of A holds (what `rows` costs in memory; at most m x KC).
pub fn scratch_floats() -> usize {
    A_PACKED.with(|b| b.borrow().capacity())
}

/// buf: [m / R rounded up, kc, R] with a(i, k0 + p) at [i / R][p][i % R] (zero past m), read
/// from A in its own memory order.
fn pack<const R: usize>(m: usize, k0: usize, kc: usize, a: Strided, buf: &mut Vec<f32>) {
    buf.clear();
    buf.resize(m.div_ceil(R) * kc * R, 0.0);
    for p in 0..kc {
        let col = &a.data[(k0 + p) * a.cs..];
        for i in 0..m {
            buf[(i / R * kc + p) * R + i % R] = col[i * a.rs];
        }
    }
}

/// Every tile of c over B's rows k0..k0+kc of k, in the order that reads the larger operand
/// from memory once and reuses the smaller one from cache. Panels outer when A is the smaller
/// (the products per time step: B, the recurrent weights, is 1 MB at H = 256 and streamed once
/// per row tile with rows outer). Row tiles outer when `pack`'s copy of A is the larger (the
/// weight gradient: its [4H, KC] slice left L2 once per panel). The sums are the same.
#[inline(always)]
fn panels<const R: usize, const W: usize, const F: bool>(
    m: usize,
    n: usize,
    (k, k0, kc): (usize, usize, usize),
    a: Tiles,
    b: &Packed,
    c: &mut [f32],
    start: Start,
) {
    // Loops and plain functions, no closures: a closure is compiled without the caller's target
    // features (`mul_add` there became a call to libm).
    if matches!(a, Tiles::Packed(..)) && m > n {
        for i in (0..m).step_by(R) {
            for q in 0..n.div_ceil(W) {
                one::<R, W, F>(m, n, (k, k0, kc), a, (i, q), b, c, start);
            }
        }
    } else {
        for q in 0..n.div_ceil(W) {
            for i in (0..m).step_by(R) {
                one::<R, W, F>(m, n, (k, k0, kc), a, (i, q), b, c, start);
            }
        }
    }
}

/// The tile of c at row i, panel q: R rows, or what is left of m.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn one<const R: usize, const W: usize, const F: bool>(
    m: usize,
    n: usize,
    (k, k0, kc): (usize, usize, usize),
    a: Tiles,
    (i, q): (usize, usize),
    b: &Packed,
    c: &mut [f32],
    start: Start,
) {
    let (a, p) = (a.at::<R>(i), &b.data[q * k * W + k0 * W..][..kc * W]);
    match (m - i).min(R) {
        1 => block::<1, W, F>(i, q, n, kc, a, p, c, start),
        2 => block::<2, W, F>(i, q, n, kc, a, p, c, start),
        3 => block::<3, W, F>(i, q, n, kc, a, p, c, start),
        4 => block::<4, W, F>(i, q, n, kc, a, p, c, start),
        5 => block::<5, W, F>(i, q, n, kc, a, p, c, start),
        6 => block::<6, W, F>(i, q, n, kc, a, p, c, start),
        7 => block::<7, W, F>(i, q, n, kc, a, p, c, start),
        _ => block::<8, W, F>(i, q, n, kc, a, p, c, start),
    }
}

/// Rows i..i+RR of c in panel q's columns; `a` starts at row i.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn block<const RR: usize, const W: usize, const F: bool>(
    i: usize,
    q: usize,
    n: usize,
    k: usize,
    a: Strided,
    panel: &[f32],
    c: &mut [f32],
    start: Start,
) {
    let j = q * W;
    let cols = (n - j).min(W);
    let mut acc = [[0.0f32; W]; RR];
    // Whole tiles move as fixed-size arrays (vector loads and stores, no memmove call).
    for (r, row) in acc.iter_mut().enumerate() {
        let src = match start {
            Start::Zero => continue,
            Start::C => &c[(i + r) * n + j..],
            Start::Row(bias) => &bias[j..],
        };
        if cols == W {
            *row = src[..W].try_into().expect("W wide");
        } else {
            row[..cols].copy_from_slice(&src[..cols]);
        }
    }
    tile::<RR, W, F>(&mut acc, k, a, panel);
    for (r, row) in acc.iter().enumerate() {
        let dst = &mut c[(i + r) * n + j..];
        if cols == W {
            dst[..W].copy_from_slice(row);
        } else {
            dst[..cols].copy_from_slice(&row[..cols]);
        }
    }
}

/// acc[r][q] += sum over p of a(r, p) * panel[p][q], p in increasing order; `F`: each step
/// fused (one rounding).
#[inline(always)]
fn tile<const RR: usize, const W: usize, const F: bool>(
    acc: &mut [[f32; W]; RR],
    k: usize,
    a: Strided,
    panel: &[f32],
) {
    debug_assert!(panel.len() == k * W && (RR - 1) * a.rs + (k - 1) * a.cs < a.data.len());
    for p in 0..k {
        // SAFETY: `panel` holds k rows of W; `gemm` checked that all of A is in bounds, and `a`
        // is A from this tile's row (or the packed tile, R x k).
        let bp: &[f32; W] = unsafe { &*(panel.as_ptr().add(p * W) as *const [f32; W]) };
        for (r, row) in acc.iter_mut().enumerate() {
            let av = unsafe { *a.data.get_unchecked(r * a.rs + p * a.cs) };
            for q in 0..W {
                row[q] = if F { av.mul_add(bp[q], row[q]) } else { row[q] + av * bp[q] };
            }
        }
    }
}

/// Independent chains in the peak loop: enough to hide the multiply and add latencies.
const CHAINS: usize = 12;

/// The arithmetic the kernel uses, at this core's fastest: `n` rounds, on each of 12
/// independent vectors, of a separate multiply and add (never fused) on the widest vectors
/// `gemm` uses here (16 lanes with AVX-512, 8 with AVX). Returns (a sum, so nothing is
/// optimised away; the floating-point operations done).
pub fn mul_add_rounds(n: usize) -> (f32, f64) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512vl") {
            // SAFETY: the CPU has these features, checked just above.
            return (unsafe { peak::avx512(n) }, (2 * 16 * CHAINS * n) as f64);
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: as above.
            return (unsafe { peak::avx(n) }, (2 * 8 * CHAINS * n) as f64);
        }
    }
    let mut acc = [0.0f32; CHAINS];
    let (x, y) = (std::hint::black_box(0.999f32), std::hint::black_box(1e-3f32));
    for _ in 0..n {
        acc.iter_mut().for_each(|a| *a = *a * x + y);
    }
    (acc.iter().sum(), (2 * CHAINS * n) as f64)
}

/// The same rounds as `mul_add_rounds`, fused (one rounding per multiply-add): the core's FMA
/// peak, which the kernel does not use (wasm has no deterministic FMA in every engine, and the
/// page and the CLI give the same bits). None where the CPU has no FMA.
pub fn fused_rounds(n: usize) -> Option<(f32, f64)> {
    #[cfg(target_arch = "x86_64")]
    {
        if !std::arch::is_x86_feature_detected!("fma") {
            return None;
        }
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512vl") {
            // SAFETY: the CPU has these features, checked just above.
            return Some((unsafe { peak::fused_avx512(n) }, (2 * 16 * CHAINS * n) as f64));
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: as above.
            return Some((unsafe { peak::fused_avx(n) }, (2 * 8 * CHAINS * n) as f64));
        }
        None
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = n;
        None
    }
}

/// acc = acc * x + y per vector: each chain depends on itself only, so 12 of them keep the
/// multiply and add units busy instead of waiting on latency; x < 1 keeps it finite.
#[cfg(target_arch = "x86_64")]
mod peak {
    use super::CHAINS;
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx,avx2,avx512f,avx512vl")]
    pub unsafe fn avx512(n: usize) -> f32 {
        rounds512(n, |a, x, y| _mm512_add_ps(_mm512_mul_ps(a, x), y))
    }

    #[target_feature(enable = "avx,avx2,avx512f,avx512vl,fma")]
    pub unsafe fn fused_avx512(n: usize) -> f32 {
        rounds512(n, |a, x, y| _mm512_fmadd_ps(a, x, y))
    }

    #[target_feature(enable = "avx")]
    pub unsafe fn avx(n: usize) -> f32 {
        rounds256(n, |a, x, y| _mm256_add_ps(_mm256_mul_ps(a, x), y))
    }

    #[target_feature(enable = "avx,fma")]
    pub unsafe fn fused_avx(n: usize) -> f32 {
        rounds256(n, |a, x, y| _mm256_fmadd_ps(a, x, y))
    }

    /// `n` rounds of a = step(a, x, y) on each chain of 16 lanes (inlined into the caller, so
    /// compiled for its features), then every lane summed.
    #[inline(always)]
    unsafe fn rounds512(n: usize, step: impl Fn(__m512, __m512, __m512) -> __m512) -> f32 {
        let (x, y) =
            (_mm512_set1_ps(std::hint::black_box(0.999)), _mm512_set1_ps(std::hint::black_box(1e-3)));
        let mut acc = [_mm512_setzero_ps(); CHAINS];
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = step(*a, x, y);
            }
        }
        acc.iter().map(|&a| _mm512_reduce_add_ps(a)).sum()
    }

    /// The same on chains of 8 lanes.
    #[inline(always)]
    unsafe fn rounds256(n: usize, step: impl Fn(__m256, __m256, __m256) -> __m256) -> f32 {
        let (x, y) =
            (_mm256_set1_ps(std::hint::black_box(0.999)), _mm256_set1_ps(std::hint::black_box(1e-3)));
        let mut acc = [_mm256_setzero_ps(); CHAINS];
        for _ in 0..n {
            for a in acc.iter_mut() {
                *a = step(*a, x, y);
            }
        }
        sum8(&acc)
    }

    /// Every lane of every chain, summed (so nothing is optimised away).
    #[target_feature(enable = "avx")]
    unsafe fn sum8(acc: &[__m256; CHAINS]) -> f32 {
        let mut lanes = [0.0f32; 8];
        acc.iter()
            .map(|&a| {
                _mm256_storeu_ps(lanes.as_mut_ptr(), a);
                lanes.iter().sum::<f32>()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c0: &[f32]) -> Vec<f32> {
        let mut c = c0.to_vec();
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] += a.data[i * a.rs + p * a.cs] * b[p * n + j];
                }
            }
        }
        c
    }

    fn naive_fused(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c0: &[f32]) -> Vec<f32> {
        let mut c = c0.to_vec();
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] = a[i * k + p].mul_add(b[p * n + j], c[i * n + j]);
                }
            }
        }
        c
    }

    #[test]
    fn gemm_matches_naive_bit_for_bit_on_odd_shapes() {
        for &(m, n, k) in &[
            (1, 1, 1),
            (5, 9, 3),
            (4, 8, 7),
            (13, 35, 17),
            (32, 64, 16),
            (7, 130, 9),
            (12, 256, 33),
            (32, 3, 50),
            (33, 512, 128),
            (6, 17, 5),
            (14, 40, 3),
            // Read transposed below with k > KC: packed in passes, rows outer where m > n.
            (130, 40, 300),
            (67, 17, 520),
        ] {
            let a: Vec<f32> = (0..m * k).map(|v| ((v * 7 % 13) as f32 - 6.0) / 7.0).collect();
            let b: Vec<f32> = (0..k * n).map(|v| ((v * 5 % 11) as f32 - 5.0) / 3.0).collect();
            let c0: Vec<f32> = (0..m * n).map(|v| (v % 3) as f32 * 0.1).collect();
            let want = naive(m, n, k, Strided::rows(&a, k), &b, &c0);
            let mut packed = Packed::default();
            packed.rows(&b, k, n);
            let mut c = c0.clone();
            gemm(m, n, k, Strided::rows(&a, k), &packed, &mut c, Start::C);
            assert_eq!(c, want, "{m}x{n}x{k}");
            // Every width and the portable path give the same bits as the dispatched one.
            for tall in [false, true] {
                let mut portable = c0.clone();
                let (a, b, c) = (Strided::rows(&a, k), &packed, &mut portable);
                match tall {
                    true => by_width::<R_AVX512, false>(m, n, k, a, b, c, Start::C),
                    false => by_width::<R_16_REGS, false>(m, n, k, a, b, c, Start::C),
                }
                assert_eq!(portable, want);
            }
            // Fused: every step one rounding, summed in the same order.
            if Arithmetic::Fused.available().is_ok() {
                let mut fused = c0.clone();
                Arithmetic::Fused
                    .scope(|| gemm(m, n, k, Strided::rows(&a, k), &packed, &mut fused, Start::C));
                assert_eq!(fused, naive_fused(m, n, k, &a, &b, &c0), "fused {m}x{n}x{k}");
            }
            // Starting from a row: the same bits as that row written into c first.
            let bias = &c0[..n];
            let mut from_row = vec![7.0; m * n];
            gemm(m, n, k, Strided::rows(&a, k), &packed, &mut from_row, Start::Row(bias));
            assert_eq!(from_row, naive(m, n, k, Strided::rows(&a, k), &b, &bias.repeat(m)));
            // A read transposed, B packed from its transpose, c zeroed first.
            let mut at = vec![0.0; m * k];
            let mut bt = vec![0.0; k * n];
            (0..m * k).for_each(|v| at[(v % k) * m + v / k] = a[v]);
            (0..k * n).for_each(|v| bt[(v % n) * k + v / n] = b[v]);
            packed.transposed(&bt, n, k);
            let mut c2 = vec![9.0; m * n];
            gemm(m, n, k, Strided::transposed(&at, m), &packed, &mut c2, Start::Zero);
            assert_eq!(c2, naive(m, n, k, Strided::rows(&a, k), &b, &vec![0.0; m * n]));
        }
    }
}
