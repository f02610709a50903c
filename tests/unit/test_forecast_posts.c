/* test_forecast_posts.c - unit tests for the forecast engine's staff from posts
 * (issue 16, the `posts` driver): an entity planning by post has its staff codes'
 * lines from the costed posts the caller gives (struct forecast_staff), the base
 * year the budget as set with a warning where it differs, a costed code with no
 * line a line of its own, explanations naming pay, NI, pension, posts and FTE,
 * and the digest covering them. The inputs and look-ups are
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
#include "forecast_explain.h"
#include "forecast_harness.h"

/*
 * One teacher, costed by hand as core/staffing.c costs a post (base 2026-27):
 * 2026-27: £40,000 a year, full time: pay a month round(4,000,000 / 12) = 333,333;
 *   NI round((333,333 - 41,667) x 15%) = round(43,749.9) = 43,750; TPS
 *   round(333,333 x 28.68%) = round(95,599.9) = 95,600. The year: pay 3,999,996,
 *   NI 525,000, pension 1,147,200; 5,672,196.
 * 2027-28: +3% in September, £41,200: 343,333 a month; NI round(45,249.9) =
 *   45,250; TPS 28.68% Sep-Mar round(98,467.9) = 98,468, the scenario's 30.68%
 *   from April round(105,334.56) = 105,335. Pay 4,119,996, NI 543,000, pension
 *   7 x 98,468 + 5 x 105,335 = 1,215,951; 5,878,947.
 * 2028-29: +2.5%, £42,230: 351,917 a month; NI round(46,537.5) = 46,538 (half
 *   away from zero); TPS round(107,968.14) = 107,968; the post ends on 31
 *   December 2028 (a post_end from 2029-01-01): 4 months, pay 1,407,668, NI
 *   186,152, pension 431,872; 2,025,692.
 * 2029-30: no post: 0.
 */
static const struct forecast_staff teacher = {
	"100001", "E01", { 5672196, 5878947, 2025692, 0 }, { 3999996, 4119996, 1407668, 0 },
	{ 525000, 543000, 186152, 0 }, { 1147200, 1215951, 431872, 0 }, { 1, 1, 1, 0 }, { 100, 100, 100, 0 }, 0, { 0 }, { 0 },
};

/* Two teaching assistants (support staff) on E03, and an admin post on E05, which the budget has no line for. */
static const struct forecast_staff tas = {
	"100001", "E03", { 1900000, 1950000, 2000000, 2050000 }, { 1500000, 1540000, 1580000, 1620000 },
	{ 150000, 154000, 158000, 162000 }, { 250000, 256000, 262000, 268000 }, { 2, 2, 2, 2 }, { 160, 160, 160, 160 }, 0, { 0 }, { 0 },
};

static const struct forecast_staff admin = {
	"100001", "E05", { 300000, 310000, 320000, 330000 }, { 240000, 248000, 256000, 264000 },
	{ 20000, 21000, 22000, 23000 }, { 40000, 41000, 42000, 43000 }, { 1, 1, 1, 1 }, { 50, 50, 50, 50 }, 0, { 0 }, { 0 },
};

static const struct forecast_line_in post_lines[] = {
	{ "E01", "Teachers", 5672196, NULL, 0 }, { "E01", "Supply", 100000, NULL, 0 },
	{ "E03", "Teaching assistants", 2000000, NULL, 0 }, { "E20", "ICT", 500000, "fixed", 0 },
	{ "I06", "Grant", 9000000, "fixed", 0 },
};

static const struct forecast_line_in line_lines[] = { { "E01", "Teachers", 1000000, NULL, 0 } };

static const char *warning_of(const struct forecast_result *r, const char *urn, const char *code, const char *has)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (strcmp(r->warnings[i].urn, urn) == 0 && strcmp(r->warnings[i].code, code) == 0 &&
		    strstr(r->warnings[i].message, has) != NULL)
			return r->warnings[i].message;
	for (size_t i = 0; i < r->nwarnings; i++)
		fprintf(stderr, "  %s %s: %s\n", r->warnings[i].urn, r->warnings[i].code, r->warnings[i].message);
	fail_msg("no %s warning for %s with \"%s\"", code, urn, has);
	return NULL;
}

static char *text_of(const struct forecast_result *r, const struct forecast_entity *e, const struct forecast_line *l,
		     int k)
{
	cJSON *x = forecast_explain_json(r, e, l, k);
	char *t;

	assert_non_null(x);
	t = forecast_explain_text(l->account->code, l->a[k], x);
	cJSON_Delete(x);
	assert_non_null(t);
	return t;
}

struct posts_run {
	struct forecast_staff staff[3];
	struct forecast_assumptions a;
	struct forecast_entity_in e[3];
	struct forecast_input in;
};

static void posts_input(struct posts_run *p)
{
	p->staff[0] = teacher;
	p->staff[1] = tas;
	p->staff[2] = admin;
	p->a = assume(3);
	p->e[0] = entity("100001", "", post_lines, 5);
	p->e[1] = entity("100002", "", line_lines, 1);
	p->e[2] = entity("central", "", no_lines, 0);
	p->in = input(&p->a, p->e, 3);
	p->in.staff = p->staff;
	p->in.nstaff = 3;
}

static void test_posts_lines(void **state)
{
	struct posts_run p;
	struct forecast_result r;
	const struct forecast_entity *s;
	const struct forecast_line *l;
	char *t;

	(void)state;
	posts_input(&p);
	run_ok(&p.in, &r);
	s = find_entity(&r, "100001");
	/* the first E01 line carries the posts, the second is 0 from the first forecast year; the base year is the budget */
	l = find_line(s, "E01", 0);
	assert_int_equal(l->driver, FD_POSTS);
	assert_int_equal(l->origin, FO_BUDGET);
	assert_true(l->a[0] == 5672196 && l->a[1] == 5878947 && l->a[2] == 2025692 && l->a[3] == 0);
	l = find_line(s, "E01", 1);
	assert_int_equal(l->driver, FD_POSTS);
	assert_true(l->a[0] == 100000 && l->a[1] == 0 && l->a[2] == 0 && l->a[3] == 0);
	l = find_line(s, "E03", 0);
	assert_true(l->driver == FD_POSTS && l->a[0] == 2000000 && l->a[1] == 1950000 && l->a[3] == 2050000);
	/* E05: costed, no base line: a line of its own, 0 in the base year */
	l = find_line(s, "E05", 0);
	assert_true(l->origin == FO_STAFF && l->driver == FD_POSTS && l->a[0] == 0 && l->a[1] == 310000 &&
		    l->a[3] == 330000);
	assert_string_equal(l->description, "Staff costed from posts");
	/* other codes keep their drivers, and so does an entity not planning by post */
	assert_int_equal(find_line(s, "E20", 0)->driver, FD_FIXED);
	assert_int_equal(find_line(find_entity(&r, "100002"), "E01", 0)->driver, FD_TEACHER_PAY);
	/* totals: 2026-27 the budget; 2027-28 5,878,947 + 0 + 1,950,000 + 310,000 + 500,000 */
	assert_true(s->t[0].expenditure == 8272196 && s->t[1].expenditure == 8638947);
	assert_true(s->t[1].staff == 8138947 && s->t[3].staff == 2380000);
	/* the base year that differs: E01 by 100,000 less (two lines, one post), E03 less, E05 more */
	assert_non_null(warning_of(&r, "100001", "staff_base_differs", "E01: the 2026-27 budget has \xc2\xa3" "57,721.96; "
				   "the posts cost \xc2\xa3" "56,721.96 in 2026-27 (\xc2\xa3" "1,000.00 less)"));
	assert_non_null(warning_of(&r, "100001", "staff_base_differs", "E03: the 2026-27 budget has \xc2\xa3" "20,000.00"));
	assert_non_null(warning_of(&r, "100001", "staff_base_differs", "E05: the 2026-27 budget has \xc2\xa3" "0.00; "
				   "the posts cost \xc2\xa3" "3,000.00 in 2026-27 (\xc2\xa3" "3,000.00 more)"));
	assert_false(has_warning(&r, "100002", 0, "staff_base_differs"));
	/* explanations: pay, NI, pension, posts, FTE; the first year says how the base year differs */
	l = find_line(s, "E01", 0);
	t = text_of(&r, s, l, 1);
	assert_string_equal(t, "E01: 2026-27: budgeted \xc2\xa3" "57,721.96, the posts cost \xc2\xa3" "56,721.96; 1 post, "
			    "1.00 FTE, costed from posts: pay \xc2\xa3" "41,199.96 + employer's NI \xc2\xa3" "5,430.00 + "
			    "employer's pension \xc2\xa3" "12,159.51 = \xc2\xa3" "58,789.47");
	free(t);
	t = text_of(&r, s, l, 2);
	assert_string_equal(t, "E01: 1 post, 1.00 FTE, costed from posts: pay \xc2\xa3" "14,076.68 + employer's NI "
			    "\xc2\xa3" "1,861.52 + employer's pension \xc2\xa3" "4,318.72 = \xc2\xa3" "20,256.92");
	free(t);
	t = text_of(&r, s, find_line(s, "E03", 0), 3);
	assert_string_equal(t, "E03: 2 posts, 1.60 FTE, costed from posts: pay \xc2\xa3" "16,200.00 + employer's NI "
			    "\xc2\xa3" "1,620.00 + employer's pension \xc2\xa3" "2,680.00 = \xc2\xa3" "20,500.00");
	free(t);
	t = text_of(&r, s, find_line(s, "E01", 1), 1);
	assert_string_equal(t, "E01: costed from posts with the first E01 line = \xc2\xa3" "0.00");
	free(t);
	forecast_result_free(&r);
}

/* The digest covers the staff costs and what they were costed from; a run without them is as before. */
static void test_posts_digest(void **state)
{
	struct posts_run p;
	char d0[65], d1[65], d2[65], d3[65];

	(void)state;
	posts_input(&p);
	assert_int_equal(forecast_digest(&p.in, d1), 0);
	p.in.nstaff = 0;
	p.in.staff = NULL;
	assert_int_equal(forecast_digest(&p.in, d0), 0);
	assert_string_not_equal(d0, d1);
	posts_input(&p);
	p.staff[0].pension[2] += 1;              /* the same total, another split */
	p.staff[0].pay[2] -= 1;
	assert_int_equal(forecast_digest(&p.in, d2), 0);
	assert_string_not_equal(d1, d2);
	posts_input(&p);
	p.in.staff_basis = "posts v3; scales v2";
	assert_int_equal(forecast_digest(&p.in, d3), 0);
	assert_string_not_equal(d1, d3);
}

static void test_posts_bad_input(void **state)
{
	struct posts_run p;
	struct forecast_result r;
	enum forecast_error kind = 0;
	char err[300];

	(void)state;
	posts_input(&p);
	p.staff[2].code = "INT01";
	assert_int_equal(forecast_run(&p.in, &r, &kind, err, sizeof(err)), -1);
	assert_int_equal(kind, FORECAST_ERR_INPUT);
	assert_non_null(strstr(err, "internal code"));
	posts_input(&p);
	p.staff[2].code = "X99";
	assert_int_equal(forecast_run(&p.in, &r, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an account code"));
	posts_input(&p);
	p.staff[1].code = NULL;
	assert_int_equal(forecast_run(&p.in, &r, &kind, err, sizeof(err)), -1);
	posts_input(&p);
	p.staff[1].pence[2] = INT64_MAX;
	assert_int_equal(forecast_run(&p.in, &r, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
}

/*
 * Lines generated from posts (from_posts: a budget's computed staff lines, the central
 * team's levy and employment allowance) and the levy item:
 * - 100001 has a typed E01 line beside its generated one (typed before it planned by
 *   post): the generated line alone takes the posts, the typed one keeps teacher_pay;
 * - the central team's generated E08 lines (levy 90,000, allowance -1,050,000) take the
 *   levy item (the first carries levy + allowance, the second 0); its typed E08 line
 *   (recruitment) keeps inflation:cpi.
 */
static const struct forecast_line_in gen_lines[] = {
	{ "E01", "Teachers (typed)", 1000000, NULL, 0 }, { "E01", "Teaching staff (from posts)", 5672196, NULL, 0 },
};
static const unsigned char gen_from_posts[] = { 0, 1 };

static const struct forecast_line_in central_lines[] = {
	{ "E08", "Recruitment", 1200000, NULL, 0 },
	{ "E08", "Apprenticeship levy (from posts)", 90000, NULL, 0 },
	{ "E08", "Employment allowance (from posts)", -1050000, NULL, 0 },
};
static const unsigned char central_from_posts[] = { 0, 1, 1 };

static const struct forecast_staff levy = {
	"central", "E08", { -960000, -950000, -940000, -930000 }, { 21000000, 21500000, 22000000, 22500000 },
	{ 0 }, { 0 }, { 0 }, { 0 }, 1, { 90000, 100000, 110000, 120000 }, { -1050000, -1050000, -1050000, -1050000 },
};

static void test_posts_generated_lines_and_levy(void **state)
{
	struct forecast_staff staff[2] = { teacher, levy };
	struct forecast_assumptions a = assume(3);
	struct forecast_entity_in e[2];
	struct forecast_input in;
	struct forecast_result r;
	const struct forecast_entity *s;
	const struct forecast_line *l;
	char *t, d0[65], d1[65];

	(void)state;
	a.indices[0].bp[1] = 200;                /* cpi +2% */
	e[0] = entity("100001", "", gen_lines, 2);
	e[0].from_posts = gen_from_posts;
	e[1] = entity("central", "", central_lines, 3);
	e[1].from_posts = central_from_posts;
	in = input(&a, e, 2);
	in.staff = staff;
	in.nstaff = 2;
	run_ok(&in, &r);
	s = find_entity(&r, "100001");
	l = find_line(s, "E01", 0);
	assert_int_equal(l->driver, FD_TEACHER_PAY);
	l = find_line(s, "E01", 1);
	assert_true(l->driver == FD_POSTS && l->a[0] == 5672196 && l->a[1] == 5878947 && l->a[3] == 0);
	assert_false(has_warning(&r, "100001", 0, "staff_base_differs"));
	s = find_entity(&r, "central");
	l = find_line(s, "E08", 0);
	assert_true(l->driver == FD_INFLATION && l->a[0] == 1200000 && l->a[1] == 1224000);
	l = find_line(s, "E08", 1);
	assert_true(l->driver == FD_POSTS && l->a[0] == 90000 && l->a[1] == -950000 && l->a[2] == -940000 &&
		    l->a[3] == -930000);
	l = find_line(s, "E08", 2);
	assert_true(l->driver == FD_POSTS && l->a[0] == -1050000 && l->a[1] == 0 && l->a[3] == 0);
	/* the budget's lines give -960,000 as the posts do: no warning */
	assert_false(has_warning(&r, "central", 0, "staff_base_differs"));
	t = text_of(&r, s, find_line(s, "E08", 1), 1);
	assert_string_equal(t, "E08: the trust's apprenticeship levy \xc2\xa3" "1,000.00 (its rate on the pay from every "
			    "entity's posts, \xc2\xa3" "215,000.00, less the levy allowance, month by month within each tax "
			    "year) + employment allowance -\xc2\xa3" "10,500.00 (set against the trust's employer NI from "
			    "April), from posts = -\xc2\xa3" "9,500.00");
	free(t);
	forecast_result_free(&r);
	/* the digest covers which lines were generated from posts */
	assert_int_equal(forecast_digest(&in, d0), 0);
	{
		static const unsigned char one[] = { 0, 1, 0 };

		e[1].from_posts = one;
		assert_int_equal(forecast_digest(&in, d1), 0);
		assert_string_not_equal(d0, d1);
		/* a typed line on E08 beside one generated line: the typed one keeps its driver */
		run_ok(&in, &r);
		s = find_entity(&r, "central");
		assert_int_equal(find_line(s, "E08", 2)->driver, FD_INFLATION);
		assert_non_null(warning_of(&r, "central", "staff_base_differs", "E08: the 2026-27 budget has \xc2\xa3"
					   "900.00 for the apprenticeship levy and employment allowance; from the posts they "
					   "come to -\xc2\xa3" "9,600.00 in 2026-27"));
		forecast_result_free(&r);
	}
	/* no generated E08 line (the central team plans by post in a what-if only): the typed
	 * lines keep their drivers and the levy is a line of its own */
	e[1].from_posts = NULL;
	e[1].nlines = 1;
	run_ok(&in, &r);
	s = find_entity(&r, "central");
	assert_int_equal(find_line(s, "E08", 0)->driver, FD_INFLATION);
	l = find_line(s, "E08", 1);
	assert_true(l->origin == FO_STAFF && l->driver == FD_POSTS && l->a[0] == 0 && l->a[1] == -950000);
	assert_string_equal(l->description, "Apprenticeship levy and employment allowance (from posts)");
	forecast_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_posts_lines),
		cmocka_unit_test(test_posts_digest),
		cmocka_unit_test(test_posts_bad_input),
		cmocka_unit_test(test_posts_generated_lines_and_levy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
