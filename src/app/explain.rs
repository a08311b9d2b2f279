//! The equations of each cell, exactly as the engine (and PyTorch) computes them.

use leptos::prelude::*;

#[component]
pub fn Explain() -> impl IntoView {
    view! {
        <details class="panel explain" id="explain">
            <summary><h2>"How the cells work"</h2></summary>
            <div class="cells">
                <div>
                    <h3>"LSTM"</h3>
                    <pre>"i = σ(W_ii x + b_ii + W_hi h + b_hi)\nf = σ(W_if x + b_if + W_hf h + b_hf)\ng = tanh(W_ig x + b_ig + W_hg h + b_hg)\no = σ(W_io x + b_io + W_ho h + b_ho)\nc' = f ⊙ c + i ⊙ g\nh' = o ⊙ tanh(c')"</pre>
                    <p>"The cell state c is a conveyor belt: the forget gate f decides what stays, the input gate i \
                        what new content g is written, the output gate o what is shown. Because c is updated by addition, \
                        gradients can flow through many steps; starting f's bias at +1 keeps the belt running early in training. \
                        4 gate blocks: 4·H·(I + H + 2) parameters."</p>
                </div>
                <div>
                    <h3>"GRU"</h3>
                    <pre>"r = σ(W_ir x + b_ir + W_hr h + b_hr)\nz = σ(W_iz x + b_iz + W_hz h + b_hz)\nn = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))\nh' = (1 − z) ⊙ n + z ⊙ h"</pre>
                    <p>"One state instead of two: the update gate z interpolates between keeping h and taking the \
                        candidate n; the reset gate r decides how much of h the candidate sees. No separate output gate, \
                        so a GRU has 3 gate blocks: a quarter fewer parameters than an LSTM of the same width, and less work per step."</p>
                </div>
                <div>
                    <h3>"RNN"</h3>
                    <pre>"h' = tanh(W_ih x + b_ih + W_hh h + b_hh)"</pre>
                    <p>"No gates: every step multiplies the gradient by W_hh and tanh', so it shrinks (or explodes) \
                        geometrically with distance — the vanishing gradient that gates were invented to fix."</p>
                </div>
            </div>
            <p class="hint">"Weights use PyTorch's layout (weight_ih [G·H, I], weight_hh [G·H, H], two biases), \
                so an exported model loads into nn.LSTM / nn.GRU / nn.RNN unchanged."</p>
        </details>
    }
}
