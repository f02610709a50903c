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
#include "api_services.h"
#include "contract.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "service.h"
#include "svcyear.h"

static const char *const service_categories[] = {
	"catering", "cleaning", "ict", "payroll_hr", "insurance", "energy", "water", "audit", "legal", "grounds",
	"waste", "copiers", "supply_agency", "compliance", "estates", "finance", "governance", "school_improvement",
	"other", NULL
};
static const char *const service_fundings[] = { "core", "traded", NULL };

int api_services_id(struct req *r, const char *name, int64_t *id, struct problem *p)
{
	const char *s = http_param(r, name);
	char *end, field[16];
	long long v = s != NULL ? strtoll(s, &end, 10) : 0;

	if (s == NULL || *s < '1' || *s > '9' || *end != '\0' || v <= 0 || v > UINT32_MAX) {
		snprintf(field, sizeof(field), "path:%s", name);
		problem_field(p, field, "must be a positive integer");
		return problem_bad_request(p, "%s is not an id", s != NULL ? s : "");
	}
	*id = v;
	return 0;
}

static const char service_lock_sql[] =
	"SELECT id, version, basis, name FROM services WHERE id = ? AND deleted_at IS NULL FOR UPDATE";

int api_services_lock(struct db *db, int64_t id, struct api_services_locked *out, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	int basis;

	if (db_query(db, service_lock_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return problem_not_found(p, "no service with id %lld", (long long)id);
	}
	out->id = id;
	out->version = db_cell_i64(rows, 0, 1);
	basis = alloc_basis_parse(db_cell(rows, 0, 2));
	out->basis = basis >= 0 ? (enum alloc_basis)basis : ALLOC_EQUAL;
	snprintf(out->name, sizeof(out->name), "%s", db_cell(rows, 0, 3));
	db_rows_free(rows);
	return 0;
}

static const char service_bump_sql[] =
	"UPDATE services SET version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

int api_services_bump(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_exec(db, service_bump_sql, &prm, 1, NULL, NULL, p);
}

static const char school_data_sql[] =
	"SELECT s.floor_area_m2,"
	" (SELECT COUNT(*) FROM school_years y WHERE y.school_id = s.id AND y.year <= ? AND y.pupils IS NOT NULL),"
	" (SELECT COUNT(*) FROM school_years y WHERE y.school_id = s.id AND y.year <= ? AND y.fte_hundredths IS NOT NULL)"
	" FROM schools s WHERE s.id = ?";

int api_services_school_data(struct db *db, enum alloc_basis basis, int64_t school_id, const char *urn,
			     int32_t start, const char *field, struct problem *p)
{
	int year = acyear_of(start);
	struct db_param prm[3] = { DBP_I64(year), DBP_I64(year), DBP_I64(school_id) };
	struct db_rows *rows = NULL;

	if (basis != ALLOC_PER_PUPIL && basis != ALLOC_PER_FTE && basis != ALLOC_FLOOR_AREA)
		return 0;
	if (db_query(db, school_data_sql, prm, 3, &rows, p) != 0)
		return -1;
	if (rows->nrows == 1) {
		if (basis == ALLOC_FLOOR_AREA && db_cell(rows, 0, 0) == NULL)
			problem_field(p, field, "%s has no floor area recorded (floor_area_m2), and the service is split "
				      "by floor area", urn);
		if (basis == ALLOC_PER_PUPIL && db_cell_i64(rows, 0, 1) == 0)
			problem_field(p, field, "%s has no October census (pupils) for %d-%02d or before, and the "
				      "service is split per pupil", urn, year, (year + 1) % 100);
		if (basis == ALLOC_PER_FTE && db_cell_i64(rows, 0, 2) == 0)
			problem_field(p, field, "%s has no staff FTE for %d-%02d or before, and the service is split "
				      "per FTE", urn, year, (year + 1) % 100);
	}
	db_rows_free(rows);
	return 0;
}

/* ---- list and read ---- */

static const char services_list_sql[] =
	"SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM " WHERE " API_KEYSET_WHERE("sv")
	" AND (sv.deleted_at IS NULL OR ? = 1) AND (? IS NULL OR sv.funding = ?) AND (? IS NULL OR sv.basis = ?)"
	" AND (? IS NULL OR sv.category = ?) ORDER BY sv.updated_at, sv.id LIMIT ?";

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

int api_services_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "year", "funding", "basis", "category", NULL };
	struct page pg;
	struct db_param prm[16];
	struct db_rows *rows = NULL;
	const char *funding, *basis, *category, *next = NULL;
	char cursor[64];
	cJSON *items = NULL;
	size_t n = 0, shown;
	int year, rc = -1;

	if (api_page_query(r, also, &pg, p) != 0)
		return -1;
	if (api_year_query(r, &year, p) != 0)
		return -1;
	service_enum_query(r, "funding", service_fundings, &funding, p);
	service_enum_query(r, "basis", alloc_basis_names, &basis, p);
	service_enum_query(r, "category", service_categories, &category, p);
	if (problem_validation_done(p) != 0)
		return -1;
	prm[n++] = pg.has_since ? DBP_STR(pg.since_ts) : DBP_NULL;
	prm[n++] = pg.has_since ? DBP_STR(pg.since_ts) : DBP_NULL;
	for (int i = 0; i < 3; i++)
		prm[n++] = pg.has_after ? DBP_STR(pg.after_ts) : DBP_NULL;
	prm[n++] = pg.has_after ? DBP_I64(pg.after_id) : DBP_NULL;
	/* tombstones only for a sync (updated_since) */
	prm[n++] = DBP_I64(pg.has_since);
	prm[n++] = DBP_STR(funding);
	prm[n++] = DBP_STR(funding);
	prm[n++] = DBP_STR(basis);
	prm[n++] = DBP_STR(basis);
	prm[n++] = DBP_STR(category);
	prm[n++] = DBP_STR(category);
	prm[n++] = DBP_I64(pg.limit + 1);
	if (db_query(r->db, services_list_sql, prm, n, &rows, p) != 0)
		return -1;
	shown = rows->nrows > (size_t)pg.limit ? (size_t)pg.limit : rows->nrows;
	if ((items = cJSON_CreateArray()) == NULL)
		goto oom;
	for (size_t i = 0; i < shown; i++) {
		cJSON *o = svcyear_service_json(r, rows, i, year);

		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	}
	if (rows->nrows > shown &&
	    page_cursor(cursor, sizeof(cursor), db_cell(rows, shown - 1, (size_t)db_col_index(rows, "updated_at")),
			db_cell_i64(rows, shown - 1, 0)) == 0)
		next = cursor;
	rc = api_reply_list(r, items, next, p);
	items = NULL;
	goto out;
oom:
	rc = problem_internal(p);
out:
	cJSON_Delete(items);
	db_rows_free(rows);
	return rc;
}

static const char service_get_sql[] = "SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM " WHERE sv.id = ?";

/* Service id as its representation (NULL with the problem set: 404 also for a deleted one). */
static cJSON *service_fetch(struct req *r, int64_t id, int year, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	cJSON *o = NULL;

	if (db_query(r->db, service_get_sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0 || db_cell(rows, 0, (size_t)db_col_index(rows, "deleted_at")) != NULL)
		problem_not_found(p, "no service with id %lld", (long long)id);
	else if ((o = svcyear_service_json(r, rows, 0, year)) == NULL)
		problem_internal(p);
	else
		*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	db_rows_free(rows);
	return o;
}

int api_service_get(struct req *r, struct problem *p)
{
	int64_t id, version = 0;
	int year, rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 || api_services_id(r, "id", &id, p) != 0 ||
	    api_year_query(r, &year, p) != 0 || (o = service_fetch(r, id, year, &version, p)) == NULL)
		return -1;
	rc = api_reply_derived(r, 200, o, version, p);
	cJSON_Delete(o);
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
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	int year;
	struct jv_value v[SF__N];
	cJSON *after;
	int64_t version;
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

static const char account_sql[] = "SELECT kind, active FROM accounts WHERE code = ?";
static const char contract_exists_sql[] = "SELECT id FROM contracts WHERE id = ?";

/* The account and the contract exist (422 otherwise). */
static int service_resolve(struct db *db, struct service_write *sw, struct problem *p)
{
	struct db_param prm = DBP_STR(sw->v[SF_ACCOUNT].s);
	struct db_rows *rows = NULL;

	if (db_query(db, account_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_field(p, "/account_code", "no account with code %s in the chart of accounts", sw->v[SF_ACCOUNT].s);
	else if (strcmp(db_cell(rows, 0, 0), "expenditure") != 0)
		problem_field(p, "/account_code", "%s is an income account: a service is booked to an expenditure "
			      "account", sw->v[SF_ACCOUNT].s);
	else if (db_cell_i64(rows, 0, 1) == 0)
		problem_field(p, "/account_code", "%s is no longer in use", sw->v[SF_ACCOUNT].s);
	db_rows_free(rows);
	if (service_has(&sw->v[SF_CONTRACT])) {
		prm = DBP_I64(sw->v[SF_CONTRACT].i);
		if (db_query(db, contract_exists_sql, &prm, 1, &rows, p) != 0)
			return -1;
		if (rows->nrows == 0)
			problem_field(p, "/contract_id", "no contract with id %lld", (long long)sw->v[SF_CONTRACT].i);
		db_rows_free(rows);
	}
	return problem_validation_done(p);
}

static const char subs_live_sql[] =
	"SELECT b.id, b.school_id, sc.urn, b.start_date, b.end_date, b.usage_units, b.fixed_share_bp"
	" FROM subscriptions b JOIN schools sc ON sc.id = b.school_id"
	" WHERE b.service_id = ? AND b.deleted_at IS NULL ORDER BY b.id FOR UPDATE";

/* A new basis must suit every live subscription (422 at /basis naming them). */
static int service_basis_fits(struct db *db, int64_t id, enum alloc_basis basis, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	struct service_span *spans = NULL;
	int32_t day;
	int64_t total;
	int rc = -1;

	if (db_query(db, subs_live_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0 && (spans = calloc(rows->nrows, sizeof(*spans))) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *urn = db_cell(rows, i, 2);

		if (date_parse(db_cell(rows, i, 3), &spans[i].start) != 0) {
			problem_internal(p);
			goto out;
		}
		spans[i].end = PROCURE_NO_DATE;
		if (db_cell(rows, i, 4) != NULL && date_parse(db_cell(rows, i, 4), &spans[i].end) != 0) {
			problem_internal(p);
			goto out;
		}
		spans[i].bp = db_cell(rows, i, 6) != NULL ? db_cell_i64(rows, i, 6) : -1;
		if (basis == ALLOC_USAGE && db_cell(rows, i, 5) == NULL)
			problem_field(p, "/basis", "subscription %s of %s has no usage_units: set them before splitting "
				      "by usage", db_cell(rows, i, 0), urn);
		if (basis == ALLOC_FIXED_SHARE && spans[i].bp < 0)
			problem_field(p, "/basis", "subscription %s of %s has no fixed_share_bp: set the shares before "
				      "splitting by fixed shares", db_cell(rows, i, 0), urn);
		if (api_services_school_data(db, basis, db_cell_i64(rows, i, 1), urn, spans[i].start, "/basis", p) != 0)
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

#define SERVICE_SET \
	"name = ?, category = ?, description = ?, contract_id = ?, account_code = ?, funding = ?, basis = ?, " \
	"usage_unit = ?, annual_cost_pence = ?, annual_vat_pence = ?"

static const char service_insert_sql[] = "INSERT INTO services SET " SERVICE_SET;
static const char service_update_sql[] =
	"UPDATE services SET " SERVICE_SET ", version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ? AND deleted_at IS NULL";

static int service_store(struct db *db, struct service_write *sw, struct problem *p)
{
	const struct jv_value *v = sw->v;
	struct db_param prm[12];
	uint64_t affected = 0, id = 0;
	size_t n = 0;
	int rc;

	prm[n++] = DBP_STR(v[SF_NAME].s);
	prm[n++] = DBP_STR(v[SF_CATEGORY].s);
	prm[n++] = DBP_STR(v[SF_DESCRIPTION].present ? v[SF_DESCRIPTION].s : "");
	prm[n++] = service_has(&v[SF_CONTRACT]) ? DBP_I64(v[SF_CONTRACT].i) : DBP_NULL;
	prm[n++] = DBP_STR(v[SF_ACCOUNT].s);
	prm[n++] = DBP_STR(v[SF_FUNDING].s);
	prm[n++] = DBP_STR(v[SF_BASIS].s);
	prm[n++] = DBP_STR(v[SF_UNIT].present ? v[SF_UNIT].s : "");
	prm[n++] = service_has(&v[SF_CONTRACT]) ? DBP_NULL : DBP_I64(v[SF_COST].i);
	prm[n++] = DBP_I64(service_has(&v[SF_CONTRACT]) || !v[SF_VAT].present ? 0 : v[SF_VAT].i);
	if (sw->id == 0) {
		rc = db_exec(db, service_insert_sql, prm, n, &affected, &id, p);
		sw->id = (int64_t)id;
	} else {
		prm[n++] = DBP_I64(sw->id);
		prm[n++] = DBP_I64(sw->want_version);
		rc = db_exec(db, service_update_sql, prm, n, &affected, NULL, p);
	}
	if (rc != 0) {
		if (db_errno(db) == DB_ER_DUP_ENTRY) {
			problem_conflict(p, "there is already a service called %s", v[SF_NAME].s);
			problem_field(p, "/name", "another service has this name");
		}
		return -1;
	}
	if (affected != 1)
		return problem_changed(p, "updated", "service %lld", (long long)sw->id);
	return 0;
}

static int service_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct service_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	char eid[24];

	cJSON_Delete(sw->after);
	sw->after = NULL;
	sw->id = 0;
	if (service_resolve(db, sw, p) != 0 || service_store(db, sw, p) != 0 ||
	    (sw->after = service_fetch(sw->r, sw->id, sw->year, &sw->version, p)) == NULL)
		return -1;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	return audit_write(db, &who, "create", "service", eid, NULL, sw->after, p);
}

static int service_body(struct req *r, struct service_write *sw, cJSON **in, struct problem *p)
{
	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 ||
	    api_year_query(r, &sw->year, p) != 0 || (*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", service_fields, SF__N, sw->v, p);
	if (cJSON_IsObject(*in))
		service_body_rules(sw->v, p);
	return problem_validation_done(p);
}

int api_service_create(struct req *r, struct problem *p)
{
	struct service_write sw = { .r = r };
	char loc[64];
	cJSON *in = NULL;
	int rc = -1;

	if (service_body(r, &sw, &in, p) != 0 || api_txn(r, service_post_txn, &sw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/services/%lld", (long long)sw.id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	rc = api_reply_derived(r, 201, sw.after, sw.version, p);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

/* Lock the service and compare the version the client had (404, 412). */
static int service_lock_version(struct db *db, struct service_write *sw, struct api_services_locked *l,
				struct problem *p)
{
	if (api_services_lock(db, sw->id, l, p) != 0)
		return -1;
	if (l->version != sw->want_version)
		return problem_stale(p, l->version, sw->want_version, "service %lld", (long long)sw->id);
	return 0;
}

static int service_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct service_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct api_services_locked l;
	cJSON *before = NULL;
	int64_t v;
	char eid[24];
	int basis = alloc_basis_parse(sw->v[SF_BASIS].s), rc = -1;

	cJSON_Delete(sw->after);
	sw->after = NULL;
	if (service_lock_version(db, sw, &l, p) != 0 || service_resolve(db, sw, p) != 0)
		return -1;
	if (basis != (int)l.basis && service_basis_fits(db, sw->id, (enum alloc_basis)basis, p) != 0)
		return -1;
	if ((before = service_fetch(sw->r, sw->id, sw->year, &v, p)) == NULL || service_store(db, sw, p) != 0 ||
	    (sw->after = service_fetch(sw->r, sw->id, sw->year, &sw->version, p)) == NULL)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	rc = audit_write(db, &who, "update", "service", eid, before, sw->after, p);
out:
	cJSON_Delete(before);
	return rc;
}

int api_service_put(struct req *r, struct problem *p)
{
	struct service_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (api_services_id(r, "id", &sw.id, p) != 0 || api_if_match(r, &sw.want_version, p) != 0 ||
	    service_body(r, &sw, &in, p) != 0 || api_txn(r, service_put_txn, &sw, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, sw.after, sw.version, p);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

/* A deleted service stays as a tombstone and gives up its contract (so that a draft
 * contract can still be deleted); its subscriptions become tombstones too, so the
 * schools' systems see them go. */
static const char service_delete_sql[] =
	"UPDATE services SET deleted_at = UTC_TIMESTAMP(6), contract_id = NULL,"
	" annual_cost_pence = COALESCE(annual_cost_pence, 0), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";
static const char service_delete_subs_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE service_id = ? AND deleted_at IS NULL";

static int service_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct service_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct api_services_locked l;
	struct db_param prm[2] = { DBP_I64(sw->id), DBP_I64(sw->want_version) };
	cJSON *before = NULL;
	uint64_t subs = 0;
	int64_t v;
	char eid[24];
	int rc = -1;

	if (service_lock_version(db, sw, &l, p) != 0 ||
	    (before = service_fetch(sw->r, sw->id, sw->year, &v, p)) == NULL)
		return -1;
	if (db_exec(db, service_delete_subs_sql, prm, 1, &subs, NULL, p) != 0 ||
	    db_exec(db, service_delete_sql, prm, 2, NULL, NULL, p) != 0)
		goto out;
	cJSON_AddNumberToObject(before, "subscriptions_deleted", (int64_t)subs);
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	rc = audit_write(db, &who, "delete", "service", eid, before, NULL, p);
out:
	cJSON_Delete(before);
	return rc;
}

int api_service_delete(struct req *r, struct problem *p)
{
	struct service_write sw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_services_id(r, "id", &sw.id, p) != 0 ||
	    api_if_match(r, &sw.want_version, p) != 0)
		return -1;
	sw.year = acyear_of(api_today(r));
	if (api_txn(r, service_delete_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
