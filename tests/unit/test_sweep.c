/* test_sweep.c - sweeps in shards (models/sweep.c, docs/cluster.md):
 *  - the shards of n points partition 0..n-1 into contiguous slices whose
 *    sizes differ by at most one, for any n and number of shards;
 *  - --shard I/N parsing: I < N, N at least 1, decimal, nothing around;
 *  - a sweep evaluated in 3 shards, written to shard files, read back and
 *    merged (files given in any order, or their directory) gives the
 *    unsharded run's points.csv and pareto.csv byte for byte;
 *  - a merge with a shard missing, a shard twice, a shard of another sweep
 *    or a cut file is refused, naming the file. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "sweep.h"

START_TEST(shards_partition_the_points) {
  static const size_t ns[] = {0, 1, 7, 480, 1000003};
  static const uint32_t ofs[] = {1, 2, 3, 7, 480, 1000};
  for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
    for (size_t b = 0; b < sizeof ofs / sizeof ofs[0]; b++) {
      size_t next = 0, lo = (size_t)-1, hi = 0;
      for (uint32_t i = 0; i < ofs[b]; i++) {
        size_t first, count;
        tsr_sweep_shard_range(ns[a], i, ofs[b], &first, &count);
        ck_assert_uint_eq(first, next);
        next = first + count;
        if (count < lo) lo = count;
        if (count > hi) hi = count;
      }
      ck_assert_uint_eq(next, ns[a]);
      ck_assert_uint_le(hi - lo, 1);
    }
}
END_TEST

START_TEST(shard_argument_parsed) {
  char err[TSR_SWEEP_ERR_LEN];
  uint32_t i, n;
  ck_assert_int_eq(tsr_sweep_shard_parse("0/1", &i, &n, err), 0);
  ck_assert(i == 0 && n == 1);
  ck_assert_int_eq(tsr_sweep_shard_parse("41/42", &i, &n, err), 0);
  ck_assert(i == 41 && n == 42);
  static const char *const bad[] = {"1/1",  "0/0",       "5/3",          "1",    "/2",
                                    "1/",   "a/2",       "-1/2",         "1/2x", " 1/2",
                                    "1/+2", "0/1000001", "99999999999/2"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    err[0] = 0;
    ck_assert_msg(tsr_sweep_shard_parse(bad[k], &i, &n, err) == -1, "%s accepted", bad[k]);
    ck_assert_msg(strstr(err, "--shard: '") && strstr(err, bad[k]), "%s: %s", bad[k], err);
  }
}
END_TEST

/* A small sweep on a 4x4 configuration: 2 die counts (8 shapes) x 2 buffer
 * sizes x 2 packages x 4 methods. */
static tsr_sys sys_;
static tsr_sweep_grid grid_;
static const tsr_workload *wl_;
static char dir_[64];

static void sweep_setup(void) {
  char err[TSR_ERR_LEN > TSR_SYS_ERR_LEN ? TSR_ERR_LEN : TSR_SYS_ERR_LEN];
  static tsr_config cfg;
  ck_assert_msg(
      tsr_config_load_string("{\"mesh\": {\"rows\": 4, \"cols\": 4}}", "test", &cfg, err) == 0,
      "%s", err);
  ck_assert_int_eq(tsr_sys_init(&sys_, &cfg, err), 0);
  memset(&grid_, 0, sizeof grid_);
  ck_assert_int_eq(tsr_sweep_add_dies(&grid_, 4), 0);
  ck_assert_int_eq(tsr_sweep_add_dies(&grid_, 16), 0);
  grid_.act_kb[grid_.n_act++] = 256;
  grid_.act_kb[grid_.n_act++] = 2048;
  grid_.wgt_kb[grid_.n_wgt++] = 4096;
  grid_.pkg[grid_.n_pkg++] = TSR_PKG_STANDARD;
  grid_.pkg[grid_.n_pkg++] = TSR_PKG_ADVANCED;
  grid_.gbps[grid_.n_gbps++] = 0;
  grid_.ns[grid_.n_ns++] = -1;
  grid_.dataflow[grid_.n_df++] = 0;
  for (uint32_t m = 0; m < TSR_N_METHODS; m++)
    grid_.method[grid_.n_method++] = m;
  wl_ = tsr_workload_find("bert-large");
  ck_assert_ptr_nonnull(wl_);
  snprintf(dir_, sizeof dir_, "/tmp/tessera-sweep-test.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir_));
}

static void sweep_teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir_);
  ck_assert_int_eq(system(cmd), 0);
  tsr_sys_free(&sys_);
}

/* Both CSVs of rows[0..n-1] after marking the front, in one string. */
static char *csvs(tsr_sweep_row *rows, size_t n) {
  char *buf;
  size_t len;
  long best;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  tsr_sweep_pareto(rows, n, &best);
  ck_assert_int_eq(tsr_sweep_csv(f, rows, n, 0), 0);
  ck_assert_int_eq(tsr_sweep_csv(f, rows, n, 1), 0);
  fprintf(f, "best %ld\n", best);
  fclose(f);
  return buf;
}

/* Shard i of `of` evaluated and written to dir_/shard-i-of-of.rows, under
 * sweep id `id`; its path in path[4096]. */
static void write_shard(uint32_t i, uint32_t of, uint64_t id, char path[4096]) {
  tsr_sweep_shard h = {.index = i, .of = of, .total = tsr_sweep_count(&grid_), .id = id};
  snprintf(h.label, sizeof h.label, "bert-large, batch 16 x seq 512");
  tsr_sweep_shard_range(h.total, i, of, &h.first, &h.count);
  tsr_sweep_row *rows = malloc((h.count + 1) * sizeof *rows);
  tsr_sweep_run_range(&sys_, wl_, &grid_, h.first, h.count, rows);
  char name[64];
  tsr_sweep_shard_name(i, of, name);
  snprintf(path, 4096, "%s/%s", dir_, name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(tsr_sweep_shard_write(f, &h, rows), 0);
  ck_assert_int_eq(fclose(f), 0);
  free(rows);
}

START_TEST(merged_shards_equal_the_whole_sweep) {
  size_t n = tsr_sweep_count(&grid_);
  ck_assert_uint_eq(n, 8 * 2 * 2 * 4);
  tsr_sweep_row *whole = malloc(n * sizeof *whole);
  tsr_sweep_run(&sys_, wl_, &grid_, whole);
  char *want = csvs(whole, n);
  uint64_t id = tsr_sweep_id(&grid_, "test");
  char p[3][4096];
  for (uint32_t i = 0; i < 3; i++)
    write_shard(i, 3, id, p[i]);
  const char *const reversed[] = {p[2], p[0], p[1]}, *const as_dir[] = {dir_};
  const char *const *orders[] = {reversed, as_dir};
  size_t n_paths[] = {3, 1};
  for (int k = 0; k < 2; k++) {
    tsr_sweep_shard h;
    tsr_sweep_row *rows;
    size_t m;
    char err[TSR_SWEEP_ERR_LEN];
    ck_assert_msg(tsr_sweep_merge(orders[k], n_paths[k], &h, &rows, &m, err) == 0, "%s", err);
    ck_assert_uint_eq(m, n);
    ck_assert_uint_eq(h.id, id);
    ck_assert_str_eq(h.label, "bert-large, batch 16 x seq 512");
    char *got = csvs(rows, m);
    ck_assert_str_eq(got, want);
    free(got);
    free(rows);
  }
  free(want);
  free(whole);
}
END_TEST

static void merge_fails(const char *const *paths, size_t n, const char *why, const char *file) {
  tsr_sweep_shard h;
  tsr_sweep_row *rows = (tsr_sweep_row *)1;
  size_t m;
  char err[TSR_SWEEP_ERR_LEN];
  ck_assert_int_eq(tsr_sweep_merge(paths, n, &h, &rows, &m, err), -1);
  ck_assert_ptr_null(rows);
  ck_assert_msg(strstr(err, why) && strstr(err, file), "expected '%s' about %s: %s", why, file,
                err);
}

START_TEST(bad_merges_refused) {
  uint64_t id = tsr_sweep_id(&grid_, "test");
  char p0[4096], p1[4096], p2[4096], other[4096], cut[4096];
  write_shard(0, 3, id, p0);
  write_shard(1, 3, id, p1);
  write_shard(2, 3, id, p2);
  ck_assert_uint_ne(tsr_sweep_id(&grid_, "test2"), id);
  const char *const missing[] = {p0, p2};
  merge_fails(missing, 2, "1 of 3 shards missing: 1", p0);
  const char *const twice[] = {p0, p1, p1, p2};
  merge_fails(twice, 4, "shard 1/3 again", p1);
  /* shard 1 of a sweep with another id, under another name */
  write_shard(1, 3, id ^ 1, other);
  snprintf(cut, sizeof cut, "%s/other.rows", dir_);
  ck_assert_int_eq(rename(other, cut), 0);
  write_shard(1, 3, id, p1);
  const char *const foreign[] = {p0, cut, p2};
  merge_fails(foreign, 3, "of another sweep", cut);
  /* a shard file cut short */
  FILE *f = fopen(p1, "r");
  char buf[8192];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  ck_assert_uint_gt(len, 600);
  f = fopen(cut, "w");
  fwrite(buf, 1, len - 200, f);
  fclose(f);
  const char *const short_[] = {p0, cut, p2};
  merge_fails(short_, 3, "expected", cut);
}
END_TEST

Suite *sweep_suite(void) {
  Suite *s = suite_create("sweep");
  TCase *tc = tcase_create("shards");
  tcase_add_test(tc, shards_partition_the_points);
  tcase_add_test(tc, shard_argument_parsed);
  suite_add_tcase(s, tc);
  TCase *tm = tcase_create("merge");
  tcase_add_checked_fixture(tm, sweep_setup, sweep_teardown);
  tcase_add_test(tm, merged_shards_equal_the_whole_sweep);
  tcase_add_test(tm, bad_merges_refused);
  suite_add_tcase(s, tm);
  return s;
}
