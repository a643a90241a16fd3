/* traffic.c - the network traffic harness (traffic.h). */
#include "traffic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "noc.h"

const char *const tsr_pattern_names[TSR_N_TRAFFIC] = {
    "none", "uniform", "transpose", "bitcomp", "hotspot", "neighbour", "ring",
};

/* One packet, from generation to delivery. */
typedef struct {
  int dst;            /* endpoint id */
  int nflits;
  uint32_t key;       /* payload seed: the data is a function of key and position */
  int origin, hops;   /* all-gather: whose chunk, how many ring hops so far */
  int64_t gen, head, tail;
} packet;

typedef struct {
  int grp, idx, x, y, die;
  int depth;          /* credits this endpoint's receive side advertises */
  double bp;          /* probability of taking no flit in a cycle */
  /* sender */
  packet *pk;         /* every packet this endpoint generated, by number */
  size_t n_pk, cap_pk, next_send;
  int flit_in_pkt;    /* next flit of pk[next_send] to inject */
  int credits;
  /* receiver */
  int rx_fill, credit_back;
  int rx_src, rx_num, rx_flit;  /* packet being received, flit index; rx_src -1 if none */
} endpoint;

struct tsr_traffic {
  const tsr_config *cfg;
  tsr_noc_sim *sim;
  tsr_traffic_opts o;
  uint64_t rng;
  int fw, words, rows, cols, dies;
  int base[TSR_N_GRPS], n_ep;
  endpoint *ep;
  uint32_t *last_num;    /* [src * n_ep + dst]: last packet number delivered, +1 */
  uint64_t in_flight;    /* flits injected and not yet delivered */
  uint64_t last_move;
  int allgather_ring, ag_packets;  /* -1 if no all-gather */
  uint32_t *ag_got;      /* [die * dies + origin] packets of origin's chunk at die */
  int fault_done, stalled; /* the planted fault (opts.fault) has struck */
  tsr_traffic_stats st;
  char err[512];
};

/* ---- helpers ------------------------------------------------------------------- */

const char *const tsr_fault_names[TSR_N_FAULTS] = {"none", "drop", "duplicate", "corrupt", "stall"};

/* Whether the planted fault strikes this delivered flit (once, after 1000
 * flits); corrupts the flit or stalls the endpoints as the fault says. */
static int plant_fault(tsr_traffic *t, uint32_t *f) {
  if (t->o.fault == TSR_FAULT_NONE || t->fault_done || t->st.flits_delivered < 1000) return 0;
  t->fault_done = 1;
  if (t->o.fault == TSR_FAULT_CORRUPT) f[0] ^= 1u << 17;
  if (t->o.fault == TSR_FAULT_STALL) t->stalled = 1;
  return 1;
}

static uint64_t next_rand(tsr_traffic *t) {  /* xorshift64* */
  t->rng ^= t->rng >> 12;
  t->rng ^= t->rng << 25;
  t->rng ^= t->rng >> 27;
  return t->rng * 2685821657736338717ull;
}
static double uniform01(tsr_traffic *t) { return (double)(next_rand(t) >> 11) / 9007199254740992.0; }

static uint32_t mix(uint32_t a, uint32_t b) {
  uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u + (a << 6) + (a >> 2));
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  return h;
}

static int fail(tsr_traffic *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static int fail(tsr_traffic *t, const char *fmt, ...) {
  if (!t->st.error) {
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(t->err, sizeof t->err, "cycle %llu: ", (unsigned long long)t->st.cycles);
    vsnprintf(t->err + n, sizeof t->err - (size_t)n, fmt, ap);
    va_end(ap);
    t->st.error = t->err;
  }
  return -1;
}

static int ep_id(const tsr_traffic *t, tsr_ep e) { return t->base[e.grp] + e.idx; }

static void put_bits(uint32_t *f, int lo, int width, uint32_t v) {
  for (int b = 0; b < width; b++) {
    int i = lo + b;
    f[i / 32] = (f[i / 32] & ~(1u << (i % 32))) | (((v >> b) & 1u) << (i % 32));
  }
}
static uint32_t get_bits(const uint32_t *f, int lo, int width) {
  uint32_t v = 0;
  for (int b = 0; b < width; b++) v |= ((f[(lo + b) / 32] >> ((lo + b) % 32)) & 1u) << b;
  return v;
}

/* Flit k of packet num from endpoint s. */
static void make_flit(const tsr_traffic *t, const endpoint *s, size_t num, int k, uint32_t *f) {
  const packet *p = &s->pk[num];
  const endpoint *d = &t->ep[p->dst];
  int flit_bits = t->fw - 2;
  memset(f, 0, sizeof(uint32_t) * TSR_FLIT_WORDS_MAX);
  if (k == 0) {
    put_bits(f, TSR_HEAD_DST_X, TSR_HEAD_DST_X_W, (uint32_t)d->x);
    put_bits(f, TSR_HEAD_DST_Y, TSR_HEAD_DST_Y_W, (uint32_t)d->y);
    put_bits(f, TSR_HEAD_SRC_X, TSR_HEAD_SRC_X_W, (uint32_t)s->x);
    put_bits(f, TSR_HEAD_SRC_Y, TSR_HEAD_SRC_Y_W, (uint32_t)s->y);
    put_bits(f, TSR_HEAD_BODY, TSR_HEAD_BODY_W, (uint32_t)(p->nflits - 1));
    put_bits(f, TSR_HEAD_ADDR, TSR_HEAD_ADDR_W, (uint32_t)num);
  } else {
    for (int w = 0; w < flit_bits / 32; w++) f[w] = mix(p->key, (uint32_t)(k * 64 + w));
  }
  put_bits(f, flit_bits + 1, 1, k == 0);
  put_bits(f, flit_bits, 1, k == p->nflits - 1);
}

/* The endpoint a head flit says it came from, seen by receiver r. */
static int source_of(const tsr_traffic *t, const endpoint *r, int sx, int sy) {
  if (sy < 0 || sy >= t->rows || sx < 0 || sx > t->cols + 1) return -1;
  if (sx == 0 || sx == t->cols + 1) {
    if (!t->sim->has[TSR_GRP_IO] || r->grp != TSR_GRP_LOCAL) return -1;
    return t->base[TSR_GRP_IO] + 2 * sy + (sx != 0);
  }
  int grp = r->grp == TSR_GRP_IO ? TSR_GRP_LOCAL : r->grp;
  return t->base[grp] + sy * t->cols + (sx - 1);
}

static int ring_next_die(const tsr_traffic *t, int ring, int die) {
  int r = die / t->cols, c = die % t->cols;
  if (ring == TSR_RING_ROW) return r * t->cols + tsr_ring_next(c, t->cols);
  return tsr_ring_next(r, t->rows) * t->cols + c;
}

/* ---- construction -------------------------------------------------------------- */

tsr_traffic *tsr_traffic_new(const tsr_config *cfg, tsr_noc_sim *sim, const tsr_traffic_opts *o) {
  tsr_traffic *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->cfg = cfg;
  t->sim = sim;
  t->o = *o;
  if (!t->o.watchdog) t->o.watchdog = 2000;
  if (t->o.min_flits < 1) t->o.min_flits = 1;
  if (t->o.max_flits < t->o.min_flits) t->o.max_flits = t->o.min_flits;
  t->rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  t->fw = (int)cfg->router.flit_bits + 2;
  t->words = (t->fw + 31) / 32;
  t->rows = (int)cfg->mesh.rows;
  t->cols = (int)cfg->mesh.cols;
  t->dies = t->rows * t->cols;
  int size[TSR_N_GRPS] = {t->dies, sim->has[TSR_GRP_IO] ? 2 * t->rows : 0,
                          sim->has[TSR_GRP_RING_ROW] ? t->dies : 0,
                          sim->has[TSR_GRP_RING_COL] ? t->dies : 0};
  for (int g = 0; g < TSR_N_GRPS; g++) {
    t->base[g] = t->n_ep;
    t->n_ep += size[g];
  }
  t->ep = calloc((size_t)t->n_ep, sizeof *t->ep);
  t->last_num = calloc((size_t)t->n_ep * (size_t)t->n_ep, sizeof *t->last_num);
  t->ag_got = calloc((size_t)t->dies * (size_t)t->dies, sizeof *t->ag_got);
  t->allgather_ring = -1;
  if (!t->ep || !t->last_num || !t->ag_got) {
    tsr_traffic_free(t);
    return NULL;
  }
  for (int g = 0; g < TSR_N_GRPS; g++)
    for (int i = 0; i < size[g]; i++) {
      endpoint *e = &t->ep[t->base[g] + i];
      e->grp = g;
      e->idx = i;
      e->rx_src = -1;
      e->bp = o->backpressure;
      if (g == TSR_GRP_IO) {
        e->y = i / 2;
        e->x = i % 2 ? t->cols + 1 : 0;
        e->die = -1;
      } else {
        e->die = i;
        e->y = i / t->cols;
        e->x = i % t->cols + 1;
      }
      int ring = g == TSR_GRP_RING_ROW || g == TSR_GRP_RING_COL;
      e->depth = ring ? (int)tsr_ring_depth(cfg) : (int)cfg->router.fifo_depth;
      e->credits = e->depth; /* every receiver holds as many flits as its sender's credits */
    }
  sim->reset(sim->ctx);
  if (t->o.yx_table && sim->has_table) {
    /* Load YX routes into every router: the harness then expects YX paths. */
    int nx = t->cols + 2;
    for (int d = 0; d < t->dies; d++)
      for (int dy = 0; dy < t->rows; dy++)
        for (int dx = 0; dx < nx; dx++) {
          int x = d % t->cols + 1, y = d / t->cols, port;
          if (dy != y) port = dy > y ? TSR_PORT_S : TSR_PORT_N;
          else port = tsr_xy_port(x, y, dx, dy);
          sim->set_table(sim->ctx, 1, (uint32_t)d, (uint32_t)(dy * nx + dx), (uint32_t)port);
          sim->eval_comb(sim->ctx);
          sim->tick(sim->ctx);
        }
    sim->set_table(sim->ctx, 0, 0, 0, 0);
  }
  /* Counters start from zero at reset; the photonic links count powered
   * cycles from here, so cycles are counted from here too. */
  return t;
}

void tsr_traffic_free(tsr_traffic *t) {
  if (!t) return;
  for (int i = 0; t->ep && i < t->n_ep; i++) free(t->ep[i].pk);
  free(t->ep);
  free(t->last_num);
  free(t->ag_got);
  free(t);
}

const tsr_traffic_stats *tsr_traffic_get_stats(const tsr_traffic *t) { return &t->st; }

void tsr_traffic_set_backpressure(tsr_traffic *t, tsr_ep ep, double p) { t->ep[ep_id(t, ep)].bp = p; }

void tsr_traffic_packet_times(const tsr_traffic *t, int64_t id, int64_t *gen, int64_t *head,
                              int64_t *tail) {
  const endpoint *s = &t->ep[id >> 32];
  const packet *p = &s->pk[id & 0xFFFFFFFF];
  *gen = p->gen;
  *head = p->head;
  *tail = p->tail;
}

int tsr_traffic_packet_flits(const tsr_traffic *t, int64_t id) {
  return t->ep[id >> 32].pk[id & 0xFFFFFFFF].nflits;
}

static int64_t enqueue(tsr_traffic *t, int src, int dst, int nflits, uint32_t key, int origin,
                       int hops) {
  endpoint *s = &t->ep[src];
  if (s->n_pk == s->cap_pk) {
    size_t cap = s->cap_pk ? 2 * s->cap_pk : 256;
    packet *np = realloc(s->pk, cap * sizeof *np);
    if (!np) return fail(t, "out of memory");
    s->pk = np;
    s->cap_pk = cap;
  }
  if (s->n_pk >= (1u << 24)) return fail(t, "endpoint %d: more than 2^24 packets", src);
  packet *p = &s->pk[s->n_pk];
  *p = (packet){dst, nflits, key, origin, hops, (int64_t)t->st.cycles, -1, -1};
  t->st.packets_sent++;
  t->st.flits_offered += (uint64_t)nflits;
  return ((int64_t)src << 32) | (int64_t)s->n_pk++;
}

int64_t tsr_traffic_send(tsr_traffic *t, tsr_ep src, tsr_ep dst, int nflits) {
  int s = ep_id(t, src);
  uint32_t key = mix((uint32_t)s, (uint32_t)t->ep[s].n_pk);
  return enqueue(t, s, ep_id(t, dst), nflits, key, -1, 0);
}

void tsr_traffic_allgather(tsr_traffic *t, int ring, int packets, int body) {
  int g = ring == TSR_RING_ROW ? TSR_GRP_RING_ROW : TSR_GRP_RING_COL;
  t->allgather_ring = ring;
  t->ag_packets = packets;
  for (int d = 0; d < t->dies; d++)
    for (int k = 0; k < packets; k++)
      enqueue(t, t->base[g] + d, t->base[g] + ring_next_die(t, ring, d), body + 1,
              mix((uint32_t)d, (uint32_t)k + 0x10000u), d, 1);
}

/* ---- traffic generation -------------------------------------------------------- */

static int pattern_dst(tsr_traffic *t, int die) {
  int r = die / t->cols, c = die % t->cols, d;
  switch (t->o.pattern) {
  case TSR_TRAFFIC_TRANSPOSE:
    if (t->rows != t->cols || r == c) return -1;
    return c * t->cols + r;
  case TSR_TRAFFIC_BITCOMP:
    d = (t->rows - 1 - r) * t->cols + (t->cols - 1 - c);
    return d == die ? -1 : d;
  case TSR_TRAFFIC_HOTSPOT:
    d = (t->rows / 2) * t->cols + t->cols / 2;
    if (d != die && uniform01(t) < 0.2) return d;
    /* fall through */
  case TSR_TRAFFIC_UNIFORM:
    if (t->dies < 2) return -1;
    d = (int)(next_rand(t) % (uint64_t)(t->dies - 1));
    return d >= die ? d + 1 : d;
  case TSR_TRAFFIC_NEIGHBOUR: {
    int nb[4], n = 0;
    if (c + 1 < t->cols) nb[n++] = die + 1;
    if (c > 0) nb[n++] = die - 1;
    if (r + 1 < t->rows) nb[n++] = die + t->cols;
    if (r > 0) nb[n++] = die - t->cols;
    return n ? nb[next_rand(t) % (uint64_t)n] : -1;
  }
  default:
    return -1;
  }
}

static int packet_len(tsr_traffic *t) {
  int span = t->o.max_flits - t->o.min_flits + 1;
  return t->o.min_flits + (int)(next_rand(t) % (uint64_t)span);
}

static void generate(tsr_traffic *t) {
  double mean = (t->o.min_flits + t->o.max_flits) / 2.0, p = t->o.load / mean;
  if (t->o.pattern == TSR_TRAFFIC_RING) {
    for (int ring = 0; ring < 2; ring++) {
      int g = ring == TSR_RING_ROW ? TSR_GRP_RING_ROW : TSR_GRP_RING_COL;
      if (!t->sim->has[g]) continue;
      for (int d = 0; d < t->dies; d++)
        if (uniform01(t) < p) {
          int s = t->base[g] + d;
          enqueue(t, s, t->base[g] + ring_next_die(t, ring, d), packet_len(t),
                  mix((uint32_t)s, (uint32_t)t->ep[s].n_pk), -1, 0);
        }
    }
    return;
  }
  for (int d = 0; d < t->dies; d++) {
    if (uniform01(t) >= p) continue;
    int dst = pattern_dst(t, d);
    if (dst < 0) continue;
    tsr_traffic_send(t, (tsr_ep){TSR_GRP_LOCAL, d}, (tsr_ep){TSR_GRP_LOCAL, dst}, packet_len(t));
  }
}

/* ---- one cycle ------------------------------------------------------------------ */

static int receive(tsr_traffic *t, endpoint *r, const uint32_t *f) {
  int flit_bits = t->fw - 2;
  int head = (int)get_bits(f, flit_bits + 1, 1), tail = (int)get_bits(f, flit_bits, 1);
  int me = (int)(r - t->ep);
  if (r->rx_fill >= r->depth)
    return fail(t, "endpoint %d/%d: flit delivered with no credit (receive buffer of %d full)",
                r->grp, r->idx, r->depth);
  r->rx_fill++;
  if (r->rx_src < 0) {
    if (!head) return fail(t, "endpoint %d/%d: body flit without a head", r->grp, r->idx);
    int dx = (int)get_bits(f, TSR_HEAD_DST_X, TSR_HEAD_DST_X_W);
    int dy = (int)get_bits(f, TSR_HEAD_DST_Y, TSR_HEAD_DST_Y_W);
    if (dx != r->x || dy != r->y)
      return fail(t, "endpoint %d/%d at (%d, %d) got a packet for (%d, %d)", r->grp, r->idx, r->x,
                  r->y, dx, dy);
    int src = source_of(t, r, (int)get_bits(f, TSR_HEAD_SRC_X, TSR_HEAD_SRC_X_W),
                        (int)get_bits(f, TSR_HEAD_SRC_Y, TSR_HEAD_SRC_Y_W));
    uint32_t num = get_bits(f, TSR_HEAD_ADDR, TSR_HEAD_ADDR_W);
    if (src < 0 || num >= t->ep[src].n_pk || t->ep[src].pk[num].dst != me)
      return fail(t, "endpoint %d/%d: head of an unknown packet (source %d, number %u)", r->grp,
                  r->idx, src, num);
    uint32_t *last = &t->last_num[(size_t)src * (size_t)t->n_ep + (size_t)me];
    if (num + 1 <= *last)
      return fail(t, "endpoint %d/%d: packet %u from endpoint %d arrived after packet %u "
                  "(duplicated or reordered)", r->grp, r->idx, num, src, *last - 1);
    *last = num + 1;
    r->rx_src = src;
    r->rx_num = (int)num;
    r->rx_flit = 0;
  } else if (head) {
    return fail(t, "endpoint %d/%d: head flit inside packet %d from endpoint %d", r->grp, r->idx,
                r->rx_num, r->rx_src);
  }
  endpoint *s = &t->ep[r->rx_src];
  packet *p = &s->pk[r->rx_num];
  uint32_t want[TSR_FLIT_WORDS_MAX];
  make_flit(t, s, (size_t)r->rx_num, r->rx_flit, want);
  if (memcmp(want, f, sizeof(uint32_t) * (size_t)t->words) != 0)
    return fail(t, "endpoint %d/%d: flit %d of packet %d from endpoint %d corrupted", r->grp,
                r->idx, r->rx_flit, r->rx_num, r->rx_src);
  if (r->rx_flit == 0) p->head = (int64_t)t->st.cycles;
  t->st.flits_delivered++;
  t->in_flight--;
  if (t->st.cycles >= t->o.warmup) t->st.window_flits++;
  if (++r->rx_flit < p->nflits) return tail ? fail(t, "early tail") : 0;
  /* tail */
  p->tail = (int64_t)t->st.cycles;
  t->st.packets_delivered++;
  if (p->gen >= (int64_t)t->o.warmup) {
    uint64_t lat = (uint64_t)(p->tail - p->gen);
    t->st.lat_n++;
    t->st.lat_sum += lat;
    if (lat > t->st.lat_max) t->st.lat_max = lat;
  }
  if (p->origin >= 0) { /* all-gather: keep the chunk, forward it unless it is home */
    t->ag_got[(size_t)r->die * (size_t)t->dies + (size_t)p->origin]++;
    int next = ring_next_die(t, t->allgather_ring, r->die);
    if (next != p->origin)
      enqueue(t, me, t->base[r->grp] + next, p->nflits, p->key, p->origin, p->hops + 1);
  }
  r->rx_src = -1;
  return 0;
}

int tsr_traffic_step(tsr_traffic *t, int generate_on) {
  if (t->st.error) return -1;
  tsr_noc_sim *sim = t->sim;
  if (generate_on) generate(t);
  uint32_t f[TSR_FLIT_WORDS_MAX];
  /* Drive this cycle's inputs: one flit per sender holding a credit, and
   * the credits the receivers give back. */
  for (int i = 0; i < t->n_ep; i++) {
    endpoint *e = &t->ep[i];
    int vld = e->next_send < e->n_pk && e->credits > 0;
    if (vld) {
      make_flit(t, e, e->next_send, e->flit_in_pkt, f);
      e->credits--;
      t->in_flight++;
      t->st.flits_injected++;
      t->last_move = t->st.cycles;
      if (++e->flit_in_pkt == e->pk[e->next_send].nflits) {
        e->flit_in_pkt = 0;
        e->next_send++;
      }
    }
    sim->set_inj(sim->ctx, e->grp, e->idx, vld, f);
    sim->set_ej_credit(sim->ctx, e->grp, e->idx, e->credit_back);
    e->credit_back = 0;
  }
  sim->eval_comb(sim->ctx);
  for (int i = 0; i < t->n_ep; i++) {
    endpoint *e = &t->ep[i];
    if (sim->inj_credit(sim->ctx, e->grp, e->idx)) e->credits++;
    if (sim->ej(sim->ctx, e->grp, e->idx, f)) {
      t->last_move = t->st.cycles;
      if (plant_fault(t, f)) {
        if (t->o.fault == TSR_FAULT_DUPLICATE && receive(t, e, f)) return -1;
        if (t->o.fault != TSR_FAULT_DROP && receive(t, e, f)) return -1;
      } else if (receive(t, e, f)) {
        return -1;
      }
    }
    /* Back-pressure: the endpoint takes one buffered flit, or not. */
    if (e->rx_fill > 0 && uniform01(t) >= e->bp && !t->stalled) {
      e->rx_fill--;
      e->credit_back = 1;
    }
  }
  sim->tick(sim->ctx);
  t->st.cycles++;
  if (t->st.cycles > t->o.warmup) t->st.window_cycles++;
  if (t->in_flight > 0 && t->st.cycles - t->last_move > t->o.watchdog)
    return fail(t, "watchdog: %llu flits in flight and none moved for %llu cycles (deadlock?)",
                (unsigned long long)t->in_flight, (unsigned long long)t->o.watchdog);
  return 0;
}

static int busy(const tsr_traffic *t) {
  if (t->in_flight) return 1;
  for (int i = 0; i < t->n_ep; i++)
    if (t->ep[i].next_send < t->ep[i].n_pk || t->ep[i].rx_fill) return 1;
  return 0;
}

int tsr_traffic_drain(tsr_traffic *t, uint64_t max_cycles) {
  for (uint64_t c = 0; c < max_cycles && busy(t); c++)
    if (tsr_traffic_step(t, 0)) return -1;
  /* a few idle cycles so the last credits settle back at their senders */
  for (int c = 0; c < 64; c++)
    if (tsr_traffic_step(t, 0)) return -1;
  if (busy(t)) return fail(t, "not drained after %llu cycles", (unsigned long long)max_cycles);
  return 0;
}

/* ---- end of run: delivery and counters ----------------------------------------- */

static int check_counter(tsr_traffic *t, uint32_t sel, uint64_t want, const char *what, int a, int b) {
  uint32_t got = t->sim->counter(t->sim->ctx, sel);
  if (got != (uint32_t)want)
    return fail(t, "counter %s (%d, %d): RTL %u, expected %llu", what, a, b, got,
                (unsigned long long)want);
  return 0;
}

int tsr_traffic_check_end(tsr_traffic *t) {
  if (t->st.error) return -1;
  int D = t->dies, cols = t->cols;
  uint64_t *port = calloc((size_t)D * TSR_N_PORTS, sizeof *port);
  uint64_t *ring_tx = calloc((size_t)D * 2, sizeof *ring_tx), *byp = calloc((size_t)D * 2, sizeof *byp);
  uint64_t io_in[2 * TSR_MAX_ROWS] = {0};
  if (!port || !ring_tx || !byp) return fail(t, "out of memory");
  for (int i = 0; i < t->n_ep; i++) {
    endpoint *s = &t->ep[i];
    for (size_t n = 0; n < s->n_pk; n++) {
      packet *p = &s->pk[n];
      if (p->tail < 0) {
        free(port), free(ring_tx), free(byp);
        return fail(t, "packet %zu from endpoint %d/%d to endpoint %d lost", n, s->grp, s->idx, p->dst);
      }
      if (s->grp == TSR_GRP_RING_ROW || s->grp == TSR_GRP_RING_COL) {
        int ring = s->grp == TSR_GRP_RING_ROW ? TSR_RING_ROW : TSR_RING_COL;
        int pos = ring == TSR_RING_ROW ? s->die % cols : s->die / cols;
        int n_line = ring == TSR_RING_ROW ? cols : t->rows;
        int next = tsr_ring_next(pos, n_line);
        ring_tx[s->die * 2 + ring] += (uint64_t)p->nflits;
        if (next - pos == 2 || pos - next == 2) {
          int mid = (pos + next) / 2;
          int die = ring == TSR_RING_ROW ? (s->die / cols) * cols + mid : mid * cols + s->die % cols;
          byp[die * 2 + ring] += (uint64_t)p->nflits;
        }
        continue;
      }
      /* Walk the packet's route through the routers. */
      const endpoint *d = &t->ep[p->dst];
      int x = s->x, y = s->y;
      if (s->grp == TSR_GRP_IO) {
        io_in[s->idx] += (uint64_t)p->nflits;
        x = x == 0 ? 1 : cols;
      }
      for (int hops = 0;; hops++) {
        int pt;
        if (t->o.yx_table && t->sim->has_table && d->y != y && d->x >= 1 && d->x <= cols)
          pt = d->y > y ? TSR_PORT_S : TSR_PORT_N;
        else
          pt = tsr_xy_port(x, y, d->x, d->y);
        port[(y * cols + x - 1) * TSR_N_PORTS + pt] += (uint64_t)p->nflits;
        if (pt == TSR_PORT_L) break;
        x += pt == TSR_PORT_E ? 1 : pt == TSR_PORT_W ? -1 : 0;
        y += pt == TSR_PORT_S ? 1 : pt == TSR_PORT_N ? -1 : 0;
        if (x < 1 || x > cols || hops > 4 * (t->rows + cols)) break;  /* into an IO die */
      }
    }
  }
  int rc = 0;
  for (int d = 0; d < D && !rc; d++)
    for (int p = 0; p < TSR_N_PORTS && !rc; p++) {
      rc = check_counter(t, tsr_cnt_router(t->cfg, d, p), port[d * TSR_N_PORTS + p], "router port", d, p);
      int kind = p ? tsr_port_link_kind(t->cfg, d / cols, d % cols, p) : -1;
      if (!rc && kind >= 0)
        rc = check_counter(t, tsr_cnt_link(t->cfg, d, p), port[d * TSR_N_PORTS + p], "link", d, p);
      if (!rc && kind == TSR_LINK_PHOTONIC)
        rc = check_counter(t, tsr_cnt_powered(t->cfg, d, p), t->st.cycles, "photonic powered cycles", d, p);
    }
  for (int r = 0; r < t->rows && !rc && t->sim->has[TSR_GRP_IO]; r++)
    for (int s = 0; s < 2 && !rc; s++)
      rc = check_counter(t, tsr_cnt_io_link(t->cfg, r, s), io_in[2 * r + s], "IO link (row, side)", r, s);
  for (int d = 0; d < D && !rc; d++)
    for (int ring = 0; ring < 2 && !rc; ring++) {
      if (!t->sim->has[ring == TSR_RING_ROW ? TSR_GRP_RING_ROW : TSR_GRP_RING_COL]) continue;
      rc = check_counter(t, tsr_cnt_ring_tx(t->cfg, d, ring), ring_tx[d * 2 + ring], "ring sender (die, ring)", d, ring);
      if (!rc)
        rc = check_counter(t, tsr_cnt_bypass(t->cfg, d, ring), byp[d * 2 + ring], "bypass (die, ring)", d, ring);
    }
  free(port), free(ring_tx), free(byp);
  if (rc) return -1;
  if (t->allgather_ring >= 0) {
    int ring = t->allgather_ring;
    for (int d = 0; d < D; d++) {
      int line = ring == TSR_RING_ROW ? d / cols : d % cols;
      for (int o = 0; o < D; o++) {
        int o_line = ring == TSR_RING_ROW ? o / cols : o % cols;
        uint32_t want = (o != d && o_line == line) ? (uint32_t)t->ag_packets : 0;
        if (t->ag_got[(size_t)d * (size_t)D + (size_t)o] != want)
          return fail(t, "all-gather: die %d holds %u packets of die %d's chunk, expected %u", d,
                      t->ag_got[(size_t)d * (size_t)D + (size_t)o], o, want);
      }
    }
  }
  return 0;
}
