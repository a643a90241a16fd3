/* test_golden.c - the functional model against closed forms: integer-valued
 * matrices (exact in FP32), identities, accumulate, VADD, rejections. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "f32bits.h"
#include "golden.h"
#include "suites.h"
#include "vecfn.h"

static char err[TSR_ISA_ERR_LEN];


static long run(const char *prog, uint32_t *wgt, uint32_t *act) {
  uint32_t *w;
  size_t n;
  ck_assert_msg(tsr_assemble(prog, "p", &w, &n, err) == 0, "%s", err);
  long r = tsr_golden_run(w, n, wgt, 1024, act, 1024, err);
  free(w);
  return r;
}

START_TEST(fma_ref_known_values) {
  ck_assert_uint_eq(tsr_fma_ref(tsr_f32_bits(1), tsr_f32_bits(2), tsr_f32_bits(3)), tsr_f32_bits(5));
  ck_assert_uint_eq(tsr_fma_ref(0x7F800000u, 0, 0), TSR_CANONICAL_NAN);      /* inf * 0 */
  ck_assert_uint_eq(tsr_fma_ref(0x7FA00001u, tsr_f32_bits(1), 0), TSR_CANONICAL_NAN); /* sNaN in */
  /* smallest subnormal 2^-149 times 2 is 2^-148: bit pattern 2 */
  ck_assert_uint_eq(tsr_fma_ref(1u, tsr_f32_bits(2), 0), 2u);
  /* (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46 exactly: a single rounding keeps 2^-46 */
  float a = 1.0f + 0x1p-23f;
  ck_assert_uint_eq(tsr_fma_ref(tsr_f32_bits(a), tsr_f32_bits(a), tsr_f32_bits(-1.0f)), tsr_f32_bits(0x1p-22f + 0x1p-46f));
  /* exact cancellation in round-to-nearest gives +0 */
  ck_assert_uint_eq(tsr_fma_ref(tsr_f32_bits(2), tsr_f32_bits(3), tsr_f32_bits(-6)), 0u);
}
END_TEST

START_TEST(gemm_integer_matrices) {
  uint32_t wgt[1024] = {0}, act[1024] = {0};
  const unsigned M = 3, K = 5, N = 7;
  for (unsigned i = 0; i < M * K; i++) act[i] = tsr_f32_bits((float)(i % 7) - 3);
  for (unsigned i = 0; i < K * N; i++) wgt[i] = tsr_f32_bits((float)(i % 5) - 2);
  act[0x200] = tsr_f32_bits(100); /* y[0][0] before, for accumulate */
  ck_assert_int_eq(run("gemm x=0 w=0 y=0x100 m=3 k=5 n=7 acc=0\n"
                       "gemm x=0 w=0 y=0x200 m=3 k=5 n=7 acc=1\nhalt\n",
                       wgt, act),
                   3);
  for (unsigned m = 0; m < M; m++) {
    for (unsigned n = 0; n < N; n++) {
      float want = 0;
      for (unsigned k = 0; k < K; k++)
        want += ((float)((m * K + k) % 7) - 3) * ((float)((k * N + n) % 5) - 2);
      ck_assert_float_eq(tsr_f32_from_bits(act[0x100 + m * N + n]), want);
      ck_assert_float_eq(tsr_f32_from_bits(act[0x200 + m * N + n]), want + (m == 0 && n == 0 ? 100 : 0));
    }
  }
}
END_TEST

START_TEST(gemm_identity_and_k1) {
  uint32_t wgt[1024] = {0}, act[1024] = {0};
  for (unsigned i = 0; i < 4; i++) wgt[i * 4 + i] = tsr_f32_bits(1);
  for (unsigned i = 0; i < 8; i++) act[i] = tsr_f32_bits(0.1f * (float)i);
  act[0x80] = tsr_f32_bits(3);
  wgt[0x80] = tsr_f32_bits(-0.5f);
  ck_assert_int_eq(run("gemm x=0 w=0 y=0x100 m=2 k=4 n=4\n"
                       "gemm x=0x80 w=0x80 y=0x180 m=1 k=1 n=1\nhalt\n",
                       wgt, act),
                   3);
  for (unsigned i = 0; i < 8; i++) ck_assert_uint_eq(act[0x100 + i], act[i]);
  ck_assert_float_eq(tsr_f32_from_bits(act[0x180]), -1.5f);
}
END_TEST

START_TEST(vadd_and_alias) {
  uint32_t wgt[1024] = {0}, act[1024] = {0};
  for (unsigned i = 0; i < 10; i++) {
    act[i] = tsr_f32_bits((float)i);
    act[0x40 + i] = tsr_f32_bits(0.25f);
  }
  ck_assert_int_eq(run("vadd a=0 b=0x40 c=0 len=10\nhalt\n", wgt, act), 2);
  for (unsigned i = 0; i < 10; i++) ck_assert_float_eq(tsr_f32_from_bits(act[i]), (float)i + 0.25f);
}
END_TEST

/* y = s x + y with s inside Y: s is read once, before Y is written, so
 * every element scales by the same s (here 2, at y[3]). */
START_TEST(vaxpy_reads_s_once) {
  uint32_t wgt[1024] = {0}, act[1024] = {0};
  for (unsigned i = 0; i < 10; i++) {
    act[i] = tsr_f32_bits((float)i);
    act[0x40 + i] = tsr_f32_bits(i == 3 ? 2.0f : 0.5f);
  }
  act[0x80] = tsr_f32_bits(-0.25f);
  ck_assert_int_eq(run("vaxpy x=0 y=0x40 s=0x43 len=10\n"
                       "vaxpy x=0x20 y=0x20 s=0x80 len=1\nhalt\n", wgt, act), 3);
  for (unsigned i = 0; i < 10; i++)
    ck_assert_float_eq(tsr_f32_from_bits(act[0x40 + i]), 2.0f * (float)i + (i == 3 ? 2.0f : 0.5f));
  ck_assert_uint_eq(act[0x20], 0u); /* -0.25 x 0 + 0 = +0 */
}
END_TEST

/* c = a b rounded once, the sign of a zero product kept: a product plus -0. */
START_TEST(vmul_products_and_zero_signs) {
  uint32_t wgt[1024] = {0}, act[1024] = {0};
  for (unsigned i = 0; i < 10; i++) {
    act[i] = tsr_f32_bits((float)i - 4);
    act[0x40 + i] = tsr_f32_bits(0.5f * (float)i);
  }
  act[0x80] = tsr_f32_bits(0.0f), act[0x81] = tsr_f32_bits(-1.0f); /* +0 x -1 = -0 */
  act[0x82] = tsr_f32_bits(0.0f), act[0x83] = tsr_f32_bits(1.0f);  /* +0 x 1 = +0 */
  ck_assert_int_eq(run("vmul a=0 b=0x40 c=0 len=10\n"
                       "vmul a=0x80 b=0x81 c=0x90 len=1\nvmul a=0x82 b=0x83 c=0x91 len=1\nhalt\n",
                       wgt, act), 4);
  for (unsigned i = 0; i < 10; i++)
    ck_assert_float_eq(tsr_f32_from_bits(act[i]), ((float)i - 4) * 0.5f * (float)i);
  ck_assert_uint_eq(act[0x90], 0x80000000u);
  ck_assert_uint_eq(act[0x91], 0u);
}
END_TEST

/* 1/x by VRECIP against 1.0 / x in double, within one ulp of the result, on
 * normal and subnormal inputs of both signs and results from subnormal to
 * near FLT_MAX, C identical to A for half of them; and the special cases by
 * the rules written here. */
START_TEST(vrecip_against_double) {
  static uint32_t wgt[1024], act[1024];
  uint32_t seed = 99;
  for (unsigned i = 0; i < 256; i++) {
    seed = seed * 1664525u + 1013904223u;
    act[i] = (seed & 0x807FFFFFu) | ((seed >> 8) % 256 == 255 ? 0 : ((seed >> 8) % 255) << 23);
  }
  static const uint32_t special[][2] = {{0x7F800000u, 0}, {0xFF800000u, 0x80000000u},
                                        {0, 0x7F800000u}, {0x80000000u, 0xFF800000u},
                                        {0x7FA00001u, 0x7FC00000u}, {0x3F800000u, 0x3F800000u}};
  for (unsigned i = 0; i < 6; i++) act[0x300 + i] = special[i][0];
  ck_assert_int_eq(run("vrecip a=0 c=0x100 len=128\nvrecip a=0x80 c=0x80 len=128\n"
                       "vrecip a=0x300 c=0x300 len=6\nhalt\n", wgt, act), 4);
  seed = 99;
  for (unsigned i = 0; i < 256; i++) {
    seed = seed * 1664525u + 1013904223u;
    uint32_t u = (seed & 0x807FFFFFu) | ((seed >> 8) % 256 == 255 ? 0 : ((seed >> 8) % 255) << 23);
    if ((u & 0x7FFFFFFFu) == 0) continue;
    double want = 1.0 / (double)tsr_f32_from_bits(u), aw = fabs(want);
    double ulp = ldexp(1.0, (aw < 0x1p-126 ? -126 : ilogb(aw)) - 23);
    float got = tsr_f32_from_bits(act[i < 128 ? 0x100 + i : i]);
    double x = (double)tsr_f32_from_bits(u);
    if (aw >= 0x1p128) ck_assert_msg(isinf(got), "1/%a: got %a, want inf", x, (double)got);
    else
      ck_assert_msg(fabs((double)got - want) <= ulp, "1/%a: got %a, want %a", x, (double)got, want);
  }
  for (unsigned i = 0; i < 6; i++) ck_assert_uint_eq(act[0x300 + i], special[i][1]);
}
END_TEST

/* 1/sqrt(x) by VRSQRT against 1.0 / sqrt(x) in double, within one ulp, on
 * positive normal and subnormal inputs of both exponent parities, C identical
 * to A for half of them; and the special cases by the rules written here. */
START_TEST(vrsqrt_against_double) {
  static uint32_t wgt[1024], act[1024];
  uint32_t seed = 31;
  for (unsigned i = 0; i < 256; i++) {
    seed = seed * 1664525u + 1013904223u;
    act[i] = (seed & 0x007FFFFFu) | (i % 16 == 0 ? 0 : ((seed >> 8) % 254 + 1) << 23);
    if (act[i] == 0) act[i] = 1;
  }
  static const uint32_t special[][2] = {{0x7F800000u, 0}, {0xFF800000u, 0x7FC00000u},
                                        {0, 0x7F800000u}, {0x80000000u, 0xFF800000u},
                                        {0xBF800000u, 0x7FC00000u}, {0x80000001u, 0x7FC00000u},
                                        {0x7FA00001u, 0x7FC00000u}, {0x40800000u, 0x3F000000u}};
  for (unsigned i = 0; i < 8; i++) act[0x300 + i] = special[i][0];
  uint32_t in[256];
  memcpy(in, act, sizeof in);
  ck_assert_int_eq(run("vrsqrt a=0 c=0x100 len=128\nvrsqrt a=0x80 c=0x80 len=128\n"
                       "vrsqrt a=0x300 c=0x300 len=8\nhalt\n",
                       wgt, act),
                   4);
  for (unsigned i = 0; i < 256; i++) {
    double x = (double)tsr_f32_from_bits(in[i]), want = 1.0 / sqrt(x);
    double ulp = ldexp(1.0, ilogb(want) - 23);
    float got = tsr_f32_from_bits(act[i < 128 ? 0x100 + i : i]);
    ck_assert_msg(fabs((double)got - want) <= ulp, "rsqrt(%a): got %a, want %a", x, (double)got,
                  want);
  }
  for (unsigned i = 0; i < 8; i++) ck_assert_uint_eq(act[0x300 + i], special[i][1]);
}
END_TEST

/* GeLU's tanh form and its derivative in double, written here. */
static double gelu_double(double x, int grad) {
  double k = sqrt(2.0 / acos(-1.0)), u = k * (x + 0.044715 * x * x * x), t = tanh(u);
  if (!grad) return 0.5 * x * (1.0 + t);
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * k * (1.0 + 3 * 0.044715 * x * x);
}

/* gelu and gelu' by VGELU and VGELUD against gelu_double, on x in [-14, 14]
 * (beyond 12.5 x alone decides), within 4 ulps of the result plus 2^-22 (the
 * function's condition near its zeros, docs/vector-functions.md), C
 * identical to A for half of them; and the special cases by the rules
 * written here. */
START_TEST(vgelu_against_double) {
  static uint32_t wgt[1024], act[1024];
  uint32_t seed = 5, in[128];
  for (unsigned i = 0; i < 128; i++) {
    seed = seed * 1664525u + 1013904223u;
    in[i] = tsr_f32_bits(ldexpf((float)(seed >> 8), -24) * 28.0f - 14.0f);
    act[i] = in[i];
  }
  static const uint32_t special[][3] = {
      {0x7F800000u, 0x7F800000u, 0x3F800000u}, {0xFF800000u, 0x80000000u, 0x80000000u},
      {0, 0, 0x3F000000u},                      {0x80000000u, 0x80000000u, 0x3F000000u},
      {0xFFA00001u, 0x7FC00000u, 0x7FC00000u}, {0x41500000u, 0x41500000u, 0x3F800000u},
      {0xC1500000u, 0x80000000u, 0x80000000u}};
  for (unsigned i = 0; i < 7; i++) act[0x300 + i] = act[0x310 + i] = special[i][0];
  ck_assert_int_eq(run("vgelu a=0 c=0x100 len=64\nvgelu a=0x40 c=0x40 len=64\n"
                       "vgelud a=0 c=0x200 len=64\nvgelu a=0x300 c=0x300 len=7\n"
                       "vgelud a=0x310 c=0x310 len=7\nhalt\n",
                       wgt, act),
                   6);
  for (unsigned i = 0; i < 128; i++) {
    double x = (double)tsr_f32_from_bits(in[i]);
    for (int grad = 0; grad < 2; grad++) {
      if (grad && i >= 64) break;
      double want = gelu_double(x, grad), aw = fabs(want);
      double ulp = ldexp(1.0, (aw < 0x1p-126 ? -126 : ilogb(aw)) - 23);
      uint32_t at = grad ? 0x200 + i : i < 64 ? 0x100 + i : i;
      float got = tsr_f32_from_bits(act[at]);
      ck_assert_msg(fabs((double)got - want) <= 4 * ulp + 0x1p-22, "gelu%s(%a): got %a, want %a",
                    grad ? "'" : "", x, (double)got, want);
    }
  }
  for (unsigned i = 0; i < 7; i++) {
    ck_assert_uint_eq(act[0x300 + i], special[i][1]);
    ck_assert_uint_eq(act[0x310 + i], special[i][2]);
  }
}
END_TEST

/* Softmax of a row on the die, from its instructions alone: copy (VMUL by
 * ones), the row maximum as VMAX passes over halves, x - m (VAXPY of a -1
 * vector scaled by m), VEXP, the row sum (a GEMM with a column of ones),
 * VRECIP, and a_i = e_i r + (-0) (VAXPY into a -0 vector): tsr_vsoftmax's
 * result bit for bit, on ordinary rows and on one with -inf, a large value
 * and a subnormal. */
/* VTRANS: C[j][i] = A[i][j], the words as they are (NaNs and -0 too), by
 * the definition written here; and the program check refuses a C that
 * overlaps A and a matrix that leaves the buffer. */
START_TEST(vtrans_transposes) {
  static uint32_t wgt[1024], act[1024];
  enum { M = 7, N = 13, A = 0x000, C = 0x100 };
  for (uint32_t i = 0; i < M * N; i++) act[A + i] = i * 2654435761u;
  act[A + 5] = 0x7FA00001u, act[A + 6] = 0x80000000u;
  ck_assert_int_eq(run("vtrans a=0 c=0x100 m=7 n=13\nhalt\n", wgt, act), 2);
  for (uint32_t i = 0; i < M; i++)
    for (uint32_t j = 0; j < N; j++) ck_assert_uint_eq(act[C + j * M + i], act[A + i * N + j]);
  ck_assert_int_eq(run("vtrans a=0 c=0x50 m=7 n=13\nhalt\n", wgt, act), -1);
  ck_assert_str_eq(err, "insn 0 (vtrans): C overlaps A, which is not allowed");
  ck_assert_int_eq(run("vtrans a=0x3f0 c=0 m=2 n=16\nhalt\n", wgt, act), -1);
  ck_assert_str_eq(err, "insn 0 (vtrans): A or C [+32) leaves the activation buffer (1024 words)");
}
END_TEST

/* Random row values in [-20, 20], and a row of one value. */
static void fill_row(uint32_t *seed, float *x, int n, float lo, float hi) {
  for (int i = 0; i < n; i++) {
    *seed = *seed * 1664525u + 1013904223u;
    x[i] = lo + (hi - lo) * (float)(*seed >> 8) / 16777216.0f;
  }
}

/* LayerNorm of a row on the die, from its instructions alone, forward and
 * backward: tsr_vlayernorm's y, xhat, mean and rstd and tsr_vlayernorm_bwd's
 * dx, dgamma and dbeta bit for bit (the row sums are GEMMs with a column of
 * ones; 1/n by VRECIP; -rn by VMUL; every scalar step a VMUL or VAXPY of
 * length 1), on four rows, one of them constant (variance 0, rstd from eps). */
START_TEST(layernorm_from_instructions) {
  static uint32_t wgt[1024], act[1024];
  enum { N = 16, X = 0x000, ONES = 0x020, G = 0x040, B = 0x060, XH = 0x080, SQ = 0x0A0 };
  enum { Y = 0x0C0, DY = 0x0E0, DX = 0x100, NZ = 0x120, DG = 0x140, DB = 0x160, T = 0x180 };
  enum { NF = 0x200, RN, NRN, S, NMEAN, V, EPS, RSTD, NEG1, SG, SGX, NMG, NMGX };
  const float eps = 1e-5f;
  uint32_t seed = 777;
  for (int row = 0; row < 4; row++) {
    float x[N], g[N], b[N], dy[N], y[N], xh[N], dx[N], dg[N], db[N], mean, rstd;
    fill_row(&seed, x, N, -20.0f, 20.0f);
    fill_row(&seed, g, N, 0.5f, 2.0f);
    fill_row(&seed, b, N, -1.0f, 1.0f);
    fill_row(&seed, dy, N, -1.0f, 1.0f);
    fill_row(&seed, dg, N, -1.0f, 1.0f);
    fill_row(&seed, db, N, -1.0f, 1.0f);
    if (row == 3)
      for (int i = 0; i < N; i++) x[i] = 3.25f;
    for (int i = 0; i < N; i++) {
      act[X + i] = tsr_f32_bits(x[i]), act[ONES + i] = tsr_f32_bits(1.0f);
      act[G + i] = tsr_f32_bits(g[i]), act[B + i] = tsr_f32_bits(b[i]);
      act[DY + i] = tsr_f32_bits(dy[i]), act[DG + i] = tsr_f32_bits(dg[i]);
      act[DB + i] = tsr_f32_bits(db[i]);
      act[XH + i] = act[NZ + i] = 0x80000000u;
      wgt[i] = tsr_f32_bits(1.0f);
    }
    act[NF] = tsr_f32_bits((float)N), act[EPS] = tsr_f32_bits(eps);
    act[NEG1] = tsr_f32_bits(-1.0f);
    tsr_vlayernorm(x, g, b, eps, N, y, xh, &mean, &rstd);
    tsr_vlayernorm_bwd(dy, xh, g, rstd, N, dx, dg, db);
    char prog[2048];
    snprintf(prog, sizeof prog,
             /* forward */
             "vrecip a=%d c=%d len=1\nvmul a=%d b=%d c=%d len=1\n"
             "gemm x=%d w=0 y=%d m=1 k=16 n=1\nvmul a=%d b=%d c=%d len=1\n"
             "vaxpy x=%d y=%d s=%d len=16\nvmul a=%d b=%d c=%d len=16\n"
             "gemm x=%d w=0 y=%d m=1 k=16 n=1\nvaxpy x=%d y=%d s=%d len=1\n"
             "vrsqrt a=%d c=%d len=1\nvaxpy x=%d y=%d s=%d len=16\n"
             "vmul a=%d b=%d c=%d len=16\nvadd a=%d b=%d c=%d len=16\n"
             /* backward, from xhat and rstd */
             "vmul a=%d b=%d c=%d len=16\ngemm x=%d w=0 y=%d m=1 k=16 n=1\n"
             "vmul a=%d b=%d c=%d len=16\ngemm x=%d w=0 y=%d m=1 k=16 n=1\n"
             "vmul a=%d b=%d c=%d len=1\nvmul a=%d b=%d c=%d len=1\n"
             "vaxpy x=%d y=%d s=%d len=16\nvaxpy x=%d y=%d s=%d len=16\n"
             "vaxpy x=%d y=%d s=%d len=16\nvmul a=%d b=%d c=%d len=16\n"
             "vadd a=%d b=%d c=%d len=16\nvadd a=%d b=%d c=%d len=16\nhalt\n",
             NF, RN, RN, NEG1, NRN, X, S, S, NRN, NMEAN, ONES, X, NMEAN, X, X, SQ, SQ, V, V, EPS,
             RN, EPS, RSTD, X, XH, RSTD, XH, G, Y, Y, B, Y, /* backward */
             DY, G, DX, DX, SG, DX, XH, T, T, SGX, SG, NRN, NMG, SGX, NRN, NMGX, XH, DX, NMGX,
             ONES, DX, NMG, DX, NZ, RSTD, DY, XH, T, T, DG, DG, DY, DB, DB);
    ck_assert_int_eq(run(prog, wgt, act), 25);
    ck_assert_uint_eq(act[NMEAN], tsr_f32_bits(mean) ^ 0x80000000u);
    ck_assert_uint_eq(act[RSTD], tsr_f32_bits(rstd));
    for (int i = 0; i < N; i++) {
      ck_assert_msg(act[XH + i] == tsr_f32_bits(xh[i]) && act[Y + i] == tsr_f32_bits(y[i]),
                    "row %d, xhat[%d] = %08x y = %08x, want %08x %08x", row, i, act[XH + i],
                    act[Y + i], tsr_f32_bits(xh[i]), tsr_f32_bits(y[i]));
      ck_assert_msg(act[NZ + i] == tsr_f32_bits(dx[i]) && act[DG + i] == tsr_f32_bits(dg[i]) &&
                        act[DB + i] == tsr_f32_bits(db[i]),
                    "row %d, dx/dgamma/dbeta[%d] = %08x %08x %08x, want %08x %08x %08x", row, i,
                    act[NZ + i], act[DG + i], act[DB + i], tsr_f32_bits(dx[i]),
                    tsr_f32_bits(dg[i]), tsr_f32_bits(db[i]));
    }
  }
}
END_TEST

/* The backward passes of softmax and GeLU on the die, from their instructions
 * alone: tsr_vsoftmax_bwd (VMUL, the row sum by a GEMM with ones, -d by
 * VMUL, VAXPY of ones by -d into dA, VMUL) and tsr_vgelu_bwd (VGELUD, VMUL)
 * bit for bit. */
START_TEST(softmax_and_gelu_backward_from_instructions) {
  static uint32_t wgt[1024], act[1024];
  enum { N = 16, A = 0x000, DA = 0x020, P = 0x040, ONES = 0x060, DX = 0x080, D = 0x0A0 };
  enum { ND = 0x0A1, NEG1 = 0x0A2, X = 0x0C0, DY = 0x0E0, GD = 0x100, DXG = 0x120 };
  uint32_t seed = 31337;
  for (int row = 0; row < 4; row++) {
    float a[N], da[N], x[N], dy[N], dx[N], dxg[N];
    fill_row(&seed, x, N, -20.0f, 20.0f);
    tsr_vsoftmax(x, a, N);
    fill_row(&seed, da, N, -2.0f, 2.0f);
    fill_row(&seed, x, N, -6.0f, 6.0f);
    fill_row(&seed, dy, N, -2.0f, 2.0f);
    tsr_vsoftmax_bwd(a, da, dx, N);
    tsr_vgelu_bwd(x, dy, dxg, N);
    for (int i = 0; i < N; i++) {
      act[A + i] = tsr_f32_bits(a[i]), act[DA + i] = tsr_f32_bits(da[i]);
      act[ONES + i] = tsr_f32_bits(1.0f), act[X + i] = tsr_f32_bits(x[i]);
      act[DY + i] = tsr_f32_bits(dy[i]);
      wgt[i] = tsr_f32_bits(1.0f);
    }
    act[NEG1] = tsr_f32_bits(-1.0f);
    char prog[1024];
    snprintf(prog, sizeof prog,
             "vmul a=%d b=%d c=%d len=16\ngemm x=%d w=0 y=%d m=1 k=16 n=1\n"
             "vmul a=%d b=%d c=%d len=1\nvaxpy x=%d y=%d s=%d len=16\n"
             "vmul a=%d b=%d c=%d len=16\n"
             "vgelud a=%d c=%d len=16\nvmul a=%d b=%d c=%d len=16\nhalt\n",
             A, DA, P, P, D, D, NEG1, ND, ONES, DA, ND, A, DA, DX, X, GD, DY, GD, DXG);
    ck_assert_int_eq(run(prog, wgt, act), 8);
    for (int i = 0; i < N; i++) {
      ck_assert_msg(act[DX + i] == tsr_f32_bits(dx[i]), "row %d, softmax dx[%d] = %08x, want %08x",
                    row, i, act[DX + i], tsr_f32_bits(dx[i]));
      ck_assert_msg(act[DXG + i] == tsr_f32_bits(dxg[i]), "row %d, gelu dx[%d] = %08x, want %08x",
                    row, i, act[DXG + i], tsr_f32_bits(dxg[i]));
    }
  }
}
END_TEST

START_TEST(softmax_from_instructions) {
  static uint32_t wgt[1024], act[1024];
  enum { N = 16, ROW = 0x000, T = 0x100, NEG1 = 0x200, ONES = 0x220, OUT = 0x240 };
  enum { S = 0x260, R = 0x261 };
  uint32_t seed = 4242;
  for (int row = 0; row < 5; row++) {
    float x[N], want[N];
    for (int i = 0; i < N; i++) {
      seed = seed * 1664525u + 1013904223u;
      x[i] = (float)((int)(seed >> 9) % 4001 - 2000) / 100.0f;
    }
    if (row == 4) x[3] = -INFINITY, x[7] = 88.0f, x[9] = 1e-40f;
    tsr_vsoftmax(x, want, N);
    for (int i = 0; i < N; i++) {
      act[ROW + i] = tsr_f32_bits(x[i]);
      act[NEG1 + i] = tsr_f32_bits(-1.0f);
      act[ONES + i] = tsr_f32_bits(1.0f);
      act[OUT + i] = 0x80000000u;
      wgt[i] = tsr_f32_bits(1.0f);
    }
    char prog[1024];
    snprintf(prog, sizeof prog,
             "vmul a=%d b=%d c=%d len=16\n"
             "vmax a=%d b=%d c=%d len=8\nvmax a=%d b=%d c=%d len=4\n"
             "vmax a=%d b=%d c=%d len=2\nvmax a=%d b=%d c=%d len=1\n"
             "vaxpy x=%d y=%d s=%d len=16\n"
             "vexp a=%d c=%d len=16\n"
             "gemm x=%d w=0 y=%d m=1 k=16 n=1\n"
             "vrecip a=%d c=%d len=1\n"
             "vaxpy x=%d y=%d s=%d len=16\nhalt\n",
             ROW, ONES, T, T, T + 8, T, T, T + 4, T, T, T + 2, T, T, T + 1, T, NEG1, ROW, T, ROW,
             ROW, ROW, S, S, R, ROW, OUT, R);
    ck_assert_int_eq(run(prog, wgt, act), 11);
    for (int i = 0; i < N; i++)
      ck_assert_msg(act[OUT + i] == tsr_f32_bits(want[i]), "row %d, a[%d] = %08x, want %08x", row,
                    i, act[OUT + i], tsr_f32_bits(want[i]));
  }
}
END_TEST

/* VMAX by the rules written here: NaN (any) wins as the canonical NaN, +0
 * above -0, infinities ordered, else the larger; C identical to B. */
START_TEST(vmax_rules) {
  static uint32_t wgt[1024], act[1024];
  static const uint32_t pairs[][3] = {
      /* a, b, max */
      {0x3F800000u, 0x40000000u, 0x40000000u}, /* 1, 2 */
      {0xC0000000u, 0xBF800000u, 0xBF800000u}, /* -2, -1 */
      {0x80000000u, 0x00000000u, 0x00000000u}, /* -0, +0 */
      {0x00000000u, 0x80000000u, 0x00000000u}, /* +0, -0 */
      {0x80000000u, 0x80000000u, 0x80000000u}, /* -0, -0 */
      {0xFF800000u, 0xFF7FFFFFu, 0xFF7FFFFFu}, /* -inf, -FLT_MAX */
      {0x7F800000u, 0x7F7FFFFFu, 0x7F800000u}, /* +inf, FLT_MAX */
      {0x7FA00001u, 0x3F800000u, 0x7FC00000u}, /* sNaN, 1 */
      {0x3F800000u, 0xFFC12345u, 0x7FC00000u}, /* 1, -qNaN */
      {0x00000001u, 0x80000001u, 0x00000001u}, /* subnormals of both signs */
      {0xBF800000u, 0x00000001u, 0x00000001u}, /* -1, the least subnormal */
  };
  size_t n = sizeof pairs / sizeof pairs[0];
  for (size_t i = 0; i < n; i++) act[i] = pairs[i][0], act[0x40 + i] = pairs[i][1];
  ck_assert_int_eq(run("vmax a=0 b=0x40 c=0x40 len=11\nhalt\n", wgt, act), 2);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(act[0x40 + i] == pairs[i][2], "max(%08x, %08x) = %08x, want %08x", pairs[i][0],
                  pairs[i][1], act[0x40 + i], pairs[i][2]);
}
END_TEST

/* A row maximum as VMAX passes over halves of the row (16 -> 8 -> 4 -> 2 ->
 * 1) is tsr_vrowmax's sequential result, bit for bit: rows of random values
 * with signed zeros, infinities and, in some rows, a NaN. */
START_TEST(rowmax_by_vmax_halving) {
  static uint32_t wgt[1024], act[1024];
  static const uint32_t corner[] = {0x80000000u, 0, 0x7F800000u, 0xFF800000u, 0x7FA00001u};
  uint32_t seed = 777;
  for (int row = 0; row < 40; row++) {
    float x[16];
    for (int i = 0; i < 16; i++) {
      seed = seed * 1664525u + 1013904223u;
      uint32_t pick = (seed >> 8) % 40;
      float ordinary = (float)((int)(seed >> 12) % 201 - 100) / 8.0f;
      act[i] = pick < 5 && (pick != 4 || row % 4 == 0) ? corner[pick] : tsr_f32_bits(ordinary);
      x[i] = tsr_f32_from_bits(act[i]);
    }
    ck_assert_int_eq(run("vmax a=0 b=8 c=0 len=8\nvmax a=0 b=4 c=0 len=4\n"
                         "vmax a=0 b=2 c=0 len=2\nvmax a=0 b=1 c=0 len=1\nhalt\n",
                         wgt, act),
                     5);
    ck_assert_uint_eq(act[0], tsr_f32_bits(tsr_vrowmax(x, 16)));
  }
}
END_TEST

/* e^x by VEXP against libm's exp in double, within one ulp of the result
 * (0.919 ulp at worst over every binary32 input, docs/vector-functions.md),
 * on a range that takes in every scaling case: results from subnormal
 * (x < -87.3) to near FLT_MAX, with C identical to A for half of them. */
START_TEST(vexp_against_libm) {
  static uint32_t wgt[1024], act[1024];
  for (unsigned i = 0; i < 256; i++) act[i] = tsr_f32_bits(-103.0f + 191.5f * (float)i / 255.0f);
  ck_assert_int_eq(run("vexp a=0 c=0x100 len=128\nvexp a=0x80 c=0x80 len=128\nhalt\n", wgt, act),
                   3);
  for (unsigned i = 0; i < 256; i++) {
    float x = -103.0f + 191.5f * (float)i / 255.0f;
    float got = tsr_f32_from_bits(act[i < 128 ? 0x100 + i : i]);
    double want = exp((double)x), ulp = ldexp(1.0, (want < 0x1p-126 ? -126 : ilogb(want)) - 23);
    ck_assert_msg(fabs((double)got - want) <= ulp, "e^%a: got %a, want %a", (double)x, (double)got,
                  want);
  }
}
END_TEST

/* The die's instructions are the vector functions of models/vecfn.c, bit for
 * bit, on random words with IEEE corner values: VMUL is tsr_vmul, VAXPY is
 * tsr_vaxpy, VEXP is tsr_vexp, and a GEMM with a column of ones (n = 1) is tsr_vrowsum of each
 * row of X, the same chain. The lowering of a layer relies on these. */
START_TEST(instructions_are_the_vector_functions) {
  static uint32_t wgt[1024], act[1024];
  static const uint32_t corner[] = {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x80000000u, 0,
                                    1u, 0x807FFFFFu, 0x7F7FFFFFu};
  uint32_t seed = 12345;
  for (unsigned i = 0; i < 1024; i++) {
    seed = seed * 1664525u + 1013904223u;
    act[i] = seed % 5 == 0 ? corner[(seed >> 8) % 8]
                           : tsr_f32_bits((float)((int)(seed >> 9) % 2001 - 1000) / 64.0f);
    wgt[i] = tsr_f32_bits(1.0f);
  }
  float x[64], y[64], s = tsr_f32_from_bits(act[0x300]), want[64], rows[8];
  for (unsigned i = 0; i < 64; i++) {
    x[i] = tsr_f32_from_bits(act[i]);
    y[i] = tsr_f32_from_bits(act[0x100 + i]);
  }
  for (unsigned r = 0; r < 8; r++) rows[r] = tsr_vrowsum(x + 8 * r, 8);
  tsr_vmul(x, y, want, 64);
  ck_assert_int_eq(run("vmul a=0 b=0x100 c=0x200 len=64\n"
                       "vaxpy x=0 y=0x100 s=0x300 len=64\n"
                       "gemm x=0 w=0 y=0x280 m=8 k=8 n=1\n"
                       "vexp a=0 c=0x380 len=64\nhalt\n", wgt, act), 5);
  tsr_vaxpy(s, x, y, 64);
  for (unsigned i = 0; i < 64; i++) {
    ck_assert_uint_eq(act[0x200 + i], tsr_f32_bits(want[i]));
    ck_assert_uint_eq(act[0x100 + i], tsr_f32_bits(y[i]));
    ck_assert_uint_eq(act[0x380 + i], tsr_f32_bits(tsr_vexp(x[i])));
  }
  for (unsigned r = 0; r < 8; r++) ck_assert_uint_eq(act[0x280 + r], tsr_f32_bits(rows[r]));
}
END_TEST

START_TEST(program_check_rejections) {
  static const char *const cases[][2] = {
      {"gemm x=0 w=0 y=0x3f0 m=4 k=4 n=8\nhalt\n", "leaves the activation buffer"},
      {"gemm x=0 w=0x3f0 y=0x100 m=4 k=4 n=8\nhalt\n", "leaves the weight buffer"},
      {"gemm x=0 w=0 y=0x8 m=4 k=4 n=4\nhalt\n", "Y overlaps X"},
      {"vadd a=0 b=0x100 c=0x4 len=8\nhalt\n", "identical to or disjoint"},
      {"vaxpy x=0 y=0x4 s=0x100 len=8\nhalt\n", "Y must be identical to or disjoint from X"},
      {"vmul a=0x100 b=0 c=0x4 len=8\nhalt\n", "(vmul): C must be identical to or disjoint"},
      {"vexp a=0 c=0x4 len=8\nhalt\n", "(vexp): C must be identical to or disjoint from A"},
      {"vexp a=0 c=0x3fc len=8\nhalt\n", "(vexp): an operand of 8 words leaves the activation"},
      {"vaxpy x=0 y=0x100 s=0x400 len=8\nhalt\n", "leaves the activation buffer"},
      {"gemm x=0 w=0 y=0x100 m=1 k=1 n=1\n", "no HALT"},
      {"send row=0 col=1 src=act:0 dst=act:0 len=1\nhalt\n", "needs the network-on-package"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t *w;
    size_t n;
    ck_assert_int_eq(tsr_assemble(cases[i][0], "p", &w, &n, err), 0);
    ck_assert_int_eq(tsr_program_check(w, n, 1024, 1024, err), -1);
    ck_assert_msg(strstr(err, cases[i][1]) != NULL, "case %zu: got '%s'", i, err);
    free(w);
  }
}
END_TEST

/* A die whose units read their own banks: 2 rows x 8 columns, act accesses
 * of 8 words, weight accesses of 4 (tests/cosim/lanes-os.json). */
static int lanes_check(const char *text) {
  tsr_die_cfg d = {.pe_count = 2, .lanes = 2, .vector = 4, .dataflow = TSR_DF_OS,
                   .fma_stages = 2, .weight_buffer = {16384, 4, 32},
                   .act_buffer = {32768, 4, 64}, .imem_words = 256, .local_lanes = true};
  uint32_t *w;
  size_t n;
  ck_assert_int_eq(tsr_assemble(text, "p", &w, &n, err), 0);
  int rc = tsr_die_program_check(&d, w, n, err);
  d.local_lanes = false; /* the same die with rotating lanes takes anything */
  char rotating_err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_die_program_check(&d, w, n, rotating_err) == 0, "%s: %s", text, rotating_err);
  free(w);
  return rc;
}

START_TEST(local_lanes_alignment) {
  static const char *const ok[] = {
      "gemm x=0x3 w=0x4 y=0x40 m=5 k=3 n=8\nhalt\n",    /* X anywhere, W and Y rows aligned */
      "gemm x=0 w=0x5 y=0x33 m=7 k=3 n=1\nhalt\n",      /* rows of one word go anywhere */
      "gemm x=0 w=0x8 y=0x10 m=1 k=1 n=5\nhalt\n",      /* one row of Y and of W */
      "vadd a=0x8 b=0x20 c=0x40 len=9\nhalt\n",
      "vadd a=0x9 b=0x11 c=0x19 len=1\nhalt\n",         /* one word */
      "vaxpy x=0x8 y=0x40 s=0x7 len=20\nhalt\n",        /* s anywhere */
      "vexp a=0x20 c=0x20 len=3\nhalt\n",
      "vtrans a=0x0 c=0x200 m=24 n=16\nhalt\n",
      "vtrans a=0x3 c=0x100 m=8 n=1\nhalt\n",          /* A's rows of one word, C one row */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    ck_assert_msg(lanes_check(ok[i]) == 0, "rejected %s: %s", ok[i], err);
  static const char *const bad[][2] = {
      {"gemm x=0 w=0 y=0x14 m=2 k=2 n=8\nhalt\n", "insn 0 (gemm): Y = 20, expected a multiple of 8"},
      {"gemm x=0 w=0 y=0x10 m=2 k=2 n=12\nhalt\n", "N (Y's row pitch) = 12, expected a multiple of 8"},
      {"gemm x=0 w=0x2 y=0x10 m=1 k=2 n=8\nhalt\n", "W = 2, expected a multiple of 4"},
      {"gemm x=0 w=0 y=0x10 m=1 k=2 n=6\nhalt\n", "N (W's row pitch) = 6, expected a multiple of 4"},
      {"vmul a=0x8 b=0x22 c=0x40 len=9\nhalt\n", "(vmul): B = 34, expected a multiple of 8"},
      {"vrecip a=0x8 c=0x1 len=2\nhalt\n", "(vrecip): C = 1, expected a multiple of 8"},
      {"vaxpy x=0x4 y=0x40 s=0x7 len=20\nhalt\n", "(vaxpy): X = 4, expected a multiple of 8"},
      {"vtrans a=0 c=0x100 m=12 n=8\nhalt\n", "M (C's row pitch) = 12, expected a multiple of 8"},
      {"vtrans a=0 c=0x100 m=8 n=4\nhalt\n", "N (A's row pitch) = 4, expected a multiple of 8"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_msg(lanes_check(bad[i][0]) == -1, "accepted %s", bad[i][0]);
    ck_assert_msg(strstr(err, bad[i][1]) && strstr(err, "die.local_lanes"), "case %zu: got '%s'",
                  i, err);
  }
}
END_TEST

Suite *golden_suite(void) {
  Suite *s = suite_create("golden");
  TCase *t = tcase_create("model");
  tcase_add_test(t, fma_ref_known_values);
  tcase_add_test(t, gemm_integer_matrices);
  tcase_add_test(t, gemm_identity_and_k1);
  tcase_add_test(t, vadd_and_alias);
  tcase_add_test(t, vaxpy_reads_s_once);
  tcase_add_test(t, vmul_products_and_zero_signs);
  tcase_add_test(t, vexp_against_libm);
  tcase_add_test(t, vmax_rules);
  tcase_add_test(t, vrecip_against_double);
  tcase_add_test(t, softmax_from_instructions);
  tcase_add_test(t, vrsqrt_against_double);
  tcase_add_test(t, vgelu_against_double);
  tcase_add_test(t, layernorm_from_instructions);
  tcase_add_test(t, vtrans_transposes);
  tcase_add_test(t, softmax_and_gelu_backward_from_instructions);
  tcase_add_test(t, rowmax_by_vmax_halving);
  tcase_add_test(t, instructions_are_the_vector_functions);
  tcase_add_test(t, program_check_rejections);
  tcase_add_test(t, local_lanes_alignment);
  suite_add_tcase(s, t);
  return s;
}
