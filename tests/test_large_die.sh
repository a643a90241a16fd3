#!/usr/bin/env bash
# make test-large (not part of make test): the 256-unit dies of
# configs/large-os.json and configs/large-ws.json (4 PEs x 8 lanes x 8 vector,
# one per dataflow) in lockstep with the cost and golden models on a GEMM
# large enough for the streams' steady state (tests/large/gemm_large.s). For
# each, prints the Verilator build's wall time and peak memory (when this run
# builds it, or rebuilds it after the RTL changed), the simulated cycles and
# FMA operations per second, and the array's utilization from the RTL's own
# counters: fma_ops / (cycles x units).
set -eu
B=${1:-build}
mkdir -p "$B/large"
for cfg in large-os large-ws; do
  sim=$B/sim/$cfg/tessera-sim
  conf=$B/rtl/$cfg/config.resolved.json
  if ! make -s -q "$sim" 2> /dev/null; then  # missing or older than its RTL
    /usr/bin/time -f "%e %M" -o "$B/large/$cfg.build.time" make -s "$sim" JOBS="${JOBS:-2}" > /dev/null
    read -r wall kb < "$B/large/$cfg.build.time"
    echo "Verilator build of $cfg: wall $wall s, peak memory $((kb / 1024)) MiB (largest process)"
  fi
  "$sim" --config "$conf" --seed 7 tests/large/gemm_large.s | tee "$B/large/$cfg.run.txt"
  awk -v cfg="$cfg" '
    /^cycles /    { cyc = $2 }
    /^fma_ops /   { fma = $2 }
    /^simulation:/ { sec = $5 }
    END {
      units = 256
      printf "%s utilization (RTL counters): %d FMAs / (%d cycles x %d units) = %.1f %%\n",
             cfg, fma, cyc, units, 100 * fma / (cyc * units)
      if (sec > 0) printf "%s simulated: %.0f cycles/s, %.3g FMA operations/s\n", cfg, cyc / sec, fma / sec
    }' "$B/large/$cfg.run.txt"
  grep -q '^PASS' "$B/large/$cfg.run.txt"
done
