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
# The network-on-package of every configuration (docs/noc.md), once per distinct
# RTL. Networks of more than NOC_MAX_DIES dies (the 32x32 mesh: 1,024 routers,
# minutes per tool) are built from the same modules and emitter loops as the
# smaller ones; `make test-gen NOC_MAX_DIES=1024` checks them too.
NOC_MAX_DIES=${NOC_MAX_DIES:-64}
declare -A seen_noc
for conf in configs/*.json; do
  name=$(basename "$conf" .json)
  out=$T/$name
  [ -f "$out/noc.f" ] || { fail "$name: no noc.f"; continue; }
  dies=$(sed -n 's/^\/\/ \([0-9]*\)x\([0-9]*\) dies.*/\1 \2/p' "$out/tessera_noc.sv" | awk '{print $1 * $2}')
  if [ "${dies:-0}" -gt "$NOC_MAX_DIES" ]; then
    echo "ok $name network: deterministic; $dies dies, above NOC_MAX_DIES=$NOC_MAX_DIES, tools skipped"
    continue
  fi
  sum=$(cd "$out" && cat $(cat noc.f) | sha256sum | cut -c1-16)
  if [ -n "${seen_noc[$sum]:-}" ]; then
    echo "ok $name network: identical to ${seen_noc[$sum]}'s, checked there"
    continue
  fi
  seen_noc[$sum]=$name
  before=$status; status=0
  (cd "$out" && verilator --lint-only -Wall --top-module tessera_noc -f noc.f) > "$out.noc.verilator.log" 2>&1 \
    || { fail "$name network: verilator --lint-only -Wall"; head -n 20 "$out.noc.verilator.log"; }
  (cd "$out" && iverilog -g2012 -s tessera_noc -o /dev/null -c noc.f) > "$out.noc.iverilog.log" 2>&1 \
    || { fail "$name network: iverilog -g2012"; head -n 20 "$out.noc.iverilog.log"; }
  rtl=$(sed "s|^|$out/|" "$out/noc.f" | tr '\n' ' ')
  yosys -q -p "read_verilog -sv $rtl; hierarchy -check -top tessera_noc; proc; check -assert" \
    > "$out.noc.yosys.log" 2>&1 \
    || { fail "$name network: yosys proc; check -assert"; tail -n 20 "$out.noc.yosys.log"; }
  [ $status -eq 0 ] && echo "ok $name network: verilator -Wall, iverilog, yosys check"
  [ $before -ne 0 ] && status=$before
done
exit $status
