/* lower.h - workload lowering: Hecaton's Algorithm 1 (one training iteration
 * of a linear layer, Y = X W, dX = dY W^T, dW = X^T dY, W -= lr dW) turned
 * into one program per die of a rows x cols mesh, and the DRAM image its IO
 * dies start from; ring collectives and a distributed GEMM alone
 * (docs/lowering.md).
 *
 * Die (i, j) (row i, column j) holds, with R rows, C columns and B tokens per
 * mini-batch:
 *   forward:  W[j, i] (Din/C x Dout/R); X_n[i, j] (B/R x Din/C) is read from
 *             DRAM, all-gathered over column ring j into X_n[:, j]; the
 *             partial X_n[:, j] W[j, i] is reduce-scattered over row ring i,
 *             leaving Y_n[j, i] (tokens block j of B/C, outputs block i),
 *             written back to DRAM;
 *   backward: W^T[j, i] (Dout/C x Din/R); dY_n[i, j] gathered over the column
 *             as X was; dX_n[j, i] by reduce-scatter over the row; X^T_n[i, j]
 *             (Din/R x B/C) all-gathered over row ring i, each tile
 *             multiplied into dW[i, j] as it arrives; after the last
 *             mini-batch W[i, j] - lr dW[i, j] (one VAXPY) goes back to DRAM.
 * W^T and X^T come from DRAM as the paper's Step 6 and 9 do (the transformer
 * layer, models/lower_layer.c, transposes on the die with VTRANS). */
#ifndef TESSERA_LOWER_H
#define TESSERA_LOWER_H

#include <stdint.h>

#include "config.h"
#include "isa.h"

typedef struct {
  uint32_t tokens;      /* B: rows of X per mini-batch */
  uint32_t d_in, d_out; /* W is d_in x d_out */
  uint32_t minibatches; /* N */
  int forward, backward;
  float lr;
} tsr_linear;

/* Algorithm 1's passes on a die (docs/lowering.md): a mini-batch's forward,
 * its backward, the update. Each starts with one WAIT for its DRDs, which go
 * out in the pass before it: early (tsr_lower_early_loads) or before its DWR. */
typedef enum { TSR_PASS_FWD, TSR_PASS_BWD, TSR_PASS_UPDATE, TSR_PASS_NONE } tsr_alg1_pass;
/* At most this many DRDs of a die in flight: an IO die queues four
 * requests, and on a 4 x 4 mesh it serves two dies. */
#define TSR_ALG1_DRDS 2
/* The pass after pass k of mini-batch n (TSR_PASS_NONE at the end), and its
 * mini-batch in *next_n. */
tsr_alg1_pass tsr_alg1_next(const tsr_linear *L, tsr_alg1_pass k, uint32_t n, uint32_t *next_n);
/* Whether a pass asks for the next pass's data early (after its first WAIT
 * on the mesh channel) rather than once its ring messages have arrived: where
 * the IO die answers at a flit a cycle (tsr_io_flit_pace), so that an answer
 * does not hold the receiver against them. Algorithm 1 and the FFN block. */
int tsr_lower_early_loads(const tsr_config *cfg);
/* The first pass (of mini-batch 0). */
tsr_alg1_pass tsr_alg1_first(const tsr_linear *L);
/* The DRDs pass k reads, their lengths in words in len[] (the forward's X
 * tile; the backward's dY and X^T tiles; the update's W tile and -lr);
 * returns how many (at most TSR_ALG1_DRDS). */
int tsr_alg1_loads(const tsr_linear *L, uint32_t rows, uint32_t cols, tsr_alg1_pass k,
                   uint32_t len[TSR_ALG1_DRDS]);

/* The tensors, row-major: x[n][B][Din], w[Din][Dout], dy[n][B][Dout]. */
typedef struct {
  const float *x, *w, *dy;
} tsr_linear_data;

/* Where each die's tiles live in the DRAM of the IO die it reaches. */
typedef struct {
  int io;                 /* 2 x row + side */
  uint32_t wf, wt, wb, s; /* W[j,i], W^T[j,i], W[i,j], -lr (one word) */
  uint32_t wnew;          /* W[i,j] after the update */
  uint32_t base;          /* per-mini-batch tiles from here, `stride` apart */
  uint32_t stride;
  uint32_t xf, dy, xt, y, dx; /* offsets within a mini-batch's tiles */
  uint32_t align_act, align_wgt; /* the transformer layer's: its buffers' regions start at
                                    multiples of these (the words per access with
                                    die.local_lanes, else 1), its constants' DRAM image too */
} tsr_lower_die;

/* Hecaton's FFN block, forward (section IV-B): Z = X + gelu(X W1) W2 with X of
 * B x D per mini-batch, W1 of D x Dh, W2 of Dh x D. The two layers are
 * fused: the up-scaling layer leaves H[j, i] on die (i, j), the transpose of
 * its input's tiling, so the down-scaling layer gathers over the row ring and
 * reduce-scatters over the column ring, which brings Z back to X's tiling for
 * the residual. GeLU (VGELU) applies to H[j, i] before it is gathered. */
typedef struct {
  uint32_t tokens, d_model, d_hidden, minibatches;
} tsr_ffn;
/* x[n][B][D], w1[D][Dh], w2[Dh][D], row-major. */
typedef struct {
  const float *x, *w1, *w2;
} tsr_ffn_data;

/* Attention's core, forward: O = softmax(Q K^T / sqrt(d_head)) V for every
 * head, the heads spread over the dies (die d takes heads d, d + R C, ...),
 * from Q, K, V in DRAM and O back to it. K^T by VTRANS, copied into the
 * weight buffer by a SEND to the die itself; the softmax row by row as
 * docs/vector-functions.md's sequence. */
typedef struct {
  uint32_t heads, seq, d_head; /* seq a power of two (the row maximum's halves) */
} tsr_attention;
/* q, k, v, o: [heads][seq][d_head], row-major. */
typedef struct {
  const float *q, *k, *v;
} tsr_attention_data;

/* The attention block, forward, in the 2D scheme (section IV-C): Y = X + O Wo,
 * O the heads' softmax(Q_h K_h^T / sqrt(dh)) V_h side by side, Q = X Wq,
 * K = X Wk, V = X Wv; B tokens per mini-batch, whole sequences of `seq`;
 * D = d_model, H heads of dh = D / H. As the FFN's two layers: die (i, j)
 * gathers X[:, j] over column ring j; the projections of head block i (H/R
 * heads, each one GEMM a matrix), reduce-scattered over row ring i, leave Q,
 * K and V of tokens block j (B/C tokens, whole sequences) on the die, so
 * attention needs no collective of its own; O[j, i] is gathered over the row
 * ring, multiplied by Wo[i, j] head by head and reduce-scattered over the
 * column ring, which brings Y back to X's tiling for the residual. */
typedef struct {
  uint32_t tokens, d_model, heads, seq, minibatches;
} tsr_attn_block;
/* x[n][B][D], wq, wk, wv, wo [D][D], row-major. */
typedef struct {
  const float *x, *wq, *wk, *wv, *wo;
} tsr_attn_block_data;

/* One transformer layer, pre-LayerNorm, trained one step (docs/lowering.md,
 * "A transformer layer"): A = LN1(X), Y = X + attention(A) (Wq, Wk, Wv, Wo as
 * the attention block), Z = Y + gelu(LN2(Y) W1) W2; backward from dZ to dX
 * and every parameter's gradient; then W = W - lr dW for all of them. B
 * tokens of whole sequences, D features, H heads, d_ffn FFN features;
 * LayerNorm's eps is 1e-5. */
typedef struct {
  uint32_t tokens, d_model, heads, seq, d_ffn;
  float lr;
  int backward; /* 0: the forward pass alone */
} tsr_layer;
/* Row-major: x, dz [B][D]; wq, wk, wv, wo [D][D]; w1 [D][F]; w2 [F][D];
 * g1, b1, g2, b2 [D] (the LayerNorms' gamma and beta). */
typedef struct {
  const float *x, *dz, *wq, *wk, *wv, *wo, *w1, *w2, *g1, *b1, *g2, *b2;
} tsr_layer_data;
/* What the layer leaves in DRAM: z, dx [B][D] and the updated parameters. */
typedef struct {
  float *z, *dx, *wq, *wk, *wv, *wo, *w1, *w2, *g1, *b1, *g2, *b2;
} tsr_layer_out;

enum {
  TSR_LOWERED_OTHER, TSR_LOWERED_LINEAR, TSR_LOWERED_FFN, TSR_LOWERED_ATTENTION,
  TSR_LOWERED_ATTN_BLOCK, TSR_LOWERED_LAYER
};
typedef struct {
  int rows, cols;
  int kind;          /* TSR_LOWERED_*: which tensors tsr_lower_load* lays out */
  tsr_linear layer;
  tsr_ffn ffn;
  tsr_attention attn;
  tsr_attn_block ablk;
  tsr_layer tl;
  char *text[TSR_MAX_DIES];      /* assembler text per die (docs/isa.md) */
  tsr_lower_die die[TSR_MAX_DIES];
  uint32_t dram_words[2 * TSR_MAX_ROWS]; /* words of each IO die's DRAM in use */
} tsr_lowered;

/* Lower the layer for cfg's mesh. Returns -1 and names what is wrong (a
 * dimension that does not divide, buffers or DRAM too small, rings missing). */
int tsr_lower_linear(const tsr_config *cfg, const tsr_linear *layer, tsr_lowered *out,
                     char err[TSR_ISA_ERR_LEN]);
void tsr_lowered_free(tsr_lowered *l);

/* Ring all-gather or reduce-scatter within every row (or every column) at
 * once, of `chunk` words per member in the activation buffer: chunk k at
 * k x chunk (a reduce-scatter's partial sums), the reduce-scatter's slots
 * after the n chunks; on the bypass ring, or for comparison in the same
 * ring order over the mesh. The programs' data is whatever the buffers
 * hold; the golden model gives the result. */
enum { TSR_COLL_ALLGATHER, TSR_COLL_REDUCESCATTER };
typedef struct {
  int kind;       /* TSR_COLL_* */
  int over_cols;  /* 0: within every row, 1: within every column */
  int on_mesh;    /* 0: the bypass ring, 1: the mesh */
  uint32_t chunk; /* words per member */
} tsr_collective;
int tsr_lower_collective(const tsr_config *cfg, const tsr_collective *c, tsr_lowered *out,
                         char err[TSR_ISA_ERR_LEN]);

int tsr_lower_ffn(const tsr_config *cfg, const tsr_ffn *f, tsr_lowered *out,
                  char err[TSR_ISA_ERR_LEN]);
void tsr_lower_load_ffn(const tsr_lowered *l, const tsr_ffn_data *data, uint32_t **dram);
/* z[n][B][D] read back from DRAM. */
void tsr_lower_results_ffn(const tsr_lowered *l, uint32_t *const *dram, float *z);

int tsr_lower_attention(const tsr_config *cfg, const tsr_attention *a, tsr_lowered *out,
                        char err[TSR_ISA_ERR_LEN]);
void tsr_lower_load_attention(const tsr_lowered *l, const tsr_attention_data *data,
                              uint32_t **dram);
/* o[heads][seq][d_head] read back from DRAM. */
void tsr_lower_results_attention(const tsr_lowered *l, uint32_t *const *dram, float *o);

int tsr_lower_attn_block(const tsr_config *cfg, const tsr_attn_block *b, tsr_lowered *out,
                         char err[TSR_ISA_ERR_LEN]);
void tsr_lower_load_attn_block(const tsr_lowered *l, const tsr_attn_block_data *data,
                               uint32_t **dram);
/* y[n][B][D] read back from DRAM. */
void tsr_lower_results_attn_block(const tsr_lowered *l, uint32_t *const *dram, float *y);

int tsr_lower_layer(const tsr_config *cfg, const tsr_layer *layer, tsr_lowered *out,
                    char err[TSR_ISA_ERR_LEN]);
void tsr_lower_load_layer(const tsr_lowered *l, const tsr_layer_data *data, uint32_t **dram);
/* z and, after a backward pass, dx and the parameters (the LayerNorms' from
 * the dies of row 0... each column's dies hold the same) read back. */
void tsr_lower_results_layer(const tsr_lowered *l, uint32_t *const *dram, tsr_layer_out *out);

/* A distributed GEMM Y = X W (M x K by K x N) with the output partitioned
 * over the mesh: die (i, j) reads X's row block i and W's column block j
 * from the DRAM of its IO die, multiplies and writes Y's block (i, j) back.
 * The DRAM words are whatever the IO dies hold. */
int tsr_lower_gemm(const tsr_config *cfg, uint32_t M, uint32_t K, uint32_t N, tsr_lowered *out,
                   char err[TSR_ISA_ERR_LEN]);

/* Fill each IO die's DRAM (dram[2 x row + side], TSR_IO_DRAM_WORDS words,
 * NULL for an IO die no die reaches) with the layer's tiles. */
void tsr_lower_load(const tsr_lowered *l, const tsr_linear_data *data, uint32_t **dram);

/* Read the results back from DRAM: y[n][B][Dout], dx[n][B][Din], w_new[Din][Dout]
 * (each may be NULL, or the pass that makes it absent). */
void tsr_lower_results(const tsr_lowered *l, uint32_t *const *dram, float *y, float *dx,
                       float *w_new);

#endif
