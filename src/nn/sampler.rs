//! Text from a model of the text task: feed a prime one character at a time, then draw each
//! next character from the softmax of the outputs at a temperature, keeping every layer's state.
//! A step is the training forward at T = B = 1, with the same sums in the same order.

use super::gemm::{gemm, Packed, Start, Strided};
use super::recurrent::{acts_per_unit, aux_per_unit, step, Shape, State, Weights};
use super::Model;
use crate::rng::Prng;
use rand::Rng;

struct Layer {
    shape: Shape,
    w: Weights,
    h: Vec<f32>,
    c: Vec<f32>,   // the cell state (LSTM family, else empty)
    aux: Vec<f32>, // the cell's other state (`recurrent::Cache::aux`)
}

pub struct Sampler<'a> {
    model: &'a Model,
    layers: Vec<Layer>,
    w_out_t: Packed,
    x: Vec<f32>,
    pre: Vec<f32>,
    pre_h: Vec<f32>,
    acts: Vec<f32>,
    next: Vec<f32>,
    h_new: Vec<f32>,
    c_new: Vec<f32>,
    aux_new: Vec<f32>,
    y: Vec<f32>,
}

impl<'a> Sampler<'a> {
    pub fn new(model: &'a Model) -> Self {
        let (d, t) = (model.dims, model.tensors());
        let gh = model.arch.gates() * d.hidden;
        let cw = if model.arch.has_cell_state() { d.hidden } else { 0 };
        let aw = aux_per_unit(model.arch) * d.hidden;
        let layers = (0..d.layers)
            .map(|l| {
                let shape = Shape { arch: model.arch, input: d.layer_input(l), hidden: d.hidden };
                let w = Weights::new(shape, &t.layers[l]);
                Layer { shape, w, h: vec![0.0; d.hidden], c: vec![0.0; cw], aux: vec![0.0; aw] }
            })
            .collect();
        let mut w_out_t = Packed::default();
        w_out_t.transposed(t.w_out, d.output, d.hidden);
        Sampler {
            model,
            layers,
            w_out_t,
            x: vec![0.0; d.input],
            pre: vec![0.0; gh],
            pre_h: vec![0.0; gh],
            acts: vec![0.0; acts_per_unit(model.arch) * d.hidden],
            next: vec![0.0; d.hidden],
            h_new: vec![0.0; d.hidden],
            c_new: vec![0.0; cw],
            aux_new: vec![0.0; aw],
            y: vec![0.0; d.output],
        }
    }

    /// Feeds symbol `sym` (one-hot input); returns the outputs (logits) after it.
    pub fn feed(&mut self, sym: usize) -> &[f32] {
        let (m, d) = (self.model, self.model.dims);
        let t = m.tensors();
        let hid = d.hidden;
        self.x.iter_mut().enumerate().for_each(|(i, v)| *v = (i == sym) as u8 as f32);
        for (l, layer) in self.layers.iter_mut().enumerate() {
            let input: &[f32] = if l == 0 { &self.x } else { &self.next };
            layer.w.project(layer.shape, input, 1, &mut self.pre);
            let state = State {
                h_prev: &layer.h,
                c_prev: &layer.c,
                aux_prev: &layer.aux,
                h: &mut self.h_new,
                c: &mut self.c_new,
                aux: &mut self.aux_new,
            };
            step(layer.shape, 1, &layer.w, state, &mut self.pre, &mut self.pre_h, &mut self.acts);
            std::mem::swap(&mut layer.h, &mut self.h_new);
            std::mem::swap(&mut layer.c, &mut self.c_new);
            std::mem::swap(&mut layer.aux, &mut self.aux_new);
            self.next.copy_from_slice(&layer.h);
        }
        gemm(
            1,
            d.output,
            hid,
            Strided::rows(&self.next, hid),
            &self.w_out_t,
            &mut self.y,
            Start::Row(t.b_out),
        );
        &self.y
    }

    /// Feeds `prime` (at least one symbol), then draws `n` symbols at temperature `temp`.
    pub fn write(&mut self, prime: &[usize], n: usize, temp: f32, rng: &mut Prng) -> Vec<usize> {
        for &s in &prime[..prime.len().saturating_sub(1)] {
            self.feed(s);
        }
        let mut sym = *prime.last().unwrap_or(&0);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let logits = self.feed(sym);
            sym = draw(logits, temp, rng);
            out.push(sym);
        }
        out
    }
}

/// A draw from softmax(logits / temp).
fn draw(logits: &[f32], temp: f32, rng: &mut Prng) -> usize {
    let t = temp.max(1e-3) as f64;
    let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max) as f64;
    let w: Vec<f64> = logits.iter().map(|&l| libm::exp((l as f64 - max) / t)).collect();
    let total: f64 = w.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, wi) in w.iter().enumerate() {
        if u < *wi {
            return i;
        }
        u -= wi;
    }
    w.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batch;
    use crate::nn::init::{init, InitOptions};
    use crate::nn::network::Network;
    use crate::nn::{Arch, Dims};
    use crate::rng::prng;

    #[test]
    fn stepping_one_symbol_at_a_time_equals_the_batch_forward() {
        for arch in Arch::ALL {
            let d = Dims { input: 5, hidden: 6, output: 5, layers: 2 };
            let model = init(arch, d, InitOptions { forget_bias: true, orthogonal: false }, 3);
            let syms = [1usize, 4, 0, 2, 2, 3];
            let mut b = Batch::zeros(syms.len(), 1, 5, 5);
            syms.iter().enumerate().for_each(|(t, &s)| b.x[t * 5 + s] = 1.0);
            let y = Network::new(model.clone()).forward(&b.x, syms.len(), 1).to_vec();
            let mut s = Sampler::new(&model);
            for (t, &sym) in syms.iter().enumerate() {
                assert_eq!(s.feed(sym), &y[t * 5..(t + 1) * 5], "{arch:?} step {t}");
            }
            let text = Sampler::new(&model).write(&[1, 2], 20, 0.8, &mut prng(1));
            assert_eq!(text, Sampler::new(&model).write(&[1, 2], 20, 0.8, &mut prng(1)));
            assert!(text.iter().all(|&c| c < 5));
        }
    }
}
