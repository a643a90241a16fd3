#!/usr/bin/env bash
# A fresh machine (issue 19): no make variable may take a tool's output when
# make reads the makefiles, before `make deps` has installed the tool. Runs
# `make -n` with a PATH that has every program of this machine except the ones
# the Debian packages bring (verilator, iverilog, vvp, yosys, pkg-config), in a
# new build directory, and checks the compile lines that need those tools' paths
# take them from the recipe's shell, not as empty strings.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
check() {
  if eval "$2"; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
mkdir "$T/bin"
for d in /usr/local/bin /usr/bin /bin; do
  for f in "$d"/*; do
    n=${f##*/}
    case $n in verilator* | iverilog* | vvp | yosys* | pkg-config | *-pkg-config) continue ;; esac
    [ -e "$T/bin/$n" ] || ln -s "$f" "$T/bin/$n"
  done
done
B=$T/b
# -o: the Verilated libraries count as made, so that make -n prints the link
# lines without running the sub-makes that would build them.
PATH=$T/bin make -n BUILD="$B" -o "$B/mesh/default/obj/Vtessera_mesh__ALL.a" \
  -o "$B/noc/mesh-4x4/obj/Vtessera_noc__ALL.a" -o "$B/systemc/sc-2x2/obj/Vtessera_mesh__ALL.a" \
  "$B/mesh/default/tessera-mesh" "$B/noc/mesh-4x4/tessera-noc" "$B/systemc/sc-2x2/tessera-sc-mesh" \
  "$B/obj-pic/verif/icarus/vpi_tessera.o" > "$T/dry" 2>&1
check "make -n without the tools' programs succeeds" "[ \$? -eq 0 ]"
check "no empty Verilator root (-I/include) on any compile line" \
  "! grep -qE -- '-I/include|-isystem /include' '$T/dry'"
check "the mesh, network and SystemC link lines ask Verilator for its root when they run" \
  "[ \$(grep -c -F -- '\$(verilator --getenv VERILATOR_ROOT)/include' '$T/dry') -ge 3 ]"
check "the VPI module's compile line asks iverilog-vpi for its flags when it runs" \
  "grep 'vpi_tessera.c' '$T/dry' | grep -qF -- '\$(iverilog-vpi --cflags)'"
check "no \$(shell ...) in the makefiles names a tool that make deps installs" \
  "! grep -nE '\\\$\\(shell[^)]*(verilator|iverilog|yosys|pkg-config|vvp|gnuplot|clang)' Makefile mk/*.mk"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
