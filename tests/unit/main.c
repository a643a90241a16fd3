/* main.c - runs every Check suite of the unit tests; CK_FORK default. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void) {
  SRunner *sr = srunner_create(config_suite());
  srunner_add_suite(sr, isa_suite());
  srunner_add_suite(sr, golden_suite());
  srunner_add_suite(sr, cost_suite());
  srunner_add_suite(sr, noc_suite());
  srunner_add_suite(sr, mesh_suite());
  srunner_add_suite(sr, lower_suite());
  srunner_add_suite(sr, table3_suite());
  srunner_add_suite(sr, sysmodel_suite());
  srunner_add_suite(sr, sweep_suite());
  srunner_add_suite(sr, vecfn_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
