/*
 * budget_rows.h - the rows of a budget spreadsheet, whatever the file: the header's
 * columns, the checks on each value, and the lines they make. budget_csv.c (CSV over
 * libcsv) and the XLSX import (base/xlsxread.c, api_budgets.c) tokenise their file
 * and feed it here row by row, so both name the same columns the same way and
 * report every problem as "row 14, amount": "\"12.345\" has more than two decimals".
 *
 * Columns, found by their header name (any order, any case; a space or hyphen for
 * the underscore): code, description, amount (required); driver,
 * excluded_from_central, profile (optional: a profile's name, or twelve weights separated by
 * spaces or commas; whether a named one exists the API checks); account, kind (the export's information:
 * read and ignored); computed (yes: a line the finance rules post, skipped). A row
 * whose cells are all empty is a blank row, skipped. A row with computed = yes is
 * skipped whatever else it holds. Pure; thread-safe.
 */
#ifndef BURSAR_BUDGET_ROWS_H
#define BURSAR_BUDGET_ROWS_H

#include <stddef.h>

#include "budget.h"
#include "problem.h"
#include "sheet_csv.h"
#include "sheetrows.h"

#define BUDGET_ROWS_MAX_COLS SHEET_ROWS_MAX_COLS

/* A row as the tokeniser found it: struct sheet_row (sheetrows.h). */

struct budget_rows {
	struct budget *b;
	struct problem *p;
	int ragged;                              /* CSV: a row with fewer fields than needed is an error */
	int colmap[BUDGET_ROWS_MAX_COLS];        /* header column -> column kind, or -1 */
	size_t ncols;                            /* the header's columns */
	size_t header_row;
	size_t need;                             /* fields a row needs: 1 + the last required column */
	int header_done, header_bad;             /* header_bad: rows are not checked */
	int content;                             /* a header or value problem was added (422) */
	int oom, full;                           /* full: BUDGET_MAX_LINES reached (reported once) */
	size_t data_rows, skipped_computed;
};

/* Start: lines go to b (its chart decides the codes), problems to p. ragged: see above. */
void budget_rows_init(struct budget_rows *r, struct budget *b, struct problem *p, int ragged);

/* Whether a row's cells name code, description and amount (finding a sheet's header). */
int budget_rows_is_header(const struct sheet_row *row);

/* The header row: maps the columns; problems as "row 1, column 4". */
void budget_rows_header(struct budget_rows *r, struct sheet_row *row);

/* A data row: skipped when blank or computed, else checked and appended to b. */
void budget_rows_line(struct budget_rows *r, struct sheet_row *row);

/* "row 14, amount" for cell col (0-based) of row once the header maps it, else "row 14, column 3". */
void budget_rows_field(const struct budget_rows *r, size_t row, size_t col, char *buf, size_t len);

/* The reader of r (sheet_csv.h), for the CSV and the XLSX imports. */
void budget_rows_reader(struct budget_rows *r, struct sheet_reader *rd);

/*
 * The end of the file (what: "file", "sheet" in the messages). A header with no
 * row under it is "row <header + 1>": "the file has a header but no lines". Returns 0 when every row was good and there was one line at least;
 * -1 otherwise, with p's status set: 422 validation (or 500 when out of memory),
 * unless the caller set one already.
 */
int budget_rows_finish(struct budget_rows *r, const char *what) __attribute__((warn_unused_result));

/* A value as shown in a message: at most 40 characters (valid UTF-8 in, valid UTF-8
 * out), control characters as '?'. len >= 200. */
const char *budget_rows_show(const char *v, char *buf, size_t len);

#endif
