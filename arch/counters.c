/* counters.c - the counters' names, in counters.h's order. */
#include "counters.h"

#define TSR_COUNTER_NAME(name, sv, text) text,
const char *const tsr_counter_names[TSR_N_COUNTERS] = {TSR_COUNTERS(TSR_COUNTER_NAME)};
