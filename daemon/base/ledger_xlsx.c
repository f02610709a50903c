/* ledger_xlsx.c - see ledger_xlsx.h */
#include "ledger_xlsx.h"

#include "sheet_xlsx.h"

int ledger_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct ledger_sheet *s)
{
	struct sheet_reader sheet;
	const struct sheet_xlsx_reader rd = {
		.sheet = &sheet, .header_rows = LEDGER_XLSX_HEADER_ROWS, .columns = "nominal, cost_centre, period and amount",
	};

	ledger_sheet_reader(s, &sheet);
	if (sheet_xlsx_read(buf, len, LEDGER_XLSX_SHEET, lim, &rd, s->p) != 0)
		return -1;
	return ledger_sheet_finish(s, "sheet");
}
