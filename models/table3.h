/* table3.h - the four distributed training methods of the Hecaton paper's
 * Table III (Flat-ring, Torus-ring, Optimus, Hecaton): their NoP terms as the
 * paper prints them, the collective phases the system-scale model times them
 * with on a rows x cols mesh, their SRAM requirement per die and their layout
 * constraints (docs/system-model.md, "The four methods").
 *
 * Table III writes each block's NoP overhead as a link-latency term, a count
 * times the D2D link latency alpha, and a transmission term in
 * gamma = b s h / beta and xi = h^2 / beta (beta the D2D link bandwidth). A
 * phase is a chain of `steps` messages of `words` words, each crossing
 * `links` link lengths; a method's phases for a block give back Table III's
 * terms for a square mesh: sum(steps x links) is the alpha count and
 * sum(steps x words) the transmission volume (tests/unit/test_table3.c). */
#ifndef TESSERA_TABLE3_H
#define TESSERA_TABLE3_H

#include <stdint.h>

typedef enum { TSR_M_FLAT, TSR_M_TORUS, TSR_M_OPTIMUS, TSR_M_HECATON, TSR_N_METHODS } tsr_method;
typedef enum {
  TSR_B_FWD_ATTN,
  TSR_B_FWD_FFN,
  TSR_B_BWD_ATTN,
  TSR_B_BWD_FFN,
  TSR_N_BLOCKS
} tsr_block;
extern const char *const tsr_method_names[TSR_N_METHODS]; /* flat, torus, optimus, hecaton */
extern const char *const tsr_block_names[TSR_N_BLOCKS];
/* A method by name (flat, torus, optimus, hecaton), or -1. */
int tsr_method_find(const char *name);

/* Table III, as printed, for N dies (a perfect square): link latency
 * alpha x alpha, transmission gamma x gamma + xi x xi. */
typedef struct {
  double alpha, gamma, xi;
} tsr_t3;
tsr_t3 tsr_table3(tsr_method m, tsr_block b, double n_dies);

/* A chain of messages on the critical path of a block. */
typedef enum { TSR_PATH_RING, TSR_PATH_MESH } tsr_path;
typedef struct {
  uint32_t steps; /* messages, one after the other */
  double words;   /* words in each */
  uint32_t links; /* link lengths each crosses (the slowest message of a step) */
  tsr_path path;  /* a bypass ring (no router) or the mesh (links + 1 routers) */
  int reduce;     /* a VADD of the arriving message after every step */
  int half;       /* 0: sequential; 1, 2: the torus's two concurrent halves */
  int ring_n;     /* members of the ring the phase runs on (its gathered or partial
                     tensor is ring_n x words per die) */
  int role;       /* Hecaton: TSR_ROLE_*, how the phase sits in its linear layer */
  int layer;      /* Hecaton: the linear layer (tsr_block_layers index), else -1 */
  /* per die, over the whole phase, for energy: link lengths crossed, router
     traversals and messages sent (a broadcast tree sends fewer than its
     critical path) */
  double e_links, e_routers, e_msgs;
  int axis; /* TSR_AXIS_*: the links its messages cross, for their kind (photonic or not) */
} tsr_phase;

/* A collective's step chain on a bypass ring of n members (TSR_AXIS_ROW or
 * TSR_AXIS_COL), `words` per message, a VADD after each step if `reduce`. */
tsr_phase tsr_bypass_phase(uint32_t n, double words, int reduce, int axis);

/* A phase's links: those along a row (east edges), along a column (south
 * edges), or both (a Hamiltonian ring, Optimus's broadcasts). */
enum { TSR_AXIS_BOTH, TSR_AXIS_ROW, TSR_AXIS_COL };

#define TSR_MAX_PHASES 16

/* Roles of a Hecaton phase in Algorithm 1 (docs/lowering.md): the all-gather
 * of the GEMM's left operand, the reduce-scatter of its partial sums, and the
 * backward all-gather of X^T tiles, each multiplied into dW as it arrives. */
enum { TSR_ROLE_NONE, TSR_ROLE_AG_IN, TSR_ROLE_RS_OUT, TSR_ROLE_AG_DW };

/* The linear layers of a block in execution order (the backward blocks run
 * them last first): d_in x d_out, and Algorithm 1's orientation: 1 gathers
 * its input over the column ring (rows members) and reduce-scatters over the
 * row ring; 2, the fused layer after it, the other way round. */
typedef struct {
  double d_in, d_out;
  int orient;
} tsr_layer_dims;
int tsr_block_layers(tsr_block b, double h, double f, tsr_layer_dims out[2]);

/* The phases of block b of method m on a rows x cols mesh for a mini-batch of
 * `tokens` tokens, hidden size h and FFN width f. Returns the number of
 * phases (0 when the method cannot run on this layout: see tsr_layout_ok). */
int tsr_method_phases(tsr_method m, tsr_block b, uint32_t rows, uint32_t cols, double tokens,
                      double h, double f, tsr_phase out[TSR_MAX_PHASES]);

/* Whether the method can run on rows x cols; why not in `why` (static text). */
int tsr_layout_ok(tsr_method m, uint32_t rows, uint32_t cols, const char **why);

/* SRAM requirement per die in words (docs/system-model.md, "SRAM"):
 * activations for a mini-batch of `tokens` tokens, weights of a fused group
 * of `group_weights` words whose largest matrix has `max_matrix` words. */
double tsr_sram_act_words(tsr_method m, uint32_t rows, uint32_t cols, double tokens, double h,
                          double f);
double tsr_sram_wgt_words(tsr_method m, uint32_t rows, uint32_t cols, double group_weights,
                          double max_matrix);

#endif
