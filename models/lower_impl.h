/* lower_impl.h - what the lowerings share (models/lower.c, models/lower_layer.c):
 * assembler text, buffer and DRAM allocation, the ring collectives and the
 * attention core's emitters. Internal to models/. */
#ifndef TESSERA_LOWER_IMPL_H
#define TESSERA_LOWER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "lower.h"

/* One die's program text, and its count of instructions (not comments). */
typedef struct {
  char *s;
  size_t len, cap;
  size_t insns;
} text;

/* A die's place in its row or column ring: its index and the ring's length. */
typedef struct {
  int me, n;
} ring;

/* Where a ring member sits: for the row ring (row i, column m), for the
 * column ring (row m, column j). */
typedef struct {
  text *t;
  int row, col, is_row; /* this die, and which ring */
  ring r;
  int on_mesh; /* the same ring order, but over the mesh (for comparison) */
} coll;

/* Called by lw_all_gather once tile `member` is here. */
typedef void (*tile_fn)(void *ctx, int member);
#define IN_SLOT UINT32_MAX

/* A buffer being laid out; `bad` once it overflowed. Every region starts at
 * a multiple of `align` words: the buffer's words per access on a die whose
 * units read their own banks (die.local_lanes), else 1. */
typedef struct {
  uint32_t used, size;
  const char *name;
  int bad;
  uint32_t align;
} arena;

/* Attention over g groups of s tokens, each one head of one sequence (s x dh):
 * Q and K stacked group by group in the activation buffer, V in the weight
 * buffer; with the constants a replicated scale (g s dh words of
 * 1/sqrt(dh)), -1 (one word) and s ones (weight buffer). */
typedef struct {
  uint32_t g, s, dh;
  uint32_t q, k, scale, neg1, kt, sc, tr, rep, sum; /* activation buffer */
  uint32_t ktw, v, ones;                            /* weight buffer */
} attn_regs;

/* Append one line to t (an instruction, or a comment starting with ';'). */
void lw_emit(text *t, const char *fmt, ...);
/* The ring collectives within every row or column (docs/lowering.md). */
void lw_all_gather(const coll *c, uint32_t base, uint32_t tile, tile_fn after, void *ctx);
uint32_t lw_reduce_scatter(const coll *c, uint32_t part, uint32_t chunk, uint32_t slots,
                           uint32_t to);

uint32_t lw_bits(float f);
float lw_val(uint32_t u);
/* An h x w block of a row-major matrix to or from consecutive words. */
void lw_to_dram(uint32_t *dst, const float *m, uint32_t ld, uint32_t r0, uint32_t c0, uint32_t h,
                uint32_t w, int tr);
void lw_from_dram(float *m, const uint32_t *src, uint32_t ld, uint32_t r0, uint32_t c0, uint32_t h,
                  uint32_t w);

/* x rounded up to a multiple of a. */
static inline uint64_t lw_round_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }
/* Die d's activation or weight buffer, empty. */
arena lw_buffer_arena(const tsr_config *cfg, int d, int weight);
uint32_t lw_take(arena *a, uint32_t words);
/* -1 with err naming the buffer or DRAM that overflowed (out freed), else 0. */
int lw_out_of_room(const arena *act, const arena *wgt, uint32_t top, const char *what, uint32_t i,
                   uint32_t j, const char *hint, tsr_lowered *out, char err[TSR_ISA_ERR_LEN]);
int lw_fits(const tsr_config *cfg, int d, text *t, tsr_lowered *out, const char *what,
            char err[TSR_ISA_ERR_LEN]);

/* Attention over groups (lower.c, "attention"): its regions (with or
 * without the constants), the softmax, the whole core; the constants' DRAM
 * image; whether a sequence length is one the softmax takes. */
void lw_take_attention(arena *act, arena *wgt, uint32_t g, uint32_t s, uint32_t dh, attn_regs *r);
void lw_take_attention_work(arena *act, arena *wgt, attn_regs *r);
void lw_emit_softmax(text *t, const attn_regs *r);
void lw_emit_attention(text *t, const attn_regs *r, uint32_t row, uint32_t col, uint32_t v_act,
                       int v_in_act, uint32_t o, uint32_t per, uint32_t o_stride);
uint32_t lw_attn_consts(uint32_t g, uint32_t s, uint32_t dh);
void lw_load_attn_consts(uint32_t *m, uint32_t g, uint32_t s, uint32_t dh);
int lw_seq_ok(uint32_t s);

#endif
