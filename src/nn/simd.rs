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
            $(#[$meta])*
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            $(#[$meta])*
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx,avx2")]
            unsafe fn avx2($($arg: $ty),*) {
                body($($arg),*)
            }
            $(#[$meta])*
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
    use crate::nn::{gru, lstm, mgu, minimal, rnn, Arch, Cell};

    /// Every output of every cell's forward and backward, on inputs from -30 to 30.
    fn outputs(hid: usize) -> Vec<f32> {
        let b = 3;
        let v = |n: usize, salt: usize| -> Vec<f32> {
            (0..n).map(|k| (((k * 7919 + salt * 104_729) % 6001) as f32 - 3000.0) / 100.0).collect()
        };
        let (c_prev, dh, peep, dgates) = (v(b * hid, 2), v(b * hid, 3), v(3 * hid, 7), v(b * 3 * hid, 8));
        let z = |n: usize| vec![0.0f32; n];
        let mut out = Vec::new();
        for a in Arch::ALL {
            let Cell::Lstm(var) = a.cell() else { continue };
            let g = lstm::blocks(var) * hid;
            let pre = v(b * g, 1);
            let (mut c, mut h, mut acts) = (z(b * hid), z(b * hid), z(b * 5 * hid));
            lstm::forward(var, hid, &pre, &peep, &c_prev, &mut c, &mut h, &mut acts);
            let (mut dc, mut dpre, mut dpeep) = (v(b * hid, 4), z(b * g), z(3 * hid));
            let back =
                lstm::Back { acts: &acts, c_prev: &c_prev, c: &c, peep: &peep, dh: &dh, dgates: &dgates };
            lstm::backward(var, hid, &back, &mut dc, &mut dpre, &mut dpeep);
            out.extend([c, h, acts, dc, dpre, dpeep].concat());
        }
        let (px, ph) = (v(b * 3 * hid, 5), v(b * 3 * hid, 6));
        let (mut h, mut acts) = (z(b * hid), z(b * 4 * hid));
        gru::forward(hid, &px, &ph, &c_prev, &mut h, &mut acts);
        let (mut dpx, mut dph, mut dhp) = (z(b * 3 * hid), z(b * 3 * hid), z(b * hid));
        gru::backward(hid, &acts, &c_prev, &dh, &mut dpx, &mut dph, &mut dhp);
        out.extend([h, acts, dpx, dph, dhp].concat());
        let (mut acts, mut fh, mut h) = (z(b * 2 * hid), z(b * hid), z(b * hid));
        mgu::gate(hid, &px[..b * 2 * hid], &ph[..b * hid], &c_prev, &mut acts, &mut fh);
        mgu::candidate(hid, &px[..b * 2 * hid], &ph[b * hid..2 * b * hid], &c_prev, &mut acts, &mut h);
        let (mut dpx, mut dph, mut dhp) = (z(b * 2 * hid), z(b * 2 * hid), z(b * hid));
        mgu::back_candidate(hid, &acts, &dh, &mut dpx, &mut dph);
        mgu::back_gate(hid, &acts, &c_prev, &dh, &dgates[..b * hid], &mut dpx, &mut dph, &mut dhp);
        out.extend([acts, fh, h, dpx, dph, dhp].concat());
        for (w, fwd, bwd) in [
            (
                2,
                minimal::gru_forward as fn(usize, &[f32], &[f32], &mut [f32], &mut [f32]),
                minimal::gru_backward as fn(usize, &[f32], &[f32], &[f32], &mut [f32], &mut [f32]),
            ),
            (3, minimal::lstm_forward, minimal::lstm_backward),
        ] {
            let (mut h, mut acts, mut dpre, mut dhp) =
                (z(b * hid), z(b * w * hid), z(b * w * hid), z(b * hid));
            fwd(hid, &px[..b * w * hid], &c_prev, &mut h, &mut acts);
            bwd(hid, &acts, &c_prev, &dh, &mut dpre, &mut dhp);
            out.extend([h, acts, dpre, dhp].concat());
        }
        let mut r = z(b * hid);
        rnn::forward(&c_prev, &mut r);
        let mut dr = z(b * hid);
        rnn::backward(&r, &dh, &mut dr);
        out.extend([r, dr].concat());
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
