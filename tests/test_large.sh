#!/usr/bin/env bash
# `make test-large`: the designs too large for `make test-gen`, which prints
# SKIP for them (tests/test_gen.sh). Long and memory-hungry (Verilator takes
# about 10 GB on the 4,096-unit die), so not part of `make test`.
#  - the 32x32 network alone (configs/hecaton-32x32.json, 1,024 routers):
#    the same three tools;
#  - the mesh top of every configuration whose mesh top test-gen skips (the
#    Hecaton die's 1x1, the 4x4 and the 32x32 meshes, the 3x3 SCAR mesh):
#    the three tools on the same configuration generated with 1-unit dies
#    (and 32-bit bank ports).
#    Icarus elaborates every die instance (about 2 GB per Hecaton die) and
#    Verilator and Yosys would lint the 4,096-unit die again in each, so the
#    check is split: every file of the mesh top outside the die's own file
#    list (mesh top, network, IO dies, testbench) is checked byte-identical
#    to the real one's, and so is the port list of every die module (each
#    variant); the real dies are linted alone (above, and by test-gen for the
#    SCAR variants of 256 units). Above 256 dies Icarus compiles the mesh
#    top with each die as its port list (its always_ff check is quadratic);
#  - last, the Hecaton die alone (configs/hecaton-die.json, 4,096 FMA units):
#    Verilator -Wall, Icarus with its testbench top, Yosys `check -assert`.
# Closes with "N ok, M failed, K skipped".
set -u
B=${1:-build}
T=$B/test-large
rm -rf "$T" && mkdir -p "$T"
. tests/lint_lib.sh
t_all=$SECONDS
gen() { "$B/bin/tessera" gen "$1" -o "$2" > /dev/null || fail "tessera gen $1"; }
# ports FILE: a module's header, from `module` to the end of its port list.
ports() { sed -n '/^module /,/^);/p' "$1"; }

gen configs/hecaton-32x32.json "$T/hecaton-32x32"
lint_top "$T/hecaton-32x32" noc.f tessera_noc \
  "hecaton-32x32 network, $(grid_dies "$T/hecaton-32x32/tessera_noc.sv") dies"

for name in hecaton-die hecaton-4x4 hecaton-32x32 scar-het-sides-3x3; do
  out=$T/$name
  [ -d "$out" ] || gen "configs/$name.json" "$out"
  small=$T/$name-1unit
  # the same configuration with 1-unit dies with 32-bit bank ports (the base
  # die; die_overrides keep their other keys): with the real die's 512-bit
  # ports each die's buffer crossbar is 256 lanes wide, and Verilator took
  # 22 GB on the 1,024 dies of the 32x32 mesh top
  python3 - "configs/$name.json" "$small.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
die = c.setdefault("die", {})
die.update({"pe_count": 1, "lanes": 1, "vector": 1})
for buf in ("weight_buffer", "act_buffer"):
    die.setdefault(buf, {})["port_bits"] = 32
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
  gen "$small.json" "$small"
  same=1
  for f in $(cat "$out/mesh.f" "$out/icarus_mesh.f" | sort -u); do
    if grep -qx "$f" "$out/files.f" || [[ $f =~ _v[0-9]+\.sv$ ]]; then # the dies' own
      case $f in tessera_die.sv | tessera_die_v*.sv)
        [ "$(ports "$out/$f")" = "$(ports "$small/$f")" ] \
          || { fail "$name: the port list of $f differs with 1-unit dies"; same=0; } ;;
      esac
      continue
    fi
    cmp -s "$out/$f" "$small/$f" || { fail "$name: $f differs with 1-unit dies"; same=0; }
  done
  [ $same -eq 1 ] || continue
  pass "$name: with 1-unit dies, the mesh top, network, IO dies, testbench and die ports are the real ones ($(mesh_units "$out") FMA units)"
  # Icarus 11.0 checks every always_ff's sensitivity in time quadratic in the
  # clocked processes on one clock (docs/simulators.md, "Icarus and very
  # large meshes"): above 256 dies it compiles each die as its port list
  ivl_list=icarus_mesh.f how=""
  if [ "$(grid_dies "$small/tessera_mesh.sv")" -gt 256 ]; then
    ivl_list=icarus_mesh_ports.f how=", iverilog with each die as its port list"
    : > "$small/$ivl_list"
    while read -r f; do
      case $f in
        tessera_die.sv | tessera_die_v*.sv)
          { ports "$small/$f"; echo "endmodule"; } > "$small/${f%.sv}_ports.sv"
          echo "${f%.sv}_ports.sv" >> "$small/$ivl_list" ;;
        *) echo "$f" >> "$small/$ivl_list" ;;
      esac
    done < "$small/icarus_mesh.f"
  fi
  lint_top "$small" mesh.f tessera_mesh "$name mesh top with 1-unit dies$how" "$ivl_list" tessera_tb_mesh
done
# the die alone last: Verilator's 10 GB
lint_top "$T/hecaton-die" files.f tessera_die "hecaton-die die, $(die_units "$T/hecaton-die") FMA units" \
  icarus_die.f tessera_tb_die
echo "test-large: $((SECONDS - t_all)) s"
lint_summary
exit $status
