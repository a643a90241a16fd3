/* counters.c - the counters' names, in counters.h's order. */
#include "counters.h"

const char *const tsr_counter_names[TSR_N_COUNTERS] = {
    "cycles",          "insns",           "imem_read_bits",  "array_busy_cycles",
    "fma_ops",         "wbuf_read_bits",  "wbuf_write_bits", "abuf_read_bits",
    "abuf_write_bits", "wbuf_busy_cycles", "abuf_busy_cycles",
};
