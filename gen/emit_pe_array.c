/* emit_pe_array.c - the PE array: pe_count PEs of lanes x vector FMA units,
 * unrolled so that every unit has a findable instance name
 * (u_pe<p>_lane<l>_vec<v>). Unit index u = (p * lanes + l) * vector + v;
 * the controller sees row p and column l * vector + v. */
#include "gen.h"

void tsr_emit_pe_array(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *d, const char *suffix) {
  unsigned units = tsr_die_units(d);
  tsr_emit_banner(w, cfg, "PE array");
  tsr_w_line(w, "`default_nettype none");
  tsr_w_blank(w);
  tsr_w_line(w, "module tessera_pe_array%s (", suffix);
  tsr_w_in(w);
  tsr_w_line(w, "input  logic              clk_i,");
  tsr_w_line(w, "input  logic              rst_ni,");
  tsr_w_line(w, "input  logic [%u:0]       valid_i,", units - 1);
  tsr_w_line(w, "input  logic [%u:0]    a_i,", units * 32 - 1);
  tsr_w_line(w, "input  logic [%u:0]    b_i,", units * 32 - 1);
  tsr_w_line(w, "input  logic [%u:0]    c_i,", units * 32 - 1);
  tsr_w_line(w, "output logic [%u:0]       valid_o,", units - 1);
  tsr_w_line(w, "output logic [%u:0]    y_o", units * 32 - 1);
  tsr_w_out(w);
  tsr_w_line(w, ");");
  tsr_w_in(w);
  tsr_w_line(w, "// %u PEs x %u lanes x %u vector = %u FMA units, %u pipeline stages", d->pe_count,
             d->lanes, d->vector, units, d->fma_stages);
  for (unsigned p = 0; p < d->pe_count; p++) {
    for (unsigned l = 0; l < d->lanes; l++) {
      for (unsigned v = 0; v < d->vector; v++) {
        unsigned u = (p * d->lanes + l) * d->vector + v;
        tsr_w_line(w, "tessera_fma #(.Stages(%u)) u_pe%u_lane%u_vec%u (", d->fma_stages, p, l, v);
        tsr_w_in(w);
        tsr_w_line(w, ".clk_i(clk_i), .rst_ni(rst_ni), .valid_i(valid_i[%u]),", u);
        tsr_w_line(w, ".a_i(a_i[%u +: 32]), .b_i(b_i[%u +: 32]), .c_i(c_i[%u +: 32]),", u * 32,
                   u * 32, u * 32);
        tsr_w_line(w, ".valid_o(valid_o[%u]), .y_o(y_o[%u +: 32])", u, u * 32);
        tsr_w_out(w);
        tsr_w_line(w, ");");
      }
    }
  }
  tsr_w_out(w);
  tsr_w_line(w, "endmodule");
  tsr_w_blank(w);
  tsr_w_line(w, "`default_nettype wire");
}
