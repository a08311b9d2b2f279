//! A model plus the buffers one training step needs: forward, loss, backward, and probing.

use super::loss::{loss, Loss};
use super::recurrent::{self, acts_per_unit, Backprop, Cache, Scratch};
use super::{readout, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One batch of sequences. x: [T, B, I], y: [T, B, O] (one-hot for classes), mask: [T, B].
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub steps: usize,
    pub batch: usize,
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub mask: Vec<f32>,
}

impl Batch {
    /// Row b of every step as its own batch of one: x: [T][I], y: [T][O], mask: [T].
    pub fn sequence(&self, b: usize) -> Batch {
        let pick = |buf: &[f32], w: usize| -> Vec<f32> {
            (0..self.steps).flat_map(|t| buf[(t * self.batch + b) * w..][..w].to_vec()).collect()
        };
        let (i, o) = (self.x.len() / self.mask.len(), self.y.len() / self.mask.len());
        Batch {
            steps: self.steps,
            batch: 1,
            x: pick(&self.x, i),
            y: pick(&self.y, o),
            mask: pick(&self.mask, 1),
        }
    }
}

/// Every activation of one sequence, for the heatmaps and `gatelab probe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// name -> [T][H], for every name of `Arch::probe_names`.
    pub gates: BTreeMap<String, Vec<Vec<f32>>>,
    pub output: Vec<Vec<f32>>, // [T][O]
    /// ||dL/dh_t|| at every step t (empty when the sequence has no target).
    pub grad_norm: Vec<f32>,
    pub loss: f64,
}

pub struct Network {
    pub model: Model,
    pub grads: Vec<f32>,
    cache: Cache,
    scratch: Scratch,
    y: Vec<f32>,   // [T, B, O]
    dy: Vec<f32>,  // [T, B, O]
    dh: Vec<f32>,  // [T, B, H]
    w_t: Vec<f32>, // [H, O]
}

impl Network {
    pub fn new(model: Model) -> Self {
        let grads = vec![0.0; model.params.len()];
        Network {
            model,
            grads,
            cache: Cache::default(),
            scratch: Scratch::default(),
            y: Vec::new(),
            dy: Vec::new(),
            dh: Vec::new(),
            w_t: Vec::new(),
        }
    }

    /// Outputs y: [T, B, O] for x: [T, B, I].
    pub fn forward(&mut self, x: &[f32], steps: usize, batch: usize) -> &[f32] {
        let (m, d) = (&self.model, self.model.dims);
        let p = m.tensors();
        recurrent::forward(m.arch, d, &p, x, steps, batch, &mut self.cache);
        let h = &self.cache.h[batch * d.hidden..];
        readout::forward(h, p.w_out, p.b_out, d.hidden, &mut self.y, &mut self.w_t);
        &self.y
    }

    /// Loss of a batch, forward only.
    pub fn loss(&mut self, b: &Batch, kind: Loss) -> f64 {
        self.forward(&b.x, b.steps, b.batch);
        loss(kind, &self.y, &b.y, &b.mask, None)
    }

    /// Loss of a batch; leaves dL/dparams in `self.grads` (and dL/dx in `dx` if given).
    pub fn loss_grad(&mut self, b: &Batch, kind: Loss, bp: Backprop, dx: Option<&mut [f32]>) -> f64 {
        self.backprop(b, kind, bp, dx, None)
    }

    fn backprop(
        &mut self,
        b: &Batch,
        kind: Loss,
        bp: Backprop,
        dx: Option<&mut [f32]>,
        dh_norms: Option<&mut Vec<f32>>,
    ) -> f64 {
        self.forward(&b.x, b.steps, b.batch);
        let l = loss(kind, &self.y, &b.y, &b.mask, Some(&mut self.dy));
        let (m, d) = (&self.model, self.model.dims);
        let layout = m.layout();
        let p = layout.split(&m.params);
        self.grads.fill(0.0);
        let mut g = layout.split_mut(&mut self.grads);
        let h = &self.cache.h[b.batch * d.hidden..];
        readout::backward(h, p.w_out, &self.dy, d.hidden, g.w_out, g.b_out, &mut self.dh);
        let s = &mut self.scratch;
        recurrent::backward(m.arch, d, &p, &b.x, &self.cache, &self.dh, bp, &mut g, s, dx, dh_norms);
        l
    }

    /// Every gate of one sequence (a batch of one), its outputs and ||dL/dh_t||.
    pub fn probe(&mut self, seq: &Batch, kind: Loss) -> Probe {
        let mut norms = Vec::new();
        let has_target = seq.mask.iter().any(|&m| m > 0.0);
        let loss = if has_target {
            self.backprop(seq, kind, Backprop::default(), None, Some(&mut norms))
        } else {
            self.forward(&seq.x, seq.steps, 1);
            0.0
        };
        let (arch, hid, out) = (self.model.arch, self.model.dims.hidden, self.model.dims.output);
        let a_w = acts_per_unit(arch) * hid;
        let names = arch.probe_names();
        let mut gates: BTreeMap<String, Vec<Vec<f32>>> = names[..names.len() - 1]
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let rows = self.cache.acts.chunks_exact(a_w).map(|a| a[k * hid..(k + 1) * hid].to_vec());
                (name.to_string(), rows.collect())
            })
            .collect();
        let h = self.cache.h[hid..].chunks_exact(hid).map(<[f32]>::to_vec).collect();
        gates.insert("h".to_string(), h);
        let output = self.y.chunks_exact(out).map(<[f32]>::to_vec).collect();
        Probe { gates, output, grad_norm: norms, loss }
    }

    /// Floats in every buffer besides the parameters and their gradients.
    pub fn buffer_floats(&self) -> usize {
        let own = [&self.y, &self.dy, &self.dh, &self.w_t].iter().map(|v| v.len()).sum::<usize>();
        own + self.cache.floats() + self.scratch.floats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::init::{init, InitOptions};
    use crate::nn::{Arch, Dims};

    fn memory(arch: Arch, steps: usize, batch: usize, hidden: usize) -> usize {
        let d = Dims { input: 3, hidden, output: 2 };
        let mut net = Network::new(init(arch, d, InitOptions::default(), 1));
        let b = Batch {
            steps,
            batch,
            x: vec![0.1; steps * batch * 3],
            y: vec![0.0; steps * batch * 2],
            mask: vec![1.0; steps * batch],
        };
        net.loss_grad(&b, Loss::Mse, Backprop::default(), None);
        let first = net.buffer_floats();
        net.loss_grad(&b, Loss::Mse, Backprop::default(), None);
        assert_eq!(net.buffer_floats(), first, "a second step allocates nothing more");
        first
    }

    #[test]
    fn backprop_memory_grows_as_t_times_b_times_h() {
        for arch in Arch::ALL {
            let base = memory(arch, 40, 8, 16) as f64;
            for (t, b, h) in [(80, 8, 16), (40, 16, 16)] {
                let ratio = memory(arch, t, b, h) as f64 / base;
                assert!((1.9..=2.05).contains(&ratio), "{arch:?} doubling T or B: x{ratio}");
            }
            // Doubling H doubles the per-step buffers; only the weight transposes grow as H^2.
            let ratio = memory(arch, 40, 8, 32) as f64 / base;
            assert!((1.9..=2.3).contains(&ratio), "{arch:?} doubling H: x{ratio}");
        }
    }
}
