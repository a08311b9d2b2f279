#!/usr/bin/env python3
"""The peer of `gatelab bench`: PyTorch on the CPU, one thread, the same training step.

LSTM and GRU (nn.LSTM / nn.GRU), I = 8, B = 32, T = 50, a linear readout at the last step,
MSE, gradient-norm clipping at 1, Adam: timed for about a second per row after a warm-up.
Prints one JSON line per row with the keys of `gatelab bench --json`. PyTorch is never needed
by the build or the tests: `make bench` runs this only when a Python with torch is given
(BENCH_PYTHON, e.g. a venv made with `python3 -m venv v && v/bin/pip install torch`).
"""
import json
import time

import torch
from torch import nn

I, B, T = 8, 32, 50
torch.set_num_threads(1)
torch.manual_seed(1)

for arch, cls, gates in (("lstm", nn.LSTM, 4), ("gru", nn.GRU, 3)):
    for hidden in (8, 32, 128, 256):
        rnn, readout = cls(I, hidden), nn.Linear(hidden, 1)
        params = list(rnn.parameters()) + list(readout.parameters())
        opt = torch.optim.Adam(params, lr=1e-3)
        x, y = torch.rand(T, B, I) * 2 - 1, torch.full((B, 1), 0.5)

        def step():
            opt.zero_grad()
            h, _ = rnn(x)
            loss = ((readout(h[-1]) - y) ** 2).mean()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()

        for _ in range(3):
            step()
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 1.0 or n < 3:
            step()
            n += 1
        sps = n / (time.perf_counter() - start)
        flop = 3 * 2 * gates * hidden * (I + hidden) * B * T
        print(json.dumps({"arch": arch, "hidden": hidden, "batch": B, "len": T, "steps_per_s": sps,
                          "gflops": sps * flop / 1e9, "peer": f"pytorch {torch.__version__}"}), flush=True)
