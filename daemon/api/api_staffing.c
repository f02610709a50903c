/*
 * api_staffing.c - GET /api/v1/schools/{urn}/staffing?year=2026-27: an entity's
 * staffing for an academic year (issue 16; README "Staff from posts"): its live
 * posts costed by account code (staff_cost.h, the costing the budget's generated
 * lines come from), the total, the ICFP measures over the entity's budget of the
 * year (its total expenditure as the budget reads, generated and computed lines
 * included; null measures without posts), and for the central team the trust's
 * apprenticeship levy and employment allowance. Whether the entity plans by post
 * or not: the figures are its posts' either way.
 *
 * Roles: the finance director and auditors (every entity), a business manager
 * (her schools); school systems 403 (the route table). A costing that cannot be
 * done (a scale without a value for a post's point) is a 422 saying why. The ETag
 * is a hash of the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "budget.h"
#include "bursar_plugin.h"
#include "computed.h"
#include "date.h"
#include "staff_lines.h"
#include "store_budgets.h"
#include "worker.h"

/* urn's total expenditure in the year as its budget reads (a draft with its derived
 * computed lines), or 0 when it has no budget. 0, or -1 (overflow, no memory). */
static int staffing_expenditure(const struct computed_year *cy, const struct budget_chart *chart, const char *urn,
				int64_t *exp)
{
	struct budget b;
	struct budget_totals t;
	int rc = -1;

	*exp = 0;
	budget_init(&b, BUDGET_MAINSTREAM, chart);
	for (size_t i = 0; i < cy->base.nentities; i++) {
		const struct forecast_entity_in *e = &cy->base.entities[i];

		if (strcmp(e->urn, urn) != 0 || e->budget_status == NULL)
			continue;
		for (size_t k = 0; k < e->nlines; k++)
			if (budget_add_line(&b, e->lines[k].code, "", e->lines[k].amount_pence) == NULL)
				goto out;
		if (strcmp(e->budget_status, "draft") == 0 && computed_append(cy, urn, &b) != 0)
			goto out;
		if (budget_totals(&b, &t) != 0)
			goto out;
		*exp = t.expenditure;
	}
	rc = 0;
out:
	budget_clear(&b);
	return rc;
}

static cJSON *staffing_json(const struct staff_costing *sc, const char *urn, const char *year_s, int64_t exp)
{
	const struct staff_cost_entity *e = staff_cost_entity(sc, urn);
	cJSON *o = cJSON_CreateObject(), *lines, *l;
	int64_t total = 0;

	if (o == NULL || cJSON_AddStringToObject(o, "urn", urn) == NULL ||
	    cJSON_AddStringToObject(o, "year", year_s) == NULL ||
	    cJSON_AddBoolToObject(o, "staff_by_post", e != NULL && e->staff_by_post) == NULL ||
	    (lines = cJSON_AddArrayToObject(o, "lines")) == NULL)
		goto oom;
	for (size_t i = 0; i < sc->ty.nlines; i++) {
		const struct staff_line *sl = &sc->ty.lines[i];

		if (strcmp(sl->urn, urn) != 0)
			continue;
		total += sl->total;
		if ((l = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(lines, l) ||
		    cJSON_AddStringToObject(l, "account_code", sl->code) == NULL ||
		    cJSON_AddNumberToObject(l, "pay_pence", (double)sl->pay) == NULL ||
		    cJSON_AddNumberToObject(l, "ni_pence", (double)sl->ni) == NULL ||
		    cJSON_AddNumberToObject(l, "pension_pence", (double)sl->pension) == NULL ||
		    cJSON_AddNumberToObject(l, "total_pence", (double)sl->total) == NULL ||
		    cJSON_AddNumberToObject(l, "posts", sl->posts) == NULL ||
		    cJSON_AddNumberToObject(l, "fte_h", sl->fte_h) == NULL)
			goto oom;
	}
	if (cJSON_AddNumberToObject(o, "total_pence", (double)total) == NULL ||
	    !cJSON_AddItemToObject(o, "metrics", staff_lines_metrics_json(sc, urn, exp)))
		goto oom;
	if (strcmp(urn, BURSAR_CENTRAL) == 0 &&
	    (cJSON_AddNumberToObject(o, "levy_pence", (double)sc->ty.levy) == NULL ||
	     cJSON_AddNumberToObject(o, "employment_allowance_pence", (double)sc->ty.employment_allowance) == NULL))
		goto oom;
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

int api_staffing_get(struct req *r, struct problem *p)
{
	const char *urn = http_param(r, "urn");
	struct budget_chart chart = { 0 };
	struct computed_year cy = { 0 };
	uint32_t sid;
	int year, rc = -1;
	int64_t exp;
	char ys[16];
	cJSON *o = NULL;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 ||
	    api_school_lookup(r, urn, &sid, p) != 0 || api_year_query(r, &year, p) != 0)
		return -1;
	acyear_format(year, ys, sizeof(ys));
	if (store_budget_chart(r->db, &chart, p) != 0 || computed_year_load_for(r->db, r->w->plugins, year, urn, &cy, p) != 0)
		goto out;
	if (staff_cost_failure(&cy.staff, urn) != NULL) {
		problem_set(p, 422, "validation", "Validation failed", "the posts of %s cannot be costed for %s: %s", urn, ys,
			    staff_cost_failure(&cy.staff, urn));
		goto out;
	}
	if (staffing_expenditure(&cy, &chart, urn, &exp) != 0 || (o = staffing_json(&cy.staff, urn, ys, exp)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = api_reply_derived(r, 200, o, 0, p);
out:
	cJSON_Delete(o);
	computed_year_free(&cy);
	free(chart.accounts);
	return rc;
}
