/* post_xlsx.c - see post_xlsx.h */
#include "post_xlsx.h"

#include "sheet_xlsx.h"

int post_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct post_sheet *s)
{
	struct sheet_reader sheet;
	const struct sheet_xlsx_reader rd = {
		.sheet = &sheet, .header_rows = POST_XLSX_HEADER_ROWS, .columns = "reference, title and role",
	};

	post_sheet_reader(s, &sheet);
	if (sheet_xlsx_read(buf, len, POST_XLSX_SHEET, lim, &rd, s->p) != 0)
		return -1;
	return post_sheet_finish(s, "sheet");
}
