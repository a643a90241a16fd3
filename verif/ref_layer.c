/* ref_layer.c - see ref_layer.h. */
#include "ref_layer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const tsr_ref_layer_names[TSR_REF_LAYER_TENSORS] = {
    "z",  "dx",  "dWq", "dWk",     "dWv",    "dWo",
    "dW1", "dW2", "dgamma1", "dbeta1", "dgamma2", "dbeta2"};

double tsr_ref_gelu(double x) {
  return 0.5 * x * (1.0 + tanh(sqrt(2.0 / acos(-1.0)) * (x + 0.044715 * x * x * x)));
}
static double gelu_grad(double x) {
  double k = sqrt(2.0 / acos(-1.0)), th = tanh(k * (x + 0.044715 * x * x * x));
  return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * k * (1 + 3 * 0.044715 * x * x);
}

/* C = A B (m x k by k x n), either transposed as stored. */
static void mm(const double *a, const double *b, double *c, int m, int k, int n, int ta, int tb) {
  for (int r = 0; r < m; r++)
    for (int q = 0; q < n; q++) {
      double v = 0;
      for (int e = 0; e < k; e++)
        v += (ta ? a[e * m + r] : a[r * k + e]) * (tb ? b[q * k + e] : b[e * n + q]);
      c[r * n + q] = v;
    }
}

static void ln_forward(const double *x, const double *g, const double *b, int B, int D, double *y,
                       double *xhat, double *rstd) {
  for (int t = 0; t < B; t++) {
    double mu = 0, var = 0;
    for (int f = 0; f < D; f++) mu += x[t * D + f] / D;
    for (int f = 0; f < D; f++) var += (x[t * D + f] - mu) * (x[t * D + f] - mu) / D;
    rstd[t] = 1 / sqrt(var + 1e-5);
    for (int f = 0; f < D; f++) {
      xhat[t * D + f] = (x[t * D + f] - mu) * rstd[t];
      y[t * D + f] = xhat[t * D + f] * g[f] + b[f];
    }
  }
}
/* dx = rstd (g - mean(g) - xhat mean(g xhat)), g = dy gamma; dgamma and
 * dbeta summed over the tokens. */
static void ln_backward(const double *dy, const double *xhat, const double *rstd, const double *g,
                        int B, int D, double *dx, double *dg, double *db) {
  for (int t = 0; t < B; t++) {
    double mg = 0, mgx = 0;
    for (int f = 0; f < D; f++) {
      mg += dy[t * D + f] * g[f] / D, mgx += dy[t * D + f] * g[f] * xhat[t * D + f] / D;
      dg[f] += dy[t * D + f] * xhat[t * D + f], db[f] += dy[t * D + f];
    }
    for (int f = 0; f < D; f++)
      dx[t * D + f] = rstd[t] * (dy[t * D + f] * g[f] - mg - xhat[t * D + f] * mgx);
  }
}

void tsr_ref_layer_free(tsr_ref_layer *r) {
  for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++) free(r->want[k]);
  for (int k = 0; k < TSR_REF_LAYER_TENSORS - 2; k++) free(r->w_old[k]);
  memset(r, 0, sizeof *r);
}

void tsr_ref_layer_lengths(const tsr_layer *L, size_t len[TSR_REF_LAYER_TENSORS]) {
  size_t bd = (size_t)L->tokens * L->d_model, dd = (size_t)L->d_model * L->d_model;
  size_t df = (size_t)L->d_model * L->d_ffn;
  size_t l[TSR_REF_LAYER_TENSORS] = {bd, bd, dd, dd, dd, dd, df, df,
                                     L->d_model, L->d_model, L->d_model, L->d_model};
  memcpy(len, l, sizeof l);
}

enum { X, DZ, A, XH1, RS1, Q, K, V, O, Y, BN, XH2, RS2, HH, GL, P, DG, DBN, DY, DO, DQ, DK, DV, DA,
       T1, N_TMP };

int tsr_ref_layer_run(const tsr_layer *L, const tsr_layer_data *in, tsr_ref_layer *r) {
  int B = (int)L->tokens, D = (int)L->d_model, H = (int)L->heads, S = (int)L->seq;
  int F = (int)L->d_ffn, dh = D / H;
  size_t bd = (size_t)B * D, bf = (size_t)B * F;
  const float *src[TSR_REF_LAYER_TENSORS] = {in->x,  in->dz, in->wq, in->wk, in->wv, in->wo,
                                             in->w1, in->w2, in->g1, in->b1, in->g2, in->b2};
  size_t len[TSR_REF_LAYER_TENSORS];
  tsr_ref_layer_lengths(L, len);
  size_t tlen[N_TMP] = {bd, bd, bd, bd, B,  bd, bd, bd, bd, bd, bd, bd, B,
                        bf, bf, (size_t)B * H * S, bf, bd, bd, bd, bd, bd, bd, bd, bd};
  double *t[N_TMP], *w[TSR_REF_LAYER_TENSORS - 2];
  int ok = 1;
  memset(r, 0, sizeof *r);
  r->layer = *L;
  memcpy(r->len, len, sizeof len);
  for (int k = 0; k < N_TMP; k++) ok &= (t[k] = calloc(tlen[k], sizeof(double))) != NULL;
  for (int k = 0; k < TSR_REF_LAYER_TENSORS; k++)
    ok &= (r->want[k] = calloc(len[k], sizeof(double))) != NULL;
  for (int k = 0; k < TSR_REF_LAYER_TENSORS - 2; k++) {
    ok &= (w[k] = malloc(sizeof(double) * len[k + 2])) != NULL;
    ok &= (r->w_old[k] = malloc(sizeof(float) * len[k + 2])) != NULL;
  }
  if (!ok) {
    for (int k = 0; k < N_TMP; k++) free(t[k]);
    for (int k = 0; k < TSR_REF_LAYER_TENSORS - 2; k++) free(w[k]);
    tsr_ref_layer_free(r);
    return -1;
  }
  for (size_t e = 0; e < bd; e++) t[X][e] = in->x[e], t[DZ][e] = L->backward ? in->dz[e] : 0;
  for (int k = 0; k < TSR_REF_LAYER_TENSORS - 2; k++) {
    memcpy(r->w_old[k], src[k + 2], sizeof(float) * len[k + 2]);
    for (size_t e = 0; e < len[k + 2]; e++) w[k][e] = src[k + 2][e];
  }
  double *z = r->want[0], *dx = r->want[1], **dw = r->want + 2, c = 1 / sqrt((double)dh);

  /* forward: A = LN1(X), Y = X + attention(A), Z = Y + gelu(LN2(Y) W1) W2 */
  ln_forward(t[X], w[6], w[7], B, D, t[A], t[XH1], t[RS1]);
  mm(t[A], w[0], t[Q], B, D, D, 0, 0), mm(t[A], w[1], t[K], B, D, D, 0, 0);
  mm(t[A], w[2], t[V], B, D, D, 0, 0);
#define PR(tok, h, j) t[P][((size_t)(tok) * H + (h)) * S + (j)] /* token tok's weights, head h */
  for (int tok = 0; tok < B; tok++)
    for (int h = 0; h < H; h++) {
      int t0 = tok / S * S;
      double m = -INFINITY, sum = 0;
      for (int j = 0; j < S; j++) {
        double dot = 0;
        for (int e = h * dh; e < h * dh + dh; e++)
          dot += t[Q][tok * D + e] * t[K][(t0 + j) * D + e];
        PR(tok, h, j) = dot * c, m = fmax(m, dot * c);
      }
      for (int j = 0; j < S; j++) sum += (PR(tok, h, j) = exp(PR(tok, h, j) - m));
      for (int j = 0; j < S; j++) PR(tok, h, j) /= sum;
      for (int e = h * dh; e < h * dh + dh; e++)
        for (int j = 0; j < S; j++) t[O][tok * D + e] += PR(tok, h, j) * t[V][(t0 + j) * D + e];
    }
  mm(t[O], w[3], t[Y], B, D, D, 0, 0);
  for (size_t e = 0; e < bd; e++) t[Y][e] += t[X][e];
  ln_forward(t[Y], w[8], w[9], B, D, t[BN], t[XH2], t[RS2]);
  mm(t[BN], w[4], t[HH], B, D, F, 0, 0);
  for (size_t e = 0; e < bf; e++) t[GL][e] = tsr_ref_gelu(t[HH][e]);
  mm(t[GL], w[5], z, B, F, D, 0, 0);
  for (size_t e = 0; e < bd; e++) z[e] += t[Y][e];

  /* backward from dZ */
  mm(t[DZ], w[5], t[DG], B, D, F, 0, 1);
  mm(t[GL], t[DZ], dw[5], F, B, D, 1, 0);
  for (size_t e = 0; e < bf; e++) t[DG][e] *= gelu_grad(t[HH][e]);
  mm(t[BN], t[DG], dw[4], D, B, F, 1, 0);
  mm(t[DG], w[4], t[DBN], B, F, D, 0, 1);
  ln_backward(t[DBN], t[XH2], t[RS2], w[8], B, D, t[DY], dw[8], dw[9]);
  for (size_t e = 0; e < bd; e++) t[DY][e] += t[DZ][e];
  mm(t[O], t[DY], dw[3], D, B, D, 1, 0);
  mm(t[DY], w[3], t[DO], B, D, D, 0, 1);
  for (int tok = 0; tok < B; tok++)
    for (int h = 0; h < H; h++) {
      int t0 = tok / S * S;
      double dp[64], rsum = 0; /* seq is at most 64 */
      for (int j = 0; j < S; j++) {
        dp[j] = 0;
        for (int e = h * dh; e < h * dh + dh; e++) {
          dp[j] += t[DO][tok * D + e] * t[V][(t0 + j) * D + e];
          t[DV][(t0 + j) * D + e] += PR(tok, h, j) * t[DO][tok * D + e];
        }
        rsum += PR(tok, h, j) * dp[j];
      }
      for (int j = 0; j < S; j++) {
        double ds = PR(tok, h, j) * (dp[j] - rsum) * c;
        for (int e = h * dh; e < h * dh + dh; e++) {
          t[DQ][tok * D + e] += ds * t[K][(t0 + j) * D + e];
          t[DK][(t0 + j) * D + e] += ds * t[Q][tok * D + e];
        }
      }
    }
#undef PR
  mm(t[A], t[DQ], dw[0], D, B, D, 1, 0), mm(t[A], t[DK], dw[1], D, B, D, 1, 0);
  mm(t[A], t[DV], dw[2], D, B, D, 1, 0);
  mm(t[DQ], w[0], t[DA], B, D, D, 0, 1);
  mm(t[DK], w[1], t[T1], B, D, D, 0, 1);
  for (size_t e = 0; e < bd; e++) t[DA][e] += t[T1][e];
  mm(t[DV], w[2], t[T1], B, D, D, 0, 1);
  for (size_t e = 0; e < bd; e++) t[DA][e] += t[T1][e];
  ln_backward(t[DA], t[XH1], t[RS1], w[6], B, D, dx, dw[6], dw[7]);
  for (size_t e = 0; e < bd; e++) dx[e] += t[DY][e];

  for (int k = 0; k < N_TMP; k++) free(t[k]);
  for (int k = 0; k < TSR_REF_LAYER_TENSORS - 2; k++) free(w[k]);
  return 0;
}

double tsr_ref_layer_error(const tsr_ref_layer *r, int k, const tsr_layer_out *o, size_t *at) {
  const float *got[TSR_REF_LAYER_TENSORS] = {o->z,  o->dx, o->wq, o->wk, o->wv, o->wo,
                                             o->w1, o->w2, o->g1, o->b1, o->g2, o->b2};
  double big = 0, worst = 0;
  *at = 0;
  if (k > 0 && !r->layer.backward) return 0;
  for (size_t e = 0; e < r->len[k]; e++) big = fmax(big, fabs(r->want[k][e]));
  for (size_t e = 0; e < r->len[k]; e++) {
    double g = k < 2 ? got[k][e] : ((double)r->w_old[k - 2][e] - got[k][e]) / r->layer.lr;
    double err = fabs(g - r->want[k][e]) / (big > 0 ? big : 1);
    if (isnan(err)) {
      *at = e;
      return INFINITY;
    }
    if (err > worst) worst = err, *at = e;
  }
  return worst;
}
