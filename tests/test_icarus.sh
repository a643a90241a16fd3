#!/usr/bin/env bash
# The Icarus Verilog front end (docs/simulators.md):
# - the die's GEMM programs (tests/cosim/*.s but bench.s, the benchmark's) in
#   Icarus, from operands with 20 % IEEE corner values: every buffer word
#   bit-exact with the golden model, every retired instruction's cycle and
#   every counter equal to the cost model's;
# - cross-simulator: the same programs from the same seed in Verilator write
#   the same trace file (every retired instruction's die, pc, opcode and cycle,
#   then every counter), byte for byte; on the 2x2 mesh the same for a
#   SEND/WAIT exchange, a ring all-gather and async transfers beside compute
#   (tests/mesh/async.mesh), each also held to the mesh
#   golden model and, uncontended, to the mesh cost model in every cycle;
# - each trace retires its programs' instructions, counted from their source,
#   in order: equal traces that are both short fail.
# Verilator starts the flops without reset from the seed and Icarus from X:
# equal traces also say that nothing depends on them, and the Icarus front end
# fails any run that reads X or Z where a value is due.
#   tests/test_icarus.sh BUILD DIE_CONFIG MESH_CONFIG
set -u
B=${1:-build}
DIE=${2:-default}
MESH=${3:-mesh-2x2}
T=$B/test-icarus
rm -rf "$T" && mkdir -p "$T"
status=0
fail() { echo "FAIL $*"; status=1; }

# same_trace NAME: the two simulators' trace files of NAME are equal.
same_trace() {
  local name=$1 vl=$T/$1.verilator.trace iv=$T/$1.icarus.trace
  if [ ! -s "$vl" ] || [ ! -s "$iv" ]; then fail "$name: a trace file is missing or empty"; return; fi
  if cmp -s "$vl" "$iv"; then
    echo "ok $name: Verilator and Icarus traces equal ($(grep -c '^retire' "$vl") retires," \
      "$(grep -c '^counter' "$vl") counters)"
  else
    fail "$name: the Verilator and Icarus traces differ (first lines below; $vl, $iv)"
    diff "$vl" "$iv" | head -n 8
  fi
}

# run SIM NAME RUNNER ARGS...: one simulator's run; every line must PASS.
run() {
  local sim=$1 name=$2 runner=$3; shift 3
  local out rc
  out=$("$runner" --trace-file "$T/$name.$sim.trace" "$@" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^(PASS|FAIL)' | sed "s/^/  $sim: /"
  [ $rc -eq 0 ] || { fail "$name in $sim (exit $rc)"; printf '%s\n' "$out" | grep -v '^PASS' | head -n 20; }
}

# The die: every GEMM program, once each.
progs=()
for p in tests/cosim/*.s; do [ "$(basename "$p")" = bench.s ] || progs+=("$p"); done
die_args=(--config "$B/rtl/$DIE/config.resolved.json" --quiet --seed 500 --specials 0.2 "${progs[@]}")
run verilator die-gemm "$B/sim/$DIE/tessera-sim" "${die_args[@]}"
run icarus die-gemm "$B/icarus/$DIE/tessera-sim" "${die_args[@]}"
same_trace die-gemm

# The mesh: a SEND/WAIT exchange, a ring all-gather and async transfers, held
# to the cycle.
for prog in exchange allgather_2x2 async; do
  mesh_args=(--config "$B/rtl/$MESH/config.resolved.json" --seed 3 --uncontended "tests/mesh/$prog.mesh")
  run verilator "$prog" "$B/mesh/$MESH/tessera-mesh" "${mesh_args[@]}"
  run icarus "$prog" "$B/icarus/$MESH/tessera-mesh" "${mesh_args[@]}"
  same_trace "$prog"
done

# Equal traces could still both be short: each simulator's trace retires
# exactly the instructions of its programs, counted from their source, each
# die's in pc order (0, 1, 2, ...; 0 again where a new program starts) with
# its retire cycles rising within a program.
insns() { cat "$@" | grep -v -E '^[[:space:]]*([;#]|$)' | grep -vc '^@die'; }
retires_ok() { # NAME WANT
  local name=$1 want=$2 sim tr n
  for sim in verilator icarus; do
    tr=$T/$name.$sim.trace
    [ -s "$tr" ] || continue # reported missing above
    n=$(grep -c '^retire' "$tr")
    if [ "$n" != "$want" ]; then
      fail "$name in $sim: $n retires, the programs have $want instructions"
    elif ! awk '$1 == "retire" { d = $2; pc = $3; c = $5
             if (d in last) { if (pc != 0 && (pc != last[d] + 1 || c <= cyc[d])) { print; exit 1 } }
             else if (pc != 0) { print; exit 1 }
             last[d] = pc; cyc[d] = c }' "$tr" > "$T/$name.$sim.order"; then
      fail "$name in $sim: a retire out of pc order or cycle: $(cat "$T/$name.$sim.order")"
    else
      echo "ok $name in $sim: $n retires, the programs' $want instructions, in order"
    fi
  done
}
retires_ok die-gemm "$(insns "${progs[@]}")"
for prog in exchange allgather_2x2 async; do retires_ok "$prog" "$(insns "tests/mesh/$prog.mesh")"; done
exit $status
