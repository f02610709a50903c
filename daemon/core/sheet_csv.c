/* sheet_csv.c - see sheet_csv.h */
#include "sheet_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sheet_csv_name(const struct sheet_csv_cols *c, int k)
{
	const char *const *name = (const void *)((const char *)c->table + (size_t)k * c->size);

	return *name;
}

char *sheet_csv_trim(char *s)
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

int sheet_csv_column(const struct sheet_csv_cols *c, const char *name)
{
	char norm[48];
	size_t o = 0;

	for (const char *ch = name; *ch != '\0'; ch++) {
		char l = *ch >= 'A' && *ch <= 'Z' ? (char)(*ch - 'A' + 'a') : *ch;

		if (o + 1 >= sizeof(norm))
			return -1;
		norm[o++] = l == ' ' || l == '-' ? '_' : l;
	}
	norm[o] = '\0';
	for (size_t k = 0; k < c->n; k++)
		if (strcmp(sheet_csv_name(c, (int)k), norm) == 0)
			return (int)k;
	for (size_t i = 0; c->aliases != NULL && c->aliases[i].name != NULL; i++)
		if (strcmp(c->aliases[i].name, norm) == 0)
			return c->aliases[i].col;
	return -1;
}

void sheet_csv_seen(const struct sheet_csv_cols *c, const struct sheet_row *row, int *seen)
{
	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++) {
		char tmp[64];
		int k;

		if (row->cell[i] == NULL || strlen(row->cell[i]) >= sizeof(tmp))
			continue;
		memcpy(tmp, row->cell[i], strlen(row->cell[i]) + 1);
		if ((k = sheet_csv_column(c, sheet_csv_trim(tmp))) >= 0)
			seen[k] = 1;
	}
}

int sheet_csv_header(const struct sheet_csv_cols *c, struct sheet_row *row, int *colmap, size_t *ncols,
		     int *have, struct problem *p)
{
	char f[48];
	int bad = 0;

	*ncols = row->n < SHEET_ROWS_MAX_COLS ? row->n : SHEET_ROWS_MAX_COLS;
	for (size_t i = 0; i < *ncols; i++) {
		char *name = sheet_csv_trim(row->cell[i]);
		int k;

		colmap[i] = -1;
		if (*name == '\0' || ((k = sheet_csv_column(c, name)) < 0 && c->columns == NULL))
			continue;
		snprintf(f, sizeof(f), "row %zu, column %zu", row->row, i + 1);
		if (k < 0) {
			problem_field(p, f, "names no column: the columns are %s", c->columns);
			bad = 1;
		} else if (have[k]) {
			problem_field(p, f, "%s is named twice", sheet_csv_name(c, k));
			bad = 1;
		} else {
			have[k] = 1;
			colmap[i] = k;
		}
	}
	if (c->columns != NULL && row->beyond != 0) {
		snprintf(f, sizeof(f), "row %zu, column %zu", row->row, row->beyond);
		problem_field(p, f, "is past the last column this sheet may have (%d)", SHEET_ROWS_MAX_COLS);
		bad = 1;
	}
	return bad;
}

void sheet_csv_field(const struct sheet_csv_cols *c, const int *colmap, size_t ncols, size_t row, size_t col,
		     char *buf, size_t len)
{
	if (col < ncols && colmap[col] >= 0)
		snprintf(buf, len, "row %zu, %s", row, sheet_csv_name(c, colmap[col]));
	else
		snprintf(buf, len, "row %zu, column %zu", row, col + 1);
}

int sheet_csv_blank(struct sheet_row *row)
{
	int blank = 1;

	for (size_t i = 0; i < row->n && i < SHEET_ROWS_MAX_COLS; i++)
		if (row->cell[i] != NULL && *sheet_csv_trim(row->cell[i]) != '\0')
			blank = 0;
	return blank && row->beyond == 0;
}

void *sheet_csv_grow(void *rows, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *q;

	if (n < *cap)
		return rows;
	if ((q = realloc(rows, want * size)) == NULL)
		return NULL;
	*cap = want;
	return q;
}

int sheet_csv_finish(struct problem *p, int oom, size_t n, const char *what)
{
	if (oom)
		return problem_internal(p);
	if (p->nerrors == 0 && n == 0)
		problem_field(p, "row 2", "the %s has a header but no rows", what);
	if (p->nerrors > 0)
		return problem_set(p, 422, "validation", "Validation failed", "the %s has errors: nothing was imported",
				   what);
	return 0;
}

/* ---- CSV ---- */

static void sheet_csv_record(void *arg, struct sheet_row *row, int not_text)
{
	const struct sheet_reader *rd = arg;

	if (not_text) {
		if (!*rd->header_done)
			*rd->header_done = *rd->header_bad = 1;
		return;
	}
	if (!*rd->header_done)
		rd->header(rd->arg, row);
	else
		rd->line(rd->arg, row);
}

static void sheet_csv_cell(void *arg, size_t row, size_t col, char *buf, size_t len)
{
	const struct sheet_reader *rd = arg;

	rd->field(rd->arg, row, col, buf, len);
}

int sheet_csv_read(const struct sheet_reader *rd, const char *buf, size_t len, enum textenc declared,
		   struct problem *p, enum textenc *read_as)
{
	const struct sheetrows_csv_ops ops = { .record = sheet_csv_record, .field = sheet_csv_cell, .empty = rd->empty };
	int rc = sheetrows_csv(buf, len, declared, &ops, (void *)rd, p, read_as);

	if (*rd->oom)
		return problem_internal(p);
	return rc != 0 ? -1 : 0;
}
