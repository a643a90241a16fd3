// sc_mesh.cpp - the SystemC top of a mesh generated with mesh.dram.model
// "external" (docs/simulators.md, "SystemC"): the Verilated tessera_mesh
// (verilator --sc), one DramChannel (sc_dram.h) per IO die on its DRAM port,
// and the mesh top's host port behind a TLM-2.0 target socket (`host`), so
// that the mesh drops into a SystemC virtual platform.
//
// tessera-sc-mesh runs the shared mesh harness (verif/run_mesh.c) on it: the
// harness's host accesses become TLM transactions from an initiator module
// into that socket, and tick() advances the simulation by one clock period.
// C++ because SystemC is.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <type_traits>
#include <vector>

#include "Vtessera_mesh.h"
#include "sc_dram.h"
#include "verilated.h"

extern "C" {
#include "harness.h"
#include "mesh_sim.h"
#include "noc.h"
#include "run_mesh.h"
}

namespace tsr_sc {
namespace {

using sc_core::SC_NS;
using sc_core::sc_signal;
using sc_core::sc_time;

// The clock: one tick of the harness is one period, the rising edge in its middle.
const sc_time kPeriod(10, SC_NS), kSettle(1, SC_NS);

// ---- fields of Verilated ports (bool, uint32_t, uint64_t or sc_bv<N> by width)
template <class P> struct port_value;
template <class T> struct port_value<sc_core::sc_in<T>> { using type = T; };
template <class T> struct port_value<sc_core::sc_out<T>> { using type = T; };
template <class P>
using port_t = typename port_value<typename std::remove_reference<P>::type>::type;
#define PORT(name) port_t<decltype(Vtessera_mesh::name)>

inline uint32_t mask(int w) {
  return w >= 32 ? ~0u : (1u << w) - 1;
}
inline uint32_t get(bool v, int lo, int) {
  return lo == 0 && v;
}
inline uint32_t get(uint32_t v, int lo, int w) {
  return (v >> lo) & mask(w);
}
inline uint32_t get(uint64_t v, int lo, int w) {
  return (uint32_t)(v >> lo) & mask(w);
}
template <int N> uint32_t get(const sc_dt::sc_bv<N> &v, int lo, int w) {
  return v.range(lo + w - 1, lo).to_uint();
}
inline void put(bool &v, int lo, int, uint32_t x) {
  if (lo == 0) v = x & 1;
}
inline void put(uint32_t &v, int lo, int w, uint32_t x) {
  v = (v & ~(mask(w) << lo)) | ((x & mask(w)) << lo);
}
inline void put(uint64_t &v, int lo, int w, uint32_t x) {
  v = (v & ~((uint64_t)mask(w) << lo)) | ((uint64_t)(x & mask(w)) << lo);
}
template <int N> void put(sc_dt::sc_bv<N> &v, int lo, int w, uint32_t x) {
  v.range(lo + w - 1, lo) = x;
}
template <class T> int width(const T &) {
  return 8 * (int)sizeof(T);
}
inline int width(const bool &) {
  return 1;
}
template <int N> int width(const sc_dt::sc_bv<N> &) {
  return N;
}

uint64_t cycles(double ns, double mhz) {
  return (uint64_t)std::ceil(ns * mhz / 1000.0 - 1e-9);
}

// The timing of every DRAM channel, from the configuration (docs/simulators.md).
DramTiming timing_of(const tsr_config *cfg) {
  DramTiming t;
  const tsr_ddr5_cfg &d = cfg->mesh.ddr5;
  double mhz = cfg->technology.clock_mhz;
  t.words = TSR_IO_DRAM_WORDS;
  t.beat_words = cfg->router.flit_bits / 32;
  t.latency = tsr_io_latency_cycles(cfg);
  t.bw_milli = tsr_io_bw_milli(cfg);
  t.ddr5 = cfg->mesh.dram_timing == TSR_DRAM_DDR5;
  t.banks = d.banks;
  t.row_words = d.row_bytes / 4;
  t.trcd = cycles(d.trcd_ns, mhz);
  t.trp = cycles(d.trp_ns, mhz);
  t.trefi = cycles(d.trefi_ns, mhz);
  t.trfc = cycles(d.trfc_ns, mhz);
  return t;
}

// ---- the top ---------------------------------------------------------------------

class MeshTop : public sc_core::sc_module {
public:
  // The host port (docs/noc.md, "The mesh top"): TLM address bits 31:0 are the
  // host address, bits 47:32 the die (row x cols + col; for regions 5 and 6
  // the IO die, 2 x row + side), bit 48 writes every die at once. One 32-bit
  // word per transaction, one clock cycle each.
  tlm_utils::simple_target_socket<MeshTop> host;

  sc_core::sc_clock clk;
  sc_signal<bool> rst_n;

  MeshTop(sc_core::sc_module_name name, const tsr_config *cfg);
  int dies() const { return dies_; }
  const std::vector<DramChannel *> &channels() const { return drams_; }

  // Status and trace outputs of the mesh (sideband, not on the socket).
  sc_signal<PORT(busy_o)> busy, halted, error, trace_valid;
  sc_signal<PORT(trace_pc_o)> trace_pc;
  sc_signal<PORT(trace_op_o)> trace_op;
  sc_signal<PORT(trace_cycle_o)> trace_cycle;

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay);
  void split(); // the mesh's DRAM port, flat, to each channel
  void join();  // each channel's answers to the flat port

  int dies_, nio_, beat_;
  sc_signal<bool> host_req_, host_we_, host_bcast_, host_rvalid_;
  sc_signal<PORT(host_die_i)> host_die_;
  sc_signal<uint32_t> host_addr_, host_wdata_, host_rdata_;
  sc_signal<PORT(dram_req_o)> dram_req_, dram_we_, dram_rtake_;
  sc_signal<PORT(dram_addr_o)> dram_addr_;
  sc_signal<PORT(dram_len_o)> dram_len_;
  sc_signal<PORT(dram_wdata_o)> dram_wdata_;
  sc_signal<PORT(dram_ready_i)> dram_ready_, dram_rvalid_;
  sc_signal<PORT(dram_rdata_i)> dram_rdata_;
  sc_core::sc_vector<sc_signal<bool>> ch_req_, ch_we_, ch_rtake_, ch_ready_, ch_rvalid_;
  sc_core::sc_vector<sc_signal<uint32_t>> ch_addr_, ch_len_, ch_wdata_, ch_rdata_;
  Vtessera_mesh mesh_;
  std::vector<DramChannel *> drams_;
};

MeshTop::MeshTop(sc_core::sc_module_name name, const tsr_config *cfg)
    : sc_core::sc_module(name), host("host"), clk("clk", kPeriod, 0.5, kPeriod / 2, true),
      dies_((int)(cfg->mesh.rows * cfg->mesh.cols)), nio_(2 * (int)cfg->mesh.rows),
      beat_((int)cfg->router.flit_bits / 32), ch_req_("ch_req", nio_), ch_we_("ch_we", nio_),
      ch_rtake_("ch_rtake", nio_), ch_ready_("ch_ready", nio_), ch_rvalid_("ch_rvalid", nio_),
      ch_addr_("ch_addr", nio_), ch_len_("ch_len", nio_), ch_wdata_("ch_wdata", nio_ * beat_),
      ch_rdata_("ch_rdata", nio_ * beat_), mesh_("mesh") {
  host.register_b_transport(this, &MeshTop::b_transport);
  mesh_.clk_i(clk);
  mesh_.rst_ni(rst_n);
  mesh_.host_req_i(host_req_);
  mesh_.host_we_i(host_we_);
  mesh_.host_bcast_i(host_bcast_);
  mesh_.host_die_i(host_die_);
  mesh_.host_addr_i(host_addr_);
  mesh_.host_wdata_i(host_wdata_);
  mesh_.host_rvalid_o(host_rvalid_);
  mesh_.host_rdata_o(host_rdata_);
  mesh_.busy_o(busy);
  mesh_.halted_o(halted);
  mesh_.error_o(error);
  mesh_.trace_valid_o(trace_valid);
  mesh_.trace_pc_o(trace_pc);
  mesh_.trace_op_o(trace_op);
  mesh_.trace_cycle_o(trace_cycle);
  mesh_.dram_req_o(dram_req_);
  mesh_.dram_we_o(dram_we_);
  mesh_.dram_addr_o(dram_addr_);
  mesh_.dram_len_o(dram_len_);
  mesh_.dram_wdata_o(dram_wdata_);
  mesh_.dram_ready_i(dram_ready_);
  mesh_.dram_rvalid_i(dram_rvalid_);
  mesh_.dram_rdata_i(dram_rdata_);
  mesh_.dram_rtake_o(dram_rtake_);
  DramTiming t = timing_of(cfg);
  for (int i = 0; i < nio_; i++) {
    char nm[32];
    snprintf(nm, sizeof nm, "dram_r%d_%s", i / 2, i % 2 ? "right" : "left");
    DramChannel *ch = new DramChannel(nm, t);
    ch->clk(clk);
    ch->rst_n(rst_n);
    ch->req(ch_req_[i]);
    ch->we(ch_we_[i]);
    ch->rtake(ch_rtake_[i]);
    ch->addr(ch_addr_[i]);
    ch->len(ch_len_[i]);
    ch->ready(ch_ready_[i]);
    ch->rvalid(ch_rvalid_[i]);
    for (int j = 0; j < beat_; j++) {
      ch->wdata[j](ch_wdata_[i * beat_ + j]);
      ch->rdata[j](ch_rdata_[i * beat_ + j]);
    }
    drams_.push_back(ch);
  }
  SC_HAS_PROCESS(MeshTop);
  SC_METHOD(split);
  sensitive << dram_req_ << dram_we_ << dram_rtake_ << dram_addr_ << dram_len_ << dram_wdata_;
  SC_METHOD(join);
  for (auto &s : ch_ready_)
    sensitive << s;
  for (auto &s : ch_rvalid_)
    sensitive << s;
  for (auto &s : ch_rdata_)
    sensitive << s;
}

void MeshTop::split() {
  const auto &req = dram_req_.read(), &we = dram_we_.read(), &take = dram_rtake_.read();
  const auto &addr = dram_addr_.read();
  const auto &len = dram_len_.read();
  const auto &wdata = dram_wdata_.read();
  for (int i = 0; i < nio_; i++) {
    ch_req_[i].write(get(req, i, 1));
    ch_we_[i].write(get(we, i, 1));
    ch_rtake_[i].write(get(take, i, 1));
    ch_addr_[i].write(get(addr, 32 * i, 32));
    ch_len_[i].write(get(len, 25 * i, 25));
    for (int j = 0; j < beat_; j++)
      ch_wdata_[i * beat_ + j].write(get(wdata, 32 * (i * beat_ + j), 32));
  }
}

void MeshTop::join() {
  PORT(dram_ready_i) ready{}, rvalid{};
  PORT(dram_rdata_i) rdata{};
  for (int i = 0; i < nio_; i++) {
    put(ready, i, 1, ch_ready_[i].read());
    put(rvalid, i, 1, ch_rvalid_[i].read());
    for (int j = 0; j < beat_; j++)
      put(rdata, 32 * (i * beat_ + j), 32, ch_rdata_[i * beat_ + j].read());
  }
  dram_ready_.write(ready);
  dram_rvalid_.write(rvalid);
  dram_rdata_.write(rdata);
}

// Loosely timed, but the RTL needs its clock: the target waits for the edge
// that samples the access, and returns a read's data after it.
void MeshTop::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
  wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  gp.set_dmi_allowed(false);
  uint64_t a = gp.get_address();
  uint32_t ha = (uint32_t)a, sel = (uint32_t)(a >> 32) & 0xffffu, region = ha >> 28;
  bool bcast = (a >> 48) & 1, read = gp.get_command() == tlm::TLM_READ_COMMAND;
  if (gp.get_data_length() != 4 || gp.get_streaming_width() < 4) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (gp.get_byte_enable_ptr()) {
    gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  int limit = region == 5 || region == 6 ? nio_ : dies_;
  if ((a >> 49) || (int)sel >= limit || (bcast && (read || region >= 4))) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint32_t data = 0;
  if (!read) memcpy(&data, gp.get_data_ptr(), 4);
  if (region == 5) { // the DRAM: the channels' storage, one cycle as in the RTL
    wait(clk.posedge_event());
    if (read)
      data = drams_[sel]->peek(ha);
    else
      drams_[sel]->poke(ha, data);
  } else {
    PORT(host_die_i) die{};
    put(die, 0, width(die), sel);
    host_req_.write(true);
    host_we_.write(!read);
    host_bcast_.write(bcast);
    host_die_.write(die);
    host_addr_.write(ha);
    host_wdata_.write(data);
    wait(clk.posedge_event());
    wait(kSettle);
    host_req_.write(false);
    host_we_.write(false);
    host_bcast_.write(false);
    if (read && !host_rvalid_.read()) { // nothing there answered
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    data = host_rdata_.read();
  }
  if (read) memcpy(gp.get_data_ptr(), &data, 4);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

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
  sc_core::sc_start(kPeriod);
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
    sc_core::sc_start(kPeriod);
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
