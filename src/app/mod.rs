//! The page: Leptos components that render what the training worker reports. Nothing here
//! trains; every number drawn comes from the worker's `Record`s and probes.

mod bridge;
mod charts;
mod controls;
mod explain;
mod export;
mod gates;
mod plots;
mod share;
mod sweep;
mod trainer;

use crate::config::{parse_lenient, Config};
use crate::protocol::RunInfo;
use crate::run::{ProbeView, Record, RunState};
use leptos::prelude::*;

/// One architecture's run as the page knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub info: RunInfo,
    pub records: Vec<Record>,
    pub state: RunState,
    pub step: usize,
    pub seconds: f64,
}

/// The page's state: signals owned here, handed down by context.
#[derive(Clone, Copy)]
pub struct Lab {
    pub cfg: RwSignal<Config>,
    pub runs: RwSignal<Vec<RunView>>,
    /// The latest probe of each run: changes only when a probe arrives, so the heatmaps and
    /// the gradient-flow chart redraw only then.
    pub probes: RwSignal<Vec<(RunInfo, ProbeView)>>,
    pub playing: RwSignal<bool>,
    pub example: RwSignal<usize>,
    pub notices: RwSignal<Vec<String>>,
    pub error: RwSignal<Option<String>>,
    pub time_axis: RwSignal<bool>,
    pub log_y: RwSignal<bool>,
}

pub fn lab() -> Lab {
    expect_context::<Lab>()
}

/// Fixed colour of each architecture on every chart.
pub fn color(arch: crate::nn::Arch) -> (u8, u8, u8) {
    match arch {
        crate::nn::Arch::Lstm => (37, 99, 235),
        crate::nn::Arch::Gru => (234, 88, 12),
        crate::nn::Arch::Rnn => (22, 163, 74),
    }
}

pub fn css_color(arch: crate::nn::Arch) -> String {
    let (r, g, b) = color(arch);
    format!("rgb({r},{g},{b})")
}

/// Shows a panic in the page as well as in the console: never a silent blank page.
fn panic_hook(info: &std::panic::PanicHookInfo) {
    console_error_panic_hook::hook(info);
    let doc = document();
    if let Some(body) = doc.body() {
        let box_ = doc.create_element("div").expect("div");
        box_.set_id("fatal");
        box_.set_attribute("role", "alert").ok();
        box_.set_text_content(Some(&format!(
            "Gatelab crashed: {info}. Reload the page; if it happens again, the link above reproduces it."
        )));
        body.prepend_with_node_1(&box_).ok();
    }
}

pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
    mount_to_body(App);
    // A hidden hook for the test of the panic message above.
    if window().location().hash().unwrap_or_default() == "#debug-panic" {
        panic!("debug panic requested by #debug-panic");
    }
}

#[component]
fn App() -> impl IntoView {
    let query = window().location().search().unwrap_or_default();
    let (cfg, notes) = parse_lenient(&query);
    let lab = Lab {
        cfg: RwSignal::new(cfg),
        runs: RwSignal::new(Vec::new()),
        probes: RwSignal::new(Vec::new()),
        playing: RwSignal::new(false),
        example: RwSignal::new(0),
        notices: RwSignal::new(notes.iter().map(|n| n.to_string()).collect()),
        error: RwSignal::new(None),
        time_axis: RwSignal::new(false),
        log_y: RwSignal::new(true),
    };
    provide_context(lab);
    share::keep_url_in_sync();
    trainer::start();
    let view_sweep = RwSignal::new(lab.cfg.get_untracked().is_sweep());

    view! {
        <header class="top">
            <div class="brand">
                <h1>"Gatelab"</h1>
                <p class="tagline">"When should you use an LSTM, and when a GRU? Train both, here, and see."</p>
            </div>
            <nav class="tabs" role="tablist">
                <button role="tab" aria-selected=move || (!view_sweep.get()).to_string()
                    class:active=move || !view_sweep.get() on:click=move |_| view_sweep.set(false)>"Compare"</button>
                <button role="tab" aria-selected=move || view_sweep.get().to_string()
                    class:active=move || view_sweep.get() on:click=move |_| view_sweep.set(true)>"Sweep"</button>
            </nav>
        </header>
        <Notices/>
        <main class="layout">
            <aside class="side">
                <controls::Controls/>
                <share::Share/>
            </aside>
            <section class="content">
                <Show when=move || !view_sweep.get() fallback=|| view! { <sweep::SweepView/> }>
                    <trainer::Transport/>
                    <charts::Charts/>
                    <gates::Gates/>
                    <export::Export/>
                </Show>
                <explain::Explain/>
                <share::Gallery/>
            </section>
        </main>
    }
}

/// Problems with the link the page was opened with, and worker errors.
#[component]
fn Notices() -> impl IntoView {
    let lab = lab();
    view! {
        <Show when=move || !lab.notices.get().is_empty()>
            <div class="notice" role="status" id="notices">
                <strong>"Some settings in this link were not used:"</strong>
                <ul>
                    {move || lab.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <button class="dismiss" on:click=move |_| lab.notices.set(Vec::new())>"Dismiss"</button>
            </div>
        </Show>
        <Show when=move || lab.error.get().is_some()>
            <div class="notice error" role="alert" id="worker-error">{move || lab.error.get()}</div>
        </Show>
    }
}
