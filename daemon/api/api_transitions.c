/*
 * api_transitions.c - a contract's workflow: draft -> awaiting_approval -> active
 * -> expired or terminated (and back from awaiting_approval to draft), through
 * POST /api/v1/contracts/{id}/transitions {"to", "reason", "board_minute",
 * "exception"}. DESIGN.md "Procurement rules":
 *
 * - Becoming active is the approval. It needs the approver level of the
 *   contract's band: a board approval is recorded by the finance director with
 *   the board minute reference.
 * - A contract that fails the procurement check cannot become active (422 with
 *   what is missing) unless the finance director records, with a reason, a
 *   waiver, or for a legacy contract (one that started before today) a breach
 *   acknowledgement; either stays on the contract and in the audit log.
 * - Any other move is 409. Every transition is audited.
 *
 * The rules are core/contract_flow.c's; this file reads the request and applies
 * the outcome (store_contract_move).
 */
#include <string.h>

#include "api.h"
#include "config.h"
#include "jsonv.h"
#include "store_contracts.h"

enum { TF_TO, TF_REASON, TF_MINUTE, TF_EXCEPTION, TF_TERMINATED_ON, TF__N };

static const struct jv_field transition_fields[TF__N] = {
	[TF_TO] = { "to", JV_STRING, JV_REQUIRED, 1, 20, contract_statuses, NULL },
	[TF_REASON] = { "reason", JV_STRING, JV_NULLABLE | JV_LINES, 0, 1000, NULL, NULL },
	[TF_MINUTE] = { "board_minute", JV_STRING, JV_NULLABLE, 1, 100, NULL, NULL },
	[TF_EXCEPTION] = { "exception", JV_STRING, JV_NULLABLE, 1, 24, contract_flow_exceptions, NULL },
	[TF_TERMINATED_ON] = { "terminated_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
};

struct transition {
	struct req *r;
	int64_t id;
	int64_t want_version;                    /* -1: no If-Match */
	struct contract_move m;
	cJSON *after;
};

static int transition_txn(struct db *db, void *arg, struct problem *p)
{
	struct transition *t = arg;
	struct audit_actor who = api_actor(t->r);
	struct store_contract_view v = { .rules = &t->r->cfg->procurement, .today = api_today(t->r),
					 .scope = &t->r->id };

	cJSON_Delete(t->after);
	t->after = NULL;
	return store_contract_move(db, &who, t->r->id.role, &v, t->id, t->want_version, &t->m, &t->after, p);
}

static const char *transition_str(const struct jv_value *v)
{
	return v->present && !v->is_null ? v->s : NULL;
}

int api_contract_transition(struct req *r, struct problem *p)
{
	struct transition t = { .r = r, .want_version = -1 };
	struct jv_value v[TF__N];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "contract", &t.id, p) != 0)
		return -1;
	/* If-Match is optional here: with it, a stale version is 412 */
	if (http_header(r, "If-Match") != NULL && api_if_match(r, &t.want_version, p) != 0)
		return -1;
	if ((in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", transition_fields, TF__N, v, p);
	t.m = (struct contract_move){ .to = transition_str(&v[TF_TO]), .reason = transition_str(&v[TF_REASON]),
				      .minute = transition_str(&v[TF_MINUTE]),
				      .exception = transition_str(&v[TF_EXCEPTION]),
				      .has_terminated_on = v[TF_TERMINATED_ON].present && !v[TF_TERMINATED_ON].is_null,
				      .terminated_on = (int32_t)v[TF_TERMINATED_ON].i };
	contract_flow_body(&t.m, p);
	if (problem_validation_done(p) != 0 || api_txn(r, transition_txn, &t, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, t.after, store_image_version(t.after), p);
out:
	cJSON_Delete(t.after);
	cJSON_Delete(in);
	return rc;
}
