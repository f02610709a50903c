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

static cJSON *sub_row_json(const struct db_rows *rows, size_t i, void *arg)
{
	(void)arg;
	return store_subscription_json(rows, i);
}

/* {"service_id", "service_version", "items", "next"}: the set, with a hash ETag
 * (304 on a match), or after a set PUT the service's (etag: no 304). */
static int sub_set_reply(struct req *r, int64_t service_id, int64_t service_version, const struct db_rows *rows,
			 size_t n, const char *next, const char *etag, struct problem *p)
{
	cJSON *body = cJSON_CreateObject();
	int rc;

	if (body == NULL || cJSON_AddNumberToObject(body, "service_id", (double)service_id) == NULL ||
	    cJSON_AddNumberToObject(body, "service_version", (double)service_version) == NULL) {
		cJSON_Delete(body);
		return problem_internal(p);
	}
	if ((body = api_list_body(r, body, api_rows_json(rows, n, sub_row_json, NULL), next)) == NULL)
		return problem_internal(p);
	rc = etag != NULL ? http_reply_json(r, 200, body, etag) : http_reply_json_hashed(r, body, p);
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
	struct store_scope scope;
	int rc;

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
	scope = api_scope(r);
	if (store_subscriptions_list(r->db, &pg, id, &scope, sid, &rows, p) != 0)
		return -1;
	store_list_next(rows, &pg, &shown, cursor, sizeof(cursor));
	if (cursor[0] != '\0')
		next = cursor;
	rc = sub_set_reply(r, id, version, rows, shown, next, NULL, p);
	db_rows_free(rows);
	return rc;
}

int api_subscription_get(struct req *r, struct problem *p)
{
	int64_t id, sid, school = 0;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "service", &id, p) != 0 ||
	    api_path_id(r, "sid", "subscription", &sid, p) != 0 ||
	    (o = store_subscription_get(r->db, id, sid, &school, p)) == NULL)
		return -1;
	if (!identity_school_allowed(&r->id, (uint32_t)school)) {
		rc = problem_forbidden(p, "subscription %lld is for school %s, which your token is not for", (long long)sid,
				       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "school")));
		cJSON_Delete(o);
		return rc;
	}
	rc = api_reply_versioned(r, 200, o, NULL);
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

/* s as the store writes it (the dates formatted into start and end). */
static struct store_sub_in sub_store_in(const struct sub_in *s, char *start, char *end)
{
	struct store_sub_in in = { .school_id = s->school_id, .start = start, .level = s->level, .units = s->units,
				   .bp = s->bp };

	date_format(s->start, start, 16);
	if (s->end != PROCURE_NO_DATE) {
		date_format(s->end, end, 16);
		in.end = end;
	}
	return in;
}

struct sub_write {
	struct req *r;
	struct sub_in in;                        /* the body (create, put) */
	char start[16], end[16];
	struct store_sub_in sin;
	struct store_sub_write w;
	cJSON *after;
};

/*
 * The write's checks with the service locked (store_subscription_write): the
 * school and what the basis needs (422), then the set after the write: no
 * overlap, fixed shares summing to 10000 (a delete that would break them: 409).
 */
static int sub_write_check(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p)
{
	struct sub_write *sw = arg;
	struct db_rows *live = NULL;
	struct sub_in *set = NULL;
	size_t n = 0;
	int deleting = sw->w.in == NULL, creating = sw->w.sid == 0, rc = -1;

	if (!deleting && (sub_resolve(sw->r, l, &sw->in, p) != 0 || problem_validation_done(p) != 0))
		return -1;
	if (sub_live(db, l->id, &live, &set, 1, p) != 0)
		goto out;
	/* the set after the write: this one replaced, removed or added */
	for (size_t i = 0; i < live->nrows; i++)
		if (creating || set[i].id != sw->w.sid)
			set[n++] = set[i];
	if (!deleting)
		set[n++] = sw->in;
	if (deleting && l->basis == ALLOC_FIXED_SHARE) {
		if (sub_check_set(l, set, n, "", p) != 0) {
			problem_reset(p);
			problem_conflict(p, "removing subscription %lld would leave the fixed shares of %s not summing to "
					 "10000 bp: change them together with PUT /api/v1/services/%lld/subscriptions",
					 (long long)sw->w.sid, l->name, (long long)l->id);
			goto out;
		}
	} else if (!deleting && sub_check_set(l, set, n, "/fixed_share_bp", p) != 0) {
		goto out;
	}
	sw->sin.school_id = sw->in.school_id;
	rc = 0;
out:
	free(set);
	db_rows_free(live);
	return rc;
}

static int sub_write_txn(struct db *db, void *arg, struct problem *p)
{
	struct sub_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct store_sub_write w = sw->w;        /* a retried transaction starts again (a create's id) */

	cJSON_Delete(sw->after);
	sw->after = NULL;
	w.who = &who;
	if (store_subscription_write(db, &w, &sw->after, p) != 0)
		return -1;
	sw->w.sid = w.sid;
	return 0;
}

/* The path's ids, and for a create or put the body (422 with every field's error). */
static int sub_write_request(struct req *r, struct sub_write *sw, int with_sid, int with_body, cJSON **in,
			     struct problem *p)
{
	sw->r = r;
	sw->w = (struct store_sub_write){ .check = sub_write_check, .arg = sw };
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "service", &sw->w.service_id, p) != 0 ||
	    (with_sid && (api_path_id(r, "sid", "subscription", &sw->w.sid, p) != 0 ||
			  http_if_match(r, &sw->w.want_version, p) != 0)))
		return -1;
	if (!with_body)
		return 0;
	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	sub_parse(*in, "", sub_fields, &sw->in, p);
	if (problem_validation_done(p) != 0)
		return -1;
	sw->sin = sub_store_in(&sw->in, sw->start, sw->end);
	sw->w.in = &sw->sin;
	return 0;
}

int api_subscription_create(struct req *r, struct problem *p)
{
	struct sub_write sw;
	cJSON *in = NULL;
	char loc[96];
	int rc = -1;

	memset(&sw, 0, sizeof(sw));
	if (sub_write_request(r, &sw, 0, 1, &in, p) != 0 || api_txn(r, sub_write_txn, &sw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/services/%lld/subscriptions/%lld", (long long)sw.w.service_id,
		 (long long)sw.w.sid);
	rc = api_reply_versioned(r, 201, sw.after, loc);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_subscription_put(struct req *r, struct problem *p)
{
	struct sub_write sw;
	cJSON *in = NULL;
	int rc = -1;

	memset(&sw, 0, sizeof(sw));
	if (sub_write_request(r, &sw, 1, 1, &in, p) != 0 || api_txn(r, sub_write_txn, &sw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, sw.after, NULL);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_subscription_delete(struct req *r, struct problem *p)
{
	struct sub_write sw;

	memset(&sw, 0, sizeof(sw));
	if (sub_write_request(r, &sw, 1, 0, NULL, p) != 0 || api_txn(r, sub_write_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}

/* ---- the whole set ---- */

struct sub_set_write {
	struct req *r;
	struct sub_in *items;
	size_t nitems;
	struct store_sub_item *stored;           /* the items as the store writes them */
	char (*dates)[2][16];
	struct store_subs_replace w;
	struct db_rows *after;                   /* the set written */
};

static int sub_same(const struct sub_in *a, const struct sub_in *b)
{
	return a->school_id == b->school_id && a->start == b->start && a->end == b->end && a->units == b->units &&
	       a->bp == b->bp && strcmp(a->level != NULL ? a->level : "", b->level != NULL ? b->level : "") == 0;
}

/* The set's checks with the service locked: each school, each id one of the live
 * ones and given once, the set as a whole (sub_check_set); then the items as the
 * store writes them. */
static int sub_set_check(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p)
{
	struct sub_set_write *sw = arg;
	struct db_rows *live = NULL;
	struct sub_in *stored = NULL;
	char f[64];
	int rc = -1;

	if (sub_live(db, l->id, &live, &stored, 0, p) != 0)
		goto out;
	for (size_t i = 0; i < sw->nitems; i++) {
		struct sub_in *s = &sw->items[i];
		size_t k = 0;

		if (sub_resolve(sw->r, l, s, p) != 0)
			goto out;
		if (s->id == 0)
			continue;
		while (k < live->nrows && stored[k].id != s->id)
			k++;
		snprintf(f, sizeof(f), "%s/id", s->prefix);
		if (k == live->nrows) {
			problem_field(p, f, "service %lld has no subscription %lld (leave id out for a new one)",
				      (long long)l->id, (long long)s->id);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (sw->items[j].id == s->id)
				problem_field(p, f, "subscription %lld is given twice", (long long)s->id);
		s->changed = !sub_same(s, &stored[k]);
	}
	if (problem_validation_done(p) != 0 || sub_check_set(l, sw->items, sw->nitems, "/items", p) != 0)
		goto out;
	for (size_t i = 0; i < sw->nitems; i++)
		sw->stored[i] = (struct store_sub_item){ sw->items[i].id, sw->items[i].changed,
			sub_store_in(&sw->items[i], sw->dates[i][0], sw->dates[i][1]) };
	rc = 0;
out:
	free(stored);
	db_rows_free(live);
	return rc;
}

static int sub_set_txn(struct db *db, void *arg, struct problem *p)
{
	struct sub_set_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	db_rows_free(sw->after);
	sw->after = NULL;
	sw->w.who = &who;
	return store_subscriptions_replace(db, &sw->w, &sw->after, p);
}

int api_subscriptions_replace(struct req *r, struct problem *p)
{
	static const struct jv_field set_fields[] = { { "items", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL } };
	struct sub_set_write sw = { .r = r };
	struct jv_value top[1];
	cJSON *in = NULL;
	const cJSON *it;
	char etag[32], prefix[24];
	int rc = -1;

	sw.w = (struct store_subs_replace){ .check = sub_set_check, .arg = &sw };
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "service", &sw.w.service_id, p) != 0 ||
	    api_if_match(r, &sw.w.want_version, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	if (jsonv_object(in, "", set_fields, 1, top, p) == 0) {
		size_t n = (size_t)cJSON_GetArraySize(top[0].item);

		if (n > SUB_MAX_SET) {
			problem_field(p, "/items", "at most %d subscriptions", SUB_MAX_SET);
		} else if ((sw.items = calloc(n + 1, sizeof(*sw.items))) == NULL ||
			   (sw.stored = calloc(n + 1, sizeof(*sw.stored))) == NULL ||
			   (sw.dates = calloc(n + 1, sizeof(*sw.dates))) == NULL) {
			rc = problem_internal(p);
			goto out;
		} else {
			cJSON_ArrayForEach(it, top[0].item) {
				snprintf(prefix, sizeof(prefix), "/items/%zu", sw.nitems);
				sub_parse(it, prefix, sub_set_fields, &sw.items[sw.nitems++], p);
			}
		}
	}
	if (problem_validation_done(p) != 0)
		goto out;
	sw.w.items = sw.stored;
	sw.w.nitems = sw.nitems;
	if (api_txn(r, sub_set_txn, &sw, p) != 0)
		goto out;
	/* the ETag of the service: what the next PUT of the set sends as If-Match */
	http_etag_version(etag, sizeof(etag), sw.w.want_version + 1);
	rc = sub_set_reply(r, sw.w.service_id, sw.w.want_version + 1, sw.after, sw.after->nrows, NULL, etag, p);
out:
	db_rows_free(sw.after);
	free(sw.dates);
	free(sw.stored);
	free(sw.items);
	cJSON_Delete(in);
	return rc;
}
