/* api_schools.c - schools (and the central team under the identifier "central")
 * and their per-year data. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "plugin.h"
#include "rcache.h"
#include "store_schools.h"
#include "worker.h"

int api_schools_list(struct req *r, struct problem *p)
{
	struct db_rows *rows = NULL;
	struct page pg;
	int rc;

	/* a school system sees only its own school; everyone else the whole trust */
	if (api_page_query(r, NULL, &pg, p) != 0 ||
	    store_schools_list(r->db, &pg, r->id.role == ROLE_SCHOOL_SYSTEM ? r->id.token_id : 0, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, NULL, p);
	db_rows_free(rows);
	return rc;
}

/* 400 unless the path's URN is six digits or "central". */
static int school_urn_param(const char *urn, struct problem *p)
{
	if (api_urn_valid(urn))
		return 0;
	problem_field(p, "path:urn", "must be a six-digit URN or \"central\"");
	return problem_bad_request(p, "%s is not a URN", urn);
}

/* The hot read school systems poll: served from the worker's response cache. */
int api_school_get(struct req *r, struct problem *p)
{
	const struct rcache_entry *e;
	const char *urn = http_param(r, "urn");
	uint32_t id;
	int64_t version;
	char etag[32], *text = NULL;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if ((e = rcache_get(r->w->rcache, r->path)) == NULL) {
		if (school_urn_param(urn, p) != 0 || (o = store_school_get(r->db, urn, &id, &version, p)) == NULL)
			return -1;
		text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (text == NULL)
			return problem_internal(p);
		http_etag_version(etag, sizeof(etag), version);
		if (rcache_put(r->w->rcache, r->path, text, strlen(text), etag, id) != 0 ||
		    (e = rcache_get(r->w->rcache, r->path)) == NULL) {
			cJSON_free(text);
			return problem_internal(p);
		}
		cJSON_free(text);
	}
	/* business managers read every school; school systems only their own */
	if (!identity_school_allowed(&r->id, (uint32_t)e->aux) && r->id.role != ROLE_BUSINESS_MANAGER)
		return problem_forbidden(p, "your token is not for school %s", urn);
	if (!http_not_modified(r, e->etag))
		http_reply_raw(r, 200, "application/json; charset=utf-8", e->body, e->len, e->etag);
	return 0;
}

static const char *const school_phases[] = { "primary", "infant", "junior", "secondary", "special",
					     "all-through", NULL };

enum { SF_NAME, SF_PHASE, SF_LA, SF_MODEL, SF_AREA, SF_BY_POST, SF_PERIODS, SF_URN, SF_KIND, SF_VERSION, SF_CREATED,
       SF_UPDATED, SF__N };

static const struct jv_field school_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[SF_PHASE] = { "phase", JV_STRING, JV_NULLABLE, 1, 20, school_phases, NULL },
	[SF_LA] = { "local_authority", JV_STRING, 0, 0, 100, NULL, NULL },
	[SF_MODEL] = { "finance_model", JV_STRING, 0, 0, 64, NULL, NULL },
	[SF_AREA] = { "floor_area_m2", JV_INT, JV_NULLABLE, 0, 1000000, NULL, NULL },
	/* issue 16: absent leaves them as they are */
	[SF_BY_POST] = { "staff_by_post", JV_BOOL, 0, 0, 0, NULL, NULL },
	[SF_PERIODS] = { "periods_per_cycle", JV_INT, JV_NULLABLE, 1, 1000, NULL, NULL },
	[SF_URN] = { "urn", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_KIND] = { "kind", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct school_put {
	struct req *r;
	const char *urn;
	struct school_in in;
	int64_t want_version;
	cJSON *after;
};

static int school_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct school_put *sp = arg;
	struct audit_actor who = api_actor(sp->r);

	cJSON_Delete(sp->after);
	sp->after = NULL;
	return store_school_update(db, &who, sp->urn, sp->want_version, &sp->in, &sp->after, p);
}

/* finance_model must name a plugin this daemon loaded at start-up ("" = none). */
static void school_check_model(const struct req *r, const char *model, struct problem *p)
{
	const struct plugins *ps = r->w->plugins;
	char list[256] = "";
	size_t o = 0;

	if (model[0] == '\0' || plugin_find(ps, model) != NULL)
		return;
	for (size_t i = 0; i < plugin_count(ps) && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      plugin_name(plugin_at(ps, i)));
	problem_field(p, "/finance_model", "must be one of the loaded finance models: %s",
		      o ? list : "(none loaded)");
}

int api_school_put(struct req *r, struct problem *p)
{
	struct school_put sp = { .r = r, .urn = http_param(r, "urn") };
	struct jv_value v[SF__N];
	cJSON *in = NULL;
	const char *body_urn;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    http_if_match(r, &sp.want_version, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", school_fields, SF__N, v, p);
	body_urn = v[SF_URN].item != NULL ? cJSON_GetStringValue(v[SF_URN].item) : NULL;
	if (v[SF_URN].item != NULL && (body_urn == NULL || strcmp(body_urn, sp.urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path (a URN cannot be changed)");
	if (v[SF_MODEL].present && v[SF_MODEL].s != NULL)
		school_check_model(r, v[SF_MODEL].s, p);
	/* "central" is the one entity of kind central: the path says which rules apply */
	if (!cJSON_IsObject(in)) {
		/* reported above; nothing else to say about it */
	} else if (strcmp(sp.urn, "central") == 0) {
		if (v[SF_PHASE].present && !v[SF_PHASE].is_null)
			problem_field(p, "/phase", "the central team has no phase: leave it out or null");
		if (v[SF_MODEL].present && v[SF_MODEL].s != NULL && v[SF_MODEL].s[0] != '\0')
			problem_field(p, "/finance_model", "the central team has no finance model");
	} else if (!v[SF_PHASE].present || v[SF_PHASE].is_null) {
		problem_field(p, "/phase", "is required for a school");
	}
	if (problem_validation_done(p) != 0 || school_urn_param(sp.urn, p) != 0)
		goto out;
	sp.in = (struct school_in){
		.name = v[SF_NAME].s,
		.phase = strcmp(sp.urn, "central") == 0 ? NULL : v[SF_PHASE].s,
		.local_authority = v[SF_LA].present ? v[SF_LA].s : NULL,
		.finance_model = v[SF_MODEL].present ? v[SF_MODEL].s : NULL,
		.has_area = v[SF_AREA].present && !v[SF_AREA].is_null, .floor_area_m2 = v[SF_AREA].i,
		.staff_by_post = v[SF_BY_POST].present ? (int)v[SF_BY_POST].i : -1,
		.set_periods = v[SF_PERIODS].present,
		.periods_per_cycle = v[SF_PERIODS].present && !v[SF_PERIODS].is_null ? v[SF_PERIODS].i : 0,
	};
	if (api_txn(r, school_put_txn, &sp, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, sp.after, NULL);
out:
	cJSON_Delete(sp.after);
	cJSON_Delete(in);
	return rc;
}

/* ---- per-year data ---- */

int api_school_years_list(struct req *r, struct problem *p)
{
	uint32_t sid;
	struct db_rows *rows = NULL;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_school_lookup(r, http_param(r, "urn"), &sid, p) != 0)
		return -1;
	if (store_school_years_list(r->db, sid, &rows, p) != 0)
		return -1;
	rc = api_reply_items(r, rows, rows->nrows, store_school_year_json, NULL, p);
	db_rows_free(rows);
	return rc;
}

static int year_param(struct req *r, int *year, struct problem *p)
{
	const char *y = http_param(r, "year");

	if (acyear_parse(y, year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", y);
	}
	return 0;
}

int api_school_year_get(struct req *r, struct problem *p)
{
	uint32_t sid;
	int year;
	int64_t version;
	int rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || year_param(r, &year, p) != 0 ||
	    api_school_lookup(r, http_param(r, "urn"), &sid, p) != 0)
		return -1;
	if ((o = store_school_year_get(r->db, sid, year, &version, p)) == NULL)
		return -1;
	if (cJSON_IsNull(o)) {
		cJSON_Delete(o);
		return problem_not_found(p, "no data for %s in %s", http_param(r, "urn"), http_param(r, "year"));
	}
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

static const char *const reserves_bases[] = { "audited", "estimated", NULL };

enum { YF_PUPILS, YF_PLACES, YF_FTE, YF_RESERVES, YF_BASIS, YF_ACTUAL, YF_YEAR, YF_VERSION,
       YF_CREATED, YF_UPDATED, YF__N };

static const struct jv_field year_fields[YF__N] = {
	[YF_PUPILS] = { "pupils", JV_INT, JV_NULLABLE, 0, 100000, NULL, NULL },
	[YF_PLACES] = { "places", JV_INT, JV_NULLABLE, 0, 10000, NULL, NULL },
	[YF_FTE] = { "fte", JV_HUNDREDTHS, JV_REQUIRED | JV_NULLABLE, 0, 10000000, NULL, NULL },
	[YF_RESERVES] = { "opening_reserves_pence", JV_INT, JV_REQUIRED | JV_NULLABLE, -MONEY_LINE_MAX, MONEY_LINE_MAX,
			  NULL, NULL },
	[YF_BASIS] = { "reserves_basis", JV_STRING, JV_REQUIRED | JV_NULLABLE, 1, 20, reserves_bases, NULL },
	[YF_ACTUAL] = { "actual", JV_BOOL, 0, 0, 0, NULL, NULL },
	[YF_YEAR] = { "year", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[YF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[YF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[YF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct year_put {
	struct req *r;
	uint32_t sid;
	int year;
	int has_if_match;
	int64_t want_version;
	struct school_year_in in;
	cJSON *after;
	int created;
};

static int year_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct year_put *yp = arg;
	struct audit_actor who = api_actor(yp->r);
	char eid[32];

	cJSON_Delete(yp->after);
	yp->after = NULL;
	snprintf(eid, sizeof(eid), "%s/%s", http_param(yp->r, "urn"), http_param(yp->r, "year"));
	return store_school_year_put(db, &who, yp->sid, yp->year, eid, yp->has_if_match, yp->want_version,
				     &yp->in, &yp->after, &yp->created, p);
}

static int year_has(const struct jv_value *v)
{
	return v->present && !v->is_null;
}

int api_school_year_put(struct req *r, struct problem *p)
{
	struct year_put yp = { .r = r };
	struct jv_value v[YF__N];
	const char *urn = http_param(r, "urn");
	cJSON *in = NULL;
	const char *by;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || year_param(r, &yp.year, p) != 0 ||
	    api_school_lookup(r, urn, &yp.sid, p) != 0)
		goto out;
	yp.has_if_match = http_header(r, "If-Match") != NULL;
	if (yp.has_if_match && http_if_match(r, &yp.want_version, p) != 0)
		goto out;
	if ((in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", year_fields, YF__N, v, p);
	by = v[YF_YEAR].item != NULL ? cJSON_GetStringValue(v[YF_YEAR].item) : NULL;
	if (v[YF_YEAR].item != NULL && (by == NULL || strcmp(by, http_param(r, "year")) != 0))
		problem_field(p, "/year", "does not match the year in the path");
	if (strcmp(urn, "central") == 0) {
		if (v[YF_PUPILS].present && !v[YF_PUPILS].is_null)
			problem_field(p, "/pupils", "the central team has no pupils");
		if (v[YF_PLACES].present && !v[YF_PLACES].is_null)
			problem_field(p, "/places", "the central team has no places");
	} else {
		/* a PUT replaces the whole year: what is not known is sent as null, not left out */
		if (!v[YF_PUPILS].present)
			problem_field(p, "/pupils", "is required (null when not known)");
		if (!v[YF_PLACES].present)
			problem_field(p, "/places", "is required (null when not known)");
	}
	if (v[YF_RESERVES].present && !v[YF_RESERVES].is_null && v[YF_BASIS].present && v[YF_BASIS].is_null)
		problem_field(p, "/reserves_basis", "is required with opening_reserves_pence (audited or estimated)");
	if (problem_validation_done(p) != 0)
		goto out;
	yp.in = (struct school_year_in){
		.has_pupils = year_has(&v[YF_PUPILS]), .pupils = v[YF_PUPILS].i,
		.has_places = year_has(&v[YF_PLACES]), .places = v[YF_PLACES].i,
		.has_fte = year_has(&v[YF_FTE]), .fte_hundredths = v[YF_FTE].i,
		.has_reserves = year_has(&v[YF_RESERVES]), .opening_reserves_pence = v[YF_RESERVES].i,
		.reserves_basis = year_has(&v[YF_BASIS]) ? v[YF_BASIS].s : NULL,
		.actual = v[YF_ACTUAL].present ? (int)v[YF_ACTUAL].i : 1,
	};
	if (api_txn(r, year_put_txn, &yp, p) != 0)
		goto out;
	rc = api_reply_versioned(r, yp.created ? 201 : 200, yp.after, NULL);
out:
	cJSON_Delete(yp.after);
	cJSON_Delete(in);
	return rc;
}
