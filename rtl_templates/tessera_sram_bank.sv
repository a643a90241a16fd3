// tessera_sram_bank: one SRAM bank with a read/write port, a second, write-only
// port (the network interface's arriving data) and a third, read-only port
// (the network interface's transmitter, so that a SEND reads its source while
// the controller computes); the instruction memory ties the second and third
// off. Synchronous reads (1 cycle). When both write ports write one word in the
// same cycle the second port wins, and a read of a word written in the same
// cycle returns the old word; the programs must not do either (docs/isa.md).
// This is the macro boundary: simulators use this behavioral model, synthesis
// reads flows/tessera_sram_bank_bb.v (a black box) instead, and the flows add
// macro area from the bits-to-area model in docs/.
`default_nettype none

module tessera_sram_bank #(
  parameter int Depth = 1024,
  parameter int Width = 32,
  localparam int AW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             req_i,
  input  logic             we_i,
  input  logic [AW-1:0]    addr_i,
  input  logic [Width-1:0] wdata_i,
  output logic [Width-1:0] rdata_o,
  input  logic             w2_req_i,
  input  logic [AW-1:0]    w2_addr_i,
  input  logic [Width-1:0] w2_wdata_i,
  input  logic             r3_req_i,
  input  logic [AW-1:0]    r3_addr_i,
  output logic [Width-1:0] r3_rdata_o
);
  logic [Width-1:0] mem [0:Depth-1];

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      if (we_i) begin
        mem[addr_i] <= wdata_i;
      end else begin
        rdata_o <= mem[addr_i];
      end
    end
    if (w2_req_i) mem[w2_addr_i] <= w2_wdata_i;
    if (r3_req_i) r3_rdata_o <= mem[r3_addr_i];
  end
endmodule

`default_nettype wire
