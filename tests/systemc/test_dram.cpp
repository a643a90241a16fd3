// test_dram.cpp - the SystemC DRAM channel (verif/systemc/sc_dram.h) alone,
// against cycles worked out by hand from its rules (docs/simulators.md, "The
// DRAM channel"): the latency and token bucket of the simple timing, then the
// DDR5 row hit, idle bank, conflict, a write's row, and a refresh. A
// testbench thread plays the IO die: after each rising edge it reads the
// channel's outputs and drives its inputs for the cycle that follows.
#define SC_INCLUDE_DYNAMIC_PROCESSES // sc_spawn
#include <cstdio>
#include <cstdlib>
#include <systemc>
#include <vector>

#include "sc_dram.h"

using namespace sc_core;
using tsr_sc::DramChannel;
using tsr_sc::DramTiming;

namespace {

int failures = 0;
void expect(const char *what, long long got, long long want) {
  if (got == want)
    printf("ok %s: %lld\n", what, got);
  else
    printf("FAIL %s: %lld, expected %lld\n", what, got, want), failures++;
}

class Bench : public sc_module {
public:
  sc_in<bool> clk;
  sc_signal<bool> rst_n, req, we, rtake, ready, rvalid;
  sc_signal<uint32_t> addr, len;
  sc_vector<sc_signal<uint32_t>> wdata, rdata;
  DramChannel dram;
  static sc_time release; // reset ends: cycle 0 of the channels starts

  Bench(sc_module_name n, const DramTiming &t)
      : sc_module(n), wdata("wdata", t.beat_words), rdata("rdata", t.beat_words), dram("dram", t) {
    dram.clk(clk);
    dram.rst_n(rst_n);
    dram.req(req);
    dram.we(we);
    dram.rtake(rtake);
    dram.addr(addr);
    dram.len(len);
    dram.ready(ready);
    dram.rvalid(rvalid);
    for (uint32_t j = 0; j < t.beat_words; j++) {
      dram.wdata[j](wdata[j]);
      dram.rdata[j](rdata[j]);
    }
  }
  // The channels' number of the cycle the bench is in (both share the clock).
  static long long cycle() { return (long long)((sc_time_stamp() - release) / sc_time(10, SC_NS)); }
  void edge() { // into the next cycle, whose outputs are readable then
    wait(clk.posedge_event());
    wait(1, SC_NS);
    req.write(false);
    rtake.write(false);
  }
  void request(bool w, uint32_t a, uint32_t n) { // a request in this cycle, then the next cycle
    req.write(true);
    we.write(w);
    addr.write(a);
    len.write(n);
    for (uint32_t j = 0; j < wdata.size(); j++)
      wdata[j].write(0xB00 + a + j);
    edge();
  }
  // Cycles from the request's cycle to the first with ready.
  long long until_ready(long long requested) {
    while (!ready.read())
      edge();
    return cycle() - requested;
  }
  // Takes `beats` beats; returns the cycles they waited for rvalid in all,
  // and the first word of the first beat in *first.
  long long drain(int beats, uint32_t *first = nullptr) {
    long long waited = 0;
    for (int b = 0; b < beats; b++) {
      while (!rvalid.read())
        edge(), waited++;
      if (b == 0 && first) *first = rdata[0].read();
      rtake.write(true);
      edge();
    }
    return waited;
  }
};

sc_time Bench::release;
const sc_time kPeriod(10, SC_NS);

} // namespace

int sc_main(int, char **) {
  sc_clock clk("clk", kPeriod, 0.5, kPeriod / 2, true);
  bool done = false;
  // Simple timing: latency 10, 2 words per cycle (8000 thousandths of a
  // byte), 4-word beats; the bucket's cap is 2 x 16000 + 8000 = 40000.
  DramTiming s;
  s.words = 1024, s.beat_words = 4, s.latency = 10, s.bw_milli = 8000;
  Bench simple("simple", s);
  simple.clk(clk);
  // DDR5: 4 banks of 16-word rows, tRCD 3, tRP 2, refresh every 200 cycles
  // for 20; a bucket that never limits.
  DramTiming d = s;
  d.ddr5 = true, d.banks = 4, d.row_words = 16, d.trcd = 3, d.trp = 2, d.trefi = 200, d.trfc = 20;
  d.bw_milli = 1000000;
  Bench ddr5("ddr5", d);
  ddr5.clk(clk);

  sc_spawn([&] {
    for (Bench *b : {&simple, &ddr5})
      b->rst_n.write(false);
    for (int i = 0; i < 3; i++)
      wait(clk.posedge_event());
    wait(1, SC_NS);
    for (Bench *b : {&simple, &ddr5})
      b->rst_n.write(true); // cycle 0 from here
    Bench::release = sc_time_stamp();

    // ---- simple. A read of 12 words in cycle 0 is due in cycle 10. By then
    // the bucket is full (40000): three beats of 16000 go back to back
    // (40000 -> 32000 -> 24000 -> 16000, +8000 a cycle).
    for (uint32_t j = 0; j < 12; j++)
      simple.dram.poke(100 + j, 0xA00 + j);
    simple.request(false, 100, 12);
    expect("simple: read ready after (latency)", simple.until_ready(0), 10);
    uint32_t w0 = 0;
    expect("simple: cycles its 3 beats wait for the bucket", simple.drain(3, &w0), 0);
    expect("simple: its first word", w0, 0xA00);
    // A read of 80 words (20 beats) in cycle 13 is due in 23, the bucket
    // full again: 4 beats at once (40000 -> 8000), then one every 2 cycles.
    simple.request(false, 0, 80);
    simple.until_ready(13);
    expect("simple: cycles 20 beats wait for the bucket", simple.drain(20), 16);
    simple.request(true, 200, 3);
    expect("simple: a write of 3 words lands", simple.dram.peek(202), 0xB00 + 200 + 2);
    expect("simple: and no more", simple.dram.peek(203), 0);
    expect("simple: stall cycles", (long long)simple.dram.stats().stall_cycles, 0);

    // ---- DDR5. Word w is in row w / 16, bank (w / 16) % 4.
    long long c = Bench::cycle();
    ddr5.request(false, 0, 4); // bank 0 idle: row 0 opens in tRCD
    expect("ddr5: idle bank: ready after (tRCD + latency)", ddr5.until_ready(c), 3 + 10);
    ddr5.drain(1);
    c = Bench::cycle();
    ddr5.request(false, 4, 4); // row 0 open: a hit
    expect("ddr5: row hit: ready after (latency)", ddr5.until_ready(c), 10);
    ddr5.drain(1);
    c = Bench::cycle();
    ddr5.request(false, 64, 4); // row 4, bank 0 again: a conflict
    expect("ddr5: conflict: ready after (tRP + tRCD + latency)", ddr5.until_ready(c), 2 + 3 + 10);
    ddr5.drain(1);
    // A write to row 8 (bank 0: a conflict, the bank busy for tRP + tRCD),
    // then a read of row 4 a cycle later: it waits 4 cycles for the bank and
    // conflicts again.
    c = Bench::cycle();
    ddr5.request(true, 128, 4);
    ddr5.request(false, 68, 4);
    expect("ddr5: read behind a write's row: ready after", ddr5.until_ready(c + 1), 4 + 2 + 3 + 10);
    ddr5.drain(1);
    const tsr_sc::DramStats &st = ddr5.dram.stats();
    expect("ddr5: row hits", (long long)st.row_hits, 1);
    expect("ddr5: idle-bank misses", (long long)st.row_empty, 1);
    expect("ddr5: conflicts", (long long)st.row_conflicts, 3);
    expect("ddr5: stall cycles (beyond the simple timing's due)", (long long)st.stall_cycles,
           3 + 5 + 9);
    // Row 4 is open; a read of it due in cycle 200 meets the refresh: its beat
    // goes when the refresh is over and the row, closed by it, open again.
    while (Bench::cycle() < 190)
      ddr5.edge();
    ddr5.request(false, 72, 4);
    ddr5.drain(1);
    expect("ddr5: a beat due in the refresh goes in cycle", Bench::cycle() - 1, 200 + 20 + 3);
    expect("ddr5: refreshes", (long long)st.refreshes, 1);
    expect("ddr5: idle-bank misses after it", (long long)st.row_empty, 2);
    expect("ddr5: stall cycles after it", (long long)st.stall_cycles, 17 + 23);
    done = true;
  });
  while (!done)
    sc_start(kPeriod);
  printf("%s: %d DRAM channel check%s failed\n", failures ? "FAIL" : "PASS", failures,
         failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}

// SystemC prints its banner before sc_main unless told not to.
int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_elab_and_sim(argc, argv);
}
