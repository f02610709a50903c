/* test_table.c - unit tests for daemon/core/table.c: a typed table rendered as CSV
 * (the first sheet only, CRLF, pounds from pence, quoting and formula neutralising,
 * formulas as their values, short rows padded), misuse failing sticky, and Excel's
 * column letters. The XLSX half is tested through the API (test_exports_xlsx.py). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "table.h"

static const struct table_col cols[] = {
	{ "name", TABLE_TEXT, 0, 0 },
	{ "amount", TABLE_PENCE, 0, 0 },
	{ "rate_bp", TABLE_BP, 0, 0 },
	{ "pupils", TABLE_INT, TABLE_COL_LOCKED, 0 },
	{ "start", TABLE_DATE, 0, 0 },
};

static void test_csv(void **state)
{
	struct table t;
	struct table_csv_buf b;

	(void)state;
	table_csv_buf_init(&t, &b);
	table_sheet(&t, "Main", cols, 5, TABLE_SHEET_PROTECT);
	table_row(&t, 0);
	table_text(&t, "Oak, Primary");
	table_num(&t, 123456);
	table_num(&t, 250);
	table_num(&t, 630);
	table_text(&t, "2026-09-01");
	table_row(&t, TABLE_ROW_LOCKED);
	table_text(&t, "=HYPERLINK(\"x\")");
	table_num(&t, -5);
	table_blank(&t);
	table_num(&t, -1);                       /* and the rest padded */
	table_row(&t, TABLE_ROW_BOLD);
	table_text(&t, "total");
	table_formula(&t, "=SUM(B2:B3)", 123451);
	/* a second sheet is XLSX's: not in the CSV */
	table_sheet(&t, "Notes", cols, 1, 0);
	table_row(&t, 0);
	table_text(&t, "not in the CSV");
	assert_int_equal(table_finish(&t), 0);
	assert_string_equal(b.buf, "name,amount,rate_bp,pupils,start\r\n"
			    "\"Oak, Primary\",1234.56,250,630,2026-09-01\r\n"
			    "\"'=HYPERLINK(\"\"x\"\")\",-0.05,,-1,\r\n"
			    "total,1234.51,,,\r\n");
	assert_int_equal(b.len, strlen(b.buf));
	free(b.buf);
}

static void test_quoted_columns(void **state)
{
	static const struct table_col q[] = {
		{ "entity", TABLE_TEXT, TABLE_COL_QUOTE, 0 },
		{ "amount", TABLE_PENCE, 0, 0 },
		{ "note", TABLE_TEXT, TABLE_COL_QUOTE, 0 },
	};
	struct table t;
	struct table_csv_buf b;

	(void)state;
	table_csv_buf_init(&t, &b);
	table_sheet(&t, "Lines", q, 3, 0);
	table_row(&t, 0);
	table_text(&t, "159901");
	table_num(&t, 100);
	table_text(&t, NULL);
	assert_int_equal(table_finish(&t), 0);
	assert_string_equal(b.buf, "entity,amount,note\r\n\"159901\",1.00,\"\"\r\n");
	free(b.buf);
}

static void test_misuse_fails(void **state)
{
	struct table t;
	struct table_csv_buf b;

	(void)state;
	/* a cell before any row */
	table_csv_buf_init(&t, &b);
	table_sheet(&t, "Main", cols, 2, 0);
	table_text(&t, "x");
	assert_int_equal(table_finish(&t), -1);
	free(b.buf);
	/* a cell past the last column; later calls do nothing */
	table_csv_buf_init(&t, &b);
	table_sheet(&t, "Main", cols, 2, 0);
	table_row(&t, 0);
	table_text(&t, "a");
	table_num(&t, 1);
	table_num(&t, 2);
	table_row(&t, 0);
	table_text(&t, "b");
	assert_int_equal(table_finish(&t), -1);
	assert_string_equal(b.buf, "name,amount\r\na,0.01");      /* what came before; the caller drops it */
	free(b.buf);
	/* a row before any sheet; table_fail */
	table_csv_buf_init(&t, &b);
	table_row(&t, 0);
	assert_int_equal(table_finish(&t), -1);
	free(b.buf);
	table_csv_buf_init(&t, &b);
	table_sheet(&t, "Main", cols, 2, 0);
	table_fail(&t);
	assert_int_equal(table_finish(&t), -1);
	free(b.buf);
}

static void test_col_letter(void **state)
{
	char buf[8];

	(void)state;
	assert_string_equal(table_col_letter(0, buf, sizeof(buf)), "A");
	assert_string_equal(table_col_letter(25, buf, sizeof(buf)), "Z");
	assert_string_equal(table_col_letter(26, buf, sizeof(buf)), "AA");
	assert_string_equal(table_col_letter(27, buf, sizeof(buf)), "AB");
	assert_string_equal(table_col_letter(701, buf, sizeof(buf)), "ZZ");
	assert_string_equal(table_col_letter(702, buf, sizeof(buf)), "AAA");
	assert_string_equal(table_col_letter(16383, buf, sizeof(buf)), "XFD");     /* Excel's last */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_quoted_columns),
		cmocka_unit_test(test_misuse_fails),
		cmocka_unit_test(test_col_letter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
