/* xlsx.c - see xlsx.h */
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <xlsxwriter.h>

#include "log.h"

/* The document's creation time, fixed so that a table gives the same bytes. */
#define XLSX_CREATED ((time_t)1767225600)    /* 2026-01-01T00:00:00Z */

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;                       /* the current sheet */
	lxw_format *header;
	lxw_format *fmt[TABLE__NTYPES][2][2];    /* [type][locked][bold] */
	int fd;
	char path[64];
	char *title;
	uint32_t last_row;                       /* of the current sheet */
	int closed;                              /* workbook_close() ran (it frees the workbook) */
};

/* workbook_close() calls gmtime(), whose result is shared by the process's threads. */
static pthread_mutex_t xlsx_close_lock = PTHREAD_MUTEX_INITIALIZER;

static lxw_format *xlsx_format(struct xlsx *x, enum table_type type, int locked, int bold)
{
	static const char *const numfmt[TABLE__NTYPES] = {
		[TABLE_TEXT] = NULL, [TABLE_PENCE] = "#,##0.00", [TABLE_BP] = "0.00%", [TABLE_INT] = "#,##0",
		[TABLE_DATE] = "yyyy-mm-dd",
	};
	lxw_format **f = &x->fmt[type][locked != 0][bold != 0];

	if (*f == NULL && (*f = workbook_add_format(x->wb)) != NULL) {
		if (numfmt[type] != NULL)
			format_set_num_format(*f, numfmt[type]);
		if (!locked)
			format_set_unlocked(*f);
		if (bold)
			format_set_bold(*f);
	}
	return *f;
}

static unsigned xlsx_width(const struct table_col *c)
{
	static const unsigned by_type[TABLE__NTYPES] = {
		[TABLE_TEXT] = 24, [TABLE_PENCE] = 15, [TABLE_BP] = 10, [TABLE_INT] = 10, [TABLE_DATE] = 12,
	};
	size_t head = strlen(c->name) + 3;       /* room for the filter's button */

	if (c->width > 0)
		return c->width;
	return head > by_type[c->type] ? (unsigned)head : by_type[c->type];
}

/* End the current sheet: the autofilter over what was written. */
static void xlsx_sheet_end(struct table *t)
{
	struct xlsx *x = t->out;

	if (x->ws == NULL)
		return;
	if (!(t->sheet_flags & TABLE_SHEET_NOFILTER) && t->ncols > 0 &&
	    worksheet_autofilter(x->ws, 0, 0, x->last_row, (lxw_col_t)(t->ncols - 1)) != LXW_NO_ERROR)
		t->failed = 1;
	x->ws = NULL;
}

static void xlsx_sheet(struct table *t)
{
	struct xlsx *x = t->out;
	int protect = (t->sheet_flags & TABLE_SHEET_PROTECT) != 0;

	if ((x->ws = workbook_add_worksheet(x->wb, t->name)) == NULL) {
		t->failed = 1;
		return;
	}
	x->last_row = 0;
	if (x->header == NULL && (x->header = workbook_add_format(x->wb)) != NULL) {
		format_set_bold(x->header);
		format_set_bottom(x->header, LXW_BORDER_THIN);
	}
	if (t->ncols > 0 && t->ncols - 1 > LXW_COL_MAX) {
		t->failed = 1;
		return;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const struct table_col *c = &t->cols[i];
		int locked = !protect || (c->flags & TABLE_COL_LOCKED);
		lxw_format *cf = protect ? xlsx_format(x, c->type, locked, 0) : NULL;

		/* a protected sheet's editable columns stay editable below the table */
		if (worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, xlsx_width(c), cf) != LXW_NO_ERROR ||
		    worksheet_write_string(x->ws, 0, (lxw_col_t)i, c->name, x->header) != LXW_NO_ERROR)
			t->failed = 1;
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	if (protect) {
		lxw_protection o = { .format_columns = 1, .format_rows = 1, .insert_rows = 1, .delete_rows = 1,
				     .sort = 1, .autofilter = 1 };

		worksheet_protect(x->ws, NULL, &o);
	}
}

static void xlsx_row(struct table *t)
{
	struct xlsx *x = t->out;

	if (t->row > LXW_ROW_MAX)
		t->failed = 1;
	else
		x->last_row = t->row;
}

/* "2026-09-01" -> a date; 0, or -1 when it is not one. */
static int xlsx_date(const char *s, lxw_datetime *d)
{
	int y, m, day, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &day, &n) != 3 || n != 10 || s[n] != '\0' || y < 1900 || m < 1 ||
	    m > 12 || day < 1 || day > 31)
		return -1;
	*d = (lxw_datetime){ .year = y, .month = m, .day = day };
	return 0;
}

/*
 * The number a spreadsheet cell holds. Money and rates are integers everywhere
 * else; this is the one conversion, at the last step, and nothing computes with
 * the result. Exact: |pence| < 2^53 (MONEY's range is far inside it), so the
 * integer converts to a double exactly and one division by 100 is correctly
 * rounded: the double is the nearest to the decimal pounds, within 2^-53 of it
 * relatively (under a hundred-thousandth of a penny at GBP 10^9), so
 * round(cell * 100) gives the pence back in any reader. libxlsxwriter prints it
 * with %.16G, which reads back as that double (£9.20 is written 9.199999999999999,
 * the same double as 9.2; Excel shows 15 digits).
 */
static double xlsx_number(enum table_type type, int64_t n)
{
	switch (type) {
	case TABLE_PENCE: return (double)n / 100.0;
	case TABLE_BP: return (double)n / 10000.0;
	default: return (double)n;
	}
}

static void xlsx_cell(struct table *t, size_t col, const struct table_value *v)
{
	struct xlsx *x = t->out;
	const struct table_col *c = &t->cols[col];
	int protect = (t->sheet_flags & TABLE_SHEET_PROTECT) != 0;
	int locked = !protect || (c->flags & TABLE_COL_LOCKED) || (t->row_flags & TABLE_ROW_LOCKED);
	int bold = (t->row_flags & TABLE_ROW_BOLD) != 0;
	lxw_format *f = xlsx_format(x, c->type, locked, bold);
	lxw_row_t r = (lxw_row_t)t->row;
	lxw_col_t k = (lxw_col_t)col;
	lxw_datetime d;
	lxw_error e = LXW_NO_ERROR;

	if (f == NULL) {
		t->failed = 1;
		return;
	}
	switch (v->kind) {
	case TABLE_V_BLANK:
		/* a blank keeps the row's lock and look (a locked row stays locked across) */
		if (protect || bold)
			e = worksheet_write_blank(x->ws, r, k, f);
		break;
	case TABLE_V_TEXT:
		if (c->type == TABLE_DATE && xlsx_date(v->s, &d) == 0)
			e = worksheet_write_datetime(x->ws, r, k, &d, f);
		else if (v->s[0] != '\0')
			e = worksheet_write_string(x->ws, r, k, v->s, f);
		else if (protect || bold)
			e = worksheet_write_blank(x->ws, r, k, f);
		break;
	case TABLE_V_NUM:
		e = worksheet_write_number(x->ws, r, k, xlsx_number(c->type, v->n), f);
		break;
	case TABLE_V_FORMULA:
		e = worksheet_write_formula_num(x->ws, r, k, v->s, f, xlsx_number(c->type, v->n));
		break;
	}
	if (e != LXW_NO_ERROR) {
		log_err("xlsx: cannot write row %u, column %zu of sheet %s: %s", (unsigned)t->row + 1, col + 1, t->name,
			lxw_strerror(e));
		t->failed = 1;
	}
}

static void xlsx_row_end(struct table *t)
{
	(void)t;
}

static int xlsx_finish(struct table *t)
{
	struct xlsx *x = t->out;
	lxw_error e;

	if (t->failed)
		return -1;
	pthread_mutex_lock(&xlsx_close_lock);
	e = workbook_close(x->wb);
	pthread_mutex_unlock(&xlsx_close_lock);
	x->wb = NULL;
	x->closed = 1;
	if (e != LXW_NO_ERROR) {
		log_err("xlsx: cannot write the workbook: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}

static const struct table_ops xlsx_ops = {
	.sheet = xlsx_sheet, .row = xlsx_row, .cell = xlsx_cell, .row_end = xlsx_row_end,
	.sheet_end = xlsx_sheet_end, .finish = xlsx_finish,
};

/* A file for the workbook: memory when the kernel has memfd, else an unlinked temporary file. */
static int xlsx_file(struct xlsx *x)
{
	const char *dir = getenv("TMPDIR");

	if ((x->fd = memfd_create("bursar-xlsx", MFD_CLOEXEC)) >= 0) {
		snprintf(x->path, sizeof(x->path), "/proc/self/fd/%d", x->fd);
		if (access(x->path, W_OK) == 0)
			return 0;
		close(x->fd);
	}
	if (dir == NULL || dir[0] == '\0' || strlen(dir) > sizeof(x->path) - 24)
		dir = "/tmp";
	snprintf(x->path, sizeof(x->path), "%s/bursar-xlsx-XXXXXX", dir);
	if ((x->fd = mkostemp(x->path, O_CLOEXEC)) < 0) {
		log_err("xlsx: cannot make a file under %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

struct xlsx *xlsx_new(struct table *t, const char *title, int stream)
{
	struct xlsx *x = calloc(1, sizeof(*x));
	lxw_workbook_options o = { .constant_memory = stream ? LXW_TRUE : LXW_FALSE };
	lxw_doc_properties pr = { .created = XLSX_CREATED };

	if (x == NULL)
		return NULL;
	x->fd = -1;
	if (xlsx_file(x) != 0) {
		free(x);
		return NULL;
	}
	if ((title != NULL && (x->title = strdup(title)) == NULL) || (x->wb = workbook_new_opt(x->path, &o)) == NULL) {
		log_err("xlsx: cannot start a workbook");
		xlsx_free(x);
		return NULL;
	}
	pr.title = x->title;
	pr.author = "bursar";
	if (workbook_set_properties(x->wb, &pr) != LXW_NO_ERROR) {
		xlsx_free(x);
		return NULL;
	}
	table_init(t, &xlsx_ops, x);
	return x;
}

int xlsx_bytes(struct xlsx *x, struct evbuffer *out)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (!x->closed || fstat(x->fd, &st) != 0 || st.st_size <= 0) {
		log_err("xlsx: no workbook to send");
		return -1;
	}
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		return -1;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(x->fd, buf + got, (size_t)st.st_size - got, (off_t)got);

		if (n <= 0) {
			log_err("xlsx: cannot read the workbook back: %s", n < 0 ? strerror(errno) : "short file");
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	if (evbuffer_add(out, buf, got) != 0) {
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

void xlsx_free(struct xlsx *x)
{
	if (x == NULL)
		return;
	if (x->wb != NULL)
		lxw_workbook_free(x->wb);
	if (x->fd >= 0) {
		if (strncmp(x->path, "/proc/", 6) != 0)
			unlink(x->path);
		close(x->fd);
	}
	free(x->title);
	free(x);
}
