#!/usr/bin/env bash
# Every example configuration (and those of tests/mesh/ and tests/systemc/):
# generated twice (byte-identical), linted by Verilator -Wall, compiled by
# Icarus with its testbench top, and elaborated by Yosys (SRAM banks as black
# boxes) with `check -assert` after proc. Each design is checked once: as its
# mesh top, which holds its die and network, or, where that is too large,
# as its dies (each variant) and its network alone. Designs whose RTL is
# byte-identical to one already checked are not checked again.
set -u
B=${1:-build}
T=$B/test-gen
rm -rf "$T" && mkdir -p "$T"
status=0
declare -A seen
fail() { echo "FAIL $*"; status=1; }
# lint_top OUT LIST TOP LABEL [TB_LIST TB_TOP]: Verilator -Wall, Icarus and
# Yosys (SRAM banks as black boxes, `check -assert` after proc) on the files
# named in OUT/LIST, with TOP as the top module; prints one line naming LABEL;
# fails when a tool does. With TB_LIST, Icarus compiles that list, the RTL and
# its testbench top TB_TOP (docs/simulators.md), instead.
lint_top() {
  local out=$1 list=$2 top=$3 label=$4 log=$1.${2%.f} ok=1 rtl
  local ivl_list=${5:-$2} ivl_top=${6:-$3} t0=$SECONDS
  (cd "$out" && verilator --lint-only -Wall --top-module "$top" -f "$list") > "$log.verilator.log" 2>&1 \
    || { fail "$label: verilator --lint-only -Wall"; head -n 20 "$log.verilator.log"; ok=0; }
  (cd "$out" && iverilog -g2012 -s "$ivl_top" -o /dev/null -c "$ivl_list") > "$log.iverilog.log" 2>&1 \
    || { fail "$label: iverilog -g2012 ($ivl_top)"; head -n 20 "$log.iverilog.log"; ok=0; }
  rtl=$(grep -v '^tessera_sram_bank.sv$' "$out/$list" | sed "s|^|$out/|" | tr '\n' ' ')
  yosys -q -p "read_verilog -sv $rtl; read_verilog flows/tessera_sram_bank_bb.v; \
    hierarchy -check -top $top; proc; check -assert" > "$log.yosys.log" 2>&1 \
    || { fail "$label: yosys proc; check -assert"; tail -n 20 "$log.yosys.log"; ok=0; }
  [ $ok -eq 1 ] && echo "ok $label: verilator -Wall, iverilog, yosys check ($((SECONDS - t0)) s)"
}
# die_units OUT: the FMA units of the die in OUT. grid_dies FILE: the dies of
# the grid that FILE's header names ("// RxC dies"). list_sum OUT LIST: a
# digest of the files that OUT/LIST names, to check identical RTL once.
die_units() { sed -n 's/^ *localparam int Units = \([0-9]*\);/\1/p' "$1/tessera_die.sv"; }
grid_dies() { sed -n 's/^\/\/ \([0-9]*\)x\([0-9]*\) dies.*/\1 \2/p' "$1" | awk '{print $1 * $2}'; }
list_sum() { (cd "$1" && cat $(cat "$2") | sha256sum | cut -c1-16); }
# mesh_units OUT: the FMA units of all the dies of the mesh top in OUT.
mesh_units() { echo $(($(die_units "$1") * $(grid_dies "$1/tessera_mesh.sv"))); }
# The mesh top (dies on the network; tests/systemc/ has its DRAM outside the
# RTL, mesh.dram.model "external") of every configuration whose dies hold at
# most MESH_MAX_UNITS FMA units in all. A mesh top holds the config's die and
# network, with the parameters the mesh gives them: those are checked there
# and not again alone. The dies (each variant of a heterogeneous mesh) and
# the network of the larger configurations (the Hecaton meshes, the 3x3 SCAR
# mesh of 2,304 units: 4 minutes for its mesh top, 20 s for its dies and
# network alone) are checked alone below; `make test-gen MESH_MAX_UNITS=2304`
# checks the SCAR mesh top too.
MESH_MAX_UNITS=${MESH_MAX_UNITS:-1024}
declare -A seen_mesh
for conf in configs/*.json tests/mesh/*.json tests/systemc/*.json; do
  name=$(basename "$conf" .json)
  out=$T/$name
  "$B/bin/tessera" gen "$conf" -o "$out" || { fail "$name: tessera gen"; continue; }
  "$B/bin/tessera" gen "$conf" -o "$out.again" || { fail "$name: second tessera gen"; continue; }
  diff -r "$out" "$out.again" > /dev/null || fail "$name: two runs of tessera gen differ"
  rm -rf "$out.again"
  top=$(tail -n 1 "$out/files.f")
  [ "$top" = tessera_die.sv ] || fail "$name: files.f does not end with the top module"
  [ -f "$out/mesh.f" ] || { fail "$name: no mesh.f"; continue; }
  units=$(mesh_units "$out")
  if [ "$units" -gt "$MESH_MAX_UNITS" ]; then
    echo "ok $name: deterministic; mesh top of $units FMA units, above MESH_MAX_UNITS=$MESH_MAX_UNITS: die and network alone below"
    continue
  fi
  sum=$(list_sum "$out" mesh.f)
  if [ -n "${seen_mesh[$sum]:-}" ]; then
    echo "ok $name: deterministic; mesh top identical to ${seen_mesh[$sum]}'s, checked there"
    continue
  fi
  seen_mesh[$sum]=$name
  lint_top "$out" mesh.f tessera_mesh "$name (deterministic) mesh top, $units FMA units" icarus_mesh.f tessera_tb_mesh
done
# The die alone (with its testbench top in Icarus) and the network alone of
# the default configuration and of every configuration whose mesh top was too
# large, once per distinct RTL (the Hecaton meshes share one die: the mesh
# top sets its place-dependent parameters). Dies of more than DIE_MAX_UNITS FMA units (the Hecaton die:
# 4,096 units, 8 minutes and 10 GB in all, most of it Verilator) and networks
# of more than NOC_MAX_DIES dies (the 32x32 mesh: 1,024 routers, minutes per
# tool) are built from the same modules and emitter loops as the smaller ones
# (the 3x3 SCAR mesh's dies have 256 units); `make test-gen DIE_MAX_UNITS=4096
# NOC_MAX_DIES=1024` checks them too.
DIE_MAX_UNITS=${DIE_MAX_UNITS:-1024}
NOC_MAX_DIES=${NOC_MAX_DIES:-64}
declare -A seen_die seen_noc
for conf in configs/*.json; do
  name=$(basename "$conf" .json)
  out=$T/$name
  # The default's die and network alone too: the tops that flows/synth.sh,
  # test-cosim and test-noc take.
  [ "$name" = default ] || [ "$(mesh_units "$out")" -gt "$MESH_MAX_UNITS" ] || continue
  sum=$(list_sum "$out" files.f)
  units=$(die_units "$out")
  if [ "$units" -gt "$DIE_MAX_UNITS" ]; then
    echo "ok $name die: $units FMA units, above DIE_MAX_UNITS=$DIE_MAX_UNITS, tools skipped"
  elif [ -n "${seen_die[$sum]:-}" ]; then
    echo "ok $name die: identical to ${seen_die[$sum]}'s, checked there"
  else
    seen_die[$sum]=$name
    lint_top "$out" files.f tessera_die "$name die" icarus_die.f tessera_tb_die
  fi
  # The die variants of a heterogeneous mesh (tessera_die_v1, ...), each alone
  # from the mesh's file list.
  for v in "$out"/tessera_die_v*.sv; do
    [ -e "$v" ] || continue
    v=$(basename "$v" .sv)
    lint_top "$out" mesh.f "$v" "$name die variant $v"
  done
  dies=$(grid_dies "$out/tessera_noc.sv")
  if [ "${dies:-0}" -gt "$NOC_MAX_DIES" ]; then
    echo "ok $name network: $dies dies, above NOC_MAX_DIES=$NOC_MAX_DIES, tools skipped"
    continue
  fi
  sum=$(list_sum "$out" noc.f)
  if [ -n "${seen_noc[$sum]:-}" ]; then
    echo "ok $name network: identical to ${seen_noc[$sum]}'s, checked there"
    continue
  fi
  seen_noc[$sum]=$name
  lint_top "$out" noc.f tessera_noc "$name network"
done
exit $status
