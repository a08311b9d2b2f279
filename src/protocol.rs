//! Messages between the page and its Web Workers, as binary (postcard): a plain float arrives
//! with the bits it left with; a `nullable` field (a summary's or record's number) arrives as
//! NaN when it was NaN or infinite, as in JSON. Plain data: the worker side
//! (`worker.rs`) and the page side (`app/`) share these types and nothing else.

use crate::datafile::DataInfo;
use crate::experiment::summary::Summary;
use crate::nn::Arch;
use crate::run::{ProbeView, Record, RunSpec, RunState};
use crate::tasks::user::HeldOut;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// The text task's corpus (sent before the first run of that task).
    Corpus { text: String },
    /// The user's files (name, bytes): parse and install them, and say what they hold.
    Data { files: Vec<(String, Vec<u8>)> },
    /// Build these runs of a config from their initial weights (the compare view's share).
    Load { generation: u32, query: String, specs: Vec<RunSpec> },
    /// Train every run until `until` steps (or about 0.1 s if `timebox`); then probe
    /// validation sequence `probe.0` of the runs of seed `probe.1`, if given.
    Train { generation: u32, until: usize, probe: Option<(usize, u64)>, timebox: bool },
    /// Raise every run's step budget (finished runs train on from where they are).
    Budget { generation: u32, steps: usize },
    /// Probe the runs of one seed without training (a new example or seed, a fresh load).
    Probe { generation: u32, example: usize, seed: u64 },
    /// Text written by the runs of one seed: `chars` characters at temperature `temp`.
    Sample { generation: u32, chars: usize, temp: f32, seed: u64 },
    /// Every run's model in the engine's JSON format (for export).
    Export,
    /// A zip of these files (name, bytes): the export's one download.
    Zip { files: Vec<(String, Vec<u8>)> },
    /// One run of a sweep, trained to its budget (the sweep pool).
    Sweep { id: usize, query: String, spec: RunSpec },
    /// One row of the benchmark table: training steps of `arch` at `hidden` cells for about a
    /// second.
    Bench { arch: Arch, hidden: usize },
    /// Crash on purpose (the browser test of a dying worker).
    Crash,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub spec: RunSpec,
    pub params: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunUpdate {
    pub spec: RunSpec,
    pub step: usize,
    pub state: RunState,
    pub seconds: f64,
    /// Records made since the previous update.
    pub records: Vec<Record>,
    pub probe: Option<ProbeView>,
    /// The run's summary, once, when it stops (done, diverged).
    pub summary: Option<Summary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    Ready,
    Progress {
        generation: u32,
        runs: Vec<RunUpdate>,
    },
    Samples {
        generation: u32,
        texts: Vec<(RunSpec, String)>,
    },
    /// A worker's part of the export: each run's model file and PyTorch script, named.
    Models {
        files: Vec<(String, Vec<u8>)>,
    },
    Zipped {
        bytes: Vec<u8>,
    },
    /// What the user's files hold (after `Data`).
    DataRead {
        info: DataInfo,
    },
    /// For runs on the user's data (after `Load`): the chance bars (loss, metric), the
    /// classical baselines' test metric, and the sizes of the validation and test parts.
    Bars {
        generation: u32,
        chance: (f64, f64),
        baselines: Vec<(String, f64)>,
        held_out: Option<HeldOut>,
    },
    SweepProgress {
        id: usize,
        step: usize,
    },
    SweepDone {
        id: usize,
        summary: Summary,
    },
    BenchRow {
        arch: Arch,
        hidden: usize,
        steps_per_s: f64,
        gflops: f64,
    },
    /// A run could not be made (its config is past the limits, or the corpus is missing).
    Refused {
        message: String,
    },
    Error {
        message: String,
    },
}

pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    postcard::to_allocvec(msg).expect("messages serialise")
}

pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_float_crosses_exactly_nan_and_infinity_included() {
        let spec = RunSpec { arch: Arch::Gru, hidden: 8, len: 10, lr: 0.1 + 0.2, seed: 3 };
        let r = Record {
            step: 5,
            seconds: 1.0 / 3.0,
            train_loss: f64::NAN,
            val_loss: f64::INFINITY,
            val_metric: 0.1 + 0.2,
            test_metric: -0.0,
            grad_norm: 5e-324,
        };
        let msg = FromWorker::Progress {
            generation: 7,
            runs: vec![RunUpdate {
                spec,
                step: 5,
                state: RunState::Diverged,
                seconds: 0.1,
                records: vec![r],
                probe: None,
                summary: None,
            }],
        };
        let back: FromWorker = decode(&encode(&msg)).unwrap();
        let FromWorker::Progress { runs, .. } = back else { panic!() };
        let got = runs[0].records[0];
        assert_eq!(got.val_metric.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(got.grad_norm.to_bits(), 5e-324f64.to_bits());
        assert!(got.train_loss.is_nan() && got.val_loss.is_nan(), "non-finite values arrive as NaN");
        assert!(decode::<FromWorker>(&[200, 1, 2]).is_err());
    }
}
