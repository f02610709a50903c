/* test_monitoring.c - unit tests for daemon/core/monitoring.c with hand-worked figures: a
 * supply code (term_time) through November with actuals, commitments and no outturn; the
 * same code with an entered outturn (its rest over the remaining months by the profile,
 * exactly); income and expenditure favourable signs; the exact split (ties, negative
 * amounts, mixed and zero weights); the totals of a column through budget_totals with a
 * pooled school's pass-through netted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "monitoring.h"

/* E02 supply, budget £19,000.00 = 1,900,000p on term_time (947,842,1053,790,1000,789,1053,
 * 684,947,1053,842,0): each month 1,900,000 x w / 10,000, exact (no remainders):
 *   179,930 159,980 200,070 150,100 190,000 149,910 200,070 129,960 179,930 200,070 159,980 0
 * Actuals Sep 190,000, Oct 170,000, Nov 215,000; a commitment of 12,000 in November and one
 * of 5,000 in December (after `to`, not counted). */
static void supply_in(struct monitoring_in *in)
{
	static const int64_t profile[12] = { 179930, 159980, 200070, 150100, 190000, 149910,
					     200070, 129960, 179930, 200070, 159980, 0 };

	memset(in, 0, sizeof(*in));
	in->kind = BUDGET_EXPENDITURE;
	in->budget = 1900000;
	memcpy(in->profile, profile, sizeof(profile));
	in->actual[0] = 190000;
	in->actual[1] = 170000;
	in->actual[2] = 215000;
	in->commitment[2] = 12000;
	in->commitment[3] = 5000;
}

/* Through November (to = 3):
 *   profile to date 179,930 + 159,980 + 200,070 = 539,980
 *   actual to date  190,000 + 170,000 + 215,000 = 575,000; commitments 12,000
 *   variance 575,000 - 539,980 = +35,020: a cost above the profile, adverse
 *   outturn 575,000 + (1,900,000 - 539,980) = 1,935,020; full year +35,020 adverse
 *   the outturn's months: the three actuals, then the profile's. */
static void test_supply_through_november(void **state)
{
	struct monitoring_in in;
	struct monitoring_line o;

	(void)state;
	supply_in(&in);
	assert_int_equal(monitoring_compute(&in, 3, &o), 0);
	assert_int_equal(o.profile_to_date, 539980);
	assert_int_equal(o.actual_to_date, 575000);
	assert_int_equal(o.commitment_to_date, 12000);
	assert_int_equal(o.variance_to_date, 35020);
	assert_false(o.favourable);
	assert_int_equal(o.outturn, 1935020);
	assert_int_equal(o.full_year_variance, 35020);
	assert_false(o.full_year_favourable);
	assert_int_equal(o.outturn_months[0], 190000);
	assert_int_equal(o.outturn_months[2], 215000);
	assert_int_equal(o.outturn_months[3], 150100);
	assert_int_equal(o.outturn_months[10], 159980);
	assert_int_equal(o.outturn_months[11], 0);
	{
		int64_t s = 0;

		for (int m = 0; m < 12; m++)
			s += o.outturn_months[m];
		assert_int_equal(s, 1935020);
	}
	/* to = 0: nothing counts yet; the outturn is the budget */
	assert_int_equal(monitoring_compute(&in, 0, &o), 0);
	assert_int_equal(o.profile_to_date, 0);
	assert_int_equal(o.actual_to_date, 0);
	assert_int_equal(o.variance_to_date, 0);
	assert_true(o.favourable);
	assert_int_equal(o.outturn, 1900000);
	assert_int_equal(o.full_year_variance, 0);
	/* to = 12: every month's actuals (only three); outturn = actuals 575,000 */
	assert_int_equal(monitoring_compute(&in, 12, &o), 0);
	assert_int_equal(o.profile_to_date, 1900000);
	assert_int_equal(o.commitment_to_date, 17000);
	assert_int_equal(o.variance_to_date, 575000 - 1900000);
	assert_true(o.favourable);
	assert_int_equal(o.outturn, 575000);
	assert_int_equal(monitoring_compute(&in, 13, &o), -1);
	assert_int_equal(monitoring_compute(&in, -1, &o), -1);
}

/* The business manager enters an outturn of £20,000.00 (2,000,000p):
 *   full year 2,000,000 - 1,900,000 = +100,000 adverse; the to-date figures unchanged;
 *   the rest 2,000,000 - 575,000 = 1,425,000 over December..August by the profile there
 *   (150,100 190,000 149,910 200,070 129,960 179,930 200,070 159,980 0; W = 1,360,020):
 *     1,425,000 x 150,100 / W = 157,271 r 794,580
 *     1,425,000 x 190,000 / W = 199,077 r 1,298,460
 *     1,425,000 x 149,910 / W = 157,072 r 688,560
 *     1,425,000 x 200,070 / W = 209,629 r 117,420
 *     1,425,000 x 129,960 / W = 136,169 r 436,620
 *     1,425,000 x 179,930 / W = 188,526 r 1,119,480
 *     1,425,000 x 200,070 / W = 209,629 r 117,420
 *     1,425,000 x 159,980 / W = 167,623 r 867,540
 *     August 0
 *   floors 1,424,996: 4p to the largest remainders (Jan, May, Jul, Dec). */
static void test_entered_outturn(void **state)
{
	static const int64_t want[12] = { 190000, 170000, 215000, 157272, 199078, 157072,
					  209629, 136169, 188527, 209629, 167624, 0 };
	struct monitoring_in in;
	struct monitoring_line o;

	(void)state;
	supply_in(&in);
	in.has_outturn = 1;
	in.outturn = 2000000;
	assert_int_equal(monitoring_compute(&in, 3, &o), 0);
	assert_int_equal(o.profile_to_date, 539980);
	assert_int_equal(o.actual_to_date, 575000);
	assert_int_equal(o.variance_to_date, 35020);
	assert_int_equal(o.outturn, 2000000);
	assert_int_equal(o.full_year_variance, 100000);
	assert_false(o.full_year_favourable);
	for (int m = 0; m < 12; m++)
		assert_int_equal(o.outturn_months[m], want[m]);
	/* an outturn below the budget is favourable for a cost */
	in.outturn = 1850000;
	assert_int_equal(monitoring_compute(&in, 3, &o), 0);
	assert_int_equal(o.full_year_variance, -50000);
	assert_true(o.full_year_favourable);
	/* to = 12 with an entered outturn: the difference from the actuals lands in August */
	assert_int_equal(monitoring_compute(&in, 12, &o), 0);
	assert_int_equal(o.outturn_months[11], 1850000 - 575000);
}

/* Catering income I08, budget 120,000p even (10,008 x 4, 9,996 x 8 = 834/833 bp):
 *   Sep..Nov profile 10,008 x 3 = 30,024; actuals 11,000 + 9,000 + 12,500 = 32,500:
 *   +2,476 received above the profile: favourable. The outturn 32,500 + (120,000 - 30,024)
 *   = 122,476: +2,476 favourable. Actuals below the profile: adverse. */
static void test_income_signs(void **state)
{
	struct monitoring_in in;
	struct monitoring_line o;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.kind = BUDGET_INCOME;
	in.budget = 120000;
	for (int m = 0; m < 12; m++)
		in.profile[m] = m < 4 ? 10008 : 9996;
	in.actual[0] = 11000;
	in.actual[1] = 9000;
	in.actual[2] = 12500;
	assert_int_equal(monitoring_compute(&in, 3, &o), 0);
	assert_int_equal(o.profile_to_date, 30024);
	assert_int_equal(o.variance_to_date, 2476);
	assert_true(o.favourable);
	assert_int_equal(o.outturn, 122476);
	assert_int_equal(o.full_year_variance, 2476);
	assert_true(o.full_year_favourable);
	in.actual[2] = 2500;
	assert_int_equal(monitoring_compute(&in, 3, &o), 0);
	assert_int_equal(o.variance_to_date, -7524);
	assert_false(o.favourable);
	assert_false(o.full_year_favourable);
	assert_true(monitoring_favourable(BUDGET_INCOME, 0));
	assert_true(monitoring_favourable(BUDGET_EXPENDITURE, 0));
	assert_true(monitoring_favourable(BUDGET_EXPENDITURE, -1));
	assert_false(monitoring_favourable(BUDGET_INCOME, -1));
}

/* The exact split: 100p over equal weights 1,1,1: 33 r 1 each, the earliest gets the penny;
 * -100p the same with the sign back; mixed signs or a zero sum: even; 7p by 0,0,5: 0,0,7. */
static void test_split(void **state)
{
	int64_t out[3];
	const int64_t eq[3] = { 1, 1, 1 }, mixed[3] = { 5, -5, 2 }, zero[3] = { 0, 0, 0 }, last[3] = { 0, 0, 5 };
	const int64_t negw[3] = { -1, -3, 0 };

	(void)state;
	assert_int_equal(monitoring_split(100, eq, 3, out), 0);
	assert_true(out[0] == 34 && out[1] == 33 && out[2] == 33);
	assert_int_equal(monitoring_split(-100, eq, 3, out), 0);
	assert_true(out[0] == -34 && out[1] == -33 && out[2] == -33);
	assert_int_equal(monitoring_split(10, mixed, 3, out), 0);
	assert_true(out[0] == 4 && out[1] == 3 && out[2] == 3);
	assert_int_equal(monitoring_split(2, zero, 3, out), 0);
	assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0);
	assert_int_equal(monitoring_split(7, last, 3, out), 0);
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 7);
	/* weights all negative: by their size (1:3) - 10 = 2 r 2, 7 r 2 (of 4): 3, 7 */
	assert_int_equal(monitoring_split(10, negw, 3, out), 0);
	assert_true(out[0] == 3 && out[1] == 7 && out[2] == 0);
	assert_int_equal(monitoring_split(10, eq, 0, out), -1);
}

/* A pooled school's column through budget_totals: I01 GAG 1,000,000; pooled out INT03
 * 1,000,000; allocation back INT05 950,000; teachers E01 700,000; energy E16 50,000.
 *   income 1,000,000 + 950,000 = 1,950,000; expenditure 1,000,000 + 700,000 + 50,000 =
 *   1,750,000; the pass-through INT03 1,000,000 netted from both: 950,000 and 750,000;
 *   balance 200,000; staff 700,000 = 7,368 bp of 950,000 (7,368.42 rounded).
 * The trust's consolidated column drops the internal codes (the caller leaves them out):
 *   income 1,000,000, expenditure 750,000. An unknown code is left out. */
static void test_totals_pooled_school(void **state)
{
	struct budget_account acc[] = {
		{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
		{ 2, "INT03", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
		{ 3, "INT05", "internal", BUDGET_INCOME, 0, 1, 1 },
		{ 4, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
		{ 5, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	};
	struct budget_chart chart = { 5, acc };
	const char codes[6][BUDGET_CODE_MAX + 1] = { "I01", "INT03", "INT05", "E01", "E16", "X99" };
	const int64_t v[6] = { 1000000, 1000000, 950000, 700000, 50000, 123 };
	const char tcodes[3][BUDGET_CODE_MAX + 1] = { "I01", "E01", "E16" };
	const int64_t tv[3] = { 1000000, 700000, 50000 };
	struct budget_totals t;
	int64_t bp = -1;

	(void)state;
	assert_int_equal(monitoring_totals(&chart, BUDGET_MAINSTREAM, codes, v, 6, &t), 0);
	assert_int_equal(t.income, 950000);
	assert_int_equal(t.expenditure, 750000);
	assert_int_equal(t.balance, 200000);
	assert_int_equal(t.staff, 700000);
	assert_int_equal(t.gag, 950000);
	assert_true(t.has_staff_bp);
	assert_int_equal(t.staff_bp, 7368);
	assert_int_equal(monitoring_totals(&chart, BUDGET_MAINSTREAM, tcodes, tv, 3, &t), 0);
	assert_int_equal(t.income, 1000000);
	assert_int_equal(t.expenditure, 750000);
	assert_int_equal(t.balance, 250000);
	/* KPIs: 250,000 / 1,000,000 = 2,500 bp; -1 / 3 = -3,333.3 bp: -3,333; none of a whole of 0 */
	assert_true(monitoring_pct_bp(250000, 1000000, &bp));
	assert_int_equal(bp, 2500);
	assert_true(monitoring_pct_bp(-1, 3, &bp));
	assert_int_equal(bp, -3333);
	assert_false(monitoring_pct_bp(5, 0, &bp));
}

/* Thresholds GBP 10,000 (1,000,000p) and 10% (1,000 bp) of the profile to date:
 *   +35,020 on 539,980: under 1,000,000 -> no;
 *   -1,200,000 on 11,000,000: over 1,000,000, and 1,200,000 x 10,000 = 12,000,000,000 >
 *   1,000 x 11,000,000 = 11,000,000,000: yes; on 12,000,000 (12,000,000,000): equal, not over: no;
 *   1,000,001 on 0 profile: yes; exactly 1,000,000: no. */
static void test_threshold(void **state)
{
	(void)state;
	assert_false(monitoring_over_threshold(35020, 539980, 1000000, 1000));
	assert_true(monitoring_over_threshold(-1200000, 11000000, 1000000, 1000));
	assert_false(monitoring_over_threshold(-1200000, 12000000, 1000000, 1000));
	assert_true(monitoring_over_threshold(1200000, -11000000, 1000000, 1000));
	assert_true(monitoring_over_threshold(1000001, 0, 1000000, 1000));
	assert_false(monitoring_over_threshold(1000000, 0, 1000000, 1000));
	assert_true(monitoring_over_threshold(1, 5, 0, 0));
	assert_false(monitoring_over_threshold(0, 5, 0, 0));
}

/* Totals' full-year variance: budget income 1,950,000, expenditure 1,750,000, balance 200,000,
 * staff 700,000; outturn income 1,940,000, expenditure 1,760,000, balance 180,000, staff 690,000:
 * income -10,000 (adverse), expenditure +10,000 (adverse), balance -20,000 (adverse), staff
 * -10,000 (favourable). Then an outturn equal to the budget: every variance 0, all favourable;
 * one above on income and below on costs: all favourable. */
static void test_totals_variance(void **state)
{
	struct budget_totals b = { 0 }, o = { 0 };
	struct monitoring_totals_variance v;

	(void)state;
	b.income = 1950000, b.expenditure = 1750000, b.balance = 200000, b.staff = 700000;
	o.income = 1940000, o.expenditure = 1760000, o.balance = 180000, o.staff = 690000;
	assert_int_equal(monitoring_totals_variance(&o, &b, &v), 0);
	assert_int_equal(v.income, -10000);
	assert_int_equal(v.expenditure, 10000);
	assert_int_equal(v.balance, -20000);
	assert_int_equal(v.staff, -10000);
	assert_false(v.income_favourable);
	assert_false(v.expenditure_favourable);
	assert_false(v.balance_favourable);
	assert_true(v.staff_favourable);
	assert_int_equal(monitoring_totals_variance(&b, &b, &v), 0);
	assert_true(v.income_favourable && v.expenditure_favourable && v.balance_favourable && v.staff_favourable);
	o.income = 1960000, o.expenditure = 1740000, o.balance = 220000, o.staff = 700000;
	assert_int_equal(monitoring_totals_variance(&o, &b, &v), 0);
	assert_int_equal(v.balance, 20000);
	assert_true(v.income_favourable && v.expenditure_favourable && v.balance_favourable && v.staff_favourable);
	o.income = INT64_MIN;
	assert_int_equal(monitoring_totals_variance(&o, &b, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supply_through_november),
		cmocka_unit_test(test_entered_outturn),
		cmocka_unit_test(test_income_signs),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_totals_pooled_school),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_totals_variance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
