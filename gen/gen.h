/* gen.h - turns a loaded configuration into an output directory of RTL and
 * metadata. One emitter per generated block (emit_*.c); hand-written leaf
 * blocks come from rtl_templates/, compiled into the binary (templates.h). */
#ifndef TESSERA_GEN_H
#define TESSERA_GEN_H

#include "config.h"
#include "writer.h"

/* Generate into outdir: everything is written into a temporary directory
 * beside it and renamed into place, so a failure leaves nothing behind and an
 * existing output directory is replaced whole. Returns -1 with err set. */
int tsr_generate(const tsr_config *cfg, const char *outdir, char err[TSR_ERR_LEN]);

/* The emitters. */
void tsr_emit_pe_array(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *die);
void tsr_emit_die(tsr_writer *w, const tsr_config *cfg, const tsr_die_cfg *die);
void tsr_emit_noc(tsr_writer *w, const tsr_config *cfg);
void tsr_emit_noc_ports(tsr_writer *w, const tsr_config *cfg);
void tsr_emit_mesh(tsr_writer *w, const tsr_config *cfg);
/* files.f (dependency order, top last) and the FuseSoC core file. */
void tsr_emit_filelist(tsr_writer *w, const char *const *files, int n);
void tsr_emit_core(tsr_writer *w, const tsr_config *cfg, const char *const *files, int n,
                   const char *top);

/* The banner at the top of every generated SystemVerilog file. */
void tsr_emit_banner(tsr_writer *w, const tsr_config *cfg, const char *what);

#endif
