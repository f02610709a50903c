/* staff_xlsx.c - see staff_xlsx.h */
#include "staff_xlsx.h"

#include "sheet_xlsx.h"

int staff_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct staff_sheet *s)
{
	struct sheet_reader sheet;
	const struct sheet_xlsx_reader rd = {
		.sheet = &sheet, .header_rows = STAFF_XLSX_HEADER_ROWS,
		.columns = s->kind == STAFF_SHEET_SCALES ? "scale, year and point" : "tax_year, ni_bp and tps_bp",
	};

	staff_sheet_reader(s, &sheet);
	if (sheet_xlsx_read(buf, len, s->kind == STAFF_SHEET_SCALES ? STAFF_XLSX_SCALES_SHEET : STAFF_XLSX_RATES_SHEET,
			    lim, &rd, s->p) != 0)
		return -1;
	return staff_sheet_finish(s, "sheet");
}
