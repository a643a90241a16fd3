/* vecfn.h - the element and row functions of the vector unit (issue 21),
 * defined as exact sequences of binary32 operations the hardware executes:
 * fmaf (one rounding: the die's FMA, any NaN result the canonical 0x7FC00000),
 * compare/select, and integer operations on the 32-bit encoding (shifts,
 * adds, masks, a leading-zero count). No division, no square root, no libm
 * transcendental, no double. The golden model and the RTL compute every
 * result of these bit for bit (exp, the reciprocal and its square root are
 * the die's VEXP, VRECIP, VRSQRT, VGELU and VGELUD, from the microprograms of
 * arch/vfn.h);
 * docs/vector-functions.md gives each sequence, its constants, its op counts
 * and its measured error (`tessera vecfn --exhaustive`).
 *
 * Op counts per element (FMA / compare-select / integer; counted from the
 * sequences in vecfn.c, docs/vector-functions.md has the breakdown):
 *   tsr_vexp        12 FMA,  3 cmp,  9 int
 *   tsr_vrecip       8 FMA,  4 cmp, 21 int (one leading-zero count among them)
 *   tsr_vrsqrt      11 FMA,  6 cmp, 19 int
 *   tsr_vgelu       26 FMA,  4 cmp, 10 int (exp's steps and a reciprocal inside)
 *   tsr_vgelu_grad  29 FMA,  4 cmp, 10 int
 * Rows of n elements, per element (plus per row):
 *   rowmax 1 max; rowsum, axpy, mul 1 FMA;
 *   softmax 15 FMA + 1 max + the exp's 3 cmp, 9 int (plus one recip);
 *   softmax backward 4 FMA; gelu backward 30 FMA;
 *   LayerNorm 7 FMA (plus recip(n), rsqrt and 2 FMA);
 *   LayerNorm backward 10 FMA (plus recip(n), 2 FMA and a sign flip).
 * Each row function is the sequence the die's instructions compute, bit for
 * bit (tests/unit/test_golden.c): products rounded before their row sums,
 * since the die has no fused dot product of two rows.
 */
#ifndef TESSERA_VECFN_H
#define TESSERA_VECFN_H

#include <stddef.h>

/* The one arithmetic operation: fmaf(a, b, c) rounded once, a NaN result
 * replaced by the canonical quiet NaN 0x7FC00000 (as the FMA unit does). */
float tsr_vfma(float a, float b, float c);

/* e^x. Overflow: +inf for x > 0x1.62e42ep6 (the largest x whose e^x rounds
 * below 2^128); gradual underflow to subnormals, +0 for x < -104; -inf -> +0,
 * NaN -> canonical NaN. */
float tsr_vexp(float x);
/* 1/x. ±0 -> ±inf, ±inf -> ±0, subnormal inputs and results handled, NaN ->
 * canonical NaN. */
float tsr_vrecip(float x);
/* 1/sqrt(x). x < 0 (and -inf) -> canonical NaN, +0 -> +inf, -0 -> -inf
 * (IEEE 754 rSqrt), +inf -> +0, NaN -> canonical NaN. */
float tsr_vrsqrt(float x);
/* GeLU, the tanh form of GPT-2/BERT: the mathematical function
 *   gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))),
 * computed as x * sigmoid(z), z = 2 sqrt(2/pi) (x + 0.044715 x^3), with exp's
 * steps and a reciprocal (arch/vfn.h). x < -12.5 -> -0, x > 12.5 -> x, NaN ->
 * canonical NaN. */
float tsr_vgelu(float x);
/* d gelu / dx of the same form: sigmoid(z) + x z' sigmoid(z) sigmoid(-z).
 * x < -12.5 -> -0, x > 12.5 -> 1, NaN -> canonical NaN. */
float tsr_vgelu_grad(float x);

/* max(a, b): canonical NaN if either is NaN (NaN propagates, unlike C's
 * fmaxf), +0 above -0, else the larger. */
float tsr_vmax(float a, float b);

/* Row reductions, in increasing index order. */
float tsr_vrowmax(const float *x, size_t n); /* from -inf; -inf for n = 0 */
float tsr_vrowsum(const float *x, size_t n); /* acc = fmaf(x[i], 1, acc) from +0 */

/* Element operations (out may equal an input). */
void tsr_vaxpy(float a, const float *x, float *y, size_t n);              /* y = fmaf(a, x, y) */
void tsr_vmul(const float *x, const float *y, float *out, size_t n);      /* fmaf(x, y, -0) */
void tsr_vgelu_row(const float *x, float *out, size_t n);                 /* tsr_vgelu */
void tsr_vgelu_bwd(const float *x, const float *dy, float *dx, size_t n); /* dy * gelu'(x) */

/* Softmax of a row and its backward pass (sequences in vecfn.c). */
void tsr_vsoftmax(const float *x, float *a, size_t n);
void tsr_vsoftmax_bwd(const float *a, const float *da, float *dx, size_t n);

/* LayerNorm of a row over its n elements (population variance, as PyTorch):
 * y = (x - mean) * rsqrt(var + eps) * gamma + beta. Writes y and xhat (the
 * normalized row, for the backward pass) and returns rstd = rsqrt(var + eps)
 * and the mean through the pointers. out arrays must not alias x. */
void tsr_vlayernorm(const float *x, const float *gamma, const float *beta, float eps, size_t n,
                    float *y, float *xhat, float *mean, float *rstd);
/* Its backward pass for one row: dx from dy, xhat, gamma and rstd; dgamma and
 * dbeta accumulate (dgamma += dy * xhat, dbeta += dy), so a batch sums over
 * its rows in row order. */
void tsr_vlayernorm_bwd(const float *dy, const float *xhat, const float *gamma, float rstd,
                        size_t n, float *dx, float *dgamma, float *dbeta);

#endif
