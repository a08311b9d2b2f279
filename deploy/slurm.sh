#!/bin/bash
# One stage of a Gatelab sweep or search as a SLURM array job: one array task per shard.
# deploy/slurm-submit.sh submits every stage this way, each after the merge of the one before.
#   sbatch --array=1-8 deploy/slurm.sh "<query>" STAGE OUT [--data FILE]...
# Each shard appends its finished runs to OUT/shard-K/runs.jsonl, so a task that is killed and
# requeued skips what it already finished; a later stage reads the merge of the earlier ones
# from OUT/merged.
#SBATCH --job-name=gatelab
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail

QUERY=${1:?usage: sbatch deploy/slurm.sh "<query>" STAGE OUT [--data FILE]...}
STAGE=${2:?the stage, from 1}
OUT=${3:?the results folder}
shift 3
PLAN=$(gatelab stages "$QUERY")
CMD=$(echo "$PLAN" | sed -n '1s/.* //p')
FROM=()
if [ "$STAGE" -gt 1 ]; then FROM=(--from "$OUT/merged"); fi

gatelab "$CMD" "$QUERY" --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --stage "$STAGE" "${FROM[@]}" \
  --out "$OUT/shard-$SLURM_ARRAY_TASK_ID" --threads "${SLURM_CPUS_PER_TASK:-1}" "$@"
