/*
 * api_budgets_flow.c - the budget workflow (POST .../budgets/{year}/transitions) and
 * the trust's view of every entity's budget for a year (GET /api/v1/budgets/{year}).
 *
 *   draft --submit--> submitted --approve--> approved
 *     ^                  |                      |
 *     +------return------+                      |
 *     +------------------reopen-----------------+
 *
 * A business manager submits their own schools' drafts; the finance director does
 * everything (approve with the board minute reference, return and reopen with a
 * reason). Submit runs the core checks (budget.c) and the finance-rule plugin's:
 * errors block it (422 with every finding), warnings are stored with the budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_budgets.h"
#include "auth.h"
#include "budget_flow.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"

enum { TF_ACTION, TF_MINUTE, TF_REASON, TF__N };

static const struct jv_field flow_fields[TF__N] = {
	[TF_ACTION] = { "action", JV_STRING, JV_REQUIRED, 1, 16, budget_action_names, NULL },
	[TF_MINUTE] = { "minute_ref", JV_STRING, JV_LINE | JV_NOT_BLANK, 1, 100, NULL, NULL },
	[TF_REASON] = { "reason", JV_STRING, JV_LINE | JV_NOT_BLANK, 1, 500, NULL, NULL },
};

struct flow {
	struct req *r;
	struct api_budgets_ent *e;
	const struct budget_chart *chart;
	enum budget_action action;
	const char *minute, *reason;
	int64_t want, version;
	struct budget_findings *f;
	int blocked;                             /* submit refused: the findings say why */
	cJSON *after;
};

static const char flow_submit_sql[] =
	"UPDATE budgets SET status = 'submitted', findings_json = ?, submitted_at = UTC_TIMESTAMP(6), "
	"return_reason = NULL, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";
static const char flow_approve_sql[] =
	"UPDATE budgets SET status = 'approved', approved_at = UTC_TIMESTAMP(6), board_minute_ref = ?, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
static const char flow_return_sql[] =
	"UPDATE budgets SET status = 'draft', return_reason = ?, submitted_at = NULL, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
static const char flow_reopen_sql[] =
	"UPDATE budgets SET status = 'draft', reopen_reason = ?, submitted_at = NULL, approved_at = NULL, "
	"board_minute_ref = NULL, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

static const char flow_pupils_sql[] =
	"SELECT year, pupils, places FROM school_years WHERE school_id = ? AND year IN (?, ?)";

/* Who the budget belongs to, for the plugins: the year's census and the one before. */
static int flow_context(struct flow *fl, struct budget_context *ctx, struct problem *p)
{
	struct db_param prm[3] = { DBP_I64(fl->e->sid), DBP_I64(fl->e->year), DBP_I64(fl->e->year - 1) };
	struct db_rows *rows = NULL;

	*ctx = (struct budget_context){ .urn = fl->e->urn, .year = fl->e->year, .finance_model = fl->e->model };
	if (db_query(fl->r->db, flow_pupils_sql, prm, 3, &rows, p) != 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		if (db_cell_i64(rows, i, 0) == fl->e->year) {
			ctx->pupils = (int32_t)db_cell_i64(rows, i, 1);
			ctx->places = (int32_t)db_cell_i64(rows, i, 2);
		} else {
			ctx->funded_pupils = (int32_t)db_cell_i64(rows, i, 1);
		}
	}
	db_rows_free(rows);
	return 0;
}

/* Submit: the core checks, then the plugin's; errors block (422, nothing written). */
static int flow_check(struct flow *fl, int64_t bid, char **warnings, struct problem *p)
{
	struct req *r = fl->r;
	struct api_budgets_read x = { 0 };
	struct budget_context ctx;
	struct budget_rules rules;
	cJSON *w = NULL;
	int rc = -1;

	if (api_budgets_read_head(r, fl->e, bid, &x, p) != 0 ||
	    api_budgets_read_lines(r, fl->e, fl->chart, &x, p) != 0 || flow_context(fl, &ctx, p) != 0)
		goto out;
	if (budget_validate(&x.b, fl->f) != 0 ||
	    (api_budgets_rules(r, &rules) &&
	     budget_validate_rules(&rules, &ctx, &x.b, fl->f) != 0)) {
		log_err("budgets: validating %s failed", fl->e->eid);
		problem_internal(p);
		goto out;
	}
	if (fl->f->nerrors > 0) {
		for (size_t i = 0; i < fl->f->n; i++)
			if (fl->f->items[i].severity == BUDGET_ERROR)
				problem_field(p, fl->f->items[i].field, "%s", fl->f->items[i].message);
		problem_set(p, 422, "validation", "Validation failed",
			    "the budget for %s in %s has %zu error%s and %zu warning%s: it was not submitted",
			    fl->e->urn, fl->e->year_s, fl->f->nerrors, fl->f->nerrors == 1 ? "" : "s",
			    fl->f->nwarnings, fl->f->nwarnings == 1 ? "" : "s");
		fl->blocked = 1;
		goto out;
	}
	if ((w = budget_findings_json(fl->f, 0, BUDGET_WARNING)) == NULL ||
	    (*warnings = cJSON_PrintUnformatted(w)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(w);
	api_budgets_read_free(&x);
	return rc;
}

static int flow_txn(struct db *db, void *arg, struct problem *p)
{
	struct flow *fl = arg;
	struct req *r = fl->r;
	struct audit_actor who = api_actor(r);
	struct api_budgets_head h;
	struct db_param prm[3];
	const char *sql;
	char *warnings = NULL, why[160];
	enum budget_status from, to;
	cJSON *before = NULL, *after = NULL;
	uint64_t affected = 0;
	int64_t v;
	int rc = -1;

	(void)db;
	memset(fl->f, 0, sizeof(*fl->f));        /* db_txn may run this again after a deadlock */
	fl->blocked = 0;
	if (api_budgets_lock(r, fl->e, &h, p) != 0)
		return -1;
	if (!h.exists)
		return problem_not_found(p, "no budget for %s in %s", fl->e->urn, fl->e->year_s);
	if (h.version != fl->want)
		return api_budgets_stale(fl->e, &h, fl->want, p);
	if (budget_status_parse(h.status, &from) != 0) {
		log_err("budgets: %s has the status \"%s\"", fl->e->eid, h.status);
		return problem_internal(p);
	}
	switch (budget_flow_next(from, fl->action, fl->r->id.role, &to, why, sizeof(why))) {
	case BUDGET_FLOW_OK:
		break;
	case BUDGET_FLOW_FORBIDDEN:
		return problem_forbidden(p, "%s", why);
	case BUDGET_FLOW_WRONG_STATUS:
		return problem_conflict(p, "the budget for %s in %s %s", fl->e->urn, fl->e->year_s, why);
	}
	/* the header without lines for the audit row: a transition changes no line */
	if ((before = api_budgets_render(r, fl->e, fl->chart, h.id, 0, &v, p)) == NULL)
		return -1;
	if (fl->action == BUDGET_SUBMIT) {
		if (flow_check(fl, h.id, &warnings, p) != 0)
			goto out;
		sql = flow_submit_sql;
		prm[0] = DBP_STR(warnings);
	} else if (fl->action == BUDGET_APPROVE) {
		sql = flow_approve_sql;
		prm[0] = DBP_STR(fl->minute);
	} else {
		sql = fl->action == BUDGET_RETURN ? flow_return_sql : flow_reopen_sql;
		prm[0] = DBP_STR(fl->reason);
	}
	prm[1] = DBP_I64(h.id);
	prm[2] = DBP_I64(h.version);
	if (db_exec(r->db, sql, prm, 3, &affected, NULL, p) != 0)
		goto out;
	if (affected != 1) {
		api_budgets_stale(fl->e, &h, fl->want, p);
		goto out;
	}
	if ((after = api_budgets_render(r, fl->e, fl->chart, h.id, 0, &fl->version, p)) == NULL ||
	    audit_write(r->db, &who, budget_action_name(fl->action), "budget", fl->e->eid, before, after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_free(warnings);
	cJSON_Delete(before);
	cJSON_Delete(after);
	return rc;
}

/* 422 with the problem's errors and every finding (errors and warnings) beside them. */
static int flow_reply_blocked(struct req *r, const struct budget_findings *f, const struct problem *p)
{
	cJSON *o = problem_to_json(p, r->path), *all = budget_findings_json(f, 1, BUDGET_ERROR);
	char *s;

	if (o == NULL || all == NULL || !cJSON_AddItemToObject(o, "findings", all) ||
	    (s = cJSON_PrintUnformatted(o)) == NULL) {
		if (o == NULL || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "findings")))
			cJSON_Delete(all);
		cJSON_Delete(o);
		http_reply_problem(r, p);
		return 0;
	}
	http_reply_raw(r, 422, "application/problem+json", s, strlen(s), NULL);
	cJSON_free(s);
	cJSON_Delete(o);
	return 0;
}

int api_budget_transition(struct req *r, struct problem *p)
{
	struct api_budgets_ent e;
	struct budget_chart chart = { 0 };
	struct jv_value v[TF__N];
	struct flow fl = { .r = r, .e = &e, .chart = &chart };
	cJSON *in = NULL, *o = NULL;
	char etag[32], why[160];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budgets_entity(r, &e, p) != 0 ||
	    api_budgets_if_match(r, &fl.want, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	if (jsonv_object(in, "", flow_fields, TF__N, v, p) == 0 && budget_action_parse(v[TF_ACTION].s, &fl.action) == 0) {
		fl.minute = v[TF_MINUTE].present ? v[TF_MINUTE].s : NULL;
		fl.reason = v[TF_REASON].present ? v[TF_REASON].s : NULL;
		budget_flow_check_body(fl.action, fl.minute != NULL, fl.reason != NULL, p);
	}
	if (problem_validation_done(p) != 0)
		goto out;
	/* who may, before anything is read or locked (403 before 404 or 412) */
	if (budget_flow_permitted(fl.action, r->id.role, why, sizeof(why)) != BUDGET_FLOW_OK) {
		problem_forbidden(p, "%s", why);
		goto out;
	}
	if ((fl.f = calloc(1, sizeof(*fl.f))) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (api_budgets_chart(r, &chart, p) != 0)
		goto out;
	if (api_txn(r, flow_txn, &fl, p) != 0) {
		if (fl.blocked)
			rc = flow_reply_blocked(r, fl.f, p);
		goto out;
	}
	if ((o = api_budgets_render(r, &e, &chart, 0, 1, &fl.version, p)) == NULL)
		goto out;
	rc = http_reply_json(r, 200, o, http_etag_version(etag, sizeof(etag), fl.version));
out:
	free(fl.f);
	free(chart.accounts);
	cJSON_Delete(o);
	cJSON_Delete(in);
	return rc;
}

/* ---- the trust's view ---- */

static const char trust_entities_sql[] =
	"SELECT s.urn, s.name, s.kind, s.finance_model, COALESCE(b.status, 'none') AS status, "
	"b.version, b.submitted_at, b.approved_at, b.id AS _bid, s.phase AS _phase "
	"FROM schools s LEFT JOIN budgets b ON b.school_id = s.id AND b.year = ? "
	"ORDER BY s.kind = 'central', s.urn";
static const char trust_sums_sql[] =
	"SELECT l.budget_id, l.account_id, SUM(l.amount_pence) FROM budget_lines l "
	"JOIN budgets b ON b.id = l.budget_id WHERE b.year = ? "
	"GROUP BY l.budget_id, l.account_id ORDER BY l.budget_id, l.account_id";

struct trust_sum {
	int64_t income, expenditure, internal_income, internal_expenditure;
};

/* One entity's totals from its sums (one line per account). */
static cJSON *trust_entity(const struct db_rows *sums, size_t *k, int64_t bid, enum budget_entity ent,
			   const struct budget_chart *chart, struct trust_sum *ts)
{
	struct budget b;
	struct budget_totals t;
	cJSON *o = NULL;

	budget_init(&b, ent, chart);
	for (; *k < sums->nrows && db_cell_i64(sums, *k, 0) < bid; (*k)++)
		;
	for (; *k < sums->nrows && db_cell_i64(sums, *k, 0) == bid; (*k)++) {
		const struct budget_account *a = budget_chart_by_id(chart, db_cell_i64(sums, *k, 1));

		if (a != NULL && budget_add_line(&b, a->code, "", db_cell_i64(sums, *k, 2)) == NULL)
			goto out;
	}
	if (budget_totals(&b, &t) != 0 ||
	    money_add(ts->income, t.income, &ts->income) != 0 ||
	    money_add(ts->expenditure, t.expenditure, &ts->expenditure) != 0 ||
	    money_add(ts->internal_income, t.internal_income, &ts->internal_income) != 0 ||
	    money_add(ts->internal_expenditure, t.internal_expenditure, &ts->internal_expenditure) != 0)
		goto out;
	o = budget_totals_json(&t);
out:
	budget_clear(&b);
	return o;
}

/* {"income_pence", ...} of the trust: every entity, internal codes dropped. */
static cJSON *trust_total(const struct trust_sum *ts)
{
	int64_t inc, exp, bal, net;
	cJSON *o;

	if (money_sub(ts->income, ts->internal_income, &inc) != 0 ||
	    money_sub(ts->expenditure, ts->internal_expenditure, &exp) != 0 ||
	    money_sub(inc, exp, &bal) != 0 ||
	    money_sub(ts->internal_income, ts->internal_expenditure, &net) != 0 ||
	    (o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddNumberToObject(o, "income_pence", inc) == NULL ||
	    cJSON_AddNumberToObject(o, "expenditure_pence", exp) == NULL ||
	    cJSON_AddNumberToObject(o, "in_year_balance_pence", bal) == NULL ||
	    cJSON_AddNumberToObject(o, "internal_net_pence", net) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int api_budgets_trust(struct req *r, struct problem *p)
{
	const char *year_s = http_param(r, "year");
	struct budget_chart chart = { 0 };
	struct db_rows *ents = NULL, *sums = NULL;
	struct db_param prm;
	struct trust_sum ts = { 0 };
	cJSON *body = NULL, *items, *pending, *counts, *o, *t;
	static const char *const states[] = { "none", "draft", "submitted", "approved" };
	int64_t n[4] = { 0 };
	size_t k = 0;
	int year, rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if (acyear_parse(year_s, &year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", year_s);
	}
	prm = DBP_I64(year);
	if (api_budgets_chart(r, &chart, p) != 0 || db_query(r->db, trust_entities_sql, &prm, 1, &ents, p) != 0 ||
	    db_query(r->db, trust_sums_sql, &prm, 1, &sums, p) != 0)
		goto out;
	if ((body = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(body, "year", year_s) == NULL ||
	    (items = cJSON_AddArrayToObject(body, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < ents->nrows; i++) {
		const char *status = db_cell(ents, i, 4), *kind = db_cell(ents, i, 2), *phase = db_cell(ents, i, 9);
		enum budget_entity ent = strcmp(kind, "central") == 0 ? BUDGET_CENTRAL :
					 phase != NULL && strcmp(phase, "special") == 0 ? BUDGET_SPECIAL :
					 BUDGET_MAINSTREAM;

		for (size_t s = 0; s < 4; s++)
			n[s] += strcmp(status, states[s]) == 0;
		if ((o = db_row_to_json(ents, i)) == NULL || !cJSON_AddItemToArray(items, o))
			goto oom_o;
		t = db_cell(ents, i, 8) == NULL ? cJSON_CreateNull() :
		    trust_entity(sums, &k, db_cell_i64(ents, i, 8), ent, &chart, &ts);
		if (t == NULL || !cJSON_AddItemToObject(o, "totals", t)) {
			cJSON_Delete(t);
			goto oom;
		}
	}
	if ((t = trust_total(&ts)) == NULL || !cJSON_AddItemToObject(body, "trust", t) ||
	    (pending = cJSON_AddArrayToObject(body, "not_submitted")) == NULL ||
	    (counts = cJSON_AddObjectToObject(body, "status_counts")) == NULL)
		goto oom;
	for (size_t i = 0; i < ents->nrows; i++) {
		const char *status = db_cell(ents, i, 4);

		if ((strcmp(status, "none") == 0 || strcmp(status, "draft") == 0) &&
		    !cJSON_AddItemToArray(pending, cJSON_CreateString(db_cell(ents, i, 0))))
			goto oom;
	}
	for (size_t s = 0; s < 4; s++)
		if (cJSON_AddNumberToObject(counts, states[s], n[s]) == NULL)
			goto oom;
	rc = http_reply_json_hashed(r, body, p);
	goto out;
oom_o:
	cJSON_Delete(o);
oom:
	log_err("budgets: out of memory building the trust view");
	problem_internal(p);
out:
	cJSON_Delete(body);
	db_rows_free(ents);
	db_rows_free(sums);
	free(chart.accounts);
	return rc;
}
