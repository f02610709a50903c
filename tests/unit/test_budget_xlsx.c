/* test_budget_xlsx.c - unit tests for daemon/base/budget_xlsx.c and xlsxread.c:
 * workbooks built here part by part (libzip, in memory) with the XML Excel,
 * LibreOffice and openpyxl write, each feature and each refusal on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "budget_xlsx.h"

static struct budget_account accounts[] = {
	{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 2, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 3, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 4, "INT01", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
};
static const struct budget_chart chart = { sizeof(accounts) / sizeof(accounts[0]), accounts };

static const struct xlsx_limits limits = { 100, 1 << 20, 1000, 32 };

struct zipbuf {
	char *data;
	size_t len;
};

/* A zip of parts: names[i] holds texts[i]; NULL-terminated. */
static struct zipbuf make_zip(const char *const *names, const char *const *texts)
{
	zip_error_t ze;
	zip_source_t *src, *part;
	zip_t *za;
	zip_stat_t st;
	struct zipbuf z = { 0 };

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_source_keep(src);
	for (size_t i = 0; names[i] != NULL; i++) {
		part = zip_source_buffer(za, texts[i], strlen(texts[i]), 0);
		assert_non_null(part);
		assert_true(zip_file_add(za, names[i], part, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	z.len = st.size;
	z.data = malloc(z.len + 1);
	assert_non_null(z.data);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, z.data, z.len), (zip_int64_t)z.len);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return z;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELS_NS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define T_SHEET "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
#define T_SST "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

static const char workbook_one[] = "<?xml version=\"1.0\"?><workbook " NS "><sheets>"
	"<sheet name=\"Budget\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels_one[] = "<?xml version=\"1.0\"?><Relationships " RELS_NS ">"
	"<Relationship Id=\"rId1\" Type=\"" T_SHEET "\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId9\" Type=\"" T_SST "\" Target=\"sharedStrings.xml\"/></Relationships>";

/* A workbook of one sheet "Budget" with these shared strings and sheetData. */
static struct zipbuf book(const char *sst, const char *data)
{
	static char sheet[1 << 16], strings[1 << 14];
	const char *names[] = { "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", NULL };
	const char *texts[] = { "<Types/>", workbook_one, rels_one, strings, sheet };

	snprintf(strings, sizeof(strings), "<?xml version=\"1.0\"?><sst " NS ">%s</sst>", sst);
	snprintf(sheet, sizeof(sheet), "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>%s</sheetData></worksheet>",
		 data);
	return make_zip(names, texts);
}

struct parsed {
	struct budget b;
	struct problem p;
	int rc;
};

static struct parsed *parse_zip(struct zipbuf z)
{
	struct parsed *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	budget_init(&x->b, BUDGET_MAINSTREAM, &chart);
	x->rc = budget_xlsx_parse(z.data, z.len, &limits, &x->b, &x->p);
	free(z.data);
	return x;
}

static void done(struct parsed *x)
{
	budget_clear(&x->b);
	free(x);
}

static void has_error(const struct parsed *x, const char *field, const char *message)
{
	for (size_t i = 0; i < x->p.nerrors; i++)
		if (strcmp(x->p.errors[i].field, field) == 0 &&
		    (message == NULL || strcmp(x->p.errors[i].message, message) == 0))
			return;
	for (size_t i = 0; i < x->p.nerrors; i++)
		fprintf(stderr, "  %s: %s\n", x->p.errors[i].field, x->p.errors[i].message);
	fail_msg("no error %s: %s (detail: %s)", field, message ? message : "(any)", x->p.detail);
}

/* The header in shared strings 0..2 (code, description, amount) on row r. */
#define SST_HEAD "<si><t>code</t></si><si><t>description</t></si><si><t>amount</t></si>"
#define HEAD(r) "<row r=\"" #r "\"><c r=\"A" #r "\" t=\"s\"><v>0</v></c><c r=\"B" #r "\" t=\"s\"><v>1</v></c>" \
	"<c r=\"C" #r "\" t=\"s\"><v>2</v></c></row>"

static void test_basic(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse_zip(book(SST_HEAD "<si><t>GAG</t></si>"
			   /* rich text: runs concatenated, the phonetic run left out */
			   "<si><r><rPr><b/></rPr><t>Teachers</t></r><r><t xml:space=\"preserve\"> \xe2\x80\x99 pay</t></r>"
			   "<rPh sb=\"0\" eb=\"1\"><t>X</t></rPh></si>",
			   HEAD(1)
			   "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>I01</t></is></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
			   "<c r=\"C2\"><v>2318400</v></c></row>"
			   "<row r=\"3\"><c r=\"A3\" t=\"str\"><f>\"E0\"&amp;\"1\"</f><v>E01</v></c><c r=\"B3\" t=\"s\"><v>4</v></c>"
			   "<c r=\"C3\" s=\"1\"><f>1000+234.56</f><v>1234.5600000000001</v></c></row>"
			   /* a gap: column B missing (an empty description) */
			   "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>E16</t></is></c><c r=\"C4\"><v>-4.9999999999999996E-2</v></c></row>"));
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->b.nlines, 3);
	assert_string_equal(x->b.lines[0].code, "I01");
	assert_string_equal(x->b.lines[0].description, "GAG");
	assert_int_equal(x->b.lines[0].amount_pence, 231840000);
	assert_string_equal(x->b.lines[1].code, "E01");
	assert_string_equal(x->b.lines[1].description, "Teachers \xe2\x80\x99 pay");
	assert_int_equal(x->b.lines[1].amount_pence, 123456);
	assert_string_equal(x->b.lines[2].description, "");
	assert_int_equal(x->b.lines[2].amount_pence, -5);
	done(x);
}

/* The export's layout: a title above the header, account/kind/computed columns,
 * computed rows skipped, blank rows skipped, rows named by their sheet row. */
static void test_export_layout(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse_zip(book("<si><t>Budget 2026-27</t></si><si><t>code</t></si><si><t>account</t></si><si><t>kind</t></si>"
			   "<si><t>description</t></si><si><t>amount</t></si><si><t>computed</t></si><si><t>yes</t></si>"
			   "<si><t>no</t></si>",
			   "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
			   "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c><c r=\"C3\" t=\"s\"><v>3</v></c>"
			   "<c r=\"D3\" t=\"s\"><v>4</v></c><c r=\"E3\" t=\"s\"><v>5</v></c><c r=\"F3\" t=\"s\"><v>6</v></c></row>"
			   "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>E01</t></is></c><c r=\"B4\" t=\"inlineStr\"><is><t>Teachers</t></is></c>"
			   "<c r=\"C4\" t=\"inlineStr\"><is><t>expenditure</t></is></c><c r=\"E4\"><v>100</v></c><c r=\"F4\" t=\"s\"><v>8</v></c></row>"
			   "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>INT01</t></is></c><c r=\"E5\"><v>5.5</v></c><c r=\"F5\" t=\"s\"><v>7</v></c></row>"
			   "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  </t></is></c></row>"
			   "<row r=\"7\" spans=\"1:6\"><c r=\"A7\" t=\"inlineStr\"><is><t>E16</t></is></c><c r=\"E7\"><v>1E-3</v></c></row>"
			   "<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>E99</t></is></c><c r=\"E9\" t=\"e\"><v>#DIV/0!</v></c></row>"));
	assert_int_equal(x->rc, -1);
	assert_int_equal(x->p.status, 422);
	assert_int_equal(x->p.nerrors, 3);
	has_error(x, "row 7, amount", "\"0.001\" has more than two decimals");
	has_error(x, "row 9, code", "\"E99\" is not an account code (see GET /api/v1/accounts)");
	has_error(x, "row 9, amount", "\"#DIV/0!\" is not a number");
	done(x);
}

static void test_sheet_choice(void **state)
{
	static const char wb[] = "<workbook " NS "><sheets><sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/>"
		"<sheet name=\"budget\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
	static const char rels[] = "<Relationships " RELS_NS "><Relationship Id=\"rId1\" Type=\"" T_SHEET
		"\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" T_SHEET
		"\" Target=\"/xl/worksheets/sheet2.xml\"/></Relationships>";
	static const char notes[] = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hello</t>"
		"</is></c></row></sheetData></worksheet>";
	static const char budget[] = "<worksheet " NS "><sheetData>"
		"<row r=\"1\"><c t=\"inlineStr\"><is><t>Code</t></is></c><c t=\"inlineStr\"><is><t>Description</t></is></c>"
		"<c t=\"inlineStr\"><is><t>Amount</t></is></c></row>"
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>E01</t></is></c><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>7</v></c></row>"
		"</sheetData></worksheet>";
	const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
				"xl/worksheets/sheet2.xml", NULL };
	const char *texts[] = { wb, rels, notes, budget };
	struct parsed *x;

	(void)state;
	/* "budget" (any case) rather than the first sheet; no shared strings at all; cells without r */
	x = parse_zip(make_zip(names, texts));
	assert_int_equal(x->rc, 0);
	assert_int_equal(x->b.nlines, 1);
	assert_int_equal(x->b.lines[0].amount_pence, 700);
	done(x);
}

static void test_no_header(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse_zip(book("<si><t>code</t></si>", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
			   "<row r=\"21\"><c r=\"A21\"><v>1</v></c></row>"));
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 1", "no header row: none of the first 20 rows of the sheet \"Budget\" names the columns "
		  "code, description and amount");
	done(x);
	/* a header and nothing under it */
	x = parse_zip(book(SST_HEAD, HEAD(2)));
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 3", "the sheet has a header but no lines");
	done(x);
}

static void test_mojibake(void **state)
{
	struct parsed *x;

	(void)state;
	x = parse_zip(book(SST_HEAD "<si><t>GAG at \xc3\x82\xc2\xa3" "5,520</t></si>",
			   HEAD(1) "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>I01</t></is></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
			   "<c r=\"C2\"><v>1</v></c></row>"));
	assert_int_equal(x->p.status, 422);
	has_error(x, "row 2, description", NULL);
	assert_non_null(strstr(x->p.errors[0].message, "looks like text saved in the wrong encoding"));
	done(x);
}

static void test_refusals(void **state)
{
	static const char *const no_wb_names[] = { "word/document.xml", NULL };
	static const char *const no_wb_texts[] = { "<w/>" };
	struct parsed *x;
	struct zipbuf z;

	(void)state;
	/* not a zip */
	z.data = strdup("code,description,amount\n");
	z.len = strlen(z.data);
	x = parse_zip(z);
	assert_int_equal(x->p.status, 415);
	assert_string_equal(x->p.slug, "unsupported-media-type");
	done(x);
	/* a zip, not a workbook */
	x = parse_zip(make_zip(no_wb_names, no_wb_texts));
	assert_int_equal(x->p.status, 422);
	assert_non_null(strstr(x->p.detail, "not an Excel workbook"));
	done(x);
	/* broken XML */
	x = parse_zip(book(SST_HEAD, "<row r=\"1\"><c><v>1</c></row>"));
	assert_int_equal(x->p.status, 400);
	done(x);
	/* a shared string that is not there */
	x = parse_zip(book(SST_HEAD, HEAD(1) "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>99</v></c></row>"));
	assert_int_equal(x->p.status, 400);
	done(x);
	/* rows out of order */
	x = parse_zip(book(SST_HEAD, HEAD(2) "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"));
	assert_int_equal(x->p.status, 400);
	done(x);
	/* a DTD (entity expansion is never reached) */
	x = parse_zip(book(SST_HEAD, HEAD(1)));
	done(x);
	{
		static const char *const n[] = { "xl/workbook.xml", NULL };
		static const char *const t[] = { "<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]><workbook>&a;</workbook>" };

		x = parse_zip(make_zip(n, t));
		assert_int_equal(x->p.status, 400);
		assert_non_null(strstr(x->p.detail, "document type"));
		done(x);
	}
}

static void test_limits(void **state)
{
	char *deep, *big;
	struct parsed *x;
	size_t n = 0;

	(void)state;
	/* nesting past 32 */
	deep = malloc(64 * 9 + 1);
	assert_non_null(deep);
	for (int i = 0; i < 64; i++)
		n += (size_t)sprintf(deep + n, "<is>");
	for (int i = 0; i < 64; i++)
		n += (size_t)sprintf(deep + n, "</is>");
	x = parse_zip(book(SST_HEAD, deep));
	assert_int_equal(x->p.status, 400);
	assert_non_null(strstr(x->p.detail, "nested more than 32 deep"));
	done(x);
	free(deep);
	/* a part that inflates past the limit (a zip bomb: 2 MiB of spaces compress to a few KiB) */
	big = malloc((2 << 20) + 1);
	assert_non_null(big);
	memset(big, ' ', 2 << 20);
	big[2 << 20] = '\0';
	{
		const char *names[] = { "xl/workbook.xml", NULL };
		const char *texts[] = { big };
		struct zipbuf z = make_zip(names, texts);

		assert_true(z.len < 100000);
		x = parse_zip(z);
		assert_int_equal(x->p.status, 413);
		assert_non_null(strstr(x->p.detail, "unpacks to more than 1048576 bytes"));
		done(x);
	}
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_export_layout),
		cmocka_unit_test(test_sheet_choice),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_mojibake),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
