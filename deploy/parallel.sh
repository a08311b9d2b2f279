#!/bin/bash
# A Gatelab sweep or search split into shards on one machine with GNU parallel (one
# single-threaded shard per core), stage by stage, each stage merged before the next: the same
# sweep.json (or search.json) as the command alone, except the timing column.
# Usage: deploy/parallel.sh "<query>" [OUT]
set -euo pipefail
QUERY=${1:?usage: deploy/parallel.sh "<query>" [OUT]}
OUT=${2:-out/run}
N=$(nproc)
PLAN=$(gatelab stages "$QUERY")
read -r STAGES CMD <<< "$(echo "$PLAN" | sed -n 1p)"
for STAGE in $(seq 1 "$STAGES"); do
  FROM=""
  if [ "$STAGE" -gt 1 ]; then FROM="--from $OUT/merged"; fi
  seq 1 "$N" | parallel --halt now,fail=1 gatelab "$CMD" "'$QUERY'" --shard {}/"$N" --stage "$STAGE" $FROM \
    --out "$OUT/shard-{}" --threads 1
  gatelab merge "$OUT"/shard-* --out "$OUT/merged"
done
