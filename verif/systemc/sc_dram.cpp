// sc_dram.cpp - see sc_dram.h.
#include "sc_dram.h"

#include <algorithm>

namespace tsr_sc {

DramChannel::DramChannel(sc_core::sc_module_name name, const DramTiming &t)
    : sc_core::sc_module(name), wdata("wdata", t.beat_words), rdata("rdata", t.beat_words), t_(t),
      cap_(4000ull * t.beat_words * 2 + t.bw_milli), mem_(t.words, 0) {
  if (!t_.ddr5) t_.trefi = 0;
  banks_.resize(t_.ddr5 ? t_.banks : 1);
  SC_HAS_PROCESS(DramChannel);
  SC_METHOD(on_clock);
  sensitive << clk.pos();
  dont_initialize();
}

void DramChannel::reset_state() {
  reads_.clear();
  std::fill(banks_.begin(), banks_.end(), Bank());
  now_ = tokens_ = last_epoch_ = 0;
  st_ = DramStats();
}

bool DramChannel::in_refresh(uint64_t t) const {
  return t_.trefi && t >= t_.trefi && t % t_.trefi < t_.trfc;
}

uint64_t DramChannel::open_row(uint64_t row, uint64_t t) {
  Bank &b = banks_[row % banks_.size()];
  t = std::max(t, b.busy_until);
  if (in_refresh(t)) t = t / t_.trefi * t_.trefi + t_.trfc; // no ACT during a refresh
  bool open = b.open && epoch(b.opened) == epoch(t);        // a refresh closes every row
  if (open && b.row == row) {
    st_.row_hits++;
    return t;
  }
  uint64_t cost = open ? t_.trp + t_.trcd : t_.trcd;
  (open ? st_.row_conflicts : st_.row_empty)++;
  b.open = true;
  b.row = row;
  b.opened = t;
  b.busy_until = t + cost;
  return t + cost;
}

// The segments of [addr, +len) that share a row, their rows opened from t on
// (simple timing: one segment, due Latency cycles after t).
void DramChannel::split(uint32_t addr, uint32_t len, uint64_t t, std::vector<Segment> *segs) {
  if (!t_.ddr5) {
    if (segs) segs->push_back({0, len, 0, t + t_.latency});
    return;
  }
  for (uint32_t off = 0; off < len;) {
    uint32_t w = (addr + off) & (t_.words - 1);
    uint32_t end = std::min(len, off + (t_.row_words - w % t_.row_words));
    uint64_t row = w / t_.row_words, open = open_row(row, t);
    if (segs) segs->push_back({off, end, row, open + t_.latency});
    off = end;
  }
}

// Whether the next n words of r may go in cycle t: their rows open (opened
// again if they closed under the read) and their data there, no refresh.
bool DramChannel::beat_there(Read &r, uint32_t n, uint64_t t) {
  uint64_t need = 0;
  for (Segment &s : r.segs) {
    if (s.end <= r.done || s.first >= r.done + n) continue;
    if (t_.ddr5) {
      const Bank &b = banks_[s.row % banks_.size()];
      if (!(b.open && b.row == s.row && epoch(b.opened) == epoch(t))) s.avail = open_row(s.row, t);
    }
    need = std::max(need, s.avail);
  }
  return t >= need && !in_refresh(t);
}

void DramChannel::on_clock() {
  const uint32_t n_beat = t_.beat_words;
  if (!rst_n.read()) {
    reset_state();
    ready.write(false);
    rvalid.write(false);
    for (uint32_t j = 0; j < n_beat; j++)
      rdata[j].write(0);
    return;
  }
  // What the IO die did in the cycle that ends now: the beat it took (the
  // bucket pays for it), a request.
  uint64_t c = now_;
  if (rtake.read() && !reads_.empty()) {
    Read &r = reads_.front();
    uint32_t n = beat_words(r);
    tokens_ = tokens_ - 4000ull * n + t_.bw_milli;
    r.addr += n;
    r.left -= n;
    r.done += n;
    st_.words_read += n;
    if (!r.left) reads_.pop_front();
  } else if (tokens_ < cap_) {
    tokens_ += t_.bw_milli;
  }
  if (req.read()) {
    uint32_t a = addr.read(), n = len.read();
    if (we.read()) {
      for (uint32_t j = 0; j < n && j < n_beat; j++)
        mem_[(a + j) & (t_.words - 1)] = wdata[j].read();
      split(a, n, c, nullptr);
      st_.writes++;
      st_.words_written += n;
    } else {
      Read r{a, n, 0, c, {}};
      split(a, n, c, &r.segs);
      reads_.push_back(r);
      st_.reads++;
    }
  }
  // What it sees in the cycle that starts now.
  uint64_t t = now_ = c + 1;
  while (t_.trefi && last_epoch_ < epoch(t))
    last_epoch_++, st_.refreshes++;
  bool rd = false, rv = false;
  uint32_t n = 0;
  if (!reads_.empty()) {
    Read &r = reads_.front();
    n = beat_words(r);
    bool there = beat_there(r, n, t);
    for (const Segment &s : r.segs)
      if (s.first <= r.done && r.done < s.end) rd = t >= s.avail;
    rv = rd && there && tokens_ >= 4000ull * n;
    if (t >= r.arrival + t_.latency && !there) st_.stall_cycles++;
    for (uint32_t j = 0; j < n; j++)
      rdata[j].write(mem_[(r.addr + j) & (t_.words - 1)]);
  }
  for (uint32_t j = n; j < n_beat; j++)
    rdata[j].write(0);
  ready.write(rd);
  rvalid.write(rv);
}

} // namespace tsr_sc
