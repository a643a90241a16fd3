/* harness.c - see harness.h. */
#include "harness.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cost.h"
#include "golden.h"
#include "isa.h"
#include "textfile.h"

/* ---- operands ------------------------------------------------------------ */

static uint64_t next_rand(uint64_t *s) {
  /* xorshift64*: small, seedable, reproducible across platforms */
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1Dull;
}

/* A random FP32 pattern: mostly normal values within 2^-8..2^8 (so long fmaf
 * chains round at every step but rarely overflow), sometimes a corner value. */
uint32_t tsr_random_operand(uint64_t *s, double special_rate) {
  static const uint32_t corners[] = {
      0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x7FA00001u,
      0xFFC12345u, 0x00000001u, 0x807FFFFFu, 0x00800000u, 0x7F7FFFFFu, 0xFF7FFFFFu,
      0x3F800000u, 0xBF800000u, 0x00400000u, 0x80000003u,
  };
  uint64_t r = next_rand(s);
  if ((double)(r >> 11) / 9007199254740992.0 < special_rate) {
    return corners[next_rand(s) % (sizeof corners / sizeof corners[0])];
  }
  r = next_rand(s);
  uint32_t sign = (uint32_t)(r >> 63) << 31;
  uint32_t exp = 119u + (uint32_t)((r >> 40) % 17u);
  return sign | (exp << 23) | (uint32_t)(r & 0x7FFFFFu);
}

/* ---- host port ------------------------------------------------------------ */

static void host_write(tsr_sim *sim, uint32_t addr, uint32_t data) {
  sim->set_host(sim->ctx, 1, 1, addr, data);
  sim->tick(sim->ctx);
  sim->set_host(sim->ctx, 0, 0, 0, 0);
}

static uint32_t host_read(tsr_sim *sim, uint32_t addr) {
  tsr_die_outputs o;
  sim->set_host(sim->ctx, 1, 0, addr, 0);
  sim->tick(sim->ctx);
  sim->set_host(sim->ctx, 0, 0, 0, 0);
  sim->outputs(sim->ctx, &o);
  return o.rdata;
}

static uint64_t read_counter(tsr_sim *sim, int i) {
  uint32_t lo = host_read(sim, TSR_HOST_CSR | (TSR_CSR_COUNTER0 + 2u * (uint32_t)i));
  uint32_t hi = host_read(sim, TSR_HOST_CSR | (TSR_CSR_COUNTER0 + 2u * (uint32_t)i + 1u));
  return ((uint64_t)hi << 32) | lo;
}

/* ---- the trace file ------------------------------------------------------------ */

void tsr_trace_program(FILE *f, const char *name) {
  if (f) fprintf(f, "program %s\n", name);
}

void tsr_trace_retire(FILE *f, int die, uint32_t pc, uint32_t op, uint32_t cycle) {
  if (f) fprintf(f, "retire %d %u %02x %u\n", die, pc, op, cycle);
}

void tsr_trace_counter(FILE *f, const char *scope, int index, uint64_t value, const char *name) {
  if (f) fprintf(f, "counter %s %d %" PRIu64 " %s\n", scope, index, value, name);
}

/* ---- the run ---------------------------------------------------------------- */

char *tsr_read_text(const char *path) {
  char *buf, err[TSR_ERR_LEN];
  size_t len;
  if (tsr_read_textfile(path, &buf, &len, err)) { /* a directory, a NUL byte: say which */
    fprintf(stderr, "%s\n", err);
    return NULL;
  }
  return buf;
}

/* Compare one buffer with the golden model; print the first few mismatches. */
long tsr_compare_buffer(const char *name, const uint32_t *rtl, const uint32_t *gold,
                        uint32_t words) {
  long bad = 0;
  for (uint32_t i = 0; i < words; i++) {
    if (rtl[i] == gold[i]) continue;
    if (bad < 8) {
      fprintf(stderr, "MISMATCH %s[0x%x]: expected 0x%08x, RTL 0x%08x\n", name, i, gold[i],
              rtl[i]);
    }
    bad++;
  }
  return bad;
}

int tsr_run_program(const tsr_config *cfg, tsr_sim *sim, const tsr_run_opts *opts,
                    tsr_run_result *res) {
  const tsr_die_cfg *die = &cfg->die;
  memset(res, 0, sizeof *res);
  char err[TSR_ISA_ERR_LEN];
  char *text = tsr_read_text(opts->program_path);
  if (!text) {
    fprintf(stderr, "%s: cannot read the program\n", opts->program_path);
    return 2;
  }
  uint32_t *prog = NULL;
  size_t n_insns = 0;
  int rc = tsr_assemble(text, opts->program_path, &prog, &n_insns, err);
  free(text);
  if (rc) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  uint32_t wwords = tsr_buffer_words(&die->weight_buffer);
  uint32_t awords = tsr_buffer_words(&die->act_buffer);
  if (tsr_die_program_check(die, prog, n_insns, err)) { /* the same as `tessera model` */
    fprintf(stderr, "%s: %s\n", opts->program_path, err);
    free(prog);
    return 2;
  }

  uint32_t *wgt = malloc(sizeof(uint32_t) * wwords), *act = malloc(sizeof(uint32_t) * awords);
  uint32_t *gold_w = malloc(sizeof(uint32_t) * wwords), *gold_a = malloc(sizeof(uint32_t) * awords);
  tsr_insn_cost *pred = calloc(n_insns, sizeof *pred);
  tsr_counts total;
  size_t n_pred = 0;
  int status = 1;
  if (!wgt || !act || !gold_w || !gold_a || !pred) {
    fprintf(stderr, "out of memory\n");
    goto done;
  }
  uint64_t s = opts->seed * 0x9E3779B97F4A7C15ull + 1;
  for (uint32_t i = 0; i < wwords; i++) wgt[i] = tsr_random_operand(&s, opts->special_rate);
  for (uint32_t i = 0; i < awords; i++) act[i] = tsr_random_operand(&s, opts->special_rate);
  memcpy(gold_w, wgt, sizeof(uint32_t) * wwords);
  memcpy(gold_a, act, sizeof(uint32_t) * awords);
  if (tsr_golden_run(prog, n_insns, gold_w, wwords, gold_a, awords, err) < 0 ||
      tsr_cost_program(die, prog, n_insns, pred, &n_pred, &total, err)) {
    fprintf(stderr, "%s: %s\n", opts->program_path, err);
    status = 2;
    goto done;
  }
  res->energy_pj = tsr_energy_pj(&total, &cfg->technology.energy_pj);

  /* Load front-door through the host port, then start. */
  tsr_trace_program(opts->trace_out, opts->program_path);
  sim->reset(sim->ctx);
  for (size_t i = 0; i < 4 * n_insns; i++) host_write(sim, TSR_HOST_IMEM | (uint32_t)i, prog[i]);
  for (uint32_t i = 0; i < wwords; i++) host_write(sim, TSR_HOST_WBUF | i, wgt[i]);
  for (uint32_t i = 0; i < awords; i++) host_write(sim, TSR_HOST_ABUF | i, act[i]);
  host_write(sim, TSR_HOST_CSR | TSR_CSR_CTRL, 1);

  uint64_t limit = 2 * total.c[TSR_CNT_CYCLES] + 1000;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t *rtl_cycle = calloc(n_insns, sizeof *rtl_cycle);
  tsr_die_outputs o;
  size_t retired = 0;
  uint64_t t;
  for (t = 0; t < limit; t++) {
    sim->outputs(sim->ctx, &o);
    if (o.trace_valid) {
      tsr_trace_retire(opts->trace_out, 0, o.trace_pc, o.trace_op, o.trace_cycle);
      if (retired < n_insns && rtl_cycle) rtl_cycle[retired] = o.trace_cycle;
      retired++;
    }
    if (!o.busy) break;
    sim->tick(sim->ctx);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  res->sim_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  res->retired = (long)retired;
  if (t == limit || o.error || !o.halted) {
    fprintf(stderr, "%s: RTL %s after %" PRIu64 " cycles (%zu instructions retired, %zu expected)\n",
            opts->program_path, t == limit ? "did not halt" : "stopped with its error flag set",
            t, retired, n_pred);
    free(rtl_cycle);
    goto done;
  }

  /* Per instruction: RTL retire cycle against the model. */
  if (!opts->quiet) {
    printf("%-4s %-58s %10s %10s %6s\n", "pc", "instruction", "rtl_cycle", "model", "diff");
  }
  for (size_t i = 0; i < n_pred; i++) {
    uint64_t rtl = (i < retired && rtl_cycle) ? rtl_cycle[i] : 0;
    long long diff = (long long)rtl - (long long)pred[i].retire;
    if (diff != 0 || i >= retired) res->cycle_mismatches++;
    if (!opts->quiet || diff != 0) {
      char line[160];
      tsr_disasm_insn(&pred[i].insn, line, sizeof line);
      printf("%-4zu %-58s %10" PRIu64 " %10" PRIu64 " %+6lld%s\n", i, line, rtl, pred[i].retire,
             diff, diff ? "  <-- MISMATCH" : "");
    }
  }
  if (retired != n_pred) res->cycle_mismatches++;
  res->rtl_cycles = n_pred ? pred[n_pred - 1].retire + 1 : 0;
  free(rtl_cycle);

  /* Counters. */
  if (!opts->quiet) printf("\n%-20s %14s %14s %6s\n", "counter", "rtl", "model", "diff");
  for (int k = 0; k < TSR_N_COUNTERS; k++) {
    uint64_t v = read_counter(sim, k);
    tsr_trace_counter(opts->trace_out, "die", k, v, tsr_counter_names[k]);
    long long diff = (long long)(v - total.c[k]);
    if (diff) res->counter_mismatches++;
    if (!opts->quiet || diff) {
      printf("%-20s %14" PRIu64 " %14" PRIu64 " %+6lld%s\n", tsr_counter_names[k], v, total.c[k],
             diff, diff ? "  <-- MISMATCH" : "");
    }
  }

  /* Every buffer word, read back through the host port. */
  for (uint32_t i = 0; i < wwords; i++) wgt[i] = host_read(sim, TSR_HOST_WBUF | i);
  for (uint32_t i = 0; i < awords; i++) act[i] = host_read(sim, TSR_HOST_ABUF | i);
  res->word_mismatches = tsr_compare_buffer("wgt", wgt, gold_w, wwords) +
                         tsr_compare_buffer("act", act, gold_a, awords);
  if (!opts->quiet) {
    printf("\nbuffers: %u weight + %u activation words compared bit for bit, %ld mismatches\n",
           wwords, awords, res->word_mismatches);
    printf("energy (model): %.1f pJ over %" PRIu64 " cycles = %.3f uJ at %.0f MHz for %.3f us\n",
           res->energy_pj, res->rtl_cycles, res->energy_pj * 1e-6, cfg->technology.clock_mhz,
           (double)res->rtl_cycles / cfg->technology.clock_mhz);
    printf("simulation: %" PRIu64 " cycles in %.3f s = %.0f cycles/s\n", res->rtl_cycles,
           res->sim_seconds, res->sim_seconds > 0 ? (double)res->rtl_cycles / res->sim_seconds : 0);
  }
  status = 0;
done:
  free(prog);
  free(wgt);
  free(act);
  free(gold_w);
  free(gold_a);
  free(pred);
  return status;
}
