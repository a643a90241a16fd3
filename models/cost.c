/* cost.c - see cost.h. Every instruction is FETCH + DECODE + its steps +
 * RETIRE; every step but the os stream's is
 *
 *   1 (SETUP) + [L > 0] (L + 1) (LOAD, DRAIN) + [fire] (1 + D) (FIRE, WAIT) + S (STORE)
 *
 * where L = max(La, Lw): La the activation-buffer issue cycles (a contiguous
 * run of n words takes ceil(n / banks) cycles, a strided X column one cycle
 * per word), Lw the weight-buffer issue cycles, D the FMA pipeline depth and
 * S = ceil(n / act banks) for the stored run. "banks" are the buffer's
 * words per access, banks x port_bits / 32. An os GEMM tile's k loop is one
 * STREAM step (stream_cycles). */
#include "cost.h"

#include "die_sched.h"

#include <stdio.h>
#include <string.h>

static uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* One step's shape: act segments (words, strided?), weight words, fire, store. */
typedef struct {
  uint64_t act0, act1; /* words loaded from the activation buffer, segments 0 and 1 */
  int act0_strided;    /* segment 0 is an X column: one word per cycle */
  uint64_t wgt;        /* words loaded from the weight buffer */
  uint64_t fma_ops;    /* units fired; 0 = no FIRE */
  uint64_t store;      /* words stored to the activation buffer */
} step_shape;

/* Add `times` identical steps to the counts. */
static void add_steps(const tsr_die_cfg *d, const step_shape *s, uint64_t times, tsr_counts *c) {
  uint64_t ab = tsr_buf_lanes(&d->act_buffer), wb = tsr_buf_lanes(&d->weight_buffer);
  uint64_t la = (s->act0_strided ? s->act0 : ceil_div(s->act0, ab)) + ceil_div(s->act1, ab);
  uint64_t lw = ceil_div(s->wgt, wb);
  uint64_t l = max_u64(la, lw);
  uint64_t st = ceil_div(s->store, ab);
  uint64_t fire = s->fma_ops ? 1 + d->fma_stages : 0;
  uint64_t cycles = 1 + (l ? l + 1 : 0) + fire + st;
  c->c[TSR_CNT_CYCLES] += times * cycles;
  c->c[TSR_CNT_ARRAY_BUSY] += times * fire;
  c->c[TSR_CNT_FMA_OPS] += times * s->fma_ops;
  c->c[TSR_CNT_WBUF_READ_BITS] += times * 32 * s->wgt;
  c->c[TSR_CNT_ABUF_READ_BITS] += times * 32 * (s->act0 + s->act1);
  c->c[TSR_CNT_ABUF_WRITE_BITS] += times * 32 * s->store;
  c->c[TSR_CNT_WBUF_BUSY] += times * lw;
  c->c[TSR_CNT_ABUF_BUSY] += times * (la + st);
}

/* One os tile of tm rows (at most Slots x Rows) and tn columns: accumulators
 * from Y (acc) or zero, the STREAM step, the rows stored back, each one step;
 * `times` such tiles. The STREAM step is SETUP (1) + prologue + the blocks + WAIT (D):
 * the prologue issues X block 0 (tm rows, one per cycle) and W for k = 0
 * (ceil(tn / wl) cycles), + 1 for the last word to land; a block of kb k
 * values fires kb periods of P cycles, and when a next block exists its X
 * loads meanwhile, so the block lasts max(kb P, tm + 1). */
static void os_tile(const tsr_die_cfg *d, uint64_t tm, uint64_t k, uint64_t tn, int acc,
                    uint64_t times, tsr_counts *c) {
  if (!times || !tm || !tn) return;
  /* init: one step, SETUP + LOAD of every row's Y segment + DRAIN, or SETUP
   * alone (zero); store: one step, SETUP + STORE of every row */
  uint64_t al = tsr_buf_lanes(&d->act_buffer), row = ceil_div(tn, al);
  c->c[TSR_CNT_CYCLES] += times * (acc ? 2 + tm * row : 1) + times * (1 + tm * row);
  c->c[TSR_CNT_ABUF_READ_BITS] += acc ? times * 32 * tm * tn : 0;
  c->c[TSR_CNT_ABUF_WRITE_BITS] += times * 32 * tm * tn;
  c->c[TSR_CNT_ABUF_BUSY] += times * tm * row * (acc ? 2 : 1);
  uint64_t p = tsr_os_slots(d), kb = tsr_os_kb(d), rows = d->pe_count;
  uint64_t lw = ceil_div(tn, tsr_buf_lanes(&d->weight_buffer));
  uint64_t nb = ceil_div(k, kb), last = k - (nb - 1) * kb;
  uint64_t cycles = 1 + max_u64(tm, lw) + 1 + (nb - 1) * max_u64(kb * p, tm + 1) + last * p +
                    d->fma_stages;
  c->c[TSR_CNT_CYCLES] += times * cycles;
  c->c[TSR_CNT_ARRAY_BUSY] += times * (k * ceil_div(tm, rows) + d->fma_stages);
  c->c[TSR_CNT_FMA_OPS] += times * tm * tn * k;
  c->c[TSR_CNT_WBUF_READ_BITS] += times * 32 * tn * k;
  c->c[TSR_CNT_ABUF_READ_BITS] += times * 32 * tm * k;
  c->c[TSR_CNT_WBUF_BUSY] += times * lw * k;
  c->c[TSR_CNT_ABUF_BUSY] += times * tm * nb;
}

/* Output-stationary GEMM: tiles of Slots x Rows by Cols outputs, row-major
 * over the output; four classes of tiles (full, or at the m or n edge). */
static void gemm_os(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                    tsr_counts *c) {
  uint64_t rows = (uint64_t)d->pe_count * tsr_os_slots(d), cols = (uint64_t)d->lanes * d->vector;
  uint64_t fm = m / rows, rm = m % rows, fn = n / cols, rn = n % cols;
  os_tile(d, rows, k, cols, acc, fm * fn, c);
  os_tile(d, rows, k, rn, acc, fm, c);
  os_tile(d, rm, k, cols, acc, fn, c);
  os_tile(d, rm, k, rn, acc, 1, c);
}

/* Weight-stationary GEMM: per segment of Units output columns and per k, a
 * W row segment is loaded once; then per m, one X word and the partial-sum
 * row (none for k = 0 without acc) are loaded, fired and stored back. */
static void ws_segment(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t tn, int acc,
                       uint64_t times, tsr_counts *c) {
  if (!times || !tn) return;
  step_shape w = {.wgt = tn};
  add_steps(d, &w, times * k, c);
  step_shape first = {.act0 = 1, .act1 = acc ? tn : 0, .fma_ops = tn, .store = tn};
  add_steps(d, &first, times * m, c);
  step_shape rest = {.act0 = 1, .act1 = tn, .fma_ops = tn, .store = tn};
  add_steps(d, &rest, times * m * (k - 1), c);
}
static void gemm_ws(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                    tsr_counts *c) {
  uint64_t units = tsr_die_units(d);
  ws_segment(d, m, k, units, acc, n / units, c);
  ws_segment(d, m, k, n % units, acc, 1, c);
}

void tsr_cost_gemm(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                   tsr_counts *c) {
  if (!m || !k || !n) return;
  if (d->dataflow == TSR_DF_OS) gemm_os(d, m, k, n, acc, c);
  else gemm_ws(d, m, k, n, acc, c);
}

/* VADD: chunks of Units elements: load A and B, fire with b = 1.0, store C. */
static void vadd(const tsr_die_cfg *d, const tsr_insn *in, tsr_counts *c) {
  uint64_t units = tsr_die_units(d);
  for (uint64_t i0 = 0; i0 < in->len; i0 += units) {
    uint64_t tn = min_u64(units, in->len - i0);
    step_shape s = {.act0 = tn, .act1 = tn, .fma_ops = tn, .store = tn};
    add_steps(d, &s, 1, c);
  }
}

void tsr_cost_insn(const tsr_die_cfg *d, const tsr_insn *in, tsr_insn_cost *out) {
  memset(out, 0, sizeof *out);
  out->insn = *in;
  tsr_counts *c = &out->counts;
  if (in->op == TSR_OP_GEMM) {
    tsr_cost_gemm(d, in->m, in->k, in->n, (int)in->acc, c);
  } else if (in->op == TSR_OP_VADD) {
    vadd(d, in, c);
  }
  c->c[TSR_CNT_CYCLES] += TSR_INSN_OVERHEAD;
  c->c[TSR_CNT_INSNS] = 1;
  c->c[TSR_CNT_IMEM_READ_BITS] = 128;
  out->retire = c->c[TSR_CNT_CYCLES] - 1;
}

int tsr_cost_program(const tsr_die_cfg *d, const uint32_t *words, size_t n_insns,
                     tsr_insn_cost *out, size_t *n_retired, tsr_counts *total,
                     char err[TSR_ISA_ERR_LEN]) {
  memset(total, 0, sizeof *total);
  *n_retired = 0;
  uint64_t now = 0;
  for (size_t i = 0; i < n_insns; i++) {
    tsr_insn in;
    char why[TSR_ISA_ERR_LEN];
    if (tsr_decode(words + 4 * i, &in, why)) {
      snprintf(err, TSR_ISA_ERR_LEN, "insn %zu: %.200s", i, why);
      return -1;
    }
    tsr_cost_insn(d, &in, &out[i]);
    out[i].start = now;
    out[i].retire += now;
    now = out[i].retire + 1;
    for (int k = 0; k < TSR_N_COUNTERS; k++) total->c[k] += out[i].counts.c[k];
    *n_retired = i + 1;
    if (in.op == TSR_OP_HALT) return 0;
  }
  snprintf(err, TSR_ISA_ERR_LEN, "program has no HALT: it runs off its %zu instructions", n_insns);
  return -1;
}

double tsr_energy_pj(const tsr_counts *c, const tsr_energy_cfg *e) {
  const uint64_t *v = c->c;
  return (double)v[TSR_CNT_FMA_OPS] * e->fma_op +
         (double)(v[TSR_CNT_WBUF_READ_BITS] + v[TSR_CNT_ABUF_READ_BITS]) * e->sram_read_bit +
         (double)(v[TSR_CNT_WBUF_WRITE_BITS] + v[TSR_CNT_ABUF_WRITE_BITS]) * e->sram_write_bit +
         (double)v[TSR_CNT_IMEM_READ_BITS] * e->imem_read_bit;
}
