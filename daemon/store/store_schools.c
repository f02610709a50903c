/* store_schools.c - see store_schools.h */
#include "store_schools.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"

/* ---- URN -> id ---- */

/* BINARY: the map searches in byte order, whatever the column's collation. */
static const char schools_urn_ids_sql[] =
	"SELECT urn, id, kind = 'school' AS is_school FROM schools ORDER BY BINARY urn";
static const char schools_urn_id_sql[] =
	"SELECT urn, id, kind = 'school' AS is_school FROM schools WHERE urn = ?";

enum { SU_URN, SU_ID, SU_IS_SCHOOL, SU__N };
static const char *const schools_urn_cols[SU__N] = { "urn", "id", "is_school" };

/* Row i into e (ix from db_columns); -1 (500) for a URN too long for the map. */
static int schools_urn_row(const struct db_rows *rows, const size_t *ix, size_t i, struct store_school_urn *e,
			   struct problem *p)
{
	const char *urn = db_cell(rows, i, ix[SU_URN]);

	if (urn == NULL || strlen(urn) >= sizeof(e->urn))
		return problem_internal(p);
	memcpy(e->urn, urn, strlen(urn) + 1);
	e->id = db_cell_i64(rows, i, ix[SU_ID]);
	e->is_school = db_cell_i64(rows, i, ix[SU_IS_SCHOOL]) != 0;
	return 0;
}

int store_schools_urn_ids(struct db *db, struct store_school_urn **out, size_t *n, struct problem *p)
{
	struct db_rows *rows = NULL;
	struct store_school_urn *v = NULL;
	size_t ix[SU__N];

	*out = NULL;
	*n = 0;
	if (db_query(db, schools_urn_ids_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, schools_urn_cols, SU__N, ix, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	if (rows->nrows > 0 && (v = calloc(rows->nrows, sizeof(*v))) == NULL) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++)
		if (schools_urn_row(rows, ix, i, &v[i], p) != 0) {
			free(v);
			db_rows_free(rows);
			return -1;
		}
	*n = rows->nrows;
	*out = v;
	db_rows_free(rows);
	return 0;
}

int store_schools_urn_id(struct db *db, const char *urn, struct store_school_urn *out, struct problem *p)
{
	struct db_param prm = DBP_STR(urn);
	struct db_rows *rows = NULL;
	size_t ix[SU__N];
	int rc;

	if (db_query(db, schools_urn_id_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (db_columns(rows, schools_urn_cols, SU__N, ix, p) != 0)
		rc = -1;
	else
		rc = rows->nrows == 0 ? 0 : schools_urn_row(rows, ix, 0, out, p) == 0 ? 1 : -1;
	db_rows_free(rows);
	return rc;
}
