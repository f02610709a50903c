/* store_actuals.c - see store_actuals.h */
#include "store_actuals.h"

#include "acmonth.h"
#include "money.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cells of rows (columns urn, code, month, kind, amount_pence) into a new array. */
static int actuals_cells(const struct db_rows *rows, struct actual_cell **out, size_t *n, struct problem *p)
{
	static const char *const names[] = { "urn", "code", "month", "kind", "amount_pence" };
	size_t ix[5];
	struct actual_cell *c;

	*out = NULL;
	*n = 0;
	if (db_columns(rows, names, 5, ix, p) != 0)
		return -1;
	if (rows->nrows == 0)
		return 0;
	if ((c = calloc(rows->nrows, sizeof(*c))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *urn = db_cell(rows, i, ix[0]), *code = db_cell(rows, i, ix[1]);
		const char *kind = db_cell(rows, i, ix[3]);

		snprintf(c[i].urn, sizeof(c[i].urn), "%s", urn != NULL ? urn : "");
		snprintf(c[i].code, sizeof(c[i].code), "%s", code != NULL ? code : "");
		c[i].month = (int)db_cell_i64(rows, i, ix[2]);
		c[i].commitment = kind != NULL && strcmp(kind, "commitment") == 0;
		c[i].amount = db_cell_i64(rows, i, ix[4]);
	}
	*out = c;
	*n = rows->nrows;
	return 0;
}

/* ORDER BY kind: the ENUM's order, actual before commitment. */
static const char actuals_year_sql[] =
	"SELECT s.urn, ac.code, a.month, a.kind, a.amount_pence FROM actuals a"
	" JOIN schools s ON s.id = a.school_id JOIN accounts ac ON ac.id = a.account_id"
	" WHERE a.year = ? ORDER BY s.urn, ac.code, a.month, a.kind";

int store_actuals_year(struct db *db, int year, struct actual_cell **out, size_t *n, struct problem *p)
{
	struct db_param prm = DBP_I64(year);
	struct db_rows *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_query(db, actuals_year_sql, &prm, 1, &rows, p) != 0)
		return -1;
	rc = actuals_cells(rows, out, n, p);
	db_rows_free(rows);
	return rc;
}

static const char actuals_entity_sql[] =
	"SELECT s.urn, ac.code, a.month, a.kind, a.amount_pence FROM actuals a"
	" JOIN schools s ON s.id = a.school_id JOIN accounts ac ON ac.id = a.account_id"
	" WHERE a.school_id = ? AND a.year = ? AND (? IS NULL OR a.kind = ?)"
	" ORDER BY a.month, ac.code, a.kind";

int store_actuals_entity(struct db *db, uint32_t school_id, int year, int kind, struct actual_cell **out,
			 size_t *n, struct problem *p)
{
	const char *k = kind < 0 ? NULL : kind ? "commitment" : "actual";
	struct db_param prm[4] = { DBP_I64(school_id), DBP_I64(year), DBP_STR(k), DBP_STR(k) };
	struct db_rows *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_query(db, actuals_entity_sql, prm, 4, &rows, p) != 0)
		return -1;
	rc = actuals_cells(rows, out, n, p);
	db_rows_free(rows);
	return rc;
}

static const char periods_closed_sql[] = "SELECT month FROM periods WHERE year = ? AND closed = 1";

int store_periods_closed(struct db *db, int year, int closed[12], struct problem *p)
{
	struct db_param prm = DBP_I64(year);
	struct db_rows *rows = NULL;

	memset(closed, 0, 12 * sizeof(closed[0]));
	if (db_query(db, periods_closed_sql, &prm, 1, &rows, p) != 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		int64_t m = db_cell_i64(rows, i, 0);

		if (m >= 1 && m <= 12)
			closed[m - 1] = 1;
	}
	db_rows_free(rows);
	return 0;
}

/* ---- an import ---- */

#define IMPORT_CHUNK 4096                /* cells per bulk statement */

static const char import_closed_sql[] =
	"SELECT month FROM periods WHERE year = ? AND closed = 1 ORDER BY month LOCK IN SHARE MODE";
static const char import_before_sql[] =
	"SELECT a.school_id, a.month, COUNT(*) AS cells, SUM(a.amount_pence) AS total FROM actuals a"
	" WHERE a.year = ? AND a.kind = ? GROUP BY a.school_id, a.month FOR UPDATE";
static const char import_insert_sql[] =
	"INSERT INTO actual_imports (year, kind, filename, months, row_count, actor) VALUES (?, ?, ?, ?, ?, ?)";
static const char import_delete_sql[] =
	"DELETE FROM actuals WHERE school_id = ? AND year = ? AND month = ? AND kind = ?";
static const char import_cells_sql[] =
	"INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence, import_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

/* A closed month of the file: 409 naming every one. */
static int import_closed(struct db *db, const struct actuals_import *im, const int months[12], struct problem *p)
{
	struct db_param prm = DBP_I64(im->year);
	struct db_rows *rows = NULL;
	char list[120] = "", ms[8];
	size_t o = 0, n = 0;

	if (db_query(db, import_closed_sql, &prm, 1, &rows, p) != 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		int64_t m = db_cell_i64(rows, i, 0);

		if (m < 1 || m > 12 || !months[m - 1])
			continue;
		acmonth_format(im->year, (int)m, ms, sizeof(ms));
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", n++ ? ", " : "", ms);
		problem_field(p, ms, "is closed: a finance director reopens it (POST /api/v1/periods/%s/reopen) to "
			      "import into it", ms);
	}
	db_rows_free(rows);
	if (n > 0)
		return problem_set(p, 409, "period-closed", "Period closed", "%s %s closed: nothing was imported", list,
				   n == 1 ? "is" : "are");
	return 0;
}

/* The totals of the entity-months the file holds: {"year","kind","months":[..],"entities":{urn:
 * {"cells","total_pence"}},"cells","total_pence"}, from before (rows of import_before_sql) or the
 * file's cells (before NULL). NULL when out of memory (or, impossibly, a total overflows). */
static cJSON *import_image(const struct actuals_import *im, const struct db_rows *before, size_t *replaced)
{
	cJSON *o = cJSON_CreateObject(), *ms, *ents, *e;
	int64_t all_cells = 0, all_total = 0, ent_cells = 0, ent_total = 0;
	char ys[16], m[8];
	int months[12] = { 0 };

	for (size_t i = 0; i < im->ncells; i++)
		months[im->cells[i].month - 1] = 1;
	acyear_format(im->year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "kind", im->commitment ? "commitment" : "actual") == NULL ||
	    (ms = cJSON_AddArrayToObject(o, "months")) == NULL || (ents = cJSON_AddObjectToObject(o, "entities")) == NULL)
		goto oom;
	for (int k = 0; k < 12; k++) {
		acmonth_format(im->year, k + 1, m, sizeof(m));
		if (months[k] && !cJSON_AddItemToArray(ms, cJSON_CreateString(m)))
			goto oom;
	}
	/* The cells come sorted by entity then month: each entity-month's cells and total are added
	 * in int64 into its entity's, which is written once when the entity changes. */
	for (size_t i = 0; i < im->ncells; i++) {
		const struct actual_write *c = &im->cells[i];
		int64_t cells = 0, total = 0;
		size_t end, j;

		if (i > 0 && c->school_id == im->cells[i - 1].school_id && c->month == im->cells[i - 1].month)
			continue;                /* once per entity-month */
		for (end = i; end < im->ncells && im->cells[end].school_id == c->school_id &&
			      im->cells[end].month == c->month; end++)
			;
		if (before == NULL) {
			for (j = i; j < end; j++) {
				cells++;
				if (money_add(total, im->cells[j].amount, &total) != 0)
					goto oom;
			}
		} else {
			for (j = 0; j < before->nrows; j++)
				if ((uint32_t)db_get_i64(before, j, "school_id") == c->school_id &&
				    db_get_i64(before, j, "month") == c->month) {
					cells = db_get_i64(before, j, "cells");
					total = db_get_i64(before, j, "total");
				}
		}
		ent_cells += cells;
		all_cells += cells;
		if (money_add(ent_total, total, &ent_total) != 0 || money_add(all_total, total, &all_total) != 0)
			goto oom;
		if (end < im->ncells && im->cells[end].school_id == c->school_id)
			continue;                /* the entity's next month follows */
		if ((e = cJSON_AddObjectToObject(ents, c->urn)) == NULL ||
		    cJSON_AddNumberToObject(e, "cells", (double)ent_cells) == NULL ||
		    cJSON_AddNumberToObject(e, "total_pence", (double)ent_total) == NULL)
			goto oom;
		ent_cells = ent_total = 0;
	}
	if (cJSON_AddNumberToObject(o, "cells", (double)all_cells) == NULL ||
	    cJSON_AddNumberToObject(o, "total_pence", (double)all_total) == NULL)
		goto oom;
	if (replaced != NULL)
		*replaced = (size_t)all_cells;
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

/* The file's entity-months' cells deleted, and its cells written, in chunks. */
static int import_write(struct db *db, struct actuals_import *im, struct problem *p)
{
	const char *kind = im->commitment ? "commitment" : "actual";
	struct db_param *prm = malloc(IMPORT_CHUNK * 7 * sizeof(*prm));
	size_t n = 0;
	int rc = -1;

	if (prm == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < im->ncells; i++) {
		const struct actual_write *c = &im->cells[i];

		if (i > 0 && c->school_id == im->cells[i - 1].school_id && c->month == im->cells[i - 1].month)
			continue;
		prm[n * 4] = DBP_I64(c->school_id);
		prm[n * 4 + 1] = DBP_I64(im->year);
		prm[n * 4 + 2] = DBP_I64(c->month);
		prm[n * 4 + 3] = DBP_STR(kind);
		if (++n == IMPORT_CHUNK) {
			if (db_exec_bulk(db, import_delete_sql, prm, 4, n, p) != 0)
				goto out;
			n = 0;
		}
	}
	if (db_exec_bulk(db, import_delete_sql, prm, 4, n, p) != 0)
		goto out;
	n = 0;
	for (size_t i = 0; i < im->ncells; i++) {
		const struct actual_write *c = &im->cells[i];
		struct db_param *r = &prm[n * 7];

		r[0] = DBP_I64(c->school_id);
		r[1] = DBP_I64(im->year);
		r[2] = DBP_I64(c->month);
		r[3] = DBP_STR(kind);
		r[4] = DBP_I64(c->account_id);
		r[5] = DBP_I64(c->amount);
		r[6] = DBP_I64(im->import_id);
		if (++n == IMPORT_CHUNK || i + 1 == im->ncells) {
			if (db_exec_bulk(db, import_cells_sql, prm, 7, n, p) != 0)
				goto out;
			n = 0;
		}
	}
	im->written = im->ncells;
	rc = 0;
out:
	free(prm);
	return rc;
}

int store_actuals_import(struct db *db, const struct audit_actor *who, struct actuals_import *im, struct problem *p)
{
	const char *kind = im->commitment ? "commitment" : "actual";
	struct db_param prm[6];
	struct db_rows *before = NULL;
	cJSON *bimg = NULL, *aimg = NULL;
	char months_text[40] = "", idtext[24];
	int months[12] = { 0 };
	uint64_t id = 0;
	size_t o = 0;
	int rc = -1;

	im->import_id = 0;
	im->written = im->replaced = 0;
	for (size_t i = 0; i < im->ncells; i++)
		months[im->cells[i].month - 1] = 1;
	for (int k = 0; k < 12; k++)
		if (months[k])
			o += (size_t)snprintf(months_text + o, sizeof(months_text) - o, "%s%d", o ? "," : "", k + 1);
	if (import_closed(db, im, months, p) != 0)
		return -1;
	prm[0] = DBP_I64(im->year);
	prm[1] = DBP_STR(kind);
	if (db_query(db, import_before_sql, prm, 2, &before, p) != 0)
		return -1;
	prm[2] = DBP_STR(im->filename != NULL ? im->filename : "");
	prm[3] = DBP_STR(months_text);
	prm[4] = DBP_I64((int64_t)im->rows);
	prm[5] = DBP_STR(who->name != NULL ? who->name : "command line");
	if (db_exec(db, import_insert_sql, prm, 6, NULL, &id, p) != 0)
		goto out;
	im->import_id = (int64_t)id;
	if (import_write(db, im, p) != 0)
		goto out;
	if ((bimg = import_image(im, before, &im->replaced)) == NULL || (aimg = import_image(im, NULL, NULL)) == NULL ||
	    cJSON_AddNumberToObject(aimg, "import_id", (double)im->import_id) == NULL ||
	    cJSON_AddNumberToObject(aimg, "rows", (double)im->rows) == NULL) {
		problem_internal(p);
		goto out;
	}
	snprintf(idtext, sizeof(idtext), "%lld", (long long)im->import_id);
	rc = audit_write(db, who, "import", "actual_import", idtext, bimg, aimg, p);
out:
	cJSON_Delete(bimg);
	cJSON_Delete(aimg);
	db_rows_free(before);
	return rc;
}

static const char imports_list_sql[] =
	"SELECT id, year, kind, filename, months, row_count, actor, created_at FROM actual_imports"
	" WHERE year = ? ORDER BY id DESC";

int store_actual_imports_list(struct db *db, int year, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(year);

	return db_query(db, imports_list_sql, &prm, 1, rows, p);
}
