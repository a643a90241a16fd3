#!/usr/bin/env bash
# FPGA estimate: Yosys synth_xilinx (7-series) of a generated die, SRAM banks
# as black boxes (so no BRAM is inferred from them: the buffers are reported as
# bits, to be mapped onto BRAM by hand). Prints LUTs, flip-flops, DSPs, BRAMs.
#   flows/synth_fpga.sh RTL_DIR OUT_DIR
set -euo pipefail
rtl=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
files=$(grep -v '^tessera_sram_bank.sv$' "$rtl/files.f" | sed "s|^|$rtl/|" | tr '\n' ' ')
top=$(tail -n 1 "$rtl/files.f"); top=${top%.sv}
yosys -q -l "$out/yosys_fpga.log" -p "
  read_verilog -sv $files; read_verilog $here/tessera_sram_bank_bb.v;
  hierarchy -check -top $top; synth_xilinx -top $top -flatten;
  tee -q -o $out/fpga.txt stat" > /dev/null 2>&1 \
  || { tail -n 30 "$out/yosys_fpga.log"; exit 1; }
awk '
  /LUT[1-6]/ && NF == 2 { lut += $2 }
  /FD[CPRS]E?/ && NF == 2 { ff += $2 }
  /DSP48E1/ && NF == 2 { dsp += $2 }
  /RAMB(18|36)E1/ && NF == 2 { bram += $2 }
  /CARRY4/ && NF == 2 { carry += $2 }
  END { printf "LUTs %d, flip-flops %d, DSP48E1 %d, BRAM %d, CARRY4 %d\n", lut, ff, dsp, bram, carry }
' "$out/fpga.txt" | tee "$out/fpga_summary.txt"
