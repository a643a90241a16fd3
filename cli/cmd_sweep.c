/* cmd_sweep.c - `tessera sweep`: the system-scale model over a grid of design points and
 * their Pareto front (models/sweep.h, docs/system-model.md). */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "outdir.h"
#include "sweep.h"
#include "sys_opts.h"

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
    "options: --batch B, --seq S, --compute model|peak, --no-overlap, --no-fusion,\n"
    "  --sequence-parallel as for estimate; --plot runs gnuplot on DIR/pareto.gp.\n"
    "  --max-points N    refuse (exit 2) a sweep of more than N design points (default\n"
    "                    1000000); progress goes to stderr on sweeps longer than 2 s.\n"
    "DIR is new, empty or a previous output of `tessera sweep` (docs/output-dirs.md).\n"
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

/* The most design points a sweep takes unless --max-points says more (about
 * 100 MB of rows and some minutes of evaluation). */
#define TSR_SWEEP_DEFAULT_CAP 1000000L

typedef struct {
  tsr_sweep_grid *g;
} grid_ctx;

static int it_dies(void *p, const char *t) {
  grid_ctx *c = p;
  long v;
  return tsr_sys_parse_long(t, 1, TSR_MAX_DIES, &v) || tsr_sweep_add_dies(c->g, (uint32_t)v);
}
static int it_mesh(void *p, const char *t) {
  grid_ctx *c = p;
  tsr_sweep_grid *g = c->g;
  if (g->n_shapes >= sizeof g->rows / sizeof g->rows[0]) return -1;
  if (tsr_sys_parse_shape(t, &g->rows[g->n_shapes], &g->cols[g->n_shapes])) return -1;
  g->n_shapes++;
  return 0;
}
static int it_kb(uint32_t *v, uint32_t *n, const char *t) {
  long x;
  if (tsr_sys_parse_long(t, 1, 65536, &x)) return -1;
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
  if (tsr_sys_parse_double(t, &v) || !(v > 0)) return -1;
  c->g->gbps[c->g->n_gbps++] = v;
  return 0;
}
static int it_ns(void *p, const char *t) {
  grid_ctx *c = p;
  double v;
  if (tsr_sys_parse_double(t, &v) || !(v >= 0)) return -1;
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

/* Write text produced by fn into the output directory's NAME. */
typedef int (*write_fn)(FILE *f, const void *ctx);
static int write_out(tsr_outdir *d, const char *name, write_fn fn, const void *ctx) {
  char err[TSR_ERR_LEN];
  FILE *f = tsr_outdir_fopen(d, name, err);
  int ok = f && fn(f, ctx) == 0;
  if (f && fclose(f)) ok = 0;
  if (!ok) {
    fprintf(stderr, "tessera sweep: cannot write %s/%s%s%s\n", d->path, name, f ? "" : ": ",
            f ? "" : err);
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
  const char *title = p; /* tsr_cli_gp_text: nothing in it ends the quotes */
  return fprintf(
             f,
             "# gnuplot script written by `tessera sweep`: latency against energy of every\n"
             "# point that can run and fits its SRAM, and the Pareto front.\n"
             "set terminal svg size 900,600 dynamic\n"
             "set output 'pareto.svg'\n"
             "set datafile separator ','\n"
             "set title '%s' noenhanced\n"
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

/* Progress on stderr for sweeps longer than 2 s: on a terminal one line
 * rewritten every second, elsewhere a line every 10 s. */
typedef struct {
  double t0, last;
  int tty, shown;
} progress_ctx;
static void progress(void *p, size_t done, size_t total) {
  progress_ctx *c = p;
  double now = tsr_sys_now_s();
  if (now - c->t0 < 2 || now - c->last < (c->tty ? 1 : 10) || !done) return;
  double left = (now - c->t0) * (double)(total - done) / (double)done;
  fprintf(stderr, "%ssweep: %zu of %zu design points (%.0f %%), about %.0f s left%s",
          c->tty ? "\r" : "", done, total, 100.0 * (double)done / (double)total, left,
          c->tty ? "   " : "\n");
  c->last = now;
  c->shown = 1;
}

/* DIR/points.csv, pareto.csv and pareto.gp of the sweep's n rows, its Pareto
 * front marked, written as one output directory (gen/outdir.h), and the
 * summary on stdout; dt < 0: rows merged from shards. */
static int sweep_write(const char *out, int plot, const char *label, tsr_sweep_row *rows, size_t n,
                       double dt, double dc) {
  long best;
  size_t front = tsr_sweep_pareto(rows, n, &best), feasible = 0, fit = 0;
  for (size_t i = 0; i < n; i++)
    feasible += rows[i].feasible, fit += rows[i].feasible && rows[i].sram_ok;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    const tsr_sweep_row *r = &rows[i];
    if (r->feasible && !(isfinite(r->seconds) && isfinite(r->joules) && isfinite(r->edp))) {
      fprintf(stderr,
              "tessera sweep: design point %zu (%u x %u %s) gives a latency of %g s and an energy "
              "of %g J, not finite numbers; refusing to write them (a value outside the model's "
              "range: expected smaller energies per bit or event, or a smaller model)\n",
              i, r->rows, r->cols, tsr_method_names[r->method], r->seconds, r->joules);
      rc = 2;
    }
  }
  char text[TSR_SWEEP_LABEL_LEN * 2], title[TSR_SWEEP_LABEL_LEN * 2 + 100];
  tsr_cli_gp_text(text, sizeof text, label); /* the model's name is data */
  snprintf(title, sizeof title, "%s: %zu design points, %zu on the Pareto front", text, fit, front);
  csv_ctx all = {rows, n, 0}, par = {rows, n, 1};
  char err[TSR_ERR_LEN];
  tsr_outdir d;
  if (!rc && (rc = tsr_outdir_begin(&d, out, "sweep", err))) {
    fprintf(stderr, "tessera sweep: %s\n", err);
    rc = rc == TSR_OUT_BAD ? 2 : 1;
  } else if (!rc) {
    if (write_out(&d, "points.csv", csv_out, &all) || write_out(&d, "pareto.csv", csv_out, &par) ||
        write_out(&d, "pareto.gp", gp_out, title) || tsr_outdir_derived(&d, "pareto.svg", err)) {
      tsr_outdir_abort(&d);
      rc = 1;
    } else if ((rc = tsr_outdir_commit(&d, err))) {
      fprintf(stderr, "tessera sweep: %s\n", err);
      rc = rc == TSR_OUT_BAD ? 2 : 1;
    }
  }
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
  if (!rc && plot) { /* gnuplot without a shell, in the output directory */
    if (tsr_cli_run_gnuplot(out, "pareto.gp")) {
      fprintf(stderr, "tessera sweep: gnuplot failed on %s/pareto.gp\n", out);
      rc = 1;
    } else
      printf("plot: %s/pareto.svg\n", out);
  }
  return rc;
}

/* --shard I/N: evaluate the shard's points into DIR/shard-I-of-N.rows. */
static int sweep_shard(const tsr_sys_opts *o, tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                       tsr_sweep_shard *h) {
  tsr_sweep_shard_range(h->total, h->index, h->of, &h->first, &h->count);
  tsr_sweep_row *rows = malloc((h->count ? h->count : 1) * sizeof *rows);
  if (!rows) {
    fprintf(stderr, "tessera sweep: out of memory for %zu points\n", h->count);
    return 1;
  }
  double t0 = tsr_sys_now_s();
  tsr_sweep_run_range(s, w, g, h->first, h->count, rows);
  double dt = tsr_sys_now_s() - t0;
  char name[64], path[4200], err[TSR_ERR_LEN];
  tsr_sweep_shard_name(h->index, h->of, name);
  snprintf(path, sizeof path, "%s/%s", o->out, name);
  /* Shards of one sweep share DIR: each writes only its own file, beside it
     and renamed into place, so no task ever removes another's. */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int rc = 0;
  if (!f || tsr_sweep_shard_write(f, h, rows) || fclose(f)) {
    fprintf(stderr, "tessera sweep: out of memory for %s\n", path);
    rc = 1;
  } else if (mkdir(o->out, 0777) && errno != EEXIST) {
    fprintf(stderr, "tessera sweep: cannot create %s: %s\n", o->out, strerror(errno));
    rc = errno == EACCES || errno == ENOENT || errno == ENOTDIR ? 2 : 1;
  } else if ((rc = tsr_write_file_atomic(path, buf, len, err))) {
    fprintf(stderr, "tessera sweep: %s\n", err);
    rc = rc == TSR_OUT_BAD ? 2 : 1;
  } else if (h->count)
    printf("shard %u/%u: points %zu..%zu of %zu in %.3f s: %s\n", h->index, h->of, h->first,
           h->first + h->count - 1, h->total, dt, path);
  else
    printf("shard %u/%u: none of the %zu points (more shards than points): %s\n", h->index,
           h->of, h->total, path);
  free(buf);
  free(rows);
  return rc;
}

/* tessera sweep --merge -o DIR [--plot] SHARD... */
static int sweep_merge(int argc, char **argv) {
  tsr_sys_opts o = {.cmd = argv[1]};
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
      return tsr_sys_bad(&o, tsr_sweep_help, "--merge: unknown option %s (expected -o DIR, --plot)",
                 argv[i]);
    } else
      paths[n_paths++] = argv[i];
  }
  if (!o.out || !n_paths) {
    free(paths);
    return tsr_sys_bad(&o, tsr_sweep_help, "--merge needs -o DIR and the shard files or directories");
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
  tsr_sys_opts o;
  if (argc > 2 && !strcmp(argv[2], "--merge")) return sweep_merge(argc, argv);
  int rc = tsr_sys_parse_opts(argc, argv, tsr_sweep_help, 1, &o);
  if (rc) return rc;
  tsr_sweep_shard sh = {0};
  char sh_err[TSR_SWEEP_ERR_LEN];
  if (o.shard && tsr_sweep_shard_parse(o.shard, &sh.index, &sh.of, sh_err))
    return tsr_sys_bad(&o, tsr_sweep_help, "%s", sh_err);
  static tsr_sweep_grid g;
  memset(&g, 0, sizeof g);
  grid_ctx gc = {&g};
  struct {
    const char *opt, *val, *expected;
    tsr_sys_item_fn fn;
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
    if (tsr_sys_each_item(axes[i].val, max, axes[i].fn, &gc))
      return tsr_sys_bad(&o, tsr_sweep_help, "%s: '%s' is not allowed, expected %s", axes[i].opt,
                 axes[i].val, axes[i].expected);
  }
  tsr_sys s;
  tsr_workload w;
  if ((rc = tsr_sys_setup(&o, tsr_sweep_help, &s, &w))) return rc;
  tsr_config *c = s.cfg;
  if (c->n_overrides) { /* the axes change the base die and the shape: not the variants */
    fprintf(stderr,
            "tessera sweep: %s has die_overrides (%u die variants): the sweep varies one die "
            "and the mesh shape, so it cannot model them; use tessera estimate\n",
            o.config, s.n_variants);
    tsr_sys_free(&s);
    return 2;
  }
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
  long cap = TSR_SWEEP_DEFAULT_CAP;
  if (o.max_points && tsr_sys_parse_long(o.max_points, 1, 1000000000L, &cap)) {
    tsr_sys_free(&s);
    return tsr_sys_bad(&o, tsr_sweep_help,
                       "--max-points: '%s' is not allowed, expected an integer 1..1000000000",
                       o.max_points);
  }
  if (n > (size_t)cap) {
    fprintf(stderr,
            "tessera sweep: %zu design points is more than %ld (%s); expected fewer values on "
            "the axes, or a larger --max-points N (each point takes %zu bytes of memory)\n",
            n, cap, o.max_points ? "--max-points" : "the default cap", sizeof(tsr_sweep_row));
    tsr_sys_free(&s);
    return 2;
  }
  char label[TSR_SWEEP_LABEL_LEN];
  snprintf(label, sizeof label, "%s, batch %u x seq %u", w.name, w.batch, w.seq);
  if (o.shard) { /* the points of one shard; the id: what else makes them */
    char ctx[4400];
    snprintf(ctx, sizeof ctx, "%s|%s|peak %d overlap %d fusion %d%s", o.config, label, o.peak,
             o.overlap, o.fusion, o.seq_par ? " sequence-parallel" : "");
    sh.total = n;
    sh.id = tsr_sweep_id(&g, ctx);
    snprintf(sh.label, sizeof sh.label, "%s", label);
    rc = sweep_shard(&o, &s, &w, &g, &sh);
    tsr_sys_free(&s);
    return rc;
  }
  char err_o[TSR_ERR_LEN];
  if ((rc = tsr_outdir_check(o.out, "sweep", err_o))) { /* before the long part */
    fprintf(stderr, "tessera sweep: %s\n", err_o);
    tsr_sys_free(&s);
    return rc == TSR_OUT_BAD ? 2 : 1;
  }
  tsr_sweep_row *rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows) {
    fprintf(stderr, "tessera sweep: out of memory for %zu points\n", n);
    tsr_sys_free(&s);
    return 1;
  }
  double t0 = tsr_sys_now_s(), c0 = tsr_sys_cpu_s();
  progress_ctx pc = {t0, t0 - 10, isatty(2), 0};
  tsr_sweep_run_progress(&s, &w, &g, rows, progress, &pc);
  if (pc.shown) fprintf(stderr, "%ssweep: %zu of %zu design points (100 %%)\n", pc.tty ? "\r" : "", n, n);
  double dt = tsr_sys_now_s() - t0, dc = tsr_sys_cpu_s() - c0;
  rc = sweep_write(o.out, o.plot, label, rows, n, dt, dc);
  free(rows);
  tsr_sys_free(&s);
  return rc;
}

