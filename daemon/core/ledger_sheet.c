/* ledger_sheet.c - see ledger_sheet.h */
#include "ledger_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "date.h"
#include "money.h"

static const char *const col_names[LEDGER_COL__N] = { "nominal", "cost_centre", "period", "amount" };

/* Every header a column is known by, normalised (lower case, '_' for spaces and hyphens). */
static const struct { const char *name; int col; } col_aliases[] = {
	{ "nominal", LEDGER_COL_NOMINAL }, { "nominal_code", LEDGER_COL_NOMINAL }, { "account", LEDGER_COL_NOMINAL },
	{ "cost_centre", LEDGER_COL_COST_CENTRE }, { "cost_center", LEDGER_COL_COST_CENTRE },
	{ "period", LEDGER_COL_PERIOD }, { "amount", LEDGER_COL_AMOUNT },
};

#define LEDGER_SHEET_COLUMNS "nominal, cost_centre, period and amount"

void ledger_sheet_init(struct ledger_sheet *s, int year, struct problem *p)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
	s->year = year;
}

void ledger_sheet_free(struct ledger_sheet *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n = s->cap = 0;
}

/* Trim spaces and tabs in place; NULL is "". */
static char *sheet_trim(char *s)
{
	size_t n;

	if (s == NULL)
		return (char *)"";
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* The column a header names ("Cost Centre" is cost_centre), or -1. */
static int sheet_col_of(const char *name)
{
	char norm[48];
	size_t o = 0;

	for (const char *c = name; *c != '\0'; c++) {
		char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;

		if (o + 1 >= sizeof(norm))
			return -1;
		norm[o++] = ch == ' ' || ch == '-' ? '_' : ch;
	}
	norm[o] = '\0';
	for (size_t i = 0; i < sizeof(col_aliases) / sizeof(col_aliases[0]); i++)
		if (strcmp(col_aliases[i].name, norm) == 0)
			return col_aliases[i].col;
	return -1;
}

void ledger_sheet_field(const struct ledger_sheet *s, size_t row, size_t col, char *buf, size_t len)
{
	if (s->header_done && col < s->ncols && s->colmap[col] >= 0)
		snprintf(buf, len, "row %zu, %s", row, col_names[s->colmap[col]]);
	else
		snprintf(buf, len, "row %zu, column %zu", row, col + 1);
}

int ledger_sheet_is_header(const struct ledger_sheet *s, const struct sheet_row *row)
{
	int seen[LEDGER_COL__N] = { 0 };

	(void)s;
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++) {
		char tmp[64];
		int k;

		if (row->cell[i] == NULL || strlen(row->cell[i]) >= sizeof(tmp))
			continue;
		memcpy(tmp, row->cell[i], strlen(row->cell[i]) + 1);
		if ((k = sheet_col_of(sheet_trim(tmp))) >= 0)
			seen[k] = 1;
	}
	return seen[LEDGER_COL_NOMINAL] && seen[LEDGER_COL_COST_CENTRE] && seen[LEDGER_COL_PERIOD] &&
	       seen[LEDGER_COL_AMOUNT];
}

void ledger_sheet_header(struct ledger_sheet *s, struct sheet_row *row)
{
	int have[LEDGER_COL__N] = { 0 };
	char f[48];

	s->header_done = 1;
	s->ncols = row->n < SHEET_ROWS_MAX_COLS ? row->n : SHEET_ROWS_MAX_COLS;
	for (size_t i = 0; i < s->ncols; i++) {
		char *name = sheet_trim(row->cell[i]);
		int k;

		s->colmap[i] = -1;
		if (*name == '\0' || (k = sheet_col_of(name)) < 0)
			continue;                /* another column: ignored */
		if (have[k]) {
			snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
			problem_field(s->p, f, "%s is named twice", col_names[k]);
			s->header_bad = 1;
		} else {
			have[k] = 1;
			s->colmap[i] = k;
		}
	}
	for (int k = 0; k < LEDGER_COL__N; k++)
		if (!have[k]) {
			snprintf(f, sizeof(f), "row %zu", row->row);
			problem_field(s->p, f, "the header has no %s column (the columns are " LEDGER_SHEET_COLUMNS
				      ", in any order)", col_names[k]);
			s->header_bad = 1;
		}
}

/* Digits only, 1 to 9 of them: the number, else -1. */
static long sheet_uint(const char *s)
{
	long v = 0;
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 9)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	return n == 0 ? -1 : v;
}

int ledger_sheet_period(const char *cell, int year, int *month, char *why, size_t whylen)
{
	char ys[16], ms[8];
	int32_t d;
	long v;
	int y, m, dd, cy, cm;

	acyear_format(year, ys, sizeof(ys));
	/* a period: 1..12, P1, P01 */
	v = sheet_uint(cell[0] == 'P' || cell[0] == 'p' ? cell + 1 : cell);
	if (v >= 1 && v <= 12) {
		*month = (int)v;
		return 0;
	}
	if (cell[0] != 'P' && cell[0] != 'p' && v >= 367 && v <= 2958465) {
		/* a spreadsheet's date number */
		date_to_ymd(date_from_ymd(1899, 12, 30) + (int32_t)v, &cy, &cm, &dd);
	} else if (strlen(cell) == 7 && acmonth_parse(cell, &y, &m) == 0) {
		acmonth_calendar(y, m, &cy, &cm);
	} else if (date_parse(cell, &d) == 0) {
		date_to_ymd(d, &cy, &cm, &dd);
	} else {
		snprintf(why, whylen, "must be a period of %s (1 to 12, 1 = September), a month written like 2026-09 "
			 "or a date written like 2026-09-30", ys);
		return -1;
	}
	acmonth_of_calendar(cy, cm, &y, &m);
	if (y != year) {
		snprintf(ms, sizeof(ms), "%04d-%02d", cy, cm);
		snprintf(why, whylen, "%s is not in %s (September %d to August %d)", ms, ys, year, year + 1);
		return -1;
	}
	*month = m;
	return 0;
}

static int sheet_grow(struct ledger_sheet *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	void *q;

	if (s->n < s->cap)
		return 0;
	if ((q = realloc(s->rows, cap * sizeof(*s->rows))) == NULL) {
		s->oom = 1;
		return -1;
	}
	s->rows = q;
	s->cap = cap;
	return 0;
}

void ledger_sheet_line(struct ledger_sheet *s, struct sheet_row *row)
{
	const char *text[LEDGER_COL__N] = { 0 };
	size_t errors = s->p->nerrors + s->p->nerrors_dropped;
	struct ledger_row lr = { .row = row->row };
	char f[64], why[200];
	int blank = 1;

	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		if (row->cell[i] != NULL && *sheet_trim(row->cell[i]) != '\0')
			blank = 0;
	if ((blank && row->beyond == 0) || s->header_bad || s->oom)
		return;
	if (s->n + s->bad_rows >= LEDGER_SHEET_MAX_ROWS) {
		if (!s->full)
			problem_field(s->p, "file", "has more than %d rows", LEDGER_SHEET_MAX_ROWS);
		s->full = 1;
		return;
	}
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS && i < s->ncols; i++)
		if (s->colmap[i] >= 0)
			text[s->colmap[i]] = sheet_trim(row->cell[i]);
	for (int k = 0; k < LEDGER_COL__N; k++) {
		const char *t = text[k] != NULL ? text[k] : "";

		snprintf(f, sizeof(f), "row %zu, %s", row->row, col_names[k]);
		if (*t == '\0') {
			problem_field(s->p, f, "is empty");
			continue;
		}
		switch (k) {
		case LEDGER_COL_NOMINAL:
		case LEDGER_COL_COST_CENTRE:
			if (strlen(t) > LEDGER_SHEET_CODE_MAX)
				problem_field(s->p, f, "must be at most %d characters", LEDGER_SHEET_CODE_MAX);
			else
				snprintf(k == LEDGER_COL_NOMINAL ? lr.nominal : lr.cost_centre, LEDGER_SHEET_CODE_MAX + 1,
					 "%s", t);
			break;
		case LEDGER_COL_PERIOD:
			if (ledger_sheet_period(t, s->year, &lr.month, why, sizeof(why)) != 0)
				problem_field(s->p, f, "%s", why);
			break;
		default:
			if (money_parse_pounds(t, &lr.amount, why, sizeof(why)) != 0)
				problem_field(s->p, f, "%s", why);
			break;
		}
	}
	if (s->p->nerrors + s->p->nerrors_dropped != errors) {
		s->bad_rows++;
		return;
	}
	if (sheet_grow(s) != 0)
		return;
	s->rows[s->n++] = lr;
}

int ledger_sheet_finish(struct ledger_sheet *s, const char *what)
{
	if (s->oom)
		return problem_internal(s->p);
	if (s->p->nerrors == 0 && s->n == 0)
		problem_field(s->p, "row 2", "the %s has a header but no rows", what);
	if (s->p->nerrors > 0)
		return problem_set(s->p, 422, "validation", "Validation failed",
				   "the %s has errors: nothing was imported", what);
	return 0;
}

/* ---- CSV ---- */

static void sheet_csv_record(void *arg, struct sheet_row *row, int not_text)
{
	struct ledger_sheet *s = arg;

	if (not_text) {
		if (!s->header_done)
			s->header_done = s->header_bad = 1;
		return;
	}
	if (!s->header_done)
		ledger_sheet_header(s, row);
	else
		ledger_sheet_line(s, row);
}

static void sheet_csv_field(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	ledger_sheet_field(arg, row, col, buf, len);
}

int ledger_sheet_csv(const char *buf, size_t len, enum textenc declared, struct ledger_sheet *s,
		     enum textenc *read_as)
{
	const struct sheetrows_csv_ops ops = {
		.record = sheet_csv_record, .field = sheet_csv_field,
		.empty = "the file is empty: it needs a header row (" LEDGER_SHEET_COLUMNS ") and a row for each "
			 "ledger line",
	};

	if (sheetrows_csv(buf, len, declared, &ops, s, s->p, read_as) != 0) {
		if (s->oom)
			return problem_internal(s->p);
		return -1;
	}
	return ledger_sheet_finish(s, "file");
}
