/* noc.h - the network-on-package's topology and timing, shared by the
 * generator (gen/emit_noc.c), the traffic harness (verif/traffic.c) and the
 * cost model, so that all three read one definition (docs/noc.md).
 *
 * Grid: the die at mesh row r, column c is router r * cols + c at x = c + 1,
 * y = r; x = 0 and x = cols + 1 are the IO dies of row r (left, right).
 * Router ports: 0 local, 1 east, 2 south, 3 west, 4 north. */
#ifndef TESSERA_NOC_H
#define TESSERA_NOC_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum { TSR_PORT_L, TSR_PORT_E, TSR_PORT_S, TSR_PORT_W, TSR_PORT_N, TSR_N_PORTS };
enum { TSR_RING_ROW, TSR_RING_COL };

/* Head flit fields (bits of the flit's data, docs/noc.md): name, SystemVerilog
 * name, lowest bit, width. The one definition of the layout: the C models use
 * TSR_HEAD_<NAME> (lowest bit) and TSR_HEAD_<NAME>_W, and gen/emit_pkg.c emits
 * Head<Name> and Head<Name>W into tessera_pkg for the RTL. */
#define TSR_HEAD_FIELDS(X)                                                    \
  X(DST_X, DstX, 0, 7)                                                        \
  X(DST_Y, DstY, 7, 6)                                                        \
  X(SRC_X, SrcX, 13, 7)                                                       \
  X(SRC_Y, SrcY, 20, 6)                                                       \
  X(BODY, Body, 26, 6)    /* body flits in the packet, 0..63 */              \
  X(KIND, Kind, 32, 2)    /* TSR_KIND_* */                                    \
  X(BUF, Buf, 34, 1)      /* target buffer, 0 activation, 1 weight */         \
  X(TAIL_WORDS, TailWords, 35, 5) /* words in the last body flit, minus one */ \
  X(ADDR, Addr, 40, 24)   /* word address */
#define TSR_HEAD_ENUM(name, sv, lo, width) TSR_HEAD_##name = lo, TSR_HEAD_##name##_W = width,
enum { TSR_HEAD_FIELDS(TSR_HEAD_ENUM) TSR_HEAD_BITS = 64 };
#undef TSR_HEAD_ENUM
#define TSR_MAX_PACKET_FLITS 64 /* head and 63 body flits */

/* Packet kinds (head field KIND): name, SystemVerilog name (Kind<Name>). */
#define TSR_KINDS(X)                                                              \
  X(DATA, Data, 0)            /* a packet of a message */                         \
  X(DATA_LAST, DataLast, 1)   /* the last packet of a message */                  \
  X(DRAM_READ, DramRead, 2)   /* a DRAM read request (one body flit: length, address) */ \
  X(DRAM_WRITE, DramWrite, 3) /* words for DRAM, the head's address in DRAM */
#define TSR_KIND_ENUM(name, sv, value) TSR_KIND_##name = value,
enum { TSR_KINDS(TSR_KIND_ENUM) };
#undef TSR_KIND_ENUM

/* Body flits per packet the network interface sends at most: a message of
 * n words goes as ceil(n / (TSR_NI_MAX_BODY x words per flit)) packets. */
#define TSR_NI_MAX_BODY 16u
/* Words of the behavioral DRAM model behind each IO die (tessera_io_die). */
#define TSR_IO_DRAM_WORDS 16384u
/* The IO die a die's DRD and DWR reach: its row's, on the nearer side
 * (0 left, 1 right; the middle column of an odd row goes left). */
int tsr_io_side(const tsr_config *cfg, int col);
/* The DRAM channel model of every IO die: cycles from a read request's
 * arrival to its answer (latency_ns at the clock, rounded up), and bandwidth
 * in thousandths of a byte per cycle (channels x GB/s at the clock, rounded). */
uint64_t tsr_io_latency_cycles(const tsr_config *cfg);
uint64_t tsr_io_bw_milli(const tsr_config *cfg);
/* Cycles per body flit an IO die's answer takes at that bandwidth: 1 when
 * the DRAM keeps up with the link's flit a cycle, else more (rounded up). */
uint64_t tsr_io_flit_pace(const tsr_config *cfg);
/* Flits (heads and bodies) of a message of `words` words. */
uint64_t tsr_ni_message_flits(const tsr_config *cfg, uint64_t words);

/* Cycles a flit spends in a router: input FIFO write, then switch traversal
 * into the output register. */
#define TSR_ROUTER_CYCLES 2u
/* Cycles of a die's straight-through bypass channel (one register). */
#define TSR_BYPASS_CYCLES 1u

/* The output port XY routing picks at (x, y) for destination (dx, dy). */
int tsr_xy_port(int x, int y, int dx, int dy);
/* The neighbour's input port that an output port feeds (E -> W, ...). */
int tsr_opposite_port(int port);

/* The folded bypass ring over a line of n dies (order 0, 2, 4, ..., 5, 3, 1):
 * successor and predecessor of position i; -1 if n < 2. */
int tsr_ring_next(int i, int n);
int tsr_ring_prev(int i, int n);
/* Whether die i forwards the ring through its bypass channel, eastbound
 * (towards higher positions, dir = +1) or westbound (dir = -1). */
int tsr_ring_bypasses(int i, int n, int dir);

/* Kind of the link leaving die (r, c) through port (E, S, W, N); W of column
 * 0 and E of the last column lead to the IO dies. -1 where there is none. */
int tsr_port_link_kind(const tsr_config *cfg, int r, int c, int port);
/* Photonic link timing: cycles per flit (serialisation) and flight latency,
 * launch to arrival (serialisation plus E/O and O/E). */
uint32_t tsr_photonic_ser(const tsr_config *cfg);
uint32_t tsr_photonic_latency(const tsr_config *cfg);
/* Cycles from a sender's output register to the receiver's input (photonic:
 * the transmit FIFO's cycle plus the flight). */
uint32_t tsr_link_cycles(const tsr_config *cfg, int kind);

/* Input FIFO depth that sustains one flit per cycle over a link kind
 * (credit round trip, docs/noc.md), and the least depth over every link the
 * configuration uses. */
uint32_t tsr_depth_needed(const tsr_config *cfg, int kind);
uint32_t tsr_mesh_depth_needed(const tsr_config *cfg);
/* Depth of every ring receive FIFO (and ring sender credits). */
uint32_t tsr_ring_depth(const tsr_config *cfg);

/* Zero-load latency of a packet over h router-to-router hops on electrical
 * links: from the cycle its head enters the source router's input to the cycle
 * its tail leaves the destination router (docs/noc.md). */
uint64_t tsr_zero_load_cycles(const tsr_config *cfg, uint32_t hops, uint32_t flits);

/* The network counter map (tessera_noc's cnt_sel_i), docs/noc.md. */
uint32_t tsr_cnt_router(const tsr_config *cfg, int die, int port);
uint32_t tsr_cnt_link(const tsr_config *cfg, int die, int port);     /* flits out of die via port */
uint32_t tsr_cnt_powered(const tsr_config *cfg, int die, int port);  /* photonic cycles powered */
uint32_t tsr_cnt_io_link(const tsr_config *cfg, int row, int side);   /* IO die -> die flits */
uint32_t tsr_cnt_bypass(const tsr_config *cfg, int die, int ring);    /* flits through the bypass */
uint32_t tsr_cnt_ring_tx(const tsr_config *cfg, int die, int ring);   /* flits the die sent on a ring */
uint32_t tsr_cnt_total(const tsr_config *cfg);
/* What counter k counts, in words ("die 3 router, east output"). */
void tsr_cnt_name(const tsr_config *cfg, uint32_t k, char *out, size_t len);

#endif
