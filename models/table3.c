/* table3.c - see table3.h and docs/system-model.md ("The four methods").
 *
 * S below is the volume of a block's output activation, tokens x h words;
 * N = rows x cols, q = sqrt(N) on a square mesh. */
#include "table3.h"

#include <math.h>
#include <string.h>

const char *const tsr_method_names[TSR_N_METHODS] = {"flat", "torus", "optimus", "hecaton"};
const char *const tsr_block_names[TSR_N_BLOCKS] = {"fwd-attention", "fwd-ffn", "bwd-attention",
                                                   "bwd-ffn"};

int tsr_method_find(const char *name) {
  for (int m = 0; m < TSR_N_METHODS; m++)
    if (!strcmp(tsr_method_names[m], name)) return m;
  return -1;
}

static int is_bwd(tsr_block b) {
  return b == TSR_B_BWD_ATTN || b == TSR_B_BWD_FFN;
}
static int is_ffn(tsr_block b) {
  return b == TSR_B_FWD_FFN || b == TSR_B_BWD_FFN;
}

tsr_t3 tsr_table3(tsr_method m, tsr_block b, double n) {
  double q = sqrt(n), bw = is_bwd(b);
  tsr_t3 t = {0, 0, 0};
  switch (m) {
  case TSR_M_FLAT:
    t.alpha = (bw ? 3 : 2) * (n - 1);
    t.gamma = (bw ? 3 : 2) * (n - 1) / n;
    break;
  case TSR_M_TORUS:
    t.alpha = (bw ? 6 : 4) * (n - q);
    t.gamma = bw ? 3 * (n - 1) / (2 * n) : (n - 1) / n;
    break;
  case TSR_M_OPTIMUS: {
    static const double g[TSR_N_BLOCKS] = {2, 5, 4, 10}, x[TSR_N_BLOCKS] = {4, 8, 8, 16};
    double c = log2(n) / (2 * q);
    t.alpha = (bw ? 12 : 4) * (n - q);
    t.gamma = c * g[b];
    t.xi = c * x[b];
    break;
  }
  case TSR_M_HECATON: {
    static const double g[TSR_N_BLOCKS] = {6, 10, 8, 15};
    t.alpha = (bw ? 12 : 8) * (q - 1);
    t.gamma = g[b] * (q - 1) / n;
    break;
  }
  default:
    break;
  }
  return t;
}

int tsr_block_layers(tsr_block b, double h, double f, tsr_layer_dims out[2]) {
  /* attention: QKV (h -> 3h) then O (h -> h); FFN: up (h -> f) then down (f -> h) */
  tsr_layer_dims first = is_ffn(b) ? (tsr_layer_dims){h, f, 1} : (tsr_layer_dims){h, 3 * h, 1};
  tsr_layer_dims second = is_ffn(b) ? (tsr_layer_dims){f, h, 2} : (tsr_layer_dims){h, h, 2};
  out[0] = is_bwd(b) ? second : first;
  out[1] = is_bwd(b) ? first : second;
  return 2;
}

int tsr_layout_ok(tsr_method m, uint32_t rows, uint32_t cols, const char **why) {
  uint32_t n = rows * cols, q = (uint32_t)(sqrt((double)n) + 0.5);
  *why = "";
  if (m == TSR_M_FLAT && n > 2 && (n % 2 || rows < 2 || cols < 2)) {
    *why = "flat-ring needs a Hamiltonian ring of adjacent dies: an even number of dies, at "
           "least two rows and two columns";
    return 0;
  }
  if (m == TSR_M_OPTIMUS && n > 1 && (rows != cols || (q & (q - 1)))) {
    *why = "optimus needs a square mesh whose side is a power of two (recursive doubling)";
    return 0;
  }
  return 1;
}

/* ---- phases ------------------------------------------------------------------------ */

typedef struct {
  tsr_phase *v;
  int n;
} plist;

static void add(plist *p, tsr_phase ph) {
  if (ph.steps == 0 || p->n >= TSR_MAX_PHASES) return;
  p->v[p->n++] = ph;
}

/* A ring collective step chain over n members, each sending `words`. */
static tsr_phase ring_phase(uint32_t n, double words, uint32_t links, tsr_path path, int reduce,
                            double e_links_per_msg, int half) {
  tsr_phase ph = {n > 1 ? n - 1 : 0, words, links, path, reduce, half, (int)n,
                  TSR_ROLE_NONE,     -1,    0,     0,    0, TSR_AXIS_BOTH};
  ph.e_msgs = ph.steps;
  ph.e_links = ph.steps * e_links_per_msg;
  ph.e_routers = path == TSR_PATH_MESH ? 2.0 * ph.steps : 0;
  return ph;
}

static tsr_phase on_axis(tsr_phase ph, int axis) {
  ph.axis = axis;
  return ph;
}

/* A collective's step chain on a folded bypass ring of n members: n >= 3
 * hops two links at most, n = 2 one. */
tsr_phase tsr_bypass_phase(uint32_t n, double words, int reduce, int axis) {
  return on_axis(ring_phase(n, words, n >= 3 ? 2 : 1, TSR_PATH_RING, reduce,
                            n >= 3 ? (2.0 * n - 2) / n : 1, 0),
                 axis);
}

/* Hecaton: Algorithm 1 on each linear layer, on the bypass rings. */
static void hecaton(plist *p, tsr_block b, uint32_t rows, uint32_t cols, double t, double h,
                    double f) {
  tsr_layer_dims ly[2];
  double n = (double)rows * cols;
  tsr_block_layers(b, h, f, ly);
  for (int l = 0; l < 2; l++) {
    uint32_t a = ly[l].orient == 1 ? rows : cols, c = ly[l].orient == 1 ? cols : rows;
    double in = t * ly[l].d_in / n, out = t * ly[l].d_out / n;
    struct {
      uint32_t ring;
      double words;
      int role;
    } coll[3] = {{a, is_bwd(b) ? out : in, TSR_ROLE_AG_IN},
                 {c, is_bwd(b) ? in : out, TSR_ROLE_RS_OUT},
                 {c, in, TSR_ROLE_AG_DW}};
    for (int k = 0; k < (is_bwd(b) ? 3 : 2); k++) {
      uint32_t r = coll[k].ring;
      /* the input's all-gather runs on the column rings for the first layer
         (orient 1: `a` = rows members), the others on the row rings; the fused
         second layer the other way round */
      int axis = (coll[k].role == TSR_ROLE_AG_IN) == (ly[l].orient == 1) ? TSR_AXIS_COL : TSR_AXIS_ROW;
      tsr_phase ph = tsr_bypass_phase(r, coll[k].words, coll[k].role == TSR_ROLE_RS_OUT, axis);
      ph.role = coll[k].role;
      ph.layer = l;
      if (r > 1) add(p, ph);
    }
  }
}

/* Flat-ring: ring all-reduce of S over a Hamiltonian ring of adjacent dies,
 * and in the backward pass one all-gather more. */
static void flat(plist *p, tsr_block b, uint32_t n, double s) {
  add(p, ring_phase(n, s / n, 1, TSR_PATH_MESH, 1, 1, 0));
  add(p, ring_phase(n, s / n, 1, TSR_PATH_MESH, 0, 1, 0));
  if (is_bwd(b)) add(p, ring_phase(n, s / n, 1, TSR_PATH_MESH, 0, 1, 0));
}

/* Torus-ring: two halves of S at once, one reducing rows first, the other
 * columns first; each ring's slowest hop is its wrap-around link, as long as
 * the side. Backward adds an all-gather in the same two halves. */
static void torus(plist *p, tsr_block b, uint32_t rows, uint32_t cols, double s) {
  double n = (double)rows * cols;
  for (int half = 1; half <= 2; half++) {
    uint32_t x = half == 1 ? cols : rows, y = half == 1 ? rows : cols; /* first, second ring */
    double ex = x > 1 ? 2.0 * (x - 1) / x : 0, ey = y > 1 ? 2.0 * (y - 1) / y : 0;
    int ax = half == 1 ? TSR_AXIS_ROW : TSR_AXIS_COL, ay = half == 1 ? TSR_AXIS_COL : TSR_AXIS_ROW;
    add(p, on_axis(ring_phase(x, s / (2 * x), x, TSR_PATH_MESH, 1, ex, half), ax));
    add(p, on_axis(ring_phase(y, s / (2 * n), y, TSR_PATH_MESH, 1, ey, half), ay));
    add(p, on_axis(ring_phase(y, s / (2 * n), y, TSR_PATH_MESH, 0, ey, half), ay));
    add(p, on_axis(ring_phase(x, s / (2 * x), x, TSR_PATH_MESH, 0, ex, half), ax));
    if (is_bwd(b)) {
      add(p, on_axis(ring_phase(y, s / (2 * n), y, TSR_PATH_MESH, 0, ey, half), ay));
      add(p, on_axis(ring_phase(x, s / (2 * x), x, TSR_PATH_MESH, 0, ex, half), ax));
    }
  }
}

/* Optimus: n_bc broadcasts (forward) or broadcasts and reduces (backward,
 * half each) of blocks of (a_g T h + a_x h^2) / (q n_bc) words along lines
 * of q dies, by recursive doubling: log2 q rounds over q/2, q/4, ..., 1 links. */
static void optimus(plist *p, tsr_block b, uint32_t q, double t, double h, double f) {
  if (q < 2) return;
  double r = f / h;
  double ag[TSR_N_BLOCKS] = {2, 1 + r, 4, 2 + 2 * r}, ax[TSR_N_BLOCKS] = {4, 2 * r, 8, 4 * r};
  uint32_t n_bc = (is_bwd(b) ? 12 : 4) * q;
  double words = (ag[b] * t * h + ax[b] * h * h) / ((double)q * n_bc);
  for (int red = 0; red <= is_bwd(b); red++) {
    uint32_t cnt = is_bwd(b) ? n_bc / 2 : n_bc;
    for (uint32_t d = q / 2, senders = 1; d >= 1; d /= 2, senders *= 2) {
      tsr_phase ph = {cnt, words, d, TSR_PATH_MESH, red, 0, (int)q, TSR_ROLE_NONE, -1, 0, 0, 0, TSR_AXIS_BOTH};
      ph.e_msgs = cnt * (double)senders / q;
      ph.e_links = ph.e_msgs * d;
      ph.e_routers = ph.e_msgs * (d + 1);
      add(p, ph);
      if (d == 1) break;
    }
  }
}

int tsr_method_phases(tsr_method m, tsr_block b, uint32_t rows, uint32_t cols, double tokens,
                      double h, double f, tsr_phase out[TSR_MAX_PHASES]) {
  plist p = {out, 0};
  uint32_t n = rows * cols;
  const char *why;
  if (!tsr_layout_ok(m, rows, cols, &why) || n < 2) return 0;
  double s = tokens * h;
  switch (m) {
  case TSR_M_FLAT:
    flat(&p, b, n, s);
    break;
  case TSR_M_TORUS:
    torus(&p, b, rows, cols, s);
    break;
  case TSR_M_OPTIMUS:
    optimus(&p, b, rows, tokens, h, f);
    break;
  case TSR_M_HECATON:
    hecaton(&p, b, rows, cols, tokens, h, f);
    break;
  default:
    break;
  }
  return p.n;
}

/* ---- SRAM -------------------------------------------------------------------------- */

static double max3(double a, double b, double c) {
  return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

double tsr_sram_act_words(tsr_method m, uint32_t rows, uint32_t cols, double t, double h,
                          double f) {
  double n = (double)rows * cols;
  if (m == TSR_M_FLAT || m == TSR_M_TORUS) /* complete activations on every die */
    return max3(t * h, 3 * t * h / n, t * f / n);
  if (m == TSR_M_OPTIMUS) /* its own block and one received block of the largest */
    return 2 * t * (3 * h > f ? 3 * h : f) / n;
  /* Hecaton: the largest all-gathered input or partial sum before a reduce-scatter */
  double need = t * h / n;
  for (int b = 0; b < TSR_N_BLOCKS; b++) {
    tsr_phase ph[TSR_MAX_PHASES];
    int k = tsr_method_phases(m, (tsr_block)b, rows, cols, t, h, f, ph);
    for (int i = 0; i < k; i++)
      if (ph[i].ring_n * ph[i].words > need) need = ph[i].ring_n * ph[i].words;
  }
  return need;
}

double tsr_sram_wgt_words(tsr_method m, uint32_t rows, uint32_t cols, double group_weights,
                          double max_matrix) {
  double n = (double)rows * cols, need = 2 * group_weights / n; /* W and dW */
  if (m == TSR_M_OPTIMUS) need += max_matrix / n;               /* a received block */
  return need;
}
