/* staff_sheet.c - see staff_sheet.h */
#include "staff_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"

enum col_type { CT_TEXT, CT_YEAR, CT_INT, CT_POUNDS };

struct col {
	const char *name;
	enum col_type type;
	int required;
	int64_t min, max;                        /* CT_INT: value; CT_POUNDS: pence; CT_TEXT: length */
	const char *const *choices;              /* CT_TEXT: allowed values (NULL: any, checked below) */
};

static const char *const sheet_kinds[] = { "teacher", "support", NULL };
static const char *const sheet_areas[] = { "england", "fringe", "outer_london", "inner_london", NULL };

enum { SC_SCALE, SC_KIND, SC_AREA, SC_YEAR, SC_POINT, SC_ORD, SC_ANNUAL, SC__N };
static const struct col scale_cols[SC__N] = {
	[SC_SCALE] = { "scale", CT_TEXT, 1, 1, STAFF_INPUT_SCALE_MAX, NULL },
	[SC_KIND] = { "kind", CT_TEXT, 0, 0, 7, sheet_kinds },
	[SC_AREA] = { "area", CT_TEXT, 0, 0, 15, sheet_areas },
	[SC_YEAR] = { "year", CT_YEAR, 1, 0, 0, NULL },
	[SC_POINT] = { "point", CT_TEXT, 1, 1, 8, NULL },
	[SC_ORD] = { "ord", CT_INT, 1, 1, 999, NULL },
	[SC_ANNUAL] = { "annual", CT_POUNDS, 1, 0, STAFF_INPUT_ANNUAL_MAX, NULL },
};

enum { RC_YEAR, RC_NI, RC_NI_T, RC_NI_U, RC_TPS, RC_LEVY, RC_LEVY_A, RC_EA, RC__N };
static const struct col rates_cols[RC__N] = {
	[RC_YEAR] = { "tax_year", CT_YEAR, 1, 0, 0, NULL },
	[RC_NI] = { "ni_bp", CT_INT, 1, 0, 10000, NULL },
	[RC_NI_T] = { "ni_threshold", CT_POUNDS, 1, 0, STAFF_SHEET_PENCE_MAX, NULL },
	[RC_NI_U] = { "ni_upper", CT_POUNDS, 1, 0, STAFF_SHEET_PENCE_MAX, NULL },
	[RC_TPS] = { "tps_bp", CT_INT, 1, 0, 10000, NULL },
	[RC_LEVY] = { "levy_bp", CT_INT, 1, 0, 10000, NULL },
	[RC_LEVY_A] = { "levy_allowance", CT_POUNDS, 1, 0, STAFF_SHEET_PENCE_MAX, NULL },
	[RC_EA] = { "employment_allowance", CT_POUNDS, 1, 0, STAFF_SHEET_PENCE_MAX, NULL },
};

#define SHEET_MAXCOLS 8                          /* the larger of SC__N and RC__N */

_Static_assert((int)SC__N <= SHEET_MAXCOLS && (int)RC__N <= SHEET_MAXCOLS, "SHEET_MAXCOLS");

static const struct col *sheet_cols(const struct staff_sheet *s, size_t *n)
{
	*n = s->kind == STAFF_SHEET_SCALES ? SC__N : RC__N;
	return s->kind == STAFF_SHEET_SCALES ? scale_cols : rates_cols;
}

void staff_sheet_init(struct staff_sheet *s, enum staff_sheet_kind kind, struct problem *p)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->p = p;
}

void staff_sheet_free(struct staff_sheet *s)
{
	free(s->points);
	free(s->rates);
	s->points = NULL;
	s->rates = NULL;
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

/* The column a header names ("Tax year" is tax_year), or -1. */
static int sheet_col_of(const struct staff_sheet *s, const char *name)
{
	char norm[48];
	size_t o = 0, n;
	const struct col *cols = sheet_cols(s, &n);

	for (const char *c = name; *c != '\0'; c++) {
		char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;

		if (o + 1 >= sizeof(norm))
			return -1;
		norm[o++] = ch == ' ' || ch == '-' ? '_' : ch;
	}
	norm[o] = '\0';
	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i].name, norm) == 0)
			return (int)i;
	return -1;
}

void staff_sheet_field(const struct staff_sheet *s, size_t row, size_t col, char *buf, size_t len)
{
	size_t n;
	const struct col *cols = sheet_cols(s, &n);

	if (s->header_done && col < s->ncols && s->colmap[col] >= 0)
		snprintf(buf, len, "row %zu, %s", row, cols[s->colmap[col]].name);
	else
		snprintf(buf, len, "row %zu, column %zu", row, col + 1);
}

int staff_sheet_is_header(const struct staff_sheet *s, const struct sheet_row *row)
{
	int seen[SHEET_MAXCOLS] = { 0 };

	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++) {
		char tmp[64];
		int k;

		if (row->cell[i] == NULL || strlen(row->cell[i]) >= sizeof(tmp))
			continue;
		memcpy(tmp, row->cell[i], strlen(row->cell[i]) + 1);
		if ((k = sheet_col_of(s, sheet_trim(tmp))) >= 0)
			seen[k] = 1;
	}
	return seen[0] && seen[s->kind == STAFF_SHEET_SCALES ? SC_YEAR : RC_NI] &&
	       seen[s->kind == STAFF_SHEET_SCALES ? SC_POINT : RC_TPS];
}

void staff_sheet_header(struct staff_sheet *s, struct sheet_row *row)
{
	int have[SHEET_MAXCOLS] = { 0 };
	size_t n;
	const struct col *cols = sheet_cols(s, &n);
	char f[48];

	s->header_done = 1;
	s->ncols = row->n < SHEET_ROWS_MAX_COLS ? row->n : SHEET_ROWS_MAX_COLS;
	for (size_t i = 0; i < s->ncols; i++) {
		char *name = sheet_trim(row->cell[i]);
		int k = -1;

		s->colmap[i] = -1;
		if (*name == '\0')
			continue;
		snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
		if ((k = sheet_col_of(s, name)) < 0) {
			problem_field(s->p, f, "names no column: the columns are %s",
				      s->kind == STAFF_SHEET_SCALES ? "scale, kind, area, year, point, ord, annual" :
				      "tax_year, ni_bp, ni_threshold, ni_upper, tps_bp, levy_bp, levy_allowance, "
				      "employment_allowance");
			s->header_bad = 1;
		} else if (have[k]) {
			problem_field(s->p, f, "%s is named twice", cols[k].name);
			s->header_bad = 1;
		} else {
			have[k] = 1;
			s->colmap[i] = k;
		}
	}
	if (row->beyond != 0) {
		snprintf(f, sizeof(f), "row %zu, column %zu", row->row, row->beyond);
		problem_field(s->p, f, "is past the last column this sheet may have (%d)", SHEET_ROWS_MAX_COLS);
		s->header_bad = 1;
	}
	for (size_t k = 0; k < n; k++)
		if (cols[k].required && !have[k]) {
			snprintf(f, sizeof(f), "row %zu", row->row);
			problem_field(s->p, f, "the header has no %s column", cols[k].name);
			s->header_bad = 1;
		}
}

/* One cell into v (or text, *str): 0, or -1 with the field error added. */
static int sheet_value(struct staff_sheet *s, const struct col *c, const char *field, char *cell, int64_t *v)
{
	char why[160];

	switch (c->type) {
	case CT_TEXT:
		if ((int64_t)strlen(cell) < c->min || (int64_t)strlen(cell) > c->max) {
			problem_field(s->p, field, c->min > 0 && *cell == '\0' ? "is empty" :
				      "must be %lld to %lld characters", (long long)c->min, (long long)c->max);
			return -1;
		}
		if (c->choices != NULL && *cell != '\0') {
			size_t i = 0;

			while (c->choices[i] != NULL && strcmp(c->choices[i], cell) != 0)
				i++;
			if (c->choices[i] == NULL) {
				problem_field(s->p, field, "must be empty or one of %s",
					      c->choices == sheet_kinds ? "teacher, support" :
					      "england, fringe, outer_london, inner_london");
				return -1;
			}
		}
		return 0;
	case CT_YEAR: {
		int y;

		if (acyear_parse(cell, &y) != 0) {
			problem_field(s->p, field, "must be a year written like 2026-27");
			return -1;
		}
		*v = y;
		return 0;
	}
	case CT_INT: {
		char *end;
		long long n = strtoll(cell, &end, 10);

		if (*cell == '\0' || *end != '\0' || n < c->min || n > c->max) {
			problem_field(s->p, field, "must be a whole number from %lld to %lld", (long long)c->min,
				      (long long)c->max);
			return -1;
		}
		*v = n;
		return 0;
	}
	case CT_POUNDS:
		if (money_parse_pounds(cell, v, why, sizeof(why)) != 0) {
			problem_field(s->p, field, "%s", why);
			return -1;
		}
		if (*v < c->min || *v > c->max) {
			problem_field(s->p, field, "must be from £0 to £%lld", (long long)(c->max / 100));
			return -1;
		}
		return 0;
	}
	return -1;
}

static int sheet_grow(struct staff_sheet *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	void *q;

	if (s->n < s->cap)
		return 0;
	if (s->kind == STAFF_SHEET_SCALES)
		q = realloc(s->points, cap * sizeof(*s->points));
	else
		q = realloc(s->rates, cap * sizeof(*s->rates));
	if (q == NULL) {
		s->oom = 1;
		return -1;
	}
	if (s->kind == STAFF_SHEET_SCALES)
		s->points = q;
	else
		s->rates = q;
	s->cap = cap;
	return 0;
}

void staff_sheet_line(struct staff_sheet *s, struct sheet_row *row)
{
	size_t n, bad = 0;
	const struct col *cols = sheet_cols(s, &n);
	char *text[SHEET_MAXCOLS] = { 0 };
	int64_t v[SHEET_MAXCOLS] = { 0 };
	int blank = 1;
	char f[48];

	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		if (row->cell[i] != NULL && *sheet_trim(row->cell[i]) != '\0')
			blank = 0;
	if ((blank && row->beyond == 0) || s->header_bad || s->oom)
		return;
	if (s->n >= STAFF_SHEET_MAX_ROWS) {
		if (!s->full)
			problem_field(s->p, "file", "has more than %d rows", STAFF_SHEET_MAX_ROWS);
		s->full = 1;
		return;
	}
	for (size_t i = 0; i < s->ncols; i++) {
		char *cell = sheet_trim(i < row->n && i < SHEET_ROWS_MAX_COLS ? row->cell[i] : NULL);

		if (s->colmap[i] >= 0) {
			text[s->colmap[i]] = cell;
		} else if (*cell != '\0') {
			snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
			problem_field(s->p, f, "has a value but no header");
			bad++;
		}
	}
	for (size_t i = s->ncols; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		if (*sheet_trim(row->cell[i]) != '\0') {
			snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
			problem_field(s->p, f, "has a value but no header");
			bad++;
		}
	for (size_t k = 0; k < n; k++) {
		snprintf(f, sizeof(f), "row %zu, %s", row->row, cols[k].name);
		if (text[k] == NULL)
			text[k] = (char *)"";
		if (cols[k].required && *text[k] == '\0') {
			problem_field(s->p, f, "is empty");
			bad++;
		} else if ((*text[k] != '\0' || cols[k].type == CT_TEXT) && sheet_value(s, &cols[k], f, text[k], &v[k]) != 0) {
			bad++;
		}
	}
	if (s->kind == STAFF_SHEET_SCALES && bad == 0) {
		const char *why = staff_input_scale_name(text[SC_SCALE]);

		snprintf(f, sizeof(f), "row %zu, scale", row->row);
		if (why != NULL && ++bad)
			problem_field(s->p, f, "%s", why);
		snprintf(f, sizeof(f), "row %zu, point", row->row);
		if ((why = staff_input_point(text[SC_POINT])) != NULL && ++bad)
			problem_field(s->p, f, "%s", why);
	}
	if (s->kind == STAFF_SHEET_RATES && bad == 0) {
		snprintf(f, sizeof(f), "row %zu, ni_upper", row->row);
		if (v[RC_NI_U] < v[RC_NI_T] && ++bad)
			problem_field(s->p, f, "is below ni_threshold");
		for (size_t i = 0; i < s->n && bad == 0; i++)
			if (s->rates[i].tax_year == (int)v[RC_YEAR]) {
				snprintf(f, sizeof(f), "row %zu, tax_year", row->row);
				problem_field(s->p, f, "is also on row %zu", s->rates[i].row);
				bad++;
			}
	}
	if (bad > 0 || sheet_grow(s) != 0)
		return;
	if (s->kind == STAFF_SHEET_SCALES) {
		struct staff_sheet_point *pt = &s->points[s->n++];

		memset(pt, 0, sizeof(*pt));
		pt->row = row->row;
		snprintf(pt->scale, sizeof(pt->scale), "%s", text[SC_SCALE]);
		snprintf(pt->kind, sizeof(pt->kind), "%s", text[SC_KIND]);
		snprintf(pt->area, sizeof(pt->area), "%s", text[SC_AREA]);
		snprintf(pt->point, sizeof(pt->point), "%s", text[SC_POINT]);
		pt->year = (int)v[SC_YEAR];
		pt->ord = (int32_t)v[SC_ORD];
		pt->annual_pence = v[SC_ANNUAL];
	} else {
		s->rates[s->n++] = (struct staff_sheet_rates){ .row = row->row, .tax_year = (int)v[RC_YEAR],
			.ni_bp = (int32_t)v[RC_NI], .tps_bp = (int32_t)v[RC_TPS], .levy_bp = (int32_t)v[RC_LEVY],
			.ni_threshold_pence = v[RC_NI_T], .ni_upper_pence = v[RC_NI_U],
			.levy_allowance_pence = v[RC_LEVY_A], .employment_allowance_pence = v[RC_EA] };
	}
}

int staff_sheet_finish(struct staff_sheet *s, const char *what)
{
	char f[32];

	if (s->oom)
		return problem_internal(s->p);
	if (s->p->nerrors == 0 && s->n == 0) {
		snprintf(f, sizeof(f), "row %d", 2);
		problem_field(s->p, f, "the %s has a header but no rows", what);
	}
	if (s->p->nerrors > 0)
		return problem_set(s->p, 422, "validation", "Validation failed",
				   "the %s has errors: nothing was imported", what);
	return 0;
}

/* ---- CSV ---- */

static void sheet_csv_record(void *arg, struct sheet_row *row, int not_text)
{
	struct staff_sheet *s = arg;

	if (not_text) {
		if (!s->header_done)
			s->header_done = s->header_bad = 1;
		return;
	}
	if (!s->header_done)
		staff_sheet_header(s, row);
	else
		staff_sheet_line(s, row);
}

static void sheet_csv_field(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	staff_sheet_field(arg, row, col, buf, len);
}

int staff_sheet_csv(const char *buf, size_t len, enum textenc declared, struct staff_sheet *s, enum textenc *read_as)
{
	const struct sheetrows_csv_ops ops = {
		.record = sheet_csv_record, .field = sheet_csv_field,
		.empty = s->kind == STAFF_SHEET_SCALES ?
			 "the file is empty: it needs a header row (scale,kind,area,year,point,ord,annual) and a row for "
			 "each point" :
			 "the file is empty: it needs a header row (tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,"
			 "levy_allowance,employment_allowance) and a row for each tax year",
	};

	if (sheetrows_csv(buf, len, declared, &ops, s, s->p, read_as) != 0) {
		if (s->oom)
			return problem_internal(s->p);
		return -1;
	}
	return staff_sheet_finish(s, "file");
}
