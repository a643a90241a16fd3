#!/usr/bin/env bash
# Area scaling: synthesize the die for several MACs-per-PE points (lanes x
# vector, 2 PEs, the default die otherwise) and plot logic kGE against FMA
# units. Writes OUT/area.csv and OUT/area.png.
#   flows/synth_sweep.sh TESSERA_BIN OUT
set -euo pipefail
tessera=$1
out=$2
mkdir -p "$out"
echo "units,lanes,vector,fma_kge,opunit_kge,seq_kge,logic_kge,sram_kge" > "$out/area.csv"
for lv in "1 2" "2 2" "2 4" "4 4"; do  # 64 units: see docs/synthesis.md
  set -- $lv
  name="pe2_l$1_v$2"
  cat > "$out/$name.json" <<JSON
{ "name": "$name", "die": { "pe_count": 2, "lanes": $1, "vector": $2, "fma_stages": 2,
  "weight_buffer": { "bytes": 16384, "banks": 4 }, "act_buffer": { "bytes": 16384, "banks": 4 },
  "imem_words": 256 } }
JSON
  "$tessera" gen "$out/$name.json" -o "$out/$name/rtl"
  bash "$(dirname "$0")/synth.sh" "$out/$name/rtl" "$out/$name" > "$out/$name.txt"
  r=$out/$name/report.json
  kge() { sed -n "s/.*\"block\": \"$1\".*\"kge\": \([0-9.]*\).*/\1/p" "$r"; }
  logic=$(sed -n 's/.*"logic_kge": \([0-9.]*\).*/\1/p' "$r")
  sram=$(sed -n 's/.*"sram_kge": \([0-9.]*\).*/\1/p' "$r")
  echo "$((2 * $1 * $2)),$1,$2,$(kge tessera_fma),$(kge tessera_opunit),$(kge tessera_seq),$logic,$sram" \
    | tee -a "$out/area.csv"
done
gnuplot <<GP
set terminal png size 800,500 noenhanced
set output "$out/area.png"
set datafile separator ","
set key top left
set xlabel "FMA units (2 PEs x lanes x vector)"
set ylabel "kGE"
set title "Die logic area against MACs (Yosys 0.23, flows/cells.lib)"
plot "$out/area.csv" every ::1 using 1:7 with linespoints title "die logic", \
     "" every ::1 using 1:6 with linespoints title "controller (tessera_seq)"
GP
echo "plot: $out/area.png"
