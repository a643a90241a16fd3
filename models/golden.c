/* golden.c - see golden.h. The numerics are C's fmaf(), nothing else. */
#include "golden.h"

#include "die_sched.h"
#include "f32bits.h"
#include "noc.h"
#include "vecfn.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

uint32_t tsr_fma_ref(uint32_t a, uint32_t b, uint32_t c) {
  float fa, fb, fc;
  memcpy(&fa, &a, 4);
  memcpy(&fb, &b, 4);
  memcpy(&fc, &c, 4);
  float r = fmaf(fa, fb, fc);
  if (isnan(r)) return TSR_CANONICAL_NAN;
  uint32_t out;
  memcpy(&out, &r, 4);
  return out;
}

/* [a, a + n) inside a buffer of `words`. */
static int inside(uint64_t a, uint64_t n, uint64_t words) { return a + n <= words; }
static int overlap(uint64_t a, uint64_t na, uint64_t b, uint64_t nb) {
  return a < b + nb && b < a + na;
}

/* The range an async SEND or DWR may still be reading (docs/isa.md, "What runs
 * concurrently"): one at most, since the network interface takes one command
 * at a time and any later SEND, DRD or DWR, FENCE or HALT waits for it. */
typedef struct {
  int live;
  size_t insn;
  tsr_buf buf;
  uint64_t a, n;
} tx_read;

/* A write of [a, +n) to the activation buffer by insn i, against the read in flight. */
static int races(const tx_read *tx, size_t i, const char *op, uint64_t a, uint64_t n,
                 char err[TSR_ISA_ERR_LEN]) {
  if (!tx->live || tx->buf != TSR_BUF_ACT || !overlap(a, n, tx->a, tx->n)) return 0;
  snprintf(err, TSR_ISA_ERR_LEN,
           "insn %zu (%s) writes act [0x%llx, +%llu), which the async transfer of insn %zu may "
           "still be reading: put a FENCE between them",
           i, op, (unsigned long long)a, (unsigned long long)n, tx->insn);
  return -1;
}

/* The checks of tsr_program_check; mesh != 0 also admits SEND and WAIT. */
static int check(const uint32_t *words, size_t n_insns, uint32_t wgt_words, uint32_t act_words,
                 int mesh, char err[TSR_ISA_ERR_LEN]) {
  tx_read tx = {0};
  for (size_t i = 0; i < n_insns; i++) {
    tsr_insn in;
    char why[TSR_ISA_ERR_LEN];
    if (tsr_decode(words + TSR_INSN_WORDS * i, &in, why)) {
      snprintf(err, TSR_ISA_ERR_LEN, "insn %zu: %.200s", i, why);
      return -1;
    }
    uint64_t xm = (uint64_t)in.m * in.k, wn = (uint64_t)in.k * in.n, yn = (uint64_t)in.m * in.n;
    switch (in.op) {
    case TSR_OP_GEMM:
      if (!inside(in.a, xm, act_words) || !inside(in.c, yn, act_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (gemm): X [0x%x, +%llu) or Y [0x%x, +%llu) leaves the activation "
                 "buffer (%u words)",
                 i, in.a, (unsigned long long)xm, in.c, (unsigned long long)yn, act_words);
        return -1;
      }
      if (!inside(in.b, wn, wgt_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (gemm): W [0x%x, +%llu) leaves the weight buffer (%u words)", i, in.b,
                 (unsigned long long)wn, wgt_words);
        return -1;
      }
      if (overlap(in.a, xm, in.c, yn)) {
        snprintf(err, TSR_ISA_ERR_LEN, "insn %zu (gemm): Y overlaps X, which is not allowed", i);
        return -1;
      }
      if (races(&tx, i, "gemm", in.c, yn, err)) return -1;
      break;
    case TSR_OP_VTRANS:
      if (!inside(in.a, yn, act_words) || !inside(in.c, yn, act_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (vtrans): A or C [+%llu) leaves the activation buffer (%u words)", i,
                 (unsigned long long)yn, act_words);
        return -1;
      }
      if (overlap(in.a, yn, in.c, yn)) {
        snprintf(err, TSR_ISA_ERR_LEN, "insn %zu (vtrans): C overlaps A, which is not allowed", i);
        return -1;
      }
      if (races(&tx, i, "vtrans", in.c, yn, err)) return -1;
      break;
    case TSR_OP_VADD:
    case TSR_OP_VMUL:
    case TSR_OP_VMAX:
    case TSR_OP_VEXP:
    case TSR_OP_VRECIP:
    case TSR_OP_VRSQRT:
    case TSR_OP_VGELU:
    case TSR_OP_VGELUD: { /* the unary ones have no B: they check A twice */
      int unary = tsr_op_unary(in.op);
      uint32_t b = unary ? in.a : in.b;
      if (!inside(in.a, in.len, act_words) || !inside(b, in.len, act_words) ||
          !inside(in.c, in.len, act_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (%s): an operand of %u words leaves the activation buffer (%u words)",
                 i, tsr_op_name(in.op), in.len, act_words);
        return -1;
      }
      if ((in.c != in.a && overlap(in.c, in.len, in.a, in.len)) ||
          (in.c != b && overlap(in.c, in.len, b, in.len))) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (%s): C must be identical to or disjoint from %s", i,
                 tsr_op_name(in.op), unary ? "A" : "A and B");
        return -1;
      }
      if (races(&tx, i, tsr_op_name(in.op), in.c, in.len, err)) return -1;
      break;
    }
    case TSR_OP_VAXPY:
      if (!inside(in.a, in.len, act_words) || !inside(in.b, in.len, act_words) ||
          !inside(in.c, 1, act_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (vaxpy): X or Y (%u words) or s leaves the activation buffer (%u words)",
                 i, in.len, act_words);
        return -1;
      }
      if (in.a != in.b && overlap(in.a, in.len, in.b, in.len)) {
        snprintf(err, TSR_ISA_ERR_LEN, "insn %zu (vaxpy): Y must be identical to or disjoint from X",
                 i);
        return -1;
      }
      if (races(&tx, i, "vaxpy", in.b, in.len, err)) return -1;
      break;
    case TSR_OP_FENCE:
      tx.live = 0;
      break;
    case TSR_OP_HALT:
      return 0;
    case TSR_OP_SEND:
      if (!mesh) goto single_die;
      if (!inside(in.a, in.len, in.src_buf == TSR_BUF_WGT ? wgt_words : act_words) ||
          !inside(in.c, in.len, in.dst_buf == TSR_BUF_WGT ? wgt_words : act_words)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (send): source [0x%x, +%u) or destination [0x%x, +%u) leaves its "
                 "buffer (weight %u, activation %u words)",
                 i, in.a, in.len, in.c, in.len, wgt_words, act_words);
        return -1;
      }
      tx = (tx_read){in.async, i, in.src_buf, in.a, in.len};
      break;
    case TSR_OP_WAIT:
      if (!mesh) goto single_die;
      break;
    case TSR_OP_DRD:
    case TSR_OP_DWR: {
      if (!mesh) goto single_die;
      tsr_buf b = in.op == TSR_OP_DRD ? in.dst_buf : in.src_buf;
      if (!inside(in.c, in.len, b == TSR_BUF_WGT ? wgt_words : act_words) ||
          !inside(in.dram, in.len, TSR_IO_DRAM_WORDS)) {
        snprintf(err, TSR_ISA_ERR_LEN,
                 "insn %zu (%s): buffer [0x%x, +%u) leaves its buffer (weight %u, activation %u "
                 "words) or DRAM [0x%x, +%u) leaves the IO die's %u words",
                 i, in.op == TSR_OP_DRD ? "drd" : "dwr", in.c, in.len, wgt_words, act_words, in.dram,
                 in.len, TSR_IO_DRAM_WORDS);
        return -1;
      }
      tx = (tx_read){in.async && in.op == TSR_OP_DWR, i, in.src_buf, in.c, in.len};
      break;
    }
    default:
    single_die:
      snprintf(err, TSR_ISA_ERR_LEN,
               "insn %zu (%s): needs the network-on-package (not in a single die yet)", i,
               in.op == TSR_OP_SEND   ? "send"
               : in.op == TSR_OP_WAIT ? "wait"
               : in.op == TSR_OP_DRD  ? "drd"
                                      : "dwr");
      return -1;
    }
  }
  snprintf(err, TSR_ISA_ERR_LEN, "no HALT: the program runs off its %zu instructions", n_insns);
  return -1;
}

int tsr_program_check(const uint32_t *words, size_t n_insns, uint32_t wgt_words,
                      uint32_t act_words, char err[TSR_ISA_ERR_LEN]) {
  return check(words, n_insns, wgt_words, act_words, 0, err);
}

/* One operand's rule on a die with local lanes: `what` (a start address or a
 * row pitch) must be a multiple of `lanes` words, unless `needed` is false
 * (the operand has one row, or its rows are one word, which an access takes
 * anywhere). */
static int lane_rule(size_t i, const char *op, const char *name, uint32_t what, uint32_t lanes,
                     int needed, char err[TSR_ISA_ERR_LEN]) {
  if (!needed || what % lanes == 0) return 0;
  snprintf(err, TSR_ISA_ERR_LEN,
           "insn %zu (%s): %s = %u, expected a multiple of %u words: the units read their own "
           "banks (die.local_lanes)",
           i, op, name, what, lanes);
  return -1;
}

int tsr_lanes_check(const tsr_die_cfg *die, const uint32_t *words, size_t n_insns,
                    char err[TSR_ISA_ERR_LEN]) {
  if (!die->local_lanes) return 0;
  uint32_t la = tsr_buf_lanes(&die->act_buffer), lw = tsr_buf_lanes(&die->weight_buffer);
  uint32_t tile_rows = tsr_tile_rows(die);
  for (size_t i = 0; i < n_insns; i++) {
    tsr_insn in;
    if (tsr_decode(words + TSR_INSN_WORDS * i, &in, err)) return -1;
    const char *op = tsr_op_name(in.op);
    int bad = 0;
    switch (in.op) {
    case TSR_OP_GEMM: /* rows of N words; X's go to the controller, which rotates them */
      bad = lane_rule(i, op, "Y", in.c, la, in.n > 1, err) ||
            lane_rule(i, op, "N (Y's row pitch)", in.n, la, in.m > 1 && in.n > 1, err) ||
            lane_rule(i, op, "W", in.b, lw, in.n > 1, err) ||
            lane_rule(i, op, "N (W's row pitch)", in.n, lw, in.k > 1 && in.n > 1, err);
      break;
    case TSR_OP_VTRANS: /* A loads as a GEMM's Y; tile column n stores at C + n M + m0 */
      bad = lane_rule(i, op, "A", in.a, la, in.n > 1, err) ||
            lane_rule(i, op, "N (A's row pitch)", in.n, la, in.m > 1 && in.n > 1, err) ||
            lane_rule(i, op, "C", in.c, la, in.m > 1, err) ||
            lane_rule(i, op, "M (C's row pitch)", in.m, la, in.n > 1 && in.m > 1, err) ||
            lane_rule(i, op, "the tile rows (C's rows split)", tile_rows, la, in.m > tile_rows,
                      err);
      break;
    case TSR_OP_VAXPY: /* s is one word */
      bad = lane_rule(i, op, "X", in.a, la, in.len > 1, err) ||
            lane_rule(i, op, "Y", in.b, la, in.len > 1, err);
      break;
    default:
      if (!tsr_op_vector(in.op)) break;
      bad = lane_rule(i, op, "A", in.a, la, in.len > 1, err) ||
            lane_rule(i, op, "B", in.b, la, in.len > 1 && !tsr_op_unary(in.op), err) ||
            lane_rule(i, op, "C", in.c, la, in.len > 1, err);
    }
    if (bad) return -1;
    if (in.op == TSR_OP_HALT) break;
  }
  return 0;
}

int tsr_die_program_check(const tsr_die_cfg *die, const uint32_t *words, size_t n_insns,
                          char err[TSR_ISA_ERR_LEN]) {
  if (n_insns > die->imem_words) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "%zu instructions do not fit the instruction memory (%u, die.imem_words)", n_insns,
             die->imem_words);
    return -1;
  }
  if (tsr_program_check(words, n_insns, tsr_buffer_words(&die->weight_buffer),
                        tsr_buffer_words(&die->act_buffer), err))
    return -1;
  return tsr_lanes_check(die, words, n_insns, err);
}

int tsr_program_check_mesh(const uint32_t *words, size_t n_insns, uint32_t wgt_words,
                           uint32_t act_words, char err[TSR_ISA_ERR_LEN]) {
  return check(words, n_insns, wgt_words, act_words, 1, err);
}

void tsr_golden_compute(const tsr_insn *in, uint32_t *wgt, uint32_t *act) {
  if (in->op == TSR_OP_GEMM) {
    for (uint64_t m = 0; m < in->m; m++) {
      for (uint64_t n = 0; n < in->n; n++) {
        uint32_t *y = &act[in->c + m * in->n + n];
        uint32_t acc = in->acc ? *y : 0u; /* +0.0f for a fresh output */
        for (uint64_t k = 0; k < in->k; k++)
          acc = tsr_fma_ref(act[in->a + m * in->k + k], wgt[in->b + k * in->n + n], acc);
        *y = acc;
      }
    }
  } else if (in->op == TSR_OP_VADD) { /* element by element, so C may alias A or B exactly */
    for (uint64_t j = 0; j < in->len; j++)
      act[in->c + j] = tsr_fma_ref(act[in->a + j], 0x3F800000u, act[in->b + j]);
  } else if (in->op == TSR_OP_VMUL) { /* + (-0) leaves every product, zeros too, as it is */
    for (uint64_t j = 0; j < in->len; j++)
      act[in->c + j] = tsr_fma_ref(act[in->a + j], act[in->b + j], 0x80000000u);
  } else if (in->op == TSR_OP_VAXPY) { /* s is read once, before any Y is written */
    uint32_t s = act[in->c];
    for (uint64_t j = 0; j < in->len; j++)
      act[in->b + j] = tsr_fma_ref(act[in->a + j], s, act[in->b + j]);
  } else if (in->op == TSR_OP_VMAX) { /* exact: a compare and a select */
    for (uint64_t j = 0; j < in->len; j++)
      act[in->c + j] = tsr_f32_bits(tsr_vmax(tsr_f32_from_bits(act[in->a + j]),
                                             tsr_f32_from_bits(act[in->b + j])));
  } else if (in->op == TSR_OP_VTRANS) { /* a copy: c[j][i] = a[i][j] */
    for (uint64_t i = 0; i < in->m; i++)
      for (uint64_t j = 0; j < in->n; j++)
        act[in->c + j * in->m + i] = act[in->a + i * in->n + j];
  } else if (tsr_op_unary(in->op)) {
    float (*f)(float) = in->op == TSR_OP_VEXP     ? tsr_vexp
                        : in->op == TSR_OP_VRECIP ? tsr_vrecip
                        : in->op == TSR_OP_VRSQRT ? tsr_vrsqrt
                        : in->op == TSR_OP_VGELU  ? tsr_vgelu
                                                  : tsr_vgelu_grad;
    for (uint64_t j = 0; j < in->len; j++) /* element by element */
      act[in->c + j] = tsr_f32_bits(f(tsr_f32_from_bits(act[in->a + j])));
  }
}

long tsr_golden_run(const uint32_t *words, size_t n_insns, uint32_t *wgt, uint32_t wgt_words,
                    uint32_t *act, uint32_t act_words, char err[TSR_ISA_ERR_LEN]) {
  if (tsr_program_check(words, n_insns, wgt_words, act_words, err)) return -1;
  for (size_t i = 0; i < n_insns; i++) {
    tsr_insn in;
    tsr_decode(words + TSR_INSN_WORDS * i, &in, err);
    if (in.op == TSR_OP_HALT) return (long)i + 1;
    tsr_golden_compute(&in, wgt, act);
  }
  return -1; /* unreachable: the check requires a HALT */
}
