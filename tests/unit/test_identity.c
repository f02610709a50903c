/* test_identity.c - unit tests for daemon/core/identity.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "identity.h"

static void test_roles(void **state)
{
	(void)state;
	assert_string_equal(identity_role_name(ROLE_BUSINESS_MANAGER), "business_manager");
	assert_int_equal(identity_role_parse("auditor"), ROLE_AUDITOR);
	assert_int_equal(identity_role_parse("Auditor"), 0);
	assert_int_equal(identity_role_parse(""), 0);
}

static void test_schools_parse(void **state)
{
	struct identity id;
	char many[IDENTITY_MAX_SCHOOLS * 4 + 16] = "";

	(void)state;
	memset(&id, 0, sizeof(id));
	identity_schools_parse(&id, "3,7,12");
	assert_int_equal(id.nschools, 3);
	assert_int_equal(id.schools[0], 3);
	assert_int_equal(id.schools[1], 7);
	assert_int_equal(id.schools[2], 12);
	identity_schools_parse(&id, NULL);
	assert_int_equal(id.nschools, 0);
	identity_schools_parse(&id, "");
	assert_int_equal(id.nschools, 0);
	identity_schools_parse(&id, "x");                 /* not a number: nothing, no loop */
	assert_int_equal(id.nschools, 0);
	for (int i = 1; i <= IDENTITY_MAX_SCHOOLS + 2; i++)  /* more than fit: the first 64 */
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s%d", i > 1 ? "," : "", i);
	identity_schools_parse(&id, many);
	assert_int_equal(id.nschools, IDENTITY_MAX_SCHOOLS);
	assert_int_equal(id.schools[IDENTITY_MAX_SCHOOLS - 1], IDENTITY_MAX_SCHOOLS);
}

static void test_school_allowed(void **state)
{
	struct identity bm = { .role = ROLE_BUSINESS_MANAGER, .nschools = 2, .schools = { 3, 7 } };
	struct identity fd = { .role = ROLE_FINANCE_DIRECTOR };
	struct identity admin = { .role = ROLE_ADMIN };

	(void)state;
	assert_true(identity_school_allowed(&bm, 7));
	assert_false(identity_school_allowed(&bm, 8));
	assert_true(identity_school_allowed(&fd, 8));
	assert_false(identity_school_allowed(&admin, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_schools_parse),
		cmocka_unit_test(test_school_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
