#!/usr/bin/env bash
# A block's gate-level netlist for the gate-level checks (make test-gate):
# module TOP of FILES with the given parameters, flattened to Yosys' generic
# gates and written back as Verilog (flows/yosys/netlist.ys).
#   flows/synth_netlist.sh NETLIST_V TOP "FILES" [PARAM=VALUE ...]
set -euo pipefail
netlist=$1 top=$2 files=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
dir=$(dirname "$netlist")
mkdir -p "$dir"
yosys_script netlist.ys "$dir/netlist.ys" FILES="$files" TOP="$top" NETLIST="$netlist" \
  CHPARAM="$(chparam_line "$top" "$@")"
yosys_run "$dir/netlist.ys" "$dir/yosys.log" || { rm -f "$netlist"; exit 1; }
