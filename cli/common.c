/* common.c - what the subcommands share (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isa.h"

char *tsr_cli_read_file(const char *path) {
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

int tsr_cli_parse_in_out(int argc, char **argv, const char *help, const char **in,
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

tsr_config *tsr_cli_load_config(const char *path) {
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

int tsr_cli_assemble_file(const char *path, uint32_t **words, size_t *n) {
  char *text = tsr_cli_read_file(path);
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
