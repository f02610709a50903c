/*
 * test_log.c - log_escape: control characters (C0, DEL, C1) never reach a log line or
 * a terminal raw; text and UTF-8 pass unchanged; the output always fits its buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "log.h"

static void test_escape(void **state)
{
	char out[128];

	(void)state;
	assert_string_equal(log_escape("GET /api/v1/schools 200", out, sizeof(out)), "GET /api/v1/schools 200");
	/* a forged access-log line */
	assert_string_equal(log_escape("/x\r\n2026-01-01T00:00:00Z <info> access: forged", out, sizeof(out)),
			    "/x\\x0d\\x0a2026-01-01T00:00:00Z <info> access: forged");
	/* ESC [2J clears a screen; DEL, TAB, BEL */
	assert_string_equal(log_escape("\x1b[2J\x7f\t\a", out, sizeof(out)), "\\x1b[2J\\x7f\\x09\\x07");
	/* C1 CSI (U+009B) as UTF-8 */
	assert_string_equal(log_escape("a\xc2\x9b" "2Jb", out, sizeof(out)), "a\\u009b2Jb");
	/* UTF-8 text is kept: é, £, U+00A0 (C2 A0), a lone C2 at the end */
	assert_string_equal(log_escape("caf\xc3\xa9 \xc2\xa3" "5\xc2\xa0\xc2", out, sizeof(out)),
			    "caf\xc3\xa9 \xc2\xa3" "5\xc2\xa0\xc2");
	assert_string_equal(log_escape("", out, sizeof(out)), "");
}

static void test_escape_truncates(void **state)
{
	char out[6];

	(void)state;
	/* never a half escape: "ab" then \x0a does not fit in 5 characters */
	assert_string_equal(log_escape("ab\ncd", out, sizeof(out)), "ab");
	assert_string_equal(log_escape("abcdefgh", out, sizeof(out)), "abcde");
	assert_string_equal(log_escape("\n", out, sizeof(out)), "\\x0a");
	assert_string_equal(log_escape("x", out, 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
