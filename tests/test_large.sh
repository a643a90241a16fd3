#!/usr/bin/env bash
# `make test-large`: the configurations too large for `make test-gen`, which
# prints SKIP for them (tests/test_gen.sh). Long and memory-hungry (Verilator
# takes about 10 GB on the 4,096-unit die), so not part of `make test`.
#  - the Hecaton die alone (configs/hecaton-die.json, 4,096 FMA units):
#    Verilator -Wall, Icarus with its testbench top, Yosys `check -assert`;
#  - the 32x32 network alone (configs/hecaton-32x32.json, 1,024 routers):
#    the same three tools;
#  - the 32x32 mesh top (1,024 Hecaton dies on that network): Verilator and
#    Yosys on it as generated (both elaborate the die module once: every die
#    has the same parameters); Icarus elaborates every instance (about 2 GB
#    per Hecaton die), so it compiles the same mesh top generated with a
#    1-unit die: the mesh top, network, IO dies and testbench files are
#    checked byte-identical to the real ones first;
#  - the 3x3 SCAR mesh top (configs/scar-het-sides-3x3.json, two die
#    variants): the three tools.
# Closes with "N ok, M failed, K skipped".
set -u
B=${1:-build}
T=$B/test-large
rm -rf "$T" && mkdir -p "$T"
. tests/lint_lib.sh
t_all=$SECONDS
gen() { "$B/bin/tessera" gen "$1" -o "$2" > /dev/null || fail "tessera gen $1"; }

gen configs/hecaton-die.json "$T/hecaton-die"
lint_top "$T/hecaton-die" files.f tessera_die "hecaton-die die, $(die_units "$T/hecaton-die") FMA units" \
  icarus_die.f tessera_tb_die

gen configs/hecaton-32x32.json "$T/hecaton-32x32"
out=$T/hecaton-32x32
lint_top "$out" noc.f tessera_noc "hecaton-32x32 network, $(grid_dies "$out/tessera_noc.sv") dies"

# The stand-in: the same configuration with a 1-unit die.
standin=$T/hecaton-32x32-1unit
sed 's/"mesh"/"die": { "pe_count": 1, "lanes": 1, "vector": 1 },\n  "mesh"/' configs/hecaton-32x32.json \
  > "$T/hecaton-32x32-1unit.json"
gen "$T/hecaton-32x32-1unit.json" "$standin"
[ "$(die_units "$standin")" = 1 ] || fail "the stand-in's die is not 1 unit"
same=1
for f in $(cat "$out/mesh.f" "$out/icarus_mesh.f" | sort -u); do
  grep -qx "$f" "$out/files.f" && continue # the die's own modules
  cmp -s "$out/$f" "$standin/$f" || { fail "hecaton-32x32 stand-in: $f differs from the real one's"; same=0; }
done
[ $same -eq 1 ] && pass "hecaton-32x32 stand-in: mesh top, network, IO dies and testbench identical to the real ones"
units=$(mesh_units "$out")
t0=$SECONDS
ok=1
(cd "$out" && verilator --lint-only -Wall --top-module tessera_mesh -f mesh.f) > "$out.mesh.verilator.log" 2>&1 \
  || { fail "hecaton-32x32 mesh top: verilator --lint-only -Wall"; head -n 20 "$out.mesh.verilator.log"; ok=0; }
rtl=$(grep -v '^tessera_sram_bank.sv$' "$out/mesh.f" | sed "s|^|$out/|" | tr '\n' ' ')
yosys -q -p "read_verilog -sv $rtl; read_verilog flows/tessera_sram_bank_bb.v; \
  hierarchy -check -top tessera_mesh; proc; check -assert" > "$out.mesh.yosys.log" 2>&1 \
  || { fail "hecaton-32x32 mesh top: yosys proc; check -assert"; tail -n 20 "$out.mesh.yosys.log"; ok=0; }
[ $ok -eq 1 ] && pass "hecaton-32x32 mesh top, $units FMA units: verilator -Wall, yosys check ($((SECONDS - t0)) s)"
t0=$SECONDS
(cd "$standin" && iverilog -g2012 -s tessera_tb_mesh -o /dev/null -c icarus_mesh.f) > "$standin.iverilog.log" 2>&1 \
  && pass "hecaton-32x32 mesh top with the 1-unit die: iverilog ($((SECONDS - t0)) s)" \
  || { fail "hecaton-32x32 mesh top with the 1-unit die: iverilog"; head -n 20 "$standin.iverilog.log"; }

gen configs/scar-het-sides-3x3.json "$T/scar-het-sides-3x3"
lint_top "$T/scar-het-sides-3x3" mesh.f tessera_mesh \
  "scar-het-sides-3x3 mesh top, $(mesh_units "$T/scar-het-sides-3x3") FMA units" icarus_mesh.f tessera_tb_mesh
echo "test-large: $((SECONDS - t_all)) s"
lint_summary
exit $status
