/* cost.c - see cost.h. Every instruction is FETCH + DECODE + its steps +
 * RETIRE. A VADD step is
 *
 *   1 (SETUP) + L + 1 (LOAD, DRAIN) + 1 + D (FIRE, WAIT) + S (STORE)
 *
 * where L is the activation-buffer issue cycles (a contiguous run of n words
 * takes ceil(n / banks) cycles), D the FMA pipeline depth and S =
 * ceil(n / banks) for the stored run. "banks" are the buffer's words per
 * access, banks x port_bits / 32. A VEXP (VRECIP, VRSQRT) step loads A alone
 * and fires its microprogram's steps, TSR_VEXP_STEPS (...) times; a VMAX step compares in its
 * FIRE cycle (no WAIT). A GEMM runs in tiles, each an init step,
 * one stream step for its whole k loop and a store step (tile_io, os_tile,
 * ws_tile). */
#include "cost.h"

#include "die_sched.h"
#include "vfn.h"

#include <stdio.h>
#include <string.h>

static uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* One VADD step of n elements: A and B loaded (n words each), fired, C stored.
 * Without fma (VMAX) the units compare in the FIRE cycle: no FMA, no WAIT. */
static void vadd_step(const tsr_die_cfg *d, uint64_t n, int fma, tsr_counts *c) {
  uint64_t ab = tsr_buf_lanes(&d->act_buffer), wait = fma ? d->fma_stages : 0;
  uint64_t la = 2 * ceil_div(n, ab), st = ceil_div(n, ab);
  c->c[TSR_CNT_CYCLES] += 1 + la + 1 + 1 + wait + st;
  c->c[TSR_CNT_ARRAY_BUSY] += 1 + wait;
  c->c[TSR_CNT_FMA_OPS] += fma ? n : 0;
  c->c[TSR_CNT_ABUF_READ_BITS] += 32 * 2 * n;
  c->c[TSR_CNT_ABUF_WRITE_BITS] += 32 * n;
  c->c[TSR_CNT_ABUF_BUSY] += la + st;
}

/* A microprogram's (VEXP, VRECIP, VRSQRT, VGELU, VGELUD) step of n elements:
 * SETUP, LOAD of A, DRAIN, then every step of the microprogram (`fires` of
 * them) fires the n units and waits for the FMA (FIRE + WAIT), STORE. */
static void vfn_step(const tsr_die_cfg *d, uint64_t n, uint64_t fires, tsr_counts *c) {
  uint64_t ab = tsr_buf_lanes(&d->act_buffer), la = ceil_div(n, ab), st = ceil_div(n, ab);
  c->c[TSR_CNT_CYCLES] += 1 + la + 1 + fires * (1 + d->fma_stages) + st;
  c->c[TSR_CNT_ARRAY_BUSY] += fires * (1 + d->fma_stages);
  c->c[TSR_CNT_FMA_OPS] += fires * n;
  c->c[TSR_CNT_ABUF_READ_BITS] += 32 * n;
  c->c[TSR_CNT_ABUF_WRITE_BITS] += 32 * n;
  c->c[TSR_CNT_ABUF_BUSY] += la + st;
}

/* A tile's init and store around its stream, `times` such tiles: the
 * accumulators from Y (acc: one step, SETUP + LOAD of every row's Y segment +
 * DRAIN) or zero (SETUP alone), and every row stored back (SETUP + STORE). */
static void tile_io(const tsr_die_cfg *d, uint64_t tm, uint64_t tn, int acc, uint64_t times,
                    tsr_counts *c) {
  uint64_t al = tsr_buf_lanes(&d->act_buffer), row = ceil_div(tn, al);
  c->c[TSR_CNT_CYCLES] += times * (acc ? 2 + tm * row : 1) + times * (1 + tm * row);
  c->c[TSR_CNT_ABUF_READ_BITS] += acc ? times * 32 * tm * tn : 0;
  c->c[TSR_CNT_ABUF_WRITE_BITS] += times * 32 * tm * tn;
  c->c[TSR_CNT_ABUF_BUSY] += times * tm * row * (acc ? 2 : 1);
}

/* What both streams of a tile move, `times` such tiles: every FMA of the tile,
 * W read once (tn words per k), X read once (tm words per k). */
static void stream_traffic(const tsr_die_cfg *d, uint64_t tm, uint64_t k, uint64_t tn,
                           uint64_t times, tsr_counts *c) {
  c->c[TSR_CNT_FMA_OPS] += times * tm * tn * k;
  c->c[TSR_CNT_WBUF_READ_BITS] += times * 32 * tn * k;
  c->c[TSR_CNT_ABUF_READ_BITS] += times * 32 * tm * k;
  c->c[TSR_CNT_WBUF_BUSY] += times * ceil_div(tn, tsr_buf_lanes(&d->weight_buffer)) * k;
}

/* One os tile of tm rows (at most Slots x Rows) and tn columns, `times` such
 * tiles. The STREAM step is SETUP (1) + prologue + the blocks + WAIT (D):
 * the prologue issues X block 0 (tm rows, one per cycle) and W for k = 0
 * (ceil(tn / wl) cycles), + 1 for the last word to land; a block of kb k
 * values fires kb periods of P cycles, and when a next block exists its X
 * loads meanwhile, so the block lasts max(kb P, tm + 1). Priced here as a
 * tile with a next one and a predecessor: the last block loads the next
 * tile's X block 0 and the prologue is 1 cycle; os_edges adds the rest. */
static void os_tile(const tsr_die_cfg *d, uint64_t tm, uint64_t k, uint64_t tn, int acc,
                    uint64_t times, tsr_counts *c) {
  if (!times || !tm || !tn) return;
  tile_io(d, tm, tn, acc, times, c);
  uint64_t p = tsr_os_slots(d), kb = tsr_os_kb(d), rows = d->pe_count;
  uint64_t nb = ceil_div(k, kb), last = k - (nb - 1) * kb;
  uint64_t cycles = 1 + 1 + (nb - 1) * max_u64(kb * p, tm + 1) + last * p + d->fma_stages;
  stream_traffic(d, tm, k, tn, times, c);
  c->c[TSR_CNT_CYCLES] += times * cycles;
  c->c[TSR_CNT_ARRAY_BUSY] += times * (k * ceil_div(tm, rows) + d->fma_stages);
  c->c[TSR_CNT_ABUF_BUSY] += times * tm * nb;
}

/* One ws tile of tm rows and tn columns, `times` such tiles. The stream step
 * is SETUP (1) + the prologue (pass 0's weights: ws_prologues, per tile) +
 * the periods of all passes but the last + the last pass (tm rows, then its
 * last write-back, kb S + 1).
 * Passes hold R = pe_count k values (the last one kl = k - (np - 1) R); a
 * period is tb = max(tm, WsPeriod), the one before a partial last pass at
 * least tm + (R - kl) S so that its write-backs come after those of the pass
 * before. PE row r fires a pass's tm rows r S cycles after row 0: a pass
 * keeps the array busy tm + (kb - 1) S cycles (kb tm when tm < S), of which
 * the part past the period overlaps the next pass. */
static void ws_tile(const tsr_die_cfg *d, uint64_t tm, uint64_t k, uint64_t tn, int acc,
                    uint64_t times, tsr_counts *c) {
  if (!times || !tm || !tn) return;
  tile_io(d, tm, tn, acc, times, c);
  uint64_t r = d->pe_count, s = d->fma_stages;
  uint64_t tb = max_u64(tm, tsr_ws_min_period(d));
  uint64_t np = ceil_div(k, r), kl = k - (np - 1) * r;
  uint64_t before_last = kl < r ? max_u64(tb, tm + (r - kl) * s) : tb;
  uint64_t len_full = tm >= s ? tm + (r - 1) * s : r * tm;
  uint64_t len_last = tm >= s ? tm + (kl - 1) * s : kl * tm;
  uint64_t cycles = 1 + tm + kl * s + 1;
  uint64_t busy = len_last;
  if (np >= 2) {
    cycles += (np - 2) * tb + before_last;
    busy += (np - 2) * min_u64(tb, len_full) + min_u64(before_last, len_full);
  }
  stream_traffic(d, tm, k, tn, times, c);
  c->c[TSR_CNT_CYCLES] += times * cycles;
  c->c[TSR_CNT_ARRAY_BUSY] += times * busy;
  c->c[TSR_CNT_ABUF_BUSY] += times * tm * np;
}

/* One VTRANS tile of tm rows of A and tn columns, `times` such tiles: an init
 * step that loads the tm rows into the accumulators (SETUP + LOAD + DRAIN, as
 * a GEMM's with acc), then a store step that writes the tile's tn columns,
 * tm words each, as rows of C (SETUP + STORE). */
static void vtrans_tile(const tsr_die_cfg *d, uint64_t tm, uint64_t k, uint64_t tn, int acc,
                        uint64_t times, tsr_counts *c) {
  (void)k, (void)acc;
  if (!times || !tm || !tn) return;
  uint64_t al = tsr_buf_lanes(&d->act_buffer), load = tm * ceil_div(tn, al),
           store = tn * ceil_div(tm, al);
  c->c[TSR_CNT_CYCLES] += times * (2 + load + 1 + store);
  c->c[TSR_CNT_ABUF_READ_BITS] += times * 32 * tm * tn;
  c->c[TSR_CNT_ABUF_WRITE_BITS] += times * 32 * tm * tn;
  c->c[TSR_CNT_ABUF_BUSY] += times * (load + store);
}

/* ws: the prologue of a tile whose predecessor in the GEMM's walk has tm_p
 * rows and tn_p columns. The loader took this tile's pass 0 from the start of
 * the predecessor's last pass: that pass (tm_p + kl S + 1), its store step and
 * this tile's init step give it `age` cycles before this stream's SETUP, and
 * the prologue waits for the rest of WsPro (pass 0 fires from WsPro loader
 * cycles on, as after a full prologue), at least one cycle. */
static uint64_t ws_next_prologue(const tsr_die_cfg *d, uint64_t tm_p, uint64_t tn_p,
                                 uint64_t k, uint64_t tm, uint64_t tn, int acc) {
  uint64_t r = d->pe_count, al = tsr_buf_lanes(&d->act_buffer), pro = tsr_ws_prologue(d);
  uint64_t kl = k - (ceil_div(k, r) - 1) * r;
  uint64_t age = tm_p + kl * d->fma_stages + 1 + 1 + tm_p * ceil_div(tn_p, al) +
                 (acc ? 2 + tm * ceil_div(tn, al) : 1);
  return age + 2 > pro ? 1 : pro - 1 - age;
}

/* ws: every tile's prologue in the walk (along n, then down m) over fm rows
 * of `rows` and rm, fn columns of `cols` and rn: the first tile's in full,
 * the others' after a preload (ws_next_prologue). */
static uint64_t ws_prologues(const tsr_die_cfg *d, uint64_t k, int acc, uint64_t rows,
                             uint64_t fm, uint64_t rm, uint64_t cols, uint64_t fn, uint64_t rn) {
  uint64_t first_tn = fn ? cols : rn, last_tn = rn ? rn : cols, sum = tsr_ws_prologue(d);
  uint64_t tms[2] = {rows, rm}, n_rows[2] = {fm, rm ? 1 : 0};
  for (int i = 0; i < 2; i++) { /* within each row */
    uint64_t tm = tms[i], per_row = 0;
    if (!n_rows[i]) continue;
    if (fn >= 2) per_row += (fn - 1) * ws_next_prologue(d, tm, cols, k, tm, cols, acc);
    if (fn && rn) per_row += ws_next_prologue(d, tm, cols, k, tm, rn, acc);
    sum += n_rows[i] * per_row;
  }
  /* from a row's last tile to the next row's first */
  if (fm >= 2) sum += (fm - 1) * ws_next_prologue(d, rows, last_tn, k, rows, first_tn, acc);
  if (fm && rm) sum += ws_next_prologue(d, rows, last_tn, k, rm, first_tn, acc);
  return sum;
}

/* os: what os_tile leaves out, over fm rows of `rows` and rm, fn columns of
 * `cols` and rn. The GEMM's first tile has a whole prologue (max(tm, Lw) +
 * 1 instead of 1). Every other tile's X block 0 loaded during its
 * predecessor's last block, which so lasts max(last P, tm + 1) for this tile's
 * tm rows instead of last P. */
static uint64_t os_edges(const tsr_die_cfg *d, uint64_t k, uint64_t rows, uint64_t fm,
                         uint64_t rm, uint64_t cols, uint64_t fn, uint64_t rn) {
  uint64_t p = tsr_os_slots(d), kb = tsr_os_kb(d);
  uint64_t last_p = (k - (ceil_div(k, kb) - 1) * kb) * p, per_row = fn + (rn ? 1 : 0);
  uint64_t tm0 = fm ? rows : rm, tn0 = fn ? cols : rn;
  uint64_t sum = max_u64(tm0, ceil_div(tn0, tsr_buf_lanes(&d->weight_buffer)));
  uint64_t full = fm * per_row, edge = rm ? per_row : 0; /* tiles in full and edge rows */
  if (full) sum += (full - 1) * (max_u64(last_p, rows + 1) - last_p);
  if (edge) sum += (edge - (full ? 0 : 1)) * (max_u64(last_p, rm + 1) - last_p);
  return sum;
}

/* A GEMM in tiles of Slots x Rows by Cols outputs, row-major over the output;
 * four classes of tiles (full, or at the m or n edge), each priced by the
 * dataflow's tile function (trans: VTRANS's tiles, the same walk). */
static void gemm_tiles(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                       int trans, tsr_counts *c) {
  void (*tile)(const tsr_die_cfg *, uint64_t, uint64_t, uint64_t, int, uint64_t, tsr_counts *) =
      trans ? vtrans_tile : d->dataflow == TSR_DF_OS ? os_tile : ws_tile;
  uint64_t rows = tsr_tile_rows(d), cols = (uint64_t)d->lanes * d->vector;
  uint64_t fm = m / rows, rm = m % rows, fn = n / cols, rn = n % cols;
  tile(d, rows, k, cols, acc, fm * fn, c);
  tile(d, rows, k, rn, acc, fm, c);
  tile(d, rm, k, cols, acc, fn, c);
  tile(d, rm, k, rn, acc, 1, c);
  if (!trans && d->dataflow == TSR_DF_WS)
    c->c[TSR_CNT_CYCLES] += ws_prologues(d, k, acc, rows, fm, rm, cols, fn, rn);
  if (!trans && d->dataflow == TSR_DF_OS)
    c->c[TSR_CNT_CYCLES] += os_edges(d, k, rows, fm, rm, cols, fn, rn);
}

void tsr_cost_gemm(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                   tsr_counts *c) {
  if (!m || !k || !n) return;
  gemm_tiles(d, m, k, n, acc, 0, c);
}

/* The FMA steps of a unary instruction's microprogram (arch/vfn.h). */
static uint64_t program_steps(uint32_t op) {
  switch (op) {
  case TSR_OP_VEXP: return TSR_VEXP_STEPS;
  case TSR_OP_VRECIP: return TSR_VRECIP_STEPS;
  case TSR_OP_VRSQRT: return TSR_VRSQRT_STEPS;
  case TSR_OP_VGELU: return TSR_VGELU_STEPS;
  default: return TSR_VGELUD_STEPS;
  }
}

/* VADD's (and VMUL's, VAXPY's), VMAX's or a microprogram's steps: Units
 * elements each. */
static void vector_steps(const tsr_die_cfg *d, const tsr_insn *in, tsr_counts *c) {
  uint64_t units = tsr_die_units(d);
  for (uint64_t i0 = 0; i0 < in->len; i0 += units) {
    uint64_t n = min_u64(units, in->len - i0);
    if (tsr_op_unary(in->op)) vfn_step(d, n, program_steps(in->op), c);
    else vadd_step(d, n, in->op != TSR_OP_VMAX, c); /* VMAX: a compare in FIRE, no WAIT */
  }
}

/* VAXPY's first step loads s: SETUP, LOAD (one word), DRAIN. Then VADD's
 * steps, with b = s and C = Y. */
void tsr_cost_vaxpy_scale(tsr_counts *c) {
  c->c[TSR_CNT_CYCLES] += 3;
  c->c[TSR_CNT_ABUF_READ_BITS] += 32;
  c->c[TSR_CNT_ABUF_BUSY] += 1;
}

void tsr_cost_insn(const tsr_die_cfg *d, const tsr_insn *in, tsr_insn_cost *out) {
  memset(out, 0, sizeof *out);
  out->insn = *in;
  tsr_counts *c = &out->counts;
  if (in->op == TSR_OP_GEMM) {
    tsr_cost_gemm(d, in->m, in->k, in->n, (int)in->acc, c);
  } else if (in->op == TSR_OP_VTRANS) {
    gemm_tiles(d, in->m, 1, in->n, 1, 1, c);
  } else if (tsr_op_vector(in->op)) {
    if (in->op == TSR_OP_VAXPY) tsr_cost_vaxpy_scale(c);
    vector_steps(d, in, c);
  } else if (in->op == TSR_OP_FENCE) { /* one cycle to see the transmitter idle */
    c->c[TSR_CNT_CYCLES] += 1;
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
