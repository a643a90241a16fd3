/* main.c - the `tessera` command line. Exit status: 0 success, 2 bad input
 * (configuration, program, command line), 1 any other failure. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const main_help =
    "tessera " TESSERA_VERSION " - SystemVerilog generator and models for chiplet AI training systems\n"
    "\n"
    "usage: tessera COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  gen CONFIG -o DIR       generate the RTL and metadata of a configuration\n"
    "  asm PROGRAM.s -o OUT.hex  assemble a die program (docs/isa.md)\n"
    "  disasm PROGRAM.hex      print a program as assembler text\n"
    "  model CONFIG PROGRAM.s  cost model: predicted cycles, counts and energy per instruction\n"
    "  estimate CONFIG --model M --method X  system-scale model of a transformer layer\n"
    "  sweep CONFIG --model M -o DIR         design-space sweep with its Pareto front\n"
    "  reproduce CONFIG DOC DATA PLOTS REL   the Hecaton reproduction page and its plots\n"
    "  util CONFIG [WBITS ABITS]             the FMA array's utilization from the die cost model\n"
    "  vecfn [--exhaustive]                  the vector unit functions' error against float64\n"
    "\n"
    "options:\n"
    "  -h, --help              this text; `tessera COMMAND --help` for one command\n"
    "  --version               print the version\n"
    "\n"
    "Exit status: 0 success, 2 bad input (configuration, program, command line), 1 other errors.\n"
    "Documentation: docs/ (config.md, isa.md, microarchitecture.md, cost-model.md,\n"
    "system-model.md).\n";

static int wants_help(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(main_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("tessera %s\n", TESSERA_VERSION);
    return 0;
  }
  const struct {
    const char *name, *help;
    int (*run)(int, char **);
  } cmds[] = {{"gen", tsr_gen_help, tsr_cmd_gen},
              {"asm", tsr_asm_help, tsr_cmd_asm},
              {"disasm", tsr_disasm_help, tsr_cmd_disasm},
              {"model", tsr_model_help, tsr_cmd_model},
              {"estimate", tsr_estimate_help, tsr_cmd_estimate},
              {"sweep", tsr_sweep_help, tsr_cmd_sweep},
              {"reproduce", tsr_reproduce_help, tsr_cmd_reproduce},
              {"util", tsr_util_help, tsr_cmd_util},
              {"vecfn", tsr_vecfn_help, tsr_cmd_vecfn}};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    if (strcmp(argv[1], cmds[i].name)) continue;
    if (wants_help(argc, argv)) {
      fputs(cmds[i].help, stdout);
      return 0;
    }
    return cmds[i].run(argc, argv);
  }
  fprintf(stderr,
          "tessera: unknown command '%s'; expected gen, asm, disasm, model, estimate, sweep, reproduce, util or vecfn\n\n%s",
          argv[1], main_help);
  return 2;
}
