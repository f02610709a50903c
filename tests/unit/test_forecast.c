/* test_forecast.c - unit tests for the forecast engine (daemon/forecast.c), its
 * explanations, its digest and the monthly contract pricer, with every figure
 * worked by hand in the comments (pence; "round" is half away from zero).
 * The finance-rule test loads the real plugins (plugins/local.so and
 * central.so) through tests/unit/plugin_harness.h, as the daemon would; the
 * inputs and look-ups are tests/unit/forecast_harness.h. */
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
	assert_true(find_line(s, "E20", 0)->short_pence == 390000);
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
	assert_true(l->e[0] == 2600000 && l->m[0] == 0 && l->short_pence == 600000);
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
	assert_true(find_line(s, "E14", 0)->short_pence == 0 && find_line(s, "E14", 1)->short_pence == 0);
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

/* The same inputs give the same digest; any input that can change a figure changes it. */
static void test_digest(void **state)
{
	struct forecast_line_in lines[] = { { "I01", "GAG", 100000000, NULL, 0 }, { "E16", "Energy", 500000, NULL, 0 } };
	struct bursar_setting kv[] = { { "topslice_bp", "500" } };
	struct bursar_settings set = { sizeof(set), sizeof(kv[0]), 1, kv };
	struct forecast_plugin_id plug = { "local", "1.0.0", &set };
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[2] = { entity("100001", "local", lines, 2), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r1, r2;
	char d1[65], d2[65];

	(void)state;
	in.plugins = &plug;
	in.nplugins = 1;
	census(&e[0], 400, 410, 420);
	run_ok(&in, &r1);
	run_ok(&in, &r2);
	assert_string_equal(r1.digest, r2.digest);
	assert_int_equal(strlen(r1.digest), 64);
	assert_true(find_line(&r1.entities[0], "I01", 0)->a[3] == find_line(&r2.entities[0], "I01", 0)->a[3]);
	forecast_result_free(&r1);
	forecast_result_free(&r2);
	assert_int_equal(forecast_digest(&in, d1), 0);
	lines[1].amount_pence++;
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	lines[1].amount_pence--;
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_equal(d1, d2);
	kv[0].value = "400";                     /* a plugin's settings */
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	kv[0].value = "500";
	plug.version = "1.0.1";                  /* its version */
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	plug.version = "1.0.0";
	a.indices[0].bp[3] = 1;                  /* an assumption */
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
	a.indices[0].bp[3] = 0;
	e[0].pupils[2] = 421;                    /* the census */
	assert_int_equal(forecast_digest(&in, d2), 0);
	assert_string_not_equal(d1, d2);
}

/* Bad input: no central team, entities out of order, an unknown code or driver, a horizon out of range. */
static void test_bad_input(void **state)
{
	static const struct forecast_line_in bad_code[] = { { "X99", "?", 1, NULL, 0 } };
	static const struct forecast_line_in bad_driver[] = { { "I01", "?", 1, "inflation:", 0 } };
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[2] = { entity("100001", "", no_lines, 0), entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 2);
	struct forecast_result r;
	enum forecast_error kind = 0;
	char err[300];

	(void)state;
	in.nentities = 1;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_int_equal(kind, FORECAST_ERR_INPUT);
	assert_non_null(strstr(err, "central team"));
	in.nentities = 2;
	e[0].urn = "200001";
	e[1].urn = "100001";                     /* out of order (and no central) */
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	e[0] = entity("100001", "", bad_code, 1);
	e[1] = entity("central", "", no_lines, 0);
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "X99 is not an account code"));
	e[0].lines = bad_driver;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a forecast driver"));
	e[0].nlines = 0;
	a.horizon = 0;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	a.horizon = 11;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	a.horizon = 10;
	run_ok(&in, &r);
	forecast_result_free(&r);
}

/* Services indexed by URN: given out of order, a duplicate (the first counts), one
 * for a school not selected and one for no entity (ignored). 100001's E14 lines
 * share 9,000,000 (6/9 and the rest; the base year's cost is the base lines', so
 * the rest of each line is 0), E28a has no cost (CPI), E20 and E17 have costs but
 * no lines: lines of their own, in the order the services come. */
static void test_services_index(void **state)
{
	static const struct forecast_line_in l1[] = {
		{ "E14", "Cleaning A", 6000000, NULL, 0 }, { "E14", "Cleaning B", 3000000, NULL, 0 },
		{ "E28a", "Payroll", 500000, NULL, 0 },
	};
	static const struct forecast_line_in l2[] = { { "E28a", "Payroll", 800000, NULL, 0 } };
	static const struct forecast_line_in lc[] = { { "E14", "Cleaning", 1000000, NULL, 0 } };
	const struct forecast_service svc[] = {
		{ "100002", "E28a", { 800000, 1000000 }, "payroll 2" }, { "100001", "E14", { 9000000, 9000000 }, "cleaning 1" },
		{ "central", "E14", { 1000000, 2000000 }, "cleaning c" }, { "100001", "E20", { 0, 400000 }, "ict 1" },
		{ "100001", "E14", { 0, 1 }, "a second cost: ignored" }, { "100002", "E20", { 0, 300000 }, "ict 2" },
		{ "100003", "E28a", { 0, 7 }, "not selected" }, { "999999", "E14", { 0, 7 }, "no such entity" },
		{ "100001", "E17", { 0, 50000 }, "rates 1" },
	};
	struct forecast_assumptions a = assume(1);
	struct forecast_entity_in e[4] = { entity("100001", "", l1, 3), entity("100002", "", l2, 1),
					   entity("100003", "", no_lines, 0), entity("central", "", lc, 1) };
	struct forecast_input in = input(&a, e, 4);
	struct forecast_result r;
	const struct forecast_entity *s;

	(void)state, e[2].selected = 0;
	a.indices[0].bp[1] = 300;
	in.have_services = 1;
	in.services = svc;
	in.nservices = sizeof(svc) / sizeof(svc[0]);
	run_ok(&in, &r);
	assert_int_equal(r.nentities, 3);
	s = find_entity(&r, "100001");
	assert_int_equal(s->nlines, 5);
	assert_true(find_line(s, "E14", 0)->a[1] == 6000000 && find_line(s, "E14", 1)->a[1] == 3000000);
	assert_string_equal(find_line(s, "E14", 1)->service->label, "cleaning 1");
	assert_true(find_line(s, "E28a", 0)->fallback && find_line(s, "E28a", 0)->a[1] == 515000);
	assert_true(s->lines[3].origin == FO_SERVICE && strcmp(s->lines[3].account->code, "E20") == 0);
	assert_true(s->lines[4].origin == FO_SERVICE && strcmp(s->lines[4].account->code, "E17") == 0);
	assert_true(s->lines[3].a[1] == 400000 && s->lines[4].a[1] == 50000);
	s = find_entity(&r, "100002");
	assert_int_equal(s->nlines, 2);
	assert_true(find_line(s, "E28a", 0)->a[1] == 1000000 && find_line(s, "E20", 0)->a[1] == 300000);
	s = find_entity(&r, "central");
	assert_true(s->nlines == 1 && find_line(s, "E14", 0)->a[1] == 2000000);
	assert_true(has_warning(&r, "100001", 0, "services_fallback"));
	assert_false(has_warning(&r, "100002", 0, "services_fallback"));
	forecast_result_free(&r);
}

/* Finance rules that post three charges a school a year (more than the room the
 * engine keeps), the last on codes that are not internal: year and school make the amount. */
static int posting_cb(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink,
		      char *err, size_t errlen)
{
	(void)arg, (void)model, (void)err, (void)errlen;
	for (size_t i = 0; i < y->nentities; i++)
		for (int j = 0; j < 3; j++) {
			struct forecast_posting p = {
				.payer = y->entities[i].urn, .payee = BURSAR_CENTRAL, .payer_account = j < 2 ? "INT01" : "E20",
				.payee_account = j < 2 ? "INT02" : "I08", .amount_pence = (y->year - 2026) * 1000 + j,
				.basis = "test", .rate_bp = -1, .explanation = "a test charge",
			};

			if (forecast_sink_post(sink, &p) != 0)
				return -1;
		}
	return 0;
}

/* Postings are lines after the entity's own, year by year in the order posted;
 * the payer's and the payee's line share their amounts; a charge on codes that
 * are not internal stays in the trust. */
static void test_postings_booked(void **state)
{
	static const struct forecast_line_in lines[] = { { "I06", "Grant", 100000, "fixed", 0 } };
	struct forecast_assumptions a = assume(2);
	struct forecast_entity_in e[3] = { entity("100001", "m", lines, 1), entity("100002", "m", lines, 1),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	struct forecast_rules rules = { posting_cb, NULL };
	struct forecast_result r;
	const struct forecast_entity *s, *c;

	(void)state, in.rules = &rules;
	run_ok(&in, &r);
	s = find_entity(&r, "100002");
	c = find_entity(&r, "central");
	assert_int_equal(s->nlines, 7);
	assert_int_equal(c->nlines, 12);
	for (int j = 0; j < 6; j++) {
		const struct forecast_line *l = &s->lines[1 + j], *o = &c->lines[j / 3 * 6 + 3 + j % 3];

		assert_true(l->origin == FO_POSTING && l->k == 1 + j / 3 && l->a[l->k] == l->k * 1000 + j % 3);
		assert_true(o->a == l->a && strcmp(o->counterparty, "100002") == 0);
		assert_string_equal(l->counterparty, "central");
		assert_string_equal(l->text, "a test charge");
	}
	/* each school pays 1,001 in year 1 and 2,001 in year 2 on E20, received on I08 */
	assert_true(s->t[2].expenditure == 2000 + 2001 + 2002 && s->t[2].internal_expenditure == 4001);
	for (size_t i = 0; i < r.ntrust_lines; i++)
		if (strcmp(r.trust_lines[i].account->code, "E20") == 0)
			assert_true(r.trust_lines[i].a[1] == 2 * 1002 && r.trust_lines[i].a[2] == 2 * 2002);
	assert_true(r.trust[2].income == 200000 + 2 * 2002 && r.trust[2].balance == 200000);
	forecast_result_free(&r);
}

static int fail_cb(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink, char *err,
		   size_t errlen)
{
	(void)model, (void)sink;
	return y->year - 2026 < *(int *)arg ? 0 : (snprintf(err, errlen, "no"), -1);
}

/* Amounts out of range: the first year that has one, and in it the first entity,
 * as projecting year by year would find them; rules failing in an earlier year first. */
static void test_range_order(void **state)
{
	static const struct forecast_line_in big3[] = { { "I06", "Grant", INT64_C(1) << 60, "funding", 0 } };
	static const struct forecast_line_in big2[] = { { "I06", "Grant", INT64_C(1) << 61, "funding", 0 } };
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[3] = { entity("100001", "m", big3, 1), entity("100002", "m", big2, 1),
					   entity("central", "", no_lines, 0) };
	struct forecast_input in = input(&a, e, 3);
	int fail_from = 1;
	struct forecast_rules rules = { fail_cb, &fail_from };
	struct forecast_result r;
	enum forecast_error kind = 0;
	char err[300];

	(void)state;
	for (int k = 0; k < FORECAST_NY; k++)
		a.funding_bp[k] = 10000;         /* doubled a year: 2^63 in year 3 and in year 2 */
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "100002: amounts out of range");
	in.rules = &rules;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "finance rules \"m\" failed for 2027-28: no");
	fail_from = 2;
	assert_int_equal(forecast_run(&in, &r, &kind, err, sizeof(err)), -1);
	assert_string_equal(err, "100002: amounts out of range");
	assert_int_equal(kind, FORECAST_ERR_INPUT);
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
		cmocka_unit_test_setup_teardown(test_plugins_pool_and_topslice, load_plugins, unload_plugins),
		cmocka_unit_test(test_reserves_and_kpis),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_warnings_reserves),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_explain_roundtrip),
		cmocka_unit_test(test_services_index),
		cmocka_unit_test(test_postings_booked),
		cmocka_unit_test(test_range_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
