/* budget_csv.c - see budget_csv.h */
#include "budget_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget_rows.h"
#include "budget_sheet.h"
#include "csvcell.h"
#include "sheetrows.h"
#include "money.h"
#include "textenc.h"
#include "utf8.h"

/* budget_rows fed by sheetrows_csv: the header, then the lines */
static void budget_csv_record(void *arg, struct sheet_row *row, int not_text)
{
	struct budget_rows *r = arg;

	/* a record with a field that is not text is reported as that alone (its other
	 * checks would be about the emptied field: "amount: is empty") */
	if (!not_text) {
		if (!r->header_done)
			budget_rows_header(r, row);
		else
			budget_rows_line(r, row);
	} else if (!r->header_done) {
		r->header_done = r->header_bad = 1;
	}
}

/* "row 14, amount" or "row 14, column 6" for the field at 0-based index col. */
static void budget_csv_field(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	static const char *const names[] = { "code", "description", "amount", "driver",
					     "excluded_from_central", "account", "kind", "computed", "profile" };
	const struct budget_rows *r = arg;

	if (r->header_done && col < r->ncols && r->colmap[col] >= 0 &&
	    (size_t)r->colmap[col] < sizeof(names) / sizeof(names[0]))
		snprintf(buf, len, "row %zu, %s", row, names[r->colmap[col]]);
	else
		snprintf(buf, len, "row %zu, column %zu", row, col + 1);
}

static const struct sheetrows_csv_ops budget_csv_ops = {
	.record = budget_csv_record, .field = budget_csv_field,
	.empty = "the file is empty: it needs a header row (code,description,amount) and a row for each line",
};

int budget_csv_parse_as(const char *buf, size_t len, enum textenc declared, struct budget *b,
			struct problem *p, enum textenc *read_as)
{
	struct budget_rows rows;
	int rc;

	budget_rows_init(&rows, b, p, 1);
	rc = sheetrows_csv(buf, len, declared, &budget_csv_ops, &rows, p, read_as);
	if (rows.oom)
		return problem_internal(p);
	return rc != 0 ? -1 : budget_rows_finish(&rows, "file");
}

int budget_csv_parse(const char *buf, size_t len, struct budget *b, struct problem *p)
{
	return budget_csv_parse_as(buf, len, TEXTENC_NONE, b, p, NULL);
}

/* ---- writing ---- */

int budget_csv_write(const struct budget *b, const char *const *names, char **out, size_t *len)
{
	struct table t;
	struct table_csv_buf o;

	table_csv_buf_init(&t, &o);
	budget_sheet_lines(&t, b, names);
	if (table_finish(&t) != 0) {
		free(o.buf);
		return -1;
	}
	*out = o.buf;
	*len = o.len;
	return 0;
}
