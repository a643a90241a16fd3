/* cmd_model.c - `tessera model`: the die cost model on a program (models/cost.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cost.h"
#include "golden.h"
#include "isa.h"

const char *const tsr_model_help =
    "usage: tessera model CONFIG PROGRAM.s\n"
    "\n"
    "Run the cost model of the configuration's base die on PROGRAM.s: for each instruction\n"
    "the predicted start and retire cycle, FMA operations and buffer traffic, then the\n"
    "counter totals and the energy from the configuration's energy table.\n";

int tsr_cmd_model(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "%s", tsr_model_help);
    return 2;
  }
  tsr_config *cfg = tsr_cli_load_config(argv[2]);
  if (!cfg) return 2;
  uint32_t *words = NULL;
  size_t n = 0, retired = 0;
  char err[TSR_ISA_ERR_LEN];
  tsr_counts total;
  tsr_insn_cost *pred = NULL;
  int status = 2;
  if (tsr_cli_assemble_file(argv[3], &words, &n)) goto done;
  if (tsr_die_program_check(&cfg->die, words, n, err)) { /* what the harness refuses */
    fprintf(stderr, "%s: %s\n", argv[3], err);
    goto done;
  }
  pred = calloc(n ? n : 1, sizeof *pred);
  if (!pred || tsr_cost_program(&cfg->die, words, n, pred, &retired, &total, err)) {
    fprintf(stderr, "%s: %s\n", argv[3], pred ? err : "out of memory");
    goto done;
  }
  printf("%-4s %-58s %10s %10s %10s %12s\n", "pc", "instruction", "start", "retire", "fma_ops",
         "sram_bits");
  for (size_t i = 0; i < retired; i++) {
    char line[200];
    const uint64_t *c = pred[i].counts.c;
    tsr_disasm_insn(&pred[i].insn, line, sizeof line);
    printf("%-4zu %-58s %10llu %10llu %10llu %12llu\n", i, line,
           (unsigned long long)pred[i].start, (unsigned long long)pred[i].retire,
           (unsigned long long)c[TSR_CNT_FMA_OPS],
           (unsigned long long)(c[TSR_CNT_WBUF_READ_BITS] + c[TSR_CNT_ABUF_READ_BITS] +
                                c[TSR_CNT_ABUF_WRITE_BITS] + c[TSR_CNT_WBUF_WRITE_BITS]));
  }
  printf("\n");
  for (int k = 0; k < TSR_N_COUNTERS; k++)
    printf("%-20s %14llu\n", tsr_counter_names[k], (unsigned long long)total.c[k]);
  printf("energy_pj            %14.1f\n", tsr_energy_pj(&total, &cfg->technology.energy_pj));
  status = 0;
done:
  free(pred);
  free(words);
  free(cfg);
  return status;
}
