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
/* The same for points first..first+count-1 of the sweep's order only, into
 * out[0..count-1]: each point the same bits as in the whole run. */
void tsr_sweep_run_range(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, size_t first,
                         size_t count, tsr_sweep_row *out);
/* The same, calling progress(ctx, done, total) every 4096 points (may be NULL). */
typedef void (*tsr_sweep_progress_fn)(void *ctx, size_t done, size_t total);
void tsr_sweep_run_progress(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                            tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx);

/* Mark the Pareto front of (seconds, joules) among the feasible points that
 * fit their SRAM; returns its size and the index of the least EDP (or -1). */
size_t tsr_sweep_pareto(tsr_sweep_row *rows, size_t n, long *best_edp);

/* One CSV line per row (all, or only the front), with a header. */
int tsr_sweep_csv(FILE *f, const tsr_sweep_row *rows, size_t n, int only_pareto);

/* ---- shards (docs/cluster.md) ----------------------------------------------------------
 * A sweep of n points in `of` shards: shard i (0-based) holds the contiguous
 * points i * n / of .. (i + 1) * n / of - 1. A shard writes its rows exactly
 * (every float in hexadecimal) to a shard file; tsr_sweep_merge reads the
 * files of all shards back into the rows of the whole sweep, in order, so
 * that tsr_sweep_pareto and tsr_sweep_csv give the unsharded run's bytes. */

#define TSR_SWEEP_LABEL_LEN 200
#define TSR_SWEEP_ERR_LEN 4400

typedef struct {
  uint32_t index, of;              /* shard index of of */
  size_t total;                    /* points of the whole sweep */
  size_t first, count;             /* this shard's points */
  uint64_t id;                     /* tsr_sweep_id: shards of one sweep share it */
  char label[TSR_SWEEP_LABEL_LEN]; /* what was swept, one line (the plot's title) */
} tsr_sweep_shard;

/* "I/N" with 0 <= I < N, N at least 1, decimal: 0 or an error message. */
int tsr_sweep_shard_parse(const char *s, uint32_t *index, uint32_t *of,
                          char err[TSR_SWEEP_ERR_LEN]);
/* Points of shard `index` of `of` in a sweep of `total`. */
void tsr_sweep_shard_range(size_t total, uint32_t index, uint32_t of, size_t *first, size_t *count);
/* A fingerprint of the grid and of `context` (what else decides the points:
 * configuration, model, options), the same in every shard of one sweep. */
uint64_t tsr_sweep_id(const tsr_sweep_grid *g, const char *context);
/* The file name of a shard, "shard-I-of-N.rows", into name[64]. */
void tsr_sweep_shard_name(uint32_t index, uint32_t of, char name[64]);

int tsr_sweep_shard_write(FILE *f, const tsr_sweep_shard *h, const tsr_sweep_row *rows);
/* Read one shard file: its header and its h->count rows (*rows, malloc'd). */
int tsr_sweep_shard_read(const char *path, tsr_sweep_shard *h, tsr_sweep_row **rows,
                         char err[TSR_SWEEP_ERR_LEN]);
/* Merge shard files, given as files or as directories whose shard-*-of-*.rows
 * files are taken: every shard of one sweep exactly once. On success *rows
 * (malloc'd) holds the sweep's *n points in order and *h the sweep's header
 * (index 0, first 0, count total); else an error naming the file. */
int tsr_sweep_merge(const char *const *paths, size_t n_paths, tsr_sweep_shard *h,
                    tsr_sweep_row **rows, size_t *n, char err[TSR_SWEEP_ERR_LEN]);

#endif
