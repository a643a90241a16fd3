// tb_fma.cpp - drives tessera_fma with one new operation every cycle and
// checks every result against fmaf() (fma_vectors.c). C++ only because the
// Verilated model is a C++ class.
//   tb_fma STAGES VECTORS SEED
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "Vtessera_fma.h"
#include "verilated.h"

extern "C" {
#include "fma_vectors.h"
}

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tb_fma STAGES VECTORS SEED\n");
    return 2;
  }
  const int stages = std::atoi(argv[1]);
  const long total = std::atol(argv[2]);
  fma_gen g;
  fma_gen_init(&g, std::strtoull(argv[3], nullptr, 0));
  VerilatedContext ctx;
  Vtessera_fma top{&ctx};
  struct Op { uint32_t a, b, c; };
  std::vector<Op> sent;
  sent.reserve(total);
  long checked = 0, bad = 0, first_valid = -1;
  top.rst_ni = 0;
  top.clk_i = 0;
  top.eval();
  top.rst_ni = 1;
  top.eval();
  for (long cycle = 0; checked < total; cycle++) {
    if ((long)sent.size() < total) {
      Op op;
      fma_gen_next(&g, &op.a, &op.b, &op.c);
      top.valid_i = 1;
      top.a_i = op.a;
      top.b_i = op.b;
      top.c_i = op.c;
      sent.push_back(op);
    } else {
      top.valid_i = 0;
    }
    top.clk_i = 1;
    top.eval();
    top.clk_i = 0;
    top.eval();
    if (top.valid_o) {
      if (first_valid < 0) first_valid = cycle;
      const Op &op = sent[checked];
      uint32_t want = fma_expected(op.a, op.b, op.c);
      if (top.y_o != want) {
        if (bad < 10)
          std::printf("MISMATCH a=%08x b=%08x c=%08x expected %08x got %08x\n", op.a, op.b, op.c,
                      want, top.y_o);
        bad++;
      }
      checked++;
    }
    if (cycle > total + 100) {
      std::printf("valid_o stopped after %ld results\n", checked);
      return 1;
    }
  }
  // Latency: the input of cycle 0 must come out after exactly `stages` edges.
  if (first_valid != stages - 1) {
    std::printf("latency: first result after %ld cycles, expected %d\n", first_valid + 1, stages);
    bad++;
  }
  std::printf("fma stages=%d: %ld vectors, %ld mismatches\n", stages, checked, bad);
  return bad ? 1 : 0;
}
