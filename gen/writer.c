/* writer.c - see writer.h. */
#include "writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsr_w_init(tsr_writer *w) { memset(w, 0, sizeof *w); }

void tsr_w_free(tsr_writer *w) {
  free(w->buf);
  memset(w, 0, sizeof *w);
}

static void reserve(tsr_writer *w, size_t extra) {
  if (w->failed || w->len + extra + 1 <= w->cap) return;
  size_t cap = w->cap ? w->cap : 4096;
  while (cap < w->len + extra + 1) cap *= 2;
  char *p = realloc(w->buf, cap);
  if (!p) {
    w->failed = 1;
    return;
  }
  w->buf = p;
  w->cap = cap;
}

static void append(tsr_writer *w, const char *s, size_t n) {
  reserve(w, n);
  if (w->failed) return;
  memcpy(w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = '\0';
}

void tsr_w_raw(tsr_writer *w, const char *text) { append(w, text, strlen(text)); }

void tsr_w_blank(tsr_writer *w) { append(w, "\n", 1); }

void tsr_w_line(tsr_writer *w, const char *fmt, ...) {
  for (int i = 0; i < w->indent; i++) append(w, "  ", 2);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    w->failed = 1;
    return;
  }
  reserve(w, (size_t)n + 1);
  if (w->failed) return;
  va_start(ap, fmt);
  vsnprintf(w->buf + w->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  w->len += (size_t)n;
  append(w, "\n", 1);
}
