#!/usr/bin/env bash
# FPGA estimate: Yosys synth_xilinx (7-series) of a generated die
# (flows/yosys/fpga.ys), with the SRAM banks' behavioral model so that they
# map onto block RAM. Prints LUTs, flip-flops, DSPs, BRAMs and carry chains.
#   flows/synth_fpga.sh RTL_DIR OUT_DIR
set -euo pipefail
mkdir -p "$2"
rtl=$(cd "$1" && pwd)
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/synth_lib.sh"
files=$(sed "s|^|$rtl/|" "$rtl/files.f" | tr '\n' ' ')
top=$(tail -n 1 "$rtl/files.f"); top=${top%.sv}
yosys_script fpga.ys "$out/fpga.ys" FILES="$files" TOP="$top" OUT="$out"
yosys_run "$out/fpga.ys" "$out/yosys_fpga.log"
awk '
  /LUT[1-6]/ && NF == 2 { lut += $2 }
  /FD[CPRS]E?/ && NF == 2 { ff += $2 }
  /DSP48E1/ && NF == 2 { dsp += $2 }
  /RAMB36E1/ && NF == 2 { b36 += $2 }
  /RAMB18E1/ && NF == 2 { b18 += $2 }
  /CARRY4/ && NF == 2 { carry += $2 }
  # Distributed RAM (the FIFOs): its cells, each a few LUTs of the slice.
  /RAM(32|64|128|256)(M|X1[SD])/ && NF == 2 { lutram = lutram sep $1 " " $2; sep = ", " }
  END {
    printf "LUTs %d, flip-flops %d, DSP48E1 %d, BRAM %d RAMB36E1 + %d RAMB18E1 (%.1f RAMB36), CARRY4 %d, LUT RAM: %s\n",
      lut, ff, dsp, b36, b18, b36 + b18 / 2, carry, lutram == "" ? "none" : lutram
  }
' "$out/fpga.txt" | tee "$out/fpga_summary.txt"
