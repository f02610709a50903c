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
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_contracts.h"
#include "config.h"
#include "contract.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"

static const char *const transition_exceptions[] = { "waiver", "breach_acknowledgement", NULL };

/* The moves there are: from, to. */
static const struct {
	const char *from, *to;
} transition_moves[] = {
	{ "draft", "awaiting_approval" },
	{ "awaiting_approval", "draft" },
	{ "awaiting_approval", "active" },
	{ "active", "expired" },
	{ "active", "terminated" },
};

enum { TF_TO, TF_REASON, TF_MINUTE, TF_EXCEPTION, TF__N };

static const struct jv_field transition_fields[TF__N] = {
	[TF_TO] = { "to", JV_STRING, JV_REQUIRED, 1, 20, contract_statuses, NULL },
	[TF_REASON] = { "reason", JV_STRING, JV_NULLABLE, 0, 1000, NULL, NULL },
	[TF_MINUTE] = { "board_minute", JV_STRING, JV_NULLABLE, 1, 100, NULL, NULL },
	[TF_EXCEPTION] = { "exception", JV_STRING, JV_NULLABLE, 1, 24, transition_exceptions, NULL },
};

struct transition {
	struct req *r;
	int64_t id;
	int has_if_match;
	int64_t want_version;
	const char *to, *reason, *minute, *exception;   /* NULL when absent or null */
	cJSON *after;
	int64_t version;
};

static int transition_allowed(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof(transition_moves) / sizeof(transition_moves[0]); i++)
		if (strcmp(transition_moves[i].from, from) == 0 && strcmp(transition_moves[i].to, to) == 0)
			return 1;
	return 0;
}

static int transition_conflict(const char *ref, const char *from, const char *to, struct problem *p)
{
	char next[80] = "";
	size_t o = 0;

	for (size_t i = 0; i < sizeof(transition_moves) / sizeof(transition_moves[0]); i++)
		if (strcmp(transition_moves[i].from, from) == 0)
			o += (size_t)snprintf(next + o, sizeof(next) - o, "%s%s", o ? ", " : "", transition_moves[i].to);
	return problem_conflict(p, "contract %s is %s: it cannot become %s (from %s it can go to: %s)", ref, from, to,
				from, o ? next : "nothing, it is closed");
}

/*
 * The checks of becoming active, on the locked contract: the procurement check
 * (or a waiver / breach acknowledgement with its reason) and the approver level.
 * Sets *level to the level the approval is recorded at.
 */
static int transition_approve(struct transition *t, const struct contract_row *c, const struct procure_result *chk,
			      const char **level, struct problem *p)
{
	int32_t today = api_today(t->r);
	char v[40], d[16];

	if (t->exception != NULL) {
		if (t->reason == NULL || t->reason[0] == '\0')
			problem_field(p, "/reason", "a %s needs its reason",
				      strcmp(t->exception, "waiver") == 0 ? "waiver" : "breach acknowledgement");
		if (chk->compliant)
			problem_field(p, "/exception", "the contract meets the procurement rules: there is nothing to "
				      "waive");
		if (strcmp(t->exception, "breach_acknowledgement") == 0 && c->pc.t.start >= today) {
			date_format(c->pc.t.start, d, sizeof(d));
			problem_field(p, "/exception", "a breach acknowledgement is for a legacy contract, one already "
				      "running (this one starts %s): record a waiver instead", d);
		}
	} else if (!chk->compliant) {
		for (size_t i = 0; i < chk->nmissing; i++)
			problem_field(p, "/to", "%s: %s", chk->missing[i].code, chk->missing[i].message);
		problem_set(p, 422, "validation", "Validation failed",
			    "contract %s does not meet the procurement rules (%zu missing): record what is missing, or "
			    "approve it with an exception (\"waiver\", or \"breach_acknowledgement\" for a legacy "
			    "contract) and a reason", c->pc.reference, chk->nmissing);
	}
	if (strcmp(chk->approver, "board") == 0 && t->minute == NULL) {
		money_format_human(chk->value.pence, v, sizeof(v));
		problem_field(p, "/board_minute", "the board approves contracts of this value (%s): give the minute "
			      "reference of its approval", v);
	}
	*level = t->minute != NULL ? "board" : "finance_director";
	return problem_validation_done(p);
}

static const char transition_sql[] =
	"UPDATE contracts SET status = ?, status_reason = ?, status_changed_at = UTC_TIMESTAMP(6), "
	"approved_level = IF(? IS NULL, approved_level, ?), board_minute = IF(? IS NULL, board_minute, ?), "
	"approved_at = IF(? IS NULL, approved_at, UTC_TIMESTAMP(6)), approved_by = IF(? IS NULL, approved_by, ?), "
	"exception_kind = IF(? IS NULL, exception_kind, ?), exception_reason = IF(? IS NULL, exception_reason, ?), "
	"exception_at = IF(? IS NULL, exception_at, UTC_TIMESTAMP(6)), "
	"exception_by = IF(? IS NULL, exception_by, ?), "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";

static int transition_txn(struct db *db, void *arg, struct problem *p)
{
	struct transition *t = arg;
	struct audit_actor who = api_actor(t->r);
	struct api_contracts_peers ps = { 0 };
	struct db_rows *rows = NULL;
	struct contract_row c = { 0 };
	struct procure_result chk;
	const char *level = NULL;
	struct db_param prm[20];
	cJSON *before = NULL;
	uint64_t affected = 0;
	int64_t v;
	char eid[24];
	size_t n = 0;
	int rc = -1;

	cJSON_Delete(t->after);
	t->after = NULL;
	if (api_contracts_load(t->r, t->id, 1, &rows, p) != 0)
		goto out;
	if (contract_from_row(rows, 0, &c) != 0) {
		problem_internal(p);
		goto out;
	}
	if (t->has_if_match && c.version != t->want_version) {
		problem_stale(p, c.version, t->want_version, "contract %lld", (long long)t->id);
		goto out;
	}
	if (!transition_allowed(c.status, t->to)) {
		transition_conflict(c.pc.reference, c.status, t->to, p);
		goto out;
	}
	if (strcmp(t->to, "terminated") == 0 && (t->reason == NULL || t->reason[0] == '\0')) {
		problem_field(p, "/reason", "is required to terminate a contract");
		problem_validation_done(p);
		goto out;
	}
	if (strcmp(t->to, "active") == 0) {
		if (api_contracts_peers_load(t->r, &ps, p) != 0)
			goto out;
		if (procure_check(&t->r->cfg->procurement, &c.pc, ps.peers, ps.n, &chk) != 0) {
			problem_internal(p);
			goto out;
		}
		if (transition_approve(t, &c, &chk, &level, p) != 0)
			goto out;
	}
	if ((before = api_contracts_fetch(t->r, t->id, &v, NULL, p)) == NULL)
		goto out;
	prm[n++] = DBP_STR(t->to);
	prm[n++] = DBP_STR(t->reason != NULL ? t->reason : "");
	prm[n++] = DBP_STR(level);
	prm[n++] = DBP_STR(level);
	prm[n++] = DBP_STR(level != NULL ? t->minute : NULL);
	prm[n++] = DBP_STR(level != NULL ? t->minute : NULL);
	prm[n++] = DBP_STR(level);
	prm[n++] = level != NULL ? DBP_I64(t->r->id.token_id) : DBP_NULL;
	prm[n++] = level != NULL ? DBP_I64(t->r->id.token_id) : DBP_NULL;
	prm[n++] = DBP_STR(t->exception);
	prm[n++] = DBP_STR(t->exception);
	prm[n++] = DBP_STR(t->exception);
	prm[n++] = DBP_STR(t->exception != NULL ? t->reason : NULL);
	prm[n++] = DBP_STR(t->exception);
	prm[n++] = t->exception != NULL ? DBP_I64(t->r->id.token_id) : DBP_NULL;
	prm[n++] = t->exception != NULL ? DBP_I64(t->r->id.token_id) : DBP_NULL;
	prm[n++] = DBP_I64(t->id);
	prm[n++] = DBP_I64(c.version);
	if (db_exec(db, transition_sql, prm, n, &affected, NULL, p) != 0)
		goto out;
	if (affected != 1) {
		problem_changed(p, "moved", "contract %lld", (long long)t->id);
		goto out;
	}
	if ((t->after = api_contracts_fetch(t->r, t->id, &t->version, NULL, p)) == NULL)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)t->id);
	rc = audit_write(db, &who, "transition", "contract", eid, before, t->after, p);
out:
	cJSON_Delete(before);
	api_contracts_peers_free(&ps);
	contract_row_free(&c);
	db_rows_free(rows);
	return rc;
}

static const char *transition_str(const struct jv_value *v)
{
	return v->present && !v->is_null ? v->s : NULL;
}

int api_contract_transition(struct req *r, struct problem *p)
{
	struct transition t = { .r = r };
	struct jv_value v[TF__N];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "contract", &t.id, p) != 0)
		return -1;
	/* If-Match is optional here: with it, a stale version is 412 */
	t.has_if_match = http_header(r, "If-Match") != NULL;
	if (t.has_if_match && api_if_match(r, &t.want_version, p) != 0)
		return -1;
	if ((in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", transition_fields, TF__N, v, p);
	t.to = transition_str(&v[TF_TO]);
	t.reason = transition_str(&v[TF_REASON]);
	t.minute = transition_str(&v[TF_MINUTE]);
	t.exception = transition_str(&v[TF_EXCEPTION]);
	if (t.to != NULL && strcmp(t.to, "active") != 0) {
		if (t.minute != NULL)
			problem_field(p, "/board_minute", "is recorded only with an approval (to \"active\")");
		if (t.exception != NULL)
			problem_field(p, "/exception", "is recorded only with an approval (to \"active\")");
	}
	if (problem_validation_done(p) != 0 || api_txn(r, transition_txn, &t, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, t.after, t.version, p);
out:
	cJSON_Delete(t.after);
	cJSON_Delete(in);
	return rc;
}
