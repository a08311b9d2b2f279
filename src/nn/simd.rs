//! Elementwise loops compiled for the widest vectors the CPU has, chosen at run time so one
//! binary runs everywhere. The loops it wraps are IEEE-rounded per element and never fused, so
//! the vector width changes their speed, never their bits.

/// Defines `fn name(args)` that runs its body compiled for AVX-512 or AVX2 when the CPU has it
/// (natively), and as plain code otherwise (wasm: simd128 from the build flags). `run` is the
/// length of the body's innermost loops: AVX-512 only when it is a multiple of 16, because LLVM
/// finishes a 16-lane loop with scalar code (at H = 8 that was 5x slower than AVX2), while on
/// whole vectors it measured 1.6x faster than AVX2 (the LSTM forward, H = 32-256, Zen 4).
macro_rules! wide_fn {
    (run = $run:expr; $(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        $vis fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx,avx2")]
            unsafe fn avx2($($arg: $ty),*) {
                body($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx,avx2,avx512f,avx512vl")]
            unsafe fn avx512($($arg: $ty),*) {
                body($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            if !$crate::nn::simd::portable_only() {
                if $run % 16 == 0
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512vl")
                {
                    // SAFETY: the CPU has AVX-512F and VL, checked just above.
                    return unsafe { avx512($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2, checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}
pub(crate) use wide_fn;

// Tests can turn the wide path off on their thread to compare both paths' bits.
#[cfg(test)]
thread_local!(static PORTABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });

#[inline(always)]
pub fn portable_only() -> bool {
    #[cfg(test)]
    return PORTABLE.with(|p| p.get());
    #[cfg(not(test))]
    false
}

#[cfg(test)]
mod tests {
    use super::PORTABLE;
    use crate::nn::{gru, lstm, rnn};

    /// Every output of every cell's forward and backward, on inputs from -30 to 30.
    fn outputs(hid: usize) -> Vec<f32> {
        let b = 3;
        let v = |n: usize, salt: usize| -> Vec<f32> {
            (0..n).map(|k| (((k * 7919 + salt * 104_729) % 6001) as f32 - 3000.0) / 100.0).collect()
        };
        let (pre, c_prev, dh) = (v(b * 4 * hid, 1), v(b * hid, 2), v(b * hid, 3));
        let (mut c, mut h, mut acts) = (vec![0.0; b * hid], vec![0.0; b * hid], vec![0.0; b * 5 * hid]);
        lstm::forward(hid, &pre, &c_prev, &mut c, &mut h, &mut acts);
        let (mut dc, mut dpre) = (v(b * hid, 4), vec![0.0; b * 4 * hid]);
        lstm::backward(hid, &acts, &c_prev, &dh, &mut dc, &mut dpre);
        let mut out = [c, h, acts, dc, dpre].concat();
        let (px, ph) = (v(b * 3 * hid, 5), v(b * 3 * hid, 6));
        let (mut h, mut acts) = (vec![0.0; b * hid], vec![0.0; b * 4 * hid]);
        gru::forward(hid, &px, &ph, &c_prev, &mut h, &mut acts);
        let (mut dpx, mut dph, mut dhp) =
            (vec![0.0; b * 3 * hid], vec![0.0; b * 3 * hid], vec![0.0; b * hid]);
        gru::backward(hid, &acts, &c_prev, &dh, &mut dpx, &mut dph, &mut dhp);
        let mut r = vec![0.0; b * hid];
        rnn::forward(&c_prev, &mut r);
        let mut dr = vec![0.0; b * hid];
        rnn::backward(&r, &dh, &mut dr);
        out.extend([h, acts, dpx, dph, dhp, r, dr].concat());
        out
    }

    #[test]
    fn the_wide_path_gives_the_portable_bits() {
        // On a CPU without AVX2 both paths are the portable one: say so rather than pass quietly.
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("this CPU has no AVX2: the wide path is the portable one here, nothing to compare");
            return;
        }
        // 16 and 32 take the AVX-512 path where the CPU has it, the others AVX2.
        for hid in [1, 3, 8, 13, 16, 32, 37] {
            let wide = outputs(hid);
            PORTABLE.with(|p| p.set(true));
            let portable = outputs(hid);
            PORTABLE.with(|p| p.set(false));
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&wide), bits(&portable), "H = {hid}");
        }
    }
}
