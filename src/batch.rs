//! A batch of sequences in time-major layout, the engine's input. Plain data: tasks make them,
//! `data.rs` holds and slices them, the network trains on them.

/// x: [T, B, I], y: [T, B, O] (targets; one-hot or multi-hot for classes), mask: [T, B] (1 where
/// a step has a target).
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub steps: usize,
    pub batch: usize,
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub mask: Vec<f32>,
}

impl Batch {
    /// An empty batch of n sequences of `steps` steps, inputs I and outputs O, to fill in.
    pub fn zeros(steps: usize, n: usize, input: usize, output: usize) -> Batch {
        Batch {
            steps,
            batch: n,
            x: vec![0.0; steps * n * input],
            y: vec![0.0; steps * n * output],
            mask: vec![0.0; steps * n],
        }
    }

    /// (I, O): features per step in and out.
    pub fn widths(&self) -> (usize, usize) {
        let cells = self.mask.len().max(1);
        (self.x.len() / cells, self.y.len() / cells)
    }

    /// The sequences `rows` of this batch, in that order.
    pub fn rows(&self, rows: &[usize]) -> Batch {
        let (n, m) = (self.batch, rows.len());
        let (i, o) = self.widths();
        let cells = self.steps * m;
        let mut out = Batch {
            steps: self.steps,
            batch: m,
            x: Vec::with_capacity(cells * i),
            y: Vec::with_capacity(cells * o),
            mask: Vec::with_capacity(cells),
        };
        for t in 0..self.steps {
            for &r in rows {
                let k = t * n + r;
                out.x.extend_from_slice(&self.x[k * i..(k + 1) * i]);
                out.y.extend_from_slice(&self.y[k * o..(k + 1) * o]);
                out.mask.push(self.mask[k]);
            }
        }
        out
    }

    /// Consecutive pieces of at most `rows` sequences each (evaluation in bounded memory).
    pub fn chunks(&self, rows: usize) -> Vec<Batch> {
        let all: Vec<usize> = (0..self.batch).collect();
        all.chunks(rows.max(1)).map(|r| self.rows(r)).collect()
    }

    /// Sequence b alone: x: [T][I], y: [T][O], mask: [T] as a batch of one.
    pub fn sequence(&self, b: usize) -> Batch {
        self.rows(&[b])
    }

    /// Floats held.
    pub fn floats(&self) -> usize {
        self.x.capacity() + self.y.capacity() + self.mask.capacity()
    }
}

/// Index of step t, row b in a [T, B, W] buffer of n rows.
pub fn at(t: usize, b: usize, n: usize, w: usize) -> usize {
    (t * n + b) * w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_chunks_pick_whole_sequences() {
        // 2 steps, 3 rows, I = 1, O = 2: x = 10 t + b.
        let mut b = Batch::zeros(2, 3, 1, 2);
        for t in 0..2 {
            for r in 0..3 {
                b.x[at(t, r, 3, 1)] = (10 * t + r) as f32;
                b.y[at(t, r, 3, 2) + 1] = r as f32;
                b.mask[at(t, r, 3, 1)] = t as f32;
            }
        }
        let picked = b.rows(&[2, 0]);
        assert_eq!(picked.x, vec![2.0, 0.0, 12.0, 10.0]);
        assert_eq!(picked.y, vec![0.0, 2.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        assert_eq!(picked.mask, vec![0.0, 0.0, 1.0, 1.0]);
        let chunks = b.chunks(2);
        assert_eq!(chunks.iter().map(|c| c.batch).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(chunks[1], b.sequence(2));
    }
}
