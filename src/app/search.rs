//! The Search view (`#search`): ranges instead of a grid, the same search as `gatelab search`
//! on the page's workers (the sweep's runner runs any plan's stages): each trial as a point per
//! searched key, the best so far against the steps spent, the learning rate x cells map of each
//! architecture, what mattered with its intervals, each one's best settings, and the verdict of
//! the confirmation on fresh seeds. It opens a search.json too.

use super::charts::chart_canvas;
use super::plots::heatmap::{self, Scale};
use super::plots::lines::{Chart, Line};
use super::sweep::{open::OpenFile, runner, Source, SweepState};
use super::{arch_style, color, cores, lab};
use crate::config::keys::{key, Kind, Scale as Spacing};
use crate::config::Plan;
use crate::config::KEYS;
use crate::experiment::files::search::SearchFile;
use crate::limits::{check_sweep, describe, PAGE_GFLOPS};
use crate::nn::Arch;
use crate::stats::number;
use leptos::html::Canvas;
use leptos::prelude::*;

/// One searchable key: whether it is searched, and its range.
fn range_row(name: &'static str) -> impl IntoView {
    let lab = lab();
    let k = key(name).expect("a key of the table");
    let on = move || lab.cfg.with(|c| c.range(name).is_some());
    let ends = move || lab.cfg.with(|c| c.range(name).map_or(k.start, |r| (r.lo, r.hi)));
    let set = move |lo: Option<f64>, hi: Option<f64>| {
        let (a, b) = ends();
        lab.cfg.update(|c| *c = c.with_range(name, Some((lo.unwrap_or(a), hi.unwrap_or(b)))));
    };
    let step = if matches!(k.kind, Kind::Int { .. } | Kind::Ints { .. }) { "1" } else { "any" };
    let label = match k.ui {
        crate::config::keys::Ui::Slider { label, .. } => label,
        _ => name,
    };
    let scale = if k.search == Some(Spacing::Log) { "log-uniform" } else { "uniform" };
    view! {
        <div class="range-row" id=format!("range-{name}")>
            <label class="check"><input type="checkbox" id=format!("search-{name}") prop:checked=on
                on:change=move |ev| {
                    let r = event_target_checked(&ev).then(ends);
                    lab.cfg.update(|c| *c = c.with_range(name, r));
                }/>{label}</label>
            <input type="number" step=step aria-label=format!("{label}: from") id=format!("lo-{name}") prop:value=move || ends().0
                disabled=move || !on() on:change=move |ev| set(event_target_value(&ev).parse().ok(), None)/>
            <span>"to"</span>
            <input type="number" step=step aria-label=format!("{label}: to") id=format!("hi-{name}") prop:value=move || ends().1
                disabled=move || !on() on:change=move |ev| set(None, event_target_value(&ev).parse().ok())/>
            <span class="hint">{scale}</span>
        </div>
    }
}

/// A number input for one whole-number key of the search (trials, halving, confirm).
fn number_input(name: &'static str, label: &'static str) -> impl IntoView {
    let lab = lab();
    let k = key(name).expect("a key of the table");
    let (lo, hi) = match k.kind {
        Kind::Int { lo, hi } => (lo, hi),
        _ => (0, 0),
    };
    view! {
        <label class="control inline-control" for=format!("ctl-{name}")>
            <span class="name">{label}</span>
            <input type="number" id=format!("ctl-{name}") min=lo.to_string() max=hi.to_string()
                prop:value=move || lab.cfg.with(|c| (k.get)(c).number().to_string())
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                        lab.cfg.update(|c| *c = c.with(k, crate::config::keys::Value::Int(v.clamp(lo, hi))));
                    }
                }/>
        </label>
    }
}

#[component]
pub fn SearchView() -> impl IntoView {
    let lab = lab();
    let s = expect_context::<SweepState>();
    let r = runner::Runner::new(lab, s);
    on_cleanup(move || runner::cancel(r));
    let tick = runner::ticker();
    let estimate = move || {
        lab.cfg.with(|c| {
            if c.plan() != Plan::Search {
                return "Tick at least one key to search it.".to_string();
            }
            let w = crate::experiment::plan::whole(c, &crate::experiment::plan::jobs(c, 0, &[]));
            let stages: Vec<String> = crate::experiment::plan::estimate(c)
                .iter()
                .map(|(st, runs, g)| format!("{}: {runs} runs, {g:.1} GFLOP", st.name()))
                .collect();
            let refused = check_sweep(&w).err().map_or(String::new(), |e| format!(" — refused: {e}"));
            format!(
                "{}{refused}. Stages (later ones at their largest): {}.",
                describe(&w, cores(), PAGE_GFLOPS),
                stages.join("; ")
            )
        })
    };
    let file = move || {
        s.results.with(|r| {
            r.as_ref()
                .filter(|r| r.config.plan() == Plan::Search && r.stages.first().is_some_and(|s| s.complete()))
                .map(|r| r.search_file())
        })
    };
    let searchable = KEYS.iter().filter(|k| k.search.is_some()).map(|k| range_row(k.name)).collect_view();
    // A search finding opened from the gallery starts at once.
    Effect::new(move |_| {
        if s.autorun.get() && lab.cfg.with_untracked(|c| c.plan() == Plan::Search) {
            s.autorun.set(false);
            runner::start(r);
        }
    });
    let finding = move || {
        let p = lab.cfg.with(crate::presets::matching_search)?;
        let check = file()
            .filter(|f| !f.importance.is_empty())
            .map_or("This run: the claim is checked when the search has run.".to_string(), |f| {
                format!("This search: the claim {}.", if (p.claim)(&f) { "holds" } else { "does not hold" })
            });
        Some(view! {
            <div class="finding" id="search-finding">
                <strong>"Finding: "{p.name}</strong>
                <p>{p.shows}" It "{p.odds_text()}"."</p>
                <p class="finding-check" id="search-finding-check">{check}</p>
            </div>
        })
    };
    view! {
        <section class="panel" aria-label="Search" on:dragover=super::sweep::open::on_dragover on:drop=move |ev| super::sweep::open::on_drop(ev, s)>
            <h2>"Search: ranges, halving, confirmation on fresh seeds"</h2>
            <p class="hint">"Each ticked key is drawn from its range (a scrambled Sobol sequence: the same points for every \
                architecture, the same seeds, the same step budget). Successive halving trains every trial briefly and only \
                the best third longer. Each architecture's best trial is then trained again on fresh seeds, and only those \
                judge the winner: a setting chosen as the best on some seeds looks better on them than it is."</p>
            <div class="ranges">{searchable}</div>
            <div class="search-numbers">
                {number_input("trials", "Trials")}
                {number_input("halving", "Halving (1 = off)")}
                {number_input("confirm", "Fresh seeds to confirm")}
            </div>
            {finding}
            <p class="estimate" id="search-estimate">{estimate}</p>
            <div class="transport">
                <button id="search-run" class="primary" on:click=move |_| runner::start(r)
                    disabled=move || s.running.get() || !lab.cfg.with(|c| c.plan() == Plan::Search)>"▶ Run search"</button>
                <button id="search-cancel" on:click=move |_| runner::cancel(r) disabled=move || !s.running.get()>"■ Cancel"</button>
                <span class="status" id="search-status">{move || { tick.get(); runner::progress(s) }}</span>
            </div>
            <OpenFile s=s/>
            <Show when=move || s.refusal.get().is_some()>
                <p class="notice error" id="search-refusal">{move || s.refusal.get()}</p>
            </Show>
        </section>
        {move || file().map(|f| results(f, s))}
    }
}

/// Everything a finished (or partly finished) search shows.
fn results(f: SearchFile, s: SweepState) -> impl IntoView {
    let source = s.results.with_untracked(|r| match r.as_ref().map(|r| &r.source) {
        Some(Source::File(name)) => {
            format!("Results from the file {name}; the controls were set to its query.")
        }
        _ => "Results of the search run in this page.".to_string(),
    });
    let archs: Vec<Arch> = Arch::ALL.into_iter().filter(|a| f.budget.contains_key(a)).collect();
    // The searched keys, from the trials themselves: a search too small to say what mattered
    // still shows every trial.
    let keys: Vec<String> = f.trials.first().map(|t| t.values.keys().cloned().collect()).unwrap_or_default();
    let download = {
        let f = f.clone();
        move |_| {
            super::download::download(
                "search.json",
                "application/json",
                &serde_json::to_string_pretty(&f).unwrap_or_default(),
            )
        }
    };
    let budget: Vec<String> = f.budget.iter().map(|(a, n)| format!("{} {n}", a.upper())).collect();
    view! {
        <section class="panel" aria-label="Search verdict">
            <div class="panel-head">
                <h2>"Verdict"</h2>
                <button id="search-json" on:click=download>"search.json"</button>
            </div>
            <p class="hint" id="search-source">{source}</p>
            {f.arithmetic.caveat().map(|c| view! { <p class="notice" id="search-arithmetic">{c}</p> })}
            <ul id="search-verdict">{f.verdict.iter().map(|v| view! { <li>{v.text.clone()}</li> }).collect_view()}</ul>
            <p class="hint" id="search-budget">"Training steps each architecture's search took: "{budget.join(", ")}"."</p>
            {best_table(&f, &archs)}
        </section>
        {(!f.ablation.is_empty()).then(|| view! { <super::ablation::AblationChart rows=f.ablation.clone()/> })}
        <section class="panel" aria-label="What mattered">
            <h2>"What mattered"</h2>
            <p class="hint">{format!("The share of the variance of log validation loss (every trial, after {} steps) each key explains \
                on its own (a quadratic fit in the key, adjusted for its terms, so a setting bad at both ends counts), with \
                its 95% bootstrap interval over trials; and the learning rate x cells interaction.", f.importance_steps)}</p>
            <p class="hint" id="importance-caution">{f.importance_caution()}</p>
            {importance(&f, &archs)}
        </section>
        <section class="panel" aria-label="Search charts">
            <h2>"Trials"</h2>
            <p class="hint">"Each dot is a trial: its median validation loss over seeds after the first rung, against each \
                searched key. The last chart is the best so far against the training steps spent."</p>
            <div class="charts">
                {keys.into_iter().map(|k| slice(f.clone(), k)).collect_view()}
                <figure>{chart_canvas("search-progress", "Best validation loss against steps spent", true, {
                    let f = f.clone();
                    let archs = archs.clone();
                    move || progress(&f, &archs)
                })}</figure>
            </div>
            {(!f.interaction.is_empty())
                .then(|| view! { <div class="gate-grid">{archs.iter().map(|&a| lr_cells(&f, a)).collect_view()}</div> })}
        </section>
    }
}

/// Each architecture's best trial side by side.
fn best_table(f: &SearchFile, archs: &[Arch]) -> impl IntoView {
    let keys: Vec<String> = f.best.values().next().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let rows = archs.iter().filter_map(|a| {
        let v = f.best.get(a)?;
        let cells = keys.iter().map(|k| view! { <td>{v.get(k).map_or("–".into(), |x| format!("{}", *x as f32))}</td> }).collect_view();
        Some(view! { <tr data-arch=a.name()><td style=arch_style(*a) class="arch">{a.upper()}</td>{cells}</tr> })
    });
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Best settings">
            <table class="stats" id="search-best">
                <thead><tr><th>"best trial"</th>{keys.iter().map(|k| view! { <th>{k.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
    }
}

/// Importance bars with their intervals, per architecture.
fn importance(f: &SearchFile, archs: &[Arch]) -> impl IntoView {
    let bar = |name: String, s: crate::experiment::search::importance::Share| {
        let pct = |v: f64| format!("{:.1}%", 100.0 * v.clamp(0.0, 1.0));
        let key = name.clone();
        view! {
            <div class="bar-row" data-key=key data-share=s.share.to_string()>
                <span class="bar-name">{name}</span>
                <span class="bar-track">
                    <span class="bar" style=format!("width:{}", pct(s.share))></span>
                    <span class="bar-ci" style=format!("left:{};width:{}", pct(s.lo), pct(s.hi - s.lo))></span>
                </span>
                <span class="bar-value">{format!("{} [{}, {}]", number(s.share), number(s.lo), number(s.hi))}</span>
            </div>
        }
    };
    archs
        .iter()
        .filter_map(|a| {
            let shares = f.importance.get(a)?;
            let inter = f.interaction.get(a).map(|s| bar("lr x cells".into(), *s));
            Some(view! {
                <div class="importance" id=format!("importance-{}", a.name()) style=arch_style(*a)>
                    <h3>{a.upper()}</h3>
                    {shares.iter().map(|(k, s)| bar(k.clone(), *s)).collect_view()}
                    {inter}
                </div>
            })
        })
        .collect_view()
}

/// One searched key's slice: every trial of every architecture as a dot.
fn slice(f: SearchFile, key_name: String) -> impl IntoView {
    let log = key(&key_name).and_then(|k| k.search) == Some(Spacing::Log);
    let (id, label) = (format!("search-slice-{key_name}"), format!("Validation loss against {key_name}"));
    let make = move || {
        let dots = f
            .trials
            .iter()
            .filter_map(|t| {
                Some((*t.values.get(&key_name)?, t.rungs.first()?.median_val_loss, color(t.arch)))
            })
            .collect();
        let lines = Arch::ALL
            .into_iter()
            .filter(|a| f.trials.iter().any(|t| t.arch == *a))
            .map(|a| Line { legend: true, ..Line::new(a.upper().into(), color(a), Vec::new()) })
            .collect();
        Chart {
            log_y: true,
            log_x: log,
            integer_x: false,
            dots,
            ..Chart::new(&key_name, "median val loss (first rung)", lines)
        }
    };
    view! { <figure>{chart_canvas(id, label, true, make)}</figure> }
}

fn progress(f: &SearchFile, archs: &[Arch]) -> Chart {
    let lines = archs.iter().map(|&a| Line::new(a.upper().into(), color(a), f.progress(a))).collect();
    Chart {
        log_y: true,
        integer_x: true,
        ..Chart::new("training steps spent", "best median val loss so far", lines)
    }
}

/// Greff et al.'s figure for one architecture: mean log validation loss over a grid of
/// learning rate (x) and cells (y), with each axis's bin edges and the colour scale's ends.
fn lr_cells(f: &SearchFile, arch: Arch) -> impl IntoView {
    let (ex, ey, grid) = f.grid(arch, "lr", "cells", 4);
    let (node, bar) = (NodeRef::<Canvas>::new(), NodeRef::<Canvas>::new());
    let finite: Vec<f64> = grid.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = finite.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    // Darker is a lower loss: 1 at the lowest, 0 at the highest.
    let shade: Vec<Vec<f32>> =
        grid.iter().map(|r| r.iter().map(|&v| ((hi - v) / (hi - lo).max(1e-12)) as f32).collect()).collect();
    Effect::new(move |_| {
        if let (Some(c), Some(b)) = (node.get(), bar.get()) {
            super::plots::fit(&c, 160);
            heatmap::draw(&c, &shade, Scale::Unit, None).ok();
            heatmap::legend(&b, Scale::Unit).ok();
        }
    });
    let ticks = |e: &[f64], cells: bool| -> Vec<String> {
        e.iter().map(|&v| if cells { format!("{}", v.round()) } else { format!("{}", v as f32) }).collect()
    };
    // The grid's rows run from the most cells down, as the y axis does.
    let (xt, yt) = (ticks(&ex, false), ticks(&ey, true).into_iter().rev().collect::<Vec<_>>());
    let (best, worst) = (number(libm::exp(lo)), number(libm::exp(hi)));
    view! {
        <div class="gate-panel" style=arch_style(arch)>
            <h3>{format!("{}: learning rate x cells", arch.upper())}</h3>
            <div class="lr-cells">
                <div class="y-ticks" aria-hidden="true">{yt.into_iter().map(|t| view! { <span>{t}</span> }).collect_view()}</div>
                <canvas node_ref=node class="heatmap" id=format!("search-heat-{}", arch.name()) style="height:160px" role="img"
                    aria-label=format!("Mean log validation loss over learning rate and cells; darker is lower, from {best} to {worst}")></canvas>
                <span></span>
                <div class="x-ticks" aria-hidden="true">{xt.into_iter().map(|t| view! { <span>{t}</span> }).collect_view()}</div>
            </div>
            <p class="hint lr-cells-scale">
                <span class="legend">
                    <span>{format!("val loss {worst}")}</span>
                    <canvas node_ref=bar width="64" height="8" class="legend-bar"></canvas>
                    <span>{best}</span>
                </span>
                " x: learning rate, y: cells, both on a log scale; each square the mean over its trials; grey: no trial."
            </p>
        </div>
    }
}
