/* table.c - see table.h */
#include "table.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "money.h"

void table_init(struct table *t, const struct table_ops *ops, void *out)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->out = out;
}

void table_fail(struct table *t)
{
	t->failed = 1;
}

/* Pad the row with blanks and end it. */
static void table_row_close(struct table *t)
{
	static const struct table_value blank = { TABLE_V_BLANK, NULL, 0 };

	if (!t->in_row)
		return;
	for (; t->col < t->ncols && !t->failed; t->col++)
		t->ops->cell(t, t->col, &blank);
	if (!t->failed)
		t->ops->row_end(t);
	t->in_row = 0;
}

void table_sheet(struct table *t, const char *name, const struct table_col *cols, size_t ncols, unsigned flags)
{
	if (t->failed)
		return;
	table_row_close(t);
	if (t->nsheets > 0 && !t->failed)
		t->ops->sheet_end(t);
	if (t->failed)
		return;
	t->name = name;
	t->cols = cols;
	t->ncols = ncols;
	t->sheet_flags = flags;
	t->nsheets++;
	t->row = 0;
	t->col = 0;
	t->row_flags = 0;
	t->ops->sheet(t);
}

void table_row(struct table *t, unsigned flags)
{
	if (t->failed)
		return;
	if (t->nsheets == 0 || t->row == UINT32_MAX) {
		t->failed = 1;
		return;
	}
	table_row_close(t);
	t->row++;
	t->row_flags = flags;
	t->col = 0;
	t->in_row = 1;
	t->ops->row(t);
}

static void table_put(struct table *t, const struct table_value *v)
{
	if (t->failed)
		return;
	if (!t->in_row || t->col >= t->ncols) {
		t->failed = 1;
		return;
	}
	t->ops->cell(t, t->col++, v);
}

void table_text(struct table *t, const char *s)
{
	table_put(t, &(struct table_value){ s != NULL ? TABLE_V_TEXT : TABLE_V_BLANK, s, 0 });
}

void table_num(struct table *t, int64_t n)
{
	table_put(t, &(struct table_value){ TABLE_V_NUM, NULL, n });
}

void table_blank(struct table *t)
{
	table_put(t, &(struct table_value){ TABLE_V_BLANK, NULL, 0 });
}

void table_formula(struct table *t, const char *formula, int64_t value)
{
	table_put(t, &(struct table_value){ TABLE_V_FORMULA, formula, value });
}

int table_finish(struct table *t)
{
	int rc;

	if (!t->failed)
		table_row_close(t);
	if (t->nsheets > 0 && !t->failed)
		t->ops->sheet_end(t);
	rc = t->ops->finish(t);
	return t->failed || rc != 0 ? -1 : 0;
}

const char *table_col_letter(size_t col, char *buf, size_t len)
{
	char tmp[8];
	size_t n = 0;

	/* bijective base 26: A..Z, AA..ZZ, AAA.. */
	do {
		tmp[n++] = (char)('A' + col % 26);
		col = col / 26;
	} while (col-- > 0 && n < sizeof(tmp));
	if (len == 0)
		return buf;
	for (size_t i = 0; i < n && i + 1 < len; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n < len ? n : len - 1] = '\0';
	return buf;
}

/* ---- CSV ---- */

static void csv_cell_sep(struct table *t, size_t col)
{
	struct table_csv *c = t->out;

	if (col > 0)
		c->put(c->ctx, ",", 1);
}

static void csv_sheet(struct table *t)
{
	struct table_csv *c = t->out;

	if (t->nsheets != 1)
		return;
	for (size_t i = 0; i < t->ncols; i++) {
		csv_cell_sep(t, i);
		csvcell_write(t->cols[i].name, 0, c->put, c->ctx);
	}
	c->put(c->ctx, "\r\n", 2);
}

static void csv_row(struct table *t)
{
	(void)t;
}

static void csv_cell(struct table *t, size_t col, const struct table_value *v)
{
	struct table_csv *c = t->out;
	const struct table_col *k = &t->cols[col];
	char num[40];
	size_t n;

	if (t->nsheets != 1)
		return;
	csv_cell_sep(t, col);
	switch (v->kind) {
	case TABLE_V_BLANK:
		if (k->flags & TABLE_COL_QUOTE)
			c->put(c->ctx, "\"\"", 2);
		return;
	case TABLE_V_TEXT:
		csvcell_write(v->s, (k->flags & TABLE_COL_QUOTE) ? CSVCELL_QUOTE : 0, c->put, c->ctx);
		return;
	case TABLE_V_NUM:
	case TABLE_V_FORMULA:
		if (k->type == TABLE_PENCE)
			n = money_format_plain(v->n, num, sizeof(num));
		else
			n = (size_t)snprintf(num, sizeof(num), "%" PRId64, v->n);
		c->put(c->ctx, num, n);
		return;
	}
}

static void csv_row_end(struct table *t)
{
	struct table_csv *c = t->out;

	if (t->nsheets == 1)
		c->put(c->ctx, "\r\n", 2);
}

static void csv_sheet_end(struct table *t)
{
	(void)t;
}

static int csv_finish(struct table *t)
{
	struct table_csv *c = t->out;

	return c->oom ? -1 : 0;
}

static const struct table_ops csv_ops = {
	.sheet = csv_sheet, .row = csv_row, .cell = csv_cell, .row_end = csv_row_end, .sheet_end = csv_sheet_end,
	.finish = csv_finish,
};

void table_csv_init(struct table *t, struct table_csv *c)
{
	c->oom = 0;
	table_init(t, &csv_ops, c);
}

static void csv_buf_put(void *ctx, const char *s, size_t n)
{
	struct table_csv_buf *b = ctx;

	if (b->csv.oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *nb;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((nb = realloc(b->buf, cap)) == NULL) {
			b->csv.oom = 1;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void table_csv_buf_init(struct table *t, struct table_csv_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->csv.put = csv_buf_put;
	b->csv.ctx = b;
	table_csv_init(t, &b->csv);
}
