/*
 * api_budgets_flow.c - the budget workflow (POST .../budgets/{year}/transitions) and
 * the trust's view of every entity's budget for a year (GET /api/v1/budgets/{year}).
 *
 * The workflow's rules (which transition from which status, who may make it, what
 * it carries) are core/budget_flow.c; the writes are store/store_budgets.c. Submit
 * runs the core checks (budget.c) and the finance-rule plugin's on the budget as it
 * stands: errors block it (422 with every finding), warnings are stored with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "budget.h"
#include "budget_flow.h"
#include "budget_plugin.h"
#include "budget_view.h"
#include "computed.h"
#include "config.h"
#include "date.h"
#include "export.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"
#include "staff_lines.h"
#include "store_budgets.h"
#include "worker.h"

enum { TF_ACTION, TF_MINUTE, TF_REASON, TF__N };

static const struct jv_field flow_fields[TF__N] = {
	[TF_ACTION] = { "action", JV_STRING, JV_REQUIRED, 1, 16, budget_action_names, NULL },
	[TF_MINUTE] = { "minute_ref", JV_STRING, JV_LINE | JV_NOT_BLANK, 1, 100, NULL, NULL },
	[TF_REASON] = { "reason", JV_STRING, JV_LINE | JV_NOT_BLANK, 1, 500, NULL, NULL },
};

struct flow {
	struct req *r;
	const struct store_budget_ref *e;
	const struct budget_chart *chart;
	enum budget_action action;
	const char *minute, *reason;
	int64_t want, version;
	struct budget_findings *f;
	const struct recharges *rc;              /* submit: the entity's recharges for the year */
	int blocked;                             /* submit refused: the findings say why */
};

/* Submit: the budget's computed lines worked out afresh from the year's budgets
 * (computed.c) and put after its typed lines, to be frozen; approve keeps those
 * submitted (a budget submitted before it had any gets them now). Submit then
 * runs the core checks and the entity's finance-rule plugin's with the other
 * schools' figures as context (budget_plugin.c); errors block (422, nothing
 * written), warnings are kept. */
static int flow_submit_check(struct budget *b, const struct budget_context *ctx, enum budget_action action, void *arg,
			     char **warnings, struct problem *p)
{
	struct flow *fl = arg;
	struct computed_year cy;
	struct budget_plugin_year py = { .ps = fl->r->w->plugins };
	struct budget_rules rules = { .validate = budget_plugin_validate_year, .arg = &py };
	const char *why;
	cJSON *w = NULL;
	int rc = -1;

	if (action == BUDGET_APPROVE && computed_typed(b) < b->nlines)
		return 0;                        /* approve keeps the lines submitted (a drift is a warning) */
	if (computed_year_load_for(fl->r->db, fl->r->w->plugins, fl->e->year, fl->e->urn, &cy, p) != 0)
		goto out;
	if (cy.failed) {
		problem_set(p, 422, "validation", "Validation failed", "the budget for %s in %s cannot be %s: its "
			    "computed lines (INT01-INT06) cannot be worked out: %s", fl->e->urn, fl->e->year_s,
			    action == BUDGET_SUBMIT ? "submitted" : "approved", cy.err);
		goto out;
	}
	why = staff_cost_failure(&cy.staff, fl->e->urn);
	if ((why != NULL && staff_lines_covers_any(&cy.staff, fl->e->urn)) ||
	    staff_lines_refuse(&cy.staff, fl->e->urn, b, NULL, p) > 0) {
		problem_set(p, 422, "validation", "Validation failed", "the budget for %s in %s cannot be %s: %s%s",
			    fl->e->urn, fl->e->year_s, action == BUDGET_SUBMIT ? "submitted" : "approved",
			    why != NULL ? "its staff lines cannot be worked out from the posts: " :
			    "it has typed lines on codes planned by post (delete them)", why != NULL ? why : "");
		goto out;
	}
	budget_strip_computed(b);
	if (computed_append(&cy, fl->e->urn, b) != 0) {
		problem_internal(p);
		goto out;
	}
	/* a generated staff line's months (its posts' monthly costing) are frozen with it
	 * (budget_lines.months_pence; budget_months.h) */
	for (size_t i = computed_typed(b); i < b->nlines; i++) {
		struct budget_line *l = &b->lines[i];

		l->has_months = (l->account == NULL || !l->account->is_internal) &&
				staff_lines_months(&cy.staff, fl->e->urn, l, l->months);
	}
	if (action != BUDGET_SUBMIT) {
		rc = 0;
		goto out;
	}
	py.in = &cy.in;
	if (budget_validate(b, fl->f) != 0 || budget_validate_rules(&rules, ctx, b, fl->f) != 0) {
		log_err("budgets: validating %s failed", fl->e->eid);
		problem_internal(p);
		goto out;
	}
	if (fl->rc != NULL)
		recharges_findings(fl->rc, b, fl->f);
	budget_findings_locate(fl->f, b);
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
	    (*warnings = cJSON_PrintUnformatted(w)) == NULL)
		problem_internal(p);
	else
		rc = 0;
out:
	cJSON_Delete(w);
	computed_year_free(&cy);
	return rc;
}

static int flow_txn(struct db *db, void *arg, struct problem *p)
{
	struct flow *fl = arg;
	struct audit_actor who = api_actor(fl->r);

	memset(fl->f, 0, sizeof(*fl->f));        /* db_txn may run this again after a deadlock */
	fl->blocked = 0;
	return store_budget_transition(db, &who, fl->e, fl->chart, fl->want, fl->action, fl->r->id.role,
				       fl->action == BUDGET_APPROVE ? fl->minute : fl->reason, flow_submit_check, fl,
				       &fl->version, p);
}

/* The problem's errors[] (the error findings, in order) each with the finding's
 * "row" and "line_id" (null when not about a line). 0, or -1 when out of memory. */
static int flow_errors_located(cJSON *o, const struct budget_findings *f)
{
	cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "errors"), 0);

	for (size_t i = 0; i < f->n && e != NULL; i++) {
		const struct budget_finding *x = &f->items[i];

		if (x->severity != BUDGET_ERROR)
			continue;
		if ((x->row > 0 ? cJSON_AddNumberToObject(e, "row", (double)x->row) : cJSON_AddNullToObject(e, "row")) ==
			    NULL ||
		    (x->line_id > 0 ? cJSON_AddNumberToObject(e, "line_id", (double)x->line_id) :
				      cJSON_AddNullToObject(e, "line_id")) == NULL)
			return -1;
		e = e->next;
	}
	return 0;
}

/* 422 with the problem's errors and every finding (errors and warnings) beside them. */
static int flow_reply_blocked(struct req *r, const struct budget_findings *f, const struct problem *p)
{
	cJSON *o = problem_to_json(p, r->path), *all = budget_findings_json(f, 1, BUDGET_ERROR);
	char *s;

	if (o == NULL || all == NULL || flow_errors_located(o, f) != 0 || !cJSON_AddItemToObject(o, "findings", all) ||
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
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct jv_value v[TF__N];
	struct flow fl = { .r = r, .e = &e, .chart = &chart };
	struct recharges rcs = { 0 };
	cJSON *in = NULL;
	char why[160];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0 ||
	    api_budget_if_match(r, &fl.want, p) != 0 || (in = http_read_json(r, p)) == NULL)
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
	if (store_budget_chart(r->db, &chart, p) != 0 ||
	    recharges_load(r->db, svcyear_rates_of(r->cfg), e.year, e.sid, &rcs, p) != 0)
		goto out;
	fl.rc = &rcs;
	if (api_txn(r, flow_txn, &fl, p) != 0) {
		if (fl.blocked)
			rc = flow_reply_blocked(r, fl.f, p);
		goto out;
	}
	rc = budget_view_reply(r, &e, &chart, 200, p);
out:
	recharges_free(&rcs);
	free(fl.f);
	free(chart.accounts);
	cJSON_Delete(in);
	return rc;
}

/* ---- the trust's view ---- */

struct trust_sum {
	int64_t income, expenditure, internal_income, internal_expenditure;
};

/* One entity's totals (*t) from its sums (one row per account: budget_id, account_id,
 * pence at ix[0..2]), from row *k on, with derive_urn's computed lines from cy when it
 * is a draft's (a submitted budget's are frozen rows), added to ts. 0, or -1 (overflow,
 * out of memory). */
static int trust_entity(const struct db_rows *sums, const size_t *ix, size_t *k, int64_t bid, enum budget_entity ent,
			const struct budget_chart *chart, const struct computed_year *cy, const char *derive_urn,
			struct trust_sum *ts, struct budget_totals *t)
{
	struct budget b;
	int rc = -1;

	budget_init(&b, ent, chart);
	for (; *k < sums->nrows && db_cell_i64(sums, *k, ix[0]) < bid; (*k)++)
		;
	for (; *k < sums->nrows && db_cell_i64(sums, *k, ix[0]) == bid; (*k)++) {
		const struct budget_account *a = budget_chart_by_id(chart, db_cell_i64(sums, *k, ix[1]));

		if (a != NULL && budget_add_line(&b, a->code, "", db_cell_i64(sums, *k, ix[2])) == NULL)
			goto out;
	}
	if ((derive_urn != NULL && computed_append(cy, derive_urn, &b) != 0) || budget_totals(&b, t) != 0 ||
	    money_add(ts->income, t->income, &ts->income) != 0 ||
	    money_add(ts->expenditure, t->expenditure, &ts->expenditure) != 0 ||
	    money_add(ts->internal_income, t->internal_income, &ts->internal_income) != 0 ||
	    money_add(ts->internal_expenditure, t->internal_expenditure, &ts->internal_expenditure) != 0)
		goto out;
	rc = 0;
out:
	budget_clear(&b);
	return rc;
}

/* The trust's figures: every entity, internal codes dropped. */
struct trust_total {
	int64_t income, expenditure, balance, internal_net;
};

static int trust_total(const struct trust_sum *ts, struct trust_total *tt)
{
	if (money_sub(ts->income, ts->internal_income, &tt->income) != 0 ||
	    money_sub(ts->expenditure, ts->internal_expenditure, &tt->expenditure) != 0 ||
	    money_sub(tt->income, tt->expenditure, &tt->balance) != 0 ||
	    money_sub(ts->internal_income, ts->internal_expenditure, &tt->internal_net) != 0)
		return -1;
	return 0;
}

static cJSON *trust_total_json(const struct trust_total *tt)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddNumberToObject(o, "income_pence", tt->income) == NULL ||
	    cJSON_AddNumberToObject(o, "expenditure_pence", tt->expenditure) == NULL ||
	    cJSON_AddNumberToObject(o, "in_year_balance_pence", tt->balance) == NULL ||
	    cJSON_AddNumberToObject(o, "internal_net_pence", tt->internal_net) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

enum { E_URN, E_NAME, E_KIND, E_MODEL, E_STATUS, E_VERSION, E_SUBMITTED, E_APPROVED, E_BID, E_PHASE, E__N };

/* What the trust's view is made of: the entities (ents, columns at ex), each one's
 * totals (tot[i]; has[i] 0 when it has no budget), the trust's. */
struct trust_view {
	const char *year_s;
	struct db_rows *ents;
	size_t ex[E__N];
	struct budget_totals *tot;
	unsigned char *has;
	struct trust_total tt;
};

static const char *const trust_states[] = { "none", "draft", "submitted", "approved" };

static int trust_json(struct req *r, const struct trust_view *v, struct problem *p)
{
	cJSON *body = NULL, *items, *pending, *counts, *o, *t;
	int64_t n[4] = { 0 };
	int rc = -1;

	if ((body = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(body, "year", v->year_s) == NULL ||
	    (items = cJSON_AddArrayToObject(body, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < v->ents->nrows; i++) {
		const char *status = db_cell(v->ents, i, v->ex[E_STATUS]);

		for (size_t s = 0; s < 4; s++)
			n[s] += strcmp(status, trust_states[s]) == 0;
		if ((o = db_row_to_json(v->ents, i)) == NULL)
			goto oom;
		if (!cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			goto oom;
		}
		t = v->has[i] ? budget_totals_json(&v->tot[i]) : cJSON_CreateNull();
		if (t == NULL || !cJSON_AddItemToObject(o, "totals", t)) {
			cJSON_Delete(t);
			goto oom;
		}
	}
	if ((t = trust_total_json(&v->tt)) == NULL)
		goto oom;
	if (!cJSON_AddItemToObject(body, "trust", t)) {
		cJSON_Delete(t);
		goto oom;
	}
	if ((pending = cJSON_AddArrayToObject(body, "not_submitted")) == NULL ||
	    (counts = cJSON_AddObjectToObject(body, "status_counts")) == NULL)
		goto oom;
	for (size_t i = 0; i < v->ents->nrows; i++) {
		const char *status = db_cell(v->ents, i, v->ex[E_STATUS]);

		if ((strcmp(status, "none") == 0 || strcmp(status, "draft") == 0) &&
		    !cJSON_AddItemToArray(pending, cJSON_CreateString(db_cell(v->ents, i, v->ex[E_URN]))))
			goto oom;
	}
	for (size_t s = 0; s < 4; s++)
		if (cJSON_AddNumberToObject(counts, trust_states[s], n[s]) == NULL)
			goto oom;
	rc = http_reply_json_hashed(r, body, p);
	goto out;
oom:
	log_err("budgets: out of memory building the trust view");
	problem_internal(p);
out:
	cJSON_Delete(body);
	return rc;
}

/* ---- the trust's view as a spreadsheet ---- */

enum { TC_URN, TC_NAME, TC_KIND, TC_MODEL, TC_STATUS, TC_VERSION, TC_SUBMITTED, TC_APPROVED, TC_INCOME, TC_EXPENDITURE,
       TC_BALANCE, TC_INT_INCOME, TC_INT_EXPENDITURE, TC_GAG, TC_STAFF, TC_STAFF_BP, TC_CONTINGENCY, TC__N };

static const struct table_col trust_cols[TC__N] = {
	[TC_URN] = { "urn", TABLE_TEXT, 0, 9 },
	[TC_NAME] = { "name", TABLE_TEXT, 0, 40 },
	[TC_KIND] = { "kind", TABLE_TEXT, 0, 10 },
	[TC_MODEL] = { "finance_model", TABLE_TEXT, 0, 0 },
	[TC_STATUS] = { "status", TABLE_TEXT, 0, 12 },
	[TC_VERSION] = { "version", TABLE_INT, 0, 0 },
	[TC_SUBMITTED] = { "submitted_on", TABLE_DATE, 0, 0 },
	[TC_APPROVED] = { "approved_on", TABLE_DATE, 0, 0 },
	[TC_INCOME] = { "income", TABLE_PENCE, 0, 0 },
	[TC_EXPENDITURE] = { "expenditure", TABLE_PENCE, 0, 0 },
	[TC_BALANCE] = { "in_year_balance", TABLE_PENCE, 0, 0 },
	[TC_INT_INCOME] = { "internal_income", TABLE_PENCE, 0, 0 },
	[TC_INT_EXPENDITURE] = { "internal_expenditure", TABLE_PENCE, 0, 0 },
	[TC_GAG] = { "gag", TABLE_PENCE, 0, 0 },
	[TC_STAFF] = { "staff_costs", TABLE_PENCE, 0, 0 },
	[TC_STAFF_BP] = { "staff_costs_bp", TABLE_BP, 0, 0 },
	[TC_CONTINGENCY] = { "contingency", TABLE_PENCE, 0, 0 },
};

/* A DATETIME cell's day ("2026-11-22 09:53:54" -> "2026-11-22"), or a blank. */
static void trust_day(struct table *t, const char *ts)
{
	char day[11];

	if (ts == NULL || strlen(ts) < 10) {
		table_blank(t);
		return;
	}
	memcpy(day, ts, 10);
	day[10] = '\0';
	table_text(t, day);
}

static void trust_rows(struct table *t, const struct trust_view *v)
{
	table_sheet(t, "Budgets", trust_cols, TC__N, 0);
	for (size_t i = 0; i < v->ents->nrows; i++) {
		const struct budget_totals *x = &v->tot[i];

		table_row(t, 0);
		table_text(t, db_cell(v->ents, i, v->ex[E_URN]));
		table_text(t, db_cell(v->ents, i, v->ex[E_NAME]));
		table_text(t, db_cell(v->ents, i, v->ex[E_KIND]));
		table_text(t, db_cell(v->ents, i, v->ex[E_MODEL]));
		table_text(t, db_cell(v->ents, i, v->ex[E_STATUS]));
		if (!v->has[i])
			continue;                        /* no budget: the rest blank */
		table_num(t, db_cell_i64(v->ents, i, v->ex[E_VERSION]));
		trust_day(t, db_cell(v->ents, i, v->ex[E_SUBMITTED]));
		trust_day(t, db_cell(v->ents, i, v->ex[E_APPROVED]));
		table_num(t, x->income);
		table_num(t, x->expenditure);
		table_num(t, x->balance);
		table_num(t, x->internal_income);
		table_num(t, x->internal_expenditure);
		table_num(t, x->gag);
		table_num(t, x->staff);
		if (x->has_staff_bp)
			table_num(t, x->staff_bp);
		else
			table_blank(t);
		table_num(t, x->contingency);
	}
	/* the trust: every entity, the internal codes (recharges between them) dropped */
	table_row(t, TABLE_ROW_BOLD);
	table_text(t, "trust");
	table_text(t, "The trust (internal codes dropped)");
	for (size_t c = TC_KIND; c < TC_INCOME; c++)
		table_blank(t);
	table_num(t, v->tt.income);
	table_num(t, v->tt.expenditure);
	table_num(t, v->tt.balance);
}

static int trust_sheet(struct req *r, enum export_format fmt, const struct trust_view *v, struct problem *p)
{
	struct export e;
	char stem[32], title[48];
	int rc = -1;

	snprintf(stem, sizeof(stem), "budgets-%s", v->year_s);
	snprintf(title, sizeof(title), "Budgets %s", v->year_s);
	if (export_begin(&e, fmt, 0, title, p) == 0) {
		trust_rows(&e.t, v);
		rc = export_reply(r, &e, stem, NULL, p);
	}
	export_end(&e);
	return rc;
}

int api_budgets_trust(struct req *r, struct problem *p)
{
	static const char *const enames[E__N] = { "urn", "name", "kind", "finance_model", "status", "version",
						  "submitted_at", "approved_at", "_bid", "_phase" };
	static const char *const snames[3] = { "budget_id", "account_id", "pence" };
	struct budget_chart chart = { 0 };
	struct db_rows *sums = NULL;
	struct trust_view v = { .year_s = http_param(r, "year") };
	struct trust_sum ts = { 0 };
	struct computed_year cy = { 0 };
	enum export_format fmt;
	size_t k = 0, sx[3];
	int year, rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if (acyear_parse(v.year_s, &year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", v.year_s);
	}
	fmt = export_format(r);
	if (store_budget_chart(r->db, &chart, p) != 0 || store_budgets_trust(r->db, year, &v.ents, &sums, p) != 0 ||
	    computed_year_load(r->db, r->w->plugins, year, &cy, p) != 0 ||
	    db_columns(v.ents, enames, E__N, v.ex, p) != 0 || db_columns(sums, snames, 3, sx, p) != 0)
		goto out;
	if (v.ents->nrows > 0 && ((v.tot = calloc(v.ents->nrows, sizeof(*v.tot))) == NULL ||
				  (v.has = calloc(v.ents->nrows, 1)) == NULL)) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < v.ents->nrows; i++) {
		enum budget_entity ent = budget_entity_of(db_cell(v.ents, i, v.ex[E_KIND]),
							  db_cell(v.ents, i, v.ex[E_PHASE]));

		if (db_cell(v.ents, i, v.ex[E_BID]) == NULL)
			continue;
		v.has[i] = 1;
		if (trust_entity(sums, sx, &k, db_cell_i64(v.ents, i, v.ex[E_BID]), ent, &chart, &cy,
				 strcmp(db_cell(v.ents, i, v.ex[E_STATUS]), "draft") == 0 ? db_cell(v.ents, i, v.ex[E_URN]) : NULL,
				 &ts, &v.tot[i]) != 0)
			goto bad;
	}
	if (trust_total(&ts, &v.tt) != 0)
		goto bad;
	rc = fmt == EXPORT_JSON ? trust_json(r, &v, p) : trust_sheet(r, fmt, &v, p);
	goto out;
bad:
	log_err("budgets: the trust's totals for %s overflow or ran out of memory", v.year_s);
	problem_internal(p);
out:
	free(v.tot);
	free(v.has);
	db_rows_free(v.ents);
	db_rows_free(sums);
	computed_year_free(&cy);
	free(chart.accounts);
	return rc;
}
