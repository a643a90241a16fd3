/* test_vecfn.c - the vector unit's functions (models/vecfn.c) against
 * references from outside them: libm in double, closed forms, exact
 * identities, C's own float multiply, and finite differences of double
 * forward passes for the backward ones. The ulp bounds are the maxima
 * `tessera vecfn --exhaustive` measured (docs/vector-functions.md), rounded
 * up a little; the sweeps here are samples, the full ones are in the CLI. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "f32bits.h"
#include "suites.h"
#include "vecfn.h"

#define CANON 0x7FC00000u
#define PI 3.14159265358979323846


/* |y - ref| in ulps of (float)ref, the correctly rounded result (as the CLI). */
static double ulps(float y, double ref) {
  if (isnan(ref) || isnan(y)) return isnan(ref) && tsr_f32_bits(y) == CANON ? 0 : INFINITY;
  float r = (float)ref;
  if (y == r) return 0;
  if (isinf(y)) return INFINITY;
  int e = -125;
  if (isinf(r))
    e = 128;
  else if (r != 0)
    frexpf(r, &e);
  return fabs((double)y - ref) / ldexp(1.0, (e - 1 < -126 ? -126 : e - 1) - 23);
}

static uint32_t lcg(uint32_t *s) {
  return *s = *s * 1664525u + 1013904223u;
}

/* The double references of the tanh-form GeLU (1 + tanh(u) = e^u / cosh(u)
 * for u < 0, where the sum would cancel). */
static double gelu_u(double x) {
  return sqrt(2 / PI) * (x + 0.044715 * x * x * x);
}
static double opt(double u) {
  return u >= 0 ? 1 + tanh(u) : exp(u) / cosh(u);
}
static double ref_gelu(double x) {
  return 0.5 * x * opt(gelu_u(x));
}
static double ref_gelu_grad(double x) {
  double u = gelu_u(x), c = cosh(u);
  return 0.5 * opt(u) + 0.5 * x * sqrt(2 / PI) * (1 + 3 * 0.044715 * x * x) / (c * c);
}
static double cond(double (*f)(double), double x) {
  double h = fabs(x) * 0x1p-20, v = f(x);
  if (h == 0 || v == 0) return 1;
  return fabs(x * (f(x + h) - f(x - h)) / (2 * h) / v);
}

/* max ulps of f against ref over n random encodings with |x| in [lo, hi]. */
static double sample(float (*f)(float), double (*ref)(double), float lo, float hi, int n,
                     float *at) {
  uint32_t s = 12345, ulo = tsr_f32_bits(lo), span = tsr_f32_bits(hi) - tsr_f32_bits(lo) + 1;
  double worst = 0;
  for (int i = 0; i < n; i++) {
    uint32_t u = ulo + lcg(&s) % span;
    float x = tsr_f32_from_bits(u | (lcg(&s) & 0x80000000u));
    double d = ulps(f(x), ref(x));
    if (d > worst) worst = d, *at = x;
  }
  return worst;
}

static double d_exp(double x) {
  return exp(x);
}
static double d_recip(double x) {
  return 1 / x;
}
static double d_rsqrt(double x) {
  return 1 / sqrt(x);
}

/* ---- exp ---- */
START_TEST(exp_identities_and_specials) {
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(0.0f)), tsr_f32_bits(1.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(-0.0f)), tsr_f32_bits(1.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(1e-30f)), tsr_f32_bits(1.0f)); /* e^x - 1 below half an ulp */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(INFINITY)), 0x7F800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(-INFINITY)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(tsr_f32_from_bits(0x7FC00001u))), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(tsr_f32_from_bits(0xFFA00000u))), CANON); /* negative sNaN */
  /* overflow: 0x1.62e42ep6 is the largest x with e^x below FLT_MAX + ulp/2 */
  float hi = 0x1.62e42ep+6f;
  ck_assert(isfinite(tsr_vexp(hi)) && ulps(tsr_vexp(hi), exp((double)hi)) <= 0.95);
  ck_assert(isinf(tsr_vexp(nextafterf(hi, INFINITY))));
  /* gradual underflow: e^x for x = ln 2^-149 +- a little is the smallest
   * subnormal; below ln 2^-150 = -103.972 it rounds to +0 */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(-103.2789f)), 1u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(-103.98f)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vexp(-200.0f)), 0u);
  /* e^-100 = 3.72e-44: subnormal, within one subnormal ulp */
  ck_assert(ulps(tsr_vexp(-100.0f), exp(-100.0)) <= 1.0);
}
END_TEST

START_TEST(exp_error_bound) {
  float at = 0;
  double w = sample(tsr_vexp, d_exp, 0x1p-30f, 88.7f, 1 << 14, &at);
  ck_assert_msg(w <= 0.95, "exp: %.3f ulp at %a", w, (double)at);
  w = sample(tsr_vexp, d_exp, 80.0f, 103.9f, 1 << 12, &at); /* both ends of the range */
  ck_assert_msg(w <= 0.95, "exp: %.3f ulp at %a", w, (double)at);
}
END_TEST

/* ---- recip ---- */
START_TEST(recip_identities_and_specials) {
  for (int k = -127; k <= 127; k++) /* 2^-127's reciprocal is 2^127; 2^127's is subnormal */
    ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(ldexpf(1.0f, k))), tsr_f32_bits(ldexpf(1.0f, -k)));
  for (int k = -149; k <= -129; k++)
    ck_assert(isinf(tsr_vrecip(ldexpf(1.0f, k))));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(-0x1p-3f)), tsr_f32_bits(-8.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(3.0f)), tsr_f32_bits(0x1.555556p-2f)); /* 1/3 correctly rounded */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(0.0f)), 0x7F800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(-0.0f)), 0xFF800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(INFINITY)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(-INFINITY)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(tsr_f32_from_bits(0xFF800001u))), CANON);
  /* 1/FLT_MAX is subnormal: 2^-128 (1 + 2^-24 + ...) rounds to 2^-128 */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrecip(FLT_MAX)), 0x00200000u);
}
END_TEST

START_TEST(recip_error_bound) {
  float at = 0;
  double w = sample(tsr_vrecip, d_recip, 0x1p-149f, FLT_MAX, 1 << 14, &at);
  ck_assert_msg(w <= 0.8, "recip: %.3f ulp at %a", w, (double)at);
  w = sample(tsr_vrecip, d_recip, 0x1p+125f, FLT_MAX, 1 << 12, &at); /* subnormal results */
  ck_assert_msg(w <= 0.8, "recip: %.3f ulp at %a", w, (double)at);
}
END_TEST

/* ---- rsqrt ---- */
START_TEST(rsqrt_identities_and_specials) {
  for (int k = -74; k <= 63; k++) /* 4^k from 2^-148 (subnormal) to 2^126 */
    ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(ldexpf(1.0f, 2 * k))), tsr_f32_bits(ldexpf(1.0f, -k)));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(0.0f)), 0x7F800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(-0.0f)), 0xFF800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(INFINITY)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(-1.0f)), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(-INFINITY)), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(tsr_f32_from_bits(0x80000001u))), CANON); /* negative subnormal */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(tsr_f32_from_bits(0x7F800001u))), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrsqrt(2.0f)), tsr_f32_bits(0x1.6a09e6p-1f)); /* sqrt(1/2) rounded */
}
END_TEST

START_TEST(rsqrt_error_bound) {
  float at = 0;
  double w = sample(tsr_vrsqrt, d_rsqrt, 0x1p-149f, FLT_MAX, 1 << 14, &at);
  ck_assert_msg(w <= 0.51, "rsqrt: %.3f ulp at %a", w, (double)at); /* NaN for x < 0 */
}
END_TEST

/* ---- GeLU and its derivative ---- */
START_TEST(gelu_specials) {
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(0.0f)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(-0.0f)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(INFINITY)), 0x7F800000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(-INFINITY)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(-20.0f)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(100.0f)), tsr_f32_bits(100.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(1e30f)), tsr_f32_bits(1e30f)); /* x^2 overflows, sigmoid is 1 */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu(tsr_f32_from_bits(0x7FC12345u))), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu_grad(0.0f)), tsr_f32_bits(0.5f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu_grad(INFINITY)), tsr_f32_bits(1.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu_grad(1e30f)), tsr_f32_bits(1.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu_grad(-INFINITY)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vgelu_grad(tsr_f32_from_bits(0xFFC00001u))), CANON);
  /* gelu(-x) = gelu(x) - x is the form's symmetry: within an ulp of x at x = 3 */
  ck_assert(fabs((double)tsr_vgelu(-3.0f) - ((double)tsr_vgelu(3.0f) - 3.0)) < 0x1p-21);
}
END_TEST

/* ulps <= B max(1, cond): the form's own conditioning, not the sequence,
 * makes the negative tail and the zero of gelu' (x = -0.75246) lose ulps. */
static void gelu_like(float (*f)(float), double (*ref)(double), double bound) {
  uint32_t s = 777;
  for (int i = 0; i < 1 << 13; i++) {
    float x = -10.0f + 20.0f * (float)(lcg(&s) >> 8) * 0x1p-24f;
    double d = ulps(f(x), ref(x)), c = cond(ref, x);
    ck_assert_msg(d <= bound * fmax(1, c), "%.3f ulp at %a (cond %.3g)", d, (double)x, c);
  }
}
START_TEST(gelu_error_bound) {
  gelu_like(tsr_vgelu, ref_gelu, 4.5);
}
END_TEST
START_TEST(gelu_grad_error_bound) {
  gelu_like(tsr_vgelu_grad, ref_gelu_grad, 10.0);
}
END_TEST

/* ---- max, sums, elementwise ---- */
START_TEST(max_semantics) {
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(-0.0f, 0.0f)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(0.0f, -0.0f)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(-0.0f, -0.0f)), 0x80000000u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(NAN, 1.0f)), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(1.0f, tsr_f32_from_bits(0xFF800001u))), CANON);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vmax(-INFINITY, -3.0f)), tsr_f32_bits(-3.0f));
  float r[] = {-3, 5, 2, 5, -7};
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowmax(r, 5)), tsr_f32_bits(5.0f));
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowmax(r, 0)), 0xFF800000u);
  r[3] = NAN;
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowmax(r, 5)), CANON);
}
END_TEST

START_TEST(rowsum_order_and_exactness) {
  float a[100];
  for (int i = 0; i < 100; i++)
    a[i] = (float)(i - 37);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowsum(a, 100)), tsr_f32_bits(1250.0f)); /* sum of -37..62 */
  /* index order: 2^24 + 1 rounds back to 2^24 (ties to even), 1 + 1 + 2^24 does not */
  float b[] = {0x1p24f, 1, 1, -0x1p24f}, c[] = {1, 1, 0x1p24f, -0x1p24f};
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowsum(b, 4)), 0u);
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowsum(c, 4)), tsr_f32_bits(2.0f));
  float z[] = {-0.0f, -0.0f};
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowsum(z, 2)), 0u); /* from +0: -0 + +0 = +0 */
  ck_assert_uint_eq(tsr_f32_bits(tsr_vrowsum(z, 0)), 0u);
}
END_TEST

START_TEST(axpy_fused_and_mul_signed_zeros) {
  float a = 1.0f + 0x1p-23f, x[] = {1.0f + 0x1p-23f, 2}, y[] = {-1.0f, 3};
  tsr_vaxpy(a, x, y, 2); /* (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46, rounded once */
  ck_assert_uint_eq(tsr_f32_bits(y[0]), tsr_f32_bits(0x1p-22f + 0x1p-46f));
  ck_assert_uint_eq(tsr_f32_bits(y[1]), tsr_f32_bits(5.0f + 0x1p-22f));
  /* fmaf(x, y, -0) is C's x * y, bit for bit, signed zeros and underflow included */
  const float v[] = {0.0f, -0.0f, 1.0f, -3.0f, 1e-30f, -1e-30f, 0x1p-149f, 1e30f, -INFINITY, 0.1f};
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 10; j++) {
      float out, p = v[i] * v[j];
      tsr_vmul(&v[i], &v[j], &out, 1);
      ck_assert_uint_eq(tsr_f32_bits(out), isnan(p) ? CANON : tsr_f32_bits(p));
    }
}
END_TEST

/* ---- softmax ---- */
static void ref_softmax(const double *x, double *a, int n) {
  double m = x[0], s = 0;
  for (int i = 1; i < n; i++)
    m = fmax(m, x[i]);
  for (int i = 0; i < n; i++)
    s += a[i] = exp(x[i] - m);
  for (int i = 0; i < n; i++)
    a[i] /= s;
}

START_TEST(softmax_forward) {
  float x[64], a[64];
  for (int n = 1; n <= 64; n++) { /* a constant row: every element 1/n within recip's bound */
    for (int i = 0; i < n; i++)
      x[i] = 3.25f;
    tsr_vsoftmax(x, a, (size_t)n);
    for (int i = 0; i < n; i++)
      ck_assert(ulps(a[i], 1.0 / n) <= 0.8);
  }
  uint32_t s = 99;
  double xd[64], ad[64];
  for (int i = 0; i < 64; i++)
    xd[i] = x[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 20 - 10);
  tsr_vsoftmax(x, a, 64);
  ref_softmax(xd, ad, 64);
  for (int i = 0; i < 64; i++)
    ck_assert_msg(fabs(a[i] - ad[i]) <= 1e-5 * ad[i], "%d: %g vs %g", i, (double)a[i], ad[i]);
  float big[] = {1000.0f, 1000.0f, -INFINITY}; /* no overflow: the max is subtracted */
  tsr_vsoftmax(big, a, 3);
  ck_assert(a[0] == 0.5f && a[1] == 0.5f && tsr_f32_bits(a[2]) == 0u);
  big[2] = NAN;
  tsr_vsoftmax(big, a, 3);
  for (int i = 0; i < 3; i++)
    ck_assert_uint_eq(tsr_f32_bits(a[i]), CANON);
}
END_TEST

/* The backward passes against central differences of double forward passes:
 * L = sum_i w_i f(x)_i, dL/dx_j by (L(x + h e_j) - L(x - h e_j)) / 2h. */
#define N 16
START_TEST(softmax_backward_vs_finite_differences) {
  uint32_t s = 5;
  float x[N], a[N], w[N], dx[N];
  double xd[N], ad[N];
  for (int i = 0; i < N; i++) {
    x[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 6 - 3);
    w[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 2 - 1);
  }
  tsr_vsoftmax(x, a, N);
  tsr_vsoftmax_bwd(a, w, dx, N);
  for (int j = 0; j < N; j++) {
    double h = 1e-6, l[2];
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < N; i++)
        xd[i] = x[i] + (i == j ? (k ? -h : h) : 0);
      ref_softmax(xd, ad, N);
      l[k] = 0;
      for (int i = 0; i < N; i++)
        l[k] += w[i] * ad[i];
    }
    double fd = (l[0] - l[1]) / (2 * h);
    ck_assert_msg(fabs(dx[j] - fd) <= 1e-6, "dx[%d] %g vs %g", j, (double)dx[j], fd);
  }
}
END_TEST

/* ---- LayerNorm ---- */
static void ref_ln(const double *x, const float *g, const float *b, double eps, double *y) {
  double m = 0, v = 0;
  for (int i = 0; i < N; i++)
    m += x[i] / N;
  for (int i = 0; i < N; i++)
    v += (x[i] - m) * (x[i] - m) / N;
  for (int i = 0; i < N; i++)
    y[i] = (x[i] - m) / sqrt(v + eps) * g[i] + b[i];
}

START_TEST(layernorm_forward) {
  uint32_t s = 42;
  float x[N], g[N], b[N], y[N], xh[N], mean, rstd, eps = 1e-5f;
  double xd[N], yd[N];
  for (int i = 0; i < N; i++) {
    xd[i] = x[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 8 + 1);
    g[i] = (float)((lcg(&s) >> 8) * 0x1p-24 + 0.5);
    b[i] = (float)((lcg(&s) >> 8) * 0x1p-24 - 0.5);
  }
  tsr_vlayernorm(x, g, b, eps, N, y, xh, &mean, &rstd);
  ref_ln(xd, g, b, eps, yd);
  double m = 0, v = 0;
  for (int i = 0; i < N; i++)
    m += xh[i];
  m /= N;
  for (int i = 0; i < N; i++)
    v += (xh[i] - m) * (xh[i] - m) / N;
  ck_assert_msg(fabs(m) <= 1e-6, "mean of xhat %g", m);
  ck_assert_msg(fabs(v - 1) <= 1e-5, "variance of xhat %g", v); /* eps/var ~ 2e-6 of it */
  for (int i = 0; i < N; i++)
    ck_assert_msg(fabs(y[i] - yd[i]) <= 1e-6, "y[%d] %g vs %g", i, (double)y[i], yd[i]);
  /* a constant row: variance 0, rstd = rsqrt(eps), xhat 0, y = beta exactly */
  for (int i = 0; i < N; i++)
    x[i] = 7.0f;
  tsr_vlayernorm(x, g, b, eps, N, y, xh, &mean, &rstd);
  ck_assert(mean == 7.0f && ulps(rstd, 1 / sqrt((double)eps)) <= 0.51);
  for (int i = 0; i < N; i++)
    ck_assert_uint_eq(tsr_f32_bits(y[i]), tsr_f32_bits(b[i]));
}
END_TEST

START_TEST(layernorm_backward_vs_finite_differences) {
  uint32_t s = 7;
  float x[N], g[N], b[N], y[N], xh[N], w[N], dx[N], dg[N] = {0}, db[N] = {0}, mean, rstd;
  float eps = 1e-5f;
  double xd[N], yd[N];
  for (int i = 0; i < N; i++) {
    x[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 4 - 2);
    g[i] = (float)((lcg(&s) >> 8) * 0x1p-24 + 0.5);
    b[i] = (float)((lcg(&s) >> 8) * 0x1p-24 - 0.5);
    w[i] = (float)((lcg(&s) >> 8) * 0x1p-24 * 2 - 1);
  }
  tsr_vlayernorm(x, g, b, eps, N, y, xh, &mean, &rstd);
  tsr_vlayernorm_bwd(w, xh, g, rstd, N, dx, dg, db);
  double h = 1e-6;
  for (int j = 0; j < N; j++) {
    double l[2];
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < N; i++)
        xd[i] = x[i] + (i == j ? (k ? -h : h) : 0);
      ref_ln(xd, g, b, eps, yd);
      l[k] = 0;
      for (int i = 0; i < N; i++)
        l[k] += w[i] * yd[i];
    }
    double fd = (l[0] - l[1]) / (2 * h);
    ck_assert_msg(fabs(dx[j] - fd) <= 2e-5, "dx[%d] %g vs %g", j, (double)dx[j], fd);
  }
  /* dL/dgamma_j = w_j xhat_j and dL/dbeta_j = w_j, by differences in gamma */
  for (int i = 0; i < N; i++)
    xd[i] = x[i];
  for (int j = 0; j < N; j++) {
    float gp[N];
    memcpy(gp, g, sizeof gp);
    double l[2];
    for (int k = 0; k < 2; k++) {
      gp[j] = (float)(g[j] + (k ? -0x1p-10 : 0x1p-10));
      ref_ln(xd, gp, b, eps, yd);
      l[k] = 0;
      for (int i = 0; i < N; i++)
        l[k] += w[i] * yd[i];
    }
    ck_assert_msg(fabs(dg[j] - (l[0] - l[1]) / 0x1p-9) <= 1e-5, "dgamma[%d]", j);
    ck_assert_uint_eq(tsr_f32_bits(db[j]), tsr_f32_bits(w[j]));
  }
}
END_TEST

START_TEST(gelu_backward_vs_finite_differences) {
  float x[N], dy[N], dx[N];
  for (int i = 0; i < N; i++) {
    x[i] = -6.0f + 0.75f * (float)i;
    dy[i] = 0.5f + 0.125f * (float)i;
  }
  tsr_vgelu_bwd(x, dy, dx, N);
  for (int i = 0; i < N; i++) {
    double h = 1e-5, fd = dy[i] * (ref_gelu(x[i] + h) - ref_gelu(x[i] - h)) / (2 * h);
    ck_assert_msg(fabs(dx[i] - fd) <= 1e-6 * fmax(1, fabs(fd)), "dx[%d] %g vs %g", i, (double)dx[i],
                  fd);
  }
  float o[N];
  tsr_vgelu_row(x, o, N);
  for (int i = 0; i < N; i++)
    ck_assert(ulps(o[i], ref_gelu(x[i])) <= 4.5 * fmax(1, cond(ref_gelu, x[i])));
}
END_TEST

Suite *vecfn_suite(void) {
  Suite *s = suite_create("vecfn");
  TCase *tc = tcase_create("vecfn");
  tcase_add_test(tc, exp_identities_and_specials);
  tcase_add_test(tc, exp_error_bound);
  tcase_add_test(tc, recip_identities_and_specials);
  tcase_add_test(tc, recip_error_bound);
  tcase_add_test(tc, rsqrt_identities_and_specials);
  tcase_add_test(tc, rsqrt_error_bound);
  tcase_add_test(tc, gelu_specials);
  tcase_add_test(tc, gelu_error_bound);
  tcase_add_test(tc, gelu_grad_error_bound);
  tcase_add_test(tc, max_semantics);
  tcase_add_test(tc, rowsum_order_and_exactness);
  tcase_add_test(tc, axpy_fused_and_mul_signed_zeros);
  tcase_add_test(tc, softmax_forward);
  tcase_add_test(tc, softmax_backward_vs_finite_differences);
  tcase_add_test(tc, layernorm_forward);
  tcase_add_test(tc, layernorm_backward_vs_finite_differences);
  tcase_add_test(tc, gelu_backward_vs_finite_differences);
  suite_add_tcase(s, tc);
  return s;
}
