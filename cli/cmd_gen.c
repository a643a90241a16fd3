/* cmd_gen.c - `tessera gen`: a configuration to RTL (gen/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gen.h"
#include "outdir.h"

const char *const tsr_gen_help =
    "usage: tessera gen CONFIG -o DIR\n"
    "\n"
    "Validate the JSON configuration CONFIG (docs/config.md) and write into DIR:\n"
    "  *.sv                   the RTL, one module per file (top: tessera_die)\n"
    "  files.f                the RTL files in dependency order, top module last\n"
    "  mesh.f, noc.f          the same for the mesh top and the network alone\n"
    "  tessera_tb_die.sv, tessera_tb_mesh.sv, icarus_die.f, icarus_mesh.f\n"
    "                         Icarus Verilog testbench tops and their file lists\n"
    "                         (simulation only; docs/simulators.md)\n"
    "  tessera.core           a FuseSoC (CAPI2) core file for FuseSoC/Edalize flows\n"
    "  config.resolved.json   every configuration key with its value after defaults\n"
    "  energy.json            energy per counted event, pJ\n"
    "  tessera-manifest.txt   the manifest: every file tessera wrote here\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       output directory (required): new, empty, or a previous output\n"
    "                         of `tessera gen` (its manifest lists everything in it); any\n"
    "                         other directory is refused (exit 2). Written through a\n"
    "                         temporary directory renamed into place: on any error nothing is\n"
    "                         left behind (docs/output-dirs.md).\n"
    "  -h, --help             this text\n"
    "\n"
    "Output is deterministic: the same configuration gives byte-identical files.\n";

int tsr_cmd_gen(int argc, char **argv) {
  const char *in, *out;
  if (tsr_cli_parse_in_out(argc, argv, tsr_gen_help, &in, &out, 1)) return 2;
  tsr_config *cfg = tsr_cli_load_config(in);
  if (!cfg) return 2;
  char err[TSR_ERR_LEN];
  int rc = tsr_generate(cfg, out, err);
  free(cfg);
  if (rc) {
    fprintf(stderr, "tessera gen: %s\n", err);
    return rc == TSR_OUT_BAD ? 2 : 1;
  }
  return 0;
}
