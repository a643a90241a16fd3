// vl_mesh.cpp - the Verilator front end of the mesh top: wraps the Verilated
// tessera_mesh in the C tsr_mesh_sim interface (verif/mesh_sim.h). C++ only
// because Verilator's model is a C++ class.
#include <cstdlib>

#include "Vtessera_mesh.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#include "verilator/vl_bits.h"

extern "C" {
#include "mesh_sim.h"
#include "run_mesh.h"
// Flops without a reset start from random values drawn from seed.
tsr_mesh_sim *tsr_verilator_mesh_create(int dies, uint64_t seed);
}

namespace {
struct Mesh {
  VerilatedContext ctx;
  Vtessera_mesh *top;
#if VM_TRACE
  VerilatedFstC *fst = nullptr;  // open while a waveform is being written
#endif
  uint64_t time = 0;             // two steps per clock cycle
};

Vtessera_mesh *top(void *ctx) { return static_cast<Mesh *>(ctx)->top; }

void dump(Mesh *m) {
#if VM_TRACE
  if (m->fst) m->fst->dump(m->time);
#endif
  m->time++;
}

void tick(void *ctx) {
  Mesh *m = static_cast<Mesh *>(ctx);
  m->top->clk_i = 0;
  m->top->eval();
  dump(m);
  m->top->clk_i = 1;
  m->top->eval();
  dump(m);
}

// Built with --trace-fst: the FST writer of Verilator; else no waveforms.
int waves(void *ctx, const char *path) {
#if VM_TRACE
  Mesh *m = static_cast<Mesh *>(ctx);
  if (m->fst) {
    m->fst->close();
    delete m->fst;
    m->fst = nullptr;
  }
  if (!path) return 0;
  m->fst = new VerilatedFstC;
  m->top->trace(m->fst, 99);
  m->fst->open(path);
  return m->fst->isOpen() ? 0 : -1;
#else
  (void)ctx;
  return path ? -1 : 0;
#endif
}

void set_host(void *ctx, int req, int we, int bcast, uint32_t die, uint32_t addr, uint32_t wdata) {
  Vtessera_mesh *t = top(ctx);
  t->host_req_i = req;
  t->host_we_i = we;
  t->host_bcast_i = bcast;
  t->host_die_i = die;
  t->host_addr_i = addr;
  t->host_wdata_i = wdata;
}

// Inputs start random (randReset): quiet them before the first edge.
void reset(void *ctx) {
  Vtessera_mesh *t = top(ctx);
  set_host(ctx, 0, 0, 0, 0, 0, 0);
  t->rst_ni = 0;
  for (int i = 0; i < 4; i++) tick(ctx);
  t->rst_ni = 1;
  tick(ctx);
}

int rvalid(void *ctx, uint32_t *rdata) {
  Vtessera_mesh *t = top(ctx);
  t->eval();
  *rdata = t->host_rdata_o;
  return t->host_rvalid_o;
}

void die(void *ctx, int d, tsr_die_outputs *o) {
  Vtessera_mesh *t = top(ctx);
  o->busy = get_bit(t->busy_o, d);
  o->halted = get_bit(t->halted_o, d);
  o->error = get_bit(t->error_o, d);
  o->rvalid = 0;
  o->rdata = 0;
  o->trace_valid = get_bit(t->trace_valid_o, d);
  o->trace_pc = o->trace_valid ? get_field(t->trace_pc_o, d, 16) : 0;
  o->trace_op = o->trace_valid ? get_field(t->trace_op_o, d, 8) : 0;
  o->trace_cycle = o->trace_valid ? get_field(t->trace_cycle_o, d, 32) : 0;
}

void destroy(void *ctx) {
  Mesh *m = static_cast<Mesh *>(ctx);
  waves(ctx, nullptr);
  m->top->final();
  delete m->top;
  delete m;
}
}  // namespace

tsr_mesh_sim *tsr_verilator_mesh_create(int dies, uint64_t seed) {
  Mesh *m = new Mesh;
  m->ctx.randReset(2);
  m->ctx.randSeed(static_cast<int>(seed % 2147483647u) + 1);
  m->ctx.traceEverOn(true);
  m->top = new Vtessera_mesh{&m->ctx};
  tsr_mesh_sim *s = static_cast<tsr_mesh_sim *>(std::calloc(1, sizeof(tsr_mesh_sim)));
  s->ctx = m;
  s->dies = dies;
  s->reset = reset;
  s->set_host = set_host;
  s->tick = tick;
  s->rvalid = rvalid;
  s->die = die;
  s->waves = waves;
  s->destroy = destroy;
  return s;
}

namespace {
tsr_mesh_sim *create(const tsr_config *cfg, uint64_t seed) {
  return tsr_verilator_mesh_create(static_cast<int>(cfg->mesh.rows * cfg->mesh.cols), seed);
}
} // namespace

// tessera-mesh: the shared mesh harness (verif/run_mesh.c) on this simulator.
int main(int argc, char **argv) {
  static const tsr_mesh_front_end fe = {"tessera-mesh", 0, create};
  return tsr_mesh_main(argc, argv, &fe);
}
