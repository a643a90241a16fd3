/* sweep.c - see sweep.h. */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int tsr_sweep_add_dies(tsr_sweep_grid *g, uint32_t dies) {
  int added = 0;
  for (uint32_t r = 1; r <= TSR_MAX_ROWS; r++) {
    if (dies % r || dies / r > TSR_MAX_COLS) continue;
    if (g->n_shapes >= sizeof g->rows / sizeof g->rows[0]) return -1;
    g->rows[g->n_shapes] = r;
    g->cols[g->n_shapes++] = dies / r;
    added++;
  }
  return added ? 0 : -1;
}

size_t tsr_sweep_count(const tsr_sweep_grid *g) {
  return (size_t)g->n_shapes * g->n_act * g->n_wgt * g->n_pkg * g->n_gbps * g->n_ns * g->n_df *
         g->n_method;
}

static void run(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, size_t first,
                size_t count, tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx);

void tsr_sweep_run(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, tsr_sweep_row *out) {
  run(s, w, g, 0, tsr_sweep_count(g), out, NULL, NULL);
}

void tsr_sweep_run_range(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, size_t first,
                         size_t count, tsr_sweep_row *out) {
  run(s, w, g, first, count, out, NULL, NULL);
}

void tsr_sweep_run_progress(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                            tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx) {
  run(s, w, g, 0, tsr_sweep_count(g), out, progress, ctx);
}

/* Points first..first+count-1, progress(ctx, done, count) every 4096 (may be NULL). */
static void run(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, size_t first,
                size_t count, tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx) {
  tsr_config *c = s->cfg;
  char err[TSR_SYS_ERR_LEN];
  size_t k = 0, end = first + count; /* k: the point's index in the whole sweep */
  for (uint32_t sh = 0; sh < g->n_shapes; sh++) {
    c->mesh.rows = g->rows[sh];
    c->mesh.cols = g->cols[sh];
    for (uint32_t a = 0; a < g->n_act; a++) {
      c->die.act_buffer.bytes = 1024ull * g->act_kb[a];
      for (uint32_t wb = 0; wb < g->n_wgt; wb++) {
        c->die.weight_buffer.bytes = 1024ull * g->wgt_kb[wb];
        for (uint32_t p = 0; p < g->n_pkg; p++) {
          const tsr_package_link *pk = &tsr_packages[g->pkg[p]];
          for (uint32_t bw = 0; bw < g->n_gbps; bw++) {
            double gbps = g->gbps[bw] > 0 ? g->gbps[bw] : pk->gbps;
            for (uint32_t l = 0; l < g->n_ns; l++) {
              double ns = g->ns[l] >= 0 ? g->ns[l] : pk->latency_ns;
              (void)tsr_sys_set_link(s, gbps, ns, pk->pj_per_bit, err); /* checked by the caller */
              for (uint32_t d = 0; d < g->n_df; d++) {
                c->die.dataflow = (tsr_dataflow)g->dataflow[d];
                for (uint32_t m = 0; m < g->n_method; m++, k++) {
                  if (k < first || k >= end) continue;
                  tsr_sys_result r;
                  tsr_sys_estimate(s, w, (tsr_method)g->method[m], &r);
                  if (progress && (k - first) % 4096 == 0) progress(ctx, k - first, count);
                  tsr_sweep_row *o = &out[k - first];
                  o->rows = (uint16_t)c->mesh.rows;
                  o->cols = (uint16_t)c->mesh.cols;
                  o->act_kb = g->act_kb[a];
                  o->wgt_kb = g->wgt_kb[wb];
                  o->pkg = (uint8_t)g->pkg[p];
                  o->dataflow = (uint8_t)g->dataflow[d];
                  o->method = (uint8_t)g->method[m];
                  o->feasible = (uint8_t)r.feasible;
                  o->sram_ok = (uint8_t)r.sram_ok;
                  o->fusion = (uint8_t)r.fusion;
                  o->pareto = 0;
                  o->gbps = (float)gbps;
                  o->ns = (float)ns;
                  o->mb_samples = r.mb_samples;
                  o->seconds = r.seconds;
                  o->joules = r.energy_pj * 1e-12;
                  o->edp = r.edp;
                  for (int t = 0; t < TSR_N_TTERMS; t++)
                    o->cycles[t] = (float)r.cycles[t];
                }
              }
            }
          }
        }
      }
    }
  }
}

static int by_latency(const void *x, const void *y) {
  const tsr_sweep_row *a = *(const tsr_sweep_row *const *)x, *b = *(const tsr_sweep_row *const *)y;
  if (a->seconds != b->seconds) return a->seconds < b->seconds ? -1 : 1;
  return (a->joules > b->joules) - (a->joules < b->joules);
}

size_t tsr_sweep_pareto(tsr_sweep_row *rows, size_t n, long *best_edp) {
  tsr_sweep_row **v = malloc((n ? n : 1) * sizeof *v);
  size_t m = 0, front = 0;
  *best_edp = -1;
  if (!v) return 0;
  for (size_t i = 0; i < n; i++) {
    rows[i].pareto = 0;
    if (rows[i].feasible && rows[i].sram_ok) v[m++] = &rows[i];
  }
  qsort(v, m, sizeof *v, by_latency);
  double least = 0;
  for (size_t i = 0; i < m; i++) { /* a point is on the front if no faster point uses less */
    if (front && v[i]->joules >= least) continue;
    v[i]->pareto = 1;
    least = v[i]->joules;
    front++;
    if (*best_edp < 0 || v[i]->edp < rows[*best_edp].edp) *best_edp = (long)(v[i] - rows);
  }
  free(v);
  return front;
}

int tsr_sweep_csv(FILE *f, const tsr_sweep_row *rows, size_t n, int only_pareto) {
  static const char *const df[2] = {"ws", "os"};
  if (fprintf(f, "rows,cols,dies,method,package,link_gbps,link_ns,act_kb,wgt_kb,dataflow,feasible,"
                 "sram_ok,fusion,mb_samples,latency_s,energy_j,edp_js,compute_cycles,"
                 "nop_link_cycles,nop_trans_cycles,dram_exposed_cycles,pareto\n") < 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const tsr_sweep_row *r = &rows[i];
    if (only_pareto && !r->pareto) continue;
    if (fprintf(f,
                "%u,%u,%u,%s,%s,%g,%g,%u,%u,%s,%d,%d,%s,%u,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%d\n",
                r->rows, r->cols, (unsigned)r->rows * r->cols, tsr_method_names[r->method],
                tsr_package_names[r->pkg], r->gbps, r->ns, r->act_kb, r->wgt_kb, df[r->dataflow],
                r->feasible, r->sram_ok, tsr_fuse_names[r->fusion], r->mb_samples, r->seconds,
                r->joules, r->edp, r->cycles[0], r->cycles[1], r->cycles[2], r->cycles[3],
                r->pareto) < 0)
      return -1;
  }
  return 0;
}

/* ---- shards ------------------------------------------------------------------------------ */

#define SHARD_MAGIC "tessera-sweep-shard 1"
#define SHARD_MAX_OF 1000000u

static void errf(char err[TSR_SWEEP_ERR_LEN], const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, TSR_SWEEP_ERR_LEN, fmt, ap);
  va_end(ap);
}

/* A decimal number with nothing around it, at most hi. */
static int parse_u(const char *s, size_t len, unsigned long long hi, unsigned long long *v) {
  unsigned long long x = 0;
  if (!len) return -1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    x = x * 10 + (unsigned)(s[i] - '0');
    if (x > hi) return -1;
  }
  *v = x;
  return 0;
}

int tsr_sweep_shard_parse(const char *s, uint32_t *index, uint32_t *of,
                          char err[TSR_SWEEP_ERR_LEN]) {
  const char *slash = strchr(s, '/');
  unsigned long long i, n;
  if (!slash || parse_u(s, (size_t)(slash - s), 0xffffffffu, &i) ||
      parse_u(slash + 1, strlen(slash + 1), 0xffffffffu, &n)) {
    errf(err, "--shard: '%s' is not allowed, expected I/N: shard I (0-based) of N, e.g. 0/4", s);
    return -1;
  }
  if (n < 1 || n > SHARD_MAX_OF) {
    errf(err, "--shard: '%s' is not allowed, expected N (the number of shards) in 1..%u", s,
         SHARD_MAX_OF);
    return -1;
  }
  if (i >= n) {
    errf(err, "--shard: '%s' is not allowed, expected I in 0..%llu (shards count from 0)", s,
         n - 1);
    return -1;
  }
  *index = (uint32_t)i;
  *of = (uint32_t)n;
  return 0;
}

void tsr_sweep_shard_range(size_t total, uint32_t index, uint32_t of, size_t *first,
                           size_t *count) {
  /* No overflow: a grid has under 2^38 points (the axes' limits), shards are at most 2^20. */
  size_t a = (size_t)((uint64_t)total * index / of);
  size_t b = (size_t)((uint64_t)total * (index + 1) / of);
  *first = a;
  *count = b - a;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001b3ull;
  return h;
}

uint64_t tsr_sweep_id(const tsr_sweep_grid *g, const char *context) {
  uint64_t h = 0xcbf29ce484222325ull;
#define AXIS(n, v) h = fnv(fnv(h, &g->n, sizeof g->n), g->v, g->n * sizeof g->v[0])
  AXIS(n_shapes, rows);
  AXIS(n_shapes, cols);
  AXIS(n_act, act_kb);
  AXIS(n_wgt, wgt_kb);
  AXIS(n_pkg, pkg);
  AXIS(n_gbps, gbps);
  AXIS(n_ns, ns);
  AXIS(n_df, dataflow);
  AXIS(n_method, method);
#undef AXIS
  return fnv(h, context, strlen(context));
}

void tsr_sweep_shard_name(uint32_t index, uint32_t of, char name[64]) {
  snprintf(name, 64, "shard-%u-of-%u.rows", index, of);
}

int tsr_sweep_shard_write(FILE *f, const tsr_sweep_shard *h, const tsr_sweep_row *rows) {
  if (strchr(h->label, '\n')) return -1;
  if (fprintf(f,
              SHARD_MAGIC "\nshard %u/%u\npoints %zu first %zu count %zu\nid %016" PRIx64
                          "\nlabel %s\nrows\n",
              h->index, h->of, h->total, h->first, h->count, h->id, h->label) < 0)
    return -1;
  for (size_t i = 0; i < h->count; i++) {
    const tsr_sweep_row *r = &rows[i];
    if (fprintf(f, "%u %u %u %u %u %u %u %u %u %u %u %a %a %a %a %a %a %a %a %a\n", r->rows,
                r->cols, r->act_kb, r->wgt_kb, r->pkg, r->dataflow, r->method, r->feasible,
                r->sram_ok, r->fusion, r->mb_samples, (double)r->gbps, (double)r->ns, r->seconds,
                r->joules, r->edp, (double)r->cycles[0], (double)r->cycles[1], (double)r->cycles[2],
                (double)r->cycles[3]) < 0)
      return -1;
  }
  return fprintf(f, "end\n") < 0 ? -1 : 0;
}

/* One row line; 0 or -1. */
static int parse_row(char *line, tsr_sweep_row *r) {
  static const unsigned long long hi[11] = {
      0xffff, 0xffff, 0xffffffffu,    0xffffffffu, TSR_N_PKGS - 1, 1, TSR_N_METHODS - 1,
      1,      1,      TSR_N_FUSE - 1, 0xffffffffu};
  unsigned long long u[11];
  double d[9];
  char *save, *t = strtok_r(line, " \n", &save);
  for (int i = 0; i < 11; i++, t = strtok_r(NULL, " \n", &save))
    if (!t || parse_u(t, strlen(t), hi[i], &u[i])) return -1;
  for (int i = 0; i < 9; i++, t = strtok_r(NULL, " \n", &save)) {
    char *end;
    if (!t) return -1;
    errno = 0;
    d[i] = strtod(t, &end);
    if (*end || end == t) return -1;
  }
  if (t) return -1;
  memset(r, 0, sizeof *r);
  r->rows = (uint16_t)u[0];
  r->cols = (uint16_t)u[1];
  r->act_kb = (uint32_t)u[2];
  r->wgt_kb = (uint32_t)u[3];
  r->pkg = (uint8_t)u[4];
  r->dataflow = (uint8_t)u[5];
  r->method = (uint8_t)u[6];
  r->feasible = (uint8_t)u[7];
  r->sram_ok = (uint8_t)u[8];
  r->fusion = (uint8_t)u[9];
  r->mb_samples = (uint32_t)u[10];
  r->gbps = (float)d[0];
  r->ns = (float)d[1];
  r->seconds = d[2];
  r->joules = d[3];
  r->edp = d[4];
  for (int i = 0; i < TSR_N_TTERMS; i++)
    r->cycles[i] = (float)d[5 + i];
  return 0;
}

int tsr_sweep_shard_read(const char *path, tsr_sweep_shard *h, tsr_sweep_row **rows,
                         char err[TSR_SWEEP_ERR_LEN]) {
  FILE *f = fopen(path, "r");
  char *line = NULL;
  size_t cap = 0, lineno = 0, k = 0;
  int rc = -1;
  *rows = NULL;
  memset(h, 0, sizeof *h);
  if (!f) {
    errf(err, "%s: %s", path, strerror(errno));
    return -1;
  }
#define NEXT() (lineno++, getline(&line, &cap, f) > 0)
#define BAD(...)                                                                                   \
  do {                                                                                             \
    errf(err, __VA_ARGS__);                                                                        \
    goto done;                                                                                     \
  } while (0)
  int n1 = 0, n2 = 0, n3 = 0;
  if (!NEXT() || strcmp(line, SHARD_MAGIC "\n"))
    BAD("%s:1: not a shard file of tessera sweep --shard (expected '" SHARD_MAGIC "')", path);
  if (!NEXT() || sscanf(line, "shard %" SCNu32 "/%" SCNu32 "\n%n", &h->index, &h->of, &n1) != 2 ||
      !n1 || line[n1] || !h->of || h->index >= h->of)
    BAD("%s:%zu: expected 'shard I/N' with I < N", path, lineno);
  if (!NEXT() ||
      sscanf(line, "points %zu first %zu count %zu\n%n", &h->total, &h->first, &h->count, &n2) !=
          3 ||
      !n2 || line[n2])
    BAD("%s:%zu: expected 'points TOTAL first FIRST count COUNT'", path, lineno);
  size_t first, count;
  tsr_sweep_shard_range(h->total, h->index, h->of, &first, &count);
  if (first != h->first || count != h->count)
    BAD("%s:%zu: shard %u/%u of %zu points holds points %zu..+%zu, not %zu..+%zu", path, lineno,
        h->index, h->of, h->total, first, count, h->first, h->count);
  if (!NEXT() || sscanf(line, "id %16" SCNx64 "\n%n", &h->id, &n3) != 1 || !n3 || line[n3])
    BAD("%s:%zu: expected 'id' and 16 hexadecimal digits", path, lineno);
  if (!NEXT() || strncmp(line, "label ", 6) || strlen(line) - 7 >= sizeof h->label ||
      line[strlen(line) - 1] != '\n')
    BAD("%s:%zu: expected 'label' and a line of at most %d characters", path, lineno,
        TSR_SWEEP_LABEL_LEN - 1);
  memcpy(h->label, line + 6, strlen(line) - 7);
  if (!NEXT() || strcmp(line, "rows\n")) BAD("%s:%zu: expected 'rows'", path, lineno);
  *rows = malloc((h->count ? h->count : 1) * sizeof **rows);
  if (!*rows) BAD("%s: out of memory for %zu rows", path, h->count);
  for (; k < h->count; k++) {
    if (!NEXT()) BAD("%s:%zu: the file ends after %zu of %zu rows", path, lineno, k, h->count);
    if (parse_row(line, &(*rows)[k]))
      BAD("%s:%zu: expected a row: 11 integers in range and 9 numbers", path, lineno);
  }
  if (!NEXT() || strcmp(line, "end\n"))
    BAD("%s:%zu: expected 'end' after %zu rows", path, lineno, h->count);
  if (NEXT()) BAD("%s:%zu: more after 'end'", path, lineno);
  rc = 0;
done:
#undef NEXT
#undef BAD
  free(line);
  fclose(f);
  if (rc) {
    free(*rows);
    *rows = NULL;
  }
  return rc;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shard files of `paths`: files as given, directories' shard-*-of-*.rows
 * in name order. */
static char **shard_files(const char *const *paths, size_t n_paths, size_t *n,
                          char err[TSR_SWEEP_ERR_LEN]) {
  char **v = NULL;
  size_t m = 0, cap = 0;
  *n = 0;
  for (size_t p = 0; p < n_paths; p++) {
    struct stat st;
    if (stat(paths[p], &st)) {
      errf(err, "%s: %s", paths[p], strerror(errno));
      goto fail;
    }
    DIR *d = S_ISDIR(st.st_mode) ? opendir(paths[p]) : NULL;
    if (S_ISDIR(st.st_mode) && !d) {
      errf(err, "%s: %s", paths[p], strerror(errno));
      goto fail;
    }
    size_t from = m;
    for (struct dirent *e = d ? readdir(d) : NULL;; e = d ? readdir(d) : NULL) {
      const char *name = NULL;
      char full[4096];
      if (d) {
        if (!e) break;
        unsigned i, of;
        int end = 0;
        if (sscanf(e->d_name, "shard-%u-of-%u.rows%n", &i, &of, &end) != 2 || !end ||
            e->d_name[end])
          continue;
        snprintf(full, sizeof full, "%s/%s", paths[p], e->d_name);
        name = full;
      } else
        name = paths[p];
      if (m == cap) {
        char **nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
        if (!nv) {
          if (d) closedir(d);
          errf(err, "out of memory");
          goto fail;
        }
        v = nv;
      }
      if (!(v[m] = strdup(name))) {
        if (d) closedir(d);
        errf(err, "out of memory");
        goto fail;
      }
      m++;
      if (!d) break;
    }
    if (d) {
      closedir(d);
      if (m == from) {
        errf(err, "%s: no shard files (shard-I-of-N.rows) in this directory", paths[p]);
        goto fail;
      }
      qsort(v + from, m - from, sizeof *v, by_name);
    }
  }
  *n = m;
  return v;
fail:
  for (size_t i = 0; i < m; i++)
    free(v[i]);
  free(v);
  return NULL;
}

int tsr_sweep_merge(const char *const *paths, size_t n_paths, tsr_sweep_shard *h,
                    tsr_sweep_row **rows, size_t *n, char err[TSR_SWEEP_ERR_LEN]) {
  size_t n_files = 0, *from = NULL;
  char **files = NULL;
  tsr_sweep_row *all = NULL, *part = NULL;
  int rc = -1;
  *rows = NULL;
  *n = 0;
  if (!n_paths) {
    errf(err, "no shard files to merge");
    return -1;
  }
  if (!(files = shard_files(paths, n_paths, &n_files, err))) return -1;
  for (size_t f = 0; f < n_files; f++) {
    tsr_sweep_shard s;
    if (tsr_sweep_shard_read(files[f], &s, &part, err)) goto done;
    if (f == 0) {
      *h = s;
      all = malloc((s.total ? s.total : 1) * sizeof *all);
      from = malloc(s.of * sizeof *from);
      if (!all || !from) {
        errf(err, "out of memory for %zu points", s.total);
        goto done;
      }
      for (uint32_t i = 0; i < s.of; i++)
        from[i] = (size_t)-1;
    } else if (s.of != h->of || s.total != h->total || s.id != h->id || strcmp(s.label, h->label)) {
      errf(err,
           "%s: shard %u/%u of another sweep than %s's (%zu points, id %016" PRIx64
           ", '%s'; expected %u shards of %zu points, id %016" PRIx64 ", '%s')",
           files[f], s.index, s.of, files[0], s.total, s.id, s.label, h->of, h->total, h->id,
           h->label);
      goto done;
    }
    if (from[s.index] != (size_t)-1) {
      errf(err, "%s: shard %u/%u again (also %s)", files[f], s.index, s.of, files[from[s.index]]);
      goto done;
    }
    from[s.index] = f;
    if (s.count) memcpy(all + s.first, part, s.count * sizeof *part);
    free(part);
    part = NULL;
  }
  size_t missing = 0;
  char list[200] = "";
  for (uint32_t i = 0; i < h->of; i++)
    if (from[i] == (size_t)-1 && missing++ < 8) {
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%s%u", l ? ", " : "", i);
    }
  if (missing) {
    errf(err, "%zu of %u shards missing: %s%s (from %zu files, the first %s)", missing, h->of, list,
         missing > 8 ? ", ..." : "", n_files, files[0]);
    goto done;
  }
  h->index = 0;
  h->first = 0;
  h->count = h->total;
  *rows = all;
  *n = h->total;
  all = NULL;
  rc = 0;
done:
  free(part);
  free(all);
  free(from);
  for (size_t f = 0; f < n_files; f++)
    free(files[f]);
  free(files);
  return rc;
}
