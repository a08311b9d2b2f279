#!/usr/bin/env python3
"""The peer of a Gatelab sweep's wall time: the README's example sweep in PyTorch on the CPU.

The adding problem, len 50, cells 8/16/32, lr 0.003/0.01, LSTM and GRU, 10 seeds, 1500 steps:
120 runs with Gatelab's shapes and work. Each run draws a fresh batch of 32 sequences per step
(x: [T, B, 2], a value and a marker, one marker in each half, the target their sum), trains
nn.LSTM / nn.GRU with a linear readout at the last step, MSE, gradient-norm clipping at 1 and
Adam, and, as Gatelab does, records 100 times: the mean training loss since the last record and
the loss on a fixed validation set and a fixed test set (256 sequences each, in batches of 32).
One process per core, each with one thread (`torch.set_num_threads(1)`), as Gatelab runs one
single-threaded run per core. Prints one JSON line: runs, processes, seconds, the median final
validation loss of each architecture (a sanity check that the runs learn), the PyTorch version.
PyTorch is never needed by the build or the tests: `make bench` runs this when BENCH_PYTHON
names a Python with torch.
"""
import json
import os
import sys
import time
from multiprocessing import Pool
from statistics import median

import torch
from torch import nn

T, B, EVAL, STEPS, RECORDS = 50, 32, 256, 1500, 100
GRID = [(arch, cells, lr, seed)
        for arch in ("lstm", "gru") for cells in (8, 16, 32) for lr in (0.003, 0.01) for seed in range(1, 11)]


def adding(n, g):
    """x: [T, n, 2] (value ~ U(0,1), marker), y: [n, 1] the sum of the two marked values."""
    x = torch.zeros(T, n, 2)
    x[:, :, 0] = torch.rand(T, n, generator=g)
    first = torch.randint(0, T // 2, (n,), generator=g)
    second = torch.randint(T // 2, T, (n,), generator=g)
    rows = torch.arange(n)
    x[first, rows, 1] = 1.0
    x[second, rows, 1] = 1.0
    y = (x[first, rows, 0] + x[second, rows, 0]).unsqueeze(1)
    return x, y


def run(job):
    arch, cells, lr, seed = job
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    rnn = (nn.LSTM if arch == "lstm" else nn.GRU)(2, cells)
    readout = nn.Linear(cells, 1)
    params = list(rnn.parameters()) + list(readout.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    val, test = adding(EVAL, g), adding(EVAL, g)

    def loss_on(x, y):
        h, _ = rnn(x)
        return ((readout(h[-1]) - y) ** 2).mean()

    def evaluate(xy):
        with torch.no_grad():
            return sum(loss_on(xy[0][:, i:i + B], xy[1][i:i + B]).item() for i in range(0, EVAL, B)) * B / EVAL

    every, total, count, records = STEPS // RECORDS, 0.0, 0, []
    for step in range(1, STEPS + 1):
        x, y = adding(B, g)
        opt.zero_grad()
        loss = loss_on(x, y)
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        total, count = total + loss.item(), count + 1
        if step % every == 0 or step == STEPS:
            records.append((total / count, evaluate(val), evaluate(test)))
            total, count = 0.0, 0
    return arch, records[-1][1]


def main():
    procs = int(sys.argv[1]) if len(sys.argv) > 1 else os.cpu_count()
    start = time.perf_counter()
    with Pool(procs) as pool:
        results = pool.map(run, GRID, chunksize=1)
    seconds = time.perf_counter() - start
    final = {a: median(v for arch, v in results if arch == a) for a in ("lstm", "gru")}
    print(json.dumps({"runs": len(GRID), "processes": procs, "seconds": seconds,
                      "median_final_val_loss": final, "peer": f"pytorch {torch.__version__}"}), flush=True)


if __name__ == "__main__":
    main()
