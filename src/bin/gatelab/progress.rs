//! Progress on stderr: a bar on a terminal, a plain line per tenth otherwise.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    last_tenth: u64,
    what: String,
}

impl Progress {
    pub fn new(total: u64, what: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}, {elapsed} (eta {eta})");
            b.set_style(style.expect("a valid template").progress_chars("=> "));
            b.set_message(what.to_string());
            b
        });
        Progress { bar, total: total.max(1), last_tenth: 0, what: what.to_string() }
    }

    pub fn set(&mut self, done: u64) {
        match &self.bar {
            Some(b) => b.set_position(done),
            None => {
                let tenth = done * 10 / self.total;
                if tenth > self.last_tenth {
                    self.last_tenth = tenth;
                    eprintln!(
                        "{}: {}% ({done}/{}) after {:.1} s",
                        self.what,
                        tenth * 10,
                        self.total,
                        crate::now()
                    );
                }
            }
        }
    }

    /// Progress when the total is only known later.
    pub fn set_of(&mut self, done: u64, total: u64) {
        self.total = total.max(1);
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
        self.set(done);
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
