/* ledger_xlsx.c - see ledger_xlsx.h */
#include "ledger_xlsx.h"

#include "sheet_xlsx.h"

static int lx_is_header(void *arg, const struct sheet_row *row)
{
	return ledger_sheet_is_header(arg, row);
}

static void lx_header(void *arg, struct sheet_row *row)
{
	ledger_sheet_header(arg, row);
}

static void lx_line(void *arg, struct sheet_row *row)
{
	ledger_sheet_line(arg, row);
}

int ledger_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct ledger_sheet *s)
{
	const struct sheet_xlsx_reader rd = {
		.is_header = lx_is_header, .header = lx_header, .line = lx_line, .oom = &s->oom, .arg = s,
		.header_rows = LEDGER_XLSX_HEADER_ROWS, .columns = "nominal, cost_centre, period and amount",
	};

	if (sheet_xlsx_read(buf, len, LEDGER_XLSX_SHEET, lim, &rd, s->p) != 0)
		return -1;
	return ledger_sheet_finish(s, "sheet");
}
