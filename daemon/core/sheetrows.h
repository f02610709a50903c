/*
 * sheetrows.h - a CSV file's records as a spreadsheet shows them, for every CSV
 * import (through sheet_csv_read: a budget's lines, the ledger, posts, pay scales
 * and on-cost rates): the encoding, the structure, and each record's cells with its
 * row number. The import's own module checks the cells (budget_rows.c,
 * ledger_sheet.c, post_sheet.c, staff_sheet.c).
 *
 * Rows are counted as a spreadsheet shows them: the header is row 1 (blank lines
 * count; a quoted field with line breaks is still one row). Encodings: a UTF-8
 * BOM means UTF-8, whatever was declared (as browsers decode); else the declared
 * charset (textenc.h: Windows-1252 and its aliases are transcoded); else UTF-8,
 * or Windows-1252 when the bytes are not UTF-8 and can be it (Excel's "CSV
 * (Comma delimited)"). The structure (quoting, line ends) is parsed by libcsv.
 * Pure; thread-safe.
 */
#ifndef BURSAR_SHEETROWS_H
#define BURSAR_SHEETROWS_H

#include <stddef.h>

#include "problem.h"
#include "textenc.h"

#define SHEET_ROWS_MAX_COLS 64

/* One row as the tokeniser (CSV here, XLSX in base/xlsxread.c) found it. */
struct sheet_row {
	size_t row;                              /* its spreadsheet row number */
	size_t n;                                /* cells (CSV: fields) in the row, even past the max */
	char *cell[SHEET_ROWS_MAX_COLS];         /* the first min(n, max); NULL: empty. Valid UTF-8;
						    the reader may trim them in place */
	size_t beyond;                           /* 1-based column of the first non-blank cell at or
						    past SHEET_ROWS_MAX_COLS; 0: none */
};

struct sheetrows_csv_ops {
	/* Each record (a blank line is no record). not_text: a field of it was not
	 * text (reported already, the field emptied; the file will be refused). */
	void (*record)(void *arg, struct sheet_row *row, int not_text);
	/* The name of field col (0-based) of row in messages: "row 14, amount" (NULL:
	 * "row 14, column 3"). */
	void (*field)(void *arg, size_t row, size_t col, char *buf, size_t len);
	/* The message (at "row 1") for a file with no record: what it needs. */
	const char *empty;
};

/*
 * Read buf[0..len) in the encoding as above (declared: the request's charset,
 * TEXTENC_NONE when none), calling ops->record for each record. *read_as (may be
 * NULL) gets TEXTENC_CP1252 when the text was transcoded, else TEXTENC_UTF8.
 * Returns 0 when the file was read as CSV (the records' checks are the caller's),
 * or -1 with p's status set: 400 bad-request when it cannot be read as CSV (not
 * text, broken quoting, no record), 500 when out of memory.
 */
int sheetrows_csv(const char *buf, size_t len, enum textenc declared, const struct sheetrows_csv_ops *ops,
		  void *arg, struct problem *p, enum textenc *read_as) __attribute__((warn_unused_result));

#endif
