/* test_staff_input.c - unit tests for daemon/core/staff_input.c: a pay scale's
 * name, a point's name, and points neither named nor ordered twice in a year. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "staff_input.h"

static void test_names(void **state)
{
	(void)state;
	assert_null(staff_input_scale_name("teachers_main_inner_london"));
	assert_null(staff_input_scale_name("njc"));
	assert_null(staff_input_scale_name("a"));
	assert_non_null(staff_input_scale_name(""));
	assert_non_null(staff_input_scale_name("Teachers"));
	assert_non_null(staff_input_scale_name("njc-2026"));
	assert_non_null(staff_input_scale_name("a b"));
	assert_null(staff_input_scale_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));       /* 40 */
	assert_non_null(staff_input_scale_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));  /* 41 */
	assert_null(staff_input_point("M1"));
	assert_null(staff_input_point("L43"));
	assert_null(staff_input_point("UQ1"));
	assert_null(staff_input_point("5"));
	assert_null(staff_input_point("ABCDEFGH"));
	assert_non_null(staff_input_point("ABCDEFGHI"));
	assert_non_null(staff_input_point(""));
	assert_non_null(staff_input_point("M 1"));
	assert_non_null(staff_input_point("M-1"));
}

static void test_unique(void **state)
{
	const struct staff_point_in pts[] = {
		{ 2026, "M1", 1, 100 }, { 2026, "M2", 2, 200 }, { 2025, "M1", 1, 90 },   /* another year: fine */
		{ 2026, "M1", 3, 300 },                                                  /* M1 again */
		{ 2026, "M3", 2, 300 },                                                  /* ord 2 again */
	};
	static const size_t rows[] = { 2, 3, 4, 5, 6 };
	static struct problem p;

	(void)state;
	problem_reset(&p);
	assert_int_equal(staff_input_points_unique(pts, 3, "/points/", NULL, &p), 0);
	assert_int_equal(p.nerrors, 0);
	assert_int_equal(staff_input_points_unique(pts, 5, "/points/", NULL, &p), 2);
	assert_int_equal(p.nerrors, 2);
	assert_string_equal(p.errors[0].field, "/points/3/point");
	assert_string_equal(p.errors[1].field, "/points/4/ord");
	problem_reset(&p);
	assert_int_equal(staff_input_points_unique(pts, 5, NULL, rows, &p), 2);
	assert_string_equal(p.errors[0].field, "row 5, point");
	assert_string_equal(p.errors[1].field, "row 6, ord");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
