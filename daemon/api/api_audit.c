/* api_audit.c - the audit trail, for the finance director and the auditor:
 * newest first, filtered, keyset-paged on id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"

static const char audit_list_sql[] =
	"SELECT a.id, a.at, a.token_id, a.role, a.action, a.entity, a.entity_id, a.request_id, "
	"a.before_json AS before_json, a.after_json AS after_json FROM audit_log a "
	"WHERE (? IS NULL OR a.id < ?) AND (? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?) "
	"AND (? IS NULL OR a.action = ?) AND (? IS NULL OR a.token_id = ?) "
	"AND (? IS NULL OR a.at >= ?) AND (? IS NULL OR a.at < ?) ORDER BY a.id DESC LIMIT ?";

/* before_json/after_json come out as "before"/"after". */
static cJSON *audit_row_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i);
	cJSON *b, *a;

	if (o == NULL)
		return NULL;
	b = cJSON_DetachItemFromObjectCaseSensitive(o, "before_json");
	a = cJSON_DetachItemFromObjectCaseSensitive(o, "after_json");
	if (!cJSON_AddItemToObject(o, "before", b ? b : cJSON_CreateNull()) ||
	    !cJSON_AddItemToObject(o, "after", a ? a : cJSON_CreateNull())) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int audit_time(const char *name, const char *v, char *out, size_t len, struct problem *p)
{
	int64_t us;
	char field[32];

	if (v == NULL)
		return 0;
	if (ts_parse_rfc3339(v, &us) != 0) {
		snprintf(field, sizeof(field), "query:%s", name);
		return problem_field(p, field, "must be an RFC 3339 time such as 2026-11-22T09:00:00Z");
	}
	ts_format_db(us, out, len);
	return 1;
}

int api_audit_list(struct req *r, struct problem *p)
{
	static const char *const allowed[] = { "limit", "after", "entity", "entity_id", "action",
					       "token_id", "since", "until", NULL };
	const char *after = http_query(r, "after"), *tok = http_query(r, "token_id");
	const char *lim = http_query(r, "limit");
	char since[PAGE_TS_LEN], until[PAGE_TS_LEN], cursor[32];
	int has_since, has_until, limit = PAGE_DEFAULT_LIMIT, rc;
	long long after_id = 0, token_id = 0;
	struct db_param prm[15];
	struct db_rows *rows = NULL;
	size_t shown;
	char *end;

	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (lim != NULL) {
		long v = strtol(lim, &end, 10);

		if (*lim < '0' || *lim > '9' || *end != '\0' || v < 1 || v > PAGE_MAX_LIMIT)
			problem_field(p, "query:limit", "must be an integer from 1 to %d", PAGE_MAX_LIMIT);
		else
			limit = (int)v;
	}
	if (after != NULL && ((after_id = strtoll(after, &end, 10)) <= 0 || *end != '\0'))
		problem_field(p, "query:after", "is not a cursor this server gave out");
	if (tok != NULL && ((token_id = strtoll(tok, &end, 10)) <= 0 || *end != '\0'))
		problem_field(p, "query:token_id", "must be a token id");
	has_since = audit_time("since", http_query(r, "since"), since, sizeof(since), p) > 0;
	has_until = audit_time("until", http_query(r, "until"), until, sizeof(until), p) > 0;
	if (problem_validation_done(p) != 0)
		return -1;
	prm[0] = prm[1] = after != NULL ? DBP_I64(after_id) : DBP_NULL;
	prm[2] = prm[3] = DBP_STR(http_query(r, "entity"));
	prm[4] = prm[5] = DBP_STR(http_query(r, "entity_id"));
	prm[6] = prm[7] = DBP_STR(http_query(r, "action"));
	prm[8] = prm[9] = tok != NULL ? DBP_I64(token_id) : DBP_NULL;
	prm[10] = prm[11] = has_since ? DBP_STR(since) : DBP_NULL;
	prm[12] = prm[13] = has_until ? DBP_STR(until) : DBP_NULL;
	prm[14] = DBP_I64(limit + 1);
	if (db_query(r->db, audit_list_sql, prm, 15, &rows, p) != 0)
		return -1;
	shown = rows->nrows > (size_t)limit ? (size_t)limit : rows->nrows;
	if (rows->nrows > (size_t)limit)
		snprintf(cursor, sizeof(cursor), "%lld", (long long)db_cell_i64(rows, shown - 1, 0));
	rc = api_reply_items(r, rows, shown, audit_row_json, rows->nrows > (size_t)limit ? cursor : NULL, p);
	db_rows_free(rows);
	return rc;
}
