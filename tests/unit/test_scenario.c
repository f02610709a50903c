/* test_scenario.c - unit tests for daemon/scenario.c: a scenario's assumptions
 * parsed and validated (every error with its JSON Pointer), its stored form, and
 * the values per year for a run ("a missing year repeats the last one given
 * before it; with none before it, 0, except place_rate_pence: 1,000,000"); and
 * the what-ifs (issue 15): overrides and actions parsed with their pointers, their
 * stored form, and copy_from's merge rules (scenario_merge); staffing by post
 * (issue 16): post actions, staff_by_post and staff_rate_changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "scenario.h"

static cJSON *J(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL)
		fail_msg("bad JSON in the test: %s", text);
	return j;
}

static const char expected[] =
	"{\"assumptions\": {"
	"  \"funding_per_pupil_bp\": {\"2027-28\": 210, \"2028-29\": 100},"
	"  \"teacher_pay_bp\": {\"2028-29\": 200, \"2027-28\": 250},"
	"  \"support_pay_bp\": {\"2027-28\": 300},"
	"  \"teacher_oncost_bp\": {\"2027-28\": 155, \"2028-29\": 0},"
	"  \"place_rate_pence\": {\"2029-30\": 1100000},"
	"  \"inflation_bp\": {\"cpi\": {\"2027-28\": 300, \"2028-29\": 250, \"2029-30\": 200}, \"energy\": {\"2027-28\": 500}},"
	"  \"retender_change_bp\": {\"2027-28\": 500},"
	"  \"base_support_pay_bp\": 300"
	" },"
	" \"pupils\": {\"159904\": {\"2027-28\": 500, \"2029-30\": 470}, \"159901\": {\"2027-28\": 695}},"
	" \"places\": {\"159906\": {\"2027-28\": 124}}}";

static void parse(const char *text, struct scenario *s, struct problem *p, size_t want_errors)
{
	cJSON *j = J(text);
	size_t n;

	memset(p, 0, sizeof(*p));
	n = scenario_parse(cJSON_GetObjectItemCaseSensitive(j, "assumptions"), cJSON_GetObjectItemCaseSensitive(j, "pupils"),
			   cJSON_GetObjectItemCaseSensitive(j, "places"), 2026, s, p);
	cJSON_Delete(j);
	if (n != want_errors) {
		for (size_t i = 0; i < p->nerrors; i++)
			fprintf(stderr, "  %s: %s\n", p->errors[i].field, p->errors[i].message);
		fail_msg("%zu errors, want %zu", n, want_errors);
	}
}

static const char *error_for(const struct problem *p, const char *field)
{
	for (size_t i = 0; i < p->nerrors; i++)
		if (strcmp(p->errors[i].field, field) == 0)
			return p->errors[i].message;
	fail_msg("no error for %s", field);
	return NULL;
}

static int slot(const struct forecast_assumptions *a, const char *name)
{
	for (size_t i = 0; i < a->nindices; i++)
		if (strcmp(a->indices[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void test_resolve_repeats_the_last_year(void **state)
{
	struct scenario s;
	struct problem p;
	struct forecast_assumptions a;
	int cpi, energy;

	(void)state;
	parse(expected, &s, &p, 0);
	scenario_resolve(&s, 2026, 5, &a);
	assert_int_equal(a.base_year, 2026);
	assert_int_equal(a.horizon, 5);
	/* funding: +2.10%, then +1.00% repeated to the end */
	assert_int_equal(a.funding_bp[1], 210);
	assert_int_equal(a.funding_bp[2], 100);
	assert_int_equal(a.funding_bp[5], 100);
	/* nothing for the base year itself */
	assert_int_equal(a.funding_bp[0], 0);
	/* teachers given out of order: sorted, 2.50% then 2.00% */
	assert_int_equal(a.teacher_pay_bp[1], 250);
	assert_int_equal(a.teacher_pay_bp[4], 200);
	/* a one-off April change: 1.55% in 2027-28, 0 after (given explicitly) */
	assert_int_equal(a.teacher_oncost_bp[1], 155);
	assert_int_equal(a.teacher_oncost_bp[2], 0);
	/* the place rate: £10,000 until 2029-30 gives £11,000 */
	assert_true(a.place_rate_pence[0] == 1000000 && a.place_rate_pence[2] == 1000000);
	assert_true(a.place_rate_pence[3] == 1100000 && a.place_rate_pence[5] == 1100000);
	/* nothing given: 0 */
	assert_int_equal(a.support_oncost_bp[3], 0);
	assert_int_equal(a.base_support_pay_bp, 300);
	assert_int_equal(a.base_teacher_oncost_bp, 0);
	cpi = slot(&a, "cpi");
	energy = slot(&a, "energy");
	assert_true(cpi >= 0 && energy >= 0);
	assert_int_equal(a.indices[cpi].bp[3], 200);
	assert_int_equal(a.indices[cpi].bp[5], 200);
	assert_int_equal(a.indices[energy].bp[4], 500);
	assert_int_equal(slot(&a, "nlw"), -1);
	/* a later base year: its first forecast year repeats what was given before it */
	scenario_resolve(&s, 2028, 2, &a);
	assert_int_equal(a.funding_bp[1], 100);
	assert_int_equal(a.teacher_pay_bp[0], 200);
	/* projections: exactly the years given */
	assert_int_equal(scenario_projection(s.pupils, s.npupils, "159904", 2027), 500);
	assert_int_equal(scenario_projection(s.pupils, s.npupils, "159904", 2028), FORECAST_NO_DATA);
	assert_int_equal(scenario_projection(s.pupils, s.npupils, "159904", 2029), 470);
	assert_int_equal(scenario_projection(s.pupils, s.npupils, "159901", 2027), 695);
	assert_int_equal(scenario_projection(s.pupils, s.npupils, "159902", 2027), FORECAST_NO_DATA);
	assert_int_equal(scenario_projection(s.places, s.nplaces, "159906", 2027), 124);
	scenario_free(&s);
}

static void test_stored_form_is_normalised(void **state)
{
	struct scenario s, s2;
	struct problem p;
	cJSON *spec, *again;
	char *t1, *t2;

	(void)state;
	parse(expected, &s, &p, 0);
	spec = scenario_spec_json(&s);
	t1 = cJSON_PrintUnformatted(spec);
	/* every assumption is there, years in order */
	assert_non_null(strstr(t1, "\"teacher_pay_bp\":{\"2027-28\":250,\"2028-29\":200}"));
	assert_non_null(strstr(t1, "\"support_oncost_bp\":{}"));
	assert_non_null(strstr(t1, "\"base_teacher_oncost_bp\":0"));
	assert_non_null(strstr(t1, "\"pupils\":{\"159901\":{\"2027-28\":695},\"159904\":"));
	/* and parses back to itself */
	parse(t1, &s2, &p, 0);
	again = scenario_spec_json(&s2);
	t2 = cJSON_PrintUnformatted(again);
	assert_string_equal(t1, t2);
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_Delete(spec);
	cJSON_Delete(again);
	scenario_free(&s);
	scenario_free(&s2);
	/* nothing at all is a scenario of defaults */
	parse("{}", &s, &p, 0);
	scenario_free(&s);
}

static void test_errors_have_pointers(void **state)
{
	struct scenario s;
	struct problem p;

	(void)state;
	parse("{\"assumptions\": {"
	      "  \"teacher_pay_bp\": {\"2026-27\": 250, \"2037-38\": 1, \"2027/28\": 1},"
	      "  \"funding_per_pupil_bp\": {\"2027-28\": -10001, \"2028-29\": -10000},"
	      "  \"support_pay_bp\": {\"2027-28\": \"3%\"},"
	      "  \"cpi_bp\": {},"
	      "  \"inflation_bp\": {\"CPI\": {}, \"nlw\": {\"2027-28\": 410}},"
	      "  \"place_rate_pence\": {\"2027-28\": -1},"
	      "  \"retender_change_bp\": 5,"
	      "  \"base_support_pay_bp\": -20000},"
	      " \"pupils\": {\"159904\": {\"2027-28\": -5, \"2028-29\": 1.5}, \"central\": {}, \"15990\": {}},"
	      " \"places\": [1]}",
	      &s, &p, 15);
	assert_non_null(strstr(error_for(&p, "/assumptions/teacher_pay_bp/2026-27"), "forecast year from 2027-28 to 2036-37"));
	error_for(&p, "/assumptions/teacher_pay_bp/2037-38");
	error_for(&p, "/assumptions/teacher_pay_bp/2027~128");
	assert_non_null(strstr(error_for(&p, "/assumptions/funding_per_pupil_bp/2027-28"), "at least -10000 (-100%)"));
	assert_non_null(strstr(error_for(&p, "/assumptions/support_pay_bp/2027-28"), "integer"));
	assert_string_equal(error_for(&p, "/assumptions/cpi_bp"), "unknown field");
	error_for(&p, "/assumptions/inflation_bp/CPI");
	assert_string_equal(error_for(&p, "/assumptions/place_rate_pence/2027-28"), "must not be negative");
	assert_string_equal(error_for(&p, "/assumptions/retender_change_bp"), "must be an object");
	error_for(&p, "/assumptions/base_support_pay_bp");
	assert_string_equal(error_for(&p, "/pupils/159904/2027-28"), "must not be negative");
	error_for(&p, "/pupils/159904/2028-29");
	error_for(&p, "/pupils/central");
	scenario_free(&s);
	/* -100% exactly is allowed: a grant that stops */
	parse("{\"assumptions\": {\"funding_per_pupil_bp\": {\"2027-28\": -10000}}}", &s, &p, 0);
	scenario_free(&s);
}

/* The projections replace the census of their school and year exactly; no other
 * year, school or count moves (carrying forward is the engine's). */
static void test_projections_over_the_census(void **state)
{
	struct forecast_entity_in e[4] = { { .urn = "159901" }, { .urn = "159904" }, { .urn = "159906" },
					   { .urn = "central" } };
	struct scenario s;
	struct problem p;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		for (int k = 0; k < FORECAST_NC; k++) {
			e[i].pupils[k] = 400;
			e[i].places[k] = 10;
		}
	parse(expected, &s, &p, 0);
	scenario_project(&s, 2026, e, 4);
	/* k is the year 2024 + k: 2027-28 is k = 3, 2029-30 is k = 5 */
	for (int k = 0; k < FORECAST_NC; k++) {
		assert_int_equal(e[0].pupils[k], k == 3 ? 695 : 400);
		assert_int_equal(e[1].pupils[k], k == 3 ? 500 : k == 5 ? 470 : 400);
		assert_int_equal(e[2].pupils[k], 400);
		assert_int_equal(e[2].places[k], k == 3 ? 124 : 10);
		assert_int_equal(e[0].places[k], 10);
		assert_int_equal(e[1].places[k], 10);
		assert_int_equal(e[3].pupils[k], 400);
		assert_int_equal(e[3].places[k], 10);
	}
	scenario_free(&s);
}

/* ---- what-ifs ---- */

static size_t parse_whatif(const char *text, struct scenario *s, struct problem *p)
{
	cJSON *j = J(text);
	size_t n;

	memset(p, 0, sizeof(*p));
	memset(s, 0, sizeof(*s));
	n = scenario_parse_whatif(cJSON_GetObjectItemCaseSensitive(j, "overrides"),
				  cJSON_GetObjectItemCaseSensitive(j, "actions"), s, p);
	cJSON_Delete(j);
	return n;
}

static void assert_json(const cJSON *got, const char *want)
{
	cJSON *w = J(want);
	char *g = cJSON_PrintUnformatted(got), *ws = cJSON_PrintUnformatted(w);

	if (strcmp(g, ws) != 0)
		fail_msg("got  %s\nwant %s", g, ws);
	cJSON_free(g);
	cJSON_free(ws);
	cJSON_Delete(w);
}

static void test_whatif_stored_form(void **state)
{
	struct scenario s;
	struct problem p;
	cJSON *spec;

	(void)state;
	assert_int_equal(parse_whatif("{\"overrides\": {\"plugin_settings\": {\"local\": {\"topslice_bp\": 450},"
				      " \"central\": {\"retention_bp\": \"500\", \"lump_sum_pence\": 4000000}},"
				      " \"finance_model\": {\"159909\": \"central\", \"159907\": \"central\"}},"
				      " \"actions\": [{\"type\": \"line\", \"entity\": \"159901\", \"account_code\": \"E02\","
				      " \"from\": \"2027-09-01\", \"annual_pence\": -4000000, \"note\": \"Cut agency supply\"},"
				      " {\"note\": \"Cleaning re-let\", \"annual_pence\": 1200000, \"to\": \"2029-08-31\","
				      " \"from\": \"2028-04-01\", \"account_code\": \"E14\", \"entity\": \"central\", \"type\": \"line\"}]}",
				      &s, &p), 0);
	assert_int_equal(s.nmodels, 2);
	assert_string_equal(scenario_model_of(&s, "159907"), "central");
	assert_null(scenario_model_of(&s, "159908"));
	assert_null(scenario_model_of(&s, "central"));
	assert_non_null(scenario_plugin_of(&s, "central"));
	assert_null(scenario_plugin_of(&s, "nosuch"));
	assert_int_equal(s.nactions, 2);
	assert_int_equal(s.actions[0].to, FORECAST_NO_DATE);
	assert_int_equal(s.actions[0].from, date_from_ymd(2027, 9, 1));
	assert_int_equal(s.actions[1].annual_pence, 1200000);
	spec = scenario_spec_json(&s);
	/* models by URN, plugins by name and settings by key (integers as text), actions as given with every member */
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "overrides"),
		    "{\"finance_model\": {\"159907\": \"central\", \"159909\": \"central\"},"
		    " \"plugin_settings\": {\"central\": {\"lump_sum_pence\": \"4000000\", \"retention_bp\": \"500\"},"
		    " \"local\": {\"topslice_bp\": \"450\"}}}");
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "actions"),
		    "[{\"type\": \"line\", \"entity\": \"159901\", \"account_code\": \"E02\", \"from\": \"2027-09-01\","
		    " \"to\": null, \"annual_pence\": -4000000, \"note\": \"Cut agency supply\"},"
		    " {\"type\": \"line\", \"entity\": \"central\", \"account_code\": \"E14\", \"from\": \"2028-04-01\","
		    " \"to\": \"2029-08-31\", \"annual_pence\": 1200000, \"note\": \"Cleaning re-let\"}]");
	cJSON_Delete(spec);
	scenario_free(&s);

	/* none: empty overrides, no actions */
	assert_int_equal(parse_whatif("{}", &s, &p), 0);
	spec = scenario_spec_json(&s);
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "overrides"), "{\"finance_model\": {}, \"plugin_settings\": {}}");
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "actions"), "[]");
	cJSON_Delete(spec);
	scenario_free(&s);
}

static void test_whatif_errors_have_pointers(void **state)
{
	struct scenario s;
	struct problem p;

	(void)state;
	assert_int_equal(parse_whatif("{\"overrides\": {\"colour\": 1, \"finance_model\": {\"central\": \"central\","
				      " \"12345\": \"central\", \"159907\": 3, \"159908\": \"bad name\"},"
				      " \"plugin_settings\": {\"central\": {\"retention_bp\": true, \"k~/x\": \"1\","
				      " \"lump_sum_pence\": 1.5, \"ok\": \"a\\u0001b\"}, \"9bad\": {}, \"local\": \"x\"}},"
				      " \"actions\": [{\"type\": \"post_move\", \"entity\": \"trust\", \"account_code\": \"E-2\","
				      " \"from\": \"2027-02-30\", \"annual_pence\": 100000000001, \"note\": \" \", \"x\": 1},"
				      " {\"type\": \"line\", \"entity\": \"159901\", \"account_code\": \"E02\", \"from\": \"2027-09-01\","
				      " \"to\": \"2027-08-31\", \"annual_pence\": -100000000000, \"note\": \"ok\"}, 7]}",
				      &s, &p), 20);
	error_for(&p, "/overrides/colour");
	assert_non_null(strstr(error_for(&p, "/overrides/finance_model/central"), "central team"));
	error_for(&p, "/overrides/finance_model/12345");
	error_for(&p, "/overrides/finance_model/159907");
	error_for(&p, "/overrides/finance_model/159908");
	error_for(&p, "/overrides/plugin_settings/central/retention_bp");
	error_for(&p, "/overrides/plugin_settings/central/k~0~1x");
	error_for(&p, "/overrides/plugin_settings/central/lump_sum_pence");
	error_for(&p, "/overrides/plugin_settings/central/ok");
	error_for(&p, "/overrides/plugin_settings/9bad");
	error_for(&p, "/overrides/plugin_settings/local");
	error_for(&p, "/actions/0/type");
	error_for(&p, "/actions/0/entity");
	error_for(&p, "/actions/0/account_code");
	error_for(&p, "/actions/0/from");
	error_for(&p, "/actions/0/annual_pence");
	error_for(&p, "/actions/0/note");
	error_for(&p, "/actions/0/x");
	error_for(&p, "/actions/1/to");
	error_for(&p, "/actions/2");
	scenario_free(&s);

	assert_int_equal(parse_whatif("{\"overrides\": [], \"actions\": {}}", &s, &p), 2);
	error_for(&p, "/overrides");
	error_for(&p, "/actions");
	scenario_free(&s);
}

static cJSON *merge(const char *source, const char *body)
{
	cJSON *s = J(source), *b = J(body), *m = scenario_merge(s, b);

	cJSON_Delete(s);
	cJSON_Delete(b);
	assert_non_null(m);
	return m;
}

static const char source[] =
	"{\"id\": 3, \"name\": \"expected\", \"description\": \"central\", \"base_year\": \"2026-27\", \"horizon\": 5,"
	" \"version\": 4, \"created_at\": \"x\", \"updated_at\": \"y\","
	" \"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 300, \"2028-29\": 250}, \"funding_per_pupil_bp\": {\"2027-28\": 210},"
	"  \"inflation_bp\": {\"cpi\": {\"2027-28\": 300}, \"nlw\": {\"2027-28\": 410}}, \"base_support_pay_bp\": 330},"
	" \"pupils\": {\"159904\": {\"2027-28\": 500}}, \"places\": {},"
	" \"overrides\": {\"finance_model\": {\"159907\": \"central\", \"159908\": \"central\"},"
	"  \"plugin_settings\": {\"central\": {\"retention_bp\": \"500\", \"lump_sum_pence\": \"1\"}, \"local\": {\"topslice_bp\": \"400\"}}},"
	" \"actions\": [{\"type\": \"line\", \"note\": \"a\"}]}";

static void test_copy_from_merge(void **state)
{
	cJSON *m;

	(void)state;
	/* nothing given but a name: the source's members, not its name, id, version or timestamps */
	m = merge(source, "{\"copy_from\": 3, \"name\": \"what if\"}");
	assert_json(m, "{\"description\": \"central\", \"base_year\": \"2026-27\", \"horizon\": 5,"
		    " \"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 300, \"2028-29\": 250}, \"funding_per_pupil_bp\": {\"2027-28\": 210},"
		    "  \"inflation_bp\": {\"cpi\": {\"2027-28\": 300}, \"nlw\": {\"2027-28\": 410}}, \"base_support_pay_bp\": 330},"
		    " \"pupils\": {\"159904\": {\"2027-28\": 500}}, \"places\": {},"
		    " \"overrides\": {\"finance_model\": {\"159907\": \"central\", \"159908\": \"central\"},"
		    "  \"plugin_settings\": {\"central\": {\"retention_bp\": \"500\", \"lump_sum_pence\": \"1\"}, \"local\": {\"topslice_bp\": \"400\"}}},"
		    " \"actions\": [{\"type\": \"line\", \"note\": \"a\"}], \"name\": \"what if\"}");
	cJSON_Delete(m);

	/* assumptions: each given replaces the source's whole (no year-by-year mixing); inflation index
	 * by index; null removes. finance_model school by school, plugin_settings plugin by plugin and
	 * key by key, null removes. Any other member replaces whole. */
	m = merge(source, "{\"name\": \"w\", \"copy_from\": 3, \"horizon\": 3, \"pupils\": {},"
		  " \"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 400}, \"base_support_pay_bp\": null,"
		  "  \"inflation_bp\": {\"cpi\": {\"2027-28\": 500}, \"energy\": {\"2027-28\": 800}, \"nlw\": null}},"
		  " \"overrides\": {\"finance_model\": {\"159907\": null, \"159909\": \"central\"},"
		  "  \"plugin_settings\": {\"central\": {\"retention_bp\": 450, \"lump_sum_pence\": null}, \"local\": null,"
		  "  \"other\": {\"k\": \"v\"}}},"
		  " \"actions\": []}");
	assert_json(m, "{\"description\": \"central\", \"base_year\": \"2026-27\", \"horizon\": 3,"
		    " \"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 400}, \"funding_per_pupil_bp\": {\"2027-28\": 210},"
		    "  \"inflation_bp\": {\"cpi\": {\"2027-28\": 500}, \"energy\": {\"2027-28\": 800}}},"
		    " \"pupils\": {}, \"places\": {},"
		    " \"overrides\": {\"finance_model\": {\"159908\": \"central\", \"159909\": \"central\"},"
		    "  \"plugin_settings\": {\"central\": {\"retention_bp\": 450}, \"other\": {\"k\": \"v\"}}},"
		    " \"actions\": [], \"name\": \"w\"}");
	cJSON_Delete(m);

	/* what is not an object where one is merged replaces (the parse then refuses it); unknown members are kept */
	m = merge(source, "{\"name\": \"w\", \"assumptions\": 7, \"overrides\": {\"finance_model\": [], \"colour\": 1},"
		  " \"colour\": \"red\"}");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(m, "assumptions")->valueint, 7);
	assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "overrides"),
								    "finance_model")));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "overrides"), "colour"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(m, "colour"));
	cJSON_Delete(m);
}

/* ---- staffing by post (issue 16) ---- */

static const char staff_whatifs[] =
	"{\"overrides\": {\"staff_by_post\": {\"159902\": false, \"159901\": true, \"central\": true}},"
	" \"actions\": [{\"type\": \"post_end\", \"entity\": \"159901\", \"post\": \"T-012\", \"from\": \"2027-09-01\","
	"  \"note\": \"Not replaced\"},"
	" {\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"TA-3\", \"from\": \"2028-01-01\", \"fte_h\": 60,"
	"  \"note\": \"Three days\"},"
	" {\"type\": \"post_start\", \"entity\": \"central\", \"from\": \"2027-04-01\", \"note\": \"A data manager\","
	"  \"post\": {\"reference\": \"C-9\", \"title\": \"Data manager\", \"role\": \"admin\", \"account_code\": \"E05\","
	"   \"scale\": \"njc\", \"point\": \"12\", \"point_year\": \"2026-27\", \"fte_h\": 100, \"pension\": \"lgps\"}}]}";

static void test_staff_whatifs(void **state)
{
	struct scenario s, s2;
	struct problem p;
	cJSON *spec, *again;

	(void)state;
	assert_int_equal(parse_whatif(staff_whatifs, &s, &p), 0);
	assert_int_equal(s.nactions, 3);
	assert_int_equal(s.actions[0].type, SCENARIO_ACTION_POST_END);
	assert_string_equal(s.actions[0].post_ref, "T-012");
	assert_int_equal(s.actions[0].from, date_from_ymd(2027, 9, 1));
	assert_int_equal(s.actions[1].type, SCENARIO_ACTION_POST_FTE);
	assert_int_equal(s.actions[1].fte_h, 60);
	assert_int_equal(s.actions[2].type, SCENARIO_ACTION_POST_START);
	assert_non_null(s.actions[2].post);
	assert_string_equal(s.actions[2].post->scale, "njc");
	assert_int_equal(s.actions[2].post->point_year, 2026);
	assert_int_equal(s.actions[2].post->ni_category, 'A');
	assert_int_equal(s.actions[2].post->starts_on, FORECAST_NO_DATE);
	assert_int_equal(s.actions[2].post->periods_taught, -1);
	assert_int_equal(scenario_staff_by_post_of(&s, "159901"), 1);
	assert_int_equal(scenario_staff_by_post_of(&s, "159902"), 0);
	assert_int_equal(scenario_staff_by_post_of(&s, "central"), 1);
	assert_int_equal(scenario_staff_by_post_of(&s, "159903"), -1);
	/* the stored form: every member of each action, staff_by_post by URN; parsed again it is the same */
	spec = scenario_spec_json(&s);
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "overrides"),
		    "{\"finance_model\": {}, \"plugin_settings\": {},"
		    " \"staff_by_post\": {\"159901\": true, \"159902\": false, \"central\": true}}");
	assert_json(cJSON_GetObjectItemCaseSensitive(spec, "actions"),
		    "[{\"type\": \"post_end\", \"entity\": \"159901\", \"post\": \"T-012\", \"from\": \"2027-09-01\","
		    "  \"note\": \"Not replaced\"},"
		    " {\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"TA-3\", \"from\": \"2028-01-01\","
		    "  \"fte_h\": 60, \"note\": \"Three days\"},"
		    " {\"type\": \"post_start\", \"entity\": \"central\", \"from\": \"2027-04-01\","
		    "  \"post\": {\"reference\": \"C-9\", \"title\": \"Data manager\", \"role\": \"admin\","
		    "  \"account_code\": \"E05\", \"scale\": \"njc\", \"point\": \"12\", \"top_point\": null,"
		    "  \"point_year\": \"2026-27\", \"fte_h\": 100, \"paid_weeks_h\": null, \"tlr_pence\": 0, \"sen_pence\": 0,"
		    "  \"fringe_pence\": 0, \"other_allowance_pence\": 0, \"pension\": \"lgps\", \"ni_category\": \"A\","
		    "  \"starts_on\": null, \"ends_on\": null, \"vacant\": false, \"periods_taught\": null},"
		    "  \"note\": \"A data manager\"}]");
	memset(&s2, 0, sizeof(s2));
	memset(&p, 0, sizeof(p));
	assert_int_equal(scenario_parse_whatif(cJSON_GetObjectItemCaseSensitive(spec, "overrides"),
					       cJSON_GetObjectItemCaseSensitive(spec, "actions"), &s2, &p), 0);
	again = scenario_spec_json(&s2);
	assert_true(cJSON_Compare(spec, again, 1));
	cJSON_Delete(again);
	cJSON_Delete(spec);
	scenario_free(&s2);
	scenario_free(&s);
}

static void test_staff_whatif_errors(void **state)
{
	struct scenario s;
	struct problem p;

	(void)state;
	assert_int_equal(parse_whatif("{\"overrides\": {\"staff_by_post\": {\"12345\": true, \"159901\": 1}},"
				      " \"actions\": [{\"type\": \"post_end\", \"entity\": \"159901\", \"from\": \"2027-09-01\","
				      "  \"note\": \"x\", \"fte_h\": 50},"
				      " {\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"T-1\", \"from\": \"2027-09-01\","
				      "  \"note\": \"x\", \"fte_h\": 0},"
				      " {\"type\": \"post_start\", \"entity\": \"159901\", \"from\": \"2027-09-01\", \"note\": \"x\","
				      "  \"post\": {\"reference\": \"T-9\", \"title\": \"Teacher\", \"role\": \"teacher\","
				      "  \"account_code\": \"E03\", \"scale\": \"teachers_main_england\", \"point\": \"M1\","
				      "  \"point_year\": \"2026-27\", \"fte_h\": 100, \"pension\": \"tps\"}},"
				      " {\"type\": \"post_start\", \"entity\": \"159901\", \"from\": \"2027-09-01\", \"note\": \"x\","
				      "  \"post\": {\"reference\": \"T-9\", \"title\": \"Teacher\", \"role\": \"chef\", \"holder_name\": \"A\","
				      "  \"account_code\": \"E01\", \"scale\": \"Bad Scale\", \"point\": \"M1\", \"point_year\": \"2026\","
				      "  \"fte_h\": 101, \"paid_weeks_h\": 6000, \"pension\": \"tps\", \"ni_category\": \"Z\"}}]}",
				      &s, &p), 13);
	error_for(&p, "/overrides/staff_by_post/12345");
	error_for(&p, "/overrides/staff_by_post/159901");
	error_for(&p, "/actions/0/post");
	error_for(&p, "/actions/0/fte_h");
	error_for(&p, "/actions/1/fte_h");
	assert_non_null(strstr(error_for(&p, "/actions/2/post/account_code"), "E01 or E02"));
	error_for(&p, "/actions/3/post/role");
	error_for(&p, "/actions/3/post/holder_name");
	error_for(&p, "/actions/3/post/scale");
	error_for(&p, "/actions/3/post/point_year");
	error_for(&p, "/actions/3/post/fte_h");
	error_for(&p, "/actions/3/post/paid_weeks_h");
	error_for(&p, "/actions/3/post/ni_category");
	scenario_free(&s);
}

/* assumptions.staff_rate_changes: any month of the forecast, TPS for everyone, LGPS an entity's or everyone's. */
static void test_staff_rate_changes(void **state)
{
	struct scenario s;
	struct problem p;
	cJSON *spec, *m;

	(void)state;
	parse("{\"assumptions\": {\"staff_rate_changes\": [{\"scheme\": \"tps\", \"from\": \"2027-04\", \"rate_bp\": 3068},"
	      " {\"scheme\": \"lgps\", \"entity\": \"159901\", \"from\": \"2028-01\", \"rate_bp\": 1900},"
	      " {\"scheme\": \"lgps\", \"from\": \"2026-09\", \"rate_bp\": 2000}]}}", &s, &p, 0);
	assert_int_equal(s.nrate_changes, 3);
	assert_int_equal(s.rate_changes[0].lgps, 0);
	assert_int_equal(s.rate_changes[0].from, date_from_ymd(2027, 4, 1));
	assert_int_equal(s.rate_changes[0].rate_bp, 3068);
	assert_string_equal(s.rate_changes[1].urn, "159901");
	assert_int_equal(s.rate_changes[1].from, date_from_ymd(2028, 1, 1));
	assert_string_equal(s.rate_changes[2].urn, "");
	spec = scenario_spec_json(&s);
	assert_json(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(spec, "assumptions"),
						     "staff_rate_changes"),
		    "[{\"scheme\": \"tps\", \"from\": \"2027-04\", \"rate_bp\": 3068},"
		    " {\"scheme\": \"lgps\", \"entity\": \"159901\", \"from\": \"2028-01\", \"rate_bp\": 1900},"
		    " {\"scheme\": \"lgps\", \"from\": \"2026-09\", \"rate_bp\": 2000}]");
	cJSON_Delete(spec);
	scenario_free(&s);
	/* none: not in the stored form */
	parse("{\"assumptions\": {}}", &s, &p, 0);
	spec = scenario_spec_json(&s);
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(spec, "assumptions"),
						     "staff_rate_changes"));
	cJSON_Delete(spec);
	scenario_free(&s);

	parse("{\"assumptions\": {\"staff_rate_changes\": [{\"scheme\": \"tps\", \"entity\": \"159901\", \"from\": \"2027-04\","
	      " \"rate_bp\": 3068}, {\"scheme\": \"nest\", \"from\": \"2027-13\", \"rate_bp\": 10001},"
	      " {\"scheme\": \"lgps\", \"from\": \"2026-08\", \"rate_bp\": 1}, 3]}}", &s, &p, 6);
	error_for(&p, "/assumptions/staff_rate_changes/0/entity");
	error_for(&p, "/assumptions/staff_rate_changes/1/scheme");
	error_for(&p, "/assumptions/staff_rate_changes/1/from");
	error_for(&p, "/assumptions/staff_rate_changes/1/rate_bp");
	assert_non_null(strstr(error_for(&p, "/assumptions/staff_rate_changes/2/from"), "2026-09"));
	error_for(&p, "/assumptions/staff_rate_changes/3");
	scenario_free(&s);

	/* copy_from: staff_rate_changes is one assumption (replaced whole), actions replaced whole,
	 * staff_by_post school by school */
	m = merge("{\"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 300}, \"staff_rate_changes\": [{\"scheme\": \"tps\","
		  " \"from\": \"2027-04\", \"rate_bp\": 3068}, {\"scheme\": \"lgps\", \"from\": \"2027-04\", \"rate_bp\": 2000}]},"
		  " \"overrides\": {\"finance_model\": {}, \"staff_by_post\": {\"159901\": true, \"159902\": true}},"
		  " \"actions\": [{\"type\": \"post_end\"}, {\"type\": \"line\"}]}",
		  "{\"assumptions\": {\"staff_rate_changes\": [{\"scheme\": \"tps\", \"from\": \"2027-09\", \"rate_bp\": 3168}]},"
		  " \"overrides\": {\"staff_by_post\": {\"159902\": null, \"159903\": false}},"
		  " \"actions\": [{\"type\": \"post_fte\"}]}");
	assert_json(m, "{\"assumptions\": {\"teacher_pay_bp\": {\"2027-28\": 300}, \"staff_rate_changes\": [{\"scheme\": \"tps\","
		    " \"from\": \"2027-09\", \"rate_bp\": 3168}]},"
		    " \"overrides\": {\"finance_model\": {}, \"staff_by_post\": {\"159901\": true, \"159903\": false}},"
		    " \"actions\": [{\"type\": \"post_fte\"}]}");
	cJSON_Delete(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_repeats_the_last_year),
		cmocka_unit_test(test_stored_form_is_normalised),
		cmocka_unit_test(test_errors_have_pointers),
		cmocka_unit_test(test_projections_over_the_census),
		cmocka_unit_test(test_whatif_stored_form),
		cmocka_unit_test(test_whatif_errors_have_pointers),
		cmocka_unit_test(test_copy_from_merge),
		cmocka_unit_test(test_staff_whatifs),
		cmocka_unit_test(test_staff_whatif_errors),
		cmocka_unit_test(test_staff_rate_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
