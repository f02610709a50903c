/* test_money.c - unit tests for daemon/money.c (hand-worked figures), and that
 * its arithmetic is plugins/bursar_arith.h's, the one the plugins compile. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bursar_arith.h"
#include "money.h"

#define SENTINEL INT64_C(-777)

static void test_add_sub_mul(void **state)
{
	int64_t out;

	(void)state;
	assert_int_equal(money_add(150, -275, &out), 0);
	assert_int_equal(out, -125);
	assert_int_equal(money_sub(150, 275, &out), 0);
	assert_int_equal(out, -125);
	assert_int_equal(money_mul(-1234, 12, &out), 0);
	assert_int_equal(out, -14808);
	assert_int_equal(money_add(INT64_MAX - 1, 1, &out), 0);
	assert_true(out == INT64_MAX);
	assert_int_equal(money_sub(INT64_MIN + 1, 1, &out), 0);
	assert_true(out == INT64_MIN);
}

static void test_add_sub_mul_overflow(void **state)
{
	int64_t out = SENTINEL;

	(void)state;
	assert_int_equal(money_add(INT64_MAX, 1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_add(INT64_MIN, -1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_sub(INT64_MIN, 1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_sub(0, INT64_MIN, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_mul(INT64_MIN, -1, &out), -1);
	assert_true(out == SENTINEL);
	/* 2^32 * 2^31 = 2^63: one past INT64_MAX */
	assert_int_equal(money_mul(INT64_C(4294967296), INT64_C(2147483648), &out), -1);
	assert_true(out == SENTINEL);
}

static void check_round(int64_t a, int64_t num, int64_t den, int64_t want)
{
	int64_t out = SENTINEL;

	assert_int_equal(money_muldiv_round(a, num, den, &out), 0);
	assert_true(out == want);
}

static void test_muldiv_round(void **state)
{
	(void)state;
	check_round(5, 1, 2, 3);        /* 2.5 -> 3 */
	check_round(-5, 1, 2, -3);      /* -2.5 -> -3, away from zero */
	check_round(5, 1, -2, -3);      /* sign from the divisor too */
	check_round(-5, 1, -2, 3);
	check_round(7, 2, 3, 5);        /* 14/3 = 4.67 -> 5 */
	check_round(-7, 2, 3, -5);
	check_round(4, 1, 3, 1);        /* 1.33 -> 1 */
	check_round(-4, 1, 3, -1);
	check_round(6, 1, 4, 2);        /* 1.5 -> 2 */
	check_round(10, 1, 4, 3);       /* 2.5 -> 3 (not banker's 2) */
	check_round(-10, 1, 4, -3);
	check_round(1, 1, 3, 0);        /* 0.33 -> 0 */
	check_round(-1, 1, 3, 0);
	check_round(0, 12345, 7, 0);
	check_round(4800000, 412, 3870, 511008);  /* 511007.75 */
}

static void test_muldiv_round_wide(void **state)
{
	int64_t out = SENTINEL;

	(void)state;
	/* the product needs 126 bits; the quotient fits */
	check_round(INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX);
	check_round(INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN);
	check_round(1, INT64_MIN, INT64_MIN, 1);
	check_round(INT64_MIN, 1, 1, INT64_MIN);
	check_round(INT64_MIN, -1, -1, INT64_MIN);
	check_round(INT64_MIN, 1, 2, INT64_C(-4611686018427387904));
	/* (2^63 - 1) / 2 = 4611686018427387903.5 -> ...904 */
	check_round(INT64_MAX, 1, 2, INT64_C(4611686018427387904));
	check_round(INT64_MIN + 1, 1, 2, INT64_C(-4611686018427387904));
	/* 10^18 * 10^4 / 3 = 3333333333333333333.33 */
	check_round(INT64_C(1000000000000000000), 10000, 30000, INT64_C(333333333333333333));
	/* where the 64-bit path meets the 128-bit one: (2^62 - 1) x 2 = 2^63 - 2 fits,
	 * / 3 = 3074457345618258602 exactly; 2^62 x 2 = 2^63 does not, / 3 =
	 * 3074457345618258602.67 -> ...603; negated, -2^63 fits: -...602.67 -> -...603 */
	check_round(INT64_C(4611686018427387903), 2, 3, INT64_C(3074457345618258602));
	check_round(INT64_C(4611686018427387904), 2, 3, INT64_C(3074457345618258603));
	check_round(INT64_C(-4611686018427387904), 2, 3, INT64_C(-3074457345618258603));
	check_round(INT64_C(4611686018427387904), -2, -3, INT64_C(3074457345618258603));
	/* halves with a negative divisor on the 64-bit path: -3.5 -> -4, 3.5 -> 4 */
	check_round(7, 1, -2, -4);
	check_round(-7, 1, -2, 4);

	assert_int_equal(money_muldiv_round(INT64_MIN, -1, 1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_muldiv_round(INT64_MIN, 1, -1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_muldiv_round(INT64_MAX, 2, 1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_muldiv_round(INT64_MAX, 3, 2, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_muldiv_round(5, 1, 0, &out), -1);
	assert_true(out == SENTINEL);
}

static void test_muldiv_floor(void **state)
{
	int64_t out = SENTINEL, rem = SENTINEL;

	(void)state;
	assert_int_equal(money_muldiv_floor(100, 1, 3, &out, &rem), 0);
	assert_int_equal(out, 33);
	assert_int_equal(rem, 1);
	/* pupils 412 of 3,870 x 48,000.00: 1,977,600,000 / 3870 = 511007 r 2910 */
	assert_int_equal(money_muldiv_floor(4800000, 412, 3870, &out, &rem), 0);
	assert_int_equal(out, 511007);
	assert_int_equal(rem, 2910);
	/* 2/3 floors to 0, not rounds to 1 */
	assert_int_equal(money_muldiv_floor(2, 1, 3, &out, &rem), 0);
	assert_int_equal(out, 0);
	assert_int_equal(rem, 2);
	assert_int_equal(money_muldiv_floor(INT64_MAX, INT64_MAX, INT64_MAX, &out, &rem), 0);
	assert_true(out == INT64_MAX);
	assert_int_equal(rem, 0);
	/* (2^63 - 1) / 4 = 2305843009213693951.75, floored */
	assert_int_equal(money_muldiv_floor(INT64_MAX, 1, 4, &out, NULL), 0);
	assert_true(out == INT64_C(2305843009213693951));

	out = rem = SENTINEL;
	assert_int_equal(money_muldiv_floor(-1, 1, 3, &out, &rem), -1);
	assert_int_equal(money_muldiv_floor(1, -1, 3, &out, &rem), -1);
	assert_int_equal(money_muldiv_floor(1, 1, 0, &out, &rem), -1);
	assert_int_equal(money_muldiv_floor(1, 1, -3, &out, &rem), -1);
	assert_int_equal(money_muldiv_floor(INT64_MAX, 3, 2, &out, &rem), -1);
	assert_true(out == SENTINEL);
	assert_true(rem == SENTINEL);
}

/*
 * The daemon and the plugins round alike: money_muldiv_round is
 * bursar_muldiv_round, which the plugins compile. The central plugin's retention
 * and the local plugin's top-slice go through exactly these:
 *   25p × 200 / 10000 = 0.5      -> 1     (a half rounds away from zero)
 *  -25p × 200 / 10000 = -0.5     -> -1
 *   29p × 500 / 10000 = 1.45     -> 1
 *   30p × 500 / 10000 = 1.5      -> 2
 *   52,345,690p × 500 / 10000 = 2,617,284.5 -> 2,617,285
 *   499,000,001p × 600 / 10000 = 29,940,000.06 -> 29,940,000
 * and floor, the split's step: 4,800,000 × 412 / 3,870 = 511,007 r 2,910.
 */
static void test_same_arithmetic_as_plugins(void **state)
{
	static const int64_t cases[][4] = {
		{ 25, 200, 10000, 1 },       { -25, 200, 10000, -1 },
		{ 29, 500, 10000, 1 },       { 30, 500, 10000, 2 },
		{ 52345690, 500, 10000, 2617285 }, { 499000001, 600, 10000, 29940000 },
		{ INT64_C(4611686018427387904), 2, 3, INT64_C(3074457345618258603) },   /* the 128-bit path */
	};
	int64_t d, p, dr, pr, out = SENTINEL;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = p = SENTINEL;
		assert_int_equal(money_muldiv_round(cases[i][0], cases[i][1], cases[i][2], &d), 0);
		assert_int_equal(bursar_muldiv_round(cases[i][0], cases[i][1], cases[i][2], &p), 0);
		assert_true(d == cases[i][3] && p == cases[i][3]);
	}
	assert_int_equal(money_muldiv_floor(4800000, 412, 3870, &d, &dr), 0);
	assert_int_equal(bursar_muldiv_floor(4800000, 412, 3870, &p, &pr), 0);
	assert_true(d == 511007 && dr == 2910 && p == 511007 && pr == 2910);
	/* the same refusals, *out untouched */
	assert_int_equal(bursar_muldiv_round(INT64_MAX, 3, 2, &out), -1);
	assert_int_equal(bursar_muldiv_round(5, 1, 0, &out), -1);
	assert_int_equal(bursar_add(INT64_MAX, 1, &out), -1);
	assert_int_equal(bursar_sub(INT64_MIN, 1, &out), -1);
	assert_int_equal(bursar_mul(INT64_MIN, -1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(bursar_muldiv_floor(-1, 1, 3, &out, NULL), -1);
	assert_true(out == SENTINEL);
}

static void check_bp(int64_t a, int64_t bp, int64_t want)
{
	int64_t out = SENTINEL;

	assert_int_equal(money_apply_bp(a, bp, &out), 0);
	assert_true(out == want);
}

static void test_apply_bp(void **state)
{
	int64_t out = SENTINEL;

	(void)state;
	check_bp(100000, 250, 102500);  /* 1000.00 + 2.5% */
	check_bp(333, 250, 341);        /* 341.325 */
	check_bp(-333, 250, -341);
	check_bp(100, 50, 101);         /* 100.5: the tie goes away from zero */
	check_bp(-100, 50, -101);
	check_bp(30, 50, 30);           /* 30.15 */
	check_bp(100000, -250, 97500);
	check_bp(333, -250, 325);       /* 324.675 */
	check_bp(123456, 0, 123456);
	check_bp(123456, -10000, 0);
	check_bp(123456, 10000, 246912);

	assert_int_equal(money_apply_bp(1, INT64_MAX, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_apply_bp(INT64_MAX, 1, &out), -1);
	assert_true(out == SENTINEL);
	assert_int_equal(money_apply_bp(INT64_MIN, 1, &out), -1);
	assert_true(out == SENTINEL);
	check_bp(INT64_MIN, 0, INT64_MIN);
	/*
	 * 2^63 x 0.9999 = 9223372036854775808 - 922337203685477.5808
	 *               = 9222449699651090330.4192
	 */
	check_bp(INT64_MIN, -1, INT64_C(-9222449699651090330));
}

static void check_parse(const char *s, int64_t want)
{
	int64_t pence = SENTINEL;
	char why[64] = "";

	if (money_parse_pounds(s, &pence, why, sizeof(why)) != 0)
		fail_msg("\"%s\" rejected: %s", s, why);
	if (pence != want)
		fail_msg("\"%s\" = %lld, want %lld", s, (long long)pence, (long long)want);
}

static void check_reject(const char *s, const char *want_why)
{
	int64_t pence = SENTINEL;
	char why[64] = "";

	if (money_parse_pounds(s, &pence, why, sizeof(why)) != -1)
		fail_msg("\"%s\" accepted as %lld", s ? s : "(null)", (long long)pence);
	assert_true(pence == SENTINEL);
	assert_true(why[0] != '\0');
	if (want_why != NULL)
		assert_string_equal(why, want_why);
}

static void test_parse_ok(void **state)
{
	(void)state;
	check_parse("1234.56", 123456);
	check_parse("1,234.56", 123456);
	check_parse("1,234,567.89", 123456789);
	check_parse("\xc2\xa3" "1234.56", 123456);
	check_parse("\xc2\xa3" "1,234.56", 123456);
	check_parse("-1234.56", -123456);
	check_parse("(1234.56)", -123456);
	check_parse("(\xc2\xa3" "1,234.56)", -123456);
	check_parse("-\xc2\xa3" "0.05", -5);
	check_parse("\xc2\xa3" "-0.05", -5);
	check_parse("  12.5  ", 1250);
	check_parse("\t7\t", 700);
	check_parse("12.5", 1250);
	check_parse("12", 1200);
	check_parse("0.01", 1);
	check_parse(".5", 50);
	check_parse("007.00", 700);
	check_parse("-0", 0);
	check_parse("999", 99900);
	check_parse("1,000", 100000);
	/* Excel's accounting format */
	check_parse("\xc2\xa3 2,400.00", 240000);
	check_parse(" \xc2\xa3   2,400.00 ", 240000);
	check_parse("\xc2\xa3 (1,234.00)", -123400);
	check_parse("(\xc2\xa3 1,234.00)", -123400);
	check_parse("-", 0);
	check_parse(" - ", 0);
	check_parse("\xc2\xa3 -", 0);
	check_parse("\xc2\xa3 -   ", 0);
	/* 2^53 pence exactly, both signs */
	check_parse("90071992547409.92", INT64_C(9007199254740992));
	check_parse("-90,071,992,547,409.92", INT64_C(-9007199254740992));
}

static void test_parse_reject(void **state)
{
	(void)state;
	check_reject("", "is empty");
	check_reject("   ", "is empty");
	check_reject(NULL, "is empty");
	check_reject("12.345", "has more than two decimals");
	check_reject("0.001", "has more than two decimals");
	check_reject("1,23.00", "has misplaced thousands separators");
	check_reject("1,2345", "has misplaced thousands separators");
	check_reject("1234,567", "has misplaced thousands separators");
	check_reject(",123", "has misplaced thousands separators");
	check_reject("1,,234", "has misplaced thousands separators");
	check_reject("1,234,", "has misplaced thousands separators");
	check_reject("abc", "is not a number");
	check_reject("12a", "is not a number");
	check_reject("1 234", "is not a number");
	check_reject("\xc2\xa3", "is not a number");
	check_reject("2.400,50", "uses a decimal comma: write pence after a full stop (1234.50)");
	check_reject("1234,5", "uses a decimal comma: write pence after a full stop (1234.50)");
	check_reject("(1.234,56)", "uses a decimal comma: write pence after a full stop (1234.50)");
	check_reject("--", "has more than one sign");
	check_reject("()", "is not a number");
	check_reject("( )", "is not a number");
	check_reject("\xc2\xa3 ()", "is not a number");
	check_reject("12.", "has no digits after the decimal point");
	check_reject("--1", "has more than one sign");
	check_reject("(-1)", "has more than one sign");
	check_reject("-\xc2\xa3-1", "has more than one sign");
	check_reject("(12.50", "has an unclosed parenthesis");
	check_reject("12.50)", "is not a number");
	check_reject("+12", "is not a number");
	check_reject("90071992547409.93", "is too large");
	check_reject("-90071992547409.93", "is too large");
	check_reject("99999999999999999999999999", "is too large");
	check_reject("1e5", NULL);
	check_reject("\xc2", NULL);
}

static void test_parse_why_optional(void **state)
{
	int64_t pence = SENTINEL;
	char why[8];

	(void)state;
	assert_int_equal(money_parse_pounds("x", &pence, NULL, 0), -1);
	/* a short buffer is truncated, not overrun */
	memset(why, 'Z', sizeof(why));
	assert_int_equal(money_parse_pounds("12.345", &pence, why, 5), -1);
	assert_string_equal(why, "has ");
	assert_int_equal(why[5], 'Z');
	assert_true(pence == SENTINEL);
}

static void check_plain(int64_t pence, const char *want)
{
	char buf[32];

	assert_int_equal(money_format_plain(pence, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
}

static void test_format_plain(void **state)
{
	char buf[5];

	(void)state;
	check_plain(0, "0.00");
	check_plain(5, "0.05");
	check_plain(-5, "-0.05");
	check_plain(-100, "-1.00");
	check_plain(123456, "1234.56");
	check_plain(-123456, "-1234.56");
	check_plain(INT64_MAX, "92233720368547758.07");
	check_plain(INT64_MIN, "-92233720368547758.08");
	assert_int_equal(money_format_plain(123456, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "1234");
}

static void check_human(int64_t pence, const char *want)
{
	char buf[40];

	assert_int_equal(money_format_human(pence, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
}

static void test_format_human(void **state)
{
	(void)state;
	check_human(0, "\xc2\xa3" "0.00");
	check_human(123456, "\xc2\xa3" "1,234.56");
	check_human(-5, "-\xc2\xa3" "0.05");
	check_human(99999, "\xc2\xa3" "999.99");
	check_human(100000, "\xc2\xa3" "1,000.00");
	check_human(-10000000, "-\xc2\xa3" "100,000.00");
	check_human(100000000, "\xc2\xa3" "1,000,000.00");
	check_human(4800000, "\xc2\xa3" "48,000.00");
	check_human(INT64_MIN, "-\xc2\xa3" "92,233,720,368,547,758.08");
}

/* What we write in CSV we must read back to the same pence. */
static void test_round_trip(void **state)
{
	static const int64_t values[] = {
		0, 1, -1, 99, -99, 100, 123456, -123456, 100000000,
		INT64_C(9007199254740992), INT64_C(-9007199254740992),
	};
	char buf[40], why[64];
	int64_t back;

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		money_format_plain(values[i], buf, sizeof(buf));
		assert_int_equal(money_parse_pounds(buf, &back, why, sizeof(why)), 0);
		assert_true(back == values[i]);
		money_format_human(values[i], buf, sizeof(buf));
		assert_int_equal(money_parse_pounds(buf, &back, why, sizeof(why)), 0);
		assert_true(back == values[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_sub_mul),
		cmocka_unit_test(test_add_sub_mul_overflow),
		cmocka_unit_test(test_muldiv_round),
		cmocka_unit_test(test_muldiv_round_wide),
		cmocka_unit_test(test_muldiv_floor),
		cmocka_unit_test(test_same_arithmetic_as_plugins),
		cmocka_unit_test(test_apply_bp),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_reject),
		cmocka_unit_test(test_parse_why_optional),
		cmocka_unit_test(test_format_plain),
		cmocka_unit_test(test_format_human),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
