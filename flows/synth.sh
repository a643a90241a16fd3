#!/usr/bin/env bash
# Synthesize a generated die with Yosys and report area, flip-flops and depth.
#   flows/synth.sh [--die] RTL_DIR OUT_DIR
# One hierarchical run of the die: every module (each parameterization once)
# is synthesized to generic gates and checked: `check -assert` after proc and
# after synth, no latch, and no register without reset (listed after proc)
# beyond those that flows/noreset_allow.txt names (flows/reset_check.sh).
# Then each module's logic depth is measured (ltp on generic gates, flip-flops excluded) and the die is
# mapped onto flows/cells.lib for area in NAND2 equivalents, SRAM banks as
# black boxes whose area comes from the macro model (flows/sram_area.awk,
# docs/synthesis.md). --die stops there, with the report (make test-synth,
# flows/synth_sweep.sh). Otherwise, beside the die, the FMA at every pipeline
# depth, the single-cycle FMA with registered inputs, and the network blocks
# of the config (router, link, photonic stub) are synthesized alone, JOBS
# Yosys runs at a time. Writes OUT_DIR/report.json and prints a table. The
# Yosys scripts are flows/yosys/*.ys, filled into OUT_DIR/*.ys: rerun one
# with `yosys -s`.
set -euo pipefail
mode=full
case ${1:-} in
  --die) mode=die; shift ;;
esac
mkdir -p "$2"
rtl=$(cd "$1" && pwd)
out=$(cd "$2" && pwd)  # absolute, so that the scripts written there run from anywhere
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
files=$(grep -v '^tessera_sram_bank.sv$' "$rtl/files.f" | sed "s|^|$rtl/|" | tr '\n' ' ')
top=$(tail -n 1 "$rtl/files.f"); top=${top%.sv}

# The die's script: flows/yosys/die_check.ys, then die_report.ys.
yosys_script "die_check.ys die_report.ys" "$out/die.ys" FILES="$files" TOP="$top" OUT="$out" \
  NORESET_SEL="$NORESET_SEL"
die_run() {
  yosys_run "$out/die.ys" "$out/yosys.log" || return 1
  bash "$here/reset_check.sh" "$out/noreset.txt" "$here/noreset_allow.txt"
}
[ "$mode" = die ] && die_run

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
  noc_src="$rtl/tessera_pkg.sv $rtl/tessera_flit_fifo.sv $rtl/tessera_router.sv $rtl/tessera_link.sv $rtl/tessera_photonic_link.sv"
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
units=$(( $(jval pe_count) * $(jval lanes) * $(jval vector) ))
per_pe=$(( $(jval lanes) * $(jval vector) ))
awk -f "$here/sram_area.awk" -f "$here/synth_report.awk" -v out="$out/report.json" -v top="$top" \
    -v per_pe="$per_pe" -v units="$units" \
    "$out/params.txt" "$out/banks.txt" "$out/generic.txt" "$out/ltp.txt" "$out/mapped.txt" "$blocks"
echo "report: $out/report.json"
