/* api_scenarios.c - forecast scenarios: named, versioned assumptions per year
 * (scenario.c) with pupil and place projections. The finance director writes;
 * the finance director and auditors read. A deleted scenario stays as a
 * tombstone: the runs made with it keep their link. */
#include "api_scenarios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"

#define SCENARIO_COLS \
	"s.id, s.name, s.description, CONCAT(s.base_year, '-', LPAD((s.base_year + 1) % 100, 2, '0')) AS base_year, " \
	"s.horizon, s.version, s.created_at, s.updated_at, s.spec_json AS _spec, s.base_year AS _base_year, " \
	"s.deleted_at AS _deleted_at"

static const char scenario_get_sql[] =
	"SELECT " SCENARIO_COLS " FROM scenarios s WHERE s.id = ? AND s.deleted_at IS NULL";
static const char scenario_lock_sql[] =
	"SELECT " SCENARIO_COLS " FROM scenarios s WHERE s.id = ? AND s.deleted_at IS NULL FOR UPDATE";

/* An id in the path: a positive integer (400 otherwise). */
static int scenario_id_param(struct req *r, int64_t *id, struct problem *p)
{
	const char *s = http_param(r, "id");
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s < '1' || *s > '9' || *end != '\0' || v <= 0 || v > UINT32_MAX) {
		problem_field(p, "path:id", "must be a scenario id (a positive integer)");
		return problem_bad_request(p, "%s is not a scenario id", s);
	}
	*id = v;
	return 0;
}

/* A row as the representation: its columns and the stored spec's three parts. */
static cJSON *scenario_row_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *spec;
	const char *text = db_cell(rows, i, (size_t)db_col_index(rows, "_spec"));

	if (o == NULL || text == NULL || (spec = cJSON_Parse(text)) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	for (const char *const *k = (const char *const[]){ "assumptions", "pupils", "places", NULL }; *k != NULL; k++) {
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(spec, *k);

		if (v == NULL)
			v = cJSON_CreateObject();
		if (v == NULL || !cJSON_AddItemToObject(o, *k, v)) {
			cJSON_Delete(v);
			cJSON_Delete(spec);
			cJSON_Delete(o);
			return NULL;
		}
	}
	cJSON_Delete(spec);
	return o;
}

void api_scenarios_free(struct api_scenario *sc)
{
	if (sc == NULL)
		return;
	scenario_free(&sc->s);
	cJSON_Delete(sc->json);
	sc->json = NULL;
}

static int scenario_from_rows(const struct db_rows *rows, struct api_scenario *out, struct problem *p)
{
	struct problem sp = { 0 };
	cJSON *o;

	memset(out, 0, sizeof(*out));
	out->id = db_cell_i64(rows, 0, 0);
	out->version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	snprintf(out->name, sizeof(out->name), "%s", db_cell(rows, 0, 1));
	out->base_year = (int)db_cell_i64(rows, 0, (size_t)db_col_index(rows, "_base_year"));
	out->horizon = (int)db_cell_i64(rows, 0, (size_t)db_col_index(rows, "horizon"));
	if ((out->json = scenario_row_json(rows, 0)) == NULL) {
		log_err("scenarios: scenario %lld: its stored assumptions do not parse", (long long)out->id);
		return problem_internal(p);
	}
	o = out->json;
	if (scenario_parse(cJSON_GetObjectItemCaseSensitive(o, "assumptions"), cJSON_GetObjectItemCaseSensitive(o, "pupils"),
			   cJSON_GetObjectItemCaseSensitive(o, "places"), out->base_year, &out->s, &sp) != 0) {
		log_err("scenarios: scenario %lld: its stored assumptions are not valid (%s: %s)", (long long)out->id,
			sp.nerrors ? sp.errors[0].field : "", sp.nerrors ? sp.errors[0].message : "");
		api_scenarios_free(out);
		return problem_internal(p);
	}
	return 0;
}

int api_scenarios_load(struct db *db, int64_t id, struct api_scenario *out, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_query(db, scenario_get_sql, &prm, 1, &rows, p) != 0)
		return -1;
	rc = rows->nrows == 0 ? 1 : scenario_from_rows(rows, out, p);
	db_rows_free(rows);
	return rc;
}

/* ---- reads ---- */

#define SUMMARY_COLS \
	"s.id, s.name, s.description, CONCAT(s.base_year, '-', LPAD((s.base_year + 1) % 100, 2, '0')) AS base_year, " \
	"s.horizon, s.version, s.created_at, s.updated_at, s.deleted_at AS _deleted_at"

/* Tombstones only for a sync (updated_since); the base_year filter. */
static const char scenarios_list_sql[] =
	"SELECT " SUMMARY_COLS " FROM scenarios s WHERE " API_KEYSET_WHERE("s")
	" AND (s.deleted_at IS NULL OR ? = 1) AND (? IS NULL OR s.base_year = ?)"
	" ORDER BY s.updated_at, s.id LIMIT ?";

/* A summary; a deleted one as a tombstone {id, name, deleted, version, updated_at}. */
static cJSON *scenario_summary_json(const struct db_rows *rows, size_t i)
{
	int dc = db_col_index(rows, "_deleted_at");
	int deleted = dc >= 0 && db_cell(rows, i, (size_t)dc) != NULL;
	cJSON *o = db_row_to_json(rows, i);

	if (o == NULL)
		return NULL;
	if (deleted) {
		for (const char *const *k = (const char *const[]){ "description", "base_year", "horizon", "created_at", NULL };
		     *k != NULL; k++)
			cJSON_DeleteItemFromObjectCaseSensitive(o, *k);
	}
	if (cJSON_AddBoolToObject(o, "deleted", deleted) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int api_scenarios_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "base_year", NULL };
	const char *by = http_query(r, "base_year");
	struct page pg;
	struct db_param prm[11];
	struct db_rows *rows = NULL;
	char cursor[64];
	const char *next = NULL;
	size_t n = 0, shown;
	int year = 0, rc;

	if (by != NULL && acyear_parse(by, &year) != 0)
		problem_field(p, "query:base_year", "must be an academic year written like 2026-27");
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0)
		return -1;
	prm[n++] = pg.has_since ? DBP_STR(pg.since_ts) : DBP_NULL;
	prm[n++] = pg.has_since ? DBP_STR(pg.since_ts) : DBP_NULL;
	for (int i = 0; i < 3; i++)
		prm[n++] = pg.has_after ? DBP_STR(pg.after_ts) : DBP_NULL;
	prm[n++] = pg.has_after ? DBP_I64(pg.after_id) : DBP_NULL;
	prm[n++] = DBP_I64(pg.has_since ? 1 : 0);
	prm[n++] = by != NULL ? DBP_I64(year) : DBP_NULL;
	prm[n++] = by != NULL ? DBP_I64(year) : DBP_NULL;
	prm[n++] = DBP_I64(pg.limit + 1);
	if (db_query(r->db, scenarios_list_sql, prm, n, &rows, p) != 0)
		return -1;
	shown = rows->nrows > (size_t)pg.limit ? (size_t)pg.limit : rows->nrows;
	if (rows->nrows > shown &&
	    page_cursor(cursor, sizeof(cursor), db_cell(rows, shown - 1, (size_t)db_col_index(rows, "updated_at")),
			db_cell_i64(rows, shown - 1, 0)) == 0)
		next = cursor;
	rc = api_reply_items(r, rows, shown, scenario_summary_json, next, p);
	db_rows_free(rows);
	return rc;
}

/* One live scenario as JSON and its version; NULL with the problem set (404). */
static cJSON *scenario_load_json(struct db *db, const char *sql, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	cJSON *o;

	if (db_query(db, sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		problem_not_found(p, "no scenario with id %lld", (long long)id);
		return NULL;
	}
	*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	o = scenario_row_json(rows, 0);
	db_rows_free(rows);
	if (o == NULL) {
		log_err("scenarios: scenario %lld: its stored assumptions do not parse", (long long)id);
		problem_internal(p);
	}
	return o;
}

int api_scenario_get(struct req *r, struct problem *p)
{
	int64_t id, version;
	char etag[32];
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || scenario_id_param(r, &id, p) != 0 ||
	    (o = scenario_load_json(r->db, scenario_get_sql, id, &version, p)) == NULL)
		return -1;
	http_etag_version(etag, sizeof(etag), version);
	if (!http_not_modified(r, etag))
		http_reply_json(r, 200, o, etag);
	cJSON_Delete(o);
	return 0;
}

/* ---- writes ---- */

/* A name or description: no control characters, not a spreadsheet formula. */
static const char *scenario_check_text(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
		if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7f)
			return "must not contain control characters";
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		return "must not start with =, +, - or @ (a spreadsheet would run it as a formula)";
	return NULL;
}

enum { SF_NAME, SF_DESC, SF_BASE, SF_HORIZON, SF_ASSUME, SF_PUPILS, SF_PLACES, SF_ID, SF_VERSION, SF_CREATED,
       SF_UPDATED, SF__N };

static const struct jv_field scenario_body_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 100, NULL, scenario_check_text },
	[SF_DESC] = { "description", JV_STRING, 0, 0, 1000, NULL, scenario_check_text },
	[SF_BASE] = { "base_year", JV_ACYEAR, JV_REQUIRED, 0, 0, NULL, NULL },
	[SF_HORIZON] = { "horizon", JV_INT, 0, 1, FORECAST_MAX_HORIZON, NULL, NULL },
	[SF_ASSUME] = { "assumptions", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_PUPILS] = { "pupils", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SF_PLACES] = { "places", JV_OBJECT, 0, 0, 0, NULL, NULL },
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

static const char school_kinds_sql[] = "SELECT urn FROM schools WHERE kind = 'school'";

/* Every URN of the projections must be a school of the trust. */
static int scenario_check_schools(struct req *r, const struct scenario *s, struct problem *p)
{
	struct db_rows *rows = NULL;
	const struct { const char *what; const struct scenario_school *list; size_t n; } sets[] = {
		{ "/pupils", s->pupils, s->npupils }, { "/places", s->places, s->nplaces },
	};

	if (s->npupils + s->nplaces == 0)
		return 0;
	if (db_query(r->db, school_kinds_sql, NULL, 0, &rows, p) != 0)
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

static int scenario_body(struct req *r, struct scenario_write *sw, cJSON **in, struct problem *p)
{
	cJSON *spec;
	int base;

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", scenario_body_fields, SF__N, sw->v, p);
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
		if (p->nerrors == 0 && scenario_check_schools(r, &sw->s, p) != 0)
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

static void scenario_params(const struct scenario_write *sw, struct db_param *prm)
{
	prm[0] = DBP_STR(sw->v[SF_NAME].s);
	prm[1] = DBP_STR(sw->v[SF_DESC].present ? sw->v[SF_DESC].s : "");
	prm[2] = DBP_I64(sw->v[SF_BASE].i);
	prm[3] = DBP_I64(sw->v[SF_HORIZON].present ? sw->v[SF_HORIZON].i : 3);
	prm[4] = DBP_STR(sw->spec);
}

/* Another live scenario has the name. */
static int scenario_dup(struct db *db, struct problem *p)
{
	if (db_errno(db) == DB_ER_DUP_ENTRY) {
		problem_conflict(p, "another scenario has this name");
		problem_field(p, "/name", "another scenario has this name");
	}
	return -1;
}

static const char scenario_insert_sql[] =
	"INSERT INTO scenarios (name, description, base_year, horizon, spec_json) VALUES (?, ?, ?, ?, ?)";

static int scenario_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[5];
	uint64_t id = 0;
	int64_t version;
	char eid[24];

	cJSON_Delete(sw->after);
	sw->after = NULL;
	scenario_params(sw, prm);
	if (db_exec(db, scenario_insert_sql, prm, 5, NULL, &id, p) != 0)
		return scenario_dup(db, p);
	sw->id = (int64_t)id;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	if ((sw->after = scenario_load_json(db, scenario_get_sql, sw->id, &version, p)) == NULL)
		return -1;
	return audit_write(db, &who, "create", "scenario", eid, NULL, sw->after, p);
}

static int scenario_reply(struct req *r, int status, struct scenario_write *sw)
{
	char etag[32], loc[64];

	http_etag_version(etag, sizeof(etag),
			  (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sw->after, "version")));
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/scenarios/%lld", (long long)sw->id);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	}
	return http_reply_json(r, status, sw->after, etag);
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

/* Load for update and check the version: 404 or 412. */
static cJSON *scenario_lock(struct db *db, struct scenario_write *sw, struct problem *p)
{
	int64_t version;
	cJSON *before = scenario_load_json(db, scenario_lock_sql, sw->id, &version, p);

	if (before != NULL && version != sw->want_version) {
		problem_stale(p, version, sw->want_version, "scenario %lld", (long long)sw->id);
		cJSON_Delete(before);
		return NULL;
	}
	return before;
}

static const char scenario_update_sql[] =
	"UPDATE scenarios SET name = ?, description = ?, base_year = ?, horizon = ?, spec_json = ?, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ? AND deleted_at IS NULL";

static int scenario_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[7];
	uint64_t affected = 0;
	int64_t version;
	cJSON *before;
	char eid[24];
	int rc = -1;

	cJSON_Delete(sw->after);
	sw->after = NULL;
	if ((before = scenario_lock(db, sw, p)) == NULL)
		return -1;
	scenario_params(sw, prm);
	prm[5] = DBP_I64(sw->id);
	prm[6] = DBP_I64(sw->want_version);
	if (db_exec(db, scenario_update_sql, prm, 7, &affected, NULL, p) != 0) {
		scenario_dup(db, p);
		goto out;
	}
	if (affected != 1) {
		problem_changed(p, "updated", "scenario %lld", (long long)sw->id);
		goto out;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	if ((sw->after = scenario_load_json(db, scenario_get_sql, sw->id, &version, p)) == NULL ||
	    audit_write(db, &who, "update", "scenario", eid, before, sw->after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(before);
	return rc;
}

int api_scenario_put(struct req *r, struct problem *p)
{
	struct scenario_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || scenario_id_param(r, &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || scenario_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, scenario_put_txn, &sw, p) != 0)
		goto out;
	rc = scenario_reply(r, 200, &sw);
out:
	scenario_write_free(&sw, in);
	return rc;
}

static const char scenario_delete_sql[] =
	"UPDATE scenarios SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ? AND deleted_at IS NULL";

static int scenario_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct scenario_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[2] = { DBP_I64(sw->id), DBP_I64(sw->want_version) };
	uint64_t affected = 0;
	cJSON *before;
	char eid[24];
	int rc = -1;

	if ((before = scenario_lock(db, sw, p)) == NULL)
		return -1;
	if (db_exec(db, scenario_delete_sql, prm, 2, &affected, NULL, p) != 0)
		goto out;
	if (affected != 1) {
		problem_changed(p, "deleted", "scenario %lld", (long long)sw->id);
		goto out;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	rc = audit_write(db, &who, "delete", "scenario", eid, before, NULL, p);
out:
	cJSON_Delete(before);
	return rc;
}

int api_scenario_delete(struct req *r, struct problem *p)
{
	struct scenario_write sw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || scenario_id_param(r, &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || api_txn(r, scenario_delete_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
