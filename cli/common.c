/* common.c - what the subcommands share (cli.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "isa.h"
#include "textfile.h"

char *tsr_cli_read_file(const char *path) {
  char *text, err[TSR_ERR_LEN];
  size_t len;
  if (tsr_read_textfile(path, &text, &len, err)) { /* a directory, a NUL byte */
    tsr_cli_error(err);
    return NULL;
  }
  return text;
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
    tsr_cli_error(err);
    free(cfg);
    return NULL;
  }
  return cfg;
}

int tsr_cli_assemble_file(const char *path, uint32_t **words, size_t *n) {
  char *text = tsr_cli_read_file(path);
  char err[TSR_ISA_ERR_LEN];
  if (!text) return -1;
  int rc = tsr_assemble(text, path, words, n, err);
  free(text);
  if (rc) tsr_cli_error(err);
  else if (*n == 0) {
    char safe[512];
    tsr_cli_terminal_text(safe, sizeof safe, path);
    fprintf(stderr, "tessera: warning: %s: the program is empty (no instructions)\n", safe);
  }
  return rc;
}

void tsr_cli_terminal_text(char *out, size_t n, const char *s) {
  size_t k = 0;
  for (; *s && k + 1 < n; s++) {
    unsigned char c = (unsigned char)*s;
    out[k++] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
  }
  if (n) out[k] = '\0';
}

void tsr_cli_error(const char *msg) {
  char safe[TSR_ERR_LEN * 2];
  tsr_cli_terminal_text(safe, sizeof safe, msg);
  fprintf(stderr, "%s\n", safe);
}

void tsr_cli_gp_text(char *out, size_t n, const char *s) {
  static const char ok[] = " .,:;()+-_/=%#";
  size_t k = 0;
  for (; *s && k + 1 < n; s++) {
    unsigned char c = (unsigned char)*s;
    out[k++] = (c < 0x80 && (isalnum(c) || strchr(ok, c))) ? (char)c : '_';
  }
  if (n) out[k] = '\0';
}

int tsr_cli_gp_quote(char *out, size_t n, const char *s) {
  size_t k = 0;
  if (n < 3) return -1;
  out[k++] = '\'';
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c == 0x7f || k + 4 >= n) return -1;
    if (c == '\'') out[k++] = '\'';
    out[k++] = (char)c;
  }
  out[k++] = '\'';
  out[k] = '\0';
  return 0;
}

int tsr_cli_run_gnuplot(const char *dir, const char *script) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (chdir(dir) != 0) _exit(127);
    execlp("gnuplot", "gnuplot", script, (char *)NULL);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}
