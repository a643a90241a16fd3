/* config.c - see config.h. The schema is a table (one row per key, with
 * type, range, default and where the value lives); one walker applies the
 * defaults, parses, checks types and ranges and writes the resolved JSON.
 * docs/config.md documents every row. */
#include "config.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { K_OBJ, K_U32, K_U64, K_REAL, K_BOOL, K_ENUM, K_NAME } kind;
enum { F_POW2 = 1, F_MULT32 = 2, F_ONLY32 = 4 };

typedef struct field {
  const char *key;
  kind k;
  size_t off;                 /* offset in the struct the table describes */
  double lo, hi, dflt;        /* range and default (K_ENUM: default index) */
  unsigned flags;
  const char *const *names;   /* K_ENUM: allowed strings, NULL-terminated */
  const struct field *sub;    /* K_OBJ: its keys, ending with key NULL */
} field;

static const char *const dataflows[] = {"ws", "os", NULL};
static const char *const link_kinds[] = {"electrical", "photonic", NULL};
static const char *const routings[] = {"xy", "table", NULL};

#define DIE(f) offsetof(tsr_die_cfg, f)
#define CFG(f) offsetof(tsr_config, f)

#define BUFFER_FIELDS(base)                                                                  \
  {                                                                                          \
    {"bytes", K_U64, DIE(base.bytes), 64, 67108864, 4194304, 0, NULL, NULL},                 \
        {"banks", K_U32, DIE(base.banks), 1, 64, 16, F_POW2, NULL, NULL},                    \
        {"port_bits", K_U32, DIE(base.port_bits), 32, 32, 32, F_ONLY32, NULL, NULL},         \
        {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},                                            \
  }
static const field wbuf_fields[] = BUFFER_FIELDS(weight_buffer);
static const field abuf_fields[] = BUFFER_FIELDS(act_buffer);

/* Offsets relative to tsr_die_cfg: used for the base die and for overrides. */
static const field die_fields[] = {
    {"pe_count", K_U32, DIE(pe_count), 1, 64, 16, 0, NULL, NULL},
    {"lanes", K_U32, DIE(lanes), 1, 64, 16, 0, NULL, NULL},
    {"vector", K_U32, DIE(vector), 1, 64, 16, 0, NULL, NULL},
    {"dataflow", K_ENUM, DIE(dataflow), 0, 0, TSR_DF_WS, 0, dataflows, NULL},
    {"fma_stages", K_U32, DIE(fma_stages), 1, 4, 2, 0, NULL, NULL},
    {"weight_buffer", K_OBJ, 0, 0, 0, 0, 0, NULL, wbuf_fields},
    {"act_buffer", K_OBJ, 0, 0, 0, 0, 0, NULL, abuf_fields},
    {"imem_words", K_U32, DIE(imem_words), 16, 65536, 1024, F_POW2, NULL, NULL},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};

static const field dram_fields[] = {
    {"channels", K_U32, CFG(mesh.dram_channels), 1, 16, 2, 0, NULL, NULL},
    {"gbps", K_REAL, CFG(mesh.dram_gbps), 0.001, 1024, 51.2, 0, NULL, NULL},
    {"latency_ns", K_U32, CFG(mesh.dram_latency_ns), 1, 10000, 100, 0, NULL, NULL},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
static const field link_fields[] = {
    {"inner", K_ENUM, CFG(mesh.inner_links), 0, 0, TSR_LINK_ELECTRICAL, 0, link_kinds, NULL},
    {"north", K_ENUM, CFG(mesh.edge_north), 0, 0, TSR_LINK_ELECTRICAL, 0, link_kinds, NULL},
    {"south", K_ENUM, CFG(mesh.edge_south), 0, 0, TSR_LINK_ELECTRICAL, 0, link_kinds, NULL},
    {"west", K_ENUM, CFG(mesh.edge_west), 0, 0, TSR_LINK_ELECTRICAL, 0, link_kinds, NULL},
    {"east", K_ENUM, CFG(mesh.edge_east), 0, 0, TSR_LINK_ELECTRICAL, 0, link_kinds, NULL},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
static const field mesh_fields[] = {
    {"rows", K_U32, CFG(mesh.rows), 1, 64, 1, 0, NULL, NULL},
    {"cols", K_U32, CFG(mesh.cols), 1, 64, 1, 0, NULL, NULL},
    {"bypass_rows", K_BOOL, CFG(mesh.bypass_rows), 0, 1, 1, 0, NULL, NULL},
    {"bypass_cols", K_BOOL, CFG(mesh.bypass_cols), 0, 1, 1, 0, NULL, NULL},
    {"io_dies", K_BOOL, CFG(mesh.io_dies), 0, 1, 1, 0, NULL, NULL},
    {"dram", K_OBJ, 0, 0, 0, 0, 0, NULL, dram_fields},
    {"links", K_OBJ, 0, 0, 0, 0, 0, NULL, link_fields},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
static const field router_fields[] = {
    {"flit_bits", K_U32, CFG(router.flit_bits), 32, 1024, 128, F_MULT32, NULL, NULL},
    {"fifo_depth", K_U32, CFG(router.fifo_depth), 2, 64, 4, 0, NULL, NULL},
    {"routing", K_ENUM, CFG(router.routing), 0, 0, TSR_ROUTE_XY, 0, routings, NULL},
    {"link_latency", K_U32, CFG(router.link_latency), 1, 16, 1, 0, NULL, NULL},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
static const field photonic_fields[] = {
    {"wavelengths", K_U32, CFG(photonic.wavelengths), 1, 64, 16, 0, NULL, NULL},
    {"bits_per_wavelength", K_U32, CFG(photonic.bits_per_wavelength), 1, 64, 8, 0, NULL, NULL},
    {"eo_oe_latency", K_U32, CFG(photonic.eo_oe_latency), 1, 64, 4, 0, NULL, NULL},
    {"pj_per_bit", K_REAL, CFG(photonic.pj_per_bit), 0, 100, 0.54, 0, NULL, NULL},
    {"static_mw", K_REAL, CFG(photonic.static_mw), 0, 10000, 10.0, 0, NULL, NULL},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
#define EPJ(f, d) {#f, K_REAL, CFG(technology.energy_pj.f), 0, 1e6, d, 0, NULL, NULL}
static const field energy_fields[] = {
    EPJ(fma_op, 4.6),          EPJ(sram_read_bit, 1.0), EPJ(sram_write_bit, 1.0),
    EPJ(router_flit_bit, 0.16), EPJ(link_bit, 2.04),    EPJ(dram_bit, 14.8),
    EPJ(imem_read_bit, 0.16),  {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
static const field tech_fields[] = {
    {"clock_mhz", K_REAL, CFG(technology.clock_mhz), 1, 5000, 800, 0, NULL, NULL},
    {"energy_pj", K_OBJ, 0, 0, 0, 0, 0, NULL, energy_fields},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};
/* die and die_overrides are handled on their own: their offsets are
 * relative to a tsr_die_cfg, not to the tsr_config. */
static const field top_fields[] = {
    {"name", K_NAME, CFG(name), 1, 64, 0, 0, NULL, NULL},
    {"mesh", K_OBJ, 0, 0, 0, 0, 0, NULL, mesh_fields},
    {"die", K_OBJ, 0, 0, 0, 0, 0, NULL, die_fields},
    {"die_overrides", K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
    {"router", K_OBJ, 0, 0, 0, 0, 0, NULL, router_fields},
    {"photonic", K_OBJ, 0, 0, 0, 0, 0, NULL, photonic_fields},
    {"technology", K_OBJ, 0, 0, 0, 0, 0, NULL, tech_fields},
    {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
};

/* ---- errors -------------------------------------------------------------------- */

typedef struct {
  const char *file;
  char *err;
} ctx;

static int fail(ctx *c, const char *path, const char *fmt, ...) {
  char msg[TSR_ERR_LEN / 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->err, TSR_ERR_LEN, "%.120s: %.120s%s%s", c->file, path, *path ? ": " : "", msg);
  return -1;
}

/* A value as JSON text, shortened, for messages. */
static void show(const json_t *v, char out[80]) {
  char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  snprintf(out, 80, "%s", s ? s : "?");
  if (s && strlen(s) > 60) strcpy(out + 57, "...");
  free(s);
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a real number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

static void join_keys(const field *f, char *out, size_t n) {
  out[0] = '\0';
  for (; f->key; f++) {
    if (out[0]) strncat(out, ", ", n - strlen(out) - 1);
    strncat(out, f->key, n - strlen(out) - 1);
  }
}

static void join_names(const char *const *names, char *out, size_t n) {
  out[0] = '\0';
  for (int i = 0; names[i]; i++) {
    if (i) strncat(out, names[i + 1] ? ", " : " or ", n - strlen(out) - 1);
    strncat(out, "\"", n - strlen(out) - 1);
    strncat(out, names[i], n - strlen(out) - 1);
    strncat(out, "\"", n - strlen(out) - 1);
  }
}

/* ---- the walker ------------------------------------------------------------------ */

static void set_defaults(const field *fs, void *base) {
  for (const field *f = fs; f->key; f++) {
    char *p = (char *)base + f->off;
    switch (f->k) {
    case K_OBJ:
      if (f->sub && f->sub != die_fields) set_defaults(f->sub, base);
      break;
    case K_U32: *(uint32_t *)p = (uint32_t)f->dflt; break;
    case K_U64: *(uint64_t *)p = (uint64_t)f->dflt; break;
    case K_REAL: *(double *)p = f->dflt; break;
    case K_BOOL: *(bool *)p = f->dflt != 0; break;
    case K_ENUM: *(int *)p = (int)f->dflt; break;
    case K_NAME: strcpy(p, "tessera"); break;
    }
  }
}

static int parse_leaf(ctx *c, const field *f, const json_t *v, const char *path, void *base) {
  char *p = (char *)base + f->off;
  char shown[80];
  show(v, shown);
  switch (f->k) {
  case K_U32:
  case K_U64: {
    if (!json_is_integer(v))
      return fail(c, path, "%s is %s, expected an integer %.0f..%.0f", shown, type_name(v), f->lo,
                  f->hi);
    json_int_t x = json_integer_value(v);
    if ((double)x < f->lo || (double)x > f->hi) {
      if (f->flags & F_ONLY32)
        return fail(c, path, "%s is not supported, expected 32 (one FP32 word per bank port; "
                             "wider ports are future work)", shown);
      return fail(c, path, "%s is out of range, expected %.0f..%.0f", shown, f->lo, f->hi);
    }
    if ((f->flags & F_POW2) && (x & (x - 1)))
      return fail(c, path, "%s is not a power of two, expected %.0f, %.0f, %.0f, ..., %.0f", shown,
                  f->lo, f->lo * 2, f->lo * 4, f->hi);
    if ((f->flags & F_MULT32) && x % 32)
      return fail(c, path, "%s is not a multiple of 32, expected 32, 64, ..., %.0f", shown, f->hi);
    if (f->k == K_U32) *(uint32_t *)p = (uint32_t)x;
    else *(uint64_t *)p = (uint64_t)x;
    return 0;
  }
  case K_REAL: {
    if (!json_is_number(v))
      return fail(c, path, "%s is %s, expected a number %g..%g", shown, type_name(v), f->lo, f->hi);
    double x = json_number_value(v);
    if (!isfinite(x) || x < f->lo || x > f->hi)
      return fail(c, path, "%s is out of range, expected %g..%g", shown, f->lo, f->hi);
    *(double *)p = x;
    return 0;
  }
  case K_BOOL:
    if (!json_is_boolean(v))
      return fail(c, path, "%s is %s, expected true or false", shown, type_name(v));
    *(bool *)p = json_is_true(v);
    return 0;
  case K_ENUM: {
    char allowed[160];
    join_names(f->names, allowed, sizeof allowed);
    if (json_is_string(v)) {
      for (int i = 0; f->names[i]; i++) {
        if (!strcmp(json_string_value(v), f->names[i])) {
          *(int *)p = i;
          return 0;
        }
      }
      return fail(c, path, "%s is not allowed, expected %s", shown, allowed);
    }
    return fail(c, path, "%s is %s, expected %s", shown, type_name(v), allowed);
  }
  case K_NAME: {
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t n = s ? strlen(s) : 0;
    int ok = s && n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
      ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
           (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-';
    if (!ok) return fail(c, path, "%s is not allowed, expected 1..64 characters of A-Z a-z 0-9 _ -", shown);
    strcpy(p, s);
    return 0;
  }
  default:
    return 0;
  }
}

/* Parse object v against fields fs into base. die_overrides is skipped
 * (handled after everything else); "die" goes to cfg->die. set, if given,
 * receives a bit per leaf given, in schema order. */
static int parse_obj(ctx *c, const field *fs, const json_t *v, const char *path, void *base,
                     tsr_config *cfg, uint32_t *set, unsigned *leaf) {
  char shown[80];
  if (!json_is_object(v)) {
    show(v, shown);
    return fail(c, path, "%s is %s, expected an object", shown, type_name(v));
  }
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)v, key, val) {
    const field *f = fs;
    while (f->key && strcmp(f->key, key)) f++;
    char sub[256];
    snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
    if (!f->key) {
      char keys[256];
      join_keys(fs, keys, sizeof keys);
      return fail(c, sub, "unknown key, expected one of %s", keys);
    }
  }
  unsigned local_leaf = 0;
  if (!leaf) leaf = &local_leaf;
  for (const field *f = fs; f->key; f++) {
    json_t *fv = json_object_get(v, f->key);
    char sub[256];
    snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", f->key);
    if (f->k == K_OBJ) {
      if (!f->sub) continue; /* die_overrides */
      if (f->sub == die_fields && cfg) {
        if (fv && parse_obj(c, die_fields, fv, sub, &cfg->die, NULL, NULL, NULL)) return -1;
        continue;
      }
      if (fv && parse_obj(c, f->sub, fv, sub, base, cfg, set, leaf)) return -1;
      if (!fv) { /* count the leaves of a skipped object so bit numbers stay stable */
        for (const field *g = f->sub; g->key; g++) (*leaf)++;
      }
      continue;
    }
    if (fv) {
      if (parse_leaf(c, f, fv, sub, base)) return -1;
      if (set) *set |= 1u << *leaf;
    }
    (*leaf)++;
  }
  return 0;
}

/* ---- cross-key rules ---------------------------------------------------------------- */

static int check_die(ctx *c, const tsr_die_cfg *d, const char *path) {
  uint32_t units = tsr_die_units(d);
  if (units > 4096)
    return fail(c, path, "pe_count x lanes x vector = %u FMA units, expected at most 4096", units);
  const tsr_buffer_cfg *bufs[2] = {&d->weight_buffer, &d->act_buffer};
  const char *names[2] = {"weight_buffer", "act_buffer"};
  uint64_t need[2] = {units, 2ull * units};
  const char *why[2] = {"one weight row segment for every FMA unit",
                        "a tile of operands and outputs, 2 x FMA units"};
  for (int i = 0; i < 2; i++) {
    char sub[256];
    snprintf(sub, sizeof sub, "%s.%s.bytes", path, names[i]);
    if (bufs[i]->bytes % (4ull * bufs[i]->banks))
      return fail(c, sub, "%llu is not a multiple of 4 x banks = %u, expected whole 32-bit words "
                          "in every bank", (unsigned long long)bufs[i]->bytes, 4 * bufs[i]->banks);
    if (bufs[i]->bytes / 4 < need[i])
      return fail(c, sub, "%llu is too small for one tile, expected at least %llu bytes (%s)",
                  (unsigned long long)bufs[i]->bytes, (unsigned long long)need[i] * 4, why[i]);
    if (bufs[i]->bytes / 4 < 2ull * bufs[i]->banks)
      return fail(c, sub, "%llu holds fewer than 2 words per bank, expected at least %u bytes",
                  (unsigned long long)bufs[i]->bytes, 8 * bufs[i]->banks);
  }
  return 0;
}

/* "row": R or [R0, R1] */
static int parse_span(ctx *c, const json_t *v, const char *path, uint32_t limit, uint32_t *lo,
                      uint32_t *hi) {
  char shown[80];
  show(v, shown);
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < 0 || x >= limit)
      return fail(c, path, "%s is outside the mesh, expected 0..%u", shown, limit - 1);
    *lo = *hi = (uint32_t)x;
    return 0;
  }
  if (json_is_array(v) && json_array_size(v) == 2 && json_is_integer(json_array_get(v, 0)) &&
      json_is_integer(json_array_get(v, 1))) {
    json_int_t a = json_integer_value(json_array_get(v, 0));
    json_int_t b = json_integer_value(json_array_get(v, 1));
    if (a < 0 || b < a || b >= limit)
      return fail(c, path, "%s is not a range inside the mesh, expected [first, last] with "
                           "0 <= first <= last <= %u", shown, limit - 1);
    *lo = (uint32_t)a;
    *hi = (uint32_t)b;
    return 0;
  }
  return fail(c, path, "%s is %s, expected an integer or [first, last]", shown, type_name(v));
}

static int parse_overrides(ctx *c, const json_t *v, tsr_config *cfg) {
  char shown[80];
  if (!json_is_array(v)) {
    show(v, shown);
    return fail(c, "die_overrides", "%s is %s, expected an array of objects", shown, type_name(v));
  }
  if (json_array_size(v) > TSR_MAX_OVERRIDES)
    return fail(c, "die_overrides", "%zu entries, expected at most %d", json_array_size(v),
                TSR_MAX_OVERRIDES);
  static const field entry_keys[] = {
      {"row", K_OBJ, 0, 0, 0, 0, 0, NULL, NULL}, {"col", K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
      {"parity", K_OBJ, 0, 0, 0, 0, 0, NULL, NULL}, {"die", K_OBJ, 0, 0, 0, 0, 0, NULL, NULL},
      {NULL, K_OBJ, 0, 0, 0, 0, 0, NULL, NULL}};
  static const char *const parities[] = {"any", "even", "odd", NULL};
  size_t i;
  json_t *e;
  json_array_foreach((json_t *)v, i, e) {
    char path[64];
    snprintf(path, sizeof path, "die_overrides[%zu]", i);
    tsr_override *o = &cfg->overrides[i];
    memset(o, 0, sizeof *o);
    if (!json_is_object(e)) {
      show(e, shown);
      return fail(c, path, "%s is %s, expected an object", shown, type_name(e));
    }
    const char *key;
    json_t *val;
    json_object_foreach(e, key, val) {
      const field *f = entry_keys;
      while (f->key && strcmp(f->key, key)) f++;
      if (!f->key) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        return fail(c, sub, "unknown key, expected one of row, col, parity, die");
      }
    }
    char sub[128];
    o->row1 = cfg->mesh.rows - 1;
    o->col1 = cfg->mesh.cols - 1;
    json_t *r = json_object_get(e, "row"), *cl = json_object_get(e, "col");
    snprintf(sub, sizeof sub, "%s.row", path);
    if (r && parse_span(c, r, sub, cfg->mesh.rows, &o->row0, &o->row1)) return -1;
    snprintf(sub, sizeof sub, "%s.col", path);
    if (cl && parse_span(c, cl, sub, cfg->mesh.cols, &o->col0, &o->col1)) return -1;
    json_t *par = json_object_get(e, "parity");
    if (par) {
      field pf = {"parity", K_ENUM, 0, 0, 0, 0, 0, parities, NULL};
      int pv = 0;
      snprintf(sub, sizeof sub, "%s.parity", path);
      pf.off = 0;
      if (parse_leaf(c, &pf, par, sub, &pv)) return -1;
      o->parity = (tsr_parity)pv;
    }
    json_t *d = json_object_get(e, "die");
    snprintf(sub, sizeof sub, "%s.die", path);
    if (!d) return fail(c, sub, "missing, expected an object of die keys to override");
    o->die = cfg->die;
    if (parse_obj(c, die_fields, d, sub, &o->die, NULL, &o->set, NULL)) return -1;
    /* Apply onto every die of the rectangle that passes the parity filter. */
    for (uint32_t row = o->row0; row <= o->row1; row++) {
      for (uint32_t col = o->col0; col <= o->col1; col++) {
        if (o->parity != TSR_PARITY_ANY && (int)((row + col) % 2) != (o->parity == TSR_PARITY_ODD))
          continue;
        tsr_die_cfg *target = &cfg->dies[row * cfg->mesh.cols + col];
        if (parse_obj(c, die_fields, d, sub, target, NULL, NULL, NULL)) return -1;
        if (check_die(c, target, sub)) return -1;
      }
    }
  }
  cfg->n_overrides = (uint32_t)json_array_size(v);
  return 0;
}

static int load(json_t *root, const char *name, tsr_config *cfg, char err[TSR_ERR_LEN]) {
  ctx c = {name, err};
  memset(cfg, 0, sizeof *cfg);
  set_defaults(top_fields, cfg);
  set_defaults(die_fields, &cfg->die);
  if (parse_obj(&c, top_fields, root, "", cfg, cfg, NULL, NULL)) return -1;
  if (check_die(&c, &cfg->die, "die")) return -1;
  for (uint32_t i = 0; i < cfg->mesh.rows * cfg->mesh.cols; i++) cfg->dies[i] = cfg->die;
  json_t *ov = json_object_get(root, "die_overrides");
  if (ov && parse_overrides(&c, ov, cfg)) return -1;
  return 0;
}

static int load_json(json_t *root, json_error_t *je, const char *name, tsr_config *cfg,
                     char err[TSR_ERR_LEN]) {
  if (!root) {
    snprintf(err, TSR_ERR_LEN, "%s: line %d, column %d: %s", name, je->line, je->column, je->text);
    return -1;
  }
  int rc = load(root, name, cfg, err);
  json_decref(root);
  return rc;
}

int tsr_config_load(const char *path, tsr_config *cfg, char err[TSR_ERR_LEN]) {
  json_error_t je;
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, TSR_ERR_LEN, "%s: cannot open the configuration", path);
    return -1;
  }
  json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
  fclose(f);
  return load_json(root, &je, path, cfg, err);
}

int tsr_config_load_string(const char *text, const char *name, tsr_config *cfg,
                           char err[TSR_ERR_LEN]) {
  json_error_t je;
  return load_json(json_loads(text, JSON_REJECT_DUPLICATES, &je), &je, name, cfg, err);
}

/* ---- output ------------------------------------------------------------------------- */

/* Fields fs of base as a JSON object; with set, only the leaves given. */
static json_t *to_obj(const field *fs, const void *base, const uint32_t *set, unsigned *leaf) {
  json_t *o = json_object();
  for (const field *f = fs; f->key; f++) {
    const char *p = (const char *)base + f->off;
    json_t *v = NULL;
    if (f->k == K_OBJ) {
      if (!f->sub || f->sub == die_fields) continue;
      v = to_obj(f->sub, base, set, leaf);
      if (set && json_object_size(v) == 0) {
        json_decref(v);
        v = NULL;
      }
      if (v) json_object_set_new(o, f->key, v);
      continue;
    }
    unsigned bit = (*leaf)++;
    if (set && !(*set & (1u << bit))) continue;
    switch (f->k) {
    case K_U32: v = json_integer(*(const uint32_t *)p); break;
    case K_U64: v = json_integer((json_int_t) * (const uint64_t *)p); break;
    case K_REAL: v = json_real(*(const double *)p); break;
    case K_BOOL: v = json_boolean(*(const bool *)p); break;
    case K_ENUM: v = json_string(f->names[*(const int *)p]); break;
    case K_NAME: v = json_string(p); break;
    default: break;
    }
    json_object_set_new(o, f->key, v);
  }
  return o;
}

static char *dump(json_t *o) {
  char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
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
  json_t *root = json_object();
  unsigned leaf = 0;
  for (const field *f = top_fields; f->key; f++) {
    if (f->k == K_NAME) {
      json_object_set_new(root, f->key, json_string(cfg->name));
    } else if (f->sub == die_fields) {
      unsigned l = 0;
      json_object_set_new(root, "die", to_obj(die_fields, &cfg->die, NULL, &l));
    } else if (!f->sub) {
      static const char *const parities[] = {"any", "even", "odd"};
      json_t *arr = json_array();
      for (uint32_t i = 0; i < cfg->n_overrides; i++) {
        const tsr_override *o = &cfg->overrides[i];
        json_t *e = json_object();
        json_object_set_new(e, "row", json_pack("[ii]", o->row0, o->row1));
        json_object_set_new(e, "col", json_pack("[ii]", o->col0, o->col1));
        json_object_set_new(e, "parity", json_string(parities[o->parity]));
        unsigned l = 0;
        json_object_set_new(e, "die", to_obj(die_fields, &o->die, &o->set, &l));
        json_array_append_new(arr, e);
      }
      json_object_set_new(root, "die_overrides", arr);
    } else {
      json_object_set_new(root, f->key, to_obj(f->sub, cfg, NULL, &leaf));
    }
  }
  return dump(root);
}

char *tsr_energy_to_json(const tsr_config *cfg) {
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  json_t *ev = json_object();
  json_object_set_new(ev, "fma_op", json_real(e->fma_op));
  json_object_set_new(ev, "wbuf_read_bit", json_real(e->sram_read_bit));
  json_object_set_new(ev, "wbuf_write_bit", json_real(e->sram_write_bit));
  json_object_set_new(ev, "abuf_read_bit", json_real(e->sram_read_bit));
  json_object_set_new(ev, "abuf_write_bit", json_real(e->sram_write_bit));
  json_object_set_new(ev, "imem_read_bit", json_real(e->imem_read_bit));
  json_object_set_new(ev, "router_flit_bit", json_real(e->router_flit_bit));
  json_object_set_new(ev, "link_bit", json_real(e->link_bit));
  json_object_set_new(ev, "photonic_bit", json_real(cfg->photonic.pj_per_bit));
  /* mW / MHz = 1e-3 J/s / 1e6 /s = 1e-9 J = 1e3 pJ per cycle */
  json_object_set_new(ev, "photonic_static_cycle",
                      json_real(cfg->photonic.static_mw * 1e3 / cfg->technology.clock_mhz));
  json_object_set_new(ev, "dram_bit", json_real(e->dram_bit));
  json_t *root = json_object();
  json_object_set_new(root, "unit", json_string("pJ"));
  json_object_set_new(root, "clock_mhz", json_real(cfg->technology.clock_mhz));
  json_object_set_new(root, "events", ev);
  return dump(root);
}
