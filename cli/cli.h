/* cli.h - the `tessera` command line: one file per subcommand (cmd_*.c), the
 * entry point in main.c, and what they share (common.c). Each subcommand
 * returns the exit status: 0 success, 2 bad input (configuration, program,
 * command line), 1 any other failure. */
#ifndef TESSERA_CLI_H
#define TESSERA_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Each subcommand: its --help text and its entry (argv[1] is its name). */
#define TSR_CLI_COMMAND(name)                  \
  extern const char *const tsr_##name##_help; \
  int tsr_cmd_##name(int argc, char **argv)
TSR_CLI_COMMAND(gen);
TSR_CLI_COMMAND(asm);
TSR_CLI_COMMAND(disasm);
TSR_CLI_COMMAND(model);
TSR_CLI_COMMAND(estimate);
TSR_CLI_COMMAND(sweep);
TSR_CLI_COMMAND(reproduce);
TSR_CLI_COMMAND(util);
TSR_CLI_COMMAND(vecfn);

/* A whole text file, NUL-terminated and malloc'd; NULL after printing why it
 * cannot be read (a directory, a NUL byte in it: arch/textfile.h). */
char *tsr_cli_read_file(const char *path);
/* Parse "CMD INPUT -o OUT" (in any order): 0, or -1 after printing usage. */
int tsr_cli_parse_in_out(int argc, char **argv, const char *help, const char **in,
                         const char **out, int need_out);
/* Load and validate a configuration; NULL after printing why. */
tsr_config *tsr_cli_load_config(const char *path);
/* Assemble a program file: 0, or -1 after printing why; warns when it holds
 * no instructions. */
int tsr_cli_assemble_file(const char *path, uint32_t **words, size_t *n);

/* s with every control character but newline and tab as '?': for names and
 * messages from data files echoed to a terminal. */
void tsr_cli_terminal_text(char *out, size_t n, const char *s);
/* An error message on stderr, through tsr_cli_terminal_text, and a newline. */
void tsr_cli_error(const char *msg);
/* Text for a gnuplot title: letters, digits, space and .,:;()+-_/=%# kept,
 * anything else '_', so no string can end the quotes it goes into. */
void tsr_cli_gp_text(char *out, size_t n, const char *s);
/* s as a gnuplot single-quoted string (quotes doubled): 0, or -1 when s holds
 * a control character or does not fit. */
int tsr_cli_gp_quote(char *out, size_t n, const char *s);
/* gnuplot SCRIPT run in DIR, without a shell: 0, or -1. */
int tsr_cli_run_gnuplot(const char *dir, const char *script);

#endif
