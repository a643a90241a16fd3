#!/usr/bin/env bash
# Synthesize a generated die with Yosys and report area, flip-flops and depth.
#   flows/synth.sh [--check | --die] RTL_DIR OUT_DIR
# One hierarchical run of the die: every module (each parameterization once)
# is synthesized to generic gates and checked: `check -assert` after proc and
# after synth, no latch, and no flip-flop without reset beyond the registers
# that flows/noreset_allow.txt lists (flows/reset_check.sh). --check stops
# there (make test-synth). Otherwise each module's logic depth is measured
# (ltp on generic gates, flip-flops excluded) and the die is mapped onto
# flows/cells.lib for area in NAND2 equivalents, SRAM banks as black boxes
# whose area comes from the macro model in docs/synthesis.md; then the FMA
# at every pipeline depth and the network blocks of the config (router, link,
# photonic stub) are synthesized alone (not with --die). Writes
# OUT_DIR/report.json and prints a table.
set -euo pipefail
mode=full
case ${1:-} in
  --check) mode=check; shift ;;
  --die) mode=die; shift ;;
esac
rtl=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
lib=$here/cells.lib
mkdir -p "$out"
files=$(grep -v '^tessera_sram_bank.sv$' "$rtl/files.f" | sed "s|^|$rtl/|" | tr '\n' ' ')
top=$(tail -n 1 "$rtl/files.f"); top=${top%.sv}

checks="read_verilog -sv $files; read_verilog $here/tessera_sram_bank_bb.v;
  hierarchy -check -top $top; tee -q -o $out/params.txt dump -m w:clk_i;
  proc; check -assert;
  select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
  synth -top $top; check -assert;
  select -assert-none t:\$_DLATCH*;
  tee -q -o $out/noreset.txt select -list $NORESET_SEL %co:+[Q] w:* %i"
# Depth of the modules that hold logic: the die top and the PE array only
# wire instances together (ltp would follow false loops through them).
report="tee -q -o $out/generic.txt stat;
  tee -q -o $out/ltp.txt ltp -noff * A:top %d *pe_array %d;
  dfflibmap -liberty $lib; abc -liberty $lib; opt_clean;
  tee -q -o $out/mapped.txt stat -liberty $lib;
  write_verilog -noattr $out/netlist.v"
[ "$mode" = check ] && report=""
yosys -q -l "$out/yosys.log" -p "$checks; $report" > /dev/null 2>&1 \
  || { tail -n 30 "$out/yosys.log"; echo "synthesis failed: $out/yosys.log"; exit 1; }
bash "$here/reset_check.sh" "$out/noreset.txt" "$here/noreset_allow.txt"
[ "$mode" = check ] && exit 0

# ---- the blocks alone -------------------------------------------------------------
# blocks.txt: block [Stages=N] cells ffs kGE depth what, one a line.
blocks=$out/blocks.txt
: > "$blocks"
[ "$mode" = die ] || for s in 1 2 3 4; do
  r=$(synth_block "$out" "fma_s$s" tessera_fma "$rtl/tessera_fma.sv" Stages=$s)
  echo "tessera_fma Stages=$s $r FMA alone, $s-cycle latency" >> "$blocks"
done
jval() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$rtl/config.resolved.json" | head -n 1; }
noc_src="$rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"
fw=$(jval flit_bits)
if [ "$mode" = full ] && [ -f "$rtl/tessera_noc.sv" ]; then
  # The first router and the first electrical link as the generator emitted them.
  rp=$(sed -n 's/.*tessera_router #(\(.*\)) u_.*/\1/p' "$rtl/tessera_noc.sv" | head -n 1 \
       | sed -e 's/\.\([A-Za-z]*\)(\([^)]*\))/\1=\2/g' -e 's/,//g' -e "s/FlitW=FlitW/FlitW=$fw/")
  lat=$(sed -n 's/.*tessera_link #(.FlitW(FlitW), .Latency(\([0-9]*\))).*/\1/p' "$rtl/tessera_noc.sv" | head -n 1)
  pp="FlitW=$fw Depth=$(jval fifo_depth) EoOe=$(jval eo_oe_latency)"
  pp="$pp BitsPerCycle=$(( $(jval wavelengths) * $(jval bits_per_wavelength) ))"
  r=$(synth_block "$out" router tessera_router "$noc_src" $rp)
  echo "tessera_router $r router: $rp" >> "$blocks"
  r=$(synth_block "$out" link tessera_link "$noc_src" FlitW=$fw Latency=${lat:-1})
  echo "tessera_link $r electrical link: FlitW=$fw Latency=${lat:-1}" >> "$blocks"
  r=$(synth_block "$out" photonic tessera_photonic_link "$noc_src" $pp)
  echo "tessera_photonic_link $r photonic stub: $pp" >> "$blocks"
fi

# ---- the report ---------------------------------------------------------------------
param() { sed -n "s/^ *localparam int $1 = \([0-9]*\);.*/\1/p" "$rtl/$top.sv"; }
sram_bits=$(( ($(param WWords) + $(param AWords)) * 32 + $(param ImemWords) * 128 ))
# Macro model (docs/synthesis.md): 0.37 GE per bit, 28 nm high-density 6T cell.
sram_kge=$(awk -v b="$sram_bits" 'BEGIN {printf "%.1f", b * 0.37 / 1000}')
units=$(( $(jval pe_count) * $(jval lanes) * $(jval vector) ))
per_pe=$(( $(jval lanes) * $(jval vector) ))

awk -v out="$out/report.json" -v sram_bits="$sram_bits" -v sram_kge="$sram_kge" -v top="$top" \
    -v per_pe="$per_pe" -v units="$units" '
  function base(m) {
    sub(/^\$paramod\$[0-9a-f]*\\/, "", m); sub(/^\$paramod\\/, "", m); sub(/^\\/, "", m)
    sub(/\\.*/, "", m); return m
  }
  function row(b, c, f, k, d, what) {
    nrow++; rb[nrow] = b; rc[nrow] = c; rf[nrow] = f; rk[nrow] = k; rd[nrow] = d; rw[nrow] = what
  }
  # Parameters of every module (after hierarchy), to tell parameterizations apart.
  FILENAME ~ /params.txt$/ && /^module / { pm = $2; next }
  FILENAME ~ /params.txt$/ && /^  parameter / { v = $3; sub(/^\\/, "", $2); prm[pm] = prm[pm] " " $2 "=" v; next }
  FILENAME ~ /generic.txt$/ && /^=== / { mod = $2; if (mod == "design") mod = ""; else mods[++nm] = mod }
  FILENAME ~ /generic.txt$/ && /=== design hierarchy ===/ { mod = "" }
  FILENAME ~ /generic.txt$/ && /Number of cells:/ && mod != "" { cells[mod] = $4 }
  FILENAME ~ /ltp.txt$/ && /^Longest topological path in/ {
    d = $6; gsub(/[^0-9]/, "", d); depth[$5] = d
  }
  FILENAME ~ /mapped.txt$/ && /^=== / { mod = $2; if (mod == "design") mod = "" }
  FILENAME ~ /mapped.txt$/ && /=== design hierarchy ===/ { mod = "" }
  FILENAME ~ /mapped.txt$/ && $1 ~ /^DFF/ && NF == 2 && mod != "" { ffs[mod] += $2 }
  FILENAME ~ /mapped.txt$/ && /Chip area for module/ { area[mod] = $NF }
  FILENAME ~ /mapped.txt$/ && /Chip area for top module/ { tot_area = $NF }
  FILENAME ~ /blocks.txt$/ { x[++nx] = $0 }
  END {
    n = split("tessera_fma tessera_opunit tessera_seq tessera_perf tessera_buffer tessera_ni tessera_flit_fifo tessera_pe_array " top, order, " ")
    for (i = 1; i <= nm; i++) nb[base(mods[i])]++
    for (o = 1; o <= n; o++)
      for (i = 1; i <= nm; i++) {
        m = mods[i]; b = base(m)
        if (b != order[o]) continue
        label = b
        if (nb[b] > 1) label = b " (" substr(prm[m], 2) ")"
        else if (b == "tessera_fma") label = b " " substr(prm[m], 2)
        dep = (b == top || b == "tessera_pe_array") ? "-" : depth[m]
        row(label, cells[m], ffs[m], area[m] / 1000, dep, "in the die")
        if (b == "tessera_fma") { fc = cells[m]; ff = ffs[m]; fk = area[m] / 1000; fd = depth[m] }
        if (b == "tessera_opunit") { oc = cells[m]; of = ffs[m]; ok = area[m] / 1000; od = depth[m] }
      }
    # One PE: lanes x vector FMA units with their operand registers (no module of its own).
    row("PE (" per_pe " x (tessera_fma + tessera_opunit))", per_pe * (fc + oc), per_pe * (ff + of),
        per_pe * (fk + ok), fd > od ? fd : od, "derived: " per_pe " units of the rows above")
    for (i = 1; i <= nx; i++) {
      split(x[i], f, " ")
      b = f[1]; j = 2
      if (f[2] ~ /^Stages=/) { b = b " " f[2]; j = 3 }
      what = x[i]; for (k = 1; k < j + 4; k++) sub(/^[^ ]* /, "", what)
      row(b, f[j], f[j + 1], f[j + 2], f[j + 3], what)
    }
    printf "%-44s %9s %7s %9s %6s\n", "block", "cells", "ffs", "kGE", "depth"
    printf "{\n  \"top\": \"%s\",\n  \"fma_units\": %d,\n  \"blocks\": [\n", top, units > out
    for (i = 1; i <= nrow; i++) {
      printf "%-44s %9d %7d %9.2f %6s\n", rb[i], rc[i], rf[i], rk[i], rd[i]
      printf "    {\"block\": \"%s\", \"cells\": %d, \"ffs\": %d, \"kge\": %.3f, \"depth\": %s, \"what\": \"%s\"}%s\n", \
        rb[i], rc[i], rf[i], rk[i], rd[i] == "-" ? "null" : rd[i], rw[i], i < nrow ? "," : "" > out
    }
    printf "  ],\n  \"die\": {\"logic_kge\": %.3f, \"sram_bits\": %d, \"sram_kge\": %s, \"total_kge\": %.3f}\n}\n", \
      tot_area / 1000, sram_bits, sram_kge, tot_area / 1000 + sram_kge > out
    printf "\ndie (hierarchy, SRAM as macros): logic %.1f kGE + SRAM %s kGE (%d bits) = %.1f kGE\n", \
      tot_area / 1000, sram_kge, sram_bits, tot_area / 1000 + sram_kge
  }' "$out/params.txt" "$out/generic.txt" "$out/ltp.txt" "$out/mapped.txt" "$blocks"
echo "report: $out/report.json"
