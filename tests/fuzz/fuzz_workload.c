/* fuzz_workload.c - libFuzzer target: the model-description loader
 * (models/workload.c) must never crash, leak or trip a sanitizer; what it
 * accepts has a printable name of 1..64 characters, heads dividing hidden and
 * every size in its documented range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[TSR_WL_ERR_LEN];
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  tsr_workload w;
  if (tsr_workload_load_string(text, "fuzz", &w, err) == 0) {
    size_t n = strlen(w.name);
    if (n < 1 || n > 64) abort();
    for (size_t i = 0; i < n; i++)
      if ((unsigned char)w.name[i] < 0x20 || w.name[i] == 0x7f) abort();
    if (!w.hidden || !w.heads || w.hidden % w.heads || w.hidden > (1u << 20) || !w.ffn ||
        !w.layers || !w.batch || !w.seq)
      abort();
  } else if (!memchr(err, 0, sizeof err) || strncmp(err, "fuzz", 4) != 0) {
    abort(); /* every error names the input */
  }
  free(text);
  return 0;
}
