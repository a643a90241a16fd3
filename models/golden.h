/* golden.h - the functional golden model of one computing die.
 *
 * Executes a die program on C arrays standing for the weight and activation
 * buffers, bit-exact with the RTL. Numerics (docs/isa.md): every result is
 * C's fmaf() with NaN results replaced by the canonical quiet NaN 0x7FC00000.
 *   GEMM: y[m][n] = chain over k = 0..K-1 of acc = fmaf(x[m][k], w[k][n], acc),
 *         acc starting at y[m][n] (accumulate) or +0.0f (fresh output).
 *   VADD: c[i] = fmaf(a[i], 1.0f, b[i]), which is a[i] + b[i] rounded once.
 *   VAXPY: y[i] = fmaf(x[i], s, y[i]), s the word at S read before any y[i].
 *   VMUL: c[i] = fmaf(a[i], b[i], -0.0f), which is a[i] b[i] rounded once.
 *   VEXP: c[i] = tsr_vexp(a[i]) (models/vecfn.h): twelve fmaf steps and
 *         integer steps on the encoding.
 *   VRECIP: c[i] = tsr_vrecip(a[i]): eight fmaf steps and integer steps.
 *   VRSQRT: c[i] = tsr_vrsqrt(a[i]): twelve fmaf steps and integer steps.
 *   VGELU, VGELUD: c[i] = tsr_vgelu(a[i]), tsr_vgelu_grad(a[i]): 26 and 29
 *         fmaf steps, exp's among them.
 *   VTRANS: c[j][i] = a[i][j] (A m x n, C n x m, row-major), the words as they are.
 *   VMAX: c[i] = tsr_vmax(a[i], b[i]): the canonical NaN if either is one,
 *         +0 above -0, else the larger.
 */
#ifndef TESSERA_GOLDEN_H
#define TESSERA_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "isa.h"

#define TSR_CANONICAL_NAN 0x7FC00000u

/* fmaf on bit patterns, NaN canonicalized: the FMA unit's reference. */
uint32_t tsr_fma_ref(uint32_t a, uint32_t b, uint32_t c);

/* Check that every instruction of a program fits the die: operand ranges
 * inside the buffers (wgt_words, act_words), Y not overlapping X, VADD's C
 * (and VMUL's, VMAX's and the unary ones') equal to or disjoint from A and B (VAXPY's Y from X),
 * a HALT present, and only the opcodes a single die executes today (GEMM,
 * VADD, VAXPY, VMUL, VEXP, VMAX, VRECIP, VRSQRT, VGELU, VGELUD, VTRANS, HALT;
 * SEND, WAIT, DRD and DWR need
 * the network-on-package). Returns -1 with "insn N (gemm): ..." in err. */
int tsr_program_check(const uint32_t *words, size_t n_insns, uint32_t wgt_words,
                      uint32_t act_words, char err[TSR_ISA_ERR_LEN]);

/* What the harness checks before it runs a program on a die, and `tessera
 * model` before it predicts one: the program fits the instruction memory
 * (die.imem_words) and tsr_program_check with the die's buffers. Returns -1
 * with err set ("N instructions do not fit ...", "insn N (gemm): ..."). */
int tsr_die_program_check(const tsr_die_cfg *die, const uint32_t *words, size_t n_insns,
                          char err[TSR_ISA_ERR_LEN]);

/* On a die with local lanes (die.local_lanes), the alignment its units need:
 * every row of more than one word that a unit loads or stores starts at bank
 * 0, so GEMM's Y and W, the element-wise operands (VAXPY's s excepted) and
 * VTRANS's A and C start, and their rows are pitched, at multiples of the
 * buffer's words per access (docs/isa.md). 0 on any other die. Returns -1
 * with "insn N (gemm): ...". */
int tsr_lanes_check(const tsr_die_cfg *die, const uint32_t *words, size_t n_insns,
                    char err[TSR_ISA_ERR_LEN]);

/* The same checks for a die of a mesh: SEND and WAIT allowed, SEND's source
 * and destination inside their buffers. The target die is the die's to check
 * when it runs: a die outside the mesh, or a RING target that is not a ring
 * successor, stops the die with its error flag (models/mesh.h predicts it). */
int tsr_program_check_mesh(const uint32_t *words, size_t n_insns, uint32_t wgt_words,
                           uint32_t act_words, char err[TSR_ISA_ERR_LEN]);

/* One GEMM, VTRANS or element-wise instruction (tsr_op_vector) on the
 * buffers (anything else: nothing). */
void tsr_golden_compute(const tsr_insn *in, uint32_t *wgt, uint32_t *act);

/* Run the program until HALT. wgt and act are modified in place.
 * Returns the number of instructions retired (HALT included), or -1 with err
 * (the program is checked first with tsr_program_check). */
long tsr_golden_run(const uint32_t *words, size_t n_insns, uint32_t *wgt, uint32_t wgt_words,
                    uint32_t *act, uint32_t act_words, char err[TSR_ISA_ERR_LEN]);

#endif
