/* test_table3.c - the four methods of the Hecaton paper's Table III
 * (models/table3.c) and the model descriptions (models/workload.c):
 *  - every Table III term against values worked out by hand here for N = 16
 *    and 64, and against the printed formulas, written out again here, for
 *    N = 4 ... 1024;
 *  - the phases the system model times each method with give back Table
 *    III's alpha count (sum of steps x links) and transmission volume (sum of
 *    steps x words) on square meshes;
 *  - the SRAM requirement per die, against formulas written out here;
 *  - layouts each method cannot run on;
 *  - the built-in models equal the files in configs/models/; bad descriptions are
 *    named with their key and what is allowed. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "table3.h"
#include "workload.h"

#define CLOSE(got, want)                                                                           \
  ck_assert_msg(fabs((double)(got) - (double)(want)) <= 1e-9 * (fabs((double)(want)) + 1),         \
                "%s = %.12g, expected %.12g", #got, (double)(got), (double)(want))

START_TEST(table3_by_hand_n16_n64) {
  /* N = 16, sqrt(N) = 4, log2 N = 4 */
  tsr_t3 t = tsr_table3(TSR_M_FLAT, TSR_B_FWD_ATTN, 16);
  CLOSE(t.alpha, 30), CLOSE(t.gamma, 1.875), CLOSE(t.xi, 0);
  t = tsr_table3(TSR_M_FLAT, TSR_B_BWD_FFN, 16);
  CLOSE(t.alpha, 45), CLOSE(t.gamma, 2.8125);
  t = tsr_table3(TSR_M_TORUS, TSR_B_FWD_FFN, 16);
  CLOSE(t.alpha, 48), CLOSE(t.gamma, 0.9375);
  t = tsr_table3(TSR_M_TORUS, TSR_B_BWD_ATTN, 16);
  CLOSE(t.alpha, 72), CLOSE(t.gamma, 1.40625);
  t = tsr_table3(TSR_M_OPTIMUS, TSR_B_FWD_ATTN, 16); /* 4 / 8 x (2 gamma + 4 xi) */
  CLOSE(t.alpha, 48), CLOSE(t.gamma, 1), CLOSE(t.xi, 2);
  t = tsr_table3(TSR_M_OPTIMUS, TSR_B_FWD_FFN, 16);
  CLOSE(t.gamma, 2.5), CLOSE(t.xi, 4);
  t = tsr_table3(TSR_M_OPTIMUS, TSR_B_BWD_ATTN, 16);
  CLOSE(t.alpha, 144), CLOSE(t.gamma, 2), CLOSE(t.xi, 4);
  t = tsr_table3(TSR_M_OPTIMUS, TSR_B_BWD_FFN, 16);
  CLOSE(t.gamma, 5), CLOSE(t.xi, 8);
  t = tsr_table3(TSR_M_HECATON, TSR_B_FWD_ATTN, 16);
  CLOSE(t.alpha, 24), CLOSE(t.gamma, 1.125), CLOSE(t.xi, 0);
  t = tsr_table3(TSR_M_HECATON, TSR_B_FWD_FFN, 16);
  CLOSE(t.alpha, 24), CLOSE(t.gamma, 1.875);
  t = tsr_table3(TSR_M_HECATON, TSR_B_BWD_ATTN, 16);
  CLOSE(t.alpha, 36), CLOSE(t.gamma, 1.5);
  t = tsr_table3(TSR_M_HECATON, TSR_B_BWD_FFN, 16);
  CLOSE(t.alpha, 36), CLOSE(t.gamma, 2.8125);
  /* N = 64, sqrt(N) = 8, log2 N = 6 */
  t = tsr_table3(TSR_M_FLAT, TSR_B_FWD_FFN, 64);
  CLOSE(t.alpha, 126), CLOSE(t.gamma, 1.96875);
  t = tsr_table3(TSR_M_TORUS, TSR_B_FWD_ATTN, 64);
  CLOSE(t.alpha, 224), CLOSE(t.gamma, 0.984375);
  t = tsr_table3(TSR_M_OPTIMUS, TSR_B_BWD_FFN, 64); /* 6 / 16 x (10 gamma + 16 xi) */
  CLOSE(t.alpha, 672), CLOSE(t.gamma, 3.75), CLOSE(t.xi, 6);
  t = tsr_table3(TSR_M_HECATON, TSR_B_BWD_FFN, 64);
  CLOSE(t.alpha, 84), CLOSE(t.gamma, 105.0 / 64);
}
END_TEST

START_TEST(table3_printed_formulas) {
  static const double ns[] = {4, 16, 36, 64, 256, 1024};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
    double n = ns[i], q = sqrt(n), c = log2(n) / (2 * q);
    struct {
      tsr_method m;
      tsr_block b;
      double alpha, gamma, xi;
    } row[] = {
        {TSR_M_FLAT, TSR_B_FWD_ATTN, 2 * (n - 1), 2 * (n - 1) / n, 0},
        {TSR_M_FLAT, TSR_B_FWD_FFN, 2 * (n - 1), 2 * (n - 1) / n, 0},
        {TSR_M_FLAT, TSR_B_BWD_ATTN, 3 * (n - 1), 3 * (n - 1) / n, 0},
        {TSR_M_FLAT, TSR_B_BWD_FFN, 3 * (n - 1), 3 * (n - 1) / n, 0},
        {TSR_M_TORUS, TSR_B_FWD_ATTN, 4 * (n - q), (n - 1) / n, 0},
        {TSR_M_TORUS, TSR_B_FWD_FFN, 4 * (n - q), (n - 1) / n, 0},
        {TSR_M_TORUS, TSR_B_BWD_ATTN, 6 * (n - q), 3 * (n - 1) / (2 * n), 0},
        {TSR_M_TORUS, TSR_B_BWD_FFN, 6 * (n - q), 3 * (n - 1) / (2 * n), 0},
        {TSR_M_OPTIMUS, TSR_B_FWD_ATTN, 4 * (n - q), 2 * c, 4 * c},
        {TSR_M_OPTIMUS, TSR_B_FWD_FFN, 4 * (n - q), 5 * c, 8 * c},
        {TSR_M_OPTIMUS, TSR_B_BWD_ATTN, 12 * (n - q), 4 * c, 8 * c},
        {TSR_M_OPTIMUS, TSR_B_BWD_FFN, 12 * (n - q), 10 * c, 16 * c},
        {TSR_M_HECATON, TSR_B_FWD_ATTN, 8 * (q - 1), 6 * (q - 1) / n, 0},
        {TSR_M_HECATON, TSR_B_FWD_FFN, 8 * (q - 1), 10 * (q - 1) / n, 0},
        {TSR_M_HECATON, TSR_B_BWD_ATTN, 12 * (q - 1), 8 * (q - 1) / n, 0},
        {TSR_M_HECATON, TSR_B_BWD_FFN, 12 * (q - 1), 15 * (q - 1) / n, 0},
    };
    for (size_t k = 0; k < sizeof row / sizeof row[0]; k++) {
      tsr_t3 t = tsr_table3(row[k].m, row[k].b, n);
      CLOSE(t.alpha, row[k].alpha);
      CLOSE(t.gamma, row[k].gamma);
      CLOSE(t.xi, row[k].xi);
    }
  }
}
END_TEST

/* Sum the critical path of a block's phases: steps x links and steps x words
 * (the torus's two halves run at once: one of them). */
static void sums(tsr_method m, tsr_block b, uint32_t r, uint32_t c, double t, double h, double f,
                 double *links, double *words) {
  tsr_phase ph[TSR_MAX_PHASES];
  int n = tsr_method_phases(m, b, r, c, t, h, f, ph);
  *links = *words = 0;
  for (int i = 0; i < n; i++) {
    if (ph[i].half == 2) continue;
    *links += (double)ph[i].steps * ph[i].links;
    *words += ph[i].steps * ph[i].words;
  }
}

START_TEST(phases_give_table3) {
  const double t = 1024, h = 256, f = 4 * h;
  static const uint32_t sides[] = {4, 8, 16, 32};
  for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
    uint32_t q = sides[i];
    double n = (double)q * q;
    for (int m = 0; m < TSR_N_METHODS; m++)
      for (int b = 0; b < TSR_N_BLOCKS; b++) {
        double links, words;
        sums((tsr_method)m, (tsr_block)b, q, q, t, h, f, &links, &words);
        tsr_t3 want = tsr_table3((tsr_method)m, (tsr_block)b, n);
        ck_assert_msg(fabs(links - want.alpha) < 1e-6, "%s %s N=%g: alpha count %g, Table III %g",
                      tsr_method_names[m], tsr_block_names[b], n, links, want.alpha);
        double vol = want.gamma * t * h + want.xi * h * h;
        ck_assert_msg(fabs(words - vol) < 1e-6 * vol, "%s %s N=%g: %g words, Table III %g",
                      tsr_method_names[m], tsr_block_names[b], n, words, vol);
      }
  }
}
END_TEST

START_TEST(hecaton_rectangular_and_two_member_rings) {
  const double t = 512, h = 64, f = 4 * h;
  double links, words;
  /* 2 x 2: rings of two members hop one link, not the folded ring's two:
     half of Table III's alpha count */
  sums(TSR_M_HECATON, TSR_B_FWD_FFN, 2, 2, t, h, f, &links, &words);
  ck_assert_double_eq_tol(links, 4, 1e-9);
  ck_assert_double_eq_tol(words, 10 * (2 - 1) / 4.0 * t * h, 1e-6);
  /* 4 x 8, forward FFN: AG O and RS X over the columns' rings (4 members),
     RS Z and AG Z over the rows' (8): (3 + 3) + 7 x 4 + 7 x 4 steps of t h / 32 */
  sums(TSR_M_HECATON, TSR_B_FWD_FFN, 4, 8, t, h, f, &links, &words);
  ck_assert_double_eq_tol(links, 2 * (3 + 7 + 7 + 3), 1e-9);
  ck_assert_double_eq_tol(words, (3 + 7 * 4 + 7 * 4 + 3) * t * h / 32, 1e-6);
  /* backward FFN, down first: AG dY over the 8-member rings (volume 1), RS dZ and
     AG Z^T over the 4-member rings (4 each); then up: AG dZ over the 4-member
     rings (4), RS dO and AG O^T over the 8-member rings (1 each) */
  sums(TSR_M_HECATON, TSR_B_BWD_FFN, 4, 8, t, h, f, &links, &words);
  ck_assert_double_eq_tol(words, (7 * 1 + 3 * 4 + 3 * 4 + 3 * 4 + 7 * 1 + 7 * 1) * t * h / 32,
                          1e-6);
}
END_TEST

START_TEST(torus_halves_on_rectangles) {
  /* 2 x 8: the rows-first half moves (8-1) x 2 x S/16 + (2-1) x 2 x S/32, the
     columns-first half (2-1) x 2 x S/4 + (8-1) x 2 x S/32 */
  tsr_phase ph[TSR_MAX_PHASES];
  double s = 1000 * 128;
  int n = tsr_method_phases(TSR_M_TORUS, TSR_B_FWD_ATTN, 2, 8, 1000, 128, 512, ph);
  double v[3] = {0, 0, 0};
  for (int i = 0; i < n; i++)
    v[ph[i].half] += ph[i].steps * ph[i].words;
  ck_assert_double_eq_tol(v[0], 0, 1e-9);
  ck_assert_double_eq_tol(v[1], 7 * 2 * s / 16 + 1 * 2 * s / 32, 1e-6);
  ck_assert_double_eq_tol(v[2], 1 * 2 * s / 4 + 7 * 2 * s / 32, 1e-6);
}
END_TEST

START_TEST(sram_requirements) {
  const double t = 2048, h = 512, f = 4 * h;
  /* Hecaton on a square mesh: the all-gathered Z, 4 t h / sqrt(N) (paper, V-A b) */
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_HECATON, 8, 8, t, h, f), 4 * t * h / 8, 1e-6);
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_HECATON, 32, 32, t, h, f), 4 * t * h / 32, 1e-6);
  /* 2 x 8: Z gathered (or reduced) over the 8-member rings, t f / 2 */
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_HECATON, 2, 8, t, h, f), t * f / 2, 1e-6);
  /* 1D tensor parallelism: the complete activation t h on every die */
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_FLAT, 8, 8, t, h, f), t * h, 1e-6);
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_TORUS, 4, 4, t, h, f), t * h, 1e-6);
  /* ... unless a shard is larger: 2 dies, Z / 2 = 2 t h */
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_FLAT, 1, 2, t, h, f), 2 * t * h, 1e-6);
  /* Optimus: its block of Z and one received block */
  ck_assert_double_eq_tol(tsr_sram_act_words(TSR_M_OPTIMUS, 4, 4, t, h, f), 2 * t * f / 16, 1e-6);
  /* weights: W and dW of the fused group per die; Optimus also a received block */
  double wg = 12 * h * h;
  ck_assert_double_eq_tol(tsr_sram_wgt_words(TSR_M_HECATON, 4, 4, wg, h * f), 2 * wg / 16, 1e-6);
  ck_assert_double_eq_tol(tsr_sram_wgt_words(TSR_M_FLAT, 4, 4, wg, h * f), 2 * wg / 16, 1e-6);
  ck_assert_double_eq_tol(tsr_sram_wgt_words(TSR_M_OPTIMUS, 4, 4, wg, h * f),
                          2 * wg / 16 + h * f / 16, 1e-6);
}
END_TEST

START_TEST(layout_constraints) {
  const char *why;
  ck_assert(tsr_layout_ok(TSR_M_FLAT, 4, 4, &why));
  ck_assert(tsr_layout_ok(TSR_M_FLAT, 2, 3, &why));
  ck_assert(!tsr_layout_ok(TSR_M_FLAT, 3, 3, &why));
  ck_assert_ptr_nonnull(strstr(why, "even number of dies"));
  ck_assert(!tsr_layout_ok(TSR_M_FLAT, 1, 4, &why));
  ck_assert(!tsr_layout_ok(TSR_M_OPTIMUS, 2, 8, &why));
  ck_assert_ptr_nonnull(strstr(why, "square"));
  ck_assert(!tsr_layout_ok(TSR_M_OPTIMUS, 6, 6, &why));
  ck_assert(tsr_layout_ok(TSR_M_OPTIMUS, 8, 8, &why));
  ck_assert(tsr_layout_ok(TSR_M_TORUS, 3, 5, &why));
  ck_assert(tsr_layout_ok(TSR_M_HECATON, 3, 5, &why));
  tsr_phase ph[TSR_MAX_PHASES];
  ck_assert_int_eq(tsr_method_phases(TSR_M_OPTIMUS, TSR_B_FWD_FFN, 2, 8, 64, 64, 256, ph), 0);
}
END_TEST

START_TEST(builtin_models_match_files) {
  char err[TSR_WL_ERR_LEN], path[256];
  ck_assert_int_eq(tsr_n_workloads, 4);
  for (int i = 0; i < tsr_n_workloads; i++) {
    const tsr_workload *b = &tsr_workloads[i];
    tsr_workload f;
    snprintf(path, sizeof path, "configs/models/%s.json", b->name);
    ck_assert_msg(tsr_workload_load(path, &f, err) == 0, "%s", err);
    ck_assert_str_eq(f.name, b->name);
    ck_assert_uint_eq(f.hidden, b->hidden);
    ck_assert_uint_eq(f.heads, b->heads);
    ck_assert_uint_eq(f.ffn, b->ffn);
    ck_assert_uint_eq(f.layers, b->layers);
    ck_assert_uint_eq(f.batch, b->batch);
    ck_assert_uint_eq(f.seq, b->seq);
    ck_assert_uint_eq(f.ffn, 4 * f.hidden); /* Table III's FFN */
  }
  /* the paper's hidden sizes double, and its batches (section VI-A) */
  ck_assert_uint_eq(tsr_workload_find("bert-large")->hidden, 1024);
  ck_assert_uint_eq(tsr_workload_find("llama2-70b")->hidden, 8192);
  ck_assert_uint_eq(tsr_workload_find("gpt3-6.7b")->batch, 64);
  ck_assert_ptr_null(tsr_workload_find("gpt4"));
}
END_TEST

START_TEST(bad_models_are_named) {
  char err[TSR_WL_ERR_LEN];
  tsr_workload w;
  ck_assert_int_eq(tsr_workload_load_string("{\"name\": \"m\", \"hidden\": 64, \"heads\": 4}",
                                            "m.json", &w, err),
                   0);
  ck_assert_uint_eq(w.ffn, 256);
  ck_assert_uint_eq(w.seq, 512);
  ck_assert_uint_eq(w.batch, 1);
  struct {
    const char *json, *want;
  } bad[] = {
      {"{\"name\": \"m\", \"hidden\": 64}",
       "m.json: heads: is missing, expected an integer 1..65536"},
      {"{\"name\": \"m\", \"hidden\": 64, \"heads\": 5}",
       "m.json: heads: 5 does not divide hidden (64), expected a divisor"},
      {"{\"name\": \"m\", \"hidden\": 0, \"heads\": 1}",
       "m.json: hidden: 0 is out of range, expected an integer 1..1048576"},
      {"{\"name\": \"m\", \"hidden\": \"64\", \"heads\": 1}",
       "m.json: hidden: \"64\" is not an integer, expected an integer 1..1048576"},
      {"{\"name\": \"m\", \"hidden\": 64, \"heads\": 1, \"hiden\": 3}",
       "m.json: hiden: unknown key, expected one of name, hidden, heads, ffn, layers, batch, seq, "
       "note"},
      {"{\"hidden\": 64, \"heads\": 1}",
       "m.json: name: is missing, expected a string of 1..64 characters"},
      {"[1]", "m.json: the top level is not an object"},
      {"{\"name\": \"m\",", "m.json: line 1, column"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_int_eq(tsr_workload_load_string(bad[i].json, "m.json", &w, err), -1);
    ck_assert_msg(strstr(err, bad[i].want) != NULL, "got '%s', expected '%s'", err, bad[i].want);
  }
  ck_assert_int_eq(tsr_workload_get("no/such/model.json", &w, err), -1);
  ck_assert_ptr_nonnull(
      strstr(err, "expected one of bert-large, bloom-1.7b, gpt3-6.7b, llama2-70b"));
}
END_TEST

Suite *table3_suite(void) {
  Suite *s = suite_create("table3");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, table3_by_hand_n16_n64);
  tcase_add_test(tc, table3_printed_formulas);
  tcase_add_test(tc, phases_give_table3);
  tcase_add_test(tc, hecaton_rectangular_and_two_member_rings);
  tcase_add_test(tc, torus_halves_on_rectangles);
  tcase_add_test(tc, sram_requirements);
  tcase_add_test(tc, layout_constraints);
  tcase_add_test(tc, builtin_models_match_files);
  tcase_add_test(tc, bad_models_are_named);
  suite_add_tcase(s, tc);
  return s;
}
