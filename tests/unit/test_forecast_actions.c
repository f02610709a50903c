/* test_forecast_actions.c - unit tests for the forecast engine's management actions
 * (a dated line change of a scenario, DESIGN.md "What-ifs never touch live
 * data"): their lines, worked by hand, their explanation, the digest and the
 * checks. The inputs and look-ups are tests/unit/forecast_harness.h. */
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
#include "forecast_digest.h"
#include "forecast_explain.h"
#include "forecast_harness.h"

/*
 * Management actions (DESIGN.md "What-ifs never touch live data"): a line each on
 * its entity, round(annual x months active / 12) in each forecast year (a month
 * counts when the action is active on its first day), not indexed; the base year
 * untouched. Base 2026-27, three years.
 *   1. 100001 E20 from 1 Mar 2028, open-ended, -1,000,001 a year: 2027-28 Mar-Aug
 *      = 6 months, -1,000,001 x 6/12 = -500,000.5 -> -500,001 (half away from
 *      zero); 2028-29 and 2029-30 -1,000,001.
 *   2. 100001 I08 from 15 Sep 2027 to 31 Jan 2029, +250,001: 2027-28 Oct-Aug (on
 *      1 Sep it has not started) = 11 months, 250,001 x 11/12 = 229,167.58 ->
 *      229,168; 2028-29 Sep-Jan = 5 months, 104,167.08 -> 104,167; 2029-30 none.
 *   3. central E05 for the base year only (1 Sep 2026 - 31 Aug 2027): 0 in every
 *      forecast year, and the base year is the budget's.
 */
static void test_actions(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "E20", "ICT", 5000000, "fixed", 0 }, { "I08", "Lettings", 1000000, "fixed", 0 },
	};
	struct forecast_action act[] = {
		{ "100001", "E20", 0, FORECAST_NO_DATE, -1000001, "Cheaper ICT support" },
		{ "100001", "I08", 0, 0, 250001, "Lettings: the new sports hall" },
		{ "central", "E05", 0, 0, 3000000, "A bursar for a year" },
	};
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 2), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	enum forecast_error kind = 0;
	const struct forecast_entity *s;
	const struct forecast_line *l1, *l2;
	char err[300], d1[65], d2[65], *text;
	cJSON *x;

	(void)state;
	act[0].from = date_from_ymd(2028, 3, 1);
	act[1].from = date_from_ymd(2027, 9, 15);
	act[1].to = date_from_ymd(2029, 1, 31);
	act[2].from = date_from_ymd(2026, 9, 1);
	act[2].to = date_from_ymd(2027, 8, 31);
	in.actions = act;
	in.nactions = 3;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	assert_int_equal(s->nlines, 4);
	l1 = find_line(s, "E20", 1);
	l2 = find_line(s, "I08", 1);
	assert_int_equal(l1->origin, FO_ACTION);
	assert_int_equal(l1->driver, FD_ACTION);
	assert_string_equal(l1->description, "Management action: Cheaper ICT support");
	assert_string_equal(l2->description, "Management action: Lettings: the new sports hall");
	assert_true(l1->a[0] == 0 && l1->a[1] == -500001 && l1->a[2] == -1000001 && l1->a[3] == -1000001);
	assert_true(l2->a[0] == 0 && l2->a[1] == 229168 && l2->a[2] == 104167 && l2->a[3] == 0);
	/* the totals carry them; the base year is the budget */
	assert_true(s->t[0].income == 1000000 && s->t[0].expenditure == 5000000);
	assert_true(s->t[1].income == 1229168 && s->t[1].expenditure == 4499999);
	assert_true(s->t[3].income == 1000000 && s->t[3].expenditure == 3999999);
	l1 = find_line(find_entity(&r, "central"), "E05", 0);
	assert_true(l1->origin == FO_ACTION && l1->a[0] == 0 && l1->a[1] == 0 && l1->a[3] == 0);
	/* the explanation, as data and as text */
	l1 = find_line(s, "E20", 1);
	x = forecast_explain_json(&r, s, l1, 1);
	text = cJSON_PrintUnformatted(x);
	assert_string_equal(text, "{\"driver\":\"action\",\"from\":\"2028-03-01\",\"to\":null,\"annual_pence\":-1000001,"
			    "\"months\":6}");
	cJSON_free(text);
	text = forecast_explain_text("E20", l1->a[1], x);
	assert_string_equal(text, "E20: management action from 2028-03-01 (open-ended): -\xc2\xa3" "10,000.01 a year "
			    "\xc3\x97 6/12 months = -\xc2\xa3" "5,000.01");
	free(text);
	cJSON_Delete(x);
	x = forecast_explain_json(&r, s, l2, 2);
	text = forecast_explain_text("I08", l2->a[2], x);
	assert_string_equal(text, "I08: management action from 2027-09-15 to 2029-01-31: \xc2\xa3" "2,500.01 a year "
			    "\xc3\x97 5/12 months = \xc2\xa3" "1,041.67");
	free(text);
	cJSON_Delete(x);
	forecast_result_free(&r);

	/* the digest covers them */
	assert_int_equal(forecast_digest(&in, d1), 0);
	act[1].annual_pence++;
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	act[1].annual_pence--;
	act[1].note = "Lettings";
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	in.nactions = 2;
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	in.nactions = 3;

	/* checked: an entity, a code of the chart, not internal, dates in order */
	act[2].urn = "999999";
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_int_equal(kind, FORECAST_ERR_INPUT);
	assert_string_equal(err, "management action 3: 999999 is not an entity of the trust");
	act[2].urn = "central";
	act[1].code = "X99";
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "management action 2: X99 is not an account code");
	act[1].code = "INT01";
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "management action 2: INT01 is an internal code (the finance rules post those)");
	act[1].code = "I08";
	act[0].to = date_from_ymd(2028, 2, 1);
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "management action 1: it ends (2028-02-01) before it starts (2028-03-01)");
	act[0].to = FORECAST_NO_DATE;
	run_ok(&in, &r);
	forecast_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
