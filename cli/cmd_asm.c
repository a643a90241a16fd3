/* cmd_asm.c - `tessera asm`: a program to the hex the host port loads (arch/isa.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isa.h"
#include "outdir.h"

const char *const tsr_asm_help =
    "usage: tessera asm PROGRAM.s -o OUT.hex\n"
    "\n"
    "Assemble PROGRAM.s (syntax in docs/isa.md) into OUT.hex: one 32-bit word per line,\n"
    "8 hex digits, instruction i at lines 4i..4i+3 (word 0 = bits 31:0), the order the host\n"
    "port loads the instruction memory.\n"
    "  -o, --output FILE      output file (required): written beside FILE and renamed over it\n"
    "                         once complete, so a failed run leaves FILE as it was; a\n"
    "                         directory, symbolic link or special file is refused (exit 2)\n";

int tsr_cmd_asm(int argc, char **argv) {
  const char *in, *out;
  if (tsr_cli_parse_in_out(argc, argv, tsr_asm_help, &in, &out, 1)) return 2;
  uint32_t *words;
  size_t n;
  if (tsr_cli_assemble_file(in, &words, &n)) return 2;
  char *hex = tsr_hex_write(words, n * TSR_INSN_WORDS);
  free(words);
  if (!hex) {
    fprintf(stderr, "tessera asm: out of memory\n");
    return 1;
  }
  char err[TSR_ERR_LEN];
  int rc = tsr_write_file_atomic(out, hex, strlen(hex), err);
  free(hex);
  if (rc) {
    fprintf(stderr, "tessera asm: %s\n", err);
    return rc == TSR_OUT_BAD ? 2 : 1;
  }
  return 0;
}
