#!/usr/bin/env bash
# Lockstep co-simulation: every program of tests/cosim/ on the ws and the os
# die, and on a ws die whose prologue outlasts a short tile's last pass, store
# and init (tests/cosim/ws-narrow.json: 8 PE rows, FMA depth 4), and on an os
# die whose ports are wider than its array (tests/cosim/os-wide.json: 16-word
# act and 8-word weight accesses for 8 units, X blocks of 4 k), each against
# the golden model (every buffer word) and the cost model (every retired
# instruction's cycle, every counter), with zero tolerance. Then the programs
# of tests/cosim/lanes/, whose operands are aligned, on a ws and an os die whose
# units read their own banks (tests/cosim/lanes-*.json, die.local_lanes), and
# a program that is not aligned, which their harness must refuse (exit 2). Told
# that the die rotates (local_lanes false in its configuration), the harness
# runs that program, and the RTL must get words wrong, in the cycles the cost
# model predicts: its units really read the banks beside them.
# In the simulator SIM names (tests/sim.sh): Verilator unless SIM=icarus.
set -u
B=${1:-build}
. tests/sim.sh
status=0
# run_programs CONFIG PROGRAMS...: ordinary operands, then operands with 20%
# IEEE corner values (NaN, inf, subnormals, signed zeros) flowing through whole
# fmaf chains.
run_programs() {
  local cfg=$1; shift
  local sim conf=$B/rtl/$cfg/config.resolved.json
  sim=$(die_runner "$cfg")
  "$sim" --config "$conf" --quiet --seed 11 "$@" || status=1
  "$sim" --config "$conf" --quiet --seed 500 --specials 0.2 "$@" || status=1
}
for cfg in default default-os ws-narrow os-wide; do
  run_programs "$cfg" tests/cosim/*.s
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for cfg in lanes-ws lanes-os; do
  run_programs "$cfg" tests/cosim/gemm_tiles.s tests/cosim/vadd.s tests/cosim/vaxpy.s \
    tests/cosim/lanes/*.s
  sim=$(die_runner "$cfg")
  conf=$B/rtl/$cfg/config.resolved.json
  out=$("$sim" --config "$conf" --quiet --seed 11 tests/cosim/gemm_odd.s 2>&1)
  rc=$?
  if [ $rc -eq 2 ] && grep -q "die.local_lanes" <<<"$out"; then
    echo "PASS $cfg refuses an unaligned program: $(head -1 <<<"$out")"
  else
    echo "FAIL $cfg ran an unaligned program (exit $rc): $out"
    status=1
  fi
  rotating=$tmp/$cfg-rotating.json
  sed 's/"local_lanes": true/"local_lanes": false/' "$conf" > "$rotating"
  out=$("$sim" --config "$rotating" --quiet --seed 11 tests/cosim/gemm_odd.s 2>&1)
  rc=$?
  if [ $rc -eq 1 ] && grep -q "^FAIL .*[1-9][0-9]* word / 0 cycle / 0 counter mismatches" <<<"$out"
  then
    echo "PASS $cfg computes an unaligned program wrongly, in the predicted cycles:" \
      "$(grep '^FAIL' <<<"$out")"
  else
    echo "FAIL $cfg: an unaligned program on its own lanes (exit $rc): $(tail -3 <<<"$out")"
    status=1
  fi
done
exit $status
