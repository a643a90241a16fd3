/* config.c - see config.h.
 *
 * The schema is a table: one row per key with its type, range, default and
 * where the value lives. A nested object's rows are relative to the object's
 * own struct (so one buffer table serves both buffers, and the die table
 * serves the base die and every override). Four small walkers use the table:
 * set_defaults, parse_obj (types, ranges, unknown keys), to_obj (the resolved
 * JSON) and copy_leaves (applying an override). Rules across keys, the
 * override rectangles and the per-die resolution are written out by hand
 * below the walkers. docs/config.md documents every row.
 */
#include "config.h"
#include "die_sched.h"

#include "noc.h"
#include "textfile.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Enum fields are read and written through int pointers. */
_Static_assert(sizeof(tsr_dataflow) == sizeof(int), "enum size");
_Static_assert(sizeof(tsr_link_kind) == sizeof(int), "enum size");
_Static_assert(sizeof(tsr_routing) == sizeof(int), "enum size");
_Static_assert(sizeof(tsr_parity) == sizeof(int), "enum size");
_Static_assert(sizeof(tsr_dram_model) == sizeof(int), "enum size");
_Static_assert(sizeof(tsr_dram_timing) == sizeof(int), "enum size");

/* ---- the schema ----------------------------------------------------------------- */

typedef enum {
  K_OBJ,       /* nested object; sub's offsets are relative to this field's offset */
  K_U32,       /* integer in a uint32_t */
  K_U64,       /* integer in a uint64_t */
  K_REAL,      /* number in a double */
  K_BOOL,      /* true / false in a bool */
  K_ENUM,      /* one of names[], stored as its index in an enum */
  K_NAME,      /* identifier in a char[65] */
  K_OVERRIDES, /* die_overrides: parsed last, it needs the mesh and the base die */
  K_SPAN,      /* die_overrides[i].row / .col: handled by parse_overrides */
  K_EDGES,     /* mesh.links.photonic: parsed last, it needs the mesh size */
} kind;

enum {
  F_POW2 = 1,    /* integer power of two */
  F_MULT32 = 2,  /* integer multiple of 32 */
  F_LO_OPEN = 8, /* real strictly greater than lo */
};

typedef struct field {
  const char *key;
  kind k;
  size_t off;               /* offset in the struct this table describes */
  double lo, hi, dflt;      /* range and default (K_ENUM: default index) */
  unsigned flags;           /* F_* */
  const char *const *names; /* K_ENUM: allowed strings, NULL-terminated */
  const struct field *sub;  /* K_OBJ: its fields, ending with key NULL */
} field;

#define U32(key, off, lo, hi, d, fl)                                                               \
  { key, K_U32, off, lo, hi, d, fl, NULL, NULL }
#define U64(key, off, lo, hi, d)                                                                   \
  { key, K_U64, off, lo, hi, d, 0, NULL, NULL }
#define REAL(key, off, lo, hi, d, fl)                                                              \
  { key, K_REAL, off, lo, hi, d, fl, NULL, NULL }
#define BOOL(key, off, d)                                                                          \
  { key, K_BOOL, off, 0, 1, d, 0, NULL, NULL }
#define ENUM(key, off, names, d)                                                                   \
  { key, K_ENUM, off, 0, 0, d, 0, names, NULL }
#define OBJ(key, off, sub)                                                                         \
  { key, K_OBJ, off, 0, 0, 0, 0, NULL, sub }
#define SPECIAL(key, k, off)                                                                       \
  { key, k, off, 0, 0, 0, 0, NULL, NULL }
#define END                                                                                        \
  { NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL }

#define DEFAULT_NAME "tessera"
#define MAX_UNITS 4096u

static const char *const dataflows[] = {"ws", "os", NULL};
static const char *const link_kinds[] = {"electrical", "photonic", NULL};
static const char *const routings[] = {"xy", "table", NULL};
static const char *const parities[] = {"any", "even", "odd", NULL};
static const char *const dram_models[] = {"rtl", "external", NULL};
static const char *const dram_timings[] = {"simple", "ddr5", NULL};

#define BUF(f) offsetof(tsr_buffer_cfg, f)
static const field buffer_fields[] = {
    U64("bytes", BUF(bytes), 64, 67108864, 4194304),
    U32("banks", BUF(banks), 1, 64, 16, F_POW2),
    U32("port_bits", BUF(port_bits), 32, 1024, 32, F_POW2),
    END,
};

/* The die keys, relative to a tsr_die_cfg. Their leaves in this order are the
 * bits of tsr_override.set: pe_count 0, lanes 1, vector 2, dataflow 3,
 * fma_stages 4, weight_buffer.bytes/banks/port_bits 5-7, act_buffer 8-10,
 * imem_words 11, local_lanes 12. */
#define DIE(f) offsetof(tsr_die_cfg, f)
static const field die_fields[] = {
    U32("pe_count", DIE(pe_count), 1, 64, 16, 0),
    U32("lanes", DIE(lanes), 1, 64, 16, 0),
    U32("vector", DIE(vector), 1, 64, 16, 0),
    ENUM("dataflow", DIE(dataflow), dataflows, TSR_DF_WS),
    U32("fma_stages", DIE(fma_stages), 1, 4, 2, 0),
    OBJ("weight_buffer", DIE(weight_buffer), buffer_fields),
    OBJ("act_buffer", DIE(act_buffer), buffer_fields),
    U32("imem_words", DIE(imem_words), 16, 65536, 1024, F_POW2),
    BOOL("local_lanes", DIE(local_lanes), 0),
    END,
};

/* dram and links are JSON objects whose values live flat in tsr_mesh_cfg. The
 * DDR5 defaults are DDR5-6400 figures (docs/config.md gives the sources). */
#define MESH(f) offsetof(tsr_mesh_cfg, f)
#define DDR5(f) offsetof(tsr_ddr5_cfg, f)
static const field ddr5_fields[] = {
    U32("banks", DDR5(banks), 1, 256, 32, 0),
    U32("row_bytes", DDR5(row_bytes), 64, 65536, 1024, F_POW2),
    REAL("trcd_ns", DDR5(trcd_ns), 0, 1000, 14.375, 0),
    REAL("trp_ns", DDR5(trp_ns), 0, 1000, 14.375, 0),
    REAL("trefi_ns", DDR5(trefi_ns), 0, 100000, 3900, 0),
    REAL("trfc_ns", DDR5(trfc_ns), 0, 10000, 295, 0),
    END,
};
static const field dram_fields[] = {
    U32("channels", MESH(dram_channels), 1, 16, 2, 0),
    REAL("gbps", MESH(dram_gbps), 0, 1024, 51.2, F_LO_OPEN),
    U32("latency_ns", MESH(dram_latency_ns), 1, 10000, 100, 0),
    ENUM("model", MESH(dram_model), dram_models, TSR_DRAM_RTL),
    ENUM("timing", MESH(dram_timing), dram_timings, TSR_DRAM_SIMPLE),
    OBJ("ddr5", MESH(ddr5), ddr5_fields),
    END,
};
static const field link_fields[] = {
    ENUM("inner", MESH(inner_links), link_kinds, TSR_LINK_ELECTRICAL),
    ENUM("north", MESH(edge_north), link_kinds, TSR_LINK_ELECTRICAL),
    ENUM("south", MESH(edge_south), link_kinds, TSR_LINK_ELECTRICAL),
    ENUM("west", MESH(edge_west), link_kinds, TSR_LINK_ELECTRICAL),
    ENUM("east", MESH(edge_east), link_kinds, TSR_LINK_ELECTRICAL),
    SPECIAL("photonic", K_EDGES, 0),
    END,
};
static const field mesh_fields[] = {
    U32("rows", MESH(rows), 1, TSR_MAX_ROWS, 1, 0),
    U32("cols", MESH(cols), 1, TSR_MAX_COLS, 1, 0),
    BOOL("bypass_rows", MESH(bypass_rows), 1),
    BOOL("bypass_cols", MESH(bypass_cols), 1),
    BOOL("io_dies", MESH(io_dies), 1),
    OBJ("dram", 0, dram_fields),
    OBJ("links", 0, link_fields),
    END,
};

#define ROUTER(f) offsetof(tsr_router_cfg, f)
static const field router_fields[] = {
    U32("flit_bits", ROUTER(flit_bits), 64, 1024, 128, F_MULT32),
    U32("fifo_depth", ROUTER(fifo_depth), 2, 64, 4, 0),
    ENUM("routing", ROUTER(routing), routings, TSR_ROUTE_XY),
    U32("link_latency", ROUTER(link_latency), 1, 16, 1, 0),
    END,
};

#define PHOT(f) offsetof(tsr_photonic_cfg, f)
static const field photonic_fields[] = {
    U32("wavelengths", PHOT(wavelengths), 1, 64, 16, 0),
    U32("bits_per_wavelength", PHOT(bits_per_wavelength), 1, 64, 8, 0),
    U32("eo_oe_latency", PHOT(eo_oe_latency), 1, 64, 4, 0),
    REAL("pj_per_bit", PHOT(pj_per_bit), 0, 100, 0.54, 0),
    REAL("static_mw", PHOT(static_mw), 0, 10000, 10.0, 0),
    END,
};

/* Energy defaults: docs/config.md, "Energy table", gives the source of each. */
#define EPJ(f, d) REAL(#f, offsetof(tsr_energy_cfg, f), 0, 1e6, d, 0)
static const field energy_fields[] = {
    EPJ(fma_op, 4.6),          EPJ(sram_read_bit, 0.81),
    EPJ(sram_write_bit, 0.81), EPJ(router_flit_bit, 0.16),
    EPJ(link_bit, 0.5),        EPJ(dram_bit, 14.8),
    EPJ(imem_read_bit, 0.22),  END,
};
static const field tech_fields[] = {
    REAL("clock_mhz", offsetof(tsr_tech_cfg, clock_mhz), 1, 5000, 800, 0),
    OBJ("energy_pj", offsetof(tsr_tech_cfg, energy_pj), energy_fields),
    END,
};

#define CFG(f) offsetof(tsr_config, f)
static const field top_fields[] = {
    SPECIAL("name", K_NAME, CFG(name)),
    OBJ("mesh", CFG(mesh), mesh_fields),
    OBJ("die", CFG(die), die_fields),
    SPECIAL("die_overrides", K_OVERRIDES, 0),
    OBJ("router", CFG(router), router_fields),
    OBJ("photonic", CFG(photonic), photonic_fields),
    OBJ("technology", CFG(technology), tech_fields),
    END,
};

/* One die_overrides entry, relative to a tsr_override. */
static const field entry_fields[] = {
    SPECIAL("row", K_SPAN, 0),
    SPECIAL("col", K_SPAN, 0),
    ENUM("parity", offsetof(tsr_override, parity), parities, TSR_PARITY_ANY),
    OBJ("die", offsetof(tsr_override, die), die_fields),
    END,
};

/* ---- error messages ------------------------------------------------------------- */

#define PATH_LEN 160

typedef struct {
  const char *file; /* name used in messages */
  char *err;        /* TSR_ERR_LEN bytes */
} ctx;

/* "FILE: PATH: message" (no PATH part for the top level). Returns -1. */
static int fail(ctx *c, const char *path, const char *fmt, ...) {
  char msg[TSR_ERR_LEN / 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->err, TSR_ERR_LEN, "%.120s: %.120s%s%s", c->file, path, *path ? ": " : "", msg);
  return -1;
}

/* A value as compact JSON text, shortened to at most 60 characters. */
static void show(const json_t *v, char out[64]) {
  char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  snprintf(out, 64, "%s", s ? s : "?");
  if (s && strlen(s) > 60) memcpy(out + 57, "...", 4);
  free(s);
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
    return "an integer";
  case JSON_REAL:
    return "a real number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  default:
    return "null";
  }
}

/* VALUE has the wrong JSON type for this key. */
static int mismatch(ctx *c, const char *path, const json_t *v, const char *expected) {
  if (json_is_null(v)) return fail(c, path, "null is not a value, expected %s", expected);
  char shown[64];
  show(v, shown);
  return fail(c, path, "%s is %s, expected %s", shown, type_name(v), expected);
}

/* path + "." + key; a key that is not a plain identifier is shown quoted. */
static void join_path(char out[PATH_LEN], const char *path, const char *key) {
  int plain = *key != '\0' && strlen(key) <= 40;
  for (const char *k = key; plain && *k; k++)
    plain = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
            *k == '_' || *k == '-';
  const char *dot = *path ? "." : "";
  if (plain) {
    snprintf(out, PATH_LEN, "%s%s%s", path, dot, key);
    return;
  }
  char shown[64];
  json_t *s = json_string(key);
  show(s, shown);
  json_decref(s);
  snprintf(out, PATH_LEN, "%s%s%s", path, dot, shown);
}

/* Appends text to out (n bytes), silently truncating. */
static void append(char *out, size_t n, const char *text) {
  size_t len = strlen(out);
  if (len + 1 < n) snprintf(out + len, n - len, "%s", text);
}

/* The keys of a table: "a, b, c". */
static void join_keys(char *out, size_t n, const field *fs) {
  out[0] = '\0';
  for (const field *f = fs; f->key; f++) {
    if (f != fs) append(out, n, ", ");
    append(out, n, f->key);
  }
}

/* The choices of an enum: "\"a\", \"b\" or \"c\"". */
static void join_names(char *out, size_t n, const char *const *names) {
  out[0] = '\0';
  for (size_t i = 0; names[i]; i++) {
    if (i) append(out, n, names[i + 1] ? ", " : " or ");
    append(out, n, "\"");
    append(out, n, names[i]);
    append(out, n, "\"");
  }
}

/* What an integer or real key allows, e.g. "1..64" or "1, 2, 4, ..., 64". */
static void allowed_text(const field *f, char *out, size_t n) {
  if (f->k == K_REAL) {
    if (f->flags & F_LO_OPEN)
      snprintf(out, n, "more than %.15g, at most %.15g", f->lo, f->hi);
    else
      snprintf(out, n, "%.15g..%.15g", f->lo, f->hi);
  } else if (f->flags & F_POW2) {
    snprintf(out, n, "%.0f, %.0f, %.0f, ..., %.0f", f->lo, 2 * f->lo, 4 * f->lo, f->hi);
  } else if (f->flags & F_MULT32) {
    snprintf(out, n, "%.0f, %.0f, %.0f, ..., %.0f", f->lo, f->lo + 32, f->lo + 64, f->hi);
  } else {
    snprintf(out, n, "%.0f..%.0f", f->lo, f->hi);
  }
}

/* ---- the walkers ---------------------------------------------------------------- */

static void set_defaults(const field *fs, char *base) {
  for (const field *f = fs; f->key; f++) {
    char *p = base + f->off;
    switch (f->k) {
    case K_OBJ:
      set_defaults(f->sub, p);
      break;
    case K_U32:
      *(uint32_t *)p = (uint32_t)f->dflt;
      break;
    case K_U64:
      *(uint64_t *)p = (uint64_t)f->dflt;
      break;
    case K_REAL:
      *(double *)p = f->dflt;
      break;
    case K_BOOL:
      *(bool *)p = f->dflt != 0;
      break;
    case K_ENUM:
      *(int *)p = (int)f->dflt;
      break;
    case K_NAME:
      snprintf(p, sizeof((tsr_config *)0)->name, "%s", DEFAULT_NAME);
      break;
    case K_OVERRIDES:
    case K_EDGES:
    case K_SPAN:
      break;
    }
  }
}

/* A leaf is a key that holds one value in the struct (not an object, not
 * one of the keys handled outside the walkers). */
static bool is_leaf(kind k) {
  return k != K_OBJ && k != K_OVERRIDES && k != K_SPAN && k != K_EDGES;
}

static unsigned n_leaves(const field *fs) {
  unsigned n = 0;
  for (const field *f = fs; f->key; f++)
    n += f->k == K_OBJ ? n_leaves(f->sub) : is_leaf(f->k);
  return n;
}

static const field *find_field(const field *fs, const char *key) {
  while (fs->key && strcmp(fs->key, key) != 0)
    fs++;
  return fs->key ? fs : NULL;
}

static size_t leaf_size(kind k) {
  switch (k) {
  case K_U32:
    return sizeof(uint32_t);
  case K_U64:
    return sizeof(uint64_t);
  case K_REAL:
    return sizeof(double);
  case K_BOOL:
    return sizeof(bool);
  case K_ENUM:
    return sizeof(int);
  default:
    return 0;
  }
}

static int check_keys(ctx *c, const field *fs, const json_t *v, const char *path) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)v, key, val) {
    if (!find_field(fs, key)) {
      char sub[PATH_LEN], keys[200];
      join_path(sub, path, key);
      join_keys(keys, sizeof keys, fs);
      return fail(c, sub, "unknown key, expected one of %s", keys);
    }
  }
  return 0;
}

static int parse_leaf(ctx *c, const field *f, const json_t *v, const char *path, char *base) {
  char *p = base + f->off;
  char shown[64], allowed[160], expected[200];
  show(v, shown);
  switch (f->k) {
  case K_U32:
  case K_U64: {
    allowed_text(f, allowed, sizeof allowed);
    if (!json_is_integer(v)) {
      snprintf(expected, sizeof expected, "an integer %s", allowed);
      return mismatch(c, path, v, expected);
    }
    json_int_t x = json_integer_value(v);
    if (x < (json_int_t)f->lo || x > (json_int_t)f->hi)
      return fail(c, path, "%s is out of range, expected %s", shown, allowed);
    if ((f->flags & F_POW2) && (x & (x - 1)))
      return fail(c, path, "%s is not a power of two, expected %s", shown, allowed);
    if ((f->flags & F_MULT32) && x % 32)
      return fail(c, path, "%s is not a multiple of 32, expected %s", shown, allowed);
    if (f->k == K_U32)
      *(uint32_t *)p = (uint32_t)x;
    else
      *(uint64_t *)p = (uint64_t)x;
    return 0;
  }
  case K_REAL: {
    allowed_text(f, allowed, sizeof allowed);
    if (!json_is_number(v)) {
      snprintf(expected, sizeof expected, "a number %s", allowed);
      return mismatch(c, path, v, expected);
    }
    double x = json_number_value(v); /* finite: jansson rejects overflow */
    if (x < f->lo || x > f->hi || ((f->flags & F_LO_OPEN) && x <= f->lo))
      return fail(c, path, "%s is out of range, expected %s", shown, allowed);
    *(double *)p = x;
    return 0;
  }
  case K_BOOL:
    if (!json_is_boolean(v)) return mismatch(c, path, v, "true or false");
    *(bool *)p = json_is_true(v);
    return 0;
  case K_ENUM: {
    join_names(allowed, sizeof allowed, f->names);
    if (!json_is_string(v)) return mismatch(c, path, v, allowed);
    for (int i = 0; f->names[i]; i++) {
      if (!strcmp(json_string_value(v), f->names[i])) {
        *(int *)p = i;
        return 0;
      }
    }
    return fail(c, path, "%s is not allowed, expected %s", shown, allowed);
  }
  case K_NAME: {
    static const char rule[] = "1..64 characters of A-Z a-z 0-9 _ -";
    if (!json_is_string(v)) {
      snprintf(expected, sizeof expected, "a string of %s", rule);
      return mismatch(c, path, v, expected);
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > 64)
      return fail(c, path, "%s is too long (%zu characters), expected %s", shown, n, rule);
    int ok = n >= 1;
    for (size_t i = 0; ok && i < n; i++)
      ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
           (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-';
    if (!ok) return fail(c, path, "%s is not allowed, expected %s", shown, rule);
    memcpy(p, s, n + 1);
    return 0;
  }
  default:
    return 0;
  }
}

/* Parse object v against fields fs into base. *leaf counts the leaves of fs in
 * schema order; set (if not NULL, only for tables of at most 32 leaves)
 * receives a bit for each leaf given. die_overrides is left to the caller. */
static int parse_obj(ctx *c, const field *fs, const json_t *v, const char *path, char *base,
                     uint32_t *set, unsigned *leaf) {
  if (!json_is_object(v)) return mismatch(c, path, v, "an object");
  if (check_keys(c, fs, v, path)) return -1;
  for (const field *f = fs; f->key; f++) {
    json_t *fv = json_object_get(v, f->key);
    char sub[PATH_LEN];
    join_path(sub, path, f->key);
    if (f->k == K_OBJ) {
      if (!fv)
        *leaf += n_leaves(f->sub);
      else if (parse_obj(c, f->sub, fv, sub, base + f->off, set, leaf))
        return -1;
      continue;
    }
    if (!is_leaf(f->k)) continue;
    if (fv) {
      if (parse_leaf(c, f, fv, sub, base)) return -1;
      if (set) *set |= 1u << *leaf;
    }
    (*leaf)++;
  }
  return 0;
}

/* Copy the leaves of fs whose bit is in set from src to dst. */
static void copy_leaves(const field *fs, char *dst, const char *src, uint32_t set, unsigned *leaf) {
  for (const field *f = fs; f->key; f++) {
    if (f->k == K_OBJ) {
      copy_leaves(f->sub, dst + f->off, src + f->off, set, leaf);
    } else if (is_leaf(f->k)) {
      if (set & (1u << *leaf)) memcpy(dst + f->off, src + f->off, leaf_size(f->k));
      (*leaf)++;
    }
  }
}

static json_t *overrides_to_json(const tsr_config *cfg);
static json_t *edges_to_json(const tsr_mesh_cfg *m);

/* Fields fs of base as a JSON object, in schema order; with set, only the
 * leaves given (and the objects that hold one). */
static json_t *to_obj(const field *fs, const char *base, const uint32_t *set, unsigned *leaf) {
  json_t *o = json_object();
  for (const field *f = fs; f->key; f++) {
    const char *p = base + f->off;
    json_t *v = NULL;
    switch (f->k) {
    case K_OBJ:
      v = to_obj(f->sub, p, set, leaf);
      if (set && json_object_size(v) == 0) {
        json_decref(v);
        v = NULL;
      }
      break;
    case K_OVERRIDES:
      v = overrides_to_json((const tsr_config *)base);
      break;
    case K_EDGES:
      v = edges_to_json((const tsr_mesh_cfg *)base);
      break;
    case K_SPAN:
      break;
    default: {
      unsigned bit = (*leaf)++;
      if (set && !(*set & (1u << bit))) break;
      if (f->k == K_NAME)
        v = json_string(p);
      else if (f->k == K_U32)
        v = json_integer(*(const uint32_t *)p);
      else if (f->k == K_U64)
        v = json_integer((json_int_t) * (const uint64_t *)p);
      else if (f->k == K_REAL)
        v = json_real(*(const double *)p);
      else if (f->k == K_BOOL)
        v = json_boolean(*(const bool *)p);
      else
        v = json_string(f->names[*(const int *)p]);
    }
    }
    if (v) json_object_set_new(o, f->key, v);
  }
  return o;
}

/* ---- rules across keys ---------------------------------------------------------- */

/* The rules one die must obey. path names the die ("die" or the override that
 * set it last); where is "" or " on die (row R, col C)". */
static int check_die(ctx *c, const tsr_die_cfg *d, uint32_t flit_bits, const char *path,
                     const char *where) {
  uint32_t units = tsr_die_units(d);
  if (units > MAX_UNITS)
    return fail(c, path,
                "pe_count x lanes x vector = %u x %u x %u = %u FMA units%s is too many, "
                "expected at most %u",
                d->pe_count, d->lanes, d->vector, units, where, MAX_UNITS);
  /* The ws stream reads one X row segment of pe_count k values per cycle. */
  uint32_t act_lanes = tsr_buf_lanes(&d->act_buffer);
  if (d->dataflow == TSR_DF_WS && act_lanes < d->pe_count) {
    char sub[PATH_LEN];
    snprintf(sub, sizeof sub, "%s.act_buffer.banks", path);
    return fail(c, sub,
                "%u banks x %u-bit ports = %u words per access%s is fewer than pe_count = %u, "
                "expected banks x port_bits / 32 >= %u: the ws dataflow reads pe_count words "
                "of an X row per cycle",
                d->act_buffer.banks, d->act_buffer.port_bits, act_lanes, where, d->pe_count,
                d->pe_count);
  }
  static const struct {
    const char *key;
    size_t off;
    uint64_t words_per_unit;
    const char *why;
  } bufs[] = {
      {"weight_buffer", DIE(weight_buffer), 1, "one word per FMA unit"},
      {"act_buffer", DIE(act_buffer), 2, "two words per FMA unit: operands and outputs"},
  };
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
    const tsr_buffer_cfg *b = (const tsr_buffer_cfg *)((const char *)d + bufs[i].off);
    char sub[PATH_LEN];
    snprintf(sub, sizeof sub, "%s.%s.bytes", path, bufs[i].key);
    unsigned long long bytes = b->bytes, step = 4ull * b->banks;
    unsigned long long need = 4ull * bufs[i].words_per_unit * units;
    if (bytes % step)
      return fail(c, sub,
                  "%llu%s is not a multiple of 4 x banks = %llu, expected a multiple of %llu "
                  "(whole 32-bit words in each of %u banks)",
                  bytes, where, step, step, b->banks);
    if (bytes < 2 * step)
      return fail(c, sub,
                  "%llu%s is too small for %u banks, expected at least %llu (2 words per bank)",
                  bytes, where, b->banks, 2 * step);
    if (bytes < need)
      return fail(c, sub, "%llu%s is too small for one tile, expected at least %llu bytes (%s)",
                  bytes, where, need, bufs[i].why);
    snprintf(sub, sizeof sub, "%s.%s.port_bits", path, bufs[i].key);
    if (bytes < 2ull * b->banks * (b->port_bits / 8))
      return fail(c, sub,
                  "%u%s leaves fewer than 2 rows per bank in %llu bytes, expected at most %llu",
                  b->port_bits, where, bytes, bytes / b->banks / 2 * 8);
    /* The network interface writes one flit's words in one cycle. */
    snprintf(sub, sizeof sub, "%s.%s.banks", path, bufs[i].key);
    if (b->banks < flit_bits / 32)
      return fail(c, sub,
                  "%u%s is fewer than the %u words of a %u-bit flit (router.flit_bits), "
                  "expected at least %u: the network interface writes a flit in one cycle",
                  b->banks, where, flit_bits / 32, flit_bits, flit_bits / 32);
  }
  /* Local lanes: column c reads lane c mod B of each buffer with no rotation,
   * so every tile's first column (a multiple of the columns) must be lane 0. */
  uint32_t cols = d->lanes * d->vector, wgt_lanes = tsr_buf_lanes(&d->weight_buffer);
  if (d->local_lanes && (cols % act_lanes || cols % wgt_lanes)) {
    char sub[PATH_LEN];
    snprintf(sub, sizeof sub, "%s.local_lanes", path);
    return fail(c, sub,
                "true%s needs the array's lanes x vector = %u columns to be a multiple of each "
                "buffer's words per access (weight %u, act %u): a tile's first column must sit "
                "on lane 0",
                where, cols, wgt_lanes, act_lanes);
  }
  return 0;
}

/* ---- mesh.links.photonic -------------------------------------------------------- */

/* [{"row": R, "col": C, "dir": "east" | "south"}, ...]: inner edges that are
 * photonic whatever mesh.links.inner says. */
static int parse_edges(ctx *c, const json_t *v, tsr_mesh_cfg *m) {
  const char *path = "mesh.links.photonic";
  if (!json_is_array(v)) return mismatch(c, path, v, "an array of {row, col, dir} objects");
  size_t n = json_array_size(v);
  if (n > TSR_MAX_EDGES)
    return fail(c, path, "%zu entries is too many, expected at most %d", n, TSR_MAX_EDGES);
  for (size_t i = 0; i < n; i++) {
    const json_t *e = json_array_get(v, i);
    char p[PATH_LEN], sub[PATH_LEN];
    snprintf(p, sizeof p, "%s[%zu]", path, i);
    if (!json_is_object(e)) return mismatch(c, p, e, "an object {row, col, dir}");
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)e, key, val) {
      if (strcmp(key, "row") && strcmp(key, "col") && strcmp(key, "dir")) {
        join_path(sub, p, key);
        return fail(c, sub, "unknown key, expected row, col or dir");
      }
    }
    const char *names[2] = {"row", "col"};
    uint32_t limit[2] = {m->rows, m->cols}, at[2];
    for (int k = 0; k < 2; k++) {
      json_t *x = json_object_get(e, names[k]);
      join_path(sub, p, names[k]);
      if (!x) return fail(c, sub, "missing, expected an index 0..%u", limit[k] - 1);
      if (!json_is_integer(x)) return mismatch(c, sub, x, "an integer");
      json_int_t xi = json_integer_value(x);
      if (xi < 0 || xi >= (json_int_t)limit[k])
        return fail(c, sub, "%lld is outside the mesh, expected 0..%u", (long long)xi,
                    limit[k] - 1);
      at[k] = (uint32_t)xi;
    }
    json_t *d = json_object_get(e, "dir");
    join_path(sub, p, "dir");
    if (!d) return fail(c, sub, "missing, expected \"east\" or \"south\"");
    if (!json_is_string(d) ||
        (strcmp(json_string_value(d), "east") && strcmp(json_string_value(d), "south")))
      return mismatch(c, sub, d, "\"east\" or \"south\"");
    uint32_t south = !strcmp(json_string_value(d), "south");
    if ((south && at[0] + 1 >= m->rows) || (!south && at[1] + 1 >= m->cols))
      return fail(c, p, "die (row %u, col %u) has no %s neighbour in a %ux%u mesh", at[0], at[1],
                  south ? "south" : "east", m->rows, m->cols);
    for (size_t j = 0; j < i; j++)
      if (m->photonic[j].row == at[0] && m->photonic[j].col == at[1] && m->photonic[j].south == south)
        return fail(c, p, "the edge of die (row %u, col %u) %s is listed twice, expected each edge once",
                    at[0], at[1], south ? "south" : "east");
    m->photonic[i] = (tsr_edge){at[0], at[1], south};
  }
  m->n_photonic = (uint32_t)n;
  return 0;
}

static json_t *edges_to_json(const tsr_mesh_cfg *m) {
  json_t *arr = json_array();
  for (uint32_t i = 0; i < m->n_photonic; i++)
    json_array_append_new(arr, json_pack("{s:i, s:i, s:s}", "row", (json_int_t)m->photonic[i].row,
                                         "col", (json_int_t)m->photonic[i].col, "dir",
                                         m->photonic[i].south ? "south" : "east"));
  return arr;
}

int tsr_mesh_edge_kind(const tsr_config *cfg, int row, int col, int port) {
  const tsr_mesh_cfg *m = &cfg->mesh;
  uint32_t south = port == TSR_PORT_S;
  for (uint32_t i = 0; i < m->n_photonic; i++)
    if (m->photonic[i].row == (uint32_t)row && m->photonic[i].col == (uint32_t)col &&
        m->photonic[i].south == south)
      return TSR_LINK_PHOTONIC;
  return (int)m->inner_links;
}

/* Every router input FIFO must cover the credit round trip of the links it
 * terminates, or the links cannot carry a flit per cycle (docs/noc.md). */
static int check_router(ctx *c, const tsr_config *cfg) {
  uint32_t need = tsr_mesh_depth_needed(cfg);
  if (cfg->router.fifo_depth < need)
    return fail(c, "router.fifo_depth",
                "%u is too small: one flit per cycle over the links (link_latency %u%s) needs "
                "%u flits for the credit round trip (docs/noc.md), expected %u..64",
                cfg->router.fifo_depth, cfg->router.link_latency,
                need > tsr_depth_needed(cfg, TSR_LINK_ELECTRICAL) ? ", and photonic links" : "",
                need, need);
  return 0;
}

/* The RTL's DRAM model (tessera_io_dram) has the simple timing only: DDR5
 * banks and refresh need the DRAM channel outside the RTL (the SystemC top).
 * A refresh must end before the next one is due. */
static int check_dram(ctx *c, const tsr_mesh_cfg *m) {
  if (m->dram_timing == TSR_DRAM_DDR5 && m->dram_model != TSR_DRAM_EXTERNAL)
    return fail(
        c, "mesh.dram.timing",
        "\"ddr5\" is not allowed with mesh.dram.model \"rtl\", expected \"simple\" (the RTL's "
        "DRAM model has no banks or refresh; \"ddr5\" needs mesh.dram.model \"external\", the "
        "SystemC DRAM channel)");
  if (m->ddr5.trefi_ns > 0 && m->ddr5.trfc_ns >= m->ddr5.trefi_ns)
    return fail(c, "mesh.dram.ddr5.trfc_ns",
                "%.15g is too long for trefi_ns = %.15g, expected less than the refresh interval "
                "(or trefi_ns 0: no refresh)",
                m->ddr5.trfc_ns, m->ddr5.trefi_ns);
  return 0;
}

/* The parameters the RTL derives from the DRAM keys, checked here so that
 * every accepted configuration builds and runs (issue 19): BwMilli, the
 * bandwidth in thousandths of a byte per cycle (tsr_io_bw_milli), must not
 * round to 0 (a DRAM that never answers; the cost models divide by it) and,
 * for the RTL's DRAM model, must keep tessera_io_dram's 32-bit token bucket
 * (TokenCap = 8000 x words per flit + BwMilli, and one more BwMilli on top)
 * inside a signed 32-bit parameter. */
#define TSR_BW_MILLI_MAX(wpf) ((0x7fffffffull - 8000ull * (wpf)) / 2)
static int check_dram_rate(ctx *c, const tsr_config *cfg) {
  const tsr_mesh_cfg *m = &cfg->mesh;
  double clk = cfg->technology.clock_mhz, ch = m->dram_channels;
  uint64_t bw = tsr_io_bw_milli(cfg), wpf = cfg->router.flit_bits / 32;
  uint64_t max = m->io_dies && m->dram_model == TSR_DRAM_RTL ? TSR_BW_MILLI_MAX(wpf) : UINT32_MAX;
  if (bw >= 1 && bw <= max) return 0;
  /* the gbps range that gives 1..max at this clock and channel count */
  double lo = 0.5 * clk / (ch * 1e6), hi = ((double)max + 0.49) * clk / (ch * 1e6);
  if (hi > 1024) hi = 1024; /* the key's own range */
  return fail(c, "mesh.dram.gbps",
              "%.15g x %u channels at %.15g MHz is %llu thousandths of a byte per cycle, %s, "
              "expected %.6g..%.6g GB/s per channel (with these channels and technology.clock_mhz)",
              m->dram_gbps, m->dram_channels, clk, (unsigned long long)bw,
              bw < 1 ? "which rounds to 0 (a DRAM that never answers)"
                     : m->dram_model == TSR_DRAM_RTL && m->io_dies
                         ? "more than the RTL's DRAM model counts (its BwMilli parameter)"
                         : "more than 32 bits",
              lo, hi);
}

/* ---- die_overrides -------------------------------------------------------------- */

/* "row": R or [R0, R1], inside 0..limit-1 */
static int parse_span(ctx *c, const json_t *v, const char *path, uint32_t limit, uint32_t *lo,
                      uint32_t *hi) {
  char shown[64];
  show(v, shown);
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < 0 || x >= (json_int_t)limit)
      return fail(c, path, "%s is outside the mesh, expected 0..%u", shown, limit - 1);
    *lo = *hi = (uint32_t)x;
    return 0;
  }
  const json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
  if (json_is_array(v) && json_array_size(v) == 2 && json_is_integer(a) && json_is_integer(b)) {
    json_int_t x0 = json_integer_value(a), x1 = json_integer_value(b);
    if (x0 < 0 || x1 < x0 || x1 >= (json_int_t)limit)
      return fail(c, path,
                  "%s is not a range inside the mesh, expected [first, last] with "
                  "0 <= first <= last <= %u",
                  shown, limit - 1);
    *lo = (uint32_t)x0;
    *hi = (uint32_t)x1;
    return 0;
  }
  char expected[80];
  snprintf(expected, sizeof expected, "an index 0..%u or [first, last]", limit - 1);
  return mismatch(c, path, v, expected);
}

static int parse_entry(ctx *c, const json_t *e, const char *path, tsr_config *cfg,
                       tsr_override *o) {
  char sub[PATH_LEN];
  if (!json_is_object(e)) return mismatch(c, path, e, "an object with row, col, parity, die");
  if (check_keys(c, entry_fields, e, path)) return -1;
  o->row0 = o->col0 = 0;
  o->row1 = cfg->mesh.rows - 1;
  o->col1 = cfg->mesh.cols - 1;
  o->parity = TSR_PARITY_ANY;
  const json_t *v;
  if ((v = json_object_get(e, "row"))) {
    join_path(sub, path, "row");
    if (parse_span(c, v, sub, cfg->mesh.rows, &o->row0, &o->row1)) return -1;
  }
  if ((v = json_object_get(e, "col"))) {
    join_path(sub, path, "col");
    if (parse_span(c, v, sub, cfg->mesh.cols, &o->col0, &o->col1)) return -1;
  }
  if ((v = json_object_get(e, "parity"))) {
    join_path(sub, path, "parity");
    if (parse_leaf(c, find_field(entry_fields, "parity"), v, sub, (char *)o)) return -1;
  }
  join_path(sub, path, "die");
  if (!(v = json_object_get(e, "die")))
    return fail(c, sub, "is missing, expected an object with the die keys to change");
  o->die = cfg->die; /* keys not given: unused, but defined */
  o->set = 0;
  unsigned leaf = 0;
  return parse_obj(c, die_fields, v, sub, (char *)&o->die, &o->set, &leaf);
}

static int parse_overrides(ctx *c, const json_t *v, tsr_config *cfg) {
  if (!json_is_array(v)) return mismatch(c, "die_overrides", v, "an array of objects");
  size_t n = json_array_size(v);
  if (n > TSR_MAX_OVERRIDES)
    return fail(c, "die_overrides", "%zu entries is too many, expected at most %d", n,
                TSR_MAX_OVERRIDES);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_LEN];
    snprintf(path, sizeof path, "die_overrides[%zu]", i);
    if (parse_entry(c, json_array_get(v, i), path, cfg, &cfg->overrides[i])) return -1;
  }
  cfg->n_overrides = (uint32_t)n;
  return 0;
}

static bool covers(const tsr_override *o, uint32_t row, uint32_t col) {
  if (row < o->row0 || row > o->row1 || col < o->col0 || col > o->col1) return false;
  return o->parity == TSR_PARITY_ANY || (row + col) % 2 == (o->parity == TSR_PARITY_ODD ? 1u : 0u);
}

/* Every die starts as the base die; the overrides apply in order (later ones
 * win). Each resulting die is checked; an error names the last override that
 * touched the die, since the rules apply to the final die only. */
static int resolve_dies(ctx *c, tsr_config *cfg) {
  for (uint32_t row = 0; row < cfg->mesh.rows; row++) {
    for (uint32_t col = 0; col < cfg->mesh.cols; col++) {
      tsr_die_cfg *d = &cfg->dies[row * cfg->mesh.cols + col];
      *d = cfg->die;
      int last = -1;
      for (uint32_t i = 0; i < cfg->n_overrides; i++) {
        if (!covers(&cfg->overrides[i], row, col)) continue;
        unsigned leaf = 0;
        copy_leaves(die_fields, (char *)d, (const char *)&cfg->overrides[i].die,
                    cfg->overrides[i].set, &leaf);
        last = (int)i;
      }
      if (last < 0) continue; /* the base die, checked already */
      char path[PATH_LEN], where[48];
      snprintf(path, sizeof path, "die_overrides[%d].die", last);
      snprintf(where, sizeof where, " on die (row %u, col %u)", row, col);
      if (check_die(c, d, cfg->router.flit_bits, path, where)) return -1;
    }
  }
  return 0;
}

/* ---- loading -------------------------------------------------------------------- */

static int load(const json_t *root, const char *name, tsr_config *cfg, char err[TSR_ERR_LEN]) {
  ctx c = {name, err};
  memset(cfg, 0, sizeof *cfg);
  set_defaults(top_fields, (char *)cfg);
  unsigned leaf = 0;
  if (parse_obj(&c, top_fields, root, "", (char *)cfg, NULL, &leaf)) return -1;
  if (check_die(&c, &cfg->die, cfg->router.flit_bits, "die", "")) return -1;
  const json_t *links = json_object_get(json_object_get(root, "mesh"), "links");
  const json_t *edges = json_object_get(links, "photonic");
  if (edges && parse_edges(&c, edges, &cfg->mesh)) return -1;
  if (check_router(&c, cfg) || check_dram(&c, &cfg->mesh) || check_dram_rate(&c, cfg)) return -1;
  const json_t *ov = json_object_get(root, "die_overrides");
  if (ov && parse_overrides(&c, ov, cfg)) return -1;
  return resolve_dies(&c, cfg);
}

/* Parse and load text; a duplicate key is named by its key path. */
static int load_text(const char *text, size_t len, const char *name, tsr_config *cfg,
                     char err[TSR_ERR_LEN]) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    char path[512];
    if (!strncmp(je.text, "duplicate object key", 20) && !tsr_json_dup_path(text, len, path, sizeof path))
      snprintf(err, TSR_ERR_LEN,
               "%.200s: %.200s: is a duplicate key (line %d, column %d), expected each key once "
               "in its object",
               name, path, je.line, je.column);
    else
      snprintf(err, TSR_ERR_LEN, "%.200s: line %d, column %d: %s", name, je.line, je.column,
               je.text);
    return -1;
  }
  int rc = load(root, name, cfg, err);
  json_decref(root);
  return rc;
}

int tsr_config_load(const char *path, tsr_config *cfg, char err[TSR_ERR_LEN]) {
  char *text;
  size_t len;
  if (tsr_read_file(path, &text, &len, err)) return -1;
  int rc = load_text(text, len, path, cfg, err);
  free(text);
  return rc;
}

int tsr_config_load_string(const char *text, const char *name, tsr_config *cfg,
                           char err[TSR_ERR_LEN]) {
  return load_text(text, strlen(text), name, cfg, err);
}

/* ---- output --------------------------------------------------------------------- */

static json_t *overrides_to_json(const tsr_config *cfg) {
  json_t *arr = json_array();
  for (uint32_t i = 0; i < cfg->n_overrides; i++) {
    const tsr_override *o = &cfg->overrides[i];
    json_t *e = json_object(), *row = json_array(), *col = json_array();
    json_array_append_new(row, json_integer(o->row0));
    json_array_append_new(row, json_integer(o->row1));
    json_array_append_new(col, json_integer(o->col0));
    json_array_append_new(col, json_integer(o->col1));
    json_object_set_new(e, "row", row);
    json_object_set_new(e, "col", col);
    json_object_set_new(e, "parity", json_string(parities[o->parity]));
    unsigned leaf = 0;
    json_object_set_new(e, "die", to_obj(die_fields, (const char *)&o->die, &o->set, &leaf));
    json_array_append_new(arr, e);
  }
  return arr;
}

/* Significant digits that print x so that it reads back exactly (15..17). */
static int digits_for(double x) {
  char buf[40];
  for (int p = 15; p < 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, x);
    if (strtod(buf, NULL) == x) return p;
  }
  return 17;
}

static int real_digits(const json_t *v) {
  if (json_is_real(v)) return digits_for(json_real_value(v));
  int p = 15;
  json_t *item;
  if (json_is_object(v)) {
    const char *key;
    json_object_foreach((json_t *)v, key, item) {
      int q = real_digits(item);
      if (q > p) p = q;
    }
  } else if (json_is_array(v)) {
    size_t i;
    json_array_foreach(v, i, item) {
      int q = real_digits(item);
      if (q > p) p = q;
    }
  }
  return p;
}

/* The document as text, 2-space indent, schema order, newline-terminated;
 * reals get as many digits as the least round one needs to read back exactly
 * (usually 15, so 51.2 stays "51.2"). Consumes o. */
static char *dump(json_t *o) {
  if (!o) return NULL;
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(real_digits(o));
  char *s = json_dumps(o, flags);
  json_decref(o);
  if (!s) return NULL;
  size_t n = strlen(s);
  char *t = realloc(s, n + 2);
  if (!t) {
    free(s);
    return NULL;
  }
  t[n] = '\n';
  t[n + 1] = '\0';
  return t;
}

char *tsr_config_to_json(const tsr_config *cfg) {
  unsigned leaf = 0;
  return dump(to_obj(top_fields, (const char *)cfg, NULL, &leaf));
}

char *tsr_energy_to_json(const tsr_config *cfg) {
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  const tsr_photonic_cfg *ph = &cfg->photonic;
  /* mW / MHz = 1e-3 J/s / 1e6 /s = 1e-9 J = 1e3 pJ per cycle */
  double static_cycle = ph->static_mw * 1e3 / cfg->technology.clock_mhz;
  const struct {
    const char *key;
    double pj;
  } events[] = {
      {"fma_op", e->fma_op},
      {"wbuf_read_bit", e->sram_read_bit},
      {"wbuf_write_bit", e->sram_write_bit},
      {"abuf_read_bit", e->sram_read_bit},
      {"abuf_write_bit", e->sram_write_bit},
      {"imem_read_bit", e->imem_read_bit},
      {"router_flit_bit", e->router_flit_bit},
      {"link_bit", e->link_bit},
      {"photonic_bit", ph->pj_per_bit},
      {"photonic_static_cycle", static_cycle},
      {"dram_bit", e->dram_bit},
  };
  json_t *ev = json_object();
  for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
    json_object_set_new(ev, events[i].key, json_real(events[i].pj));
  json_t *root = json_object();
  json_object_set_new(root, "unit", json_string("pJ"));
  json_object_set_new(root, "clock_mhz", json_real(cfg->technology.clock_mhz));
  json_object_set_new(root, "events", ev);
  return dump(root);
}
