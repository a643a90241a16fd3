/* fuzz_asm.c - libFuzzer target: assembler, disassembler, hex reader and
 * decoder. Whatever assembles must disassemble to text that assembles to the
 * same words; whatever decodes must encode back to the same words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "isa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[TSR_ISA_ERR_LEN];
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  uint32_t *words = NULL;
  size_t n = 0;
  if (tsr_assemble(text, "fuzz", &words, &n, err) == 0) {
    for (size_t i = 0; i < n; i++) {
      tsr_insn in;
      char line[256];
      uint32_t *again = NULL;
      size_t m = 0;
      if (tsr_decode(words + 4 * i, &in, err)) abort();
      tsr_disasm_insn(&in, line, sizeof line);
      if (tsr_assemble(line, "disasm", &again, &m, err) || m != 1 ||
          memcmp(again, words + 4 * i, 16))
        abort();
      free(again);
    }
    tsr_program_check(words, n, 4096, 4096, err);
    free(words);
  }
  uint32_t *hex = NULL;
  if (tsr_hex_read(text, "fuzz", &hex, &n, err) == 0) free(hex);
  if (size >= 16) {
    uint32_t raw[4], back[4];
    tsr_insn in;
    memcpy(raw, data, 16);
    if (tsr_decode(raw, &in, err) == 0) {
      if (tsr_encode(&in, back, err) || memcmp(raw, back, 16)) abort();
    }
  }
  free(text);
  return 0;
}
