//! Which arithmetic the matrix kernel runs on this thread: exact (separate multiplies and adds,
//! the page's bits) or fused (one rounding per multiply-add: the CLI's `--fast`, natively only).
//!
//! Exact is the default everywhere. Fused sums every product in the same order as exact, so it
//! too gives the same bits run to run and on every x86-64 CPU with FMA, but not the page's bits:
//! wasm has no deterministic fused multiply-add in every engine. A thread-local rather than a
//! parameter: the kernel sits under every layer, and only `pool::run` starts threads natively,
//! handing its caller's arithmetic to each.

use serde::{Deserialize, Serialize};
use std::cell::Cell;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arithmetic {
    /// Separate IEEE multiplies and adds: the same bits natively and in the page.
    #[default]
    Exact,
    /// Fused multiply-adds in the matrix kernel: faster where multiplies and adds share ports
    /// (Intel cores), same verdicts within noise, different last bits.
    Fused,
}

thread_local!(static CURRENT: Cell<Arithmetic> = const { Cell::new(Arithmetic::Exact) });

impl Arithmetic {
    /// The arithmetic of this thread's products.
    #[inline]
    pub fn current() -> Arithmetic {
        CURRENT.with(Cell::get)
    }

    /// Runs `f` with this arithmetic on this thread, then puts the previous one back.
    pub fn scope<T>(self, f: impl FnOnce() -> T) -> T {
        struct Restore(Arithmetic);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(CURRENT.with(|c| c.replace(self)));
        f()
    }

    /// Whether this CPU can run it: fused needs FMA (x86-64 natively), or it would fall back to
    /// a software fused multiply-add many times slower than exact.
    pub fn available(self) -> Result<(), String> {
        match self {
            Arithmetic::Exact => Ok(()),
            Arithmetic::Fused if has_fma() => Ok(()),
            Arithmetic::Fused => {
                Err("--fast needs fused multiply-adds (FMA), which this CPU does not have".into())
            }
        }
    }

    /// How a file or a table names it.
    pub fn words(self) -> &'static str {
        match self {
            Arithmetic::Exact => "exact",
            Arithmetic::Fused => "fused",
        }
    }

    /// The arithmetic of a file's runs: fused if any run was (a file mixing both is refused
    /// where it is read: `check`).
    pub fn of<'a>(runs: impl IntoIterator<Item = &'a Arithmetic>) -> Arithmetic {
        let fused = runs.into_iter().any(|a| *a == Arithmetic::Fused);
        if fused {
            Arithmetic::Fused
        } else {
            Arithmetic::Exact
        }
    }

    /// The one arithmetic runs share (None without runs), or what is wrong when they mix.
    pub fn shared<'a>(runs: impl IntoIterator<Item = &'a Arithmetic>) -> Result<Option<Arithmetic>, String> {
        let (mut exact, mut fused) = (0, 0);
        for a in runs {
            match a {
                Arithmetic::Exact => exact += 1,
                Arithmetic::Fused => fused += 1,
            }
        }
        match (exact, fused) {
            (0, 0) => Ok(None),
            (_, 0) => Ok(Some(Arithmetic::Exact)),
            (0, _) => Ok(Some(Arithmetic::Fused)),
            _ => Err(format!(
                "{exact} runs of exact arithmetic are mixed with {fused} of fused (--fast), whose numbers differ in the last bits"
            )),
        }
    }

    /// Checks that runs share one arithmetic and that it is `claimed`, or says what is wrong.
    pub fn check<'a>(
        claimed: Arithmetic,
        runs: impl IntoIterator<Item = &'a Arithmetic>,
    ) -> Result<(), String> {
        match Arithmetic::shared(runs)? {
            Some(a) if a != claimed => Err(format!(
                "its arithmetic is said to be {} but its runs are {}",
                claimed.words(),
                a.words()
            )),
            _ => Ok(()),
        }
    }

    /// The sentence a page or a table shows beside a fused file's numbers (None for exact).
    pub fn caveat(self) -> Option<&'static str> {
        (self == Arithmetic::Fused).then_some(
            "Its numbers came from fused multiply-adds (gatelab --fast): the same runs in this page use \
             exact arithmetic and differ in the last bits. Verdicts compare; bits do not.",
        )
    }
}

/// Whether this CPU has what the fused kernel is compiled for (FMA and AVX2): the one rule for
/// `available` and `gemm`'s dispatch.
#[cfg(target_arch = "x86_64")]
pub fn has_fma() -> bool {
    std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
pub fn has_fma() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::Arithmetic::{self, Exact, Fused};

    #[test]
    fn a_scope_sets_and_restores_this_threads_arithmetic() {
        assert_eq!(Arithmetic::current(), Exact);
        let inner = Fused.scope(|| (Arithmetic::current(), std::thread::spawn(Arithmetic::current).join()));
        assert_eq!(inner.0, Fused);
        assert_eq!(inner.1.unwrap(), Exact, "another thread keeps its own");
        assert_eq!(Arithmetic::current(), Exact);
    }

    #[test]
    fn runs_must_agree_with_each_other_and_with_the_file() {
        assert!(Arithmetic::check(Exact, &[Exact, Exact]).is_ok());
        assert!(Arithmetic::check(Fused, &[Fused]).is_ok());
        assert!(Arithmetic::check(Fused, &[]).is_ok());
        assert!(Arithmetic::check(Exact, &[Exact, Fused])
            .unwrap_err()
            .contains("1 runs of exact arithmetic are mixed with 1"));
        assert!(Arithmetic::check(Exact, &[Fused])
            .unwrap_err()
            .contains("said to be exact but its runs are fused"));
        assert_eq!(Arithmetic::of(&[Exact, Fused]), Fused);
        assert_eq!(serde_json::to_string(&Fused).unwrap(), "\"fused\"");
    }
}
