/* vfn.h - the vector functions the die runs as microprograms on its FMA
 * units (VEXP, VRECIP, VRSQRT, VGELU, VGELUD): each a fixed list of FMA
 * steps over the unit's element x and four registers, R0 to R3, with
 * per-step constants, plus the integer steps on encodings that the unit does
 * beside them. This is the one text of each sequence: the golden model
 * interprets it in C (tsr_vexp, tsr_vrecip, tsr_vrsqrt, tsr_vgelu,
 * tsr_vgelu_grad, models/vecfn.c), the generator emits it into tessera_pkg for
 * tessera_seq and tessera_opunit to run, and the cost model counts its steps.
 * docs/vector-functions.md derives the sequences and measures their error;
 * docs/microarchitecture.md ("VEXP, VRECIP and VRSQRT", "VGELU and VGELUD")
 * describes the hardware.
 *
 * e^x (VEXP), x = n ln2 + r, |r| <= ln2/2:
 *   R0 = fma(x, log2e, 0x1.8p23)   t: round-to-nearest n lands in t's low bits
 *   R2 = fma(R0, 1, -0x1.8p23)     nf = n as a float, exact
 *   R1 = fma(R2, -ln2_hi, x)       r, exact
 *   R1 = fma(R2, -ln2_lo, R1)      r, one rounding
 *   R2 = fma(c6, R1, c5), then R2 = fma(R2, R1, c) for c = c4, c3, c2, 1, 1
 *   R2 = fma(R2, 2^k1, -0), R2 = fma(R2, 2^k2, -0)
 * with n = bits(R0) - bits(0x1.8p23), k1 = floor(n / 2), k2 = n - k1: the
 * first scaling is exact, the second rounds once (overflow and gradual
 * underflow come out of the FMA's own rounding).
 *
 * 1/x (VRECIP), |x| = m 2^e with m in [1, 2) (tsr_vfn_normalize):
 *   R0 = y0 = bits^-1(magic - bits(m)), R1 = -m     integer steps, before step 0
 *   twice: R2 = fma(R1, R0, 1) = d; R2 = fma(R2, R2, R2) = g; R0 = fma(R0, R2, R0)
 *   R2 = fma(R0, 2^k1, -0), R2 = fma(R2, 2^k2, -0), k = -e, k1 = floor(k / 2)
 *   and the sign of x put on the result.
 *
 * 1/sqrt(x) (VRSQRT), x = m 2^e with e even and m in [1, 4):
 *   R0 = y0 = bits^-1(magic - bits(m) / 2), R1 = -m/2   integer steps
 *   twice: R2 = fma(R0, R0, -0) = t; R2 = fma(R1, R2, 0.5) = d; R0 = fma(R0, R2, R0)
 *   R2 = t = fma(R0, R0, -0); R3 = fma(R2, -1, -0) = -t (exact);
 *   R3 = fma(R0, R0, R3) = y^2 - t (exact); R2 = fma(R1, R2, 0.5);
 *   R2 = fma(R1, R3, R2) = d; R2 = fma(R0, R2, R0) = y
 *   and 2^(-e/2) by an integer add to the result's exponent field.
 * GeLU and its derivative: below, TSR_SIGMOID_STEPS.
 * Inputs outside the range where a sequence holds are decided by x alone
 * (tsr_vexp_special, tsr_vrecip_special, ...), which replaces the last
 * step's result. */
#ifndef TESSERA_VFN_H
#define TESSERA_VFN_H

#include <stdint.h>

#include "f32bits.h"

#define TSR_EXP_LOG2E 0x1.715476p+0f
#define TSR_EXP_SHIFTER 0x1.8p+23f
#define TSR_EXP_LN2_HI 0x1.62e43p-1f
#define TSR_EXP_LN2_LO -0x1.05c61p-29f
/* minimax for p's relative error on |r| <= 0.3466, first two coefficients 1 */
#define TSR_EXP_C2 0x1.fffffep-2f
#define TSR_EXP_C3 0x1.55547ep-3f
#define TSR_EXP_C4 0x1.555638p-5f
#define TSR_EXP_C5 0x1.1246e6p-7f
#define TSR_EXP_C6 0x1.6c350ep-10f
#define TSR_EXP_HI 0x1.62e42ep+6f /* above: e^x rounds to +inf */
#define TSR_EXP_LO -0x1.ap+6f     /* -104, below ln(2^-150): e^x rounds to +0 */
/* the seed's constant: it minimizes the seed's largest relative error on [1, 2) */
#define TSR_RECIP_MAGIC 0x7EF31200u
#define TSR_RSQRT_MAGIC 0x5F376400u
/* GeLU: K0 = 2 sqrt(2/pi), K1 = K0 0.044715, K1X3 = 3 K1; the reciprocal's
 * linear seed on [1, 2], 24/17 - 8/17 d; beyond |x| = 12.5 x alone decides
 * (there |z| > 159 and e^-|z| < 2^-229; inside, exp's k stays in range). */
#define TSR_GELU_K0 0x1.988454p+0f
#define TSR_GELU_K1 0x1.2444f2p-4f
#define TSR_GELU_K1X3 0x1.b6676cp-3f
#define TSR_GELU_SEED_B 0x1.e1e1e2p-2f /* 8/17 */
#define TSR_GELU_SEED_C 0x1.69696ap+0f /* 24/17 */
#define TSR_GELU_LIM 12.5f

/* Where a step's operands come from and where its result goes. a: x, a
 * register, the step's constant or -|x| (GeLU's -|z| = -|x| (K0 + K1 x^2));
 * b: the constant, a register, 2^k1 / 2^k2 (from R0's encoding for exp and
 * GeLU, from x's exponent for the reciprocal) or x; c: the constant, x, a register
 * or sigmoid(z) = (x's sign bit ? R2 : R0) (GeLU: z has x's sign). */
enum { TSR_UA_X, TSR_UA_R0, TSR_UA_R1, TSR_UA_R2, TSR_UA_R3, TSR_UA_K, TSR_UA_NEGABSX };
enum { TSR_UB_K, TSR_UB_R0, TSR_UB_R1, TSR_UB_R2, TSR_UB_R3, TSR_UB_P2LO, TSR_UB_P2HI, TSR_UB_X };
enum { TSR_UC_K, TSR_UC_X, TSR_UC_R0, TSR_UC_R1, TSR_UC_R2, TSR_UC_R3, TSR_UC_SIGMOID };
enum { TSR_UD_R0, TSR_UD_R1, TSR_UD_R2, TSR_UD_R3 };

/* The steps: X(a, a's constant, b, b's constant, c, c's constant, dest);
 * a constant is 0 where its operand is not the constant. The result is R2.
 * exp's steps, of x (VEXP) or of R3 (GeLU), the result into R2 or R3: */
#define TSR_EXP_STEPS(X, in_a, in_c, dst)                                                    \
  X(in_a, 0.0f, TSR_UB_K, TSR_EXP_LOG2E, TSR_UC_K, TSR_EXP_SHIFTER, TSR_UD_R0)               \
  X(TSR_UA_R0, 0.0f, TSR_UB_K, 1.0f, TSR_UC_K, -TSR_EXP_SHIFTER, TSR_UD_R2)                  \
  X(TSR_UA_R2, 0.0f, TSR_UB_K, -TSR_EXP_LN2_HI, in_c, 0.0f, TSR_UD_R1)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_K, -TSR_EXP_LN2_LO, TSR_UC_R1, 0.0f, TSR_UD_R1)                  \
  X(TSR_UA_K, TSR_EXP_C6, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C5, TSR_UD_R2)                  \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C4, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C3, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C2, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, 1.0f, TSR_UD_R2)                             \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, 1.0f, TSR_UD_R2)                             \
  X(TSR_UA_R2, 0.0f, TSR_UB_P2LO, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                          \
  X(TSR_UA_R2, 0.0f, TSR_UB_P2HI, 0.0f, TSR_UC_K, -0.0f, dst)
#define TSR_VEXP_PROGRAM(X) TSR_EXP_STEPS(X, TSR_UA_X, TSR_UC_X, TSR_UD_R2)
/* One cubic Newton-Raphson step of 1/m, R1 = -m, R0 = y: */
#define TSR_RECIP_NR_STEP(X)                                                                 \
  X(TSR_UA_R1, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, 1.0f, TSR_UD_R2)                             \
  X(TSR_UA_R2, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_R2, 0.0f, TSR_UD_R2)                            \
  X(TSR_UA_R0, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_R0, 0.0f, TSR_UD_R0)
#define TSR_VRECIP_PROGRAM(X)                                                                \
  TSR_RECIP_NR_STEP(X)                                                                       \
  TSR_RECIP_NR_STEP(X)                                                                       \
  X(TSR_UA_R0, 0.0f, TSR_UB_P2LO, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                          \
  X(TSR_UA_R2, 0.0f, TSR_UB_P2HI, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)
#define TSR_VRSQRT_PROGRAM(X)                                                                \
  X(TSR_UA_R0, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                            \
  X(TSR_UA_R1, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_K, 0.5f, TSR_UD_R2)                             \
  X(TSR_UA_R0, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_R0, 0.0f, TSR_UD_R0)                            \
  X(TSR_UA_R0, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                            \
  X(TSR_UA_R1, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_K, 0.5f, TSR_UD_R2)                             \
  X(TSR_UA_R0, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_R0, 0.0f, TSR_UD_R0)                            \
  X(TSR_UA_R0, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                            \
  X(TSR_UA_R2, 0.0f, TSR_UB_K, -1.0f, TSR_UC_K, -0.0f, TSR_UD_R3)                            \
  X(TSR_UA_R0, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_R3, 0.0f, TSR_UD_R3)                            \
  X(TSR_UA_R1, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_K, 0.5f, TSR_UD_R2)                             \
  X(TSR_UA_R1, 0.0f, TSR_UB_R3, 0.0f, TSR_UC_R2, 0.0f, TSR_UD_R2)                            \
  X(TSR_UA_R0, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_R0, 0.0f, TSR_UD_R2)
/* GeLU's sigmoid, both halves (GELU and its derivative share it):
 *   R0 = x2 = fma(x, x, -0); R0 = fma(R0, K1, K0); R3 = -|z| = fma(-|x|, R0, -0)
 *   R3 = E = e^-|z| (exp's twelve steps on R3)
 *   R1 = -d = fma(R3, -1, -1), d = 1 + E in [1, 2]
 *   R0 = y0 = fma(R1, 8/17, 24/17)        relative error <= 1/17, no integer step
 *   twice the reciprocal's Newton-Raphson: R0 = R = 1 / (1 + E)
 *   R2 = S = fma(R3, R0, -0) = E / (1 + E)
 * so that sigmoid(z) = (x < 0 ? S : R) by x's sign bit (z has it). */
#define TSR_SIGMOID_STEPS(X)                                                                 \
  X(TSR_UA_X, 0.0f, TSR_UB_X, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R0)                              \
  X(TSR_UA_R0, 0.0f, TSR_UB_K, TSR_GELU_K1, TSR_UC_K, TSR_GELU_K0, TSR_UD_R0)                \
  X(TSR_UA_NEGABSX, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R3)                       \
  TSR_EXP_STEPS(X, TSR_UA_R3, TSR_UC_R3, TSR_UD_R3)                                          \
  X(TSR_UA_R3, 0.0f, TSR_UB_K, -1.0f, TSR_UC_K, -1.0f, TSR_UD_R1)                            \
  X(TSR_UA_R1, 0.0f, TSR_UB_K, TSR_GELU_SEED_B, TSR_UC_K, TSR_GELU_SEED_C, TSR_UD_R0)        \
  TSR_RECIP_NR_STEP(X)                                                                       \
  TSR_RECIP_NR_STEP(X)                                                                       \
  X(TSR_UA_R3, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)
/* gelu = fma(x, sigmoid(z), -0), sigmoid(z) first copied to R2 as 0 * 0 + it */
#define TSR_VGELU_PROGRAM(X)                                                                 \
  TSR_SIGMOID_STEPS(X)                                                                       \
  X(TSR_UA_K, 0.0f, TSR_UB_K, 0.0f, TSR_UC_SIGMOID, 0.0f, TSR_UD_R2)                         \
  X(TSR_UA_X, 0.0f, TSR_UB_R2, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)
/* gelu' = sigmoid(z) + x z' sigmoid(z) sigmoid(-z), z' = K0 + 3 K1 x^2:
 *   R3 = q = fma(S, R, -0); R1 = w = fma(x, fma(fma(x, x, -0), 3K1, K0), -0)
 *   R2 = fma(w, q, sigmoid(z)) */
#define TSR_VGELUD_PROGRAM(X)                                                                \
  TSR_SIGMOID_STEPS(X)                                                                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R0, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R3)                            \
  X(TSR_UA_X, 0.0f, TSR_UB_X, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R1)                              \
  X(TSR_UA_R1, 0.0f, TSR_UB_K, TSR_GELU_K1X3, TSR_UC_K, TSR_GELU_K0, TSR_UD_R1)              \
  X(TSR_UA_X, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R1)                             \
  X(TSR_UA_R1, 0.0f, TSR_UB_R3, 0.0f, TSR_UC_SIGMOID, 0.0f, TSR_UD_R2)
#define TSR_VFN_COUNT(a, ka, b, kb, c, kc, d) +1
#define TSR_VEXP_STEPS (0 TSR_VEXP_PROGRAM(TSR_VFN_COUNT))
#define TSR_VRECIP_STEPS (0 TSR_VRECIP_PROGRAM(TSR_VFN_COUNT))
#define TSR_VRSQRT_STEPS (0 TSR_VRSQRT_PROGRAM(TSR_VFN_COUNT))
#define TSR_VGELU_STEPS (0 TSR_VGELU_PROGRAM(TSR_VFN_COUNT))
#define TSR_VGELUD_STEPS (0 TSR_VGELUD_PROGRAM(TSR_VFN_COUNT))

/* The programs as tables, for the golden model to interpret and the
 * generator to emit: one step's operand codes, constants and destination. */
typedef struct {
  int a;
  float ka;
  int b;
  float kb;
  int c;
  float kc;
  int dst;
} tsr_vfn_step;
enum { TSR_VFN_EXP, TSR_VFN_RECIP, TSR_VFN_RSQRT, TSR_VFN_GELU, TSR_VFN_GELUD };
static inline const tsr_vfn_step *tsr_vfn_program(int fn, int *steps) {
#define TSR_VFN_ROW(a, ka, b, kb, c, kc, d) {a, ka, b, kb, c, kc, d},
  static const tsr_vfn_step exp_[] = {TSR_VEXP_PROGRAM(TSR_VFN_ROW)};
  static const tsr_vfn_step recip[] = {TSR_VRECIP_PROGRAM(TSR_VFN_ROW)};
  static const tsr_vfn_step rsqrt[] = {TSR_VRSQRT_PROGRAM(TSR_VFN_ROW)};
  static const tsr_vfn_step gelu[] = {TSR_VGELU_PROGRAM(TSR_VFN_ROW)};
  static const tsr_vfn_step gelud[] = {TSR_VGELUD_PROGRAM(TSR_VFN_ROW)};
#undef TSR_VFN_ROW
  switch (fn) {
  case TSR_VFN_EXP: return *steps = TSR_VEXP_STEPS, exp_;
  case TSR_VFN_RECIP: return *steps = TSR_VRECIP_STEPS, recip;
  case TSR_VFN_RSQRT: return *steps = TSR_VRSQRT_STEPS, rsqrt;
  case TSR_VFN_GELU: return *steps = TSR_VGELU_STEPS, gelu;
  default: return *steps = TSR_VGELUD_STEPS, gelud;
  }
}

/* 2^k1 (hi = 0) or 2^k2 (hi = 1), k1 = floor(k / 2), k2 = k - k1, for k in
 * -256..255 (the low nine bits of k as a signed number): 2^j = (j + 127) << 23. */
static inline uint32_t tsr_vfn_pow2(uint32_t k9, int hi) {
  int32_t k = (int32_t)(k9 & 0x1FFu) - (k9 & 0x100u ? 0x200 : 0);
  int32_t k1 = (int32_t)((uint32_t)(k + 256) >> 1) - 128;
  return (uint32_t)((hi ? k - k1 : k1) + 127) << 23;
}

/* exp's k: n = R0's encoding minus the shifter's (-150..128 where it matters). */
static inline uint32_t tsr_vexp_k(uint32_t r0) { return r0 - tsr_f32_bits(TSR_EXP_SHIFTER); }

/* Whether x alone decides e^x, and which (*out): the canonical NaN for a NaN,
 * +inf above TSR_EXP_HI (+inf included), +0 below TSR_EXP_LO (-inf
 * included); compares on the encoding. */
static inline int tsr_vexp_special(uint32_t x, uint32_t *out) {
  uint32_t mag = x & 0x7FFFFFFFu;
  if (mag > 0x7F800000u) *out = 0x7FC00000u;
  else if (!(x >> 31) && x > tsr_f32_bits(TSR_EXP_HI)) *out = 0x7F800000u;
  else if ((x >> 31) && mag > (tsr_f32_bits(TSR_EXP_LO) & 0x7FFFFFFFu)) *out = 0;
  else return 0;
  return 1;
}

/* |x| = m 2^e, m in [1, 2), for a finite nonzero magnitude a: m's encoding
 * and e; a subnormal's leading one is shifted to the hidden bit (a
 * leading-zero count and a shift). */
static inline void tsr_vfn_normalize(uint32_t a, uint32_t *m, int32_t *e) {
  int32_t ex = (int32_t)(a >> 23);
  uint32_t f = a & 0x7FFFFFu;
  if (ex == 0) {
    ex = 1;
    while (!(f & 0x800000u))
      f <<= 1, ex--;
    f &= 0x7FFFFFu;
  }
  *m = 0x3F800000u | f;
  *e = ex - 127;
}

/* The reciprocal's integer steps: R0 = y0 and R1 = -m before step 0, and
 * k = -e (-127..149) for the scaling. */
static inline void tsr_vrecip_init(uint32_t x, uint32_t *r0, uint32_t *r1, uint32_t *k) {
  uint32_t m;
  int32_t e;
  tsr_vfn_normalize(x & 0x7FFFFFFFu, &m, &e);
  *r0 = TSR_RECIP_MAGIC - m;
  *r1 = m | 0x80000000u;
  *k = (uint32_t)-e;
}

/* Whether x alone decides 1/x: the canonical NaN for a NaN, ±0 for ±inf,
 * ±inf for ±0. Otherwise the steps' result takes x's sign. */
static inline int tsr_vrecip_special(uint32_t x, uint32_t *out) {
  uint32_t mag = x & 0x7FFFFFFFu, sign = x & 0x80000000u;
  if (mag > 0x7F800000u) *out = 0x7FC00000u;
  else if (mag == 0x7F800000u) *out = sign;
  else if (mag == 0) *out = sign | 0x7F800000u;
  else return 0;
  return 1;
}

/* The reciprocal square root's integer steps, for a positive finite x: m in
 * [1, 4) with e even (an odd e moves a factor 2 into m), R0 = y0, R1 = -m/2
 * and k = -e/2 (-63..75), added to the result's exponent field at the end. */
static inline void tsr_vrsqrt_init(uint32_t x, uint32_t *r0, uint32_t *r1, uint32_t *k) {
  uint32_t m;
  int32_t e;
  tsr_vfn_normalize(x & 0x7FFFFFFFu, &m, &e);
  if (e & 1) m += 1u << 23, e--;
  *r0 = TSR_RSQRT_MAGIC - (m >> 1);
  *r1 = (m - (1u << 23)) | 0x80000000u;
  *k = (uint32_t)(-e / 2);
}

/* Whether x alone decides 1/sqrt(x): the canonical NaN for a NaN and below
 * zero (-inf and negative subnormals included), ±inf for ±0 (IEEE 754
 * rSqrt), +0 for +inf. */
static inline int tsr_vrsqrt_special(uint32_t x, uint32_t *out) {
  uint32_t mag = x & 0x7FFFFFFFu;
  if (mag > 0x7F800000u || (x >> 31 && mag != 0)) *out = 0x7FC00000u;
  else if (mag == 0) *out = x | 0x7F800000u;
  else if (mag == 0x7F800000u) *out = 0;
  else return 0;
  return 1;
}

/* Whether x alone decides gelu(x) (grad = 0) or gelu'(x) (grad = 1): the
 * canonical NaN for a NaN; below -TSR_GELU_LIM (-inf included) -0 for both;
 * above TSR_GELU_LIM (+inf included) x, and 1 for the derivative (the values
 * round to these). */
static inline int tsr_vgelu_special(uint32_t x, int grad, uint32_t *out) {
  uint32_t mag = x & 0x7FFFFFFFu, lim = tsr_f32_bits(TSR_GELU_LIM);
  if (mag > 0x7F800000u) *out = 0x7FC00000u;
  else if ((x >> 31) && mag > lim) *out = 0x80000000u;
  else if (!(x >> 31) && mag > lim) *out = grad ? 0x3F800000u : x;
  else return 0;
  return 1;
}

#endif
