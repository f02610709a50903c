/*
 * staff_sheet.h - the pay scales' and the on-cost rates' spreadsheets (issue 16),
 * whatever the file: the header's columns, the checks on each value, and the rows
 * they make. The CSV import (sheet_csv.h) and the XLSX import (base/staff_xlsx.c)
 * feed it row by row, so both report every problem as "row 14, annual".
 *
 * Pay scales: scale, kind, area, year, point, ord, annual. scale, year, point, ord
 * and annual are required; kind (teacher, support) and area (england, fringe,
 * outer_london, inner_london) may be empty (a new scale needs its kind: the
 * caller checks against the store). annual is pounds as people type them
 * (1234.56, 1,234.56, £1234.56), from £0 to £1m.
 * On-cost rates: tax_year, ni_bp, ni_threshold, ni_upper, tps_bp, levy_bp,
 * levy_allowance, employment_allowance, every one required; basis points as
 * integers (0 to 10000), the rest pounds (£0 to £10m); ni_upper not below
 * ni_threshold; a tax year once.
 *
 * Columns are found by their header name (any order, any case; a space or hyphen
 * for the underscore); a header cell naming no column is an error, as is a
 * missing required column. A row whose cells are all empty is skipped. Years are
 * written 2026-27. The export writes these headers, so an export imports back.
 * Pure; thread-safe.
 */
#ifndef BURSAR_STAFF_SHEET_H
#define BURSAR_STAFF_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"
#include "sheet_csv.h"
#include "sheetrows.h"
#include "staff_input.h"
#include "textenc.h"

#define STAFF_SHEET_MAX_ROWS 20000
#define STAFF_SHEET_PENCE_MAX INT64_C(1000000000)   /* £10m: rates' thresholds and allowances */

enum staff_sheet_kind { STAFF_SHEET_SCALES, STAFF_SHEET_RATES };

/* A row of a pay scales sheet. */
struct staff_sheet_point {
	size_t row;
	char scale[STAFF_INPUT_SCALE_MAX + 1];
	char kind[8];                            /* "" when empty */
	char area[16];                           /* "" when empty */
	char point[9];
	int year;
	int32_t ord;
	int64_t annual_pence;
};

/* A row of a rates sheet. */
struct staff_sheet_rates {
	size_t row;
	int tax_year;
	int32_t ni_bp, tps_bp, levy_bp;
	int64_t ni_threshold_pence, ni_upper_pence, levy_allowance_pence, employment_allowance_pence;
};

struct staff_sheet {
	enum staff_sheet_kind kind;
	struct problem *p;
	int colmap[SHEET_ROWS_MAX_COLS];         /* header column -> column, or -1 */
	size_t ncols;
	int header_done, header_bad, oom, full;
	struct staff_sheet_point *points;        /* STAFF_SHEET_SCALES: [n] */
	struct staff_sheet_rates *rates;         /* STAFF_SHEET_RATES: [n] */
	size_t n, cap;
};

void staff_sheet_init(struct staff_sheet *s, enum staff_sheet_kind kind, struct problem *p);
void staff_sheet_free(struct staff_sheet *s);                 /* the rows; s may be reused after init */

/* Whether a row's cells name the sheet's first three required columns (finding an XLSX sheet's header). */
int staff_sheet_is_header(const struct staff_sheet *s, const struct sheet_row *row);
void staff_sheet_header(struct staff_sheet *s, struct sheet_row *row);
void staff_sheet_line(struct staff_sheet *s, struct sheet_row *row);
/* "row 14, annual" (or "row 14, column 3" before the header or for an unknown column). */
void staff_sheet_field(const struct staff_sheet *s, size_t row, size_t col, char *buf, size_t len);

/* The end (what: "file", "sheet"): 0 when every row was good and there was one at
 * least; -1 with p's status set (422, or 500 when out of memory). */
int staff_sheet_finish(struct staff_sheet *s, const char *what) __attribute__((warn_unused_result));

/* The reader of s (sheet_csv.h), for the CSV and the XLSX imports. */
void staff_sheet_reader(struct staff_sheet *s, struct sheet_reader *rd);

/* A CSV file (sheet_csv_read over sheetrows_csv) into s: 0, or -1 (400 not CSV, 422 values, 500). */
int staff_sheet_csv(const char *buf, size_t len, enum textenc declared, struct staff_sheet *s,
		    enum textenc *read_as) __attribute__((warn_unused_result));

#endif
