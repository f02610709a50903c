/* test_profile.c - unit tests for daemon/core/profile.c: exact monthly splits worked by hand,
 * the weights' and months' text forms, profile names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "profile.h"

static const int32_t EVEN[12] = { 834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833 };
static const int32_t TERM[12] = { 947, 842, 1053, 790, 1000, 789, 1053, 684, 947, 1053, 842, 0 };
static const int32_t QUARTERLY[12] = { 0, 2500, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0 };
static const int32_t HEATING[12] = { 500, 800, 1100, 1200, 1300, 1200, 1000, 800, 600, 500, 500, 500 };

static void months_are(const int64_t got[12], const int64_t want[12])
{
	for (int i = 0; i < 12; i++)
		assert_int_equal(got[i], want[i]);
}

/* £1,000.01 evenly: 100001 x 834 / 10000 = 8340 r 834 (Sep-Dec), x 833 = 8330 r 833; the floors
 * sum to 100000, the penny left goes to the largest remainder, the first of the four 834s. */
static void test_even(void **state)
{
	int64_t out[12];
	const int64_t want[12] = { 8341, 8340, 8340, 8340, 8330, 8330, 8330, 8330, 8330, 8330, 8330, 8330 };
	const int64_t neg[12] = { -8341, -8340, -8340, -8340, -8330, -8330, -8330, -8330, -8330,
				  -8330, -8330, -8330 };

	(void)state;
	assert_int_equal(profile_split(100001, EVEN, out), 0);
	months_are(out, want);
	/* the negative amount splits as its magnitude, the sign put back */
	assert_int_equal(profile_split(-100001, EVEN, out), 0);
	months_are(out, neg);
	/* £120 evenly: 12000 x 834 / 10000 = 1000 r 8000, x 833 = 999 r 6000: 4x1000 + 8x999 =
	 * 11992, eight pence left: the four 8000s, then the first four 6000s (ties: earlier) */
	{
		const int64_t w2[12] = { 1001, 1001, 1001, 1001, 1000, 1000, 1000, 1000, 999, 999, 999, 999 };

		assert_int_equal(profile_split(12000, EVEN, out), 0);
		months_are(out, w2);
	}
	assert_int_equal(profile_split(0, EVEN, out), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(out[i], 0);
}

/* 1001p over term_time: floors 94,84,105,79,100,78,105,68,94,105,84,0 = 996 with remainders
 * 7947,2842,4053,790,1000,9789,4053,4684,7947,4053,2842,0 (sum 50000): five pence to Feb (9789),
 * Sep and May (7947, Sep first), Apr (4684) and Nov (4053, the first of three). August, with no
 * school days, gets nothing. */
static void test_term_time(void **state)
{
	int64_t out[12];
	const int64_t want[12] = { 95, 84, 106, 79, 100, 79, 105, 69, 95, 105, 84, 0 };
	const int64_t whole[12] = { 179930, 159980, 200070, 150100, 190000, 149910, 200070, 129960,
				    179930, 200070, 159980, 0 };

	(void)state;
	assert_int_equal(profile_split(1001, TERM, out), 0);
	months_are(out, want);
	/* £19,000 over the 190 days: £100 a day, exact, nothing in August */
	assert_int_equal(profile_split(1900000, TERM, out), 0);
	months_are(out, whole);
	/* one penny: the largest weight's month, the earliest of the 1053s (November) */
	assert_int_equal(profile_split(1, TERM, out), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(out[i], i == 2 ? 1 : 0);
}

static void test_quarterly_and_heating(void **state)
{
	int64_t out[12];
	const int64_t q[12] = { 0, 2501, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0 };
	/* 999p over heating: w x 999 / 10000 = 49 r 9500 (Sep), 79 r 9200, 109 r 8900, 119 r 8800,
	 * 129 r 8700 (Jan), 119 r 8800, 99 r 9000, 79 r 9200, 59 r 9400, 49 r 9500 x3: floors 988,
	 * 11 pence left: every month but January, the lowest remainder */
	const int64_t h[12] = { 50, 80, 110, 120, 129, 120, 100, 80, 60, 50, 50, 50 };

	(void)state;
	assert_int_equal(profile_split(10001, QUARTERLY, out), 0);
	months_are(out, q);
	assert_int_equal(profile_split(999, HEATING, out), 0);
	months_are(out, h);
}

static void test_invalid(void **state)
{
	int64_t out[12] = { 7 };
	int32_t w[12];

	(void)state;
	memcpy(w, EVEN, sizeof(w));
	w[0] = 833;                                   /* sums to 9999 */
	assert_int_equal(profile_weights_valid(w), 0);
	assert_int_equal(profile_split(100, w, out), -1);
	assert_int_equal(out[0], 7);                   /* untouched */
	w[0] = 835;                                   /* 10001 */
	assert_int_equal(profile_weights_valid(w), 0);
	w[0] = -1;
	assert_int_equal(profile_weights_valid(w), 0);
	assert_int_equal(profile_weights_valid(EVEN), 1);
	assert_int_equal(profile_weights_valid(TERM), 1);
	assert_int_equal(profile_split(INT64_MIN, EVEN, out), -1);
	/* the largest amount splits without overflow and sums exactly */
	assert_int_equal(profile_split(INT64_MAX, TERM, out), 0);
	{
		int64_t s = 0;

		for (int i = 0; i < 12; i++)
			s += out[i] / 2;
		assert_true(s > INT64_MAX / 2 - 12);
	}
}

static void test_text(void **state)
{
	int32_t w[12];
	int64_t m[12];
	char buf[PROFILE_MONTHS_TEXT_MAX];
	const int64_t mm[12] = { -1, 0, 9007199254740992, 3, 4, 5, 6, 7, 8, 9, 10, -11 };

	(void)state;
	assert_int_equal(profile_weights_parse("834,834,834,834,833,833,833,833,833,833,833,833", w), 0);
	assert_memory_equal(w, EVEN, sizeof(w));
	assert_int_equal(profile_weights_parse(" 947 842 1053 790 1000 789 1053 684 947 1053 842 0 ", w), 0);
	assert_memory_equal(w, TERM, sizeof(w));
	assert_int_equal(profile_weights_parse("0, 2500, 0,0,2500,0,0,2500,0,0,2500,0", w), 0);
	assert_memory_equal(w, QUARTERLY, sizeof(w));
	/* eleven, thirteen, a negative, over 10000, a trailing comma, a letter, empty, NULL */
	assert_int_equal(profile_weights_parse("834,834,834,834,833,833,833,833,833,833,833", w), -1);
	assert_int_equal(profile_weights_parse("1,1,1,1,1,1,1,1,1,1,1,1,1", w), -1);
	assert_int_equal(profile_weights_parse("-1,1,1,1,1,1,1,1,1,1,1,1", w), -1);
	assert_int_equal(profile_weights_parse("10001,0,0,0,0,0,0,0,0,0,0,0", w), -1);
	assert_int_equal(profile_weights_parse("1,1,1,1,1,1,1,1,1,1,1,1,", w), -1);
	assert_int_equal(profile_weights_parse("1,1,1,1,1,1,1,1,1,1,1,x", w), -1);
	assert_int_equal(profile_weights_parse("1,,1,1,1,1,1,1,1,1,1,1", w), -1);
	assert_int_equal(profile_weights_parse("", w), -1);
	assert_int_equal(profile_weights_parse(NULL, w), -1);

	profile_weights_format(TERM, buf, sizeof(buf));
	assert_string_equal(buf, "947,842,1053,790,1000,789,1053,684,947,1053,842,0");
	profile_weights_format_sep(TERM, ' ', buf, sizeof(buf));
	assert_string_equal(buf, "947 842 1053 790 1000 789 1053 684 947 1053 842 0");

	profile_months_format(mm, buf, sizeof(buf));
	assert_string_equal(buf, "-1,0,9007199254740992,3,4,5,6,7,8,9,10,-11");
	assert_int_equal(profile_months_parse(buf, m), 0);
	assert_memory_equal(m, mm, sizeof(m));
	assert_int_equal(profile_months_parse("1,2,3", m), -1);
	assert_int_equal(profile_months_parse("9007199254740993,0,0,0,0,0,0,0,0,0,0,0", m), -1);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(profile_name_valid("even"), 1);
	assert_int_equal(profile_name_valid("term_time"), 1);
	assert_int_equal(profile_name_valid("a"), 1);
	assert_int_equal(profile_name_valid("q2_2026"), 1);
	assert_int_equal(profile_name_valid("abcdefghijklmnopqrstuvwxyz012345"), 1);   /* 32 */
	assert_int_equal(profile_name_valid("abcdefghijklmnopqrstuvwxyz0123456"), 0);  /* 33 */
	assert_int_equal(profile_name_valid(""), 0);
	assert_int_equal(profile_name_valid(NULL), 0);
	assert_int_equal(profile_name_valid("Even"), 0);
	assert_int_equal(profile_name_valid("2even"), 0);
	assert_int_equal(profile_name_valid("_even"), 0);
	assert_int_equal(profile_name_valid("term-time"), 0);
	assert_int_equal(profile_name_valid("term time"), 0);
}

static void test_month_of(void **state)
{
	(void)state;
	assert_int_equal(profile_month_of(9), 1);
	assert_int_equal(profile_month_of(12), 4);
	assert_int_equal(profile_month_of(1), 5);
	assert_int_equal(profile_month_of(4), 8);
	assert_int_equal(profile_month_of(8), 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_even),
		cmocka_unit_test(test_term_time),
		cmocka_unit_test(test_quarterly_and_heating),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_month_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
