/*
 * api_forecasts_compare.c - GET /api/v1/forecasts/compare?runs=3,5,7: two to six
 * distinct saved runs side by side (DESIGN.md "Forecasting"). For each entity
 * and year any of them has (the schools by URN, then the central team, then the
 * trust; the years in order), each run's income, expenditure, in-year balance,
 * closing reserves and reserves as bp of income (`values`, in the order of
 * `runs`; null where that run has no such entity or year), and `diff`: each run
 * minus the first (null for the first, and where either is missing; a
 * percentage's difference null where either is). Each run is checked as GET
 * /forecasts/{id} checks it: a business manager compares published runs with
 * her schools only, and sees her schools only.
 *
 * Accept: text/csv gives `entity,name,year,measure,<label of run 1>,...` (one
 * row per entity, year and measure: income, expenditure, in_year_balance,
 * closing_reserves in pounds, reserves_pct as 12.34); the XLSX type one sheet per
 * measure (entity x year rows, a column per run). Two runs with the same label
 * are told apart in the headers by " (run <id>)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "export.h"
#include "money.h"
#include "run_scope.h"
#include "run_view.h"

#define CMP_MIN 2
#define CMP_MAX 6

/* The measures, in the order of the CSV's rows and the XLSX's sheets. */
static const struct {
	const char *key;                         /* JSON */
	const char *measure;                     /* CSV */
	const char *sheet;                       /* XLSX */
	enum store_fy col;
	int is_bp;
} cmp_measures[] = {
	{ "income_pence", "income", "Income", STORE_FY_INCOME, 0 },
	{ "expenditure_pence", "expenditure", "Expenditure", STORE_FY_EXP, 0 },
	{ "in_year_balance_pence", "in_year_balance", "In-year balance", STORE_FY_BAL, 0 },
	{ "closing_reserves_pence", "closing_reserves", "Closing reserves", STORE_FY_CLOSE, 0 },
	{ "reserves_bp", "reserves_pct", "Reserves % of income", STORE_FY_RES_BP, 1 },
};
#define CMP_NMEASURES (sizeof(cmp_measures) / sizeof(cmp_measures[0]))

/* One entity and year of the comparison: each run's row of it (SIZE_MAX: none). */
struct cmp_item {
	const char *entity;
	int year;
	size_t row[CMP_MAX];
};

struct cmp {
	struct req *r;
	size_t n;
	int64_t ids[CMP_MAX];
	struct store_forecast_rows x[CMP_MAX];
	struct run_scope s;
	struct cmp_item *items;
	size_t nitems;
	char labels[CMP_MAX][128];               /* the CSV's and XLSX's headers */
	struct table_col cols[2][4 + CMP_MAX];  /* [is_bp]: a sheet borrows its columns till the next */
};

/* ---- the query ---- */

/* ?runs=: 2..6 distinct run ids, comma-separated. 0, or -1 with a field error added. */
static int cmp_runs(struct cmp *c, const char *v, struct problem *p)
{
	const char *s = v;

	if (v == NULL || v[0] == '\0') {
		problem_field(p, "query:runs", "name %d to %d forecast runs by id, comma-separated: runs=3,5", CMP_MIN,
			      CMP_MAX);
		return -1;
	}
	for (;;) {
		const char *end = s + strcspn(s, ",");
		int64_t id = 0;
		size_t len = (size_t)(end - s);

		if (len == 0 || len > 16 || s[0] == '0' || strspn(s, "0123456789") < len) {
			problem_field(p, "query:runs", "\"%.*s\" is not a forecast run id (a positive integer)",
				      (int)(len > 20 ? 20 : len), s);
			return -1;
		}
		for (size_t i = 0; i < len; i++)
			id = id * 10 + (s[i] - '0');
		if (id > API_ID_MAX) {
			problem_field(p, "query:runs", "%lld is not a forecast run id", (long long)id);
			return -1;
		}
		for (size_t i = 0; i < c->n; i++)
			if (c->ids[i] == id) {
				problem_field(p, "query:runs", "run %lld is named twice: compare distinct runs", (long long)id);
				return -1;
			}
		if (c->n == CMP_MAX) {
			problem_field(p, "query:runs", "at most %d runs at once", CMP_MAX);
			return -1;
		}
		c->ids[c->n++] = id;
		if (*end == '\0')
			break;
		s = end + 1;
	}
	if (c->n < CMP_MIN) {
		problem_field(p, "query:runs", "name at least %d runs to compare", CMP_MIN);
		return -1;
	}
	return 0;
}

/* ---- the items ---- */

static const char *cmp_entity(const struct store_forecast_rows *x, size_t i)
{
	return db_cell(x->years, i, x->ycol[STORE_FY_ENTITY]);
}

static int cmp_year(const struct store_forecast_rows *x, size_t i)
{
	return (int)db_cell_i64(x->years, i, x->ycol[STORE_FY_YEAR]);
}

/* Entity order: schools by URN, then the central team, then the trust (as the SQL sorts); then the year. */
static int cmp_key(const char *a, int ya, const char *b, int yb)
{
	int ta = strcmp(a, "trust") == 0, tb = strcmp(b, "trust") == 0, d;

	if (ta != tb)
		return ta - tb;
	if ((d = strcmp(a, b)) != 0)
		return d;
	return ya - yb;
}

/* Every entity and year of the runs the caller sees, merged in order. 0, or -1 (no memory). */
static int cmp_merge(struct cmp *c)
{
	size_t at[CMP_MAX] = { 0 }, total = 0;

	for (size_t k = 0; k < c->n; k++)
		total += c->x[k].years->nrows;
	if ((c->items = calloc(total + 1, sizeof(*c->items))) == NULL)
		return -1;
	for (;;) {
		const char *e = NULL;
		int y = 0;
		struct cmp_item *it;

		for (size_t k = 0; k < c->n; k++) {
			const struct store_forecast_rows *x = &c->x[k];

			if (at[k] < x->years->nrows &&
			    (e == NULL || cmp_key(cmp_entity(x, at[k]), cmp_year(x, at[k]), e, y) < 0)) {
				e = cmp_entity(x, at[k]);
				y = cmp_year(x, at[k]);
			}
		}
		if (e == NULL)
			break;
		it = &c->items[c->nitems];
		*it = (struct cmp_item){ .entity = e, .year = y };
		for (size_t k = 0; k < c->n; k++) {
			const struct store_forecast_rows *x = &c->x[k];

			it->row[k] = SIZE_MAX;
			if (at[k] < x->years->nrows && cmp_key(cmp_entity(x, at[k]), cmp_year(x, at[k]), e, y) == 0)
				it->row[k] = at[k]++;
		}
		if (run_scope_shows(&c->s, e))
			c->nitems++;
	}
	return 0;
}

/* Run k's figure m of item it: 1 with *v, 0 when it has none (no such row, or a null KPI). */
static int cmp_value(const struct cmp *c, const struct cmp_item *it, size_t k, size_t m, int64_t *v)
{
	const struct store_forecast_rows *x = &c->x[k];
	size_t col = x->ycol[cmp_measures[m].col];

	if (it->row[k] == SIZE_MAX || db_cell(x->years, it->row[k], col) == NULL)
		return 0;
	*v = db_cell_i64(x->years, it->row[k], col);
	return 1;
}

/* ---- JSON ---- */

/* Run k's measures for an item, or (diff) each less the first run's; null when
 * either is missing (and for the first run's own diff). NULL: no memory. */
static cJSON *cmp_measures_json(const struct cmp *c, const struct cmp_item *it, size_t k, int diff)
{
	cJSON *o;
	int64_t a, b, v;

	if (it->row[k] == SIZE_MAX || (diff && (k == 0 || it->row[0] == SIZE_MAX)))
		return cJSON_CreateNull();
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	for (size_t m = 0; m < CMP_NMEASURES; m++) {
		int has = diff ? cmp_value(c, it, 0, m, &a) && cmp_value(c, it, k, m, &b) && money_sub(b, a, &v) == 0
			       : cmp_value(c, it, k, m, &v);

		if ((has ? cJSON_AddNumberToObject(o, cmp_measures[m].key, (double)v)
			 : cJSON_AddNullToObject(o, cmp_measures[m].key)) == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static cJSON *cmp_json(struct cmp *c, struct problem *p)
{
	cJSON *o = cJSON_CreateObject(), *runs, *items, *h, *io, *vals, *diffs, *v;
	char ys[8];

	if (o == NULL || (runs = cJSON_AddArrayToObject(o, "runs")) == NULL)
		goto fail;
	for (size_t k = 0; k < c->n; k++) {
		if ((h = run_view_head(c->r, &c->x[k], p)) == NULL)
			goto fail;
		if (!cJSON_AddItemToArray(runs, h)) {
			cJSON_Delete(h);
			goto fail;
		}
	}
	if ((items = cJSON_AddArrayToObject(o, "items")) == NULL)
		goto fail;
	for (size_t i = 0; i < c->nitems; i++) {
		const struct cmp_item *it = &c->items[i];

		acyear_format(it->year, ys, sizeof(ys));
		if ((io = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(items, io) ||
		    cJSON_AddStringToObject(io, "entity", it->entity) == NULL ||
		    cJSON_AddStringToObject(io, "name", run_view_name(&c->x[0], it->entity)) == NULL ||
		    cJSON_AddStringToObject(io, "year", ys) == NULL ||
		    (vals = cJSON_AddArrayToObject(io, "values")) == NULL ||
		    (diffs = cJSON_AddArrayToObject(io, "diff")) == NULL)
			goto fail;
		for (size_t k = 0; k < c->n; k++) {
			if ((v = cmp_measures_json(c, it, k, 0)) == NULL || !cJSON_AddItemToArray(vals, v)) {
				cJSON_Delete(v);
				goto fail;
			}
			if ((v = cmp_measures_json(c, it, k, 1)) == NULL || !cJSON_AddItemToArray(diffs, v)) {
				cJSON_Delete(v);
				goto fail;
			}
		}
	}
	return o;
fail:
	if (p->status == 0)
		problem_internal(p);
	cJSON_Delete(o);
	return NULL;
}

/* ---- CSV and XLSX ---- */

/* Each run's header: its label, and " (run <id>)" when another run has the same label. */
static void cmp_labels(struct cmp *c)
{
	for (size_t k = 0; k < c->n; k++) {
		const char *l = db_get(c->x[k].run, 0, "label");
		int twice = 0;

		for (size_t j = 0; j < c->n; j++)
			twice |= j != k && strcmp(db_get(c->x[j].run, 0, "label"), l) == 0;
		if (twice)
			snprintf(c->labels[k], sizeof(c->labels[k]), "%.100s (run %lld)", l, (long long)c->ids[k]);
		else
			snprintf(c->labels[k], sizeof(c->labels[k]), "%s", l);
	}
}

/* The columns entity, name, year[, measure], a run each: type the runs' figures' (TABLE_PENCE,
 * or for XLSX's reserves sheet TABLE_BP; CSV writes bp as hundredths through TABLE_PENCE). */
static size_t cmp_cols(struct cmp *c, int with_measure, int is_bp)
{
	struct table_col *cols = c->cols[is_bp];
	enum table_type type = is_bp ? TABLE_BP : TABLE_PENCE;
	size_t n = 0;

	cols[n++] = (struct table_col){ "entity", TABLE_TEXT, 0, 9 };
	cols[n++] = (struct table_col){ "name", TABLE_TEXT, 0, 36 };
	cols[n++] = (struct table_col){ "year", TABLE_TEXT, 0, 9 };
	if (with_measure)
		cols[n++] = (struct table_col){ "measure", TABLE_TEXT, 0, 18 };
	for (size_t k = 0; k < c->n; k++)
		cols[n++] = (struct table_col){ c->labels[k], type, 0, 18 };
	return n;
}

static void cmp_row(const struct cmp *c, struct table *t, const struct cmp_item *it, size_t m, int with_measure)
{
	char ys[8];
	int64_t v;

	acyear_format(it->year, ys, sizeof(ys));
	table_row(t, strcmp(it->entity, "trust") == 0 ? TABLE_ROW_BOLD : 0);
	table_text(t, it->entity);
	table_text(t, run_view_name(&c->x[0], it->entity));
	table_text(t, ys);
	if (with_measure)
		table_text(t, cmp_measures[m].measure);
	for (size_t k = 0; k < c->n; k++)
		if (cmp_value(c, it, k, m, &v))
			table_num(t, v);
		else
			table_blank(t);
}

static int cmp_sheets(struct cmp *c, enum export_format fmt, struct problem *p)
{
	struct export e = { 0 };
	char stem[32 + CMP_MAX * 21];
	size_t o, n;
	int rc = -1;

	cmp_labels(c);
	o = (size_t)snprintf(stem, sizeof(stem), "forecast-compare");
	for (size_t k = 0; k < c->n && o < sizeof(stem); k++)
		o += (size_t)snprintf(stem + o, sizeof(stem) - o, "-%lld", (long long)c->ids[k]);
	if (export_begin(&e, fmt, 0, "Forecast runs compared", p) != 0)
		goto out;
	if (fmt == EXPORT_CSV) {
		n = cmp_cols(c, 1, 0);
		table_sheet(&e.t, "Comparison", c->cols[0], n, 0);
		for (size_t i = 0; i < c->nitems; i++)
			for (size_t m = 0; m < CMP_NMEASURES; m++)
				cmp_row(c, &e.t, &c->items[i], m, 1);
	} else {
		/* both sets of columns first: a sheet's stay as they are until it ends */
		n = cmp_cols(c, 0, 0);
		cmp_cols(c, 0, 1);
		for (size_t m = 0; m < CMP_NMEASURES; m++) {
			table_sheet(&e.t, cmp_measures[m].sheet, c->cols[cmp_measures[m].is_bp], n, 0);
			for (size_t i = 0; i < c->nitems; i++)
				cmp_row(c, &e.t, &c->items[i], m, 0);
		}
	}
	rc = export_reply(c->r, &e, stem, NULL, p);
out:
	export_end(&e);
	return rc;
}

int api_forecasts_compare(struct req *r, struct problem *p)
{
	struct cmp c = { .r = r };
	enum export_format fmt = export_format(r);
	cJSON *o = NULL;
	size_t loaded = 0;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ "runs", NULL }, p) != 0)
		return -1;
	if (cmp_runs(&c, http_query(r, "runs"), p) != 0) {
		problem_validation_done(p);
		return -1;
	}
	if (run_scope_get(r, &c.s, p) != 0)
		return -1;
	for (; loaded < c.n; loaded++)
		if (store_forecast_load(r->db, c.ids[loaded], &c.x[loaded], p) != 0) {
			loaded++;
			goto out;
		}
	/* each run as GET /forecasts/{id} shows it: not a head of a run the caller may not see */
	for (size_t k = 0; k < c.n; k++)
		if (run_scope_allowed(&c.x[k], &c.s, c.ids[k], p) != 0)
			goto out;
	if (cmp_merge(&c) != 0) {
		problem_internal(p);
		goto out;
	}
	if (fmt != EXPORT_JSON) {
		rc = cmp_sheets(&c, fmt, p);
		goto out;
	}
	if ((o = cmp_json(&c, p)) != NULL)
		rc = http_reply_json_hashed(r, o, p);
out:
	cJSON_Delete(o);
	free(c.items);
	for (size_t k = 0; k < loaded; k++)
		store_forecast_rows_free(&c.x[k]);
	run_scope_free(&c.s);
	return rc;
}
