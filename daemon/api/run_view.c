/* run_view.c - what every rendering of a forecast run shares: its head, an
 * entity's name, the `lines` parameter, and the POST's reply (a run just saved as
 * GET /api/v1/forecasts/{id}?lines=false renders it, from the result in memory);
 * see run_view.h. */
#include "run_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "log.h"

const char *run_view_name(const struct store_forecast_rows *x, const char *entity)
{
	if (strcmp(entity, "trust") == 0)
		return "the trust, consolidated";
	return store_forecast_name(x, entity);
}
/* ---- the head ---- */

/* A number, or null, from a column by name (the run's row). */
static int head_named(cJSON *o, const char *k, const struct db_rows *rows, const char *name)
{
	const char *v = db_get(rows, 0, name);

	return (v != NULL ? cJSON_AddNumberToObject(o, k, db_get_i64(rows, 0, name)) : cJSON_AddNullToObject(o, k)) != NULL;
}

/* Drop from a run's plugins' settings the per-school ones the caller may not see
 * (another school's, for a business manager: as GET /plugins does). 0, or -1. */
static int head_plugins_scope(struct req *r, cJSON *plugins, struct problem *p)
{
	cJSON *pl, *set, *next;
	int v;

	cJSON_ArrayForEach(pl, plugins) {
		set = cJSON_GetObjectItemCaseSensitive(pl, "settings");
		for (cJSON *it = set != NULL ? set->child : NULL; it != NULL; it = next) {
			next = it->next;
			if (it->string == NULL || (v = api_setting_visible(r, it->string, p)) < 0)
				return -1;
			if (v == 0)
				cJSON_Delete(cJSON_DetachItemViaPointer(set, it));
		}
	}
	return 0;
}

cJSON *run_view_head(struct req *r, const struct store_forecast_rows *x, struct problem *p)
{
	cJSON *o = db_row_to_json(x->run, 0), *s, *by;
	const struct db_rows *rr = x->run;
	const char *ents = db_get(rr, 0, "_entities");
	const char *inputs = db_get(rr, 0, "_inputs");
	cJSON *in = inputs != NULL ? cJSON_Parse(inputs) : NULL, *v;

	if (o == NULL || (s = cJSON_AddObjectToObject(o, "scenario")) == NULL ||
	    !head_named(s, "id", rr, "_scenario_id") ||
	    cJSON_AddStringToObject(s, "name", db_get(rr, 0, "_scenario_name")) == NULL ||
	    !head_named(s, "version", rr, "_scenario_version") || (by = cJSON_AddObjectToObject(o, "run_by")) == NULL ||
	    !head_named(by, "token_id", rr, "_token_id") ||
	    cJSON_AddStringToObject(by, "role", db_get(rr, 0, "_role")) == NULL ||
	    !head_named(o, "engine_us", rr, "_duration_us"))
		goto fail;
	v = ents != NULL ? cJSON_Parse(ents) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "entities_requested", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	v = in != NULL ? cJSON_DetachItemFromObjectCaseSensitive(in, "plugins") : NULL;
	if (v == NULL)
		v = cJSON_CreateArray();
	if (v == NULL || !cJSON_AddItemToObject(o, "plugins", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	if (head_plugins_scope(r, v, p) != 0)
		goto fail;
	v = in != NULL ? cJSON_DetachItemFromObjectCaseSensitive(in, "services") : NULL;
	if (v != NULL && !cJSON_AddItemToObject(o, "services", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	cJSON_Delete(in);
	return o;
fail:
	if (p->status == 0)
		problem_internal(p);
	cJSON_Delete(in);
	cJSON_Delete(o);
	return NULL;
}

/* ---- the POST's reply ---- */

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

/* Entity i's (or, e NULL, the trust's) years, as the save wrote them (an entity's with its staffing_metrics). */
static int fs_reply_years(const struct store_forecast_run *f, const struct forecast_entity *e, size_t i, cJSON *years)
{
	const struct forecast_result *res = f->res;

	for (int k = 0; k <= res->horizon; k++) {
		cJSON *yo = fs_reply_year(res->base_year + k, res->base_year, e != NULL ? &e->t[k] : &res->trust[k]), *m;
		const char *sm = e != NULL ? store_forecast_run_staffing(f, i, k) : NULL;

		if (yo == NULL || !cJSON_AddItemToArray(years, yo)) {
			cJSON_Delete(yo);
			return -1;
		}
		if (e != NULL && ((m = sm != NULL ? cJSON_Parse(sm) : cJSON_CreateNull()) == NULL ||
				  !cJSON_AddItemToObject(yo, "staffing_metrics", m))) {
			cJSON_Delete(m);
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

cJSON *run_view_saved(struct req *r, const struct store_forecast_run *f, int64_t run_id,
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
		    (years = cJSON_AddArrayToObject(ent, "years")) == NULL || fs_reply_years(f, e, i, years) != 0)
			goto oom;
	}
	if ((ent = cJSON_AddObjectToObject(o, "trust")) == NULL || (years = cJSON_AddArrayToObject(ent, "years")) == NULL ||
	    fs_reply_years(f, NULL, 0, years) != 0 || (w = cJSON_AddArrayToObject(o, "warnings")) == NULL)
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

int run_view_lines_param(struct req *r, int dflt, int *lines, struct problem *p)
{
	const char *v = http_query(r, "lines");

	*lines = dflt;
	if (v == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		*lines = v[0] == 't';
		return 0;
	}
	problem_field(p, "query:lines", "must be true (every line of every year) or false (totals, reserves, KPIs "
		      "and warnings only)");
	return -1;
}
