#!/usr/bin/env bash
# Every class of bad configuration: `TESSERA_BIN gen FILE -o DIR/out` must
# exit 2, print one message naming the file, the key path and the problem
# (the substring in tests/bad_configs/expected.txt), and write nothing.
# Usage: tests/test_bad_configs.sh [TESSERA_BIN]   (default build/bin/tessera)
set -u
tessera=${1:-build/bin/tessera}
case $tessera in */*) tessera=$(cd "$(dirname "$tessera")" && pwd)/$(basename "$tessera") ;; esac
dir=$(cd "$(dirname "$0")/bad_configs" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
bad() {
  fail=$((fail + 1))
  echo "FAIL $*"
}

# Every file is listed, and every listed file exists.
for f in "$dir"/*.json; do
  name=$(basename "$f")
  cut -f1 "$dir/expected.txt" | grep -qxF "$name" || bad "$name: not in expected.txt"
done

while IFS=$'\t' read -r file want; do
  [ -z "$file" ] && continue
  if [ ! -f "$dir/$file" ]; then
    bad "$file: listed in expected.txt but missing"
    continue
  fi
  run="$T/$file.d"
  mkdir -p "$run"
  "$tessera" gen "$dir/$file" -o "$run/out" < /dev/null > "$run/stdout" 2> "$run/stderr"
  rc=$?
  left=$(ls -A "$run" | grep -vxE 'stdout|stderr')
  msg=$(cat "$run/stderr")
  if [ "$rc" -ne 2 ]; then
    bad "$file: exit status $rc, expected 2; stderr: $msg"
  elif ! grep -qF -- "$want" "$run/stderr"; then
    bad "$file: stderr does not contain the expected text"
    echo "     got:  $msg"
    echo "     want: $want"
  elif ! grep -qF -- "$file" "$run/stderr"; then
    bad "$file: the message does not name the file: $msg"
  elif [ -e "$run/out" ] || [ -n "$left" ]; then
    bad "$file: left behind: $left"
  else
    pass=$((pass + 1))
  fi
done < "$dir/expected.txt"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
