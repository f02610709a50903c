/* test_staff_sheet.c - unit tests for daemon/core/staff_sheet.c: the pay scales'
 * and rates' CSV read through sheetrows, by hand-written files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "staff_sheet.h"

static struct problem p;

static int has_field(const char *f)
{
	for (size_t i = 0; i < p.nerrors; i++)
		if (strcmp(p.errors[i].field, f) == 0)
			return 1;
	return 0;
}

static void test_scales(void **state)
{
	static const char csv[] = "\xef\xbb\xbfScale,Kind,area,year,point,ord,annual\r\n"
				  "main,teacher,inner_london,2026-27,M1,1,\"£38,000.50\"\r\n"
				  ",,,,,,\r\n"
				  "njc,,,2025-26,3,3,23000\r\n";
	struct staff_sheet s;

	(void)state;
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_SCALES, &p);
	assert_int_equal(staff_sheet_csv(csv, sizeof(csv) - 1, TEXTENC_NONE, &s, NULL), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.points[0].scale, "main");
	assert_string_equal(s.points[0].area, "inner_london");
	assert_int_equal(s.points[0].year, 2026);
	assert_int_equal(s.points[0].annual_pence, 3800050);
	assert_int_equal(s.points[1].row, 4);
	assert_string_equal(s.points[1].kind, "");
	assert_int_equal(s.points[1].ord, 3);
	staff_sheet_free(&s);
}

static void test_scales_errors(void **state)
{
	static const char csv[] = "scale,kind,year,point,ord,annual,colour\n"
				  "main,cook,2026,M 1,0,1.234,\n"
				  "main,teacher,2026-27,M1,1,5,red\n";
	static const char nohead[] = "scale,kind,point,annual\nmain,teacher,M1,5\n";
	struct staff_sheet s;

	(void)state;
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_SCALES, &p);
	assert_int_equal(staff_sheet_csv(csv, sizeof(csv) - 1, TEXTENC_NONE, &s, NULL), -1);
	assert_int_equal(p.status, 422);
	assert_true(has_field("row 1, column 7"));
	staff_sheet_free(&s);
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_SCALES, &p);
	assert_int_equal(staff_sheet_csv(nohead, sizeof(nohead) - 1, TEXTENC_NONE, &s, NULL), -1);
	assert_int_equal(p.status, 422);
	assert_true(has_field("row 1"));
	staff_sheet_free(&s);
}

static void test_scales_values(void **state)
{
	static const char csv[] = "scale,kind,year,point,ord,annual\n"
				  "main,cook,2026,M 1,0,1.234\n";
	struct staff_sheet s;

	(void)state;
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_SCALES, &p);
	assert_int_equal(staff_sheet_csv(csv, sizeof(csv) - 1, TEXTENC_NONE, &s, NULL), -1);
	assert_int_equal(p.status, 422);
	assert_true(has_field("row 2, kind"));
	assert_true(has_field("row 2, year"));
	assert_true(has_field("row 2, ord"));
	assert_true(has_field("row 2, annual"));
	assert_int_equal(s.n, 0);
	staff_sheet_free(&s);
}

static void test_rates(void **state)
{
	static const char csv[] = "tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,levy_allowance,employment_allowance\n"
				  "2026-27,1500,5000,50270,2868,50,15000,10500\n"
				  "2026-27,1500,5000,4000,2868,50,15000,10500\n";
	struct staff_sheet s;

	(void)state;
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_RATES, &p);
	assert_int_equal(staff_sheet_csv(csv, sizeof(csv) - 1, TEXTENC_NONE, &s, NULL), -1);
	assert_true(has_field("row 3, ni_upper"));
	assert_int_equal(s.n, 1);
	assert_int_equal(s.rates[0].tax_year, 2026);
	assert_int_equal(s.rates[0].ni_upper_pence, 5027000);
	assert_int_equal(s.rates[0].employment_allowance_pence, 1050000);
	staff_sheet_free(&s);
	problem_reset(&p);
	staff_sheet_init(&s, STAFF_SHEET_RATES, &p);
	assert_int_equal(staff_sheet_csv("", 0, TEXTENC_NONE, &s, NULL), -1);
	assert_int_equal(p.status, 400);
	staff_sheet_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scales),
		cmocka_unit_test(test_scales_errors),
		cmocka_unit_test(test_scales_values),
		cmocka_unit_test(test_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
