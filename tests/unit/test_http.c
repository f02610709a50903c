/* test_http.c - unit tests for daemon/http/http.c: the If-Match parser (pure) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "http.h"

#define SENTINEL INT64_C(-777)

static void im_ok(const char *s, unsigned forms, int64_t want)
{
	int64_t v = SENTINEL;

	if (http_if_match_parse(s, forms, &v) != 0)
		fail_msg("If-Match %s (forms %u) rejected\n", s, forms);
	if (v != want)
		fail_msg("If-Match %s = %lld, want %lld\n", s, (long long)v, (long long)want);
}

static void im_bad(const char *s, unsigned forms)
{
	int64_t v = SENTINEL;

	if (http_if_match_parse(s, forms, &v) != -1)
		fail_msg("If-Match %s (forms %u) accepted as %lld\n", s, forms, (long long)v);
	assert_true(v == SENTINEL);                      /* untouched */
}

static void test_plain(void **state)
{
	(void)state;
	im_ok("\"1\"", 0, 1);
	im_ok("\"42\"", 0, 42);
	im_ok("\"0\"", 0, 0);                            /* a version of 0 parses; no row has it */
	im_ok("  \"7\"  ", 0, 7);                        /* spaces around */
	im_ok("\"1000000009\"", 0, INT64_C(1000000009)); /* ten digits: the longest */
	im_bad("", 0);
	im_bad("1", 0);                                  /* unquoted */
	im_bad("\"\"", 0);
	im_bad("\"1", 0);
	im_bad("\"1\"x", 0);
	im_bad("\"1\" ,\"2\"", 0);                       /* one ETag, not a list */
	im_bad("W/\"1\"", 0);                            /* weak: If-Match compares strongly */
	im_bad("*", 0);
	im_bad("\"-1\"", 0);
	im_bad("\"+1\"", 0);
	im_bad("\" 1\"", 0);
	im_bad("\"1 \"", 0);
	im_bad("\"10000000000\"", 0);                    /* eleven digits */
	im_bad("\"99999999999999999999\"", 0);
	im_bad("\"habc\"", 0);                           /* a hash ETag alone names no version */
	im_bad("\"7-habc\"", 0);                         /* the hashed form, not asked for */
}

static void test_hashed(void **state)
{
	(void)state;
	im_ok("\"7-habc\"", HTTP_IF_MATCH_HASHED, 7);
	im_ok(" \"12-h0123456789abcdef0123456789abcdef\"", HTTP_IF_MATCH_HASHED, 12);
	im_ok("\"3\"", HTTP_IF_MATCH_HASHED, 3);         /* the plain form still */
	im_ok("\"3-h\"", HTTP_IF_MATCH_HASHED, 3);       /* the hash is not compared */
	im_bad("\"0-habc\"", HTTP_IF_MATCH_HASHED);      /* hashed forms carry a version > 0 */
	im_bad("\"7-habc", HTTP_IF_MATCH_HASHED);        /* no closing quote */
	im_bad("\"7-abc\"", HTTP_IF_MATCH_HASHED);
	im_bad("\"7h-abc\"", HTTP_IF_MATCH_HASHED);
	im_bad("\"-habc\"", HTTP_IF_MATCH_HASHED);
	im_bad("\"habc\"", HTTP_IF_MATCH_HASHED);
	im_bad("\"10000000000-habc\"", HTTP_IF_MATCH_HASHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_hashed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
