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

/* the NJC spine (a support scale: pay years, April to March), points 3..7, 2026 and 2027
 * (2027 = 2026 x 1.03) */
static const char *const njc_points[] = { "3", "4", "5", "6", "7" };
static const int64_t njc_values[] = {
	/* 2026 */ 2500000, 2550000, 2600000, 2650000, 2700000,
	/* 2027 */ 2575000, 2626500, 2678000, 2729500, 2781000,
};
static const struct staff_scale njc = { "njc", SK_SUPPORT, 5, njc_points, 2026, 2, njc_values };

/* LGPS: 159901's fund 19.5% in 2026-27, 21% from April 2027 */
static const struct staff_lgps lgps[] = { { "159901", 2026, 1950 }, { "159901", 2027, 2100 } };
static const struct staff_env env_lgps = { rates, 2, lgps, 2, NULL, 0, NULL };

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

/* ---- (b) a term-time TA crossing the April award and the NI threshold ----------------- */

/*
 * NJC point 5 (top 5: no increment), FTE 0.60, paid 44.60 weeks of 52.143 (term time,
 * 39 weeks plus the holidays they accrue), no allowances, LGPS at 159901's fund rate
 * (19.5% in tax year 2026, 21% in 2027), category A, starting Friday 25 September 2026.
 * share = 4,460 x 10 / 52,143 = 44,600 / 52,143; pay = annual x 60 x 44,600 x d /
 * (100 x 52,143 x D x 12) = annual x 60 x 44,600 x d / (62,571,600 x D).
 * - September (pay year 2026: 2,600,000): active 25..30 = 6 of 30 days
 *   pay = round(2,600,000 x 60 x 44,600 x 6 / (62,571,600 x 30))
 *       = round(41,745,600,000,000 / 1,877,148,000) = round(22,238.84) = 22,239
 *   NI  = 22,239 < 41,667: 0
 *   LGPS = round(22,239 x 0.195) = round(4,336.605) = 4,337
 * - October..March (6 whole months, pay year 2026):
 *   pay = round(2,600,000 x 60 x 44,600 / 62,571,600) = round(6,957,600,000,000 / 62,571,600)
 *       = round(111,194.22) = 111,194
 *   NI  = round((111,194 - 41,667) x 0.15) = round(69,527 x 0.15) = round(10,429.05) = 10,429
 *   LGPS = round(111,194 x 0.195) = round(21,682.83) = 21,683
 * - April..August (5 whole months, pay year 2027: 2,678,000; tax year 2027):
 *   pay = round(2,678,000 x 60 x 44,600 / 62,571,600) = round(7,166,328,000,000 / 62,571,600)
 *       = round(114,530.04) = 114,530
 *   NI  = round((114,530 - 41,667) x 0.15) = round(72,863 x 0.15) = round(10,929.45) = 10,929
 *   LGPS = round(114,530 x 0.21) = round(24,051.3) = 24,051
 * Year: pay  22,239 + 6 x 111,194 + 5 x 114,530 = 22,239 + 667,164 + 572,650 = 1,262,053
 *       NI   0 + 6 x 10,429 + 5 x 10,929 = 62,574 + 54,645 = 117,219
 *       LGPS 4,337 + 6 x 21,683 + 5 x 24,051 = 4,337 + 130,098 + 120,255 = 254,690
 *       total 1,262,053 + 117,219 + 254,690 = 1,633,962
 */
static struct staff_post post_ta(void)
{
	struct staff_post p = post_base(&njc, 2, 2);

	p.reference = "TA-001";
	p.code = "E03";
	p.role = SR_TA;
	p.fte_h = 60;
	p.paid_weeks_h = 4460;
	p.pension = SP_LGPS;
	p.start = day(2026, 9, 25);
	return p;
}

static void test_ta_term_time(void **state)
{
	struct staff_post p = post_ta();
	struct staff_cost c;
	char err[160];

	(void)state;
	assert_int_equal(staff_cost_year(&p, &env_lgps, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].pay, 22239);
	assert_int_equal(c.m[0].ni, 0);
	assert_int_equal(c.m[0].pension, 4337);
	for (int m = 1; m < 7; m++) {
		assert_int_equal(c.m[m].pay, 111194);
		assert_int_equal(c.m[m].ni, 10429);
		assert_int_equal(c.m[m].pension, 21683);
	}
	for (int m = 7; m < 12; m++) {
		assert_int_equal(c.m[m].pay, 114530);
		assert_int_equal(c.m[m].ni, 10929);
		assert_int_equal(c.m[m].pension, 24051);
	}
	assert_int_equal(c.pay, 1262053);
	assert_int_equal(c.ni, 117219);
	assert_int_equal(c.pension, 254690);
	assert_int_equal(c.total, 1633962);
	assert_int_equal(c.fte_h, 60);
	assert_int_equal(c.active_months, 12);
	assert_int_equal(c.annual_sep, 2600000);

	/* no LGPS rate for the entity: an error naming it */
	p.urn = "100002";
	assert_int_equal(staff_cost_year(&p, &env_lgps, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no LGPS rate for 100002"));
}

/* ---- (c) an under-21 apprentice: category M, no pension ------------------------------ */

/*
 * NJC point 3 (top 3), FTE 1.00, all year, no pension, category M (0% up to the upper
 * secondary threshold U = round(5,027,000 / 12) = round(418,916.67) = 418,917 a month).
 * Sep..Mar: pay = round(2,500,000 / 12) = round(208,333.33) = 208,333; NI 0 (< 418,917)
 * Apr..Aug: pay = round(2,575,000 / 12) = round(214,583.33) = 214,583; NI 0
 * Year: pay 7 x 208,333 + 5 x 214,583 = 1,458,331 + 1,072,915 = 2,531,246; NI 0; pension 0.
 * The same post in category A would pay round((208,333 - 41,667) x 0.15) = round(24,999.9)
 * = 25,000 in September.
 * Category H above U: M6 (4,800,000) with 1,200,000 allowances: pay round(6,000,000 / 12)
 * = 500,000; NI = round((500,000 - 418,917) x 0.15) = round(81,083 x 0.15) = round(12,162.45)
 * = 12,162.
 */
static void test_apprentice(void **state)
{
	struct staff_post p = post_base(&njc, 0, 0);
	struct staff_cost c;
	char err[160];

	(void)state;
	p.role = SR_ADMIN;
	p.code = "E05";
	p.pension = SP_NONE;
	p.ni_category = 'M';
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].pay, 208333);
	assert_int_equal(c.m[6].pay, 208333);
	assert_int_equal(c.m[7].pay, 214583);
	assert_int_equal(c.m[11].pay, 214583);
	assert_int_equal(c.pay, 2531246);
	assert_int_equal(c.ni, 0);
	assert_int_equal(c.pension, 0);
	assert_int_equal(c.total, 2531246);

	p.ni_category = 'A';
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].ni, 25000);

	p = post_base(&main_il, 5, 5);
	p.ni_category = 'H';
	p.allowances_pence = 1200000;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].pay, 500000);
	assert_int_equal(c.m[0].ni, 12162);
}

/* ---- increments ------------------------------------------------------------------ */

/*
 * Teacher: M1 in 2025-26, top M3: 2025 M1; 2026 M2 (Sep 2026); 2027 M3; 2028 still M3.
 * Held from 2027 but costed in 2026: M1 (never below the point).
 * Support: NJC 4 in 2026-27, top 6: Sep 2026 4, April 2027 5 (pay year 2027: 2,678,000,
 * round(2,678,000 / 12) = round(223,166.67) = 223,167); 2027: Sep 5, April 6; 2028: 6.
 * September 2026 at point 4: round(2,550,000 / 12) = 212,500.
 */
static void test_increments(void **state)
{
	struct staff_post t = post_base(&main_il, 0, 2), s = post_base(&njc, 1, 3);
	struct staff_cost c;
	char err[160];

	(void)state;
	t.point_year = 2025;
	assert_int_equal(staff_cost_year(&t, &env0, 2025, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 0);
	assert_int_equal(c.point_apr, 0);
	assert_int_equal(staff_cost_year(&t, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 1);
	assert_int_equal(c.point_apr, 1);
	assert_int_equal(c.annual_sep, 4000000);
	assert_int_equal(staff_cost_year(&t, &env0, 2027, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 2);
	assert_int_equal(staff_cost_year(&t, &env0, 2028, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 2);
	assert_int_equal(c.annual_sep, 4200000);   /* after the data, no awards: the last year's */
	t.point_year = 2027;
	assert_int_equal(staff_cost_year(&t, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 0);

	s.code = "E03";
	s.pension = SP_NONE;
	assert_int_equal(staff_cost_year(&s, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 1);
	assert_int_equal(c.point_apr, 2);
	assert_int_equal(c.m[0].pay, 212500);
	assert_int_equal(c.m[6].pay, 212500);
	assert_int_equal(c.m[7].pay, 223167);
	assert_int_equal(staff_cost_year(&s, &env0, 2027, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 2);
	assert_int_equal(c.point_apr, 3);
	assert_int_equal(staff_cost_year(&s, &env0, 2028, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 3);
	assert_int_equal(c.point_apr, 3);
}

/* ---- an FTE change inside a month ---------------------------------------------------- */

/*
 * M3 in 2026 (4,200,000), FTE 1.00, 0.60 from Monday 16 November 2026, 0.80 from 1 February.
 * October: round(4,200,000 / 12) = 350,000.
 * November (30 days): 1..15 at 100, 16..30 at 60: fte x days = 1,500 + 900 = 2,400;
 *   pay = round(4,200,000 x 2,400 / (100 x 30 x 12)) = round(10,080,000,000 / 36,000) = 280,000
 *   NI  = round((280,000 - 41,667) x 0.15) = round(238,333 x 0.15) = round(35,749.95) = 35,750
 * December: round(4,200,000 x 0.6 / 12) = 210,000. February: round(4,200,000 x 0.8 / 12) = 280,000.
 * Its FTE for the year is 1 September's: 100.
 */
static void test_fte_change(void **state)
{
	struct staff_post p = post_base(&main_il, 2, 5);
	struct staff_fte_change ch[] = { { 0, 60 }, { 0, 80 } };
	struct staff_cost c;
	char err[160];

	(void)state;
	ch[0].from = day(2026, 11, 16);
	ch[1].from = day(2027, 2, 1);
	p.fte_changes = ch;
	p.nfte_changes = 2;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[1].pay, 350000);
	assert_int_equal(c.m[2].pay, 280000);
	assert_int_equal(c.m[2].ni, 35750);
	assert_int_equal(c.m[3].pay, 210000);
	assert_int_equal(c.m[4].pay, 210000);
	assert_int_equal(c.m[5].pay, 280000);
	assert_int_equal(c.m[11].pay, 280000);
	assert_int_equal(c.fte_h, 100);

	/* starting after the change: its FTE is the change's */
	p.start = day(2026, 12, 1);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.fte_h, 60);
	assert_int_equal(c.active_months, 9);

	ch[0].from = day(2027, 3, 1);           /* out of order */
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "date order"));
	ch[0].from = day(2026, 11, 16);
	ch[0].fte_h = 0;                        /* out of range */
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "FTE change"));
}

/* ---- scales after their data: awards, rounded each year --------------------------------- */

/*
 * A teacher scale with one point, 3,456,797 in 2026 (the last data year). Awards (base year
 * 2026): September 2027 2.5%, September 2028 3%.
 * 2027: round(3,456,797 x 1.025) = round(3,543,216.925) = 3,543,217
 * 2028: round(3,543,217 x 1.03) = round(3,649,513.51) = 3,649,514
 *       (not round(3,456,797 x 1.025 x 1.03) = round(3,649,513.35) = 3,649,513)
 * 2025 (before the data): the first year's, 3,456,797. 2040 (beyond the awards): 3,649,514.
 * A post on it in 2027: round(3,543,217 / 12) = round(295,268.08) = 295,268 a month.
 * NJC 5 in pay year 2028 (April 2028 award 4%, support_bp[2]): round(2,678,000 x 1.04) = 2,785,120;
 * with no awards (NULL): 2,678,000.
 */
static void test_scale_awards(void **state)
{
	static const char *const xp[] = { "X1" };
	static const int64_t xv[] = { 3456797 };
	const struct staff_scale ext = { "ext", SK_TEACHER, 1, xp, 2026, 1, xv };
	struct staff_awards aw;
	struct staff_env env = env0;
	struct staff_post p = post_base(&ext, 0, 0);
	struct staff_cost c;
	int64_t v = 0;
	char err[160];

	(void)state;
	memset(&aw, 0, sizeof(aw));
	aw.base_year = 2026;
	aw.teacher_bp[1] = 250;
	aw.teacher_bp[2] = 300;
	aw.support_bp[2] = 400;
	assert_int_equal(staff_scale_value(&ext, 0, 2026, &aw, &v), 0);
	assert_int_equal(v, 3456797);
	assert_int_equal(staff_scale_value(&ext, 0, 2027, &aw, &v), 0);
	assert_int_equal(v, 3543217);
	assert_int_equal(staff_scale_value(&ext, 0, 2028, &aw, &v), 0);
	assert_int_equal(v, 3649514);
	assert_int_equal(staff_scale_value(&ext, 0, 2025, &aw, &v), 0);
	assert_int_equal(v, 3456797);
	assert_int_equal(staff_scale_value(&ext, 0, 2040, &aw, &v), 0);
	assert_int_equal(v, 3649514);
	assert_int_equal(staff_scale_value(&ext, 1, 2026, &aw, &v), -1);
	assert_int_equal(staff_scale_value(&njc, 2, 2028, &aw, &v), 0);
	assert_int_equal(v, 2785120);
	assert_int_equal(staff_scale_value(&njc, 2, 2028, NULL, &v), 0);
	assert_int_equal(v, 2678000);

	env.awards = &aw;
	assert_int_equal(staff_cost_year(&p, &env, 2027, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].pay, 295268);
	assert_int_equal(c.annual_sep, 3543217);
}

/* ---- employer-rate changes in any month ----------------------------------------------- */

/*
 * TPS 30.68% from 1 January 2027 (a scenario's change; the table says 28.68% all year).
 * M3 all year: pay round(4,200,000 / 12) = 350,000 a month.
 * Sep..Dec: round(350,000 x 0.2868) = 100,380; Jan..Aug: round(350,000 x 0.3068) = 107,380.
 * Year: 4 x 100,380 + 8 x 107,380 = 401,520 + 859,040 = 1,260,560.
 * LGPS: 25% for every entity from 1 June 2027 (a change for 999999 alone is ignored):
 * the TA of (b) in June..August: round(114,530 x 0.25) = round(28,632.5) = 28,633 (half away).
 */
static void test_rate_changes(void **state)
{
	struct staff_rate_change ch[] = {
		{ SP_TPS, "", 0, 3068 }, { SP_LGPS, "999999", 0, 3000 }, { SP_LGPS, "", 0, 2500 },
	};
	struct staff_env env = env_lgps;
	struct staff_post p = post_base(&main_il, 2, 5), ta = post_ta();
	struct staff_cost c;
	char err[160];

	(void)state;
	ch[0].from = day(2027, 1, 1);
	ch[1].from = day(2026, 10, 1);
	ch[2].from = day(2027, 6, 1);
	env.changes = ch;
	env.nchanges = 3;
	assert_int_equal(staff_cost_year(&p, &env, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[3].pension, 100380);
	assert_int_equal(c.m[4].pension, 107380);
	assert_int_equal(c.pension, 1260560);

	assert_int_equal(staff_cost_year(&ta, &env, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[1].pension, 21683);   /* 999999's change: not this entity */
	assert_int_equal(c.m[8].pension, 24051);   /* May: the fund's 21% */
	assert_int_equal(c.m[9].pension, 28633);   /* June: 25% */
	assert_int_equal(c.m[11].pension, 28633);
}

/* ---- dates, vacancies and the errors ----------------------------------------------------- */

static void test_dates_and_errors(void **state)
{
	static const char *const gp[] = { "G1", "G2" };
	static const int64_t gv[] = { -1, 3000000, 3100000, 3200000 };   /* G1 has no 2026 value */
	const struct staff_scale gap = { "gap", SK_TEACHER, 2, gp, 2026, 2, gv };
	static const char *const hp[] = { "H1" };
	static const int64_t hv[] = { INT64_MAX / 2 };
	const struct staff_scale huge = { "huge", SK_TEACHER, 1, hp, 2026, 1, hv };
	struct staff_post p = post_base(&main_il, 2, 5);
	struct staff_cost c;
	struct staff_env none = { NULL, 0, NULL, 0, NULL, 0, NULL };
	char err[160];

	(void)state;
	/* ended before the year, or ending before it starts: 0, not an error */
	p.end = day(2026, 8, 31);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.total, 0);
	assert_int_equal(c.active_months, 0);
	assert_int_equal(c.fte_h, 0);
	p.start = day(2027, 1, 1);
	p.end = day(2026, 12, 31);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.total, 0);
	/* one day: 31 December 2026: round(4,200,000 x 1 / (31 x 12)) = round(11,290.32) = 11,290 */
	p.start = p.end;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[3].pay, 11290);
	assert_int_equal(c.active_months, 1);
	/* vacant: costed as filled */
	p = post_base(&main_il, 2, 5);
	p.vacant = 1;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.pay, 12 * 350000);

	/* a point with no value: an error only when a month needs it */
	p = post_base(&gap, 0, 1);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "scale gap has no value for point G1 in 2026"));
	p.start = day(2027, 9, 1);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.total, 0);
	/* costed for 2027 with the trust: in 2027 the post holds G2 (3,200,000: round(3,200,000 / 12)
	 * = round(266,666.67) = 266,667 a month), but in April..August 2027 (2026's months 7..11, the
	 * levy's tax year to date) it held G1, which has no 2026 value: left out of those, counted */
	p.start = FORECAST_NO_DATE;
	{
		struct staff_trust_year t;

		assert_int_equal(staff_cost_trust(&p, 1, &env0, 2027, &t, err, sizeof(err)), 0);
		assert_int_equal(t.prior_uncosted, 1);
		assert_int_equal(t.pay_bill, 12 * 266667);
		staff_trust_year_free(&t);
	}

	/* out of range: refused with a message, never undefined behaviour */
	p = post_base(&main_il, 2, 5);
	p.fte_h = 0;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fte_h"));
	p.fte_h = 101;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.fte_h = 100;
	p.paid_weeks_h = 5215;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.paid_weeks_h = -1;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.paid_weeks_h = 5214;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	p.allowances_pence = STAFF_ALLOWANCES_MAX + 1;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.allowances_pence = -1;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.allowances_pence = 0;
	p.ni_category = 'X';
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.ni_category = 'A';
	p.top = 6;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.top = 1;                              /* below the point */
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.top = 5;
	p.urn = "12345678";
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	p.urn = "159901";
	assert_int_equal(staff_cost_year(&p, &none, 2026, &c, err, sizeof(err)), -1);
	assert_int_equal(staff_cost_year(&p, &env0, 3000, &c, err, sizeof(err)), -1);
	assert_int_equal(staff_cost_months(&p, &env0, 2026, 5, 13, &c, err, sizeof(err)), -1);
	/* pay beyond 64 bits: an overflow, reported */
	p = post_base(&huge, 0, 0);
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overflows"));
}

/* ---- the trust: lines, the levy and the employment allowance --------------------------------- */

/*
 * A flat support scale: one point, £60,000 a year (no awards, so every pay year the same):
 * each post (FTE 1.00, all year, no pension, category A) costs 500,000 a month and
 * NI round((500,000 - 41,667) x 0.15) = round(458,333 x 0.15) = round(68,749.95) = 68,750.
 * School 100001: 3 posts on E03, all the time. The central team: 200 posts from 1 January
 * 2027 (150 on E03, 50 on E05), given first.
 * Lines (by urn, then code):
 *   100001 E03: pay 3 x 12 x 500,000 = 18,000,000; NI 3 x 12 x 68,750 = 2,475,000;
 *               total 20,475,000; 3 posts, FTE 300
 *   central E03: pay 150 x 8 x 500,000 = 600,000,000; NI 150 x 8 x 68,750 = 82,500,000;
 *               total 682,500,000; 150 posts, FTE 15,000
 *   central E05: pay 50 x 8 x 500,000 = 200,000,000; NI 27,500,000; total 227,500,000
 * Pay bill 2026-27: 18,000,000 + 800,000,000 = 818,000,000.
 * The levy, tax year 2026 (April 2026 = k 1; allowance to date A(k) = round(1,500,000 x k / 12)
 * = 125,000 k): the trust's pay is 1,500,000 a month April..December (k 1..9), then
 * 1,500,000 + 200 x 500,000 = 101,500,000 a month from January (k 10..12).
 *   k 9: P = 13,500,000; round(P x 0.005) = 67,500 < A = 1,125,000: L = 0
 *   k 10: P = 115,000,000: 575,000 - 1,250,000 < 0: L = 0
 *   k 11: P = 216,500,000: 1,082,500 - 1,375,000 < 0: L = 0
 *   k 12 (March, m 6): P = 318,000,000: 1,590,000 - 1,500,000 = 90,000: books 90,000 - 0
 *   (a month-by-month levy without the cumulation would have booked 382,500 in each of
 *   January, February and March)
 * Tax year 2027: P(k) = 101,500,000 k: L(k) = 507,500 k - 125,000 k = 382,500 k, so April..
 * August (m 7..11) book 382,500 each.
 * Levy of 2026-27: 90,000 + 5 x 382,500 = 90,000 + 1,912,500 = 2,002,500.
 * The employment allowance (1,050,000 a tax year against the trust's NI from April):
 *   tax year 2026: NI 3 x 68,750 = 206,250 a month; April..August 2026 (2025-26's months) use
 *   5 x 206,250 = 1,031,250, leaving 18,750 for September 2026 (m 0): -18,750; nothing after.
 *   tax year 2027: April 2027's NI is 203 x 68,750 = 13,956,250: all 1,050,000 in April (m 7).
 * Allowance of 2026-27: -18,750 - 1,050,000 = -1,068,750.
 */
static void test_trust_levy(void **state)
{
	static const char *const fp[] = { "1" };
	static const int64_t fv[] = { 6000000 };
	const struct staff_scale flat = { "flat", SK_SUPPORT, 1, fp, 2025, 1, fv };
	struct staff_post posts[203];
	struct staff_cost costs[203], c;
	struct staff_trust_year t;
	char err[160];

	(void)state;
	for (int i = 0; i < 203; i++) {
		posts[i] = post_base(&flat, 0, 0);
		posts[i].role = SR_ADMIN;
		posts[i].pension = SP_NONE;
		posts[i].code = i < 150 || i >= 200 ? "E03" : "E05";
		posts[i].urn = i < 200 ? "central" : "100001";
		if (i < 200)
			posts[i].start = day(2027, 1, 1);
	}
	assert_int_equal(staff_cost_trust_posts(posts, 203, &env0, 2026, costs, &t, err, sizeof(err)), 0);
	assert_int_equal(t.year, 2026);
	assert_int_equal(t.nlines, 3);
	assert_string_equal(t.lines[0].urn, "100001");
	assert_string_equal(t.lines[0].code, "E03");
	assert_int_equal(t.lines[0].pay, 18000000);
	assert_int_equal(t.lines[0].ni, 2475000);
	assert_int_equal(t.lines[0].pension, 0);
	assert_int_equal(t.lines[0].total, 20475000);
	assert_int_equal(t.lines[0].posts, 3);
	assert_int_equal(t.lines[0].fte_h, 300);
	assert_string_equal(t.lines[1].urn, "central");
	assert_string_equal(t.lines[1].code, "E03");
	assert_int_equal(t.lines[1].pay, 600000000);
	assert_int_equal(t.lines[1].ni, 82500000);
	assert_int_equal(t.lines[1].total, 682500000);
	assert_int_equal(t.lines[1].posts, 150);
	assert_int_equal(t.lines[1].fte_h, 15000);
	assert_int_equal(t.lines[1].m[3].pay, 0);
	assert_int_equal(t.lines[1].m[4].pay, 75000000);
	assert_string_equal(t.lines[2].code, "E05");
	assert_int_equal(t.lines[2].total, 227500000);
	assert_int_equal(t.pay_bill, 818000000);
	for (int m = 0; m < 6; m++)
		assert_int_equal(t.levy_m[m], 0);
	assert_int_equal(t.levy_m[6], 90000);
	for (int m = 7; m < 12; m++)
		assert_int_equal(t.levy_m[m], 382500);
	assert_int_equal(t.levy, 2002500);
	assert_int_equal(t.allowance_m[0], -18750);
	for (int m = 1; m < 7; m++)
		assert_int_equal(t.allowance_m[m], 0);
	assert_int_equal(t.allowance_m[7], -1050000);
	assert_int_equal(t.employment_allowance, -1068750);
	/* each post's own cost, as staff_cost_year gives it */
	assert_int_equal(staff_cost_year(&posts[201], &env0, 2026, &c, err, sizeof(err)), 0);
	assert_memory_equal(&costs[201], &c, sizeof(c));
	assert_int_equal(costs[0].pay, 8 * 500000);
	staff_trust_year_free(&t);
	assert_null(t.lines);
	staff_trust_year_free(NULL);

	/* no posts: no lines, nothing to pay */
	assert_int_equal(staff_cost_trust(posts, 0, &env0, 2026, &t, err, sizeof(err)), 0);
	assert_int_equal(t.nlines, 0);
	assert_int_equal(t.levy, 0);
	assert_int_equal(t.employment_allowance, 0);
	staff_trust_year_free(&t);

	assert_int_equal(t.prior_uncosted, 0);
	/* one bad post: -1 with its message, nothing left allocated */
	posts[202].fte_h = 0;
	assert_int_equal(staff_cost_trust(posts, 203, &env0, 2026, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fte_h"));
	assert_null(t.lines);
	assert_int_equal(t.nlines, 0);
}

/* ---- the ICFP measures ------------------------------------------------------------------------ */

/*
 * Costs given directly (the year's totals of pay, NI and pension):
 *   T1 teacher     FTE 1.00  5,000,000  40 periods
 *   T2 teacher     FTE 0.50  2,600,000  22 periods
 *   L1 leadership  FTE 1.00  9,000,000  10 periods
 *   TA teaching assistant FTE 0.80  2,000,000
 *   A1 admin       FTE 1.00  3,000,000
 *   T3 teacher     not active in the year (not counted, though its periods are given)
 * 61 pupils, 50 periods a cycle, expenditure 30,000,000.
 * teacher FTE 250, adult FTE 250 + 80 = 330.
 * PTR = round(61 x 10,000 / 250) = 2,440 (24.40); PAR = round(610,000 / 330) = round(1,848.48) = 1,848
 * average teacher cost = round((5,000,000 + 2,600,000 + 9,000,000) x 100 / 250)
 *                      = 16,600,000 x 100 / 250 = 6,640,000
 * teaching = round(16,600,000 x 10,000 / 30,000,000) = round(5,533.33) = 5,533 bp
 * leadership = round(9,000,000 x 10,000 / (16,600,000 + 2,000,000 + 3,000,000))
 *            = round(90,000,000,000 / 21,600,000) = round(4,166.67) = 4,167 bp
 * contact = round((40 + 22 + 10) x 1,000,000 / (250 x 50)) = 72,000,000 / 12,500 = 5,760 bp
 * A half: 1 pupil, one teacher at FTE 0.32: round(10,000 / 32) = round(312.5) = 313.
 */
static void test_metrics(void **state)
{
	struct staff_post p[6];
	struct staff_cost c[6];
	const enum staff_role roles[6] = { SR_TEACHER, SR_TEACHER, SR_LEADERSHIP, SR_TA, SR_ADMIN, SR_TEACHER };
	const int32_t fte[6] = { 100, 50, 100, 80, 100, 100 };
	const int64_t total[6] = { 5000000, 2600000, 9000000, 2000000, 3000000, 0 };
	const int32_t periods[6] = { 40, 22, 10, -1, -1, 30 };
	struct staff_metrics m;

	(void)state;
	memset(c, 0, sizeof(c));
	for (int i = 0; i < 6; i++) {
		p[i] = post_base(&main_il, 0, 0);
		p[i].role = roles[i];
		p[i].periods_taught = periods[i];
		c[i].fte_h = fte[i];
		c[i].total = total[i];
		c[i].active_months = i == 5 ? 0 : 12;
	}
	staff_metrics_compute(p, c, 6, 61, 50, 30000000, &m);
	assert_int_equal(m.teacher_fte_h, 250);
	assert_int_equal(m.adult_fte_h, 330);
	assert_int_equal(m.pupils, 61);
	assert_int_equal(m.pupil_teacher_ratio_h, 2440);
	assert_int_equal(m.pupil_adult_ratio_h, 1848);
	assert_int_equal(m.average_teacher_cost_pence, 6640000);
	assert_int_equal(m.teaching_cost_bp, 5533);
	assert_int_equal(m.leadership_cost_bp, 4167);
	assert_int_equal(m.contact_ratio_bp, 5760);

	/* unknown pupils, no expenditure, no periods per cycle: n/a */
	staff_metrics_compute(p, c, 6, FORECAST_NO_DATA, 0, 0, &m);
	assert_int_equal(m.pupils, FORECAST_NO_DATA);
	assert_int_equal(m.pupil_teacher_ratio_h, -1);
	assert_int_equal(m.pupil_adult_ratio_h, -1);
	assert_int_equal(m.teaching_cost_bp, -1);
	assert_int_equal(m.contact_ratio_bp, -1);
	assert_int_equal(m.average_teacher_cost_pence, 6640000);

	/* support staff only: no teachers, no teaching measures */
	staff_metrics_compute(p + 3, c + 3, 2, 61, 50, 30000000, &m);
	assert_int_equal(m.teacher_fte_h, 0);
	assert_int_equal(m.adult_fte_h, 80);
	assert_int_equal(m.pupil_teacher_ratio_h, -1);
	assert_int_equal(m.pupil_adult_ratio_h, 7625);   /* 610,000 / 80 */
	assert_int_equal(m.average_teacher_cost_pence, -1);
	assert_int_equal(m.teaching_cost_bp, 0);
	assert_int_equal(m.leadership_cost_bp, 0);
	assert_int_equal(m.contact_ratio_bp, -1);

	/* nothing at all */
	staff_metrics_compute(p, c, 0, 61, 50, 30000000, &m);
	assert_int_equal(m.leadership_cost_bp, -1);
	assert_int_equal(m.average_teacher_cost_pence, -1);

	/* a half rounds away from zero */
	c[0].fte_h = 32;
	staff_metrics_compute(p, c, 1, 1, 50, 30000000, &m);
	assert_int_equal(m.pupil_teacher_ratio_h, 313);
}

/* ---- extreme values: a result or a refusal, never undefined behaviour (run under
 * -fsanitize=address,undefined by make sanitize) ---------------------------------------------- */

static void test_extremes(void **state)
{
	static const char *const xp[] = { "X1" };
	static const int64_t xv[] = { 3456797 };
	const struct staff_scale ext = { "ext", SK_TEACHER, 1, xp, 2026, 1, xv };
	struct staff_rates wild[1] = { { 2026, INT32_MAX, INT32_MAX, INT32_MAX, INT64_MAX, INT64_MAX, INT64_MAX,
					 INT64_MAX } };
	struct staff_env env = { wild, 1, NULL, 0, NULL, 0, NULL };
	struct staff_awards aw;
	struct staff_post p = post_base(&main_il, 0, 5), posts[2];
	struct staff_cost c, open;
	struct staff_trust_year t;
	int64_t v;
	char err[160];

	(void)state;
	/* the widest dates: the same as open-ended */
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &open, err, sizeof(err)), 0);
	p.start = INT32_MIN + 1;
	p.end = INT32_MAX;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_memory_equal(&c, &open, sizeof(c));
	/* increments from any point_year: the top, or the point */
	p.point_year = INT32_MIN;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 5);
	p.point_year = INT32_MAX;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.point_sep, 0);
	/* awards that compound beyond 64 bits, or below zero: no value */
	memset(&aw, 0, sizeof(aw));
	aw.base_year = 2026;
	for (int k = 0; k < FORECAST_NY; k++)
		aw.teacher_bp[k] = INT32_MAX;
	assert_int_equal(staff_scale_value(&ext, 0, 2036, &aw, &v), -1);
	aw.teacher_bp[1] = INT32_MIN;
	assert_int_equal(staff_scale_value(&ext, 0, 2027, &aw, &v), -1);
	assert_int_equal(staff_scale_value(&ext, 0, INT32_MIN, &aw, &v), 0);
	assert_int_equal(v, 3456797);
	/* rates at their limits: NI 0 below an enormous threshold, the pension at 214,748% */
	p = post_base(&main_il, 2, 5);
	assert_int_equal(staff_cost_year(&p, &env, 2026, &c, err, sizeof(err)), 0);
	assert_int_equal(c.m[0].ni, 0);
	assert_int_equal(c.m[0].pension, (int64_t)350000 * INT32_MAX / 10000);
	posts[0] = posts[1] = p;
	assert_int_equal(staff_cost_trust(posts, 2, &env, 2026, &t, err, sizeof(err)), 0);
	assert_int_equal(t.levy, 0);
	assert_int_equal(t.employment_allowance, 0);
	staff_trust_year_free(&t);
	/* a negative levy allowance so large the levy overflows: refused */
	wild[0] = rates[0];
	wild[0].levy_allowance_pence = INT64_MIN;
	assert_int_equal(staff_cost_trust(posts, 2, &env, 2026, &t, err, sizeof(err)), -1);
	assert_null(t.lines);
	/* the most a post may have: £1m allowances, 52.14 weeks, FTE 1.00 */
	p.allowances_pence = STAFF_ALLOWANCES_MAX;
	p.paid_weeks_h = STAFF_PAID_WEEKS_MAX;
	assert_int_equal(staff_cost_year(&p, &env0, 2026, &c, err, sizeof(err)), 0);
	assert_true(c.pay > STAFF_ALLOWANCES_MAX);
}

/* ---- the trust's shared scale values: the same figures as each post alone ------------------- */

/*
 * 40 one-point scales (distinct, so the run's cache of (scale, year) values grows past its
 * first size), teacher and support by turns, each post on its own, costed for 2028 (two
 * years after the data, through the awards): each post's cost from staff_cost_trust_posts
 * is staff_cost_year's, and staff_cost_months_cached with a cache made for other awards
 * ignores it.
 */
static void test_trust_cache(void **state)
{
	static const char *const xp[] = { "X1" };
	static int64_t xv[40];
	struct staff_scale sc[40];
	struct staff_post p[40];
	struct staff_cost costs[40], c;
	struct staff_awards aw, other;
	struct staff_env env = env_lgps;
	struct staff_trust_year t;
	struct staff_scale_cache *cache;
	char err[160];

	(void)state;
	memset(&aw, 0, sizeof(aw));
	aw.base_year = 2026;
	for (int k = 0; k < FORECAST_NY; k++)
		aw.teacher_bp[k] = aw.support_bp[k] = 100 + 37 * k;
	other = aw;
	env.awards = &aw;
	for (int i = 0; i < 40; i++) {
		xv[i] = 2000000 + 12345 * i;
		sc[i] = (struct staff_scale){ "x", i % 2 ? SK_SUPPORT : SK_TEACHER, 1, xp, 2026, 1, &xv[i] };
		p[i] = post_base(&sc[i], 0, 0);
		p[i].pension = i % 3 == 0 ? SP_LGPS : SP_TPS;
		p[i].code = i % 2 ? "E03" : "E01";
	}
	assert_int_equal(staff_cost_trust_posts(p, 40, &env, 2028, costs, &t, err, sizeof(err)), 0);
	assert_int_equal(t.nlines, 2);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(staff_cost_year(&p[i], &env, 2028, &c, err, sizeof(err)), 0);
		assert_memory_equal(&costs[i], &c, sizeof(c));
	}
	staff_trust_year_free(&t);

	cache = staff_scale_cache_new(&other);
	assert_non_null(cache);
	assert_int_equal(staff_cost_months_cached(&p[1], &env, 2028, 0, 12, cache, &c, err, sizeof(err)), 0);
	assert_memory_equal(&costs[1], &c, sizeof(c));
	staff_scale_cache_free(cache);
	staff_scale_cache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_teacher_part_year),
		cmocka_unit_test(test_ta_term_time),
		cmocka_unit_test(test_apprentice),
		cmocka_unit_test(test_increments),
		cmocka_unit_test(test_fte_change),
		cmocka_unit_test(test_scale_awards),
		cmocka_unit_test(test_rate_changes),
		cmocka_unit_test(test_dates_and_errors),
		cmocka_unit_test(test_trust_levy),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_trust_cache),
		cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests_name("staffing", tests, NULL, NULL);
}
