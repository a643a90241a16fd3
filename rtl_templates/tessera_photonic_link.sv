// tessera_photonic_link: behavioral stub of a silicon-photonic die-to-die
// link (GlobeCore), with the interface of tessera_link. It models timing and
// energy, never optics: a flit of FlitW+2 bits is serialised over
// BitsPerCycle = wavelengths x bits per wavelength per cycle, so one flit
// leaves every Ser cycles, and arrives Ser + EoOe cycles (serialisation plus
// E/O and O/E conversion) after it left. A transmit FIFO of Depth flits
// decouples the router from the slower link; the receiver's credits return
// after EoOe cycles. Counts flits carried (bits = flits x FlitW) and cycles
// powered (every cycle out of reset: thermal tuning power is static).
`default_nettype none

module tessera_photonic_link #(
  parameter int FlitW        = 128,
  parameter int Depth        = 4,   // transmit FIFO, and the receiver's FIFO
  parameter int EoOe         = 4,
  parameter int BitsPerCycle = 128,
  localparam int FW  = FlitW + 2,
  localparam int Ser = (FW + BitsPerCycle - 1) / BitsPerCycle,
  localparam int Lat = Ser + EoOe,
  localparam int GW  = $clog2(Ser + 1),
  localparam int CW  = $clog2(Depth + 1)
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          in_vld_i,
  input  logic [FW-1:0] in_flit_i,
  output logic          in_credit_o,
  output logic          out_vld_o,
  output logic [FW-1:0] out_flit_o,
  input  logic          out_credit_i,
  output logic [31:0]   flits_o,
  output logic [31:0]   powered_o
);
  logic [FW-1:0] tx_flit;
  logic tx_empty, launch;
  logic [GW-1:0] gap_q;        // cycles until the serialiser is free
  logic [CW-1:0] credit_q;     // free slots in the receiver's FIFO
  logic [EoOe-1:0] credit_back_q;
  logic [Lat-1:0] vld_q;
  logic [FW-1:0] stage_flit_q [0:Lat-1];
  logic [31:0] flits_q, powered_q;

  tessera_flit_fifo #(.Width(FW), .Depth(Depth)) u_tx (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .push_i (in_vld_i),
    .data_i (in_flit_i),
    .pop_i  (launch),
    .data_o (tx_flit),
    .empty_o(tx_empty)
  );
  assign launch = !tx_empty && gap_q == '0 && (credit_q != '0 || credit_back_q[EoOe-1]);
  assign in_credit_o = launch;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      gap_q         <= '0;
      credit_q      <= CW'(Depth);
      credit_back_q[0] <= 1'b0;
      vld_q[0]      <= 1'b0;
      flits_q       <= '0;
      powered_q     <= '0;
    end else begin
      gap_q         <= launch ? GW'(Ser - 1) : (gap_q == '0 ? '0 : gap_q - GW'(1));
      credit_q      <= credit_q + CW'(credit_back_q[EoOe-1]) - CW'(launch);
      credit_back_q[0] <= out_credit_i;
      vld_q[0]      <= launch;
      flits_q       <= flits_q + 32'(launch);
      powered_q     <= powered_q + 32'd1;
    end
  end
  always_ff @(posedge clk_i) stage_flit_q[0] <= tx_flit;

  for (genvar s = 1; s < EoOe; s++) begin : g_credit
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) credit_back_q[s] <= 1'b0;
      else credit_back_q[s] <= credit_back_q[s-1];
    end
  end
  for (genvar s = 1; s < Lat; s++) begin : g_stage
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) vld_q[s] <= 1'b0;
      else vld_q[s] <= vld_q[s-1];
    end
    always_ff @(posedge clk_i) stage_flit_q[s] <= stage_flit_q[s-1];
  end

  assign out_vld_o  = vld_q[Lat-1];
  assign out_flit_o = stage_flit_q[Lat-1];
  assign flits_o    = flits_q;
  assign powered_o  = powered_q;
endmodule

`default_nettype wire
