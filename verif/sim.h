/* sim.h - what the harness core needs from a simulator front end.
 *
 * A front end (Verilator today; Icarus VPI and SystemC later) wraps one
 * tessera_die instance and implements these calls. Inputs set with set_host
 * are sampled at the next rising clock edge; tick() advances one full clock
 * cycle; outputs are read after the edge. */
#ifndef TESSERA_SIM_H
#define TESSERA_SIM_H

#include <stdint.h>

typedef struct {
  int busy, halted, error;
  int rvalid;
  uint32_t rdata;
  int trace_valid;
  uint32_t trace_pc, trace_op, trace_cycle;
} tsr_die_outputs;

typedef struct {
  void *ctx;
  void (*reset)(void *ctx);   /* hold rst_ni low for a few cycles, then release */
  void (*set_host)(void *ctx, int req, int we, uint32_t addr, uint32_t wdata);
  void (*tick)(void *ctx);
  void (*outputs)(void *ctx, tsr_die_outputs *out);
  void (*destroy)(void *ctx);
} tsr_sim;

#endif
