/*
 * api_ledger.c - the trust's finance system as bursar maps it (issue 17; README "Monitoring: the
 * ledger and actuals"; store_ledger.h):
 *   GET|POST /api/v1/ledger/cost-centres, GET|PUT|DELETE /api/v1/ledger/cost-centres/{code}:
 *     {"code","urn","description","version","created_at","updated_at"}, each cost centre one
 *     entity (a school's URN or "central");
 *   GET|POST /api/v1/ledger/nominals, GET|PUT|DELETE /api/v1/ledger/nominals/{code}:
 *     {"code","account_code","description",...}, each nominal code one account of the chart.
 * Codes are [A-Za-z0-9._/-]{1,20} (a "/" is written %2F in a path). The finance director writes
 * (If-Match on PUT and DELETE: 428 without, 412 stale), audited; trust roles read (the route
 * table). A code the kind already has is 409; an unknown URN or account 422. A list GET with
 * Accept: text/csv or the XLSX type is the whole list as a spreadsheet (code, urn or account_code,
 * description; by code), for the finance system's people to check against theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "export.h"
#include "jsonv.h"
#include "store_ledger.h"

/* [A-Za-z0-9._/-]{1,20} */
static int ledger_code_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
		      strchr("._/-", s[n]) != NULL))
			return 0;
	return n >= 1 && n <= LEDGER_CODE_MAX;
}

static const char *ledger_check_code(const char *s)
{
	return ledger_code_valid(s) ? NULL : "must be 1 to 20 of A-Z, a-z, 0-9 and . _ / -";
}

static int ledger_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The {code} of the path, percent-decoded into buf: 404 when it cannot name a code. */
static const char *ledger_path_code(struct req *r, const char *what, char *buf, size_t len, struct problem *p)
{
	const char *s = http_param(r, "code");
	size_t o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < len; s++) {
		if (*s == '%' && ledger_hex(s[1]) >= 0 && ledger_hex(s[2]) >= 0) {
			buf[o++] = (char)(ledger_hex(s[1]) * 16 + ledger_hex(s[2]));
			s += 2;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
	if (s == NULL || *s != '\0' || !ledger_code_valid(buf)) {
		problem_not_found(p, "no %s with code %.40s (codes are 1 to 20 of A-Z, a-z, 0-9 and . _ / -)", what, buf);
		return NULL;
	}
	return buf;
}

static const char *ledger_what(enum ledger_kind kind)
{
	return kind == LEDGER_COST_CENTRE ? "cost centre" : "nominal code";
}

/* ---- reads ---- */

static const struct table_col ledger_cc_cols[] = {
	{ "code", TABLE_TEXT, 0, 14 }, { "urn", TABLE_TEXT, 0, 10 }, { "description", TABLE_TEXT, 0, 40 },
};
static const struct table_col ledger_nom_cols[] = {
	{ "code", TABLE_TEXT, 0, 14 }, { "account_code", TABLE_TEXT, 0, 14 }, { "description", TABLE_TEXT, 0, 40 },
};

/* The whole list as CSV or XLSX. */
static int ledger_export(struct req *r, enum ledger_kind kind, enum export_format f, struct problem *p)
{
	const char *target = kind == LEDGER_COST_CENTRE ? "urn" : "account_code";
	struct db_rows *rows = NULL;
	struct export e = { 0 };
	int rc = -1;

	if (store_ledger_all(r->db, kind, &rows, p) != 0)
		return -1;
	if (export_begin(&e, f, 0, kind == LEDGER_COST_CENTRE ? "Cost centres" : "Nominal codes", p) != 0)
		goto out;
	table_sheet(&e.t, kind == LEDGER_COST_CENTRE ? "Cost centres" : "Nominal codes",
		    kind == LEDGER_COST_CENTRE ? ledger_cc_cols : ledger_nom_cols, 3, 0);
	for (size_t i = 0; i < rows->nrows; i++) {
		table_row(&e.t, 0);
		table_text(&e.t, db_get(rows, i, "code"));
		table_text(&e.t, db_get(rows, i, target));
		table_text(&e.t, db_get(rows, i, "description"));
	}
	rc = export_reply(r, &e, kind == LEDGER_COST_CENTRE ? "ledger-cost-centres" : "ledger-nominals", NULL, p);
out:
	export_end(&e);
	db_rows_free(rows);
	return rc;
}

static int ledger_list(struct req *r, enum ledger_kind kind, struct problem *p)
{
	enum export_format f = export_format(r);
	struct db_rows *rows = NULL;
	struct page pg;
	int rc;

	if (api_page_query(r, NULL, &pg, p) != 0)
		return -1;
	if (f != EXPORT_JSON)
		return ledger_export(r, kind, f, p);
	if (store_ledger_list(r->db, kind, &pg, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, NULL, p);
	db_rows_free(rows);
	return rc;
}

static int ledger_get(struct req *r, enum ledger_kind kind, struct problem *p)
{
	char buf[LEDGER_CODE_MAX * 3 + 1];
	const char *code;
	int64_t version;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (code = ledger_path_code(r, ledger_what(kind), buf, sizeof(buf), p)) == NULL ||
	    (o = store_ledger_get(r->db, kind, code, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

enum { LF_CODE, LF_TARGET, LF_DESC, LF_VERSION, LF_CREATED, LF_UPDATED, LF__N };

static const struct jv_field cc_fields[LF__N] = {
	[LF_CODE] = { "code", JV_STRING, JV_REQUIRED, 1, LEDGER_CODE_MAX, NULL, ledger_check_code },
	[LF_TARGET] = { "urn", JV_STRING, JV_REQUIRED, 1, 7, NULL, NULL },
	[LF_DESC] = { "description", JV_STRING, 0, 0, 200, NULL, NULL },
	[LF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[LF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[LF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

static const struct jv_field nom_fields[LF__N] = {
	[LF_CODE] = { "code", JV_STRING, JV_REQUIRED, 1, LEDGER_CODE_MAX, NULL, ledger_check_code },
	[LF_TARGET] = { "account_code", JV_STRING, JV_REQUIRED, 1, 8, NULL, NULL },
	[LF_DESC] = { "description", JV_STRING, 0, 0, 200, NULL, NULL },
	[LF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[LF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[LF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct ledger_write {
	struct req *r;
	enum ledger_kind kind;
	int64_t want_version;
	struct ledger_in in;
	cJSON *after;
};

/* The body into lw->in; path_code (a PUT's) is the code, and a code in the body must match it. */
static int ledger_body(struct req *r, struct ledger_write *lw, const char *path_code, cJSON **in, struct problem *p)
{
	const struct jv_field *fields = lw->kind == LEDGER_COST_CENTRE ? cc_fields : nom_fields;
	struct jv_field f[LF__N];
	struct jv_value v[LF__N];

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	memcpy(f, fields, sizeof(f));
	if (path_code != NULL)
		f[LF_CODE].flags = 0;
	jsonv_object(*in, "", f, LF__N, v, p);
	if (path_code != NULL && v[LF_CODE].present && v[LF_CODE].s != NULL && strcmp(v[LF_CODE].s, path_code) != 0)
		problem_field(p, "/code", "does not match the code in the path (a code cannot be changed: create "
			      "another and delete this one)");
	if (lw->kind == LEDGER_COST_CENTRE && v[LF_TARGET].s != NULL && !api_urn_valid(v[LF_TARGET].s))
		problem_field(p, "/urn", "must be a six-digit URN or \"central\"");
	lw->in = (struct ledger_in){ .code = path_code != NULL ? path_code : v[LF_CODE].s, .target = v[LF_TARGET].s,
				     .description = v[LF_DESC].present ? v[LF_DESC].s : NULL };
	return problem_validation_done(p);
}

static int ledger_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct ledger_write *lw = arg;
	struct audit_actor who = api_actor(lw->r);

	cJSON_Delete(lw->after);
	lw->after = NULL;
	return store_ledger_create(db, &who, lw->kind, &lw->in, &lw->after, p);
}

static int ledger_update_txn(struct db *db, void *arg, struct problem *p)
{
	struct ledger_write *lw = arg;
	struct audit_actor who = api_actor(lw->r);

	cJSON_Delete(lw->after);
	lw->after = NULL;
	return store_ledger_update(db, &who, lw->kind, &lw->in, lw->want_version, &lw->after, p);
}

static int ledger_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct ledger_write *lw = arg;
	struct audit_actor who = api_actor(lw->r);

	return store_ledger_delete(db, &who, lw->kind, lw->in.code, lw->want_version, p);
}

/* The path of a code, a "/" written %2F. */
static void ledger_location(enum ledger_kind kind, const char *code, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "/api/v1/ledger/%s/",
				    kind == LEDGER_COST_CENTRE ? "cost-centres" : "nominals");

	for (; *code != '\0' && o + 4 < len; code++)
		o += (size_t)(*code == '/' ? snprintf(buf + o, len - o, "%%2F") : snprintf(buf + o, len - o, "%c", *code));
}

static int ledger_create(struct req *r, enum ledger_kind kind, struct problem *p)
{
	struct ledger_write lw = { .r = r, .kind = kind };
	cJSON *in = NULL;
	char loc[128];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || ledger_body(r, &lw, NULL, &in, p) != 0 ||
	    api_txn(r, ledger_create_txn, &lw, p) != 0)
		goto out;
	ledger_location(kind, lw.in.code, loc, sizeof(loc));
	rc = api_reply_versioned(r, 201, lw.after, loc);
out:
	cJSON_Delete(lw.after);
	cJSON_Delete(in);
	return rc;
}

static int ledger_put(struct req *r, enum ledger_kind kind, struct problem *p)
{
	struct ledger_write lw = { .r = r, .kind = kind };
	char buf[LEDGER_CODE_MAX * 3 + 1];
	const char *code;
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (code = ledger_path_code(r, ledger_what(kind), buf, sizeof(buf), p)) == NULL ||
	    http_if_match(r, &lw.want_version, p) != 0 || ledger_body(r, &lw, code, &in, p) != 0 ||
	    api_txn(r, ledger_update_txn, &lw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, lw.after, NULL);
out:
	cJSON_Delete(lw.after);
	cJSON_Delete(in);
	return rc;
}

static int ledger_delete(struct req *r, enum ledger_kind kind, struct problem *p)
{
	struct ledger_write lw = { .r = r, .kind = kind };
	char buf[LEDGER_CODE_MAX * 3 + 1];

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (lw.in.code = ledger_path_code(r, ledger_what(kind), buf, sizeof(buf), p)) == NULL ||
	    http_if_match(r, &lw.want_version, p) != 0 || api_txn(r, ledger_delete_txn, &lw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}

int api_ledger_cost_centres_list(struct req *r, struct problem *p)
{
	return ledger_list(r, LEDGER_COST_CENTRE, p);
}

int api_ledger_cost_centre_create(struct req *r, struct problem *p)
{
	return ledger_create(r, LEDGER_COST_CENTRE, p);
}

int api_ledger_cost_centre_get(struct req *r, struct problem *p)
{
	return ledger_get(r, LEDGER_COST_CENTRE, p);
}

int api_ledger_cost_centre_put(struct req *r, struct problem *p)
{
	return ledger_put(r, LEDGER_COST_CENTRE, p);
}

int api_ledger_cost_centre_delete(struct req *r, struct problem *p)
{
	return ledger_delete(r, LEDGER_COST_CENTRE, p);
}

int api_ledger_nominals_list(struct req *r, struct problem *p)
{
	return ledger_list(r, LEDGER_NOMINAL, p);
}

int api_ledger_nominal_create(struct req *r, struct problem *p)
{
	return ledger_create(r, LEDGER_NOMINAL, p);
}

int api_ledger_nominal_get(struct req *r, struct problem *p)
{
	return ledger_get(r, LEDGER_NOMINAL, p);
}

int api_ledger_nominal_put(struct req *r, struct problem *p)
{
	return ledger_put(r, LEDGER_NOMINAL, p);
}

int api_ledger_nominal_delete(struct req *r, struct problem *p)
{
	return ledger_delete(r, LEDGER_NOMINAL, p);
}
