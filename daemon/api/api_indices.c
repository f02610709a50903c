/*
 * api_indices.c - the trust's index history (store_indices.h): GET
 * /api/v1/indices, GET|PUT|DELETE /api/v1/indices/{name}. The finance director
 * writes (audited, versioned, If-Match); the finance director, auditors and
 * business managers read. A year's value is the rate applied at a contract's
 * anniversary falling in that academic year; a year without one takes
 * procurement.indexation_bp (default_bp). Every price of the register, the
 * allocations, the feed and the forecasts reads the history (price.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "date.h"
#include "jsonv.h"
#include "price.h"
#include "store_indices.h"

/* [a-z0-9_]{1,20} */
static int index_name_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n >= 1 && n <= PRICE_INDEX_MAX;
}

/* The {name} of the path: 404 when it cannot name an index. */
static const char *index_path_name(struct req *r, struct problem *p)
{
	const char *name = http_param(r, "name");

	if (name == NULL || !index_name_valid(name)) {
		problem_not_found(p, "no index named %s (names are 1 to 20 of a-z, 0-9 and _)",
				  name != NULL ? name : "");
		return NULL;
	}
	return name;
}

int api_indices_list(struct req *r, struct problem *p)
{
	cJSON *items;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (items = store_indices_list(r->db, r->cfg->procurement.indexation_bp, p)) == NULL)
		return -1;
	return api_reply_list(r, items, NULL, p);
}

int api_index_get(struct req *r, struct problem *p)
{
	const char *name;
	int64_t version;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (name = index_path_name(r, p)) == NULL ||
	    (o = store_index_get(r->db, name, r->cfg->procurement.indexation_bp, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

enum { IF_DESC, IF_VALUES, IF_NOTES, IF_NAME, IF_DEFAULT, IF_VERSION, IF_CREATED, IF_UPDATED, IF__N };

static const struct jv_field index_fields[IF__N] = {
	[IF_DESC] = { "description", JV_STRING, JV_LINE | JV_NO_FORMULA, 0, 500, NULL, NULL },
	[IF_VALUES] = { "values", JV_OBJECT, JV_REQUIRED, 0, 0, NULL, NULL },
	[IF_NOTES] = { "notes", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[IF_NAME] = { "name", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[IF_DEFAULT] = { "default_bp", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[IF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[IF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[IF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct index_put {
	struct req *r;
	const char *name;
	int has_if_match;
	int64_t want_version;
	struct index_in in;
	struct index_value_in values[PRICE_YEARS];
	cJSON *after;
	int created;
};

/* A year key "2026-27" within 2000-01 .. 2099-00: 0 with *year, or -1. */
static int index_year(const char *key, int *year)
{
	return acyear_parse(key, year) == 0 && *year >= PRICE_FIRST_YEAR && *year < PRICE_FIRST_YEAR + PRICE_YEARS ? 0 : -1;
}

/* "values" {"YYYY-YY": bp} and "notes" {"YYYY-YY": text}, each with its pointer. */
static void index_values_parse(const cJSON *values, const cJSON *notes, struct index_put *ip, struct problem *p)
{
	const cJSON *v;
	char f[48];
	int year;

	cJSON_ArrayForEach(v, values) {
		int64_t bp;

		jsonv_ptr_append(f, sizeof(f), jsonv_ptr_append(f, sizeof(f), 0, "values"), v->string);
		if (index_year(v->string, &year) != 0) {
			problem_field(p, f, "must be an academic year from 2000-01 to 2099-00, written like 2026-27");
			continue;
		}
		if (!cJSON_IsNumber(v) || jsonv_int(v, &bp) != 0 || bp < PRICE_BP_MIN || bp > PRICE_BP_MAX) {
			problem_field(p, f, "must be an integer number of basis points from -10000 to 100000");
			continue;
		}
		/* cJSON keeps a duplicate key: the second one is refused */
		for (size_t i = 0; i < ip->in.nvalues; i++)
			if (ip->values[i].year == year) {
				problem_field(p, f, "is given twice");
				year = -1;
			}
		if (year < 0 || ip->in.nvalues == PRICE_YEARS)
			continue;
		ip->values[ip->in.nvalues++] = (struct index_value_in){ .year = year, .bp = (int32_t)bp };
	}
	cJSON_ArrayForEach(v, notes) {
		const char *why = NULL;
		size_t i = 0;

		jsonv_ptr_append(f, sizeof(f), jsonv_ptr_append(f, sizeof(f), 0, "notes"), v->string);
		if (!cJSON_IsString(v)) {
			problem_field(p, f, "must be a string");
			continue;
		}
		if (strlen(v->valuestring) > 200 || (why = jsonv_text(v->valuestring, JV_LINE | JV_NO_FORMULA)) != NULL) {
			problem_field(p, f, "%s", strlen(v->valuestring) > 200 ? "must be at most 200 characters" : why);
			continue;
		}
		if (index_year(v->string, &year) == 0)
			while (i < ip->in.nvalues && ip->values[i].year != year)
				i++;
		if (index_year(v->string, &year) != 0 || i == ip->in.nvalues) {
			problem_field(p, f, "must be a year given in values");
			continue;
		}
		ip->values[i].note = v->valuestring;
	}
}

static int index_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct index_put *ip = arg;
	struct audit_actor who = api_actor(ip->r);

	cJSON_Delete(ip->after);
	ip->after = NULL;
	return store_index_put(db, &who, ip->name, ip->has_if_match, ip->want_version, &ip->in,
			       ip->r->cfg->procurement.indexation_bp, &ip->after, &ip->created, p);
}

int api_index_put(struct req *r, struct problem *p)
{
	struct index_put *ip = calloc(1, sizeof(*ip));
	struct jv_value v[IF__N];
	cJSON *in = NULL;
	char loc[64];
	int rc = -1;

	if (ip == NULL)
		return problem_internal(p);
	ip->r = r;
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (ip->name = index_path_name(r, p)) == NULL)
		goto out;
	ip->has_if_match = http_header(r, "If-Match") != NULL;
	if (ip->has_if_match && http_if_match(r, &ip->want_version, p) != 0)
		goto out;
	if ((in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", index_fields, IF__N, v, p);
	if (v[IF_NAME].item != NULL && (!cJSON_IsString(v[IF_NAME].item) ||
					strcmp(v[IF_NAME].item->valuestring, ip->name) != 0))
		problem_field(p, "/name", "does not match the name in the path");
	if (cJSON_IsObject(v[IF_VALUES].item))
		index_values_parse(v[IF_VALUES].item, cJSON_IsObject(v[IF_NOTES].item) ? v[IF_NOTES].item : NULL, ip, p);
	if (problem_validation_done(p) != 0)
		goto out;
	ip->in.description = v[IF_DESC].present ? v[IF_DESC].s : NULL;
	ip->in.values = ip->values;
	if (api_txn(r, index_put_txn, ip, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/indices/%s", ip->name);
	rc = api_reply_versioned(r, ip->created ? 201 : 200, ip->after, ip->created ? loc : NULL);
out:
	cJSON_Delete(ip->after);
	cJSON_Delete(in);
	free(ip);
	return rc;
}

struct index_delete {
	struct req *r;
	const char *name;
	int64_t want_version;
};

static int index_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct index_delete *d = arg;
	struct audit_actor who = api_actor(d->r);

	return store_index_delete(db, &who, d->name, d->want_version, d->r->cfg->procurement.indexation_bp, p);
}

int api_index_delete(struct req *r, struct problem *p)
{
	struct index_delete d = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (d.name = index_path_name(r, p)) == NULL ||
	    http_if_match(r, &d.want_version, p) != 0 || api_txn(r, index_delete_txn, &d, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
