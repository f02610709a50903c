/* budget_csv.c - see budget_csv.h */
#include "budget_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget_rows.h"
#include "budget_sheet.h"
#include "csvcell.h"
#include "sheet_csv.h"
#include "money.h"
#include "textenc.h"
#include "utf8.h"

/* budget_rows fed by sheetrows_csv: the header, then the lines */
static void budget_csv_header(void *arg, struct sheet_row *row)
{
	budget_rows_header(arg, row);
}

static void budget_csv_line(void *arg, struct sheet_row *row)
{
	budget_rows_line(arg, row);
}

static void budget_csv_field(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	budget_rows_field(arg, row, col, buf, len);
}

int budget_csv_parse_as(const char *buf, size_t len, enum textenc declared, struct budget *b,
			struct problem *p, enum textenc *read_as)
{
	struct budget_rows rows;
	/* a record with a field that is not text is reported as that alone (its other
	 * checks would be about the emptied field: "amount: is empty") */
	const struct sheet_csv_reader rd = {
		.header = budget_csv_header, .line = budget_csv_line, .field = budget_csv_field,
		.empty = "the file is empty: it needs a header row (code,description,amount) and a row for each line",
		.header_done = &rows.header_done, .header_bad = &rows.header_bad, .oom = &rows.oom, .arg = &rows,
	};

	budget_rows_init(&rows, b, p, 1);
	if (sheet_csv_read(&rd, buf, len, declared, p, read_as) != 0)
		return -1;
	return budget_rows_finish(&rows, "file");
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
