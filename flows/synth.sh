#!/usr/bin/env bash
# Synthesize a generated die with Yosys and report area, flip-flops and depth.
#   flows/synth.sh [--check | --die] RTL_DIR OUT_DIR
# One hierarchical run of the die: every module (each parameterization once)
# is synthesized to generic gates and checked: `check -assert` after proc and
# after synth, no latch, and no register without reset (listed after proc)
# beyond those that flows/noreset_allow.txt names (flows/reset_check.sh).
# --check stops there (make test-synth). Otherwise each module's logic depth
# is measured (ltp on generic gates, flip-flops excluded) and the die is
# mapped onto flows/cells.lib (ABC_MAP) for area in NAND2 equivalents, SRAM
# banks as black boxes whose area comes from the macro model in
# docs/synthesis.md; beside it (not with --die) the FMA at every pipeline
# depth, the single-cycle FMA with registered inputs, and the network blocks
# of the config (router, link, photonic stub) are synthesized alone, JOBS
# Yosys runs at a time. Writes OUT_DIR/report.json and prints a table.
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
  tee -q -o $out/noreset.txt select -list $NORESET_SEL;
  synth -top $top; check -assert;
  select -assert-none t:\$_DLATCH*"
# Depth of the modules that hold logic: the die top and the PE array only
# wire instances together (ltp would follow false loops through them).
report="tee -q -o $out/generic.txt stat;
  tee -q -o $out/ltp.txt ltp -noff * A:top %d *pe_array %d;
  dfflibmap -liberty $lib; $ABC_MAP; opt_clean;
  tee -q -o $out/mapped.txt stat -liberty $lib;
  write_verilog -noattr $out/netlist.v"
[ "$mode" = check ] && report=""
die_run() {
  yosys -q -l "$out/yosys.log" -p "$checks; $report" > /dev/null 2>&1 \
    || { tail -n 30 "$out/yosys.log"; echo "synthesis failed: $out/yosys.log"; return 1; }
  bash "$here/reset_check.sh" "$out/noreset.txt" "$here/noreset_allow.txt"
}
if [ "$mode" != full ]; then
  die_run
  [ "$mode" = check ] && exit 0
fi

# ---- the blocks alone -------------------------------------------------------------
# blocks.txt: block [Stages=N] cells ffs kGE depth what, one a line. In full
# mode the die and the blocks run as jobs, JOBS at a time (default 1), the
# longest first; each block writes its line to OUT/NAME.row.
jval() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$rtl/config.resolved.json" | head -n 1; }
blocks=$out/blocks.txt
: > "$blocks"
names=()
block() { # NAME "LABEL" "WHAT" MODULE FILES PARAMS...: one block alone, as a job
  local name=$1 label=$2 what=$3
  shift 3
  names+=("$name")
  job "$name" bash -c '. "$1/synth_lib.sh"; r=$(synth_block "$2" "${@:5}") && echo "$3 $r $4" > "$2/$5.row"' \
    _ "$here" "$out" "$label" "$what" "$name" "$@"
}
running=0
failed=0
job() { # NAME CMD...: run CMD in the background, at most JOBS at a time
  local name=$1
  shift
  if [ "$running" -ge "${JOBS:-1}" ]; then wait -n || failed=1; running=$((running - 1)); fi
  "$@" > "$out/$name.out" 2>&1 &
  running=$((running + 1))
}
if [ "$mode" = full ]; then
  job die die_run
  noc_src="$rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"
  fw=$(jval flit_bits)
  block fma_regin tessera_fma_regin "FMA at Stages=1 with its inputs registered too" \
    tessera_fma_regin "$rtl/tessera_fma.sv $here/tessera_fma_regin.sv"
  for s in 1 2 3 4; do
    block "fma_s$s" "tessera_fma Stages=$s" "FMA alone, $s-cycle latency" \
      tessera_fma "$rtl/tessera_fma.sv" Stages=$s
  done
  if [ -f "$rtl/tessera_noc.sv" ]; then
    # The first router and the first electrical link as the generator emitted them.
    rp=$(sed -n 's/.*tessera_router #(\(.*\)) u_.*/\1/p' "$rtl/tessera_noc.sv" | head -n 1 \
         | sed -e 's/\.\([A-Za-z]*\)(\([^)]*\))/\1=\2/g' -e 's/,//g' -e "s/FlitW=FlitW/FlitW=$fw/")
    lat=$(sed -n 's/.*tessera_link #(.FlitW(FlitW), .Latency(\([0-9]*\))).*/\1/p' "$rtl/tessera_noc.sv" | head -n 1)
    pp="FlitW=$fw Depth=$(jval fifo_depth) EoOe=$(jval eo_oe_latency)"
    pp="$pp BitsPerCycle=$(( $(jval wavelengths) * $(jval bits_per_wavelength) ))"
    # shellcheck disable=SC2086
    block router tessera_router "router: $rp" tessera_router "$noc_src" $rp
    block link tessera_link "electrical link: FlitW=$fw Latency=${lat:-1}" \
      tessera_link "$noc_src" FlitW="$fw" Latency="${lat:-1}"
    # shellcheck disable=SC2086
    block photonic tessera_photonic_link "photonic stub: $pp" tessera_photonic_link "$noc_src" $pp
  fi
  while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
  cat "$out/die.out"
  for n in "${names[@]}"; do
    if [ -f "$out/$n.row" ]; then cat "$out/$n.row" >> "$blocks"; else cat "$out/$n.out"; failed=1; fi
  done
  [ "$failed" = 0 ] || { echo "synthesis failed"; exit 1; }
fi

# ---- the report ---------------------------------------------------------------------
param() { sed -n "s/^ *localparam int $1 = \([0-9]*\);.*/\1/p" "$rtl/$top.sv"; }
imem_bits=$(( $(param ImemWords) * 128 ))
sram_bits=$(( ($(param WWords) + $(param AWords)) * 32 + imem_bits ))
units=$(( $(jval pe_count) * $(jval lanes) * $(jval vector) ))
per_pe=$(( $(jval lanes) * $(jval vector) ))

# Macro model (docs/synthesis.md): 0.37 GE per bit, 28 nm high-density 6T cell.
# A buffer's macros are its Words x 32 bits; the die top holds the instruction
# memory (4 banks of ImemWords x 32 bits).
awk -v out="$out/report.json" -v top="$top" -v imem_bits="$imem_bits" -v sram_bits="$sram_bits" \
    -v per_pe="$per_pe" -v units="$units" -v ge_per_bit=0.37 '
  function base(m) {
    sub(/^\$paramod\$[0-9a-f]*\\/, "", m); sub(/^\$paramod\\/, "", m); sub(/^\\/, "", m)
    sub(/\\.*/, "", m); return m
  }
  function row(b, n, c, f, k, sk, d, what) {
    nrow++; rb[nrow] = b; rn[nrow] = n; rc[nrow] = c; rf[nrow] = f; rk[nrow] = k
    rs[nrow] = sk; rd[nrow] = d; rw[nrow] = what
  }
  # Parameters of every module (after hierarchy), to tell parameterizations apart.
  FILENAME ~ /params.txt$/ && /^module / { pm = $2; next }
  FILENAME ~ /params.txt$/ && /^  parameter / {
    v = $3; sub(/^\\/, "", $2); prm[pm] = prm[pm] " " $2 "=" v; pv[pm, $2] = v; next
  }
  FILENAME ~ /generic.txt$/ && /=== design hierarchy ===/ { mod = ""; hier = 1; next }
  FILENAME ~ /generic.txt$/ && /^=== / { mod = $2; mods[++nm] = mod; next }
  # The hierarchy: instances per module, nested counts multiplied out.
  FILENAME ~ /generic.txt$/ && hier == 1 && NF == 2 && $2 ~ /^[0-9]+$/ {
    match($0, /^ */); lv = (RLENGTH - 3) / 2; mult[lv] = $2 * (lv > 0 ? mult[lv - 1] : 1)
    inst[$1] += mult[lv]; up[lv] = $1; if (lv > 0) kid[up[lv - 1], $1] = $2
    seen = 1; next
  }
  FILENAME ~ /generic.txt$/ && hier == 1 && seen && NF == 0 { hier = 2 }
  FILENAME ~ /generic.txt$/ && /Number of cells:/ { if (mod != "") cells[mod] = $4; else tot_cells = $4 }
  FILENAME ~ /ltp.txt$/ && /^Longest topological path in/ {
    d = $6; gsub(/[^0-9]/, "", d); depth[$5] = d
  }
  FILENAME ~ /mapped.txt$/ && /=== design hierarchy ===/ { mod = ""; next }
  FILENAME ~ /mapped.txt$/ && /^=== / { mod = $2; next }
  FILENAME ~ /mapped.txt$/ && $1 ~ /^DFF/ && NF == 2 { if (mod != "") ffs[mod] += $2; else tot_ffs += $2 }
  FILENAME ~ /mapped.txt$/ && /Chip area for module/ { area[mod] = $NF }
  FILENAME ~ /mapped.txt$/ && /Chip area for top module/ { tot_area = $NF }
  FILENAME ~ /blocks.txt$/ { x[++nx] = $0 }
  # A module with everything below it: t[] is cells, ffs or area per module.
  function subtree(m, t,  k, p, s) {
    s = t[m]
    for (k in kid) { split(k, p, SUBSEP); if (p[1] == m) s += kid[k] * subtree(p[2], t) }
    return s
  }
  function subdepth(m,  k, p, s, d) {
    s = depth[m] + 0
    for (k in kid) { split(k, p, SUBSEP); if (p[1] == m) { d = subdepth(p[2]); if (d > s) s = d } }
    return s
  }
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
        dep = b == top ? "-" : depth[m]
        bits = b == "tessera_buffer" ? pv[m, "Words"] * 32 : b == top ? imem_bits : 0
        what = b == top ? "the die top alone (host decode, instruction memory)" : "one instance in the die"
        if (b == "tessera_pe_array")  # only wires its FMA units: report it with them
          row(b " (with its FMA units)", inst[m], subtree(m, cells), subtree(m, ffs),
              subtree(m, area) / 1000, 0, subdepth(m), "the PE array and the FMA units it instantiates")
        else
          row(label, inst[m], cells[m], ffs[m], area[m] / 1000, bits * ge_per_bit / 1000, dep, what)
        if (b == "tessera_fma") { fc = cells[m]; ff = ffs[m]; fk = area[m] / 1000; fd = depth[m] }
        if (b == "tessera_opunit") { oc = cells[m]; of = ffs[m]; ok = area[m] / 1000; od = depth[m] }
      }
    # One PE: lanes x vector FMA units with their operand registers (no module of its own).
    row("PE (" per_pe " x (tessera_fma + tessera_opunit))", units / per_pe, per_pe * (fc + oc),
        per_pe * (ff + of), per_pe * (fk + ok), 0, fd > od ? fd : od,
        "derived: " per_pe " units of the rows above")
    sram_kge = sram_bits * ge_per_bit / 1000
    row("die (" top ", SRAM as macros)", 1, tot_cells, tot_ffs, tot_area / 1000, sram_kge, "-",
        "the whole die: every instance above, flattened count")
    for (i = 1; i <= nx; i++) {
      split(x[i], f, " ")
      b = f[1]; j = 2
      if (f[2] ~ /^Stages=/) { b = b " " f[2]; j = 3 }
      what = x[i]; for (k = 1; k < j + 4; k++) sub(/^[^ ]* /, "", what)
      row(b, "-", f[j], f[j + 1], f[j + 2], 0, f[j + 3], what)
    }
    printf "%-46s %4s %8s %7s %9s %9s %6s\n", "block", "n", "cells", "ffs", "kGE", "SRAM kGE", "depth"
    printf "{\n  \"top\": \"%s\",\n  \"fma_units\": %d,\n  \"blocks\": [\n", top, units > out
    for (i = 1; i <= nrow; i++) {
      printf "%-46s %4s %8d %7d %9.2f %9.2f %6s\n", rb[i], rn[i], rc[i], rf[i], rk[i], rs[i], rd[i]
      printf "    {\"block\": \"%s\", \"instances\": %s, \"cells\": %d, \"ffs\": %d, \"kge\": %.3f, \"sram_kge\": %.3f, \"depth\": %s, \"what\": \"%s\"}%s\n", \
        rb[i], rn[i] == "-" ? "null" : rn[i], rc[i], rf[i], rk[i], rs[i], rd[i] == "-" ? "null" : rd[i], rw[i], \
        i < nrow ? "," : "" > out
    }
    printf "  ],\n  \"die\": {\"logic_kge\": %.3f, \"sram_bits\": %d, \"sram_kge\": %.3f, \"total_kge\": %.3f}\n}\n", \
      tot_area / 1000, sram_bits, sram_kge, tot_area / 1000 + sram_kge > out
    printf "\nn: instances in the die; kGE: logic on flows/cells.lib; depth: gate levels (ltp -noff)\n"
    printf "die: logic %.1f kGE + SRAM %.1f kGE (%d bits, 0.37 GE/bit) = %.1f kGE\n", \
      tot_area / 1000, sram_kge, sram_bits, tot_area / 1000 + sram_kge
  }' "$out/params.txt" "$out/generic.txt" "$out/ltp.txt" "$out/mapped.txt" "$blocks"
echo "report: $out/report.json"
