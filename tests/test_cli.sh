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
# The system-scale model (docs/system-model.md): estimate and sweep.
check "tessera --help documents estimate and sweep" \
  "$tessera --help | grep -q 'estimate CONFIG' && $tessera --help | grep -q 'sweep CONFIG'"
check "estimate --help documents --model, --method and --json" \
  "$tessera estimate --help | grep -q -- '--model MODEL' && $tessera estimate --help | grep -q -- '--method' && $tessera estimate --help | grep -q -- '--json'"
check "estimate: a row per method with a latency, and a JSON object per method" \
  "$tessera estimate configs/hecaton-4x4.json --model bert-large --method all > $T/est.txt && \
   [ \$(grep -c -E '^(flat|torus|optimus|hecaton) +[0-9.]+ ' $T/est.txt) -eq 4 ] && \
   $tessera estimate configs/hecaton-4x4.json --model bert-large --method hecaton --json > $T/est.json && \
   grep -q '\"method\": \"hecaton\"' $T/est.json && grep -q '\"nop_transmission\"' $T/est.json"
check "estimate of a model file equals the built-in model" \
  "$tessera estimate configs/hecaton-4x4.json --model configs/models/bert-large.json --method hecaton --json > $T/file.json && \
   cmp -s $T/est.json $T/file.json"
check "estimate prints the die variants of a heterogeneous mesh (SCAR Het-Sides: 6 ws, 3 os)" \
  "$tessera estimate configs/scar-het-sides-3x3.json --model bert-large --method hecaton > $T/scar.txt && \
   grep -q '2 die variants' $T/scar.txt && grep -q '^ *6 dies of 256 FMA units.*, ws,' $T/scar.txt && \
   grep -q '^ *3 dies of 256 FMA units.*, os,.*first at (0, 2)' $T/scar.txt"
check "estimate prints photonic link classes (photonic-2x4: 6 row and 4 column links)" \
  "$tessera estimate configs/photonic-2x4.json --model bert-large --method hecaton > $T/ph.txt && \
   grep -q '^ *row  *6 links,  *6 photonic' $T/ph.txt && grep -q '^ *column  *4 links,  *4 photonic' $T/ph.txt"
check "estimate --json labels the non-linearities' basis and gives them by function" \
  "$tessera estimate configs/hecaton-4x4.json --model bert-large --method hecaton --json > $T/lab.json && \
   grep -q '\"compute_estimates\"' $T/lab.json && grep -q '\"weight_update_cycles\"' $T/lab.json && \
   grep -q 'the lowered transformer layer' $T/lab.json && grep -q '\"latency_basis\"' $T/lab.json && \
   grep -q '\"cycles_by_function\"' $T/lab.json && grep -q '\"layernorm\"' $T/lab.json"
check "estimate --sequence-parallel is reported in the table and in --json" \
  "$tessera estimate configs/hecaton-4x4.json --model bert-large --method flat --json > $T/rep.json && \
   $tessera estimate configs/hecaton-4x4.json --model bert-large --method flat --sequence-parallel --json > $T/sp.json && \
   grep -q '\"sequence_parallel\": false' $T/rep.json && grep -q '\"sequence_parallel\": true' $T/sp.json && \
   $tessera estimate configs/hecaton-4x4.json --model bert-large --method flat --sequence-parallel | grep -q 'sequence parallelism on'"
check "estimate: an infeasible layout is named, not an error" \
  "$tessera estimate configs/hecaton-4x4.json --mesh 2x8 --model bert-large --method optimus | grep -q 'cannot run: optimus needs a square mesh'"
# Word counts past 2^32 (issue 19): a flat ring over 1x2 dies sends 2^32 words per
# message at seq 1048576; the link bits grow 16x from seq 65536, not to 0.
nop_bits() {
  $tessera estimate configs/hecaton-4x4.json --model llama2-70b --batch 1 --seq $1 --method flat \
    --mesh 1x2 --json | awk -F': ' '/"nop_link_bits"/ { print $2 + 0 }'
}
check "estimate: network traffic of messages of 2^32 words and more (64-bit counts)" \
  "awk -v a=\$(nop_bits 65536) -v b=\$(nop_bits 1048576) 'BEGIN { exit !(a > 0 && b / a > 15.9 && b / a < 16.1) }'"
# bad command lines: exit 2 naming the option, the value and what is allowed
bad_cli() { # NAME EXPECTED-TEXT ARGS...
  local name=$1 want=$2; shift 2
  check "$name: exit 2 naming it" "$tessera $* > /dev/null 2> $T/bad.err; [ \$? -eq 2 ] && grep -q -- \"$want\" $T/bad.err"
}
bad_cli "estimate --method nope" "--method: 'nope' is not allowed, expected flat, torus, optimus, hecaton or all" \
  estimate configs/default.json --model bert-large --method nope
bad_cli "estimate without --method" "missing --method" estimate configs/default.json --model bert-large
bad_cli "estimate without --model" "missing --model" estimate configs/default.json --method all
bad_cli "estimate --model unknown" "no such built-in model or file, expected one of bert-large" \
  estimate configs/default.json --model gpt9 --method all
bad_cli "estimate --package" "--package: 'organic' is not allowed, expected config, standard or advanced" \
  estimate configs/default.json --model bert-large --method all --package organic
bad_cli "estimate --batch 0" "--batch: '0' is not allowed, expected an integer" \
  estimate configs/default.json --model bert-large --method all --batch 0
bad_cli "estimate --mesh" "--mesh: '4x' is not allowed, expected RxC" \
  estimate configs/default.json --model bert-large --method all --mesh 4x
bad_cli "estimate --link-gbps" "link bandwidth -3 GB/s is out of range, expected 6.4..6553.6 GB/s" \
  estimate configs/default.json --model bert-large --method all --link-gbps -3
bad_cli "estimate --compute" "--compute: 'fast' is not allowed, expected model or peak" \
  estimate configs/default.json --model bert-large --method all --compute fast
bad_cli "estimate unknown option" "unknown option --frob" estimate configs/default.json --model bert-large --method all --frob
bad_cli "estimate bad config" "mesh.cols" estimate tests/bad_configs/cols_too_big.json --model bert-large --method all
printf '{"name": "m", "hidden": 64, "heads": 5}\n' > $T/badmodel.json
bad_cli "estimate bad model file" "heads: 5 does not divide hidden (64)" \
  estimate configs/default.json --model $T/badmodel.json --method all
bad_cli "estimate --mesh on die_overrides" "cannot reshape it to 4 x 4" \
  estimate configs/scar-het-sides-3x3.json --model bert-large --method all --mesh 4x4
bad_cli "sweep of die_overrides" "has die_overrides (2 die variants)" \
  sweep configs/scar-het-sides-3x3.json --model bert-large -o $T/sweep-scar
bad_cli "sweep without -o" "missing -o DIR" sweep configs/default.json --model bert-large
bad_cli "sweep --dies 0" "--dies: '0' is not allowed, expected a list of die counts" \
  sweep configs/default.json --model bert-large -o $T/sw --dies 0
bad_cli "sweep --dataflow" "--dataflow: 'ws,rs' is not allowed, expected a list of ws, os" \
  sweep configs/default.json --model bert-large -o $T/sw --dataflow ws,rs
bad_cli "sweep --method" "--method: 'megatron' is not allowed, expected a list of flat" \
  sweep configs/default.json --model bert-large -o $T/sw --method megatron
bad_cli "sweep --link-gbps below a flit" "link bandwidth 4 GB/s is out of range" \
  sweep configs/default.json --model bert-large -o $T/sw --link-gbps 4,32
check "sweep: every point in points.csv, a Pareto front, a gnuplot script, the rate" \
  "$tessera sweep configs/hecaton-die.json --model bert-large -o $T/sw --dies 4,16 --package standard,advanced \
     --dataflow ws,os > $T/sw.txt && [ \$(wc -l < $T/sw/points.csv) -eq \$((1 + (3 + 5) * 2 * 2 * 4)) ] && \
   [ \$(wc -l < $T/sw/pareto.csv) -ge 2 ] && grep -q 'pareto.svg' $T/sw/pareto.gp && \
   grep -q 'points/s' $T/sw.txt && grep -q 'least EDP' $T/sw.txt"
# The same sweep in shards (docs/cluster.md): bad --shard values, then 3
# shards merged byte for byte into the unsharded run's files.
for sh in 3/3 0/0 1 a/2 1/2x -1/3; do
  bad_cli "sweep --shard $sh" "--shard: '$sh' is not allowed, expected" \
    sweep configs/hecaton-die.json --model bert-large -o $T/shards --shard "$sh"
done
bad_cli "sweep --merge without shards" "--merge needs -o DIR and the shard files" sweep --merge -o $T/merged
check "sweep in 3 shards, merged: points.csv, pareto.csv and pareto.gp byte for byte the unsharded run's" \
  "n=0; for i in 2 0 1; do $tessera sweep configs/hecaton-die.json --model bert-large -o $T/shards --dies 4,16 \
     --package standard,advanced --dataflow ws,os --shard \$i/3 > /dev/null && n=\$((n + 1)); done; [ \$n -eq 3 ] && \
   $tessera sweep --merge -o $T/merged $T/shards > $T/merged.txt && \
   cmp $T/sw/points.csv $T/merged/points.csv && cmp $T/sw/pareto.csv $T/merged/pareto.csv && \
   cmp $T/sw/pareto.gp $T/merged/pareto.gp && grep -q 'merged from shards' $T/merged.txt && \
   [ \"\$(grep 'least EDP' $T/merged.txt)\" = \"\$(grep 'least EDP' $T/sw.txt)\" ]"
check "sweep --merge with a shard missing: exit 1 naming it" \
  "rm $T/shards/shard-1-of-3.rows; $tessera sweep --merge -o $T/merged2 $T/shards 2> $T/merge.err; \
   [ \$? -eq 1 ] && grep -q '1 of 3 shards missing: 1' $T/merge.err && [ ! -e $T/merged2/points.csv ]"
# The vector functions' error table (docs/vector-functions.md), quick mode.
check "vecfn: a table row per function, exp, recip and rsqrt within an ulp, no FAIL" \
  "$tessera vecfn > $T/vecfn.txt && [ \$(grep -c -E '^\| (exp|recip|rsqrt|gelu|gelu_grad) \|' $T/vecfn.txt) -eq 5 ] && \
   ! grep -q FAIL $T/vecfn.txt && \
   [ \$(awk -F'|' '/^\| (exp|recip|rsqrt) \|/ && \$7 + 0 >= 1' $T/vecfn.txt | wc -l) -eq 0 ]"
check "vecfn with an unknown option: exit 2" "$tessera vecfn --fast 2>/dev/null; [ \$? -eq 2 ]"
exit $status
