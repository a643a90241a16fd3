/* emit_die.c - the computing die top, tessera_die: host port decode,
 * instruction memory, weight and activation buffers, controller, PE array
 * and performance counters, specialized to one die configuration.
 *
 * Host port (docs/microarchitecture.md): 32-bit word addresses, region in
 * bits 31:28: 0 instruction memory (instruction i at words 4i..4i+3),
 * 1 weight buffer, 2 activation buffer, 3 control and status registers.
 * Reads return one cycle later on host_rvalid_o. Memories are reachable
 * from the host only while the die is idle.
 *
 * Network: the die's network interface (tessera_ni) drives three channels,
 * 0 the router's local port, 1 the row ring, 2 the column ring; the mesh top
 * (gen/emit_mesh.c) wires them to tessera_noc and ties my_x_i, my_y_i and the
 * ring successors to the die's place. A die alone ties them off. */
#include <stdio.h>

#include <string.h>

#include "die_sched.h"
#include "gen.h"
#include "noc.h"

static unsigned clog2(unsigned long long x) {
  unsigned n = 0;
  while ((1ull << n) < x) n++;
  return n;
}

/* The part that does not depend on the configuration. */
static const char *const die_body[] = {
    "// ---- host port decode --------------------------------------------------",
    "logic [3:0] region;",
    "logic       seq_busy, host_imem, host_wbuf, host_abuf, host_csr, start;",
    "assign region    = host_addr_i[31:28];",
    "assign host_imem = host_req_i && region == 4'd0 && !seq_busy;",
    "assign host_wbuf = host_req_i && region == 4'd1 && !seq_busy;",
    "assign host_abuf = host_req_i && region == 4'd2 && !seq_busy;",
    "assign host_csr  = host_req_i && region == 4'd3;",
    "assign start     = host_csr && host_we_i && host_addr_i[7:0] == 8'h00 && host_wdata_i[0];",
    "",
    "// ---- instruction memory: four 32-bit banks, word w of an instruction in bank w",
    "logic           seq_imem_req;",
    "logic [PCW-1:0] seq_imem_addr;",
    "logic [127:0]   imem_rdata;",
    "for (genvar i = 0; i < 4; i++) begin : g_imem",
    "  logic hit;",
    "  logic [31:0] r3_unused;  // the third (read) port, tied off",
    "  assign hit = host_imem && host_addr_i[1:0] == 2'(i);",
    "  tessera_sram_bank #(.Depth(ImemWords), .Width(32)) u_bank (",
    "    .clk_i  (clk_i),",
    "    .req_i  (seq_imem_req || hit),",
    "    .we_i   (hit && host_we_i),",
    "    .addr_i (seq_busy ? seq_imem_addr : host_addr_i[PCW+1:2]),",
    "    .wdata_i(host_wdata_i),",
    "    .rdata_o(imem_rdata[i*32 +: 32]),",
    "    .w2_req_i(1'b0), .w2_addr_i(PCW'(0)), .w2_wdata_i(32'd0),",
    "    .r3_req_i(1'b0), .r3_addr_i(PCW'(0)), .r3_rdata_o(r3_unused)",
    "  );",
    "  logic unused_r3;",
    "  assign unused_r3 = ^r3_unused;",
    "end",
    "",
    "// ---- network interface ------------------------------------------------------",
    "logic               ni_rd_req, ni_rd_buf, ni_wr_req, ni_wr_buf, ni_rd_buf_q;",
    "logic [23:0]        ni_rd_addr, ni_wr_addr;",
    "logic [NW-1:0]      ni_rd_count, ni_wr_count;",
    "logic [WPF*32-1:0]  ni_rd_data, ni_wr_data;",
    "logic               ni_tx_start, ni_tx_ring, ni_tx_src_buf, ni_tx_dst_buf, ni_tx_bad, ni_tx_busy;",
    "logic [1:0]         ni_tx_op;",
    "logic [5:0]         ni_tx_row, ni_tx_col;",
    "logic [23:0]        ni_tx_addr_a, ni_tx_addr_c, ni_wait_count;",
    "logic [31:0]        ni_tx_dram;",
    "logic [24:0]        ni_tx_len;",
    "logic               ni_wait_req, ni_wait_msgs, ni_wait_ready;",
    "logic [1:0]         ni_wait_chan;",
    "logic [31:0]        ni_rx_words, ni_rx_msgs;",
    "logic               ni_rd_a, ni_rd_w, ni_wr_a, ni_wr_w;",
    "assign ni_rd_a = ni_rd_req && !ni_rd_buf;",
    "assign ni_rd_w = ni_rd_req && ni_rd_buf;",
    "assign ni_wr_a = ni_wr_req && !ni_wr_buf;",
    "assign ni_wr_w = ni_wr_req && ni_wr_buf;",
    "tessera_ni #(",
    "  .FlitW(FlitW), .MeshDepth(MeshDepth), .RingDepth(RingDepth), .Rows(MeshRows),",
    "  .Cols(MeshCols), .HasRowRing(HasRowRing), .HasColRing(HasColRing), .HasIo(HasIo),",
    "  .MaxBody(MaxBody)",
    ") u_ni (",
    "  .clk_i, .rst_ni, .my_x_i, .my_y_i, .row_next_x_i, .col_next_y_i,",
    "  .tx_start_i(ni_tx_start), .tx_op_i(ni_tx_op), .tx_row_i(ni_tx_row), .tx_col_i(ni_tx_col),",
    "  .tx_ring_i(ni_tx_ring), .tx_src_buf_i(ni_tx_src_buf), .tx_dst_buf_i(ni_tx_dst_buf),",
    "  .tx_addr_a_i(ni_tx_addr_a), .tx_addr_c_i(ni_tx_addr_c), .tx_dram_i(ni_tx_dram),",
    "  .tx_len_i(ni_tx_len), .tx_bad_o(ni_tx_bad), .tx_busy_o(ni_tx_busy),",
    "  .rd_req_o(ni_rd_req), .rd_buf_o(ni_rd_buf), .rd_addr_o(ni_rd_addr), .rd_count_o(ni_rd_count),",
    "  .rd_data_i(ni_rd_data),",
    "  .wr_req_o(ni_wr_req), .wr_buf_o(ni_wr_buf), .wr_addr_o(ni_wr_addr), .wr_count_o(ni_wr_count),",
    "  .wr_data_o(ni_wr_data),",
    "  .wait_req_i(ni_wait_req), .wait_msgs_i(ni_wait_msgs), .wait_chan_i(ni_wait_chan),",
    "  .wait_count_i(ni_wait_count),",
    "  .wait_ready_o(ni_wait_ready), .rx_words_o(ni_rx_words), .rx_msgs_o(ni_rx_msgs),",
    "  .inj_vld_o(net_inj_vld_o), .inj_flit_o(net_inj_flit_o), .inj_credit_i(net_inj_credit_i),",
    "  .ej_vld_i(net_ej_vld_i), .ej_flit_i(net_ej_flit_i), .ej_credit_o(net_ej_credit_o)",
    ");",
    "// Read data of the NI's source read: the buffer it read in the last cycle.",
    "always_ff @(posedge clk_i) if (ni_rd_req) ni_rd_buf_q <= ni_rd_buf;",
    "assign ni_rd_data = ni_rd_buf_q ? wbuf_nr_rdata[WPF*32-1:0] : abuf_nr_rdata[WPF*32-1:0];",
    "",
    "// ---- global buffers: the controller while busy, the host while idle;",
    "// arriving network data on the second (write) port, the NI's SEND and DWR",
    "// reads on the third (read) port ----",
    "logic                 seq_abuf_req, seq_abuf_we, seq_wbuf_req;",
    "logic [AAW-1:0]       seq_abuf_addr;",
    "logic [WAW-1:0]       seq_wbuf_addr;",
    "logic [ACW-1:0]       seq_abuf_count;",
    "logic [WCW-1:0]       seq_wbuf_count;",
    "logic [ABanks*32-1:0] seq_abuf_wdata, abuf_rdata, abuf_lanes, abuf_nr_rdata;",
    "logic [WBanks*32-1:0] wbuf_rdata, wbuf_lanes, wbuf_nr_rdata;",
    "tessera_buffer #(.Words(WWords), .Banks(WBanks), .LocalLanes(LocalLanes)) u_wbuf (",
    "  .clk_i  (clk_i),",
    "  .req_i  (seq_busy ? seq_wbuf_req : host_wbuf),",
    "  .we_i   (!seq_busy && host_we_i),",
    "  .addr_i (seq_busy ? seq_wbuf_addr : host_addr_i[WAW-1:0]),",
    "  .count_i(seq_busy ? seq_wbuf_count : WCW'(1)),",
    "  .wdata_i({WBanks{host_wdata_i}}),",
    "  .rdata_o(wbuf_rdata), .lanes_o(wbuf_lanes),",
    "  .nw_req_i(ni_wr_w), .nw_addr_i(WAW'(ni_wr_addr)), .nw_count_i(WCW'(ni_wr_count)),",
    "  .nw_wdata_i((WBanks*32)'(ni_wr_data)),",
    "  .nr_req_i(ni_rd_w), .nr_addr_i(WAW'(ni_rd_addr)), .nr_count_i(WCW'(ni_rd_count)),",
    "  .nr_rdata_o(wbuf_nr_rdata)",
    ");",
    "tessera_buffer #(.Words(AWords), .Banks(ABanks), .LocalLanes(LocalLanes)) u_abuf (",
    "  .clk_i  (clk_i),",
    "  .req_i  (seq_busy ? seq_abuf_req : host_abuf),",
    "  .we_i   (seq_busy ? seq_abuf_we : host_we_i),",
    "  .addr_i (seq_busy ? seq_abuf_addr : host_addr_i[AAW-1:0]),",
    "  .count_i(seq_busy ? seq_abuf_count : ACW'(1)),",
    "  .wdata_i(seq_busy ? seq_abuf_wdata : {ABanks{host_wdata_i}}),",
    "  .rdata_o(abuf_rdata), .lanes_o(abuf_lanes),",
    "  .nw_req_i(ni_wr_a), .nw_addr_i(AAW'(ni_wr_addr)), .nw_count_i(ACW'(ni_wr_count)),",
    "  .nw_wdata_i((ABanks*32)'(ni_wr_data)),",
    "  .nr_req_i(ni_rd_a), .nr_addr_i(AAW'(ni_rd_addr)), .nr_count_i(ACW'(ni_rd_count)),",
    "  .nr_rdata_o(abuf_nr_rdata)",
    ");",
    "",
    "// ---- controller and PE array ----------------------------------------------",
    "logic [Units-1:0]    fma_valid_in, fma_valid_out;",
    "logic [Units*32-1:0] fma_a, fma_b, fma_c, fma_y;",
    "logic                ev_imem_read, ev_array_busy, seq_halted, seq_error;",
    "logic [15:0]         ev_fma_ops, seq_pc;",
    "logic [ACW-1:0]      ev_abuf_read_words, ev_abuf_write_words;",
    "logic [WCW-1:0]      ev_wbuf_read_words;",
    "tessera_seq #(",
    "  .Rows(Rows), .Lanes(Lanes), .Vector(Vector), .Stages(Stages), .Dataflow(Dataflow),",
    "  .WWords(WWords), .WBanks(WBanks), .AWords(AWords), .ABanks(ABanks), .ImemWords(ImemWords),",
    "  .Slots(Slots), .Kb(Kb), .WsGap(WsGap), .WsPro(WsPro), .WsPeriod(WsPeriod)",
    ") u_seq (",
    "  .clk_i, .rst_ni, .start_i(start),",
    "  .busy_o(seq_busy), .halted_o(seq_halted), .error_o(seq_error), .pc_o(seq_pc),",
    "  .imem_req_o(seq_imem_req), .imem_addr_o(seq_imem_addr), .imem_rdata_i(imem_rdata),",
    "  .abuf_req_o(seq_abuf_req), .abuf_we_o(seq_abuf_we), .abuf_addr_o(seq_abuf_addr),",
    "  .abuf_count_o(seq_abuf_count), .abuf_wdata_o(seq_abuf_wdata), .abuf_rdata_i(abuf_rdata),",
    "  .abuf_lanes_i(abuf_lanes),",
    "  .wbuf_req_o(seq_wbuf_req), .wbuf_addr_o(seq_wbuf_addr), .wbuf_count_o(seq_wbuf_count),",
    "  .wbuf_rdata_i(wbuf_rdata), .wbuf_lanes_i(wbuf_lanes),",
    "  .fma_valid_o(fma_valid_in), .fma_a_o(fma_a), .fma_b_o(fma_b), .fma_c_o(fma_c),",
    "  .fma_valid_i(fma_valid_out), .fma_y_i(fma_y),",
    "  .trace_valid_o, .trace_op_o,",
    "  .ev_imem_read_o(ev_imem_read), .ev_array_busy_o(ev_array_busy), .ev_fma_ops_o(ev_fma_ops),",
    "  .ev_abuf_read_words_o(ev_abuf_read_words), .ev_abuf_write_words_o(ev_abuf_write_words),",
    "  .ev_wbuf_read_words_o(ev_wbuf_read_words),",
    "  .ni_tx_start_o(ni_tx_start), .ni_tx_op_o(ni_tx_op), .ni_tx_row_o(ni_tx_row), .ni_tx_col_o(ni_tx_col),",
    "  .ni_tx_ring_o(ni_tx_ring), .ni_tx_src_buf_o(ni_tx_src_buf), .ni_tx_dst_buf_o(ni_tx_dst_buf),",
    "  .ni_tx_addr_a_o(ni_tx_addr_a), .ni_tx_addr_c_o(ni_tx_addr_c), .ni_tx_dram_o(ni_tx_dram),",
    "  .ni_tx_len_o(ni_tx_len),",
    "  .ni_tx_bad_i(ni_tx_bad), .ni_tx_busy_i(ni_tx_busy),",
    "  .ni_wait_req_o(ni_wait_req), .ni_wait_msgs_o(ni_wait_msgs), .ni_wait_chan_o(ni_wait_chan),",
    "  .ni_wait_count_o(ni_wait_count),",
    "  .ni_wait_ready_i(ni_wait_ready)",
    ");",
    "tessera_pe_array u_array (",
    "  .clk_i, .rst_ni, .valid_i(fma_valid_in), .a_i(fma_a), .b_i(fma_b), .c_i(fma_c),",
    "  .valid_o(fma_valid_out), .y_o(fma_y)",
    ");",
    "",
    "// ---- performance counters -------------------------------------------------",
    "logic [63:0] counter;",
    "logic [31:0] cycle;",
    "// Buffer words per cycle: the controller's and the NI's (a store and an arriving",
    "// flit can meet in one cycle, so one bit wider).",
    "logic [ACW:0] abuf_read_words, abuf_write_words;",
    "logic [WCW:0] wbuf_read_words, wbuf_write_words;",
    "assign abuf_read_words  = (ACW+1)'(ev_abuf_read_words) + (ni_rd_a ? (ACW+1)'(ni_rd_count) : '0);",
    "assign abuf_write_words = (ACW+1)'(ev_abuf_write_words) + (ni_wr_a ? (ACW+1)'(ni_wr_count) : '0);",
    "assign wbuf_read_words  = (WCW+1)'(ev_wbuf_read_words) + (ni_rd_w ? (WCW+1)'(ni_rd_count) : '0);",
    "assign wbuf_write_words = ni_wr_w ? (WCW+1)'(ni_wr_count) : '0;",
    "tessera_perf #(.ACW(ACW + 1), .WCW(WCW + 1)) u_perf (",
    "  .clk_i, .rst_ni, .start_i(start), .busy_i(seq_busy), .retire_i(trace_valid_o),",
    "  .imem_read_i(ev_imem_read), .array_busy_i(ev_array_busy), .fma_ops_i(ev_fma_ops),",
    "  .wbuf_read_words_i(wbuf_read_words), .wbuf_write_words_i(wbuf_write_words),",
    "  .abuf_read_words_i(abuf_read_words), .abuf_write_words_i(abuf_write_words),",
    "  .sel_i(host_addr_i[4:1]), .value_o(counter), .cycle_o(cycle)",
    ");",
    "",
    "// ---- control and status registers (region 3) ------------------------------",
    "// 0 CTRL (write 1: start at pc 0)  1 STATUS {error, halted, busy}  2 PC",
    "// 3 FMA units  4 cycle  5 words received  6 messages received (both less what",
    "// WAIT consumed)  0x40 + 2i / 0x41 + 2i: counter i, low / high word",
    "// The read muxes are continuous assignments, not always_comb blocks: what",
    "// they read changes in nearly every cycle, and in Icarus 11.0 that would also",
    "// wake every always_comb compiled before them (docs/simulators.md, \"Icarus",
    "// 11.0 and always_comb\").",
    "logic [31:0] csr_rdata;",
    "assign csr_rdata = (host_addr_i[7:0] == 8'h01)  ? {29'd0, seq_error, seq_halted, seq_busy}",
    "                 : (host_addr_i[7:0] == 8'h02)  ? {16'd0, seq_pc}",
    "                 : (host_addr_i[7:0] == 8'h03)  ? 32'(Units)",
    "                 : (host_addr_i[7:0] == 8'h04)  ? cycle",
    "                 : (host_addr_i[7:0] == 8'h05)  ? ni_rx_words",
    "                 : (host_addr_i[7:0] == 8'h06)  ? ni_rx_msgs",
    "                 : (host_addr_i[7:5] == 3'b010) ? (host_addr_i[0] ? counter[63:32]",
    "                                                                   : counter[31:0])",
    "                 : '0;",
    "",
    "// ---- host read data, one cycle after the request -----------------------",
    "logic [3:0]  rd_region_q;",
    "logic [1:0]  rd_word_q;",
    "logic [31:0] csr_rdata_q;",
    "always_ff @(posedge clk_i or negedge rst_ni) begin",
    "  if (!rst_ni) host_rvalid_o <= 1'b0;",
    "  else host_rvalid_o <= host_req_i && !host_we_i;",
    "end",
    "always_ff @(posedge clk_i) begin",
    "  rd_region_q <= region;",
    "  rd_word_q   <= host_addr_i[1:0];",
    "  csr_rdata_q <= csr_rdata;",
    "end",
    "assign host_rdata_o = (rd_region_q == 4'd0) ? imem_rdata[rd_word_q*32 +: 32]",
    "                    : (rd_region_q == 4'd1) ? wbuf_rdata[31:0]",
    "                    : (rd_region_q == 4'd2) ? abuf_rdata[31:0]",
    "                    : (rd_region_q == 4'd3) ? csr_rdata_q",
    "                    : '0;",
    "",
    "assign busy_o        = seq_busy;",
    "assign halted_o      = seq_halted;",
    "assign error_o       = seq_error;",
    "assign trace_pc_o    = seq_pc;",
    "assign trace_cycle_o = cycle;",
    "",
    "// Address bits above the largest memory, unused by design.",
    "logic unused_host_addr;",
    "assign unused_host_addr = ^host_addr_i[27:UnusedFrom];",
    "// The NI's 24-bit word addresses, above the buffer's size (they wrap).",
    "logic unused_ni_addr;",
    "assign unused_ni_addr = ^{ni_rd_addr, ni_wr_addr};",
    "// The network read port's lanes past a flit's words (buffers wider than a flit).",
    "logic unused_nr_rdata;",
    "assign unused_nr_rdata = ^{abuf_nr_rdata, wbuf_nr_rdata};",
};

static int same_buffer(const tsr_buffer_cfg *a, const tsr_buffer_cfg *b) {
  return a->bytes == b->bytes && a->banks == b->banks && a->port_bits == b->port_bits;
}
static int same_die(const tsr_die_cfg *a, const tsr_die_cfg *b) {
  return a->pe_count == b->pe_count && a->lanes == b->lanes && a->vector == b->vector &&
         a->dataflow == b->dataflow && a->fma_stages == b->fma_stages &&
         same_buffer(&a->weight_buffer, &b->weight_buffer) &&
         same_buffer(&a->act_buffer, &b->act_buffer) && a->imem_words == b->imem_words &&
         a->local_lanes == b->local_lanes;
}

int tsr_die_variants(const tsr_config *cfg, int *variant, int *first) {
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols), k = 1;
  first[0] = -1;
  for (int d = 0; d < n; d++) {
    variant[d] = -1;
    if (same_die(&cfg->dies[d], &cfg->die)) variant[d] = 0;
    for (int v = 1; v < k && variant[d] < 0; v++)
      if (same_die(&cfg->dies[d], &cfg->dies[first[v]])) variant[d] = v;
    if (variant[d] < 0) {
      first[k] = d;
      variant[d] = k++;
    }
    if (variant[d] == 0 && first[0] < 0) first[0] = d;
  }
  return k;
}

void tsr_emit_die(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *d, const char *suffix) {
  unsigned long long wwords = tsr_buffer_words(&d->weight_buffer);
  unsigned long long awords = tsr_buffer_words(&d->act_buffer);
  unsigned widest = clog2(wwords);
  if (clog2(awords) > widest) widest = clog2(awords);
  if (clog2(d->imem_words) + 2 > widest) widest = clog2(d->imem_words) + 2;

  tsr_emit_banner(w, cfg, "computing die top");
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  tsr_w_line(w, "module tessera_die%s #(", suffix);
  tsr_w_in(w);
  /* The mesh top sets the place-dependent parameters; the defaults (the largest
   * mesh, both rings) keep the die's RTL the same for every mesh size. */
  tsr_w_line(w, "parameter int FlitW = %u,", cfg->router.flit_bits);
  tsr_w_line(w, "parameter int MeshDepth = %u,", cfg->router.fifo_depth);
  tsr_w_line(w, "parameter int RingDepth = %u,", tsr_ring_depth(cfg));
  tsr_w_line(w, "parameter int MeshRows = %u,", TSR_MAX_ROWS);
  tsr_w_line(w, "parameter int MeshCols = %u,", TSR_MAX_COLS);
  tsr_w_line(w, "parameter int HasRowRing = 1,");
  tsr_w_line(w, "parameter int HasColRing = 1,");
  tsr_w_line(w, "parameter int HasIo = 1,");
  tsr_w_line(w, "localparam int FW = FlitW + 2");
  tsr_w_out(w);
  tsr_w_line(w, ") (");
  tsr_w_in(w);
  static const char *const ports[] = {
      "input  logic        clk_i,",
      "input  logic        rst_ni,",
      "// host port: load programs and data, start, read results and counters",
      "input  logic        host_req_i,",
      "input  logic        host_we_i,",
      "input  logic [31:0] host_addr_i,",
      "input  logic [31:0] host_wdata_i,",
      "output logic        host_rvalid_o,",
      "output logic [31:0] host_rdata_o,",
      "output logic        busy_o,",
      "output logic        halted_o,",
      "output logic        error_o,",
      "// trace port: one pulse per retired instruction",
      "output logic        trace_valid_o,",
      "output logic [15:0] trace_pc_o,",
      "output logic [7:0]  trace_op_o,",
      "output logic [31:0] trace_cycle_o,",
      "// network: the die's place, its ring successors, channels 0 mesh, 1 row ring, 2 column ring",
      "input  logic [6:0]  my_x_i,",
      "input  logic [5:0]  my_y_i,",
      "input  logic [6:0]  row_next_x_i,",
      "input  logic [5:0]  col_next_y_i,",
      "output logic [2:0]  net_inj_vld_o,",
      "output logic [3*FW-1:0] net_inj_flit_o,",
      "input  logic [2:0]  net_inj_credit_i,",
      "input  logic [2:0]  net_ej_vld_i,",
      "input  logic [3*FW-1:0] net_ej_flit_i,",
      "output logic [2:0]  net_ej_credit_o",
  };
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) tsr_w_line(w, "%s", ports[i]);
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_in(w);
  tsr_w_line(w, "// %u PEs x %u lanes x %u vector, dataflow %s, FMA %u stages", d->pe_count,
             d->lanes, d->vector, d->dataflow == TSR_DF_OS ? "os" : "ws", d->fma_stages);
  tsr_w_line(w, "localparam int Rows = %u;", d->pe_count);
  tsr_w_line(w, "localparam int Lanes = %u;", d->lanes);
  tsr_w_line(w, "localparam int Vector = %u;", d->vector);
  tsr_w_line(w, "localparam int Units = %u;", tsr_die_units(d));
  tsr_w_line(w, "localparam int Stages = %u;", d->fma_stages);
  tsr_w_line(w, "localparam int Dataflow = %d;  // 0 ws, 1 os", d->dataflow == TSR_DF_OS ? 1 : 0);
  tsr_w_line(w, "localparam int WWords = %llu;", wwords);
  unsigned wl = tsr_buf_lanes(&d->weight_buffer), al = tsr_buf_lanes(&d->act_buffer);
  /* WBanks, ABanks: words per access (banks x port_bits / 32), the buffers'
   * 32-bit lanes. */
  tsr_w_line(w, "// weight buffer: %u banks x %u-bit ports; activation buffer: %u banks x %u-bit ports",
             d->weight_buffer.banks, d->weight_buffer.port_bits, d->act_buffer.banks,
             d->act_buffer.port_bits);
  tsr_w_line(w, "localparam int WBanks = %u;", wl);
  tsr_w_line(w, "localparam int AWords = %llu;", awords);
  tsr_w_line(w, "localparam int ABanks = %u;", al);
  tsr_w_line(w, "localparam int ImemWords = %u;", d->imem_words);
  tsr_w_line(w, "// units on their own banks, operands aligned (die.local_lanes)");
  tsr_w_line(w, "localparam bit LocalLanes = 1'b%d;", d->local_lanes ? 1 : 0);
  tsr_w_line(w, "localparam int WAW = %u;", clog2(wwords));
  tsr_w_line(w, "localparam int AAW = %u;", clog2(awords));
  tsr_w_line(w, "localparam int WCW = %u;", clog2(wl + 1));
  tsr_w_line(w, "localparam int ACW = %u;", clog2(al + 1));
  int os = d->dataflow == TSR_DF_OS;
  tsr_w_line(w, "// accumulators per unit (os: the stream's period; ws: tile rows / Rows)");
  tsr_w_line(w, "localparam int Slots = %u;", tsr_os_slots(d));
  tsr_w_line(w, "// os stream: k values per X block");
  tsr_w_line(w, "localparam int Kb = %u;", os ? tsr_os_kb(d) : 1u);
  tsr_w_line(w, "// ws stream: weight-row gap, prologue and shortest period (arch/die_sched.h)");
  tsr_w_line(w, "localparam int WsGap = %u;", os ? 1u : tsr_ws_row_gap(d));
  tsr_w_line(w, "localparam int WsPro = %u;", os ? 1u : tsr_ws_prologue(d));
  tsr_w_line(w, "localparam int WsPeriod = %u;", os ? 1u : tsr_ws_min_period(d));
  tsr_w_line(w, "localparam int PCW = %u;", clog2(d->imem_words));
  tsr_w_line(w, "localparam int UnusedFrom = %u;", widest);
  unsigned wpf = cfg->router.flit_bits / 32;
  tsr_w_line(w, "// network interface: %u-word flits, packets of at most %u body flits", wpf,
             TSR_NI_MAX_BODY);
  tsr_w_line(w, "localparam int WPF = %u;", wpf);
  tsr_w_line(w, "localparam int NW = %u;", clog2(wpf + 1));
  tsr_w_line(w, "localparam int MaxBody = %u;", TSR_NI_MAX_BODY);
  tsr_w_blank(w);
  for (size_t i = 0; i < sizeof die_body / sizeof die_body[0]; i++) {
    if (die_body[i][0] == '\0') tsr_w_blank(w);
    else if (!strcmp(die_body[i], "tessera_pe_array u_array (")) /* this die's own array */
      tsr_w_line(w, "tessera_pe_array%s u_array (", suffix);
    else tsr_w_line(w, "%s", die_body[i]);
  }
  tsr_w_out(w);
  tsr_w_line(w, "endmodule");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
