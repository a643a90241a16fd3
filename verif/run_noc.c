/* run_noc.c - `tessera-noc`: synthetic traffic, directed tests and
 * measurements on a generated tessera_noc (docs/noc.md).
 *
 *   tessera-noc --config DIR/config.resolved.json [options]
 *   tessera-noc --config ... --test NAME      directed test (list: --help)
 *   tessera-noc --config ... --sweep          accepted throughput and latency vs offered load
 *   tessera-noc --config ... --allgather ring utilization of a row all-gather vs chunk size
 *
 * Exit 0 when the run passed, 1 on a scoreboard, counter or watchdog
 * failure, 2 on bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "noc.h"
#include "traffic.h"

static const char *const tests[] = {"back-to-back", "contention", "full-fifo", "bypass",
                                    "zero-load",    "photonic",   "io",       "allgather", NULL};

static int usage(FILE *f, int status) {
  fprintf(f,
          "usage: tessera-noc --config FILE [options]\n"
          "  --config FILE     resolved configuration the network was generated from\n"
          "  --pattern P       none, uniform, transpose, bitcomp, hotspot, neighbour, ring\n"
          "                    (default uniform)\n"
          "  --load L          offered flits per die per cycle, 0..1 (default 0.2)\n"
          "  --flits A[-B]     packet length in flits, head included, 1..64 (default 1-8)\n"
          "  --backpressure P  probability an endpoint takes no flit in a cycle (default 0.3)\n"
          "  --cycles N        cycles with traffic generation on (default 10000)\n"
          "  --warmup N        cycles before measurement (default cycles / 5)\n"
          "  --seed N          random seed (default 1)\n"
          "  --yx-table        load YX routes into the routing tables (routing \"table\")\n"
          "  --test NAME       directed test: back-to-back, contention, full-fifo, bypass,\n"
          "                    zero-load, photonic, io, allgather\n"
          "  --sweep           throughput and latency against offered load (uniform, no\n"
          "                    back-pressure), for the packet length of --flits\n"
          "  --allgather       row-ring all-gather utilization for chunks of 256 B to 64 KB\n"
          "  --csv FILE        --sweep / --allgather: also write the table as CSV\n"
          "  --fault F         self-test: plant a fault the run must catch (drop, duplicate,\n"
          "                    corrupt, stall)\n");
  return status;
}

typedef struct {
  const tsr_config *cfg;
  tsr_traffic_opts o;
  uint64_t cycles;
} run_ctx;

static tsr_traffic *start(run_ctx *c, const tsr_traffic_opts *o, tsr_noc_sim **sim) {
  *sim = tsr_verilator_noc_create((int)c->cfg->router.flit_bits, o->seed);
  return tsr_traffic_new(c->cfg, *sim, o);
}

/* A directed test: only the packets the test sends, with the run's random
 * back-pressure at ejection or none. */
static tsr_traffic *start_directed(run_ctx *c, int backpressure, tsr_noc_sim **sim) {
  tsr_traffic_opts o = c->o;
  o.pattern = TSR_TRAFFIC_NONE;
  if (!backpressure) o.backpressure = 0;
  return start(c, &o, sim);
}

static int finish(tsr_traffic *t, tsr_noc_sim *sim, const char *what, int rc) {
  if (!rc) rc = tsr_traffic_drain(t, 2000000);
  if (!rc) rc = tsr_traffic_check_end(t);
  const tsr_traffic_stats *s = tsr_traffic_get_stats(t);
  if (rc && s->error) printf("FAIL %s: %s\n", what, s->error);
  tsr_traffic_free(t);
  sim->destroy(sim->ctx);
  free(sim);
  return rc ? 1 : 0;
}

/* ---- synthetic traffic ------------------------------------------------------ */

static int run_pattern(run_ctx *c) {
  tsr_noc_sim *sim;
  tsr_traffic *t = start(c, &c->o, &sim);
  int rc = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (c->o.pattern == TSR_TRAFFIC_NONE) {
    fprintf(stderr, "tessera-noc: pattern none sends nothing; choose a pattern or --test\n");
    rc = -1;
  }
  for (uint64_t i = 0; i < c->cycles && !rc; i++) rc = tsr_traffic_step(t, 1);
  if (!rc) rc = tsr_traffic_drain(t, 2000000);
  if (!rc) rc = tsr_traffic_check_end(t);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const tsr_traffic_stats *s = tsr_traffic_get_stats(t);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  int dies = (int)(c->cfg->mesh.rows * c->cfg->mesh.cols);
  printf("%s %s %ux%u load %.3f flits %d-%d bp %.2f: %llu packets, %llu flits delivered, "
         "0 lost/duplicated/corrupted/reordered, counters equal; accepted %.3f flits/die/cycle, "
         "mean latency %.1f cycles (max %llu); %llu cycles, %.0f cycles/s\n",
         rc ? "FAIL" : "ok", tsr_pattern_names[c->o.pattern], c->cfg->mesh.rows, c->cfg->mesh.cols,
         c->o.load, c->o.min_flits, c->o.max_flits, c->o.backpressure,
         (unsigned long long)s->packets_delivered, (unsigned long long)s->flits_delivered,
         s->window_cycles ? (double)s->window_flits / (double)s->window_cycles / dies : 0.0,
         s->lat_n ? (double)s->lat_sum / (double)s->lat_n : 0.0, (unsigned long long)s->lat_max,
         (unsigned long long)s->cycles, secs > 0 ? (double)s->cycles / secs : 0.0);
  if (rc) printf("FAIL: %s\n", s->error ? s->error : "?");
  tsr_traffic_free(t);
  sim->destroy(sim->ctx);
  free(sim);
  return rc ? 1 : 0;
}

/* ---- directed tests --------------------------------------------------------- */

static tsr_ep local(const tsr_config *cfg, int r, int c) {
  return (tsr_ep){TSR_GRP_LOCAL, r * (int)cfg->mesh.cols + c};
}

/* The receiver takes a flit every `pace` cycles from the first head to the
 * last tail (pace 1: busy every cycle). */
static int paced(tsr_traffic *t, const int64_t *ids, int n, int64_t pace, const char *what) {
  int64_t first = -1, last = -1, flits = 0, g, h, tl;
  for (int i = 0; i < n; i++) {
    tsr_traffic_packet_times(t, ids[i], &g, &h, &tl);
    if (first < 0 || h < first) first = h;
    if (tl > last) last = tl;
    flits += tsr_traffic_packet_flits(t, ids[i]);
  }
  if (last - first != (flits - 1) * pace) {
    printf("FAIL %s: %lld flits delivered over %lld cycles, expected one per %lld cycles\n", what,
           (long long)flits, (long long)(last - first + 1), (long long)pace);
    return -1;
  }
  if (pace == 1)
    printf("ok %s: %lld flits in %lld consecutive cycles\n", what, (long long)flits,
           (long long)(last - first + 1));
  else
    printf("ok %s: %lld flits in %lld cycles, one every %lld\n", what, (long long)flits,
           (long long)(last - first + 1), (long long)pace);
  return 0;
}

static int no_bubbles(tsr_traffic *t, const int64_t *ids, int n, const char *what) {
  return paced(t, ids, n, 1, what);
}

/* Cycles per flit of the XY path from die (r0, c0) to (r1, c1): one, or the
 * serialisation of a photonic link on the way. */
static int64_t path_pace(const tsr_config *cfg, int r0, int c0, int r1, int c1) {
  int64_t pace = 1;
  while (r0 != r1 || c0 != c1) {
    int port = tsr_xy_port(c0 + 1, r0, c1 + 1, r1);
    if (tsr_port_link_kind(cfg, r0, c0, port) == TSR_LINK_PHOTONIC && tsr_photonic_ser(cfg) > pace)
      pace = tsr_photonic_ser(cfg);
    c0 += port == TSR_PORT_E ? 1 : port == TSR_PORT_W ? -1 : 0;
    r0 += port == TSR_PORT_S ? 1 : port == TSR_PORT_N ? -1 : 0;
  }
  return pace;
}

static int test_back_to_back(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (cfg->mesh.rows < 2 || cfg->mesh.cols < 3) return fprintf(stderr, "needs a mesh of at least 2x3\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  /* (0,1) and (1,2) both send to (0,2): they meet at its local output.
   * Alternate long packets and single-flit packets, queued all at once. */
  enum { N = 120 };
  int64_t ids[2 * N];
  int n = 0;
  for (int i = 0; i < N; i++) {
    ids[n++] = tsr_traffic_send(t, local(cfg, 0, 1), local(cfg, 0, 2), i % 2 ? 1 : 4);
    ids[n++] = tsr_traffic_send(t, local(cfg, 1, 2), local(cfg, 0, 2), i % 3 ? 1 : 3);
  }
  int rc = tsr_traffic_drain(t, 100000);
  if (!rc) rc = no_bubbles(t, ids, n, "back-to-back: single-flit packets directly behind tails, two inputs to one output");
  /* and the same from one source: a 1-flit packet straight behind a tail */
  int64_t ids2[N];
  for (int i = 0; i < N; i++) ids2[i] = tsr_traffic_send(t, local(cfg, 1, 0), local(cfg, 0, 2), i % 2 ? 1 : 5);
  if (!rc) rc = tsr_traffic_drain(t, 100000);
  if (!rc) rc = paced(t, ids2, N, path_pace(cfg, 1, 0, 0, 2), "back-to-back: one source, 1-flit after 5-flit packets, 3 hops");
  return finish(t, sim, "back-to-back", rc);
}

static int test_contention(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (cfg->mesh.rows < 3 || cfg->mesh.cols < 3) return fprintf(stderr, "needs a mesh of at least 3x3\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  /* All five inputs of router (1,1) want its local output. */
  tsr_ep src[5] = {local(cfg, 1, 1), local(cfg, 1, 2), local(cfg, 2, 1), local(cfg, 1, 0), local(cfg, 0, 1)};
  enum { N = 200 };
  static int64_t ids[5 * N];
  for (int i = 0; i < N; i++)
    for (int s = 0; s < 5; s++) ids[i * 5 + s] = tsr_traffic_send(t, src[s], local(cfg, 1, 1), 2);
  int rc = tsr_traffic_drain(t, 100000);
  if (!rc) rc = no_bubbles(t, ids, 5 * N, "contention: five inputs for one output, output busy every cycle");
  /* Round robin: order the packets by delivery; while every input is
   * backlogged, each run of 5 consecutive packets holds every input once. */
  int64_t order[5 * N];
  int who[5 * N];
  for (int i = 0; i < 5 * N && !rc; i++) {
    int64_t g, h, tl;
    tsr_traffic_packet_times(t, ids[i], &g, &h, &tl);
    order[i] = h;
    who[i] = i % 5;
  }
  for (int i = 1; i < 5 * N; i++) /* insertion sort by head cycle */
    for (int j = i; j > 0 && order[j] < order[j - 1]; j--) {
      int64_t a = order[j]; order[j] = order[j - 1]; order[j - 1] = a;
      int b = who[j]; who[j] = who[j - 1]; who[j - 1] = b;
    }
  /* Once every input is backlogged (after the first 20 deliveries), the
   * grants rotate: every window of 5 consecutive packets holds each input once. */
  int count[5] = {0};
  for (int i = 0; i < 5 * N; i++) count[who[i]]++;
  for (int i = 20; i + 5 <= 4 * N && !rc; i++) {
    int seen = 0;
    for (int j = i; j < i + 5; j++) seen |= 1 << who[j];
    if (seen != 0x1F) {
      printf("FAIL contention: deliveries %d..%d do not hold every input once (round robin broken)\n", i, i + 4);
      rc = -1;
    }
  }
  if (!rc) printf("ok contention: round robin over the five inputs, every window of 5 packets holds each once\n");
  return finish(t, sim, "contention", rc);
}

static int test_full_fifo(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (cfg->mesh.cols < 2) return fprintf(stderr, "needs a mesh of at least 1x2\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  tsr_ep src = local(cfg, 0, 0), dst = local(cfg, 0, 1);
  tsr_traffic_set_backpressure(t, dst, 1.0); /* the receiver takes nothing */
  int rc = 0;
  enum { BLOCK = 300, N = 600 };
  static int64_t ids[N];
  int n = 0;
  for (int i = 0; i < BLOCK && !rc; i++) { /* a packet arrives every cycle */
    ids[n++] = tsr_traffic_send(t, src, dst, 1);
    rc = tsr_traffic_step(t, 0);
  }
  const tsr_traffic_stats *s = tsr_traffic_get_stats(t);
  /* Three credit domains (source -> router, router -> router, router ->
   * receiver), each full: 3 x fifo_depth flits and not one more. */
  uint64_t held = 3ull * cfg->router.fifo_depth;
  if (!rc && s->flits_injected != held) {
    printf("FAIL full-fifo: %llu flits entered a blocked path that holds %llu\n",
           (unsigned long long)s->flits_injected, (unsigned long long)held);
    rc = -1;
  } else if (!rc) {
    printf("ok full-fifo: blocked path accepted exactly %llu flits (3 x depth %u), no overflow\n",
           (unsigned long long)held, cfg->router.fifo_depth);
  }
  tsr_traffic_set_backpressure(t, dst, 0.0);
  for (int i = BLOCK; i < N && !rc; i++) {
    ids[n++] = tsr_traffic_send(t, src, dst, 1);
    rc = tsr_traffic_step(t, 0);
  }
  if (!rc) rc = tsr_traffic_drain(t, 100000);
  /* the first depth flits went into the blocked receiver's buffer */
  int skip = (int)cfg->router.fifo_depth;
  if (!rc) rc = no_bubbles(t, ids + skip, n - skip, "full-fifo: after release, one flit per cycle until empty");
  return finish(t, sim, "full-fifo", rc);
}

static int test_bypass(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (cfg->mesh.cols < 3 || !cfg->mesh.bypass_rows)
    return fprintf(stderr, "needs a row of at least 3 dies with bypass rings\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  /* Die 0's ring successor is die 2, through die 1's bypass; at the same time
   * die 1 sends its own traffic to die 2 on the mesh and to die 0 on the ring. */
  enum { N = 40, LEN = 65 };
  int64_t ring02[N], mesh12[N], ring10[N];
  for (int i = 0; i < N; i++) {
    ring02[i] = tsr_traffic_send(t, (tsr_ep){TSR_GRP_RING_ROW, 0}, (tsr_ep){TSR_GRP_RING_ROW, 2}, LEN);
    mesh12[i] = tsr_traffic_send(t, local(cfg, 0, 1), local(cfg, 0, 2), LEN);
    ring10[i] = tsr_traffic_send(t, (tsr_ep){TSR_GRP_RING_ROW, 1}, (tsr_ep){TSR_GRP_RING_ROW, 0}, LEN);
  }
  int rc = tsr_traffic_drain(t, 100000);
  if (!rc) rc = no_bubbles(t, ring02, N, "bypass: forwarded ring traffic 0 -> 2 through die 1 at full rate");
  if (!rc) rc = no_bubbles(t, mesh12, N, "bypass: die 1's own mesh traffic 1 -> 2 at full rate, same cycles");
  if (!rc) rc = no_bubbles(t, ring10, N, "bypass: die 1's own ring traffic 1 -> 0 at full rate, same cycles");
  /* the three streams overlap in time */
  int64_t g, h0, t0, h1, t1;
  tsr_traffic_packet_times(t, ring02[0], &g, &h0, &t0);
  tsr_traffic_packet_times(t, mesh12[0], &g, &h1, &t1);
  int64_t e0, e1;
  tsr_traffic_packet_times(t, ring02[N - 1], &g, &h0, &e0);
  tsr_traffic_packet_times(t, mesh12[N - 1], &g, &h1, &e1);
  if (!rc && (e0 - e1 > 16 || e1 - e0 > 16)) {
    printf("FAIL bypass: the streams did not run concurrently (ends %lld and %lld)\n", (long long)e0, (long long)e1);
    rc = -1;
  }
  return finish(t, sim, "bypass", rc);
}

static int test_zero_load(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  int rc = 0, rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  printf("zero-load latency, generation to tail delivery (formula: hops x (%u + %u) + %u + flits - 1):\n",
         TSR_ROUTER_CYCLES, cfg->router.link_latency, TSR_ROUTER_CYCLES);
  for (int hops = 0; hops <= rows + cols - 2 && !rc; hops++) {
    int dc = hops < cols ? hops : cols - 1, dr = hops - dc;
    for (int flits = 1; flits <= 4 && !rc; flits += 3) {
      int64_t id = tsr_traffic_send(t, local(cfg, 0, 0), local(cfg, dr, dc), flits), g, h, tl;
      rc = tsr_traffic_drain(t, 10000);
      tsr_traffic_packet_times(t, id, &g, &h, &tl);
      uint64_t want = tsr_zero_load_cycles(cfg, (uint32_t)hops, (uint32_t)flits);
      printf("  %2d hops, %d-flit packet: %lld cycles, formula %llu%s\n", hops, flits,
             (long long)(tl - g), (unsigned long long)want, (uint64_t)(tl - g) == want ? "" : "  MISMATCH");
      if ((uint64_t)(tl - g) != want) rc = -1;
    }
  }
  if (!rc) printf("ok zero-load: every measurement equals the formula (%u cycles per hop)\n",
                  TSR_ROUTER_CYCLES + cfg->router.link_latency);
  return finish(t, sim, "zero-load", rc);
}

/* The first photonic edge of the configuration: zero-load latency across it
 * and its throughput, one flit per serialisation time. */
static int test_photonic(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (!cfg->mesh.n_photonic) return fprintf(stderr, "needs a photonic edge (mesh.links.photonic)\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 0, &sim);
  const tsr_edge *e = &cfg->mesh.photonic[0];
  tsr_ep a = local(cfg, (int)e->row, (int)e->col);
  tsr_ep b = local(cfg, (int)(e->row + e->south), (int)(e->col + !e->south));
  uint64_t ser = tsr_photonic_ser(cfg), lat = tsr_link_cycles(cfg, TSR_LINK_PHOTONIC);
  int rc = 0;
  for (int flits = 1; flits <= 4 && !rc; flits += 3) {
    /* one hop: router, transmit FIFO and flight, router; the tail follows ser
     * cycles per flit */
    uint64_t want = TSR_ROUTER_CYCLES + lat + TSR_ROUTER_CYCLES + (uint64_t)(flits - 1) * ser;
    int64_t id = tsr_traffic_send(t, a, b, flits), g, h, tl;
    rc = tsr_traffic_drain(t, 10000);
    tsr_traffic_packet_times(t, id, &g, &h, &tl);
    printf("  photonic hop (%u,%u)%s, %d-flit packet: %lld cycles, expected 2 + %llu + 2 + %d x %llu = %llu\n",
           e->row, e->col, e->south ? "S" : "E", flits, (long long)(tl - g), (unsigned long long)lat,
           flits - 1, (unsigned long long)ser, (unsigned long long)want);
    if ((uint64_t)(tl - g) != want) {
      printf("FAIL photonic: zero-load latency differs\n");
      rc = -1;
    }
  }
  enum { N = 200 };
  int64_t ids[2 * N];
  for (int i = 0; i < N; i++) {
    ids[i] = tsr_traffic_send(t, a, b, 1 + i % 3);
    ids[N + i] = tsr_traffic_send(t, b, a, 1 + i % 2);
  }
  if (!rc) rc = tsr_traffic_drain(t, 100000);
  if (!rc) rc = paced(t, ids, N, (int64_t)ser, "photonic: forward stream at the link's bandwidth");
  if (!rc) rc = paced(t, ids + N, N, (int64_t)ser, "photonic: backward stream at the same time");
  return finish(t, sim, "photonic", rc);
}

static int test_io(run_ctx *c) {
  const tsr_config *cfg = c->cfg;
  if (!cfg->mesh.io_dies) return fprintf(stderr, "needs IO dies\n"), 2;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 1, &sim);
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols;
  for (int k = 0; k < 20; k++)
    for (int r = 0; r < rows; r++)
      for (int s = 0; s < 2; s++)
        for (int col = 0; col < cols; col++) {
          tsr_traffic_send(t, (tsr_ep){TSR_GRP_IO, 2 * r + s}, local(cfg, r, col), 1 + (k + col) % 5);
          tsr_traffic_send(t, local(cfg, r, col), (tsr_ep){TSR_GRP_IO, 2 * r + s}, 1 + (k + r) % 4);
        }
  int rc = finish(t, sim, "io", 0);
  if (!rc) printf("ok io: IO dies of every row to and from every die of the row, all delivered, link counters equal\n");
  return rc;
}

static int test_allgather(run_ctx *c, int ring, int packets, int body, uint64_t *cycles_out) {
  const tsr_config *cfg = c->cfg;
  int g = ring == TSR_RING_ROW ? TSR_GRP_RING_ROW : TSR_GRP_RING_COL;
  tsr_noc_sim *sim;
  tsr_traffic *t = start_directed(c, 1, &sim);
  if (!sim->has[g]) {
    fprintf(stderr, "tessera-noc: this network has no %s rings\n", ring == TSR_RING_ROW ? "row" : "column");
    tsr_traffic_free(t);
    sim->destroy(sim->ctx);
    free(sim);
    return 2;
  }
  tsr_traffic_allgather(t, ring, packets, body);
  int rc = tsr_traffic_drain(t, 10000000);
  /* the cycle the last tail left the ring, before the drain's idle cycles */
  uint64_t end = tsr_traffic_get_stats(t)->cycles - 64;
  if (cycles_out) *cycles_out = end;
  int n = ring == TSR_RING_ROW ? (int)cfg->mesh.cols : (int)cfg->mesh.rows;
  rc = finish(t, sim, "allgather", rc);
  if (!rc && !cycles_out)
    printf("ok allgather: %s rings of %d dies, %d packets of %d body flits per die, every die holds "
           "every chunk once, bypass counters equal (%llu cycles)\n",
           ring == TSR_RING_ROW ? "row" : "column", n, packets, body, (unsigned long long)end);
  return rc;
}

/* ---- measurements ----------------------------------------------------------- */

static int sweep(run_ctx *c, FILE *csv) {
  const tsr_config *cfg = c->cfg;
  int k = (int)(cfg->mesh.rows > cfg->mesh.cols ? cfg->mesh.rows : cfg->mesh.cols);
  double bound = 4.0 / k > 1.0 ? 1.0 : 4.0 / k;
  printf("uniform random, %ux%u, %d-flit packets, XY bound 4/k = %.3f flits/die/cycle\n",
         cfg->mesh.rows, cfg->mesh.cols, c->o.min_flits, bound);
  printf("%8s %10s %10s %10s %12s\n", "offered", "accepted", "of bound", "latency", "cycles/s");
  if (csv) fprintf(csv, "rows,cols,flits,offered,accepted,fraction_of_bound,latency,bound\n");
  double best = 0;
  for (int step = 1; step <= 20; step++) {
    double load = bound * step / 16.0;
    if (load > 1.0) break;
    tsr_traffic_opts o = c->o;
    o.pattern = TSR_TRAFFIC_UNIFORM;
    o.load = load;
    o.backpressure = 0;
    o.warmup = c->cycles / 4;
    tsr_noc_sim *sim;
    tsr_traffic *t = start(c, &o, &sim);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = 0;
    for (uint64_t i = 0; i < c->cycles && !rc; i++) rc = tsr_traffic_step(t, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const tsr_traffic_stats *s = tsr_traffic_get_stats(t);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    double acc = (double)s->window_flits / (double)s->window_cycles / (cfg->mesh.rows * cfg->mesh.cols);
    double lat = s->lat_n ? (double)s->lat_sum / (double)s->lat_n : 0;
    if (acc > best) best = acc;
    printf("%8.3f %10.3f %9.1f%% %10.1f %12.0f\n", load, acc, 100 * acc / bound, lat, (double)c->cycles / secs);
    if (csv) fprintf(csv, "%u,%u,%d,%.4f,%.4f,%.4f,%.2f,%.4f\n", cfg->mesh.rows, cfg->mesh.cols,
                     c->o.min_flits, load, acc, acc / bound, lat, bound);
    if (rc) printf("FAIL: %s\n", s->error ? s->error : "?");
    tsr_traffic_free(t);
    sim->destroy(sim->ctx);
    free(sim);
    if (rc) return 1;
  }
  printf("saturation throughput %.3f flits/die/cycle = %.1f%% of the XY bound\n", best, 100 * best / bound);
  return 0;
}

static int allgather_sweep(run_ctx *c, FILE *csv) {
  const tsr_config *cfg = c->cfg;
  int n = (int)cfg->mesh.cols, bytes_per_flit = (int)cfg->router.flit_bits / 8;
  printf("row all-gather over the folded bypass ring of %d dies, %u-bit flits, packets of <= 32 body flits\n",
         n, cfg->router.flit_bits);
  printf("%10s %10s %12s %12s\n", "chunk", "cycles", "ideal", "utilization");
  if (csv) fprintf(csv, "dies,chunk_bytes,cycles,ideal_cycles,utilization\n");
  c->o.backpressure = 0; /* the receivers keep up: measure the ring, not them */
  for (int chunk = 256; chunk <= 65536; chunk *= 2) {
    int flits = chunk / bytes_per_flit, body = flits < 32 ? flits : 32, packets = flits / body;
    uint64_t cycles = 0;
    if (test_allgather(c, TSR_RING_ROW, packets, body, &cycles)) return 1;
    /* every ring hop carries n-1 chunks; the ideal is one payload flit per cycle */
    double ideal = (double)(n - 1) * flits, util = ideal / (double)cycles;
    printf("%9dB %10llu %12.0f %11.1f%%\n", chunk, (unsigned long long)cycles, ideal, 100 * util);
    if (csv) fprintf(csv, "%d,%d,%llu,%.0f,%.4f\n", n, chunk, (unsigned long long)cycles, ideal, util);
  }
  return 0;
}

/* ---- command line ----------------------------------------------------------- */

int main(int argc, char **argv) {
  const char *config = NULL, *test = NULL, *csv_path = NULL;
  int do_sweep = 0, do_allgather = 0;
  run_ctx c = {.o = {.seed = 1, .pattern = TSR_TRAFFIC_UNIFORM, .load = 0.2, .min_flits = 1,
                     .max_flits = 8, .backpressure = 0.3}, .cycles = 10000};
  long long warmup = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *end = NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout, 0);
    if (!strcmp(a, "--sweep")) { do_sweep = 1; continue; }
    if (!strcmp(a, "--allgather")) { do_allgather = 1; continue; }
    if (!strcmp(a, "--yx-table")) { c.o.yx_table = 1; continue; }
    if (!v) {
      fprintf(stderr, "tessera-noc: %s: unknown option or missing value\n", a);
      return usage(stderr, 2);
    }
    i++;
    if (!strcmp(a, "--config")) config = v;
    else if (!strcmp(a, "--test")) test = v;
    else if (!strcmp(a, "--csv")) csv_path = v;
    else if (!strcmp(a, "--fault")) {
      int k = TSR_N_FAULTS;
      while (--k > 0 && strcmp(v, tsr_fault_names[k])) {}
      if (!k) {
        fprintf(stderr, "tessera-noc: --fault %s: unknown, expected drop, duplicate, corrupt or stall\n", v);
        return 2;
      }
      c.o.fault = (tsr_fault)k;
    }
    else if (!strcmp(a, "--seed")) c.o.seed = strtoull(v, &end, 10);
    else if (!strcmp(a, "--cycles")) c.cycles = strtoull(v, &end, 10);
    else if (!strcmp(a, "--warmup")) warmup = strtoll(v, &end, 10);
    else if (!strcmp(a, "--load")) c.o.load = strtod(v, &end);
    else if (!strcmp(a, "--backpressure")) c.o.backpressure = strtod(v, &end);
    else if (!strcmp(a, "--flits")) {
      c.o.min_flits = (int)strtol(v, &end, 10);
      c.o.max_flits = c.o.min_flits;
      if (*end == '-') c.o.max_flits = (int)strtol(end + 1, &end, 10);
    } else if (!strcmp(a, "--pattern")) {
      int p = -1;
      for (int k = 0; k < TSR_N_TRAFFIC; k++)
        if (!strcmp(v, tsr_pattern_names[k])) p = k;
      if (p < 0) {
        fprintf(stderr, "tessera-noc: --pattern %s: unknown, expected one of none, uniform, "
                        "transpose, bitcomp, hotspot, neighbour, ring\n", v);
        return 2;
      }
      c.o.pattern = (tsr_pattern)p;
      end = (char *)"";
    } else {
      fprintf(stderr, "tessera-noc: %s: unknown option\n", a);
      return usage(stderr, 2);
    }
    if (end && *end) {
      fprintf(stderr, "tessera-noc: %s %s: not a number\n", a, v);
      return 2;
    }
  }
  if (!config) return usage(stderr, 2);
  if (c.o.load < 0 || c.o.load > 1 || c.o.backpressure < 0 || c.o.backpressure >= 1 ||
      c.o.min_flits < 1 || c.o.max_flits > TSR_MAX_PACKET_FLITS || c.o.max_flits < c.o.min_flits || !c.cycles) {
    fprintf(stderr, "tessera-noc: --load must be 0..1, --backpressure 0..<1, --flits A-B with "
                    "1 <= A <= B <= 64, --cycles > 0\n");
    return 2;
  }
  c.o.warmup = warmup >= 0 ? (uint64_t)warmup : c.cycles / 5;
  tsr_config *cfg = malloc(sizeof *cfg);
  char err[TSR_ERR_LEN];
  if (!cfg || tsr_config_load(config, cfg, err)) {
    fprintf(stderr, "tessera-noc: %s\n", cfg ? err : "out of memory");
    free(cfg);
    return 2;
  }
  c.cfg = cfg;
  FILE *csv = NULL;
  if (csv_path && !(csv = fopen(csv_path, "w"))) {
    fprintf(stderr, "tessera-noc: %s: cannot create\n", csv_path);
    free(cfg);
    return 2;
  }
  int rc;
  if (do_sweep) rc = sweep(&c, csv);
  else if (do_allgather) rc = allgather_sweep(&c, csv);
  else if (!test) rc = run_pattern(&c);
  else if (!strcmp(test, "back-to-back")) rc = test_back_to_back(&c);
  else if (!strcmp(test, "contention")) rc = test_contention(&c);
  else if (!strcmp(test, "full-fifo")) rc = test_full_fifo(&c);
  else if (!strcmp(test, "bypass")) rc = test_bypass(&c);
  else if (!strcmp(test, "zero-load")) rc = test_zero_load(&c);
  else if (!strcmp(test, "photonic")) rc = test_photonic(&c);
  else if (!strcmp(test, "io")) rc = test_io(&c);
  else if (!strcmp(test, "allgather")) {
    rc = 0;
    for (int ring = 0; ring < 2 && !rc; ring++) {
      int g = ring == TSR_RING_ROW ? (cfg->mesh.bypass_rows && cfg->mesh.cols >= 2)
                                   : (cfg->mesh.bypass_cols && cfg->mesh.rows >= 2);
      if (g) rc = test_allgather(&c, ring, 6, 7, NULL);
    }
  } else {
    fprintf(stderr, "tessera-noc: --test %s: unknown, expected one of", test);
    for (int k = 0; tests[k]; k++) fprintf(stderr, " %s", tests[k]);
    fprintf(stderr, "\n");
    rc = 2;
  }
  if (csv) fclose(csv);
  free(cfg);
  return rc;
}
