// Synthesis view of tessera_sram_bank: a black-box macro. Yosys reads this
// file instead of rtl_templates/tessera_sram_bank.sv so that it never builds
// megabytes of flip-flops; flows/ add the macro area from docs/synthesis.md.
(* blackbox *)
module tessera_sram_bank #(
  parameter Depth = 1024,
  parameter Width = 32,
  parameter AW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  wire             clk_i,
  input  wire             req_i,
  input  wire             we_i,
  input  wire [AW-1:0]    addr_i,
  input  wire [Width-1:0] wdata_i,
  output wire [Width-1:0] rdata_o,
  input  wire             w2_req_i,
  input  wire [AW-1:0]    w2_addr_i,
  input  wire [Width-1:0] w2_wdata_i,
  input  wire             r3_req_i,
  input  wire [AW-1:0]    r3_addr_i,
  output wire [Width-1:0] r3_rdata_o
);
endmodule
