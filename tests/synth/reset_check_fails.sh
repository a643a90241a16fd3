#!/usr/bin/env bash
# The reset check can fail: tessera_flit_fifo with the reset of its pointers
# and count removed (a control flop losing its reset) must be rejected, with
# each register named. Run by make test-synth.
#   tests/synth/reset_check_fails.sh OUT_DIR
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/flows/synth_lib.sh"
mkdir -p "$out"
sed -e 's/always_ff @(posedge clk_i or negedge rst_ni)/always_ff @(posedge clk_i)/' \
    -e 's/if (!rst_ni) begin/if (1'"'"'b0) begin/' \
    "$here/rtl_templates/tessera_flit_fifo.sv" > "$out/tessera_flit_fifo.sv"
yosys -q -l "$out/yosys.log" -p "read_verilog -sv $out/tessera_flit_fifo.sv;
  hierarchy -check -top tessera_flit_fifo; proc;
  tee -q -o $out/noreset.txt select -list $NORESET_SEL" > /dev/null 2>&1 \
  || { tail -n 20 "$out/yosys.log"; exit 1; }
if bash "$here/flows/reset_check.sh" "$out/noreset.txt" "$here/flows/noreset_allow.txt" > "$out/check.txt"; then
  cat "$out/check.txt"
  echo "FAILED: the reset check passed a FIFO whose pointers lost their reset"
  exit 1
fi
for r in count_q rd_q wr_q; do
  grep -q "tessera_flit_fifo.$r " "$out/check.txt" || { cat "$out/check.txt"; echo "FAILED: $r not named"; exit 1; }
done
echo "ok reset check rejects tessera_flit_fifo without its pointer reset: $(grep -c '^no reset' "$out/check.txt") registers named"
