/* test_date.c - unit tests for daemon/date.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "date.h"

#define SENTINEL INT32_C(-4242)

static void test_from_ymd(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	/* 30 years of 365 days plus 7 leap days (72, 76, .., 96) */
	assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
	/* + 31 (Jan) + 29 (Feb 2000, a leap year: divisible by 400) */
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	/* 70 years back, 17 leap days (1904..1968; 1900 is not one) */
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2026, 9, 1), 20697);
	assert_int_equal(date_from_ymd(2028, 2, 29), 21243);
	assert_int_equal(date_from_ymd(2999, 12, 31), 376199);
}

static void test_to_ymd(void **state)
{
	int y, m, d;

	(void)state;
	date_to_ymd(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	date_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	date_to_ymd(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	date_to_ymd(20697, &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 9);
	assert_int_equal(d, 1);
}

/*
 * Walk every day from 1 Jan 1900 to 31 Dec 2999 with a naive calendar and
 * check both directions against it.
 */
static void test_walk_calendar(void **state)
{
	int y = 1900, m = 1, d = 1, yy, mm, dd, dim, nleap = 0;
	int32_t days = date_from_ymd(1900, 1, 1);

	(void)state;
	for (;;) {
		date_to_ymd(days, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", (int)days, yy, mm, dd, y, m, d);
		if (date_from_ymd(y, m, d) != days)
			fail_msg("%d-%d-%d: got %d, want %d", y, m, d, (int)date_from_ymd(y, m, d),
				 (int)days);
		if (y == 2999 && m == 12 && d == 31)
			break;
		if (m == 2)
			dim = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
		else
			dim = (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
		if (m == 2 && d == 29)
			nleap++;
		days++;
		if (++d > dim) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(days, 376199);
	/* 1900..2999: 275 years divisible by 4, minus 11 centuries, plus 2000, 2400, 2800 */
	assert_int_equal(nleap, 275 - 11 + 3);
}

static void check_parse(const char *s, int y, int m, int d)
{
	int32_t days = SENTINEL;

	if (date_parse(s, &days) != 0)
		fail_msg("\"%s\" rejected", s);
	assert_int_equal(days, date_from_ymd(y, m, d));
}

static void check_reject(const char *s)
{
	int32_t days = SENTINEL;

	if (date_parse(s, &days) != -1)
		fail_msg("\"%s\" accepted", s ? s : "(null)");
	assert_int_equal(days, SENTINEL);
}

static void test_parse(void **state)
{
	(void)state;
	check_parse("1970-01-01", 1970, 1, 1);
	check_parse("2026-09-01", 2026, 9, 1);
	check_parse("2028-02-29", 2028, 2, 29);
	check_parse("2000-02-29", 2000, 2, 29);
	check_parse("2026-12-31", 2026, 12, 31);
	check_parse("1900-01-01", 1900, 1, 1);
	check_parse("2999-12-31", 2999, 12, 31);

	check_reject("2026-02-29");
	check_reject("2100-02-29");
	check_reject("2026-13-01");
	check_reject("2026-00-10");
	check_reject("2026-04-31");
	check_reject("2026-01-00");
	check_reject("2026-01-32");
	check_reject("2026-1-1");
	check_reject("2026-01-1");
	check_reject("2026-01-01x");
	check_reject("2026-01-01 ");
	check_reject(" 2026-01-01");
	check_reject("2026-01-01T00:00:00Z");
	check_reject("2026/01/01");
	check_reject("20260101");
	check_reject("2026-0a-01");
	check_reject("+026-01-01");
	check_reject("1899-12-31");
	check_reject("3000-01-01");
	check_reject("");
	check_reject(NULL);
}

static void test_format(void **state)
{
	char buf[11], small[5];

	(void)state;
	date_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01");
	date_format(21243, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-29");
	date_format(-25567, buf, sizeof(buf));
	assert_string_equal(buf, "1900-01-01");
	date_format(20697, small, sizeof(small));
	assert_string_equal(small, "2026");
}

static void check_add(int y, int m, int d, int months, int wy, int wm, int wd)
{
	char got[16], want[16];

	date_format(date_add_months(date_from_ymd(y, m, d), months), got, sizeof(got));
	date_format(date_from_ymd(wy, wm, wd), want, sizeof(want));
	assert_string_equal(got, want);
}

static void test_add_months(void **state)
{
	(void)state;
	check_add(2026, 1, 31, 1, 2026, 2, 28);
	check_add(2028, 1, 31, 1, 2028, 2, 29);
	check_add(2026, 3, 31, -1, 2026, 2, 28);
	check_add(2026, 1, 31, 3, 2026, 4, 30);
	check_add(2026, 12, 15, 1, 2027, 1, 15);
	check_add(2026, 1, 15, -1, 2025, 12, 15);
	check_add(2026, 1, 15, -13, 2024, 12, 15);
	check_add(2028, 2, 29, 12, 2029, 2, 28);
	check_add(2028, 2, 29, 48, 2032, 2, 29);
	check_add(2026, 9, 1, 0, 2026, 9, 1);
	check_add(2026, 9, 1, 36, 2029, 9, 1);
	check_add(2026, 8, 31, 6, 2027, 2, 28);
	/* clamping does not stick: 31 Jan + 1 month, then + 1 month, is 28 Mar */
	check_add(2026, 2, 28, 1, 2026, 3, 28);
}

static void check_acyear(const char *s, int want)
{
	int start = -1;

	if (acyear_parse(s, &start) != 0)
		fail_msg("\"%s\" rejected", s);
	assert_int_equal(start, want);
}

static void check_acyear_reject(const char *s)
{
	int start = -1;

	if (acyear_parse(s, &start) != -1)
		fail_msg("\"%s\" accepted", s ? s : "(null)");
	assert_int_equal(start, -1);
}

static void test_acyear_parse(void **state)
{
	(void)state;
	check_acyear("2026-27", 2026);
	check_acyear("2000-01", 2000);
	check_acyear("2098-99", 2098);
	check_acyear("2009-10", 2009);

	check_acyear_reject("2026-28");
	check_acyear_reject("2026-26");
	check_acyear_reject("2026/27");
	check_acyear_reject("26-27");
	check_acyear_reject("2026-27x");
	check_acyear_reject("2026-2027");
	check_acyear_reject("2026-7");
	check_acyear_reject(" 2026-27");
	check_acyear_reject("2099-00");
	check_acyear_reject("1999-00");
	check_acyear_reject("2026-+7");
	check_acyear_reject("");
	check_acyear_reject(NULL);
}

static void test_acyear_format(void **state)
{
	char buf[8];
	int start;

	(void)state;
	acyear_format(2026, buf, sizeof(buf));
	assert_string_equal(buf, "2026-27");
	acyear_format(2099, buf, sizeof(buf));
	assert_string_equal(buf, "2099-00");
	acyear_format(2009, buf, sizeof(buf));
	assert_string_equal(buf, "2009-10");
	for (int y = 2000; y <= 2098; y++) {
		acyear_format(y, buf, sizeof(buf));
		assert_int_equal(acyear_parse(buf, &start), 0);
		assert_int_equal(start, y);
	}
}

static void test_acyear_of(void **state)
{
	(void)state;
	assert_int_equal(acyear_of(date_from_ymd(2026, 8, 31)), 2025);
	assert_int_equal(acyear_of(date_from_ymd(2026, 9, 1)), 2026);
	assert_int_equal(acyear_of(date_from_ymd(2026, 12, 31)), 2026);
	assert_int_equal(acyear_of(date_from_ymd(2027, 1, 1)), 2026);
	assert_int_equal(acyear_of(date_from_ymd(2027, 8, 31)), 2026);
	assert_int_equal(acyear_of(date_from_ymd(2027, 9, 1)), 2027);
}

static void test_today_real(void **state)
{
	time_t before, after;
	int32_t today;

	(void)state;
	before = time(NULL);
	today = date_today_real();
	after = time(NULL);
	assert_in_range(today, before / 86400, after / 86400);
	assert_true(today >= date_from_ymd(2024, 1, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_ymd),
		cmocka_unit_test(test_to_ymd),
		cmocka_unit_test(test_walk_calendar),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_acyear_parse),
		cmocka_unit_test(test_acyear_format),
		cmocka_unit_test(test_acyear_of),
		cmocka_unit_test(test_today_real),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
