/* test_ledger_sheet.c - unit tests for daemon/core/ledger_sheet.c: a ledger export read through
 * sheetrows by hand-written files: the columns found by any of their names, each period form,
 * amounts exactly with their signs, and every bad row named at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ledger_sheet.h"

static struct problem p;

static const char *field_message(const char *f)
{
	for (size_t i = 0; i < p.nerrors; i++)
		if (strcmp(p.errors[i].field, f) == 0)
			return p.errors[i].message;
	return NULL;
}

static int read_csv(const char *csv, struct ledger_sheet *s)
{
	problem_reset(&p);
	ledger_sheet_init(s, 2026, &p);
	return ledger_sheet_csv(csv, strlen(csv), TEXTENC_NONE, s, NULL);
}

static void test_rows(void **state)
{
	/* the columns in another order, other names and case; description and date ignored; a blank
	 * row skipped; every period form */
	static const char csv[] =
		"Date,Nominal Code,Description,Cost Center,Amount,Period,Reference\r\n"
		"2026-09-30,4100,Supply cover,CC01,1234.56,1,INV1\r\n"
		",,,,,,\r\n"
		"2026-10-31,4100,Refund,CC01,\"(1,234.00)\",P02,CN1\r\n"
		",1000,GAG,CC02,-12.5,2026-11,\r\n"
		",1000,GAG,CC02,\"£2,000\",2027-08-31,\r\n"
		",5000,Energy,CC02,0.01,P12,\r\n"
		",5000,Energy,CC02,7,46387,\r\n";   /* 46387 days after 1899-12-30: 2026-12-31 */
	struct ledger_sheet s;

	(void)state;
	assert_int_equal(read_csv(csv, &s), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.rows[0].row, 2);
	assert_string_equal(s.rows[0].nominal, "4100");
	assert_string_equal(s.rows[0].cost_centre, "CC01");
	assert_int_equal(s.rows[0].month, 1);
	assert_int_equal(s.rows[0].amount, 123456);
	assert_int_equal(s.rows[1].row, 4);
	assert_int_equal(s.rows[1].month, 2);
	assert_int_equal(s.rows[1].amount, -123400);
	assert_int_equal(s.rows[2].month, 3);          /* November */
	assert_int_equal(s.rows[2].amount, -1250);
	assert_int_equal(s.rows[3].month, 12);         /* August 2027 */
	assert_int_equal(s.rows[3].amount, 200000);
	assert_int_equal(s.rows[4].month, 12);
	assert_int_equal(s.rows[4].amount, 1);
	assert_int_equal(s.rows[5].month, 4);          /* December */
	assert_int_equal(s.rows[5].amount, 700);
	ledger_sheet_free(&s);
}

static void test_every_bad_row(void **state)
{
	static const char csv[] =
		"nominal,cost_centre,period,amount\n"
		"4100,CC01,13,1.00\n"                  /* no period 13 */
		"4100,CC01,2027-09,1.00\n"             /* the next year's September */
		"4100,CC01,2026-08-31,1.00\n"          /* the year before's August */
		"4100,CC01,1,1.005\n"                  /* three decimals */
		",CC01,1,1\n"                          /* no nominal */
		"4100,,1,\n"                           /* no cost centre, no amount */
		"123456789012345678901,CC01,1,1\n"     /* a nominal of 21 characters */
		"4100,CC01,1,\"2,400\",50\n"          /* a value past the header: ignored */
		"4100,CC01,3,5\n";                     /* good */
	struct ledger_sheet s;

	(void)state;
	assert_int_equal(read_csv(csv, &s), -1);
	assert_int_equal(p.status, 422);
	assert_non_null(strstr(field_message("row 2, period"), "must be a period of 2026-27"));
	assert_string_equal(field_message("row 3, period"), "2027-09 is not in 2026-27 (September 2026 to August 2027)");
	assert_string_equal(field_message("row 4, period"), "2026-08 is not in 2026-27 (September 2026 to August 2027)");
	assert_non_null(strstr(field_message("row 5, amount"), "two decimals"));
	assert_string_equal(field_message("row 6, nominal"), "is empty");
	assert_string_equal(field_message("row 7, cost_centre"), "is empty");
	assert_string_equal(field_message("row 7, amount"), "is empty");
	assert_string_equal(field_message("row 8, nominal"), "must be at most 20 characters");
	assert_int_equal(p.nerrors, 8);
	/* the good rows are kept (row 9: "2,400" is £2,400, the cell past the header ignored) */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.rows[0].row, 9);
	assert_int_equal(s.rows[0].amount, 240000);
	assert_int_equal(s.rows[1].row, 10);
	assert_int_equal(s.rows[1].month, 3);
	assert_int_equal(s.bad_rows, 7);
	ledger_sheet_free(&s);
}

static void test_header(void **state)
{
	struct ledger_sheet s;

	(void)state;
	/* a missing column, and one named twice (account and nominal are the same column) */
	assert_int_equal(read_csv("account,nominal,period,amount\n4100,4100,1,1\n", &s), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_message("row 1, column 2"), "nominal is named twice");
	assert_non_null(strstr(field_message("row 1"), "no cost_centre column"));
	ledger_sheet_free(&s);
	/* a header and no rows */
	assert_int_equal(read_csv("nominal,cost centre,period,amount\n", &s), -1);
	assert_int_equal(p.status, 422);
	assert_non_null(field_message("row 2"));
	ledger_sheet_free(&s);
	/* not CSV at all */
	assert_int_equal(read_csv("", &s), -1);
	assert_int_equal(p.status, 400);
	ledger_sheet_free(&s);
}

static void test_period(void **state)
{
	char why[200];
	int m = 0;

	(void)state;
	assert_int_equal(ledger_sheet_period("1", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 1);
	assert_int_equal(ledger_sheet_period("12", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 12);
	assert_int_equal(ledger_sheet_period("p08", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 8);
	assert_int_equal(ledger_sheet_period("2027-04", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 8);
	assert_int_equal(ledger_sheet_period("2027-01-01", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 5);
	/* 46266 days after 1899-12-30 is 2026-09-01 */
	assert_int_equal(ledger_sheet_period("46266", 2026, &m, why, sizeof(why)), 0);
	assert_int_equal(m, 1);
	assert_int_equal(ledger_sheet_period("46265", 2026, &m, why, sizeof(why)), -1);
	assert_int_equal(ledger_sheet_period("0", 2026, &m, why, sizeof(why)), -1);
	assert_int_equal(ledger_sheet_period("P13", 2026, &m, why, sizeof(why)), -1);
	assert_int_equal(ledger_sheet_period("P400", 2026, &m, why, sizeof(why)), -1);
	assert_int_equal(ledger_sheet_period("Sep-26", 2026, &m, why, sizeof(why)), -1);
	assert_int_equal(ledger_sheet_period("2026-13", 2026, &m, why, sizeof(why)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_every_bad_row),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
