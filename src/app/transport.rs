//! Play / pause / step / reset / new seed, where training stands, what it will cost, and a
//! live curve of every architecture's median validation loss: a toolbar that stays in reach at
//! the top of the page, on a phone too, so pressing Play visibly does something.

use super::plots::fit;
use super::plots::lines::{spark, Chart, Line};
use super::{color, cores, lab, trainer};
use crate::figures::bands::{curve, Better, SeedCurve};
use crate::limits::{describe, work, PAGE_GFLOPS};
use crate::nn::Arch;
use crate::run::{RunSpec, RunState};
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn Transport() -> impl IntoView {
    let lab = lab();
    let done = move || lab.runs.with(|v| !v.is_empty() && v.iter().all(|r| r.state != RunState::Training));
    let empty = move || lab.runs.with(Vec::is_empty);
    let step = move || lab.runs.with(|v| v.iter().map(|r| r.step).max().unwrap_or(0));
    let hint = RwSignal::new(false);
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
    // Play stays focusable when there is nothing to train: it says why instead. After the
    // budget it replays the same runs from step 0 (the same seeds: the same numbers again).
    let play = move |_| {
        hint.set(empty());
        if done() {
            trainer::reset(lab);
        }
        if !empty() {
            trainer::play(lab);
        }
    };
    view! {
        <div class="transport" role="group" aria-label="Training">
            <button id="play" class="primary" on:click=play aria-disabled=move || empty().to_string()
                title=move || if done() { "Train again from step 0, the same seeds: the same numbers (raise the step budget to train on from here instead)" } else { "Train in Web Workers, one per core; the page stays responsive" }>
                {move || if lab.playing.get() { "❚❚ Pause" } else if done() { "↻ Replay" } else { "▶ Play" }}
            </button>
            <button id="step" on:click=move |_| trainer::step(lab) disabled=move || done() || empty() || lab.playing.get()
                title="Train every run until the next record">"Step"</button>
            <button id="reset" on:click=move |_| { hint.set(false); trainer::reset(lab) }
                title="Back to step 0 with the same initial weights and data (same seeds)">"↺ Reset"</button>
            <button id="new-seed" on:click=new_seed title="Re-roll weights and data: new seeds">"New seeds"</button>
            <Spark/>
            <span class="status" id="status" aria-live="polite" data-rounds=move || lab.rounds.get().0
                data-in-flight=move || lab.rounds.get().1>{status}</span>
            <Show when=move || hint.get() && empty()>
                <span class="status hint-done" id="play-hint">"Nothing to train: see the notice above."</span>
            </Show>
            <span class="estimate" id="estimate">{estimate}</span>
        </div>
    }
}

/// Each architecture's median validation loss so far, small, in the toolbar.
#[component]
fn Spark() -> impl IntoView {
    let lab = lab();
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let lines: Vec<Line> = lab.runs.with(|runs| {
            Arch::ALL
                .into_iter()
                .filter_map(|a| {
                    let seeds: Vec<SeedCurve> = runs
                        .iter()
                        .filter(|r| r.arch() == a)
                        .map(|r| SeedCurve { records: &r.records, failed: r.state.failed() })
                        .collect();
                    if seeds.is_empty() {
                        return None;
                    }
                    let band = curve(&seeds, |r| r.step as f64, |r| r.val_loss, Better::Lower);
                    Some(Line::new(String::new(), color(a), band.iter().map(|p| (p.x, p.median)).collect()))
                })
                .collect()
        });
        if let Some(c) = node.get() {
            let ratio = fit(&c, 36);
            spark(&c, &Chart { log_y: true, ..Chart::new("", "", lines) }, ratio).ok();
        }
    });
    view! {
        <canvas id="spark" class="spark" node_ref=node role="img"
            aria-label="Median validation loss of each architecture so far (log scale)"></canvas>
    }
}
