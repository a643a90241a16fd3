/* writer.h - the one text writer every emitter uses: a growing buffer with
 * an indentation level, so all generated files share one layout. */
#ifndef TESSERA_WRITER_H
#define TESSERA_WRITER_H

#include <stddef.h>

typedef struct {
  char *buf;
  size_t len, cap;
  int indent;   /* current level; 2 spaces each */
  int failed;   /* an allocation failed; the text is incomplete */
} tsr_writer;

void tsr_w_init(tsr_writer *w);
void tsr_w_free(tsr_writer *w);
/* One line at the current indentation, printf-style; a newline is added. */
void tsr_w_line(tsr_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raw text, no indentation, no newline added. */
void tsr_w_raw(tsr_writer *w, const char *text);
void tsr_w_blank(tsr_writer *w);
static inline void tsr_w_in(tsr_writer *w) { w->indent++; }
static inline void tsr_w_out(tsr_writer *w) { w->indent--; }

#endif
