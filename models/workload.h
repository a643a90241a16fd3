/* workload.h - transformer model descriptions for the system-scale model
 * (docs/system-model.md, "Model descriptions"): the shape of one transformer
 * layer (hidden size, heads, FFN width) and the training batch, read from a
 * small JSON file or taken from the four models of the Hecaton paper, which
 * are built in and shipped as configs/models/NAME.json. */
#ifndef TESSERA_WORKLOAD_H
#define TESSERA_WORKLOAD_H

#include <stdint.h>

#define TSR_WL_ERR_LEN 512

typedef struct {
  char name[65];
  uint32_t hidden; /* h */
  uint32_t heads;  /* attention heads; divides hidden */
  uint32_t ffn;    /* FFN intermediate width (the paper: 4h) */
  uint32_t layers; /* transformer layers of the model (reported, not modelled) */
  uint32_t batch;  /* b: samples per training batch */
  uint32_t seq;    /* s: tokens per sample */
} tsr_workload;

/* The built-in models: bert-large, bloom-1.7b, gpt3-6.7b, llama2-70b. */
extern const tsr_workload tsr_workloads[];
extern const int tsr_n_workloads;

/* A built-in model by name, or NULL. */
const tsr_workload *tsr_workload_find(const char *name);

/* Load a model description (docs/system-model.md). Returns -1 with err naming
 * the file, the key, the bad value and what is allowed. */
int tsr_workload_load(const char *path, tsr_workload *w, char err[TSR_WL_ERR_LEN]);
int tsr_workload_load_string(const char *text, const char *name, tsr_workload *w,
                             char err[TSR_WL_ERR_LEN]);

/* A built-in name, else a file path. */
int tsr_workload_get(const char *name_or_path, tsr_workload *w, char err[TSR_WL_ERR_LEN]);

#endif
