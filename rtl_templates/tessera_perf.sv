// tessera_perf: the die's event counters, 64 bits each, cleared by start_i.
// Every event counts when it happens: the controller's only while it is busy,
// but words the network writes into the buffers also after the die halted,
// since they cost energy all the same. Counter indices are the host CSR map
// of docs/isa.md; the cost model predicts every one of them.
`default_nettype none

module tessera_perf #(
  parameter int ACW = 3,
  parameter int WCW = 3
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  input  logic           start_i,
  input  logic           busy_i,
  input  logic           retire_i,
  input  logic           imem_read_i,
  input  logic           array_busy_i,
  input  logic [15:0]    fma_ops_i,
  input  logic [WCW-1:0] wbuf_read_words_i,
  input  logic [WCW-1:0] wbuf_write_words_i,
  input  logic [ACW-1:0] abuf_read_words_i,
  input  logic [ACW-1:0] abuf_write_words_i,
  input  logic [3:0]     sel_i,
  output logic [63:0]    value_o,
  output logic [31:0]    cycle_o
);
  localparam int N = tessera_pkg::NumCounters;
  logic [63:0] cnt_q [0:N-1];
  logic [63:0] inc [0:N-1];

  // Continuous assignments, not an always_comb: what they read changes in every
  // busy cycle, and in Icarus 11.0 that would also wake every always_comb
  // compiled before it (docs/simulators.md, "Icarus 11.0 and always_comb").
  assign inc[tessera_pkg::CntCycles]        = 64'(busy_i);
  assign inc[tessera_pkg::CntInsns]         = 64'(retire_i);
  assign inc[tessera_pkg::CntImemReadBits]  = imem_read_i ? 64'd128 : 64'd0;
  assign inc[tessera_pkg::CntArrayBusy]     = 64'(array_busy_i);
  assign inc[tessera_pkg::CntFmaOps]        = 64'(fma_ops_i);
  assign inc[tessera_pkg::CntWbufReadBits]  = 64'(wbuf_read_words_i) * 64'd32;
  assign inc[tessera_pkg::CntWbufWriteBits] = 64'(wbuf_write_words_i) * 64'd32;
  assign inc[tessera_pkg::CntAbufReadBits]  = 64'(abuf_read_words_i) * 64'd32;
  assign inc[tessera_pkg::CntAbufWriteBits] = 64'(abuf_write_words_i) * 64'd32;
  assign inc[tessera_pkg::CntWbufBusy]      = 64'(wbuf_read_words_i != 0 || wbuf_write_words_i != 0);
  assign inc[tessera_pkg::CntAbufBusy]      = 64'(abuf_read_words_i != 0 || abuf_write_words_i != 0);

  for (genvar i = 0; i < N; i++) begin : g_cnt
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) cnt_q[i] <= '0;
      else if (start_i) cnt_q[i] <= '0;
      else cnt_q[i] <= cnt_q[i] + inc[i];
    end
  end

  assign value_o = (32'(sel_i) < N) ? cnt_q[sel_i] : 64'd0;
  assign cycle_o = cnt_q[0][31:0];
endmodule

`default_nettype wire
