/* fuzz_config.c - libFuzzer target: the configuration loader and the
 * resolved-JSON writer must never crash, leak or trip a sanitizer, and a
 * config that loads must load again identically from its resolved JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static tsr_config cfg, again; /* large: kept off the stack */
  char err[TSR_ERR_LEN];
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  if (tsr_config_load_string(text, "fuzz", &cfg, err) == 0) {
    char *a = tsr_config_to_json(&cfg), *e = tsr_energy_to_json(&cfg);
    if (a && tsr_config_load_string(a, "resolved", &again, err) != 0) abort();
    char *b = a ? tsr_config_to_json(&again) : NULL;
    if (a && (!b || strcmp(a, b) != 0)) abort();
    free(a);
    free(b);
    free(e);
  }
  free(text);
  return 0;
}
