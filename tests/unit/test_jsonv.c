/* test_jsonv.c - unit tests for daemon/jsonv.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <cjson/cJSON.h>

#include "jsonv.h"
#include "problem.h"

static const char *const kinds[] = { "primary", "secondary", NULL };

static int check_calls;

static const char *no_x(const char *s)
{
	check_calls++;
	return strchr(s, 'x') != NULL ? "must not contain an x" : NULL;
}

enum {
	F_NAME, F_KIND, F_COUNT, F_BIG, F_ACTIVE, F_OPENED, F_YEAR, F_FTE, F_ADDRESS, F_LINES,
	F_VERSION, F_CODE, F_N
};

static const struct jv_field fields[F_N] = {
	[F_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 10, NULL, NULL },
	[F_KIND] = { "kind", JV_STRING, 0, 0, 0, kinds, NULL },
	[F_COUNT] = { "count", JV_INT, 0, 0, 100, NULL, NULL },
	[F_BIG] = { "big", JV_INT, 0, INT64_MIN, INT64_MAX, NULL, NULL },
	[F_ACTIVE] = { "active", JV_BOOL, 0, 0, 0, NULL, NULL },
	[F_OPENED] = { "opened", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[F_YEAR] = { "year", JV_ACYEAR, 0, 0, 0, NULL, NULL },
	[F_FTE] = { "fte", JV_HUNDREDTHS, JV_NULLABLE, 0, 10000000, NULL, NULL },
	[F_ADDRESS] = { "address", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
	[F_LINES] = { "lines", JV_ARRAY, 0, 0, 0, NULL, NULL },
	[F_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[F_CODE] = { "code", JV_STRING, 0, 0, 0, NULL, no_x },
};

/* The parsed body of the last run; freed by the next run and at teardown. */
static cJSON *doc;
static struct problem prob;
static struct jv_value out[F_N];

static size_t run_with(const char *json, const char *prefix, const struct jv_field *f, size_t n)
{
	cJSON_Delete(doc);
	doc = cJSON_Parse(json);
	if (doc == NULL)
		fail_msg("test JSON does not parse: %s\n", json);
	memset(&prob, 0, sizeof(prob));
	return jsonv_object(doc, prefix, f, n, out, &prob);
}

static size_t run(const char *json)
{
	return run_with(json, "", fields, F_N);
}

static void expect_valid(const char *json)
{
	size_t n = run(json);

	if (n != 0 || prob.nerrors != 0)
		fail_msg("%s: %zu errors, first %s: %s\n", json, n, prob.errors[0].field,
			 prob.errors[0].message);
}

/* Exactly one error, at field, saying message. */
static void expect_error(const char *json, const char *field, const char *message)
{
	size_t n = run(json);

	if (n != 1 || prob.nerrors != 1)
		fail_msg("%s: %zu errors (%zu recorded), want 1\n", json, n, prob.nerrors);
	assert_string_equal(prob.errors[0].field, field);
	assert_string_equal(prob.errors[0].message, message);
}

static int teardown(void **state)
{
	(void)state;
	cJSON_Delete(doc);
	doc = NULL;
	return 0;
}

static void test_all_types_ok(void **state)
{
	(void)state;
	expect_valid("{\"name\":\"Oak\",\"kind\":\"primary\",\"count\":7,\"big\":-3,\"active\":true,"
		     "\"opened\":\"2026-02-28\",\"year\":\"2026-27\",\"fte\":28.4,\"address\":{\"a\":1},"
		     "\"lines\":[1,2],\"code\":\"abc\"}");
	assert_true(out[F_NAME].present);
	assert_false(out[F_NAME].is_null);
	assert_string_equal(out[F_NAME].s, "Oak");
	assert_ptr_equal(out[F_NAME].item, cJSON_GetObjectItemCaseSensitive(doc, "name"));
	assert_string_equal(out[F_KIND].s, "primary");
	assert_int_equal(out[F_COUNT].i, 7);
	assert_true(out[F_BIG].i == -3);
	assert_int_equal(out[F_ACTIVE].i, 1);
	/* 1970-01-01 .. 2026-01-01 = 56 * 365 + 14 leap days = 20454; + 31 + 27 */
	assert_int_equal(out[F_OPENED].i, 20512);
	assert_string_equal(out[F_OPENED].s, "2026-02-28");
	assert_int_equal(out[F_YEAR].i, 2026);
	assert_int_equal(out[F_FTE].i, 2840);
	assert_true(cJSON_IsObject(out[F_ADDRESS].item));
	assert_true(cJSON_IsArray(out[F_LINES].item));
	assert_string_equal(out[F_CODE].s, "abc");
	assert_false(out[F_VERSION].present);
	assert_null(out[F_VERSION].item);

	expect_valid("{\"name\":\"x\",\"active\":false}");
	assert_true(out[F_ACTIVE].present);
	assert_int_equal(out[F_ACTIVE].i, 0);
	/* absent fields are left zeroed */
	assert_false(out[F_COUNT].present);
	assert_null(out[F_COUNT].item);
	assert_null(out[F_KIND].s);

	expect_valid("{\"name\":\"x\",\"address\":{},\"lines\":[]}");
	assert_true(out[F_ADDRESS].present);
	assert_true(out[F_LINES].present);
}

static void test_wrong_types(void **state)
{
	(void)state;
	expect_error("{\"name\":5}", "/name", "must be a string");
	expect_error("{\"name\":true}", "/name", "must be a string");
	expect_error("{\"name\":[\"a\"]}", "/name", "must be a string");
	expect_error("{\"name\":\"a\",\"count\":\"5\"}", "/count", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"count\":true}", "/count", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"active\":1}", "/active", "must be true or false");
	expect_error("{\"name\":\"a\",\"active\":\"true\"}", "/active", "must be true or false");
	expect_error("{\"name\":\"a\",\"opened\":20260228}", "/opened", "must be a date written YYYY-MM-DD");
	expect_error("{\"name\":\"a\",\"year\":2026}", "/year", "must be an academic year written like 2026-27");
	expect_error("{\"name\":\"a\",\"fte\":\"28.4\"}", "/fte", "must be a number with at most two decimals");
	expect_error("{\"name\":\"a\",\"address\":[]}", "/address", "must be an object");
	expect_error("{\"name\":\"a\",\"address\":\"x\"}", "/address", "must be an object");
	expect_error("{\"name\":\"a\",\"lines\":{}}", "/lines", "must be an array");
	expect_error("{\"name\":\"a\",\"lines\":0}", "/lines", "must be an array");
}

static void test_int_range(void **state)
{
	(void)state;
	expect_valid("{\"name\":\"a\",\"count\":0}");
	assert_int_equal(out[F_COUNT].i, 0);
	expect_valid("{\"name\":\"a\",\"count\":100}");
	assert_int_equal(out[F_COUNT].i, 100);
	expect_error("{\"name\":\"a\",\"count\":101}", "/count", "must be between 0 and 100");
	expect_error("{\"name\":\"a\",\"count\":-1}", "/count", "must be between 0 and 100");
	/* 1.0 and 1e2 are integral */
	expect_valid("{\"name\":\"a\",\"count\":1.0}");
	assert_int_equal(out[F_COUNT].i, 1);
	expect_valid("{\"name\":\"a\",\"count\":1e2}");
	assert_int_equal(out[F_COUNT].i, 100);
	expect_error("{\"name\":\"a\",\"count\":1.5}", "/count", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"count\":0.1}", "/count", "must be an integer (at most 2^53 in size)");
}

static void test_int_2p53(void **state)
{
	int64_t v = -1;
	cJSON *num;

	(void)state;
	/* 2^53 = 9007199254740992 is the limit, both signs */
	expect_valid("{\"name\":\"a\",\"big\":9007199254740992}");
	assert_true(out[F_BIG].i == INT64_C(9007199254740992));
	expect_valid("{\"name\":\"a\",\"big\":-9007199254740992}");
	assert_true(out[F_BIG].i == INT64_C(-9007199254740992));
	/* 2^53 + 1 has no double: it reads as 2^53 (so is accepted as 2^53) */
	expect_valid("{\"name\":\"a\",\"big\":9007199254740993}");
	assert_true(out[F_BIG].i == INT64_C(9007199254740992));
	/* 2^53 + 2 is a double, and beyond */
	expect_error("{\"name\":\"a\",\"big\":9007199254740994}", "/big", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"big\":-9007199254740994}", "/big", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"big\":1e16}", "/big", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"big\":-1e16}", "/big", "must be an integer (at most 2^53 in size)");
	expect_error("{\"name\":\"a\",\"big\":1e300}", "/big", "must be an integer (at most 2^53 in size)");

	/* jsonv_int directly: out untouched on failure */
	num = cJSON_CreateNumber(1e16);
	assert_int_equal(jsonv_int(num, &v), -1);
	assert_true(v == -1);
	cJSON_SetNumberValue(num, -42.0);
	assert_int_equal(jsonv_int(num, &v), 0);
	assert_true(v == -42);
	cJSON_Delete(num);
	num = cJSON_CreateString("1");
	assert_int_equal(jsonv_int(num, &v), -1);
	cJSON_Delete(num);
	assert_int_equal(jsonv_int(NULL, &v), -1);
}

static void test_strings(void **state)
{
	static const struct jv_field f[] = {
		{ "s", JV_STRING, 0, 2, 3, NULL, NULL },
	};

	(void)state;
	expect_error("{\"name\":\"\"}", "/name", "must not be empty");
	expect_valid("{\"name\":\"0123456789\"}");
	expect_error("{\"name\":\"0123456789a\"}", "/name", "must be at most 10 characters");

	/* lengths are in characters, not bytes: "é" is 2 bytes, one character */
	assert_int_equal(run_with("{\"s\":\"\xc3\xa9\"}", "", f, 1), 1);
	assert_string_equal(prob.errors[0].field, "/s");
	assert_string_equal(prob.errors[0].message, "must be at least 2 characters");
	assert_int_equal(run_with("{\"s\":\"\xc3\xa9\xc3\xa9\"}", "", f, 1), 0);
	assert_int_equal(run_with("{\"s\":\"\xc3\xa9\xc3\xa9\xc3\xa9\"}", "", f, 1), 0);
	assert_string_equal(out[0].s, "\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(run_with("{\"s\":\"\\u00e9\\u00e9\\u00e9\"}", "", f, 1), 0);
	/* one 4-byte character (U+1F600) plus one ASCII: two characters */
	assert_int_equal(run_with("{\"s\":\"\xf0\x9f\x98\x80!\"}", "", f, 1), 0);
	assert_int_equal(run_with("{\"s\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", "", f, 1), 1);
	assert_string_equal(prob.errors[0].message, "must be at most 3 characters");
	assert_int_equal(run_with("{\"s\":\"abcd\"}", "", f, 1), 1);
	assert_string_equal(prob.errors[0].message, "must be at most 3 characters");
	assert_int_equal(run_with("{\"s\":\"a\"}", "", f, 1), 1);
	assert_string_equal(prob.errors[0].message, "must be at least 2 characters");
}

static void test_choices_and_check(void **state)
{
	(void)state;
	expect_valid("{\"name\":\"a\",\"kind\":\"secondary\"}");
	assert_string_equal(out[F_KIND].s, "secondary");
	expect_error("{\"name\":\"a\",\"kind\":\"Primary\"}", "/kind", "must be one of: primary, secondary");
	expect_error("{\"name\":\"a\",\"kind\":\"\"}", "/kind", "must be one of: primary, secondary");
	expect_error("{\"name\":\"a\",\"kind\":\"prim\"}", "/kind", "must be one of: primary, secondary");

	check_calls = 0;
	expect_valid("{\"name\":\"a\",\"code\":\"abc\"}");
	assert_int_equal(check_calls, 1);
	expect_error("{\"name\":\"a\",\"code\":\"axc\"}", "/code", "must not contain an x");
	assert_int_equal(check_calls, 2);
	/* not called for a value of the wrong type, nor when absent */
	expect_error("{\"name\":\"a\",\"code\":1}", "/code", "must be a string");
	expect_valid("{\"name\":\"a\"}");
	assert_int_equal(check_calls, 2);
	/* max 0 means no upper limit */
	expect_valid("{\"name\":\"a\",\"code\":\"0123456789012345678901234567890123456789\"}");
}

static void test_required_and_unknown(void **state)
{
	(void)state;
	expect_error("{}", "/name", "is required");
	assert_false(out[F_NAME].present);
	expect_error("{\"kind\":\"primary\"}", "/name", "is required");
	expect_error("{\"name\":\"a\",\"colour\":\"red\"}", "/colour", "unknown field");
	/* case-sensitive names */
	expect_error("{\"name\":\"a\",\"Name\":\"b\"}", "/Name", "unknown field");
	/* '~' and '/' escaped as ~0 and ~1 (RFC 6901) */
	expect_error("{\"name\":\"a\",\"a/b\":1}", "/a~1b", "unknown field");
	expect_error("{\"name\":\"a\",\"m~n\":1}", "/m~0n", "unknown field");
	expect_error("{\"name\":\"a\",\"~/~\":1}", "/~0~1~0", "unknown field");
	expect_error("{\"name\":\"a\",\"\":1}", "/", "unknown field");
}

static void test_all_errors_reported(void **state)
{
	size_t n;

	(void)state;
	n = run("{\"count\":\"x\",\"active\":1,\"zzz\":null,\"opened\":\"2026-02-29\"}");
	assert_int_equal(n, 5);
	assert_int_equal(prob.nerrors, 5);
	/* in body order, then the missing required fields */
	assert_string_equal(prob.errors[0].field, "/count");
	assert_string_equal(prob.errors[1].field, "/active");
	assert_string_equal(prob.errors[2].field, "/zzz");
	assert_string_equal(prob.errors[2].message, "unknown field");
	assert_string_equal(prob.errors[3].field, "/opened");
	assert_string_equal(prob.errors[4].field, "/name");
	assert_string_equal(prob.errors[4].message, "is required");
	/* jsonv does not set the status; problem_validation_done does */
	assert_int_equal(prob.status, 0);
	assert_int_equal(problem_validation_done(&prob), -1);
	assert_int_equal(prob.status, 422);
}

static void test_null(void **state)
{
	(void)state;
	expect_valid("{\"name\":\"a\",\"opened\":null,\"fte\":null,\"address\":null}");
	assert_true(out[F_OPENED].present);
	assert_true(out[F_OPENED].is_null);
	assert_true(cJSON_IsNull(out[F_OPENED].item));
	assert_true(out[F_FTE].is_null);
	assert_true(out[F_ADDRESS].is_null);
	assert_false(out[F_NAME].is_null);
	/* null on a required field: "must not be null", not also "is required" */
	expect_error("{\"name\":null}", "/name", "must not be null");
	assert_true(out[F_NAME].present);
	assert_true(out[F_NAME].is_null);
	expect_error("{\"name\":\"a\",\"count\":null}", "/count", "must not be null");
	expect_error("{\"name\":\"a\",\"active\":null}", "/active", "must not be null");
	expect_error("{\"name\":\"a\",\"lines\":null}", "/lines", "must not be null");
}

static void test_readonly(void **state)
{
	(void)state;
	/* any value, even of the wrong type or out of range, is ignored */
	expect_valid("{\"name\":\"a\",\"version\":\"not a number\"}");
	assert_false(out[F_VERSION].present);
	assert_non_null(out[F_VERSION].item);
	assert_string_equal(out[F_VERSION].item->valuestring, "not a number");
	assert_ptr_equal(out[F_VERSION].item, cJSON_GetObjectItemCaseSensitive(doc, "version"));
	expect_valid("{\"name\":\"a\",\"version\":7}");
	assert_false(out[F_VERSION].present);
	assert_true(out[F_VERSION].item->valuedouble == 7.0);
	assert_int_equal(out[F_VERSION].i, 0);
	expect_valid("{\"name\":\"a\",\"version\":null}");
	assert_false(out[F_VERSION].present);
	assert_true(cJSON_IsNull(out[F_VERSION].item));
}

static void test_prefix(void **state)
{
	size_t n;

	(void)state;
	n = run_with("{\"count\":1000,\"a/b\":1}", "/lines/3", fields, F_N);
	assert_int_equal(n, 3);
	assert_string_equal(prob.errors[0].field, "/lines/3/count");
	assert_string_equal(prob.errors[0].message, "must be between 0 and 100");
	assert_string_equal(prob.errors[1].field, "/lines/3/a~1b");
	assert_string_equal(prob.errors[1].message, "unknown field");
	assert_string_equal(prob.errors[2].field, "/lines/3/name");
	assert_string_equal(prob.errors[2].message, "is required");

	/* a non-object at a prefix: the error is at the prefix itself */
	assert_int_equal(run_with("[1]", "/lines/3", fields, F_N), 1);
	assert_int_equal(prob.nerrors, 1);
	assert_string_equal(prob.errors[0].field, "/lines/3");
	assert_string_equal(prob.errors[0].message, "must be a JSON object");
}

static void test_not_object(void **state)
{
	static const char *const bodies[] = { "[]", "[{\"name\":\"a\"}]", "42", "\"x\"", "null", "true" };

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(run(bodies[i]), 1);
		assert_int_equal(prob.nerrors, 1);
		assert_string_equal(prob.errors[0].message, "must be a JSON object");
		/* RFC 6901: the whole document's pointer is "" ("/" is the member named "") */
		assert_string_equal(prob.errors[0].field, "");
		assert_false(out[F_NAME].present);
	}
	memset(&prob, 0, sizeof(prob));
	assert_int_equal(jsonv_object(NULL, "", fields, F_N, out, &prob), 1);
	assert_string_equal(prob.errors[0].message, "must be a JSON object");
}

static void test_hundredths(void **state)
{
	(void)state;
	/* 28.4 * 100 is 2839.9999999999995 in binary: still 2840 */
	expect_valid("{\"name\":\"a\",\"fte\":28.4}");
	assert_int_equal(out[F_FTE].i, 2840);
	expect_valid("{\"name\":\"a\",\"fte\":12}");
	assert_int_equal(out[F_FTE].i, 1200);
	expect_valid("{\"name\":\"a\",\"fte\":0.01}");
	assert_int_equal(out[F_FTE].i, 1);
	expect_valid("{\"name\":\"a\",\"fte\":0.29}");
	assert_int_equal(out[F_FTE].i, 29);
	expect_valid("{\"name\":\"a\",\"fte\":1.10}");
	assert_int_equal(out[F_FTE].i, 110);
	expect_valid("{\"name\":\"a\",\"fte\":0}");
	assert_int_equal(out[F_FTE].i, 0);
	expect_valid("{\"name\":\"a\",\"fte\":99999.99}");
	assert_int_equal(out[F_FTE].i, 9999999);
	expect_valid("{\"name\":\"a\",\"fte\":100000}");
	assert_int_equal(out[F_FTE].i, 10000000);
	expect_error("{\"name\":\"a\",\"fte\":0.015}", "/fte", "must be a number with at most two decimals");
	expect_error("{\"name\":\"a\",\"fte\":28.401}", "/fte", "must be a number with at most two decimals");
	expect_error("{\"name\":\"a\",\"fte\":1e13}", "/fte", "must be a number with at most two decimals");
	expect_error("{\"name\":\"a\",\"fte\":100000.01}", "/fte", "must be between 0.00 and 100000.00");
	expect_error("{\"name\":\"a\",\"fte\":-0.5}", "/fte", "must be between 0.00 and 100000.00");
}

/*
 * Regression test, fixed (daemon/jsonv.c, JV_HUNDREDTHS range message, the "%lld.%02lld" with
 * min / 100 and min % 100): a negative bound prints its remainder with a sign.
 * min -150, max 150, value 2 gives "must be between -1.-50 and 1.50", expected
 * "must be between -1.50 and 1.50"; min -50 gives "0.-50", expected "-0.50".
 * No table in daemon/ has a negative hundredths bound yet.
 */
static void test_hundredths_negative_bounds(void **state)
{
	static const struct jv_field f[] = {
		{ "a", JV_HUNDREDTHS, 0, -150, 150, NULL, NULL },
		{ "b", JV_HUNDREDTHS, 0, -50, 50, NULL, NULL },
	};

	(void)state;
	assert_int_equal(run_with("{\"a\":-1.5,\"b\":0.5}", "", f, 2), 0);
	assert_true(out[0].i == -150);
	assert_true(out[1].i == 50);
	assert_int_equal(run_with("{\"a\":2,\"b\":-0.51}", "", f, 2), 2);
	assert_string_equal(prob.errors[0].message, "must be between -1.50 and 1.50");
	assert_string_equal(prob.errors[1].message, "must be between -0.50 and 0.50");
}

static void test_dates(void **state)
{
	(void)state;
	/* 2028 is a leap year: 20454 + 2 * 365 + 31 + 28 */
	expect_valid("{\"name\":\"a\",\"opened\":\"2028-02-29\"}");
	assert_int_equal(out[F_OPENED].i, 21243);
	expect_valid("{\"name\":\"a\",\"opened\":\"1970-01-01\"}");
	assert_int_equal(out[F_OPENED].i, 0);
	expect_error("{\"name\":\"a\",\"opened\":\"2026-02-29\"}", "/opened", "must be a date written YYYY-MM-DD");
	expect_error("{\"name\":\"a\",\"opened\":\"2026-2-28\"}", "/opened", "must be a date written YYYY-MM-DD");
	expect_error("{\"name\":\"a\",\"opened\":\"2026-02-28T00:00:00Z\"}", "/opened",
		     "must be a date written YYYY-MM-DD");
	expect_error("{\"name\":\"a\",\"opened\":\"\"}", "/opened", "must be a date written YYYY-MM-DD");

	expect_valid("{\"name\":\"a\",\"year\":\"2025-26\"}");
	assert_int_equal(out[F_YEAR].i, 2025);
	assert_string_equal(out[F_YEAR].s, "2025-26");
	/* years 2000..2098 */
	expect_valid("{\"name\":\"a\",\"year\":\"2098-99\"}");
	assert_int_equal(out[F_YEAR].i, 2098);
	expect_error("{\"name\":\"a\",\"year\":\"2099-00\"}", "/year", "must be an academic year written like 2026-27");
	expect_error("{\"name\":\"a\",\"year\":\"2026-28\"}", "/year", "must be an academic year written like 2026-27");
	expect_error("{\"name\":\"a\",\"year\":\"2026/27\"}", "/year", "must be an academic year written like 2026-27");
	expect_error("{\"name\":\"a\",\"year\":\"26-27\"}", "/year", "must be an academic year written like 2026-27");
	expect_error("{\"name\":\"a\",\"year\":\"2026-2027\"}", "/year", "must be an academic year written like 2026-27");
}

#define MSG_LINE "must not contain line breaks, tabs or other control characters"
#define MSG_LINES "must not contain control characters other than line breaks and tabs"
#define MSG_FORMULA "must not start with =, +, - or @ (a spreadsheet would run it as a formula)"
#define MSG_BLANK "must not be blank"
#define MSG_TAB "must not start with a tab or a carriage return (a spreadsheet would read a formula after it)"

static void text_is(const char *s, unsigned flags, const char *want)
{
	const char *got = jsonv_text(s, flags);

	if (want == NULL && got != NULL)
		fail_msg("\"%s\" (flags %#x): %s\n", s, flags, got);
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fail_msg("\"%s\" (flags %#x): %s, want %s\n", s, flags, got != NULL ? got : "fine", want);
}

static void test_text(void **state)
{
	(void)state;
	/* no rule asked: anything goes */
	text_is("=a\x01\n", 0, NULL);
	text_is("=a\x01\n", JV_REQUIRED | JV_NULLABLE, NULL);
	/* one line */
	text_is("", JV_LINE, NULL);
	text_is("Caf\xc3\xa9 \"quoted\" \xe2\x80\x93 \xc2\xa3" "1", JV_LINE, NULL);  /* UTF-8 is not control */
	text_is("a\nb", JV_LINE, MSG_LINE);
	text_is("a\rb", JV_LINE, MSG_LINE);
	text_is("a\tb", JV_LINE, MSG_LINE);
	text_is("\x01", JV_LINE, MSG_LINE);
	text_is("end\x1f", JV_LINE, MSG_LINE);
	text_is("del\x7f", JV_LINE, MSG_LINE);
	text_is("~ tilde", JV_LINE, NULL);                  /* 0x7e, the last printable */
	/* several lines */
	text_is("a\nb\r\nc\td", JV_LINES, NULL);
	text_is("a\x0b", JV_LINES, MSG_LINES);              /* vertical tab */
	text_is("a\x7f", JV_LINES, MSG_LINES);
	text_is("a\x1b[0m", JV_LINES, MSG_LINES);           /* escape */
	/* formulas: the first character only */
	text_is("=SUM(A1:A9)", JV_NO_FORMULA, MSG_FORMULA);
	text_is("+44 20", JV_NO_FORMULA, MSG_FORMULA);
	text_is("-1", JV_NO_FORMULA, MSG_FORMULA);
	text_is("@cmd", JV_NO_FORMULA, MSG_FORMULA);
	text_is("a=b-c+d@e", JV_NO_FORMULA, NULL);
	/* after spaces too (a spreadsheet may trim them), and a tab or CR first (OWASP) */
	text_is(" =a", JV_NO_FORMULA, MSG_FORMULA);
	text_is("   @a", JV_NO_FORMULA, MSG_FORMULA);
	text_is("\t=a", JV_LINES | JV_NO_FORMULA, MSG_TAB);
	text_is(" \r", JV_LINES | JV_NO_FORMULA, MSG_TAB);
	text_is("\n=a", JV_LINES | JV_NO_FORMULA, NULL);
	text_is("a\t=b", JV_LINES | JV_NO_FORMULA, NULL);
	text_is("   ", JV_NO_FORMULA, NULL);
	text_is("", JV_NO_FORMULA, NULL);
	/* blank */
	text_is("", JV_NOT_BLANK, MSG_BLANK);
	text_is("   ", JV_NOT_BLANK, MSG_BLANK);
	text_is(" a ", JV_NOT_BLANK, NULL);
	/* together: control characters first, then the formula, then blank */
	text_is("=\n", JV_LINE | JV_NO_FORMULA, MSG_LINE);
	text_is("=\n", JV_LINES | JV_NO_FORMULA, MSG_FORMULA);
	text_is("\t", JV_LINE | JV_NOT_BLANK, MSG_LINE);
	text_is("Minute 12/3", JV_LINE | JV_NO_FORMULA | JV_NOT_BLANK, NULL);
}

/* The text rules on a field, before its own check and after its length. */
static void test_text_field(void **state)
{
	static const struct jv_field tf[] = {
		{ "name", JV_STRING, JV_REQUIRED | JV_LINE | JV_NO_FORMULA, 1, 5, NULL, no_x },
	};

	(void)state;
	check_calls = 0;
	assert_int_equal(run_with("{\"name\":\"ab\"}", "", tf, 1), 0);
	assert_int_equal(check_calls, 1);
	assert_int_equal(run_with("{\"name\":\"a\\nx\"}", "", tf, 1), 1);
	assert_string_equal(prob.errors[0].field, "/name");
	assert_string_equal(prob.errors[0].message, MSG_LINE);
	assert_int_equal(check_calls, 1);                   /* not called after a text error */
	assert_int_equal(run_with("{\"name\":\"=ab\"}", "", tf, 1), 1);
	assert_string_equal(prob.errors[0].message, MSG_FORMULA);
	assert_int_equal(run_with("{\"name\":\"=abcdef\"}", "", tf, 1), 1);
	assert_string_equal(prob.errors[0].message, "must be at most 5 characters");
	assert_int_equal(run_with("{\"name\":\"ax\"}", "", tf, 1), 1);
	assert_string_equal(prob.errors[0].message, "must not contain an x");
}

/* Free text (a string with no choices) gets one line and no formula whatever its
 * table says; JV_LINES keeps line breaks; JV_ANY_START lifts the formula rule. */
static void test_text_default(void **state)
{
	static const char *const ch[] = { "-x", NULL };
	static const struct jv_field tf[] = {
		{ "name", JV_STRING, 0, 0, 0, NULL, NULL },
		{ "notes", JV_STRING, JV_LINES, 0, 0, NULL, NULL },
		{ "phone", JV_STRING, JV_ANY_START, 0, 0, NULL, NULL },
		{ "kind", JV_STRING, 0, 0, 0, ch, NULL },
		{ "password", JV_STRING, JV_SECRET, 0, 0, NULL, NULL },
	};
	struct { const char *json, *field, *msg; } cases[] = {
		{ "{\"name\":\"=HYPERLINK(\\\"http://evil.example/\\\")\"}", "/name", MSG_FORMULA },
		{ "{\"name\":\"a\\nb\"}", "/name", MSG_LINE },
		{ "{\"name\":\"a\\u001bb\"}", "/name", MSG_LINE },
		{ "{\"notes\":\"a\\nb\"}", NULL, NULL },
		{ "{\"notes\":\"-a\\nb\"}", "/notes", MSG_FORMULA },
		{ "{\"notes\":\"a\\u0007\"}", "/notes", MSG_LINES },
		{ "{\"phone\":\"+44 20 7946 0000\"}", NULL, NULL },
		{ "{\"phone\":\"+44\\n\"}", "/phone", MSG_LINE },
		{ "{\"kind\":\"-x\"}", NULL, NULL },                /* an exact choice is no free text */
		{ "{\"password\":\"=-+@ \\t\\u001b\"}", NULL, NULL },      /* nor is a secret */
		{ "{\"name\":\"O'Brien & Sons - Ltd\"}", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = run_with(cases[i].json, "", tf, sizeof(tf) / sizeof(tf[0]));

		if (cases[i].field == NULL) {
			if (n != 0)
				fail_msg("%s: %s %s\n", cases[i].json, prob.errors[0].field, prob.errors[0].message);
			continue;
		}
		if (n != 1)
			fail_msg("%s: %zu errors, want 1\n", cases[i].json, n);
		assert_string_equal(prob.errors[0].field, cases[i].field);
		assert_string_equal(prob.errors[0].message, cases[i].msg);
	}
}

/* Numbers as JSON writes them (jsonv_numbers), by hand: what cJSON lets through. */
static void numbers_are(const char *text, const char *ptr, int status, const char *msg_part)
{
	char got[128] = "?";
	int st = 0;
	cJSON *j = cJSON_ParseWithLength(text, strlen(text));
	const char *why;

	if (j == NULL)
		fail_msg("test JSON does not parse: %s\n", text);
	why = jsonv_numbers(j, text, strlen(text), got, sizeof(got), &st);
	cJSON_Delete(j);
	if (ptr == NULL) {
		if (why != NULL)
			fail_msg("%s: %s at %s, want fine\n", text, why, got);
		return;
	}
	if (why == NULL)
		fail_msg("%s: fine, want %s at %s\n", text, msg_part, ptr);
	if (strcmp(got, ptr) != 0 || st != status || strstr(why, msg_part) == NULL)
		fail_msg("%s: %d %s at %s, want %d %s at %s\n", text, st, why, got, status, msg_part, ptr);
}

static void test_numbers(void **state)
{
	(void)state;
	numbers_are("{\"a\":0,\"b\":-0,\"c\":12,\"d\":-12.5,\"e\":1e2,\"f\":1E+2,\"g\":2.5e-3,\"h\":0.0}", NULL, 0, NULL);
	numbers_are("{\"big\":9007199254740993,\"tiny\":1e-300,\"huge\":1e300,\"z\":0e-999}", NULL, 0, NULL);
	numbers_are("[1, \"012\", \"1e-400\", \"-\"]", NULL, 0, NULL);    /* strings are not numbers */
	numbers_are("{\"k\\\"012\":1}", NULL, 0, NULL);                  /* an escaped quote in a key */
	numbers_are("{\"pupils\":012}", "/pupils", 400, "leading zeros");
	numbers_are("{\"pupils\":-012}", "/pupils", 400, "leading zeros");
	numbers_are("{\"pupils\":00}", "/pupils", 400, "leading zeros");
	numbers_are("{\"fte\":1.}", "/fte", 400, "decimal point");
	numbers_are("{\"fte\":1.e5}", "/fte", 400, "decimal point");
	numbers_are("{\"n\":1e-400}", "/n", 422, "read as 0");
	numbers_are("{\"n\":-0.00001e-299}", "/n", 422, "read as 0");
	numbers_are("{\"n\":1e400}", "/n", 422, "too large");
	numbers_are("{\"n\":1e99999999999999999999}", "/n", 422, "too large");
	numbers_are("{\"n\":100000000000000000000e290}", "/n", 422, "too large");
	numbers_are("012", "", 400, "leading zeros");
	/* the pointer of the first bad one, through arrays and escaped keys */
	numbers_are("{\"a\":[1,2,{\"x\":3}],\"lines\":[{\"amount_pence\":5},{\"amount_pence\":07}]}",
		    "/lines/1/amount_pence", 400, "leading zeros");
	numbers_are("{\"a/b\":{\"c~d\":[0,1e-999]}}", "/a~1b/c~0d/1", 422, "read as 0");
	numbers_are("{\"s\":\"1e-999 \\\\\",\"n\":[true,null,false,1e-999]}", "/n/3", 422, "read as 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_all_types_ok, teardown),
		cmocka_unit_test_teardown(test_wrong_types, teardown),
		cmocka_unit_test_teardown(test_int_range, teardown),
		cmocka_unit_test_teardown(test_int_2p53, teardown),
		cmocka_unit_test_teardown(test_strings, teardown),
		cmocka_unit_test_teardown(test_choices_and_check, teardown),
		cmocka_unit_test_teardown(test_required_and_unknown, teardown),
		cmocka_unit_test_teardown(test_all_errors_reported, teardown),
		cmocka_unit_test_teardown(test_null, teardown),
		cmocka_unit_test_teardown(test_readonly, teardown),
		cmocka_unit_test_teardown(test_prefix, teardown),
		cmocka_unit_test_teardown(test_not_object, teardown),
		cmocka_unit_test_teardown(test_hundredths, teardown),
		cmocka_unit_test_teardown(test_hundredths_negative_bounds, teardown),
		cmocka_unit_test_teardown(test_dates, teardown),
		cmocka_unit_test(test_text),
		cmocka_unit_test_teardown(test_text_field, teardown),
		cmocka_unit_test_teardown(test_text_default, teardown),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
