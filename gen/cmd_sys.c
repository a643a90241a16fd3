/* cmd_sys.c - see cmd_sys.h. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_sys.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "noc.h"
#include "sweep.h"
#include "sysmodel.h"
#include "workload.h"

const char *const tsr_estimate_help =
    "usage: tessera estimate CONFIG --model MODEL --method METHOD [options]\n"
    "\n"
    "The system-scale model (docs/system-model.md): latency and energy of one training\n"
    "iteration (forward and backward) of one transformer layer on CONFIG's mesh of dies,\n"
    "broken down into compute, NoP link latency, NoP transmission, the DRAM time the\n"
    "on-package execution does not hide; energy into compute, SRAM, NoP and DRAM.\n"
    "\n"
    "  --model MODEL         bert-large, bloom-1.7b, gpt3-6.7b, llama2-70b, or a model\n"
    "                        description FILE (JSON, docs/system-model.md)\n"
    "  --method METHOD       flat, torus, optimus, hecaton, or all (Table III of the paper)\n"
    "  --batch B, --seq S    samples per batch and tokens per sample (default: the model's)\n"
    "  --mesh RxC            rows x cols instead of the configuration's mesh\n"
    "  --dataflow DF         ws or os instead of the configuration's die dataflow\n"
    "  --package KIND        config (the configuration's router and links, the default),\n"
    "                        standard or advanced (UCIe 1.0 packages, docs/system-model.md)\n"
    "  --link-gbps G, --link-ns NS, --link-pj P\n"
    "                        D2D link bandwidth (GB/s), latency (ns), energy (pJ/bit),\n"
    "                        replacing the package's\n"
    "  --compute KIND        model (the die cost model's GEMM cycles, the default) or\n"
    "                        peak (FMA units all busy every cycle)\n"
    "  --no-overlap          DRAM access does not overlap on-package execution\n"
    "  --no-fusion           no layer fusion\n"
    "  --json                JSON on stdout instead of a table\n"
    "  --repeat N            evaluate N times and report microseconds per estimate (stderr)\n";

const char *const tsr_sweep_help =
    "usage: tessera sweep CONFIG --model MODEL -o DIR [axes] [options]\n"
    "\n"
    "Evaluate every combination of the axes with the system-scale model and write\n"
    "  DIR/points.csv   every design point: latency, energy, EDP and the breakdown\n"
    "  DIR/pareto.csv   the Pareto front of latency and energy among the points that\n"
    "                   can run and fit their SRAM (the least EDP is on it)\n"
    "  DIR/pareto.gp    a gnuplot script plotting both into DIR/pareto.svg\n"
    "Axes take comma-separated lists; an axis not given takes CONFIG's value.\n"
    "  --dies N,...      every mesh shape of N dies (rows, cols at most 64)\n"
    "  --mesh RxC,...    mesh shapes\n"
    "  --act-kb K,...    activation buffer per die, KiB\n"
    "  --wgt-kb K,...    weight buffer per die, KiB\n"
    "  --package KIND,...  standard, advanced (default standard)\n"
    "  --link-gbps G,... --link-ns NS,...  link bandwidth and latency (default the package's)\n"
    "  --dataflow DF,... ws, os\n"
    "  --method M,...    flat, torus, optimus, hecaton (default all four)\n"
    "options: --batch B, --seq S, --compute model|peak, --no-overlap, --no-fusion as for\n"
    "  estimate; --plot runs gnuplot on DIR/pareto.gp.\n"
    "Prints the number of points, the evaluation rate (points per second, one core) and\n"
    "the least-EDP point.\n"
    "\n"
    "In shards (docs/cluster.md: a Slurm job array, a task per shard):\n"
    "  --shard I/N       evaluate only shard I (0..N-1) of N, contiguous slices of the\n"
    "                    points, into DIR/shard-I-of-N.rows (exact values, no CSV)\n"
    "  tessera sweep --merge -o DIR [--plot] SHARD...\n"
    "                    merge the shard files (or directories holding them) of every\n"
    "                    shard of one sweep into the files above, byte for byte the\n"
    "                    unsharded run's\n";

typedef struct {
  const char *cmd, *config, *model, *out;
  const char *methods, *package, *mesh, *dies, *act, *wgt, *gbps, *ns, *dataflow;
  const char *link_pj, *shard;
  long batch, seq, repeat;
  int peak, overlap, fusion, json, plot;
} opts;

/* A bad command line: the message, the command's help, exit status 2. */
static int bad(const opts *o, const char *help, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "tessera %s: ", o->cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n\n%s", help);
  return 2;
}

static int parse_long(const char *s, long lo, long hi, long *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (errno || end == s || *end || x < lo || x > hi) return -1;
  *v = x;
  return 0;
}

static int parse_double(const char *s, double *v) {
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (errno || end == s || *end || !isfinite(x)) return -1;
  *v = x;
  return 0;
}

static int parse_opts(int argc, char **argv, const char *help, int sweep, opts *o) {
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
    if (!strcmp(a, "--batch"))
      num = &o->batch;
    else if (!strcmp(a, "--seq"))
      num = &o->seq;
    else if (!strcmp(a, "--repeat") && !sweep)
      num = &o->repeat;
    int compute = !strcmp(a, "--compute");
    if (str || num || compute) {
      if (i + 1 >= argc) return bad(o, help, "%s needs a value", a);
      const char *v = argv[++i];
      if (str)
        *str = v;
      else if (num && parse_long(v, 1, 1 << 20, num))
        return bad(o, help, "%s: '%s' is not allowed, expected an integer 1..1048576", a, v);
      else if (compute && (strcmp(v, "model") && strcmp(v, "peak")))
        return bad(o, help, "--compute: '%s' is not allowed, expected model or peak", v);
      else if (compute)
        o->peak = !strcmp(v, "peak");
    } else if (!strcmp(a, "--no-overlap"))
      o->overlap = 0;
    else if (!strcmp(a, "--no-fusion"))
      o->fusion = 0;
    else if (!strcmp(a, "--json") && !sweep)
      o->json = 1;
    else if (!strcmp(a, "--plot") && sweep)
      o->plot = 1;
    else if (a[0] == '-' && a[1])
      return bad(o, help, "unknown option %s", a);
    else if (!o->config)
      o->config = a;
    else
      return bad(o, help, "unexpected argument %s", a);
  }
  if (!o->config) return bad(o, help, "missing CONFIG");
  if (!o->model)
    return bad(o, help,
               "missing --model, expected bert-large, bloom-1.7b, gpt3-6.7b, "
               "llama2-70b or a model FILE");
  if (!sweep && !o->methods)
    return bad(o, help, "missing --method, expected flat, torus, optimus, hecaton or all");
  if (sweep && !o->out) return bad(o, help, "missing -o DIR");
  return 0;
}

/* "RxC" */
static int parse_shape(const char *s, uint32_t *r, uint32_t *c) {
  char *x;
  long a = strtol(s, &x, 10), b;
  if (x == s || (*x != 'x' && *x != 'X')) return -1;
  if (parse_long(x + 1, 1, TSR_MAX_COLS, &b) || a < 1 || a > TSR_MAX_ROWS) return -1;
  *r = (uint32_t)a;
  *c = (uint32_t)b;
  return 0;
}

/* Split a comma-separated list into up to `max` items; calls item() on each. */
typedef int (*item_fn)(void *ctx, const char *item);
static int each_item(const char *list, int max, item_fn fn, void *ctx) {
  char buf[1024];
  if (strlen(list) >= sizeof buf) return -1;
  strcpy(buf, list);
  int n = 0;
  for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (++n > max || fn(ctx, t)) return -1;
  }
  return n ? 0 : -1;
}

static tsr_config *load_config(const char *path) {
  tsr_config *cfg = malloc(sizeof *cfg);
  char err[TSR_ERR_LEN];
  if (!cfg) return NULL;
  if (tsr_config_load(path, cfg, err)) {
    fprintf(stderr, "%s\n", err);
    free(cfg);
    return NULL;
  }
  return cfg;
}

/* The configuration, the model and the settings both commands share. */
static int setup(const opts *o, const char *help, tsr_sys *s, tsr_workload *w) {
  char err[TSR_SYS_ERR_LEN];
  if (tsr_workload_get(o->model, w, err)) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  if (o->batch) w->batch = (uint32_t)o->batch;
  if (o->seq) w->seq = (uint32_t)o->seq;
  tsr_config *cfg = load_config(o->config);
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
  (void)help;
  return 0;
}

/* ---- estimate ------------------------------------------------------------------------ */

static json_t *result_json(const tsr_sys_result *r, tsr_method m) {
  json_t *o = json_object();
  json_object_set_new(o, "method", json_string(tsr_method_names[m]));
  json_object_set_new(o, "feasible", json_boolean(r->feasible));
  if (!r->feasible) {
    json_object_set_new(o, "why", json_string(r->why));
    return o;
  }
  json_object_set_new(o, "latency_s", json_real(r->seconds));
  json_object_set_new(o, "latency_cycles", json_real(r->total_cycles));
  json_t *lc = json_object(), *en = json_object(), *bc = json_object();
  for (int k = 0; k < TSR_N_TTERMS; k++)
    json_object_set_new(lc, tsr_tterm_names[k], json_real(r->cycles[k]));
  for (int k = 0; k < TSR_N_ETERMS; k++)
    json_object_set_new(en, tsr_eterm_names[k], json_real(r->pj[k]));
  for (int k = 0; k < TSR_N_BLOCKS; k++)
    json_object_set_new(bc, tsr_block_names[k], json_real(r->block_cycles[k]));
  json_object_set_new(o, "latency_breakdown_cycles", lc);
  json_object_set_new(o, "compute_local_copy_cycles", json_real(r->copy_cycles));
  json_object_set_new(o, "energy_pj", json_real(r->energy_pj));
  json_object_set_new(o, "energy_breakdown_pj", en);
  json_object_set_new(o, "on_package_cycles_by_block", bc);
  json_object_set_new(o, "edp_js", json_real(r->edp));
  json_object_set_new(o, "minibatch_samples", json_integer(r->mb_samples));
  json_object_set_new(o, "minibatches", json_integer(r->minibatches));
  json_object_set_new(o, "fusion", json_string(tsr_fuse_names[r->fusion]));
  json_t *sr = json_object();
  json_object_set_new(sr, "act_need_words", json_real(r->act_need));
  json_object_set_new(sr, "act_have_words", json_real(r->act_have));
  json_object_set_new(sr, "wgt_need_words", json_real(r->wgt_need));
  json_object_set_new(sr, "wgt_have_words", json_real(r->wgt_have));
  json_object_set_new(sr, "fits", json_boolean(r->sram_ok));
  json_object_set_new(o, "sram", sr);
  json_object_set_new(o, "dram_bytes", json_real(r->dram_bytes));
  json_object_set_new(o, "nop_link_bits", json_real(r->nop_bits));
  return o;
}

static void print_header(const tsr_sys *s, const tsr_workload *w) {
  const tsr_config *c = s->cfg;
  double clk = c->technology.clock_mhz;
  printf("%s: h %u, %u heads, ffn %u, batch %u x seq %u; %s: %u x %u dies of %u FMA units (%s), "
         "%llu KiB + %llu KiB\n",
         w->name, w->hidden, w->heads, w->ffn, w->batch, w->seq, c->name, c->mesh.rows,
         c->mesh.cols, tsr_die_units(&c->die), c->die.dataflow == TSR_DF_OS ? "os" : "ws",
         (unsigned long long)c->die.act_buffer.bytes / 1024,
         (unsigned long long)c->die.weight_buffer.bytes / 1024);
  printf("link %u bits/cycle (%.1f GB/s), %u cycles (%.1f ns), %.2f pJ/bit; %.0f MHz; compute %s; "
         "overlap %s; fusion %s\n\n",
         c->router.flit_bits, c->router.flit_bits * clk / 8000.0, c->router.link_latency,
         c->router.link_latency * 1000.0 / clk, c->technology.energy_pj.link_bit, clk,
         s->peak ? "peak" : "die model", s->overlap ? "on" : "off", s->fusion ? "on" : "off");
  printf("%-8s %11s %8s %8s %8s %8s %10s %8s %8s %8s %8s %10s %6s %6s %5s\n", "method",
         "latency_ms", "compute", "nop_lat", "nop_tx", "dram", "energy_mJ", "compute", "sram",
         "nop", "dram", "edp_Js", "n x b", "fused", "sram");
}

static void print_row(const tsr_sys_result *r, tsr_method m) {
  if (!r->feasible) {
    printf("%-8s cannot run: %s\n", tsr_method_names[m], r->why);
    return;
  }
  printf("%-8s %11.4f", tsr_method_names[m], r->seconds * 1e3);
  for (int k = 0; k < TSR_N_TTERMS; k++)
    printf(" %7.1f%%", 100 * r->cycles[k] / r->total_cycles);
  printf(" %10.3f", r->energy_pj * 1e-9);
  for (int k = 0; k < TSR_N_ETERMS; k++)
    printf(" %7.1f%%", 100 * r->pj[k] / r->energy_pj);
  printf(" %10.3e %3ux%-2u %6s %5s\n", r->edp, r->minibatches, r->mb_samples,
         r->fusion == TSR_FUSE_ALL    ? "all"
         : r->fusion == TSR_FUSE_ATTN ? "attn"
                                      : "none",
         r->sram_ok ? "ok" : "over");
}

static double clock_s(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static double now_s(void) {
  return clock_s(CLOCK_MONOTONIC);
}
static double cpu_s(void) {
  return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* --package, --link-*: the link as evaluated. */
static int apply_link(const opts *o, const char *help, tsr_sys *s, const char *pkg_name) {
  char err[TSR_SYS_ERR_LEN];
  tsr_config *c = s->cfg;
  double clk = c->technology.clock_mhz;
  tsr_package_link l = {c->router.flit_bits * clk / 8000.0, c->router.link_latency * 1000.0 / clk,
                        c->technology.energy_pj.link_bit};
  int given = 0;
  if (pkg_name && strcmp(pkg_name, "config")) {
    int k = -1;
    for (int i = 0; i < TSR_N_PKGS; i++)
      if (!strcmp(pkg_name, tsr_package_names[i])) k = i;
    if (k < 0)
      return bad(o, help, "--package: '%s' is not allowed, expected config, standard or advanced",
                 pkg_name);
    l = tsr_packages[k];
    given = 1;
  }
  const char *names[3] = {"--link-gbps", "--link-ns", "--link-pj"};
  const char *vals[3] = {o->gbps, o->ns, o->link_pj};
  double *dst[3] = {&l.gbps, &l.latency_ns, &l.pj_per_bit};
  for (int i = 0; i < 3; i++) {
    if (!vals[i]) continue;
    if (parse_double(vals[i], dst[i]))
      return bad(o, help, "%s: '%s' is not a number", names[i], vals[i]);
    given = 1;
  }
  if (given && tsr_sys_set_link(s, l.gbps, l.latency_ns, l.pj_per_bit, err)) {
    fprintf(stderr, "tessera %s: %s\n", o->cmd, err);
    return 2;
  }
  return 0;
}

int tsr_cmd_estimate(int argc, char **argv) {
  opts o;
  int rc = parse_opts(argc, argv, tsr_estimate_help, 0, &o);
  if (rc) return rc;
  int methods[TSR_N_METHODS], n_m = 0;
  if (!strcmp(o.methods, "all")) {
    for (int m = 0; m < TSR_N_METHODS; m++)
      methods[n_m++] = m;
  } else if ((methods[0] = tsr_method_find(o.methods)) >= 0) {
    n_m = 1;
  } else {
    return bad(&o, tsr_estimate_help, "--method: '%s' is not allowed, expected %s", o.methods,
               "flat, torus, optimus, hecaton or all");
  }
  uint32_t rows = 0, cols = 0;
  if (o.mesh && parse_shape(o.mesh, &rows, &cols))
    return bad(&o, tsr_estimate_help,
               "--mesh: '%s' is not allowed, expected RxC with rows and "
               "cols 1..64",
               o.mesh);
  tsr_sys s;
  tsr_workload w;
  if ((rc = setup(&o, tsr_estimate_help, &s, &w))) return rc;
  if (rows) s.cfg->mesh.rows = rows, s.cfg->mesh.cols = cols;
  if (o.dataflow && strcmp(o.dataflow, "ws") && strcmp(o.dataflow, "os")) {
    rc = bad(&o, tsr_estimate_help, "--dataflow: '%s' is not allowed, expected ws or os",
             o.dataflow);
    goto done;
  }
  if (o.dataflow) s.cfg->die.dataflow = strcmp(o.dataflow, "os") ? TSR_DF_WS : TSR_DF_OS;
  if ((rc = apply_link(&o, tsr_estimate_help, &s, o.package))) goto done;
  tsr_sys_result res[TSR_N_METHODS];
  for (int i = 0; i < n_m; i++)
    tsr_sys_estimate(&s, &w, (tsr_method)methods[i], &res[i]);
  if (o.repeat) {
    double t0 = cpu_s(), sink = 0;
    for (long k = 0; k < o.repeat; k++) {
      tsr_sys_estimate(&s, &w, (tsr_method)methods[0], &res[0]);
      sink += res[0].seconds;
    }
    double us = (cpu_s() - t0) / o.repeat * 1e6;
    fprintf(stderr, "%ld estimates of %s (%s, %u x %u): %.3f us of CPU each (checksum %g)\n",
            o.repeat, w.name, tsr_method_names[methods[0]], s.cfg->mesh.rows, s.cfg->mesh.cols, us,
            sink);
  }
  if (o.json) {
    json_t *root = json_object(), *arr = json_array(), *sys = json_object(), *mod = json_object();
    const tsr_config *c = s.cfg;
    json_object_set_new(root, "config", json_string(c->name));
    json_object_set_new(mod, "name", json_string(w.name));
    json_object_set_new(mod, "hidden", json_integer(w.hidden));
    json_object_set_new(mod, "heads", json_integer(w.heads));
    json_object_set_new(mod, "ffn", json_integer(w.ffn));
    json_object_set_new(mod, "batch", json_integer(w.batch));
    json_object_set_new(mod, "seq", json_integer(w.seq));
    json_object_set_new(root, "model", mod);
    json_object_set_new(sys, "rows", json_integer(c->mesh.rows));
    json_object_set_new(sys, "cols", json_integer(c->mesh.cols));
    json_object_set_new(sys, "clock_mhz", json_real(c->technology.clock_mhz));
    json_object_set_new(sys, "link_flit_bits", json_integer(c->router.flit_bits));
    json_object_set_new(sys, "link_latency_cycles", json_integer(c->router.link_latency));
    json_object_set_new(sys, "link_pj_per_bit", json_real(c->technology.energy_pj.link_bit));
    json_object_set_new(sys, "compute", json_string(s.peak ? "peak" : "model"));
    json_object_set_new(sys, "overlap", json_boolean(s.overlap));
    json_object_set_new(sys, "fusion", json_boolean(s.fusion));
    json_object_set_new(root, "system", sys);
    for (int i = 0; i < n_m; i++) {
      json_t *r = result_json(&res[i], (tsr_method)methods[i]);
      if (i == 0 && res[i].feasible)
        json_object_set_new(sys, "dram_bytes_per_cycle", json_real(res[i].dram_bytes_per_cycle));
      json_array_append_new(arr, r);
    }
    json_object_set_new(root, "methods", arr);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
    if (text) printf("%s\n", text);
    free(text);
    json_decref(root);
  } else {
    print_header(&s, &w);
    for (int i = 0; i < n_m; i++)
      print_row(&res[i], (tsr_method)methods[i]);
  }
done:
  tsr_sys_free(&s);
  return rc;
}

/* ---- sweep --------------------------------------------------------------------------- */

typedef struct {
  tsr_sweep_grid *g;
} grid_ctx;

static int it_dies(void *p, const char *t) {
  grid_ctx *c = p;
  long v;
  return parse_long(t, 1, TSR_MAX_DIES, &v) || tsr_sweep_add_dies(c->g, (uint32_t)v);
}
static int it_mesh(void *p, const char *t) {
  grid_ctx *c = p;
  tsr_sweep_grid *g = c->g;
  if (g->n_shapes >= sizeof g->rows / sizeof g->rows[0]) return -1;
  if (parse_shape(t, &g->rows[g->n_shapes], &g->cols[g->n_shapes])) return -1;
  g->n_shapes++;
  return 0;
}
static int it_kb(uint32_t *v, uint32_t *n, const char *t) {
  long x;
  if (parse_long(t, 1, 65536, &x)) return -1;
  v[(*n)++] = (uint32_t)x;
  return 0;
}
static int it_act(void *p, const char *t) {
  grid_ctx *c = p;
  return it_kb(c->g->act_kb, &c->g->n_act, t);
}
static int it_wgt(void *p, const char *t) {
  grid_ctx *c = p;
  return it_kb(c->g->wgt_kb, &c->g->n_wgt, t);
}
static int it_pkg(void *p, const char *t) {
  grid_ctx *c = p;
  for (uint32_t i = 0; i < TSR_N_PKGS; i++)
    if (!strcmp(t, tsr_package_names[i])) {
      c->g->pkg[c->g->n_pkg++] = i;
      return 0;
    }
  return -1;
}
static int it_gbps(void *p, const char *t) {
  grid_ctx *c = p;
  double v;
  if (parse_double(t, &v) || !(v > 0)) return -1;
  c->g->gbps[c->g->n_gbps++] = v;
  return 0;
}
static int it_ns(void *p, const char *t) {
  grid_ctx *c = p;
  double v;
  if (parse_double(t, &v) || !(v >= 0)) return -1;
  c->g->ns[c->g->n_ns++] = v;
  return 0;
}
static int it_df(void *p, const char *t) {
  grid_ctx *c = p;
  if (strcmp(t, "ws") && strcmp(t, "os")) return -1;
  c->g->dataflow[c->g->n_df++] = !strcmp(t, "os");
  return 0;
}
static int it_method(void *p, const char *t) {
  grid_ctx *c = p;
  int m = tsr_method_find(t);
  if (m < 0) return -1;
  c->g->method[c->g->n_method++] = (uint32_t)m;
  return 0;
}

/* Write text produced by fn into DIR/NAME through a temporary file. */
typedef int (*write_fn)(FILE *f, const void *ctx);
static int write_out(const char *dir, const char *name, write_fn fn, const void *ctx) {
  char path[4096], tmp[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int ok = f && fn(f, ctx) == 0;
  if (f && fclose(f)) ok = 0;
  if (!ok || rename(tmp, path)) {
    fprintf(stderr, "tessera sweep: cannot write %s\n", path);
    remove(tmp);
    return -1;
  }
  return 0;
}

typedef struct {
  const tsr_sweep_row *rows;
  size_t n;
  int only;
} csv_ctx;
static int csv_out(FILE *f, const void *p) {
  const csv_ctx *c = p;
  return tsr_sweep_csv(f, c->rows, c->n, c->only);
}

static int gp_out(FILE *f, const void *p) {
  const char *title = p;
  return fprintf(
             f,
             "# gnuplot script written by `tessera sweep`: latency against energy of every\n"
             "# point that can run and fits its SRAM, and the Pareto front.\n"
             "set terminal svg size 900,600 dynamic\n"
             "set output 'pareto.svg'\n"
             "set datafile separator ','\n"
             "set title '%s'\n"
             "set xlabel 'latency per layer iteration (ms)'\n"
             "set ylabel 'energy per layer iteration (mJ)'\n"
             "set logscale xy\n"
             "set key top right\n"
             "plot 'points.csv' skip 1 using (($11 == 1 && $12 == 1) ? $15 * 1e3 : 1/0):($16 * "
             "1e3) with points pt 7 ps 0.3 lc rgb '#b0b0b0' title 'design points', \\\n"
             "     'pareto.csv' skip 1 using ($15 * 1e3):($16 * 1e3) with linespoints pt 7 ps 0.6 "
             "lc rgb '#c03030' title 'Pareto front'\n",
             title) < 0
             ? -1
             : 0;
}

/* DIR/points.csv, pareto.csv and pareto.gp of the sweep's n rows, its Pareto
 * front marked, and the summary on stdout; dt < 0: rows merged from shards. */
static int sweep_write(const char *out, int plot, const char *label, tsr_sweep_row *rows, size_t n,
                       double dt, double dc) {
  long best;
  size_t front = tsr_sweep_pareto(rows, n, &best), feasible = 0, fit = 0;
  for (size_t i = 0; i < n; i++)
    feasible += rows[i].feasible, fit += rows[i].feasible && rows[i].sram_ok;
  int rc = 0;
  if (mkdir(out, 0777) && errno != EEXIST) {
    fprintf(stderr, "tessera sweep: cannot create %s: %s\n", out, strerror(errno));
    rc = 1;
  }
  char title[TSR_SWEEP_LABEL_LEN + 100];
  snprintf(title, sizeof title, "%s: %zu design points, %zu on the Pareto front", label, fit,
           front);
  csv_ctx all = {rows, n, 0}, par = {rows, n, 1};
  if (!rc &&
      (write_out(out, "points.csv", csv_out, &all) || write_out(out, "pareto.csv", csv_out, &par) ||
       write_out(out, "pareto.gp", gp_out, title)))
    rc = 1;
  if (!rc) {
    if (dt < 0)
      printf("%zu points (%zu can run, %zu fit their SRAM) merged from shards\n", n, feasible, fit);
    else
      printf("%zu points (%zu can run, %zu fit their SRAM) in %.3f s: %.0f points/s wall, %.0f "
             "points per CPU second (evaluation only, one core)\n",
             n, feasible, fit, dt, dt > 0 ? n / dt : 0.0, dc > 0 ? n / dc : 0.0);
    printf("Pareto front: %zu points, %s/pareto.csv\n", front, out);
    if (best >= 0) {
      const tsr_sweep_row *b = &rows[best];
      printf("least EDP: %u x %u %s, %s package, %g GB/s, %g ns, %u + %u KiB, %s: %.4f ms, "
             "%.3f mJ, EDP %.3e J s\n",
             b->rows, b->cols, tsr_method_names[b->method], tsr_package_names[b->pkg], b->gbps,
             b->ns, b->act_kb, b->wgt_kb, b->dataflow ? "os" : "ws", b->seconds * 1e3,
             b->joules * 1e3, b->edp);
    }
  }
  if (!rc && plot) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot pareto.gp", out);
    if (strchr(out, '\'') || system(cmd)) {
      fprintf(stderr, "tessera sweep: gnuplot failed on %s/pareto.gp\n", out);
      rc = 1;
    } else
      printf("plot: %s/pareto.svg\n", out);
  }
  return rc;
}

/* --shard I/N: evaluate the shard's points into DIR/shard-I-of-N.rows. */
typedef struct {
  const tsr_sweep_shard *h;
  const tsr_sweep_row *rows;
} shard_ctx;
static int shard_out(FILE *f, const void *p) {
  const shard_ctx *c = p;
  return tsr_sweep_shard_write(f, c->h, c->rows);
}
static int sweep_shard(const opts *o, tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                       tsr_sweep_shard *h) {
  tsr_sweep_shard_range(h->total, h->index, h->of, &h->first, &h->count);
  tsr_sweep_row *rows = malloc((h->count ? h->count : 1) * sizeof *rows);
  if (!rows) {
    fprintf(stderr, "tessera sweep: out of memory for %zu points\n", h->count);
    return 1;
  }
  double t0 = now_s();
  tsr_sweep_run_range(s, w, g, h->first, h->count, rows);
  double dt = now_s() - t0;
  char name[64];
  tsr_sweep_shard_name(h->index, h->of, name);
  shard_ctx c = {h, rows};
  int rc = 0;
  if (mkdir(o->out, 0777) && errno != EEXIST) {
    fprintf(stderr, "tessera sweep: cannot create %s: %s\n", o->out, strerror(errno));
    rc = 1;
  } else if (write_out(o->out, name, shard_out, &c))
    rc = 1;
  else if (h->count)
    printf("shard %u/%u: points %zu..%zu of %zu in %.3f s: %s/%s\n", h->index, h->of, h->first,
           h->first + h->count - 1, h->total, dt, o->out, name);
  else
    printf("shard %u/%u: none of the %zu points (more shards than points): %s/%s\n", h->index,
           h->of, h->total, o->out, name);
  free(rows);
  return rc;
}

/* tessera sweep --merge -o DIR [--plot] SHARD... */
static int sweep_merge(int argc, char **argv) {
  opts o = {.cmd = argv[1]};
  const char **paths = calloc((size_t)argc, sizeof *paths);
  size_t n_paths = 0;
  if (!paths) return 1;
  for (int i = 3; i < argc; i++) {
    if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
      o.out = argv[++i];
    else if (!strcmp(argv[i], "--plot"))
      o.plot = 1;
    else if (argv[i][0] == '-' && argv[i][1]) {
      free(paths);
      return bad(&o, tsr_sweep_help, "--merge: unknown option %s (expected -o DIR, --plot)",
                 argv[i]);
    } else
      paths[n_paths++] = argv[i];
  }
  if (!o.out || !n_paths) {
    free(paths);
    return bad(&o, tsr_sweep_help, "--merge needs -o DIR and the shard files or directories");
  }
  tsr_sweep_shard h;
  tsr_sweep_row *rows;
  size_t n;
  char err[TSR_SWEEP_ERR_LEN];
  int rc = tsr_sweep_merge(paths, n_paths, &h, &rows, &n, err);
  free(paths);
  if (rc) {
    fprintf(stderr, "tessera sweep --merge: %s\n", err);
    return 1;
  }
  rc = sweep_write(o.out, o.plot, h.label, rows, n, -1, 0);
  free(rows);
  return rc;
}

int tsr_cmd_sweep(int argc, char **argv) {
  opts o;
  if (argc > 2 && !strcmp(argv[2], "--merge")) return sweep_merge(argc, argv);
  int rc = parse_opts(argc, argv, tsr_sweep_help, 1, &o);
  if (rc) return rc;
  tsr_sweep_shard sh = {0};
  char sh_err[TSR_SWEEP_ERR_LEN];
  if (o.shard && tsr_sweep_shard_parse(o.shard, &sh.index, &sh.of, sh_err))
    return bad(&o, tsr_sweep_help, "%s", sh_err);
  static tsr_sweep_grid g;
  memset(&g, 0, sizeof g);
  grid_ctx gc = {&g};
  struct {
    const char *opt, *val, *expected;
    item_fn fn;
  } axes[] = {
      {"--dies", o.dies, "a list of die counts 1..4096 with a shape of at most 64 x 64", it_dies},
      {"--mesh", o.mesh, "a list of RxC shapes, rows and cols 1..64", it_mesh},
      {"--act-kb", o.act, "a list of sizes 1..65536 KiB", it_act},
      {"--wgt-kb", o.wgt, "a list of sizes 1..65536 KiB", it_wgt},
      {"--package", o.package, "a list of standard, advanced", it_pkg},
      {"--link-gbps", o.gbps, "a list of bandwidths above 0 GB/s", it_gbps},
      {"--link-ns", o.ns, "a list of latencies of at least 0 ns", it_ns},
      {"--dataflow", o.dataflow, "a list of ws, os", it_df},
      {"--method", o.methods, "a list of flat, torus, optimus, hecaton", it_method},
  };
  for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++) {
    if (!axes[i].val) continue;
    int max = i < 2    ? TSR_SWEEP_MAX
              : i == 4 ? TSR_N_PKGS
              : i == 7 ? 2
              : i == 8 ? TSR_N_METHODS
                       : TSR_SWEEP_MAX;
    if (each_item(axes[i].val, max, axes[i].fn, &gc))
      return bad(&o, tsr_sweep_help, "%s: '%s' is not allowed, expected %s", axes[i].opt,
                 axes[i].val, axes[i].expected);
  }
  tsr_sys s;
  tsr_workload w;
  if ((rc = setup(&o, tsr_sweep_help, &s, &w))) return rc;
  tsr_config *c = s.cfg;
  if (!g.n_shapes) {
    g.rows[0] = c->mesh.rows;
    g.cols[0] = c->mesh.cols;
    g.n_shapes = 1;
  }
  if (!g.n_act) g.act_kb[g.n_act++] = (uint32_t)(c->die.act_buffer.bytes / 1024);
  if (!g.n_wgt) g.wgt_kb[g.n_wgt++] = (uint32_t)(c->die.weight_buffer.bytes / 1024);
  if (!g.n_pkg) g.pkg[g.n_pkg++] = TSR_PKG_STANDARD;
  if (!g.n_gbps) g.gbps[g.n_gbps++] = 0;
  if (!g.n_ns) g.ns[g.n_ns++] = -1;
  if (!g.n_df) g.dataflow[g.n_df++] = c->die.dataflow;
  if (!g.n_method)
    for (uint32_t m = 0; m < TSR_N_METHODS; m++)
      g.method[g.n_method++] = m;
  char err[TSR_SYS_ERR_LEN];
  for (uint32_t p = 0; p < g.n_pkg; p++) /* every link value must be one the router can take */
    for (uint32_t b = 0; b < g.n_gbps; b++)
      for (uint32_t l = 0; l < g.n_ns; l++) {
        const tsr_package_link *pk = &tsr_packages[g.pkg[p]];
        if (tsr_sys_set_link(&s, g.gbps[b] > 0 ? g.gbps[b] : pk->gbps,
                             g.ns[l] >= 0 ? g.ns[l] : pk->latency_ns, pk->pj_per_bit, err)) {
          fprintf(stderr, "tessera sweep: %s\n", err);
          tsr_sys_free(&s);
          return 2;
        }
      }
  size_t n = tsr_sweep_count(&g);
  char label[TSR_SWEEP_LABEL_LEN];
  snprintf(label, sizeof label, "%s, batch %u x seq %u", w.name, w.batch, w.seq);
  if (o.shard) { /* the points of one shard; the id: what else makes them */
    char ctx[4400];
    snprintf(ctx, sizeof ctx, "%s|%s|peak %d overlap %d fusion %d", o.config, label, o.peak,
             o.overlap, o.fusion);
    sh.total = n;
    sh.id = tsr_sweep_id(&g, ctx);
    snprintf(sh.label, sizeof sh.label, "%s", label);
    rc = sweep_shard(&o, &s, &w, &g, &sh);
    tsr_sys_free(&s);
    return rc;
  }
  tsr_sweep_row *rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows) {
    fprintf(stderr, "tessera sweep: out of memory for %zu points\n", n);
    tsr_sys_free(&s);
    return 1;
  }
  double t0 = now_s(), c0 = cpu_s();
  tsr_sweep_run(&s, &w, &g, rows);
  double dt = now_s() - t0, dc = cpu_s() - c0;
  rc = sweep_write(o.out, o.plot, label, rows, n, dt, dc);
  free(rows);
  tsr_sys_free(&s);
  return rc;
}
