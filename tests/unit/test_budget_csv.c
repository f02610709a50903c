/* test_budget_csv.c - unit tests for daemon/budget_csv.c: every accepted form of the
 * spreadsheet file, every malformed one with its row and column, and the writer's
 * round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "budget_csv.h"

static struct budget_account accounts[] = {
	{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 2, "I08", "self_generated", BUDGET_INCOME, 0, 0, 1 },
	{ 3, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 4, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 5, "E17", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 6, "E18", "premises", BUDGET_EXPENDITURE, 0, 0, 0 },   /* inactive */
	{ 7, "E28a", "services", BUDGET_EXPENDITURE, 0, 0, 1 },
};
static const struct budget_chart chart = { sizeof(accounts) / sizeof(accounts[0]), accounts };

struct parsed {
	struct budget b;
	struct problem p;
	int rc;
};

static struct parsed *parse_n(const char *text, size_t len)
{
	struct parsed *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	budget_init(&x->b, BUDGET_MAINSTREAM, &chart);
	x->rc = budget_csv_parse(text, len, &x->b, &x->p);
	return x;
}

static struct parsed *parse_as(const char *text, size_t len, enum textenc declared, enum textenc *read_as)
{
	struct parsed *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	budget_init(&x->b, BUDGET_MAINSTREAM, &chart);
	x->rc = budget_csv_parse_as(text, len, declared, &x->b, &x->p, read_as);
	return x;
}

static struct parsed *parse_as_s(const char *text, enum textenc declared, enum textenc *read_as)
{
	return parse_as(text, strlen(text), declared, read_as);
}

static struct parsed *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void done(struct parsed *x)
{
	budget_clear(&x->b);
	free(x);
}

/* Assert the problem has an error with this field and message (exactly). */
static void has_error(const struct parsed *x, const char *field, const char *message)
{
	for (size_t i = 0; i < x->p.nerrors; i++)
		if (strcmp(x->p.errors[i].field, field) == 0 &&
		    (message == NULL || strcmp(x->p.errors[i].message, message) == 0))
			return;
	for (size_t i = 0; i < x->p.nerrors; i++)
		print_error("  %s: %s\n", x->p.errors[i].field, x->p.errors[i].message);
	fail_msg("no error %s: %s", field, message != NULL ? message : "(any)");
}

static void test_basic(void **state)
{
	struct parsed *x = parse("code,description,amount\r\n"
				 "I01,GAG,4227700.00\r\n"
				 "E01,\"Teachers, main scale\",2100000\r\n"
				 "E16,Energy,115000.5\r\n");

	(void)state;
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->p.nerrors, 0);
	assert_int_equal(x->b.nlines, 3);
	assert_string_equal(x->b.lines[0].code, "I01");
	assert_string_equal(x->b.lines[0].description, "GAG");
	assert_true(x->b.lines[0].amount_pence == 422770000);
	assert_string_equal(x->b.lines[1].description, "Teachers, main scale");
	assert_true(x->b.lines[1].amount_pence == 210000000);
	assert_true(x->b.lines[2].amount_pence == 11500050);
	assert_string_equal(x->b.lines[2].driver, "");
	assert_int_equal(x->b.lines[2].excluded_from_central, 0);
	done(x);
}

/* 1234.56, 1,234.56, £1234.56, (1234.56) and the other forms people type. */
static void test_amount_forms(void **state)
{
	static const struct {
		const char *field;
		int64_t pence;
	} cases[] = {
		{ "1234.56", 123456 }, { "\"1,234.56\"", 123456 }, { "£1234.56", 123456 },
		{ "(1234.56)", -123456 }, { "\"£1,234.56\"", 123456 }, { "\"(£1,234.56)\"", -123456 },
		{ "-1234.56", -123456 }, { "-£5", -500 }, { "12.5", 1250 }, { "12", 1200 }, { "0", 0 },
		{ "0.01", 1 }, { " 7.10 ", 710 }, { "\"1,000,000,000.00\"", INT64_C(100000000000) },
		{ "-1000000000", INT64_C(-100000000000) },
	};
	char text[200];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed *x;

		snprintf(text, sizeof(text), "code,description,amount\nE16,x,%s\n", cases[i].field);
		x = parse(text);
		if (x->rc != 0)
			fail_msg("%s: %s", cases[i].field, x->p.nerrors ? x->p.errors[0].message : x->p.detail);
		assert_int_equal(x->b.nlines, 1);
		assert_true(x->b.lines[0].amount_pence == cases[i].pence);
		done(x);
	}
}

static void test_amount_errors(void **state)
{
	static const struct {
		const char *field, *message;
	} cases[] = {
		{ "12.345", "\"12.345\" has more than two decimals" },
		{ "abc", "\"abc\" is not a number" },
		{ "\"1,23.00\"", "\"1,23.00\" has misplaced thousands separators" },
		{ "(12.00", "\"(12.00\" has an unclosed parenthesis" },
		{ "--1", "\"--1\" has more than one sign" },
		{ "12.", "\"12.\" has no digits after the decimal point" },
		{ "", "is empty" },
		{ "   ", "is empty" },
		{ "1000000000.01", "\"1000000000.01\" is beyond the limit of a line, £1bn either way" },
		{ "-1000000000.01", "\"-1000000000.01\" is beyond the limit of a line, £1bn either way" },
		{ "99999999999999999999", "\"99999999999999999999\" is too large" },
		{ "1e5", "\"1e5\" is not a number" },
		{ "$5", "\"$5\" is not a number" },
	};
	char text[200];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed *x;

		snprintf(text, sizeof(text), "code,description,amount\nE16,x,%s\n", cases[i].field);
		x = parse(text);
		assert_int_equal(x->rc, -1);
		assert_int_equal(x->p.status, 422);
		assert_string_equal(x->p.slug, "validation");
		has_error(x, "row 2, amount", cases[i].message);
		done(x);
	}
}

/* The error the issue names: row 14, amount. Thirteen rows above it are good. */
static void test_row_14(void **state)
{
	char text[2048];
	size_t o = (size_t)snprintf(text, sizeof(text), "code,description,amount\n");
	struct parsed *x;

	(void)state;
	for (int i = 2; i < 14; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "E01,Teacher %d,1000.00\n", i);
	snprintf(text + o, sizeof(text) - o, "E01,Teacher 14,12.345\nE01,Teacher 15,1.00\n");
	x = parse(text);
	assert_int_equal(x->rc, -1);
	assert_int_equal(x->p.nerrors, 1);
	assert_string_equal(x->p.errors[0].field, "row 14, amount");
	assert_string_equal(x->p.errors[0].message, "\"12.345\" has more than two decimals");
	assert_non_null(strstr(x->p.detail, "nothing was imported"));
	done(x);
}

static void test_line_ends_and_bom(void **state)
{
	static const char *const files[] = {
		"code,description,amount\r\nE01,a,1\r\nE16,b,2\r\n",
		"code,description,amount\nE01,a,1\nE16,b,2\n",
		"code,description,amount\rE01,a,1\rE16,b,2\r",
		"code,description,amount\nE01,a,1\nE16,b,2",          /* no final line end */
		"\xef\xbb\xbf" "code,description,amount\r\nE01,a,1\r\nE16,b,2\r\n",
		"code,description,amount\n\nE01,a,1\n,,\n\r\nE16,b,2\n\n",   /* blank rows */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct parsed *x = parse(files[i]);

		if (x->rc != 0)
			fail_msg("file %zu: %s", i, x->p.nerrors ? x->p.errors[0].message : x->p.detail);
		assert_int_equal(x->b.nlines, 2);
		assert_string_equal(x->b.lines[0].code, "E01");
		assert_true(x->b.lines[1].amount_pence == 200);
		done(x);
	}
}

/* Rows are counted as a spreadsheet shows them: blank lines count, CRLF is one line
 * end, a quoted field with a line break in it is one row. */
static void test_row_numbers(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse("code,description,amount\r\n\r\nE01,a,1\r\n,,\r\nE01,b,x\r\n");
	has_error(x, "row 5, amount", "\"x\" is not a number");
	done(x);
	x = parse("code,description,amount\nE01,\"two\nlines\",1\nE01,c,y\n");
	has_error(x, "row 2, description", "must not contain line breaks, tabs or other control characters");
	has_error(x, "row 3, amount", "\"y\" is not a number");
	done(x);
	x = parse("\n\ncode,description,amount\nE01,a,z\n");    /* the header after blank lines */
	has_error(x, "row 4, amount", NULL);
	done(x);
}

static void test_quoting(void **state)
{
	struct parsed *x = parse("code,description,amount\n"
				 "E01,\"He said \"\"hello\"\", twice\",1\n"
				 "E01,\"  kept spaces  \",2\n"
				 "E01,  trimmed  ,3\n"
				 "\"E16\",\"\",\"4.00\"\n");

	(void)state;
	assert_int_equal(x->rc, 0);
	assert_string_equal(x->b.lines[0].description, "He said \"hello\", twice");
	assert_string_equal(x->b.lines[1].description, "  kept spaces  ");
	assert_string_equal(x->b.lines[2].description, "trimmed");
	assert_string_equal(x->b.lines[3].code, "E16");
	assert_string_equal(x->b.lines[3].description, "");
	done(x);
}

static void test_header_forms(void **state)
{
	struct parsed *x;

	(void)state;
	/* any order and case; the optional columns */
	x = parse("Amount,CODE,Description,Excluded from central,Driver\n"
		  "1.00,e17,Rates,yes,fixed\n"
		  "2.00,E16,Energy,,\n"
		  "3.00,E28a,Payroll,No,inflation:cpi\n"
		  "4.00,I08,Lettings,TRUE, \n");
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->b.nlines, 4);
	assert_string_equal(x->b.lines[0].code, "E17");
	assert_int_equal(x->b.lines[0].excluded_from_central, 1);
	assert_string_equal(x->b.lines[0].driver, "fixed");
	assert_int_equal(x->b.lines[1].excluded_from_central, 0);
	assert_string_equal(x->b.lines[1].driver, "");
	assert_string_equal(x->b.lines[2].driver, "inflation:cpi");
	assert_int_equal(x->b.lines[3].excluded_from_central, 1);
	assert_string_equal(x->b.lines[3].driver, "");
	done(x);
	/* a row may stop after its last required column: the optional ones are empty */
	x = parse("code,description,amount,driver,excluded_from_central\nE01,a,1\nE17,b,2,,yes\n");
	assert_int_equal(x->rc, 0);
	assert_string_equal(x->b.lines[0].driver, "");
	assert_int_equal(x->b.lines[0].excluded_from_central, 0);
	assert_int_equal(x->b.lines[1].excluded_from_central, 1);
	done(x);
	x = parse("code,driver,amount,description\nE01,fixed,1\n");
	has_error(x, "row 2", "has 3 fields; the header has 4");
	done(x);
	/* empty header cells (a spreadsheet's trailing columns) are fine while empty */
	x = parse("code,description,amount,,\nE01,a,1,,\n");
	assert_int_equal(x->rc, 0);
	done(x);
}

static void test_header_errors(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse("code,amount\nE01,1\n");
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 1", "the header has no \"description\" column: the first row must name the "
		  "columns, code,description,amount");
	done(x);
	/* data where the header should be */
	x = parse("E01,Teachers,1000\n");
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 1, column 1", NULL);
	has_error(x, "row 1", NULL);
	done(x);
	x = parse("code,description,amount,notes\nE01,a,1,x\n");
	has_error(x, "row 1, column 4", "unknown column \"notes\": the columns are code, description, "
		  "amount and optionally driver, excluded_from_central, profile (account, kind and computed are "
		  "read and ignored)");
	assert_int_equal(x->b.nlines, 0);
	done(x);
	x = parse("code,description,amount,Amount\nE01,a,1,2\n");
	has_error(x, "row 1, column 4", "\"amount\" is also column 3");
	done(x);
}

static void test_value_errors(void **state)
{
	struct parsed *x = parse("code,description,amount,driver,excluded_from_central\n"
				 "E99,a,1,,\n"
				 "E18,b,1,,\n"
				 ",c,1,,\n"
				 "E01,=SUM(A1:A9),1,,\n"
				 "E01,e,1,weekly,\n"
				 "E01,f,1,,maybe\n"
				 "E01,g\n"
				 "E01,h,1,,,surplus\n"
				 "E01,ok,1,,\n");

	(void)state;
	assert_int_equal(x->rc, -1);
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 2, code", "\"E99\" is not an account code (see GET /api/v1/accounts)");
	has_error(x, "row 3, code", "\"E18\" is no longer in use: move the line to an active account code");
	has_error(x, "row 4, code", "is empty");
	has_error(x, "row 5, description", NULL);
	has_error(x, "row 6, driver", NULL);
	has_error(x, "row 7, excluded_from_central", "\"maybe\" must be yes or no (or empty for no)");
	has_error(x, "row 8", "has 2 fields; the header has 5");
	has_error(x, "row 9", "has text in column 6, which has no header (the header has 5 columns)");
	assert_int_equal(x->p.nerrors, 8);
	assert_non_null(strstr(x->p.detail, "8 problems"));
	done(x);
}

static void test_long_description(void **state)
{
	char text[1024];
	struct parsed *x;

	(void)state;
	snprintf(text, sizeof(text), "code,description,amount\nE01,%0201d,1\n", 0);
	x = parse(text);
	has_error(x, "row 2, description", "must be at most 200 characters");
	done(x);
}

static void test_empty_files(void **state)
{
	static const char *const files[] = { "", "\xef\xbb\xbf", "\n\n", "\r\n" };
	struct parsed *x;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		x = parse(files[i]);
		assert_int_equal(x->rc, -1);
		assert_int_equal(x->p.status, 400);
		has_error(x, "row 1", "the file is empty: it needs a header row (code,description,amount) "
			  "and a row for each line");
		done(x);
	}
	x = parse("code,description,amount\r\n");
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 2", "the file has a header but no lines");
	done(x);
	x = parse("code,description,amount\n,,\n\n");
	assert_int_equal(x->p.status, 422);
	done(x);
}

static void test_not_utf8(void **state)
{
	static const char nul[] = "code,description,amount\nE01,a\0b,1\n";
	struct parsed *x;
	enum textenc as = TEXTENC_NONE;

	(void)state;
	/* declared UTF-8 and not: the Windows-1252 pound sign is the byte 0xA3 */
	x = parse_as_s("code,description,amount\nE01,Books \xa3" "5 each,1\nE01,ok,\xa3" "5\n", TEXTENC_UTF8, &as);
	assert_int_equal(x->rc, -1);
	assert_int_equal(x->p.status, 400);
	assert_string_equal(x->p.slug, "bad-request");
	has_error(x, "row 2, description", "is not UTF-8 text (it looks like Windows-1252: send "
		  "charset=windows-1252, or save the spreadsheet as \"CSV UTF-8\")");
	has_error(x, "row 3, amount", "is not UTF-8 text (it looks like Windows-1252: send "
		  "charset=windows-1252, or save the spreadsheet as \"CSV UTF-8\")");
	assert_int_equal(x->p.nerrors, 2);       /* not also "row 3, amount: is empty" (issue 14) */
	done(x);
	/* overlong, surrogate: valid Windows-1252 too, so only when UTF-8 is declared */
	x = parse_as_s("code,description,amount\nE01,\xc0\xaf,1\n", TEXTENC_UTF8, NULL);
	assert_int_equal(x->p.status, 400);
	done(x);
	x = parse_as_s("code,description,amount\nE01,\xed\xa0\x80,1\n", TEXTENC_UTF8, NULL);
	assert_int_equal(x->p.status, 400);
	done(x);
	/* NUL is neither */
	x = parse_n(nul, sizeof(nul) - 1);
	assert_int_equal(x->p.status, 400);
	has_error(x, "row 2, description", "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"");
	done(x);
	x = parse_as(nul, sizeof(nul) - 1, TEXTENC_CP1252, NULL);
	assert_int_equal(x->p.status, 400);
	has_error(x, "row 1", "the file holds a NUL byte: it is not a text file");
	done(x);
	/* UTF-16 (a BOM of FF FE) is not UTF-8 either, nor Windows-1252 (NUL bytes) */
	x = parse_n("\xff\xfe" "c\0o\0d\0e\0", 10);
	assert_int_equal(x->p.status, 400);
	done(x);
	/* bytes Windows-1252 leaves undefined (81): neither */
	x = parse("code,description,amount\nE01,\x81\xa3,1\n");
	assert_int_equal(x->p.status, 400);
	done(x);
}

static void test_windows_1252(void **state)
{
	/* "Teachers’ pay – £5,520" in Windows-1252: 92 is ’, 96 is –, A3 is £ */
	static const char cp[] = "code,description,amount\r\nE01,\"Teachers\x92 pay \x96 \xa3" "5,520\",\"\xa3" "5,520.00\"\r\n";
	static const char want[] = "Teachers\xe2\x80\x99 pay \xe2\x80\x93 \xc2\xa3" "5,520";
	struct parsed *x;
	enum textenc as = TEXTENC_NONE;

	(void)state;
	/* declared */
	x = parse_as(cp, sizeof(cp) - 1, TEXTENC_CP1252, &as);
	assert_int_equal(x->rc, 0);
	assert_int_equal(as, TEXTENC_CP1252);
	assert_string_equal(x->b.lines[0].description, want);
	assert_int_equal(x->b.lines[0].amount_pence, 552000);
	done(x);
	/* undeclared: the bytes can only be Windows-1252 */
	as = TEXTENC_NONE;
	x = parse_as(cp, sizeof(cp) - 1, TEXTENC_NONE, &as);
	assert_int_equal(x->rc, 0);
	assert_int_equal(as, TEXTENC_CP1252);
	assert_string_equal(x->b.lines[0].description, want);
	done(x);
	/* UTF-8 undeclared stays UTF-8 */
	x = parse_as_s("code,description,amount\nE01,\xc2\xa3" "1,1\n", TEXTENC_NONE, &as);
	assert_int_equal(x->rc, 0);
	assert_int_equal(as, TEXTENC_UTF8);
	assert_string_equal(x->b.lines[0].description, "\xc2\xa3" "1");
	done(x);
	/* a BOM wins over a declared Windows-1252 (as browsers decode) */
	x = parse_as_s("\xef\xbb\xbf" "code,description,amount\nE01,\xc2\xa3" "1,1\n", TEXTENC_CP1252, &as);
	assert_int_equal(x->rc, 0);
	assert_int_equal(as, TEXTENC_UTF8);
	assert_string_equal(x->b.lines[0].description, "\xc2\xa3" "1");
	done(x);
	/* UTF-8 declared as Windows-1252 becomes mojibake, which is refused */
	x = parse_as_s("code,description,amount\nE01,\xc2\xa3" "1,1\n", TEXTENC_CP1252, &as);
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 2, description", NULL);
	done(x);
}

static void test_mojibake(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse("code,description,amount\r\nI01,GAG,1\r\nE01,\"GAG: 420 pupils at \xc3\x82\xc2\xa3" "5,520\",2\r\n"
		  "E16,Caf\xc3\xa9 \xc2\xa3" "1,3\r\n");
	assert_int_equal(x->rc, -1);
	assert_int_equal(x->p.status, 422);
	assert_int_equal(x->p.nerrors, 1);
	has_error(x, "row 3, description", "\"GAG: 420 pupils at \xc3\x82\xc2\xa3" "5,520\" looks like text saved "
		  "in the wrong encoding: \"\xc3\x82\xc2\xa3\" is how \"\xc2\xa3\" reads when UTF-8 is opened as "
		  "Windows-1252 (Excel's \"CSV (Comma delimited)\"); correct the text and save as \"CSV UTF-8\" or "
		  "as an Excel workbook");
	done(x);
}

/* What Excel's default "CSV (Comma delimited)" writes on an English Windows: Windows-1252,
 * CRLF, no BOM, quotes only where needed, and below the table rows of commas alone
 * (cells once used, then cleared) and rows of cells that hold only spaces. */
static void test_excel_default_csv(void **state)
{
	static const char xl[] =
		"code,description,amount,driver,excluded_from_central\r\n"
		"I01,GAG: 420 pupils at \xa3" "5520,\"\xa3" " 2,318,400.00 \",,\r\n"
		"E01,Teachers\x92 pay,\" 1,234.50 \",,\r\n"
		"E16,Energy \x96 gas,-,fixed,\r\n"
		"E17,Rates,\" (1,000.00)\",,yes\r\n"
		",,,,\r\n"
		",,,,\r\n"
		" , ,,,\r\n"
		",,,,\r\n";
	struct parsed *x;
	enum textenc as = TEXTENC_NONE;

	(void)state;
	x = parse_as(xl, sizeof(xl) - 1, TEXTENC_NONE, &as);
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->p.nerrors, 0);
	assert_int_equal(as, TEXTENC_CP1252);
	assert_int_equal(x->b.nlines, 4);
	assert_string_equal(x->b.lines[0].description, "GAG: 420 pupils at \xc2\xa3" "5520");
	assert_int_equal(x->b.lines[0].amount_pence, 231840000);
	assert_string_equal(x->b.lines[1].description, "Teachers\xe2\x80\x99 pay");
	assert_int_equal(x->b.lines[1].amount_pence, 123450);
	assert_int_equal(x->b.lines[2].amount_pence, 0);
	assert_int_equal(x->b.lines[3].amount_pence, -100000);
	assert_int_equal(x->b.lines[3].excluded_from_central, 1);
	done(x);
	/* the description with its comma in quotes, as Excel does */
	x = parse("code,description,amount\r\nI01,\"GAG: 420 pupils at \xa3" "5,520\",\"2,318,400.00\"\r\n,,\r\n,,\r\n");
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->b.nlines, 1);
	assert_string_equal(x->b.lines[0].description, "GAG: 420 pupils at \xc2\xa3" "5,520");
	assert_int_equal(x->b.lines[0].amount_pence, 231840000);
	done(x);
}

static void test_broken_quoting(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse("code,description,amount\nE01,Te\"achers,1\n");
	assert_int_equal(x->p.status, 400);
	has_error(x, "row 2, description", "broken quoting: a field with a quote in it must be in quotes, "
		  "with each quote inside written twice (\"\")");
	done(x);
	x = parse("code,description,amount\nE01,a,1\nE16,\"Energy\" bill,2\n");
	assert_int_equal(x->p.status, 400);
	has_error(x, "row 3, description", NULL);
	done(x);
	x = parse("code,description,amount\nE01,\"never closed,1\n");
	assert_int_equal(x->p.status, 400);
	has_error(x, "row 2, description", "a quoted field is not closed: the file ends inside quotes");
	done(x);
}

static void test_too_many_lines(void **state)
{
	size_t n = BUDGET_MAX_LINES + 2, cap = 32 + n * 12, o;
	char *text = malloc(cap);
	struct parsed *x;

	(void)state;
	assert_non_null(text);
	o = (size_t)snprintf(text, cap, "code,description,amount\n");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, cap - o, "E01,,1\n");
	x = parse_n(text, o);
	assert_int_equal(x->p.status, 422);
	assert_int_equal(x->p.nerrors, 1);
	has_error(x, "row 20002", "the file has more than 20000 lines: split the budget");
	done(x);
	free(text);
}

/* Every error is reported, not just the first; the problem keeps 50 and counts the rest. */
static void test_many_errors(void **state)
{
	char *text = malloc(100000);
	size_t o;
	struct parsed *x;

	(void)state;
	assert_non_null(text);
	o = (size_t)snprintf(text, 100000, "code,description,amount\n");
	for (int i = 0; i < 80; i++)
		o += (size_t)snprintf(text + o, 100000 - o, "E01,x,1.001\n");
	x = parse_n(text, o);
	assert_int_equal(x->p.status, 422);
	assert_int_equal(x->p.nerrors, PROBLEM_MAX_ERRORS);
	assert_int_equal(x->p.nerrors_dropped, 30);
	assert_string_equal(x->p.errors[49].field, "row 51, amount");
	assert_non_null(strstr(x->p.detail, "80 problems"));
	done(x);
	free(text);
}

static void test_show_value_truncated(void **state)
{
	char text[300];
	struct parsed *x;

	(void)state;
	snprintf(text, sizeof(text), "code,description,amount\nE01,a,%s\n",
		 "1234567890123456789012345678901234567890123456789");
	x = parse(text);
	has_error(x, "row 2, amount", "\"1234567890123456789012345678901234567890...\" is too large");
	done(x);
}

/* ---- writing ---- */

static char *write_csv(const struct budget *b, size_t *len)
{
	char *out = NULL;

	assert_int_equal(budget_csv_write(b, NULL, &out, len), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), *len);
	return out;
}

static void test_write_plain(void **state)
{
	struct budget b;
	char *out;
	size_t len;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_non_null(budget_add_line(&b, "I01", "GAG", 422770000));
	assert_non_null(budget_add_line(&b, "E01", "Teachers, main scale", 210000000));
	assert_non_null(budget_add_line(&b, "E16", "Say \"energy\"", -5));
	assert_non_null(budget_add_line(&b, "e28a", " padded ", 0));
	assert_non_null(budget_add_line(&b, "E01", "", 1));
	out = write_csv(&b, &len);
	assert_string_equal(out, "code,account,kind,description,amount,driver,excluded_from_central,computed,profile\r\n"
			    "I01,,income,GAG,4227700.00,,,,\r\n"
			    "E01,,expenditure,\"Teachers, main scale\",2100000.00,,,,\r\n"
			    "E16,,expenditure,\"Say \"\"energy\"\"\",-0.05,,,,\r\n"
			    "E28a,,expenditure,\" padded \",0.00,,,,\r\n"
			    "E01,,expenditure,,0.01,,,,\r\n");
	free(out);
	budget_clear(&b);
	out = write_csv(&b, &len);                        /* no lines: the header alone */
	assert_string_equal(out, "code,account,kind,description,amount,driver,excluded_from_central,computed,profile\r\n");
	free(out);
}

static void test_write_extras(void **state)
{
	struct budget b;
	struct budget_line *l;
	char *out;
	size_t len;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_non_null(l = budget_add_line(&b, "E17", "Rates", 2400000));
	l->excluded_from_central = 1;
	assert_non_null(l = budget_add_line(&b, "E28a", "Payroll", 1200000));
	snprintf(l->driver, sizeof(l->driver), "fixed");
	assert_non_null(l = budget_add_line(&b, "E16", "Energy", 1));
	snprintf(l->profile, sizeof(l->profile), "heating");
	assert_non_null(l = budget_add_line(&b, "E01", "Repairs", 2));
	l->has_weights = 1;
	memcpy(l->weights, (const int32_t[12]){ 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5000 }, sizeof(l->weights));
	out = write_csv(&b, &len);
	assert_string_equal(out, "code,account,kind,description,amount,driver,excluded_from_central,computed,profile\r\n"
			    "E17,,expenditure,Rates,24000.00,,yes,,\r\n"
			    "E28a,,expenditure,Payroll,12000.00,fixed,,,\r\n"
			    "E16,,expenditure,Energy,0.01,,,,heating\r\n"
			    "E01,,expenditure,Repairs,0.02,,,,5000 0 0 0 0 0 0 0 0 0 0 5000\r\n");
	free(out);
	budget_clear(&b);
}

/* The profile column (issue 17): a name, twelve weights by spaces or commas, or empty; anything
 * else (weights not summing to 10000, a name that cannot be one) is a row error. */
static void test_profile_column(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse("code,description,amount,profile\n"
		  "E16,Energy,1200,heating\n"
		  "E17,Repairs,10,\"5000,0,0,0,0,0,0,0,0,0,0,5000\"\n"
		  "E01,Grounds,10, 834 834 834 834 833 833 833 833 833 833 833 833 \n"
		  "I08,Lettings,10,\n");
	assert_int_equal(x->p.status, 0);
	assert_int_equal(x->b.nlines, 4);
	assert_string_equal(x->b.lines[0].profile, "heating");
	assert_int_equal(x->b.lines[0].has_weights, 0);
	assert_int_equal(x->b.lines[1].has_weights, 1);
	assert_int_equal(x->b.lines[1].weights[0], 5000);
	assert_int_equal(x->b.lines[1].weights[11], 5000);
	assert_string_equal(x->b.lines[1].profile, "");
	assert_int_equal(x->b.lines[2].has_weights, 1);
	assert_int_equal(x->b.lines[2].weights[4], 833);
	assert_int_equal(x->b.lines[3].has_weights, 0);
	assert_string_equal(x->b.lines[3].profile, "");
	done(x);
	x = parse("code,description,amount,profile\n"
		  "E17,Repairs,10,834 834 834 834 833 833 833 833 833 833 833 832\n"
		  "E01,Grounds,10,Heating\n");
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 2, profile", "\"834 834 834 834 833 833 833 833 833 833 ...\" must be a profile's name, "
		  "or twelve weights in basis points (September first) summing to 10000, separated by spaces");
	has_error(x, "row 3, profile", NULL);
	assert_int_equal(x->b.nlines, 0);
	done(x);
}

/* write -> parse -> write gives the same bytes and the same lines. */
static void test_round_trip(void **state)
{
	static const char *const descs[] = { "", "plain", "a, b", "\"q\"", " lead", "trail ", "£ – é",
					     "x\"y,z\"" };
	struct budget b;
	struct parsed *x;
	char *one, *two;
	size_t n1, n2;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		struct budget_line *l = budget_add_line(&b, i % 2 ? "E16" : "I08", descs[i],
							(int64_t)(i * 100003) - 200000);

		assert_non_null(l);
		l->excluded_from_central = i == 3;
		if (i == 5)
			snprintf(l->driver, sizeof(l->driver), "inflation:energy");
	}
	one = write_csv(&b, &n1);
	x = parse_n(one, n1);
	if (x->rc != 0)
		fail_msg("%s: %s", x->p.nerrors ? x->p.errors[0].field : "", x->p.nerrors ? x->p.errors[0].message : x->p.detail);
	assert_int_equal(x->b.nlines, b.nlines);
	for (size_t i = 0; i < b.nlines; i++) {
		assert_string_equal(x->b.lines[i].code, b.lines[i].code);
		assert_string_equal(x->b.lines[i].description, b.lines[i].description);
		assert_true(x->b.lines[i].amount_pence == b.lines[i].amount_pence);
		assert_string_equal(x->b.lines[i].driver, b.lines[i].driver);
		assert_int_equal(x->b.lines[i].excluded_from_central, b.lines[i].excluded_from_central);
	}
	two = write_csv(&x->b, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(one, two, n1);
	free(one);
	free(two);
	done(x);
	budget_clear(&b);
}

/* 10,000 lines parse (a few milliseconds: printed for reading, never asserted, since make test
 * runs on shared machines and under the sanitizers). */
static void test_speed(void **state)
{
	size_t cap = 64 + 10000 * 64, o;
	char *text = malloc(cap);
	struct timespec t0, t1;
	struct parsed *x;
	long ms;

	(void)state;
	assert_non_null(text);
	o = (size_t)snprintf(text, cap, "code,description,amount\r\n");
	for (int i = 0; i < 10000; i++)
		o += (size_t)snprintf(text + o, cap - o, "E01,\"Teacher %d, main scale\",\"%d,%03d.%02d\"\r\n",
				      i, 30 + i % 50, i % 1000, i % 100);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	x = parse_n(text, o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->b.nlines, 10000);
	print_message("# 10,000-line CSV parsed in %ld ms\n", ms);
	done(x);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_amount_forms),
		cmocka_unit_test(test_amount_errors),
		cmocka_unit_test(test_row_14),
		cmocka_unit_test(test_line_ends_and_bom),
		cmocka_unit_test(test_row_numbers),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_header_forms),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_long_description),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_mojibake),
		cmocka_unit_test(test_excel_default_csv),
		cmocka_unit_test(test_broken_quoting),
		cmocka_unit_test(test_too_many_lines),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_show_value_truncated),
		cmocka_unit_test(test_write_plain),
		cmocka_unit_test(test_write_extras),
		cmocka_unit_test(test_profile_column),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests_name("budget_csv", tests, NULL, NULL);
}
