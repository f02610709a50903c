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

int budget_csv_parse_as(const char *buf, size_t len, enum textenc declared, struct budget *b,
			struct problem *p, enum textenc *read_as)
{
	struct budget_rows rows;
	struct sheet_reader rd;

	budget_rows_init(&rows, b, p, 1);
	budget_rows_reader(&rows, &rd);
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
