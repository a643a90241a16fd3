/* cmd_estimate.c - `tessera estimate`: the system-scale model of one transformer layer on a
 * configuration (models/sysmodel.h, docs/system-model.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "noc.h"
#include "sys_opts.h"

const char *const tsr_estimate_help =
    "usage: tessera estimate CONFIG --model MODEL --method METHOD [options]\n"
    "\n"
    "The system-scale model (docs/system-model.md): latency and energy of one training\n"
    "iteration (forward and backward) of one transformer layer on CONFIG's mesh of dies,\n"
    "broken down into compute, NoP link latency, NoP transmission, the DRAM time the\n"
    "on-package execution does not hide; energy into compute, SRAM, NoP and DRAM.\n"
    "It prints what it modelled: the die variants (die_overrides) and the link classes\n"
    "(photonic links' flight, serialization, energy and tuning power). --json labels\n"
    "each term a closed form or an estimate.\n"
    "\n"
    "  --model MODEL         bert-large, bloom-1.7b, gpt3-6.7b, llama2-70b, or a model\n"
    "                        description FILE (JSON, docs/system-model.md)\n"
    "  --method METHOD       flat, torus, optimus, hecaton, or all (Table III of the paper)\n"
    "  --batch B, --seq S    samples per batch and tokens per sample (default: the model's)\n"
    "  --mesh RxC            rows x cols instead of the configuration's mesh (refused\n"
    "                        when die_overrides or mesh.links.photonic place dies and\n"
    "                        links by position)\n"
    "  --dataflow DF         ws or os for every die instead of the configuration's\n"
    "                        dataflows\n"
    "  --package KIND        config (the configuration's router and links, photonic ones\n"
    "                        too, the default), standard or advanced (UCIe 1.0 packages,\n"
    "                        every link electrical, docs/system-model.md)\n"
    "  --link-gbps G, --link-ns NS, --link-pj P\n"
    "                        D2D link bandwidth (GB/s), latency (ns), energy (pJ/bit),\n"
    "                        replacing the package's\n"
    "  --compute KIND        model (the die cost model's GEMM cycles, the default) or\n"
    "                        peak (FMA units all busy every cycle)\n"
    "  --no-overlap          DRAM access does not overlap on-package execution\n"
    "  --no-fusion           no layer fusion\n"
    "  --sequence-parallel   flat and torus run LayerNorm and the residual on T / N\n"
    "                        tokens per die between each all-reduce's reduce-scatter\n"
    "                        and all-gather (Megatron-LM's sequence parallelism)\n"
    "  --json                JSON on stdout instead of a table\n"
    "  --repeat N            evaluate N times and report microseconds per estimate (stderr)\n";

static json_t *result_json(const tsr_sys_result *r, tsr_method m) {
  json_t *o = json_object();
  json_object_set_new(o, "method", json_string(tsr_method_names[m]));
  json_object_set_new(o, "feasible", json_boolean(r->feasible));
  if (!r->feasible) {
    json_object_set_new(o, "why", json_string(r->why));
    return o;
  }
  json_object_set_new(o, "latency_s", json_real(r->seconds));
  json_object_set_new(o, "latency_cycles", json_real(r->total_cycles));
  json_t *lc = json_object(), *en = json_object(), *bc = json_object();
  for (int k = 0; k < TSR_N_TTERMS; k++)
    json_object_set_new(lc, tsr_tterm_names[k], json_real(r->cycles[k]));
  for (int k = 0; k < TSR_N_ETERMS; k++)
    json_object_set_new(en, tsr_eterm_names[k], json_real(r->pj[k]));
  for (int k = 0; k < TSR_N_BLOCKS; k++)
    json_object_set_new(bc, tsr_block_names[k], json_real(r->block_cycles[k]));
  json_object_set_new(o, "latency_breakdown_cycles", lc);
  /* what each term is (docs/system-model.md, "What is a closed form and what is an
     estimate"): the non-linearities by function, and what they run */
  json_t *basis = json_object(), *est = json_object();
  json_object_set_new(basis, "compute",
                      json_string("closed form (GEMM, VADD, local copy, the weight update's "
                                  "VAXPY and the non-linearities' instructions: the lockstep "
                                  "cost model); the non-linearities' sequences are the "
                                  "lowered layer's (compute_estimates)"));
  json_object_set_new(o, "weight_update_cycles", json_real(r->update_cycles));
  json_object_set_new(basis, "nop_link_latency",
                      json_string("closed form (SEND/WAIT step chains of the mesh cost model's "
                                  "timing)"));
  json_object_set_new(basis, "nop_transmission",
                      json_string("closed form (flits per message, at the slowest link's pace)"));
  json_object_set_new(basis, "dram_exposed",
                      json_string("estimate: bytes over the IO dies' bandwidth plus latency, "
                                  "overlapped as a two-stage pipeline (paper III-B)"));
  json_object_set_new(o, "latency_basis", basis);
  json_t *el = json_object(), *fn = json_object();
  double nl = 0;
  for (int k = 0; k < TSR_N_NL; k++) {
    json_object_set_new(fn, tsr_nl_names[k], json_real(r->nl_cycles[k]));
    nl += r->nl_cycles[k];
  }
  json_object_set_new(el, "basis",
                      json_string("closed forms of the instructions of the lowered transformer "
                                  "layer's sequences, a per-row instruction where it costs "
                                  "less (docs/system-model.md, Non-linearities)"));
  json_object_set_new(el, "what",
                      json_string("softmax (VTRANS, VMAX passes, GEMMs for row sums and spreads, "
                                  "VEXP, VRECIP, VAXPY, VMUL), GeLU (VGELU; VGELUD and VMUL), "
                                  "LayerNorm (row-sum GEMMs, VRSQRT, VAXPY, VMUL, VADD, its "
                                  "statistics summed over the rings) and the residual VADD, "
                                  "forward and backward"));
  json_object_set_new(el, "cycles", json_real(nl));
  json_object_set_new(el, "cycles_by_function", fn);
  json_object_set_new(el, "energy_pj", json_real(r->nl_pj));
  json_object_set_new(est, "nonlinear", el);
  json_object_set_new(o, "compute_estimates", est);
  json_object_set_new(o, "nop_photonic_static_pj", json_real(r->photonic_static_pj));
  json_object_set_new(o, "compute_local_copy_cycles", json_real(r->copy_cycles));
  json_object_set_new(o, "nop_transmission_hidden_cycles", json_real(r->trans_hidden_cycles));
  json_object_set_new(o, "linear_gemms", json_real(r->linear_gemms));
  json_object_set_new(o, "linear_gemms_transposed", json_real(r->linear_transposed));
  json_object_set_new(o, "linear_gemm_cycles", json_real(r->linear_cycles));
  json_object_set_new(o, "energy_pj", json_real(r->energy_pj));
  json_object_set_new(o, "energy_breakdown_pj", en);
  json_object_set_new(o, "on_package_cycles_by_block", bc);
  json_object_set_new(o, "edp_js", json_real(r->edp));
  json_object_set_new(o, "minibatch_samples", json_integer(r->mb_samples));
  json_object_set_new(o, "minibatches", json_integer(r->minibatches));
  json_object_set_new(o, "fusion", json_string(tsr_fuse_names[r->fusion]));
  json_t *sr = json_object();
  json_object_set_new(sr, "act_need_words", json_real(r->act_need));
  json_object_set_new(sr, "act_have_words", json_real(r->act_have));
  json_object_set_new(sr, "wgt_need_words", json_real(r->wgt_need));
  json_object_set_new(sr, "wgt_have_words", json_real(r->wgt_have));
  json_object_set_new(sr, "fits", json_boolean(r->sram_ok));
  json_object_set_new(o, "sram", sr);
  json_object_set_new(o, "dram_bytes", json_real(r->dram_bytes));
  json_object_set_new(o, "nop_link_bits", json_real(r->nop_bits));
  return o;
}

/* What the model took from the configuration: the die variants and the link classes. */
static void print_header(const tsr_sys *s, const tsr_workload *w) {
  const tsr_config *c = s->cfg;
  double clk = c->technology.clock_mhz;
  printf("%s: h %u, %u heads, ffn %u, batch %u x seq %u\n", w->name, w->hidden, w->heads, w->ffn,
         w->batch, w->seq);
  printf("%s: %u x %u dies, %u die variant%s%s\n", c->name, c->mesh.rows, c->mesh.cols,
         s->n_variants, s->n_variants == 1 ? "" : "s",
         s->n_variants > 1 ? " (every GEMM and VADD at the slowest variant's cycles, "
                             "energy from each variant's counts)"
                           : "");
  for (uint32_t v = 0; v < s->n_variants; v++) {
    const tsr_sys_variant *x = &s->variant[v];
    const tsr_die_cfg *d = x->die;
    printf("  %4u dies of %u FMA units (%u x %u x %u), %s, FMA depth %u, %llu KiB + %llu KiB "
           "(act + wgt), first at (%u, %u)\n",
           x->count, tsr_die_units(d), d->pe_count, d->lanes, d->vector,
           d->dataflow == TSR_DF_OS ? "os" : "ws", d->fma_stages,
           (unsigned long long)d->act_buffer.bytes / 1024,
           (unsigned long long)d->weight_buffer.bytes / 1024, x->first / c->mesh.cols,
           x->first % c->mesh.cols);
  }
  printf("links: %u-bit flits at %.0f MHz (%.1f GB/s on an electrical link); electrical %u "
         "cycles (%.1f ns), %.2f pJ/bit",
         c->router.flit_bits, clk, c->router.flit_bits * clk / 8000.0, c->router.link_latency,
         c->router.link_latency * 1000.0 / clk, c->technology.energy_pj.link_bit);
  if (s->photonic_stubs)
    printf("; photonic 1 + Ser %u + E/O-O/E %u = %u cycles (%.1f ns), a flit every %u cycles "
           "(%.1f GB/s), %.2f pJ/bit, %.1f mW tuning per stub",
           tsr_photonic_ser(c), c->photonic.eo_oe_latency, tsr_link_cycles(c, TSR_LINK_PHOTONIC),
           tsr_link_cycles(c, TSR_LINK_PHOTONIC) * 1000.0 / clk, tsr_photonic_ser(c),
           c->router.flit_bits * clk / 8000.0 / tsr_photonic_ser(c), c->photonic.pj_per_bit,
           c->photonic.static_mw);
  printf("\n");
  for (int k = 0; k < TSR_N_LC; k++) {
    const tsr_sys_links *l = &s->links[k];
    if (!l->links) continue;
    printf("  %-6s %4u links, %4u photonic: timed at %u cycles a link, a flit every %u cycle%s; "
           "%.3f pJ/bit\n",
           tsr_lc_names[k], l->links, l->photonic, l->cycles, l->pace, l->pace == 1 ? "" : "s",
           l->pj_per_bit);
  }
  if (s->photonic_stubs)
    printf("  %u photonic stubs powered (mesh links and ring segments, each way)\n",
           s->photonic_stubs);
  printf("compute %s; overlap %s; fusion %s; sequence parallelism %s\n\n",
         s->peak ? "peak" : "die model", s->overlap ? "on" : "off", s->fusion ? "on" : "off",
         s->seq_par ? "on" : "off");
  printf("%-8s %11s %8s %8s %8s %8s %10s %8s %8s %8s %8s %10s %6s %6s %5s\n", "method",
         "latency_ms", "compute", "nop_lat", "nop_tx", "dram", "energy_mJ", "compute", "sram",
         "nop", "dram", "edp_Js", "n x b", "fused", "sram");
}

static void print_row(const tsr_sys_result *r, tsr_method m) {
  if (!r->feasible) {
    printf("%-8s cannot run: %s\n", tsr_method_names[m], r->why);
    return;
  }
  printf("%-8s %11.4f", tsr_method_names[m], r->seconds * 1e3);
  for (int k = 0; k < TSR_N_TTERMS; k++)
    printf(" %7.1f%%", 100 * r->cycles[k] / r->total_cycles);
  printf(" %10.3f", r->energy_pj * 1e-9);
  for (int k = 0; k < TSR_N_ETERMS; k++)
    printf(" %7.1f%%", 100 * r->pj[k] / r->energy_pj);
  printf(" %10.3e %3ux%-2u %6s %5s\n", r->edp, r->minibatches, r->mb_samples,
         r->fusion == TSR_FUSE_ALL    ? "all"
         : r->fusion == TSR_FUSE_ATTN ? "attn"
                                      : "none",
         r->sram_ok ? "ok" : "over");
}

static int apply_link(const tsr_sys_opts *o, const char *help, tsr_sys *s, const char *pkg_name) {
  char err[TSR_SYS_ERR_LEN];
  tsr_config *c = s->cfg;
  double clk = c->technology.clock_mhz;
  tsr_package_link l = {c->router.flit_bits * clk / 8000.0, c->router.link_latency * 1000.0 / clk,
                        c->technology.energy_pj.link_bit};
  int given = 0;
  if (pkg_name && strcmp(pkg_name, "config")) {
    int k = -1;
    for (int i = 0; i < TSR_N_PKGS; i++)
      if (!strcmp(pkg_name, tsr_package_names[i])) k = i;
    if (k < 0)
      return tsr_sys_bad(o, help, "--package: '%s' is not allowed, expected config, standard or advanced",
                 pkg_name);
    l = tsr_packages[k];
    given = 1;
  }
  const char *names[3] = {"--link-gbps", "--link-ns", "--link-pj"};
  const char *vals[3] = {o->gbps, o->ns, o->link_pj};
  double *dst[3] = {&l.gbps, &l.latency_ns, &l.pj_per_bit};
  for (int i = 0; i < 3; i++) {
    if (!vals[i]) continue;
    if (tsr_sys_parse_double(vals[i], dst[i]))
      return tsr_sys_bad(o, help, "%s: '%s' is not a number", names[i], vals[i]);
    given = 1;
  }
  if (given && tsr_sys_set_link(s, l.gbps, l.latency_ns, l.pj_per_bit, err)) {
    fprintf(stderr, "tessera %s: %s\n", o->cmd, err);
    return 2;
  }
  return 0;
}

int tsr_cmd_estimate(int argc, char **argv) {
  tsr_sys_opts o;
  int rc = tsr_sys_parse_opts(argc, argv, tsr_estimate_help, 0, &o);
  if (rc) return rc;
  int methods[TSR_N_METHODS], n_m = 0;
  if (!strcmp(o.methods, "all")) {
    for (int m = 0; m < TSR_N_METHODS; m++)
      methods[n_m++] = m;
  } else if ((methods[0] = tsr_method_find(o.methods)) >= 0) {
    n_m = 1;
  } else {
    return tsr_sys_bad(&o, tsr_estimate_help, "--method: '%s' is not allowed, expected %s", o.methods,
               "flat, torus, optimus, hecaton or all");
  }
  uint32_t rows = 0, cols = 0;
  if (o.mesh && tsr_sys_parse_shape(o.mesh, &rows, &cols))
    return tsr_sys_bad(&o, tsr_estimate_help,
               "--mesh: '%s' is not allowed, expected RxC with rows and "
               "cols 1..64",
               o.mesh);
  tsr_sys s;
  tsr_workload w;
  if ((rc = tsr_sys_setup(&o, tsr_estimate_help, &s, &w))) return rc;
  if (rows) {
    char err[TSR_SYS_ERR_LEN];
    s.cfg->mesh.rows = rows, s.cfg->mesh.cols = cols;
    if (tsr_sys_resolve(&s, err)) {
      fprintf(stderr, "tessera estimate: --mesh %s: %s\n", o.mesh, err);
      rc = 2;
      goto done;
    }
  }
  if (o.dataflow && strcmp(o.dataflow, "ws") && strcmp(o.dataflow, "os")) {
    rc = tsr_sys_bad(&o, tsr_estimate_help, "--dataflow: '%s' is not allowed, expected ws or os",
             o.dataflow);
    goto done;
  }
  if (o.dataflow) tsr_sys_set_dataflow(&s, strcmp(o.dataflow, "os") ? TSR_DF_WS : TSR_DF_OS);
  if ((rc = apply_link(&o, tsr_estimate_help, &s, o.package))) goto done;
  tsr_sys_result res[TSR_N_METHODS];
  for (int i = 0; i < n_m; i++)
    tsr_sys_estimate(&s, &w, (tsr_method)methods[i], &res[i]);
  for (int i = 0; i < n_m; i++) /* never inf or nan on the terminal (issue 19) */
    if ((rc = tsr_sys_check_finite(&o, &res[i], methods[i]))) goto done;
  if (o.repeat) {
    double t0 = tsr_sys_cpu_s(), sink = 0;
    for (long k = 0; k < o.repeat; k++) {
      tsr_sys_estimate(&s, &w, (tsr_method)methods[0], &res[0]);
      sink += res[0].seconds;
    }
    double us = (tsr_sys_cpu_s() - t0) / o.repeat * 1e6;
    fprintf(stderr, "%ld estimates of %s (%s, %u x %u): %.3f us of CPU each (checksum %g)\n",
            o.repeat, w.name, tsr_method_names[methods[0]], s.cfg->mesh.rows, s.cfg->mesh.cols, us,
            sink);
  }
  if (o.json) {
    json_t *root = json_object(), *arr = json_array(), *sys = json_object(), *mod = json_object();
    const tsr_config *c = s.cfg;
    json_object_set_new(root, "config", json_string(c->name));
    json_object_set_new(mod, "name", json_string(w.name));
    json_object_set_new(mod, "hidden", json_integer(w.hidden));
    json_object_set_new(mod, "heads", json_integer(w.heads));
    json_object_set_new(mod, "ffn", json_integer(w.ffn));
    json_object_set_new(mod, "batch", json_integer(w.batch));
    json_object_set_new(mod, "seq", json_integer(w.seq));
    json_object_set_new(root, "model", mod);
    json_object_set_new(sys, "rows", json_integer(c->mesh.rows));
    json_object_set_new(sys, "cols", json_integer(c->mesh.cols));
    json_object_set_new(sys, "clock_mhz", json_real(c->technology.clock_mhz));
    json_t *vars = json_array(), *links = json_object();
    for (uint32_t v = 0; v < s.n_variants; v++) {
      const tsr_sys_variant *x = &s.variant[v];
      json_t *j = json_object();
      json_object_set_new(j, "dies", json_integer(x->count));
      json_object_set_new(j, "first_row", json_integer(x->first / c->mesh.cols));
      json_object_set_new(j, "first_col", json_integer(x->first % c->mesh.cols));
      json_object_set_new(j, "fma_units", json_integer(tsr_die_units(x->die)));
      json_object_set_new(j, "dataflow", json_string(x->die->dataflow == TSR_DF_OS ? "os" : "ws"));
      json_object_set_new(j, "act_buffer_bytes", json_integer((json_int_t)x->die->act_buffer.bytes));
      json_object_set_new(j, "weight_buffer_bytes",
                          json_integer((json_int_t)x->die->weight_buffer.bytes));
      json_array_append_new(vars, j);
    }
    json_object_set_new(sys, "die_variants", vars);
    for (int k = 0; k < TSR_N_LC; k++) {
      const tsr_sys_links *l = &s.links[k];
      json_t *j = json_object();
      json_object_set_new(j, "links", json_integer(l->links));
      json_object_set_new(j, "photonic", json_integer(l->photonic));
      json_object_set_new(j, "cycles", json_integer(l->cycles));
      json_object_set_new(j, "cycles_per_flit", json_integer(l->pace));
      json_object_set_new(j, "pj_per_bit", json_real(l->pj_per_bit));
      json_object_set_new(links, tsr_lc_names[k], j);
    }
    json_object_set_new(sys, "link_classes", links);
    json_object_set_new(sys, "photonic_stubs", json_integer(s.photonic_stubs));
    json_object_set_new(sys, "link_flit_bits", json_integer(c->router.flit_bits));
    json_object_set_new(sys, "link_latency_cycles", json_integer(c->router.link_latency));
    json_object_set_new(sys, "link_pj_per_bit", json_real(c->technology.energy_pj.link_bit));
    json_object_set_new(sys, "compute", json_string(s.peak ? "peak" : "model"));
    json_object_set_new(sys, "overlap", json_boolean(s.overlap));
    json_object_set_new(sys, "fusion", json_boolean(s.fusion));
    json_object_set_new(sys, "sequence_parallel", json_boolean(s.seq_par));
    json_object_set_new(root, "system", sys);
    for (int i = 0; i < n_m; i++) {
      json_t *r = result_json(&res[i], (tsr_method)methods[i]);
      if (i == 0 && res[i].feasible)
        json_object_set_new(sys, "dram_bytes_per_cycle", json_real(res[i].dram_bytes_per_cycle));
      json_array_append_new(arr, r);
    }
    json_object_set_new(root, "methods", arr);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
    if (text) printf("%s\n", text);
    free(text);
    json_decref(root);
  } else {
    print_header(&s, &w);
    for (int i = 0; i < n_m; i++)
      print_row(&res[i], (tsr_method)methods[i]);
  }
done:
  tsr_sys_free(&s);
  return rc;
}
