#!/usr/bin/env bash
# make bench-noc (and make bench): the network-on-package measured in one run
# on the 4x4 and 8x8 meshes of tests/noc/ (docs/noc.md quotes the figures).
#  1. zero-load latency per hop against the documented formula;
#  2. accepted throughput and latency against offered load, uniform random
#     traffic, 1- and 4-flit packets, input FIFOs of 4 and 8 flits,
#     normalised to the XY bound 4/k;
#  3. ring all-gather link utilization through the bypass rings of a row of 4
#     and of 8 dies, chunks of 256 B to 64 KB;
#  4. simulated cycles per second (median of 3);
#  5. plots (gnuplot, SVG) under build/bench/noc/.
set -euo pipefail
B=${1:-build}
T=$B/bench/noc
rm -rf "$T" && mkdir -p "$T"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
noc() { local c=$1; shift; "$B/noc/$c/tessera-noc" --config "$B/rtl/$c/config.resolved.json" "$@"; }

echo "== 1. zero-load latency (generation to tail delivery), 1- and 4-flit packets"
for c in mesh-4x4 mesh-8x8; do
  echo "-- $c"
  noc $c --test zero-load | grep -v '^ok'
done

echo "== 2. uniform random traffic: accepted throughput and mean latency against offered load"
echo "   (input FIFOs of 4 flits, the credit round trip of a 1-cycle link, and of 8)"
for c in mesh-4x4 mesh-4x4-d8 mesh-8x8 mesh-8x8-d8; do
  cyc=12000; case $c in mesh-8x8*) cyc=6000 ;; esac
  for f in 1 4; do
    echo "-- $c, $f-flit packets, $cyc cycles per point"
    noc $c --sweep --flits $f --cycles $cyc --csv "$T/sweep-$c-$f.csv" > "$T/sweep-$c-$f.txt"
    cat "$T/sweep-$c-$f.txt"
  done
done
echo "-- saturation throughput, fraction of the XY bound 4/k"
printf '%-8s %-12s %-12s %-12s\n' mesh "FIFO depth" "1-flit" "4-flit"
for c in mesh-4x4 mesh-4x4-d8 mesh-8x8 mesh-8x8-d8; do
  d=4; case $c in *-d8) d=8 ;; esac
  printf '%-8s %-12s' "${c:5:3}" "$d"
  for f in 1 4; do printf ' %-12s' "$(sed -n 's/.*= \([0-9.]*%\) of the XY bound/\1/p' "$T/sweep-$c-$f.txt")"; done
  echo
done

echo "== 3. ring all-gather through the bypass ring of one row"
for c in mesh-4x4 mesh-8x8; do
  echo "-- $c"
  noc $c --allgather --csv "$T/allgather-$c.csv"
done

echo "== 4. simulated cycles per second, uniform load 0.3, packets of 1-8 flits, back-pressure 0.3 (3 runs)"
for c in mesh-4x4 mesh-8x8; do
  for i in 1 2 3; do
    noc $c --load 0.3 --cycles 20000 --seed $i | sed -n 's/.* \([0-9]*\) cycles\/s$/\1/p'
  done > "$T/rate-$c"
  echo "   $c: median $(median < "$T/rate-$c") cycles/s"
done

echo "== 5. plots"
gnuplot <<GP
set datafile separator ","
set terminal svg size 720,480 font "sans,12"
set output "$T/latency.svg"
set title "Uniform random traffic: mean latency against offered load"
set xlabel "offered load (fraction of the XY bound 4/k)"
set ylabel "mean packet latency (cycles)"
set key top left
set yrange [0:300]
plot for [c in "mesh-4x4 mesh-4x4-d8 mesh-8x8 mesh-8x8-d8"] for [f in "1 4"] \
     "$T/sweep-".c."-".f.".csv" every ::1 using (\$4/\$8):7 with linespoints \
     title substr(c, 6, 8).(strstrt(c, "d8") ? ", depth 8" : ", depth 4").", ".f." flit"
set output "$T/ring-utilization.svg"
set title "Ring all-gather over the bypass ring: link utilization against chunk size"
set xlabel "chunk per die (bytes)"
set ylabel "utilization of the ring links (%)"
set logscale x 2
set yrange [0:100]
set key bottom right
plot "$T/allgather-mesh-4x4.csv" every ::1 using 2:(100*\$5) with linespoints title "row of 4", \
     "$T/allgather-mesh-8x8.csv" every ::1 using 2:(100*\$5) with linespoints title "row of 8"
GP
ls "$T"/*.svg | sed 's/^/   /'
