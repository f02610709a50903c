/* api_forecasts_life.c - a saved run's life (DESIGN.md "Runs are named and
 * private until published"): PUT /api/v1/forecasts/{id} its label and notes,
 * POST .../{id}/transitions {"action": "publish" | "withdraw"}, DELETE a draft.
 * The finance director only; each needs If-Match (the run's ETag, or its plain
 * version: 428 without, 412 when stale, and nothing changes) and is one
 * transaction with its audit row naming the person or token
 * (store_forecasts_life.c). PUT and transitions reply with the run's head
 * (run_view_head), DELETE with 204. */
#include <string.h>

#include "api.h"
#include "jsonv.h"
#include "run_view.h"

enum { LF_LABEL, LF_NOTES, LF__N };

static const struct jv_field life_fields[LF__N] = {
	[LF_LABEL] = { "label", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, 100, NULL, NULL },
	[LF_NOTES] = { "notes", JV_STRING, JV_REQUIRED | JV_LINES, 0, 2000, NULL, NULL },
};

static const char *const life_actions[] = { "publish", "withdraw", NULL };

enum { LT_ACTION, LT__N };

static const struct jv_field life_transition_fields[LT__N] = {
	[LT_ACTION] = { "action", JV_STRING, JV_REQUIRED, 1, 10, life_actions, NULL },
};

struct life {
	struct req *r;
	int64_t id, want;
	const char *label, *notes;
	int publish;
	enum { LIFE_UPDATE, LIFE_MOVE, LIFE_DELETE } what;
};

static int life_txn(struct db *db, void *arg, struct problem *p)
{
	struct life *l = arg;
	struct audit_actor who = api_actor(l->r);
	cJSON *after = NULL;
	int rc;

	switch (l->what) {
	case LIFE_UPDATE:
		rc = store_forecast_update(db, &who, l->id, l->want, l->label, l->notes, &after, p);
		break;
	case LIFE_MOVE:
		rc = store_forecast_move(db, &who, l->id, l->want, l->publish, &after, p);
		break;
	default:
		rc = store_forecast_delete(db, &who, l->id, l->want, p);
		break;
	}
	cJSON_Delete(after);
	return rc;
}

/* The run's head as GET gives it, with the ETag "<version>-h<hash>". */
static int life_reply(struct req *r, int64_t id, struct problem *p)
{
	struct store_forecast_rows x;
	cJSON *head = NULL;
	int rc = -1;

	if (store_forecast_load(r->db, id, &x, p) == 0 && (head = run_view_head(r, &x, p)) != NULL)
		rc = api_reply_derived(r, 200, head, db_get_i64(x.run, 0, "version"), p);
	cJSON_Delete(head);
	store_forecast_rows_free(&x);
	return rc;
}

/* The path's run id and If-Match (428, 412). 0, or -1 with the problem set. */
static int life_begin(struct req *r, struct life *l, struct problem *p)
{
	l->r = r;
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "forecast run", &l->id, p) != 0 || api_if_match(r, &l->want, p) != 0)
		return -1;
	return 0;
}

int api_forecast_put(struct req *r, struct problem *p)
{
	struct life l = { .what = LIFE_UPDATE };
	struct jv_value v[LF__N];
	cJSON *in = NULL;
	int rc = -1;

	if (life_begin(r, &l, p) != 0 || (in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", life_fields, LF__N, v, p);
	if (problem_validation_done(p) != 0)
		goto out;
	l.label = v[LF_LABEL].s;
	l.notes = v[LF_NOTES].s;
	if (api_txn(r, life_txn, &l, p) == 0)
		rc = life_reply(r, l.id, p);
out:
	cJSON_Delete(in);
	return rc;
}

int api_forecast_transition(struct req *r, struct problem *p)
{
	struct life l = { .what = LIFE_MOVE };
	struct jv_value v[LT__N];
	cJSON *in = NULL;
	int rc = -1;

	if (life_begin(r, &l, p) != 0 || (in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", life_transition_fields, LT__N, v, p);
	if (problem_validation_done(p) != 0)
		goto out;
	l.publish = strcmp(v[LT_ACTION].s, "publish") == 0;
	if (api_txn(r, life_txn, &l, p) == 0)
		rc = life_reply(r, l.id, p);
out:
	cJSON_Delete(in);
	return rc;
}

int api_forecast_delete(struct req *r, struct problem *p)
{
	struct life l = { .what = LIFE_DELETE };

	if (life_begin(r, &l, p) != 0 || api_txn(r, life_txn, &l, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
