/* test_lower.c - workload lowering (models/lower.c): Algorithm 1's per-die
 * programs, run in the mesh golden model from the DRAM image the lowering
 * lays out, must give Y = X W, dX = dY W^T and W - lr sum_n X_n^T dY_n as
 * computed here in double precision from the same tensors, on meshes whose
 * rings have 1, 2, 3 and 4 members; the mesh cost model must run the same
 * programs to the end; bad layers are named. The ring collectives and the
 * distributed GEMM alone, on rings and on the mesh, against closed forms;
 * the fused FFN block forward against double precision. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "mesh.h"
#include "mesh_cost.h"
#include "noc.h"
#include "ref_layer.h"
#include "suites.h"

static tsr_config cfg;
static int local_lanes; /* the dies' units read their own banks (die.local_lanes) */

/* A mesh of dies with `bytes` in each buffer. */
static void load_sized(int rows, int cols, int bytes) {
  char json[512], err[TSR_ERR_LEN];
  snprintf(json, sizeof json,
           "{\"mesh\": {\"rows\": %d, \"cols\": %d}, \"die\": {\"pe_count\": 1, \"lanes\": 2, "
           "\"vector\": 2, \"imem_words\": 512, \"weight_buffer\": {\"bytes\": %d, \"banks\": 4}, "
           "\"act_buffer\": {\"bytes\": %d, \"banks\": 4}, \"local_lanes\": %s}}",
           rows, cols, bytes, bytes, local_lanes ? "true" : "false");
  ck_assert_msg(tsr_config_load_string(json, "test", &cfg, err) == 0, "%s", err);
}
static void load(int rows, int cols) { load_sized(rows, cols, 8192); }

static float rnd(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (float)((int)(*s >> 40 & 0xFFFF) - 0x8000) / 32768.0f;
}

/* A float sum of `terms` products, each rounded once, in any order: within
 * (terms + 1) units of 2^-24 of the sum of their magnitudes (the classic
 * bound gamma_n). */
static void close_to(float got, double want, double mag, int terms, const char *what, size_t at) {
  double tol = (terms + 1) * 0x1p-24 * mag + 1e-30;
  ck_assert_msg(fabs((double)got - want) <= tol, "%s[%zu]: %.9g, expected %.9g", what, at,
                (double)got, want);
}

static void check_layer(int rows, int cols, uint32_t B, uint32_t din, uint32_t dout, uint32_t N) {
  load(rows, cols);
  tsr_linear L = {B, din, dout, N, 1, 1, 0.125f};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_linear(&cfg, &L, &low, err) == 0, "%s", err);
  int n = rows * cols;
  float *x = malloc(sizeof(float) * N * B * din), *w = malloc(sizeof(float) * din * dout);
  float *dy = malloc(sizeof(float) * N * B * dout);
  uint64_t s = 7;
  for (size_t k = 0; k < (size_t)N * B * din; k++) x[k] = rnd(&s);
  for (size_t k = 0; k < (size_t)din * dout; k++) w[k] = rnd(&s);
  for (size_t k = 0; k < (size_t)N * B * dout; k++) dy[k] = rnd(&s);
  uint32_t *dram[2 * 8] = {0};
  for (int k = 0; k < 2 * rows; k++) dram[k] = calloc(TSR_IO_DRAM_WORDS, sizeof(uint32_t));
  tsr_linear_data data = {x, w, dy};
  tsr_lower_load(&low, &data, dram);

  tsr_mesh_die dies[16];
  tsr_mesh_cost_die pred[16];
  memset(dies, 0, sizeof dies);
  memset(pred, 0, sizeof pred);
  for (int d = 0; d < n; d++) {
    ck_assert_msg(tsr_assemble(low.text[d], "lowered", (uint32_t **)&dies[d].words, &dies[d].n_insns,
                               err) == 0, "%s", err);
    dies[d].wgt = calloc(2048, sizeof(uint32_t));
    dies[d].act = calloc(2048, sizeof(uint32_t));
    pred[d].words = dies[d].words;
    pred[d].n_insns = dies[d].n_insns;
    pred[d].out = calloc(dies[d].n_insns, sizeof *pred[d].out);
  }
  ck_assert_msg(tsr_mesh_golden_run(&cfg, dies, dram, err) == 0, "%s", err);
  ck_assert_msg(tsr_mesh_cost_run(&cfg, pred, NULL, err) == 0, "%s", err);
  for (int d = 0; d < n; d++) ck_assert_uint_eq(pred[d].n_retired, dies[d].n_insns);

  float *y = malloc(sizeof(float) * N * B * dout), *dx = malloc(sizeof(float) * N * B * din);
  float *wn = malloc(sizeof(float) * din * dout);
  tsr_lower_results(&low, dram, y, dx, wn);
  for (uint32_t b = 0; b < N; b++) {
    const float *xb = x + (size_t)b * B * din, *dyb = dy + (size_t)b * B * dout;
    for (uint32_t t = 0; t < B; t++) {
      for (uint32_t o = 0; o < dout; o++) {
        double sum = 0, mag = 0;
        for (uint32_t k = 0; k < din; k++) {
          sum += (double)xb[t * din + k] * w[k * dout + o];
          mag += fabs((double)xb[t * din + k] * w[k * dout + o]);
        }
        close_to(y[((size_t)b * B + t) * dout + o], sum, mag, (int)din, "y", ((size_t)b * B + t) * dout + o);
      }
      for (uint32_t k = 0; k < din; k++) {
        double sum = 0, mag = 0;
        for (uint32_t o = 0; o < dout; o++) {
          sum += (double)dyb[t * dout + o] * w[k * dout + o];
          mag += fabs((double)dyb[t * dout + o] * w[k * dout + o]);
        }
        close_to(dx[((size_t)b * B + t) * din + k], sum, mag, (int)dout, "dx", ((size_t)b * B + t) * din + k);
      }
    }
  }
  for (uint32_t k = 0; k < din; k++) {
    for (uint32_t o = 0; o < dout; o++) {
      double g = 0, mag = 0;
      for (uint32_t b = 0; b < N; b++)
        for (uint32_t t = 0; t < B; t++) {
          double term = (double)x[((size_t)b * B + t) * din + k] * dy[((size_t)b * B + t) * dout + o];
          g += term;
          mag += fabs(term);
        }
      double want = w[k * dout + o] - 0.125 * g;
      close_to(wn[k * dout + o], want, fabs(w[k * dout + o]) + 0.125 * mag, (int)(N * B + 2), "w_new", k * dout + o);
    }
  }
  for (int d = 0; d < n; d++) {
    free((void *)dies[d].words);
    free(dies[d].wgt);
    free(dies[d].act);
    free(pred[d].out);
  }
  for (int k = 0; k < 2 * rows; k++) free(dram[k]);
  free(x), free(w), free(dy), free(y), free(dx), free(wn);
  tsr_lowered_free(&low);
}

START_TEST(one_die) { check_layer(1, 1, 4, 6, 5, 2); }
END_TEST
START_TEST(two_by_two) { check_layer(2, 2, 8, 8, 12, 3); }
END_TEST
START_TEST(rings_of_three_and_two) {
  check_layer(2, 3, 6, 12, 6, 2);
  check_layer(3, 2, 6, 6, 12, 2);
}
END_TEST
START_TEST(four_by_four) { check_layer(4, 4, 8, 8, 16, 2); }
END_TEST

/* Algorithm 1's passes in order, and no die with more than TSR_ALG1_DRDS
 * DRDs in flight: an IO die of a 4 x 4 mesh serves two dies and queues
 * four requests (docs/lowering.md). A message on the mesh is a DRD's answer
 * or a SEND to the die itself; each `wait msgs=K chan=mesh` collects K. */
START_TEST(alg1_passes_and_drds_in_flight) {
  struct {
    int fwd, bwd;
    uint32_t n;
    const char *order;
  } cases[] = {{1, 1, 2, "F0 B0 F1 B1 U"}, {1, 0, 3, "F0 F1 F2"}, {0, 1, 2, "B0 B1 U"}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    tsr_linear L = {8, 8, 8, cases[c].n, cases[c].fwd, cases[c].bwd, 0.125f};
    char got[64] = "";
    uint32_t n = 0;
    for (tsr_alg1_pass k = tsr_alg1_first(&L); k != TSR_PASS_NONE; k = tsr_alg1_next(&L, k, n, &n)) {
      char pass[16];
      snprintf(pass, sizeof pass, k == TSR_PASS_UPDATE ? "U" : "%c%u", "FB"[k], n);
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? " " : "", pass);
    }
    ck_assert_str_eq(got, cases[c].order);
  }
  load(4, 4);
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    tsr_linear L = {8, 8, 16, cases[c].n, cases[c].fwd, cases[c].bwd, 0.125f};
    static tsr_lowered low;
    char err[TSR_ISA_ERR_LEN];
    ck_assert_msg(tsr_lower_linear(&cfg, &L, &low, err) == 0, "%s", err);
    for (int d = 0; d < 16; d++) {
      int pending = 0, most = 0, k;
      unsigned row, col;
      char line[160];
      for (const char *p = low.text[d]; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
        snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
        int mesh = strstr(line, "chan=") == NULL || strstr(line, "chan=mesh") != NULL;
        if (!strncmp(line, "drd ", 4)) pending++;
        else if (sscanf(line, "send row=%u col=%u", &row, &col) == 2 && mesh &&
                 row * 4 + col == (unsigned)d)
          pending++;
        else if (sscanf(line, "wait msgs=%d", &k) == 1 && mesh) pending -= k;
        ck_assert_int_ge(pending, 0);
        if (pending > most) most = pending;
      }
      ck_assert_msg(most <= TSR_ALG1_DRDS, "die %d: %d mesh messages in flight", d, most);
      ck_assert_int_eq(pending, 0);
    }
    tsr_lowered_free(&low);
  }
}
END_TEST

START_TEST(bad_layers_are_named) {
  load(2, 3);
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  tsr_linear L = {8, 12, 6, 2, 1, 1, 0.1f};
  ck_assert_int_eq(tsr_lower_linear(&cfg, &L, &low, err), -1);
  ck_assert_str_eq(err, "linear layer: tokens=8 must be a multiple of the mesh's cols (3), at most "
                        "4096 times it");
  L = (tsr_linear){6, 12, 6, 0, 1, 1, 0.1f};
  ck_assert_int_eq(tsr_lower_linear(&cfg, &L, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "minibatches must be at least 1"));
  L = (tsr_linear){96, 120, 60, 1, 1, 1, 0.1f};
  ck_assert_int_eq(tsr_lower_linear(&cfg, &L, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "buffer, which holds 2048; expected fewer tokens or features"));
  L = (tsr_linear){6, 12, 6, 40, 1, 1, 0.1f};
  ck_assert_int_eq(tsr_lower_linear(&cfg, &L, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "instruction memory holds 512"));
}
END_TEST

/* Run lowered programs in the mesh golden model on the given buffers and
 * DRAM, and in the mesh cost model to the end. */
/* Each IO die's DRAM of a mesh of `rows` rows, zeroed; and freed. */
static void dram_alloc(uint32_t **dram, int rows) {
  for (int k = 0; k < 2 * rows; k++) dram[k] = calloc(TSR_IO_DRAM_WORDS, sizeof(uint32_t));
}
static void dram_free(uint32_t **dram, int rows) {
  for (int k = 0; k < 2 * rows; k++) free(dram[k]);
}

/* The lowered programs in the mesh golden model from the dies' buffers (act
 * and wgt, or zeroed ones when NULL) and DRAM, and in the mesh cost model,
 * both to the end. */
static void run_lowered(const tsr_lowered *low, int n, uint32_t **act, uint32_t **wgt,
                        uint32_t **dram) {
  tsr_mesh_die dies[16];
  tsr_mesh_cost_die pred[16];
  char err[TSR_ISA_ERR_LEN];
  memset(dies, 0, sizeof dies);
  memset(pred, 0, sizeof pred);
  for (int d = 0; d < n; d++) {
    ck_assert_msg(tsr_assemble(low->text[d], "lowered", (uint32_t **)&dies[d].words,
                               &dies[d].n_insns, err) == 0, "%s", err);
    dies[d].act = act ? act[d] : calloc(tsr_buffer_words(&cfg.dies[d].act_buffer), 4);
    dies[d].wgt = wgt ? wgt[d] : calloc(tsr_buffer_words(&cfg.dies[d].weight_buffer), 4);
    pred[d] = (tsr_mesh_cost_die){.words = dies[d].words, .n_insns = dies[d].n_insns,
                                  .out = calloc(dies[d].n_insns, sizeof *pred[d].out)};
  }
  ck_assert_msg(tsr_mesh_golden_run(&cfg, dies, dram, err) == 0, "%s", err);
  ck_assert_msg(tsr_mesh_cost_run(&cfg, pred, NULL, err) == 0, "%s", err);
  for (int d = 0; d < n; d++) {
    ck_assert_msg(dies[d].halted && !dies[d].error, "die %d did not halt cleanly", d);
    ck_assert_uint_eq(pred[d].n_retired, dies[d].n_insns);
    free((void *)dies[d].words);
    free(pred[d].out);
    if (!act) free(dies[d].act);
    if (!wgt) free(dies[d].wgt);
  }
}

static uint32_t fbits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
static float fval(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* A collective within every row or column: after an all-gather every member
 * holds every member's chunk; after a reduce-scatter member k's last slot
 * holds the sum over members of their chunk k (n - 1 float additions). */
static void check_collective(int rows, int cols, int kind, int over_cols, int on_mesh,
                             uint32_t chunk) {
  load(rows, cols);
  tsr_collective c = {kind, over_cols, on_mesh, chunk};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_collective(&cfg, &c, &low, err) == 0, "%s", err);
  int n = rows * cols, len = over_cols ? rows : cols;
  uint32_t *act[16], *wgt[16], *init[16];
  uint64_t s = 11;
  for (int d = 0; d < n; d++) {
    act[d] = calloc(2048, sizeof(uint32_t));
    wgt[d] = calloc(2048, sizeof(uint32_t));
    init[d] = malloc(2048 * sizeof(uint32_t));
    for (int i = 0; i < 2048; i++) act[d][i] = init[d][i] = fbits(rnd(&s));
  }
  run_lowered(&low, n, act, wgt, NULL);
  for (int d = 0; d < n; d++) {
    int r = d / cols, col = d % cols, me = over_cols ? r : col;
    for (int k = 0; k < len; k++) {
      int src = over_cols ? k * cols + col : r * cols + k; /* member k of this ring */
      for (uint32_t w = 0; w < chunk; w++) {
        if (kind == TSR_COLL_ALLGATHER) {
          ck_assert_msg(act[d][(uint32_t)k * chunk + w] == init[src][(uint32_t)k * chunk + w],
                        "die %d chunk %d word %u", d, k, w);
        } else if (k == me) {
          double sum = 0, mag = 0;
          for (int m = 0; m < len; m++) {
            int from = over_cols ? m * cols + col : r * cols + m;
            double v = fval(init[from][(uint32_t)me * chunk + w]);
            sum += v;
            mag += fabs(v);
          }
          close_to(fval(act[d][(uint32_t)(2 * len - 2) * chunk + w]), sum, mag, len, "sum", w);
        }
      }
    }
  }
  for (int d = 0; d < n; d++) free(act[d]), free(wgt[d]), free(init[d]);
  tsr_lowered_free(&low);
}

START_TEST(collectives_on_rings_and_mesh) {
  for (int mesh = 0; mesh < 2; mesh++) {
    check_collective(2, 3, TSR_COLL_ALLGATHER, 0, mesh, 20);
    check_collective(4, 2, TSR_COLL_ALLGATHER, 1, mesh, 7);
    check_collective(2, 4, TSR_COLL_REDUCESCATTER, 0, mesh, 16);
    check_collective(3, 2, TSR_COLL_REDUCESCATTER, 1, mesh, 5);
  }
}
END_TEST

/* The distributed GEMM: Y's block (i, j) in DRAM is X's row block i times W's
 * column block j, read from where the lowering put them. */
START_TEST(distributed_gemm) {
  load(2, 3);
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  const uint32_t M = 6, K = 10, N = 9, mb = M / 2, nb = N / 3;
  ck_assert_msg(tsr_lower_gemm(&cfg, M, K, N, &low, err) == 0, "%s", err);
  uint32_t *act[6], *wgt[6], *dram[4], *init[4];
  uint64_t s = 5;
  for (int d = 0; d < 6; d++) act[d] = calloc(2048, 4), wgt[d] = calloc(2048, 4);
  for (int k = 0; k < 4; k++) {
    dram[k] = malloc(TSR_IO_DRAM_WORDS * 4);
    init[k] = malloc(TSR_IO_DRAM_WORDS * 4);
    for (uint32_t i = 0; i < TSR_IO_DRAM_WORDS; i++) dram[k][i] = init[k][i] = fbits(rnd(&s));
  }
  run_lowered(&low, 6, act, wgt, dram);
  for (int d = 0; d < 6; d++) {
    /* the operands follow each other in the die's IO die: X, W, then Y */
    const tsr_lower_die *ld = &low.die[d];
    uint32_t base = 0;
    for (int e = 0; e < d; e++)
      if (low.die[e].io == ld->io) base += mb * K + K * nb + mb * nb;
    const uint32_t *x = init[ld->io] + base, *w = x + mb * K;
    const uint32_t *y = dram[ld->io] + base + mb * K + K * nb;
    for (uint32_t r = 0; r < mb; r++)
      for (uint32_t c = 0; c < nb; c++) {
        double sum = 0, mag = 0;
        for (uint32_t k = 0; k < K; k++) {
          double t = (double)fval(x[r * K + k]) * fval(w[k * nb + c]);
          sum += t;
          mag += fabs(t);
        }
        close_to(fval(y[r * nb + c]), sum, mag, (int)K, "y", r * nb + c);
      }
  }
  for (int d = 0; d < 6; d++) free(act[d]), free(wgt[d]);
  for (int k = 0; k < 4; k++) free(dram[k]), free(init[k]);
  tsr_lowered_free(&low);
}
END_TEST

/* The FFN block forward: Z = X + gelu(X W1) W2 from DRAM, against double
 * precision. gelu(H) carries the up-scaling layer's rounding (|gelu'| <=
 * 1.13) and GeLU's own error (within 4 ulps plus 2^-20, docs/vector-functions.md)
 * into the second layer, so the bound adds both, through |W2|, to the
 * second layer's. */
static void check_ffn(int rows, int cols, uint32_t B, uint32_t D, uint32_t Dh, uint32_t N) {
  load(rows, cols);
  tsr_ffn f = {B, D, Dh, N};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_ffn(&cfg, &f, &low, err) == 0, "%s", err);
  int n = rows * cols;
  float *x = malloc(sizeof(float) * N * B * D), *w1 = malloc(sizeof(float) * D * Dh);
  float *w2 = malloc(sizeof(float) * Dh * D), *z = malloc(sizeof(float) * N * B * D);
  uint64_t s = 3;
  for (size_t k = 0; k < (size_t)N * B * D; k++) x[k] = rnd(&s);
  for (size_t k = 0; k < (size_t)D * Dh; k++) w1[k] = rnd(&s), w2[k] = rnd(&s);
  uint32_t *dram[2 * 8] = {0};
  dram_alloc(dram, rows);
  tsr_ffn_data data = {x, w1, w2};
  tsr_lower_load_ffn(&low, &data, dram);
  run_lowered(&low, n, NULL, NULL, dram);
  tsr_lower_results_ffn(&low, dram, z);
  double *h = malloc(sizeof(double) * B * Dh), *herr = malloc(sizeof(double) * B * Dh);
  const double u = 0x1p-24;
  for (uint32_t b = 0; b < N; b++) {
    const float *xb = x + (size_t)b * B * D;
    for (uint32_t t = 0; t < B; t++)
      for (uint32_t c = 0; c < Dh; c++) {
        double v = 0, m = 0;
        for (uint32_t k = 0; k < D; k++) v += (double)xb[t * D + k] * w1[k * Dh + c], m += fabs((double)xb[t * D + k] * w1[k * Dh + c]);
        h[t * Dh + c] = tsr_ref_gelu(v);
        herr[t * Dh + c] = 1.13 * (D + 1) * u * m + 4 * u * fabs(h[t * Dh + c]) + 0x1p-20;
      }
    for (uint32_t t = 0; t < B; t++)
      for (uint32_t o = 0; o < D; o++) {
        double v = xb[t * D + o], m = fabs(v), carried = 0;
        for (uint32_t c = 0; c < Dh; c++) {
          v += h[t * Dh + c] * w2[c * D + o];
          m += fabs(h[t * Dh + c] * w2[c * D + o]);
          carried += herr[t * Dh + c] * fabs((double)w2[c * D + o]);
        }
        double tol = (Dh + 2) * u * m + carried * (1 + (Dh + 2) * u) + 1e-30;
        double got = z[((size_t)b * B + t) * D + o];
        ck_assert_msg(fabs(got - v) <= tol, "z[%u][%u][%u]: %.9g, expected %.9g", b, t, o, got, v);
      }
  }
  dram_free(dram, rows);
  free(x), free(w1), free(w2), free(z), free(h), free(herr);
  tsr_lowered_free(&low);
}

/* Attention's core forward on the mesh: O = softmax(Q K^T / sqrt(d)) V for
 * every head, against double precision. A score carries its dot product's
 * rounding, (d + 3) u sum |q k| / sqrt(d) (the scale's rounding too); a
 * weight a_j then errs relatively by twice the row's largest score error (its
 * own and the sum's), u |z - m| from x - m, and (s + 6) u from exp, the sum
 * of s, the reciprocal and the product; O's chain of s adds (s + 2) u. The
 * bound takes 1 % for the second-order terms. */
static void check_attention(int rows, int cols, uint32_t H, uint32_t S, uint32_t D) {
  load(rows, cols);
  tsr_attention a = {H, S, D};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_attention(&cfg, &a, &low, err) == 0, "%s", err);
  int n = rows * cols;
  size_t len = (size_t)H * S * D;
  float *q = malloc(sizeof(float) * len), *k = malloc(sizeof(float) * len);
  float *v = malloc(sizeof(float) * len), *o = malloc(sizeof(float) * len);
  uint64_t s = 11;
  for (size_t e = 0; e < len; e++) q[e] = 2 * rnd(&s), k[e] = 2 * rnd(&s), v[e] = rnd(&s);
  uint32_t *dram[2 * 8] = {0};
  dram_alloc(dram, rows);
  tsr_attention_data data = {q, k, v};
  tsr_lower_load_attention(&low, &data, dram);
  run_lowered(&low, n, NULL, NULL, dram);
  tsr_lower_results_attention(&low, dram, o);
  const double u = 0x1p-24, c = 1.0 / sqrt((double)D);
  double z[64], dz[64], w[64];
  for (uint32_t h = 0; h < H; h++)
    for (uint32_t t = 0; t < S; t++) {
      const float *qt = q + ((size_t)h * S + t) * D, *kh = k + (size_t)h * S * D;
      double m = -INFINITY, dmax = 0, sum = 0;
      for (uint32_t j = 0; j < S; j++) {
        double dot = 0, mag = 0;
        for (uint32_t e = 0; e < D; e++)
          dot += (double)qt[e] * kh[j * D + e], mag += fabs((double)qt[e] * kh[j * D + e]);
        z[j] = dot * c, dz[j] = (D + 3) * u * mag * c;
        m = fmax(m, z[j]), dmax = fmax(dmax, dz[j]);
      }
      for (uint32_t j = 0; j < S; j++) sum += (w[j] = exp(z[j] - m));
      for (uint32_t e = 0; e < D; e++) {
        double want = 0, tol = 0;
        for (uint32_t j = 0; j < S; j++) {
          double vj = v[((size_t)h * S + j) * D + e], aj = w[j] / sum;
          want += aj * vj;
          tol += aj * fabs(vj) * (2 * dmax + u * fabs(z[j] - m) + (S + 6) * u + (S + 2) * u);
        }
        double got = o[((size_t)h * S + t) * D + e];
        ck_assert_msg(fabs(got - want) <= 1.01 * tol + 1e-30, "o[%u][%u][%u]: %.9g, expected %.9g",
                      h, t, e, got, want);
      }
    }
  dram_free(dram, rows);
  free(q), free(k), free(v), free(o);
  tsr_lowered_free(&low);
}

/* The attention block forward on the mesh, Y = X + O Wo, against double
 * precision, each quantity carried with a bound on its float error: Q, K and
 * V (a GEMM's chain and the reduce-scatter's adds: (D + C + 1) u of the
 * products' magnitudes); Q / sqrt(dh) (the scale's rounding and the
 * product's); a score (its inputs' errors through the dot product, and the
 * chain's own); a weight a_j relatively by twice the largest score error,
 * u |z - m| and (s + 6) u, as the core's test; O (the weights' and V's
 * errors, and the chain of s); Y (O's error through Wo, and the chains of
 * the heads' GEMMs, the reduce-scatter and the residual). 1 % more for the
 * second-order terms. */
static void check_attn_block(int rows, int cols, uint32_t B, uint32_t D, uint32_t H, uint32_t S,
                             uint32_t N) {
  load_sized(rows, cols, 65536);
  tsr_attn_block ab = {B, D, H, S, N};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_attn_block(&cfg, &ab, &low, err) == 0, "%s", err);
  int n = rows * cols;
  size_t lx = (size_t)N * B * D, lw = (size_t)D * D;
  float *x = malloc(sizeof(float) * lx), *y = malloc(sizeof(float) * lx), *w[4];
  uint64_t s = 5;
  for (size_t k = 0; k < lx; k++) x[k] = rnd(&s);
  for (int m = 0; m < 4; m++) {
    w[m] = malloc(sizeof(float) * lw);
    for (size_t k = 0; k < lw; k++) w[m][k] = 2 * rnd(&s);
  }
  uint32_t *dram[2 * 8] = {0};
  dram_alloc(dram, rows);
  tsr_attn_block_data data = {x, w[0], w[1], w[2], w[3]};
  tsr_lower_load_attn_block(&low, &data, dram);
  run_lowered(&low, n, NULL, NULL, dram);
  tsr_lower_results_attn_block(&low, dram, y);
  const double u = 0x1p-24, c = 1.0 / sqrt((double)(D / H));
  uint32_t dh = D / H;
  size_t bd = (size_t)B * D;
  double *qkv = malloc(sizeof(double) * 3 * bd), *eqkv = malloc(sizeof(double) * 3 * bd);
  double *o = malloc(sizeof(double) * bd), *eo = malloc(sizeof(double) * bd);
  double z[64], dz[64], a[64];
  for (uint32_t b = 0; b < N; b++) {
    const float *xb = x + b * bd;
    for (int m = 0; m < 3; m++)
      for (size_t t = 0; t < B; t++)
        for (uint32_t f = 0; f < D; f++) {
          double v = 0, mag = 0;
          for (uint32_t k = 0; k < D; k++)
            v += (double)xb[t * D + k] * w[m][k * D + f], mag += fabs((double)xb[t * D + k] * w[m][k * D + f]);
          qkv[m * bd + t * D + f] = v, eqkv[m * bd + t * D + f] = (D + cols + 1) * u * mag;
        }
    const double *q = qkv, *k = qkv + bd, *v = qkv + 2 * bd;
    const double *eq = eqkv, *ek = eqkv + bd, *ev = eqkv + 2 * bd;
    for (uint32_t t0 = 0; t0 < B; t0 += S) /* a sequence */
      for (uint32_t h = 0; h < H; h++)
        for (uint32_t t = t0; t < t0 + S; t++) {
          double mx = -INFINITY, dmax = 0, sum = 0;
          for (uint32_t j = 0; j < S; j++) {
            double dot = 0, e = 0, mag = 0;
            for (uint32_t f = h * dh; f < h * dh + dh; f++) {
              double qs = q[t * D + f] * c, eqs = c * (eq[t * D + f] + 2 * u * fabs(q[t * D + f]));
              double kf = k[(t0 + j) * D + f];
              dot += qs * kf, mag += fabs(qs * kf);
              e += eqs * fabs(kf) + fabs(qs) * ek[(t0 + j) * D + f];
            }
            z[j] = dot, dz[j] = e + (dh + 1) * u * mag;
            mx = fmax(mx, z[j]), dmax = fmax(dmax, dz[j]);
          }
          for (uint32_t j = 0; j < S; j++) sum += (a[j] = exp(z[j] - mx));
          for (uint32_t f = h * dh; f < h * dh + dh; f++) {
            double want = 0, tol = 0, mag = 0;
            for (uint32_t j = 0; j < S; j++) {
              double vj = v[(t0 + j) * D + f], aj = a[j] / sum;
              want += aj * vj, mag += aj * fabs(vj);
              tol += aj * (fabs(vj) * (2 * dmax + u * fabs(z[j] - mx) + (S + 6) * u) +
                           ev[(t0 + j) * D + f]);
            }
            o[t * D + f] = want, eo[t * D + f] = tol + (S + 2) * u * mag;
          }
        }
    for (uint32_t t = 0; t < B; t++)
      for (uint32_t f = 0; f < D; f++) {
        double want = xb[t * D + f], mag = fabs(want), carried = 0;
        for (uint32_t e = 0; e < D; e++) {
          want += o[t * D + e] * w[3][e * D + f];
          mag += fabs(o[t * D + e] * w[3][e * D + f]);
          carried += eo[t * D + e] * fabs((double)w[3][e * D + f]);
        }
        double tol = 1.01 * (carried + (D + rows + 2) * u * mag) + 1e-30;
        double got = y[b * bd + t * D + f];
        ck_assert_msg(fabs(got - want) <= tol, "y[%u][%u][%u]: %.9g, expected %.9g (tolerance %.3g)",
                      b, t, f, got, want, tol);
      }
  }
  dram_free(dram, rows);
  for (int m = 0; m < 4; m++) free(w[m]);
  free(x), free(y), free(qkv), free(eqkv), free(o), free(eo);
  tsr_lowered_free(&low);
}

START_TEST(attention_block_forward) {
  check_attn_block(2, 2, 32, 16, 4, 8, 2);
  check_attn_block(2, 3, 48, 12, 4, 8, 1);
  check_attn_block(3, 2, 48, 12, 3, 8, 2);
}
END_TEST

/* ---- a transformer layer, against double precision ---------------------------------- */

/* One transformer layer, forward, backward and update, run in the mesh
 * golden model from the DRAM image, against the same layer in double
 * precision (verif/ref_layer.c): Z, dX and each parameter's gradient (implied
 * by its update, (W - W_new) / lr) within TSR_REF_LAYER_TAU of the tensor's
 * largest magnitude. */
static void check_transformer(int rows, int cols, int B, int D, int H, int S, int F) {
  load_sized(rows, cols, 262144);
  tsr_layer L = {(uint32_t)B, (uint32_t)D, (uint32_t)H, (uint32_t)S, (uint32_t)F, 0.125f, 1};
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_lower_layer(&cfg, &L, &low, err) == 0, "%s", err);
  int n = rows * cols;
  size_t len[12];
  tsr_ref_layer_lengths(&L, len);
  float *in[12], *got[12];
  uint64_t s = 9;
  for (int k = 0; k < 12; k++) {
    in[k] = malloc(sizeof(float) * len[k]), got[k] = calloc(len[k], sizeof(float));
    for (size_t e = 0; e < len[k]; e++) in[k][e] = rnd(&s);
  }
  for (int k = 8; k < 12; k += 2)
    for (size_t e = 0; e < len[k]; e++) in[k][e] = 1 + in[k][e] / 4; /* gamma near 1 */
  uint32_t *dram[2 * 8] = {0};
  dram_alloc(dram, rows);
  tsr_layer_data data = {in[0], in[1], in[2], in[3], in[4],  in[5],
                         in[6], in[7], in[8], in[9], in[10], in[11]};
  tsr_lower_load_layer(&low, &data, dram);
  run_lowered(&low, n, NULL, NULL, dram);
  tsr_layer_out o = {got[0], got[1], got[2], got[3], got[4],  got[5],
                     got[6], got[7], got[8], got[9], got[10], got[11]};
  tsr_lower_results_layer(&low, dram, &o);
  static tsr_ref_layer ref;
  ck_assert_int_eq(tsr_ref_layer_run(&L, &data, &ref), 0);
  for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++) {
    size_t at;
    double e = tsr_ref_layer_error(&ref, k, &o, &at);
    ck_assert_msg(e <= TSR_REF_LAYER_TAU, "%dx%d %s[%zu]: off by %.3g of the largest, allowed %g",
                  rows, cols, tsr_ref_layer_names[k], at, e, TSR_REF_LAYER_TAU);
  }
  tsr_ref_layer_free(&ref);
  for (int k = 0; k < 12; k++) free(in[k]), free(got[k]);
  dram_free(dram, rows);
  tsr_lowered_free(&low);
}

START_TEST(transformer_layer) {
  check_transformer(2, 2, 32, 16, 4, 8, 32);
  check_transformer(2, 3, 48, 12, 4, 8, 24);
  check_transformer(3, 2, 48, 12, 3, 8, 24);
}
END_TEST

/* On dies whose units read their own banks (4-word accesses), the lowering
 * starts every region at a multiple of 4 words: the mesh golden model refuses
 * any other program (tsr_lanes_check), and the layer still matches double
 * precision. */
START_TEST(transformer_layer_on_local_lanes) {
  local_lanes = 1;
  check_transformer(2, 2, 32, 16, 4, 8, 32);
  check_attention(2, 2, 8, 8, 8);
  local_lanes = 0;
}
END_TEST

START_TEST(attention_core_forward) {
  check_attention(2, 2, 8, 8, 8);
  check_attention(2, 3, 6, 16, 4);
  check_attention(1, 2, 2, 2, 5);
}
END_TEST

START_TEST(ffn_block_forward) {
  check_ffn(2, 2, 8, 8, 16, 3);
  check_ffn(2, 3, 6, 12, 8, 2);
  check_ffn(3, 2, 6, 4, 12, 2);
}
END_TEST

START_TEST(bad_collectives_and_gemms_are_named) {
  load(2, 3);
  static tsr_lowered low;
  char err[TSR_ISA_ERR_LEN];
  tsr_collective c = {TSR_COLL_REDUCESCATTER, 0, 0, 500};
  ck_assert_int_eq(tsr_lower_collective(&cfg, &c, &low, err), -1);
  ck_assert_str_eq(err, "reduce-scatter: chunk=500 words: die (row 0, col 0) needs 2500 words of "
                        "its activation buffer, which holds 2048; expected 1..409");
  load(1, 3);
  c = (tsr_collective){TSR_COLL_ALLGATHER, 1, 0, 8};
  ck_assert_int_eq(tsr_lower_collective(&cfg, &c, &low, err), -1);
  ck_assert_str_eq(err, "all-gather: a ring needs at least 2 dies, the mesh's columns have 1");
  ck_assert_int_eq(tsr_lower_gemm(&cfg, 4, 4, 4, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "expected m a multiple of the mesh's rows (1), n of its cols (3)"));
  tsr_ffn f = {6, 12, 8, 1};
  ck_assert_int_eq(tsr_lower_ffn(&cfg, &f, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "ffn: expected a mesh of at least 2 x 2 dies"));
  load(2, 2);
  f = (tsr_ffn){5, 12, 8, 1};
  ck_assert_int_eq(tsr_lower_ffn(&cfg, &f, &low, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "ffn: tokens=5 d_model=12 d_hidden=8 minibatches=1: expected"));
}
END_TEST

Suite *lower_suite(void) {
  Suite *s = suite_create("lower");
  TCase *tc = tcase_create("linear");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, one_die);
  tcase_add_test(tc, two_by_two);
  tcase_add_test(tc, rings_of_three_and_two);
  tcase_add_test(tc, four_by_four);
  tcase_add_test(tc, alg1_passes_and_drds_in_flight);
  tcase_add_test(tc, bad_layers_are_named);
  suite_add_tcase(s, tc);
  tc = tcase_create("collectives and GEMM");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, collectives_on_rings_and_mesh);
  tcase_add_test(tc, distributed_gemm);
  tcase_add_test(tc, ffn_block_forward);
  tcase_add_test(tc, attention_core_forward);
  tcase_add_test(tc, attention_block_forward);
  tcase_add_test(tc, transformer_layer);
  tcase_add_test(tc, transformer_layer_on_local_lanes);
  tcase_add_test(tc, bad_collectives_and_gemms_are_named);
  suite_add_tcase(s, tc);
  return s;
}
