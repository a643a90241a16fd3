/* textfile.c - see textfile.h. */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tsr_read_file(const char *path, char **buf, size_t *len, char err[TSR_ERR_LEN]) {
  *buf = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, TSR_ERR_LEN, "%.300s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    snprintf(err, TSR_ERR_LEN, "%.300s: is a directory, expected a file", path);
    close(fd);
    return -1;
  }
  size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
  char *b = malloc(cap);
  for (;;) {
    if (!b) {
      snprintf(err, TSR_ERR_LEN, "%.300s: out of memory", path);
      close(fd);
      return -1;
    }
    if (n + 1 >= cap) {
      char *nb = realloc(b, cap * 2);
      if (!nb) free(b);
      b = nb, cap *= 2;
      continue;
    }
    ssize_t r = read(fd, b + n, cap - n - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      snprintf(err, TSR_ERR_LEN, "%.300s: cannot read: %s", path, strerror(errno));
      free(b);
      close(fd);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  b[n] = '\0';
  *buf = b;
  *len = n;
  return 0;
}

int tsr_read_textfile(const char *path, char **buf, size_t *len, char err[TSR_ERR_LEN]) {
  if (tsr_read_file(path, buf, len, err)) return -1;
  const char *z = memchr(*buf, '\0', *len);
  if (!z) return 0;
  int line = 1, col = 1;
  for (const char *p = *buf; p < z; p++) {
    if (*p == '\n') line++, col = 1;
    else col++;
  }
  snprintf(err, TSR_ERR_LEN, "%.300s: line %d, column %d: a NUL byte, expected text", path, line,
           col);
  free(*buf);
  *buf = NULL;
  *len = 0;
  return -1;
}

/* ---- duplicate keys --------------------------------------------------------------- */

typedef struct {
  const char *s, *end;
  char *path;
  size_t n;
  int found;
} scan;

static void ws(scan *c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r')) c->s++;
}

/* A string at c->s ('"' first): its raw contents [*a, *b). */
static int str(scan *c, const char **a, const char **b) {
  if (c->s >= c->end || *c->s != '"') return -1;
  *a = ++c->s;
  while (c->s < c->end && *c->s != '"') c->s += *c->s == '\\' ? 2 : 1;
  if (c->s >= c->end) return -1;
  *b = c->s++;
  return 0;
}

static int value(scan *c, size_t plen, int depth);

static int object(scan *c, size_t plen, int depth) {
  const char **keys = NULL;
  size_t nk = 0, cap = 0;
  int rc = -1;
  c->s++;
  ws(c);
  if (c->s < c->end && *c->s == '}') {
    c->s++;
    return 0;
  }
  for (;;) {
    const char *a, *b;
    ws(c);
    if (str(c, &a, &b)) break;
    size_t kl = (size_t)(b - a);
    snprintf(c->path + plen, c->n - plen, "%s%.*s", plen ? "." : "", (int)(kl > 60 ? 60 : kl), a);
    size_t nl = strlen(c->path);
    for (size_t i = 0; i < nk; i++)
      if ((size_t)(keys[2 * i + 1] - keys[2 * i]) == kl && !memcmp(keys[2 * i], a, kl)) {
        c->found = 1;
        free(keys);
        return -1;
      }
    if (nk == cap) {
      cap = cap ? 2 * cap : 16;
      const char **nkeys = realloc(keys, 2 * cap * sizeof *nkeys);
      if (!nkeys) break;
      keys = nkeys;
    }
    keys[2 * nk] = a, keys[2 * nk + 1] = b, nk++;
    ws(c);
    if (c->s >= c->end || *c->s != ':') break;
    c->s++;
    if (value(c, nl, depth + 1)) break;
    ws(c);
    if (c->s < c->end && *c->s == ',') {
      c->s++;
      continue;
    }
    if (c->s < c->end && *c->s == '}') {
      c->s++;
      rc = 0;
    }
    break;
  }
  free(keys);
  return rc;
}

static int array(scan *c, size_t plen, int depth) {
  c->s++;
  ws(c);
  if (c->s < c->end && *c->s == ']') {
    c->s++;
    return 0;
  }
  for (unsigned i = 0;; i++) {
    snprintf(c->path + plen, c->n - plen, "[%u]", i);
    if (value(c, strlen(c->path), depth + 1)) return -1;
    ws(c);
    if (c->s < c->end && *c->s == ',') {
      c->s++;
      continue;
    }
    if (c->s < c->end && *c->s == ']') {
      c->s++;
      return 0;
    }
    return -1;
  }
}

static int value(scan *c, size_t plen, int depth) {
  if (depth > 2048 || plen + 80 >= c->n) return -1;
  ws(c);
  if (c->s >= c->end) return -1;
  if (*c->s == '{') return object(c, plen, depth);
  if (*c->s == '[') return array(c, plen, depth);
  if (*c->s == '"') {
    const char *a, *b;
    return str(c, &a, &b);
  }
  const char *start = c->s;
  while (c->s < c->end && !strchr(",]} \t\r\n", *c->s)) c->s++;
  return c->s > start ? 0 : -1;
}

int tsr_json_dup_path(const char *text, size_t len, char *path, size_t n) {
  if (n < 128) return -1;
  scan c = {text, text + len, path, n, 0};
  path[0] = '\0';
  value(&c, 0, 0);
  return c.found ? 0 : -1;
}
