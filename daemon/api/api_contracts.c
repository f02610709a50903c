/*
 * api_contracts.c - the contract register: list (filters, sorts, keyset paging,
 * updated_since), read, create, replace and delete contracts, and their
 * procurement check. Transitions are in api_transitions.c.
 *
 * Every representation carries derived fields (estimated value, notice date,
 * options remaining, days to notice, the check), which depend on today's date,
 * the configuration and the rest of the register, so a contract's ETag is
 * "<version>-h<hash of the representation>": If-None-Match compares all of it,
 * If-Match only the version before the '-' (what a client edits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "config.h"
#include "date.h"
#include "export.h"
#include "log.h"
#include "store_contracts.h"
#include "strbuf.h"

/* How a contract is rendered for this request: the rules, today, the caller's scope. */
static struct store_contract_view contracts_view(const struct req *r)
{
	return (struct store_contract_view){ .rules = &r->cfg->procurement, .today = api_today(r), .scope = &r->id };
}

/* ---- list ---- */

struct list_query {
	struct page pg;
	int sort;                                /* -1: (updated_at, id); else store_contracts_sorts[sort] */
	char key[256];                           /* a sort's cursor: the key and the id */
	struct store_contracts_filter f;
	char exp_from[16], exp_to[16], not_from[16], not_to[16], today[16];
};

static int list_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int list_enum(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* The window [today, today + n] of a *_within_days parameter. */
static int list_window(struct req *r, const char *name, char *from, char *to, struct problem *p)
{
	const char *s = http_query(r, name);
	int64_t n;
	char field[48];

	if (s == NULL)
		return 0;
	if (list_int(s, 0, 3650, &n) != 0) {
		snprintf(field, sizeof(field), "query:%s", name);
		problem_field(p, field, "must be a number of days from 0 to 3650");
		return 0;
	}
	date_format(api_today(r), from, 16);
	date_format(api_today(r) + (int32_t)n, to, 16);
	return 1;
}

static int list_cursor_parse(struct list_query *lq, const char *s)
{
	if (page_key_cursor_parse(s, store_contracts_sorts[lq->sort], lq->key, sizeof(lq->key), &lq->f.key_id) != 0)
		return -1;
	if (store_contracts_sort_numeric(lq->sort) && list_int(lq->key, 0, INT64_MAX, &(int64_t){ 0 }) != 0)
		return -1;
	lq->f.key = lq->key;
	lq->f.has_key = 1;
	return 0;
}

static int list_parse(struct req *r, struct list_query *lq, struct problem *p)
{
	static const char *const allowed[] = { "limit", "after", "updated_since", "status", "category", "supplier",
					       "school", "expiring_within_days", "notice_within_days", "q", "sort",
					       NULL };
	const char *sort = http_query(r, "sort"), *school = http_query(r, "school"), *s;
	const char *after = http_query(r, "after");

	memset(lq, 0, sizeof(*lq));
	lq->sort = lq->f.sort = -1;
	date_format(api_today(r), lq->today, sizeof(lq->today));
	lq->f.today = lq->today;                 /* the notice dates' (procure_notice_date) */
	lq->f.scope = api_scope(r);
	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (sort != NULL && strcmp(sort, "updated_at") != 0) {
		for (int i = 0; store_contracts_sorts[i] != NULL; i++)
			if (strcmp(store_contracts_sorts[i], sort) == 0)
				lq->sort = lq->f.sort = i;
		if (lq->sort < 0)
			problem_field(p, "query:sort", "must be one of updated_at, reference, title, end, notice_by, "
				      "value, each but updated_at with - for descending");
	}
	/* errors go into p, reported with the others below */
	if (page_parse(http_query(r, "limit"), lq->sort < 0 ? after : NULL, http_query(r, "updated_since"),
		       &lq->pg, p) != 0 && p->nerrors == 0)
		return problem_validation_done(p);
	if (lq->sort >= 0 && after != NULL && list_cursor_parse(lq, after) != 0)
		problem_field(p, "query:after", "is not a cursor this server gave out for sort=%s", sort);
	if ((lq->f.status = http_query(r, "status")) != NULL && !list_enum(lq->f.status, contract_statuses))
		problem_field(p, "query:status", "must be one of draft, awaiting_approval, active, expired, terminated");
	if ((lq->f.category = http_query(r, "category")) != NULL && !list_enum(lq->f.category, contract_categories))
		problem_field(p, "query:category", "must be one of the categories (catering, cleaning, ict, ...)");
	if ((s = http_query(r, "supplier")) != NULL && list_int(s, 1, UINT32_MAX, &lq->f.supplier) != 0)
		problem_field(p, "query:supplier", "must be a supplier id");
	if ((lq->f.q = http_query(r, "q")) != NULL && (lq->f.q[0] == '\0' || strlen(lq->f.q) > 200))
		problem_field(p, "query:q", "must be 1 to 200 characters");
	if (list_window(r, "expiring_within_days", lq->exp_from, lq->exp_to, p)) {
		lq->f.expiring_from = lq->exp_from;
		lq->f.expiring_to = lq->exp_to;
	}
	if (list_window(r, "notice_within_days", lq->not_from, lq->not_to, p)) {
		lq->f.notice_from = lq->not_from;
		lq->f.notice_to = lq->not_to;
	}
	if (school != NULL && strcmp(school, "trust") != 0 &&
	    (strlen(school) != 6 || strspn(school, "0123456789") != 6))
		problem_field(p, "query:school", "must be a school's URN or \"trust\" (trust-wide contracts)");
	if (problem_validation_done(p) != 0)
		return -1;
	if (school != NULL) {
		uint32_t sid = 0;

		lq->f.has_school = 1;
		if (strcmp(school, "trust") != 0) {
			if (api_school_lookup(r, school, &sid, p) != 0) {
				if (p->status == 404) {
					/* a filter value, not the resource: 422 */
					problem_reset(p);
					problem_field(p, "query:school", "no school with URN %s", school);
					return problem_validation_done(p);
				}
				return -1;
			}
		}
		lq->f.school_id = sid;
	}
	return 0;
}

/* ---- the register as a spreadsheet ---- */

enum { RC_REF, RC_TITLE, RC_SUPPLIER, RC_CATEGORY, RC_TYPE, RC_SCHOOL, RC_ROUTE, RC_STATUS, RC_START, RC_END,
       RC_FINAL, RC_NOTICE, RC_ANNUAL, RC_VAT, RC_ESTIMATED, RC_IX, RC_IX_BP, RC_COMPLIANT, RC_ISSUES, RC_WARNINGS,
       RC__N };

static const struct table_col register_cols[RC__N] = {
	[RC_REF] = { "reference", TABLE_TEXT, 0, 16 },
	[RC_TITLE] = { "title", TABLE_TEXT, 0, 40 },
	[RC_SUPPLIER] = { "supplier", TABLE_TEXT, 0, 28 },
	[RC_CATEGORY] = { "category", TABLE_TEXT, 0, 14 },
	[RC_TYPE] = { "contract_type", TABLE_TEXT, 0, 16 },
	[RC_SCHOOL] = { "school", TABLE_TEXT, 0, 10 },
	[RC_ROUTE] = { "route", TABLE_TEXT, 0, 18 },
	[RC_STATUS] = { "status", TABLE_TEXT, 0, 18 },
	[RC_START] = { "start_date", TABLE_DATE, 0, 0 },
	[RC_END] = { "current_end", TABLE_DATE, 0, 0 },
	[RC_FINAL] = { "final_end", TABLE_DATE, 0, 0 },
	[RC_NOTICE] = { "notice_by", TABLE_DATE, 0, 0 },
	[RC_ANNUAL] = { "annual_value", TABLE_PENCE, 0, 0 },
	[RC_VAT] = { "vat", TABLE_PENCE, 0, 0 },
	[RC_ESTIMATED] = { "estimated_value", TABLE_PENCE, 0, 0 },
	[RC_IX] = { "indexation", TABLE_TEXT, 0, 12 },
	[RC_IX_BP] = { "indexation_bp", TABLE_BP, 0, 0 },
	[RC_COMPLIANT] = { "compliant", TABLE_TEXT, 0, 0 },
	[RC_ISSUES] = { "compliance_issues", TABLE_TEXT, 0, 48 },
	[RC_WARNINGS] = { "warnings", TABLE_TEXT, 0, 48 },
};

/* The contracts a register export reads at a time (bounded memory, any register). */
#define REGISTER_BATCH 200

static void register_date(struct table *t, int32_t d)
{
	char buf[16];

	if (d == PROCURE_NO_DATE) {
		table_blank(t);
		return;
	}
	date_format(d, buf, sizeof(buf));
	table_text(t, buf);
}

/* Items' messages joined by "; " (NULL when there are none; the caller frees). */
static char *register_items(const struct procure_item *items, size_t n, struct table *t)
{
	struct strbuf b;
	char *s;

	if (n == 0)
		return NULL;
	if (strbuf_init(&b, 256) != 0) {
		table_fail(t);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		strbuf_printf(&b, "%s%s", k > 0 ? "; " : "", items[k].message);
	if ((s = strbuf_take(&b)) == NULL)
		table_fail(t);
	return s;
}

/* What each row of the register's export takes. */
struct register_arg {
	struct table *t;
	int32_t today;
};

/* One contract's row (store_contracts_each_fn). */
static int register_row(void *arg, const struct db_rows *rows, size_t i, const struct contract_row *c,
			const struct procure_result *chk)
{
	const struct register_arg *ra = arg;
	struct table *t = ra->t;
	const struct procure_terms *pt = &c->pc.t;
	const char *school = db_get(rows, i, "school"), *ixi = db_get(rows, i, "indexation_index");
	struct procure_dates d;
	char *issues, *warnings;

	procure_dates(pt, &d);
	/* the notice date the contract's JSON shows: with no end, before its next renewal */
	d.notice_by = procure_notice_date(pt, &d, ra->today, NULL);
	table_row(t, 0);
	table_text(t, c->pc.reference);
	table_text(t, db_get(rows, i, "title"));
	table_text(t, db_get(rows, i, "supplier_name"));
	table_text(t, c->pc.category);
	table_text(t, c->pc.contract_type);
	table_text(t, school != NULL ? school : "trust");
	table_text(t, db_get(rows, i, "route"));
	table_text(t, c->status);
	register_date(t, pt->start);
	register_date(t, d.current_end);
	register_date(t, d.final_end);
	register_date(t, d.notice_by);
	table_num(t, pt->annual_pence);
	table_num(t, pt->vat_pence);
	table_num(t, chk->value.pence);
	table_text(t, pt->ix == PROCURE_IX_NONE ? "none" : pt->ix == PROCURE_IX_FIXED ? "fixed" :
		      ixi != NULL ? ixi : "index");
	if (pt->ix == PROCURE_IX_NONE)
		table_blank(t);
	else
		table_num(t, chk->value.rate_bp);
	table_text(t, chk->compliant ? "yes" : "no");
	issues = register_items(chk->missing, chk->nmissing, t);         /* the route's included */
	warnings = register_items(chk->warnings, chk->nwarnings, t);
	table_text(t, issues);
	table_text(t, warnings);
	free(issues);
	free(warnings);
	return t->failed ? -1 : 0;
}

/* The register as CSV or XLSX: every contract the filters select (not a page), read a
 * page at a time in one snapshot and, in XLSX, written to disk a row at a time. */
static int register_export(struct req *r, struct list_query *lq, enum export_format fmt, struct problem *p)
{
	struct store_contract_view v = contracts_view(r);
	struct export e;
	char stem[32], today[16];
	int rc = -1;

	date_format(api_today(r), today, sizeof(today));
	snprintf(stem, sizeof(stem), "contracts-%s", today);
	if (export_begin(&e, fmt, EXPORT_STREAM, "Contract register", p) == 0) {
		table_sheet(&e.t, "Contracts", register_cols, RC__N, 0);
		struct register_arg ra = { &e.t, api_today(r) };

		if (store_contracts_each(r->db, &v, &lq->pg, &lq->f, REGISTER_BATCH, register_row, &ra, p) == 0)
			rc = export_reply(r, &e, stem, NULL, p);
	}
	export_end(&e);
	return rc;
}

int api_contracts_list(struct req *r, struct problem *p)
{
	struct store_contract_view v = contracts_view(r);
	struct list_query lq;
	struct db_rows *rows = NULL;
	cJSON *items = NULL;
	char cursor[600];
	const char *next = NULL;
	size_t shown;
	enum export_format fmt;
	int rc = -1;

	if (list_parse(r, &lq, p) != 0)
		goto out;
	if ((fmt = export_format(r)) != EXPORT_JSON) {
		rc = register_export(r, &lq, fmt, p);
		goto out;
	}
	if (store_contracts_list(r->db, &lq.pg, &lq.f, &rows, p) != 0)
		goto out;
	shown = rows->nrows > (size_t)lq.pg.limit ? (size_t)lq.pg.limit : rows->nrows;
	if ((items = store_contracts_images(r->db, &v, rows, shown, p)) == NULL)
		goto out;
	if (rows->nrows > shown && shown > 0) {
		int64_t id = db_get_i64(rows, shown - 1, "id");

		if (lq.sort < 0) {
			if (page_cursor(cursor, sizeof(cursor), db_get(rows, shown - 1, "updated_at"), id) == 0)
				next = cursor;
		} else {
			page_key_cursor(cursor, sizeof(cursor), store_contracts_sorts[lq.sort],
					db_get(rows, shown - 1, "_sortkey"), id);
			next = cursor;
		}
	}
	rc = api_reply_list(r, items, next, p);
	items = NULL;
out:
	cJSON_Delete(items);
	db_rows_free(rows);
	return rc;
}

/* ---- one contract ---- */

int api_contract_get(struct req *r, struct problem *p)
{
	struct store_contract_view v = contracts_view(r);
	int64_t id, version = 0;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "contract", &id, p) != 0 ||
	    (o = store_contract_get(r->db, &v, id, &version, NULL, p)) == NULL)
		return -1;
	rc = api_reply_derived(r, 200, o, version, p);
	cJSON_Delete(o);
	return rc;
}

int api_contract_compliance(struct req *r, struct problem *p)
{
	struct store_contract_view v = contracts_view(r);
	struct procure_result chk;
	int64_t id, version = 0;
	cJSON *o, *c;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "contract", &id, p) != 0 ||
	    (o = store_contract_get(r->db, &v, id, &version, &chk, p)) == NULL)
		return -1;
	if ((c = contract_check_json(&chk)) == NULL) {
		cJSON_Delete(o);
		return problem_internal(p);
	}
	/* the check, with what identifies the contract and any waiver on it */
	cJSON_AddNumberToObject(c, "contract_id", id);
	cJSON_AddItemToObject(c, "reference", cJSON_DetachItemFromObjectCaseSensitive(o, "reference"));
	cJSON_AddItemToObject(c, "status", cJSON_DetachItemFromObjectCaseSensitive(o, "status"));
	cJSON_AddItemToObject(c, "exception", cJSON_DetachItemFromObjectCaseSensitive(o, "exception"));
	cJSON_Delete(o);
	rc = api_reply_derived(r, 200, c, 0, p);
	cJSON_Delete(c);
	return rc;
}

/* ---- the check of an unsaved contract ---- */

/*
 * POST /api/v1/contracts/compliance-check: the body a POST or PUT would take,
 * validated the same way (422), checked as if saved, nothing written. A business
 * manager may check trust-wide contracts and their own schools' (403 otherwise).
 * ?contract_id= names the contract the body would replace, so that it is not
 * counted twice in the register's warnings.
 */
int api_contract_compliance_check(struct req *r, struct problem *p)
{
	struct store_contract_view v = contracts_view(r);
	struct contract_body b;
	struct procure_result chk;
	int64_t id = 0, school_id = 0;
	int is_school = 0, found;
	cJSON *in = NULL, *c = NULL;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	if (http_query_allow(r, (const char *const[]){ "contract_id", NULL }, p) != 0)
		goto out;
	if (http_query(r, "contract_id") != NULL) {
		api_query_id(r, "contract_id", "contract id", &id, p);
		if (problem_validation_done(p) != 0)
			goto out;
	}
	if ((in = http_read_json(r, p)) == NULL)
		goto out;
	contract_body_parse(in, &b, p);
	if (problem_validation_done(p) != 0)
		goto out;
	if (b.school != NULL) {
		if ((found = api_school_find(r, b.school, &school_id, &is_school, p)) < 0)
			goto out;
		if (found == 0 || !is_school)
			school_id = -1;
		else if (r->id.role == ROLE_BUSINESS_MANAGER && !identity_school_allowed(&r->id, (uint32_t)school_id)) {
			problem_forbidden(p, "school %s is not one of your schools", b.school);
			goto out;
		}
	}
	if (store_contract_check_body(r->db, &v, &b, id, school_id, &chk, p) != 0)
		goto out;
	if ((c = contract_check_json(&chk)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = http_reply_json(r, 200, c, NULL);
out:
	cJSON_Delete(c);
	contract_body_free(&b);
	cJSON_Delete(in);
	return rc;
}

/* ---- writes ---- */

struct contract_write {
	struct req *r;
	int creating;                            /* POST */
	int64_t id;                              /* PUT's; POST's once created */
	int64_t want_version;
	struct contract_body b;
	cJSON *after;
};

/* The school the body names, through the worker's map: 0 for none (trust-wide),
 * -1 when no school has its URN (the store reports it with the body's other
 * references). */
static int contract_school(struct contract_write *cw, int64_t *school_id, struct problem *p)
{
	int is_school = 0, rc;

	*school_id = 0;
	if (cw->b.school == NULL)
		return 0;
	if ((rc = api_school_find(cw->r, cw->b.school, school_id, &is_school, p)) < 0)
		return -1;
	if (rc == 0 || !is_school)
		*school_id = -1;
	return 0;
}

/* POST and PUT: the body's school, then the store's create or versioned update. */
static int contract_save_txn(struct db *db, void *arg, struct problem *p)
{
	struct contract_write *cw = arg;
	struct audit_actor who = api_actor(cw->r);
	struct store_contract_view v = contracts_view(cw->r);
	int64_t school_id;

	cJSON_Delete(cw->after);
	cw->after = NULL;
	if (contract_school(cw, &school_id, p) != 0)
		return -1;
	if (cw->creating)
		return store_contract_create(db, &who, &v, &cw->b, school_id, &cw->id, &cw->after, p);
	return store_contract_update(db, &who, &v, cw->id, cw->want_version, &cw->b, school_id, &cw->after, p);
}

static int contract_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct contract_write *cw = arg;
	struct audit_actor who = api_actor(cw->r);
	struct store_contract_view v = contracts_view(cw->r);

	return store_contract_delete(db, &who, &v, cw->id, cw->want_version, p);
}

int api_contract_create(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r, .creating = 1 };
	char loc[64];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	contract_body_parse(in, &cw.b, p);
	contract_flow_status_kept(cw.b.status, "draft", p);
	if (problem_validation_done(p) != 0 || api_txn(r, contract_save_txn, &cw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/contracts/%lld", (long long)cw.id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	rc = api_reply_derived(r, 201, cw.after, store_image_version(cw.after), p);
out:
	contract_body_free(&cw.b);
	cJSON_Delete(cw.after);
	cJSON_Delete(in);
	return rc;
}

int api_contract_put(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "contract", &cw.id, p) != 0 || api_if_match(r, &cw.want_version, p) != 0 ||
	    (in = http_read_json(r, p)) == NULL)
		goto out;
	contract_body_parse(in, &cw.b, p);
	if (problem_validation_done(p) != 0 || api_txn(r, contract_save_txn, &cw, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, cw.after, store_image_version(cw.after), p);
out:
	contract_body_free(&cw.b);
	cJSON_Delete(cw.after);
	cJSON_Delete(in);
	return rc;
}

int api_contract_delete(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "contract", &cw.id, p) != 0 || api_if_match(r, &cw.want_version, p) != 0 ||
	    api_txn(r, contract_delete_txn, &cw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
