// tessera_fma: IEEE 754 binary32 fused multiply-add y = a * b + c with one
// rounding (round to nearest, ties to even), subnormals in and out, overflow
// to infinity, and the canonical quiet NaN 0x7FC00000 for every NaN result.
// Bit-exact with C's fmaf() (docs/fma.md). Fully pipelined; latency Stages.
//
// Datapath (docs/fma.md has the argument for every width):
//   stage A  unpack, specials, 24 x 24 product and, beside it, the addend
//            aligned against the product in a 104-bit window
//   stage B  add or subtract, find the leading one, round, pack
// Register index 0 of the window is a sticky position: it holds the OR of
// every bit at or below it, which keeps the sum exact for rounding because
// the round bit of every inexact result lies at index 2 or above.
// Stages = 1: A and B then one register. Stages >= 2: a register between A
// and B, and Stages - 1 registers after B.
`default_nettype none

module tessera_fma #(
  parameter int Stages = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,   // asynchronous, active low; resets the valid pipeline only
  input  logic        valid_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  output logic        valid_o,
  output logic [31:0] y_o
);
  if (Stages < 1 || Stages > 4) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_fma: Stages must be 1..4");
`endif
  end

  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;
  localparam int OutRegs = (Stages >= 2) ? Stages - 1 : 1;

  // ---- stage A: unpack, specials, product ----------------------------------
  // What stage B needs, packed so one register can hold it.
  typedef struct packed {
    logic [47:0]  mp;       // product of the significands
    logic [103:0] a_al;     // addend aligned in the window, sticky at index 0
    logic         clamp;    // addend far above the product: product becomes sticky
    logic [11:0]  base;     // weight exponent of window index 0
    logic [11:0]  lsb_sub;  // window index of the subnormal lsb (2^-149)
    logic         sp, sc;   // product and addend signs
    logic         special;  // result is y_special, not the sum
    logic [31:0]  y_special;
  } mid_t;
  mid_t mid_d, mid_q;

  always_comb begin
    logic a_zero, b_zero, c_zero, a_inf, b_inf, c_inf, a_nan, b_nan, c_nan;
    logic [23:0] ma, mb;
    logic [7:0] ea, eb, ec;     // effective biased exponents (1 for subnormals)
    logic [11:0] sh;
    logic [6:0] sh_u;
    logic [207:0] a_wide;
    a_zero = a_i[30:0] == 31'd0;
    b_zero = b_i[30:0] == 31'd0;
    c_zero = c_i[30:0] == 31'd0;
    a_inf  = a_i[30:23] == 8'hFF && a_i[22:0] == 23'd0;
    b_inf  = b_i[30:23] == 8'hFF && b_i[22:0] == 23'd0;
    c_inf  = c_i[30:23] == 8'hFF && c_i[22:0] == 23'd0;
    a_nan  = a_i[30:23] == 8'hFF && a_i[22:0] != 23'd0;
    b_nan  = b_i[30:23] == 8'hFF && b_i[22:0] != 23'd0;
    c_nan  = c_i[30:23] == 8'hFF && c_i[22:0] != 23'd0;
    ma = {a_i[30:23] != 8'd0, a_i[22:0]};
    mb = {b_i[30:23] != 8'd0, b_i[22:0]};

    mid_d.mp = 48'(ma) * 48'(mb);
    ea = (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
    eb = (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
    ec = (c_i[30:23] == 8'd0) ? 8'd1 : c_i[30:23];

    // Window indices: product lsb at 29 (so a product msb sits at 75 or 76),
    // addend lsb at 80 before its right shift by 51 - (ec - ep), that is
    // ea + eb - ec - 99. Exponent-like values are 12-bit two's complement.
    sh = 12'(ea) + 12'(eb) - 12'(ec) - 12'd99;
    mid_d.clamp = sh[11];
    if (sh[11]) sh_u = 7'd0;
    else if (sh > 12'd104) sh_u = 7'd104;
    else sh_u = sh[6:0];
    a_wide = {c_i[30:23] != 8'd0, c_i[22:0], 80'd0, 104'd0} >> sh_u;
    mid_d.a_al = a_wide[207:104];
    mid_d.a_al[0] = a_wide[104] | (a_wide[103:0] != 104'd0);
    if (sh[11]) begin
      mid_d.base    = 12'(ec) - 12'd230;
      mid_d.lsb_sub = 12'd81 - 12'(ec);
    end else begin
      mid_d.base    = 12'(ea) + 12'(eb) - 12'd329;
      mid_d.lsb_sub = 12'd180 - 12'(ea) - 12'(eb);
    end
    mid_d.sp = a_i[31] ^ b_i[31];
    mid_d.sc = c_i[31];

    // Priority: NaN, infinity, zero product (the sum is c, exactly), else the sum.
    mid_d.special = 1'b1;
    if (a_nan || b_nan || c_nan || (a_inf && b_zero) || (b_inf && a_zero) ||
        ((a_inf || b_inf) && c_inf && (a_i[31] ^ b_i[31]) != c_i[31])) begin
      mid_d.y_special = CanonicalNan;
    end else if (a_inf || b_inf) begin
      mid_d.y_special = {a_i[31] ^ b_i[31], 8'hFF, 23'd0};
    end else if (c_inf) begin
      mid_d.y_special = c_i;
    end else if (a_zero || b_zero) begin
      // +0 + -0 = +0 in round to nearest; equal signs keep theirs.
      if (c_zero) mid_d.y_special = {(a_i[31] ^ b_i[31]) & c_i[31], 31'd0};
      else mid_d.y_special = c_i;
    end else begin
      mid_d.special = 1'b0;
      mid_d.y_special = 32'd0;
    end
  end

  if (Stages >= 2) begin : g_mid_reg
    always_ff @(posedge clk_i) mid_q <= mid_d;
  end else begin : g_mid_wire
    assign mid_q = mid_d;
  end

  // ---- stage B: add, normalize, round ------------------------------------------
  // lt() compares 12-bit two's complement values as signed.
  function automatic logic lt(input logic [11:0] x, input logic [11:0] y);
    lt = (x ^ 12'h800) < (y ^ 12'h800);
  endfunction

  logic [31:0] y_d;
  always_comb begin
    logic [11:0] base, lsb_sub, lsb_norm, lsb_idx, lsbp, e_base, e_out;
    logic [7:0] msb;
    logic eff_sub, sign, sticky, inc;
    logic [103:0] p_al;
    logic [104:0] x, y, m;
    logic [128:0] mw, below;
    logic [24:0] q;  // result significand and round bit
    logic [23:0] mant;
    logic [24:0] mant_r;
    logic [22:0] frac;

    if (mid_q.clamp) p_al = {103'd0, mid_q.mp != 48'd0};
    else p_al = 104'(mid_q.mp) << 29;
    base = mid_q.base;
    lsb_sub = mid_q.lsb_sub;

    y = {1'b0, mid_q.a_al};
    x = {1'b0, p_al};
    eff_sub = mid_q.sp ^ mid_q.sc;
    if (!eff_sub) begin
      m = x + y;
      sign = mid_q.sp;
    end else if (x >= y) begin
      m = x - y;
      sign = mid_q.sp;
    end else begin
      m = y - x;
      sign = mid_q.sc;
    end

    msb = 8'd0;
    for (int i = 0; i < 105; i++) begin
      if (m[i]) msb = 8'(i);
    end

    // Result lsb: 24 bits below the leading one, or the subnormal lsb.
    lsb_norm = 12'(msb) - 12'd23;
    lsb_idx = lt(lsb_norm, lsb_sub) ? lsb_sub : lsb_norm;
    lsbp = lsb_idx + 12'd24;  // index in mw = {m, 24 zeros}: at least 1
    if (lt(12'd130, lsbp)) lsbp = 12'd130;
    mw = {m, 24'd0};
    q = 25'(mw >> (lsbp - 12'd1));
    below = (129'd1 << (lsbp - 12'd1)) - 129'd1;
    sticky = (mw & below) != 129'd0;
    mant = q[24:1];
    inc = q[0] && (sticky || mant[0]);
    mant_r = {1'b0, mant} + 25'(inc);

    e_base = base + lsb_idx + 12'd150;
    if (mant_r[24]) begin
      e_out = e_base + 12'd1;
      frac = 23'd0;
    end else begin
      e_out = mant_r[23] ? e_base : 12'd0;
      frac = mant_r[22:0];
    end

    if (mid_q.special) y_d = mid_q.y_special;
    else if (m == 105'd0) y_d = 32'd0;  // exact cancellation: +0
    else if (!lt(e_out, 12'd255)) y_d = {sign, 8'hFF, 23'd0};
    else y_d = {sign, e_out[7:0], frac};
  end

  // ---- output registers and the valid pipeline -----------------------------------
  logic [31:0] y_q [0:OutRegs-1];
  logic [Stages-1:0] valid_q;

  always_ff @(posedge clk_i) begin
    y_q[0] <= y_d;
    for (int i = 1; i < OutRegs; i++) y_q[i] <= y_q[i-1];
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= Stages'({valid_q, valid_i});
  end

  assign valid_o = valid_q[Stages-1];
  assign y_o = y_q[OutRegs-1];
endmodule

`default_nettype wire
