#!/usr/bin/env python3
"""By hand, never in the tests: compare Gatelab with real PyTorch on stacked layers.

Trains nothing: loads forward.json's 2-layer models into nn.LSTM / nn.GRU / nn.RNN(num_layers=2)
plus nn.Linear, runs its 3 input sequences, and prints the largest difference from the
expected outputs and hidden states (which tests/reference_forward.rs checks Gatelab against).
Also exports a model through `gatelab train` and compares `gatelab probe` with PyTorch.
Usage: v/bin/python tests/reference/check_with_pytorch.py   (v: a venv with torch)
"""
import json
import os
import subprocess
import tempfile

import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
gatelab = os.path.join(root, "target", "release", "gatelab")


def build(m):
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[m["arch"]]
    rnn = cls(m["input_size"], m["hidden_size"], num_layers=m.get("num_layers", 1))
    readout = nn.Linear(m["hidden_size"], m["output_size"])
    state = {k: torch.tensor(v, dtype=torch.float64) for k, v in m["state_dict"].items()}
    rnn.double().load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})
    readout.double().load_state_dict({k[8:]: v for k, v in state.items() if k.startswith("readout.")})
    return rnn, readout


def layer_states(rnn, x):
    """h of every layer: run the stack one layer at a time with the same weights."""
    out, below = [], x
    for l in range(rnn.num_layers):
        single = type(rnn)(below.shape[-1], rnn.hidden_size).double()
        single.load_state_dict({k.replace(f"_l{l}", "_l0"): v for k, v in rnn.state_dict().items() if k.endswith(f"_l{l}")})
        below, _ = single(below)
        out.append(below)
    return out


worst = 0.0
ref = json.load(open(os.path.join(here, "forward.json")))
for arch, case in ref.items():
    rnn, readout = build(case["model"])
    for s, seq in enumerate(case["inputs"]):
        x = torch.tensor(seq, dtype=torch.float64).unsqueeze(1)
        h, _ = rnn(x)
        y = readout(h).squeeze(1)
        worst = max(worst, (y - torch.tensor(case["output"][s])).abs().max().item())
        for l, hl in enumerate(layer_states(rnn, x)):
            worst = max(worst, (hl.squeeze(1) - torch.tensor(case["h"][l][s])).abs().max().item())
print(f"forward.json against PyTorch (float64): largest difference {worst:.2e}")

with tempfile.TemporaryDirectory() as d:
    q = "task=sine&len=20&cells=8&layers=3&archs=lstm,gru,rnn&steps=30&seeds=1"
    subprocess.run([gatelab, "train", q, "--out", d], check=True, capture_output=True)
    for arch in ("lstm", "gru", "rnn"):
        model = os.path.join(d, arch, "seed1", "model.json")
        m = json.load(open(model))
        xs = [[0.3 * ((t * 7) % 5 - 2)] for t in range(20)]
        inp = os.path.join(d, f"{arch}-x.json")
        json.dump(xs, open(inp, "w"))
        probe = json.loads(subprocess.run([gatelab, "probe", "--model", model, "--input", inp], check=True, capture_output=True).stdout)
        rnn, readout = build(m)
        x = torch.tensor(xs, dtype=torch.float64).unsqueeze(1)
        h, _ = rnn(x)
        diff = (readout(h).squeeze(1) - torch.tensor(probe["output"])).abs().max().item()
        for l, hl in enumerate(layer_states(rnn, x)):
            diff = max(diff, (hl.squeeze(1) - torch.tensor(probe["layers"][l]["h"])).abs().max().item())
        print(f"gatelab probe of a trained 3-layer {arch} against PyTorch: largest difference {diff:.2e}")
