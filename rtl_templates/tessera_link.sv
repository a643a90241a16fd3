// tessera_link: an electrical die-to-die channel (UCIe-like), one direction.
// Flits and the credits flowing back are each delayed by Latency register
// stages. Also used, with Latency 1, as the straight-through bypass channel
// of a die (docs/noc.md): a forwarded flit passes one register and no
// crossbar. Counts the flits it carried (link bits = flits x FlitW).
`default_nettype none

module tessera_link #(
  parameter int FlitW   = 128,
  parameter int Latency = 1,
  localparam int FW = FlitW + 2
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          in_vld_i,
  input  logic [FW-1:0] in_flit_i,
  output logic          in_credit_o,
  output logic          out_vld_o,
  output logic [FW-1:0] out_flit_o,
  input  logic          out_credit_i,
  output logic [31:0]   flits_o
);
  logic [Latency-1:0] vld_q, credit_q;
  logic [FW-1:0] stage_flit_q [0:Latency-1];
  logic [31:0] flits_q;

  // Stage 0 takes the input; stage s the output of stage s-1.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vld_q[0]    <= 1'b0;
      credit_q[0] <= 1'b0;
      flits_q     <= '0;
    end else begin
      vld_q[0]    <= in_vld_i;
      credit_q[0] <= out_credit_i;
      flits_q     <= flits_q + 32'(in_vld_i);
    end
  end
  always_ff @(posedge clk_i) stage_flit_q[0] <= in_flit_i;

  for (genvar s = 1; s < Latency; s++) begin : g_stage
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        vld_q[s]    <= 1'b0;
        credit_q[s] <= 1'b0;
      end else begin
        vld_q[s]    <= vld_q[s-1];
        credit_q[s] <= credit_q[s-1];
      end
    end
    always_ff @(posedge clk_i) stage_flit_q[s] <= stage_flit_q[s-1];
  end

  assign out_vld_o   = vld_q[Latency-1];
  assign out_flit_o  = stage_flit_q[Latency-1];
  assign in_credit_o = credit_q[Latency-1];
  assign flits_o     = flits_q;

`ifndef SYNTHESIS
  if (Latency < 1) begin : g_bad_param
    initial $fatal(1, "tessera_link: Latency must be >= 1");
  end
`endif
endmodule

`default_nettype wire
