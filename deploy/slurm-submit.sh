#!/bin/bash
# Submits a Gatelab sweep or search to SLURM, stage by stage: each stage an array job of
# deploy/slurm.sh, then a merge that waits for it; the next stage waits for that merge. Options
# before the query go to every array job (resources, the array's size); what follows the query
# (--data FILE, --fast) goes to every shard.
#   deploy/slurm-submit.sh [SBATCH OPTIONS] "<query>" [--data FILE]...
# Prints the last merge's job id; the results are in $OUT/merged (sweep.json or search.json).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OPTS=()
while [ $# -gt 0 ] && [[ $1 == --* ]]; do OPTS+=("$1"); shift; done
QUERY=${1:?usage: deploy/slurm-submit.sh [SBATCH OPTIONS] "<query>" [--data FILE]...}
shift
OUT=${OUT:-$HOME/gatelab-runs/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
PLAN=$(gatelab stages "$QUERY")
STAGES=$(echo "$PLAN" | sed -n '1s/ .*//p')
DEP=()
for STAGE in $(seq 1 "$STAGES"); do
  JID=$(sbatch --parsable "${DEP[@]}" "${OPTS[@]}" --output="$OUT/slurm-%A_%a.out" \
    "$HERE/slurm.sh" "$QUERY" "$STAGE" "$OUT" "$@")
  MID=$(sbatch --parsable --dependency=afterok:"$JID" --output="$OUT/merge-$STAGE.out" \
    --wrap "gatelab merge $OUT/shard-* --out $OUT/merged")
  DEP=(--dependency=afterok:"$MID")
done
echo "$MID"
