/* store_indices.c - see store_indices.h */
#include "store_indices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "log.h"

#define INDEX_COLS \
	"i.name, i.description, i.version, i.created_at, i.updated_at, " \
	"(SELECT JSON_ARRAYAGG(JSON_ARRAY(v.year, v.bp, v.note) ORDER BY v.year) FROM index_values v " \
	"WHERE v.index_name = i.name) AS _values"

static const char index_get_sql[] = "SELECT " INDEX_COLS " FROM indices i WHERE i.name = ? AND i.deleted_at IS NULL";
static const char index_lock_sql[] =
	"SELECT " INDEX_COLS " FROM indices i WHERE i.name = ? AND i.deleted_at IS NULL FOR UPDATE";
static const char index_list_sql[] = "SELECT " INDEX_COLS " FROM indices i WHERE i.deleted_at IS NULL ORDER BY i.name";

/* Row i as the representation. NULL when the stored values do not parse or out of memory. */
static cJSON *index_row_json(const struct db_rows *rows, size_t i, int32_t default_bp)
{
	cJSON *o = db_row_to_json(rows, i), *vals = NULL, *values, *notes, *v;
	const char *text = db_get(rows, i, "_values");

	if (o == NULL)
		return NULL;
	if (text != NULL && (vals = cJSON_Parse(text)) == NULL)
		goto fail;
	values = cJSON_CreateObject();
	notes = cJSON_CreateObject();
	/* "values" and "notes" after the description, as the API lists them */
	cJSON_AddItemToObject(o, "values", values);
	cJSON_AddItemToObject(o, "notes", notes);
	if (values == NULL || notes == NULL)
		goto fail;
	cJSON_ArrayForEach(v, vals) {
		cJSON *y = cJSON_GetArrayItem(v, 0), *bp = cJSON_GetArrayItem(v, 1), *note = cJSON_GetArrayItem(v, 2);
		char key[8];

		if (!cJSON_IsNumber(y) || !cJSON_IsNumber(bp) || !cJSON_IsString(note))
			goto fail;
		acyear_format((int)y->valuedouble, key, sizeof(key));
		if (cJSON_AddNumberToObject(values, key, bp->valuedouble) == NULL ||
		    (note->valuestring[0] != '\0' && cJSON_AddStringToObject(notes, key, note->valuestring) == NULL))
			goto fail;
	}
	cJSON_Delete(vals);
	/* the order the API shows: name, description, values, notes, default_bp, version, times */
	for (const char *const *k = (const char *const[]){ "version", "created_at", "updated_at", NULL }; *k != NULL; k++) {
		cJSON *x = cJSON_DetachItemFromObjectCaseSensitive(o, *k);

		if (x == NULL)
			goto fail;
		if (strcmp(*k, "version") == 0 && cJSON_AddNumberToObject(o, "default_bp", default_bp) == NULL) {
			cJSON_Delete(x);
			goto fail;
		}
		cJSON_AddItemToObject(o, *k, x);
	}
	return o;
fail:
	cJSON_Delete(vals);
	cJSON_Delete(o);
	return NULL;
}

/* A write (or a read: name and in unused), the render's arg too. */
struct index_write {
	const char *name;
	const struct index_in *in;
	int32_t default_bp;
};

static cJSON *index_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = index_row_json(rows, 0, ((const struct index_write *)arg)->default_bp);

	if (o == NULL) {
		log_err("indices: index %s: its stored values do not parse", db_get(rows, 0, "name"));
		problem_internal(p);
	}
	return o;
}

static const struct store_entity index_entity = {
	.name = "index", .key_name = "name", .get_sql = index_get_sql, .lock_sql = index_lock_sql,
	.render = index_render,
};

cJSON *store_indices_list(struct db *db, int32_t default_bp, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a;

	if (db_query(db, index_list_sql, NULL, 0, &rows, p) != 0)
		return NULL;
	if ((a = cJSON_CreateArray()) == NULL)
		goto oom;
	for (size_t i = 0; i < rows->nrows; i++) {
		cJSON *o = index_row_json(rows, i, default_bp);

		if (o == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	}
	db_rows_free(rows);
	return a;
oom:
	log_err("indices: out of memory, or stored values that do not parse");
	cJSON_Delete(a);
	db_rows_free(rows);
	problem_internal(p);
	return NULL;
}

cJSON *store_index_get(struct db *db, const char *name, int32_t default_bp, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_STR(name);

	struct index_write w = { .default_bp = default_bp };

	return store_load(db, &index_entity, &(struct store_key){ &prm, 1, name }, 0, &w, version, p);
}

/* ---- writes ---- */

static const char index_values_delete_sql[] = "DELETE FROM index_values WHERE index_name = ?";
static const char index_value_insert_sql[] = "INSERT INTO index_values (index_name, year, bp, note) VALUES (?, ?, ?, ?)";

/* The index's values replaced by the write's (none for a delete). */
static int index_values_write(struct db *db, const char *name, const struct index_in *in, struct problem *p)
{
	struct db_param key = DBP_STR(name);

	if (db_exec(db, index_values_delete_sql, &key, 1, NULL, NULL, p) != 0)
		return -1;
	for (size_t i = 0; in != NULL && i < in->nvalues; i++) {
		const struct index_value_in *v = &in->values[i];
		struct db_param prm[4] = { DBP_STR(name), DBP_I64(v->year), DBP_I64(v->bp),
					   DBP_STR(v->note != NULL ? v->note : "") };

		if (db_exec(db, index_value_insert_sql, prm, 4, NULL, NULL, p) != 0)
			return -1;
	}
	return 0;
}

static int index_then(struct db *db, void *arg, struct problem *p)
{
	const struct index_write *w = arg;

	return index_values_write(db, w->name, w->in, p);
}

static const char index_state_sql[] = "SELECT version, deleted_at FROM indices WHERE name = ? FOR UPDATE";
static const char index_insert_sql[] = "INSERT INTO indices (description, name) VALUES (?, ?)";
static const char index_revive_sql[] =
	"UPDATE indices SET description = ?, deleted_at = NULL, version = version + 1, created_at = UTC_TIMESTAMP(6), "
	"updated_at = UTC_TIMESTAMP(6) WHERE name = ? AND deleted_at IS NOT NULL";
static const char index_update_sql[] =
	"UPDATE indices SET description = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE name = ? AND version = ? AND deleted_at IS NULL";

int store_index_put(struct db *db, const struct audit_actor *who, const char *name, int has_if_match,
		    int64_t want_version, const struct index_in *in, int32_t default_bp, cJSON **after, int *created,
		    struct problem *p)
{
	struct index_write w = { .name = name, .in = in, .default_bp = default_bp };
	const char *desc = in->description != NULL ? in->description : "";
	struct db_param prm[3] = { DBP_STR(desc), DBP_STR(name), DBP_I64(want_version) };
	struct db_rows *rows = NULL;
	int live, exists, rc;
	int64_t version;

	*after = NULL;
	*created = 0;
	if (db_query(db, index_state_sql, &prm[1], 1, &rows, p) != 0)
		return -1;
	exists = rows->nrows > 0;
	live = exists && db_cell(rows, 0, 1) == NULL;
	db_rows_free(rows);
	if (live) {
		if (!has_if_match)
			return problem_set(p, 428, "precondition-required", "Precondition required",
					   "index %s exists: send If-Match with the ETag from your last GET", name);
		return store_versioned_write(db, &(struct store_write){ .e = &index_entity,
				.key = { &prm[1], 1, name }, .want_version = want_version, .action = "update",
				.sql = index_update_sql, .params = prm, .nparams = 3, .then = index_then, .arg = &w,
				.who = who }, after, p);
	}
	if (has_if_match)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is no index %s", name);
	*created = 1;
	if (db_exec(db, exists ? index_revive_sql : index_insert_sql, prm, 2, NULL, NULL, p) != 0 ||
	    index_values_write(db, name, in, p) != 0)
		return -1;
	if ((*after = store_load(db, &index_entity, &(struct store_key){ &prm[1], 1, name }, 0, &w, &version, p)) == NULL)
		return -1;
	rc = audit_write(db, who, "create", "index", name, NULL, *after, p);
	if (rc != 0) {
		cJSON_Delete(*after);
		*after = NULL;
	}
	return rc;
}

static const char index_delete_sql[] =
	"UPDATE indices SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE name = ? AND version = ? AND deleted_at IS NULL";

int store_index_delete(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
		       int32_t default_bp, struct problem *p)
{
	struct index_write w = { .name = name, .in = NULL, .default_bp = default_bp };
	struct db_param prm[2] = { DBP_STR(name), DBP_I64(want_version) };
	cJSON *after = NULL;

	return store_versioned_write(db, &(struct store_write){ .e = &index_entity, .key = { prm, 1, name },
			.want_version = want_version, .action = "delete", .is_delete = 1, .sql = index_delete_sql,
			.params = prm, .nparams = 2, .then = index_then, .arg = &w, .who = who }, &after, p);
}

/* ---- the history for pricing ---- */

static const char index_history_sql[] =
	"SELECT i.name, i.updated_at, v.year, v.bp FROM indices i LEFT JOIN index_values v ON v.index_name = i.name "
	"ORDER BY i.name, v.year";

int store_index_history_load(struct db *db, struct store_index_history *h, struct problem *p)
{
	struct db_rows *rows = NULL;

	memset(h, 0, sizeof(*h));
	if (db_query(db, index_history_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0 && ((h->series = calloc(rows->nrows, sizeof(*h->series))) == NULL ||
				(h->updated = calloc(rows->nrows, sizeof(*h->updated))) == NULL)) {
		db_rows_free(rows);
		store_index_history_free(h);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *name = db_cell(rows, i, 0);
		struct price_series *s;

		if (h->n == 0 || strcmp(h->series[h->n - 1].name, name) != 0) {
			s = &h->series[h->n];
			snprintf(s->name, sizeof(s->name), "%s", name);
			for (size_t y = 0; y < PRICE_YEARS; y++)
				s->bp[y] = PRICE_NO_VALUE;
			snprintf(h->updated[h->n], PAGE_TS_LEN, "%s", db_cell(rows, i, 1));
			h->n++;
		}
		s = &h->series[h->n - 1];
		if (db_cell(rows, i, 2) != NULL) {
			int64_t y = db_cell_i64(rows, i, 2);

			if (y >= PRICE_FIRST_YEAR && y < PRICE_FIRST_YEAR + PRICE_YEARS)
				s->bp[y - PRICE_FIRST_YEAR] = (int32_t)db_cell_i64(rows, i, 3);
		}
	}
	db_rows_free(rows);
	return 0;
}

void store_index_history_free(struct store_index_history *h)
{
	if (h == NULL)
		return;
	free(h->series);
	free(h->updated);
	memset(h, 0, sizeof(*h));
}

const char *store_index_history_updated(const struct store_index_history *h, const char *name)
{
	for (size_t i = 0; name != NULL && i < h->n; i++)
		if (strcmp(h->series[i].name, name) == 0)
			return h->updated[i];
	return NULL;
}
