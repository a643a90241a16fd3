/* templates.h - the hand-written leaf blocks of rtl_templates/, compiled
 * into the binary by mk/embed.sh so that `tessera` needs no install path. */
#ifndef TESSERA_TEMPLATES_H
#define TESSERA_TEMPLATES_H

#include <stddef.h>

typedef struct {
  const char *name; /* file name, e.g. "tessera_fma.sv" */
  const char *text;
} tsr_template;

extern const tsr_template tsr_templates[];
extern const size_t tsr_n_templates;

/* The template of that file name, or NULL. */
const char *tsr_template_text(const char *name);

#endif
