#!/usr/bin/env bash
# make bench: speed and memory, measured side by side in one run.
#  1. `tessera gen` of configs/hecaton-die.json (4096 FMAs, 4 MB + 4 MB): median of 5.
#  2. the Verilator build of the default die's co-simulation: wall time and peak memory.
#  3. simulated cycles per second of the default die in Verilator (median of 3 runs).
#  4. simulated cycles per second of the default die in Icarus against Verilator on the
#     same program (median of 3 runs each, and their ratio).
set -euo pipefail
B=${1:-build}
T=$B/bench
rm -rf "$T" && mkdir -p "$T"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

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

# Icarus runs bench.s (165,641 cycles) in minutes: both simulators run the
# shorter gemm_tiles.s here, the program phase only (no host loading).
prog=tests/cosim/gemm_tiles.s
echo "== 4. simulated cycles per second, Icarus against Verilator, default die, $prog (3 runs each)"
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
