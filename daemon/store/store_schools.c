/* store_schools.c - see store_schools.h */
#include "store_schools.h"

#include <stdio.h>
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

/* ---- the schools ---- */

#define SCHOOL_COLS \
	"s.id AS _id, s.urn, s.kind, s.name, s.phase, s.local_authority, s.finance_model, " \
	"s.floor_area_m2, s.staff_by_post, s.periods_per_cycle, s.version, s.created_at, s.updated_at"

static const char schools_list_sql[] =
	"SELECT " SCHOOL_COLS " FROM schools s WHERE " STORE_KEYSET_WHERE("s")
	" AND (? = 0 OR s.id IN (SELECT school_id FROM api_token_schools WHERE token_id = ?))"
	" ORDER BY s.updated_at, s.id LIMIT ?";

int store_schools_list(struct db *db, const struct page *pg, int64_t token_id, struct db_rows **rows,
		       struct problem *p)
{
	struct db_param extra[2] = { DBP_I64(token_id > 0), DBP_I64(token_id) };

	return store_list(db, schools_list_sql, pg, extra, 2, rows, p);
}

static const char school_get_sql[] = "SELECT " SCHOOL_COLS " FROM schools s WHERE s.urn = ?";
static const char school_lock_sql[] = "SELECT " SCHOOL_COLS " FROM schools s WHERE s.urn = ? FOR UPDATE";

/* The image, and the id (not part of it) for the caller when arg is not NULL. */
static cJSON *school_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = db_row_to_json(rows, 0);

	if (arg != NULL)
		*(uint32_t *)arg = (uint32_t)db_get_i64(rows, 0, "_id");
	if (o == NULL)
		problem_internal(p);
	return o;
}

static const struct store_entity school_entity = {
	.name = "school", .key_name = "URN", .get_sql = school_get_sql, .lock_sql = school_lock_sql,
	.render = school_render,
};

cJSON *store_school_get(struct db *db, const char *urn, uint32_t *id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_STR(urn);

	return store_load(db, &school_entity, &(struct store_key){ &prm, 1, urn }, 0, id, version, p);
}

static const char school_update_sql[] =
	"UPDATE schools SET name = ?, phase = ?, local_authority = ?, finance_model = ?, "
	"floor_area_m2 = ?, staff_by_post = COALESCE(?, staff_by_post), "
	"periods_per_cycle = IF(? = 1, ?, periods_per_cycle), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE urn = ? AND version = ?";

int store_school_update(struct db *db, const struct audit_actor *who, const char *urn, int64_t want_version,
			const struct school_in *s, cJSON **after, struct problem *p)
{
	struct db_param prm[10] = {
		DBP_STR(s->name), DBP_STR(s->phase),
		DBP_STR(s->local_authority != NULL ? s->local_authority : ""),
		DBP_STR(s->finance_model != NULL ? s->finance_model : ""),
		s->has_area ? DBP_I64(s->floor_area_m2) : DBP_NULL,
		s->staff_by_post >= 0 ? DBP_I64(s->staff_by_post) : DBP_NULL,
		DBP_I64(s->set_periods ? 1 : 0), s->periods_per_cycle > 0 ? DBP_I64(s->periods_per_cycle) : DBP_NULL,
		DBP_STR(urn), DBP_I64(want_version),
	};

	return store_versioned_write(db, &(struct store_write){ .e = &school_entity,
			.key = { &prm[8], 1, urn }, .want_version = want_version, .action = "update",
			.sql = school_update_sql, .params = prm, .nparams = 10, .who = who }, after, p);
}

/* ---- per-year data ---- */

#define YEAR_COLS \
	"CONCAT(y.year, '-', LPAD((y.year + 1) % 100, 2, '0')) AS year, y.id AS _id, " \
	"y.pupils, y.places, y.fte_hundredths AS _fte, y.opening_reserves_pence, " \
	"y.reserves_basis, y.actual, y.version, y.created_at, y.updated_at"

static const char years_list_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? ORDER BY y.year";
static const char year_get_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? AND y.year = ?";
static const char year_lock_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? AND y.year = ? FOR UPDATE";

int store_school_years_list(struct db *db, uint32_t school_id, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(school_id);

	return db_query(db, years_list_sql, &prm, 1, rows, p);
}

cJSON *store_school_year_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i);
	const char *fte = db_get(rows, i, "_fte");
	cJSON *v;

	if (o == NULL)
		return NULL;
	/* FTE, not money: hundredths shown as a number with two decimals at most */
	v = fte != NULL ? cJSON_CreateNumber((double)db_get_i64(rows, i, "_fte") / 100.0) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "fte", v)) {
		cJSON_Delete(v);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const struct store_entity year_entity = {
	.name = "school_year", .key_name = "key", .get_sql = year_get_sql, .lock_sql = year_lock_sql,
	.row = store_school_year_json,
};

/* One year (sql: year_get_sql or year_lock_sql); JSON null when there is none. */
static cJSON *year_load(struct db *db, const char *sql, uint32_t school_id, int year, int64_t *version,
			struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(school_id), DBP_I64(year) };
	struct db_rows *rows = NULL;
	cJSON *o;

	*version = 0;
	if (db_query(db, sql, prm, 2, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return cJSON_CreateNull();               /* absent: the caller decides */
	}
	*version = db_get_i64(rows, 0, "version");
	o = store_school_year_json(rows, 0);
	db_rows_free(rows);
	if (o == NULL)
		problem_internal(p);
	return o;
}

cJSON *store_school_year_get(struct db *db, uint32_t school_id, int year, int64_t *version,
			     struct problem *p)
{
	return year_load(db, year_get_sql, school_id, year, version, p);
}

static const char year_insert_sql[] =
	"INSERT INTO school_years (pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, "
	"actual, school_id, year) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char year_update_sql[] =
	"UPDATE school_years SET pupils = ?, places = ?, fte_hundredths = ?, "
	"opening_reserves_pence = ?, reserves_basis = ?, actual = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND version = ?";

/* A creation that found the year's row there: 428, the update needs If-Match. */
static int year_exists(struct db *db, struct problem *p)
{
	if (db_errno(db) != DB_ER_DUP_ENTRY)
		return -1;
	problem_reset(p);
	return problem_set(p, 428, "precondition-required", "Precondition required",
			   "this year's data exists: send If-Match with the ETag from your last GET");
}

int store_school_year_put(struct db *db, const struct audit_actor *who, uint32_t school_id, int year,
			  const char *eid, int has_if_match, int64_t want_version,
			  const struct school_year_in *y, cJSON **after, int *created, struct problem *p)
{
	struct db_param prm[9] = {
		y->has_pupils ? DBP_I64(y->pupils) : DBP_NULL,
		y->has_places ? DBP_I64(y->places) : DBP_NULL,
		y->has_fte ? DBP_I64(y->fte_hundredths) : DBP_NULL,
		y->has_reserves ? DBP_I64(y->opening_reserves_pence) : DBP_NULL,
		DBP_STR(y->reserves_basis), DBP_I64(y->actual),
		DBP_I64(school_id), DBP_I64(year), DBP_I64(want_version),
	};
	struct store_key key = { &prm[6], 2, eid };

	*after = NULL;
	*created = 0;
	/* one read of the row: an update locks it (its gap when missing) in store_versioned_write */
	if (has_if_match) {
		if (store_versioned_write(db, &(struct store_write){ .e = &year_entity, .key = key,
				.want_version = want_version, .action = "update", .what = "the data",
				.sql = year_update_sql, .params = prm, .nparams = 9, .who = who }, after, p) == 0)
			return 0;
		if (p->status != 404)
			return -1;
		problem_reset(p);
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is no data for this year yet");
	}
	/* no If-Match: a creation; a row that exists (the unique key) asks for one */
	*created = 1;
	return store_versioned_create(db, &(struct store_create){ .e = &year_entity, .sql = year_insert_sql,
			.params = prm, .nparams = 8, .key = &key, .failed = year_exists, .who = who }, &(int64_t){ 0 },
			after, p);
}

static const char schools_named_sql[] =
	"SELECT urn, name FROM schools WHERE FIND_IN_SET(id, ?) > 0 ORDER BY urn";

int store_schools_named(struct db *db, const uint32_t *ids, size_t n, struct db_rows **rows, struct problem *p)
{
	char list[64 * 12 + 1];
	size_t len = 0;
	struct db_param prm;

	list[0] = '\0';
	for (size_t i = 0; i < n && len + 12 < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%lu", i > 0 ? "," : "", (unsigned long)ids[i]);
	prm = DBP_STR(list);
	return db_query(db, schools_named_sql, &prm, 1, rows, p);
}
