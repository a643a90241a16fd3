/* emit_noc.c - the network-on-package top, tessera_noc: one router per die,
 * the links between neighbours (electrical or photonic per edge), the links
 * to the IO dies on the left and right edges, and the folded bypass rings of
 * every row and column (docs/noc.md). The dies' network interfaces, or the
 * traffic harness, attach to its endpoint ports:
 *   inj_* / ej_*          local port of die d = row * cols + col (into / out of the network)
 *   io_inj_* / io_ej_*    IO die of row r, side s (0 left, 1 right): index 2r + s
 *   ring_row_* / ring_col_*  die d's sender (inj) and receiver (ej) on its row / column ring
 * Each endpoint is a credit-based channel: vld, flit {head, tail, data}, credit.
 * cnt_sel_i / cnt_o read the network's counters (arch/noc.h map). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "noc.h"

static unsigned clog2(unsigned long long x) {
  unsigned n = 0;
  while ((1ull << n) < x) n++;
  return n;
}

static const char *const port_names[TSR_N_PORTS] = {"l", "e", "s", "w", "n"};

typedef struct {
  tsr_writer *w;
  const tsr_config *cfg;
  int rows, cols, fw;
  int row_rings, col_rings, io;
} noc_ctx;

/* Endpoint channel ports of n endpoints, named prefix_{vld,flit,credit}. */
static void channel_ports(noc_ctx *x, const char *inj, const char *ej, int n, const char *what) {
  tsr_writer *w = x->w;
  tsr_w_line(w, "// %s", what);
  tsr_w_line(w, "input  logic [%d:0] %s_vld_i,", n - 1, inj);
  tsr_w_line(w, "input  logic [%d:0] %s_flit_i,", n * x->fw - 1, inj);
  tsr_w_line(w, "output logic [%d:0] %s_credit_o,", n - 1, inj);
  tsr_w_line(w, "output logic [%d:0] %s_vld_o,", n - 1, ej);
  tsr_w_line(w, "output logic [%d:0] %s_flit_o,", n * x->fw - 1, ej);
  tsr_w_line(w, "input  logic [%d:0] %s_credit_i,", n - 1, ej);
}

/* One link instance from a sender (vld, flit, credit back) to a receiver. */
static void link(noc_ctx *x, int kind, const char *name, uint32_t depth, const char *in_vld,
                 const char *in_flit, const char *in_credit, const char *out_vld,
                 const char *out_flit, const char *out_credit, const char *cnt, const char *pow) {
  tsr_writer *w = x->w;
  const tsr_config *cfg = x->cfg;
  if (kind == TSR_LINK_PHOTONIC) {
    tsr_w_line(w, "tessera_photonic_link #(.FlitW(FlitW), .Depth(%u), .EoOe(%u), .BitsPerCycle(%u)) %s (",
               depth, cfg->photonic.eo_oe_latency,
               cfg->photonic.wavelengths * cfg->photonic.bits_per_wavelength, name);
  } else {
    tsr_w_line(w, "tessera_link #(.FlitW(FlitW), .Latency(%u)) %s (",
               kind == -2 ? TSR_BYPASS_CYCLES : cfg->router.link_latency, name);
  }
  tsr_w_in(w);
  tsr_w_line(w, ".clk_i       (clk_i),");
  tsr_w_line(w, ".rst_ni      (rst_ni),");
  tsr_w_line(w, ".in_vld_i    (%s),", in_vld);
  tsr_w_line(w, ".in_flit_i   (%s),", in_flit);
  tsr_w_line(w, ".in_credit_o (%s),", in_credit);
  tsr_w_line(w, ".out_vld_o   (%s),", out_vld);
  tsr_w_line(w, ".out_flit_o  (%s),", out_flit);
  tsr_w_line(w, ".out_credit_i(%s),", out_credit);
  if (kind == TSR_LINK_PHOTONIC) {
    tsr_w_line(w, ".flits_o     (%s),", cnt);
    tsr_w_line(w, ".powered_o   (%s)", pow);
  } else {
    tsr_w_line(w, ".flits_o     (%s)", cnt);
  }
  tsr_w_out(w);
  tsr_w_line(w, ");");
}

static void router_wires(noc_ctx *x, int r, int c) {
  tsr_writer *w = x->w;
  tsr_w_line(w, "logic [4:0]        rt_r%dc%d_in_vld, rt_r%dc%d_in_credit, rt_r%dc%d_out_vld, "
                "rt_r%dc%d_out_credit;", r, c, r, c, r, c, r, c);
  tsr_w_line(w, "logic [5*FW-1:0]   rt_r%dc%d_in_flit, rt_r%dc%d_out_flit;", r, c, r, c);
  tsr_w_line(w, "logic [5*32-1:0]   rt_r%dc%d_flits;", r, c);
}

/* Router (r, c) output port p to input port q of router (r2, c2). */
static void mesh_link(noc_ctx *x, int r, int c, int p) {
  static const int dr[TSR_N_PORTS] = {0, 0, 1, 0, -1}, dc[TSR_N_PORTS] = {0, 1, 0, -1, 0};
  int kind = tsr_port_link_kind(x->cfg, r, c, p);
  if (kind < 0) return;
  int r2 = r + dr[p], c2 = c + dc[p], q = tsr_opposite_port(p);
  char name[64], iv[64], ifl[80], ic[64], ov[64], ofl[80], oc[64], cnt[64], pow[64];
  snprintf(name, sizeof name, "u_link_r%dc%d_%s", r, c, port_names[p]);
  snprintf(iv, sizeof iv, "rt_r%dc%d_out_vld[%d]", r, c, p);
  snprintf(ifl, sizeof ifl, "rt_r%dc%d_out_flit[%d*FW +: FW]", r, c, p);
  snprintf(ic, sizeof ic, "rt_r%dc%d_out_credit[%d]", r, c, p);
  if (c2 < 0 || c2 >= x->cols) { /* to the IO die of this row */
    int side = c2 < 0 ? 0 : 1;
    snprintf(ov, sizeof ov, "io_ej_vld_o[%d]", 2 * r + side);
    snprintf(ofl, sizeof ofl, "io_ej_flit_o[%d*FW +: FW]", 2 * r + side);
    snprintf(oc, sizeof oc, "io_ej_credit_i[%d]", 2 * r + side);
  } else {
    snprintf(ov, sizeof ov, "rt_r%dc%d_in_vld[%d]", r2, c2, q);
    snprintf(ofl, sizeof ofl, "rt_r%dc%d_in_flit[%d*FW +: FW]", r2, c2, q);
    snprintf(oc, sizeof oc, "rt_r%dc%d_in_credit[%d]", r2, c2, q);
  }
  snprintf(cnt, sizeof cnt, "cnt_link_r%dc%d_%s", r, c, port_names[p]);
  snprintf(pow, sizeof pow, "cnt_pow_r%dc%d_%s", r, c, port_names[p]);
  tsr_w_line(x->w, "logic [31:0] %s%s%s;", cnt, kind == TSR_LINK_PHOTONIC ? ", " : "",
             kind == TSR_LINK_PHOTONIC ? pow : "");
  link(x, kind, name, x->cfg->router.fifo_depth, iv, ifl, ic, ov, ofl, oc, cnt, pow);
}

/* IO die of row r, side s into router port W (s = 0) or E (s = 1). */
static void io_link(noc_ctx *x, int r, int s) {
  int c = s ? x->cols - 1 : 0, p = s ? TSR_PORT_E : TSR_PORT_W;
  int kind = tsr_port_link_kind(x->cfg, r, c, p);
  char name[64], iv[64], ifl[80], ic[64], ov[64], ofl[80], oc[64], cnt[64], pow[64];
  int i = 2 * r + s;
  snprintf(name, sizeof name, "u_io_link_r%d_%s", r, s ? "right" : "left");
  snprintf(iv, sizeof iv, "io_inj_vld_i[%d]", i);
  snprintf(ifl, sizeof ifl, "io_inj_flit_i[%d*FW +: FW]", i);
  snprintf(ic, sizeof ic, "io_inj_credit_o[%d]", i);
  snprintf(ov, sizeof ov, "rt_r%dc%d_in_vld[%d]", r, c, p);
  snprintf(ofl, sizeof ofl, "rt_r%dc%d_in_flit[%d*FW +: FW]", r, c, p);
  snprintf(oc, sizeof oc, "rt_r%dc%d_in_credit[%d]", r, c, p);
  snprintf(cnt, sizeof cnt, "cnt_io_r%d_%s", r, s ? "right" : "left");
  snprintf(pow, sizeof pow, "unused_pow_io_r%d_%s", r, s ? "right" : "left");
  tsr_w_line(x->w, "logic [31:0] %s%s%s;", cnt, kind == TSR_LINK_PHOTONIC ? ", " : "",
             kind == TSR_LINK_PHOTONIC ? pow : "");
  link(x, kind, name, x->cfg->router.fifo_depth, iv, ifl, ic, ov, ofl, oc, cnt, pow);
}

/* One hop of a folded ring: from position i to its successor along a line
 * (a row: dies (line, pos); a column: dies (pos, line)), over one or two
 * links and, for two, the bypass channel of the die in between. */
static void ring_hop(noc_ctx *x, int ring, int line, int n, int i) {
  tsr_writer *w = x->w;
  const char *rn = ring == TSR_RING_ROW ? "row" : "col";
  int j = tsr_ring_next(i, n), dir = j > i ? 1 : -1, steps = j > i ? j - i : i - j;
  int depth = (int)tsr_ring_depth(x->cfg);
#define DIE_OF(pos) (ring == TSR_RING_ROW ? line * x->cols + (pos) : (pos) * x->cols + line)
  int src = DIE_OF(i), dst = DIE_OF(j);
  char cur_v[80], cur_f[80], cur_c[80];
  snprintf(cur_v, sizeof cur_v, "ring_%s_inj_vld_i[%d]", rn, src);
  snprintf(cur_f, sizeof cur_f, "ring_%s_inj_flit_i[%d*FW +: FW]", rn, src);
  snprintf(cur_c, sizeof cur_c, "ring_%s_inj_credit_o[%d]", rn, src);
  for (int s = 0; s < steps; s++) {
    int a = i + s * dir, b = a + dir, lo = a < b ? a : b;
    int kind = ring == TSR_RING_ROW ? tsr_mesh_edge_kind(x->cfg, line, lo, TSR_PORT_E)
                                    : tsr_mesh_edge_kind(x->cfg, lo, line, TSR_PORT_S);
    char name[80], ov[80], ofl[80], oc[80], cnt[80], pow[80];
    int last = s == steps - 1;
    snprintf(name, sizeof name, "u_ring_%s_d%d_seg%d", rn, src, s);
    snprintf(cnt, sizeof cnt, s == 0 ? "cnt_ring_%s_d%d" : "unused_ring_%s_d%d_seg%d", rn, src, s);
    snprintf(pow, sizeof pow, "unused_pow_ring_%s_d%d_seg%d", rn, src, s);
    if (last) {
      snprintf(ov, sizeof ov, "ring_%s_ej_vld_o[%d]", rn, dst);
      snprintf(ofl, sizeof ofl, "ring_%s_ej_flit_o[%d*FW +: FW]", rn, dst);
      snprintf(oc, sizeof oc, "ring_%s_ej_credit_i[%d]", rn, dst);
    } else {
      tsr_w_line(w, "logic ring_%s_d%d_seg%d_vld, ring_%s_d%d_seg%d_credit;", rn, src, s, rn, src, s);
      tsr_w_line(w, "logic [FW-1:0] ring_%s_d%d_seg%d_flit;", rn, src, s);
      snprintf(ov, sizeof ov, "ring_%s_d%d_seg%d_vld", rn, src, s);
      snprintf(ofl, sizeof ofl, "ring_%s_d%d_seg%d_flit", rn, src, s);
      snprintf(oc, sizeof oc, "ring_%s_d%d_seg%d_credit", rn, src, s);
    }
    tsr_w_line(w, "logic [31:0] %s%s%s;", cnt, kind == TSR_LINK_PHOTONIC ? ", " : "",
               kind == TSR_LINK_PHOTONIC ? pow : "");
    link(x, kind, name, (uint32_t)depth, cur_v, cur_f, cur_c, ov, ofl, oc, cnt, pow);
    if (last) break;
    /* The die at b forwards the flit straight through: one register, no crossbar. */
    int mid = DIE_OF(b);
    char bname[80], bv[80], bf[80], bc[80], bcnt[80];
    snprintf(bname, sizeof bname, "u_bypass_%s_d%d", rn, mid);
    snprintf(bcnt, sizeof bcnt, "cnt_bypass_%s_d%d", rn, mid);
    tsr_w_line(w, "logic ring_%s_d%d_byp_vld, ring_%s_d%d_byp_credit;", rn, src, rn, src);
    tsr_w_line(w, "logic [FW-1:0] ring_%s_d%d_byp_flit;", rn, src);
    tsr_w_line(w, "logic [31:0] %s;", bcnt);
    snprintf(bv, sizeof bv, "ring_%s_d%d_byp_vld", rn, src);
    snprintf(bf, sizeof bf, "ring_%s_d%d_byp_flit", rn, src);
    snprintf(bc, sizeof bc, "ring_%s_d%d_byp_credit", rn, src);
    link(x, -2, bname, 0, ov, ofl, oc, bv, bf, bc, bcnt, NULL);
    snprintf(cur_v, sizeof cur_v, "%s", bv);
    snprintf(cur_f, sizeof cur_f, "%s", bf);
    snprintf(cur_c, sizeof cur_c, "%s", bc);
  }
#undef DIE_OF
}

/* The counter read port, collected first: sigs[idx] is counter idx's signal,
 * empty where the network has no such counter. */
typedef char cnt_sig[96];

static void counter_case(cnt_sig *sigs, uint32_t idx, const char *sig) {
  if (sigs) snprintf(sigs[idx], sizeof sigs[idx], "%s", sig);
}

void tsr_emit_noc(tsr_writer *w, const tsr_config *cfg) {
  noc_ctx x = {w, cfg, (int)cfg->mesh.rows, (int)cfg->mesh.cols, (int)cfg->router.flit_bits + 2,
               0, 0, cfg->mesh.io_dies};
  x.row_rings = cfg->mesh.bypass_rows && x.cols >= 2;
  x.col_rings = cfg->mesh.bypass_cols && x.rows >= 2;
  int dies = x.rows * x.cols, table = cfg->router.routing == TSR_ROUTE_TABLE;
  unsigned te = (unsigned)(x.rows * (x.cols + 2));
  unsigned taw = te > 1 ? clog2(te) : 1, dw = dies > 1 ? clog2((unsigned)dies) : 1;
  unsigned total = tsr_cnt_total(cfg), sw = clog2(total);  /* counters, select bits */

  tsr_emit_banner(w, cfg, "network-on-package top (routers, links, bypass rings)");
  tsr_w_line(w, "// %dx%d dies, %u-bit flits, %u-flit input FIFOs, %s routing; link latency %u",
             x.rows, x.cols, cfg->router.flit_bits, cfg->router.fifo_depth, table ? "table" : "XY",
             cfg->router.link_latency);
  tsr_w_line(w, "// cycles (photonic: %u), ring receive FIFOs of %u flits. Ports: docs/noc.md.",
             tsr_link_cycles(cfg, TSR_LINK_PHOTONIC), tsr_ring_depth(cfg));
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  tsr_w_line(w, "module tessera_noc #(");
  tsr_w_in(w);
  tsr_w_line(w, "parameter int FlitW = %u,", cfg->router.flit_bits);
  tsr_w_line(w, "localparam int FW = FlitW + 2");
  tsr_w_out(w);
  tsr_w_line(w, ") (");
  tsr_w_in(w);
  tsr_w_line(w, "input  logic clk_i,");
  tsr_w_line(w, "input  logic rst_ni,");
  channel_ports(&x, "inj", "ej", dies, "local ports, die d = row * cols + col");
  if (x.io) channel_ports(&x, "io_inj", "io_ej", 2 * x.rows, "IO dies, 2 * row + side (0 left, 1 right)");
  if (x.row_rings) channel_ports(&x, "ring_row_inj", "ring_row_ej", dies, "row bypass rings, per die");
  if (x.col_rings) channel_ports(&x, "ring_col_inj", "ring_col_ej", dies, "column bypass rings, per die");
  if (table) {
    tsr_w_line(w, "// routing table write: router tbl_die_i, entry dst_y * %d + dst_x", x.cols + 2);
    tsr_w_line(w, "input  logic        tbl_we_i,");
    tsr_w_line(w, "input  logic [%u:0] tbl_die_i,", dw - 1);
    tsr_w_line(w, "input  logic [%u:0] tbl_addr_i,", taw - 1);
    tsr_w_line(w, "input  logic [2:0]  tbl_port_i,");
  }
  tsr_w_line(w, "// counters (arch/noc.h map)");
  tsr_w_line(w, "input  logic [%u:0] cnt_sel_i,", sw - 1);
  tsr_w_line(w, "output logic [31:0] cnt_o");
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_in(w);

  for (int r = 0; r < x.rows; r++)
    for (int c = 0; c < x.cols; c++) router_wires(&x, r, c);
  tsr_w_blank(w);

  for (int r = 0; r < x.rows; r++) {
    for (int c = 0; c < x.cols; c++) {
      int d = r * x.cols + c;
      tsr_w_line(w, "// ---- die (row %d, col %d): router at x = %d, y = %d", r, c, c + 1, r);
      tsr_w_line(w, "tessera_router #(.FlitW(FlitW), .Depth(%u), .MyX(%d), .MyY(%d), .NumX(%d), "
                    ".NumY(%d), .Routing(%d)) u_router_r%dc%d (",
                 cfg->router.fifo_depth, c + 1, r, x.cols + 2, x.rows, table, r, c);
      tsr_w_in(w);
      tsr_w_line(w, ".clk_i       (clk_i),");
      tsr_w_line(w, ".rst_ni      (rst_ni),");
      tsr_w_line(w, ".in_vld_i    (rt_r%dc%d_in_vld),", r, c);
      tsr_w_line(w, ".in_flit_i   (rt_r%dc%d_in_flit),", r, c);
      tsr_w_line(w, ".in_credit_o (rt_r%dc%d_in_credit),", r, c);
      tsr_w_line(w, ".out_vld_o   (rt_r%dc%d_out_vld),", r, c);
      tsr_w_line(w, ".out_flit_o  (rt_r%dc%d_out_flit),", r, c);
      tsr_w_line(w, ".out_credit_i(rt_r%dc%d_out_credit),", r, c);
      if (table) {
        tsr_w_line(w, ".tbl_we_i    (tbl_we_i && tbl_die_i == %u'd%d),", dw, d);
        tsr_w_line(w, ".tbl_addr_i  (tbl_addr_i),");
        tsr_w_line(w, ".tbl_port_i  (tbl_port_i),");
      } else {
        tsr_w_line(w, ".tbl_we_i    (1'b0),");
        tsr_w_line(w, ".tbl_addr_i  (%u'd0),", taw);
        tsr_w_line(w, ".tbl_port_i  (3'd0),");
      }
      tsr_w_line(w, ".flits_o     (rt_r%dc%d_flits)", r, c);
      tsr_w_out(w);
      tsr_w_line(w, ");");
      /* local port */
      tsr_w_line(w, "assign rt_r%dc%d_in_vld[0] = inj_vld_i[%d];", r, c, d);
      tsr_w_line(w, "assign rt_r%dc%d_in_flit[0 +: FW] = inj_flit_i[%d*FW +: FW];", r, c, d);
      tsr_w_line(w, "assign inj_credit_o[%d] = rt_r%dc%d_in_credit[0];", d, r, c);
      tsr_w_line(w, "assign ej_vld_o[%d] = rt_r%dc%d_out_vld[0];", d, r, c);
      tsr_w_line(w, "assign ej_flit_o[%d*FW +: FW] = rt_r%dc%d_out_flit[0 +: FW];", d, r, c);
      tsr_w_line(w, "assign rt_r%dc%d_out_credit[0] = ej_credit_i[%d];", r, c, d);
      /* ports facing nothing */
      for (int p = TSR_PORT_E; p <= TSR_PORT_N; p++) {
        if (tsr_port_link_kind(cfg, r, c, p) >= 0) continue;
        tsr_w_line(w, "assign rt_r%dc%d_in_vld[%d] = 1'b0;", r, c, p);
        tsr_w_line(w, "assign rt_r%dc%d_in_flit[%d*FW +: FW] = '0;", r, c, p);
        tsr_w_line(w, "assign rt_r%dc%d_out_credit[%d] = 1'b0;", r, c, p);
        tsr_w_line(w, "logic unused_r%dc%d_%s;", r, c, port_names[p]);
        tsr_w_line(w, "assign unused_r%dc%d_%s = ^{rt_r%dc%d_out_vld[%d], rt_r%dc%d_out_flit[%d*FW +: FW], "
                      "rt_r%dc%d_in_credit[%d]};",
                   r, c, port_names[p], r, c, p, r, c, p, r, c, p);
      }
      for (int p = TSR_PORT_E; p <= TSR_PORT_N; p++) mesh_link(&x, r, c, p);
      tsr_w_blank(w);
    }
  }
  if (x.io) {
    tsr_w_line(w, "// ---- IO dies into the edge routers");
    for (int r = 0; r < x.rows; r++)
      for (int s = 0; s < 2; s++) io_link(&x, r, s);
    tsr_w_blank(w);
  }
  if (x.row_rings) {
    tsr_w_line(w, "// ---- row bypass rings (order 0, 2, 4, ..., 5, 3, 1)");
    for (int r = 0; r < x.rows; r++)
      for (int i = 0; i < x.cols; i++) ring_hop(&x, TSR_RING_ROW, r, x.cols, i);
    tsr_w_blank(w);
  }
  if (x.col_rings) {
    tsr_w_line(w, "// ---- column bypass rings");
    for (int c = 0; c < x.cols; c++)
      for (int i = 0; i < x.rows; i++) ring_hop(&x, TSR_RING_COL, c, x.rows, i);
    tsr_w_blank(w);
  }

  cnt_sig *sigs = calloc(total, sizeof *sigs);
  if (!sigs) w->failed = 1;  /* nothing half-written: the writer's text is dropped */
  char sig[96];
  for (int r = 0; r < x.rows; r++)
    for (int c = 0; c < x.cols; c++) {
      int d = r * x.cols + c;
      for (int p = 0; p < TSR_N_PORTS; p++) {
        snprintf(sig, sizeof sig, "rt_r%dc%d_flits[%d*32 +: 32]", r, c, p);
        counter_case(sigs, tsr_cnt_router(cfg, d, p), sig);
      }
      for (int p = TSR_PORT_E; p <= TSR_PORT_N; p++) {
        int kind = tsr_port_link_kind(cfg, r, c, p);
        if (kind < 0) continue;
        snprintf(sig, sizeof sig, "cnt_link_r%dc%d_%s", r, c, port_names[p]);
        counter_case(sigs, tsr_cnt_link(cfg, d, p), sig);
        if (kind != TSR_LINK_PHOTONIC) continue;
        snprintf(sig, sizeof sig, "cnt_pow_r%dc%d_%s", r, c, port_names[p]);
        counter_case(sigs, tsr_cnt_powered(cfg, d, p), sig);
      }
    }
  for (int r = 0; x.io && r < x.rows; r++)
    for (int s = 0; s < 2; s++) {
      snprintf(sig, sizeof sig, "cnt_io_r%d_%s", r, s ? "right" : "left");
      counter_case(sigs, tsr_cnt_io_link(cfg, r, s), sig);
    }
  for (int d = 0; d < dies; d++) {
    int pos[2] = {d % x.cols, d / x.cols}, len[2] = {x.cols, x.rows}, on[2] = {x.row_rings, x.col_rings};
    for (int ring = 0; ring < 2; ring++) {
      if (!on[ring]) continue;
      const char *rn = ring == TSR_RING_ROW ? "row" : "col";
      if (tsr_ring_bypasses(pos[ring], len[ring], 1) || tsr_ring_bypasses(pos[ring], len[ring], -1)) {
        snprintf(sig, sizeof sig, "cnt_bypass_%s_d%d", rn, d);
        counter_case(sigs, tsr_cnt_bypass(cfg, d, ring), sig);
      }
      snprintf(sig, sizeof sig, "cnt_ring_%s_d%d", rn, d);
      counter_case(sigs, tsr_cnt_ring_tx(cfg, d, ring), sig);
    }
  }
  /* Counter k at cnt_tbl[k]: continuous assignments, not an always_comb. The
   * counters change in nearly every cycle, and in Icarus 11.0 each change of
   * what an always_comb reads also wakes every always_comb compiled before it
   * (docs/simulators.md, "Icarus 11.0 and always_comb"). */
  tsr_w_line(w, "// ---- counter read port (arch/noc.h map)");
  tsr_w_line(w, "// Counter k at cnt_tbl[k], 0 where the network has no such counter.");
  tsr_w_line(w, "logic [31:0] cnt_tbl [0:%u];", total - 1);
  for (unsigned k = 0; k < total; k++)
    tsr_w_line(w, "assign cnt_tbl[%u] = %s;", k, sigs && sigs[k][0] ? sigs[k] : "'0");
  if (total < (1u << sw))
    tsr_w_line(w, "assign cnt_o = (32'(cnt_sel_i) < 32'd%u) ? cnt_tbl[cnt_sel_i] : '0;", total);
  else
    tsr_w_line(w, "assign cnt_o = cnt_tbl[cnt_sel_i];");
  free(sigs);
  tsr_w_out(w);
  tsr_w_line(w, "endmodule");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}

/* noc_ports.h: which endpoint groups tessera_noc has, for the simulator
 * front ends that are compiled against it (verif/verilator/vl_noc.cpp). */
void tsr_emit_noc_ports(tsr_writer *w, const tsr_config *cfg) {
  tsr_w_line(w, "/* Generated by `tessera gen`: the endpoint groups of tessera_noc. */");
  tsr_w_line(w, "#define TSR_NOC_HAS_IO %d", cfg->mesh.io_dies ? 1 : 0);
  tsr_w_line(w, "#define TSR_NOC_HAS_ROW_RING %d", cfg->mesh.bypass_rows && cfg->mesh.cols >= 2);
  tsr_w_line(w, "#define TSR_NOC_HAS_COL_RING %d", cfg->mesh.bypass_cols && cfg->mesh.rows >= 2);
  tsr_w_line(w, "#define TSR_NOC_HAS_TABLE %d", cfg->router.routing == TSR_ROUTE_TABLE);
}
