/* outdir.h - the directories and files tessera writes (docs/output-dirs.md).
 *
 * An output directory is written whole into a temporary directory beside it
 * and moved into place by rename under a lock on the parent directory, so a
 * reader and a concurrent run only ever see a complete output. Every output
 * directory holds TSR_MANIFEST: a signature line, the tool that wrote it and
 * every file it wrote. A later run replaces a directory only when it is empty
 * or such an output holding nothing else, and deletes only the files its
 * manifest names. Single files (`tessera asm -o FILE`) are written beside
 * their place and renamed over it.
 *
 * Errors come back as TSR_OUT_BAD (the path or what is there: the user's
 * mistake, exit 2) or TSR_OUT_IO (the system failed, exit 1), with err set. */
#ifndef TESSERA_OUTDIR_H
#define TESSERA_OUTDIR_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define TSR_MANIFEST "tessera-manifest.txt"
/* The manifest's first line: what marks a directory as tessera's. */
#define TSR_MANIFEST_SIGNATURE "tessera output directory, manifest version 1"

enum { TSR_OUT_OK = 0, TSR_OUT_IO = -1, TSR_OUT_BAD = -2 };

typedef struct {
  char path[4096];   /* the output directory, trailing slashes removed */
  char tmp[4096];    /* the temporary directory beside it, "" when none */
  char tool[64];     /* e.g. "gen": written into the manifest */
  int lock_fd;       /* the parent directory, flock'ed; -1 when not held */
  char **names;      /* the files written, in order */
  size_t n, cap;
  char **derived;    /* files the output's own scripts write later (pareto.svg) */
  size_t n_derived, cap_derived;
  sigset_t saved;    /* the signal mask before signals were held */
  int held;
} tsr_outdir;

/* Check that path can become tool's output directory without writing
 * anything: for commands that compute long before they write. */
int tsr_outdir_check(const char *path, const char *tool, char err[TSR_ERR_LEN]);
/* Begin an output directory: create its parents, lock, check what is there,
 * hold SIGINT, SIGTERM, SIGHUP and SIGQUIT until commit or abort, and make
 * the temporary directory. On error nothing is left to undo. */
int tsr_outdir_begin(tsr_outdir *o, const char *path, const char *tool, char err[TSR_ERR_LEN]);
/* Write the file name (a plain name, no '/') into the output. */
int tsr_outdir_write(tsr_outdir *o, const char *name, const void *data, size_t len,
                     char err[TSR_ERR_LEN]);
/* The same as a stream: the file is listed; close it with fclose and check. */
FILE *tsr_outdir_fopen(tsr_outdir *o, const char *name, char err[TSR_ERR_LEN]);
/* Name a file that a script of the output writes later (a plot): listed in
 * the manifest as tessera's, deleted with the output. */
int tsr_outdir_derived(tsr_outdir *o, const char *name, char err[TSR_ERR_LEN]);
/* The temporary directory's path while writing (for tools run inside it). */
const char *tsr_outdir_tmp(const tsr_outdir *o);
/* Write the manifest and move the output into place, replacing the previous
 * output; then release everything. */
int tsr_outdir_commit(tsr_outdir *o, char err[TSR_ERR_LEN]);
/* Remove the temporary directory and release everything. */
void tsr_outdir_abort(tsr_outdir *o);

/* A single output file: check the path (not empty, not a directory, not a
 * symbolic link or other special file), write beside it and rename into place.
 * An existing regular file is replaced only once the new one is complete;
 * nothing else is ever deleted. */
int tsr_write_file_atomic(const char *path, const void *data, size_t len,
                          char err[TSR_ERR_LEN]);

#endif
