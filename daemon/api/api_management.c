/* api_management.c - the management accounts of a month (ISSUE17_CONTRACT section 3; README
 * "Management accounts"): GET /api/v1/management-accounts?month=2026-11[&urn=159901]
 * [&threshold_pence=N][&threshold_bp=N] as JSON, CSV or XLSX (Accept; README "Spreadsheet
 * exports"). Trust roles for every entity and the trust; a business manager with urn of her
 * school (without urn: 403). Per entity (and the trust): income and expenditure by group against
 * the budget to date and the full-year outturn, the totals, the variances over the threshold
 * (config monitoring.variance_threshold_pence/_bp, the query overriding) with their comments,
 * reserves, KPIs, and per month the actual against the profile. The figures are
 * monitor_view.c's; the three formats carry the same ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "config.h"
#include "export.h"
#include "monitor_view.h"
#include "worker.h"

struct mgmt {
	struct req *r;
	struct monitor_view v;
	int64_t threshold_pence, threshold_bp;
	/* the entities shown: pointers into v (the trust last) */
	size_t n;
	const struct monitor_entity **e;
};

/* A month's income and expenditure of e's profile and actuals (through budget_totals). */
struct mgmt_month {
	int64_t income_profile, expenditure_profile, income_actual, expenditure_actual;
	int has_actual;                          /* a month up to the view's */
};

static int mgmt_months(const struct monitor_view *v, const struct monitor_entity *e, struct mgmt_month out[12])
{
	char (*codes)[BUDGET_CODE_MAX + 1] = calloc(e->n ? e->n : 1, sizeof(*codes));
	int64_t *vals = calloc(e->n ? e->n : 1, sizeof(*vals));
	struct budget_totals t;
	int rc = -1;

	if (codes == NULL || vals == NULL)
		goto out;
	for (size_t i = 0; i < e->n; i++)
		memcpy(codes[i], e->codes[i].account->code, sizeof(codes[i]));
	for (int m = 0; m < MONITORING_MONTHS; m++) {
		for (int k = 0; k < 2; k++) {
			for (size_t i = 0; i < e->n; i++)
				vals[i] = k == 0 ? e->codes[i].profile[m] : e->codes[i].actual[m];
			if (monitoring_totals(&v->ym.chart, e->kind, (const char (*)[BUDGET_CODE_MAX + 1])codes, vals, e->n,
					      &t) != 0)
				goto out;
			if (k == 0) {
				out[m].income_profile = t.income;
				out[m].expenditure_profile = t.expenditure;
			} else {
				out[m].income_actual = t.income;
				out[m].expenditure_actual = t.expenditure;
			}
		}
		out[m].has_actual = m < v->to;
	}
	rc = 0;
out:
	free(codes);
	free(vals);
	return rc;
}

static int mgmt_over(const struct mgmt *g, const struct monitor_code *c)
{
	return !c->account->is_internal &&
	       monitoring_over_threshold(c->m.variance_to_date, c->m.profile_to_date, g->threshold_pence, g->threshold_bp);
}

/* ---- JSON ---- */

static int mgmt_num(cJSON *o, const char *name, int64_t v)
{
	return cJSON_AddNumberToObject(o, name, (double)v) == NULL ? -1 : 0;
}

static int mgmt_add(cJSON *o, const char *name, cJSON *x)
{
	if (x == NULL || !cJSON_AddItemToObject(o, name, x)) {
		cJSON_Delete(x);
		return -1;
	}
	return 0;
}

/* The groups: budget_totals' of each column (same codes, so the same groups in the same order). */
static cJSON *mgmt_groups_json(const struct monitor_entity *e)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < e->t.budget.ngroups; i++) {
		const struct budget_group_total *gb = &e->t.budget.groups[i];
		cJSON *o = cJSON_CreateObject();

		if (o == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "kind", budget_kind_name(gb->kind)) == NULL ||
		    cJSON_AddStringToObject(o, "group", gb->group) == NULL ||
		    mgmt_num(o, "budget_pence", gb->pence) != 0 ||
		    mgmt_num(o, "profile_to_date_pence", e->t.profile_to_date.groups[i].pence) != 0 ||
		    mgmt_num(o, "actual_to_date_pence", e->t.actual_to_date.groups[i].pence) != 0 ||
		    mgmt_num(o, "variance_to_date_pence",
			     e->t.actual_to_date.groups[i].pence - e->t.profile_to_date.groups[i].pence) != 0 ||
		    mgmt_num(o, "outturn_pence", e->t.outturn.groups[i].pence) != 0 ||
		    mgmt_num(o, "full_year_variance_pence", e->t.outturn.groups[i].pence - gb->pence) != 0) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *mgmt_variances_json(const struct mgmt *g, const struct monitor_entity *e)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < e->n; i++) {
		const struct monitor_code *c = &e->codes[i];
		const cJSON *text = c->comment != NULL ? cJSON_GetObjectItemCaseSensitive(c->comment, "text") : NULL;
		cJSON *o;

		if (!mgmt_over(g, c))
			continue;
		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "account_code", c->account->code) == NULL ||
		    cJSON_AddStringToObject(o, "account_name", c->name) == NULL ||
		    cJSON_AddStringToObject(o, "kind", budget_kind_name(c->account->kind)) == NULL ||
		    mgmt_num(o, "profile_to_date_pence", c->m.profile_to_date) != 0 ||
		    mgmt_num(o, "actual_to_date_pence", c->m.actual_to_date) != 0 ||
		    mgmt_num(o, "variance_to_date_pence", c->m.variance_to_date) != 0 ||
		    cJSON_AddBoolToObject(o, "favourable", c->m.favourable) == NULL ||
		    mgmt_num(o, "outturn_pence", c->m.outturn) != 0 ||
		    mgmt_num(o, "full_year_variance_pence", c->m.full_year_variance) != 0 ||
		    cJSON_AddBoolToObject(o, "full_year_favourable", c->m.full_year_favourable) == NULL ||
		    (cJSON_IsString(text) ? cJSON_AddStringToObject(o, "comment", text->valuestring)
					  : cJSON_AddNullToObject(o, "comment")) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *mgmt_months_json(const struct monitor_view *v, const struct monitor_entity *e)
{
	struct mgmt_month mm[12];
	cJSON *a;

	if (mgmt_months(v, e, mm) != 0 || (a = cJSON_CreateArray()) == NULL)
		return NULL;
	for (int m = 0; m < MONITORING_MONTHS; m++) {
		cJSON *o = cJSON_CreateObject();
		char buf[8];

		acmonth_format(v->year, m + 1, buf, sizeof(buf));
		if (o == NULL || !cJSON_AddItemToArray(a, o) || cJSON_AddStringToObject(o, "month", buf) == NULL ||
		    mgmt_num(o, "income_profile_pence", mm[m].income_profile) != 0 ||
		    mgmt_num(o, "expenditure_profile_pence", mm[m].expenditure_profile) != 0 ||
		    (mm[m].has_actual ? mgmt_num(o, "income_actual_pence", mm[m].income_actual)
				      : (cJSON_AddNullToObject(o, "income_actual_pence") == NULL ? -1 : 0)) != 0 ||
		    (mm[m].has_actual ? mgmt_num(o, "expenditure_actual_pence", mm[m].expenditure_actual)
				      : (cJSON_AddNullToObject(o, "expenditure_actual_pence") == NULL ? -1 : 0)) != 0) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *mgmt_entity_json(const struct mgmt *g, const struct monitor_entity *e)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "urn", e->urn) == NULL ||
	    cJSON_AddStringToObject(o, "name", e->name) == NULL ||
	    mgmt_add(o, "groups", mgmt_groups_json(e)) != 0 ||
	    mgmt_add(o, "totals", monitor_view_totals_json(&e->t)) != 0 ||
	    mgmt_add(o, "variances", mgmt_variances_json(g, e)) != 0 ||
	    mgmt_add(o, "reserves", monitor_view_reserves_json(&e->r)) != 0 ||
	    mgmt_add(o, "kpis", monitor_view_kpis_json(&e->k)) != 0 ||
	    mgmt_add(o, "months", mgmt_months_json(&g->v, e)) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *mgmt_json(const struct mgmt *g, const struct monitor_entity *trust)
{
	cJSON *o = cJSON_CreateObject(), *th, *ents;

	if (o == NULL || monitor_view_head(o, &g->v) != 0 || (th = cJSON_AddObjectToObject(o, "threshold")) == NULL ||
	    mgmt_num(th, "pence", g->threshold_pence) != 0 || mgmt_num(th, "bp", g->threshold_bp) != 0 ||
	    (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto fail;
	for (size_t i = 0; i < g->n; i++)
		if (!cJSON_AddItemToArray(ents, mgmt_entity_json(g, g->e[i])))
			goto fail;
	if (mgmt_add(o, "trust", trust != NULL ? mgmt_entity_json(g, trust) : cJSON_CreateNull()) != 0)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* ---- CSV and XLSX: one sheet, a row per figure, the JSON's ---- */

enum { MC_ENTITY, MC_NAME, MC_SECTION, MC_ITEM, MC_KIND, MC_BUDGET, MC_PTD, MC_ATD, MC_VTD, MC_OUTTURN, MC_FYV,
       MC_PROFILE, MC_ACTUAL, MC_AMOUNT, MC_BP, MC_FAV, MC_COMMENT, MC__N };

static const struct table_col mgmt_cols[MC__N] = {
	[MC_ENTITY] = { "entity", TABLE_TEXT, 0, 9 },
	[MC_NAME] = { "name", TABLE_TEXT, 0, 30 },
	[MC_SECTION] = { "section", TABLE_TEXT, 0, 10 },
	[MC_ITEM] = { "item", TABLE_TEXT, 0, 24 },
	[MC_KIND] = { "kind", TABLE_TEXT, 0, 12 },
	[MC_BUDGET] = { "budget", TABLE_PENCE, 0, 0 },
	[MC_PTD] = { "profile_to_date", TABLE_PENCE, 0, 0 },
	[MC_ATD] = { "actual_to_date", TABLE_PENCE, 0, 0 },
	[MC_VTD] = { "variance_to_date", TABLE_PENCE, 0, 0 },
	[MC_OUTTURN] = { "outturn", TABLE_PENCE, 0, 0 },
	[MC_FYV] = { "full_year_variance", TABLE_PENCE, 0, 0 },
	[MC_PROFILE] = { "profile", TABLE_PENCE, 0, 0 },
	[MC_ACTUAL] = { "actual", TABLE_PENCE, 0, 0 },
	[MC_AMOUNT] = { "amount", TABLE_PENCE, 0, 0 },
	[MC_BP] = { "bp", TABLE_BP, 0, 0 },
	[MC_FAV] = { "favourable", TABLE_TEXT, 0, 10 },
	[MC_COMMENT] = { "comment", TABLE_TEXT, 0, 60 },
};

/* A row's first five cells; the rest written by the caller up to its last, then blanks. */
static void mgmt_row(struct table *t, const struct monitor_entity *e, const char *section, const char *item,
		     const char *kind, unsigned flags)
{
	table_row(t, flags);
	table_text(t, e->urn);
	table_text(t, e->name);
	table_text(t, section);
	table_text(t, item);
	table_text(t, kind);
}

static void mgmt_six(struct table *t, int64_t b, int64_t ptd, int64_t atd, int64_t out)
{
	table_num(t, b);
	table_num(t, ptd);
	table_num(t, atd);
	table_num(t, atd - ptd);
	table_num(t, out);
	table_num(t, out - b);
}

static void mgmt_blanks(struct table *t, int n)
{
	for (int i = 0; i < n; i++)
		table_blank(t);
}

static int mgmt_entity_rows(const struct mgmt *g, struct table *t, const struct monitor_entity *e)
{
	static const char *const totals[] = { "income", "expenditure", "balance", "staff" };
	const struct monitor_totals *x = &e->t;
	struct mgmt_month mm[12];

	for (size_t i = 0; i < x->budget.ngroups; i++) {
		mgmt_row(t, e, "group", x->budget.groups[i].group, budget_kind_name(x->budget.groups[i].kind), 0);
		mgmt_six(t, x->budget.groups[i].pence, x->profile_to_date.groups[i].pence,
			 x->actual_to_date.groups[i].pence, x->outturn.groups[i].pence);
	}
	for (int k = 0; k < 4; k++) {
		const struct budget_totals *c[4] = { &x->budget, &x->profile_to_date, &x->actual_to_date, &x->outturn };
		int64_t v[4];

		for (int j = 0; j < 4; j++)
			v[j] = k == 0 ? c[j]->income : k == 1 ? c[j]->expenditure : k == 2 ? c[j]->balance : c[j]->staff;
		mgmt_row(t, e, "total", totals[k], "", TABLE_ROW_BOLD);
		mgmt_six(t, v[0], v[1], v[2], v[3]);
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct monitor_code *c = &e->codes[i];
		const cJSON *text = c->comment != NULL ? cJSON_GetObjectItemCaseSensitive(c->comment, "text") : NULL;

		if (!mgmt_over(g, c))
			continue;
		mgmt_row(t, e, "variance", c->account->code, budget_kind_name(c->account->kind), 0);
		mgmt_six(t, c->budget, c->m.profile_to_date, c->m.actual_to_date, c->m.outturn);
		mgmt_blanks(t, 4);
		table_text(t, c->m.favourable ? "yes" : "no");
		table_text(t, cJSON_IsString(text) ? text->valuestring : NULL);
	}
	{
		const char *items[] = { "opening", "closing_budget", "closing_outturn" };
		const int64_t vals[] = { e->r.opening, e->r.closing_budget, e->r.closing_outturn };

		for (int k = 0; k < 3; k++) {
			mgmt_row(t, e, "reserves", items[k], "", 0);
			mgmt_blanks(t, 8);
			if (e->r.known)
				table_num(t, vals[k]);
		}
	}
	{
		const char *items[] = { "staff_pct", "reserves_pct", "in_year_balance_pct" };
		const int has[] = { e->k.has_staff, e->k.has_reserves, e->k.has_balance };
		const int64_t vals[] = { e->k.staff_bp, e->k.reserves_bp, e->k.balance_bp };

		for (int k = 0; k < 3; k++) {
			mgmt_row(t, e, "kpi", items[k], "", 0);
			mgmt_blanks(t, 9);
			if (has[k])
				table_num(t, vals[k]);
		}
	}
	if (mgmt_months(&g->v, e, mm) != 0)
		return -1;
	for (int m = 0; m < MONITORING_MONTHS; m++)
		for (int k = 0; k < 2; k++) {
			char buf[8];

			acmonth_format(g->v.year, m + 1, buf, sizeof(buf));
			mgmt_row(t, e, "month", buf, k == 0 ? "income" : "expenditure", 0);
			mgmt_blanks(t, 6);
			table_num(t, k == 0 ? mm[m].income_profile : mm[m].expenditure_profile);
			if (mm[m].has_actual)
				table_num(t, k == 0 ? mm[m].income_actual : mm[m].expenditure_actual);
		}
	return 0;
}

static int mgmt_sheet(struct mgmt *g, enum export_format fmt, const struct monitor_entity *trust,
		      struct problem *p)
{
	struct export e = { 0 };
	char stem[64], title[80], month[8];
	int rc = -1;

	acmonth_format(g->v.year, g->v.to, month, sizeof(month));
	snprintf(stem, sizeof(stem), "management-accounts-%s%s%s", month, g->n == 1 && trust == NULL ? "-" : "",
		 g->n == 1 && trust == NULL ? g->e[0]->urn : "");
	snprintf(title, sizeof(title), "Management accounts %s", month);
	if (export_begin(&e, fmt, 0, title, p) != 0)
		goto out;
	table_sheet(&e.t, "Management accounts", mgmt_cols, MC__N, 0);
	for (size_t i = 0; i < g->n; i++)
		if (mgmt_entity_rows(g, &e.t, g->e[i]) != 0) {
			problem_internal(p);
			goto out;
		}
	if (trust != NULL && mgmt_entity_rows(g, &e.t, trust) != 0) {
		problem_internal(p);
		goto out;
	}
	rc = export_reply(g->r, &e, stem, NULL, p);
out:
	export_end(&e);
	return rc;
}

/* ---- the request ---- */

/* A query parameter of digits, 0..max; absent leaves *v. */
static void mgmt_query_num(struct req *r, const char *name, int64_t max, int64_t *v, struct problem *p)
{
	const char *s = http_query(r, name);
	int64_t x = 0;

	if (s == NULL)
		return;
	for (const char *c = s; *c != '\0'; c++) {
		if (*c < '0' || *c > '9' || x > max / 10 || c - s > 18) {
			x = -1;
			break;
		}
		x = x * 10 + (*c - '0');
	}
	if (*s == '\0' || x < 0 || x > max)
		problem_field(p, strcmp(name, "threshold_bp") == 0 ? "query:threshold_bp" : "query:threshold_pence",
			      "must be a whole number from 0 to %lld", (long long)max);
	else
		*v = x;
}

int api_management_accounts(struct req *r, struct problem *p)
{
	struct mgmt *g = NULL;
	enum export_format fmt = export_format(r);
	const char *urn = http_query(r, "urn");
	const struct monitor_entity *trust = NULL;
	int year, to, rc = -1;
	uint32_t sid;
	cJSON *o = NULL;

	if (http_query_allow(r, (const char *const[]){ "month", "urn", "threshold_pence", "threshold_bp", NULL }, p) != 0)
		return -1;
	if (urn == NULL && r->id.role == ROLE_BUSINESS_MANAGER)
		return problem_forbidden(p, "a business manager asks for her school's management accounts: add ?urn=");
	if (urn != NULL && !api_urn_valid(urn)) {
		problem_field(p, "query:urn", "must be a URN (six digits) or central");
		return problem_validation_done(p);
	}
	if (urn != NULL && api_school_lookup(r, urn, &sid, p) != 0)
		return -1;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return problem_internal(p);
	g->r = r;
	g->threshold_pence = r->cfg->monitoring_threshold_pence;
	g->threshold_bp = r->cfg->monitoring_threshold_bp;
	mgmt_query_num(r, "threshold_pence", 100000000000LL, &g->threshold_pence, p);
	mgmt_query_num(r, "threshold_bp", 1000000, &g->threshold_bp, p);
	if (problem_validation_done(p) != 0 ||
	    monitor_view_month(r->db, api_today(r), http_query(r, "month"), &year, &to, p) != 0 ||
	    monitor_view_load(r->db, r->w->plugins, year, to, &g->v, p) != 0)
		goto out;
	if ((g->e = calloc(g->v.n + 1, sizeof(*g->e))) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (urn != NULL) {
		if ((g->e[0] = monitor_view_entity(&g->v, urn)) == NULL) {
			problem_not_found(p, "no entity %s", urn);
			goto out;
		}
		g->n = 1;
	} else {
		for (size_t i = 0; i < g->v.n; i++)
			g->e[g->n++] = &g->v.e[i];
		trust = &g->v.trust;
	}
	if (fmt != EXPORT_JSON) {
		rc = mgmt_sheet(g, fmt, trust, p);
		goto out;
	}
	if ((o = mgmt_json(g, trust)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = api_reply_derived(r, 200, o, 0, p);
out:
	cJSON_Delete(o);
	if (g != NULL) {
		monitor_view_free(&g->v);
		free(g->e);
	}
	free(g);
	return rc;
}
