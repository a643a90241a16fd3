// tessera_ni: the die's network interface and DMA (docs/noc.md, "Network
// interface").
//
// Transmit: the controller hands over one command; the NI cuts the message
// into packets of at most MaxBody body flits, each a head flit and body flits
// of WPF words read from the source buffer (one buffer read per body flit),
// and injects them into the mesh or a bypass-ring channel at one flit per
// cycle while it holds credits. tx_busy_o falls after the last flit has left.
//   SEND: data packets to a die's buffer.
//   DWR:  DRAM-write packets to the IO die of this row on the nearer side,
//         the head addressing DRAM instead of a buffer.
//   DRD:  one request packet to that IO die, whose body flit carries the
//         length and DRAM address; the IO die answers with data packets into
//         this die's buffer, received like a SEND's.
//
// Receive: one FIFO per channel (mesh, row ring, column ring) holds what the
// channel's credits allow; packets are taken whole, round robin between
// channels, and every body flit is written into the target buffer through
// the buffer's network write port in the cycle it is taken. rx_words counts
// words written, rx_msgs the messages whose last packet has been written,
// each once in all and once for the channel they came on (mesh, which also
// carries DRD answers, row ring, column ring); WAIT consumes from the pair it
// names, so a program can wait for one channel while others are busy.
`default_nettype none

module tessera_ni #(
  parameter int FlitW = 128,
  parameter int MeshDepth = 4,   // router input FIFO depth: mesh credits and receive FIFO
  parameter int RingDepth = 8,   // ring receive FIFO depth (tsr_ring_depth)
  parameter int Rows = 2,
  parameter int Cols = 2,
  parameter int HasRowRing = 1,
  parameter int HasColRing = 1,
  parameter int HasIo = 1,       // IO dies on the left and right edges (DRD, DWR)
  parameter int MaxBody = 16,    // body flits per packet at most (TSR_NI_MAX_BODY)
  localparam int FW = FlitW + 2,
  localparam int WPF = FlitW / 32,  // payload words per body flit
  localparam int NW = $clog2(WPF + 1)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // where this die is, and its successors on its row and column rings
  input  logic [6:0]         my_x_i,
  input  logic [5:0]         my_y_i,
  input  logic [6:0]         row_next_x_i,
  input  logic [5:0]         col_next_y_i,
  // command (one cycle), checked by tx_bad_o in the same cycle
  input  logic               tx_start_i,
  input  logic [1:0]         tx_op_i,       // 0 SEND, 1 DWR, 2 DRD
  input  logic [5:0]         tx_row_i,
  input  logic [5:0]         tx_col_i,
  input  logic               tx_ring_i,
  input  logic               tx_src_buf_i,  // 0 activation, 1 weight
  input  logic               tx_dst_buf_i,
  input  logic [23:0]        tx_addr_a_i,   // SEND: source
  input  logic [23:0]        tx_addr_c_i,   // SEND: destination; DRD, DWR: the buffer's
  input  logic [31:0]        tx_dram_i,     // DRD, DWR: DRAM word address
  input  logic [24:0]        tx_len_i,      // words, 1 .. 2^24
  output logic               tx_bad_o,
  output logic               tx_busy_o,
  // source buffer reads: data one cycle after the request
  output logic               rd_req_o,
  output logic               rd_buf_o,
  output logic [23:0]        rd_addr_o,
  output logic [NW-1:0]      rd_count_o,
  input  logic [WPF*32-1:0]  rd_data_i,
  // target buffer writes (the buffers' network port)
  output logic               wr_req_o,
  output logic               wr_buf_o,
  output logic [23:0]        wr_addr_o,
  output logic [NW-1:0]      wr_count_o,
  output logic [WPF*32-1:0]  wr_data_o,
  // WAIT: ready when the count has arrived; consumed in a cycle with req and ready
  input  logic               wait_req_i,
  input  logic               wait_msgs_i,
  input  logic [1:0]         wait_chan_i,   // 0 any, 1 mesh, 2 row ring, 3 column ring
  input  logic [23:0]        wait_count_i,
  output logic               wait_ready_o,
  output logic [31:0]        rx_words_o,
  output logic [31:0]        rx_msgs_o,
  // channels 0 mesh (router local port), 1 row ring, 2 column ring
  output logic [2:0]         inj_vld_o,
  output logic [3*FW-1:0]    inj_flit_o,
  input  logic [2:0]         inj_credit_i,
  input  logic [2:0]         ej_vld_i,
  input  logic [3*FW-1:0]    ej_flit_i,
  output logic [2:0]         ej_credit_o
);
  if (FlitW % 32 != 0 || FlitW < 64 || MaxBody < 1 || MaxBody > 63) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_ni: FlitW must be a multiple of 32 from 64, MaxBody 1..63");
`endif
  end

  // Packet kinds and head flit fields: tessera_pkg (arch/noc.h).
  localparam logic [1:0] KindData = tessera_pkg::KindData;
  localparam logic [1:0] KindDataLast = tessera_pkg::KindDataLast;
  localparam logic [1:0] KindDramRead = tessera_pkg::KindDramRead;
  localparam logic [1:0] KindDramWrite = tessera_pkg::KindDramWrite;
  localparam logic [1:0] OpSend = 2'd0;
  localparam logic [1:0] OpDwr = 2'd1;
  localparam logic [1:0] OpDrd = 2'd2;
  localparam int PktWords = MaxBody * WPF;
  localparam int PKW = $clog2(PktWords + 1);
  localparam int CrW = $clog2(((MeshDepth > RingDepth) ? MeshDepth : RingDepth) + 1);

  // ================= transmit =================================================
  logic        tx_active_q, in_pkt_q;
  logic [1:0]  ch_q, op_q;
  logic [24:0] req_len_q;    // DRD: the words asked for
  logic [31:0] req_dram_q;   // DRD: their DRAM address
  logic [6:0]  dst_x_q;
  logic [5:0]  dst_y_q;
  logic        src_buf_q, dst_buf_q;
  logic [23:0] src_addr_q, dst_addr_q;
  logic [24:0] left_q;       // words not yet read
  logic [5:0]  body_left_q;  // body flits of the current packet still to send

  // The channel of the command: the mesh, or the ring whose successor is the target.
  logic [6:0] cmd_x;
  logic       cmd_row_ring, cmd_col_ring, cmd_outside;
  assign cmd_x        = 7'(tx_col_i) + 7'd1;
  assign cmd_outside  = 32'(tx_row_i) >= 32'(Rows) || 32'(tx_col_i) >= 32'(Cols);
  assign cmd_row_ring = HasRowRing != 0 && 6'(tx_row_i) == my_y_i && cmd_x == row_next_x_i &&
                        cmd_x != my_x_i;
  assign cmd_col_ring = HasColRing != 0 && cmd_x == my_x_i && tx_row_i == col_next_y_i &&
                        tx_row_i != my_y_i;
  // DRD and DWR go to the IO die of this row on the nearer side (x = 0 or Cols + 1).
  logic [6:0] io_x;
  assign io_x = (32'(my_x_i) * 2 > 32'(Cols) + 1) ? 7'(Cols + 1) : 7'd0;
  assign tx_bad_o = (tx_op_i == OpSend) ? (cmd_outside || (tx_ring_i && !cmd_row_ring && !cmd_col_ring))
                                        : (HasIo == 0 || tx_op_i == 2'd3);

  // Credits per channel; a credit that arrives in a cycle can be spent in it.
  logic [CrW-1:0] credits_q [0:2];
  logic [CrW-1:0] avail;
  logic           send;
  assign avail = credits_q[ch_q] + CrW'(inj_credit_i[ch_q]);
  assign send  = tx_active_q && avail != '0;

  // The packet a head opens: its words, body flits and the words of its last flit.
  logic [PKW-1:0] pkt_words;
  logic [5:0]     pkt_body;
  logic [4:0]     pkt_tail_words;  // minus one
  wire  [63:0]    head;  // one driver per field
  assign pkt_words = (left_q < 25'(PktWords)) ? PKW'(left_q) : PKW'(PktWords);
  assign pkt_body  = 6'(pkt_words / PKW'(WPF)) + 6'(pkt_words % PKW'(WPF) != '0);
  // pkt_body widened before the subtraction: the same low 5 bits (a wrap of
  // pkt_body - 1 differs by a multiple of 64 words), and no WIDTH warning where
  // PKW > 7 (flits of 256 bits and more).
  assign pkt_tail_words = 5'(pkt_words - (PKW'(pkt_body) - PKW'(1)) * PKW'(WPF) - PKW'(1));
  logic [1:0]     pkt_kind;
  always_comb begin
    unique case (op_q)
      OpDwr:   pkt_kind = 2'(KindDramWrite);
      OpDrd:   pkt_kind = 2'(KindDramRead);
      default: pkt_kind = (25'(pkt_words) == left_q) ? 2'(KindDataLast) : 2'(KindData);
    endcase
  end
  assign head[tessera_pkg::HeadDstX +: tessera_pkg::HeadDstXW]           = dst_x_q;
  assign head[tessera_pkg::HeadDstY +: tessera_pkg::HeadDstYW]           = dst_y_q;
  assign head[tessera_pkg::HeadSrcX +: tessera_pkg::HeadSrcXW]           = my_x_i;
  assign head[tessera_pkg::HeadSrcY +: tessera_pkg::HeadSrcYW]           = my_y_i;
  assign head[tessera_pkg::HeadBody +: tessera_pkg::HeadBodyW]           = pkt_body;
  assign head[tessera_pkg::HeadKind +: tessera_pkg::HeadKindW]           = pkt_kind;
  assign head[tessera_pkg::HeadBuf +: tessera_pkg::HeadBufW]             = dst_buf_q;
  assign head[tessera_pkg::HeadTailWords +: tessera_pkg::HeadTailWordsW] = pkt_tail_words;
  assign head[tessera_pkg::HeadAddr +: tessera_pkg::HeadAddrW]           = dst_addr_q;

  // This cycle's body flit reads n words.
  logic [NW-1:0] n_rd;
  assign n_rd = (left_q < 25'(WPF)) ? NW'(left_q) : NW'(WPF);

  // The flit being formed: head data, or read data arriving in the next cycle.
  logic        st_vld_q, st_head_q, st_tail_q, st_req_q;
  logic [1:0]  st_ch_q;
  logic [63:0] st_hdata_q;
  logic [NW-1:0] st_n_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tx_active_q <= 1'b0;
      st_vld_q    <= 1'b0;
      credits_q[0] <= CrW'(MeshDepth);
      credits_q[1] <= CrW'(RingDepth);
      credits_q[2] <= CrW'(RingDepth);
    end else begin
      for (int c = 0; c < 3; c++) begin
        credits_q[c] <= credits_q[c] + CrW'(inj_credit_i[c]) - CrW'(send && ch_q == 2'(c));
      end
      st_vld_q <= send;
      if (tx_start_i && !tx_bad_o) tx_active_q <= 1'b1;
      else if (send && in_pkt_q && body_left_q == 6'd1 && left_q == 25'(n_rd)) tx_active_q <= 1'b0;
    end
  end

  // Command and packet state: written at tx_start before tx_active_q is read.
  always_ff @(posedge clk_i) begin
    if (tx_start_i) begin
      op_q       <= tx_op_i;
      ch_q       <= (tx_op_i != OpSend || !tx_ring_i) ? 2'd0 : (cmd_row_ring ? 2'd1 : 2'd2);
      dst_x_q    <= (tx_op_i == OpSend) ? cmd_x : io_x;
      dst_y_q    <= (tx_op_i == OpSend) ? tx_row_i : my_y_i;
      src_buf_q  <= tx_src_buf_i;
      dst_buf_q  <= tx_dst_buf_i;
      src_addr_q <= (tx_op_i == OpDwr) ? tx_addr_c_i : tx_addr_a_i;
      dst_addr_q <= (tx_op_i == OpDwr) ? tx_dram_i[23:0] : tx_addr_c_i;
      left_q     <= (tx_op_i == OpDrd) ? 25'd1 : tx_len_i;  // DRD: the request's one body word
      req_len_q  <= tx_len_i;
      req_dram_q <= tx_dram_i;
      in_pkt_q   <= 1'b0;
    end else if (send) begin
      if (!in_pkt_q) begin
        in_pkt_q    <= 1'b1;
        body_left_q <= pkt_body;
      end else begin
        src_addr_q  <= src_addr_q + 24'(n_rd);
        dst_addr_q  <= dst_addr_q + 24'(n_rd);
        left_q      <= left_q - 25'(n_rd);
        body_left_q <= body_left_q - 6'd1;
        if (body_left_q == 6'd1) in_pkt_q <= 1'b0;
      end
    end
    st_head_q  <= !in_pkt_q;
    st_req_q   <= op_q == OpDrd;
    st_tail_q  <= in_pkt_q && body_left_q == 6'd1;
    st_ch_q    <= ch_q;
    st_hdata_q <= head;
    st_n_q     <= n_rd;
  end

  assign rd_req_o   = send && in_pkt_q && op_q != OpDrd;
  assign rd_buf_o   = src_buf_q;
  assign rd_addr_o  = src_addr_q;
  assign rd_count_o = n_rd;
  assign tx_busy_o  = tx_active_q || st_vld_q;

  // Words past the message's end in its last flit are sent as zero. A DRD
  // request's body flit is {length, DRAM address}.
  logic [WPF*32-1:0] body_data;
  always_comb begin
    body_data = '0;
    if (st_req_q) begin
      body_data[63:0] = {7'd0, req_len_q, req_dram_q};
    end else begin
      for (int j = 0; j < WPF; j++) begin
        if (NW'(j) < st_n_q) body_data[j*32 +: 32] = rd_data_i[j*32 +: 32];
      end
    end
  end
  logic [FW-1:0] out_flit;
  assign out_flit = st_head_q ? {1'b1, 1'b0, FlitW'(st_hdata_q)}
                              : {1'b0, st_tail_q, body_data};
  for (genvar c = 0; c < 3; c++) begin : g_inj
    assign inj_vld_o[c] = st_vld_q && st_ch_q == 2'(c);
    assign inj_flit_o[c*FW +: FW] = out_flit;
  end

  // ================= receive ==================================================
  logic [2:0]      fifo_empty, pop;
  logic [3*FW-1:0] front;
  for (genvar c = 0; c < 3; c++) begin : g_rx
    localparam int Has = (c == 0) ? 1 : ((c == 1) ? HasRowRing : HasColRing);
    if (Has != 0) begin : g_fifo
      tessera_flit_fifo #(.Width(FW), .Depth((c == 0) ? MeshDepth : RingDepth)) u_fifo (
        .clk_i, .rst_ni,
        .push_i(ej_vld_i[c]), .data_i(ej_flit_i[c*FW +: FW]),
        .pop_i(pop[c]), .data_o(front[c*FW +: FW]), .empty_o(fifo_empty[c])
      );
    end else begin : g_none
      assign fifo_empty[c] = 1'b1;
      assign front[c*FW +: FW] = '0;
      logic unused_ch;
      assign unused_ch = ^{ej_vld_i[c], ej_flit_i[c*FW +: FW]};
    end
    assign ej_credit_o[c] = pop[c];
  end

  // A packet is taken whole from one channel; the next head is picked round robin.
  logic        rx_lock_q;
  logic [1:0]  rx_ch_q, rr_q, pick;
  logic        pick_vld;
  logic [1:0]  rx_kind_q;
  logic        rx_buf_q;
  logic [23:0] rx_addr_q;
  logic [5:0]  rx_body_q;
  logic [4:0]  rx_tail_words_q;
  // pick: the first non-empty channel of rr_q, rr_q + 1, rr_q + 2 (mod 3), or
  // rr_q. Continuous assignments, not an always_comb, and no loop in a function
  // (docs/simulators.md, "Icarus 11.0 and always_comb").
  logic [5:0] rr_ch;   // channel rr_q + k (mod 3) at [k*2 +: 2]
  logic [2:0] rr_hit;  // channel k of rr_ch is not empty
  for (genvar k = 0; k < 3; k++) begin : g_rr
    assign rr_ch[k*2 +: 2] = 2'((32'(rr_q) + 32'(k)) % 3);
    assign rr_hit[k] = !fifo_empty[rr_ch[k*2 +: 2]];
  end
  assign pick_vld = |rr_hit;
  assign pick = rr_hit[0] ? rr_ch[1:0] : rr_hit[1] ? rr_ch[3:2] : rr_hit[2] ? rr_ch[5:4] : rr_q;

  logic [1:0]     take_ch;
  logic           take;
  logic [FW-1:0]  flit;
  assign take_ch = rx_lock_q ? rx_ch_q : pick;
  assign take    = rx_lock_q ? !fifo_empty[rx_ch_q] : pick_vld;
  assign flit    = front[take_ch*FW +: FW];
  for (genvar c = 0; c < 3; c++) begin : g_pop
    assign pop[c] = take && take_ch == 2'(c);
  end

  logic          body;
  logic [NW-1:0] n_wr;
  assign body = take && rx_lock_q;
  assign n_wr = (rx_body_q == 6'd1) ? NW'(6'(rx_tail_words_q) + 6'd1) : NW'(WPF);

  assign wr_req_o   = body;
  assign wr_buf_o   = rx_buf_q;
  assign wr_addr_o  = rx_addr_q;
  assign wr_count_o = n_wr;
  assign wr_data_o  = flit[WPF*32-1:0];

  // Counter pairs: [0] every arrival, [1 + c] those of receive channel c.
  logic [4*32-1:0] rx_words_q, rx_msgs_q;
  logic [31:0] words_in, msgs_in, count, have;
  logic        consume;
  assign count = 32'(wait_count_i);
  assign have = wait_msgs_i ? rx_msgs_q[32*wait_chan_i +: 32] : rx_words_q[32*wait_chan_i +: 32];
  assign wait_ready_o = have >= count;
  assign consume  = wait_req_i && wait_ready_o;
  assign words_in = body ? 32'(n_wr) : 32'd0;
  assign msgs_in  = (body && rx_body_q == 6'd1 && rx_kind_q == 2'(KindDataLast)) ? 32'd1 : 32'd0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_lock_q  <= 1'b0;
      rr_q       <= '0;
      rx_words_q <= '0;
      rx_msgs_q  <= '0;
    end else begin
      for (int i = 0; i < 4; i++) begin
        rx_words_q[32*i +: 32] <= rx_words_q[32*i +: 32]
            + ((i == 0 || i == 32'(rx_ch_q) + 1) ? words_in : 32'd0)
            - ((consume && !wait_msgs_i && 32'(wait_chan_i) == i) ? count : 32'd0);
        rx_msgs_q[32*i +: 32] <= rx_msgs_q[32*i +: 32]
            + ((i == 0 || i == 32'(rx_ch_q) + 1) ? msgs_in : 32'd0)
            - ((consume && wait_msgs_i && 32'(wait_chan_i) == i) ? count : 32'd0);
      end
      if (take && !rx_lock_q) begin
        rx_lock_q <= 1'b1;
        rr_q <= (pick == 2'd2) ? 2'd0 : pick + 2'd1;
      end else if (body && rx_body_q == 6'd1) begin
        rx_lock_q <= 1'b0;
      end
    end
  end

  // The packet being received: written with its head before any body flit.
  always_ff @(posedge clk_i) begin
    if (take && !rx_lock_q) begin
      rx_ch_q         <= pick;
      rx_body_q       <= flit[tessera_pkg::HeadBody +: tessera_pkg::HeadBodyW];
      rx_kind_q       <= flit[tessera_pkg::HeadKind +: tessera_pkg::HeadKindW];
      rx_buf_q        <= flit[tessera_pkg::HeadBuf];
      rx_tail_words_q <= flit[tessera_pkg::HeadTailWords +: tessera_pkg::HeadTailWordsW];
      rx_addr_q       <= flit[tessera_pkg::HeadAddr +: tessera_pkg::HeadAddrW];
    end else if (body) begin
      rx_body_q <= rx_body_q - 6'd1;
      rx_addr_q <= rx_addr_q + 24'(n_wr);
    end
  end

  assign rx_words_o = rx_words_q[31:0];
  assign rx_msgs_o  = rx_msgs_q[31:0];

  // Head fields the die does not use (coordinates), and bits above the head.
  logic unused_head;
  assign unused_head = ^{flit[FW-1:tessera_pkg::HeadBits], flit[tessera_pkg::HeadBody-1:0]};

`ifndef SYNTHESIS
  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni && take && !rx_lock_q && !flit[FW-1])
      $fatal(1, "tessera_ni: a body flit where a head was expected");
    if (rst_ni && body && flit[FW-1])
      $fatal(1, "tessera_ni: a head flit inside a packet");
    if (rst_ni && body && flit[FW-2] != (rx_body_q == 6'd1))
      $fatal(1, "tessera_ni: the tail bit disagrees with the head's body count");
  end
`endif
endmodule

`default_nettype wire
