/* cost.h - the cost model of one computing die: for each instruction, the
 * predicted start and retire cycle and event counts; energy = counts x the
 * energy table. Closed forms of the controller's step phases
 * (docs/cost-model.md); the lockstep harness holds the RTL to them exactly. */
#ifndef TESSERA_COST_H
#define TESSERA_COST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "counters.h"
#include "isa.h"


/* Fixed cycles of every instruction outside its steps: FETCH, DECODE, RETIRE. */
#define TSR_INSN_OVERHEAD 3u

typedef struct {
  tsr_insn insn;
  uint64_t start;  /* cycle of the instruction's FETCH; the program starts at 0 */
  uint64_t retire; /* cycle of its RETIRE, the cycle the trace port reports */
  tsr_counts counts;
} tsr_insn_cost;

/* Cost of one instruction on a die (start and retire relative to 0). */
void tsr_cost_insn(const tsr_die_cfg *die, const tsr_insn *in, tsr_insn_cost *out);

/* Add the steps of GEMM m x k x n (acc: from Y) to c: every counter but the
 * instruction's fixed overhead (TSR_INSN_OVERHEAD cycles, insns, imem bits).
 * Closed forms, O(1): the system model prices its GEMMs with it too. */
void tsr_cost_gemm(const tsr_die_cfg *die, uint64_t m, uint64_t k, uint64_t n, int acc,
                   tsr_counts *c);

/* Add VAXPY's first step, which loads its scale s (one word), to c: the rest
 * of a VAXPY costs what a VADD of its length does. */
void tsr_cost_vaxpy_scale(tsr_counts *c);

/* Walk a program until HALT, filling out[0..*n_retired-1] (capacity n_insns)
 * and the totals. Returns -1 with err on an undecodable instruction or a
 * program without HALT. */
int tsr_cost_program(const tsr_die_cfg *die, const uint32_t *words, size_t n_insns,
                     tsr_insn_cost *out, size_t *n_retired, tsr_counts *total,
                     char err[TSR_ISA_ERR_LEN]);

/* Energy in pJ of a set of counts. */
double tsr_energy_pj(const tsr_counts *counts, const tsr_energy_cfg *e);

#endif
