// tessera_io_die: an IO die on the left or right edge of a row, with a
// behavioral DRAM channel model behind it (docs/noc.md, "IO dies and DRAM").
// A simulation model, not synthesizable hardware: the DRAM is an array of
// DramWords 32-bit words.
//
// It takes packets from the network one at a time:
//   DRAM write (kind 3): body words are written at the head's address.
//   DRAM read (kind 2): the body flit {length, DRAM address} becomes a job,
//     due Latency cycles after it arrived; jobs are answered in order with
//     data packets (kind 0, the last one kind 1) into the buffer and address
//     the head named, at the requesting die.
// Answers leave at one flit per cycle while the channel has credits and the
// bandwidth allows: a token bucket of BwMilli thousandths of a byte per
// cycle pays for every body word (4 bytes). The host reads and writes the
// DRAM while the mesh is idle, to load inputs and check results.
`default_nettype none

module tessera_io_die #(
  parameter int FlitW = 128,
  parameter int Depth = 4,          // credits of the router port it faces; its receive FIFO
  parameter int DramWords = 16384,
  parameter int Latency = 80,       // cycles from a request's arrival to its answer's start
  parameter int BwMilli = 128000,   // DRAM bandwidth, thousandths of a byte per cycle
  parameter int MaxBody = 16,
  localparam int FW = FlitW + 2,
  localparam int WPF = FlitW / 32,
  localparam int DAW = $clog2(DramWords),
  localparam int Jobs = 4
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  input  logic [6:0]     my_x_i,
  input  logic [5:0]     my_y_i,
  // network channel (into the network / out of it)
  output logic           inj_vld_o,
  output logic [FW-1:0]  inj_flit_o,
  input  logic           inj_credit_i,
  input  logic           ej_vld_i,
  input  logic [FW-1:0]  ej_flit_i,
  output logic           ej_credit_o,
  // host access to the DRAM (read data one cycle later)
  input  logic           host_req_i,
  input  logic           host_we_i,
  input  logic [DAW-1:0] host_addr_i,
  input  logic [31:0]    host_wdata_i,
  output logic [31:0]    host_rdata_o,
  // counters: words read, words written, read requests
  output logic [31:0]    words_read_o,
  output logic [31:0]    words_written_o,
  output logic [31:0]    reads_o
);
  if (FlitW % 32 != 0 || FlitW < 64 || (DramWords & (DramWords - 1)) != 0) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_io_die: FlitW a multiple of 32 from 64, DramWords a power of two");
`endif
  end

  localparam logic [1:0] KindData = 2'd0;
  localparam logic [1:0] KindDataLast = 2'd1;
  localparam logic [1:0] KindDramRead = 2'd2;
  localparam int PktWords = MaxBody * WPF;
  localparam int CW = $clog2(Depth + 1);
  localparam int NW = $clog2(WPF + 1);

  logic [31:0] mem [0:DramWords-1];
  logic [31:0] now_q;

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
  logic [31:0] job_dram_q [0:Jobs-1];
  logic [24:0] job_len_q [0:Jobs-1];
  logic [31:0] job_due_q [0:Jobs-1];
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

  // ================= transmit =================================================
  logic           tx_active_q, tx_in_pkt_q;
  logic [6:0]     tx_x_q;
  logic [5:0]     tx_y_q;
  logic           tx_buf_q;
  logic [23:0]    tx_addr_q;
  logic [31:0]    tx_dram_q;
  logic [24:0]    tx_left_q;
  logic [5:0]     tx_body_left_q;
  logic [CW-1:0]  credits_q, avail;
  logic [31:0]    tokens_q;
  logic           can_send, send;
  localparam int TokenCap = 4000 * WPF * 2 + BwMilli;

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
  // A head needs a credit; a body flit also its words' worth of bandwidth.
  assign can_send = avail != '0 && (!tx_in_pkt_q || tokens_q >= 32'(n_rd) * 32'd4000);
  assign send = tx_active_q && can_send;
  assign job_pop = !tx_active_q && job_count_q != '0 && now_q >= job_due_q[job_rd_q];

  logic [FlitW-1:0] tx_data;
  always_comb begin
    tx_data = '0;
    if (!tx_in_pkt_q) begin
      tx_data[63:0] = {tx_addr_q, pkt_tail_words, tx_buf_q,
                       (25'(pkt_words) == tx_left_q) ? KindDataLast : KindData,
                       pkt_body, my_y_i, my_x_i, tx_y_q, tx_x_q};
    end else begin
      for (int j = 0; j < WPF; j++) begin
        if (NW'(j) < n_rd) tx_data[j*32 +: 32] = mem[DAW'(tx_dram_q + 32'(j))];
      end
    end
  end

  logic [31:0] words_read_q, words_written_q, reads_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      now_q           <= '0;
      rx_in_pkt_q     <= 1'b0;
      job_wr_q        <= '0;
      job_rd_q        <= '0;
      job_count_q     <= '0;
      tx_active_q     <= 1'b0;
      credits_q       <= CW'(Depth);
      tokens_q        <= '0;
      inj_vld_o       <= 1'b0;
      words_read_q    <= '0;
      words_written_q <= '0;
      reads_q         <= '0;
    end else begin
      now_q <= now_q + 32'd1;
      if (pop && !rx_in_pkt_q) rx_in_pkt_q <= 1'b1;
      else if (body && rx_body_q == 6'd1) rx_in_pkt_q <= 1'b0;
      if (job_push) job_wr_q <= job_wr_q + 2'd1;
      if (job_pop) job_rd_q <= job_rd_q + 2'd1;
      job_count_q <= job_count_q + 3'(job_push) - 3'(job_pop);
      if (job_pop) tx_active_q <= 1'b1;
      else if (send && tx_in_pkt_q && tx_body_left_q == 6'd1 && tx_left_q == 25'(n_rd))
        tx_active_q <= 1'b0;
      credits_q <= avail - CW'(send);
      if (send && tx_in_pkt_q)
        tokens_q <= tokens_q - 32'(n_rd) * 32'd4000 + 32'(BwMilli);
      else if (tokens_q < 32'(TokenCap))
        tokens_q <= tokens_q + 32'(BwMilli);
      inj_vld_o <= send;
      if (send && tx_in_pkt_q) words_read_q <= words_read_q + 32'(n_rd);
      if (body && !is_read) words_written_q <= words_written_q + 32'(n_wr);
      if (job_push) reads_q <= reads_q + 32'd1;
    end
  end

  always_ff @(posedge clk_i) begin
    // the packet being received
    if (pop && !rx_in_pkt_q) begin
      rx_kind_q       <= flit[33:32];
      rx_body_q       <= flit[31:26];
      rx_buf_q        <= flit[34];
      rx_tail_words_q <= flit[39:35];
      rx_addr_q       <= flit[63:40];
      rx_src_x_q      <= flit[19:13];
      rx_src_y_q      <= flit[25:20];
    end else if (body) begin
      rx_body_q <= rx_body_q - 6'd1;
      rx_addr_q <= rx_addr_q + 24'(n_wr);
    end
    // DRAM writes: the network's, or the host's
    if (body && !is_read) begin
      for (int j = 0; j < WPF; j++) begin
        if (NW'(j) < n_wr) mem[DAW'(rx_addr_q) + DAW'(j)] <= flit[j*32 +: 32];
      end
    end else if (host_req_i && host_we_i) begin
      mem[host_addr_i] <= host_wdata_i;
    end
    host_rdata_o <= mem[host_addr_i];
    if (job_push) begin
      job_x_q[job_wr_q]    <= rx_src_x_q;
      job_y_q[job_wr_q]    <= rx_src_y_q;
      job_buf_q[job_wr_q]  <= rx_buf_q;
      job_addr_q[job_wr_q] <= rx_addr_q;
      job_dram_q[job_wr_q] <= flit[31:0];
      job_len_q[job_wr_q]  <= flit[56:32];
      job_due_q[job_wr_q]  <= now_q + 32'(Latency);
    end
    // the answer being sent
    if (job_pop) begin
      tx_x_q      <= job_x_q[job_rd_q];
      tx_y_q      <= job_y_q[job_rd_q];
      tx_buf_q    <= job_buf_q[job_rd_q];
      tx_addr_q   <= job_addr_q[job_rd_q];
      tx_dram_q   <= job_dram_q[job_rd_q];
      tx_left_q   <= job_len_q[job_rd_q];
      tx_in_pkt_q <= 1'b0;
    end else if (send) begin
      if (!tx_in_pkt_q) begin
        tx_in_pkt_q    <= 1'b1;
        tx_body_left_q <= pkt_body;
      end else begin
        tx_dram_q      <= tx_dram_q + 32'(n_rd);
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

  // Head fields the IO die does not use: its own coordinates, bits above the head.
  logic unused_flit;
  assign unused_flit = ^{flit[FW-1:64], flit[12:0], flit[63:57]};
endmodule

`default_nettype wire
