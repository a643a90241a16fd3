// vl_noc.cpp - the Verilator front end of the network: wraps the Verilated
// tessera_noc in the C tsr_noc_sim interface (verif/noc_sim.h). C++ only
// because Verilator's model is a C++ class. noc_ports.h (written by
// `tessera gen`) says which endpoint groups this network has.
#include <cstdlib>

#include "Vtessera_noc.h"
#include "noc_ports.h"
#include "verilated.h"
#include "verilator/vl_bits.h"

extern "C" {
#include "noc_sim.h"
}

namespace {
struct Noc {
  VerilatedContext ctx;
  Vtessera_noc *top;
  int fw;  // flit bits with head and tail
};

Noc *noc(void *ctx) { return static_cast<Noc *>(ctx); }

// The endpoint groups this network has, as X(inj prefix, ej prefix, group).
#if TSR_NOC_HAS_IO
#define IO_GROUP(X) X(io_inj, io_ej, TSR_GRP_IO)
#else
#define IO_GROUP(X)
#endif
#if TSR_NOC_HAS_ROW_RING
#define ROW_GROUP(X) X(ring_row_inj, ring_row_ej, TSR_GRP_RING_ROW)
#else
#define ROW_GROUP(X)
#endif
#if TSR_NOC_HAS_COL_RING
#define COL_GROUP(X) X(ring_col_inj, ring_col_ej, TSR_GRP_RING_COL)
#else
#define COL_GROUP(X)
#endif
#define ALL_GROUPS(X) X(inj, ej, TSR_GRP_LOCAL) IO_GROUP(X) ROW_GROUP(X) COL_GROUP(X)

void set_inj(void *ctx, int grp, int idx, int vld, const uint32_t *flit) {
  Noc *n = noc(ctx);
  Vtessera_noc *t = n->top;
#define X(I, E, G)                                                  \
  case G:                                                           \
    put_bit(t->I##_vld_i, idx, vld);                                \
    if (vld) put_slice(t->I##_flit_i, idx, n->fw, flit);            \
    break;
  switch (grp) { ALL_GROUPS(X) default: break; }
#undef X
}

int inj_credit(void *ctx, int grp, int idx) {
  Vtessera_noc *t = noc(ctx)->top;
#define X(I, E, G) \
  case G: return get_bit(t->I##_credit_o, idx);
  switch (grp) { ALL_GROUPS(X) default: return 0; }
#undef X
}

int ej(void *ctx, int grp, int idx, uint32_t *flit) {
  Noc *n = noc(ctx);
  Vtessera_noc *t = n->top;
#define X(I, E, G)                                                  \
  case G:                                                           \
    if (!get_bit(t->E##_vld_o, idx)) return 0;                      \
    get_slice(t->E##_flit_o, idx, n->fw, flit);                     \
    return 1;
  switch (grp) { ALL_GROUPS(X) default: return 0; }
#undef X
}

void set_ej_credit(void *ctx, int grp, int idx, int credit) {
  Vtessera_noc *t = noc(ctx)->top;
#define X(I, E, G) \
  case G: put_bit(t->E##_credit_i, idx, credit); break;
  switch (grp) { ALL_GROUPS(X) default: break; }
#undef X
}

void set_table(void *ctx, int we, uint32_t die, uint32_t addr, uint32_t port) {
#if TSR_NOC_HAS_TABLE
  Vtessera_noc *t = noc(ctx)->top;
  t->tbl_we_i = we;
  t->tbl_die_i = die;
  t->tbl_addr_i = addr;
  t->tbl_port_i = port;
#else
  (void)ctx, (void)we, (void)die, (void)addr, (void)port;
#endif
}

uint32_t counter(void *ctx, uint32_t sel) {
  Vtessera_noc *t = noc(ctx)->top;
  t->cnt_sel_i = sel;
  t->eval();
  return t->cnt_o;
}

void eval_comb(void *ctx) {
  Vtessera_noc *t = noc(ctx)->top;
  t->clk_i = 0;
  t->eval();
}

void tick(void *ctx) {
  Vtessera_noc *t = noc(ctx)->top;
  t->clk_i = 1;
  t->eval();
}

// Inputs start random (randReset): quiet every valid, credit and table write
// before the first edge.
void reset(void *ctx) {
  Vtessera_noc *t = noc(ctx)->top;
#define X(I, E, G)     \
  zero(t->I##_vld_i);  \
  zero(t->E##_credit_i);
  ALL_GROUPS(X)
#undef X
  set_table(ctx, 0, 0, 0, 0);
  t->rst_ni = 0;
  for (int i = 0; i < 4; i++) {
    eval_comb(ctx);
    tick(ctx);
  }
  t->rst_ni = 1;
}

void destroy(void *ctx) {
  Noc *n = noc(ctx);
  n->top->final();
  delete n->top;
  delete n;
}
}  // namespace

tsr_noc_sim *tsr_verilator_noc_create(int flit_bits, uint64_t seed) {
  Noc *n = new Noc;
  n->ctx.randReset(2); /* random initial values where the RTL has no reset */
  n->ctx.randSeed(static_cast<int>(seed % 2147483647u) + 1);
  n->top = new Vtessera_noc{&n->ctx};
  n->fw = flit_bits + 2;
  tsr_noc_sim *s = static_cast<tsr_noc_sim *>(std::calloc(1, sizeof(tsr_noc_sim)));
  s->ctx = n;
  s->has[TSR_GRP_LOCAL] = 1;
  s->has[TSR_GRP_IO] = TSR_NOC_HAS_IO;
  s->has[TSR_GRP_RING_ROW] = TSR_NOC_HAS_ROW_RING;
  s->has[TSR_GRP_RING_COL] = TSR_NOC_HAS_COL_RING;
  s->has_table = TSR_NOC_HAS_TABLE;
  s->reset = reset;
  s->set_inj = set_inj;
  s->inj_credit = inj_credit;
  s->ej = ej;
  s->set_ej_credit = set_ej_credit;
  s->set_table = set_table;
  s->counter = counter;
  s->eval_comb = eval_comb;
  s->tick = tick;
  s->destroy = destroy;
  return s;
}
