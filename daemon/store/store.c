/* store.c - see store.h */
#include "store.h"

#include <stdio.h>
#include <string.h>

/* store_load, with the 404's detail in missing (NULL: the default). */
static cJSON *store_load_as(struct db *db, const struct store_entity *e, const struct store_key *k, int lock,
			    void *render_arg, int64_t *version, const char *missing, struct problem *p)
{
	struct db_rows *rows = NULL;
	size_t vix;
	cJSON *o = NULL;

	if (db_query(db, lock ? e->lock_sql : e->get_sql, k->params, k->nparams, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		if (missing != NULL)
			problem_not_found(p, "%s", missing);
		else
			problem_not_found(p, "no %s with %s %s", e->name, e->key_name, k->text);
		goto out;
	}
	if (db_columns(rows, (const char *const[]){ "version" }, 1, &vix, p) != 0)
		goto out;
	*version = db_cell_i64(rows, 0, vix);
	o = e->render != NULL ? e->render(rows, render_arg, p) : (e->row != NULL ? e->row : db_row_to_json)(rows, 0);
	if (o == NULL && e->render == NULL)
		problem_internal(p);
out:
	db_rows_free(rows);
	return o;
}

cJSON *store_load(struct db *db, const struct store_entity *e, const struct store_key *k, int lock,
		  void *render_arg, int64_t *version, struct problem *p)
{
	return store_load_as(db, e, k, lock, render_arg, version, NULL, p);
}

/* After a failed write: a duplicate of the entity's unique key is 409 naming it. */
static void store_unique_failed(struct db *db, const struct store_entity *e, struct problem *p)
{
	if (e->unique_field == NULL || db_errno(db) != DB_ER_DUP_ENTRY)
		return;
	if (e->unique_detail != NULL)
		problem_conflict(p, "%s", e->unique_detail);
	problem_field(p, e->unique_field, "%s", e->unique_message);
}

int64_t store_image_version(const cJSON *image)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(image, "version");

	return cJSON_IsNumber(v) ? (int64_t)cJSON_GetNumberValue(v) : 0;
}

int store_versioned_write(struct db *db, const struct store_write *w, cJSON **after, struct problem *p)
{
	const struct store_entity *e = w->e;
	const struct db_param *params = w->params;
	struct db_param any[48];
	cJSON *before;
	uint64_t affected = 0;
	int64_t version;
	int rc = -1;

	*after = NULL;
	if (w->first != NULL && w->first(db, w->arg, p) != 0)
		return -1;
	if ((before = store_load_as(db, e, &w->key, 1, w->arg, &version, w->missing, p)) == NULL)
		return -1;
	if (!w->any_version && version != w->want_version) {
		if (w->what != NULL)
			problem_stale(p, version, w->want_version, "%s", w->what);
		else
			problem_stale(p, version, w->want_version, "%s %s", e->name, w->key.text);
		goto out;
	}
	if (w->check != NULL && w->check(db, before, w->arg, p) != 0)
		goto out;
	if (w->any_version) {
		/* after check, which may fill in params */
		if (w->nparams == 0 || w->nparams > sizeof(any) / sizeof(any[0])) {
			problem_internal(p);
			goto out;
		}
		memcpy(any, w->params, w->nparams * sizeof(any[0]));
		any[w->nparams - 1] = DBP_I64(version);
		params = any;
	}
	if (db_exec(db, w->sql, params, w->nparams, &affected, NULL, p) != 0) {
		store_unique_failed(db, e, p);
		if (w->failed != NULL)
			w->failed(db, p);
		goto out;
	}
	if (affected != 1) {
		const char *doing = w->doing != NULL ? w->doing : w->is_delete ? "deleted" : "updated";

		if (w->what != NULL)
			problem_changed(p, doing, "%s", w->what);
		else
			problem_changed(p, doing, "%s %s", e->name, w->key.text);
		goto out;
	}
	if (w->then != NULL && w->then(db, w->arg, p) != 0)
		goto out;
	if (w->child_after != NULL) {
		if (w->amend != NULL && w->amend(db, *w->child_before, *w->child_after, w->arg, p) != 0)
			goto out;
		rc = audit_write(db, w->who, w->action, e->name, w->key.text, *w->child_before, *w->child_after, p);
		goto out;
	}
	if (!w->is_delete && (*after = store_load(db, e, &w->key, 0, w->arg, &version, p)) == NULL)
		goto out;
	if (w->amend != NULL && w->amend(db, before, *after, w->arg, p) != 0)
		goto out;
	rc = audit_write(db, w->who, w->action, e->name, w->key.text, before, *after, p);
out:
	if (rc != 0) {
		cJSON_Delete(*after);
		*after = NULL;
	}
	cJSON_Delete(before);
	return rc;
}

int store_versioned_create(struct db *db, const struct store_create *c, int64_t *id, cJSON **after,
			   struct problem *p)
{
	struct db_param kp;
	struct store_key k;
	uint64_t iid = 0;
	int64_t version;
	char text[24];

	*after = NULL;
	*id = 0;
	if (db_exec(db, c->sql, c->params, c->nparams, NULL, &iid, p) != 0) {
		store_unique_failed(db, c->e, p);
		if (c->failed != NULL)
			c->failed(db, p);
		return -1;
	}
	*id = (int64_t)iid;
	if (c->then != NULL && c->then(db, *id, c->arg, p) != 0)
		return -1;
	if (c->key != NULL) {
		k = *c->key;
	} else {
		snprintf(text, sizeof(text), "%lld", (long long)*id);
		kp = DBP_I64(*id);
		k = (struct store_key){ &kp, 1, text };
	}
	if ((*after = store_load(db, c->e, &k, 0, c->arg, &version, p)) == NULL)
		return -1;
	if (audit_write(db, c->who, c->action != NULL ? c->action : "create", c->e->name, k.text, c->before, *after,
			p) != 0) {
		cJSON_Delete(*after);
		*after = NULL;
		return -1;
	}
	return 0;
}

int store_list(struct db *db, const char *sql, const struct page *pg, const struct db_param *extra,
	       size_t nextra, struct db_rows **rows, struct problem *p)
{
	struct db_param prm[40];
	size_t n = 0;

	*rows = NULL;
	if (nextra > sizeof(prm) / sizeof(prm[0]) - 7)
		return problem_internal(p);
	prm[n++] = pg->has_since ? DBP_STR(pg->since_ts) : DBP_NULL;
	prm[n++] = pg->has_since ? DBP_STR(pg->since_ts) : DBP_NULL;
	for (int i = 0; i < 3; i++)
		prm[n++] = pg->has_after ? DBP_STR(pg->after_ts) : DBP_NULL;
	prm[n++] = pg->has_after ? DBP_I64(pg->after_id) : DBP_NULL;
	for (size_t i = 0; i < nextra; i++)
		prm[n++] = extra[i];
	prm[n++] = DBP_I64(pg->limit + 1);
	return db_query(db, sql, prm, n, rows, p);
}

void store_list_next(const struct db_rows *rows, const struct page *pg, size_t *shown, char *cursor, size_t len)
{
	int ci = db_col_index(rows, "updated_at"), cid = db_col_index(rows, "id");

	if (cid < 0)
		cid = db_col_index(rows, "_id");
	*shown = rows->nrows > (size_t)pg->limit ? (size_t)pg->limit : rows->nrows;
	cursor[0] = '\0';
	if (rows->nrows > (size_t)pg->limit && ci >= 0 && cid >= 0 &&
	    page_cursor(cursor, len, db_cell(rows, *shown - 1, (size_t)ci),
			db_cell_i64(rows, *shown - 1, (size_t)cid)) != 0)
		cursor[0] = '\0';
}

cJSON *store_rows_json(const struct db_rows *rows, cJSON *(*row)(const struct db_rows *rows, size_t i))
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < rows->nrows; i++) {
		cJSON *o = row(rows, i);

		if (o == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}
