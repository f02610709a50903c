/* test_idemkey.c - unit tests for daemon/core/idemkey.c (the Idempotency-Key form). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "idemkey.h"

static void test_keys(void **state)
{
	char key[IDEMKEY_MAX + 2];

	(void)state;
	assert_true(idemkey_valid("a"));
	assert_true(idemkey_valid("pytest-token-once"));
	assert_true(idemkey_valid("!~{}\"'=+"));
	assert_false(idemkey_valid(NULL));
	assert_false(idemkey_valid(""));
	assert_false(idemkey_valid("two words"));
	assert_false(idemkey_valid("tab\there"));
	assert_false(idemkey_valid("del\x7f"));
	assert_false(idemkey_valid("caf\xc3\xa9"));
	memset(key, 'k', IDEMKEY_MAX);
	key[IDEMKEY_MAX] = '\0';
	assert_true(idemkey_valid(key));
	key[IDEMKEY_MAX] = 'k';
	key[IDEMKEY_MAX + 1] = '\0';
	assert_false(idemkey_valid(key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
