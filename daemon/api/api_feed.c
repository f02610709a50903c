/*
 * api_feed.c - the school-systems feed: GET /api/v1/schools/{urn}/services?year=
 * Each service the school receives in the year (one item per subscription):
 * name, category, funding, supplier, contract reference and dates, notice-by and
 * days to notice, the subscription's dates and level, the school's cost this
 * year and how it was worked out, and what is recharged (traded) or paid
 * centrally (core).
 *
 * Syncing: items are ordered by (updated_at, id) with keyset paging (limit,
 * after) and updated_since. An item's updated_at is the newest change to
 * anything its figures depend on (svcyear.h: the service and every write to its
 * subscriptions, its contract, the census, FTE or floor-area rows of every
 * subscriber), so a change to another school's data shows as an update. With
 * updated_since, the school's subscriptions removed (or moved out of the year)
 * since then come as tombstones {"id", "service_id", "deleted": true,
 * "updated_at"}. days_to_notice counts from today, so it is not an update.
 *
 * Caching: the rendered page is kept in the worker's response cache keyed by
 * the path and the query, today's date and the configuration it depends on,
 * with a strong ETag over the whole body (so it covers other schools' data and
 * today's date). The cache is dropped on any write in this process and whenever
 * the audit log moves (server.c), so a poll answered 304 touches no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "config.h"
#include "contract.h"
#include "date.h"
#include "rcache.h"
#include "store_services.h"
#include "svcyear.h"
#include "worker.h"

#define FEED_KEY_MAX 600

struct feed_item {
	int64_t id;
	char updated[PAGE_TS_LEN];
	const struct svcyear_service *sv;        /* NULL: a tombstone */
	size_t k;                                /* the subscription in sy->subs */
	int64_t service_id;
};

static int feed_cmp(const void *a, const void *b)
{
	const struct feed_item *x = a, *y = b;
	int c = strcmp(x->updated, y->updated);

	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

static cJSON *feed_item_json(const struct svcyear *sy, const struct feed_item *it, int32_t today)
{
	const struct svcyear_service *sv = it->sv;
	const struct service_sub *s;
	const struct db_rows *rows = sy->srows;
	struct alloc_explain e;
	char text[700], cost_text[600], ts[40];
	cJSON *o = cJSON_CreateObject(), *c;

	if (o == NULL)
		return NULL;
	ts_rfc3339_from_db(it->updated, ts, sizeof(ts));
	cJSON_AddNumberToObject(o, "id", it->id);
	cJSON_AddNumberToObject(o, "service_id", it->service_id);
	if (sv == NULL) {
		cJSON_AddBoolToObject(o, "deleted", 1);
		cJSON_AddStringToObject(o, "updated_at", ts);
		return o;
	}
	s = &sy->subs[it->k];
	cJSON_AddStringToObject(o, "name", sv->name);
	cJSON_AddStringToObject(o, "category", db_cell(rows, sv->row, (size_t)db_col_index(rows, "category")));
	cJSON_AddStringToObject(o, "funding", sv->core ? "core" : "traded");
	cJSON_AddStringToObject(o, "basis", alloc_basis_names[sv->basis]);
	cJSON_AddStringToObject(o, "account_code", db_cell(rows, sv->row, (size_t)db_col_index(rows, "account_code")));
	if (sv->has_contract) {
		const char *sup = db_cell(rows, sv->row, (size_t)db_col_index(rows, "supplier_name"));
		/* an auto-renewing contract with no end: notice before its next renewal (issue 15) */
		int32_t notice = procure_notice_date(&sv->terms, &sv->dates, today, NULL);

		cJSON_AddItemToObject(o, "supplier", sup != NULL ? cJSON_CreateString(sup) : cJSON_CreateNull());
		cJSON_AddStringToObject(o, "contract_reference", db_cell(rows, sv->row, (size_t)db_col_index(rows, "reference")));
		cJSON_AddItemToObject(o, "contract_start_date", contract_date_json(sv->terms.start));
		cJSON_AddItemToObject(o, "contract_end_date", contract_date_json(sv->dates.current_end));
		cJSON_AddItemToObject(o, "notice_by", contract_date_json(notice));
		if (notice != PROCURE_NO_DATE)
			cJSON_AddNumberToObject(o, "days_to_notice", notice - today);
		else
			cJSON_AddNullToObject(o, "days_to_notice");
	} else {
		static const char *const none[] = { "supplier", "contract_reference", "contract_start_date",
						    "contract_end_date", "notice_by", "days_to_notice", NULL };

		for (size_t i = 0; none[i] != NULL; i++)
			cJSON_AddNullToObject(o, none[i]);
	}
	cJSON_AddItemToObject(o, "start_date", cJSON_CreateString(svcyear_sub_cell(sy, it->k, "start_date")));
	c = svcyear_sub_cell(sy, it->k, "end_date") != NULL ? cJSON_CreateString(svcyear_sub_cell(sy, it->k, "end_date")) :
		cJSON_CreateNull();
	cJSON_AddItemToObject(o, "end_date", c);
	cJSON_AddStringToObject(o, "level", svcyear_sub_cell(sy, it->k, "level"));
	cJSON_AddNumberToObject(o, "months", s->months);
	cJSON_AddNumberToObject(o, "cost_pence", s->pence);
	cJSON_AddNumberToObject(o, "recharged_pence", sv->core ? 0 : s->pence);
	service_explain(&sv->alloc, s, sv->usage_unit, &e);
	if (s->value < 0)
		snprintf(text, sizeof(text), "no %s recorded for this school: counted as 0",
			 sv->basis == ALLOC_PER_PUPIL ? "October census" : sv->basis == ALLOC_PER_FTE ? "staff FTE" :
			 "floor area");
	else
		alloc_explain(&e, text, sizeof(text));
	if (sv->core)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "; a core service, paid centrally from the central charge or the pool: not recharged");
	cJSON_AddStringToObject(o, "explanation", text);
	service_cost_explain(&sv->cost, sv->has_contract ?
			     db_cell(rows, sv->row, (size_t)db_col_index(rows, "reference")) : NULL, cost_text, sizeof(cost_text));
	c = cJSON_AddObjectToObject(o, "calculation");
	cJSON_AddNumberToObject(c, "service_cost_pence", sv->alloc.cost_pence);
	cJSON_AddStringToObject(c, "service_cost_explanation", cost_text);
	if (s->value >= 0)
		cJSON_AddNumberToObject(c, "value", s->value);
	else
		cJSON_AddNullToObject(c, "value");
	cJSON_AddNumberToObject(c, "total_value", sv->alloc.total);
	cJSON_AddBoolToObject(c, "prorated", sv->alloc.prorated);
	cJSON_AddNumberToObject(c, "weight", s->weight);
	cJSON_AddNumberToObject(c, "weight_total", sv->alloc.weight_total);
	cJSON_AddBoolToObject(c, "remainder_penny", s->extra_penny);
	cJSON_AddItemToObject(o, "assumptions", svcyear_assumptions_json(&sv->cost));
	cJSON_AddBoolToObject(o, "deleted", 0);
	cJSON_AddStringToObject(o, "updated_at", ts);
	if (c == NULL || cJSON_GetObjectItemCaseSensitive(o, "updated_at") == NULL ||
	    cJSON_GetObjectItemCaseSensitive(c, "remainder_penny") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

struct feed {
	struct svcyear sy;
	struct db_rows *changed;
	struct feed_item *items;
	size_t n;
	int64_t total_cost, total_recharged;
};

static void feed_free(struct feed *f)
{
	free(f->items);
	db_rows_free(f->changed);
	svcyear_free(&f->sy);
}

/* The school's items for the year, and with since its tombstones, in keyset order. */
static int feed_collect(struct req *r, struct feed *f, uint32_t school, int year, const struct page *pg,
			struct problem *p)
{
	size_t cap;

	if (svcyear_load(r->db, svcyear_rates_of(r->cfg), year, 0, school, &f->sy, p) != 0)
		return -1;
	if (pg->has_since) {
		if (store_subscriptions_changed(r->db, school, pg->since_ts, &f->changed, p) != 0)
			return -1;
	}
	cap = f->sy.nsubs + (f->changed != NULL ? f->changed->nrows : 0) + 1;
	if ((f->items = calloc(cap, sizeof(*f->items))) == NULL)
		return problem_internal(p);
	for (size_t v = 0; v < f->sy.nsvc; v++) {
		const struct svcyear_service *sv = &f->sy.svc[v];

		for (size_t k = sv->first; k < sv->first + sv->nsubs; k++) {
			const struct service_sub *s = &f->sy.subs[k];
			struct feed_item *it;

			if (s->school->id != school || s->months == 0)
				continue;
			f->total_cost += s->pence;
			f->total_recharged += sv->core ? 0 : s->pence;
			it = &f->items[f->n++];
			it->id = s->id;
			it->sv = sv;
			it->k = k;
			it->service_id = sv->id;
			snprintf(it->updated, sizeof(it->updated), "%s", sv->changed);
			if (strcmp(svcyear_sub_cell(&f->sy, k, "updated_at"), it->updated) > 0)
				snprintf(it->updated, sizeof(it->updated), "%s", svcyear_sub_cell(&f->sy, k, "updated_at"));
		}
	}
	/* changed since, and not (any longer) in this year's feed: gone for this client */
	for (size_t i = 0; f->changed != NULL && i < f->changed->nrows; i++) {
		int64_t id = db_get_i64(f->changed, i, "id");
		int live = 0;

		for (size_t j = 0; j < f->n && !live; j++)
			live = f->items[j].sv != NULL && f->items[j].id == id;
		if (live)
			continue;
		f->items[f->n].id = id;
		f->items[f->n].service_id = db_get_i64(f->changed, i, "service_id");
		snprintf(f->items[f->n].updated, sizeof(f->items[f->n].updated), "%s", db_get(f->changed, i, "updated_at"));
		f->n++;
	}
	if (f->n > 1)
		qsort(f->items, f->n, sizeof(*f->items), feed_cmp);
	return 0;
}

/* The page as text. */
static char *feed_render(struct req *r, struct feed *f, const char *urn, int year, const struct page *pg,
			 struct problem *p)
{
	cJSON *o = cJSON_CreateObject(), *items;
	char y[8], cursor[64];
	size_t shown = 0, last = 0;
	int more = 0;
	char *text = NULL;
	int32_t today = api_today(r);

	if (o == NULL)
		goto oom;
	acyear_format(year, y, sizeof(y));
	cJSON_AddStringToObject(o, "urn", urn);
	cJSON_AddStringToObject(o, "year", y);
	cJSON_AddNumberToObject(o, "total_cost_pence", f->total_cost);
	cJSON_AddNumberToObject(o, "total_recharged_pence", f->total_recharged);
	if ((items = cJSON_AddArrayToObject(o, "items")) == NULL)
		goto oom;
	for (size_t i = 0; i < f->n; i++) {
		const struct feed_item *it = &f->items[i];
		cJSON *x;

		if (pg->has_since && strcmp(it->updated, pg->since_ts) < 0)
			continue;
		if (pg->has_after && (strcmp(it->updated, pg->after_ts) < 0 ||
				      (strcmp(it->updated, pg->after_ts) == 0 && it->id <= pg->after_id)))
			continue;
		if (shown == (size_t)pg->limit) {
			more = 1;
			break;
		}
		if ((x = feed_item_json(&f->sy, it, today)) == NULL || !cJSON_AddItemToArray(items, x)) {
			cJSON_Delete(x);
			goto oom;
		}
		shown++;
		last = i;
	}
	if (more && page_cursor(cursor, sizeof(cursor), f->items[last].updated, f->items[last].id) == 0) {
		char *link = api_next_link(r, cursor);

		if (link == NULL || cJSON_AddStringToObject(o, "next", cursor) == NULL) {
			free(link);
			goto oom;
		}
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Link", link);
		free(link);
	} else if (cJSON_AddNullToObject(o, "next") == NULL) {
		goto oom;
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		problem_internal(p);
	return text;
oom:
	cJSON_Delete(o);
	problem_internal(p);
	return NULL;
}

/* A cached page's Link header, from the "next" cursor its body ends with
 * ({..., "next":"c123.45"}: cursors are letters, digits and dots). */
static void feed_cached_link(const struct req *r, const char *body, size_t len)
{
	static const char tag[] = "\"next\":\"";
	char cursor[64], *link;
	size_t n = 0;
	const char *s;

	if (len < sizeof(tag) + 2 || body[len - 1] != '}' || body[len - 2] != '"')
		return;
	for (s = body + len - 3; s > body && s[0] != '"' && n < sizeof(cursor) - 1; s--)
		n++;
	if ((size_t)(s - body) < sizeof(tag) - 2 || memcmp(s - (sizeof(tag) - 2), tag, sizeof(tag) - 1) != 0)
		return;
	memcpy(cursor, s + 1, n);
	cursor[n] = '\0';
	if ((link = api_next_link(r, cursor)) != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Link", link);
	free(link);
}

/* The cache key: the path and query, and what else the page depends on (today's
 * date, the configured VAT recovery and index). 0, or -1 when too long to cache. */
static int feed_key(const struct req *r, char *key, size_t len)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	const char *q = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	int n = snprintf(key, len, "%s?%s#%ld/%ld/%ld", r->path, q != NULL ? q : "", (long)api_today(r),
			 (long)r->cfg->vat_recoverable_bp, (long)r->cfg->procurement.indexation_bp);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

int api_school_services(struct req *r, struct problem *p)
{
	static const char *const also[] = { "year", NULL };
	const struct rcache_entry *e;
	const char *urn = http_param(r, "urn");
	char key[FEED_KEY_MAX], etag[64];
	struct feed f;
	struct page pg;
	uint32_t school;
	int year, cacheable = feed_key(r, key, sizeof(key)) == 0;
	char *text;

	if (cacheable && (e = rcache_get(r->w->rcache, key)) != NULL) {
		if (!identity_school_allowed(&r->id, (uint32_t)e->aux))
			return problem_forbidden(p, "your token is not for school %s", urn);
		if (!http_not_modified(r, e->etag)) {
			feed_cached_link(r, e->body, e->len);
			http_reply_raw(r, 200, "application/json; charset=utf-8", e->body, e->len, e->etag);
		}
		return 0;
	}
	if (api_page_query(r, also, &pg, p) != 0 || api_year_query(r, &year, p) != 0 ||
	    api_school_lookup(r, urn, &school, p) != 0)
		return -1;
	memset(&f, 0, sizeof(f));
	if (feed_collect(r, &f, school, year, &pg, p) != 0) {
		feed_free(&f);
		return -1;
	}
	text = feed_render(r, &f, urn, year, &pg, p);
	feed_free(&f);
	if (text == NULL)
		return -1;
	http_etag_hash(etag, sizeof(etag), text, strlen(text));
	if (cacheable)
		(void)rcache_put(r->w->rcache, key, text, strlen(text), etag, school);   /* -1: just not cached */
	if (!http_not_modified(r, etag))
		http_reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text), etag);
	cJSON_free(text);
	return 0;
}
