#!/usr/bin/env bash
# One case of a regression list, run the way both engines of `make regress`
# run it (tests/regress.sh: ENGINE=local on this machine's cores, ENGINE=slurm
# as one task of a Slurm job array, docs/cluster.md).
#
# Sourced, it defines
#   regress_cases LIST        the cases of LIST (comments and blank lines
#                             dropped) into the array `cases`, in list order
#   regress_command B LINE    the command line of case LINE ("CONFIG SEED args")
#                             against build directory B
#   regress_run B LINE OUT K  runs it: output in OUT/cases/K.log, then
#                             "exit-status seconds" in OUT/cases/K.rc
# Run, it runs case K (0-based) of LIST:
#   bash tests/regress_case.sh B LIST OUT K
# (a Slurm task passes $SLURM_ARRAY_TASK_ID as K) and exits 0 once K.rc is
# written, whatever the case's verdict; any other exit means the case did
# not run.

regress_cases() {
  local line
  cases=()
  while read -r line; do
    line=${line%%#*}
    [ -n "${line// /}" ] && cases+=("$line")
  done < "$1"
}

regress_command() {
  local cfg seed args
  read -r cfg seed args <<< "$2"
  echo "$1/mesh/$cfg/tessera-mesh --config $1/rtl/$cfg/config.resolved.json --seed $seed --stats $args"
}

regress_run() {
  local t0=$SECONDS
  $(regress_command "$1" "$2") > "$3/cases/$4.log" 2>&1
  echo "$? $((SECONDS - t0))" > "$3/cases/$4.rc.tmp" && mv "$3/cases/$4.rc.tmp" "$3/cases/$4.rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  [ $# -eq 4 ] || { echo "usage: $0 BUILD LIST OUT K" >&2; exit 2; }
  regress_cases "$2"
  [[ "$4" =~ ^[0-9]+$ ]] && [ "$4" -lt "${#cases[@]}" ] \
    || { echo "regress_case: no case $4 in $2 (${#cases[@]} cases)" >&2; exit 2; }
  regress_run "$1" "${cases[$4]}" "$3" "$4" || exit 1
fi
