/* test_forecast_input.c - unit tests for what the forecast engine does with its
 * input before any figure: the digest of the inputs, bad input refused, and the
 * services indexed by URN. The inputs and look-ups are
 * tests/unit/forecast_harness.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"
#include "forecast_digest.h"
#include "forecast_harness.h"

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
	assert_string_equal(forecast_line_service(find_line(s, "E14", 1))->label, "cleaning 1");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_services_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
