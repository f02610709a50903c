/* budget_xlsx.c - see budget_xlsx.h */
#include "budget_xlsx.h"

#include "budget_rows.h"
#include "sheet_xlsx.h"

static int bx_is_header(void *arg, const struct sheet_row *row)
{
	(void)arg;
	return budget_rows_is_header(row);
}

static void bx_header(void *arg, struct sheet_row *row)
{
	budget_rows_header(arg, row);
}

static void bx_line(void *arg, struct sheet_row *row)
{
	budget_rows_line(arg, row);
}

int budget_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct budget *b,
		      struct problem *p)
{
	struct budget_rows rows;
	const struct sheet_xlsx_reader rd = {
		.is_header = bx_is_header, .header = bx_header, .line = bx_line, .oom = &rows.oom, .arg = &rows,
		.header_rows = BUDGET_XLSX_HEADER_ROWS, .columns = "code, description and amount",
	};

	budget_rows_init(&rows, b, p, 0);
	if (sheet_xlsx_read(buf, len, BUDGET_XLSX_SHEET, lim, &rd, p) != 0)
		return -1;
	return budget_rows_finish(&rows, "sheet");
}
