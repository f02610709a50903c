/* api_monitoring.c - the monitoring of a school (or the central team) and of the trust at a month
 * (ISSUE17_CONTRACT section 3; README "Monitoring"): GET /api/v1/schools/{urn}/monitoring
 * (trust roles; a business manager her schools) and GET /api/v1/monitoring (trust roles), both
 * ?month=2026-11 (without: the latest closed month of the current year, September when none is).
 * A school's carries its totals to the end of each month of the year too (the chart's series). The
 * figures are monitor_view.c's. */
#include <string.h>

#include "api.h"
#include "monitor_view.h"
#include "worker.h"

static int monitoring_add(cJSON *o, const char *name, cJSON *x)
{
	if (x == NULL || !cJSON_AddItemToObject(o, name, x)) {
		cJSON_Delete(x);
		return -1;
	}
	return 0;
}

/* An entity's figures without its lines: totals, reserves, kpis. */
static int monitoring_figures(cJSON *o, const struct monitor_entity *e)
{
	if (monitoring_add(o, "totals", monitor_view_totals_json(&e->t)) != 0 ||
	    monitoring_add(o, "reserves", monitor_view_reserves_json(&e->r)) != 0 ||
	    monitoring_add(o, "kpis", monitor_view_kpis_json(&e->k)) != 0)
		return -1;
	return 0;
}

static cJSON *monitoring_budget_json(const struct monitor_entity *e)
{
	cJSON *b;

	if (!e->has_budget)
		return cJSON_CreateNull();
	if ((b = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(b, "status", e->status) == NULL ||
	    cJSON_AddNumberToObject(b, "version", (double)e->version) == NULL) {
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

int api_school_monitoring(struct req *r, struct problem *p)
{
	struct monitor_view v;
	const struct monitor_entity *e;
	const char *urn = http_param(r, "urn");
	uint32_t sid;
	int year, to, rc = -1;
	cJSON *o = NULL;

	memset(&v, 0, sizeof(v));
	if (http_query_allow(r, (const char *const[]){ "month", NULL }, p) != 0 ||
	    api_school_lookup(r, urn, &sid, p) != 0 || monitor_view_month(r->db, api_today(r), http_query(r, "month"), &year, &to, p) != 0 ||
	    monitor_view_load(r->db, r->w->plugins, year, to, &v, p) != 0)
		goto out;
	if ((e = monitor_view_entity(&v, urn)) == NULL) {
		problem_not_found(p, "no entity %s", urn);
		goto out;
	}
	if ((o = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(o, "urn", e->urn) == NULL ||
	    cJSON_AddStringToObject(o, "name", e->name) == NULL || monitor_view_head(o, &v) != 0 ||
	    monitoring_add(o, "budget", monitoring_budget_json(e)) != 0 ||
	    monitoring_add(o, "lines", monitor_view_lines_json(e, 1)) != 0 || monitoring_figures(o, e) != 0 ||
	    monitoring_add(o, "months", monitor_view_months_json(&v, e)) != 0) {
		problem_internal(p);
		goto out;
	}
	rc = api_reply_derived(r, 200, o, 0, p);
out:
	cJSON_Delete(o);
	monitor_view_free(&v);
	return rc;
}

int api_trust_monitoring(struct req *r, struct problem *p)
{
	struct monitor_view v;
	int year, to, rc = -1;
	cJSON *o = NULL, *ents, *t;

	memset(&v, 0, sizeof(v));
	if (http_query_allow(r, (const char *const[]){ "month", NULL }, p) != 0 ||
	    monitor_view_month(r->db, api_today(r), http_query(r, "month"), &year, &to, p) != 0 ||
	    monitor_view_load(r->db, r->w->plugins, year, to, &v, p) != 0)
		goto out;
	if ((o = cJSON_CreateObject()) == NULL || monitor_view_head(o, &v) != 0 ||
	    (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < v.n; i++) {
		cJSON *x = cJSON_CreateObject();

		if (x == NULL || !cJSON_AddItemToArray(ents, x) || cJSON_AddStringToObject(x, "urn", v.e[i].urn) == NULL ||
		    cJSON_AddStringToObject(x, "name", v.e[i].name) == NULL || monitoring_figures(x, &v.e[i]) != 0)
			goto oom;
	}
	if ((t = cJSON_AddObjectToObject(o, "trust")) == NULL ||
	    monitoring_add(t, "lines", monitor_view_lines_json(&v.trust, 0)) != 0 || monitoring_figures(t, &v.trust) != 0)
		goto oom;
	rc = api_reply_derived(r, 200, o, 0, p);
	goto out;
oom:
	problem_internal(p);
out:
	cJSON_Delete(o);
	monitor_view_free(&v);
	return rc;
}
