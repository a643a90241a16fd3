/* counters.h - the event counters every computing die carries (tessera_perf),
 * in the RTL's order: counter i is read at host CSR 0x40 + 2i (docs/isa.md).
 * The cost model predicts them, the harness compares them, and
 * gen/emit_pkg.c emits their indices into the generated tessera_pkg, so the
 * order is written once. */
#ifndef TESSERA_COUNTERS_H
#define TESSERA_COUNTERS_H

#include <stdint.h>

/* Name, SystemVerilog name (Cnt<Name> in tessera_pkg), name in reports. */
#define TSR_COUNTERS(X)                              \
  X(CYCLES, Cycles, "cycles")                        \
  X(INSNS, Insns, "insns")                           \
  X(IMEM_READ_BITS, ImemReadBits, "imem_read_bits")  \
  X(ARRAY_BUSY, ArrayBusy, "array_busy_cycles")      \
  X(FMA_OPS, FmaOps, "fma_ops")                      \
  X(WBUF_READ_BITS, WbufReadBits, "wbuf_read_bits")  \
  X(WBUF_WRITE_BITS, WbufWriteBits, "wbuf_write_bits") \
  X(ABUF_READ_BITS, AbufReadBits, "abuf_read_bits")  \
  X(ABUF_WRITE_BITS, AbufWriteBits, "abuf_write_bits") \
  X(WBUF_BUSY, WbufBusy, "wbuf_busy_cycles")         \
  X(ABUF_BUSY, AbufBusy, "abuf_busy_cycles")
#define TSR_COUNTER_ENUM(name, sv, text) TSR_CNT_##name,
enum { TSR_COUNTERS(TSR_COUNTER_ENUM) TSR_N_COUNTERS };
#undef TSR_COUNTER_ENUM
extern const char *const tsr_counter_names[TSR_N_COUNTERS];

typedef struct {
  uint64_t c[TSR_N_COUNTERS];
} tsr_counts;

#endif
