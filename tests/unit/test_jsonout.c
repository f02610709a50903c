/* test_jsonout.c - unit tests for daemon/jsonout.c: the same text as
 * cJSON_PrintUnformatted, integers written by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

/* text printed by jsonout_print from a parse of in */
static void check(const char *in, const char *want)
{
	cJSON *j = cJSON_Parse(in);
	char *s;

	assert_non_null(j);
	s = jsonout_print(j);
	assert_non_null(s);
	assert_string_equal(s, want);
	cJSON_free(s);
	cJSON_Delete(j);
}

static void test_large_integers(void **state)
{
	(void)state;
	/* 2^31, -2^31 - 1; 2^53, the last exact double; 10^15, which cJSON writes 1e+15 */
	check("[1, -7, 2147483648, -2147483649, 9007199254740992, -9007199254740992, 1000000000000000]",
	      "[1,-7,2147483648,-2147483649,9007199254740992,-9007199254740992,1000000000000000]");
	/* pence: £12,043,300.55 and a negative balance */
	check("{\"amount_pence\":1204330055,\"balance_pence\":-250000000000}",
	      "{\"amount_pence\":1204330055,\"balance_pence\":-250000000000}");
}

static void test_left_to_cjson(void **state)
{
	(void)state;
	/* zero, -0, fractions, beyond 2^53, strings, literals: exactly as cJSON prints them */
	check("[0, -0, 1.5, -0.25, 1e300, 9007199254740993, \"12345678901\", true, null]",
	      "[0,-0,1.5,-0.25,1e+300,9007199254740992,\"12345678901\",true,null]");
}

static void test_nested_and_same_as_cjson(void **state)
{
	const char *in = "{\"a\":[{\"x\":3000000000,\"y\":[1,-4000000000,{\"z\":5000000001}]}],"
			 "\"b\":{\"c\":{\"d\":123456789012}},\"e\":\"text\"}";
	cJSON *j = cJSON_Parse(in);
	char *want = cJSON_PrintUnformatted(j), *got;

	(void)state;
	assert_non_null(want);
	got = jsonout_print(j);
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_string_equal(got, "{\"a\":[{\"x\":3000000000,\"y\":[1,-4000000000,{\"z\":5000000001}]}],"
				 "\"b\":{\"c\":{\"d\":123456789012}},\"e\":\"text\"}");
	/* printed again (now raw nodes): the same */
	cJSON_free(got);
	got = jsonout_print(j);
	assert_string_equal(got, want);
	cJSON_free(got);
	cJSON_free(want);
	cJSON_Delete(j);
}

static void test_bare_number_and_null(void **state)
{
	cJSON *n = cJSON_CreateNumber(4294967296.0);
	char *s = jsonout_print(n);

	(void)state;
	assert_string_equal(s, "4294967296");
	cJSON_free(s);
	cJSON_Delete(n);
	assert_null(jsonout_print(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_integers),
		cmocka_unit_test(test_left_to_cjson),
		cmocka_unit_test(test_nested_and_same_as_cjson),
		cmocka_unit_test(test_bare_number_and_null),
	};

	return cmocka_run_group_tests_name("jsonout", tests, NULL, NULL);
}
