/*
 * api_actuals.c - the ledger's actuals and commitments (issue 17; README "Monitoring: the ledger
 * and actuals"):
 *   GET /api/v1/schools/{urn}/actuals?year=2026-27[&kind=actual|commitment]: an entity's cells of
 *     the year, {"urn","year","items":[{"month":"2026-09","account_code","kind","amount_pence"}]}
 *     ordered by month, code, kind (trust roles; a business manager her schools; school systems
 *     403 by the route table). The ETag is a hash of the body.
 *   POST /api/v1/actuals/import?year=2026-27&kind=actual|commitment[&signs=ledger|natural]: a
 *     ledger export (text/csv, UTF-8 or Windows-1252, or XLSX; ledger_sheet.h's columns) replaces,
 *     for each (entity, month) the file holds, that entity-month's cells of that kind (finance
 *     director). All or nothing: every row is read and checked (ledger_sheet.h), then every good
 *     row's cost centre and nominal code against the mapping (store_ledger.h), so one 422 lists
 *     every bad row ("row 14, nominal": "nominal code 4999 is not mapped"); then one transaction
 *     (api_txn: Idempotency-Key honoured) writes it with its audit row (store_actuals_import): a
 *     closed month of the file is 409 period-closed. signs=ledger (default): the file's debits
 *     are positive and credits negative, so an income account's amount is negated; natural: the
 *     file is already in each account's direction. Rows of the same entity, account and month
 *     add up. Reply {"import_id","year","kind","months","entities","rows","written","replaced"}.
 *   GET /api/v1/actuals/imports?year=2026-27: the year's imports, newest first (trust roles).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "acmonth.h"
#include "api.h"
#include "config.h"
#include "date.h"
#include "ledger_sheet.h"
#include "ledger_xlsx.h"
#include "store_actuals.h"
#include "store_ledger.h"
#include "utf8.h"

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

/* ---- import ---- */

struct actuals_import_req {
	struct req *r;
	struct ledger_sheet sheet;
	struct ledger_map map;
	struct actual_write *cells;
	struct actuals_import im;
};

/* The body into s: CSV (its charset) or XLSX. 0, or -1 (p set; a 422 keeps the good rows). */
static int actuals_read(struct req *r, struct ledger_sheet *s, struct problem *p)
{
	struct xlsx_limits lim = {
		.max_entries = 1000, .max_inflated = r->cfg->http_max_csv_body * 4, .max_strings = 4000000,
		.max_depth = 32,
	};
	enum api_sheet kind;
	enum textenc charset, as = TEXTENC_UTF8;
	const char *buf;
	size_t n;
	int rc;

	if (api_sheet_body(r, "the ledger export", &kind, &charset, &buf, &n, p) != 0)
		return -1;
	if (kind == API_SHEET_XLSX)
		return ledger_xlsx_parse(buf, n, &lim, s);
	rc = ledger_sheet_csv(buf, n, charset, s, &as);
	if (rc == 0 || p->status == 422)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Import-Encoding", textenc_name(as));
	return rc;
}

static int actuals_cell_cmp(const void *a, const void *b)
{
	const struct actual_write *x = a, *y = b;
	int c = strcmp(x->urn, y->urn);

	if (c != 0)
		return c;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->account_id < y->account_id ? -1 : x->account_id > y->account_id;
}

/* The good rows through the mapping into ai->cells (sorted, each entity, month and account once):
 * an unmapped code is a row error. 0, or -1 when out of memory. */
static int actuals_cells_of(struct actuals_import_req *ai, int natural, struct problem *p)
{
	const struct ledger_sheet *s = &ai->sheet;
	size_t n = 0;
	char f[64];

	if ((ai->cells = calloc(s->n + 1, sizeof(*ai->cells))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < s->n; i++) {
		const struct ledger_row *lr = &s->rows[i];
		const struct ledger_cc *cc = store_ledger_map_cc(&ai->map, lr->cost_centre);
		const struct ledger_nominal *nom = store_ledger_map_nominal(&ai->map, lr->nominal);
		struct actual_write *c;

		if (nom == NULL) {
			snprintf(f, sizeof(f), "row %zu, nominal", lr->row);
			problem_field(p, f, "nominal code %s is not mapped", lr->nominal);
		}
		if (cc == NULL) {
			snprintf(f, sizeof(f), "row %zu, cost_centre", lr->row);
			problem_field(p, f, "cost centre %s is not mapped", lr->cost_centre);
		}
		if (nom == NULL || cc == NULL)
			continue;
		c = &ai->cells[n++];
		snprintf(c->urn, sizeof(c->urn), "%s", cc->urn);
		c->school_id = cc->school_id;
		c->account_id = nom->account_id;
		c->month = lr->month;
		/* ledger signs: an income account's credits (negative) are income received */
		c->amount = !natural && nom->income ? -lr->amount : lr->amount;
	}
	qsort(ai->cells, n, sizeof(*ai->cells), actuals_cell_cmp);
	/* rows of the same entity, month and account add up */
	ai->im.ncells = 0;
	for (size_t i = 0; i < n; i++) {
		struct actual_write *last = ai->im.ncells > 0 ? &ai->cells[ai->im.ncells - 1] : NULL;

		if (last != NULL && actuals_cell_cmp(last, &ai->cells[i]) == 0) {
			if (__builtin_add_overflow(last->amount, ai->cells[i].amount, &last->amount)) {
				problem_field(p, "file", "the amounts of %s's account in %d add up past what an amount "
					      "can hold", last->urn, last->month);
				return 0;
			}
			continue;
		}
		ai->cells[ai->im.ncells++] = ai->cells[i];
	}
	ai->im.cells = ai->cells;
	return 0;
}

static int actuals_import_txn(struct db *db, void *arg, struct problem *p)
{
	struct actuals_import_req *ai = arg;
	struct audit_actor who = api_actor(ai->r);

	return store_actuals_import(db, &who, &ai->im, p);
}

static cJSON *actuals_import_json(const struct actuals_import *im)
{
	cJSON *o = cJSON_CreateObject(), *ms, *es;
	int months[12] = { 0 };
	char ys[16], m[8];

	for (size_t i = 0; i < im->ncells; i++)
		months[im->cells[i].month - 1] = 1;
	acyear_format(im->year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddNumberToObject(o, "import_id", (double)im->import_id) == NULL ||
	    cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "kind", im->commitment ? "commitment" : "actual") == NULL ||
	    (ms = cJSON_AddArrayToObject(o, "months")) == NULL || (es = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto oom;
	for (int k = 0; k < 12; k++) {
		acmonth_format(im->year, k + 1, m, sizeof(m));
		if (months[k] && !cJSON_AddItemToArray(ms, cJSON_CreateString(m)))
			goto oom;
	}
	for (size_t i = 0; i < im->ncells; i++)
		if ((i == 0 || strcmp(im->cells[i].urn, im->cells[i - 1].urn) != 0) &&
		    !cJSON_AddItemToArray(es, cJSON_CreateString(im->cells[i].urn)))
			goto oom;
	if (cJSON_AddNumberToObject(o, "rows", (double)im->rows) == NULL ||
	    cJSON_AddNumberToObject(o, "written", (double)im->written) == NULL ||
	    cJSON_AddNumberToObject(o, "replaced", (double)im->replaced) == NULL)
		goto oom;
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

/* The name the file had on the sender's machine, kept with the import (actual_imports.filename,
 * VARCHAR(200)): shown to people, so valid UTF-8 of 1..200 characters without control characters. */
static int actuals_filename_ok(const char *s)
{
	size_t n = strlen(s), chars;

	if (n == 0 || !utf8_valid((const unsigned char *)s, n) || (chars = utf8_chars(s)) > 200)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int api_actuals_import(struct req *r, struct problem *p)
{
	struct actuals_import_req *ai = calloc(1, sizeof(*ai));
	const char *kind = http_query(r, "kind"), *signs = http_query(r, "signs"), *fname = http_query(r, "filename");
	int year = 0, natural = 0, rc = -1;
	cJSON *out = NULL;

	if (ai == NULL)
		return problem_internal(p);
	ai->r = r;
	if (http_query_allow(r, (const char *const[]){ "year", "kind", "signs", "filename", NULL }, p) != 0)
		goto out;
	if (fname != NULL && !actuals_filename_ok(fname))
		problem_field(p, "query:filename", "must be the file's name: 1 to 200 characters of UTF-8, no control characters");
	if (http_query(r, "year") == NULL)
		problem_field(p, "query:year", "is required: the academic year the file's periods are of, like 2026-27");
	else if (api_year_query(r, &year, p) != 0)
		goto out;
	if (kind == NULL || (strcmp(kind, "actual") != 0 && strcmp(kind, "commitment") != 0))
		problem_field(p, "query:kind", "must be actual or commitment");
	if (signs != NULL && strcmp(signs, "ledger") != 0 && strcmp(signs, "natural") != 0)
		problem_field(p, "query:signs", "must be ledger (debits positive, credits negative: the default) or "
			      "natural (each amount already in its account's direction)");
	if (problem_validation_done(p) != 0)
		goto out;
	natural = signs != NULL && strcmp(signs, "natural") == 0;
	ledger_sheet_init(&ai->sheet, year, p);
	if (actuals_read(r, &ai->sheet, p) != 0 &&
	    (p->status != 422 || !ai->sheet.header_done || ai->sheet.header_bad || ai->sheet.oom))
		goto out;
	/* the sheet's own errors or none: name the good rows' unmapped codes too, then refuse */
	if (store_ledger_map_load(r->db, &ai->map, p) != 0 || actuals_cells_of(ai, natural, p) != 0)
		goto out;
	if (p->nerrors + p->nerrors_dropped > 0) {
		problem_set(p, 422, "validation", "Validation failed", "the file has errors: nothing was imported");
		goto out;
	}
	ai->im.year = year;
	ai->im.commitment = strcmp(kind, "commitment") == 0;
	ai->im.filename = fname != NULL ? fname : "";
	ai->im.rows = ai->sheet.n;
	if (api_txn(r, actuals_import_txn, ai, p) != 0)
		goto out;
	if ((out = actuals_import_json(&ai->im)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = http_reply_json(r, 200, out, NULL);
out:
	cJSON_Delete(out);
	ledger_sheet_free(&ai->sheet);
	store_ledger_map_free(&ai->map);
	free(ai->cells);
	free(ai);
	return rc;
}

/* ---- the imports ---- */

static cJSON *actuals_import_row(const struct db_rows *rows, size_t i, void *arg)
{
	const char *months = db_get(rows, i, "months");
	int year = (int)db_get_i64(rows, i, "year");
	cJSON *o = cJSON_CreateObject(), *ms, *t;
	char ys[16], m[8];

	(void)arg;
	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddNumberToObject(o, "id", (double)db_get_i64(rows, i, "id")) == NULL ||
	    cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "kind", db_get(rows, i, "kind")) == NULL ||
	    cJSON_AddStringToObject(o, "filename", db_get(rows, i, "filename")) == NULL ||
	    (ms = cJSON_AddArrayToObject(o, "months")) == NULL ||
	    cJSON_AddNumberToObject(o, "rows", (double)db_get_i64(rows, i, "row_count")) == NULL ||
	    cJSON_AddStringToObject(o, "actor", db_get(rows, i, "actor")) == NULL)
		goto oom;
	for (const char *s = months; s != NULL && *s != '\0';) {
		int k = atoi(s);

		if (k >= 1 && k <= 12) {
			acmonth_format(year, k, m, sizeof(m));
			if (!cJSON_AddItemToArray(ms, cJSON_CreateString(m)))
				goto oom;
		}
		s = strchr(s, ',');
		s = s != NULL ? s + 1 : NULL;
	}
	/* created_at as db_row_to_json writes a time */
	{
		cJSON *whole = db_row_to_json(rows, i);

		t = whole != NULL ? cJSON_DetachItemFromObjectCaseSensitive(whole, "created_at") : NULL;
		cJSON_Delete(whole);
		if (t == NULL || !cJSON_AddItemToObject(o, "created_at", t)) {
			cJSON_Delete(t);
			goto oom;
		}
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

int api_actual_imports_list(struct req *r, struct problem *p)
{
	struct db_rows *rows = NULL;
	int year, rc;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 || api_year_query(r, &year, p) != 0 ||
	    store_actual_imports_list(r->db, year, &rows, p) != 0)
		return -1;
	rc = api_reply_rows(r, rows, rows->nrows, actuals_import_row, NULL, NULL, p);
	db_rows_free(rows);
	return rc;
}
