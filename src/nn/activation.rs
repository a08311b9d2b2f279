//! exp, sigmoid and tanh as plain f32 arithmetic: no branches, no calls, no fused multiply-add.
//! Loops over them vectorise (SSE/AVX natively, simd128 in wasm), and since every step is an
//! exactly rounded IEEE operation, the page and the CLI get the same bits.
//!
//! exp(x) = 2^n (1 + p(r)) with x = n ln2 + r, |r| <= ln2/2 (Cody-Waite reduction), and p the
//! degree-7 Taylor polynomial of expm1 (truncation error below 1e-8 on that interval).

/// 1.5 * 2^23: adding it rounds an f32 of magnitude below 2^22 to an integer, which then sits
/// in the low mantissa bits (so 2^n is built from bits, without a float-to-int conversion).
const MAGIC: f32 = 12_582_912.0;
const MAGIC_BITS: u32 = 0x4B40_0000;
const LOG2E: f32 = std::f32::consts::LOG2_E;
/// ln 2 split so that n * LN2_HI is exact for |n| < 2^15.
const LN2_HI: f32 = 355.0 / 512.0;
const LN2_LO: f32 = -2.121_944_4e-4;

#[inline(always)]
fn clamp(x: f32, lo: f32, hi: f32) -> f32 {
    // Comparisons (not f32::max) so NaN passes through and the loop stays branch-free.
    let x = if x < lo { lo } else { x };
    if x > hi {
        hi
    } else {
        x
    }
}

/// (2^n, expm1(r)) for x = n ln2 + r; x is clamped to [-87, 88], where 2^n is a normal f32.
#[inline(always)]
fn reduce(x: f32) -> (f32, f32) {
    let x = clamp(x, -87.0, 88.0);
    let t = x * LOG2E + MAGIC;
    let n = t - MAGIC;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let scale = f32::from_bits(t.to_bits().wrapping_sub(MAGIC_BITS).wrapping_add(127) << 23);
    let p = r
        * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    (scale, p)
}

#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let (scale, p) = reduce(x);
    scale + scale * p
}

/// e^x - 1, accurate near 0 (where 2^n = 1 exactly and the result is p itself).
#[inline(always)]
pub fn expm1(x: f32) -> f32 {
    let (scale, p) = reduce(x);
    scale * p + (scale - 1.0)
}

#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// tanh x = expm1(2x) / (expm1(2x) + 2): full relative precision near 0, exactly ±1 far out.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let e = expm1(2.0 * x);
    e / (e + 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f32, b: f64) -> f64 {
        (a as f64 - b).abs() / (b.abs().max(1e-30) * f32::EPSILON as f64)
    }

    #[test]
    fn close_to_the_exact_functions_over_their_range() {
        let mut worst = [0.0f64; 3];
        for i in -40_000..=40_000 {
            let x = i as f32 / 1000.0;
            let xd = x as f64;
            worst[0] = worst[0].max(ulps(exp(x), xd.exp()));
            worst[1] = worst[1].max(ulps(sigmoid(x), 1.0 / (1.0 + (-xd).exp())));
            worst[2] = worst[2].max(ulps(tanh(x), xd.tanh()));
        }
        assert!(worst.iter().all(|&u| u < 4.0), "worst error in ulps (exp, sigmoid, tanh): {worst:?}");
        assert!((tanh(1e-6) - 1e-6).abs() < 1e-12, "tanh keeps its precision near 0");
    }

    #[test]
    fn saturates_cleanly_and_propagates_nan() {
        assert_eq!((tanh(50.0), tanh(-50.0), tanh(f32::INFINITY)), (1.0, -1.0, 1.0));
        assert_eq!((sigmoid(200.0), sigmoid(f32::INFINITY)), (1.0, 1.0));
        assert!(sigmoid(-200.0) >= 0.0 && sigmoid(-200.0) < 1e-37);
        assert!(tanh(f32::NAN).is_nan() && sigmoid(f32::NAN).is_nan() && exp(f32::NAN).is_nan());
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(expm1(0.0), 0.0);
    }
}
