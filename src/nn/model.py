"""Rebuilds a Gatelab network in PyTorch, loads its weights and prints its output for an input.

    python model.py           # the output for a fixed input of 5 steps
    python model.py x.json    # the output for x.json, a [T][I] array, as `gatelab probe --input x.json`

The cell is __ARCH__ (__ABOUT__), __LAYERS__ layer(s) of __HIDDEN__ cells, then a readout at
every step. PyTorch's own cells (lstm, gru, rnn) are nn.LSTM / nn.GRU / nn.RNN; the others are
written out below from Gatelab's equations, with the same tensor names.
"""
import json
import os
import sys

import torch
from torch import nn

ARCH, BLOCKS = "__ARCH__", "__BLOCKS__"
I, H, O, L = __INPUT__, __HIDDEN__, __OUTPUT__, __LAYERS__
WEIGHTS = "__JSON__"  # relative to this script's folder


class Cells(nn.Module):
    """L stacked layers of one of Gatelab's cells that PyTorch does not have built in."""

    def __init__(self):
        super().__init__()
        g = len(BLOCKS) * H
        recurrent = ARCH not in ("mingru", "minlstm")
        for k in range(L):
            width = I if k == 0 else H
            self.register_parameter(f"weight_ih_l{k}", nn.Parameter(torch.zeros(g, width)))
            if recurrent:
                self.register_parameter(f"weight_hh_l{k}", nn.Parameter(torch.zeros(g, H)))
            self.register_parameter(f"bias_ih_l{k}", nn.Parameter(torch.zeros(g)))
            if recurrent:
                self.register_parameter(f"bias_hh_l{k}", nn.Parameter(torch.zeros(g)))
            if ARCH == "lstm-ph":
                self.register_parameter(f"weight_ph_l{k}", nn.Parameter(torch.zeros(3 * H)))
            if ARCH == "lstm-fgr":
                self.register_parameter(f"weight_gg_l{k}", nn.Parameter(torch.zeros(3 * H, 3 * H)))

    def forward(self, x):  # x: [T, B, I] -> the top layer's h: [T, B, H]
        for k in range(L):
            x = self.layer(k, x)
        return x, None

    def layer(self, k, xs):
        p = {n[: -len(f"_l{k}")]: t for n, t in self.named_parameters() if n.endswith(f"_l{k}")}
        zero = torch.zeros(xs.shape[1], H)
        h, c, gates = zero, zero, torch.zeros(xs.shape[1], 3 * H)
        out = []
        for x in xs:
            if ARCH.startswith("lstm"):
                h, c, gates = lstm_step(p, x, h, c, gates)
            else:
                h = step(p, x, h)
            out.append(h)
        return torch.stack(out)


def split(pre):
    """The gate blocks of a pre-activation, by their letters."""
    return dict(zip(BLOCKS, pre.chunk(len(BLOCKS), dim=-1)))


def lstm_step(p, x, h, c, gates):
    """PyTorch's LSTM equations, with the one line the variant changes."""
    a = split(x @ p["weight_ih"].T + p["bias_ih"] + h @ p["weight_hh"].T + p["bias_hh"])
    if ARCH == "lstm-fgr":  # the gates also see the last step's gates
        r = (gates @ p["weight_gg"].T).chunk(3, dim=-1)
        a["i"], a["f"], a["o"] = a["i"] + r[0], a["f"] + r[1], a["o"] + r[2]
    ph = p["weight_ph"].chunk(3) if ARCH == "lstm-ph" else (0, 0, 0)
    one = torch.ones_like(c)
    i = torch.sigmoid(a["i"] + ph[0] * c) if "i" in a else one
    if ARCH == "lstm-cifg":
        f = 1 - i
    else:
        f = torch.sigmoid(a["f"] + ph[1] * c) if "f" in a else one
    g = a["g"] if ARCH == "lstm-niaf" else torch.tanh(a["g"])
    c = f * c + i * g
    o = torch.sigmoid(a["o"] + ph[2] * c) if "o" in a else one
    h = o * (c if ARCH == "lstm-noaf" else torch.tanh(c))
    return h, c, torch.cat([i, f, o], dim=-1)


def step(p, x, h):
    """MGU, minGRU and minLSTM."""
    a = split(x @ p["weight_ih"].T + p["bias_ih"])
    if ARCH == "mgu":
        w_hf, w_hn = p["weight_hh"].chunk(2)
        b_hf, b_hn = p["bias_hh"].chunk(2)
        f = torch.sigmoid(a["f"] + h @ w_hf.T + b_hf)
        n = torch.tanh(a["n"] + (f * h) @ w_hn.T + b_hn)
        return (1 - f) * h + f * n
    if ARCH == "mingru":
        z = torch.sigmoid(a["z"])
        return (1 - z) * h + z * a["n"]
    f, i = torch.sigmoid(a["f"]), torch.sigmoid(a["i"])  # minlstm
    return f / (f + i) * h + i / (f + i) * a["n"]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        builtin = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}.get(ARCH)
        self.rnn = builtin(I, H, num_layers=L) if builtin else Cells()
        self.readout = nn.Linear(H, O)

    def forward(self, x):  # x: [T, B, I] -> [T, B, O], a readout at every step
        h, _ = self.rnn(x)
        return self.readout(h)


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, WEIGHTS)) as f:
    saved = json.load(f)
net = Net()
net.load_state_dict({k: torch.tensor(v) for k, v in saved["state_dict"].items()})
if len(sys.argv) > 1:
    with open(sys.argv[1]) as f:
        x = torch.tensor(json.load(f), dtype=torch.float32)
else:
    x = torch.sin(torch.arange(5 * I, dtype=torch.float32)).reshape(5, I)
with torch.no_grad():
    y = net(x.unsqueeze(1))[:, 0]
print(json.dumps({"output": y.tolist()}))
