#!/usr/bin/env python3
"""Independent reference for the engine's forward pass.

Implements the equations documented for PyTorch's nn.LSTM, nn.GRU and nn.RNN (tanh), and those
of the gate lab's cells as the papers give them (Greff et al. 2017's LSTM variants, Zhou et al.
2016's MGU, Feng et al. 2024's minGRU and minLSTM), with num_layers = 2 (layer 1 reads layer 0's
h), and nn.Linear, in plain Python (float64, no numpy, no Gatelab code), on fixed weights and
B = 3 input sequences, and writes forward.json: per architecture the model (Gatelab's model-file
format), the inputs [B][T][I], every layer's hidden states [L][B][T][H] and the outputs [B][T][O].
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


def add(*vs):
    return [sum(t) for t in zip(*vs)]


def mul(a, b):
    return [x * y for x, y in zip(a, b)]


def lstm_variant(variant):
    """An LSTM step with one of Greff et al.'s changes ("" for PyTorch's LSTM)."""
    names = {"nig": "fgo", "nfg": "igo", "nog": "ifg", "cifg": "igo"}.get(variant, "ifgo")

    def step(p, l, x, s):
        h, c = s["h"], s["c"]
        pre = add(matvec(p[f"rnn.weight_ih_l{l}"], x), p[f"rnn.bias_ih_l{l}"],
                  matvec(p[f"rnn.weight_hh_l{l}"], h), p[f"rnn.bias_hh_l{l}"])
        a = {name: block(pre, k) for k, name in enumerate(names)}
        if variant == "fgr":
            r = matvec(p[f"rnn.weight_gg_l{l}"], s["gates"])
            a["i"], a["f"], a["o"] = add(a["i"], r[:H]), add(a["f"], r[H:2 * H]), add(a["o"], r[2 * H:])
        peep = p[f"rnn.weight_ph_l{l}"] if variant == "ph" else [0.0] * (3 * H)
        ones = [1.0] * H
        i = [sigmoid(v) for v in add(a["i"], mul(peep[:H], c))] if "i" in a else ones
        if variant == "cifg":
            f = [1 - v for v in i]
        else:
            f = [sigmoid(v) for v in add(a["f"], mul(peep[H:2 * H], c))] if "f" in a else ones
        g = a["g"] if variant == "niaf" else [math.tanh(v) for v in a["g"]]
        c2 = add(mul(f, c), mul(i, g))
        o = [sigmoid(v) for v in add(a["o"], mul(peep[2 * H:], c2))] if "o" in a else ones
        out = c2 if variant == "noaf" else [math.tanh(v) for v in c2]
        return {"h": mul(o, out), "c": c2, "gates": i + f + o}

    return step


def gru_step(p, l, x, s):
    h = s["h"]
    gi, gh = proj(p, l, x, h)
    r = [sigmoid(a + b) for a, b in zip(block(gi, 0), block(gh, 0))]
    z = [sigmoid(a + b) for a, b in zip(block(gi, 1), block(gh, 1))]
    n = [math.tanh(a + rv * b) for a, rv, b in zip(block(gi, 2), r, block(gh, 2))]
    return {"h": [(1 - zv) * nv + zv * hv for zv, nv, hv in zip(z, n, h)]}


def mgu_step(p, l, x, s):
    h = s["h"]
    gi = add(matvec(p[f"rnn.weight_ih_l{l}"], x), p[f"rnn.bias_ih_l{l}"])
    w, b = p[f"rnn.weight_hh_l{l}"], p[f"rnn.bias_hh_l{l}"]
    f = [sigmoid(v) for v in add(block(gi, 0), matvec(w[:H], h), b[:H])]
    n = [math.tanh(v) for v in add(block(gi, 1), matvec(w[H:], mul(f, h)), b[H:])]
    return {"h": [(1 - fv) * hv + fv * nv for fv, hv, nv in zip(f, h, n)]}


def mingru_step(p, l, x, s):
    gi = add(matvec(p[f"rnn.weight_ih_l{l}"], x), p[f"rnn.bias_ih_l{l}"])
    z, n = [sigmoid(v) for v in block(gi, 0)], block(gi, 1)
    return {"h": [(1 - zv) * hv + zv * nv for zv, hv, nv in zip(z, s["h"], n)]}


def minlstm_step(p, l, x, s):
    gi = add(matvec(p[f"rnn.weight_ih_l{l}"], x), p[f"rnn.bias_ih_l{l}"])
    f, i, n = [sigmoid(v) for v in block(gi, 0)], [sigmoid(v) for v in block(gi, 1)], block(gi, 2)
    return {"h": [fv / (fv + iv) * hv + iv / (fv + iv) * nv for fv, iv, hv, nv in zip(f, i, s["h"], n)]}


def rnn_step(p, l, x, s):
    gi, gh = proj(p, l, x, s["h"])
    return {"h": [math.tanh(a + b) for a, b in zip(gi, gh)]}


# (arch, gate blocks, has weight_hh, extra tensor, step)
CELLS = [("lstm", 4, True, None, lstm_variant("")), ("gru", 3, True, None, gru_step),
         ("rnn", 1, True, None, rnn_step)] + [
    (f"lstm-{v}", 3 if v in ("nig", "nfg", "nog", "cifg") else 4, True,
     {"ph": "ph", "fgr": "gg"}.get(v), lstm_variant(v))
    for v in ("ph", "nig", "nfg", "nog", "niaf", "noaf", "cifg", "fgr")] + [
    ("mgu", 2, True, None, mgu_step), ("mingru", 2, False, None, mingru_step),
    ("minlstm", 3, False, None, minlstm_step)]


def main():
    rnd = random.Random(1234)
    u = lambda: round(rnd.uniform(-0.8, 0.8), 6)
    xs = [[[u() for _ in range(I)] for _ in range(T)] for _ in range(B)]
    out = {}
    for arch, gates, recurrent, extra, step in CELLS:
        p = {}
        for l in range(L):
            width = I if l == 0 else H
            p[f"rnn.weight_ih_l{l}"] = [[u() for _ in range(width)] for _ in range(gates * H)]
            if recurrent:
                p[f"rnn.weight_hh_l{l}"] = [[u() for _ in range(H)] for _ in range(gates * H)]
            p[f"rnn.bias_ih_l{l}"] = [u() for _ in range(gates * H)]
            if recurrent:
                p[f"rnn.bias_hh_l{l}"] = [u() for _ in range(gates * H)]
            if extra == "ph":
                p[f"rnn.weight_ph_l{l}"] = [u() for _ in range(3 * H)]
            if extra == "gg":
                p[f"rnn.weight_gg_l{l}"] = [[u() for _ in range(3 * H)] for _ in range(3 * H)]
        p["readout.weight"] = [[u() for _ in range(H)] for _ in range(O)]
        p["readout.bias"] = [u() for _ in range(O)]
        hs = [[] for _ in range(L)]
        ys = []
        for seq in xs:
            below = seq
            for l in range(L):
                s, states = {"h": [0.0] * H, "c": [0.0] * H, "gates": [0.0] * (3 * H)}, []
                for x in below:
                    s = step(p, l, x, s)
                    states.append(s["h"])
                hs[l].append(states)
                below = states
            ys.append([[a + b for a, b in zip(matvec(p["readout.weight"], h), p["readout.bias"])] for h in below])
        model = {"arch": arch, "input_size": I, "hidden_size": H, "output_size": O, "num_layers": L, "state_dict": p}
        out[arch] = {"model": model, "inputs": xs, "h": hs, "output": ys}
    print(json.dumps(out, indent=1))


main()
