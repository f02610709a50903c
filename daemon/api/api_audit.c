/* api_audit.c - the audit trail, for the finance director and the auditor:
 * newest first, filtered, keyset-paged on id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"

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
					       "token_id", "user_id", "since", "until", NULL };
	const char *after = http_query(r, "after"), *tok = http_query(r, "token_id"), *usr = http_query(r, "user_id");
	const char *lim = http_query(r, "limit");
	char since[PAGE_TS_LEN], until[PAGE_TS_LEN], cursor[32];
	int has_since, has_until, limit = PAGE_DEFAULT_LIMIT, rc;
	long long after_id = 0, token_id = 0, user_id = 0;
	struct audit_filter f;
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
	if (usr != NULL && ((user_id = strtoll(usr, &end, 10)) <= 0 || *end != '\0'))
		problem_field(p, "query:user_id", "must be a user id");
	has_since = audit_time("since", http_query(r, "since"), since, sizeof(since), p) > 0;
	has_until = audit_time("until", http_query(r, "until"), until, sizeof(until), p) > 0;
	if (problem_validation_done(p) != 0)
		return -1;
	f = (struct audit_filter){
		.before_id = after != NULL ? after_id : 0, .entity = http_query(r, "entity"),
		.entity_id = http_query(r, "entity_id"), .action = http_query(r, "action"),
		.token_id = tok != NULL ? token_id : 0, .user_id = usr != NULL ? user_id : 0, .since = has_since ? since : NULL,
		.until = has_until ? until : NULL, .limit = limit,
	};
	if (audit_list(r->db, &f, &rows, p) != 0)
		return -1;
	shown = rows->nrows > (size_t)limit ? (size_t)limit : rows->nrows;
	if (rows->nrows > (size_t)limit)
		snprintf(cursor, sizeof(cursor), "%lld", (long long)db_get_i64(rows, shown - 1, "id"));
	rc = api_reply_items(r, rows, shown, audit_row_json, rows->nrows > (size_t)limit ? cursor : NULL, p);
	db_rows_free(rows);
	return rc;
}
