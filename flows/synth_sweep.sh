#!/usr/bin/env bash
# Area scaling (docs/synthesis.md): how logic grows with MACs per PE, flit
# width and router FIFO depth. Three small sweeps, one plot with a panel each:
#   MACs per PE   the default die with 2 PEs and lanes x vector from 1 x 2 to
#                 4 x 8 (flows/synth.sh --die), die logic and FMA units
#   flit width    the router alone (5 ports, XY), 32 to 256 bits, FIFO depth 4
#   FIFO depth    the router alone, 128-bit flits, depth 2 to 16
# Writes OUT/macs.csv, OUT/router.csv and OUT/scaling.png. With JOBS=2 or
# more (make's JOBS) the router points run beside the die points.
#   flows/synth_sweep.sh TESSERA_BIN OUT
set -euo pipefail
tessera=$1
out=$2
jobs=${JOBS:-1}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
mkdir -p "$out"
# The router's blocks as generated, with the tessera_pkg they read.
"$tessera" gen "$here/../configs/default.json" -o "$out/rtl" > /dev/null
rtl=$(cd "$out/rtl" && pwd)

kge() { sed -n "s/.*\"block\": \"$1[^\"]*\".*\"kge\": \([0-9.]*\).*/\1/p" "$2" | head -n 1; }
macs_sweep() {
echo "units,lanes,vector,fma_kge,opunit_kge,seq_kge,logic_kge,sram_kge" > "$out/macs.csv"
for lv in "1 2" "2 2" "2 4" "4 4" "4 8"; do
  set -- $lv
  name="pe2_l$1_v$2"
  cat > "$out/$name.json" <<JSON
{ "name": "$name", "die": { "pe_count": 2, "lanes": $1, "vector": $2, "fma_stages": 2,
  "weight_buffer": { "bytes": 16384, "banks": 4 }, "act_buffer": { "bytes": 16384, "banks": 4 },
  "imem_words": 256 } }
JSON
  "$tessera" gen "$out/$name.json" -o "$out/$name/rtl" > /dev/null
  bash "$here/synth.sh" --die "$out/$name/rtl" "$out/$name" > "$out/$name.txt"
  r=$out/$name/report.json
  logic=$(sed -n '/"die":/s/.*"logic_kge": \([0-9.]*\).*/\1/p' "$r")
  sram=$(sed -n '/"die":/s/.*"sram_kge": \([0-9.]*\).*/\1/p' "$r")
  echo "$((2 * $1 * $2)),$1,$2,$(kge tessera_fma "$r"),$(kge tessera_opunit "$r"),$(kge tessera_seq "$r"),$logic,$sram" \
    | tee -a "$out/macs.csv"
done
}

router_sweep() {
echo "flit_bits,depth,cells,ffs,kge,logic_depth,ge_per_port_bit" > "$out/router.csv"
noc_src="$rtl/tessera_pkg.sv $rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"
for wd in "32 4" "64 4" "128 4" "256 4" "128 2" "128 8" "128 16"; do
  set -- $wd
  r=$(synth_block "$out" "router_w$1_d$2" tessera_router "$noc_src" \
    FlitW="$1" Depth="$2" Routing=0 MyX=2 MyY=1 NumX=6 NumY=4)
  set -- "$1" "$2" $r
  echo "$1,$2,$3,$4,$5,$6,$(awk -v k="$5" -v w="$1" 'BEGIN {printf "%.1f", k * 1000 / 5 / w}')" \
    | tee -a "$out/router.csv"
done
}

if [ "$jobs" -gt 1 ]; then
  router_sweep > "$out/router.txt" 2>&1 &
  rpid=$!
  macs_sweep
  wait "$rpid" || { cat "$out/router.txt"; exit 1; }
  cat "$out/router.txt"
else
  macs_sweep
  router_sweep
fi

gnuplot <<GP
set terminal png size 1200,420 noenhanced
set output "$out/scaling.png"
set datafile separator ","
set multiplot layout 1,3 title "Logic area (Yosys 0.23, flows/cells.lib, kGE)"
set key top left
set grid
set title "MACs: die with 2 PEs, lanes x vector"
set xlabel "FMA units"
set ylabel "kGE"
plot "$out/macs.csv" every ::1 using 1:7 with linespoints title "die logic", \
     "" every ::1 using 1:(\$1 * (\$4 + \$5)) with linespoints title "FMA + operand units"
set title "Router: flit width (FIFO depth 4)"
set xlabel "flit width (bits)"
plot "< awk -F, 'NR > 1 && \$2 == 4' $out/router.csv" using 1:5 with linespoints title "router (5 ports)"
set title "Router: FIFO depth (128-bit flits)"
set xlabel "FIFO depth (flits)"
plot "< awk -F, 'NR > 1 && \$1 == 128' $out/router.csv | sort -t, -k2n" using 2:5 with linespoints title "router (5 ports)"
unset multiplot
GP
echo "data: $out/macs.csv $out/router.csv; plot: $out/scaling.png"
