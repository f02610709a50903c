/* test_acmonth.c - unit tests for daemon/core/acmonth.c (months of an academic year) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "acmonth.h"

static void test_parse(void **state)
{
	int y = 0, m = 0;

	(void)state;
	assert_int_equal(acmonth_parse("2026-09", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 1);
	assert_int_equal(acmonth_parse("2026-11", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 3);
	assert_int_equal(acmonth_parse("2026-12", &y, &m), 0);
	assert_int_equal(m, 4);
	/* January belongs to the year that started the September before */
	assert_int_equal(acmonth_parse("2027-01", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 5);
	assert_int_equal(acmonth_parse("2027-04", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 8);
	assert_int_equal(acmonth_parse("2027-08", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 12);
	assert_int_equal(acmonth_parse("2026-1", &y, &m), -1);
	assert_int_equal(acmonth_parse("2026-00", &y, &m), -1);
	assert_int_equal(acmonth_parse("2026-13", &y, &m), -1);
	assert_int_equal(acmonth_parse("2026/11", &y, &m), -1);
	assert_int_equal(acmonth_parse("2026-11-01", &y, &m), -1);
	assert_int_equal(acmonth_parse("20a6-11", &y, &m), -1);
	assert_int_equal(acmonth_parse("+026-11", &y, &m), -1);
	assert_int_equal(acmonth_parse("1999-11", &y, &m), -1);
	assert_int_equal(acmonth_parse(NULL, &y, &m), -1);
}

static void test_format(void **state)
{
	char buf[8];

	(void)state;
	acmonth_format(2026, 1, buf, sizeof(buf));
	assert_string_equal(buf, "2026-09");
	acmonth_format(2026, 4, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12");
	acmonth_format(2026, 5, buf, sizeof(buf));
	assert_string_equal(buf, "2027-01");
	acmonth_format(2026, 12, buf, sizeof(buf));
	assert_string_equal(buf, "2027-08");
}

static void test_round_trip(void **state)
{
	char buf[8];
	int y, m;

	(void)state;
	for (int month = 1; month <= 12; month++) {
		acmonth_format(2030, month, buf, sizeof(buf));
		assert_int_equal(acmonth_parse(buf, &y, &m), 0);
		assert_int_equal(y, 2030);
		assert_int_equal(m, month);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
