#!/usr/bin/env python3
"""Independent reference for the engine's forward pass.

Implements the equations documented for PyTorch's nn.LSTM, nn.GRU and nn.RNN (tanh) and
nn.Linear in plain Python (float64, no numpy, no Gatelab code), on fixed weights and inputs,
and writes forward.json: per architecture the model (Gatelab's model-file format), the input
sequence [T][I] and the expected hidden states [T][H] and outputs [T][O].
Regenerate with: python3 tests/reference/pytorch_equations.py > tests/reference/forward.json
"""
import json
import math
import random

I, H, O, T = 3, 4, 2, 6


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def matvec(w, x):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def block(v, k):
    return v[k * H:(k + 1) * H]


def lstm_step(p, x, h, c):
    gi = [a + b for a, b in zip(matvec(p["rnn.weight_ih_l0"], x), p["rnn.bias_ih_l0"])]
    gh = [a + b for a, b in zip(matvec(p["rnn.weight_hh_l0"], h), p["rnn.bias_hh_l0"])]
    g = [a + b for a, b in zip(gi, gh)]
    i = [sigmoid(v) for v in block(g, 0)]
    f = [sigmoid(v) for v in block(g, 1)]
    gg = [math.tanh(v) for v in block(g, 2)]
    o = [sigmoid(v) for v in block(g, 3)]
    c2 = [fv * cv + iv * gv for fv, cv, iv, gv in zip(f, c, i, gg)]
    return [ov * math.tanh(cv) for ov, cv in zip(o, c2)], c2


def gru_step(p, x, h, _c):
    gi = [a + b for a, b in zip(matvec(p["rnn.weight_ih_l0"], x), p["rnn.bias_ih_l0"])]
    gh = [a + b for a, b in zip(matvec(p["rnn.weight_hh_l0"], h), p["rnn.bias_hh_l0"])]
    r = [sigmoid(a + b) for a, b in zip(block(gi, 0), block(gh, 0))]
    z = [sigmoid(a + b) for a, b in zip(block(gi, 1), block(gh, 1))]
    n = [math.tanh(a + rv * b) for a, rv, b in zip(block(gi, 2), r, block(gh, 2))]
    return [(1 - zv) * nv + zv * hv for zv, nv, hv in zip(z, n, h)], None


def rnn_step(p, x, h, _c):
    gi = matvec(p["rnn.weight_ih_l0"], x)
    gh = matvec(p["rnn.weight_hh_l0"], h)
    return [math.tanh(a + b + c + d) for a, b, c, d in
            zip(gi, p["rnn.bias_ih_l0"], gh, p["rnn.bias_hh_l0"])], None


def main():
    rnd = random.Random(1234)
    u = lambda: round(rnd.uniform(-0.8, 0.8), 6)
    xs = [[u() for _ in range(I)] for _ in range(T)]
    out = {}
    for arch, gates, step in (("lstm", 4, lstm_step), ("gru", 3, gru_step), ("rnn", 1, rnn_step)):
        p = {
            "rnn.weight_ih_l0": [[u() for _ in range(I)] for _ in range(gates * H)],
            "rnn.weight_hh_l0": [[u() for _ in range(H)] for _ in range(gates * H)],
            "rnn.bias_ih_l0": [u() for _ in range(gates * H)],
            "rnn.bias_hh_l0": [u() for _ in range(gates * H)],
            "readout.weight": [[u() for _ in range(H)] for _ in range(O)],
            "readout.bias": [u() for _ in range(O)],
        }
        h, c, hs, ys = [0.0] * H, [0.0] * H, [], []
        for x in xs:
            h, c = step(p, x, h, c)
            hs.append(h)
            ys.append([a + b for a, b in zip(matvec(p["readout.weight"], h), p["readout.bias"])])
        model = {"arch": arch, "input_size": I, "hidden_size": H, "output_size": O, "state_dict": p}
        out[arch] = {"model": model, "input": xs, "h": hs, "output": ys}
    print(json.dumps(out, indent=1))


main()
