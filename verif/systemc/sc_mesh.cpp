// sc_mesh.cpp - tessera-sc-mesh: the shared mesh harness (verif/run_mesh.c)
// on the SystemC top (sc_mesh_top.h; docs/simulators.md, "SystemC"). The
// harness's host accesses become TLM transactions from an initiator module
// into the top's socket, and tick() advances the simulation by one clock
// period. C++ because SystemC is.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tlm_utils/simple_initiator_socket.h>

#include "sc_mesh_top.h"
#include "verilated.h"

extern "C" {
#include "harness.h"
#include "mesh_sim.h"
#include "run_mesh.h"
}

namespace tsr_sc {
namespace {

using sc_core::sc_time;

// ---- the harness's initiator --------------------------------------------------------

// Issues the one host access of a harness tick into the top's socket (and
// the odd ones of --tlm-check: longer, or with byte enables).
class HostInitiator : public sc_core::sc_module {
public:
  tlm_utils::simple_initiator_socket<HostInitiator> socket;
  sc_core::sc_event go;
  uint64_t address = 0;
  uint32_t data = 0, spare = 0;
  unsigned length = 4;
  bool write = false, ok = false, byte_enables = false;
  tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;

  explicit HostInitiator(sc_core::sc_module_name name)
      : sc_core::sc_module(name), socket("socket") {
    SC_HAS_PROCESS(HostInitiator);
    SC_THREAD(run);
  }

private:
  void run() {
    for (;;) {
      wait(go);
      tlm::tlm_generic_payload gp;
      sc_time delay = sc_core::SC_ZERO_TIME;
      unsigned char buf[8], be[4] = {0xff, 0xff, 0xff, 0};
      memcpy(buf, &data, 4);
      memcpy(buf + 4, &spare, 4);
      gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      gp.set_address(address);
      gp.set_data_ptr(buf);
      gp.set_data_length(length);
      gp.set_streaming_width(length);
      if (byte_enables) {
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
      }
      gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      socket->b_transport(gp, delay);
      memcpy(&data, buf, 4);
      status = gp.get_response_status();
      ok = gp.is_response_ok();
    }
  }
};

// ---- the harness's simulator (verif/mesh_sim.h) -------------------------------------

// SystemC elaborates once per process: the first create() builds the top,
// later ones (the next program of the same run) reset and reuse it.
struct Platform {
  MeshTop *top;
  HostInitiator *init;
  uint64_t ticks;
};
Platform *platform;

struct Sim {
  Platform *p;
  int pending, read_ok;
  uint32_t rdata;
};

void tick(void *ctx) {
  Sim *s = static_cast<Sim *>(ctx);
  if (s->pending) s->p->init->go.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start(period());
  s->p->ticks++;
  if (s->pending && !s->p->init->write) {
    s->read_ok = s->p->init->ok;
    s->rdata = s->p->init->data;
  }
}

void set_host(void *ctx, int req, int we, int bcast, uint32_t die, uint32_t addr, uint32_t wdata) {
  Sim *s = static_cast<Sim *>(ctx);
  HostInitiator *in = s->p->init;
  s->pending = req;
  if (!req) return;
  in->write = we;
  in->address = (uint64_t)(bcast ? 1 : 0) << 48 | (uint64_t)die << 32 | addr;
  in->data = wdata;
  s->read_ok = 0;
}

void reset(void *ctx) {
  Sim *s = static_cast<Sim *>(ctx);
  s->pending = 0;
  s->p->top->rst_n.write(false);
  for (int i = 0; i < 4; i++)
    tick(ctx);
  s->p->top->rst_n.write(true);
  tick(ctx);
}

int rvalid(void *ctx, uint32_t *rdata) {
  Sim *s = static_cast<Sim *>(ctx);
  *rdata = s->rdata;
  return s->read_ok;
}

void die(void *ctx, int d, tsr_die_outputs *o) {
  MeshTop *t = static_cast<Sim *>(ctx)->p->top;
  o->busy = (int)get(t->busy.read(), d, 1);
  o->halted = (int)get(t->halted.read(), d, 1);
  o->error = (int)get(t->error.read(), d, 1);
  o->rvalid = 0;
  o->rdata = 0;
  o->trace_valid = (int)get(t->trace_valid.read(), d, 1);
  o->trace_pc = o->trace_valid ? get(t->trace_pc.read(), 16 * d, 16) : 0;
  o->trace_op = o->trace_valid ? get(t->trace_op.read(), 8 * d, 8) : 0;
  o->trace_cycle = o->trace_valid ? get(t->trace_cycle.read(), 32 * d, 32) : 0;
}

uint64_t dram_stalls(void *ctx) {
  uint64_t n = 0;
  for (const DramChannel *ch : static_cast<Sim *>(ctx)->p->top->channels())
    n += ch->stats().stall_cycles;
  return n;
}

// With DDR5 timing, what each channel saw (stdout, before the program's verdict).
void destroy(void *ctx) {
  Sim *s = static_cast<Sim *>(ctx);
  const std::vector<DramChannel *> &chs = s->p->top->channels();
  for (size_t i = 0; i < chs.size() && chs[i]->timing().ddr5; i++) {
    const DramStats &st = chs[i]->stats();
    printf("  dram channel %zu (row %zu, %s): %llu reads, %llu writes; rows: %llu hits, %llu "
           "empty, %llu conflicts; %llu refreshes; %llu stall cycles\n",
           i, i / 2, i % 2 ? "right" : "left", (unsigned long long)st.reads,
           (unsigned long long)st.writes, (unsigned long long)st.row_hits,
           (unsigned long long)st.row_empty, (unsigned long long)st.row_conflicts,
           (unsigned long long)st.refreshes, (unsigned long long)st.stall_cycles);
  }
  delete s;
}

tsr_mesh_sim *create(const tsr_config *cfg, uint64_t seed) {
  if (!MeshTop::fits(cfg)) {
    fprintf(stderr,
            "tessera-sc-mesh: this SystemC top was built from a mesh of another size or "
            "flit width than the configuration describes (%ux%u, %u-bit flits)\n",
            cfg->mesh.rows, cfg->mesh.cols, cfg->router.flit_bits);
    return nullptr;
  }
  if (!platform) {
    Verilated::randReset(2);
    Verilated::randSeed(static_cast<int>(seed % 2147483647u) + 1);
    platform = new Platform{new MeshTop("top", cfg), new HostInitiator("harness"), 0};
    platform->init->socket.bind(platform->top->host);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
  }
  tsr_mesh_sim *m = static_cast<tsr_mesh_sim *>(std::calloc(1, sizeof(tsr_mesh_sim)));
  if (!m) return nullptr;
  m->ctx = new Sim{platform, 0, 0, 0};
  m->dies = platform->top->dies();
  m->reset = reset;
  m->set_host = set_host;
  m->tick = tick;
  m->rvalid = rvalid;
  m->die = die;
  m->dram_stalls = dram_stalls;
  m->destroy = destroy;
  return m;
}

// --tlm-check: the socket's address map and its refusals, from an initiator
// as a virtual platform's bus would drive it (tests/test_systemc.sh).
int tlm_check(const char *config) {
  static tsr_config cfg;
  char err[TSR_ERR_LEN];
  if (tsr_config_load(config, &cfg, err)) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  tsr_mesh_sim *m = create(&cfg, 1);
  if (!m) return 2;
  m->reset(m->ctx);
  HostInitiator *in = platform->init;
  int bad = 0, last = 2 * (int)cfg.mesh.rows - 1, dies = m->dies;
  auto access = [&](bool write, uint64_t addr, uint32_t data, unsigned len, bool be) {
    in->write = write;
    in->address = addr;
    in->data = data;
    in->length = len;
    in->byte_enables = be;
    in->go.notify(sc_core::SC_ZERO_TIME);
    sc_core::sc_start(period());
    in->length = 4;
    in->byte_enables = false;
    return in->status;
  };
  auto name = [](tlm::tlm_response_status st) {
    tlm::tlm_generic_payload gp;
    gp.set_response_status(st);
    return gp.get_response_string();
  };
  auto expect = [&](const char *what, tlm::tlm_response_status got, tlm::tlm_response_status want) {
    if (got == want)
      printf("ok %s: %s\n", what, name(got).c_str());
    else
      printf("FAIL %s: %s, expected %s\n", what, name(got).c_str(), name(want).c_str()), bad++;
  };
  uint64_t io = (uint64_t)last << 32, d = (uint64_t)(dies - 1) << 32;
  expect("DRAM word written to the last IO die",
         access(true, io | 0x50000123u, 0xC0FFEEu, 4, false), tlm::TLM_OK_RESPONSE);
  expect("and read back", access(false, io | 0x50000123u, 0, 4, false), tlm::TLM_OK_RESPONSE);
  if (in->data != 0xC0FFEEu) printf("FAIL the word read back is 0x%x\n", in->data), bad++;
  expect("weight buffer word written to the last die",
         access(true, d | TSR_HOST_WBUF | 5u, 0x3F800000u, 4, false), tlm::TLM_OK_RESPONSE);
  expect("and read back", access(false, d | TSR_HOST_WBUF | 5u, 0, 4, false), tlm::TLM_OK_RESPONSE);
  if (in->data != 0x3F800000u) printf("FAIL the word read back is 0x%x\n", in->data), bad++;
  expect("network counter 0 read", access(false, 0x40000000u, 0, 4, false), tlm::TLM_OK_RESPONSE);
  expect("IO die counter read", access(false, io | 0x60000002u, 0, 4, false), tlm::TLM_OK_RESPONSE);
  expect("a burst of two words refused", access(false, 0x10000000u, 0, 8, false),
         tlm::TLM_BURST_ERROR_RESPONSE);
  expect("byte enables refused", access(true, 0x10000000u, 1, 4, true),
         tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  expect("a die outside the mesh refused",
         access(false, (uint64_t)dies << 32 | 0x10000000u, 0, 4, false),
         tlm::TLM_ADDRESS_ERROR_RESPONSE);
  expect("an IO die outside the mesh refused",
         access(false, (uint64_t)(last + 1) << 32 | 0x50000000u, 0, 4, false),
         tlm::TLM_ADDRESS_ERROR_RESPONSE);
  expect("a broadcast read refused", access(false, 1ull << 48 | 0x10000000u, 0, 4, false),
         tlm::TLM_ADDRESS_ERROR_RESPONSE);
  expect("a read nothing answers (region 7) refused", access(false, 0x70000000u, 0, 4, false),
         tlm::TLM_ADDRESS_ERROR_RESPONSE);
  m->destroy(m->ctx);
  std::free(m);
  printf("%s: %d TLM check%s failed\n", bad ? "FAIL" : "PASS", bad, bad == 1 ? "" : "s");
  return bad ? 1 : 0;
}

} // namespace
} // namespace tsr_sc

// tessera-sc-mesh: the shared mesh harness (verif/run_mesh.c) on the SystemC top.
int sc_main(int argc, char **argv) {
  static const tsr_mesh_front_end fe = {"tessera-sc-mesh", 1, tsr_sc::create};
  if (argc == 3 && !strcmp(argv[1], "--tlm-check")) return tsr_sc::tlm_check(argv[2]);
  int rc = tsr_mesh_main(argc, argv, &fe);
  if (tsr_sc::platform)
    fprintf(stderr, "tessera-sc-mesh: %llu clock cycles simulated\n",
            (unsigned long long)tsr_sc::platform->ticks);
  return rc;
}

// SystemC prints its banner before sc_main unless told not to.
int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
