#!/usr/bin/env bash
# The system-scale model's speed (docs/system-model.md), medians of 5 runs:
#  1. design points per second of `tessera sweep` (Llama2-70B, 61440 points: 16 to 1024
#     dies in every shape, 4 x 4 buffer sizes, both packages, 4 link bandwidths, 3
#     latencies, both dataflows, four methods), evaluation only, wall and CPU time;
#  2. microseconds of CPU per `tessera estimate` of a Llama2-70B layer on 32x32, each method.
set -euo pipefail
B=${1:-build}
T=$B/bench/sys
rm -rf "$T" && mkdir -p "$T"
tessera=$B/bin/tessera
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

echo "== 1. tessera sweep: design points per second (5 runs)"
for i in 1 2 3 4 5; do
  "$tessera" sweep configs/hecaton-die.json --model llama2-70b -o "$T/sweep" --dies 16,64,256,1024 \
    --act-kb 1024,2048,4096,8192 --wgt-kb 1024,2048,4096,8192 --package standard,advanced \
    --link-gbps 16,32,64,128 --link-ns 2,10,50 --dataflow ws,os | head -1
done > "$T/sweep.txt"
points=$(awk 'NR == 1 {print $1}' "$T/sweep.txt")
wall=$(sed -E 's/.* ([0-9]+) points\/s wall.*/\1/' "$T/sweep.txt" | median)
cpu=$(sed -E 's/.*wall, ([0-9]+) points per CPU second.*/\1/' "$T/sweep.txt" | median)
echo "   $points points per run; median $wall points/s (wall), $cpu points per CPU second"

echo "== 2. tessera estimate: Llama2-70B layer on 32x32, standard package (5 runs of 20000)"
for m in flat torus optimus hecaton; do
  for i in 1 2 3 4 5; do
    "$tessera" estimate configs/hecaton-32x32.json --model llama2-70b --method $m --package standard \
      --repeat 20000 2>&1 >/dev/null | sed -E 's/.*: ([0-9.]+) us of CPU each.*/\1/'
  done > "$T/est-$m.txt"
  echo "   $m: median $(median < "$T/est-$m.txt") us per estimate"
done
echo
echo "Reproduce: $tessera sweep configs/hecaton-die.json --model llama2-70b -o DIR --dies 16,64,256,1024 ...;"
echo "  $tessera estimate configs/hecaton-32x32.json --model llama2-70b --method hecaton --package standard --repeat 20000"
