# flows/sram_area.awk: the SRAM macro area model of docs/synthesis.md, an awk
# function library (awk -f flows/sram_area.awk -f ...).
#
#   sram_macro_ge(depth, width, ports)   area of one macro (a bank), in GE
#
# One macro of depth words x width bits with 1 port (1RW), 2 (1RW + 1W) or 3
# (1RW + 1R + 1W):
#   cell array   bits x cell area (6T high-density cell; more ports: a
#                multi-port cell, one 6T cell's area per port)
#   row edge     decoder and word-line driver, per row and per port
#   column edge  precharge, column mux, sense amplifier, write driver, per
#                column and per port
#   control      address and data latches, timing, per port
# The array is folded near-square: column mux m in 1, 2, 4, ... 16 puts
# depth / m rows of width x m columns, the m whose rows / cols ratio is
# closest to 1 (the smaller m on a tie). Each bank is a macro of its own, so
# splitting a buffer into more banks costs periphery: that is how banks enter.

# Constants, in NAND2 equivalents (one NAND2 = 0.49 um^2 at 28 nm).
function sram_cell_ge(ports) {
  # TSMC 28 nm high-density 6T cell 0.127 um^2; a dual-port cell taken as 2x
  # (published 2-port 8T cells are 1.7x to 3.3x the 6T cell of their node),
  # a three-port cell as 3x: each port its own access devices and bit lines.
  return ports * 0.127 / 0.49
}
function sram_row_ge() { return 6 }
function sram_col_ge() { return 12 }
function sram_ctrl_ge() { return 600 }

function sram_mux(depth, width,  m, best, r, e, be) {
  best = 1; be = -1
  for (m = 1; m <= 16 && m <= depth; m *= 2) {
    r = (depth / m) / (width * m)
    e = r >= 1 ? r : 1 / r
    if (be < 0 || e < be) { be = e; best = m }
  }
  return best
}

function sram_macro_ge(depth, width, ports,  m) {
  m = sram_mux(depth, width)
  return depth * width * sram_cell_ge(ports) \
    + ports * ((depth / m) * sram_row_ge() + width * m * sram_col_ge() + sram_ctrl_ge())
}
