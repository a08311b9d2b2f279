//! The URL always holds the config (replaced on every change); a copy-link button; the gallery,
//! each finding with the odds it was measured at over seeds.

use super::{handoff, lab};
use crate::config::Config;
use crate::presets::{PRESETS, SEARCH_PRESETS};
use leptos::prelude::*;

pub fn link(c: &Config) -> String {
    let loc = window().location();
    format!("{}{}?{c}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

pub fn keep_url_in_sync() {
    let lab = lab();
    Effect::new(move |_| {
        let url = lab.address();
        if let Ok(h) = window().history() {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)).ok();
        }
    });
}

#[component]
pub fn Share() -> impl IntoView {
    let lab = lab();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = link(&lab.cfg.get_untracked());
        let _ = window().navigator().clipboard().write_text(&text);
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    };
    view! {
        <section class="share" aria-label="Share">
            <h2>"Share"</h2>
            <p class="hint">"The address always holds this experiment: the link reproduces the same runs, seed for seed."</p>
            <input class="link" id="share-link" readonly aria-label="Link to this experiment" prop:value=move || link(&lab.cfg.get())
                on:focus=move |ev| {
                    event_target::<web_sys::HtmlInputElement>(&ev).select();
                }/>
            <button id="copy-link" on:click=copy>{move || if copied.get() { "Copied ✓" } else { "Copy link" }}</button>
        </section>
    }
}

#[component]
pub fn Gallery() -> impl IntoView {
    let lab = lab();
    view! {
        <section class="panel gallery" aria-label="Presets">
            <h2>"Findings, with their odds"</h2>
            <p class="hint">"Each claim was chosen and worded on seeds 1-10; its odds were then measured on seeds 11-50, \
                one seed at a time, and carry a 95% interval. Opening one trains it here on several seeds and checks \
                the claim on them when they finish."</p>
            <ul class="presets">
                {PRESETS.iter().map(|p| {
                    let open = move |ev: web_sys::MouseEvent| {
                        ev.prevent_default();
                        // The Compare view trains: from another view it would wait, paused.
                        lab.view.set(super::View::Compare);
                        super::trainer::open(lab, p.config());
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                    };
                    view! {
                        <li>
                            <a class="preset" href=format!("?{}", p.query) on:click=open>{p.name}</a>
                            <span>{p.shows}" It "{p.odds_text()}"."</span>
                        </li>
                    }
                }).collect_view()}
                {SEARCH_PRESETS.iter().map(|p| {
                    let open = move |ev: web_sys::MouseEvent| {
                        ev.prevent_default();
                        lab.cfg.set(p.config());
                        lab.view.set(super::View::Search);
                        let text = lab.address();
                        handoff::load_views(move || handoff::send(handoff::AUTORUN, &text), move |e| lab.error.set(Some(e)));
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                    };
                    view! {
                        <li class="search-finding">
                            <a class="preset" href=format!("?{}#search", p.query) on:click=open>{p.name}</a>
                            <span>{p.shows}" It "{p.odds_text()}"."</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// What the command line does with the same text, for people who have it.
#[component]
pub fn CommandLine() -> impl IntoView {
    let lab = lab();
    view! {
        <details class="panel cli" id="command-line">
            <summary><h2>"On the command line"</h2></summary>
            <p class="hint">"The native program `gatelab` runs this address's experiment to the same bits, on every \
                core or across a cluster:"</p>
            <pre>{move || lab.cfg.with(|c| {
                let cmd = c.plan().command();
                let data: String = c.data.iter().map(|r| format!(" --data {}", r.name)).collect();
                format!("gatelab {cmd} \"{c}\"{data} --out results/")
            })}</pre>
            <p class="hint">"Also `sweep` (lists), `search` (ranges lo..hi), `merge` (a cluster's shards), `data FILE` \
                and `gallery --seeds 11-50`: see the README."</p>
        </details>
    }
}
