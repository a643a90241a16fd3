// tessera_buffer: a global buffer of Words 32-bit words in Banks banks.
// Word w lives in bank w % Banks, row w / Banks. One access per cycle moves a
// group of Count contiguous words starting at Addr (Count <= Banks), which by
// construction touches each bank at most once: no bank conflicts. Lane j of
// wdata_i / rdata_o is word Addr + j; read data arrives one cycle later.
// The nw_* port writes a group the same way, in the same cycle as the main
// port: it is the network interface's, so that arriving data never waits for
// the controller (a second write port on every bank). The nr_* port reads a
// group the same way for the network interface's transmitter (a third, read
// port on every bank), so that a SEND or DWR reads while the controller
// computes.
`default_nettype none

module tessera_buffer #(
  parameter int Words = 4096,
  parameter int Banks = 4,
  localparam int AW = $clog2(Words),
  localparam int BW = (Banks > 1) ? $clog2(Banks) : 1,
  localparam int CW = $clog2(Banks + 1),
  localparam int SH = $clog2(Banks),  // word -> row shift
  localparam int Depth = Words / Banks,
  localparam int RW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic              clk_i,
  input  logic              req_i,
  input  logic              we_i,
  input  logic [AW-1:0]     addr_i,
  input  logic [CW-1:0]     count_i,
  input  logic [Banks*32-1:0] wdata_i,
  output logic [Banks*32-1:0] rdata_o,
  input  logic              nw_req_i,
  input  logic [AW-1:0]     nw_addr_i,
  input  logic [CW-1:0]     nw_count_i,
  input  logic [Banks*32-1:0] nw_wdata_i,
  input  logic              nr_req_i,
  input  logic [AW-1:0]     nr_addr_i,
  input  logic [CW-1:0]     nr_count_i,
  output logic [Banks*32-1:0] nr_rdata_o
);
  if (Words % Banks != 0 || (Banks & (Banks - 1)) != 0 || Words < 2 * Banks) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_buffer: Banks must be a power of two dividing Words");
`endif
  end

  logic [BW-1:0] first_bank;
  logic [BW-1:0] first_bank_q, nr_first_bank_q;
  logic [Banks*32-1:0] bank_rdata, nr_bank_rdata;
  assign first_bank = BW'(addr_i & AW'(Banks - 1));
  logic [BW-1:0] nw_first_bank;
  assign nw_first_bank = BW'(nw_addr_i & AW'(Banks - 1));
  logic [BW-1:0] nr_first_bank;
  assign nr_first_bank = BW'(nr_addr_i & AW'(Banks - 1));

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    // Lane served by this bank this cycle, and that word's address.
    logic [BW-1:0] lane;
    logic [AW-1:0] word;
    logic          active;
    assign lane   = BW'(b) - first_bank;
    assign word   = addr_i + AW'(lane);
    assign active = req_i && (CW'(lane) < count_i);
    logic [BW-1:0] nw_lane;
    logic [AW-1:0] nw_word;
    assign nw_lane = BW'(b) - nw_first_bank;
    assign nw_word = nw_addr_i + AW'(nw_lane);
    logic [BW-1:0] nr_lane;
    logic [AW-1:0] nr_word;
    assign nr_lane = BW'(b) - nr_first_bank;
    assign nr_word = nr_addr_i + AW'(nr_lane);

    tessera_sram_bank #(.Depth(Depth), .Width(32)) u_bank (
      .clk_i  (clk_i),
      .req_i  (active),
      .we_i   (we_i),
      .addr_i (RW'(word >> SH)),
      .wdata_i(wdata_i[lane*32 +: 32]),
      .rdata_o(bank_rdata[b*32 +: 32]),
      .w2_req_i  (nw_req_i && (CW'(nw_lane) < nw_count_i)),
      .w2_addr_i (RW'(nw_word >> SH)),
      .w2_wdata_i(nw_wdata_i[nw_lane*32 +: 32]),
      .r3_req_i  (nr_req_i && (CW'(nr_lane) < nr_count_i)),
      .r3_addr_i (RW'(nr_word >> SH)),
      .r3_rdata_o(nr_bank_rdata[b*32 +: 32])
    );
  end

  always_ff @(posedge clk_i) begin
    if (req_i) first_bank_q <= first_bank;
    if (nr_req_i) nr_first_bank_q <= nr_first_bank;
  end

  // Rotate bank outputs back into lane order: lane j is bank first_bank_q + j.
  // One continuous assignment per lane, not an always_comb (docs/simulators.md,
  // "Icarus 11.0 and always_comb").
  for (genvar j = 0; j < Banks; j++) begin : g_lane
    logic [BW-1:0] src_bank;
    assign src_bank = BW'(j) + first_bank_q;
    assign rdata_o[j*32 +: 32] = bank_rdata[src_bank*32 +: 32];
    logic [BW-1:0] nr_src_bank;
    assign nr_src_bank = BW'(j) + nr_first_bank_q;
    assign nr_rdata_o[j*32 +: 32] = nr_bank_rdata[nr_src_bank*32 +: 32];
  end
endmodule

`default_nettype wire
