/* gen.h - turns a loaded configuration into an output directory of RTL and
 * metadata. One emitter per generated block (emit_*.c); hand-written leaf
 * blocks come from rtl_templates/, compiled into the binary (templates.h). */
#ifndef TESSERA_GEN_H
#define TESSERA_GEN_H

#include "config.h"
#include "writer.h"

/* Generate into outdir through gen/outdir.h: everything is written into a
 * temporary directory beside it and renamed into place, so a failure leaves
 * nothing behind and a previous output of `tessera gen` is replaced whole; any
 * other non-empty directory is refused. Returns 0, or TSR_OUT_BAD (the output
 * path: exit 2) or TSR_OUT_IO with err set. */
int tsr_generate(const tsr_config *cfg, const char *outdir, char err[TSR_ERR_LEN]);

/* The emitters. */
/* tessera_pkg: the flit header, instruction and counter definitions of arch/. */
void tsr_emit_pkg(tsr_writer *w, const tsr_config *cfg);
/* The die and its PE array as modules tessera_die<suffix> and
 * tessera_pe_array<suffix>: suffix "" for the base die, "_vK" for the K-th
 * distinct die that die_overrides make (tsr_die_variant). */
void tsr_emit_pe_array(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *die, const char *suffix);
void tsr_emit_die(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *die, const char *suffix);
/* Die variants of a mesh: 0 for dies like the base die, 1.. for each distinct
 * override in order of first appearance (row-major). Fills variant[d] for
 * every die and first[k] with the first die of variant k; returns how many
 * variants there are (at least 1). */
int tsr_die_variants(const tsr_config *cfg, int *variant, int *first);
void tsr_emit_noc(tsr_writer *w, const tsr_config *cfg);
void tsr_emit_noc_ports(tsr_writer *w, const tsr_config *cfg);
void tsr_emit_mesh(tsr_writer *w, const tsr_config *cfg);
/* Width of the mesh top's host_die_i: it selects a die or an IO die. */
unsigned tsr_mesh_host_die_bits(const tsr_config *cfg);
/* The Icarus front end's testbench tops (simulation only): tessera_tb_die
 * around tessera_die, tessera_tb_mesh around tessera_mesh. */
void tsr_emit_tb_die(tsr_writer *w, const tsr_config *cfg);
void tsr_emit_tb_mesh(tsr_writer *w, const tsr_config *cfg);
/* files.f (dependency order, top last) and the FuseSoC core file. */
void tsr_emit_filelist(tsr_writer *w, const char *const *files, int n);
void tsr_emit_core(tsr_writer *w, const tsr_config *cfg, const char *const *files, int n,
                   const char *top);

/* The banner at the top of every generated SystemVerilog file. */
void tsr_emit_banner(tsr_writer *w, const tsr_config *cfg, const char *what);

#endif
