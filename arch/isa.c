/* isa.c - see isa.h; the reference is docs/isa.md. */
#include "isa.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 4096u
#define MAX_LEN (1u << 24)
#define MAX_ADDR ((1u << 24) - 1)

/* ---- bit fields of the 128-bit word ---------------------------------------- */

static void put_bits(uint32_t w[4], unsigned lo, unsigned width, uint32_t v) {
  for (unsigned i = 0; i < width; i++) {
    unsigned bit = lo + i;
    if ((v >> i) & 1u) w[bit / 32] |= 1u << (bit % 32);
  }
}

static uint32_t get_bits(const uint32_t w[4], unsigned lo, unsigned width) {
  uint32_t v = 0;
  for (unsigned i = 0; i < width; i++) {
    unsigned bit = lo + i;
    v |= ((w[bit / 32] >> (bit % 32)) & 1u) << i;
  }
  return v;
}

const char *tsr_wait_chan_name(uint32_t chan) {
  static const char *const names[TSR_WAIT_CHANS] = {"any", "mesh", "row", "col"};
  return chan < TSR_WAIT_CHANS ? names[chan] : "?";
}

int tsr_op_unary(uint32_t op) {
  return op == TSR_OP_VEXP || op == TSR_OP_VRECIP || op == TSR_OP_VRSQRT || op == TSR_OP_VGELU ||
         op == TSR_OP_VGELUD;
}

int tsr_op_vector(uint32_t op) {
  return op == TSR_OP_VADD || op == TSR_OP_VAXPY || op == TSR_OP_VMUL || op == TSR_OP_VMAX ||
         tsr_op_unary(op);
}

const char *tsr_op_name(uint32_t op) {
  switch (op) {
  case TSR_OP_GEMM: return "gemm";
  case TSR_OP_VADD: return "vadd";
  case TSR_OP_VAXPY: return "vaxpy";
  case TSR_OP_VMUL: return "vmul";
  case TSR_OP_VEXP: return "vexp";
  case TSR_OP_VMAX: return "vmax";
  case TSR_OP_VRECIP: return "vrecip";
  case TSR_OP_VRSQRT: return "vrsqrt";
  case TSR_OP_VGELU: return "vgelu";
  case TSR_OP_VGELUD: return "vgelud";
  case TSR_OP_VTRANS: return "vtrans";
  case TSR_OP_SEND: return "send";
  case TSR_OP_WAIT: return "wait";
  case TSR_OP_FENCE: return "fence";
  case TSR_OP_DRD: return "drd";
  case TSR_OP_DWR: return "dwr";
  case TSR_OP_HALT: return "halt";
  default: return NULL;
  }
}

static int range(const char *op, const char *key, uint32_t v, uint32_t lo, uint32_t hi,
                 char err[TSR_ISA_ERR_LEN]) {
  if (v >= lo && v <= hi) return 0;
  snprintf(err, TSR_ISA_ERR_LEN, "%s: %s=%u is out of range, expected %u..%u", op, key, v, lo, hi);
  return -1;
}

int tsr_encode(const tsr_insn *in, uint32_t out[TSR_INSN_WORDS], char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof(uint32_t) * TSR_INSN_WORDS);
  const char *op = tsr_op_name(in->op);
  if (!op) {
    snprintf(err, TSR_ISA_ERR_LEN, "unknown opcode 0x%02x", (unsigned)in->op);
    return -1;
  }
  put_bits(out, TSR_F_OP, TSR_F_OP_W, in->op);
  switch (in->op) {
  case TSR_OP_GEMM:
    if (range(op, "m", in->m, 1, MAX_DIM, err) || range(op, "k", in->k, 1, MAX_DIM, err) ||
        range(op, "n", in->n, 1, MAX_DIM, err) || range(op, "acc", in->acc, 0, 1, err) ||
        range(op, "x", in->a, 0, MAX_ADDR, err) || range(op, "w", in->b, 0, MAX_ADDR, err) ||
        range(op, "y", in->c, 0, MAX_ADDR, err))
      return -1;
    put_bits(out, TSR_F_FLAGS, 1, in->acc);
    put_bits(out, TSR_F_DIM0, TSR_F_DIM0_W, in->m - 1);
    put_bits(out, TSR_F_DIM1, TSR_F_DIM1_W, in->k - 1);
    put_bits(out, TSR_F_DIM2, TSR_F_DIM2_W, in->n - 1);
    put_bits(out, TSR_F_A, TSR_F_A_W, in->a);
    put_bits(out, TSR_F_B, TSR_F_B_W, in->b);
    put_bits(out, TSR_F_C, TSR_F_C_W, in->c);
    return 0;
  case TSR_OP_VTRANS:
    if (range(op, "m", in->m, 1, MAX_DIM, err) || range(op, "n", in->n, 1, MAX_DIM, err) ||
        range(op, "a", in->a, 0, MAX_ADDR, err) || range(op, "c", in->c, 0, MAX_ADDR, err))
      return -1;
    put_bits(out, TSR_F_DIM0, TSR_F_DIM0_W, in->m - 1);
    put_bits(out, TSR_F_DIM2, TSR_F_DIM2_W, in->n - 1);
    put_bits(out, TSR_F_A, TSR_F_A_W, in->a);
    put_bits(out, TSR_F_C, TSR_F_C_W, in->c);
    return 0;
  case TSR_OP_VADD:
  case TSR_OP_VMUL:
  case TSR_OP_VMAX:
  case TSR_OP_VAXPY:
  case TSR_OP_VEXP:
  case TSR_OP_VRECIP:
  case TSR_OP_VRSQRT:
  case TSR_OP_VGELU:
  case TSR_OP_VGELUD: { /* a unary one has no B: its field stays zero */
    int vadd = in->op != TSR_OP_VAXPY, unary = tsr_op_unary(in->op);
    if (range(op, "len", in->len, 1, MAX_LEN, err) ||
        range(op, vadd ? "a" : "x", in->a, 0, MAX_ADDR, err) ||
        (!unary && range(op, vadd ? "b" : "y", in->b, 0, MAX_ADDR, err)) ||
        range(op, vadd ? "c" : "s", in->c, 0, MAX_ADDR, err))
      return -1;
    put_bits(out, TSR_F_LEN, TSR_F_LEN_W, in->len - 1);
    put_bits(out, TSR_F_A, TSR_F_A_W, in->a);
    if (!unary) put_bits(out, TSR_F_B, TSR_F_B_W, in->b);
    put_bits(out, TSR_F_C, TSR_F_C_W, in->c);
    return 0;
  }
  case TSR_OP_SEND:
    if (range(op, "row", in->row, 0, 63, err) || range(op, "col", in->col, 0, 63, err) ||
        range(op, "len", in->len, 1, MAX_LEN, err) || range(op, "src", in->a, 0, MAX_ADDR, err) ||
        range(op, "dst", in->c, 0, MAX_ADDR, err) || range(op, "chan", in->ring, 0, 1, err) ||
        range(op, "async", in->async, 0, 1, err))
      return -1;
    put_bits(out, TSR_F_FLAGS, 1, in->ring);
    put_bits(out, TSR_F_FLAGS + 3, 1, in->async);
    put_bits(out, TSR_F_FLAGS + 1, 1, in->dst_buf);
    put_bits(out, TSR_F_FLAGS + 2, 1, in->src_buf);
    put_bits(out, TSR_F_ROW, TSR_F_ROW_W, in->row);
    put_bits(out, TSR_F_COL, TSR_F_COL_W, in->col);
    put_bits(out, TSR_F_LEN, TSR_F_LEN_W, in->len - 1);
    put_bits(out, TSR_F_A, TSR_F_A_W, in->a);
    put_bits(out, TSR_F_C, TSR_F_C_W, in->c);
    return 0;
  case TSR_OP_WAIT:
    if (range(op, in->msgs ? "msgs" : "words", in->len, 0, MAX_LEN - 1, err)) return -1;
    if (range(op, "chan", in->chan, 0, TSR_WAIT_CHANS - 1, err)) return -1;
    put_bits(out, TSR_F_FLAGS, 1, in->msgs ? 1 : 0);
    put_bits(out, TSR_F_FLAGS + 1, 2, in->chan);
    put_bits(out, TSR_F_LEN, TSR_F_LEN_W, in->len);
    return 0;
  case TSR_OP_DRD:
  case TSR_OP_DWR:
    if (range(op, "len", in->len, 1, MAX_LEN, err) || range(op, "addr", in->c, 0, MAX_ADDR, err) ||
        range(op, "async", in->async, 0, 1, err))
      return -1;
    put_bits(out, TSR_F_FLAGS + 3, 1, in->async);
    if (in->op == TSR_OP_DRD) put_bits(out, TSR_F_FLAGS + 1, 1, in->dst_buf);
    else put_bits(out, TSR_F_FLAGS + 2, 1, in->src_buf);
    put_bits(out, TSR_F_LEN, TSR_F_LEN_W, in->len - 1);
    put_bits(out, TSR_F_HI, TSR_F_HI_W, in->dram >> 24);
    put_bits(out, TSR_F_A, TSR_F_A_W, in->dram & 0xFFFFFFu);
    put_bits(out, TSR_F_C, TSR_F_C_W, in->c);
    return 0;
  default: /* FENCE, HALT */
    return 0;
  }
}

int tsr_decode(const uint32_t in[TSR_INSN_WORDS], tsr_insn *out, char err[TSR_ISA_ERR_LEN]) {
  memset(out, 0, sizeof *out);
  uint32_t opc = get_bits(in, TSR_F_OP, TSR_F_OP_W);
  const char *op = tsr_op_name(opc);
  if (!op) {
    snprintf(err, TSR_ISA_ERR_LEN, "unknown opcode 0x%02x", opc);
    return -1;
  }
  out->op = (tsr_opcode)opc;
  uint32_t flags = get_bits(in, TSR_F_FLAGS, TSR_F_FLAGS_W);
  /* Bits the opcode uses; anything else set is an error. */
  uint32_t used[4] = {0, 0, 0, 0};
  put_bits(used, TSR_F_OP, TSR_F_OP_W, 0xFF);
  switch (out->op) {
  case TSR_OP_GEMM:
    out->acc = flags & 1u;
    out->m = get_bits(in, TSR_F_DIM0, TSR_F_DIM0_W) + 1;
    out->k = get_bits(in, TSR_F_DIM1, TSR_F_DIM1_W) + 1;
    out->n = get_bits(in, TSR_F_DIM2, TSR_F_DIM2_W) + 1;
    out->a = get_bits(in, TSR_F_A, TSR_F_A_W);
    out->b = get_bits(in, TSR_F_B, TSR_F_B_W);
    out->c = get_bits(in, TSR_F_C, TSR_F_C_W);
    put_bits(used, TSR_F_FLAGS, 1, 1);
    put_bits(used, TSR_F_DIM2, 24, 0xFFFFFFu);   /* dim2, dim1 */
    put_bits(used, TSR_F_DIM0, TSR_F_DIM0_W, 0xFFFu);
    put_bits(used, TSR_F_C, TSR_F_C_W, 0xFFFFFFu);
    put_bits(used, TSR_F_B, TSR_F_B_W, 0xFFFFFFu);
    put_bits(used, TSR_F_A, TSR_F_A_W, 0xFFFFFFu);
    break;
  case TSR_OP_VTRANS:
    out->m = get_bits(in, TSR_F_DIM0, TSR_F_DIM0_W) + 1;
    out->n = get_bits(in, TSR_F_DIM2, TSR_F_DIM2_W) + 1;
    out->a = get_bits(in, TSR_F_A, TSR_F_A_W);
    out->c = get_bits(in, TSR_F_C, TSR_F_C_W);
    put_bits(used, TSR_F_DIM0, TSR_F_DIM0_W, 0xFFFu);
    put_bits(used, TSR_F_DIM2, TSR_F_DIM2_W, 0xFFFu);
    put_bits(used, TSR_F_C, TSR_F_C_W, 0xFFFFFFu);
    put_bits(used, TSR_F_A, TSR_F_A_W, 0xFFFFFFu);
    break;
  case TSR_OP_VADD:
  case TSR_OP_VMUL:
  case TSR_OP_VMAX:
  case TSR_OP_VAXPY:
  case TSR_OP_VEXP:
  case TSR_OP_VRECIP:
  case TSR_OP_VRSQRT:
  case TSR_OP_VGELU:
  case TSR_OP_VGELUD:
    out->len = get_bits(in, TSR_F_LEN, TSR_F_LEN_W) + 1;
    out->a = get_bits(in, TSR_F_A, TSR_F_A_W);
    out->c = get_bits(in, TSR_F_C, TSR_F_C_W);
    put_bits(used, TSR_F_LEN, TSR_F_LEN_W, 0xFFFFFFu);
    put_bits(used, TSR_F_C, TSR_F_C_W, 0xFFFFFFu);
    put_bits(used, TSR_F_A, TSR_F_A_W, 0xFFFFFFu);
    if (!tsr_op_unary(out->op)) {
      out->b = get_bits(in, TSR_F_B, TSR_F_B_W);
      put_bits(used, TSR_F_B, TSR_F_B_W, 0xFFFFFFu);
    }
    break;
  case TSR_OP_SEND:
    out->ring = flags & 1u;
    out->dst_buf = (tsr_buf)((flags >> 1) & 1u);
    out->src_buf = (tsr_buf)((flags >> 2) & 1u);
    out->async = (flags >> 3) & 1u;
    out->row = get_bits(in, TSR_F_ROW, TSR_F_ROW_W);
    out->col = get_bits(in, TSR_F_COL, TSR_F_COL_W);
    out->len = get_bits(in, TSR_F_LEN, TSR_F_LEN_W) + 1;
    out->a = get_bits(in, TSR_F_A, TSR_F_A_W);
    out->c = get_bits(in, TSR_F_C, TSR_F_C_W);
    put_bits(used, TSR_F_FLAGS, 4, 0xF);
    put_bits(used, TSR_F_LEN, TSR_F_LEN_W, 0xFFFFFFu);
    put_bits(used, TSR_F_COL, 12, 0xFFFu);
    put_bits(used, TSR_F_A, TSR_F_A_W, 0xFFFFFFu);
    put_bits(used, TSR_F_C, TSR_F_C_W, 0xFFFFFFu);
    break;
  case TSR_OP_WAIT:
    out->msgs = flags & 1u;
    out->chan = (flags >> 1) & 3u;
    out->len = get_bits(in, TSR_F_LEN, TSR_F_LEN_W);
    put_bits(used, TSR_F_FLAGS, 3, 7);
    put_bits(used, TSR_F_LEN, TSR_F_LEN_W, 0xFFFFFFu);
    break;
  case TSR_OP_DRD:
  case TSR_OP_DWR:
    if (out->op == TSR_OP_DRD) out->dst_buf = (tsr_buf)((flags >> 1) & 1u);
    else out->src_buf = (tsr_buf)((flags >> 2) & 1u);
    out->async = (flags >> 3) & 1u;
    out->len = get_bits(in, TSR_F_LEN, TSR_F_LEN_W) + 1;
    out->dram = (get_bits(in, TSR_F_HI, TSR_F_HI_W) << 24) | get_bits(in, TSR_F_A, TSR_F_A_W);
    out->c = get_bits(in, TSR_F_C, TSR_F_C_W);
    put_bits(used, TSR_F_FLAGS + (out->op == TSR_OP_DRD ? 1 : 2), 1, 1);
    put_bits(used, TSR_F_FLAGS + 3, 1, 1);
    put_bits(used, TSR_F_LEN, TSR_F_LEN_W, 0xFFFFFFu);
    put_bits(used, TSR_F_HI, TSR_F_HI_W, 0xFF);
    put_bits(used, TSR_F_A, TSR_F_A_W, 0xFFFFFFu);
    put_bits(used, TSR_F_C, TSR_F_C_W, 0xFFFFFFu);
    break;
  default:
    break;
  }
  for (int i = 3; i >= 0; i--) {
    uint32_t stray = in[i] & ~used[i];
    if (stray) {
      int bit = 0;
      while (!((stray >> bit) & 1u)) bit++;
      snprintf(err, TSR_ISA_ERR_LEN, "%s: reserved bit %d is set (the %s instruction does not use it)",
               op, 32 * i + bit, op);
      return -1;
    }
  }
  return 0;
}

/* ---- assembler ---------------------------------------------------------------- */

#define MAX_KEYS 8
typedef struct {
  char key[16];
  char val[64];
} kv;

static int parse_u32(const char *s, uint32_t *out) {
  if (!*s || *s == '-' || *s == '+') return -1;
  errno = 0;
  char *end;
  /* Decimal or 0x hexadecimal only: base 0 would read "010" as octal 8. */
  int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (hex && !s[2]) return -1;
  unsigned long long v = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
  if (errno || *end || v > 0xFFFFFFFFull) return -1;
  *out = (uint32_t)v;
  return 0;
}

typedef struct {
  const char *op;
  kv *kvs;
  int n;
  int used[MAX_KEYS];
  char *err;
} line_ctx;

static const kv *find(line_ctx *c, const char *key) {
  for (int i = 0; i < c->n; i++) {
    if (!strcmp(c->kvs[i].key, key)) {
      c->used[i] = 1;
      return &c->kvs[i];
    }
  }
  return NULL;
}

/* A numeric key; required unless dflt >= 0. */
static int num(line_ctx *c, const char *key, uint32_t lo, uint32_t hi, long long dflt,
               uint32_t *out) {
  const kv *p = find(c, key);
  if (!p) {
    if (dflt >= 0) {
      *out = (uint32_t)dflt;
      return 0;
    }
    snprintf(c->err, TSR_ISA_ERR_LEN, "%s: missing %s=", c->op, key);
    return -1;
  }
  if (parse_u32(p->val, out)) {
    snprintf(c->err, TSR_ISA_ERR_LEN, "%s: %s=%s is not a number, expected decimal or 0x hex",
             c->op, key, p->val);
    return -1;
  }
  if (*out < lo || *out > hi) {
    snprintf(c->err, TSR_ISA_ERR_LEN, "%s: %s=%s is out of range, expected %u..%u", c->op, key,
             p->val, lo, hi);
    return -1;
  }
  return 0;
}

/* A buffer address "act:ADDR" or "wgt:ADDR". */
static int bufaddr(line_ctx *c, const char *key, tsr_buf *buf, uint32_t *addr) {
  const kv *p = find(c, key);
  if (!p) {
    snprintf(c->err, TSR_ISA_ERR_LEN, "%s: missing %s=act:ADDR or %s=wgt:ADDR", c->op, key, key);
    return -1;
  }
  const char *colon = strchr(p->val, ':');
  int ok = colon && (colon - p->val) == 3;
  if (ok && !strncmp(p->val, "act", 3)) *buf = TSR_BUF_ACT;
  else if (ok && !strncmp(p->val, "wgt", 3)) *buf = TSR_BUF_WGT;
  else ok = 0;
  if (!ok || parse_u32(colon + 1, addr) || *addr > MAX_ADDR) {
    snprintf(c->err, TSR_ISA_ERR_LEN, "%s: %s=%s is not allowed, expected act:ADDR or wgt:ADDR with ADDR 0..%u",
             c->op, key, p->val, MAX_ADDR);
    return -1;
  }
  return 0;
}

static const char *const keys_of[][MAX_KEYS] = {
    {"x", "w", "y", "m", "k", "n", "acc", NULL},          /* gemm */
    {"a", "b", "c", "len", NULL},                         /* vadd */
    {"x", "y", "s", "len", NULL},                         /* vaxpy */
    {"a", "b", "c", "len", NULL},                         /* vmul */
    {"a", "c", "len", NULL},                              /* vexp */
    {"a", "b", "c", "len", NULL},                         /* vmax */
    {"a", "c", "len", NULL},                              /* vrecip */
    {"a", "c", "len", NULL},                              /* vrsqrt */
    {"a", "c", "len", NULL},                              /* vgelu */
    {"a", "c", "len", NULL},                              /* vgelud */
    {"a", "c", "m", "n", NULL},                           /* vtrans */
    {"row", "col", "src", "dst", "len", "chan", "async", NULL}, /* send */
    {"words", "msgs", "chan", NULL},                      /* wait */
    {NULL},                                               /* fence */
    {"dram", "dst", "len", "async", NULL},                /* drd */
    {"src", "dram", "len", "async", NULL},                /* dwr */
    {NULL},                                               /* halt */
};
static const char *const mnemonics[] = {"gemm",   "vadd",   "vaxpy",  "vmul",  "vexp",
                                        "vmax",   "vrecip", "vrsqrt", "vgelu", "vgelud",
                                        "vtrans", "send",   "wait",   "fence", "drd",
                                        "dwr",    "halt"};
static const tsr_opcode opcodes[] = {
    TSR_OP_GEMM,   TSR_OP_VADD,   TSR_OP_VAXPY, TSR_OP_VMUL,   TSR_OP_VEXP,  TSR_OP_VMAX,
    TSR_OP_VRECIP, TSR_OP_VRSQRT, TSR_OP_VGELU, TSR_OP_VGELUD, TSR_OP_VTRANS, TSR_OP_SEND,
    TSR_OP_WAIT,   TSR_OP_FENCE,  TSR_OP_DRD,   TSR_OP_DWR,    TSR_OP_HALT};

static int build(int which, line_ctx *c, tsr_insn *in) {
  memset(in, 0, sizeof *in);
  in->op = opcodes[which];
  switch (in->op) {
  case TSR_OP_GEMM:
    return num(c, "x", 0, MAX_ADDR, -1, &in->a) || num(c, "w", 0, MAX_ADDR, -1, &in->b) ||
                   num(c, "y", 0, MAX_ADDR, -1, &in->c) || num(c, "m", 1, MAX_DIM, -1, &in->m) ||
                   num(c, "k", 1, MAX_DIM, -1, &in->k) || num(c, "n", 1, MAX_DIM, -1, &in->n) ||
                   num(c, "acc", 0, 1, 0, &in->acc)
               ? -1
               : 0;
  case TSR_OP_VTRANS:
    return num(c, "a", 0, MAX_ADDR, -1, &in->a) || num(c, "c", 0, MAX_ADDR, -1, &in->c) ||
                   num(c, "m", 1, MAX_DIM, -1, &in->m) || num(c, "n", 1, MAX_DIM, -1, &in->n)
               ? -1
               : 0;
  case TSR_OP_VADD:
  case TSR_OP_VMUL:
  case TSR_OP_VMAX:
    return num(c, "a", 0, MAX_ADDR, -1, &in->a) || num(c, "b", 0, MAX_ADDR, -1, &in->b) ||
                   num(c, "c", 0, MAX_ADDR, -1, &in->c) || num(c, "len", 1, MAX_LEN, -1, &in->len)
               ? -1
               : 0;
  case TSR_OP_VEXP:
  case TSR_OP_VRECIP:
  case TSR_OP_VRSQRT:
  case TSR_OP_VGELU:
  case TSR_OP_VGELUD:
    return num(c, "a", 0, MAX_ADDR, -1, &in->a) || num(c, "c", 0, MAX_ADDR, -1, &in->c) ||
                   num(c, "len", 1, MAX_LEN, -1, &in->len)
               ? -1
               : 0;
  case TSR_OP_VAXPY:
    return num(c, "x", 0, MAX_ADDR, -1, &in->a) || num(c, "y", 0, MAX_ADDR, -1, &in->b) ||
                   num(c, "s", 0, MAX_ADDR, -1, &in->c) || num(c, "len", 1, MAX_LEN, -1, &in->len)
               ? -1
               : 0;
  case TSR_OP_SEND: {
    if (num(c, "row", 0, 63, -1, &in->row) || num(c, "col", 0, 63, -1, &in->col) ||
        bufaddr(c, "src", &in->src_buf, &in->a) || bufaddr(c, "dst", &in->dst_buf, &in->c) ||
        num(c, "len", 1, MAX_LEN, -1, &in->len) || num(c, "async", 0, 1, 0, &in->async))
      return -1;
    const kv *ch = find(c, "chan");
    if (ch && strcmp(ch->val, "mesh") && strcmp(ch->val, "ring")) {
      snprintf(c->err, TSR_ISA_ERR_LEN, "send: chan=%s is not allowed, expected mesh or ring",
               ch->val);
      return -1;
    }
    in->ring = ch && !strcmp(ch->val, "ring");
    return 0;
  }
  case TSR_OP_WAIT: {
    int has_w = find(c, "words") != NULL, has_m = find(c, "msgs") != NULL;
    if (has_w == has_m) {
      snprintf(c->err, TSR_ISA_ERR_LEN, "wait: expected exactly one of words=N or msgs=N");
      return -1;
    }
    in->msgs = (uint32_t)has_m;
    const kv *ch = find(c, "chan");
    if (ch) {
      while (in->chan < TSR_WAIT_CHANS && strcmp(ch->val, tsr_wait_chan_name(in->chan))) in->chan++;
      if (in->chan == TSR_WAIT_CHANS) {
        snprintf(c->err, TSR_ISA_ERR_LEN, "wait: chan=%s is not allowed, expected any, mesh, row or col",
                 ch->val);
        return -1;
      }
    }
    return num(c, has_m ? "msgs" : "words", 0, MAX_LEN - 1, -1, &in->len);
  }
  case TSR_OP_DRD:
    return num(c, "dram", 0, 0xFFFFFFFFu, -1, &in->dram) ||
                   bufaddr(c, "dst", &in->dst_buf, &in->c) ||
                   num(c, "len", 1, MAX_LEN, -1, &in->len) || num(c, "async", 0, 1, 0, &in->async)
               ? -1
               : 0;
  case TSR_OP_DWR:
    return bufaddr(c, "src", &in->src_buf, &in->c) ||
                   num(c, "dram", 0, 0xFFFFFFFFu, -1, &in->dram) ||
                   num(c, "len", 1, MAX_LEN, -1, &in->len) || num(c, "async", 0, 1, 0, &in->async)
               ? -1
               : 0;
  default:
    return 0;
  }
}

/* Assemble one line's tokens; returns 1 if it held an instruction, 0 if
 * blank, -1 on error (message in err, without the NAME:LINE prefix). */
static int assemble_line(char *line, tsr_insn *in, char err[TSR_ISA_ERR_LEN]) {
  char *cut = strpbrk(line, ";#");
  if (cut) *cut = '\0';
  char *save = NULL, *tok = strtok_r(line, " \t\r", &save);
  if (!tok) return 0;
  int which = -1;
  for (int i = 0; i < (int)(sizeof mnemonics / sizeof mnemonics[0]); i++)
    if (!strcmp(tok, mnemonics[i])) which = i;
  if (which < 0) {
    snprintf(err, TSR_ISA_ERR_LEN,
             "unknown mnemonic '%.40s', expected gemm, vadd, vaxpy, vmul, vexp, vmax, vrecip, "
             "vrsqrt, vgelu, vgelud, vtrans, send, wait, fence, drd, dwr or halt",
             tok);
    return -1;
  }
  kv kvs[MAX_KEYS];
  line_ctx c = {.op = mnemonics[which], .kvs = kvs, .n = 0, .err = err};
  memset(c.used, 0, sizeof c.used);
  while ((tok = strtok_r(NULL, " \t\r", &save))) {
    char *eq = strchr(tok, '=');
    if (!eq || eq == tok || strlen(eq + 1) == 0) {
      snprintf(err, TSR_ISA_ERR_LEN, "%s: '%.40s' is not key=value", c.op, tok);
      return -1;
    }
    *eq = '\0';
    int known = 0;
    for (int i = 0; keys_of[which][i]; i++) known |= !strcmp(keys_of[which][i], tok);
    if (!known) {
      char list[128] = "";
      for (int i = 0; keys_of[which][i]; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, keys_of[which][i]);
      }
      snprintf(err, TSR_ISA_ERR_LEN, "%s: unknown key '%.20s', expected %s", c.op, tok,
               *list ? list : "no operands");
      return -1;
    }
    for (int i = 0; i < c.n; i++) {
      if (!strcmp(kvs[i].key, tok)) {
        snprintf(err, TSR_ISA_ERR_LEN, "%s: duplicate key '%s'", c.op, tok);
        return -1;
      }
    }
    if (strlen(eq + 1) >= sizeof kvs[0].val) {
      snprintf(err, TSR_ISA_ERR_LEN, "%s: value of %s is too long", c.op, tok);
      return -1;
    }
    snprintf(kvs[c.n].key, sizeof kvs[c.n].key, "%s", tok);
    snprintf(kvs[c.n].val, sizeof kvs[c.n].val, "%s", eq + 1);
    c.n++;
  }
  return build(which, &c, in) ? -1 : 1;
}

int tsr_assemble(const char *text, const char *name, uint32_t **words, size_t *n_insns,
                 char err[TSR_ISA_ERR_LEN]) {
  *words = NULL;
  *n_insns = 0;
  size_t cap = 0, n = 0;
  uint32_t *out = NULL;
  const char *p = text;
  for (unsigned lineno = 1; *p; lineno++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char line[512], why[TSR_ISA_ERR_LEN];
    tsr_insn in;
    int rc;
    if (len >= sizeof line) {
      snprintf(why, sizeof why, "line longer than %zu characters", sizeof line - 1);
      rc = -1;
    } else {
      memcpy(line, p, len);
      line[len] = '\0';
      rc = assemble_line(line, &in, why);
    }
    if (rc == 1) {
      if (n == cap) {
        cap = cap ? 2 * cap : 16;
        uint32_t *grown = realloc(out, cap * TSR_INSN_WORDS * sizeof *out);
        if (!grown) {
          snprintf(why, sizeof why, "out of memory");
          rc = -1;
        } else {
          out = grown;
        }
      }
      if (rc == 1 && tsr_encode(&in, out + TSR_INSN_WORDS * n, why)) rc = -1;
      if (rc == 1) n++;
    }
    if (rc < 0) {
      snprintf(err, TSR_ISA_ERR_LEN, "%.60s:%u: %.180s", name, lineno, why);
      free(out);
      return -1;
    }
    p += len + (nl ? 1 : 0);
  }
  *words = out;
  *n_insns = n;
  return 0;
}

static const char *buf_name(tsr_buf b) { return b == TSR_BUF_WGT ? "wgt" : "act"; }

void tsr_disasm_insn(const tsr_insn *in, char *out, size_t out_len) {
  switch (in->op) {
  case TSR_OP_GEMM:
    snprintf(out, out_len, "gemm x=0x%x w=0x%x y=0x%x m=%u k=%u n=%u acc=%u", in->a, in->b, in->c,
             in->m, in->k, in->n, in->acc);
    break;
  case TSR_OP_VTRANS:
    snprintf(out, out_len, "vtrans a=0x%x c=0x%x m=%u n=%u", in->a, in->c, in->m, in->n);
    break;
  case TSR_OP_VADD:
  case TSR_OP_VMUL:
  case TSR_OP_VMAX:
    snprintf(out, out_len, "%s a=0x%x b=0x%x c=0x%x len=%u", tsr_op_name(in->op), in->a, in->b,
             in->c, in->len);
    break;
  case TSR_OP_VEXP:
  case TSR_OP_VRECIP:
  case TSR_OP_VRSQRT:
  case TSR_OP_VGELU:
  case TSR_OP_VGELUD:
    snprintf(out, out_len, "%s a=0x%x c=0x%x len=%u", tsr_op_name(in->op), in->a, in->c, in->len);
    break;
  case TSR_OP_VAXPY:
    snprintf(out, out_len, "vaxpy x=0x%x y=0x%x s=0x%x len=%u", in->a, in->b, in->c, in->len);
    break;
  case TSR_OP_SEND:
    snprintf(out, out_len, "send row=%u col=%u src=%s:0x%x dst=%s:0x%x len=%u chan=%s%s", in->row,
             in->col, buf_name(in->src_buf), in->a, buf_name(in->dst_buf), in->c, in->len,
             in->ring ? "ring" : "mesh", in->async ? " async=1" : "");
    break;
  case TSR_OP_WAIT:
    snprintf(out, out_len, "wait %s=%u%s%s", in->msgs ? "msgs" : "words", in->len,
             in->chan ? " chan=" : "", in->chan ? tsr_wait_chan_name(in->chan) : "");
    break;
  case TSR_OP_DRD:
    snprintf(out, out_len, "drd dram=0x%x dst=%s:0x%x len=%u%s", in->dram, buf_name(in->dst_buf),
             in->c, in->len, in->async ? " async=1" : "");
    break;
  case TSR_OP_DWR:
    snprintf(out, out_len, "dwr src=%s:0x%x dram=0x%x len=%u%s", buf_name(in->src_buf), in->c,
             in->dram, in->len, in->async ? " async=1" : "");
    break;
  case TSR_OP_FENCE:
    snprintf(out, out_len, "fence");
    break;
  default:
    snprintf(out, out_len, "halt");
    break;
  }
}

/* ---- hex files ------------------------------------------------------------------ */

int tsr_hex_read(const char *text, const char *name, uint32_t **words, size_t *n_words,
                 char err[TSR_ISA_ERR_LEN]) {
  size_t cap = 0, n = 0;
  uint32_t *out = NULL;
  const char *p = text;
  for (unsigned lineno = 1; *p; lineno++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    size_t i = 0, digits = 0;
    uint32_t v = 0;
    while (i < len && isspace((unsigned char)p[i])) i++;
    int blank = i == len || p[i] == '#';
    while (!blank && i < len && isxdigit((unsigned char)p[i]) && digits < 9) {
      v = (v << 4) | (uint32_t)(isdigit((unsigned char)p[i]) ? p[i] - '0'
                                                             : (tolower((unsigned char)p[i]) - 'a' + 10));
      i++;
      digits++;
    }
    while (!blank && i < len && isspace((unsigned char)p[i])) i++;
    if (!blank && (digits != 8 || i != len)) {
      snprintf(err, TSR_ISA_ERR_LEN, "%.150s:%u: expected one 32-bit word as 8 hex digits", name,
               lineno);
      free(out);
      return -1;
    }
    if (!blank) {
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        uint32_t *grown = realloc(out, cap * sizeof *out);
        if (!grown) {
          snprintf(err, TSR_ISA_ERR_LEN, "%.150s: out of memory", name);
          free(out);
          return -1;
        }
        out = grown;
      }
      out[n++] = v;
    }
    p += len + (nl ? 1 : 0);
  }
  *words = out;
  *n_words = n;
  return 0;
}

char *tsr_hex_write(const uint32_t *words, size_t n_words) {
  char *text = malloc(9 * n_words + 1);
  if (!text) return NULL;
  for (size_t i = 0; i < n_words; i++) snprintf(text + 9 * i, 10, "%08x\n", words[i]);
  text[9 * n_words] = '\0';
  return text;
}
