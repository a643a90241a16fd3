/* isa.h - the Tessera die instruction set: encoding, assembler, disassembler.
 *
 * Every instruction is 128 bits, stored as four 32-bit words, word 0 holding
 * bits 31:0. docs/isa.md is the reference; the field layout is:
 *
 *   [127:120] opcode        [119:116] flags
 *   [115:104] dim0          [103:92]  dim1        [91:80] dim2
 *   [79:72]   addr_hi       [71:48]   addr_a      [47:24] addr_b   [23:0] addr_c
 *
 * Addresses are word (32-bit) addresses into a buffer. Dimensions are stored
 * minus one (1..4096). Lengths use dim1:dim2 as one 24-bit field (bits
 * 103:80), also minus one, except WAIT's count, which is stored as is.
 */
#ifndef TESSERA_ISA_H
#define TESSERA_ISA_H

#include <stddef.h>
#include <stdint.h>

#define TSR_INSN_WORDS 4
#define TSR_ISA_ERR_LEN 256

/* Opcodes: name, SystemVerilog name, value (emitted into tessera_pkg as Op<Name>). */
#define TSR_OPCODES(X)                                                                       \
  X(GEMM, Gemm, 0x01) /* Y[MxN] (act) = X[MxK] (act) * W[KxN] (weight) (+ Y if acc) */      \
  X(VADD, Vadd, 0x02) /* C[i] = A[i] + B[i], all in the activation buffer, i < len */        \
  X(VAXPY, Vaxpy, 0x03) /* Y[i] = s X[i] + Y[i], s = the word at S; all in the act buffer */ \
  X(VMUL, Vmul, 0x04)   /* C[i] = A[i] B[i], all in the activation buffer, i < len */         \
  X(VEXP, Vexp, 0x05)   /* C[i] = e^A[i] (tsr_vexp, docs/vector-functions.md), act buffer */  \
  X(VMAX, Vmax, 0x06)   /* C[i] = max(A[i], B[i]) (tsr_vmax: NaN wins, +0 above -0)      */  \
  X(VRECIP, Vrecip, 0x07) /* C[i] = 1/A[i] (tsr_vrecip, docs/vector-functions.md)        */  \
  X(VRSQRT, Vrsqrt, 0x08) /* C[i] = 1/sqrt(A[i]) (tsr_vrsqrt)                             */  \
  X(VGELU, Vgelu, 0x09)   /* C[i] = gelu(A[i]) (tsr_vgelu, the tanh form)                 */  \
  X(VGELUD, Vgelud, 0x0A) /* C[i] = gelu'(A[i]) (tsr_vgelu_grad)                          */  \
  X(VTRANS, Vtrans, 0x0B) /* C[N x M] = A[M x N] transposed, act buffer                     */  \
  X(SEND, Send, 0x10) /* DMA local buffer -> remote die buffer (network-on-package) */       \
  X(WAIT, Wait, 0x11) /* wait until count words (flag0=0) or messages (flag0=1) arrived */   \
  X(FENCE, Fence, 0x12) /* wait until the network interface's transmitter is idle */         \
  X(DRD, Drd, 0x20)   /* DRAM read through an IO die into a local buffer */                  \
  X(DWR, Dwr, 0x21)   /* local buffer -> DRAM through an IO die */                           \
  X(HALT, Halt, 0xFF) /* stop; the die reports halted */
#define TSR_OPCODE_ENUM(name, sv, value) TSR_OP_##name = value,
typedef enum { TSR_OPCODES(TSR_OPCODE_ENUM) } tsr_opcode;
#undef TSR_OPCODE_ENUM

/* Fields of the 128-bit instruction: name, SystemVerilog name, lowest bit,
 * width (the layout above). The C encoder and decoder use TSR_F_<NAME> and
 * TSR_F_<NAME>_W; gen/emit_pkg.c emits Insn<Name> and Insn<Name>W for the
 * controller. LEN overlays DIM1:DIM2, ROW:COL overlay the top of DIM0. */
#define TSR_ISA_FIELDS(X)  \
  X(OP, Op, 120, 8)        \
  X(FLAGS, Flags, 116, 4)  \
  X(DIM0, Dim0, 104, 12)   \
  X(DIM1, Dim1, 92, 12)    \
  X(DIM2, Dim2, 80, 12)    \
  X(LEN, Len, 80, 24)      \
  X(ROW, Row, 110, 6)      \
  X(COL, Col, 104, 6)      \
  X(HI, Hi, 72, 8)         \
  X(A, A, 48, 24)          \
  X(B, B, 24, 24)          \
  X(C, C, 0, 24)
#define TSR_ISA_FIELD_ENUM(name, sv, lo, width) TSR_F_##name = lo, TSR_F_##name##_W = width,
enum { TSR_ISA_FIELDS(TSR_ISA_FIELD_ENUM) };
#undef TSR_ISA_FIELD_ENUM

typedef enum { TSR_BUF_ACT = 0, TSR_BUF_WGT = 1 } tsr_buf;

/* Which arrivals a WAIT counts: every arrival, or only those of one receive
 * channel (the mesh, which also carries DRD answers, the row ring or the
 * column ring). Each has its own word and message counters (docs/isa.md). */
typedef enum { TSR_WAIT_ANY = 0, TSR_WAIT_MESH = 1, TSR_WAIT_ROW = 2, TSR_WAIT_COL = 3 } tsr_wait_chan;
#define TSR_WAIT_CHANS 4
/* "any", "mesh", "row", "col". */
const char *tsr_wait_chan_name(uint32_t chan);
/* An opcode's mnemonic ("gemm", "vadd", ...); NULL for an unknown opcode. */
const char *tsr_op_name(uint32_t op);
/* A vector function of A alone, a microprogram (VEXP, VRECIP, VRSQRT,
 * VGELU, VGELUD): no B operand. */
int tsr_op_unary(uint32_t op);
/* An element-wise instruction on the activation buffer (VADD, VAXPY, VMUL,
 * VMAX and the unary ones). */
int tsr_op_vector(uint32_t op);

/* A decoded instruction. Unused fields are zero. */
typedef struct {
  tsr_opcode op;
  uint32_t acc;        /* GEMM: accumulate into Y (flag0) */
  uint32_t m, k, n;    /* GEMM dimensions, 1..4096 (VTRANS: m, n) */
  uint32_t len;        /* VADD/SEND/DRD/DWR: words, 1..2^24; WAIT: count, 0..2^24-1 */
  uint32_t a, b, c;    /* word addresses, 0..2^24-1 (GEMM: x, w, y; VADD, VMUL, VMAX: a, b, c;
                          VAXPY: x, y, s; the unary ones: a, c) */
  /* network and DRAM fields (issue 3 onwards) */
  uint32_t row, col;   /* SEND destination die, 0..63 each */
  uint32_t ring;       /* SEND: 0 = mesh channel, 1 = bypass ring (flag0) */
  uint32_t msgs;       /* WAIT: 1 = count messages, 0 = count words (flag0) */
  uint32_t chan;       /* WAIT: the counter, TSR_WAIT_ANY .. TSR_WAIT_COL (flags 2:1) */
  tsr_buf src_buf, dst_buf; /* SEND/DRD/DWR buffers (flag1 = dst, flag2 = src) */
  uint32_t async;      /* SEND/DRD/DWR: retire once the network interface took it (flag3) */
  uint32_t dram;       /* DRD/DWR DRAM word address, 32 bits (addr_hi:addr_a) */
} tsr_insn;

/* Encode; returns -1 and fills err if a field is out of range. */
int tsr_encode(const tsr_insn *in, uint32_t out[TSR_INSN_WORDS], char err[TSR_ISA_ERR_LEN]);
/* Decode; returns -1 and fills err on an unknown opcode or reserved bits set. */
int tsr_decode(const uint32_t in[TSR_INSN_WORDS], tsr_insn *out, char err[TSR_ISA_ERR_LEN]);

/* Assemble text (docs/isa.md syntax) into a malloc'd array of words
 * (*n_insns instructions, 4 words each). Errors carry "NAME:LINE: ...". */
int tsr_assemble(const char *text, const char *name, uint32_t **words, size_t *n_insns,
                 char err[TSR_ISA_ERR_LEN]);
/* One instruction back to assembler text (round-trips through tsr_assemble). */
void tsr_disasm_insn(const tsr_insn *in, char *out, size_t out_len);

/* The hex format of `tessera asm`: one 32-bit word per line, 8 hex digits.
 * tsr_hex_read accepts blank lines and '#' comments; errors name the line. */
int tsr_hex_read(const char *text, const char *name, uint32_t **words, size_t *n_words,
                 char err[TSR_ISA_ERR_LEN]);
char *tsr_hex_write(const uint32_t *words, size_t n_words); /* malloc'd */

#endif
