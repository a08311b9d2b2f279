//! Elementwise loops compiled for the widest vectors the CPU has, chosen at run time so one
//! binary runs everywhere. The loops it wraps are IEEE-rounded per element and never fused, so
//! the vector width changes their speed, never their bits.

/// Defines `fn name(args)` that runs its body compiled for AVX2 when the CPU has it (natively),
/// and as plain code otherwise (wasm: simd128 from the build flags).
macro_rules! wide_fn {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
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
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { avx2($($arg),*) };
            }
            body($($arg),*)
        }
    };
}
pub(crate) use wide_fn;
