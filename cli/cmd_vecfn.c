/* cmd_vecfn.c - `tessera vecfn`: the measured error of the vector unit's
 * functions (models/vecfn.c) against float64 references computed here with
 * libm (exp, 1.0/x, 1.0/sqrt(x), tanh and cosh for GeLU): the max error in
 * ulps of the correctly rounded binary32 result, where it occurs, and how
 * many results are correctly rounded. --exhaustive sweeps every finite
 * binary32 input of exp, recip and rsqrt (a few minutes each) and GeLU and
 * its derivative densely; the default samples one encoding in 2^12. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "f32bits.h"
#include "vecfn.h"

const char *const tsr_vecfn_help =
    "usage: tessera vecfn [--exhaustive]\n"
    "\n"
    "The vector functions' error against float64 references (libm): max ulp error\n"
    "(ulp of the correctly rounded binary32 result), where, and the share of\n"
    "correctly rounded results, as a markdown table (docs/vector-functions.md).\n"
    "Default: one binary32 encoding in 2^12 (jittered) per function and [-10, 10]\n"
    "in steps of 2^-10 for GeLU, a few seconds. --exhaustive: every finite input of\n"
    "exp, recip and rsqrt (2^32 encodings each), one encoding in 2^8 and [-10, 10]\n"
    "in steps of 2^-16 for GeLU and GeLU'; minutes.\n";


/* The references, in double. 1 + tanh(u) is e^u / cosh(u) for u < 0, where
 * 1 + tanh(u) would cancel. */
static double one_plus_tanh(double u) {
  return u >= 0 ? 1.0 + tanh(u) : exp(u) / cosh(u);
}
#define PI 3.14159265358979323846
static double gelu_u(double x) {
  return sqrt(2.0 / PI) * (x + 0.044715 * x * x * x);
}
static double ref_exp(double x) {
  return exp(x);
}
static double ref_recip(double x) {
  return 1.0 / x;
}
static double ref_rsqrt(double x) {
  return 1.0 / sqrt(x);
}
static double ref_gelu(double x) {
  return 0.5 * x * one_plus_tanh(gelu_u(x));
}
static double ref_gelu_grad(double x) {
  double u = gelu_u(x), du = sqrt(2.0 / PI) * (1.0 + 3.0 * 0.044715 * x * x), c = cosh(u);
  return 0.5 * one_plus_tanh(u) + 0.5 * x * du / (c * c);
}

/* |y - ref| in ulps of the correctly rounded result (float)ref: ulp(r) =
 * 2^(max(exponent(r), -126) - 23), 2^104 above FLT_MAX. 0 when y is that
 * result (zeros of either sign alike, NaN for NaN). */
static double ulps(float y, double ref) {
  if (isnan(ref) || isnan(y)) return isnan(ref) && isnan(y) ? 0 : INFINITY;
  float r = (float)ref;
  if (y == r) return 0;
  if (isinf(y)) return INFINITY;
  int e = -125; /* r = 0: subnormal spacing */
  if (isinf(r))
    e = 128;
  else if (r != 0)
    frexpf(r, &e);
  return fabs((double)y - ref) / ldexp(1.0, (e - 1 < -126 ? -126 : e - 1) - 23);
}

typedef struct {
  uint64_t count, exact, within1, bad_nan;
  double max_ulp, max_abs, max_rel_cond;
  float at, at_cond;
} stats;

/* The condition number |x f'(x) / f(x)| of the reference at x (central
 * difference, relative step 2^-20): how many ulps of output error half an
 * ulp of input error alone costs, doubled. */
static double cond(double (*ref)(double), double x) {
  double h = fabs(x) * 0x1p-20, f = ref(x);
  if (h == 0 || f == 0 || isinf(f) || isnan(f)) return 1;
  return fabs(x * (ref(x + h) - ref(x - h)) / (2 * h) / f);
}

static void measure(stats *s, float (*f)(float), double (*ref)(double), float x) {
  float y = f(x);
  double r = ref((double)x), d = ulps(y, r);
  s->count++;
  if (isnan(y) && tsr_f32_bits(y) != 0x7FC00000u) s->bad_nan++;
  if (d == 0) s->exact++;
  if (d <= 1) s->within1++;
  if (d > s->max_ulp || (s->count == 1)) s->max_ulp = d, s->at = x;
  double c = d > 1 ? d / fmax(1, cond(ref, (double)x)) : d; /* cond only where it matters */
  if (c > s->max_rel_cond || (s->count == 1)) s->max_rel_cond = c, s->at_cond = x;
  if (!isnan(r) && !isinf(r) && !isinf(y) && fabs((double)y - r) > s->max_abs)
    s->max_abs = fabs((double)y - r);
}

/* Encodings 0, 2^b, 2*2^b, ... each jittered inside its block of 2^b by a
 * fixed hash (b = 0: every encoding); non-finite inputs skipped. */
static void sweep_encodings(stats *s, float (*f)(float), double (*ref)(double), int b) {
  for (uint64_t i = 0; i < (1ull << (32 - b)); i++) {
    uint32_t jitter = b ? (uint32_t)(i * 2654435761u >> 7) & ((1u << b) - 1) : 0;
    uint32_t u = (uint32_t)(i << b) | jitter;
    if ((u & 0x7F800000u) == 0x7F800000u) continue;
    measure(s, f, ref, tsr_f32_from_bits(u));
  }
}

static void sweep_grid(stats *s, float (*f)(float), double (*ref)(double), int b) {
  for (int64_t j = -(10ll << b); j <= (10ll << b); j++)
    measure(s, f, ref, ldexpf((float)j, -b));
}

static void row(const char *name, const char *what, const stats *s, int dense) {
  char at[64], atc[64], aerr[32] = "-";
  snprintf(at, sizeof at, "%a (%.7g)", (double)s->at, (double)s->at);
  snprintf(atc, sizeof atc, "%a (%.7g)", (double)s->at_cond, (double)s->at_cond);
  if (dense) snprintf(aerr, sizeof aerr, "%.3g", s->max_abs);
  printf("| %s | %s | %llu | %.4f %% | %.4f %% | %.3f | %s | %.3f at %s | %s |\n", name, what,
         (unsigned long long)s->count, 100.0 * (double)s->exact / (double)s->count,
         100.0 * (double)s->within1 / (double)s->count, s->max_ulp, at, s->max_rel_cond, atc, aerr);
  if (s->bad_nan)
    printf("FAIL: %s: %llu non-canonical NaN results\n", name, (unsigned long long)s->bad_nan);
}

int tsr_cmd_vecfn(int argc, char **argv) {
  int exh = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--exhaustive"))
      exh = 1;
    else {
      fprintf(stderr, "tessera vecfn: unknown option '%s'\n%s", argv[i], tsr_vecfn_help);
      return 2;
    }
  }
  int eb = exh ? 0 : 12, gb = exh ? 8 : 12, grid = exh ? 16 : 10;
  static const struct {
    const char *name;
    float (*f)(float);
    double (*ref)(double);
    int dense;
  } fn[] = {{"exp", tsr_vexp, ref_exp, 0},
            {"recip", tsr_vrecip, ref_recip, 0},
            {"rsqrt", tsr_vrsqrt, ref_rsqrt, 0},
            {"gelu", tsr_vgelu, ref_gelu, 1},
            {"gelu_grad", tsr_vgelu_grad, ref_gelu_grad, 1}};
  printf("tessera vecfn%s: error against float64 references (libm); ulp = ulp of the correctly "
         "rounded binary32 result\n\n",
         exh ? " --exhaustive" : "");
  printf("| function | inputs | count | correctly rounded | <= 1 ulp | max ulp | at x | max "
         "ulp / max(1, cond) | max abs error |\n|---|---|---|---|---|---|---|---|---|\n");
  int bad = 0;
  for (size_t k = 0; k < sizeof fn / sizeof fn[0]; k++) {
    stats s = {0};
    char what[96];
    if (!fn[k].dense) {
      sweep_encodings(&s, fn[k].f, fn[k].ref, eb);
      snprintf(what, sizeof what, eb ? "1 finite encoding in 2^%d" : "all finite binary32", eb);
    } else {
      sweep_encodings(&s, fn[k].f, fn[k].ref, gb);
      sweep_grid(&s, fn[k].f, fn[k].ref, grid);
      snprintf(what, sizeof what, "1 encoding in 2^%d, and [-10, 10] step 2^-%d", gb, grid);
    }
    row(fn[k].name, what, &s, fn[k].dense);
    fflush(stdout);
    bad |= s.bad_nan != 0;
  }
  return bad;
}
