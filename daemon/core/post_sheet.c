/* post_sheet.c - see post_sheet.h */
#include "post_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "sheet_csv.h"
#include "staff_input.h"

enum col_type { CT_TEXT, CT_CHOICE, CT_SCALE, CT_POINT, CT_YEAR, CT_HUNDREDTHS, CT_POUNDS, CT_DATE, CT_BOOL,
		CT_INT, CT_IGNORED };

struct col {
	const char *name;
	enum col_type type;
	int required;
	int64_t min, max;                        /* TEXT: characters; HUNDREDTHS, POUNDS, INT: the value */
	const char *const *choices;              /* CHOICE */
};

static const char *const roles[] = { "teacher", "leadership", "teaching_assistant", "admin", "premises", "catering",
				     "other_support", NULL };
static const char *const pensions[] = { "tps", "lgps", "none", NULL };
static const char *const ni_cats[] = { "A", "M", "H", NULL };

enum { PC_REF, PC_TITLE, PC_ROLE, PC_CODE, PC_SCALE, PC_POINT, PC_TOP, PC_YEAR, PC_FTE, PC_WEEKS, PC_TLR, PC_SEN,
       PC_FRINGE, PC_OTHER, PC_PENSION, PC_NI, PC_STARTS, PC_ENDS, PC_VACANT, PC_HOLDER, PC_PERIODS,
       PC_PAY_COST, PC_NI_COST, PC_PENSION_COST, PC_TOTAL_COST, PC__N };

static const struct col cols[PC__N] = {
	[PC_REF] = { "reference", CT_TEXT, 1, 1, 40, NULL },
	[PC_TITLE] = { "title", CT_TEXT, 1, 1, 120, NULL },
	[PC_ROLE] = { "role", CT_CHOICE, 1, 0, 0, roles },
	[PC_CODE] = { "account_code", CT_TEXT, 1, 1, 8, NULL },
	[PC_SCALE] = { "scale", CT_SCALE, 1, 0, 0, NULL },
	[PC_POINT] = { "point", CT_POINT, 1, 0, 0, NULL },
	[PC_TOP] = { "top_point", CT_POINT, 0, 0, 0, NULL },
	[PC_YEAR] = { "point_year", CT_YEAR, 1, 2000, 2098, NULL },
	[PC_FTE] = { "fte", CT_HUNDREDTHS, 1, 1, 100, NULL },
	[PC_WEEKS] = { "paid_weeks", CT_HUNDREDTHS, 0, 1, 5214, NULL },
	[PC_TLR] = { "tlr", CT_POUNDS, 0, 0, POST_SHEET_ALLOWANCE_MAX, NULL },
	[PC_SEN] = { "sen", CT_POUNDS, 0, 0, POST_SHEET_ALLOWANCE_MAX, NULL },
	[PC_FRINGE] = { "fringe", CT_POUNDS, 0, 0, POST_SHEET_ALLOWANCE_MAX, NULL },
	[PC_OTHER] = { "other_allowance", CT_POUNDS, 0, 0, POST_SHEET_ALLOWANCE_MAX, NULL },
	[PC_PENSION] = { "pension", CT_CHOICE, 1, 0, 0, pensions },
	[PC_NI] = { "ni_category", CT_CHOICE, 0, 0, 0, ni_cats },
	[PC_STARTS] = { "starts_on", CT_DATE, 0, 0, 0, NULL },
	[PC_ENDS] = { "ends_on", CT_DATE, 0, 0, 0, NULL },
	[PC_VACANT] = { "vacant", CT_BOOL, 0, 0, 0, NULL },
	[PC_HOLDER] = { "holder_name", CT_TEXT, 0, 0, 120, NULL },
	[PC_PERIODS] = { "periods_taught", CT_INT, 0, 0, 1000, NULL },
	[PC_PAY_COST] = { "pay_cost", CT_IGNORED, 0, 0, 0, NULL },
	[PC_NI_COST] = { "ni_cost", CT_IGNORED, 0, 0, 0, NULL },
	[PC_PENSION_COST] = { "pension_cost", CT_IGNORED, 0, 0, 0, NULL },
	[PC_TOTAL_COST] = { "total_cost", CT_IGNORED, 0, 0, 0, NULL },
};

#define POST_SHEET_COLUMNS \
	"reference, title, role, account_code, scale, point, top_point, point_year, fte, paid_weeks, tlr, sen, " \
	"fringe, other_allowance, pension, ni_category, starts_on, ends_on, vacant, holder_name, periods_taught"

static const struct sheet_csv_cols post_cols = SHEET_CSV_COLS(cols, POST_SHEET_COLUMNS);

void post_sheet_init(struct post_sheet *s, struct problem *p)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
}

void post_sheet_free(struct post_sheet *s)
{
	free(s->posts);
	s->posts = NULL;
	s->n = s->cap = 0;
	for (size_t i = 0; i < s->nrefs; i++)
		free(s->refs[i].reference);
	free(s->refs);
	s->refs = NULL;
	s->nrefs = s->refs_cap = 0;
}

/* Remember row's reference (good or bad row), for the duplicates. 0, or -1 out of memory. */
static int sheet_add_ref(struct post_sheet *s, size_t row, const char *ref)
{
	if (s->nrefs == s->refs_cap) {
		size_t cap = s->refs_cap ? s->refs_cap * 2 : 32;
		void *q = realloc(s->refs, cap * sizeof(*s->refs));

		if (q == NULL)
			return -1;
		s->refs = q;
		s->refs_cap = cap;
	}
	if ((s->refs[s->nrefs].reference = strdup(ref)) == NULL)
		return -1;
	s->refs[s->nrefs++].row = row;
	return 0;
}

void post_sheet_field(const struct post_sheet *s, size_t row, size_t col, char *buf, size_t len)
{
	sheet_csv_field(&post_cols, s->colmap, s->ncols, row, col, buf, len);
}

int post_sheet_is_header(const struct post_sheet *s, const struct sheet_row *row)
{
	int seen[PC__N] = { 0 };

	(void)s;
	sheet_csv_seen(&post_cols, row, seen);
	return seen[PC_REF] && seen[PC_TITLE] && seen[PC_ROLE];
}

void post_sheet_header(struct post_sheet *s, struct sheet_row *row)
{
	int have[PC__N] = { 0 };
	char f[48];

	s->header_done = 1;
	if (sheet_csv_header(&post_cols, row, s->colmap, &s->ncols, have, s->p))
		s->header_bad = 1;
	for (int k = 0; k < PC__N; k++)
		if (cols[k].required && !have[k]) {
			snprintf(f, sizeof(f), "row %zu", row->row);
			problem_field(s->p, f, "the header has no %s column", cols[k].name);
			s->header_bad = 1;
		}
}

/* Characters (not bytes) of UTF-8 text. */
static size_t sheet_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* "1", "1.0", "0.60", "43.6": hundredths; -1 when not such a decimal. */
static int64_t sheet_hundredths(const char *s)
{
	int64_t v = 0;
	int digits = 0, decimals = -1;

	for (; *s != '\0'; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || digits > 9 || decimals >= 2)
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (decimals >= 0)
			decimals++;
	}
	if (digits == 0)
		return -1;
	for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
		v *= 10;
	return v;
}

/* A date cell: "YYYY-MM-DD", or a spreadsheet's date number (whole days since
 * 1899-12-30, 1 to 2958465). 0 with iso (11 bytes) set, or -1. */
static int sheet_date(const char *s, char *iso)
{
	int32_t d;
	char *end;
	long long n;

	if (date_parse(s, &d) == 0) {
		date_format(d, iso, 11);
		return 0;
	}
	n = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n < 1 || n > 2958465)
		return -1;
	date_format(date_from_ymd(1899, 12, 30) + (int32_t)n, iso, 11);
	return 0;
}

static int sheet_bool(const char *s, int *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", NULL }, *const no[] = { "no", "n", "false", "0", NULL };
	char low[8];
	size_t i;

	if (strlen(s) >= sizeof(low))
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	low[i] = '\0';
	for (i = 0; yes[i] != NULL; i++)
		if (strcmp(low, yes[i]) == 0)
			return *v = 1, 0;
	for (i = 0; no[i] != NULL; i++)
		if (strcmp(low, no[i]) == 0)
			return *v = 0, 0;
	return -1;
}

/* One non-empty cell of column c into v (numbers) or iso (dates): 0, or -1 with the field error added. */
static int sheet_value(struct post_sheet *s, const struct col *c, const char *field, const char *cell, int64_t *v,
		       char *iso)
{
	const char *why;
	char buf[160];
	int y, b;

	switch (c->type) {
	case CT_TEXT:
		if ((int64_t)sheet_chars(cell) > c->max)
			return problem_field(s->p, field, "must be at most %lld characters", (long long)c->max);
		return 0;
	case CT_CHOICE:
		for (size_t i = 0; c->choices[i] != NULL; i++)
			if (strcmp(c->choices[i], cell) == 0)
				return 0;
		return problem_field(s->p, field, "must be one of %s",
				     c->choices == roles ? "teacher, leadership, teaching_assistant, admin, premises, "
				     "catering, other_support" : c->choices == pensions ? "tps, lgps, none" : "A, M, H");
	case CT_SCALE:
		return (why = staff_input_scale_name(cell)) == NULL ? 0 : problem_field(s->p, field, "%s", why);
	case CT_POINT:
		return (why = staff_input_point(cell)) == NULL ? 0 : problem_field(s->p, field, "%s", why);
	case CT_YEAR:
		if (acyear_parse(cell, &y) != 0 || y < c->min || y > c->max)
			return problem_field(s->p, field, "must be an academic year written like 2026-27");
		*v = y;
		return 0;
	case CT_HUNDREDTHS:
		*v = sheet_hundredths(cell);
		if (*v < c->min || *v > c->max)
			return problem_field(s->p, field, "must be a number from %lld.%02lld to %lld.%02lld with at most two "
					     "decimals", (long long)(c->min / 100), (long long)(c->min % 100),
					     (long long)(c->max / 100), (long long)(c->max % 100));
		return 0;
	case CT_POUNDS:
		if (money_parse_pounds(cell, v, buf, sizeof(buf)) != 0)
			return problem_field(s->p, field, "%s", buf);
		if (*v < c->min || *v > c->max)
			return problem_field(s->p, field, "must be from £0 to £%lld", (long long)(c->max / 100));
		return 0;
	case CT_DATE:
		if (sheet_date(cell, iso) != 0)
			return problem_field(s->p, field, "must be a date written like 2026-09-01");
		return 0;
	case CT_BOOL:
		if (sheet_bool(cell, &b) != 0)
			return problem_field(s->p, field, "must be yes or no");
		*v = b;
		return 0;
	case CT_INT: {
		char *end;
		long long n = strtoll(cell, &end, 10);

		if (*end != '\0' || n < c->min || n > c->max)
			return problem_field(s->p, field, "must be a whole number from %lld to %lld", (long long)c->min,
					     (long long)c->max);
		*v = n;
		return 0;
	}
	case CT_IGNORED:
		return 0;
	}
	return -1;
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

void post_sheet_line(struct post_sheet *s, struct sheet_row *row)
{
	const char *text[PC__N] = { 0 };
	int64_t v[PC__N] = { 0 };
	char iso[PC__N][11] = { { 0 } };
	size_t errors = s->p->nerrors + s->p->nerrors_dropped;
	struct post_sheet_post *pt;
	const char *why;
	char f[64], msg[128];
	void *q;

	if (sheet_csv_blank(row) || s->header_bad || s->oom)
		return;
	if (s->n + s->bad_rows >= POST_SHEET_MAX_ROWS) {
		if (!s->full)
			problem_field(s->p, "file", "has more than %d rows", POST_SHEET_MAX_ROWS);
		s->full = 1;
		return;
	}
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++) {
		char *cell = sheet_csv_trim(row->cell[i]);

		if (i < s->ncols && s->colmap[i] >= 0) {
			text[s->colmap[i]] = cell;
		} else if (*cell != '\0') {
			snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
			problem_field(s->p, f, "has a value but no header");
		}
	}
	if (row->beyond != 0) {
		snprintf(f, sizeof(f), "row %zu, column %zu", row->row, row->beyond);
		problem_field(s->p, f, "has a value but no header");
	}
	for (int k = 0; k < PC__N; k++) {
		snprintf(f, sizeof(f), "row %zu, %s", row->row, cols[k].name);
		if (text[k] == NULL)
			text[k] = "";
		if (*text[k] == '\0') {
			if (cols[k].required)
				problem_field(s->p, f, "is empty");
			continue;
		}
		(void)sheet_value(s, &cols[k], f, text[k], &v[k], iso[k]);
	}
	if (*text[PC_ROLE] != '\0' && *text[PC_CODE] != '\0' && s->p->nerrors + s->p->nerrors_dropped == errors &&
	    (why = staff_input_role_code(text[PC_ROLE], text[PC_CODE], msg, sizeof(msg))) != NULL) {
		snprintf(f, sizeof(f), "row %zu, account_code", row->row);
		problem_field(s->p, f, "%s", why);
	}
	if (iso[PC_STARTS][0] != '\0' && iso[PC_ENDS][0] != '\0' && strcmp(iso[PC_ENDS], iso[PC_STARTS]) < 0) {
		snprintf(f, sizeof(f), "row %zu, ends_on", row->row);
		problem_field(s->p, f, "is before starts_on");
	}
	if (v[PC_VACANT] && *text[PC_HOLDER] != '\0') {
		snprintf(f, sizeof(f), "row %zu, holder_name", row->row);
		problem_field(s->p, f, "must be empty for a vacant post");
	}
	for (size_t i = 0; i < s->nrefs && *text[PC_REF] != '\0'; i++)
		if (strcmp(s->refs[i].reference, text[PC_REF]) == 0) {
			snprintf(f, sizeof(f), "row %zu, reference", row->row);
			problem_field(s->p, f, "%s is also on row %zu", text[PC_REF], s->refs[i].row);
			break;
		}
	if (*text[PC_REF] != '\0' && sheet_add_ref(s, row->row, text[PC_REF]) != 0) {
		s->oom = 1;
		return;
	}
	if (s->p->nerrors + s->p->nerrors_dropped != errors) {
		s->bad_rows++;
		return;
	}
	if ((q = sheet_csv_grow(s->posts, s->n, &s->cap, sizeof(*s->posts), 32)) == NULL) {
		s->oom = 1;
		return;
	}
	s->posts = q;
	pt = &s->posts[s->n++];
	memset(pt, 0, sizeof(*pt));
	pt->row = row->row;
	COPY(pt->reference, text[PC_REF]);
	COPY(pt->title, text[PC_TITLE]);
	COPY(pt->role, text[PC_ROLE]);
	COPY(pt->account_code, text[PC_CODE]);
	COPY(pt->scale, text[PC_SCALE]);
	COPY(pt->point, text[PC_POINT]);
	COPY(pt->top_point, text[PC_TOP]);
	pt->point_year = (int)v[PC_YEAR];
	pt->fte_h = (int32_t)v[PC_FTE];
	pt->paid_weeks_h = (int32_t)v[PC_WEEKS];
	pt->tlr_pence = v[PC_TLR];
	pt->sen_pence = v[PC_SEN];
	pt->fringe_pence = v[PC_FRINGE];
	pt->other_allowance_pence = v[PC_OTHER];
	COPY(pt->pension, text[PC_PENSION]);
	COPY(pt->ni_category, *text[PC_NI] != '\0' ? text[PC_NI] : "A");
	COPY(pt->starts_on, iso[PC_STARTS]);
	COPY(pt->ends_on, iso[PC_ENDS]);
	pt->vacant = (int)v[PC_VACANT];
	COPY(pt->holder_name, text[PC_HOLDER]);
	pt->periods_taught = *text[PC_PERIODS] != '\0' ? (int32_t)v[PC_PERIODS] : -1;
}

int post_sheet_finish(struct post_sheet *s, const char *what)
{
	return sheet_csv_finish(s->p, s->oom, s->n, what);
}

/* ---- the reader, for the CSV (here) and the XLSX imports ---- */

static int post_sheet_is_header_cb(void *arg, const struct sheet_row *row)
{
	return post_sheet_is_header(arg, row);
}

static void post_sheet_header_cb(void *arg, struct sheet_row *row)
{
	post_sheet_header(arg, row);
}

static void post_sheet_line_cb(void *arg, struct sheet_row *row)
{
	post_sheet_line(arg, row);
}

static void post_sheet_field_cb(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	post_sheet_field(arg, row, col, buf, len);
}

void post_sheet_reader(struct post_sheet *s, struct sheet_reader *rd)
{
	*rd = (struct sheet_reader){
		.is_header = post_sheet_is_header_cb, .header = post_sheet_header_cb, .line = post_sheet_line_cb,
		.field = post_sheet_field_cb,
		.empty = "the file is empty: it needs a header row (" POST_SHEET_COLUMNS ") and a row for each post",
		.header_done = &s->header_done, .header_bad = &s->header_bad, .oom = &s->oom, .arg = s,
	};
}

int post_sheet_csv(const char *buf, size_t len, enum textenc declared, struct post_sheet *s, enum textenc *read_as)
{
	struct sheet_reader rd;

	post_sheet_reader(s, &rd);
	if (sheet_csv_read(&rd, buf, len, declared, s->p, read_as) != 0)
		return -1;
	return post_sheet_finish(s, "file");
}
