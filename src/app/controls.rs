//! The experiment's controls, made from the key table: each row's `Ui` says how it shows, its
//! kind what it accepts, `applies` when it shows. Each control writes one key of the config;
//! the URL and the runs follow.

use super::{arch_style, lab};
use crate::config::keys::{key, Group, Key, Ui, Value};
use crate::config::KEYS;
use crate::nn::{Arch, Family};
use crate::tasks::TaskKind;
use leptos::prelude::*;

fn help(k: &Key) -> String {
    format!("{} ({})", k.help, k.kind.range())
}

/// The control of one key while it applies (rebuilt only when that changes, so a slider keeps
/// its focus while it moves).
pub fn control(k: &'static Key) -> impl IntoView {
    let lab = lab();
    let shown = Memo::new(move |_| lab.cfg.with(|c| (k.applies)(c)));
    move || shown.get().then(|| build(k))
}

fn build(k: &'static Key) -> AnyView {
    let lab = lab();
    let id = format!("ctl-{}", k.name);
    match k.ui {
        Ui::Slider { label, stops, show, .. } => {
            let index = move || {
                let v = lab.cfg.with(|c| (k.get)(c).number());
                (0..stops.len()).min_by(|&a, &b| (stops[a] - v).abs().total_cmp(&(stops[b] - v).abs())).unwrap_or(0)
            };
            view! {
                <label class="control" title=help(k) for=format!("ctl-{}", k.name)>
                    <span class="name">{label}</span>
                    <output class="value" id=format!("val-{}", k.name)>{move || show(lab.cfg.with(|c| (k.get)(c).number()))}</output>
                    <input type="range" id=id min="0" max=(stops.len() - 1).to_string() step="1"
                        prop:value=move || index().to_string()
                        on:input=move |ev| {
                            if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                                lab.cfg.update(|c| *c = c.with(k, k.kind.from_number(stops[i.min(stops.len() - 1)])));
                            }
                        }/>
                </label>
            }
            .into_any()
        }
        Ui::Select { label, labels, .. } => {
            let names = match k.kind {
                crate::config::keys::Kind::Choice(n) => n,
                _ => &[],
            };
            let current = move || lab.cfg.with(|c| (k.get)(c).number() as usize);
            let options = names.iter().zip(labels).enumerate().map(|(i, (v, text))| {
                view! { <option value=*v selected=move || current() == i>{*text}</option> }
            });
            view! {
                <label class="control" title=help(k) for=format!("ctl-{}", k.name)>
                    <span class="name">{label}</span>
                    <select id=id prop:value=move || names.get(current()).copied().unwrap_or("")
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(i) = names.iter().position(|n| *n == v) {
                                lab.cfg.update(|c| *c = c.with(k, Value::Choice(i)));
                            }
                        }>
                        {options.collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
        Ui::Check { label, .. } => view! {
            <label class="check" title=help(k)>
                <input type="checkbox" id=id prop:checked=move || lab.cfg.with(|c| (k.get)(c) == Value::Flag(true))
                    on:change=move |ev| lab.cfg.update(|c| *c = c.with(k, Value::Flag(event_target_checked(&ev))))/>
                {label}
            </label>
        }
        .into_any(),
        Ui::Number { label, .. } => {
            let (lo, hi) = match k.kind {
                crate::config::keys::Kind::Int { lo, hi } => (lo, hi),
                _ => (0, 0),
            };
            view! {
                <label class="control" title=help(k) for=format!("ctl-{}", k.name)>
                    <span class="name">{label}</span>
                    <input type="number" id=id min=lo.to_string() max=hi.to_string()
                        prop:value=move || lab.cfg.with(|c| (k.get)(c).number().to_string())
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                                lab.cfg.update(|c| *c = c.with(k, Value::Int(v.clamp(lo, hi))));
                            }
                        }/>
                </label>
            }
            .into_any()
        }
        Ui::None | Ui::Custom => ().into_any(),
    }
}

/// Every key of a group with a control of its own, in table order.
fn group(g: Group) -> impl IntoView {
    KEYS.iter()
        .filter(|k| match k.ui {
            Ui::Slider { group, .. }
            | Ui::Select { group, .. }
            | Ui::Check { group, .. }
            | Ui::Number { group, .. } => group == g,
            _ => false,
        })
        .map(control)
        .collect_view()
}

#[component]
pub fn Controls() -> impl IntoView {
    let lab = lab();
    let about = move || lab.cfg.with(|c| c.task.about());
    let task = key("task").expect("the table has task");
    let change_task = move |ev| {
        // A new task takes its own defaults, but what the user changed stays.
        if let Some(t) = TaskKind::parse(&event_target_value(&ev)) {
            lab.cfg.update(|c| *c = c.with_task(t));
        }
    };
    view! {
        <section class="controls" aria-label="Experiment">
            <h2>"Experiment"</h2>
            <label class="control" title=help(task) for="ctl-task">
                <span class="name">"Task"</span>
                <select id="ctl-task" prop:value=move || lab.cfg.with(|c| c.task.name()) on:change=change_task>
                    {TaskKind::ALL.iter().map(|t| view! {
                        <option value=t.name() selected=move || lab.cfg.with(|c| c.task == *t)>{t.about().title}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="blurb" id="task-blurb">{move || about().tests}" "<em>{move || about().literature}</em></p>
            <super::data::DataPicker/>
            <super::data::Columns/>
            <Archs/>
            {group(Group::Experiment)}
            <details class="more" open>
                <summary>"Training"</summary>
                {group(Group::Training)}
            </details>
        </section>
    }
}

/// The architecture toggles, each with its parameter count and what it is: PyTorch's three,
/// then the gate lab's variants by family; the parameter matching switch.
#[component]
fn Archs() -> impl IntoView {
    let lab = lab();
    let matching = key("match").expect("the table has match");
    let variants = move |f: Family| Arch::ALL.into_iter().filter(move |a| a.family() == f && *a != a.base());
    let lab_open = move || lab.cfg.with(|c| c.archs.iter().any(|a| !Arch::BASE.contains(a)));
    view! {
        <fieldset class="archs">
            <legend title=help(key("archs").expect("the table has archs"))>"Architectures"</legend>
            {Arch::BASE.into_iter().map(toggle).collect_view()}
            <details class="gate-lab" prop:open=lab_open>
                <summary>"Gate lab: 11 more cells"</summary>
                <p class="hint">"Each changes one part of its cell: see the Gate lab tab."</p>
                <h4>"LSTM family"</h4>
                {variants(Family::Lstm).map(toggle).collect_view()}
                <h4>"GRU family"</h4>
                {variants(Family::Gru).map(toggle).collect_view()}
            </details>
            <label class="check" title=help(matching)>
                <input type="checkbox" id="ctl-match" prop:checked=move || lab.cfg.with(|c| c.match_params)
                    on:change=move |ev| lab.cfg.update(|c| c.match_params = event_target_checked(&ev))/>
                "Match the LSTM's parameter count"
            </label>
        </fieldset>
    }
}

/// One architecture's toggle: its name, parameter count (and cells, where matching changes
/// them) and one line on what it is.
fn toggle(a: Arch) -> impl IntoView {
    let lab = lab();
    let change = move |ev| {
        let on = event_target_checked(&ev);
        lab.cfg.update(|c| {
            if on && !c.archs.contains(&a) {
                c.archs.push(a);
                c.archs.sort();
            }
            if !on && c.archs.len() > 1 {
                c.archs.retain(|x| *x != a);
            }
        });
    };
    view! {
        <label class="check arch" style=arch_style(a)>
            <input type="checkbox" id=format!("arch-{}", a.name())
                prop:checked=move || lab.cfg.with(|c| c.archs.contains(&a)) on:change=change/>
            {a.upper()}
            <span class="params" id=format!("params-{}", a.name())>
                {move || lab.cfg.with(|c| {
                    let h = c.hidden_for(a, c.cells[0]);
                    let cells = if h != c.cells[0] { format!(", {h} cells") } else { String::new() };
                    format!("{} params{cells}", a.param_count(c.dims(h)))
                })}
            </span>
            <small class="about">{a.about()}</small>
        </label>
    }
}
