/* budget_xlsx.c - see budget_xlsx.h */
#include "budget_xlsx.h"

#include "budget_rows.h"
#include "sheet_xlsx.h"

int budget_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct budget *b,
		      struct problem *p)
{
	struct budget_rows rows;
	struct sheet_reader sheet;
	const struct sheet_xlsx_reader rd = {
		.sheet = &sheet, .header_rows = BUDGET_XLSX_HEADER_ROWS, .columns = "code, description and amount",
	};

	budget_rows_init(&rows, b, p, 0);
	budget_rows_reader(&rows, &sheet);
	if (sheet_xlsx_read(buf, len, BUDGET_XLSX_SHEET, lim, &rd, p) != 0)
		return -1;
	return budget_rows_finish(&rows, "sheet");
}
