/* budget_csv.c - see budget_csv.h */
#include "budget_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "csvcell.h"
#include "money.h"
#include "utf8.h"

enum { COL_CODE, COL_DESC, COL_AMOUNT, COL_DRIVER, COL_EXCLUDED, COL__N };

#define CSV_NO_COLUMN   (-1)                 /* an empty header cell */
#define CSV_MAX_COLS    64

static const char *const csv_names[COL__N] = {
	[COL_CODE] = "code", [COL_DESC] = "description", [COL_AMOUNT] = "amount",
	[COL_DRIVER] = "driver", [COL_EXCLUDED] = "excluded_from_central",
};

struct csv_state {
	struct budget *b;
	struct problem *p;
	size_t row;                              /* the spreadsheet row being read (header: 1) */
	size_t nfields;                          /* fields of this record so far */
	int last_term;                           /* what ended the last record or blank row */
	int header_done, header_bad;
	int colmap[CSV_MAX_COLS];                /* header column -> COL_* or CSV_NO_COLUMN */
	size_t ncols;                            /* header columns */
	size_t need;                             /* fields a row needs: 1 + the last required column */
	char *val[COL__N];                       /* this row's values (NULL: not given) */
	int nonempty;                            /* a field of this row has text */
	int extra;                               /* text past the header's columns or under an empty header */
	size_t extra_col;
	int syntax;                              /* the file cannot be read as CSV (400) */
	int content;                             /* the header or a value is wrong (422) */
	int oom;
	int full;                                /* BUDGET_MAX_LINES reached (reported once) */
	size_t data_rows;
};


/* A value as shown in a message: at most 40 characters (valid UTF-8 in, valid UTF-8
 * out), control characters as '?'. buf >= 200. */
static const char *csv_show(const char *v, char *buf, size_t len)
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

/* Trim spaces and tabs in place. */
static char *csv_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* "row 14, amount" or "row 14, column 6" for the field at 0-based index col. */
static void csv_field(const struct csv_state *st, size_t col, char *buf, size_t len)
{
	if (st->header_done && col < st->ncols && st->colmap[col] >= 0)
		snprintf(buf, len, "row %zu, %s", st->row, csv_names[st->colmap[col]]);
	else
		snprintf(buf, len, "row %zu, column %zu", st->row, col + 1);
}

/* An error about a whole row (its message already formatted). */
static void csv_row_error(struct csv_state *st, const char *msg)
{
	char field[32];

	snprintf(field, sizeof(field), "row %zu", st->row);
	problem_field(st->p, field, "%s", msg);
	st->content = 1;
}

/* "Excluded from central" -> "excluded_from_central" */
static int csv_header_kind(const char *name)
{
	char norm[48];
	size_t o = 0;

	for (const char *c = name; *c != '\0'; c++) {
		char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;

		if (o + 1 >= sizeof(norm))
			return -2;
		norm[o++] = ch == ' ' || ch == '-' ? '_' : ch;
	}
	norm[o] = '\0';
	for (int k = 0; k < COL__N; k++)
		if (strcmp(norm, csv_names[k]) == 0)
			return k;
	return -2;
}

static void csv_header_field(struct csv_state *st, size_t col, char *name)
{
	char field[32], show[200];
	int k;

	if (col >= CSV_MAX_COLS) {
		if (col == CSV_MAX_COLS) {
			snprintf(field, sizeof(field), "row %zu", st->row);
			problem_field(st->p, field, "the header has more than %d columns", CSV_MAX_COLS);
			st->content = st->header_bad = 1;
		}
		return;
	}
	st->ncols = col + 1;
	name = csv_trim(name);
	if (name[0] == '\0') {
		st->colmap[col] = CSV_NO_COLUMN;
		return;
	}
	snprintf(field, sizeof(field), "row %zu, column %zu", st->row, col + 1);
	if ((k = csv_header_kind(name)) < 0) {
		problem_field(st->p, field, "unknown column \"%s\": the columns are code, description, amount "
			      "and optionally driver, excluded_from_central", csv_show(name, show, sizeof(show)));
		st->content = st->header_bad = 1;
		st->colmap[col] = CSV_NO_COLUMN;
		return;
	}
	for (size_t i = 0; i < col; i++) {
		if (st->colmap[i] == k) {
			problem_field(st->p, field, "\"%s\" is also column %zu", csv_names[k], i + 1);
			st->content = st->header_bad = 1;
			st->colmap[col] = CSV_NO_COLUMN;
			return;
		}
	}
	st->colmap[col] = k;
	/* a row may stop early after its last required column (optional ones empty) */
	if (k <= COL_AMOUNT && col + 1 > st->need)
		st->need = col + 1;
}

static void csv_header_done(struct csv_state *st)
{
	static const int required[] = { COL_CODE, COL_DESC, COL_AMOUNT };
	char field[32];

	snprintf(field, sizeof(field), "row %zu", st->row);
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		size_t i = 0;

		while (i < st->ncols && i < CSV_MAX_COLS && st->colmap[i] != required[r])
			i++;
		if (i == st->ncols || i == CSV_MAX_COLS) {
			problem_field(st->p, field, "the header has no \"%s\" column: the first row must name "
				      "the columns, code,description,amount", csv_names[required[r]]);
			st->content = st->header_bad = 1;
		}
	}
	st->header_done = 1;
}

/* yes/no and friends; -1 when not one of them. */
static int csv_yes_no(const char *v)
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

/* An error about one value: the value quoted (when given), then why. */
static void csv_value_error(struct csv_state *st, int k, const char *value, const char *why)
{
	char field[48], show[200];

	snprintf(field, sizeof(field), "row %zu, %s", st->row, csv_names[k]);
	if (value != NULL)
		problem_field(st->p, field, "\"%s\" %s", csv_show(value, show, sizeof(show)), why);
	else
		problem_field(st->p, field, "%s", why);
	st->content = 1;
}

static void csv_row_done(struct csv_state *st)
{
	char why[96], msg[160];
	const char *code, *desc, *driver = NULL, *err;
	int64_t pence = 0;
	int excluded = 0, bad = 0;
	struct budget_line *l;

	if (!st->nonempty && !st->extra)
		return;                              /* a blank spreadsheet row */
	st->data_rows++;
	if (st->nfields < st->need) {
		snprintf(msg, sizeof(msg), "has %zu field%s; the header has %zu", st->nfields,
			 st->nfields == 1 ? "" : "s", st->ncols);
		csv_row_error(st, msg);
		return;
	}
	if (st->extra) {
		snprintf(msg, sizeof(msg), "has text in column %zu, which has no header (the header has %zu "
			 "columns)", st->extra_col + 1, st->ncols);
		csv_row_error(st, msg);
		return;
	}

	code = csv_trim(st->val[COL_CODE]);
	if (code[0] == '\0') {
		csv_value_error(st, COL_CODE, NULL, "is empty");
		bad = 1;
	} else if ((err = budget_check_account(budget_chart_find(st->b->chart, code))) != NULL) {
		csv_value_error(st, COL_CODE, code, err);
		bad = 1;
	}
	desc = st->val[COL_DESC];
	if ((err = budget_check_description(desc)) != NULL) {
		csv_value_error(st, COL_DESC, NULL, err);
		bad = 1;
	}
	if (money_parse_pounds(st->val[COL_AMOUNT], &pence, why, sizeof(why)) != 0) {
		if (csv_trim(st->val[COL_AMOUNT])[0] == '\0')
			csv_value_error(st, COL_AMOUNT, NULL, "is empty");
		else
			csv_value_error(st, COL_AMOUNT, st->val[COL_AMOUNT], why);
		bad = 1;
	} else if (!budget_amount_ok(pence)) {
		csv_value_error(st, COL_AMOUNT, st->val[COL_AMOUNT], "is beyond the limit of a line, £1bn either way");
		bad = 1;
	}
	if (st->val[COL_DRIVER] != NULL && (driver = csv_trim(st->val[COL_DRIVER]))[0] != '\0' &&
	    (err = budget_check_driver(driver)) != NULL) {
		csv_value_error(st, COL_DRIVER, driver, err);
		bad = 1;
	}
	if (st->val[COL_EXCLUDED] != NULL && (excluded = csv_yes_no(csv_trim(st->val[COL_EXCLUDED]))) < 0) {
		csv_value_error(st, COL_EXCLUDED, st->val[COL_EXCLUDED], "must be yes or no (or empty for no)");
		bad = 1;
	}
	if (bad || st->full)
		return;
	if (st->b->nlines >= BUDGET_MAX_LINES) {
		snprintf(msg, sizeof(msg), "the file has more than %d lines: split the budget", BUDGET_MAX_LINES);
		csv_row_error(st, msg);
		st->full = 1;
		return;
	}
	if ((l = budget_add_line(st->b, code, desc, pence)) == NULL) {
		st->oom = 1;
		return;
	}
	if (driver != NULL)
		snprintf(l->driver, sizeof(l->driver), "%s", driver);
	l->excluded_from_central = excluded;
}

static void csv_reset_row(struct csv_state *st)
{
	for (int k = 0; k < COL__N; k++) {
		free(st->val[k]);
		st->val[k] = NULL;
	}
	st->nfields = 0;
	st->nonempty = st->extra = 0;
}

static void csv_on_field(void *s, size_t n, void *data)
{
	struct csv_state *st = data;
	size_t col = st->nfields++;
	char empty[1] = "";
	char *text = s != NULL ? s : empty, field[48];
	int k;

	if (st->oom)
		return;
	if (!utf8_valid((const unsigned char *)text, n)) {
		csv_field(st, col, field, sizeof(field));
		problem_field(st->p, field, "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"");
		st->syntax = 1;
		text = empty;
		n = 0;
	}
	if (!st->header_done) {
		csv_header_field(st, col, text);
		return;
	}
	if (text[strspn(text, " \t")] != '\0')
		st->nonempty = 1;
	else
		n = 0;
	k = col < st->ncols && col < CSV_MAX_COLS ? st->colmap[col] : CSV_NO_COLUMN;
	if (k == CSV_NO_COLUMN) {
		if (n > 0 && !st->extra) {
			st->extra = 1;
			st->extra_col = col;
		}
		return;
	}
	if ((st->val[k] = strdup(text)) == NULL)
		st->oom = 1;
}

static void csv_on_record(int c, void *data)
{
	struct csv_state *st = data;

	if (st->nfields == 0) {
		/* a line end outside a record: the LF of a CRLF, or a blank line */
		if (!(c == '\n' && st->last_term == '\r'))
			st->row++;
		st->last_term = c;
		return;
	}
	st->last_term = c;
	if (!st->oom) {
		if (!st->header_done)
			csv_header_done(st);
		else if (!st->header_bad)
			csv_row_done(st);
	}
	csv_reset_row(st);
	st->row++;
}

int budget_csv_parse(const char *buf, size_t len, struct budget *b, struct problem *p)
{
	struct csv_parser cp;
	struct csv_state st = { .b = b, .p = p, .row = 1 };
	char field[48];
	size_t done;
	int rc = -1;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		return problem_internal(p);
	done = csv_parse(&cp, buf, len, csv_on_field, csv_on_record, &st);
	if (done < len || csv_fini(&cp, csv_on_field, csv_on_record, &st) != 0) {
		if (csv_error(&cp) == CSV_EPARSE) {
			csv_field(&st, st.nfields, field, sizeof(field));
			problem_field(p, field, done < len ?
				      "broken quoting: a field with a quote in it must be in quotes, with each "
				      "quote inside written twice (\"\")" :
				      "a quoted field is not closed: the file ends inside quotes");
			st.syntax = 1;
		} else {
			st.oom = 1;
		}
	}
	csv_reset_row(&st);
	csv_free(&cp);

	if (st.oom) {
		problem_internal(p);
		goto out;
	}
	if (!st.header_done && !st.syntax) {
		problem_field(p, "row 1", "the file is empty: it needs a header row (code,description,amount) "
			      "and a row for each line");
		st.syntax = 1;
	} else if (!st.header_bad && st.data_rows == 0 && !st.syntax) {
		problem_field(p, "row 2", "the file has a header but no lines");
		st.content = 1;
	}
	if (st.syntax)
		problem_set(p, 400, "bad-request", "Bad request",
			    "the file cannot be read as CSV (UTF-8, comma-separated): nothing was imported");
	else if (st.content || p->nerrors > 0)
		problem_set(p, 422, "validation", "Validation failed",
			    "the file has %zu problem%s: nothing was imported", p->nerrors + p->nerrors_dropped,
			    p->nerrors + p->nerrors_dropped == 1 ? "" : "s");
	else
		rc = 0;
out:
	return rc;
}

/* ---- writing ---- */

struct csv_out {
	char *buf;
	size_t len, cap;
	int oom;
};

static void csv_put(struct csv_out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		if ((nb = realloc(o->buf, cap)) == NULL) {
			o->oom = 1;
			return;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void csv_put_any(void *o, const char *s, size_t n)
{
	csv_put(o, s, n);
}

/* A field, in quotes when libcsv would otherwise change it, never a formula (csvcell.h). */
static void csv_put_field(struct csv_out *o, const char *s)
{
	csvcell_write(s, 0, csv_put_any, o);
}

int budget_csv_write(const struct budget *b, char **out, size_t *len)
{
	static const char head[] = "code,description,amount\r\n";
	static const char head_extras[] = "code,description,amount,driver,excluded_from_central\r\n";
	struct csv_out o = { 0 };
	int extras = 0;
	char amount[32];

	for (size_t i = 0; i < b->nlines && !extras; i++)
		extras = b->lines[i].driver[0] != '\0' || b->lines[i].excluded_from_central;
	if (extras)
		csv_put(&o, head_extras, sizeof(head_extras) - 1);
	else
		csv_put(&o, head, sizeof(head) - 1);
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];
		size_t n = money_format_plain(l->amount_pence, amount, sizeof(amount));

		csv_put_field(&o, l->code);
		csv_put(&o, ",", 1);
		csv_put_field(&o, l->description);
		csv_put(&o, ",", 1);
		csv_put(&o, amount, n);
		if (extras) {
			csv_put(&o, ",", 1);
			csv_put_field(&o, l->driver);
			csv_put(&o, l->excluded_from_central ? ",yes" : ",", l->excluded_from_central ? 4 : 1);
		}
		csv_put(&o, "\r\n", 2);
	}
	if (o.oom) {
		free(o.buf);
		return -1;
	}
	*out = o.buf;
	*len = o.len;
	return 0;
}
