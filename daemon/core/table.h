/*
 * table.h - an export's table, described once and rendered as CSV (here) or as XLSX
 * (http/xlsx.c, which links libxlsxwriter: core is libc and cJSON only).
 *
 * An export writes a sequence of sheets. A sheet has typed columns (struct
 * table_col) and a header row naming them (row 1 of the sheet), then rows of cells
 * written left to right: table_row() starts a row, table_text() / table_num() /
 * table_blank() / table_formula() fill its next cell (a row written short is padded
 * with blanks). The format decides what a type looks like:
 *
 *   type           CSV                        XLSX
 *   TABLE_TEXT     text (csvcell.h: quoted     a string cell (never a formula)
 *                  when needed, never a
 *                  formula)
 *   TABLE_PENCE    pounds, 1234.56            a number, #,##0.00 (pence / 100 at the last step)
 *   TABLE_BP       basis points, 250          a number, 2.50% (bp / 10000)
 *   TABLE_INT      123                        a number, #,##0
 *   TABLE_DATE     2026-09-01 (text)          a date, yyyy-mm-dd
 *
 * table_num() takes the integer (pence, basis points, the integer); a date is text
 * "YYYY-MM-DD" given to table_text(). table_formula() is XLSX's: a formula with the
 * value it has (cached, and what CSV writes). CSV renders the first sheet only: the
 * later ones (a summary, the chart of accounts, notes) are for XLSX. CSV lines end
 * with CRLF; the byte-order mark is the HTTP layer's (http.c adds it to every
 * text/csv reply).
 *
 * Locking (XLSX): a sheet begun with TABLE_SHEET_PROTECT is protected without a
 * password; its cells are editable except those in TABLE_COL_LOCKED columns and in
 * rows begun with TABLE_ROW_LOCKED. Unprotected sheets are plain.
 *
 * Errors are sticky: a call after a failure (out of memory, a cell past the last
 * column) does nothing and table_finish() returns -1. Thread: one table per caller.
 */
#ifndef BURSAR_TABLE_H
#define BURSAR_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum table_type { TABLE_TEXT, TABLE_PENCE, TABLE_BP, TABLE_INT, TABLE_DATE, TABLE__NTYPES };

/* struct table_col flags */
enum {
	TABLE_COL_LOCKED = 1 << 0,               /* information: read-only in a protected sheet */
	TABLE_COL_QUOTE = 1 << 1,                /* CSV: text always in quotes */
};

/* table_sheet flags */
enum {
	TABLE_SHEET_PROTECT = 1 << 0,            /* XLSX: protected (no password): locked cells read-only */
	TABLE_SHEET_NOFILTER = 1 << 1,           /* XLSX: no autofilter (a summary's label/value pairs) */
};

/* table_row flags */
enum {
	TABLE_ROW_LOCKED = 1 << 0,               /* XLSX: the whole row read-only in a protected sheet */
	TABLE_ROW_BOLD = 1 << 1,                 /* XLSX: a total */
};

struct table_col {
	const char *name;                        /* the header */
	enum table_type type;
	unsigned flags;                          /* TABLE_COL_* */
	unsigned width;                          /* XLSX width in characters; 0: by the type and header */
};

enum table_value_kind { TABLE_V_BLANK, TABLE_V_TEXT, TABLE_V_NUM, TABLE_V_FORMULA };

struct table_value {
	enum table_value_kind kind;
	const char *s;                           /* TEXT: the text; FORMULA: the formula ("=SUM(E2:E9)") */
	int64_t n;                               /* NUM: the integer; FORMULA: its value */
};

struct table;

/* A format: called in order, sheet, then for each row row and its cells; finish once. */
struct table_ops {
	void (*sheet)(struct table *t);          /* t->name, cols, ncols, sheet_flags set; write the header */
	void (*row)(struct table *t);            /* t->row (0-based sheet row, header 0), row_flags set */
	void (*cell)(struct table *t, size_t col, const struct table_value *v);
	void (*row_end)(struct table *t);
	void (*sheet_end)(struct table *t);      /* the sheet's last row has ended (t still describes it) */
	int (*finish)(struct table *t);          /* 0, or -1 */
};

struct table {
	const struct table_ops *ops;
	void *out;                               /* the format's own state */
	/* the current sheet (read by the format) */
	const char *name;
	const struct table_col *cols;
	size_t ncols;
	unsigned sheet_flags;
	size_t nsheets;                          /* sheets begun, this one included */
	uint32_t row;                            /* the current row: 0 is the header */
	unsigned row_flags;
	size_t col;                              /* the next cell's column */
	int in_row;
	int failed;
};

/* Start t in a format (ops, with its state). */
void table_init(struct table *t, const struct table_ops *ops, void *out);
/* End the current sheet, if any, and begin another with its header row. cols is
 * borrowed until the next table_sheet() or table_finish(). */
void table_sheet(struct table *t, const char *name, const struct table_col *cols, size_t ncols, unsigned flags);
/* End the current row, if any, and begin the next (flags: TABLE_ROW_*). */
void table_row(struct table *t, unsigned flags);
void table_text(struct table *t, const char *s);      /* NULL: blank */
void table_num(struct table *t, int64_t n);
void table_blank(struct table *t);
void table_formula(struct table *t, const char *formula, int64_t value);
/* Mark t failed (the caller ran out of memory building a cell). */
void table_fail(struct table *t);
/* End the last row and sheet and the format's output. 0, or -1 when anything failed. */
int table_finish(struct table *t) __attribute__((warn_unused_result));

/*
 * CSV: put(ctx, bytes, n) receives the first sheet's bytes as they are made; it sets
 * oom when it cannot keep them (table_finish() then fails). table_csv_init(t, &c)
 * with put and ctx filled in.
 */
struct table_csv {
	void (*put)(void *ctx, const char *bytes, size_t n);
	void *ctx;
	int oom;
};
void table_csv_init(struct table *t, struct table_csv *c);

/* CSV into one NUL-terminated buffer (buf, len; the caller frees buf, also on failure). */
struct table_csv_buf {
	struct table_csv csv;
	char *buf;
	size_t len, cap;
};
void table_csv_buf_init(struct table *t, struct table_csv_buf *b);

/* Excel's name of a 0-based column: 0 "A", 25 "Z", 26 "AA". buf >= 4. */
const char *table_col_letter(size_t col, char *buf, size_t len);

#endif
