#!/bin/bash
# A Gatelab sweep as a SLURM array job: one array task per shard. Submit it, then a merge that
# waits for every shard:
#   jid=$(sbatch --parsable deploy/slurm.sh)
#   sbatch --dependency=afterok:$jid --wrap "gatelab merge $HOME/gatelab-sweeps/$jid/shard-* --out $HOME/gatelab-sweeps/$jid/merged"
# Each shard appends its finished runs to its folder's runs.jsonl, so a task that is killed and
# requeued skips what it already finished.
#SBATCH --job-name=gatelab-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail

QUERY=${QUERY:-"task=adding&len=20,50,100&cells=8,16,32,64&lr=0.003,0.01,0.03&archs=lstm,gru&seeds=10&steps=3000"}
OUT=${OUT:-$HOME/gatelab-sweeps/$SLURM_ARRAY_JOB_ID}

gatelab sweep "$QUERY" --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --out "$OUT/shard-$SLURM_ARRAY_TASK_ID" --threads "$SLURM_CPUS_PER_TASK"
