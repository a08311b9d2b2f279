#!/bin/bash
# A Gatelab sweep split into shards on one machine with GNU parallel (one single-threaded shard
# per core), then merged: the same sweep.csv and sweep.json as `gatelab sweep` alone, except
# the timing column. Usage: deploy/parallel.sh "<query>" [OUT]
set -euo pipefail
QUERY=${1:?usage: deploy/parallel.sh "<query>" [OUT]}
OUT=${2:-out/sweep}
N=$(nproc)
seq 1 "$N" | parallel --halt now,fail=1 gatelab sweep "'$QUERY'" --shard {}/"$N" --out "$OUT/shard-{}" --threads 1
gatelab merge "$OUT"/shard-* --out "$OUT"
