/* api_forecasts_head.c - what every reading of a saved run shares: the caller's
 * scope, whether the caller may see the run (drafts: the finance director and
 * auditors only; a business manager a published run with one of her schools),
 * its head as every reply renders it, and an entity's name; see api_forecasts.h. */
#include "api_forecasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "store_schools.h"

/* ---- scope ---- */

int api_forecasts_scope(struct req *r, struct api_forecasts_scope *s, struct problem *p)
{
	struct db_rows *rows = NULL;
	size_t c[1];

	memset(s, 0, sizeof(*s));
	if (r->id.role != ROLE_BUSINESS_MANAGER) {
		s->all = 1;
		return 0;
	}
	/* her schools, a token's or a person's alike (the identity holds their ids) */
	if (r->id.nschools == 0)
		return 0;
	if (store_schools_named(r->db, r->id.schools, r->id.nschools, &rows, p) != 0)
		return -1;
	if (db_columns(rows, (const char *const[]){ "urn" }, 1, c, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	if ((s->urns = calloc(rows->nrows + 1, sizeof(*s->urns))) == NULL) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++)
		snprintf(s->urns[s->n++], sizeof(s->urns[0]), "%s", db_cell(rows, i, c[0]));
	db_rows_free(rows);
	return 0;
}

void api_forecasts_scope_free(struct api_forecasts_scope *s)
{
	free(s->urns);
	memset(s, 0, sizeof(*s));
}

int api_forecasts_in_scope(const struct api_forecasts_scope *s, const char *entity)
{
	if (s->all)
		return 1;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->urns[i], entity) == 0)
			return 1;
	return 0;
}

int api_forecasts_shows(const struct api_forecasts_scope *s, const char *entity)
{
	return strcmp(entity, "trust") == 0 ? s->all : api_forecasts_in_scope(s, entity);
}

int api_forecasts_allowed(const struct store_forecast_rows *x, const struct api_forecasts_scope *s, int64_t id,
			  struct problem *p)
{
	const char *status = db_get(x->run, 0, "status");

	if (s->all)
		return 0;
	if (status == NULL || strcmp(status, "published") != 0)
		return problem_forbidden(p, "forecast run %lld is a draft: only the finance director and auditors "
					 "see it until it is published", (long long)id);
	for (size_t i = 0; i < x->years->nrows; i++) {
		const char *e = db_cell(x->years, i, x->ycol[STORE_FY_ENTITY]);

		if (strcmp(e, "trust") != 0 && api_forecasts_in_scope(s, e))
			return 0;
	}
	return problem_forbidden(p, "forecast run %lld has none of your schools", (long long)id);
}

const char *api_forecasts_name(const struct store_forecast_rows *x, const char *entity)
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

cJSON *api_forecasts_head(struct req *r, const struct store_forecast_rows *x, struct problem *p)
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
