/* staff_xlsx.c - see staff_xlsx.h */
#include "staff_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheetnum.h"

struct sx {
	struct staff_sheet *s;
	int header_found;
};

static void sx_free_row(struct sheet_row *row)
{
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		free(row->cell[i]);
}

static int sx_on_row(void *arg, uint32_t rownum, const struct xlsx_cell *cells, size_t n)
{
	struct sx *sx = arg;
	struct sheet_row row = { .row = rownum };
	char num[64];

	if (!sx->header_found && rownum > STAFF_XLSX_HEADER_ROWS)
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
			sx->s->oom = 1;
			sx_free_row(&row);
			return 1;
		}
	}
	if (!sx->header_found) {
		if (staff_sheet_is_header(sx->s, &row)) {
			sx->header_found = 1;
			staff_sheet_header(sx->s, &row);
		}
	} else {
		staff_sheet_line(sx->s, &row);
	}
	sx_free_row(&row);
	return 0;
}

int staff_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct staff_sheet *s)
{
	struct sx sx = { .s = s };
	struct problem *p = s->p;
	char why[300], sheet[64];
	enum xlsx_status st;

	st = xlsxread_rows(buf, len, s->kind == STAFF_SHEET_SCALES ? STAFF_XLSX_SCALES_SHEET : STAFF_XLSX_RATES_SHEET,
			   lim, sx_on_row, &sx, sheet, sizeof(sheet), why, sizeof(why));
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
	if (!sx.header_found) {
		problem_field(p, "row 1", "no header row: none of the first %d rows of the sheet \"%s\" names the "
			      "columns %s", STAFF_XLSX_HEADER_ROWS, sheet,
			      s->kind == STAFF_SHEET_SCALES ? "scale, year and point" : "tax_year, ni_bp and tps_bp");
		return problem_set(p, 422, "validation", "Validation failed",
				   "the sheet \"%s\" has no header row: nothing was imported", sheet);
	}
	return staff_sheet_finish(s, "sheet");
}
