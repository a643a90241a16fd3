/* run_mesh.c - `tessera-mesh`: runs a program on every die of a mesh in the
 * RTL (tessera_mesh) and in the mesh golden model (models/mesh.h), from the
 * same random buffer and DRAM contents, and compares every buffer word of
 * every die, every DRAM word of every IO die, every die's halted and error
 * flags, instructions retired, the words and messages left unconsumed by
 * WAIT, the flits the network delivered and the IO dies' counters.
 *
 *   tessera-mesh --config DIR/config.resolved.json [--seed N] [--trace] [--stats]
 *                [--trace-file FILE] [--max-cycles N] [--uncontended] [--waves DIR]
 *                [--linear|--collective|--gemm SPEC]... [PROGRAM.mesh...]
 *
 * --linear B,DIN,DOUT,N[,fwd|bwd|both] lowers one training iteration of a
 * linear layer (Hecaton's Algorithm 1, models/lower.h) to a program per die
 * and runs it from random tensors in DRAM; --collective a ring all-gather or
 * reduce-scatter, --gemm a distributed GEMM (docs/lowering.md).
 *
 * A mismatch is run once more from the same seed to write an FST waveform of
 * the cycles around the first mismatch (WAVE_BEFORE before, WAVE_AFTER after).
 *
 * Every retired instruction's cycle is compared with the mesh cost model's
 * prediction (models/mesh_cost.h) and the differences are summed up per
 * instruction class. With --uncontended (programs whose messages never share
 * a channel), every instruction must retire in exactly the predicted cycle.
 * With --dram-bound (uncontended programs on a DRAM channel with DDR5 banks
 * and refresh, which the model's simple DRAM term leaves out), every
 * instruction must retire no earlier than predicted and at most as many
 * cycles later as the DRAM channels have stalled by then (mesh_sim.h).
 *
 * The front ends (verif/verilator/vl_mesh.cpp, verif/systemc/sc_mesh.cpp)
 * call tsr_mesh_main (run_mesh.h) with the simulator they make.
 *
 * A mesh program is assembler text (docs/isa.md) in sections, one per die:
 *   @die ROW COL
 *   send row=0 col=1 src=act:0 dst=wgt:0x40 len=16
 *   halt
 * A die without a section runs `halt`. Exit 0 when everything agreed, 1 on a
 * mismatch or a failed simulation, 2 on bad input. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden.h"
#include "harness.h"
#include "lower.h"
#include "mesh.h"
#include "mesh_cost.h"
#include "mesh_sim.h"
#include "noc.h"
#include "ref_layer.h"
#include "run_mesh.h"

#define NET_REGION 0x40000000u
#define DRAM_REGION 0x50000000u
#define IO_CNT_REGION 0x60000000u
#define CSR_RX_WORDS 0x05u
#define CSR_RX_MSGS 0x06u

static int usage(const char *name, FILE *f, int status) {
  fprintf(f, "usage: %s --config FILE [options] [PROGRAM.mesh...]\n", name);
  fprintf(f,
          "  --config FILE     resolved configuration the RTL was generated from\n"
          "  --seed N          seed of the buffer contents and of the random start of flops\n"
          "                    without reset (default 1); program i uses N + i\n"
          "  --max-cycles N    fail a program still running after N cycles (default 1000000)\n"
          "  --trace           print every retired instruction: die, pc, opcode, cycle\n"
          "  --trace-file FILE write every retired instruction and every counter to FILE\n"
          "                    (format in docs/simulators.md)\n"
          "  --table           print every die's instructions (RTL and model retire cycle,\n"
          "                    difference, energy) and the energy by event class\n"
          "  --stats           also print the figures as `stat` lines (tests/regress.sh)\n"
          "  --waves DIR       where a mismatch's waveform goes (default: waves/ beside\n"
          "                    this binary); --no-waves writes none\n"
          "  --uncontended     the messages share no channel: every instruction must retire\n"
          "                    in the cycle the cost model predicts (docs/cost-model.md)\n"
          "  --dram-bound      as --uncontended, but the DRAM channels may stall (DDR5 banks and\n"
          "                    refresh): every instruction retires no earlier than predicted and\n"
          "                    at most the channels' stall cycles so far later\n"
          "  --gemm M,K,N      also run a distributed GEMM, output blocks over the dies\n"
          "  --collective allgather|reducescatter,row|col,ring|mesh,CHUNK\n"
          "                    also run a collective within every row or column, on the\n"
          "                    bypass ring or the mesh, CHUNK words per die\n"
          "  --ffn B,D,DH,N    also run Hecaton's FFN block forward, two fused layers and\n"
          "                    GeLU between them and the residual (docs/lowering.md)\n"
          "  --attention H,S,D also run attention's core forward, softmax(Q K^T / sqrt(D)) V,\n"
          "                    H heads of S tokens spread over the dies\n"
          "  --transformer B,D,H,S,F\n"
          "                    also run one transformer layer trained one step: LayerNorms,\n"
          "                    attention, the FFN, forward, backward and the update; B tokens\n"
          "                    (sequences of S), D features, H heads, F FFN features\n"
          "  --attention-block B,D,H,S,N\n"
          "                    also run the attention block forward, X + attention(X) Wo with\n"
          "                    its projections: B tokens (sequences of S) per mini-batch, D\n"
          "                    features, H heads, N mini-batches (docs/lowering.md)\n"
          "  --linear B,DIN,DOUT,N[,fwd|bwd|both]\n"
          "                    also run Hecaton's Algorithm 1 for a linear layer: B tokens per\n"
          "                    mini-batch, DIN x DOUT weights, N mini-batches (docs/lowering.md)\n");
  return status;
}

/* ---- host port -------------------------------------------------------------- */

static void host_write(tsr_mesh_sim *s, int bcast, uint32_t die, uint32_t addr, uint32_t data) {
  s->set_host(s->ctx, 1, 1, bcast, die, addr, data);
  s->tick(s->ctx);
  s->set_host(s->ctx, 0, 0, 0, 0, 0, 0);
}

static uint32_t host_read(tsr_mesh_sim *s, uint32_t die, uint32_t addr) {
  uint32_t data = 0;
  s->set_host(s->ctx, 1, 0, 0, die, addr, 0);
  s->tick(s->ctx);
  s->set_host(s->ctx, 0, 0, 0, 0, 0, 0);
  if (!s->rvalid(s->ctx, &data)) fprintf(stderr, "host read of 0x%08x: no rvalid\n", addr);
  return data;
}

/* ---- the program file ---------------------------------------------------------- */

/* Split text into one assembler text per die: each keeps its own section's
 * lines and blanks all others, so assembler errors name the file's line. */
static int split_sections(const char *text, const char *name, int rows, int cols, char **per_die) {
  size_t len = strlen(text);
  int n = rows * cols;
  for (int d = 0; d < n; d++) {
    per_die[d] = calloc(len + 16, 1);
    if (!per_die[d]) return -1;
  }
  int cur = -1, line = 1;
  size_t at = 0;
  int seen[TSR_MAX_DIES] = {0};
  while (at < len) {
    size_t end = at;
    while (end < len && text[end] != '\n') end++;
    const char *l = text + at;
    while (l < text + end && (*l == ' ' || *l == '\t')) l++;
    int r, c, used = 0;
    if (*l == '@') {
      if (sscanf(l, "@die %d %d%n", &r, &c, &used) != 2 || r < 0 || c < 0 || r >= rows || c >= cols) {
        fprintf(stderr, "%s:%d: expected \"@die ROW COL\" with ROW 0..%d and COL 0..%d\n", name,
                line, rows - 1, cols - 1);
        return -1;
      }
      cur = r * cols + c;
      if (seen[cur]++) {
        fprintf(stderr, "%s:%d: die (row %d, col %d) has a section already\n", name, line, r, c);
        return -1;
      }
    } else if (cur >= 0) {
      strncat(per_die[cur], text + at, end - at);
    } else if (l < text + end && *l != ';' && *l != '#') {
      fprintf(stderr, "%s:%d: an instruction before the first \"@die ROW COL\" section\n", name,
              line);
      return -1;
    }
    for (int d = 0; d < n; d++) strcat(per_die[d], "\n");
    at = end + 1;
    line++;
  }
  for (int d = 0; d < n; d++)
    if (!seen[d]) strcat(per_die[d], "halt\n");
  return 0;
}

/* ---- a lowered workload ------------------------------------------------------------ */

/* Random tensors in [-1, 1) for a lowered linear layer, FFN block, attention core or
 * block, laid out in DRAM (other workloads run on the DRAM's random words). */
static int load_tensors(const tsr_lowered *low, uint64_t *s, uint32_t **dram,
                        tsr_ref_layer *ref) {
  const tsr_linear *L = &low->layer;
  const tsr_ffn *f = &low->ffn;
  size_t len[12] = {0};
  if (low->kind == TSR_LOWERED_LINEAR) {
    len[0] = (size_t)L->minibatches * L->tokens * L->d_in; /* x, w, dy */
    len[1] = (size_t)L->d_in * L->d_out;
    len[2] = (size_t)L->minibatches * L->tokens * L->d_out;
  } else if (low->kind == TSR_LOWERED_FFN) {
    len[0] = (size_t)f->minibatches * f->tokens * f->d_model; /* x, w1, w2 */
    len[1] = len[2] = (size_t)f->d_model * f->d_hidden;
  } else if (low->kind == TSR_LOWERED_ATTENTION) {
    len[0] = len[1] = len[2] = (size_t)low->attn.heads * low->attn.seq * low->attn.d_head;
  } else if (low->kind == TSR_LOWERED_LAYER) {
    tsr_ref_layer_lengths(&low->tl, len); /* x, dz, wq, wk, wv, wo, w1, w2, LayerNorms' */
  } else if (low->kind == TSR_LOWERED_ATTN_BLOCK) {
    const tsr_attn_block *b = &low->ablk;
    len[0] = (size_t)b->minibatches * b->tokens * b->d_model; /* x, wq, wk, wv, wo */
    len[1] = len[2] = len[3] = len[4] = (size_t)b->d_model * b->d_model;
  } else {
    return 0;
  }
  float *all[12];
  int ok = 1;
  for (int k = 0; k < 12; k++) ok &= (all[k] = malloc(sizeof(float) * (len[k] + 1))) != NULL;
  for (int k = 0; ok && k < 12; k++)
    for (size_t i = 0; i < len[k]; i++) {
      *s = *s * 6364136223846793005ull + 1442695040888963407ull;
      all[k][i] = (float)((int32_t)(*s >> 32)) / 2147483648.0f;
    }
  if (ok && low->kind == TSR_LOWERED_LINEAR) {
    tsr_linear_data data = {all[0], all[1], all[2]};
    tsr_lower_load(low, &data, dram);
  } else if (ok && low->kind == TSR_LOWERED_FFN) {
    tsr_ffn_data data = {all[0], all[1], all[2]};
    tsr_lower_load_ffn(low, &data, dram);
  } else if (ok && low->kind == TSR_LOWERED_ATTENTION) {
    tsr_attention_data data = {all[0], all[1], all[2]};
    tsr_lower_load_attention(low, &data, dram);
  } else if (ok && low->kind == TSR_LOWERED_ATTN_BLOCK) {
    tsr_attn_block_data data = {all[0], all[1], all[2], all[3], all[4]};
    tsr_lower_load_attn_block(low, &data, dram);
  } else if (ok) {
    for (int k = 8; k < 12; k += 2) /* the LayerNorms' gamma near 1 */
      for (size_t i = 0; i < len[k]; i++) all[k][i] = 1 + all[k][i] / 4;
    tsr_layer_data data = {all[0], all[1], all[2], all[3], all[4],  all[5],
                           all[6], all[7], all[8], all[9], all[10], all[11]};
    tsr_lower_load_layer(low, &data, dram);
    ok = tsr_ref_layer_run(&low->tl, &data, ref) == 0;
  }
  for (int k = 0; k < 12; k++) free(all[k]);
  return ok ? 0 : -1;
}

/* ---- one program ------------------------------------------------------------------ */

/* Instruction classes of the cycle comparison. */
enum {
  CLS_GEMM, CLS_VADD, CLS_VAXPY, CLS_VMUL, CLS_VEXP, CLS_VMAX, CLS_VRECIP, CLS_VRSQRT, CLS_VGELU,
  CLS_VGELUD, CLS_VTRANS, CLS_SEND, CLS_WAIT, CLS_FENCE, CLS_DRD, CLS_DWR, CLS_HALT, N_CLS
};
static const char *const cls_names[N_CLS] = {"gemm",   "vadd",   "vaxpy",  "vmul",   "vexp",
                                             "vmax",   "vrecip", "vrsqrt", "vgelu",  "vgelud",
                                             "vtrans", "send",   "wait",   "fence",  "drd",
                                             "dwr",    "halt"};
static int insn_class(uint32_t op) {
  switch (op) {
  case TSR_OP_GEMM: return CLS_GEMM;
  case TSR_OP_VADD: return CLS_VADD;
  case TSR_OP_VAXPY: return CLS_VAXPY;
  case TSR_OP_VMUL: return CLS_VMUL;
  case TSR_OP_VEXP: return CLS_VEXP;
  case TSR_OP_VMAX: return CLS_VMAX;
  case TSR_OP_VRECIP: return CLS_VRECIP;
  case TSR_OP_VRSQRT: return CLS_VRSQRT;
  case TSR_OP_VGELU: return CLS_VGELU;
  case TSR_OP_VGELUD: return CLS_VGELUD;
  case TSR_OP_VTRANS: return CLS_VTRANS;
  case TSR_OP_SEND: return CLS_SEND;
  case TSR_OP_WAIT: return CLS_WAIT;
  case TSR_OP_FENCE: return CLS_FENCE;
  case TSR_OP_DRD: return CLS_DRD;
  case TSR_OP_DWR: return CLS_DWR;
  default: return CLS_HALT;
  }
}

typedef struct {
  long word_mismatches, flag_mismatches, count_mismatches, cycle_mismatches;
  uint64_t cycles, words_sent;
  /* per class: instructions, sum and maximum of |RTL - model| retire cycle,
   * and of the error in the instruction's own cycles, in % of the RTL's */
  long n[N_CLS];
  uint64_t err_sum[N_CLS], err_max[N_CLS];
  double own_sum[N_CLS], own_max[N_CLS];
  uint64_t end_rtl, end_model; /* last retire over all dies */
  uint64_t first_bad;          /* cycle of the first cycle mismatch, or of the end of
                                  the run for a mismatch found after it; 0 if none */
  /* the DRAM channels' stall cycles (when the front end counts them) and the
   * largest RTL - model retire difference */
  int stalls_known;
  uint64_t dram_stalls;
  int64_t late_max;
  double e_model[TSR_N_ECLASS], e_rtl[TSR_N_ECLASS]; /* energy by event class, pJ */
  /* a transformer layer: the RTL's results against the float64 reference
     (verif/ref_layer.h), each tensor's error and where */
  int ref_checked;
  double ref_err[TSR_REF_LAYER_TENSORS];
  size_t ref_at[TSR_REF_LAYER_TENSORS];
} mesh_result;

/* The IO dies' counters the executed DRDs and DWRs imply (words read,
 * written, read requests per IO die), and the words all messages moved. */
static void expected_io(const tsr_config *cfg, const tsr_mesh_die *g, uint64_t *io_cnt,
                        uint64_t *words) {
  int cols = (int)cfg->mesh.cols, n = (int)(cfg->mesh.rows * cfg->mesh.cols);
  for (int d = 0; d < n; d++) {
    for (long i = 0; i < g[d].retired; i++) {
      tsr_insn in;
      char err[TSR_ISA_ERR_LEN];
      tsr_decode(g[d].words + TSR_INSN_WORDS * i, &in, err);
      int io = 2 * (d / cols) + tsr_io_side(cfg, d % cols);
      if (in.op == TSR_OP_DRD) {
        io_cnt[3 * io + 0] += in.len;
        io_cnt[3 * io + 2] += 1;
      }
      if (in.op == TSR_OP_DWR) io_cnt[3 * io + 1] += in.len;
      if (in.op == TSR_OP_DRD || in.op == TSR_OP_DWR || in.op == TSR_OP_SEND) *words += in.len;
    }
  }
}

/* Every network counter against the cost model's (photonic powered cycles,
 * which count the run's length, excepted); returns the mismatches. */
static long check_net_counters(const tsr_config *cfg, tsr_mesh_sim *sim, const uint64_t *want,
                               uint64_t *rtl) {
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols);
  long bad = 0;
  for (uint32_t k = 0; k < tsr_cnt_total(cfg); k++) {
    uint64_t got = rtl[k] = host_read(sim, 0, NET_REGION | k);
    if (k >= tsr_cnt_powered(cfg, 0, 1) && k < tsr_cnt_powered(cfg, 0, 1) + 4u * (uint32_t)n) continue;
    if (got == want[k]) continue;
    char name[80];
    tsr_cnt_name(cfg, k, name, sizeof name);
    if (bad++ < 10)
      fprintf(stderr, "MISMATCH network counter %u (%s): %llu flits, the model counts %llu\n", k,
              name, (unsigned long long)got, (unsigned long long)want[k]);
  }
  return bad;
}

/* Every die's event counters (CSR 0x40 + 2i) against the cost model's, but
 * the buffers' busy cycles: a cycle with any access counts once, and the
 * network's writes fall in cycles the model does not place against the
 * controller's (the single-die harness checks them). The cycles each die ran
 * are timing: exact only where the model is (exact_timing, --uncontended);
 * elsewhere their error is the retire error reported per class. */
static long check_die_counters(const tsr_config *cfg, tsr_mesh_sim *sim, const tsr_mesh_cost_die *pred,
                               int exact_timing, tsr_counts *rtl) {
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols);
  long bad = 0;
  for (int d = 0; d < n; d++) {
    for (int k = 0; k < TSR_N_COUNTERS; k++) {
      uint64_t lo = host_read(sim, (uint32_t)d, TSR_HOST_CSR | (0x40u + 2u * (uint32_t)k));
      uint64_t hi = host_read(sim, (uint32_t)d, TSR_HOST_CSR | (0x41u + 2u * (uint32_t)k));
      uint64_t got = rtl[d].c[k] = hi << 32 | lo;
      if (k == TSR_CNT_WBUF_BUSY || k == TSR_CNT_ABUF_BUSY) continue;
      if (k == TSR_CNT_CYCLES && !exact_timing) continue;
      if (got == pred[d].total.c[k]) continue;
      if (bad++ < 10)
        fprintf(stderr, "MISMATCH die %d counter %s: %llu, the model counts %llu\n", d,
                tsr_counter_names[k], (unsigned long long)got,
                (unsigned long long)pred[d].total.c[k]);
    }
  }
  return bad;
}

/* Every die's retired instructions: RTL and model retire cycles, their
 * difference and the model's energy; then the energy by event class. */
static void print_table(const tsr_config *cfg, const tsr_mesh_cost_die *pred, uint64_t *const *rtl,
                        const tsr_counts *die_rtl, const mesh_result *res) {
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols), cols = (int)cfg->mesh.cols;
  for (int d = 0; d < n; d++) {
    printf("\ndie (row %d, col %d), %s dataflow\n", d / cols, d % cols,
           cfg->dies[d].dataflow == TSR_DF_OS ? "output-stationary" : "weight-stationary");
    printf("  %4s  %-62s %8s %8s %5s %10s\n", "pc", "instruction", "RTL", "model", "diff", "energy pJ");
    for (size_t k = 0; k < pred[d].n_retired; k++) {
      const tsr_insn_cost *p = &pred[d].out[k];
      char text[96];
      tsr_disasm_insn(&p->insn, text, sizeof text);
      double pj = tsr_energy_pj(&p->counts, &cfg->technology.energy_pj) +
                  tsr_net_energy_pj(&pred[d].net[k], cfg);
      printf("  %4zu  %-62s %8llu %8llu %+5lld %10.1f\n", k, text, (unsigned long long)rtl[d][k],
             (unsigned long long)p->retire, (long long)rtl[d][k] - (long long)p->retire, pj);
    }
    /* The FMA array's utilization from the die's own counters. */
    uint64_t fma = die_rtl[d].c[TSR_CNT_FMA_OPS], cyc = die_rtl[d].c[TSR_CNT_CYCLES];
    uint64_t units = tsr_die_units(&cfg->dies[d]);
    printf("  array utilization: %llu FMA operations / (%llu cycles x %llu units) = %.1f %% "
           "(RTL counters)\n",
           (unsigned long long)fma, (unsigned long long)cyc, (unsigned long long)units,
           cyc ? 100.0 * (double)fma / ((double)cyc * (double)units) : 0.0);
  }
  double tm = 0, tr = 0;
  printf("\nenergy by event class (counts x the energy table, docs/config.md)\n");
  printf("  %-18s %14s %14s %8s\n", "class", "model pJ", "RTL counts pJ", "error");
  for (int c = 0; c < TSR_N_ECLASS; c++) {
    tm += res->e_model[c];
    tr += res->e_rtl[c];
    printf("  %-18s %14.1f %14.1f %7.2f%%\n", tsr_eclass_names[c], res->e_model[c], res->e_rtl[c],
           res->e_rtl[c] ? 100.0 * (res->e_model[c] - res->e_rtl[c]) / res->e_rtl[c] : 0.0);
  }
  printf("  %-18s %14.1f %14.1f %7.2f%%\n\n", "total", tm, tr, tr ? 100.0 * (tm - tr) / tr : 0.0);
}

/* How to run a program. A run with waves writes an FST waveform of cycles
 * wave_from..wave_to to the file waves. */
typedef struct {
  uint64_t seed, max_cycles;
  int trace, uncontended, dram_bound, table, stats;
  FILE *trace_file; /* --trace-file, or NULL */
  const char *waves;
  uint64_t wave_from, wave_to;
} run_opts;

/* The counters run_program read at the end, to the trace file. */
static void trace_counters(const tsr_config *cfg, FILE *f, const tsr_counts *die_rtl,
                           const uint64_t *rx, const uint64_t *net_rtl, const uint64_t *io_rtl,
                           int n_io) {
  static const char *const io_names[3] = {"dram_words_read", "dram_words_written", "read_requests"};
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols);
  for (int d = 0; d < n; d++) {
    for (int k = 0; k < TSR_N_COUNTERS; k++)
      tsr_trace_counter(f, "die", d, die_rtl[d].c[k], tsr_counter_names[k]);
    tsr_trace_counter(f, "die", d, rx[2 * d], "rx_words");
    tsr_trace_counter(f, "die", d, rx[2 * d + 1], "rx_msgs");
  }
  for (uint32_t k = 0; k < tsr_cnt_total(cfg); k++) {
    char name[80];
    tsr_cnt_name(cfg, k, name, sizeof name);
    tsr_trace_counter(f, "net", (int)k, net_rtl[k], name);
  }
  for (int i = 0; i < 3 * n_io; i++)
    tsr_trace_counter(f, "io", i / 3, io_rtl[i], io_names[i % 3]);
}

/* The transformer layer's results in the RTL's DRAM against its float64
 * reference: each tensor's error into res; -1 when out of memory. */
static int check_reference(const tsr_lowered *low, const tsr_ref_layer *ref, uint32_t *const *dram,
                           mesh_result *res) {
  float *got[TSR_REF_LAYER_TENSORS];
  int ok = 1;
  for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++)
    ok &= (got[k] = calloc(ref->len[k], sizeof(float))) != NULL;
  if (ok) {
    tsr_layer_out o = {got[0], got[1], got[2], got[3], got[4],  got[5],
                       got[6], got[7], got[8], got[9], got[10], got[11]};
    tsr_lower_results_layer(low, dram, &o);
    for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++)
      res->ref_err[k] = tsr_ref_layer_error(ref, k, &o, &res->ref_at[k]);
    res->ref_checked = 1;
  }
  for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++) free(got[k]);
  return ok ? 0 : -1;
}

/* Run one program: per_die[d] is die d's assembler text; low, when not NULL,
 * is the lowered workload whose tensors the IO dies' DRAM starts from. */
static int run_program(const tsr_mesh_front_end *fe, const tsr_config *cfg, const char *path,
                       char **per_die, const tsr_lowered *low, const run_opts *opt,
                       mesh_result *res) {
  const uint64_t seed = opt->seed, max_cycles = opt->max_cycles;
  const int trace = opt->trace, uncontended = opt->uncontended, dram_bound = opt->dram_bound;
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols, n = rows * cols;
  uint32_t ww = (uint32_t)tsr_buffer_words(&cfg->die.weight_buffer);
  uint32_t aw = (uint32_t)tsr_buffer_words(&cfg->die.act_buffer);
  int rc = 2;
  tsr_mesh_die *gold = calloc((size_t)n, sizeof *gold);
  uint32_t **words = calloc((size_t)n, sizeof *words), *rtl_buf = malloc(sizeof(uint32_t) * (ww > aw ? ww : aw));
  uint32_t **init_w = calloc((size_t)n, sizeof *init_w), **init_a = calloc((size_t)n, sizeof *init_a);
  size_t *n_insns = calloc((size_t)n, sizeof *n_insns);
  uint64_t *net = calloc(tsr_cnt_total(cfg), sizeof *net); /* the model's network counters */
  uint64_t *net_rtl = calloc(tsr_cnt_total(cfg), sizeof *net_rtl);
  tsr_counts *die_rtl = calloc((size_t)n, sizeof *die_rtl), *die_model = calloc((size_t)n, sizeof *die_model);
  uint64_t *io_rtl = calloc(3 * (size_t)rows * 2, sizeof *io_rtl);
  uint64_t *rx_rtl = calloc(2 * (size_t)n, sizeof *rx_rtl);      /* words, messages unconsumed */
  uint64_t **rtl_retire = calloc((size_t)n, sizeof *rtl_retire); /* per die, per instruction */
  int n_io = cfg->mesh.io_dies ? 2 * rows : 0; /* IO dies whose DRAM is loaded and checked */
  uint64_t *io_cnt = calloc(3 * (size_t)rows * 2, sizeof *io_cnt);
  uint32_t **dram = calloc(2 * (size_t)rows, sizeof *dram), **init_dram = calloc(2 * (size_t)rows, sizeof *init_dram);
  tsr_mesh_sim *sim = NULL;
  tsr_mesh_cost_die *pred = NULL; /* the cost model's prediction per die */
  tsr_ref_layer ref = {0};         /* a transformer layer's float64 reference */
  memset(res, 0, sizeof *res);
  if (!gold || !words || !rtl_buf || !init_w || !init_a || !n_insns || !net || !net_rtl || !die_rtl || !die_model || !io_rtl || !rx_rtl || !rtl_retire ||
      !io_cnt || !dram || !init_dram)
    goto out;
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (int d = 0; d < n; d++) {
    char err[TSR_ISA_ERR_LEN];
    if (tsr_assemble(per_die[d], path, &words[d], &n_insns[d], err)) {
      fprintf(stderr, "%s (die row %d, col %d)\n", err, d / cols, d % cols);
      goto out;
    }
    init_w[d] = malloc(sizeof(uint32_t) * ww);
    init_a[d] = malloc(sizeof(uint32_t) * aw);
    gold[d].wgt = malloc(sizeof(uint32_t) * ww);
    gold[d].act = malloc(sizeof(uint32_t) * aw);
    if (!init_w[d] || !init_a[d] || !gold[d].wgt || !gold[d].act) goto out;
    for (uint32_t i = 0; i < ww; i++) init_w[d][i] = tsr_random_operand(&s, 0.01);
    for (uint32_t i = 0; i < aw; i++) init_a[d][i] = tsr_random_operand(&s, 0.01);
    memcpy(gold[d].wgt, init_w[d], sizeof(uint32_t) * ww);
    memcpy(gold[d].act, init_a[d], sizeof(uint32_t) * aw);
    gold[d].words = words[d];
    gold[d].n_insns = n_insns[d];
  }
  /* Programs without DRD and DWR leave DRAM alone: skip its slow host loading. */
  int uses_dram = 0;
  for (int d = 0; d < n; d++)
    for (size_t i = 0; i < n_insns[d]; i++) {
      uint32_t op = words[d][TSR_INSN_WORDS * i + 3] >> 24;
      uses_dram |= op == TSR_OP_DRD || op == TSR_OP_DWR;
    }
  if (!uses_dram) n_io = 0;
  for (int i = 0; i < n_io; i++) {
    dram[i] = malloc(sizeof(uint32_t) * TSR_IO_DRAM_WORDS);
    init_dram[i] = malloc(sizeof(uint32_t) * TSR_IO_DRAM_WORDS);
    if (!dram[i] || !init_dram[i]) goto out;
    for (uint32_t j = 0; j < TSR_IO_DRAM_WORDS; j++) init_dram[i][j] = tsr_random_operand(&s, 0.01);
  }
  if (low && n_io && load_tensors(low, &s, init_dram, &ref)) goto out;
  for (int i = 0; i < n_io; i++) memcpy(dram[i], init_dram[i], sizeof(uint32_t) * TSR_IO_DRAM_WORDS);
  char err[TSR_ISA_ERR_LEN];
  if (tsr_mesh_golden_run(cfg, gold, n_io ? dram : NULL, err)) {
    fprintf(stderr, "%s: %s\n", path, err);
    goto out;
  }

  pred = calloc((size_t)n, sizeof *pred);
  if (!pred) goto out;
  for (int d = 0; d < n; d++) {
    pred[d].words = words[d];
    pred[d].n_insns = n_insns[d];
    pred[d].out = calloc(n_insns[d] ? n_insns[d] : 1, sizeof *pred[d].out);
    pred[d].net = calloc(n_insns[d] ? n_insns[d] : 1, sizeof *pred[d].net);
    rtl_retire[d] = calloc(n_insns[d] ? n_insns[d] : 1, sizeof *rtl_retire[d]);
    if (!pred[d].out || !pred[d].net || !rtl_retire[d]) goto out;
  }
  if (tsr_mesh_cost_run(cfg, pred, net, err)) {
    fprintf(stderr, "%s: cost model: %s\n", path, err);
    goto out;
  }

  /* Load every die through the host port, start them all in one cycle. */
  rc = 1;
  sim = fe->create(cfg, seed);
  if (!sim) {
    fprintf(stderr, "%s: the simulator could not be started\n", path);
    goto out;
  }
  if (!opt->waves) tsr_trace_program(opt->trace_file, path);
  sim->reset(sim->ctx);
  for (int d = 0; d < n; d++) {
    for (size_t i = 0; i < TSR_INSN_WORDS * n_insns[d]; i++)
      host_write(sim, 0, (uint32_t)d, TSR_HOST_IMEM | (uint32_t)i, words[d][i]);
    for (uint32_t i = 0; i < ww; i++) host_write(sim, 0, (uint32_t)d, TSR_HOST_WBUF | i, init_w[d][i]);
    for (uint32_t i = 0; i < aw; i++) host_write(sim, 0, (uint32_t)d, TSR_HOST_ABUF | i, init_a[d][i]);
  }
  for (int i = 0; i < n_io; i++)
    for (uint32_t j = 0; j < TSR_IO_DRAM_WORDS; j++) host_write(sim, 0, (uint32_t)i, DRAM_REGION | j, init_dram[i][j]);
  host_write(sim, 1, 0, TSR_HOST_CSR | TSR_CSR_CTRL, 1);
  long *retired = calloc((size_t)n, sizeof *retired);
  int64_t *last_retire = malloc(sizeof(int64_t) * (size_t)n);
  for (int d = 0; last_retire && d < n; d++) last_retire[d] = -1;
  int running = 1;
  uint64_t cyc = 0;
  int waving = 0;
  for (; running && cyc < max_cycles; cyc++) {
    if (opt->waves && sim->waves && cyc == opt->wave_from && !waving) {
      if (sim->waves(sim->ctx, opt->waves)) fprintf(stderr, "%s: cannot write\n", opt->waves);
      else waving = 1;
    }
    if (waving && cyc == opt->wave_to) sim->waves(sim->ctx, NULL), waving = 0;
    running = 0;
    for (int d = 0; d < n; d++) {
      tsr_die_outputs o;
      sim->die(sim->ctx, d, &o);
      running |= o.busy;
      if (!o.trace_valid || !last_retire) continue;
      retired[d]++;
      if (trace) printf("die %d (%d,%d) pc %u op 0x%02x cycle %u\n", d, d / cols, d % cols,
                        o.trace_pc, o.trace_op, o.trace_cycle);
      if (!opt->waves) tsr_trace_retire(opt->trace_file, d, o.trace_pc, o.trace_op, o.trace_cycle);
      /* An instruction runs from the cycle after its predecessor retired. */
      int64_t took = (int64_t)o.trace_cycle - last_retire[d];
      last_retire[d] = o.trace_cycle;
      if (o.trace_cycle > res->end_rtl) res->end_rtl = o.trace_cycle;
      size_t k = (size_t)retired[d] - 1;
      if (k >= pred[d].n_retired) {
        fprintf(stderr, "MISMATCH die %d: retired instruction %zu at pc %u, the model retires %zu\n",
                d, k, o.trace_pc, pred[d].n_retired);
        if (!res->cycle_mismatches++) res->first_bad = cyc;
        continue;
      }
      const tsr_insn_cost *p = &pred[d].out[k];
      rtl_retire[d][k] = o.trace_cycle;
      int cls = insn_class(o.trace_op);
      uint64_t want = p->retire, got = o.trace_cycle;
      uint64_t e = got > want ? got - want : want - got;
      int64_t dur = took - (int64_t)(p->retire - p->start + 1);
      double own = took > 0 ? 100.0 * (double)(dur < 0 ? -dur : dur) / (double)took : 0.0;
      res->n[cls]++;
      res->err_sum[cls] += e;
      if (e > res->err_max[cls]) res->err_max[cls] = e;
      res->own_sum[cls] += own;
      if (own > res->own_max[cls]) res->own_max[cls] = own;
      if (got > want && (int64_t)(got - want) > res->late_max)
        res->late_max = (int64_t)(got - want);
      uint64_t slack = dram_bound && sim->dram_stalls ? sim->dram_stalls(sim->ctx) : 0;
      if (dram_bound && (got < want || got > want + slack)) {
        fprintf(stderr,
                "MISMATCH die %d (row %d, col %d) pc %u: %s retired in cycle %llu, expected "
                "%llu..%llu (the model's cycle, plus the %llu cycles the DRAM channels stalled)\n",
                d, d / cols, d % cols, o.trace_pc, cls_names[cls], (unsigned long long)got,
                (unsigned long long)want, (unsigned long long)(want + slack),
                (unsigned long long)slack);
        if (!res->cycle_mismatches++) res->first_bad = cyc;
      } else if (uncontended && e) {
        fprintf(stderr, "MISMATCH die %d (row %d, col %d) pc %u: %s retired in cycle %llu, the model "
                "predicts %llu (took %lld cycles, predicted %llu)\n", d, d / cols, d % cols,
                o.trace_pc, cls_names[cls], (unsigned long long)got, (unsigned long long)want,
                (long long)took, (unsigned long long)(p->retire - p->start + 1));
        if (!res->cycle_mismatches++) res->first_bad = cyc;
      }
    }
    if (running) sim->tick(sim->ctx);
  }
  res->cycles = cyc;
  res->stalls_known = sim->dram_stalls != NULL;
  res->dram_stalls = sim->dram_stalls ? sim->dram_stalls(sim->ctx) : 0;
  if (running) {
    fprintf(stderr, "%s: still running after %llu cycles\n", path, (unsigned long long)max_cycles);
    free(retired);
    free(last_retire);
    goto out;
  }
  /* Let arriving data settle (a die may halt before what was sent to it lands). */
  for (int i = 0; i < 200; i++, cyc++) {
    if (waving && cyc == opt->wave_to) sim->waves(sim->ctx, NULL), waving = 0;
    sim->tick(sim->ctx);
  }
  if (waving) sim->waves(sim->ctx, NULL);

  for (int d = 0; d < n; d++) {
    tsr_die_outputs o;
    sim->die(sim->ctx, d, &o);
    char name[64];
    if (o.halted != gold[d].halted || o.error != gold[d].error || retired[d] != gold[d].retired) {
      fprintf(stderr, "MISMATCH die %d: halted %d error %d retired %ld, expected %d %d %ld\n", d,
              o.halted, o.error, retired[d], gold[d].halted, gold[d].error, gold[d].retired);
      res->flag_mismatches++;
    }
    uint64_t rx_w = host_read(sim, (uint32_t)d, TSR_HOST_CSR | CSR_RX_WORDS);
    uint64_t rx_m = host_read(sim, (uint32_t)d, TSR_HOST_CSR | CSR_RX_MSGS);
    rx_rtl[2 * d] = rx_w;
    rx_rtl[2 * d + 1] = rx_m;
    if (rx_w != gold[d].rx_words[TSR_WAIT_ANY] || rx_m != gold[d].rx_msgs[TSR_WAIT_ANY]) {
      fprintf(stderr, "MISMATCH die %d: %llu words / %llu messages unconsumed, expected %llu / %llu\n",
              d, (unsigned long long)rx_w, (unsigned long long)rx_m,
              (unsigned long long)gold[d].rx_words[TSR_WAIT_ANY], (unsigned long long)gold[d].rx_msgs[TSR_WAIT_ANY]);
      res->count_mismatches++;
    }
    for (uint32_t i = 0; i < ww; i++) rtl_buf[i] = host_read(sim, (uint32_t)d, TSR_HOST_WBUF | i);
    snprintf(name, sizeof name, "die%d.wgt", d);
    res->word_mismatches += tsr_compare_buffer(name, rtl_buf, gold[d].wgt, ww);
    for (uint32_t i = 0; i < aw; i++) rtl_buf[i] = host_read(sim, (uint32_t)d, TSR_HOST_ABUF | i);
    snprintf(name, sizeof name, "die%d.act", d);
    res->word_mismatches += tsr_compare_buffer(name, rtl_buf, gold[d].act, aw);
  }
  free(retired);
  free(last_retire);
  for (int d = 0; d < n; d++)
    if (pred[d].n_retired && pred[d].out[pred[d].n_retired - 1].retire > res->end_model)
      res->end_model = pred[d].out[pred[d].n_retired - 1].retire;
  for (int i = 0; i < n_io; i++) {
    uint32_t *got = init_dram[i]; /* the RTL's DRAM, read over its initial image */
    for (uint32_t j = 0; j < TSR_IO_DRAM_WORDS; j++) got[j] = host_read(sim, (uint32_t)i, DRAM_REGION | j);
    char name[64];
    snprintf(name, sizeof name, "io%d.dram", i);
    res->word_mismatches += tsr_compare_buffer(name, got, dram[i], TSR_IO_DRAM_WORDS);
  }
  if (ref.want[0] && check_reference(low, &ref, init_dram, res)) goto out;

  /* Every counter: the IO dies' (words read and written, read requests), the
   * network's and the dies' own, against what the models count. */
  expected_io(cfg, gold, io_cnt, &res->words_sent);
  static const char *const io_names[3] = {"DRAM words read", "DRAM words written", "read requests"};
  for (int i = 0; i < n_io; i++) {
    for (uint32_t k = 0; k < 3; k++) {
      uint64_t got = io_rtl[3 * i + k] = host_read(sim, (uint32_t)i, IO_CNT_REGION | k);
      if (got == io_cnt[3 * i + k]) continue;
      fprintf(stderr, "MISMATCH IO die %d: %llu %s, expected %llu\n", i, (unsigned long long)got,
              io_names[k], (unsigned long long)io_cnt[3 * i + k]);
      res->count_mismatches++;
    }
  }
  res->count_mismatches += check_net_counters(cfg, sim, net, net_rtl);
  res->count_mismatches += check_die_counters(cfg, sim, pred, uncontended, die_rtl);
  if (opt->trace_file && !opt->waves)
    trace_counters(cfg, opt->trace_file, die_rtl, rx_rtl, net_rtl, io_rtl, n_io);

  /* Energy by event class: the RTL's counters and the model's, priced alike. */
  uint64_t dram_rtl[4 * TSR_MAX_ROWS] = {0}, dram_model[4 * TSR_MAX_ROWS] = {0};
  for (int i = 0; i < n_io; i++)
    for (int k = 0; k < 2; k++) dram_rtl[2 * i + k] = io_rtl[3 * i + k], dram_model[2 * i + k] = io_cnt[3 * i + k];
  for (int d = 0; d < n; d++) die_model[d] = pred[d].total;
  tsr_mesh_energy(cfg, die_rtl, net_rtl, dram_rtl, res->e_rtl);
  tsr_mesh_energy(cfg, die_model, net, dram_model, res->e_model);
  if (opt->table) print_table(cfg, pred, rtl_retire, die_rtl, res);
  if (!res->first_bad && (res->word_mismatches || res->flag_mismatches || res->count_mismatches))
    res->first_bad = cyc;
  rc = 0;
out:
  for (int d = 0; pred && d < n; d++) free(pred[d].out), free(pred[d].net);
  for (int d = 0; rtl_retire && d < n; d++) free(rtl_retire[d]);
  free(rtl_retire), free(net_rtl), free(die_rtl), free(die_model), free(io_rtl), free(rx_rtl);
  free(pred);
  if (sim) {
    sim->destroy(sim->ctx);
    free(sim);
  }
  for (int d = 0; gold && d < n; d++) {
    free(gold[d].wgt);
    free(gold[d].act);
  }
  for (int d = 0; words && d < n; d++) free(words[d]);
  for (int d = 0; init_w && d < n; d++) free(init_w[d]);
  for (int d = 0; init_a && d < n; d++) free(init_a[d]);
  free(gold), free(words), free(rtl_buf), free(init_w), free(init_a);
  for (int i = 0; dram && init_dram && i < 2 * rows; i++) free(dram[i]), free(init_dram[i]);
  free(n_insns), free(net), free(io_cnt), free(dram), free(init_dram);
  tsr_ref_layer_free(&ref);
  return rc;
}

/* "B,DIN,DOUT,N[,fwd|bwd|both]" of --linear; -1 on a malformed spec. */
static int parse_linear(const char *spec, tsr_linear *L) {
  char pass[8] = "both";
  int used = 0;
  memset(L, 0, sizeof *L);
  if (sscanf(spec, "%u,%u,%u,%u%n", &L->tokens, &L->d_in, &L->d_out, &L->minibatches, &used) != 4)
    return -1;
  if (spec[used] == ',' && sscanf(spec + used + 1, "%7[a-z]", pass) != 1) return -1;
  else if (spec[used] != ',' && spec[used] != '\0') return -1;
  L->forward = !strcmp(pass, "fwd") || !strcmp(pass, "both");
  L->backward = !strcmp(pass, "bwd") || !strcmp(pass, "both");
  L->lr = 0.125f;
  return L->forward || L->backward ? 0 : -1;
}

/* One line of verdict and one of the model's agreement (uncontended: the run
 * had --uncontended or --dram-bound, so cycle mismatches are counted); with
 * stats, the same figures as `stat` lines for tests/regress.sh:
 *   stat CLASS N SUM|ERR| MAX|ERR| SUM_OWN% MAX_OWN%    per instruction class
 *   stat run END_RTL END_MODEL ENERGY_MODEL ENERGY_RTL  the whole program */
static void report(const tsr_config *cfg, const char *name, int rc, const mesh_result *r,
                   int uncontended, int stats, int *worst) {
  int ref_ok = 1, worst_k = 0;
  for (int k = 0; r->ref_checked && k < TSR_REF_LAYER_TENSORS; k++) {
    ref_ok &= r->ref_err[k] <= TSR_REF_LAYER_TAU;
    if (!(r->ref_err[k] <= r->ref_err[worst_k])) worst_k = k;
  }
  int ok = rc == 0 && !r->word_mismatches && !r->flag_mismatches && !r->count_mismatches &&
           !r->cycle_mismatches && ref_ok;
  printf("%s %s: %ux%u dies, %llu cycles, %llu words moved, %ld word / %ld flag / %ld count "
         "mismatches",
         ok ? "PASS" : "FAIL", name, cfg->mesh.rows, cfg->mesh.cols, (unsigned long long)r->cycles,
         (unsigned long long)r->words_sent, r->word_mismatches, r->flag_mismatches,
         r->count_mismatches);
  if (uncontended) printf(", %ld cycle mismatches against the model", r->cycle_mismatches);
  printf("\n");
  if (rc == 0) {
    double end_err = r->end_rtl ? 100.0 * ((double)r->end_model - (double)r->end_rtl) / (double)r->end_rtl : 0;
    printf("  model: last retire %llu, RTL %llu (%+.2f %%); |retire error| max/mean per class:",
           (unsigned long long)r->end_model, (unsigned long long)r->end_rtl, end_err);
    for (int c = 0; c < N_CLS; c++)
      if (r->n[c])
        printf(" %s %llu/%.1f (n %ld)", cls_names[c], (unsigned long long)r->err_max[c],
               (double)r->err_sum[c] / (double)r->n[c], r->n[c]);
    printf("\n");
    double em = 0, er = 0;
    for (int c = 0; c < TSR_N_ECLASS; c++) em += r->e_model[c], er += r->e_rtl[c];
    printf("  energy: model %.1f pJ, RTL counters %.1f pJ (%+.3f %%)\n", em, er,
           er ? 100.0 * (em - er) / er : 0.0);
    for (int c = 0; stats && c < N_CLS; c++)
      if (r->n[c])
        printf("stat %s %ld %llu %llu %.4f %.4f\n", cls_names[c], r->n[c],
               (unsigned long long)r->err_sum[c], (unsigned long long)r->err_max[c], r->own_sum[c],
               r->own_max[c]);
    if (stats)
      printf("stat run %llu %llu %.3f %.3f\n", (unsigned long long)r->end_rtl,
             (unsigned long long)r->end_model, em, er);
    if (r->ref_checked) {
      printf("  float64 reference (verif/ref_layer.c): largest error %.3g of its tensor's largest "
             "magnitude (%s[%zu]), allowed %g%s; per tensor:", r->ref_err[worst_k],
             tsr_ref_layer_names[worst_k], r->ref_at[worst_k], TSR_REF_LAYER_TAU,
             ref_ok ? "" : ": FAIL");
      for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++)
        printf(" %s %.2g", tsr_ref_layer_names[k], r->ref_err[k]);
      printf("\n");
    }
    if (r->stalls_known && cfg->mesh.dram_timing == TSR_DRAM_DDR5)
      printf("  dram: the channels stalled %llu cycles (DDR5 banks and refresh); retires at most "
             "%lld cycles after the model's\n",
             (unsigned long long)r->dram_stalls, (long long)r->late_max);
  }
  if (rc == 2) *worst = 2;
  else if (!ok && *worst == 0) *worst = 1;
}

/* Cycles of waveform written before and after the first mismatch. */
#define WAVE_BEFORE 1000u
#define WAVE_AFTER 100u

/* Run a program; on a mismatch run it once more, quietly and from the same
 * seed (the run is deterministic), writing the waveform of the cycles around
 * the first mismatch to WAVES_DIR/<name>.fst. */
static int run_checked(const tsr_mesh_front_end *fe, const tsr_config *cfg, const char *path,
                       char **per_die, const tsr_lowered *low, const run_opts *opt,
                       const char *waves_dir, int job, mesh_result *res) {
  int rc = run_program(fe, cfg, path, per_die, low, opt, res);
  if (rc != 0 || !res->first_bad || !waves_dir) return rc;
  char file[4096];
  snprintf(file, sizeof file, "%s/job%d-seed%llu.fst", waves_dir, job,
           (unsigned long long)opt->seed);
  run_opts again = *opt;
  again.trace = again.table = 0;
  again.waves = file;
  again.wave_from = res->first_bad > WAVE_BEFORE ? res->first_bad - WAVE_BEFORE : 0;
  again.wave_to = res->first_bad + WAVE_AFTER;
  mesh_result ignored;
  fflush(stdout), fflush(stderr);
  int saved = dup(2), null = open("/dev/null", O_WRONLY);
  if (saved >= 0 && null >= 0) dup2(null, 2);
  int wrote = mkdir(waves_dir, 0777) == 0 || errno == EEXIST;
  if (wrote) wrote = run_program(fe, cfg, path, per_die, low, &again, &ignored) == 0;
  if (saved >= 0) dup2(saved, 2), close(saved);
  if (null >= 0) close(null);
  if (wrote && access(file, R_OK) == 0)
    fprintf(stderr, "waveform of cycles %llu..%llu around the first mismatch: %s\n",
            (unsigned long long)again.wave_from, (unsigned long long)again.wave_to, file);
  return rc;
}

/* "allgather|reducescatter,row|col,ring|mesh,CHUNK" of --collective. */
static int parse_collective(const char *spec, tsr_collective *c) {
  char kind[16], over[8], chan[8];
  int used = 0;
  memset(c, 0, sizeof *c);
  if (sscanf(spec, "%15[a-z],%7[a-z],%7[a-z],%u%n", kind, over, chan, &c->chunk, &used) != 4 ||
      spec[used] != '\0')
    return -1;
  c->kind = !strcmp(kind, "allgather") ? TSR_COLL_ALLGATHER
            : !strcmp(kind, "reducescatter") ? TSR_COLL_REDUCESCATTER : -1;
  c->over_cols = !strcmp(over, "col") ? 1 : !strcmp(over, "row") ? 0 : -1;
  c->on_mesh = !strcmp(chan, "mesh") ? 1 : !strcmp(chan, "ring") ? 0 : -1;
  return c->kind < 0 || c->over_cols < 0 || c->on_mesh < 0 ? -1 : 0;
}

/* A workload of the command line lowered to per-die programs: name it, or
 * return 2 with the error printed. */
enum {
  WORK_LINEAR, WORK_COLLECTIVE, WORK_GEMM, WORK_FFN, WORK_ATTENTION, WORK_ATTN_BLOCK,
  WORK_TRANSFORMER, N_WORK
};
static const char *const work_option[N_WORK] = {
    "--linear",    "--collective",      "--gemm",       "--ffn",
    "--attention", "--attention-block", "--transformer"};
static int lower_work(const char *me, const tsr_config *cfg, int kind, const char *spec,
                      tsr_lowered *low, char *name, size_t name_len) {
  char why[TSR_ISA_ERR_LEN];
  static const char *const usage_of[] = {
      "B,DIN,DOUT,N[,fwd|bwd|both] (tokens per mini-batch, input and output features, "
      "mini-batches)",
      "allgather|reducescatter,row|col,ring|mesh,CHUNK (the collective, within every row or "
      "column, on the bypass ring or the mesh, words per die)",
      "M,K,N (Y = X W with X of M x K)",
      "B,D,DH,N (tokens per mini-batch, model and hidden features, mini-batches)",
      "H,S,D (heads, a multiple of the dies; sequence, a power of two 2..64; head size)",
      "B,D,H,S,N (tokens per mini-batch, model features, heads, sequence, mini-batches)",
      "B,D,H,S,F (tokens, model features, heads, sequence, FFN features)"};
  int bad = 0, rc = 0;
  if (kind == WORK_LINEAR) {
    tsr_linear L;
    bad = parse_linear(spec, &L);
    if (!bad && !(rc = tsr_lower_linear(cfg, &L, low, why)))
      snprintf(name, name_len, "linear layer B=%u Din=%u Dout=%u N=%u %s", L.tokens, L.d_in,
               L.d_out, L.minibatches,
               L.forward && L.backward ? "forward+backward" : L.forward ? "forward" : "backward");
  } else if (kind == WORK_COLLECTIVE) {
    tsr_collective c;
    bad = parse_collective(spec, &c);
    if (!bad && !(rc = tsr_lower_collective(cfg, &c, low, why)))
      snprintf(name, name_len, "%s within every %s, %u words per die, on the %s",
               c.kind == TSR_COLL_ALLGATHER ? "all-gather" : "reduce-scatter",
               c.over_cols ? "column" : "row", c.chunk, c.on_mesh ? "mesh" : "bypass ring");
  } else if (kind == WORK_FFN) {
    tsr_ffn f;
    int used = 0;
    bad = sscanf(spec, "%u,%u,%u,%u%n", &f.tokens, &f.d_model, &f.d_hidden, &f.minibatches, &used) != 4 ||
          spec[used] != '\0';
    if (!bad && !(rc = tsr_lower_ffn(cfg, &f, low, why)))
      snprintf(name, name_len, "FFN block forward B=%u D=%u Dh=%u N=%u", f.tokens, f.d_model,
               f.d_hidden, f.minibatches);
  } else if (kind == WORK_ATTENTION) {
    tsr_attention at;
    int used = 0;
    bad = sscanf(spec, "%u,%u,%u%n", &at.heads, &at.seq, &at.d_head, &used) != 3 ||
          spec[used] != '\0';
    if (!bad && !(rc = tsr_lower_attention(cfg, &at, low, why)))
      snprintf(name, name_len, "attention core forward H=%u S=%u D=%u", at.heads, at.seq,
               at.d_head);
  } else if (kind == WORK_TRANSFORMER) {
    tsr_layer y = {.lr = 0.125f, .backward = 1};
    int used = 0;
    bad = sscanf(spec, "%u,%u,%u,%u,%u%n", &y.tokens, &y.d_model, &y.heads, &y.seq, &y.d_ffn,
                 &used) != 5 || spec[used] != '\0';
    if (!bad && !(rc = tsr_lower_layer(cfg, &y, low, why)))
      snprintf(name, name_len, "transformer layer forward, backward and update B=%u D=%u H=%u "
               "S=%u F=%u", y.tokens, y.d_model, y.heads, y.seq, y.d_ffn);
  } else if (kind == WORK_ATTN_BLOCK) {
    tsr_attn_block ab;
    int used = 0;
    bad = sscanf(spec, "%u,%u,%u,%u,%u%n", &ab.tokens, &ab.d_model, &ab.heads, &ab.seq,
                 &ab.minibatches, &used) != 5 || spec[used] != '\0';
    if (!bad && !(rc = tsr_lower_attn_block(cfg, &ab, low, why)))
      snprintf(name, name_len, "attention block forward B=%u D=%u H=%u S=%u N=%u", ab.tokens,
               ab.d_model, ab.heads, ab.seq, ab.minibatches);
  } else {
    unsigned m, k, n;
    int used = 0;
    bad = sscanf(spec, "%u,%u,%u%n", &m, &k, &n, &used) != 3 || spec[used] != '\0';
    if (!bad && !(rc = tsr_lower_gemm(cfg, m, k, n, low, why)))
      snprintf(name, name_len, "distributed GEMM M=%u K=%u N=%u", m, k, n);
  }
  if (bad) fprintf(stderr, "%s: %s %s: expected %s\n", me, work_option[kind], spec, usage_of[kind]);
  else if (rc) fprintf(stderr, "%s: %s %s: %s\n", me, work_option[kind], spec, why);
  return bad || rc ? 2 : 0;
}

/* WORK_* of a workload option, or -1. */
static int option_kind(const char *arg) {
  for (int k = 0; k < N_WORK; k++)
    if (!strcmp(arg, work_option[k])) return k;
  return -1;
}

int tsr_mesh_main(int argc, char **argv, const tsr_mesh_front_end *fe) {
  const char *config = NULL, *work[16], *me = fe->name, *trace_path = NULL;
  int n_work = 0, work_kind[16];
  run_opts opt = {.seed = 1, .max_cycles = 1000000};
  int first = 0;
  /* Waveforms go beside the binary (build/mesh/NAME/waves) unless told. */
  char waves_buf[4096];
  const char *slash = strrchr(argv[0], '/');
  snprintf(waves_buf, sizeof waves_buf, "%.*swaves", slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
  const char *waves_dir = waves_buf;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(me, stdout, 0);
    if (!strcmp(argv[i], "--trace")) {
      opt.trace = 1;
    } else if (!strcmp(argv[i], "--table")) {
      opt.table = 1;
    } else if (!strcmp(argv[i], "--stats")) {
      opt.stats = 1;
    } else if (!strcmp(argv[i], "--uncontended")) {
      opt.uncontended = 1;
    } else if (!strcmp(argv[i], "--no-waves")) {
      waves_dir = NULL;
    } else if (i + 1 < argc && !strcmp(argv[i], "--waves")) {
      waves_dir = argv[++i];
    } else if (!strcmp(argv[i], "--dram-bound")) {
      opt.dram_bound = 1;
    } else if (i + 1 < argc && !strcmp(argv[i], "--config")) {
      config = argv[++i];
    } else if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
      opt.seed = strtoull(argv[++i], NULL, 0);
    } else if (i + 1 < argc && !strcmp(argv[i], "--trace-file")) {
      trace_path = argv[++i];
    } else if (i + 1 < argc && !strcmp(argv[i], "--max-cycles")) {
      opt.max_cycles = strtoull(argv[++i], NULL, 0);
    } else if (i + 1 < argc && option_kind(argv[i]) >= 0) {
      if (n_work == 16) {
        fprintf(stderr, "%s: at most 16 workloads (--linear, --collective, --gemm, --ffn, "
                "--attention, --attention-block, --transformer)\n", me);
        return 2;
      }
      work_kind[n_work] = option_kind(argv[i]);
      work[n_work++] = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "%s: unknown option %s\n", me, argv[i]);
      return usage(me, stderr, 2);
    } else {
      first = i;
      break;
    }
  }
  if (!config || (!first && !n_work) || !opt.max_cycles) return usage(me, stderr, 2);
  tsr_config *cfg = malloc(sizeof *cfg);
  char err[TSR_ERR_LEN];
  if (!cfg || tsr_config_load(config, cfg, err)) {
    fprintf(stderr, "%s\n", cfg ? err : "out of memory");
    free(cfg);
    return 2;
  }
  static const char *const models[] = {"rtl", "external"};
  if (cfg->mesh.io_dies && (int)cfg->mesh.dram_model != fe->external_dram) {
    fprintf(stderr,
            "%s: %s: mesh.dram.model is \"%s\", expected \"%s\": this front end runs "
            "mesh tops whose DRAM is %s (docs/simulators.md)\n",
            me, config, models[cfg->mesh.dram_model], models[fe->external_dram],
            fe->external_dram ? "outside the RTL" : "in the RTL");
    free(cfg);
    return 2;
  }
  if (trace_path && !(opt.trace_file = fopen(trace_path, "w"))) {
    fprintf(stderr, "%s: cannot write the trace\n", trace_path);
    free(cfg);
    return 2;
  }
  int worst = 0, n = (int)(cfg->mesh.rows * cfg->mesh.cols), job = 0;
  for (int i = first; first && i < argc; i++, job++) {
    mesh_result r;
    memset(&r, 0, sizeof r);
    char *text = tsr_read_text(argv[i]), **per_die = calloc((size_t)n, sizeof *per_die);
    int rc = 2;
    if (!text) fprintf(stderr, "%s: cannot read the program\n", argv[i]);
    else if (per_die && !split_sections(text, argv[i], (int)cfg->mesh.rows, (int)cfg->mesh.cols, per_die)) {
      run_opts o = opt;
      o.seed = opt.seed + (uint64_t)job;
      rc = run_checked(fe, cfg, argv[i], per_die, NULL, &o, waves_dir, job, &r);
    }
    report(cfg, argv[i], rc, &r, opt.uncontended || opt.dram_bound, opt.stats, &worst);
    for (int d = 0; per_die && d < n; d++) free(per_die[d]);
    free(per_die);
    free(text);
  }
  static tsr_lowered low;
  for (int k = 0; k < n_work; k++, job++) {
    mesh_result r;
    memset(&r, 0, sizeof r);
    char name[160];
    int rc = lower_work(me, cfg, work_kind[k], work[k], &low, name, sizeof name);
    if (rc == 0) {
      run_opts o = opt;
      o.seed = opt.seed + (uint64_t)job;
      rc = run_checked(fe, cfg, name, low.text, &low, &o, waves_dir, job, &r);
      tsr_lowered_free(&low);
    }
    report(cfg, rc == 2 ? work[k] : name, rc, &r, opt.uncontended || opt.dram_bound, opt.stats, &worst);
  }
  if (opt.trace_file) fclose(opt.trace_file);
  free(cfg);
  return worst;
}
