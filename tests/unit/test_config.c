/* test_config.c - defaults, validation messages, overrides, round trip. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "suites.h"

static tsr_config *cfg;
static char err[TSR_ERR_LEN];
static void setup(void) { cfg = calloc(1, sizeof *cfg); }
static void teardown(void) { free(cfg); }

static int load(const char *text) { return tsr_config_load_string(text, "t.json", cfg, err); }

START_TEST(minimal_gets_hecaton_defaults) {
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 3}}"), 0);
  ck_assert_uint_eq(cfg->mesh.rows, 2);
  ck_assert_uint_eq(cfg->mesh.cols, 3);
  ck_assert_uint_eq(tsr_die_units(&cfg->die), 4096); /* 16 PEs x 16 x 16 */
  ck_assert_uint_eq(cfg->die.weight_buffer.bytes, 4194304);
  ck_assert_uint_eq(cfg->die.act_buffer.banks, 16);
  ck_assert_int_eq(cfg->die.dataflow, TSR_DF_WS);
  ck_assert_double_eq(cfg->technology.clock_mhz, 800);
  ck_assert_double_eq(cfg->technology.energy_pj.dram_bit, 14.8);
  ck_assert_double_eq(cfg->photonic.pj_per_bit, 0.54);
  ck_assert_uint_eq(cfg->dies[5].pe_count, 16);
  ck_assert_str_eq(cfg->name, "tessera");
}
END_TEST

START_TEST(errors_name_the_key_path) {
  static const char *const cases[][2] = {
      {"{\"mesh\": {\"rows\": 0}}", "t.json: mesh.rows: 0 is out of range, expected 1..64"},
      {"{\"die\": {\"lanez\": 1}}", "die.lanez: unknown key"},
      {"{\"die\": {\"lanes\": \"4\"}}", "die.lanes: \"4\" is a string"},
      {"{\"die\": {\"act_buffer\": {\"banks\": 3}}}", "die.act_buffer.banks: 3 is not a power of two"},
      {"{\"die\": {\"dataflow\": \"rs\"}}", "expected \"ws\" or \"os\""},
      {"{\"mesh\": {\"rows\": 1,}}", "t.json: line 1, column"},
      {"{\"die\": {\"pe_count\": 64, \"lanes\": 64, \"vector\": 64}}", "expected at most 4096"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_assert_int_eq(load(cases[i][0]), -1);
    ck_assert_msg(strstr(err, cases[i][1]) != NULL, "case %zu: got '%s'", i, err);
  }
}
END_TEST

START_TEST(overrides_het_sides_and_checkerboard) {
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 3, \"cols\": 3}, \"die_overrides\": ["
                        "{\"col\": [2, 2], \"die\": {\"dataflow\": \"os\"}}]}"),
                   0);
  for (unsigned r = 0; r < 3; r++)
    for (unsigned c = 0; c < 3; c++)
      ck_assert_int_eq(cfg->dies[r * 3 + c].dataflow, c == 2 ? TSR_DF_OS : TSR_DF_WS);
  ck_assert_int_eq(load("{\"mesh\": {\"rows\": 2, \"cols\": 2}, \"die_overrides\": ["
                        "{\"parity\": \"odd\", \"die\": {\"fma_stages\": 4, "
                        "\"weight_buffer\": {\"banks\": 8}}}]}"),
                   0);
  ck_assert_uint_eq(cfg->dies[0].fma_stages, 2);
  ck_assert_uint_eq(cfg->dies[1].fma_stages, 4);
  ck_assert_uint_eq(cfg->dies[1].weight_buffer.banks, 8);
  ck_assert_uint_eq(cfg->dies[1].weight_buffer.bytes, 4194304); /* untouched */
  ck_assert_uint_eq(cfg->dies[2].fma_stages, 4);
  ck_assert_uint_eq(cfg->dies[3].fma_stages, 2);
  ck_assert_uint_eq(cfg->die.fma_stages, 2);
}
END_TEST

START_TEST(resolved_json_round_trips) {
  ck_assert_int_eq(load("{\"name\": \"rt\", \"mesh\": {\"rows\": 2, \"cols\": 2, \"links\": "
                        "{\"inner\": \"photonic\"}}, \"die\": {\"dataflow\": \"os\"}, "
                        "\"die_overrides\": [{\"row\": 1, \"die\": {\"lanes\": 8}}], "
                        "\"technology\": {\"clock_mhz\": 1234.5}}"),
                   0);
  char *a = tsr_config_to_json(cfg);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(strstr(a, "\"imem_words\": 1024")); /* defaults written out */
  tsr_config *again = calloc(1, sizeof *again);
  ck_assert_int_eq(tsr_config_load_string(a, "resolved", again, err), 0);
  char *b = tsr_config_to_json(again);
  ck_assert_str_eq(a, b);
  ck_assert_uint_eq(again->dies[3].lanes, 8);
  ck_assert_uint_eq(again->dies[0].lanes, 16);
  ck_assert_int_eq(again->mesh.inner_links, TSR_LINK_PHOTONIC);
  free(a);
  free(b);
  free(again);
}
END_TEST

START_TEST(energy_json_converts_static_power) {
  ck_assert_int_eq(load("{\"photonic\": {\"static_mw\": 8}, \"technology\": {\"clock_mhz\": 1000}}"),
                   0);
  char *e = tsr_energy_to_json(cfg);
  /* 8 mW at 1000 MHz: 8e-3 W * 1e-9 s = 8 pJ per cycle */
  ck_assert_ptr_nonnull(strstr(e, "\"photonic_static_cycle\": 8.0"));
  ck_assert_ptr_nonnull(strstr(e, "\"unit\": \"pJ\""));
  free(e);
}
END_TEST

Suite *config_suite(void) {
  Suite *s = suite_create("config");
  TCase *t = tcase_create("load");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, minimal_gets_hecaton_defaults);
  tcase_add_test(t, errors_name_the_key_path);
  tcase_add_test(t, overrides_het_sides_and_checkerboard);
  tcase_add_test(t, resolved_json_round_trips);
  tcase_add_test(t, energy_json_converts_static_power);
  suite_add_tcase(s, t);
  return s;
}
