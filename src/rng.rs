//! The one source of randomness: a seeded PCG per stream, identical natively and in wasm.

use rand::{Rng, SeedableRng};

/// The PRNG of every random choice in Gatelab: small, fast, and the same on every target.
pub type Prng = rand_pcg::Pcg64Mcg;

pub fn prng(seed: u64) -> Prng {
    Prng::seed_from_u64(seed)
}

/// The independent streams of one run, all derived from its seed: an LSTM and a GRU with the
/// same seed see the same data, whatever their weights.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Train = 1,
    Validation = 2,
    Test = 3,
    Weights = 4,
    Sampling = 5,
}

/// The seed of stream `which` of `seed` (splitmix64).
pub fn stream(seed: u64, which: Stream) -> u64 {
    let mut z = seed.wrapping_add((which as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A standard normal draw (Box-Muller with `libm`, so bit-identical natively and in wasm).
pub fn gaussian(rng: &mut Prng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    libm::sqrt(-2.0 * libm::log(u)) * libm::cos(std::f64::consts::TAU * v)
}
