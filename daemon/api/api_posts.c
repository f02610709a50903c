/*
 * api_posts.c - an entity's posts (store_staff.h; DESIGN.md "Staffing", issue 16):
 * GET|POST /api/v1/schools/{urn}/posts, GET|PUT|DELETE .../posts/{id}. A post
 * names its holder (personal data), so only the finance director (every entity),
 * the auditor (every entity, reading) and a business manager of that school
 * (reading and writing) see posts; school systems and admins are refused by the
 * route table, a business manager of another school by api_school_lookup (403).
 * Writes are versioned (If-Match: 428 without, 412 stale) and audited with the
 * person; a POST honours Idempotency-Key (api_txn).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "staff_cost.h"
#include "staff_input.h"
#include "store_staff.h"

/* ---- field checks ---- */

static const char *const post_roles[] = { "teacher", "leadership", "teaching_assistant", "admin", "premises",
					  "catering", "other_support", NULL };
static const char *const post_pensions[] = { "tps", "lgps", "none", NULL };
static const char *const post_ni[] = { "A", "M", "H", NULL };

enum { PF_REF, PF_TITLE, PF_ROLE, PF_CODE, PF_SCALE, PF_POINT, PF_TOP, PF_YEAR, PF_FTE, PF_WEEKS, PF_TLR, PF_SEN,
       PF_FRINGE, PF_OTHER, PF_PENSION, PF_NI, PF_STARTS, PF_ENDS, PF_VACANT, PF_HOLDER, PF_PERIODS, PF_ID, PF_URN,
       PF_VERSION, PF_CREATED, PF_UPDATED, PF_COST, PF_DELETED, PF__N };

#define POST_ALLOWANCE_MAX 100000000             /* £1m a year */

static const struct jv_field post_fields[PF__N] = {
	[PF_REF] = { "reference", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, 40, NULL, NULL },
	[PF_TITLE] = { "title", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, 120, NULL, NULL },
	[PF_ROLE] = { "role", JV_STRING, JV_REQUIRED, 1, 20, post_roles, NULL },
	[PF_CODE] = { "account_code", JV_STRING, JV_REQUIRED | JV_ANY_START, 1, 8, NULL, NULL },
	[PF_SCALE] = { "scale", JV_STRING, JV_REQUIRED | JV_ANY_START, 1, 40, NULL, staff_input_scale_name },
	[PF_POINT] = { "point", JV_STRING, JV_REQUIRED | JV_ANY_START, 1, 8, NULL, staff_input_point },
	[PF_TOP] = { "top_point", JV_STRING, JV_NULLABLE | JV_ANY_START, 1, 8, NULL, staff_input_point },
	[PF_YEAR] = { "point_year", JV_ACYEAR, JV_REQUIRED, 2000, 2098, NULL, NULL },
	[PF_FTE] = { "fte_h", JV_INT, JV_REQUIRED, 1, 100, NULL, NULL },
	[PF_WEEKS] = { "paid_weeks_h", JV_INT, JV_NULLABLE, 1, 5214, NULL, NULL },
	[PF_TLR] = { "tlr_pence", JV_INT, 0, 0, POST_ALLOWANCE_MAX, NULL, NULL },
	[PF_SEN] = { "sen_pence", JV_INT, 0, 0, POST_ALLOWANCE_MAX, NULL, NULL },
	[PF_FRINGE] = { "fringe_pence", JV_INT, 0, 0, POST_ALLOWANCE_MAX, NULL, NULL },
	[PF_OTHER] = { "other_allowance_pence", JV_INT, 0, 0, POST_ALLOWANCE_MAX, NULL, NULL },
	[PF_PENSION] = { "pension", JV_STRING, JV_REQUIRED, 1, 8, post_pensions, NULL },
	[PF_NI] = { "ni_category", JV_STRING, 0, 1, 1, post_ni, NULL },
	[PF_STARTS] = { "starts_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[PF_ENDS] = { "ends_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[PF_VACANT] = { "vacant", JV_BOOL, 0, 0, 0, NULL, NULL },
	[PF_HOLDER] = { "holder_name", JV_STRING, JV_NULLABLE | JV_NOT_BLANK, 1, 120, NULL, NULL },
	[PF_PERIODS] = { "periods_taught", JV_INT, JV_NULLABLE, 0, 1000, NULL, NULL },
	[PF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[PF_URN] = { "urn", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[PF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[PF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[PF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[PF_COST] = { "cost", JV_OBJECT, JV_READONLY, 0, 0, NULL, NULL },
	[PF_DELETED] = { "deleted", JV_BOOL, JV_READONLY, 0, 0, NULL, NULL },
};

/* Teachers and leaders are paid from E01 or E02; support staff from E03-E07 or E31
 * (staff_input_role_code: the posts sheet's check too). */
static void post_check_code(const char *role, const char *code, struct problem *p)
{
	char msg[128];

	if (staff_input_role_code(role, code, msg, sizeof(msg)) != NULL)
		problem_field(p, "/account_code", "%s", msg);
}

/* ---- a post's cost for a year (?year=): api/staff_cost.c, the one costing ---- */

struct post_cost_arg {
	struct staff_costing sc;
	int year;
};

/* {"year", "pay_pence", "ni_pence", "pension_pence", "total_pence", "months": [12 x {...}]} */
static cJSON *post_cost_json(const struct staff_cost *c, int year)
{
	cJSON *o = cJSON_CreateObject(), *months;
	char y[16];

	snprintf(y, sizeof(y), "%04d-%02d", year, (year + 1) % 100);
	if (o == NULL || cJSON_AddStringToObject(o, "year", y) == NULL ||
	    cJSON_AddNumberToObject(o, "pay_pence", (double)c->pay) == NULL ||
	    cJSON_AddNumberToObject(o, "ni_pence", (double)c->ni) == NULL ||
	    cJSON_AddNumberToObject(o, "pension_pence", (double)c->pension) == NULL ||
	    cJSON_AddNumberToObject(o, "total_pence", (double)c->total) == NULL ||
	    (months = cJSON_AddArrayToObject(o, "months")) == NULL)
		goto oom;
	for (size_t m = 0; m < STAFF_MONTHS; m++) {
		cJSON *mo = cJSON_CreateObject();

		if (mo == NULL || !cJSON_AddItemToArray(months, mo) ||
		    cJSON_AddNumberToObject(mo, "pay_pence", (double)c->m[m].pay) == NULL ||
		    cJSON_AddNumberToObject(mo, "ni_pence", (double)c->m[m].ni) == NULL ||
		    cJSON_AddNumberToObject(mo, "pension_pence", (double)c->m[m].pension) == NULL) {
			cJSON_Delete(mo);
			goto oom;
		}
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

/* Add post o's cost (null when it is not in the costing: made since). 0, or -1 out of memory. */
static int post_add_cost(cJSON *o, const struct post_cost_arg *ca)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	long i = cJSON_IsNumber(id) ? staff_cost_post_index(&ca->sc, (int64_t)cJSON_GetNumberValue(id)) : -1;
	cJSON *c = i >= 0 ? post_cost_json(&ca->sc.costs[i], ca->year) : cJSON_CreateNull();

	if (c == NULL || !cJSON_AddItemToObject(o, "cost", c)) {
		cJSON_Delete(c);
		return -1;
	}
	return 0;
}

/* The ?year= of a posts read: 0 none, 1 given (*year), -1 malformed (a field error added:
 * the caller ends validation). */
static int post_year_query(struct req *r, int *year, struct problem *p)
{
	const char *y = http_query(r, "year");

	if (y == NULL)
		return 0;
	if (acyear_parse(y, year) != 0) {
		problem_field(p, "query:year", "must be an academic year written like 2026-27");
		return -1;
	}
	return 1;
}

/* Cost urn's posts for year: 0, or -1 (the database; 422 when the posts cannot be costed). */
static int post_cost_load(struct req *r, const char *urn, struct post_cost_arg *ca, struct problem *p)
{
	const char *why;

	if (staff_cost_load(r->db, urn, ca->year, &ca->sc, p) != 0)
		return -1;
	if ((why = staff_cost_failure(&ca->sc, urn)) != NULL) {   /* the whole costing's, or urn's own */
		problem_field(p, "query:year", "%s", why);
		return problem_set(p, 422, "validation", "Validation failed",
				   "the posts of %s cannot be costed for the year: %s", urn, why);
	}
	return 0;
}

static cJSON *post_row_cost_json(const struct db_rows *rows, size_t i, void *arg)
{
	cJSON *o = store_post_row_json(rows, i);

	if (o != NULL && arg != NULL && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "deleted")) &&
	    post_add_cost(o, arg) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* ---- reads ---- */

int api_posts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "year", NULL };
	const char *urn = http_param(r, "urn");
	struct post_cost_arg ca = { .year = 0 };
	struct db_rows *rows = NULL;
	struct page pg;
	uint32_t sid;
	int costed, rc = -1;

	if (api_page_query(r, also, &pg, p) != 0)
		return -1;
	costed = post_year_query(r, &ca.year, p) > 0;
	if (problem_validation_done(p) != 0 ||
	    api_school_lookup(r, urn, &sid, p) != 0 || (costed && post_cost_load(r, urn, &ca, p) != 0) ||
	    store_posts_list(r->db, sid, &pg, &rows, p) != 0)
		goto out;
	rc = api_reply_page_with(r, rows, &pg, post_row_cost_json, costed ? &ca : NULL, p);
out:
	db_rows_free(rows);
	staff_cost_free(&ca.sc);
	return rc;
}

int api_post_get(struct req *r, struct problem *p)
{
	const char *urn = http_param(r, "urn");
	struct post_cost_arg ca = { .year = 0 };
	int64_t id, version;
	uint32_t sid;
	int costed, rc = -1;
	cJSON *o = NULL;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0)
		return -1;
	costed = post_year_query(r, &ca.year, p) > 0;
	if (problem_validation_done(p) != 0 ||
	    api_school_lookup(r, urn, &sid, p) != 0 || api_path_id(r, "id", "post", &id, p) != 0 ||
	    (o = store_post_get(r->db, sid, id, &version, p)) == NULL ||
	    (costed && (post_cost_load(r, urn, &ca, p) != 0 || post_add_cost(o, &ca) != 0)))
		goto out;
	/* the cost is derived: its ETag covers it ("<version>-h<hash>") */
	rc = costed ? api_reply_derived(r, 200, o, version, p) : api_reply_versioned(r, 200, o, NULL);
out:
	if (rc != 0 && o != NULL && p->status == 0)
		problem_internal(p);
	cJSON_Delete(o);
	staff_cost_free(&ca.sc);
	return rc;
}

/* ---- writes ---- */

struct post_write {
	struct req *r;
	const char *urn;
	uint32_t school_id;
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	struct post_in in;
	cJSON *after;
};

static int post_body(struct req *r, struct post_write *pw, cJSON **in, struct problem *p)
{
	struct jv_value v[PF__N];
	int vacant;

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", post_fields, PF__N, v, p);
	if (v[PF_ROLE].present && v[PF_ROLE].s != NULL && v[PF_CODE].present && v[PF_CODE].s != NULL)
		post_check_code(v[PF_ROLE].s, v[PF_CODE].s, p);
	if (v[PF_STARTS].present && !v[PF_STARTS].is_null && v[PF_ENDS].present && !v[PF_ENDS].is_null &&
	    v[PF_ENDS].i < v[PF_STARTS].i)
		problem_field(p, "/ends_on", "is before starts_on");
	vacant = v[PF_VACANT].present && v[PF_VACANT].i;
	if (vacant && v[PF_HOLDER].present && !v[PF_HOLDER].is_null)
		problem_field(p, "/holder_name", "must be null for a vacant post");
	if (v[PF_URN].item != NULL && (!cJSON_IsString(v[PF_URN].item) ||
				       strcmp(v[PF_URN].item->valuestring, pw->urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path (a post cannot move)");
	if (problem_validation_done(p) != 0)
		return -1;
	pw->in = (struct post_in){
		.reference = v[PF_REF].s, .title = v[PF_TITLE].s, .role = v[PF_ROLE].s,
		.account_code = v[PF_CODE].s, .scale = v[PF_SCALE].s, .point = v[PF_POINT].s,
		.top_point = v[PF_TOP].present && !v[PF_TOP].is_null ? v[PF_TOP].s : NULL,
		.point_year = (int)v[PF_YEAR].i, .fte_h = (int32_t)v[PF_FTE].i,
		.paid_weeks_h = v[PF_WEEKS].present && !v[PF_WEEKS].is_null ? (int32_t)v[PF_WEEKS].i : 0,
		.tlr_pence = v[PF_TLR].present ? v[PF_TLR].i : 0, .sen_pence = v[PF_SEN].present ? v[PF_SEN].i : 0,
		.fringe_pence = v[PF_FRINGE].present ? v[PF_FRINGE].i : 0,
		.other_allowance_pence = v[PF_OTHER].present ? v[PF_OTHER].i : 0,
		.pension = v[PF_PENSION].s, .ni_category = v[PF_NI].present ? v[PF_NI].s : "A",
		.starts_on = v[PF_STARTS].present && !v[PF_STARTS].is_null ? v[PF_STARTS].item->valuestring : NULL,
		.ends_on = v[PF_ENDS].present && !v[PF_ENDS].is_null ? v[PF_ENDS].item->valuestring : NULL,
		.vacant = vacant,
		.holder_name = !vacant && v[PF_HOLDER].present && !v[PF_HOLDER].is_null ? v[PF_HOLDER].s : NULL,
		.periods_taught = v[PF_PERIODS].present && !v[PF_PERIODS].is_null ? (int32_t)v[PF_PERIODS].i : -1,
	};
	return 0;
}

static int post_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct post_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	cJSON_Delete(pw->after);
	pw->after = NULL;
	return store_post_create(db, NULL, &who, pw->school_id, &pw->in, &pw->id, &pw->after, p);
}

static int post_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct post_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	cJSON_Delete(pw->after);
	pw->after = NULL;
	return store_post_update(db, NULL, &who, pw->school_id, pw->id, pw->want_version, &pw->in, &pw->after, p);
}

static int post_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct post_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	return store_post_delete(db, &who, pw->school_id, pw->id, pw->want_version, p);
}

int api_post_create(struct req *r, struct problem *p)
{
	struct post_write pw = { .r = r, .urn = http_param(r, "urn") };
	cJSON *in = NULL;
	char loc[96];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_school_lookup(r, pw.urn, &pw.school_id, p) != 0 || post_body(r, &pw, &in, p) != 0 ||
	    api_txn(r, post_create_txn, &pw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/schools/%s/posts/%lld", pw.urn, (long long)pw.id);
	rc = api_reply_versioned(r, 201, pw.after, loc);
out:
	cJSON_Delete(pw.after);
	cJSON_Delete(in);
	return rc;
}

int api_post_put(struct req *r, struct problem *p)
{
	struct post_write pw = { .r = r, .urn = http_param(r, "urn") };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_school_lookup(r, pw.urn, &pw.school_id, p) != 0 || api_path_id(r, "id", "post", &pw.id, p) != 0 ||
	    api_if_match(r, &pw.want_version, p) != 0 || post_body(r, &pw, &in, p) != 0 ||
	    api_txn(r, post_put_txn, &pw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, pw.after, NULL);
out:
	cJSON_Delete(pw.after);
	cJSON_Delete(in);
	return rc;
}

int api_post_delete(struct req *r, struct problem *p)
{
	struct post_write pw = { .r = r, .urn = http_param(r, "urn") };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_school_lookup(r, pw.urn, &pw.school_id, p) != 0 || api_path_id(r, "id", "post", &pw.id, p) != 0 ||
	    api_if_match(r, &pw.want_version, p) != 0 || api_txn(r, post_delete_txn, &pw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
