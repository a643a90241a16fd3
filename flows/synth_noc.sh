#!/usr/bin/env bash
# Synthesize the network blocks one by one (Yosys 0.23, flattened, generic
# gates, then flows/cells.lib for area in NAND2 equivalents) and report cells,
# flip-flops, kGE and logic depth; the router over flit width and FIFO depth,
# with its area per port per flit bit, and a plot (docs/synthesis.md).
#   flows/synth_noc.sh OUT_DIR RTL_DIR
# RTL_DIR is a `tessera gen` output: the blocks with the tessera_pkg they read.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
rtl=$(cd "$2" && pwd)
mkdir -p "$out"
src="$rtl/tessera_pkg.sv $rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"

grid="MyX=2 MyY=1 NumX=6 NumY=4"   # a router inside a 4x4 mesh with IO columns
printf '%-34s %9s %7s %9s %6s %14s\n' block cells ffs kGE depth "GE/port/bit"
echo "block,flit_bits,depth,routing,cells,ffs,kge,logic_depth,ge_per_port_bit" > "$out/noc_synth.csv"
row() { # label flit depth routing NAME MODULE PARAMS...: synthesize and print one row
  local label=$1 fw=$2 d=$3 r=$4 res; shift 4
  res=$(synth_block "$out" "$1" "$2" "$src" "${@:3}")
  set -- $res
  local per="-"
  [ "$fw" != "-" ] && [ "${label%% *}" = router ] && per=$(awk -v k="$3" -v w="$fw" 'BEGIN {printf "%.2f", k * 1000 / 5 / w}')
  printf '%-34s %9s %7s %9s %6s %14s\n' "$label" "$1" "$2" "$3" "$4" "$per"
  echo "$label,$fw,$d,$r,$1,$2,$3,$4,$per" >> "$out/noc_synth.csv"
}
for d in 4 8; do
  for fw in 64 128 256; do
    row "router ${fw}-bit depth $d XY" "$fw" "$d" xy "router_w${fw}_d${d}" tessera_router FlitW=$fw Depth=$d Routing=0 $grid
  done
done
row "router 128-bit depth 4 table" 128 4 table router_w128_d4_table tessera_router FlitW=128 Depth=4 Routing=1 $grid
row "flit FIFO 130-bit depth 4" - 4 - fifo_w130_d4 tessera_flit_fifo Width=130 Depth=4
row "electrical link 128-bit, 1 cycle" - - - link_w128_l1 tessera_link FlitW=128 Latency=1
row "photonic stub 128-bit, 16x8 b" - 6 - photonic_w128 tessera_photonic_link FlitW=128 Depth=6 EoOe=4 BitsPerCycle=128

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
