/* emit_pkg.c - tessera_pkg: the facts that the C models and the RTL share,
 * emitted from their one definition in arch/ (the flit header's fields and
 * packet kinds, noc.h; the instruction's opcodes and fields, isa.h; the event
 * counters, counters.h). The templates read them fully qualified
 * (tessera_pkg::HeadDstX); the package is the same for every configuration. */
#include "counters.h"
#include "gen.h"
#include "isa.h"
#include "noc.h"

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
  tsr_w_out(w);
  tsr_w_line(w, "endpackage");
  tsr_w_line(w, "/* verilator lint_on UNUSEDPARAM */");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
