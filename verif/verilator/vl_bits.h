// vl_bits.h - bit and slice access to Verilated ports of any width (Verilator
// gives a port of up to 64 bits as an integer, wider ones as VlWide).
#ifndef TESSERA_VL_BITS_H
#define TESSERA_VL_BITS_H

#include <cstdint>

#include "verilated.h"

template <typename T> void put_bit(T &v, int i, int b) {
  if (b) v |= (T(1) << i);
  else v &= ~(T(1) << i);
}
template <typename T> int get_bit(const T &v, int i) { return (int)((v >> i) & 1); }
template <std::size_t N> void put_bit(VlWide<N> &v, int i, int b) {
  if (b) v[i / 32] |= (1u << (i % 32));
  else v[i / 32] &= ~(1u << (i % 32));
}
template <std::size_t N> int get_bit(const VlWide<N> &v, int i) { return (v[i / 32] >> (i % 32)) & 1; }

// Slice idx of width fw bits, to or from an array of 32-bit words.
template <typename T> void put_slice(T &v, int idx, int fw, const uint32_t *flit) {
  for (int b = 0; b < fw; b++) put_bit(v, idx * fw + b, (flit[b / 32] >> (b % 32)) & 1);
}
template <typename T> void get_slice(const T &v, int idx, int fw, uint32_t *flit) {
  for (int w = 0; w < (fw + 31) / 32; w++) flit[w] = 0;
  for (int b = 0; b < fw; b++) flit[b / 32] |= (uint32_t)get_bit(v, idx * fw + b) << (b % 32);
}
// Field idx of width bits (at most 32) as an integer.
template <typename T> uint32_t get_field(const T &v, int idx, int width) {
  uint32_t f = 0;
  for (int b = 0; b < width; b++) f |= (uint32_t)get_bit(v, idx * width + b) << b;
  return f;
}

template <typename T> void zero(T &v) { v = 0; }
template <std::size_t N> void zero(VlWide<N> &v) {
  for (std::size_t i = 0; i < N; i++) v[i] = 0;
}

#endif
