#!/usr/bin/env bash
# `make bench`: every benchmark in one run, side by side, as a Markdown table: Gatelab natively
# and in Chromium, TF.js (wasm) in the same Chromium, PyTorch (CPU, one thread) when
# BENCH_PYTHON names a Python with torch. Then the sweep and compare-view throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
if [ ! -d bench/node_modules/@tensorflow/tfjs-backend-wasm ]; then (cd bench && npm ci --no-audit --no-fund); fi
target/release/gatelab bench --json > "$out/native.jsonl"
node e2e/bench-browser.js > "$out/chromium.jsonl"
node e2e/bench-browser.js --tfjs > "$out/tfjs.jsonl"
if [ -n "${BENCH_PYTHON:-}" ]; then "$BENCH_PYTHON" bench/pytorch_bench.py > "$out/pytorch.jsonl"; fi
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
def rows(name):
    p = os.path.join(d, name)
    return {(r["arch"], r["hidden"]): r for r in map(json.loads, open(p))} if os.path.exists(p) else {}
nat, chr_, tfj, pt = rows("native.jsonl"), rows("chromium.jsonl"), rows("tfjs.jsonl"), rows("pytorch.jsonl")
def cell(t, k, f="steps_per_s"):
    return f"{t[k][f]:.1f}" if k in t else "–"
def ratio(a, b, k):
    return f"{a[k]['steps_per_s'] / b[k]['steps_per_s']:.2f}x" if k in a and k in b else "–"
print("| cell | H | native steps/s | GFLOP/s | PyTorch steps/s | native / PyTorch | Chromium steps/s | GFLOP/s | TF.js steps/s | Chromium / TF.js |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for k in sorted(nat, key=lambda k: (k[0] != "lstm", k[1])):
    print(f"| {k[0].upper()} | {k[1]} | {cell(nat, k)} | {cell(nat, k, 'gflops')} | {cell(pt, k)} | {ratio(nat, pt, k)} "
          f"| {cell(chr_, k)} | {cell(chr_, k, 'gflops')} | {cell(tfj, k)} | {ratio(chr_, tfj, k)} |")
peers = {r.get("peer") for t in (tfj, pt) for r in t.values()}
print(f"\npeers: {', '.join(sorted(p for p in peers if p))}")
PY
target/release/gatelab bench --sweep
node e2e/bench-sweep.js
node e2e/bench-browser.js --compare
