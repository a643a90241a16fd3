/* test_mesh.c - the mesh golden model (models/mesh.c) and the network
 * interface's closed forms (arch/noc.c) against values worked out here:
 * SEND copies exactly its words and counts one message, WAIT consumes what
 * it waited for and blocks until it has arrived, a deadlock is named, the
 * ring rule follows the folded ring, and packets, flits and SEND cycles
 * match hand counts; the mesh cost model (models/mesh_cost.c) retires WAIT,
 * DRD and async transfers in the cycles worked out by hand from
 * docs/cost-model.md; the program check rejects a write into what an async
 * transfer may still read. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "isa.h"
#include "mesh.h"
#include "mesh_cost.h"
#include "noc.h"
#include "suites.h"

static tsr_config *load(const char *json) {
  static tsr_config cfg;
  char err[TSR_ERR_LEN];
  ck_assert_msg(tsr_config_load_string(json, "test", &cfg, err) == 0, "%s", err);
  return &cfg;
}

#define SMALL_DIE                                                                              \
  "\"die\": {\"pe_count\": 1, \"lanes\": 2, \"vector\": 2, \"weight_buffer\": {\"bytes\": 1024, " \
  "\"banks\": 4}, \"act_buffer\": {\"bytes\": 1024, \"banks\": 4}}"

enum { WORDS = 256, MAXD = 6 };
static uint32_t wgt[MAXD][WORDS], act[MAXD][WORDS];
static uint32_t *prog[MAXD];

/* Dies of a mesh, each with its program (NULL: halt) and buffers w = 0x1000 *
 * die + index, a = 0x2000 * die + index. */
static void setup(tsr_mesh_die *dies, int n, const char *const *text) {
  memset(dies, 0, sizeof *dies * (size_t)n);
  for (int d = 0; d < n; d++) {
    char err[TSR_ISA_ERR_LEN];
    size_t n_insns;
    ck_assert_msg(tsr_assemble(text[d] ? text[d] : "halt", "t", &prog[d], &n_insns, err) == 0, "%s",
                  err);
    for (uint32_t i = 0; i < WORDS; i++) {
      wgt[d][i] = 0x1000u * (uint32_t)d + i;
      act[d][i] = 0x2000u * (uint32_t)d + i;
    }
    dies[d].words = prog[d];
    dies[d].n_insns = n_insns;
    dies[d].wgt = wgt[d];
    dies[d].act = act[d];
  }
}

static void teardown(int n) {
  for (int d = 0; d < n; d++) free(prog[d]);
}

START_TEST(send_copies_its_words_and_counts_a_message) {
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, " SMALL_DIE "}");
  const char *text[4] = {"send row=1 col=1 src=act:10 dst=wgt:100 len=5\nhalt\n", NULL, NULL,
                         "wait words=3\nhalt\n"};
  tsr_mesh_die dies[4];
  setup(dies, 4, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_mesh_golden_run(cfg, dies, NULL, err) == 0, "%s", err);
  for (uint32_t i = 0; i < WORDS; i++) {
    uint32_t want = (i >= 100 && i < 105) ? 0x2000u * 0 + 10 + (i - 100) : 0x1000u * 3 + i;
    ck_assert_uint_eq(wgt[3][i], want);
    ck_assert_uint_eq(act[3][i], 0x2000u * 3 + i); /* the other buffer untouched */
  }
  ck_assert_uint_eq(dies[3].rx_words[TSR_WAIT_ANY], 2); /* 5 arrived, WAIT took 3 */
  ck_assert_uint_eq(dies[3].rx_msgs[TSR_WAIT_ANY], 1);
  for (int d = 0; d < 4; d++) ck_assert(dies[d].halted && !dies[d].error);
  ck_assert_int_eq(dies[0].retired, 2);
  teardown(4);
}
END_TEST

START_TEST(wait_blocks_until_a_later_send) {
  /* die 0 is scheduled first and must wait for die 1, which waits for die 0's reply */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 2}, " SMALL_DIE "}");
  const char *text[2] = {
      "send row=0 col=1 src=act:0 dst=act:200 len=4\nwait msgs=1\nvadd a=0 b=200 c=0 len=4\nhalt\n",
      "wait words=4\nvadd a=200 b=200 c=200 len=4\nsend row=0 col=0 src=act:200 dst=act:200 len=4\nhalt\n"};
  tsr_mesh_die dies[2];
  setup(dies, 2, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_mesh_golden_run(cfg, dies, NULL, err) == 0, "%s", err);
  /* die 1 doubled die 0's words 0..3 and sent them back; die 0 added them to its own */
  for (int i = 0; i < 4; i++) {
    float a, twice, got;
    uint32_t a_bits = 0x2000u + 0 + (uint32_t)i, g = act[0][i];
    (void)a_bits;
    memcpy(&got, &g, 4);
    uint32_t orig = (uint32_t)i; /* act[0][i] started as 0x2000 * 0 + i */
    memcpy(&a, &orig, 4);
    twice = a + a;
    float want = a + twice;
    ck_assert_msg(got == want, "act[0][%d]", i);
  }
  ck_assert_uint_eq(dies[0].rx_msgs[TSR_WAIT_ANY], 0);
  ck_assert_uint_eq(dies[1].rx_words[TSR_WAIT_ANY], 0);
  teardown(2);
}
END_TEST

START_TEST(a_deadlock_is_named) {
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 2}, " SMALL_DIE "}");
  const char *text[2] = {"wait msgs=1\nhalt\n", "send row=0 col=0 src=act:0 dst=act:0 len=1\nwait words=2\nhalt\n"};
  tsr_mesh_die dies[2];
  setup(dies, 2, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_int_eq(tsr_mesh_golden_run(cfg, dies, NULL, err), -1);
  ck_assert_str_eq(err, "deadlock: die 1 (row 0, col 1) waits at insn 1 for 2 words, 0 have arrived");
  teardown(2);
}
END_TEST

START_TEST(wait_counts_the_channel_it_names) {
  /* 1x3 mesh, row ring 0 -> 2 -> 1 -> 0: die 1 gets a mesh message from die 0
   * and a ring message from die 2. A WAIT for two row-ring messages never
   * completes, whatever the mesh brought; the counters of every channel and
   * of all of them move apart. */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 3}, " SMALL_DIE "}");
  const char *text[3] = {"send row=0 col=1 src=act:0 dst=act:0 len=3\nhalt\n",
                         "wait msgs=1 chan=row\nwait words=3 chan=mesh\nwait msgs=1 chan=row\nhalt\n",
                         "send row=0 col=1 src=act:0 dst=act:8 len=5 chan=ring\nhalt\n"};
  tsr_mesh_die dies[3];
  setup(dies, 3, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_int_eq(tsr_mesh_golden_run(cfg, dies, NULL, err), -1);
  ck_assert_str_eq(err, "deadlock: die 1 (row 0, col 1) waits at insn 2 for 1 messages on channel "
                        "row, 0 have arrived");
  ck_assert_uint_eq(dies[1].rx_words[TSR_WAIT_ANY], 8);
  ck_assert_uint_eq(dies[1].rx_msgs[TSR_WAIT_ANY], 2);
  ck_assert_uint_eq(dies[1].rx_words[TSR_WAIT_ROW], 5);
  ck_assert_uint_eq(dies[1].rx_msgs[TSR_WAIT_ROW], 0);
  ck_assert_uint_eq(dies[1].rx_words[TSR_WAIT_MESH], 0);
  ck_assert_uint_eq(dies[1].rx_msgs[TSR_WAIT_MESH], 1);
  ck_assert_uint_eq(dies[1].rx_words[TSR_WAIT_COL] + dies[1].rx_msgs[TSR_WAIT_COL], 0);
  teardown(3);
}
END_TEST

START_TEST(ring_sends_go_to_the_successor_only) {
  /* a 2x5 mesh: row ring 0 -> 2 -> 4 -> 3 -> 1 -> 0, column rings of two */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 2, \"cols\": 5}, " SMALL_DIE "}");
  static const int row_next[5] = {2, 0, 4, 1, 3};
  for (int c = 0; c < 5; c++) {
    for (int tc = 0; tc < 5; tc++) {
      tsr_insn s = {.op = TSR_OP_SEND, .row = 0, .col = (uint32_t)tc, .ring = 1, .len = 1};
      ck_assert_int_eq(tsr_mesh_send_ok(cfg, 0, c, &s), tc == row_next[c] ? 0 : -1);
      s.ring = 0; /* the mesh reaches every die, itself included */
      ck_assert_int_eq(tsr_mesh_send_ok(cfg, 0, c, &s), 0);
    }
    tsr_insn down = {.op = TSR_OP_SEND, .row = 1, .col = (uint32_t)c, .ring = 1, .len = 1};
    ck_assert_int_eq(tsr_mesh_send_ok(cfg, 0, c, &down), 0);
  }
  tsr_insn outside = {.op = TSR_OP_SEND, .row = 2, .col = 0, .len = 1};
  ck_assert_int_eq(tsr_mesh_send_ok(cfg, 0, 0, &outside), -1);
  /* without rings, every ring send is refused */
  cfg = load("{\"mesh\": {\"rows\": 2, \"cols\": 5, \"bypass_rows\": false, \"bypass_cols\": false}, " SMALL_DIE "}");
  tsr_insn s = {.op = TSR_OP_SEND, .row = 0, .col = 2, .ring = 1, .len = 1};
  ck_assert_int_eq(tsr_mesh_send_ok(cfg, 0, 0, &s), -1);
}
END_TEST

START_TEST(a_bad_target_stops_the_sender) {
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 3}, " SMALL_DIE "}");
  const char *text[3] = {"send row=0 col=1 src=act:0 dst=act:0 len=1 chan=ring\nhalt\n", NULL, NULL};
  tsr_mesh_die dies[3];
  setup(dies, 3, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_mesh_golden_run(cfg, dies, NULL, err) == 0, "%s", err);
  ck_assert(dies[0].halted && dies[0].error);
  ck_assert_int_eq(dies[0].retired, 0);
  ck_assert_uint_eq(act[1][0], 0x2000u * 1); /* nothing moved */
  ck_assert_uint_eq(dies[1].rx_msgs[TSR_WAIT_ANY], 0);
  teardown(3);
}
END_TEST

START_TEST(drd_and_dwr_reach_the_nearer_io_die) {
  /* 1x4: columns 0 and 1 use the left IO die (0), columns 2 and 3 the right (1) */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 4}, " SMALL_DIE "}");
  ck_assert_int_eq(tsr_io_side(cfg, 0), 0);
  ck_assert_int_eq(tsr_io_side(cfg, 1), 0);
  ck_assert_int_eq(tsr_io_side(cfg, 2), 1);
  ck_assert_int_eq(tsr_io_side(cfg, 3), 1);
  static uint32_t left[TSR_IO_DRAM_WORDS], right[TSR_IO_DRAM_WORDS];
  for (uint32_t i = 0; i < TSR_IO_DRAM_WORDS; i++) left[i] = 0xA0000000u + i, right[i] = 0xB0000000u + i;
  uint32_t *dram[2] = {left, right};
  const char *text[4] = {"dwr src=wgt:4 dram=0x100 len=3\nhalt\n",
                         "drd dram=0x200 dst=act:8 len=2\nwait msgs=1\nhalt\n",
                         "drd dram=0x200 dst=wgt:8 len=2\nwait words=2\nhalt\n", NULL};
  tsr_mesh_die dies[4];
  setup(dies, 4, text);
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_mesh_golden_run(cfg, dies, dram, err) == 0, "%s", err);
  for (uint32_t i = 0; i < 3; i++) ck_assert_uint_eq(left[0x100 + i], 0x1000u * 0 + 4 + i);
  ck_assert_uint_eq(left[0x103], 0xA0000103u);   /* nothing past the DWR */
  ck_assert_uint_eq(right[0x100], 0xB0000100u);  /* the other IO die untouched */
  ck_assert_uint_eq(act[1][8], 0xA0000200u);     /* column 1 read the left DRAM */
  ck_assert_uint_eq(act[1][9], 0xA0000201u);
  ck_assert_uint_eq(wgt[2][8], 0xB0000200u);     /* column 2 the right one */
  ck_assert_uint_eq(wgt[2][10], 0x1000u * 2 + 10);
  teardown(4);
  /* without IO dies, a DRD stops the die */
  cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 4, \"io_dies\": false}, " SMALL_DIE "}");
  const char *lone[4] = {"drd dram=0 dst=act:0 len=1\nhalt\n", NULL, NULL, NULL};
  setup(dies, 4, lone);
  ck_assert_msg(tsr_mesh_golden_run(cfg, dies, NULL, err) == 0, "%s", err);
  ck_assert(dies[0].error);
  teardown(4);
}
END_TEST

START_TEST(packets_flits_and_send_cycles_by_hand) {
  /* 128-bit flits carry 4 words; a packet carries at most 16 body flits = 64 words */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, " SMALL_DIE "}");
  static const struct { uint32_t words; uint64_t flits; } w128[] = {
      {1, 2}, {4, 2}, {5, 3}, {63, 17}, {64, 17}, {65, 19}, {128, 34}, {129, 36}, {512, 136}};
  for (size_t i = 0; i < sizeof w128 / sizeof w128[0]; i++) {
    ck_assert_uint_eq(tsr_ni_message_flits(cfg, w128[i].words), w128[i].flits);
    /* FETCH, DECODE, RETIRE, the command cycle, a cycle per flit, two to drain */
    ck_assert_uint_eq(tsr_send_cycles(cfg, w128[i].words), 3 + 1 + w128[i].flits + 2);
  }
  /* 64-bit flits: 2 words, 32 words per packet */
  cfg = load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"router\": {\"flit_bits\": 64}, " SMALL_DIE "}");
  ck_assert_uint_eq(tsr_ni_message_flits(cfg, 33), 2 + 17);
  ck_assert_uint_eq(tsr_ni_message_flits(cfg, 32), 1 + 16);
  ck_assert_uint_eq(tsr_ni_message_flits(cfg, 1), 2);
}
END_TEST

/* Predict programs on a mesh; returns die d's retire cycles in order. */
static void predict(const tsr_config *cfg, int n, const char *const *text, tsr_insn_cost out[][8],
                    size_t *n_retired) {
  tsr_mesh_cost_die dies[MAXD];
  for (int d = 0; d < n; d++) {
    char err[TSR_ISA_ERR_LEN];
    size_t n_insns;
    ck_assert_msg(tsr_assemble(text[d] ? text[d] : "halt", "t", &prog[d], &n_insns, err) == 0, "%s",
                  err);
    ck_assert_uint_le(n_insns, 8);
    dies[d] = (tsr_mesh_cost_die){.words = prog[d], .n_insns = n_insns, .out = out[d]};
  }
  char err[TSR_ISA_ERR_LEN];
  ck_assert_msg(tsr_mesh_cost_run(cfg, dies, NULL, err) == 0, "%s", err);
  for (int d = 0; d < n; d++) n_retired[d] = dies[d].n_retired;
  teardown(n);
}

/* 1x3 mesh without IO dies, 64-bit flits (2 words), links of 3 cycles. */
static tsr_config *line_of_three(void) {
  return load("{\"mesh\": {\"rows\": 1, \"cols\": 3, \"io_dies\": false}, "
              "\"router\": {\"flit_bits\": 64, \"link_latency\": 3, \"fifo_depth\": 8}, " SMALL_DIE "}");
}

START_TEST(cost_wait_retires_after_the_last_flit_crossed_the_hops) {
  /* 1x3 mesh, 64-bit flits (2 words), links of 3 cycles. 9 words: 5 body
   * flits + head = 6 flits, SEND retires in 3 + 3 + 6 - 1 = 11; its last flit
   * is launched in 11 - 2 = 9, taken 2 hops away in 9 + 1 + 3 routers x 2 +
   * 2 links x 3 = 22, counted in 23; WAIT retires in 24. */
  tsr_config *cfg = line_of_three();
  const char *text[3] = {"send row=0 col=2 src=act:0 dst=act:0 len=9\nhalt\n", NULL,
                         "wait words=9\nhalt\n"};
  static tsr_insn_cost out[MAXD][8];
  size_t n[MAXD];
  predict(cfg, 3, text, out, n);
  ck_assert_uint_eq(n[0], 2);
  ck_assert_uint_eq(out[0][0].retire, 11);
  ck_assert_uint_eq(out[2][0].start, 0);
  ck_assert_uint_eq(out[2][0].retire, 24);
  ck_assert_uint_eq(out[2][1].retire, 27);
  /* A WAIT for 8 words is met by the fourth body flit, one cycle earlier. */
  text[2] = "wait words=8\nhalt\n";
  predict(cfg, 3, text, out, n);
  ck_assert_uint_eq(out[2][0].retire, 23);
}
END_TEST

START_TEST(cost_drd_answers_after_the_dram_latency) {
  /* 1x1 mesh with IO dies, 128-bit flits (4 words), links of 1 cycle, DRAM
   * latency 100 ns at 1000 MHz = 100 cycles, bandwidth never binding. The DRD
   * (request: head + body) retires in 3 + 3 + 2 - 1 = 7; its body is launched
   * in 5 and taken by the left IO die in 5 + 1 + 1 router x 2 + 1 link = 9; the
   * job starts in 109, the answer's head goes in 110, its 2 body flits (8 words)
   * in 111 and 112; the last is taken in 112 + 2 (IO launch) + 1 link + 2 = 117,
   * counted in 118; WAIT retires in 119. */
  tsr_config *cfg = load("{\"mesh\": {\"rows\": 1, \"cols\": 1, \"dram\": {\"latency_ns\": 100}}, "
                         "\"technology\": {\"clock_mhz\": 1000}, " SMALL_DIE "}");
  const char *text[1] = {"drd dram=0 dst=act:0 len=8\nwait msgs=1\nhalt\n"};
  static tsr_insn_cost out[MAXD][8];
  size_t n[MAXD];
  predict(cfg, 1, text, out, n);
  ck_assert_uint_eq(n[0], 3);
  ck_assert_uint_eq(out[0][0].retire, 7);
  ck_assert_uint_eq(out[0][1].retire, 119);
}
END_TEST

START_TEST(cost_async_transfers_by_hand) {
  /* The 1x3 mesh above; a SEND of 9 words is 6 flits. An async SEND hands its
   * command over in NETCMD = FETCH + 2 = 2 and retires in 3; its flits launch
   * in 4..9, so the transmitter is free from 10. A FENCE fetched in 4 retires
   * in max(4 + 3, 10 + 1) = 11, the HALT fetched in 12 in max(12 + 2, 11) = 14. */
  tsr_config *cfg = line_of_three();
  const char *text[3] = {"send row=0 col=2 src=act:0 dst=act:0 len=9 async=1\nfence\nhalt\n", NULL,
                         "wait words=9\nhalt\n"};
  static tsr_insn_cost out[MAXD][8];
  size_t n[MAXD];
  predict(cfg, 3, text, out, n);
  ck_assert_uint_eq(out[0][0].retire, 3);
  ck_assert_uint_eq(out[0][1].retire, 11);
  ck_assert_uint_eq(out[0][2].retire, 14);
  /* A second SEND fetched in 4 hands over in max(4 + 2, 10) = 10. Async, it
   * retires in 11, its flits launch in 12..17 and the HALT fetched in 12
   * retires in 17 + 1 + 1 = 19. The receiver's last flit is taken in
   * 17 + 1 + 3 routers x 2 + 2 links x 3 = 30, counted in 31: WAIT in 32. */
  text[0] = "send row=0 col=2 src=act:0 dst=act:0 len=9 async=1\n"
            "send row=0 col=2 src=act:9 dst=act:9 len=9 async=1\nhalt\n";
  text[2] = "wait words=18\nhalt\n";
  predict(cfg, 3, text, out, n);
  ck_assert_uint_eq(out[0][1].retire, 11);
  ck_assert_uint_eq(out[0][2].retire, 19);
  ck_assert_uint_eq(out[2][0].retire, 32);
  /* Blocking, the second SEND retires two cycles after its last flit, in 19,
   * and the HALT fetched in 20 in 22; the receiver is as before. */
  text[0] = "send row=0 col=2 src=act:0 dst=act:0 len=9 async=1\n"
            "send row=0 col=2 src=act:9 dst=act:9 len=9\nhalt\n";
  predict(cfg, 3, text, out, n);
  ck_assert_uint_eq(out[0][1].retire, 19);
  ck_assert_uint_eq(out[0][2].retire, 22);
  ck_assert_uint_eq(out[2][0].retire, 32);
}
END_TEST

START_TEST(writes_into_an_async_source_are_rejected) {
  static const struct { const char *text; const char *error; } cases[] = {
      {"send row=0 col=1 src=act:0x10 dst=act:0 len=16 async=1\nvadd a=0 b=0 c=0x1f len=1\nhalt\n",
       "insn 1 (vadd) writes act [0x1f, +1), which the async transfer of insn 0"},
      {"dwr src=act:0x40 dram=0 len=8 async=1\ngemm x=0 w=0 y=0x3c m=2 k=1 n=3\nhalt\n",
       "insn 1 (gemm) writes act [0x3c, +6), which the async transfer of insn 0"},
      {"send row=0 col=1 src=act:0 dst=act:0 len=8 async=1\nwait words=1\n"
       "vaxpy x=0x20 y=0x4 s=0x30 len=2\nhalt\n", "insn 2 (vaxpy) writes act [0x4, +2)"},
      /* the same writes after a join, beside the range, into another buffer's
       * source, or after a blocking transfer: accepted */
      {"send row=0 col=1 src=act:0x10 dst=act:0 len=16 async=1\nfence\nvadd a=0 b=0 c=0x1f len=1\nhalt\n", NULL},
      {"send row=0 col=1 src=act:0x10 dst=act:0 len=16 async=1\nvadd a=0 b=0 c=0x20 len=1\nhalt\n", NULL},
      {"send row=0 col=1 src=wgt:0x10 dst=act:0 len=16 async=1\nvadd a=0 b=0 c=0x10 len=1\nhalt\n", NULL},
      {"dwr src=act:0x40 dram=0 len=8 async=1\nsend row=0 col=1 src=act:0 dst=act:0 len=1\n"
       "vmul a=0 b=0 c=0x40 len=8\nhalt\n", NULL},
      {"send row=0 col=1 src=act:0x10 dst=act:0 len=16\nvmul a=0 b=0 c=0x10 len=1\nhalt\n", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char err[TSR_ISA_ERR_LEN] = "";
    uint32_t *w;
    size_t n;
    ck_assert_msg(tsr_assemble(cases[i].text, "t", &w, &n, err) == 0, "%s", err);
    int rc = tsr_program_check_mesh(w, n, WORDS, WORDS, err);
    free(w);
    if (!cases[i].error) {
      ck_assert_msg(rc == 0, "case %zu: %s", i, err);
    } else {
      ck_assert_int_eq(rc, -1);
      ck_assert_msg(strstr(err, cases[i].error) != NULL, "case %zu: got '%s'", i, err);
    }
  }
}
END_TEST

Suite *mesh_suite(void) {
  Suite *s = suite_create("mesh");
  TCase *tc = tcase_create("golden and network interface");
  tcase_add_test(tc, send_copies_its_words_and_counts_a_message);
  tcase_add_test(tc, wait_blocks_until_a_later_send);
  tcase_add_test(tc, a_deadlock_is_named);
  tcase_add_test(tc, wait_counts_the_channel_it_names);
  tcase_add_test(tc, ring_sends_go_to_the_successor_only);
  tcase_add_test(tc, a_bad_target_stops_the_sender);
  tcase_add_test(tc, drd_and_dwr_reach_the_nearer_io_die);
  tcase_add_test(tc, packets_flits_and_send_cycles_by_hand);
  tcase_add_test(tc, cost_wait_retires_after_the_last_flit_crossed_the_hops);
  tcase_add_test(tc, cost_drd_answers_after_the_dram_latency);
  tcase_add_test(tc, cost_async_transfers_by_hand);
  tcase_add_test(tc, writes_into_an_async_source_are_rejected);
  suite_add_tcase(s, tc);
  return s;
}
