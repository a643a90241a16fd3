/* die_sched.h - the constants of the die's compute schedule, one definition
 * for the generator (tessera_seq's parameters) and the cost model
 * (docs/microarchitecture.md, "The os stream"). */
#ifndef TESSERA_DIE_SCHED_H
#define TESSERA_DIE_SCHED_H

#include "config.h"

/* Words one access moves: banks x (port_bits / 32), contiguous, any alignment
 * (a port_bits of 0, as in a zeroed struct, counts as 32). */
static inline uint32_t tsr_buf_lanes(const tsr_buffer_cfg *b) {
  uint32_t w = b->port_bits / 32u;
  return b->banks * (w ? w : 1u);
}

/* Issue cycles of a W row segment of the array's columns on the weight port. */
static inline uint32_t tsr_os_w_cycles(const tsr_die_cfg *d) {
  uint32_t cols = d->lanes * d->vector, wl = tsr_buf_lanes(&d->weight_buffer);
  return (cols + wl - 1) / wl;
}

/* Accumulators per unit, P: in os the stream's period (cycles per k), in ws
 * the tile height over pe_count. os: at least
 * fma_stages + 1 (a slot's result is back before it fires again) and at least
 * the W row segment's issue cycles + 1 (it lands before the banks swap),
 * rounded up to a power of two so that tiles of P x pe_count rows divide
 * power-of-two GEMMs. */
static inline uint32_t tsr_os_slots(const tsr_die_cfg *d) {
  uint32_t p = d->fma_stages + 1, w = tsr_os_w_cycles(d) + 1, s = 1;
  if (w > p) p = w;
  while (s < p) s *= 2;
  return s;
}

/* Rows of a GEMM's (and VTRANS's) tile, both dataflows: Slots x pe_count. */
static inline uint32_t tsr_tile_rows(const tsr_die_cfg *d) { return tsr_os_slots(d) * d->pe_count; }

/* os: k values per X block (one access per tile row), Kb: the smallest power of
 * two whose block, Kb P cycles, outlasts its X (the tile's P pe_count rows,
 * one access each, + 1 to land): Kb P >= P pe_count + 1, i.e. Kb > pe_count.
 * So a block never stalls and the controller's X block registers (2 P
 * pe_count Kb words) are no larger than that needs; at most the act port's
 * words and TSR_OS_KB_MAX. */
#define TSR_OS_KB_MAX 32u
static inline uint32_t tsr_os_kb(const tsr_die_cfg *d) {
  uint32_t al = tsr_buf_lanes(&d->act_buffer), kb = 1;
  while (kb < TSR_OS_KB_MAX && kb <= d->pe_count) kb *= 2;
  return al < kb ? al : kb;
}

/* ws stream (docs/microarchitecture.md, "The ws stream"): a pass holds
 * pe_count k values of W in the array while the tile's rows stream through;
 * partial sums move down the columns, fma_stages cycles per PE row.
 * The weights of the next pass load one PE row after the other, row r from
 * cycle r x gap of the pass: a row's loads take ceil(Cols / Bw) cycles, and a
 * row cannot be overwritten before the row above has moved on (fma_stages
 * cycles later). */
static inline uint32_t tsr_ws_row_gap(const tsr_die_cfg *d) {
  uint32_t lw = tsr_os_w_cycles(d);
  return lw > d->fma_stages ? lw : d->fma_stages;
}

/* ws: cycles the weights of one pass take to load, PE row after PE row, the
 * last row starting (pe_count - 1) x gap cycles in; the length of the
 * prologue (pass 0's weights), and the shortest period, since one loader
 * loads the passes in turn. So every row of the next pass has landed when
 * that pass starts. */
static inline uint32_t tsr_ws_prologue(const tsr_die_cfg *d) {
  return (d->pe_count - 1) * tsr_ws_row_gap(d) + tsr_os_w_cycles(d);
}

/* ws: the shortest period between passes: the next pass's weights have
 * landed, and a partial sum written back by the bottom row
 * (pe_count x fma_stages cycles after the top row read it) is back before the
 * top row reads it again. A tile of tm rows takes max(tm, this) cycles per
 * pass. */
static inline uint32_t tsr_ws_min_period(const tsr_die_cfg *d) {
  uint32_t rt = d->pe_count * d->fma_stages + 1, w = tsr_ws_prologue(d);
  return rt > w ? rt : w;
}

#endif
