//! Progress on stderr: a bar on a terminal, a plain line per tenth otherwise.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    last_tenth: u64,
}

impl Progress {
    pub fn new(total: u64, what: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(total);
            let style =
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} steps, {elapsed} (eta {eta})");
            b.set_style(style.unwrap().progress_chars("=> "));
            b.set_message(what.to_string());
            b
        });
        if bar.is_none() {
            eprintln!("{what}: {total} training steps");
        }
        Progress { bar, total: total.max(1), last_tenth: 0 }
    }

    pub fn set(&mut self, done: u64) {
        match &self.bar {
            Some(b) => b.set_position(done),
            None => {
                let tenth = done * 10 / self.total;
                if tenth > self.last_tenth {
                    self.last_tenth = tenth;
                    eprintln!("{}% ({done}/{} steps) after {:.1} s", tenth * 10, self.total, crate::now());
                }
            }
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
