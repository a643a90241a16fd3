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

/* os: accumulators per unit = the stream's period P, cycles per k: at least
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

/* os: k values per X block (one access per tile row): the act port's words,
 * at most TSR_OS_KB_MAX. */
#define TSR_OS_KB_MAX 32u
static inline uint32_t tsr_os_kb(const tsr_die_cfg *d) {
  uint32_t al = tsr_buf_lanes(&d->act_buffer);
  return al < TSR_OS_KB_MAX ? al : TSR_OS_KB_MAX;
}

#endif
