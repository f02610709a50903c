/* store_sessions.c - see store_sessions.h */
#include "store_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char session_insert_sql[] =
	"INSERT INTO sessions (token_hash, user_id, csrf_token, client, expires_at) "
	"VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";

int store_session_create(struct db *db, int64_t user_id, const uint8_t hash[BEARER_HASH_LEN], const char *csrf,
			 const char *client, int lifetime_s, int64_t *id, struct problem *p)
{
	struct db_param prm[5] = {
		DBP_BLOB(hash, BEARER_HASH_LEN), DBP_I64(user_id), DBP_STR(csrf), DBP_STR(client), DBP_I64(lifetime_s),
	};
	uint64_t sid = 0;

	if (db_exec(db, session_insert_sql, prm, 5, NULL, &sid, p) != 0)
		return -1;
	*id = (int64_t)sid;
	return 0;
}

static const char session_identify_sql[] =
	"SELECT s.id, s.user_id, s.token_hash, s.csrf_token, u.role, u.display_name, u.email, "
	"(s.last_seen_at < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND) AS stale, "
	"(SELECT GROUP_CONCAT(us.school_id ORDER BY us.school_id) FROM user_schools us WHERE us.user_id = u.id) AS schools "
	"FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6) "
	"AND s.last_seen_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND AND u.disabled = 0 AND u.locked = 0";
static const char session_touch_sql[] = "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE id = ?";

int store_session_identify(struct db *db, const uint8_t hash[BEARER_HASH_LEN], int idle_s, struct identity *id,
			   struct problem *p)
{
	enum { C_ID, C_USER, C_HASH, C_CSRF, C_ROLE, C_NAME, C_EMAIL, C_STALE, C_SCHOOLS, C__N };
	static const char *const cols[C__N] = { "id", "user_id", "token_hash", "csrf_token", "role", "display_name",
						"email", "stale", "schools" };
	struct db_param prm[2] = { DBP_BLOB(hash, BEARER_HASH_LEN), DBP_I64(idle_s) };
	struct db_rows *rows = NULL;
	size_t ix[C__N];
	int rc = -1;

	if (db_query(db, session_identify_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (db_columns(rows, cols, C__N, ix, p) != 0)
		goto out;
	rc = 1;
	if (rows->nrows != 1 || rows->lens[ix[C_HASH]] != BEARER_HASH_LEN ||
	    !bearer_hash_equal((const uint8_t *)db_cell(rows, 0, ix[C_HASH]), hash))
		goto out;
	memset(id, 0, sizeof(*id));
	id->session_id = db_cell_i64(rows, 0, ix[C_ID]);
	id->user_id = db_cell_i64(rows, 0, ix[C_USER]);
	id->role = identity_role_parse(db_cell(rows, 0, ix[C_ROLE]));
	snprintf(id->name, sizeof(id->name), "%s (%s)", db_cell(rows, 0, ix[C_NAME]), db_cell(rows, 0, ix[C_EMAIL]));
	snprintf(id->csrf, sizeof(id->csrf), "%s", db_cell(rows, 0, ix[C_CSRF]));
	identity_schools_parse(id, db_cell(rows, 0, ix[C_SCHOOLS]));
	rc = 0;
	if (db_cell_i64(rows, 0, ix[C_STALE]) != 0) {
		struct db_param sp = DBP_I64(id->session_id);

		if (db_exec(db, session_touch_sql, &sp, 1, NULL, NULL, p) != 0)
			rc = -1;
	}
out:
	db_rows_free(rows);
	return rc;
}

static const char session_end_sql[] =
	"UPDATE sessions SET ended_at = UTC_TIMESTAMP(6) WHERE id = ? AND ended_at IS NULL";
static const char sessions_end_user_sql[] =
	"UPDATE sessions SET ended_at = UTC_TIMESTAMP(6) WHERE user_id = ? AND ended_at IS NULL";

int store_session_end(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_exec(db, session_end_sql, &prm, 1, NULL, NULL, p);
}

int store_sessions_end_user(struct db *db, int64_t user_id, struct problem *p)
{
	struct db_param prm = DBP_I64(user_id);

	return db_exec(db, sessions_end_user_sql, &prm, 1, NULL, NULL, p);
}

static const char signin_get_sql[] =
	"SELECT failures, TIMESTAMPDIFF(SECOND, last_failure_at, UTC_TIMESTAMP(6)) AS since_s "
	"FROM signin_failures WHERE k = ?";
static const char signin_add_sql[] =
	"INSERT INTO signin_failures (k, failures) VALUES (?, 1) "
	"ON DUPLICATE KEY UPDATE failures = failures + 1, last_failure_at = UTC_TIMESTAMP(6)";
static const char signin_clear_sql[] = "DELETE FROM signin_failures WHERE k = ?";

int store_signin_failures(struct db *db, const char *key, int64_t *failures, int64_t *since_s, struct problem *p)
{
	struct db_param prm = DBP_STR(key);
	struct db_rows *rows = NULL;

	*failures = *since_s = 0;
	if (db_query(db, signin_get_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 1) {
		*failures = db_get_i64(rows, 0, "failures");
		*since_s = db_get_i64(rows, 0, "since_s");
	}
	db_rows_free(rows);
	return 0;
}

int store_signin_failed(struct db *db, const char *key, int64_t *failures, struct problem *p)
{
	struct db_param prm = DBP_STR(key);
	int64_t since;

	if (db_exec(db, signin_add_sql, &prm, 1, NULL, NULL, p) != 0)
		return -1;
	return store_signin_failures(db, key, failures, &since, p);
}

int store_signin_clear(struct db *db, const char *key, struct problem *p)
{
	struct db_param prm = DBP_STR(key);

	return db_exec(db, signin_clear_sql, &prm, 1, NULL, NULL, p);
}
