/* lower.c - see lower.h and docs/lowering.md.
 *
 * Every die's program follows the same phase order, so the messages a die
 * receives on one channel come from one sender in the order it sent them:
 * column ring from the column predecessor (all-gathers of X and dY), row ring
 * from the row predecessor (reduce-scatters, the X^T all-gather), and the mesh
 * only from the die itself (DRD answers, a local copy), always waited for in
 * full. Each WAIT names its channel (docs/isa.md), so it can only be met by
 * the message it is for. Buffers that a neighbour writes are doubled by
 * mini-batch parity: a neighbour can run at most one mini-batch ahead, since
 * finishing a mini-batch's collective needs this die's own first message of
 * that mini-batch. */
#include "lower.h"
#include "lower_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "die_sched.h"
#include "noc.h"

void lw_emit(text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (t->len + (size_t)need + 2 > t->cap) {
    size_t cap = (t->cap ? 2 * t->cap : 4096) + (size_t)need;
    char *s = realloc(t->s, cap);
    if (!s) abort();
    t->s = s;
    t->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(t->s + t->len, (size_t)need + 1, fmt, ap);
  va_end(ap);
  t->len += (size_t)need;
  t->s[t->len++] = '\n';
  t->s[t->len] = '\0';
  if (fmt[0] != ';') t->insns++;
}

static int succ(ring r) {
  return tsr_ring_next(r.me, r.n);
}
/* The member k steps before this one. */
static int back(ring r, int k) {
  int p = r.me;
  while (k-- > 0)
    p = tsr_ring_prev(p, r.n);
  return p;
}

/* async: the SEND retires at once and its flits go while the die goes on */
static void send_to(const coll *c, int member, uint32_t src, uint32_t dst, uint32_t len,
                    int async) {
  int row = c->is_row ? c->row : member, col = c->is_row ? member : c->col;
  lw_emit(c->t, "send row=%d col=%d src=act:0x%x dst=act:0x%x len=%u%s%s", row, col, src, dst,
          len, c->on_mesh ? "" : " chan=ring", async ? " async=1" : "");
}

static const char *chan(const coll *c) {
  return c->on_mesh ? "mesh" : c->is_row ? "row" : "col";
}

/* All-gather of `tile`-word tiles at base + member x tile, this die's own
 * in place. `after(k)` runs once tile k is here (this die's first), for
 * work that overlaps the ring: then the SENDs are async, so the tile goes on
 * to the successor while the die works on it (the work must not write the
 * tiles; the next SEND waits for the transmitter). */
void lw_all_gather(const coll *c, uint32_t base, uint32_t tile, tile_fn after, void *ctx) {
  if (c->r.n < 2) {
    if (after) after(ctx, c->r.me);
    return;
  }
  lw_emit(c->t, "; all-gather over the %s ring%s", c->is_row ? "row" : "column",
          c->on_mesh ? ", on the mesh" : "");
  uint32_t mine = base + (uint32_t)c->r.me * tile;
  int async = after != NULL;
  send_to(c, succ(c->r), mine, mine, tile, async);
  if (after) after(ctx, c->r.me);
  for (int s = 1; s < c->r.n; s++) {
    int from = back(c->r, s);
    uint32_t at = base + (uint32_t)from * tile;
    lw_emit(c->t, "wait msgs=1 chan=%s", chan(c));
    if (s + 1 < c->r.n) send_to(c, succ(c->r), at, at, tile, async);
    if (after) after(ctx, from);
  }
}

/* Reduce-scatter of the partial sums at part (chunk k at part + k x chunk)
 * through the slots (n - 1 chunks, this die's own); the sum of this die's
 * chunk ends at `to`, or with IN_SLOT in its last slot: returns where. Chunk
 * k is summed along the ring from the member after k, ending at k. */
uint32_t lw_reduce_scatter(const coll *c, uint32_t part, uint32_t chunk, uint32_t slots,
                           uint32_t to) {
  if (c->r.n < 2) return part + (uint32_t)c->r.me * chunk;
  lw_emit(c->t, "; reduce-scatter over the %s ring%s", c->is_row ? "row" : "column",
          c->on_mesh ? ", on the mesh" : "");
  send_to(c, succ(c->r), part + (uint32_t)back(c->r, 1) * chunk, slots, chunk, 0);
  for (int s = 1; s < c->r.n; s++) {
    uint32_t slot = slots + (uint32_t)(s - 1) * chunk;
    uint32_t sum = s + 1 < c->r.n || to == IN_SLOT ? slot : to;
    lw_emit(c->t, "wait msgs=1 chan=%s", chan(c));
    lw_emit(c->t, "vadd a=0x%x b=0x%x c=0x%x len=%u", slot,
            part + (uint32_t)back(c->r, s + 1) * chunk, sum, chunk);
    if (s + 1 < c->r.n) send_to(c, succ(c->r), slot, slot + chunk, chunk, 0);
  }
  return to == IN_SLOT ? slots + (uint32_t)(c->r.n - 2) * chunk : to;
}

uint32_t lw_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
float lw_val(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* Copy an h x w block of a row-major matrix (leading dimension ld) at (r0,
 * c0) to or from consecutive words; `tr` reads the block's transpose. */
void lw_to_dram(uint32_t *dst, const float *m, uint32_t ld, uint32_t r0, uint32_t c0, uint32_t h,
                uint32_t w, int tr) {
  for (uint32_t r = 0; r < h; r++)
    for (uint32_t c = 0; c < w; c++)
      dst[r * w + c] =
          lw_bits(tr ? m[(size_t)(r0 + c) * ld + c0 + r] : m[(size_t)(r0 + r) * ld + c0 + c]);
}
void lw_from_dram(float *m, const uint32_t *src, uint32_t ld, uint32_t r0, uint32_t c0, uint32_t h,
                  uint32_t w) {
  for (uint32_t r = 0; r < h; r++)
    for (uint32_t c = 0; c < w; c++)
      m[(size_t)(r0 + r) * ld + c0 + c] = lw_val(src[r * w + c]);
}

/* ---- buffer and DRAM allocation ---------------------------------------------- */

arena lw_buffer_arena(const tsr_config *cfg, int d, int weight) {
  const tsr_die_cfg *die = &cfg->dies[d];
  const tsr_buffer_cfg *b = weight ? &die->weight_buffer : &die->act_buffer;
  return (arena){0, (uint32_t)tsr_buffer_words(b), weight ? "weight" : "activation", 0,
                 die->local_lanes ? tsr_buf_lanes(b) : 1};
}

uint32_t lw_take(arena *a, uint32_t words) {
  uint64_t at = lw_round_up(a->used, a->align), end = at + words;
  if (end > a->size) a->bad = 1;
  a->used = end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
  return (uint32_t)at;
}

/* Whether die (row i, col j)'s buffers and its IO die's DRAM (`top` words in
 * use) hold what `what` laid out; if not, err names which and what to shrink
 * (`hint`), and out is freed. */
int lw_out_of_room(const arena *act, const arena *wgt, uint32_t top, const char *what, uint32_t i,
                   uint32_t j, const char *hint, tsr_lowered *out, char err[TSR_ISA_ERR_LEN]) {
  const arena *a = act->bad ? act : wgt;
  if (top > TSR_IO_DRAM_WORDS)
    snprintf(err, TSR_ISA_ERR_LEN,
             "%s: the data of row %u needs %u words of its IO die's DRAM, "
             "which holds %u",
             what, i, top, TSR_IO_DRAM_WORDS);
  else if (a->bad)
    snprintf(err, TSR_ISA_ERR_LEN,
             "%s: die (row %u, col %u) needs %u words of its %s buffer, "
             "which holds %u; expected %s",
             what, i, j, a->used, a->name, a->size, hint);
  else
    return 0;
  tsr_lowered_free(out);
  return -1;
}

/* The dW GEMM of one X^T tile, run as tiles arrive on the row ring. */
typedef struct {
  text *t;
  uint32_t xt, tile_xt, dyw, tile_dy, dw, ir, bc, oc;
  int first;
} dw_ctx;

static void dw_gemm(void *p, int member) {
  dw_ctx *c = p;
  lw_emit(c->t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u acc=%d",
          c->xt + (uint32_t)member * c->tile_xt, c->dyw + (uint32_t)member * c->tile_dy, c->dw,
          c->ir, c->bc, c->oc, !c->first);
  c->first = 0;
}

int tsr_lower_early_loads(const tsr_config *cfg) { return tsr_io_flit_pace(cfg) == 1; }

tsr_alg1_pass tsr_alg1_first(const tsr_linear *L) {
  return L->forward ? TSR_PASS_FWD : TSR_PASS_BWD;
}

tsr_alg1_pass tsr_alg1_next(const tsr_linear *L, tsr_alg1_pass k, uint32_t n, uint32_t *next_n) {
  *next_n = n;
  if (k == TSR_PASS_FWD && L->backward) return TSR_PASS_BWD;
  if (k == TSR_PASS_UPDATE || k == TSR_PASS_NONE) return TSR_PASS_NONE;
  *next_n = n + 1;
  if (n + 1 < L->minibatches) return L->forward ? TSR_PASS_FWD : TSR_PASS_BWD;
  return L->backward ? TSR_PASS_UPDATE : TSR_PASS_NONE;
}

int tsr_alg1_loads(const tsr_linear *L, uint32_t rows, uint32_t cols, tsr_alg1_pass k,
                   uint32_t len[TSR_ALG1_DRDS]) {
  uint32_t br = L->tokens / rows, ir = L->d_in / rows, bc = L->tokens / cols;
  if (k == TSR_PASS_FWD) return len[0] = br * (L->d_in / cols), 1;
  if (k == TSR_PASS_BWD) return len[0] = br * (L->d_out / cols), len[1] = ir * bc, 2;
  if (k == TSR_PASS_UPDATE) return len[0] = ir * (L->d_out / cols), len[1] = 1, 2;
  return 0;
}

/* Where a die's DRDs of Algorithm 1 write. */
typedef struct {
  text *t;
  const tsr_linear *L;
  const tsr_lower_die *ld;
  uint32_t rows, cols;
  const uint32_t *xg, *dyg, *xtg; /* by mini-batch parity */
  uint32_t wold, lr;
  int i, j;
} alg1_loads;

/* Emits DRDs first .. last - 1 of pass k of mini-batch n (tsr_alg1_loads);
 * returns how many. */
static int alg1_emit_loads(const alg1_loads *a, tsr_alg1_pass k, uint32_t n, int first,
                           int last) {
  const tsr_lower_die *ld = a->ld;
  uint32_t len[TSR_ALG1_DRDS], dram[TSR_ALG1_DRDS], dst[TSR_ALG1_DRDS];
  uint32_t at = ld->base + n * ld->stride, p = n & 1;
  int count = tsr_alg1_loads(a->L, a->rows, a->cols, k, len);
  if (k == TSR_PASS_FWD) {
    dram[0] = at + ld->xf, dst[0] = a->xg[p] + (uint32_t)a->i * len[0];
  } else if (k == TSR_PASS_BWD) {
    dram[0] = at + ld->dy, dst[0] = a->dyg[p] + (uint32_t)a->i * len[0];
    dram[1] = at + ld->xt, dst[1] = a->xtg[p] + (uint32_t)a->j * len[1];
  } else if (k == TSR_PASS_UPDATE) {
    dram[0] = ld->wb, dst[0] = a->wold;
    dram[1] = ld->s, dst[1] = a->lr;
  }
  int emitted = 0;
  for (int d = first; d < last && d < count; d++, emitted++)
    lw_emit(a->t, "drd dram=0x%x dst=act:0x%x len=%u", dram[d], dst[d], len[d]);
  return emitted;
}

static int dims_ok(const tsr_config *cfg, const tsr_linear *L, char err[TSR_ISA_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols;
  struct {
    const char *what;
    uint32_t v, by;
    const char *by_name;
  } need[] = {
      {"tokens", L->tokens, R, "rows"}, {"tokens", L->tokens, C, "cols"},
      {"d_in", L->d_in, C, "cols"},     {"d_in", L->d_in, R, "rows"},
      {"d_out", L->d_out, R, "rows"},   {"d_out", L->d_out, C, "cols"},
  };
  if (!L->forward && !L->backward) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "linear layer: nothing to do, expected forward, backward or both");
    return -1;
  }
  if (!L->tokens || !L->d_in || !L->d_out || !L->minibatches) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "linear layer: tokens, d_in, d_out and minibatches must be at least 1");
    return -1;
  }
  for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
    if (need[k].v % need[k].by == 0 && need[k].v / need[k].by <= 4096) continue;
    snprintf(err, TSR_ISA_ERR_LEN,
             "linear layer: %s=%u must be a multiple of the mesh's %s (%u), at most 4096 times it",
             need[k].what, need[k].v, need[k].by_name, need[k].by);
    return -1;
  }
  if ((R > 1 && !cfg->mesh.bypass_cols) || (C > 1 && !cfg->mesh.bypass_rows)) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "linear layer: the collectives run on the bypass rings, expected "
             "mesh.bypass_rows and mesh.bypass_cols true");
    return -1;
  }
  if (!cfg->mesh.io_dies) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "linear layer: the tensors come from DRAM, expected mesh.io_dies true");
    return -1;
  }
  return 0;
}

int tsr_lower_linear(const tsr_config *cfg, const tsr_linear *L, tsr_lowered *out,
                     char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof *out);
  if (dims_ok(cfg, L, err)) return -1;
  int R = (int)cfg->mesh.rows, C = (int)cfg->mesh.cols;
  out->rows = R;
  out->cols = C;
  out->kind = TSR_LOWERED_LINEAR;
  out->layer = *L;
  uint32_t B = L->tokens, N = L->minibatches;
  uint32_t dc = L->d_in / (uint32_t)C, ir = L->d_in / (uint32_t)R;
  uint32_t or_ = L->d_out / (uint32_t)R, oc = L->d_out / (uint32_t)C;
  uint32_t br = B / (uint32_t)R, bc = B / (uint32_t)C;
  int F = L->forward, Bw = L->backward;

  for (int d = 0; d < R * C; d++) {
    int i = d / C, j = d % C;
    tsr_lower_die *ld = &out->die[d];
    /* DRAM: fixed tiles, then the mini-batches' */
    ld->io = 2 * i + tsr_io_side(cfg, j);
    uint32_t *top = &out->dram_words[ld->io];
    ld->wf = *top, *top += F ? dc * or_ : 0;
    ld->wt = *top, *top += Bw ? oc * ir : 0;
    ld->wb = *top, *top += Bw ? ir * oc : 0;
    ld->s = *top, *top += Bw ? 1 : 0;
    ld->wnew = *top, *top += Bw ? ir * oc : 0;
    uint32_t mb = 0;
    ld->xf = mb, mb += F ? br * dc : 0;
    ld->y = mb, mb += F ? bc * or_ : 0;
    ld->dy = mb, mb += Bw ? br * oc : 0;
    ld->xt = mb, mb += Bw ? ir * bc : 0;
    ld->dx = mb, mb += Bw ? bc * ir : 0;
    ld->base = *top;
    ld->stride = mb;
    *top += N * mb;
    if (*top > TSR_IO_DRAM_WORDS) {
      snprintf(err, TSR_ISA_ERR_LEN,
               "linear layer: the tiles of row %d need %u words of its IO "
               "die's DRAM, which holds %u; expected fewer tokens, mini-batches or features",
               i, *top, TSR_IO_DRAM_WORDS);
      tsr_lowered_free(out);
      return -1;
    }

    /* buffers */
    arena act = lw_buffer_arena(cfg, d, 0), wgt = lw_buffer_arena(cfg, d, 1);
    uint32_t xg[2], yslots[2], dyg[2], xslots[2], xtg[2];
    uint32_t wf = F ? lw_take(&wgt, dc * or_) : 0, wt = Bw ? lw_take(&wgt, oc * ir) : 0;
    uint32_t dyw = Bw ? lw_take(&wgt, B * oc) : 0;
    uint32_t fw_part = F ? B * or_ : 0, bw_part = Bw ? B * ir : 0;
    uint32_t part = lw_take(&act, fw_part > bw_part ? fw_part : bw_part);
    for (int p = 0; p < 2; p++) {
      xg[p] = F ? lw_take(&act, B * dc) : 0;
      yslots[p] = F ? lw_take(&act, (uint32_t)(C - 1) * bc * or_) : 0;
      dyg[p] = Bw ? lw_take(&act, B * oc) : 0;
      xslots[p] = Bw ? lw_take(&act, (uint32_t)(C - 1) * bc * ir) : 0;
      xtg[p] = Bw ? lw_take(&act, (uint32_t)C * ir * bc) : 0;
    }
    uint32_t dw = Bw ? lw_take(&act, ir * oc) : 0, wold = Bw ? lw_take(&act, ir * oc) : 0;
    uint32_t lr = Bw ? lw_take(&act, 1) : 0; /* -lr, the update's scale */
    if (lw_out_of_room(&act, &wgt, 0, "linear layer", (uint32_t)i, (uint32_t)j,
                       "fewer tokens or features", out, err))
      return -1;

    text t = {0};
    coll col = {&t, i, j, 0, {i, R}, 0}, row = {&t, i, j, 1, {j, C}, 0};
    alg1_loads ins = {&t, L, ld, (uint32_t)R, (uint32_t)C, xg, dyg, xtg, wold, lr, i, j};
    lw_emit(&t, "; Algorithm 1 on die (row %d, col %d): B=%u Din=%u Dout=%u, %u mini-batches", i, j,
            B, L->d_in, L->d_out, N);
    /* Every pass's DRDs go out in the pass before it, so the DRAM's latency
       and the answer run behind that pass's work; the pass waits for them
       first. The first pass's go with the weights' as far as TSR_ALG1_DRDS
       allows. */
    int early_loads = tsr_lower_early_loads(cfg);
    int weights = 0;
    if (F) lw_emit(&t, "drd dram=0x%x dst=wgt:0x%x len=%u", ld->wf, wf, dc * or_), weights++;
    if (Bw) lw_emit(&t, "drd dram=0x%x dst=wgt:0x%x len=%u", ld->wt, wt, oc * ir), weights++;
    uint32_t nn;
    tsr_alg1_pass next = tsr_alg1_first(L);
    int early = alg1_emit_loads(&ins, next, 0, 0, TSR_ALG1_DRDS - weights);
    lw_emit(&t, "wait msgs=%d chan=mesh", weights + early);
    int loads = alg1_emit_loads(&ins, next, 0, early, TSR_ALG1_DRDS);
    for (uint32_t n = 0; n < N; n++) {
      int p = (int)(n & 1);
      uint32_t at = ld->base + n * ld->stride;
      if (F) {
        lw_emit(&t, "; forward, mini-batch %u", n);
        if (loads) lw_emit(&t, "wait msgs=%d chan=mesh", loads);
        next = tsr_alg1_next(L, TSR_PASS_FWD, n, &nn);
        if (early_loads) loads = alg1_emit_loads(&ins, next, nn, 0, TSR_ALG1_DRDS);
        lw_all_gather(&col, xg[p], br * dc, NULL, NULL);
        lw_emit(&t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u", xg[p], wf, part, B, dc, or_);
        uint32_t y = lw_reduce_scatter(&row, part, bc * or_, yslots[p], IN_SLOT);
        if (!early_loads) loads = alg1_emit_loads(&ins, next, nn, 0, TSR_ALG1_DRDS);
        lw_emit(&t, "dwr src=act:0x%x dram=0x%x len=%u", y, at + ld->y, bc * or_);
      }
      if (Bw) {
        lw_emit(&t, "; backward, mini-batch %u", n);
        if (loads) lw_emit(&t, "wait msgs=%d chan=mesh", loads);
        lw_all_gather(&col, dyg[p], br * oc, NULL, NULL);
        /* dY[:, j] is the dW GEMMs' right operand: copy it to the weight buffer */
        lw_emit(&t, "send row=%d col=%d src=act:0x%x dst=wgt:0x%x len=%u", i, j, dyg[p], dyw,
                B * oc);
        lw_emit(&t, "wait msgs=1 chan=mesh");
        /* early: after the copy's WAIT, which the answers would otherwise count */
        next = tsr_alg1_next(L, TSR_PASS_BWD, n, &nn);
        if (early_loads) loads = alg1_emit_loads(&ins, next, nn, 0, TSR_ALG1_DRDS);
        dw_ctx dc_ = {&t, xtg[p], ir * bc, dyw, bc * oc, dw, ir, bc, oc, n == 0};
        lw_all_gather(&row, xtg[p], ir * bc, dw_gemm, &dc_);
        lw_emit(&t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u", dyg[p], wt, part, B, oc, ir);
        uint32_t dx = lw_reduce_scatter(&row, part, bc * ir, xslots[p], IN_SLOT);
        if (!early_loads) loads = alg1_emit_loads(&ins, next, nn, 0, TSR_ALG1_DRDS);
        lw_emit(&t, "dwr src=act:0x%x dram=0x%x len=%u", dx, at + ld->dx, bc * ir);
      }
    }
    if (Bw) {
      lw_emit(&t, "; the update: W[i,j] = -lr dW[i,j] + W[i,j]");
      if (loads) lw_emit(&t, "wait msgs=%d chan=mesh", loads);
      lw_emit(&t, "vaxpy x=0x%x y=0x%x s=0x%x len=%u", dw, wold, lr, ir * oc);
      lw_emit(&t, "dwr src=act:0x%x dram=0x%x len=%u", wold, ld->wnew, ir * oc);
    }
    lw_emit(&t, "halt");
    if (t.insns > cfg->dies[d].imem_words) {
      snprintf(
          err, TSR_ISA_ERR_LEN,
          "linear layer: die (row %d, col %d) needs %zu instructions, its "
          "instruction memory holds %u; expected fewer mini-batches or a larger die.imem_words",
          i, j, t.insns, cfg->dies[d].imem_words);
      free(t.s);
      tsr_lowered_free(out);
      return -1;
    }
    out->text[d] = t.s;
  }
  return 0;
}

/* A program that does not fit the die's instruction memory. */
int lw_fits(const tsr_config *cfg, int d, text *t, tsr_lowered *out, const char *what,
            char err[TSR_ISA_ERR_LEN]) {
  if (t->insns <= cfg->dies[d].imem_words) return 0;
  snprintf(err, TSR_ISA_ERR_LEN,
           "%s: die (row %d, col %d) needs %zu instructions, its instruction "
           "memory holds %u",
           what, d / (int)cfg->mesh.cols, d % (int)cfg->mesh.cols, t->insns,
           cfg->dies[d].imem_words);
  free(t->s);
  tsr_lowered_free(out);
  return -1;
}

int tsr_lower_collective(const tsr_config *cfg, const tsr_collective *k, tsr_lowered *out,
                         char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof *out);
  int R = (int)cfg->mesh.rows, C = (int)cfg->mesh.cols, len = k->over_cols ? R : C;
  const char *what = k->kind == TSR_COLL_ALLGATHER ? "all-gather" : "reduce-scatter";
  out->rows = R;
  out->cols = C;
  if (len < 2) {
    snprintf(err, TSR_ISA_ERR_LEN, "%s: a ring needs at least 2 dies, the mesh's %s have %d", what,
             k->over_cols ? "columns" : "rows", len);
    return -1;
  }
  if (!k->on_mesh && !(k->over_cols ? cfg->mesh.bypass_cols : cfg->mesh.bypass_rows)) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "%s: expected mesh.%s true for the bypass ring, or the mesh "
             "channel",
             what, k->over_cols ? "bypass_cols" : "bypass_rows");
    return -1;
  }
  for (int d = 0; d < R * C; d++) {
    int i = d / C, j = d % C;
    /* chunks at 0 (n of them), reduce-scatter slots after */
    uint64_t need =
        (uint64_t)k->chunk * (uint64_t)(k->kind == TSR_COLL_ALLGATHER ? len : 2 * len - 1);
    uint64_t have = tsr_buffer_words(&cfg->dies[d].act_buffer);
    if (!k->chunk || need > have) {
      snprintf(err, TSR_ISA_ERR_LEN,
               "%s: chunk=%u words: die (row %d, col %d) needs %llu words of "
               "its activation buffer, which holds %llu; expected 1..%llu",
               what, k->chunk, i, j, (unsigned long long)need, (unsigned long long)have,
               (unsigned long long)(have /
                                    (uint64_t)(k->kind == TSR_COLL_ALLGATHER ? len : 2 * len - 1)));
      tsr_lowered_free(out);
      return -1;
    }
    text t = {0};
    coll c = {&t, i, j, !k->over_cols, {k->over_cols ? i : j, len}, k->on_mesh};
    lw_emit(&t, "; %s of %u-word chunks on die (row %d, col %d)", what, k->chunk, i, j);
    if (k->kind == TSR_COLL_ALLGATHER)
      lw_all_gather(&c, 0, k->chunk, NULL, NULL);
    else
      lw_reduce_scatter(&c, 0, k->chunk, (uint32_t)len * k->chunk, IN_SLOT);
    lw_emit(&t, "halt");
    if (lw_fits(cfg, d, &t, out, what, err)) return -1;
    out->text[d] = t.s;
  }
  return 0;
}

/* ---- attention --------------------------------------------------------------------- */

void lw_take_attention(arena *act, arena *wgt, uint32_t g, uint32_t s, uint32_t dh, attn_regs *r) {
  uint32_t sd = s * dh;
  memset(r, 0, sizeof *r);
  r->g = g, r->s = s, r->dh = dh;
  r->scale = lw_take(act, g * sd + 1), r->neg1 = r->scale + g * sd; /* one DRD: scale, -1 */
  lw_take_attention_work(act, wgt, r);
  r->ones = lw_take(wgt, s);
}

void lw_take_attention_work(arena *act, arena *wgt, attn_regs *r) {
  uint32_t sd = r->s * r->dh, ss = r->s * r->s, g = r->g;
  r->q = lw_take(act, g * sd), r->k = lw_take(act, g * sd), r->kt = lw_take(act, g * sd);
  r->sc = lw_take(act, g * ss), r->tr = lw_take(act, g * ss), r->rep = lw_take(act, g * ss);
  r->sum = lw_take(act, g * r->s);
  r->ktw = lw_take(wgt, g * sd), r->v = lw_take(wgt, g * sd);
}

/* The softmax of the rows of r->sc (g s rows of s), in place, in O(1)
 * instructions: the row maxima by one VTRANS and log2 s VMAX halves over the
 * transpose's rows; spread back over the rows (and so the reciprocals of the
 * row sums) by a GEMM of a column by a row of ones (k = 1: exact). */
void lw_emit_softmax(text *t, const attn_regs *r) {
  uint32_t rows = r->g * r->s, s = r->s, all = rows * s;
  lw_emit(t, "; softmax over %u rows: the row maxima from the transpose's rows, x - m", rows);
  lw_emit(t, "vtrans a=0x%x c=0x%x m=%u n=%u", r->sc, r->tr, rows, s);
  for (uint32_t w = s / 2; w >= 1; w /= 2)
    lw_emit(t, "vmax a=0x%x b=0x%x c=0x%x len=%u", r->tr, r->tr + w * rows, r->tr, w * rows);
  lw_emit(t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=1 n=%u", r->tr, r->ones, r->rep, rows, s);
  lw_emit(t, "vaxpy x=0x%x y=0x%x s=0x%x len=%u", r->rep, r->sc, r->neg1, all);
  lw_emit(t, "; e = exp(x - m), the row sums, their reciprocals, A = e / sum");
  lw_emit(t, "vexp a=0x%x c=0x%x len=%u", r->sc, r->sc, all);
  lw_emit(t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=1", r->sc, r->ones, r->sum, rows, s);
  lw_emit(t, "vrecip a=0x%x c=0x%x len=%u", r->sum, r->sum, rows);
  lw_emit(t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=1 n=%u", r->sum, r->ones, r->rep, rows, s);
  lw_emit(t, "vmul a=0x%x b=0x%x c=0x%x len=%u", r->sc, r->rep, r->sc, all);
}

/* Q scaled in place, K^T and V into the weight buffer (SENDs to the die
 * itself, at (row, col)), the scores, their softmax, and group e's A V to
 * o + (e / per) o_stride + (e % per) s dh. V is at r->v, or in the activation
 * buffer at v_act (then copied). */
void lw_emit_attention(text *t, const attn_regs *r, uint32_t row, uint32_t col, uint32_t v_act,
                       int v_in_act, uint32_t o, uint32_t per, uint32_t o_stride) {
  uint32_t sd = r->s * r->dh, ss = r->s * r->s;
  lw_emit(t, "; Q / sqrt(%u), K^T into the weight buffer (the GEMM's right operand)", r->dh);
  lw_emit(t, "vmul a=0x%x b=0x%x c=0x%x len=%u", r->q, r->scale, r->q, r->g * sd);
  for (uint32_t e = 0; e < r->g; e++)
    lw_emit(t, "vtrans a=0x%x c=0x%x m=%u n=%u", r->k + e * sd, r->kt + e * sd, r->s, r->dh);
  lw_emit(t, "send row=%u col=%u src=act:0x%x dst=wgt:0x%x len=%u", row, col, r->kt, r->ktw,
          r->g * sd);
  if (v_in_act)
    lw_emit(t, "send row=%u col=%u src=act:0x%x dst=wgt:0x%x len=%u", row, col, v_act, r->v,
            r->g * sd);
  lw_emit(t, "wait msgs=%d chan=mesh", 1 + v_in_act);
  for (uint32_t e = 0; e < r->g; e++)
    lw_emit(t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u", r->q + e * sd, r->ktw + e * sd,
            r->sc + e * ss, r->s, r->dh, r->s);
  lw_emit_softmax(t, r);
  lw_emit(t, "; O = A V");
  for (uint32_t e = 0; e < r->g; e++)
    lw_emit(t, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u", r->sc + e * ss, r->v + e * sd,
            o + e / per * o_stride + e % per * sd, r->s, r->s, r->dh);
}

/* The constants emit_attention takes, at m: the scale g s dh times (rounded
 * once), -1, then s ones. */
uint32_t lw_attn_consts(uint32_t g, uint32_t s, uint32_t dh) {
  return g * s * dh + 1 + s;
}
void lw_load_attn_consts(uint32_t *m, uint32_t g, uint32_t s, uint32_t dh) {
  uint32_t n = g * s * dh;
  for (uint32_t e = 0; e < n; e++)
    m[e] = lw_bits(1.0f / sqrtf((float)dh));
  m[n] = 0xBF800000u;
  for (uint32_t e = 0; e < s; e++)
    m[n + 1 + e] = 0x3F800000u;
}

int lw_seq_ok(uint32_t s) {
  return s >= 2 && s <= 64 && !(s & (s - 1));
}

/* Each die's DRAM image of the attention core: its constants at wf, its heads
 * from base, `stride` apart: Q at xf, K at dy, V at xt, O at y. */
int tsr_lower_attention(const tsr_config *cfg, const tsr_attention *a, tsr_lowered *out,
                        char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof *out);
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols, n = R * C, s = a->seq, dh = a->d_head;
  out->rows = (int)R;
  out->cols = (int)C;
  out->kind = TSR_LOWERED_ATTENTION;
  out->attn = *a;
  if (!cfg->mesh.io_dies) {
    snprintf(err, TSR_ISA_ERR_LEN, "attention: expected a mesh with IO dies");
    return -1;
  }
  if (!a->heads || a->heads % n || !lw_seq_ok(s) || !dh || dh > 256) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "attention: heads=%u seq=%u d_head=%u: expected heads a "
             "multiple of the %u dies, seq a power of two in 2..64, d_head 1..256",
             a->heads, s, dh, n);
    return -1;
  }
  uint32_t hd = a->heads / n, sd = s * dh;
  for (uint32_t d = 0; d < n; d++) {
    uint32_t i = d / C, j = d % C;
    tsr_lower_die *ld = &out->die[d];
    ld->io = 2 * (int)i + tsr_io_side(cfg, (int)j);
    uint32_t *top = &out->dram_words[ld->io];
    ld->wf = *top, *top += lw_attn_consts(hd, s, dh);
    ld->xf = 0, ld->dy = sd, ld->xt = 2 * sd, ld->y = 3 * sd, ld->stride = 4 * sd;
    ld->base = *top, *top += hd * ld->stride;
    arena act = lw_buffer_arena(cfg, d, 0), wgt = lw_buffer_arena(cfg, d, 1);
    attn_regs r;
    lw_take_attention(&act, &wgt, hd, s, dh, &r);
    uint32_t o = lw_take(&act, hd * sd);
    if (lw_out_of_room(&act, &wgt, *top, "attention", i, j, "a shorter seq or d_head", out, err))
      return -1;
    text t = {0};
    lw_emit(&t,
            "; attention core on die (row %u, col %u): O = softmax(Q K^T / sqrt(%u)) V for %u "
            "heads of seq %u",
            i, j, dh, hd, s);
    lw_emit(&t, "drd dram=0x%x dst=act:0x%x len=%u", ld->wf, r.scale, hd * sd + 1);
    lw_emit(&t, "drd dram=0x%x dst=wgt:0x%x len=%u", ld->wf + hd * sd + 1, r.ones, s);
    lw_emit(&t, "wait msgs=2 chan=mesh");
    /* at most two answers of an IO die outstanding: with three or more queued
       long answers the mesh cost model times the last one early (left open) */
    for (uint32_t h = 0; h < hd; h++) {
      uint32_t at = ld->base + h * ld->stride;
      lw_emit(&t, "; head %u: Q, K, V", h * n + d);
      lw_emit(&t, "drd dram=0x%x dst=act:0x%x len=%u", at + ld->xf, r.q + h * sd, sd);
      lw_emit(&t, "drd dram=0x%x dst=act:0x%x len=%u", at + ld->dy, r.k + h * sd, sd);
      lw_emit(&t, "wait msgs=2 chan=mesh");
      lw_emit(&t, "drd dram=0x%x dst=wgt:0x%x len=%u", at + ld->xt, r.v + h * sd, sd);
      lw_emit(&t, "wait msgs=1 chan=mesh");
    }
    lw_emit_attention(&t, &r, i, j, 0, 0, o, 1, sd);
    for (uint32_t h = 0; h < hd; h++)
      lw_emit(&t, "dwr src=act:0x%x dram=0x%x len=%u", o + h * sd,
              ld->base + h * ld->stride + ld->y, sd);
    lw_emit(&t, "halt");
    if (lw_fits(cfg, (int)d, &t, out, "attention", err)) return -1;
    out->text[d] = t.s;
  }
  return 0;
}

void tsr_lower_load_attention(const tsr_lowered *l, const tsr_attention_data *x, uint32_t **dram) {
  const tsr_attention *a = &l->attn;
  uint32_t n = (uint32_t)(l->rows * l->cols), s = a->seq, sd = s * a->d_head;
  for (uint32_t d = 0; d < n; d++) {
    const tsr_lower_die *ld = &l->die[d];
    lw_load_attn_consts(dram[ld->io] + ld->wf, a->heads / n, s, a->d_head);
    for (uint32_t h = 0; h < a->heads / n; h++) {
      size_t head = (size_t)(h * n + d) * sd;
      uint32_t *at = dram[ld->io] + ld->base + h * ld->stride;
      for (uint32_t e = 0; e < sd; e++)
        at[ld->xf + e] = lw_bits(x->q[head + e]), at[ld->dy + e] = lw_bits(x->k[head + e]),
                    at[ld->xt + e] = lw_bits(x->v[head + e]);
    }
  }
}

void tsr_lower_results_attention(const tsr_lowered *l, uint32_t *const *dram, float *o) {
  const tsr_attention *a = &l->attn;
  uint32_t n = (uint32_t)(l->rows * l->cols), sd = a->seq * a->d_head;
  for (uint32_t d = 0; d < n; d++) {
    const tsr_lower_die *ld = &l->die[d];
    for (uint32_t h = 0; h < a->heads / n; h++)
      for (uint32_t e = 0; e < sd; e++)
        o[(size_t)(h * n + d) * sd + e] =
            lw_val(dram[ld->io][ld->base + h * ld->stride + ld->y + e]);
  }
}

int tsr_lower_gemm(const tsr_config *cfg, uint32_t M, uint32_t K, uint32_t N, tsr_lowered *out,
                   char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof *out);
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols;
  out->rows = (int)R;
  out->cols = (int)C;
  if (!cfg->mesh.io_dies) {
    snprintf(err, TSR_ISA_ERR_LEN, "gemm: the operands come from DRAM, expected mesh.io_dies true");
    return -1;
  }
  if (!M || !K || !N || M % R || N % C || K > 4096 || M / R > 4096 || N / C > 4096) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "gemm: m=%u k=%u n=%u: expected m a multiple of the mesh's rows "
             "(%u), n of its cols (%u), k and the blocks 1..4096",
             M, K, N, R, C);
    return -1;
  }
  uint32_t mb = M / R, nb = N / C;
  for (uint32_t d = 0; d < R * C; d++) {
    uint32_t i = d / C, j = d % C;
    tsr_lower_die *ld = &out->die[d];
    ld->io = 2 * (int)i + tsr_io_side(cfg, (int)j);
    uint32_t *top = &out->dram_words[ld->io];
    uint32_t x = *top, w = x + mb * K, y = w + K * nb;
    *top = y + mb * nb;
    uint64_t act = tsr_buffer_words(&cfg->dies[d].act_buffer);
    uint64_t wgt = tsr_buffer_words(&cfg->dies[d].weight_buffer);
    if (*top > TSR_IO_DRAM_WORDS || (uint64_t)mb * (K + nb) > act || (uint64_t)K * nb > wgt) {
      snprintf(err, TSR_ISA_ERR_LEN,
               "gemm: m=%u k=%u n=%u: die (row %u, col %u) needs %u words of "
               "activation buffer (holds %llu), %u of weight buffer (holds %llu) and its IO die %u "
               "words of DRAM (holds %u)",
               M, K, N, i, j, mb * (K + nb), (unsigned long long)act, K * nb,
               (unsigned long long)wgt, *top, TSR_IO_DRAM_WORDS);
      tsr_lowered_free(out);
      return -1;
    }
    text t = {0};
    lw_emit(&t, "; Y[%u, %u] = X[%u, :] W[:, %u] (%u x %u x %u blocks) on die (row %u, col %u)", i,
            j, i, j, mb, K, nb, i, j);
    lw_emit(&t, "drd dram=0x%x dst=act:0x0 len=%u", x, mb * K);
    lw_emit(&t, "drd dram=0x%x dst=wgt:0x0 len=%u", w, K * nb);
    lw_emit(&t, "wait msgs=2 chan=mesh");
    lw_emit(&t, "gemm x=0x0 w=0x0 y=0x%x m=%u k=%u n=%u", mb * K, mb, K, nb);
    lw_emit(&t, "dwr src=act:0x%x dram=0x%x len=%u", mb * K, y, mb * nb);
    lw_emit(&t, "halt");
    if (lw_fits(cfg, (int)d, &t, out, "gemm", err)) return -1;
    out->text[d] = t.s;
  }
  return 0;
}

void tsr_lowered_free(tsr_lowered *l) {
  for (int d = 0; d < TSR_MAX_DIES; d++) {
    free(l->text[d]);
    l->text[d] = NULL;
  }
}

void tsr_lower_load(const tsr_lowered *l, const tsr_linear_data *x, uint32_t **dram) {
  const tsr_linear *L = &l->layer;
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, B = L->tokens;
  uint32_t dc = L->d_in / C, ir = L->d_in / R, or_ = L->d_out / R, oc = L->d_out / C;
  uint32_t br = B / R, bc = B / C;
  for (uint32_t d = 0; d < R * C; d++) {
    uint32_t i = d / C, j = d % C;
    const tsr_lower_die *ld = &l->die[d];
    uint32_t *m = dram[ld->io];
    if (L->forward) lw_to_dram(m + ld->wf, x->w, L->d_out, j * dc, i * or_, dc, or_, 0);
    if (L->backward) {
      /* W^T[j,i]: rows are outputs block j, columns inputs block i */
      lw_to_dram(m + ld->wt, x->w, L->d_out, i * ir, j * oc, oc, ir, 1);
      lw_to_dram(m + ld->wb, x->w, L->d_out, i * ir, j * oc, ir, oc, 0);
      m[ld->s] = lw_bits(-L->lr);
    }
    for (uint32_t n = 0; n < L->minibatches; n++) {
      uint32_t *at = m + ld->base + n * ld->stride;
      const float *xn = x->x + (size_t)n * B * L->d_in, *dyn = x->dy + (size_t)n * B * L->d_out;
      if (L->forward) lw_to_dram(at + ld->xf, xn, L->d_in, i * br, j * dc, br, dc, 0);
      if (L->backward) {
        lw_to_dram(at + ld->dy, dyn, L->d_out, i * br, j * oc, br, oc, 0);
        /* X^T[i,j]: rows are inputs block i, columns tokens block j */
        lw_to_dram(at + ld->xt, xn, L->d_in, j * bc, i * ir, ir, bc, 1);
      }
    }
  }
}

void tsr_lower_results(const tsr_lowered *l, uint32_t *const *dram, float *y, float *dx,
                       float *w_new) {
  const tsr_linear *L = &l->layer;
  uint32_t R = (uint32_t)l->rows, C = (uint32_t)l->cols, B = L->tokens;
  uint32_t ir = L->d_in / R, or_ = L->d_out / R, oc = L->d_out / C, bc = B / C;
  for (uint32_t d = 0; d < R * C; d++) {
    uint32_t i = d / C, j = d % C;
    const tsr_lower_die *ld = &l->die[d];
    const uint32_t *m = dram[ld->io];
    for (uint32_t n = 0; n < L->minibatches; n++) {
      const uint32_t *at = m + ld->base + n * ld->stride;
      if (L->forward && y)
        lw_from_dram(y + (size_t)n * B * L->d_out, at + ld->y, L->d_out, j * bc, i * or_, bc, or_);
      if (L->backward && dx)
        lw_from_dram(dx + (size_t)n * B * L->d_in, at + ld->dx, L->d_in, j * bc, i * ir, bc, ir);
    }
    if (L->backward && w_new) lw_from_dram(w_new, m + ld->wnew, L->d_out, i * ir, j * oc, ir, oc);
  }
}
