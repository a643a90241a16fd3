/* fuzz_disasm.c - libFuzzer target: `tessera disasm`'s path, the hex reader,
 * the decoder and the disassembler. Whatever hex reads must write back to hex
 * that reads to the same words; every instruction that decodes must
 * disassemble into text that assembles to the same four words; the text the
 * disassembler writes is always a NUL-terminated line of printable characters. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"

static void round_trip(const uint32_t *w) {
  char err[TSR_ISA_ERR_LEN], line[256];
  tsr_insn in;
  if (tsr_decode(w, &in, err)) return;
  memset(line, 0x55, sizeof line);
  tsr_disasm_insn(&in, line, sizeof line);
  if (!memchr(line, '\0', sizeof line)) abort();
  for (const char *p = line; *p; p++)
    if (!isprint((unsigned char)*p)) abort();
  uint32_t *again = NULL;
  size_t m = 0;
  if (tsr_assemble(line, "disasm", &again, &m, err) || m != 1 || memcmp(again, w, 16)) abort();
  free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[TSR_ISA_ERR_LEN];
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  uint32_t *words = NULL, *back = NULL;
  size_t n = 0, m = 0;
  if (tsr_hex_read(text, "fuzz", &words, &n, err) == 0) {
    char *hex = tsr_hex_write(words, n);
    if (!hex || tsr_hex_read(hex, "again", &back, &m, err) || m != n ||
        (n && memcmp(words, back, n * sizeof *words)))
      abort();
    for (size_t i = 0; i + TSR_INSN_WORDS <= n; i += TSR_INSN_WORDS) round_trip(words + i);
    free(hex);
    free(back);
    free(words);
  }
  /* the bytes themselves as instruction words */
  for (size_t i = 0; i + 16 <= size && i < 16 * 64; i += 16) {
    uint32_t raw[TSR_INSN_WORDS];
    memcpy(raw, data + i, 16);
    round_trip(raw);
  }
  free(text);
  return 0;
}
