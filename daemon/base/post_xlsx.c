/* post_xlsx.c - see post_xlsx.h */
#include "post_xlsx.h"

#include "sheet_xlsx.h"

static int px_is_header(void *arg, const struct sheet_row *row)
{
	return post_sheet_is_header(arg, row);
}

static void px_header(void *arg, struct sheet_row *row)
{
	post_sheet_header(arg, row);
}

static void px_line(void *arg, struct sheet_row *row)
{
	post_sheet_line(arg, row);
}

int post_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct post_sheet *s)
{
	const struct sheet_xlsx_reader rd = {
		.is_header = px_is_header, .header = px_header, .line = px_line, .oom = &s->oom, .arg = s,
		.header_rows = POST_XLSX_HEADER_ROWS, .columns = "reference, title and role",
	};

	if (sheet_xlsx_read(buf, len, POST_XLSX_SHEET, lim, &rd, s->p) != 0)
		return -1;
	return post_sheet_finish(s, "sheet");
}
