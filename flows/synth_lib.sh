# shellcheck shell=bash disable=SC2034
# flows/synth_lib.sh: what the synthesis flows share (sourced, not run).
#
# synth_block OUT NAME TOP "FILES" [PARAM=VALUE ...]
#   Synthesizes module TOP of FILES alone, flattened, with Yosys: `check
#   -assert` after proc and after synth, no latch; generic cells (stat) and
#   logic depth (ltp -noff: gate levels between flip-flops and ports), then
#   flip-flops and area on flows/cells.lib. Writes OUT/NAME.{log,generic,ltp,
#   mapped} and prints "cells ffs kge depth".
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

# ABC_MAP: the ABC command that maps onto flows/cells.lib: Yosys' default
#   script for a liberty library without its SAT sweeping (&fraig -x, scorr),
#   in flows/abc_map.abc. On the die's FMA module the default script took 8 minutes (&fraig -x
#   most of it) on a network it maps within seconds when the FMA is
#   synthesized alone; without the sweeping every mapping takes seconds and
#   the FMA's area moves by at most 2 % (docs/synthesis.md).

synth_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
synth_lib_cells=$synth_lib_dir/cells.lib
ABC_MAP="abc -liberty $synth_lib_dir/cells.lib -script $synth_lib_dir/abc_map.abc"
NORESET_SEL='t:$dff t:$dffe t:$sdff t:$sdffe t:$sdffce t:$aldff t:$aldffe %u %u %u %u %u %u %co:+[Q] w:* %i w:$* %d w:*$func$* %d m:* %u'

synth_block() {
  local out=$1 name=$2 mod=$3 src=$4
  shift 4
  local set="" p lib=$synth_lib_cells
  for p in "$@"; do set="$set -set ${p%%=*} ${p#*=}"; done
  [ -n "$set" ] && set="chparam $set $mod;"
  yosys -q -l "$out/$name.log" -p "
    read_verilog -sv $src; $set
    hierarchy -check -top $mod; rename -top $mod; proc; check -assert;
    select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
    synth -flatten -top $mod; check -assert; select -assert-none t:\$_DLATCH*;
    tee -q -o $out/$name.generic stat; tee -q -o $out/$name.ltp ltp -noff;
    dfflibmap -liberty $lib; $ABC_MAP; opt_clean;
    tee -q -o $out/$name.mapped stat -liberty $lib" > /dev/null 2>&1 \
    || { tail -n 20 "$out/$name.log" >&2; echo "synthesis of $name failed: $out/$name.log" >&2; return 1; }
  local cells ffs kge depth
  cells=$(awk '/Number of cells:/ {print $4; exit}' "$out/$name.generic")
  ffs=$(awk '$1 ~ /^DFF/ && NF == 2 {n += $2} END {print n + 0}' "$out/$name.mapped")
  kge=$(awk '/Chip area for module/ {printf "%.3f", $NF / 1000}' "$out/$name.mapped")
  depth=$(sed -n 's/.*length=\([0-9]*\).*/\1/p' "$out/$name.ltp" | head -n 1)
  echo "$cells $ffs $kge $depth"
}
