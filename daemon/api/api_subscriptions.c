/*
 * api_subscriptions.c - which school takes a service: list (scoped to the token's
 * schools, keyset paging, updated_since with tombstones), read, create, replace,
 * delete, and replace the whole set at once (PUT on the collection: the way to
 * change fixed shares, which must always sum to 10000 bp).
 *
 * Rules on every write: the school exists; the dates are in order; units and
 * shares are not negative; the service's basis has what it needs (usage units,
 * a fixed share, the school's census, FTE or floor area); one school's
 * subscriptions to one service do not overlap (409 against an existing one, 422
 * within a set); and a fixed-share service's active shares sum to 10000 bp on
 * every day some subscription is active. Each write bumps the service's version
 * and updated_at (one ETag covers a service and its subscriptions; the set PUT
 * takes the service's If-Match) and is audited. Deleted subscriptions stay as
 * tombstones for school systems that sync with updated_since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "service.h"
#include "store.h"
#include "store_services.h"

#define SUB_MAX_SET 1000
#define SUB_MAX_UNITS INT64_C(1000000000000)

static const char *sub_check_urn(const char *s)
{
	return api_urn_valid(s) ? NULL : "must be a school's six-digit URN or \"central\"";
}

enum { BF_SCHOOL, BF_START, BF_END, BF_LEVEL, BF_UNITS, BF_SHARE, BF_ID, BF_SERVICE, BF_SCHOOL_NAME, BF_DELETED,
       BF_VERSION, BF_CREATED, BF_UPDATED, BF__N };

#define SUB_FIELDS(id_flags) { \
	[BF_SCHOOL] = { "school", JV_STRING, JV_REQUIRED, 1, 7, NULL, sub_check_urn }, \
	[BF_START] = { "start_date", JV_DATE, JV_REQUIRED, 0, 0, NULL, NULL }, \
	[BF_END] = { "end_date", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL }, \
	[BF_LEVEL] = { "level", JV_STRING, JV_LINE | JV_NO_FORMULA, 0, 40, NULL, NULL }, \
	[BF_UNITS] = { "usage_units", JV_INT, JV_NULLABLE, 0, SUB_MAX_UNITS, NULL, NULL }, \
	[BF_SHARE] = { "fixed_share_bp", JV_INT, JV_NULLABLE, 0, 10000, NULL, NULL }, \
	[BF_ID] = { "id", JV_INT, id_flags, 1, UINT32_MAX, NULL, NULL }, \
	[BF_SERVICE] = { "service_id", JV_INT, JV_READONLY, 0, 0, NULL, NULL }, \
	[BF_SCHOOL_NAME] = { "school_name", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[BF_DELETED] = { "deleted", JV_BOOL, JV_READONLY, 0, 0, NULL, NULL }, \
	[BF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL }, \
	[BF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[BF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
}

/* One subscription: the id is the server's; in a set, an id keeps that subscription. */
static const struct jv_field sub_fields[BF__N] = SUB_FIELDS(JV_READONLY);
static const struct jv_field sub_set_fields[BF__N] = SUB_FIELDS(JV_NULLABLE);

/* A subscription as written (from a body) or as stored (the live set). */
struct sub_in {
	int64_t id;                              /* 0: new */
	int64_t school_id;
	char urn[8];
	int32_t start, end;                      /* end PROCURE_NO_DATE: open */
	const char *level;
	int64_t units, bp;                       /* -1: none */
	int from_body;                           /* written by this request (checked) */
	char prefix[24];                         /* its JSON Pointer: "" or "/items/3" */
	int changed;                             /* set PUT: differs from what is stored */
};

/* ---- reading ---- */

static cJSON *sub_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *d;
	int del = db_get(rows, i, "deleted_at") != NULL;

	if (o == NULL)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(o, "deleted_at");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "school_id");
	if (del) {
		/* a tombstone: what identifies it, and when it went */
		static const char *const drop[] = { "school_name", "start_date", "end_date", "level", "usage_units",
						    "fixed_share_bp", "created_at", NULL };

		for (size_t k = 0; drop[k] != NULL; k++)
			cJSON_DeleteItemFromObjectCaseSensitive(o, drop[k]);
	}
	if ((d = cJSON_CreateBool(del)) == NULL || !cJSON_AddItemToObject(o, "deleted", d)) {
		cJSON_Delete(d);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* {"service_id", "service_version", "items", "next"}: the set, with a hash ETag. */
static int sub_set_reply(struct req *r, int64_t service_id, int64_t service_version, const struct db_rows *rows,
			 size_t n, const char *next, const char *etag_override, struct problem *p)
{
	cJSON *body = cJSON_CreateObject(), *items;
	char etag[64], *text = NULL, *link = NULL;
	int rc = -1;

	if (body == NULL || cJSON_AddNumberToObject(body, "service_id", service_id) == NULL ||
	    cJSON_AddNumberToObject(body, "service_version", service_version) == NULL ||
	    (items = cJSON_AddArrayToObject(body, "items")) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = sub_json(rows, i);

		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	}
	if (next != NULL) {
		if (cJSON_AddStringToObject(body, "next", next) == NULL || (link = api_next_link(r, next)) == NULL)
			goto oom;
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Link", link);
	} else if (cJSON_AddNullToObject(body, "next") == NULL) {
		goto oom;
	}
	if ((text = cJSON_PrintUnformatted(body)) == NULL)
		goto oom;
	if (etag_override != NULL)
		snprintf(etag, sizeof(etag), "%s", etag_override);
	else
		http_etag_hash(etag, sizeof(etag), text, strlen(text));
	if (etag_override != NULL || !http_not_modified(r, etag))
		http_reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text), etag);
	rc = 0;
	goto out;
oom:
	rc = problem_internal(p);
out:
	free(link);
	cJSON_free(text);
	cJSON_Delete(body);
	return rc;
}

int api_subscriptions_list(struct req *r, struct problem *p)
{
	struct page pg;
	struct db_rows *rows = NULL;
	const char *school = NULL, *next = NULL;
	char cursor[64];
	int64_t id, version = 0;
	uint32_t sid = 0;
	size_t shown;
	int restrict_ = r->id.role == ROLE_BUSINESS_MANAGER || r->id.role == ROLE_SCHOOL_SYSTEM, rc;

	if (api_path_id(r, "id", "service", &id, p) != 0 || api_page_query(r, (const char *const[]){ "school", NULL }, &pg, p) != 0)
		return -1;
	if ((school = http_query(r, "school")) != NULL && api_school_lookup(r, school, &sid, p) != 0) {
		if (p->status == 404 || p->status == 400) {
			/* a filter value, not the resource: 422 */
			problem_reset(p);
			problem_field(p, "query:school", "no school with URN %s", school);
			return problem_validation_done(p);
		}
		return -1;
	}
	if (store_service_version(r->db, id, &version, p) != 0)
		return -1;
	if (store_subscriptions_list(r->db, &pg, id, restrict_, r->id.token_id, sid, &rows, p) != 0)
		return -1;
	store_list_next(rows, &pg, &shown, cursor, sizeof(cursor));
	if (cursor[0] != '\0')
		next = cursor;
	rc = sub_set_reply(r, id, version, rows, shown, next, NULL, p);
	db_rows_free(rows);
	return rc;
}

/* Subscription sid of service id (404 when there is none or it was deleted; 403
 * when it is another school's and the token is not for that school). */
static int sub_load(struct req *r, struct db *db, int lock, int64_t id, int64_t sid, struct db_rows **rows,
		    struct problem *p)
{
	*rows = NULL;
	if (store_subscription_get(db, id, sid, lock, rows, p) != 0)
		return -1;
	if ((*rows)->nrows == 0 || db_get(*rows, 0, "deleted_at") != NULL) {
		db_rows_free(*rows);
		*rows = NULL;
		return problem_not_found(p, "service %lld has no subscription %lld", (long long)id, (long long)sid);
	}
	if (!identity_school_allowed(&r->id, (uint32_t)db_get_i64(*rows, 0, "school_id"))) {
		problem_forbidden(p, "subscription %lld is for school %s, which your token is not for", (long long)sid,
				  db_get(*rows, 0, "school"));
		db_rows_free(*rows);
		*rows = NULL;
		return -1;
	}
	return 0;
}

static cJSON *sub_fetch(struct req *r, struct db *db, int64_t id, int64_t sid, int64_t *version, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *o;

	if (sub_load(r, db, 0, id, sid, &rows, p) != 0)
		return NULL;
	*version = db_get_i64(rows, 0, "version");
	if ((o = sub_json(rows, 0)) == NULL)
		problem_internal(p);
	db_rows_free(rows);
	return o;
}

static int sub_reply(struct req *r, int status, cJSON *o, int64_t version)
{
	char etag[32];

	http_etag_version(etag, sizeof(etag), version);
	if (status == 200 && http_not_modified(r, etag))
		return 0;
	return http_reply_json(r, status, o, etag);
}

int api_subscription_get(struct req *r, struct problem *p)
{
	int64_t id, sid, version = 0;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &id, p) != 0 ||
	    api_path_id(r, "sid", "subscription", &sid, p) != 0 || (o = sub_fetch(r, r->db, id, sid, &version, p)) == NULL)
		return -1;
	rc = sub_reply(r, 200, o, version);
	cJSON_Delete(o);
	return rc;
}

/* ---- checks ---- */

/* Parse one subscription object at prefix into s (strings borrowed from the tree). */
static void sub_parse(const cJSON *obj, const char *prefix, const struct jv_field *table, struct sub_in *s,
		      struct problem *p)
{
	struct jv_value v[BF__N];
	char f[64];

	memset(s, 0, sizeof(*s));
	s->from_body = 1;
	s->units = s->bp = -1;
	s->end = PROCURE_NO_DATE;
	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
	if (jsonv_object(obj, prefix, table, BF__N, v, p) != 0)
		return;
	snprintf(s->urn, sizeof(s->urn), "%s", v[BF_SCHOOL].s);
	s->start = (int32_t)v[BF_START].i;
	if (v[BF_END].present && !v[BF_END].is_null)
		s->end = (int32_t)v[BF_END].i;
	s->level = v[BF_LEVEL].present ? v[BF_LEVEL].s : "";
	if (v[BF_UNITS].present && !v[BF_UNITS].is_null)
		s->units = v[BF_UNITS].i;
	if (v[BF_SHARE].present && !v[BF_SHARE].is_null)
		s->bp = v[BF_SHARE].i;
	if (v[BF_ID].present && !v[BF_ID].is_null)
		s->id = v[BF_ID].i;
	if (s->end != PROCURE_NO_DATE && s->end < s->start) {
		snprintf(f, sizeof(f), "%s/end_date", prefix);
		problem_field(p, f, "is before start_date");
	}
}

/* The school exists (422 naming it) and has what the basis needs. */
static int sub_resolve(struct req *r, const struct store_service_locked *l, struct sub_in *s, struct problem *p)
{
	struct db *db = r->db;
	char f[64];
	int rc;

	if ((rc = api_school_find(r, s->urn, &s->school_id, NULL, p)) < 0)
		return -1;
	snprintf(f, sizeof(f), "%s/school", s->prefix);
	if (rc == 0) {
		problem_field(p, f, "no school with URN %s", s->urn);
		return 0;
	}
	if (l->basis == ALLOC_USAGE && s->units < 0) {
		snprintf(f, sizeof(f), "%s/usage_units", s->prefix);
		problem_field(p, f, "is required: %s is split by usage", l->name);
	}
	if (l->basis == ALLOC_FIXED_SHARE && s->bp < 0) {
		snprintf(f, sizeof(f), "%s/fixed_share_bp", s->prefix);
		problem_field(p, f, "is required: %s is split by fixed shares (bp summing to 10000)", l->name);
	}
	snprintf(f, sizeof(f), "%s/school", s->prefix);
	return store_service_school_data(db, l->basis, s->school_id, s->urn, s->start, f, p);
}

/* The service's live subscriptions (locked), as stored. *set is the caller's (free). */
static int sub_live(struct db *db, int64_t id, struct db_rows **rows, struct sub_in **set, size_t extra,
		    struct problem *p)
{
	static const char *const cols[] = { "id", "school_id", "urn", "start_date", "end_date", "level",
					    "usage_units", "fixed_share_bp" };
	size_t c[8];

	*set = NULL;
	if (store_subscriptions_live(db, id, rows, p) != 0 || db_columns(*rows, cols, 8, c, p) != 0)
		return -1;
	if ((*set = calloc((*rows)->nrows + extra + 1, sizeof(**set))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < (*rows)->nrows; i++) {
		struct sub_in *s = &(*set)[i];

		s->id = db_cell_i64(*rows, i, c[0]);
		s->school_id = db_cell_i64(*rows, i, c[1]);
		snprintf(s->urn, sizeof(s->urn), "%s", db_cell(*rows, i, c[2]));
		s->end = PROCURE_NO_DATE;
		if (date_parse(db_cell(*rows, i, c[3]), &s->start) != 0 ||
		    (db_cell(*rows, i, c[4]) != NULL && date_parse(db_cell(*rows, i, c[4]), &s->end) != 0))
			return problem_internal(p);
		s->level = db_cell(*rows, i, c[5]);
		s->units = db_cell(*rows, i, c[6]) != NULL ? db_cell_i64(*rows, i, c[6]) : -1;
		s->bp = db_cell(*rows, i, c[7]) != NULL ? db_cell_i64(*rows, i, c[7]) : -1;
	}
	return 0;
}

static struct service_span sub_span(const struct sub_in *s)
{
	return (struct service_span){ s->start, s->end, s->bp };
}

/*
 * The set after the write: one school's subscriptions do not overlap (against
 * one already stored: 409; within a body: 422), and fixed shares sum to 10000
 * wherever one is active (422 at where).
 */
static int sub_check_set(const struct store_service_locked *l, const struct sub_in *set, size_t n, const char *where,
			 struct problem *p)
{
	struct service_span *spans;
	char f[64], a[16], b[16];
	int32_t day;
	int64_t total;

	for (size_t i = 0; i < n; i++) {
		struct service_span si = sub_span(&set[i]);

		if (!set[i].from_body)
			continue;
		for (size_t j = 0; j < n; j++) {
			struct service_span sj = sub_span(&set[j]);

			if (j == i || set[j].school_id != set[i].school_id || !service_overlap(&si, &sj))
				continue;
			snprintf(f, sizeof(f), "%s/start_date", set[i].prefix);
			date_format(sj.start, a, sizeof(a));
			if (sj.end == PROCURE_NO_DATE)
				snprintf(b, sizeof(b), "open-ended");
			else
				date_format(sj.end, b, sizeof(b));
			if (!set[j].from_body) {
				problem_field(p, f, "overlaps subscription %lld of %s (%s to %s)", (long long)set[j].id,
					      set[j].urn, a, b);
				return problem_conflict(p, "%s already takes %s from %s to %s (subscription %lld): one "
							"school's subscriptions to a service must not overlap", set[j].urn,
							l->name, a, b, (long long)set[j].id);
			}
			if (j < i)
				problem_field(p, f, "overlaps %s (the same school, %s to %s)", set[j].prefix, a, b);
		}
	}
	if (problem_validation_done(p) != 0 || l->basis != ALLOC_FIXED_SHARE)
		return p->status != 0 ? -1 : 0;
	if ((spans = calloc(n + 1, sizeof(*spans))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < n; i++)
		spans[i] = sub_span(&set[i]);
	if (service_shares_check(spans, n, &day, &total) != 0) {
		date_format(day, a, sizeof(a));
		problem_field(p, where, "the fixed shares of %s would sum to %lld bp on %s, not 10000: change them "
			      "together with PUT /api/v1/services/%lld/subscriptions", l->name, (long long)total, a,
			      (long long)l->id);
	}
	free(spans);
	return problem_validation_done(p);
}

/* ---- writes of one subscription ---- */

struct sub_write {
	struct req *r;
	int64_t id, sid;                         /* sid 0 until a create has stored it */
	int64_t want_version;
	int creating, deleting;
	struct sub_in in;
	cJSON *after;
	int64_t version;
};

/* Store s: insert (id 0; *new_id set) or update at version. */
static int sub_store(struct db *db, int64_t service_id, const struct sub_in *s, int64_t version, int64_t *new_id,
		     struct problem *p)
{
	char start[16], end[16];
	struct store_sub_in in = { .school_id = s->school_id, .start = start, .level = s->level, .units = s->units,
				   .bp = s->bp };
	int64_t sid = s->id;

	date_format(s->start, start, sizeof(start));
	if (s->end != PROCURE_NO_DATE) {
		date_format(s->end, end, sizeof(end));
		in.end = end;
	}
	if (store_subscription_save(db, service_id, &in, &sid, version, p) != 0)
		return -1;
	if (s->id == 0)
		*new_id = sid;
	return 0;
}

static int sub_write_txn(struct db *db, void *arg, struct problem *p)
{
	struct sub_write *w = arg;
	struct audit_actor who = api_actor(w->r);
	struct store_service_locked l;
	struct db_rows *live = NULL, *cur = NULL;
	struct sub_in *set = NULL;
	cJSON *before = NULL;
	size_t n = 0;
	int64_t v;
	char eid[24];
	int rc = -1;

	cJSON_Delete(w->after);
	w->after = NULL;
	if (w->creating)
		w->sid = 0;                          /* a retried transaction starts again */
	if (store_service_lock(db, w->id, &l, p) != 0)
		return -1;
	if (!w->creating) {
		if (sub_load(w->r, db, 1, w->id, w->sid, &cur, p) != 0)
			goto out;
		v = db_get_i64(cur, 0, "version");
		if (v != w->want_version) {
			problem_stale(p, v, w->want_version, "subscription %lld", (long long)w->sid);
			goto out;
		}
		if ((before = sub_json(cur, 0)) == NULL) {
			problem_internal(p);
			goto out;
		}
	}
	if (!w->deleting && (sub_resolve(w->r, &l, &w->in, p) != 0 || problem_validation_done(p) != 0))
		goto out;
	if (sub_live(db, w->id, &live, &set, 1, p) != 0)
		goto out;
	/* the set after the write: this one replaced, removed or added */
	for (size_t i = 0; i < live->nrows; i++)
		if (w->creating || set[i].id != w->sid)
			set[n++] = set[i];
	if (!w->deleting)
		set[n++] = w->in;
	if (w->deleting && l.basis == ALLOC_FIXED_SHARE) {
		if (sub_check_set(&l, set, n, "", p) != 0) {
			int64_t id = w->sid;

			problem_reset(p);
			problem_conflict(p, "removing subscription %lld would leave the fixed shares of %s not summing to "
					 "10000 bp: change them together with PUT /api/v1/services/%lld/subscriptions",
					 (long long)id, l.name, (long long)w->id);
			goto out;
		}
	} else if (!w->deleting && sub_check_set(&l, set, n, "/fixed_share_bp", p) != 0) {
		goto out;
	}
	if (w->deleting) {
		if (store_subscription_delete(db, w->sid, w->want_version, p) != 0)
			goto out;
	} else {
		w->in.id = w->creating ? 0 : w->sid;
		if (sub_store(db, w->id, &w->in, w->want_version, &w->sid, p) != 0)
			goto out;
	}
	if (store_service_bump(db, w->id, p) != 0)
		goto out;
	if (!w->deleting && (w->after = sub_fetch(w->r, db, w->id, w->sid, &w->version, p)) == NULL)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)w->sid);
	rc = audit_write(db, &who, w->deleting ? "delete" : before != NULL ? "update" : "create", "subscription", eid,
			 before, w->after, p);
out:
	cJSON_Delete(before);
	free(set);
	db_rows_free(live);
	db_rows_free(cur);
	return rc;
}

int api_subscription_create(struct req *r, struct problem *p)
{
	struct sub_write w = { .r = r, .creating = 1 };
	cJSON *in = NULL;
	char loc[96];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &w.id, p) != 0 ||
	    (in = http_read_json(r, p)) == NULL)
		goto out;
	sub_parse(in, "", sub_fields, &w.in, p);
	if (problem_validation_done(p) != 0 || api_txn(r, sub_write_txn, &w, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/services/%lld/subscriptions/%lld", (long long)w.id, (long long)w.sid);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	rc = sub_reply(r, 201, w.after, w.version);
out:
	cJSON_Delete(w.after);
	cJSON_Delete(in);
	return rc;
}

int api_subscription_put(struct req *r, struct problem *p)
{
	struct sub_write w = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &w.id, p) != 0 ||
	    api_path_id(r, "sid", "subscription", &w.sid, p) != 0 || http_if_match(r, &w.want_version, p) != 0 ||
	    (in = http_read_json(r, p)) == NULL)
		goto out;
	sub_parse(in, "", sub_fields, &w.in, p);
	if (problem_validation_done(p) != 0 || api_txn(r, sub_write_txn, &w, p) != 0)
		goto out;
	rc = sub_reply(r, 200, w.after, w.version);
out:
	cJSON_Delete(w.after);
	cJSON_Delete(in);
	return rc;
}

int api_subscription_delete(struct req *r, struct problem *p)
{
	struct sub_write w = { .r = r, .deleting = 1 };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &w.id, p) != 0 ||
	    api_path_id(r, "sid", "subscription", &w.sid, p) != 0 || http_if_match(r, &w.want_version, p) != 0 ||
	    api_txn(r, sub_write_txn, &w, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}

/* ---- the whole set ---- */

struct sub_set_write {
	struct req *r;
	int64_t id;
	int64_t want_version;
	struct sub_in *items;
	size_t nitems;
	struct db_rows *after;
	int64_t version;
};

/* The set as an audit image: [{id, school, start_date, ...}]. */
static cJSON *sub_set_image(struct db *db, int64_t id, struct db_rows **keep, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a = cJSON_CreateArray();

	if (a == NULL) {
		problem_internal(p);
		return NULL;
	}
	if (store_subscriptions_set(db, id, &rows, p) != 0) {
		cJSON_Delete(a);
		return NULL;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		cJSON *o = sub_json(rows, i);

		if (o == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			db_rows_free(rows);
			problem_internal(p);
			return NULL;
		}
	}
	if (keep != NULL)
		*keep = rows;
	else
		db_rows_free(rows);
	return a;
}

static int sub_same(const struct sub_in *a, const struct sub_in *b)
{
	return a->school_id == b->school_id && a->start == b->start && a->end == b->end && a->units == b->units &&
	       a->bp == b->bp && strcmp(a->level != NULL ? a->level : "", b->level != NULL ? b->level : "") == 0;
}

static int sub_set_txn(struct db *db, void *arg, struct problem *p)
{
	struct sub_set_write *w = arg;
	struct audit_actor who = api_actor(w->r);
	struct store_service_locked l;
	struct db_rows *live = NULL;
	struct sub_in *stored = NULL;
	cJSON *before = NULL, *after = NULL;
	char eid[24], f[64];
	int64_t new_id;
	int rc = -1;

	db_rows_free(w->after);
	w->after = NULL;
	if (store_service_lock(db, w->id, &l, p) != 0)
		return -1;
	if (l.version != w->want_version)
		return problem_stale(p, l.version, w->want_version, "service %lld", (long long)w->id);
	if (sub_live(db, w->id, &live, &stored, 0, p) != 0)
		goto out;
	for (size_t i = 0; i < w->nitems; i++) {
		struct sub_in *s = &w->items[i];
		size_t k = 0;

		if (sub_resolve(w->r, &l, s, p) != 0)
			goto out;
		if (s->id == 0)
			continue;
		while (k < live->nrows && stored[k].id != s->id)
			k++;
		snprintf(f, sizeof(f), "%s/id", s->prefix);
		if (k == live->nrows) {
			problem_field(p, f, "service %lld has no subscription %lld (leave id out for a new one)",
				      (long long)w->id, (long long)s->id);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (w->items[j].id == s->id)
				problem_field(p, f, "subscription %lld is given twice", (long long)s->id);
		s->changed = !sub_same(s, &stored[k]);
	}
	if (problem_validation_done(p) != 0 || sub_check_set(&l, w->items, w->nitems, "/items", p) != 0)
		goto out;
	if ((before = sub_set_image(db, w->id, NULL, p)) == NULL)
		goto out;
	/* removed: every stored one the set does not name */
	for (size_t k = 0; k < live->nrows; k++) {
		int kept = 0;

		for (size_t i = 0; i < w->nitems && !kept; i++)
			kept = w->items[i].id == stored[k].id;
		if (!kept && store_subscription_delete(db, stored[k].id, -1, p) != 0)
			goto out;
	}
	for (size_t i = 0; i < w->nitems; i++) {
		struct sub_in *s = &w->items[i];

		if (s->id != 0 && !s->changed)
			continue;
		if (s->id != 0) {
			int64_t v;

			if (store_subscription_version(db, s->id, &v, p) != 0 || sub_store(db, w->id, s, v, &new_id, p) != 0)
				goto out;
		} else if (sub_store(db, w->id, s, 0, &new_id, p) != 0) {
			goto out;
		}
	}
	if (store_service_bump(db, w->id, p) != 0 || (after = sub_set_image(db, w->id, &w->after, p)) == NULL)
		goto out;
	w->version = l.version + 1;
	snprintf(eid, sizeof(eid), "%lld", (long long)w->id);
	rc = audit_write(db, &who, "replace_subscriptions", "service", eid, before, after, p);
out:
	cJSON_Delete(before);
	cJSON_Delete(after);
	free(stored);
	db_rows_free(live);
	return rc;
}

int api_subscriptions_replace(struct req *r, struct problem *p)
{
	static const struct jv_field set_fields[] = { { "items", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL } };
	struct sub_set_write w = { .r = r };
	struct jv_value top[1];
	cJSON *in = NULL;
	const cJSON *it;
	char etag[32], prefix[24];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &w.id, p) != 0 ||
	    api_if_match(r, &w.want_version, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	if (jsonv_object(in, "", set_fields, 1, top, p) == 0) {
		size_t n = (size_t)cJSON_GetArraySize(top[0].item);

		if (n > SUB_MAX_SET) {
			problem_field(p, "/items", "at most %d subscriptions", SUB_MAX_SET);
		} else if ((w.items = calloc(n + 1, sizeof(*w.items))) == NULL) {
			rc = problem_internal(p);
			goto out;
		} else {
			cJSON_ArrayForEach(it, top[0].item) {
				snprintf(prefix, sizeof(prefix), "/items/%zu", w.nitems);
				sub_parse(it, prefix, sub_set_fields, &w.items[w.nitems++], p);
			}
		}
	}
	if (problem_validation_done(p) != 0 || api_txn(r, sub_set_txn, &w, p) != 0)
		goto out;
	/* the ETag of the service: what the next PUT of the set sends as If-Match */
	http_etag_version(etag, sizeof(etag), w.version);
	rc = sub_set_reply(r, w.id, w.version, w.after, w.after->nrows, NULL, etag, p);
out:
	db_rows_free(w.after);
	free(w.items);
	cJSON_Delete(in);
	return rc;
}
