/* vexp.h - e^x as the die runs it (VEXP): a microprogram of twelve FMA steps
 * on every FMA unit at once, over the unit's element x and three registers,
 * R0, R1 and R2, with per-step constants. This is the one text of the
 * sequence: the golden model interprets it in C (tsr_vexp, models/vecfn.c),
 * the generator emits it into tessera_pkg for tessera_seq and tessera_opunit
 * to run, and the cost model counts its steps. docs/vector-functions.md
 * derives the sequence and measures its error; docs/microarchitecture.md
 * ("VEXP") describes the hardware.
 *
 *   x = n ln2 + r, |r| <= ln2/2:
 *   R0 = fma(x, log2e, 0x1.8p23)   t: round-to-nearest n lands in t's low bits
 *   R2 = fma(R0, 1, -0x1.8p23)     nf = n as a float, exact
 *   R1 = fma(R2, -ln2_hi, x)       r, exact
 *   R1 = fma(R2, -ln2_lo, R1)      r, one rounding
 *   R2 = fma(c6, R1, c5), then R2 = fma(R2, R1, c) for c = c4, c3, c2, 1, 1
 *   R2 = fma(R2, 2^k1, -0), R2 = fma(R2, 2^k2, -0)
 * with n = bits(R0) - bits(0x1.8p23), k1 = floor(n / 2), k2 = n - k1: the
 * first scaling is exact, the second rounds once (overflow and gradual
 * underflow come out of the FMA's own rounding). Inputs outside the range
 * where that holds are decided by compares on x (tsr_vexp_special). */
#ifndef TESSERA_VEXP_H
#define TESSERA_VEXP_H

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

/* Where a step's operands come from and where its result goes. a: x, R0, R2
 * or the step's constant; b: the constant, R1 or 2^k1 / 2^k2 built from
 * R0's encoding; c: the constant, x or R1. */
enum { TSR_UA_X, TSR_UA_R0, TSR_UA_R2, TSR_UA_K };
enum { TSR_UB_K, TSR_UB_R1, TSR_UB_P2LO, TSR_UB_P2HI };
enum { TSR_UC_K, TSR_UC_X, TSR_UC_R1 };
enum { TSR_UD_R0, TSR_UD_R1, TSR_UD_R2 };

/* The steps: X(a, a's constant, b, b's constant, c, c's constant, dest);
 * a constant is 0 where its operand is not the constant. */
#define TSR_VEXP_PROGRAM(X)                                                                  \
  X(TSR_UA_X, 0.0f, TSR_UB_K, TSR_EXP_LOG2E, TSR_UC_K, TSR_EXP_SHIFTER, TSR_UD_R0)           \
  X(TSR_UA_R0, 0.0f, TSR_UB_K, 1.0f, TSR_UC_K, -TSR_EXP_SHIFTER, TSR_UD_R2)                  \
  X(TSR_UA_R2, 0.0f, TSR_UB_K, -TSR_EXP_LN2_HI, TSR_UC_X, 0.0f, TSR_UD_R1)                   \
  X(TSR_UA_R2, 0.0f, TSR_UB_K, -TSR_EXP_LN2_LO, TSR_UC_R1, 0.0f, TSR_UD_R1)                  \
  X(TSR_UA_K, TSR_EXP_C6, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C5, TSR_UD_R2)                  \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C4, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C3, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, TSR_EXP_C2, TSR_UD_R2)                       \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, 1.0f, TSR_UD_R2)                             \
  X(TSR_UA_R2, 0.0f, TSR_UB_R1, 0.0f, TSR_UC_K, 1.0f, TSR_UD_R2)                             \
  X(TSR_UA_R2, 0.0f, TSR_UB_P2LO, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)                          \
  X(TSR_UA_R2, 0.0f, TSR_UB_P2HI, 0.0f, TSR_UC_K, -0.0f, TSR_UD_R2)
#define TSR_VEXP_COUNT(a, ka, b, kb, c, kc, d) +1
#define TSR_VEXP_STEPS (0 TSR_VEXP_PROGRAM(TSR_VEXP_COUNT))

/* 2^k1 (hi = 0) or 2^k2 (hi = 1) from R0 = t: n is t's encoding minus the
 * shifter's (its low nine bits as a signed number: -150..128 where it
 * matters), k1 = floor(n / 2), k2 = n - k1, and 2^k = (k + 127) << 23. */
static inline uint32_t tsr_vexp_pow2(uint32_t r0, int hi) {
  uint32_t d = (r0 - tsr_f32_bits(TSR_EXP_SHIFTER)) & 0x1FFu;
  int32_t n = (int32_t)d - (d & 0x100u ? 0x200 : 0);
  int32_t k1 = (int32_t)((uint32_t)(n + 256) >> 1) - 128;
  return (uint32_t)((hi ? n - k1 : k1) + 127) << 23;
}

/* Whether x alone decides the result, and which (*out): the canonical NaN
 * for a NaN, +inf above TSR_EXP_HI (+inf included), +0 below TSR_EXP_LO
 * (-inf included); compares on the encoding. */
static inline int tsr_vexp_special(uint32_t x, uint32_t *out) {
  uint32_t mag = x & 0x7FFFFFFFu;
  if (mag > 0x7F800000u) *out = 0x7FC00000u;
  else if (!(x >> 31) && x > tsr_f32_bits(TSR_EXP_HI)) *out = 0x7F800000u;
  else if ((x >> 31) && mag > (tsr_f32_bits(TSR_EXP_LO) & 0x7FFFFFFFu)) *out = 0;
  else return 0;
  return 1;
}

#endif
