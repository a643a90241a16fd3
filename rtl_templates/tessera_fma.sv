// tessera_fma: IEEE 754 binary32 fused multiply-add y = a * b + c with one
// rounding (round to nearest, ties to even), subnormals in and out, overflow
// to infinity, and the canonical quiet NaN 0x7FC00000 for every NaN result.
// Bit-exact with C's fmaf() (docs/fma.md). Fully pipelined; latency Stages.
//
// Datapath (docs/fma.md has the argument for every width):
//   A   unpack, specials, the 24 x 24 product in carry-save form and, beside
//       it, the addend aligned in a 77-bit window whose index 0 is a sticky bit
//   B1  one carry-save row and one prefix adder: the magnitude of x + c or x - c
//   B2  leading zeros, then one normalizing shift, limited so that a subnormal
//       result keeps its lsb at 2^-149
//   B3  round to nearest even, pack
// Registers: one after B3 always; Stages >= 2 adds one after B1, Stages >= 3
// one after A, Stages = 4 one after B2.
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

  // One carry-save row over the window: x0 + x1 + x2 = sum + carry, returned
  // as {sum, carry}. The carry's mux form (select x2 where x0 and x1 differ,
  // else x1) maps onto fewer generic gates than a majority.
  function automatic logic [153:0] csa(input logic [76:0] x0, input logic [76:0] x1,
                                       input logic [76:0] x2);
    logic [76:0] p;
    logic [75:0] k;
    p = x0 ^ x1;
    for (int j = 0; j < 76; j++) k[j] = p[j] ? x2[j] : x1[j];
    csa = {p ^ x2, k, 1'b0};
  endfunction

  // ---- stage A: unpack, specials, product, alignment -----------------------------
  typedef struct packed {
    logic [47:0] ps, pc;    // product of the significands, carry-save
    logic [75:0] ca;        // addend aligned: window indices 76..1, [0] sticky
    logic        clamp;     // addend far above the product (or a zero product)
    logic        pzero;     // a or b is zero
    logic [8:0]  ex;        // biased exponent of a result whose leading one is at 76
    logic        sp, sc;    // product and addend signs
    logic        special, nan, sinf;  // NaN or infinite result; the infinity's sign
  } a_t;
  a_t a_d, a_q;

  always_comb begin
    logic a_zero, b_zero, a_inf, b_inf, c_inf, a_nan, b_nan, c_nan;
    logic [23:0] ma, mb, mc;
    logic [7:0] ea, eb, ec;
    logic [10:0] sh;
    logic [98:0] v;
    logic [76:0] s, c, s0, c0, px;
    logic [153:0] r;
    a_zero = a_i[30:0] == 31'd0;
    b_zero = b_i[30:0] == 31'd0;
    a_inf  = a_i[30:23] == 8'hFF && a_i[22:0] == 23'd0;
    b_inf  = b_i[30:23] == 8'hFF && b_i[22:0] == 23'd0;
    c_inf  = c_i[30:23] == 8'hFF && c_i[22:0] == 23'd0;
    a_nan  = a_i[30:23] == 8'hFF && a_i[22:0] != 23'd0;
    b_nan  = b_i[30:23] == 8'hFF && b_i[22:0] != 23'd0;
    c_nan  = c_i[30:23] == 8'hFF && c_i[22:0] != 23'd0;
    ma = {a_i[30:23] != 8'd0, a_i[22:0]};
    mb = {b_i[30:23] != 8'd0, b_i[22:0]};
    mc = {c_i[30:23] != 8'd0, c_i[22:0]};
    ea = (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
    eb = (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
    ec = (c_i[30:23] == 8'd0) ? 8'd1 : c_i[30:23];

    // Product: two carry-save arrays of 12 partial products each (b[11:0] and
    // b[23:12]), then two rows that reduce their four vectors to two. The
    // final carry-propagate add is the one of stage B1.
    s0 = 77'd0;
    c0 = 77'd0;
    s = 77'd0;
    c = 77'd0;
    for (int g = 0; g < 2; g++) begin
      s = mb[g * 12] ? (77'(ma) << (g * 12)) : 77'd0;
      c = 77'd0;
      for (int i = 1; i < 12; i++) begin
        px = mb[g * 12 + i] ? (77'(ma) << (g * 12 + i)) : 77'd0;
        r = csa(s, c, px);
        s = r[153:77];
        c = r[76:0];
      end
      if (g == 0) begin
        s0 = s;
        c0 = c;
      end
    end
    r = csa(s0, c0, s);
    r = csa(r[153:77], r[76:0], c);
    a_d.ps = r[124:77];     // sum + carry < 2^48: no bit above 47 is set
    a_d.pc = r[47:0];

    // Window: the product's lsb at index 3 (its msb at 49 or 50), the addend's
    // lsb at 52 before a right shift by ea + eb - ec - 101, i.e. 49 minus the
    // addend's distance above the product's lsb. A negative shift clamps: the
    // addend stays at 75:52 and the (nonzero) product becomes the sticky bit.
    // Bits shifted below index 1 are ORed into index 0; at 76 or more, all are.
    sh = 11'(ea) + 11'(eb) - 11'(ec) - 11'd101;
    a_d.clamp = sh[10] | a_zero | b_zero;
    v = {mc, 75'd0};
    for (int k = 0; k < 7; k++) begin
      if (sh[k]) v = v >> (1 << k);
    end
    if (a_d.clamp) a_d.ca = {mc, 52'd0};
    else if (sh > 11'd75) a_d.ca = {75'd0, mc != 24'd0};
    else a_d.ca = {v[98:24], v[23:0] != 24'd0};
    a_d.pzero = a_zero | b_zero;
    a_d.ex = a_d.clamp ? 9'(ec) + 9'd1 : 9'(ea) + 9'(eb) - 9'd100;
    a_d.sp = a_i[31] ^ b_i[31];
    a_d.sc = c_i[31];

    // NaN, infinity; a zero product goes through the datapath (the sum is c).
    a_d.nan = a_nan || b_nan || c_nan || (a_inf && b_zero) || (b_inf && a_zero) ||
              ((a_inf || b_inf) && c_inf && (a_i[31] ^ b_i[31]) != c_i[31]);
    a_d.special = a_d.nan || a_inf || b_inf || c_inf;
    a_d.sinf = (a_inf || b_inf) ? a_i[31] ^ b_i[31] : c_i[31];
  end

  if (Stages >= 3) begin : g_reg_a
    always_ff @(posedge clk_i) a_q <= a_d;
  end else begin : g_wire_a
    assign a_q = a_d;
  end

  // ---- stage B1: add, magnitude --------------------------------------------------
  typedef struct packed {
    logic [76:0] m;         // |x + c| or |x - c| in the window
    logic [8:0]  ex;
    logic        sign;      // sign of a nonzero result
    logic        zsign;     // sign of an exact zero: + unless both operands are -0
    logic        special, nan, sinf;
  } b1_t;
  b1_t b1_d, b1_q;

  always_comb begin
    logic [76:0] x, x2, y, p, gp, pp, cy0, cy1;
    logic [153:0] r;
    logic eff_sub, neg;
    if (a_q.clamp) begin
      x = {76'd0, !a_q.pzero};
      x2 = 77'd0;
    end else begin
      x = {26'd0, a_q.ps, 3'd0};
      x2 = {26'd0, a_q.pc, 3'd0};
    end
    eff_sub = a_q.sp ^ a_q.sc;
    y = {1'b0, a_q.ca} ^ {77{eff_sub}};
    r = csa(x, x2, y);
    // x + y where y is c or ~c: x + c, or x - c - 1 and (carry in 1) x - c.
    // A Brent-Kung prefix gives the group generate and propagate of every
    // position, hence the carries for both carry-ins.
    p = r[153:77] ^ r[76:0];
    gp = r[153:77] & r[76:0];
    pp = p;
    for (int l = 0; l < 7; l++) begin
      for (int j = 0; j < 77; j++) begin
        if (j % (2 << l) == (2 << l) - 1) begin
          gp[j] = gp[j] | (pp[j] & gp[j - (1 << l)]);
          pp[j] = pp[j] & pp[j - (1 << l)];
        end
      end
    end
    for (int l = 6; l > 0; l--) begin
      for (int j = 0; j < 77; j++) begin
        if (j >= (1 << l) && j % (1 << l) == (1 << (l - 1)) - 1) begin
          gp[j] = gp[j] | (pp[j] & gp[j - (1 << (l - 1))]);
          pp[j] = pp[j] & pp[j - (1 << (l - 1))];
        end
      end
    end
    cy0 = {gp[75:0], 1'b0};
    cy1 = {gp[75:0] | pp[75:0], 1'b1};
    // x - c - 1 < 0 means c >= x: the magnitude is ~(x - c - 1) = c - x.
    neg = eff_sub & (p[76] ^ cy0[76]);
    if (neg) b1_d.m = ~(p ^ cy0);
    else if (eff_sub) b1_d.m = p ^ cy1;
    else b1_d.m = p ^ cy0;
    b1_d.ex = a_q.ex;
    b1_d.sign = neg ? a_q.sc : a_q.sp;
    b1_d.zsign = !eff_sub & a_q.sp;
    b1_d.special = a_q.special;
    b1_d.nan = a_q.nan;
    b1_d.sinf = a_q.sinf;
  end

  if (Stages >= 2) begin : g_reg_b1
    always_ff @(posedge clk_i) b1_q <= b1_d;
  end else begin : g_wire_b1
    assign b1_q = b1_d;
  end

  // ---- stage B2: normalize ---------------------------------------------------------
  typedef struct packed {
    logic [24:0] q;         // significand and round bit
    logic        sticky;
    logic        zero;      // exact zero
    logic [8:0]  e;         // biased exponent if q[24], else 1 (a subnormal)
    logic        sign, zsign, special, nan, sinf;
  } b2_t;
  b2_t b2_d, b2_q;

  always_comb begin
    logic [127:0] v;
    logic [895:0] cnt;      // per tree node: leading zeros, 7 bits
    logic [8:0] lim;
    logic [6:0] lim7, lz, shift;
    logic [76:0] n;
    // Leading zeros of m, as a tree over {m, 51 zeros}: at level l, node i
    // covers bits [2^l (i+1) - 1 : 2^l i]; v says it holds a one.
    v = {b1_q.m, 51'd0};
    cnt = '0;
    for (int l = 1; l <= 7; l++) begin
      for (int i = 0; i < 64; i++) begin
        if (i < (128 >> l)) begin
          cnt[i * 7 +: 7] = v[2 * i + 1] ? cnt[(2 * i + 1) * 7 +: 7]
                                          : cnt[2 * i * 7 +: 7] | 7'(1 << (l - 1));
          v[i] = v[2 * i + 1] | v[2 * i];
        end
      end
    end
    lz = cnt[6:0];
    // At most ex - 1, the shift that puts the result's lsb at 2^-149: a
    // subnormal result, whose exponent field will be 0.
    lim = b1_q.ex - 9'd1;
    lim7 = (lim > 9'd127) ? 7'd127 : lim[6:0];
    if (lz > lim7) begin
      shift = lim7;
      b2_d.e = 9'd1;
    end else begin
      shift = lz;
      b2_d.e = b1_q.ex - 9'(lz);
    end
    n = b1_q.m;
    for (int k = 0; k < 7; k++) begin
      if (shift[k]) n = n << (1 << k);
    end
    b2_d.q = n[76:52];
    b2_d.sticky = n[51:0] != 52'd0;
    b2_d.zero = !v[0];
    b2_d.sign = b1_q.sign;
    b2_d.zsign = b1_q.zsign;
    b2_d.special = b1_q.special;
    b2_d.nan = b1_q.nan;
    b2_d.sinf = b1_q.sinf;
  end

  if (Stages == 4) begin : g_reg_b2
    always_ff @(posedge clk_i) b2_q <= b2_d;
  end else begin : g_wire_b2
    assign b2_q = b2_d;
  end

  // ---- stage B3: round, pack ---------------------------------------------------------
  logic [31:0] y_d;
  always_comb begin
    logic inc;
    logic [30:0] mag;
    // A subnormal (q[24] clear) packs with exponent field 0; a carry out of
    // its rounding makes it the smallest normal, as one of a normal makes the
    // next binade (or infinity from 254).
    inc = b2_q.q[0] & (b2_q.sticky | b2_q.q[1]);
    mag = {b2_q.q[24] ? b2_q.e[7:0] : 8'd0, b2_q.q[23:1]} + 31'(inc);
    if (b2_q.special) y_d = {b2_q.sinf & !b2_q.nan, 8'hFF, b2_q.nan, 22'd0};
    else if (b2_q.zero) y_d = {b2_q.zsign, 31'd0};
    else if (b2_q.e >= 9'd255) y_d = {b2_q.sign, 8'hFF, 23'd0};
    else y_d = {b2_q.sign, mag};
  end

  // ---- output register and the valid pipeline ----------------------------------------
  logic [31:0] y_q;
  logic [Stages-1:0] valid_q;

  always_ff @(posedge clk_i) y_q <= y_d;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= Stages'({valid_q, valid_i});
  end

  assign valid_o = valid_q[Stages-1];
  assign y_o = y_q;
endmodule

`default_nettype wire
