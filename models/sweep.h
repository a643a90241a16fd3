/* sweep.h - design-space sweeps with the system-scale model
 * (docs/system-model.md, "Sweeps"): every combination of mesh shape, buffer
 * sizes, package, link bandwidth and latency, dataflow and method, evaluated
 * by tsr_sys_estimate with no allocation per point, and the Pareto front of
 * latency and energy (the minimum-EDP point lies on it). */
#ifndef TESSERA_SWEEP_H
#define TESSERA_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysmodel.h"

#define TSR_SWEEP_MAX 64 /* values per axis */

typedef struct {
  uint32_t n_shapes, rows[TSR_SWEEP_MAX * 8], cols[TSR_SWEEP_MAX * 8];
  uint32_t n_act, act_kb[TSR_SWEEP_MAX];
  uint32_t n_wgt, wgt_kb[TSR_SWEEP_MAX];
  uint32_t n_pkg, pkg[TSR_N_PKGS];
  uint32_t n_gbps;
  double gbps[TSR_SWEEP_MAX]; /* 0: the package's */
  uint32_t n_ns;
  double ns[TSR_SWEEP_MAX]; /* negative: the package's */
  uint32_t n_df, dataflow[2];
  uint32_t n_method, method[TSR_N_METHODS];
} tsr_sweep_grid;

typedef struct {
  uint16_t rows, cols;
  uint32_t act_kb, wgt_kb;
  uint8_t pkg, dataflow, method, feasible, sram_ok, pareto, fusion;
  float gbps, ns;
  uint32_t mb_samples;
  double seconds, joules, edp;
  float cycles[TSR_N_TTERMS];
} tsr_sweep_row;

/* Mesh shapes rows x cols with rows x cols = dies, both at most 64. */
int tsr_sweep_add_dies(tsr_sweep_grid *g, uint32_t dies);
size_t tsr_sweep_count(const tsr_sweep_grid *g);

/* Evaluate every point into out[0..count-1]. The system's configuration is
 * changed in place (mesh, die buffers and dataflow, link); the caller checks
 * every link value with tsr_sys_set_link first. */
void tsr_sweep_run(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, tsr_sweep_row *out);
/* The same, calling progress(ctx, done, total) every 4096 points (may be NULL). */
typedef void (*tsr_sweep_progress_fn)(void *ctx, size_t done, size_t total);
void tsr_sweep_run_progress(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                            tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx);

/* Mark the Pareto front of (seconds, joules) among the feasible points that
 * fit their SRAM; returns its size and the index of the least EDP (or -1). */
size_t tsr_sweep_pareto(tsr_sweep_row *rows, size_t n, long *best_edp);

/* One CSV line per row (all, or only the front), with a header. */
int tsr_sweep_csv(FILE *f, const tsr_sweep_row *rows, size_t n, int only_pareto);

#endif
