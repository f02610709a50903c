/* store_actuals.c - see store_actuals.h */
#include "store_actuals.h"

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
