#!/usr/bin/env python3
"""Independent reference for the engine's forward pass.

Implements the equations documented for PyTorch's nn.LSTM, nn.GRU and nn.RNN (tanh), with
num_layers = 2 (layer 1 reads layer 0's h), and nn.Linear, in plain Python (float64, no numpy,
no Gatelab code), on fixed weights and B = 3 input sequences, and writes forward.json: per
architecture the model (Gatelab's model-file format), the inputs [B][T][I], every layer's hidden
states [L][B][T][H] and the outputs [B][T][O].
Regenerate with: python3 tests/reference/pytorch_equations.py > tests/reference/forward.json
"""
import json
import math
import random

I, H, O, T, B, L = 3, 4, 2, 6, 3, 2


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def matvec(w, x):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def block(v, k):
    return v[k * H:(k + 1) * H]


def proj(p, l, x, h):
    gi = [a + b for a, b in zip(matvec(p[f"rnn.weight_ih_l{l}"], x), p[f"rnn.bias_ih_l{l}"])]
    gh = [a + b for a, b in zip(matvec(p[f"rnn.weight_hh_l{l}"], h), p[f"rnn.bias_hh_l{l}"])]
    return gi, gh


def lstm_step(p, l, x, h, c):
    gi, gh = proj(p, l, x, h)
    g = [a + b for a, b in zip(gi, gh)]
    i = [sigmoid(v) for v in block(g, 0)]
    f = [sigmoid(v) for v in block(g, 1)]
    gg = [math.tanh(v) for v in block(g, 2)]
    o = [sigmoid(v) for v in block(g, 3)]
    c2 = [fv * cv + iv * gv for fv, cv, iv, gv in zip(f, c, i, gg)]
    return [ov * math.tanh(cv) for ov, cv in zip(o, c2)], c2


def gru_step(p, l, x, h, _c):
    gi, gh = proj(p, l, x, h)
    r = [sigmoid(a + b) for a, b in zip(block(gi, 0), block(gh, 0))]
    z = [sigmoid(a + b) for a, b in zip(block(gi, 1), block(gh, 1))]
    n = [math.tanh(a + rv * b) for a, rv, b in zip(block(gi, 2), r, block(gh, 2))]
    return [(1 - zv) * nv + zv * hv for zv, nv, hv in zip(z, n, h)], None


def rnn_step(p, l, x, h, _c):
    gi, gh = proj(p, l, x, h)
    return [math.tanh(a + b) for a, b in zip(gi, gh)], None


def main():
    rnd = random.Random(1234)
    u = lambda: round(rnd.uniform(-0.8, 0.8), 6)
    xs = [[[u() for _ in range(I)] for _ in range(T)] for _ in range(B)]
    out = {}
    for arch, gates, step in (("lstm", 4, lstm_step), ("gru", 3, gru_step), ("rnn", 1, rnn_step)):
        p = {}
        for l in range(L):
            width = I if l == 0 else H
            p[f"rnn.weight_ih_l{l}"] = [[u() for _ in range(width)] for _ in range(gates * H)]
            p[f"rnn.weight_hh_l{l}"] = [[u() for _ in range(H)] for _ in range(gates * H)]
            p[f"rnn.bias_ih_l{l}"] = [u() for _ in range(gates * H)]
            p[f"rnn.bias_hh_l{l}"] = [u() for _ in range(gates * H)]
        p["readout.weight"] = [[u() for _ in range(H)] for _ in range(O)]
        p["readout.bias"] = [u() for _ in range(O)]
        hs = [[] for _ in range(L)]
        ys = []
        for seq in xs:
            below = seq
            for l in range(L):
                h, c, states = [0.0] * H, [0.0] * H, []
                for x in below:
                    h, c = step(p, l, x, h, c)
                    states.append(h)
                hs[l].append(states)
                below = states
            ys.append([[a + b for a, b in zip(matvec(p["readout.weight"], h), p["readout.bias"])] for h in below])
        model = {"arch": arch, "input_size": I, "hidden_size": H, "output_size": O, "num_layers": L, "state_dict": p}
        out[arch] = {"model": model, "inputs": xs, "h": hs, "output": ys}
    print(json.dumps(out, indent=1))


main()
