#!/usr/bin/env bash
# Lockstep co-simulation: every program of tests/cosim/ on the ws and the os
# die, and on a ws die whose prologue outlasts a short tile's last pass, store
# and init (tests/cosim/ws-narrow.json: 8 PE rows, FMA depth 4), and on an os
# die whose ports are wider than its array (tests/cosim/os-wide.json: 16-word
# act and 8-word weight accesses for 8 units, X blocks of 4 k), each against
# the golden model (every buffer word) and the cost model (every retired
# instruction's cycle, every counter), with zero tolerance.
# In the simulator SIM names (tests/sim.sh): Verilator unless SIM=icarus.
set -u
B=${1:-build}
. tests/sim.sh
progs=(tests/cosim/*.s)
status=0
for cfg in default default-os ws-narrow os-wide; do
  sim=$(die_runner "$cfg")
  conf=$B/rtl/$cfg/config.resolved.json
  # Ordinary operands, then operands with 20% IEEE corner values (NaN, inf,
  # subnormals, signed zeros) flowing through whole fmaf chains.
  "$sim" --config "$conf" --quiet --seed 11 "${progs[@]}" || status=1
  "$sim" --config "$conf" --quiet --seed 500 --specials 0.2 "${progs[@]}" || status=1
done
exit $status
