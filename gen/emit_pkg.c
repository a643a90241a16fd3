/* emit_pkg.c - tessera_pkg: the facts that the C models and the RTL share,
 * emitted from their one definition in arch/ (the flit header's fields and
 * packet kinds, noc.h; the instruction's opcodes and fields, isa.h; the event
 * counters, counters.h; the vector functions' microprograms, vfn.h). The
 * templates read them fully qualified (tessera_pkg::HeadDstX); the package is
 * the same for every configuration. */
#include "counters.h"
#include "gen.h"
#include "isa.h"
#include "noc.h"
#include "vfn.h"

/* A microprogram of arch/vfn.h as one packed constant NAMEProgram, step i at
 * [i * UopBits +: UopBits]: a, a's constant, b, b's constant, c, c's
 * constant, destination (3-bit codes, 32-bit constants, a 2-bit destination). */
static void emit_program(tsr_writer *w, const char *name, int fn) {
  int n;
  const tsr_vfn_step *steps = tsr_vfn_program(fn, &n);
  tsr_w_line(w, "localparam int %sSteps = %d;", name, n);
  tsr_w_line(w, "localparam logic [%sSteps*UopBits-1:0] %sProgram = {", name, name);
  tsr_w_in(w);
  for (int i = n - 1; i >= 0; i--)
    tsr_w_line(w, "{3'd%d, 32'h%08X, 3'd%d, 32'h%08X, 3'd%d, 32'h%08X, 2'd%d}%s  // step %d",
               steps[i].a, tsr_f32_bits(steps[i].ka), steps[i].b, tsr_f32_bits(steps[i].kb),
               steps[i].c, tsr_f32_bits(steps[i].kc), steps[i].dst, i ? "," : "", i);
  tsr_w_out(w);
  tsr_w_line(w, "};");
}

/* The vector functions' microprograms, their field offsets and codes, and
 * the constants of their integer steps and compares. */
static void emit_vfn(tsr_writer *w) {
  static const struct {
    const char *name;
    int code;
  } codes[] = {{"UaX", TSR_UA_X},       {"UaR0", TSR_UA_R0},     {"UaR1", TSR_UA_R1},
               {"UaR2", TSR_UA_R2},     {"UaR3", TSR_UA_R3},     {"UaK", TSR_UA_K},
               {"UaNegAbsX", TSR_UA_NEGABSX},
               {"UbK", TSR_UB_K},       {"UbR0", TSR_UB_R0},     {"UbR1", TSR_UB_R1},
               {"UbR2", TSR_UB_R2},     {"UbR3", TSR_UB_R3},     {"UbP2Lo", TSR_UB_P2LO},
               {"UbP2Hi", TSR_UB_P2HI}, {"UbX", TSR_UB_X},       {"UcK", TSR_UC_K},
               {"UcX", TSR_UC_X},       {"UcR0", TSR_UC_R0},     {"UcR1", TSR_UC_R1},
               {"UcR2", TSR_UC_R2},     {"UcR3", TSR_UC_R3},     {"UcSigmoid", TSR_UC_SIGMOID}};
  tsr_w_line(w, "// The vector functions' microprograms (arch/vfn.h).");
  tsr_w_line(w, "localparam int UopBits = 107;");
  tsr_w_line(w, "localparam int UopA = 104;");
  tsr_w_line(w, "localparam int UopKa = 72;");
  tsr_w_line(w, "localparam int UopB = 69;");
  tsr_w_line(w, "localparam int UopKb = 37;");
  tsr_w_line(w, "localparam int UopC = 34;");
  tsr_w_line(w, "localparam int UopKc = 2;");
  tsr_w_line(w, "localparam int UopDst = 0;");
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    tsr_w_line(w, "localparam logic [2:0] %s = 3'd%d;", codes[i].name, codes[i].code);
  tsr_w_line(w, "localparam logic [1:0] UdR0 = 2'd%d;", TSR_UD_R0);
  tsr_w_line(w, "localparam logic [1:0] UdR1 = 2'd%d;", TSR_UD_R1);
  tsr_w_line(w, "localparam logic [1:0] UdR2 = 2'd%d;", TSR_UD_R2);
  tsr_w_line(w, "localparam logic [1:0] UdR3 = 2'd%d;", TSR_UD_R3);
  emit_program(w, "Vexp", TSR_VFN_EXP);
  emit_program(w, "Vrecip", TSR_VFN_RECIP);
  emit_program(w, "Vrsqrt", TSR_VFN_RSQRT);
  emit_program(w, "Vgelu", TSR_VFN_GELU);
  emit_program(w, "Vgelud", TSR_VFN_GELUD);
  tsr_w_line(w, "localparam logic [31:0] VexpShifter = 32'h%08X;  // exp's k = bits(R0) - this",
             tsr_f32_bits(TSR_EXP_SHIFTER));
  tsr_w_line(w, "localparam logic [31:0] VexpHi = 32'h%08X;       // x above: +inf",
             tsr_f32_bits(TSR_EXP_HI));
  tsr_w_line(w, "localparam logic [31:0] VexpLoMag = 32'h%08X;    // -x above: +0",
             tsr_f32_bits(TSR_EXP_LO) & 0x7FFFFFFFu);
  tsr_w_line(w, "localparam logic [31:0] VrecipMagic = 32'h%08X;  // R0 = this - bits(m)",
             TSR_RECIP_MAGIC);
  tsr_w_line(w, "localparam logic [31:0] VrsqrtMagic = 32'h%08X;  // R0 = this - bits(m) / 2",
             TSR_RSQRT_MAGIC);
  tsr_w_line(w, "localparam logic [31:0] GeluLim = 32'h%08X;      // |x| above: x alone decides",
             tsr_f32_bits(TSR_GELU_LIM));
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
  emit_vfn(w);
  tsr_w_out(w);
  tsr_w_line(w, "endpackage");
  tsr_w_line(w, "/* verilator lint_on UNUSEDPARAM */");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
