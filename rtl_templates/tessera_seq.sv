// tessera_seq: the die controller. Fetches 128-bit instructions, breaks GEMM
// and VADD into steps and runs each step through fixed phases:
//
//   SETUP (1) -> LOAD (L) -> DRAIN (1) -> FIRE (1) -> WAIT (Stages) -> STORE (S)
//
// LOAD, DRAIN, FIRE/WAIT and STORE are skipped when a step has nothing to do
// there. Every phase length is a closed form of the step (docs/cost-model.md),
// which is what lets the C cost model predict each instruction to the cycle.
// A step loads operand registers from the buffers, fires the FMA array once
// and stores accumulators back; a VEXP (VRECIP, VRSQRT) step fires it once
// per step of tessera_pkg::VexpProgram (...): FIRE, WAIT, FIRE, ... STORE.
// SEND, DRD and DWR hand a command to the network interface (NETCMD, in the
// first cycle its transmitter is free) and stay in
// SEND until its last flit has left, or with the async flag retire at once;
// FENCE (and HALT, if the transmitter is busy) waits in FENCE until it is idle.
// WAIT stays in NETWAIT until the network interface has received what it
// waits for.
// A GEMM runs in tiles of Slots * Rows x Cols outputs, held in the
// accumulators (Slots per unit) over all k: per tile an init step (Y or
// zero), one stream step for the whole k loop and a store step. Dataflow
// (0 = ws, 1 = os) picks the stream (docs/microarchitecture.md):
//   os (SStream): the array fires every cycle, one slot (Rows output rows)
//       per cycle, while the next k's W row segment and the next block of X
//       (Kb words of every tile row) load.
//   ws (SWs): a pass holds Rows k values of W in the array while the tile's
//       rows stream through, one per cycle; partial sums move down the
//       columns and the bottom row's go back to the accumulators; the next
//       pass's W loads meanwhile.
`default_nettype none

module tessera_seq #(
  parameter int Rows = 2,      // PEs
  parameter int Lanes = 2,
  parameter int Vector = 2,
  parameter int Stages = 2,
  parameter int Dataflow = 0,
  parameter int WWords = 4096,
  parameter int WBanks = 4,
  parameter int AWords = 4096,
  parameter int ABanks = 4,
  parameter int ImemWords = 256,
  parameter int Slots = 1,     // os: accumulators per unit, the stream's period
  parameter int Kb = 4,        // os: X block, k values per tile row
  parameter int WsGap = 2,     // ws: cycles between PE rows' weight loads
  parameter int WsPro = 2,     // ws: cycles for a pass's weights to land
  parameter int WsPeriod = 5,  // ws: shortest period between passes
  localparam int Cols = Lanes * Vector,
  localparam int Units = Rows * Cols,
  localparam int WAW = $clog2(WWords),
  localparam int AAW = $clog2(AWords),
  localparam int WCW = $clog2(WBanks + 1),
  localparam int ACW = $clog2(ABanks + 1),
  localparam int PCW = $clog2(ImemWords),
  localparam int SW = (Slots > 1) ? $clog2(Slots) : 1,
  localparam int TileRows = Slots * Rows,
  localparam int TRW = (TileRows > 1) ? $clog2(TileRows) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 start_i,
  output logic                 busy_o,
  output logic                 halted_o,
  output logic                 error_o,
  output logic [15:0]          pc_o,
  // instruction memory (read data one cycle after the request)
  output logic                 imem_req_o,
  output logic [PCW-1:0]       imem_addr_o,
  input  logic [127:0]         imem_rdata_i,
  // activation buffer
  output logic                 abuf_req_o,
  output logic                 abuf_we_o,
  output logic [AAW-1:0]       abuf_addr_o,
  output logic [ACW-1:0]       abuf_count_o,
  output logic [ABanks*32-1:0] abuf_wdata_o,
  input  logic [ABanks*32-1:0] abuf_rdata_i,  // lane j: word addr + j (the X words, the scale)
  input  logic [ABanks*32-1:0] abuf_lanes_i,  // the units' lanes (tessera_buffer's lanes_o)
  // weight buffer (read only for the sequencer)
  output logic                 wbuf_req_o,
  output logic [WAW-1:0]       wbuf_addr_o,
  output logic [WCW-1:0]       wbuf_count_o,
  input  logic [WBanks*32-1:0] wbuf_rdata_i,
  input  logic [WBanks*32-1:0] wbuf_lanes_i,
  // FMA array
  output logic [Units-1:0]     fma_valid_o,
  output logic [Units*32-1:0]  fma_a_o,
  output logic [Units*32-1:0]  fma_b_o,
  output logic [Units*32-1:0]  fma_c_o,
  input  logic [Units-1:0]     fma_valid_i,
  input  logic [Units*32-1:0]  fma_y_i,
  // trace and performance events
  output logic                 trace_valid_o,
  output logic [7:0]           trace_op_o,
  output logic                 ev_imem_read_o,
  output logic                 ev_array_busy_o,
  output logic [15:0]          ev_fma_ops_o,
  output logic [ACW-1:0]       ev_abuf_read_words_o,
  output logic [ACW-1:0]       ev_abuf_write_words_o,
  output logic [WCW-1:0]       ev_wbuf_read_words_o,
  // network interface (tessera_ni)
  output logic                 ni_tx_start_o,
  output logic [1:0]           ni_tx_op_o,       // 0 SEND, 1 DWR, 2 DRD
  output logic [5:0]           ni_tx_row_o,
  output logic [5:0]           ni_tx_col_o,
  output logic                 ni_tx_ring_o,
  output logic                 ni_tx_src_buf_o,
  output logic                 ni_tx_dst_buf_o,
  output logic [23:0]          ni_tx_addr_a_o,
  output logic [23:0]          ni_tx_addr_c_o,
  output logic [31:0]          ni_tx_dram_o,
  output logic [24:0]          ni_tx_len_o,
  input  logic                 ni_tx_bad_i,
  input  logic                 ni_tx_busy_i,
  output logic                 ni_wait_req_o,
  output logic                 ni_wait_msgs_o,
  output logic [1:0]           ni_wait_chan_o,
  output logic [23:0]          ni_wait_count_o,
  input  logic                 ni_wait_ready_i
);
  if (Units < 1 || Units > 4096 || Stages < 1 || Stages > 4) begin : g_bad_param
`ifndef SYNTHESIS
    initial $fatal(1, "tessera_seq: Units must be 1..4096 and Stages 1..4");
`endif
  end


  localparam logic [7:0] OpGemm = tessera_pkg::OpGemm;
  localparam logic [7:0] OpVadd = tessera_pkg::OpVadd;
  localparam logic [7:0] OpVaxpy = tessera_pkg::OpVaxpy;
  localparam logic [7:0] OpVmul = tessera_pkg::OpVmul;
  localparam logic [7:0] OpVexp = tessera_pkg::OpVexp;
  localparam logic [7:0] OpVmax = tessera_pkg::OpVmax;
  localparam logic [7:0] OpVrecip = tessera_pkg::OpVrecip;
  localparam logic [7:0] OpVrsqrt = tessera_pkg::OpVrsqrt;
  localparam logic [7:0] OpVgelu = tessera_pkg::OpVgelu;
  localparam logic [7:0] OpVgelud = tessera_pkg::OpVgelud;
  localparam logic [7:0] OpVtrans = tessera_pkg::OpVtrans;
  localparam logic [7:0] OpSend = tessera_pkg::OpSend;
  localparam logic [7:0] OpWait = tessera_pkg::OpWait;
  localparam logic [7:0] OpFence = tessera_pkg::OpFence;
  localparam logic [7:0] OpDrd = tessera_pkg::OpDrd;
  localparam logic [7:0] OpDwr = tessera_pkg::OpDwr;
  localparam logic [7:0] OpHalt = tessera_pkg::OpHalt;
  localparam int OsGemm = (Dataflow == 1) ? 1 : 0;
  // X block registers: two banks of TileRows x Kb words, XR for each PE row
  localparam int XR = (OsGemm == 1) ? 2 * Slots * Kb : 2;
  localparam int XE = Rows * XR;
  localparam int XRW = $clog2(XR);

  // Where returning read data goes. Lane 0 of a return is register index base.
  localparam logic [1:0] DstDirect = 2'd0;  // operand register a of unit base + lane
  localparam logic [1:0] DstScale = 2'd1;   // VAXPY's s (lane 0), into scale_q
  localparam logic [1:0] DstAcc = 2'd3;     // accumulator base + lane

  // Tile phases.
  localparam logic [1:0] PhInit = 2'd0;  // accumulators from Y or zero
  localparam logic [1:0] PhK = 2'd1;     // the k loop: one stream step
  localparam logic [1:0] PhStore = 2'd2; // accumulators back to Y

  typedef enum logic [3:0] {
    SIdle, SFetch, SDecode, SSetup, SLoad, SDrain, SFire, SWait, SStore, SRetire,
    SNetCmd, SSend, SNetWait, SFence, SStream, SWs
  } state_e;
  state_e state_q, state_d;

  // ---- the instruction being executed ------------------------------------
  logic [7:0]     op_q;
  logic [7:0]     dec_op;  // the opcode of the instruction word in DECODE
  assign dec_op = imem_rdata_i[tessera_pkg::InsnOp +: tessera_pkg::InsnOpW];
  logic           acc_flag_q;
  logic [31:0]    m_q, k_q, n_q;     // GEMM dims; VADD length in n_q
  logic [31:0]    wa_q;              // GEMM w address (restart point)
  logic [PCW-1:0] pc_q;
  logic [3:0]     net_flags_q;       // SEND: ring, dst buffer, src buffer, async; WAIT: msgs, chan
  logic [5:0]     net_row_q, net_col_q;
  logic [23:0]    net_len_q, net_src_q, net_dst_q;  // SEND length - 1; WAIT count
  logic [7:0]     net_hi_q;                         // DRD, DWR: DRAM address bits 31:24
  logic [31:0]    scale_addr_q, scale_q;            // VAXPY: s's address, and s
  logic           halted_q, error_q;

  // ---- loop state ----------------------------------------------------------
  // GEMM: tile (m0, n0); ph walks init, k loop, store.  VADD: n0 = element offset.
  // VAXPY: ph PhInit loads s, then VADD's steps.
  logic [1:0]  ph_q, ph_d;
  logic [31:0] m0_q, m0_d, n0_q, n0_d;
  logic [31:0] run_x_q, run_x_d, run_w_q, run_w_d, run_y_q, run_y_d;
  logic [31:0] tile_x_q, tile_x_d, tile_w_q, tile_w_d, tile_y_q, tile_y_d, row_y_q, row_y_d;
  logic        last_q, last_d;

  // ---- the step: two act load segments, one weight segment, fire, store ----
  logic        s0_valid_q, s0_valid_d, s1_valid_q, s1_valid_d;
  logic        fire_q, fire_d, store_q, store_d, zero_d, b_imm_q, b_imm_d, b_acc_q, b_acc_d, stream_d, wstream_d;
  logic [31:0] s0_addr_q, s0_addr_d, s1_addr_q, s1_addr_d;
  logic [31:0] st_addr_q, st_addr_d;
  logic [31:0] s0_count_q, s0_count_d, s1_count_q, s1_count_d;
  logic [31:0] st_count_q, st_count_d;
  logic [15:0] s0_rows_q, s0_rows_d, st_rows_q, st_rows_d;  // rows of segment 0 / the store
  logic [1:0]  s0_dst_q, s0_dst_d, s1_dst_q, s1_dst_d;
  logic [15:0] s0_base_q, s0_base_d;
  logic [15:0] mask_rows_q, mask_rows_d, mask_cols_q, mask_cols_d;
  logic [15:0] n_active_q;  // units the step fires: the mask's size
  logic [2:0]  wait_q;
  // VEXP, VRECIP, VRSQRT, VGELU, VGELUD: the step of the microprogram being
  // fired (or awaited)
  localparam int UW = $clog2(tessera_pkg::VgeludSteps);  // the longest program's
  logic [UW-1:0] mu_q;
  logic          uop, uop_more;
  logic [2:0]    uop_fn;  // 0 exp, 1 reciprocal, 2 reciprocal square root, 3 gelu, 4 gelu'
  logic [31:0]   uop_steps;
  logic [tessera_pkg::UopBits-1:0] uop_step;
  assign uop       = op_q == OpVexp || op_q == OpVrecip || op_q == OpVrsqrt || op_q == OpVgelu
                     || op_q == OpVgelud;
  assign uop_fn    = (op_q == OpVrecip) ? 3'd1 : (op_q == OpVrsqrt) ? 3'd2
                   : (op_q == OpVgelu) ? 3'd3 : (op_q == OpVgelud) ? 3'd4 : 3'd0;
  assign uop_steps = (uop_fn == 3'd1) ? tessera_pkg::VrecipSteps
                   : (uop_fn == 3'd2) ? tessera_pkg::VrsqrtSteps
                   : (uop_fn == 3'd3) ? tessera_pkg::VgeluSteps
                   : (uop_fn == 3'd4) ? tessera_pkg::VgeludSteps : tessera_pkg::VexpSteps;
  assign uop_more  = uop && 32'(mu_q) != uop_steps - 1;
  assign uop_step  = (uop_fn == 3'd1)
      ? tessera_pkg::VrecipProgram[32'(mu_q) * tessera_pkg::UopBits +: tessera_pkg::UopBits]
      : (uop_fn == 3'd2)
      ? tessera_pkg::VrsqrtProgram[32'(mu_q) * tessera_pkg::UopBits +: tessera_pkg::UopBits]
      : (uop_fn == 3'd3)
      ? tessera_pkg::VgeluProgram[32'(mu_q) * tessera_pkg::UopBits +: tessera_pkg::UopBits]
      : (uop_fn == 3'd4)
      ? tessera_pkg::VgeludProgram[32'(mu_q) * tessera_pkg::UopBits +: tessera_pkg::UopBits]
      : tessera_pkg::VexpProgram[32'(mu_q) * tessera_pkg::UopBits +: tessera_pkg::UopBits];

  // VTRANS walks a GEMM's tiles: init (A's rows into the accumulators), store.
  logic vtrans;
  assign vtrans = op_q == OpVtrans;

  // Tile sizes at the current loop position.
  logic [31:0] rows_left, cols_left;
  logic [15:0] tm, tn_2d, tn_1d;
  assign rows_left = m_q - m0_q;
  assign cols_left = n_q - n0_q;
  assign tm    = (rows_left < 32'(TileRows)) ? rows_left[15:0] : 16'(TileRows);
  assign tn_2d = (cols_left < 32'(Cols)) ? cols_left[15:0] : 16'(Cols);

  // The GEMM's tile after this one (walked along n, then down m, as PhStore
  // steps to it): whether there is one, its W and X addresses, its columns
  // and rows. The streams load its first operands early.
  logic        nt_along_n, nt_exists;
  logic [31:0] nt_m0, nt_n0, nt_w, nt_x, nt_rows;
  logic [15:0] nt_cols;
  assign nt_along_n = n0_q + 32'(Cols) < n_q;
  assign nt_exists  = nt_along_n || m0_q + 32'(TileRows) < m_q;
  assign nt_m0      = nt_along_n ? m0_q : m0_q + 32'(TileRows);
  assign nt_n0      = nt_along_n ? n0_q + 32'(Cols) : '0;
  assign nt_w       = nt_along_n ? tile_w_q + 32'(Cols) : wa_q;
  assign nt_x       = nt_along_n ? tile_x_q : tile_x_q + k_q * 32'(TileRows);
  assign nt_cols    = (n_q - nt_n0 < 32'(Cols)) ? 16'(n_q - nt_n0) : 16'(Cols);
  assign nt_rows    = (m_q - nt_m0 < 32'(TileRows)) ? m_q - nt_m0 : 32'(TileRows);
  assign tn_1d = (cols_left < 32'(Units)) ? cols_left[15:0] : 16'(Units);

  // ---- step generator ------------------------------------------------------
  // It writes after_setup, the state that follows SETUP, once and last, from
  // its final flags: the next-state logic reads after_setup and not the flags,
  // which take their defaults first (docs/simulators.md, "Icarus 11.0 and
  // always_comb").
  state_e after_setup;
  always_comb begin
    s0_valid_d = 1'b0; s1_valid_d = 1'b0;
    fire_d = 1'b0; store_d = 1'b0; zero_d = 1'b0; b_imm_d = 1'b0; b_acc_d = 1'b0;
    stream_d = 1'b0; wstream_d = 1'b0;
    s0_addr_d = '0; s1_addr_d = '0; st_addr_d = '0;
    s0_count_d = '0; s1_count_d = '0; st_count_d = '0;
    s0_rows_d = 16'd1; st_rows_d = 16'd1;
    s0_dst_d = DstDirect; s1_dst_d = DstAcc;
    s0_base_d = '0;
    mask_rows_d = '0; mask_cols_d = '0;
    ph_d = ph_q; m0_d = m0_q; n0_d = n0_q;
    run_x_d = run_x_q; run_w_d = run_w_q; run_y_d = run_y_q;
    tile_x_d = tile_x_q; tile_w_d = tile_w_q; tile_y_d = tile_y_q; row_y_d = row_y_q;
    last_d = 1'b0;

    if (op_q == OpVaxpy && ph_q == PhInit) begin
      // VAXPY's first step: s, one word, into scale_q.
      s0_valid_d = 1'b1; s0_addr_d = scale_addr_q; s0_count_d = 32'd1; s0_dst_d = DstScale;
      ph_d = PhK;
    end else if (op_q == OpVadd || op_q == OpVaxpy || op_q == OpVmul || op_q == OpVmax
                 || uop) begin
      // C[n0 + j] = A[n0 + j] * b + B[n0 + j], Units elements per step; b is
      // 1.0 (VADD) or s (VAXPY, whose C is B). VMUL: A[n0 + j] * B[n0 + j] + (-0).
      // The microprograms: A alone, then the program's fires (uop_more). VMAX: the
      // units compare A with B in FIRE, no WAIT.
      s0_valid_d = 1'b1; s0_addr_d = run_x_d; s0_count_d = 32'(tn_1d); s0_dst_d = DstDirect;
      s1_valid_d = !uop; s1_addr_d = run_y_d; s1_count_d = 32'(tn_1d); s1_dst_d = DstAcc;
      fire_d = 1'b1; b_imm_d = op_q == OpVadd || op_q == OpVaxpy; b_acc_d = op_q == OpVmul;
      mask_cols_d = tn_1d;
      store_d = 1'b1; st_addr_d = run_w_d; st_count_d = 32'(tn_1d);
      n0_d = n0_q + 32'(Units);
      run_x_d = run_x_q + 32'(Units); run_y_d = run_y_q + 32'(Units); run_w_d = run_w_q + 32'(Units);
      last_d = n0_q + 32'(Units) >= n_q;
    end else begin  // GEMM
      unique case (ph_q)
        PhInit: begin
          // Every tile row's Y segment in one step (tn words per row, rows N
          // apart in Y and Cols apart in the accumulators' flat index).
          // VTRANS: A's tile rows, then straight to the store.
          if (acc_flag_q) begin
            s0_valid_d = 1'b1; s0_addr_d = run_y_q; s0_count_d = 32'(tn_2d);
            s0_dst_d = DstAcc; s0_base_d = '0; s0_rows_d = tm;
          end else begin
            zero_d = 1'b1;
          end
          ph_d = vtrans ? PhStore : PhK;
        end
        PhK: begin  // the whole k loop: one stream step
          stream_d = OsGemm == 1; wstream_d = OsGemm == 0;
          mask_rows_d = tm; mask_cols_d = tn_2d;
          ph_d = PhStore; run_y_d = tile_y_q;
        end
        default: begin  // PhStore
          // VTRANS stores the tile's tn columns as rows of C (tm words, M apart),
          // from run_w: C + n0 M + m0.
          store_d = 1'b1; st_addr_d = vtrans ? run_w_q : run_y_q;
          st_count_d = vtrans ? 32'(tm) : 32'(tn_2d);
          st_rows_d = vtrans ? tn_2d : tm;
          begin
            // Next tile: along n, then down m.
            ph_d = PhInit;
            if (n0_q + 32'(Cols) < n_q) begin
              n0_d = n0_q + 32'(Cols);
              tile_y_d = tile_y_q + 32'(Cols);
              tile_w_d = tile_w_q + (vtrans ? m_q * 32'(Cols) : 32'(Cols));
            end else begin
              last_d = m0_q + 32'(TileRows) >= m_q;
              n0_d = '0; m0_d = m0_q + 32'(TileRows);
              tile_x_d = tile_x_q + k_q * 32'(TileRows);
              row_y_d = row_y_q + n_q * 32'(TileRows);
              tile_y_d = row_y_d; tile_w_d = vtrans ? wa_q + m0_d : wa_q;
            end
            run_x_d = tile_x_d; run_w_d = tile_w_d; run_y_d = tile_y_d;
          end
        end
      endcase
    end

    if (stream_d) after_setup = SStream;
    else if (wstream_d) after_setup = SWs;
    else if (s0_valid_d) after_setup = SLoad;
    else if (fire_d) after_setup = SFire;
    else if (store_d) after_setup = SStore;
    else if (last_d) after_setup = SRetire;
    else after_setup = SSetup;
  end

  // ---- load, drain, store issue --------------------------------------------
  logic        a_seg_q;                      // act segment issuing: 0 or 1
  logic [15:0] a_row_q, st_row_q;             // row of segment 0 / of the store
  logic [31:0] a_roff_q, st_roff_q;           // its address offset: row x N
  logic [15:0] a_boff_q;                      // its accumulator offset: row x Cols
  logic        a_more_rows, st_more_rows;
  logic [31:0] a_done_q, st_done_q;           // words issued so far
  logic [31:0] a_count, a_left, st_left;
  logic [AAW-1:0] a_addr;
  logic [ACW-1:0] a_n, st_n;
  logic        a_busy, a_last;
  logic [1:0]  a_dst;
  logic [15:0] a_base;
  assign a_count   = a_seg_q ? s1_count_q : s0_count_q;
  assign a_more_rows  = !a_seg_q && a_row_q + 16'd1 < s0_rows_q;
  assign st_more_rows = st_row_q + 16'd1 < st_rows_q;
  assign a_dst     = a_seg_q ? s1_dst_q : s0_dst_q;
  assign a_base    = a_seg_q ? 16'd0 : s0_base_q + a_boff_q;
  assign a_addr    = AAW'((a_seg_q ? s1_addr_q : s0_addr_q + a_roff_q) + a_done_q);
  assign a_left    = a_count - a_done_q;
  assign st_left   = st_count_q - st_done_q;
  assign a_n  = (a_left < 32'(ABanks)) ? ACW'(a_left) : ACW'(ABanks);
  assign st_n = (st_left < 32'(ABanks)) ? ACW'(st_left) : ACW'(ABanks);
  assign a_busy = (a_seg_q ? s1_valid_q : s0_valid_q) && a_left != 0;
  // This cycle's issue is the channel's last.
  assign a_last = !a_busy || (32'(a_n) == a_left && !a_more_rows && (a_seg_q || !s1_valid_q));

  // ---- the os stream ------------------------------------------------------------
  // Periods of at least Slots cycles. In cycle c < Slots of a period the array
  // fires slot c (tile rows c*Rows ..) at k = sk_q, x from the X block
  // registers (bank xsel_q, column sj_q), w from b[bsel_q], c from accumulator
  // c. Meanwhile the weight port loads the next k's W row segment into the
  // other b, and from a block's first cycle the activation port loads the next
  // block's X (one tile row of up to Kb words per cycle) into the other X
  // bank. A period ends once its W has been issued (Slots - 1 cycles suffice by
  // construction) and, at a block's end, its X; the banks swap there. The
  // prologue (pro_q) fires nothing and loads X block 0 and W for k = 0. When
  // the GEMM has a next tile, its X block 0 loads during this tile's last
  // block and its W for k = 0 during the last period (a preload, os_pre_q):
  // the banks swap to them at the stream's end, and the next prologue is one
  // cycle.
  logic        pro_q, xsel_q, bsel_q;
  logic [31:0] sk_q, sj_q, sc_q, blk_kb_q;
  logic [31:0] x_k0_q, x_kb_q, x_iss_q, x_tgt_q, x_addr_q;
  logic [31:0] w_iss_q, w_tgt_q, w_addr_q;
  logic        st_fire, st_x_go, st_w_go, st_blk_end, st_end, st_done, stream;
  logic [31:0] st_w_left, fslot, nk0;
  logic [WCW-1:0] st_w_n;
  logic [15:0] slot_rows;
  logic        os_pre_q, os_x_pre, os_w_pre;  // preloaded; arm X block 0, W of k = 0
  logic [31:0] kb0;                           // k values of a tile's X block 0
  assign kb0 = (k_q < 32'(Kb)) ? k_q : 32'(Kb);
  assign stream     = state_q == SStream;
  assign fslot      = (sc_q < 32'(Slots)) ? sc_q : '0;
  assign st_fire    = stream && !pro_q && sc_q < 32'(Slots) && sc_q * 32'(Rows) < 32'(mask_rows_q);
  assign slot_rows  = (32'(mask_rows_q) - fslot * 32'(Rows) < 32'(Rows))
                      ? 16'(32'(mask_rows_q) - fslot * 32'(Rows)) : 16'(Rows);
  assign st_x_go    = stream && x_iss_q < x_tgt_q;
  assign st_w_go    = stream && w_iss_q < w_tgt_q;
  assign st_w_left  = w_tgt_q - w_iss_q;
  assign st_w_n     = (st_w_left < 32'(WBanks)) ? WCW'(st_w_left) : WCW'(WBanks);
  assign st_blk_end = pro_q || sj_q == blk_kb_q - 1;
  assign st_end     = stream && (pro_q || sc_q + 1 >= 32'(Slots)) && w_iss_q == w_tgt_q
                      && (!st_blk_end || x_iss_q == x_tgt_q);
  assign st_done    = st_end && !pro_q && sk_q == k_q - 1;
  assign nk0        = x_k0_q + x_kb_q;  // the block after the one being loaded
  // At a period's end: the next block, or the next period, is the tile's last.
  assign os_x_pre   = st_end && st_blk_end && !st_done && nt_exists && nk0 >= k_q;
  assign os_w_pre   = st_end && !st_done && nt_exists && (pro_q ? 32'd1 : sk_q + 2) >= k_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) os_pre_q <= 1'b0;
    else if (state_q == SSetup && stream_d) os_pre_q <= 1'b0;
    else if (os_x_pre) os_pre_q <= 1'b1;
  end

  always_ff @(posedge clk_i) begin
    if (state_q == SSetup && stream_d) begin
      pro_q <= 1'b1;
      sk_q <= '0; sj_q <= '0; sc_q <= '0; blk_kb_q <= '0;
      x_k0_q <= '0; x_kb_q <= kb0;
      x_iss_q <= '0; x_addr_q <= run_x_q;
      w_iss_q <= '0; w_addr_q <= run_w_q;
      if (os_pre_q) begin  // X block 0 and W for k = 0 are in, the banks on them
        x_tgt_q <= '0; w_tgt_q <= '0;
      end else begin
        xsel_q <= 1'b0; bsel_q <= 1'b0; x_tgt_q <= 32'(tm); w_tgt_q <= 32'(tn_2d);
      end
    end
    if (stream) begin
      if (st_x_go) begin
        x_iss_q <= x_iss_q + 1; x_addr_q <= x_addr_q + k_q;
      end
      if (st_w_go) w_iss_q <= w_iss_q + 32'(st_w_n);
      if (st_end) begin
        sc_q <= '0; pro_q <= 1'b0;
        if (w_tgt_q != 0) bsel_q <= !bsel_q;
        sk_q <= pro_q ? '0 : sk_q + 1;
        w_iss_q <= '0;
        // the W of k = (this period's k + 1) + 1 loads in the next period, or,
        // in the tile's last period, the next tile's W for k = 0
        if (os_w_pre) begin
          w_addr_q <= nt_w; w_tgt_q <= 32'(nt_cols);
        end else begin
          w_addr_q <= w_addr_q + n_q;
          w_tgt_q <= ((pro_q ? 32'd1 : sk_q + 2) < k_q) ? 32'(mask_cols_q) : '0;
        end
        if (st_blk_end) begin
          if (x_tgt_q != 0) xsel_q <= !xsel_q;
          blk_kb_q <= x_kb_q; sj_q <= '0; x_iss_q <= '0;
          if (os_x_pre) begin  // during the tile's last block: the next tile's block 0
            x_k0_q <= '0; x_kb_q <= kb0; x_addr_q <= nt_x; x_tgt_q <= nt_rows;
          end else begin
            x_k0_q <= nk0; x_addr_q <= run_x_q + nk0;
            x_kb_q <= (k_q - nk0 < 32'(Kb)) ? k_q - nk0 : 32'(Kb);
            x_tgt_q <= (nk0 < k_q) ? 32'(mask_rows_q) : '0;
          end
        end else begin
          sj_q <= sj_q + 1;
        end
      end else begin
        sc_q <= sc_q + 1;
      end
    end
  end

  // ---- the ws stream ------------------------------------------------------------
  // A pass holds kb <= Rows k values of W in the array: PE row r holds
  // w[k0 + r][n0 + c] in b[pass parity]. The tile's rows stream through, one
  // per cycle: in cycle m of the pass a control word issues the X row segment
  // x[m0 + m][k0 .. k0 + kb) and enters a delay line; PE row r fires it
  // 1 + r * Stages cycles later with a = the segment's word r (skewed by r *
  // Stages), b = its weight and c = the partial sum row r - 1 produces in
  // that very cycle (row 0: accumulator m), so each column's chain runs in
  // increasing k. Row kb - 1's result goes back to accumulator m. A pass
  // lasts max(tm, WsPeriod) cycles (the pass before a last, partial one long
  // enough that the last pass's write-backs come after its own); the last
  // pass ends once its last write-back has landed. From the start of each
  // pass (the prologue, WsPro cycles, for pass 0) the weights of the next
  // pass load into the other b, PE row r from cycle r * WsGap. From the start
  // of a tile's last pass the loader loads the next tile's pass 0 (a preload):
  // it goes on through the store and the init, and the next tile's prologue
  // lasts only what is left of WsPro loader cycles (at least one).
  localparam int WsDepth = 1 + Rows * Stages;        // delay-line stages
  localparam int KBW = $clog2(Rows + 1);             // kb width
  logic        wstream, ws_done, wc_fire, wl_go;
  logic        wpro_q, wpar_q, wlast_q;              // prologue; pass parity; last pass
  logic [31:0] wj_q, wlen_q, wk0_q, wx_addr_q;       // cycle in the period, its length, k0, X address
  logic [KBW-1:0] wkb_q;
  logic [15:0] wslot_q, wrow_q;                      // m = wslot_q * Rows + wrow_q
  logic [31:0] wk0n, wk0nn, wtb, wlen_n;             // at a period's end: the next pass
  logic [KBW-1:0] wkbn, wkbnn;
  logic        wlastn, wlastnn;
  logic        wl_bank_q, wl_on, wl_pre_q, wl_pre_go;   // the weight loader; preloading
  logic [31:0] wl_row_q, wl_in_q, wl_iss_q, wl_addr_q, wl_left;
  logic [31:0] wl_age_q;                             // loader cycles since it was armed
  logic [15:0] wl_cols_q;                            // columns it loads
  logic [31:0] wl_base_q, wl_base_n;                 // W address of the loading pass's first k
  logic [KBW-1:0] wl_kb_q, wkb0;                    // the loading pass's k values; pass 0's
  logic [WCW-1:0] wl_n;
  logic [Rows-1:0] wfire_row, wbsel_row;             // per PE row: fires, its b bank
  logic [31:0] wx_row [0:Rows-1];                    // per PE row: its x
  logic        wland;                                // a write-back lands this cycle
  logic [SW-1:0] wland_slot;                         // its accumulator and source row
  logic [15:0] wland_row, wland_src;
  logic [15:0] wrd_slot, wrd_row;                    // row 0's accumulator read
  logic [15:0] wfire_count;                          // PE rows firing

  assign wstream = state_q == SWs;
  assign ws_done = wstream && wlast_q && wj_q == wlen_q - 1;
  assign wc_fire = wstream && !wpro_q && wj_q < 32'(mask_rows_q);
  assign wtb     = (32'(mask_rows_q) > 32'(WsPeriod)) ? 32'(mask_rows_q) : 32'(WsPeriod);
  // The pass after this period, and the one after it.
  assign wk0n    = wpro_q ? '0 : wk0_q + 32'(wkb_q);
  assign wkbn    = (k_q - wk0n < 32'(Rows)) ? KBW'(k_q - wk0n) : KBW'(Rows);
  assign wlastn  = wk0n + 32'(wkbn) >= k_q;
  assign wk0nn   = wk0n + 32'(wkbn);
  assign wkbnn   = (k_q - wk0nn < 32'(Rows)) ? KBW'(k_q - wk0nn) : KBW'(Rows);
  assign wlastnn = wk0nn + 32'(wkbnn) >= k_q;
  always_comb begin
    if (wlastn) wlen_n = 32'(mask_rows_q) + 32'(wkbn) * 32'(Stages) + 1;
    else if (wlastnn && 32'(wkbnn) < 32'(Rows)
             && 32'(mask_rows_q) + (32'(Rows) - 32'(wkbnn)) * 32'(Stages) > wtb)
      wlen_n = 32'(mask_rows_q) + (32'(Rows) - 32'(wkbnn)) * 32'(Stages);
    else wlen_n = wtb;
  end
  assign wl_base_n = wl_base_q + 32'(wl_kb_q) * n_q;  // the pass after it
  assign wkb0      = (k_q < 32'(Rows)) ? KBW'(k_q) : KBW'(Rows);
  assign wl_on   = wstream || wl_pre_q;
  assign wl_left = 32'(wl_cols_q) - wl_iss_q;
  assign wl_n    = (wl_left < 32'(WBanks)) ? WCW'(wl_left) : WCW'(WBanks);
  assign wl_go   = wl_on && wl_row_q < 32'(wl_kb_q) && wl_iss_q < 32'(wl_cols_q);
  // The last pass starts: the loader takes the next tile's pass 0.
  assign wl_pre_go  = wstream && wj_q == wlen_q - 1 && !wlast_q && wlastn && nt_exists;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) wl_pre_q <= 1'b0;
    else if (state_q == SSetup && wstream_d) wl_pre_q <= 1'b0;
    else if (wl_pre_go) wl_pre_q <= 1'b1;
  end

  always_ff @(posedge clk_i) begin
    if (wl_on) begin
      if (wl_go) wl_iss_q <= wl_iss_q + 32'(wl_n);
      if (wl_in_q == 32'(WsGap) - 1) begin
        wl_in_q <= '0; wl_row_q <= wl_row_q + 1; wl_iss_q <= '0; wl_addr_q <= wl_addr_q + n_q;
      end else begin
        wl_in_q <= wl_in_q + 1;
      end
      if (wl_age_q != 32'(WsPro)) wl_age_q <= wl_age_q + 1;
    end
    if (state_q == SSetup && wstream_d) begin
      wpro_q <= 1'b1; wlast_q <= 1'b0; wj_q <= '0;
      wk0_q <= '0; wkb_q <= '0; wslot_q <= '0; wrow_q <= '0;
      if (wl_pre_q) begin
        // pass 0's weights are loading (or in) since the last tile's last pass:
        // the prologue waits for the rest of WsPro loader cycles
        wpar_q <= !wl_bank_q;
        wlen_q <= (wl_age_q + 2 > 32'(WsPro)) ? 32'd1 : 32'(WsPro) - 1 - wl_age_q;
      end else begin
        wpar_q <= 1'b1; wlen_q <= 32'(WsPro);
        // pass 0's weights
        wl_bank_q <= 1'b0; wl_row_q <= '0; wl_in_q <= '0; wl_iss_q <= '0; wl_age_q <= '0;
        wl_base_q <= run_w_q; wl_addr_q <= run_w_q; wl_cols_q <= mask_cols_d;
        wl_kb_q <= wkb0;
      end
    end
    if (wstream) begin
      if (wc_fire) begin
        wx_addr_q <= wx_addr_q + k_q;
        if (wrow_q == 16'(Rows - 1)) begin
          wrow_q <= '0; wslot_q <= wslot_q + 16'd1;
        end else begin
          wrow_q <= wrow_q + 16'd1;
        end
      end
      if (wj_q == wlen_q - 1) begin  // the next pass starts
        wpro_q <= 1'b0; wpar_q <= !wpar_q; wlast_q <= wlastn; wj_q <= '0; wlen_q <= wlen_n;
        wk0_q <= wk0n; wkb_q <= wkbn; wslot_q <= '0; wrow_q <= '0;
        wx_addr_q <= run_x_q + wk0n;
        // the weights of the pass after it, or of the next tile's pass 0; after
        // the last pass the loader goes on with that preload, if any
        if (!wlast_q) begin
          wl_bank_q <= wpar_q; wl_row_q <= '0; wl_in_q <= '0; wl_iss_q <= '0; wl_age_q <= '0;
          if (wl_pre_go) begin
            wl_base_q <= nt_w; wl_addr_q <= nt_w; wl_cols_q <= nt_cols;
            wl_kb_q <= wkb0;
          end else begin
            wl_base_q <= wl_base_n; wl_addr_q <= wl_base_n; wl_cols_q <= mask_cols_q;
            wl_kb_q <= wlastn ? '0 : wkbnn;
          end
        end
      end else begin
        wj_q <= wj_q + 1;
      end
    end
  end

  if (OsGemm == 0) begin : g_ws
    // The delay line of control words: stage d is the word issued d cycles ago.
    localparam int XS = (Rows * (Rows - 1) / 2) * Stages;  // skew registers, all rows
    logic           dl_fire [1:WsDepth];
    logic           dl_bsel [1:WsDepth];
    logic [KBW-1:0] dl_kb   [1:WsDepth];
    logic [15:0]    dl_slot [1:WsDepth];
    logic [15:0]    dl_row  [1:WsDepth];
    logic [31:0]    xskew   [0:(XS > 0 ? XS : 1) - 1];
    for (genvar d = 1; d <= WsDepth; d++) begin : g_dl
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) dl_fire[d] <= 1'b0;
        else dl_fire[d] <= (d == 1) ? wc_fire : dl_fire[d == 1 ? 1 : d-1];
      end
      always_ff @(posedge clk_i) begin
        if (d == 1) begin
          dl_bsel[d] <= wpar_q; dl_kb[d] <= wkb_q; dl_slot[d] <= wslot_q; dl_row[d] <= wrow_q;
        end else begin
          dl_bsel[d] <= dl_bsel[d-1]; dl_kb[d] <= dl_kb[d-1];
          dl_slot[d] <= dl_slot[d-1]; dl_row[d] <= dl_row[d-1];
        end
      end
    end
    if (XS == 0) begin : g_no_skew  // one PE row: no skew, the array is a placeholder
      logic unused_xskew;
      assign xskew[0] = '0;
      assign unused_xskew = ^xskew[0];
    end
    for (genvar r = 0; r < Rows; r++) begin : g_row
      localparam int D = 1 + r * Stages;
      localparam int Off = (r * (r - 1) / 2) * Stages;  // row r's chain: r * Stages entries
      assign wfire_row[r] = dl_fire[D] && 32'(dl_kb[D]) > r;
      assign wbsel_row[r] = dl_bsel[D];
      if (r == 0) begin : g_x0
        assign wx_row[r] = abuf_rdata_i[31:0];
      end else begin : g_xskew
        // word r of the X segment, r * Stages cycles late
        for (genvar i = 0; i < r * Stages; i++) begin : g_x
          always_ff @(posedge clk_i)
            xskew[Off + i] <= (i == 0) ? abuf_rdata_i[r*32 +: 32] : xskew[Off + (i == 0 ? 0 : i - 1)];
        end
        assign wx_row[r] = xskew[Off + r * Stages - 1];
      end
    end
    // Write-backs: the word at stage 1 + kb * Stages has left row kb - 1.
    always_comb begin
      wland = 1'b0; wland_slot = '0; wland_row = '0; wland_src = '0;
      for (int r = 1; r <= Rows; r++) begin
        if (dl_fire[1 + r*Stages] && 32'(dl_kb[1 + r*Stages]) == r) begin
          wland = 1'b1; wland_slot = SW'(dl_slot[1 + r*Stages]); wland_row = dl_row[1 + r*Stages];
          wland_src = 16'(r - 1);
        end
      end
      wfire_count = '0;
      for (int r = 0; r < Rows; r++) wfire_count = wfire_count + 16'(wfire_row[r]);
    end
    assign wrd_slot = dl_slot[1];
    assign wrd_row  = dl_row[1];
  end else begin : g_no_ws
    assign wfire_row = '0; assign wbsel_row = '0;
    for (genvar r = 0; r < Rows; r++) begin : g_row
      assign wx_row[r] = '0;
    end
    assign wland = 1'b0; assign wland_slot = '0; assign wland_row = '0; assign wland_src = '0;
    assign wrd_slot = '0; assign wrd_row = '0; assign wfire_count = '0;
  end

  // X block registers, grouped by the PE row that reads them: tile row i =
  // slot * Rows + r of bank b is at r * XR + (b * Slots + slot) * Kb + j, so
  // that each row's read selects among its own XR words.
  logic [31:0] xreg [0:XE-1];
  logic        x_ret_q, x_ret_bank_q;
  logic [31:0] x_ret_row_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) x_ret_q <= 1'b0;
    else x_ret_q <= st_x_go;
  end
  always_ff @(posedge clk_i) begin
    x_ret_bank_q <= !xsel_q;
    x_ret_row_q  <= x_iss_q;
  end
  for (genvar e = 0; e < XE; e++) begin : g_xreg
    localparam int Bank = (e % XR) / Kb / Slots;
    localparam int Row = ((e % XR) / Kb % Slots) * Rows + e / XR;  // its tile row
    always_ff @(posedge clk_i) begin
      if (x_ret_q && 32'(x_ret_bank_q) == Bank && x_ret_row_q == Row)
        xreg[e] <= abuf_rdata_i[(e % Kb)*32 +: 32];
    end
  end
  // Each row's x for this cycle's fire: broadcast along the row.
  logic [31:0] x_row [0:Rows-1];
  for (genvar r = 0; r < Rows; r++) begin : g_xrow
    logic [XRW-1:0] xi;
    assign xi = XRW'((32'(xsel_q) * 32'(Slots) + fslot) * 32'(Kb) + sj_q);
    assign x_row[r] = xreg[r * XR + 32'(xi)];
  end

  // The slot of the results landing now: the slot fired Stages cycles ago.
  logic [SW-1:0] rs_q [0:Stages-1];
  always_ff @(posedge clk_i) begin
    rs_q[0] <= st_fire ? SW'(fslot) : '0;
    for (int i = 1; i < Stages; i++) rs_q[i] <= rs_q[i-1];
  end

  // Descriptors of the read data arriving in this cycle.
  logic        a_ret_valid_q, w_ret_valid_q;
  logic [1:0]  a_ret_dst_q;
  logic        a_ret_rows_q;  // a tile-row load (GEMM, VTRANS): accumulator words by column
  logic        w_ret_bank_q, w_ret_prow_en_q;
  logic [15:0] w_ret_prow_q;
  logic [15:0] a_ret_base_q, w_ret_base_q, a_ret_n_q, w_ret_n_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a_ret_valid_q <= 1'b0;
      w_ret_valid_q <= 1'b0;
    end else begin
      a_ret_valid_q <= state_q == SLoad && a_busy;
      w_ret_valid_q <= st_w_go || wl_go;
    end
  end

  always_ff @(posedge clk_i) begin
    a_ret_dst_q  <= a_dst;
    a_ret_rows_q <= op_q == OpGemm || vtrans;
    if (a_ret_valid_q && a_ret_dst_q == DstScale) scale_q <= abuf_rdata_i[31:0];
    a_ret_base_q <= a_base + a_done_q[15:0];
    a_ret_n_q    <= 16'(a_n);
    w_ret_base_q <= stream ? w_iss_q[15:0] : wl_iss_q[15:0];
    w_ret_n_q    <= stream ? 16'(st_w_n) : 16'(wl_n);
    w_ret_bank_q <= wl_on ? wl_bank_q : !bsel_q;
    w_ret_prow_en_q <= wl_on;  // ws: one PE row's weights
    w_ret_prow_q <= wl_row_q[15:0];
  end

  // ---- per-unit operand registers --------------------------------------------
  // The units, the X registers and the scale read fixed lanes; a die with
  // fewer units or columns than its ports have lanes leaves some untapped.
  logic unused_lanes;
  assign unused_lanes = ^{abuf_rdata_i, abuf_lanes_i, wbuf_rdata_i, wbuf_lanes_i};

  // One tessera_opunit per FMA unit, nested per PE, lane and vector element
  // (each generate loop within 64 iterations, Verilator's unrolling limit).
  // Unit u sits in row r (its PE) and column l * Vector + v.
  // acc_w: every accumulator, slot s of unit u at s * Units + u, which is
  // column c of tile row i = s * Rows + r at i * Cols + c. acc_row: tile row
  // i's Cols accumulators side by side (wiring only), so that reading one
  // accumulator per column is one row select, not a select per column.
  logic [31:0] acc_w [0:Slots*Units-1];
  logic [Cols*32-1:0] acc_row [0:TileRows-1];
  logic [TileRows*32-1:0] acc_col [0:Cols-1];  // VTRANS: tile column c's accumulators
  for (genvar i = 0; i < TileRows; i++) begin : g_acc_row
    for (genvar c = 0; c < Cols; c++) begin : g_col
      assign acc_row[i][c*32 +: 32] = acc_w[i * Cols + c];
      assign acc_col[c][i*32 +: 32] = acc_w[i * Cols + c];
    end
  end
  logic [Cols*32-1:0] wrd_acc;  // ws: row 0's partial sums, accumulator row m
  assign wrd_acc = acc_row[TRW'(32'(wrd_slot) * Rows + 32'(wrd_row))];
  // ws: per column, the result of PE row wland_src (the write-back landing now):
  // a Rows-way select per column, not a select over the whole array per unit.
  logic [31:0] wland_y [0:Cols-1];
  always_comb begin
    for (int c = 0; c < Cols; c++) begin
      wland_y[c] = fma_y_i[c*32 +: 32];
      for (int r = 1; r < Rows; r++)
        if (32'(wland_src) == r) wland_y[c] = fma_y_i[(r*Cols + c)*32 +: 32];
    end
  end
  logic fire, mask_2d, zero_acc;
  logic [31:0] b_imm_val;  // the b every unit fires with in a VADD (1.0) or VAXPY (s) step
  assign b_imm_val = (op_q == OpVaxpy) ? scale_q : 32'h3F80_0000;
  assign fire     = state_q == SFire || st_fire;
  assign mask_2d  = op_q == OpGemm;
  assign zero_acc = state_q == SSetup && zero_d;
  for (genvar r = 0; r < Rows; r++) begin : g_pe
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      for (genvar v = 0; v < Vector; v++) begin : g_vec
        localparam int U = (r * Lanes + l) * Vector + v;
        localparam int C = l * Vector + v;
        logic [Slots*32-1:0] acc_all;
        logic [31:0] c_unit;
        // its read data from fixed lanes (tessera_opunit): wiring, no select
        tessera_opunit #(.Slots(Slots), .Units(Units)) u_unit (
          .clk_i,
          .index_i(16'(U)), .row_i(16'(r)), .col_i(16'(C)),
          .a_ret_valid_i(a_ret_valid_q), .a_ret_dst_i(a_ret_dst_q), .a_ret_rows_i(a_ret_rows_q),
          .a_ret_base_i(a_ret_base_q), .a_ret_n_i(a_ret_n_q),
          .a_word_i(abuf_lanes_i[(U % ABanks)*32 +: 32]),
          .a_row_word_i(abuf_lanes_i[(C % ABanks)*32 +: 32]),
          .w_ret_valid_i(w_ret_valid_q), .w_ret_bank_i(w_ret_bank_q),
          .w_ret_base_i(w_ret_base_q), .w_ret_n_i(w_ret_n_q),
          .w_ret_prow_en_i(w_ret_prow_en_q), .w_ret_prow_i(w_ret_prow_q),
          .w_word_i(wbuf_lanes_i[(C % WBanks)*32 +: 32]),
          .zero_i(zero_acc), .fire_i(wstream ? wfire_row[r] : fire), .mask_2d_i(mask_2d),
          .mask_rows_i(stream ? slot_rows : wstream ? 16'(Rows) : mask_rows_q),
          .mask_cols_i(mask_cols_q),
          .b_imm_i(b_imm_q), .b_imm_val_i(b_imm_val), .b_acc_i(b_acc_q),
          .uop_i(uop), .uop_fn_i(uop_fn), .uop_a_i(uop_step[tessera_pkg::UopA +: 3]),
          .uop_b_i(uop_step[tessera_pkg::UopB +: 3]), .uop_c_i(uop_step[tessera_pkg::UopC +: 3]),
          .uop_d_i(uop_step[tessera_pkg::UopDst +: 2]), .uop_ka_i(uop_step[tessera_pkg::UopKa +: 32]),
          .uop_kb_i(uop_step[tessera_pkg::UopKb +: 32]), .uop_kc_i(uop_step[tessera_pkg::UopKc +: 32]),
          .uop_last_i(!uop_more), .max_i(op_q == OpVmax),
          .stream_i(stream || wstream), .x_row_i(wstream ? wx_row[r] : x_row[r]),
          .bsel_i(wstream ? wbsel_row[r] : bsel_q), .c_slot_i(SW'(fslot)),
          // ws: the accumulators take the bottom row's write-backs, not the unit's own results
          .result_valid_i(wstream ? wland && wland_row == 16'(r) && 16'(C) < mask_cols_q
                                  : fma_valid_i[U]),
          .res_slot_i(wstream ? wland_slot : rs_q[Stages-1]),
          .result_i(wstream ? wland_y[C] : fma_y_i[U*32 +: 32]),
          .valid_o(fma_valid_o[U]),
          .a_o(fma_a_o[U*32 +: 32]), .b_o(fma_b_o[U*32 +: 32]), .c_o(c_unit),
          .acc_o(acc_all)
        );
        // ws: c is the partial sum from the row above, or (row 0) accumulator m
        if (r == 0) begin : g_c_top
          assign fma_c_o[U*32 +: 32] = wstream
              ? wrd_acc[C*32 +: 32] : c_unit;
        end else begin : g_c_down
          assign fma_c_o[U*32 +: 32] = wstream ? fma_y_i[((r - 1) * Cols + C)*32 +: 32]
                                               : c_unit;
        end
        for (genvar s = 0; s < Slots; s++) begin : g_acc
          assign acc_w[s * Units + U] = acc_all[s*32 +: 32];
        end
      end
    end
  end

  // Store lanes: a GEMM stores tile row st_row, a VADD slot 0 of every unit
  // (units 0 .. Units-1, flat), each in chunks of ABanks words: an access
  // starts at st_done, a multiple of ABanks. Chunks are cut from the
  // accumulator rows with constant slices, so a store selects a row and a
  // chunk, not one accumulator per lane.
  // VTRANS stores tile column st_row (TileRows accumulators, acc_col).
  localparam int RowCh = (Cols + ABanks - 1) / ABanks;   // chunks of a tile row
  localparam int VecCh = (Units + ABanks - 1) / ABanks;  // chunks of slot 0
  localparam int ColCh = (TileRows + ABanks - 1) / ABanks;  // chunks of a tile column
  localparam int MaxCh = (VecCh > ColCh) ? VecCh : ColCh;
  localparam int ChW = (MaxCh > 1) ? $clog2(MaxCh) : 1;
  localparam int CW = (Cols > 1) ? $clog2(Cols) : 1;
  logic [RowCh*ABanks*32-1:0] st_rowv;
  logic [VecCh*ABanks*32-1:0] st_vecv;
  logic [ColCh*ABanks*32-1:0] st_colv;
  logic [ABanks*32-1:0] st_chunk;
  logic [ChW-1:0] st_j;
  assign st_rowv = (RowCh*ABanks*32)'(acc_row[TRW'(st_row_q)]);
  assign st_colv = (ColCh*ABanks*32)'(acc_col[CW'(st_row_q)]);
  for (genvar r = 0; r < Rows; r++) begin : g_vec_rows
    assign st_vecv[r*Cols*32 +: Cols*32] = acc_row[r];
  end
  if (VecCh * ABanks > Units) begin : g_vec_pad
    assign st_vecv[VecCh*ABanks*32-1:Units*32] = '0;
  end
  assign st_j = ChW'(st_done_q / ABanks);
  always_comb begin
    st_chunk = '0;
    for (int j = 0; j < MaxCh; j++)
      if (32'(st_j) == j) begin
        if (vtrans) begin
          if (j < ColCh) st_chunk = st_colv[(j < ColCh ? j : 0)*ABanks*32 +: ABanks*32];
        end else if (mask_2d) begin
          if (j < RowCh) st_chunk = st_rowv[(j < RowCh ? j : 0)*ABanks*32 +: ABanks*32];
        end else if (j < VecCh) begin
          st_chunk = st_vecv[(j < VecCh ? j : 0)*ABanks*32 +: ABanks*32];
        end
      end
    abuf_wdata_o = '0;
    for (int l = 0; l < ABanks; l++)
      if (16'(l) < 16'(st_n)) abuf_wdata_o[l*32 +: 32] = st_chunk[l*32 +: 32];
  end

  // ---- buffer and imem ports -----------------------------------------------
  always_comb begin
    abuf_req_o = 1'b0; abuf_we_o = 1'b0; abuf_addr_o = '0; abuf_count_o = '0;
    wbuf_req_o = 1'b0; wbuf_addr_o = '0; wbuf_count_o = '0;
    if (state_q == SLoad) begin
      abuf_req_o = a_busy; abuf_addr_o = a_addr; abuf_count_o = a_n;
    end else if (stream) begin
      abuf_req_o = st_x_go; abuf_addr_o = AAW'(x_addr_q); abuf_count_o = ACW'(x_kb_q);
      wbuf_req_o = st_w_go; wbuf_addr_o = WAW'(w_addr_q + w_iss_q); wbuf_count_o = st_w_n;
    end else if (wstream) begin
      abuf_req_o = wc_fire; abuf_addr_o = AAW'(wx_addr_q); abuf_count_o = ACW'(wkb_q);
    end else if (state_q == SStore) begin
      abuf_req_o = 1'b1; abuf_we_o = 1'b1;
      abuf_addr_o = AAW'(st_addr_q + st_roff_q + st_done_q); abuf_count_o = st_n;
    end
    if (wl_on) begin  // ws: the weight loader, also through a store and an init
      wbuf_req_o = wl_go; wbuf_addr_o = WAW'(wl_addr_q + wl_iss_q); wbuf_count_o = wl_n;
    end
  end
  assign imem_req_o  = state_q == SFetch;
  assign imem_addr_o = pc_q;

  // ---- next state ------------------------------------------------------------
  // The phase that follows WAIT, DRAIN and the end of a step.
  state_e end_of_step, after_drain, after_wait;
  always_comb begin
    if (last_q) end_of_step = SRetire;
    else end_of_step = SSetup;
    if (uop_more) after_wait = SFire;  // the microprogram's next step
    else if (store_q) after_wait = SStore;
    else after_wait = end_of_step;
    if (fire_q) after_drain = SFire;
    else after_drain = after_wait;
  end

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      SIdle:   if (start_i) state_d = SFetch;
      SFetch:  state_d = SDecode;
      SDecode: begin
        unique case (dec_op)
          OpGemm, OpVadd, OpVaxpy, OpVmul, OpVexp, OpVmax, OpVrecip, OpVrsqrt, OpVgelu,
          OpVgelud, OpVtrans: state_d = SSetup;
          OpHalt:         if (ni_tx_busy_i) state_d = SFence;  // joins the transmitter
                          else state_d = SRetire;
          OpSend, OpDrd, OpDwr: state_d = SNetCmd;
          OpWait:         state_d = SNetWait;
          OpFence:        state_d = SFence;
          default:        state_d = SIdle;  // illegal: error
        endcase
      end
      SSetup:  state_d = after_setup;
      SLoad:   if (a_last) state_d = SDrain;
      SDrain:  state_d = after_drain;
      SFire:   if (op_q == OpVmax) state_d = after_wait;  // VMAX: no FMA to wait for
               else state_d = SWait;
      SWait:   if (wait_q == 3'd1) state_d = after_wait;
      SStream: if (st_done) state_d = SWait;
      SWs:     if (ws_done) state_d = end_of_step;
      SStore:  if (32'(st_n) == st_left && !st_more_rows) state_d = end_of_step;
      // NETCMD hands the command over once the transmitter is free; an async
      // one retires then, the others once their last flit has left (SEND, DWR)
      // or their request has (DRD).
      SNetCmd:  if (ni_tx_busy_i) state_d = SNetCmd;
                else if (ni_tx_bad_i) state_d = SIdle;  // a bad target: error
                else if (net_flags_q[3]) state_d = SRetire;
                else state_d = SSend;
      SSend:    if (!ni_tx_busy_i) state_d = SRetire;
      SFence:   if (!ni_tx_busy_i) state_d = SRetire;
      SNetWait: if (ni_wait_ready_i) state_d = SRetire;
      SRetire: begin
        if (op_q == OpHalt || pc_q == PCW'(ImemWords - 1)) state_d = SIdle;
        else state_d = SFetch;
      end
      default: state_d = SIdle;
    endcase
  end

  // ---- control registers ----------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= SIdle;
      pc_q     <= '0;
      halted_q <= 1'b0;
      error_q  <= 1'b0;
    end else begin
      state_q <= state_d;
      if (state_q == SIdle && start_i) begin
        pc_q <= '0; halted_q <= 1'b0; error_q <= 1'b0;
      end
      if ((state_q == SDecode || state_q == SNetCmd) && state_d == SIdle) begin
        halted_q <= 1'b1; error_q <= 1'b1;
      end
      if (state_q == SRetire) begin
        if (op_q == OpHalt) begin
          halted_q <= 1'b1;
        end else if (pc_q == PCW'(ImemWords - 1)) begin
          halted_q <= 1'b1; error_q <= 1'b1;  // ran off the end of the program
        end else begin
          pc_q <= pc_q + 1'b1;
        end
      end
    end
  end

  // Instruction, loop state and step registers: no reset needed, every one is
  // written in DECODE or SETUP before it is read.
  always_ff @(posedge clk_i) begin
    if (state_q == SDecode) begin
      op_q       <= dec_op;
      acc_flag_q <= imem_rdata_i[tessera_pkg::InsnFlags];
      net_flags_q <= imem_rdata_i[tessera_pkg::InsnFlags +: 4];
      net_row_q <= imem_rdata_i[tessera_pkg::InsnRow +: tessera_pkg::InsnRowW];
      net_col_q <= imem_rdata_i[tessera_pkg::InsnCol +: tessera_pkg::InsnColW];
      net_len_q <= imem_rdata_i[tessera_pkg::InsnLen +: tessera_pkg::InsnLenW];
      net_src_q <= imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW];
      net_dst_q <= imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW];
      net_hi_q  <= imem_rdata_i[tessera_pkg::InsnHi +: tessera_pkg::InsnHiW];
      wa_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnB +: tessera_pkg::InsnBW]};
      ph_q <= '0; m0_q <= '0; n0_q <= '0;
      run_x_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW]};
      tile_x_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW]};
      run_w_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnB +: tessera_pkg::InsnBW]};
      tile_w_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnB +: tessera_pkg::InsnBW]};
      run_y_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
      tile_y_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
      row_y_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
      if (dec_op == OpVadd || dec_op == OpVaxpy || dec_op == OpVmul || dec_op == OpVexp
          || dec_op == OpVmax || dec_op == OpVrecip || dec_op == OpVrsqrt || dec_op == OpVgelu
          || dec_op == OpVgelud) begin
        // VADD, VMUL, VMAX and the microprograms: a -> run_x, b -> run_y, c -> run_w;
        // length in n. VAXPY: x -> run_x, y -> run_y and run_w, s's address from c.
        run_y_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnB +: tessera_pkg::InsnBW]};
        run_w_q <= {8'd0, (dec_op == OpVaxpy)
                          ? imem_rdata_i[tessera_pkg::InsnB +: tessera_pkg::InsnBW]
                          : imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
        scale_addr_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
        m_q <= 32'd1; k_q <= 32'd1;
        n_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnLen +: tessera_pkg::InsnLenW]} + 32'd1;
      end else begin
        if (dec_op == OpVtrans) begin
          // VTRANS: A loads as a GEMM's Y does (acc), C is the store's base.
          acc_flag_q <= 1'b1;
          run_y_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW]};
          tile_y_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW]};
          row_y_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnA +: tessera_pkg::InsnAW]};
          wa_q     <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
          run_w_q  <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
          tile_w_q <= {8'd0, imem_rdata_i[tessera_pkg::InsnC +: tessera_pkg::InsnCW]};
        end
        m_q <= {20'd0, imem_rdata_i[tessera_pkg::InsnDim0 +: tessera_pkg::InsnDim0W]} + 32'd1;
        k_q <= {20'd0, imem_rdata_i[tessera_pkg::InsnDim1 +: tessera_pkg::InsnDim1W]} + 32'd1;
        n_q <= {20'd0, imem_rdata_i[tessera_pkg::InsnDim2 +: tessera_pkg::InsnDim2W]} + 32'd1;
      end
    end
    if (state_q == SSetup) begin
      ph_q <= ph_d; m0_q <= m0_d; n0_q <= n0_d;
      run_x_q <= run_x_d; run_w_q <= run_w_d; run_y_q <= run_y_d;
      tile_x_q <= tile_x_d; tile_w_q <= tile_w_d; tile_y_q <= tile_y_d; row_y_q <= row_y_d;
      last_q <= last_d;
      s0_valid_q <= s0_valid_d; s1_valid_q <= s1_valid_d;
      fire_q <= fire_d; store_q <= store_d; b_imm_q <= b_imm_d; b_acc_q <= b_acc_d;
      s0_addr_q <= s0_addr_d; s1_addr_q <= s1_addr_d;
      st_addr_q <= st_addr_d;
      s0_count_q <= s0_count_d; s1_count_q <= s1_count_d;
      st_count_q <= st_count_d;
      s0_rows_q <= s0_rows_d; st_rows_q <= st_rows_d;
      s0_dst_q <= s0_dst_d; s1_dst_q <= s1_dst_d;
      s0_base_q <= s0_base_d;
      mask_rows_q <= mask_rows_d; mask_cols_q <= mask_cols_d;
      n_active_q <= (OsGemm == 1 && op_q == OpGemm) ? 16'(mask_rows_d * mask_cols_d) : mask_cols_d;
      a_seg_q <= 1'b0; a_done_q <= '0; st_done_q <= '0;
      a_row_q <= '0; a_roff_q <= '0; a_boff_q <= '0;
      st_row_q <= '0; st_roff_q <= '0;
    end
    if (state_q == SLoad) begin
      if (a_busy) begin
        if (a_last || 32'(a_n) != a_left) begin
          a_done_q <= a_done_q + 32'(a_n);
        end else if (a_more_rows) begin  // segment 0's next row
          a_row_q <= a_row_q + 16'd1; a_done_q <= '0;
          a_roff_q <= a_roff_q + n_q; a_boff_q <= a_boff_q + 16'(Cols);
        end else begin
          a_seg_q <= 1'b1; a_done_q <= '0;  // segment 0 done, segment 1 next
        end
      end
    end
    if (state_q == SStore) begin
      if (32'(st_n) == st_left && st_more_rows) begin  // the store's next row
        st_row_q <= st_row_q + 16'd1; st_done_q <= '0;
        st_roff_q <= st_roff_q + (vtrans ? m_q : n_q);
      end else begin
        st_done_q <= st_done_q + 32'(st_n);
      end
    end
    if (state_q == SFire || st_done) wait_q <= 3'(Stages);
    if (state_q == SWait) wait_q <= wait_q - 3'd1;
    if (state_q == SSetup) mu_q <= '0;
    if (state_q == SWait && wait_q == 3'd1 && uop_more) mu_q <= mu_q + 1'b1;
  end

  // ---- outputs ----------------------------------------------------------------
  assign busy_o   = state_q != SIdle;
  assign halted_o = halted_q;
  assign error_o  = error_q;
  assign pc_o     = 16'(pc_q);
  assign trace_valid_o = state_q == SRetire;
  assign trace_op_o    = op_q;

  assign ev_fma_ops_o = (state_q == SFire && op_q != OpVmax) ? n_active_q
                      : st_fire ? 16'(32'(slot_rows) * 32'(mask_cols_q))
                      : wstream ? 16'(32'(wfire_count) * 32'(mask_cols_q)) : 16'd0;
  assign ev_imem_read_o        = state_q == SFetch;
  assign ev_array_busy_o       = state_q == SFire || state_q == SWait || st_fire
                                 || (wstream && wfire_row != '0);
  assign ev_abuf_read_words_o  = (state_q == SLoad && a_busy) ? a_n : st_x_go ? ACW'(x_kb_q)
                               : wc_fire ? ACW'(wkb_q) : '0;
  assign ev_abuf_write_words_o = (state_q == SStore) ? st_n : '0;
  assign ev_wbuf_read_words_o  = st_w_go ? st_w_n : wl_go ? wl_n : '0;

  assign ni_tx_start_o    = state_q == SNetCmd && !ni_tx_busy_i;
  assign ni_tx_ring_o     = net_flags_q[0];
  assign ni_tx_dst_buf_o  = net_flags_q[1];
  assign ni_tx_src_buf_o  = net_flags_q[2];
  assign ni_tx_row_o      = net_row_q;
  assign ni_tx_col_o      = net_col_q;
  assign ni_tx_op_o       = (op_q == OpDwr) ? 2'd1 : ((op_q == OpDrd) ? 2'd2 : 2'd0);
  assign ni_tx_addr_a_o   = net_src_q;
  assign ni_tx_addr_c_o   = net_dst_q;
  assign ni_tx_dram_o     = {net_hi_q, net_src_q};
  assign ni_tx_len_o      = {1'b0, net_len_q} + 25'd1;
  assign ni_wait_req_o    = state_q == SNetWait;
  assign ni_wait_msgs_o   = net_flags_q[0];
  assign ni_wait_chan_o   = net_flags_q[2:1];
  assign ni_wait_count_o  = net_len_q;

  // Flag 3 is reserved (zero in every instruction).
  logic unused_imem;
  assign unused_imem = imem_rdata_i[tessera_pkg::InsnFlags + 3];
endmodule

`default_nettype wire
