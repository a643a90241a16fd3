/* textfile.h - reading the files tessera takes as input (configurations,
 * model descriptions, programs, hex files) with the same errors everywhere:
 * a directory or an unreadable file is named as such, a NUL byte in a text
 * file is an error at its line and column (not the end of the file), and a
 * duplicate JSON key is named by its key path. */
#ifndef TESSERA_TEXTFILE_H
#define TESSERA_TEXTFILE_H

#include <stddef.h>

#include "config.h"

/* The whole file, NUL-terminated (the terminator not counted in *len) and
 * malloc'd: 0, or -1 with err "PATH: why". */
int tsr_read_file(const char *path, char **buf, size_t *len, char err[TSR_ERR_LEN]);
/* tsr_read_file, then no NUL byte in the text: 0, or -1 with err
 * "PATH: line L, column C: a NUL byte, expected text". */
int tsr_read_textfile(const char *path, char **buf, size_t *len, char err[TSR_ERR_LEN]);
/* The key path of the first key repeated in an object of the JSON text
 * ("mesh.rows", "die_overrides[1].die"): 0 with path filled, or -1 when the
 * text holds none (or is not JSON this simple scanner follows). */
int tsr_json_dup_path(const char *text, size_t len, char *path, size_t n);

#endif
