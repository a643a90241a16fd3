/* config.h - the Tessera system configuration: schema, defaults, loading.
 *
 * One JSON file describes a chiplet system. tsr_config_load() parses it with
 * libjansson, fills every key the user left out with its documented default
 * (docs/config.md), validates ranges and cross-key consistency, and resolves
 * per-die overrides into a per-die table. Errors name the key path, the bad
 * value and what is allowed; nothing here prints or exits.
 */
#ifndef TESSERA_CONFIG_H
#define TESSERA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TSR_MAX_ROWS 64
#define TSR_MAX_COLS 64
#define TSR_MAX_DIES (TSR_MAX_ROWS * TSR_MAX_COLS)
#define TSR_ERR_LEN 512
/* The version, in --version and in the manifests of output directories. */
#define TESSERA_VERSION "0.1.0"
#define TSR_MAX_OVERRIDES 64
#define TSR_MAX_EDGES 256

typedef enum { TSR_DF_WS = 0, TSR_DF_OS = 1 } tsr_dataflow;
typedef enum { TSR_LINK_ELECTRICAL = 0, TSR_LINK_PHOTONIC = 1 } tsr_link_kind;
typedef enum { TSR_ROUTE_XY = 0, TSR_ROUTE_TABLE = 1 } tsr_routing;
/* Where the IO dies' DRAM lives: the RTL (tessera_io_dram) or a model outside
 * it (the SystemC DRAM channel); and that outside model's timing. */
typedef enum { TSR_DRAM_RTL = 0, TSR_DRAM_EXTERNAL = 1 } tsr_dram_model;
typedef enum { TSR_DRAM_SIMPLE = 0, TSR_DRAM_DDR5 = 1 } tsr_dram_timing;

/* DDR5 effects of the outside DRAM channel (mesh.dram.timing "ddr5"). */
typedef struct {
  uint32_t banks;     /* 1..256; row r of the channel lives in bank r % banks */
  uint32_t row_bytes; /* row buffer (page), bytes, power of two 64..65536 */
  double trcd_ns;     /* ACT to first column command */
  double trp_ns;      /* precharge */
  double trefi_ns;    /* refresh interval; 0 = no refresh */
  double trfc_ns;     /* all-bank refresh: the channel is blocked this long */
} tsr_ddr5_cfg;

/* One on-die SRAM global buffer. Words are 32 bits (one FP32 value). */
typedef struct {
  uint64_t bytes;     /* capacity, bytes; multiple of 4 * banks */
  uint32_t banks;     /* power of two, 1..64; word w lives in bank w % banks */
  uint32_t port_bits; /* width of one bank port, bits; 32 (one word) */
} tsr_buffer_cfg;

/* A computing die. Array = pe_count PEs, each lanes x vector FMA units. */
typedef struct {
  uint32_t pe_count;   /* 1..64 */
  uint32_t lanes;      /* 1..64 */
  uint32_t vector;     /* 1..64; pe_count*lanes*vector <= 4096 */
  tsr_dataflow dataflow;
  uint32_t fma_stages; /* FMA pipeline depth, cycles, 1..4 */
  tsr_buffer_cfg weight_buffer;
  tsr_buffer_cfg act_buffer;
  uint32_t imem_words; /* instruction memory, 128-bit instructions, power of two 16..65536 */
  bool local_lanes;    /* units read and write their own banks: no rotation on the
                        * compute port, operands aligned (docs/microarchitecture.md) */
} tsr_die_cfg;

/* One die-to-die edge: die (row, col) and its east or south neighbour. */
typedef struct {
  uint32_t row, col;
  uint32_t south; /* 0 east, 1 south */
} tsr_edge;

typedef struct {
  uint32_t rows, cols;       /* 1..64 each */
  bool bypass_rows;          /* folded bypass ring on every row */
  bool bypass_cols;          /* folded bypass ring on every column */
  bool io_dies;              /* IO dies with DRAM on the left and right edges */
  uint32_t dram_channels;    /* per IO die, 1..16 */
  double dram_gbps;          /* bandwidth per channel, GB/s */
  uint32_t dram_latency_ns;  /* access latency, ns */
  tsr_dram_model dram_model; /* mesh.dram.model */
  tsr_dram_timing dram_timing; /* mesh.dram.timing (external model only) */
  tsr_ddr5_cfg ddr5;           /* mesh.dram.ddr5 */
  tsr_link_kind edge_north, edge_south, edge_west, edge_east; /* link kind per mesh edge side */
  tsr_link_kind inner_links; /* kind of the links between dies */
  uint32_t n_photonic;       /* inner edges made photonic one by one (mesh.links.photonic) */
  tsr_edge photonic[TSR_MAX_EDGES];
} tsr_mesh_cfg;

typedef struct {
  uint32_t flit_bits;    /* 64..1024, multiple of 32 (a head flit needs 64) */
  uint32_t fifo_depth;   /* input FIFO depth, flits, 2..64 */
  tsr_routing routing;
  uint32_t link_latency; /* electrical link latency, cycles, 1..16 */
} tsr_router_cfg;

typedef struct {
  uint32_t wavelengths;          /* 1..64 */
  uint32_t bits_per_wavelength;  /* bits per wavelength per cycle, 1..64 */
  uint32_t eo_oe_latency;        /* E/O + O/E latency, cycles, 1..64 */
  double pj_per_bit;             /* dynamic energy, pJ/bit */
  double static_mw;              /* thermal tuning power per link, mW */
} tsr_photonic_cfg;

/* Energy per counted event, pJ. */
typedef struct {
  double fma_op;            /* one FP32 fused multiply-add */
  double sram_read_bit;     /* global buffer read, per bit */
  double sram_write_bit;    /* global buffer write, per bit */
  double router_flit_bit;   /* router traversal, per bit */
  double link_bit;          /* electrical D2D (UCIe-like) link, per bit */
  double dram_bit;          /* off-package DRAM, per bit */
  double imem_read_bit;     /* instruction fetch, per bit */
} tsr_energy_cfg;

typedef struct {
  double clock_mhz; /* 1..5000 */
  tsr_energy_cfg energy_pj;
} tsr_tech_cfg;

/* One die_overrides entry, kept normalized for config.resolved.json. */
typedef enum { TSR_PARITY_ANY = 0, TSR_PARITY_EVEN = 1, TSR_PARITY_ODD = 2 } tsr_parity;
typedef struct {
  uint32_t row0, row1, col0, col1; /* inclusive rectangle */
  tsr_parity parity;               /* (row + col) % 2 filter, for checkerboards */
  uint32_t set;                    /* bit i: die key i (schema order) given in the override */
  tsr_die_cfg die;                 /* the given values (others unused) */
} tsr_override;

typedef struct {
  char name[65];                  /* [A-Za-z0-9_-], 1..64 chars */
  tsr_mesh_cfg mesh;
  tsr_die_cfg die;                /* the base die, after defaults */
  tsr_router_cfg router;
  tsr_photonic_cfg photonic;
  tsr_tech_cfg technology;
  uint32_t n_overrides;           /* how many die_overrides entries the file had */
  tsr_override overrides[TSR_MAX_OVERRIDES];
  tsr_die_cfg dies[TSR_MAX_DIES]; /* per-die resolved config, index row * cols + col */
} tsr_config;

/* Load, default and validate. On error returns -1 and writes a one-line
 * message to err ("FILE: mesh.rows: 0 is out of range, expected 1..64";
 * JSON syntax errors carry "line L, column C"). The config is heap-sized
 * (per-die table), so callers allocate it: tsr_config *c = malloc(sizeof *c). */
int tsr_config_load(const char *path, tsr_config *cfg, char err[TSR_ERR_LEN]);

/* The same from a string (fuzzing, tests). name is used in messages. */
int tsr_config_load_string(const char *text, const char *name, tsr_config *cfg,
                           char err[TSR_ERR_LEN]);

/* Every key with its resolved value, as indented JSON text (malloc'd). */
char *tsr_config_to_json(const tsr_config *cfg);

/* Energy per counted event for this config, as JSON text (malloc'd). */
char *tsr_energy_to_json(const tsr_config *cfg);

/* Kind of the inner link between die (row, col) and its east (south = 0) or
 * south neighbour: mesh.links.inner unless listed in mesh.links.photonic. */
int tsr_mesh_edge_kind(const tsr_config *cfg, int row, int col, int port);

/* Convenience: FMA units in a die, words in a buffer. */
static inline uint32_t tsr_die_units(const tsr_die_cfg *d) { return d->pe_count * d->lanes * d->vector; }
static inline uint32_t tsr_buffer_words(const tsr_buffer_cfg *b) { return (uint32_t)(b->bytes / 4u); }

#endif
