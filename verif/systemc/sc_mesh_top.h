// sc_mesh_top.h - the SystemC top of a mesh generated with mesh.dram.model
// "external" (docs/simulators.md, "SystemC"): the Verilated tessera_mesh
// (verilator --sc), one DramChannel (sc_dram.h) per IO die on its DRAM port,
// and the mesh top's host port behind a TLM-2.0 target socket (`host`). A
// virtual platform constructs a MeshTop from the configuration the RTL was
// generated from, binds its bus to `host`, drives `rst_n` and reads the
// status signals; tessera-sc-mesh (sc_mesh.cpp) is one such platform. C++
// because SystemC is.
#ifndef TESSERA_SC_MESH_TOP_H
#define TESSERA_SC_MESH_TOP_H

#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>
#include <type_traits>
#include <vector>

#include "Vtessera_mesh.h"
#include "sc_dram.h"

extern "C" {
#include "config.h"
}

namespace tsr_sc {

// The clock: one tick of the harness is one period, the rising edge in its middle.
inline sc_core::sc_time period() {
  return sc_core::sc_time(10, sc_core::SC_NS);
}
inline sc_core::sc_time settle() {
  return sc_core::sc_time(1, sc_core::SC_NS);
}

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

// The timing of every DRAM channel, from the configuration (docs/simulators.md).
DramTiming timing_of(const tsr_config *cfg);

class MeshTop : public sc_core::sc_module {
public:
  // The host port (docs/noc.md, "The mesh top"): TLM address bits 31:0 are the
  // host address, bits 47:32 the die (row x cols + col; for regions 5 and 6
  // the IO die, 2 x row + side), bit 48 writes every die at once. One 32-bit
  // word per transaction, one clock cycle each.
  tlm_utils::simple_target_socket<MeshTop> host;

  sc_core::sc_clock clk;
  sc_core::sc_signal<bool> rst_n;

  MeshTop(sc_core::sc_module_name name, const tsr_config *cfg);
  // Whether the Verilated mesh has the dies, IO dies and flit width of cfg
  // (it was generated from a configuration of the same size).
  static bool fits(const tsr_config *cfg);
  int dies() const { return dies_; }
  const std::vector<DramChannel *> &channels() const { return drams_; }

  // Status and trace outputs of the mesh (sideband, not on the socket).
  sc_core::sc_signal<PORT(busy_o)> busy, halted, error, trace_valid;
  sc_core::sc_signal<PORT(trace_pc_o)> trace_pc;
  sc_core::sc_signal<PORT(trace_op_o)> trace_op;
  sc_core::sc_signal<PORT(trace_cycle_o)> trace_cycle;

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
  void split(); // the mesh's DRAM port, flat, to each channel
  void join();  // each channel's answers to the flat port

  int dies_, nio_, beat_;
  sc_core::sc_signal<bool> host_req_, host_we_, host_bcast_, host_rvalid_;
  sc_core::sc_signal<PORT(host_die_i)> host_die_;
  sc_core::sc_signal<uint32_t> host_addr_, host_wdata_, host_rdata_;
  sc_core::sc_signal<PORT(dram_req_o)> dram_req_, dram_we_, dram_rtake_;
  sc_core::sc_signal<PORT(dram_addr_o)> dram_addr_;
  sc_core::sc_signal<PORT(dram_len_o)> dram_len_;
  sc_core::sc_signal<PORT(dram_wdata_o)> dram_wdata_;
  sc_core::sc_signal<PORT(dram_ready_i)> dram_ready_, dram_rvalid_;
  sc_core::sc_signal<PORT(dram_rdata_i)> dram_rdata_;
  sc_core::sc_vector<sc_core::sc_signal<bool>> ch_req_, ch_we_, ch_rtake_, ch_ready_, ch_rvalid_;
  sc_core::sc_vector<sc_core::sc_signal<uint32_t>> ch_addr_, ch_len_, ch_wdata_, ch_rdata_;
  Vtessera_mesh mesh_;
  std::vector<DramChannel *> drams_;
};

} // namespace tsr_sc

#endif
