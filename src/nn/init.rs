//! Initialisation as PyTorch does it, from a seeded PRNG so a seed fixes every weight.

use super::{Arch, Dims, Layout, Model};
use crate::rng::{gaussian, prng, Prng};
use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InitOptions {
    /// The forget gate's bias (where the cell has one) starts at +1 (Jozefowicz et al. 2015) instead of U(-k, k).
    pub forget_bias: bool,
    /// Each gate's [H, H] block of every `weight_hh` is a random orthogonal matrix.
    pub orthogonal: bool,
}

/// Every tensor U(-1/sqrt(H), 1/sqrt(H)), PyTorch's default for RNN layers and for
/// `nn.Linear(H, O)`; then the chosen options, layer by layer.
pub fn init(arch: Arch, dims: Dims, opts: InitOptions, seed: u64) -> Model {
    let mut rng = prng(seed);
    let k = 1.0 / (dims.hidden as f32).sqrt();
    let layout = Layout::new(arch, dims);
    let mut params: Vec<f32> = (0..layout.total).map(|_| rng.random_range(-k..k)).collect();
    let hid = dims.hidden;
    let t = layout.split_mut(&mut params);
    for layer in t.layers.into_iter().take(dims.layers) {
        if let Some(f) = arch.forget_block().filter(|_| opts.forget_bias) {
            // The effective bias is b_ih + b_hh: put the whole +1 in b_ih.
            layer.b_ih[f * hid..(f + 1) * hid].fill(1.0);
            if let Some(b) = layer.b_hh.get_mut(f * hid..(f + 1) * hid) {
                b.fill(0.0);
            }
        }
        if opts.orthogonal {
            for block in layer.w_hh.chunks_exact_mut(hid * hid) {
                orthogonal(block, hid, &mut rng);
            }
        }
    }
    Model { arch, dims, params }
}

/// Fills m: [n, n] with a random orthogonal matrix: Gram-Schmidt on Gaussian rows.
fn orthogonal(m: &mut [f32], n: usize, rng: &mut Prng) {
    let mut rows: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| gaussian(rng)).collect()).collect();
    for i in 0..n {
        for j in 0..i {
            let dot: f64 = rows[i].iter().zip(&rows[j]).map(|(a, b)| a * b).sum();
            let (done, rest) = rows.split_at_mut(i);
            for (a, b) in rest[0].iter_mut().zip(&done[j]) {
                *a -= dot * b;
            }
        }
        let norm = rows[i].iter().map(|v| v * v).sum::<f64>().sqrt();
        rows[i].iter_mut().for_each(|v| *v /= norm);
        for (dst, v) in m[i * n..(i + 1) * n].iter_mut().zip(&rows[i]) {
            *dst = *v as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bits_and_options_apply_to_every_layer() {
        let d = Dims { input: 3, hidden: 6, output: 2, layers: 2 };
        let o = InitOptions { forget_bias: true, orthogonal: true };
        let a = init(Arch::Lstm, d, o, 7);
        assert_eq!(a, init(Arch::Lstm, d, o, 7));
        assert_ne!(a, init(Arch::Lstm, d, o, 8));
        let k = 1.0 / 6f32.sqrt();
        for t in a.tensors().layers.iter().take(2) {
            assert!(t.b_ih[6..12].iter().all(|&v| v == 1.0));
            assert!(t.w_ih.iter().all(|v| v.abs() <= k));
            for block in t.w_hh.chunks_exact(36) {
                for i in 0..6 {
                    for j in 0..6 {
                        let dot: f32 = (0..6).map(|c| block[i * 6 + c] * block[j * 6 + c]).sum();
                        assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-5);
                    }
                }
            }
        }
    }
}
