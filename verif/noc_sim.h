/* noc_sim.h - what the traffic harness (traffic.c) needs from a simulator
 * front end wrapping one tessera_noc (docs/noc.md). Endpoint channels come in
 * groups: the dies' local ports, the IO dies, the row rings, the column rings.
 * Per cycle: set the inputs, call eval_comb() and read the outputs of this
 * cycle, then tick() takes the rising edge. */
#ifndef TESSERA_NOC_SIM_H
#define TESSERA_NOC_SIM_H

#include <stdint.h>

enum { TSR_GRP_LOCAL, TSR_GRP_IO, TSR_GRP_RING_ROW, TSR_GRP_RING_COL, TSR_N_GRPS };
#define TSR_FLIT_WORDS_MAX 33 /* (1024 + 2) bits */

typedef struct {
  void *ctx;
  int has[TSR_N_GRPS]; /* the group's ports exist in this network */
  int has_table;
  void (*reset)(void *ctx);
  /* Into the network: the flit offered this cycle (words of FlitW + 2 bits,
   * head and tail on top), and whether the network freed a slot this cycle. */
  void (*set_inj)(void *ctx, int grp, int idx, int vld, const uint32_t *flit);
  int (*inj_credit)(void *ctx, int grp, int idx);
  /* Out of the network: the flit delivered this cycle; credit to return. */
  int (*ej)(void *ctx, int grp, int idx, uint32_t *flit);
  void (*set_ej_credit)(void *ctx, int grp, int idx, int credit);
  void (*set_table)(void *ctx, int we, uint32_t die, uint32_t addr, uint32_t port);
  uint32_t (*counter)(void *ctx, uint32_t sel);
  void (*eval_comb)(void *ctx);
  void (*tick)(void *ctx);
  void (*destroy)(void *ctx);
} tsr_noc_sim;

/* The Verilator front end (verif/verilator/vl_noc.cpp). */
/* The Verilated network. Flops without a reset start from random values drawn
 * from seed (the model is built with --x-initial unique), so that a run shows
 * that nothing depends on state the reset leaves undefined. */
tsr_noc_sim *tsr_verilator_noc_create(int flit_bits, uint64_t seed);

#endif
