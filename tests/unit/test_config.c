/* test_config.c - the configuration loader: defaults, every class of error
 * (each message must name the key path, the value and what is allowed),
 * per-die overrides, and the resolved JSON round trip. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "suites.h"

static tsr_config *cfg;
static char err[TSR_ERR_LEN];
static void setup(void) {
  cfg = calloc(1, sizeof *cfg);
  err[0] = '\0';
}
static void teardown(void) {
  free(cfg);
}

static int load(const char *text) {
  return tsr_config_load_string(text, "t.json", cfg, err);
}

/* ---- defaults ------------------------------------------------------------------- */

START_TEST(minimal_gets_hecaton_defaults) {
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 2}}"), 0);
  ck_assert_str_eq(cfg->name, "tessera");
  const tsr_mesh_cfg *m = &cfg->mesh;
  ck_assert_uint_eq(m->rows, 2);
  ck_assert_uint_eq(m->cols, 2);
  ck_assert(m->bypass_rows && m->bypass_cols && m->io_dies);
  ck_assert_uint_eq(m->dram_channels, 2);
  ck_assert_double_eq(m->dram_gbps, 51.2);
  ck_assert_uint_eq(m->dram_latency_ns, 100);
  ck_assert_int_eq(m->dram_model, TSR_DRAM_RTL);
  ck_assert_int_eq(m->dram_timing, TSR_DRAM_SIMPLE);
  ck_assert_uint_eq(m->ddr5.banks, 32);
  ck_assert_uint_eq(m->ddr5.row_bytes, 1024);
  ck_assert_double_eq(m->ddr5.trcd_ns, 14.375);
  ck_assert_double_eq(m->ddr5.trp_ns, 14.375);
  ck_assert_double_eq(m->ddr5.trefi_ns, 3900);
  ck_assert_double_eq(m->ddr5.trfc_ns, 295);
  ck_assert_int_eq(m->inner_links, TSR_LINK_ELECTRICAL);
  ck_assert_int_eq(m->edge_north, TSR_LINK_ELECTRICAL);
  ck_assert_int_eq(m->edge_east, TSR_LINK_ELECTRICAL);

  const tsr_die_cfg *d = &cfg->die;
  ck_assert_uint_eq(d->pe_count, 16);
  ck_assert_uint_eq(d->lanes, 16);
  ck_assert_uint_eq(d->vector, 16);
  ck_assert_uint_eq(tsr_die_units(d), 4096);
  ck_assert_int_eq(d->dataflow, TSR_DF_WS);
  ck_assert_uint_eq(d->fma_stages, 2);
  ck_assert_uint_eq(d->weight_buffer.bytes, 4194304);
  ck_assert_uint_eq(d->weight_buffer.banks, 16);
  ck_assert_uint_eq(d->weight_buffer.port_bits, 32);
  ck_assert_uint_eq(d->act_buffer.bytes, 4194304);
  ck_assert_uint_eq(d->act_buffer.banks, 16);
  ck_assert_uint_eq(d->act_buffer.port_bits, 32);
  ck_assert_uint_eq(d->imem_words, 1024);
  ck_assert_uint_eq(cfg->n_overrides, 0);
  for (int i = 0; i < 4; i++)
    ck_assert_mem_eq(&cfg->dies[i], d, sizeof *d);
  ck_assert_uint_eq(cfg->dies[4].pe_count, 0); /* outside the 2x2 mesh: untouched */

  ck_assert_uint_eq(cfg->router.flit_bits, 128);
  ck_assert_uint_eq(cfg->router.fifo_depth, 4);
  ck_assert_int_eq(cfg->router.routing, TSR_ROUTE_XY);
  ck_assert_uint_eq(cfg->router.link_latency, 1);

  ck_assert_uint_eq(cfg->photonic.wavelengths, 16);
  ck_assert_uint_eq(cfg->photonic.bits_per_wavelength, 8);
  ck_assert_uint_eq(cfg->photonic.eo_oe_latency, 4);
  ck_assert_double_eq(cfg->photonic.pj_per_bit, 0.54);
  ck_assert_double_eq(cfg->photonic.static_mw, 10.0);

  const tsr_energy_cfg *e = &cfg->technology.energy_pj;
  ck_assert_double_eq(cfg->technology.clock_mhz, 800);
  ck_assert_double_eq(e->fma_op, 4.6);
  ck_assert_double_eq(e->sram_read_bit, 0.81);
  ck_assert_double_eq(e->sram_write_bit, 0.81);
  ck_assert_double_eq(e->router_flit_bit, 0.16);
  ck_assert_double_eq(e->link_bit, 0.5);
  ck_assert_double_eq(e->dram_bit, 14.8);
  ck_assert_double_eq(e->imem_read_bit, 0.22);
}
END_TEST

START_TEST(empty_object_is_one_die) {
  ck_assert_int_eq(load("{}"), 0);
  ck_assert_uint_eq(cfg->mesh.rows, 1);
  ck_assert_uint_eq(cfg->mesh.cols, 1);
  ck_assert_uint_eq(cfg->dies[0].pe_count, 16);
}
END_TEST

START_TEST(every_key_is_read) {
  ck_assert_int_eq(
      load("{\"name\": \"x-1_Y\", \"mesh\": {\"rows\": 64, \"cols\": 3, \"bypass_rows\": false,"
           " \"bypass_cols\": false, \"io_dies\": false, \"dram\": {\"channels\": 16,"
           " \"gbps\": 1024, \"latency_ns\": 10000, \"model\": \"external\", \"timing\": \"ddr5\","
           " \"ddr5\": {\"banks\": 256, \"row_bytes\": 65536, \"trcd_ns\": 1000, \"trp_ns\": 0,"
           " \"trefi_ns\": 0, \"trfc_ns\": 10000}}, \"links\": {\"inner\": \"photonic\","
           " \"north\": \"photonic\", \"south\": \"electrical\", \"west\": \"photonic\","
           " \"east\": \"photonic\"}},"
           " \"die\": {\"pe_count\": 1, \"lanes\": 64, \"vector\": 64, \"dataflow\": \"os\","
           " \"fma_stages\": 4, \"weight_buffer\": {\"bytes\": 16384, \"banks\": 32,"
           " \"port_bits\": 32}, \"act_buffer\": {\"bytes\": 32768, \"banks\": 64},"
           " \"imem_words\": 65536},"
           " \"router\": {\"flit_bits\": 1024, \"fifo_depth\": 64, \"routing\": \"table\","
           " \"link_latency\": 16},"
           " \"photonic\": {\"wavelengths\": 64, \"bits_per_wavelength\": 1, \"eo_oe_latency\": 64,"
           " \"pj_per_bit\": 0, \"static_mw\": 10000},"
           " \"technology\": {\"clock_mhz\": 5000, \"energy_pj\": {\"fma_op\": 1, "
           " \"sram_read_bit\": 2, \"sram_write_bit\": 3, \"router_flit_bit\": 4, \"link_bit\": 5,"
           " \"dram_bit\": 6, \"imem_read_bit\": 1000000}}}"),
      0);
  ck_assert_str_eq(cfg->name, "x-1_Y");
  ck_assert_uint_eq(cfg->mesh.rows, 64);
  ck_assert(!cfg->mesh.bypass_rows && !cfg->mesh.bypass_cols && !cfg->mesh.io_dies);
  ck_assert_uint_eq(cfg->mesh.dram_channels, 16);
  ck_assert_double_eq(cfg->mesh.dram_gbps, 1024);
  ck_assert_int_eq(cfg->mesh.dram_model, TSR_DRAM_EXTERNAL);
  ck_assert_int_eq(cfg->mesh.dram_timing, TSR_DRAM_DDR5);
  ck_assert_uint_eq(cfg->mesh.ddr5.banks, 256);
  ck_assert_uint_eq(cfg->mesh.ddr5.row_bytes, 65536);
  ck_assert_double_eq(cfg->mesh.ddr5.trcd_ns, 1000);
  ck_assert_double_eq(cfg->mesh.ddr5.trefi_ns, 0); /* no refresh: any tRFC */
  ck_assert_double_eq(cfg->mesh.ddr5.trfc_ns, 10000);
  ck_assert_int_eq(cfg->mesh.inner_links, TSR_LINK_PHOTONIC);
  ck_assert_int_eq(cfg->mesh.edge_north, TSR_LINK_PHOTONIC);
  ck_assert_int_eq(cfg->mesh.edge_south, TSR_LINK_ELECTRICAL);
  ck_assert_int_eq(cfg->mesh.edge_west, TSR_LINK_PHOTONIC);
  ck_assert_uint_eq(tsr_die_units(&cfg->die), 4096);
  ck_assert_int_eq(cfg->die.dataflow, TSR_DF_OS);
  ck_assert_uint_eq(cfg->die.weight_buffer.banks, 32);
  ck_assert_uint_eq(cfg->die.act_buffer.banks, 64);
  ck_assert_uint_eq(cfg->die.act_buffer.port_bits, 32); /* default kept beside given keys */
  ck_assert_uint_eq(cfg->die.imem_words, 65536);
  ck_assert_int_eq(cfg->router.routing, TSR_ROUTE_TABLE);
  ck_assert_uint_eq(cfg->router.link_latency, 16);
  ck_assert_uint_eq(cfg->photonic.bits_per_wavelength, 1);
  ck_assert_double_eq(cfg->photonic.pj_per_bit, 0);
  ck_assert_double_eq(cfg->technology.clock_mhz, 5000);
  ck_assert_double_eq(cfg->technology.energy_pj.router_flit_bit, 4);
  ck_assert_double_eq(cfg->technology.energy_pj.imem_read_bit, 1e6);
  ck_assert_int_eq(cfg->dies[64 * 3 - 1].dataflow, TSR_DF_OS);
}
END_TEST

/* ---- errors --------------------------------------------------------------------- */

/* Each input must fail with a message that contains the text given. */
static const char *const bad[][2] = {
    /* range */
    {"{\"mesh\": {\"rows\": 0}}", "t.json: mesh.rows: 0 is out of range, expected 1..64"},
    {"{\"mesh\": {\"cols\": 65}}", "t.json: mesh.cols: 65 is out of range, expected 1..64"},
    {"{\"die\": {\"fma_stages\": 5}}", "die.fma_stages: 5 is out of range, expected 1..4"},
    {"{\"mesh\": {\"dram\": {\"gbps\": 0}}}",
     "mesh.dram.gbps: 0 is out of range, expected more than 0, at most 1024"},
    {"{\"mesh\": {\"dram\": {\"gbps\": 1024.5}}}", "mesh.dram.gbps: 1024.5 is out of range"},
    {"{\"technology\": {\"energy_pj\": {\"dram_bit\": -0.5}}}",
     "technology.energy_pj.dram_bit: -0.5 is out of range, expected 0..1000000"},
    {"{\"technology\": {\"clock_mhz\": 0.5}}",
     "technology.clock_mhz: 0.5 is out of range, expected 1..5000"},
    {"{\"die\": {\"weight_buffer\": {\"bytes\": 134217728}}}",
     "die.weight_buffer.bytes: 134217728 is out of range, expected 64..67108864"},
    {"{\"die\": {\"imem_words\": 8}}", "die.imem_words: 8 is out of range, expected 16, 32, 64"},
    /* unknown keys, at every level */
    {"{\"die\": {\"lanez\": 1}}",
     "t.json: die.lanez: unknown key, expected one of pe_count, lanes, vector, dataflow, "
     "fma_stages, weight_buffer, act_buffer, imem_words, local_lanes"},
    {"{\"extra\": 1}",
     "t.json: extra: unknown key, expected one of name, mesh, die, die_overrides"},
    {"{\"mesh\": {\"dram\": {\"speed\": 1}}}", "mesh.dram.speed: unknown key, expected one of "
                                               "channels, gbps, latency_ns, model, timing, ddr5"},
    {"{\"die\": {\"act_buffer\": {\"ports\": 1}}}", "die.act_buffer.ports: unknown key"},
    {"{\"die_overrides\": [{\"rows\": 0, \"die\": {}}]}",
     "die_overrides[0].rows: unknown key, expected one of row, col, parity, die"},
    {"{\"die\": {\"a b\": 1}}", "die.\"a b\": unknown key"},
    /* types */
    {"{\"die\": {\"lanes\": \"4\"}}",
     "t.json: die.lanes: \"4\" is a string, expected an integer 1..64"},
    {"{\"die\": {\"lanes\": 4.5}}", "die.lanes: 4.5 is a real number, expected an integer 1..64"},
    {"{\"die\": {\"lanes\": 4.0}}", "die.lanes: 4.0 is a real number, expected an integer"},
    {"{\"die\": {\"lanes\": null}}", "die.lanes: null is not a value, expected an integer 1..64"},
    {"{\"mesh\": {\"io_dies\": 1}}", "mesh.io_dies: 1 is an integer, expected true or false"},
    {"{\"mesh\": {\"dram\": {\"gbps\": \"fast\"}}}",
     "mesh.dram.gbps: \"fast\" is a string, expected a number"},
    {"{\"mesh\": 3}", "t.json: mesh: 3 is an integer, expected an object"},
    {"{\"die\": {\"weight_buffer\": [1]}}",
     "die.weight_buffer: [1] is an array, expected an object"},
    {"{\"die\": {\"dataflow\": 1}}", "die.dataflow: 1 is an integer, expected \"ws\" or \"os\""},
    {"{\"name\": 7}", "name: 7 is an integer, expected a string of 1..64 characters"},
    /* power of two, multiple of 32, the port width */
    {"{\"die\": {\"weight_buffer\": {\"banks\": 6}}}",
     "t.json: die.weight_buffer.banks: 6 is not a power of two, expected 1, 2, 4, ..., 64"},
    {"{\"die\": {\"imem_words\": 1000}}",
     "die.imem_words: 1000 is not a power of two, expected 16, 32, 64, ..., 65536"},
    {"{\"router\": {\"flit_bits\": 100}}",
     "router.flit_bits: 100 is not a multiple of 32, expected 64, 96, 128, ..., 1024"},
    {"{\"die\": {\"act_buffer\": {\"port_bits\": 48}}}",
     "die.act_buffer.port_bits: 48 is not a power of two, expected 32, 64, 128, ..., 1024"},
    {"{\"die\": {\"pe_count\": 1, \"lanes\": 1, \"vector\": 1, \"act_buffer\": {\"bytes\": 2048,"
     " \"banks\": 16, \"port_bits\": 1024}}}",
     "die.act_buffer.port_bits: 1024 leaves fewer than 2 rows per bank in 2048 bytes, expected "
     "at most 512"},
    /* names and choices */
    {"{\"die\": {\"dataflow\": \"rs\"}}",
     "die.dataflow: \"rs\" is not allowed, expected \"ws\" or \"os\""},
    {"{\"router\": {\"routing\": \"west-first\"}}",
     "router.routing: \"west-first\" is not allowed, expected \"xy\" or \"table\""},
    {"{\"mesh\": {\"links\": {\"east\": \"optical\"}}}",
     "mesh.links.east: \"optical\" is not allowed, expected \"electrical\" or \"photonic\""},
    {"{\"name\": \"my chip\"}", "name: \"my chip\" is not allowed, expected 1..64 characters"},
    {"{\"name\": \"\"}", "name: \"\" is not allowed"},
    /* the DRAM model and its DDR5 timing */
    {"{\"mesh\": {\"dram\": {\"model\": \"systemc\"}}}",
     "mesh.dram.model: \"systemc\" is not allowed, expected \"rtl\" or \"external\""},
    {"{\"mesh\": {\"dram\": {\"timing\": \"ddr5\"}}}",
     "mesh.dram.timing: \"ddr5\" is not allowed with mesh.dram.model \"rtl\", expected \"simple\""},
    {"{\"mesh\": {\"dram\": {\"model\": \"external\", \"ddr5\": {\"trefi_ns\": 200}}}}",
     "mesh.dram.ddr5.trfc_ns: 295 is too long for trefi_ns = 200, expected less than the refresh"},
    {"{\"mesh\": {\"dram\": {\"ddr5\": {\"row_bytes\": 1000}}}}",
     "mesh.dram.ddr5.row_bytes: 1000 is not a power of two, expected 64, 128, 256, ..., 65536"},
    {"{\"mesh\": {\"dram\": {\"ddr5\": {\"banks\": 0}}}}",
     "mesh.dram.ddr5.banks: 0 is out of range, expected 1..256"},
    {"{\"name\": \"a123456789a123456789a123456789a123456789a123456789a123456789abcde\"}",
     "is too long (65 characters), expected 1..64"},
    /* syntax */
    {"{\n  \"mesh\": {\n    \"rows\": 1,,\n  }\n}",
     "t.json: line 3, column 15: string or '}' expected near ','"},
    {"{\"mesh\": {\"rows\": 2, \"rows\": 3}}", "mesh.rows: is a duplicate key"},
    {"", "t.json: line 1, column 0: "},
    {"[1, 2]", "t.json: [1,2] is an array, expected an object"},
    /* rules across keys */
    {"{\"die\": {\"pe_count\": 64, \"lanes\": 64, \"vector\": 2}}",
     "t.json: die: pe_count x lanes x vector = 64 x 64 x 2 = 8192 FMA units is too many, "
     "expected at most 4096"},
    {"{\"die\": {\"pe_count\": 2, \"lanes\": 2, \"vector\": 2, \"weight_buffer\": {\"bytes\": "
     "28}}}",
     "die.weight_buffer.bytes: 28 is out of range"},
    {"{\"die\": {\"pe_count\": 4, \"lanes\": 4, \"vector\": 4, \"weight_buffer\": {\"bytes\": 128,"
     " \"banks\": 4}}}",
     "die.weight_buffer.bytes: 128 is too small for one tile, expected at least 256 bytes"},
    {"{\"die\": {\"pe_count\": 4, \"lanes\": 4, \"vector\": 4, \"act_buffer\": {\"bytes\": 256,"
     " \"banks\": 4}}}",
     "die.act_buffer.bytes: 256 is too small for one tile, expected at least 512 bytes"},
    {"{\"die\": {\"act_buffer\": {\"bytes\": 4194300}}}",
     "die.act_buffer.bytes: 4194300 is not a multiple of 4 x banks = 64, expected a multiple of "
     "64"},
    {"{\"die\": {\"pe_count\": 1, \"lanes\": 1, \"vector\": 1, \"act_buffer\": {\"bytes\": 256,"
     " \"banks\": 64}}}",
     "die.act_buffer.bytes: 256 is too small for 64 banks, expected at least 512 (2 words per "
     "bank)"},
    {"{\"die\": {\"pe_count\": 2, \"lanes\": 2, \"vector\": 2, \"act_buffer\": {\"banks\": 8},"
     " \"local_lanes\": true}}",
     "die.local_lanes: true needs the array's lanes x vector = 4 columns to be a multiple of each "
     "buffer's words per access (weight 16, act 8): a tile's first column must sit on lane 0"},
    {"{\"die\": {\"local_lanes\": 1}}", "die.local_lanes: 1 is an integer, expected true or false"},
    /* overrides */
    {"{\"die_overrides\": {}}", "die_overrides: {} is an object, expected an array of objects"},
    {"{\"die_overrides\": [3]}", "die_overrides[0]: 3 is an integer, expected an object"},
    {"{\"mesh\": {\"rows\": 2}, \"die_overrides\": [{\"row\": 2, \"die\": {}}]}",
     "die_overrides[0].row: 2 is outside the mesh, expected 0..1"},
    {"{\"mesh\": {\"cols\": 3}, \"die_overrides\": [{\"col\": [1, 3], \"die\": {}}]}",
     "die_overrides[0].col: [1,3] is not a range inside the mesh, expected [first, last] with 0 "
     "<= first <= last <= 2"},
    {"{\"mesh\": {\"cols\": 3}, \"die_overrides\": [{\"col\": [2, 1], \"die\": {}}]}",
     "die_overrides[0].col: [2,1] is not a range inside the mesh"},
    {"{\"die_overrides\": [{\"row\": -1, \"die\": {}}]}",
     "die_overrides[0].row: -1 is outside the mesh"},
    {"{\"die_overrides\": [{\"row\": \"0\", \"die\": {}}]}",
     "die_overrides[0].row: \"0\" is a string, expected an index 0..0 or [first, last]"},
    {"{\"die_overrides\": [{\"parity\": \"red\", \"die\": {}}]}",
     "die_overrides[0].parity: \"red\" is not allowed, expected \"any\", \"even\" or \"odd\""},
    {"{\"die_overrides\": [{\"row\": 0}]}", "die_overrides[0].die: is missing"},
    {"{\"die_overrides\": [{\"die\": {}}, {\"die\": {\"dataflow\": \"rs\"}}]}",
     "t.json: die_overrides[1].die.dataflow: \"rs\" is not allowed, expected \"ws\" or \"os\""},
    {"{\"die_overrides\": [{\"die\": {\"weight_buffer\": {\"banks\": 3}}}]}",
     "die_overrides[0].die.weight_buffer.banks: 3 is not a power of two"},
    {"{\"die_overrides\": [{\"die\": {\"lanez\": 3}}]}", "die_overrides[0].die.lanez: unknown key"},
    {"{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"die\": {\"pe_count\": 2, \"lanes\": 2, \"vector\": "
     "2},"
     " \"die_overrides\": [{\"row\": 1, \"col\": 1, \"die\": {\"pe_count\": 64, \"lanes\": 64}}]}",
     "die_overrides[0].die: pe_count x lanes x vector = 64 x 64 x 2 = 8192 FMA units on die (row "
     "1, "
     "col 1) is too many, expected at most 4096"},
    {"{\"mesh\": {\"cols\": 2}, \"die\": {\"pe_count\": 2, \"lanes\": 2, \"vector\": 2,"
     " \"weight_buffer\": {\"bytes\": 64, \"banks\": 4}}, \"die_overrides\": ["
     "{\"col\": 1, \"die\": {\"vector\": 64}}]}",
     "die_overrides[0].die.weight_buffer.bytes: 64 on die (row 0, col 1) is too small for one "
     "tile, "
     "expected at least 1024 bytes"},
};

START_TEST(error_names_key_value_and_allowed) {
  const char *in = bad[_i][0], *want = bad[_i][1];
  ck_assert_msg(load(in) == -1, "accepted: %s", in);
  ck_assert_msg(strstr(err, want) != NULL, "input %s\n got: %s\nwant: %s", in, err, want);
  ck_assert_ptr_null(strchr(err, '\n')); /* one line */
}
END_TEST

START_TEST(too_many_overrides) {
  char text[4096] = "{\"die_overrides\": [";
  for (int i = 0; i <= TSR_MAX_OVERRIDES; i++)
    strcat(text, i ? ", {\"die\": {}}" : "{\"die\": {}}");
  strcat(text, "]}");
  ck_assert_int_eq(load(text), -1);
  ck_assert_str_eq(err, "t.json: die_overrides: 65 entries is too many, expected at most 64");
  /* exactly the maximum is fine */
  char *last = strstr(text, ", {\"die\": {}}]}");
  strcpy(last, "]}");
  ck_assert_int_eq(load(text), 0);
  ck_assert_uint_eq(cfg->n_overrides, TSR_MAX_OVERRIDES);
}
END_TEST

START_TEST(boundaries_are_accepted) {
  /* the smallest buffers one die allows: 1 unit, 1 bank needs 4 B weights and 8 B
   * activations, but the range starts at 64 B; the fewest banks are the words of
   * the narrowest flit, 64 bits */
  ck_assert_int_eq(load("{\"router\": {\"flit_bits\": 64}, \"die\": {\"pe_count\": 1, \"lanes\": 1, \"vector\": 1,"
                        " \"weight_buffer\": {\"bytes\": 64, \"banks\": 2},"
                        " \"act_buffer\": {\"bytes\": 64, \"banks\": 8}, \"imem_words\": 16}}"),
                   0);
  /* weight buffer of exactly one word per unit, act buffer of exactly two */
  ck_assert_int_eq(load("{\"die\": {\"pe_count\": 4, \"lanes\": 4, \"vector\": 4,"
                        " \"weight_buffer\": {\"bytes\": 256, \"banks\": 4},"
                        " \"act_buffer\": {\"bytes\": 512, \"banks\": 4}}}"),
                   0);
  ck_assert_int_eq(load("{\"mesh\": {\"dram\": {\"gbps\": 0.001}},"
                        " \"router\": {\"flit_bits\": 64, \"fifo_depth\": 4}}"),
                   0);
  ck_assert_double_eq(cfg->mesh.dram_gbps, 0.001);
  ck_assert_int_eq(load("{\"name\": \"a123456789a123456789a123456789a123456789a123456789a1234"
                        "56789abcd\"}"),
                   0);
  ck_assert_uint_eq(strlen(cfg->name), 64);
}
END_TEST

START_TEST(load_from_file) {
  char path[] = "/tmp/tessera-test-config-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "w");
  fputs("{\n  \"mesh\": {\"rows\": 3},\n  \"die\": {\"lanes\": 99}\n}\n", f);
  fclose(f);
  ck_assert_int_eq(tsr_config_load(path, cfg, err), -1);
  char want[128];
  snprintf(want, sizeof want, "%s: die.lanes: 99 is out of range, expected 1..64", path);
  ck_assert_str_eq(err, want);

  f = fopen(path, "w");
  fputs("{\"mesh\": {\"rows\": 3}}", f);
  fclose(f);
  ck_assert_int_eq(tsr_config_load(path, cfg, err), 0);
  ck_assert_uint_eq(cfg->mesh.rows, 3);
  unlink(path);

  ck_assert_int_eq(tsr_config_load(path, cfg, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "cannot open: No such file or directory"));
  ck_assert_int_eq(tsr_config_load("/tmp", cfg, err), -1);
  ck_assert_str_eq(err, "/tmp: is a directory, expected a file");
}
END_TEST

/* ---- overrides ------------------------------------------------------------------ */

START_TEST(het_sides) {
  /* SCAR Het-Sides on 3x4: two left columns weight-stationary, two right ones
   * output-stationary with deeper FMAs and a smaller weight buffer. */
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 3, \"cols\": 4}, \"die_overrides\": ["
                        "{\"col\": [2, 3], \"die\": {\"dataflow\": \"os\", \"fma_stages\": 3,"
                        " \"weight_buffer\": {\"bytes\": 65536}}}]}"),
                   0);
  for (unsigned r = 0; r < 3; r++) {
    for (unsigned c = 0; c < 4; c++) {
      const tsr_die_cfg *d = &cfg->dies[r * 4 + c];
      ck_assert_int_eq(d->dataflow, c >= 2 ? TSR_DF_OS : TSR_DF_WS);
      ck_assert_uint_eq(d->fma_stages, c >= 2 ? 3 : 2);
      ck_assert_uint_eq(d->weight_buffer.bytes, c >= 2 ? 65536 : 4194304);
      ck_assert_uint_eq(d->weight_buffer.banks, 16); /* not given: the base die's */
      ck_assert_uint_eq(d->act_buffer.bytes, 4194304);
    }
  }
  ck_assert_int_eq(cfg->die.dataflow, TSR_DF_WS); /* the base die is not changed */
  ck_assert_uint_eq(cfg->n_overrides, 1);
  const tsr_override *o = &cfg->overrides[0];
  ck_assert_uint_eq(o->row0, 0);
  ck_assert_uint_eq(o->row1, 2);
  ck_assert_uint_eq(o->col0, 2);
  ck_assert_uint_eq(o->col1, 3);
  ck_assert_int_eq(o->parity, TSR_PARITY_ANY);
  /* dataflow (3), fma_stages (4), weight_buffer.bytes (5) */
  ck_assert_uint_eq(o->set, (1u << 3) | (1u << 4) | (1u << 5));
}
END_TEST

START_TEST(checkerboard_and_later_wins) {
  ck_assert_int_eq(
      load("{\"mesh\": {\"rows\": 3, \"cols\": 3}, \"die_overrides\": ["
           "{\"parity\": \"odd\", \"die\": {\"dataflow\": \"os\"}},"
           "{\"parity\": \"even\", \"die\": {\"fma_stages\": 1}},"
           "{\"row\": 1, \"col\": [0, 2], \"die\": {\"fma_stages\": 4}},"
           "{\"row\": [2, 2], \"col\": 2, \"parity\": \"odd\", \"die\": {\"lanes\": 1}}]}"),
      0);
  for (unsigned r = 0; r < 3; r++) {
    for (unsigned c = 0; c < 3; c++) {
      const tsr_die_cfg *d = &cfg->dies[r * 3 + c];
      unsigned odd = (r + c) % 2;
      ck_assert_int_eq(d->dataflow, odd ? TSR_DF_OS : TSR_DF_WS);
      ck_assert_uint_eq(d->fma_stages, r == 1 ? 4 : odd ? 2 : 1);
      ck_assert_uint_eq(d->lanes, 16); /* (2, 2) is even: the last entry matches no die */
    }
  }
}
END_TEST

START_TEST(rules_apply_to_the_final_die) {
  /* The first override alone would make 64 x 16 x 16 units; the second brings
   * the same dies back to 64 x 4 x 16. Only the result is checked. (os: a ws
   * die of 64 PEs would need 64 act words per access.) */
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"die_overrides\": ["
                        "{\"row\": 0, \"die\": {\"pe_count\": 64, \"dataflow\": \"os\"}},"
                        "{\"row\": 0, \"die\": {\"lanes\": 4}}]}"),
                   0);
  ck_assert_uint_eq(tsr_die_units(&cfg->dies[0]), 4096);
  ck_assert_uint_eq(tsr_die_units(&cfg->dies[2]), 4096);
  ck_assert_uint_eq(cfg->dies[1].pe_count, 64);
  ck_assert_uint_eq(cfg->dies[2].pe_count, 16);
  /* ... and an error names the last override that touched the die */
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"die_overrides\": ["
                        "{\"row\": 1, \"die\": {\"pe_count\": 64}},"
                        "{\"col\": 1, \"die\": {\"fma_stages\": 3}}]}"),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "t.json: die_overrides[0].die: pe_count x lanes x vector = "
                                    "64 x 16 x 16 = 16384 FMA units on die (row 1, col 0)"));
}
END_TEST

/* ---- output --------------------------------------------------------------------- */

static void assert_round_trip(const char *text) {
  ck_assert_msg(load(text) == 0, "%s", err);
  char *a = tsr_config_to_json(cfg);
  ck_assert_ptr_nonnull(a);
  tsr_config *again = calloc(1, sizeof *again);
  ck_assert_msg(tsr_config_load_string(a, "resolved", again, err) == 0, "%s\n%s", err, a);
  char *b = tsr_config_to_json(again);
  ck_assert_str_eq(a, b);
  /* identical config, including every per-die entry and the overrides. Byte
   * comparison is sound here: the loader zeroes the whole struct first and
   * never writes padding except by copying zeroed structs. */
  ck_assert_int_eq(memcmp(cfg, again, sizeof *cfg), 0);
  free(a);
  free(b);
  free(again);
}

START_TEST(resolved_json_round_trips) {
  assert_round_trip("{\"mesh\": {\"rows\": 2, \"cols\": 2}}");
  assert_round_trip(
      "{\"name\": \"rt\", \"mesh\": {\"rows\": 4, \"cols\": 5, \"links\": {\"inner\": "
      "\"photonic\"},"
      " \"dram\": {\"gbps\": 0.30000000000000004, \"model\": \"external\", \"timing\": \"ddr5\","
      " \"ddr5\": {\"trcd_ns\": 13.75, \"row_bytes\": 2048}}}, \"die\": {\"dataflow\": \"os\"},"
      " \"die_overrides\": [{\"row\": 1, \"die\": {\"lanes\": 8, \"act_buffer\": {\"banks\": 4, \"port_bits\": 128}}},"
      " {\"col\": [1, 3], \"parity\": \"even\", \"die\": {\"dataflow\": \"ws\"}}],"
      " \"router\": {\"fifo_depth\": 6},"
      " \"technology\": {\"clock_mhz\": 1234.5, \"energy_pj\": {\"fma_op\": 0.1}}}");
  /* a value that 15 digits would round, read back exactly */
  ck_assert(cfg->mesh.dram_gbps != 0.3);
}
END_TEST

START_TEST(resolved_json_layout) {
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"die_overrides\": ["
                        "{\"col\": 1, \"die\": {\"act_buffer\": {\"banks\": 8, \"port_bits\": 64}}}]}"),
                   0);
  char *a = tsr_config_to_json(cfg), *b = tsr_config_to_json(cfg);
  ck_assert_str_eq(a, b); /* deterministic */
  /* 2-space indent, every default written out, schema order */
  ck_assert_ptr_nonnull(
      strstr(a, "{\n  \"name\": \"tessera\",\n  \"mesh\": {\n    \"rows\": 2,\n"));
  ck_assert_ptr_nonnull(strstr(a, "\n    \"imem_words\": 1024,\n    \"local_lanes\": false\n"));
  ck_assert_ptr_nonnull(strstr(a, "\"static_mw\": 10.0"));
  static const char *const order[] = {"\"name\"",          "\"mesh\"",         "\"die\"",
                                      "\"die_overrides\"", "\"router\"",       "\n  \"photonic\"",
                                      "\"technology\"",    "\"imem_read_bit\""};
  const char *prev = a;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    const char *at = strstr(a, order[i]);
    ck_assert_msg(at && at > prev, "%s out of order", order[i]);
    prev = at;
  }
  /* the override, normalized: ranges, parity, and only the keys given */
  const char *ov = strstr(a, "\"die_overrides\"");
  ck_assert_ptr_nonnull(strstr(ov, "\"row\": [\n        0,\n        1\n      ]"));
  ck_assert_ptr_nonnull(strstr(ov, "\"col\": [\n        1,\n        1\n      ]"));
  ck_assert_ptr_nonnull(strstr(ov, "\"parity\": \"any\""));
  ck_assert_ptr_nonnull(strstr(
      ov, "\"die\": {\n        \"act_buffer\": {\n          \"banks\": 8,\n"
          "          \"port_bits\": 64\n        }\n      }"));
  ck_assert_ptr_null(strstr(ov, "pe_count"));
  ck_assert_int_eq(a[strlen(a) - 1], '\n');
  free(a);
  free(b);
}
END_TEST

START_TEST(energy_json) {
  ck_assert_int_eq(
      load("{\"photonic\": {\"static_mw\": 8, \"pj_per_bit\": 0.3},"
           " \"technology\": {\"clock_mhz\": 1000, \"energy_pj\": {\"sram_read_bit\": 0.5,"
           " \"sram_write_bit\": 0.75, \"dram_bit\": 20}}}"),
      0);
  char *e = tsr_energy_to_json(cfg);
  ck_assert_ptr_nonnull(e);
  ck_assert_ptr_nonnull(strstr(e,
                               "{\n  \"unit\": \"pJ\",\n  \"clock_mhz\": 1000.0,\n  \"events\": {\n"
                               "    \"fma_op\": 4.6,\n"
                               "    \"wbuf_read_bit\": 0.5,\n"
                               "    \"wbuf_write_bit\": 0.75,\n"
                               "    \"abuf_read_bit\": 0.5,\n"
                               "    \"abuf_write_bit\": 0.75,\n"
                               "    \"imem_read_bit\": 0.22,\n"
                               "    \"router_flit_bit\": 0.16,\n"
                               "    \"link_bit\": 0.5,\n"
                               "    \"photonic_bit\": 0.3,\n"
                               /* 8 mW for 1 ns = 8 pJ per cycle */
                               "    \"photonic_static_cycle\": 8.0,\n"
                               "    \"dram_bit\": 20.0\n  }\n}\n"));
  free(e);
  ck_assert_int_eq(load("{\"technology\": {\"clock_mhz\": 800}}"), 0);
  e = tsr_energy_to_json(cfg);
  ck_assert_ptr_nonnull(strstr(e, "\"photonic_static_cycle\": 12.5,")); /* 10 mW x 1.25 ns */
  free(e);
}
END_TEST

Suite *config_suite(void) {
  Suite *s = suite_create("config");
  TCase *t = tcase_create("load");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, minimal_gets_hecaton_defaults);
  tcase_add_test(t, empty_object_is_one_die);
  tcase_add_test(t, every_key_is_read);
  tcase_add_loop_test(t, error_names_key_value_and_allowed, 0, (int)(sizeof bad / sizeof bad[0]));
  tcase_add_test(t, too_many_overrides);
  tcase_add_test(t, boundaries_are_accepted);
  tcase_add_test(t, load_from_file);
  tcase_add_test(t, het_sides);
  tcase_add_test(t, checkerboard_and_later_wins);
  tcase_add_test(t, rules_apply_to_the_final_die);
  tcase_add_test(t, resolved_json_round_trips);
  tcase_add_test(t, resolved_json_layout);
  tcase_add_test(t, energy_json);
  suite_add_tcase(s, t);
  return s;
}
