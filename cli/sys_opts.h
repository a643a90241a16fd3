/* sys_opts.h - what `tessera estimate` and `tessera sweep` share: their
 * options, the loading of the configuration and the model description, the
 * clocks they time themselves with. */
#ifndef TESSERA_SYS_OPTS_H
#define TESSERA_SYS_OPTS_H

#include "sysmodel.h"
#include "workload.h"

typedef struct {
  const char *cmd, *config, *model, *out;
  const char *methods, *package, *mesh, *dies, *act, *wgt, *gbps, *ns, *dataflow;
  const char *link_pj, *shard;
  const char *max_points; /* sweep: the cap on design points (--max-points) */
  long batch, seq, repeat;
  int peak, overlap, fusion, seq_par, json, plot;
} tsr_sys_opts;

/* A bad command line: the message, the command's help, exit status 2. */

/* A bad command line: the message, the command's help, exit status 2. */
int tsr_sys_bad(const tsr_sys_opts *o, const char *help, const char *fmt, ...);
/* A whole number in lo..hi, or a finite number: 0, or -1 if s is not one. */
int tsr_sys_parse_long(const char *s, long lo, long hi, long *v);
int tsr_sys_parse_double(const char *s, double *v);
/* Both commands' options; sweep != 0 admits the sweep's axes. 0, or 2. */
int tsr_sys_parse_opts(int argc, char **argv, const char *help, int sweep, tsr_sys_opts *o);
/* "RxC": 0, or -1. */
int tsr_sys_parse_shape(const char *s, uint32_t *r, uint32_t *c);
/* Call fn on each comma-separated item of list (at most max): 0, or -1. */
typedef int (*tsr_sys_item_fn)(void *ctx, const char *item);
int tsr_sys_each_item(const char *list, int max, tsr_sys_item_fn fn, void *ctx);
/* The configuration, the model and the settings both commands share: 0, or
 * the exit status after printing why. */
int tsr_sys_setup(const tsr_sys_opts *o, const char *help, tsr_sys *s, tsr_workload *w);
/* 0 when every number of r is finite; else prints which one is not, for
 * method m, and returns 2: estimate and sweep never print inf or nan. */
int tsr_sys_check_finite(const tsr_sys_opts *o, const tsr_sys_result *r, int m);
/* Wall-clock and process CPU seconds. */
double tsr_sys_now_s(void);
double tsr_sys_cpu_s(void);

#endif
