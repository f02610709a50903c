/* audit.c - see audit.h */
#include "audit.h"

#include "db.h"

static const char audit_sql[] =
	"INSERT INTO audit_log (token_id, role, action, entity, entity_id, request_id, "
	"before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int audit_write(struct db *db, const struct audit_actor *who, const char *action,
		const char *entity, const char *entity_id, const cJSON *before, const cJSON *after,
		struct problem *p)
{
	char *b = before != NULL ? cJSON_PrintUnformatted(before) : NULL;
	char *a = after != NULL ? cJSON_PrintUnformatted(after) : NULL;
	struct db_param prm[8] = {
		who->token_id > 0 ? DBP_I64(who->token_id) : DBP_NULL,
		DBP_STR(who->role), DBP_STR(action), DBP_STR(entity), DBP_STR(entity_id),
		DBP_STR(who->request_id), DBP_STR(b), DBP_STR(a),
	};
	int rc;

	if ((before != NULL && b == NULL) || (after != NULL && a == NULL)) {
		cJSON_free(b);
		cJSON_free(a);
		return problem_internal(p);
	}
	rc = db_exec(db, audit_sql, prm, 8, NULL, NULL, p);
	cJSON_free(b);
	cJSON_free(a);
	return rc;
}

static const char audit_last_sql[] = "SELECT COALESCE(MAX(id), 0) FROM audit_log";

int audit_last_id(struct db *db, uint64_t *id, struct problem *p)
{
	struct db_rows *rows = NULL;

	if (db_query(db, audit_last_sql, NULL, 0, &rows, p) != 0)
		return -1;
	*id = (uint64_t)db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return 0;
}
