/* run_mesh.h - the mesh harness (`tessera-mesh`, verif/run_mesh.c) as a
 * function, so that every simulator front end around tessera_mesh runs the
 * same programs, loading, checks and reports: the front end supplies only
 * how to make its simulator (verif/mesh_sim.h) and calls tsr_mesh_main from
 * its main (the Verilator one from main, the SystemC one from sc_main). */
#ifndef TESSERA_RUN_MESH_H
#define TESSERA_RUN_MESH_H

#include <stdint.h>

#include "config.h"
#include "mesh_sim.h"

typedef struct {
  const char *name;  /* the program's name in messages, e.g. "tessera-mesh" */
  int external_dram; /* 1: runs tops generated with mesh.dram.model "external"; 0: "rtl" */
  /* A simulator of the mesh top generated from cfg; flops without a reset
   * start from values drawn from seed where the simulator can. */
  tsr_mesh_sim *(*create)(const tsr_config *cfg, uint64_t seed);
} tsr_mesh_front_end;

/* The command line of tessera-mesh (usage in run_mesh.c); returns the exit
 * status: 0 when everything agreed, 1 on a mismatch, 2 on bad input. */
int tsr_mesh_main(int argc, char **argv, const tsr_mesh_front_end *fe);

#endif
