#!/usr/bin/env bash
# The lockstep regression (`make regress`): every case of a regression list
# (tests/regress.list: CONFIG SEED tessera-mesh arguments...) run in parallel
# on JOBS cores, with a progress line, a summary per instruction class (count,
# maximum and mean retire-cycle error, maximum error of an instruction's own
# cycles, energy error) and a JSON report, BUILD/regress/report.json.
# A failing case prints the one command that reruns it alone.
#   bash tests/regress.sh BUILD LIST
set -u
B=${1:-build}
LIST=${2:-tests/regress.list}
JOBS=${JOBS:-2}
OUT=$B/regress
rm -rf "$OUT" && mkdir -p "$OUT/cases"

# The cases, numbered in list order.
cases=()
while read -r line; do
  line=${line%%#*}
  [ -n "${line// /}" ] && cases+=("$line")
done < "$LIST"
total=${#cases[@]}
[ "$total" -gt 0 ] || { echo "regress: $LIST has no cases"; exit 2; }

command_of() { # the command line of case $1
  local cfg seed args
  read -r cfg seed args <<< "${cases[$1]}"
  echo "$B/mesh/$cfg/tessera-mesh --config $B/rtl/$cfg/config.resolved.json --seed $seed --stats $args"
}

run_case() { # case index: output in cases/N.log, exit status in cases/N.rc
  local t0=$SECONDS
  $(command_of "$1") > "$OUT/cases/$1.log" 2>&1
  echo "$? $((SECONDS - t0))" > "$OUT/cases/$1.rc"
}

t_start=$SECONDS
done_n=0 failed=0 next=0
# One line, rewritten in place on a terminal; a line per case in a log.
if [ -t 1 ]; then cr='\r' nl=''; else cr='' nl='\n'; fi
progress() {
  local el=$((SECONDS - t_start)) left=0
  [ "$done_n" -gt 0 ] && left=$(( el * (total - done_n) / done_n ))
  printf "$cr[%3d/%d] %d failed, %02d:%02d elapsed, ~%02d:%02d left $nl" "$done_n" "$total" "$failed" \
    $((el / 60)) $((el % 60)) $((left / 60)) $((left % 60))
}
reap() { # count the cases that have finished since the last call
  local i rc
  for ((i = 0; i < next; i++)); do
    [ -f "$OUT/cases/$i.rc" ] && [ ! -f "$OUT/cases/$i.seen" ] || continue
    touch "$OUT/cases/$i.seen"
    read -r rc _ < "$OUT/cases/$i.rc"
    done_n=$((done_n + 1))
    [ "$rc" -eq 0 ] || failed=$((failed + 1))
  done
}
progress
while [ "$next" -lt "$total" ] || [ "$done_n" -lt "$total" ]; do
  while [ "$next" -lt "$total" ] && [ "$(jobs -rp | wc -l)" -lt "$JOBS" ]; do
    run_case "$next" &
    next=$((next + 1))
  done
  wait -n 2>/dev/null
  before=$done_n
  reap
  [ "$done_n" -ne "$before" ] && progress
done
wait
[ -t 1 ] && echo

# Failures: what went wrong and how to rerun.
for ((i = 0; i < total; i++)); do
  read -r rc secs < "$OUT/cases/$i.rc"
  [ "$rc" -eq 0 ] && continue
  echo "FAIL case $((i + 1)): ${cases[$i]} (exit $rc)"
  grep -E '^(FAIL|MISMATCH)' "$OUT/cases/$i.log" | head -6 | sed 's/^/    /'
  grep '^waveform' "$OUT/cases/$i.log" | sed 's/^/    /'
  echo "    rerun: $(command_of "$i")"
done

# The summary: every case's `stat` lines (tessera-mesh --stats), aggregated
# over exact cases (--uncontended: the model must match every cycle) and
# contended ones (the model's contention estimate).
for ((i = 0; i < total; i++)); do
  read -r rc secs < "$OUT/cases/$i.rc"
  kind=contended
  [[ " ${cases[$i]} " == *" --uncontended "* ]] && kind=exact
  sed -n "s/^stat /$i $kind $rc $secs /p" "$OUT/cases/$i.log"
done > "$OUT/stats.txt"

awk -v total="$total" -v failed="$failed" -v elapsed=$((SECONDS - t_start)) -v json="$OUT/report.json" '
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
    split("exact contended", kinds, " "); split("gemm vadd send wait drd dwr halt", cls, " ")
    printf "{\n  \"cases\": %d, \"failed\": %d, \"elapsed_s\": %d,\n  \"kinds\": {", total, failed, elapsed > json
    for (a = 1; a <= 2; a++) {
      k = kinds[a]
      printf "%s\n    \"%s\": {\"programs\": %d, \"end_to_end_max_pct\": %.3f, \"end_to_end_mean_pct\": %.3f, \"energy_max_pct\": %.4f, \"classes\": {", \
        (a > 1 ? "," : ""), k, runs[k], e2e_max[k], (runs[k] ? e2e_sum[k] / runs[k] : 0), en_max[k] > json
      first = 1
      for (c = 1; c <= 7; c++) {
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
    printf "\n  }\n}\n" > json
  }' "$OUT/stats.txt"
echo
echo "err: |RTL - model| retire cycle; own err: |RTL - model| cycles of the instruction itself, % of the RTL's"
echo "regress: $((total - failed)) passed, $failed failed in $((SECONDS - t_start)) s; report: $OUT/report.json"
[ "$failed" -eq 0 ]
