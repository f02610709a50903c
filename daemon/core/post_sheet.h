/*
 * post_sheet.h - a school's posts as a spreadsheet (issue 16: business managers keep
 * their staff lists in spreadsheets), whatever the file: the columns, the checks on
 * each value, and the posts the rows make. The CSV import (sheet_csv.h) and the
 * XLSX import (base/post_xlsx.c) feed it row by row, so both report every problem
 * as "row 14, fte". What the database must say (the scale has the point, the chart
 * has the code) is the caller's check, with the same row names.
 *
 * Columns (the export writes these headers, so an export imports back): reference,
 * title, role, account_code, scale, point, top_point, point_year, fte, paid_weeks,
 * tlr, sen, fringe, other_allowance, pension, ni_category, starts_on, ends_on,
 * vacant, holder_name, periods_taught. reference, title, role, account_code,
 * scale, point, point_year, fte and pension are required; a missing optional
 * column is its empty value. Values as the post's JSON takes them (api_posts.c),
 * except: fte and paid_weeks are decimals with at most two places ("1.00",
 * "0.6", "43.60": fte 0.01 to 1.00, paid_weeks 0.01 to 52.14, empty: all year);
 * tlr, sen, fringe and other_allowance are pounds as people type them (empty: 0;
 * £0 to £1m); point_year is written 2026-27; ni_category empty is A; dates are
 * YYYY-MM-DD (or a spreadsheet's date number: days since 1899-12-30); vacant is
 * yes/no (also true/false, y/n, 1/0; empty: no); holder_name must be empty for a
 * vacant post; top_point and periods_taught empty are null. The role and the
 * account code must go together (staff_input_role_code, as the API's). A reference appears once.
 * The export's cost columns (pay_cost, ni_cost, pension_cost, total_cost) are
 * read as known and ignored.
 *
 * Headers are found by name (any order, any case; a space or hyphen for the
 * underscore); a header cell naming no column is an error, as is a missing
 * required column. A row whose cells are all empty is skipped. Pure; thread-safe.
 */
#ifndef BURSAR_POST_SHEET_H
#define BURSAR_POST_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"
#include "sheet_csv.h"
#include "sheetrows.h"
#include "textenc.h"

#define POST_SHEET_MAX_ROWS 5000
#define POST_SHEET_ALLOWANCE_MAX INT64_C(100000000)   /* £1m a year */

/* A good row: one post as written. Strings are NUL-terminated; "" is null for
 * top_point, starts_on, ends_on and holder_name. */
struct post_sheet_post {
	size_t row;
	char reference[164], title[484], role[20], account_code[9], scale[41], point[9], top_point[9];
	int point_year;                          /* 2026 = 2026-27 */
	int32_t fte_h;                           /* 1..100 */
	int32_t paid_weeks_h;                    /* 0: all year (null) */
	int64_t tlr_pence, sen_pence, fringe_pence, other_allowance_pence;
	char pension[8], ni_category[2], starts_on[11], ends_on[11];
	int vacant;
	char holder_name[484];
	int32_t periods_taught;                  /* -1: null */
};

struct post_sheet {
	struct problem *p;
	int colmap[SHEET_ROWS_MAX_COLS];         /* header column -> column, or -1 */
	size_t ncols;
	int header_done, header_bad, oom, full;
	size_t bad_rows;                         /* rows with an error */
	struct post_sheet_post *posts;           /* the good rows [n] */
	size_t n, cap;
	struct post_sheet_ref { size_t row; char *reference; } *refs;   /* every row's reference [nrefs] */
	size_t nrefs, refs_cap;
};

void post_sheet_init(struct post_sheet *s, struct problem *p);
void post_sheet_free(struct post_sheet *s);

/* Whether a row names reference, title and role (finding an XLSX sheet's header). */
int post_sheet_is_header(const struct post_sheet *s, const struct sheet_row *row);
void post_sheet_header(struct post_sheet *s, struct sheet_row *row);
void post_sheet_line(struct post_sheet *s, struct sheet_row *row);
/* "row 14, fte" (or "row 14, column 3" before the header or for an unknown column). */
void post_sheet_field(const struct post_sheet *s, size_t row, size_t col, char *buf, size_t len);

/* The end (what: "file", "sheet"): 0 when every row was good and there was one at
 * least; -1 with p's status set (422, or 500 when out of memory). The good rows
 * stay in s->posts either way (the caller may check them further to report every
 * bad row at once). */
int post_sheet_finish(struct post_sheet *s, const char *what) __attribute__((warn_unused_result));

/* The reader of s (sheet_csv.h), for the CSV and the XLSX imports. */
void post_sheet_reader(struct post_sheet *s, struct sheet_reader *rd);

/* A CSV file (sheet_csv_read over sheetrows_csv) into s: 0, or -1 (400 not CSV, 422 values, 500). */
int post_sheet_csv(const char *buf, size_t len, enum textenc declared, struct post_sheet *s,
		   enum textenc *read_as) __attribute__((warn_unused_result));

#endif
