/* api_scenarios.c - forecast scenarios: named, versioned assumptions per year
 * (scenario.c) with pupil and place projections, and what-ifs for their runs
 * only (finance-model and plugin-setting overrides, management actions). The
 * finance director writes; the finance director and auditors read. A what-if in
 * one call: POST with "copy_from" (scenario_merge). A deleted scenario stays as
 * a tombstone: the runs made with it keep their link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "scenario_apply.h"
#include "store_scenarios.h"
#include "worker.h"

int api_scenarios_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "base_year", NULL };
	const char *by = http_query(r, "base_year");
	struct db_rows *rows = NULL;
	struct page pg;
	int year = 0, rc;

	if (by != NULL && acyear_parse(by, &year) != 0)
		problem_field(p, "query:base_year", "must be an academic year written like 2026-27");
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0 ||
	    store_scenarios_list(r->db, &pg, by != NULL, year, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, store_scenario_summary, p);
	db_rows_free(rows);
	return rc;
}

int api_scenario_get(struct req *r, struct problem *p)
{
	int64_t id, version;
	int rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "scenario", &id, p) != 0 ||
	    (o = store_scenario_get(r->db, id, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

enum { SF_NAME, SF_DESC, SF_BASE, SF_HORIZON, SF_ASSUME, SF_PUPILS, SF_PLACES, SF_OVERRIDES, SF_ACTIONS, SF_COPY,
       SF_ID, SF_VERSION, SF_CREATED, SF_UPDATED, SF__N };

static const struct jv_field scenario_body_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED | JV_LINES | JV_NO_FORMULA, 1, 100, NULL, NULL },
	[SF_DESC] = { "description", JV_STRING, JV_LINES | JV_NO_FORMULA, 0, 1000, NULL, NULL },
	[SF_BASE] = { "base_year", JV_ACYEAR, JV_REQUIRED, 0, 0, NULL, NULL },
	[SF_HORIZON] = { "horizon", JV_INT, 0, 1, FORECAST_MAX_HORIZON, NULL, NULL },
	[SF_ASSUME] = { "assumptions", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_PUPILS] = { "pupils", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_PLACES] = { "places", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_OVERRIDES] = { "overrides", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_ACTIONS] = { "actions", JV_ARRAY, 0, 0, 0, NULL, NULL },
	[SF_COPY] = { "copy_from", JV_INT, 0, 1, UINT32_MAX, NULL, NULL },   /* POST only: scenario_copy */
	[SF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct scenario_write {
	struct req *r;
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	struct jv_value v[SF__N];
	struct scenario s;
	char *spec;                              /* the normalised spec, as stored */
	cJSON *after;
};

/* Every URN of the projections must be a school of the trust. */
static int scenario_check_schools(struct req *r, const struct scenario *s, struct problem *p)
{
	struct db_rows *rows = NULL;
	const struct { const char *what; const struct scenario_school *list; size_t n; } sets[] = {
		{ "/pupils", s->pupils, s->npupils }, { "/places", s->places, s->nplaces },
	};

	if (s->npupils + s->nplaces == 0)
		return 0;
	if (store_scenarios_school_urns(r->db, &rows, p) != 0)
		return -1;
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < sets[k].n; i++) {
			size_t j = 0;

			while (j < rows->nrows && strcmp(db_cell(rows, j, 0), sets[k].list[i].urn) != 0)
				j++;
			if (j == rows->nrows) {
				char f[32];

				snprintf(f, sizeof(f), "%s/%s", sets[k].what, sets[k].list[i].urn);
				problem_field(p, f, "no school of the trust has this URN");
			}
		}
	db_rows_free(rows);
	return 0;
}

static int scenario_urn_known(const struct db_rows *rows, const char *urn)
{
	for (size_t j = 0; j < rows->nrows; j++)
		if (strcmp(db_cell(rows, j, 0), urn) == 0)
			return 1;
	return 0;
}

/* The what-ifs against the trust: each overridden school is one and its model a
 * loaded plugin; each plugin's settings pass its init; each action's entity is a
 * school or the central team and its code an account of the chart in use, not an
 * internal one. */
static int scenario_check_whatif(struct req *r, const struct scenario *s, struct problem *p)
{
	const struct plugins *ps = r->w->plugins;
	struct db_rows *urns = NULL, *acc = NULL;
	char f[160];
	size_t o;

	if (s->nmodels + s->nactions + s->nstaff_by_post > 0 && store_scenarios_school_urns(r->db, &urns, p) != 0)
		return -1;
	for (size_t i = 0; i < s->nstaff_by_post; i++) {
		o = (size_t)snprintf(f, sizeof(f), "/overrides/staff_by_post");
		jsonv_ptr_append(f, sizeof(f), o, s->staff_by_post[i].urn);
		if (strcmp(s->staff_by_post[i].urn, "central") != 0 && !scenario_urn_known(urns, s->staff_by_post[i].urn))
			problem_field(p, f, "no school of the trust has this URN");
	}
	for (size_t i = 0; i < s->nmodels; i++) {
		o = (size_t)snprintf(f, sizeof(f), "/overrides/finance_model");
		jsonv_ptr_append(f, sizeof(f), o, s->models[i].urn);
		if (!scenario_urn_known(urns, s->models[i].urn))
			problem_field(p, f, "no school of the trust has this URN");
		else if (plugin_find(ps, s->models[i].model) == NULL)
			problem_field(p, f, "\"%s\" is not a finance-rules plugin this daemon has loaded", s->models[i].model);
	}
	if (s->nactions > 0 && store_scenarios_accounts(r->db, &acc, p) != 0) {
		db_rows_free(urns);
		return -1;
	}
	for (size_t i = 0; i < s->nactions; i++) {
		const struct scenario_action *a = &s->actions[i];
		const char *code = a->type == SCENARIO_ACTION_POST_START ? a->post->code : a->code;
		size_t j = 0;

		if (strcmp(a->urn, "central") != 0 && !scenario_urn_known(urns, a->urn)) {
			snprintf(f, sizeof(f), "/actions/%zu/entity", i);
			problem_field(p, f, "no school of the trust has this URN");
		}
		/* a post's reference, scale and point are the run's check: posts change after the scenario is saved */
		if (a->type == SCENARIO_ACTION_POST_END || a->type == SCENARIO_ACTION_POST_FTE)
			continue;
		while (j < acc->nrows && strcmp(db_cell(acc, j, 0), code) != 0)
			j++;
		snprintf(f, sizeof(f), a->type == SCENARIO_ACTION_POST_START ? "/actions/%zu/post/account_code"
									   : "/actions/%zu/account_code", i);
		if (j == acc->nrows)
			problem_field(p, f, "no account of the chart has this code");
		else if (strcmp(db_cell(acc, j, 1), "0") != 0)
			problem_field(p, f, "is an internal code: the finance rules post those, an action cannot");
		else if (strcmp(db_cell(acc, j, 2), "0") == 0)
			problem_field(p, f, "is an account no longer in use");
	}
	db_rows_free(urns);
	db_rows_free(acc);
	return scenario_apply_check(ps, s, p) < 0 ? -1 : 0;
}

/* POST {"copy_from": id, ...}: *in becomes the source merged with the body
 * (scenario_merge). A source that is not a live scenario is a 422 at /copy_from. */
static int scenario_copy(struct req *r, cJSON **in, struct problem *p)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(*in, "copy_from");
	cJSON *src, *merged;
	int64_t id, version;

	if (c == NULL)
		return 0;
	if (jsonv_int(c, &id) != 0 || id < 1 || id > UINT32_MAX)
		return 0;                        /* the body's own check says why */
	if ((src = store_scenario_get(r->db, id, &version, p)) == NULL) {
		if (p->status != 404)
			return -1;
		problem_reset(p);
		problem_field(p, "/copy_from", "no scenario with this id");
		return problem_validation_done(p);
	}
	merged = scenario_merge(src, *in);
	cJSON_Delete(src);
	if (merged == NULL)
		return problem_internal(p);
	cJSON_Delete(*in);
	*in = merged;
	return 0;
}

static int scenario_body(struct req *r, struct scenario_write *sw, cJSON **in, struct problem *p)
{
	cJSON *spec;
	int base;

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	if (sw->id == 0 && scenario_copy(r, in, p) != 0)
		return -1;
	jsonv_object(*in, "", scenario_body_fields, SF__N, sw->v, p);
	if (sw->id != 0 && sw->v[SF_COPY].present)
		problem_field(p, "/copy_from", "only when creating a scenario (POST /api/v1/scenarios)");
	if (sw->id != 0 && sw->v[SF_ID].item != NULL) {
		int64_t bid;

		if (jsonv_int(sw->v[SF_ID].item, &bid) != 0 || bid != sw->id)
			problem_field(p, "/id", "does not match the id in the path");
	}
	/* the assumptions are checked against the base year, when it is one */
	if (sw->v[SF_BASE].present && cJSON_IsString(sw->v[SF_BASE].item) &&
	    acyear_parse(sw->v[SF_BASE].item->valuestring, &base) == 0) {
		scenario_parse(cJSON_IsObject(sw->v[SF_ASSUME].item) ? sw->v[SF_ASSUME].item : NULL,
			       cJSON_IsObject(sw->v[SF_PUPILS].item) ? sw->v[SF_PUPILS].item : NULL,
			       cJSON_IsObject(sw->v[SF_PLACES].item) ? sw->v[SF_PLACES].item : NULL, base, &sw->s, p);
		scenario_parse_whatif(cJSON_IsObject(sw->v[SF_OVERRIDES].item) ? sw->v[SF_OVERRIDES].item : NULL,
				      cJSON_IsArray(sw->v[SF_ACTIONS].item) ? sw->v[SF_ACTIONS].item : NULL, &sw->s, p);
		if (p->nerrors == 0 && (scenario_check_schools(r, &sw->s, p) != 0 || scenario_check_whatif(r, &sw->s, p) != 0))
			return -1;
	}
	if (problem_validation_done(p) != 0)
		return -1;
	if ((spec = scenario_spec_json(&sw->s)) == NULL || (sw->spec = cJSON_PrintUnformatted(spec)) == NULL) {
		cJSON_Delete(spec);
		return problem_internal(p);
	}
	cJSON_Delete(spec);
	return 0;
}

static struct scenario_in scenario_in(const struct scenario_write *sw)
{
	return (struct scenario_in){
		.name = sw->v[SF_NAME].s, .description = sw->v[SF_DESC].present ? sw->v[SF_DESC].s : NULL,
		.base_year = (int)sw->v[SF_BASE].i, .horizon = sw->v[SF_HORIZON].present ? (int)sw->v[SF_HORIZON].i : 3,
		.spec = sw->spec,
	};
}

/* The transactions (re-run whole on a deadlock: the after-image of a failed try goes). */
static int scenario_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct scenario_in in = scenario_in(sw);

	cJSON_Delete(sw->after);
	sw->after = NULL;
	return store_scenario_create(db, &who, &in, &sw->id, &sw->after, p);
}

static int scenario_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct scenario_in in = scenario_in(sw);

	cJSON_Delete(sw->after);
	sw->after = NULL;
	return store_scenario_update(db, &who, sw->id, sw->want_version, &in, &sw->after, p);
}

static int scenario_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	return store_scenario_delete(db, &who, sw->id, sw->want_version, p);
}

static int scenario_reply(struct req *r, int status, struct scenario_write *sw)
{
	char loc[64];

	snprintf(loc, sizeof(loc), "/api/v1/scenarios/%lld", (long long)sw->id);
	return api_reply_versioned(r, status, sw->after, status == 201 ? loc : NULL);
}

static void scenario_write_free(struct scenario_write *sw, cJSON *in)
{
	scenario_free(&sw->s);
	cJSON_free(sw->spec);
	cJSON_Delete(sw->after);
	cJSON_Delete(in);
}

int api_scenario_create(struct req *r, struct problem *p)
{
	struct scenario_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || scenario_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, scenario_post_txn, &sw, p) != 0)
		goto out;
	rc = scenario_reply(r, 201, &sw);
out:
	scenario_write_free(&sw, in);
	return rc;
}

int api_scenario_put(struct req *r, struct problem *p)
{
	struct scenario_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "scenario", &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || scenario_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, scenario_put_txn, &sw, p) != 0)
		goto out;
	rc = scenario_reply(r, 200, &sw);
out:
	scenario_write_free(&sw, in);
	return rc;
}

int api_scenario_delete(struct req *r, struct problem *p)
{
	struct scenario_write sw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "scenario", &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || api_txn(r, scenario_delete_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
