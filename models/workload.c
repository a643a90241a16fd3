/* workload.c - see workload.h. */
#include "workload.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"

/* The Hecaton paper's workloads (section VI-A): hidden sizes 1k, 2k, 4k, 8k,
 * batches 16, 32, 64, 128, sequence length 512, and the FFN width 4h that its
 * Table III assumes. Heads and layers from the models' own papers. */
const tsr_workload tsr_workloads[] = {
    {"bert-large", 1024, 16, 4096, 24, 16, 512},
    {"bloom-1.7b", 2048, 16, 8192, 24, 32, 512},
    {"gpt3-6.7b", 4096, 32, 16384, 32, 64, 512},
    {"llama2-70b", 8192, 64, 32768, 80, 128, 512},
};
const int tsr_n_workloads = (int)(sizeof tsr_workloads / sizeof tsr_workloads[0]);

const tsr_workload *tsr_workload_find(const char *name) {
  for (int i = 0; i < tsr_n_workloads; i++)
    if (!strcmp(tsr_workloads[i].name, name)) return &tsr_workloads[i];
  return NULL;
}

static const char *const key_names[] = {"name",   "hidden", "heads", "ffn",
                                        "layers", "batch",  "seq",   "note"};
static const char *const keys = "name, hidden, heads, ffn, layers, batch, seq, note";

static int known_key(const char *k) {
  for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
    if (!strcmp(key_names[i], k)) return 1;
  return 0;
}

/* An integer key in lo..hi, or its default when absent. */
static int get_u32(json_t *o, const char *file, const char *key, uint32_t lo, uint32_t hi,
                   uint32_t dflt, uint32_t *out, char err[TSR_WL_ERR_LEN]) {
  json_t *v = json_object_get(o, key);
  if (!v) {
    if (dflt == 0) {
      snprintf(err, TSR_WL_ERR_LEN, "%s: %s: is missing, expected an integer %u..%u", file, key, lo,
               hi);
      return -1;
    }
    *out = dflt;
    return 0;
  }
  char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  int bad = !json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi;
  if (bad)
    snprintf(err, TSR_WL_ERR_LEN, "%s: %s: %.60s is %s, expected an integer %u..%u", file, key,
             text ? text : "?", json_is_integer(v) ? "out of range" : "not an integer", lo, hi);
  else
    *out = (uint32_t)json_integer_value(v);
  free(text);
  return bad ? -1 : 0;
}

static int from_json(json_t *root, const json_error_t *je, const char *file, tsr_workload *w,
                     char err[TSR_WL_ERR_LEN]) {
  int rc = -1;
  memset(w, 0, sizeof *w);
  if (!root) {
    snprintf(err, TSR_WL_ERR_LEN, "%s: line %d, column %d: %s", file, je->line, je->column,
             je->text);
    return -1;
  }
  if (!json_is_object(root)) {
    snprintf(err, TSR_WL_ERR_LEN,
             "%s: the top level is not an object, expected {\"name\": ..., "
             "\"hidden\": ..., \"heads\": ...}",
             file);
    goto out;
  }
  const char *k;
  json_t *v;
  json_object_foreach(root, k, v) {
    if (!known_key(k)) {
      snprintf(err, TSR_WL_ERR_LEN, "%s: %s: unknown key, expected one of %s", file, k, keys);
      goto out;
    }
  }
  json_t *name = json_object_get(root, "name");
  if (!json_is_string(name) || json_string_length(name) < 1 || json_string_length(name) > 64) {
    snprintf(err, TSR_WL_ERR_LEN, "%s: name: %s, expected a string of 1..64 characters", file,
             name ? "is not such a string" : "is missing");
    goto out;
  }
  for (const char *p = json_string_value(name); *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(err, TSR_WL_ERR_LEN,
               "%s: name: holds the control character 0x%02x, expected printable text", file,
               (unsigned)(unsigned char)*p);
      goto out;
    }
  snprintf(w->name, sizeof w->name, "%s", json_string_value(name));
  json_t *note = json_object_get(root, "note");
  if (note && !json_is_string(note)) {
    snprintf(err, TSR_WL_ERR_LEN, "%s: note: is not a string, expected free text", file);
    goto out;
  }
  if (get_u32(root, file, "hidden", 1, 1u << 20, 0, &w->hidden, err) ||
      get_u32(root, file, "heads", 1, 65536, 0, &w->heads, err) ||
      get_u32(root, file, "ffn", 1, 1u << 22, 4 * w->hidden, &w->ffn, err) ||
      get_u32(root, file, "layers", 1, 100000, 1, &w->layers, err) ||
      get_u32(root, file, "batch", 1, 1u << 20, 1, &w->batch, err) ||
      get_u32(root, file, "seq", 1, 1u << 20, 512, &w->seq, err))
    goto out;
  if (w->hidden % w->heads) {
    snprintf(err, TSR_WL_ERR_LEN, "%s: heads: %u does not divide hidden (%u), expected a divisor",
             file, w->heads, w->hidden);
    goto out;
  }
  rc = 0;
out:
  json_decref(root);
  return rc;
}

/* Parse text; a duplicate key is named by its key path. */
static int load_text(const char *text, size_t len, const char *name, tsr_workload *w,
                     char err[TSR_WL_ERR_LEN]) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  char path[512];
  if (!root && !strncmp(je.text, "duplicate object key", 20) &&
      !tsr_json_dup_path(text, len, path, sizeof path)) {
    snprintf(err, TSR_WL_ERR_LEN,
             "%.200s: %.200s: is a duplicate key (line %d, column %d), expected each key once",
             name, path, je.line, je.column);
    return -1;
  }
  return from_json(root, &je, name, w, err);
}

int tsr_workload_load(const char *path, tsr_workload *w, char err[TSR_WL_ERR_LEN]) {
  char *text;
  size_t len;
  char why[TSR_ERR_LEN];
  if (tsr_read_file(path, &text, &len, why)) {
    if (errno == ENOENT)
      snprintf(err, TSR_WL_ERR_LEN,
               "%.200s: cannot open: no such built-in model or file, expected one "
               "of bert-large, bloom-1.7b, gpt3-6.7b, llama2-70b or a JSON file",
               path);
    else
      snprintf(err, TSR_WL_ERR_LEN, "%s", why);
    return -1;
  }
  int rc = load_text(text, len, path, w, err);
  free(text);
  return rc;
}

int tsr_workload_load_string(const char *text, const char *name, tsr_workload *w,
                             char err[TSR_WL_ERR_LEN]) {
  return load_text(text, strlen(text), name, w, err);
}

int tsr_workload_get(const char *name_or_path, tsr_workload *w, char err[TSR_WL_ERR_LEN]) {
  const tsr_workload *b = tsr_workload_find(name_or_path);
  if (b) {
    *w = *b;
    return 0;
  }
  return tsr_workload_load(name_or_path, w, err);
}
