#!/usr/bin/env bash
# The mesh top (docs/noc.md, "Network interface", "IO dies and DRAM" and "The
# mesh top"): SEND, WAIT, DRD and DWR programs on every die of a generated
# tessera_mesh, each compared with the mesh golden model word for word in
# every buffer of every die and every word of every IO die's DRAM, with the
# dies' flags, the words and messages left unconsumed, the flits the network
# delivered, every network counter, every die's event counters and the IO
# dies' counters. Every retired instruction's cycle is
# compared with the mesh cost model (docs/cost-model.md, "The mesh"): programs
# whose messages share no channel (--uncontended) must match it in every
# cycle, contended ones must end within END_TOLERANCE percent of it. Each
# program of tests/mesh/ and each lowered workload runs from one seed (buffer
# contents and the random start of flops without reset); `make regress`
# (tests/regress.list) runs them from more. In the simulator SIM names
# (tests/sim.sh): Verilator unless SIM=icarus.
set -u
B=${1:-build}
. tests/sim.sh
status=0
fail() { echo "FAIL $*"; status=1; }
mesh() { local c=$1; shift; "$(mesh_runner "$c")" --config "$B/rtl/$c/config.resolved.json" "$@"; }
END_TOLERANCE=5
check() { # config, then tessera-mesh arguments; every line must PASS
  local c=$1; shift
  local out; out=$(mesh "$c" "$@" 2>&1); local rc=$?
  printf '%s\n' "$out" | grep -E '^(PASS|FAIL|  model|  energy)'
  [ $rc -eq 0 ] || { fail "$c: tessera-mesh $* (exit $rc)"; printf '%s\n' "$out" | grep -v '^PASS' | head -20; }
  local e
  for e in $(printf '%s\n' "$out" | sed -n 's/^  model: .*(\([-+][0-9.]*\) %).*/\1/p'); do
    awk -v e="$e" -v t=$END_TOLERANCE 'BEGIN { exit !(e <= t && e >= -t) }' \
      || fail "$c: the model's last retire is $e % off the RTL's, more than $END_TOLERANCE %"
  done
}
T=tests/mesh
check default --seed 1 $T/exchange.mesh $T/lengths.mesh $T/all_to_all.mesh $T/pipeline.mesh \
  $T/dram.mesh
check default --seed 1 --uncontended $T/exchange.mesh $T/pipeline.mesh $T/send_alone.mesh \
  $T/dram_alone.mesh $T/async.mesh
check rings-2x3 --seed 1 $T/ring_2x3.mesh $T/bad_target.mesh
check rings-2x3 --seed 1 --uncontended $T/send_alone_ring.mesh $T/channels.mesh
check slow-2x4 --seed 1 --uncontended $T/far.mesh

# Hecaton's Algorithm 1 (docs/lowering.md): a linear layer's forward and
# backward pass lowered to every die, in lockstep: bit-exact, every
# instruction in the cycle the model predicts, every counter as it counts.
# Weight- and output-stationary meshes, one with both (het-2x2). The 4x4
# output-stationary mesh (alg1-4x4: 16 dies, over 3 minutes to build) runs in
# `make regress` (tests/regress.list), with larger layers and more seeds.
check default --seed 1 --uncontended --linear 8,16,16,2 --linear 16,8,24,3,fwd \
  --linear 4,12,8,1,bwd
check het-2x2 --seed 7 --uncontended --linear 8,16,16,2 --linear 8,8,8,3
# The FFN block's two fused layers and the ring collectives alone, on the
# bypass rings and on the mesh: bit-exact and exact in every cycle.
check default --seed 5 --uncontended --ffn 8,8,16,2 --collective allgather,row,ring,64 \
  --collective reducescatter,col,mesh,64 --collective reducescatter,row,ring,32
# Attention's core forward, heads over the dies, and the attention block with
# its projections and collectives: VTRANS, the softmax sequence, GEMMs,
# bit-exact and exact in every cycle.
check het-2x2 --seed 5 --uncontended --attention 8,8,8 --attention-block 16,8,2,8,1
check default --seed 3 --uncontended --attention-block 32,16,4,8,2
# Dies whose units read their own banks (tests/mesh/lanes-2x2.json,
# die.local_lanes): the lowering starts every buffer region at a multiple of
# the ports' words, and Algorithm 1 and the whole transformer layer (forward,
# backward and update, held to float64 too) run bit-exact and exact in every
# cycle. A layer whose rows on a die are 6 words wide cannot be laid out so:
# exit 2, naming the instruction and the rule.
check lanes-2x2 --seed 1 --uncontended --linear 8,16,16,2 --transformer 32,16,2,8,64
out=$(mesh lanes-2x2 --uncontended --linear 4,12,8,1,bwd 2>&1)
if [ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "N (Y's row pitch) = 6, expected a multiple of 4 words: the units read their own banks (die.local_lanes)"; then
  echo "ok lanes-2x2 --linear 4,12,8,1,bwd: exit 2, the unaligned rows named"
else fail "lanes-2x2 --linear 4,12,8,1,bwd should exit 2 naming the alignment: $out"; fi
out=$(mesh default --transformer 7,16,2,8,64 2>&1)
if [ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "transformer layer: tokens=7 d_model=16 .*expected"; then
  echo "ok --transformer 7,16,2,8,64: exit 2, the layer's shape named with what is allowed"
else fail "--transformer 7,16,2,8,64 should exit 2 naming the shape: $out"; fi
out=$(mesh default --linear 7,16,16,2 2>&1)
if [ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "tokens=7 must be a multiple of the mesh's rows (2)"; then
  echo "ok --linear 7,16,16,2: exit 2, the layer's tokens named"
else fail "--linear 7,16,16,2 should exit 2 naming tokens: $out"; fi

# Contended SENDs take longer than the closed form, and --uncontended says so,
# leaving the waveform of the cycles around the first mismatch.
waves=$(mktemp -d)
out=$(mesh default --uncontended --waves "$waves" $T/all_to_all.mesh 2>&1)
if [ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'MISMATCH die .*: send retired in cycle'; then
  echo "ok contended SENDs are caught by --uncontended"
else fail "all_to_all.mesh with --uncontended should fail on SEND cycles"; fi
fst=$(printf '%s\n' "$out" | sed -n 's/^waveform of cycles [0-9.]* around the first mismatch: //p')
if [ -n "$fst" ] && [ "$(stat -c %s "$fst" 2>/dev/null || echo 0)" -gt 10000 ]; then
  echo "ok the mismatch left a waveform: $fst"
else fail "no waveform written for the mismatch: $out"; fi
rm -rf "$waves"

# Bad programs: exit 2 naming the problem, before any simulation.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '@die 0 0\nwait words=5\nhalt\n' > "$tmp/deadlock.mesh"
printf '@die 0 0\nhalt\n@die 2 0\nhalt\n' > "$tmp/outside.mesh"
printf 'halt\n@die 0 0\nhalt\n' > "$tmp/nosection.mesh"
printf '@die 0 1\nsend row=0 col=0 src=act:0xff0 dst=act:0 len=32\nhalt\n' > "$tmp/range.mesh"
printf '@die 0 0\nsend row=1 col=1 src=act:0x40 dst=act:0 len=64 async=1\ngemm x=0 w=0 y=0x60 m=2 k=2 n=2\nhalt\n' > "$tmp/race.mesh"
expect_bad() {
  local file=$1 want=$2 out rc
  out=$(mesh default "$tmp/$file" 2>&1); rc=$?
  if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- "$want"; then echo "ok $file: exit 2, \"$want\""
  else fail "$file: expected exit 2 and \"$want\", got exit $rc: $out"; fi
}
expect_bad deadlock.mesh "deadlock: die 0 (row 0, col 0) waits at insn 0 for 5 words, 0 have arrived"
expect_bad outside.mesh 'outside.mesh:3: expected "@die ROW COL" with ROW 0..1 and COL 0..1'
expect_bad nosection.mesh 'nosection.mesh:1: an instruction before the first "@die ROW COL" section'
expect_bad range.mesh "insn 0 (send): source \[0xff0, +32) or destination \[0x0, +32) leaves its buffer"
expect_bad race.mesh "insn 1 (gemm) writes act \[0x60, +4), which the async transfer of insn 0 may still be reading: put a FENCE between them"
exit $status
