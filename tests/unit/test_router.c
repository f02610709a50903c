/* test_router.c - unit tests for daemon/router.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "router.h"

/* roles double as a row tag so a failure names the route that matched */
static const struct route table[] = {
	{ HM_GET, "/api/v1/health", NULL, 0 },
	{ HM_GET, "/api/v1/schools", NULL, 1 },
	{ HM_POST, "/api/v1/schools", NULL, 2 },
	{ HM_GET, "/api/v1/schools/{urn}", NULL, 3 },
	{ HM_PUT, "/api/v1/schools/{urn}", NULL, 4 },
	{ HM_GET, "/api/v1/schools/{urn}/years", NULL, 5 },
	{ HM_GET, "/api/v1/schools/{urn}/years/{year}", NULL, 6 },
	{ HM_PUT, "/api/v1/schools/{urn}/years/{year}", NULL, 7 },
	{ HM_DELETE, "/api/v1/tokens/{id}", NULL, 8 },
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

/*
 * router_match, and router_find on the table's index giving the same answer:
 * the same return, route, allowed methods and parameters. (A table the index
 * refuses, a seventh parameter in test_max_params, is router_match's alone.)
 */
static int both(const struct route *tbl, size_t n, unsigned method, const char *path, struct route_match *m)
{
	struct router *idx = router_new(tbl, n);
	struct route_match f;
	int rc = router_match(tbl, n, method, path, m), rf;

	if (idx == NULL)
		return rc;
	rf = router_find(idx, method, path, &f);
	router_free(idx);
	if (rf != rc || f.route != m->route || f.allow != m->allow || f.nparams != m->nparams)
		fail_msg("%s %s: router_find = %d (allow %u, %zu parameters), router_match = %d (allow %u, %zu)\n",
			 router_method_name(method), path, rf, f.allow, f.nparams, rc, m->allow, m->nparams);
	for (size_t i = 0; i < m->nparams; i++)
		if (strcmp(f.names[i], m->names[i]) != 0 || strcmp(f.values[i], m->values[i]) != 0)
			fail_msg("%s %s: parameter %zu: %s=%s, not %s=%s\n", router_method_name(method), path, i,
				 f.names[i], f.values[i], m->names[i], m->values[i]);
	return rc;
}

/* Expect a match of row `row`; returns the match for further checks. */
static struct route_match match_ok(unsigned method, const char *path, size_t row)
{
	struct route_match m;
	int rc = both(table, NTABLE, method, path, &m);

	if (rc != 0)
		fail_msg("%s %s: router_match = %d, want 0\n", router_method_name(method), path, rc);
	assert_non_null(m.route);
	if (m.route != &table[row])
		fail_msg("%s %s: matched row %u, want %zu\n", router_method_name(method), path,
			 m.route->roles, row);
	return m;
}

static void no_match(unsigned method, const char *path)
{
	struct route_match m;
	int rc = both(table, NTABLE, method, path, &m);

	if (rc != -1)
		fail_msg("%s %s: router_match = %d, want -1\n", router_method_name(method), path, rc);
	assert_null(m.route);
	assert_int_equal(m.allow, 0);
	assert_int_equal(m.nparams, 0);
}

static void test_exact(void **state)
{
	struct route_match m;

	(void)state;
	m = match_ok(HM_GET, "/api/v1/health", 0);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(m.allow, HM_GET | HM_HEAD);
	m = match_ok(HM_GET, "/api/v1/schools", 1);
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_POST);
	m = match_ok(HM_POST, "/api/v1/schools", 2);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_POST);
}

static void test_params(void **state)
{
	struct route_match m;

	(void)state;
	m = match_ok(HM_GET, "/api/v1/schools/100001", 3);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.names[0], "urn");
	assert_string_equal(m.values[0], "100001");
	assert_string_equal(router_param(&m, "urn"), "100001");
	/* the PUT row comes after the GET row; allow still covers both */
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_PUT);

	m = match_ok(HM_PUT, "/api/v1/schools/100001/years/2026-27", 7);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(m.names[0], "urn");
	assert_string_equal(m.values[0], "100001");
	assert_string_equal(m.names[1], "year");
	assert_string_equal(m.values[1], "2026-27");
	assert_string_equal(router_param(&m, "urn"), "100001");
	assert_string_equal(router_param(&m, "year"), "2026-27");
	assert_null(router_param(&m, "id"));
	assert_null(router_param(&m, "ur"));
	assert_null(router_param(&m, ""));

	m = match_ok(HM_GET, "/api/v1/schools/ABC/years", 5);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(router_param(&m, "urn"), "ABC");
	assert_null(router_param(&m, "year"));

	m = match_ok(HM_DELETE, "/api/v1/tokens/42", 8);
	assert_string_equal(router_param(&m, "id"), "42");

	/* a route without parameters: every name is unknown */
	m = match_ok(HM_GET, "/api/v1/health", 0);
	assert_null(router_param(&m, "urn"));
}

static void test_method_not_allowed(void **state)
{
	struct route_match m;
	char buf[64];

	(void)state;
	assert_int_equal(both(table, NTABLE, HM_DELETE, "/api/v1/schools/100001", &m), 1);
	assert_null(m.route);
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_PUT);
	assert_int_equal(router_allow_str(m.allow, buf, sizeof(buf)), strlen("GET, HEAD, PUT"));
	assert_string_equal(buf, "GET, HEAD, PUT");

	assert_int_equal(both(table, NTABLE, HM_POST, "/api/v1/schools/1/years/2026-27", &m), 1);
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_PUT);

	assert_int_equal(both(table, NTABLE, HM_PUT, "/api/v1/schools", &m), 1);
	assert_int_equal(m.allow, HM_GET | HM_HEAD | HM_POST);
	router_allow_str(m.allow, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, POST");

	/* no GET row: no HEAD either, and HEAD is itself not allowed */
	assert_int_equal(both(table, NTABLE, HM_GET, "/api/v1/tokens/42", &m), 1);
	assert_int_equal(m.allow, HM_DELETE);
	assert_int_equal(both(table, NTABLE, HM_HEAD, "/api/v1/tokens/42", &m), 1);
	assert_null(m.route);
	assert_int_equal(m.allow, HM_DELETE);
	router_allow_str(m.allow, buf, sizeof(buf));
	assert_string_equal(buf, "DELETE");
}

static void test_head_matches_get(void **state)
{
	struct route_match m;

	(void)state;
	m = match_ok(HM_HEAD, "/api/v1/schools/100001", 3);
	assert_true(m.route->method == HM_GET);
	assert_string_equal(router_param(&m, "urn"), "100001");
	m = match_ok(HM_HEAD, "/api/v1/health", 0);
	assert_int_equal(m.allow, HM_GET | HM_HEAD);
}

static void test_no_match(void **state)
{
	(void)state;
	no_match(HM_GET, "/nope");
	no_match(HM_GET, "");
	no_match(HM_GET, "/");
	no_match(HM_GET, "/api/v1");
	no_match(HM_GET, "/api/v1/healthz");
	no_match(HM_GET, "/api/v1/healt");
	no_match(HM_GET, "/API/v1/health");
	/* trailing slash is a different path */
	no_match(HM_GET, "/api/v1/health/");
	no_match(HM_GET, "/api/v1/schools/");
	no_match(HM_GET, "/api/v1/schools/100001/");
	no_match(HM_GET, "/api/v1/schools/100001/years/2026-27/");
	/* longer than every pattern */
	no_match(HM_GET, "/api/v1/schools/100001/years/2026-27/x");
	/* the method does not matter when no pattern matches */
	no_match(HM_DELETE, "/nope");
}

static void test_empty_param(void **state)
{
	(void)state;
	no_match(HM_GET, "/api/v1/schools//years");
	no_match(HM_GET, "/api/v1/schools//years/2026-27");
	no_match(HM_GET, "/api/v1/schools/100001/years/");
	no_match(HM_DELETE, "/api/v1/tokens/");
}

static void test_param_length(void **state)
{
	char path[128], val[80];
	struct route_match m;

	(void)state;
	/* ROUTER_MAX_PARAM_LEN - 1 = 63 characters fit */
	memset(val, 'a', 63);
	val[63] = '\0';
	snprintf(path, sizeof(path), "/api/v1/schools/%s", val);
	m = match_ok(HM_GET, path, 3);
	assert_int_equal(strlen(router_param(&m, "urn")), 63);
	assert_string_equal(router_param(&m, "urn"), val);
	snprintf(path, sizeof(path), "/api/v1/schools/%s/years/%s", "1", val);
	m = match_ok(HM_GET, path, 6);
	assert_string_equal(router_param(&m, "year"), val);

	/* 64 do not */
	memset(val, 'a', 64);
	val[64] = '\0';
	snprintf(path, sizeof(path), "/api/v1/schools/%s", val);
	no_match(HM_GET, path);
	no_match(HM_PUT, path);
	snprintf(path, sizeof(path), "/api/v1/schools/%s/years", val);
	no_match(HM_GET, path);
	snprintf(path, sizeof(path), "/api/v1/schools/1/years/%s", val);
	no_match(HM_GET, path);
}

static void test_max_params(void **state)
{
	static const struct route six[] = {
		{ HM_GET, "/{a}/{b}/{c}/{d}/{e}/{f}", NULL, 0 },
		{ HM_GET, "/x/{a}/{b}/{c}/{d}/{e}/{f}/{g}", NULL, 1 },
	};
	struct route_match m;

	(void)state;
	assert_int_equal(both(six, 2, HM_GET, "/1/2/3/4/5/6", &m), 0);
	assert_int_equal(m.nparams, 6);
	assert_string_equal(router_param(&m, "a"), "1");
	assert_string_equal(router_param(&m, "f"), "6");
	/* a seventh parameter does not fit: no match rather than overflow */
	assert_int_equal(both(six, 2, HM_GET, "/x/1/2/3/4/5/6/7", &m), -1);
}

/* Rows are tried in table order: the first row for the method wins. */
static void test_first_match_wins(void **state)
{
	static const struct route order[] = {
		{ HM_GET, "/s/search", NULL, 0 },
		{ HM_GET, "/s/{urn}", NULL, 1 },
		{ HM_GET, "/s/search", NULL, 2 },
	};
	struct route_match m;

	(void)state;
	assert_int_equal(both(order, 3, HM_GET, "/s/search", &m), 0);
	assert_ptr_equal(m.route, &order[0]);
	assert_int_equal(m.nparams, 0);
	assert_null(router_param(&m, "urn"));
	assert_int_equal(both(order + 1, 2, HM_GET, "/s/search", &m), 0);
	assert_ptr_equal(m.route, &order[1]);
	assert_string_equal(router_param(&m, "urn"), "search");
	assert_int_equal(both(order, 3, HM_HEAD, "/s/search", &m), 0);
	assert_ptr_equal(m.route, &order[0]);
}

static void test_methods(void **state)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };
	static const unsigned bits[] = { HM_GET, HM_HEAD, HM_POST, HM_PUT, HM_PATCH, HM_DELETE, HM_OPTIONS };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(router_method_parse(names[i]), bits[i]);
		assert_string_equal(router_method_name(bits[i]), names[i]);
		assert_string_equal(router_method_name(router_method_parse(names[i])), names[i]);
	}
	/* methods are case-sensitive (RFC 9110 9.1) */
	assert_int_equal(router_method_parse("get"), 0);
	assert_int_equal(router_method_parse("GETX"), 0);
	assert_int_equal(router_method_parse("GE"), 0);
	assert_int_equal(router_method_parse(""), 0);
	assert_int_equal(router_method_parse("TRACE"), 0);
	assert_string_equal(router_method_name(0), "?");
	assert_string_equal(router_method_name(HM_GET | HM_PUT), "?");
}

static void test_allow_str(void **state)
{
	char buf[80];

	(void)state;
	assert_int_equal(router_allow_str(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(router_allow_str(HM_PUT, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "PUT");
	/* order is fixed whatever the bit order */
	router_allow_str(HM_PUT | HM_HEAD | HM_GET, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, PUT");
	assert_int_equal(router_allow_str(HM_GET | HM_HEAD | HM_POST | HM_PUT | HM_PATCH | HM_DELETE |
					  HM_OPTIONS, buf, sizeof(buf)), 44);
	assert_string_equal(buf, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
	assert_int_equal(router_allow_str(HM_GET, buf, 0), 0);
}

/*
 * Regression test, fixed (daemon/router.c router_allow_str): when the buffer is too small the
 * truncated snprintf leaves part of a method name in buf while the returned
 * length stops at the last whole one. GET|HEAD|PUT into 9 bytes gives
 * buf "GET, HEA" but returns 3. Expected: whole entries only ("GET", 3), or at
 * least strlen(buf) == return value.
 */
static void test_allow_str_truncated(void **state)
{
	char buf[16];
	size_t n;

	(void)state;
	/* exactly fits: "GET, HEAD" + NUL = 10 */
	n = router_allow_str(HM_GET | HM_HEAD | HM_PUT, buf, 10);
	assert_int_equal(n, 9);
	assert_string_equal(buf, "GET, HEAD");
	n = router_allow_str(HM_GET | HM_HEAD | HM_PUT, buf, 9);
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf, "GET");
}

/* The index takes whole-segment parameters only, as many as a match holds; router_match
 * stays the answer for any other table. */
static void test_index_refuses(void **state)
{
	static const struct route glued[] = { { HM_GET, "/f/{id}.xlsx", NULL, 0 } };
	static const struct route seven[] = { { HM_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}", NULL, 0 } };
	static const struct route deep[] = { { HM_GET, "/1/2/3/4/5/6/7/8/9/10/11/12/13", NULL, 0 } };
	static const struct route relative[] = { { HM_GET, "api/v1", NULL, 0 } };
	struct router *idx = router_new(table, NTABLE);
	struct route_match m;

	(void)state;
	assert_null(router_new(glued, 1));
	assert_null(router_new(seven, 1));
	assert_null(router_new(deep, 1));
	assert_null(router_new(relative, 1));
	assert_non_null(idx);
	/* a path with more segments than any pattern, or not from the root */
	assert_int_equal(router_find(idx, HM_GET, "/api/v1/schools/1/years/2/a/b/c/d/e/f/g/h", &m), -1);
	assert_int_equal(router_find(idx, HM_GET, "api/v1/health", &m), -1);
	assert_int_equal(router_find(idx, HM_GET, "", &m), -1);
	router_free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_head_matches_get),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_empty_param),
		cmocka_unit_test(test_param_length),
		cmocka_unit_test(test_max_params),
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_allow_str),
		cmocka_unit_test(test_allow_str_truncated),
		cmocka_unit_test(test_index_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
