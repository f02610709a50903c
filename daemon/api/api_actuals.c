/*
 * api_actuals.c - the ledger's actuals and commitments (issue 17; README "Monitoring: the ledger
 * and actuals"):
 *   GET /api/v1/schools/{urn}/actuals?year=2026-27[&kind=actual|commitment]: an entity's cells of
 *     the year, {"urn","year","items":[{"month":"2026-09","account_code","kind","amount_pence"}]}
 *     ordered by month, code, kind (trust roles; a business manager her schools; school systems
 *     403 by the route table). The ETag is a hash of the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "date.h"
#include "store_actuals.h"

/* The kind query parameter: -1 absent (both), 0 actual, 1 commitment; a field error when bad. */
static int actuals_kind_query(struct req *r, int *kind, struct problem *p)
{
	const char *k = http_query(r, "kind");

	*kind = -1;
	if (k == NULL)
		return 0;
	if (strcmp(k, "actual") == 0)
		*kind = 0;
	else if (strcmp(k, "commitment") == 0)
		*kind = 1;
	else
		return problem_field(p, "query:kind", "must be actual or commitment");
	return 0;
}

static cJSON *actuals_entity_json(const char *urn, int year, const struct actual_cell *c, size_t n)
{
	cJSON *o = cJSON_CreateObject(), *items, *it;
	char ys[16], ms[8];

	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "urn", urn) == NULL ||
	    cJSON_AddStringToObject(o, "year", ys) == NULL || (items = cJSON_AddArrayToObject(o, "items")) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		acmonth_format(year, c[i].month, ms, sizeof(ms));
		if ((it = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(items, it) ||
		    cJSON_AddStringToObject(it, "month", ms) == NULL ||
		    cJSON_AddStringToObject(it, "account_code", c[i].code) == NULL ||
		    cJSON_AddStringToObject(it, "kind", c[i].commitment ? "commitment" : "actual") == NULL ||
		    cJSON_AddNumberToObject(it, "amount_pence", (double)c[i].amount) == NULL)
			goto oom;
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

int api_school_actuals_get(struct req *r, struct problem *p)
{
	const char *urn = http_param(r, "urn");
	struct actual_cell *cells = NULL;
	size_t n = 0;
	uint32_t sid;
	int year, kind, rc = -1;
	cJSON *o = NULL;

	if (http_query_allow(r, (const char *const[]){ "year", "kind", NULL }, p) != 0 ||
	    api_school_lookup(r, urn, &sid, p) != 0)
		return -1;
	actuals_kind_query(r, &kind, p);
	if (api_year_query(r, &year, p) != 0 || problem_validation_done(p) != 0)
		return -1;
	if (store_actuals_entity(r->db, sid, year, kind, &cells, &n, p) != 0)
		return -1;
	if ((o = actuals_entity_json(urn, year, cells, n)) == NULL)
		problem_internal(p);
	else
		rc = api_reply_derived(r, 200, o, 0, p);
	cJSON_Delete(o);
	free(cells);
	return rc;
}
