/* main.c - the `tessera` command line. Exit status: 0 success, 2 bad input
 * (configuration, program, command line), 1 any other failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_sys.h"
#include "config.h"
#include "cost.h"
#include "gen.h"
#include "isa.h"

#define TESSERA_VERSION "0.1.0"

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
    "\n"
    "options:\n"
    "  -h, --help              this text; `tessera COMMAND --help` for one command\n"
    "  --version               print the version\n"
    "\n"
    "Exit status: 0 success, 2 bad input (configuration, program, command line), 1 other errors.\n"
    "Documentation: docs/ (config.md, isa.md, microarchitecture.md, cost-model.md,\n"
    "system-model.md).\n";

static const char *const gen_help =
    "usage: tessera gen CONFIG -o DIR\n"
    "\n"
    "Validate the JSON configuration CONFIG (docs/config.md) and write into DIR:\n"
    "  *.sv                   the RTL, one module per file (top: tessera_die)\n"
    "  files.f                the RTL files in dependency order, top module last\n"
    "  mesh.f, noc.f          the same for the mesh top and the network alone\n"
    "  tessera_tb_die.sv, tessera_tb_mesh.sv, icarus_die.f, icarus_mesh.f\n"
    "                         Icarus Verilog testbench tops and their file lists\n"
    "                         (simulation only; docs/simulators.md)\n"
    "  tessera.core           a FuseSoC (CAPI2) core file for FuseSoC/Edalize flows\n"
    "  config.resolved.json   every configuration key with its value after defaults\n"
    "  energy.json            energy per counted event, pJ\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       output directory (required). Written through a temporary\n"
    "                         directory and renamed into place: on any error nothing is\n"
    "                         left behind; an existing tessera output directory is replaced.\n"
    "  -h, --help             this text\n"
    "\n"
    "Output is deterministic: the same configuration gives byte-identical files.\n";

static const char *const asm_help =
    "usage: tessera asm PROGRAM.s -o OUT.hex\n"
    "\n"
    "Assemble PROGRAM.s (syntax in docs/isa.md) into OUT.hex: one 32-bit word per line,\n"
    "8 hex digits, instruction i at lines 4i..4i+3 (word 0 = bits 31:0), the order the host\n"
    "port loads the instruction memory.\n"
    "  -o, --output FILE      output file (required)\n";

static const char *const disasm_help =
    "usage: tessera disasm PROGRAM.hex\n"
    "\n"
    "Print PROGRAM.hex (the format `tessera asm` writes) as assembler text, one instruction\n"
    "per line; the output assembles back to the same words.\n";

static const char *const model_help =
    "usage: tessera model CONFIG PROGRAM.s\n"
    "\n"
    "Run the cost model of the configuration's base die on PROGRAM.s: for each instruction\n"
    "the predicted start and retire cycle, FMA operations and buffer traffic, then the\n"
    "counter totals and the energy from the configuration's energy table.\n";

static int wants_help(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) != 0) {
    fclose(f);
    return NULL;
  }
  long n = ftell(f);
  rewind(f);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  return buf;
}

/* Parse "CMD INPUT -o OUT" (in any order); returns 0 or prints usage. */
static int parse_in_out(int argc, char **argv, const char *help, const char **in,
                        const char **out, int need_out) {
  *in = NULL;
  *out = NULL;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "tessera %s: %s needs a value\n\n%s", argv[1], argv[i], help);
        return -1;
      }
      *out = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "tessera %s: unknown option %s\n\n%s", argv[1], argv[i], help);
      return -1;
    } else if (!*in) {
      *in = argv[i];
    } else {
      fprintf(stderr, "tessera %s: unexpected argument %s\n\n%s", argv[1], argv[i], help);
      return -1;
    }
  }
  if (!*in || (need_out && !*out)) {
    fprintf(stderr, "tessera %s: missing %s\n\n%s", argv[1], !*in ? "input file" : "-o OUTPUT",
            help);
    return -1;
  }
  return 0;
}

static tsr_config *load_config(const char *path) {
  tsr_config *cfg = malloc(sizeof *cfg);
  char err[TSR_ERR_LEN];
  if (!cfg) {
    fprintf(stderr, "tessera: out of memory\n");
    return NULL;
  }
  if (tsr_config_load(path, cfg, err)) {
    fprintf(stderr, "%s\n", err);
    free(cfg);
    return NULL;
  }
  return cfg;
}

static int cmd_gen(int argc, char **argv) {
  const char *in, *out;
  if (parse_in_out(argc, argv, gen_help, &in, &out, 1)) return 2;
  tsr_config *cfg = load_config(in);
  if (!cfg) return 2;
  char err[TSR_ERR_LEN];
  int rc = tsr_generate(cfg, out, err);
  free(cfg);
  if (rc) {
    fprintf(stderr, "tessera gen: %s\n", err);
    return 1;
  }
  return 0;
}

static int assemble_file(const char *path, uint32_t **words, size_t *n) {
  char *text = read_file(path);
  char err[TSR_ISA_ERR_LEN];
  if (!text) {
    fprintf(stderr, "%s: cannot read\n", path);
    return -1;
  }
  int rc = tsr_assemble(text, path, words, n, err);
  free(text);
  if (rc) fprintf(stderr, "%s\n", err);
  return rc;
}

static int cmd_asm(int argc, char **argv) {
  const char *in, *out;
  if (parse_in_out(argc, argv, asm_help, &in, &out, 1)) return 2;
  uint32_t *words;
  size_t n;
  if (assemble_file(in, &words, &n)) return 2;
  char *hex = tsr_hex_write(words, n * TSR_INSN_WORDS);
  free(words);
  FILE *f = hex ? fopen(out, "w") : NULL;
  int ok = f && fputs(hex, f) >= 0;
  if (f && fclose(f) != 0) ok = 0;
  free(hex);
  if (!ok) {
    fprintf(stderr, "%s: cannot write\n", out);
    remove(out);
    return 1;
  }
  return 0;
}

static int cmd_disasm(int argc, char **argv) {
  const char *in, *out;
  if (parse_in_out(argc, argv, disasm_help, &in, &out, 0)) return 2;
  char *text = read_file(in);
  char err[TSR_ISA_ERR_LEN];
  if (!text) {
    fprintf(stderr, "%s: cannot read\n", in);
    return 2;
  }
  uint32_t *words;
  size_t n;
  int rc = tsr_hex_read(text, in, &words, &n, err);
  free(text);
  if (rc) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  if (n % TSR_INSN_WORDS) {
    fprintf(stderr, "%s: %zu words is not a whole number of 4-word instructions\n", in, n);
    free(words);
    return 2;
  }
  int status = 0;
  for (size_t i = 0; i < n / TSR_INSN_WORDS; i++) {
    tsr_insn insn;
    char line[200];
    if (tsr_decode(words + TSR_INSN_WORDS * i, &insn, err)) {
      fprintf(stderr, "%s: instruction %zu: %s\n", in, i, err);
      status = 2;
      break;
    }
    tsr_disasm_insn(&insn, line, sizeof line);
    printf("%s\n", line);
  }
  free(words);
  return status;
}

static int cmd_model(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "%s", model_help);
    return 2;
  }
  tsr_config *cfg = load_config(argv[2]);
  if (!cfg) return 2;
  uint32_t *words = NULL;
  size_t n = 0, retired = 0;
  char err[TSR_ISA_ERR_LEN];
  tsr_counts total;
  tsr_insn_cost *pred = NULL;
  int status = 2;
  if (assemble_file(argv[3], &words, &n)) goto done;
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
  } cmds[] = {{"gen", gen_help, cmd_gen},
              {"asm", asm_help, cmd_asm},
              {"disasm", disasm_help, cmd_disasm},
              {"model", model_help, cmd_model},
              {"estimate", tsr_estimate_help, tsr_cmd_estimate},
              {"sweep", tsr_sweep_help, tsr_cmd_sweep}};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    if (strcmp(argv[1], cmds[i].name)) continue;
    if (wants_help(argc, argv)) {
      fputs(cmds[i].help, stdout);
      return 0;
    }
    return cmds[i].run(argc, argv);
  }
  fprintf(stderr,
          "tessera: unknown command '%s'; expected gen, asm, disasm, model, estimate or sweep\n\n%s",
          argv[1], main_help);
  return 2;
}
