// tessera_sram_bank: one single-port SRAM bank, synchronous read (1 cycle).
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
  output logic [Width-1:0] rdata_o
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
  end
endmodule

`default_nettype wire
