/* budget_view.c - see budget_view.h */
#include "budget_view.h"

#include <stdio.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "log.h"

int budget_view_load(struct req *r, const struct store_budget_ref *ref, struct budget_view *v, struct problem *p)
{
	cJSON *derived = NULL;
	char *text = NULL;

	memset(v, 0, sizeof(*v));
	if (recharges_load(r->db, svcyear_rates_of(r->cfg), ref->year, ref->sid, &v->rc, p) != 0)
		return -1;
	if ((derived = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToObject(derived, "recharges", recharges_json(&v->rc, NULL)) ||
	    (text = cJSON_PrintUnformatted(derived)) == NULL) {
		cJSON_Delete(derived);
		budget_view_free(v);
		log_err("budgets: out of memory hashing a budget's recharges");
		return problem_internal(p);
	}
	http_etag_hash(v->hash, sizeof(v->hash), text, strlen(text));
	cJSON_free(text);
	cJSON_Delete(derived);
	return 0;
}

void budget_view_free(struct budget_view *v)
{
	if (v == NULL)
		return;
	recharges_free(&v->rc);
	memset(v, 0, sizeof(*v));
}

const char *budget_view_etag(const struct budget_view *v, int64_t version, char *buf, size_t len)
{
	snprintf(buf, len, "\"%lld-%s", (long long)version, v->hash[0] == '"' ? v->hash + 1 : "h0\"");
	return buf;
}

int budget_view_decorate(const struct budget_view *v, cJSON *o, struct problem *p)
{
	cJSON *rc = recharges_json(&v->rc, cJSON_GetObjectItemCaseSensitive(o, "lines")), *f;

	if (rc == NULL || !cJSON_AddItemToObject(o, "recharges", rc)) {
		cJSON_Delete(rc);
		return problem_internal(p);
	}
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "findings")) {
		if ((!cJSON_HasObjectItem(f, "row") && cJSON_AddNullToObject(f, "row") == NULL) ||
		    (!cJSON_HasObjectItem(f, "line_id") && cJSON_AddNullToObject(f, "line_id") == NULL))
			return problem_internal(p);
	}
	return 0;
}
