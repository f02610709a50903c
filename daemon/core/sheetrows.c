/* sheetrows.c - see sheetrows.h */
#include "sheetrows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "utf8.h"

struct csv_state {
	const struct sheetrows_csv_ops *ops;
	void *arg;
	struct problem *p;
	struct sheet_row cur;                    /* the record being read */
	size_t row;                              /* the spreadsheet row being read (header: 1) */
	size_t records;
	int last_term;                           /* what ended the last record or blank row */
	const char *not_utf8;                    /* the message for a field that is not UTF-8 */
	int syntax;                              /* the file cannot be read as CSV (400) */
	int row_not_text;                        /* this record has a field that is not text */
	int oom;
};

/* "row 14, amount" or "row 14, column 6" for the field at 0-based index col. */
static void csv_field(const struct csv_state *st, size_t col, char *buf, size_t len)
{
	if (st->ops->field != NULL)
		st->ops->field(st->arg, st->row, col, buf, len);
	else
		snprintf(buf, len, "row %zu, column %zu", st->row, col + 1);
}

static void csv_reset_row(struct csv_state *st)
{
	for (size_t i = 0; i < SHEET_ROWS_MAX_COLS; i++) {
		free(st->cur.cell[i]);
		st->cur.cell[i] = NULL;
	}
	st->cur.n = st->cur.beyond = 0;
}

static void csv_on_field(void *s, size_t n, void *data)
{
	struct csv_state *st = data;
	size_t col = st->cur.n++;
	char empty[1] = "", *text = s != NULL ? s : empty, field[48];

	if (st->oom)
		return;
	if (!utf8_valid((const unsigned char *)text, n)) {
		csv_field(st, col, field, sizeof(field));
		problem_field(st->p, field, "%s", st->not_utf8);
		st->syntax = st->row_not_text = 1;
		text = empty;
		n = 0;
	}
	if (col >= SHEET_ROWS_MAX_COLS) {
		if (st->cur.beyond == 0 && text[strspn(text, " \t")] != '\0')
			st->cur.beyond = col + 1;
		return;
	}
	if ((st->cur.cell[col] = strdup(text)) == NULL)
		st->oom = 1;
}

static void csv_on_record(int c, void *data)
{
	struct csv_state *st = data;

	if (st->cur.n == 0) {
		/* a line end outside a record: the LF of a CRLF, or a blank line */
		if (!(c == '\n' && st->last_term == '\r'))
			st->row++;
		st->last_term = c;
		return;
	}
	st->last_term = c;
	st->cur.row = st->row;
	st->records++;
	if (!st->oom)
		st->ops->record(st->arg, &st->cur, st->row_not_text);
	st->row_not_text = 0;
	csv_reset_row(st);
	st->row++;
}

static int csv_unreadable(struct problem *p)
{
	return problem_set(p, 400, "bad-request", "Bad request",
			   "the file cannot be read as CSV (UTF-8 or Windows-1252, comma-separated): nothing was imported");
}

/* Parse UTF-8 buf[0..len) (no BOM). */
static int csv_parse_utf8(const char *buf, size_t len, const struct sheetrows_csv_ops *ops, void *arg,
			  struct problem *p, const char *not_utf8)
{
	struct csv_parser cp;
	struct csv_state st = { .ops = ops, .arg = arg, .p = p, .row = 1, .not_utf8 = not_utf8 };
	char field[48];
	size_t done;

	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		return problem_internal(p);
	done = csv_parse(&cp, buf, len, csv_on_field, csv_on_record, &st);
	if (done < len || csv_fini(&cp, csv_on_field, csv_on_record, &st) != 0) {
		if (csv_error(&cp) == CSV_EPARSE) {
			csv_field(&st, st.cur.n, field, sizeof(field));
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

	if (st.oom)
		return problem_internal(p);
	if (st.records == 0 && !st.syntax) {
		problem_field(p, "row 1", "%s", ops->empty);
		st.syntax = 1;
	}
	return st.syntax ? csv_unreadable(p) : 0;
}

int sheetrows_csv(const char *buf, size_t len, enum textenc declared, const struct sheetrows_csv_ops *ops,
		  void *arg, struct problem *p, enum textenc *read_as)
{
	static const char not_utf8[] = "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"";
	static const char cp1252_declared_utf8[] = "is not UTF-8 text (it looks like Windows-1252: send "
						   "charset=windows-1252, or save the spreadsheet as \"CSV UTF-8\")";
	char *text = NULL;
	size_t n, bom = textenc_bom(buf, len);
	int rc;

	if (read_as != NULL)
		*read_as = TEXTENC_UTF8;
	buf += bom;
	len -= bom;
	if (bom != 0 || declared == TEXTENC_UTF8)
		return csv_parse_utf8(buf, len, ops, arg, p,
				      textenc_is_cp1252(buf, len) ? cp1252_declared_utf8 : not_utf8);
	if (declared != TEXTENC_CP1252 && !textenc_is_cp1252(buf, len))
		return csv_parse_utf8(buf, len, ops, arg, p, not_utf8);
	/* declared Windows-1252, or bytes that can only be it */
	if ((rc = textenc_cp1252_to_utf8(buf, len, &text, &n)) < 0)
		return problem_internal(p);
	if (rc > 0) {
		problem_field(p, "row 1", "the file holds a NUL byte: it is not a text file");
		return csv_unreadable(p);
	}
	if (read_as != NULL)
		*read_as = TEXTENC_CP1252;
	rc = csv_parse_utf8(text, n, ops, arg, p, not_utf8);
	free(text);
	return rc;
}
