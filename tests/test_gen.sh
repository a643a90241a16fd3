#!/usr/bin/env bash
# Every example configuration: generated twice (byte-identical), linted by
# Verilator -Wall, compiled by Icarus, and elaborated by Yosys (SRAM banks as
# black boxes) with `check -assert` after proc. Configurations whose RTL is
# byte-identical to one already checked (the Hecaton meshes share one die
# until the mesh top exists) are checked once.
set -u
B=${1:-build}
T=$B/test-gen
rm -rf "$T" && mkdir -p "$T"
status=0
declare -A seen
fail() { echo "FAIL $*"; status=1; }
for conf in configs/*.json; do
  name=$(basename "$conf" .json)
  out=$T/$name
  "$B/bin/tessera" gen "$conf" -o "$out" || { fail "$name: tessera gen"; continue; }
  "$B/bin/tessera" gen "$conf" -o "$out.again" || { fail "$name: second tessera gen"; continue; }
  diff -r "$out" "$out.again" > /dev/null || fail "$name: two runs of tessera gen differ"
  top=$(tail -n 1 "$out/files.f"); top=${top%.sv}
  sum=$(cd "$out" && cat $(cat files.f) | sha256sum | cut -c1-16)
  if [ -n "${seen[$sum]:-}" ]; then
    echo "ok $name: deterministic; RTL identical to ${seen[$sum]}, checked there"
    continue
  fi
  seen[$sum]=$name
  [ "$top" = tessera_die ] || fail "$name: files.f does not end with the top module"
  (cd "$out" && verilator --lint-only -Wall --top-module "$top" -f files.f) > "$out.verilator.log" 2>&1 \
    || { fail "$name: verilator --lint-only -Wall"; head -n 20 "$out.verilator.log"; }
  (cd "$out" && iverilog -g2012 -s "$top" -o /dev/null -c files.f) > "$out.iverilog.log" 2>&1 \
    || { fail "$name: iverilog -g2012"; head -n 20 "$out.iverilog.log"; }
  rtl=$(grep -v '^tessera_sram_bank.sv$' "$out/files.f" | sed "s|^|$out/|" | tr '\n' ' ')
  yosys -q -p "read_verilog -sv $rtl; read_verilog flows/tessera_sram_bank_bb.v; \
    hierarchy -check -top $top; proc; check -assert" > "$out.yosys.log" 2>&1 \
    || { fail "$name: yosys proc; check -assert"; tail -n 20 "$out.yosys.log"; }
  [ $status -eq 0 ] && echo "ok $name: deterministic, verilator -Wall, iverilog, yosys check"
done
exit $status
