#!/usr/bin/env bash
# Synthesize a generated die with Yosys and report area, flip-flops and depth.
#   flows/synth.sh RTL_DIR OUT_DIR
# One hierarchical run: every module (each FMA parameterization once) is
# synthesized to generic gates, checked (`check -assert` after proc and after
# synth, no latches), its logic depth measured (ltp on generic gates, flops
# excluded), then mapped to flows/cells.lib for area in NAND2 equivalents.
# SRAM banks are black boxes; their area comes from the macro model in
# docs/synthesis.md. Writes OUT_DIR/report.json and prints a table.
set -euo pipefail
rtl=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/cells.lib
mkdir -p "$out"
files=$(grep -v '^tessera_sram_bank.sv$' "$rtl/files.f" | sed "s|^|$rtl/|" | tr '\n' ' ')
top=$(tail -n 1 "$rtl/files.f"); top=${top%.sv}

yosys -q -l "$out/yosys.log" -p "
  read_verilog -sv $files; read_verilog $here/tessera_sram_bank_bb.v;
  hierarchy -check -top $top; proc; check -assert;
  select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
  synth -top $top; check -assert;
  select -assert-none t:\$_DLATCH_*;
  tee -q -o $out/generic.txt stat;
  tee -q -o $out/ltp.txt ltp -noff;
  dfflibmap -liberty $lib; abc -liberty $lib; opt_clean;
  tee -q -o $out/mapped.txt stat -liberty $lib;
  write_verilog -noattr $out/netlist.v" > /dev/null 2>&1 \
  || { tail -n 30 "$out/yosys.log"; echo "synthesis failed: $out/yosys.log"; exit 1; }

# Module names: "$paramod$HASH\tessera_x" or "$paramod\tessera_fma\Stages=..." -> tessera_x
block() { sed -e 's/^\$paramod\$[0-9a-f]*\\//' -e 's/^\$paramod\\//' -e 's/^\\//' -e 's/\\.*//'; }

param() { sed -n "s/^ *localparam int $1 = \([0-9]*\);.*/\1/p" "$rtl/$top.sv"; }
sram_bits=$(( ($(param WWords) + $(param AWords)) * 32 + $(param ImemWords) * 128 ))
# Macro model (docs/synthesis.md): 0.37 GE per bit, 28 nm high-density 6T cell.
sram_kge=$(awk -v b="$sram_bits" 'BEGIN {printf "%.1f", b * 0.37 / 1000}')

awk -v out="$out/report.json" -v sram_bits="$sram_bits" -v sram_kge="$sram_kge" -v top="$top" '
  function name(m) {
    sub(/^\$paramod\$[0-9a-f]*\\/, "", m); sub(/^\$paramod\\/, "", m); sub(/^\\/, "", m)
    sub(/\\.*/, "", m); return m
  }
  FILENAME ~ /generic.txt$/ && /^=== / { mod = name($2) }
  FILENAME ~ /generic.txt$/ && /Number of cells:/ && mod != "" { cells[mod] = $4; if (mod == "design") tot_cells = $4 }
  FILENAME ~ /generic.txt$/ && /=== design hierarchy ===/ { mod = "design" }
  FILENAME ~ /ltp.txt$/ && /^Longest topological path in/ {
    m = $5; d = $6; gsub(/[^0-9]/, "", d); depth[name(m)] = d
  }
  FILENAME ~ /mapped.txt$/ && /^=== / { mod = name($2); if ($2 == "design") mod = "design" }
  FILENAME ~ /mapped.txt$/ && /=== design hierarchy ===/ { mod = "design" }
  FILENAME ~ /mapped.txt$/ && $1 ~ /^DFF/ && NF == 2 && mod != "design" { ffs[mod] += $2 }
  FILENAME ~ /mapped.txt$/ && /Chip area for module/ { area[mod] = $NF }
  FILENAME ~ /mapped.txt$/ && /Chip area for top module/ { tot_area = $NF }
  END {
    n = split("tessera_fma tessera_opunit tessera_seq tessera_perf tessera_buffer tessera_ni tessera_flit_fifo tessera_pe_array " top, order, " ")
    printf "%-18s %10s %8s %10s %7s\n", "block", "cells", "ffs", "kGE", "depth"
    printf "{\n  \"top\": \"%s\",\n  \"blocks\": [\n", top > out
    for (i = 1; i <= n; i++) {
      b = order[i]; if (!(b in cells)) continue
      dep = (b == top || b == "tessera_pe_array") ? "-" : depth[b]
      printf "%-18s %10d %8d %10.2f %7s\n", b, cells[b], ffs[b], area[b] / 1000, dep
      printf "    {\"block\": \"%s\", \"cells\": %d, \"ffs\": %d, \"kge\": %.3f, \"depth\": %s}%s\n", \
        b, cells[b], ffs[b], area[b] / 1000, dep == "-" ? "null" : dep, i < n ? "," : "" > out
    }
    printf "  ],\n  \"die\": {\"logic_kge\": %.3f, \"sram_bits\": %d, \"sram_kge\": %s, \"total_kge\": %.3f}\n}\n", \
      tot_area / 1000, sram_bits, sram_kge, tot_area / 1000 + sram_kge > out
    printf "\ndie (hierarchy, SRAM as macros): logic %.1f kGE + SRAM %s kGE (%d bits) = %.1f kGE\n", \
      tot_area / 1000, sram_kge, sram_bits, tot_area / 1000 + sram_kge
  }' "$out/generic.txt" "$out/ltp.txt" "$out/mapped.txt"
echo "report: $out/report.json"
