/* sheet_xlsx.c - see sheet_xlsx.h */
#include "sheet_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheetnum.h"

struct sheet_xlsx {
	const struct sheet_xlsx_reader *rd;
	int header_found;
};

static void sheet_xlsx_free_row(struct sheet_row *row)
{
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		free(row->cell[i]);
}

static int sheet_xlsx_on_row(void *arg, uint32_t rownum, const struct xlsx_cell *cells, size_t n)
{
	struct sheet_xlsx *sx = arg;
	const struct sheet_xlsx_reader *rd = sx->rd;
	struct sheet_row row = { .row = rownum };
	char num[64];

	if (!sx->header_found && rownum > (uint32_t)rd->header_rows)
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
			*rd->sheet->oom = 1;
			sheet_xlsx_free_row(&row);
			return 1;
		}
	}
	if (!sx->header_found) {
		if (rd->sheet->is_header(rd->sheet->arg, &row)) {
			sx->header_found = 1;
			rd->sheet->header(rd->sheet->arg, &row);
		}
	} else {
		rd->sheet->line(rd->sheet->arg, &row);
	}
	sheet_xlsx_free_row(&row);
	return 0;
}

int sheet_xlsx_read(const void *buf, size_t len, const char *sheet_name, const struct xlsx_limits *lim,
		    const struct sheet_xlsx_reader *rd, struct problem *p)
{
	struct sheet_xlsx sx = { .rd = rd };
	char why[300], sheet[64];
	enum xlsx_status st;

	st = xlsxread_rows(buf, len, sheet_name, lim, sheet_xlsx_on_row, &sx, sheet, sizeof(sheet), why, sizeof(why));
	if (*rd->sheet->oom || st == XLSX_NOMEM)
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
			      "columns %s", rd->header_rows, sheet, rd->columns);
		return problem_set(p, 422, "validation", "Validation failed",
				   "the sheet \"%s\" has no header row: nothing was imported", sheet);
	}
	return 0;
}
