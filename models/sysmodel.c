/* sysmodel.c - see sysmodel.h and docs/system-model.md.
 *
 * Timing offsets of the network interface, from docs/cost-model.md ("The
 * mesh"), the same the mesh cost model uses: a SEND's flit j leaves in
 * FETCH + 4 + j and the SEND retires tsr_send_cycles after its FETCH; a flit
 * launched in S is taken by the receiver in S + 1 + the path (2 per router
 * and the link cycles on the mesh, the link cycles and a bypass register per
 * intermediate die on a ring) and counts towards WAIT a cycle later; WAIT
 * retires at the earliest FETCH + 3, else the cycle after its count; a DRD
 * retires FETCH + 7; an IO die starts a read job Latency cycles after its
 * request arrived, or when its transmitter frees. */
#include "sysmodel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "mesh_cost.h"
#include "noc.h"

#define FIRST_FLIT 4u /* a SEND's first flit leaves FETCH + 4 */
#define DRD_CYCLES 8u /* a DRD retires FETCH + 7: the next FETCH is 8 later */

const char *const tsr_package_names[TSR_N_PKGS] = {"standard", "advanced"};
const tsr_package_link tsr_packages[TSR_N_PKGS] = {{32.0, 10.0, 0.5}, {128.0, 10.0, 0.25}};
const char *const tsr_nl_names[TSR_N_NL] = {"softmax", "gelu", "layernorm", "residual"};
const char *const tsr_tterm_names[TSR_N_TTERMS] = {"compute", "nop_link_latency",
                                                   "nop_transmission", "dram_exposed"};
const char *const tsr_eterm_names[TSR_N_ETERMS] = {"compute", "sram", "nop", "dram"};
const char *const tsr_fuse_names[TSR_N_FUSE] = {"all", "attention", "none"};
const char *const tsr_lc_names[TSR_N_LC] = {"row", "column", "io"};

static uint64_t max_u64(uint64_t a, uint64_t b) {
  return a > b ? a : b;
}
static double max_d(double a, double b) {
  return a > b ? a : b;
}
static double min_d(double a, double b) {
  return a < b ? a : b;
}
/* ceil(x) for x >= 0, forgiving a rounding error of 1e-9 */
static uint64_t ceil_u(double x) {
  if (x <= 1e-9) return 0;
  uint64_t u = (uint64_t)x;
  return x - (double)u > 1e-9 ? u + 1 : u;
}

/* ---- what the model resolves from the configuration ---------------------------------- */

static int die_eq(const tsr_die_cfg *a, const tsr_die_cfg *b) {
  const tsr_buffer_cfg *p[2] = {&a->weight_buffer, &a->act_buffer},
                       *q[2] = {&b->weight_buffer, &b->act_buffer};
  for (int i = 0; i < 2; i++)
    if (p[i]->bytes != q[i]->bytes || p[i]->banks != q[i]->banks ||
        p[i]->port_bits != q[i]->port_bits)
      return 0;
  return a->pe_count == b->pe_count && a->lanes == b->lanes && a->vector == b->vector &&
         a->dataflow == b->dataflow && a->fma_stages == b->fma_stages &&
         a->imem_words == b->imem_words;
}

static void lc_add(tsr_sys_links *l, int kind, uint32_t k) {
  l->links += k;
  if (kind == TSR_LINK_PHOTONIC) l->photonic += k;
}

/* A class's timing is its slowest link's; its energy per bit the mean. */
static void lc_finish(const tsr_config *c, tsr_sys_links *l) {
  uint32_t el = l->links - l->photonic;
  l->cycles = el || !l->links ? tsr_link_cycles(c, TSR_LINK_ELECTRICAL) : 0;
  l->pace = 1;
  if (l->photonic) {
    uint32_t ph = tsr_link_cycles(c, TSR_LINK_PHOTONIC);
    l->cycles = ph > l->cycles ? ph : l->cycles;
    l->pace = tsr_photonic_ser(c);
  }
  double e = c->technology.energy_pj.link_bit;
  l->pj_per_bit = l->links ? (el * e + l->photonic * c->photonic.pj_per_bit) / l->links : e;
}

/* The link classes of a rows x cols mesh, and the photonic stubs powered:
 * each photonic edge has a stub each way on the mesh, and each way on its
 * row's or column's bypass ring (a folded ring crosses each of its edges
 * once each way). Without mesh.links.photonic, every inner link is
 * mesh.links.inner: no walk over the edges. */
static void links_for(const tsr_config *c, uint32_t rows, uint32_t cols, tsr_sys_links l[TSR_N_LC],
                      uint32_t *stubs) {
  memset(l, 0, sizeof(tsr_sys_links) * TSR_N_LC);
  if (!c->mesh.n_photonic) {
    lc_add(&l[TSR_LC_ROW], (int)c->mesh.inner_links, rows * (cols - 1));
    lc_add(&l[TSR_LC_COL], (int)c->mesh.inner_links, (rows - 1) * cols);
  } else {
    for (uint32_t r = 0; r < rows; r++)
      for (uint32_t k = 0; k < cols; k++) {
        if (k + 1 < cols)
          lc_add(&l[TSR_LC_ROW], tsr_mesh_edge_kind(c, (int)r, (int)k, TSR_PORT_E), 1);
        if (r + 1 < rows)
          lc_add(&l[TSR_LC_COL], tsr_mesh_edge_kind(c, (int)r, (int)k, TSR_PORT_S), 1);
      }
  }
  if (c->mesh.io_dies) {
    lc_add(&l[TSR_LC_IO], (int)c->mesh.edge_west, rows);
    lc_add(&l[TSR_LC_IO], (int)c->mesh.edge_east, rows);
  }
  for (int i = 0; i < TSR_N_LC; i++)
    lc_finish(c, &l[i]);
  *stubs = 2 * (l[TSR_LC_ROW].photonic * (c->mesh.bypass_rows ? 2 : 1) +
                l[TSR_LC_COL].photonic * (c->mesh.bypass_cols ? 2 : 1) + l[TSR_LC_IO].photonic);
}

int tsr_sys_resolve(tsr_sys *s, char err[TSR_SYS_ERR_LEN]) {
  tsr_config *c = s->cfg;
  uint32_t rows = c->mesh.rows, cols = c->mesh.cols, n = rows * cols;
  s->positional = c->n_overrides > 0 || c->mesh.n_photonic > 0;
  if (s->positional && (rows != s->rows0 || cols != s->cols0)) {
    snprintf(err, TSR_SYS_ERR_LEN,
             "%s places dies and links by position (%s%s%s) on its %u x %u mesh: the model "
             "cannot reshape it to %u x %u",
             c->name, c->n_overrides ? "die_overrides" : "",
             c->n_overrides && c->mesh.n_photonic ? ", " : "",
             c->mesh.n_photonic ? "mesh.links.photonic" : "", s->rows0, s->cols0, rows, cols);
    return -1;
  }
  s->n_variants = 0;
  if (!c->n_overrides) {
    s->variant[0] = (tsr_sys_variant){&c->die, n, 0};
    s->n_variants = 1;
  } else {
    for (uint32_t i = 0; i < n; i++) {
      uint32_t k = 0;
      while (k < s->n_variants && !die_eq(s->variant[k].die, &c->dies[i]))
        k++;
      if (k == s->n_variants) {
        if (k >= sizeof s->variant / sizeof s->variant[0]) {
          snprintf(err, TSR_SYS_ERR_LEN, "%s: more than %zu die variants", c->name,
                   sizeof s->variant / sizeof s->variant[0]);
          return -1;
        }
        s->variant[k] = (tsr_sys_variant){&c->dies[i], 0, i};
        s->n_variants++;
      }
      s->variant[k].count++;
    }
  }
  links_for(c, rows, cols, s->links, &s->photonic_stubs);
  return 0;
}

void tsr_sys_set_dataflow(tsr_sys *s, tsr_dataflow df) {
  tsr_config *c = s->cfg;
  c->die.dataflow = df;
  for (uint32_t i = 0; i < c->mesh.rows * c->mesh.cols && i < TSR_MAX_DIES; i++)
    c->dies[i].dataflow = df;
  char err[TSR_SYS_ERR_LEN];
  (void)tsr_sys_resolve(s, err); /* the shape is unchanged: it cannot fail on it */
}

int tsr_sys_init(tsr_sys *s, const tsr_config *cfg, char err[TSR_SYS_ERR_LEN]) {
  memset(s, 0, sizeof *s);
  s->cfg = malloc(sizeof *s->cfg);
  if (!s->cfg) {
    snprintf(err, TSR_SYS_ERR_LEN, "out of memory");
    return -1;
  }
  memcpy(s->cfg, cfg, sizeof *cfg);
  s->overlap = 1;
  s->fusion = 1;
  s->rows0 = cfg->mesh.rows;
  s->cols0 = cfg->mesh.cols;
  return tsr_sys_resolve(s, err);
}

void tsr_sys_free(tsr_sys *s) {
  free(s->cfg);
  s->cfg = NULL;
}

int tsr_sys_set_link(tsr_sys *s, double gbps, double latency_ns, double pj_per_bit,
                     char err[TSR_SYS_ERR_LEN]) {
  tsr_config *c = s->cfg;
  double bits = gbps * 8000.0 / c->technology.clock_mhz; /* per cycle */
  if (!(bits >= 64) || bits > 65536) {
    snprintf(err, TSR_SYS_ERR_LEN,
             "link bandwidth %g GB/s is out of range, expected %g..%g GB/s at %g MHz (flits of "
             "64 to 65536 bits a cycle: a head flit needs 64)",
             gbps, 64 * c->technology.clock_mhz / 8000.0, 65536 * c->technology.clock_mhz / 8000.0,
             c->technology.clock_mhz);
    return -1;
  }
  if (!(latency_ns >= 0) || latency_ns > 100000 || !(pj_per_bit >= 0) || pj_per_bit > 1000) {
    snprintf(err, TSR_SYS_ERR_LEN,
             "link latency %g ns or energy %g pJ/bit is out of range, "
             "expected 0..100000 ns and 0..1000 pJ/bit",
             latency_ns, pj_per_bit);
    return -1;
  }
  c->router.flit_bits = (uint32_t)(bits / 32) * 32;
  uint64_t lat = ceil_u(latency_ns * c->technology.clock_mhz / 1000.0);
  c->router.link_latency = lat < 1 ? 1 : (uint32_t)lat;
  c->technology.energy_pj.link_bit = pj_per_bit;
  c->mesh.inner_links = c->mesh.edge_east = c->mesh.edge_west = TSR_LINK_ELECTRICAL;
  c->mesh.edge_north = c->mesh.edge_south = TSR_LINK_ELECTRICAL;
  c->mesh.n_photonic = 0;
  s->positional = c->n_overrides > 0;
  links_for(c, c->mesh.rows, c->mesh.cols, s->links, &s->photonic_stubs);
  return 0;
}

/* ---- per-operation closed forms ------------------------------------------------------ */

static void add_counts(tsr_counts *acc, const tsr_counts *c, uint64_t times) {
  for (int k = 0; k < TSR_N_COUNTERS; k++)
    acc->c[k] += times * c->c[k];
}

/* A GEMM or VADD as tile classes: `count` tiles of (m, n), each costing
 * tsr_cost_insn of that tile less the instruction's fixed overhead. */
typedef struct {
  uint64_t m, n, count;
} tile_class;

/* The full-width VADD tile recurs in every reduce-scatter of an estimate:
 * it is costed once, kept on the estimate's stack. */
typedef struct {
  int have;
  tsr_counts full_vadd;
} memo;

static void tile_cost(const tsr_die_cfg *d, const tsr_insn *in, memo *mc, tsr_counts *out) {
  int full = mc && in->op == TSR_OP_VADD && in->len == tsr_die_units(d);
  if (full && mc->have) {
    *out = mc->full_vadd;
    return;
  }
  tsr_insn_cost one;
  tsr_cost_insn(d, in, &one);
  *out = one.counts;
  if (full) {
    mc->full_vadd = one.counts;
    mc->have = 1;
  }
}

static uint64_t by_classes(const tsr_die_cfg *d, tsr_insn *in, const tile_class *tc, int n_tc,
                           tsr_counts *counts, memo *mc) {
  tsr_counts tot;
  memset(&tot, 0, sizeof tot);
  uint64_t cycles = TSR_INSN_OVERHEAD;
  for (int i = 0; i < n_tc; i++) {
    if (!tc[i].count || !tc[i].m || !tc[i].n) continue;
    tsr_counts one;
    in->m = (uint32_t)tc[i].m;
    in->n = (uint32_t)tc[i].n;
    in->len = (uint32_t)tc[i].n;
    tile_cost(d, in, mc, &one);
    cycles += tc[i].count * (one.c[TSR_CNT_CYCLES] - TSR_INSN_OVERHEAD);
    if (counts) add_counts(&tot, &one, tc[i].count);
  }
  if (counts) {
    tot.c[TSR_CNT_CYCLES] = cycles;
    tot.c[TSR_CNT_INSNS] = 1;
    tot.c[TSR_CNT_IMEM_READ_BITS] = 128;
    add_counts(counts, &tot, 1);
  }
  return cycles;
}

/* A GEMM's cycles and counts: the lockstep cost model's own closed forms
 * (tsr_cost_gemm), plus the instruction's fixed overhead. */
static uint64_t gemm_memo(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                          tsr_counts *counts, memo *mc) {
  (void)mc;
  if (!m || !k || !n) return 0;
  tsr_counts one;
  memset(&one, 0, sizeof one);
  tsr_cost_gemm(d, m, k, n, acc, &one);
  one.c[TSR_CNT_CYCLES] += TSR_INSN_OVERHEAD;
  one.c[TSR_CNT_INSNS] = 1;
  one.c[TSR_CNT_IMEM_READ_BITS] = 128;
  if (counts) add_counts(counts, &one, 1);
  return one.c[TSR_CNT_CYCLES];
}

/* An element-wise instruction (tsr_op_vector) of len words: its chunks of
 * Units elements as one class, the last partial one as another. VAXPY is
 * its scale step and then VADD's chunks. */
static uint64_t vec_memo(const tsr_die_cfg *d, tsr_opcode op, uint64_t len, tsr_counts *counts,
                         memo *mc) {
  if (!len) return 0;
  tsr_insn in;
  memset(&in, 0, sizeof in);
  in.op = op == TSR_OP_VAXPY ? TSR_OP_VADD : op;
  uint64_t f = tsr_die_units(d), scale = 0;
  if (op == TSR_OP_VAXPY) {
    tsr_counts sc;
    memset(&sc, 0, sizeof sc);
    tsr_cost_vaxpy_scale(&sc);
    if (counts) add_counts(counts, &sc, 1);
    scale = sc.c[TSR_CNT_CYCLES];
  }
  tile_class tc[2] = {{1, f, len / f}, {1, len % f, 1}};
  return scale + by_classes(d, &in, tc, 2, counts, mc);
}

static uint64_t vadd_memo(const tsr_die_cfg *d, uint64_t len, tsr_counts *counts, memo *mc) {
  return vec_memo(d, TSR_OP_VADD, len, counts, mc);
}

uint64_t tsr_sys_gemm(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                      tsr_counts *counts) {
  return gemm_memo(d, m, k, n, acc, counts, NULL);
}

uint64_t tsr_sys_vadd(const tsr_die_cfg *d, uint64_t len, tsr_counts *counts) {
  return vadd_memo(d, len, counts, NULL);
}

uint64_t tsr_sys_vaxpy(const tsr_die_cfg *d, uint64_t len, tsr_counts *counts) {
  return vec_memo(d, TSR_OP_VAXPY, len, counts, NULL);
}

/* Over links of `l` cycles that take a flit every `pace` cycles. */
static uint64_t arrive_on(const tsr_config *cfg, uint64_t words, uint32_t links, int ring,
                          uint64_t l, uint64_t pace) {
  uint64_t f = tsr_ni_message_flits(cfg, words);
  /* first flit launched FETCH + 4, the output register, the path, the last
     flit (F - 1) x pace later, counted the cycle after it was taken */
  uint64_t path = ring ? links * l + (links ? links - 1 : 0) * TSR_BYPASS_CYCLES
                       : TSR_ROUTER_CYCLES * (links + 1ull) + links * l;
  return FIRST_FLIT + 1 + path + (f - 1) * (links ? pace : 1) + 1;
}

uint64_t tsr_sys_arrive(const tsr_config *cfg, uint64_t words, uint32_t links, int ring) {
  return arrive_on(cfg, words, links, ring, cfg->router.link_latency, 1);
}

uint64_t tsr_sys_ring(const tsr_config *cfg, uint32_t n, uint64_t words, uint64_t arrive,
                      uint64_t vadd, uint64_t g_first, uint64_t g, int async) {
  if (n < 2) return g_first;
  /* An async SEND's transmitter is free again by the next one: that SEND
     follows a WAIT for the predecessor's message, which was launched with
     this die's, and took longer than its flits (arrive > flits + 2). */
  uint64_t sd = async ? TSR_ASYNC_CYCLES : tsr_send_cycles(cfg, words);
  /* the first step: SEND, the own tile's GEMM, WAIT (at the earliest 3 after its
     FETCH, else the cycle after the predecessor's message has landed), VADD */
  uint64_t t1 = max_u64(sd + g_first + TSR_INSN_OVERHEAD, arrive + 1) + 1 + vadd;
  /* every later step starts `p` after the one before: the predecessor is in step */
  uint64_t p = max_u64(sd + g + TSR_INSN_OVERHEAD, arrive + 1) + 1 + vadd;
  return t1 + (n - 2) * p + g;
}

/* ---- Algorithm 1, as models/lower.c lowers it -------------------------------------- */

typedef struct {
  const tsr_config *cfg;
  const tsr_die_cfg *die;
  uint64_t t;       /* the next instruction's FETCH */
  uint64_t pending; /* the last arrival of the mesh messages not yet waited for */
  uint64_t io_free; /* the IO die's transmitter is free from here */
  uint32_t nr;      /* routers between the die and its IO die (links as many) */
  uint64_t to_io;   /* link cycles on that path */
  uint64_t io_link; /* the IO die's link into the mesh */
  uint64_t latency; /* DRAM latency, cycles */
  uint64_t pace;    /* cycles per body flit the IO die's bandwidth allows (1 if a flit's) */
} sched;

static void s_drd(sched *s, uint32_t len) {
  const tsr_config *cfg = s->cfg;
  uint64_t f = s->t, wpf = cfg->router.flit_bits / 32, flits = tsr_ni_message_flits(cfg, len);
  uint64_t body = (len + wpf - 1) / wpf;
  /* the request (a head and one body flit) reaches the IO die; the nearer dies
     it serves asked 2 + L cycles per router earlier and are answered first */
  uint64_t req = f + FIRST_FLIT + 2 + TSR_ROUTER_CYCLES * s->nr + s->to_io;
  uint64_t span = flits + body * (s->pace - 1); /* head first, then the bodies */
  uint64_t per = TSR_ROUTER_CYCLES + s->cfg->router.link_latency, job = 0;
  for (uint32_t k = 1; k <= s->nr; k++) {
    job = max_u64(req - (s->nr - k) * per + s->latency, s->io_free);
    s->io_free = job + 1 + span;
  }
  /* the answer: head the cycle after the job starts, through the IO link and the
     routers back to the die, its last flit counted a cycle after it was taken */
  uint64_t arrive =
      job + span + 3 + s->io_link + TSR_ROUTER_CYCLES * s->nr + (s->to_io - s->io_link);
  s->pending = max_u64(s->pending, arrive);
  s->t = f + DRD_CYCLES;
}

static void s_wait_mesh(sched *s) {
  s->t = max_u64(s->t + TSR_INSN_OVERHEAD, s->pending + 1) + 1;
  s->pending = 0;
}

static void s_send_self(sched *s, uint32_t len) {
  s->pending = max_u64(s->pending, s->t + tsr_sys_arrive(s->cfg, len, 0, 0));
  s->t += tsr_send_cycles(s->cfg, len);
}

static void s_gemm(sched *s, uint32_t m, uint32_t k, uint32_t n, int acc) {
  s->t += tsr_sys_gemm(s->die, m, k, n, acc, NULL);
}

static uint32_t ring_links(uint32_t n) {
  return n >= 3 ? 2 : 1;
}

/* The lowering's all-gathers with work per tile (GEMMs of g_first and g
 * cycles) send async (lw_all_gather). */
static int sends_async(double g_first, double g) {
  return g_first > 0 || g > 0;
}

static void s_all_gather(sched *s, uint32_t n, uint32_t tile, uint64_t g_first, uint64_t g) {
  s->t += tsr_sys_ring(s->cfg, n, tile, tsr_sys_arrive(s->cfg, tile, ring_links(n), 1), 0, g_first,
                       g, sends_async((double)g_first, (double)g));
}

static void s_reduce_scatter(sched *s, uint32_t n, uint32_t chunk) {
  s->t += tsr_sys_ring(s->cfg, n, chunk, tsr_sys_arrive(s->cfg, chunk, ring_links(n), 1),
                       tsr_sys_vadd(s->die, chunk, NULL), 0, 0, 0);
}

/* DRDs first .. last - 1 of pass k (tsr_alg1_loads); returns how many. */
static int s_loads(sched *s, const tsr_linear *L, tsr_alg1_pass k, int first, int last) {
  uint32_t len[TSR_ALG1_DRDS];
  int count = tsr_alg1_loads(L, s->cfg->mesh.rows, s->cfg->mesh.cols, k, len), n = 0;
  for (int d = first; d < last && d < count; d++, n++) s_drd(s, len[d]);
  return n;
}

/* The DRDs of the pass after pass `pass` of mini-batch mb; returns how many. */
static int s_next_loads(sched *s, const tsr_linear *L, tsr_alg1_pass pass, uint32_t mb) {
  uint32_t next_mb;
  return s_loads(s, L, tsr_alg1_next(L, pass, mb, &next_mb), 0, TSR_ALG1_DRDS);
}

/* A pass's GEMM B x k x n and reduce-scatter over the row ring (C). */
static void s_gemm_rs(sched *s, const tsr_linear *L, uint32_t k, uint32_t n) {
  uint32_t B = L->tokens, C = s->cfg->mesh.cols;
  s_gemm(s, B, k, n, 0);
  s_reduce_scatter(s, C, B / C * n);
}

int tsr_sys_linear_cycles(const tsr_config *cfg, const tsr_linear *L, uint64_t *end,
                          char err[TSR_SYS_ERR_LEN]) {
  uint32_t R = cfg->mesh.rows, C = cfg->mesh.cols, B = L->tokens, N = L->minibatches;
  if (!B || !L->d_in || !L->d_out || !N || B % R || B % C || L->d_in % R || L->d_in % C ||
      L->d_out % R || L->d_out % C || (!L->forward && !L->backward)) {
    snprintf(err, TSR_SYS_ERR_LEN,
             "linear layer: tokens, d_in and d_out must be multiples of "
             "rows (%u) and cols (%u), mini-batches at least 1, and a pass chosen",
             R, C);
    return -1;
  }
  if (!cfg->mesh.io_dies) {
    snprintf(err, TSR_SYS_ERR_LEN,
             "linear layer: the tensors come from DRAM, expected mesh.io_dies");
    return -1;
  }
  uint32_t dc = L->d_in / C, ir = L->d_in / R, or_ = L->d_out / R, oc = L->d_out / C;
  uint32_t bc = B / C;
  /* the die farthest from its IO die: column ceil(C/2) - 1 reaches the left one */
  uint32_t col = (C + 1) / 2 - 1;
  sched s = {cfg, &cfg->dies[col], 0, 0, 0, col + 1, 0, 0, tsr_io_latency_cycles(cfg), 1};
  s.io_link = tsr_link_cycles(cfg, tsr_port_link_kind(cfg, 0, 0, TSR_PORT_W));
  s.to_io = s.io_link + (uint64_t)col * cfg->router.link_latency;
  s.pace = tsr_io_flit_pace(cfg);

  int F = L->forward, Bw = L->backward;
  tsr_alg1_pass first_pass = tsr_alg1_first(L);
  if (F) s_drd(&s, dc * or_);
  if (Bw) s_drd(&s, oc * ir);
  int early = s_loads(&s, L, first_pass, 0, TSR_ALG1_DRDS - F - Bw);
  s_wait_mesh(&s);
  int loads = s_loads(&s, L, first_pass, early, TSR_ALG1_DRDS);
  int early_loads = tsr_lower_early_loads(cfg); /* where the next pass's DRDs go */
  for (uint32_t n = 0; n < N; n++) {
    if (F) {
      if (loads) s_wait_mesh(&s);
      if (early_loads) loads = s_next_loads(&s, L, TSR_PASS_FWD, n);
      s_all_gather(&s, R, B / R * dc, 0, 0);
      s_gemm_rs(&s, L, dc, or_);
      if (!early_loads) loads = s_next_loads(&s, L, TSR_PASS_FWD, n);
      s.t += tsr_send_cycles(cfg, bc * or_); /* DWR */
    }
    if (Bw) {
      if (loads) s_wait_mesh(&s);
      s_all_gather(&s, R, B / R * oc, 0, 0);
      s_send_self(&s, B * oc);
      s_wait_mesh(&s);
      if (early_loads) loads = s_next_loads(&s, L, TSR_PASS_BWD, n);
      uint64_t first = tsr_sys_gemm(s.die, ir, bc, oc, n > 0, NULL);
      s_all_gather(&s, C, ir * bc, first, tsr_sys_gemm(s.die, ir, bc, oc, 1, NULL));
      s_gemm_rs(&s, L, oc, ir);
      if (!early_loads) loads = s_next_loads(&s, L, TSR_PASS_BWD, n);
      s.t += tsr_send_cycles(cfg, bc * ir); /* DWR */
    }
  }
  if (Bw) {
    s_wait_mesh(&s);
    s.t += tsr_sys_vaxpy(s.die, (uint64_t)ir * oc, NULL);
    s.t += tsr_send_cycles(cfg, ir * oc); /* DWR */
  }
  *end = s.t + TSR_INSN_OVERHEAD - 1; /* HALT retires */
  return 0;
}

/* ---- the transformer layer ------------------------------------------------------------ */

/* What one die spends on a block for one mini-batch: cycles per latency term,
 * die counts, and network energy (pJ) and bits, for all dies together. */
typedef struct {
  double cyc[TSR_N_TTERMS];
  double fma, sram_r, sram_w, imem; /* per die */
  double copy;                      /* cycles of local copies (in cyc[TSR_T_COMPUTE]) */
  double hidden;                    /* transmission behind compute (not in cyc) */
  double linear, transposed, linear_cyc; /* linear layers' GEMMs, those run as Y^T, cycles */
  double nl[TSR_N_NL], nl_pj;       /* the non-linearities' cycles (in cyc) and pJ per die */
  double nl_nop[2];                 /* their collectives' link latency and flits (in cyc) */
  double nop_pj, nop_bits;          /* all dies */
} blk;

typedef struct {
  const tsr_sys *s;
  const tsr_config *cfg;
  const tsr_sys_variant *var; /* the die variants, nv of them */
  uint32_t nv;
  const double *vw; /* each variant's share of the dies */
  tsr_method m;
  uint32_t rows, cols;
  double n, t, h, f, heads, seq, samples; /* dies, tokens per mini-batch, ... */
  double minibatches;                     /* in the iteration */
  memo *mc;                               /* one per variant */
  tsr_sys_links lc[TSR_N_LC + 1];         /* row, column, io, and row and column together */
} ctx;

static void add_die_counts(blk *o, const tsr_counts *c, double times) {
  o->fma += times * (double)c->c[TSR_CNT_FMA_OPS];
  o->sram_r += times * (double)(c->c[TSR_CNT_WBUF_READ_BITS] + c->c[TSR_CNT_ABUF_READ_BITS]);
  o->sram_w += times * (double)(c->c[TSR_CNT_WBUF_WRITE_BITS] + c->c[TSR_CNT_ABUF_WRITE_BITS]);
  o->imem += times * (double)c->c[TSR_CNT_IMEM_READ_BITS];
}

/* Cycles of a GEMM on every die (the die model, or its peak): the slowest
 * variant's, since every die runs the same step between two collectives; the
 * counts of the average die (each variant's by its share) `times` times into
 * o when o is not NULL. */
static double gemm(const ctx *c, blk *o, double times, double m, double k, double n, int acc) {
  uint64_t M = ceil_u(m), K = ceil_u(k), N = ceil_u(n);
  double cyc = 0;
  for (uint32_t v = 0; v < c->nv; v++) {
    const tsr_die_cfg *d = c->var[v].die;
    tsr_counts cnt;
    memset(&cnt, 0, sizeof cnt);
    double cy = (double)gemm_memo(d, M, K, N, acc, &cnt, &c->mc[v]);
    if (c->s->peak && cy > 0) cy = ceil((double)M * K * N / tsr_die_units(d)) + TSR_INSN_OVERHEAD;
    cyc = max_d(cyc, cy);
    if (o) add_die_counts(o, &cnt, times * c->vw[v]);
  }
  return cyc;
}

/* An element-wise instruction (VADD, VAXPY, VEXP, ...) of len words on every
 * die variant: the slowest variant's cycles; each variant's counts `times`
 * times into o. At peak, its FMA operations (or one a word) at one per unit. */
static double vector_op(const ctx *c, blk *o, double times, tsr_opcode op, double len) {
  uint64_t n = ceil_u(len);
  double cyc = 0;
  for (uint32_t v = 0; v < c->nv; v++) {
    const tsr_die_cfg *d = c->var[v].die;
    tsr_counts cnt;
    memset(&cnt, 0, sizeof cnt);
    double cy = (double)vec_memo(d, op, n, &cnt, &c->mc[v]);
    double work = max_d((double)n, (double)cnt.c[TSR_CNT_FMA_OPS]);
    if (c->s->peak && cy > 0) cy = ceil(work / tsr_die_units(d)) + TSR_INSN_OVERHEAD;
    cyc = max_d(cyc, cy);
    if (o) add_die_counts(o, &cnt, times * c->vw[v]);
  }
  return cyc;
}

/* `times` VTRANS of an m x n matrix on every die variant: their cycles at the
 * slowest variant's (a copy, so the same under peak compute), the counts into o. */
static double transpose(const ctx *c, blk *o, double times, double m, double n) {
  tsr_insn in;
  memset(&in, 0, sizeof in);
  in.op = TSR_OP_VTRANS, in.m = (uint32_t)ceil(m), in.n = (uint32_t)ceil(n);
  double cyc = 0;
  for (uint32_t v = 0; v < c->nv; v++) {
    tsr_insn_cost one;
    tsr_cost_insn(c->var[v].die, &in, &one);
    cyc = max_d(cyc, (double)one.counts.c[TSR_CNT_CYCLES]);
    if (o) add_die_counts(o, &one.counts, times * c->vw[v]);
  }
  return times * cyc;
}

/* A product of the attention core: from zero, as the lowering's. */
static void compute(const ctx *c, blk *o, double times, double m, double k, double n) {
  o->cyc[TSR_T_COMPUTE] += times * gemm(c, o, times, m, k, n, 0);
}

/* `times` GEMMs of a linear layer, Y = X W or Y^T = W^T X^T, whichever the
 * die runs in fewer cycles: the same chains bit for bit (an FMA's product is
 * exact, so fmaf(w, x, acc) = fmaf(x, w, acc)). The model reads a linear
 * layer's operands in the layout its GEMM needs (W^T and X^T from DRAM, X^T
 * for dW), so the orientation is that choice too. acc: onto Y (dW, which
 * sums over the mini-batches; SUMMA's steps), else from zero. Counted into
 * o; returns one GEMM's cycles, which the caller places. */
static double linear_gemm(const ctx *c, blk *o, double times, double m, double k, double n,
                          int acc) {
  double y = gemm(c, NULL, 1, m, k, n, acc), yt = gemm(c, NULL, 1, n, k, m, acc);
  int tr = yt < y;
  double g = tr ? gemm(c, o, times, n, k, m, acc) : gemm(c, o, times, m, k, n, acc);
  o->linear += times;
  o->transposed += tr ? times : 0;
  o->linear_cyc += times * g;
  return g;
}

/* The same, one after the other in the compute term. */
static void linear(const ctx *c, blk *o, double times, double m, double k, double n, int acc) {
  o->cyc[TSR_T_COMPUTE] += times * linear_gemm(c, o, times, m, k, n, acc);
}

/* A chain of messages timed by tsr_sys_ring, into o's terms: the VADDs and
 * GEMMs are compute, the flits transmission, the rest link latency. An
 * all-gather with GEMMs sends async, so its flits go behind the GEMMs: its
 * link latency is the blocking chain's, and its transmission what is left
 * (at most the flits; the rest is o->hidden). Returns the cycles it added. */
static double chain(const ctx *c, blk *o, const tsr_phase *ph, double g_first, double g,
                  double times) {
  const tsr_config *cfg = c->cfg;
  const tsr_sys_links *lc = &c->lc[ph->axis == TSR_AXIS_ROW   ? TSR_LC_ROW
                                   : ph->axis == TSR_AXIS_COL ? TSR_LC_COL
                                                              : TSR_N_LC];
  uint64_t words = ceil_u(ph->words); /* 64 bits: a message can pass 2^32 words */
  double v = ph->reduce ? vector_op(c, o, ph->steps * times, TSR_OP_VADD, ph->words) : 0;
  uint64_t arrive =
      arrive_on(cfg, words, ph->links, ph->path == TSR_PATH_RING, lc->cycles, lc->pace);
  int async = sends_async(g_first, g);
  double total = (double)tsr_sys_ring(cfg, ph->steps + 1, words, arrive, (uint64_t)v,
                                      (uint64_t)g_first, (uint64_t)g, async);
  double flits = (double)tsr_ni_message_flits(cfg, words);
  /* transmission: the flits, at the pace of the slowest link (a photonic
     link's serialization); its flight and the steps' overhead are link latency */
  double comp = ph->steps * (v + g) + g_first, all = ph->steps * flits * lc->pace, trans = all;
  if (async) {
    double blocking = (double)tsr_sys_ring(cfg, ph->steps + 1, words, arrive, (uint64_t)v,
                                           (uint64_t)g_first, (uint64_t)g, 0);
    trans = min_d(all, max_d(0, total - comp - max_d(0, blocking - all - comp)));
  }
  o->cyc[TSR_T_TRANS] += times * trans;
  o->hidden += times * (all - trans);
  o->cyc[TSR_T_COMPUTE] += times * comp;
  o->cyc[TSR_T_LINK] += times * max_d(0, total - trans - comp);
  /* energy: every die's messages over their links and routers, read from one
     buffer and written into another */
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  double bits = flits * cfg->router.flit_bits;
  o->nop_bits += times * c->n * ph->e_links * bits;
  o->nop_pj +=
      times * c->n * bits * (ph->e_links * lc->pj_per_bit + ph->e_routers * e->router_flit_bit);
  o->sram_r += times * ph->e_msgs * 32 * ph->words;
  o->sram_w += times * ph->e_msgs * 32 * ph->words;
  return times * max_d(total, comp);
}

/* A copy of `words` from one of a die's buffers to the other (a SEND to
 * itself and its WAIT): its cycles, into o's copies and SRAM traffic. */
static double local_copy(const ctx *c, blk *o, double words) {
  uint64_t copy = max_u64(tsr_send_cycles(c->cfg, ceil_u(words)) + TSR_INSN_OVERHEAD,
                          tsr_sys_arrive(c->cfg, ceil_u(words), 0, 0) + 1) +
                  1;
  o->copy += (double)copy;
  o->sram_r += 32 * words;
  o->sram_w += 32 * words;
  return (double)copy;
}

/* Column sums of `times` blocks of rows x cols in the activation buffer,
 * whichever costs least: the lowered layer's copy of the block to the weight
 * buffer and GEMM of a row of ones by it (one array row busy), or log2 rows
 * VADD passes over halves of the rows. */
static double colsum(const ctx *c, blk *o, double times, double rows, double cols) {
  double tree = 0;
  for (double w = rows; w > 1; w = ceil(w / 2))
    tree += vector_op(c, NULL, 1, TSR_OP_VADD, floor(w / 2) * cols);
  blk scratch = {0};
  double by_gemm = local_copy(c, &scratch, rows * cols) + gemm(c, NULL, 1, 1, rows, cols, 0);
  if (tree < by_gemm) {
    for (double w = rows; w > 1; w = ceil(w / 2))
      vector_op(c, o, times, TSR_OP_VADD, floor(w / 2) * cols);
    return times * tree;
  }
  double copies = 0;
  for (double k = 0; k < times; k++) copies += local_copy(c, o, rows * cols);
  return copies + times * gemm(c, o, times, 1, rows, cols, 0);
}

/* A value per row (`scalar`), or one row repeated, applied to `times` blocks
 * of rows x cols by VADD or VMUL: whichever costs least of the lowered
 * layer's spread (a GEMM with k = 1 by a row of ones, or of a column of ones
 * by the row, then one instruction over the block) and an instruction per
 * row (VAXPY for a scalar, its -0 row's fill not counted; else op). */
static double per_row(const ctx *c, blk *o, double times, double rows, double cols, tsr_opcode op,
                      int scalar) {
  tsr_opcode each = scalar ? TSR_OP_VAXPY : op;
  double spread = gemm(c, NULL, 1, rows, 1, cols, 0) + vector_op(c, NULL, 1, op, rows * cols);
  double by_row = rows * vector_op(c, NULL, 1, each, cols);
  if (by_row < spread) return times * rows * vector_op(c, o, times * rows, each, cols);
  return times * (gemm(c, o, times, rows, 1, cols, 0) + vector_op(c, o, times, op, rows * cols));
}

/* The sum over a bypass ring's n members of w-word partials, as the lowered
 * layer's LayerNorm takes it: an all-gather (its chain into o's terms and
 * *net) and n - 1 VADDs (their cycles returned). */
static double ring_sum(const ctx *c, blk *o, int axis, uint32_t n, double w, double *net) {
  if (n < 2) return 0;
  tsr_phase ph = tsr_bypass_phase(n, w, 0, axis);
  *net += chain(c, o, &ph, 0, 0, 1);
  return (n - 1) * vector_op(c, o, n - 1, TSR_OP_VADD, w);
}

/* The attention core of one block on one die: its share of the heads (a
 * fraction of one head's queries when the dies outnumber them). */
static void attention_core(const ctx *c, blk *o, int bwd) {
  double share = c->samples * c->heads / c->n, s = c->seq, dh = c->h / c->heads;
  double times = share >= 1 ? share : 1, rows = share >= 1 ? s : ceil(s * share);
  /* forward S = Q K^T, A = S V; backward dV, dS, dQ, dK */
  compute(c, o, times, rows, dh, s);
  compute(c, o, times * (bwd ? 3 : 1), rows, s, dh);
  /* the transposes the products need (VTRANS): K forward; backward V, A and
     dS (dA = dO V^T, dV = A^T dO, dK = dS^T Q) */
  o->cyc[TSR_T_COMPUTE] += transpose(c, o, times, s, dh);
  if (bwd)
    o->cyc[TSR_T_COMPUTE] += transpose(c, o, times, s, dh) + transpose(c, o, 2 * times, rows, s);
}

/* Row sums of `rows` rows of n words, whichever costs least: a GEMM with a
 * column of ones (a chain of n, one output column of the array busy); two,
 * over blocks of kb words and then over the blocks' sums, for the best power
 * of two kb; or per row log2 n VADD passes over halves (a pairwise sum). */
static double rowsum(const ctx *c, blk *o, double times, double rows, double n) {
  double best = gemm(c, NULL, 1, rows, n, 1, 0), kb_best = n, tree = 0;
  for (double kb = 2; kb < n; kb *= 2) {
    double y = gemm(c, NULL, 1, rows * ceil(n / kb), kb, 1, 0) +
               gemm(c, NULL, 1, rows, ceil(n / kb), 1, 0);
    if (y < best) best = y, kb_best = kb;
  }
  for (double w = n; w > 1; w = ceil(w / 2))
    tree += rows * vector_op(c, NULL, 1, TSR_OP_VADD, floor(w / 2));
  if (tree < best) {
    for (double w = n; w > 1; w = ceil(w / 2))
      vector_op(c, o, times * rows, TSR_OP_VADD, floor(w / 2));
    return times * tree;
  }
  if (kb_best == n) return times * gemm(c, o, times, rows, n, 1, 0);
  return times * (gemm(c, o, times, rows * ceil(n / kb_best), kb_best, 1, 0) +
                  gemm(c, o, times, rows, ceil(n / kb_best), 1, 0));
}

static void collectives(const ctx *c, blk *o, const tsr_phase *ph, int np);

/* The non-linearities of a block on one die (docs/system-model.md,
 * "Non-linearities"): the instructions that run them, each priced by its
 * closed form, the per-row ones once per row; each function's cycles into
 * fn[]. Attention: softmax over the die's rows of scores (its share of the
 * heads, as attention_core), with Q (forward) or dQ and dK (backward) scaled
 * by 1/sqrt(d_head); FFN: GeLU over its share of the hidden activation; both:
 * one LayerNorm and one residual add over its share of the block's output (all
 * of it under 1D tensor parallelism, which replicates it, unless sequence
 * parallelism gives each die T / N tokens of it). */
static void nonlinear(const ctx *c, blk *o, blk *once, tsr_block b, double fn[TSR_N_NL]) {
  int bwd = b == TSR_B_BWD_ATTN || b == TSR_B_BWD_FFN,
      ffn = b == TSR_B_FWD_FFN || b == TSR_B_BWD_FFN;
  double oned = c->m == TSR_M_FLAT || c->m == TSR_M_TORUS;
#define V(times, op, len) ((times) * vector_op(c, o, (times), (op), (len)))
#define ROWSUM(times, rows, n) rowsum(c, o, (times), (rows), (n))
  double sm = 0, gelu = 0, ln = 0;
  if (!ffn) {
    double share = c->samples * c->heads / c->n, n = c->seq, dh = c->h / c->heads;
    double r = share >= 1 ? share * n : ceil(n * share); /* rows of scores */
    double hs = share >= 1 ? share : 1, rh = r / hs; /* heads, and each one's rows */
    if (!bwd) { /* as the lowering (tsr_lower_attention) */
      sm += V(1, TSR_OP_VMUL, r * dh); /* Q / sqrt(d_head), by the scale replicated */
      sm += transpose(c, o, hs, rh, n); /* the row maxima from the transpose's rows */
      for (double w = n; w > 1; w = ceil(w / 2)) sm += V(hs, TSR_OP_VMAX, floor(w / 2) * rh);
      sm += per_row(c, o, hs, rh, n, TSR_OP_VADD, 1); /* x - m */
      sm += V(1, TSR_OP_VEXP, r * n) + ROWSUM(1, r, n) + V(1, TSR_OP_VRECIP, r);
      sm += per_row(c, o, hs, rh, n, TSR_OP_VMUL, 1); /* e / s */
    } else { /* dS = A (dA - rowsum(A dA)) */
      sm += V(1, TSR_OP_VMUL, r * n) + ROWSUM(1, r, n);
      sm += per_row(c, o, hs, rh, n, TSR_OP_VADD, 1) + V(1, TSR_OP_VMUL, r * n);
      sm += V(1, TSR_OP_VMUL, r * dh); /* dQ / sqrt(d_head); dK takes Q / sqrt(d_head) */
    }
  } else {
    double e = c->t * c->f / c->n;
    gelu = bwd ? V(1, TSR_OP_VGELUD, e) + V(1, TSR_OP_VMUL, e) : V(1, TSR_OP_VGELU, e);
  }
  /* LayerNorm as the lowered layer runs it (docs/lowering.md, "A transformer
     layer"), on `rows` rows of `cols` features: Hecaton spreads a row over
     the row ring (its statistics summed there, gamma's and beta's gradients
     over the column ring), 1D tensor parallelism replicates the whole
     activation on every die, Optimus gives a die whole rows */
  int hec = c->m == TSR_M_HECATON, opt = c->m == TSR_M_OPTIMUS, seq_par = oned && c->s->seq_par;
  double rows = hec ? c->t / c->rows : ceil(oned && !seq_par ? c->t : c->t / c->n);
  double cols = hec ? c->h / c->cols : c->h, e = rows * cols, net = 0;
  /* the ring members of a row's statistics, and of gamma's and beta's
     gradients along each axis (below) */
  uint32_t rc = hec ? c->cols : 1, grad_rc = opt ? c->cols : 1, grad_cc = hec || opt ? c->rows : 1;
#define ROWS(op, scalar) per_row(c, o, 1, rows, cols, (op), (scalar))
  if (!bwd) { /* (x - mean) rstd gamma + beta */
    ln += ROWSUM(1, rows, cols) + ring_sum(c, o, TSR_AXIS_ROW, rc, rows, &net);
    ln += V(1, TSR_OP_VMUL, rows) + ROWS(TSR_OP_VADD, 1); /* -mean, x - mean */
    ln += V(1, TSR_OP_VMUL, e) + ROWSUM(1, rows, cols); /* the squares' sums */
    ln += ring_sum(c, o, TSR_AXIS_ROW, rc, rows, &net);
    ln += V(1, TSR_OP_VMUL, rows) + V(1, TSR_OP_VAXPY, rows) + V(1, TSR_OP_VRSQRT, rows);
    ln += ROWS(TSR_OP_VMUL, 1);                            /* xhat */
    ln += ROWS(TSR_OP_VMUL, 0) + ROWS(TSR_OP_VADD, 0);     /* gamma, beta */
  } else { /* tsr_vlayernorm_bwd's sequence */
    ln += ROWS(TSR_OP_VMUL, 0);                            /* g = dy gamma */
    ln += ROWSUM(2, rows, cols) + V(1, TSR_OP_VMUL, e);    /* and g xhat; their sums */
    ln += ring_sum(c, o, TSR_AXIS_ROW, rc, 2 * rows, &net) + V(1, TSR_OP_VMUL, 2 * rows);
    ln += ROWS(TSR_OP_VMUL, 1) + V(1, TSR_OP_VADD, e);     /* g - xhat mean(g xhat) */
    ln += ROWS(TSR_OP_VADD, 1) + ROWS(TSR_OP_VMUL, 1);     /* - mean(g), by rstd */
    ln += V(1, TSR_OP_VMUL, e) + colsum(c, o, 2, rows, cols); /* sum dy xhat, sum dy */
    /* gamma's and beta's gradients: summed over the mini-batches on the die,
       then, once per iteration, over the dies that hold other tokens of the
       same features: Hecaton's column ring; Optimus's every die (its row
       ring, then its column ring); under sequence parallelism, an all-reduce
       of 2 h words as the method all-reduces a block's output */
    if (c->minibatches > 1) ln += V(1, TSR_OP_VADD, 2 * cols);
    double grad_net = 0;
    once->cyc[TSR_T_COMPUTE] += ring_sum(c, once, TSR_AXIS_ROW, grad_rc, 2 * cols, &grad_net) +
                                ring_sum(c, once, TSR_AXIS_COL, grad_cc, 2 * cols, &grad_net);
    if (seq_par) {
      tsr_phase ph[TSR_MAX_PHASES];
      collectives(c, once, ph,
                  tsr_method_phases(c->m, TSR_B_FWD_ATTN, c->rows, c->cols, 2, c->h, c->f, ph));
    }
    once->nl[TSR_NL_LAYERNORM] =
        once->cyc[TSR_T_COMPUTE] + once->cyc[TSR_T_LINK] + once->cyc[TSR_T_TRANS];
  }
#undef ROWS
  double y[TSR_N_NL] = {sm, gelu, ln, V(1, TSR_OP_VADD, e)}; /* and the residual add */
#undef V
#undef ROWSUM
  for (int k = 0; k < TSR_N_NL; k++) {
    fn[k] += y[k];
    o->cyc[TSR_T_COMPUTE] += y[k];
  }
  fn[TSR_NL_LAYERNORM] += net; /* its collectives, already in o's terms */
}

static const tsr_phase *find(const tsr_phase *ph, int n, int layer, int role) {
  for (int i = 0; i < n; i++)
    if (ph[i].layer == layer && ph[i].role == role) return &ph[i];
  return NULL;
}

/* Hecaton: Algorithm 1 on each linear layer of the block, fused (no DRAM
 * between them), with the same SEND/WAIT chains as the lowering. */
static void hecaton_block(const ctx *c, tsr_block b, blk *o) {
  tsr_phase ph[TSR_MAX_PHASES];
  tsr_layer_dims ly[2];
  int np = tsr_method_phases(TSR_M_HECATON, b, c->rows, c->cols, c->t, c->h, c->f, ph);
  int bwd = b == TSR_B_BWD_ATTN || b == TSR_B_BWD_FFN;
  tsr_block_layers(b, c->h, c->f, ly);
  for (int l = 0; l < 2; l++) {
    double a = ly[l].orient == 1 ? c->rows : c->cols, r = ly[l].orient == 1 ? c->cols : c->rows;
    double din = ly[l].d_in, dout = ly[l].d_out;
    const tsr_phase *p = find(ph, np, l, TSR_ROLE_AG_IN);
    if (p) chain(c, o, p, 0, 0, 1);
    if (!bwd)
      linear(c, o, 1, c->t, din / r, dout / a, 0);
    else
      linear(c, o, 1, c->t, dout / r, din / a, 0);
    if ((p = find(ph, np, l, TSR_ROLE_RS_OUT))) chain(c, o, p, 0, 0, 1);
    if (bwd) {
      /* dY to the weight buffer (the GEMM's right operand), then X^T tiles as they
         arrive, each multiplied into dW */
      o->cyc[TSR_T_COMPUTE] += local_copy(c, o, c->t * dout / r);
      double g = linear_gemm(c, o, r, din / a, c->t / r, dout / r, 1);
      if ((p = find(ph, np, l, TSR_ROLE_AG_DW)))
        chain(c, o, p, g, g, 1);
      else
        o->cyc[TSR_T_COMPUTE] += g;
    }
    if (l == 0 && (b == TSR_B_FWD_ATTN || b == TSR_B_BWD_ATTN)) attention_core(c, o, bwd);
  }
}

/* The other methods: the block's GEMMs, then its collectives. */
static void other_block(const ctx *c, tsr_block b, blk *o) {
  tsr_layer_dims ly[2];
  int bwd = b == TSR_B_BWD_ATTN || b == TSR_B_BWD_FFN;
  tsr_block_layers(b, c->h, c->f, ly);
  for (int l = 0; l < 2; l++) {
    double din = ly[l].d_in, dout = ly[l].d_out, t = c->t, n = c->n;
    if (c->m == TSR_M_OPTIMUS) { /* SUMMA: q steps of the q x q blocks */
      double q = sqrt(n);
      if (!bwd)
        linear(c, o, q, t / q, din / q, dout / q, 1);
      else {
        linear(c, o, q, t / q, dout / q, din / q, 1);
        linear(c, o, q, din / q, t / q, dout / q, 1);
      }
    } else if (ly[l].orient == 1) { /* 1D: the first layer split by output columns */
      if (!bwd)
        linear(c, o, 1, t, din, dout / n, 0);
      else {
        linear(c, o, 1, t, dout / n, din, 0);
        linear(c, o, 1, din, t, dout / n, 1);
      }
    } else { /* the second by input rows, its partial sums all-reduced */
      if (!bwd)
        linear(c, o, 1, t, din / n, dout, 0);
      else {
        linear(c, o, 1, t, dout, din / n, 0);
        linear(c, o, 1, din / n, t, dout, 1);
      }
    }
    if (l == 0 && (b == TSR_B_FWD_ATTN || b == TSR_B_BWD_ATTN)) attention_core(c, o, bwd);
  }
  tsr_phase ph[TSR_MAX_PHASES];
  collectives(c, o, ph, tsr_method_phases(c->m, b, c->rows, c->cols, c->t, c->h, c->f, ph));
}

/* A block's collectives (np phases), into o: the torus's two halves at once. */
static void collectives(const ctx *c, blk *o, const tsr_phase *ph, int np) {
  blk half[3];
  memset(half, 0, sizeof half);
  for (int i = 0; i < np; i++)
    chain(c, &half[ph[i].half], &ph[i], 0, 0, 1);
  /* the torus's two halves run at once: the slower one is the critical path */
  const blk *slow = &half[1];
  if (half[2].cyc[TSR_T_LINK] + half[2].cyc[TSR_T_TRANS] + half[2].cyc[TSR_T_COMPUTE] >
      half[1].cyc[TSR_T_LINK] + half[1].cyc[TSR_T_TRANS] + half[1].cyc[TSR_T_COMPUTE])
    slow = &half[2];
  for (int k = 0; k < TSR_N_TTERMS; k++)
    o->cyc[k] += half[0].cyc[k] + slow->cyc[k];
  o->hidden += half[0].hidden + slow->hidden;
  for (int hh = 0; hh < 3; hh++) {
    o->sram_r += half[hh].sram_r;
    o->sram_w += half[hh].sram_w;
    o->fma += half[hh].fma;
    o->imem += half[hh].imem;
    o->nop_pj += half[hh].nop_pj;
    o->nop_bits += half[hh].nop_bits;
  }
}

/* Everything of `from` into `to`. */
static void merge(blk *to, const blk *from) {
  for (int k = 0; k < TSR_T_DRAM; k++)
    to->cyc[k] += from->cyc[k];
  to->hidden += from->hidden;
  to->fma += from->fma, to->sram_r += from->sram_r, to->sram_w += from->sram_w;
  to->imem += from->imem;
  to->nop_pj += from->nop_pj, to->nop_bits += from->nop_bits;
}

/* A die's compute and SRAM energy of x (pJ). */
static double die_pj(const tsr_energy_cfg *e, const blk *x) {
  return x->fma * e->fma_op + x->imem * e->imem_read_bit + x->sram_r * e->sram_read_bit +
         x->sram_w * e->sram_write_bit;
}

/* Block b's work x, `times` over, on each of n dies, into r. */
static void add_block(tsr_sys_result *r, const tsr_energy_cfg *e, double n, tsr_block b,
                      const blk *x, double times) {
  for (int k = 0; k < TSR_T_DRAM; k++) {
    r->cycles[k] += times * x->cyc[k];
    r->block_terms[b][k] += times * x->cyc[k];
    r->block_cycles[b] += times * x->cyc[k];
  }
  for (int k = 0; k < 2; k++)
    r->block_nl_nop[b][k] += times * x->nl_nop[k];
  r->copy_cycles += times * x->copy;
  r->trans_hidden_cycles += times * x->hidden;
  r->block_hidden[b] += times * x->hidden;
  r->linear_gemms += times * x->linear;
  r->linear_transposed += times * x->transposed;
  r->linear_cycles += times * x->linear_cyc;
  for (int k = 0; k < TSR_N_NL; k++)
    r->nl_cycles[k] += times * x->nl[k];
  r->nl_pj += times * n * x->nl_pj;
  r->pj[TSR_EN_COMPUTE] += times * n * (x->fma * e->fma_op + x->imem * e->imem_read_bit);
  r->pj[TSR_EN_SRAM] += times * n * (x->sram_r * e->sram_read_bit + x->sram_w * e->sram_write_bit);
  r->pj[TSR_EN_NOP] += times * x->nop_pj;
  r->nop_bits += times * x->nop_bits;
}

/* DRAM traffic of each pipeline stage, words per token in units of h, read
 * and written, as {constant, coefficient of r = f / h}: stages 0 forward
 * attention, 1 forward FFN, 2 backward FFN, 3 backward attention; fused all,
 * the forward stage is 0 and the backward 2 (docs/system-model.md, "DRAM"). */
static void dram_words(int fusion, int stage, double r, double rw[2]) {
  static const double tab[3][4][2][2] = {
      /* all: read X; write QKV, A, O, Z, the output / read dY and the saved
         X, QKV, A, O, Z; write dX */
      {{{1, 0}, {6, 1}}, {{0, 0}, {0, 0}}, {{7, 1}, {1, 0}}, {{0, 0}, {0, 0}}},
      /* attention fused, FFN layers apart: Z and O read back, dZ and dO
         written and read back */
      {{{1, 0}, {5, 0}}, {{1, 1}, {1, 1}}, {{2, 2}, {1, 1}}, {{6, 0}, {1, 0}}},
      /* nothing fused: QKV and A read back too, dA and dQKV written and read */
      {{{5, 0}, {5, 0}}, {{1, 1}, {1, 1}}, {{2, 2}, {1, 1}}, {{10, 0}, {5, 0}}}};
  for (int k = 0; k < 2; k++)
    rw[k] = tab[fusion][stage][k][0] + r * tab[fusion][stage][k][1];
}

double tsr_sys_pipeline(double n, double on, double off, int overlap, double *exposed) {
  double t = overlap ? n * max_d(on, off) + min_d(on, off) : n * (on + off);
  if (exposed) *exposed = t - n * on;
  return t;
}

void tsr_sys_estimate(const tsr_sys *s, const tsr_workload *w, tsr_method m, tsr_sys_result *r) {
  const tsr_config *cfg = s->cfg;
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  memset(r, 0, sizeof *r);
  memo mc[TSR_MAX_OVERRIDES + 1];
  double vw[TSR_MAX_OVERRIDES + 1];
  ctx c;
  memset(&c, 0, sizeof c);
  c.s = s, c.cfg = cfg, c.m = m, c.rows = cfg->mesh.rows, c.cols = cfg->mesh.cols;
  c.h = w->hidden, c.f = w->ffn, c.heads = w->heads, c.seq = w->seq, c.mc = mc, c.vw = vw;
  c.n = (double)c.rows * c.cols;
  r->feasible = tsr_layout_ok(m, c.rows, c.cols, &r->why);
  if (r->feasible && !cfg->mesh.io_dies) {
    r->feasible = 0;
    r->why = "mesh.io_dies is false: the model streams activations and weights from DRAM";
  }
  if (r->feasible && s->positional && (c.rows != s->rows0 || c.cols != s->cols0)) {
    r->feasible = 0;
    r->why = "die_overrides or mesh.links.photonic place dies and links by position: the model "
             "cannot reshape the mesh";
  }
  if (!r->feasible) return;
  /* the die variants (the base die alone without die_overrides, whatever the
     shape) and the link classes (resolved, or of the uniform links) */
  tsr_sys_variant one = {&cfg->die, c.rows * c.cols, 0};
  c.var = s->positional && cfg->n_overrides ? s->variant : &one;
  c.nv = s->positional && cfg->n_overrides ? s->n_variants : 1;
  uint32_t stubs = s->photonic_stubs;
  if (s->positional)
    memcpy(c.lc, s->links, sizeof s->links);
  else
    links_for(cfg, c.rows, c.cols, c.lc, &stubs);
  {
    tsr_sys_links *both = &c.lc[TSR_N_LC], *a = &c.lc[TSR_LC_ROW], *b = &c.lc[TSR_LC_COL];
    both->links = a->links + b->links;
    both->photonic = a->photonic + b->photonic;
    both->cycles = a->links && b->links ? (a->cycles > b->cycles ? a->cycles : b->cycles)
                   : a->links           ? a->cycles
                                        : b->cycles;
    both->pace = a->pace > b->pace ? a->pace : b->pace;
    both->pj_per_bit = both->links ? (a->links * a->pj_per_bit + b->links * b->pj_per_bit) / both->links
                                   : a->pj_per_bit;
  }
  for (uint32_t v = 0; v < c.nv; v++) {
    mc[v].have = 0;
    vw[v] = c.var[v].count / c.n;
  }

  /* SRAM: the largest mini-batch of whole samples whose activations fit (on
     the variant of the least buffers), and the deepest fusion whose weights
     (and gradients) fit */
  double h = c.h, f = c.f, wa = 4 * h * h, wf = 2 * h * f;
  r->act_have = r->wgt_have = INFINITY;
  for (uint32_t v = 0; v < c.nv; v++) {
    r->act_have = min_d(r->act_have, (double)tsr_buffer_words(&c.var[v].die->act_buffer));
    r->wgt_have = min_d(r->wgt_have, (double)tsr_buffer_words(&c.var[v].die->weight_buffer));
  }
  double per_sample = tsr_sram_act_words(m, c.rows, c.cols, w->seq, h, f);
  uint32_t fit = (uint32_t)min_d(w->batch, floor(r->act_have / per_sample));
  uint32_t bmb = fit < 1 ? 1 : fit;
  while (w->batch % bmb)
    bmb--; /* whole mini-batches */
  r->mb_samples = bmb;
  r->minibatches = w->batch / bmb;
  r->act_need = per_sample * bmb;
  double need_all = tsr_sram_wgt_words(m, c.rows, c.cols, wa + wf, max_d(3 * h * h, h * f));
  double need_blk = max_d(tsr_sram_wgt_words(m, c.rows, c.cols, wa, 3 * h * h),
                          tsr_sram_wgt_words(m, c.rows, c.cols, h * f, h * f));
  double need_one = tsr_sram_wgt_words(m, c.rows, c.cols, h * f, h * f);
  int fusion = s->fusion && need_all <= r->wgt_have   ? TSR_FUSE_ALL
               : s->fusion && need_blk <= r->wgt_have ? TSR_FUSE_ATTN
                                                      : TSR_FUSE_NONE;
  r->fusion = fusion;
  r->wgt_need = fusion == TSR_FUSE_ALL ? need_all : fusion == TSR_FUSE_ATTN ? need_blk : need_one;
  r->sram_ok = fit >= 1 && r->wgt_need <= r->wgt_have;
  c.samples = bmb;
  c.minibatches = r->minibatches;
  c.t = (double)bmb * w->seq;

  /* on-package work of each block for one mini-batch */
  static const tsr_block order[TSR_N_BLOCKS] = {TSR_B_FWD_ATTN, TSR_B_FWD_FFN, TSR_B_BWD_FFN,
                                                TSR_B_BWD_ATTN};
  blk bl[TSR_N_BLOCKS], once[TSR_N_BLOCKS]; /* per mini-batch, and once per iteration */
  memset(bl, 0, sizeof bl);
  memset(once, 0, sizeof once);
  for (int i = 0; i < TSR_N_BLOCKS; i++) {
    tsr_block b = order[i];
    if (m == TSR_M_HECATON)
      hecaton_block(&c, b, &bl[i]);
    else
      other_block(&c, b, &bl[i]);
    blk nl; /* the non-linearities, kept apart to report them */
    memset(&nl, 0, sizeof nl);
    nonlinear(&c, &nl, &once[i], b, bl[i].nl);
    bl[i].nl_nop[0] = nl.cyc[TSR_T_LINK], bl[i].nl_nop[1] = nl.cyc[TSR_T_TRANS];
    bl[i].nl_pj = die_pj(e, &nl);
    merge(&bl[i], &nl); /* with LayerNorm's collectives' link and flits */
    once[i].nl_nop[0] = once[i].cyc[TSR_T_LINK], once[i].nl_nop[1] = once[i].cyc[TSR_T_TRANS];
    once[i].nl_pj = die_pj(e, &once[i]);
  }

  /* DRAM: the IO dies in use, each limited by its channels or its link (a
     photonic IO link at one flit per Ser cycles) */
  double n_io = (double)c.rows * (c.cols >= 2 ? 2 : 1);
  uint32_t wpf = cfg->router.flit_bits / 32;
  double link_bytes =
      4.0 * wpf * TSR_NI_MAX_BODY / (TSR_NI_MAX_BODY + 1) / c.lc[TSR_LC_IO].pace;
  r->dram_bytes_per_cycle = n_io * min_d(tsr_io_bw_milli(cfg) / 1000.0, link_bytes);
  double lat = (double)tsr_io_latency_cycles(cfg);
  /* the average die's distance to its IO die, links (and routers) */
  double hops = 0;
  for (uint32_t col = 0; col < c.cols; col++)
    hops += tsr_io_side(cfg, (int)col) ? c.cols - col : col + 1.0;
  hops /= c.cols;

  double nmb = r->minibatches, tok = (double)w->batch * w->seq;
  int stages = fusion == TSR_FUSE_ALL ? 2 : 4;
  for (int st = 0; st < stages; st++) {
    int first = fusion == TSR_FUSE_ALL ? 2 * st : st,
        last = fusion == TSR_FUSE_ALL ? 2 * st + 1 : st;
    double on = 0;
    for (int i = first; i <= last; i++) {
      for (int k = 0; k < TSR_T_DRAM; k++)
        on += bl[i].cyc[k];
      add_block(r, e, c.n, order[i], &bl[i], nmb);
      add_block(r, e, c.n, order[i], &once[i], 1); /* outside the DRAM pipeline */
    }
    int bwd = st >= stages / 2;
    double rw[2];
    dram_words(fusion, fusion == TSR_FUSE_ALL ? 2 * st : st, f / h, rw);
    double weights = fusion == TSR_FUSE_ALL ? wa + wf : (st == 0 || st == 3) ? wa : wf;
    double words_r = rw[0] * tok * h + weights, words_w = rw[1] * tok * h + (bwd ? weights : 0);
    double bytes = 4 * (words_r + words_w);
    double off = bytes / nmb / r->dram_bytes_per_cycle + lat, exposed;
    tsr_sys_pipeline(nmb, on, off, s->overlap, &exposed);
    r->cycles[TSR_T_DRAM] += exposed;
    r->dram_bytes += bytes;
    r->pj[TSR_EN_DRAM] += 8 * bytes * e->dram_bit;
    r->pj[TSR_EN_SRAM] += 32 * (words_r * e->sram_write_bit + words_w * e->sram_read_bit);
    /* into the mesh over the IO link, then along the row's links */
    r->pj[TSR_EN_NOP] += 8 * bytes *
                         (c.lc[TSR_LC_IO].pj_per_bit + (hops - 1) * c.lc[TSR_LC_ROW].pj_per_bit +
                          hops * e->router_flit_bit);
    if (bwd) { /* the weight update: a VAXPY of each die's share of the weights */
      blk up;
      memset(&up, 0, sizeof up);
      double upd = vector_op(&c, &up, 1, TSR_OP_VAXPY, weights / c.n);
      r->cycles[TSR_T_COMPUTE] += upd;
      r->pj[TSR_EN_COMPUTE] += c.n * (up.fma * e->fma_op + up.imem * e->imem_read_bit);
      r->pj[TSR_EN_SRAM] += c.n * (up.sram_r * e->sram_read_bit + up.sram_w * e->sram_write_bit);
      r->update_cycles += upd;
    }
  }
  for (int k = 0; k < TSR_N_TTERMS; k++)
    r->total_cycles += r->cycles[k];
  r->seconds = r->total_cycles / (cfg->technology.clock_mhz * 1e6);
  /* the photonic stubs' thermal tuning, drawn every cycle of the iteration */
  r->photonic_static_pj = stubs * cfg->photonic.static_mw * 1e-3 * r->seconds * 1e12;
  r->pj[TSR_EN_NOP] += r->photonic_static_pj;
  for (int k = 0; k < TSR_N_ETERMS; k++)
    r->energy_pj += r->pj[k];
  r->edp = r->seconds * r->energy_pj * 1e-12;
}
