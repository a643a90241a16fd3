// tessera_io_dram: the behavioral DRAM channel model behind an IO die
// (mesh.dram.model "rtl"; docs/noc.md, "IO dies and DRAM"). A simulation
// model, not synthesizable hardware: the DRAM is an array of DramWords 32-bit
// words. The SystemC DRAM channel (verif/systemc/, mesh.dram.model
// "external") implements the same port and, without banks and refresh, the
// same timing.
//
// Requests (req_i) are taken in the cycle they come:
//   a write stores len_i words of wdata_i from word addr_i on;
//   a read of len_i words from addr_i joins the queue of reads, due Latency
//     cycles after its request.
// The oldest read not yet fully taken is the current one. ready_o: it is due.
// rvalid_o: its next min(left, FlitW / 32) words are on rdata_o and the
// bandwidth allows them: a token bucket of BwMilli thousandths of a byte per
// cycle pays 4 bytes for every word taken (rtake_i), filling while below
// its cap when nothing is taken. The host reads (one cycle later) and writes
// the array while the mesh is idle, to load inputs and check results.
`default_nettype none

module tessera_io_dram #(
  parameter int FlitW = 128,
  parameter int DramWords = 16384,
  parameter int Latency = 80,       // cycles from a read request to its answer's start
  parameter int BwMilli = 128000,   // bandwidth, thousandths of a byte per cycle
  localparam int WPF = FlitW / 32,
  localparam int DAW = $clog2(DramWords),
  localparam int Reads = 8          // the IO die's 4 queued jobs and the one it sends, rounded up
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             req_i,
  input  logic             we_i,
  input  logic [31:0]      addr_i,
  input  logic [24:0]      len_i,
  input  logic [FlitW-1:0] wdata_i,
  output logic             ready_o,
  output logic             rvalid_o,
  output logic [FlitW-1:0] rdata_o,
  input  logic             rtake_i,
  // host access (read data one cycle later)
  input  logic             host_req_i,
  input  logic             host_we_i,
  input  logic [DAW-1:0]   host_addr_i,
  input  logic [31:0]      host_wdata_i,
  output logic [31:0]      host_rdata_o
);
  if (FlitW % 32 != 0 || FlitW < 64 || (DramWords & (DramWords - 1)) != 0) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_io_dram: FlitW a multiple of 32 from 64, DramWords a power of two");
`endif
  end

  localparam int NW = $clog2(WPF + 1);
  localparam int TokenCap = 4000 * WPF * 2 + BwMilli;

  logic [31:0] mem [0:DramWords-1];
  logic [31:0] now_q;

  // The reads: a ring of Reads entries; the head is the current read.
  logic [31:0] rd_addr_q [0:Reads-1];
  logic [24:0] rd_left_q [0:Reads-1];
  logic [31:0] rd_due_q [0:Reads-1];
  logic [2:0]  rd_wr_q, rd_rd_q;
  logic [3:0]  rd_count_q;
  logic        rd_push, rd_pop;
  logic [31:0] tokens_q;

  logic [24:0]   cur_left;
  logic [31:0]   cur_addr;
  logic [NW-1:0] n_rd;
  assign cur_left = rd_left_q[rd_rd_q];
  assign cur_addr = rd_addr_q[rd_rd_q];
  assign n_rd = (cur_left < 25'(WPF)) ? NW'(cur_left) : NW'(WPF);
  assign ready_o  = rd_count_q != '0 && now_q >= rd_due_q[rd_rd_q];
  assign rvalid_o = ready_o && tokens_q >= 32'(n_rd) * 32'd4000;
  assign rd_push  = req_i && !we_i;
  assign rd_pop   = rtake_i && cur_left == 25'(n_rd);

  // One continuous assignment per word, not an always_comb (docs/simulators.md,
  // "Icarus 11.0 and always_comb").
  for (genvar j = 0; j < WPF; j++) begin : g_rword
    assign rdata_o[j*32 +: 32] = (NW'(j) < n_rd) ? mem[DAW'(cur_addr + 32'(j))] : '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      now_q      <= '0;
      rd_wr_q    <= '0;
      rd_rd_q    <= '0;
      rd_count_q <= '0;
      tokens_q   <= '0;
    end else begin
      now_q <= now_q + 32'd1;
      if (rd_push) rd_wr_q <= rd_wr_q + 3'd1;
      if (rd_pop) rd_rd_q <= rd_rd_q + 3'd1;
      rd_count_q <= rd_count_q + 4'(rd_push) - 4'(rd_pop);
      if (rtake_i)
        tokens_q <= tokens_q - 32'(n_rd) * 32'd4000 + 32'(BwMilli);
      else if (tokens_q < 32'(TokenCap))
        tokens_q <= tokens_q + 32'(BwMilli);
    end
  end

  always_ff @(posedge clk_i) begin
    if (rd_push) begin
      rd_addr_q[rd_wr_q] <= addr_i;
      rd_left_q[rd_wr_q] <= len_i;
      rd_due_q[rd_wr_q]  <= now_q + 32'(Latency);
    end
    if (rtake_i && !rd_pop) begin
      rd_addr_q[rd_rd_q] <= cur_addr + 32'(n_rd);
      rd_left_q[rd_rd_q] <= cur_left - 25'(n_rd);
    end
    // writes: the IO die's, or the host's
    if (req_i && we_i) begin
      for (int j = 0; j < WPF; j++) begin
        if (25'(j) < len_i) mem[DAW'(addr_i) + DAW'(j)] <= wdata_i[j*32 +: 32];
      end
    end else if (host_req_i && host_we_i) begin
      mem[host_addr_i] <= host_wdata_i;
    end
    host_rdata_o <= mem[host_addr_i];
  end
endmodule

`default_nettype wire
