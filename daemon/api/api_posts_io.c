/*
 * api_posts_io.c - a school's posts as a spreadsheet (issue 16; business managers
 * keep staff lists in spreadsheets): GET /api/v1/schools/{urn}/posts.csv|.xlsx (the
 * live posts by reference, in post_sheet.h's columns; ?year= adds each post's cost
 * for that academic year: pay_cost, ni_cost, pension_cost, total_cost, through
 * api/staff_cost.c as the posts list costs them) and POST .../posts/import (CSV or
 * XLSX in that layout).
 *
 * An import is all or nothing. Every row is checked first, the sheet's own checks
 * (post_sheet.h) and then the database's (the chart has the code, the scale has the
 * points: store_post_check) for every good row, so one 422 lists every bad row
 * ("row N, field"). Then one transaction (api_txn: Idempotency-Key honoured) takes
 * each row by reference: a live post with that reference and the same values is
 * unchanged (not written), one with other values is updated, a new reference is
 * created; ?mode=replace also ends (deletes, leaving the tombstone a sync sees)
 * every live post the file does not name. Each write is audited with the person
 * (store_staff.c). No If-Match: the file names no versions (as a budget's CSV
 * names none of its lines'); the transaction locks each post it writes at the
 * version it read inside the same transaction, so a concurrent write either lands
 * before the import (and is overwritten by the file, as the person asked) or
 * waits for it, never half. The reply: {"created", "updated", "ended",
 * "unchanged"}.
 *
 * Roles as the posts list: the finance director (every entity), the auditor
 * (export only), a business manager of that school; the route table refuses the
 * rest, api_school_lookup another school's business manager (403).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "date.h"
#include "export.h"
#include "post_sheet.h"
#include "post_xlsx.h"
#include "staff_cost.h"
#include "store_staff.h"

static const struct table_col post_cols[] = {
	{ "reference", TABLE_TEXT, 0, 12 }, { "title", TABLE_TEXT, 0, 28 }, { "role", TABLE_TEXT, 0, 18 },
	{ "account_code", TABLE_TEXT, 0, 0 }, { "scale", TABLE_TEXT, 0, 28 }, { "point", TABLE_TEXT, 0, 0 },
	{ "top_point", TABLE_TEXT, 0, 0 }, { "point_year", TABLE_TEXT, 0, 0 }, { "fte", TABLE_PENCE, 0, 0 },
	{ "paid_weeks", TABLE_PENCE, 0, 0 }, { "tlr", TABLE_PENCE, 0, 0 }, { "sen", TABLE_PENCE, 0, 0 },
	{ "fringe", TABLE_PENCE, 0, 0 }, { "other_allowance", TABLE_PENCE, 0, 0 }, { "pension", TABLE_TEXT, 0, 0 },
	{ "ni_category", TABLE_TEXT, 0, 0 }, { "starts_on", TABLE_DATE, 0, 0 }, { "ends_on", TABLE_DATE, 0, 0 },
	{ "vacant", TABLE_TEXT, 0, 0 }, { "holder_name", TABLE_TEXT, 0, 24 }, { "periods_taught", TABLE_INT, 0, 0 },
	/* with ?year= */
	{ "pay_cost", TABLE_PENCE, 0, 0 }, { "ni_cost", TABLE_PENCE, 0, 0 }, { "pension_cost", TABLE_PENCE, 0, 0 },
	{ "total_cost", TABLE_PENCE, 0, 0 },
};
#define POST_NCOLS 21
#define POST_NCOLS_COSTED (sizeof(post_cols) / sizeof(post_cols[0]))

/* A cell from the row's column: text, or blank when NULL. */
static void io_text(struct table *t, const struct db_rows *rows, size_t i, const char *col)
{
	table_text(t, db_get(rows, i, col));
}

/* A number cell, or blank when NULL. */
static void io_num(struct table *t, const struct db_rows *rows, size_t i, const char *col)
{
	if (db_get(rows, i, col) == NULL)
		table_blank(t);
	else
		table_num(t, db_get_i64(rows, i, col));
}

static int io_export(struct req *r, enum export_format f, struct problem *p)
{
	const char *urn = http_param(r, "urn"), *y = http_query(r, "year");
	struct staff_costing sc = { 0 };
	struct db_rows *rows = NULL;
	struct export e = { 0 };
	int year = 0, rc = -1;
	char stem[48], title[64];
	uint32_t sid;

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0)
		return -1;
	if (y != NULL && acyear_parse(y, &year) != 0)
		problem_field(p, "query:year", "must be an academic year written like 2026-27");
	if (problem_validation_done(p) != 0 || api_school_lookup(r, urn, &sid, p) != 0)
		return -1;
	if (y != NULL) {
		if (staff_cost_load(r->db, urn, year, &sc, p) != 0)
			goto out;
		if (sc.failed) {
			problem_field(p, "query:year", "%s", sc.err);
			problem_set(p, 422, "validation", "Validation failed",
				    "the posts of %s cannot be costed for the year: %s", urn, sc.err);
			goto out;
		}
	}
	if (store_posts_live(r->db, sid, &rows, p) != 0)
		goto out;
	snprintf(title, sizeof(title), "Posts %s", urn);
	if (export_begin(&e, f, 0, title, p) != 0)
		goto out;
	table_sheet(&e.t, "Posts", post_cols, y != NULL ? POST_NCOLS_COSTED : POST_NCOLS, 0);
	for (size_t i = 0; i < rows->nrows; i++) {
		static const char *const money[] = { "tlr_pence", "sen_pence", "fringe_pence", "other_allowance_pence" };
		static const char *const text[] = { "reference", "title", "role", "account_code", "scale", "point",
						    "top_point", "point_year" };

		table_row(&e.t, 0);
		for (size_t k = 0; k < sizeof(text) / sizeof(text[0]); k++)
			io_text(&e.t, rows, i, text[k]);
		io_num(&e.t, rows, i, "fte_h");
		io_num(&e.t, rows, i, "paid_weeks_h");
		for (size_t k = 0; k < sizeof(money) / sizeof(money[0]); k++)
			io_num(&e.t, rows, i, money[k]);
		io_text(&e.t, rows, i, "pension");
		io_text(&e.t, rows, i, "ni_category");
		io_text(&e.t, rows, i, "starts_on");
		io_text(&e.t, rows, i, "ends_on");
		table_text(&e.t, db_get_i64(rows, i, "vacant") ? "yes" : "no");
		io_text(&e.t, rows, i, "holder_name");
		io_num(&e.t, rows, i, "periods_taught");
		if (y != NULL) {
			long k = staff_cost_post_index(&sc, db_get_i64(rows, i, "id"));
			const struct staff_cost *c = k >= 0 ? &sc.costs[k] : NULL;

			if (c == NULL) {
				for (int b = 0; b < 4; b++)
					table_blank(&e.t);
			} else {
				table_num(&e.t, c->pay);
				table_num(&e.t, c->ni);
				table_num(&e.t, c->pension);
				table_num(&e.t, c->total);
			}
		}
	}
	if (y != NULL)
		snprintf(stem, sizeof(stem), "posts-%s-%04d-%02d", urn, year, (year + 1) % 100);
	else
		snprintf(stem, sizeof(stem), "posts-%s", urn);
	rc = export_reply(r, &e, stem, NULL, p);
out:
	export_end(&e);
	db_rows_free(rows);
	staff_cost_free(&sc);
	return rc;
}

int api_posts_csv(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_CSV, p);
}

int api_posts_xlsx(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_XLSX, p);
}

/* ---- import ---- */

struct io_import {
	struct req *r;
	uint32_t school_id;
	int replace;
	struct post_sheet sheet;
	struct problem *scratch;                 /* a row's store check */
	int created, updated, ended, unchanged;
};

static struct post_in io_post_in(const struct post_sheet_post *pt)
{
	return (struct post_in){
		.reference = pt->reference, .title = pt->title, .role = pt->role, .account_code = pt->account_code,
		.scale = pt->scale, .point = pt->point, .top_point = pt->top_point[0] != '\0' ? pt->top_point : NULL,
		.point_year = pt->point_year, .fte_h = pt->fte_h, .paid_weeks_h = pt->paid_weeks_h,
		.tlr_pence = pt->tlr_pence, .sen_pence = pt->sen_pence, .fringe_pence = pt->fringe_pence,
		.other_allowance_pence = pt->other_allowance_pence, .pension = pt->pension,
		.ni_category = pt->ni_category, .starts_on = pt->starts_on[0] != '\0' ? pt->starts_on : NULL,
		.ends_on = pt->ends_on[0] != '\0' ? pt->ends_on : NULL, .vacant = pt->vacant,
		.holder_name = !pt->vacant && pt->holder_name[0] != '\0' ? pt->holder_name : NULL,
		.periods_taught = pt->periods_taught,
	};
}

/* The store's field errors of row ("/scale") into p as "row N, scale". Returns -1
 * when the scratch problem was not a validation (the database: p gets it). */
static int io_row_errors(struct problem *p, const struct problem *q, size_t row)
{
	char f[160];

	if (q->status != 422) {
		p->status = q->status;
		p->slug = q->slug;
		p->title = q->title;
		p->retry_after = q->retry_after;
		memcpy(p->detail, q->detail, sizeof(p->detail));
		return -1;
	}
	for (size_t i = 0; i < q->nerrors; i++) {
		snprintf(f, sizeof(f), "row %zu, %s", row, q->errors[i].field + (q->errors[i].field[0] == '/'));
		problem_field(p, f, "%s", q->errors[i].message);
	}
	return 0;
}

/* Every good row against the database (read-only: its accounts and scales read once).
 * 0, or -1 (the database). */
static int io_check_rows(struct io_import *im, struct problem *p)
{
	struct store_post_refs refs;
	int rc = -1;

	if (store_post_refs_load(im->r->db, &refs, p) != 0)
		goto out;
	for (size_t i = 0; i < im->sheet.n; i++) {
		struct post_in in = io_post_in(&im->sheet.posts[i]);

		problem_reset(im->scratch);
		if (store_post_check(im->r->db, &refs, &in, im->scratch) != 0 &&
		    io_row_errors(p, im->scratch, im->sheet.posts[i].row) != 0)
			goto out;
	}
	rc = 0;
out:
	store_post_refs_free(&refs);
	return rc;
}

/* The live rows by reference (store_posts_live's order), for io_live_find. */
struct io_live {
	const char *reference;
	size_t row;
};

static int io_live_cmp(const void *a, const void *b)
{
	return strcmp(((const struct io_live *)a)->reference, ((const struct io_live *)b)->reference);
}

/* The row of the live post with this reference, or -1. */
static long io_live_find(const struct io_live *live, size_t n, const char *reference)
{
	struct io_live key = { reference, 0 };
	const struct io_live *hit = n > 0 ? bsearch(&key, live, n, sizeof(*live), io_live_cmp) : NULL;

	return hit != NULL ? (long)hit->row : -1;
}

/* Whether the live post's image o already says what the row says. */
static int io_same(const cJSON *o, const struct post_sheet_post *pt)
{
	const struct post_in in = io_post_in(pt);
	const char *const str_keys[] = { "reference", "title", "role", "account_code", "scale", "point", "top_point",
					 "pension", "ni_category", "starts_on", "ends_on", "holder_name" };
	const char *const str_vals[] = { in.reference, in.title, in.role, in.account_code, in.scale, in.point,
					 in.top_point, in.pension, in.ni_category, in.starts_on, in.ends_on,
					 in.holder_name };
	const char *const num_keys[] = { "fte_h", "paid_weeks_h", "tlr_pence", "sen_pence", "fringe_pence",
					 "other_allowance_pence", "periods_taught" };
	const int64_t num_vals[] = { in.fte_h, in.paid_weeks_h > 0 ? in.paid_weeks_h : -1, in.tlr_pence,
				     in.sen_pence, in.fringe_pence, in.other_allowance_pence, in.periods_taught };
	const cJSON *v;
	char y[16];

	for (size_t k = 0; k < sizeof(str_keys) / sizeof(str_keys[0]); k++) {
		v = cJSON_GetObjectItemCaseSensitive(o, str_keys[k]);
		if (str_vals[k] == NULL ? !cJSON_IsNull(v) :
		    !cJSON_IsString(v) || strcmp(v->valuestring, str_vals[k]) != 0)
			return 0;
	}
	for (size_t k = 0; k < sizeof(num_keys) / sizeof(num_keys[0]); k++) {
		v = cJSON_GetObjectItemCaseSensitive(o, num_keys[k]);
		if (num_vals[k] < 0 ? !cJSON_IsNull(v) :
		    !cJSON_IsNumber(v) || (int64_t)cJSON_GetNumberValue(v) != num_vals[k])
			return 0;
	}
	acyear_format(in.point_year, y, sizeof(y));
	v = cJSON_GetObjectItemCaseSensitive(o, "point_year");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, y) != 0)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(o, "vacant");
	return !!cJSON_IsTrue(v) == !!in.vacant;
}

static int io_txn(struct db *db, void *arg, struct problem *p)
{
	struct io_import *im = arg;
	struct audit_actor who = api_actor(im->r);
	struct store_post_refs refs = { 0 };
	struct db_rows *rows = NULL;
	struct io_live *live = NULL;
	char *named = NULL;
	int rc = -1;

	im->created = im->updated = im->ended = im->unchanged = 0;
	/* the live posts, and the accounts and scales the rows resolve against, read once in the transaction */
	if (store_posts_live(db, im->school_id, &rows, p) != 0 || store_post_refs_load(db, &refs, p) != 0)
		goto out;
	if ((named = calloc(rows->nrows + 1, 1)) == NULL || (live = calloc(rows->nrows + 1, sizeof(*live))) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t k = 0; k < rows->nrows; k++)
		live[k] = (struct io_live){ db_get(rows, k, "reference"), k };
	qsort(live, rows->nrows, sizeof(*live), io_live_cmp);
	for (size_t i = 0; i < im->sheet.n; i++) {
		const struct post_sheet_post *pt = &im->sheet.posts[i];
		struct post_in in = io_post_in(pt);
		cJSON *o = NULL, *after = NULL;
		long found = io_live_find(live, rows->nrows, pt->reference);
		size_t k = found < 0 ? 0 : (size_t)found;
		int64_t id;
		int w;

		problem_reset(im->scratch);
		if (found < 0) {
			w = store_post_create(db, &refs, &who, im->school_id, &in, &id, &after, im->scratch);
			im->created++;
		} else {
			named[k] = 1;
			if ((o = db_row_to_json(rows, k)) == NULL) {
				problem_internal(p);
				goto out;
			}
			if (io_same(o, pt)) {
				im->unchanged++;
				cJSON_Delete(o);
				continue;
			}
			cJSON_Delete(o);
			w = store_post_update(db, &refs, &who, im->school_id, db_get_i64(rows, k, "id"),
					      db_get_i64(rows, k, "version"), &in, &after, im->scratch);
			im->updated++;
		}
		cJSON_Delete(after);
		if (w != 0 && io_row_errors(p, im->scratch, pt->row) != 0)
			goto out;
	}
	for (size_t k = 0; im->replace && k < rows->nrows; k++) {
		if (named[k])
			continue;
		problem_reset(im->scratch);
		if (store_post_delete(db, &who, im->school_id, db_get_i64(rows, k, "id"), db_get_i64(rows, k, "version"),
				      im->scratch) != 0) {
			io_row_errors(p, im->scratch, 0);
			if (p->status == 0)
				problem_set(p, 422, "validation", "Validation failed", "%s", im->scratch->detail);
			goto out;
		}
		im->ended++;
	}
	if (p->nerrors > 0) {
		problem_set(p, 422, "validation", "Validation failed", "the file has errors: nothing was imported");
		goto out;
	}
	rc = 0;
out:
	free(named);
	free(live);
	store_post_refs_free(&refs);
	db_rows_free(rows);
	return rc;
}

/* The body into s: CSV (its charset) or XLSX. 0, or -1 (p set; a 422 keeps the good rows). */
static int io_read(struct req *r, struct post_sheet *s, struct problem *p)
{
	struct xlsx_limits lim = {
		.max_entries = 1000, .max_inflated = r->cfg->http_max_csv_body * 4, .max_strings = 1000000,
		.max_depth = 32,
	};
	enum api_sheet kind;
	enum textenc charset, as = TEXTENC_UTF8;
	const char *buf;
	size_t n;
	int rc;

	if (api_sheet_body(r, "the posts", &kind, &charset, &buf, &n, p) != 0)
		return -1;
	if (kind == API_SHEET_XLSX)
		return post_xlsx_parse(buf, n, &lim, s);
	rc = post_sheet_csv(buf, n, charset, s, &as);
	if (rc == 0 || p->status == 422)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Import-Encoding", textenc_name(as));
	return rc;
}

int api_posts_import(struct req *r, struct problem *p)
{
	struct io_import im = { .r = r };
	const char *urn = http_param(r, "urn"), *mode = http_query(r, "mode");
	cJSON *out = NULL;
	int rc = -1;

	post_sheet_init(&im.sheet, p);
	if (http_query_allow(r, (const char *const[]){ "mode", NULL }, p) != 0)
		return -1;
	if (mode != NULL && strcmp(mode, "replace") != 0 && strcmp(mode, "update") != 0)
		problem_field(p, "query:mode", "must be replace (end the posts the file does not name) or update "
			      "(the default: leave them)");
	im.replace = mode != NULL && strcmp(mode, "replace") == 0;
	if (problem_validation_done(p) != 0 || api_school_lookup(r, urn, &im.school_id, p) != 0)
		return -1;
	if ((im.scratch = malloc(sizeof(*im.scratch))) == NULL)
		return problem_internal(p);
	if (io_read(r, &im.sheet, p) != 0) {
		/* the sheet's own errors: still name the good rows' database errors, then refuse */
		if (p->status == 422 && im.sheet.header_done && !im.sheet.header_bad && !im.sheet.oom)
			(void)io_check_rows(&im, p);
		goto out;
	}
	if (io_check_rows(&im, p) != 0)
		goto out;
	if (p->nerrors > 0) {
		problem_set(p, 422, "validation", "Validation failed", "the file has errors: nothing was imported");
		goto out;
	}
	if (api_txn(r, io_txn, &im, p) != 0)
		goto out;
	if ((out = cJSON_CreateObject()) == NULL || cJSON_AddNumberToObject(out, "created", im.created) == NULL ||
	    cJSON_AddNumberToObject(out, "updated", im.updated) == NULL ||
	    cJSON_AddNumberToObject(out, "ended", im.ended) == NULL ||
	    cJSON_AddNumberToObject(out, "unchanged", im.unchanged) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = http_reply_json(r, 200, out, NULL);
out:
	cJSON_Delete(out);
	free(im.scratch);
	post_sheet_free(&im.sheet);
	return rc;
}
