/* test_forecast_rules.c - unit tests for the forecast engine's finance-rules stage
 * (daemon/core/forecast_rules.c through forecast_run) with rules written here:
 * postings booked as lines of payer and payee, and the order in which failing
 * rules and amounts out of range are reported. The real plugins' rules are in
 * test_forecast.c; the inputs and look-ups are tests/unit/forecast_harness.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"
#include "forecast_harness.h"

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
		assert_string_equal(l->post->text, "a test charge");
		assert_true(o->post == l->post);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postings_booked),
		cmocka_unit_test(test_range_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
