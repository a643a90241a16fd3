/* mesh.h - the functional golden model of a mesh of dies: every die's program
 * with SEND, WAIT, DRD and DWR (docs/isa.md), bit-exact with the RTL for
 * programs whose dies synchronise through WAIT before they touch arriving
 * data. Each IO die holds its own DRAM (TSR_IO_DRAM_WORDS words); a die's DRD
 * and DWR reach the IO die of its row on the nearer side (tsr_io_side).
 *
 * Timing plays no part: a SEND or a DRD's answer lands at once (the RTL lands
 * it later, which a race-free program cannot tell), a DWR reaches DRAM at
 * once, and a die blocks on WAIT until enough words or messages have landed
 * (on the channel it names, or on any). A SEND whose target is outside
 * the mesh, or a RING send whose target is not the sender's successor on its
 * row or column ring, stops the sender with its error flag, as the die does. */
#ifndef TESSERA_MESH_H
#define TESSERA_MESH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "isa.h"

typedef struct {
  const uint32_t *words; /* the program, 4 words per instruction */
  size_t n_insns;
  uint32_t *wgt, *act;   /* the die's buffers, updated in place */
  /* state and results */
  size_t pc;
  int halted, error;     /* error: stopped on a bad SEND target */
  long retired;
  /* arrived, less what WAIT consumed, per tsr_wait_chan: [TSR_WAIT_ANY] counts
   * every arrival, the others one receive channel's */
  uint64_t rx_words[TSR_WAIT_CHANS], rx_msgs[TSR_WAIT_CHANS];
} tsr_mesh_die;

/* Whether die (row, col) accepts a SEND, DRD or DWR: 0 on a legal target, -1
 * when the die stops with its error flag (a target outside the mesh, a ring
 * target that is not the successor, DRAM access without IO dies). */
int tsr_mesh_send_ok(const tsr_config *cfg, int row, int col, const tsr_insn *send);

/* Run all rows x cols programs (dies[row * cols + col], pc and results zero)
 * until every die has halted or stopped; dram[2 x row + side] is each IO
 * die's DRAM (NULL without IO dies). Returns 0, or -1 with err when the dies
 * deadlock (naming a die that waits and for what) or a program is bad. */
int tsr_mesh_golden_run(const tsr_config *cfg, tsr_mesh_die *dies, uint32_t **dram,
                        char err[TSR_ISA_ERR_LEN]);

#endif
