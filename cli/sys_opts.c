/* sys_opts.c - see sys_opts.h. */
#define _POSIX_C_SOURCE 200809L
#include "sys_opts.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "config.h"

int tsr_sys_bad(const tsr_sys_opts *o, const char *help, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "tessera %s: ", o->cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n\n%s", help);
  return 2;
}

int tsr_sys_parse_long(const char *s, long lo, long hi, long *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (errno || end == s || *end || x < lo || x > hi) return -1;
  *v = x;
  return 0;
}

int tsr_sys_parse_double(const char *s, double *v) {
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (errno || end == s || *end || !isfinite(x)) return -1;
  *v = x;
  return 0;
}

int tsr_sys_parse_opts(int argc, char **argv, const char *help, int sweep, tsr_sys_opts *o) {
  memset(o, 0, sizeof *o);
  o->cmd = argv[1];
  o->overlap = o->fusion = 1;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char **str = NULL;
    long *num = NULL;
    if (!strcmp(a, "--model"))
      str = &o->model;
    else if (!strcmp(a, "--method"))
      str = &o->methods;
    else if (!strcmp(a, "--package"))
      str = &o->package;
    else if (!strcmp(a, "--mesh"))
      str = &o->mesh;
    else if (!strcmp(a, "--link-gbps"))
      str = &o->gbps;
    else if (!strcmp(a, "--link-ns"))
      str = &o->ns;
    else if (!strcmp(a, "--link-pj") && !sweep)
      str = &o->link_pj;
    else if (!strcmp(a, "--dies") && sweep)
      str = &o->dies;
    else if (!strcmp(a, "--act-kb") && sweep)
      str = &o->act;
    else if (!strcmp(a, "--wgt-kb") && sweep)
      str = &o->wgt;
    else if (!strcmp(a, "--dataflow"))
      str = &o->dataflow;
    else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && sweep)
      str = &o->out;
    else if (!strcmp(a, "--shard") && sweep)
      str = &o->shard;
    else if (!strcmp(a, "--max-points") && sweep)
      str = &o->max_points;
    if (!strcmp(a, "--batch"))
      num = &o->batch;
    else if (!strcmp(a, "--seq"))
      num = &o->seq;
    else if (!strcmp(a, "--repeat") && !sweep)
      num = &o->repeat;
    int compute = !strcmp(a, "--compute");
    if (str || num || compute) {
      if (i + 1 >= argc) return tsr_sys_bad(o, help, "%s needs a value", a);
      const char *v = argv[++i];
      if (str)
        *str = v;
      else if (num && tsr_sys_parse_long(v, 1, 1 << 20, num))
        return tsr_sys_bad(o, help, "%s: '%s' is not allowed, expected an integer 1..1048576", a, v);
      else if (compute && (strcmp(v, "model") && strcmp(v, "peak")))
        return tsr_sys_bad(o, help, "--compute: '%s' is not allowed, expected model or peak", v);
      else if (compute)
        o->peak = !strcmp(v, "peak");
    } else if (!strcmp(a, "--no-overlap"))
      o->overlap = 0;
    else if (!strcmp(a, "--no-fusion"))
      o->fusion = 0;
    else if (!strcmp(a, "--sequence-parallel"))
      o->seq_par = 1;
    else if (!strcmp(a, "--json") && !sweep)
      o->json = 1;
    else if (!strcmp(a, "--plot") && sweep)
      o->plot = 1;
    else if (a[0] == '-' && a[1])
      return tsr_sys_bad(o, help, "unknown option %s", a);
    else if (!o->config)
      o->config = a;
    else
      return tsr_sys_bad(o, help, "unexpected argument %s", a);
  }
  if (!o->config) return tsr_sys_bad(o, help, "missing CONFIG");
  if (!o->model)
    return tsr_sys_bad(o, help,
               "missing --model, expected bert-large, bloom-1.7b, gpt3-6.7b, "
               "llama2-70b or a model FILE");
  if (!sweep && !o->methods)
    return tsr_sys_bad(o, help, "missing --method, expected flat, torus, optimus, hecaton or all");
  if (sweep && !o->out) return tsr_sys_bad(o, help, "missing -o DIR");
  return 0;
}

/* "RxC" */
int tsr_sys_parse_shape(const char *s, uint32_t *r, uint32_t *c) {
  char *x;
  long a = strtol(s, &x, 10), b;
  if (x == s || (*x != 'x' && *x != 'X')) return -1;
  if (tsr_sys_parse_long(x + 1, 1, TSR_MAX_COLS, &b) || a < 1 || a > TSR_MAX_ROWS) return -1;
  *r = (uint32_t)a;
  *c = (uint32_t)b;
  return 0;
}

/* Split a comma-separated list into up to `max` items; calls item() on each. */
int tsr_sys_each_item(const char *list, int max, tsr_sys_item_fn fn, void *ctx) {
  char buf[1024];
  if (strlen(list) >= sizeof buf) return -1;
  strcpy(buf, list);
  int n = 0;
  for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (++n > max || fn(ctx, t)) return -1;
  }
  return n ? 0 : -1;
}

/* The configuration, the model and the settings both commands share. */
int tsr_sys_setup(const tsr_sys_opts *o, const char *help, tsr_sys *s, tsr_workload *w) {
  char err[TSR_SYS_ERR_LEN];
  if (tsr_workload_get(o->model, w, err)) {
    tsr_cli_error(err);
    return 2;
  }
  if (o->batch) w->batch = (uint32_t)o->batch;
  if (o->seq) w->seq = (uint32_t)o->seq;
  tsr_config *cfg = tsr_cli_load_config(o->config);
  if (!cfg) return 2;
  int rc = tsr_sys_init(s, cfg, err);
  free(cfg);
  if (rc) {
    fprintf(stderr, "tessera %s: %s\n", o->cmd, err);
    return 1;
  }
  s->peak = o->peak;
  s->overlap = o->overlap;
  s->fusion = o->fusion;
  s->seq_par = o->seq_par;
  (void)help;
  return 0;
}

int tsr_sys_check_finite(const tsr_sys_opts *o, const tsr_sys_result *r, int m) {
  if (!r->feasible) return 0;
  struct {
    const char *what;
    double v;
  } v[] = {{"latency (s)", r->seconds},          {"energy (pJ)", r->energy_pj},
           {"energy-delay product", r->edp},     {"cycles", r->total_cycles},
           {"DRAM bytes", r->dram_bytes},        {"link bits", r->nop_bits},
           {"compute cycles", r->cycles[TSR_T_COMPUTE]}, {"link cycles", r->cycles[TSR_T_LINK]},
           {"transmission cycles", r->cycles[TSR_T_TRANS]}, {"DRAM cycles", r->cycles[TSR_T_DRAM]},
           {"compute energy", r->pj[TSR_EN_COMPUTE]}, {"SRAM energy", r->pj[TSR_EN_SRAM]},
           {"link energy", r->pj[TSR_EN_NOP]},   {"DRAM energy", r->pj[TSR_EN_DRAM]}};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    if (!isfinite(v[i].v)) {
      fprintf(stderr,
              "tessera %s: %s: the model's %s is %g, not a finite number; refusing to print it "
              "(a value outside the model's range: expected smaller energies per bit or event, "
              "or a smaller model)\n",
              o->cmd, tsr_method_names[m], v[i].what, v[i].v);
      return 2;
    }
  return 0;
}

static double clock_s(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
double tsr_sys_now_s(void) {
  return clock_s(CLOCK_MONOTONIC);
}
double tsr_sys_cpu_s(void) {
  return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

