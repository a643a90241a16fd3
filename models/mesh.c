/* mesh.c - see mesh.h. */
#include "mesh.h"

#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "noc.h"

int tsr_mesh_send_ok(const tsr_config *cfg, int row, int col, const tsr_insn *send) {
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols;
  if (send->op == TSR_OP_DRD || send->op == TSR_OP_DWR) return cfg->mesh.io_dies ? 0 : -1;
  int tr = (int)send->row, tc = (int)send->col;
  if (tr >= rows || tc >= cols) return -1;
  if (!send->ring) return 0;
  int row_ring = cfg->mesh.bypass_rows && cols >= 2, col_ring = cfg->mesh.bypass_cols && rows >= 2;
  if (row_ring && tr == row && tc != col && tc == tsr_ring_next(col, cols)) return 0;
  if (col_ring && tc == col && tr != row && tr == tsr_ring_next(row, rows)) return 0;
  return -1;
}

/* One message of words lands on channel chan of die to. */
static void arrive(tsr_mesh_die *to, int chan, uint32_t words) {
  to->rx_words[TSR_WAIT_ANY] += words;
  to->rx_msgs[TSR_WAIT_ANY] += 1;
  to->rx_words[chan] += words;
  to->rx_msgs[chan] += 1;
}

/* Run die d until it halts, stops or blocks on WAIT; returns instructions retired. */
static long run_die(const tsr_config *cfg, tsr_mesh_die *dies, uint32_t **dram, int d,
                    char err[TSR_ISA_ERR_LEN]) {
  int cols = (int)cfg->mesh.cols;
  tsr_mesh_die *me = &dies[d];
  long done = 0;
  while (!me->halted && me->pc < me->n_insns) {
    tsr_insn in;
    if (tsr_decode(me->words + TSR_INSN_WORDS * me->pc, &in, err)) return -1;
    if (in.op == TSR_OP_WAIT) {
      uint64_t *have = in.msgs ? &me->rx_msgs[in.chan] : &me->rx_words[in.chan];
      if (*have < in.len) return done; /* blocked */
      *have -= in.len;
    } else if (in.op == TSR_OP_SEND) {
      if (tsr_mesh_send_ok(cfg, d / cols, d % cols, &in)) {
        me->halted = me->error = 1;
        return done;
      }
      tsr_mesh_die *to = &dies[in.row * (uint32_t)cols + in.col];
      const uint32_t *src = (in.src_buf == TSR_BUF_WGT ? me->wgt : me->act) + in.a;
      uint32_t *dst = (in.dst_buf == TSR_BUF_WGT ? to->wgt : to->act) + in.c;
      memmove(dst, src, (size_t)in.len * sizeof *dst);
      arrive(to, !in.ring ? TSR_WAIT_MESH : (int)in.row == d / cols ? TSR_WAIT_ROW : TSR_WAIT_COL,
             in.len);
    } else if (in.op == TSR_OP_DRD || in.op == TSR_OP_DWR) {
      if (tsr_mesh_send_ok(cfg, d / cols, d % cols, &in)) {
        me->halted = me->error = 1;
        return done;
      }
      uint32_t *mem = dram[2 * (d / cols) + tsr_io_side(cfg, d % cols)] + in.dram;
      if (in.op == TSR_OP_DRD) { /* the answer is one message into the buffer */
        memcpy((in.dst_buf == TSR_BUF_WGT ? me->wgt : me->act) + in.c, mem, (size_t)in.len * 4);
        arrive(me, TSR_WAIT_MESH, in.len);
      } else {
        memcpy(mem, (in.src_buf == TSR_BUF_WGT ? me->wgt : me->act) + in.c, (size_t)in.len * 4);
      }
    } else if (in.op == TSR_OP_HALT) {
      me->halted = 1;
    } else {
      tsr_golden_compute(&in, me->wgt, me->act);
    }
    me->pc++;
    me->retired++;
    done++;
  }
  return done;
}

int tsr_mesh_golden_run(const tsr_config *cfg, tsr_mesh_die *dies, uint32_t **dram,
                        char err[TSR_ISA_ERR_LEN]) {
  int n = (int)(cfg->mesh.rows * cfg->mesh.cols);
  for (int d = 0; d < n; d++) {
    char why[TSR_ISA_ERR_LEN];
    if (tsr_program_check_mesh(dies[d].words, dies[d].n_insns,
                               (uint32_t)tsr_buffer_words(&cfg->die.weight_buffer),
                               (uint32_t)tsr_buffer_words(&cfg->die.act_buffer), why) ||
        tsr_lanes_check(&cfg->dies[d], dies[d].words, dies[d].n_insns, why)) {
      snprintf(err, TSR_ISA_ERR_LEN, "die %d (row %d, col %d): %.180s", d, d / (int)cfg->mesh.cols,
               d % (int)cfg->mesh.cols, why);
      return -1;
    }
  }
  for (;;) {
    long progress = 0;
    int running = 0;
    for (int d = 0; d < n; d++) {
      long k = run_die(cfg, dies, dram, d, err);
      if (k < 0) return -1;
      progress += k;
      running += !dies[d].halted;
    }
    if (!running) return 0;
    if (progress) continue;
    for (int d = 0; d < n; d++) {
      if (dies[d].halted) continue;
      tsr_insn in;
      tsr_decode(dies[d].words + TSR_INSN_WORDS * dies[d].pc, &in, err);
      snprintf(err, TSR_ISA_ERR_LEN,
               "deadlock: die %d (row %d, col %d) waits at insn %zu for %u %s%s%s, %llu have arrived",
               d, d / (int)cfg->mesh.cols, d % (int)cfg->mesh.cols, dies[d].pc, in.len,
               in.msgs ? "messages" : "words", in.chan ? " on channel " : "",
               in.chan ? tsr_wait_chan_name(in.chan) : "",
               (unsigned long long)(in.msgs ? dies[d].rx_msgs[in.chan] : dies[d].rx_words[in.chan]));
      return -1;
    }
  }
}
