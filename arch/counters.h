/* counters.h - the event counters every computing die carries (tessera_perf,
 * rtl_templates/tessera_perf.sv), in the RTL's order: counter i is read at
 * host CSR 0x40 + 2i (docs/isa.md). The cost model predicts them and the
 * harness compares them in this order. */
#ifndef TESSERA_COUNTERS_H
#define TESSERA_COUNTERS_H

#include <stdint.h>

enum {
  TSR_CNT_CYCLES,
  TSR_CNT_INSNS,
  TSR_CNT_IMEM_READ_BITS,
  TSR_CNT_ARRAY_BUSY,
  TSR_CNT_FMA_OPS,
  TSR_CNT_WBUF_READ_BITS,
  TSR_CNT_WBUF_WRITE_BITS,
  TSR_CNT_ABUF_READ_BITS,
  TSR_CNT_ABUF_WRITE_BITS,
  TSR_CNT_WBUF_BUSY,
  TSR_CNT_ABUF_BUSY,
  TSR_N_COUNTERS
};
extern const char *const tsr_counter_names[TSR_N_COUNTERS];

typedef struct {
  uint64_t c[TSR_N_COUNTERS];
} tsr_counts;

#endif
