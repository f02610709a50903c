/* test_scenario_apply.c - unit tests for daemon/api/scenario_apply.c's staffing
 * actions (issue 16): post_end, post_fte and post_start applied in order to a
 * copy of the posts (the live array unchanged), FTE changes kept together and
 * sorted per post however the actions interleave, a new post's scale and points
 * resolved, and the field errors of a run (/actions/N/post, /post/scale, /point). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "date.h"
#include "scenario.h"
#include "scenario_apply.h"
#include "staffing.h"

static const char *const points[] = { "M1", "M2", "M3", "M4", "M5", "M6" };
static const int64_t values[] = { 3200000, 3300000, 3400000, 3500000, 3600000, 3700000 };
static const struct staff_scale scale = { "teachers_main_england", SK_TEACHER, 6, points, 2026, 1, values };

static const struct staff_scale *scale_of(const void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, scale.name) == 0 ? &scale : NULL;
}

static struct staff_post post(const char *urn, const char *ref)
{
	return (struct staff_post){ .urn = urn, .reference = ref, .code = "E01", .role = SR_TEACHER, .scale = &scale,
				    .point = 2, .top = 5, .point_year = 2026, .fte_h = 100, .pension = SP_TPS,
				    .ni_category = 'A', .start = FORECAST_NO_DATE, .end = FORECAST_NO_DATE,
				    .periods_taught = -1 };
}

static void parse_actions(const char *json, struct scenario *s)
{
	cJSON *j = cJSON_Parse(json);
	struct problem p;

	memset(s, 0, sizeof(*s));
	memset(&p, 0, sizeof(p));
	assert_non_null(j);
	assert_int_equal(scenario_parse_whatif(NULL, j, s, &p), 0);
	cJSON_Delete(j);
}

static void test_actions_on_a_copy(void **state)
{
	struct staff_post live[3] = { post("159901", "T-1"), post("159901", "T-2"), post("159902", "T-1") };
	struct staff_post before[3];
	struct scenario s;
	struct scenario_posts out;
	struct problem p;
	const struct staff_post *q;

	(void)state;
	memcpy(before, live, sizeof(live));
	live[1].end = date_from_ymd(2028, 6, 30);
	before[1].end = live[1].end;
	parse_actions("[{\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"T-1\", \"from\": \"2028-01-01\", \"fte_h\": 80, \"note\": \"a\"},"
		      " {\"type\": \"post_end\", \"entity\": \"159901\", \"post\": \"T-2\", \"from\": \"2029-09-01\", \"note\": \"later: kept\"},"
		      " {\"type\": \"post_fte\", \"entity\": \"159902\", \"post\": \"T-1\", \"from\": \"2027-09-01\", \"fte_h\": 50, \"note\": \"b\"},"
		      " {\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"T-1\", \"from\": \"2027-09-01\", \"fte_h\": 60, \"note\": \"c\"},"
		      " {\"type\": \"post_end\", \"entity\": \"159902\", \"post\": \"T-1\", \"from\": \"2028-09-01\", \"note\": \"d\"},"
		      " {\"type\": \"post_fte\", \"entity\": \"159901\", \"post\": \"T-1\", \"from\": \"2028-01-01\", \"fte_h\": 90, \"note\": \"same day: the later\"},"
		      " {\"type\": \"post_start\", \"entity\": \"159901\", \"from\": \"2027-09-01\", \"note\": \"new\", \"post\": {"
		      "  \"reference\": \"T-9\", \"title\": \"Teacher\", \"role\": \"teacher\", \"account_code\": \"E01\","
		      "  \"scale\": \"teachers_main_england\", \"point\": \"M2\", \"top_point\": \"M4\", \"point_year\": \"2027-28\","
		      "  \"fte_h\": 100, \"pension\": \"tps\", \"starts_on\": \"2028-01-01\", \"tlr_pence\": 100, \"sen_pence\": 20}},"
		      " {\"type\": \"post_end\", \"entity\": \"159901\", \"post\": \"T-9\", \"from\": \"2029-04-01\", \"note\": \"the new one\"}]",
		      &s);
	memset(&p, 0, sizeof(p));
	assert_int_equal(scenario_apply_posts(&s, live, 3, scale_of, NULL, &out, &p), 0);
	assert_memory_equal(live, before, sizeof(live));      /* the live posts are not written */
	assert_int_equal(out.n, 4);
	q = &out.posts[0];                                     /* 159901 T-1: two changes, sorted, the later 2028-01-01 wins */
	assert_int_equal(q->nfte_changes, 2);
	assert_true(q->fte_changes[0].from == date_from_ymd(2027, 9, 1) && q->fte_changes[0].fte_h == 60);
	assert_true(q->fte_changes[1].from == date_from_ymd(2028, 1, 1) && q->fte_changes[1].fte_h == 90);
	assert_int_equal(out.posts[1].end, date_from_ymd(2028, 6, 30));   /* already ending earlier */
	q = &out.posts[2];
	assert_true(q->nfte_changes == 1 && q->fte_changes[0].fte_h == 50 && q->end == date_from_ymd(2028, 8, 31));
	q = &out.posts[3];                                     /* the new post: from its own later start */
	assert_string_equal(q->reference, "T-9");
	assert_true(q->point == 1 && q->top == 3 && q->point_year == 2027 && q->allowances_pence == 120);
	assert_true(q->start == date_from_ymd(2028, 1, 1) && q->end == date_from_ymd(2029, 3, 31));
	scenario_apply_posts_free(&out);
	scenario_free(&s);
}

static void test_action_errors(void **state)
{
	struct staff_post live[1] = { post("159901", "T-1") };
	struct scenario s;
	struct scenario_posts out;
	struct problem p;

	(void)state;
	parse_actions("[{\"type\": \"post_end\", \"entity\": \"159901\", \"post\": \"T-404\", \"from\": \"2028-01-01\", \"note\": \"a\"},"
		      " {\"type\": \"post_fte\", \"entity\": \"159902\", \"post\": \"T-1\", \"from\": \"2028-01-01\", \"fte_h\": 50, \"note\": \"another school's\"},"
		      " {\"type\": \"post_start\", \"entity\": \"159901\", \"from\": \"2027-09-01\", \"note\": \"x\", \"post\": {"
		      "  \"reference\": \"T-9\", \"title\": \"T\", \"role\": \"teacher\", \"account_code\": \"E01\", \"scale\": \"nosuch\","
		      "  \"point\": \"M2\", \"point_year\": \"2027-28\", \"fte_h\": 100, \"pension\": \"tps\"}},"
		      " {\"type\": \"post_start\", \"entity\": \"159901\", \"from\": \"2027-09-01\", \"note\": \"x\", \"post\": {"
		      "  \"reference\": \"T-8\", \"title\": \"T\", \"role\": \"teacher\", \"account_code\": \"E01\","
		      "  \"scale\": \"teachers_main_england\", \"point\": \"M9\", \"top_point\": \"X1\", \"point_year\": \"2027-28\","
		      "  \"fte_h\": 100, \"pension\": \"tps\"}}]", &s);
	memset(&p, 0, sizeof(p));
	assert_int_equal(scenario_apply_posts(&s, live, 1, scale_of, NULL, &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_int_equal(p.nerrors, 5);
	assert_string_equal(p.errors[0].field, "/actions/0/post");
	assert_string_equal(p.errors[1].field, "/actions/1/post");
	assert_string_equal(p.errors[2].field, "/actions/2/post/scale");
	assert_string_equal(p.errors[3].field, "/actions/3/post/point");
	assert_string_equal(p.errors[4].field, "/actions/3/post/top_point");
	scenario_apply_posts_free(&out);
	scenario_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions_on_a_copy),
		cmocka_unit_test(test_action_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
