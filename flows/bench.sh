#!/usr/bin/env bash
# make bench: speed and memory, measured side by side in one run.
#  0. the FMA array's utilization from the cost model on configs/hecaton-die.json.
#  1. `tessera gen` of configs/hecaton-die.json (4096 FMAs, 4 MB + 4 MB): median of 5.
#  2. the Verilator build of the default die's co-simulation: wall time and peak memory.
#  3. simulated cycles per second of the default die in Verilator (median of 3 runs).
#  4. the SystemC top's simulated cycles per second against plain Verilator's on the
#     same 2x2 mesh and programs (median of 3 runs each), and their ratio.
#  5. simulated cycles per second of the default die in Icarus against Verilator on the
#     same program (median of 3 runs each, and their ratio).
#  Then the network-on-package (flows/bench_noc.sh) and the system-scale model
#  (flows/bench_sys.sh: sweep design points per second, microseconds per estimate).
set -euo pipefail
B=${1:-build}
T=$B/bench
rm -rf "$T" && mkdir -p "$T"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# The die's FMA array utilization from the cost model (tessera util):
# configs/hecaton-die.json as it is (16 banks of 256-bit weight and 512-bit
# activation ports), then with 32-bit ports, one word per bank
# (docs/microarchitecture.md).
echo "== 0. FMA array utilization, cost model (tsr_cost_gemm), configs/hecaton-die.json"
"$B/bin/tessera" util configs/hecaton-die.json
echo
echo "   the same die with 32-bit weight and activation ports:"
"$B/bin/tessera" util configs/hecaton-die.json 32 32 | tail -n +3
echo

echo "== 1. tessera gen configs/hecaton-die.json -o $T/hecaton-die (5 runs)"
for i in 1 2 3 4 5; do
  s=$(date +%s.%N); "$B/bin/tessera" gen configs/hecaton-die.json -o "$T/hecaton-die"; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN {print e - s}'
done > "$T/gen.times"
echo "   median $(median < "$T/gen.times") s; files: $(ls "$T/hecaton-die" | wc -l), $(du -sh "$T/hecaton-die" | cut -f1)"

echo "== 2. Verilator build of the default die (make $B/sim/default/tessera-sim, -j ${JOBS:-2})"
rm -rf "$B/sim/default"
/usr/bin/time -f "%e %M" -o "$T/build.time" make -s "$B/sim/default/tessera-sim" JOBS="${JOBS:-2}" > /dev/null
read -r wall kb < "$T/build.time"
echo "   wall $wall s, peak memory $((kb / 1024)) MiB (largest single process, /usr/bin/time %M)"

echo "== 3. simulated cycles per second, default die, tests/cosim/bench.s (3 runs)"
for i in 1 2 3; do
  "$B/sim/default/tessera-sim" --config "$B/rtl/default/config.resolved.json" tests/cosim/bench.s \
    | awk '/^simulation:/ {print $8}'
done > "$T/sim.rates"
echo "   median $(median < "$T/sim.rates") cycles/s"

# The SystemC top runs tests/systemc/sc-2x2.json (DRAM channels in SystemC); plain
# Verilator its twin with the DRAM in the RTL, same timing. Both run the same
# harness, so they simulate the same clock cycles (loading, run, read-back),
# which the SystemC top counts. Timed in CPU seconds (user + system): the
# machines are shared, and wall time there measures the neighbours.
echo "== 4. SystemC top vs plain Verilator: Algorithm 1 (8,16,16,2) and tests/systemc/scatter.mesh, 2x2 (3 runs each)"
tw=sc-2x2-rtl
sed -e 's/"external"/"rtl"/' -e "s/\"sc-2x2\"/\"$tw\"/" tests/systemc/sc-2x2.json > "$T/$tw.json"
"$B/bin/tessera" gen "$T/$tw.json" -o "$B/rtl/$tw" > /dev/null
make -s "$B/systemc/sc-2x2/tessera-sc-mesh" "$B/mesh/$tw/tessera-mesh" > /dev/null
prog=(--uncontended --linear 8,16,16,2 tests/systemc/scatter.mesh)
for i in 1 2 3; do
  /usr/bin/time -f "%U %S" -o "$T/sc.time" "$B/systemc/sc-2x2/tessera-sc-mesh" \
    --config "$B/rtl/sc-2x2/config.resolved.json" "${prog[@]}" > "$T/sc.out" 2> "$T/sc.err"
  tail -n 1 "$T/sc.time" | awk '{ print $1 + $2 }' >> "$T/sc.times"
  /usr/bin/time -f "%U %S" -o "$T/vl.time" "$B/mesh/$tw/tessera-mesh" \
    --config "$B/rtl/$tw/config.resolved.json" "${prog[@]}" > "$T/vl.out" 2> /dev/null
  tail -n 1 "$T/vl.time" | awk '{ print $1 + $2 }' >> "$T/vl.times"
done
cycles=$(sed -n 's/^tessera-sc-mesh: \([0-9]*\) clock cycles simulated/\1/p' "$T/sc.err")
same=no; cmp -s <(grep '^PASS' "$T/sc.out") <(grep '^PASS' "$T/vl.out") && same=yes
sc_t=$(median < "$T/sc.times") vl_t=$(median < "$T/vl.times")
awk -v c="$cycles" -v s="$sc_t" -v v="$vl_t" -v same="$same" 'BEGIN {
  printf "   %d clock cycles; SystemC top %.0f cycles/s (%.2f s CPU), Verilator %.0f cycles/s (%.2f s CPU);\n", c, c / s, s, c / v, v
  printf "   SystemC overhead: %.2fx the CPU time of plain Verilator; same PASS lines (cycles): %s\n", s / v, same }'

# Icarus runs bench.s (165,641 cycles) in minutes: both simulators run the
# shorter gemm_tiles.s here, the program phase only (no host loading).
prog=tests/cosim/gemm_tiles.s
echo "== 5. simulated cycles per second, Icarus against Verilator, default die, $prog (3 runs each)"
make -s "$B/icarus/default/tessera-sim" > /dev/null
for sim in sim icarus; do
  for i in 1 2 3; do
    "$B/$sim/default/tessera-sim" --config "$B/rtl/default/config.resolved.json" "$prog" \
      | awk '/^simulation:/ {print $8}'
  done > "$T/rate.$sim"
done
vl=$(median < "$T/rate.sim"); iv=$(median < "$T/rate.icarus")
echo "   Verilator median $vl cycles/s, Icarus median $iv cycles/s:" \
  "Verilator $(awk -v a="$vl" -v b="$iv" 'BEGIN {printf "%.0f", a / b}') x faster"
echo
echo "Reproduce: $B/bin/tessera gen configs/hecaton-die.json -o DIR;"
echo "  /usr/bin/time -v make $B/sim/default/tessera-sim;"
echo "  $B/sim/default/tessera-sim --config $B/rtl/default/config.resolved.json tests/cosim/bench.s;"
echo "  make $B/icarus/default/tessera-sim; $B/icarus/default/tessera-sim --config ... $prog"

echo
echo "== network-on-package (flows/bench_noc.sh)"
make -s bench-noc BUILD="$B"

echo
echo "== system-scale model (flows/bench_sys.sh)"
bash flows/bench_sys.sh "$B"
