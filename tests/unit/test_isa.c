/* test_isa.c - encoding against hand-placed bits, round trips, assembler errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"
#include "suites.h"

static char err[TSR_ISA_ERR_LEN];

/* gemm x=0x10 w=0x20 y=0x30 m=5 k=3 n=7 acc=1, placed by hand from docs/isa.md:
 * word3 = op 0x01 <<24 | flags 1 <<20 | (m-1)=4 <<8 | (k-1)=2 >> 4 ... */
START_TEST(gemm_bits_by_hand) {
  uint32_t *w;
  size_t n;
  ck_assert_int_eq(tsr_assemble("gemm x=0x10 w=0x20 y=0x30 m=5 k=3 n=7 acc=1\n", "p", &w, &n, err),
                   0);
  ck_assert_uint_eq(n, 1);
  /* bits 127:96: op(8) flags(4) dim0(12) dim1[11:4](8) */
  ck_assert_uint_eq(w[3], (0x01u << 24) | (0x1u << 20) | (4u << 8) | (2u >> 4));
  /* bits 95:64: dim1[3:0](4) dim2(12) addr_hi(8) addr_a[23:16](8) */
  ck_assert_uint_eq(w[2], ((2u & 0xF) << 28) | (6u << 16) | (0u << 8) | 0u);
  /* bits 63:32: addr_a[15:0] addr_b[23:8] */
  ck_assert_uint_eq(w[1], (0x10u << 16) | (0x20u >> 8));
  /* bits 31:0: addr_b[7:0] addr_c */
  ck_assert_uint_eq(w[0], ((0x20u & 0xFF) << 24) | 0x30u);
  free(w);
}
END_TEST

/* Regression: strtoull base 0 read "010" as octal 8. */
START_TEST(numbers_are_decimal_or_hex) {
  uint32_t *w;
  size_t n;
  tsr_insn in;
  ck_assert_int_eq(tsr_assemble("vadd a=010 b=0x10 c=0 len=09\n", "p", &w, &n, err), 0);
  ck_assert_int_eq(tsr_decode(w, &in, err), 0);
  ck_assert_uint_eq(in.a, 10);
  ck_assert_uint_eq(in.b, 16);
  ck_assert_uint_eq(in.len, 9);
  free(w);
  ck_assert_int_eq(tsr_assemble("vadd a=0x b=0 c=0 len=1\n", "p", &w, &n, err), -1);
  ck_assert_int_eq(tsr_assemble("vadd a=0b1 b=0 c=0 len=1\n", "p", &w, &n, err), -1);
}
END_TEST

START_TEST(halt_is_opcode_only) {
  uint32_t *w;
  size_t n;
  ck_assert_int_eq(tsr_assemble("  halt ; done\n", "p", &w, &n, err), 0);
  ck_assert_uint_eq(w[3], 0xFF000000u);
  ck_assert_uint_eq(w[0] | w[1] | w[2], 0);
  free(w);
}
END_TEST

START_TEST(round_trip_every_opcode) {
  static const char *const lines[] = {
      "gemm x=0x0 w=0xffffff y=0x123456 m=4096 k=1 n=77 acc=0",
      "vadd a=0x1 b=0x2 c=0x3 len=16777216",
      "vaxpy x=0xffffff y=0x0 s=0x30 len=5",
      "vmul a=0x7 b=0x8 c=0x7 len=1",
      "vexp a=0xffffff c=0x0 len=16777216",
      "vmax a=0x1 b=0x1 c=0x2 len=3",
      "vrecip a=0x10 c=0x10 len=7",
      "vrsqrt a=0x0 c=0xfffff0 len=16",
      "vgelu a=0x20 c=0x20 len=1",
      "vgelud a=0xffffff c=0x1 len=16777216",
      "vtrans a=0x10 c=0x200 m=3 n=4096",
      "send row=63 col=5 src=wgt:0x10 dst=act:0x40 len=16 chan=ring",
      "send row=1 col=0 src=act:0x0 dst=wgt:0x8 len=3 chan=mesh async=1",
      "wait msgs=3",
      "fence",
      "wait words=0",
      "wait msgs=1 chan=row",
      "wait words=7 chan=mesh",
      "wait msgs=16777215 chan=col",
      "drd dram=0xfedcba98 dst=wgt:0x0 len=64",
      "dwr src=act:0x8 dram=0x1000 len=1",
      "drd dram=0x10 dst=act:0x4 len=2 async=1",
      "dwr src=wgt:0x0 dram=0x0 len=9 async=1",
      "halt",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    uint32_t *w;
    size_t n;
    tsr_insn in;
    char text[200];
    ck_assert_msg(tsr_assemble(lines[i], "p", &w, &n, err) == 0, "%s: %s", lines[i], err);
    ck_assert_int_eq(tsr_decode(w, &in, err), 0);
    tsr_disasm_insn(&in, text, sizeof text);
    ck_assert_str_eq(text, lines[i]);
    uint32_t again[4];
    ck_assert_int_eq(tsr_encode(&in, again, err), 0);
    ck_assert_mem_eq(again, w, sizeof again);
    free(w);
  }
}
END_TEST

START_TEST(assembler_errors_name_line_and_field) {
  static const char *const cases[][2] = {
      {"halt\ngemm x=0 w=0 y=0 m=0 k=1 n=1\n", "p:2: gemm: m=0 is out of range, expected 1..4096"},
      {"frob x=1\n", "p:1: unknown mnemonic 'frob'"},
      {"vadd a=0 b=0 c=0 len=1 q=2\n", "unknown key 'q', expected a, b, c, len"},
      {"vadd a=0 b=0 len=1\n", "vadd: missing c="},
      {"vaxpy x=0 y=0 len=1\n", "vaxpy: missing s="},
      {"vaxpy x=0 y=0 c=1 s=0 len=1\n", "unknown key 'c', expected x, y, s, len"},
      {"vadd a=0 a=1 b=0 c=0 len=1\n", "duplicate key 'a'"},
      {"vadd a=0x b=0 c=0 len=1\n", "a=0x is not a number"},
      {"send row=0 col=0 src=foo:1 dst=act:0 len=1\n", "expected act:ADDR or wgt:ADDR"},
      {"wait words=1 msgs=1\n", "exactly one of words=N or msgs=N"},
      {"wait words=1 chan=ring\n", "wait: chan=ring is not allowed, expected any, mesh, row or col"},
      {"send row=0 col=0 src=act:0 dst=act:0 len=1 async=2\n", "send: async=2 is out of range, expected 0..1"},
      {"fence async=1\n", "fence: unknown key 'async', expected no operands"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t *w = NULL;
    size_t n;
    ck_assert_int_eq(tsr_assemble(cases[i][0], "p", &w, &n, err), -1);
    ck_assert_msg(strstr(err, cases[i][1]) != NULL, "case %zu: got '%s'", i, err);
    ck_assert_ptr_null(w);
  }
}
END_TEST

START_TEST(decode_rejects_reserved_bits) {
  uint32_t w[4] = {0, 0, 0, 0xFF000000u | (1u << 20)}; /* halt with a flag */
  tsr_insn in;
  ck_assert_int_eq(tsr_decode(w, &in, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "reserved bit 116"));
  uint32_t bad[4] = {0, 0, 0, 0x7E000000u};
  ck_assert_int_eq(tsr_decode(bad, &in, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "unknown opcode 0x7e"));
}
END_TEST

START_TEST(hex_round_trip_and_errors) {
  uint32_t words[3] = {0xdeadbeef, 0, 0x12345678};
  char *t = tsr_hex_write(words, 3);
  ck_assert_str_eq(t, "deadbeef\n00000000\n12345678\n");
  uint32_t *back;
  size_t n;
  ck_assert_int_eq(tsr_hex_read(t, "h", &back, &n, err), 0);
  ck_assert_uint_eq(n, 3);
  ck_assert_mem_eq(back, words, sizeof words);
  free(back);
  free(t);
  ck_assert_int_eq(tsr_hex_read("00000001\n123\n", "h", &back, &n, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "h:2:"));
}
END_TEST

Suite *isa_suite(void) {
  Suite *s = suite_create("isa");
  TCase *t = tcase_create("encoding");
  tcase_add_test(t, gemm_bits_by_hand);
  tcase_add_test(t, halt_is_opcode_only);
  tcase_add_test(t, numbers_are_decimal_or_hex);
  tcase_add_test(t, round_trip_every_opcode);
  tcase_add_test(t, assembler_errors_name_line_and_field);
  tcase_add_test(t, decode_rejects_reserved_bits);
  tcase_add_test(t, hex_round_trip_and_errors);
  suite_add_tcase(s, t);
  return s;
}
