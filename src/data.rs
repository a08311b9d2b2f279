//! A run's data: its training stream (a generator, or a finite training set reshuffled each
//! epoch), and fixed validation and test sets, held in chunks so evaluation runs in bounded
//! memory. All drawn from the run's seed, so every architecture with that seed sees the same.

use crate::batch::Batch;
use crate::config::Config;
use crate::rng::{prng, stream, Prng, Stream};
use crate::tasks::{Draw, Task};
use rand::seq::SliceRandom;

/// Sequences in the validation and in the test set.
pub const EVAL_SIZE: usize = 256;

pub struct Data {
    task: Task,
    batch: usize,
    draw: Draw,
    rng: Prng,
    /// Finite training set (all sequences as one batch), its shuffled order and position.
    train: Option<(Batch, Vec<usize>, usize)>,
    /// The validation and test sets, each in chunks of at most `eval_rows(..)` sequences.
    pub val: Vec<Batch>,
    pub test: Vec<Batch>,
}

/// Rows per evaluation chunk: at most a training batch's worth of sequence steps, so that
/// evaluating never needs more memory than a training step.
pub fn eval_rows(batch: usize, train_steps: usize, eval_steps: usize) -> usize {
    (batch * train_steps / eval_steps.max(1)).clamp(1, EVAL_SIZE)
}

impl Data {
    pub fn new(c: &Config, len: usize, seed: u64) -> Data {
        let task = c.task();
        if let Some(sets) =
            task.user().and_then(|u| u.sets(task.kind, len, &mut prng(stream(seed, Stream::Validation))))
        {
            return Data::of_sets(c, task, sets, seed);
        }
        let [train, val, test] = task.draws(len, c.test_len_for(len));
        let mut rng = prng(stream(seed, Stream::Train));
        let set =
            (c.train > 0).then(|| (task.sample(&mut rng, c.train, train), (0..c.train).collect(), c.train));
        let val = task.sample(&mut prng(stream(seed, Stream::Validation)), EVAL_SIZE, val);
        let test = task.sample(&mut prng(stream(seed, Stream::Test)), EVAL_SIZE, test);
        let steps = val.steps;
        Data {
            task,
            batch: c.batch,
            draw: train,
            rng,
            train: set,
            val: val.chunks(eval_rows(c.batch, steps, val.steps)),
            test: test.chunks(eval_rows(c.batch, steps, test.steps)),
        }
    }

    /// The user's data: its training set (all of it, or `train` sequences of it drawn by the
    /// seed), its validation and test sets.
    fn of_sets(c: &Config, task: Task, sets: crate::tasks::user::Sets, seed: u64) -> Data {
        let mut rng = prng(stream(seed, Stream::Train));
        let mut train = sets.train;
        if c.train > 0 && c.train < train.batch {
            let mut rows: Vec<usize> = (0..train.batch).collect();
            rows.shuffle(&mut rng);
            rows.truncate(c.train);
            rows.sort();
            train = train.rows(&rows);
        }
        let n = train.batch;
        let steps = train.steps;
        Data {
            task,
            batch: c.batch,
            draw: crate::tasks::Draw::upto(steps),
            rng,
            train: Some((train, (0..n).collect(), n)),
            val: sets.val.chunks(eval_rows(c.batch, steps, sets.val.steps)),
            test: sets.test.chunks(eval_rows(c.batch, steps, sets.test.steps)),
        }
    }

    pub fn next_batch(&mut self) -> Batch {
        let Some((set, order, pos)) = &mut self.train else {
            return self.task.sample(&mut self.rng, self.batch, self.draw);
        };
        let picks: Vec<usize> = (0..self.batch)
            .map(|_| {
                if *pos >= order.len() {
                    order.shuffle(&mut self.rng);
                    *pos = 0;
                }
                *pos += 1;
                order[*pos - 1]
            })
            .collect();
        set.rows(&picks)
    }

    /// Sequences in the validation set.
    pub fn val_size(&self) -> usize {
        self.val.iter().map(|b| b.batch).sum()
    }

    /// Validation sequence `k` (wrapped to the set's size) as a batch of one.
    pub fn val_sequence(&self, k: usize) -> Batch {
        let k = k % self.val_size().max(1);
        let rows = self.val[0].batch;
        self.val[k / rows].sequence(k % rows)
    }

    /// Floats held by the data sets.
    pub fn floats(&self) -> usize {
        let sets = self.val.iter().chain(&self.test).map(Batch::floats).sum::<usize>();
        sets + self.train.as_ref().map_or(0, |t| t.0.floats())
    }
}
