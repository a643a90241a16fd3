/* f32bits.h - a binary32 value and its 32-bit encoding, both ways (memcpy:
 * no aliasing, no conversion). */
#ifndef TESSERA_F32BITS_H
#define TESSERA_F32BITS_H

#include <stdint.h>
#include <string.h>

static inline uint32_t tsr_f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static inline float tsr_f32_from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

#endif
