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
// Written in whole-vector steps, without loops over single bits: Verilator
// elaborates every instance of a die separately, and bit loops unrolled in
// each of thousands of units (configs/hecaton-32x32.json has 4,096) made
// linting the die run out of memory.
// The four steps are `always @*` blocks, not always_comb (against
// docs/conventions.md, for Icarus 11.0): there a change of anything an always_comb
// waits on wakes every always_comb compiled before it, and with one FMA per
// unit the die ran 6 times slower (docs/fma.md). Each block assigns every
// variable it drives on every path, so `@*` and always_comb mean the same
// here; Verilator -Wall and Yosys read them alike.
`default_nettype none

module tessera_fma #(
  parameter int Stages = 1,
  // 1: the 24 x 24 product as one `*`, for FPGA flows whose DSP blocks
  // multiply (flows/yosys/fpga.ys). The same product, bit for bit; the
  // carry-save arrays (0) are the ASIC's, fewer gates than Yosys' `*`.
  parameter int DspProduct = 0
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
  // as {sum, carry}. The carry is a mux, x2 where x0 and x1 differ, else x1,
  // written x1 ^ (p & (x1 ^ x2)): Yosys maps that onto fewer generic gates
  // than a majority (or than the and-or form of the mux).
  function automatic logic [153:0] csa(input logic [76:0] x0, input logic [76:0] x1,
                                       input logic [76:0] x2);
    logic [76:0] p;
    logic [75:0] k;
    p = x0 ^ x1;
    k = x1[75:0] ^ (p[75:0] & (x1[75:0] ^ x2[75:0]));
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

  always @* begin
    logic a_zero, b_zero, a_inf, b_inf, c_inf, a_nan, b_nan, c_nan;
    logic [23:0] ma, mb, mc;
    logic [7:0] ea, eb, ec;
    logic [10:0] sh;
    logic [98:0] v;
    logic [47:0] s, c, s0, c0, px, pp, kk;
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
    // final carry-propagate add is the one of stage B1. Each row is the
    // carry-save adder csa() describes, 48 bits wide: every sum and carry
    // vector is at most the product so far, below 2^48.
    s0 = 48'd0;
    c0 = 48'd0;
    s = 48'd0;
    c = 48'd0;
    for (int g = 0; g < 2; g++) begin
      s = mb[g * 12] ? 48'(ma) << (g * 12) : 48'd0;
      c = 48'd0;
      for (int i = 1; i < 12; i++) begin
        px = mb[g * 12 + i] ? 48'(ma) << (g * 12 + i) : 48'd0;
        pp = s ^ c;
        kk = c ^ (pp & (c ^ px));
        s = pp ^ px;
        c = kk << 1;
      end
      if (g == 0) begin
        s0 = s;
        c0 = c;
      end
    end
    pp = s0 ^ c0;
    kk = c0 ^ (pp & (c0 ^ s));
    s0 = pp ^ s;
    c0 = kk << 1;
    pp = s0 ^ c0;
    kk = c0 ^ (pp & (c0 ^ c));
    if (DspProduct != 0) begin
      a_d.ps = 48'(ma) * 48'(mb);
      a_d.pc = 48'd0;
    end else begin
      a_d.ps = pp ^ c;
      a_d.pc = kk << 1;
    end

    // Window: the product's lsb at index 3 (its msb at 49 or 50), the addend's
    // lsb at 52 before a right shift by ea + eb - ec - 101, i.e. 49 minus the
    // addend's distance above the product's lsb. A negative shift clamps: the
    // addend stays at 75:52 and the (nonzero) product becomes the sticky bit.
    // Bits shifted below index 1 are ORed into index 0; at 76 or more, all are.
    sh = 11'(ea) + 11'(eb) - 11'(ec) - 11'd101;
    a_d.clamp = sh[10] | a_zero | b_zero;
    v = {mc, 75'd0};
    if (sh[0]) v = {1'd0, v[98:1]};
    if (sh[1]) v = {2'd0, v[98:2]};
    if (sh[2]) v = {4'd0, v[98:4]};
    if (sh[3]) v = {8'd0, v[98:8]};
    if (sh[4]) v = {16'd0, v[98:16]};
    if (sh[5]) v = {32'd0, v[98:32]};
    if (sh[6]) v = {64'd0, v[98:64]};
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

  // The prefix adder's masks (stage B1): which positions combine at each
  // level. Up the tree with distance d: the top bit of every 2d-bit group;
  // down it: bit d - 1 of every 2d-bit group except the first.
  localparam logic [76:0] PfxUp1 = 77'({39{2'b10}});
  localparam logic [76:0] PfxUp2 = 77'({20{4'b1000}});
  localparam logic [76:0] PfxUp4 = 77'({10{8'h80}});
  localparam logic [76:0] PfxUp8 = 77'({5{16'h8000}});
  localparam logic [76:0] PfxUp16 = 77'({3{32'h8000_0000}});
  localparam logic [76:0] PfxUp32 = 77'({2{64'h8000_0000_0000_0000}});
  localparam logic [76:0] PfxDn16 = 77'({3{32'h0000_8000}} << 32);
  localparam logic [76:0] PfxDn8 = 77'({5{16'h0080}} << 16);
  localparam logic [76:0] PfxDn4 = 77'({10{8'h08}} << 8);
  localparam logic [76:0] PfxDn2 = 77'({20{4'b0010}} << 4);
  localparam logic [76:0] PfxDn1 = 77'({39{2'b01}} << 2);

  // ---- stage B1: add, magnitude --------------------------------------------------
  typedef struct packed {
    logic [76:0] m;         // |x + c| or |x - c| in the window
    logic [8:0]  ex;
    logic        sign;      // sign of a nonzero result
    logic        zsign;     // sign of an exact zero: + unless both operands are -0
    logic        special, nan, sinf;
  } b1_t;
  b1_t b1_d, b1_q;

  always @* begin
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
    // position, hence the carries for both carry-ins. One line a level:
    // position j takes in j - d where the level's mask holds j (up the tree
    // d = 1, 2, ..., 32; down it d = 16, ..., 1).
    p = r[153:77] ^ r[76:0];
    gp = r[153:77] & r[76:0];
    pp = p;
    gp = gp | (pp & {gp[75:0], 1'd0} & PfxUp1);   pp = pp & ({pp[75:0], 1'd0} | ~PfxUp1);
    gp = gp | (pp & {gp[74:0], 2'd0} & PfxUp2);   pp = pp & ({pp[74:0], 2'd0} | ~PfxUp2);
    gp = gp | (pp & {gp[72:0], 4'd0} & PfxUp4);   pp = pp & ({pp[72:0], 4'd0} | ~PfxUp4);
    gp = gp | (pp & {gp[68:0], 8'd0} & PfxUp8);   pp = pp & ({pp[68:0], 8'd0} | ~PfxUp8);
    gp = gp | (pp & {gp[60:0], 16'd0} & PfxUp16); pp = pp & ({pp[60:0], 16'd0} | ~PfxUp16);
    gp = gp | (pp & {gp[44:0], 32'd0} & PfxUp32); pp = pp & ({pp[44:0], 32'd0} | ~PfxUp32);
    gp = gp | (pp & {gp[60:0], 16'd0} & PfxDn16); pp = pp & ({pp[60:0], 16'd0} | ~PfxDn16);
    gp = gp | (pp & {gp[68:0], 8'd0} & PfxDn8);   pp = pp & ({pp[68:0], 8'd0} | ~PfxDn8);
    gp = gp | (pp & {gp[72:0], 4'd0} & PfxDn4);   pp = pp & ({pp[72:0], 4'd0} | ~PfxDn4);
    gp = gp | (pp & {gp[74:0], 2'd0} & PfxDn2);   pp = pp & ({pp[74:0], 2'd0} | ~PfxDn2);
    gp = gp | (pp & {gp[75:0], 1'd0} & PfxDn1);   pp = pp & ({pp[75:0], 1'd0} | ~PfxDn1);
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

  always @* begin
    logic [76:0] v, z0, z1, z2, z3, z4, z5;
    logic [8:0] lim;
    logic [6:0] lim7, lz, shift;
    logic [76:0] n;
    // Leading zeros of m: a tree whose node at level l covers 2^l bits of
    // {m, 51 zeros}, kept in place as whole vectors: a node lives at its top
    // bit, where v says it holds a one and zb holds bit b of its count. A
    // node takes its upper half (at its own bit) if that holds a one, else
    // its lower half (2^(l-1) bits below) and sets bit l-1 of the count:
    // zb = v ? zb : zb << 2^(l-1), the mux written as in csa(). The root is
    // bit 76. Below bit 0 the padding reads as zero where the tree's counts
    // would be all ones; the root only takes such a half when m is 0, and
    // then only the zero flag counts.
    v = b1_q.m;
    // level 1: nodes of 2 bits, the lower half 1 below
    z0 = ~v;
    v = v | {v[75:0], 1'd0};
    // level 2: nodes of 4 bits, the lower half 2 below
    z0 = z0 ^ (~v & (z0 ^ {z0[74:0], 2'd0}));
    z1 = ~v;
    v = v | {v[74:0], 2'd0};
    // level 3: nodes of 8 bits, the lower half 4 below
    z0 = z0 ^ (~v & (z0 ^ {z0[72:0], 4'd0}));
    z1 = z1 ^ (~v & (z1 ^ {z1[72:0], 4'd0}));
    z2 = ~v;
    v = v | {v[72:0], 4'd0};
    // level 4: nodes of 16 bits, the lower half 8 below
    z0 = z0 ^ (~v & (z0 ^ {z0[68:0], 8'd0}));
    z1 = z1 ^ (~v & (z1 ^ {z1[68:0], 8'd0}));
    z2 = z2 ^ (~v & (z2 ^ {z2[68:0], 8'd0}));
    z3 = ~v;
    v = v | {v[68:0], 8'd0};
    // level 5: nodes of 32 bits, the lower half 16 below
    z0 = z0 ^ (~v & (z0 ^ {z0[60:0], 16'd0}));
    z1 = z1 ^ (~v & (z1 ^ {z1[60:0], 16'd0}));
    z2 = z2 ^ (~v & (z2 ^ {z2[60:0], 16'd0}));
    z3 = z3 ^ (~v & (z3 ^ {z3[60:0], 16'd0}));
    z4 = ~v;
    v = v | {v[60:0], 16'd0};
    // level 6: nodes of 64 bits, the lower half 32 below
    z0 = z0 ^ (~v & (z0 ^ {z0[44:0], 32'd0}));
    z1 = z1 ^ (~v & (z1 ^ {z1[44:0], 32'd0}));
    z2 = z2 ^ (~v & (z2 ^ {z2[44:0], 32'd0}));
    z3 = z3 ^ (~v & (z3 ^ {z3[44:0], 32'd0}));
    z4 = z4 ^ (~v & (z4 ^ {z4[44:0], 32'd0}));
    z5 = ~v;
    v = v | {v[44:0], 32'd0};
    // level 7, the root: its leading zeros and whether it holds a one at bit 76
    z0 = z0 ^ (~v & (z0 ^ {z0[12:0], 64'd0}));
    z1 = z1 ^ (~v & (z1 ^ {z1[12:0], 64'd0}));
    z2 = z2 ^ (~v & (z2 ^ {z2[12:0], 64'd0}));
    z3 = z3 ^ (~v & (z3 ^ {z3[12:0], 64'd0}));
    z4 = z4 ^ (~v & (z4 ^ {z4[12:0], 64'd0}));
    z5 = z5 ^ (~v & (z5 ^ {z5[12:0], 64'd0}));
    lz = {~v[76], z5[76], z4[76], z3[76], z2[76], z1[76], z0[76]};
    v = v | {v[12:0], 64'd0};
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
    if (shift[0]) n = {n[75:0], 1'd0};
    if (shift[1]) n = {n[74:0], 2'd0};
    if (shift[2]) n = {n[72:0], 4'd0};
    if (shift[3]) n = {n[68:0], 8'd0};
    if (shift[4]) n = {n[60:0], 16'd0};
    if (shift[5]) n = {n[44:0], 32'd0};
    if (shift[6]) n = {n[12:0], 64'd0};
    b2_d.q = n[76:52];
    b2_d.sticky = n[51:0] != 52'd0;
    b2_d.zero = !v[76];
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
  always @* begin
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
