// sc_mesh_top.cpp - see sc_mesh_top.h.
#include "sc_mesh_top.h"

#include <cmath>
#include <cstdio>
#include <cstring>

extern "C" {
#include "noc.h"
}

namespace tsr_sc {

using sc_core::sc_time;

namespace {
uint64_t cycles(double ns, double mhz) {
  return (uint64_t)std::ceil(ns * mhz / 1000.0 - 1e-9);
}
} // namespace

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

bool MeshTop::fits(const tsr_config *cfg) {
  int dies = (int)(cfg->mesh.rows * cfg->mesh.cols), nio = 2 * (int)cfg->mesh.rows;
  return width(PORT(trace_cycle_o){}) == 32 * dies && width(PORT(dram_addr_o){}) == 32 * nio &&
         width(PORT(dram_wdata_o){}) == nio * (int)cfg->router.flit_bits;
}

MeshTop::MeshTop(sc_core::sc_module_name name, const tsr_config *cfg)
    : sc_core::sc_module(name), host("host"), clk("clk", period(), 0.5, period() / 2, true),
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
    wait(settle());
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

} // namespace tsr_sc
