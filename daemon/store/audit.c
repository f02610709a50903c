/* audit.c - see audit.h */
#include "audit.h"

#include "db.h"

static const char audit_sql[] =
	"INSERT INTO audit_log (token_id, user_id, role, actor, action, entity, entity_id, request_id, "
	"before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int audit_write_text(struct db *db, const struct audit_actor *who, const char *action, const char *entity,
		     const char *entity_id, const char *before, const char *after, struct problem *p)
{
	struct db_param prm[10] = {
		who->token_id > 0 ? DBP_I64(who->token_id) : DBP_NULL,
		who->user_id > 0 ? DBP_I64(who->user_id) : DBP_NULL,
		DBP_STR(who->role), DBP_STR(who->name != NULL ? who->name : "command line"),
		DBP_STR(action), DBP_STR(entity), DBP_STR(entity_id),
		DBP_STR(who->request_id), DBP_STR(before), DBP_STR(after),
	};

	return db_exec(db, audit_sql, prm, 10, NULL, NULL, p);
}

int audit_write(struct db *db, const struct audit_actor *who, const char *action,
		const char *entity, const char *entity_id, const cJSON *before, const cJSON *after,
		struct problem *p)
{
	char *b = before != NULL ? cJSON_PrintUnformatted(before) : NULL;
	char *a = after != NULL ? cJSON_PrintUnformatted(after) : NULL;
	int rc;

	if ((before != NULL && b == NULL) || (after != NULL && a == NULL)) {
		cJSON_free(b);
		cJSON_free(a);
		return problem_internal(p);
	}
	rc = audit_write_text(db, who, action, entity, entity_id, b, a, p);
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

static const char audit_list_sql[] =
	"SELECT a.id, a.at, a.token_id, a.user_id, a.role, a.actor, a.action, a.entity, a.entity_id, a.request_id, "
	"a.before_json AS before_json, a.after_json AS after_json FROM audit_log a "
	"WHERE (? IS NULL OR a.id < ?) AND (? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?) "
	"AND (? IS NULL OR a.action = ?) AND (? IS NULL OR a.token_id = ?) AND (? IS NULL OR a.user_id = ?) "
	"AND (? IS NULL OR a.at >= ?) AND (? IS NULL OR a.at < ?) ORDER BY a.id DESC LIMIT ?";

int audit_list(struct db *db, const struct audit_filter *f, struct db_rows **rows, struct problem *p)
{
	struct db_param prm[17];

	prm[0] = prm[1] = f->before_id > 0 ? DBP_I64(f->before_id) : DBP_NULL;
	prm[2] = prm[3] = DBP_STR(f->entity);
	prm[4] = prm[5] = DBP_STR(f->entity_id);
	prm[6] = prm[7] = DBP_STR(f->action);
	prm[8] = prm[9] = f->token_id > 0 ? DBP_I64(f->token_id) : DBP_NULL;
	prm[10] = prm[11] = f->user_id > 0 ? DBP_I64(f->user_id) : DBP_NULL;
	prm[12] = prm[13] = DBP_STR(f->since);
	prm[14] = prm[15] = DBP_STR(f->until);
	prm[16] = DBP_I64(f->limit + 1);
	return db_query(db, audit_list_sql, prm, 17, rows, p);
}
