/* sweep.c - see sweep.h. */
#include "sweep.h"

#include <stdlib.h>
#include <string.h>

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

void tsr_sweep_run(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g, tsr_sweep_row *out) {
  tsr_sweep_run_progress(s, w, g, out, NULL, NULL);
}

void tsr_sweep_run_progress(tsr_sys *s, const tsr_workload *w, const tsr_sweep_grid *g,
                            tsr_sweep_row *out, tsr_sweep_progress_fn progress, void *ctx) {
  tsr_config *c = s->cfg;
  size_t total = progress ? tsr_sweep_count(g) : 0;
  char err[TSR_SYS_ERR_LEN];
  size_t k = 0;
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
                for (uint32_t m = 0; m < g->n_method; m++) {
                  tsr_sys_result r;
                  tsr_sys_estimate(s, w, (tsr_method)g->method[m], &r);
                  if (progress && k % 4096 == 0) progress(ctx, k, total);
                  tsr_sweep_row *o = &out[k++];
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
