/*
 * api_services.c - the catalogue of shared services: list (keyset paging,
 * updated_since with tombstones, filters), read, create, replace and delete. A
 * service's cost for a year is derived (svcyear.c) from its contract or its
 * entered annual cost, so its ETag is "<version>-h<hash of the representation>"
 * as for contracts: If-None-Match sees any change, If-Match compares the version.
 * The finance director writes; the finance director, auditors and business
 * managers read. Subscriptions are in api_subscriptions.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "contract.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "service.h"
#include "store.h"
#include "store_services.h"
#include "svcyear.h"

static const char *const service_categories[] = {
	"catering", "cleaning", "ict", "payroll_hr", "insurance", "energy", "water", "audit", "legal", "grounds",
	"waste", "copiers", "supply_agency", "compliance", "estates", "finance", "governance", "school_improvement",
	"other", NULL
};
static const char *const service_fundings[] = { "core", "traded", NULL };

/* ---- list and read ---- */

static int service_enum_query(struct req *r, const char *name, const char *const *list, const char **out,
			      struct problem *p)
{
	const char *s = http_query(r, name);
	char field[32];

	*out = s;
	for (size_t i = 0; s != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 0;
	if (s != NULL) {
		snprintf(field, sizeof(field), "query:%s", name);
		problem_field(p, field, "is not one of the allowed values");
	}
	return 0;
}

/* How this request renders a service: priced for year with the configuration's
 * rates, a contract outside the caller's schools restricted (svcyear_service_json). */
struct service_view {
	struct svcyear_rates rates;              /* its history is hist */
	int year;
	const struct identity *scope;
	struct store_index_history hist;
};

/* The view of this request for year, with the index history read (not copied
 * afterwards: rates point into it). 0, or -1 with the problem set. */
static int service_view_init(struct req *r, int year, struct service_view *v, struct problem *p)
{
	memset(v, 0, sizeof(*v));
	v->year = year;
	v->scope = &r->id;
	return svcyear_rates_load(r->db, r->cfg, &v->rates, &v->hist, p);
}

static void service_view_free(struct service_view *v)
{
	store_index_history_free(&v->hist);
}

static cJSON *service_row_json(const struct db_rows *rows, size_t i, void *arg)
{
	const struct service_view *v = arg;

	return svcyear_service_json(v->rates, rows, i, v->year, v->scope);
}

/* store_service_render_fn: row 0, or a logged 500. */
static cJSON *service_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = service_row_json(rows, 0, arg);

	if (o == NULL)
		problem_internal(p);
	return o;
}

int api_services_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "year", "funding", "basis", "category", NULL };
	struct service_view v = { 0 };
	struct page pg;
	struct db_rows *rows = NULL;
	const char *funding, *basis, *category;
	int year, rc;

	if (api_page_query(r, also, &pg, p) != 0)
		return -1;
	if (api_year_query(r, &year, p) != 0)
		return -1;
	service_enum_query(r, "funding", service_fundings, &funding, p);
	service_enum_query(r, "basis", alloc_basis_names, &basis, p);
	service_enum_query(r, "category", service_categories, &category, p);
	if (problem_validation_done(p) != 0 || service_view_init(r, year, &v, p) != 0) {
		service_view_free(&v);
		return -1;
	}
	if (store_services_list(r->db, &pg, funding, basis, category, &rows, p) != 0) {
		service_view_free(&v);
		return -1;
	}
	rc = api_reply_page_with(r, rows, &pg, service_row_json, &v, p);
	db_rows_free(rows);
	service_view_free(&v);
	return rc;
}

int api_service_get(struct req *r, struct problem *p)
{
	struct service_view v = { 0 };
	int64_t id, version = 0;
	int year, rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 ||
	    api_path_id(r, "id", "service", &id, p) != 0 || api_year_query(r, &year, p) != 0 ||
	    service_view_init(r, year, &v, p) != 0 ||
	    (o = store_service_get(r->db, id, service_render, &v, &version, p)) == NULL) {
		service_view_free(&v);
		return -1;
	}
	rc = api_reply_derived(r, 200, o, version, p);
	cJSON_Delete(o);
	service_view_free(&v);
	return rc;
}

/* ---- writes ---- */

enum { SF_NAME, SF_CATEGORY, SF_DESCRIPTION, SF_CONTRACT, SF_ACCOUNT, SF_FUNDING, SF_BASIS, SF_UNIT, SF_COST,
       SF_VAT, SF_ID, SF_CONTRACT_RO, SF_YEAR, SF_COST_RO, SF_DELETED, SF_VERSION, SF_CREATED, SF_UPDATED, SF__N };

static const struct jv_field service_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED | JV_LINE | JV_NO_FORMULA, 1, 200, NULL, NULL },
	[SF_CATEGORY] = { "category", JV_STRING, JV_REQUIRED, 1, 32, service_categories, NULL },
	[SF_DESCRIPTION] = { "description", JV_STRING, JV_LINES | JV_NO_FORMULA, 0, 2000, NULL, NULL },
	[SF_CONTRACT] = { "contract_id", JV_INT, JV_NULLABLE, 1, UINT32_MAX, NULL, NULL },
	[SF_ACCOUNT] = { "account_code", JV_STRING, JV_REQUIRED, 1, 8, NULL, NULL },
	[SF_FUNDING] = { "funding", JV_STRING, JV_REQUIRED, 1, 8, service_fundings, NULL },
	[SF_BASIS] = { "basis", JV_STRING, JV_REQUIRED, 1, 16, alloc_basis_names, NULL },
	[SF_UNIT] = { "usage_unit", JV_STRING, JV_LINE | JV_NO_FORMULA, 0, 40, NULL, NULL },
	[SF_COST] = { "annual_cost_pence", JV_INT, JV_NULLABLE, 0, MONEY_LINE_MAX, NULL, NULL },
	[SF_VAT] = { "annual_vat_pence", JV_INT, 0, 0, MONEY_LINE_MAX, NULL, NULL },
	[SF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CONTRACT_RO] = { "contract", JV_OBJECT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_YEAR] = { "year", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_COST_RO] = { "cost", JV_OBJECT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_DELETED] = { "deleted", JV_BOOL, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct service_write {
	struct req *r;
	struct service_view view;
	struct jv_value v[SF__N];
	struct store_service_in in;
	struct store_service_write w;
	cJSON *after;
};

static int service_has(const struct jv_value *v)
{
	return v->present && !v->is_null;
}

/* The rules between fields: a contract or an entered cost, not both. */
static void service_body_rules(const struct jv_value *v, struct problem *p)
{
	if (service_has(&v[SF_CONTRACT])) {
		if (service_has(&v[SF_COST]))
			problem_field(p, "/annual_cost_pence", "is derived from contract %lld: leave it out or null",
				      (long long)v[SF_CONTRACT].i);
		if (v[SF_VAT].present && v[SF_VAT].i != 0)
			problem_field(p, "/annual_vat_pence", "is derived from contract %lld: leave it out or 0",
				      (long long)v[SF_CONTRACT].i);
	} else if (!service_has(&v[SF_COST])) {
		problem_field(p, "/annual_cost_pence", "is required for a service without a contract (an in-house "
			      "service): its annual cost net of VAT");
	}
}

/* A new basis must suit every live subscription (422 at /basis naming them). */
static int service_basis_fits(struct db *db, int64_t id, enum alloc_basis basis, struct problem *p)
{
	static const char *const cols[] = { "id", "school_id", "urn", "start_date", "end_date", "usage_units",
					    "fixed_share_bp" };
	struct db_rows *rows = NULL;
	struct service_span *spans = NULL;
	size_t c[7];
	int32_t day;
	int64_t total;
	int rc = -1;

	if (store_subscriptions_live(db, id, &rows, p) != 0)
		return -1;
	if (db_columns(rows, cols, 7, c, p) != 0)
		goto out;
	if (rows->nrows > 0 && (spans = calloc(rows->nrows, sizeof(*spans))) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *urn = db_cell(rows, i, c[2]);

		if (date_parse(db_cell(rows, i, c[3]), &spans[i].start) != 0) {
			problem_internal(p);
			goto out;
		}
		spans[i].end = PROCURE_NO_DATE;
		if (db_cell(rows, i, c[4]) != NULL && date_parse(db_cell(rows, i, c[4]), &spans[i].end) != 0) {
			problem_internal(p);
			goto out;
		}
		spans[i].bp = db_cell(rows, i, c[6]) != NULL ? db_cell_i64(rows, i, c[6]) : -1;
		if (basis == ALLOC_USAGE && db_cell(rows, i, c[5]) == NULL)
			problem_field(p, "/basis", "subscription %s of %s has no usage_units: set them before splitting "
				      "by usage", db_cell(rows, i, c[0]), urn);
		if (basis == ALLOC_FIXED_SHARE && spans[i].bp < 0)
			problem_field(p, "/basis", "subscription %s of %s has no fixed_share_bp: set the shares before "
				      "splitting by fixed shares", db_cell(rows, i, c[0]), urn);
		if (store_service_school_data(db, basis, db_cell_i64(rows, i, c[1]), urn, spans[i].start, "/basis", p) != 0)
			goto out;
	}
	if (basis == ALLOC_FIXED_SHARE && p->nerrors == 0 && service_shares_check(spans, rows->nrows, &day, &total) != 0) {
		char d[16];

		date_format(day, d, sizeof(d));
		problem_field(p, "/basis", "the subscriptions' fixed shares sum to %lld bp on %s, not 10000",
			      (long long)total, d);
	}
	rc = problem_validation_done(p) != 0 ? -1 : 0;
out:
	free(spans);
	db_rows_free(rows);
	return rc;
}

/* An update's check with the service locked: a new basis must suit its subscriptions. */
static int service_check(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p)
{
	struct service_write *sw = arg;
	int basis = alloc_basis_parse(sw->in.basis);

	if (basis == (int)l->basis)
		return 0;
	return service_basis_fits(db, l->id, (enum alloc_basis)basis, p);
}

static int service_write_txn(struct db *db, void *arg, struct problem *p)
{
	struct service_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct store_service_write w = sw->w;    /* a retried transaction starts again (a create's id) */

	cJSON_Delete(sw->after);
	sw->after = NULL;
	w.who = &who;
	if (store_service_write(db, &w, &sw->after, p) != 0)
		return -1;
	sw->w.id = w.id;
	return 0;
}

/* The query and body of a POST or PUT into sw (422 with every field's error). */
static int service_body(struct req *r, struct service_write *sw, cJSON **in, struct problem *p)
{
	const struct jv_value *v = sw->v;
	int year;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 ||
	    api_year_query(r, &year, p) != 0 || (*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", service_fields, SF__N, sw->v, p);
	if (cJSON_IsObject(*in))
		service_body_rules(sw->v, p);
	if (problem_validation_done(p) != 0)
		return -1;
	if (service_view_init(r, year, &sw->view, p) != 0)
		return -1;
	sw->in = (struct store_service_in){
		.name = v[SF_NAME].s, .category = v[SF_CATEGORY].s,
		.description = v[SF_DESCRIPTION].present ? v[SF_DESCRIPTION].s : "",
		.account_code = v[SF_ACCOUNT].s, .funding = v[SF_FUNDING].s, .basis = v[SF_BASIS].s,
		.usage_unit = v[SF_UNIT].present ? v[SF_UNIT].s : "",
		.contract_id = service_has(&v[SF_CONTRACT]) ? v[SF_CONTRACT].i : 0,
		.cost_pence = service_has(&v[SF_CONTRACT]) ? 0 : v[SF_COST].i,
		.vat_pence = service_has(&v[SF_CONTRACT]) || !v[SF_VAT].present ? 0 : v[SF_VAT].i,
	};
	sw->w.in = &sw->in;
	return 0;
}

/* A write's images, rendered as this request shows a service. */
static cJSON *service_write_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	struct service_write *sw = arg;

	return service_render(rows, &sw->view, p);
}

static void service_write_init(struct req *r, struct service_write *sw)
{
	sw->r = r;
	sw->w = (struct store_service_write){ .render = service_write_render, .check = service_check, .arg = sw };
}

int api_service_create(struct req *r, struct problem *p)
{
	struct service_write sw = { 0 };
	char loc[64];
	cJSON *in = NULL;
	int rc = -1;

	service_write_init(r, &sw);
	if (service_body(r, &sw, &in, p) != 0 || api_txn(r, service_write_txn, &sw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/services/%lld", (long long)sw.w.id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	rc = api_reply_derived(r, 201, sw.after, store_image_version(sw.after), p);
out:
	service_view_free(&sw.view);
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_service_put(struct req *r, struct problem *p)
{
	struct service_write sw = { 0 };
	cJSON *in = NULL;
	int rc = -1;

	service_write_init(r, &sw);
	if (api_path_id(r, "id", "service", &sw.w.id, p) != 0 || api_if_match(r, &sw.w.want_version, p) != 0 ||
	    service_body(r, &sw, &in, p) != 0 || api_txn(r, service_write_txn, &sw, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, sw.after, store_image_version(sw.after), p);
out:
	service_view_free(&sw.view);
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_service_delete(struct req *r, struct problem *p)
{
	struct service_write sw = { 0 };

	service_write_init(r, &sw);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "service", &sw.w.id, p) != 0 || api_if_match(r, &sw.w.want_version, p) != 0)
		return -1;
	if (service_view_init(r, acyear_of(api_today(r)), &sw.view, p) != 0 || api_txn(r, service_write_txn, &sw, p) != 0) {
		service_view_free(&sw.view);
		return -1;
	}
	service_view_free(&sw.view);
	return http_reply_empty(r, 204, NULL);
}
