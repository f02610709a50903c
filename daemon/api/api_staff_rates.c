/*
 * api_staff_rates.c - the on-cost rates by tax year and each entity's LGPS
 * employer rates (store_payscales.h; DESIGN.md "Staffing", issue 16):
 * GET /api/v1/staff-rates, GET|PUT /api/v1/staff-rates/{tax_year} ("2026-27"),
 * GET|PUT /api/v1/schools/{urn}/lgps-rates. Every finance role reads (the rates
 * are no one's personal data: a business manager reads every entity's LGPS
 * rate); the finance director writes, audited. A PUT creates without If-Match
 * and replaces with it (428 when there is something to replace and no If-Match).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "store_payscales.h"

#define RATES_PENCE_MAX INT64_C(1000000000)      /* £10m: past any threshold or allowance */

int api_staff_rates_list(struct req *r, struct problem *p)
{
	cJSON *items;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (items = store_staff_rates_list(r->db, p)) == NULL)
		return -1;
	return api_reply_list(r, items, NULL, p);
}

/* The {tax_year} of the path ("2026-27"): 400 when it is not one. */
static int rates_path_year(struct req *r, int *year, struct problem *p)
{
	const char *y = http_param(r, "tax_year");

	if (acyear_parse(y, year) == 0)
		return 0;
	problem_field(p, "path:tax_year", "must be a tax year written like 2026-27 (April 2026 to March 2027)");
	return problem_bad_request(p, "%s is not a tax year", y != NULL ? y : "");
}

int api_staff_rates_get(struct req *r, struct problem *p)
{
	int64_t version;
	int year, rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || rates_path_year(r, &year, p) != 0 ||
	    (o = store_staff_rates_get(r->db, year, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

enum { RF_NI, RF_NI_T, RF_NI_U, RF_TPS, RF_LEVY, RF_LEVY_A, RF_EA, RF_YEAR, RF_VERSION, RF_CREATED, RF_UPDATED,
       RF__N };

static const struct jv_field rates_fields[RF__N] = {
	[RF_NI] = { "ni_bp", JV_INT, JV_REQUIRED, 0, 10000, NULL, NULL },
	[RF_NI_T] = { "ni_threshold_pence", JV_INT, JV_REQUIRED, 0, RATES_PENCE_MAX, NULL, NULL },
	[RF_NI_U] = { "ni_upper_pence", JV_INT, JV_REQUIRED, 0, RATES_PENCE_MAX, NULL, NULL },
	[RF_TPS] = { "tps_bp", JV_INT, JV_REQUIRED, 0, 10000, NULL, NULL },
	[RF_LEVY] = { "levy_bp", JV_INT, JV_REQUIRED, 0, 10000, NULL, NULL },
	[RF_LEVY_A] = { "levy_allowance_pence", JV_INT, JV_REQUIRED, 0, RATES_PENCE_MAX, NULL, NULL },
	[RF_EA] = { "employment_allowance_pence", JV_INT, JV_REQUIRED, 0, RATES_PENCE_MAX, NULL, NULL },
	[RF_YEAR] = { "tax_year", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[RF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[RF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[RF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct rates_put {
	struct req *r;
	struct staff_rates_in in;
	int has_if_match, created;
	int64_t want_version;
	cJSON *after;
};

static int rates_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct rates_put *rp = arg;
	struct audit_actor who = api_actor(rp->r);

	cJSON_Delete(rp->after);
	rp->after = NULL;
	return store_staff_rates_put(db, &who, &rp->in, rp->has_if_match, rp->want_version, &rp->after,
				     &rp->created, p);
}

int api_staff_rates_put(struct req *r, struct problem *p)
{
	struct rates_put rp = { .r = r };
	struct jv_value v[RF__N];
	cJSON *in = NULL;
	char loc[64];
	int year, rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || rates_path_year(r, &year, p) != 0)
		return -1;
	rp.has_if_match = http_header(r, "If-Match") != NULL;
	if ((rp.has_if_match && http_if_match(r, &rp.want_version, p) != 0) || (in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", rates_fields, RF__N, v, p);
	if (v[RF_YEAR].item != NULL && (!cJSON_IsString(v[RF_YEAR].item) ||
					strcmp(v[RF_YEAR].item->valuestring, http_param(r, "tax_year")) != 0))
		problem_field(p, "/tax_year", "does not match the tax year in the path");
	if (v[RF_NI_T].present && v[RF_NI_U].present && v[RF_NI_U].i < v[RF_NI_T].i)
		problem_field(p, "/ni_upper_pence", "is below ni_threshold_pence");
	if (problem_validation_done(p) != 0)
		goto out;
	rp.in = (struct staff_rates_in){ .tax_year = year, .ni_bp = (int32_t)v[RF_NI].i, .tps_bp = (int32_t)v[RF_TPS].i,
		.levy_bp = (int32_t)v[RF_LEVY].i, .ni_threshold_pence = v[RF_NI_T].i, .ni_upper_pence = v[RF_NI_U].i,
		.levy_allowance_pence = v[RF_LEVY_A].i, .employment_allowance_pence = v[RF_EA].i };
	if (api_txn(r, rates_put_txn, &rp, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/staff-rates/%s", http_param(r, "tax_year"));
	rc = api_reply_versioned(r, rp.created ? 201 : 200, rp.after, rp.created ? loc : NULL);
out:
	cJSON_Delete(rp.after);
	cJSON_Delete(in);
	return rc;
}

/* ---- LGPS ---- */

#define LGPS_MAX 100

/* The {urn}: 400 malformed, 404 none; any finance role may read any entity's rates. */
static int lgps_entity(struct req *r, const char *urn, uint32_t *sid, struct problem *p)
{
	int64_t id;
	int rc;

	if (!api_urn_valid(urn)) {
		problem_field(p, "path:urn", "must be a six-digit URN or \"central\"");
		return problem_bad_request(p, "%s is not a URN", urn != NULL ? urn : "");
	}
	if ((rc = api_school_find(r, urn, &id, NULL, p)) < 0)
		return -1;
	if (rc == 0)
		return problem_not_found(p, "no school with URN %s", urn);
	*sid = (uint32_t)id;
	return 0;
}

int api_lgps_get(struct req *r, struct problem *p)
{
	const char *urn = http_param(r, "urn");
	int64_t version;
	uint32_t sid;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || lgps_entity(r, urn, &sid, p) != 0 ||
	    (o = store_lgps_get(r->db, sid, urn, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

enum { LF_ITEMS, LF_URN, LF_VERSION, LF_UPDATED, LF__N };

static const struct jv_field lgps_fields[LF__N] = {
	[LF_ITEMS] = { "items", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL },
	[LF_URN] = { "urn", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[LF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[LF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

enum { LIF_YEAR, LIF_RATE, LIF__N };

static const struct jv_field lgps_item_fields[LIF__N] = {
	[LIF_YEAR] = { "tax_year", JV_ACYEAR, JV_REQUIRED, 0, 0, NULL, NULL },
	[LIF_RATE] = { "rate_bp", JV_INT, JV_REQUIRED, 0, 10000, NULL, NULL },
};

struct lgps_put {
	struct req *r;
	const char *urn;
	uint32_t sid;
	int has_if_match;
	int64_t want_version;
	struct lgps_rate_in items[LGPS_MAX];
	size_t n;
	cJSON *after;
};

static int lgps_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct lgps_put *lp = arg;
	struct audit_actor who = api_actor(lp->r);

	cJSON_Delete(lp->after);
	lp->after = NULL;
	return store_lgps_put(db, &who, lp->sid, lp->urn, lp->has_if_match, lp->want_version, lp->items, lp->n,
			      &lp->after, p);
}

int api_lgps_put(struct req *r, struct problem *p)
{
	struct lgps_put lp = { .r = r, .urn = http_param(r, "urn") };
	struct jv_value v[LF__N];
	const cJSON *it;
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || lgps_entity(r, lp.urn, &lp.sid, p) != 0)
		return -1;
	lp.has_if_match = http_header(r, "If-Match") != NULL;
	if ((lp.has_if_match && http_if_match(r, &lp.want_version, p) != 0) || (in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", lgps_fields, LF__N, v, p);
	if (v[LF_URN].item != NULL && (!cJSON_IsString(v[LF_URN].item) ||
				       strcmp(v[LF_URN].item->valuestring, lp.urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path");
	if (cJSON_GetArraySize(v[LF_ITEMS].item) > LGPS_MAX)
		problem_field(p, "/items", "must have at most %d tax years", LGPS_MAX);
	else
		cJSON_ArrayForEach(it, v[LF_ITEMS].item) {
			struct jv_value iv[LIF__N];
			char ptr[48];

			snprintf(ptr, sizeof(ptr), "/items/%zu", lp.n);
			if (jsonv_object(it, ptr, lgps_item_fields, LIF__N, iv, p) == 0) {
				for (size_t j = 0; j < lp.n; j++)
					if (lp.items[j].tax_year == (int)iv[LIF_YEAR].i) {
						snprintf(ptr, sizeof(ptr), "/items/%zu/tax_year", lp.n);
						problem_field(p, ptr, "is given twice");
						break;
					}
				lp.items[lp.n] = (struct lgps_rate_in){ (int)iv[LIF_YEAR].i, (int32_t)iv[LIF_RATE].i };
			}
			lp.n++;
		}
	if (problem_validation_done(p) != 0 || api_txn(r, lgps_put_txn, &lp, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, lp.after, NULL);
out:
	cJSON_Delete(lp.after);
	cJSON_Delete(in);
	return rc;
}
