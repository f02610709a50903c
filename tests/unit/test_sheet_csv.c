/* test_sheet_csv.c - unit tests for daemon/core/sheet_csv.c: a small reader of its own (columns
 * code, amount, note; "value" another name for amount) fed hand-written CSV files: quoting, CRLF,
 * a BOM, a short row, an empty file; the header's problems; the helpers alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet_csv.h"

enum { TC_CODE, TC_AMOUNT, TC_NOTE, TC__N };

static const struct { const char *name; int required; } tcols[TC__N] = {
	[TC_CODE] = { "code", 1 }, [TC_AMOUNT] = { "amount", 1 }, [TC_NOTE] = { "note", 0 },
};
static const struct sheet_csv_alias taliases[] = { { "value", TC_AMOUNT }, { NULL, 0 } };
static const struct sheet_csv_cols strict = { tcols, TC__N, sizeof(tcols[0]), taliases, "code, amount, note" };
static const struct sheet_csv_cols lenient = { tcols, TC__N, sizeof(tcols[0]), taliases, NULL };

/* The reader: each good row's cells joined "code|amount|note@row". */
struct treader {
	const struct sheet_csv_cols *cols;
	struct problem *p;
	int colmap[SHEET_ROWS_MAX_COLS];
	size_t ncols;
	int header_done, header_bad, oom;
	char (*rows)[64];
	size_t n, cap;
};

static struct problem p;

static void t_header(void *arg, struct sheet_row *row)
{
	struct treader *t = arg;
	int have[TC__N] = { 0 };

	t->header_done = 1;
	if (sheet_csv_header(t->cols, row, t->colmap, &t->ncols, have, t->p))
		t->header_bad = 1;
	for (int k = 0; k < TC__N; k++)
		if (tcols[k].required && !have[k]) {
			problem_field(t->p, "row 1", "no %s", tcols[k].name);
			t->header_bad = 1;
		}
}

static void t_line(void *arg, struct sheet_row *row)
{
	struct treader *t = arg;
	const char *text[TC__N] = { "", "", "" };
	void *q;

	if (sheet_csv_blank(row) || t->header_bad)
		return;
	for (size_t i = 0; i < t->ncols && i < row->n; i++)
		if (t->colmap[i] >= 0)
			text[t->colmap[i]] = sheet_csv_trim(row->cell[i]);
	if ((q = sheet_csv_grow(t->rows, t->n, &t->cap, sizeof(*t->rows), 1)) == NULL) {
		t->oom = 1;
		return;
	}
	t->rows = q;
	snprintf(t->rows[t->n++], sizeof(*t->rows), "%s|%s|%s@%zu", text[TC_CODE], text[TC_AMOUNT], text[TC_NOTE],
		 row->row);
}

static void t_field(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	const struct treader *t = arg;

	sheet_csv_field(t->cols, t->colmap, t->ncols, row, col, buf, len);
}

/* Read csv[0..len) as the reader with cols: sheet_csv_read, then sheet_csv_finish. */
static int read_csv(const char *csv, size_t len, const struct sheet_csv_cols *cols, struct treader *t,
		    enum textenc *read_as)
{
	const struct sheet_reader rd = {
		.header = t_header, .line = t_line, .field = t_field, .empty = "needs a header",
		.header_done = &t->header_done, .header_bad = &t->header_bad, .oom = &t->oom, .arg = t,
	};

	problem_reset(&p);
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->p = &p;
	if (sheet_csv_read(&rd, csv, len, TEXTENC_NONE, &p, read_as) != 0)
		return -1;
	return sheet_csv_finish(&p, t->oom, t->n, "file");
}

static const char *field_message(const char *f)
{
	for (size_t i = 0; i < p.nerrors; i++)
		if (strcmp(p.errors[i].field, f) == 0)
			return p.errors[i].message;
	return NULL;
}

static void test_quoting_crlf(void **state)
{
	/* quoted commas, a doubled quote, a line break inside quotes (still one row: the next is row 4),
	 * CRLF line ends, the header in another case and order, another name, a blank row skipped */
	static const char csv[] =
		"Note, VALUE ,Code\r\n"
		"\"a, b\",12.50,C1\r\n"
		"\"say \"\"hi\"\"\nthere\",1,C2\r\n"
		" , ,\r\n"
		"x,3, C3 \r\n";
	struct treader t;
	enum textenc as;

	(void)state;
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &strict, &t, &as), 0);
	assert_int_equal(as, TEXTENC_UTF8);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.rows[0], "C1|12.50|a, b@2");
	assert_string_equal(t.rows[1], "C2|1|say \"hi\"\nthere@3");
	assert_string_equal(t.rows[2], "C3|3|x@5");
	free(t.rows);
}

static void test_bom(void **state)
{
	/* a UTF-8 BOM: not part of the first header ("code" still found); LF line ends */
	static const char csv[] = "\xEF\xBB\xBF" "code,amount\nC1,\xC2\xA3" "5\n";
	struct treader t;

	(void)state;
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &strict, &t, NULL), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.rows[0], "C1|\xC2\xA3" "5|@2");
	free(t.rows);
}

static void test_short_row(void **state)
{
	/* a row with fewer fields than the header: the missing cells are empty, the field past the
	 * header's last column named by its number */
	static const char csv[] = "code,amount,note\nC1\nC2,2,n,extra\n";
	struct treader t;
	char f[48];

	(void)state;
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &strict, &t, NULL), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.rows[0], "C1||@2");
	assert_string_equal(t.rows[1], "C2|2|n@3");
	t_field(&t, 3, 1, f, sizeof(f));
	assert_string_equal(f, "row 3, amount");
	t_field(&t, 3, 3, f, sizeof(f));
	assert_string_equal(f, "row 3, column 4");
	free(t.rows);
}

static void test_empty(void **state)
{
	struct treader t;

	(void)state;
	/* no byte at all, and a BOM alone: 400, the reader's message at row 1 */
	assert_int_equal(read_csv("", 0, &strict, &t, NULL), -1);
	assert_int_equal(p.status, 400);
	assert_string_equal(field_message("row 1"), "needs a header");
	assert_int_equal(read_csv("\xEF\xBB\xBF", 3, &strict, &t, NULL), -1);
	assert_int_equal(p.status, 400);
	/* a header and nothing under it: 422 at row 2 */
	assert_int_equal(read_csv("code,amount\r\n", 13, &strict, &t, NULL), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_message("row 2"), "the file has a header but no rows");
	assert_string_equal(p.detail, "the file has errors: nothing was imported");
}

static void test_header_problems(void **state)
{
	static const char csv[] = "code,Amount,value,colour\n1,2,3,4\n";
	struct treader t;

	(void)state;
	/* strict: a column named twice (by its other name too) and an unknown one; no row read */
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &strict, &t, NULL), -1);
	assert_int_equal(p.status, 422);
	assert_int_equal(p.nerrors, 2);
	assert_string_equal(field_message("row 1, column 3"), "amount is named twice");
	assert_string_equal(field_message("row 1, column 4"), "names no column: the columns are code, amount, note");
	assert_int_equal(t.n, 0);
	/* lenient: the unknown column ignored, the duplicate still a problem */
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &lenient, &t, NULL), -1);
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(field_message("row 1, column 3"), "amount is named twice");
}

static void test_not_text(void **state)
{
	/* a header field that is not UTF-8 (and cannot be Windows-1252: 0x81): 400, named by number */
	static const char csv[] = "code,am\x81ount\nC1,1\n";
	struct treader t;

	(void)state;
	assert_int_equal(read_csv(csv, sizeof(csv) - 1, &strict, &t, NULL), -1);
	assert_int_equal(p.status, 400);
	assert_non_null(field_message("row 1, column 2"));
	assert_int_equal(t.header_done, 1);
	assert_int_equal(t.header_bad, 1);
	assert_int_equal(t.n, 0);
}

static void test_helpers(void **state)
{
	char a[] = " \tCost  \t", b[] = "   ";
	struct sheet_row row = { .row = 7, .n = 3 };
	int seen[TC__N] = { 0 };
	char c0[] = " Value ", c1[] = "NOTE", c2[80];

	(void)state;
	assert_string_equal(sheet_csv_trim(a), "Cost");
	assert_string_equal(sheet_csv_trim(b), "");
	assert_string_equal(sheet_csv_trim(NULL), "");
	assert_int_equal(sheet_csv_column(&strict, "Code"), TC_CODE);
	assert_int_equal(sheet_csv_column(&strict, "value"), TC_AMOUNT);
	assert_int_equal(sheet_csv_column(&strict, "no-te"), -1);
	assert_string_equal(sheet_csv_name(&strict, TC_NOTE), "note");
	/* a 64-byte cell names no column, whatever it holds */
	memset(c2, ' ', 70);
	memcpy(c2, "code", 4);
	c2[70] = '\0';
	row.cell[0] = c0;
	row.cell[1] = c1;
	row.cell[2] = c2;
	sheet_csv_seen(&strict, &row, seen);
	assert_int_equal(seen[TC_CODE], 0);
	assert_int_equal(seen[TC_AMOUNT], 1);
	assert_int_equal(seen[TC_NOTE], 1);
	assert_string_equal(c0, " Value ");                 /* left as it was */
	/* blank: spaces only, and nothing past the last column */
	row.cell[0] = b;
	row.cell[1] = NULL;
	row.cell[2] = NULL;
	assert_int_equal(sheet_csv_blank(&row), 1);
	row.beyond = 70;
	assert_int_equal(sheet_csv_blank(&row), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_short_row),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_header_problems),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
