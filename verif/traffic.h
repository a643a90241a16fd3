/* traffic.h - the network traffic harness: endpoints that inject synthetic
 * traffic into a tessera_noc at an offered load, with random back-pressure
 * at ejection, and a scoreboard that checks every packet arrives exactly
 * once, whole, uncorrupted and in order per source-destination pair; a
 * watchdog fails the run when flits are in flight and none moves.
 *
 * Each endpoint has its own unbounded source queue, so injection is limited
 * only by the offered load and the network's credits; latency is measured
 * from the cycle a packet is generated to the cycle its tail is delivered. */
#ifndef TESSERA_TRAFFIC_H
#define TESSERA_TRAFFIC_H

#include <stdint.h>

#include "config.h"
#include "noc_sim.h"

typedef enum {
  TSR_TRAFFIC_NONE,       /* only packets the caller sends */
  TSR_TRAFFIC_UNIFORM,    /* destination uniform over the other dies */
  TSR_TRAFFIC_TRANSPOSE,  /* (r, c) -> (c, r) */
  TSR_TRAFFIC_BITCOMP,    /* (r, c) -> (rows-1-r, cols-1-c) */
  TSR_TRAFFIC_HOTSPOT,    /* 20 % to the centre die, the rest uniform */
  TSR_TRAFFIC_NEIGHBOUR,  /* a random mesh neighbour */
  TSR_TRAFFIC_RING,       /* every die to its successor on its row and column rings */
  TSR_N_TRAFFIC
} tsr_pattern;
extern const char *const tsr_pattern_names[TSR_N_TRAFFIC];

/* Faults the harness plants in what it sees of the network, to show that the
 * scoreboard and the watchdog catch them (tests/test_noc.sh). */
typedef enum {
  TSR_FAULT_NONE,
  TSR_FAULT_DROP,      /* one delivered flit is lost */
  TSR_FAULT_DUPLICATE, /* one delivered flit is seen twice */
  TSR_FAULT_CORRUPT,   /* one delivered flit has a bit flipped */
  TSR_FAULT_STALL,     /* every endpoint stops taking flits */
  TSR_N_FAULTS
} tsr_fault;
extern const char *const tsr_fault_names[TSR_N_FAULTS];

typedef struct {
  uint64_t seed;
  tsr_pattern pattern;
  double load;          /* offered flits per sending endpoint per cycle */
  int min_flits, max_flits; /* packet length in flits (head included), uniform */
  double backpressure;  /* probability an endpoint takes no flit in a cycle */
  uint64_t warmup;      /* cycles before throughput and latency are measured */
  int yx_table;         /* table routing: load YX routes and expect them */
  uint64_t watchdog;    /* cycles without movement that fail the run (0: 2000) */
  tsr_fault fault;      /* a fault planted after 1000 delivered flits (self-test) */
} tsr_traffic_opts;

typedef struct tsr_traffic tsr_traffic;

/* Endpoints: group (noc_sim.h) and index within it. */
typedef struct {
  int grp, idx;
} tsr_ep;

tsr_traffic *tsr_traffic_new(const tsr_config *cfg, tsr_noc_sim *sim, const tsr_traffic_opts *o);
void tsr_traffic_free(tsr_traffic *t);

/* Queue a packet of nflits flits at src for dst now; returns its id. */
int64_t tsr_traffic_send(tsr_traffic *t, tsr_ep src, tsr_ep dst, int nflits);
/* One cycle; generate != 0 lets the pattern generate packets. Returns -1
 * after the first scoreboard or watchdog failure. */
int tsr_traffic_step(tsr_traffic *t, int generate);
/* Run until nothing is queued or in flight (or max cycles): -1 on failure. */
int tsr_traffic_drain(tsr_traffic *t, uint64_t max_cycles);
/* After draining: every packet delivered once, and every network counter
 * equal to the count the packets' routes imply. -1 with the reason. */
int tsr_traffic_check_end(tsr_traffic *t);

/* Ring all-gather: every die of every enabled ring owns `packets` packets of
 * `body` body flits and forwards what it receives until each die holds every
 * chunk; checked at check_end. */
void tsr_traffic_allgather(tsr_traffic *t, int ring, int packets, int body);

/* The back-pressure model of one endpoint can be overridden (directed tests):
 * probability it takes no flit in a cycle. */
void tsr_traffic_set_backpressure(tsr_traffic *t, tsr_ep ep, double p);

typedef struct {
  uint64_t cycles;                 /* cycles run since reset */
  uint64_t packets_sent, packets_delivered;
  uint64_t flits_offered, flits_injected, flits_delivered;
  uint64_t window_cycles, window_flits; /* after warmup, for throughput */
  uint64_t lat_n, lat_sum, lat_max;     /* packet latency after warmup */
  int sending_endpoints;
  const char *error;               /* first failure, or NULL */
} tsr_traffic_stats;
const tsr_traffic_stats *tsr_traffic_get_stats(const tsr_traffic *t);

/* Delivery record of packet id: cycles its head and tail left the network
 * (-1 if not yet), and when it was generated. */
void tsr_traffic_packet_times(const tsr_traffic *t, int64_t id, int64_t *gen, int64_t *head,
                              int64_t *tail);
/* Length of packet id in flits, head included. */
int tsr_traffic_packet_flits(const tsr_traffic *t, int64_t id);

#endif
