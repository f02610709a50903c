/* test_staffing.c - unit tests for daemon/core/staffing*.c: one post's month-by-month
 * costing, the trust's sums with the levy and the employment allowance, and the ICFP
 * measures. Small invented scales and rates; every figure is worked by hand in the
 * comments (round = half away from zero). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "staffing.h"

/* ---- invented data ---------------------------------------------------------------- */

/* teachers' main range, inner London: 2025-26 and 2026-27 */
static const char *const main_points[] = { "M1", "M2", "M3", "M4", "M5", "M6" };
static const int64_t main_values[] = {
	/* 2025 */ 3700000, 3900000, 4100000, 4300000, 4500000, 4700000,
	/* 2026 */ 3800000, 4000000, 4200000, 4400000, 4600000, 4800000,
};
static const struct staff_scale main_il = { "teachers_main_inner_london", SK_TEACHER, 6, main_points, 2025, 2,
					    main_values };

/* tax years 2026 and 2027: NI 15% above £5,000 (upper £50,270), TPS 28.68%, levy 0.5% less
 * £15,000, employment allowance £10,500 */
static const struct staff_rates rates[] = {
	{ 2026, 1500, 2868, 50, 500000, 5027000, 1500000, 1050000 },
	{ 2027, 1500, 2868, 50, 500000, 5027000, 1500000, 1050000 },
};
static const struct staff_env env0 = { rates, 2, NULL, 0, NULL, 0, NULL };

static struct staff_post post_base(const struct staff_scale *s, size_t point, size_t top)
{
	struct staff_post p;

	memset(&p, 0, sizeof(p));
	p.urn = "159901";
	p.reference = "T-001";
	p.code = "E01";
	p.role = SR_TEACHER;
	p.scale = s;
	p.point = point;
	p.top = top;
	p.point_year = 2026;
	p.fte_h = 100;
	p.pension = SP_TPS;
	p.ni_category = 'A';
	p.start = FORECAST_NO_DATE;
	p.end = FORECAST_NO_DATE;
	p.periods_taught = -1;
	return p;
}

static int32_t day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* ---- roles and scales ------------------------------------------------------------- */

static void test_roles(void **state)
{
	enum staff_role r;
	enum staff_pension p;

	(void)state;
	assert_int_equal(staff_role_parse("teaching_assistant", &r), 0);
	assert_int_equal(r, SR_TA);
	assert_string_equal(staff_role_name(SR_OTHER), "other_support");
	assert_int_equal(staff_role_parse("teacher ", &r), -1);
	assert_int_equal(staff_role_parse(NULL, &r), -1);
	assert_true(staff_role_teaches(SR_LEADERSHIP));
	assert_false(staff_role_teaches(SR_TA));
	assert_string_equal(staff_role_name((enum staff_role)99), "?");
	assert_int_equal(staff_pension_parse("lgps", &p), 0);
	assert_int_equal(p, SP_LGPS);
	assert_int_equal(staff_pension_parse("LGPS", &p), -1);
	assert_string_equal(staff_pension_name(SP_NONE), "none");
	assert_int_equal(staff_scale_point(&main_il, "M3"), 2);
	assert_int_equal(staff_scale_point(&main_il, "M7"), -1);
}

/* ---- (a) a part-year M3 teacher in inner London with a TLR ----------------------------- */

/*
 * M3 from 2026-27 (top M6), FTE 1.00, all year, TLR £3,436 a year, TPS, category A,
 * starting Friday 15 January 2027 (month 4), costed for 2026-27.
 * Annual (M3, 2026) = £42,000 = 4,200,000p; the post holds M3 all year (its first
 * increment is September 2027).
 * - Sep..Dec: not active: 0.
 * - January: active 15..31 = 17 of 31 days.
 *   pay = round((4,200,000 x 100/100 + 343,600) x 17/31 / 12)
 *       = round(4,543,600 x 17 / 372) = round(77,241,200 / 372) = round(207,637.634) = 207,638
 *   NI  = round((207,638 - 41,667) x 0.15) = round(165,971 x 0.15) = round(24,895.65) = 24,896
 *         (T = round(500,000 / 12) = round(41,666.67) = 41,667)
 *   TPS = round(207,638 x 0.2868) = round(59,550.578) = 59,551
 * - February..August (7 whole months):
 *   pay = round(4,543,600 / 12) = round(378,633.33) = 378,633
 *   NI  = round((378,633 - 41,667) x 0.15) = round(336,966 x 0.15) = round(50,544.9) = 50,545
 *   TPS = round(378,633 x 0.2868) = round(108,591.944) = 108,592
 * Year: pay 207,638 + 7 x 378,633 = 207,638 + 2,650,431 = 2,858,069
 *       NI  24,896 + 7 x 50,545 = 24,896 + 353,815 = 378,711
 *       TPS 59,551 + 7 x 108,592 = 59,551 + 760,144 = 819,695
 *       total 2,858,069 + 378,711 + 819,695 = 4,056,475
 */
static void test_teacher_part_year(void **state)
{
	struct staff_post p = post_base(&main_il, 2, 5);
	struct staff_cost c;
	char err[160];

	(void)state;
	p.allowances_pence = 343600;
	p.start = day(2027, 1, 15);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	for (int m = 0; m < 4; m++) {
		assert_int_equal(c.m[m].pay, 0);
		assert_int_equal(c.m[m].ni, 0);
		assert_int_equal(c.m[m].pension, 0);
	}
	assert_int_equal(c.m[4].pay, 207638);
	assert_int_equal(c.m[4].ni, 24896);
	assert_int_equal(c.m[4].pension, 59551);
	for (int m = 5; m < 12; m++) {
		assert_int_equal(c.m[m].pay, 378633);
		assert_int_equal(c.m[m].ni, 50545);
		assert_int_equal(c.m[m].pension, 108592);
	}
	assert_int_equal(c.pay, 2858069);
	assert_int_equal(c.ni, 378711);
	assert_int_equal(c.pension, 819695);
	assert_int_equal(c.total, 4056475);
	assert_int_equal(c.active_months, 8);
	assert_int_equal(c.fte_h, 100);
	assert_int_equal(c.point_sep, 2);
	assert_int_equal(c.point_apr, 2);
	assert_int_equal(c.annual_sep, 4200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_teacher_part_year),
	};

	return cmocka_run_group_tests_name("staffing", tests, NULL, NULL);
}
