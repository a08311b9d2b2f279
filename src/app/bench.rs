//! The Bench view (`#bench`): the `gatelab bench` table run in a Web Worker of this browser,
//! beside the native numbers when `gatelab bench --json` output is pasted in.

use super::pool::Pool;
use crate::bench::ROWS;
use crate::nn::Arch;
use crate::protocol::{FromWorker, ToWorker};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Native {
    arch: Arch,
    hidden: usize,
    steps_per_s: f64,
    gflops: f64,
}

#[component]
pub fn BenchView() -> impl IntoView {
    let rows = RwSignal::new(Vec::<(Arch, usize, f64, f64)>::new());
    let native_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pool = StoredValue::new_local(None::<Pool>);
    let ask = move |k: usize| {
        if let Some(&(arch, hidden)) = ROWS.get(k) {
            pool.with_value(|p| p.as_ref().map(|p| p.send(0, &ToWorker::Bench { arch, hidden })));
        }
    };
    let start = move || {
        rows.set(Vec::new());
        let p = Pool::new(1, move |_, msg| match msg {
            FromWorker::BenchRow { arch, hidden, steps_per_s, gflops } => {
                rows.update(|r| r.push((arch, hidden, steps_per_s, gflops)));
                ask(rows.with_untracked(Vec::len));
            }
            FromWorker::Error { message } => error.set(Some(message)),
            _ => {}
        });
        match p {
            Ok(p) => {
                pool.set_value(Some(p));
                ask(0);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    start();
    on_cleanup(move || pool.set_value(None));
    let native = move || -> Vec<Native> {
        native_text
            .with(|t| t.lines().filter_map(|l| serde_json::from_str::<Native>(l.trim()).ok()).collect())
    };
    let done = move || rows.with(|r| r.len() == ROWS.len());
    view! {
        <section class="panel" aria-label="Benchmark">
            <h2>"Benchmark: one training step in this browser"</h2>
            <p class="hint">"LSTM and GRU, I = 8 inputs, B = 32 sequences of T = 50 steps, forward + backward + Adam, \
                timed for about a second per row in a Web Worker — the same code and table as `gatelab bench`. \
                GFLOP/s counts 3 x 2 G H (I + H) B T per step."</p>
            <Show when=move || error.get().is_some()><p class="notice error">{move || error.get()}</p></Show>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results table">
                <table class="stats" id="bench" data-done=move || if done() { "1" } else { "0" }>
                    <thead><tr><th>"arch"</th><th>"cells"</th><th>"steps/s"</th><th>"GFLOP/s"</th>
                        <th>"native steps/s"</th><th>"native GFLOP/s"</th><th>"browser / native"</th></tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|(arch, hidden, sps, gf)| {
                            let n = native().into_iter().find(|n| n.arch == arch && n.hidden == hidden);
                            let (ns, ng, ratio) = n.map_or(("–".into(), "–".into(), "–".into()), |n| {
                                (format!("{:.1}", n.steps_per_s), format!("{:.2}", n.gflops), format!("{:.2}", sps / n.steps_per_s))
                            });
                            view! {
                                <tr data-arch=arch.name() data-hidden=hidden data-steps-per-s=sps.to_string() data-gflops=gf.to_string()>
                                    <td>{arch.name()}</td><td>{hidden}</td><td>{format!("{sps:.1}")}</td><td>{format!("{gf:.2}")}</td>
                                    <td>{ns}</td><td>{ng}</td><td>{ratio}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="status" id="bench-status">{move || if done() { "done".to_string() } else { format!("running row {} of {}…", rows.with(Vec::len) + 1, ROWS.len()) }}</p>
            <label class="control" for="native-bench">
                <span class="name">"Native numbers: paste the output of `gatelab bench --json` here"</span>
                <textarea id="native-bench" rows="4" prop:value=move || native_text.get()
                    on:input=move |ev| native_text.set(event_target_value(&ev))></textarea>
            </label>
            <button id="bench-again" on:click=move |_| start() disabled=move || !done()>"Run again"</button>
        </section>
    }
}
