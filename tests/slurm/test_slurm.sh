#!/usr/bin/env bash
# make test-slurm (docs/cluster.md): the regression and a sweep on a real,
# one-node Slurm cluster (tests/slurm/cluster.sh), against the local engine.
#   1. tests/slurm/regress.list (die compute and mesh traffic, one case
#      planted to fail) with the local engine;
#   2. in a test cluster: the same list as one job array (ENGINE=slurm): every
#      task's state, the planted failure reported with its Slurm job, the
#      report and the per-class summary equal to the local engine's;
#   3. the planted case resubmitted alone and cancelled while pending: reported
#      as died (CANCELLED), not as a pass; then resubmitted alone again: the
#      report equal to the local engine's once more;
#   4. a sweep in 4 shards as a job array, merged: byte for byte the
#      unsharded sweep's points.csv, pareto.csv and pareto.gp.
#   bash tests/slurm/test_slurm.sh BUILD
set -u
B=${1:-build}
T=$B/test-slurm
LIST=tests/slurm/regress.list
tessera=$B/bin/tessera
status=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
export TEST_SLURM_T0=${TEST_SLURM_T0:-$(date +%s)}
phase() { echo "== $* (at $(($(date +%s) - TEST_SLURM_T0)) s)"; }
# A report without what differs between runs and engines: the elapsed time,
# the Slurm job of a failure and its resubmit command.
comparable() { sed -E 's/, "elapsed_s": [0-9]+//; s/, "slurm_job": [^}]*\}/}/' "$1"; }
summary() { sed -n '/^cases  *class/,/^err:/p' "$1"; }
SWEEP="configs/hecaton-die.json --model bert-large --dies 4,16,64 --package standard,advanced --dataflow ws,os"

if [ "${1:-}" != --in-cluster ]; then
  rm -rf "$T" && mkdir -p "$T"
  phase "local engine: $LIST"
  REGRESS_OUT=$T/local ENGINE=local bash tests/regress.sh "$B" "$LIST" > "$T/local.txt" 2>&1
  echo "exit $? (1 expected: the planted failure)"
  grep -E '^(FAIL|regress:)' "$T/local.txt"
  phase "the same on a one-node Slurm cluster"
  bash tests/slurm/cluster.sh bash "$0" --in-cluster "$B" || status=1
  echo "test-slurm: $(($(date +%s) - TEST_SLURM_T0)) s"
  exit $status
fi

# ---- inside the test cluster (SLURM_CONF set by cluster.sh) ----
B=$2 T=$B/test-slurm tessera=$B/bin/tessera
run_slurm() { # NAME [VAR=VALUE...]: ENGINE=slurm into $T/slurm, output in $T/NAME.txt and here
  local name=$1; shift
  env "$@" ENGINE=slurm REGRESS_OUT="$T/slurm" REGRESS_POLL=1 bash tests/regress.sh "$B" "$LIST" 2>&1 \
    | tee "$T/$name.txt"
  return "${PIPESTATUS[0]}"
}
phase "the list as one job array"
run_slurm slurm
rc=$?
n=$(grep -c '' < <(grep -v '^ *#' "$LIST" | grep -v '^ *$'))
check "slurm engine: exit 1 (the planted failure)" "[ $rc -eq 1 ]"
check "slurm engine: one job array of $n tasks submitted" \
  "grep -q 'regress: submitted job array [0-9]*: $n tasks' $T/slurm.txt"
check "slurm engine: every task's state, $((n - 1)) passed, the planted one failed" \
  "[ \$(grep -c '^  task [0-9]*_[0-9]* (case [0-9]*: .*) COMPLETED: pass' $T/slurm.txt) -eq $((n - 1)) ] && \
   grep -q '^  task [0-9]*_$((n - 1)) (case $n: .*) COMPLETED: fail (exit 1)' $T/slurm.txt"
check "slurm engine: the failure with its rerun command and Slurm job" \
  "grep -q '^FAIL case $n: default 1 --uncontended tests/mesh/lengths.mesh (exit 1)' $T/slurm.txt && \
   grep -q '^    rerun: $B/mesh/default/tessera-mesh ' $T/slurm.txt && \
   grep -q '^    Slurm job [0-9]*_$((n - 1)), log .*REGRESS_RESUBMIT=$n' $T/slurm.txt && \
   grep -q '\"slurm_job\": \"[0-9]*_$((n - 1))\"' $T/slurm/report.json"
check "slurm engine: report.json equal to the local engine's (but for elapsed time and Slurm job)" \
  "diff <(comparable $T/local/report.json) <(comparable $T/slurm/report.json)"
check "slurm engine: the per-class summary equal to the local engine's" \
  "summary $T/local.txt > $T/local.sum && summary $T/slurm.txt > $T/slurm.sum && \
   [ \$(wc -l < $T/slurm.sum) -gt 5 ] && cmp $T/local.sum $T/slurm.sum"

phase "case $n resubmitted alone, held, and cancelled before it runs"
first=$(cat "$T/slurm/slurm/job")
( for _ in $(seq 300); do
    j=$(cat "$T/slurm/slurm/job" 2> /dev/null)
    if [ -n "$j" ] && [ "$j" != "$first" ]; then echo "scancel $j"; scancel "$j"; exit; fi
    sleep 0.2
  done ) &
run_slurm cancelled REGRESS_RESUBMIT=$n REGRESS_SBATCH_ARGS=--begin=now+3600
rc=$?
wait
check "cancelled task: exit 1, reported DIED with its Slurm state, counted failed, never passed" \
  "[ $rc -eq 1 ] && grep -q '^  task [0-9]*_$((n - 1)) (case $n: .*) CANCELLED: died' $T/cancelled.txt && \
   grep -q '^DIED case $n: .*(Slurm task CANCELLED' $T/cancelled.txt && \
   grep -q '\"failed\": 1, \"died\": 1' $T/slurm/report.json && \
   grep -q '\"result\": \"died CANCELLED\"' $T/slurm/report.json && \
   grep -q '^regress: $((n - 1)) passed, 1 failed (1 died)' $T/cancelled.txt"
phase "case $n resubmitted alone again"
run_slurm resubmitted REGRESS_RESUBMIT=$n
rc=$?
check "resubmitted alone: one task, exit 1, the report equal to the local engine's again" \
  "[ $rc -eq 1 ] && grep -q 'submitted job array [0-9]*: 1 tasks' $T/resubmitted.txt && \
   [ \$(grep -c '^  task ' $T/resubmitted.txt) -eq 1 ] && \
   diff <(comparable $T/local/report.json) <(comparable $T/slurm/report.json)"

phase "a sweep in 4 shards as a job array, merged"
mkdir -p "$T/sweep"
$tessera sweep $SWEEP -o "$T/sweep/whole" > "$T/sweep/whole.txt"
job=$(sbatch --parsable --wait --array=0-3 --output="$T/sweep/%A_%a.out" \
  --wrap "$tessera sweep $SWEEP -o $T/sweep/shards --shard \$SLURM_ARRAY_TASK_ID/4")
rc=$?
cat "$T"/sweep/*_*.out
check "sweep shards: array $job of 4 tasks, every one COMPLETED" \
  "[ $rc -eq 0 ] && [ \$(scontrol -o show job ${job%%;*} | grep -c 'JobState=COMPLETED') -eq 4 ]"
$tessera sweep --merge -o "$T/sweep/merged" "$T/sweep/shards"
for f in points.csv pareto.csv pareto.gp; do
  check "sweep shards merged: $f byte for byte the unsharded run's ($(wc -l < "$T/sweep/whole/$f") lines)" \
    "cmp $T/sweep/whole/$f $T/sweep/merged/$f"
done
exit $status
