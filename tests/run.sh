#!/usr/bin/env bash
# Every suite of `make test`, on two lanes at once (the machines have two
# cores and most tools are single-threaded); closes with "N passed, M failed,
# K skipped": suites passed and failed, and the checks inside them that printed
# SKIP (not run here; docs/conventions.md, "Tests and measurements").
# Each suite's output goes to $B/test-logs/NAME.log; a line per suite is
# printed as it ends, then every log in suite order.
set -u
B=${BUILD:-build}
L=$B/test-logs
rm -rf "$L" && mkdir -p "$L"
# What more than one lane would otherwise build at the same time.
make -s all "$B/rtl/default/files.f" "$B/fma/fma_vectors.o" "$B/lib/libtessera.a" \
  "$B/lib/libtessera-san.a" "$B/obj/verif/harness.o" "$B/obj/verif/run_mesh.o" \
  || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
run() {
  local name=$1; shift
  local t0=$SECONDS
  if "$@" > "$L/$name.log" 2>&1; then
    echo "--- $name: ok ($((SECONDS - t0)) s)" | tee "$L/$name.status"
  else
    echo "--- $name: FAILED ($((SECONDS - t0)) s)" | tee "$L/$name.status"
  fi
}
# Suites that build the same files stay on one lane (noc and mesh share
# generated RTL; cosim and synth only read build/rtl/default, built above; the
# SystemC top builds its own). icarus runs the Verilator runners that cosim
# and mesh (lane b, first there) build: it comes after cosim and waits for
# mesh to end. The lanes take about as long as each other (one fresh-clone
# run on 2 cores, 2026-12-01: lane a 975 s, lane b 870; mesh 455 s, noc
# 320, gen-lint 245, gate-fma 190, systemc 150, icarus 140, synth 105,
# cosim 90, gate-router 85, fma 60, the rest under 10; 16 min 43 s in all).
# slurm (a one-node Slurm cluster for a small regression and a sharded sweep,
# 55 s with the load average at 11) runs the mesh runners that mesh builds:
# last on lane b, the shorter one. gen-lint grew with the 256-unit large-ws
# die and the streams' wider dies (2026-12-05), so systemc moved to lane b; and
# synth too (2026-12-06, with cosim's fourth die: lane a 1,238 s, lane b 830),
# since it only reads build/rtl/default, built above. With the dies of local
# lanes (cosim's fifth and sixth, mesh's lanes-2x2; before them lane a 1,257 s,
# lane b about 1,020) fma and gate-fma, which share build/fma, moved to lane b.
lane_a=(gen-lint cosim icarus)
lane_b=(unit cli bad-configs bad-inputs make-fresh fuzz-smoke layers mesh fma gate-fma noc gate-router systemc synth slurm)
after() { while [ ! -e "$L/$1.status" ]; do sleep 1; done; }
suite() {
  case $1 in
    unit)        run unit        make -s unit ;;
    cli)         run cli         make -s test-cli ;;
    bad-configs) run bad-configs bash tests/test_bad_configs.sh "$B/bin/tessera" ;;
    layers)      run layers      bash tests/test_layers.sh ;;
    bad-inputs)  run bad-inputs  bash tests/test_bad_inputs.sh "$B/bin/tessera" ;;
    make-fresh)  run make-fresh  bash tests/test_make_fresh.sh ;;
    fuzz-smoke)  run fuzz-smoke  make -s fuzz FUZZ_SECONDS=5 ;;
    gen-lint)    run gen-lint    make -s test-gen ;;
    fma)         run fma         make -s test-fma ;;
    cosim)       run cosim       make -s test-cosim ;;
    noc)         run noc         make -s test-noc ;;
    mesh)        run mesh        make -s test-mesh ;;
    icarus)      after mesh; run icarus make -s test-icarus ;;
    synth)       run synth       make -s test-synth ;;
    gate-fma)    run gate-fma    make -s test-gate-fma ;;
    gate-router) run gate-router make -s test-gate-router ;;
    systemc)     run systemc     make -s test-systemc ;;
    slurm)       run slurm       make -s test-slurm ;;
  esac
}
( for s in "${lane_a[@]}"; do suite "$s"; done ) &
( for s in "${lane_b[@]}"; do suite "$s"; done ) &
wait
pass=0; fail=0; failed=(); skipped=0
for s in unit cli bad-configs bad-inputs make-fresh fuzz-smoke layers gen-lint fma cosim noc mesh icarus synth gate-fma gate-router systemc slurm; do
  echo
  echo "=== $s"
  cat "$L/$s.log"
  cat "$L/$s.status" 2>/dev/null || echo "--- $s: FAILED (no status)"
  if grep -q ': ok (' "$L/$s.status" 2>/dev/null; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); failed+=("$s")
  fi
  n=$(grep -c '^SKIP' "$L/$s.log" 2>/dev/null)
  skipped=$((skipped + ${n:-0}))
done
echo
[ "$fail" -gt 0 ] && echo "failed suites: ${failed[*]}"
[ "$skipped" -gt 0 ] && { echo "skipped checks:"; cat "$L"/*.log | grep '^SKIP' | sed 's/^/  /'; }
echo "(suites passed and failed; checks inside them skipped)"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
