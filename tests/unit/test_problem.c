/* test_problem.c - unit tests for daemon/core/problem.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problem.h"

static bool slug_known(const char *slug)
{
	for (size_t i = 0; problem_slugs[i] != NULL; i++)
		if (strcmp(problem_slugs[i], slug) == 0)
			return true;
	return false;
}

/* Complete, well-formed UTF-8 (no cut sequences). */
static bool utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	while (*u != 0) {
		if (*u < 0x80)
			n = 0;
		else if ((*u & 0xE0) == 0xC0)
			n = 1;
		else if ((*u & 0xF0) == 0xE0)
			n = 2;
		else if ((*u & 0xF8) == 0xF0)
			n = 3;
		else
			return false;
		u++;
		for (; n > 0; n--, u++)
			if ((*u & 0xC0) != 0x80)
				return false;
	}
	return true;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static int json_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	assert_true(cJSON_IsNumber(v));
	return v->valueint;
}

static void test_slugs(void **state)
{
	static const char *const expected[] = {
		"bad-request", "malformed-json", "duplicate-key", "unauthorized", "forbidden",
		"not-found", "method-not-allowed", "conflict", "precondition-failed",
		"payload-too-large", "unsupported-media-type", "validation",
		"idempotency-key-reused", "precondition-required", "internal", "unavailable",
		/* the connection guard's (issue 12) */
		"request-timeout", "uri-too-long", "expectation-failed", "header-too-large",
		"not-implemented", "http-version-not-supported",
		/* signing in (issue 13) */
		"signin-failed", "csrf", "too-many-attempts",
		/* an import into a closed accounting period (issue 17) */
		"period-closed",
		/* a profile an account or a budget line names; `even` (issue 17) */
		"profile-in-use", "profile-builtin",
	};
	size_t n = 0;

	(void)state;
	while (problem_slugs[n] != NULL) {
		const char *c;

		for (c = problem_slugs[n]; *c != '\0'; c++)
			assert_true((*c >= 'a' && *c <= 'z') || *c == '-');
		for (size_t j = 0; j < n; j++)
			assert_string_not_equal(problem_slugs[j], problem_slugs[n]);
		n++;
	}
	assert_int_equal(n, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < n; i++)
		assert_true(slug_known(expected[i]));
}

/* Every listed slug has a catalogue title, and a generic one per status. */
static void test_slug_titles(void **state)
{
	static const int statuses[] = { 400, 401, 403, 404, 405, 408, 409, 412, 413, 414, 415, 417,
					422, 428, 431, 500, 501, 503, 505 };
	struct problem p = { 0 };

	(void)state;
	for (size_t i = 0; problem_slugs[i] != NULL; i++) {
		problem_set(&p, 400, problem_slugs[i], NULL, "x");
		assert_non_null(p.title);
		assert_true(p.title[0] >= 'A' && p.title[0] <= 'Z');
	}
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		problem_set(&p, statuses[i], NULL, NULL, "x");
		assert_non_null(p.slug);
		assert_true(slug_known(p.slug));
	}
	problem_set(&p, 422, NULL, NULL, "x");
	assert_string_equal(p.slug, "validation");
	problem_set(&p, 400, NULL, NULL, "x");
	assert_string_equal(p.slug, "bad-request");
}

static void test_shorthands(void **state)
{
	static const struct {
		int status;
		const char *slug, *title;
	} want[] = {
		{ 400, "bad-request", "Bad request" },
		{ 404, "not-found", "Not found" },
		{ 403, "forbidden", "Forbidden" },
		{ 409, "conflict", "Conflict" },
		{ 500, "internal", "Internal error" },
		{ 503, "unavailable", "Service unavailable" },
	};
	struct problem p[6] = { { 0 } };

	(void)state;
	assert_int_equal(problem_bad_request(&p[0], "missing %s", "body"), -1);
	assert_int_equal(problem_not_found(&p[1], "no school %06d", 123456), -1);
	assert_int_equal(problem_forbidden(&p[2], "school %d is not yours", 7), -1);
	assert_int_equal(problem_conflict(&p[3], "contract %d is %s", 12, "closed"), -1);
	assert_int_equal(problem_internal(&p[4]), -1);
	assert_int_equal(problem_unavailable(&p[5], 5), -1);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(p[i].status, want[i].status);
		assert_string_equal(p[i].slug, want[i].slug);
		assert_string_equal(p[i].title, want[i].title);
		assert_true(p[i].detail[0] != '\0');
		assert_true(slug_known(p[i].slug));
	}
	assert_string_equal(p[0].detail, "missing body");
	assert_string_equal(p[1].detail, "no school 123456");
	assert_string_equal(p[3].detail, "contract 12 is closed");
	assert_int_equal(p[5].retry_after, 5);
	assert_int_equal(p[4].retry_after, 0);
}

static void test_set_overwrites_keeps_errors(void **state)
{
	struct problem p = { 0 };

	(void)state;
	problem_field(&p, "/name", "is required");
	assert_int_equal(problem_set(&p, 412, "precondition-failed", "Precondition failed",
				     "version %d is stale", 3), -1);
	assert_int_equal(p.status, 412);
	assert_string_equal(p.detail, "version 3 is stale");
	assert_int_equal(problem_not_found(&p, "gone"), -1);
	assert_int_equal(p.status, 404);
	assert_string_equal(p.slug, "not-found");
	assert_string_equal(p.detail, "gone");
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(p.errors[0].field, "/name");
	assert_string_equal(p.errors[0].message, "is required");
}

static void test_field_limit(void **state)
{
	struct problem p = { 0 };

	(void)state;
	for (int i = 0; i < PROBLEM_MAX_ERRORS + 3; i++)
		assert_int_equal(problem_field(&p, "/lines", "line %d is bad", i), -1);
	assert_int_equal(p.status, 0);
	assert_int_equal(p.nerrors, PROBLEM_MAX_ERRORS);
	assert_int_equal(p.nerrors_dropped, 3);
	assert_string_equal(p.errors[0].message, "line 0 is bad");
	assert_string_equal(p.errors[PROBLEM_MAX_ERRORS - 1].message, "line 49 is bad");
}

static void test_field_truncation(void **state)
{
	struct problem p = { 0 };
	char longf[300], pounds[301];
	size_t len;

	(void)state;
	memset(longf, 'x', sizeof(longf) - 1);
	longf[sizeof(longf) - 1] = '\0';
	/* 150 pound signs: 2 bytes each, so byte cuts can land mid-character */
	for (size_t i = 0; i < 150; i++)
		memcpy(pounds + 2 * i, "\xc2\xa3", 2);
	pounds[300] = '\0';

	problem_field(&p, longf, "%s", pounds);
	len = strlen(p.errors[0].field);
	assert_int_equal(len, sizeof(p.errors[0].field) - 1);
	assert_string_equal(p.errors[0].field + len - 4, "x...");

	/* message[256]: 252 bytes of text fit before "...", 126 pound signs */
	len = strlen(p.errors[0].message);
	assert_true(len < sizeof(p.errors[0].message));
	assert_true(utf8_valid(p.errors[0].message));
	assert_int_equal(len, 126 * 2 + 3);
	assert_string_equal(p.errors[0].message + len - 5, "\xc2\xa3...");

	/* an odd start shifts the cut into the middle of a character */
	problem_field(&p, "/odd", "a%s", pounds);
	len = strlen(p.errors[1].message);
	assert_true(utf8_valid(p.errors[1].message));
	assert_int_equal(len, 1 + 125 * 2 + 3);

	/* exactly full: no ellipsis */
	memset(longf, 'y', 127);
	longf[127] = '\0';
	problem_field(&p, longf, "ok");
	assert_string_equal(p.errors[2].field, longf);

	problem_field(&p, NULL, "no field");
	assert_string_equal(p.errors[3].field, "");
}

static void test_detail_truncation(void **state)
{
	struct problem p = { 0 };
	char big[1000];

	(void)state;
	memset(big, 'd', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	problem_bad_request(&p, "%s", big);
	assert_int_equal(strlen(p.detail), sizeof(p.detail) - 1);
	assert_string_equal(p.detail + sizeof(p.detail) - 4, "...");
}

static void test_validation_done(void **state)
{
	struct problem p = { 0 };

	(void)state;
	assert_int_equal(problem_validation_done(&p), 0);
	assert_int_equal(p.status, 0);
	assert_null(p.slug);

	problem_field(&p, "/amount_pence", "must be an integer");
	assert_int_equal(problem_validation_done(&p), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(p.slug, "validation");
	assert_string_equal(p.title, "Validation failed");
	assert_string_equal(p.detail, "1 field is invalid");

	memset(&p, 0, sizeof(p));
	problem_field(&p, "/a", "bad");
	problem_field(&p, "/b", "bad");
	assert_int_equal(problem_validation_done(&p), -1);
	assert_string_equal(p.detail, "2 fields are invalid");

	/* a status already set wins */
	memset(&p, 0, sizeof(p));
	problem_field(&p, "/version", "is stale");
	problem_conflict(&p, "already approved");
	assert_int_equal(problem_validation_done(&p), -1);
	assert_int_equal(p.status, 409);
	assert_string_equal(p.detail, "already approved");
}

static void test_to_json(void **state)
{
	struct problem p = { 0 };
	const cJSON *errs, *e;
	cJSON *o;

	(void)state;
	problem_field(&p, "/lines/3/amount_pence", "must be within \xc2\xa3" "1bn");
	problem_field(&p, "row 14, amount", "has \"quotes\" and a\nnewline");
	problem_validation_done(&p);
	o = problem_to_json(&p, "/api/v1/budgets/7");
	assert_non_null(o);
	assert_string_equal(json_str(o, "type"), "/problems/validation");
	assert_string_equal(json_str(o, "title"), "Validation failed");
	assert_int_equal(json_int(o, "status"), 422);
	assert_string_equal(json_str(o, "detail"), "2 fields are invalid");
	assert_string_equal(json_str(o, "instance"), "/api/v1/budgets/7");
	errs = cJSON_GetObjectItemCaseSensitive(o, "errors");
	assert_true(cJSON_IsArray(errs));
	assert_int_equal(cJSON_GetArraySize(errs), 2);
	e = cJSON_GetArrayItem(errs, 0);
	assert_string_equal(json_str(e, "field"), "/lines/3/amount_pence");
	assert_string_equal(json_str(e, "message"), "must be within \xc2\xa3" "1bn");
	e = cJSON_GetArrayItem(errs, 1);
	assert_string_equal(json_str(e, "field"), "row 14, amount");
	assert_string_equal(json_str(e, "message"), "has \"quotes\" and a\nnewline");
	/* no headers leak into the body */
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "retry_after"));
	cJSON_Delete(o);
}

static void test_to_json_minimal(void **state)
{
	struct problem p = { 0 };
	cJSON *o;

	(void)state;
	problem_not_found(&p, "no budget %d", 7);
	o = problem_to_json(&p, NULL);
	assert_non_null(o);
	assert_string_equal(json_str(o, "type"), "/problems/not-found");
	assert_string_equal(json_str(o, "title"), "Not found");
	assert_int_equal(json_int(o, "status"), 404);
	assert_string_equal(json_str(o, "detail"), "no budget 7");
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "instance"));
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "errors"));
	assert_int_equal(cJSON_GetArraySize(o), 4);
	cJSON_Delete(o);
}

static void test_to_json_dropped(void **state)
{
	struct problem p = { 0 };
	const cJSON *errs;
	cJSON *o;

	(void)state;
	for (int i = 0; i < PROBLEM_MAX_ERRORS + 3; i++)
		problem_field(&p, "/lines", "line %d", i);
	problem_validation_done(&p);
	assert_string_equal(p.detail, "53 fields are invalid");
	o = problem_to_json(&p, NULL);
	assert_non_null(o);
	assert_non_null(strstr(json_str(o, "detail"), "and 3 more"));
	assert_string_equal(json_str(o, "detail"), "53 fields are invalid; showing 50, and 3 more");
	errs = cJSON_GetObjectItemCaseSensitive(o, "errors");
	assert_int_equal(cJSON_GetArraySize(errs), PROBLEM_MAX_ERRORS);
	cJSON_Delete(o);
}

/* A problem nobody filled in must still render as a valid 500, never crash. */
static void test_to_json_unset(void **state)
{
	struct problem p = { 0 };
	cJSON *o;

	(void)state;
	o = problem_to_json(&p, NULL);
	assert_non_null(o);
	assert_int_equal(json_int(o, "status"), 500);
	assert_string_equal(json_str(o, "type"), "/problems/internal");
	assert_string_equal(json_str(o, "title"), "Internal error");
	assert_string_equal(json_str(o, "detail"), "Internal error");
	cJSON_Delete(o);

	/* a slug without a title borrows the catalogue's */
	problem_set(&p, 412, "precondition-failed", NULL, "stale");
	assert_string_equal(p.title, "Precondition failed");
	o = problem_to_json(&p, NULL);
	assert_non_null(o);
	assert_string_equal(json_str(o, "title"), "Precondition failed");
	cJSON_Delete(o);

	/* and no slug takes the status's generic one */
	problem_set(&p, 415, NULL, NULL, "send application/json");
	assert_string_equal(p.slug, "unsupported-media-type");
	assert_string_equal(p.title, "Unsupported media type");
}

/* The printed body parses back to the same strings (cJSON did the escaping). */
static void test_to_json_round_trip(void **state)
{
	struct problem p = { 0 };
	cJSON *o, *back;
	char *text;

	(void)state;
	problem_bad_request(&p, "bad \"%s\" \\ \x01 </script>", "name");
	o = problem_to_json(&p, "/x?a=\"b\"");
	assert_non_null(o);
	text = cJSON_PrintUnformatted(o);
	assert_non_null(text);
	back = cJSON_Parse(text);
	assert_non_null(back);
	assert_string_equal(json_str(back, "detail"), "bad \"name\" \\ \x01 </script>");
	assert_string_equal(json_str(back, "instance"), "/x?a=\"b\"");
	cJSON_Delete(back);
	cJSON_free(text);
	cJSON_Delete(o);
}

/* The two 412s of a versioned write, worded the same everywhere. */
static void test_stale_and_changed(void **state)
{
	struct problem p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(problem_stale(&p, 4, 3, "supplier %lld", 12LL), -1);
	assert_int_equal(p.status, 412);
	assert_string_equal(p.slug, "precondition-failed");
	assert_string_equal(p.detail, "supplier 12 is at version 4, not 3: GET it again");
	memset(&p, 0, sizeof(p));
	assert_int_equal(problem_changed(&p, "deleted", "scenario %d", 7), -1);
	assert_int_equal(p.status, 412);
	assert_string_equal(p.detail, "scenario 7 changed while it was being deleted");
}

/* The rendered body, for comparing two problems (caller frees). */
static char *rendered(const struct problem *p, const char *instance)
{
	cJSON *o = problem_to_json(p, instance);
	char *text;

	assert_non_null(o);
	text = cJSON_PrintUnformatted(o);
	assert_non_null(text);
	cJSON_Delete(o);
	return text;
}

/* The same calls on a and b render the same body. */
static void assert_same_after(struct problem *a, struct problem *b, void (*calls)(struct problem *))
{
	char *ta, *tb;

	calls(a);
	calls(b);
	ta = rendered(a, "/x");
	tb = rendered(b, "/x");
	assert_string_equal(ta, tb);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->retry_after, b->retry_after);
	assert_true(a->allow == b->allow);
	assert_int_equal(a->nerrors, b->nerrors);
	assert_int_equal(a->nerrors_dropped, b->nerrors_dropped);
	cJSON_free(ta);
	cJSON_free(tb);
}

static void calls_none(struct problem *p)
{
	(void)p;
}

static void calls_fields(struct problem *p)
{
	problem_field(p, "/name", "is required");
	problem_field(p, "/lines/0/amount_pence", "must be an integer");
	problem_validation_done(p);
}

static void calls_many_fields(struct problem *p)
{
	for (int i = 0; i < PROBLEM_MAX_ERRORS + 2; i++)
		problem_field(p, "/lines", "line %d", i);
	problem_validation_done(p);
}

static void calls_not_found(struct problem *p)
{
	problem_not_found(p, "no budget %d", 7);
}

static void calls_no_detail(struct problem *p)
{
	problem_set(p, 409, NULL, NULL, "%s", "");
}

/* Everything set, errors past the limit, and what no setter writes. */
static void fill(struct problem *p)
{
	for (int i = 0; i < PROBLEM_MAX_ERRORS + 5; i++)
		problem_field(p, "/stale/field/that/is/long", "stale message %d", i);
	problem_unavailable(p, 30);
	p->allow = "GET, PUT";
}

/* A reset problem behaves as a fresh one, whatever it held (also raw garbage). */
static void test_reset_is_fresh(void **state)
{
	static void (*const seqs[])(struct problem *) = {
		calls_none, calls_fields, calls_many_fields, calls_not_found, calls_no_detail,
	};
	struct problem *fresh = malloc(sizeof(*fresh)), *used = malloc(sizeof(*used));

	(void)state;
	assert_non_null(fresh);
	assert_non_null(used);
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		for (int garbage = 0; garbage < 2; garbage++) {
			memset(fresh, 0, sizeof(*fresh));
			if (garbage)
				memset(used, 0xA5, sizeof(*used));
			else {
				memset(used, 0, sizeof(*used));
				fill(used);
			}
			problem_reset(used);
			assert_int_equal(used->status, 0);
			assert_null(used->slug);
			assert_null(used->title);
			assert_string_equal(used->detail, "");
			assert_int_equal(used->retry_after, 0);
			assert_null(used->allow);
			assert_int_equal(used->nerrors, 0);
			assert_int_equal(used->nerrors_dropped, 0);
			assert_int_equal(problem_validation_done(used), 0);
			assert_same_after(fresh, used, seqs[i]);
		}
	}
	free(fresh);
	free(used);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_and_changed),
		cmocka_unit_test(test_slugs),
		cmocka_unit_test(test_slug_titles),
		cmocka_unit_test(test_shorthands),
		cmocka_unit_test(test_set_overwrites_keeps_errors),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_field_truncation),
		cmocka_unit_test(test_detail_truncation),
		cmocka_unit_test(test_validation_done),
		cmocka_unit_test(test_to_json),
		cmocka_unit_test(test_to_json_minimal),
		cmocka_unit_test(test_to_json_dropped),
		cmocka_unit_test(test_to_json_unset),
		cmocka_unit_test(test_to_json_round_trip),
		cmocka_unit_test(test_reset_is_fresh),
	};

	return cmocka_run_group_tests_name("problem", tests, NULL, NULL);
}
