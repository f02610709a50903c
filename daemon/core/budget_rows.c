/* budget_rows.c - see budget_rows.h */
#include "budget_rows.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "money.h"
#include "sheet_csv.h"
#include "textenc.h"

enum { COL_CODE, COL_DESC, COL_AMOUNT, COL_DRIVER, COL_EXCLUDED, COL_ACCOUNT, COL_KIND, COL_COMPUTED, COL_PROFILE,
       COL__N };

#define NO_COLUMN (-1)                       /* an empty header cell */

static const char *const col_names[COL__N] = {
	[COL_CODE] = "code", [COL_DESC] = "description", [COL_AMOUNT] = "amount",
	[COL_DRIVER] = "driver", [COL_EXCLUDED] = "excluded_from_central",
	[COL_ACCOUNT] = "account", [COL_KIND] = "kind", [COL_COMPUTED] = "computed", [COL_PROFILE] = "profile",
};

/* The header's messages are rows_header_cell's own. */
static const struct sheet_csv_cols budget_cols = SHEET_CSV_COLS(col_names, NULL);

void budget_rows_init(struct budget_rows *r, struct budget *b, struct problem *p, int ragged)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	r->p = p;
	r->ragged = ragged;
}

const char *budget_rows_show(const char *v, char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t o = 0, chars = 0;

	while (*u != '\0') {
		size_t k = *u >= 0xf0 ? 4 : *u >= 0xe0 ? 3 : *u >= 0xc0 ? 2 : 1;

		if (chars == 40 || o + k + 4 > len) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		for (size_t j = 0; j < k && *u != '\0'; j++, u++)
			buf[o++] = *u < 0x20 || *u == 0x7f ? '?' : (char)*u;
		chars++;
	}
	buf[o] = '\0';
	return buf;
}

static int rows_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t")] == '\0';
}

/* "Excluded from central" -> COL_EXCLUDED; -1 when no column has the name. */
static int rows_kind(const char *name)
{
	return sheet_csv_column(&budget_cols, name);
}

int budget_rows_is_header(const struct sheet_row *row)
{
	int seen[COL__N] = { 0 };

	for (size_t i = 0; i < row->n && i < BUDGET_ROWS_MAX_COLS; i++) {
		char name[48];
		int k;

		if (row->cell[i] == NULL)
			continue;
		snprintf(name, sizeof(name), "%s", row->cell[i]);
		if ((k = rows_kind(sheet_csv_trim(name))) >= 0)
			seen[k] = 1;
	}
	return seen[COL_CODE] && seen[COL_DESC] && seen[COL_AMOUNT];
}

static void rows_header_cell(struct budget_rows *r, size_t row, size_t col, char *name)
{
	char field[48], show[200];
	int k;

	name = sheet_csv_trim(name);
	if (name[0] == '\0') {
		r->colmap[col] = NO_COLUMN;
		return;
	}
	snprintf(field, sizeof(field), "row %zu, column %zu", row, col + 1);
	if ((k = rows_kind(name)) < 0) {
		problem_field(r->p, field, "unknown column \"%s\": the columns are code, description, amount "
			      "and optionally driver, excluded_from_central, profile (account, kind and computed are "
			      "read and ignored)", budget_rows_show(name, show, sizeof(show)));
		r->content = r->header_bad = 1;
		r->colmap[col] = NO_COLUMN;
		return;
	}
	for (size_t i = 0; i < col; i++) {
		if (r->colmap[i] == k) {
			problem_field(r->p, field, "\"%s\" is also column %zu", col_names[k], i + 1);
			r->content = r->header_bad = 1;
			r->colmap[col] = NO_COLUMN;
			return;
		}
	}
	r->colmap[col] = k;
	/* a row may stop early after its last required column (optional ones empty) */
	if (k <= COL_AMOUNT && col + 1 > r->need)
		r->need = col + 1;
}

void budget_rows_header(struct budget_rows *r, struct sheet_row *row)
{
	static const int required[] = { COL_CODE, COL_DESC, COL_AMOUNT };
	char field[32];

	snprintf(field, sizeof(field), "row %zu", row->row);
	r->header_row = row->row;
	r->ncols = row->n < BUDGET_ROWS_MAX_COLS ? row->n : BUDGET_ROWS_MAX_COLS;
	if (row->n > BUDGET_ROWS_MAX_COLS) {
		problem_field(r->p, field, "the header has more than %d columns", BUDGET_ROWS_MAX_COLS);
		r->content = r->header_bad = 1;
	}
	for (size_t i = 0; i < r->ncols; i++)
		rows_header_cell(r, row->row, i, row->cell[i] != NULL ? row->cell[i] : (char *)"");
	for (size_t q = 0; q < sizeof(required) / sizeof(required[0]); q++) {
		size_t i = 0;

		while (i < r->ncols && r->colmap[i] != required[q])
			i++;
		if (i == r->ncols) {
			problem_field(r->p, field, "the header has no \"%s\" column: the first row must name "
				      "the columns, code,description,amount", col_names[required[q]]);
			r->content = r->header_bad = 1;
		}
	}
	r->header_done = 1;
}

/* yes/no and friends; -1 when not one of them. */
static int rows_yes_no(const char *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", NULL };
	static const char *const no[] = { "no", "n", "false", "0", "", NULL };

	for (size_t i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	for (size_t i = 0; no[i] != NULL; i++)
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}

/* An error about a whole row. */
static void rows_row_error(struct budget_rows *r, size_t row, const char *msg)
{
	char field[32];

	snprintf(field, sizeof(field), "row %zu", row);
	problem_field(r->p, field, "%s", msg);
	r->content = 1;
}

/* An error about one value: the value quoted (when given), then why. */
static void rows_value_error(struct budget_rows *r, size_t row, int k, const char *value, const char *why)
{
	char field[48], show[200];

	snprintf(field, sizeof(field), "row %zu, %s", row, col_names[k]);
	if (value != NULL)
		problem_field(r->p, field, "\"%s\" %s", budget_rows_show(value, show, sizeof(show)), why);
	else
		problem_field(r->p, field, "%s", why);
	r->content = 1;
}

/* Each column kind's cell of the row (NULL: none). */
static void rows_values(const struct budget_rows *r, const struct sheet_row *row, char *val[COL__N])
{
	for (int k = 0; k < COL__N; k++)
		val[k] = NULL;
	for (size_t i = 0; i < r->ncols && i < row->n; i++)
		if (r->colmap[i] >= 0)
			val[r->colmap[i]] = row->cell[i];
}

/* Whether the row is blank; *extra gets the 1-based column of text under no header. */
static int rows_is_blank(const struct budget_rows *r, const struct sheet_row *row, size_t *extra)
{
	size_t n = row->n < BUDGET_ROWS_MAX_COLS ? row->n : BUDGET_ROWS_MAX_COLS;
	int blank = 1;

	*extra = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows_blank(row->cell[i]))
			continue;
		blank = 0;
		if (*extra == 0 && (i >= r->ncols || r->colmap[i] < 0))
			*extra = i + 1;
	}
	if (row->beyond != 0) {
		blank = 0;
		if (*extra == 0)
			*extra = row->beyond;
	}
	return blank;
}

static void rows_description(struct budget_rows *r, size_t row, const char *desc, int *bad)
{
	char buf[400];
	const char *err;

	if (textenc_mojibake_message(desc, buf, sizeof(buf)) != NULL) {
		rows_value_error(r, row, COL_DESC, desc, buf);
		*bad = 1;
	} else if ((err = budget_check_description(desc)) != NULL) {
		rows_value_error(r, row, COL_DESC, NULL, err);
		*bad = 1;
	}
}

void budget_rows_line(struct budget_rows *r, struct sheet_row *row)
{
	char why[96], msg[160], *val[COL__N];
	const char *code, *desc, *driver = NULL, *err, *profile = NULL;
	int32_t w[PROFILE_MONTHS];
	int64_t pence = 0;
	int excluded = 0, bad = 0, computed;
	size_t extra;
	struct budget_line *l;

	if (r->header_bad || r->oom || rows_is_blank(r, row, &extra))
		return;
	r->data_rows++;
	rows_values(r, row, val);
	if (val[COL_COMPUTED] != NULL && (computed = rows_yes_no(sheet_csv_trim(val[COL_COMPUTED]))) != 0) {
		if (computed < 0)
			rows_value_error(r, row->row, COL_COMPUTED, val[COL_COMPUTED],
					 "must be yes or no (yes: a line the finance rules post, skipped)");
		else
			r->skipped_computed++;
		return;
	}
	if (r->ragged && row->n < r->need) {
		snprintf(msg, sizeof(msg), "has %zu field%s; the header has %zu", row->n, row->n == 1 ? "" : "s",
			 r->ncols);
		rows_row_error(r, row->row, msg);
		return;
	}
	if (extra != 0) {
		snprintf(msg, sizeof(msg), "has text in column %zu, which has no header (the header has %zu "
			 "columns)", extra, r->ncols);
		rows_row_error(r, row->row, msg);
		return;
	}

	code = sheet_csv_trim(val[COL_CODE]);
	if (code[0] == '\0') {
		rows_value_error(r, row->row, COL_CODE, NULL, "is empty");
		bad = 1;
	} else if ((err = budget_check_account(budget_chart_find(r->b->chart, code))) != NULL) {
		rows_value_error(r, row->row, COL_CODE, code, err);
		bad = 1;
	}
	desc = val[COL_DESC] != NULL ? val[COL_DESC] : "";
	rows_description(r, row->row, desc, &bad);
	if (val[COL_AMOUNT] == NULL || rows_blank(val[COL_AMOUNT])) {
		rows_value_error(r, row->row, COL_AMOUNT, NULL, "is empty");
		bad = 1;
	} else if (money_parse_pounds(val[COL_AMOUNT], &pence, why, sizeof(why)) != 0) {
		rows_value_error(r, row->row, COL_AMOUNT, val[COL_AMOUNT], why);
		bad = 1;
	} else if (!budget_amount_ok(pence)) {
		rows_value_error(r, row->row, COL_AMOUNT, val[COL_AMOUNT], "is beyond the limit of a line, £1bn either way");
		bad = 1;
	}
	if (val[COL_DRIVER] != NULL && (driver = sheet_csv_trim(val[COL_DRIVER]))[0] != '\0' &&
	    (err = budget_check_driver(driver)) != NULL) {
		rows_value_error(r, row->row, COL_DRIVER, driver, err);
		bad = 1;
	}
	if (val[COL_EXCLUDED] != NULL && (excluded = rows_yes_no(sheet_csv_trim(val[COL_EXCLUDED]))) < 0) {
		rows_value_error(r, row->row, COL_EXCLUDED, val[COL_EXCLUDED], "must be yes or no (or empty for no)");
		bad = 1;
	}
	if (val[COL_PROFILE] != NULL && (profile = sheet_csv_trim(val[COL_PROFILE]))[0] != '\0' &&
	    !profile_name_valid(profile) &&
	    (profile_weights_parse(profile, w) != 0 || !profile_weights_valid(w))) {
		rows_value_error(r, row->row, COL_PROFILE, profile, "must be a profile's name, or twelve weights in "
				 "basis points (September first) summing to 10000, separated by spaces");
		bad = 1;
	}
	if (bad || r->full)
		return;
	if (r->b->nlines >= BUDGET_MAX_LINES) {
		snprintf(msg, sizeof(msg), "the file has more than %d lines: split the budget", BUDGET_MAX_LINES);
		rows_row_error(r, row->row, msg);
		r->full = 1;
		return;
	}
	if ((l = budget_add_line(r->b, code, desc, pence)) == NULL) {
		r->oom = 1;
		return;
	}
	if (driver != NULL)
		snprintf(l->driver, sizeof(l->driver), "%s", driver);
	l->excluded_from_central = excluded;
	if (profile != NULL && profile_name_valid(profile))
		snprintf(l->profile, sizeof(l->profile), "%s", profile);
	else if (profile != NULL && profile[0] != '\0')
		l->has_weights = profile_weights_parse(profile, l->weights) == 0;
	l->row = row->row;
}

void budget_rows_field(const struct budget_rows *r, size_t row, size_t col, char *buf, size_t len)
{
	sheet_csv_field(&budget_cols, r->colmap, r->header_done ? r->ncols : 0, row, col, buf, len);
}

int budget_rows_finish(struct budget_rows *r, const char *what)
{
	size_t n;

	if (r->oom)
		return problem_internal(r->p);
	if (r->header_done && !r->header_bad && r->data_rows == 0 && r->p->status == 0) {
		char field[32];

		snprintf(field, sizeof(field), "row %zu", r->header_row + 1);
		problem_field(r->p, field, "the %s has a header but no lines", what);
		r->content = 1;
	}
	if (r->p->status != 0)
		return -1;
	n = r->p->nerrors + r->p->nerrors_dropped;
	if (r->content || n > 0)
		return problem_set(r->p, 422, "validation", "Validation failed",
				   "the %s has %zu problem%s: nothing was imported", what, n, n == 1 ? "" : "s");
	return 0;
}

/* ---- the reader, for the CSV (budget_csv.c) and the XLSX imports ---- */

static int budget_rows_is_header_cb(void *arg, const struct sheet_row *row)
{
	(void)arg;
	return budget_rows_is_header(row);
}

static void budget_rows_header_cb(void *arg, struct sheet_row *row)
{
	budget_rows_header(arg, row);
}

static void budget_rows_line_cb(void *arg, struct sheet_row *row)
{
	budget_rows_line(arg, row);
}

static void budget_rows_field_cb(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	budget_rows_field(arg, row, col, buf, len);
}

void budget_rows_reader(struct budget_rows *r, struct sheet_reader *rd)
{
	/* a CSV record with a field that is not text is reported as that alone (its other checks
	 * would be about the emptied field: "amount: is empty") */
	*rd = (struct sheet_reader){
		.is_header = budget_rows_is_header_cb, .header = budget_rows_header_cb, .line = budget_rows_line_cb,
		.field = budget_rows_field_cb,
		.empty = "the file is empty: it needs a header row (code,description,amount) and a row for each line",
		.header_done = &r->header_done, .header_bad = &r->header_bad, .oom = &r->oom, .arg = r,
	};
}
