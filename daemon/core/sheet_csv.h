/*
 * sheet_csv.h - what every spreadsheet import's reader shares (the ledger export:
 * ledger_sheet.c; a school's posts: post_sheet.c; the pay scales and on-cost rates:
 * staff_sheet.c; a budget's lines: budget_rows.c, budget_csv.c): its columns found
 * by their header name, the header row mapped, a blank row, the good rows' array,
 * the end, and a CSV file fed through sheetrows_csv (sheetrows.h: the encoding, BOM,
 * quoting, line ends and row numbers) to the reader's header and line. Each reader
 * keeps its own columns, checks and messages. Pure; thread-safe.
 *
 * A header names a column in any case, with a space or a hyphen for an underscore
 * ("Cost Centre" is cost_centre), trimmed of spaces and tabs.
 */
#ifndef BURSAR_SHEET_CSV_H
#define BURSAR_SHEET_CSV_H

#include <stddef.h>

#include "problem.h"
#include "sheetrows.h"
#include "textenc.h"

/* Another name a header may give column col ("account" for nominal). */
struct sheet_csv_alias {
	const char *name;                        /* normalised: lower case, '_' for spaces and hyphens */
	int col;
};

/* A sheet's columns. */
struct sheet_csv_cols {
	const void *table;                       /* the columns: n entries of size bytes, each beginning */
	size_t n, size;                          /* with its name (const char *), as messages name it */
	const struct sheet_csv_alias *aliases;   /* more names (ended by a NULL name), or NULL */
	const char *columns;                     /* NULL: a header cell naming no column is ignored, as is a
						    cell past SHEET_ROWS_MAX_COLS; else both are errors, the
						    first "names no column: the columns are <columns>" */
};

/* The columns of a table whose entries begin with their name (columns: as above). */
#define SHEET_CSV_COLS(tbl, cols) { (tbl), sizeof(tbl) / sizeof((tbl)[0]), sizeof((tbl)[0]), NULL, (cols) }

/* Column k's name (k < c->n). */
const char *sheet_csv_name(const struct sheet_csv_cols *c, int k);

/* s trimmed of spaces and tabs in place (the end: a NUL written); NULL is "". */
char *sheet_csv_trim(char *s);

/* The column a header cell names (trimmed already), or -1. */
int sheet_csv_column(const struct sheet_csv_cols *c, const char *name);

/* seen[k] = 1 (seen: [c->n], zeroed by the caller) for each column a row's cells name, the
 * cells left as they are (finding an XLSX sheet's header). A cell of 64 bytes or more names none. */
void sheet_csv_seen(const struct sheet_csv_cols *c, const struct sheet_row *row, int *seen);

/*
 * The header row: colmap[i] (i < *ncols = min(row->n, SHEET_ROWS_MAX_COLS)) gets the column cell i
 * names, or -1 (empty, or naming none when c->columns is NULL); have[k] (have: [c->n], zeroed by the
 * caller) = 1 for each column found. Problems, at "row 1, column 4": a column named twice ("amount
 * is named twice": the first one counts), and with c->columns a cell naming no column or a non-blank
 * cell past the last column. Returns 1 when it added a problem, else 0. Missing columns are the
 * caller's to report (its own messages).
 */
int sheet_csv_header(const struct sheet_csv_cols *c, struct sheet_row *row, int *colmap, size_t *ncols,
		     int *have, struct problem *p);

/* "row 14, amount" for cell col (0-based) of row when colmap maps it (ncols: 0 before the header),
 * else "row 14, column 3". */
void sheet_csv_field(const struct sheet_csv_cols *c, const int *colmap, size_t ncols, size_t row, size_t col,
		     char *buf, size_t len);

/* Whether every cell of a row is empty or spaces (each trimmed in place) and nothing stands past
 * the last column. */
int sheet_csv_blank(struct sheet_row *row);

/* The good rows' array (n used of *cap entries of size bytes) with room for one more: rows itself
 * when there is room, else moved to twice *cap (first when 0) with *cap updated; NULL when out of
 * memory (rows still good). */
void *sheet_csv_grow(void *rows, size_t n, size_t *cap, size_t size, size_t first);

/* The end of a reader that counts its good rows (what: "file", "sheet"): 500 when oom; "row 2":
 * "the <what> has a header but no rows" when nothing else was wrong and n is 0; then 422 "the
 * <what> has errors: nothing was imported" when p holds an error. 0 or -1. */
int sheet_csv_finish(struct problem *p, int oom, size_t n, const char *what) __attribute__((warn_unused_result));

/* A reader (its own state in arg) as a file's tokeniser drives it: a CSV file here, an XLSX sheet
 * in base/sheet_xlsx.c. Each import's module fills one (ledger_sheet_reader ...). */
struct sheet_reader {
	int (*is_header)(void *arg, const struct sheet_row *row);   /* XLSX: the header row found */
	void (*header)(void *arg, struct sheet_row *row);        /* the header row (CSV: the first record) */
	void (*line)(void *arg, struct sheet_row *row);          /* each row after it */
	void (*field)(void *arg, size_t row, size_t col, char *buf, size_t len);   /* as sheetrows_csv_ops */
	const char *empty;                       /* CSV, as sheetrows_csv_ops: a file with no record */
	int *header_done, *header_bad, *oom;     /* the reader's flags */
	void *arg;
};

/* buf[0..len) read as sheetrows_csv does (declared, read_as: as there) through rd: 0 when it was
 * read as CSV (the caller then finishes its reader); -1 with p's status set (400 not CSV, 500 out
 * of memory, whether sheetrows or the reader ran out). A record with a field that is not text
 * (sheetrows reported it) is nothing more: before the header, it sets *header_done and
 * *header_bad (no row is checked). */
int sheet_csv_read(const struct sheet_reader *rd, const char *buf, size_t len, enum textenc declared,
		   struct problem *p, enum textenc *read_as) __attribute__((warn_unused_result));

#endif
