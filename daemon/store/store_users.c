/* store_users.c - see store_users.h */
#include "store_users.h"

#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_sessions.h"
#include "utf8.h"

#define USER_COLS \
	"u.id, u.email, u.display_name, u.role, " \
	"(SELECT JSON_ARRAYAGG(s.urn) FROM user_schools us JOIN schools s ON s.id = us.school_id " \
	" WHERE us.user_id = u.id) AS schools_json, u.disabled, u.locked, u.version, u.created_at, u.updated_at"

static const char user_get_sql[] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?";
static const char user_lock_sql[] = "SELECT " USER_COLS " FROM users u WHERE u.id = ? FOR UPDATE";

/* schools_json -> schools ([] for none). */
cJSON *store_user_render_row(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *s;

	if (o == NULL)
		return NULL;
	s = cJSON_DetachItemFromObjectCaseSensitive(o, "schools_json");
	if (!cJSON_IsArray(s)) {
		cJSON_Delete(s);
		s = cJSON_CreateArray();
	}
	if (s == NULL || !cJSON_AddItemToObject(o, "schools", s)) {
		cJSON_Delete(s);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const struct store_entity user_entity = {
	.name = "user", .key_name = "id", .get_sql = user_get_sql, .lock_sql = user_lock_sql,
	.row = store_user_render_row,
	.unique_field = "/email", .unique_message = "another account has this e-mail address",
	.unique_detail = "another account has this e-mail address",
};

static int user_email_ok(const char *e)
{
	const char *at = e != NULL ? strchr(e, '@') : NULL;
	size_t n = e != NULL ? strlen(e) : 0;

	if (at == NULL || at == e || at[1] == '\0' || strchr(at + 1, '@') != NULL || n > 254 ||
	    strchr(at + 1, '.') == NULL || !utf8_valid((const unsigned char *)e, n))
		return 0;
	for (const unsigned char *c = (const unsigned char *)e; *c != '\0'; c++)
		if (*c <= ' ' || *c == 0x7f || (*c >= 'A' && *c <= 'Z') || *c == '"' || *c == ',' || *c == '<' ||
		    *c == '>')
			return 0;
	return 1;
}

int store_user_validate(const struct user_in *u, struct problem *p)
{
	if (!user_email_ok(u->email))
		problem_field(p, "/email", "must be an e-mail address in lower case, such as jo.bloggs@school.example");
	if (u->display_name == NULL || u->display_name[0] == '\0' || utf8_chars(u->display_name) > 200)
		problem_field(p, "/display_name", "must be 1 to 200 characters: the name the audit log shows");
	if ((u->role & (ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER | ROLE_AUDITOR | ROLE_ADMIN)) == 0 ||
	    (u->role & (u->role - 1)) != 0)
		problem_field(p, "/role", "must be one of: finance_director, business_manager, auditor, admin "
			      "(school systems use tokens)");
	else if (u->role == ROLE_BUSINESS_MANAGER && u->nurns == 0)
		problem_field(p, "/schools", "a business manager needs at least one school");
	else if (u->role != ROLE_BUSINESS_MANAGER && u->nurns != 0)
		problem_field(p, "/schools", "a %s covers the whole trust: give no schools", identity_role_name(u->role));
	for (size_t i = 0; i < u->nurns; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(u->urns[i], u->urns[j]) == 0) {
				char field[32];

				snprintf(field, sizeof(field), "/schools/%zu", i);
				problem_field(p, field, "%s is listed twice", u->urns[i]);
			}
	return problem_validation_done(p);
}

static const char user_schools_clear_sql[] = "DELETE FROM user_schools WHERE user_id = ?";
static const char user_school_sql[] =
	"INSERT INTO user_schools (user_id, school_id) SELECT ?, id FROM schools WHERE urn = ? AND kind = 'school'";

/* The account's schools become u's (422 at /schools/i for an unknown one). */
static int user_schools_set(struct db *db, int64_t id, const struct user_in *u, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	uint64_t n = 0;

	if (db_exec(db, user_schools_clear_sql, &prm, 1, NULL, NULL, p) != 0)
		return -1;
	for (size_t i = 0; i < u->nurns; i++) {
		struct db_param sp[2] = { DBP_I64(id), DBP_STR(u->urns[i]) };
		char field[32];

		if (db_exec(db, user_school_sql, sp, 2, &n, NULL, p) != 0)
			return -1;
		if (n != 1) {
			snprintf(field, sizeof(field), "/schools/%zu", i);
			problem_field(p, field, "%s is not a school of the trust", u->urns[i]);
		}
	}
	return problem_validation_done(p);
}

static const char user_insert_sql[] =
	"INSERT INTO users (email, display_name, role, password_hash) VALUES (?, ?, ?, ?)";

static int user_create_then(struct db *db, int64_t id, void *arg, struct problem *p)
{
	return user_schools_set(db, id, arg, p);
}

int store_user_create(struct db *db, const struct audit_actor *who, const struct user_in *u,
		      const char *password_hash, int64_t *id, cJSON **after, struct problem *p)
{
	struct db_param prm[4] = {
		DBP_STR(u->email), DBP_STR(u->display_name), DBP_STR(identity_role_name(u->role)), DBP_STR(password_hash),
	};

	*after = NULL;
	if (store_user_validate(u, p) != 0)
		return -1;
	return store_versioned_create(db, &(struct store_create){ .e = &user_entity, .sql = user_insert_sql,
			.params = prm, .nparams = 4, .then = user_create_then, .arg = (void *)u, .who = who },
			id, after, p);
}

cJSON *store_user_get(struct db *db, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_load(db, &user_entity, &(struct store_key){ &prm, 1, text }, 0, NULL, version, p);
}

static const char users_list_sql[] =
	"SELECT " USER_COLS " FROM users u WHERE " STORE_KEYSET_WHERE("u") " ORDER BY u.updated_at, u.id LIMIT ?";

int store_users_list(struct db *db, const struct page *pg, struct db_rows **rows, struct problem *p)
{
	return store_list(db, users_list_sql, pg, NULL, 0, rows, p);
}

struct user_write {
	int64_t id;
	const struct user_in *u;
	int end_sessions;
};

static int user_update_then(struct db *db, void *arg, struct problem *p)
{
	struct user_write *w = arg;

	if (w->u != NULL && user_schools_set(db, w->id, w->u, p) != 0)
		return -1;
	return w->end_sessions ? store_sessions_end_user(db, w->id, p) : 0;
}

static const char user_update_sql[] =
	"UPDATE users SET email = ?, display_name = ?, role = ?, disabled = ?, locked = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";

int store_user_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
		      const struct user_in *u, cJSON **after, struct problem *p)
{
	struct user_write w = { .id = id, .u = u, .end_sessions = u->disabled };
	struct db_param prm[7] = {
		DBP_STR(u->email), DBP_STR(u->display_name), DBP_STR(identity_role_name(u->role)),
		DBP_I64(u->disabled ? 1 : 0), DBP_I64(u->locked ? 1 : 0), DBP_I64(id), DBP_I64(want_version),
	};
	struct db_param kp = DBP_I64(id);
	char text[24];

	*after = NULL;
	if (store_user_validate(u, p) != 0)
		return -1;
	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &user_entity,
			.key = { &kp, 1, text }, .want_version = want_version, .action = "update",
			.sql = user_update_sql, .params = prm, .nparams = 7, .then = user_update_then, .arg = &w,
			.who = who }, after, p);
}

static const char user_password_sql[] =
	"UPDATE users SET password_hash = ?, locked = 0, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

int store_user_set_password(struct db *db, const struct audit_actor *who, int64_t id, const char *password_hash,
			    const char *action, cJSON **after, struct problem *p)
{
	struct user_write w = { .id = id, .end_sessions = 1 };
	struct db_param prm[3] = { DBP_STR(password_hash), DBP_I64(id), DBP_I64(0) };
	struct db_param kp = DBP_I64(id);
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &user_entity,
			.key = { &kp, 1, text }, .any_version = 1, .action = action, .sql = user_password_sql,
			.params = prm, .nparams = 3, .then = user_update_then, .arg = &w, .who = who }, after, p);
}

static const char user_lock_flag_sql[] =
	"UPDATE users SET locked = 1, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

static int user_not_locked(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	(void)db;
	(void)arg;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(before, "locked")))
		return problem_conflict(p, "the account is already locked");
	return 0;
}

int store_user_lock(struct db *db, const struct audit_actor *who, int64_t id, struct problem *p)
{
	struct user_write w = { .id = id, .end_sessions = 1 };
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(0) };
	struct db_param kp = DBP_I64(id);
	cJSON *after = NULL;
	char text[24];
	int rc;

	snprintf(text, sizeof(text), "%lld", (long long)id);
	rc = store_versioned_write(db, &(struct store_write){ .e = &user_entity, .key = { &kp, 1, text },
			.any_version = 1, .action = "lock", .sql = user_lock_flag_sql, .params = prm, .nparams = 2,
			.check = user_not_locked, .then = user_update_then, .arg = &w, .who = who }, &after, p);
	cJSON_Delete(after);
	if (rc != 0 && p->status == 409) {
		problem_reset(p);
		return 0;
	}
	return rc;
}

static const char user_find_sql[] =
	"SELECT id, role, disabled, locked, password_hash, display_name, email FROM users WHERE email = ?";

int store_user_find(struct db *db, const char *email, struct user_signin *u, struct problem *p)
{
	enum { C_ID, C_ROLE, C_DISABLED, C_LOCKED, C_HASH, C_NAME, C_EMAIL, C__N };
	static const char *const cols[C__N] = { "id", "role", "disabled", "locked", "password_hash", "display_name",
						"email" };
	struct db_param prm = DBP_STR(email);
	struct db_rows *rows = NULL;
	size_t ix[C__N];
	int rc = -1;

	if (db_query(db, user_find_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (db_columns(rows, cols, C__N, ix, p) != 0)
		goto out;
	rc = 0;
	if (rows->nrows != 1)
		goto out;
	memset(u, 0, sizeof(*u));
	u->id = db_cell_i64(rows, 0, ix[C_ID]);
	u->role = identity_role_parse(db_cell(rows, 0, ix[C_ROLE]));
	u->disabled = db_cell_i64(rows, 0, ix[C_DISABLED]) != 0;
	u->locked = db_cell_i64(rows, 0, ix[C_LOCKED]) != 0;
	snprintf(u->hash, sizeof(u->hash), "%s", db_cell(rows, 0, ix[C_HASH]));
	snprintf(u->name, sizeof(u->name), "%s (%s)", db_cell(rows, 0, ix[C_NAME]), db_cell(rows, 0, ix[C_EMAIL]));
	rc = 1;
out:
	db_rows_free(rows);
	return rc;
}

static const char user_lookup_sql[] = "SELECT id FROM users WHERE email = ? OR CAST(id AS CHAR) = ?";

int store_user_lookup(struct db *db, const char *email_or_id, int64_t *id, struct problem *p)
{
	struct db_param prm[2] = { DBP_STR(email_or_id), DBP_STR(email_or_id) };
	struct db_rows *rows = NULL;
	int rc;

	if (db_query(db, user_lookup_sql, prm, 2, &rows, p) != 0)
		return -1;
	rc = rows->nrows == 1;
	if (rc)
		*id = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return rc;
}
