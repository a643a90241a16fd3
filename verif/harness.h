/* harness.h - the co-verification core shared by every simulator front end.
 *
 * Runs one die program three ways - RTL through a tsr_sim, the functional
 * golden model and the cost model - from the same random operands, and
 * compares: every buffer word bit for bit, every retired instruction's cycle
 * against the model's prediction, every event counter against the model's
 * counts. Prints a report; the result says whether everything agreed. */
#ifndef TESSERA_HARNESS_H
#define TESSERA_HARNESS_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "sim.h"

/* Host port map (docs/microarchitecture.md). */
#define TSR_HOST_IMEM 0x00000000u
#define TSR_HOST_WBUF 0x10000000u
#define TSR_HOST_ABUF 0x20000000u
#define TSR_HOST_CSR 0x30000000u
#define TSR_CSR_CTRL 0x00u
#define TSR_CSR_STATUS 0x01u
#define TSR_CSR_COUNTER0 0x40u

typedef struct {
  const char *program_path; /* assembler text */
  uint64_t seed;            /* operand values */
  double special_rate;      /* fraction of operands drawn from IEEE special/corner values */
  int quiet;                /* only the verdict line */
  FILE *trace_out;          /* optional: the trace file (tsr_trace_*), every retired
                             * instruction and every counter */
} tsr_run_opts;

typedef struct {
  long word_mismatches;   /* buffer words differing from the golden model */
  long cycle_mismatches;  /* retired instructions whose cycle differs from the model */
  long counter_mismatches;
  long retired;
  uint64_t rtl_cycles;    /* cycles until HALT retired */
  double energy_pj;       /* model energy of the program */
  double sim_seconds;     /* wall time of the program run itself (no loading) */
} tsr_run_result;

/* Shared by the front ends' runners (run_die.c, run_mesh.c). */
/* A random FP32 operand from seed state s: mostly normal values within
 * 2^-8..2^8, a fraction special_rate of IEEE corner values. */
uint32_t tsr_random_operand(uint64_t *s, double special_rate);
/* A whole file as a malloc'd string, or NULL. */
char *tsr_read_text(const char *path);
/* Words differing between rtl and gold; prints the first few as NAME[addr]. */
long tsr_compare_buffer(const char *name, const uint32_t *rtl, const uint32_t *gold,
                        uint32_t words);

/* The trace file every runner writes with --trace-file, in one format for
 * every simulator: a line per program, per retired instruction (in the order
 * they retire; in one cycle, by die) and per counter read at the end. Two
 * simulators that agree cycle for cycle write the same bytes
 * (docs/simulators.md, "The trace file"). f may be NULL (nothing written).
 *   program NAME
 *   retire DIE PC OP CYCLE          (OP two hex digits)
 *   counter SCOPE INDEX VALUE NAME  (SCOPE die, net or io) */
void tsr_trace_program(FILE *f, const char *name);
void tsr_trace_retire(FILE *f, int die, uint32_t pc, uint32_t op, uint32_t cycle);
void tsr_trace_counter(FILE *f, const char *scope, int index, uint64_t value, const char *name);

/* 0: ran and compared (see result for agreement); 2: bad input (program);
 * 1: the simulation failed (timeout, error flag). Messages go to stderr. */
int tsr_run_program(const tsr_config *cfg, tsr_sim *sim, const tsr_run_opts *opts,
                    tsr_run_result *res);

#endif
