// tessera_opunit: the operand registers of one FMA unit and their load logic:
// a, two weight registers b0/b1 (the streams' ping-pong: one feeds the array
// while the next k's (os) or pass's (ws) weights land in the other) and Slots
// accumulators (os: the interleaved outputs, Slots independent chains in
// flight in the FMA pipeline; ws: the tile's partial sums between passes,
// docs/microarchitecture.md). A VEXP, VRECIP, VRSQRT, VGELU or VGELUD runs its
// microprogram (tessera_pkg::VexpProgram, ...) on it: x in a, R0 in b0, R1
// in b1, R2 in accumulator 0, R3 in accumulator 1, the step's selects and
// constants from the controller.
// Its position in the array comes in on ports tied to constants rather than
// parameters, so that every tool elaborates this module once however many
// units a die has. So does its read data: every load puts unit u's word in
// the same lane of a buffer access (the controller's accesses start at a
// multiple of the lanes, from a row's start), so the unit is wired to fixed
// lanes and selects nothing: act lane u mod Ba for a, and for the
// accumulators that lane or, in a tile-row load, lane col mod Ba; weight lane
// col mod Bw (docs/microarchitecture.md, "Buffers").
`default_nettype none

module tessera_opunit #(
  parameter int Slots = 1,     // accumulators (os: interleaved output rows)
  parameter int Units = 8,     // units of the array (flat accumulator index)
  localparam int SW = (Slots > 1) ? $clog2(Slots) : 1
) (
  input  logic                 clk_i,
  input  logic [15:0]          index_i,   // unit index u
  input  logic [15:0]          row_i,     // PE
  input  logic [15:0]          col_i,     // lane * Vector + vector element
  // activation-buffer read data and where it goes (tessera_seq's Dst* codes);
  // a tile-row load (a_ret_rows_i) takes the accumulators' word from lane col
  input  logic                 a_ret_valid_i,
  input  logic [1:0]           a_ret_dst_i,
  input  logic                 a_ret_rows_i,
  input  logic [15:0]          a_ret_base_i,
  input  logic [15:0]          a_ret_n_i,
  input  logic [31:0]          a_word_i,      // act lane index_i mod Ba
  input  logic [31:0]          a_row_word_i,  // act lane col_i mod Ba
  // weight-buffer read data, by column (the streams), into b0 or b1 as
  // w_ret_bank_i says
  input  logic                 w_ret_valid_i,
  input  logic                 w_ret_bank_i,
  input  logic [15:0]          w_ret_base_i,
  input  logic [15:0]          w_ret_n_i,
  input  logic                 w_ret_prow_en_i,  // only PE row w_ret_prow_i (the ws stream)
  input  logic [15:0]          w_ret_prow_i,
  input  logic [31:0]          w_word_i,      // weight lane col_i mod Bw
  input  logic                 zero_i,    // every accumulator to +0.0
  input  logic                 fire_i,
  input  logic                 mask_2d_i, // fire if row < rows and col < cols, else index < cols
  input  logic [15:0]          mask_rows_i,
  input  logic [15:0]          mask_cols_i,
  input  logic                 b_imm_i,   // b operand is b_imm_val_i (VADD: 1.0, VAXPY: s)
  input  logic [31:0]          b_imm_val_i,
  input  logic                 b_acc_i,   // b from accumulator 0, c is -0.0 (VMUL)
  // VEXP, VRECIP, VRSQRT, VGELU, VGELUD (uop_fn_i 0 to 4): the current step
  // of the microprogram (operand selects, constants, destination); uop_last_i
  // on its last, whose result x may replace
  input  logic                 uop_i,
  input  logic [2:0]           uop_fn_i,
  input  logic [2:0]           uop_a_i,
  input  logic [2:0]           uop_b_i,
  input  logic [2:0]           uop_c_i,
  input  logic [1:0]           uop_d_i,
  input  logic [31:0]          uop_ka_i,
  input  logic [31:0]          uop_kb_i,
  input  logic [31:0]          uop_kc_i,
  input  logic                 uop_last_i,
  // VMAX: in the fire cycle accumulator 0 takes max(a, accumulator 0), no FMA
  input  logic                 max_i,
  // os stream: a from the row's X register, b from b[bsel], c from slot c_slot
  input  logic                 stream_i,
  input  logic [31:0]          x_row_i,
  input  logic                 bsel_i,
  input  logic [SW-1:0]        c_slot_i,
  input  logic                 result_valid_i,
  input  logic [SW-1:0]        res_slot_i,
  input  logic [31:0]          result_i,
  output logic                 valid_o,
  output logic [31:0]          a_o,
  output logic [31:0]          b_o,
  output logic [31:0]          c_o,
  output logic [Slots*32-1:0]  acc_o      // every accumulator, slot s at s*32
);
  localparam logic [1:0] DstDirect = 2'd0;  // a (VADD's A)
  localparam logic [1:0] DstAcc = 2'd3;     // the accumulators (Y, VADD's B)

  logic [31:0] a_q, b0_q, b1_q;
  logic [31:0] acc_q [0:Slots-1];
  logic [15:0] a_lane, w_lane;
  assign a_lane = index_i - a_ret_base_i;
  assign w_lane = col_i - w_ret_base_i;

  // ---- the microprograms (arch/vfn.h) ----
  localparam int R3 = (Slots > 1) ? 1 : 0;  // R3's accumulator (Slots >= 2 on every die)
  logic uop_recip, uop_rsqrt, uop_gelu, uop_gelud;
  assign uop_recip = uop_fn_i == 3'd1;
  assign uop_rsqrt = uop_fn_i == 3'd2;
  assign uop_gelu  = uop_fn_i == 3'd3 || uop_fn_i == 3'd4;
  assign uop_gelud = uop_fn_i == 3'd4;
  // The integer steps of VRECIP and VRSQRT, on x as it loads (off the FMA's
  // input path): |x| = m 2^e, m in [1, 2) (a subnormal's leading one shifted
  // to the hidden bit: a leading-zero count and a shift). VRECIP: R0 = y0 =
  // VrecipMagic - bits(m), R1 = -m, k_q = -e. VRSQRT: an odd e moves a factor
  // 2 into m (exponent field 128), R0 = VrsqrtMagic - bits(m) / 2, R1 = -m/2,
  // k_q = -e/2.
  logic [31:0] ld;
  logic [4:0]  r_lz;
  logic [22:0] r_f;
  logic [8:0]  r_e, r_k;
  logic [7:0]  r_sx;
  logic [31:0] r_m, r_half, r_y0, r_nm;
  logic [8:0]  k_q;
  assign ld = a_word_i;
  always_comb begin
    r_lz = 5'd0;
    for (int i = 0; i < 23; i++) if (ld[i]) r_lz = 5'(22 - i);
  end
  assign r_f  = (ld[30:23] == 8'd0) ? 23'(ld[22:0] << (r_lz + 5'd1)) : ld[22:0];
  assign r_e  = (ld[30:23] == 8'd0) ? 9'd0 - 9'(r_lz) - 9'd127 : 9'(ld[30:23]) - 9'd127;
  assign r_m  = {9'h07F, r_f};
  assign r_sx = (uop_rsqrt && r_e[0]) ? 8'h80 : 8'h7F;
  assign r_half = {2'b0, r_sx, r_f[22:1]};  // bits(m) / 2, m with r_sx's exponent
  assign r_y0 = uop_rsqrt ? tessera_pkg::VrsqrtMagic - r_half : tessera_pkg::VrecipMagic - r_m;
  assign r_nm = {1'b1, r_sx - (uop_rsqrt ? 8'd1 : 8'd0), r_f};
  assign r_k  = uop_rsqrt ? 9'd0 - {r_e[8], r_e[8:1]} : 9'd0 - r_e;
  // 2^k1 and 2^k2, k1 = floor(k / 2), k2 = k - k1, 2^j = (j + 127) << 23; k
  // as a 9-bit signed number: exp's (and GeLU's) n = R0's encoding minus the
  // shifter's (-254..128 where it matters), the reciprocal's -e; k1, k2 in 8
  // bits.
  logic [8:0]  u_k;
  logic [7:0]  u_k1, u_k2;
  logic [31:0] u_p2lo, u_p2hi;
  assign u_k  = uop_recip ? k_q : b0_q[8:0] - tessera_pkg::VexpShifter[8:0];
  assign u_k1 = u_k[8:1];
  assign u_k2 = u_k[7:0] - u_k1;
  assign u_p2lo = {1'b0, u_k1 + 8'd127, 23'd0};
  assign u_p2hi = {1'b0, u_k2 + 8'd127, 23'd0};
  // What x alone decides, in place of the last step's result. exp: NaN ->
  // canonical NaN, above VexpHi -> +inf, below -VexpLoMag -> +0 (infinities
  // included). 1/x: NaN -> canonical NaN, ±inf -> ±0, ±0 -> ±inf; else the
  // result takes x's sign. 1/sqrt(x): NaN or below zero -> canonical NaN,
  // ±0 -> ±inf, +inf -> +0; else k_q is added to the result's exponent.
  // GeLU (and its derivative): NaN -> canonical NaN, |x| above GeluLim: -0
  // below zero, x (1) above.
  logic        u_nan, u_big, u_small, u_inf, u_zero, u_glim, u_special;
  logic [31:0] u_special_val, u_fixed, res_val;
  assign u_nan   = a_q[30:0] > 31'h7F80_0000;
  assign u_big   = !a_q[31] && a_q > tessera_pkg::VexpHi;
  assign u_small = a_q[31] && a_q[30:0] > tessera_pkg::VexpLoMag[30:0];
  assign u_inf   = a_q[30:0] == 31'h7F80_0000;
  assign u_zero  = a_q[30:0] == 31'd0;
  assign u_glim  = a_q[30:0] > tessera_pkg::GeluLim[30:0];
  assign u_special = uop_recip ? (u_nan || u_inf || u_zero)
                   : uop_rsqrt ? (u_nan || a_q[31] || u_zero || u_inf)
                   : uop_gelu ? u_glim  // NaN included
                   : (u_nan || u_big || u_small);
  assign u_special_val = (u_nan || (uop_rsqrt && a_q[31] && !u_zero)) ? 32'h7FC0_0000
                       : (uop_recip || uop_rsqrt) ? {a_q[31], u_zero ? 31'h7F80_0000 : 31'd0}
                       : uop_gelu ? (a_q[31] ? 32'h8000_0000 : uop_gelud ? 32'h3F80_0000 : a_q)
                       : (u_big ? 32'h7F80_0000 : 32'h0000_0000);
  assign u_fixed = uop_recip ? {a_q[31] | result_i[31], result_i[30:0]}
                 : uop_rsqrt ? result_i + {k_q, 23'd0} : result_i;
  assign res_val = !(uop_i && uop_last_i) ? result_i : u_special ? u_special_val : u_fixed;

  always_ff @(posedge clk_i) begin
    if (a_ret_valid_i && a_ret_dst_i == DstDirect && a_lane < a_ret_n_i) begin
      a_q <= ld;
      if (uop_recip || uop_rsqrt) begin
        b0_q <= r_y0;
        b1_q <= r_nm;
        k_q  <= r_k;
      end
    end
    if (w_ret_valid_i && w_lane < w_ret_n_i && (!w_ret_prow_en_i || row_i == w_ret_prow_i)) begin
      if (w_ret_bank_i) b1_q <= w_word_i;
      else b0_q <= w_word_i;
    end
    if (uop_i && result_valid_i && uop_d_i == tessera_pkg::UdR0) b0_q <= result_i;
    if (uop_i && result_valid_i && uop_d_i == tessera_pkg::UdR1) b1_q <= result_i;
  end
  // ---- VMAX (tsr_vmax): the canonical NaN if either is one, else the larger
  // by the order of the encodings made monotonic (sign flips the rest), so
  // +0 (0x8000_0000 as a key) is above -0 (0x7FFF_FFFF).
  logic        m_nan, m_fire;
  logic [31:0] m_ka, m_kb, m_val;
  assign m_nan  = a_q[30:0] > 31'h7F80_0000 || acc_q[0][30:0] > 31'h7F80_0000;
  assign m_ka   = a_q[31] ? ~a_q : {1'b1, a_q[30:0]};
  assign m_kb   = acc_q[0][31] ? ~acc_q[0] : {1'b1, acc_q[0][30:0]};
  assign m_val  = m_nan ? 32'h7FC0_0000 : ((m_ka >= m_kb) ? a_q : acc_q[0]);
  assign m_fire = max_i && fire_i && index_i < mask_cols_i;

  // A microprogram step's result goes to accumulator 0 only if R2 is its destination.
  logic res_to_acc;
  assign res_to_acc = result_valid_i && !(uop_i && uop_d_i != tessera_pkg::UdR2);

  // Accumulator s is flat index s * Units + index_i of the controller's view.
  logic [31:0] acc_word;
  assign acc_word = a_ret_rows_i ? a_row_word_i : a_word_i;
  for (genvar s = 0; s < Slots; s++) begin : g_slot
    logic [15:0] lane;
    assign lane = 16'(s * Units) + index_i - a_ret_base_i;
    always_ff @(posedge clk_i) begin
      if (a_ret_valid_i && a_ret_dst_i == DstAcc && lane < a_ret_n_i)
        acc_q[s] <= acc_word;
      if (zero_i) acc_q[s] <= '0;
      if (res_to_acc && 32'(res_slot_i) == s) acc_q[s] <= res_val;
      if (m_fire && s == 0) acc_q[s] <= m_val;
      if (uop_i && result_valid_i && uop_d_i == tessera_pkg::UdR3 && s == R3) acc_q[s] <= result_i;
    end
    assign acc_o[s*32 +: 32] = acc_q[s];
  end

  assign valid_o = fire_i && !max_i && (mask_2d_i ? (row_i < mask_rows_i && col_i < mask_cols_i)
                                        : (index_i < mask_cols_i));
  logic [31:0] u_a, u_b, u_c;
  assign u_a = (uop_a_i == tessera_pkg::UaX) ? a_q : (uop_a_i == tessera_pkg::UaR0) ? b0_q
             : (uop_a_i == tessera_pkg::UaR1) ? b1_q : (uop_a_i == tessera_pkg::UaR2) ? acc_q[0]
             : (uop_a_i == tessera_pkg::UaR3) ? acc_q[R3]
             : (uop_a_i == tessera_pkg::UaNegAbsX) ? {1'b1, a_q[30:0]} : uop_ka_i;
  assign u_b = (uop_b_i == tessera_pkg::UbR0) ? b0_q : (uop_b_i == tessera_pkg::UbR1) ? b1_q
             : (uop_b_i == tessera_pkg::UbR2) ? acc_q[0] : (uop_b_i == tessera_pkg::UbR3) ? acc_q[R3]
             : (uop_b_i == tessera_pkg::UbP2Lo) ? u_p2lo : (uop_b_i == tessera_pkg::UbP2Hi) ? u_p2hi
             : (uop_b_i == tessera_pkg::UbX) ? a_q : uop_kb_i;
  assign u_c = (uop_c_i == tessera_pkg::UcX) ? a_q : (uop_c_i == tessera_pkg::UcR0) ? b0_q
             : (uop_c_i == tessera_pkg::UcR1) ? b1_q : (uop_c_i == tessera_pkg::UcR2) ? acc_q[0]
             : (uop_c_i == tessera_pkg::UcR3) ? acc_q[R3]
             : (uop_c_i == tessera_pkg::UcSigmoid) ? (a_q[31] ? acc_q[0] : b0_q) : uop_kc_i;
  assign a_o = uop_i ? u_a : stream_i ? x_row_i : a_q;
  assign b_o = uop_i ? u_b : b_imm_i ? b_imm_val_i : b_acc_i ? acc_q[0]
             : ((stream_i && bsel_i) ? b1_q : b0_q);
  assign c_o = uop_i ? u_c : b_acc_i ? 32'h8000_0000 : acc_q[stream_i ? c_slot_i : SW'(0)];
endmodule

`default_nettype wire
