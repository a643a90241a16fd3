/* mesh_cost.h - the cost model of a mesh of dies: the predicted FETCH and
 * RETIRE cycle of every instruction on every die, for programs with SEND,
 * WAIT, DRD and DWR (docs/cost-model.md, "The mesh").
 *
 * Compute instructions take their die's closed forms (cost.h). A message is
 * a train of packets, each a train of flits, that the model walks along its
 * path, reserving every channel it crosses (router output ports, the IO
 * dies' links, the receiving network interface, the IO die's transmitter)
 * for as many cycles as it has flits. Without contention every reservation
 * starts the cycle the head arrives and the model is the closed form of
 * docs/noc.md; where packets share a channel, a head waits for the earliest
 * gap, the sender stalls once the wait exceeds what the FIFOs between it and
 * the blocked channel absorb, and WAIT retires when its words have landed. */
#ifndef TESSERA_MESH_COST_H
#define TESSERA_MESH_COST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "cost.h"
#include "isa.h"

typedef struct {
  const uint32_t *words; /* the die's program, 4 words per instruction */
  size_t n_insns;
  tsr_insn_cost *out;    /* capacity n_insns: each retired instruction */
  size_t n_retired;
  int error;             /* stopped on a bad SEND, DRD or DWR target */
} tsr_mesh_cost_die;

/* Predict every die's program (dies[row * cols + col], out filled, all dies
 * starting in cycle 0). Returns 0, or -1 with err on a bad program or when
 * the dies deadlock. */
int tsr_mesh_cost_run(const tsr_config *cfg, tsr_mesh_cost_die *dies, char err[TSR_ISA_ERR_LEN]);

#endif
