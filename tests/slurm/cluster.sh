#!/usr/bin/env bash
# A one-node Slurm cluster on this machine for the length of one command
# (docs/cluster.md):
#   bash tests/slurm/cluster.sh COMMAND [ARGS...]
# starts munged with a generated key, slurmctld and slurmd with a generated
# slurm.conf (one node with this machine's cores and memory, one partition,
# daemons bound to 127.0.0.1 on free ports, every file under a temporary
# directory), waits for the node to be idle, runs COMMAND with SLURM_CONF
# pointing at the cluster, then cancels what is left of its jobs and stops
# every daemon it started, whatever way it ends (trap). Exits with COMMAND's
# status. Needs root (slurmd starts jobs as their users) and the Debian
# packages munge, slurmctld, slurmd and slurm-client (make deps).
set -u
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
for t in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
  command -v "$t" > /dev/null || { echo "cluster: $t not found (make deps installs munge, slurmctld, slurmd, slurm-client)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "cluster: slurmd must run as root" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/tessera-slurm.XXXXXX") || exit 1
chmod 700 "$T"
NODE=tessera-node PART=tessera
pids=()   # the daemons this script started, stopped in reverse order
log() { echo "cluster: $*"; }

stop() {
  local rc=$? p t_down=$SECONDS
  trap - EXIT INT TERM
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$T/slurmctld.up" ]; then
    # Jobs first (their steps outlive slurmd), then the daemons.
    if [ -n "$(squeue -h -o %i 2> /dev/null)" ]; then
      log "cancelling the jobs still queued or running"
      scancel --partition "$PART" 2> /dev/null
      for _ in $(seq 30); do [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break; sleep 1; done
    fi
  fi
  for ((p = ${#pids[@]} - 1; p >= 0; p--)); do
    kill -TERM "${pids[$p]}" 2> /dev/null
    for _ in $(seq 50); do kill -0 "${pids[$p]}" 2> /dev/null || break; sleep 0.2; done
    kill -KILL "${pids[$p]}" 2> /dev/null
    wait "${pids[$p]}" 2> /dev/null
  done
  # A job step (or a job's process) that outlived everything: the cluster's
  # SLURM_CONF is in its environment.
  for p in $(grep -lszFx "SLURM_CONF=$T/slurm.conf" /proc/[0-9]*/environ); do
    p=${p#/proc/} && p=${p%%/*}
    [ "$p" != $$ ] && kill -KILL "$p" 2> /dev/null && log "killed leftover process $p"
  done
  if [ "$rc" -ne 0 ] && [ -f "$T/slurmctld.log" ]; then
    log "exit $rc; the end of the daemons' logs:"
    tail -n 15 "$T/munged.log" "$T/slurmctld.log" "$T/slurmd.log" 2> /dev/null | sed 's/^/    /'
  fi
  rm -rf "$T"
  log "down in $((SECONDS - t_down)) s (${#pids[@]} daemons stopped, $T removed) after $((t_down - ${t_up:-0})) s up"
  exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # a TCP port nobody listens on, above the ephemeral range
  local p
  while :; do
    p=$((61000 + RANDOM % 4000))
    ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
}
wait_for() { # seconds, what, test command...
  local n=$(( $1 * 5 )) what=$2; shift 2
  for _ in $(seq "$n"); do "$@" > /dev/null 2>&1 && return 0; sleep 0.2; done
  log "timed out waiting for $what"
  return 1
}

# munged: a fresh key, its socket and state in $T.
mkdir -m 700 "$T/munge"
mungekey --create --keyfile "$T/munge/munge.key" > /dev/null 2>&1 \
  || dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2> /dev/null
chmod 600 "$T/munge/munge.key"
munged --foreground --force --key-file "$T/munge/munge.key" --socket "$T/munge/munge.socket" \
  --pid-file "$T/munge/munged.pid" --seed-file "$T/munge/munged.seed" \
  --log-file "$T/munged.log" > /dev/null 2>&1 &
pids+=($!)
wait_for 10 munged test -S "$T/munge/munge.socket" || exit 1

# slurm.conf: this machine's CPUs and memory as slurmd sees them.
hw=$(slurmd -C | head -1)
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<< "$hw")
mem=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<< "$hw")
[ -n "$cpus" ] && [ -n "$mem" ] || { log "cannot read CPUs and memory from slurmd -C: $hw"; exit 1; }
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
mkdir -m 700 "$T/state" "$T/spool"
cat > "$T/slurm.conf" << EOF
# Written by tests/slurm/cluster.sh for one command; removed when it ends.
ClusterName=tessera
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=3600
MaxArraySize=100001
DefMemPerCPU=1024
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
KillWait=5
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=100000,bf_interval=1
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$(hostname -s) CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=$PART Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" > "$T/slurmctld.out" 2>&1 &
pids+=($!)
wait_for 30 slurmctld scontrol ping || exit 1
touch "$T/slurmctld.up"
slurmd -D -N "$NODE" -f "$SLURM_CONF" > "$T/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { [ "$(sinfo -h -n "$NODE" -o %T)" = idle ]; }
wait_for 60 "node $NODE to be idle" node_idle || exit 1
log "up in $SECONDS s: node $NODE ($cpus CPUs, $mem MB) idle in partition $PART;" \
  "slurmctld on 127.0.0.1:$ctld_port, slurmd on 127.0.0.1:$slurmd_port, state in $T"
t_up=$SECONDS

SLURM_PARTITION=$PART "$@"
