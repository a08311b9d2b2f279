#!/usr/bin/env bash
# `make bench`: every benchmark in one run, side by side, as a Markdown table: Gatelab natively
# and in Chromium, TF.js (wasm) in the same Chromium, PyTorch (CPU, one thread) when
# BENCH_PYTHON names a Python with torch. Then the sweep and compare-view throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
# The CPU, named by its microarchitecture too (cloud CPUs often say only "AMD EPYC").
fam=$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)
model=$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)
vendor=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -1)
case "$vendor/$fam" in
  GenuineIntel/6) case "$model" in
      85) arch="Intel Skylake-SP / Cascade Lake" ;; 106) arch="Intel Ice Lake-SP" ;;
      143) arch="Intel Sapphire Rapids" ;; 207) arch="Intel Emerald Rapids" ;; 173) arch="Intel Granite Rapids" ;;
      *) arch="Intel" ;;
    esac ;;
  */23) arch="Zen / Zen 2" ;;
  */25) if [ "$model" -lt 16 ] || { [ "$model" -ge 32 ] && [ "$model" -lt 96 ]; }; then arch="Zen 3"; else arch="Zen 4"; fi ;;
  */26) arch="Zen 5" ;;
  *) arch="family $fam" ;;
esac
avx512=$(grep -q avx512f /proc/cpuinfo && echo ", AVX-512" || echo "")
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1) ($arch: family $fam model $model$avx512), $(nproc) cores"
out=$(mktemp -d)
if [ ! -d bench/node_modules/@tensorflow/tfjs-backend-wasm ]; then (cd bench && npm ci --no-audit --no-fund); fi
target/release/gatelab bench --json > "$out/native.jsonl"
node e2e/bench-browser.js > "$out/chromium.jsonl"
node e2e/bench-browser.js --tfjs > "$out/tfjs.jsonl"
if [ -n "${BENCH_PYTHON:-}" ]; then "$BENCH_PYTHON" -W ignore bench/pytorch_bench.py > "$out/pytorch.jsonl"; fi
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
def rows(name):
    p = os.path.join(d, name)
    return {(r["arch"], r["hidden"]): r for r in map(json.loads, open(p)) if "arch" in r} if os.path.exists(p) else {}
nat, chr_, tfj, pt = rows("native.jsonl"), rows("chromium.jsonl"), rows("tfjs.jsonl"), rows("pytorch.jsonl")
def cell(t, k, f="steps_per_s"):
    return f"{t[k][f]:.1f}" if k in t else "–"
def ratio(a, b, k):
    return f"{a[k]['steps_per_s'] / b[k]['steps_per_s']:.2f}x" if k in a and k in b else "–"
head = next(r for r in map(json.loads, open(os.path.join(d, "native.jsonl"))) if "peak_gflops" in r)
peak, fused = head["peak_gflops"], head.get("fused_peak_gflops")
print(f"This core's peak for exact arithmetic (separate f32 multiplies and adds, one thread): {peak:.1f} GFLOP/s")
print(f"and for fused multiply-adds (--fast): {fused:.1f} GFLOP/s ({fused / peak:.2f}x)\n" if fused else "and no fused multiply-add on this CPU: no --fast column\n")
def fast(k, f):
    r = nat.get(k, {})
    return f(r) if r.get("fast_steps_per_s") else "–"
print("| cell | H | exact steps/s | GFLOP/s | of peak | fast steps/s | fast / exact | PyTorch steps/s | exact / PyTorch | fast / PyTorch | Chromium steps/s | GFLOP/s | TF.js steps/s | Chromium / TF.js |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for k in sorted(nat, key=lambda k: (k[0] != "lstm", k[1])):
    fs = fast(k, lambda r: f"{r['fast_steps_per_s']:.1f}")
    fe = fast(k, lambda r: f"{r['fast_steps_per_s'] / r['steps_per_s']:.2f}x")
    fp = fast(k, lambda r: f"{r['fast_steps_per_s'] / pt[k]['steps_per_s']:.2f}x" if k in pt else "–")
    print(f"| {k[0].upper()} | {k[1]} | {cell(nat, k)} | {cell(nat, k, 'gflops')} | {100 * nat[k]['gflops'] / peak:.0f}% | {fs} | {fe} | {cell(pt, k)} | {ratio(nat, pt, k)} | {fp} "
          f"| {cell(chr_, k)} | {cell(chr_, k, 'gflops')} | {cell(tfj, k)} | {ratio(chr_, tfj, k)} |")
peers = {r.get("peer") for t in (tfj, pt) for r in t.values()}
print(f"\npeers: {', '.join(sorted(p for p in peers if p))}")
PY

# Time to a verdict: the README's example sweep (120 runs, confirm=0) natively on every core, in
# the page on as many workers, and in PyTorch with one process per core.
SWEEP="task=adding&len=50&cells=8,16,32&lr=0.003,0.01&archs=lstm,gru&seeds=10&steps=1500&confirm=0"
start=$(date +%s.%N)
target/release/gatelab sweep "$SWEEP" --out "$out/sweep" > /dev/null 2>&1
end=$(date +%s.%N)
echo "{\"seconds\": $(echo "$end - $start" | bc)}" > "$out/native-sweep.json"
if grep -qw fma /proc/cpuinfo; then
  start=$(date +%s.%N)
  target/release/gatelab sweep "$SWEEP" --out "$out/sweep-fast" --fast > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "{\"seconds\": $(echo "$end - $start" | bc)}" > "$out/native-fast-sweep.json"
fi
node e2e/bench-sweep.js "$SWEEP" > "$out/page-sweep.jsonl"
if [ -n "${BENCH_PYTHON:-}" ]; then "$BENCH_PYTHON" -W ignore bench/pytorch_sweep.py > "$out/pytorch-sweep.jsonl"; fi
python3 - "$out" "$SWEEP" <<'PY'
import json, os, sys
d, q = sys.argv[1], sys.argv[2]
def one(name):
    p = os.path.join(d, name)
    return json.loads(open(p).read().splitlines()[0]) if os.path.exists(p) else None
nat, page, pt = one("native-sweep.json"), one("page-sweep.jsonl"), one("pytorch-sweep.jsonl")
fast = one("native-fast-sweep.json")
cores = os.cpu_count()
print(f"\nTime to a verdict: `{q}` (120 runs) on {cores} cores\n")
print("| | wall time | native Gatelab is |")
print("|---|---:|---:|")
print(f"| Gatelab native, {cores} threads | {nat['seconds']:.1f} s | |")
if fast:
    print(f"| Gatelab native --fast, {cores} threads | {fast['seconds']:.1f} s | {fast['seconds'] / nat['seconds']:.2f}x the time |")
if page:
    print(f"| Gatelab in {page['browser']}, {page['workers']} workers | {page['seconds']:.1f} s | {page['seconds'] / nat['seconds']:.2f}x faster |")
if pt:
    print(f"| {pt['peer']}, {pt['processes']} processes of 1 thread | {pt['seconds']:.1f} s | {pt['seconds'] / nat['seconds']:.2f}x faster |")
PY

target/release/gatelab bench --sweep
node e2e/bench-browser.js --compare
