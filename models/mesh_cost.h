/* mesh_cost.h - the cost model of a mesh of dies: the predicted FETCH and
 * RETIRE cycle of every instruction on every die, for programs with SEND,
 * WAIT, DRD and DWR (docs/cost-model.md, "The mesh").
 *
 * Compute instructions take their die's closed forms (cost.h). A message is
 * a train of packets, each a train of flits, that the model walks along its
 * path, reserving every channel it crosses (router output ports, the IO
 * dies' links, the receiving network interface, the IO die's transmitter)
 * for as many cycles as it has flits. Without contention every reservation
 * starts the cycle the head arrives and the model is the closed form of
 * docs/noc.md; where packets share a channel, a head waits for the earliest
 * gap, the sender stalls once the wait exceeds what the FIFOs between it and
 * the blocked channel absorb, and WAIT retires when its words have landed. */
#ifndef TESSERA_MESH_COST_H
#define TESSERA_MESH_COST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "cost.h"
#include "isa.h"

/* Network events of an instruction: bits through routers (per router
 * crossed), over electrical links (die to die, die to IO die, and the bypass
 * ring's hops) and photonic links, and DRAM bits read or written. */
enum { TSR_NET_ROUTER_BITS, TSR_NET_LINK_BITS, TSR_NET_PHOTONIC_BITS, TSR_NET_DRAM_BITS, TSR_N_NET };
extern const char *const tsr_net_names[TSR_N_NET];
typedef struct {
  uint64_t c[TSR_N_NET];
} tsr_net_counts;

typedef struct {
  const uint32_t *words; /* the die's program, 4 words per instruction */
  size_t n_insns;
  tsr_insn_cost *out;    /* capacity n_insns: each retired instruction; a SEND,
                            DRD or DWR's counts include the buffer words it reads
                            and the words it writes into its target's buffer */
  tsr_net_counts *net;   /* capacity n_insns, or NULL: each one's network events */
  size_t n_retired;
  int error;             /* stopped on a bad SEND, DRD or DWR target */
  tsr_counts total;      /* the die's own counters (CSR 0x40 + 2i) at the end: its
                            instructions' events and what others wrote into its buffers */
} tsr_mesh_cost_die;

/* Predict every die's program (dies[row * cols + col], out filled, all dies
 * starting in cycle 0). net, when not NULL, holds tsr_cnt_total(cfg) counters
 * and gets every network counter of the map in arch/noc.h (photonic
 * powered cycles excepted: left 0). Returns 0, or -1 with err on a bad
 * program or when the dies deadlock. */
int tsr_mesh_cost_run(const tsr_config *cfg, tsr_mesh_cost_die *dies, uint64_t *net,
                      char err[TSR_ISA_ERR_LEN]);

/* Energy in pJ of an instruction's network events. */
double tsr_net_energy_pj(const tsr_net_counts *n, const tsr_config *cfg);

/* A mesh's energy by event class, from its counters: every die's (die[d]),
 * the network's (net, the map of arch/noc.h) and the DRAM words read and
 * written by every IO die (dram_words[2 x io + 0/1]). The same function
 * prices the RTL's counters and the model's. */
enum { TSR_E_FMA, TSR_E_SRAM_READ, TSR_E_SRAM_WRITE, TSR_E_IMEM, TSR_E_ROUTER, TSR_E_LINK,
       TSR_E_PHOTONIC, TSR_E_DRAM, TSR_N_ECLASS };
extern const char *const tsr_eclass_names[TSR_N_ECLASS];
void tsr_mesh_energy(const tsr_config *cfg, const tsr_counts *die, const uint64_t *net,
                     const uint64_t *dram_words, double pj[TSR_N_ECLASS]);

/* Cycles of a SEND of `words` words when its flits meet no contention:
 * FETCH, DECODE and RETIRE, the command cycle, one cycle per flit, and two
 * more until the last flit has left the network interface (docs/noc.md). */
#define TSR_SEND_OVERHEAD 3u
uint64_t tsr_send_cycles(const tsr_config *cfg, uint64_t words);
/* Cycles of an async SEND, DRD or DWR whose transmitter is free: FETCH,
 * DECODE, the command cycle and RETIRE; its flits go on after it
 * (docs/cost-model.md, "The mesh"). */
#define TSR_ASYNC_CYCLES 4u

#endif
