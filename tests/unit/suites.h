/* suites.h - one Check suite per unit under test. */
#ifndef TESSERA_TEST_SUITES_H
#define TESSERA_TEST_SUITES_H
#include <check.h>
Suite *config_suite(void);
Suite *isa_suite(void);
Suite *golden_suite(void);
Suite *cost_suite(void);
Suite *noc_suite(void);
Suite *mesh_suite(void);
Suite *lower_suite(void);
Suite *table3_suite(void);
Suite *sysmodel_suite(void);
Suite *sweep_suite(void);
Suite *vecfn_suite(void);
#endif
