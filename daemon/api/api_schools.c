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
#include "worker.h"

#define SCHOOL_COLS \
	"s.id AS _id, s.urn, s.kind, s.name, s.phase, s.local_authority, s.finance_model, " \
	"s.floor_area_m2, s.version, s.created_at, s.updated_at"

static const char schools_list_sql[] =
	"SELECT " SCHOOL_COLS " FROM schools s WHERE " API_KEYSET_WHERE("s")
	" AND (? = 0 OR s.id IN (SELECT school_id FROM api_token_schools WHERE token_id = ?))"
	" ORDER BY s.updated_at, s.id LIMIT ?";

int api_schools_list(struct req *r, struct problem *p)
{
	struct page pg;
	/* a school system sees only its own school; everyone else the whole trust */
	int restrict_ = r->id.role == ROLE_SCHOOL_SYSTEM;
	struct db_param extra[2] = { DBP_I64(restrict_), DBP_I64(r->id.token_id) };

	if (api_page_query(r, NULL, &pg, p) != 0)
		return -1;
	return api_list_reply(r, schools_list_sql, &pg, extra, 2, p);
}

static const char school_get_sql[] = "SELECT " SCHOOL_COLS " FROM schools s WHERE s.urn = ?";
static const char school_get_lock_sql[] =
	"SELECT " SCHOOL_COLS " FROM schools s WHERE s.urn = ? FOR UPDATE";

/* One school as JSON with its id and version; NULL with the problem set. */
static cJSON *school_load(struct req *r, const char *sql, const char *urn, uint32_t *id,
			  int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_STR(urn);
	struct db_rows *rows = NULL;
	cJSON *o;

	if (!api_urn_valid(urn)) {
		problem_field(p, "path:urn", "must be a six-digit URN or \"central\"");
		problem_bad_request(p, "%s is not a URN", urn);
		return NULL;
	}
	if (db_query(r->db, sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		problem_not_found(p, "no school with URN %s", urn);
		return NULL;
	}
	*id = (uint32_t)db_cell_i64(rows, 0, 0);
	*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	o = db_row_to_json(rows, 0);
	db_rows_free(rows);
	if (o == NULL)
		problem_internal(p);
	return o;
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
		if ((o = school_load(r, school_get_sql, urn, &id, &version, p)) == NULL)
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

enum { SF_NAME, SF_PHASE, SF_LA, SF_MODEL, SF_AREA, SF_URN, SF_KIND, SF_VERSION, SF_CREATED,
       SF_UPDATED, SF__N };

static const struct jv_field school_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[SF_PHASE] = { "phase", JV_STRING, JV_NULLABLE, 1, 20, school_phases, NULL },
	[SF_LA] = { "local_authority", JV_STRING, 0, 0, 100, NULL, NULL },
	[SF_MODEL] = { "finance_model", JV_STRING, 0, 0, 64, NULL, NULL },
	[SF_AREA] = { "floor_area_m2", JV_INT, JV_NULLABLE, 0, 1000000, NULL, NULL },
	[SF_URN] = { "urn", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_KIND] = { "kind", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct school_put {
	struct req *r;
	const char *urn;
	struct jv_value v[SF__N];
	int64_t want_version;
	cJSON *after;
};

static const char school_update_sql[] =
	"UPDATE schools SET name = ?, phase = ?, local_authority = ?, finance_model = ?, "
	"floor_area_m2 = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

static int school_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct school_put *sp = arg;
	struct req *r = sp->r;
	struct audit_actor who = api_actor(r);
	cJSON *before;
	uint32_t id;
	int64_t version;
	const char *kind;
	int central;
	struct db_param prm[7];
	uint64_t affected = 0;
	int rc = -1;

	(void)db;
	if ((before = school_load(r, school_get_lock_sql, sp->urn, &id, &version, p)) == NULL)
		return -1;
	if (version != sp->want_version) {
		problem_stale(p, version, sp->want_version, "school %s", sp->urn);
		goto out;
	}
	kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "kind"));
	central = kind != NULL && strcmp(kind, "central") == 0;
	prm[0] = DBP_STR(sp->v[SF_NAME].s);
	prm[1] = central ? DBP_NULL : DBP_STR(sp->v[SF_PHASE].s);
	prm[2] = DBP_STR(sp->v[SF_LA].present ? sp->v[SF_LA].s : "");
	prm[3] = DBP_STR(sp->v[SF_MODEL].present ? sp->v[SF_MODEL].s : "");
	prm[4] = sp->v[SF_AREA].present && !sp->v[SF_AREA].is_null ? DBP_I64(sp->v[SF_AREA].i) : DBP_NULL;
	prm[5] = DBP_I64(id);
	prm[6] = DBP_I64(version);
	if (db_exec(r->db, school_update_sql, prm, 7, &affected, NULL, p) != 0)
		goto out;
	if (affected != 1) {
		problem_changed(p, "updated", "school %s", sp->urn);
		goto out;
	}
	if ((sp->after = school_load(r, school_get_sql, sp->urn, &id, &version, p)) == NULL ||
	    audit_write(r->db, &who, "update", "school", sp->urn, before, sp->after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(before);
	return rc;
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
	cJSON *in = NULL;
	const char *body_urn;
	char etag[32];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    http_if_match(r, &sp.want_version, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", school_fields, SF__N, sp.v, p);
	body_urn = sp.v[SF_URN].item != NULL ? cJSON_GetStringValue(sp.v[SF_URN].item) : NULL;
	if (sp.v[SF_URN].item != NULL && (body_urn == NULL || strcmp(body_urn, sp.urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path (a URN cannot be changed)");
	if (sp.v[SF_MODEL].present && sp.v[SF_MODEL].s != NULL)
		school_check_model(r, sp.v[SF_MODEL].s, p);
	/* "central" is the one entity of kind central: the path says which rules apply */
	if (!cJSON_IsObject(in)) {
		/* reported above; nothing else to say about it */
	} else if (strcmp(sp.urn, "central") == 0) {
		if (sp.v[SF_PHASE].present && !sp.v[SF_PHASE].is_null)
			problem_field(p, "/phase", "the central team has no phase: leave it out or null");
		if (sp.v[SF_MODEL].present && sp.v[SF_MODEL].s != NULL && sp.v[SF_MODEL].s[0] != '\0')
			problem_field(p, "/finance_model", "the central team has no finance model");
	} else if (!sp.v[SF_PHASE].present || sp.v[SF_PHASE].is_null) {
		problem_field(p, "/phase", "is required for a school");
	}
	if (problem_validation_done(p) != 0)
		goto out;
	if (api_txn(r, school_put_txn, &sp, p) != 0)
		goto out;
	http_etag_version(etag, sizeof(etag),
			  (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sp.after, "version")));
	rc = http_reply_json(r, 200, sp.after, etag);
out:
	cJSON_Delete(sp.after);
	cJSON_Delete(in);
	return rc;
}

/* ---- per-year data ---- */

#define YEAR_COLS \
	"CONCAT(y.year, '-', LPAD((y.year + 1) % 100, 2, '0')) AS year, y.id AS _id, " \
	"y.pupils, y.places, y.fte_hundredths AS _fte, y.opening_reserves_pence, " \
	"y.reserves_basis, y.actual, y.version, y.created_at, y.updated_at"

static const char years_list_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? ORDER BY y.year";
static const char year_get_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? AND y.year = ?";
static const char year_get_lock_sql[] =
	"SELECT " YEAR_COLS " FROM school_years y WHERE y.school_id = ? AND y.year = ? FOR UPDATE";

/* fte is stored in hundredths and shown as a number with two decimals at most. */
static cJSON *year_row_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i);
	int c = db_col_index(rows, "_fte");
	const char *fte = c >= 0 ? db_cell(rows, i, (size_t)c) : NULL;
	cJSON *v;

	if (o == NULL)
		return NULL;
	v = fte != NULL ? cJSON_CreateNumber(db_cell_i64(rows, i, (size_t)c) / 100.0) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "fte", v)) {
		cJSON_Delete(v);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int api_school_years_list(struct req *r, struct problem *p)
{
	uint32_t sid;
	struct db_param prm;
	struct db_rows *rows = NULL;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_school_lookup(r, http_param(r, "urn"), &sid, p) != 0)
		return -1;
	prm = DBP_I64(sid);
	if (db_query(r->db, years_list_sql, &prm, 1, &rows, p) != 0)
		return -1;
	rc = api_reply_items(r, rows, rows->nrows, year_row_json, NULL, p);
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

static cJSON *year_load(struct req *r, const char *sql, uint32_t sid, int year, int64_t *version,
			struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(sid), DBP_I64(year) };
	struct db_rows *rows = NULL;
	cJSON *o;

	*version = 0;
	if (db_query(r->db, sql, prm, 2, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return cJSON_CreateNull();               /* absent: the caller decides */
	}
	*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	o = year_row_json(rows, 0);
	db_rows_free(rows);
	if (o == NULL)
		problem_internal(p);
	return o;
}

int api_school_year_get(struct req *r, struct problem *p)
{
	uint32_t sid;
	int year;
	int64_t version;
	char etag[32];
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || year_param(r, &year, p) != 0 ||
	    api_school_lookup(r, http_param(r, "urn"), &sid, p) != 0)
		return -1;
	if ((o = year_load(r, year_get_sql, sid, year, &version, p)) == NULL)
		return -1;
	if (cJSON_IsNull(o)) {
		cJSON_Delete(o);
		return problem_not_found(p, "no data for %s in %s", http_param(r, "urn"), http_param(r, "year"));
	}
	http_etag_version(etag, sizeof(etag), version);
	if (!http_not_modified(r, etag))
		http_reply_json(r, 200, o, etag);
	cJSON_Delete(o);
	return 0;
}

static const char *const reserves_bases[] = { "audited", "estimated", NULL };

enum { YF_PUPILS, YF_PLACES, YF_FTE, YF_RESERVES, YF_BASIS, YF_ACTUAL, YF_YEAR, YF_VERSION,
       YF_CREATED, YF_UPDATED, YF__N };

static const struct jv_field year_fields[YF__N] = {
	[YF_PUPILS] = { "pupils", JV_INT, JV_NULLABLE, 0, 100000, NULL, NULL },
	[YF_PLACES] = { "places", JV_INT, JV_NULLABLE, 0, 10000, NULL, NULL },
	[YF_FTE] = { "fte", JV_HUNDREDTHS, JV_NULLABLE, 0, 10000000, NULL, NULL },
	[YF_RESERVES] = { "opening_reserves_pence", JV_INT, JV_NULLABLE, -MONEY_LINE_MAX, MONEY_LINE_MAX, NULL, NULL },
	[YF_BASIS] = { "reserves_basis", JV_STRING, JV_NULLABLE, 1, 20, reserves_bases, NULL },
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
	struct jv_value v[YF__N];
	cJSON *after;
	int created;
};

static const char year_insert_sql[] =
	"INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, "
	"opening_reserves_pence, reserves_basis, actual) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char year_update_sql[] =
	"UPDATE school_years SET pupils = ?, places = ?, fte_hundredths = ?, "
	"opening_reserves_pence = ?, reserves_basis = ?, actual = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND version = ?";

static struct db_param year_opt(const struct jv_value *v)
{
	return v->present && !v->is_null ? DBP_I64(v->i) : DBP_NULL;
}

static int year_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct year_put *yp = arg;
	struct req *r = yp->r;
	struct audit_actor who = api_actor(r);
	struct jv_value *v = yp->v;
	int64_t version;
	cJSON *before;
	struct db_param prm[9];
	uint64_t affected = 0;
	char eid[32];
	int rc = -1;

	(void)db;
	if ((before = year_load(r, year_get_lock_sql, yp->sid, yp->year, &version, p)) == NULL)
		return -1;
	yp->created = cJSON_IsNull(before);
	if (!yp->created && !yp->has_if_match) {
		problem_set(p, 428, "precondition-required", "Precondition required",
			    "this year's data exists: send If-Match with the ETag from your last GET");
		goto out;
	}
	if (!yp->created && version != yp->want_version) {
		problem_stale(p, version, yp->want_version, "the data");
		goto out;
	}
	if (yp->created && yp->has_if_match) {
		problem_set(p, 412, "precondition-failed", "Precondition failed",
			    "If-Match was given but there is no data for this year yet");
		goto out;
	}
	prm[0] = year_opt(&v[YF_PUPILS]);
	prm[1] = year_opt(&v[YF_PLACES]);
	prm[2] = year_opt(&v[YF_FTE]);
	prm[3] = year_opt(&v[YF_RESERVES]);
	prm[4] = v[YF_BASIS].present && !v[YF_BASIS].is_null ? DBP_STR(v[YF_BASIS].s) : DBP_NULL;
	prm[5] = DBP_I64(v[YF_ACTUAL].present ? v[YF_ACTUAL].i : 1);
	if (yp->created) {
		struct db_param ins[8] = { DBP_I64(yp->sid), DBP_I64(yp->year), prm[0], prm[1], prm[2],
					   prm[3], prm[4], prm[5] };

		if (db_exec(r->db, year_insert_sql, ins, 8, &affected, NULL, p) != 0)
			goto out;
	} else {
		prm[6] = DBP_I64(yp->sid);
		prm[7] = DBP_I64(yp->year);
		prm[8] = DBP_I64(version);
		if (db_exec(r->db, year_update_sql, prm, 9, &affected, NULL, p) != 0)
			goto out;
	}
	if (affected != 1) {
		problem_changed(p, "updated", "the data");
		goto out;
	}
	if ((yp->after = year_load(r, year_get_sql, yp->sid, yp->year, &version, p)) == NULL)
		goto out;
	snprintf(eid, sizeof(eid), "%s/%s", http_param(r, "urn"), http_param(r, "year"));
	if (audit_write(r->db, &who, yp->created ? "create" : "update", "school_year", eid,
			yp->created ? NULL : before, yp->after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(before);
	return rc;
}

int api_school_year_put(struct req *r, struct problem *p)
{
	struct year_put yp = { .r = r };
	const char *urn = http_param(r, "urn");
	cJSON *in = NULL;
	const char *by;
	char etag[32];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || year_param(r, &yp.year, p) != 0 ||
	    api_school_lookup(r, urn, &yp.sid, p) != 0)
		goto out;
	yp.has_if_match = http_header(r, "If-Match") != NULL;
	if (yp.has_if_match && http_if_match(r, &yp.want_version, p) != 0)
		goto out;
	if ((in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", year_fields, YF__N, yp.v, p);
	by = yp.v[YF_YEAR].item != NULL ? cJSON_GetStringValue(yp.v[YF_YEAR].item) : NULL;
	if (yp.v[YF_YEAR].item != NULL && (by == NULL || strcmp(by, http_param(r, "year")) != 0))
		problem_field(p, "/year", "does not match the year in the path");
	if (strcmp(urn, "central") == 0) {
		if (yp.v[YF_PUPILS].present && !yp.v[YF_PUPILS].is_null)
			problem_field(p, "/pupils", "the central team has no pupils");
		if (yp.v[YF_PLACES].present && !yp.v[YF_PLACES].is_null)
			problem_field(p, "/places", "the central team has no places");
	}
	if (yp.v[YF_RESERVES].present && !yp.v[YF_RESERVES].is_null &&
	    (!yp.v[YF_BASIS].present || yp.v[YF_BASIS].is_null))
		problem_field(p, "/reserves_basis", "is required with opening_reserves_pence (audited or estimated)");
	if (problem_validation_done(p) != 0 || api_txn(r, year_put_txn, &yp, p) != 0)
		goto out;
	http_etag_version(etag, sizeof(etag),
			  (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(yp.after, "version")));
	rc = http_reply_json(r, yp.created ? 201 : 200, yp.after, etag);
out:
	cJSON_Delete(yp.after);
	cJSON_Delete(in);
	return rc;
}
