//! The experiment's controls. Each writes one field of the config; the URL and the runs follow.

use super::{css_color, lab};
use crate::config::{Config, KEYS};
use crate::nn::optim::OptimKind;
use crate::nn::Arch;
use crate::tasks::TaskKind;
use leptos::prelude::*;

fn help(key: &str) -> String {
    KEYS.iter().find(|k| k.0 == key).map_or(String::new(), |k| format!("{} ({})", k.2, k.1))
}

/// A slider over a list of values (so log scales and "off" fit one control).
fn stepped(
    key: &'static str,
    label: &'static str,
    values: &'static [f64],
    get: impl Fn(&Config) -> f64 + Copy + Send + Sync + 'static,
    set: impl Fn(&mut Config, f64) + Copy + Send + Sync + 'static,
    show: fn(f64) -> String,
) -> impl IntoView {
    let lab = lab();
    let index = move || {
        let v = lab.cfg.with(get);
        (0..values.len())
            .min_by(|&a, &b| (values[a] - v).abs().total_cmp(&(values[b] - v).abs()))
            .unwrap_or(0)
    };
    let (id, for_id) = (format!("ctl-{key}"), format!("ctl-{key}"));
    view! {
        <label class="control" title=help(key) for=for_id>
            <span class="name">{label}</span>
            <output class="value" id=format!("val-{key}")>{move || show(lab.cfg.with(get))}</output>
            <input type="range" id=id min="0" max=(values.len() - 1).to_string() step="1"
                prop:value=move || index().to_string()
                on:input=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        lab.cfg.update(|c| set(c, values[i.min(values.len() - 1)]));
                    }
                }/>
        </label>
    }
}

fn select(
    key: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    get: impl Fn(&Config) -> &'static str + Copy + Send + Sync + 'static,
    set: impl Fn(&mut Config, &str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lab = lab();
    let (id, for_id) = (format!("ctl-{key}"), format!("ctl-{key}"));
    view! {
        <label class="control" title=help(key) for=for_id>
            <span class="name">{label}</span>
            <select id=id prop:value=move || lab.cfg.with(get).to_string()
                on:change=move |ev| lab.cfg.update(|c| set(c, &event_target_value(&ev)))>
                {options.into_iter().map(|(v, text)| view! {
                    <option value=v selected=move || lab.cfg.with(get) == v>{text}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

fn checkbox(
    key: &'static str,
    label: &'static str,
    get: impl Fn(&Config) -> bool + Copy + Send + Sync + 'static,
    set: impl Fn(&mut Config, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lab = lab();
    view! {
        <label class="check" title=help(key)>
            <input type="checkbox" id=format!("ctl-{key}") prop:checked=move || lab.cfg.with(get)
                on:change=move |ev| lab.cfg.update(|c| set(c, event_target_checked(&ev)))/>
            {label}
        </label>
    }
}

const CELLS: &[f64] = &[1., 2., 3., 4., 6., 8., 12., 16., 24., 32., 48., 64., 96., 128., 192., 256.];
const LENS: &[f64] =
    &[2., 3., 4., 5., 6., 8., 10., 12., 15., 20., 25., 30., 40., 50., 60., 80., 100., 150., 200., 300., 500.];
const LRS: &[f64] = &[1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 3e-2, 5e-2, 0.1, 0.2, 0.5, 1.0];
const BATCHES: &[f64] = &[1., 2., 4., 8., 16., 32., 64., 128., 256.];
const TRAIN: &[f64] = &[0., 16., 32., 64., 128., 256., 512., 1000., 2000., 5000., 10000.];
const CLIPS: &[f64] = &[0., 0.1, 0.25, 0.5, 1., 2., 5., 10., 100.];
const STEPS: &[f64] =
    &[50., 100., 200., 300., 500., 800., 1000., 1500., 2000., 2500., 3000., 5000., 10000., 20000., 50000.];
const SPEEDS: &[f64] = &[1., 2., 5., 10., 20., 50., 100., 200., 500.];
const TBPTT: &[f64] = &[0., 2., 5., 10., 20., 50., 100.];
const SYMBOLS: &[f64] = &[1., 2., 3., 4., 5., 6., 8., 10.];
const MOMENTA: &[f64] = &[0., 0.5, 0.9, 0.95, 0.99];

fn int(v: f64) -> String {
    format!("{v}")
}

#[component]
pub fn Controls() -> impl IntoView {
    let lab = lab();
    let tasks: Vec<(&'static str, &'static str)> =
        TaskKind::ALL.iter().map(|t| (t.name(), t.about().title)).collect();
    let about = move || lab.cfg.with(|c| c.task.about());
    view! {
        <section class="controls" aria-label="Experiment">
            <h2>"Experiment"</h2>
            {select("task", "Task", tasks, |c| c.task.name(), |c, v| {
                // A new task starts from its own defaults; what to compare, and how, stays.
                if let Some(t) = TaskKind::parse(v) {
                    let (archs, cells) = (c.archs.clone(), c.cells.clone());
                    *c = Config { archs, cells, seed: c.seed, speed: c.speed, ..Config::defaults(t) };
                }
            })}
            <p class="blurb" id="task-blurb">{move || about().tests}" "<em>{move || about().literature}</em></p>
            {stepped("len", "Sequence length", LENS, |c| c.seq_len() as f64, |c, v| c.lens = vec![v as usize], int)}
            <p class="hint">{move || about().len_meaning}</p>
            {stepped("cells", "Cells (hidden units)", CELLS, |c| c.cells[0] as f64, |c, v| c.cells = vec![v as usize], int)}
            <fieldset class="archs">
                <legend title=help("archs")>"Architectures"</legend>
                {Arch::ALL.into_iter().map(|a| {
                    let toggle = move |ev| {
                        let on = event_target_checked(&ev);
                        lab.cfg.update(|c| {
                            if on && !c.archs.contains(&a) { c.archs.push(a); c.archs.sort(); }
                            if !on && c.archs.len() > 1 { c.archs.retain(|x| *x != a); }
                        });
                    };
                    view! {
                        <label class="check arch" style=format!("--arch:{}", css_color(a))>
                            <input type="checkbox" id=format!("arch-{}", a.name())
                                prop:checked=move || lab.cfg.with(|c| c.archs.contains(&a)) on:change=toggle/>
                            {a.name().to_uppercase()}
                            <span class="params" id=format!("params-{}", a.name())>
                                {move || lab.cfg.with(|c| {
                                    let h = c.hidden_for(a, c.cells[0]);
                                    format!("{} params{}", a.param_count(c.dims(h)), if h != c.cells[0] { format!(", {h} cells") } else { String::new() })
                                })}
                            </span>
                        </label>
                    }
                }).collect_view()}
                {checkbox("match", "Match the LSTM's parameter count", |c| c.match_params, |c, v| c.match_params = v)}
            </fieldset>
            <details class="more" open>
                <summary>"Training"</summary>
                {stepped("lr", "Learning rate", LRS, |c| c.lr as f64, |c, v| c.lr = v as f32, |v| format!("{}", v as f32))}
                {stepped("batch", "Batch size", BATCHES, |c| c.batch as f64, |c, v| c.batch = v as usize, int)}
                {stepped("train", "Training set", TRAIN, |c| c.train as f64, |c, v| c.train = v as usize,
                    |v| if v == 0.0 { "fresh every step".into() } else { format!("{v} sequences") })}
                {select("optim", "Optimiser", vec![("adam", "Adam"), ("sgd", "SGD + momentum")],
                    |c| if c.optim == OptimKind::Adam { "adam" } else { "sgd" },
                    |c, v| c.optim = if v == "sgd" { OptimKind::Sgd } else { OptimKind::Adam })}
                <Show when=move || lab.cfg.with(|c| c.optim == OptimKind::Sgd)>
                    {stepped("momentum", "Momentum", MOMENTA, |c| c.momentum as f64, |c, v| c.momentum = v as f32, |v| format!("{}", v as f32))}
                </Show>
                {stepped("clip", "Gradient clipping", CLIPS, |c| c.clip as f64, |c, v| c.clip = v as f32,
                    |v| if v == 0.0 { "off".into() } else { format!("norm {}", v as f32) })}
                {checkbox("fbias", "LSTM forget-gate bias +1", |c| c.forget_bias, |c, v| c.forget_bias = v)}
                {select("init", "Recurrent init", vec![("uniform", "PyTorch uniform"), ("orthogonal", "orthogonal")],
                    |c| if c.orthogonal { "orthogonal" } else { "uniform" }, |c, v| c.orthogonal = v == "orthogonal")}
                {stepped("tbptt", "Backprop through time", TBPTT, |c| c.tbptt as f64, |c, v| c.tbptt = v as usize,
                    |v| if v == 0.0 { "full".into() } else { format!("truncated to {v}") })}
                <Show when=move || lab.cfg.with(|c| c.task == TaskKind::Copy)>
                    {stepped("symbols", "Symbols to recall", SYMBOLS, |c| c.symbols as f64, |c, v| c.symbols = v as usize, int)}
                </Show>
                <Show when=move || lab.cfg.with(|c| c.task == TaskKind::Parity)>
                    {select("parity", "Parity target", vec![("every", "every step"), ("end", "last step only")],
                        |c| if c.parity_every_step { "every" } else { "end" }, |c, v| c.parity_every_step = v == "every")}
                </Show>
                {stepped("steps", "Step budget", STEPS, |c| c.steps as f64, |c, v| c.steps = v as usize, int)}
                {stepped("speed", "Speed (steps per frame)", SPEEDS, |c| c.speed as f64, |c, v| c.speed = v as usize, int)}
                <label class="control" title=help("seed") for="ctl-seed">
                    <span class="name">"Seed"</span>
                    <input type="number" id="ctl-seed" min="0" max="4294967295"
                        prop:value=move || lab.cfg.with(|c| c.seed.to_string())
                        on:change=move |ev| {
                            if let Ok(s) = event_target_value(&ev).parse::<u32>() {
                                lab.cfg.update(|c| c.seed = s as u64)
                            }
                        }/>
                </label>
            </details>
        </section>
    }
}
