#!/usr/bin/env bash
# The network-on-package under traffic (docs/noc.md): a soak of every traffic
# pattern on the 4x4 and 8x8 meshes with random back-pressure (at least
# 1,000,000 flits, every packet checked exactly once, whole, uncorrupted and in
# order, every counter against the route walk), the directed tests, rings of
# 2, 3, 4, 5 and 8 dies, a photonic edge inside a mesh, and table routing.
set -u
B=${1:-build}
status=0
total=0
noc() { # config, arguments...
  local c=$1; shift
  "$B/noc/$c/tessera-noc" --config "$B/rtl/$c/config.resolved.json" "$@"
}
check() { # what, command...: run, keep its output, fail the suite on a non-zero exit
  local what=$1; shift
  local out
  out=$("$@" 2>&1); local rc=$?
  printf '%s\n' "$out" | grep -v '^  '
  if [ $rc -ne 0 ]; then echo "FAILED: $what (exit $rc)"; status=1; fi
  LAST="$out"
}

echo "-- soak: every pattern, back-pressure 0.3, random packet lengths 1-8 flits"
seed=1
for spec in "mesh-4x4 0.35 20000" "mesh-8x8 0.22 7000"; do
  set -- $spec
  for p in uniform transpose bitcomp hotspot neighbour ring; do
    check "soak $1 $p" noc "$1" --pattern "$p" --load "$2" --cycles "$3" --backpressure 0.3 --seed $seed
    n=$(printf '%s\n' "$LAST" | sed -n 's/.* \([0-9]*\) flits delivered.*/\1/p')
    total=$((total + ${n:-0}))
    seed=$((seed + 1))
  done
done
echo "soak total: $total flits delivered"
if [ "$total" -lt 1000000 ]; then echo "FAILED: the soak moved fewer than 1,000,000 flits"; status=1; fi

echo "-- directed tests"
for t in back-to-back contention full-fifo bypass zero-load io allgather; do
  check "$t mesh-4x4" noc mesh-4x4 --test "$t"
done
check "zero-load mesh-8x8" noc mesh-8x8 --test zero-load
check "allgather mesh-8x8 (rings of 8)" noc mesh-8x8 --test allgather

echo "-- rings of 3 and 5 dies, 2-cycle links"
for t in bypass zero-load full-fifo allgather; do check "$t rings-3x5" noc rings-3x5 --test "$t"; done
check "ring soak rings-3x5" noc rings-3x5 --pattern ring --load 0.5 --cycles 20000 --seed 40
check "uniform soak rings-3x5" noc rings-3x5 --pattern uniform --load 0.3 --cycles 20000 --seed 41

echo "-- photonic edges inside a 3x3 mesh"
for t in photonic back-to-back zero-load allgather; do check "$t photonic-mid-3x3" noc photonic-mid-3x3 --test "$t"; done
check "uniform soak photonic-mid-3x3" noc photonic-mid-3x3 --pattern uniform --load 0.3 --cycles 20000 --seed 42

echo "-- routing tables: XY and YX routes loaded through the host port, rings of 2 and 4"
check "table XY" noc table-2x4 --pattern uniform --load 0.3 --cycles 20000 --seed 43
check "table YX" noc table-2x4 --yx-table --pattern uniform --load 0.3 --cycles 20000 --seed 44
check "table YX transpose" noc table-2x4 --yx-table --pattern bitcomp --load 0.3 --cycles 20000 --seed 45
for t in back-to-back allgather; do check "$t table-2x4" noc table-2x4 --test "$t"; done
check "table YX zero-load" noc table-2x4 --yx-table --test zero-load

echo "-- the harness catches what it must: planted faults fail the run, bad options are refused"
for f in drop duplicate corrupt stall; do
  out=$(noc mesh-4x4 --pattern uniform --load 0.3 --cycles 4000 --fault $f 2>&1); rc=$?
  if [ $rc -ne 1 ]; then echo "FAILED: planted fault '$f' was not caught (exit $rc)"; status=1
  else echo "ok fault $f caught: $(printf '%s\n' "$out" | grep -m1 '^FAIL:' | cut -c1-150)"; fi
done
if noc mesh-4x4 --pattern sideways >/dev/null 2>&1; then echo "FAILED: unknown pattern accepted"; status=1; fi
if noc mesh-4x4 --load 1.5 >/dev/null 2>&1; then echo "FAILED: load 1.5 accepted"; status=1; fi
exit $status
