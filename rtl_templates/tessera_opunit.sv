// tessera_opunit: the operand registers of one FMA unit (a, b and the
// accumulator c) and their load logic. Its position in the array comes in on
// ports tied to constants rather than parameters, so that every tool
// elaborates this module once however many units a die has.
`default_nettype none

module tessera_opunit #(
  parameter int ABanks = 4,
  parameter int WBanks = 4,
  localparam int ALW = (ABanks > 1) ? $clog2(ABanks) : 1,
  localparam int WLW = (WBanks > 1) ? $clog2(WBanks) : 1
) (
  input  logic                 clk_i,
  input  logic [15:0]          index_i,   // unit index u
  input  logic [15:0]          row_i,     // PE
  input  logic [15:0]          col_i,     // lane * Vector + vector element
  // activation-buffer read data and where it goes (tessera_seq's Dst* codes)
  input  logic                 a_ret_valid_i,
  input  logic [1:0]           a_ret_dst_i,
  input  logic [15:0]          a_ret_base_i,
  input  logic [15:0]          a_ret_n_i,
  input  logic [ABanks*32-1:0] abuf_rdata_i,
  // weight-buffer read data: by unit index (direct) or by column (broadcast)
  input  logic                 w_ret_valid_i,
  input  logic                 w_ret_by_col_i,
  input  logic [15:0]          w_ret_base_i,
  input  logic [15:0]          w_ret_n_i,
  input  logic [WBanks*32-1:0] wbuf_rdata_i,
  input  logic                 zero_i,    // accumulator to +0.0
  input  logic                 fire_i,
  input  logic                 mask_2d_i, // fire if row < rows and col < cols, else index < cols
  input  logic [15:0]          mask_rows_i,
  input  logic [15:0]          mask_cols_i,
  input  logic                 b_one_i,   // b operand is 1.0 (VADD)
  input  logic                 result_valid_i,
  input  logic [31:0]          result_i,
  output logic                 valid_o,
  output logic [31:0]          a_o,
  output logic [31:0]          b_o,
  output logic [31:0]          c_o
);
  localparam logic [1:0] DstDirect = 2'd0;
  localparam logic [1:0] DstRow = 2'd1;
  localparam logic [1:0] DstAll = 2'd2;

  logic [31:0] a_q, b_q, c_q;
  logic [15:0] a_lane, w_lane;
  assign a_lane = index_i - a_ret_base_i;
  assign w_lane = (w_ret_by_col_i ? col_i : index_i) - w_ret_base_i;

  always_ff @(posedge clk_i) begin
    if (a_ret_valid_i) begin
      unique case (a_ret_dst_i)
        DstDirect: if (a_lane < a_ret_n_i) a_q <= abuf_rdata_i[a_lane[ALW-1:0]*32 +: 32];
        DstRow:    if (row_i == a_ret_base_i) a_q <= abuf_rdata_i[31:0];
        DstAll:    a_q <= abuf_rdata_i[31:0];
        default:   if (a_lane < a_ret_n_i) c_q <= abuf_rdata_i[a_lane[ALW-1:0]*32 +: 32];
      endcase
    end
    if (w_ret_valid_i && w_lane < w_ret_n_i) b_q <= wbuf_rdata_i[w_lane[WLW-1:0]*32 +: 32];
    if (zero_i) c_q <= '0;
    if (result_valid_i) c_q <= result_i;
  end

  assign valid_o = fire_i && (mask_2d_i ? (row_i < mask_rows_i && col_i < mask_cols_i)
                                        : (index_i < mask_cols_i));
  assign a_o = a_q;
  assign b_o = b_one_i ? 32'h3F80_0000 : b_q;
  assign c_o = c_q;
endmodule

`default_nettype wire
