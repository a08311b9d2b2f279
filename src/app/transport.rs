//! Play / pause / step / reset / new seed, where training stands, and what it will cost: a
//! toolbar that stays in reach at the top of the page, on a phone too.

use super::{cores, lab, trainer};
use crate::limits::{describe, work, PAGE_GFLOPS};
use crate::run::{RunSpec, RunState};
use leptos::prelude::*;

#[component]
pub fn Transport() -> impl IntoView {
    let lab = lab();
    let done = move || lab.runs.with(|v| !v.is_empty() && v.iter().all(|r| r.state != RunState::Training));
    let empty = move || lab.runs.with(Vec::is_empty);
    let step = move || lab.runs.with(|v| v.iter().map(|r| r.step).max().unwrap_or(0));
    let new_seed = move |_| {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).ok();
        lab.cfg.update(|c| c.seed = (u32::from_le_bytes(bytes) as u64).min(u32::MAX as u64 - 10));
    };
    let estimate = move || {
        lab.cfg.with(|c| {
            let specs = RunSpec::compare(c);
            describe(&work(c, &specs), cores().min(specs.len()), PAGE_GFLOPS)
        })
    };
    let status = move || {
        let (diverged, crashed) = lab.runs.with(|v| {
            let count = |s| v.iter().filter(|r| r.state == s).count();
            (count(RunState::Diverged), count(RunState::Crashed))
        });
        let mut s = format!("step {} / {}", step(), lab.cfg.with(|c| c.steps));
        if done() {
            s.push_str(" · done");
        } else if lab.playing.get() {
            s.push_str(" · training…");
        }
        if diverged > 0 {
            s.push_str(&format!(" · {diverged} run(s) diverged (NaN): lower the learning rate or clip"));
        }
        if crashed > 0 {
            s.push_str(&format!(" · {crashed} run(s) crashed"));
        }
        s
    };
    view! {
        <div class="transport" role="group" aria-label="Training">
            <button id="play" class="primary" on:click=move |_| trainer::play(lab) disabled=move || done() || empty()
                title="Train in Web Workers, one per core; the page stays responsive">
                {move || if lab.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button id="step" on:click=move |_| trainer::step(lab) disabled=move || done() || empty() || lab.playing.get()
                title="Train every run until the next record">"Step"</button>
            <button id="reset" on:click=move |_| trainer::reset(lab)
                title="Back to step 0 with the same initial weights and data (same seeds)">"↺ Reset"</button>
            <button id="new-seed" on:click=new_seed title="Re-roll weights and data: new seeds">"New seeds"</button>
            <span class="status" id="status">{status}</span>
            <span class="estimate" id="estimate">{estimate}</span>
        </div>
    }
}
