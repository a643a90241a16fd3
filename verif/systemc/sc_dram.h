// sc_dram.h - the DRAM channel behind one IO die of a mesh top generated with
// mesh.dram.model "external", as a SystemC module: it answers the IO die's
// DRAM port (tessera_io_die, docs/noc.md "IO dies and DRAM") and holds the
// channel's words. Parameters and sources: docs/simulators.md, "The DRAM
// channel".
//
// Simple timing (no DDR5 effects): the timing of tessera_io_dram, cycle for
// cycle. A read is due Latency cycles after its request; reads are answered
// in order; a beat (the next min(left, words per flit) words of the oldest
// read) is offered while a token bucket of BwMilli thousandths of a byte per
// cycle holds 4 bytes per word, the bucket paying when the IO die takes the
// beat and filling while below its cap otherwise.
//
// DDR5 timing adds, in whole cycles of the mesh clock:
//  - banks with one open row each (open page): row r of the channel (bytes
//    [r x row bytes, +row bytes)) lives in bank r % banks. A request opens the
//    rows it touches when it arrives, in order: a hit costs nothing, an idle
//    bank tRCD, a bank with another row open tRP + tRCD; the bank is busy
//    until the row is open. A read's words are there Latency cycles after
//    their row is open (Latency is the row-hit latency). A row that closed
//    under an unfinished read (a refresh, another request to its bank) is
//    opened again before its next words go.
//  - all-bank refresh every tREFI for tRFC: no beat goes and no row opens,
//    and every row is closed after.
// A cycle in which the channel holds back the oldest read although its
// simple timing would let it go (its request is Latency cycles old) is a
// stall cycle; the cost model's DRAM term knows no stalls, so they bound how
// late the RTL may run against it (run_mesh.c --dram-bound).
#ifndef TESSERA_SC_DRAM_H
#define TESSERA_SC_DRAM_H

#include <cstdint>
#include <deque>
#include <systemc>
#include <vector>

namespace tsr_sc {

// Everything in cycles of the mesh clock (docs/simulators.md gives the
// conversion from the configuration).
struct DramTiming {
  uint32_t words = 16384;     // storage, a power of two; addresses wrap
  uint32_t beat_words = 4;    // words of a flit (flit_bits / 32)
  uint64_t latency = 80;      // request to data, row hit
  uint64_t bw_milli = 128000; // bandwidth, thousandths of a byte per cycle
  bool ddr5 = false;          // banks and refresh on
  uint32_t banks = 32;
  uint32_t row_words = 256; // row buffer, 32-bit words
  uint64_t trcd = 12, trp = 12;
  uint64_t trefi = 3120, trfc = 236; // trefi 0: no refresh
};

struct DramStats {
  uint64_t reads = 0, writes = 0, words_read = 0, words_written = 0;
  uint64_t row_hits = 0, row_empty = 0, row_conflicts = 0, refreshes = 0;
  uint64_t stall_cycles = 0;
};

class DramChannel : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk, rst_n;
  // from the IO die: a request (read: address and length; write: address,
  // words and data), and the beat it takes
  sc_core::sc_in<bool> req, we, rtake;
  sc_core::sc_in<uint32_t> addr, len;
  sc_core::sc_vector<sc_core::sc_in<uint32_t>> wdata;
  // to the IO die: the oldest read may start; its next beat may go, and its words
  sc_core::sc_out<bool> ready, rvalid;
  sc_core::sc_vector<sc_core::sc_out<uint32_t>> rdata;

  DramChannel(sc_core::sc_module_name name, const DramTiming &t);

  // The host's access (the TLM target's region 5): no timing.
  uint32_t peek(uint32_t a) const { return mem_[a & (t_.words - 1)]; }
  void poke(uint32_t a, uint32_t v) { mem_[a & (t_.words - 1)] = v; }
  const DramStats &stats() const { return st_; }
  const DramTiming &timing() const { return t_; }

private:
  struct Segment {       // the words of a request that share a row
    uint32_t first, end; // word offsets in the request
    uint64_t row, avail; // the row; the cycle its words are there
  };
  struct Read {
    uint32_t addr, left, done; // next word, words left, words taken
    uint64_t arrival;
    std::vector<Segment> segs;
  };
  struct Bank {
    bool open = false;
    uint64_t row = 0, opened = 0, busy_until = 0;
  };

  void on_clock();
  void reset_state();
  bool in_refresh(uint64_t t) const;
  uint64_t epoch(uint64_t t) const { return t_.trefi ? t / t_.trefi : 0; }
  uint64_t open_row(uint64_t row, uint64_t t); // cycle the row is open, from t on
  void split(uint32_t addr, uint32_t len, uint64_t t, std::vector<Segment> *segs);
  bool beat_there(Read &r, uint32_t n, uint64_t t);
  uint32_t beat_words(const Read &r) const {
    return r.left < t_.beat_words ? r.left : t_.beat_words;
  }

  DramTiming t_;
  uint64_t cap_;
  std::vector<uint32_t> mem_;
  std::deque<Read> reads_;
  std::vector<Bank> banks_;
  uint64_t now_ = 0, tokens_ = 0, last_epoch_ = 0;
  DramStats st_;
};

} // namespace tsr_sc

#endif
