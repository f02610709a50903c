/* api_monitoring_notes.c - what people add to the monitoring (ISSUE17_CONTRACT section 3):
 * an outturn entered for an entity's code and year with its note
 * (PUT/DELETE /api/v1/schools/{urn}/outturns/{year}/{code}) and the commentary on a variance
 * of a code in a month (PUT/DELETE /api/v1/schools/{urn}/comments/{month}/{code}). A business
 * manager her schools, the finance director any entity. A PUT without If-Match creates (201; 428
 * when there is one), with it updates (412 when stale); a DELETE needs If-Match. Audited
 * (store_monitoring.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "store_budgets.h"
#include "store_monitoring.h"

enum { OF_AMOUNT, OF_NOTE, OF__N };
static const struct jv_field outturn_fields[OF__N] = {
	[OF_AMOUNT] = { "amount_pence", JV_INT, JV_REQUIRED, -MONEY_LINE_MAX, MONEY_LINE_MAX, NULL, NULL },
	[OF_NOTE] = { "note", JV_STRING, JV_REQUIRED | JV_LINES | JV_NOT_BLANK, 1, 1000, NULL, NULL },
};
enum { CF_TEXT, CF__N };
static const struct jv_field comment_fields[CF__N] = {
	[CF_TEXT] = { "text", JV_STRING, JV_REQUIRED | JV_LINES | JV_NOT_BLANK, 1, 2000, NULL, NULL },
};

struct note_write {
	struct req *r;
	int is_comment;
	struct store_monitoring_key k;
	char eid[48];
	int has_if_match;
	int64_t want_version;
	int64_t amount;
	const char *text;
	cJSON *after;
	int created;
};

/* The path: {urn} (scope), {year} (an outturn) or {month} (a comment), {code} (a known account
 * that is not internal: the finance rules post those). */
static int note_path(struct req *r, struct note_write *w, struct problem *p)
{
	const char *urn = http_param(r, "urn"), *code = http_param(r, "code");
	struct budget_chart chart = { 0 };
	const struct budget_account *a;
	int rc = -1;

	if (api_school_lookup(r, urn, &w->k.school_id, p) != 0)
		return -1;
	if (w->is_comment) {
		if (acmonth_parse(http_param(r, "month"), &w->k.year, &w->k.month) != 0) {
			problem_field(p, "path:month", "must be a month written like 2026-11");
			return problem_bad_request(p, "%s is not a month", http_param(r, "month"));
		}
	} else if (acyear_parse(http_param(r, "year"), &w->k.year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", http_param(r, "year"));
	}
	if (store_budget_chart(r->db, &chart, p) != 0)
		return -1;
	a = budget_chart_find(&chart, code);
	if (a == NULL)
		problem_not_found(p, "no account with code %s (see GET /api/v1/accounts)", code);
	else if (a->is_internal) {
		problem_field(p, "path:code", "is an internal code the finance rules post: it has no outturn or "
			      "commentary of its own");
		problem_validation_done(p);
	} else {
		w->k.account_id = a->id;
		snprintf(w->eid, sizeof(w->eid), "%s/%s/%s", urn,
			 w->is_comment ? http_param(r, "month") : http_param(r, "year"), a->code);
		w->k.eid = w->eid;
		rc = 0;
	}
	free(chart.accounts);
	return rc;
}

static int note_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct note_write *w = arg;
	struct audit_actor who = api_actor(w->r);

	cJSON_Delete(w->after);
	w->after = NULL;
	if (w->is_comment)
		return store_comment_put(db, &who, &w->k, w->has_if_match, w->want_version, w->text, &w->after,
					 &w->created, p);
	return store_outturn_put(db, &who, &w->k, w->has_if_match, w->want_version, w->amount, w->text,
				 &w->after, &w->created, p);
}

static int note_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct note_write *w = arg;
	struct audit_actor who = api_actor(w->r);

	if (w->is_comment)
		return store_comment_delete(db, &who, &w->k, w->want_version, p);
	return store_outturn_delete(db, &who, &w->k, w->want_version, p);
}

static int note_put(struct req *r, int is_comment, struct problem *p)
{
	struct note_write w = { .r = r, .is_comment = is_comment };
	struct jv_value v[OF__N];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || note_path(r, &w, p) != 0)
		goto out;
	w.has_if_match = http_header(r, "If-Match") != NULL;
	if (w.has_if_match && http_if_match(r, &w.want_version, p) != 0)
		goto out;
	if ((in = http_read_json(r, p)) == NULL)
		goto out;
	if (is_comment) {
		jsonv_object(in, "", comment_fields, CF__N, v, p);
		w.text = v[CF_TEXT].s;
	} else {
		jsonv_object(in, "", outturn_fields, OF__N, v, p);
		w.amount = v[OF_AMOUNT].i;
		w.text = v[OF_NOTE].s;
	}
	if (problem_validation_done(p) != 0 || api_txn(r, note_put_txn, &w, p) != 0)
		goto out;
	rc = api_reply_versioned(r, w.created ? 201 : 200, w.after, NULL);
out:
	cJSON_Delete(w.after);
	cJSON_Delete(in);
	return rc;
}

static int note_delete(struct req *r, int is_comment, struct problem *p)
{
	struct note_write w = { .r = r, .is_comment = is_comment };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || note_path(r, &w, p) != 0 ||
	    http_if_match(r, &w.want_version, p) != 0 || api_txn(r, note_delete_txn, &w, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}

int api_outturn_put(struct req *r, struct problem *p)
{
	return note_put(r, 0, p);
}

int api_outturn_delete(struct req *r, struct problem *p)
{
	return note_delete(r, 0, p);
}

int api_comment_put(struct req *r, struct problem *p)
{
	return note_put(r, 1, p);
}

int api_comment_delete(struct req *r, struct problem *p)
{
	return note_delete(r, 1, p);
}
