/*
 * api_periods.c - the trust's accounting periods (issue 17; README "Monitoring: the ledger and
 * actuals"; store_periods.h):
 *   GET /api/v1/periods?year=2026-27: the twelve months of the year, September first, each
 *     {"month","closed","closed_at","closed_by","reopen_reason","version"} (an unrecorded month:
 *     open, version 0); trust roles and business managers. The ETag is a hash of the body.
 *   POST /api/v1/periods/{month}/close (no body) and POST /api/v1/periods/{month}/reopen with
 *     {"reason"} (1..500 characters, required): the finance director; audited ("close",
 *     "reopen" of entity "period"); closing a closed month or reopening an open one is 409.
 *     {month} is a calendar month "2026-11" (400 path:month otherwise). Reply: the period.
 * A closed month's actuals and commitments cannot be imported (409 period-closed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "date.h"
#include "jsonv.h"
#include "store_periods.h"

int api_periods_list(struct req *r, struct problem *p)
{
	cJSON *o = NULL, *items;
	int year, rc = -1;
	char ys[16];

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 || api_year_query(r, &year, p) != 0 ||
	    (items = store_periods_year(r->db, year, p)) == NULL)
		return -1;
	acyear_format(year, ys, sizeof(ys));
	if ((o = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    !cJSON_AddItemToObject(o, "items", items)) {
		if (o == NULL || cJSON_GetObjectItemCaseSensitive(o, "items") != items)
			cJSON_Delete(items);
		problem_internal(p);
		goto out;
	}
	rc = api_reply_derived(r, 200, o, 0, p);
out:
	cJSON_Delete(o);
	return rc;
}

struct period_change {
	struct req *r;
	int year, month;
	const char *reason;                      /* NULL: close */
	cJSON *after;
};

static int period_change_txn(struct db *db, void *arg, struct problem *p)
{
	struct period_change *pc = arg;
	struct audit_actor who = api_actor(pc->r);

	cJSON_Delete(pc->after);
	pc->after = NULL;
	if (pc->reason == NULL)
		return store_period_close(db, &who, pc->year, pc->month, &pc->after, p);
	return store_period_reopen(db, &who, pc->year, pc->month, pc->reason, &pc->after, p);
}

/* The {month} of the path: 400 path:month when it is not "YYYY-MM". */
static int period_path_month(struct req *r, int *year, int *month, struct problem *p)
{
	const char *s = http_param(r, "month");

	if (acmonth_parse(s, year, month) != 0) {
		problem_field(p, "path:month", "must be a month written like 2026-11");
		return problem_bad_request(p, "%.20s is not a month", s != NULL ? s : "");
	}
	return 0;
}

static int period_change(struct req *r, struct period_change *pc, struct problem *p)
{
	int rc;

	if (api_txn(r, period_change_txn, pc, p) != 0) {
		cJSON_Delete(pc->after);
		return -1;
	}
	rc = api_reply_versioned(r, 200, pc->after, NULL);
	cJSON_Delete(pc->after);
	return rc;
}

int api_period_close(struct req *r, struct problem *p)
{
	struct period_change pc = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    period_path_month(r, &pc.year, &pc.month, p) != 0)
		return -1;
	return period_change(r, &pc, p);
}

static const struct jv_field reopen_fields[] = {
	{ "reason", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, 500, NULL, NULL },
};

int api_period_reopen(struct req *r, struct problem *p)
{
	struct period_change pc = { .r = r };
	struct jv_value v[1];
	cJSON *in;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    period_path_month(r, &pc.year, &pc.month, p) != 0 || (in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", reopen_fields, 1, v, p);
	if (problem_validation_done(p) != 0) {
		cJSON_Delete(in);
		return -1;
	}
	pc.reason = v[0].s;
	rc = period_change(r, &pc, p);
	cJSON_Delete(in);
	return rc;
}
