/* run_die.c - `tessera-sim`: runs die programs in lockstep with the models,
 * in whichever simulator the front end that calls tsr_die_main wraps (run.h).
 *
 *   tessera-sim --config DIR/config.resolved.json [--seed N] [--specials F]
 *               [--trace-file FILE] [--quiet] PROGRAM.s...
 *
 * Each program runs on a freshly reset die with new random operands; exit 0
 * when every program agreed with the models, 1 on any mismatch or simulation
 * failure, 2 on bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "run.h"

static int usage(FILE *f, int status) {
  fprintf(f,
          "usage: tessera-sim --config FILE [options] PROGRAM.s...\n"
          "  --config FILE   resolved configuration the RTL was generated from\n"
          "                  (DIR/config.resolved.json from `tessera gen`)\n"
          "  --seed N        seed of the operands and of the random start of flops\n"
          "                  without reset (default 1); program i uses N + i\n"
          "  --specials F    fraction of operands that are IEEE corner values (default 0.01)\n"
          "  --trace-file FILE\n"
          "                  write every retired instruction and every counter to FILE\n"
          "                  (format in docs/simulators.md; --trace FILE is the same)\n"
          "  --quiet         print only one verdict line per program\n");
  return status;
}

int tsr_die_main(int argc, char **argv, tsr_die_factory create) {
  const char *config = NULL, *trace = NULL;
  tsr_run_opts opts = {.seed = 1, .special_rate = 0.01};
  int first_prog = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(stdout, 0);
    if (!strcmp(argv[i], "--quiet")) {
      opts.quiet = 1;
    } else if (i + 1 < argc && !strcmp(argv[i], "--config")) {
      config = argv[++i];
    } else if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
      opts.seed = strtoull(argv[++i], NULL, 0);
    } else if (i + 1 < argc && !strcmp(argv[i], "--specials")) {
      opts.special_rate = strtod(argv[++i], NULL);
    } else if (i + 1 < argc && (!strcmp(argv[i], "--trace-file") || !strcmp(argv[i], "--trace"))) {
      trace = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "tessera-sim: unknown option %s\n", argv[i]);
      return usage(stderr, 2);
    } else {
      first_prog = i;
      break;
    }
  }
  if (!config || !first_prog) return usage(stderr, 2);
  if (opts.special_rate < 0 || opts.special_rate > 1) {
    fprintf(stderr, "tessera-sim: --specials must be within 0..1\n");
    return 2;
  }
  tsr_config *cfg = malloc(sizeof *cfg);
  char err[TSR_ERR_LEN];
  if (!cfg || tsr_config_load(config, cfg, err)) {
    fprintf(stderr, "%s\n", cfg ? err : "out of memory");
    free(cfg);
    return 2;
  }
  if (trace && !(opts.trace_out = fopen(trace, "w"))) {
    fprintf(stderr, "%s: cannot write the trace\n", trace);
    free(cfg);
    return 2;
  }
  int worst = 0;
  uint64_t seed0 = opts.seed;
  for (int i = first_prog; i < argc; i++) {
    opts.program_path = argv[i];
    opts.seed = seed0 + (uint64_t)(i - first_prog);
    tsr_sim *sim = create(opts.seed);
    tsr_run_result res;
    memset(&res, 0, sizeof res);
    int rc = 1;
    if (sim) {
      rc = tsr_run_program(cfg, sim, &opts, &res);
      sim->destroy(sim->ctx);
      free(sim);
    } else {
      fprintf(stderr, "%s: the simulator could not be started\n", argv[i]);
    }
    int ok = rc == 0 && !res.word_mismatches && !res.cycle_mismatches && !res.counter_mismatches;
    printf("%s %s: %s, %ld instructions, %llu cycles, %ld word / %ld cycle / %ld counter "
           "mismatches\n",
           ok ? "PASS" : "FAIL", argv[i], cfg->die.dataflow == TSR_DF_OS ? "os" : "ws",
           res.retired, (unsigned long long)res.rtl_cycles, res.word_mismatches,
           res.cycle_mismatches, res.counter_mismatches);
    if (rc == 2) worst = 2;
    else if (!ok && worst == 0) worst = 1;
  }
  if (opts.trace_out) fclose(opts.trace_out);
  free(cfg);
  return worst;
}
