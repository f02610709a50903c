/* post_xlsx.c - see post_xlsx.h */
#include "post_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheetnum.h"

struct px {
	struct post_sheet *s;
	int header_found;
};

static void px_free_row(struct sheet_row *row)
{
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		free(row->cell[i]);
}

static int px_on_row(void *arg, uint32_t rownum, const struct xlsx_cell *cells, size_t n)
{
	struct px *px = arg;
	struct sheet_row row = { .row = rownum };
	char num[64];

	if (!px->header_found && rownum > POST_XLSX_HEADER_ROWS)
		return 1;                        /* no header: stop reading */
	row.n = n > 0 ? (size_t)cells[n - 1].col + 1 : 0;
	for (size_t i = 0; i < n; i++) {
		const char *text = cells[i].text;
		size_t c = cells[i].col;

		if (cells[i].type == XLSX_NUMBER && sheetnum_pounds(text, num, sizeof(num)) == 0)
			text = num;
		if (c >= SHEET_ROWS_MAX_COLS) {
			if (row.beyond == 0 && text[strspn(text, " \t")] != '\0')
				row.beyond = c + 1;
			continue;
		}
		if ((row.cell[c] = strdup(text)) == NULL) {
			px->s->oom = 1;
			px_free_row(&row);
			return 1;
		}
	}
	if (!px->header_found) {
		if (post_sheet_is_header(px->s, &row)) {
			px->header_found = 1;
			post_sheet_header(px->s, &row);
		}
	} else {
		post_sheet_line(px->s, &row);
	}
	px_free_row(&row);
	return 0;
}

int post_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct post_sheet *s)
{
	struct px px = { .s = s };
	struct problem *p = s->p;
	char why[300], sheet[64];
	enum xlsx_status st;

	st = xlsxread_rows(buf, len, POST_XLSX_SHEET, lim, px_on_row, &px, sheet, sizeof(sheet), why, sizeof(why));
	if (s->oom || st == XLSX_NOMEM)
		return problem_internal(p);
	switch (st) {
	case XLSX_OK:
	case XLSX_STOPPED:
		break;
	case XLSX_NOT_ZIP:
		return problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
				   "%s: nothing was imported", why);
	case XLSX_NOT_WORKBOOK:
		return problem_set(p, 422, "validation", "Validation failed", "%s: nothing was imported", why);
	case XLSX_MALFORMED:
		return problem_set(p, 400, "bad-request", "Bad request",
				   "the workbook cannot be read (%s): nothing was imported", why);
	case XLSX_TOO_BIG:
		return problem_set(p, 413, "payload-too-large", "Payload too large", "%s: nothing was imported", why);
	case XLSX_NOMEM:
		return problem_internal(p);
	}
	if (!px.header_found) {
		problem_field(p, "row 1", "no header row: none of the first %d rows of the sheet \"%s\" names the "
			      "columns reference, title and role", POST_XLSX_HEADER_ROWS, sheet);
		return problem_set(p, 422, "validation", "Validation failed",
				   "the sheet \"%s\" has no header row: nothing was imported", sheet);
	}
	return post_sheet_finish(s, "sheet");
}
