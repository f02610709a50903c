/* staff_xlsx.c - see staff_xlsx.h */
#include "staff_xlsx.h"

#include "sheet_xlsx.h"

static int sx_is_header(void *arg, const struct sheet_row *row)
{
	return staff_sheet_is_header(arg, row);
}

static void sx_header(void *arg, struct sheet_row *row)
{
	staff_sheet_header(arg, row);
}

static void sx_line(void *arg, struct sheet_row *row)
{
	staff_sheet_line(arg, row);
}

int staff_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct staff_sheet *s)
{
	const struct sheet_xlsx_reader rd = {
		.is_header = sx_is_header, .header = sx_header, .line = sx_line, .oom = &s->oom, .arg = s,
		.header_rows = STAFF_XLSX_HEADER_ROWS,
		.columns = s->kind == STAFF_SHEET_SCALES ? "scale, year and point" : "tax_year, ni_bp and tps_bp",
	};

	if (sheet_xlsx_read(buf, len, s->kind == STAFF_SHEET_SCALES ? STAFF_XLSX_SCALES_SHEET : STAFF_XLSX_RATES_SHEET,
			    lim, &rd, s->p) != 0)
		return -1;
	return staff_sheet_finish(s, "sheet");
}
