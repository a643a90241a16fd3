// tessera_router: the five-port network-on-package router of a die
// (Hecaton Fig. 4b). Ports 0 local, 1 east, 2 south, 3 west, 4 north; x grows
// east, y grows south. Wormhole switching with one virtual channel: a head
// flit is routed (XY, or by a loadable table) and competes for its output in
// a round-robin allocator; the winner holds the output until its tail flit
// has passed. Credit-based flow control: every output starts with Depth
// credits (every receiver of a router output buffers Depth flits) and sends
// only while it holds one; every input returns a credit when it pops a flit.
//
// Timing: a flit written into an input FIFO in cycle t can leave through the
// output register in cycle t+1, visible on out_* in cycle t+2: two cycles per
// router, plus the link's latency per hop (docs/noc.md).
`default_nettype none

module tessera_router #(
  parameter int FlitW   = 128,
  parameter int Depth   = 4,
  parameter int MyX     = 1,
  parameter int MyY     = 0,
  parameter int NumX    = 3,   // grid width in nodes (IO columns included)
  parameter int NumY    = 1,
  parameter int Routing = 0,   // 0 XY, 1 table
  localparam int FW = FlitW + 2,  // {head, tail, data}
  localparam int TE = NumX * NumY,
  localparam int TAW = (TE > 1) ? $clog2(TE) : 1,
  localparam int CW = $clog2(Depth + 1),
  localparam int TS = (Routing == 1) ? TE : 1  // table entries held
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  input  logic [4:0]     in_vld_i,
  input  logic [5*FW-1:0] in_flit_i,
  output logic [4:0]     in_credit_o,
  output logic [4:0]     out_vld_o,
  output logic [5*FW-1:0] out_flit_o,
  input  logic [4:0]     out_credit_i,
  // Routing table write (Routing = 1): entry dst_y * NumX + dst_x <- port.
  input  logic           tbl_we_i,
  input  logic [TAW-1:0] tbl_addr_i,
  input  logic [2:0]     tbl_port_i,
  // Flits sent per output port, wrapping.
  output logic [5*32-1:0] flits_o
);
  localparam logic [2:0] PL = 3'd0, PE = 3'd1, PS = 3'd2, PW = 3'd3, PN = 3'd4;

  function automatic logic [2:0] xy_port(input logic [6:0] dx, input logic [5:0] dy);
    if (dx > 7'(MyX)) xy_port = PE;
    else if (dx != 7'(MyX)) xy_port = PW;
    else if (7'(dy) + 7'd1 > 7'(MyY + 1)) xy_port = PS;
    else if (dy != 6'(MyY)) xy_port = PN;
    else xy_port = PL;
  endfunction

  // ---- input FIFOs and route computation ----
  logic [FW-1:0] front [0:4];
  logic [4:0]    nonempty, pop, is_head, is_tail;
  logic [2:0]    want [0:4];   // output the front flit needs
  logic [2:0]    cur_q [0:4];  // output held by the packet in flight

  logic [2:0] table_q [0:TS-1];
  if (Routing == 1) begin : g_table
    // Reset to the XY routes, so the table works before anything is loaded.
    for (genvar e = 0; e < TE; e++) begin : g_entry
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) table_q[e] <= xy_port(7'(e % NumX), 6'(e / NumX));
        else if (tbl_we_i && tbl_addr_i == TAW'(e)) table_q[e] <= tbl_port_i;
      end
    end
  end else begin : g_no_table
    assign table_q[0] = PL;
    logic unused_tbl;
    assign unused_tbl = ^{tbl_we_i, tbl_addr_i, tbl_port_i, table_q[0]};
  end

  for (genvar i = 0; i < 5; i++) begin : g_in
    logic empty;
    tessera_flit_fifo #(.Width(FW), .Depth(Depth)) u_fifo (
      .clk_i  (clk_i),
      .rst_ni (rst_ni),
      .push_i (in_vld_i[i]),
      .data_i (in_flit_i[i*FW +: FW]),
      .pop_i  (pop[i]),
      .data_o (front[i]),
      .empty_o(empty)
    );
    assign nonempty[i] = !empty;
    assign is_head[i]  = front[i][FW-1];
    assign is_tail[i]  = front[i][FW-2];

    logic [6:0] dx;
    logic [5:0] dy;
    logic [2:0] route;
    assign dx = front[i][tessera_pkg::HeadDstX +: tessera_pkg::HeadDstXW];
    assign dy = front[i][tessera_pkg::HeadDstY +: tessera_pkg::HeadDstYW];
    if (Routing == 1) begin : g_tbl_route
      // A destination outside the grid has no entry: it takes the XY route
      // (found by the gate-level check: an out-of-range read is undefined).
      logic [31:0] entry;
      assign entry = 32'(dy) * 32'(NumX) + 32'(dx);
      assign route = (entry < 32'(TE)) ? table_q[TAW'(entry)] : xy_port(dx, dy);
    end else begin : g_xy_route
      assign route = xy_port(dx, dy);
    end
    // A head flit at the front starts a new packet; body flits follow it.
    assign want[i] = is_head[i] ? route : cur_q[i];
    assign in_credit_o[i] = pop[i];
  end

  // ---- switch allocation: per output, round robin among head flits ----
  logic [4:0] lock_q;         // output held by a packet until its tail
  logic [2:0] owner_q [0:4];  // input holding it
  logic [2:0] rr_q [0:4];     // first input to consider next
  logic [CW-1:0] credit_q [0:4];
  logic [4:0] grant_vld;
  logic [2:0] grant_in [0:4];

  // The allocator is continuous assignments, not an always_comb, and has no
  // loop in a function (docs/simulators.md, "Icarus 11.0 and always_comb").
  for (genvar o = 0; o < 5; o++) begin : g_alloc
    logic [4:0] req;  // inputs whose front flit is a head that wants output o
    logic [3:0] rr_pick;
    logic found;
    for (genvar i = 0; i < 5; i++) begin : g_req
      assign req[i] = nonempty[i] && is_head[i] && want[i] == 3'(o);
    end
    // {found, input}: the first input of rr, rr + 1, ..., rr + 4 (mod 5) whose
    // bit of req is set, or {0, 0}.
    logic [14:0] cand;  // input rr_q[o] + k (mod 5) at [k*3 +: 3]
    logic [4:0] hit;    // it requests output o
    for (genvar k = 0; k < 5; k++) begin : g_cand
      // (rr + k) mod 5 without leaving three bits
      assign cand[k*3 +: 3] = (rr_q[o] >= 3'(5 - k)) ? rr_q[o] - 3'(5 - k) : rr_q[o] + 3'(k);
      assign hit[k] = req[cand[k*3 +: 3]];
    end
    assign rr_pick = hit[0] ? {1'b1, cand[2:0]}
                   : hit[1] ? {1'b1, cand[5:3]}
                   : hit[2] ? {1'b1, cand[8:6]}
                   : hit[3] ? {1'b1, cand[11:9]}
                   : hit[4] ? {1'b1, cand[14:12]}
                   : 4'd0;
    // A locked output waits for its owner's next flit.
    assign found = lock_q[o] ? nonempty[owner_q[o]] && want[owner_q[o]] == 3'(o) : rr_pick[3];
    assign grant_in[o] = lock_q[o] ? owner_q[o] : rr_pick[2:0];
    // The credit arriving this cycle may be spent at once.
    assign grant_vld[o] = found && (credit_q[o] != '0 || out_credit_i[o]);
  end
  // An input pops its front flit when an output grants it.
  for (genvar i = 0; i < 5; i++) begin : g_pop
    logic [4:0] by;
    for (genvar o = 0; o < 5; o++) begin : g_by
      assign by[o] = grant_vld[o] && grant_in[o] == 3'(i);
    end
    assign pop[i] = |by;
  end

  // ---- output registers, locks, credits, counters ----
  logic [4:0] out_vld_q;
  logic [FW-1:0] out_flit_q [0:4];
  logic [31:0] flits_q [0:4];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int o = 0; o < 5; o++) begin
        lock_q[o]   <= 1'b0;
        owner_q[o]  <= '0;
        rr_q[o]     <= '0;
        credit_q[o] <= CW'(Depth);
        cur_q[o]    <= '0;
        flits_q[o]  <= '0;
      end
      out_vld_q <= '0;
    end else begin
      for (int o = 0; o < 5; o++) begin
        credit_q[o] <= credit_q[o] + CW'(out_credit_i[o]) - CW'(grant_vld[o]);
        out_vld_q[o] <= grant_vld[o];
        if (grant_vld[o]) begin
          flits_q[o] <= flits_q[o] + 32'd1;
          if (is_head[grant_in[o]]) begin  // head: remember the route, rotate priority
            cur_q[grant_in[o]] <= 3'(o);
            rr_q[o] <= (grant_in[o] == 3'd4) ? 3'd0 : grant_in[o] + 3'd1;
          end
          lock_q[o]  <= !is_tail[grant_in[o]];  // held until the tail leaves
          owner_q[o] <= grant_in[o];
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    for (int o = 0; o < 5; o++)
      if (grant_vld[o]) out_flit_q[o] <= front[grant_in[o]];
  end

  for (genvar o = 0; o < 5; o++) begin : g_out
    assign out_flit_o[o*FW +: FW] = out_flit_q[o];
    assign flits_o[o*32 +: 32] = flits_q[o];
  end
  assign out_vld_o = out_vld_q;

`ifndef SYNTHESIS
  if (NumX > 128 || NumY > 64 || Depth < 2) begin : g_bad_param
    initial $fatal(1, "tessera_router: NumX <= 128, NumY <= 64, Depth >= 2");
  end
`endif
endmodule

`default_nettype wire
