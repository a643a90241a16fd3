/* cmd_util.c - `tessera util`: the die's FMA array utilization from the cost model
 * (tsr_cost_gemm, the closed forms the lockstep suites hold the RTL to):
 * utilization = FMA operations / (cycles x units), per dataflow, for GEMMs
 * of a few shapes. A GEMM larger than one instruction's tile (TM x TK x TN,
 * sized so that X and Y fit half the activation buffer and W half the weight
 * buffer: the other halves take the next tile's operands) runs as a loop of
 * tile instructions, k tiles accumulating (acc = 1 after the first).
 *
 *   tessera util CONFIG [WEIGHT_PORT_BITS ACT_PORT_BITS]
 *
 * The port widths, if given, replace the configuration's (`make bench` runs it
 * on configs/hecaton-die.json as it is and with the ports the os stream needs). */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "cost.h"
#include "die_sched.h"


/* Cycles and FMAs of GEMM m x k x n in tiles of at most tm x tk x tn. */
static void tiled(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, const uint64_t t[3],
                  double *cycles, double *fmas) {
  *cycles = 0;
  *fmas = 0;
  /* tile classes along each dimension: full and remainder */
  uint64_t dm[2] = {t[0], m % t[0]}, dk[2] = {t[1], k % t[1]}, dn[2] = {t[2], n % t[2]};
  uint64_t cm[2] = {m / t[0], 1}, ck[2] = {k / t[1], 1}, cn[2] = {n / t[2], 1};
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      for (int c = 0; c < 2; c++) {
        if (!dm[a] || !dk[b] || !dn[c]) continue;
        uint64_t tiles = cm[a] * cn[c], times = tiles * ck[b];
        if (!times) continue;
        /* the first k tile of each output tile starts from zero, the rest accumulate */
        uint64_t first = (b == 0 || ck[0] == 0) ? tiles : 0;
        for (int acc = 0; acc < 2; acc++) {
          uint64_t cnt = acc ? times - first : first;
          if (!cnt) continue;
          tsr_counts cs;
          memset(&cs, 0, sizeof cs);
          tsr_cost_gemm(d, dm[a], dk[b], dn[c], acc, &cs);
          *cycles += (double)cnt * (double)(cs.c[TSR_CNT_CYCLES] + TSR_INSN_OVERHEAD);
          *fmas += (double)cnt * (double)cs.c[TSR_CNT_FMA_OPS];
        }
      }
}

const char *const tsr_util_help =
    "usage: tessera util CONFIG [WEIGHT_PORT_BITS ACT_PORT_BITS]\n"
    "\n"
    "The FMA array's utilization (FMA operations / (cycles x units)) from the die cost\n"
    "model, per dataflow, for GEMMs of 64^3 to 1024^3 and the Llama2-70B layer shapes,\n"
    "tiled to fit half of each buffer. The port widths, if given (32..1024, a power of\n"
    "two, as die.*_buffer.port_bits), replace the configuration's.\n";

/* A port width as the configuration takes it: 0, or -1. */
static int port_bits(const char *s, uint32_t *v) {
  char *end;
  unsigned long b = strtoul(s, &end, 10);
  if (*s < '0' || *s > '9' || *end || b < 32 || b > 1024 || (b & (b - 1))) return -1;
  *v = (uint32_t)b;
  return 0;
}

int tsr_cmd_util(int argc, char **argv) {
  if (argc != 3 && argc != 5) {
    fprintf(stderr, "%s", tsr_util_help);
    return 2;
  }
  argc--, argv++; /* CONFIG at argv[1] */
  tsr_config *cfg = tsr_cli_load_config(argv[1]);
  if (!cfg) return 2;
  tsr_die_cfg d = cfg->die;
  free(cfg);
  if (argc == 4 && (port_bits(argv[2], &d.weight_buffer.port_bits) ||
                    port_bits(argv[3], &d.act_buffer.port_bits))) {
    fprintf(stderr, "tessera util: port widths '%s' and '%s': expected 32..1024, a power of two\n",
            argv[2], argv[3]);
    return 2;
  }
  uint64_t units = tsr_die_units(&d);
  uint64_t aw = tsr_buffer_words(&d.act_buffer) / 2, ww = tsr_buffer_words(&d.weight_buffer) / 2;
  /* the tile: TK, TN up to 1024 with TK x TN <= half the weight buffer (TN
   * shrinks first, down to the array's columns: a longer k loop amortizes a
   * tile's fill and drain), then the largest power-of-two TM with
   * TM x (TK + TN) <= half the act buffer */
  uint64_t tn = 1024, tk = 1024, cols = (uint64_t)d.lanes * d.vector;
  while (tk * tn > ww && tn / 2 >= cols && tn > 16) tn /= 2;
  while (tk * tn > ww && tk > 16) tk /= 2;
  while (tk * tn > ww && tn > 16) tn /= 2;
  uint64_t tm = 1;
  while (2 * tm * (tk + tn) <= aw && 2 * tm <= 4096) tm *= 2;
  static const struct {
    const char *name;
    uint64_t m, k, n;
  } g[] = {
      {"64^3", 64, 64, 64},
      {"256^3", 256, 256, 256},
      {"1024^3", 1024, 1024, 1024},
      {"m=256 k=512 n=1024", 256, 512, 1024},
      /* Llama2-70B, one layer's GEMMs over T = 128 x 512 tokens (h = 8192, ffn 4h
       * as models/workload.c has it) */
      {"llama2-70b QKV  65536x8192x24576", 65536, 8192, 24576},
      {"llama2-70b proj 65536x8192x8192", 65536, 8192, 8192},
      {"llama2-70b FFN1 65536x8192x32768", 65536, 8192, 32768},
      {"llama2-70b FFN2 65536x32768x8192", 65536, 32768, 8192},
  };
  printf("%s: %u PEs x %u lanes x %u vector = %llu FMA units, fma_stages %u\n", argv[1],
         d.pe_count, d.lanes, d.vector, (unsigned long long)units, d.fma_stages);
  printf("weight buffer %u banks x %u bits (%u words/cycle), act buffer %u banks x %u bits (%u "
         "words/cycle)\n",
         d.weight_buffer.banks, d.weight_buffer.port_bits, tsr_buf_lanes(&d.weight_buffer),
         d.act_buffer.banks, d.act_buffer.port_bits, tsr_buf_lanes(&d.act_buffer));
  d.dataflow = TSR_DF_OS;
  printf("os stream: %u accumulators per unit (period), X blocks of %u k; instruction tile "
         "%llu x %llu x %llu\n",
         tsr_os_slots(&d), tsr_os_kb(&d), (unsigned long long)tm, (unsigned long long)tk,
         (unsigned long long)tn);
  printf("\n| GEMM (m x k x n) | ws cycles | ws utilization | os cycles | os utilization |\n");
  printf("|---|---|---|---|---|\n");
  uint64_t t[3] = {tm, tk, tn};
  for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
    double cyc[2], fma[2];
    for (int df = 0; df < 2; df++) {
      d.dataflow = df ? TSR_DF_OS : TSR_DF_WS;
      tiled(&d, g[i].m, g[i].k, g[i].n, t, &cyc[df], &fma[df]);
    }
    printf("| %s | %.4g | %.2f %% | %.4g | %.2f %% |\n", g[i].name, cyc[0],
           100.0 * fma[0] / (cyc[0] * (double)units), cyc[1],
           100.0 * fma[1] / (cyc[1] * (double)units));
  }
  return 0;
}
