/* emit_pkg.c - tessera_pkg: the facts that the C models and the RTL share,
 * emitted from their one definition in arch/ (the flit header's fields and
 * packet kinds, noc.h; the instruction's opcodes and fields, isa.h; the event
 * counters, counters.h; VEXP's microprogram, vexp.h). The templates read them fully qualified
 * (tessera_pkg::HeadDstX); the package is the same for every configuration. */
#include "counters.h"
#include "gen.h"
#include "isa.h"
#include "noc.h"
#include "vexp.h"

/* VEXP's microprogram as one packed constant, step i at
 * [i * VexpStepBits +: VexpStepBits]: a, a's constant, b, b's constant, c,
 * c's constant, destination (2-bit codes, 32-bit constants), with the
 * codes, the field offsets and the compares' and integer steps' constants. */
static void emit_vexp(tsr_writer *w) {
  static const struct {
    int a, b, c, d;
    float ka, kb, kc;
  } steps[TSR_VEXP_STEPS] = {
#define STEP(a, ka, b, kb, c, kc, d) {a, b, c, d, ka, kb, kc},
      TSR_VEXP_PROGRAM(STEP)
#undef STEP
  };
  tsr_w_line(w, "// VEXP's microprogram (arch/vexp.h): step i at [i*VexpStepBits +: VexpStepBits].");
  tsr_w_line(w, "localparam int VexpSteps = %d;", TSR_VEXP_STEPS);
  tsr_w_line(w, "localparam int VexpStepBits = 104;");
  tsr_w_line(w, "localparam int UopA = 102;");
  tsr_w_line(w, "localparam int UopKa = 70;");
  tsr_w_line(w, "localparam int UopB = 68;");
  tsr_w_line(w, "localparam int UopKb = 36;");
  tsr_w_line(w, "localparam int UopC = 34;");
  tsr_w_line(w, "localparam int UopKc = 2;");
  tsr_w_line(w, "localparam int UopDst = 0;");
  static const struct {
    const char *name;
    int code;
  } codes[] = {{"UaX", TSR_UA_X},     {"UaR0", TSR_UA_R0},     {"UaR2", TSR_UA_R2},
               {"UaK", TSR_UA_K},     {"UbK", TSR_UB_K},       {"UbR1", TSR_UB_R1},
               {"UbP2Lo", TSR_UB_P2LO}, {"UbP2Hi", TSR_UB_P2HI}, {"UcK", TSR_UC_K},
               {"UcX", TSR_UC_X},     {"UcR1", TSR_UC_R1},     {"UdR0", TSR_UD_R0},
               {"UdR1", TSR_UD_R1},   {"UdR2", TSR_UD_R2}};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    tsr_w_line(w, "localparam logic [1:0] %s = 2'd%d;", codes[i].name, codes[i].code);
  tsr_w_line(w, "localparam logic [VexpSteps*VexpStepBits-1:0] VexpProgram = {");
  tsr_w_in(w);
  for (int i = TSR_VEXP_STEPS - 1; i >= 0; i--)
    tsr_w_line(w, "{2'd%d, 32'h%08X, 2'd%d, 32'h%08X, 2'd%d, 32'h%08X, 2'd%d}%s  // step %d", steps[i].a,
               tsr_f32_bits(steps[i].ka), steps[i].b, tsr_f32_bits(steps[i].kb), steps[i].c,
               tsr_f32_bits(steps[i].kc), steps[i].d, i ? "," : "", i);
  tsr_w_out(w);
  tsr_w_line(w, "};");
  tsr_w_line(w, "localparam logic [31:0] VexpShifter = 32'h%08X;  // n = bits(R0) - this", tsr_f32_bits(TSR_EXP_SHIFTER));
  tsr_w_line(w, "localparam logic [31:0] VexpHi = 32'h%08X;       // x above: +inf", tsr_f32_bits(TSR_EXP_HI));
  tsr_w_line(w, "localparam logic [31:0] VexpLoMag = 32'h%08X;    // -x above: +0",
             tsr_f32_bits(TSR_EXP_LO) & 0x7FFFFFFFu);
}

/* A field: its lowest bit and its width. */
static void field(tsr_writer *w, const char *prefix, const char *name, int lo, int width) {
  tsr_w_line(w, "localparam int %s%s = %d;", prefix, name, lo);
  tsr_w_line(w, "localparam int %s%sW = %d;", prefix, name, width);
}

void tsr_emit_pkg(tsr_writer *w, const tsr_config *cfg) {
  tsr_emit_banner(w, cfg, "definitions shared with the C models (arch/)");
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  /* A design uses some of the definitions (the network alone no instruction
   * field): unused ones are expected here, and only here. */
  tsr_w_line(w, "/* verilator lint_off UNUSEDPARAM */");
  tsr_w_line(w, "package tessera_pkg;");
  tsr_w_in(w);
  tsr_w_line(w, "// Head flit fields (arch/noc.h): lowest bit, width.");
#define HEAD_FIELD(name, sv, lo, width) field(w, "Head", #sv, lo, width);
  TSR_HEAD_FIELDS(HEAD_FIELD)
#undef HEAD_FIELD
  tsr_w_line(w, "localparam int HeadBits = %d;", TSR_HEAD_BITS);
  tsr_w_line(w, "// Packet kinds (head field Kind).");
#define KIND(name, sv, value) tsr_w_line(w, "localparam logic [1:0] Kind%s = 2'd%d;", #sv, value);
  TSR_KINDS(KIND)
#undef KIND
  tsr_w_blank(w);
  tsr_w_line(w, "// Instruction fields (arch/isa.h): lowest bit, width; opcodes.");
#define INSN_FIELD(name, sv, lo, width) field(w, "Insn", #sv, lo, width);
  TSR_ISA_FIELDS(INSN_FIELD)
#undef INSN_FIELD
#define OPCODE(name, sv, value) tsr_w_line(w, "localparam logic [7:0] Op%s = 8'h%02X;", #sv, value);
  TSR_OPCODES(OPCODE)
#undef OPCODE
  tsr_w_blank(w);
  tsr_w_line(w, "// Event counters (arch/counters.h): counter i at host CSR 0x40 + 2i.");
#define COUNTER(name, sv, text) tsr_w_line(w, "localparam int Cnt%s = %d;", #sv, TSR_CNT_##name);
  TSR_COUNTERS(COUNTER)
#undef COUNTER
  tsr_w_line(w, "localparam int NumCounters = %d;", TSR_N_COUNTERS);
  tsr_w_blank(w);
  emit_vexp(w);
  tsr_w_out(w);
  tsr_w_line(w, "endpackage");
  tsr_w_line(w, "/* verilator lint_on UNUSEDPARAM */");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
