//! The Gate lab view (`#gatelab`): every cell the engine knows as a small diagram marking what
//! its variant removed, changed or added against its base cell, its equations and its paper;
//! and the ablation searches (Greff et al.'s design), which open in the Search view.

use super::{arch_style, lab, View};
use crate::nn::lstm::{CIFG, FGR, NO_CACT, NO_F, NO_GACT, NO_I, NO_O, PEEP};
use crate::nn::{Arch, Cell, Family};
use leptos::prelude::*;

/// The ablation searches the README reports: the LSTM and its eight variants, an equal-budget
/// search of the learning rate and cells each, every best confirmed on 10 fresh seeds.
pub const ABLATIONS: [(&str, &str); 3] = [
    ("Adding (memory, len 25)", "task=adding&len=25"),
    ("aⁿbⁿ (counting)", "task=anbn"),
    ("Dyck, 2 bracket pairs (a stack)", "task=dyck&pairs=2"),
];

/// The query of one ablation search on `task` (a task and its settings).
pub fn ablation_query(task: &str) -> String {
    let variants: Vec<&str> = Arch::ALL
        .iter()
        .filter(|a| a.base() == Arch::Lstm && a.cell() != Cell::MinLstm)
        .map(|a| a.name())
        .collect();
    format!(
        "{task}&archs={}&lr=1e-3..0.1&cells=8..24&trials=8&halving=2&seeds=2&confirm=10&steps=1200&seed=1",
        variants.join(",")
    )
}

/// How a part of a cell stands against its base cell.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Kept,
    Removed,
    Changed,
    Added,
}

impl Mark {
    fn class(self) -> &'static str {
        match self {
            Mark::Kept => "kept",
            Mark::Removed => "removed",
            Mark::Changed => "changed",
            Mark::Added => "added",
        }
    }
}

/// One part of a cell: a gate, the state update or the output activation.
struct Part {
    name: &'static str,
    text: &'static str,
    mark: Mark,
}

fn part(name: &'static str, text: &'static str, mark: Mark) -> Part {
    Part { name, text, mark }
}

/// A cell as the diagram draws it: its gates, its state update, its output, and the wires.
struct Shape {
    gates: Vec<Part>,
    state: Part,
    output: Part,
    /// The gates read h_{t-1} (not for the minimal cells: marked removed).
    recurrent: Mark,
    peepholes: bool,
    gate_recurrence: bool,
}

fn shape(a: Arch) -> Shape {
    let kept = |on: bool, yes: Mark| if on { yes } else { Mark::Kept };
    let base = Shape {
        gates: Vec::new(),
        state: part("state", "", Mark::Kept),
        output: part("h'", "is the state", Mark::Kept),
        recurrent: Mark::Kept,
        peepholes: false,
        gate_recurrence: false,
    };
    match a.cell() {
        Cell::Lstm(v) => {
            let has = |f: u8| v & f != 0;
            let forget = if has(CIFG) {
                part("f", "1 − i", Mark::Changed)
            } else if has(NO_F) {
                part("f", "= 1", Mark::Removed)
            } else {
                part("f", "σ", kept(has(PEEP), Mark::Changed))
            };
            Shape {
                gates: vec![
                    if has(NO_I) {
                        part("i", "= 1", Mark::Removed)
                    } else {
                        part("i", "σ", kept(has(PEEP), Mark::Changed))
                    },
                    forget,
                    if has(NO_GACT) {
                        part("g", "linear", Mark::Changed)
                    } else {
                        part("g", "tanh", Mark::Kept)
                    },
                    if has(NO_O) {
                        part("o", "= 1", Mark::Removed)
                    } else {
                        part("o", "σ", kept(has(PEEP), Mark::Changed))
                    },
                ],
                state: part("c'", "f ⊙ c + i ⊙ g", Mark::Kept),
                output: if has(NO_CACT) {
                    part("h'", "o ⊙ c'", Mark::Removed)
                } else {
                    part("h'", "o ⊙ tanh c'", Mark::Kept)
                },
                peepholes: has(PEEP),
                gate_recurrence: has(FGR),
                ..base
            }
        }
        Cell::MinLstm => Shape {
            gates: vec![
                part("f", "σ", Mark::Changed),
                part("i", "σ", Mark::Changed),
                part("n", "linear", Mark::Changed),
                part("o", "none", Mark::Removed),
            ],
            state: part("h'", "f⊙h + i⊙n, over f + i", Mark::Changed),
            output: part("h'", "no c, no tanh", Mark::Removed),
            recurrent: Mark::Removed,
            ..base
        },
        Cell::Gru => Shape {
            gates: vec![
                part("r", "σ", Mark::Kept),
                part("z", "σ", Mark::Kept),
                part("n", "tanh", Mark::Kept),
            ],
            state: part("h'", "(1 − z) ⊙ n + z ⊙ h", Mark::Kept),
            ..base
        },
        Cell::Mgu => Shape {
            gates: vec![
                part("r", "is f", Mark::Removed),
                part("f", "σ", Mark::Changed),
                part("n", "tanh(f⊙h ..)", Mark::Changed),
            ],
            state: part("h'", "(1 − f) ⊙ h + f ⊙ n", Mark::Kept),
            ..base
        },
        Cell::MinGru => Shape {
            gates: vec![
                part("r", "none", Mark::Removed),
                part("z", "σ", Mark::Changed),
                part("n", "linear", Mark::Changed),
            ],
            state: part("h'", "(1 − z) ⊙ h + z ⊙ n", Mark::Kept),
            recurrent: Mark::Removed,
            ..base
        },
        Cell::Rnn => Shape {
            gates: vec![part("h", "tanh", Mark::Kept)],
            state: part("h'", "tanh(W x + W h + b)", Mark::Kept),
            ..base
        },
    }
}

/// The diagram: inputs on the left feed the gates (top row), which feed the state update and
/// the output (bottom row); removed parts dashed and struck through, changed and added ones in
/// the accent colour.
fn diagram(a: Arch) -> impl IntoView {
    let s = shape(a);
    let (w, gap, top, low) = (74.0, 8.0, 22.0, 94.0);
    let x0 = 58.0;
    let gx = |k: usize| x0 + k as f64 * (w + gap);
    let chip = |x: f64, y: f64, width: f64, p: &Part| {
        let class = format!("part {}", p.mark.class());
        view! {
            <g class=class>
                <rect x=x y=y width=width height="36" rx="6"/>
                <text x=x + width / 2.0 y=y + 15.0 class="name">{p.name}</text>
                <text x=x + width / 2.0 y=y + 30.0 class="sub">{p.text}</text>
            </g>
        }
    };
    let n = s.gates.len();
    // Every diagram has the LSTM's width, so all draw at one scale.
    // The bottom row spans at least three gates' width, so its formulas fit.
    let (right, width) = (gx(n.max(3)) - gap, gx(4) - gap + 4.0);
    let wires: Vec<_> = (0..n)
        .map(|k| {
            let x = gx(k) + w / 2.0;
            view! { <line class=format!("wire {}", s.gates[k].mark.class()) x1=x y1=top + 36.0 x2=x y2=low/> }
        })
        .collect();
    let inputs = format!("wire {}", s.recurrent.class());
    let state_w = (right - x0) * 0.58;
    let label = if s.recurrent == Mark::Removed { "x only" } else { "x, h" };
    let added = format!("wire {}", Mark::Added.class());
    view! {
        <svg class="cell-diagram" viewBox=format!("0 0 {width} 134") role="img"
            aria-label=format!("{} diagram", a.upper())>
            <text x="4" y=top + 22.0 class="io">{label}</text>
            <line class=inputs x1="40" y1=top + 18.0 x2=x0 y2=top + 18.0/>
            {wires}
            {s.gates.iter().enumerate().map(|(k, p)| chip(gx(k), top, w, p)).collect_view()}
            {chip(x0, low, state_w, &s.state)}
            {chip(x0 + state_w + gap, low, right - x0 - state_w - gap, &s.output)}
            {s.peepholes.then(|| view! {
                <path class=added.clone() d=format!("M{} {low} C {} 70, {} 70, {} {}", x0 + 20.0, x0 + 20.0, gx(3) + 20.0, gx(3) + 20.0, top + 36.0)/>
                <text x=gx(1) + w + gap / 2.0 y="80" class="note">"peepholes: c → i, f, o"</text>
            })}
            {s.gate_recurrence.then(|| view! {
                <path class=added.clone() d=format!("M{} {top} C {} 2, {} 2, {} {top}", gx(3) + w / 2.0, gx(3) + w / 2.0, gx(0) + w / 2.0, gx(0) + w / 2.0)/>
                <text x=gx(1) + w + gap / 2.0 y="80" class="note">"W_gg: i, f, o of t−1 → i, f, o"</text>
            })}
        </svg>
    }
}

/// The cell's equations, as the engine computes them (pre_k = W_ik x + b_ik + W_hk h + b_hk).
fn equations(a: Arch) -> String {
    match a.cell() {
        Cell::Lstm(v) => {
            let has = |f: u8| v & f != 0;
            let gate = |k: &str, peep: &str| {
                if has(PEEP) {
                    format!("{k} = σ(pre_{k} + p_{k} ⊙ {peep})")
                } else {
                    format!("{k} = σ(pre_{k})")
                }
            };
            let mut lines = vec!["pre_k = W_ik x + b_ik + W_hk h + b_hk".to_string()];
            if has(FGR) {
                lines.push("pre_k += W_gk [i; f; o]ₜ₋₁  (k = i, f, o)".into());
            }
            lines.push(if has(NO_I) { "i = 1".into() } else { gate("i", "c") });
            lines.push(if has(CIFG) {
                "f = 1 − i".into()
            } else if has(NO_F) {
                "f = 1".into()
            } else {
                gate("f", "c")
            });
            lines.push(if has(NO_GACT) { "g = pre_g".into() } else { "g = tanh(pre_g)".into() });
            lines.push("c' = f ⊙ c + i ⊙ g".into());
            lines.push(if has(NO_O) { "o = 1".into() } else { gate("o", "c'") });
            lines.push(if has(NO_CACT) { "h' = o ⊙ c'".into() } else { "h' = o ⊙ tanh(c')".into() });
            lines.join("\n")
        }
        Cell::Gru => "r = σ(W_ir x + b_ir + W_hr h + b_hr)\nz = σ(W_iz x + b_iz + W_hz h + b_hz)\n\
                      n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))\nh' = (1 − z) ⊙ n + z ⊙ h"
            .into(),
        Cell::Mgu => "f = σ(W_if x + b_if + W_hf h + b_hf)\nn = tanh(W_in x + b_in + W_hn (f ⊙ h) + b_hn)\n\
                      h' = (1 − f) ⊙ h + f ⊙ n"
            .into(),
        Cell::MinGru => "z = σ(W_iz x + b_iz)\nn = W_in x + b_in\nh' = (1 − z) ⊙ h + z ⊙ n".into(),
        Cell::MinLstm => "f = σ(W_if x + b_if)\ni = σ(W_ii x + b_ii)\nn = W_in x + b_in\n\
                          h' = f / (f + i) ⊙ h + i / (f + i) ⊙ n"
            .into(),
        Cell::Rnn => "h' = tanh(W_ih x + b_ih + W_hh h + b_hh)".into(),
    }
}

/// Parameters of one layer of H units on I inputs, as a formula.
fn params(a: Arch) -> String {
    let g = a.gates();
    let own = match a.extra() {
        Some(crate::nn::Extra::Peepholes) => " + 3·H",
        Some(crate::nn::Extra::GateRecurrence) => " + 9·H²",
        None => "",
    };
    if a.recurrent_gates() > 0 {
        format!("{g}·H·(I + H + 2){own} parameters per layer")
    } else {
        format!("{g}·H·(I + 1) parameters per layer: no weight_hh")
    }
}

/// Why PyTorch's three cells work as they do (the variants' one line says what they change).
fn story(a: Arch) -> Option<&'static str> {
    match a {
        Arch::Lstm => Some(
            "The cell state c is a conveyor belt: the forget gate f decides what stays, the input gate i what \
             new content g is written, the output gate o what is shown. Because c is updated by addition, \
             gradients can flow through many steps; starting f's bias at +1 keeps the belt running early in \
             training.",
        ),
        Arch::Gru => Some(
            "One state instead of two: the update gate z interpolates between keeping h and taking the \
             candidate n; the reset gate r decides how much of h the candidate sees. No output gate, so a \
             quarter fewer parameters than an LSTM of the same width, and less work per step.",
        ),
        Arch::Rnn => Some(
            "No gates: every step multiplies the gradient by W_hh and tanh', so it shrinks (or explodes) \
             geometrically with distance: the vanishing gradient that gates were invented to fix.",
        ),
        _ => None,
    }
}

fn card(a: Arch) -> impl IntoView {
    let lab = lab();
    let compare = move |_| {
        lab.cfg.update(|c| {
            c.archs = if a == a.base() { Arch::BASE.to_vec() } else { vec![a.base(), a] };
            c.archs.sort();
        });
        lab.view.set(View::Compare);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    let with = if a == a.base() {
        "Compare PyTorch's three".to_string()
    } else {
        format!("Compare with {}", a.base().upper())
    };
    view! {
        <article class="cell-card" style=arch_style(a) data-arch=a.name()>
            <h3>{a.upper()}<code>{a.name()}</code></h3>
            <p class="about">{a.about()}</p>
            {diagram(a)}
            <pre>{equations(a)}</pre>
            {story(a).map(|s| view! { <p class="story">{s}</p> })}
            <p class="hint">{params(a)}</p>
            <button class="secondary" on:click=compare>{with}</button>
        </article>
    }
}

#[component]
pub fn CellsView() -> impl IntoView {
    let lab = lab();
    let sweep = expect_context::<super::sweep::SweepState>();
    let family = |f: Family| Arch::ALL.into_iter().filter(move |a| a.family() == f).map(card).collect_view();
    let run = move |task: &'static str| {
        move |_| {
            lab.follow(&format!("{}#search", ablation_query(task)));
            sweep.autorun.set(true);
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    view! {
        <section class="panel gatelab" id="gatelab">
            <h2>"Gate lab: take the cells apart"</h2>
            <p>"When the LSTM beats the GRU, which part of it does it? Each cell below changes one part of \
                PyTorch's LSTM or GRU. Its diagram marks what it "<span class="mark removed">"removed"</span>", "
                <span class="mark changed">"changed"</span>" or "<span class="mark added">"added"</span>
                "; every cell trains here and on the command line with the same bits. Weights use PyTorch's \
                layout (weight_ih [G·H, I], weight_hh [G·H, H], two biases, and a variant's own tensor), so an \
                exported LSTM, GRU or RNN loads into nn.LSTM / nn.GRU / nn.RNN unchanged, and every export \
                brings a PyTorch script written from these equations."</p>
            <h3 class="family">"LSTM family"</h3>
            <div class="cell-cards">{family(Family::Lstm)}</div>
            <h3 class="family">"GRU family"</h3>
            <div class="cell-cards">{family(Family::Gru)}</div>
            <h3 class="family">"Plain"</h3>
            <div class="cell-cards">{family(Family::Plain)}</div>
        </section>
        <section class="panel" id="ablations">
            <h2>"Ablation, as Greff et al. (2017) did it"</h2>
            <p>"Each search gives the LSTM and its eight variants the same budget: 8 trials of learning rate \
                (1e-3 to 0.1) and cells (8 to 24) on 2 seeds, halving to the best, then each one's best trained \
                again on 10 fresh seeds. The Search view then shows each variant's validation loss against the \
                LSTM's on those seeds. About 15 minutes each on two cores."</p>
            <div class="buttons">
                {ABLATIONS.map(|(label, task)| view! {
                    <button class="secondary ablation-run" on:click=run(task)>{label}</button>
                }).collect_view()}
            </div>
        </section>
    }
}
