/*
 * api_payscales.c - the pay scales (store_payscales.h; DESIGN.md "Staffing",
 * issue 16): GET|POST /api/v1/pay-scales, GET|PUT /api/v1/pay-scales/{name}.
 * Every finance role reads; the finance director writes (audited, versioned,
 * If-Match; a POST honours Idempotency-Key). A PUT replaces the title and the
 * points of each year it gives; other years stay. The CSV/XLSX export and import
 * are in api_payscales_io.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "staff_input.h"
#include "store_payscales.h"

int api_payscales_list(struct req *r, struct problem *p)
{
	cJSON *items;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (items = store_payscales_list(r->db, p)) == NULL)
		return -1;
	return api_reply_list(r, items, NULL, p);
}

/* The {name} of the path: 404 when it cannot name a scale. */
static const char *payscale_path_name(struct req *r, struct problem *p)
{
	const char *name = http_param(r, "name");

	if (name == NULL || staff_input_scale_name(name) != NULL) {
		problem_not_found(p, "no pay scale named %s (names are 1 to 40 of a-z, 0-9 and _)",
				  name != NULL ? name : "");
		return NULL;
	}
	return name;
}

int api_payscale_get(struct req *r, struct problem *p)
{
	const char *name, *y = http_query(r, "year");
	int64_t version;
	int year = 0, rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0)
		return -1;
	if (y != NULL && acyear_parse(y, &year) != 0)
		problem_field(p, "query:year", "must be an academic year written like 2026-27");
	if (problem_validation_done(p) != 0 || (name = payscale_path_name(r, p)) == NULL ||
	    (o = store_payscale_get(r->db, name, year, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

static const char *const scale_kinds[] = { "teacher", "support", NULL };
static const char *const scale_areas[] = { "england", "fringe", "outer_london", "inner_london", NULL };

enum { SF_NAME, SF_TITLE, SF_KIND, SF_AREA, SF_POINTS, SF_YEARS, SF_VERSION, SF_CREATED, SF_UPDATED, SF__N };

static const struct jv_field scale_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_ANY_START, 1, 40, NULL, staff_input_scale_name },
	[SF_TITLE] = { "title", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, 120, NULL, NULL },
	[SF_KIND] = { "kind", JV_STRING, 0, 1, 10, scale_kinds, NULL },
	[SF_AREA] = { "area", JV_STRING, JV_NULLABLE, 1, 20, scale_areas, NULL },
	[SF_POINTS] = { "points", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL },
	[SF_YEARS] = { "years", JV_ARRAY, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

enum { PTF_YEAR, PTF_POINT, PTF_ORD, PTF_ANNUAL, PTF__N };

static const struct jv_field point_fields[PTF__N] = {
	[PTF_YEAR] = { "year", JV_ACYEAR, JV_REQUIRED, 0, 0, NULL, NULL },
	[PTF_POINT] = { "point", JV_STRING, JV_REQUIRED | JV_ANY_START, 1, 8, NULL, staff_input_point },
	[PTF_ORD] = { "ord", JV_INT, JV_REQUIRED, 1, 999, NULL, NULL },
	[PTF_ANNUAL] = { "annual_pence", JV_INT, JV_REQUIRED, 0, STAFF_INPUT_ANNUAL_MAX, NULL, NULL },
};

struct scale_write {
	struct req *r;
	const char *name;                        /* the path's (PUT) */
	int64_t want_version;
	struct payscale_in in;
	struct staff_point_in *points;
	cJSON *after;
};

static int scale_body(struct req *r, struct scale_write *sw, int create, cJSON **in, struct problem *p)
{
	struct jv_value v[SF__N];
	const cJSON *it, *arr;
	size_t n = 0, i = 0;

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", scale_fields, SF__N, v, p);
	if (create && !v[SF_NAME].present)
		problem_field(p, "/name", "is required");
	if (create && !v[SF_KIND].present)
		problem_field(p, "/kind", "is required");
	if (!create && v[SF_NAME].present && v[SF_NAME].s != NULL && strcmp(v[SF_NAME].s, sw->name) != 0)
		problem_field(p, "/name", "does not match the name in the path (a scale cannot be renamed)");
	if (v[SF_KIND].present && v[SF_KIND].s != NULL && strcmp(v[SF_KIND].s, "support") == 0 &&
	    v[SF_AREA].present && !v[SF_AREA].is_null)
		problem_field(p, "/area", "a support scale has no pay area: leave it out or null");
	if (cJSON_IsArray(v[SF_POINTS].item))
		n = (size_t)cJSON_GetArraySize(v[SF_POINTS].item);
	if (n > STAFF_INPUT_POINTS_MAX)
		problem_field(p, "/points", "must have at most %d points", STAFF_INPUT_POINTS_MAX);
	else if (n > 0 && (sw->points = calloc(n, sizeof(*sw->points))) == NULL)
		return problem_internal(p);
	arr = n <= STAFF_INPUT_POINTS_MAX ? v[SF_POINTS].item : NULL;
	cJSON_ArrayForEach(it, arr) {
		struct jv_value pv[PTF__N];
		char ptr[48];

		snprintf(ptr, sizeof(ptr), "/points/%zu", i);
		if (jsonv_object(it, ptr, point_fields, PTF__N, pv, p) == 0)
			sw->points[i] = (struct staff_point_in){ .year = (int)pv[PTF_YEAR].i, .point = pv[PTF_POINT].s,
				.ord = (int32_t)pv[PTF_ORD].i, .annual_pence = pv[PTF_ANNUAL].i };
		i++;
	}
	if (problem_validation_done(p) != 0)
		return -1;
	staff_input_points_unique(sw->points, n, "/points/", NULL, p);
	if (problem_validation_done(p) != 0)
		return -1;
	sw->in = (struct payscale_in){
		.name = create ? v[SF_NAME].s : sw->name, .title = v[SF_TITLE].s,
		.kind = v[SF_KIND].present ? v[SF_KIND].s : NULL,
		.area = v[SF_AREA].present && !v[SF_AREA].is_null ? v[SF_AREA].s : NULL,
		.points = sw->points, .npoints = n,
	};
	return 0;
}

static int scale_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct scale_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	cJSON_Delete(sw->after);
	sw->after = NULL;
	return store_payscale_create(db, &who, &sw->in, &sw->after, p);
}

static int scale_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct scale_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	int64_t version;
	char kind[8];
	int rc;

	cJSON_Delete(sw->after);
	sw->after = NULL;
	if ((rc = store_payscale_kind(db, sw->name, 1, kind, &version, p)) < 0)
		return -1;
	if (rc == 0)
		return problem_not_found(p, "no pay scale named %s", sw->name);
	if (sw->in.kind != NULL && strcmp(sw->in.kind, kind) != 0) {
		problem_field(p, "/kind", "is %s: a scale's kind cannot change", kind);
		return problem_validation_done(p);
	}
	return store_payscale_update(db, &who, sw->name, sw->want_version, &sw->in, &sw->after, p);
}

int api_payscale_create(struct req *r, struct problem *p)
{
	struct scale_write sw = { .r = r };
	cJSON *in = NULL;
	char loc[96];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || scale_body(r, &sw, 1, &in, p) != 0 ||
	    api_txn(r, scale_create_txn, &sw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/pay-scales/%s", sw.in.name);
	rc = api_reply_versioned(r, 201, sw.after, loc);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	free(sw.points);
	return rc;
}

int api_payscale_put(struct req *r, struct problem *p)
{
	struct scale_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (sw.name = payscale_path_name(r, p)) == NULL || http_if_match(r, &sw.want_version, p) != 0 ||
	    scale_body(r, &sw, 0, &in, p) != 0 || api_txn(r, scale_put_txn, &sw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, sw.after, NULL);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	free(sw.points);
	return rc;
}
