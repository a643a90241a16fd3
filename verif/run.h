/* run.h - the runners every simulator front end shares: `tessera-sim` (one
 * die, run_die.c) and `tessera-mesh` (the mesh top, run_mesh.c, declared in
 * run_mesh.h) as callable functions. A front end supplies what makes its
 * simulator and calls the runner with the command line; everything else
 * (options, loading through the host port, the golden and cost model
 * comparisons, the report, the exit status) is the same code whichever
 * simulator runs underneath (docs/simulators.md). */
#ifndef TESSERA_RUN_H
#define TESSERA_RUN_H

#include <stdint.h>

#include "sim.h"

/* A fresh simulator for one program, or NULL (the runner reports a failed
 * simulation). seed starts the flops without reset where the simulator can
 * (Verilator); the harness frees the result after calling its destroy. */
typedef tsr_sim *(*tsr_die_factory)(uint64_t seed);

/* main() of the die runner; argv[0] is not read. Exit status as documented
 * in run_die.c: 0 agreed, 1 mismatch or failed simulation, 2 bad input. */
int tsr_die_main(int argc, char **argv, tsr_die_factory create);

#endif
