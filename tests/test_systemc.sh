#!/usr/bin/env bash
# The SystemC top (docs/simulators.md, "SystemC"): the Verilated 2x2 mesh of
# tests/systemc/sc-2x2.json, its IO dies' DRAM channels SystemC modules (one
# channel of 2 bytes per cycle each, so that off-package access is a real
# stage), its host port a TLM-2.0 target socket through which the shared
# mesh harness (verif/run_mesh.c) loads, starts and checks every die.
#  0. The DRAM channel alone (tests/systemc/test_dram.cpp): latency, token
#     bucket, row hit, idle bank, conflict and refresh, cycle for cycle
#     against counts worked out by hand.
#  1. The socket's address map and refusals (--tlm-check).
#  2. Simple DRAM timing: Hecaton's Algorithm 1 (the forward and backward
#     pass of a linear layer: mini-batch scatter from DRAM, ring collectives,
#     results written back), the mini-batch scatter with and without its
#     on-/off-package overlap, and tests/mesh/dram.mesh (contended): every
#     word bit-exact with the golden model, and every instruction in the
#     cycle the cost model predicts from its DRAM terms (latency, token
#     bucket), which is the RTL DRAM model's timing (dram.mesh: the last
#     retire within END_TOLERANCE %, as in tests/test_mesh.sh). The overlap
#     must save cycles.
#  3. DDR5 timing (sc-ddr5-2x2.json: the same RTL, plus banks with open rows
#     and refresh): bit-exact again; every instruction no earlier than the
#     model and at most the channels' stall cycles later (--dram-bound); the
#     DDR5 effects must have happened.
#  4. A mesh top whose DRAM is in the RTL is refused.
set -u
B=${1:-build}
S=$B/systemc/sc-2x2/tessera-sc-mesh
status=0
fail() { echo "FAIL $*"; status=1; }
sc() { local c=$1; shift; "$S" --config "$B/rtl/$c/config.resolved.json" "$@"; }
END_TOLERANCE=5
T=tests/systemc M=tests/mesh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run NAME CONFIG ARGS...: every program must PASS; output kept in $tmp/NAME.
run() {
  local name=$1 c=$2; shift 2
  sc "$c" "$@" > "$tmp/$name" 2>&1; local rc=$?
  grep -E '^(PASS|FAIL|  model|  dram)' "$tmp/$name"
  [ $rc -eq 0 ] || { fail "$name: tessera-sc-mesh $* (exit $rc)"; grep -v '^PASS' "$tmp/$name" | head -20; }
}
# cycles NAME PROGRAM: the RTL's cycles of that program in run NAME.
cycles() { sed -n "s|^PASS $2: [0-9x]* dies, \([0-9]*\) cycles.*|\1|p" "$tmp/$1"; }

# 0.
out=$("$B/systemc/test_dram" 2>&1) || fail "the DRAM channel alone (test_dram)"
printf '%s\n' "$out"

# 1.
out=$("$S" --tlm-check "$B/rtl/sc-2x2/config.resolved.json" 2>&1) || fail "--tlm-check"
printf '%s\n' "$out"

# 2.
run simple sc-2x2 --uncontended --linear 8,16,16,2 $T/scatter.mesh $T/scatter_serial.mesh
run contended sc-2x2 $M/dram.mesh
for e in $(sed -n 's/^  model: .*(\([-+][0-9.]*\) %).*/\1/p' "$tmp/contended"); do
  awk -v e="$e" -v t=$END_TOLERANCE 'BEGIN { exit !(e <= t && e >= -t) }' \
    || fail "dram.mesh: the model's last retire is $e % off the RTL's, more than $END_TOLERANCE %"
done
ov=$(cycles simple $T/scatter.mesh) se=$(cycles simple $T/scatter_serial.mesh)
if [ -n "$ov" ] && [ -n "$se" ] && [ "$ov" -lt "$se" ]; then
  echo "ok the overlap of DRAM reads and GEMMs saves $((se - ov)) of $se cycles" \
       "($(awk -v a="$ov" -v b="$se" 'BEGIN { printf "%.1f", 100 * (b - a) / b }') %)"
else fail "scatter.mesh (${ov:-?} cycles) should take fewer cycles than scatter_serial.mesh (${se:-?})"; fi

# 3. The DDR5 configuration generates the same RTL, so one build runs both.
rm -rf "$tmp/rtl" && "$B/bin/tessera" gen $T/sc-ddr5-2x2.json -o "$tmp/rtl" > /dev/null
if diff -r -x config.resolved.json -x energy.json "$B/rtl/sc-2x2" "$tmp/rtl" > /dev/null; then
  echo "ok sc-ddr5-2x2.json generates the RTL of sc-2x2.json"
else fail "sc-ddr5-2x2.json should generate the same RTL as sc-2x2.json"; fi
"$S" --config "$tmp/rtl/config.resolved.json" --dram-bound --linear 8,16,16,2 $T/scatter.mesh \
  > "$tmp/ddr5" 2>&1 || fail "DDR5 timing: tessera-sc-mesh --dram-bound (exit $?)"
grep -E '^(PASS|FAIL|  model|  dram)' "$tmp/ddr5"
grep -q 'MISMATCH' "$tmp/ddr5" && grep 'MISMATCH' "$tmp/ddr5" | head -10
awk '/^  dram channel/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^empty/) m += $i;
       if ($(i+1) ~ /^conflicts/) m += $i; if ($(i+1) ~ /^refreshes/) r += $i;
       if ($(i+1) == "stall") s += $i } }
     END { exit !(m > 0 && r > 0 && s > 0) }' "$tmp/ddr5" \
  && echo "ok DDR5: row misses, refreshes and stall cycles happened" \
  || fail "DDR5 timing: expected row misses, refreshes and stalls in the channels' reports"
a=$(sed -n 's/^PASS linear layer.*dies, \([0-9]*\) cycles.*/\1/p' "$tmp/simple")
b=$(sed -n 's/^PASS linear layer.*dies, \([0-9]*\) cycles.*/\1/p' "$tmp/ddr5")
if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]; then
  echo "ok Algorithm 1 takes $b cycles with DDR5 timing, $a with the simple one"
else fail "Algorithm 1 should take longer with DDR5 timing (${b:-?} cycles) than without (${a:-?})"; fi

# 4.
rm -rf "$tmp/rtl" && "$B/bin/tessera" gen $M/mesh-2x2.json -o "$tmp/rtl" > /dev/null
out=$("$S" --config "$tmp/rtl/config.resolved.json" $M/dram_alone.mesh 2>&1)
if [ $? -eq 2 ] && printf '%s\n' "$out" | grep -q 'mesh.dram.model is "rtl", expected "external"'; then
  echo "ok a configuration with the DRAM in the RTL: exit 2, the model named"
else fail "an rtl-DRAM configuration should exit 2 naming mesh.dram.model: $out"; fi
exit $status
