//! One run of a stage, and what a stage is. Every plan (a sweep's grid, a search's rungs, the
//! confirmation) is a list of stages of jobs; results come back tagged with their job.

use crate::config::Config;
use crate::experiment::summary::Summary;
use crate::limits::{run_cost, Cost};
use crate::run::{Clock, Run, RunSpec, RunState};

/// One run of a stage: its own config (a search trial's settings, a rung's step budget) and
/// what distinguishes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub config: Config,
    pub spec: RunSpec,
    /// The search trial it runs (its result carries it), if any.
    pub trial: Option<usize>,
}

impl Job {
    pub fn new(config: Config, spec: RunSpec) -> Job {
        Job { config, spec, trial: None }
    }

    /// Trains the run to its budget (or divergence); `progress` sees the steps done.
    pub fn run(&self, clock: Clock, progress: &mut dyn FnMut(usize)) -> Summary {
        let mut run = Run::to_end(&self.config, self.spec, clock, progress);
        self.tag(Summary::of(&mut run, &self.config))
    }

    /// The result of this job that stopped at `steps` with no results (its worker died).
    pub fn stopped(&self, steps: usize, state: RunState) -> Summary {
        self.tag(Summary::stopped(&self.config, self.spec, steps, state))
    }

    /// `s` (this job's run, trained elsewhere) tagged with the job's trial.
    pub fn tag(&self, s: Summary) -> Summary {
        Summary { trial: self.trial, ..s }
    }

    pub fn cost(&self) -> Cost {
        run_cost(&self.config, &self.spec)
    }

    /// Whether `s` is this job's result (the same run).
    pub fn matches(&self, s: &Summary) -> bool {
        let r = self.spec;
        (r.arch, r.hidden, r.len, r.lr, r.seed) == (s.arch, s.hidden, s.len, s.lr, s.seed)
            && s.trial == self.trial
            && s.task == self.config.task
            && s.steps <= self.config.steps
    }
}

/// What a stage is, for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Grid,
    /// Rung `k` (0-based) of a search, training every trial still in it to `steps`.
    Rung {
        k: usize,
        of: usize,
        steps: usize,
    },
    Confirm,
}

impl Stage {
    pub fn name(self) -> String {
        match self {
            Stage::Grid => "the grid".into(),
            Stage::Rung { k, of, steps } => format!("rung {} of {of} ({steps} steps)", k + 1),
            Stage::Confirm => "the confirmation on fresh seeds".into(),
        }
    }
}

/// Runs and work (GFLOP) of one stage, before it runs.
pub type StageEstimate = (Stage, usize, f64);
