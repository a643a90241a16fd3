/* mesh_sim.h - what the mesh harness (verif/run_mesh.c) needs from a
 * simulator front end around tessera_mesh. Inputs set with set_host are
 * sampled at the next rising edge; tick() advances one clock cycle; outputs
 * are read after the edge. */
#ifndef TESSERA_MESH_SIM_H
#define TESSERA_MESH_SIM_H

#include <stdint.h>

#include "sim.h"

typedef struct {
  void *ctx;
  int dies;
  void (*reset)(void *ctx);
  /* bcast: write every die; die: the die addressed (row * cols + col) */
  void (*set_host)(void *ctx, int req, int we, int bcast, uint32_t die, uint32_t addr,
                   uint32_t wdata);
  void (*tick)(void *ctx);
  int (*rvalid)(void *ctx, uint32_t *rdata);
  /* busy, halted, error and the trace port of die d (rvalid, rdata unused) */
  void (*die)(void *ctx, int d, tsr_die_outputs *out);
  /* Optional (NULL when the front end cannot): start writing an FST waveform
   * of every signal to path, or with path NULL stop and close it. Returns 0,
   * or -1 when the file cannot be written. */
  int (*waves)(void *ctx, const char *path);
  /* Optional (NULL when the DRAM has the simple timing of the cost model):
   * the cycles, summed over the IO dies' DRAM channels since reset, in which
   * a channel held back an answer that the simple timing would have let go
   * (DDR5 banks and refresh in the SystemC channel). */
  uint64_t (*dram_stalls)(void *ctx);
  void (*destroy)(void *ctx);
} tsr_mesh_sim;

#endif
