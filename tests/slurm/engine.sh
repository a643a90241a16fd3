# shellcheck shell=bash
# The Slurm engine of `make regress ENGINE=slurm` (docs/cluster.md), sourced
# by tests/regress.sh, whose variables it uses (B, OUT, cases, todo, n_todo,
# t_start). run_slurm writes BUILD/regress/job.sh (task K runs case K through
# tests/regress_case.sh, in this checkout, against the runners in BUILD: both
# must be on a filesystem every node sees, at the same path), submits the
# cases in `todo` as one job array, follows it with squeue, and writes for
# every task cases/K.slurm, "JOBID_K STATE", with the state Slurm ended it in
# (scontrol, or sacct once slurmctld has forgotten it). A case counts as run
# only if its task COMPLETED and left cases/K.rc; TIMEOUT, CANCELLED,
# NODE_FAIL, OUT_OF_MEMORY, FAILED (the task script itself failed) or a task
# gone without a trace (LOST) are reported as died.
#
# From make variables or the environment:
#   REGRESS_PARTITION    partition (default: the cluster's default one)
#   REGRESS_ACCOUNT      account (default: the user's default one)
#   REGRESS_TIME         time limit of a task (default 0:30:00)
#   REGRESS_MEM          memory of a task (default 1G)
#   REGRESS_SBATCH_ARGS  more sbatch options, e.g. "--qos=short --constraint=avx2"
#   REGRESS_POLL         seconds between looks at the queue (default 5)

run_slurm() {
  local t
  for t in sbatch squeue scontrol scancel; do
    command -v "$t" > /dev/null || { echo "regress: ENGINE=slurm needs $t (the Slurm client commands) on PATH"; return 1; }
  done
  local root babs oabs
  root=$(cd "$HERE/.." && pwd)
  oabs=$(cd "$OUT" && pwd)
  # The tasks run in this checkout: a relative BUILD stays as given, so that
  # a task's command line is the local engine's to the letter.
  if [[ "$B" != /* ]] && [ "$(pwd)" = "$root" ]; then babs=$B; else babs=$(cd "$B" && pwd); fi
  mkdir -p "$OUT/slurm"
  # More than one node and a checkout or BUILD on a local filesystem: say so.
  local nodes fs d
  nodes=$(sinfo -h -N -o %N ${REGRESS_PARTITION:+-p "$REGRESS_PARTITION"} 2> /dev/null | sort -u | wc -l)
  if [ "$nodes" -gt 1 ]; then
    for d in "$root" "$(cd "$B" && pwd)" "$oabs"; do
      fs=$(stat -f -c %T "$d" 2> /dev/null)
      case $fs in
        ext2/ext3 | xfs | btrfs | tmpfs | overlayfs | zfs | ramfs)
          echo "regress: warning: $d is on a local filesystem ($fs), and the tasks run on $nodes nodes:" \
            "they need it at the same path on every node (docs/cluster.md)" ;;
      esac
    done
  fi
  {
    echo '#!/bin/bash'
    echo "# Written by tests/regress.sh (ENGINE=slurm): array task K runs case K+1 of $LIST."
    echo '#SBATCH --job-name=tessera-regress'
    echo "#SBATCH --chdir=$root"
    echo "#SBATCH --output=$oabs/slurm/%A_%a.out"
    echo '#SBATCH --ntasks=1'
    echo '#SBATCH --cpus-per-task=1'
    echo "#SBATCH --time=${REGRESS_TIME:-0:30:00}"
    echo "#SBATCH --mem=${REGRESS_MEM:-1G}"
    [ -n "${REGRESS_PARTITION:-}" ] && echo "#SBATCH --partition=$REGRESS_PARTITION"
    [ -n "${REGRESS_ACCOUNT:-}" ] && echo "#SBATCH --account=$REGRESS_ACCOUNT"
    for t in ${REGRESS_SBATCH_ARGS:-}; do echo "#SBATCH $t"; done
    echo "exec bash $root/tests/regress_case.sh $babs $oabs/list $oabs \"\$SLURM_ARRAY_TASK_ID\""
  } > "$OUT/job.sh"

  local array i out job
  array=$(IFS=,; echo "${todo[*]}")
  if ! out=$(sbatch --parsable --array="$array" "$OUT/job.sh" 2>&1); then
    echo "regress: sbatch failed: $out"
    return 1
  fi
  job=${out%%;*}
  [[ "$job" =~ ^[0-9]+$ ]] || { echo "regress: sbatch answered '$out', expected a job id"; return 1; }
  echo "$job" > "$OUT/slurm/job"
  echo "regress: submitted job array $job: $n_todo tasks of $OUT/job.sh" \
    "(partition ${REGRESS_PARTITION:-default}, time ${REGRESS_TIME:-0:30:00}, mem ${REGRESS_MEM:-1G})"
  trap 'echo; echo "regress: interrupted, cancelling job $job"; scancel "$job"; exit 130' INT TERM

  # live[K]: the state squeue shows; final[K]: set once K is decided;
  # gone[K]: when K was first missing from the queue without a result.
  local -A live final gone ended
  local n_done=0 n_pass=0 n_fail=0 n_run n_pend last='' line k st rc secs q
  local poll=${REGRESS_POLL:-5}
  while [ "$n_done" -lt "$n_todo" ]; do
    if ! q=$(squeue -h -r --me -o '%F %K %T' 2>&1); then
      echo "regress: squeue failed ($q), trying again in ${poll} s"
      sleep "$poll"
      continue
    fi
    live=()
    while read -r t k st; do
      [ "$t" = "$job" ] && live[$k]=$st
    done <<< "$q"
    # The states of the tasks that have left the queue.
    ended=()
    local need=0
    for i in "${todo[@]}"; do [ -z "${final[$i]:-}" ] && [ -z "${live[$i]:-}" ] && need=1 && break; done
    if [ "$need" -eq 1 ]; then
      while read -r line; do
        [[ "$line" =~ ArrayTaskId=([0-9]+)\  ]] || continue
        k=${BASH_REMATCH[1]}
        [[ "$line" =~ JobState=([A-Z_]+) ]] && ended[$k]=${BASH_REMATCH[1]}
      done < <(scontrol -o show job "$job" 2> /dev/null)
      while IFS='|' read -r t st; do # tasks slurmctld has forgotten, if there is accounting
        [[ "$t" =~ ^${job}_([0-9]+)$ ]] && [ -z "${ended[${BASH_REMATCH[1]}]:-}" ] && ended[${BASH_REMATCH[1]}]=${st%% *}
      done < <(sacct -n -X -P -j "$job" -o JobID,State 2> /dev/null)
    fi
    for i in "${todo[@]}"; do
      [ -n "${final[$i]:-}" ] && continue
      [ -n "${live[$i]:-}" ] && continue
      st=${ended[$i]:-}
      case $st in
        PENDING | CONFIGURING | RUNNING | COMPLETING | REQUEUED | RESIZING | SUSPENDED) continue ;;
      esac
      rc=''
      [ -f "$OUT/cases/$i.rc" ] && read -r rc secs < "$OUT/cases/$i.rc"
      if [ -z "$rc" ] && { [ -z "$st" ] || [ "$st" = COMPLETED ]; }; then
        # Gone without a result: the shared filesystem may not show it yet.
        [ -z "${gone[$i]:-}" ] && gone[$i]=$SECONDS
        [ $((SECONDS - gone[$i])) -lt 30 ] && continue
        st=LOST
      fi
      [ -z "$st" ] && st=COMPLETED # forgotten by slurmctld, no accounting, result present
      echo "${job}_$i $st" > "$OUT/cases/$i.slurm"
      final[$i]=1
      n_done=$((n_done + 1))
      if [ "$st" = COMPLETED ] && [ "$rc" = 0 ]; then
        n_pass=$((n_pass + 1)) line="pass, $secs s"
      elif [ "$st" = COMPLETED ]; then
        n_fail=$((n_fail + 1)) line="fail (exit $rc), $secs s"
      else
        n_fail=$((n_fail + 1)) line="died"
      fi
      printf '  task %s_%d (case %d: %s) %s: %s\n' "$job" "$i" $((i + 1)) "${cases[$i]}" "$st" "$line"
    done
    n_run=0 n_pend=0
    for i in "${todo[@]}"; do
      [ -n "${final[$i]:-}" ] && continue
      case ${live[$i]:-} in PENDING | REQUEUED | '') n_pend=$((n_pend + 1)) ;; *) n_run=$((n_run + 1)) ;; esac
    done
    line=$(printf '[%3d/%d] %d passed, %d failed, %d running, %d pending' "$n_done" "$n_todo" "$n_pass" \
      "$n_fail" "$n_run" "$n_pend")
    if [ "$line" != "$last" ]; then
      t=$((SECONDS - t_start))
      printf '%s, %02d:%02d elapsed\n' "$line" $((t / 60)) $((t % 60))
      last=$line
    fi
    [ "$n_done" -lt "$n_todo" ] && sleep "$poll"
  done
  trap - INT TERM
  return 0
}
