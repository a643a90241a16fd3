/* emit_tb.c - the testbench tops of the Icarus Verilog front end
 * (verif/icarus/vpi_tessera.c, docs/simulators.md): tessera_tb_die around one
 * computing die and tessera_tb_mesh around the mesh top.
 *
 * A testbench top declares the design's host port, status and trace port as
 * its own variables, which the C VPI module drives and reads by name, and
 * runs the clock as the C harness asks: $tessera_sync hands control to the
 * harness and returns 1 for one clock cycle, 2 to let inputs the harness set
 * settle without a clock edge, 0 when the harness has finished.
 *
 * Simulation only, in the subset Icarus 11 accepts (iverilog -g2012): listed
 * in icarus_die.f and icarus_mesh.f, never in files.f or mesh.f, so neither
 * Yosys nor Verilator reads it. */
#include <stddef.h>

#include "gen.h"

/* The ports the front end drives and reads; the mesh's per-die vectors are
 * N wide (N * 16 for the pc, N * 8 for the opcode, N * 32 for the cycle). */
static void emit_ports(tsr_writer *w, int mesh, int n, unsigned die_bits) {
  tsr_w_line(w, "// inputs, driven from C through VPI (the harness's set_host and reset)");
  tsr_w_line(w, "logic        clk_i;");
  tsr_w_line(w, "logic        rst_ni;");
  tsr_w_line(w, "logic        host_req_i;");
  tsr_w_line(w, "logic        host_we_i;");
  if (mesh) {
    tsr_w_line(w, "logic        host_bcast_i;");
    tsr_w_line(w, "logic [%u:0]  host_die_i;", die_bits - 1);
  }
  tsr_w_line(w, "logic [31:0] host_addr_i;");
  tsr_w_line(w, "logic [31:0] host_wdata_i;");
  tsr_w_line(w, "// outputs, read from C after each clock edge");
  tsr_w_line(w, "wire         host_rvalid_o;");
  tsr_w_line(w, "wire  [31:0] host_rdata_o;");
  if (mesh) {
    tsr_w_line(w, "wire  [%d:0]  busy_o, halted_o, error_o, trace_valid_o;", n - 1);
    tsr_w_line(w, "wire  [%d:0] trace_pc_o;", 16 * n - 1);
    tsr_w_line(w, "wire  [%d:0] trace_op_o;", 8 * n - 1);
    tsr_w_line(w, "wire  [%d:0] trace_cycle_o;", 32 * n - 1);
  } else {
    tsr_w_line(w, "wire         busy_o, halted_o, error_o, trace_valid_o;");
    tsr_w_line(w, "wire  [15:0] trace_pc_o;");
    tsr_w_line(w, "wire  [7:0]  trace_op_o;");
    tsr_w_line(w, "wire  [31:0] trace_cycle_o;");
  }
  tsr_w_line(w, "int          op;  // what $tessera_sync asked for");
  tsr_w_blank(w);
}

static void emit_clock(tsr_writer *w, const char *kind) {
  tsr_w_line(w,
             "// The clock, as the C harness asks (docs/simulators.md, \"The Icarus front end\"):");
  tsr_w_line(w, "// 1 one cycle (the inputs it set are sampled at the rising edge), 2 let the");
  tsr_w_line(
      w, "// inputs it set settle, 0 done (the front end ends the simulation with the harness's");
  tsr_w_line(w, "// exit status). No process of the design runs on the falling edge.");
  tsr_w_line(w, "initial begin");
  tsr_w_in(w);
  tsr_w_line(w, "clk_i = 1'b0;");
  tsr_w_line(w, "$tessera_init(\"%s\");", kind);
  tsr_w_line(w, "op = $tessera_sync;");
  tsr_w_line(w, "while (op != 0) begin");
  tsr_w_in(w);
  tsr_w_line(w, "if (op == 1) begin");
  tsr_w_line(w, "  #5 clk_i = 1'b1;");
  tsr_w_line(w, "  #5 clk_i = 1'b0;");
  tsr_w_line(w, "end else begin");
  tsr_w_line(w, "  #1;");
  tsr_w_line(w, "end");
  tsr_w_line(w, "op = $tessera_sync;");
  tsr_w_out(w);
  tsr_w_line(w, "end");
  tsr_w_out(w);
  tsr_w_line(w, "end");
  tsr_w_out(w);
  tsr_w_line(w, "endmodule");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}

static void emit_head(tsr_writer *w, const tsr_config *cfg, const char *what, const char *module) {
  tsr_emit_banner(w, cfg, what);
  tsr_w_line(w, "// Simulation only (Icarus Verilog, iverilog -g2012): the C VPI module");
  tsr_w_line(w, "// verif/icarus/vpi_tessera.c drives and reads the variables below by name.");
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  tsr_w_line(w, "module %s;", module);
  tsr_w_in(w);
}

void tsr_emit_tb_die(tsr_writer *w, const tsr_config *cfg) {
  emit_head(w, cfg, "Icarus Verilog testbench top around the computing die", "tessera_tb_die");
  emit_ports(w, 0, 1, 1);
  tsr_w_line(w, "// A die alone, without a network (SEND and WAIT run on the mesh top), at the");
  tsr_w_line(w, "// place the Verilator front end gives it (verif/verilator/vl_die.cpp).");
  tsr_w_line(w, "tessera_die u_die (");
  tsr_w_in(w);
  tsr_w_line(w, ".clk_i, .rst_ni, .host_req_i, .host_we_i, .host_addr_i, .host_wdata_i,");
  tsr_w_line(w, ".host_rvalid_o, .host_rdata_o, .busy_o, .halted_o, .error_o,");
  tsr_w_line(w, ".trace_valid_o, .trace_pc_o, .trace_op_o, .trace_cycle_o,");
  tsr_w_line(w, ".my_x_i(7'd1), .my_y_i(6'd0), .row_next_x_i(7'd1), .col_next_y_i(6'd0),");
  tsr_w_line(w, ".net_inj_vld_o(), .net_inj_flit_o(), .net_inj_credit_i(3'b000),");
  tsr_w_line(w, ".net_ej_vld_i(3'b000), .net_ej_flit_i(%u'd0), .net_ej_credit_o()",
             3 * (cfg->router.flit_bits + 2));
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_blank(w);
  emit_clock(w, "die");
}

void tsr_emit_tb_mesh(tsr_writer *w, const tsr_config *cfg) {
  int rows = (int)cfg->mesh.rows, cols = (int)cfg->mesh.cols;
  emit_head(w, cfg, "Icarus Verilog testbench top around the chiplet mesh", "tessera_tb_mesh");
  tsr_w_line(w, "// %dx%d dies; host port: docs/noc.md, \"The mesh top\".", rows, cols);
  emit_ports(w, 1, rows * cols, tsr_mesh_host_die_bits(cfg));
  tsr_w_line(w, "tessera_mesh u_mesh (");
  tsr_w_in(w);
  tsr_w_line(w, ".clk_i, .rst_ni, .host_req_i, .host_we_i, .host_bcast_i, .host_die_i,");
  tsr_w_line(w, ".host_addr_i, .host_wdata_i, .host_rvalid_o, .host_rdata_o,");
  tsr_w_line(w, ".busy_o, .halted_o, .error_o, .trace_valid_o, .trace_pc_o, .trace_op_o,");
  tsr_w_line(w, ".trace_cycle_o");
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_blank(w);
  emit_clock(w, "mesh");
}
