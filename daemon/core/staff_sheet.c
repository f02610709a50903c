/* staff_sheet.c - see staff_sheet.h */
#include "staff_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "sheet_csv.h"

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

static const struct sheet_csv_cols scale_sheet = SHEET_CSV_COLS(scale_cols, "scale, kind, area, year, point, ord, annual");
static const struct sheet_csv_cols rates_sheet = SHEET_CSV_COLS(rates_cols, "tax_year, ni_bp, ni_threshold, ni_upper, "
								"tps_bp, levy_bp, levy_allowance, employment_allowance");

static const struct col *sheet_cols(const struct staff_sheet *s, size_t *n)
{
	*n = s->kind == STAFF_SHEET_SCALES ? SC__N : RC__N;
	return s->kind == STAFF_SHEET_SCALES ? scale_cols : rates_cols;
}

static const struct sheet_csv_cols *sheet_of(const struct staff_sheet *s)
{
	return s->kind == STAFF_SHEET_SCALES ? &scale_sheet : &rates_sheet;
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

void staff_sheet_field(const struct staff_sheet *s, size_t row, size_t col, char *buf, size_t len)
{
	sheet_csv_field(sheet_of(s), s->colmap, s->ncols, row, col, buf, len);
}

int staff_sheet_is_header(const struct staff_sheet *s, const struct sheet_row *row)
{
	int seen[SHEET_MAXCOLS] = { 0 };

	sheet_csv_seen(sheet_of(s), row, seen);
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
	if (sheet_csv_header(sheet_of(s), row, s->colmap, &s->ncols, have, s->p))
		s->header_bad = 1;
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
	void *q;

	if (s->kind == STAFF_SHEET_SCALES)
		q = sheet_csv_grow(s->points, s->n, &s->cap, sizeof(*s->points), 64);
	else
		q = sheet_csv_grow(s->rates, s->n, &s->cap, sizeof(*s->rates), 64);
	if (q == NULL) {
		s->oom = 1;
		return -1;
	}
	if (s->kind == STAFF_SHEET_SCALES)
		s->points = q;
	else
		s->rates = q;
	return 0;
}

void staff_sheet_line(struct staff_sheet *s, struct sheet_row *row)
{
	size_t n, bad = 0;
	const struct col *cols = sheet_cols(s, &n);
	char *text[SHEET_MAXCOLS] = { 0 };
	int64_t v[SHEET_MAXCOLS] = { 0 };
	char f[48];

	if (sheet_csv_blank(row) || s->header_bad || s->oom)
		return;
	if (s->n >= STAFF_SHEET_MAX_ROWS) {
		if (!s->full)
			problem_field(s->p, "file", "has more than %d rows", STAFF_SHEET_MAX_ROWS);
		s->full = 1;
		return;
	}
	for (size_t i = 0; i < s->ncols; i++) {
		char *cell = sheet_csv_trim(i < row->n && i < SHEET_ROWS_MAX_COLS ? row->cell[i] : NULL);

		if (s->colmap[i] >= 0) {
			text[s->colmap[i]] = cell;
		} else if (*cell != '\0') {
			snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
			problem_field(s->p, f, "has a value but no header");
			bad++;
		}
	}
	for (size_t i = s->ncols; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		if (*sheet_csv_trim(row->cell[i]) != '\0') {
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
	return sheet_csv_finish(s->p, s->oom, s->n, what);
}

/* ---- the reader, for the CSV (here) and the XLSX imports ---- */

static int staff_sheet_is_header_cb(void *arg, const struct sheet_row *row)
{
	return staff_sheet_is_header(arg, row);
}

static void staff_sheet_header_cb(void *arg, struct sheet_row *row)
{
	staff_sheet_header(arg, row);
}

static void staff_sheet_line_cb(void *arg, struct sheet_row *row)
{
	staff_sheet_line(arg, row);
}

static void staff_sheet_field_cb(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	staff_sheet_field(arg, row, col, buf, len);
}

void staff_sheet_reader(struct staff_sheet *s, struct sheet_reader *rd)
{
	*rd = (struct sheet_reader){
		.is_header = staff_sheet_is_header_cb, .header = staff_sheet_header_cb, .line = staff_sheet_line_cb,
		.field = staff_sheet_field_cb,
		.empty = s->kind == STAFF_SHEET_SCALES ?
			 "the file is empty: it needs a header row (scale,kind,area,year,point,ord,annual) and a row for "
			 "each point" :
			 "the file is empty: it needs a header row (tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,"
			 "levy_allowance,employment_allowance) and a row for each tax year",
		.header_done = &s->header_done, .header_bad = &s->header_bad, .oom = &s->oom, .arg = s,
	};
}

int staff_sheet_csv(const char *buf, size_t len, enum textenc declared, struct staff_sheet *s, enum textenc *read_as)
{
	struct sheet_reader rd;

	staff_sheet_reader(s, &rd);
	if (sheet_csv_read(&rd, buf, len, declared, s->p, read_as) != 0)
		return -1;
	return staff_sheet_finish(s, "file");
}
