#!/bin/bash
# Runs a Gatelab sweep or search on Kubernetes stage by stage: each stage one Indexed Job
# (deploy/k8s-job.yaml, the query set in its QUERY), then a merge inside a pod that mounts the
# results volume (MERGE_POD, e.g. a long-running `sleep infinity` pod with the gatelab image).
#   MERGE_POD=gatelab-shell deploy/k8s-submit.sh
# The results are in /results/merged (sweep.json or search.json) on the volume.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
POD=${MERGE_POD:?MERGE_POD: a pod that mounts the results volume at /results}
QUERY=$(sed -n '/name: QUERY/{n;s/.*value: "\(.*\)"/\1/p}' "$HERE/k8s-job.yaml")
STAGES=$(kubectl exec "$POD" -- gatelab stages "$QUERY" | sed -n '1s/ .*//p')
for STAGE in $(seq 1 "$STAGES"); do
  sed "s/@STAGE@/$STAGE/g" "$HERE/k8s-job.yaml" | kubectl apply -f -
  kubectl wait --for=condition=complete --timeout=24h "job/gatelab-stage-$STAGE"
  kubectl exec "$POD" -- sh -c "gatelab merge /results/shard-* --out /results/merged"
done
