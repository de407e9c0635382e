#!/usr/bin/env bash
# The real-Slurm test of `autoparam slurm --submit` (docs/cluster.md).
#
# Starts a one-node Slurm cluster on this machine (munged, slurmctld, slurmd, all as root, with
# every file in a temporary folder and SLURM_CONF pointing at it), submits a tiny experiment
# (4 replicates, 2 per array task, population 4, 3 tournaments, 8 images) with
# `autoparam slurm --submit`, waits for the array and merge jobs, and checks that the merged
# file equals a single-machine run of the same experiment, dataset by dataset
# (Tests/slurm/compare_runs.py; timings and provenance aside). It stops the daemons it started
# (by pid) and removes the folder, also on failure.
#
#   Tests/slurm/test_slurm.sh            # uses $AUTOPARAM_BIN or .build/release/autoparam
#
# Needs root (to install slurm-wlm and munge with apt-get when missing, and to run the daemons)
# and python3 with h5py. Where that is not possible it skips (exit 0) and says why; with CI=true
# it fails instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${AUTOPARAM_BIN:-$ROOT/.build/release/autoparam}
TIMEOUT=${SLURM_TEST_TIMEOUT:-600}
START=$(date +%s)

say() { echo "slurm test: $*"; }
fail() { say "FAIL: $*"; exit 1; }
skip() {
    if [ "${CI:-}" = "true" ]; then fail "$* (CI=true: this test must run)"; fi
    say "SKIP: $*"
    exit 0
}

# ---- prerequisites -----------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "not root: starting slurmctld, slurmd and munged needs root"
[ -x "$BIN" ] || fail "no autoparam binary at $BIN: build it (swift build -c release) or set AUTOPARAM_BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
python3 -c 'import h5py, numpy' 2>/dev/null || skip "python3 with h5py and numpy is needed (python3 -m pip install h5py numpy)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed and there is no apt-get"
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; }; then
        skip "apt-get could not install slurm-wlm and munge"
    fi
fi
say "$(slurmctld -V), $(munged -V 2>&1 | head -1)"

# ---- a one-node cluster in a temporary folder ----------------------------------------------------
T=$(mktemp -d /tmp/autoparam-slurm.XXXXXX)
chmod 700 "$T"
PIDS=()
ARRAY=""
MERGE=""
cleanup() {
    local status=$?
    set +e
    if [ $status -ne 0 ] && [ -d "$T" ]; then
        for log in "$T"/slurmctld.log "$T"/slurmd.log "$T"/munged.log "$T"/jobs/slurm/logs/*; do
            [ -f "$log" ] && { echo "---- $log (last lines)"; tail -n 25 "$log"; }
        done
    fi
    # Cancel the jobs this script submitted (their processes belong to slurmd's slurmstepd),
    # then stop what this script started, newest first, by pid.
    if [ -n "${ARRAY:-}${MERGE:-}" ]; then
        scancel ${ARRAY:-} ${MERGE:-} 2>/dev/null
        for _ in $(seq 100); do [ -z "$(squeue -h -j "${ARRAY:-0},${MERGE:-0}" -o %i 2>/dev/null)" ] && break; sleep 0.1; done
    fi
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$T"
    say "took $(( $(date +%s) - START )) s"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

HOST=$(hostname -s)
CPUS=$(nproc)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done
mkdir -p "$T/state" "$T/spool" "$T/jobs"

# munge: a key of our own, our own socket.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 600 "$T/munge.key"
munged --foreground --force --key-file="$T/munge.key" --socket="$T/munge.socket" \
    --pid-file="$T/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munged.seed" >"$T/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$T/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge.socket" ] || fail "munged did not start"

cat >"$T/slurm.conf" <<EOF
ClusterName=autoparamtest
SlurmctldHost=$HOST
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"

slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N "$HOST" >"$T/slurmd.out" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 120); do
    state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
    [ "$state" = "idle" ] && break
    sleep 0.5
done
[ "$state" = "idle" ] || { cat "$T/slurmctld.out" "$T/slurmd.out"; fail "the node did not become idle (state '$state')"; }
say "one-node cluster up on $HOST ($CPUS CPUs)"

# ---- the experiment, on Slurm and on this machine -------------------------------------------------
cd "$T/jobs"
cp "$ROOT/experiments/quickstart.yaml" experiment.yaml
SETS=(--set ga.population=4 --set ga.tournaments=3 --set dataset.count=8)

"$BIN" slurm experiment.yaml --replicates 4 --per-job 2 --cpus-per-task 1 --time 00:10:00 \
    --output-dir slurm "${SETS[@]}" --submit | tee submit.out
ARRAY=$(awk '$1 == "array" && $2 == "job" { print $3 }' submit.out)
MERGE=$(awk '$1 == "merge" && $2 == "job" { print $3 }' submit.out)
[[ "$ARRAY" =~ ^[0-9]+$ && "$MERGE" =~ ^[0-9]+$ ]] || fail "autoparam slurm --submit printed no job ids"
field() { scontrol show job "$1" | tr ' ' '\n' | awk -F= -v key="$2" '$1 == key { print substr($0, length(key) + 2) }'; }
DEPENDENCY=$(field "$MERGE" Dependency)
case "$DEPENDENCY" in
    afterok:"$ARRAY"\(*|afterok:"$ARRAY"_*|afterok:"$ARRAY") ;;
    "(null)") ;;  # already satisfied; the order of start and end times is checked below
    *) fail "the merge job $MERGE has dependency '$DEPENDENCY', not afterok:$ARRAY" ;;
esac

# Meanwhile the same experiment on this machine.
"$BIN" run experiment.yaml --replicates 4 "${SETS[@]}" --output single.h5 --quiet

# Wait for both jobs to leave the queue.
while [ -n "$(squeue -h -j "$ARRAY,$MERGE" -o %i 2>/dev/null)" ]; do
    (( $(date +%s) - START < TIMEOUT )) || { squeue; fail "jobs still queued after ${TIMEOUT}s"; }
    sleep 1
done
job_states() { field "$1" JobState | sort -u | tr '\n' ' '; }
[ "$(field "$ARRAY" ArrayTaskId | sort | tr '\n' ' ')" = "0 1 " ] || fail "array job $ARRAY does not have tasks 0 and 1"
[ "$(job_states "$ARRAY")" = "COMPLETED " ] || fail "array job $ARRAY ended $(job_states "$ARRAY")"
[ "$(job_states "$MERGE")" = "COMPLETED " ] || fail "merge job $MERGE ended $(job_states "$MERGE")"
LAST_TASK_END=$(field "$ARRAY" EndTime | sort | tail -n 1)
MERGE_START=$(field "$MERGE" StartTime)
[[ ! "$MERGE_START" < "$LAST_TASK_END" ]] || fail "the merge job started ($MERGE_START) before the array ended ($LAST_TASK_END)"
say "array job $ARRAY (tasks 0 and 1) and then merge job $MERGE completed"

for i in 0 1; do [ -f "slurm/parts/quickstart.shard-$i-of-2.h5" ] || fail "no part file of shard $i"; done
[ -f slurm/quickstart.h5 ] || fail "no merged file"
python3 "$ROOT/Tests/slurm/compare_runs.py" single.h5 slurm/quickstart.h5
say "PASS"
