#!/usr/bin/env bash
# Every class of bad configuration: `tessera gen` must exit 2, name the key
# path and the problem (tests/bad_configs/expected.txt), and write nothing.
set -u
tessera=${1:-build/bin/tessera}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
while IFS=$'\t' read -r file want; do
  "$tessera" gen "tests/bad_configs/$file" -o "$T/out" 2> "$T/err"
  rc=$?
  left=$(ls -A "$T" | grep -v '^err$')
  if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$T/err" && grep -qF "$file" "$T/err" && [ -z "$left" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $file: exit $rc, left behind: '${left}', message: $(cat "$T/err")"
    echo "     expected: $want"
  fi
done < tests/bad_configs/expected.txt
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
