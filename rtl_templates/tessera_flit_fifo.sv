// tessera_flit_fifo: the input buffer of a credit-based channel. Depth
// entries of Width bits; the front entry is read combinationally (data_o)
// and leaves on pop_i. The sender holds one credit per free entry, so a push
// into a full FIFO is a protocol error (caught in simulation).
`default_nettype none

module tessera_flit_fifo #(
  parameter int Width = 130,
  parameter int Depth = 4,
  localparam int PW = (Depth > 1) ? $clog2(Depth) : 1,
  localparam int CW = $clog2(Depth + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] data_i,
  input  logic             pop_i,
  output logic [Width-1:0] data_o,
  output logic             empty_o
);
  logic [Width-1:0] mem_flit_q [0:Depth-1];
  logic [PW-1:0] rd_q, wr_q;
  logic [CW-1:0] count_q;

  function automatic logic [PW-1:0] next_ptr(input logic [PW-1:0] p);
    next_ptr = (p == PW'(Depth - 1)) ? '0 : p + PW'(1);
  endfunction

  assign data_o  = mem_flit_q[rd_q];
  assign empty_o = (count_q == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q    <= '0;
      wr_q    <= '0;
      count_q <= '0;
    end else begin
      if (push_i) wr_q <= next_ptr(wr_q);
      if (pop_i) rd_q <= next_ptr(rd_q);
      count_q <= count_q + CW'(push_i) - CW'(pop_i);
    end
  end

  // Payload storage needs no reset: count_q says which entries are valid.
  always_ff @(posedge clk_i) begin
    if (push_i) mem_flit_q[wr_q] <= data_i;
  end

`ifndef SYNTHESIS
  // Checked out of reset only: before it, count_q may hold anything.
  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni && push_i && !pop_i && count_q == CW'(Depth))
      $fatal(1, "tessera_flit_fifo: push into a full FIFO (sender ignored credits)");
    if (rst_ni && pop_i && count_q == '0)
      $fatal(1, "tessera_flit_fifo: pop from an empty FIFO");
  end
`endif
endmodule

`default_nettype wire
