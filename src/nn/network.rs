//! A model plus the buffers one training step needs: forward through the stacked layers, loss,
//! backward, and probing. Buffers are kept between calls: after the first step at a size,
//! training and evaluation at that size allocate nothing.

use super::loss::{loss, Loss};
use super::recurrent::{self, acts_per_unit, Backprop, Cache, Grads, Scratch, Shape};
use super::{readout, Model};
use crate::batch::Batch;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every activation of one sequence, for the heatmaps and `gatelab probe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// Per layer, bottom first: name -> [T][H] for every name of `Arch::probe_names`.
    pub layers: Vec<BTreeMap<String, Vec<Vec<f32>>>>,
    pub output: Vec<Vec<f32>>, // [T][O]
    /// ||dL/dh_t|| of the top layer at every step t (empty when the sequence has no target).
    pub grad_norm: Vec<f32>,
    pub loss: f64,
}

pub struct Network {
    pub model: Model,
    pub grads: Vec<f32>,
    caches: Vec<Cache>, // one per layer
    scratch: Scratch,
    readout: readout::Scratch,
    y: Vec<f32>,     // [T, B, O]
    dy: Vec<f32>,    // [T, B, O]
    dh: Vec<f32>,    // [T, B, H] dL/dh of the layer being differentiated
    dh_in: Vec<f32>, // [T, B, H] dL/d(its input), handed to the layer below
}

impl Network {
    pub fn new(model: Model) -> Self {
        let grads = vec![0.0; model.params.len()];
        Network {
            caches: vec![Cache::default(); model.dims.layers],
            model,
            grads,
            scratch: Scratch::default(),
            readout: readout::Scratch::default(),
            y: Vec::new(),
            dy: Vec::new(),
            dh: Vec::new(),
            dh_in: Vec::new(),
        }
    }

    /// Outputs y: [T, B, O] for x: [T, B, I].
    pub fn forward(&mut self, x: &[f32], steps: usize, batch: usize) -> &[f32] {
        let d = self.model.dims;
        let p = self.model.tensors();
        let bh = batch * d.hidden;
        for l in 0..d.layers {
            let shape = Shape { arch: self.model.arch, input: d.layer_input(l), hidden: d.hidden };
            let (below, here) = self.caches.split_at_mut(l);
            let input = if l == 0 { x } else { &below[l - 1].h[bh..] };
            recurrent::forward(shape, &p.layers[l], input, steps, batch, &mut here[0]);
        }
        let top = &self.caches[d.layers - 1].h[bh..];
        readout::forward(top, p.w_out, p.b_out, d.hidden, &mut self.y, &mut self.readout);
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
        let bh = b.batch * d.hidden;
        let top = &self.caches[d.layers - 1].h[bh..];
        let rs = &mut self.readout;
        readout::backward(top, p.w_out, &self.dy, d.hidden, g.w_out, g.b_out, &mut self.dh, rs);
        let (mut dx, mut dh_norms) = (dx, dh_norms);
        for l in (0..d.layers).rev() {
            let shape = Shape { arch: m.arch, input: d.layer_input(l), hidden: d.hidden };
            let input = if l == 0 { &b.x[..] } else { &self.caches[l - 1].h[bh..] };
            let dx_l = if l == 0 {
                dx.as_deref_mut()
            } else {
                self.dh_in.resize(b.steps * bh, 0.0);
                Some(&mut self.dh_in[..])
            };
            let norms = if l == d.layers - 1 { dh_norms.as_deref_mut() } else { None };
            let out = Grads { g: &mut g.layers[l], s: &mut self.scratch, dx: dx_l, dh_norms: norms };
            recurrent::backward(shape, &p.layers[l], input, &self.caches[l], &self.dh, bp, out);
            if l > 0 {
                std::mem::swap(&mut self.dh, &mut self.dh_in);
            }
        }
        l
    }

    /// Every gate of every layer on one sequence (a batch of one), its outputs and
    /// ||dL/dh_t||.
    pub fn probe(&mut self, seq: &Batch, kind: Loss) -> Probe {
        let mut norms = Vec::new();
        let has_target = seq.mask.iter().any(|&m| m > 0.0);
        let loss = if has_target {
            self.backprop(seq, kind, Backprop::default(), None, Some(&mut norms))
        } else {
            self.forward(&seq.x, seq.steps, 1);
            0.0
        };
        let layers = (0..self.model.dims.layers).map(|l| self.layer_probe(l)).collect();
        let output = self.y.chunks_exact(self.model.dims.output).map(<[f32]>::to_vec).collect();
        Probe { layers, output, grad_norm: norms, loss }
    }

    /// Layer l's gates, cell state and h on the sequence of the last forward (batch of one).
    fn layer_probe(&self, l: usize) -> BTreeMap<String, Vec<Vec<f32>>> {
        let (arch, hid) = (self.model.arch, self.model.dims.hidden);
        let cache = &self.caches[l];
        let rows = |buf: &[f32]| buf.chunks_exact(hid).map(<[f32]>::to_vec).collect::<Vec<_>>();
        let a_w = acts_per_unit(arch) * hid;
        let mut out = BTreeMap::new();
        // The LSTM family's acts are always [i, f, g, o, tanh c]; the other cells' follow
        // their blocks.
        let order = if arch.has_cell_state() { "ifgo" } else { arch.blocks() };
        for name in arch.probe_names() {
            let grid = match *name {
                "h" => rows(&cache.h[hid..]),
                "c" => rows(&cache.c[hid..]),
                _ => {
                    let k = order.find(name).unwrap_or(0);
                    cache.acts.chunks_exact(a_w).map(|a| a[k * hid..(k + 1) * hid].to_vec()).collect()
                }
            };
            out.insert(name.to_string(), grid);
        }
        out
    }

    /// Floats in every buffer besides the parameters and their gradients.
    pub fn buffer_floats(&self) -> usize {
        let own = [&self.y, &self.dy, &self.dh, &self.dh_in].iter().map(|v| v.capacity()).sum::<usize>();
        own + self.caches.iter().map(Cache::floats).sum::<usize>()
            + self.scratch.floats()
            + self.readout.floats()
    }
}
