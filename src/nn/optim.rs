//! SGD with momentum and Adam over the flat parameter buffer, with global-norm clipping.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimKind {
    Adam,
    Sgd,
}

impl OptimKind {
    pub const ALL: [OptimKind; 2] = [OptimKind::Adam, OptimKind::Sgd];
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimConfig {
    pub kind: OptimKind,
    pub lr: f32,
    /// SGD momentum (PyTorch's `SGD(momentum=…)`); Adam uses β1 = 0.9, β2 = 0.999, ε = 1e-8.
    pub momentum: f32,
    /// Rescale the gradient to this global norm when it is larger (0 = off).
    pub clip: f32,
}

pub struct Optimizer {
    cfg: OptimConfig,
    m: Vec<f32>,
    v: Vec<f32>,
    /// β1^t and β2^t kept as running products: no `powi`, so every target agrees to the bit.
    b1_pow: f64,
    b2_pow: f64,
}

const B1: f32 = 0.9;
const B2: f32 = 0.999;
const EPS: f32 = 1e-8;

impl Optimizer {
    pub fn new(cfg: OptimConfig, n: usize) -> Self {
        let v = if cfg.kind == OptimKind::Adam { vec![0.0; n] } else { Vec::new() };
        Optimizer { cfg, m: vec![0.0; n], v, b1_pow: 1.0, b2_pow: 1.0 }
    }

    /// Clips, then updates. Returns the gradient's global norm before clipping.
    pub fn step(&mut self, params: &mut [f32], grads: &mut [f32]) -> f32 {
        let norm = grads.iter().map(|g| (*g as f64).powi(2)).sum::<f64>().sqrt() as f32;
        if self.cfg.clip > 0.0 && norm > self.cfg.clip {
            let s = self.cfg.clip / norm;
            grads.iter_mut().for_each(|g| *g *= s);
        }
        let lr = self.cfg.lr;
        match self.cfg.kind {
            OptimKind::Sgd => {
                for ((p, g), m) in params.iter_mut().zip(grads.iter()).zip(&mut self.m) {
                    *m = self.cfg.momentum * *m + g;
                    *p -= lr * *m;
                }
            }
            OptimKind::Adam => {
                self.b1_pow *= B1 as f64;
                self.b2_pow *= B2 as f64;
                let (c1, c2) = ((1.0 - self.b1_pow) as f32, (1.0 - self.b2_pow) as f32);
                let it = params.iter_mut().zip(grads.iter()).zip(self.m.iter_mut().zip(&mut self.v));
                for ((p, g), (m, v)) in it {
                    *m = B1 * *m + (1.0 - B1) * g;
                    *v = B2 * *v + (1.0 - B2) * g * g;
                    *p -= lr * (*m / c1) / ((*v / c2).sqrt() + EPS);
                }
            }
        }
        norm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_optimisers_minimise_a_quadratic_and_clipping_bounds_the_step() {
        for kind in [OptimKind::Adam, OptimKind::Sgd] {
            let cfg = OptimConfig { kind, lr: 0.05, momentum: 0.9, clip: 0.0 };
            let mut opt = Optimizer::new(cfg, 2);
            let mut p = vec![3.0f32, -2.0];
            for _ in 0..500 {
                let mut g: Vec<f32> = p.iter().map(|v| 2.0 * v).collect();
                opt.step(&mut p, &mut g);
            }
            assert!(p.iter().all(|v| v.abs() < 1e-2), "{kind:?}: {p:?}");
        }
        let cfg = OptimConfig { kind: OptimKind::Sgd, lr: 1.0, momentum: 0.0, clip: 1.0 };
        let (mut p, mut g) = (vec![0.0f32; 2], vec![30.0f32, 40.0]);
        assert_eq!(Optimizer::new(cfg, 2).step(&mut p, &mut g), 50.0);
        assert!((p[0] + 0.6).abs() < 1e-6 && (p[1] + 0.8).abs() < 1e-6);
    }

    #[test]
    fn adams_first_step_moves_every_parameter_by_lr_against_its_gradient() {
        // Bias correction makes m^ = g and v^ = g^2 at step 1, so the step is lr * g / |g|,
        // whatever each gradient's size (as long as it dwarfs epsilon).
        let cfg = OptimConfig { kind: OptimKind::Adam, lr: 0.01, momentum: 0.0, clip: 0.0 };
        let mut g = vec![3.0f32, -0.02, 0.05, -250.0, 0.5];
        let mut p = vec![0.0f32; g.len()];
        let signs: Vec<f32> = g.iter().map(|v| v.signum()).collect();
        Optimizer::new(cfg, g.len()).step(&mut p, &mut g);
        for (k, (pv, s)) in p.iter().zip(signs).enumerate() {
            let moved = -pv;
            assert!((moved - 0.01 * s).abs() < 1e-8, "parameter {k} moved {moved}, want {}", 0.01 * s);
        }
    }
}
