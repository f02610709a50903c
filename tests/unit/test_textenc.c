/* test_textenc.c - unit tests for daemon/core/textenc.c: charset labels, the BOM,
 * Windows-1252 to UTF-8 (bytes worked by hand from the WHATWG table), and mojibake
 * found exactly where UTF-8 was read as Windows-1252 and nowhere else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "textenc.h"

static int label(const char *s)
{
	return textenc_label(s, strlen(s));
}

static void test_labels(void **state)
{
	(void)state;
	assert_int_equal(label("utf-8"), TEXTENC_UTF8);
	assert_int_equal(label("UTF-8"), TEXTENC_UTF8);
	assert_int_equal(label("\"utf-8\""), TEXTENC_UTF8);
	assert_int_equal(label(" utf8 "), TEXTENC_UTF8);
	assert_int_equal(label("windows-1252"), TEXTENC_CP1252);
	assert_int_equal(label("Windows-1252"), TEXTENC_CP1252);
	assert_int_equal(label("cp1252"), TEXTENC_CP1252);
	assert_int_equal(label("ISO-8859-1"), TEXTENC_CP1252);
	assert_int_equal(label("latin1"), TEXTENC_CP1252);
	assert_int_equal(label("us-ascii"), TEXTENC_CP1252);
	assert_int_equal(label("utf-16"), -1);
	assert_int_equal(label("shift_jis"), -1);
	assert_int_equal(label("iso-8859-15"), -1);
	assert_int_equal(label(""), -1);
	assert_int_equal(label("\""), -1);
	assert_int_equal(textenc_label("utf-8x", 5), TEXTENC_UTF8);   /* n bytes only */
	assert_string_equal(textenc_name(TEXTENC_CP1252), "windows-1252");
	assert_string_equal(textenc_name(TEXTENC_UTF8), "utf-8");
}

static void test_bom(void **state)
{
	(void)state;
	assert_int_equal(textenc_bom("\xef\xbb\xbf" "code", 7), 3);
	assert_int_equal(textenc_bom("\xef\xbb", 2), 0);
	assert_int_equal(textenc_bom("code", 4), 0);
	assert_int_equal(textenc_bom("\xff\xfe" "c", 3), 0);
}

static void test_is_cp1252(void **state)
{
	(void)state;
	assert_true(textenc_is_cp1252("\xa3" "5", 2));               /* £5 */
	assert_true(textenc_is_cp1252("Teachers\x92 pay \x96 \x80" "1", 17));
	assert_false(textenc_is_cp1252("plain ascii", 11));           /* valid UTF-8 already */
	assert_false(textenc_is_cp1252("\xc2\xa3" "5", 3));           /* UTF-8 £5 */
	assert_false(textenc_is_cp1252("\xa3\x81", 2));               /* 81 is undefined */
	assert_false(textenc_is_cp1252("\xa3\x9d", 2));
	assert_false(textenc_is_cp1252("\xa3\0", 2));                 /* NUL */
	assert_false(textenc_is_cp1252("", 0));
}

static void to_utf8(const char *in, size_t n, const char *want)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(textenc_cp1252_to_utf8(in, n, &out, &len), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	assert_int_equal(out[len], '\0');
	free(out);
}

static void test_cp1252_to_utf8(void **state)
{
	char *out = NULL;
	size_t len = 0;

	(void)state;
	to_utf8("", 0, "");
	to_utf8("abc", 3, "abc");
	to_utf8("\xa3" "5,520", 6, "\xc2\xa3" "5,520");              /* A3 -> U+00A3 -> C2 A3 */
	to_utf8("\x92", 1, "\xe2\x80\x99");                           /* 92 -> U+2019 -> E2 80 99 */
	to_utf8("\x80", 1, "\xe2\x82\xac");                           /* 80 -> U+20AC */
	to_utf8("\x96\x97", 2, "\xe2\x80\x93\xe2\x80\x94");           /* en and em dash */
	to_utf8("\x83\x8a\x9f", 3, "\xc6\x92\xc5\xa0\xc5\xb8");       /* U+0192 U+0160 U+0178 */
	to_utf8("\xe9\xff", 2, "\xc3\xa9\xc3\xbf");                   /* é ÿ */
	to_utf8("\x81", 1, "\xc2\x81");                               /* undefined: U+0081 */
	to_utf8("\xa0", 1, "\xc2\xa0");                               /* no-break space */
	assert_int_equal(textenc_cp1252_to_utf8("a\0b", 3, &out, &len), 1);
	assert_null(out);
}

static void found(const char *s, size_t at, size_t len, const char *meant)
{
	struct textenc_mojibake m;

	assert_int_equal(textenc_mojibake(s, strlen(s), &m), 1);
	assert_int_equal(m.at, at);
	assert_int_equal(m.len, len);
	assert_string_equal(m.meant, meant);
}

static void none(const char *s)
{
	struct textenc_mojibake m;

	assert_int_equal(textenc_mojibake(s, strlen(s), &m), 0);
}

static void test_mojibake_found(void **state)
{
	(void)state;
	/* "Â£" is C3 82 C2 A3: the bytes C2 A3 (£) read as Windows-1252 */
	found("GAG: 420 pupils at \xc3\x82\xc2\xa3" "5,520", 19, 4, "\xc2\xa3");
	/* "Ã©" is C3 83 C2 A9: C3 A9 (é) */
	found("Caf\xc3\x83\xc2\xa9", 3, 4, "\xc3\xa9");
	/* "â€™" is C3 A2, E2 82 AC, E2 84 A2: E2 80 99 (’) */
	found("Teachers\xc3\xa2\xe2\x82\xac\xe2\x84\xa2 pay", 8, 8, "\xe2\x80\x99");
	/* – is E2 80 93, read as â € and “ (93 is U+201C, E2 80 9C) */
	found("a \xc3\xa2\xe2\x82\xac\xe2\x80\x9c b", 2, 8, "\xe2\x80\x93");
	/* "â‚¬" (82 is ‚ U+201A, AC is ¬): E2 82 AC (€) */
	found("\xc3\xa2\xe2\x80\x9a\xc2\xac" "100", 0, 7, "\xe2\x82\xac");
	/* "Â" + no-break space: C2 A0 */
	found("1\xc3\x82\xc2\xa0" "000", 1, 4, "\xc2\xa0");
	/* read as Latin-1 instead: ’ is â, U+0080 (C1), U+0099 (C1) */
	found("\xc3\xa2\xc2\x80\xc2\x99", 0, 6, "\xe2\x80\x99");
	/* ” is E2 80 9D; 9D is undefined in Windows-1252, read as U+009D */
	found("\xc3\xa2\xe2\x82\xac\xc2\x9d", 0, 7, "\xe2\x80\x9d");
	/* an emoji: F0 9F 98 80 as ð Ÿ ˜ € */
	found("x \xc3\xb0\xc5\xb8\xcb\x9c\xe2\x82\xac", 2, 9, "\xf0\x9f\x98\x80");
	/* the first of several */
	found("\xc3\x83\xc2\xa9 and \xc3\x82\xc2\xa3", 0, 4, "\xc3\xa9");
}

static void test_mojibake_not(void **state)
{
	(void)state;
	none("");
	none("GAG: 420 pupils at \xc2\xa3" "5,520");           /* £ itself */
	none("Caf\xc3\xa9 \xe2\x80\x93 \xe2\x80\x99quoted\xe2\x80\x99");
	none("\xc3\x82 alone");                                 /* Â then a space */
	none("\xc3\x83" "a");                                   /* Ã then ASCII */
	none("S\xc3\x83O PAULO");                               /* SÃO PAULO */
	none("CAF\xc3\x89\xe2\x80\x99S");                       /* CAFÉ’S: É’ would be U+0252 */
	none("\xc3\x89\xe2\x80\xa6");                           /* É…: U+0245, not a mistake's range */
	none("\xc3\xa2" "bc");                                  /* â then ASCII */
	none("\xc3\xa2\xe2\x82\xac");                           /* â€ at the end: cut short */
	none("\xc3\xa0\xc2\xa3");                               /* à£: E0 A3 needs a third byte */
	none("\xc3\x82");                                       /* Â at the end */
	none("\xc3\x82\xc3\x82");                               /* ÂÂ: C2 C2 is not a character */
	none("\xff\xfe");                                       /* not UTF-8 at all */
}

static void test_mojibake_message(void **state)
{
	char buf[400];

	(void)state;
	assert_null(textenc_mojibake_message("fine \xc2\xa3" "1", buf, sizeof(buf)));
	assert_non_null(textenc_mojibake_message("at \xc3\x82\xc2\xa3" "5", buf, sizeof(buf)));
	assert_string_equal(buf, "looks like text saved in the wrong encoding: \"\xc3\x82\xc2\xa3\" is how \"\xc2\xa3\" "
			    "reads when UTF-8 is opened as Windows-1252 (Excel's \"CSV (Comma delimited)\"); "
			    "correct the text and save as \"CSV UTF-8\" or as an Excel workbook");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_is_cp1252),
		cmocka_unit_test(test_cp1252_to_utf8),
		cmocka_unit_test(test_mojibake_found),
		cmocka_unit_test(test_mojibake_not),
		cmocka_unit_test(test_mojibake_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
