/* store_staff.c - see store_staff.h */
#include "store_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POST_COLS \
	"p.id, s.urn, p.reference, p.title, p.role, a.code AS account_code, ps.name AS scale, p.point, " \
	"p.top_point, CONCAT(p.point_year, '-', LPAD((p.point_year + 1) % 100, 2, '0')) AS point_year, p.fte_h, " \
	"p.paid_weeks_h, p.tlr_pence, p.sen_pence, p.fringe_pence, p.other_allowance_pence, p.pension, " \
	"p.ni_category, p.starts_on, p.ends_on, p.vacant, p.holder_name, p.periods_taught, p.version, " \
	"p.created_at, p.updated_at"
#define POST_FROM \
	" FROM posts p JOIN schools s ON s.id = p.school_id JOIN accounts a ON a.id = p.account_id" \
	" JOIN pay_scales ps ON ps.id = p.scale_id"

static const char post_get_sql[] =
	"SELECT " POST_COLS POST_FROM " WHERE p.id = ? AND p.school_id = ? AND p.deleted_at IS NULL";
/* the post's row alone is locked (FOR UPDATE OF is not MariaDB's): lock_sql locks it first */
static const char post_lock_sql[] =
	"SELECT " POST_COLS POST_FROM " WHERE p.id = ? AND p.school_id = ? AND p.deleted_at IS NULL";
static const char post_lock_row_sql[] =
	"SELECT id FROM posts WHERE id = ? AND school_id = ? AND deleted_at IS NULL FOR UPDATE";

static const struct store_entity post_entity = {
	.name = "post", .key_name = "id", .get_sql = post_get_sql, .lock_sql = post_lock_sql,
	.unique_field = "/reference", .unique_message = "another post of this entity has this reference",
	.unique_detail = "another post of this entity has this reference",
};

/* ---- reads ---- */

static const char posts_list_sql[] =
	"SELECT " POST_COLS ", p.deleted_at AS _deleted_at" POST_FROM " WHERE " STORE_KEYSET_WHERE("p")
	" AND p.school_id = ? AND (p.deleted_at IS NULL OR ? = 1) ORDER BY p.updated_at, p.id LIMIT ?";

int store_posts_list(struct db *db, uint32_t school_id, const struct page *pg, struct db_rows **rows,
		     struct problem *p)
{
	struct db_param extra[2] = { DBP_I64(school_id), DBP_I64(pg->has_since ? 1 : 0) };

	return store_list(db, posts_list_sql, pg, extra, 2, rows, p);
}

cJSON *store_post_row_json(const struct db_rows *rows, size_t i)
{
	int deleted = db_get(rows, i, "_deleted_at") != NULL;
	cJSON *o = db_row_to_json(rows, i), *t;

	if (o != NULL && deleted) {
		/* a tombstone says nothing of the post (no personal data) */
		if ((t = cJSON_CreateObject()) != NULL) {
			cJSON_AddItemToObject(t, "id", cJSON_DetachItemFromObjectCaseSensitive(o, "id"));
			cJSON_AddItemToObject(t, "updated_at", cJSON_DetachItemFromObjectCaseSensitive(o, "updated_at"));
		}
		cJSON_Delete(o);
		o = t;
		if (o != NULL && cJSON_GetArraySize(o) != 2) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	if (o != NULL && cJSON_AddBoolToObject(o, "deleted", deleted) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const char posts_live_sql[] =
	"SELECT " POST_COLS POST_FROM " WHERE p.school_id = ? AND p.deleted_at IS NULL ORDER BY p.reference";

int store_posts_live(struct db *db, uint32_t school_id, struct db_rows **rows, struct problem *p)
{
	return db_query(db, posts_live_sql, (struct db_param[]){ DBP_I64(school_id) }, 1, rows, p);
}

cJSON *store_post_get(struct db *db, uint32_t school_id, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(school_id) };
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_load(db, &post_entity, &(struct store_key){ prm, 2, text }, 0, NULL, version, p);
}

/* ---- writes ---- */

static const char post_account_sql[] = "SELECT id FROM accounts WHERE code = ?";
static const char post_scale_sql[] = "SELECT id FROM pay_scales WHERE name = ?";
/* a point's place in the scale: its lowest ord over the years that have it */
static const char post_point_sql[] =
	"SELECT MIN(ord) AS ord FROM pay_scale_points WHERE scale_id = ? AND point = ? HAVING COUNT(*) > 0";

/* One id by a one-parameter query: 1 found, 0 none, -1 with the problem set. */
static int post_one(struct db *db, const char *sql, struct db_param prm[], size_t n, int64_t *out,
		    struct problem *p)
{
	struct db_rows *rows = NULL;
	int rc;

	if (db_query(db, sql, prm, n, &rows, p) != 0)
		return -1;
	rc = rows->nrows > 0 && db_cell(rows, 0, 0) != NULL;
	if (rc)
		*out = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return rc;
}

/* ---- refs read once (store_post_refs) ---- */

struct store_post_point {
	int64_t scale_id, ord;
	const char *point;
};

static const char refs_accounts_sql[] = "SELECT code, id FROM accounts";
static const char refs_scales_sql[] = "SELECT name, id FROM pay_scales";
static const char refs_points_sql[] =
	"SELECT scale_id, point, MIN(ord) AS ord FROM pay_scale_points GROUP BY scale_id, point";

static int refs_point_cmp(const void *a, const void *b)
{
	const struct store_post_point *x = a, *y = b;

	if (x->scale_id != y->scale_id)
		return x->scale_id < y->scale_id ? -1 : 1;
	return strcasecmp(x->point, y->point);
}

void store_post_refs_free(struct store_post_refs *refs)
{
	if (refs == NULL)
		return;
	db_rows_free(refs->accounts);
	db_rows_free(refs->scales);
	db_rows_free(refs->point_rows);
	free(refs->points);
	memset(refs, 0, sizeof(*refs));
}

int store_post_refs_load(struct db *db, struct store_post_refs *refs, struct problem *p)
{
	const struct db_rows *r;

	memset(refs, 0, sizeof(*refs));
	if (db_query(db, refs_accounts_sql, NULL, 0, &refs->accounts, p) != 0 ||
	    db_query(db, refs_scales_sql, NULL, 0, &refs->scales, p) != 0 ||
	    db_query(db, refs_points_sql, NULL, 0, &refs->point_rows, p) != 0)
		return -1;
	r = refs->point_rows;
	if ((refs->points = calloc(r->nrows + 1, sizeof(*refs->points))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < r->nrows; i++)
		if (db_cell(r, i, 1) != NULL)
			refs->points[refs->npoints++] = (struct store_post_point){ db_cell_i64(r, i, 0),
				db_cell_i64(r, i, 2), db_cell(r, i, 1) };
	qsort(refs->points, refs->npoints, sizeof(*refs->points), refs_point_cmp);
	return 0;
}

/* The id of the row whose first cell is key (case-insensitive, as the database's
 * collation): 1 found, 0 none. */
static int refs_find(const struct db_rows *rows, const char *key, int64_t *out)
{
	for (size_t i = 0; i < rows->nrows; i++)
		if (db_cell(rows, i, 0) != NULL && strcasecmp(db_cell(rows, i, 0), key) == 0) {
			*out = db_cell_i64(rows, i, 1);
			return 1;
		}
	return 0;
}

/* ---- the checks ---- */

/* The account's id: 1 found, 0 none, -1 with the problem set. */
static int post_account(struct db *db, const struct store_post_refs *refs, const char *code, int64_t *id,
			struct problem *p)
{
	if (refs != NULL)
		return refs_find(refs->accounts, code, id);
	return post_one(db, post_account_sql, (struct db_param[]){ DBP_STR(code) }, 1, id, p);
}

static int post_scale(struct db *db, const struct store_post_refs *refs, const char *name, int64_t *id,
		      struct problem *p)
{
	if (refs != NULL)
		return refs_find(refs->scales, name, id);
	return post_one(db, post_scale_sql, (struct db_param[]){ DBP_STR(name) }, 1, id, p);
}

/* A point's lowest ord on the scale: 1 found, 0 none, -1 with the problem set. */
static int post_point(struct db *db, const struct store_post_refs *refs, int64_t scale_id, const char *point,
		      int64_t *ord, struct problem *p)
{
	struct store_post_point key = { scale_id, 0, point }, *hit;

	if (refs == NULL)
		return post_one(db, post_point_sql, (struct db_param[]){ DBP_I64(scale_id), DBP_STR(point) }, 2, ord, p);
	hit = refs->npoints > 0 ? bsearch(&key, refs->points, refs->npoints, sizeof(*refs->points), refs_point_cmp) :
				  NULL;
	if (hit == NULL)
		return 0;
	*ord = hit->ord;
	return 1;
}

/* The account's and the scale's ids, and the points checked (422 naming each field). */
static int post_refs(struct db *db, const struct store_post_refs *refs, const struct post_in *in,
		     int64_t *account_id, int64_t *scale_id, struct problem *p)
{
	int64_t ord = 0, top_ord = 0;
	int rc;

	if ((rc = post_account(db, refs, in->account_code, account_id, p)) < 0)
		return -1;
	if (rc == 0)
		problem_field(p, "/account_code", "the chart of accounts has no account %s", in->account_code);
	if ((rc = post_scale(db, refs, in->scale, scale_id, p)) < 0)
		return -1;
	if (rc == 0) {
		problem_field(p, "/scale", "there is no pay scale named %s", in->scale);
		return problem_validation_done(p);
	}
	if ((rc = post_point(db, refs, *scale_id, in->point, &ord, p)) < 0)
		return -1;
	if (rc == 0)
		problem_field(p, "/point", "pay scale %s has no point %s", in->scale, in->point);
	if (in->top_point != NULL) {
		if ((rc = post_point(db, refs, *scale_id, in->top_point, &top_ord, p)) < 0)
			return -1;
		if (rc == 0)
			problem_field(p, "/top_point", "pay scale %s has no point %s", in->scale, in->top_point);
		else if (ord > 0 && top_ord < ord)
			problem_field(p, "/top_point", "%s is below the post's point %s on pay scale %s", in->top_point,
				      in->point, in->scale);
	}
	return problem_validation_done(p);
}

int store_post_check(struct db *db, const struct store_post_refs *refs, const struct post_in *in, struct problem *p)
{
	int64_t account_id = 0, scale_id = 0;

	return post_refs(db, refs, in, &account_id, &scale_id, p);
}

/* The 22 columns of a write, in post_insert_sql's order (after school_id). */
static void post_params(const struct post_in *in, int64_t account_id, int64_t scale_id, struct db_param *prm)
{
	size_t n = 0;

	prm[n++] = DBP_STR(in->reference);
	prm[n++] = DBP_STR(in->title);
	prm[n++] = DBP_STR(in->role);
	prm[n++] = DBP_I64(account_id);
	prm[n++] = DBP_I64(scale_id);
	prm[n++] = DBP_STR(in->point);
	prm[n++] = DBP_STR(in->top_point);
	prm[n++] = DBP_I64(in->point_year);
	prm[n++] = DBP_I64(in->fte_h);
	prm[n++] = in->paid_weeks_h > 0 ? DBP_I64(in->paid_weeks_h) : DBP_NULL;
	prm[n++] = DBP_I64(in->tlr_pence);
	prm[n++] = DBP_I64(in->sen_pence);
	prm[n++] = DBP_I64(in->fringe_pence);
	prm[n++] = DBP_I64(in->other_allowance_pence);
	prm[n++] = DBP_STR(in->pension);
	prm[n++] = DBP_STR(in->ni_category != NULL ? in->ni_category : "A");
	prm[n++] = DBP_STR(in->starts_on);
	prm[n++] = DBP_STR(in->ends_on);
	prm[n++] = DBP_I64(in->vacant ? 1 : 0);
	prm[n++] = DBP_STR(in->vacant ? NULL : in->holder_name);
	prm[n++] = in->periods_taught >= 0 ? DBP_I64(in->periods_taught) : DBP_NULL;
}
#define POST_NPARAMS 21

static const char post_insert_sql[] =
	"INSERT INTO posts (school_id, reference, title, role, account_id, scale_id, point, top_point, point_year, "
	"fte_h, paid_weeks_h, tlr_pence, sen_pence, fringe_pence, other_allowance_pence, pension, ni_category, "
	"starts_on, ends_on, vacant, holder_name, periods_taught) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct post_key {
	struct db_param prm[2];                  /* id, school_id */
	char text[24];
};

static int post_created_key(struct db *db, int64_t id, void *arg, struct problem *p)
{
	struct post_key *k = arg;

	(void)db;
	(void)p;
	k->prm[0] = DBP_I64(id);
	snprintf(k->text, sizeof(k->text), "%lld", (long long)id);
	return 0;
}

int store_post_create(struct db *db, const struct store_post_refs *refs, const struct audit_actor *who,
		      uint32_t school_id, const struct post_in *in, int64_t *id, cJSON **after, struct problem *p)
{
	struct db_param prm[1 + POST_NPARAMS];
	struct post_key k = { .prm = { DBP_I64(0), DBP_I64(school_id) } };
	struct store_key key = { k.prm, 2, k.text };
	int64_t account_id = 0, scale_id = 0;

	*after = NULL;
	if (post_refs(db, refs, in, &account_id, &scale_id, p) != 0)
		return -1;
	prm[0] = DBP_I64(school_id);
	post_params(in, account_id, scale_id, prm + 1);
	return store_versioned_create(db, &(struct store_create){ .e = &post_entity, .sql = post_insert_sql,
			.params = prm, .nparams = 1 + POST_NPARAMS, .key = &key, .then = post_created_key, .arg = &k,
			.who = who }, id, after, p);
}

static const char post_update_sql[] =
	"UPDATE posts SET reference = ?, title = ?, role = ?, account_id = ?, scale_id = ?, point = ?, top_point = ?, "
	"point_year = ?, fte_h = ?, paid_weeks_h = ?, tlr_pence = ?, sen_pence = ?, fringe_pence = ?, "
	"other_allowance_pence = ?, pension = ?, ni_category = ?, starts_on = ?, ends_on = ?, vacant = ?, "
	"holder_name = ?, periods_taught = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND school_id = ? AND version = ? AND deleted_at IS NULL";

static int post_lock_first(struct db *db, void *arg, struct problem *p)
{
	struct db_rows *rows = NULL;

	if (db_query(db, post_lock_row_sql, arg, 2, &rows, p) != 0)
		return -1;
	db_rows_free(rows);
	return 0;
}

int store_post_update(struct db *db, const struct store_post_refs *refs, const struct audit_actor *who,
		      uint32_t school_id, int64_t id, int64_t want_version, const struct post_in *in, cJSON **after,
		      struct problem *p)
{
	struct db_param prm[POST_NPARAMS + 3];
	int64_t account_id = 0, scale_id = 0;
	char text[24];

	*after = NULL;
	if (post_refs(db, refs, in, &account_id, &scale_id, p) != 0)
		return -1;
	post_params(in, account_id, scale_id, prm);
	prm[POST_NPARAMS] = DBP_I64(id);
	prm[POST_NPARAMS + 1] = DBP_I64(school_id);
	prm[POST_NPARAMS + 2] = DBP_I64(want_version);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &post_entity,
			.key = { &prm[POST_NPARAMS], 2, text }, .want_version = want_version, .action = "update",
			.sql = post_update_sql, .params = prm, .nparams = POST_NPARAMS + 3, .first = post_lock_first,
			.arg = &prm[POST_NPARAMS], .who = who }, after, p);
}

static const char post_delete_sql[] =
	"UPDATE posts SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND school_id = ? AND version = ? AND deleted_at IS NULL";

int store_post_delete(struct db *db, const struct audit_actor *who, uint32_t school_id, int64_t id,
		      int64_t want_version, struct problem *p)
{
	struct db_param prm[3] = { DBP_I64(id), DBP_I64(school_id), DBP_I64(want_version) };
	cJSON *after = NULL;
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &post_entity, .key = { prm, 2, text },
			.want_version = want_version, .action = "delete", .is_delete = 1, .sql = post_delete_sql,
			.params = prm, .nparams = 3, .first = post_lock_first, .arg = prm, .who = who }, &after, p);
}
