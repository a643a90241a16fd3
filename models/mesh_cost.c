/* mesh_cost.c - see mesh_cost.h. Timing offsets, measured on the RTL and
 * derived in docs/cost-model.md ("The mesh"):
 *
 *   a SEND, DRD or DWR hands its command over in NETCMD, the first cycle from
 *   FETCH + 2 that the transmitter is free; the network interface launches a
 *   SEND's flits one per cycle from NETCMD + 2; the SEND retires two cycles
 *   after its last flit (tsr_send_cycles), or async in NETCMD + 1; FENCE and
 *   HALT retire once the transmitter is free;
 *   a flit launched in cycle S is taken by the receiver in
 *     S + 1 + 2 x routers + link cycles + bypass channels (+ 1 from an IO die);
 *   its words count towards WAIT from the next cycle, and WAIT retires one
 *   cycle after its count is reached, at the earliest FETCH + 3;
 *   an IO die takes a read job Latency cycles after it took its request
 *   (or when its transmitter frees), sends the head a cycle later and then
 *   one body flit per cycle while its token bucket holds the words' bytes. */
#include "mesh_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mesh.h"
#include "noc.h"

#define NEVER UINT64_MAX
#ifndef GAP
#define GAP 1
#endif

/* A channel's reservations: busy spans [s, e), sorted, not overlapping. */
typedef struct {
  uint64_t s, e;
  int owner; /* who holds it: the input port of a router output */
} span;
typedef struct {
  span *v;
  size_t n, cap;
} channel;

/* The earliest start >= t of a free run of len cycles; reserves it. A span
 * after another owner's needs `gap` idle cycles between them. */
static uint64_t reserve(channel *ch, uint64_t t, uint64_t len, int owner, uint64_t gap) {
  size_t i = 0;
  while (i < ch->n && ch->v[i].e + gap <= t) i++;
  while (i < ch->n && ch->v[i].s < t + len + gap) {
    uint64_t after = ch->v[i].e + (ch->v[i].owner == owner ? 0 : gap);
    if (after > t) t = after;
    i++;
  }
  if (ch->n == ch->cap) {
    size_t cap = ch->cap ? 2 * ch->cap : 16;
    span *v = realloc(ch->v, cap * sizeof *v);
    if (!v) abort();
    ch->v = v;
    ch->cap = cap;
  }
  memmove(ch->v + i + 1, ch->v + i, (ch->n - i) * sizeof *ch->v);
  ch->v[i] = (span){t, t + len, owner};
  ch->n++;
  return t;
}

/* Words (or one message) that count towards WAIT from cycle t on, on receive
 * channel chan (a tsr_wait_chan other than TSR_WAIT_ANY). */
typedef struct {
  uint64_t t;
  uint32_t words, msgs, chan;
  uint32_t wgt; /* written into the weight buffer (else the activation buffer) */
} arrival;

typedef struct {
  arrival *v;
  size_t n, cap;
  int sorted;
  /* cumulative thresholds of the WAITs retired, per tsr_wait_chan */
  uint64_t words_needed[TSR_WAIT_CHANS], msgs_needed[TSR_WAIT_CHANS];
} arrivals;

static void add_arrival(arrivals *a, uint64_t t, uint32_t words, uint32_t msgs, uint32_t chan,
                        uint32_t wgt) {
  if (a->n == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 64;
    arrival *v = realloc(a->v, cap * sizeof *v);
    if (!v) abort();
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = (arrival){t, words, msgs, chan, wgt};
  a->sorted = 0;
}

static int by_time(const void *x, const void *y) {
  uint64_t a = ((const arrival *)x)->t, b = ((const arrival *)y)->t;
  return (a > b) - (a < b);
}

/* The first cycle by which `need` words (or messages) have arrived on chan
 * (any channel for TSR_WAIT_ANY); NEVER if the arrivals known so far do not
 * reach it. */
static uint64_t count_reached(arrivals *a, uint64_t need, int msgs, uint32_t chan) {
  if (!a->sorted && a->n) qsort(a->v, a->n, sizeof *a->v, by_time);
  a->sorted = 1;
  uint64_t have = 0;
  if (need == 0) return 0;
  for (size_t i = 0; i < a->n; i++) {
    if (chan != TSR_WAIT_ANY && a->v[i].chan != chan) continue;
    have += msgs ? a->v[i].msgs : a->v[i].words;
    if (have >= need) return a->v[i].t;
  }
  return NEVER;
}

/* A DRD's job at an IO die: its request's body arrived in cycle `request`. */
typedef struct {
  uint64_t request;
  int io, die;
  uint32_t len;
  tsr_buf dst_buf;
  tsr_net_counts *ev; /* the DRD's events */
} io_job;

/* An IO die: receive channel, and the transmitter with its token bucket. */
typedef struct {
  uint64_t tx_free;  /* first cycle a new read job may start */
  uint64_t tokens;   /* bucket content at the start of cycle tok_t */
  uint64_t tok_t;
} io_die;

typedef struct {
  const tsr_config *cfg;
  uint64_t *cnt;       /* the network counter map, or NULL */
  tsr_net_counts *ev;  /* events of the instruction being walked, or NULL */
  int rows, cols, n;
  uint32_t wpf, depth;
  uint64_t io_latency, bw, token_cap;
  channel *port;     /* n x 5 router output ports */
  channel *rx;       /* n network interfaces' receive side */
  channel *io_rx;    /* 2 x rows IO dies' receive side */
  io_die *io;
  arrivals *arr;
  io_job *jobs;      /* DRD jobs whose answer is not yet walked */
  size_t n_jobs, cap_jobs;
} model;

/* A train of flits: launch offsets of each flit from the head's (non-
 * decreasing), and for each body flit its payload words. */
typedef struct {
  uint64_t *off;
  uint32_t *words;
  uint32_t flits;
} train;

static void bump(model *m, uint32_t counter, uint64_t flits) {
  if (m->cnt) m->cnt[counter] += flits;
}
static void event(model *m, int k, uint64_t bits) {
  if (m->ev) m->ev->c[k] += bits;
}

/* The counters and events of a packet of `flits` flits on its path (the
 * same path walk() takes). */
static void count_path(model *m, int src_die, int src_io, int dst_die, int dst_io, int ring_hops,
                       uint32_t flits) {
  const tsr_config *cfg = m->cfg;
  uint64_t bits = (uint64_t)flits * cfg->router.flit_bits;
  if (ring_hops) {
    int row = src_die / m->cols, col = src_die % m->cols;
    int ring = dst_die / m->cols == row ? TSR_RING_ROW : TSR_RING_COL;
    bump(m, tsr_cnt_ring_tx(cfg, src_die, ring), flits);
    if (ring_hops == 2) {
      int mid = ring == TSR_RING_ROW ? row * m->cols + (col + dst_die % m->cols) / 2
                                     : (row + dst_die / m->cols) / 2 * m->cols + col;
      bump(m, tsr_cnt_bypass(cfg, mid, ring), flits);
    }
    event(m, TSR_NET_LINK_BITS, (uint64_t)ring_hops * bits);
    return;
  }
  int x, y, dx, dy;
  if (src_io >= 0) {
    y = src_io / 2;
    x = src_io % 2 ? m->cols : 1;
    bump(m, tsr_cnt_io_link(cfg, y, src_io % 2), flits);
    event(m, TSR_NET_LINK_BITS, bits);
  } else {
    y = src_die / m->cols;
    x = src_die % m->cols + 1;
  }
  dy = dst_io >= 0 ? dst_io / 2 : dst_die / m->cols;
  dx = dst_io >= 0 ? (dst_io % 2 ? m->cols + 1 : 0) : dst_die % m->cols + 1;
  for (;;) {
    int port = tsr_xy_port(x, y, dx, dy), die = y * m->cols + (x - 1);
    bump(m, tsr_cnt_router(cfg, die, port), flits);
    event(m, TSR_NET_ROUTER_BITS, bits);
    if (port == TSR_PORT_L) break;
    int kind = tsr_port_link_kind(cfg, y, x - 1, port);
    if (kind >= 0) bump(m, tsr_cnt_link(cfg, die, port), flits);
    event(m, kind == TSR_LINK_PHOTONIC ? TSR_NET_PHOTONIC_BITS : TSR_NET_LINK_BITS, bits);
    if (port == TSR_PORT_E) x++;
    else if (port == TSR_PORT_W) x--;
    else if (port == TSR_PORT_S) y++;
    else y--;
    if (x == 0 || x == m->cols + 1) break; /* into an IO die */
  }
}

/* Walk a packet along its path from its launch in cycle t0: source die or IO
 * die (src_io >= 0), destination die or IO die (dst_io >= 0). Fills take[] with
 * the cycle the receiver takes each flit; returns the sender's stall (cycles
 * its FIFOs could not absorb when the head waited). */
static uint64_t walk(model *m, int src_die, int src_io, int dst_die, int dst_io, int ring_hops,
                     uint64_t t0, const train *tr, uint64_t *take) {
  const tsr_config *cfg = m->cfg;
  uint64_t span_len = tr->off[tr->flits - 1] + 1, t = t0 + 1 + (src_io >= 0), waited = 0,
           stall = 0;
  uint32_t pace = 1;
  channel *rx;
  count_path(m, src_die, src_io, dst_die, dst_io, ring_hops, tr->flits);
  if (ring_hops) { /* a ring segment is its sender's own: no contention before the receiver */
    t += (uint64_t)ring_hops * cfg->router.link_latency + (uint64_t)(ring_hops - 1) * TSR_BYPASS_CYCLES;
    rx = &m->rx[dst_die];
  } else {
    int x, y, dx, dy;
    if (src_io >= 0) {
      y = src_io / 2;
      x = src_io % 2 ? m->cols : 1; /* the edge router it feeds, over the edge's link */
      t += tsr_link_cycles(cfg, tsr_port_link_kind(cfg, y, x - 1, src_io % 2 ? TSR_PORT_E : TSR_PORT_W));
    } else {
      y = src_die / m->cols;
      x = src_die % m->cols + 1;
    }
    if (dst_io >= 0) {
      dy = dst_io / 2;
      dx = dst_io % 2 ? m->cols + 1 : 0;
    } else {
      dy = dst_die / m->cols;
      dx = dst_die % m->cols + 1;
    }
    int in_port = src_io >= 0 ? (src_io % 2 ? TSR_PORT_E : TSR_PORT_W) : TSR_PORT_L;
    for (int routers = 1;; routers++) {
      int port = tsr_xy_port(x, y, dx, dy), die = y * m->cols + (x - 1);
      t += TSR_ROUTER_CYCLES;
      /* the switch-over gap (fitted, docs/cost-model.md) only into a die */
      uint64_t start = reserve(&m->port[5 * die + port], t, span_len * pace, in_port,
                               port == TSR_PORT_L ? GAP : 0);
      waited += start - t;
      if (waited > (uint64_t)m->depth * (uint64_t)routers &&
          waited - (uint64_t)m->depth * (uint64_t)routers > stall)
        stall = waited - (uint64_t)m->depth * (uint64_t)routers;
      t = start;
      if (port == TSR_PORT_L) break;
      int kind = tsr_port_link_kind(cfg, y, x - 1, port);
      if (kind == TSR_LINK_PHOTONIC && tsr_photonic_ser(cfg) > pace) pace = tsr_photonic_ser(cfg);
      t += tsr_link_cycles(cfg, kind);
      in_port = tsr_opposite_port(port);
      if (port == TSR_PORT_E) x++;
      else if (port == TSR_PORT_W) x--;
      else if (port == TSR_PORT_S) y++;
      else y--;
      if (x == 0 || x == m->cols + 1) break; /* into an IO die */
    }
    rx = dst_io >= 0 ? &m->io_rx[dst_io] : &m->rx[dst_die];
  }
  uint64_t head = reserve(rx, t, span_len * pace, 0, 0);
  for (uint32_t k = 0; k < tr->flits; k++) {
    take[k] = head + tr->off[k];
    if (k && take[k] < take[k - 1] + pace) take[k] = take[k - 1] + pace;
  }
  return stall;
}

/* Words of the next packet of a message with `left` words to go. */
static uint32_t packet_words(const model *m, uint64_t left) {
  uint64_t per = (uint64_t)TSR_NI_MAX_BODY * m->wpf;
  return (uint32_t)(left < per ? left : per);
}

/* A packet of `words` words: head and body flits at contiguous offsets
 * (an IO die spaces them as its bandwidth allows). */
static void fill_train(const model *m, uint32_t words, train *tr) {
  uint32_t body = (words + m->wpf - 1) / m->wpf;
  tr->flits = 1 + body;
  for (uint32_t k = 0; k < tr->flits; k++) {
    tr->off[k] = k;
    tr->words[k] = 0;
  }
  for (uint32_t b = 0; b < body; b++) tr->words[1 + b] = b + 1 < body ? m->wpf : words - b * m->wpf;
}

/* Arrivals of a packet's body flits at a die's network interface, on
 * receive channel chan. */
static void land(model *m, int die, const train *tr, const uint64_t *take, int last_of_msg,
                 uint32_t chan, tsr_buf buf) {
  for (uint32_t k = 1; k < tr->flits; k++)
    add_arrival(&m->arr[die], take[k] + 1, tr->words[k], last_of_msg && k + 1 == tr->flits, chan,
                buf == TSR_BUF_WGT);
}

/* The next packet of a SEND or DWR, launched in cycle *launch with *left
 * words of the message to go; advances both. */
static void ni_send_packet(model *m, int die, const tsr_insn *in, uint64_t *left, uint64_t *launch) {
  int cols = m->cols, row = die / cols, ring_hops = 0, dst_die = -1, dst_io = -1;
  if (in->op == TSR_OP_DWR) {
    dst_io = 2 * row + tsr_io_side(m->cfg, die % cols);
  } else {
    dst_die = (int)(in->row * (uint32_t)cols + in->col);
    if (in->ring) { /* a ring successor: one link, or two with a bypass between */
      int d = (int)in->row - row + (int)in->col - die % cols;
      ring_hops = d < 0 ? -d : d;
    }
  }
  uint64_t off[TSR_MAX_PACKET_FLITS], take[TSR_MAX_PACKET_FLITS];
  uint32_t words[TSR_MAX_PACKET_FLITS];
  train tr = {off, words, 0};
  uint32_t w = packet_words(m, *left);
  fill_train(m, w, &tr);
  *left -= w;
  uint64_t stall = walk(m, die, -1, dst_die, dst_io, ring_hops, *launch, &tr, take);
  uint32_t chan = !in->ring ? TSR_WAIT_MESH : (int)in->row == row ? TSR_WAIT_ROW : TSR_WAIT_COL;
  if (dst_die >= 0) land(m, dst_die, &tr, take, *left == 0, chan, in->dst_buf);
  *launch += tr.flits + stall;
}

/* Token bucket of an IO die, advanced idle to cycle t. */
static void tokens_to(const model *m, io_die *io, uint64_t t) {
  while (io->tok_t < t && io->tokens < m->token_cap) {
    io->tokens += m->bw;
    io->tok_t++;
  }
  io->tok_t = t;
}

/* DRD from cycle fetch: the request goes now; the IO die's job waits in
 * m->jobs until no request still to be walked can reach an IO die before it
 * (see run_jobs), since the IO die serves requests in the order they arrive.
 * Returns the DRD's retire cycle. */
static uint64_t ni_read(model *m, int die, const tsr_insn *in, uint64_t fetch) {
  int row = die / m->cols, io_i = 2 * row + tsr_io_side(m->cfg, die % m->cols);
  uint64_t off[TSR_MAX_PACKET_FLITS], take[TSR_MAX_PACKET_FLITS];
  uint32_t words[TSR_MAX_PACKET_FLITS];
  train tr = {off, words, 0};
  fill_train(m, 1, &tr);
  uint64_t stall = walk(m, die, -1, -1, io_i, 0, fetch + 4, &tr, take);
  if (m->n_jobs == m->cap_jobs) {
    m->cap_jobs = m->cap_jobs ? 2 * m->cap_jobs : 16;
    m->jobs = realloc(m->jobs, m->cap_jobs * sizeof *m->jobs);
    if (!m->jobs) abort();
  }
  m->jobs[m->n_jobs++] = (io_job){take[1], io_i, die, in->len, in->dst_buf, m->ev};
  return fetch + 4 + tr.flits + stall + 1;
}

/* The IO die's answer to the job: the head the cycle after the job starts,
 * body flits as the token bucket allows. */
static void io_answer(model *m, const io_job *j) {
  uint64_t off[TSR_MAX_PACKET_FLITS], take[TSR_MAX_PACKET_FLITS];
  uint32_t words[TSR_MAX_PACKET_FLITS];
  train tr = {off, words, 0};
  io_die *io = &m->io[j->io];
  uint64_t job = j->request + m->io_latency, stall;
  if (job < io->tx_free) job = io->tx_free;
  uint64_t t = job + 1, left = j->len;
  m->ev = j->ev;
  while (left) {
    uint32_t w = packet_words(m, left);
    fill_train(m, w, &tr);
    left -= w;
    tokens_to(m, io, t);
    uint64_t head = t; /* a head needs no tokens */
    if (io->tokens < m->token_cap) io->tokens += m->bw;
    io->tok_t = ++t;
    for (uint32_t k = 1; k < tr.flits; k++) {
      uint64_t cost = 4000ull * tr.words[k];
      while (io->tokens < cost) { /* wait for the bucket: it fills while idle */
        io->tokens += m->bw;
        io->tok_t = ++t;
      }
      off[k] = t - head;
      io->tokens = io->tokens - cost + m->bw;
      io->tok_t = ++t;
    }
    stall = walk(m, -1, j->io, j->die, -1, 0, head, &tr, take);
    land(m, j->die, &tr, take, left == 0, TSR_WAIT_MESH, j->dst_buf);
    t += stall;
  }
  io->tx_free = t; /* a job may start the cycle after the last flit */
}

/* Answer, in the order their requests reached the IO dies, the jobs whose
 * request arrived by cycle `upto`: a request launched in cycle t or later
 * arrives after t. Returns how many were answered. */
static size_t run_jobs(model *m, uint64_t upto) {
  size_t done = 0;
  for (;;) {
    size_t best = m->n_jobs;
    for (size_t i = 0; i < m->n_jobs; i++)
      if (m->jobs[i].request <= upto && (best == m->n_jobs || m->jobs[i].request < m->jobs[best].request))
        best = i;
    if (best == m->n_jobs) return done;
    io_job j = m->jobs[best];
    m->jobs[best] = m->jobs[--m->n_jobs];
    tsr_net_counts *keep = m->ev;
    io_answer(m, &j);
    m->ev = keep;
    done++;
  }
}

typedef struct {
  size_t pc;
  uint64_t t; /* FETCH cycle of the next instruction */
  int running;
  uint64_t stop_cycles; /* stopped on a bad target: the cycles of that instruction */
  /* The network interface's transmitter: a SEND or DWR under way (its words
   * to go, its next packet's launch, its events), and the first cycle it
   * takes a new command. A blocking SEND or DWR holds the die until it ends. */
  uint64_t tx_left, tx_launch, tx_free;
  tsr_insn tx_in;
  tsr_net_counts *tx_ev;
  int tx_blocking;
} die_state;

/* A transfer: the instructions that hand the network interface a command. */
static int is_transfer(const tsr_insn *in) {
  return in->op == TSR_OP_SEND || in->op == TSR_OP_DRD || in->op == TSR_OP_DWR;
}

/* An instruction that waits for the transmitter: a transfer takes it (one
 * command at a time), FENCE and HALT wait for it to finish. */
static int needs_tx(const tsr_insn *in) {
  return is_transfer(in) || in->op == TSR_OP_FENCE || in->op == TSR_OP_HALT;
}

/* The cycle of die d's next instruction event: its FETCH; for a SEND, DRD or
 * DWR the FETCH it would have had to give its NETCMD the cycle the
 * transmitter frees; for WAIT the cycle its count is reached; NEVER if not
 * yet known (a WAIT short of arrivals, or a transfer still under way). */
static uint64_t ready_at(model *m, const die_state *st, int d, const tsr_insn *in) {
  arrivals *a = &m->arr[d];
  if (st[d].tx_blocking || (st[d].tx_left && needs_tx(in))) return NEVER;
  if (is_transfer(in))
    return st[d].tx_free > st[d].t + 2 ? st[d].tx_free - 2 : st[d].t;
  if (in->op != TSR_OP_WAIT) return st[d].t;
  uint64_t need = (in->msgs ? a->msgs_needed : a->words_needed)[in->chan] + in->len;
  return count_reached(a, need, in->msgs, in->chan);
}

/* The die's current instruction (out[n_retired], start set) retires in cycle t. */
static void retire(tsr_mesh_cost_die *die, die_state *st, uint64_t t) {
  tsr_insn_cost *c = &die->out[die->n_retired++];
  c->retire = t;
  c->counts.c[TSR_CNT_CYCLES] = t - c->start + 1;
  st->t = t + 1;
  st->pc++;
  if (c->insn.op == TSR_OP_HALT) st->running = 0;
}

const char *const tsr_net_names[TSR_N_NET] = {"router bits", "link bits", "photonic bits",
                                              "DRAM bits"};

double tsr_net_energy_pj(const tsr_net_counts *n, const tsr_config *cfg) {
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  return (double)n->c[TSR_NET_ROUTER_BITS] * e->router_flit_bit +
         (double)n->c[TSR_NET_LINK_BITS] * e->link_bit +
         (double)n->c[TSR_NET_PHOTONIC_BITS] * cfg->photonic.pj_per_bit +
         (double)n->c[TSR_NET_DRAM_BITS] * e->dram_bit;
}

const char *const tsr_eclass_names[TSR_N_ECLASS] = {
    "FMA", "SRAM read", "SRAM write", "instruction fetch", "routers", "electrical links",
    "photonic links", "DRAM"};

void tsr_mesh_energy(const tsr_config *cfg, const tsr_counts *die, const uint64_t *net,
                     const uint64_t *dram_words, double pj[TSR_N_ECLASS]) {
  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols, n = rows * cols;
  double fb = cfg->router.flit_bits;
  memset(pj, 0, sizeof(double) * TSR_N_ECLASS);
  for (int d = 0; d < n; d++) {
    const uint64_t *c = die[d].c;
    pj[TSR_E_FMA] += (double)c[TSR_CNT_FMA_OPS] * e->fma_op;
    pj[TSR_E_SRAM_READ] += (double)(c[TSR_CNT_WBUF_READ_BITS] + c[TSR_CNT_ABUF_READ_BITS]) * e->sram_read_bit;
    pj[TSR_E_SRAM_WRITE] += (double)(c[TSR_CNT_WBUF_WRITE_BITS] + c[TSR_CNT_ABUF_WRITE_BITS]) * e->sram_write_bit;
    pj[TSR_E_IMEM] += (double)c[TSR_CNT_IMEM_READ_BITS] * e->imem_read_bit;
    for (int p = 0; p < TSR_N_PORTS; p++) {
      double flits = (double)net[tsr_cnt_router(cfg, d, p)];
      pj[TSR_E_ROUTER] += flits * fb * e->router_flit_bit;
      int kind = p ? tsr_port_link_kind(cfg, d / cols, d % cols, p) : -1;
      if (kind == TSR_LINK_PHOTONIC)
        pj[TSR_E_PHOTONIC] += (double)net[tsr_cnt_link(cfg, d, p)] * fb * cfg->photonic.pj_per_bit;
      else if (kind >= 0)
        pj[TSR_E_LINK] += (double)net[tsr_cnt_link(cfg, d, p)] * fb * e->link_bit;
    }
    for (int ring = 0; ring < 2; ring++) /* a ring hop is one link, or two across a bypass */
      pj[TSR_E_LINK] += (double)(net[tsr_cnt_ring_tx(cfg, d, ring)] + net[tsr_cnt_bypass(cfg, d, ring)]) *
                        fb * e->link_bit;
  }
  for (int io = 0; cfg->mesh.io_dies && io < 2 * rows; io++) {
    pj[TSR_E_LINK] += (double)net[tsr_cnt_io_link(cfg, io / 2, io % 2)] * fb * e->link_bit;
    pj[TSR_E_DRAM] += 32.0 * (double)(dram_words[2 * io] + dram_words[2 * io + 1]) * e->dram_bit;
  }
}

/* Buffer words an instruction's data movement reads on its die and writes
 * into its target's buffer, on the instruction's counts (the target die's
 * counters take the writes as they land: see count_arrivals). */
static void buffer_words(const tsr_insn *in, tsr_insn_cost *c) {
  uint64_t bits = 32ull * in->len;
  if (in->op == TSR_OP_SEND || in->op == TSR_OP_DWR)
    c->counts.c[in->src_buf == TSR_BUF_WGT ? TSR_CNT_WBUF_READ_BITS : TSR_CNT_ABUF_READ_BITS] += bits;
  if (in->op == TSR_OP_SEND || in->op == TSR_OP_DRD)
    c->counts.c[in->dst_buf == TSR_BUF_WGT ? TSR_CNT_WBUF_WRITE_BITS : TSR_CNT_ABUF_WRITE_BITS] += bits;
}

/* A die's counters: its own instructions' events (and those of a SEND, DRD
 * or DWR with a bad target, which stops the die after FETCH, DECODE and
 * NETCMD) and every word written into its buffers, also after it halted. */
static void count_arrivals(const model *m, const die_state *st, tsr_mesh_cost_die *dies) {
  for (int d = 0; d < m->n; d++) {
    tsr_counts *t = &dies[d].total;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < dies[d].n_retired; i++) {
      const tsr_insn_cost *c = &dies[d].out[i];
      for (int k = 0; k < TSR_N_COUNTERS; k++)
        if (k != TSR_CNT_WBUF_WRITE_BITS && k != TSR_CNT_ABUF_WRITE_BITS) t->c[k] += c->counts.c[k];
      if (c->insn.op == TSR_OP_GEMM || c->insn.op == TSR_OP_VTRANS ||
          tsr_op_vector(c->insn.op)) { /* the die's own stores */
        tsr_insn_cost own;
        tsr_cost_insn(&m->cfg->dies[d], &c->insn, &own);
        t->c[TSR_CNT_WBUF_WRITE_BITS] += own.counts.c[TSR_CNT_WBUF_WRITE_BITS];
        t->c[TSR_CNT_ABUF_WRITE_BITS] += own.counts.c[TSR_CNT_ABUF_WRITE_BITS];
      }
    }
    if (dies[d].error) {
      t->c[TSR_CNT_CYCLES] += st[d].stop_cycles;
      t->c[TSR_CNT_IMEM_READ_BITS] += 128;
    }
    const arrivals *a = &m->arr[d];
    for (size_t i = 0; i < a->n; i++)
      t->c[a->v[i].wgt ? TSR_CNT_WBUF_WRITE_BITS : TSR_CNT_ABUF_WRITE_BITS] += 32ull * a->v[i].words;
  }
}

int tsr_mesh_cost_run(const tsr_config *cfg, tsr_mesh_cost_die *dies, uint64_t *net,
                      char err[TSR_ISA_ERR_LEN]) {
  model m = {.cfg = cfg, .cnt = net, .rows = (int)cfg->mesh.rows, .cols = (int)cfg->mesh.cols};
  m.n = m.rows * m.cols;
  m.wpf = cfg->router.flit_bits / 32;
  m.depth = cfg->router.fifo_depth;
  m.io_latency = tsr_io_latency_cycles(cfg);
  m.bw = tsr_io_bw_milli(cfg);
  m.token_cap = 4000ull * m.wpf * 2 + m.bw;
  m.port = calloc((size_t)m.n * 5, sizeof *m.port);
  m.rx = calloc((size_t)m.n, sizeof *m.rx);
  m.io_rx = calloc(2 * (size_t)m.rows, sizeof *m.io_rx);
  m.io = calloc(2 * (size_t)m.rows, sizeof *m.io);
  m.arr = calloc((size_t)m.n, sizeof *m.arr);
  die_state *st = calloc((size_t)m.n, sizeof *st);
  int rc = -1;
  if (!m.port || !m.rx || !m.io_rx || !m.io || !m.arr || !st) {
    snprintf(err, TSR_ISA_ERR_LEN, "out of memory");
    goto out;
  }
  /* The bucket fills from reset while the host loads the dies: full at cycle 0. */
  for (int i = 0; i < 2 * m.rows; i++)
    m.io[i].tokens = (m.token_cap + m.bw - 1) / m.bw * m.bw;
  for (int d = 0; d < m.n; d++) {
    dies[d].n_retired = 0;
    dies[d].error = 0;
    st[d].running = 1;
  }
  if (net) memset(net, 0, sizeof *net * tsr_cnt_total(cfg));
  for (;;) {
    /* The earliest event: a packet of a transfer under way (first on a tie),
     * or a die's next instruction. */
    int best = -1, best_tx = 0;
    uint64_t best_t = NEVER;
    tsr_insn best_in;
    for (int d = 0; d < m.n; d++) {
      if (st[d].tx_left && (best < 0 || st[d].tx_launch < best_t)) {
        best = d;
        best_t = st[d].tx_launch;
        best_tx = 1;
      }
      if (!st[d].running || st[d].tx_blocking) continue;
      tsr_insn in;
      char why[TSR_ISA_ERR_LEN];
      if (st[d].pc >= dies[d].n_insns) {
        snprintf(err, TSR_ISA_ERR_LEN, "die %d (row %d, col %d): program has no HALT", d,
                 d / m.cols, d % m.cols);
        goto out;
      } else if (tsr_decode(dies[d].words + TSR_INSN_WORDS * st[d].pc, &in, why)) {
        snprintf(err, TSR_ISA_ERR_LEN, "die %d (row %d, col %d) insn %zu: %.150s", d, d / m.cols,
                 d % m.cols, st[d].pc, why);
        goto out;
      }
      uint64_t t = ready_at(&m, st, d, &in);
      if (best < 0 || t < best_t) {
        best = d;
        best_t = t;
        best_in = in;
        best_tx = 0;
      }
    }
    if (run_jobs(&m, best < 0 ? NEVER : best_t)) continue; /* answers may move a WAIT */
    if (best < 0) break; /* every die halted or stopped, every transfer done */
    if (best_t == NEVER) {
      for (int d = 0; d < m.n; d++) {
        if (!st[d].running) continue;
        snprintf(err, TSR_ISA_ERR_LEN, "deadlock: die %d (row %d, col %d) waits at insn %zu forever",
                 d, d / m.cols, d % m.cols, st[d].pc);
        break;
      }
      goto out;
    }
    int d = best;
    die_state *me = &st[d];
    if (best_tx) { /* the next packet of a SEND or DWR under way */
      m.ev = me->tx_ev;
      ni_send_packet(&m, d, &me->tx_in, &me->tx_left, &me->tx_launch);
      if (!me->tx_left) {
        me->tx_free = me->tx_launch; /* the cycle after the last flit */
        if (me->tx_blocking) retire(&dies[d], me, me->tx_launch - 1 + 2);
        me->tx_blocking = 0;
      }
      continue;
    }
    tsr_insn *in = &best_in;
    m.ev = dies[d].net ? &dies[d].net[dies[d].n_retired] : NULL;
    tsr_insn_cost *c = &dies[d].out[dies[d].n_retired];
    tsr_cost_insn(&cfg->dies[d], in, c);
    c->start = me->t;
    int moves = is_transfer(in);
    /* NETCMD hands the command over in the first cycle from FETCH + 2 that
     * the transmitter is free; `fetch` is the FETCH that would give that. */
    uint64_t fetch = best_t, netcmd = fetch + 2;
    if (m.ev) memset(m.ev, 0, sizeof *m.ev);
    if (moves && tsr_mesh_send_ok(cfg, d / m.cols, d % m.cols, in)) {
      dies[d].error = 1;
      me->running = 0;
      me->stop_cycles = netcmd - me->t + 1;
      continue;
    }
    if (moves) buffer_words(in, c);
    if (in->op == TSR_OP_DRD || in->op == TSR_OP_DWR) event(&m, TSR_NET_DRAM_BITS, 32ull * in->len);
    if (in->op == TSR_OP_SEND || in->op == TSR_OP_DWR) { /* its first packet goes now */
      me->tx_in = *in;
      me->tx_left = in->len;
      me->tx_launch = netcmd + 2;
      me->tx_ev = m.ev;
      ni_send_packet(&m, d, in, &me->tx_left, &me->tx_launch);
      if (!me->tx_left) me->tx_free = me->tx_launch;
      if (in->async) retire(&dies[d], me, netcmd + 1);
      else if (!me->tx_left) retire(&dies[d], me, me->tx_launch - 1 + 2);
      else me->tx_blocking = 1;
    } else if (in->op == TSR_OP_DRD) {
      uint64_t done = ni_read(&m, d, in, fetch);
      me->tx_free = done - 1;
      retire(&dies[d], me, in->async ? netcmd + 1 : done);
    } else if (in->op == TSR_OP_WAIT) {
      arrivals *a = &m.arr[d];
      if (in->msgs) a->msgs_needed[in->chan] += in->len;
      else a->words_needed[in->chan] += in->len;
      uint64_t earliest = c->start + TSR_INSN_OVERHEAD;
      retire(&dies[d], me, best_t + 1 > earliest ? best_t + 1 : earliest);
    } else if (in->op == TSR_OP_FENCE || in->op == TSR_OP_HALT) {
      /* FENCE: FETCH, DECODE, then FENCE until the transmitter is free;
       * HALT waits in FENCE only if it is busy in DECODE. */
      uint64_t own = c->retire + c->start;
      retire(&dies[d], me, me->tx_free + 1 > own ? me->tx_free + 1 : own);
    } else {
      retire(&dies[d], me, c->retire + c->start);
    }
  }
  count_arrivals(&m, st, dies);
  rc = 0;
out:
  for (int i = 0; m.port && i < 5 * m.n; i++) free(m.port[i].v);
  for (int i = 0; m.rx && i < m.n; i++) free(m.rx[i].v);
  for (int i = 0; m.io_rx && i < 2 * m.rows; i++) free(m.io_rx[i].v);
  for (int i = 0; m.arr && i < m.n; i++) free(m.arr[i].v);
  free(m.port), free(m.rx), free(m.io_rx), free(m.io), free(m.arr), free(m.jobs), free(st);
  return rc;
}

uint64_t tsr_send_cycles(const tsr_config *cfg, uint64_t words) {
  return TSR_INSN_OVERHEAD + TSR_SEND_OVERHEAD + tsr_ni_message_flits(cfg, words);
}
