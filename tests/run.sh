#!/usr/bin/env bash
# Every suite of `make test`, in order; closes with "N passed, M failed".
set -u
B=${BUILD:-build}
pass=0; fail=0; failed=()
run() {
  local name=$1; shift
  echo "=== $name: $*"
  local t0=$SECONDS
  if "$@"; then
    pass=$((pass + 1)); echo "--- $name: ok ($((SECONDS - t0)) s)"
  else
    fail=$((fail + 1)); failed+=("$name"); echo "--- $name: FAILED ($((SECONDS - t0)) s)"
  fi
}
run unit        make -s unit
run cli         make -s test-cli
run bad-configs bash tests/test_bad_configs.sh "$B/bin/tessera"
run gen-lint    make -s test-gen
run fma         make -s test-fma
run cosim       make -s test-cosim
run noc         make -s test-noc
run mesh        make -s test-mesh
run synth       make -s test-synth
run gate-level  make -s test-gate
echo
[ "$fail" -gt 0 ] && echo "failed suites: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
