/* noc.c - topology and timing of the network-on-package (noc.h). */
#include "noc.h"

#include <stdio.h>


int tsr_xy_port(int x, int y, int dx, int dy) {
  if (dx > x) return TSR_PORT_E;
  if (dx < x) return TSR_PORT_W;
  if (dy > y) return TSR_PORT_S;
  if (dy < y) return TSR_PORT_N;
  return TSR_PORT_L;
}

int tsr_opposite_port(int port) {
  static const int opp[TSR_N_PORTS] = {TSR_PORT_L, TSR_PORT_W, TSR_PORT_N, TSR_PORT_E, TSR_PORT_S};
  return opp[port];
}

/* Evens ascending, then odds descending: 0 -> 2 -> ... -> last even -> last
 * odd -> ... -> 3 -> 1 -> 0. Every hop spans at most two adjacent links. */
int tsr_ring_next(int i, int n) {
  if (n < 2) return -1;
  if (i % 2 == 0) return i + 2 < n ? i + 2 : (i + 1 < n ? i + 1 : i - 1);
  return i >= 3 ? i - 2 : 0;
}

int tsr_ring_prev(int i, int n) {
  for (int j = 0; j < n; j++)
    if (tsr_ring_next(j, n) == i) return j;
  return -1;
}

int tsr_ring_bypasses(int i, int n, int dir) {
  int from = i - dir, to = i + dir;
  return from >= 0 && from < n && to >= 0 && to < n && tsr_ring_next(from, n) == to;
}

int tsr_port_link_kind(const tsr_config *cfg, int r, int c, int port) {
  const tsr_mesh_cfg *m = &cfg->mesh;
  int rows = (int)m->rows, cols = (int)m->cols;
  switch (port) {
  case TSR_PORT_E:
    if (c + 1 < cols) return tsr_mesh_edge_kind(cfg, r, c, TSR_PORT_E);
    return m->io_dies ? (int)m->edge_east : -1;
  case TSR_PORT_W:
    if (c > 0) return tsr_mesh_edge_kind(cfg, r, c - 1, TSR_PORT_E);
    return m->io_dies ? (int)m->edge_west : -1;
  case TSR_PORT_S:
    return r + 1 < rows ? tsr_mesh_edge_kind(cfg, r, c, TSR_PORT_S) : -1;
  case TSR_PORT_N:
    return r > 0 ? tsr_mesh_edge_kind(cfg, r - 1, c, TSR_PORT_S) : -1;
  default:
    return -1;
  }
}

uint32_t tsr_photonic_ser(const tsr_config *cfg) {
  uint32_t bits = cfg->photonic.wavelengths * cfg->photonic.bits_per_wavelength;
  uint32_t fw = cfg->router.flit_bits + 2;
  return (fw + bits - 1) / bits;
}

uint32_t tsr_photonic_latency(const tsr_config *cfg) {
  return tsr_photonic_ser(cfg) + cfg->photonic.eo_oe_latency;
}

uint32_t tsr_link_cycles(const tsr_config *cfg, int kind) {
  /* photonic: one cycle into the transmit FIFO, then the flight */
  return kind == TSR_LINK_PHOTONIC ? 1 + tsr_photonic_latency(cfg) : cfg->router.link_latency;
}

/* Electrical: a flit granted in cycle t is in the output register in t+1,
 * at the receiver in t+1+L, popped at the earliest in t+2+L; its credit is
 * back in t+2+2L and may be spent that cycle: 2L+2 flits in flight.
 * Photonic: launched in t, arrives in t+Lat, popped in t+Lat+1, credit back
 * after EoOe more cycles; one launch per Ser cycles. The router-to-stub hop
 * needs 2 entries. */
uint32_t tsr_depth_needed(const tsr_config *cfg, int kind) {
  if (kind != TSR_LINK_PHOTONIC) return 2 * cfg->router.link_latency + 2;
  uint32_t ser = tsr_photonic_ser(cfg);
  uint32_t rtt = tsr_photonic_latency(cfg) + 1 + cfg->photonic.eo_oe_latency;
  uint32_t d = (rtt + ser - 1) / ser;
  return d < 2 ? 2 : d;
}

uint32_t tsr_mesh_depth_needed(const tsr_config *cfg) {
  uint32_t need = tsr_depth_needed(cfg, TSR_LINK_ELECTRICAL);
  for (uint32_t r = 0; r < cfg->mesh.rows; r++)
    for (uint32_t c = 0; c < cfg->mesh.cols; c++)
      for (int p = TSR_PORT_E; p <= TSR_PORT_N; p++) {
        int k = tsr_port_link_kind(cfg, (int)r, (int)c, p);
        if (k == TSR_LINK_PHOTONIC && tsr_depth_needed(cfg, k) > need)
          need = tsr_depth_needed(cfg, k);
      }
  return need;
}

/* A ring hop of two electrical links and a bypass register carries a flit
 * for 2L+1 cycles each way: 2(2L+1)+2 entries. Photonic segments are credit
 * domains of their own (their transmit FIFO has the same depth). */
uint32_t tsr_ring_depth(const tsr_config *cfg) {
  uint32_t l = cfg->router.link_latency;
  uint32_t need = 2 * (2 * l + TSR_BYPASS_CYCLES) + 2;
  uint32_t ph = tsr_depth_needed(cfg, TSR_LINK_PHOTONIC);
  uint32_t d = need > cfg->router.fifo_depth ? need : cfg->router.fifo_depth;
  return ph > d ? ph : d;
}

uint64_t tsr_zero_load_cycles(const tsr_config *cfg, uint32_t hops, uint32_t flits) {
  uint64_t per_hop = TSR_ROUTER_CYCLES + cfg->router.link_latency;
  return (uint64_t)hops * per_hop + TSR_ROUTER_CYCLES + (flits - 1);
}

/* Counter map: router ports, mesh links, photonic powered cycles, IO links,
 * bypass channels, ring senders. */
static uint32_t n_dies(const tsr_config *cfg) { return cfg->mesh.rows * cfg->mesh.cols; }
uint32_t tsr_cnt_router(const tsr_config *cfg, int die, int port) {
  (void)cfg;
  return (uint32_t)(die * 5 + port);
}
uint32_t tsr_cnt_link(const tsr_config *cfg, int die, int port) {
  return 5 * n_dies(cfg) + (uint32_t)(die * 4 + port - 1);
}
uint32_t tsr_cnt_powered(const tsr_config *cfg, int die, int port) {
  return 9 * n_dies(cfg) + (uint32_t)(die * 4 + port - 1);
}
uint32_t tsr_cnt_io_link(const tsr_config *cfg, int row, int side) {
  return 13 * n_dies(cfg) + (uint32_t)(row * 2 + side);
}
uint32_t tsr_cnt_bypass(const tsr_config *cfg, int die, int ring) {
  return 13 * n_dies(cfg) + 2 * cfg->mesh.rows + (uint32_t)(die * 2 + ring);
}
uint32_t tsr_cnt_ring_tx(const tsr_config *cfg, int die, int ring) {
  return 15 * n_dies(cfg) + 2 * cfg->mesh.rows + (uint32_t)(die * 2 + ring);
}
uint32_t tsr_cnt_total(const tsr_config *cfg) { return 17 * n_dies(cfg) + 2 * cfg->mesh.rows; }

void tsr_cnt_name(const tsr_config *cfg, uint32_t k, char *out, size_t len) {
  static const char *const port[TSR_N_PORTS] = {"local", "east", "south", "west", "north"};
  static const char *const ring[2] = {"row", "column"};
  uint32_t n = n_dies(cfg), io = 13 * n, byp = io + 2 * cfg->mesh.rows, tx = byp + 2 * n;
  if (k < 5 * n) snprintf(out, len, "die %u router, %s output", k / 5, port[k % 5]);
  else if (k < 9 * n) snprintf(out, len, "die %u link %s", (k - 5 * n) / 4, port[(k - 5 * n) % 4 + 1]);
  else if (k < io) snprintf(out, len, "die %u photonic %s, cycles powered", (k - 9 * n) / 4, port[(k - 9 * n) % 4 + 1]);
  else if (k < byp) snprintf(out, len, "IO die row %u %s, into the mesh", (k - io) / 2, (k - io) % 2 ? "east" : "west");
  else if (k < tx) snprintf(out, len, "die %u %s-ring bypass", (k - byp) / 2, ring[(k - byp) % 2]);
  else snprintf(out, len, "die %u sent on its %s ring", (k - tx) / 2, ring[(k - tx) % 2]);
}

uint64_t tsr_ni_message_flits(const tsr_config *cfg, uint64_t words) {
  uint64_t wpf = cfg->router.flit_bits / 32, per_packet = TSR_NI_MAX_BODY * wpf;
  uint64_t packets = (words + per_packet - 1) / per_packet, body = (words + wpf - 1) / wpf;
  return packets + body;
}

int tsr_io_side(const tsr_config *cfg, int col) { return 2 * col >= (int)cfg->mesh.cols; }

uint64_t tsr_io_latency_cycles(const tsr_config *cfg) {
  return ((uint64_t)cfg->mesh.dram_latency_ns * (uint64_t)(cfg->technology.clock_mhz * 1000) +
          999999) / 1000000;
}

uint64_t tsr_io_bw_milli(const tsr_config *cfg) {
  return (uint64_t)(cfg->mesh.dram_channels * cfg->mesh.dram_gbps * 1e6 /
                    cfg->technology.clock_mhz + 0.5);
}

uint64_t tsr_io_flit_pace(const tsr_config *cfg) {
  uint64_t need = 4000ull * (cfg->router.flit_bits / 32), bw = tsr_io_bw_milli(cfg);
  return bw >= need ? 1 : (need + bw - 1) / bw;
}
