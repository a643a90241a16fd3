#!/usr/bin/env bash
# Synthesize the network blocks one by one (Yosys 0.23, flattened, generic
# gates, then flows/cells.lib for area in NAND2 equivalents) and report cells,
# flip-flops, kGE and logic depth; the router over flit width and FIFO depth,
# with its area per port per flit bit, and a plot (docs/synthesis.md).
#   flows/synth_noc.sh OUT_DIR
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
rtl=$(cd "$here/../rtl_templates" && pwd)
lib=$here/cells.lib
mkdir -p "$out"
src="$rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"

# synth NAME MODULE PARAMS...: one flattened block; prints "cells ffs kge depth"
synth() {
  local name=$1 mod=$2; shift 2
  local set=""
  for p in "$@"; do set="$set -set ${p%%=*} ${p#*=}"; done
  yosys -q -l "$out/$name.log" -p "
    read_verilog -sv $src; chparam $set $mod;
    hierarchy -check -top $mod; rename -top $mod; proc; check -assert;
    select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
    synth -flatten -top $mod; check -assert;
    tee -q -o $out/$name.generic stat; tee -q -o $out/$name.ltp ltp -noff;
    dfflibmap -liberty $lib; abc -liberty $lib; opt_clean;
    tee -q -o $out/$name.mapped stat -liberty $lib" > /dev/null 2>&1 \
    || { tail -n 20 "$out/$name.log"; echo "synthesis of $name failed" >&2; exit 1; }
  local cells ffs kge depth
  cells=$(awk '/Number of cells:/ {print $4; exit}' "$out/$name.generic")
  ffs=$(awk '$1 ~ /^DFF/ && NF == 2 {n += $2} END {print n + 0}' "$out/$name.mapped")
  kge=$(awk '/Chip area for module/ {printf "%.3f", $NF / 1000}' "$out/$name.mapped")
  depth=$(sed -n 's/.*length=\([0-9]*\).*/\1/p' "$out/$name.ltp" | head -n 1)
  echo "$cells $ffs $kge $depth"
}

grid="MyX=2 MyY=1 NumX=6 NumY=4"   # a router inside a 4x4 mesh with IO columns
printf '%-34s %9s %7s %9s %6s %14s\n' block cells ffs kGE depth "GE/port/bit"
echo "block,flit_bits,depth,routing,cells,ffs,kge,logic_depth,ge_per_port_bit" > "$out/noc_synth.csv"
row() { # label flit depth routing "cells ffs kge depth"
  local label=$1 fw=$2 d=$3 r=$4; shift 4
  set -- $*
  local per="-"
  [ "$fw" != "-" ] && [ "${label%% *}" = router ] && per=$(awk -v k="$3" -v w="$fw" 'BEGIN {printf "%.2f", k * 1000 / 5 / w}')
  printf '%-34s %9s %7s %9s %6s %14s\n' "$label" "$1" "$2" "$3" "$4" "$per"
  echo "$label,$fw,$d,$r,$1,$2,$3,$4,$per" >> "$out/noc_synth.csv"
}
for d in 4 8; do
  for fw in 64 128 256; do
    row "router ${fw}-bit depth $d XY" "$fw" "$d" xy "$(synth "router_w${fw}_d${d}" tessera_router FlitW=$fw Depth=$d Routing=0 $grid)"
  done
done
row "router 128-bit depth 4 table" 128 4 table "$(synth router_w128_d4_table tessera_router FlitW=128 Depth=4 Routing=1 $grid)"
row "flit FIFO 130-bit depth 4" - 4 - "$(synth fifo_w130_d4 tessera_flit_fifo Width=130 Depth=4)"
row "electrical link 128-bit, 1 cycle" - - - "$(synth link_w128_l1 tessera_link FlitW=128 Latency=1)"
row "photonic stub 128-bit, 16x8 b" - 6 - "$(synth photonic_w128 tessera_photonic_link FlitW=128 Depth=6 EoOe=4 BitsPerCycle=128)"

gnuplot <<GP
set datafile separator ","
set terminal svg size 640,420 font "sans,12"
set output "$out/router_area.svg"
set title "Router area against flit width (XY routing, 5 ports)"
set xlabel "flit width (bits)"
set ylabel "area (kGE)"
set key top left
plot "< grep ',4,xy,' $out/noc_synth.csv" using 2:7 with linespoints title "FIFO depth 4", \
     "< grep ',8,xy,' $out/noc_synth.csv" using 2:7 with linespoints title "FIFO depth 8"
GP
echo "table: $out/noc_synth.csv; plot: $out/router_area.svg"
