/* store_tokens.c - see store_tokens.h */
#include "store_tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "identity.h"
#include "db.h"
#include "jsonv.h"
#include "utf8.h"

struct tokens_create_arg {
	const struct audit_actor *who;
	const struct token_new *t;
	char *out;
	int64_t *id;
};

static const char tokens_insert_sql[] =
	"INSERT INTO api_tokens (token_hash, role, label) VALUES (?, ?, ?)";
static const char tokens_school_sql[] =
	"INSERT INTO api_token_schools (token_id, school_id) "
	"SELECT ?, id FROM schools WHERE urn = ? AND kind = 'school'";
static const char tokens_get_sql[] =
	"SELECT t.id, t.role, t.label, "
	"(SELECT JSON_ARRAYAGG(s.urn) FROM api_token_schools ts JOIN schools s ON s.id = ts.school_id "
	" WHERE ts.token_id = t.id) AS schools_json, t.created_at, t.revoked_at "
	"FROM api_tokens t WHERE t.id = ?";
static const char tokens_list_sql[] =
	"SELECT t.id, t.role, t.label, "
	"(SELECT JSON_ARRAYAGG(s.urn) FROM api_token_schools ts JOIN schools s ON s.id = ts.school_id "
	" WHERE ts.token_id = t.id) AS schools_json, t.created_at, t.revoked_at "
	"FROM api_tokens t ORDER BY t.id";
static const char tokens_revoke_sql[] =
	"UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ? AND revoked_at IS NULL";

static cJSON *tokens_get(struct db *db, const char *sql, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	cJSON *out;

	if (db_query(db, sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		problem_not_found(p, "no token %lld", (long long)id);
		return NULL;
	}
	out = db_row_to_json(rows, 0);
	db_rows_free(rows);
	return out;
}

/* schools_json -> schools, [] for none. */
static void tokens_fix_schools(cJSON *o)
{
	cJSON *s = cJSON_DetachItemFromObjectCaseSensitive(o, "schools_json");

	if (!cJSON_IsArray(s)) {
		cJSON_Delete(s);
		s = cJSON_CreateArray();
	}
	cJSON_AddItemToObject(o, "schools", s);
}


static int tokens_validate(const struct token_new *t, struct problem *p)
{
	const char *why;

	if (t->role == 0)
		problem_field(p, "/role", "must be one of: finance_director, business_manager, "
			      "school_system, auditor, admin");
	else if (t->role == ROLE_BUSINESS_MANAGER && t->nurns == 0)
		problem_field(p, "/schools", "a business_manager token needs at least one school");
	else if (t->role == ROLE_SCHOOL_SYSTEM && t->nurns != 1)
		problem_field(p, "/schools", "a school_system token is for exactly one school");
	else if ((t->role & (ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM)) == 0 && t->nurns != 0)
		problem_field(p, "/schools", "a %s token covers the whole trust: give no schools",
			      identity_role_name(t->role));
	for (size_t i = 0; i < t->nurns; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->urns[i], t->urns[j]) == 0) {
				char field[32];

				snprintf(field, sizeof(field), "/schools/%zu", i);
				problem_field(p, field, "%s is listed twice", t->urns[i]);
			}
	if (t->label == NULL || t->label[0] == '\0' || utf8_chars(t->label) > 200)
		problem_field(p, "/label", "must be 1 to 200 characters saying whose token it is");
	else if ((why = jsonv_text(t->label, JV_LINE | JV_NO_FORMULA)) != NULL)
		problem_field(p, "/label", "%s", why);      /* the API's rule for the CLI and the seed too */
	return problem_validation_done(p);
}

int store_tokens_create_in_txn(struct db *db, const struct audit_actor *who, const struct token_new *t,
			 char out[BEARER_LEN + 1], int64_t *id, struct problem *p)
{
	uint8_t hash[BEARER_HASH_LEN];
	uint64_t tid = 0, n = 0;
	struct db_param prm[3];
	cJSON *after;
	char eid[24];
	int rc;

	if (tokens_validate(t, p) != 0)
		return -1;
	if (bearer_generate(out, BEARER_LEN + 1) != 0 || bearer_hash(out, strlen(out), hash) != 0)
		return problem_internal(p);
	prm[0] = DBP_BLOB(hash, sizeof(hash));
	prm[1] = DBP_STR(identity_role_name(t->role));
	prm[2] = DBP_STR(t->label);
	if (db_exec(db, tokens_insert_sql, prm, 3, NULL, &tid, p) != 0)
		return -1;
	for (size_t i = 0; i < t->nurns; i++) {
		struct db_param sp[2] = { DBP_I64(tid), DBP_STR(t->urns[i]) };
		char field[32];

		if (db_exec(db, tokens_school_sql, sp, 2, &n, NULL, p) != 0)
			return -1;
		if (n != 1) {
			snprintf(field, sizeof(field), "/schools/%zu", i);
			problem_field(p, field, "%s is not a school of the trust (or is listed twice)",
				      t->urns[i]);
		}
	}
	if (problem_validation_done(p) != 0)
		return -1;
	if ((after = tokens_get(db, tokens_get_sql, (int64_t)tid, p)) == NULL)
		return -1;
	tokens_fix_schools(after);
	snprintf(eid, sizeof(eid), "%llu", (unsigned long long)tid);
	rc = audit_write(db, who, "create", "token", eid, NULL, after, p);
	cJSON_Delete(after);
	*id = (int64_t)tid;
	return rc;
}

static int tokens_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct tokens_create_arg *a = arg;

	return store_tokens_create_in_txn(db, a->who, a->t, a->out, a->id, p);
}

int store_tokens_create(struct db *db, const struct audit_actor *who, const struct token_new *t,
		  char out[BEARER_LEN + 1], int64_t *id, struct problem *p)
{
	struct tokens_create_arg a = { who, t, out, id };
	int rc = db_txn(db, tokens_create_txn, &a, p);

	if (rc != 0)
		OPENSSL_cleanse(out, BEARER_LEN + 1);
	return rc;
}

struct tokens_revoke_arg {
	const struct audit_actor *who;
	int64_t id;
	unsigned roles;                          /* the roles whose tokens this caller may revoke */
};

static int tokens_revoke_txn(struct db *db, void *arg, struct problem *p)
{
	struct tokens_revoke_arg *a = arg;
	struct db_param prm = DBP_I64(a->id);
	cJSON *before, *after = NULL;
	uint64_t n = 0;
	char eid[24];
	unsigned role;
	int rc = -1;

	if ((before = tokens_get(db, tokens_get_sql, a->id, p)) == NULL)
		return -1;
	tokens_fix_schools(before);
	role = identity_role_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "role")));
	if ((role & a->roles) == 0) {
		problem_forbidden(p, "token %lld is a %s token: those are revoked on the server "
				  "(bursard token revoke %lld), not through the API", (long long)a->id,
				  identity_role_name(role), (long long)a->id);
		goto out;
	}
	if (db_exec(db, tokens_revoke_sql, &prm, 1, &n, NULL, p) != 0)
		goto out;
	if (n == 0) {
		problem_conflict(p, "token %lld is already revoked", (long long)a->id);
		goto out;
	}
	if ((after = tokens_get(db, tokens_get_sql, a->id, p)) == NULL)
		goto out;
	tokens_fix_schools(after);
	snprintf(eid, sizeof(eid), "%lld", (long long)a->id);
	rc = audit_write(db, a->who, "revoke", "token", eid, before, after, p);
out:
	cJSON_Delete(before);
	cJSON_Delete(after);
	return rc;
}

int store_tokens_revoke(struct db *db, const struct audit_actor *who, int64_t id, struct problem *p)
{
	return store_tokens_revoke_roles(db, who, id, ROLES_ALL, p);
}

int store_tokens_revoke_roles(struct db *db, const struct audit_actor *who, int64_t id, unsigned roles,
			      struct problem *p)
{
	struct tokens_revoke_arg a = { who, id, roles };

	return db_txn(db, tokens_revoke_txn, &a, p);
}

cJSON *store_tokens_list(struct db *db, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *arr;

	if (db_query(db, tokens_list_sql, NULL, 0, &rows, p) != 0)
		return NULL;
	if ((arr = cJSON_CreateArray()) == NULL) {
		db_rows_free(rows);
		problem_internal(p);
		return NULL;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		cJSON *o = db_row_to_json(rows, i);

		if (o == NULL) {
			cJSON_Delete(arr);
			db_rows_free(rows);
			problem_internal(p);
			return NULL;
		}
		tokens_fix_schools(o);
		cJSON_AddItemToArray(arr, o);
	}
	db_rows_free(rows);
	return arr;
}

static const char tokens_identify_sql[] =
	"SELECT t.id, t.role, t.label, t.token_hash, GROUP_CONCAT(s.school_id ORDER BY s.school_id) AS schools "
	"FROM api_tokens t LEFT JOIN api_token_schools s ON s.token_id = t.id "
	"WHERE t.token_hash = ? AND t.revoked_at IS NULL GROUP BY t.id";

int store_tokens_identify(struct db *db, const uint8_t hash[BEARER_HASH_LEN], struct identity *id,
			  struct problem *p)
{
	enum { C_ID, C_ROLE, C_LABEL, C_HASH, C_SCHOOLS, C__N };
	static const char *const cols[C__N] = { "id", "role", "label", "token_hash", "schools" };
	struct db_param prm = DBP_BLOB(hash, BEARER_HASH_LEN);
	struct db_rows *rows = NULL;
	size_t ix[C__N];
	int rc = -1;

	if (db_query(db, tokens_identify_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (db_columns(rows, cols, C__N, ix, p) != 0)
		goto out;
	rc = 1;
	if (rows->nrows != 1 || rows->lens[ix[C_HASH]] != BEARER_HASH_LEN ||
	    !bearer_hash_equal((const uint8_t *)db_cell(rows, 0, ix[C_HASH]), hash))
		goto out;
	memset(id, 0, sizeof(*id));
	id->token_id = db_cell_i64(rows, 0, ix[C_ID]);
	id->role = identity_role_parse(db_cell(rows, 0, ix[C_ROLE]));
	snprintf(id->name, sizeof(id->name), "token: %s", db_cell(rows, 0, ix[C_LABEL]));
	identity_schools_parse(id, db_cell(rows, 0, ix[C_SCHOOLS]));
	rc = 0;
out:
	db_rows_free(rows);
	return rc;
}
