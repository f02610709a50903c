/*
 * ledger_sheet.h - a ledger export's rows (issue 17: the trust's finance system exports its
 * actuals or commitments as a spreadsheet), whatever the file: the columns, the checks on each
 * value, the rows as read. The CSV import (sheet_csv.h) and the XLSX import (base/ledger_xlsx.c)
 * feed it row by row, so both report every problem as "row 14, nominal". Whether a code is
 * mapped (store_ledger.h) is the caller's check, with the same row names.
 *
 * Columns, found by name in the header row (any order, any case, spaces or hyphens for the
 * underscore): nominal (also "nominal code", "nominal_code", "account"), cost_centre ("cost
 * centre", "cost center", "cost_center"), period, amount; all four required, each once. Any other
 * column (description, date, reference ...) is ignored. Values, trimmed of spaces:
 *   nominal, cost_centre: 1 to 20 characters (LEDGER_SHEET_CODE_MAX);
 *   period: the period of the academic year `year`, 1..12 (P1 = September; "P1", "P01", "01"
 *     also), or a calendar month "YYYY-MM", or a date "YYYY-MM-DD", or a spreadsheet's date
 *     number (days since 1899-12-30, 367 or more): the month must fall inside `year`;
 *   amount: pounds as people type them (money_parse_pounds: "1234.56", "-12.5", "(1,234.00)",
 *     "£1,234.00"), exactly, as the file signs it (the caller applies signs=ledger|natural).
 * A row whose cells are all empty is skipped; at most LEDGER_SHEET_MAX_ROWS rows. Pure; thread-safe.
 */
#ifndef BURSAR_LEDGER_SHEET_H
#define BURSAR_LEDGER_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"
#include "sheet_csv.h"
#include "sheetrows.h"
#include "textenc.h"

#define LEDGER_SHEET_MAX_ROWS 250000
#define LEDGER_SHEET_CODE_MAX 20

/* A good row as read. */
struct ledger_row {
	size_t row;                              /* its spreadsheet row number */
	char nominal[LEDGER_SHEET_CODE_MAX + 1];
	char cost_centre[LEDGER_SHEET_CODE_MAX + 1];
	int month;                               /* 1..12 of the sheet's year */
	int64_t amount;                          /* pence, as the file signs it */
};

enum { LEDGER_COL_NOMINAL, LEDGER_COL_COST_CENTRE, LEDGER_COL_PERIOD, LEDGER_COL_AMOUNT, LEDGER_COL__N };

struct ledger_sheet {
	struct problem *p;
	int year;                                /* the academic year the periods are of (2026) */
	int colmap[SHEET_ROWS_MAX_COLS];         /* header column -> LEDGER_COL_*, or -1 (ignored) */
	size_t ncols;
	int header_done, header_bad, oom, full;
	size_t bad_rows;                         /* rows with an error */
	struct ledger_row *rows;                 /* the good rows [n] */
	size_t n, cap;
};

void ledger_sheet_init(struct ledger_sheet *s, int year, struct problem *p);
void ledger_sheet_free(struct ledger_sheet *s);

/* Whether a row names the four columns (finding an XLSX sheet's header). */
int ledger_sheet_is_header(const struct ledger_sheet *s, const struct sheet_row *row);
void ledger_sheet_header(struct ledger_sheet *s, struct sheet_row *row);
void ledger_sheet_line(struct ledger_sheet *s, struct sheet_row *row);
/* "row 14, amount" (or "row 14, column 3" before the header or for an ignored column). */
void ledger_sheet_field(const struct ledger_sheet *s, size_t row, size_t col, char *buf, size_t len);

/* The end (what: "file", "sheet"): 0 when every row was good and there was one at least; -1
 * with p's status set (422, or 500 when out of memory). The good rows stay in s->rows either
 * way (the caller may check them further to report every bad row at once). */
int ledger_sheet_finish(struct ledger_sheet *s, const char *what) __attribute__((warn_unused_result));

/* The reader of s (sheet_csv.h), for the CSV and the XLSX imports. */
void ledger_sheet_reader(struct ledger_sheet *s, struct sheet_reader *rd);

/* A CSV file (sheet_csv_read over sheetrows_csv) into s: 0, or -1 (400 not CSV, 422 values, 500). */
int ledger_sheet_csv(const char *buf, size_t len, enum textenc declared, struct ledger_sheet *s,
		     enum textenc *read_as) __attribute__((warn_unused_result));

/* The period text of a cell (as above) as month 1..12 of year: 0, or -1 with why set. */
int ledger_sheet_period(const char *cell, int year, int *month, char *why, size_t whylen)
	__attribute__((warn_unused_result));

#endif
