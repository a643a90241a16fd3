// tb_router_gate.cpp - the synthesized router netlist against its RTL.
// Two Verilated models, the RTL (Vrtl) and Yosys' generic-gate netlist of the
// same parameterization (Vgl), get identical inputs every cycle: legal
// wormhole traffic on all five inputs (credits respected, random packet
// lengths and destinations), random credit returns at the outputs, and random
// routing-table writes. Every output (credits, valids, flits under valid,
// counters) must be equal in every cycle.
//   tb_router_gate CYCLES SEED
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "Vgl.h"
#include "Vrtl.h"
#include "verilated.h"

#ifndef FLIT_W
#error "FLIT_W (router FlitW) must be defined"
#endif
#ifndef DEPTH
#error "DEPTH (router Depth) must be defined"
#endif
#if !defined(NUM_X) || !defined(NUM_Y) || !defined(ROUTING)
#error "NUM_X, NUM_Y (grid) and ROUTING (0 XY, 1 table) must be defined"
#endif

namespace {
constexpr int FW = FLIT_W + 2;  // {head, tail, data}
uint64_t rng = 1;
uint64_t next() {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}
bool chance(double p) { return (double)(next() >> 11) / 9007199254740992.0 < p; }

void set_bit(uint32_t *w, int bit, int v) {
  if (v) w[bit / 32] |= 1u << (bit % 32);
  else w[bit / 32] &= ~(1u << (bit % 32));
}

struct Sender {  // one input port's upstream: credits and the packet in progress
  int credits = DEPTH, left = 0;  // flits still to send in the current packet
};

template <class M> void drive(M *m, const uint32_t *flits, int vld, int credit, int we, int addr,
                              int port, int rst) {
  m->rst_ni = rst;
  m->in_vld_i = vld;
  for (int i = 0; i < (5 * FW + 31) / 32; i++) m->in_flit_i[i] = flits[i];
  m->out_credit_i = credit;
  m->tbl_we_i = we;
  m->tbl_addr_i = addr;
  m->tbl_port_i = port;
}
}  // namespace

int main(int argc, char **argv) {
  long cycles = argc > 1 ? atol(argv[1]) : 100000;
  rng = argc > 2 ? strtoull(argv[2], nullptr, 10) | 1 : 1;
  Verilated::commandArgs(1, argv);
  Vrtl *rtl = new Vrtl;
  Vgl *gl = new Vgl;
  Sender snd[5];
  int held[5] = {0};  // flits each output's receiver holds
  uint32_t flits[(5 * FW + 31) / 32] = {0};
  long sent = 0, mismatches = 0;
  for (long cyc = 0; cyc < cycles && mismatches < 5; cyc++) {
    int rst = cyc >= 3, vld = 0, credit = 0, we = 0, addr = 0, port = 0;
    for (int p = 0; p < 5 && rst; p++) {
      // a flit when the port holds a credit, at a random rate per port
      if (snd[p].credits == 0 || !chance(0.35 + 0.12 * p)) continue;
      int base = p * FW, head = snd[p].left == 0;
      if (head) snd[p].left = 1 + (int)(next() % 5);
      for (int b = 0; b < FLIT_W; b += 32) {
        uint32_t r = (uint32_t)next();
        for (int k = 0; k < 32 && b + k < FLIT_W; k++) set_bit(flits, base + b + k, (r >> k) & 1);
      }
      if (head) {  // destination inside (and a little beyond) the grid
        int dx = (int)(next() % (NUM_X + 1)), dy = (int)(next() % (NUM_Y + 1));
        for (int k = 0; k < 7; k++) set_bit(flits, base + k, (dx >> k) & 1);
        for (int k = 0; k < 6; k++) set_bit(flits, base + 7 + k, (dy >> k) & 1);
      }
      snd[p].left--;
      set_bit(flits, base + FW - 1, head);
      set_bit(flits, base + FW - 2, snd[p].left == 0);
      vld |= 1 << p;
      snd[p].credits--;
      sent++;
    }
    for (int q = 0; q < 5; q++)
      if (held[q] > 0 && chance(0.6)) {
        credit |= 1 << q;
        held[q]--;
      }
    if (rst && chance(0.01)) {
      we = 1;
      addr = (int)(next() % (NUM_X * NUM_Y));
      port = (int)(next() % 5);
    }
    drive(rtl, flits, vld, credit, we, addr, port, rst);
    drive(gl, flits, vld, credit, we, addr, port, rst);
    rtl->clk_i = gl->clk_i = 0;
    rtl->eval();
    gl->eval();
    bool same = rtl->in_credit_o == gl->in_credit_o && rtl->out_vld_o == gl->out_vld_o;
    for (int i = 0; i < 5; i++) same = same && rtl->flits_o[i] == gl->flits_o[i];
    for (int q = 0; q < 5 && same; q++) {
      if (!((rtl->out_vld_o >> q) & 1)) continue;
      for (int b = q * FW; b < (q + 1) * FW; b++)
        same = same && ((rtl->out_flit_o[b / 32] >> (b % 32)) & 1) == ((gl->out_flit_o[b / 32] >> (b % 32)) & 1);
    }
    if (!same) {
      printf("MISMATCH cycle %ld: credits %02x/%02x valid %02x/%02x (RTL/gates)\n", cyc,
             (unsigned)rtl->in_credit_o, (unsigned)gl->in_credit_o, (unsigned)rtl->out_vld_o,
             (unsigned)gl->out_vld_o);
      mismatches++;
    }
    for (int p = 0; p < 5; p++)
      if ((rtl->in_credit_o >> p) & 1) snd[p].credits++;
    for (int q = 0; q < 5; q++)
      if ((rtl->out_vld_o >> q) & 1 && ++held[q] > DEPTH) {
        printf("FAIL: output %d sent without a credit\n", q);
        return 1;
      }
    rtl->clk_i = gl->clk_i = 1;
    rtl->eval();
    gl->eval();
  }
  long out = 0;
  for (int q = 0; q < 5; q++) out += rtl->flits_o[q];
  rtl->final();
  gl->final();
  delete rtl;
  delete gl;
  if (mismatches) {
    printf("FAIL gate-level router: netlist differs from RTL\n");
    return 1;
  }
  if (out < cycles / 2) {  // the traffic must actually flow for the check to mean anything
    printf("FAIL gate-level router: only %ld flits crossed in %ld cycles\n", out, cycles);
    return 1;
  }
  printf("ok gate-level router (FlitW %d, Depth %d, %s routing): %ld cycles, %ld flits in, "
         "%ld out, every output equal to the RTL's in every cycle\n",
         FLIT_W, DEPTH, ROUTING ? "table" : "XY", cycles, sent, out);
  return 0;
}
