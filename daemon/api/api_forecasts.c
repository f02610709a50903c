/* api_forecasts.c - POST /api/v1/forecasts: load the base year's budgets, the
 * census and reserves, the scenario, the contracts and the finance-rule plugins,
 * run the engine (forecast.c), and save the run (store_forecasts_save.c: the
 * digest of its inputs, a record of them, its figures in rows of their own) in
 * one transaction with its audit row. Only the finance director runs forecasts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>

#include "acmonth.h"
#include "api.h"
#include "computed.h"
#include "date.h"
#include "forecast.h"
#include "forecast_plugin.h"
#include "jsonv.h"
#include "log.h"
#include "metrics.h"
#include "plugin.h"
#include "run_outturn.h"
#include "run_reply.h"
#include "run_services.h"
#include "run_staff.h"
#include "run_view.h"
#include "scenario_apply.h"
#include "store_forecasts.h"
#include "store_scenarios.h"
#include "worker.h"

#define FL_MAX_ENTITIES STORE_FORECAST_MAX_ENTITIES

enum { FF_SCENARIO, FF_BASE, FF_HORIZON, FF_ENTITIES, FF_LABEL, FF_NOTES, FF_BASE_FROM, FF__N };

#define FL_FIELDS(...) { \
	[FF_SCENARIO] = __VA_ARGS__, \
	[FF_BASE] = { "base_year", JV_ACYEAR, 0, 0, 0, NULL, NULL }, \
	[FF_HORIZON] = { "horizon", JV_INT, 0, 1, FORECAST_MAX_HORIZON, NULL, NULL }, \
	[FF_ENTITIES] = { "entities", JV_ARRAY, JV_NULLABLE, 0, 0, NULL, NULL }, \
	[FF_LABEL] = { "label", JV_STRING, JV_NOT_BLANK, 1, 100, NULL, NULL }, \
	[FF_NOTES] = { "notes", JV_STRING, JV_LINES, 0, 2000, NULL, NULL }, \
	[FF_BASE_FROM] = { "base_from", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL }, \
}

/* The scenario by id, or by its name (a string): the one member whose type says which. */
static const struct jv_field forecast_fields[FF__N] =
	FL_FIELDS({ "scenario", JV_INT, JV_REQUIRED, 1, UINT32_MAX, NULL, NULL });
static const struct jv_field forecast_fields_named[FF__N] =
	FL_FIELDS({ "scenario", JV_STRING, JV_REQUIRED, 1, 100, NULL, NULL });

/* Everything a run is built from, and the run. */
struct fl {
	struct req *r;
	struct jv_value v[FF__N];
	struct store_scenario sc;
	struct scenario_apply ap;                /* the scenario's what-ifs for this run (scenario_apply.h) */
	struct forecast_assumptions a;
	int base_year, horizon;
	int outturn_to;                          /* base_from.outturn_month (1..12), 0 without */
	char outturn_month[8];
	struct store_forecast_inputs ld;         /* the base year's budgets, census and reserves */
	struct computed_year cy;                 /* the base year's finance rules, as the budgets read */
	struct computed_forecast base;           /* the drafts' computed lines added to ld's */
	struct forecast_entity_in *e;            /* ld's */
	size_t ne;
	struct store_forecast_contracts cons;    /* the active contracts */
	struct forecast_plugin_id *plugins;
	size_t nplugins;
	struct run_services svc;
	struct run_staff staff;                  /* staff from posts (run_staff.h) */
	struct forecast_rules rules;
	struct forecast_input in;
	struct forecast_result res;
	int have_res;
	int64_t duration_us;
	char *inputs_text, *entities_text;
	char label[404];                         /* the label given, or the scenario's name and the run's date */
	struct store_forecast_run run;           /* what is saved */
	char **staffing;                         /* run.staffing (run_staff_measures) */
	int64_t run_id;
};

static void fl_free(struct fl *f)
{
	scenario_apply_free(&f->ap);
	store_scenario_free(&f->sc);
	computed_forecast_free(&f->base);
	computed_year_free(&f->cy);
	store_forecasts_inputs_free(&f->ld);
	store_forecasts_contracts_free(&f->cons);
	free(f->plugins);
	run_services_free(&f->svc);
	if (f->have_res)
		run_staff_measures_free(f->staffing, f->res.nentities * (size_t)(f->res.horizon + 1));
	run_staff_free(&f->staff);
	if (f->have_res)
		forecast_result_free(&f->res);
	cJSON_free(f->inputs_text);
	cJSON_free(f->entities_text);
}

/* base_from: {"outturn_month": "2026-11"}, a month of the base year (422 otherwise). */
static int fl_base_from(struct fl *f, struct problem *p)
{
	const cJSON *o = f->v[FF_BASE_FROM].present && !f->v[FF_BASE_FROM].is_null ? f->v[FF_BASE_FROM].item : NULL;
	const cJSON *m, *it;
	int year, month;

	if (o == NULL)
		return 0;
	cJSON_ArrayForEach(it, o)
		if (strcmp(it->string, "outturn_month") != 0)
			problem_field(p, "/base_from", "has only outturn_month (\"%.40s\" is not known)", it->string);
	m = cJSON_GetObjectItemCaseSensitive(o, "outturn_month");
	if (!cJSON_IsString(m) || acmonth_parse(m->valuestring, &year, &month) != 0)
		problem_field(p, "/base_from/outturn_month", "must be a month written like 2026-11");
	else if (year != f->base_year)
		problem_field(p, "/base_from/outturn_month", "must be a month of the base year");
	else {
		f->outturn_to = month;
		snprintf(f->outturn_month, sizeof(f->outturn_month), "%s", m->valuestring);
	}
	return problem_validation_done(p);
}

/* ---- loading ---- */

/* The base year's inputs (each draft budget with its computed lines, as the budget
 * reads: computed.h) with the scenario's projections over the census, and the
 * active contracts with their last possible end, for the warnings. */
static int fl_load(struct fl *f, struct problem *p)
{
	if (store_forecasts_inputs(f->r->db, f->base_year, f->horizon, &f->ld, p) != 0 ||
	    store_forecasts_contracts(f->r->db, &f->cons, p) != 0 ||
	    computed_year_load(f->r->db, f->r->w->plugins, f->base_year, &f->cy, p) != 0)
		return -1;
	/* from the outturn: the stored base lines to the monitoring's outturn (run_outturn.h), before
	 * the drafts' computed lines are appended (they are the budgets', as the monitoring's) */
	if (f->outturn_to > 0 && f->ld.lines != NULL &&
	    run_outturn_apply(f->r->db, f->r->w->plugins, f->base_year, f->outturn_to, f->ld.entities,
			      f->ld.nentities, f->ld.li, f->ld.lines->nrows, p) != 0)
		return -1;
	/* when the rules cannot run, the run's own finance rules say why */
	if (!f->cy.failed && computed_forecast_base(&f->cy, f->ld.entities, f->ld.nentities, &f->base) != 0)
		return problem_internal(p);
	f->e = f->ld.entities;
	f->ne = f->ld.nentities;
	scenario_project(&f->sc.s, f->base_year, f->e, f->ne);
	scenario_apply_models(&f->sc.s, f->e, f->ne);
	return 0;
}

/* ---- checks: the entities asked for, their budgets, their models ---- */

static int fl_select(struct fl *f, struct problem *p)
{
	const cJSON *req = f->v[FF_ENTITIES].present && !f->v[FF_ENTITIES].is_null ? f->v[FF_ENTITIES].item : NULL;
	const struct plugins *ps = f->ap.plugins;
	char missing[400] = "", field[32], y[8];
	size_t o = 0, nmissing = 0;

	for (size_t i = 0; i < f->ne; i++)
		f->e[i].selected = req == NULL || f->e[i].is_central;
	if (req != NULL) {
		size_t idx = 0;
		const cJSON *it;

		cJSON_ArrayForEach(it, req) {
			size_t i = 0;

			snprintf(field, sizeof(field), "/entities/%zu", idx++);
			while (i < f->ne && strcmp(f->e[i].urn, it->valuestring) != 0)
				i++;
			if (i == f->ne)
				problem_field(p, field, "no school of the trust has this URN");
			else
				f->e[i].selected = 1;
		}
		if (problem_validation_done(p) != 0)
			return -1;
	}
	acyear_format(f->base_year, y, sizeof(y));
	for (size_t i = 0; i < f->ne; i++) {
		const struct forecast_entity_in *e = &f->e[i];

		if (!e->selected || e->budget_status != NULL)
			continue;
		if (o < sizeof(missing))
			o += (size_t)snprintf(missing + o, sizeof(missing) - o, "%s%s", nmissing ? ", " : "", e->urn);
		nmissing++;
	}
	if (nmissing > 0) {
		problem_field(p, "/base_year", "%zu %s no budget for %s: %s", nmissing, nmissing == 1 ? "entity has" :
			      "entities have", y, missing);
		return problem_set(p, 422, "validation", "Validation failed",
				   "every entity forecast needs a budget for the base year %s; none for: %s", y, missing);
	}
	/* each school's finance model must be loaded; the digest records each one used */
	if ((f->plugins = calloc(plugin_count(ps) + 1, sizeof(*f->plugins))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < f->ne; i++) {
		const struct forecast_entity_in *e = &f->e[i];
		const struct plugin *pl;
		size_t j;

		if (!e->selected || e->is_central || e->model == NULL || e->model[0] == '\0')
			continue;
		if ((pl = plugin_find(ps, e->model)) == NULL) {
			problem_field(p, "/entities", "%s: its finance model \"%s\" is not loaded by this daemon", e->urn,
				      e->model);
			continue;
		}
		for (j = 0; j < f->nplugins && strcmp(f->plugins[j].name, plugin_name(pl)) != 0; j++)
			;
		if (j == f->nplugins)
			f->plugins[f->nplugins++] = (struct forecast_plugin_id){ plugin_name(pl), plugin_version(pl),
										   plugin_settings(pl) };
	}
	return problem_validation_done(p) != 0 ? -1 : 0;
}

/* ---- running ---- */

static int64_t fl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int fl_run(struct fl *f, struct problem *p)
{
	enum forecast_error kind = 0;
	char err[600];
	int64_t t0;

	f->rules = (struct forecast_rules){ forecast_plugin_apply, (void *)f->ap.plugins };
	f->in = (struct forecast_input){
		.a = &f->a, .accounts = f->ld.accounts, .naccounts = f->ld.naccounts, .entities = f->e, .nentities = f->ne,
		.have_services = 1, .services = f->svc.items, .nservices = f->svc.n, .contracts = f->cons.items, .ncontracts = f->cons.n, .plugins = f->plugins,
		.nplugins = f->nplugins, .rules = &f->rules, .actions = f->ap.actions, .nactions = f->ap.nactions,
		.staff = f->staff.items, .nstaff = f->staff.n, .staff_basis = f->staff.basis,
	};
	t0 = fl_now_ns();
	if (forecast_run(&f->in, &f->res, &kind, err, sizeof(err)) != 0) {
		if (kind == FORECAST_ERR_NOMEM) {
			log_err("forecasts: %s", err);
			return problem_internal(p);
		}
		return problem_set(p, 422, "validation", "Validation failed", "the forecast cannot be worked out: %s", err);
	}
	f->have_res = 1;
	f->duration_us = (fl_now_ns() - t0) / 1000;
	metrics_forecast(f->r->w->metrics, f->duration_us * 1000);
	return 0;
}

/* ---- the record of the inputs ---- */

static cJSON *fl_counts(const int32_t *v, int n)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a != NULL && i < n; i++)
		if (!cJSON_AddItemToArray(a, v[i] >= 0 ? cJSON_CreateNumber(v[i]) : cJSON_CreateNull())) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int fl_inputs(struct fl *f)
{
	cJSON *o = cJSON_CreateObject(), *sc, *ents, *pl, *x;
	int ok = o != NULL;

	ok = ok && (sc = cJSON_AddObjectToObject(o, "scenario")) != NULL && cJSON_AddNumberToObject(sc, "id", f->sc.id) &&
	     cJSON_AddNumberToObject(sc, "version", f->sc.version) && cJSON_AddStringToObject(sc, "name", f->sc.name) &&
	     (x = scenario_spec_json(&f->sc.s)) != NULL && cJSON_AddItemToObject(sc, "spec", x);
	if (ok && f->outturn_to > 0)
		ok = (x = cJSON_AddObjectToObject(o, "base_from")) != NULL &&
		     cJSON_AddStringToObject(x, "outturn_month", f->outturn_month) != NULL;
	ok = ok && (ents = cJSON_AddArrayToObject(o, "entities")) != NULL;
	for (size_t i = 0; ok && i < f->ne; i++) {
		const struct forecast_entity_in *e = &f->e[i];
		cJSON *eo;

		if (!e->selected)
			continue;
		ok = (eo = cJSON_CreateObject()) != NULL && cJSON_AddItemToArray(ents, eo) &&
		     cJSON_AddStringToObject(eo, "urn", e->urn) && cJSON_AddStringToObject(eo, "model", e->model) &&
		     cJSON_AddStringToObject(eo, "budget_status", e->budget_status) &&
		     (e->has_opening ? cJSON_AddNumberToObject(eo, "opening_reserves_pence", e->opening_pence)
				     : cJSON_AddNullToObject(eo, "opening_reserves_pence")) != NULL &&
		     (x = fl_counts(e->pupils, f->horizon + 3)) != NULL && cJSON_AddItemToObject(eo, "pupils", x) &&
		     (x = fl_counts(e->places, f->horizon + 3)) != NULL && cJSON_AddItemToObject(eo, "places", x) &&
		     cJSON_AddNumberToObject(eo, "lines", (int)e->nlines);
	}
	ok = ok && (pl = cJSON_AddArrayToObject(o, "plugins")) != NULL;
	for (size_t i = 0; ok && i < f->nplugins; i++) {
		const struct bursar_settings *s = f->plugins[i].settings;
		cJSON *po, *set;

		ok = (po = cJSON_CreateObject()) != NULL && cJSON_AddItemToArray(pl, po) &&
		     cJSON_AddStringToObject(po, "name", f->plugins[i].name) &&
		     cJSON_AddStringToObject(po, "version", f->plugins[i].version) &&
		     (set = cJSON_AddObjectToObject(po, "settings")) != NULL;
		for (size_t j = 0; ok && s != NULL && j < s->n; j++)
			ok = cJSON_AddStringToObject(set, s->items[j].key, s->items[j].value) != NULL;
	}
	ok = ok && (x = cJSON_AddObjectToObject(o, "services")) != NULL &&
	     cJSON_AddNumberToObject(x, "services", (int)f->svc.nservices) &&
	     cJSON_AddNumberToObject(x, "costs", (int)f->svc.n) && cJSON_AddNumberToObject(o, "contracts", (int)f->cons.n);
	if (ok)
		f->inputs_text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return f->inputs_text != NULL ? 0 : -1;
}

/* ---- saving ---- */

/* A db_txn function: the run saved with its audit row (store_forecasts_save). */
static int fl_save_txn(struct db *db, void *arg, struct problem *p)
{
	struct fl *f = arg;
	struct audit_actor who = api_actor(f->r);

	return store_forecasts_save(db, &who, &f->run, &f->run_id, p);
}

/* ---- the handler ---- */

/* The run's label: the one given, or the scenario's name (cut to 89 bytes at a
 * character) and the run's date, "expected 2026-11-20". */
static void fl_label(struct fl *f)
{
	char day[12];
	size_t n = strlen(f->sc.name);

	if (f->v[FF_LABEL].present) {
		snprintf(f->label, sizeof(f->label), "%s", f->v[FF_LABEL].s);
		return;
	}
	if (n > 89) {
		n = 89;
		while (n > 0 && ((unsigned char)f->sc.name[n] & 0xC0) == 0x80)
			n--;
	}
	date_format(api_today(f->r), day, sizeof(day));
	snprintf(f->label, sizeof(f->label), "%.*s %s", (int)n, f->sc.name, day);
}

static int fl_body(struct fl *f, cJSON **in, struct problem *p)
{
	const cJSON *it;
	size_t idx = 0;

	if ((*in = http_read_json(f->r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", cJSON_IsString(cJSON_GetObjectItemCaseSensitive(*in, "scenario")) ? forecast_fields_named
			       : forecast_fields, FF__N, f->v, p);
	if (f->v[FF_ENTITIES].present && cJSON_IsArray(f->v[FF_ENTITIES].item)) {
		if (cJSON_GetArraySize(f->v[FF_ENTITIES].item) > FL_MAX_ENTITIES)
			problem_field(p, "/entities", "at most %d entities", FL_MAX_ENTITIES);
		cJSON_ArrayForEach(it, f->v[FF_ENTITIES].item) {
			char field[32];
			const cJSON *o;
			size_t j = 0;

			snprintf(field, sizeof(field), "/entities/%zu", idx);
			if (!cJSON_IsString(it) || !api_urn_valid(it->valuestring)) {
				problem_field(p, field, "must be a school's six-digit URN or \"central\"");
			} else {
				cJSON_ArrayForEach(o, f->v[FF_ENTITIES].item) {
					if (j++ >= idx)
						break;
					if (cJSON_IsString(o) && strcmp(o->valuestring, it->valuestring) == 0) {
						problem_field(p, field, "is in the list twice");
						break;
					}
				}
			}
			idx++;
		}
	}
	return problem_validation_done(p);
}

int api_forecast_create(struct req *r, struct problem *p)
{
	struct fl f = { .r = r };
	cJSON *in = NULL, *out = NULL;
	char loc[64];
	int rc = -1, got, lines = 0;
	int64_t sid;

	if (http_query_allow(r, (const char *const[]){ "lines", NULL }, p) != 0)
		goto out;
	if (run_view_lines_param(r, 0, &lines, p) != 0) {
		problem_validation_done(p);
		goto out;
	}
	if (fl_body(&f, &in, p) != 0)
		goto out;
	if (f.v[FF_SCENARIO].s != NULL) {
		/* by name: a live scenario's */
		if ((got = store_forecasts_scenario_by_name(r->db, f.v[FF_SCENARIO].s, &sid, p)) < 0)
			goto out;
		if (got == 0) {
			problem_field(p, "/scenario", "no scenario with this name");
			problem_validation_done(p);
			goto out;
		}
	} else {
		sid = f.v[FF_SCENARIO].i;
	}
	if ((got = store_scenario_load(r->db, sid, &f.sc, p)) < 0)
		goto out;
	if (got == 1) {
		problem_field(p, "/scenario", f.v[FF_SCENARIO].s != NULL ? "no scenario with this name"
								       : "no scenario with this id");
		problem_validation_done(p);
		goto out;
	}
	fl_label(&f);
	f.base_year = f.v[FF_BASE].present ? (int)f.v[FF_BASE].i : f.sc.base_year;
	f.horizon = f.v[FF_HORIZON].present ? (int)f.v[FF_HORIZON].i : f.sc.horizon;
	if (fl_base_from(&f, p) != 0)
		goto out;
	scenario_resolve(&f.sc.s, f.base_year, f.horizon, &f.a);
	if (scenario_apply_begin(r->w->plugins, &f.sc.s, &f.ap, p) != 0)
		goto out;
	if (f.v[FF_ENTITIES].present && !f.v[FF_ENTITIES].is_null &&
	    (f.entities_text = cJSON_PrintUnformatted(f.v[FF_ENTITIES].item)) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (fl_load(&f, p) != 0 || fl_select(&f, p) != 0 || run_services_load(r, &f.a, &f.svc, p) != 0 ||
	    run_staff_load(&f.cy.staff, &f.sc.s, &f.a, &f.staff, p) != 0 || fl_run(&f, p) != 0)
		goto out;
	if (fl_inputs(&f) != 0 || run_staff_measures(&f.staff, &f.res, &f.staffing) != 0) {
		problem_internal(p);
		goto out;
	}
	f.run = (struct store_forecast_run){ .scenario_id = f.sc.id, .scenario_version = f.sc.version,
					     .scenario_name = f.sc.name, .label = f.label,
					     .notes = f.v[FF_NOTES].present ? f.v[FF_NOTES].s : "", .base_year = f.base_year, .horizon = f.horizon,
					     .entities_text = f.entities_text, .inputs_text = f.inputs_text, .res = &f.res,
					     .duration_us = f.duration_us, .staffing = f.staffing };
	if (api_txn(r, fl_save_txn, &f, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/forecasts/%lld", (long long)f.run_id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	/* the summary from memory; every line read back as GET renders it (a large
	 * trust's lines are not held as one tree) */
	if (lines) {
		rc = run_reply_all(r, 201, f.run_id, p);
		goto out;
	}
	if ((out = run_view_saved(r, &f.run, f.run_id, p)) == NULL)
		goto out;
	rc = http_reply_json(r, 201, out, NULL);
out:
	cJSON_Delete(out);
	cJSON_Delete(in);
	fl_free(&f);
	return rc;
}
