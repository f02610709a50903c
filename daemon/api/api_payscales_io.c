/*
 * api_payscales_io.c - the pay scales and the on-cost rates as spreadsheets (issue
 * 16): GET /api/v1/pay-scales.csv|.xlsx and /api/v1/staff-rates.csv|.xlsx (the
 * export), POST /api/v1/pay-scales/import and /api/v1/staff-rates/import (CSV or
 * XLSX in the export's layout, staff_sheet.h). An import is all or nothing: every
 * row is checked first (errors "row N, field"), then one transaction writes it,
 * audited as the JSON writes are; a problem found in the transaction (a new scale
 * without its kind) rolls it all back. Pay scales: each (scale, year) the file has
 * replaces that year's points; a scale not yet there is created (its kind needed,
 * its title its name). Rates: each tax year the file has is created or replaced.
 * Every finance role exports; the finance director imports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "export.h"
#include "staff_sheet.h"
#include "staff_xlsx.h"
#include "store_payscales.h"

static const struct table_col scale_cols[] = {
	{ "scale", TABLE_TEXT, 0, 28 }, { "kind", TABLE_TEXT, 0, 0 }, { "area", TABLE_TEXT, 0, 14 },
	{ "year", TABLE_TEXT, 0, 0 }, { "point", TABLE_TEXT, 0, 0 }, { "ord", TABLE_INT, 0, 0 },
	{ "annual", TABLE_PENCE, 0, 0 },
};

static const struct table_col rates_cols[] = {
	{ "tax_year", TABLE_TEXT, 0, 0 }, { "ni_bp", TABLE_INT, 0, 0 }, { "ni_threshold", TABLE_PENCE, 0, 0 },
	{ "ni_upper", TABLE_PENCE, 0, 0 }, { "tps_bp", TABLE_INT, 0, 0 }, { "levy_bp", TABLE_INT, 0, 0 },
	{ "levy_allowance", TABLE_PENCE, 0, 0 }, { "employment_allowance", TABLE_PENCE, 0, 0 },
};

static void io_year(struct table *t, int64_t year)
{
	char y[16];

	snprintf(y, sizeof(y), "%04lld-%02lld", (long long)year, (long long)((year + 1) % 100));
	table_text(t, y);
}

static int io_export(struct req *r, enum export_format f, int scales, struct problem *p)
{
	struct db_rows *rows = NULL;
	struct export e = { 0 };
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (scales ? store_payscales_points(r->db, &rows, p) : store_staff_rates_rows(r->db, &rows, p)) != 0)
		return -1;
	if (export_begin(&e, f, 0, scales ? "Pay scales" : "Staff rates", p) != 0)
		goto out;
	if (scales) {
		table_sheet(&e.t, "Pay scales", scale_cols, sizeof(scale_cols) / sizeof(scale_cols[0]), 0);
		for (size_t i = 0; i < rows->nrows; i++) {
			table_row(&e.t, 0);
			table_text(&e.t, db_get(rows, i, "scale"));
			table_text(&e.t, db_get(rows, i, "kind"));
			table_text(&e.t, db_get(rows, i, "area"));
			io_year(&e.t, db_get_i64(rows, i, "year"));
			table_text(&e.t, db_get(rows, i, "point"));
			table_num(&e.t, db_get_i64(rows, i, "ord"));
			table_num(&e.t, db_get_i64(rows, i, "annual_pence"));
		}
	} else {
		static const char *const cols[] = { "ni_bp", "ni_threshold_pence", "ni_upper_pence", "tps_bp", "levy_bp",
						    "levy_allowance_pence", "employment_allowance_pence" };

		table_sheet(&e.t, "Staff rates", rates_cols, sizeof(rates_cols) / sizeof(rates_cols[0]), 0);
		for (size_t i = 0; i < rows->nrows; i++) {
			table_row(&e.t, 0);
			io_year(&e.t, db_get_i64(rows, i, "tax_year"));
			for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
				table_num(&e.t, db_get_i64(rows, i, cols[k]));
		}
	}
	rc = export_reply(r, &e, scales ? "pay-scales" : "staff-rates", NULL, p);
out:
	export_end(&e);
	db_rows_free(rows);
	return rc;
}

int api_payscales_csv(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_CSV, 1, p);
}

int api_payscales_xlsx(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_XLSX, 1, p);
}

int api_staff_rates_csv(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_CSV, 0, p);
}

int api_staff_rates_xlsx(struct req *r, struct problem *p)
{
	return io_export(r, EXPORT_XLSX, 0, p);
}

/* ---- imports ---- */

/* The body into s: CSV (its charset) or XLSX. */
static int io_read(struct req *r, const char *what, struct staff_sheet *s, struct problem *p)
{
	struct xlsx_limits lim = {
		.max_entries = 1000, .max_inflated = r->cfg->http_max_csv_body * 4, .max_strings = 1000000,
		.max_depth = 32,
	};
	enum api_sheet kind;
	enum textenc charset, as = TEXTENC_UTF8;
	const char *buf;
	size_t n;

	if (api_sheet_body(r, what, &kind, &charset, &buf, &n, p) != 0)
		return -1;
	if (kind == API_SHEET_XLSX)
		return staff_xlsx_parse(buf, n, &lim, s);
	if (staff_sheet_csv(buf, n, charset, s, &as) != 0)
		return -1;
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Import-Encoding", textenc_name(as));
	return 0;
}

/* One scale of an import: the file's rows [from, to) of the sorted index. */
struct io_scale {
	const char *name, *kind, *area;          /* kind, area: NULL when no row gives one */
	size_t first_row;
	struct staff_point_in *points;
	size_t *rows;
	size_t n;
};

struct io_import {
	struct req *r;
	struct staff_sheet sheet;
	struct io_scale *scales;
	size_t nscales;
	cJSON *result;                           /* {"items": [...], "rows": n} */
};

static int io_by_scale(const void *a, const void *b)
{
	const struct staff_sheet_point *x = a, *y = b;
	int c = strcmp(x->scale, y->scale);

	return c != 0 ? c : x->row < y->row ? -1 : x->row > y->row;
}

/* Group the sheet's points by scale (sorted by name, then row), each group's points
 * unique per year and its kind and area one. 0, or -1 (422 with row errors, 500). */
static int io_group(struct io_import *im, struct problem *p)
{
	struct staff_sheet *s = &im->sheet;
	char f[48];

	qsort(s->points, s->n, sizeof(*s->points), io_by_scale);
	if ((im->scales = calloc(s->n ? s->n : 1, sizeof(*im->scales))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < s->n;) {
		struct io_scale *g = &im->scales[im->nscales++];
		size_t j = i;

		while (j < s->n && strcmp(s->points[j].scale, s->points[i].scale) == 0)
			j++;
		g->name = s->points[i].scale;
		g->first_row = s->points[i].row;
		if ((g->points = calloc(j - i, sizeof(*g->points))) == NULL ||
		    (g->rows = calloc(j - i, sizeof(*g->rows))) == NULL)
			return problem_internal(p);
		for (size_t k = i; k < j; k++) {
			struct staff_sheet_point *pt = &s->points[k];

			g->points[g->n] = (struct staff_point_in){ pt->year, pt->point, pt->ord, pt->annual_pence };
			g->rows[g->n++] = pt->row;
			if (pt->row < g->first_row)
				g->first_row = pt->row;
			snprintf(f, sizeof(f), "row %zu, kind", pt->row);
			if (pt->kind[0] != '\0' && g->kind != NULL && strcmp(g->kind, pt->kind) != 0)
				problem_field(p, f, "is %s, but an earlier row of scale %s says %s", pt->kind, g->name,
					      g->kind);
			else if (pt->kind[0] != '\0')
				g->kind = pt->kind;
			snprintf(f, sizeof(f), "row %zu, area", pt->row);
			if (pt->area[0] != '\0' && g->area != NULL && strcmp(g->area, pt->area) != 0)
				problem_field(p, f, "is %s, but an earlier row of scale %s says %s", pt->area, g->name,
					      g->area);
			else if (pt->area[0] != '\0')
				g->area = pt->area;
		}
		if (g->kind != NULL && strcmp(g->kind, "support") == 0 && g->area != NULL) {
			snprintf(f, sizeof(f), "row %zu, area", g->first_row);
			problem_field(p, f, "a support scale has no pay area: leave it empty");
		}
		staff_input_points_unique(g->points, g->n, NULL, g->rows, p);
		i = j;
	}
	if (p->nerrors > 0)
		return problem_set(p, 422, "validation", "Validation failed", "the file has errors: nothing was imported");
	return 0;
}

/* {"name", "action": "create"|"update", "years": [...]} of a written scale. */
static int io_result_item(struct io_import *im, const struct io_scale *g, const char *action, const cJSON *after,
			  struct problem *p)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(im->result, "items"), *o = cJSON_CreateObject(), *years;

	if (o == NULL || !cJSON_AddItemToArray(items, o) || cJSON_AddStringToObject(o, "name", g->name) == NULL ||
	    cJSON_AddStringToObject(o, "action", action) == NULL ||
	    (years = cJSON_AddArrayToObject(o, "years")) == NULL ||
	    cJSON_AddNumberToObject(o, "points", (double)g->n) == NULL ||
	    cJSON_AddNumberToObject(o, "version", (double)store_image_version(after)) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < g->n; i++) {
		char y[16];
		int seen = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = g->points[k].year == g->points[i].year;
		snprintf(y, sizeof(y), "%04d-%02d", g->points[i].year, (g->points[i].year + 1) % 100);
		if (!seen && !cJSON_AddItemToArray(years, cJSON_CreateString(y)))
			return problem_internal(p);
	}
	return 0;
}

static int io_scales_txn(struct db *db, void *arg, struct problem *p)
{
	struct io_import *im = arg;
	struct audit_actor who = api_actor(im->r);
	char f[48];

	cJSON_Delete(im->result);
	if ((im->result = cJSON_CreateObject()) == NULL || cJSON_AddArrayToObject(im->result, "items") == NULL ||
	    cJSON_AddNumberToObject(im->result, "rows", (double)im->sheet.n) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < im->nscales; i++) {
		const struct io_scale *g = &im->scales[i];
		struct payscale_in in = { .name = g->name, .title = NULL, .kind = g->kind, .area = g->area,
					  .points = g->points, .npoints = g->n };
		cJSON *after = NULL;
		int64_t version;
		char kind[8];
		int rc;

		if ((rc = store_payscale_kind(db, g->name, 1, kind, &version, p)) < 0)
			return -1;
		snprintf(f, sizeof(f), "row %zu, kind", g->first_row);
		if (rc == 0 && g->kind == NULL)
			problem_field(p, f, "is needed: there is no pay scale %s yet", g->name);
		else if (rc == 1 && g->kind != NULL && strcmp(g->kind, kind) != 0)
			problem_field(p, f, "pay scale %s is a %s scale: a scale's kind cannot change", g->name, kind);
		if (p->nerrors > 0)
			continue;                /* every such row is reported; nothing is written after */
		in.title = rc == 0 ? g->name : NULL;
		if ((rc == 0 ? store_payscale_create(db, &who, &in, &after, p) :
		     store_payscale_update(db, &who, g->name, version, &in, &after, p)) != 0)
			return -1;
		rc = io_result_item(im, g, rc == 0 ? "create" : "update", after, p);
		cJSON_Delete(after);
		if (rc != 0)
			return -1;
	}
	if (p->nerrors > 0)
		return problem_set(p, 422, "validation", "Validation failed", "the file has errors: nothing was imported");
	return 0;
}

static int io_rates_txn(struct db *db, void *arg, struct problem *p)
{
	struct io_import *im = arg;
	struct audit_actor who = api_actor(im->r);
	cJSON *items;

	cJSON_Delete(im->result);
	if ((im->result = cJSON_CreateObject()) == NULL || (items = cJSON_AddArrayToObject(im->result, "items")) == NULL ||
	    cJSON_AddNumberToObject(im->result, "rows", (double)im->sheet.n) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < im->sheet.n; i++) {
		const struct staff_sheet_rates *sr = &im->sheet.rates[i];
		struct staff_rates_in in = { .tax_year = sr->tax_year, .ni_bp = sr->ni_bp, .tps_bp = sr->tps_bp,
			.levy_bp = sr->levy_bp, .ni_threshold_pence = sr->ni_threshold_pence,
			.ni_upper_pence = sr->ni_upper_pence, .levy_allowance_pence = sr->levy_allowance_pence,
			.employment_allowance_pence = sr->employment_allowance_pence };
		cJSON *after = NULL;
		int created;

		if (store_staff_rates_replace(db, &who, &in, &after, &created, p) != 0)
			return -1;
		if (!cJSON_AddItemToArray(items, after))
			return problem_internal(p);
	}
	return 0;
}

static int io_import(struct req *r, int scales, struct problem *p)
{
	struct io_import im = { .r = r };
	int rc = -1;

	staff_sheet_init(&im.sheet, scales ? STAFF_SHEET_SCALES : STAFF_SHEET_RATES, p);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    io_read(r, scales ? "the pay scales" : "the staff rates", &im.sheet, p) != 0 ||
	    (scales && io_group(&im, p) != 0) ||
	    api_txn(r, scales ? io_scales_txn : io_rates_txn, &im, p) != 0)
		goto out;
	rc = http_reply_json(r, 200, im.result, NULL);
out:
	for (size_t i = 0; i < im.nscales; i++) {
		free(im.scales[i].points);
		free(im.scales[i].rows);
	}
	free(im.scales);
	staff_sheet_free(&im.sheet);
	cJSON_Delete(im.result);
	return rc;
}

int api_payscales_import(struct req *r, struct problem *p)
{
	return io_import(r, 1, p);
}

int api_staff_rates_import(struct req *r, struct problem *p)
{
	return io_import(r, 0, p);
}
