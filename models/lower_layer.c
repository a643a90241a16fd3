/* lower_layer.c - the FFN and attention blocks forward, and one transformer
 * layer trained for one step, on the mesh, from one set of emitters: see
 * lower.h (tsr_lower_ffn, tsr_lower_attn_block, tsr_lower_layer) and
 * docs/lowering.md.
 *
 * Two tilings alternate: T0, die (i, j)
 * holding tokens block i (B/R) and features block j (D/C), which is X's,
 * Z's and the LayerNorms'; T1, tokens block j (B/C, whole sequences) and
 * features block i (heads block i, or FFN features block i). A layer from T0
 * to T1 gathers its input over the column ring and reduce-scatters over the
 * row ring; from T1 to T0 the rings swap. Backward runs each layer the other
 * way: dIn by the gather of dOut and a GEMM with W^T (the die's own W tile,
 * transposed by VTRANS), dW by a local GEMM of the gathered input, kept from
 * the forward pass and transposed, with the gathered dOut. LayerNorm's row
 * statistics are partial row sums all-gathered over the row ring and added in
 * member order, so every die of a row computes the same ones; its gamma and
 * beta gradients are column sums all-gathered over the column ring.
 *
 * Every die runs the same sequence of collectives on each ring. In the layer
 * (one mini-batch) every region a neighbour writes is its own; the blocks
 * alone double those by mini-batch parity (lower.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "lower_impl.h"
#include "noc.h"

#define LN_EPS 1e-5f

/* Where each parameter sits in a die's weight block (the same layout in
 * DRAM, in the weight buffer, and for the gradients in the activation
 * buffer), in words from its start. */
typedef struct {
  uint32_t qkv, wo, w1, w2, ln, total;
} wlayout;

/* One die's program being written. */
typedef struct {
  text t;
  coll row, col;
  arena act, wgt;
  uint32_t i, j;
  uint32_t R, C, B, D, F, s, dc, br, bc, hr, hd, dh, nseq, g;
  wlayout wl;
  uint32_t w, dw; /* the weight block (weight buffer) and the gradients' (act) */
  /* constants: act: -lr, rn = 1/D (br words) then -rn (br), eps (br), ones (B);
     weight buffer: ones and -1s (max(dc, s) each) */
  uint32_t neglr, rn, nrn, eps, ones_a, ones_w, neg1_w;
} lp;

static uint32_t max_u(uint32_t a, uint32_t b) { return a > b ? a : b; }

static wlayout layout(uint32_t hd, uint32_t dc, uint32_t dh, uint32_t hr) {
  wlayout w;
  w.qkv = 0;                        /* Wq, Wk, Wv [j, h] (dc x dh) of each head h */
  w.wo = 3 * hd * dc * dh;          /* Wo [h, j] (dh x dc) of each head */
  w.w1 = w.wo + hd * dh * dc;       /* W1 [j, i] (dc x hr) */
  w.w2 = w.w1 + dc * hr;            /* W2 [i, j] (hr x dc) */
  w.ln = w.w2 + hr * dc;            /* gamma1, beta1, gamma2, beta2 [j] (dc each) */
  w.total = w.ln + 4 * dc;
  return w;
}
static uint32_t qkv_at(const lp *p, uint32_t h, uint32_t m) {
  return p->wl.qkv + (3 * h + m) * p->dc * p->dh;
}
static uint32_t wo_at(const lp *p, uint32_t h) { return p->wl.wo + h * p->dh * p->dc; }

/* Where the constants sit, as the DRAM image holds them and one DRD each
 * copies them into the act and the weight buffer: act: the attention's scale
 * (g s dh words) and -1, -lr, rn = 1/D then -rn (br each), eps (br), ones (B);
 * weight: ones, then -1s (max(dc, s) each). The vectors start at multiples of
 * the buffers' alignment (lw_buffer_arena), so that each block is one DRD. */
typedef struct {
  uint32_t neg1, neglr, rn, eps, ones_a, act_words; /* in the act block */
  uint32_t neg1_w, wgt_words;                        /* in the weight block */
} consts_at;
static consts_at consts_layout(uint32_t g, uint32_t s, uint32_t dh, uint32_t br, uint32_t B,
                               uint32_t dc, uint32_t align_act, uint32_t align_wgt) {
  consts_at c;
  c.neg1 = g * s * dh, c.neglr = c.neg1 + 1;
  c.rn = (uint32_t)lw_round_up(c.neglr + 1, align_act);
  c.eps = (uint32_t)lw_round_up(c.rn + 2 * br, align_act);
  c.ones_a = (uint32_t)lw_round_up(c.eps + br, align_act), c.act_words = c.ones_a + B;
  c.neg1_w = (uint32_t)lw_round_up(max_u(dc, s), align_wgt);
  c.wgt_words = c.neg1_w + max_u(dc, s);
  return c;
}

/* ---- small steps ------------------------------------------------------------------ */

#define EMIT(...) lw_emit(&p->t, __VA_ARGS__)

static uint32_t act(lp *p, uint32_t words) { return lw_take(&p->act, words); }
static uint32_t wgt(lp *p, uint32_t words) { return lw_take(&p->wgt, words); }

static void gemm(lp *p, uint32_t x, uint32_t w, uint32_t y, uint32_t m, uint32_t k, uint32_t n,
                 int acc) {
  EMIT("gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u%s", x, w, y, m, k, n, acc ? " acc=1" : "");
}
static void vec(lp *p, const char *op, uint32_t a, uint32_t b, uint32_t c, uint32_t len) {
  EMIT("%s a=0x%x b=0x%x c=0x%x len=%u", op, a, b, c, len);
}
/* A column of `rows` values spread over n columns (a GEMM with k = 1: exact),
 * negated by the row of -1s. */
static void spread(lp *p, uint32_t col, uint32_t rows, uint32_t n, uint32_t dst, int neg) {
  gemm(p, col, neg ? p->neg1_w : p->ones_w, dst, rows, 1, n, 0);
}
/* A row of n values in the weight buffer repeated over `rows` rows. */
static void repeat(lp *p, uint32_t row_w, uint32_t rows, uint32_t n, uint32_t dst) {
  gemm(p, p->ones_a, row_w, dst, rows, 1, n, 0);
}
/* Copies to this die's other buffer (a SEND to itself), then waited for. */
static void copy(lp *p, const char *from, uint32_t src, const char *to, uint32_t dst,
                 uint32_t len) {
  EMIT("send row=%u col=%u src=%s:0x%x dst=%s:0x%x len=%u", p->i, p->j, from, src, to, dst, len);
  EMIT("wait msgs=1 chan=mesh");
}
/* The transpose of an m x n tile of the weight buffer (at w) into it (at
 * wt), through the activation buffer. */
static void transpose_w(lp *p, uint32_t w, uint32_t wt, uint32_t m, uint32_t n) {
  uint32_t a = act(p, m * n), at = act(p, m * n);
  copy(p, "wgt", w, "act", a, m * n);
  EMIT("vtrans a=0x%x c=0x%x m=%u n=%u", a, at, m, n);
  copy(p, "act", at, "wgt", wt, m * n);
}
/* The transpose of an m x n activation matrix, into a new region. */
static uint32_t transpose(lp *p, uint32_t a, uint32_t m, uint32_t n) {
  uint32_t at = act(p, m * n);
  EMIT("vtrans a=0x%x c=0x%x m=%u n=%u", a, at, m, n);
  return at;
}

/* The sum over a ring's members of w-word partials, this die's at
 * gathered + me x w: all-gathered, then added in member order, so every
 * member computes the same words. */
static void ring_sum(lp *p, const coll *c, uint32_t gathered, uint32_t w, uint32_t out) {
  lw_all_gather(c, gathered, w, NULL, NULL);
  vec(p, "vadd", gathered, gathered + w, out, w);
  for (int k = 2; k < c->r.n; k++) vec(p, "vadd", out, gathered + (uint32_t)k * w, out, w);
}

/* ---- LayerNorm over the row ring ----------------------------------------------------- */

/* tsr_vlayernorm's sequence, its row sums partial on each die of the row: x
 * (br x dc, T0) to y; keeps xhat and rstd for the backward pass. */
typedef struct {
  uint32_t xhat, rstd;
} ln_kept;

static void ln_forward(lp *p, uint32_t x, uint32_t gamma, uint32_t beta, uint32_t y, ln_kept *k) {
  uint32_t br = p->br, dc = p->dc, n = br * dc, C = p->C;
  uint32_t st1 = act(p, C * br), st2 = act(p, C * br), mu = act(p, br), xc = act(p, n);
  uint32_t rep = act(p, n), sq = act(p, n), v = act(p, br);
  k->xhat = act(p, n), k->rstd = act(p, br);
  EMIT("; LayerNorm of %u rows over the row ring: -mean, x - mean", br);
  gemm(p, x, p->ones_w, st1 + p->j * br, br, dc, 1, 0);
  ring_sum(p, &p->row, st1, br, mu);
  vec(p, "vmul", mu, p->nrn, mu, br);
  spread(p, mu, br, dc, rep, 0);
  vec(p, "vadd", x, rep, xc, n);
  EMIT("; rstd = rsqrt(sum((x - mean)^2) / D + eps), xhat, gamma xhat + beta");
  vec(p, "vmul", xc, xc, sq, n);
  gemm(p, sq, p->ones_w, st2 + p->j * br, br, dc, 1, 0);
  ring_sum(p, &p->row, st2, br, v);
  vec(p, "vmul", p->eps, p->ones_a, k->rstd, br);
  EMIT("vaxpy x=0x%x y=0x%x s=0x%x len=%u", v, k->rstd, p->rn, br);
  EMIT("vrsqrt a=0x%x c=0x%x len=%u", k->rstd, k->rstd, br);
  spread(p, k->rstd, br, dc, rep, 0);
  vec(p, "vmul", xc, rep, k->xhat, n);
  repeat(p, gamma, br, dc, rep);
  vec(p, "vmul", k->xhat, rep, y, n);
  repeat(p, beta, br, dc, rep);
  vec(p, "vadd", y, rep, y, n);
}

/* tsr_vlayernorm_bwd's sequence: dy (br x dc, T0) to dx; gamma's and beta's
 * gradients (2 dc words, summed over all B tokens) to dparams. */
static void ln_backward(lp *p, uint32_t dy, const ln_kept *k, uint32_t gamma, uint32_t dx,
                        uint32_t dparams) {
  uint32_t br = p->br, dc = p->dc, n = br * dc, R = p->R, C = p->C;
  uint32_t rep = act(p, n), g = act(p, n), t = act(p, n), st = act(p, C * 2 * br);
  uint32_t sums = act(p, 2 * br), stc = act(p, R * 2 * dc), tw = wgt(p, n), dyw = wgt(p, n);
  EMIT("; LayerNorm backward: g = dy gamma, its row sums and g xhat's over the row ring");
  repeat(p, gamma, br, dc, rep);
  vec(p, "vmul", dy, rep, g, n);
  gemm(p, g, p->ones_w, st + p->j * 2 * br, br, dc, 1, 0);
  vec(p, "vmul", g, k->xhat, t, n);
  gemm(p, t, p->ones_w, st + p->j * 2 * br + br, br, dc, 1, 0);
  ring_sum(p, &p->row, st, 2 * br, sums);
  vec(p, "vmul", sums, p->rn, sums, 2 * br); /* mean(g), -mean(g xhat) */
  EMIT("; dx = rstd (g - mean(g) - xhat mean(g xhat))");
  spread(p, sums + br, br, dc, rep, 0);
  vec(p, "vmul", k->xhat, rep, t, n);
  vec(p, "vadd", t, g, t, n);
  spread(p, sums, br, dc, rep, 1);
  vec(p, "vadd", t, rep, t, n);
  spread(p, k->rstd, br, dc, rep, 0);
  vec(p, "vmul", t, rep, dx, n);
  EMIT("; dgamma = sum dy xhat, dbeta = sum dy over the tokens: column sums, the column ring");
  vec(p, "vmul", dy, k->xhat, t, n);
  EMIT("send row=%u col=%u src=act:0x%x dst=wgt:0x%x len=%u", p->i, p->j, t, tw, n);
  EMIT("send row=%u col=%u src=act:0x%x dst=wgt:0x%x len=%u", p->i, p->j, dy, dyw, n);
  EMIT("wait msgs=2 chan=mesh");
  gemm(p, p->ones_a, tw, stc + p->i * 2 * dc, 1, br, dc, 0);
  gemm(p, p->ones_a, dyw, stc + p->i * 2 * dc + dc, 1, br, dc, 0);
  ring_sum(p, &p->col, stc, 2 * dc, dparams);
}

/* ---- the blocks' regions -------------------------------------------------------------- */

/* A block's regions are of two kinds: those the die alone writes, taken once,
 * and those its ring neighbours write into (a gather's tiles, a
 * reduce-scatter's slots), taken per mini-batch parity (lower.c, "Why the
 * programs cannot race"). Attention's own regions hold what its backward
 * pass reads: Q / sqrt(dh) at r.q, K at r.k, A at r.sc and V, stacked by
 * group; the neighbours' the gathered O of each head h at og + h B dh. */
typedef struct {
  attn_regs r; /* its constants (scale, neg1, ones) set by the caller */
  uint32_t part, part2, v;
} attn_own;
typedef struct {
  uint32_t slots, og, slots2;
} attn_nb;
/* The FFN's: H[j, i] before GeLU (own), gelu(H)[:, i] gathered (neighbours'). */
typedef struct {
  uint32_t part1, part3, hpre;
} ffn_own;
typedef struct {
  uint32_t slots1, gg, slots3;
} ffn_nb;

static void take_attn(lp *p, attn_own *o, attn_nb *nb) {
  uint32_t B = p->B, dh = p->dh, slot = (p->C - 1) * p->bc * dh;
  if (o) {
    o->r.g = p->g, o->r.s = p->s, o->r.dh = dh;
    o->part = act(p, B * dh), o->part2 = act(p, B * p->dc), o->v = act(p, p->g * p->s * dh);
    lw_take_attention_work(&p->act, &p->wgt, &o->r);
  }
  if (nb) {
    nb->slots = act(p, 3 * p->hd * slot), nb->og = act(p, p->hd * B * dh);
    nb->slots2 = act(p, (p->R - 1) * p->br * p->dc);
  }
}
static void take_ffn(lp *p, ffn_own *o, ffn_nb *nb) {
  uint32_t B = p->B, bc = p->bc, hr = p->hr;
  if (o) o->part1 = act(p, B * hr), o->part3 = act(p, B * p->dc), o->hpre = act(p, bc * hr);
  if (nb) {
    nb->slots1 = act(p, (p->C - 1) * bc * hr), nb->gg = act(p, B * hr);
    nb->slots3 = act(p, (p->R - 1) * p->br * p->dc);
  }
}

/* ---- attention ----------------------------------------------------------------------- */

/* The attention block from its input gathered over the column ring (xg, B x
 * dc) to its output in T0 (out, br x dc), without the residual. */
static void attention_forward(lp *p, const attn_own *o, const attn_nb *nb, uint32_t xg,
                              uint32_t out) {
  uint32_t B = p->B, dc = p->dc, bc = p->bc, dh = p->dh, hd = p->hd;
  uint32_t slot = (p->C - 1) * bc * dh;
  EMIT("; attention: Q, K, V of head block i, tokens block j");
  for (uint32_t h = 0; h < hd; h++) {
    uint32_t to[3] = {o->r.q + h * bc * dh, o->r.k + h * bc * dh, o->v + h * bc * dh};
    for (uint32_t m = 0; m < 3; m++) {
      gemm(p, xg, p->w + qkv_at(p, h, m), o->part, B, dc, dh, 0);
      lw_reduce_scatter(&p->row, o->part, bc * dh, nb->slots + (3 * h + m) * slot, to[m]);
    }
  }
  lw_emit_attention(&p->t, &o->r, p->i, p->j, o->v, 1, nb->og + p->j * bc * dh, p->nseq, B * dh);
  EMIT("; O[:, i] Wo[i, j], head by head as each O_h is gathered over the row ring");
  for (uint32_t h = 0; h < hd; h++) {
    lw_all_gather(&p->row, nb->og + h * B * dh, bc * dh, NULL, NULL);
    gemm(p, nb->og + h * B * dh, p->w + wo_at(p, h), o->part2, B, dh, dc, h > 0);
  }
  lw_reduce_scatter(&p->col, o->part2, p->br * dc, nb->slots2, out);
}

/* Attention backward, from dY gathered over the column ring (dyg, B x dc; a
 * copy in the weight buffer at dyw) to the gradient of its input (gathered
 * at xg in the forward pass) in T0 (out); the weights' gradients into the
 * gradient block. */
static void attention_backward(lp *p, const attn_own *o, const attn_nb *nb, uint32_t xg,
                               uint32_t dyg, uint32_t dyw, uint32_t out) {
  uint32_t B = p->B, dc = p->dc, bc = p->bc, dh = p->dh, hd = p->hd, s = p->s, g = p->g;
  uint32_t sd = s * dh, ss = s * s, rows = g * s, slot = (p->C - 1) * bc * dh;
  const attn_regs *r = &o->r;
  uint32_t part = act(p, B * dh), slots = act(p, hd * slot), d_o = act(p, g * sd);
  uint32_t dm = act(p, 3 * hd * B * dh); /* dQ, dK, dV of head h at dm + (3h + m) B dh */
  EMIT("; attention backward: dO_h = dY[:, j] Wo[h, j]^T over the row ring, dWo_h = O_h^T dY");
  for (uint32_t h = 0; h < hd; h++) {
    uint32_t wot = wgt(p, dc * dh);
    transpose_w(p, p->w + wo_at(p, h), wot, dh, dc);
    gemm(p, dyg, wot, part, B, dc, dh, 0);
    lw_reduce_scatter(&p->row, part, bc * dh, slots + h * slot, d_o + h * bc * dh);
    gemm(p, transpose(p, nb->og + h * B * dh, B, dh), dyw, p->dw + wo_at(p, h), dh, B, dc, 0);
  }
  /* group e = (head h, sequence q) writes head h's gradient at dm, its
     tokens block j, row q s */
#define DM(e, m) (dm + (3 * ((e) / p->nseq) + (m)) * B * dh + p->j * bc * dh + (e) % p->nseq * sd)
  EMIT("; dV = A^T dO, dA = dO V^T");
  uint32_t dow = wgt(p, g * sd), at = act(p, g * ss), vt = act(p, g * sd), vtw = wgt(p, g * sd);
  uint32_t da = act(p, g * ss), t = act(p, g * ss), dsum = act(p, rows);
  copy(p, "act", d_o, "wgt", dow, g * sd);
  for (uint32_t e = 0; e < g; e++) {
    EMIT("vtrans a=0x%x c=0x%x m=%u n=%u", r->sc + e * ss, at + e * ss, s, s);
    gemm(p, at + e * ss, dow + e * sd, DM(e, 2), s, s, dh, 0);
    EMIT("vtrans a=0x%x c=0x%x m=%u n=%u", o->v + e * sd, vt + e * sd, s, dh);
  }
  copy(p, "act", vt, "wgt", vtw, g * sd);
  for (uint32_t e = 0; e < g; e++) gemm(p, d_o + e * sd, vtw + e * sd, da + e * ss, s, dh, s, 0);
  EMIT("; dS = A (dA - rowsum(A dA)), all %u rows", rows);
  vec(p, "vmul", r->sc, da, t, g * ss);
  gemm(p, t, p->ones_w, dsum, rows, s, 1, 0);
  spread(p, dsum, rows, s, t, 1);
  vec(p, "vadd", da, t, da, g * ss);
  vec(p, "vmul", r->sc, da, da, g * ss);
  EMIT("; dQ = dS K / sqrt(dh), dK = dS^T (Q / sqrt(dh))");
  uint32_t kw = wgt(p, g * sd), dq = act(p, g * sd), dst = act(p, g * ss), qw = wgt(p, g * sd);
  copy(p, "act", r->k, "wgt", kw, g * sd);
  for (uint32_t e = 0; e < g; e++) gemm(p, da + e * ss, kw + e * sd, dq + e * sd, s, s, dh, 0);
  for (uint32_t h = 0; h < hd; h++)
    vec(p, "vmul", dq + h * bc * dh, r->scale, DM(h * p->nseq, 0), bc * dh);
  for (uint32_t e = 0; e < g; e++)
    EMIT("vtrans a=0x%x c=0x%x m=%u n=%u", da + e * ss, dst + e * ss, s, s);
  copy(p, "act", r->q, "wgt", qw, g * sd);
  for (uint32_t e = 0; e < g; e++) gemm(p, dst + e * ss, qw + e * sd, DM(e, 1), s, s, dh, 0);
#undef DM
  EMIT("; the projections: dIn = sum dM_h Wm[j, h]^T over the column ring, dWm = In^T dM_h");
  uint32_t xt = transpose(p, xg, B, dc), part2 = act(p, B * dc);
  uint32_t slots2 = act(p, (p->R - 1) * p->br * dc);
  for (uint32_t h = 0; h < hd; h++)
    for (uint32_t m = 0; m < 3; m++) {
      uint32_t gm = dm + (3 * h + m) * B * dh, wt = wgt(p, dh * dc), gw = wgt(p, B * dh);
      lw_all_gather(&p->row, gm, bc * dh, NULL, NULL);
      transpose_w(p, p->w + qkv_at(p, h, m), wt, dc, dh);
      gemm(p, gm, wt, part2, B, dh, dc, h + m > 0);
      copy(p, "act", gm, "wgt", gw, B * dh);
      gemm(p, xt, gw, p->dw + qkv_at(p, h, m), dc, B, dh, 0);
    }
  lw_reduce_scatter(&p->col, part2, p->br * dc, slots2, out);
}

/* ---- the FFN --------------------------------------------------------------------------- */

/* gelu(In W1) W2 from its input gathered over the column ring (xg) to out
 * (T0), without the residual. */
static void ffn_forward(lp *p, const ffn_own *o, const ffn_nb *nb, uint32_t xg, uint32_t out) {
  uint32_t B = p->B, dc = p->dc, bc = p->bc, hr = p->hr;
  EMIT("; the FFN: H[j, i] = In[:, j] W1[j, i] over the row ring, GeLU, W2 over the column "
       "ring");
  gemm(p, xg, p->w + p->wl.w1, o->part1, B, dc, hr, 0);
  lw_reduce_scatter(&p->row, o->part1, bc * hr, nb->slots1, o->hpre);
  EMIT("vgelu a=0x%x c=0x%x len=%u", o->hpre, nb->gg + p->j * bc * hr, bc * hr);
  lw_all_gather(&p->row, nb->gg, bc * hr, NULL, NULL);
  gemm(p, nb->gg, p->w + p->wl.w2, o->part3, B, hr, dc, 0);
  lw_reduce_scatter(&p->col, o->part3, p->br * dc, nb->slots3, out);
}

/* The FFN backward from dZ gathered over the column ring (dzg; a copy in the
 * weight buffer at dzw) to the gradient of its input (gathered at xg in the
 * forward pass) in T0 (out). */
static void ffn_backward(lp *p, const ffn_own *o, const ffn_nb *nb, uint32_t xg, uint32_t dzg,
                         uint32_t dzw, uint32_t out) {
  uint32_t B = p->B, dc = p->dc, bc = p->bc, hr = p->hr;
  uint32_t w2t = wgt(p, dc * hr), w1t = wgt(p, hr * dc), dhw = wgt(p, B * hr);
  uint32_t part1 = act(p, B * hr), slots1 = act(p, (p->C - 1) * bc * hr), dg = act(p, bc * hr);
  uint32_t t = act(p, bc * hr), dhg = act(p, B * hr), part3 = act(p, B * dc);
  uint32_t slots3 = act(p, (p->R - 1) * p->br * dc);
  EMIT("; FFN backward: dG[j, i] = dZ[:, j] W2[i, j]^T over the row ring, dW2 = G^T dZ");
  transpose_w(p, p->w + p->wl.w2, w2t, hr, dc);
  gemm(p, dzg, w2t, part1, B, dc, hr, 0);
  lw_reduce_scatter(&p->row, part1, bc * hr, slots1, dg);
  gemm(p, transpose(p, nb->gg, B, hr), dzw, p->dw + p->wl.w2, hr, B, dc, 0);
  EMIT("; dH = dG gelu'(H), gathered; dIn = dH W1[j, i]^T over the column ring, dW1 = In^T dH");
  EMIT("vgelud a=0x%x c=0x%x len=%u", o->hpre, t, bc * hr);
  vec(p, "vmul", dg, t, dhg + p->j * bc * hr, bc * hr);
  lw_all_gather(&p->row, dhg, bc * hr, NULL, NULL);
  transpose_w(p, p->w + p->wl.w1, w1t, dc, hr);
  gemm(p, dhg, w1t, part3, B, hr, dc, 0);
  lw_reduce_scatter(&p->col, part3, p->br * dc, slots3, out);
  copy(p, "act", dhg, "wgt", dhw, B * hr);
  gemm(p, transpose(p, xg, B, dc), dhw, p->dw + p->wl.w1, dc, B, hr, 0);
}

/* ---- the layer --------------------------------------------------------------------------- */

/* The start of a layer's or block's lowering: out emptied, its mesh and kind
 * (TSR_LOWERED_*) set; -1 with err naming `what` unless the mesh has what the
 * 2D scheme needs: at least 2 x 2 dies, bypass rings both ways, IO dies. */
static int lower_begin(const tsr_config *cfg, tsr_lowered *out, int kind, const char *what,
                       char err[TSR_ISA_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols;
  memset(out, 0, sizeof *out);
  out->rows = (int)R;
  out->cols = (int)C;
  out->kind = kind;
  if (R < 2 || C < 2 || !cfg->mesh.bypass_rows || !cfg->mesh.bypass_cols || !cfg->mesh.io_dies) {
    snprintf(err, TSR_ISA_ERR_LEN, "%s: expected a mesh of at least 2 x 2 dies with bypass rings "
             "on rows and columns and IO dies", what);
    return -1;
  }
  return 0;
}

static int layer_ok(const tsr_config *cfg, const tsr_layer *L, char err[TSR_ISA_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols, B = L->tokens, D = L->d_model, H = L->heads;
  uint32_t s = L->seq, F = L->d_ffn;
  if (!B || !D || !H || !F || !lw_seq_ok(s) || B % R || B % C || (B / C) % s || D % C || D % H ||
      H % R || F % R || B > 4096 || D > 4096 || F > 4096 || H / R * (B / C) > 4096) {
    snprintf(err, TSR_ISA_ERR_LEN, "transformer layer: tokens=%u d_model=%u heads=%u seq=%u "
             "d_ffn=%u: expected seq a power of two 2..64, tokens a multiple of rows (%u) and of "
             "cols x seq (%u), d_model of cols and heads, heads and d_ffn of rows, each 1..4096",
             B, D, H, s, F, R, C * s);
    return -1;
  }
  if (!(L->lr > 0) || !isfinite(L->lr)) {
    snprintf(err, TSR_ISA_ERR_LEN, "transformer layer: lr=%g: expected a finite rate above 0",
             (double)L->lr);
    return -1;
  }
  return 0;
}

/* Die d's program state: B tokens of sequences of s, D features, H heads
 * (0: no attention), F FFN features (0: no FFN). */
static void lp_init(lp *p, const tsr_config *cfg, uint32_t d, uint32_t B, uint32_t D, uint32_t H,
                    uint32_t s, uint32_t F) {
  memset(p, 0, sizeof *p);
  p->R = cfg->mesh.rows, p->C = cfg->mesh.cols, p->i = d / p->C, p->j = d % p->C;
  p->B = B, p->D = D, p->F = F, p->s = s;
  p->dc = D / p->C, p->br = B / p->R, p->bc = B / p->C, p->hr = F / p->R;
  if (H) p->hd = H / p->R, p->dh = D / H, p->nseq = p->bc / s, p->g = p->hd * p->nseq;
  p->wl = layout(p->hd, p->dc, p->dh, p->hr);
  p->row = (coll){&p->t, (int)p->i, (int)p->j, 1, {(int)p->j, (int)p->C}, 0};
  p->col = (coll){&p->t, (int)p->i, (int)p->j, 0, {(int)p->i, (int)p->R}, 0};
  p->act = lw_buffer_arena(cfg, d, 0), p->wgt = lw_buffer_arena(cfg, d, 1);
}

/* The program's end: out of room or too long names what (out freed), else
 * the text is die d's. */
static int lp_finish(lp *p, const tsr_config *cfg, uint32_t d, uint32_t dram_top,
                     tsr_lowered *out, const char *what, char err[TSR_ISA_ERR_LEN]) {
  EMIT("halt");
  if (lw_out_of_room(&p->act, &p->wgt, dram_top, what, p->i, p->j, "fewer tokens or features",
                     out, err)) {
    free(p->t.s);
    return -1;
  }
  if (lw_fits(cfg, (int)d, &p->t, out, what, err)) return -1;
  out->text[d] = p->t.s;
  return 0;
}

static lp state; /* the largest of the per-die state; one die at a time */

int tsr_lower_layer(const tsr_config *cfg, const tsr_layer *L, tsr_lowered *out,
                    char err[TSR_ISA_ERR_LEN]) {
  if (lower_begin(cfg, out, TSR_LOWERED_LAYER, "transformer layer", err)) return -1;
  out->tl = *L;
  if (layer_ok(cfg, L, err)) return -1;
  lp *p = &state;
  for (uint32_t d = 0; d < cfg->mesh.rows * cfg->mesh.cols; d++) {
    lp_init(p, cfg, d, L->tokens, L->d_model, L->heads, L->seq, L->d_ffn);
    uint32_t n = p->br * p->dc;
    tsr_lower_die *ld = &out->die[d];
    ld->align_act = p->act.align, ld->align_wgt = p->wgt.align;
    consts_at ca = consts_layout(p->g, p->s, p->dh, p->br, p->B, p->dc, ld->align_act,
                                 ld->align_wgt);
    ld->io = 2 * (int)p->i + tsr_io_side(cfg, (int)p->j);
    uint32_t *top = &out->dram_words[ld->io];
    ld->wf = *top, *top += ca.act_words + ca.wgt_words;
    ld->wt = *top, *top += p->wl.total;
    ld->xf = *top, *top += n;
    ld->dy = *top, *top += L->backward ? n : 0;
    ld->y = *top, *top += n;
    ld->dx = *top, *top += L->backward ? n : 0;
    ld->wnew = *top, *top += L->backward ? p->wl.total : 0;

    /* the constants, in the order of their DRAM image */
    attn_own ao;
    attn_nb an;
    ffn_own fo;
    ffn_nb fn;
    memset(&ao, 0, sizeof ao);
    attn_regs *r = &ao.r;
    r->scale = act(p, ca.act_words), r->neg1 = r->scale + ca.neg1;
    p->neglr = r->scale + ca.neglr, p->rn = r->scale + ca.rn, p->nrn = p->rn + p->br;
    p->eps = r->scale + ca.eps, p->ones_a = r->scale + ca.ones_a;
    p->ones_w = wgt(p, ca.wgt_words), p->neg1_w = p->ones_w + ca.neg1_w, r->ones = p->ones_w;
    p->w = wgt(p, p->wl.total);
    take_attn(p, &ao, &an);
    take_ffn(p, &fo, &fn);
    uint32_t x = act(p, n);

    EMIT("; transformer layer on die (row %u, col %u): B=%u D=%u heads=%u seq=%u F=%u, %s", p->i,
         p->j, p->B, p->D, L->heads, p->s, p->F,
         L->backward ? "forward, backward, update" : "forward");
    EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->wf, r->scale, ca.act_words);
    EMIT("drd dram=0x%x dst=wgt:0x%x len=%u", ld->wf + ca.act_words, p->ones_w, ca.wgt_words);
    EMIT("wait msgs=2 chan=mesh");
    EMIT("drd dram=0x%x dst=wgt:0x%x len=%u", ld->wt, p->w, p->wl.total);
    EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->xf, x, n);
    EMIT("wait msgs=2 chan=mesh");

    EMIT("; forward: Y = X + attention(LN1(X))");
    ln_kept ln1, ln2;
    uint32_t a1g = act(p, p->B * p->dc), y = act(p, n), b2g = act(p, p->B * p->dc), z = act(p, n);
    ln_forward(p, x, p->w + p->wl.ln, p->w + p->wl.ln + p->dc, a1g + p->i * n, &ln1);
    lw_all_gather(&p->col, a1g, n, NULL, NULL);
    attention_forward(p, &ao, &an, a1g, y);
    vec(p, "vadd", y, x, y, n);
    EMIT("; Z = Y + FFN(LN2(Y))");
    ln_forward(p, y, p->w + p->wl.ln + 2 * p->dc, p->w + p->wl.ln + 3 * p->dc, b2g + p->i * n,
               &ln2);
    lw_all_gather(&p->col, b2g, n, NULL, NULL);
    ffn_forward(p, &fo, &fn, b2g, z);
    vec(p, "vadd", z, y, z, n);
    EMIT("dwr src=act:0x%x dram=0x%x len=%u", z, ld->y, n);

    if (L->backward) {
      p->dw = act(p, p->wl.total);
      uint32_t dzg = act(p, p->B * p->dc), dzw = wgt(p, p->B * p->dc), dbn = act(p, n);
      uint32_t dyg = act(p, p->B * p->dc), dyw = wgt(p, p->B * p->dc), t = act(p, n);
      uint32_t dal = act(p, n), dx = act(p, n), wold = act(p, p->wl.total);
      EMIT("; backward from dZ: the FFN, LN2, the residual");
      EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->dy, dzg + p->i * n, n);
      EMIT("wait msgs=1 chan=mesh");
      lw_all_gather(&p->col, dzg, n, NULL, NULL);
      copy(p, "act", dzg, "wgt", dzw, p->B * p->dc);
      ffn_backward(p, &fo, &fn, b2g, dzg, dzw, dbn);
      ln_backward(p, dbn, &ln2, p->w + p->wl.ln + 2 * p->dc, t, p->dw + p->wl.ln + 2 * p->dc);
      vec(p, "vadd", t, dzg + p->i * n, dyg + p->i * n, n);
      EMIT("; attention, LN1, the residual");
      lw_all_gather(&p->col, dyg, n, NULL, NULL);
      copy(p, "act", dyg, "wgt", dyw, p->B * p->dc);
      attention_backward(p, &ao, &an, a1g, dyg, dyw, dal);
      ln_backward(p, dal, &ln1, p->w + p->wl.ln, dx, p->dw + p->wl.ln);
      vec(p, "vadd", dx, dyg + p->i * n, dx, n);
      EMIT("dwr src=act:0x%x dram=0x%x len=%u", dx, ld->dx, n);
      EMIT("; the update: every parameter W = -lr dW + W, one VAXPY over the block");
      EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->wt, wold, p->wl.total);
      EMIT("wait msgs=1 chan=mesh");
      EMIT("vaxpy x=0x%x y=0x%x s=0x%x len=%u", p->dw, wold, p->neglr, p->wl.total);
      EMIT("dwr src=act:0x%x dram=0x%x len=%u", wold, ld->wnew, p->wl.total);
    }
    if (lp_finish(p, cfg, d, *top, out, "transformer layer", err)) return -1;
  }
  return 0;
}

/* Die d's weight block, in its layout, for D features, H heads (0: none)
 * and F FFN features (0: none). */
typedef struct {
  uint32_t i, j, D, F, dc, hd, dh, hr;
  wlayout wl;
} die_blocks;

static die_blocks blocks_of(const tsr_lowered *l, int d, uint32_t D, uint32_t H, uint32_t F) {
  die_blocks b;
  b.i = (uint32_t)(d / l->cols), b.j = (uint32_t)(d % l->cols);
  b.D = D, b.F = F, b.dc = D / (uint32_t)l->cols, b.hr = F / (uint32_t)l->rows;
  b.hd = H ? H / (uint32_t)l->rows : 0, b.dh = H ? D / H : 0;
  b.wl = layout(b.hd, b.dc, b.dh, b.hr);
  return b;
}

/* Copy every parameter w[] has (wq, wk, wv, wo, w1, w2, g1, b1, g2, b2; NULL
 * for none) between its matrix and the block at m (to DRAM, or back). */
static void params(const die_blocks *b, uint32_t *m, float *const *w, int to) {
  uint32_t dc = b->dc, dh = b->dh, hr = b->hr, D = b->D;
#define MOVE(k, at, ld, r0, c0, h, wd)                                                             \
  if (w[k])                                                                                        \
    (to ? lw_to_dram(m + (at), w[k], (ld), (r0), (c0), (h), (wd), 0)                              \
        : lw_from_dram(w[k], m + (at), (ld), (r0), (c0), (h), (wd)))
  for (uint32_t h = 0; h < b->hd; h++) {
    uint32_t col = (b->i * b->hd + h) * dh; /* the head's features */
    for (uint32_t k = 0; k < 3; k++) MOVE(k, b->wl.qkv + (3 * h + k) * dc * dh, D, b->j * dc, col, dc, dh);
    MOVE(3, b->wl.wo + h * dh * dc, D, col, b->j * dc, dh, dc);
  }
  MOVE(4, b->wl.w1, b->F, b->j * dc, b->i * hr, dc, hr);
  MOVE(5, b->wl.w2, D, b->i * hr, b->j * dc, hr, dc);
  for (uint32_t k = 0; k < 4; k++) MOVE(6 + k, b->wl.ln + k * dc, D, 0, b->j * dc, 1, dc);
#undef MOVE
}

void tsr_lower_load_layer(const tsr_lowered *l, const tsr_layer_data *x, uint32_t **dram) {
  const tsr_layer *L = &l->tl;
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, D = L->d_model, B = L->tokens;
  float *const w[10] = {(float *)x->wq, (float *)x->wk, (float *)x->wv, (float *)x->wo,
                        (float *)x->w1, (float *)x->w2, (float *)x->g1, (float *)x->b1,
                        (float *)x->g2, (float *)x->b2};
  for (uint32_t d = 0; d < R * C; d++) {
    die_blocks b = blocks_of(l, (int)d, D, L->heads, L->d_ffn);
    const tsr_lower_die *ld = &l->die[d];
    uint32_t *m = dram[ld->io], br = B / R, s = L->seq;
    uint32_t g = b.hd * (B / C / s), lw_ = max_u(b.dc, s);
    consts_at ca = consts_layout(g, s, b.dh, br, B, b.dc, ld->align_act, ld->align_wgt);
    uint32_t *c = m + ld->wf, *cw = c + ca.act_words;
    for (uint32_t e = 0; e < g * s * b.dh; e++) c[e] = lw_bits(1.0f / sqrtf((float)b.dh));
    c[ca.neg1] = lw_bits(-1.0f);
    c[ca.neglr] = lw_bits(-L->lr);
    for (uint32_t e = 0; e < br; e++) c[ca.rn + e] = lw_bits(1.0f / (float)D);
    for (uint32_t e = 0; e < br; e++) c[ca.rn + br + e] = lw_bits(-1.0f / (float)D);
    for (uint32_t e = 0; e < br; e++) c[ca.eps + e] = lw_bits(LN_EPS);
    for (uint32_t e = 0; e < B; e++) c[ca.ones_a + e] = lw_bits(1.0f);
    for (uint32_t e = 0; e < lw_; e++) cw[e] = lw_bits(1.0f), cw[ca.neg1_w + e] = lw_bits(-1.0f);
    params(&b, m + ld->wt, w, 1);
    lw_to_dram(m + ld->xf, x->x, D, b.i * br, b.j * b.dc, br, b.dc, 0);
    if (L->backward) lw_to_dram(m + ld->dy, x->dz, D, b.i * br, b.j * b.dc, br, b.dc, 0);
  }
}

void tsr_lower_results_layer(const tsr_lowered *l, uint32_t *const *dram, tsr_layer_out *o) {
  const tsr_layer *L = &l->tl;
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, D = L->d_model, br = L->tokens / R;
  float *const w[10] = {o->wq, o->wk, o->wv, o->wo, o->w1, o->w2, o->g1, o->b1, o->g2, o->b2};
  for (uint32_t d = 0; d < R * C; d++) {
    die_blocks b = blocks_of(l, (int)d, D, L->heads, L->d_ffn);
    const tsr_lower_die *ld = &l->die[d];
    const uint32_t *m = dram[ld->io];
    lw_from_dram(o->z, m + ld->y, D, b.i * br, b.j * b.dc, br, b.dc);
    if (!L->backward) continue;
    lw_from_dram(o->dx, m + ld->dx, D, b.i * br, b.j * b.dc, br, b.dc);
    params(&b, (uint32_t *)(m + ld->wnew), w, 0); /* each column's dies hold the same LN rows */
  }
}

/* ---- the FFN and attention blocks alone, forward ------------------------------------------ */

/* Die d's tile in X's tiling (tokens block i, features block j) of every
 * mini-batch of a [n][B][D] tensor, to DRAM (mini-batch k's at
 * at + base + k stride) or back from it. */
static void minibatch_tiles(const tsr_lowered *l, uint32_t d, uint32_t *at, float *t, uint32_t n,
                            uint32_t B, uint32_t D, int to) {
  const tsr_lower_die *ld = &l->die[d];
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, br = B / R, dc = D / C;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t *m = at + ld->base + k * ld->stride;
    float *tk = t + (size_t)k * B * D;
    if (to) lw_to_dram(m, tk, D, d / C * br, d % C * dc, br, dc, 0);
    else lw_from_dram(tk, m, D, d / C * br, d % C * dc, br, dc);
  }
}

/* A block's DRAM: its weight block at wt, then N mini-batches of X[i, j] (at
 * xf) and Y[i, j] (at y), `stride` apart from base. */
static void block_dram(lp *p, const tsr_config *cfg, tsr_lowered *out, uint32_t d, uint32_t consts,
                       uint32_t weights, uint32_t N) {
  tsr_lower_die *ld = &out->die[d];
  ld->io = 2 * (int)p->i + tsr_io_side(cfg, (int)p->j);
  uint32_t *top = &out->dram_words[ld->io];
  ld->wf = *top, *top += consts;
  ld->wt = *top, *top += weights;
  ld->xf = 0, ld->y = p->br * p->dc, ld->stride = 2 * p->br * p->dc;
  ld->base = *top, *top += N * ld->stride;
}

/* Each mini-batch: X[i, j] from DRAM, gathered over the column ring into xg
 * (of its parity), the block, the residual, Y[i, j] to DRAM. The next
 * mini-batch's DRD goes out early with `early` (a block with no WAIT on the
 * mesh channel, which its answer would count, and tsr_lower_early_loads):
 * right after this mini-batch's WAIT, as Algorithm 1's passes do
 * (docs/lowering.md); else before the DWR, once every message of this one
 * has arrived. */
typedef void (*block_fn)(lp *p, int parity, uint32_t xg, uint32_t out, void *ctx);
static void block_minibatches(lp *p, const tsr_lower_die *ld, uint32_t N, const uint32_t xg[2],
                              uint32_t z, block_fn block, void *ctx, int early) {
  uint32_t n = p->br * p->dc;
  EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->base + ld->xf, xg[0] + p->i * n, n);
  for (uint32_t k = 0; k < N; k++) {
    int par = (int)(k & 1), next = k + 1 < N;
    uint32_t at = ld->base + k * ld->stride, x = xg[par] + p->i * n;
    EMIT("; mini-batch %u: X[:, j]", k);
    EMIT("wait msgs=1 chan=mesh");
    if (next && early)
      EMIT("drd dram=0x%x dst=act:0x%x len=%u", at + ld->stride + ld->xf, xg[!par] + p->i * n, n);
    lw_all_gather(&p->col, xg[par], n, NULL, NULL);
    block(p, par, xg[par], z, ctx);
    EMIT("; the residual: Y[i, j] + X[i, j], in X's own tiling");
    vec(p, "vadd", z, x, z, n);
    if (next && !early)
      EMIT("drd dram=0x%x dst=act:0x%x len=%u", at + ld->stride + ld->xf, xg[!par] + p->i * n, n);
    EMIT("dwr src=act:0x%x dram=0x%x len=%u", z, at + ld->y, n);
  }
}

typedef struct {
  ffn_own o;
  ffn_nb nb[2];
} ffn_block;
static void ffn_step(lp *p, int parity, uint32_t xg, uint32_t out, void *ctx) {
  ffn_block *f = ctx;
  ffn_forward(p, &f->o, &f->nb[parity], xg, out);
}

int tsr_lower_ffn(const tsr_config *cfg, const tsr_ffn *f, tsr_lowered *out,
                  char err[TSR_ISA_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols, B = f->tokens, N = f->minibatches;
  if (lower_begin(cfg, out, TSR_LOWERED_FFN, "ffn", err)) return -1;
  out->ffn = *f;
  if (!B || !N || !f->d_model || !f->d_hidden || B % R || B % C || f->d_model % C ||
      f->d_hidden % R || B > 4096 || f->d_model > 4096 || f->d_hidden > 4096) {
    snprintf(err, TSR_ISA_ERR_LEN, "ffn: tokens=%u d_model=%u d_hidden=%u minibatches=%u: expected "
             "tokens a multiple of the rows (%u) and cols (%u), d_model of the cols, d_hidden of "
             "the rows, each 1..4096, minibatches at least 1", B, f->d_model, f->d_hidden, N, R, C);
    return -1;
  }
  lp *p = &state;
  static ffn_block fb;
  for (uint32_t d = 0; d < R * C; d++) {
    lp_init(p, cfg, d, B, f->d_model, 0, 1, f->d_hidden);
    block_dram(p, cfg, out, d, 0, p->wl.ln, N); /* W1[j, i], W2[i, j] */
    p->w = wgt(p, p->wl.ln);
    uint32_t xg[2], z;
    take_ffn(p, &fb.o, NULL);
    z = act(p, p->br * p->dc);
    for (int par = 0; par < 2; par++) xg[par] = act(p, B * p->dc), take_ffn(p, NULL, &fb.nb[par]);
    const tsr_lower_die *ld = &out->die[d];
    EMIT("; FFN forward on die (row %u, col %u): Z = X + gelu(X W1) W2, B=%u D=%u Dh=%u, %u "
         "mini-batches", p->i, p->j, B, f->d_model, f->d_hidden, N);
    EMIT("drd dram=0x%x dst=wgt:0x%x len=%u", ld->wt, p->w, p->wl.ln);
    EMIT("wait msgs=1 chan=mesh");
    block_minibatches(p, ld, N, xg, z, ffn_step, &fb, tsr_lower_early_loads(cfg));
    if (lp_finish(p, cfg, d, out->dram_words[ld->io], out, "ffn", err)) return -1;
  }
  return 0;
}

void tsr_lower_load_ffn(const tsr_lowered *l, const tsr_ffn_data *x, uint32_t **dram) {
  const tsr_ffn *f = &l->ffn;
  float *const w[10] = {NULL, NULL, NULL, NULL, (float *)x->w1, (float *)x->w2};
  for (uint32_t d = 0; d < (uint32_t)(l->rows * l->cols); d++) {
    const tsr_lower_die *ld = &l->die[d];
    die_blocks b = blocks_of(l, (int)d, f->d_model, 0, f->d_hidden);
    params(&b, dram[ld->io] + ld->wt, w, 1);
    minibatch_tiles(l, d, dram[ld->io] + ld->xf, (float *)x->x, f->minibatches, f->tokens,
                    f->d_model, 1);
  }
}

void tsr_lower_results_ffn(const tsr_lowered *l, uint32_t *const *dram, float *z) {
  const tsr_ffn *f = &l->ffn;
  for (uint32_t d = 0; d < (uint32_t)(l->rows * l->cols); d++)
    minibatch_tiles(l, d, dram[l->die[d].io] + l->die[d].y, z, f->minibatches, f->tokens,
                    f->d_model, 0);
}

typedef struct {
  attn_own o;
  attn_nb nb[2];
} attn_block;
static void attn_step(lp *p, int parity, uint32_t xg, uint32_t out, void *ctx) {
  attn_block *a = ctx;
  attention_forward(p, &a->o, &a->nb[parity], xg, out);
}

int tsr_lower_attn_block(const tsr_config *cfg, const tsr_attn_block *b, tsr_lowered *out,
                         char err[TSR_ISA_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols, B = b->tokens, D = b->d_model, H = b->heads;
  uint32_t s = b->seq, N = b->minibatches;
  if (lower_begin(cfg, out, TSR_LOWERED_ATTN_BLOCK, "attention block", err)) return -1;
  out->ablk = *b;
  if (!B || !N || !D || !H || !lw_seq_ok(s) || B % R || B % C || (B / C) % s || D % C || H % R ||
      D % H || B > 4096 || D > 4096 || H / R * (B / C) > 4096) {
    snprintf(err, TSR_ISA_ERR_LEN, "attention block: tokens=%u d_model=%u heads=%u seq=%u "
             "minibatches=%u: expected seq a power of two 2..64, tokens a multiple of rows (%u) and "
             "of cols x seq (%u), d_model of cols and heads, heads of rows, each 1..4096", B, D, H,
             s, N, R, C * s);
    return -1;
  }
  lp *p = &state;
  static attn_block ab;
  for (uint32_t d = 0; d < R * C; d++) {
    lp_init(p, cfg, d, B, D, H, s, 0);
    uint32_t gsd = p->g * s * p->dh, xg[2], z;
    block_dram(p, cfg, out, d, lw_attn_consts(p->g, s, p->dh), p->wl.w1, N); /* Wq, Wk, Wv, Wo */
    memset(&ab, 0, sizeof ab);
    ab.o.r.scale = act(p, gsd + 1), ab.o.r.neg1 = ab.o.r.scale + gsd; /* one DRD: the scale, -1 */
    p->w = wgt(p, p->wl.w1);
    ab.o.r.ones = p->ones_w = wgt(p, s);
    take_attn(p, &ab.o, NULL);
    z = act(p, p->br * p->dc);
    for (int par = 0; par < 2; par++) xg[par] = act(p, B * p->dc), take_attn(p, NULL, &ab.nb[par]);
    const tsr_lower_die *ld = &out->die[d];
    EMIT("; attention block forward on die (row %u, col %u): Y = X + O Wo, B=%u D=%u, heads "
         "%u..%u of %u, seq %u, %u mini-batches", p->i, p->j, B, D, p->i * p->hd,
         p->i * p->hd + p->hd - 1, H, s, N);
    EMIT("drd dram=0x%x dst=act:0x%x len=%u", ld->wf, ab.o.r.scale, gsd + 1);
    EMIT("drd dram=0x%x dst=wgt:0x%x len=%u", ld->wf + gsd + 1, p->ones_w, s);
    EMIT("wait msgs=2 chan=mesh");
    EMIT("drd dram=0x%x dst=wgt:0x%x len=%u", ld->wt, p->w, p->wl.w1);
    EMIT("wait msgs=1 chan=mesh");
    block_minibatches(p, ld, N, xg, z, attn_step, &ab, 0);
    if (lp_finish(p, cfg, d, out->dram_words[ld->io], out, "attention block", err)) return -1;
  }
  return 0;
}

void tsr_lower_load_attn_block(const tsr_lowered *l, const tsr_attn_block_data *x,
                               uint32_t **dram) {
  const tsr_attn_block *b = &l->ablk;
  float *const w[10] = {(float *)x->wq, (float *)x->wk, (float *)x->wv, (float *)x->wo};
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, hd = b->heads / R;
  for (uint32_t d = 0; d < R * C; d++) {
    const tsr_lower_die *ld = &l->die[d];
    die_blocks bl = blocks_of(l, (int)d, b->d_model, b->heads, 0);
    lw_load_attn_consts(dram[ld->io] + ld->wf, hd * (b->tokens / C / b->seq), b->seq, bl.dh);
    params(&bl, dram[ld->io] + ld->wt, w, 1);
    minibatch_tiles(l, d, dram[ld->io] + ld->xf, (float *)x->x, b->minibatches, b->tokens,
                    b->d_model, 1);
  }
}

void tsr_lower_results_attn_block(const tsr_lowered *l, uint32_t *const *dram, float *y) {
  const tsr_attn_block *b = &l->ablk;
  for (uint32_t d = 0; d < (uint32_t)(l->rows * l->cols); d++)
    minibatch_tiles(l, d, dram[l->die[d].io] + l->die[d].y, y, b->minibatches, b->tokens,
                    b->d_model, 0);
}
