/* api_forecasts_summary.c - the POST's reply: a run just saved as GET
 * /api/v1/forecasts/{id}?lines=false renders it, from the result in memory; see
 * api_forecasts.h. */
#include "api_forecasts.h"

#include <stdio.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "log.h"

static int fs_add(cJSON *o, const char *k, int has, int64_t v)
{
	return (has ? cJSON_AddNumberToObject(o, k, v) : cJSON_AddNullToObject(o, k)) != NULL;
}

static cJSON *fs_reply_year(int year, int base_year, const struct forecast_totals *t)
{
	cJSON *o = cJSON_CreateObject(), *k;
	char ys[8];

	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "basis", year == base_year ? "budget" : "forecast") == NULL ||
	    !fs_add(o, "pupils", t->pupils >= 0, t->pupils) || !fs_add(o, "income_pence", 1, t->income) ||
	    !fs_add(o, "expenditure_pence", 1, t->expenditure) || !fs_add(o, "in_year_balance_pence", 1, t->balance) ||
	    !fs_add(o, "internal_income_pence", 1, t->internal_income) ||
	    !fs_add(o, "internal_expenditure_pence", 1, t->internal_expenditure) ||
	    !fs_add(o, "staff_pence", 1, t->staff) || !fs_add(o, "non_staff_pence", 1, t->non_staff) ||
	    !fs_add(o, "contingency_pence", 1, t->contingency) ||
	    !fs_add(o, "central_charges_pence", 1, t->central_charges) ||
	    !fs_add(o, "opening_reserves_pence", 1, t->opening) || !fs_add(o, "closing_reserves_pence", 1, t->closing) ||
	    (k = cJSON_AddObjectToObject(o, "kpis")) == NULL || !fs_add(k, "income_pence", 1, t->kpi_income) ||
	    !fs_add(k, "staff_costs_bp", t->has_kpis, t->staff_bp) || !fs_add(k, "reserves_bp", t->has_kpis, t->reserves_bp) ||
	    !fs_add(k, "in_year_balance_bp", t->has_kpis, t->balance_bp)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* An entity's (or, e NULL, the trust's) years, as the save wrote them. */
static int fs_reply_years(const struct forecast_result *res, const struct forecast_entity *e, cJSON *years)
{
	for (int k = 0; k <= res->horizon; k++) {
		cJSON *yo = fs_reply_year(res->base_year + k, res->base_year, e != NULL ? &e->t[k] : &res->trust[k]);

		if (yo == NULL || !cJSON_AddItemToArray(years, yo)) {
			cJSON_Delete(yo);
			return -1;
		}
	}
	return 0;
}

/* The summary fields after the database's own (id ... updated_at), as run_head_json renders them. */
static int fs_reply_head(struct req *r, const struct store_forecast_run *f, cJSON *o)
{
	struct audit_actor who = api_actor(r);
	cJSON *s, *by, *in = cJSON_Parse(f->inputs_text), *v;
	int ok = in != NULL && (s = cJSON_AddObjectToObject(o, "scenario")) != NULL &&
		 fs_add(s, "id", 1, f->scenario_id) && cJSON_AddStringToObject(s, "name", f->scenario_name) != NULL &&
		 fs_add(s, "version", 1, f->scenario_version) && (by = cJSON_AddObjectToObject(o, "run_by")) != NULL &&
		 fs_add(by, "token_id", who.token_id > 0, who.token_id) &&
		 cJSON_AddStringToObject(by, "role", who.role) != NULL &&
		 fs_add(o, "engine_us", 1, f->duration_us > UINT32_MAX ? UINT32_MAX : f->duration_us);

	if (ok) {
		v = f->entities_text != NULL ? cJSON_Parse(f->entities_text) : cJSON_CreateNull();
		if (!(ok = v != NULL && cJSON_AddItemToObject(o, "entities_requested", v)))
			cJSON_Delete(v);
	}
	if (ok) {
		if ((v = cJSON_DetachItemFromObjectCaseSensitive(in, "plugins")) == NULL)
			v = cJSON_CreateArray();
		if (!(ok = v != NULL && cJSON_AddItemToObject(o, "plugins", v)))
			cJSON_Delete(v);
	}
	if (ok && (v = cJSON_DetachItemFromObjectCaseSensitive(in, "services")) != NULL &&
	    !(ok = cJSON_AddItemToObject(o, "services", v)))
		cJSON_Delete(v);
	cJSON_Delete(in);
	return ok ? 0 : -1;
}

cJSON *api_forecasts_saved_json(struct req *r, const struct store_forecast_run *f, int64_t run_id,
				struct problem *p)
{
	const struct forecast_result *res = f->res;
	cJSON *o, *ents, *ent, *years, *w, *wo;

	if ((o = store_forecast_head(r->db, run_id, p)) == NULL)
		return NULL;
	if (fs_reply_head(r, f, o) != 0 ||
	    (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < res->nentities; i++) {
		const struct forecast_entity *e = &res->entities[i];

		if ((ent = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(ents, ent) ||
		    cJSON_AddStringToObject(ent, "urn", e->in->urn) == NULL ||
		    cJSON_AddStringToObject(ent, "name", e->in->name != NULL ? e->in->name : "") == NULL ||
		    (years = cJSON_AddArrayToObject(ent, "years")) == NULL || fs_reply_years(res, e, years) != 0)
			goto oom;
	}
	if ((ent = cJSON_AddObjectToObject(o, "trust")) == NULL || (years = cJSON_AddArrayToObject(ent, "years")) == NULL ||
	    fs_reply_years(res, NULL, years) != 0 || (w = cJSON_AddArrayToObject(o, "warnings")) == NULL)
		goto oom;
	for (size_t i = 0; i < res->nwarnings; i++) {
		const struct forecast_warning *x = &res->warnings[i];
		char ys[8];

		acyear_format(x->year, ys, sizeof(ys));
		if ((wo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(w, wo) ||
		    cJSON_AddStringToObject(wo, "entity", x->urn) == NULL ||
		    (x->year > 0 ? cJSON_AddStringToObject(wo, "year", ys) : cJSON_AddNullToObject(wo, "year")) == NULL ||
		    cJSON_AddStringToObject(wo, "code", x->code) == NULL ||
		    cJSON_AddStringToObject(wo, "message", x->message) == NULL)
			goto oom;
	}
	return o;
oom:
	log_err("forecasts: out of memory rendering run %lld", (long long)run_id);
	problem_internal(p);
	cJSON_Delete(o);
	return NULL;
}
