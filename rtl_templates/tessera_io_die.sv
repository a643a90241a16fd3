// tessera_io_die: an IO die on the left or right edge of a row: the network
// side of its DRAM controller (docs/noc.md, "IO dies and DRAM"). Its DRAM
// channel sits behind a request / response port: tessera_io_dram (the
// behavioral model, mesh.dram.model "rtl") or a model outside the RTL
// (mesh.dram.model "external": the SystemC DRAM channel, docs/simulators.md).
//
// It takes packets from the network one at a time:
//   DRAM write (kind 3): every body flit is a write request of its words at
//     the head's address (dram_we_o, dram_len_o words of dram_wdata_o).
//   DRAM read (kind 2): the body flit {length, DRAM address} is a read
//     request, and becomes a job; jobs are answered in order with data
//     packets (kind 0, the last one kind 1) into the buffer and address the
//     head named, at the requesting die.
// Every body flit received is one request (dram_req_o), taken at once.
// A job starts (its first head leaves) once the channel says the oldest read
// it has not finished can start (dram_ready_i); a body flit of the answer
// leaves when the channel offers the next min(words left, FlitW / 32) words
// (dram_rvalid_i, dram_rdata_i) and the network has a credit, and takes them
// (dram_rtake_o).
`default_nettype none

module tessera_io_die #(
  parameter int FlitW = 128,
  parameter int Depth = 4,          // credits of the router port it faces; its receive FIFO
  parameter int MaxBody = 16,
  localparam int FW = FlitW + 2,
  localparam int WPF = FlitW / 32,
  localparam int Jobs = 4
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [6:0]       my_x_i,
  input  logic [5:0]       my_y_i,
  // network channel (into the network / out of it)
  output logic             inj_vld_o,
  output logic [FW-1:0]    inj_flit_o,
  input  logic             inj_credit_i,
  input  logic             ej_vld_i,
  input  logic [FW-1:0]    ej_flit_i,
  output logic             ej_credit_o,
  // the DRAM channel: requests (a read: address and length in words; a write:
  // address, words and data), read data of the oldest unfinished read
  output logic             dram_req_o,
  output logic             dram_we_o,
  output logic [31:0]      dram_addr_o,
  output logic [24:0]      dram_len_o,
  output logic [FlitW-1:0] dram_wdata_o,
  input  logic             dram_ready_i,
  input  logic             dram_rvalid_i,
  input  logic [FlitW-1:0] dram_rdata_i,
  output logic             dram_rtake_o,
  // counters: words read, words written, read requests
  output logic [31:0]      words_read_o,
  output logic [31:0]      words_written_o,
  output logic [31:0]      reads_o
);
  if (FlitW % 32 != 0 || FlitW < 64) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_io_die: FlitW a multiple of 32 from 64");
`endif
  end

  localparam logic [1:0] KindData = tessera_pkg::KindData;
  localparam logic [1:0] KindDataLast = tessera_pkg::KindDataLast;
  localparam logic [1:0] KindDramRead = tessera_pkg::KindDramRead;
  localparam int PktWords = MaxBody * WPF;
  localparam int CW = $clog2(Depth + 1);
  localparam int NW = $clog2(WPF + 1);

  // ================= receive ==================================================
  logic          empty, pop;
  logic [FW-1:0] flit;
  tessera_flit_fifo #(.Width(FW), .Depth(Depth)) u_rx (
    .clk_i, .rst_ni, .push_i(ej_vld_i), .data_i(ej_flit_i), .pop_i(pop), .data_o(flit),
    .empty_o(empty)
  );
  assign ej_credit_o = pop;

  logic        rx_in_pkt_q;
  logic [1:0]  rx_kind_q;
  logic [5:0]  rx_body_q;
  logic [4:0]  rx_tail_words_q;
  logic [23:0] rx_addr_q;
  logic        rx_buf_q;
  logic [6:0]  rx_src_x_q;
  logic [5:0]  rx_src_y_q;

  // Read jobs: a ring of Jobs entries.
  logic [6:0]  job_x_q [0:Jobs-1];
  logic [5:0]  job_y_q [0:Jobs-1];
  logic        job_buf_q [0:Jobs-1];
  logic [23:0] job_addr_q [0:Jobs-1];
  logic [24:0] job_len_q [0:Jobs-1];
  logic [1:0]  job_wr_q, job_rd_q;
  logic [2:0]  job_count_q;
  logic        job_push, job_pop;

  logic body, is_read;
  assign is_read = rx_kind_q == KindDramRead;
  assign pop  = !empty && (!rx_in_pkt_q || !is_read || job_count_q != 3'(Jobs));
  assign body = pop && rx_in_pkt_q;
  assign job_push = body && is_read;

  logic [NW-1:0] n_wr;
  assign n_wr = (rx_body_q == 6'd1) ? NW'(6'(rx_tail_words_q) + 6'd1) : NW'(WPF);

  // Every body flit is a request: a read's {length, address}, or a write's words.
  assign dram_req_o   = body;
  assign dram_we_o    = !is_read;
  assign dram_addr_o  = is_read ? flit[31:0] : 32'(rx_addr_q);
  assign dram_len_o   = is_read ? flit[56:32] : 25'(n_wr);
  assign dram_wdata_o = flit[FlitW-1:0];

  // ================= transmit =================================================
  logic           tx_active_q, tx_in_pkt_q;
  logic [6:0]     tx_x_q;
  logic [5:0]     tx_y_q;
  logic           tx_buf_q;
  logic [23:0]    tx_addr_q;
  logic [24:0]    tx_left_q;
  logic [5:0]     tx_body_left_q;
  logic [CW-1:0]  credits_q, avail;
  logic           can_send, send;

  // The packet a head opens (as in tessera_ni).
  logic [15:0] pkt_words;
  logic [5:0]  pkt_body;
  logic [4:0]  pkt_tail_words;
  logic [NW-1:0] n_rd;
  assign pkt_words = (tx_left_q < 25'(PktWords)) ? 16'(tx_left_q) : 16'(PktWords);
  assign pkt_body  = 6'(pkt_words / 16'(WPF)) + 6'(pkt_words % 16'(WPF) != '0);
  assign pkt_tail_words = 5'(pkt_words - (16'(pkt_body) - 16'd1) * 16'(WPF) - 16'd1);
  assign n_rd = (tx_left_q < 25'(WPF)) ? NW'(tx_left_q) : NW'(WPF);

  assign avail = credits_q + CW'(inj_credit_i);
  // A head needs a credit; a body flit also the channel's next words.
  assign can_send = avail != '0 && (!tx_in_pkt_q || dram_rvalid_i);
  assign send = tx_active_q && can_send;
  assign dram_rtake_o = send && tx_in_pkt_q;
  assign job_pop = !tx_active_q && job_count_q != '0 && dram_ready_i;

  logic [FlitW-1:0] tx_data;
  always_comb begin
    tx_data = '0;
    if (!tx_in_pkt_q) begin
      tx_data[tessera_pkg::HeadDstX +: tessera_pkg::HeadDstXW] = tx_x_q;
      tx_data[tessera_pkg::HeadDstY +: tessera_pkg::HeadDstYW] = tx_y_q;
      tx_data[tessera_pkg::HeadSrcX +: tessera_pkg::HeadSrcXW] = my_x_i;
      tx_data[tessera_pkg::HeadSrcY +: tessera_pkg::HeadSrcYW] = my_y_i;
      tx_data[tessera_pkg::HeadBody +: tessera_pkg::HeadBodyW] = pkt_body;
      tx_data[tessera_pkg::HeadKind +: tessera_pkg::HeadKindW] =
          (25'(pkt_words) == tx_left_q) ? KindDataLast : KindData;
      tx_data[tessera_pkg::HeadBuf] = tx_buf_q;
      tx_data[tessera_pkg::HeadTailWords +: tessera_pkg::HeadTailWordsW] = pkt_tail_words;
      tx_data[tessera_pkg::HeadAddr +: tessera_pkg::HeadAddrW] = tx_addr_q;
    end else begin
      for (int j = 0; j < WPF; j++) begin
        if (NW'(j) < n_rd) tx_data[j*32 +: 32] = dram_rdata_i[j*32 +: 32];
      end
    end
  end

  logic [31:0] words_read_q, words_written_q, reads_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_in_pkt_q     <= 1'b0;
      job_wr_q        <= '0;
      job_rd_q        <= '0;
      job_count_q     <= '0;
      tx_active_q     <= 1'b0;
      credits_q       <= CW'(Depth);
      inj_vld_o       <= 1'b0;
      words_read_q    <= '0;
      words_written_q <= '0;
      reads_q         <= '0;
    end else begin
      if (pop && !rx_in_pkt_q) rx_in_pkt_q <= 1'b1;
      else if (body && rx_body_q == 6'd1) rx_in_pkt_q <= 1'b0;
      if (job_push) job_wr_q <= job_wr_q + 2'd1;
      if (job_pop) job_rd_q <= job_rd_q + 2'd1;
      job_count_q <= job_count_q + 3'(job_push) - 3'(job_pop);
      if (job_pop) tx_active_q <= 1'b1;
      else if (send && tx_in_pkt_q && tx_body_left_q == 6'd1 && tx_left_q == 25'(n_rd))
        tx_active_q <= 1'b0;
      credits_q <= avail - CW'(send);
      inj_vld_o <= send;
      if (send && tx_in_pkt_q) words_read_q <= words_read_q + 32'(n_rd);
      if (body && !is_read) words_written_q <= words_written_q + 32'(n_wr);
      if (job_push) reads_q <= reads_q + 32'd1;
    end
  end

  always_ff @(posedge clk_i) begin
    // the packet being received
    if (pop && !rx_in_pkt_q) begin
      rx_kind_q       <= flit[tessera_pkg::HeadKind +: tessera_pkg::HeadKindW];
      rx_body_q       <= flit[tessera_pkg::HeadBody +: tessera_pkg::HeadBodyW];
      rx_buf_q        <= flit[tessera_pkg::HeadBuf];
      rx_tail_words_q <= flit[tessera_pkg::HeadTailWords +: tessera_pkg::HeadTailWordsW];
      rx_addr_q       <= flit[tessera_pkg::HeadAddr +: tessera_pkg::HeadAddrW];
      rx_src_x_q      <= flit[tessera_pkg::HeadSrcX +: tessera_pkg::HeadSrcXW];
      rx_src_y_q      <= flit[tessera_pkg::HeadSrcY +: tessera_pkg::HeadSrcYW];
    end else if (body) begin
      rx_body_q <= rx_body_q - 6'd1;
      rx_addr_q <= rx_addr_q + 24'(n_wr);
    end
    if (job_push) begin
      job_x_q[job_wr_q]    <= rx_src_x_q;
      job_y_q[job_wr_q]    <= rx_src_y_q;
      job_buf_q[job_wr_q]  <= rx_buf_q;
      job_addr_q[job_wr_q] <= rx_addr_q;
      job_len_q[job_wr_q]  <= flit[56:32];
    end
    // the answer being sent
    if (job_pop) begin
      tx_x_q      <= job_x_q[job_rd_q];
      tx_y_q      <= job_y_q[job_rd_q];
      tx_buf_q    <= job_buf_q[job_rd_q];
      tx_addr_q   <= job_addr_q[job_rd_q];
      tx_left_q   <= job_len_q[job_rd_q];
      tx_in_pkt_q <= 1'b0;
    end else if (send) begin
      if (!tx_in_pkt_q) begin
        tx_in_pkt_q    <= 1'b1;
        tx_body_left_q <= pkt_body;
      end else begin
        tx_addr_q      <= tx_addr_q + 24'(n_rd);
        tx_left_q      <= tx_left_q - 25'(n_rd);
        tx_body_left_q <= tx_body_left_q - 6'd1;
        if (tx_body_left_q == 6'd1) tx_in_pkt_q <= 1'b0;
      end
    end
    inj_flit_o <= {!tx_in_pkt_q, tx_in_pkt_q && tx_body_left_q == 6'd1, tx_data};
  end

  assign words_read_o    = words_read_q;
  assign words_written_o = words_written_q;
  assign reads_o         = reads_q;

  // The flit's head and tail marks (the receiver counts body flits instead).
  logic unused_flit;
  assign unused_flit = ^flit[FW-1:FlitW];
endmodule

`default_nettype wire
