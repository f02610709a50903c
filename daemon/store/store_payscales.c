/* store_payscales.c - see store_payscales.h */
#include "store_payscales.h"

#include <stdio.h>
#include <string.h>

#define ACYEAR_SQL(col) "CONCAT(" col ", '-', LPAD((" col " + 1) % 100, 2, '0'))"

/* ---- pay scales ---- */

/* The points as one JSON column (points_json, renamed "points" by the render); year
 * filters them when not NULL. */
#define SCALE_COLS \
	"ps.id AS _id, ps.name, ps.title, ps.kind, ps.area, ps.version, ps.created_at, ps.updated_at, " \
	"COALESCE((SELECT JSON_ARRAYAGG(JSON_OBJECT('year', " ACYEAR_SQL("pt.year") ", 'point', pt.point, " \
	"'ord', pt.ord, 'annual_pence', pt.annual_pence) ORDER BY pt.year, pt.ord) FROM pay_scale_points pt " \
	"WHERE pt.scale_id = ps.id AND (? IS NULL OR pt.year = ?)), '[]') AS points_json"

static const char scale_get_sql[] = "SELECT " SCALE_COLS " FROM pay_scales ps WHERE ps.name = ?";
static const char scale_lock_sql[] = "SELECT " SCALE_COLS " FROM pay_scales ps WHERE ps.name = ? FOR UPDATE";

/* db_row_to_json of row i with the column `from` (JSON) renamed `to`. */
static cJSON *scale_row_renamed(const struct db_rows *rows, size_t i, const char *from, const char *to)
{
	cJSON *o = db_row_to_json(rows, i), *v;

	if (o == NULL)
		return NULL;
	v = cJSON_DetachItemFromObjectCaseSensitive(o, from);
	if (v == NULL || !cJSON_AddItemToObject(o, to, v)) {
		cJSON_Delete(v);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* db_row_to_json with points_json as "points". */
static cJSON *scale_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = scale_row_renamed(rows, 0, "points_json", "points");

	(void)arg;
	if (o == NULL)
		problem_internal(p);
	return o;
}

static const struct store_entity scale_entity = {
	.name = "pay_scale", .key_name = "name", .get_sql = scale_get_sql, .lock_sql = scale_lock_sql,
	.render = scale_render, .unique_field = "/name", .unique_message = "another pay scale has this name",
	.unique_detail = "another pay scale has this name",
};

static const char scales_list_sql[] =
	"SELECT ps.name, ps.title, ps.kind, ps.area, COALESCE((SELECT JSON_ARRAYAGG(DISTINCT " ACYEAR_SQL("pt.year")
	" ORDER BY " ACYEAR_SQL("pt.year") ") FROM pay_scale_points pt WHERE pt.scale_id = ps.id), '[]') AS years_json, "
	"ps.version, ps.updated_at FROM pay_scales ps ORDER BY ps.name";

cJSON *store_payscales_list(struct db *db, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a, *o;

	if (db_query(db, scales_list_sql, NULL, 0, &rows, p) != 0)
		return NULL;
	if ((a = cJSON_CreateArray()) == NULL)
		goto oom;
	for (size_t i = 0; i < rows->nrows; i++)
		if ((o = scale_row_renamed(rows, i, "years_json", "years")) == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	db_rows_free(rows);
	return a;
oom:
	cJSON_Delete(a);
	db_rows_free(rows);
	problem_internal(p);
	return NULL;
}

cJSON *store_payscale_get(struct db *db, const char *name, int year, int64_t *version, struct problem *p)
{
	struct db_param prm[3] = { year > 0 ? DBP_I64(year) : DBP_NULL, year > 0 ? DBP_I64(year) : DBP_NULL,
				   DBP_STR(name) };

	return store_load(db, &scale_entity, &(struct store_key){ prm, 3, name }, 0, NULL, version, p);
}

static const char scale_id_sql[] = "SELECT id FROM pay_scales WHERE name = ?";
static const char scale_year_clear_sql[] = "DELETE FROM pay_scale_points WHERE scale_id = ? AND year = ?";
static const char scale_point_insert_sql[] =
	"INSERT INTO pay_scale_points (scale_id, year, point, ord, annual_pence) VALUES (?, ?, ?, ?, ?)";

/* Replace the points of each year in.points has (the years cleared first, then written). */
static int scale_points_write(struct db *db, const char *name, const struct payscale_in *in, struct problem *p)
{
	struct db_param prm = DBP_STR(name);
	struct db_rows *rows = NULL;
	int64_t id;

	if (db_query(db, scale_id_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows != 1) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	id = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	for (size_t i = 0; i < in->npoints; i++) {
		int seen = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = in->points[j].year == in->points[i].year;
		if (!seen && db_exec(db, scale_year_clear_sql, (struct db_param[]){ DBP_I64(id),
				     DBP_I64(in->points[i].year) }, 2, NULL, NULL, p) != 0)
			return -1;
	}
	for (size_t i = 0; i < in->npoints; i++) {
		const struct staff_point_in *pt = &in->points[i];
		struct db_param v[5] = { DBP_I64(id), DBP_I64(pt->year), DBP_STR(pt->point), DBP_I64(pt->ord),
					 DBP_I64(pt->annual_pence) };

		if (db_exec(db, scale_point_insert_sql, v, 5, NULL, NULL, p) != 0)
			return -1;
	}
	return 0;
}

static int scale_create_then(struct db *db, int64_t id, void *arg, struct problem *p)
{
	const struct payscale_in *in = arg;

	(void)id;
	return scale_points_write(db, in->name, in, p);
}

static int scale_update_then(struct db *db, void *arg, struct problem *p)
{
	const struct payscale_in *in = arg;

	return scale_points_write(db, in->name, in, p);
}

static const char scale_insert_sql[] = "INSERT INTO pay_scales (name, title, kind, area) VALUES (?, ?, ?, ?)";

int store_payscale_create(struct db *db, const struct audit_actor *who, const struct payscale_in *in,
			  cJSON **after, struct problem *p)
{
	struct db_param prm[4] = { DBP_STR(in->name), DBP_STR(in->title), DBP_STR(in->kind), DBP_STR(in->area) };
	struct db_param key[3] = { DBP_NULL, DBP_NULL, DBP_STR(in->name) };
	int64_t id;

	return store_versioned_create(db, &(struct store_create){ .e = &scale_entity, .sql = scale_insert_sql,
			.params = prm, .nparams = 4, .key = &(struct store_key){ key, 3, in->name },
			.then = scale_create_then, .arg = (void *)in, .who = who }, &id, after, p);
}

static const char scale_update_sql[] =
	"UPDATE pay_scales SET title = COALESCE(?, title), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE name = ? AND version = ?";

int store_payscale_update(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
			  const struct payscale_in *in, cJSON **after, struct problem *p)
{
	struct db_param key[3] = { DBP_NULL, DBP_NULL, DBP_STR(name) };
	struct db_param prm[3] = { DBP_STR(in->title), DBP_STR(name), DBP_I64(want_version) };

	return store_versioned_write(db, &(struct store_write){ .e = &scale_entity, .key = { key, 3, name },
			.want_version = want_version, .action = "update", .sql = scale_update_sql, .params = prm,
			.nparams = 3, .then = scale_update_then, .arg = (void *)in, .who = who }, after, p);
}

static const char scale_kind_sql[] = "SELECT kind, version FROM pay_scales WHERE name = ?";
static const char scale_kind_lock_sql[] = "SELECT kind, version FROM pay_scales WHERE name = ? FOR UPDATE";

int store_payscale_kind(struct db *db, const char *name, int lock, char *kind, int64_t *version,
			struct problem *p)
{
	struct db_param prm = DBP_STR(name);
	struct db_rows *rows = NULL;
	int rc = 0;

	if (db_query(db, lock ? scale_kind_lock_sql : scale_kind_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0) {
		snprintf(kind, 8, "%s", db_get(rows, 0, "kind"));
		*version = db_get_i64(rows, 0, "version");
		rc = 1;
	}
	db_rows_free(rows);
	return rc;
}

static const char scales_points_sql[] =
	"SELECT ps.name AS scale, ps.kind, ps.area, pt.year, pt.point, pt.ord, pt.annual_pence "
	"FROM pay_scale_points pt JOIN pay_scales ps ON ps.id = pt.scale_id ORDER BY ps.name, pt.year, pt.ord";

int store_payscales_points(struct db *db, struct db_rows **rows, struct problem *p)
{
	return db_query(db, scales_points_sql, NULL, 0, rows, p);
}

/* ---- on-cost rates ---- */

#define RATES_COLS \
	ACYEAR_SQL("r.tax_year") " AS tax_year, r.ni_bp, r.ni_threshold_pence, r.ni_upper_pence, r.tps_bp, " \
	"r.levy_bp, r.levy_allowance_pence, r.employment_allowance_pence, r.version, r.created_at, r.updated_at"

static const char rates_get_sql[] = "SELECT " RATES_COLS " FROM staff_rates r WHERE r.tax_year = ?";
static const char rates_lock_sql[] = "SELECT " RATES_COLS " FROM staff_rates r WHERE r.tax_year = ? FOR UPDATE";
static const char rates_list_sql[] = "SELECT " RATES_COLS " FROM staff_rates r ORDER BY r.tax_year";

static const struct store_entity rates_entity = {
	.name = "staff_rates", .key_name = "tax year", .get_sql = rates_get_sql, .lock_sql = rates_lock_sql,
};

cJSON *store_staff_rates_list(struct db *db, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a;

	if (db_query(db, rates_list_sql, NULL, 0, &rows, p) != 0)
		return NULL;
	if ((a = store_rows_json(rows, db_row_to_json)) == NULL)
		problem_internal(p);
	db_rows_free(rows);
	return a;
}

static void rates_year_text(int year, char *text, size_t len)
{
	snprintf(text, len, "%04d-%02d", year, (year + 1) % 100);
}

cJSON *store_staff_rates_get(struct db *db, int tax_year, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(tax_year);
	char text[16];

	rates_year_text(tax_year, text, sizeof(text));
	return store_load(db, &rates_entity, &(struct store_key){ &prm, 1, text }, 0, NULL, version, p);
}

static const char rates_exists_sql[] = "SELECT version FROM staff_rates WHERE tax_year = ? FOR UPDATE";
static const char rates_insert_sql[] =
	"INSERT INTO staff_rates (ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, levy_allowance_pence, "
	"employment_allowance_pence, tax_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char rates_update_sql[] =
	"UPDATE staff_rates SET ni_bp = ?, ni_threshold_pence = ?, ni_upper_pence = ?, tps_bp = ?, levy_bp = ?, "
	"levy_allowance_pence = ?, employment_allowance_pence = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE tax_year = ? AND version = ?";

int store_staff_rates_put(struct db *db, const struct audit_actor *who, const struct staff_rates_in *in,
			  int has_if_match, int64_t want_version, cJSON **after, int *created, struct problem *p)
{
	struct db_param prm[9] = {
		DBP_I64(in->ni_bp), DBP_I64(in->ni_threshold_pence), DBP_I64(in->ni_upper_pence), DBP_I64(in->tps_bp),
		DBP_I64(in->levy_bp), DBP_I64(in->levy_allowance_pence), DBP_I64(in->employment_allowance_pence),
		DBP_I64(in->tax_year), DBP_I64(want_version),
	};
	struct db_rows *rows = NULL;
	int64_t id;
	int exists;
	char text[16];

	*after = NULL;
	*created = 0;
	rates_year_text(in->tax_year, text, sizeof(text));
	if (db_query(db, rates_exists_sql, &prm[7], 1, &rows, p) != 0)
		return -1;
	exists = rows->nrows > 0;
	db_rows_free(rows);
	if (exists) {
		if (!has_if_match)
			return problem_set(p, 428, "precondition-required", "Precondition required",
					   "tax year %s has rates: send If-Match with the ETag from your last GET", text);
		return store_versioned_write(db, &(struct store_write){ .e = &rates_entity,
				.key = { &prm[7], 1, text }, .want_version = want_version, .action = "update",
				.what = text, .sql = rates_update_sql, .params = prm, .nparams = 9, .who = who }, after, p);
	}
	if (has_if_match)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but tax year %s has no rates", text);
	*created = 1;
	return store_versioned_create(db, &(struct store_create){ .e = &rates_entity, .sql = rates_insert_sql,
			.params = prm, .nparams = 8, .key = &(struct store_key){ &prm[7], 1, text }, .who = who },
			&id, after, p);
}

static const char rates_rows_sql[] =
	"SELECT tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, levy_allowance_pence, "
	"employment_allowance_pence FROM staff_rates ORDER BY tax_year";

int store_staff_rates_rows(struct db *db, struct db_rows **rows, struct problem *p)
{
	return db_query(db, rates_rows_sql, NULL, 0, rows, p);
}

static const char rates_version_sql[] = "SELECT version FROM staff_rates WHERE tax_year = ? FOR UPDATE";

int store_staff_rates_replace(struct db *db, const struct audit_actor *who, const struct staff_rates_in *in,
			      cJSON **after, int *created, struct problem *p)
{
	struct db_param prm = DBP_I64(in->tax_year);
	struct db_rows *rows = NULL;
	int64_t version = 0;
	int exists;

	if (db_query(db, rates_version_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if ((exists = rows->nrows > 0))
		version = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return store_staff_rates_put(db, who, in, exists, version, after, created, p);
}

/* ---- LGPS rates ---- */

#define LGPS_COLS \
	"s.urn, COALESCE((SELECT JSON_ARRAYAGG(JSON_OBJECT('tax_year', " ACYEAR_SQL("l.tax_year") ", 'rate_bp', " \
	"l.rate_bp) ORDER BY l.tax_year) FROM lgps_rates l WHERE l.school_id = s.id), '[]') AS items_json, " \
	"COALESCE(ll.version, 0) AS version, ll.updated_at"
#define LGPS_FROM " FROM schools s LEFT JOIN lgps_rate_lists ll ON ll.school_id = s.id WHERE s.id = ?"

static const char lgps_get_sql[] = "SELECT " LGPS_COLS LGPS_FROM;
static const char lgps_lock_sql[] = "SELECT " LGPS_COLS LGPS_FROM " FOR UPDATE";

static cJSON *lgps_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = scale_row_renamed(rows, 0, "items_json", "items");

	(void)arg;
	if (o == NULL)
		problem_internal(p);
	return o;
}

static const struct store_entity lgps_entity = {
	.name = "lgps_rates", .key_name = "URN", .get_sql = lgps_get_sql, .lock_sql = lgps_lock_sql,
	.render = lgps_render,
};

cJSON *store_lgps_get(struct db *db, uint32_t school_id, const char *urn, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(school_id);

	return store_load(db, &lgps_entity, &(struct store_key){ &prm, 1, urn }, 0, NULL, version, p);
}

struct lgps_write {
	uint32_t school_id;
	const struct lgps_rate_in *items;
	size_t n;
};

static const char lgps_clear_sql[] = "DELETE FROM lgps_rates WHERE school_id = ?";
static const char lgps_insert_sql[] = "INSERT INTO lgps_rates (school_id, tax_year, rate_bp) VALUES (?, ?, ?)";
/* version 0 (never written) becomes 1; otherwise the version moves on */
static const char lgps_bump_sql[] =
	"INSERT INTO lgps_rate_lists (school_id, version) SELECT ?, 1 FROM DUAL WHERE ? = 0 "
	"ON DUPLICATE KEY UPDATE version = version + 1, updated_at = UTC_TIMESTAMP(6)";
static const char lgps_update_sql[] =
	"UPDATE lgps_rate_lists SET version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE school_id = ? AND version = ?";

static int lgps_then(struct db *db, void *arg, struct problem *p)
{
	const struct lgps_write *w = arg;

	if (db_exec(db, lgps_clear_sql, (struct db_param[]){ DBP_I64(w->school_id) }, 1, NULL, NULL, p) != 0)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		if (db_exec(db, lgps_insert_sql, (struct db_param[]){ DBP_I64(w->school_id),
			    DBP_I64(w->items[i].tax_year), DBP_I64(w->items[i].rate_bp) }, 3, NULL, NULL, p) != 0)
			return -1;
	return 0;
}

int store_lgps_put(struct db *db, const struct audit_actor *who, uint32_t school_id, const char *urn,
		   int has_if_match, int64_t want_version, const struct lgps_rate_in *items, size_t n,
		   cJSON **after, struct problem *p)
{
	struct lgps_write w = { school_id, items, n };
	struct db_param key = DBP_I64(school_id);
	struct db_param prm[2] = { DBP_I64(school_id), DBP_I64(want_version) };
	cJSON *before;
	int64_t version;
	int rc;

	*after = NULL;
	if ((before = store_load(db, &lgps_entity, &(struct store_key){ &key, 1, urn }, 1, NULL, &version, p)) == NULL)
		return -1;
	cJSON_Delete(before);
	if (version > 0 && !has_if_match)
		return problem_set(p, 428, "precondition-required", "Precondition required",
				   "%s has LGPS rates: send If-Match with the ETag from your last GET", urn);
	if (version > 0)
		return store_versioned_write(db, &(struct store_write){ .e = &lgps_entity, .key = { &key, 1, urn },
				.want_version = want_version, .action = "update", .what = urn, .sql = lgps_update_sql,
				.params = prm, .nparams = 2, .then = lgps_then, .arg = &w, .who = who }, after, p);
	if (has_if_match && want_version != 0)
		return problem_stale(p, 0, want_version, "the LGPS rates of %s", urn);
	/* the first write: the list row is made (version 1) */
	prm[1] = DBP_I64(0);
	if (db_exec(db, lgps_bump_sql, prm, 2, NULL, NULL, p) != 0 || lgps_then(db, &w, p) != 0)
		return -1;
	if ((*after = store_load(db, &lgps_entity, &(struct store_key){ &key, 1, urn }, 0, NULL, &version, p)) == NULL)
		return -1;
	rc = audit_write(db, who, "create", "lgps_rates", urn, NULL, *after, p);
	if (rc != 0) {
		cJSON_Delete(*after);
		*after = NULL;
	}
	return rc;
}
