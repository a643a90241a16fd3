#!/usr/bin/env bash
# The floors of the sources (docs/layers.md): the tree as it is passes
# tests/layers/check_layers.sh, and a copy with an include planted uphill, or
# across to the sibling floor, fails it, naming the file and line.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
check=$here/tests/layers/check_layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

if out=$(bash "$check" "$here" 2>&1); then ok "the tree: every include runs downhill"
else bad "the tree: $out"; fi

# plant FILE HEADER: a copy of the five folders with FILE including HEADER
# after its first line; the check must fail and name FILE:2.
plant() {
  rm -rf "$tmp/tree" && mkdir "$tmp/tree"
  (cd "$here" && cp -r arch models gen verif cli "$tmp/tree/")
  sed -i "1a #include \"$2\"" "$tmp/tree/$1"
  if out=$(bash "$check" "$tmp/tree" 2>&1); then
    bad "$3: the check passed with $1 including $2"
  elif grep -q "^$1:2: includes \"$2\"" <<< "$out"; then
    ok "$3: $1 including $2 is refused"
  else
    bad "$3: refused without naming $1:2: $out"
  fi
}
plant arch/config.c cost.h "uphill, arch from models"
plant models/cost.c gen.h "across, models from gen"
plant verif/harness.c cli.h "uphill, verif from cli"
plant gen/emit_die.c harness.h "uphill, gen from verif"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
