/* sysmodel.h - the system-scale analytic model: one training iteration
 * (forward and backward) of one transformer layer on a rows x cols mesh,
 * built from the per-operation closed forms of the lockstep cost model
 * (docs/system-model.md):
 *
 *   compute       every die's GEMMs and VADDs from tsr_cost_insn (cost.c), per
 *                 tile class, so a GEMM of any size costs a few calls;
 *   NoP           each collective a chain of SEND/WAIT steps timed with
 *                 tsr_send_cycles, tsr_ni_message_flits and the router, link
 *                 and bypass latencies of noc.h, split into transmission (the
 *                 flits) and link latency (everything else on the chain);
 *   DRAM          bytes over the IO dies' bandwidth (tsr_io_bw_milli, capped by
 *                 the IO link) plus tsr_io_latency_cycles per mini-batch,
 *                 overlapped with the on-package execution (paper III-B);
 *   mini-batching the largest mini-batch the activation buffer holds, layer
 *                 fusion as the weight buffers allow.
 *
 * tsr_sys_linear_cycles composes the same closed forms into the schedule of
 * Hecaton's Algorithm 1 as models/lower.c lowers it; on meshes of at most two
 * rows and two columns it gives the mesh cost model's last retire exactly. */
#ifndef TESSERA_SYSMODEL_H
#define TESSERA_SYSMODEL_H

#include <stdint.h>

#include "config.h"
#include "cost.h"
#include "lower.h"
#include "table3.h"
#include "workload.h"

#define TSR_SYS_ERR_LEN 512

/* A die variant: the dies of the mesh whose resolved configuration
 * (tsr_config.dies, after die_overrides) is the same. */
typedef struct {
  const tsr_die_cfg *die; /* into the private copy: its base die or its per-die table */
  uint32_t count;         /* dies of this variant */
  uint32_t first;         /* the first of them, row * cols + col */
} tsr_sys_variant;

/* One class of D2D links as the model times and prices them: the inner links
 * along the rows (east edges), along the columns (south edges), and the IO
 * dies' links into the mesh. A collective runs at the pace of its slowest
 * member, so a class is timed by its slowest link: link cycles from
 * tsr_link_cycles and, when any is photonic, one flit per tsr_photonic_ser
 * cycles (noc.h, as the mesh cost model's walk); energy per bit is the mean
 * over its links (link_bit, or photonic.pj_per_bit). */
enum { TSR_LC_ROW, TSR_LC_COL, TSR_LC_IO, TSR_N_LC };
extern const char *const tsr_lc_names[TSR_N_LC]; /* row, column, io */
typedef struct {
  uint32_t links, photonic; /* links of the class (edges, each both ways), photonic among them */
  uint32_t cycles;          /* link cycles of the slowest */
  uint32_t pace;            /* cycles per flit of the slowest: Ser if any is photonic, else 1 */
  double pj_per_bit;        /* mean over the class */
} tsr_sys_links;

/* The system as evaluated: a private copy of the configuration whose router,
 * link and DRAM fields the package and sweep settings overwrite, and what the
 * model resolved from it (tsr_sys_resolve): its die variants and link classes. */
typedef struct {
  tsr_config *cfg;
  int peak;    /* compute at peak (units per cycle) instead of the die cost model */
  int overlap; /* on-package execution overlaps DRAM access (paper III-B) */
  int fusion;  /* layer fusion as the weight buffers allow */
  int seq_par; /* 1D tensor parallelism (flat, torus) with sequence parallelism: LayerNorm
                  and the residual on T / N tokens per die (docs/system-model.md) */
  /* resolved */
  int positional;       /* die_overrides or mesh.links.photonic: dies and edges placed by
                           position, so the mesh cannot be reshaped */
  uint32_t rows0, cols0; /* the mesh they were placed on */
  uint32_t n_variants;   /* 1 without die_overrides (the base die, cfg->die) */
  tsr_sys_variant variant[TSR_MAX_OVERRIDES + 1];
  tsr_sys_links links[TSR_N_LC];
  uint32_t photonic_stubs; /* photonic link stubs powered (mesh links and ring segments, each way) */
} tsr_sys;

int tsr_sys_init(tsr_sys *s, const tsr_config *cfg, char err[TSR_SYS_ERR_LEN]);
void tsr_sys_free(tsr_sys *s);
/* After the caller changed the private copy's mesh shape, dies or links:
 * resolve its die variants and link classes again. -1 with err when the
 * model cannot take the change: a mesh with die_overrides or
 * mesh.links.photonic edges reshaped. Without die_overrides the variant is
 * cfg->die itself, so a change of the base die (sweep) needs no call. */
int tsr_sys_resolve(tsr_sys *s, char err[TSR_SYS_ERR_LEN]);
/* Every die's dataflow (the base die's and every variant's), resolved. */
void tsr_sys_set_dataflow(tsr_sys *s, tsr_dataflow df);

/* A D2D link of `gbps` GB/s per direction, `latency_ns` and `pj_per_bit`,
 * as the router sees it: flits of gbps / clock bytes (rounded down to whole
 * words; 64 to 65536 bits, else an error), link latency rounded up to whole
 * cycles (at least one). Every link becomes such an electrical link. */
int tsr_sys_set_link(tsr_sys *s, double gbps, double latency_ns, double pj_per_bit,
                     char err[TSR_SYS_ERR_LEN]);
/* Package kinds (docs/system-model.md, "Packages"): UCIe 1.0 standard
 * (x16 at 16 GT/s: 32 GB/s, 0.5 pJ/bit) and advanced (x64 at 16 GT/s:
 * 128 GB/s, 0.25 pJ/bit), both with the paper's alpha = 10 ns. */
typedef enum { TSR_PKG_STANDARD, TSR_PKG_ADVANCED, TSR_N_PKGS } tsr_package;
extern const char *const tsr_package_names[TSR_N_PKGS];
typedef struct {
  double gbps, latency_ns, pj_per_bit;
} tsr_package_link;
extern const tsr_package_link tsr_packages[TSR_N_PKGS];

/* Layer fusion (docs/system-model.md): attention and FFN fused; attention
 * fused and the FFN layers apart; every linear layer apart. */
enum { TSR_FUSE_ALL, TSR_FUSE_ATTN, TSR_FUSE_NONE, TSR_N_FUSE };
extern const char *const tsr_fuse_names[TSR_N_FUSE]; /* all, attention, none */

/* Latency terms (cycles) and energy classes (pJ) of a layer iteration. */
enum { TSR_T_COMPUTE, TSR_T_LINK, TSR_T_TRANS, TSR_T_DRAM, TSR_N_TTERMS };
enum { TSR_EN_COMPUTE, TSR_EN_SRAM, TSR_EN_NOP, TSR_EN_DRAM, TSR_N_ETERMS };
extern const char *const tsr_tterm_names[TSR_N_TTERMS];
/* The non-linearities the model prices from their instructions. */
enum { TSR_NL_SOFTMAX, TSR_NL_GELU, TSR_NL_LAYERNORM, TSR_NL_RESIDUAL, TSR_N_NL };
extern const char *const tsr_nl_names[TSR_N_NL];
extern const char *const tsr_eterm_names[TSR_N_ETERMS];

typedef struct {
  int feasible;    /* the method can run on this layout */
  const char *why; /* if not, why (static text) */
  double cycles[TSR_N_TTERMS];
  double total_cycles; /* the sum of the terms */
  double seconds;
  double pj[TSR_N_ETERMS];
  double energy_pj;
  double edp;                        /* seconds x joules */
  double block_cycles[TSR_N_BLOCKS]; /* on-package cycles of each block, whole batch */
  double block_terms[TSR_N_BLOCKS][TSR_T_DRAM]; /* the same by term: compute, link, transmission */
  /* Of block_terms' link latency and transmission: the non-linearities' own
   * collectives (LayerNorm's sums over rings), which Table III does not have */
  double block_nl_nop[TSR_N_BLOCKS][2];
  double copy_cycles; /* of compute: Hecaton's local copies of dY into the weight buffer */
  /* Not in cycles[]: transmission behind compute (the dW all-gather's async
   * SENDs while its GEMMs run); with cycles[TSR_T_TRANS], every flit's. */
  double trans_hidden_cycles, block_hidden[TSR_N_BLOCKS];
  /* The linear layers' GEMMs a die runs in the iteration, how many of them run
   * transposed (Y^T = W^T X^T, where the die takes fewer cycles so), and their
   * cycles (in cycles[TSR_T_COMPUTE]) */
  double linear_gemms, linear_transposed, linear_cycles;
  uint32_t mb_samples, minibatches;  /* b per mini-batch, and how many */
  int fusion;          /* TSR_FUSE_*: what runs without DRAM in between */
  double act_need, act_have, wgt_need, wgt_have; /* SRAM per die, words */
  int sram_ok; /* one sample's activations and the fused weights fit */
  double dram_bytes, dram_bytes_per_cycle;
  double nop_bits; /* bits over D2D links, all dies */
  double photonic_static_pj; /* of pj[TSR_EN_NOP]: the photonic stubs' tuning power */
  /* Of cycles[TSR_T_COMPUTE] and pj[]: the non-linearities, forward and
   * backward, as the instructions that run them (docs/system-model.md,
   * "Non-linearities"), by function (tsr_nl_names), and their energy. */
  double nl_cycles[TSR_N_NL], nl_pj;
  double update_cycles; /* of cycles[TSR_T_COMPUTE]: the weight update's VAXPY */
} tsr_sys_result;

/* One layer iteration of workload w with method m. No allocation. */
void tsr_sys_estimate(const tsr_sys *s, const tsr_workload *w, tsr_method m, tsr_sys_result *r);

/* The DRAM overlap rule (paper III-B): n mini-batches whose on-package
 * execution takes `on` cycles each and whose DRAM access takes `off`, as a
 * two-stage pipeline: n max(on, off) + min(on, off); without overlap
 * n (on + off). *exposed gets the DRAM time not hidden: the result - n on. */
double tsr_sys_pipeline(double n, double on, double off, int overlap, double *exposed);

/* A ring collective step chain (docs/system-model.md, "A collective"):
 * cycles from its first SEND's FETCH to the next instruction's FETCH, for n
 * members, messages of `words` words whose last flit counts at the receiver
 * `arrive` cycles after the SEND's FETCH, a VADD of `vadd` cycles after each
 * arrival (reduce-scatter) and a GEMM of `g_first` cycles after the first
 * SEND and `g` after each arrival (the dW all-gather). With `async` the
 * SENDs are async (the lowering's all-gathers with work per tile): each
 * retires in TSR_ASYNC_CYCLES and its flits go on while the GEMM runs. */
uint64_t tsr_sys_ring(const tsr_config *cfg, uint32_t n, uint64_t words, uint64_t arrive,
                      uint64_t vadd, uint64_t g_first, uint64_t g, int async);
/* `arrive` for a message of `words` over `links` links of the bypass ring
 * (ring != 0) or the mesh (links + 1 routers). */
uint64_t tsr_sys_arrive(const tsr_config *cfg, uint64_t words, uint32_t links, int ring);

/* Cycles of a GEMM (M x K times K x N), a VADD or a VAXPY of len words on
 * die d, and its counts, from tsr_cost_insn on one tile of each tile class. */
uint64_t tsr_sys_gemm(const tsr_die_cfg *d, uint64_t m, uint64_t k, uint64_t n, int acc,
                      tsr_counts *counts);
uint64_t tsr_sys_vadd(const tsr_die_cfg *d, uint64_t len, tsr_counts *counts);
uint64_t tsr_sys_vaxpy(const tsr_die_cfg *d, uint64_t len, tsr_counts *counts);

/* The schedule of Algorithm 1 as models/lower.c lowers it, composed from the
 * closed forms: the cycle the last die retires its HALT. Exact when every die
 * sees the same timing (at most two rows and two columns, electrical links,
 * a DRAM that delivers a flit per cycle); larger meshes get the slowest die's
 * schedule without DRAM queueing between dies. -1 with err on a bad layer. */
int tsr_sys_linear_cycles(const tsr_config *cfg, const tsr_linear *layer, uint64_t *end,
                          char err[TSR_SYS_ERR_LEN]);

#endif
