#!/usr/bin/env bash
# The cluster recipe on a real scheduler: starts a single-node SLURM on this machine (Debian's
# slurm-wlm and munge, as root: a fresh munge.key, a slurm.conf with this host as controller and
# only node, munged, slurmctld, slurmd), submits a sweep, a search and a two-cell atlas exactly
# as the README says (deploy/slurm-submit.sh, with a smaller --array and resources), waits,
# checks each merged result equals the one-machine run but for timings (and the machine), and
# stops what it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/target/release:$PATH"
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

DIR=$(mktemp -d /tmp/gatelab-slurm.XXXXXX)
chmod 755 "$DIR"
HOST=$(hostname -s)
PIDS=()
stop() {
  for p in "${PIDS[@]}"; do sudo_ kill "$(cat "$p" 2>/dev/null)" 2>/dev/null || true; done
  sleep 1
}
trap stop EXIT

# munge: a key of this run's own, its own socket and pid file.
mkdir -p "$DIR/munge"
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1 count=1024 status=none
chmod 700 "$DIR/munge"; chmod 400 "$DIR/munge/munge.key"
sudo_ munged --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" \
  --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed"
PIDS+=("$DIR/munge/munged.pid")

CPUS=$(nproc)
MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > "$DIR/slurm.conf" <<CONF
ClusterName=gatelab
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17817 + RANDOM % 1000 ))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
mkdir -p "$DIR/state" "$DIR/spool"
export SLURM_CONF="$DIR/slurm.conf"
sudo_ env SLURM_CONF="$SLURM_CONF" slurmctld -i
PIDS+=("$DIR/slurmctld.pid")
sudo_ env SLURM_CONF="$SLURM_CONF" slurmd
PIDS+=("$DIR/slurmd.pid")
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then break; fi
  sleep 1
done
sinfo -h -o "%P %D %T %c" >&2
echo "SLURM $(sinfo --version | cut -d' ' -f2) up on $HOST with $CPUS CPUs" >&2

# One round trip: the README's command, waiting for its last merge, then the comparison.
run() {
  local name=$1 query=$2 file=$3
  local out="$DIR/$name"
  mkdir -p "$out"
  local last
  last=$(OUT="$out" deploy/slurm-submit.sh --array=1-3 --cpus-per-task=1 --mem=1G "$query")
  for _ in $(seq 1 600); do
    local waiting
    waiting=$(squeue -h -o %r 2>/dev/null || true)
    if [ -z "$waiting" ]; then break; fi
    # A failed stage leaves the next ones waiting for ever.
    if echo "$waiting" | grep -q DependencyNeverSatisfied; then break; fi
    sleep 1
  done
  if [ ! -f "$out/merged/$file" ]; then
    echo "slurm: no $file for $name" >&2
    tail -n 20 "$out"/*.out "$DIR"/slurmctld.log >&2 || true
    exit 1
  fi
  local whole="$DIR/$name-whole"
  gatelab "$4" "$query" --out "$whole" --threads 2 > /dev/null 2>&1
  python3 - "$out/merged/$file" "$whole/$file" <<'PY'
import json, sys
def untimed(v):
    if isinstance(v, dict):
        return {k: untimed(x) for k, x in v.items() if k not in ("seconds", "machine")}
    if isinstance(v, list):
        return [untimed(x) for x in v]
    return v
a, b = (untimed(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    sys.exit(f"the cluster's {sys.argv[1]} differs from the one-machine {sys.argv[2]}")
PY
  echo "slurm: $name merged on the cluster equals the one-machine $file (but for timing)" >&2
}

run sweep "task=parity&len=6&cells=2,4,8&lr=0.01,0.03&archs=lstm,gru&seeds=2&confirm=2&steps=40" sweep.json sweep
run search "task=parity&len=6&lr=0.001..0.1&cells=2..16&archs=lstm,gru&trials=6&halving=2&seeds=2&confirm=2&steps=40" search.json search
run atlas "atlas:id=parity-5-1k,anbn-5-1k" atlas.json atlas
