/* test_noc.c - the network's topology and timing (arch/noc.c) against
 * definitions written out here: the folded ring visits every die once with
 * hops of at most two links, XY routing walks the Manhattan distance, the
 * credit round trips of docs/noc.md, and the counter map is a bijection. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "noc.h"
#include "suites.h"

static tsr_config *load(const char *json) {
  static tsr_config cfg;
  char err[TSR_ERR_LEN];
  ck_assert_msg(tsr_config_load_string(json, "test", &cfg, err) == 0, "%s", err);
  return &cfg;
}

START_TEST(folded_ring_orders) {
  /* the order of the issue: 0, 2, 4, ..., then the odd positions descending */
  static const int want5[] = {0, 2, 4, 3, 1}, want8[] = {0, 2, 4, 6, 7, 5, 3, 1};
  for (int i = 0, p = 0; i < 5; i++, p = tsr_ring_next(p, 5)) ck_assert_int_eq(p, want5[i]);
  for (int i = 0, p = 0; i < 8; i++, p = tsr_ring_next(p, 8)) ck_assert_int_eq(p, want8[i]);
  ck_assert_int_eq(tsr_ring_next(0, 2), 1);
  ck_assert_int_eq(tsr_ring_next(1, 2), 0);
  ck_assert_int_eq(tsr_ring_next(0, 1), -1);
}
END_TEST

START_TEST(folded_ring_is_one_cycle_with_short_hops) {
  for (int n = 2; n <= 64; n++) {
    int seen[64] = {0}, p = 0;
    for (int k = 0; k < n; k++) {
      ck_assert_int_eq(seen[p], 0);
      seen[p] = 1;
      int q = tsr_ring_next(p, n);
      ck_assert_int_le(abs(q - p), 2);
      ck_assert_int_eq(tsr_ring_prev(q, n), p);
      /* a two-link hop passes the die in between on its bypass channel */
      if (abs(q - p) == 2) ck_assert(tsr_ring_bypasses((p + q) / 2, n, q > p ? 1 : -1));
      p = q;
    }
    ck_assert_int_eq(p, 0); /* back where it started after n hops */
  }
}
END_TEST

START_TEST(xy_routes_take_the_manhattan_distance) {
  for (int x = 0; x < 6; x++)
    for (int y = 0; y < 5; y++)
      for (int dx = 0; dx < 6; dx++)
        for (int dy = 0; dy < 5; dy++) {
          int cx = x, cy = y, hops = 0, turned = 0;
          while (cx != dx || cy != dy) {
            int p = tsr_xy_port(cx, cy, dx, dy);
            if (p == TSR_PORT_S || p == TSR_PORT_N) turned = 1;
            else ck_assert_msg(!turned, "x after y"); /* dimension order */
            cx += p == TSR_PORT_E ? 1 : p == TSR_PORT_W ? -1 : 0;
            cy += p == TSR_PORT_S ? 1 : p == TSR_PORT_N ? -1 : 0;
            ck_assert_int_le(++hops, 20);
          }
          ck_assert_int_eq(hops, abs(x - dx) + abs(y - dy));
          ck_assert_int_eq(tsr_xy_port(dx, dy, dx, dy), TSR_PORT_L);
        }
}
END_TEST

START_TEST(credit_round_trip_depths) {
  /* electrical: 2L + 2 */
  const tsr_config *c = load("{\"router\": {\"link_latency\": 3, \"fifo_depth\": 8}}");
  ck_assert_uint_eq(tsr_depth_needed(c, TSR_LINK_ELECTRICAL), 8);
  ck_assert_uint_eq(tsr_link_cycles(c, TSR_LINK_ELECTRICAL), 3);
  /* photonic, 128-bit flits over 16 x 8 bits: Ser = ceil(130 / 128) = 2, flight 2 + 4,
   * credit back after 2 + 2 x 4 + 1 = 11 cycles: ceil(11 / 2) = 6 flits */
  c = load("{\"mesh\": {\"rows\": 2, \"cols\": 2, \"links\": {\"inner\": \"photonic\"}},"
           " \"router\": {\"fifo_depth\": 6}}");
  ck_assert_uint_eq(tsr_photonic_ser(c), 2);
  ck_assert_uint_eq(tsr_photonic_latency(c), 6);
  ck_assert_uint_eq(tsr_link_cycles(c, TSR_LINK_PHOTONIC), 7);
  ck_assert_uint_eq(tsr_depth_needed(c, TSR_LINK_PHOTONIC), 6);
  ck_assert_uint_eq(tsr_mesh_depth_needed(c), 6);
  /* one wavelength of 1 bit: a 66-bit flit takes 66 cycles; 66 + 9 = 75 -> 2 flits */
  c = load("{\"router\": {\"flit_bits\": 64}, \"photonic\": {\"wavelengths\": 1,"
           " \"bits_per_wavelength\": 1}}");
  ck_assert_uint_eq(tsr_photonic_ser(c), 66);
  ck_assert_uint_eq(tsr_depth_needed(c, TSR_LINK_PHOTONIC), 2);
  /* ring receive FIFOs: two links and a bypass register, 2(2L + 1) + 2 */
  c = load("{\"router\": {\"link_latency\": 2, \"fifo_depth\": 6}}");
  ck_assert_uint_eq(tsr_ring_depth(c), 12);
}
END_TEST

START_TEST(zero_load_formula) {
  const tsr_config *c = load("{\"router\": {\"link_latency\": 2, \"fifo_depth\": 6}}");
  /* h x (2 + L) + 2 + F - 1 */
  ck_assert_uint_eq(tsr_zero_load_cycles(c, 0, 1), 2);
  ck_assert_uint_eq(tsr_zero_load_cycles(c, 3, 1), 14);
  ck_assert_uint_eq(tsr_zero_load_cycles(c, 3, 4), 17);
}
END_TEST

START_TEST(counter_map_is_a_bijection) {
  const tsr_config *c = load("{\"mesh\": {\"rows\": 3, \"cols\": 5}}");
  uint32_t n = tsr_cnt_total(c), dies = 15;
  ck_assert_uint_eq(n, 17 * dies + 2 * 3);
  char *hit = calloc(n, 1);
  for (int d = 0; d < (int)dies; d++) {
    for (int p = 0; p < TSR_N_PORTS; p++) hit[tsr_cnt_router(c, d, p)]++;
    for (int p = TSR_PORT_E; p <= TSR_PORT_N; p++) {
      hit[tsr_cnt_link(c, d, p)]++;
      hit[tsr_cnt_powered(c, d, p)]++;
    }
    for (int ring = 0; ring < 2; ring++) {
      hit[tsr_cnt_bypass(c, d, ring)]++;
      hit[tsr_cnt_ring_tx(c, d, ring)]++;
    }
  }
  for (int r = 0; r < 3; r++)
    for (int s = 0; s < 2; s++) hit[tsr_cnt_io_link(c, r, s)]++;
  for (uint32_t i = 0; i < n; i++) ck_assert_msg(hit[i] == 1, "counter %u used %d times", i, hit[i]);
  free(hit);
}
END_TEST

START_TEST(link_kinds_follow_the_config) {
  const tsr_config *c = load(
      "{\"mesh\": {\"rows\": 3, \"cols\": 3, \"links\": {\"west\": \"photonic\", \"photonic\":"
      " [{\"row\": 1, \"col\": 0, \"dir\": \"east\"}, {\"row\": 0, \"col\": 2, \"dir\": \"south\"}]}},"
      " \"router\": {\"fifo_depth\": 6}}");
  ck_assert_int_eq(tsr_port_link_kind(c, 1, 0, TSR_PORT_E), TSR_LINK_PHOTONIC);
  ck_assert_int_eq(tsr_port_link_kind(c, 1, 1, TSR_PORT_W), TSR_LINK_PHOTONIC); /* same edge */
  ck_assert_int_eq(tsr_port_link_kind(c, 0, 2, TSR_PORT_S), TSR_LINK_PHOTONIC);
  ck_assert_int_eq(tsr_port_link_kind(c, 1, 2, TSR_PORT_N), TSR_LINK_PHOTONIC);
  ck_assert_int_eq(tsr_port_link_kind(c, 0, 0, TSR_PORT_E), TSR_LINK_ELECTRICAL);
  ck_assert_int_eq(tsr_port_link_kind(c, 2, 0, TSR_PORT_W), TSR_LINK_PHOTONIC); /* IO edge */
  ck_assert_int_eq(tsr_port_link_kind(c, 2, 2, TSR_PORT_E), TSR_LINK_ELECTRICAL);
  ck_assert_int_eq(tsr_port_link_kind(c, 0, 0, TSR_PORT_N), -1);
  ck_assert_int_eq(tsr_port_link_kind(c, 2, 1, TSR_PORT_S), -1);
}
END_TEST

Suite *noc_suite(void) {
  Suite *s = suite_create("noc");
  TCase *tc = tcase_create("topology");
  tcase_add_test(tc, folded_ring_orders);
  tcase_add_test(tc, folded_ring_is_one_cycle_with_short_hops);
  tcase_add_test(tc, xy_routes_take_the_manhattan_distance);
  tcase_add_test(tc, credit_round_trip_depths);
  tcase_add_test(tc, zero_load_formula);
  tcase_add_test(tc, counter_map_is_a_bijection);
  tcase_add_test(tc, link_kinds_follow_the_config);
  suite_add_tcase(s, tc);
  return s;
}
