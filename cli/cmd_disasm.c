/* cmd_disasm.c - `tessera disasm`: hex back to assembler text (arch/isa.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isa.h"

const char *const tsr_disasm_help =
    "usage: tessera disasm PROGRAM.hex\n"
    "\n"
    "Print PROGRAM.hex (the format `tessera asm` writes) as assembler text, one instruction\n"
    "per line; the output assembles back to the same words.\n";

int tsr_cmd_disasm(int argc, char **argv) {
  const char *in, *out;
  if (tsr_cli_parse_in_out(argc, argv, tsr_disasm_help, &in, &out, 0)) return 2;
  char *text = tsr_cli_read_file(in);
  char err[TSR_ISA_ERR_LEN];
  if (!text) return 2;
  uint32_t *words;
  size_t n;
  int rc = tsr_hex_read(text, in, &words, &n, err);
  free(text);
  if (rc) {
    tsr_cli_error(err);
    return 2;
  }
  if (n % TSR_INSN_WORDS) {
    fprintf(stderr, "%s: %zu words is not a whole number of 4-word instructions\n", in, n);
    free(words);
    return 2;
  }
  int status = 0;
  if (n == 0) fprintf(stderr, "tessera: warning: %s: the program is empty (no instructions)\n", in);
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
