/* outdir.c - see outdir.h and docs/output-dirs.md. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ----------------------------------------------------------------- */

static int fail(char err[TSR_ERR_LEN], int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, TSR_ERR_LEN, fmt, ap);
  va_end(ap);
  return code;
}

/* A name that stays inside its directory: not empty, no '/', not . or .. */
static int plain_name(const char *s) {
  return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") && strlen(s) < 256;
}

typedef struct {
  char **v;
  size_t n, cap;
} names;

static int names_add(names *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 32;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) return -1;
    l->v = v, l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(s))) return -1;
  l->n++;
  return 0;
}

static int names_has(const names *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->v[i], s)) return 1;
  return 0;
}

static void names_free(names *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* path without trailing slashes, split into its parent and last component.
 * Refuses "", "/", and a last component . or .. (the directory a command runs
 * in, or its parent, cannot be replaced by rename). */
static int split_path(const char *path, char *out, size_t out_len, char *parent,
                      size_t parent_len, const char **base, char err[TSR_ERR_LEN]) {
  if (!*path)
    return fail(err, TSR_OUT_BAD, "the output path is empty, expected a file or directory name");
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  if (n >= out_len || n >= parent_len)
    return fail(err, TSR_OUT_BAD, "%.200s...: the output path is too long", path);
  memcpy(out, path, n);
  out[n] = '\0';
  char *slash = strrchr(out, '/');
  *base = slash ? slash + 1 : out;
  if (!strcmp(out, "/") || !strcmp(*base, ".") || !strcmp(*base, ".."))
    return fail(err, TSR_OUT_BAD,
                "%.300s: names %s, which tessera does not replace; expected a directory of "
                "its own, such as %.300s/out",
                path,
                !strcmp(out, "/")             ? "the root directory"
                : !strcmp(*base, ".")         ? "the current directory"
                                              : "a parent directory",
                !strcmp(out, "/") ? "" : out);
  if (!slash) snprintf(parent, parent_len, ".");
  else if (slash == out) snprintf(parent, parent_len, "/");
  else snprintf(parent, parent_len, "%.*s", (int)(slash - out), out);
  return 0;
}

/* mkdir -p dir. */
static int make_dirs(const char *dir, char err[TSR_ERR_LEN]) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", dir);
  for (char *p = buf + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = '\0';
    struct stat st;
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return fail(err, TSR_OUT_IO, "%.300s: cannot create: %s", buf, strerror(errno));
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
      return fail(err, TSR_OUT_BAD, "%.300s: exists and is not a directory", buf);
    if (!c) break;
    *p = c;
  }
  return 0;
}

/* ---- what is at the output path ------------------------------------------------------ */

enum { AT_NEW, AT_EMPTY, AT_OURS };

/* Read DIR/TSR_MANIFEST into the names it lists (files and derived files).
 * 1 when there is none, 0 when read, TSR_OUT_BAD when it is not ours. */
static int read_manifest(const char *dir, const char *tool, names *listed,
                         char err[TSR_ERR_LEN]) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, TSR_MANIFEST);
  FILE *f = fopen(path, "r");
  if (!f) return 1;
  char line[600];
  int n = 0, rc = 0;
  while (!rc && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    n++;
    if (n == 1) {
      if (strcmp(line, TSR_MANIFEST_SIGNATURE))
        rc = fail(err, TSR_OUT_BAD,
                  "%.300s: %s does not start with tessera's signature; not replacing the "
                  "directory",
                  dir, TSR_MANIFEST);
    } else if (!strncmp(line, "tool: tessera ", 14)) {
      if (strcmp(line + 14, tool))
        rc = fail(err, TSR_OUT_BAD,
                  "%.300s: is the output of `tessera %.40s`, not of `tessera %s`; not replacing "
                  "it, expected an empty or new directory",
                  dir, line + 14, tool);
    } else if (!strncmp(line, "file: ", 6) || !strncmp(line, "derived: ", 9)) {
      const char *name = strchr(line, ' ') + 1;
      if (!plain_name(name))
        rc = fail(err, TSR_OUT_BAD, "%.300s: %s lists \"%.100s\", not a file name; not replacing "
                  "the directory", dir, TSR_MANIFEST, name);
      else if (names_add(listed, name))
        rc = fail(err, TSR_OUT_IO, "out of memory");
    }
  }
  fclose(f);
  if (!rc && n == 0)
    rc = fail(err, TSR_OUT_BAD, "%.300s: %s is empty; not replacing the directory", dir,
              TSR_MANIFEST);
  return rc;
}

/* The outputs of `tessera gen` from before manifests: every file one that gen
 * writes, and the four it always writes present. */
static int legacy_gen_name(const char *s) {
  static const char *const fixed[] = {"files.f",     "noc.f",        "mesh.f",
                                      "icarus_die.f", "icarus_mesh.f", "tessera.core",
                                      "config.resolved.json", "energy.json", "noc_ports.h"};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (!strcmp(s, fixed[i])) return 1;
  size_t n = strlen(s);
  return !strncmp(s, "tessera_", 8) && n > 11 && !strcmp(s + n - 3, ".sv");
}

/* The data directory of `tessera reproduce` from before manifests. */
static int legacy_reproduce_name(const char *s) {
  static const char *const fixed[] = {"weak.gp",        "weak.dat",         "strong-peak.dat",
                                      "strong-model.dat", "strong-peak.gp", "strong-model.gp"};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (!strcmp(s, fixed[i])) return 1;
  return 0;
}

/* What is at path: new, an empty directory, or a previous output of tool whose
 * files (all of them, the manifest included) go into listed. */
static int classify(const char *path, const char *tool, int *kind, names *listed,
                    char err[TSR_ERR_LEN]) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT) {
      *kind = AT_NEW;
      return 0;
    }
    return fail(err, errno == EACCES || errno == ENOTDIR ? TSR_OUT_BAD : TSR_OUT_IO,
                "%.300s: cannot look at it: %s", path, strerror(errno));
  }
  if (S_ISLNK(st.st_mode))
    return fail(err, TSR_OUT_BAD,
                "%.300s: is a symbolic link; tessera replaces its output directory whole and "
                "neither follows nor replaces a link, expected the directory itself",
                path);
  if (!S_ISDIR(st.st_mode))
    return fail(err, TSR_OUT_BAD, "%.300s: exists and is not a directory; not replacing it",
                path);
  /* The directory the command runs in, or one above it, cannot be swapped. */
  char real[4096], cwd[4096];
  if (realpath(path, real) && getcwd(cwd, sizeof cwd)) {
    size_t n = strlen(real);
    if (!strncmp(cwd, real, n) && (cwd[n] == '\0' || cwd[n] == '/' || n == 1))
      return fail(err, TSR_OUT_BAD,
                  "%.300s: is the current directory or holds it; tessera does not replace it, "
                  "expected a directory of its own",
                  path);
  }
  DIR *d = opendir(path);
  if (!d) return fail(err, TSR_OUT_BAD, "%.300s: cannot read the directory: %s", path, strerror(errno));
  names here = {0};
  int rc = 0;
  for (struct dirent *e; !rc && (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && names_add(&here, e->d_name))
      rc = fail(err, TSR_OUT_IO, "out of memory");
  closedir(d);
  if (rc) goto out;
  if (here.n == 0) {
    *kind = AT_EMPTY;
    goto out;
  }
  int r = read_manifest(path, tool, listed, err);
  if (r < 0) {
    rc = r;
    goto out;
  }
  int legacy = 0;
  if (r == 1) {
    legacy = !strcmp(tool, "gen") && names_has(&here, "files.f") &&
             names_has(&here, "tessera_die.sv") && names_has(&here, "config.resolved.json") &&
             names_has(&here, "energy.json");
    for (size_t i = 0; legacy && i < here.n; i++) legacy = legacy_gen_name(here.v[i]);
    if (!strcmp(tool, "reproduce")) {
      legacy = names_has(&here, "weak.dat");
      for (size_t i = 0; legacy && i < here.n; i++) legacy = legacy_reproduce_name(here.v[i]);
    }
    if (!legacy) {
      rc = fail(err, TSR_OUT_BAD,
                "%.300s: exists, is not empty and is not a tessera output directory (no %s); "
                "not touching it, expected an empty or new directory",
                path, TSR_MANIFEST);
      goto out;
    }
  }
  for (size_t i = 0; i < here.n; i++) {
    char p[4400];
    snprintf(p, sizeof p, "%s/%s", path, here.v[i]);
    int mine = legacy || !strcmp(here.v[i], TSR_MANIFEST) || names_has(listed, here.v[i]);
    if (!mine || lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
      rc = fail(err, TSR_OUT_BAD,
                "%.300s: holds \"%.100s\", which tessera did not write (%s); not replacing the "
                "directory: move it away or choose another output directory",
                path, here.v[i],
                mine ? "not a regular file" : "it is not in " TSR_MANIFEST);
      goto out;
    }
  }
  if (legacy)
    for (size_t i = 0; !rc && i < here.n; i++)
      if (names_add(listed, here.v[i])) rc = fail(err, TSR_OUT_IO, "out of memory");
  if (!rc && names_add(listed, TSR_MANIFEST)) rc = fail(err, TSR_OUT_IO, "out of memory");
  *kind = AT_OURS;
out:
  names_free(&here);
  return rc;
}

/* Delete dir's files that listed names (never anything else), then dir. */
static int remove_listed(const char *dir, const names *listed) {
  for (size_t i = 0; i < listed->n; i++) {
    char p[4400];
    snprintf(p, sizeof p, "%s/%s", dir, listed->v[i]);
    unlink(p);
  }
  return rmdir(dir);
}

int tsr_outdir_check(const char *path, const char *tool, char err[TSR_ERR_LEN]) {
  char out[4096], parent[4096];
  const char *base;
  int rc = split_path(path, out, sizeof out, parent, sizeof parent, &base, err);
  if (rc) return rc;
  int kind;
  names listed = {0};
  rc = classify(out, tool, &kind, &listed, err);
  names_free(&listed);
  return rc;
}

/* ---- writing an output directory ------------------------------------------------------- */

static void release(tsr_outdir *o) {
  for (size_t i = 0; i < o->n; i++) free(o->names[i]);
  for (size_t i = 0; i < o->n_derived; i++) free(o->derived[i]);
  free(o->names);
  free(o->derived);
  o->names = o->derived = NULL;
  o->n = o->cap = o->n_derived = o->cap_derived = 0;
  o->tmp[0] = '\0';
  if (o->lock_fd >= 0) close(o->lock_fd); /* releases the flock */
  o->lock_fd = -1;
  if (o->held) sigprocmask(SIG_SETMASK, &o->saved, NULL); /* a held signal arrives now */
  o->held = 0;
}

int tsr_outdir_begin(tsr_outdir *o, const char *path, const char *tool, char err[TSR_ERR_LEN]) {
  memset(o, 0, sizeof *o);
  o->lock_fd = -1;
  char parent[4096];
  const char *base;
  int rc = split_path(path, o->path, sizeof o->path, parent, sizeof parent, &base, err);
  if (rc) return rc;
  snprintf(o->tool, sizeof o->tool, "%s", tool);
  if ((rc = tsr_outdir_check(o->path, tool, err))) return rc; /* before creating parents */
  if ((rc = make_dirs(parent, err))) return rc;
  /* One run at a time per parent directory: a second waits, then replaces the
     first's complete output. */
  o->lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (o->lock_fd < 0 || flock(o->lock_fd, LOCK_EX) != 0) {
    rc = fail(err, TSR_OUT_IO, "%.300s: cannot lock the directory: %s", parent, strerror(errno));
    release(o);
    return rc;
  }
  if ((rc = tsr_outdir_check(o->path, tool, err))) {
    release(o);
    return rc;
  }
  sigset_t hold;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  sigaddset(&hold, SIGTERM);
  sigaddset(&hold, SIGHUP);
  sigaddset(&hold, SIGQUIT);
  o->held = sigprocmask(SIG_BLOCK, &hold, &o->saved) == 0;
  int n = snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tessera-tmp-XXXXXX", parent, base);
  if (n < 0 || (size_t)n >= sizeof o->tmp || !mkdtemp(o->tmp)) {
    rc = fail(err, TSR_OUT_IO, "%.300s: cannot create a temporary directory beside it: %s",
              o->path, strerror(errno));
    o->tmp[0] = '\0';
    release(o);
    return rc;
  }
  return 0;
}

static int add_name(char ***v, size_t *n, size_t *cap, const char *name) {
  if (*n == *cap) {
    size_t c = *cap ? 2 * *cap : 32;
    char **nv = realloc(*v, c * sizeof *nv);
    if (!nv) return -1;
    *v = nv, *cap = c;
  }
  if (!((*v)[*n] = strdup(name))) return -1;
  (*n)++;
  return 0;
}

static int listed_already(const tsr_outdir *o, const char *name) {
  for (size_t i = 0; i < o->n; i++)
    if (!strcmp(o->names[i], name)) return 1;
  for (size_t i = 0; i < o->n_derived; i++)
    if (!strcmp(o->derived[i], name)) return 1;
  return !strcmp(name, TSR_MANIFEST);
}

FILE *tsr_outdir_fopen(tsr_outdir *o, const char *name, char err[TSR_ERR_LEN]) {
  if (!o->tmp[0]) {
    fail(err, TSR_OUT_IO, "internal: %s written outside an output directory", name);
    return NULL;
  }
  int again = 0; /* a file written twice (the same template for two lists) */
  for (size_t i = 0; i < o->n; i++) again |= !strcmp(o->names[i], name);
  if (!plain_name(name) || (!again && listed_already(o, name))) {
    fail(err, TSR_OUT_IO, "internal: \"%.100s\" is not a plain file name of its own", name);
    return NULL;
  }
  if (!again && add_name(&o->names, &o->n, &o->cap, name)) {
    fail(err, TSR_OUT_IO, "out of memory");
    return NULL;
  }
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", o->tmp, name);
  FILE *f = fopen(path, again ? "wb" : "wbx");
  if (!f) fail(err, TSR_OUT_IO, "%.300s: cannot create: %s", path, strerror(errno));
  return f;
}

int tsr_outdir_write(tsr_outdir *o, const char *name, const void *data, size_t len,
                     char err[TSR_ERR_LEN]) {
  FILE *f = tsr_outdir_fopen(o, name, err);
  if (!f) return TSR_OUT_IO;
  size_t put = fwrite(data, 1, len, f);
  int closed = fclose(f);
  if (put != len || closed != 0)
    return fail(err, TSR_OUT_IO, "%.300s/%s: write failed: %s", o->tmp, name, strerror(errno));
  return 0;
}

int tsr_outdir_derived(tsr_outdir *o, const char *name, char err[TSR_ERR_LEN]) {
  if (!plain_name(name) || listed_already(o, name))
    return fail(err, TSR_OUT_IO, "internal: \"%.100s\" is not a new plain file name", name);
  if (add_name(&o->derived, &o->n_derived, &o->cap_derived, name))
    return fail(err, TSR_OUT_IO, "out of memory");
  return 0;
}

const char *tsr_outdir_tmp(const tsr_outdir *o) { return o->tmp; }

void tsr_outdir_abort(tsr_outdir *o) {
  if (o->tmp[0]) {
    names all = {0};
    for (size_t i = 0; i < o->n; i++) names_add(&all, o->names[i]);
    for (size_t i = 0; i < o->n_derived; i++) names_add(&all, o->derived[i]);
    names_add(&all, TSR_MANIFEST);
    remove_listed(o->tmp, &all);
    names_free(&all);
  }
  release(o);
}

int tsr_outdir_commit(tsr_outdir *o, char err[TSR_ERR_LEN]) {
  /* The manifest: the signature, the tool, every file. */
  size_t cap = 256;
  for (size_t i = 0; i < o->n; i++) cap += strlen(o->names[i]) + 8;
  for (size_t i = 0; i < o->n_derived; i++) cap += strlen(o->derived[i]) + 12;
  char *m = malloc(cap);
  if (!m) {
    tsr_outdir_abort(o);
    return fail(err, TSR_OUT_IO, "out of memory");
  }
  size_t len = (size_t)snprintf(m, cap,
                                "%s\n"
                                "# Every file below was written by tessera; the next run into "
                                "this directory deletes them (docs/output-dirs.md).\n"
                                "tool: tessera %s\nversion: %s\n",
                                TSR_MANIFEST_SIGNATURE, o->tool, TESSERA_VERSION);
  for (size_t i = 0; i < o->n; i++) len += (size_t)snprintf(m + len, cap - len, "file: %s\n", o->names[i]);
  for (size_t i = 0; i < o->n_derived; i++)
    len += (size_t)snprintf(m + len, cap - len, "derived: %s\n", o->derived[i]);
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", o->tmp, TSR_MANIFEST);
  FILE *f = fopen(path, "wbx");
  int ok = f && fwrite(m, 1, len, f) == len;
  if (f && fclose(f) != 0) ok = 0;
  free(m);
  mode_t mask = umask(0);
  umask(mask);
  if (!ok || chmod(o->tmp, 0777 & ~mask) != 0) {
    int rc = fail(err, TSR_OUT_IO, "%.300s: cannot write the manifest: %s", o->tmp,
                  strerror(errno));
    tsr_outdir_abort(o);
    return rc;
  }
  /* Still ours to replace? (Checked again under the lock: a person may have
     put a file there since.) */
  int kind, rc;
  names listed = {0};
  if ((rc = classify(o->path, o->tool, &kind, &listed, err))) {
    names_free(&listed);
    tsr_outdir_abort(o);
    return rc;
  }
  if (kind != AT_OURS) { /* rename replaces nothing or an empty directory */
    if (rename(o->tmp, o->path) != 0) {
      rc = fail(err, TSR_OUT_IO, "%.300s: cannot move the output into place: %s", o->path,
                strerror(errno));
      names_free(&listed);
      tsr_outdir_abort(o);
      return rc;
    }
    names_free(&listed);
    release(o);
    return 0;
  }
  /* Swap the new tree in whole, then delete the previous output's files. */
  char old[4200];
  int swapped = renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_EXCHANGE) == 0;
  if (swapped) {
    snprintf(old, sizeof old, "%s", o->tmp);
  } else {
    /* No atomic exchange on this file system: move the old output aside
       first (readers see no directory for a moment, never a partial one). */
    snprintf(old, sizeof old, "%s-old", o->tmp);
    if (rename(o->path, old) != 0 || rename(o->tmp, o->path) != 0) {
      rc = fail(err, TSR_OUT_IO, "%.300s: cannot move the output into place: %s", o->path,
                strerror(errno));
      if (access(o->path, F_OK) != 0) rename(old, o->path); /* put the old one back */
      names_free(&listed);
      tsr_outdir_abort(o);
      return rc;
    }
  }
  o->tmp[0] = '\0';
  rc = 0;
  if (remove_listed(old, &listed) != 0)
    rc = fail(err, TSR_OUT_IO,
              "%.300s: the output is in place, but the previous one could not be removed from "
              "%.300s: %s",
              o->path, old, strerror(errno));
  names_free(&listed);
  release(o);
  return rc;
}

/* ---- single files ---------------------------------------------------------------------- */

int tsr_write_file_atomic(const char *path, const void *data, size_t len,
                          char err[TSR_ERR_LEN]) {
  if (!*path)
    return fail(err, TSR_OUT_BAD, "the output path is empty, expected a file name");
  size_t n = strlen(path);
  if (path[n - 1] == '/')
    return fail(err, TSR_OUT_BAD, "%.300s: names a directory, expected a file name", path);
  struct stat st;
  if (lstat(path, &st) == 0) {
    if (S_ISLNK(st.st_mode))
      return fail(err, TSR_OUT_BAD,
                  "%.300s: is a symbolic link; tessera replaces its output file and neither "
                  "follows nor replaces a link, expected a file name",
                  path);
    if (S_ISDIR(st.st_mode))
      return fail(err, TSR_OUT_BAD, "%.300s: is a directory, expected a file name", path);
    if (!S_ISREG(st.st_mode))
      return fail(err, TSR_OUT_BAD, "%.300s: is not a regular file; not replacing it", path);
  } else if (errno != ENOENT) {
    return fail(err, TSR_OUT_BAD, "%.300s: cannot look at it: %s", path, strerror(errno));
  }
  const char *slash = strrchr(path, '/');
  char tmp[4200];
  int k = slash ? snprintf(tmp, sizeof tmp, "%.*s/.%s.tessera-tmp-XXXXXX", (int)(slash - path),
                           path, slash + 1)
                : snprintf(tmp, sizeof tmp, ".%s.tessera-tmp-XXXXXX", path);
  if (k < 0 || (size_t)k >= sizeof tmp)
    return fail(err, TSR_OUT_BAD, "%.300s: the output path is too long", path);
  sigset_t hold, saved;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  sigaddset(&hold, SIGTERM);
  sigaddset(&hold, SIGHUP);
  sigaddset(&hold, SIGQUIT);
  int held = sigprocmask(SIG_BLOCK, &hold, &saved) == 0;
  int rc = 0, fd = mkstemp(tmp);
  if (fd < 0) {
    rc = fail(err, errno == ENOENT || errno == ENOTDIR ? TSR_OUT_BAD : TSR_OUT_IO,
              "%.300s: cannot write beside it: %s", path, strerror(errno));
  } else {
    mode_t mask = umask(0);
    umask(mask);
    const char *p = data;
    size_t left = len;
    while (left > 0) {
      ssize_t w = write(fd, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w, left -= (size_t)w;
    }
    int ok = left == 0 && fchmod(fd, 0666 & ~mask) == 0;
    if (close(fd) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
      rc = fail(err, TSR_OUT_IO, "%.300s: cannot write: %s", path, strerror(errno));
      unlink(tmp); /* the temporary file is ours; path is untouched */
    }
  }
  if (held) sigprocmask(SIG_SETMASK, &saved, NULL);
  return rc;
}
