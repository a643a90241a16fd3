#!/usr/bin/env bash
# Every example configuration (and those of tests/mesh/ and tests/systemc/):
# generated twice (byte-identical), linted by Verilator -Wall, compiled by
# Icarus with its testbench top, and elaborated by Yosys (SRAM banks as black
# boxes) with `check -assert` after proc. Each design is checked once: as its
# mesh top, which holds its die and network, or, where that is too large,
# as its dies (each variant) and its network alone. Designs whose RTL is
# byte-identical to one already checked are not checked again. A design too
# large to check here prints SKIP, never ok: `make test-large`
# (tests/test_large.sh) checks those. Closes with "N ok, M failed, K skipped".
set -u
B=${1:-build}
T=$B/test-gen
rm -rf "$T" && mkdir -p "$T"
declare -A seen
. tests/lint_lib.sh
# The mesh top (dies on the network; tests/systemc/ has its DRAM outside the
# RTL, mesh.dram.model "external") of every configuration whose dies hold at
# most MESH_MAX_UNITS FMA units in all. A mesh top holds the config's die and
# network, with the parameters the mesh gives them: those are checked there
# and not again alone. The dies (each variant of a heterogeneous mesh) and
# the network of the larger configurations (the Hecaton meshes, the 3x3 SCAR
# mesh of 2,304 units: 4 minutes for its mesh top, 20 s for its dies and
# network alone) are checked alone below; their mesh tops are skipped here
# and checked by `make test-large`.
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
    pass "$name: deterministic"
    skip "$name mesh top: $units FMA units, above MESH_MAX_UNITS=$MESH_MAX_UNITS (make test-large checks it); its die and network alone below"
    continue
  fi
  sum=$(list_sum "$out" mesh.f)
  if [ -n "${seen_mesh[$sum]:-}" ]; then
    pass "$name: deterministic; mesh top identical to ${seen_mesh[$sum]}'s, checked there"
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
# (the 3x3 SCAR mesh's dies have 256 units): skipped here, checked by
# `make test-large`.
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
    skip "$name die: $units FMA units, above DIE_MAX_UNITS=$DIE_MAX_UNITS, not linted here (make test-large lints it)"
  elif [ -n "${seen_die[$sum]:-}" ]; then
    pass "$name die: identical to ${seen_die[$sum]}'s, checked there"
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
    skip "$name network: $dies dies, above NOC_MAX_DIES=$NOC_MAX_DIES, not linted here (make test-large lints it)"
    continue
  fi
  sum=$(list_sum "$out" noc.f)
  if [ -n "${seen_noc[$sum]:-}" ]; then
    pass "$name network: identical to ${seen_noc[$sum]}'s, checked there"
    continue
  fi
  seen_noc[$sum]=$name
  lint_top "$out" noc.f tessera_noc "$name network"
done
lint_summary
exit $status
