/* test_cost.c - the cost model against closed forms derived here from the
 * dataflow definitions (buffer traffic and FMA counts), plus hand-counted
 * cycle totals of small cases. The RTL agreement is the co-simulation's job;
 * these pin the model's formulas down independently. */
#include <check.h>
#include <string.h>

#include "cost.h"
#include "die_sched.h"
#include "suites.h"

static tsr_die_cfg die(tsr_dataflow df, unsigned pe, unsigned lanes, unsigned vec, unsigned banks,
                       unsigned stages) {
  tsr_die_cfg d;
  memset(&d, 0, sizeof d);
  d.pe_count = pe;
  d.lanes = lanes;
  d.vector = vec;
  d.dataflow = df;
  d.fma_stages = stages;
  d.weight_buffer = (tsr_buffer_cfg){.bytes = 16384, .banks = banks, .port_bits = 32};
  d.act_buffer = (tsr_buffer_cfg){.bytes = 16384, .banks = banks, .port_bits = 32};
  d.imem_words = 256;
  return d;
}

static tsr_insn gemm(unsigned m, unsigned k, unsigned n, unsigned acc) {
  tsr_insn in;
  memset(&in, 0, sizeof in);
  in.op = TSR_OP_GEMM;
  in.m = m;
  in.k = k;
  in.n = n;
  in.acc = acc;
  return in;
}

static uint64_t cdiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

START_TEST(halt_costs_three_cycles) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2);
  tsr_insn h = {.op = TSR_OP_HALT};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &h, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 3);
  ck_assert_uint_eq(c.retire, 2);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 0);
}
END_TEST

/* Both dataflows do exactly M*N*K fused multiply-adds. */
START_TEST(fma_ops_are_mnk) {
  static const unsigned shapes[][3] = {{1, 1, 1}, {7, 5, 9}, {16, 33, 24}, {3, 1, 13}, {37, 2, 1}};
  for (int df = 0; df < 2; df++) {
    tsr_die_cfg d = die((tsr_dataflow)df, 2, 2, 2, 4, 2);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
      tsr_insn in = gemm(shapes[i][0], shapes[i][1], shapes[i][2], (unsigned)i & 1);
      tsr_insn_cost c;
      tsr_cost_insn(&d, &in, &c);
      ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], (uint64_t)in.m * in.n * in.k);
    }
  }
}
END_TEST

/* Output stationary: each output written once; X read once per column tile,
 * W read once per row tile (Slots x Rows rows, Slots = max(stages + 1,
 * W issue cycles + 1) = 4 here); Y read once if accumulating. */
START_TEST(os_traffic) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 3); /* rows 2, cols 4 */
  for (unsigned acc = 0; acc < 2; acc++) {
    tsr_insn in = gemm(7, 5, 9, acc);
    tsr_insn_cost c;
    tsr_cost_insn(&d, &in, &c);
    uint64_t row_tiles = cdiv(7, 2 * 4), col_tiles = cdiv(9, 4);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32ull * 7 * 9);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_WBUF_READ_BITS], 32ull * 5 * 9 * row_tiles);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS],
                      32ull * (7 * 5 * col_tiles + acc * 7 * 9));
  }
}
END_TEST

/* Weight stationary, the systolic stream: partial sums stay in the
 * accumulators between passes, so each output is written once; W read once
 * per row tile (Slots x Rows = 8 rows), X once per column tile; Y read once
 * if accumulating. */
START_TEST(ws_traffic) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2); /* rows 2, cols 4 */
  for (unsigned acc = 0; acc < 2; acc++) {
    tsr_insn in = gemm(7, 5, 19, acc);
    tsr_insn_cost c;
    tsr_cost_insn(&d, &in, &c);
    uint64_t row_tiles = cdiv(7, 2 * 4), col_tiles = cdiv(19, 4);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_WBUF_READ_BITS], 32ull * 5 * 19 * row_tiles);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32ull * 7 * 19);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS],
                      32ull * (7 * 5 * col_tiles + acc * 7 * 19));
  }
}
END_TEST

/* A single os tile counted by hand: M=2, K=3, N=4 on rows 2 x cols 4,
 * 4 banks, 2 stages, no accumulate: Slots (the period) = max(2 + 1, 1 + 1) = 3,
 * rounded up to 4; X blocks of Kb = 4 k values.
 *   FETCH + DECODE + RETIRE                        3
 *   zero step: SETUP                               1
 *   stream step: SETUP 1 + prologue (X block 0: 2 rows, W: 1 cycle) max(2, 1) + 1
 *     + one block of 3 periods of 4 + WAIT 2 = 18
 *   store step: SETUP 1 + STORE 2 rows x 1         3
 * total 25 cycles; the array fires 1 slot per period, plus the 2 WAIT cycles. */
START_TEST(os_single_tile_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = gemm(2, 3, 4, 0);
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 25);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ARRAY_BUSY], 3 + 2);
}
END_TEST

/* X blocks (tsr_os_kb): Kb is the smallest power of two whose block, Kb P
 * cycles, outlasts its X (P pe_count rows + 1 to land), at most the act
 * port's words and 32; and then a tile's stream is its K periods of P with no
 * stall: on large-os's shape (4 x 8 x 8, Bw = 64, Ba = 32, 2 stages: P = 4,
 * Kb = 8), one 16 x 256 x 64 tile costs FETCH + DECODE + RETIRE 3, zeroing 1,
 * the stream SETUP 1 + prologue (16 rows of X block 0) 16 + 1 + 256 x 4 +
 * WAIT 2, and the store SETUP 1 + 16 rows x 2 accesses. */
START_TEST(os_x_blocks_never_stall) {
  static const unsigned pes[] = {1, 2, 3, 4, 8, 16, 32}, bits[] = {32, 64, 256, 1024};
  for (size_t i = 0; i < sizeof pes / sizeof pes[0]; i++)
    for (size_t j = 0; j < sizeof bits / sizeof bits[0]; j++)
      for (unsigned st = 1; st <= 4; st++) {
        tsr_die_cfg d = die(TSR_DF_OS, pes[i], 2, 4, 4, st);
        d.act_buffer.port_bits = bits[j];
        uint32_t kb = tsr_os_kb(&d), p = tsr_os_slots(&d), al = 4 * bits[j] / 32;
        uint32_t need = p * pes[i] + 1, cap = al < 32 ? al : 32;
        ck_assert(kb && (kb & (kb - 1)) == 0 && kb <= cap);
        if (kb < cap) ck_assert(kb * p >= need);  /* else capped */
        if (kb > 1) ck_assert(kb / 2 * p < need); /* the smallest */
      }
  tsr_die_cfg d = die(TSR_DF_OS, 4, 8, 8, 16, 2);
  d.weight_buffer.port_bits = 128;
  d.act_buffer.port_bits = 64;
  ck_assert_uint_eq(tsr_os_kb(&d), 8);
  tsr_insn in = gemm(16, 256, 64, 0);
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 3 + 1 + (1 + 16 + 1 + 256 * 4 + 2) + (1 + 16 * 2));
}
END_TEST

/* os_single_tile_by_hand's shape weight-stationary: rows 2, cols 4, 4 banks, 2
 * stages; one tile of 2 rows; passes of 2 k values: k = 0, 1, then k = 2.
 * Weight rows load 2 cycles apart (max(stages, 1 issue cycle)): a pass's
 * weights take (2 - 1) x 2 + 1 = 3 cycles (the prologue); the shortest
 * period is max(2 x 2 + 1 = 5, 3) = 5 (a partial sum goes down 2 rows and
 * back before row 0 reads it again).
 *   FETCH + DECODE + RETIRE                                       3
 *   zero step: SETUP                                              1
 *   stream step: SETUP 1 + prologue 3 + pass 0's period 5
 *     + pass 1: its 2 rows, then the last write-back 1 x 2 + 1 = 14
 *   store step: SETUP 1 + STORE 2 rows x 1                        3
 * total 21. The array: pass 0 fires rows 0 and 1 two cycles each, 2 cycles
 * apart (4 cycles), pass 1 row 0 for 2 cycles: 6 busy cycles. */
START_TEST(ws_single_tile_by_hand) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2);
  tsr_insn in = gemm(2, 3, 4, 0);
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 21);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ARRAY_BUSY], 6);
}
END_TEST

/* Two ws tiles along n by hand, the second's weights preloaded: rows 8,
 * cols 4, 8 banks, 4 stages; M=1, K=2, N=8, no accumulate. Weight rows load
 * max(4, 1) = 4 cycles apart: the prologue is 7 x 4 + 1 = 29. One pass (K <=
 * 8) of tm = 1 row, its last write-back 2 x 4 + 1 after it.
 *   FETCH + DECODE + RETIRE                                       3
 *   tile 0: zero SETUP 1, stream SETUP 1 + prologue 29 + pass 1 + 8 + 1,
 *           store SETUP 1 + 1 row x 1                            43
 *   tile 1: the loader took its weights from the start of tile 0's pass:
 *           that pass (10), tile 0's store (2) and this init (1) are 13 loader
 *           cycles before the stream's SETUP; the prologue waits the rest,
 *           29 - 1 - 13 = 15: zero 1, stream 1 + 15 + 10, store 2   29
 * total 75 (89 with a full prologue per tile): the RTL gives 75 in lockstep
 * (tests/cosim/ws-narrow.json is this die with 4 weight banks). */
/* Two os tiles along n by hand, the second's operands preloaded: the die of
 * os_single_tile_by_hand, M=2, K=3, N=8.
 *   FETCH + DECODE + RETIRE                                       3
 *   tile 0: zero 1, stream 18 as there (its one block, max(3 x 4, 2 + 1) =
 *           12, also loads tile 1's X block 0, and its last period tile 1's
 *           W for k = 0), store 3                                    22
 *   tile 1: zero 1, stream SETUP 1 + prologue 1 + 12 + WAIT 2 = 16,
 *           store 3                                                 20
 * total 45 (47 with a whole prologue per tile), as the RTL of
 * configs/default-os.json retires it in lockstep. */
START_TEST(preloaded_tiles_by_hand) {
  const struct {
    tsr_die_cfg d;
    tsr_insn in;
    uint64_t cycles;
  } gemms[] = {{die(TSR_DF_WS, 8, 1, 4, 8, 4), gemm(1, 2, 8, 0), 75},
               {die(TSR_DF_OS, 2, 2, 2, 4, 2), gemm(2, 3, 8, 0), 45}};
  for (size_t i = 0; i < sizeof gemms / sizeof gemms[0]; i++) {
    tsr_insn_cost c;
    tsr_cost_insn(&gemms[i].d, &gemms[i].in, &c);
    ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], gemms[i].cycles);
  }
}
END_TEST

/* VAXPY len 13 on 8 units with 4-word ports, D = 2, by hand:
 *   FETCH, DECODE, RETIRE                                             3
 *   the scale step: SETUP, LOAD (one word), DRAIN                     3
 *   step of 8: SETUP 1 + LOAD 2 + 2 (x, y) + DRAIN 1 + FIRE 1 + WAIT 2
 *              + STORE 2                                             11
 *   step of 5: the same, ceil(5 / 4) = 2 cycles per run              11
 * total 28; words read 13 x + 13 y + s, written 13. */
START_TEST(vaxpy_by_hand) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VAXPY, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 28);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 27);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32 * 13);
}
END_TEST

/* VMUL runs VADD's steps: the same 11 + 11 cycles for 13 elements, + 3. */
START_TEST(vmul_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VMUL, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 25);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 26);
}
END_TEST

/* VEXP len 13 on 8 units with 4-word ports, D = 2, by hand:
 *   FETCH, DECODE, RETIRE                                             3
 *   step of 8: SETUP 1 + LOAD 2 (A alone) + DRAIN 1
 *              + 12 microprogram steps x (FIRE 1 + WAIT 2) + STORE 2  42
 *   step of 5: the same                                              42
 * total 87; 12 FMAs per element; A read and C written once. */
START_TEST(vexp_by_hand) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VEXP, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 87);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 12 * 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ARRAY_BUSY], 2 * 12 * 3);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32 * 13);
}
END_TEST

/* VRECIP len 13 on 8 units with 4-word ports, D = 2: VEXP's steps with 8
 * microprogram steps: 1 + 2 + 1 + 8 x 3 + 2 = 30 per step of 8 and of 5,
 * + 3 = 63; 8 FMAs per element. */
START_TEST(vrecip_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VRECIP, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 63);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 8 * 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ARRAY_BUSY], 2 * 8 * 3);
}
END_TEST

/* VRSQRT len 13: VEXP's 12 steps, so VEXP's 42 + 42 + 3 = 87 cycles. */
START_TEST(vrsqrt_by_hand) {
  tsr_die_cfg d = die(TSR_DF_WS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VRSQRT, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 87);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 12 * 13);
}
END_TEST

/* VGELU and VGELUD len 13 on 8 units with 4-word ports, D = 2: VEXP's
 * steps with 26 and 29 microprogram steps: 1 + 2 + 1 + 26 x 3 + 2 = 84 per
 * step of 8 and of 5, + 3 = 171; 1 + 2 + 1 + 29 x 3 + 2 = 93, 2 x 93 + 3 = 189. */
START_TEST(vgelu_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VGELU, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 171);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 26 * 13);
  in.op = TSR_OP_VGELUD;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 189);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 29 * 13);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 13);
}
END_TEST

/* VTRANS m=10 n=6 on 2 x 4 units (4 slots: tiles of 8 x 4) with 4-word ports,
 * by hand: per tile, SETUP + LOAD (a cycle per row of up to 4 words) + DRAIN,
 * then SETUP + STORE (per column, a cycle per 4 of its words):
 *   8 x 4: 2 + 8 + 1 + 4 x 2 = 19;  8 x 2: 2 + 8 + 1 + 2 x 2 = 15
 *   2 x 4: 2 + 2 + 1 + 4 x 1 = 9;   2 x 2: 2 + 2 + 1 + 2 x 1 = 7
 * + FETCH, DECODE, RETIRE = 53; no FMA; every word read and written once. */
START_TEST(vtrans_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VTRANS, .m = 10, .n = 6};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 53);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 0);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 60);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32 * 60);
  d.dataflow = TSR_DF_WS; /* the same tiles and steps */
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 53);
}
END_TEST

/* VMAX len 13 on 8 units with 4-word ports, D = 2: VADD's step without the
 * WAIT (the units compare in FIRE): 11 - 2 = 9 per step, + 3; no FMA. */
START_TEST(vmax_by_hand) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn in = {.op = TSR_OP_VMAX, .len = 13};
  tsr_insn_cost c;
  tsr_cost_insn(&d, &in, &c);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_CYCLES], 21);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_FMA_OPS], 0);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ARRAY_BUSY], 2);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_READ_BITS], 32 * 26);
  ck_assert_uint_eq(c.counts.c[TSR_CNT_ABUF_WRITE_BITS], 32 * 13);
}
END_TEST

START_TEST(program_start_and_retire_chain) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn prog[2] = {gemm(2, 3, 4, 0), {.op = TSR_OP_HALT}};
  uint32_t words[8];
  char err[TSR_ISA_ERR_LEN];
  ck_assert_int_eq(tsr_encode(&prog[0], words, err), 0);
  ck_assert_int_eq(tsr_encode(&prog[1], words + 4, err), 0);
  tsr_insn_cost out[2];
  size_t n;
  tsr_counts total;
  ck_assert_int_eq(tsr_cost_program(&d, words, 2, out, &n, &total, err), 0);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(out[0].start, 0);
  ck_assert_uint_eq(out[0].retire, 24);
  ck_assert_uint_eq(out[1].start, 25);
  ck_assert_uint_eq(out[1].retire, 27);
  ck_assert_uint_eq(total.c[TSR_CNT_CYCLES], 28);
  ck_assert_uint_eq(total.c[TSR_CNT_INSNS], 2);
}
END_TEST

START_TEST(program_without_halt_is_an_error) {
  tsr_die_cfg d = die(TSR_DF_OS, 2, 2, 2, 4, 2);
  tsr_insn g = gemm(2, 3, 4, 0);
  uint32_t words[4];
  char err[TSR_ISA_ERR_LEN];
  ck_assert_int_eq(tsr_encode(&g, words, err), 0);
  tsr_insn_cost out[1];
  size_t n;
  tsr_counts total;
  ck_assert_int_eq(tsr_cost_program(&d, words, 1, out, &n, &total, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "HALT"));
}
END_TEST

START_TEST(energy_is_counts_times_table) {
  tsr_counts c;
  memset(&c, 0, sizeof c);
  c.c[TSR_CNT_FMA_OPS] = 10;
  c.c[TSR_CNT_ABUF_READ_BITS] = 100;
  c.c[TSR_CNT_WBUF_WRITE_BITS] = 7;
  c.c[TSR_CNT_IMEM_READ_BITS] = 128;
  tsr_energy_cfg e = {.fma_op = 2.0, .sram_read_bit = 0.5, .sram_write_bit = 0.25,
                      .imem_read_bit = 0.125};
  ck_assert_double_eq_tol(tsr_energy_pj(&c, &e), 20.0 + 50.0 + 1.75 + 16.0, 1e-9);
}
END_TEST

Suite *cost_suite(void) {
  Suite *s = suite_create("cost");
  TCase *t = tcase_create("die");
  tcase_add_test(t, halt_costs_three_cycles);
  tcase_add_test(t, fma_ops_are_mnk);
  tcase_add_test(t, os_traffic);
  tcase_add_test(t, ws_traffic);
  tcase_add_test(t, os_single_tile_by_hand);
  tcase_add_test(t, os_x_blocks_never_stall);
  tcase_add_test(t, ws_single_tile_by_hand);
  tcase_add_test(t, preloaded_tiles_by_hand);
  tcase_add_test(t, vaxpy_by_hand);
  tcase_add_test(t, vmul_by_hand);
  tcase_add_test(t, vexp_by_hand);
  tcase_add_test(t, vmax_by_hand);
  tcase_add_test(t, vrecip_by_hand);
  tcase_add_test(t, vrsqrt_by_hand);
  tcase_add_test(t, vgelu_by_hand);
  tcase_add_test(t, vtrans_by_hand);
  tcase_add_test(t, program_start_and_retire_chain);
  tcase_add_test(t, program_without_halt_is_an_error);
  tcase_add_test(t, energy_is_counts_times_table);
  suite_add_tcase(s, t);
  return s;
}
