/*
 * sheet_xlsx.h - one sheet of an XLSX workbook fed to a sheet reader row by row,
 * as the CSV imports feed theirs (sheetrows.h): what the budget, the posts and the
 * pay-scale and on-cost imports share. xlsxread reads the sheet named `sheet` (or
 * else the first); the header is the first row, within the first header_rows, that
 * the reader's is_header accepts; every row after it goes to line; rows are named by
 * their real sheet row. Number cells are read exactly (sheetnum_pounds); a date
 * cell is its date number. In base because xlsxread uses libzip and expat.
 * Thread-safe.
 */
#ifndef BURSAR_SHEET_XLSX_H
#define BURSAR_SHEET_XLSX_H

#include <stddef.h>

#include "problem.h"
#include "sheet_csv.h"
#include "sheetrows.h"
#include "xlsxread.h"

/* The reader's side: its is_header, header, line and oom (sheet_csv.h: the CSV imports' reader;
 * set by the import's module: ledger_sheet_reader ...). */
struct sheet_xlsx_reader {
	const struct sheet_reader *sheet;
	int header_rows;                         /* the header within the first this many rows */
	const char *columns;                     /* "code, description and amount": the header's message */
};

/*
 * Read the workbook buf[0..len) within lim through rd. 0 when a header was found
 * and every row fed (the caller then finishes its reader); otherwise -1 with p
 * set: 415 not a zip, 422 not a workbook or no header row (at "row 1"), 400 a part
 * not XML, 413 past a limit, 500 out of memory.
 */
int sheet_xlsx_read(const void *buf, size_t len, const char *sheet, const struct xlsx_limits *lim,
		    const struct sheet_xlsx_reader *rd, struct problem *p) __attribute__((warn_unused_result));

#endif
