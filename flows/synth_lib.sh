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
# NORESET_SEL: a Yosys selection of the flip-flops without an asynchronous
#   reset, after synth (no reset, enable only, or a synchronous reset that
#   Yosys folded in from the logic). `%co:+[Q] w:* %i` turns it into the
#   registers they drive; flows/reset_check.sh compares those with an allow-list.

synth_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
synth_lib_cells=$synth_lib_dir/cells.lib
NORESET_SEL='t:$_DFF_?_ t:$_DFFE_??_ t:$_SDFF_*_ t:$_SDFFE_*_ t:$_SDFFCE_*_ %u %u %u %u'

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
    dfflibmap -liberty $lib; abc -liberty $lib; opt_clean;
    tee -q -o $out/$name.mapped stat -liberty $lib" > /dev/null 2>&1 \
    || { tail -n 20 "$out/$name.log" >&2; echo "synthesis of $name failed: $out/$name.log" >&2; return 1; }
  local cells ffs kge depth
  cells=$(awk '/Number of cells:/ {print $4; exit}' "$out/$name.generic")
  ffs=$(awk '$1 ~ /^DFF/ && NF == 2 {n += $2} END {print n + 0}' "$out/$name.mapped")
  kge=$(awk '/Chip area for module/ {printf "%.3f", $NF / 1000}' "$out/$name.mapped")
  depth=$(sed -n 's/.*length=\([0-9]*\).*/\1/p' "$out/$name.ltp" | head -n 1)
  echo "$cells $ffs $kge $depth"
}
