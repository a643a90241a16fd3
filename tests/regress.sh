#!/usr/bin/env bash
# The lockstep regression (`make regress`): every case of a regression list
# (tests/regress.list: CONFIG SEED tessera-mesh arguments...) with a progress
# line, a summary per instruction class (count, maximum and mean retire-cycle
# error, maximum error of an instruction's own cycles, energy error) and a
# JSON report, BUILD/regress/report.json.
#   bash tests/regress.sh BUILD LIST
# ENGINE=local (the default) runs the cases in parallel on JOBS cores;
# ENGINE=slurm submits them as one Slurm job array, a task per case
# (tests/slurm/engine.sh, docs/cluster.md). Both run a case through
# tests/regress_case.sh. A failing case prints the one command that reruns
# it alone; REGRESS_RESUBMIT=4,7-9 runs only those cases (numbers as printed)
# again into the last run's results and reports on every case.
set -u
B=${1:-build}
LIST=${2:-tests/regress.list}
JOBS=${JOBS:-2}
ENGINE=${ENGINE:-local}
RESUBMIT=${REGRESS_RESUBMIT:-}
OUT=${REGRESS_OUT:-$B/regress} # its results and report
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/regress_case.sh"
case $ENGINE in
  local) ;;
  slurm) . "$HERE/slurm/engine.sh" ;;
  *) echo "regress: ENGINE=$ENGINE: expected local or slurm"; exit 2 ;;
esac

# The cases, numbered in list order.
regress_cases "$LIST"
total=${#cases[@]}
[ "$total" -gt 0 ] || { echo "regress: $LIST has no cases"; exit 2; }

# todo: the indices to run, all of them or REGRESS_RESUBMIT's.
todo=()
if [ -n "$RESUBMIT" ]; then
  cmp -s "$LIST" "$OUT/list" \
    || { echo "regress: REGRESS_RESUBMIT needs the last run's results of the same $LIST in $OUT"; exit 2; }
  for r in ${RESUBMIT//,/ }; do
    if [[ "$r" =~ ^([0-9]+)(-([0-9]+))?$ ]]; then
      lo=${BASH_REMATCH[1]} hi=${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}
    else
      lo=0 hi=0
    fi
    [ "$lo" -ge 1 ] && [ "$lo" -le "$hi" ] && [ "$hi" -le "$total" ] \
      || { echo "regress: REGRESS_RESUBMIT=$RESUBMIT: '$r' is not a case number 1..$total or a range of them"; exit 2; }
    for ((i = lo - 1; i < hi; i++)); do
      [[ " ${todo[*]} " == *" $i "* ]] || todo+=("$i")
    done
  done
  for i in "${todo[@]}"; do rm -f "$OUT/cases/$i".*; done
else
  rm -rf "$OUT" && mkdir -p "$OUT/cases"
  cp "$LIST" "$OUT/list"
  for ((i = 0; i < total; i++)); do todo+=("$i"); done
fi
n_todo=${#todo[@]}

t_start=$SECONDS
run_local() {
  local done_n=0 failed=0 next=0 before
  # One line, rewritten in place on a terminal; a line per case in a log.
  if [ -t 1 ]; then cr='\r' nl=''; else cr='' nl='\n'; fi
  progress() {
    local el=$((SECONDS - t_start)) left=0
    [ "$done_n" -gt 0 ] && left=$(( el * (n_todo - done_n) / done_n ))
    printf "$cr[%3d/%d] %d failed, %02d:%02d elapsed, ~%02d:%02d left $nl" "$done_n" "$n_todo" "$failed" \
      $((el / 60)) $((el % 60)) $((left / 60)) $((left % 60))
  }
  reap() { # count the cases that have finished since the last call
    local j i rc
    for ((j = 0; j < next; j++)); do
      i=${todo[$j]}
      [ -f "$OUT/cases/$i.rc" ] && [ ! -f "$OUT/cases/$i.seen" ] || continue
      touch "$OUT/cases/$i.seen"
      read -r rc _ < "$OUT/cases/$i.rc"
      done_n=$((done_n + 1))
      [ "$rc" -eq 0 ] || failed=$((failed + 1))
    done
  }
  progress
  while [ "$next" -lt "$n_todo" ] || [ "$done_n" -lt "$n_todo" ]; do
    while [ "$next" -lt "$n_todo" ] && [ "$(jobs -rp | wc -l)" -lt "$JOBS" ]; do
      regress_run "$B" "${cases[${todo[$next]}]}" "$OUT" "${todo[$next]}" &
      next=$((next + 1))
    done
    wait -n 2>/dev/null
    before=$done_n
    reap
    [ "$done_n" -ne "$before" ] && progress
  done
  wait
  rm -f "$OUT"/cases/*.seen
  [ -t 1 ] && echo
  return 0
}
if [ "$ENGINE" = slurm ]; then run_slurm || exit 2; else run_local; fi

# Every case's outcome: pass, fail (the runner's exit status) or died (a Slurm
# task that ended without running its case to the end: its Slurm state).
# cases/N.slurm, written by the Slurm engine: "JOBID_TASK STATE".
outcome=() failed=0 died=0
for ((i = 0; i < total; i++)); do
  job='' state=''
  [ -f "$OUT/cases/$i.slurm" ] && read -r job state < "$OUT/cases/$i.slurm"
  rc=''
  [ -f "$OUT/cases/$i.rc" ] && read -r rc _ < "$OUT/cases/$i.rc"
  if [ -n "$state" ] && [ "$state" != COMPLETED ] || [ -z "$rc" ]; then
    outcome[$i]="died ${state:-LOST}"; died=$((died + 1)); failed=$((failed + 1))
  elif [ "$rc" -ne 0 ]; then
    outcome[$i]="exit $rc"; failed=$((failed + 1))
  else
    outcome[$i]=pass
  fi
done

# Failures: what went wrong and how to rerun; their JSON for the report.
json_str() { local v=${1//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; }
: > "$OUT/failures.json"
for ((i = 0; i < total; i++)); do
  [ "${outcome[$i]}" = pass ] && continue
  job=''
  [ -f "$OUT/cases/$i.slurm" ] && read -r job _ < "$OUT/cases/$i.slurm"
  rerun=$(regress_command "$B" "${cases[$i]}")
  if [ "${outcome[$i]%% *}" = died ]; then
    echo "DIED case $((i + 1)): ${cases[$i]} (Slurm task ${outcome[$i]#died }: the case did not run to its end)"
  else
    echo "FAIL case $((i + 1)): ${cases[$i]} (${outcome[$i]})"
    grep -E '^(FAIL|MISMATCH)' "$OUT/cases/$i.log" | head -6 | sed 's/^/    /'
    grep '^waveform' "$OUT/cases/$i.log" | sed 's/^/    /'
  fi
  echo "    rerun: $rerun"
  {
    [ -s "$OUT/failures.json" ] && printf ',\n'
    printf '    {"case": %d, "line": %s, "result": %s, "rerun": %s' $((i + 1)) "$(json_str "${cases[$i]}")" \
      "$(json_str "${outcome[$i]}")" "$(json_str "$rerun")"
    if [ -n "$job" ]; then
      printf ', "slurm_job": "%s", "resubmit": "make regress ENGINE=slurm REGRESS_RESUBMIT=%d"' "$job" $((i + 1))
      echo "    Slurm job $job, log $OUT/cases/$i.log; alone again: make regress ENGINE=slurm REGRESS_RESUBMIT=$((i + 1))" >&3
    fi
    printf '}'
  } 3>&1 >> "$OUT/failures.json"
done

# The summary: every case's `stat` lines (tessera-mesh --stats), aggregated
# over exact cases (--uncontended: the model must match every cycle) and
# contended ones (the model's contention estimate).
for ((i = 0; i < total; i++)); do
  [ "${outcome[$i]%% *}" = died ] && continue
  read -r rc secs < "$OUT/cases/$i.rc"
  kind=contended
  [[ " ${cases[$i]} " == *" --uncontended "* ]] && kind=exact
  sed -n "s/^stat /$i $kind $rc $secs /p" "$OUT/cases/$i.log"
done > "$OUT/stats.txt"

awk -v total="$total" -v failed="$failed" -v died="$died" -v elapsed=$((SECONDS - t_start)) -v json="$OUT/report.json" '
  # case kind rc secs class n sum_abs max_abs sum_rel max_rel      (per class)
  # case kind rc secs run end_rtl end_model energy_model energy_rtl (per program)
  function pct(a, b) { return b ? 100.0 * (a - b) / b : 0 }
  function absv(x) { return x < 0 ? -x : x }
  $5 == "run" {
    k = $2; runs[k]++
    e2e = absv(pct($7, $6)); if (e2e > e2e_max[k]) e2e_max[k] = e2e; e2e_sum[k] += e2e
    en = absv(pct($8, $9)); if (en > en_max[k]) en_max[k] = en
    next
  }
  {
    key = $2 SUBSEP $5; seen[key] = 1
    n[key] += $6; sum[key] += $7; if ($8 > mx[key]) mx[key] = $8
    rsum[key] += $9; if ($10 > rmx[key]) rmx[key] = $10
  }
  END {
    printf "\n%-10s %-6s %8s %12s %12s %14s %14s\n", "cases", "class", "count", "max |err|", "mean |err|", "max own err", "mean own err"
    split("exact contended", kinds, " ")
    ncls = split("gemm vadd vaxpy vmul vexp vmax vrecip vrsqrt vgelu vgelud vtrans " \
                 "send wait fence drd dwr halt", cls, " ")
    printf "{\n  \"cases\": %d, \"failed\": %d, \"died\": %d, \"elapsed_s\": %d,\n  \"kinds\": {", total, failed, died, elapsed > json
    for (a = 1; a <= 2; a++) {
      k = kinds[a]
      printf "%s\n    \"%s\": {\"programs\": %d, \"end_to_end_max_pct\": %.3f, \"end_to_end_mean_pct\": %.3f, \"energy_max_pct\": %.4f, \"classes\": {", \
        (a > 1 ? "," : ""), k, runs[k], e2e_max[k], (runs[k] ? e2e_sum[k] / runs[k] : 0), en_max[k] > json
      first = 1
      for (c = 1; c <= ncls; c++) {
        key = k SUBSEP cls[c]
        if (!seen[key] || !n[key]) continue
        printf "%-10s %-6s %8d %9d cy %9.2f cy %12.2f %% %12.2f %%\n", k, cls[c], n[key], mx[key], sum[key] / n[key], rmx[key], rsum[key] / n[key]
        printf "%s\n      \"%s\": {\"count\": %d, \"max_abs_cycles\": %d, \"mean_abs_cycles\": %.3f, \"max_own_pct\": %.3f, \"mean_own_pct\": %.3f}", \
          (first ? "" : ","), cls[c], n[key], mx[key], sum[key] / n[key], rmx[key], rsum[key] / n[key] > json
        first = 0
      }
      printf "}}" > json
      if (runs[k]) printf "%-10s %-6s %8d programs: end-to-end |err| max %.2f %%, mean %.2f %%; energy |err| max %.3f %%\n", k, "all", runs[k], e2e_max[k], e2e_sum[k] / runs[k], en_max[k]
    }
    printf "\n  },\n  \"failures\": [" > json
  }' "$OUT/stats.txt"
{ [ -s "$OUT/failures.json" ] && printf '\n%s\n  ' "$(cat "$OUT/failures.json")"; printf ']\n}\n'; } >> "$OUT/report.json"
rm -f "$OUT/failures.json"
echo
echo "err: |RTL - model| retire cycle; own err: |RTL - model| cycles of the instruction itself, % of the RTL's"
died_note=''
[ "$died" -gt 0 ] && died_note=" ($died died)"
echo "regress: $((total - failed)) passed, $failed failed$died_note in $((SECONDS - t_start)) s; report: $OUT/report.json"
[ "$failed" -eq 0 ]
