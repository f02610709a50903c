/* test_forecast_warnings.c - unit tests for the forecast engine's reserves, KPIs and
 * warnings (daemon/core/forecast_report.c through forecast_run): every figure
 * worked by hand in the comments (pence unless said; "round" is half away from
 * zero). The inputs and look-ups are tests/unit/forecast_harness.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forecast.h"
#include "forecast_harness.h"

/*
 * Reserves and KPIs: closing = opening + income - expenditure, rolled forward;
 * staff % of income without the contingency; reserves and balance % of income.
 */
static void test_reserves_and_kpis(void **state)
{
	static const struct forecast_line_in good[] = {
		{ "I06", "Grant", 100000000, "fixed", 0 }, { "E01", "Teachers", 70000000, "fixed", 0 },
		{ "E16", "Energy", 10000000, "fixed", 0 }, { "CON01", "Contingency", 5000000, NULL, 0 },
	};
	static const struct forecast_line_in poor[] = {
		{ "I06", "Grant", 100000000, "fixed", 0 }, { "E01", "Teachers", 98000000, "fixed", 0 },
		{ "CON01", "Contingency", 5000000, NULL, 0 },
	};
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[3] = { entity("100001", "", good, 4), entity("100002", "", poor, 3),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;
	const struct forecast_entity *g, *p;

	(void)state;
	e[0].opening_pence = 10000000;
	e[1].opening_pence = 2000000;
	e[2].has_opening = 0;
	run_ok(&in, &r);
	g = find_entity(&r, "100001");
	p = find_entity(&r, "100002");
	/* balance 100,000,000 - 85,000,000 = 15,000,000 a year: closing 25m (base), 40m, 55m */
	assert_true(g->t[0].closing == 25000000);
	assert_true(g->t[1].opening == 25000000 && g->t[1].closing == 40000000);
	assert_true(g->t[2].opening == 40000000 && g->t[2].closing == 55000000);
	/* staff 70% (the contingency is not staff), reserves 40%, balance 15% */
	assert_true(g->t[1].staff_bp == 7000 && g->t[1].reserves_bp == 4000 && g->t[1].balance_bp == 1500);
	assert_true(g->t[1].non_staff == 15000000 && g->t[1].contingency == 5000000);
	assert_true(has_warning(&r, "100001", 2027, "reserves_high"));
	assert_false(has_warning(&r, "100001", 0, "in_year_deficit"));
	/* a deficit of 3,000,000 a year from 2,000,000: -1m, -4m, -7m; reserves -4% then -7% */
	assert_true(p->t[1].balance == -3000000 && p->t[1].closing == -4000000 && p->t[2].closing == -7000000);
	assert_true(p->t[1].reserves_bp == -400 && p->t[1].balance_bp == -300 && p->t[1].staff_bp == 9800);
	assert_true(has_warning(&r, "100002", 2027, "in_year_deficit") && has_warning(&r, "100002", 2028, "in_year_deficit"));
	assert_true(has_warning(&r, "100002", 2027, "negative_reserves"));
	assert_false(has_warning(&r, "100002", 0, "reserves_low"));        /* told apart: negative, not low */
	/* from the base year on: 2,000,000 - 3,000,000 = -1,000,000 at the end of 2026-27 */
	assert_true(has_warning(&r, "100002", 2026, "in_year_deficit") && has_warning(&r, "100002", 2026, "negative_reserves"));
	assert_true(has_warning(&r, "100001", 2026, "reserves_high"));     /* 25m of 100m: 25% */
	/* the central team has no opening reserves recorded: 0, said */
	assert_true(has_warning(&r, "central", 2026, "no_opening_reserves"));
	/* the trust: opening 25m - 1m + 0 = 24m; balance 12m a year; closing 36m of 200m income = 18% */
	assert_true(r.trust[1].opening == 24000000 && r.trust[1].balance == 12000000 && r.trust[1].closing == 36000000);
	assert_true(r.trust[1].reserves_bp == 1800);
	forecast_result_free(&r);
}

/* Warnings: pupils falling more than 5% a year, contracts ending inside the horizon. */
static void test_warnings(void **state)
{
	static const struct forecast_line_in lines[] = { { "I01", "GAG", 100000000, NULL, 0 } };
	struct forecast_contract contracts[] = {
		{ "CLN-1", "100001", 0, 0 },            /* ends 31 Mar 2028: inside */
		{ "ICT-2", "100001", 0, 0 },            /* ends 2035: outside */
		{ "CPY-3", "central", 0, 1 },           /* auto-renews */
		{ "CAT-4", "100002", 0, 0 },            /* not in the forecast */
		{ "WST-5", "central", 0, 0 },           /* ends 31 Aug 2027: the base year's last day, inside */
	};
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[3] = { entity("100001", "", lines, 1), entity("100002", "", lines, 1),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;

	(void)state;
	contracts[0].final_end = date_from_ymd(2028, 3, 31);
	contracts[1].final_end = date_from_ymd(2035, 8, 31);
	contracts[2].final_end = date_from_ymd(2028, 1, 31);
	contracts[3].final_end = date_from_ymd(2028, 1, 31);
	contracts[4].final_end = date_from_ymd(2027, 8, 31);
	in.contracts = contracts;
	in.ncontracts = 5;
	census(&e[0], 540, 530, 522);
	e[0].pupils[3] = 490;                    /* -6.13%: a warning in 2027-28 */
	e[0].pupils[4] = 480;                    /* -2.04%: none */
	e[0].pupils[5] = 455;                    /* -5.21%: a warning in 2029-30 */
	e[1].selected = 0;
	run_ok(&in, &r);
	assert_true(has_warning(&r, "100001", 2027, "pupils_falling"));
	assert_false(has_warning(&r, "100001", 2028, "pupils_falling"));
	assert_true(has_warning(&r, "100001", 2029, "pupils_falling"));
	assert_true(has_warning(&r, "100001", 2027, "contract_ends"));
	assert_true(has_warning(&r, "central", 2026, "contract_ends"));
	assert_int_equal(has_warning(&r, "100002", 0, "contract_ends"), 0);
	{
		int n = 0;

		for (size_t i = 0; i < r.nwarnings; i++)
			n += strcmp(r.warnings[i].code, "contract_ends") == 0;
		assert_int_equal(n, 2);
	}
	for (size_t i = 0; i < r.nwarnings; i++)
		if (strcmp(r.warnings[i].code, "pupils_falling") == 0 && r.warnings[i].year == 2027)
			assert_string_equal(r.warnings[i].message,
					    "2027-28: pupils fall from 522 to 490 (-6.13%), more than 5% in a year");
	forecast_result_free(&r);
}

/*
 * Warnings from the base year on, each with the year, the figures in pounds and
 * what to do (figures here in pounds). 100001: 1,000,000 of income against 1,030,000 (-30,000 a year)
 * from 40,000 of reserves: closing 10,000 (2026-27, 1.00% of income: low),
 * -20,000 (2027-28: negative), -50,000. 100002: 1,000,000 against 950,000 from
 * 180,000: closing 230,000 (23.00%: high), 280,000 (28.00%). The trust: opening
 * 220,000, +20,000 a year: 240,000 of 2,000,000 (12.00%), 260,000 (13.00%): none.
 */
static void test_warnings_reserves(void **state)
{
	static const struct forecast_line_in poor[] = {
		{ "I06", "Grant", 100000000, "fixed", 0 }, { "E17", "Costs", 103000000, "fixed", 0 },
	};
	static const struct forecast_line_in rich[] = {
		{ "I06", "Grant", 100000000, "fixed", 0 }, { "E17", "Costs", 95000000, "fixed", 0 },
	};
	static const struct { const char *urn; int year; const char *code, *message; } want[] = {
		{ "100001", 2026, "in_year_deficit", "2026-27: an in-year deficit of \xc2\xa3" "30,000.00 (income \xc2\xa3"
		  "1,000,000.00, expenditure \xc2\xa3" "1,030,000.00), leaving closing reserves of \xc2\xa3" "10,000.00. "
		  "Say how the reserves will be used, or find the savings or income that balance the year" },
		{ "100001", 2026, "reserves_low", "2026-27: closing reserves of \xc2\xa3" "10,000.00 are 1.00% of income "
		  "(\xc2\xa3" "1,000,000.00), below 5%: little cover for the unexpected. Plan to rebuild them" },
		{ "100001", 2027, "in_year_deficit", "2027-28: an in-year deficit of \xc2\xa3" "30,000.00 (income \xc2\xa3"
		  "1,000,000.00, expenditure \xc2\xa3" "1,030,000.00), leaving closing reserves of -\xc2\xa3" "20,000.00. "
		  "Find the savings or income that balance the year" },
		{ "100001", 2027, "negative_reserves", "2027-28: closing reserves of -\xc2\xa3" "20,000.00, a cumulative "
		  "deficit of \xc2\xa3" "20,000.00. A deficit budget not covered by reserves must be reported to the DfE "
		  "within 14 days of the board approving it, with a recovery plan" },
		{ "100002", 2026, "reserves_high", "2026-27: closing reserves of \xc2\xa3" "230,000.00 are 23.00% of income "
		  "(\xc2\xa3" "1,000,000.00), above 20%: the BFR asks why. Say what they are held for, or plan to spend "
		  "them on the pupils now" },
	};
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[3] = { entity("100001", "", poor, 2), entity("100002", "", rich, 2),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;
	size_t n[3] = { 0 };

	(void)state;
	e[0].opening_pence = 4000000;
	e[1].opening_pence = 18000000;
	run_ok(&in, &r);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		size_t i;

		for (i = 0; i < r.nwarnings; i++)
			if (strcmp(r.warnings[i].urn, want[w].urn) == 0 && r.warnings[i].year == want[w].year &&
			    strcmp(r.warnings[i].code, want[w].code) == 0)
				break;
		if (i == r.nwarnings)
			fail_msg("no %s for %s in %d", want[w].code, want[w].urn, want[w].year);
		assert_string_equal(r.warnings[i].message, want[w].message);
	}
	/* each year once: 100001 a deficit every year, low reserves once, then negative reserves (not
	 * low as well); 100002 high reserves every year; nothing for the trust or the central team */
	for (size_t i = 0; i < r.nwarnings; i++) {
		n[0] += strcmp(r.warnings[i].code, "in_year_deficit") == 0;
		n[1] += strcmp(r.warnings[i].code, "negative_reserves") == 0;
		n[2] += strcmp(r.warnings[i].code, "reserves_high") == 0 || strcmp(r.warnings[i].code, "reserves_low") == 0;
		assert_string_not_equal(r.warnings[i].urn, "trust");
		assert_string_not_equal(r.warnings[i].urn, "central");
	}
	assert_true(n[0] == 3 && n[1] == 2 && n[2] == 4);
	assert_false(has_warning(&r, "100001", 2027, "reserves_low"));
	forecast_result_free(&r);

	/* the trust's own: 100002 spending 140,000,000 pence against 100,000,000 (-40,000,000 a year), the
	 * trust's closing is 22,000,000 - 3,000,000 - 40,000,000 = -21,000,000 in 2026-27 */
	{
		static const struct forecast_line_in worse[] = {
			{ "I06", "Grant", 100000000, "fixed", 0 }, { "E17", "Costs", 140000000, "fixed", 0 },
		};

		e[1].lines = worse;
		run_ok(&in, &r);
		assert_true(r.trust[0].closing == -21000000);
		assert_true(has_warning(&r, "trust", 2026, "negative_reserves") && has_warning(&r, "trust", 2026,
												"in_year_deficit"));
		forecast_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserves_and_kpis),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_warnings_reserves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
