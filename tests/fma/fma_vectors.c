/* fma_vectors.c - see fma_vectors.h. */
#include "fma_vectors.h"

#include <math.h>
#include <string.h>

static uint32_t bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static float flt(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

uint32_t fma_expected(uint32_t a, uint32_t b, uint32_t c) {
  float r = fmaf(flt(a), flt(b), flt(c));
  return isnan(r) ? 0x7FC00000u : bits(r);
}

static uint64_t rnd(fma_gen *g) {
  g->state ^= g->state >> 12;
  g->state ^= g->state << 25;
  g->state ^= g->state >> 27;
  return g->state * 0x2545F4914F6CDD1Dull;
}

void fma_gen_init(fma_gen *g, uint64_t seed) {
  g->state = seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
  g->directed = 0;
}

/* Hand-picked triples: every special class against every other, plus
 * classic hard roundings. */
static const uint32_t directed[][3] = {
    {0x3F800000, 0x3F800000, 0x3F800000}, /* 1*1+1 */
    {0x00000000, 0x80000000, 0x00000000}, /* +0*-0 + +0 = +0 */
    {0x80000000, 0x3F800000, 0x80000000}, /* -0 + -0 = -0 */
    {0x7F800000, 0x00000000, 0x3F800000}, /* inf*0 */
    {0x7F800000, 0x3F800000, 0xFF800000}, /* inf - inf */
    {0x7F800000, 0x3F800000, 0x7F800000}, /* inf + inf */
    {0x3F800000, 0x3F800000, 0xFF800000}, /* 1 - inf */
    {0x7FA00001, 0x3F800000, 0x00000000}, /* sNaN */
    {0x3F800000, 0x3F800000, 0xFFC00123}, /* qNaN payload */
    {0x7F7FFFFF, 0x40000000, 0x00000000}, /* overflow */
    {0x7F7FFFFF, 0x3F800000, 0x73800000}, /* max + half ulp: tie to even -> inf? */
    {0x7F7FFFFF, 0x3F800000, 0x73000000}, /* max + quarter ulp */
    {0x00000001, 0x3F000000, 0x00000000}, /* min subnormal / 2: tie -> 0 */
    {0x00000003, 0x3F000000, 0x00000000}, /* 1.5 -> 2 (tie to even) */
    {0x00000001, 0x3F400000, 0x00000000}, /* 0.75 -> 1 */
    {0x00800000, 0x3F000000, 0x00000000}, /* min normal / 2 -> subnormal */
    {0x007FFFFF, 0x3F800001, 0x00000000}, /* subnormal rounding up to normal */
    {0x3F800001, 0x3F800001, 0xBF800000}, /* (1+u)^2 - 1 */
    {0x3F800001, 0x3F7FFFFF, 0xBF800000}, /* (1+u)(1-u/2) - 1 */
    {0x40400000, 0x3EAAAAAB, 0xBF800000}, /* 3 * (1/3) - 1 */
    {0x00000001, 0x00000001, 0x00000000}, /* subnormal^2 -> +0 */
    {0x80000001, 0x00000001, 0x00000000}, /* -> -0 */
    {0x00000001, 0x00000001, 0x80000000}, /* tiny - 0 */
    {0x00000001, 0x7F000000, 0x00000001}, /* subnormal * huge + subnormal */
    {0x4B800000, 0x4B800000, 0xD7800000}, /* 2^24*2^24 - 2^48 = 0 */
    {0x3F800000, 0x00000001, 0x80000001}, /* x - x (subnormal) = +0 */
    {0x5F800000, 0x5F800000, 0x00000001}, /* 2^64*2^64 + tiny: overflow? 2^128 -> inf */
    {0x1F800000, 0x1F800000, 0x00000000}, /* 2^-64 * 2^-64 = 2^-128 subnormal */
    {0x3F800000, 0x3F800000, 0x33800000}, /* 1 + 2^-24: tie to even */
    {0x3F800000, 0x3F800000, 0x33800001}, /* 1 + just above half ulp */
    {0x3F800001, 0x3F800000, 0xB3800000}, /* (1+u) - half ulp */
};
#define N_DIRECTED (sizeof directed / sizeof directed[0])

/* A value from one of the interesting classes. */
static uint32_t pick(fma_gen *g, int exp_center) {
  uint64_t r = rnd(g);
  uint32_t sign = (uint32_t)(r & 1) << 31;
  uint32_t frac = (uint32_t)(r >> 8) & 0x7FFFFFu;
  switch ((r >> 40) % 16) {
  case 0: return sign; /* zero */
  case 1: return sign | frac; /* subnormal */
  case 2: return sign | (frac & 0xFu); /* tiny subnormal */
  case 3: return sign | 0x7F800000u; /* inf */
  case 4: return (r >> 50) & 1 ? 0x7FC00000u | frac : (0x7F800000u | frac | 1u) & 0x7FBFFFFFu; /* NaNs */
  case 5: return sign | ((uint32_t)((r >> 45) % 254 + 1) << 23) | 0x7FFFFFu; /* all ones */
  case 6: return sign | ((uint32_t)((r >> 45) % 254 + 1) << 23); /* power of two */
  default: { /* normal, near the chosen exponent */
    int e = exp_center + (int)((r >> 45) % 41) - 20;
    if (e < 1) e = 1;
    if (e > 254) e = 254;
    return sign | ((uint32_t)e << 23) | frac;
  }
  }
}

void fma_gen_next(fma_gen *g, uint32_t *a, uint32_t *b, uint32_t *c) {
  if (g->directed < N_DIRECTED) {
    *a = directed[g->directed][0];
    *b = directed[g->directed][1];
    *c = directed[g->directed][2];
    g->directed++;
    return;
  }
  uint64_t r = rnd(g);
  int mode = (int)(r % 10);
  int ea = (int)((r >> 8) % 254) + 1;
  *a = pick(g, ea);
  *b = pick(g, (int)((r >> 16) % 254) + 1);
  uint32_t p = bits(flt(*a) * flt(*b)); /* the product, rounded: for near-cancellation */
  switch (mode) {
  case 0: /* exact and near cancellation: c = -(a*b) rounded, nudged */
    *c = (p ^ 0x80000000u) + (uint32_t)((r >> 30) % 5) - 2u;
    break;
  case 1: /* addend around the product's magnitude, either sign */
    *c = (p & 0x7F800000u) | ((uint32_t)(r >> 33) & 0x807FFFFFu);
    break;
  case 2: /* addend exponent a few dozen binades away */
    *c = pick(g, (int)((p >> 23) & 0xFF) + (int)((r >> 40) % 61) - 30);
    break;
  case 3: /* products near the subnormal range */
    *a = ((uint32_t)(r >> 63) << 31) | ((uint32_t)((r >> 20) % 40 + 40) << 23) | ((uint32_t)r & 0x7FFFFFu);
    *b = ((uint32_t)((r >> 27) % 40 + 1) << 23) | ((uint32_t)(r >> 5) & 0x7FFFFFu);
    *c = pick(g, 1);
    break;
  case 4: /* products near overflow */
    *a = ((uint32_t)((r >> 20) % 30 + 200) << 23) | ((uint32_t)r & 0x7FFFFFu);
    *b = ((uint32_t)((r >> 27) % 30 + 170) << 23) | ((uint32_t)(r >> 5) & 0x7FFFFFu);
    *c = pick(g, 254);
    break;
  case 5: /* half-way points: c is half an ulp of the product, sometimes */
    *c = (p & 0x80000000u) | (((p >> 23) & 0xFF) > 24 ? (((p >> 23) & 0xFF) - 24) << 23 : 0u);
    break;
  case 8: { /* the edges of tessera_fma's alignment window (docs/fma.md) */
    /* shift = ea + eb - ec - 101 (effective exponents, 1 for subnormals):
     * below 0 the product becomes a sticky bit, from 52 the addend's bits
     * start to fall into the sticky bit, from 76 all of them do. */
    static const int edges[] = {-3, -2, -1, 0, 1, 2, 3, 49, 50, 51, 52, 53, 54, 55,
                                73, 74, 75, 76, 77, 78};
    int sh = edges[(r >> 44) % (sizeof edges / sizeof edges[0])];
    if ((r >> 40) % 4 == 0) { /* a subnormal factor */
      uint32_t f = (uint32_t)(r >> 8) & 0x7FFFFFu;
      if ((r >> 42) & 1) {
        /* A tiny one (a product of about 24 bits) against an addend whose
         * last bits fall into the sticky bit: the case that fixes the
         * product's place in the window. */
        f = (f & 0xFu) | 1u;
        sh = 52 + (int)((r >> 44) % 5);
        *b = ((uint32_t)((r >> 45) % 95 + 160) << 23) | ((uint32_t)(r >> 20) & 0x3FFFFFu);
      }
      *a = ((uint32_t)(r >> 63) << 31) | f;
    }
    int ea = (int)((*a >> 23) & 0xFF), eb = (int)((*b >> 23) & 0xFF);
    if (ea == 0) ea = 1;
    if (eb == 0) eb = 1;
    int ec = ea + eb - 101 - sh;
    uint32_t frac = (uint32_t)(rnd(g) >> 20) & 0x7FFFFFu;
    if ((r >> 50) % 4 == 0) frac = (r >> 52) & 1 ? 0x7FFFFFu : 0u;
    if (ec >= 1 && ec <= 254)
      *c = ((uint32_t)(r >> 33) & 0x80000000u) | ((uint32_t)ec << 23) | frac;
    else if (ec == 0)
      *c = ((uint32_t)(r >> 33) & 0x80000000u) | frac; /* subnormal addend */
    else
      *c = pick(g, (int)((r >> 24) % 254) + 1);
    break;
  }
  case 9: /* cancellation with a subnormal factor or a subnormal result */
    *a = ((uint32_t)(r >> 63) << 31) | ((uint32_t)(r >> 8) & 0x7FFFFFu);
    if ((r >> 40) & 1) *b = ((uint32_t)((r >> 41) % 60 + 97) << 23) | ((uint32_t)(r >> 20) & 0x7FFFFFu);
    p = bits(flt(*a) * flt(*b));
    *c = (p ^ 0x80000000u) + (uint32_t)((r >> 30) % 9) - 4u;
    break;
  default:
    *c = pick(g, (int)((r >> 24) % 254) + 1);
    break;
  }
}
