# shellcheck shell=bash disable=SC2034
# flows/synth_lib.sh: what the synthesis flows share (sourced, not run).
#
# synth_block OUT NAME TOP "FILES" [PARAM=VALUE ...]
#   Synthesizes module TOP of FILES alone, flattened (flows/yosys/block.ys):
#   `check -assert` after proc and after synth, no latch; generic cells (stat)
#   and logic depth (ltp -noff: gate levels between flip-flops and ports),
#   then flip-flops and area on flows/cells.lib. Writes OUT/NAME.{ys,log,
#   generic,ltp,mapped} and prints "cells ffs kge depth".
#
# NORESET_SEL: a Yosys selection, right after `proc`, of the registers without
#   an asynchronous reset: the wires that flip-flops without one drive ($dff,
#   and the enable, synchronous-reset and async-load kinds should proc make
#   them), without Yosys' own temporaries ($-names: for-loop variables and
#   memory write-port signals; *$func$*: function-call locals), and every
#   memory (m:*, storage that cannot be reset). After proc each register
#   still has its RTL name; after synth a flip-flop may drive only an
#   internal wire (wreduce and alumacc rename them), so the check runs on the
#   RTL's registers, not on the netlist's cells. flows/reset_check.sh
#   compares the list with an allow-list.

# The Yosys scripts are templates in flows/yosys/ (yosys_script fills them).
#   They map onto flows/cells.lib with flows/abc_map.abc: Yosys' default ABC
#   script for a liberty library without its SAT sweeping (&fraig -x, scorr).
#   On the die's FMA module the default script took 8 minutes (&fraig -x most
#   of it) on a network it maps within seconds when the FMA is synthesized
#   alone; without the sweeping every mapping takes seconds and the FMA's
#   area moves by at most 2 % (docs/synthesis.md).

synth_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NORESET_SEL='t:$dff t:$dffe t:$sdff t:$sdffe t:$sdffce t:$aldff t:$aldffe %u %u %u %u %u %u %co:+[Q] w:* %i w:$* %d w:*$func$* %d m:* %u'

# yosys_script "TEMPLATE..." OUT_YS [KEY=VALUE ...]
#   Concatenates the templates of flows/yosys/, fills their @KEY@ fields (and
#   @FLOWS@, this directory) and writes the script to OUT_YS, where a user can
#   rerun it with `yosys -s`. Fails, writing nothing, if a field is left.
yosys_script() {
  local tpl text="" kv
  for tpl in $1; do text+=$(< "$synth_lib_dir/yosys/$tpl")$'\n'; done
  shift
  local dst=$1
  shift
  text=${text//@FLOWS@/"$synth_lib_dir"}
  for kv in "$@"; do text=${text//"@${kv%%=*}@"/"${kv#*=}"}; done
  if [[ $text =~ @[A-Z_]+@ ]]; then echo "yosys_script: ${BASH_REMATCH[0]} left unfilled in $dst" >&2; return 1; fi
  printf '%s' "$text" > "$dst"
}

# yosys_run SCRIPT LOG: run a filled script quietly; on failure the log's
#   tail and its path go to stderr, and the status is 1.
yosys_run() {
  yosys -q -l "$2" -s "$1" > /dev/null 2>&1 \
    || { tail -n 20 "$2" >&2; echo "synthesis failed: $2" >&2; return 1; }
}

# chparam_line MODULE [PARAM=VALUE ...]: the chparam command setting them, or nothing.
chparam_line() {
  local mod=$1 set="" p
  shift
  for p in "$@"; do set="$set -set ${p%%=*} ${p#*=}"; done
  [ -z "$set" ] || echo "chparam$set $mod"
}

synth_block() {
  local out name=$2 mod=$3 src=$4
  out=$(cd "$1" && pwd)  # absolute, so that OUT/NAME.ys runs from anywhere
  shift 4
  yosys_script block.ys "$out/$name.ys" FILES="$src" TOP="$mod" OUT="$out" NAME="$name" \
    CHPARAM="$(chparam_line "$mod" "$@")" || return 1
  yosys_run "$out/$name.ys" "$out/$name.log" || return 1
  local cells ffs kge depth
  cells=$(awk '/Number of cells:/ {print $4; exit}' "$out/$name.generic")
  ffs=$(awk '$1 ~ /^DFF/ && NF == 2 {n += $2} END {print n + 0}' "$out/$name.mapped")
  kge=$(awk '/Chip area for module/ {printf "%.3f", $NF / 1000}' "$out/$name.mapped")
  depth=$(sed -n 's/.*length=\([0-9]*\).*/\1/p' "$out/$name.ltp" | head -n 1)
  echo "$cells $ffs $kge $depth"
}
