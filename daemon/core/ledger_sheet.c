/* ledger_sheet.c - see ledger_sheet.h */
#include "ledger_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "date.h"
#include "money.h"
#include "sheet_csv.h"

static const char *const col_names[LEDGER_COL__N] = { "nominal", "cost_centre", "period", "amount" };

/* The other headers a column is known by, normalised (lower case, '_' for spaces and hyphens). */
static const struct sheet_csv_alias col_aliases[] = {
	{ "nominal_code", LEDGER_COL_NOMINAL }, { "account", LEDGER_COL_NOMINAL },
	{ "cost_center", LEDGER_COL_COST_CENTRE }, { NULL, 0 },
};

/* Any other column is ignored. */
static const struct sheet_csv_cols ledger_cols = { col_names, LEDGER_COL__N, sizeof(col_names[0]), col_aliases, NULL };

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

void ledger_sheet_field(const struct ledger_sheet *s, size_t row, size_t col, char *buf, size_t len)
{
	sheet_csv_field(&ledger_cols, s->colmap, s->ncols, row, col, buf, len);
}

int ledger_sheet_is_header(const struct ledger_sheet *s, const struct sheet_row *row)
{
	int seen[LEDGER_COL__N] = { 0 };

	(void)s;
	sheet_csv_seen(&ledger_cols, row, seen);
	return seen[LEDGER_COL_NOMINAL] && seen[LEDGER_COL_COST_CENTRE] && seen[LEDGER_COL_PERIOD] &&
	       seen[LEDGER_COL_AMOUNT];
}

void ledger_sheet_header(struct ledger_sheet *s, struct sheet_row *row)
{
	int have[LEDGER_COL__N] = { 0 };
	char f[48];

	s->header_done = 1;
	if (sheet_csv_header(&ledger_cols, row, s->colmap, &s->ncols, have, s->p))
		s->header_bad = 1;
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

void ledger_sheet_line(struct ledger_sheet *s, struct sheet_row *row)
{
	const char *text[LEDGER_COL__N] = { 0 };
	size_t errors = s->p->nerrors + s->p->nerrors_dropped;
	struct ledger_row lr = { .row = row->row };
	char f[64], why[200];
	void *q;

	if (sheet_csv_blank(row) || s->header_bad || s->oom)
		return;
	if (s->n + s->bad_rows >= LEDGER_SHEET_MAX_ROWS) {
		if (!s->full)
			problem_field(s->p, "file", "has more than %d rows", LEDGER_SHEET_MAX_ROWS);
		s->full = 1;
		return;
	}
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS && i < s->ncols; i++)
		if (s->colmap[i] >= 0)
			text[s->colmap[i]] = sheet_csv_trim(row->cell[i]);
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
	if ((q = sheet_csv_grow(s->rows, s->n, &s->cap, sizeof(*s->rows), 256)) == NULL) {
		s->oom = 1;
		return;
	}
	s->rows = q;
	s->rows[s->n++] = lr;
}

int ledger_sheet_finish(struct ledger_sheet *s, const char *what)
{
	return sheet_csv_finish(s->p, s->oom, s->n, what);
}

/* ---- the reader, for the CSV (here) and the XLSX imports ---- */

static int ledger_sheet_is_header_cb(void *arg, const struct sheet_row *row)
{
	return ledger_sheet_is_header(arg, row);
}

static void ledger_sheet_header_cb(void *arg, struct sheet_row *row)
{
	ledger_sheet_header(arg, row);
}

static void ledger_sheet_line_cb(void *arg, struct sheet_row *row)
{
	ledger_sheet_line(arg, row);
}

static void ledger_sheet_field_cb(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	ledger_sheet_field(arg, row, col, buf, len);
}

void ledger_sheet_reader(struct ledger_sheet *s, struct sheet_reader *rd)
{
	*rd = (struct sheet_reader){
		.is_header = ledger_sheet_is_header_cb, .header = ledger_sheet_header_cb, .line = ledger_sheet_line_cb,
		.field = ledger_sheet_field_cb,
		.empty = "the file is empty: it needs a header row (" LEDGER_SHEET_COLUMNS ") and a row for each "
			 "ledger line",
		.header_done = &s->header_done, .header_bad = &s->header_bad, .oom = &s->oom, .arg = s,
	};
}

int ledger_sheet_csv(const char *buf, size_t len, enum textenc declared, struct ledger_sheet *s,
		     enum textenc *read_as)
{
	struct sheet_reader rd;

	ledger_sheet_reader(s, &rd);
	if (sheet_csv_read(&rd, buf, len, declared, s->p, read_as) != 0)
		return -1;
	return ledger_sheet_finish(s, "file");
}
