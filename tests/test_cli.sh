#!/usr/bin/env bash
# The command line: help texts, asm/disasm round trips, bad command lines.
set -u
B=${1:-build}
T=$B/test-cli
rm -rf "$T" && mkdir -p "$T"
tessera=$B/bin/tessera
status=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
check "tessera --help documents every command" \
  "$tessera --help | grep -q 'gen CONFIG' && $tessera --help | grep -q disasm && $tessera --help | grep -q model"
check "tessera gen --help documents -o and the outputs" \
  "$tessera gen --help | grep -q -- '-o, --output' && $tessera gen --help | grep -q energy.json"
check "no command: exit 2" "$tessera > /dev/null 2>&1; [ \$? -eq 2 ]"
check "unknown command: exit 2 naming it" \
  "$tessera frobnicate 2> $T/err; [ \$? -eq 2 ] && grep -q frobnicate $T/err"
check "gen without -o: exit 2" "$tessera gen configs/default.json 2>/dev/null; [ \$? -eq 2 ]"
for s in tests/cosim/*.s tests/asm/*.s; do
  [ -f "$s" ] || continue
  n=$(basename "$s" .s)
  check "asm/disasm round trip: $s" \
    "$tessera asm $s -o $T/$n.hex && $tessera disasm $T/$n.hex > $T/$n.dis.s && \
     $tessera asm $T/$n.dis.s -o $T/$n.again.hex && cmp -s $T/$n.hex $T/$n.again.hex"
done
printf 'gemm x=0 w=0 y=0 m=0 k=1 n=1\nhalt\n' > $T/bad.s
check "asm of a bad program: exit 2, line and field named, no output" \
  "$tessera asm $T/bad.s -o $T/bad.hex 2> $T/bad.err; [ \$? -eq 2 ] && grep -q 'bad.s:1' $T/bad.err && grep -q 'm' $T/bad.err && [ ! -e $T/bad.hex ]"
check "model predicts every instruction" \
  "$tessera model configs/default.json tests/cosim/demo.s > $T/model.txt && [ \$(grep -c -E '^[0-9]+ ' $T/model.txt) -eq 4 ]"
exit $status
