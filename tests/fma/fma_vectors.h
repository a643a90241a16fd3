/* fma_vectors.h - FMA test vectors biased towards IEEE 754 corner cases, and
 * the reference: C's fmaf() with NaN results as the canonical 0x7FC00000. */
#ifndef TESSERA_FMA_VECTORS_H
#define TESSERA_FMA_VECTORS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t state;
  size_t directed; /* directed vectors handed out so far */
} fma_gen;

void fma_gen_init(fma_gen *g, uint64_t seed);
/* Next vector: the directed list first, then biased random ones. */
void fma_gen_next(fma_gen *g, uint32_t *a, uint32_t *b, uint32_t *c);
uint32_t fma_expected(uint32_t a, uint32_t b, uint32_t c);

#endif
