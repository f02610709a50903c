/* store_profiles.c - see store_profiles.h */
#include "store_profiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char all_sql[] = "SELECT name, weights FROM profiles ORDER BY name";
static const char defaults_sql[] =
	"SELECT id, default_profile FROM accounts WHERE default_profile IS NOT NULL ORDER BY id";

void store_profiles_book_free(struct store_profile_book *b)
{
	if (b == NULL)
		return;
	free(b->p);
	free(b->d);
	memset(b, 0, sizeof(*b));
}

int store_profiles_book(struct db *db, struct store_profile_book *b, struct problem *p)
{
	struct db_rows *rows = NULL, *defs = NULL;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	if (db_query(db, all_sql, NULL, 0, &rows, p) != 0 || db_query(db, defaults_sql, NULL, 0, &defs, p) != 0)
		goto out;
	if ((rows->nrows > 0 && (b->p = calloc(rows->nrows, sizeof(*b->p))) == NULL) ||
	    (defs->nrows > 0 && (b->d = calloc(defs->nrows, sizeof(*b->d))) == NULL)) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		struct store_profile *s = &b->p[b->n];

		snprintf(s->name, sizeof(s->name), "%s", db_cell(rows, i, 0));
		if (profile_weights_parse(db_cell(rows, i, 1), s->w) != 0 || !profile_weights_valid(s->w)) {
			log_warn("profiles: %s has weights that are not a profile; left out", s->name);
			continue;
		}
		b->n++;
	}
	for (size_t i = 0; i < defs->nrows; i++) {
		b->d[i].account_id = db_cell_i64(defs, i, 0);
		snprintf(b->d[i].name, sizeof(b->d[i].name), "%s", db_cell(defs, i, 1));
	}
	b->nd = defs->nrows;
	rc = 0;
out:
	db_rows_free(rows);
	db_rows_free(defs);
	return rc;
}

const struct store_profile *store_profiles_find(const struct store_profile_book *b, const char *name)
{
	if (b == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->p[i].name, name) == 0)
			return &b->p[i];
	return NULL;
}

const char *store_profiles_default(const struct store_profile_book *b, int64_t account_id)
{
	for (size_t i = 0; b != NULL && i < b->nd; i++)
		if (b->d[i].account_id == account_id)
			return b->d[i].name;
	return NULL;
}

/* ---- the resource ---- */

#define PROFILE_COLS "p.id AS _id, p.name, p.description, p.weights AS _weights, p.version, p.created_at, " \
	"p.updated_at"

static const char profile_get_sql[] = "SELECT " PROFILE_COLS " FROM profiles p WHERE p.name = ?";
static const char profile_lock_sql[] = "SELECT " PROFILE_COLS " FROM profiles p WHERE p.name = ? FOR UPDATE";
static const char profiles_list_sql[] = "SELECT " PROFILE_COLS " FROM profiles p ORDER BY p.name";

/* Row i as the image: the columns, and weights_bp from the weights' text. */
static cJSON *profile_row_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i);
	int32_t w[PROFILE_MONTHS];
	int v[PROFILE_MONTHS];

	if (o == NULL)
		return NULL;
	if (profile_weights_parse(db_get(rows, i, "_weights"), w) != 0)
		memset(w, 0, sizeof(w));         /* the API writes them valid */
	for (int k = 0; k < PROFILE_MONTHS; k++)
		v[k] = (int)w[k];
	if (!cJSON_AddItemToObject(o, "weights_bp", cJSON_CreateIntArray(v, PROFILE_MONTHS))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const struct store_entity profile_entity = {
	.name = "profile", .key_name = "name", .get_sql = profile_get_sql, .lock_sql = profile_lock_sql,
	.row = profile_row_json,
	.unique_field = "/name", .unique_message = "another profile has this name",
	.unique_detail = "another profile has this name",
};

cJSON *store_profiles_list(struct db *db, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a;

	if (db_query(db, profiles_list_sql, NULL, 0, &rows, p) != 0)
		return NULL;
	if ((a = store_rows_json(rows, profile_row_json)) == NULL)
		problem_internal(p);
	db_rows_free(rows);
	return a;
}

cJSON *store_profile_get(struct db *db, const char *name, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_STR(name);

	return store_load(db, &profile_entity, &(struct store_key){ &prm, 1, name }, 0, NULL, version, p);
}

static const char profile_insert_sql[] = "INSERT INTO profiles (name, description, weights) VALUES (?, ?, ?)";

int store_profile_create(struct db *db, const struct audit_actor *who, const struct profile_in *in, cJSON **after,
			 struct problem *p)
{
	char w[PROFILE_WEIGHTS_TEXT_MAX];
	struct db_param prm[3] = { DBP_STR(in->name), DBP_STR(in->description != NULL ? in->description : ""),
				   DBP_STR(w) };
	int64_t id = 0;

	profile_weights_format(in->w, w, sizeof(w));
	return store_versioned_create(db, &(struct store_create){ .e = &profile_entity, .sql = profile_insert_sql,
			.params = prm, .nparams = 3, .key = &(struct store_key){ prm, 1, in->name }, .who = who },
			&id, after, p);
}

static const char profile_update_sql[] =
	"UPDATE profiles SET description = ?, weights = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE name = ? AND version = ?";

int store_profile_update(struct db *db, const struct audit_actor *who, int64_t want_version,
			 const struct profile_in *in, cJSON **after, struct problem *p)
{
	char w[PROFILE_WEIGHTS_TEXT_MAX];
	struct db_param prm[4] = { DBP_STR(in->description != NULL ? in->description : ""), DBP_STR(w),
				   DBP_STR(in->name), DBP_I64(want_version) };

	profile_weights_format(in->w, w, sizeof(w));
	return store_versioned_write(db, &(struct store_write){ .e = &profile_entity,
			.key = { &prm[2], 1, in->name }, .want_version = want_version, .action = "update",
			.sql = profile_update_sql, .params = prm, .nparams = 4, .who = who }, after, p);
}

static const char profile_accounts_sql[] =
	"SELECT code FROM accounts WHERE default_profile = ? ORDER BY code LIMIT 11";
static const char profile_lines_sql[] =
	"SELECT s.urn, b.year, COUNT(*) AS n FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
	"JOIN schools s ON s.id = b.school_id WHERE l.profile = ? GROUP BY s.urn, b.year ORDER BY b.year, s.urn "
	"LIMIT 11";
static const char profile_delete_sql[] = "DELETE FROM profiles WHERE name = ? AND version = ?";

/* A profile an account or a budget line names stays: 409 profile-in-use naming them. */
static int profile_unused(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct db_param *name = arg;
	struct db_rows *acc = NULL, *lines = NULL;
	char what[600] = "";
	size_t o = 0;
	int rc = -1;

	(void)before;
	if (db_query(db, profile_accounts_sql, name, 1, &acc, p) != 0 ||
	    db_query(db, profile_lines_sql, name, 1, &lines, p) != 0)
		goto out;
	for (size_t i = 0; i < acc->nrows && i < 10 && o < sizeof(what); i++)
		o += (size_t)snprintf(what + o, sizeof(what) - o, "%saccount %s", o ? ", " : "", db_cell(acc, i, 0));
	for (size_t i = 0; i < lines->nrows && i < 10 && o < sizeof(what); i++) {
		int64_t y = db_cell_i64(lines, i, 1);

		o += (size_t)snprintf(what + o, sizeof(what) - o, "%sthe budget for %s in %04lld-%02lld (%lld line%s)",
				      o ? ", " : "", db_cell(lines, i, 0), (long long)y, (long long)((y + 1) % 100),
				      (long long)db_cell_i64(lines, i, 2), db_cell_i64(lines, i, 2) == 1 ? "" : "s");
	}
	if (o > 0)
		problem_set(p, 409, "profile-in-use", "Profile in use",
			    "profile %s is in use, so it cannot be deleted: %s%s", name->s, what,
			    acc->nrows > 10 || lines->nrows > 10 ? " and more" : "");
	else
		rc = 0;
out:
	db_rows_free(acc);
	db_rows_free(lines);
	return rc;
}

int store_profile_delete(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
			 struct problem *p)
{
	struct db_param prm[2] = { DBP_STR(name), DBP_I64(want_version) };
	cJSON *after = NULL;

	return store_versioned_write(db, &(struct store_write){ .e = &profile_entity,
			.key = { prm, 1, name }, .want_version = want_version, .action = "delete", .is_delete = 1,
			.sql = profile_delete_sql, .params = prm, .nparams = 2,
			.check = profile_unused, .arg = prm, .who = who }, &after, p);
}
