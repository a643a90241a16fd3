// Synthesis view for the size aim of docs/synthesis.md: tessera_fma at
// Stages = 1 with its operands and valid registered in front, so that the
// count covers the whole single-cycle FMA from register to register (the
// output register is the FMA's own). flows/synth.sh synthesizes it alone.
`default_nettype none

module tessera_fma_regin (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  output logic        valid_o,
  output logic [31:0] y_o
);
  logic [31:0] a_q, b_q, c_q;
  logic        valid_q;

  always_ff @(posedge clk_i) begin
    a_q <= a_i;
    b_q <= b_i;
    c_q <= c_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 1'b0;
    else valid_q <= valid_i;
  end

  tessera_fma #(.Stages(1)) u_fma (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .valid_i(valid_q),
    .a_i    (a_q),
    .b_i    (b_q),
    .c_i    (c_q),
    .valid_o(valid_o),
    .y_o    (y_o)
  );
endmodule

`default_nettype wire
