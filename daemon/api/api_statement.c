/* api_statement.c - GET /api/v1/central-services-statement?year=: the central
 * services statement of the annual accounts (DESIGN.md "Plugins"). The year's
 * budgets of every school and the finance rules over them are computed.c's
 * (computed_year_load: the same run as the budgets' computed lines, so the two
 * agree to the penny; each model's struct bursar_year built as a forecast
 * builds its base year, forecast_rules_base); each
 * school's postings to and from the central team say what it was charged (a
 * top-slice) or had retained (pooled GAG less the allocation it got back), on
 * what basis; the core services of the year are what that pays for. JSON, or
 * a flat table as CSV or XLSX (Accept). The charges and retentions are compared
 * with the core services' cost and with the central team's budgeted spending (its
 * budget of the year, approved or the latest version: core/central_statement.c),
 * each difference stated and explained. Finance director and auditor; a business
 * manager gets her own schools' part (their rows, the schools of hers without a
 * budget, totals over them) with the core services the charges pay for and the
 * comparisons of her schools' charges with the trust's costs. */
#include "api.h"
#include "central_statement.h"
#include "computed.h"
#include "csvcell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "date.h"
#include "export.h"
#include "forecast.h"
#include "money.h"
#include "plugin.h"
#include "store_forecasts.h"
#include "svcyear.h"
#include "worker.h"

#define ST_EXPL_MAX 1200

/* One school's part of the statement. */
struct st_school {
	const struct forecast_entity_in *e;
	int run;                                 /* its model's plugin ran over it */
	int pooled;                              /* it pooled GAG (INT03) */
	int shown;                               /* in the caller's scope */
	int64_t paid, received;                  /* to and from the central team */
	char basis[32];                          /* the first posting it paid: "topslice", "pool"; "": none */
	int64_t base_pence;
	int32_t rate_bp;                         /* -1: none */
	char expl[ST_EXPL_MAX];
	cJSON *posts;                            /* its postings, as JSON */
};

struct st {
	const struct plugins *ps;
	struct st_school *s;                     /* by entity, as the base's entities */
	size_t n;
	int nomem;
};

static struct st_school *st_find(struct st *st, const char *urn)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->s[i].e->urn, urn) == 0)
			return &st->s[i];
	return NULL;
}

/* An int32 setting of a plugin, or -1 when it has none. */
static int32_t st_setting_bp(const struct plugin *pl, const char *key)
{
	const struct bursar_settings *s = plugin_settings(pl);

	for (size_t i = 0; s != NULL && i < s->n; i++) {
		const struct bursar_setting *it = BURSAR_AT(struct bursar_setting, s->items, s->item_size, i);
		char *end;
		long v;

		if (strcmp(it->key, key) != 0)
			continue;
		v = strtol(it->value, &end, 10);
		return *end == '\0' && v >= 0 && v <= 10000 ? (int32_t)v : -1;
	}
	return -1;
}

static void st_append(char *buf, const char *s)
{
	size_t o = strlen(buf);

	if (s == NULL || s[0] == '\0' || o + 1 >= ST_EXPL_MAX)
		return;
	snprintf(buf + o, ST_EXPL_MAX - o, "%s%s", o > 0 ? "; " : "", s);
}

static cJSON *st_posting_json(const struct plugin_posting *q)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "basis", q->basis != NULL ? q->basis : "") == NULL ||
	    cJSON_AddStringToObject(o, "payer", q->payer) == NULL ||
	    cJSON_AddStringToObject(o, "payer_account", q->payer_account) == NULL ||
	    cJSON_AddStringToObject(o, "payee", q->payee) == NULL ||
	    cJSON_AddStringToObject(o, "payee_account", q->payee_account) == NULL ||
	    cJSON_AddNumberToObject(o, "amount_pence", q->amount_pence) == NULL ||
	    cJSON_AddNumberToObject(o, "base_pence", q->base_pence) == NULL ||
	    (q->rate_bp >= 0 ? cJSON_AddNumberToObject(o, "rate_bp", q->rate_bp) : cJSON_AddNullToObject(o, "rate_bp")) ==
		    NULL ||
	    cJSON_AddStringToObject(o, "explanation", q->explanation != NULL ? q->explanation : "") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* One model's run (computed.c: the same run as the budgets' computed lines): the
 * schools it ran over, and each school's postings to and from the central team. */
static int st_collect(struct st *st, const struct rules_base_model *rm, char *err, size_t errlen)
{
	int32_t retention = st_setting_bp(rm->pl, "retention_bp");

	for (size_t i = 0; i < rm->nurns; i++) {
		struct st_school *s = st_find(st, rm->urns[i]);

		if (s != NULL)
			s->run = 1;
	}
	for (size_t i = 0; i < rm->res.nposts; i++) {
		const struct plugin_posting *q = &rm->res.posts[i];
		int to_central = strcmp(q->payee, BURSAR_CENTRAL) == 0;
		struct st_school *s = st_find(st, to_central ? q->payer : q->payee);
		cJSON *j;

		if (s == NULL || (!to_central && strcmp(q->payer, BURSAR_CENTRAL) != 0))
			continue;                        /* between schools: not a central service */
		if ((j = st_posting_json(q)) == NULL || !cJSON_AddItemToArray(s->posts, j)) {
			cJSON_Delete(j);
			st->nomem = 1;
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		st_append(s->expl, q->explanation);
		if (to_central) {
			if (money_add(s->paid, q->amount_pence, &s->paid) != 0)
				goto range;
			if (strcmp(q->payer_account, BURSAR_ACC_POOLED) == 0)
				s->pooled = 1;
			if (s->basis[0] == '\0') {
				snprintf(s->basis, sizeof(s->basis), "%s", q->basis != NULL ? q->basis : "");
				s->base_pence = q->base_pence;
				s->rate_bp = q->rate_bp;
			}
		} else if (money_add(s->received, q->amount_pence, &s->received) != 0) {
			goto range;
		}
		if (s->pooled && s->rate_bp < 0)
			s->rate_bp = retention;          /* pooling: the pot's retention rate */
	}
	return 0;
range:
	snprintf(err, errlen, "amounts out of range");
	return -1;
}

/* Whether the caller sees entity e's part: every part for the trust's roles, a
 * business manager her own schools'. 1, 0, or -1 with the problem set. */
static int st_shown(struct req *r, const struct forecast_entity_in *e, struct problem *p)
{
	int64_t id;
	int rc;

	if (r->id.role != ROLE_BUSINESS_MANAGER)
		return 1;
	if (e->is_central || (rc = api_school_find(r, e->urn, &id, NULL, p)) == 0)
		return 0;
	return rc < 0 ? -1 : identity_school_allowed(&r->id, (uint32_t)id);
}

/* ---- the statement ---- */

struct st_core {
	const char *name;
	int64_t id, cost;
	int months;
};

static cJSON *st_core_json(const struct st_core *c, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (o == NULL || !cJSON_AddItemToArray(a, o) || cJSON_AddNumberToObject(o, "id", c[i].id) == NULL ||
		    cJSON_AddStringToObject(o, "name", c[i].name) == NULL ||
		    cJSON_AddNumberToObject(o, "months", c[i].months) == NULL ||
		    cJSON_AddNumberToObject(o, "cost_pence", c[i].cost) == NULL) {
			if (o != NULL && cJSON_GetArraySize(a) == 0)
				cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static const char *st_kind(const struct st_school *s)
{
	if (!s->run)
		return "none";
	return s->pooled ? "retained" : "charged";
}

static cJSON *st_school_json(struct st_school *s, const struct st_core *core, size_t ncore)
{
	cJSON *o = cJSON_CreateObject(), *b, *c;
	const struct forecast_entity_in *e = s->e;

	if (o == NULL || cJSON_AddStringToObject(o, "urn", e->urn) == NULL ||
	    cJSON_AddStringToObject(o, "name", e->name != NULL ? e->name : "") == NULL ||
	    (s->run ? cJSON_AddStringToObject(o, "model", e->model) : cJSON_AddNullToObject(o, "model")) == NULL ||
	    cJSON_AddStringToObject(o, "budget_status", e->budget_status) == NULL ||
	    cJSON_AddStringToObject(o, "kind", st_kind(s)) == NULL ||
	    cJSON_AddNumberToObject(o, "amount_pence", s->paid - s->received) == NULL ||
	    cJSON_AddNumberToObject(o, "paid_pence", s->paid) == NULL ||
	    cJSON_AddNumberToObject(o, "received_pence", s->received) == NULL || (b = cJSON_AddObjectToObject(o, "basis")) == NULL ||
	    (s->basis[0] != '\0' ? cJSON_AddStringToObject(b, "basis", s->basis) : cJSON_AddNullToObject(b, "basis")) == NULL ||
	    cJSON_AddNumberToObject(b, "base_pence", s->base_pence) == NULL ||
	    (s->rate_bp >= 0 ? cJSON_AddNumberToObject(b, "rate_bp", s->rate_bp) : cJSON_AddNullToObject(b, "rate_bp")) ==
		    NULL ||
	    cJSON_AddStringToObject(b, "explanation", s->expl) == NULL || (c = st_core_json(core, ncore)) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_AddItemToObject(o, "core_services", c);
	cJSON_AddItemToObject(o, "postings", s->posts);
	s->posts = NULL;
	return o;
}

/* A CSV text field, always quoted, never a formula. */
enum { SC_ROW, SC_URN, SC_NAME, SC_MODEL, SC_KIND, SC_BASIS, SC_BASE, SC_RATE, SC_PAID, SC_RECEIVED, SC_AMOUNT,
       SC_EXPL, SC__N };

static const struct table_col st_cols[SC__N] = {
	[SC_ROW] = { "row", TABLE_TEXT, 0, 13 },
	[SC_URN] = { "urn", TABLE_TEXT, TABLE_COL_QUOTE, 9 },
	[SC_NAME] = { "name", TABLE_TEXT, TABLE_COL_QUOTE, 40 },
	[SC_MODEL] = { "model", TABLE_TEXT, TABLE_COL_QUOTE, 10 },
	[SC_KIND] = { "kind", TABLE_TEXT, 0, 10 },
	[SC_BASIS] = { "basis", TABLE_TEXT, 0, 12 },
	[SC_BASE] = { "base", TABLE_PENCE, 0, 16 },
	[SC_RATE] = { "rate_bp", TABLE_BP, 0, 10 },
	[SC_PAID] = { "paid", TABLE_PENCE, 0, 16 },
	[SC_RECEIVED] = { "received", TABLE_PENCE, 0, 16 },
	[SC_AMOUNT] = { "amount", TABLE_PENCE, 0, 16 },
	[SC_EXPL] = { "explanation", TABLE_TEXT, TABLE_COL_QUOTE, 80 },
};

/* One row of st_cols (pounds; rate_bp < 0: none). */
static void st_row(struct table *t, unsigned flags, const char *row, const char *urn, const char *name,
		   const char *model, const char *kind, const char *basis, int64_t base, int32_t rate_bp, int64_t paid,
		   int64_t received, int64_t amount, const char *expl)
{
	table_row(t, flags);
	table_text(t, row);
	table_text(t, urn);
	table_text(t, name);
	table_text(t, model);
	table_text(t, kind);
	table_text(t, basis != NULL ? basis : "");
	table_num(t, base);
	if (rate_bp >= 0)
		table_num(t, rate_bp);
	else
		table_blank(t);
	table_num(t, paid);
	table_num(t, received);
	table_num(t, amount);
	table_text(t, expl);
}

/* A total row: a name, an amount (none: blank) and its explanation. */
static void st_total(struct table *t, const char *name, int has, int64_t amount, const char *expl)
{
	table_row(t, TABLE_ROW_BOLD);
	table_text(t, "total");
	table_text(t, "");
	table_text(t, name);
	for (int i = 0; i < 3; i++)
		table_text(t, "");
	table_num(t, 0);
	table_blank(t);
	table_num(t, 0);
	table_num(t, 0);
	if (has)
		table_num(t, amount);
	else
		table_blank(t);
	table_text(t, expl);
}

/* What the statement compares: the central team's budget and both comparisons. */
struct st_cmp {
	struct central_statement_budget b;
	struct central_statement_cmp core, budget;
};

/* The statement as one flat table, CSV or XLSX: the schools shown, the core services, the totals
 * and the comparisons (each difference with its explanation). */
static int st_reply_sheet(struct req *r, enum export_format fmt, const char *year, const struct st *st,
			  const struct st_core *core, size_t ncore, const int64_t *tot, const struct st_cmp *cmp,
			  struct problem *p)
{
	static const char *const tname[] = { "charged", "retained", "charged and retained", "core services" };
	struct export e;
	char title[64], stem[64], status[96];
	int rc = -1;

	snprintf(title, sizeof(title), "Central services statement %s", year);
	snprintf(stem, sizeof(stem), "central-services-statement-%s", year);
	if (export_begin(&e, fmt, 0, title, p) == 0) {
		table_sheet(&e.t, "Statement", st_cols, SC__N, 0);
		for (size_t i = 0; i < st->n; i++) {
			const struct st_school *s = &st->s[i];

			if (s->e->is_central || s->e->budget_status == NULL || !s->shown)
				continue;
			st_row(&e.t, 0, "school", s->e->urn, s->e->name, s->run ? s->e->model : "", st_kind(s), s->basis,
			       s->base_pence, s->rate_bp, s->paid, s->received, s->paid - s->received, s->expl);
		}
		for (size_t i = 0; i < ncore; i++)
			st_row(&e.t, 0, "core_service", "", core[i].name, "", "", "", 0, -1, 0, 0, core[i].cost, "");
		for (size_t i = 0; i < 4; i++)
			st_row(&e.t, TABLE_ROW_BOLD, "total", "", tname[i], "", "", "", 0, -1, 0, 0, tot[i], "");
		st_total(&e.t, "charged and retained less core services", 1, tot[4], cmp->core.explanation);
		if (!cmp->b.present)
			snprintf(status, sizeof(status), "the central team has no budget for %s", year);
		else
			snprintf(status, sizeof(status), "its %s budget for %s%s", cmp->b.status, year,
				 strcmp(cmp->b.status, "approved") == 0 ? "" : " (the latest version, not yet approved)");
		st_total(&e.t, "central team's budgeted spending", cmp->b.present, cmp->b.expenditure_pence, status);
		st_total(&e.t, "central team's other income", cmp->b.present, cmp->b.other_income_pence, "");
		st_total(&e.t, "charged and retained less the central team's budgeted spending", cmp->budget.has_cost,
			 cmp->budget.difference_pence, cmp->budget.explanation);
		rc = export_reply(r, &e, stem, NULL, p);
	}
	export_end(&e);
	return rc;
}

static cJSON *st_cmp_json(const char *against, const char *description, const struct central_statement_cmp *c)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "against", against) == NULL ||
	    cJSON_AddStringToObject(o, "description", description) == NULL ||
	    cJSON_AddNumberToObject(o, "charges_pence", c->charges_pence) == NULL ||
	    (c->has_cost ? cJSON_AddNumberToObject(o, "cost_pence", c->cost_pence) : cJSON_AddNullToObject(o, "cost_pence")) ==
		    NULL ||
	    (c->has_cost ? cJSON_AddNumberToObject(o, "difference_pence", c->difference_pence)
			 : cJSON_AddNullToObject(o, "difference_pence")) == NULL ||
	    cJSON_AddStringToObject(o, "explanation", c->explanation) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* "central_budget", "comparisons", and the totals' two members about the central budget. */
static int st_cmp_add(cJSON *o, cJSON *totals, const struct st_cmp *cmp)
{
	const struct central_statement_budget *b = &cmp->b;
	cJSON *cb, *a, *j;

	if ((cb = cJSON_AddObjectToObject(o, "central_budget")) == NULL ||
	    (b->present ? cJSON_AddStringToObject(cb, "status", b->status) : cJSON_AddNullToObject(cb, "status")) == NULL ||
	    (b->present ? cJSON_AddNumberToObject(cb, "expenditure_pence", b->expenditure_pence)
			: cJSON_AddNullToObject(cb, "expenditure_pence")) == NULL ||
	    (b->present ? cJSON_AddNumberToObject(cb, "other_income_pence", b->other_income_pence)
			: cJSON_AddNullToObject(cb, "other_income_pence")) == NULL ||
	    (b->present ? cJSON_AddNumberToObject(totals, "central_budget_expenditure_pence", b->expenditure_pence)
			: cJSON_AddNullToObject(totals, "central_budget_expenditure_pence")) == NULL ||
	    (b->present ? cJSON_AddNumberToObject(totals, "central_budget_difference_pence", cmp->budget.difference_pence)
			: cJSON_AddNullToObject(totals, "central_budget_difference_pence")) == NULL ||
	    (a = cJSON_AddArrayToObject(o, "comparisons")) == NULL)
		return -1;
	if ((j = st_cmp_json("core_services", "The core services in the service catalogue", &cmp->core)) == NULL ||
	    !cJSON_AddItemToArray(a, j)) {
		cJSON_Delete(j);
		return -1;
	}
	if ((j = st_cmp_json("central_budget", "The central team's budgeted spending", &cmp->budget)) == NULL ||
	    !cJSON_AddItemToArray(a, j)) {
		cJSON_Delete(j);
		return -1;
	}
	return 0;
}

int api_central_statement(struct req *r, struct problem *p)
{
	struct computed_year cy = { 0 };
	struct store_forecast_inputs *base = &cy.base;
	struct svcyear sy = { 0 };
	struct st st = { .ps = r->w->plugins };
	struct st_core *core = NULL;
	const char *ys = http_query(r, "year");
	char err[600], y[8];
	int year = 0, rc = -1;
	size_t nbudgets = 0, ncore = 0;
	int64_t tot[5] = { 0 };                  /* charged, retained, both, core cost, both - core */
	struct st_cmp cmp;
	const struct forecast_entity_in *central = NULL;
	cJSON *o = NULL, *schools, *missing, *t;
	enum export_format fmt;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0)
		return -1;
	if (ys == NULL || acyear_parse(ys, &year) != 0) {
		problem_field(p, "query:year", ys == NULL ? "is required: an academic year written like 2026-27" :
			      "must be an academic year written like 2026-27");
		return problem_validation_done(p);
	}
	acyear_format(year, y, sizeof(y));
	/* the year's budgets and the finance rules over them, as the budgets' computed lines */
	if (computed_year_load(r->db, r->w->plugins, year, &cy, p) != 0)
		goto out;
	for (size_t i = 0; i < base->nentities; i++)
		nbudgets += base->entities[i].budget_status != NULL && !base->entities[i].is_central;
	if (nbudgets == 0) {
		problem_field(p, "query:year", "no school has a budget for %s", y);
		rc = problem_validation_done(p);
		goto out;
	}
	if ((st.s = calloc(base->nentities + 1, sizeof(*st.s))) == NULL)
		goto oom;
	st.n = base->nentities;
	for (size_t i = 0; i < st.n; i++) {
		st.s[i].e = &base->entities[i];
		st.s[i].rate_bp = -1;
		if ((st.s[i].posts = cJSON_CreateArray()) == NULL)
			goto oom;
		if ((st.s[i].shown = st_shown(r, st.s[i].e, p)) < 0)
			goto out;
	}
	if (cy.failed) {
		rc = problem_set(p, 422, "validation", "Validation failed",
				 "the central services statement for %s cannot be worked out: %s", y, cy.err);
		goto out;
	}
	for (size_t m = 0; m < cy.rb.n; m++)
		if (st_collect(&st, &cy.rb.m[m], err, sizeof(err)) != 0) {
			if (st.nomem)
				goto oom;
			rc = problem_set(p, 422, "validation", "Validation failed",
					 "the central services statement for %s cannot be worked out: %s", y, err);
			goto out;
		}
	/* the core services of the year: what the charges and retentions pay for */
	if (svcyear_load(r->db, svcyear_rates_of(r->cfg), year, 0, 0, &sy, p) != 0)
		goto out;
	if ((core = calloc(sy.nsvc + 1, sizeof(*core))) == NULL)
		goto oom;
	for (size_t i = 0; i < sy.nsvc; i++) {
		const struct svcyear_service *sv = &sy.svc[i];

		if (!sv->core || sv->cost.months <= 0)
			continue;
		core[ncore++] = (struct st_core){ sv->name, sv->id, sv->cost.cost_pence, sv->cost.months };
		if (money_add(tot[3], sv->cost.cost_pence, &tot[3]) != 0)
			goto range;
	}
	for (size_t i = 0; i < st.n; i++) {
		const struct st_school *s = &st.s[i];

		if (s->run && s->shown && money_add(tot[s->pooled ? 1 : 0], s->paid - s->received, &tot[s->pooled ? 1 : 0]) != 0)
			goto range;
	}
	if (money_add(tot[0], tot[1], &tot[2]) != 0 || money_add(tot[2], -tot[3], &tot[4]) != 0)
		goto range;
	/* the comparisons: with the core services, and with the central team's budgeted spending */
	for (size_t i = 0; i < base->nentities; i++)
		if (base->entities[i].is_central)
			central = &base->entities[i];
	if (central_statement_budget_of(central, base->accounts, base->naccounts, &cmp.b) != 0 ||
	    central_statement_compare(y, r->id.role == ROLE_BUSINESS_MANAGER, tot[2], tot[3], &cmp.b, &cmp.core,
				      &cmp.budget) != 0)
		goto range;
	if ((fmt = export_format(r)) != EXPORT_JSON) {
		rc = st_reply_sheet(r, fmt, y, &st, core, ncore, tot, &cmp, p);
		goto out;
	}
	if ((o = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(o, "year", y) == NULL ||
	    (schools = cJSON_AddArrayToObject(o, "schools")) == NULL ||
	    (missing = cJSON_AddArrayToObject(o, "schools_without_budget")) == NULL)
		goto oom;
	for (size_t i = 0; i < st.n; i++) {
		struct st_school *s = &st.s[i];
		cJSON *j;

		if (s->e->is_central || !s->shown)
			continue;
		if (s->e->budget_status == NULL) {
			if (!cJSON_AddItemToArray(missing, cJSON_CreateString(s->e->urn)))
				goto oom;
			continue;
		}
		if ((j = st_school_json(s, core, ncore)) == NULL || !cJSON_AddItemToArray(schools, j)) {
			cJSON_Delete(j);
			goto oom;
		}
	}
	{
		cJSON *c = st_core_json(core, ncore);

		if (c == NULL || !cJSON_AddItemToObject(o, "core_services", c)) {
			cJSON_Delete(c);
			goto oom;
		}
	}
	if ((t = cJSON_AddObjectToObject(o, "totals")) == NULL || cJSON_AddNumberToObject(t, "charged_pence", tot[0]) == NULL ||
	    cJSON_AddNumberToObject(t, "retained_pence", tot[1]) == NULL ||
	    cJSON_AddNumberToObject(t, "total_pence", tot[2]) == NULL ||
	    cJSON_AddNumberToObject(t, "core_services_cost_pence", tot[3]) == NULL ||
	    cJSON_AddNumberToObject(t, "difference_pence", tot[4]) == NULL || st_cmp_add(o, t, &cmp) != 0)
		goto oom;
	rc = http_reply_json_hashed(r, o, p);
	goto out;
range:
	rc = problem_set(p, 422, "validation", "Validation failed", "the central services statement for %s: amounts out "
			 "of range", y);
	goto out;
oom:
	rc = problem_internal(p);
out:
	for (size_t i = 0; st.s != NULL && i < st.n; i++)
		cJSON_Delete(st.s[i].posts);
	free(st.s);
	free(core);
	cJSON_Delete(o);
	svcyear_free(&sy);
	computed_year_free(&cy);
	return rc;
}
