/* cmd_reproduce.c - `tessera reproduce` writes docs/hecaton-reproduction.md: the Hecaton paper's
 * Table III, weak scaling (Fig. 7), strong scaling (Fig. 9) and the Llama2-70B
 * ratios of Hecaton over Flat-ring, from the system-scale model
 * (docs/system-model.md), with the data and gnuplot scripts of its plots.
 *
 *   tessera reproduce CONFIG DOC.md DATA_DIR IMG_DIR IMG_LINK
 *
 * CONFIG is the die (configs/hecaton-die.json); the gnuplot scripts in
 * DATA_DIR write SVGs into IMG_DIR, which DOC.md links as IMG_LINK/NAME.svg.
 * `make reproduce` (mk/sysmodel.mk) runs it and gnuplot. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "mesh_cost.h"
#include "noc.h"
#include "outdir.h"
#include "sysmodel.h"
#include "table3.h"
#include "workload.h"

typedef struct {
  FILE *md;
  tsr_outdir out; /* DATA_DIR (gen/outdir.h) */
  const char *data, *img, *link;
  tsr_sys sys;
  const tsr_config *base;
  const char *cfg_path;
  /* facts (d) finds, quoted in the differences */
  tsr_sys_result flat_model, hec_model; /* Llama2-70B, die model, ws, standard package */
  tsr_sys_result flat_sp_model, flat_sp_peak; /* the same with sequence parallelism, and at peak */
  double max_dram_share, copy_ms, hec_peak_ms;
} rep;

static void md(rep *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(r->md, fmt, ap);
  va_end(ap);
}

static FILE *open_data(rep *r, const char *name) {
  char err[TSR_ERR_LEN];
  FILE *f = tsr_outdir_fopen(&r->out, name, err);
  if (!f) {
    fprintf(stderr, "tessera reproduce: %s\n", err);
    tsr_outdir_abort(&r->out);
    exit(1);
  }
  return f;
}

/* DIR/NAME as a gnuplot string: quotes doubled (control characters were
 * refused up front), so no path can end the string and become a command. */
static const char *gpq(char *buf, size_t n, const char *dir, const char *name) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return tsr_cli_gp_quote(buf, n, path) ? "''" : buf;
}

/* The system: the base die on a rows x cols mesh, a package, a compute mode,
 * a dataflow. */
static void setup(rep *r, uint32_t rows, uint32_t cols, int pkg, int peak, int dataflow) {
  char err[TSR_SYS_ERR_LEN];
  memcpy(r->sys.cfg, r->base, sizeof *r->base);
  r->sys.cfg->mesh.rows = rows;
  r->sys.cfg->mesh.cols = cols;
  r->sys.cfg->die.dataflow = (tsr_dataflow)dataflow;
  r->sys.peak = peak;
  r->sys.seq_par = 0;
  const tsr_package_link *p = &tsr_packages[pkg];
  if (tsr_sys_set_link(&r->sys, p->gbps, p->latency_ns, p->pj_per_bit, err)) {
    fprintf(stderr, "tessera reproduce: %s\n", err);
    exit(1);
  }
}

static tsr_sys_result run(rep *r, const char *model, tsr_method m) {
  tsr_sys_result res;
  tsr_sys_estimate(&r->sys, tsr_workload_find(model), m, &res);
  return res;
}

static double nop_share(const tsr_sys_result *x) {
  return (x->cycles[TSR_T_LINK] + x->cycles[TSR_T_TRANS]) / x->total_cycles;
}

/* ---- (a) Table III ------------------------------------------------------------------- */

/* Table III written out again, independently of models/table3.c: link latency
 * in units of alpha, transmission in units of gamma and xi, for one block. */
static void by_hand(int m, int b, double n, double *a, double *g, double *x) {
  double q = sqrt(n), lg = log2(n);
  int bwd = b >= 2, ffn = b == 1 || b == 3;
  *x = 0;
  if (m == 0)
    *a = (bwd ? 3 : 2) * (n - 1), *g = (bwd ? 3 : 2) * (n - 1) / n;
  else if (m == 1)
    *a = (bwd ? 6 : 4) * (n - q), *g = (bwd ? 1.5 : 1) * (n - 1) / n;
  else if (m == 2) {
    *a = (bwd ? 12 : 4) * (n - q);
    *g = lg / (2 * q) * (ffn ? 5 : 2) * (bwd ? 2 : 1);
    *x = lg / (2 * q) * (ffn ? 8 : 4) * (bwd ? 2 : 1);
  } else {
    *a = (bwd ? 12 : 8) * (q - 1);
    *g = (b == 0 ? 6 : b == 1 ? 10 : b == 2 ? 8 : 15) * (q - 1) / n;
  }
}

static void table3_section(rep *r) {
  static const struct {
    const char *model;
    uint32_t side;
    double alpha_ns;
  } cases[] = {{"bert-large", 4, 10},  {"bloom-1.7b", 8, 10},  {"gpt3-6.7b", 16, 10},
               {"gpt3-6.7b", 16, 100}, {"llama2-70b", 32, 10}, {"llama2-70b", 32, 100}};
  const double beta = tsr_packages[TSR_PKG_STANDARD].gbps * 1e9; /* bytes/s */
  int all_agree = 1;
  md(r, "## (a) Table III: the formulas, by hand and as the model's phases\n\n");
  md(r,
     "For each case, `alpha` is the D2D link latency and `beta` = %.0f GB/s (the standard "
     "package). `gamma = b s h / beta` and `xi = h^2 / beta` are for FP32 words of 4 bytes "
     "and the whole batch. Each cell is a layer iteration's NoP overhead: the four blocks, "
     "forward and backward attention and FFN, added up, in microseconds. Three evaluations "
     "must agree:\n\n"
     "- **T3**: `tsr_table3()` in models/table3.c, Table III as printed.\n"
     "- **hand**: the formulas typed again in cli/cmd_reproduce.c.\n"
     "- **phases**: the model's own phases (`tsr_method_phases`), the chains the estimate "
     "times. Link latency is `sum(steps x links) x alpha`, and transmission is "
     "`sum(steps x words) x 4 / beta`.\n\n",
     beta / 1e9);
  md(r, "| model, N, alpha | gamma (us) | xi (us) | method | link latency T3 / hand / phases (us) "
        "| transmission T3 / hand / phases (us) |\n|---|---|---|---|---|---|\n");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const tsr_workload *w = tsr_workload_find(cases[c].model);
    double n = (double)cases[c].side * cases[c].side, t = (double)w->batch * w->seq, h = w->hidden;
    double alpha = cases[c].alpha_ns * 1e-3, gamma = t * h * 4 / beta * 1e6,
           xi = h * h * 4 / beta * 1e6;
    for (int m = 0; m < TSR_N_METHODS; m++) {
      double l[3] = {0, 0, 0}, tr[3] = {0, 0, 0};
      for (int b = 0; b < TSR_N_BLOCKS; b++) {
        tsr_t3 t3 = tsr_table3((tsr_method)m, (tsr_block)b, n);
        double a, g, x;
        by_hand(m, b, n, &a, &g, &x);
        l[0] += t3.alpha * alpha, tr[0] += t3.gamma * gamma + t3.xi * xi;
        l[1] += a * alpha, tr[1] += g * gamma + x * xi;
        tsr_phase ph[TSR_MAX_PHASES];
        int np = tsr_method_phases((tsr_method)m, (tsr_block)b, cases[c].side, cases[c].side, t, h,
                                   w->ffn, ph);
        for (int i = 0; i < np; i++) {
          if (ph[i].half == 2) continue; /* the torus's halves run at once */
          l[2] += (double)ph[i].steps * ph[i].links * alpha;
          tr[2] += ph[i].steps * ph[i].words * 4 / beta * 1e6;
        }
      }
      int ok = fabs(l[0] - l[1]) <= 1e-9 * l[0] && fabs(l[0] - l[2]) <= 1e-9 * l[0] &&
               fabs(tr[0] - tr[1]) <= 1e-9 * tr[0] && fabs(tr[0] - tr[2]) <= 1e-9 * tr[0];
      all_agree &= ok;
      char label[96] = "";
      if (m == 0)
        snprintf(label, sizeof label, "%s, %.0f, %.0f ns", cases[c].model, n, cases[c].alpha_ns);
      md(r, "| %s | %.4g | %.4g | %s | %.4g / %.4g / %.4g | %.6g / %.6g / %.6g %s |\n", label,
         gamma, xi, tsr_method_names[m], l[0], l[1], l[2], tr[0], tr[1], tr[2],
         ok ? "" : "**differ**");
    }
  }
  md(r, "\n%s\n\n",
     all_agree ? "All three agree in every case (to 1e-9 relative)."
               : "**Some cases differ: see the rows marked.**");
  /* per block, N = 64 */
  md(r, "Per block, for N = 64: the coefficients of alpha, gamma and xi, as the phases give "
        "them back (`sum(steps x links)`, `sum(steps x words) / (b s h)` with the xi part "
        "separated by evaluating at two batch sizes), and whether they are Table III's "
        "(the formulas typed again, below).\n\n| method | block | alpha | gamma | xi | Table III "
        "|\n|---|---|---|---|---|---|\n");
  for (int m = 0; m < TSR_N_METHODS; m++)
    for (int b = 0; b < TSR_N_BLOCKS; b++) {
      double v[2] = {0, 0}, links = 0, h = 1024, ts[2] = {4096, 8192};
      for (int k = 0; k < 2; k++) {
        tsr_phase ph[TSR_MAX_PHASES];
        int np = tsr_method_phases((tsr_method)m, (tsr_block)b, 8, 8, ts[k], h, 4 * h, ph);
        links = 0;
        for (int i = 0; i < np; i++)
          if (ph[i].half != 2)
            v[k] += ph[i].steps * ph[i].words, links += (double)ph[i].steps * ph[i].links;
      }
      double g = (v[1] - v[0]) / ((ts[1] - ts[0]) * h), x = (v[0] - g * ts[0] * h) / (h * h);
      double ha, hg, hx;
      by_hand(m, b, 64, &ha, &hg, &hx);
      int same = fabs(links - ha) < 1e-6 && fabs(g - hg) < 1e-6 && fabs(x - hx) < 1e-6;
      md(r, "| %s | %s | %.6g | %.6g | %.6g | %s |\n", tsr_method_names[m], tsr_block_names[b],
         links, g, fabs(x) < 1e-9 ? 0.0 : x, same ? "same" : "**differs**");
    }
  /* Table III at N = 64, typed again (by_hand), against the rows above */
  int rows_agree = 1;
  md(r, "\nTable III at N = 64 (the formulas typed again in cli/cmd_reproduce.c): ");
  for (int m = 0; m < TSR_N_METHODS; m++) {
    md(r, "%s%s", m ? "; " : "", tsr_method_names[m]);
    for (int b = 0; b < TSR_N_BLOCKS; b++) {
      double a, g, x;
      by_hand(m, b, 64, &a, &g, &x);
      md(r, "%s %s %.6g alpha, %.6g gamma", b ? "," : "", tsr_block_names[b], a, g);
      if (x > 0) md(r, ", %.6g xi", x);
      tsr_t3 t3 = tsr_table3((tsr_method)m, (tsr_block)b, 64);
      rows_agree &= fabs(t3.alpha - a) < 1e-9 && fabs(t3.gamma - g) < 1e-9 && fabs(t3.xi - x) < 1e-9;
    }
  }
  md(r, ". %s\n\n",
     rows_agree ? "`tsr_table3` gives the same coefficients (the last column above compares "
                  "the phases with them)."
                : "**`tsr_table3` differs from them.**");
  /* rings of two: the phases' alpha count against Table III's on 2x2 */
  double ph2 = 0, t32 = 0;
  for (int b = 0; b < TSR_N_BLOCKS; b++) {
    tsr_phase ph[TSR_MAX_PHASES];
    int np = tsr_method_phases(TSR_M_HECATON, (tsr_block)b, 2, 2, 1024, 64, 256, ph);
    for (int i = 0; i < np; i++)
      ph2 += (double)ph[i].steps * ph[i].links;
    t32 += tsr_table3(TSR_M_HECATON, (tsr_block)b, 4).alpha;
  }
  if (fabs(ph2 - t32) > 1e-9)
    md(r,
       "On rings of two members (a 2x2 mesh) Hecaton's step hops one link where Table III "
       "counts two: its alpha count there is %.3g of Table III's `8 (sqrt N - 1)` and `12 "
       "(sqrt N - 1)` (%.0f against %.0f over the four blocks).\n\n",
       ph2 / t32, ph2, t32);
}

/* ---- (b) weak scaling ---------------------------------------------------------------- */

static const char *const weak_models[4] = {"bert-large", "bloom-1.7b", "gpt3-6.7b", "llama2-70b"};

static void weak_section(rep *r) {
  md(r, "## (b) Weak scaling: the NoP share of latency (the paper's Fig. 7)\n\n");
  for (int i = 0; i < 4; i++)
    md(r, "%s%s on %u dies (%ux%u)", i == 0 ? "" : i == 3 ? " and " : ", ", weak_models[i],
       (4u << i) * (4u << i), 4u << i, 4u << i);
  md(r, ", on the standard package. The NoP share is link latency plus transmission over the "
        "whole layer iteration. **peak** takes the FMA array at full rate, like the paper's "
        "die. **die model** takes the die's own GEMM cycles from the cost model, ws "
        "dataflow.\n\n");
  md(r, "| model, dies | compute | flat | torus | optimus | hecaton | hecaton: link latency / "
        "transmission / DRAM exposed |\n|---|---|---|---|---|---|---|\n");
  double share[2][4][TSR_N_METHODS], link[4], min_compute = 1;
  for (int i = 0; i < 4; i++) {
    uint32_t side = 4u << i;
    for (int peak = 1; peak >= 0; peak--) {
      setup(r, side, side, TSR_PKG_STANDARD, peak, TSR_DF_WS);
      md(r, "| %s, %u | %s |", weak_models[i], side * side, peak ? "peak" : "die model");
      tsr_sys_result hec = run(r, weak_models[i], TSR_M_HECATON);
      if (peak) link[i] = hec.cycles[TSR_T_LINK] / hec.total_cycles;
      for (int m = 0; m < TSR_N_METHODS; m++) {
        tsr_sys_result x = run(r, weak_models[i], (tsr_method)m);
        share[peak][i][m] = x.feasible ? nop_share(&x) : NAN;
        if (!peak && x.feasible && x.cycles[TSR_T_COMPUTE] / x.total_cycles < min_compute)
          min_compute = x.cycles[TSR_T_COMPUTE] / x.total_cycles;
        md(r, " %.1f %%%s |", 100 * share[peak][i][m], x.sram_ok ? "" : " *");
      }
      md(r, " %.1f / %.1f / %.1f %% |\n", 100 * hec.cycles[TSR_T_LINK] / hec.total_cycles,
         100 * hec.cycles[TSR_T_TRANS] / hec.total_cycles,
         100 * hec.cycles[TSR_T_DRAM] / hec.total_cycles);
    }
  }
  md(r,
     "\n`*` marks a method whose activations (one sample) or fused weights do not fit the "
     "%.4g MiB + %.4g MiB buffers; the paper stars these too.\n\n![weak scaling](%s/weak.svg)\n\n",
     r->base->die.act_buffer.bytes / 1048576.0, r->base->die.weight_buffer.bytes / 1048576.0,
     r->link);
  double dh = share[1][3][3] - share[1][0][3], df = share[1][3][0] - share[1][0][0],
         dt = share[1][3][1] - share[1][0][1], dl = link[3] - link[0];
  md(r,
     "With peak compute, Hecaton's NoP share moves from %.1f %% to %.1f %% from %s to %s "
     "(%+.1f points). Flat-ring's moves from %.1f %% to %.1f %% (%+.1f), and Torus-ring's "
     "from %.1f %% to %.1f %% (%+.1f). ",
     100 * share[1][0][3], 100 * share[1][3][3], weak_models[0], weak_models[3], 100 * dh,
     100 * share[1][0][0], 100 * share[1][3][0], 100 * df, 100 * share[1][0][1],
     100 * share[1][3][1], 100 * dt);
  /* the paper's finding (VI-C): Hecaton's share nearly constant, the 1D methods' growing */
  if (fabs(dh) < 0.5 * df && fabs(dh) < 0.5 * dt && df > 0 && dt > 0)
    md(r, "As in the paper, Hecaton's share changes less than half as much as either 1D "
          "method's, which grow with the model. ");
  else
    md(r, "Unlike the paper, Hecaton's share does not change less than half as much as the "
          "1D methods'. ");
  if (dh > 0 && fabs(dl) < dh) {
    double s0 = 4u << 0, s3 = 4u << 3; /* the sides of the first and last mesh */
    double q0 = (s0 - 1) / s0, q3 = (s3 - 1) / s3;
    md(r,
       "Hecaton's link latency share moves from %.1f %% to %.1f %% only, so its rise comes from "
       "transmission: Table III's `(sqrt N - 1) / N gamma` against compute `b s h^2 / N` "
       "grows as `(sqrt N - 1) / sqrt N`, from %.4g at %u dies to %.4g at %u, because the "
       "batch doubles with h. The paper (VI-C) attributes its own slight growth to alpha. ",
       100 * link[0], 100 * link[3], q0, (unsigned)(s0 * s0), q3, (unsigned)(s3 * s3));
  }
  md(r,
     "With the die model, compute is %.1f %% or more of every method's latency (the die's "
     "GEMMs against the array's peak: see the differences below).\n\n",
     100 * floor(1000 * min_compute) / 1000);
  FILE *gp = open_data(r, "weak.gp");
  char q_svg[9000], q_dat[9000];
  gpq(q_svg, sizeof q_svg, r->img, "weak.svg");
  gpq(q_dat, sizeof q_dat, r->data, "weak.dat");
  fprintf(gp,
          "set terminal svg size 900,420 dynamic font 'sans,11'\n"
          "set output %s\n"
          "set multiplot layout 1,2\n"
          "set style data linespoints\nset ylabel 'NoP share of latency (%%)'\n"
          "set xtics ('Bert-L / 16' 0, 'BLOOM / 64' 1, 'GPT3 / 256' 2, 'Llama2 / 1024' 3)\n"
          "set yrange [0:100]\nset xrange [-0.4:3.4]\nset key top left\nset grid ytics\n"
          "set title 'peak compute (the paper''s assumption)'\n"
          "plot for [k=2:5] %s using 0:k title columnhead(k) pt 7\n"
          "set title 'Tessera die model (ws)'\n"
          "plot for [k=6:9] %s using 0:k notitle pt 7\n"
          "unset multiplot\n",
          q_svg, q_dat, q_dat);
  fclose(gp);
  /* gnuplot's columnhead takes the names in the first line */
  FILE *d = open_data(r, "weak.dat");
  fprintf(d, "model flat torus optimus hecaton flat_d torus_d optimus_d hecaton_d\n");
  for (int i = 0; i < 4; i++) {
    fprintf(d, "%s", weak_models[i]);
    for (int peak = 1; peak >= 0; peak--)
      for (int m = 0; m < TSR_N_METHODS; m++)
        fprintf(d, " %.4f", 100 * share[peak][i][m]);
    fprintf(d, "\n");
  }
  fclose(d);
}

/* ---- (c) strong scaling -------------------------------------------------------------- */

static void strong_section(rep *r) {
  static const uint32_t shape[][2] = {{2, 2},  {2, 4},   {4, 4},   {4, 8},  {8, 8},
                                      {8, 16}, {16, 16}, {16, 32}, {32, 32}};
  enum { NS = sizeof shape / sizeof shape[0] };
  const char *model = "gpt3-6.7b";
  const tsr_workload *wl = tsr_workload_find(model);
  unsigned n_lo = shape[0][0] * shape[0][1], n_hi = shape[NS - 1][0] * shape[NS - 1][1];
  md(r, "## (c) Strong scaling: %s from %u to %u dies (the paper's Fig. 9)\n\n"
        "One workload (%s, batch %u, sequence %u) on %u to %u dies, on the standard "
        "package, with peak compute and with the die model (ws). On a rectangle, each method "
        "takes the better of `R x C` and `C x R` (the paper follows its layout preference, "
        "VI-F). Latency, energy and their product are normalized to the least over every "
        "method and die count. A blank cell is a layout the method cannot use (Optimus needs "
        "a square with a power-of-two side).\n\n",
     wl->name, n_lo, n_hi, wl->name, wl->batch, wl->seq, n_lo, n_hi);
  for (int peak = 1; peak >= 0; peak--) {
    double lat[NS][TSR_N_METHODS], en[NS][TSR_N_METHODS];
    int fits[NS][TSR_N_METHODS];
    double lmin = INFINITY, emin = INFINITY, pmin = INFINITY;
    for (int i = 0; i < NS; i++)
      for (int m = 0; m < TSR_N_METHODS; m++) {
        lat[i][m] = en[i][m] = NAN;
        fits[i][m] = 0;
        for (int o = 0; o < 2; o++) {
          setup(r, o ? shape[i][1] : shape[i][0], o ? shape[i][0] : shape[i][1], TSR_PKG_STANDARD,
                peak, TSR_DF_WS);
          tsr_sys_result x = run(r, model, (tsr_method)m);
          if (!x.feasible || (!isnan(lat[i][m]) && x.seconds >= lat[i][m])) continue;
          lat[i][m] = x.seconds, en[i][m] = x.energy_pj * 1e-12, fits[i][m] = x.sram_ok;
        }
        if (isnan(lat[i][m])) continue;
        if (lat[i][m] < lmin) lmin = lat[i][m];
        if (en[i][m] < emin) emin = en[i][m];
        if (lat[i][m] * en[i][m] < pmin) pmin = lat[i][m] * en[i][m];
      }
    char name[64];
    snprintf(name, sizeof name, "strong-%s.dat", peak ? "peak" : "model");
    FILE *d = open_data(r, name);
    fprintf(d, "dies");
    for (int k = 0; k < 3; k++)
      for (int m = 0; m < TSR_N_METHODS; m++)
        fprintf(d, " %s", tsr_method_names[m]);
    fprintf(d, "\n");
    md(r,
       "%s:\n\n| dies | latency flat / torus / optimus / hecaton | energy | EDP |\n"
       "|---|---|---|---|\n",
       peak ? "**Peak compute**" : "**Die model** (ws)");
    for (int i = 0; i < NS; i++) {
      uint32_t n = shape[i][0] * shape[i][1];
      fprintf(d, "%u", n);
      md(r, "| %u |", n);
      for (int k = 0; k < 3; k++) {
        for (int m = 0; m < TSR_N_METHODS; m++) {
          double v = k == 0   ? lat[i][m] / lmin
                     : k == 1 ? en[i][m] / emin
                              : lat[i][m] * en[i][m] / pmin;
          fprintf(d, " %.6g", v);
          if (isnan(v))
            md(r, "%s", m ? " / " : " ");
          else
            md(r, "%s%.3g%s", m ? " / " : " ", v, fits[i][m] ? "" : "*");
        }
        md(r, " |");
      }
      md(r, "\n");
      fprintf(d, "\n");
    }
    fclose(d);
    /* where Flat-ring's EDP bottoms out, and Hecaton's */
    int best[2] = {0, 0};
    for (int i = 0; i < NS; i++)
      for (int k = 0; k < 2; k++) {
        int m = k ? TSR_M_HECATON : TSR_M_FLAT;
        if (lat[i][m] * en[i][m] < lat[best[k]][m] * en[best[k]][m]) best[k] = i;
      }
    md(r,
       "\nLeast EDP: Flat-ring at %u dies, Hecaton at %u dies. From %u to %u dies Flat-ring's "
       "latency falls %.1fx and Hecaton's %.1fx; their energy changes %.2fx and %.2fx. `*`: "
       "the SRAM does not hold what the method needs.\n\n",
       shape[best[0]][0] * shape[best[0]][1], shape[best[1]][0] * shape[best[1]][1], n_lo, n_hi,
       lat[0][TSR_M_FLAT] / lat[NS - 1][TSR_M_FLAT],
       lat[0][TSR_M_HECATON] / lat[NS - 1][TSR_M_HECATON],
       en[NS - 1][TSR_M_FLAT] / en[0][TSR_M_FLAT],
       en[NS - 1][TSR_M_HECATON] / en[0][TSR_M_HECATON]);
    /* against Fig. 9 (VI-D): Flat-ring's EDP first drops then grows, its least at about 64
       dies, with a surge in energy; Hecaton's EDP keeps decreasing */
    const double paper_flat_best = 64;
    unsigned fb = shape[best[0]][0] * shape[best[0]][1];
    int flat_turns = best[0] > 0 && best[0] < NS - 1, hec_falls = 1;
    for (int i = 1; i < NS; i++)
      hec_falls &= lat[i][TSR_M_HECATON] * en[i][TSR_M_HECATON] <
                   lat[i - 1][TSR_M_HECATON] * en[i - 1][TSR_M_HECATON];
    double ef = en[NS - 1][TSR_M_FLAT] / en[0][TSR_M_FLAT];
    setup(r, shape[NS - 1][0], shape[NS - 1][1], TSR_PKG_STANDARD, peak, TSR_DF_WS);
    tsr_sys_result fx = run(r, model, TSR_M_FLAT);
    double nop_e = fx.feasible ? fx.pj[TSR_EN_NOP] / fx.energy_pj : NAN;
    md(r,
       "Against the paper's Fig. 9 (VI-D), which finds Flat-ring's EDP first dropping, then "
       "growing, least at about %.0f dies, with a surge in energy, and Hecaton's EDP "
       "decreasing all the way:\n\n",
       paper_flat_best);
    md(r, "- Flat-ring's least EDP is at %u dies, %s. ", fb,
       fb == (unsigned)paper_flat_best ? "as in the paper"
       : fb > paper_flat_best          ? "more dies than the paper's optimum"
                                       : "fewer dies than the paper's optimum");
    if (flat_turns)
      md(r, "Its EDP drops and then grows, as in the paper. ");
    else
      md(r, "Its EDP does not drop and then grow over %u to %u dies: its least is at an end. ",
         n_lo, n_hi);
    md(r, "Its energy changes %.2fx from %u to %u dies, with the NoP %.1f %% of it at %u dies",
       ef, n_lo, n_hi, 100 * nop_e, n_hi);
    if (ef < 2 && nop_e < 0.25)
      md(r, ": the model's energy is mostly compute and SRAM (the die's counts at 45 nm, "
            "differences below), so it shows no surge like the paper's, and the EDP's least "
            "moves to where latency still falls.\n");
    else if (ef < 2)
      md(r, ": no surge like the paper's.\n");
    else
      md(r, ": it grows with the communication, as the paper's does.\n");
    md(r, "- Hecaton's EDP %s.\n\n",
       hec_falls ? "decreases at every step, as in the paper"
                 : "does not decrease at every step, unlike the paper");
    md(r, "![strong scaling, %s](%s/strong-%s.svg)\n\n", peak ? "peak compute" : "die model",
       r->link, peak ? "peak" : "model");
    snprintf(name, sizeof name, "strong-%s.gp", peak ? "peak" : "model");
    FILE *gp = open_data(r, name);
    char q_svg[9000], q_dat[9000], f_svg[64], f_dat[64];
    snprintf(f_svg, sizeof f_svg, "strong-%s.svg", peak ? "peak" : "model");
    snprintf(f_dat, sizeof f_dat, "strong-%s.dat", peak ? "peak" : "model");
    gpq(q_svg, sizeof q_svg, r->img, f_svg);
    gpq(q_dat, sizeof q_dat, r->data, f_dat);
    fprintf(gp,
            "set terminal svg size 1100,380 dynamic font 'sans,11'\n"
            "set output %s\n"
            "set multiplot layout 1,3 title 'GPT3-6.7B, standard package, %s'\n"
            "set logscale xy\nset xlabel 'dies'\nset style data linespoints\nset grid\n"
            "set xtics (4, 16, 64, 256, 1024)\nset xrange [3:1400]\nset key top right\n"
            "f = %s\n"
            "set title 'latency (normalized)'\n"
            "plot for [k=2:5] f using 1:k title columnhead(k) pt 7\n"
            "set title 'energy (normalized)'\nunset logscale y\n"
            "plot for [k=6:9] f using 1:k notitle pt 7\n"
            "set title 'EDP (normalized)'\nset logscale y\n"
            "plot for [k=10:13] f using 1:k notitle pt 7\n"
            "unset multiplot\n",
            q_svg, peak ? "peak compute" : "die model (ws)", q_dat);
    fclose(gp);
  }
}

/* ---- (d) Llama2-70B ---------------------------------------------------------------------- */

/* Flat-ring with Megatron-LM's sequence parallelism against Hecaton, standard
 * package: how close the die model's ratios come to the peak rows' once the
 * 1D method stops replicating LayerNorm and the residual. */
static void sequence_parallel(rep *r) {
  md(r, "With Megatron-LM's sequence parallelism (`--sequence-parallel`, docs/system-model.md), "
        "Flat-ring keeps Table III's collectives, each all-reduce run as its reduce-scatter and "
        "all-gather, and runs LayerNorm and the residual between them on `T / N` tokens per "
        "die; gamma's and beta's gradients are all-reduced once per iteration. The paper's "
        "Flat-ring, the rows above, replicates them on every die. Standard package:\n\n"
        "| compute | dataflow | Flat-ring ms | Hecaton ms | speedup | Flat-ring J | Hecaton J "
        "| energy ratio |\n|---|---|---|---|---|---|---|---|\n");
  double sp[2][2], er[2][2]; /* [peak][dataflow] */
  for (int peak = 1; peak >= 0; peak--)
    for (int df = 1; df >= 0; df--) {
      setup(r, 32, 32, TSR_PKG_STANDARD, peak, df);
      r->sys.seq_par = 1;
      tsr_sys_result f = run(r, "llama2-70b", TSR_M_FLAT), h = run(r, "llama2-70b", TSR_M_HECATON);
      sp[peak][df] = f.seconds / h.seconds, er[peak][df] = f.energy_pj / h.energy_pj;
      if (df == TSR_DF_WS) *(peak ? &r->flat_sp_peak : &r->flat_sp_model) = f;
      md(r, "| %s | %s | %.1f | %.1f | **%.2fx** | %.1f | %.1f | **%.2fx** |\n",
         peak ? "peak" : "die model", df ? "os" : "ws", f.seconds * 1e3, h.seconds * 1e3,
         sp[peak][df], f.energy_pj * 1e-12, h.energy_pj * 1e-12, er[peak][df]);
    }
  int within = 1;
  for (int df = 0; df < 2; df++)
    within = within && fabs(sp[0][df] / sp[1][df] - 1) <= 0.1 &&
             fabs(er[0][df] / er[1][df] - 1) <= 0.1;
  md(r,
     "\nThe die model's speedup is %.2fx (ws) and %.2fx (os) against %.2fx and %.2fx at peak "
     "(%+.1f %% and %+.1f %%), and its energy ratio %.2fx and %.2fx against %.2fx and %.2fx "
     "(%+.1f %% and %+.1f %%): %s.\n\n",
     sp[0][0], sp[0][1], sp[1][0], sp[1][1], 100 * (sp[0][0] / sp[1][0] - 1),
     100 * (sp[0][1] / sp[1][1] - 1), er[0][0], er[0][1], er[1][0], er[1][1],
     100 * (er[0][0] / er[1][0] - 1), 100 * (er[0][1] / er[1][1] - 1),
     within ? "all four within 10 % of the peak rows"
            : "not all four within 10 % of the peak rows");
}

static void llama_section(rep *r) {
  static const double paper_speed[2] = {4.98, 2.05}, paper_energy[2] = {2.35, 2.18};
  md(r, "## (d) Llama2-70B on 32x32: Hecaton over Flat-ring\n\n"
        "Speedup is Flat-ring's latency over Hecaton's, per layer iteration. Energy ratio is "
        "Flat-ring's energy over Hecaton's. The paper reports these as its largest "
        "improvements (VI-B), on Llama2-70B.\n\n"
        "| compute | dataflow | package | Flat-ring ms | Hecaton ms | speedup | paper | Flat-ring "
        "J | Hecaton J | energy ratio | paper |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  double s_peak_os[2] = {0, 0}, e_peak_os[2] = {0, 0};
  for (int peak = 1; peak >= 0; peak--)
    for (int df = 1; df >= 0; df--)
      for (int pkg = 0; pkg < TSR_N_PKGS; pkg++) {
        setup(r, 32, 32, pkg, peak, df);
        tsr_sys_result f = run(r, "llama2-70b", TSR_M_FLAT),
                       h = run(r, "llama2-70b", TSR_M_HECATON);
        double sp = f.seconds / h.seconds, er = f.energy_pj / h.energy_pj;
        if (peak && df == TSR_DF_OS) s_peak_os[pkg] = sp, e_peak_os[pkg] = er;
        if (peak && df == TSR_DF_OS && pkg == TSR_PKG_STANDARD) {
          r->copy_ms = h.copy_cycles / (r->base->technology.clock_mhz * 1e3);
          r->hec_peak_ms = h.seconds * 1e3;
        }
        if (!peak && df == TSR_DF_WS && pkg == TSR_PKG_STANDARD)
          r->flat_model = f, r->hec_model = h;
        md(r,
           "| %s | %s | %s | %.1f | %.1f | **%.2fx** | %.2fx | %.1f | %.1f | **%.2fx** | %.2fx |\n",
           peak ? "peak" : "die model", df ? "os" : "ws", tsr_package_names[pkg], f.seconds * 1e3,
           h.seconds * 1e3, sp, paper_speed[pkg], f.energy_pj * 1e-12, h.energy_pj * 1e-12, er,
           paper_energy[pkg]);
      }
  md(r,
     "\nThe closest to the paper's setting is peak compute with the output-stationary die "
     "(SRAM traffic near a reuse-aware die's). There the model gives %.2fx and %.2fx "
     "speedup against %.2fx and %.2fx, and %.2fx and %.2fx energy against %.2fx and "
     "%.2fx.\n\n",
     s_peak_os[0], s_peak_os[1], paper_speed[0], paper_speed[1], e_peak_os[0], e_peak_os[1],
     paper_energy[0], paper_energy[1]);
  sequence_parallel(r);
  /* breakdown of all four methods, peak, os, both packages */
  md(r, "Breakdown, peak compute, os. Latency shares are compute / link latency / transmission "
        "/ DRAM exposed; energy shares are compute / SRAM / NoP / DRAM.\n\n| package | method | "
        "latency ms | latency shares | energy J | energy shares | mini-batches | SRAM |\n"
        "|---|---|---|---|---|---|---|---|\n");
  for (int pkg = 0; pkg < TSR_N_PKGS; pkg++) {
    setup(r, 32, 32, pkg, 1, TSR_DF_OS);
    for (int m = 0; m < TSR_N_METHODS; m++) {
      tsr_sys_result x = run(r, "llama2-70b", (tsr_method)m);
      if (x.cycles[3] / x.total_cycles > r->max_dram_share)
        r->max_dram_share = x.cycles[3] / x.total_cycles;
      md(r,
         "| %s | %s | %.1f | %.0f / %.0f / %.0f / %.0f %% | %.1f | %.0f / %.0f / %.0f / %.0f "
         "%% | %u x %u | %s |\n",
         tsr_package_names[pkg], tsr_method_names[m], x.seconds * 1e3,
         100 * x.cycles[0] / x.total_cycles, 100 * x.cycles[1] / x.total_cycles,
         100 * x.cycles[2] / x.total_cycles, 100 * x.cycles[3] / x.total_cycles,
         x.energy_pj * 1e-12, 100 * x.pj[0] / x.energy_pj, 100 * x.pj[1] / x.energy_pj,
         100 * x.pj[2] / x.energy_pj, 100 * x.pj[3] / x.energy_pj, x.minibatches, x.mb_samples,
         x.sram_ok ? "fits" : "exceeds");
    }
  }
  md(r, "\n");
}

/* ---- (e) departures from Table III ----------------------------------------------------- */

typedef struct {
  double lo, hi;
} range;
static void widen(range *g, double v) {
  if (isnan(v)) return;
  if (v < g->lo) g->lo = v;
  if (v > g->hi) g->hi = v;
}

static void departures_section(rep *r) {
  md(r, "## (e) Departures from Table III, per method and block\n\n"
        "The model's NoP terms for each block of (b)'s weak-scaling cases (standard package, "
        "peak compute, ws), over the whole batch, against Table III's evaluated for the same "
        "alpha (the package's link latency), beta and batch. Each factor is the model's term "
        "divided by Table III's, and is split into what makes it:\n\n"
        "- **link latency** = (the phases' link hops / Table III's alpha count) x (the "
        "mini-batches: the model runs every collective once per mini-batch, Table III once "
        "per batch) x (the model's cycles per link hop / alpha: each step's SEND and WAIT, "
        "routers or bypass registers, the output register, less what a step's GEMM hides).\n"
        "- **transmission** = (the words moved, all mini-batches, / Table III's volume: "
        "the weights Optimus broadcasts, its `xi` term, move once per mini-batch) x (flits "
        "x words per flit / words: head flits and whole flits) x (Table III's beta / the "
        "flits' rate) x (the flits' cycles the chains expose / all of them: Hecaton's dW "
        "all-gather sends async, behind its GEMMs) x the rest (1 when these explain the "
        "factor).\n\n"
        "| model, N | method | block | link latency: model / T3 | = hops x mini-batches x "
        "per hop | transmission: model / T3 | = volume x flits x beta x exposed x rest |\n"
        "|---|---|---|---|---|---|---|\n");
  range A[TSR_N_METHODS], X[TSR_N_METHODS], hopf = {INFINITY, -INFINITY},
        perhop = {INFINITY, -INFINITY}, nmbr = {INFINITY, -INFINITY},
        volf[TSR_N_METHODS], flitf = {INFINITY, -INFINITY}, betaf = {INFINITY, -INFINITY},
        expf = {INFINITY, -INFINITY}, rest = {INFINITY, -INFINITY},
        ln_lf = {INFINITY, -INFINITY}, ln_xf = {INFINITY, -INFINITY};
  for (int m = 0; m < TSR_N_METHODS; m++)
    A[m] = X[m] = volf[m] = (range){INFINITY, -INFINITY};
  for (int i = 0; i < 4; i++) {
    uint32_t side = 4u << i;
    double N = (double)side * side;
    const tsr_workload *w = tsr_workload_find(weak_models[i]);
    setup(r, side, side, TSR_PKG_STANDARD, 1, TSR_DF_WS);
    const tsr_config *sc = r->sys.cfg;
    double L = sc->router.link_latency, clk = sc->technology.clock_mhz * 1e6;
    double beta = tsr_packages[TSR_PKG_STANDARD].gbps * 1e9, fbeta = sc->router.flit_bits / 8.0 * clk;
    double wpf = sc->router.flit_bits / 32, h = w->hidden, T = (double)w->batch * w->seq;
    for (int m = 0; m < TSR_N_METHODS; m++) {
      tsr_sys_result x = run(r, weak_models[i], (tsr_method)m);
      if (!x.feasible) {
        md(r, "| %s, %.0f | %s | | cannot run: %s | | | |\n", w->name, N, tsr_method_names[m],
           x.why);
        continue;
      }
      double tmb = (double)x.mb_samples * w->seq, nmb = x.minibatches;
      for (int b = 0; b < TSR_N_BLOCKS; b++) {
        tsr_phase ph[TSR_MAX_PHASES];
        int np = tsr_method_phases((tsr_method)m, (tsr_block)b, side, side, tmb, h, w->ffn, ph);
        double hops = 0, vol = 0, fl = 0;
        for (int k = 0; k < np; k++) {
          if (ph[k].half == 2) continue; /* the torus's halves run at once */
          hops += (double)ph[k].steps * ph[k].links;
          vol += ph[k].steps * ph[k].words;
          fl += (double)ph[k].steps * tsr_ni_message_flits(sc, (uint32_t)ceil(ph[k].words - 1e-9));
        }
        tsr_t3 t3 = tsr_table3((tsr_method)m, (tsr_block)b, N);
        /* the phases' terms: without the non-linearities' collectives */
        double ln_link = x.block_nl_nop[b][0], ln_trans = x.block_nl_nop[b][1];
        double t3_link = t3.alpha * L, model_link = x.block_terms[b][TSR_T_LINK] - ln_link;
        double t3_words = t3.gamma * T * h + t3.xi * h * h;
        double t3_trans = t3_words * 4 / beta * clk,
               model_trans = x.block_terms[b][TSR_T_TRANS] - ln_trans;
        if (ln_link + ln_trans > 0)
          widen(&ln_lf, ln_link / model_link), widen(&ln_xf, ln_trans / model_trans);
        double fa = model_link / t3_link, f_hops = hops / t3.alpha,
               f_hop = model_link / (nmb * hops * L);
        double fx = model_trans / t3_trans, f_vol = nmb * vol / t3_words, f_fl = fl * wpf / vol,
               f_beta = beta / fbeta, f_exp = model_trans / (model_trans + x.block_hidden[b]),
               f_rest = fx / (f_vol * f_fl * f_beta * f_exp);
        widen(&A[m], fa), widen(&X[m], fx), widen(&hopf, f_hops), widen(&perhop, f_hop);
        widen(&nmbr, nmb), widen(&volf[m], f_vol), widen(&flitf, f_fl), widen(&betaf, f_beta);
        widen(&expf, f_exp), widen(&rest, f_rest);
        char label[128] = "";
        if (m == 0 && b == 0) snprintf(label, sizeof label, "%.64s, %.0f", w->name, N);
        md(r,
           "| %s | %s | %s | **%.3gx** | %.3g x %.0f x %.3g | **%.4gx** | %.4g x %.4g x %.4g x "
           "%.4g x %.4g |\n",
           label, b == 0 ? tsr_method_names[m] : "", tsr_block_names[b], fa, f_hops, nmb, f_hop,
           fx, f_vol, f_fl, f_beta, f_exp, f_rest);
      }
    }
  }
  md(r, "\nBy method, over these cases (model / Table III):\n\n| method | link latency | "
        "transmission | of which volume |\n|---|---|---|---|\n");
  for (int m = 0; m < TSR_N_METHODS; m++)
    if (A[m].lo <= A[m].hi)
      md(r, "| %s | %.3gx to %.3gx | %.4gx to %.4gx | %.4gx to %.4gx |\n", tsr_method_names[m],
         A[m].lo, A[m].hi, X[m].lo, X[m].hi, volf[m].lo, volf[m].hi);
  if (ln_lf.lo <= ln_lf.hi)
    md(r, "\nThe model's NoP terms above leave out what the non-linearities send, as Table III "
          "does: LayerNorm's sums over Hecaton's rings (its statistics over the row ring, "
          "gamma's and beta's gradients over the column ring) and Optimus's (the gradients "
          "over the row ring, then the column ring). Where a block has them, they add "
          "%.3g %% to %.3g %% to its phases' link latency and %.3g %% to %.3g %% to their "
          "transmission.\n",
       100 * ln_lf.lo, 100 * ln_lf.hi, 100 * ln_xf.lo, 100 * ln_xf.hi);
  md(r, "\nWhy, factor by factor (each stated only where it departs from 1):\n\n");
  if (nmbr.hi > 1)
    md(r,
       "- **Mini-batches** (%.0f to %.0f): the batch runs as that many mini-batches, each of "
       "the samples the activation buffer holds, and the model runs every collective once per "
       "mini-batch, so it pays each step's latency that many times; Table III counts one "
       "collective per block and batch.\n",
       nmbr.lo, nmbr.hi);
  if (fabs(hopf.lo - 1) > 1e-9 || fabs(hopf.hi - 1) > 1e-9)
    md(r, "- **Hops** (%.3g to %.3g of Table III's alpha count): the phases' link hops differ "
          "from Table III's count.\n",
       hopf.lo, hopf.hi);
  if (perhop.lo < 0.995 || perhop.hi > 1.005)
    md(r,
       "- **Cycles per hop** (%.3g to %.3g alpha): a step costs its SEND and WAIT and the "
       "routers or bypass registers besides the links (difference 4 below gives the cycles); "
       "a GEMM running during a step (Hecaton's dW all-gather) hides some of it.\n",
       perhop.lo, perhop.hi);
  for (int m = 0; m < TSR_N_METHODS; m++)
    if (volf[m].lo <= volf[m].hi && (volf[m].lo < 0.995 || volf[m].hi > 1.005))
      md(r,
         "- **Volume**, %s (%.4g to %.4g): %s\n", tsr_method_names[m], volf[m].lo, volf[m].hi,
         m == TSR_M_OPTIMUS ? "its weight blocks (Table III's `xi` term) are broadcast once "
                              "per mini-batch, not once per batch."
                            : "the phases move other volumes than Table III's terms.");
  if (flitf.lo < 0.995 || flitf.hi > 1.005)
    md(r, "- **Flits** (%.4g to %.4g): a head flit per %u body flits, and the last flit of a "
          "message whole.\n",
       flitf.lo, flitf.hi, TSR_NI_MAX_BODY);
  if (betaf.lo < 0.995 || betaf.hi > 1.005)
    md(r, "- **Beta** (%.4g): the flit is the link's bytes per cycle rounded down to whole "
          "words.\n",
       betaf.lo);
  if (expf.lo < 0.995)
    md(r, "- **Exposed** (%.4g to %.4g): Hecaton's dW all-gather sends each `X^T` tile async "
          "while the tile's GEMM runs (docs/lowering.md), so part of its flits' time is not "
          "latency.\n",
       expf.lo, expf.hi);
  if (rest.lo < 0.99 || rest.hi > 1.01)
    md(r, "- **Rest** (%.4g to %.4g): not explained by the factors above.\n", rest.lo, rest.hi);
  else
    md(r, "- The factors above explain every transmission ratio: the rest is 1 within 1 %% "
          "(%.4g to %.4g).\n",
       rest.lo, rest.hi);
  md(r, "\n");
}

static double sram_bits_per_fma(const tsr_counts *c) {
  const uint64_t *v = c->c;
  return (double)(v[TSR_CNT_WBUF_READ_BITS] + v[TSR_CNT_WBUF_WRITE_BITS] +
                  v[TSR_CNT_ABUF_READ_BITS] + v[TSR_CNT_ABUF_WRITE_BITS]) /
         (double)v[TSR_CNT_FMA_OPS];
}

/* The non-linearities' cycles of an estimate. */
static double nl_total(const tsr_sys_result *x) {
  double sum = 0;
  for (int k = 0; k < TSR_N_NL; k++)
    sum += x->nl_cycles[k];
  return sum;
}

static void parameters_and_differences(rep *r) {
  const tsr_config *c = r->base;
  const tsr_die_cfg *d = &c->die;
  const tsr_energy_cfg *e = &c->technology.energy_pj;
  double clk = c->technology.clock_mhz;
  /* the die model's GEMM rate on a full tile, both dataflows */
  tsr_die_cfg ws = *d, os = *d;
  ws.dataflow = TSR_DF_WS, os.dataflow = TSR_DF_OS;
  uint64_t m = 1024, k = 1024, n = 4096;
  tsr_counts cnt_ws = {0}, cnt_os = {0};
  double rate_ws = (double)(m * k * n) / (double)tsr_sys_gemm(&ws, m, k, n, 1, &cnt_ws);
  double rate_os = (double)(m * k * n) / (double)tsr_sys_gemm(&os, m, k, n, 1, &cnt_os);
  /* SRAM bits moved per FMA operation, and their energy */
  double bits_ws = sram_bits_per_fma(&cnt_ws), bits_os = sram_bits_per_fma(&cnt_os);
  /* the advanced package's flit, then the standard package on 32x32 (kept for below) */
  setup(r, 32, 32, TSR_PKG_ADVANCED, 1, TSR_DF_WS);
  uint32_t adv_flit = r->sys.cfg->router.flit_bits;
  setup(r, 32, 32, TSR_PKG_STANDARD, 1, TSR_DF_WS);
  const tsr_config *sc = r->sys.cfg;
  tsr_sys_result h = run(r, "llama2-70b", TSR_M_HECATON), fl = run(r, "llama2-70b", TSR_M_FLAT);
  double nl_h = nl_total(&h), nl_fl = nl_total(&fl);
  /* the same with the die model, from (d) */
  const tsr_sys_result *fm = &r->flat_model, *fp = &fl, *hm = &r->hec_model, *hp = &h;
  double kc = clk * 1e3, nl_fm = nl_total(fm); /* cycles a millisecond */
  uint64_t vadd_units = tsr_sys_vadd(&ws, tsr_die_units(d), NULL);
  uint32_t io_per_row = c->mesh.io_dies ? (sc->mesh.cols >= 2 ? 2 : 1) : 0;
  md(r,
     "\n## Parameters used\n\n"
     "| | value | source |\n|---|---|---|\n"
     "| die | %u PEs x %u lanes x %u = %u FP32 FMA units, FMA depth %u, %llu KiB + %llu KiB "
     "buffers in %u banks of %u-bit ports, %.0f MHz | %s |\n"
     "| standard package | %.0f GB/s per link, %.0f ns, %.2f pJ/bit (%u-bit flits, %u-cycle "
     "links) | UCIe 1.0 x16 at 16 GT/s; alpha from the paper's VI-E |\n"
     "| advanced package | %.0f GB/s, %.0f ns, %.2f pJ/bit (%u-bit flits) | UCIe 1.0 x64 at "
     "16 GT/s |\n"
     "| DRAM | %u channels x %.1f GB/s per IO die, %u ns, %.1f pJ/bit; %u IO dies per row, "
     "each behind one link: %.0f bytes/cycle in all on 32x32 (standard) | the configuration's "
     "`mesh.dram` (DDR5-6400 by default); SCAR Table II for pJ/bit |\n"
     "| energy | FMA %.1f pJ, SRAM %.2f pJ/bit read, %.2f write, router %.2f pJ/bit, "
     "instruction fetch %.2f pJ/bit | docs/config.md (Horowitz 2014, 45 nm, unscaled) |\n",
     d->pe_count, d->lanes, d->vector, tsr_die_units(d), d->fma_stages,
     (unsigned long long)d->act_buffer.bytes / 1024,
     (unsigned long long)d->weight_buffer.bytes / 1024, d->act_buffer.banks,
     d->act_buffer.port_bits, clk, r->cfg_path, tsr_packages[0].gbps, tsr_packages[0].latency_ns,
     tsr_packages[0].pj_per_bit, sc->router.flit_bits, sc->router.link_latency,
     tsr_packages[1].gbps, tsr_packages[1].latency_ns, tsr_packages[1].pj_per_bit, adv_flit,
     c->mesh.dram_channels, c->mesh.dram_gbps, c->mesh.dram_latency_ns, e->dram_bit, io_per_row,
     h.dram_bytes_per_cycle, e->fma_op, e->sram_read_bit, e->sram_write_bit, e->router_flit_bit,
     e->imem_read_bit);
  md(r, "| workloads |");
  for (int i = 0; i < 4; i++) {
    const tsr_workload *w = tsr_workload_find(weak_models[i]);
    md(r, "%s %s: h %u, %u heads, FFN %u, batch %u, sequence %u", i ? ";" : "", w->name,
       w->hidden, w->heads, w->ffn, w->batch, w->seq);
  }
  md(r, " | the paper's VI-A; configs/models/ |\n\n");

  const double paper_macs = 4096; /* the paper's die (VI-A) */
  /* what 1D tensor parallelism leaves a die of Llama2-70B on 32x32 */
  const tsr_workload *ll = tsr_workload_find("llama2-70b");
  double nd = 32.0 * 32.0;
  uint32_t tile_w = d->lanes * d->vector;
  /* Flat-ring's GEMM with the short chain, on a mini-batch's tokens: the
     second layer's forward, from zero */
  double t_flat = (double)fm->mb_samples * ll->seq, k_flat = ll->hidden / nd;
  double g_flat =
      (double)tsr_sys_gemm(&ws, (uint64_t)t_flat, (uint64_t)k_flat, ll->hidden, 0, NULL);
  /* the per-step overhead of the chains: a SEND's cycles beyond its flits, the
     WAIT after it; a Hecaton ring step (two links, a bypass register) and a
     Flat-ring step (one link, two routers) beyond their flits, against Table
     III's alpha per link */
  uint32_t w_small = 64;
  uint64_t f_small = tsr_ni_message_flits(sc, w_small);
  uint64_t sd_fixed = tsr_send_cycles(sc, w_small) - f_small;
  uint64_t a_ring = tsr_sys_arrive(sc, w_small, 2, 1), a_mesh = tsr_sys_arrive(sc, w_small, 1, 0);
  uint64_t p_ring = tsr_sys_ring(sc, 3, w_small, a_ring, 0, 0, 0, 0) -
                    tsr_sys_ring(sc, 2, w_small, a_ring, 0, 0, 0, 0) - f_small;
  uint64_t p_mesh = tsr_sys_ring(sc, 3, w_small, a_mesh, 0, 0, 0, 0) -
                    tsr_sys_ring(sc, 2, w_small, a_mesh, 0, 0, 0, 0) - f_small;
  uint32_t L = sc->router.link_latency;
  double flat_steps = 0;
  {
    tsr_phase ph[TSR_MAX_PHASES];
    int np = tsr_method_phases(TSR_M_FLAT, TSR_B_FWD_ATTN, 32, 32, 512, ll->hidden, ll->ffn, ph);
    for (int i = 0; i < np; i++)
      flat_steps += ph[i].steps;
  }
  /* head flits of a long message */
  uint32_t wpf = sc->router.flit_bits / 32, w_long = wpf * TSR_NI_MAX_BODY * 64;
  double head = (double)tsr_ni_message_flits(sc, w_long) / ((double)w_long / wpf) - 1;
  /* one sample's activations on every die under 1D tensor parallelism */
  double act_flat = 4 * tsr_sram_act_words(TSR_M_FLAT, 32, 32, ll->seq, ll->hidden, ll->ffn);

  md(r,
     "## Where the model and the paper differ, and why\n\n"
     "1. **The die.** The paper's simulator runs its die's %.0f MACs (VI-A) near peak. This "
     "die of %u FMA units, as its "
     "RTL is built and as the lockstep cost model times it, has %u banks of %u-bit weight "
     "ports and %u of %u-bit activation ports. A %llu x %llu x %llu GEMM runs at %.0f FMAs "
     "per cycle weight-stationary (the ws stream) and %.0f output-stationary (the os "
     "stream), out of %u (docs/microarchitecture.md: the tiles' init and store do not "
     "overlap the streams). With the ws die model, compute is %.1f %% of Hecaton's latency "
     "on Llama2-70B. Hecaton's latency is %.0f %% above its peak-compute latency and "
     "Flat-ring's %.0f %% above, so the speedup over Flat-ring is %.2fx against %.2fx at "
     "peak. Flat-ring's compute takes %.0f ms against %.0f ms at peak:\n",
     paper_macs, tsr_die_units(d), d->weight_buffer.banks, d->weight_buffer.port_bits,
     d->act_buffer.banks, d->act_buffer.port_bits, (unsigned long long)m,
     (unsigned long long)k, (unsigned long long)n, rate_ws, rate_os, tsr_die_units(d),
     100 * hm->cycles[0] / hm->total_cycles, 100 * (hm->seconds / hp->seconds - 1),
     100 * (fm->seconds / fp->seconds - 1), fm->seconds / hm->seconds, fp->seconds / hp->seconds,
     fm->cycles[0] / kc, fp->cycles[0] / kc);
  md(r,
     "   - its linear layers' GEMMs %.0f ms (%.0f ms at peak). 1D tensor parallelism splits "
     "every weight %.0f ways, so one side of each of its GEMMs is only `3h / N` = %.4g, "
     "`f / N` = %.4g or `h / N` = %.4g wide. Where that side is the output's columns, the "
     "model runs the GEMM transposed, `Y^T = W^T X^T` (docs/system-model.md), which puts "
     "the tokens across the %u-wide output tile: %.0f of Flat-ring's %.0f linear GEMMs in "
     "an iteration, and %.0f of Hecaton's %.0f. Where that side is the chain `k`, both "
     "orientations cost the same, and the tiles' init and store weigh against so short a "
     "stream: the `T x h / N x h` GEMM (T = %.0f tokens) keeps the array %.1f %% busy;\n",
     fm->linear_cycles / kc, fp->linear_cycles / kc, nd, 3 * ll->hidden / nd, ll->ffn / nd,
     ll->hidden / nd, tile_w, fm->linear_transposed, fm->linear_gemms, hm->linear_transposed,
     hm->linear_gemms, t_flat, 100 * t_flat * k_flat * ll->hidden / tsr_die_units(d) / g_flat);
  md(r,
     "   - the non-linearities %.0f ms (%.1f ms at peak). LayerNorm and the residual run on "
     "the whole activation on every die (item 7), and an element-wise instruction is bound "
     "by the activation buffer's ports, not by the array: a VADD of %u words takes %llu "
     "cycles, %.0f elements a cycle, where peak compute counts %u;\n"
     "   - the attention core and the rest %.0f ms (%.1f ms at peak).\n\n"
     "   The peak rows replace a GEMM's cycles by `MACs / units` and an element-wise "
     "instruction's by its elements over the units. That is the paper's assumption, not "
     "this die's. With sequence parallelism (section (d)), Flat-ring's non-linearities take "
     "%.1f ms (%.2f ms at peak), and the die-model speedup is %.2fx against %.2fx at peak.\n",
     nl_fm / kc, nl_fl / kc, tsr_die_units(d), (unsigned long long)vadd_units,
     tsr_die_units(d) / (double)vadd_units, tsr_die_units(d),
     (fm->cycles[0] - fm->linear_cycles - nl_fm) / kc,
     (fp->cycles[0] - fp->linear_cycles - nl_fl) / kc, nl_total(&r->flat_sp_model) / kc,
     nl_total(&r->flat_sp_peak) / kc, r->flat_sp_model.seconds / hm->seconds,
     r->flat_sp_peak.seconds / hp->seconds);
  /* the GEMM's SRAM energy per FMA, from its counts */
  double sram_ws = (tsr_energy_pj(&cnt_ws, e) - (double)cnt_ws.c[TSR_CNT_FMA_OPS] * e->fma_op -
                    (double)cnt_ws.c[TSR_CNT_IMEM_READ_BITS] * e->imem_read_bit) /
                   (double)cnt_ws.c[TSR_CNT_FMA_OPS];
  double sram_os = (tsr_energy_pj(&cnt_os, e) - (double)cnt_os.c[TSR_CNT_FMA_OPS] * e->fma_op -
                    (double)cnt_os.c[TSR_CNT_IMEM_READ_BITS] * e->imem_read_bit) /
                   (double)cnt_os.c[TSR_CNT_FMA_OPS];
  md(r,
     "2. **Energy: SRAM against the FMA.** Energy comes from the die model's counts under both "
     "compute modes. On the GEMM above, the ws stream moves %.2f SRAM bits per FMA (%.2f pJ) "
     "and the os stream %.2f (%.2f pJ), against %.1f pJ for the FMA itself%s. The SRAM and "
     "FMA energies are 45 nm figures used unscaled (docs/config.md), where the paper used a "
     "28 nm SRAM compiler and PrimeTime.\n",
     bits_ws, sram_ws, bits_os, sram_os, e->fma_op,
     sram_ws > e->fma_op || sram_os > e->fma_op ? ": SRAM is the larger share"
                                                 : ": the FMAs are the larger share");
  md(r,
     "3. **Link parameters.** The paper names UCIe but prints no link bandwidth. Ours are one "
     "UCIe module per die edge at 16 GT/s. With another width or rate, the standard and "
     "advanced speedups move: `tessera sweep --link-gbps` shows how.\n");
  md(r,
     "4. **Per-step overhead.** The model's link latency includes each step's SEND (%llu "
     "cycles beyond its flits) and WAIT (%u), the output register, the routers and the "
     "bypass registers. On the standard package (alpha = %u cycles), a Hecaton ring step "
     "over two links costs %llu cycles beyond its flits where Table III has `2 alpha` = %u, "
     "and a Flat-ring step over one link %llu where Table III has `alpha` = %u. Flat-ring's "
     "%.0f-step all-reduces on 1024 dies pay this overhead at every step. The departures "
     "table below gives the factor per method and block.\n",
     (unsigned long long)sd_fixed, TSR_INSN_OVERHEAD + 1, L, (unsigned long long)p_ring, 2 * L,
     (unsigned long long)p_mesh, L, flat_steps);
  md(r,
     "5. **Head flits.** A message carries a head flit per %u body flits (the network "
     "interface's packets), %.2f %% over Table III's `S / beta` on a long message.\n",
     TSR_NI_MAX_BODY, 100 * head);
  md(r,
     "6. **DRAM.** Each IO die reaches the mesh over one link, so the standard package caps "
     "DRAM at %.0f bytes per cycle on 32x32%s. Overlap hides most of it: the exposed DRAM "
     "is at most %.1f %% of the latency in (d)'s breakdown. The paper does not give its "
     "channel count.\n",
     h.dram_bytes_per_cycle,
     h.dram_bytes_per_cycle < io_per_row * 32 * tsr_io_bw_milli(sc) / 1000.0
         ? ", below the channels' rate"
         : "",
     100 * r->max_dram_share);
  md(r,
     "7. **What Table III leaves out, and so does the model:** the all-reduce of attention "
     "partials when dies outnumber heads (IV-C), the optimizer state, and GQA and SwiGLU "
     "in the real Llama2-70B (the model takes Table III's FFN, %u = %.4g h, and full "
     "attention). Softmax, GeLU, LayerNorm and the residual add are priced as the "
     "instructions that run them (VMAX, VEXP, VRECIP, VRSQRT, VGELU, VGELUD, VAXPY, VMUL, "
     "VADD and row sums), each by its closed form, in the sequences of the lowered "
     "transformer layer (docs/lowering.md; docs/system-model.md, \"Non-linearities\"). 1D "
     "tensor parallelism "
     "runs LayerNorm and the residual on the whole activation on every die: on Llama2-70B "
     "(32x32, standard, peak, ws) the non-linearities take %.1f ms of Flat-ring's %.1f ms "
     "(LayerNorm %.1f ms) and %.0f J of its %.0f J, against %.2f ms and %.1f J of "
     "Hecaton's. Without them the energy ratio would be %.2fx instead of %.2fx.\n",
     ll->ffn, (double)ll->ffn / ll->hidden, nl_fl / kc, fl.total_cycles / kc,
     fl.nl_cycles[TSR_NL_LAYERNORM] / kc, fl.nl_pj * 1e-12, fl.energy_pj * 1e-12,
     nl_h / kc, h.nl_pj * 1e-12, (fl.energy_pj - fl.nl_pj) / (h.energy_pj - h.nl_pj),
     fl.energy_pj / h.energy_pj);
  md(r,
     "8. **Mini-batching.** Flat-ring and Torus-ring need a whole sample's activation, "
     "`s h`, on every die. For Llama2-70B that is %.4g MiB against the %.4g MiB activation "
     "buffer, so %s.\n",
     act_flat / 1048576.0, d->act_buffer.bytes / 1048576.0,
     act_flat > (double)d->act_buffer.bytes
         ? "the model runs them with one sample per mini-batch and marks them; the paper "
           "stars them too"
         : "it fits");
  md(r,
     "9. **Rectangles and rings of two.** Table III assumes square meshes. The model's phases "
     "generalize to `R x C`: Hecaton's collectives run over R- or C-member rings, "
     "Torus-ring's slower half sets the pace, and a ring of two members hops one link, not "
     "two.\n");
  md(r,
     "10. **A copy the paper's die does not make.** The GEMM takes its right operand "
     "from the weight buffer, so Hecaton's backward pass first copies the all-gathered dY "
     "there through the network interface, once per linear layer and mini-batch "
     "(docs/lowering.md). The copy is charged to compute, and `--compute peak` does not "
     "speed it up. On Llama2-70B (32x32, standard, peak, os) it is %.1f ms of Hecaton's "
     "%.1f ms.\n\n",
     r->copy_ms, r->hec_peak_ms);
}

const char *const tsr_reproduce_help =
    "usage: tessera reproduce CONFIG DOC.md DATA_DIR IMG_DIR IMG_LINK\n"
    "\n"
    "Write DOC.md, the Hecaton paper's Table III, weak and strong scaling and Llama2-70B\n"
    "ratios from the system-scale model on CONFIG's die; the plots' data and gnuplot\n"
    "scripts into DATA_DIR, scripts that draw IMG_DIR/NAME.svg, which DOC.md links as\n"
    "IMG_LINK/NAME.svg (`make reproduce` runs it and gnuplot).\n";

int tsr_cmd_reproduce(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "%s", tsr_reproduce_help);
    return 2;
  }
  argc--, argv++; /* the page's arguments from argv[1] on, as before */
  char q[9000];
  for (int i = 3; i <= 4; i++) /* the paths the gnuplot scripts name */
    if (tsr_cli_gp_quote(q, sizeof q, argv[i])) {
      fprintf(stderr,
              "tessera reproduce: %s: holds a control character or is too long for a gnuplot "
              "script, expected a plain path\n",
              i == 3 ? "DATA_DIR" : "IMG_DIR");
      return 2;
    }
  tsr_config *cfg = tsr_cli_load_config(argv[1]);
  if (!cfg) return 2;
  char err[TSR_ERR_LEN];
  if (cfg->n_overrides || cfg->mesh.n_photonic) {
    fprintf(stderr,
            "tessera reproduce: %s has %s: the reproduction runs the paper's meshes of one die "
            "on the standard and advanced packages, so it cannot model it\n",
            argv[1], cfg->n_overrides ? "die_overrides" : "mesh.links.photonic edges");
    free(cfg);
    return 2;
  }
  rep r;
  memset(&r, 0, sizeof r);
  r.data = argv[3], r.img = argv[4], r.link = argv[5], r.base = cfg, r.cfg_path = argv[1];
  if (tsr_sys_init(&r.sys, cfg, err)) return 1;
  /* DOC.md in memory, then beside its place and renamed; DATA_DIR an output
     directory of its own (docs/output-dirs.md). */
  char *doc = NULL;
  size_t doc_len = 0;
  int orc = tsr_outdir_begin(&r.out, argv[3], "reproduce", err);
  if (orc) {
    fprintf(stderr, "tessera reproduce: %s\n", err);
    tsr_sys_free(&r.sys);
    return orc == TSR_OUT_BAD ? 2 : 1;
  }
  r.md = open_memstream(&doc, &doc_len);
  if (!r.md) {
    fprintf(stderr, "tessera reproduce: out of memory\n");
    tsr_outdir_abort(&r.out);
    return 1;
  }
  md(&r,
     "# Reproducing the Hecaton paper with the system-scale model\n\n"
     "Generated by `make reproduce` (`tessera reproduce`, cli/cmd_reproduce.c, mk/sysmodel.mk) from the "
     "system-scale model (docs/system-model.md); do not edit. Every number below is computed "
     "by `tsr_sys_estimate`, `tsr_table3` or the model's phases, evaluated on `%s`, except "
     "the paper's own figures, which are marked as the paper's; every verdict is printed only "
     "where the numbers hold it. The estimates come out of `tessera estimate CONFIG --model M "
     "--method X --package P --compute C --dataflow D` too.\n\n",
     argv[1]);
  table3_section(&r);
  weak_section(&r);
  strong_section(&r);
  llama_section(&r);
  departures_section(&r);
  parameters_and_differences(&r);
  int bad = ferror(r.md);
  if (fclose(r.md) || bad) {
    fprintf(stderr, "tessera reproduce: out of memory writing %s\n", argv[2]);
    tsr_outdir_abort(&r.out);
    free(doc);
    return 1;
  }
  if ((orc = tsr_write_file_atomic(argv[2], doc, doc_len, err)) ||
      (orc = tsr_outdir_commit(&r.out, err))) {
    fprintf(stderr, "tessera reproduce: %s\n", err);
    if (r.out.tmp[0]) tsr_outdir_abort(&r.out);
    free(doc);
    return orc == TSR_OUT_BAD ? 2 : 1;
  }
  free(doc);
  tsr_sys_free(&r.sys);
  free(cfg);
  return 0;
}
