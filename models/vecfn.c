/* vecfn.c - see vecfn.h. Every floating-point operation below is tsr_vfma
 * (fmaf, NaN canonical); everything else is a compare/select or an integer
 * operation on the encoding. Plain float arithmetic (+, -, *, /) is never
 * used, so the compiler has nothing to contract or reorder. The constants are
 * the binary32 values, written as hex floats; docs/vector-functions.md says
 * where they come from. */
#include "vecfn.h"

#include "f32bits.h"
#include "golden.h"
#include "vfn.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define CANON_NAN TSR_CANONICAL_NAN
#define SIGN 0x80000000u
#define EXP_INF 0x7F800000u

float tsr_vfma(float a, float b, float c) {
  float r = fmaf(a, b, c);
  return r != r ? tsr_f32_from_bits(CANON_NAN) : r;
}
#define F tsr_vfma

/* ---- the microprograms of arch/vfn.h ---------------------------------------
 * Interpreted step by step as the die's FMA units run them: r[] holds R0 to
 * R3; 2^k1 and 2^k2 come from k, which exp takes from R0 when it asks for
 * them and the reciprocal from x before step 0. */

static float reg_or(int code, int base, const float r[4], float other) {
  return code >= base && code < base + 4 ? r[code - base] : other;
}

/* exp_k: k from R0 (exp, GeLU), else k is given. Returns R2. */
static float run_program(int fn, float x, float r[4], int exp_k, uint32_t k) {
  uint32_t xb = tsr_f32_bits(x);
  int n;
  const tsr_vfn_step *prog = tsr_vfn_program(fn, &n);
  for (int i = 0; i < n; i++) {
    const tsr_vfn_step *s = &prog[i];
    uint32_t kk = exp_k ? tsr_vexp_k(tsr_f32_bits(r[0])) : k;
    float a = s->a == TSR_UA_X        ? x
              : s->a == TSR_UA_NEGABSX ? tsr_f32_from_bits(xb | SIGN)
                                       : reg_or(s->a, TSR_UA_R0, r, s->ka);
    float b = s->b == TSR_UB_P2LO || s->b == TSR_UB_P2HI
                  ? tsr_f32_from_bits(tsr_vfn_pow2(kk, s->b == TSR_UB_P2HI))
              : s->b == TSR_UB_X ? x
                                 : reg_or(s->b, TSR_UB_R0, r, s->kb);
    float c = s->c == TSR_UC_X         ? x
              : s->c == TSR_UC_SIGMOID ? r[xb & SIGN ? 2 : 0]
                                       : reg_or(s->c, TSR_UC_R0, r, s->kc);
    r[s->dst] = F(a, b, c);
  }
  return r[2];
}

/* ---- exp: the sequence is in arch/vfn.h. c2..c6: minimax for the relative
 * error of p on |r| <= 0.3466 with the first two coefficients fixed at 1
 * (Remez, then rounded to binary32): 1.5e-9 before rounding, 5.5e-9
 * (0.09 x 2^-24) after. Degree 5 would leave 2^-22: more than an ulp. */
float tsr_vexp(float x) {
  uint32_t out;
  if (tsr_vexp_special(tsr_f32_bits(x), &out)) return tsr_f32_from_bits(out);
  float r[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  return run_program(TSR_VFN_EXP, x, r, 1, 0);
}

/* ---- 1/x: the sequence is in arch/vfn.h.
 *   y0 = bits^-1(0x7EF31200 - bits(m))    relative error <= 0.0506
 *   cubic Newton-Raphson twice (d = 1 - m y, y = y + y (d + d^2)):
 *     0.0506 -> 1.3e-4 -> 2e-12 before the last FMA's rounding
 *   1/|x| = (y 2^k1) 2^k2, k = -e in [-127, 149]: the first product exact,
 *   then one rounding (overflow to inf for |x| < 2^-128, subnormal results
 *   for |x| > 2^126); the sign by the sign bit.
 * The seed constant minimizes the seed's largest relative error over [1, 2)
 * (a scan in steps of 0x100). */
float tsr_vrecip(float x) {
  uint32_t u = tsr_f32_bits(x), out, r0, r1, k;
  if (tsr_vrecip_special(u, &out)) return tsr_f32_from_bits(out);
  tsr_vrecip_init(u, &r0, &r1, &k);
  float r[4] = {tsr_f32_from_bits(r0), tsr_f32_from_bits(r1), 0.0f, 0.0f};
  return tsr_f32_from_bits(tsr_f32_bits(run_program(TSR_VFN_RECIP, x, r, 0, k)) |
                           (u & SIGN));
}

/* ---- 1/sqrt(x): the sequence is in arch/vfn.h.
 *   y0 = bits^-1(0x5F376400 - (bits(m) >> 1))   relative error <= 0.0343
 *   twice (Newton-Raphson, 3 FMA): 0.0343 -> 1.8e-3 -> 4.6e-6
 *   once more with y^2 exact as t + tl: -> 3e-11, where the rounded t alone
 *   would cost up to half an ulp
 *   1/sqrt(x) = y 2^(-e/2): y in [0.5, 1] and the result always normal, so
 *   the scaling is an integer add to the exponent field. */
float tsr_vrsqrt(float x) {
  uint32_t u = tsr_f32_bits(x), out, r0, r1, k;
  if (tsr_vrsqrt_special(u, &out)) return tsr_f32_from_bits(out);
  tsr_vrsqrt_init(u, &r0, &r1, &k);
  float r[4] = {tsr_f32_from_bits(r0), tsr_f32_from_bits(r1), 0.0f, 0.0f};
  uint32_t y = tsr_f32_bits(run_program(TSR_VFN_RSQRT, x, r, 0, 0));
  return tsr_f32_from_bits(y + (k << 23));
}

/* ---- GeLU: the sequences are in arch/vfn.h.
 * gelu(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi)(x + 0.044715 x^3),
 * z = 2u = x (K0 + K1 x^2) has x's sign; E = e^-|z| in (0, 1] never
 * overflows, R = 1 / (1 + E) and S = E R, sigmoid(z) = R for x >= 0, S
 * below. Taking e^-|z| rather than e^-z keeps a negative x's small result
 * (x e^z) accurate instead of 0 from 1/(1 + inf). 1 + E is in [1, 2], so the
 * reciprocal needs neither normalization nor scaling: a linear seed and two
 * cubic Newton-Raphson steps (1/17 -> 2e-4 -> 8e-12). */
static float run_gelu(float x, int grad) {
  uint32_t out;
  if (tsr_vgelu_special(tsr_f32_bits(x), grad, &out)) return tsr_f32_from_bits(out);
  float r[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  return grad ? run_program(TSR_VFN_GELUD, x, r, 1, 0)
              : run_program(TSR_VFN_GELU, x, r, 1, 0);
}

float tsr_vgelu(float x) { return run_gelu(x, 0); }

/* gelu'(x) = sigmoid(z) + x z' sigmoid(z) sigmoid(-z), z' = K0 + 3 K1 x^2;
 * sigmoid(z) sigmoid(-z) = S R for either sign. */
float tsr_vgelu_grad(float x) { return run_gelu(x, 1); }

/* ---- rows ---------------------------------------------------------------- */
float tsr_vmax(float a, float b) {
  if (a != a || b != b) return tsr_f32_from_bits(CANON_NAN);
  if (a == b) return (tsr_f32_bits(a) & SIGN) ? b : a; /* max(-0, +0) = +0 */
  return a > b ? a : b;
}

float tsr_vrowmax(const float *x, size_t n) {
  float m = -INFINITY;
  for (size_t i = 0; i < n; i++)
    m = tsr_vmax(m, x[i]);
  return m;
}

float tsr_vrowsum(const float *x, size_t n) {
  float acc = 0.0f;
  for (size_t i = 0; i < n; i++)
    acc = F(x[i], 1.0f, acc);
  return acc;
}

void tsr_vaxpy(float a, const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++)
    y[i] = F(a, x[i], y[i]);
}

/* x y + (-0) is x y rounded once with its own sign even when it is zero:
 * -0 is the only addend that leaves both +0 and -0 alone. */
void tsr_vmul(const float *x, const float *y, float *out, size_t n) {
  for (size_t i = 0; i < n; i++)
    out[i] = F(x[i], y[i], -0.0f);
}

void tsr_vgelu_row(const float *x, float *out, size_t n) {
  for (size_t i = 0; i < n; i++)
    out[i] = tsr_vgelu(x[i]);
}

void tsr_vgelu_bwd(const float *x, const float *dy, float *dx, size_t n) {
  for (size_t i = 0; i < n; i++)
    dx[i] = F(dy[i], tsr_vgelu_grad(x[i]), -0.0f);
}

/* softmax: m = rowmax(x); e_i = vexp(fma(m, -1, x_i)); s = rowsum(e) (in
 * index order, from +0); r = vrecip(s); a_i = fma(e_i, r, -0). The largest
 * element's exponent is e^0 = 1, so s >= 1 and r never overflows. */
void tsr_vsoftmax(const float *x, float *a, size_t n) {
  float m = tsr_vrowmax(x, n);
  for (size_t i = 0; i < n; i++)
    a[i] = tsr_vexp(F(m, -1.0f, x[i]));
  float r = tsr_vrecip(tsr_vrowsum(a, n));
  for (size_t i = 0; i < n; i++)
    a[i] = F(a[i], r, -0.0f);
}

/* softmax backward, dx = A (dA - rowsum(A dA)), as the die runs it: the
 * products p_i = fma(A_i, dA_i, -0) (VMUL), d = rowsum(p) (a GEMM with a
 * column of ones), then dx_i = fma(A_i, fma(d, -1, dA_i), -0) (VAXPY of ones
 * by -d into dA, VMUL). dx holds p until d is known. */
void tsr_vsoftmax_bwd(const float *a, const float *da, float *dx, size_t n) {
  for (size_t i = 0; i < n; i++)
    dx[i] = F(a[i], da[i], -0.0f);
  float d = tsr_vrowsum(dx, n);
  for (size_t i = 0; i < n; i++)
    dx[i] = F(a[i], F(d, -1.0f, da[i]), -0.0f);
}

/* 1/n, n exact as a float (integer-to-float conversion: exact below 2^24). */
static float recip_n(size_t n) {
  return tsr_vrecip((float)(uint32_t)n);
}

/* LayerNorm forward, as the die runs it (each line an instruction or two):
 *   rn = vrecip(n); mean = fma(rowsum(x), rn, -0)
 *   c_i = fma(mean, -1, x_i)                     VAXPY of ones by -mean
 *   v = rowsum(fma(c_i, c_i, -0))                VMUL, a GEMM with ones
 *   rstd = vrsqrt(fma(v, rn, eps))               (var + eps rounded once)
 *   xhat_i = fma(c_i, rstd, -0)                  VAXPY into -0
 *   y_i = fma(fma(xhat_i, gamma_i, -0), 1, beta_i)   VMUL, VADD
 * c_i is kept in xhat until it is scaled, its squares in y. */
void tsr_vlayernorm(const float *x, const float *gamma, const float *beta, float eps, size_t n,
                    float *y, float *xhat, float *mean, float *rstd) {
  float rn = recip_n(n);
  float mu = F(tsr_vrowsum(x, n), rn, -0.0f);
  for (size_t i = 0; i < n; i++) {
    xhat[i] = F(mu, -1.0f, x[i]);
    y[i] = F(xhat[i], xhat[i], -0.0f);
  }
  float rs = tsr_vrsqrt(F(tsr_vrowsum(y, n), rn, eps));
  for (size_t i = 0; i < n; i++) {
    xhat[i] = F(xhat[i], rs, -0.0f);
    y[i] = F(F(xhat[i], gamma[i], -0.0f), 1.0f, beta[i]);
  }
  *mean = mu;
  *rstd = rs;
}

/* LayerNorm backward (g = dy gamma), as the die runs it:
 *   dx_i = rstd (g_i - mean(g) - xhat_i mean(g xhat))
 *   g_i = fma(dy_i, gamma_i, -0); sg = rowsum(g); sgx = rowsum(fma(g_i, xhat_i, -0))
 *   mg = fma(sg, rn, -0); nmgx = -fma(sgx, rn, -0) (sign bit)
 *   dx_i = fma(fma(mg, -1, fma(xhat_i, nmgx, g_i)), rstd, -0)
 *   dgamma_i = fma(fma(dy_i, xhat_i, -0), 1, dgamma_i); dbeta_i = fma(dy_i, 1, dbeta_i)
 * (VMULs, GEMMs with ones, three VAXPYs, VADDs). dx holds g between the
 * passes; the products g xhat are not kept. */
void tsr_vlayernorm_bwd(const float *dy, const float *xhat, const float *gamma, float rstd,
                        size_t n, float *dx, float *dgamma, float *dbeta) {
  float rn = recip_n(n), sg = 0.0f, sgx = 0.0f;
  for (size_t i = 0; i < n; i++) {
    dx[i] = F(dy[i], gamma[i], -0.0f);
    sg = F(dx[i], 1.0f, sg);
    sgx = F(F(dx[i], xhat[i], -0.0f), 1.0f, sgx);
    dgamma[i] = F(F(dy[i], xhat[i], -0.0f), 1.0f, dgamma[i]);
    dbeta[i] = F(dy[i], 1.0f, dbeta[i]);
  }
  float mg = F(sg, rn, -0.0f), nmgx = tsr_f32_from_bits(tsr_f32_bits(F(sgx, rn, -0.0f)) ^ SIGN);
  for (size_t i = 0; i < n; i++)
    dx[i] = F(F(mg, -1.0f, F(xhat[i], nmgx, dx[i])), rstd, -0.0f);
}
