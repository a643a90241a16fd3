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
// With LocalLanes, bank b is lane b of the main port: the units read and
// write the banks beside them (lanes_o, wdata_i), with no rotation, which is
// right for accesses that start at bank 0 (the die's alignment contract,
// docs/isa.md). An access of one word may start anywhere: its word is
// written to every lane (the bank enables pick one) and read back on lane 0
// of lanes_o from rdata_o. rdata_o still rotates, for the controller's X
// words, the host and the VAXPY scalar, which take a few of its lanes.
`default_nettype none

module tessera_buffer #(
  parameter int Words = 4096,
  parameter int Banks = 4,
  parameter bit LocalLanes = 1'b0,
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
  output logic [Banks*32-1:0] lanes_o,  // the units' read data: rdata_o, or the banks' with LocalLanes
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

  logic [BW-1:0] first_bank, nw_first_bank, nr_first_bank;
  logic [BW-1:0] first_bank_q, nr_first_bank_q;
  assign first_bank    = BW'(addr_i & AW'(Banks - 1));
  assign nw_first_bank = BW'(nw_addr_i & AW'(Banks - 1));
  assign nr_first_bank = BW'(nr_addr_i & AW'(Banks - 1));

  // Lanes to banks and back: word Addr + j is in bank (first bank + j) mod
  // Banks, so the read data comes back rotated down by the first bank, and a
  // write port's lanes reach the banks rotated up by it (down by its
  // negation). Each rotation shifts the lanes written twice side by side: a
  // log2(Banks)-stage shifter, where a Banks-way select per lane would be
  // Banks times larger (on a 64-bank buffer, 64 x 63 x 32 multiplexers a
  // port, which Yosys could not synthesize in 24 GB). Not a function with a
  // loop (docs/simulators.md, Icarus 11.0).
  localparam int PW = Banks * 32;
  logic [Banks*32-1:0] bank_wdata, nw_bank_wdata, bank_rdata, nr_bank_rdata;
  logic one_word, one_word_q;  // an access of one word, which LocalLanes takes anywhere
  assign one_word      = count_i == CW'(1);
  assign bank_wdata    = !LocalLanes ? PW'({wdata_i, wdata_i} >> {BW'(0) - first_bank, 5'd0})
                       : one_word    ? {Banks{wdata_i[31:0]}}
                                     : wdata_i;
  assign nw_bank_wdata = PW'({nw_wdata_i, nw_wdata_i} >> {BW'(0) - nw_first_bank, 5'd0});
  assign rdata_o       = PW'({bank_rdata, bank_rdata} >> {first_bank_q, 5'd0});
  assign nr_rdata_o    = PW'({nr_bank_rdata, nr_bank_rdata} >> {nr_first_bank_q, 5'd0});
  localparam logic [PW-1:0] Lane0 = PW'(32'hFFFF_FFFF);
  assign lanes_o = !LocalLanes ? rdata_o
                 : one_word_q  ? (bank_rdata & ~Lane0) | (rdata_o & Lane0)
                               : bank_rdata;

  // Bank b holds word Addr + ((b - first bank) mod Banks): row Addr / Banks,
  // or the next row for the banks below the first.
  logic [RW-1:0] row, nw_row, nr_row;
  assign row    = RW'(addr_i >> SH);
  assign nw_row = RW'(nw_addr_i >> SH);
  assign nr_row = RW'(nr_addr_i >> SH);

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    // The lane each port serves at this bank this cycle, and whether the
    // bank is below the port's first bank (the subtraction's borrow).
    logic [BW-1:0] lane, nw_lane, nr_lane;
    logic          wrap, nw_wrap, nr_wrap;
    assign {wrap, lane}       = {1'b0, BW'(b)} - {1'b0, first_bank};
    assign {nw_wrap, nw_lane} = {1'b0, BW'(b)} - {1'b0, nw_first_bank};
    assign {nr_wrap, nr_lane} = {1'b0, BW'(b)} - {1'b0, nr_first_bank};

    tessera_sram_bank #(.Depth(Depth), .Width(32)) u_bank (
      .clk_i  (clk_i),
      .req_i  (req_i && (CW'(lane) < count_i)),
      .we_i   (we_i),
      .addr_i (wrap ? row + RW'(1) : row),
      .wdata_i(bank_wdata[b*32 +: 32]),
      .rdata_o(bank_rdata[b*32 +: 32]),
      .w2_req_i  (nw_req_i && (CW'(nw_lane) < nw_count_i)),
      .w2_addr_i (nw_wrap ? nw_row + RW'(1) : nw_row),
      .w2_wdata_i(nw_bank_wdata[b*32 +: 32]),
      .r3_req_i  (nr_req_i && (CW'(nr_lane) < nr_count_i)),
      .r3_addr_i (nr_wrap ? nr_row + RW'(1) : nr_row),
      .r3_rdata_o(nr_bank_rdata[b*32 +: 32])
    );
  end

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      first_bank_q <= first_bank;
      one_word_q   <= one_word;
    end
    if (nr_req_i) nr_first_bank_q <= nr_first_bank;
  end
endmodule

`default_nettype wire
