/* emit_mesh.c - the chiplet mesh top, tessera_mesh: rows x cols computing
 * dies (tessera_die) on the network-on-package (tessera_noc), and one host
 * port for all of them (docs/noc.md, "The mesh top").
 *
 * Host port: host_die_i selects the die (d = row * cols + col), host_bcast_i
 * writes every die at once (used to start them in the same cycle); the die's
 * own address map follows (docs/microarchitecture.md). Region 4 (address bits
 * 31:28) is the network's: a write sets routing-table entry addr[15:0] of
 * router host_die_i to port wdata[2:0] (table routing), a read returns network
 * counter addr[15:0] (arch/noc.h map). Region 5 is the DRAM of IO die
 * host_die_i (2 x row + side, side 0 left, 1 right), word addr[23:0]; region 6
 * its counters (0 words read, 1 words written, 2 read requests). Reads answer
 * one cycle later.
 *
 * mesh.dram.model "rtl" puts a tessera_io_dram behind every IO die;
 * "external" leaves it out and makes its port (dram_*) a port of the top,
 * one slice per IO die, for a DRAM model outside the RTL (the SystemC top,
 * verif/systemc/). Region 5 is then the outside model's: the RTL does not
 * answer it. */
#include <stdio.h>

#include "gen.h"
#include "noc.h"

static unsigned clog2(unsigned long long x) {
  unsigned n = 0;
  while ((1ull << n) < x) n++;
  return n;
}

/* The three endpoint groups a die drives: its local port and its two rings. */
static const char *const chan_prefix[3] = {"inj", "ring_row_inj", "ring_col_inj"};
static const char *const chan_ej_prefix[3] = {"ej", "ring_row_ej", "ring_col_ej"};

unsigned tsr_mesh_host_die_bits(const tsr_config *cfg) {
  int rows = (int)cfg->mesh.rows, n = rows * (int)cfg->mesh.cols;
  int sel = n > 2 * rows ? n : 2 * rows; /* dies, or IO dies */
  return sel > 1 ? clog2((unsigned)sel) : 1;
}

void tsr_emit_mesh(tsr_writer *w, const tsr_config *cfg) {
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols, n = rows * cols;
  int has[3] = {1, cfg->mesh.bypass_rows && cols >= 2, cfg->mesh.bypass_cols && rows >= 2};
  int io = cfg->mesh.io_dies, table = cfg->router.routing == TSR_ROUTE_TABLE;
  int ext = io && cfg->mesh.dram_model == TSR_DRAM_EXTERNAL, nio = 2 * rows;
  unsigned dw = tsr_mesh_host_die_bits(cfg);
  unsigned daw = clog2(TSR_IO_DRAM_WORDS);
  unsigned te = (unsigned)(rows * (cols + 2)), taw = te > 1 ? clog2(te) : 1;
  unsigned sw = clog2(tsr_cnt_total(cfg));
  static int variant[TSR_MAX_DIES], first[TSR_MAX_DIES + 1]; /* which die module where */
  tsr_die_variants(cfg, variant, first);

  tsr_emit_banner(w, cfg, "chiplet mesh top (dies on the network-on-package)");
  tsr_w_line(w, "// %dx%d dies; host port: docs/noc.md, \"The mesh top\".", rows, cols);
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  tsr_w_line(w, "module tessera_mesh #(");
  tsr_w_in(w);
  tsr_w_line(w, "parameter int FlitW = %u,", cfg->router.flit_bits);
  tsr_w_line(w, "localparam int FW = FlitW + 2,");
  tsr_w_line(w, "localparam int N = %d", n);
  tsr_w_out(w);
  tsr_w_line(w, ") (");
  tsr_w_in(w);
  static const char *const ports[] = {
      "input  logic          clk_i,",
      "input  logic          rst_ni,",
      "// host port",
      "input  logic          host_req_i,",
      "input  logic          host_we_i,",
      "input  logic          host_bcast_i,",
  };
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) tsr_w_line(w, "%s", ports[i]);
  tsr_w_line(w, "input  logic [%u:0]    host_die_i,", dw - 1);
  static const char *const ports2[] = {
      "input  logic [31:0]   host_addr_i,",
      "input  logic [31:0]   host_wdata_i,",
      "output logic          host_rvalid_o,",
      "output logic [31:0]   host_rdata_o,",
      "// per die d: status and trace port",
      "output logic [N-1:0]    busy_o,",
      "output logic [N-1:0]    halted_o,",
      "output logic [N-1:0]    error_o,",
      "output logic [N-1:0]    trace_valid_o,",
      "output logic [N*16-1:0] trace_pc_o,",
      "output logic [N*8-1:0]  trace_op_o,",
  };
  for (size_t i = 0; i < sizeof ports2 / sizeof ports2[0]; i++) tsr_w_line(w, "%s", ports2[i]);
  tsr_w_line(w, "output logic [N*32-1:0] trace_cycle_o%s", ext ? "," : "");
  if (ext) { /* the IO dies' DRAM channels, outside: docs/noc.md, "IO dies and DRAM" */
    tsr_w_line(w, "// DRAM channel of IO die i = 2 x row + side (0 left, 1 right): requests");
    tsr_w_line(w, "output logic [%d:0]       dram_req_o,", nio - 1);
    tsr_w_line(w, "output logic [%d:0]       dram_we_o,", nio - 1);
    tsr_w_line(w, "output logic [%d*32-1:0]  dram_addr_o,", nio);
    tsr_w_line(w, "output logic [%d*25-1:0]  dram_len_o,", nio);
    tsr_w_line(w, "output logic [%d*FlitW-1:0] dram_wdata_o,", nio);
    tsr_w_line(w, "// and the answers to its reads");
    tsr_w_line(w, "input  logic [%d:0]       dram_ready_i,", nio - 1);
    tsr_w_line(w, "input  logic [%d:0]       dram_rvalid_i,", nio - 1);
    tsr_w_line(w, "input  logic [%d*FlitW-1:0] dram_rdata_i,", nio);
    tsr_w_line(w, "output logic [%d:0]       dram_rtake_o", nio - 1);
  }
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_in(w);

  tsr_w_line(w, "// ---- host port decode: region 4 is the network's");
  if (ext) {
    tsr_w_line(w, "// (region 5, the DRAM, belongs to the DRAM model outside)");
    tsr_w_line(w, "logic net_region, io_cnt_region;");
  } else {
    tsr_w_line(w, "logic net_region, dram_region, io_cnt_region;");
  }
  tsr_w_line(w, "assign net_region    = host_addr_i[31:28] == 4'd4;");
  if (!ext) tsr_w_line(w, "assign dram_region   = host_addr_i[31:28] == 4'd5;");
  tsr_w_line(w, "assign io_cnt_region = host_addr_i[31:28] == 4'd6;");
  tsr_w_line(w, "logic [N-1:0]    die_rvalid;");
  tsr_w_line(w, "logic [N*32-1:0] die_rdata;");
  tsr_w_blank(w);
  tsr_w_line(w, "// ---- network channels between the dies and the network");
  for (int ch = 0; ch < 3; ch++) {
    if (!has[ch]) continue;
    tsr_w_line(w, "logic [N-1:0] %s_vld, %s_credit, %s_vld, %s_credit;", chan_prefix[ch],
               chan_prefix[ch], chan_ej_prefix[ch], chan_ej_prefix[ch]);
    tsr_w_line(w, "logic [N*FW-1:0] %s_flit, %s_flit;", chan_prefix[ch], chan_ej_prefix[ch]);
  }
  tsr_w_blank(w);

  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) {
      int d = r * cols + c;
      int next_c = has[1] ? tsr_ring_next(c, cols) : c, next_r = has[2] ? tsr_ring_next(r, rows) : r;
      tsr_w_line(w, "// ---- die (row %d, col %d) at x = %d, y = %d; ring successors x = %d, y = %d",
                 r, c, c + 1, r, next_c + 1, next_r);
      tsr_w_line(w, "logic [2:0]      d%d_inj_vld, d%d_inj_credit, d%d_ej_vld, d%d_ej_credit;", d, d, d, d);
      tsr_w_line(w, "logic [3*FW-1:0] d%d_inj_flit, d%d_ej_flit;", d, d);
      char module[24] = "tessera_die";
      if (variant[d]) snprintf(module, sizeof module, "tessera_die_v%d", variant[d]);
      tsr_w_line(w, "%s #(.FlitW(FlitW), .MeshRows(%d), .MeshCols(%d), .HasRowRing(%d), "
                    ".HasColRing(%d), .HasIo(%d)) u_die_r%dc%d (",
                 module, rows, cols, has[1], has[2], io, r, c);
      tsr_w_in(w);
      tsr_w_line(w, ".clk_i, .rst_ni,");
      tsr_w_line(w, ".host_req_i   (host_req_i && host_addr_i[31:28] < 4'd4 && "
                    "(host_bcast_i || host_die_i == %u'd%d)),", dw, d);
      tsr_w_line(w, ".host_we_i, .host_addr_i, .host_wdata_i,");
      tsr_w_line(w, ".host_rvalid_o(die_rvalid[%d]), .host_rdata_o(die_rdata[%d*32 +: 32]),", d, d);
      tsr_w_line(w, ".busy_o(busy_o[%d]), .halted_o(halted_o[%d]), .error_o(error_o[%d]),", d, d, d);
      tsr_w_line(w, ".trace_valid_o(trace_valid_o[%d]), .trace_pc_o(trace_pc_o[%d*16 +: 16]),", d, d);
      tsr_w_line(w, ".trace_op_o(trace_op_o[%d*8 +: 8]), .trace_cycle_o(trace_cycle_o[%d*32 +: 32]),", d, d);
      tsr_w_line(w, ".my_x_i(7'd%d), .my_y_i(6'd%d), .row_next_x_i(7'd%d), .col_next_y_i(6'd%d),", c + 1,
                 r, next_c + 1, next_r);
      tsr_w_line(w, ".net_inj_vld_o(d%d_inj_vld), .net_inj_flit_o(d%d_inj_flit), "
                    ".net_inj_credit_i(d%d_inj_credit),", d, d, d);
      tsr_w_line(w, ".net_ej_vld_i(d%d_ej_vld), .net_ej_flit_i(d%d_ej_flit), .net_ej_credit_o(d%d_ej_credit)",
                 d, d, d);
      tsr_w_out(w);
      tsr_w_line(w, ");");
      for (int ch = 0; ch < 3; ch++) {
        if (has[ch]) {
          tsr_w_line(w, "assign %s_vld[%d] = d%d_inj_vld[%d];", chan_prefix[ch], d, d, ch);
          tsr_w_line(w, "assign %s_flit[%d*FW +: FW] = d%d_inj_flit[%d*FW +: FW];", chan_prefix[ch], d, d, ch);
          tsr_w_line(w, "assign d%d_inj_credit[%d] = %s_credit[%d];", d, ch, chan_prefix[ch], d);
          tsr_w_line(w, "assign d%d_ej_vld[%d] = %s_vld[%d];", d, ch, chan_ej_prefix[ch], d);
          tsr_w_line(w, "assign d%d_ej_flit[%d*FW +: FW] = %s_flit[%d*FW +: FW];", d, ch, chan_ej_prefix[ch], d);
          tsr_w_line(w, "assign %s_credit[%d] = d%d_ej_credit[%d];", chan_ej_prefix[ch], d, d, ch);
        } else { /* no such ring: the die never sends on it (its NI refuses) */
          tsr_w_line(w, "assign d%d_inj_credit[%d] = 1'b0;", d, ch);
          tsr_w_line(w, "assign d%d_ej_vld[%d] = 1'b0;", d, ch);
          tsr_w_line(w, "assign d%d_ej_flit[%d*FW +: FW] = '0;", d, ch);
          tsr_w_line(w, "logic unused_d%d_ch%d;", d, ch);
          tsr_w_line(w, "assign unused_d%d_ch%d = ^{d%d_inj_vld[%d], d%d_inj_flit[%d*FW +: FW], d%d_ej_credit[%d]};",
                     d, ch, d, ch, d, ch, d, ch);
        }
      }
      tsr_w_blank(w);
    }
  }

  if (io) {
    uint64_t lat = tsr_io_latency_cycles(cfg), bw = tsr_io_bw_milli(cfg);
    if (ext)
      tsr_w_line(w,
                 "// ---- IO dies; their DRAM channels are outside (mesh.dram.model \"external\")");
    else
      tsr_w_line(
          w,
          "// ---- IO dies with their DRAM channel models: %u channels x %g GB/s = %llu/1000 "
          "bytes per cycle at %g MHz, %u ns = %llu cycles",
          cfg->mesh.dram_channels, cfg->mesh.dram_gbps, (unsigned long long)bw,
          cfg->technology.clock_mhz, cfg->mesh.dram_latency_ns, (unsigned long long)lat);
    tsr_w_line(w, "logic [%d:0] io_inj_vld, io_inj_credit, io_ej_vld, io_ej_credit;", nio - 1);
    tsr_w_line(w, "logic [%d*FW-1:0] io_inj_flit, io_ej_flit;", nio);
    tsr_w_line(w, "logic [%d*32-1:0] %sio_words_read, io_words_written, io_reads;", nio,
               ext ? "" : "io_rdata, ");
    /* The DRAM port: the top's ports (ext), or wires to a tessera_io_dram. */
    const char *o = ext ? "_o" : "", *in = ext ? "_i" : "";
    if (!ext) {
      tsr_w_line(w, "logic [%d:0] dram_req, dram_we, dram_ready, dram_rvalid, dram_rtake;",
                 nio - 1);
      tsr_w_line(w, "logic [%d*32-1:0] dram_addr;", nio);
      tsr_w_line(w, "logic [%d*25-1:0] dram_len;", nio);
      tsr_w_line(w, "logic [%d*FlitW-1:0] dram_wdata, dram_rdata;", nio);
    }
    for (int i = 0; i < nio; i++) {
      const char *side = i % 2 ? "right" : "left";
      tsr_w_line(w, "tessera_io_die #(.FlitW(FlitW), .Depth(%u), .MaxBody(%u)) u_io_r%d_%s (",
                 cfg->router.fifo_depth, TSR_NI_MAX_BODY, i / 2, side);
      tsr_w_in(w);
      tsr_w_line(w, ".clk_i, .rst_ni, .my_x_i(7'd%d), .my_y_i(6'd%d),", i % 2 ? cols + 1 : 0, i / 2);
      tsr_w_line(w, ".inj_vld_o(io_inj_vld[%d]), .inj_flit_o(io_inj_flit[%d*FW +: FW]), "
                    ".inj_credit_i(io_inj_credit[%d]),", i, i, i);
      tsr_w_line(w, ".ej_vld_i(io_ej_vld[%d]), .ej_flit_i(io_ej_flit[%d*FW +: FW]), "
                    ".ej_credit_o(io_ej_credit[%d]),", i, i, i);
      tsr_w_line(w,
                 ".dram_req_o(dram_req%s[%d]), .dram_we_o(dram_we%s[%d]), "
                 ".dram_addr_o(dram_addr%s[%d*32 +: 32]), .dram_len_o(dram_len%s[%d*25 +: 25]),",
                 o, i, o, i, o, i, o, i);
      tsr_w_line(w,
                 ".dram_wdata_o(dram_wdata%s[%d*FlitW +: FlitW]), .dram_ready_i(dram_ready%s[%d]), "
                 ".dram_rvalid_i(dram_rvalid%s[%d]),",
                 o, i, in, i, in, i);
      tsr_w_line(w,
                 ".dram_rdata_i(dram_rdata%s[%d*FlitW +: FlitW]), .dram_rtake_o(dram_rtake%s[%d]),",
                 in, i, o, i);
      tsr_w_line(w, ".words_read_o(io_words_read[%d*32 +: 32]), .words_written_o(io_words_written[%d*32 +: 32]),",
                 i, i);
      tsr_w_line(w, ".reads_o(io_reads[%d*32 +: 32])", i);
      tsr_w_out(w);
      tsr_w_line(w, ");");
      if (ext) continue;
      tsr_w_line(w,
                 "tessera_io_dram #(.FlitW(FlitW), .DramWords(%u), .Latency(%llu), .BwMilli(%llu)) "
                 "u_dram_r%d_%s (",
                 TSR_IO_DRAM_WORDS, (unsigned long long)lat, (unsigned long long)bw, i / 2, side);
      tsr_w_in(w);
      tsr_w_line(w,
                 ".clk_i, .rst_ni, .req_i(dram_req[%d]), .we_i(dram_we[%d]), "
                 ".addr_i(dram_addr[%d*32 +: 32]),",
                 i, i, i);
      tsr_w_line(w,
                 ".len_i(dram_len[%d*25 +: 25]), .wdata_i(dram_wdata[%d*FlitW +: FlitW]), "
                 ".ready_o(dram_ready[%d]), .rvalid_o(dram_rvalid[%d]),",
                 i, i, i, i);
      tsr_w_line(w, ".rdata_o(dram_rdata[%d*FlitW +: FlitW]), .rtake_i(dram_rtake[%d]),", i, i);
      tsr_w_line(w, ".host_req_i(host_req_i && dram_region && host_die_i == %u'd%d), .host_we_i,",
                 dw, i);
      tsr_w_line(
          w, ".host_addr_i(host_addr_i[%u:0]), .host_wdata_i, .host_rdata_o(io_rdata[%d*32 +: 32])",
          daw - 1, i);
      tsr_w_out(w);
      tsr_w_line(w, ");");
    }
    tsr_w_blank(w);
  }

  tsr_w_line(w, "// ---- the network-on-package");
  tsr_w_line(w, "logic [31:0] net_cnt;");
  tsr_w_line(w, "tessera_noc #(.FlitW(FlitW)) u_noc (");
  tsr_w_in(w);
  tsr_w_line(w, ".clk_i, .rst_ni,");
  for (int ch = 0; ch < 3; ch++) {
    if (!has[ch]) continue;
    const char *i = chan_prefix[ch], *e = chan_ej_prefix[ch];
    tsr_w_line(w, ".%s_vld_i(%s_vld), .%s_flit_i(%s_flit), .%s_credit_o(%s_credit),", i, i, i, i, i, i);
    tsr_w_line(w, ".%s_vld_o(%s_vld), .%s_flit_o(%s_flit), .%s_credit_i(%s_credit),", e, e, e, e, e, e);
  }
  if (io) {
    tsr_w_line(w, ".io_inj_vld_i(io_inj_vld), .io_inj_flit_i(io_inj_flit), .io_inj_credit_o(io_inj_credit),");
    tsr_w_line(w, ".io_ej_vld_o(io_ej_vld), .io_ej_flit_o(io_ej_flit), .io_ej_credit_i(io_ej_credit),");
  }
  if (table) {
    tsr_w_line(w, ".tbl_we_i(host_req_i && host_we_i && net_region),");
    tsr_w_line(w, ".tbl_die_i(host_die_i[%u:0]), .tbl_addr_i(host_addr_i[%u:0]), .tbl_port_i(host_wdata_i[2:0]),",
               (n > 1 ? clog2((unsigned)n) : 1) - 1, taw - 1);
  }
  tsr_w_line(w, ".cnt_sel_i(host_addr_i[%u:0]), .cnt_o(net_cnt)", sw - 1);
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_blank(w);

  tsr_w_line(w, "// ---- host read data, one cycle later: a die's, a network counter, an IO die's");
  tsr_w_line(w, "logic        mesh_rvalid_q;");
  tsr_w_line(w, "logic [31:0] mesh_rdata_q, mesh_rdata;");
  if (io && !ext)
    tsr_w_line(w, "logic [1:0]  rd_kind_q;  // 0 network counter, 1 DRAM word, 2 IO die counter");
  tsr_w_line(w, "logic [%u:0] rd_die_q;", dw - 1);
  tsr_w_line(w, "always_ff @(posedge clk_i or negedge rst_ni) begin");
  tsr_w_line(w, "  if (!rst_ni) mesh_rvalid_q <= 1'b0;");
  tsr_w_line(w,
             "  else mesh_rvalid_q <= host_req_i && !host_we_i && (net_region || %sio_cnt_region);",
             ext ? "" : "dram_region || ");
  tsr_w_line(w, "end");
  tsr_w_line(w, "always_ff @(posedge clk_i) begin");
  tsr_w_line(w, "  mesh_rdata_q <= net_cnt;");
  tsr_w_line(w, "  if (host_req_i) begin");
  tsr_w_line(w, "    rd_die_q <= host_die_i;");
  if (io) {
    if (!ext) tsr_w_line(w, "    rd_kind_q <= dram_region ? 2'd1 : (io_cnt_region ? 2'd2 : 2'd0);");
    tsr_w_line(w, "    unique case (host_addr_i[1:0])");
    tsr_w_line(w, "      2'd0:    mesh_rdata_q <= io_words_read[host_die_i*32 +: 32];");
    tsr_w_line(w, "      2'd1:    mesh_rdata_q <= io_words_written[host_die_i*32 +: 32];");
    tsr_w_line(w, "      default: mesh_rdata_q <= io_reads[host_die_i*32 +: 32];");
    tsr_w_line(w, "    endcase");
    tsr_w_line(w, "    if (!io_cnt_region) mesh_rdata_q <= net_cnt;");
  }
  tsr_w_line(w, "  end");
  tsr_w_line(w, "end");
  if (io && !ext)
    tsr_w_line(w, "assign mesh_rdata = (rd_kind_q == 2'd1) ? io_rdata[rd_die_q*32 +: 32] : mesh_rdata_q;");
  else
    tsr_w_line(w, "assign mesh_rdata = mesh_rdata_q;");
  tsr_w_line(w, "assign host_rvalid_o = mesh_rvalid_q || (|die_rvalid);");
  if (n > 1)
    tsr_w_line(w, "assign host_rdata_o = mesh_rvalid_q ? mesh_rdata : die_rdata[rd_die_q*32 +: 32];");
  else
    tsr_w_line(w, "assign host_rdata_o = mesh_rvalid_q ? mesh_rdata : die_rdata;");
  if (n == 1) {
    tsr_w_line(w, "logic unused_rd_die;");
    tsr_w_line(w, "assign unused_rd_die = rd_die_q;");
  }
  tsr_w_out(w);
  tsr_w_line(w, "endmodule");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
