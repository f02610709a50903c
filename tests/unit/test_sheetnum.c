/* test_sheetnum.c - unit tests for daemon/core/sheetnum.c: number cells as XLSX
 * writers store them (Python's repr, Excel's 17 digits), worked by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sheetnum.h"

static void is(const char *num, const char *want)
{
	char out[64];

	assert_int_equal(sheetnum_pounds(num, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_plain(void **state)
{
	(void)state;
	is("0", "0");
	is("-0", "0");
	is("2400", "2400");
	is("1234.56", "1234.56");
	is("1234.5", "1234.5");
	is("1.50", "1.5");
	is("-12.34", "-12.34");
	is("0.05", "0.05");
	is("007.10", "7.1");
	is("+3", "3");
	is("100000000000", "100000000000");
}

static void test_exponent(void **state)
{
	(void)state;
	is("1E-3", "0.001");
	is("1e-3", "0.001");
	is("1.2345E+3", "1234.5");
	is("1.23456789E5", "123456.789");
	is("5E2", "500");
	is("-2.5E-1", "-0.25");
	is("4.2277E6", "4227700");
	is("1E+300", "100000000000000000000");       /* past any amount */
	is("-1E21", "-100000000000000000000");
	is("1E-99999", "0");                          /* far below a penny: noise */
}

static void test_noise(void **state)
{
	(void)state;
	is("1234.5600000000001", "1234.56");        /* 1234.56 as a double, written in full */
	is("0.30000000000000004", "0.3");            /* 0.1 + 0.2 */
	is("1234.5599999999999", "1234.56");
	is("4.9999999999999996E-2", "0.05");
	is("-4.9999999999999996E-2", "-0.05");
	is("99.999999999999", "100");                /* the carry into pounds */
	is("999.99999999", "1000");
	is("999.9999999", "999.9999999");            /* five 9s only: kept */
	is("0.0099999999", "0.01");
	is("2.00000000", "2");
	is("2.000000001", "2");                      /* six 0s past the pennies, then noise */
	/* a genuine third decimal is kept, for the caller to refuse */
	is("2.675", "2.675");
	is("0.001", "0.001");
	is("1.0000001", "1.0000001");                /* five 0s only */
	is("1.999999", "1.999999");                  /* four 9s past the pennies */
	is("1.99999999", "2");
}

static void test_not_numbers(void **state)
{
	char out[64] = "untouched";

	(void)state;
	assert_int_equal(sheetnum_pounds("", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("-", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds(".", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("1.2.3", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("1E", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("1E+", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("12a", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds(" 12", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("#DIV/0!", out, sizeof(out)), -1);
	assert_int_equal(sheetnum_pounds("12345678901234567890123456789012345678901", out, sizeof(out)), -1);
	assert_string_equal(out, "untouched");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_exponent),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_not_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
