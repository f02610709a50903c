/* budget_xlsx.c - see budget_xlsx.h */
#include "budget_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget_rows.h"
#include "sheetnum.h"

struct bx {
	struct budget_rows rows;
	struct problem *p;
	int header_found;
	uint32_t last_row;
};

static void bx_free_row(struct sheet_row *row)
{
	for (size_t i = 0; i < row->n && i < BUDGET_ROWS_MAX_COLS; i++)
		free(row->cell[i]);
}

static int bx_on_row(void *arg, uint32_t rownum, const struct xlsx_cell *cells, size_t n)
{
	struct bx *bx = arg;
	struct sheet_row row = { .row = rownum };
	char num[64];

	bx->last_row = rownum;
	if (!bx->header_found && rownum > BUDGET_XLSX_HEADER_ROWS)
		return 1;                        /* no header: stop reading */
	row.n = n > 0 ? (size_t)cells[n - 1].col + 1 : 0;
	for (size_t i = 0; i < n; i++) {
		const char *text = cells[i].text;
		size_t c = cells[i].col;

		if (cells[i].type == XLSX_NUMBER && sheetnum_pounds(text, num, sizeof(num)) == 0)
			text = num;
		if (c >= BUDGET_ROWS_MAX_COLS) {
			if (row.beyond == 0 && text[strspn(text, " \t")] != '\0')
				row.beyond = c + 1;
			continue;
		}
		if ((row.cell[c] = strdup(text)) == NULL) {
			bx->rows.oom = 1;
			bx_free_row(&row);
			return 1;
		}
	}
	if (!bx->header_found) {
		if (budget_rows_is_header(&row)) {
			bx->header_found = 1;
			budget_rows_header(&bx->rows, &row);
		}
	} else {
		budget_rows_line(&bx->rows, &row);
	}
	bx_free_row(&row);
	return 0;
}

int budget_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct budget *b,
		      struct problem *p)
{
	struct bx bx = { .p = p };
	char why[300], sheet[64];
	enum xlsx_status st;

	budget_rows_init(&bx.rows, b, p, 0);
	st = xlsxread_rows(buf, len, BUDGET_XLSX_SHEET, lim, bx_on_row, &bx, sheet, sizeof(sheet), why, sizeof(why));
	if (bx.rows.oom || st == XLSX_NOMEM)
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
		return problem_set(p, 413, "payload-too-large", "Payload too large",
				   "%s: nothing was imported", why);
	case XLSX_NOMEM:
		return problem_internal(p);
	}
	if (!bx.header_found) {
		problem_field(p, "row 1", "no header row: none of the first %d rows of the sheet \"%s\" names the "
			      "columns code, description and amount", BUDGET_XLSX_HEADER_ROWS, sheet);
		return problem_set(p, 422, "validation", "Validation failed",
				   "the sheet \"%s\" has no header row: nothing was imported", sheet);
	}
	return budget_rows_finish(&bx.rows, "sheet");
}
