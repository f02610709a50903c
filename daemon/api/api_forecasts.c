/* api_forecasts.c - POST /api/v1/forecasts: load the base year's budgets, the
 * census and reserves, the scenario, the contracts and the finance-rule plugins,
 * run the engine (forecast.c), and save the run (api_forecasts_save.c: the
 * digest of its inputs, a record of them, its figures in rows of their own) in
 * one transaction with its audit row. Only the finance director runs forecasts. */
#include "api_forecasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>

#include "api.h"
#include "api_scenarios.h"
#include "contract.h"
#include "date.h"
#include "forecast.h"
#include "forecast_plugin.h"
#include "jsonv.h"
#include "log.h"
#include "metrics.h"
#include "plugin.h"
#include "procure.h"
#include "worker.h"

#define FL_MAX_ENTITIES 2000

enum { FF_SCENARIO, FF_BASE, FF_HORIZON, FF_ENTITIES, FF__N };

static const struct jv_field forecast_fields[FF__N] = {
	[FF_SCENARIO] = { "scenario", JV_INT, JV_REQUIRED, 1, UINT32_MAX, NULL, NULL },
	[FF_BASE] = { "base_year", JV_ACYEAR, 0, 0, 0, NULL, NULL },
	[FF_HORIZON] = { "horizon", JV_INT, 0, 1, FORECAST_MAX_HORIZON, NULL, NULL },
	[FF_ENTITIES] = { "entities", JV_ARRAY, JV_NULLABLE, 0, 0, NULL, NULL },
};

/* Everything a run is built from, and the run. */
struct fl {
	struct req *r;
	struct jv_value v[FF__N];
	struct api_scenario sc;
	struct forecast_assumptions a;
	int base_year, horizon;
	struct db_rows *acc, *ents, *lines, *years, *cons;
	struct forecast_account *accounts;
	struct forecast_entity_in *e;
	int64_t *eid;                            /* schools.id of each entity */
	size_t ne;
	struct forecast_line_in *li;
	struct forecast_contract *contracts;
	size_t ncontracts;
	struct forecast_plugin_id *plugins;
	size_t nplugins;
	struct api_forecasts_services svc;
	struct forecast_rules rules;
	struct forecast_input in;
	struct forecast_result res;
	int have_res;
	int64_t duration_us;
	char *inputs_text, *entities_text;
	struct api_forecasts_saved out;          /* what is saved, and the run's id */
};

static void fl_free(struct fl *f)
{
	api_scenarios_free(&f->sc);
	db_rows_free(f->acc);
	db_rows_free(f->ents);
	db_rows_free(f->lines);
	db_rows_free(f->years);
	db_rows_free(f->cons);
	free(f->accounts);
	free(f->e);
	free(f->eid);
	free(f->li);
	free(f->contracts);
	free(f->plugins);
	api_forecasts_services_free(&f->svc);
	if (f->have_res)
		forecast_result_free(&f->res);
	cJSON_free(f->inputs_text);
	cJSON_free(f->entities_text);
	cJSON_Delete(f->out.after);
}

/* ---- loading ---- */

static const char fl_accounts_sql[] =
	"SELECT code, kind, grp, driver, is_gag, is_teacher, is_support, is_internal FROM accounts ORDER BY id";
static const char fl_entities_sql[] =
	"SELECT s.id, s.urn, s.kind, s.name, s.finance_model, b.status, b.version FROM schools s "
	"LEFT JOIN budgets b ON b.school_id = s.id AND b.year = ?";
enum { FE_ID, FE_URN, FE_KIND, FE_NAME, FE_MODEL, FE_STATUS, FE_VERSION };
static const char fl_lines_sql[] =
	"SELECT b.school_id, a.code, l.description, l.amount_pence, l.driver, l.excluded_from_central "
	"FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN accounts a ON a.id = l.account_id "
	"WHERE b.year = ? ORDER BY b.school_id, l.line_no, l.id";
static const char fl_years_sql[] =
	"SELECT school_id, year, pupils, places, opening_reserves_pence FROM school_years WHERE year BETWEEN ? AND ?";
static const char fl_contracts_sql[] =
	"SELECT " CONTRACT_PEER_COLS ", sc.urn AS _urn FROM contracts c LEFT JOIN schools sc ON sc.id = c.school_id "
	"WHERE c.status = 'active' ORDER BY c.reference";

struct fl_ent_order {
	const char *urn;
	size_t row;
};

static int fl_urn_cmp(const void *x, const void *y)
{
	return strcmp(((const struct fl_ent_order *)x)->urn, ((const struct fl_ent_order *)y)->urn);
}

/* The entity with this schools.id, or -1 (a scan: callers ask once per school, not per line). */
static long fl_by_id(const struct fl *f, int64_t id)
{
	for (size_t i = 0; i < f->ne; i++)
		if (f->eid[i] == id)
			return (long)i;
	return -1;
}

static int fl_load(struct fl *f, struct problem *p)
{
	struct req *r = f->r;
	struct db_param prm[2] = { DBP_I64(f->base_year), DBP_I64(f->base_year) };
	struct fl_ent_order *ord = NULL;
	size_t *count = NULL, *at = NULL;
	long last = -1;
	int64_t last_id = -1;
	int rc = -1;

	if (db_query(r->db, fl_accounts_sql, NULL, 0, &f->acc, p) != 0 ||
	    db_query(r->db, fl_entities_sql, prm, 1, &f->ents, p) != 0 ||
	    db_query(r->db, fl_lines_sql, prm, 1, &f->lines, p) != 0)
		return -1;
	prm[0] = DBP_I64(f->base_year - 2);
	prm[1] = DBP_I64(f->base_year + f->horizon);
	if (db_query(r->db, fl_years_sql, prm, 2, &f->years, p) != 0 ||
	    db_query(r->db, fl_contracts_sql, NULL, 0, &f->cons, p) != 0)
		return -1;
	f->ne = f->ents->nrows;
	if (f->ne > FL_MAX_ENTITIES)
		return problem_set(p, 422, "validation", "Validation failed", "a forecast covers at most %d entities",
				   FL_MAX_ENTITIES);
	if ((f->accounts = calloc(f->acc->nrows + 1, sizeof(*f->accounts))) == NULL ||
	    (f->e = calloc(f->ne + 1, sizeof(*f->e))) == NULL || (f->eid = calloc(f->ne + 1, sizeof(*f->eid))) == NULL ||
	    (ord = calloc(f->ne + 1, sizeof(*ord))) == NULL || (f->li = calloc(f->lines->nrows + 1, sizeof(*f->li))) == NULL ||
	    (count = calloc(f->ne + 1, sizeof(*count))) == NULL || (at = calloc(f->ne + 1, sizeof(*at))) == NULL ||
	    (f->contracts = calloc(f->cons->nrows + 1, sizeof(*f->contracts))) == NULL)
		goto nomem;
	for (size_t i = 0; i < f->acc->nrows; i++) {
		struct forecast_account *a = &f->accounts[i];

		a->code = db_cell(f->acc, i, 0);
		a->is_income = strcmp(db_cell(f->acc, i, 1), "income") == 0;
		a->group = db_cell(f->acc, i, 2);
		a->driver = db_cell(f->acc, i, 3);
		a->is_gag = db_cell_i64(f->acc, i, 4) != 0;
		a->is_teacher = db_cell_i64(f->acc, i, 5) != 0;
		a->is_support = db_cell_i64(f->acc, i, 6) != 0;
		a->is_internal = db_cell_i64(f->acc, i, 7) != 0;
	}
	/* the entities sorted by URN, as the engine wants them */
	for (size_t i = 0; i < f->ne; i++)
		ord[i] = (struct fl_ent_order){ db_cell(f->ents, i, FE_URN), i };
	if (f->ne > 1)
		qsort(ord, f->ne, sizeof(*ord), fl_urn_cmp);
	for (size_t i = 0; i < f->ne; i++) {
		struct forecast_entity_in *e = &f->e[i];
		size_t row = ord[i].row;

		f->eid[i] = db_cell_i64(f->ents, row, FE_ID);
		e->urn = db_cell(f->ents, row, FE_URN);
		e->name = db_cell(f->ents, row, FE_NAME);
		e->model = db_cell(f->ents, row, FE_MODEL);
		e->is_central = strcmp(db_cell(f->ents, row, FE_KIND), "central") == 0;
		e->budget_status = db_cell(f->ents, row, FE_STATUS);   /* NULL: no budget */
		for (int k = 0; k < FORECAST_NC; k++)
			e->pupils[k] = e->places[k] = FORECAST_NO_DATA;
	}
	/* the lines come ordered by school: one slice each */
	for (size_t i = 0; i < f->lines->nrows; i++) {
		int64_t id = db_cell_i64(f->lines, i, 0);

		if (id != last_id) {
			last = fl_by_id(f, id);
			last_id = id;
		}
		if (last >= 0)
			count[last]++;
	}
	for (size_t i = 1; i < f->ne; i++)
		at[i] = at[i - 1] + count[i - 1];
	for (size_t i = 0; i < f->ne; i++)
		f->e[i].lines = f->li + at[i];
	last_id = -1;
	for (size_t i = 0; i < f->lines->nrows; i++) {
		int64_t id = db_cell_i64(f->lines, i, 0);
		struct forecast_entity_in *e;

		if (id != last_id) {
			last = fl_by_id(f, id);
			last_id = id;
		}
		if (last < 0)
			continue;
		e = &f->e[last];
		f->li[at[last] + e->nlines++] = (struct forecast_line_in){
			.code = db_cell(f->lines, i, 1), .description = db_cell(f->lines, i, 2),
			.amount_pence = db_cell_i64(f->lines, i, 3), .driver = db_cell(f->lines, i, 4),
			.excluded = db_cell_i64(f->lines, i, 5) != 0,
		};
	}
	/* census, places and opening reserves; then the scenario's projections over them */
	for (size_t i = 0; i < f->years->nrows; i++) {
		long x = fl_by_id(f, db_cell_i64(f->years, i, 0));
		int y = (int)db_cell_i64(f->years, i, 1), k = y - (f->base_year - 2);

		if (x < 0 || k < 0 || k >= FORECAST_NC)
			continue;
		if (db_cell(f->years, i, 2) != NULL)
			f->e[x].pupils[k] = (int32_t)db_cell_i64(f->years, i, 2);
		if (db_cell(f->years, i, 3) != NULL)
			f->e[x].places[k] = (int32_t)db_cell_i64(f->years, i, 3);
		if (y == f->base_year && db_cell(f->years, i, 4) != NULL) {
			f->e[x].has_opening = 1;
			f->e[x].opening_pence = db_cell_i64(f->years, i, 4);
		}
	}
	for (size_t i = 0; i < f->ne; i++)
		for (int k = 0; k < FORECAST_NC; k++) {
			int32_t v = scenario_projection(f->sc.s.pupils, f->sc.s.npupils, f->e[i].urn, f->base_year - 2 + k);
			int32_t w = scenario_projection(f->sc.s.places, f->sc.s.nplaces, f->e[i].urn, f->base_year - 2 + k);

			if (v != FORECAST_NO_DATA)
				f->e[i].pupils[k] = v;
			if (w != FORECAST_NO_DATA)
				f->e[i].places[k] = w;
		}
	/* active contracts: their last possible end, for the warnings */
	for (size_t i = 0; i < f->cons->nrows; i++) {
		struct procure_terms t;
		struct procure_dates d;
		const char *urn = db_cell(f->cons, i, (size_t)db_col_index(f->cons, "_urn"));

		if (contract_terms_from_row(f->cons, i, &t) != 0) {
			log_warn("forecasts: contract %s: its terms do not parse; left out of the warnings",
				    db_cell(f->cons, i, 1));
			continue;
		}
		procure_dates(&t, &d);
		f->contracts[f->ncontracts++] = (struct forecast_contract){
			.reference = db_cell(f->cons, i, 1), .urn = urn != NULL ? urn : BURSAR_CENTRAL,
			.final_end = d.final_end == PROCURE_NO_DATE ? FORECAST_NO_DATE : d.final_end,
			.auto_renew = t.auto_renew,
		};
	}
	rc = 0;
	goto out;
nomem:
	problem_internal(p);
out:
	free(ord);
	free(count);
	free(at);
	return rc;
}

/* ---- the base year alone, for other handlers (the central services statement) ---- */

int api_forecasts_base_load(struct req *r, int year, struct api_forecasts_base *b, struct problem *p)
{
	struct fl *f = calloc(1, sizeof(*f));

	memset(b, 0, sizeof(*b));
	if (f == NULL)
		return problem_internal(p);
	f->r = r;
	f->base_year = year;
	f->horizon = 1;                          /* census Y0-2 .. Y0+1; no scenario */
	b->priv = f;
	if (fl_load(f, p) != 0) {
		api_forecasts_base_free(b);
		return -1;
	}
	b->accounts = f->accounts;
	b->naccounts = f->acc->nrows;
	b->entities = f->e;
	b->nentities = f->ne;
	return 0;
}

void api_forecasts_base_free(struct api_forecasts_base *b)
{
	if (b->priv != NULL) {
		fl_free(b->priv);
		free(b->priv);
	}
	memset(b, 0, sizeof(*b));
}

/* ---- checks: the entities asked for, their budgets, their models ---- */

static int fl_select(struct fl *f, struct problem *p)
{
	const cJSON *req = f->v[FF_ENTITIES].present && !f->v[FF_ENTITIES].is_null ? f->v[FF_ENTITIES].item : NULL;
	const struct plugins *ps = f->r->w->plugins;
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

	f->rules = (struct forecast_rules){ forecast_plugin_apply, (void *)f->r->w->plugins };
	f->in = (struct forecast_input){
		.a = &f->a, .accounts = f->accounts, .naccounts = f->acc->nrows, .entities = f->e, .nentities = f->ne,
		.have_services = 1, .services = f->svc.items, .nservices = f->svc.n, .contracts = f->contracts, .ncontracts = f->ncontracts, .plugins = f->plugins,
		.nplugins = f->nplugins, .rules = &f->rules,
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
	     cJSON_AddNumberToObject(x, "costs", (int)f->svc.n) && cJSON_AddNumberToObject(o, "contracts", (int)f->ncontracts);
	if (ok)
		f->inputs_text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return f->inputs_text != NULL ? 0 : -1;
}

/* ---- the handler ---- */

static int fl_body(struct fl *f, cJSON **in, struct problem *p)
{
	const cJSON *it;
	size_t idx = 0;

	if ((*in = http_read_json(f->r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", forecast_fields, FF__N, f->v, p);
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

	if (http_query_allow(r, (const char *const[]){ "lines", NULL }, p) != 0)
		goto out;
	if (api_forecasts_lines_param(r, 0, &lines, p) != 0) {
		problem_validation_done(p);
		goto out;
	}
	if (fl_body(&f, &in, p) != 0)
		goto out;
	if ((got = api_scenarios_load(r->db, f.v[FF_SCENARIO].i, &f.sc, p)) < 0)
		goto out;
	if (got == 1) {
		problem_field(p, "/scenario", "no scenario with this id");
		problem_validation_done(p);
		goto out;
	}
	f.base_year = f.v[FF_BASE].present ? (int)f.v[FF_BASE].i : f.sc.base_year;
	f.horizon = f.v[FF_HORIZON].present ? (int)f.v[FF_HORIZON].i : f.sc.horizon;
	scenario_resolve(&f.sc.s, f.base_year, f.horizon, &f.a);
	if (f.v[FF_ENTITIES].present && !f.v[FF_ENTITIES].is_null &&
	    (f.entities_text = cJSON_PrintUnformatted(f.v[FF_ENTITIES].item)) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (fl_load(&f, p) != 0 || fl_select(&f, p) != 0 || api_forecasts_services(r, &f.a, &f.svc, p) != 0 ||
	    fl_run(&f, p) != 0)
		goto out;
	if (fl_inputs(&f) != 0) {
		problem_internal(p);
		goto out;
	}
	f.out = (struct api_forecasts_saved){ .r = r, .sc = &f.sc, .base_year = f.base_year, .horizon = f.horizon,
					      .entities_text = f.entities_text, .inputs_text = f.inputs_text,
					      .res = &f.res, .duration_us = f.duration_us };
	if (api_txn(r, api_forecasts_save_txn, &f.out, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/forecasts/%lld", (long long)f.out.run_id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	/* the summary from memory; every line read back as GET renders it (a large
	 * trust's lines are not held as one tree) */
	if (lines) {
		rc = api_forecasts_reply_run(r, 201, f.out.run_id, p);
		goto out;
	}
	if ((out = api_forecasts_saved_json(&f.out, p)) == NULL)
		goto out;
	rc = http_reply_json(r, 201, out, NULL);
out:
	cJSON_Delete(out);
	cJSON_Delete(in);
	fl_free(&f);
	return rc;
}
