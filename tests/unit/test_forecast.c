/* test_forecast.c - unit tests for the forecast engine (daemon/core/forecast.c,
 * forecast_setup.c, forecast_drivers.c): each driver, the services rule, a
 * contract priced by price.c feeding the services line, the finance rules
 * through the real plugins with the pass-through totals, and explanations,
 * with every figure worked by hand in the comments (pence; "round" is half
 * away from zero). The finance-rule test loads the real plugins
 * (plugins/local.so and central.so) through tests/unit/plugin_harness.h, as
 * the daemon would; the inputs and look-ups are tests/unit/forecast_harness.h.
 * Elsewhere: test_forecast_warnings.c (reserves, KPIs, warnings),
 * test_forecast_actions.c (management actions), test_forecast_input.c (digest,
 * bad input, services index), test_forecast_rules.c (postings, failing rules). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "date.h"
#include "forecast.h"
#include "forecast_digest.h"
#include "forecast_explain.h"
#include "forecast_harness.h"
#include "plugin_harness.h"
#include "price.h"
#include "procure.h"

/* ---------------------------------------------------------------------------- */

static void test_driver_parse(void **state)
{
	enum forecast_driver d;
	char ix[FORECAST_INDEX_MAX + 1];

	(void)state;
	assert_int_equal(forecast_driver_parse("inflation:energy", &d, ix), 0);
	assert_int_equal(d, FD_INFLATION);
	assert_string_equal(ix, "energy");
	assert_int_equal(forecast_driver_parse("support_pay", &d, ix), 0);
	assert_int_equal(d, FD_SUPPORT_PAY);
	assert_int_equal(forecast_driver_parse("inflation:", &d, ix), -1);
	assert_int_equal(forecast_driver_parse("inflation:CPI", &d, ix), -1);
	assert_int_equal(forecast_driver_parse("inflation", &d, ix), -1);
	assert_int_equal(forecast_driver_parse("rules", &d, ix), -1);      /* the plugins' own, not for lines */
}

/*
 * fixed, funding, inflation:<index>. funding +2.10% then +1.00%, cpi +3.00% then
 * +2.50%, energy +5.00% then +4.00%.
 */
static void test_fixed_funding_inflation(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "I06", "UIFSM", 11850000, NULL, 0 },
		{ "I08", "Lettings", 3800003, NULL, 0 },
		{ "E16", "Energy", 12800000, NULL, 0 },
		{ "E16", "Solar export credit", -12345, NULL, 0 },
		{ "E17", "Rates", 2640000, NULL, 1 },
		{ "E20", "ICT held flat", 500000, "fixed", 0 },
	};
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 6), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	const struct forecast_entity *s;

	(void)state;
	a.funding_bp[1] = 210;
	a.funding_bp[2] = 100;
	a.indices[0].bp[1] = 300;
	a.indices[0].bp[2] = 250;
	a.indices[1].bp[1] = 500;
	a.indices[1].bp[2] = 400;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	/* funding: 11,850,000 x 1.021 = 12,098,850 exactly; x 1.01 = 12,219,838.5 -> 12,219,839 (half up) */
	assert_true(find_line(s, "I06", 0)->a[1] == 12098850);
	assert_true(find_line(s, "I06", 0)->a[2] == 12219839);
	/* cpi: 3,800,003 x 1.03 = 3,914,003.09 -> 3,914,003; x 1.025 = 4,011,853.075 -> 4,011,853 */
	assert_true(find_line(s, "I08", 0)->a[1] == 3914003);
	assert_true(find_line(s, "I08", 0)->a[2] == 4011853);
	/* energy: 12,800,000 x 1.05 = 13,440,000; x 1.04 = 13,977,600 */
	assert_true(find_line(s, "E16", 0)->a[1] == 13440000);
	assert_true(find_line(s, "E16", 0)->a[2] == 13977600);
	/* a credit rounds away from zero too: -12,345 x 1.05 = -12,962.25 -> -12,962; x 1.04 = -13,480.48 -> -13,480 */
	assert_true(find_line(s, "E16", 1)->a[1] == -12962);
	assert_true(find_line(s, "E16", 1)->a[2] == -13480);
	/* fixed, and a line's own driver overriding its account's (E20 is cpi) */
	assert_true(find_line(s, "E17", 0)->a[2] == 2640000);
	assert_true(find_line(s, "E20", 0)->a[2] == 500000);
	assert_int_equal(find_line(s, "E20", 0)->driver, FD_FIXED);
	forecast_result_free(&r);
}

/*
 * pupils (a year late) and pupils_current (this year's roll). Census Oct 2024
 * 600, Oct 2025 562, Oct 2026 522; the scenario projects 500 for Oct 2027 and
 * nothing after (carried forward). funding +2.10%, +1.00%, +1.00%; cpi +3.00%,
 * +2.50%, +2.50%.
 */
static void test_pupils_drivers(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "I01", "GAG", 373000000, NULL, 0 },
		{ "I03", "Top-ups", 21000000, NULL, 0 },
	};
	static const struct forecast_line_in lonely[] = { { "I01", "GAG", 373000000, NULL, 0 } };
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[3] = { entity("100001", "", lines, 2), entity("100002", "", lonely, 1),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;
	const struct forecast_entity *s;

	(void)state;
	census(&e[0], 600, 562, 522);
	e[0].pupils[3] = 500;                    /* the projection for 2027-28 */
	a.funding_bp[1] = 210;
	a.funding_bp[2] = a.funding_bp[3] = 100;
	a.indices[0].bp[1] = 300;
	a.indices[0].bp[2] = a.indices[0].bp[3] = 250;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	/* 2027-28: 373,000,000 x 522/562 (Oct 2026 / Oct 2025) x 1.021 = 353,727,448.3986 -> 353,727,448 */
	assert_true(find_line(s, "I01", 0)->a[1] == 353727448);
	/* 2028-29: 353,727,448 x 500/522 x 1.01 = 342,207,588.5824 -> 342,207,589 */
	assert_true(find_line(s, "I01", 0)->a[2] == 342207589);
	/* 2029-30: the census carried forward (500/500): 342,207,589 x 1.01 = 345,629,664.89 -> 345,629,665 */
	assert_true(find_line(s, "I01", 0)->a[3] == 345629665);
	/* top-ups follow this year's roll: 21,000,000 x 500/522 x 1.03 = 20,718,390.8046 -> 20,718,391;
	 * then 20,718,391 x 500/500 x 1.025 = 21,236,350.775 -> 21,236,351 */
	assert_true(find_line(s, "I03", 0)->a[1] == 20718391);
	assert_true(find_line(s, "I03", 0)->a[2] == 21236351);
	/* no census at all: the ratio is 1, so 373,000,000 x 1.021 = 380,833,000 */
	assert_true(find_line(find_entity(&r, "100002"), "I01", 0)->a[1] == 380833000);
	/* the resolved census is in the totals */
	assert_int_equal(s->t[1].pupils, 500);
	assert_int_equal(s->t[3].pupils, 500);
	forecast_result_free(&r);
}

/* places x rate, no lag; a school with place funding but no places known holds it. */
static void test_places(void **state)
{
	static const struct forecast_line_in lines[] = { { "I01P", "120 places", 120000000, NULL, 0 } };
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[3] = { entity("100001", "", lines, 1), entity("100002", "", lines, 1),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;

	(void)state;
	e[0].places[2] = 120;
	e[0].places[3] = 124;                    /* 2027-28 */
	a.place_rate_pence[2] = 1050000;         /* £10,500 from 2028-29 */
	run_ok(&in, &r);
	/* 124 x £10,000 = £1,240,000.00; then 124 (carried forward) x £10,500 = £1,302,000.00 */
	assert_true(find_line(find_entity(&r, "100001"), "I01P", 0)->a[1] == 124000000);
	assert_true(find_line(find_entity(&r, "100001"), "I01P", 0)->a[2] == 130200000);
	assert_true(find_line(find_entity(&r, "100002"), "I01P", 0)->a[2] == 120000000);
	assert_true(has_warning(&r, "100002", 0, "places_fallback"));
	assert_false(has_warning(&r, "100001", 0, "places_fallback"));
	forecast_result_free(&r);
}

/*
 * The part-year staff model, a support line and a teacher line over two years.
 *
 * Support (E03), base £1,200,000.00, the base year's April award +3.00% (no
 * on-cost change): g0 = 1.03, E[2026-27] = round(12 x 120,000,000 x 1.03 /
 * (7 + 5 x 1.03)) = round(1,483,200,000 / 12.15) = round(122,074,074.0741) =
 * 122,074,074.
 *   2027-28: award +3.00%, on-costs 0: M = E[prev] = 122,074,074; E =
 *   round(122,074,074 x 1.03) = round(125,736,296.22) = 125,736,296; a =
 *   round((7 x 122,074,074 + 5 x 125,736,296) / 12) = round(1,483,199,998 / 12)
 *   = round(123,599,999.8333) = 123,600,000.
 *   2028-29: award +2.50%, on-costs +1.50%: g = 1.025 x 1.015 = 1.040375; M =
 *   125,736,296; E = round(125,736,296 x 1.040375) = round(130,812,898.951) =
 *   130,812,899; a = round((7 x 125,736,296 + 5 x 130,812,899) / 12) =
 *   round(1,534,218,567 / 12) = round(127,851,547.25) = 127,851,547.
 *
 * Teacher (E01), base £2,400,000.00, no base-year on-cost change: g0 = 1, E = a =
 * 240,000,000.
 *   2027-28: Sept award +2.50%: M = round(240,000,000 x 1.025) = 246,000,000;
 *   on-costs 0: E = 246,000,000; a = 246,000,000.
 *   2028-29: Sept award +2.00%: M = round(246,000,000 x 1.02) = 250,920,000;
 *   April TPS rise +1.55%: E = round(250,920,000 x 1.0155) = 254,809,260; a =
 *   round((7 x 250,920,000 + 5 x 254,809,260) / 12) = 3,030,486,300 / 12 =
 *   252,540,525.
 */
static void test_part_year_staff(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "E03", "Teaching assistants", 120000000, NULL, 0 },
		{ "E01", "Teachers", 240000000, NULL, 0 },
	};
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 2), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	const struct forecast_line *sup, *tea;
	char *text;
	cJSON *x;

	(void)state;
	a.base_support_pay_bp = 300;
	a.support_pay_bp[1] = 300;
	a.support_pay_bp[2] = 250;
	a.support_oncost_bp[2] = 150;
	a.teacher_pay_bp[1] = 250;
	a.teacher_pay_bp[2] = 200;
	a.teacher_oncost_bp[2] = 155;
	run_ok(&in, &r);
	sup = find_line(find_entity(&r, "100001"), "E03", 0);
	tea = find_line(find_entity(&r, "100001"), "E01", 0);
	assert_true(sup->e[0] == 122074074);
	assert_true(sup->m[1] == 122074074 && sup->e[1] == 125736296 && sup->a[1] == 123600000);
	assert_true(sup->m[2] == 125736296 && sup->e[2] == 130812899 && sup->a[2] == 127851547);
	assert_true(tea->e[0] == 240000000);
	assert_true(tea->m[1] == 246000000 && tea->e[1] == 246000000 && tea->a[1] == 246000000);
	assert_true(tea->m[2] == 250920000 && tea->e[2] == 254809260 && tea->a[2] == 252540525);

	/* the explanation, stored as data and rendered as text */
	x = forecast_explain_json(&r, find_entity(&r, "100001"), tea, 2);
	assert_non_null(x);
	text = forecast_explain_text("E01", tea->a[2], x);
	assert_string_equal(text, "E01: \xc2\xa3" "2,460,000.00 \xc3\x97 1.02 (Sept award +2.00%) = \xc2\xa3"
			    "2,509,200.00 Sep\xe2\x80\x93Mar; \xc3\x97 1.0155 (April on-costs +1.55%) = \xc2\xa3"
			    "2,548,092.60 Apr\xe2\x80\x93" "Aug; (7 \xc3\x97 \xc2\xa3" "2,509,200.00 + 5 \xc3\x97 \xc2\xa3"
			    "2,548,092.60) / 12 = \xc2\xa3" "2,525,405.25");
	free(text);
	cJSON_Delete(x);
	x = forecast_explain_json(&r, find_entity(&r, "100001"), sup, 1);
	text = forecast_explain_text("E03", sup->a[1], x);
	assert_non_null(strstr(text, "2026-27: E = 12 \xc3\x97 \xc2\xa3" "1,200,000.00"));
	assert_non_null(strstr(text, "= \xc2\xa3" "1,220,740.74; "));
	assert_non_null(strstr(text, "(7 \xc3\x97 \xc2\xa3" "1,220,740.74 + 5 \xc3\x97 \xc2\xa3" "1,257,362.96) / 12 = "
				     "\xc2\xa3" "1,236,000.00"));
	free(text);
	cJSON_Delete(x);
	forecast_result_free(&r);
}

/*
 * An April change of the base year the budgets do not include (the cautious
 * scenario's TPS rise from April 2027): E[Y0] carries it, the base year does not.
 * Teachers E01 2,400,000.00, part-paid on-costs 0, unbudgeted +1.41%:
 *   E[0] = round(12 x 240,000,000 x 1 x 1.0141 / (7 + 5 x 1)) = 243,384,000
 *   (without it 240,000,000); April-August 2027: round(5 x 3,384,000 / 12) = 1,410,000.
 *   2027-28, Sept award +3%: M = round(243,384,000 x 1.03) = 250,685,520 = E = a.
 * Support E03 1,200,000.00, part-paid April award +3%, unbudgeted on-costs +2%:
 *   E[0] = round(12 x 120,000,000 x 1.03 x 1.02 / (7 + 5 x 1.03)) =
 *   round(1,512,864,000 / 12.15) = round(124,515,555.56) = 124,515,556
 *   (without it 122,074,074, as in test_part_year_staff); April-August:
 *   round(5 x 2,441,482 / 12) = round(1,017,284.17) = 1,017,284.
 *   2027-28 (no award): M = E = a = 124,515,556.
 * The warning: 1,410,000 + 1,017,284 = 2,427,284 = £24,272.84. The base year's
 * own figures are the budget's.
 */
static void test_unbudgeted_base_change(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "E03", "Teaching assistants", 120000000, NULL, 0 },
		{ "E01", "Teachers", 240000000, NULL, 0 },
	};
	struct forecast_assumptions a = assume(1);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 2), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	const struct forecast_entity *fe;
	const struct forecast_line *sup, *tea;
	char digest[65], *text;
	size_t n = 0;
	cJSON *x;

	(void)state;
	a.base_support_pay_bp = 300;
	a.base_teacher_oncost_unbudgeted_bp = 141;
	a.base_support_oncost_unbudgeted_bp = 200;
	a.teacher_pay_bp[1] = 300;
	run_ok(&in, &r);
	fe = find_entity(&r, "100001");
	sup = find_line(fe, "E03", 0);
	tea = find_line(fe, "E01", 0);
	assert_true(tea->a[0] == 240000000 && tea->e[0] == 243384000);
	assert_true(tea->m[1] == 250685520 && tea->e[1] == 250685520 && tea->a[1] == 250685520);
	assert_true(sup->a[0] == 120000000 && sup->e[0] == 124515556 && sup->a[1] == 124515556);
	for (size_t i = 0; i < r.nwarnings; i++) {
		if (strcmp(r.warnings[i].code, "unbudgeted_base_change") != 0)
			continue;
		n++;
		assert_string_equal(r.warnings[i].urn, "100001");
		assert_int_equal(r.warnings[i].year, 2026);
		assert_string_equal(r.warnings[i].message,
				    "the scenario's April 2027 change (teachers' on-costs +1.41%, support staff's on-costs "
				    "+2.00%) is not in the 2026-27 budget: it costs \xc2\xa3" "24,272.84 from April to August "
				    "2027; the base year shows the budget as set, the forecast years include it");
	}
	assert_int_equal(n, 1);
	/* the explanation of 2027-28 shows where E[Y0] came from */
	x = forecast_explain_json(&r, fe, tea, 1);
	assert_non_null(x);
	text = forecast_explain_text("E01", tea->a[1], x);
	assert_non_null(strstr(text, "2026-27: E = 12 \xc3\x97 \xc2\xa3" "2,400,000.00 \xc3\x97 g / (7 + 5 \xc3\x97 g) "
				     "with g = 1 (April on-costs +0.00%) \xc3\x97 1.0141 (April on-costs +1.41%, not in the "
				     "budget) = \xc2\xa3" "2,433,840.00; "));
	free(text);
	cJSON_Delete(x);
	memcpy(digest, r.digest, sizeof(digest));
	forecast_result_free(&r);

	/* the digest covers it */
	a.base_support_oncost_unbudgeted_bp = 0;
	run_ok(&in, &r);
	assert_string_not_equal(digest, r.digest);
	forecast_result_free(&r);
}

/*
 * services: the rest of the line indexed by CPI plus the services (DESIGN.md
 * "Drivers"). cpi +3.00% then +2.50%.
 *
 * 100001 budgets E14 twice, 6,000,000 and 3,000,000 (9,000,000), and its
 * services on E14 cost S = 7,500,000 in the base year, 10,000,000 and 10,300,000
 * after. The lines share S pro rata to their base amounts (6/9, the last the
 * rest):
 *   base year: share 7,500,000 x 6/9 = 5,000,000 and 7,500,000 - 5,000,000 =
 *   2,500,000; R = 6,000,000 - 5,000,000 = 1,000,000 and 3,000,000 - 2,500,000 =
 *   500,000.
 *   2027-28: shares 10,000,000 x 6/9 = 6,666,666.67 -> 6,666,667 and 3,333,333;
 *   R = 1,000,000 x 1.03 = 1,030,000 and 500,000 x 1.03 = 515,000;
 *   a = 7,696,667 and 3,848,333 (11,545,000 = 10,000,000 + 1,545,000).
 *   2028-29: shares 10,300,000 x 6/9 = 6,866,666.67 -> 6,866,667 and 3,433,333;
 *   R = 1,030,000 x 1.025 = 1,055,750 and 515,000 x 1.025 = 527,875;
 *   a = 7,922,417 and 3,961,208.
 * E28a has no cost: 500,000 x 1.03 = 515,000; x 1.025 = 527,875 (CPI, a warning).
 * E20 has a cost (390,000; 400,000; 410,000) and no line: a line of its own, 0 in
 * the base year; R[0] = 0 - 390,000 < 0, so R = 0 and the base budget is
 * £3,900.00 short (services_short); a = 400,000 and 410,000.
 *
 * 100002 budgets E14 at 2,000,000 and a credit of -100,000; its services cost
 * 2,600,000, then 2,678,000. The cleaning line carries all of it (2,000,000 /
 * 2,000,000: the credit has no positive base amount; as the last line it takes
 * the rest, 2,600,000 - 2,600,000 = 0):
 *   R = 2,000,000 - 2,600,000 = -600,000 < 0: R = 0, £6,000.00 short; 2027-28:
 *   R = 0, a = 2,678,000. The credit keeps R = -100,000 (no share): -103,000.
 */
static void test_services(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ "E14", "Cleaning contract", 6000000, NULL, 0 },
		{ "E14", "Window cleaning", 3000000, NULL, 0 },
		{ "E28a", "Payroll", 500000, NULL, 0 },
	};
	static const struct forecast_line_in short_lines[] = {
		{ "E14", "Cleaning", 2000000, NULL, 0 },
		{ "E14", "Rebate", -100000, NULL, 0 },
	};
	struct forecast_service svc[] = {
		{ "100001", "E14", { 7500000, 10000000, 10300000 }, "Cleaning (CLN-TRUST-2024), 4 of 9 schools by floor area" },
		{ "100001", "E20", { 390000, 400000, 410000 }, "ICT support (ICT-TRUST-2025), per pupil" },
		{ "100002", "E14", { 2600000, 2678000, 2758340 }, "Cleaning (CLN-TRUST-2024)" },
	};
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[3] = { entity("100001", "", lines, 3), entity("100002", "", short_lines, 2),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_result r;
	const struct forecast_entity *s;
	const struct forecast_line *l;
	char *text;
	cJSON *x;

	(void)state;
	a.indices[0].bp[1] = 300;
	a.indices[0].bp[2] = 250;
	in.have_services = 1;
	in.services = svc;
	in.nservices = 3;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	l = find_line(s, "E14", 0);
	assert_true(l->e[0] == 5000000 && l->m[0] == 1000000 && find_line(s, "E14", 1)->m[0] == 500000);
	assert_true(l->e[1] == 6666667 && l->m[1] == 1030000 && l->a[1] == 7696667);
	assert_true(find_line(s, "E14", 1)->a[1] == 3848333);
	assert_true(l->a[2] == 7922417 && find_line(s, "E14", 1)->a[2] == 3961208);
	/* each year's services parts add up to the cost */
	assert_true(l->e[2] + find_line(s, "E14", 1)->e[2] == 10300000);
	assert_true(find_line(s, "E28a", 0)->a[1] == 515000 && find_line(s, "E28a", 0)->a[2] == 527875);
	assert_true(has_warning(&r, "100001", 0, "services_fallback"));
	assert_int_equal(find_line(s, "E20", 0)->origin, FO_SERVICE);
	assert_true(find_line(s, "E20", 0)->a[0] == 0 && find_line(s, "E20", 0)->a[1] == 400000 &&
		    find_line(s, "E20", 0)->a[2] == 410000);
	assert_true(find_line(s, "E20", 0)->x->short_pence == 390000);
	/* the base year's totals are the budget as budgeted (the E20 line is not in it) */
	assert_true(s->t[0].expenditure == 9500000);
	x = forecast_explain_json(&r, s, l, 1);
	text = forecast_explain_text("E14", l->a[1], x);
	assert_string_equal(text, "E14: 2026-27: \xc2\xa3" "60,000.00 budgeted less \xc2\xa3" "50,000.00 of services = "
			    "\xc2\xa3" "10,000.00 the rest of the line; the rest of the line \xc2\xa3" "10,000.00 \xc3\x97 1.03 "
			    "(cpi +3.00%) = \xc2\xa3" "10,300.00 + \xc2\xa3" "66,666.67 of services (\xc2\xa3" "100,000.00 booked "
			    "to E14 (Cleaning (CLN-TRUST-2024), 4 of 9 schools by floor area) \xc3\x97 6000000/9000000, this "
			    "line's share) = \xc2\xa3" "76,966.67");
	free(text);
	cJSON_Delete(x);
	x = forecast_explain_json(&r, s, find_line(s, "E14", 1), 2);
	text = forecast_explain_text("E14", find_line(s, "E14", 1)->a[2], x);
	assert_string_equal(text, "E14: the rest of the line \xc2\xa3" "5,150.00 \xc3\x97 1.025 (cpi +2.50%) = \xc2\xa3"
			    "5,278.75 + \xc2\xa3" "34,333.33 of services (\xc2\xa3" "103,000.00 booked to E14 (Cleaning "
			    "(CLN-TRUST-2024), 4 of 9 schools by floor area) less this entity's other lines' parts) = \xc2\xa3"
			    "39,612.08");
	free(text);
	cJSON_Delete(x);

	/* 100002: the base budget is short of the recharge */
	s = find_entity(&r, "100002");
	l = find_line(s, "E14", 0);
	assert_true(l->e[0] == 2600000 && l->m[0] == 0 && l->x->short_pence == 600000);
	assert_true(l->m[1] == 0 && l->a[1] == 2678000);
	assert_true(find_line(s, "E14", 1)->e[1] == 0 && find_line(s, "E14", 1)->a[1] == -103000);
	assert_true(has_warning(&r, "100002", 2026, "services_short"));
	assert_true(has_warning(&r, "100001", 2026, "services_short"));     /* E20 */
	for (size_t i = 0; i < r.nwarnings; i++)
		if (strcmp(r.warnings[i].code, "services_short") == 0 && strcmp(r.warnings[i].urn, "100002") == 0)
			assert_string_equal(r.warnings[i].message, "E14 (Cleaning): the 2026-27 base budget has \xc2\xa3"
					    "20,000.00 on E14 for services that cost \xc2\xa3" "26,000.00 (Cleaning "
					    "(CLN-TRUST-2024)): it is \xc2\xa3" "6,000.00 short. The rest of the line is "
					    "taken as \xc2\xa3" "0.00, so the forecast years carry the services alone; "
					    "budget at least the recharge");
	x = forecast_explain_json(&r, s, l, 1);
	text = forecast_explain_text("E14", l->a[1], x);
	assert_string_equal(text, "E14: 2026-27: \xc2\xa3" "20,000.00 budgeted is \xc2\xa3" "6,000.00 short of its \xc2\xa3"
			    "26,000.00 of services, so the rest of the line is \xc2\xa3" "0.00; the rest of the line \xc2\xa3"
			    "0.00 \xc3\x97 1.03 (cpi +3.00%) = \xc2\xa3" "0.00 + \xc2\xa3" "26,780.00 of services (booked to "
			    "E14: Cleaning (CLN-TRUST-2024)) = \xc2\xa3" "26,780.00");
	free(text);
	cJSON_Delete(x);
	forecast_result_free(&r);

	/* a missing base-year cost is no cost: the whole line is the rest, and the services come on top
	 * (100001's E14: R = 6,000,000 x 1.03 = 6,180,000, + 6,666,667) */
	svc[0].pence[0] = 0;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	assert_true(find_line(s, "E14", 0)->m[0] == 6000000 && find_line(s, "E14", 0)->a[1] == 12846667);
	assert_true(find_line(s, "E14", 0)->x->short_pence == 0 && find_line(s, "E14", 1)->x->short_pence == 0);
	forecast_result_free(&r);

	/* no services data at all: every services line follows CPI, said once for the run */
	in.have_services = 0;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	assert_true(find_line(s, "E14", 0)->a[1] == 6180000);   /* 6,000,000 x 1.03 */
	assert_true(has_warning(&r, "", 0, "services_unavailable"));
	assert_false(has_warning(&r, NULL, 0, "services_fallback"));
	assert_false(has_warning(&r, NULL, 0, "services_short"));
	forecast_result_free(&r);
}

/*
 * A contract priced by core/price.c (price_year) feeding the services line: the
 * once-a-year rounding and the index history (DESIGN.md "Drivers", services).
 * Cleaning for 100001 (CLN-1), £12,003.00 a year (1,200,300) from 1 Jan 2025,
 * auto-renewing, linked to NLW + 0. Its anniversaries and their rates:
 *   1 Jan 2026 (2025-26): the history's 5.00%; 1 Jan 2027 (2026-27, the base
 *   year): the history's 4.00%; 1 Jan 2028 (2027-28): the scenario's 3.00%;
 *   1 Jan 2029 (2028-29): the scenario's 2.50%. The history's 2027-28 value
 *   (9.99%) is after the base year and the scenario's 2026-27 value (9.99%) is
 *   the base year's, so neither counts.
 * Exact annual prices (never rounded between anniversaries):
 *   P1 = 1,200,300 x 1.05 = 1,260,315; P2 = P1 x 1.04 = 1,310,727.6;
 *   P3 = P2 x 1.03 = 1,350,049.428; P4 = P3 x 1.025 = 1,383,800.6637.
 * A year is Sep-Dec at one price and Jan-Aug at the next, rounded once:
 *   2026-27: (4 x 1,260,315 + 8 x 1,310,727.6) / 12 = 15,527,080.8 / 12 =
 *   1,293,923.4 -> 1,293,923 (S[0]);
 *   2027-28: (4 x 1,310,727.6 + 8 x 1,350,049.428) / 12 = 16,043,305.824 / 12 =
 *   1,336,942.152 -> 1,336,942 (S[1]);
 *   2028-29: (4 x 1,350,049.428 + 8 x 1,383,800.6637) / 12 = 16,470,603.0216 / 12
 *   = 1,372,550.2518 -> 1,372,550 (S[2]).
 * Rounding at each anniversary instead (the old rule) gives 1,260,315,
 * 1,310,728, round(1,310,728 x 1.03 = 1,350,049.84) = 1,350,050 and
 * round(1,350,050 x 1.025 = 1,383,801.25) = 1,383,801, so 2027-28 = (4 x
 * 1,310,728 + 8 x 1,350,050) / 12 = 16,043,312 / 12 = 1,336,942.67 -> 1,336,943
 * and 2028-29 = (4 x 1,350,050 + 8 x 1,383,801) / 12 = 16,470,608 / 12 =
 * 1,372,550.67 -> 1,372,551: a penny too much in each year (the base year
 * agrees: 15,527,081.6 / 12 = 1,293,923.47 -> 1,293,923).
 * Without the history (every anniversary up to the base year at the default
 * 3.00%): P2 = 1,200,300 x 1.03 x 1.03 = 1,273,398.27, P3 = 1,311,600.2181, so
 * 2027-28 = (4 x 1,273,398.27 + 8 x 1,311,600.2181) / 12 = 15,586,394.8248 / 12
 * = 1,298,866.23 -> 1,298,866, £380.76 less, and said as assumed.
 * The services line: 100001 budgets E14 at 1,500,000; cpi +2.00% then +2.50%.
 *   R[0] = 1,500,000 - 1,293,923 = 206,077;
 *   2027-28: R = round(206,077 x 1.02 = 210,198.54) = 210,199; a = 210,199 +
 *   1,336,942 = 1,547,141;
 *   2028-29: R = round(210,199 x 1.025 = 215,453.975) = 215,454; a = 215,454 +
 *   1,372,550 = 1,588,004.
 */
static void test_contract_priced_services(void **state)
{
	static const struct forecast_line_in lines[] = { { "E14", "Cleaning", 1500000, NULL, 0 } };
	struct procure_terms t = { .start = date_from_ymd(2025, 1, 1), .end = PROCURE_NO_DATE, .auto_renew = 1,
				   .annual_pence = 1200300, .ix = PROCURE_IX_INDEX, .ix_bp = 0 };
	struct price_contract pc = { .t = &t, .index = "nlw" };
	struct price_series hist, scen;
	struct price_basis b = { .history = &hist, .nhistory = 1, .history_to = 2026, .scenario = &scen,
				 .nscenario = 1, .default_bp = 300 };
	struct price_basis none = { .history_to = 2026, .default_bp = 300 };
	struct forecast_service svc = { "100001", "E14", { 0 }, "Cleaning (CLN-1), NLW-linked" };
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 1), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	struct price_year y;
	const struct forecast_line *l;

	(void)state;
	memset(&hist, 0, sizeof(hist));
	memset(&scen, 0, sizeof(scen));
	memcpy(hist.name, "nlw", 4);
	memcpy(scen.name, "nlw", 4);
	for (int i = 0; i < PRICE_YEARS; i++)
		hist.bp[i] = scen.bp[i] = PRICE_NO_VALUE;
	hist.bp[2025 - PRICE_FIRST_YEAR] = 500;
	hist.bp[2026 - PRICE_FIRST_YEAR] = 400;
	hist.bp[2027 - PRICE_FIRST_YEAR] = 999;          /* after the base year: the scenario's counts */
	scen.bp[2026 - PRICE_FIRST_YEAR] = 999;          /* the base year: the history's counts */
	scen.bp[2027 - PRICE_FIRST_YEAR] = 300;
	scen.bp[2028 - PRICE_FIRST_YEAR] = 250;
	for (int k = 0; k <= 2; k++) {
		assert_int_equal(price_year(&pc, &b, 2026 + k, &y), 0);
		assert_int_equal(y.months, 12);
		assert_int_equal(y.nassumptions, 0);
		svc.pence[k] = y.net_pence;
	}
	assert_true(svc.pence[0] == 1293923 && svc.pence[1] == 1336942 && svc.pence[2] == 1372550);
	/* the months: Sep-Dec at P2 (shown rounded), Jan-Aug at P3 */
	assert_int_equal(price_year(&pc, &b, 2027, &y), 0);
	assert_true(y.nsteps == 2 && y.steps[0].months == 4 && y.steps[1].months == 8);
	assert_true(y.steps[0].annual_pence == 1310728 && y.steps[1].annual_pence == 1350049);
	/* no history: the base year's anniversaries at the default, and said */
	assert_int_equal(price_year(&pc, &none, 2027, &y), 0);
	assert_true(y.net_pence == 1298866);
	assert_int_equal(y.nassumptions, 3);
	assert_string_equal(y.assumptions[0], "nlw 2025-26 at the default 3.00%");

	a.indices[0].bp[1] = 200;
	a.indices[0].bp[2] = 250;
	in.have_services = 1;
	in.services = &svc;
	in.nservices = 1;
	run_ok(&in, &r);
	l = find_line(find_entity(&r, "100001"), "E14", 0);
	assert_true(l->a[0] == 1500000 && l->e[0] == 1293923 && l->m[0] == 206077);
	assert_true(l->m[1] == 210199 && l->e[1] == 1336942 && l->a[1] == 1547141);
	assert_true(l->m[2] == 215454 && l->e[2] == 1372550 && l->a[2] == 1588004);
	assert_false(has_warning(&r, NULL, 0, "services_short"));
	forecast_result_free(&r);
}

/* ---- the finance rules through the real plugins ---- */

static struct harness hl, hc;

static int rules_cb(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink, char *err,
		    size_t errlen)
{
	struct harness *h = strcmp(model, "local") == 0 ? &hl : strcmp(model, "central") == 0 ? &hc : NULL;

	(void)arg;
	if (h == NULL) {
		snprintf(err, errlen, "no plugin %s", model);
		return -1;
	}
	h_clear(h);
	if (h->rules->apply_year(h->state, y, &h->ctx) != 0) {
		snprintf(err, errlen, "%s", h->nfindings ? h->findings[0].message : "failed");
		return -1;
	}
	for (size_t i = 0; i < h->nposts; i++) {
		const struct h_posting *p = &h->posts[i];
		struct forecast_posting fp = { p->payer, p->payer_account, p->payee, p->payee_account, p->amount_pence,
					       p->basis, p->base_pence, p->rate_bp, p->explanation };

		if (forecast_sink_post(sink, &fp) != 0)
			return -1;
	}
	for (size_t i = 0; i < h->nfindings; i++)
		forecast_sink_warn(sink, h->findings[i].message);
	return 0;
}

static int load_plugins(void **state)
{
	static const char *const lkv[] = { "topslice_bp", "500", NULL };
	static const char *const ckv[] = { "retention_bp", "600", NULL };

	(void)state;
	if (h_load(&hl, "local", lkv) != 0 || h_load(&hc, "central", ckv) != 0) {
		fprintf(stderr, "cannot load the plugins (run from the repository root): %s %s\n", hl.err, hc.err);
		return -1;
	}
	return 0;
}

static int unload_plugins(void **state)
{
	(void)state;
	h_unload(&hl);
	h_unload(&hc);
	return 0;
}

/*
 * Two pooled schools (central), one top-sliced school (local) and the central
 * team, one year, no inflation or funding change. The central team budgets the
 * pooled GAG (£20,000,000.00); the pooled schools budget their allocation (INT05).
 *
 * GAG handed to the pooled schools by funded pupils (Oct 2025: 300 and 200):
 * 2,000,000,000 x 300/500 = 1,200,000,000 and 800,000,000. Then each school's own
 * roll: 1,200,000,000 x 310/300 = 1,240,000,000; 800,000,000 x 190/200 = 760,000,000.
 * Pooled: 1,240,000,000 - rates 1,000,000 = 1,239,000,000 and 760,000,000 - 500,000 =
 * 759,500,000; pot 1,998,500,000; retained 6% = 119,910,000; the rest 1,878,590,000
 * shared by funded pupils (Oct 2026: 310 and 190): 1,164,725,800 and 713,864,200.
 * Top-slice: 5% x (500,000,000 GAG - 2,000,000 rates) = 24,900,000.
 */
static void test_plugins_pool_and_topslice(void **state)
{
	static const struct forecast_line_in p1[] = {
		{ "INT05", "Allocation", 1100000000, NULL, 0 }, { "E17", "Rates", 1000000, NULL, 1 },
		{ "E03", "TAs", 900000000, "fixed", 0 },
	};
	static const struct forecast_line_in p2[] = {
		{ "INT05", "Allocation", 700000000, NULL, 0 }, { "E17", "Rates", 500000, NULL, 1 },
		{ "E03", "TAs", 650000000, "fixed", 0 },
	};
	static const struct forecast_line_in l1[] = {
		{ "I01", "GAG", 500000000, NULL, 0 }, { "E17", "Rates", 2000000, NULL, 1 },
		{ "INT01", "Central charge", 24900000, NULL, 0 }, { "E03", "TAs", 450000000, "fixed", 0 },
	};
	static const struct forecast_line_in ct[] = {
		{ "I01", "GAG for the pooled schools", 2000000000, NULL, 0 },
		{ "INT02", "Top-slice", 24900000, NULL, 0 }, { "INT06", "Allocations", 1800000000, NULL, 0 },
		{ "E05", "Central team", 140000000, "fixed", 0 },
	};
	struct forecast_assumptions a = assume(1);
	struct forecast_entity_in e[4] = { entity("100001", "central", p1, 3), entity("100002", "central", p2, 3),
					   entity("100003", "local", l1, 4), entity("central", "", ct, 4) };
	struct forecast_input in = input(&a, e, 4);
	struct forecast_rules rules = { rules_cb, NULL };
	struct forecast_result r;
	const struct forecast_entity *s1, *s2, *s3, *c;
	int64_t inc = 0, exp = 0, bal = 0;

	(void)state;
	census(&e[0], 290, 300, 310);
	census(&e[1], 200, 200, 190);
	census(&e[2], 250, 250, 250);
	in.rules = &rules;
	run_ok(&in, &r);
	s1 = find_entity(&r, "100001");
	s2 = find_entity(&r, "100002");
	s3 = find_entity(&r, "100003");
	c = find_entity(&r, "central");
	/* the GAG held by the trust, split and projected per school */
	assert_int_equal(find_line(s1, "I01", 0)->origin, FO_POOLED_GAG);
	assert_true(find_line(s1, "I01", 0)->a[0] == 1200000000 && find_line(s2, "I01", 0)->a[0] == 800000000);
	assert_true(find_line(s1, "I01", 0)->a[1] == 1240000000 && find_line(s2, "I01", 0)->a[1] == 760000000);
	/* pooling and allocations */
	assert_true(posted(s1, "INT03", 1) == 1239000000 && posted(s2, "INT03", 1) == 759500000);
	assert_true(posted(c, "INT04", 1) == 1998500000);
	assert_true(posted(s1, "INT05", 1) == 1164725800 && posted(s2, "INT05", 1) == 713864200);
	assert_true(posted(c, "INT06", 1) == 1878590000);
	/* the invariant: allocations + retention = pooled GAG, to the penny */
	assert_true(posted(c, "INT06", 1) + 119910000 == posted(c, "INT04", 1));
	/* top-slice */
	assert_true(posted(s3, "INT01", 1) == 24900000 && posted(c, "INT02", 1) == 24900000);
	/* the central team keeps no GAG of its own and no base-year internal lines */
	for (size_t i = 0; i < c->nlines; i++)
		assert_true(c->lines[i].origin == FO_POSTING || strcmp(c->lines[i].account->code, "E05") == 0);
	/* a pooled school's balance: GAG + allocation - pooled - costs =
	 * 1,240,000,000 + 1,164,725,800 - 1,239,000,000 - 1,000,000 - 900,000,000 = 264,725,800 */
	assert_true(s1->t[1].balance == 264725800);
	/* its totals read as its budget does (DESIGN.md "How an entity's totals read"): the GAG that passes
	 * through, pooled out (INT03 1,239,000,000), is netted from income and expenditure, so its income is
	 * 1,240,000,000 + 1,164,725,800 - 1,239,000,000 = 1,165,725,800 (its allocation, 1,164,725,800, and
	 * the 1,000,000 of its own GAG it keeps), not 2,404,725,800, and its expenditure 1,000,000 +
	 * 900,000,000 = 901,000,000, not 2,140,000,000; the internal parts are netted alike (internal income
	 * 1,164,725,800 - 1,239,000,000 = -74,274,200, internal expenditure 0), so its external income is
	 * still its GAG, 1,165,725,800 + 74,274,200 = 1,240,000,000. The KPIs use the same income. */
	assert_true(s1->t[1].income == 1165725800 && s1->t[1].expenditure == 901000000);
	assert_true(s1->t[1].pass_through == 1239000000);
	assert_true(s1->t[1].internal_income == -74274200 && s1->t[1].internal_expenditure == 0);
	assert_true(s1->t[1].kpi_income == s1->t[1].income);
	/* staff 900,000,000 / 1,165,725,800 = 77.2055...% -> 7721 bp */
	assert_true(s1->t[1].staff_bp == 7721);
	/* its base year is its budget: the allocation 1,100,000,000 against 901,000,000 */
	assert_true(s1->t[0].income == 1100000000 && s1->t[0].expenditure == 901000000);
	/* the central team: INT04 1,998,500,000 + INT02 24,900,000 - INT06 1,878,590,000 allocated on =
	 * 144,810,000 of income against 140,000,000; base year: I01 2,000,000,000 + INT02 24,900,000 -
	 * INT06 1,800,000,000 = 224,900,000 against 1,940,000,000 - 1,800,000,000 = 140,000,000 */
	assert_true(c->t[1].income == 144810000 && c->t[1].expenditure == 140000000);
	assert_true(c->t[0].income == 224900000 && c->t[0].expenditure == 140000000);
	/* one definition: budget.c's totals of the same base budgets give the same figures */
	{
		const struct forecast_entity_in *bases[2] = { &e[0], &e[3] };
		const struct forecast_entity *fe[2] = { s1, c };
		struct budget_account acc[NCHART];
		struct budget_chart bc = { NCHART, acc };

		for (size_t i = 0; i < NCHART; i++) {
			memset(&acc[i], 0, sizeof(acc[i]));
			snprintf(acc[i].code, sizeof(acc[i].code), "%s", chart[i].code);
			snprintf(acc[i].group, sizeof(acc[i].group), "%s", chart[i].group);
			acc[i].kind = chart[i].is_income ? BUDGET_INCOME : BUDGET_EXPENDITURE;
			acc[i].is_gag = chart[i].is_gag;
			acc[i].is_internal = chart[i].is_internal;
			acc[i].active = 1;
		}
		for (int i = 0; i < 2; i++) {
			struct budget b;
			struct budget_totals bt;

			budget_init(&b, BUDGET_MAINSTREAM, &bc);
			for (size_t j = 0; j < bases[i]->nlines; j++)
				assert_non_null(budget_add_line(&b, bases[i]->lines[j].code, "", bases[i]->lines[j].amount_pence));
			assert_int_equal(budget_totals(&b, &bt), 0);
			assert_true(bt.income == fe[i]->t[0].income && bt.expenditure == fe[i]->t[0].expenditure);
			assert_true(bt.internal_income == fe[i]->t[0].internal_income &&
				    bt.internal_expenditure == fe[i]->t[0].internal_expenditure);
			assert_true(bt.staff_bp == fe[i]->t[0].staff_bp);
			budget_clear(&b);
		}
	}
	/* central: 1,998,500,000 + 24,900,000 - 1,878,590,000 - 140,000,000 = 4,810,000 */
	assert_true(c->t[1].balance == 4810000);
	assert_true(c->t[1].central_charges == 1878590000 - 1998500000 - 24900000);

	/* consolidation: internal codes net to zero, the trust's balance is the sum of the entities' */
	for (size_t i = 0; i < r.nentities; i++) {
		inc += r.entities[i].t[1].internal_income;
		exp += r.entities[i].t[1].internal_expenditure;
		bal += r.entities[i].t[1].balance;
	}
	assert_true(inc == exp);
	assert_true(r.trust[1].balance == bal);
	/* external income once: GAG 1,240,000,000 + 760,000,000 + 500,000,000 */
	assert_true(r.trust[1].income == 2500000000);
	for (size_t i = 0; i < r.ntrust_lines; i++)
		assert_false(r.trust_lines[i].account->is_internal);
	/* the posting explains itself */
	{
		const struct forecast_line *pl = NULL;
		cJSON *x;
		char *text;

		for (size_t i = 0; i < s3->nlines; i++)
			if (s3->lines[i].origin == FO_POSTING)
				pl = &s3->lines[i];
		assert_non_null(pl);
		x = forecast_explain_json(&r, s3, pl, 1);
		text = forecast_explain_text("INT01", pl->a[1], x);
		assert_non_null(strstr(text, "INT01: to central (finance model local): 5.00% top-slice"));
		assert_non_null(strstr(text, "= \xc2\xa3" "249,000.00"));
		free(text);
		cJSON_Delete(x);
	}
	forecast_result_free(&r);

	/* only one pooled school selected: the GAG is still split over both (the other's share leaves
	 * the forecast with it), and the pool is that one school's */
	e[1].selected = 0;
	run_ok(&in, &r);
	assert_int_equal(r.nentities, 3);
	s1 = find_entity(&r, "100001");
	assert_true(find_line(s1, "I01", 0)->a[0] == 1200000000);
	assert_true(posted(s1, "INT03", 1) == 1239000000);
	/* pot 1,239,000,000; 6% = 74,340,000; the rest to the one school */
	assert_true(posted(s1, "INT05", 1) == 1164660000);
	forecast_result_free(&r);
}


/* The explanation of the pupils driver, through JSON text and back, as the daemon stores it. */
static void test_explain_roundtrip(void **state)
{
	static const struct forecast_line_in lines[] = { { "I01", "GAG", 373000000, NULL, 0 } };
	struct forecast_assumptions a = assume(1);
	struct forecast_entity_in e[2] = { entity("100001", "", lines, 1), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	const struct forecast_line *l;
	char *stored, *text;
	cJSON *x, *back;

	(void)state;
	census(&e[0], 600, 562, 522);
	a.funding_bp[1] = 210;
	run_ok(&in, &r);
	l = find_line(&r.entities[0], "I01", 0);
	x = forecast_explain_json(&r, &r.entities[0], l, 1);
	stored = cJSON_PrintUnformatted(x);
	back = cJSON_Parse(stored);
	text = forecast_explain_text("I01", l->a[1], back);
	assert_string_equal(text, "I01: \xc2\xa3" "3,730,000.00 \xc3\x97 522/562 pupils (October 2026 / 2025 census) "
			    "\xc3\x97 1.021 (funding +2.10%) = \xc2\xa3" "3,537,274.48");
	free(text);
	cJSON_free(stored);
	cJSON_Delete(x);
	cJSON_Delete(back);
	forecast_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_parse),
		cmocka_unit_test(test_fixed_funding_inflation),
		cmocka_unit_test(test_pupils_drivers),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_part_year_staff),
		cmocka_unit_test(test_unbudgeted_base_change),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_contract_priced_services),
		cmocka_unit_test_setup_teardown(test_plugins_pool_and_topslice, load_plugins, unload_plugins),
		cmocka_unit_test(test_explain_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
