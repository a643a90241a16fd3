// vl_die.cpp - the Verilator front end: wraps the Verilated tessera_die in
// the C tsr_sim interface (verif/sim.h). C++ only because Verilator's model
// is a C++ class; everything else lives in the C harness core.
#include <cstdlib>
#include <cstring>

#include "Vtessera_die.h"
#include "verilated.h"

extern "C" {
#include "run.h"
#include "sim.h"
// Flops without a reset start from random values drawn from seed (the model is
// built with --x-initial unique): results must not depend on them.
tsr_sim *tsr_verilator_die_create(uint64_t seed);
}

namespace {
struct Die {
  VerilatedContext ctx;
  Vtessera_die *top;
};

Die *die(void *ctx) { return static_cast<Die *>(ctx); }

void tick(void *ctx) {
  Vtessera_die *t = die(ctx)->top;
  t->clk_i = 0;
  t->eval();
  t->clk_i = 1;
  t->eval();
}

void reset(void *ctx) {
  Vtessera_die *t = die(ctx)->top;
  t->host_req_i = 0;
  t->host_we_i = 0;
  // A die alone: no network (SEND and WAIT are for the mesh, verif/run_mesh.c).
  t->my_x_i = 1;
  t->my_y_i = 0;
  t->row_next_x_i = 1;
  t->col_next_y_i = 0;
  t->net_inj_credit_i = 0;
  t->net_ej_vld_i = 0;
  std::memset(&t->net_ej_flit_i, 0, sizeof t->net_ej_flit_i);
  t->rst_ni = 0;
  for (int i = 0; i < 4; i++) tick(ctx);
  t->rst_ni = 1;
  tick(ctx);
}

void set_host(void *ctx, int req, int we, uint32_t addr, uint32_t wdata) {
  Vtessera_die *t = die(ctx)->top;
  t->host_req_i = req;
  t->host_we_i = we;
  t->host_addr_i = addr;
  t->host_wdata_i = wdata;
}

void outputs(void *ctx, tsr_die_outputs *o) {
  Vtessera_die *t = die(ctx)->top;
  t->eval();
  o->busy = t->busy_o;
  o->halted = t->halted_o;
  o->error = t->error_o;
  o->rvalid = t->host_rvalid_o;
  o->rdata = t->host_rdata_o;
  o->trace_valid = t->trace_valid_o;
  o->trace_pc = t->trace_pc_o;
  o->trace_op = t->trace_op_o;
  o->trace_cycle = t->trace_cycle_o;
}

void destroy(void *ctx) {
  Die *d = die(ctx);
  d->top->final();
  delete d->top;
  delete d;
}
}  // namespace

tsr_sim *tsr_verilator_die_create(uint64_t seed) {
  Die *d = new Die;
  d->ctx.randReset(2);
  d->ctx.randSeed(static_cast<int>(seed % 2147483647u) + 1);
  d->top = new Vtessera_die{&d->ctx};
  tsr_sim *s = static_cast<tsr_sim *>(std::calloc(1, sizeof(tsr_sim)));
  s->ctx = d;
  s->reset = reset;
  s->set_host = set_host;
  s->tick = tick;
  s->outputs = outputs;
  s->destroy = destroy;
  return s;
}

// `tessera-sim` in Verilator: the shared runner (verif/run_die.c) on this front end.
int main(int argc, char **argv) { return tsr_die_main(argc, argv, tsr_verilator_die_create); }
