/* ref_layer.h - the transformer layer of tsr_lower_layer (models/lower.h),
 * forward and backward, in double precision from the same float tensors. It
 * is written apart from what it checks: no lowering, golden model or cost
 * model code, only the layer's definition (docs/lowering.md, "A transformer
 * layer"). The unit tests and tessera-mesh hold the dies' results to it. */
#ifndef TESSERA_REF_LAYER_H
#define TESSERA_REF_LAYER_H

#include <stddef.h>

#include "lower.h"

/* The tolerance: an error within TAU of its tensor's largest magnitude. The
 * float computation rounds about 20 times along any path, in sums of at most
 * max(B, D, F) terms: its errors are a few 2^-24 of the magnitudes that meet
 * (measured: about 1e-6 of the largest); a wrong word moves its tensor by far
 * more. */
#define TSR_REF_LAYER_TAU 1e-4

enum { TSR_REF_LAYER_TENSORS = 12 };
/* z, dx, then the gradients of wq, wk, wv, wo, w1, w2, g1, b1, g2, b2. */
extern const char *const tsr_ref_layer_names[TSR_REF_LAYER_TENSORS];

typedef struct {
  tsr_layer layer;
  size_t len[TSR_REF_LAYER_TENSORS];
  double *want[TSR_REF_LAYER_TENSORS];
  float *w_old[TSR_REF_LAYER_TENSORS - 2]; /* the parameters before the update */
} tsr_ref_layer;

/* Words of each tensor (tsr_ref_layer_names' order; the inputs x, dz, wq ...
 * b2 are as long as z, dx and the gradients). */
void tsr_ref_layer_lengths(const tsr_layer *layer, size_t len[TSR_REF_LAYER_TENSORS]);

/* -1 when out of memory (r freed). */
int tsr_ref_layer_run(const tsr_layer *layer, const tsr_layer_data *in, tsr_ref_layer *r);
/* Tensor k's largest |got - want| over its largest |want|, the element at
 * *at; a parameter's got is the gradient its update implies, (w - w_new) / lr.
 * Tensors a forward pass alone does not make give 0. */
double tsr_ref_layer_error(const tsr_ref_layer *r, int k, const tsr_layer_out *got, size_t *at);
void tsr_ref_layer_free(tsr_ref_layer *r);

/* GeLU's tanh form, which VGELU computes (docs/vector-functions.md). */
double tsr_ref_gelu(double x);

#endif
